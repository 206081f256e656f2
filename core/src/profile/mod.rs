//! Smart charging: OCPP charging profiles, their validation, a per-station profile
//! store and the composite schedule (the limit an EVSE or the whole station is under).
//!
//! Owns: charging profiles (1.6, 2.0.1, 2.1), the station store with its install rules,
//! composite schedules and preference plans. Imports: the foundation, and the 2.1 operation
//! mode from `ocpp`.
//!
//! * [`ChargingProfile`] is the OCPP 2.0.1 / 2.1 `ChargingProfileType` in and out of JSON
//!   (2.1 per-phase limits, setpoints and the other 2.1 fields are carried through);
//!   [`ChargingProfile16`] is the OCPP 1.6 `csChargingProfiles`, converted both ways.
//! * [`SmartChargingStation`] stores the installed profiles of one station and applies the
//!   install rules of 1.6 and 2.x; every rejection is a [`Error::ProfileRejected`](crate::Error::ProfileRejected) naming the
//!   [`Rule`] (e.g. `K01.FR.06`).
//! * [`SmartChargingStation::composite_schedule`] computes the composite schedule for an EVSE
//!   or for EVSE 0 over a window; each output period names the profile that set the binding
//!   limit. The ambiguous points of the protocol are the named options of [`StationOptions`];
//!   the defaults reproduce EVerest libocpp (and the composite vectors in
//!   `core/tests/vectors/composite`).
//! * [`plan_tx_profile`] turns a driver's preferences into a TxProfile and says which wishes
//!   cannot be met.
//!
//! The rules are written up in `docs/charging-profiles.md`; section numbers (§) in this
//! module's documentation refer to that page.
//!
//! ```
//! use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion, ChargingRateUnit};
//! use chrono::{TimeZone, Utc};
//!
//! let mut station = SmartChargingStation::new(StationConfig::with_evses(&[1, 2])).unwrap();
//! station.install(r#"{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",
//!     "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1,
//!     "startSchedule": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
//!     "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32}, {"startPeriod": 3600, "limit": 16}]}]}"#,
//!     0, ProfileVersion::V201).unwrap();
//! let at = Utc.with_ymd_and_hms(2026, 3, 10, 8, 30, 0).unwrap();
//! let schedule = station.composite_schedule(1, at, 3600, Some(ChargingRateUnit::A)).unwrap();
//! let limits: Vec<String> = schedule.periods.iter().map(|p| format!("{}@{}", p.limit.unwrap(), p.start_period)).collect();
//! assert_eq!(limits, ["32@0", "16@1800"]);
//! assert_eq!(schedule.periods[1].binding.unwrap().id, 1);
//! ```

mod case;
mod composite;
mod model;
mod options;
mod preferences;
mod response;
mod serde_util;
mod store;
mod v16;
mod validate;

pub use case::{CompositeCase, CompositeRequest};
pub use composite::{
    CompositePeriod, CompositeSchedule, EvseLimitSource, LimitSourceKind, ProfileRef,
};
pub use model::{
    ChargingProfile, ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit,
    ChargingSchedule, ChargingSchedulePeriod, OperationMode, RecurrencyKind,
};
pub use options::{
    DuplicatePolicy, Evse0, GapFill, LimitRounding, PhaseSource, RecurringBeforeStart,
    RelativeWithoutTx, Stacking16, StationOptions,
};
pub(crate) use preferences::{build_tx_profile, TxProfileSpec};
pub use preferences::{
    plan_tx_profile, ChargingPreferences, PlanContext, PreferencePlan, TimeWindow, UnmetWish,
};
pub use response::{read_composite_response, CompositeResponse};
pub use store::{
    ClearCriteria, InstallOutcome, InstalledProfile, ProfileOrigin, SmartChargingStation,
    StationConfig, Transaction,
};
pub use v16::{
    ChargingProfile16, ChargingProfilePurpose16, ChargingSchedule16, ChargingSchedulePeriod16,
};

use crate::Error;

pub use crate::limits::{MAX_COMPOSITE_DURATION_S, MAX_COMPOSITE_PERIODS};

/// An OCPP charging profile at the FFI boundary: its 2.x JSON text (`String` in Kotlin and
/// Swift, e.g. `PreferencePlan.profileJson`), read back with the schema checks of
/// [`ChargingProfile::from_json`].
#[cfg(feature = "uniffi")]
pub type ChargingProfileJson = ChargingProfile;

#[cfg(feature = "uniffi")]
uniffi::custom_type!(ChargingProfileJson, String, {
    lower: |p| p.to_json(),
    try_lift: |text| ChargingProfile::from_json(&text).map_err(Into::into),
});

use std::fmt;
use std::str::FromStr;

impl Error {
    /// The rule of a rejection ([`Error::ProfileRejected`]).
    ///
    /// ```
    /// use chargekit::profile::Rule;
    /// use chargekit::Error;
    /// let e = Error::ProfileRejected {
    ///     rule_id: "K01.FR.06".into(), rule_name: "DuplicateValidity".into(), reason: String::new(),
    /// };
    /// assert_eq!(e.rule(), Some(Rule::DuplicateValidity));
    /// ```
    pub fn rule(&self) -> Option<Rule> {
        match self {
            Error::ProfileRejected { rule_name, .. } => {
                Rule::ALL.iter().copied().find(|r| r.name() == rule_name)
            }
            _ => None,
        }
    }
}

/// The rejection of a profile by `rule`.
pub(crate) fn rejected(rule: Rule, reason: impl Into<String>) -> Error {
    Error::ProfileRejected {
        rule_id: rule.id().to_string(),
        rule_name: rule.name().to_string(),
        reason: reason.into(),
    }
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident => $id:literal ),+ $(,)?) => {
        /// A validation rule of OCPP smart charging (`docs/charging-profiles.md` §2.5), by
        /// which a station rejects a profile. [`Rule::id`] is the requirement id of OCPP 2.x
        /// (1.6 installs cite the same ids for the equivalent checks); [`Rule::name`] is a
        /// stable name for bindings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $( $(#[$doc])* $variant ),+
        }

        impl Rule {
            /// Every rule.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// The requirement id, e.g. `K01.FR.06`; `schema` for schema violations.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),+ }
            }

            /// The stable name of the rule (the variant name).
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => stringify!($variant)),+ }
            }
        }
    };
}

rules! {
    /// A TxProfile needs a `transactionId`.
    TxProfileMissingTransactionId => "K01.FR.03",
    /// A TxProfile needs an EVSE (evseId > 0).
    TxProfileOnStation => "K01.FR.16",
    /// A TxProfile needs an active transaction on its EVSE.
    TxProfileWithoutTransaction => "K01.FR.09",
    /// The TxProfile's `transactionId` is not the transaction on that EVSE.
    TxProfileTransactionNotOnEvse => "K01.FR.33",
    /// A ChargingStationMaxProfile must not be Relative.
    StationMaxRelative => "K01.FR.38",
    /// A ChargingStationMaxProfile applies to the whole station (evseId 0 only).
    StationMaxOnEvse => "SetChargingProfileRequest.evseId",
    /// The CSMS must not send ChargingStationExternalConstraints.
    ExternalConstraintsFromCsms => "K01.FR.22",
    /// The id belongs to an existing ChargingStationExternalConstraints profile, which the
    /// CSMS cannot replace.
    ExternalConstraintsIdInUse => "K01.FR.05",
    /// Same stackLevel, purpose and EVSE as an existing profile, with overlapping validity.
    DuplicateValidity => "K01.FR.06",
    /// A TxProfile with the same stackLevel and transactionId already exists.
    TxProfileStackLevelConflict => "K01.FR.39",
    /// The `chargingRateUnit` is not supported by the station.
    RateUnitUnsupported => "K01.FR.26",
    /// The first `startPeriod` must be 0.
    FirstPeriodNotZero => "K01.FR.31",
    /// `startPeriod`s must strictly increase.
    PeriodsOutOfOrder => "K01.FR.35",
    /// Absolute and Recurring profiles need a `startSchedule`.
    StartScheduleMissing => "K01.FR.40",
    /// A Relative profile must not have a `startSchedule`.
    StartScheduleExtraneous => "K01.FR.41",
    /// `phaseToUse` is only allowed with `numberPhases` = 1.
    PhaseToUseWithoutSinglePhase => "K01.FR.19",
    /// `phaseToUse` needs `ACPhaseSwitchingSupported`.
    PhaseSwitchingUnsupported => "K01.FR.20",
    /// `numberPhases` above what the station's supply offers.
    NumberPhasesUnsupported => "K01.FR.45",
    /// A TxDefaultProfile on EVSE 0 and one on an EVSE share a stackLevel.
    DuplicateTxDefaultStackLevel => "K01.FR.53",
    /// A PriorityCharging profile must not have a `duration`.
    PriorityChargingDuration => "K01.FR.73",
    /// A PriorityCharging profile may only have ChargingOnly periods.
    PriorityChargingMode => "K01.FR.70",
    /// An `operationMode` the purpose does not allow (2.1 K01.FR.111–113).
    OperationModeNotAllowed => "K01.FR.114",
    /// Conflicting `phaseToUse` (OCPP 2.1 "PhaseConflict").
    PhaseConflict => "K01.FR.141",
    /// `limit_L2`/`limit_L3` from the CSMS are only allowed in a TxProfile (K01.FR.143).
    PhaseLimitsOutsideTxProfile => "K01.FR.144",
    /// `limit_L2`/`limit_L3` are only allowed together with `limit` (K01.FR.145).
    PhaseLimitsWithoutLimit => "K01.FR.146",
    /// The id lies in the range reserved for external constraints (`MaxExternalConstraintsId`).
    ExternalConstraintsIdReserved => "K01.FR.81",
    /// The EVSE does not exist.
    EvseUnknown => "K01.FR.28",
    /// A schema violation: empty schedule, negative limit, too many periods or schedules,
    /// validTo before validFrom, a 1.6 value that is not a multiple of 0.1, a field the
    /// protocol version lacks, ...
    Schema => "schema",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The OCPP version a profile is written in.
///
/// ```
/// use chargekit::profile::ProfileVersion;
/// assert_eq!("1.6".parse::<ProfileVersion>().unwrap(), ProfileVersion::V16);
/// assert_eq!("2.1".parse::<ProfileVersion>().unwrap(), ProfileVersion::V21);
/// assert_eq!(ProfileVersion::V201.to_string(), "2.0.1");
/// assert!("3.0".parse::<ProfileVersion>().is_err());
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ProfileVersion {
    /// OCPP 1.6 (`csChargingProfiles`).
    #[serde(rename = "1.6")]
    V16,
    /// OCPP 2.0.1 (`ChargingProfileType`).
    #[default]
    #[serde(rename = "2.0.1")]
    V201,
    /// OCPP 2.1 (`ChargingProfileType` with the 2.1 fields).
    #[serde(rename = "2.1")]
    V21,
}

impl ProfileVersion {
    /// True for 2.0.1 and 2.1.
    pub fn is_2x(self) -> bool {
        !matches!(self, ProfileVersion::V16)
    }
}

/// The version's name, for Kotlin and Swift (`wireName()`); Rust has `Display`.
#[cfg(feature = "uniffi")]
#[uniffi::export]
impl ProfileVersion {
    /// The version's name: `"1.6"`, `"2.0.1"` or `"2.1"`.
    pub fn wire_name(&self) -> String {
        self.to_string()
    }
}

impl FromStr for ProfileVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().trim_start_matches("ocpp") {
            "1.6" | "16" | "1.6j" | "1.6-j" => Ok(Self::V16),
            "2.0.1" | "201" | "2.0" => Ok(Self::V201),
            "2.1" | "21" => Ok(Self::V21),
            other => Err(Error::InvalidStationConfig {
                reason: format!(
                    "unsupported OCPP version {other:?}; expected \"1.6\", \"2.0.1\" or \"2.1\""
                ),
            }),
        }
    }
}

impl fmt::Display for ProfileVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V16 => "1.6",
            Self::V201 => "2.0.1",
            Self::V21 => "2.1",
        })
    }
}

pub(crate) use composite::convert;

/// Decodes JSON text into `T`, naming the failing field path on error.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| json_error(what, e))?;
    de.end().map_err(|e| Error::InvalidProfile {
        what: what.to_string(),
        field: String::new(),
        reason: e.to_string(),
    })?;
    Ok(value)
}

/// Decodes a parsed JSON value into `T`, naming the failing field path on error.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &serde_json::Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| json_error(what, e))
}

fn json_error<E: fmt::Display>(what: &str, e: serde_path_to_error::Error<E>) -> Error {
    let field = e.path().to_string();
    Error::InvalidProfile {
        what: what.to_string(),
        field: if field == "." { String::new() } else { field },
        reason: e.into_inner().to_string(),
    }
}
