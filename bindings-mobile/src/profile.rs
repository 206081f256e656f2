//! Smart charging: `SmartChargingStation` (install rules, transactions, composite schedules,
//! preference planning) and the records it hands out.
//!
//! Profiles cross as OCPP JSON text in the shape of their version (2.0.1 / 2.1
//! `ChargingProfileType`, or 1.6 `csChargingProfiles`); versions as `"1.6"`, `"2.0.1"`, `"2.1"`;
//! the station options as core's `StationOptions` JSON (snake_case, e.g.
//! `{"gap_fill": "no_limit"}`). A rejected install is `ChargekitError.ProfileRejected`
//! naming the rule (`ruleId` such as `"K01.FR.06"`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chargekit::profile::{
    read_composite_response as core_read_response, ChargingPreferences, ChargingProfile,
    ChargingProfilePurpose, ChargingRateUnit, ClearCriteria, CompositePeriod as CorePeriod,
    CompositeResponse as CoreResponse, CompositeSchedule as CoreSchedule, InstallOutcome,
    InstalledProfile, LimitSource, PreferencePlan as CorePlan, ProfileOrigin, ProfileRef,
    ProfileVersion, SmartChargingStation as CoreStation, StationConfig, StationOptions,
    Transaction, UnmetWish as CoreWish,
};

use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

fn parse_version(version: &str) -> Result<ProfileVersion, ChargekitError> {
    version.parse::<ProfileVersion>()
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

// ---------------------------------------------------------------- mirrors

// ---------------------------------------------------------------- records

/// The transaction running on an EVSE.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EvseTransaction {
    /// The EVSE.
    pub evse_id: u32,
    /// When it started (the anchor of Relative profiles).
    pub started_at: UtcInstant,
    /// Its id, when known (TxProfiles must name it).
    pub transaction_id: Option<String>,
}

impl From<&Transaction> for EvseTransaction {
    fn from(t: &Transaction) -> Self {
        Self {
            evse_id: t.evse_id,
            started_at: t.started_at,
            transaction_id: t.transaction_id.clone(),
        }
    }
}

/// A profile installed on a station.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InstalledProfileInfo {
    /// The profile id.
    pub id: i32,
    /// The EVSE it was installed on (0 = station-wide).
    pub evse_id: u32,
    /// The purpose.
    pub purpose: ChargingProfilePurpose,
    /// The stack level.
    pub stack_level: u32,
    /// The OCPP version it came in: `"1.6"`, `"2.0.1"` or `"2.1"`.
    pub version: String,
    /// Who set it.
    pub origin: ProfileOrigin,
    /// Installation order (later is newer).
    pub seq: u64,
    /// The profile as 2.x JSON (1.6 profiles converted).
    pub profile_json: String,
}

impl From<&InstalledProfile> for InstalledProfileInfo {
    fn from(p: &InstalledProfile) -> Self {
        Self {
            id: p.id(),
            evse_id: p.evse_id(),
            purpose: p.purpose(),
            stack_level: p.stack_level(),
            version: p.version().to_string(),
            origin: p.origin(),
            seq: p.seq(),
            profile_json: p.profile().to_json(),
        }
    }
}

/// What set the limit of a composite period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum LimitSourceKind {
    /// One profile set the binding (lowest) limit (`CompositePeriod.binding`).
    Profile,
    /// No profile applied: the station's gap-fill value.
    Default,
    /// EVSE 0 summed over the EVSEs (`CompositePeriod.evseSources`).
    EvseSum,
    /// Reported by a station.
    Reported,
}

fn source_kind(s: &LimitSource) -> LimitSourceKind {
    match s {
        LimitSource::Profile(_) => LimitSourceKind::Profile,
        LimitSource::Default => LimitSourceKind::Default,
        LimitSource::EvseSum(_) => LimitSourceKind::EvseSum,
        LimitSource::Reported => LimitSourceKind::Reported,
    }
}

/// What set one EVSE's part of an EVSE-0 sum.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EvseLimitSource {
    /// The EVSE.
    pub evse_id: u32,
    /// What set its limit.
    pub kind: LimitSourceKind,
    /// The profile, when one profile set it.
    pub binding: Option<ProfileRef>,
    /// Every profile involved.
    pub profiles: Vec<ProfileRef>,
}

/// One period of a composite schedule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CompositePeriod {
    /// Seconds from the schedule start.
    pub start_period: u32,
    /// The limit in the schedule's unit; null only with the `no_limit` gap fill.
    pub limit: Option<ExactDecimal>,
    /// The phase count in force (the lowest given), or null when no input gave one.
    pub number_phases: Option<u8>,
    /// What set the limit.
    pub source: LimitSourceKind,
    /// The profile that set the limit, when a single profile did.
    pub binding: Option<ProfileRef>,
    /// Every profile involved (for an EVSE-0 sum, those of all EVSEs), without duplicates.
    pub profiles: Vec<ProfileRef>,
    /// For an EVSE-0 sum: what set each EVSE's part (empty otherwise).
    pub evse_sources: Vec<EvseLimitSource>,
}

impl From<&CorePeriod> for CompositePeriod {
    fn from(p: &CorePeriod) -> Self {
        let evse_sources = match &p.source {
            LimitSource::EvseSum(parts) => parts
                .iter()
                .map(|(evse_id, s)| EvseLimitSource {
                    evse_id: *evse_id,
                    kind: source_kind(s),
                    binding: s.profile().copied(),
                    profiles: s.profiles(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            start_period: p.start_period,
            limit: p.limit,
            number_phases: p.number_phases,
            source: source_kind(&p.source),
            binding: p.binding().copied(),
            profiles: p.source.profiles(),
            evse_sources,
        }
    }
}

/// A wish of the driver that a plan cannot meet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum UnmetWish {
    /// Not enough time at the allowed speed before departure (or within the windows).
    EnergyShortfall {
        /// Asked for, Wh.
        requested_wh: ExactDecimal,
        /// What the plan can deliver, Wh.
        deliverable_wh: ExactDecimal,
    },
    /// The departure is not after now.
    DepartureInPast,
    /// `startAt` is not before the departure.
    StartAfterDeparture,
    /// No off-peak window lies between the start and the departure.
    NoWindowBeforeDeparture,
    /// The plan needs more periods than the station accepts; later charging was dropped.
    TooManyPeriods {
        /// Periods the plan needs.
        needed: u64,
        /// Periods the station accepts.
        allowed: u32,
    },
}

impl From<CoreWish> for UnmetWish {
    fn from(w: CoreWish) -> Self {
        match w {
            CoreWish::EnergyShortfall {
                requested_wh,
                deliverable_wh,
            } => Self::EnergyShortfall {
                requested_wh,
                deliverable_wh,
            },
            CoreWish::DepartureInPast => Self::DepartureInPast,
            CoreWish::StartAfterDeparture => Self::StartAfterDeparture,
            CoreWish::NoWindowBeforeDeparture => Self::NoWindowBeforeDeparture,
            CoreWish::TooManyPeriods { needed, allowed } => Self::TooManyPeriods {
                needed: wide(needed),
                allowed,
            },
        }
    }
}

/// A TxProfile planned from the driver's preferences, and what it achieves.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PreferencePlan {
    /// The Absolute TxProfile, as 2.0.1 JSON (install it with `install(json, evseId, "2.0.1")`).
    pub profile_json: String,
    /// Energy the profile allows (if the EV takes the full rate), Wh; null when unbounded.
    pub deliverable_wh: Option<ExactDecimal>,
    /// When charging first may happen (null: never).
    pub charging_starts: Option<UtcInstant>,
    /// When the last charging period ends (null: open-ended or never).
    pub charging_ends: Option<UtcInstant>,
    /// The wishes that cannot be met (empty: all met).
    pub unmet: Vec<UnmetWish>,
    /// True when every wish can be met.
    pub all_met: bool,
}

impl From<CorePlan> for PreferencePlan {
    fn from(p: CorePlan) -> Self {
        Self {
            profile_json: p.profile.to_json(),
            deliverable_wh: p.deliverable_wh,
            charging_starts: p.charging_starts,
            charging_ends: p.charging_ends,
            all_met: p.all_met(),
            unmet: p.unmet.into_iter().map(UnmetWish::from).collect(),
        }
    }
}

// ---------------------------------------------------------------- CompositeSchedule

/// A composite schedule: the limit over time for an EVSE, or for the station (EVSE 0).
#[derive(Debug, uniffi::Object)]
pub struct CompositeSchedule(CoreSchedule);

impl CompositeSchedule {
    /// Core's schedule (for other modules that read it, e.g. planning).
    pub(crate) fn core(&self) -> &CoreSchedule {
        &self.0
    }
}

#[uniffi::export]
impl CompositeSchedule {
    /// The EVSE (0 = the station).
    pub fn evse_id(&self) -> u32 {
        self.0.evse_id
    }

    /// Start of the window (the request time, whole seconds).
    pub fn schedule_start(&self) -> UtcInstant {
        self.0.schedule_start
    }

    /// Length of the window in seconds.
    pub fn duration(&self) -> u32 {
        self.0.duration
    }

    /// Unit of every limit.
    pub fn unit(&self) -> ChargingRateUnit {
        self.0.unit
    }

    /// The periods, first at 0, strictly increasing.
    pub fn periods(&self) -> Vec<CompositePeriod> {
        self.0.periods.iter().map(CompositePeriod::from).collect()
    }

    /// The period in force `offsetS` seconds after the start.
    pub fn period_at(&self, offset_s: u32) -> Option<CompositePeriod> {
        self.0.period_at(offset_s).map(CompositePeriod::from)
    }

    /// The GetCompositeSchedule response as JSON text, in the shape of `version`
    /// (`"2.0.1"`/`"2.1"`: `{status, schedule}`; `"1.6"`: `{status, connectorId, scheduleStart,
    /// chargingSchedule}` with limits rounded to 0.1).
    pub fn to_ocpp(&self, version: String) -> Result<String, ChargekitError> {
        let version = parse_version(&version)?;
        guarded(|| Ok::<_, ChargekitError>(self.0.to_ocpp(version).to_string()))
    }
}

/// What a station's GetCompositeSchedule response says (read on the CSMS side).
#[derive(Debug, uniffi::Enum)]
pub enum CompositeResponse {
    /// A schedule, in the expected unit.
    Schedule {
        /// The schedule (every period's source is `REPORTED`).
        schedule: Arc<CompositeSchedule>,
        /// True when the station answered in another unit and the limits were converted.
        unit_converted: bool,
    },
    /// Accepted, but without a usable schedule.
    Unknown {
        /// Why.
        reason: String,
    },
    /// The station rejected the request.
    Rejected {
        /// `statusInfo.reasonCode`, when given.
        reason: Option<String>,
    },
}

impl From<CoreResponse> for CompositeResponse {
    fn from(r: CoreResponse) -> Self {
        match r {
            CoreResponse::Schedule {
                schedule,
                unit_converted,
            } => Self::Schedule {
                schedule: Arc::new(CompositeSchedule(schedule)),
                unit_converted,
            },
            CoreResponse::Unknown { reason } => Self::Unknown { reason },
            CoreResponse::Rejected { reason } => Self::Rejected { reason },
        }
    }
}

/// Reads a station's GetCompositeSchedule response (`version` `"2.0.1"`/`"2.1"`: `schedule`;
/// `"1.6"`: `chargingSchedule`), leniently: limits in another unit than `expectedUnit` are
/// converted with `supplyVoltage` and the period's phases (else `defaultPhases`) and flagged;
/// an Accepted response without periods is `Unknown`, or with `strict` an `InvalidProfile` error.
#[uniffi::export(default(expected_unit = None, strict = false))]
pub fn read_composite_response(
    json: String,
    version: String,
    expected_unit: Option<ChargingRateUnit>,
    supply_voltage: ExactDecimal,
    default_phases: u8,
    strict: bool,
) -> Result<CompositeResponse, ChargekitError> {
    let version = parse_version(&version)?;
    guarded(|| {
        core_read_response(
            &json,
            version,
            expected_unit,
            supply_voltage,
            default_phases,
            strict,
        )
    })
    .map(CompositeResponse::from)
}

// ---------------------------------------------------------------- SmartChargingStation

/// The smart-charging state of one charging station: installed profiles and running
/// transactions. Installs apply the station-side rules of OCPP 1.6 and 2.x; composite
/// schedules are computed from what is installed. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct SmartChargingStation {
    inner: Mutex<CoreStation>,
}

impl SmartChargingStation {
    fn lock(&self) -> MutexGuard<'_, CoreStation> {
        // Panics are caught inside the lock (see `guarded`), so core never poisons it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn from_config(config: StationConfig) -> Result<Self, ChargekitError> {
        let station = guarded(|| CoreStation::new(config))?;
        Ok(Self {
            inner: Mutex::new(station),
        })
    }
}

#[uniffi::export]
impl SmartChargingStation {
    /// A station with these EVSEs (ids > 0), the limits reported where no profile applies
    /// (A and W), the line voltage for A ↔ W, the phases assumed when none is given, and
    /// the options as core's `StationOptions` JSON (null: the defaults, which reproduce
    /// EVerest libocpp).
    #[uniffi::constructor(default(options_json = None))]
    pub fn new(
        evse_ids: Vec<u32>,
        default_limit_amps: ExactDecimal,
        default_limit_watts: ExactDecimal,
        supply_voltage: ExactDecimal,
        default_number_phases: u8,
        options_json: Option<String>,
    ) -> Result<Self, ChargekitError> {
        let options = match options_json {
            Some(json) => guarded(|| StationOptions::from_json(&json))?,
            None => StationOptions::default(),
        };
        Self::from_config(StationConfig {
            evse_ids,
            default_limit_amps,
            default_limit_watts,
            supply_voltage,
            default_number_phases,
            options,
        })
    }

    /// A station from core's `StationConfig` JSON (snake_case; missing fields keep their
    /// defaults: one EVSE, 48 A, 33 120 W, 230 V, 3 phases).
    #[uniffi::constructor]
    pub fn from_config_json(json: String) -> Result<Self, ChargekitError> {
        let config = guarded(|| StationConfig::from_json(&json))?;
        Self::from_config(config)
    }

    /// The EVSE ids.
    pub fn evse_ids(&self) -> Vec<u32> {
        self.lock().config().evse_ids.clone()
    }

    /// The options as core's JSON form (every field).
    pub fn options_json(&self) -> String {
        self.lock().options().to_json()
    }

    /// Installs a profile sent by the CSMS (SetChargingProfile), given as JSON in the shape
    /// of `version` (`"1.6"`, `"2.0.1"` or `"2.1"`) on `evseId` (0 = station-wide).
    /// A malformed profile is `InvalidProfile` naming the field; one the station would reject
    /// is `ProfileRejected` naming the rule.
    pub fn install(
        &self,
        profile_json: String,
        evse_id: u32,
        version: String,
    ) -> Result<InstallOutcome, ChargekitError> {
        let version = parse_version(&version)?;
        let mut inner = self.lock();
        guarded(|| inner.install(&profile_json, evse_id, version))
    }

    /// Sets a limit from a local actor such as an EMS: a ChargingStationExternalConstraints
    /// (or 2.1 LocalGeneration) profile, as JSON in the shape of `version`.
    pub fn set_external_constraints(
        &self,
        profile_json: String,
        evse_id: u32,
        version: String,
    ) -> Result<InstallOutcome, ChargekitError> {
        let version = parse_version(&version)?;
        let mut inner = self.lock();
        guarded(|| {
            let profile = ChargingProfile::from_json_version(&profile_json, version)?;
            inner.set_external_constraints(profile, evse_id, version)
        })
    }

    /// Removes the profiles matching the criteria, as ClearChargingProfile from the CSMS
    /// (external constraints are never cleared this way). Returns the ids removed.
    #[uniffi::method(default(criteria = None))]
    pub fn clear(&self, criteria: Option<ClearCriteria>) -> Result<Vec<i32>, ChargekitError> {
        let criteria = criteria.unwrap_or_default();
        let mut inner = self.lock();
        guarded(|| inner.clear(&criteria))
    }

    /// Removes locally set limits matching the criteria. Returns the ids removed.
    #[uniffi::method(default(criteria = None))]
    pub fn clear_external_constraints(
        &self,
        criteria: Option<ClearCriteria>,
    ) -> Result<Vec<i32>, ChargekitError> {
        let criteria = criteria.unwrap_or_default();
        let mut inner = self.lock();
        guarded(|| Ok::<_, ChargekitError>(inner.clear_external_constraints(&criteria)))
    }

    /// The installed profiles, in installation order.
    pub fn profiles(&self) -> Vec<InstalledProfileInfo> {
        self.lock()
            .profiles()
            .iter()
            .map(InstalledProfileInfo::from)
            .collect()
    }

    /// Starts a transaction on an EVSE at `at` (replacing a running one there). Relative
    /// profiles are anchored at `at`; TxProfiles must name `transactionId` when it is given.
    #[uniffi::method(default(transaction_id = None))]
    pub fn start_transaction(
        &self,
        evse_id: u32,
        at: UtcInstant,
        transaction_id: Option<String>,
    ) -> Result<(), ChargekitError> {
        let mut inner = self.lock();
        guarded(|| inner.start_transaction(evse_id, at, transaction_id))
    }

    /// Ends the transaction on an EVSE (its TxProfiles are removed); returns it, or null
    /// when none was running.
    pub fn stop_transaction(
        &self,
        evse_id: u32,
    ) -> Result<Option<EvseTransaction>, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| {
            Ok::<_, ChargekitError>(
                inner
                    .stop_transaction(evse_id)
                    .as_ref()
                    .map(EvseTransaction::from),
            )
        })
    }

    /// The transaction running on an EVSE, if any.
    pub fn transaction(&self, evse_id: u32) -> Option<EvseTransaction> {
        self.lock().transaction(evse_id).map(EvseTransaction::from)
    }

    /// Requests (or ends) priority charging on an EVSE (2.1).
    pub fn set_priority_charging(&self, evse_id: u32, on: bool) -> Result<(), ChargekitError> {
        let mut inner = self.lock();
        guarded(|| inner.set_priority_charging(evse_id, on))
    }

    /// The composite schedule of an EVSE (or of the station for EVSE 0) over
    /// `[start, start + durationS)`, as GetCompositeSchedule computes it; `start` is "now".
    /// Without a unit, the station's preferred unit (A by default).
    #[uniffi::method(default(unit = None))]
    pub fn composite_schedule(
        &self,
        evse_id: u32,
        start: UtcInstant,
        duration_s: i64,
        unit: Option<ChargingRateUnit>,
    ) -> Result<Arc<CompositeSchedule>, ChargekitError> {
        let inner = self.lock();
        guarded(|| inner.composite_schedule(evse_id, start, duration_s, unit))
            .map(|s| Arc::new(CompositeSchedule(s)))
    }

    /// Plans a TxProfile for the transaction on an EVSE from the driver's preferences,
    /// capped by what the station allows there without a TxProfile.
    #[uniffi::method(default(unit = None))]
    pub fn plan_preferences(
        &self,
        evse_id: u32,
        preferences: ChargingPreferences,
        now: UtcInstant,
        profile_id: i32,
        stack_level: u32,
        unit: Option<ChargingRateUnit>,
    ) -> Result<PreferencePlan, ChargekitError> {
        let inner = self.lock();
        guarded(|| {
            inner.plan_preferences(evse_id, &preferences, now, profile_id, stack_level, unit)
        })
        .map(PreferencePlan::from)
    }
}

/// The default station options as core's JSON form (every field).
#[uniffi::export]
pub fn default_station_options_json() -> String {
    StationOptions::default().to_json()
}

/// The wire name of a purpose, e.g. `"TxDefaultProfile"`.
#[uniffi::export]
pub fn charging_profile_purpose_name(purpose: ChargingProfilePurpose) -> String {
    purpose.as_str().to_string()
}

/// Checks a 2.0.1 / 2.1 ChargingProfile (or, with `version` `"1.6"`, a 1.6
/// `csChargingProfiles`) against the schema and returns it as 2.x JSON. A station's install
/// rules are not applied: install it on a `SmartChargingStation` for that.
#[uniffi::export]
pub fn charging_profile_to_v2_json(
    profile_json: String,
    version: String,
) -> Result<String, ChargekitError> {
    let version = parse_version(&version)?;
    guarded(|| ChargingProfile::from_json_version(&profile_json, version).map(|p| p.to_json()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_built_from_parts_equals_one_from_config_json() {
        let a = SmartChargingStation::new(
            vec![1, 2],
            ExactDecimal::from(32),
            ExactDecimal::from(22_080),
            ExactDecimal::from(230),
            3,
            Some(r#"{"gap_fill": "no_limit"}"#.into()),
        );
        let b = SmartChargingStation::from_config_json(
            r#"{"evse_ids": [1, 2], "default_limit_amps": 32, "default_limit_watts": "22080",
                "options": {"gap_fill": "no_limit"}}"#
                .into(),
        );
        match (a, b) {
            (Ok(a), Ok(b)) => assert_eq!(*a.lock(), *b.lock()),
            (a, b) => unreachable!("{a:?} {b:?}"),
        }
    }
}
