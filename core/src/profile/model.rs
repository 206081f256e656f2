//! The OCPP 2.0.1 / 2.1 `ChargingProfileType` JSON model.
//!
//! One model serves both versions: 2.1 only adds fields. Every 2.1 field is modelled, so
//! a profile read and written again loses nothing; the ones chargekit does not interpret
//! (price schedules, V2X curves, `limitAtSoC`, `customData`) are kept as JSON values.
//! Limits are exact decimals written as JSON numbers; timestamps are UTC.

use super::serde_util::{opt_number, opt_time};
use super::{decode_json, decode_value, ProfileVersion};
use crate::enums::wire_enum;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

wire_enum! {
    /// `ChargingProfilePurposeEnumType` (2.0.1, plus the two 2.1 purposes).
    pub enum ChargingProfilePurpose {
        /// Limits set locally (e.g. by an EMS); the CSMS cannot set them.
        ChargingStationExternalConstraints = "ChargingStationExternalConstraints",
        /// The overall limit of the station (1.6 `ChargePointMaxProfile`).
        ChargingStationMaxProfile = "ChargingStationMaxProfile",
        /// Default for new transactions (station-wide at EVSE 0, or one EVSE).
        TxDefaultProfile = "TxDefaultProfile",
        /// For one running transaction.
        TxProfile = "TxProfile",
        /// 2.1: replaces Tx/TxDefault while priority charging is requested.
        PriorityCharging = "PriorityCharging",
        /// 2.1: capacity from local generation, added to the other limits.
        LocalGeneration = "LocalGeneration",
    }
}

wire_enum! {
    /// `ChargingProfileKindEnumType`.
    pub enum ChargingProfileKind {
        /// Periods relative to `startSchedule`.
        Absolute = "Absolute",
        /// Repeats daily or weekly from `startSchedule`.
        Recurring = "Recurring",
        /// Periods relative to the start of the transaction.
        Relative = "Relative",
        /// 2.1: one period updated by the CSMS (`UpdateDynamicSchedule`).
        Dynamic = "Dynamic",
    }
}

wire_enum! {
    /// `RecurrencyKindEnumType`.
    pub enum RecurrencyKind {
        /// Every 24 hours.
        Daily = "Daily",
        /// Every 7 days.
        Weekly = "Weekly",
    }
}

impl RecurrencyKind {
    /// The recurrence period in seconds (86 400 or 604 800).
    ///
    /// ```
    /// use chargekit::profile::RecurrencyKind;
    /// assert_eq!(RecurrencyKind::Weekly.period_s(), 604_800);
    /// ```
    pub fn period_s(self) -> i64 {
        match self {
            RecurrencyKind::Daily => 86_400,
            RecurrencyKind::Weekly => 604_800,
        }
    }
}

wire_enum! {
    /// `ChargingRateUnitEnumType`: amperes per phase or watts in total.
    pub enum ChargingRateUnit {
        /// Current per phase, in A.
        A = "A",
        /// Total active power, in W.
        W = "W",
    }
}

/// `OperationModeEnumType` (2.1), shared with the transaction messages.
pub use crate::ocpp::v201::OperationMode;

/// `ChargingSchedulePeriodType`: from `startPeriod` on, until the next period starts.
///
/// `limit` is required in 2.0.1 and optional in 2.1 (a setpoint-only period); the station
/// validation enforces the 2.0.1 rule.
///
/// ```
/// use chargekit::profile::ChargingSchedulePeriod;
/// let p: ChargingSchedulePeriod = serde_json::from_str(
///     r#"{"startPeriod": 0, "limit": 16.0, "limit_L2": 10, "limit_L3": 10, "numberPhases": 3}"#).unwrap();
/// assert_eq!(p.limit_l2.unwrap().to_string(), "10");
/// let back = serde_json::to_value(&p).unwrap();
/// assert_eq!(back["limit_L3"], serde_json::json!(10));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingSchedulePeriod {
    /// Seconds from the start of the schedule.
    pub start_period: u32,
    /// Limit in the schedule's unit (per phase for A, total for W).
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub limit: Option<Decimal>,
    /// 2.1: limit on phase L2.
    #[serde(
        rename = "limit_L2",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_l2: Option<Decimal>,
    /// 2.1: limit on phase L3.
    #[serde(
        rename = "limit_L3",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_l3: Option<Decimal>,
    /// Number of phases that may be used (AC; default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_phases: Option<u8>,
    /// The phase to use when `numberPhases` is 1 (1, 2 or 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase_to_use: Option<u8>,
    /// 2.1: discharge limit (≤ 0).
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub discharge_limit: Option<Decimal>,
    /// 2.1: discharge limit on L2.
    #[serde(
        rename = "dischargeLimit_L2",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub discharge_limit_l2: Option<Decimal>,
    /// 2.1: discharge limit on L3.
    #[serde(
        rename = "dischargeLimit_L3",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub discharge_limit_l3: Option<Decimal>,
    /// 2.1: setpoint (negative = discharge).
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub setpoint: Option<Decimal>,
    /// 2.1: setpoint on L2.
    #[serde(
        rename = "setpoint_L2",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub setpoint_l2: Option<Decimal>,
    /// 2.1: setpoint on L3.
    #[serde(
        rename = "setpoint_L3",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub setpoint_l3: Option<Decimal>,
    /// 2.1: reactive power setpoint.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub setpoint_reactive: Option<Decimal>,
    /// 2.1: reactive setpoint on L2.
    #[serde(
        rename = "setpointReactive_L2",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub setpoint_reactive_l2: Option<Decimal>,
    /// 2.1: reactive setpoint on L3.
    #[serde(
        rename = "setpointReactive_L3",
        default,
        with = "opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub setpoint_reactive_l3: Option<Decimal>,
    /// 2.1: ask the EV to precondition its battery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preconditioning_request: Option<bool>,
    /// 2.1: the EVSE may sleep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evse_sleep: Option<bool>,
    /// 2.1: V2X baseline power.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub v2x_baseline: Option<Decimal>,
    /// 2.1: operation mode (absent means ChargingOnly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_mode: Option<OperationMode>,
    /// 2.1: frequency–power curve (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v2x_freq_watt_curve: Option<Value>,
    /// 2.1: signal–power curve (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v2x_signal_watt_curve: Option<Value>,
    /// Vendor data (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Value>,
}

impl ChargingSchedulePeriod {
    /// A period with only a start and a limit.
    ///
    /// ```
    /// use chargekit::profile::ChargingSchedulePeriod;
    /// use rust_decimal::Decimal;
    /// let p = ChargingSchedulePeriod::new(0, Decimal::from(16));
    /// assert_eq!(p.limit, Some(Decimal::from(16)));
    /// ```
    pub fn new(start_period: u32, limit: Decimal) -> Self {
        Self {
            start_period,
            limit: Some(limit),
            ..Self::default()
        }
    }
}

/// `ChargingScheduleType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingSchedule {
    /// Schedule id (required by the 2.x schema; tolerated when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i32>,
    /// Start of an Absolute or Recurring schedule.
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub start_schedule: Option<DateTime<Utc>>,
    /// Length in seconds; without it the last period lasts indefinitely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// A or W.
    pub charging_rate_unit: ChargingRateUnit,
    /// The periods, first one at 0, strictly increasing.
    pub charging_schedule_period: Vec<ChargingSchedulePeriod>,
    /// Minimum rate the EV supports (informative).
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub min_charging_rate: Option<Decimal>,
    /// 2.1: limits by state of charge (carried through).
    #[serde(
        rename = "limitAtSoC",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub limit_at_soc: Option<Value>,
    /// 2.1: `startSchedule` is local wall-clock time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_local_time: Option<bool>,
    /// 2.1: random delay in seconds for every period but the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub randomized_delay: Option<u32>,
    /// 2.1: power tolerance.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub power_tolerance: Option<Decimal>,
    /// 2.1: signature id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_id: Option<i32>,
    /// 2.1: `digestValue`, the hash of the signed price schedule (ISO 15118).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_value: Option<String>,
    /// Sales tariff (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_tariff: Option<Value>,
    /// 2.1: absolute price schedule (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absolute_price_schedule: Option<Value>,
    /// 2.1: price level schedule (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_level_schedule: Option<Value>,
    /// Vendor data (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Value>,
}

impl ChargingSchedule {
    /// A schedule with a unit and periods and nothing else.
    ///
    /// ```
    /// use chargekit::profile::{ChargingSchedule, ChargingSchedulePeriod, ChargingRateUnit};
    /// use rust_decimal::Decimal;
    /// let s = ChargingSchedule::new(ChargingRateUnit::W, vec![ChargingSchedulePeriod::new(0, Decimal::from(7400))]);
    /// assert_eq!(s.charging_schedule_period.len(), 1);
    /// ```
    pub fn new(unit: ChargingRateUnit, periods: Vec<ChargingSchedulePeriod>) -> Self {
        Self {
            id: None,
            start_schedule: None,
            duration: None,
            charging_rate_unit: unit,
            charging_schedule_period: periods,
            min_charging_rate: None,
            limit_at_soc: None,
            use_local_time: None,
            randomized_delay: None,
            power_tolerance: None,
            signature_id: None,
            digest_value: None,
            sales_tariff: None,
            absolute_price_schedule: None,
            price_level_schedule: None,
            custom_data: None,
        }
    }
}

/// `ChargingProfileType` of OCPP 2.0.1 and 2.1.
///
/// ```
/// use chargekit::profile::{ChargingProfile, ChargingProfilePurpose, ChargingProfileKind};
/// let p = ChargingProfile::from_json(r#"{"id": 7, "stackLevel": 1,
///   "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Relative",
///   "chargingSchedule": [{"id": 1, "chargingRateUnit": "W",
///     "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000.0}]}]}"#).unwrap();
/// assert_eq!(p.charging_profile_purpose, ChargingProfilePurpose::TxDefaultProfile);
/// assert_eq!(p.charging_profile_kind, ChargingProfileKind::Relative);
/// assert!(p.to_json().contains("\"limit\":11000.0"));
///
/// let err = ChargingProfile::from_json(r#"{"id": 7, "stackLevel": 1,
///   "chargingProfilePurpose": "TxDefault", "chargingProfileKind": "Relative", "chargingSchedule": []}"#).unwrap_err();
/// assert!(err.to_string().contains("chargingProfilePurpose"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingProfile {
    /// Profile id, unique on the station.
    pub id: i32,
    /// Priority within a purpose: higher wins.
    pub stack_level: u32,
    /// What the profile is for.
    pub charging_profile_purpose: ChargingProfilePurpose,
    /// How its schedule is placed in time.
    pub charging_profile_kind: ChargingProfileKind,
    /// Daily or Weekly, for Recurring profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrency_kind: Option<RecurrencyKind>,
    /// Valid from (inclusive).
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until (exclusive).
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<DateTime<Utc>>,
    /// The transaction a TxProfile belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// One schedule, or up to three for ISO 15118 SAScheduleTuples.
    pub charging_schedule: Vec<ChargingSchedule>,
    /// 2.1: seconds offline after which the profile is (in)valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_offline_duration: Option<i32>,
    /// 2.1: whether the profile becomes invalid after `maxOfflineDuration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_after_offline_duration: Option<bool>,
    /// 2.1: interval of dynamic updates, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dyn_update_interval: Option<i32>,
    /// 2.1: time of the last dynamic update.
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub dyn_update_time: Option<DateTime<Utc>>,
    /// 2.1: signature over the price schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_schedule_signature: Option<String>,
    /// Vendor data (carried through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Value>,
}

impl ChargingProfile {
    /// Reads a 2.0.1 or 2.1 ChargingProfile from JSON text; errors name the field path.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        decode_json("ChargingProfile", text)
    }

    /// Reads a 2.0.1 or 2.1 ChargingProfile from a parsed JSON value.
    ///
    /// ```
    /// use chargekit::profile::ChargingProfile;
    /// let v = serde_json::json!({"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxProfile",
    ///     "chargingProfileKind": "Absolute", "chargingSchedule": "x"});
    /// let e = ChargingProfile::from_value(&v).unwrap_err();
    /// assert!(e.to_string().contains("`chargingSchedule`"));
    /// ```
    pub fn from_value(value: &Value) -> Result<Self, Error> {
        decode_value("ChargingProfile", value)
    }

    /// Reads a profile in the given version's shape (1.6 profiles are converted).
    ///
    /// ```
    /// use chargekit::profile::{ChargingProfile, ProfileVersion, ChargingProfilePurpose};
    /// let p = ChargingProfile::from_json_version(r#"{"chargingProfileId": 3, "stackLevel": 0,
    ///   "chargingProfilePurpose": "ChargePointMaxProfile", "chargingProfileKind": "Relative",
    ///   "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32}]}}"#,
    ///   ProfileVersion::V16).unwrap();
    /// assert_eq!(p.charging_profile_purpose, ChargingProfilePurpose::ChargingStationMaxProfile);
    /// ```
    pub fn from_json_version(text: &str, version: ProfileVersion) -> Result<Self, Error> {
        match version {
            ProfileVersion::V16 => Ok(super::ChargingProfile16::from_json(text)?.into()),
            ProfileVersion::V201 | ProfileVersion::V21 => Self::from_json(text),
        }
    }

    /// The profile as 2.x JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The profile as a 2.x JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The first (and usually only) schedule.
    pub fn schedule(&self) -> Option<&ChargingSchedule> {
        self.charging_schedule.first()
    }
}
