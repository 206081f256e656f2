//! `StationOptions`: the named choices for the points OCPP leaves open, numbered as in
//! `docs/charging-profiles.md` §3 (the `§3 #n` below).
//!
//! The defaults equal EVerest libocpp, which passes OCTT, and reproduce the composite vectors
//! in `core/tests/vectors/composite`; each alternative is a named value.

use super::decode_json;
use super::model::ChargingRateUnit;
use crate::Error;
use serde::{Deserialize, Serialize};

/// §3 #1: the value reported where no profile applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum GapFill {
    /// The station's default limit (`default_limit_amps` / `default_limit_watts`).
    #[default]
    DefaultLimit,
    /// No limit: the period's limit is `None` (codetics; MicroOcpp writes −1).
    NoLimit,
}

/// §3 #2: whether a Recurring profile applies before its `startSchedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecurringBeforeStart {
    /// Occurrences are projected backwards; only `validFrom` bounds them.
    #[default]
    Apply,
    /// Occurrences before `startSchedule` do not exist.
    Ignore,
}

/// §3 #3: what EVSE (connector) 0 means in a composite-schedule request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Evse0 {
    /// The grid connection: per-EVSE composites (gaps count as the default) are summed,
    /// then capped by the ChargingStationMaxProfile.
    #[default]
    SumOfEvses,
    /// Only the profiles installed on EVSE 0, as for a single EVSE (codetics).
    StationProfilesOnly,
}

/// §3 #4: which phase count converts between W and A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PhaseSource {
    /// Limits are combined per unit, then converted with the smallest `numberPhases`
    /// present in the period (else the default).
    #[default]
    ResultMin,
    /// Every profile's limit is converted with its own `numberPhases` (else the default)
    /// before the minimum is taken (codetics).
    PerProfile,
}

/// §3 #6: stacking of 1.6 profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Stacking16 {
    /// Outside the winner's periods, evaluation falls through to lower stack levels (the
    /// 2.x reading, what every implementation does).
    #[default]
    FallThrough,
    /// "The highest valid profile prevails": where the highest-stack profile that is valid
    /// (validFrom..validTo) has no period, nothing of that purpose applies. Applies to
    /// profiles installed as 1.6.
    Literal,
}

/// §3 #7: a Relative profile when the EVSE has no transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RelativeWithoutTx {
    /// Anchor it at the request time, as if a transaction had just started (EVerest).
    #[default]
    AnchorAtRequest,
    /// Leave it out.
    Skip,
}

/// §3 #9 and K01.FR.05/06/39/53: profiles that duplicate an installed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// As each protocol says: the same id replaces (1.6 and 2.x, K01.FR.05); in 2.x a
    /// different id with the same stackLevel, purpose and EVSE and overlapping validity is
    /// rejected (K01.FR.06, .39, .53); in 1.6 it replaces the older profile.
    #[default]
    Protocol,
    /// Reject duplicates in 1.6 as well (the 2.x behaviour).
    Reject,
    /// Keep every profile, even with the same id: for replaying a profile database or a
    /// test corpus (EVerest's unit tests store profiles without these checks).
    Keep,
}

/// §3 #10: precision of limits in 1.6 output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LimitRounding {
    /// Floor to a multiple of 0.1, never exceeding a limit.
    #[default]
    Floor01,
    /// Round to the nearest multiple of 0.1 (half away from zero).
    Nearest01,
}

/// The named options of a [`SmartChargingStation`](super::SmartChargingStation).
///
/// Constructible from JSON with snake_case names; missing fields keep their defaults and
/// unknown fields are errors. In Kotlin and Swift a record: the fields of literal type carry
/// their defaults; the enum fields have none there (UniFFI cannot declare them), so start from
/// `defaultStationOptions()` and change what differs.
///
/// ```
/// use chargekit::profile::{StationOptions, GapFill, Evse0};
/// let o = StationOptions::from_json(r#"{"gap_fill": "no_limit", "evse0": "station_profiles_only"}"#).unwrap();
/// assert_eq!(o.gap_fill, GapFill::NoLimit);
/// assert_eq!(o.evse0, Evse0::StationProfilesOnly);
/// assert!(o.merge_equal_adjacent);
/// assert!(StationOptions::from_json(r#"{"gap_fil": "no_limit"}"#).is_err());
/// assert_eq!(StationOptions::from_json(&StationOptions::default().to_json()).unwrap(), StationOptions::default());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct StationOptions {
    /// §3 #1.
    pub gap_fill: GapFill,
    /// §3 #2.
    pub recurring_before_start: RecurringBeforeStart,
    /// §3 #3.
    pub evse0: Evse0,
    /// §3 #4.
    pub phase_source: PhaseSource,
    /// §3 #5: merge adjacent periods with equal limit and phases (OCTT counts periods).
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub merge_equal_adjacent: bool,
    /// §3 #6.
    pub stacking16: Stacking16,
    /// §3 #7.
    pub relative_without_tx: RelativeWithoutTx,
    /// §3 #8: count Tx/TxDefault profiles on EVSEs without a transaction (a forecast).
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub simulate_transaction: bool,
    /// §3 #9.
    pub duplicates: DuplicatePolicy,
    /// §3 #10.
    pub limit_rounding: LimitRounding,
    /// §3 #11: report the default `numberPhases` where no input gave one (EVerest's full
    /// stack writes 3 at install time, K01.FR.49).
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub report_default_phases: bool,
    /// K01.FR.26: the units the station accepts (`ChargingScheduleChargingRateUnit`).
    pub supported_units: Vec<ChargingRateUnit>,
    /// Unit of a composite schedule requested without one (A for AC).
    pub preferred_unit: ChargingRateUnit,
    /// K01.FR.20: `ACPhaseSwitchingSupported`.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub ac_phase_switching_supported: bool,
    /// K01.FR.81 (2.1): ids up to this value are reserved for external constraints.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max_external_constraints_id: Option<i32>,
    /// `ChargingScheduleMaxPeriods`: most periods per schedule the station accepts.
    #[cfg_attr(feature = "uniffi", uniffi(default = 1024))]
    pub max_periods: u32,
    /// Phases of the station's supply (K01.FR.45: larger `numberPhases` are rejected).
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub supply_phases: u8,
}

impl Default for StationOptions {
    fn default() -> Self {
        Self {
            gap_fill: GapFill::default(),
            recurring_before_start: RecurringBeforeStart::default(),
            evse0: Evse0::default(),
            phase_source: PhaseSource::default(),
            merge_equal_adjacent: true,
            stacking16: Stacking16::default(),
            relative_without_tx: RelativeWithoutTx::default(),
            simulate_transaction: false,
            duplicates: DuplicatePolicy::default(),
            limit_rounding: LimitRounding::default(),
            report_default_phases: false,
            supported_units: vec![ChargingRateUnit::A, ChargingRateUnit::W],
            preferred_unit: ChargingRateUnit::A,
            ac_phase_switching_supported: false,
            max_external_constraints_id: None,
            max_periods: 1024,
            supply_phases: 3,
        }
    }
}

impl StationOptions {
    /// Reads options from JSON (snake_case fields; unknown fields are errors).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        decode_json("StationOptions", text).map_err(|e| match e {
            Error::InvalidProfile {
                field,
                reason: message,
                ..
            } => Error::InvalidStationConfig {
                reason: format!("options: field `{field}`: {message}"),
            },
            other => other,
        })
    }

    /// The options as JSON (every field).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
