//! Reading a station's GetCompositeSchedule response (the CSMS side), leniently: the field
//! cases #9 (empty `chargingSchedulePeriod`) and #10 (the station answers in another unit
//! than asked) of `docs/charging-profiles.md` §5.

use super::composite::{convert, CompositePeriod, CompositeSchedule, LimitSource};
use super::model::ChargingRateUnit;
use super::serde_util::{opt_number, opt_time};
use super::{decode_json, ProfileVersion};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::Arc;

/// What a station's GetCompositeSchedule response says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CompositeResponse {
    /// A schedule. `unit_converted` is true when the station answered in another unit than
    /// expected and the limits were converted (`docs/charging-profiles.md` §3 #12).
    Schedule {
        /// The schedule, in the expected unit (every period's source is
        /// [`Reported`](super::LimitSourceKind::Reported)); shared, as Kotlin and Swift hold it as
        /// an object.
        schedule: Arc<CompositeSchedule>,
        /// Whether the limits were converted.
        unit_converted: bool,
    },
    /// Accepted, but without a usable schedule (`docs/charging-profiles.md` §3 #14).
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Period {
    start_period: u32,
    #[serde(default, with = "opt_number")]
    limit: Option<Decimal>,
    #[serde(default)]
    number_phases: Option<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Schedule {
    #[serde(default)]
    evse_id: Option<u32>,
    #[serde(default)]
    duration: Option<u32>,
    #[serde(default, with = "opt_time")]
    schedule_start: Option<DateTime<Utc>>,
    #[serde(default, with = "opt_time")]
    start_schedule: Option<DateTime<Utc>>,
    charging_rate_unit: ChargingRateUnit,
    #[serde(default)]
    charging_schedule_period: Vec<Period>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusInfo {
    #[serde(default)]
    reason_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    status: String,
    #[serde(default)]
    status_info: Option<StatusInfo>,
    #[serde(default)]
    schedule: Option<Schedule>,
    #[serde(default)]
    connector_id: Option<u32>,
    #[serde(default, with = "opt_time")]
    schedule_start: Option<DateTime<Utc>>,
    #[serde(default)]
    charging_schedule: Option<Schedule>,
}

/// Reads a GetCompositeSchedule response (2.0.1/2.1 `schedule`, or 1.6 `chargingSchedule`).
///
/// `expected_unit` is the unit the CSMS works in: limits in another unit are converted with
/// `supply_voltage` and the period's `numberPhases` (else `default_phases`) and flagged.
/// With `strict`, an Accepted response without periods is an error instead of `Unknown`.
///
/// ```
/// use chargekit::profile::{read_composite_response, CompositeResponse, ProfileVersion, ChargingRateUnit};
/// use rust_decimal::Decimal;
/// let r = read_composite_response(r#"{"status": "Accepted", "connectorId": 1,
///   "scheduleStart": "2026-03-10T08:00:00Z", "chargingSchedule": {"duration": 600,
///   "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}}"#,
///   ProfileVersion::V16, Some(ChargingRateUnit::W), Decimal::from(230), 3, false).unwrap();
/// let CompositeResponse::Schedule { schedule, unit_converted } = r else { panic!() };
/// assert!(unit_converted);
/// assert_eq!(schedule.periods[0].limit.unwrap(), Decimal::from(11040));
/// ```
pub fn read_composite_response(
    json: &str,
    version: ProfileVersion,
    expected_unit: Option<ChargingRateUnit>,
    supply_voltage: Decimal,
    default_phases: u8,
    strict: bool,
) -> Result<CompositeResponse, Error> {
    let what = format!("GetCompositeSchedule response ({version})");
    let r: Response = decode_json(&what, json)?;
    if r.status != "Accepted" {
        return Ok(CompositeResponse::Rejected {
            reason: r.status_info.and_then(|s| s.reason_code),
        });
    }
    let (schedule, evse, start) = match version {
        ProfileVersion::V16 => (r.charging_schedule, r.connector_id, r.schedule_start),
        _ => {
            let s = r.schedule;
            let evse = s.as_ref().and_then(|s| s.evse_id);
            let start = s.as_ref().and_then(|s| s.schedule_start);
            (s, evse, start)
        }
    };
    let unknown = |reason: &str| -> Result<CompositeResponse, Error> {
        if strict {
            Err(Error::InvalidProfile {
                what: what.clone(),
                field: "chargingSchedulePeriod".into(),
                reason: reason.to_string(),
            })
        } else {
            Ok(CompositeResponse::Unknown {
                reason: reason.to_string(),
            })
        }
    };
    let Some(s) = schedule else {
        return unknown("status Accepted without a schedule");
    };
    if s.charging_schedule_period.is_empty() {
        return unknown("status Accepted with an empty chargingSchedulePeriod");
    }
    let Some(start) = start.or(s.start_schedule) else {
        return unknown("the schedule has no start time");
    };
    let unit = expected_unit.unwrap_or(s.charging_rate_unit);
    let unit_converted = unit != s.charging_rate_unit;
    let periods = s
        .charging_schedule_period
        .iter()
        .map(|p| {
            let limit = p.limit.map(|l| {
                convert(
                    l,
                    s.charging_rate_unit,
                    unit,
                    p.number_phases.unwrap_or(default_phases),
                    supply_voltage,
                )
                .normalize()
            });
            CompositePeriod::new(
                p.start_period,
                limit,
                p.number_phases,
                &LimitSource::Reported,
            )
        })
        .collect();
    Ok(CompositeResponse::Schedule {
        schedule: Arc::new(CompositeSchedule::reported(
            evse.unwrap_or_default(),
            start,
            s.duration.unwrap_or_default(),
            unit,
            periods,
        )),
        unit_converted,
    })
}
