//! Smart charging: `SmartChargingStation` (install rules, transactions, composite schedules,
//! preference planning) and the functions around it. The records, enums and the
//! `CompositeSchedule` object it hands out are the core's (`io.chargekit.core`).
//!
//! Profiles cross as OCPP JSON text in the shape of their version (2.0.1 / 2.1
//! `ChargingProfileType`, or 1.6 `csChargingProfiles`); versions as `"1.6"`, `"2.0.1"`, `"2.1"`;
//! the station options as core's `StationOptions` record. A rejected install is
//! `ChargekitException.ProfileRejected` naming the rule (`ruleId` such as `"K01.FR.06"`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chargekit::boundary::profile as boundary;
use chargekit::profile::{
    read_composite_response as core_read_response, ChargingPreferences, ChargingProfile,
    ChargingRateUnit, ClearCriteria, CompositeResponse, CompositeSchedule, InstallOutcome,
    InstalledProfile, PreferencePlan, SmartChargingStation as CoreStation, StationConfig,
    StationOptions, Transaction,
};

use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

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
    guarded(|| {
        let version = version.parse()?;
        core_read_response(
            &json,
            version,
            expected_unit,
            supply_voltage,
            default_phases,
            strict,
        )
    })
}

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

    fn wrap(station: CoreStation) -> Self {
        Self {
            inner: Mutex::new(station),
        }
    }
}

#[uniffi::export]
impl SmartChargingStation {
    /// A station with these EVSEs (ids > 0), the limits reported where no profile applies
    /// (A and W), the line voltage for A ↔ W, the phases assumed when none is given, and
    /// the options (null: `defaultStationOptions()`, which reproduce EVerest libocpp).
    #[uniffi::constructor(default(options = None))]
    pub fn new(
        evse_ids: Vec<u32>,
        default_limit_amps: ExactDecimal,
        default_limit_watts: ExactDecimal,
        supply_voltage: ExactDecimal,
        default_number_phases: u8,
        options: Option<StationOptions>,
    ) -> Result<Self, ChargekitError> {
        guarded(|| {
            boundary::station(
                Some(evse_ids),
                Some(default_limit_amps),
                Some(default_limit_watts),
                Some(supply_voltage),
                Some(default_number_phases),
                options,
            )
        })
        .map(Self::wrap)
    }

    /// A station from core's `StationConfig` JSON (snake_case; missing fields keep their
    /// defaults: one EVSE, 48 A, 33 120 W, 230 V, 3 phases).
    #[uniffi::constructor]
    pub fn from_config_json(json: String) -> Result<Self, ChargekitError> {
        guarded(|| StationConfig::from_json(&json).and_then(CoreStation::new)).map(Self::wrap)
    }

    /// The EVSE ids.
    pub fn evse_ids(&self) -> Vec<u32> {
        self.lock().config().evse_ids.clone()
    }

    /// The options in force.
    pub fn options(&self) -> StationOptions {
        self.lock().options().clone()
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
        let mut inner = self.lock();
        guarded(|| boundary::install(&mut inner, &profile_json, evse_id, &version))
    }

    /// Sets a limit from a local actor such as an EMS: a ChargingStationExternalConstraints
    /// (or 2.1 LocalGeneration) profile, as JSON in the shape of `version`.
    pub fn set_external_constraints(
        &self,
        profile_json: String,
        evse_id: u32,
        version: String,
    ) -> Result<InstallOutcome, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| boundary::set_external_constraints(&mut inner, &profile_json, evse_id, &version))
    }

    /// Removes the profiles matching the criteria, as ClearChargingProfile from the CSMS
    /// (external constraints are never cleared this way). Returns the ids removed.
    #[uniffi::method(default(criteria = None))]
    pub fn clear(&self, criteria: Option<ClearCriteria>) -> Result<Vec<i32>, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| inner.clear(&criteria.unwrap_or_default()))
    }

    /// Removes locally set limits matching the criteria. Returns the ids removed.
    #[uniffi::method(default(criteria = None))]
    pub fn clear_external_constraints(
        &self,
        criteria: Option<ClearCriteria>,
    ) -> Result<Vec<i32>, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| {
            Ok::<_, ChargekitError>(inner.clear_external_constraints(&criteria.unwrap_or_default()))
        })
    }

    /// The installed profiles, in installation order.
    pub fn profiles(&self) -> Vec<InstalledProfile> {
        self.lock().profiles()
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
    pub fn stop_transaction(&self, evse_id: u32) -> Result<Option<Transaction>, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| Ok::<_, ChargekitError>(inner.stop_transaction(evse_id)))
    }

    /// The transaction running on an EVSE, if any.
    pub fn transaction(&self, evse_id: u32) -> Option<Transaction> {
        self.lock().transaction(evse_id).cloned()
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
        guarded(|| inner.composite_schedule(evse_id, start, duration_s, unit)).map(Arc::new)
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
    }
}

/// The default station options (they reproduce EVerest libocpp). UniFFI cannot give the
/// record's enum fields defaults, so change what differs: `defaultStationOptions().copy(...)`.
#[uniffi::export]
pub fn default_station_options() -> StationOptions {
    StationOptions::default()
}

/// Checks a 2.0.1 / 2.1 ChargingProfile (or, with `version` `"1.6"`, a 1.6
/// `csChargingProfiles`) against the schema and returns it as 2.x JSON. A station's install
/// rules are not applied: install it on a `SmartChargingStation` for that.
#[uniffi::export]
pub fn charging_profile_to_v2_json(
    profile_json: String,
    version: String,
) -> Result<String, ChargekitError> {
    guarded(|| {
        ChargingProfile::from_json_version(&profile_json, version.parse()?).map(|p| p.to_json())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_built_from_parts_equals_one_from_config_json() {
        let options = StationOptions {
            gap_fill: chargekit::profile::GapFill::NoLimit,
            ..StationOptions::default()
        };
        let a = SmartChargingStation::new(
            vec![1, 2],
            ExactDecimal::from(32),
            ExactDecimal::from(22_080),
            ExactDecimal::from(230),
            3,
            Some(options),
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
