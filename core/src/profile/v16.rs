//! The OCPP 1.6 `csChargingProfiles` model and its conversion to and from the 2.x model.

use super::model::{
    ChargingProfile, ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit,
    ChargingSchedule, ChargingSchedulePeriod, RecurrencyKind,
};
use super::serde_util::{number, opt_number, opt_time};
use super::{decode_json, Error, ProfileVersion};
use crate::enums::wire_enum;
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `ChargingProfilePurposeType` of OCPP 1.6.
    pub enum ChargingProfilePurpose16 {
        /// The overall limit of the charge point (2.x `ChargingStationMaxProfile`).
        ChargePointMaxProfile = "ChargePointMaxProfile",
        /// Default for new transactions.
        TxDefaultProfile = "TxDefaultProfile",
        /// For one running transaction.
        TxProfile = "TxProfile",
    }
}

/// `ChargingSchedulePeriod` of OCPP 1.6 (`limit` is required, a multiple of 0.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingSchedulePeriod16 {
    /// Seconds from the start of the schedule.
    pub start_period: u32,
    /// Limit in the schedule's unit.
    #[serde(with = "number")]
    pub limit: Decimal,
    /// Number of phases (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_phases: Option<u8>,
}

/// `ChargingSchedule` of OCPP 1.6 (a single object, not an array).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingSchedule16 {
    /// Length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Start of the schedule.
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub start_schedule: Option<DateTime<Utc>>,
    /// A or W.
    pub charging_rate_unit: ChargingRateUnit,
    /// The periods.
    pub charging_schedule_period: Vec<ChargingSchedulePeriod16>,
    /// Minimum rate the EV supports.
    #[serde(default, with = "opt_number", skip_serializing_if = "Option::is_none")]
    pub min_charging_rate: Option<Decimal>,
}

/// `csChargingProfiles` of OCPP 1.6 (`SetChargingProfile.req`).
///
/// ```
/// use chargekit::profile::{ChargingProfile16, ChargingProfile, ChargingProfilePurpose};
/// let p16 = ChargingProfile16::from_json(r#"{"chargingProfileId": 9, "transactionId": 42, "stackLevel": 2,
///   "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative",
///   "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}}"#).unwrap();
/// let p: ChargingProfile = p16.clone().into();
/// assert_eq!(p.transaction_id.as_deref(), Some("42"));
/// assert_eq!(p.charging_profile_purpose, ChargingProfilePurpose::TxProfile);
/// assert_eq!(ChargingProfile16::try_from(&p).unwrap(), p16);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChargingProfile16 {
    /// Profile id.
    pub charging_profile_id: i32,
    /// The transaction of a TxProfile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<i32>,
    /// Priority within a purpose.
    pub stack_level: u32,
    /// Purpose.
    pub charging_profile_purpose: ChargingProfilePurpose16,
    /// Kind (Absolute, Recurring or Relative).
    pub charging_profile_kind: ChargingProfileKind,
    /// Daily or Weekly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrency_kind: Option<RecurrencyKind>,
    /// Valid from.
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until.
    #[serde(default, with = "opt_time", skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<DateTime<Utc>>,
    /// The schedule.
    pub charging_schedule: ChargingSchedule16,
}

impl ChargingProfile16 {
    /// Reads a 1.6 profile from JSON text; errors name the field path.
    ///
    /// ```
    /// use chargekit::profile::ChargingProfile16;
    /// let e = ChargingProfile16::from_json(r#"{"chargingProfileId": 1, "stackLevel": 0,
    ///   "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
    ///   "chargingSchedule": {"chargingSchedulePeriod": []}}"#).unwrap_err();
    /// assert!(e.to_string().contains("chargingSchedule"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        decode_json("ChargingProfile (1.6)", text)
    }

    /// The profile as 1.6 JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl From<ChargingProfilePurpose16> for ChargingProfilePurpose {
    fn from(p: ChargingProfilePurpose16) -> Self {
        match p {
            ChargingProfilePurpose16::ChargePointMaxProfile => {
                ChargingProfilePurpose::ChargingStationMaxProfile
            }
            ChargingProfilePurpose16::TxDefaultProfile => ChargingProfilePurpose::TxDefaultProfile,
            ChargingProfilePurpose16::TxProfile => ChargingProfilePurpose::TxProfile,
        }
    }
}

impl From<ChargingProfile16> for ChargingProfile {
    fn from(p: ChargingProfile16) -> Self {
        let s = p.charging_schedule;
        let periods = s
            .charging_schedule_period
            .into_iter()
            .map(|q| ChargingSchedulePeriod {
                start_period: q.start_period,
                limit: Some(q.limit),
                number_phases: q.number_phases,
                ..ChargingSchedulePeriod::default()
            })
            .collect();
        let mut schedule = ChargingSchedule::new(s.charging_rate_unit, periods);
        schedule.start_schedule = s.start_schedule;
        schedule.duration = s.duration;
        schedule.min_charging_rate = s.min_charging_rate;
        ChargingProfile {
            id: p.charging_profile_id,
            stack_level: p.stack_level,
            charging_profile_purpose: p.charging_profile_purpose.into(),
            charging_profile_kind: p.charging_profile_kind,
            recurrency_kind: p.recurrency_kind,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            transaction_id: p.transaction_id.map(|t| t.to_string()),
            charging_schedule: vec![schedule],
            max_offline_duration: None,
            invalid_after_offline_duration: None,
            dyn_update_interval: None,
            dyn_update_time: None,
            price_schedule_signature: None,
            custom_data: None,
        }
    }
}

/// Floors a value to a multiple of 0.1 (1.6 output never exceeds a limit).
pub(crate) fn floor_01(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::ToNegativeInfinity)
}

impl TryFrom<&ChargingProfile> for ChargingProfile16 {
    type Error = Error;

    /// Converts a 2.x profile to 1.6. Purposes, kinds and fields that 1.6 lacks are
    /// errors; limits are floored to multiples of 0.1 (the 1.6 schema).
    fn try_from(p: &ChargingProfile) -> Result<Self, Error> {
        let fail = |message: String| Error::NotRepresentable {
            version: ProfileVersion::V16.to_string(),
            reason: message,
        };
        let purpose = match p.charging_profile_purpose {
            ChargingProfilePurpose::ChargingStationMaxProfile => {
                ChargingProfilePurpose16::ChargePointMaxProfile
            }
            ChargingProfilePurpose::TxDefaultProfile => ChargingProfilePurpose16::TxDefaultProfile,
            ChargingProfilePurpose::TxProfile => ChargingProfilePurpose16::TxProfile,
            other => return Err(fail(format!("purpose {other} does not exist in 1.6"))),
        };
        if p.charging_profile_kind == ChargingProfileKind::Dynamic {
            return Err(fail("kind Dynamic does not exist in 1.6".into()));
        }
        let transaction_id = match &p.transaction_id {
            None => None,
            Some(t) => Some(t.parse::<i32>().map_err(|_| {
                fail(format!(
                    "transactionId {t:?} is not a 1.6 integer transaction id"
                ))
            })?),
        };
        let s = match p.charging_schedule.as_slice() {
            [s] => s,
            [] => return Err(fail("the profile has no chargingSchedule".into())),
            more => {
                return Err(fail(format!(
                    "1.6 has one chargingSchedule, the profile has {}",
                    more.len()
                )))
            }
        };
        let mut periods = Vec::with_capacity(s.charging_schedule_period.len());
        for (i, q) in s.charging_schedule_period.iter().enumerate() {
            let limit = q.limit.ok_or_else(|| {
                fail(format!(
                    "chargingSchedulePeriod[{i}] has no limit (required in 1.6)"
                ))
            })?;
            periods.push(ChargingSchedulePeriod16 {
                start_period: q.start_period,
                limit: floor_01(limit),
                number_phases: q.number_phases,
            });
        }
        Ok(ChargingProfile16 {
            charging_profile_id: p.id,
            transaction_id,
            stack_level: p.stack_level,
            charging_profile_purpose: purpose,
            charging_profile_kind: p.charging_profile_kind,
            recurrency_kind: p.recurrency_kind,
            valid_from: p.valid_from,
            valid_to: p.valid_to,
            charging_schedule: ChargingSchedule16 {
                duration: s.duration,
                start_schedule: s.start_schedule,
                charging_rate_unit: s.charging_rate_unit,
                charging_schedule_period: periods,
                min_charging_rate: s.min_charging_rate.map(floor_01),
            },
        })
    }
}
