//! The profile store of one station: install with the 1.6 / 2.x replace and reject rules,
//! clear, transactions.

use super::composite::{self, CompositeSchedule};
use super::model::{
    ChargingProfile, ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit,
};
use super::options::{DuplicatePolicy, StationOptions};
use super::preferences::{plan_tx_profile, ChargingPreferences, PlanContext, PreferencePlan};
use super::validate::{prepare, Prepared};
use super::{ProfileVersion, Rule};
use crate::profile::rejected;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Who set a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ProfileOrigin {
    /// The CSMS, with SetChargingProfile.
    #[default]
    Csms,
    /// A local actor such as an energy management system (external constraints).
    Local,
}

/// The configuration of a [`SmartChargingStation`]: its EVSEs, the values used where no
/// profile applies or no phase count is known, and the [`StationOptions`].
///
/// Constructible from JSON (snake_case, decimals as strings or numbers).
///
/// ```
/// use chargekit::profile::StationConfig;
/// let c = StationConfig::from_json(r#"{"evse_ids": [1, 2], "default_limit_amps": "32", "supply_voltage": 120}"#).unwrap();
/// assert_eq!(c.default_limit_amps.to_string(), "32");
/// assert_eq!(c.supply_voltage.to_string(), "120");
/// assert!(StationConfig::from_json(r#"{"supply_voltage": true}"#).is_err());
/// assert_eq!(StationConfig::from_json(&serde_json::to_string(&c).unwrap()).unwrap(), c);
/// assert_eq!(c.default_limit_watts.to_string(), "33120");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StationConfig {
    /// The EVSE ids (each > 0). EVSE 0 is the station itself.
    pub evse_ids: Vec<u32>,
    /// Reported in A where no profile applies (EVerest `CompositeScheduleDefaultLimitAmps`, 48).
    #[serde(deserialize_with = "super::serde_util::text_or_number::deserialize")]
    pub default_limit_amps: Decimal,
    /// Reported in W where no profile applies (33 120 W = 48 A × 230 V × 3).
    #[serde(deserialize_with = "super::serde_util::text_or_number::deserialize")]
    pub default_limit_watts: Decimal,
    /// Nominal line voltage for A ↔ W (230, or 110/120).
    #[serde(deserialize_with = "super::serde_util::text_or_number::deserialize")]
    pub supply_voltage: Decimal,
    /// Phases assumed when no period gives `numberPhases` (3 for AC).
    pub default_number_phases: u8,
    /// The named options.
    pub options: StationOptions,
}

impl Default for StationConfig {
    fn default() -> Self {
        Self {
            evse_ids: vec![1],
            default_limit_amps: Decimal::from(48),
            default_limit_watts: Decimal::from(33_120),
            supply_voltage: Decimal::from(230),
            default_number_phases: 3,
            options: StationOptions::default(),
        }
    }
}

impl StationConfig {
    /// The default configuration with these EVSEs.
    ///
    /// ```
    /// use chargekit::profile::StationConfig;
    /// assert_eq!(StationConfig::with_evses(&[1, 2]).evse_ids, vec![1, 2]);
    /// ```
    pub fn with_evses(evse_ids: &[u32]) -> Self {
        Self {
            evse_ids: evse_ids.to_vec(),
            ..Self::default()
        }
    }

    /// Reads a configuration from JSON (snake_case; unknown fields are errors).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        super::decode_json("StationConfig", text).map_err(|e| match e {
            Error::InvalidProfile {
                field,
                reason: message,
                ..
            } => Error::InvalidStationConfig {
                reason: format!("field `{field}`: {message}"),
            },
            other => other,
        })
    }

    fn check(&self) -> Result<(), Error> {
        let bad = |m: &str| {
            Err(Error::InvalidStationConfig {
                reason: m.to_string(),
            })
        };
        let unique: BTreeSet<u32> = self.evse_ids.iter().copied().collect();
        if self.evse_ids.is_empty() {
            return bad("a station needs at least one EVSE");
        }
        if unique.contains(&0) {
            return bad("EVSE ids start at 1 (0 is the station)");
        }
        if unique.len() != self.evse_ids.len() {
            return bad("EVSE ids must be unique");
        }
        if self.supply_voltage <= Decimal::ZERO {
            return bad("supply_voltage must be positive");
        }
        if self.default_limit_amps.is_sign_negative() || self.default_limit_watts.is_sign_negative()
        {
            return bad("default limits must not be negative");
        }
        let sizes = [
            self.supply_voltage,
            self.default_limit_amps,
            self.default_limit_watts,
        ];
        if !sizes.into_iter().all(crate::limits::quantity_in_range) {
            return bad(
                "supply_voltage and default limits are at most 10^12 (limits::MAX_QUANTITY)",
            );
        }
        if !(1..=3).contains(&self.default_number_phases) {
            return bad("default_number_phases must be 1, 2 or 3");
        }
        if !(1..=3).contains(&self.options.supply_phases) {
            return bad("options.supply_phases must be 1, 2 or 3");
        }
        if !(1..=crate::limits::MAX_SCHEDULE_PERIODS).contains(&self.options.max_periods) {
            return bad(&format!(
                "options.max_periods must be from 1 to {} (limits::MAX_SCHEDULE_PERIODS)",
                crate::limits::MAX_SCHEDULE_PERIODS
            ));
        }
        if self.options.supported_units.is_empty() {
            return bad("options.supported_units must not be empty");
        }
        Ok(())
    }
}

/// A transaction running on an EVSE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "EvseTransaction"))]
pub struct Transaction {
    /// The EVSE.
    pub evse_id: u32,
    /// When it started (the anchor of Relative profiles).
    pub started_at: DateTime<Utc>,
    /// Its id, when known (TxProfiles must name it).
    pub transaction_id: Option<String>,
}

/// A profile installed on a station, validated: what it is, where, from whom and when.
///
/// In Kotlin and Swift `InstalledProfileInfo`, whose `profileJson` is the profile as 2.x JSON
/// text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "InstalledProfileInfo"))]
pub struct InstalledProfile {
    /// The profile id.
    pub id: i32,
    /// The EVSE it was installed on (0 = station-wide).
    pub evse_id: u32,
    /// The purpose (the 2.x name, also for 1.6 installs).
    pub purpose: ChargingProfilePurpose,
    /// The stack level.
    pub stack_level: u32,
    /// The OCPP version it came in.
    pub version: ProfileVersion,
    /// Who set it.
    pub origin: ProfileOrigin,
    /// Installation order (later is newer).
    pub seq: u64,
    /// The profile as installed (2.x model; 1.6 profiles converted).
    #[cfg_attr(feature = "uniffi", uniffi(name = "profile_json"))]
    pub profile: ChargingProfile,
}

/// An installed profile with the prepared form the composite computation reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Installed {
    info: InstalledProfile,
    pub(crate) prepared: Prepared,
}

impl std::ops::Deref for Installed {
    type Target = InstalledProfile;
    fn deref(&self) -> &InstalledProfile {
        &self.info
    }
}

/// What an install did besides adding the profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InstallOutcome {
    /// Ids of the profiles it replaced (same id, or in 1.6 same stackLevel and purpose on
    /// the same connector).
    pub replaced: Vec<i32>,
}

/// Which profiles a clear removes: every given criterion must match (none given: all).
///
/// ```
/// use chargekit::profile::{ClearCriteria, ChargingProfilePurpose};
/// let c: ClearCriteria = serde_json::from_str(r#"{"purpose": "TxDefaultProfile", "stack_level": 2}"#).unwrap();
/// assert_eq!(c.purpose, Some(ChargingProfilePurpose::TxDefaultProfile));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ClearCriteria {
    /// The profile id.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub id: Option<i32>,
    /// The EVSE the profile was installed on (0 = station-wide ones).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub evse_id: Option<u32>,
    /// The purpose.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub purpose: Option<ChargingProfilePurpose>,
    /// The stack level.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stack_level: Option<u32>,
}

impl ClearCriteria {
    fn matches(&self, p: &InstalledProfile) -> bool {
        self.id.is_none_or(|id| id == p.id)
            && self.evse_id.is_none_or(|e| e == p.evse_id)
            && self.purpose.is_none_or(|u| u == p.purpose)
            && self.stack_level.is_none_or(|s| s == p.stack_level)
    }
}

/// The smart-charging state of one charging station: its installed profiles and running
/// transactions. Installs apply the station-side rules of OCPP 1.6 and 2.x; composite
/// schedules are computed from what is installed.
///
/// ```
/// use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion, Rule};
/// use chrono::{TimeZone, Utc};
/// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
/// let tx = r#"{"id": 5, "stackLevel": 0, "chargingProfilePurpose": "TxProfile", "transactionId": "T-1",
///   "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
///   "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10}]}]}"#;
/// // No transaction yet: K01.FR.09.
/// assert_eq!(st.install(tx, 1, ProfileVersion::V201).unwrap_err().rule(), Some(Rule::TxProfileWithoutTransaction));
/// st.start_transaction(1, Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(), Some("T-1".into())).unwrap();
/// st.install(tx, 1, ProfileVersion::V201).unwrap();
/// assert_eq!(st.profiles().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SmartChargingStation {
    config: StationConfig,
    profiles: Vec<Installed>,
    transactions: BTreeMap<u32, Transaction>,
    priority: BTreeSet<u32>,
    next_seq: u64,
}

impl SmartChargingStation {
    /// A station with no profiles and no transactions.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig};
    /// assert!(SmartChargingStation::new(StationConfig::with_evses(&[0])).is_err());
    /// ```
    pub fn new(config: StationConfig) -> Result<Self, Error> {
        config.check()?;
        Ok(Self {
            config,
            profiles: Vec::new(),
            transactions: BTreeMap::new(),
            priority: BTreeSet::new(),
            next_seq: 0,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &StationConfig {
        &self.config
    }

    /// The options.
    pub fn options(&self) -> &StationOptions {
        &self.config.options
    }

    /// The installed profiles, in installation order (copies: the station keeps its own).
    pub fn profiles(&self) -> Vec<InstalledProfile> {
        self.profiles.iter().map(|p| p.info.clone()).collect()
    }

    /// The installed profiles with their prepared form, in installation order.
    pub(crate) fn installed(&self) -> &[Installed] {
        &self.profiles
    }

    /// The transaction on an EVSE, if any.
    pub fn transaction(&self, evse_id: u32) -> Option<&Transaction> {
        self.transactions.get(&evse_id)
    }

    fn check_evse(&self, evse_id: u32) -> Result<(), Error> {
        if evse_id == 0 || self.config.evse_ids.contains(&evse_id) {
            Ok(())
        } else {
            Err(Error::UnknownEvse { evse_id })
        }
    }

    /// Starts a transaction on an EVSE at `at` (replacing a running one there).
    /// Relative profiles are anchored at `at`; TxProfiles must name `transaction_id` when
    /// it is given.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig};
    /// use chrono::Utc;
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// assert!(st.start_transaction(2, Utc::now(), None).is_err());
    /// st.start_transaction(1, Utc::now(), None).unwrap();
    /// assert!(st.transaction(1).is_some());
    /// ```
    pub fn start_transaction(
        &mut self,
        evse_id: u32,
        at: DateTime<Utc>,
        transaction_id: Option<String>,
    ) -> Result<(), Error> {
        if evse_id == 0 {
            return Err(Error::UnknownEvse { evse_id });
        }
        self.check_evse(evse_id)?;
        if let Some(old) = self.transactions.remove(&evse_id) {
            self.drop_tx_profiles(evse_id, old.transaction_id.as_deref());
        }
        self.transactions.insert(
            evse_id,
            Transaction {
                evse_id,
                started_at: at,
                transaction_id,
            },
        );
        Ok(())
    }

    /// Ends the transaction on an EVSE; its TxProfiles are removed (they belong to it).
    /// Returns the transaction that ended.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig};
    /// use chrono::Utc;
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// st.start_transaction(1, Utc::now(), Some("A".into())).unwrap();
    /// assert_eq!(st.stop_transaction(1).unwrap().transaction_id.as_deref(), Some("A"));
    /// assert!(st.stop_transaction(1).is_none());
    /// ```
    pub fn stop_transaction(&mut self, evse_id: u32) -> Option<Transaction> {
        let tx = self.transactions.remove(&evse_id)?;
        self.drop_tx_profiles(evse_id, tx.transaction_id.as_deref());
        self.priority.remove(&evse_id);
        Some(tx)
    }

    fn drop_tx_profiles(&mut self, evse_id: u32, _tx: Option<&str>) {
        self.profiles.retain(|p| {
            !(p.evse_id == evse_id
                && matches!(
                    p.purpose,
                    ChargingProfilePurpose::TxProfile | ChargingProfilePurpose::PriorityCharging
                ))
        });
    }

    /// Requests (or ends) priority charging on an EVSE (2.1): while requested, an
    /// installed PriorityCharging profile replaces Tx/TxDefault there.
    pub fn set_priority_charging(&mut self, evse_id: u32, on: bool) -> Result<(), Error> {
        self.check_evse(evse_id)?;
        if on {
            self.priority.insert(evse_id);
        } else {
            self.priority.remove(&evse_id);
        }
        Ok(())
    }

    pub(crate) fn priority_requested(&self, evse_id: u32) -> bool {
        self.priority.contains(&evse_id)
    }

    /// Installs a profile sent by the CSMS (SetChargingProfile), from JSON text in the
    /// given version's shape (2.0.1/2.1 `ChargingProfileType`, or 1.6 `csChargingProfiles`).
    ///
    /// A malformed profile is [`Error::InvalidProfile`] naming the field; a profile
    /// the station would reject is [`Error::ProfileRejected`](crate::Error::ProfileRejected) naming the rule.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion, Rule};
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let e = st.install(r#"{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
    ///   "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
    ///   "chargingSchedulePeriod": [{"startPeriod": 60, "limit": 10}]}]}"#, 0, ProfileVersion::V201).unwrap_err();
    /// assert_eq!(e.rule().unwrap().id(), "K01.FR.31");
    /// ```
    pub fn install(
        &mut self,
        json: &str,
        evse_id: u32,
        version: ProfileVersion,
    ) -> Result<InstallOutcome, Error> {
        let profile = ChargingProfile::from_json_version(json, version)?;
        self.install_profile(profile, evse_id, version)
    }

    /// Installs a profile sent by the CSMS, given as a parsed JSON value.
    pub fn install_value(
        &mut self,
        json: &serde_json::Value,
        evse_id: u32,
        version: ProfileVersion,
    ) -> Result<InstallOutcome, Error> {
        let profile = match version {
            ProfileVersion::V16 => {
                super::decode_value::<super::ChargingProfile16>("ChargingProfile (1.6)", json)?
                    .into()
            }
            _ => ChargingProfile::from_value(json)?,
        };
        self.install_profile(profile, evse_id, version)
    }

    /// Installs a typed profile sent by the CSMS.
    pub fn install_profile(
        &mut self,
        profile: ChargingProfile,
        evse_id: u32,
        version: ProfileVersion,
    ) -> Result<InstallOutcome, Error> {
        self.add(profile, evse_id, version, ProfileOrigin::Csms)
    }

    /// Sets a limit from a local actor such as an EMS: a ChargingStationExternalConstraints
    /// (or 2.1 LocalGeneration) profile, on EVSE 0 or (2.1) one EVSE.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ChargingProfile, ProfileVersion, Rule};
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let p = ChargingProfile::from_json(r#"{"id": 900, "stackLevel": 0,
    ///   "chargingProfilePurpose": "ChargingStationExternalConstraints", "chargingProfileKind": "Relative",
    ///   "chargingSchedule": [{"id": 1, "chargingRateUnit": "W", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}]}"#).unwrap();
    /// // The CSMS may not send it (K01.FR.22) ...
    /// assert_eq!(st.install_profile(p.clone(), 0, ProfileVersion::V201).unwrap_err().rule(), Some(Rule::ExternalConstraintsFromCsms));
    /// // ... a local EMS may.
    /// st.set_external_constraints(p, 0, ProfileVersion::V201).unwrap();
    /// ```
    pub fn set_external_constraints(
        &mut self,
        profile: ChargingProfile,
        evse_id: u32,
        version: ProfileVersion,
    ) -> Result<InstallOutcome, Error> {
        if !matches!(
            profile.charging_profile_purpose,
            ChargingProfilePurpose::ChargingStationExternalConstraints
                | ChargingProfilePurpose::LocalGeneration
        ) {
            return Err(rejected(
                Rule::Schema,
                format!(
                    "a local limit is a ChargingStationExternalConstraints or LocalGeneration profile, not {}",
                    profile.charging_profile_purpose
                ),
            ));
        }
        self.add(profile, evse_id, version, ProfileOrigin::Local)
    }

    fn add(
        &mut self,
        profile: ChargingProfile,
        evse_id: u32,
        version: ProfileVersion,
        origin: ProfileOrigin,
    ) -> Result<InstallOutcome, Error> {
        use ChargingProfilePurpose as P;
        let options = &self.config.options;
        let keep = options.duplicates == DuplicatePolicy::Keep;
        let purpose = profile.charging_profile_purpose;
        if self.check_evse(evse_id).is_err() {
            return Err(rejected(
                Rule::EvseUnknown,
                format!("EVSE {evse_id} does not exist"),
            ));
        }
        if origin == ProfileOrigin::Csms {
            if purpose == P::ChargingStationExternalConstraints {
                return Err(rejected(
                    Rule::ExternalConstraintsFromCsms,
                    "the CSMS must not set ChargingStationExternalConstraints",
                ));
            }
            if let Some(max) = options.max_external_constraints_id {
                if profile.id <= max {
                    return Err(rejected(
                        Rule::ExternalConstraintsIdReserved,
                        format!("ids up to {max} are reserved for external constraints"),
                    ));
                }
            }
            if !keep
                && self.profiles.iter().any(|p| {
                    p.id == profile.id && p.purpose == P::ChargingStationExternalConstraints
                })
            {
                return Err(rejected(
                    Rule::ExternalConstraintsIdInUse,
                    format!(
                        "id {} belongs to a ChargingStationExternalConstraints profile",
                        profile.id
                    ),
                ));
            }
        }

        let prepared = prepare(&profile, version, origin, options)?;

        match purpose {
            P::ChargingStationMaxProfile => {
                if evse_id != 0 {
                    return Err(rejected(
                        Rule::StationMaxOnEvse,
                        format!("a ChargingStationMaxProfile goes on EVSE 0, not {evse_id}"),
                    ));
                }
                if profile.charging_profile_kind == ChargingProfileKind::Relative {
                    return Err(rejected(
                        Rule::StationMaxRelative,
                        "a ChargingStationMaxProfile must not be Relative",
                    ));
                }
            }
            P::TxProfile => self.check_tx_profile(&profile, evse_id, version)?,
            _ => {}
        }

        let mut replaced = Vec::new();
        let mut remove: BTreeSet<u64> = BTreeSet::new();
        if !keep {
            // Same id: replace (K01.FR.05; 1.6 likewise).
            for p in &self.profiles {
                if p.id == profile.id {
                    remove.insert(p.seq);
                }
            }
            let strict = version.is_2x() || options.duplicates == DuplicatePolicy::Reject;
            for p in &self.profiles {
                if p.id == profile.id || p.purpose != purpose {
                    continue;
                }
                let same_stack = p.stack_level == profile.stack_level;
                if purpose == P::TxProfile {
                    // K01.FR.39 (and, for 1.6, the same connector).
                    let same_tx =
                        p.evse_id == evse_id && p.profile.transaction_id == profile.transaction_id;
                    if same_stack && same_tx {
                        if strict {
                            return Err(rejected(
                                Rule::TxProfileStackLevelConflict,
                                format!(
                                    "TxProfile {} has stackLevel {} for the same transaction",
                                    p.id, profile.stack_level
                                ),
                            ));
                        }
                        remove.insert(p.seq);
                    }
                    continue;
                }
                if same_stack && p.evse_id == evse_id && overlaps(p, &profile) {
                    if strict {
                        return Err(rejected(
                            Rule::DuplicateValidity,
                            format!(
                                "profile {} has the same stackLevel {}, purpose and EVSE with overlapping validity",
                                p.id,
                                profile.stack_level
                            ),
                        ));
                    }
                    remove.insert(p.seq);
                }
                if purpose == P::TxDefaultProfile
                    && version.is_2x()
                    && same_stack
                    && (p.evse_id == 0) != (evse_id == 0)
                {
                    return Err(rejected(
                        Rule::DuplicateTxDefaultStackLevel,
                        format!(
                            "TxDefaultProfile {} on EVSE {} has stackLevel {}",
                            p.id, p.evse_id, profile.stack_level
                        ),
                    ));
                }
            }
            // 2.1 K01.FR.141: phaseToUse conflicting with other applicable profiles.
            if let Some(mine) = phase_to_use(&profile) {
                for p in &self.profiles {
                    if remove.contains(&p.seq) {
                        continue;
                    }
                    let applicable = p.evse_id == 0 || evse_id == 0 || p.evse_id == evse_id;
                    if let Some(theirs) = phase_to_use(&p.profile) {
                        if applicable && theirs != mine {
                            return Err(rejected(
                                Rule::PhaseConflict,
                                format!(
                                    "phaseToUse {mine} conflicts with phaseToUse {theirs} of profile {}",
                                    p.id
                                ),
                            ));
                        }
                    }
                }
            }
        }
        for p in &self.profiles {
            if remove.contains(&p.seq) {
                replaced.push(p.id);
            }
        }
        self.profiles.retain(|p| !remove.contains(&p.seq));
        let seq = self.next_seq;
        self.next_seq += 1;
        self.profiles.push(Installed {
            info: InstalledProfile {
                id: profile.id,
                evse_id,
                purpose: profile.charging_profile_purpose,
                stack_level: profile.stack_level,
                version,
                origin,
                seq,
                profile,
            },
            prepared,
        });
        Ok(InstallOutcome { replaced })
    }

    fn check_tx_profile(
        &self,
        profile: &ChargingProfile,
        evse_id: u32,
        version: ProfileVersion,
    ) -> Result<(), Error> {
        if evse_id == 0 {
            return Err(rejected(
                Rule::TxProfileOnStation,
                "a TxProfile needs an EVSE (evseId > 0)",
            ));
        }
        if version.is_2x() && profile.transaction_id.is_none() {
            return Err(rejected(
                Rule::TxProfileMissingTransactionId,
                "a TxProfile needs a transactionId",
            ));
        }
        let tx = self.transactions.get(&evse_id).ok_or_else(|| {
            rejected(
                Rule::TxProfileWithoutTransaction,
                format!("no transaction is active on EVSE {evse_id}"),
            )
        })?;
        if let (Some(wanted), Some(running)) = (&profile.transaction_id, &tx.transaction_id) {
            if wanted != running {
                return Err(rejected(
                    Rule::TxProfileTransactionNotOnEvse,
                    format!(
                        "transaction {wanted:?} is not the one on EVSE {evse_id} ({running:?})"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Removes the profiles matching the criteria, as ClearChargingProfile from the CSMS:
    /// external constraints are never cleared this way (a criterion naming that purpose is
    /// rejected, K10.FR.06). Returns the ids removed (empty: OCPP status `Unknown`).
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion, ClearCriteria};
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// for (id, level) in [(1, 0), (2, 1)] {
    ///     st.install(&format!(r#"{{"id": {id}, "stackLevel": {level}, "chargingProfilePurpose": "TxDefaultProfile",
    ///       "chargingProfileKind": "Relative", "chargingSchedule": [{{"id": 1, "chargingRateUnit": "A",
    ///       "chargingSchedulePeriod": [{{"startPeriod": 0, "limit": 10}}]}}]}}"#), 0, ProfileVersion::V201).unwrap();
    /// }
    /// let gone = st.clear(&ClearCriteria { stack_level: Some(1), ..ClearCriteria::default() }).unwrap();
    /// assert_eq!(gone, vec![2]);
    /// assert_eq!(st.profiles().len(), 1);
    /// ```
    pub fn clear(&mut self, criteria: &ClearCriteria) -> Result<Vec<i32>, Error> {
        if criteria.purpose == Some(ChargingProfilePurpose::ChargingStationExternalConstraints) {
            return Err(rejected(
                Rule::ExternalConstraintsFromCsms,
                "the CSMS cannot clear ChargingStationExternalConstraints (K10.FR.06)",
            ));
        }
        Ok(self.remove_where(|p| p.origin == ProfileOrigin::Csms && criteria.matches(p)))
    }

    /// Removes locally set limits (external constraints, local generation) matching the
    /// criteria. Returns the ids removed.
    pub fn clear_external_constraints(&mut self, criteria: &ClearCriteria) -> Vec<i32> {
        self.remove_where(|p| p.origin == ProfileOrigin::Local && criteria.matches(p))
    }

    fn remove_where(&mut self, f: impl Fn(&Installed) -> bool) -> Vec<i32> {
        let mut ids = Vec::new();
        self.profiles.retain(|p| {
            if f(p) {
                ids.push(p.id);
                false
            } else {
                true
            }
        });
        ids
    }

    /// The composite schedule of an EVSE (or of the whole station for EVSE 0) over
    /// `[start, start + duration_s)`, as GetCompositeSchedule computes it. `start` is "now":
    /// periods that ended before it are gone, Recurring profiles are placed from it.
    /// A negative duration counts as 0; a duration of 0 still yields the limit in force at
    /// `start`; one above [`MAX_COMPOSITE_DURATION_S`](super::MAX_COMPOSITE_DURATION_S) is
    /// `CompositeTooLong`. Without a unit, the station's `preferred_unit` is used.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ChargingRateUnit};
    /// use chrono::Utc;
    /// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let s = st.composite_schedule(1, Utc::now(), 600, Some(ChargingRateUnit::W)).unwrap();
    /// assert_eq!(s.periods.len(), 1);
    /// assert_eq!(s.periods[0].limit.unwrap().to_string(), "33120"); // the default: no profile applies
    /// assert!(st.composite_schedule(7, Utc::now(), 600, None).is_err());
    /// let long = st.composite_schedule(1, Utc::now(), 1 << 40, None).unwrap_err();
    /// assert_eq!(long.kind(), "composite_too_long");
    /// ```
    pub fn composite_schedule(
        &self,
        evse_id: u32,
        start: DateTime<Utc>,
        duration_s: i64,
        unit: Option<ChargingRateUnit>,
    ) -> Result<CompositeSchedule, Error> {
        self.check_evse(evse_id)?;
        if duration_s > super::MAX_COMPOSITE_DURATION_S {
            return Err(Error::CompositeTooLong {
                duration_s,
                limit_s: super::MAX_COMPOSITE_DURATION_S,
            });
        }
        let unit = unit.unwrap_or(self.config.options.preferred_unit);
        if !self.config.options.supported_units.contains(&unit) {
            return Err(rejected(
                Rule::RateUnitUnsupported,
                format!("the station does not support unit {unit}"),
            ));
        }
        composite::compute(
            self,
            evse_id,
            start,
            duration_s.max(0),
            unit,
            composite::Scope::Full,
        )
    }
    /// Plans a TxProfile for the transaction on an EVSE from the driver's preferences
    /// ([`plan_tx_profile`](super::plan_tx_profile)), capped by what the station allows
    /// there without a TxProfile (ChargingStationMaxProfile and external constraints, with
    /// the default limit in gaps). The unit defaults to the station's preferred unit.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ChargingPreferences, ProfileVersion, UnmetWish};
    /// use chrono::{TimeZone, Utc};
    /// use rust_decimal::Decimal;
    /// let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let now = Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap();
    /// st.start_transaction(1, now, Some("T9".into())).unwrap();
    /// let prefs = ChargingPreferences { max_current_a: Some(Decimal::from(32)), max_energy_wh: Some(Decimal::from(60_000)),
    ///     departure: Some(Utc.with_ymd_and_hms(2026, 3, 10, 19, 0, 0).unwrap()), ..Default::default() };
    /// let plan = st.plan_preferences(1, &prefs, now, 50, 1, None).unwrap();
    /// // The station's default of 48 A does not cap 32 A; one hour at 32 A x 230 V x 3 = 22 080 Wh.
    /// assert!(matches!(plan.unmet[0], UnmetWish::EnergyShortfall { .. }));
    /// assert_eq!(plan.deliverable_wh, Some(Decimal::from(22_080)));
    /// st.install_profile(plan.profile, 1, ProfileVersion::V201).unwrap();
    /// ```
    pub fn plan_preferences(
        &self,
        evse_id: u32,
        prefs: &ChargingPreferences,
        now: DateTime<Utc>,
        profile_id: i32,
        stack_level: u32,
        unit: Option<ChargingRateUnit>,
    ) -> Result<PreferencePlan, Error> {
        if evse_id == 0 {
            return Err(Error::UnknownEvse { evse_id });
        }
        self.check_evse(evse_id)?;
        let unit = unit.unwrap_or(self.config.options.preferred_unit);
        let horizon = prefs
            .departure
            .or_else(|| prefs.off_peak.iter().map(|w| w.end).max())
            .filter(|h| *h > now)
            .unwrap_or(now + chrono::Duration::hours(48));
        let cap = composite::compute(
            self,
            evse_id,
            now,
            (horizon - now).num_seconds().max(1),
            unit,
            composite::Scope::LimitsOnly,
        )?;
        let station_limit = cap
            .periods
            .iter()
            .filter_map(|p| {
                p.limit.map(|l| {
                    (
                        cap.schedule_start + chrono::Duration::seconds(i64::from(p.start_period)),
                        l,
                    )
                })
            })
            .collect();
        let ctx = PlanContext {
            now,
            profile_id,
            stack_level,
            transaction_id: self
                .transaction(evse_id)
                .and_then(|t| t.transaction_id.clone()),
            unit,
            number_phases: self.config.default_number_phases,
            supply_voltage: self.config.supply_voltage,
            max_periods: self.config.options.max_periods,
            station_limit,
        };
        plan_tx_profile(prefs, &ctx)
    }
}

fn overlaps(a: &InstalledProfile, b: &ChargingProfile) -> bool {
    let (af, at) = (a.profile.valid_from, a.profile.valid_to);
    let starts_before_b_ends = match (af, b.valid_to) {
        (Some(f), Some(t)) => f < t,
        _ => true,
    };
    let b_starts_before_a_ends = match (b.valid_from, at) {
        (Some(f), Some(t)) => f < t,
        _ => true,
    };
    starts_before_b_ends && b_starts_before_a_ends
}

fn phase_to_use(p: &ChargingProfile) -> Option<u8> {
    p.charging_schedule
        .iter()
        .flat_map(|s| s.charging_schedule_period.iter())
        .find_map(|q| q.phase_to_use)
}
