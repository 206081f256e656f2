//! Rules that concern one profile on its own (schedule shape, units, phases), and the
//! prepared form the composite calculation works on.

use super::model::{
    ChargingProfile, ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit, OperationMode,
};
use super::options::StationOptions;
use super::serde_util::secs;
use super::store::ProfileOrigin;
use super::{ProfileVersion, Rule};
use crate::profile::rejected;
use crate::Error;
use rust_decimal::Decimal;

/// How the periods of a profile are placed in time (`docs/charging-profiles.md` §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// A fixed origin (Absolute `startSchedule`, or 1.6 Absolute falling back to `validFrom`).
    At(i64),
    /// Absolute without `startSchedule` or `validFrom` (1.6 only): the request time.
    RequestTime,
    /// Recurring: occurrences every `period` seconds through `start`.
    Recurring {
        /// `startSchedule` in seconds.
        start: i64,
        /// 86 400 or 604 800.
        period: i64,
    },
    /// Relative: the transaction start.
    Relative,
    /// 2.1 Dynamic: the request time, until `expires` (dynUpdateTime + duration).
    Dynamic {
        /// After this instant the profile no longer applies.
        expires: Option<i64>,
    },
}

/// One period of a prepared schedule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreparedPeriod {
    /// Offset from the origin, seconds.
    pub start: i64,
    /// The limit (None: the period sets no limit, e.g. a 2.1 setpoint-only period).
    pub limit: Option<Decimal>,
    /// Number of phases, if given.
    pub phases: Option<u8>,
}

/// A validated profile, ready for placement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    pub anchor: Anchor,
    /// Effective duration (clamped to the recurrence period).
    pub duration: Option<i64>,
    pub valid_from: Option<i64>,
    pub valid_to: Option<i64>,
    pub unit: ChargingRateUnit,
    pub periods: Vec<PreparedPeriod>,
}

fn reject(rule: Rule, message: impl Into<String>) -> Error {
    rejected(rule, message)
}

fn multiple_of_01(d: Decimal) -> bool {
    (d * Decimal::TEN).fract().is_zero()
}

/// Applies the rules that need only the profile itself and the station options, and
/// prepares it for the composite calculation.
pub(crate) fn prepare(
    p: &ChargingProfile,
    version: ProfileVersion,
    origin: ProfileOrigin,
    options: &StationOptions,
) -> Result<Prepared, Error> {
    use ChargingProfileKind as K;
    use ChargingProfilePurpose as P;
    let purpose = p.charging_profile_purpose;
    let kind = p.charging_profile_kind;

    // Version features.
    if version != ProfileVersion::V21 {
        if matches!(purpose, P::PriorityCharging | P::LocalGeneration) {
            return Err(reject(
                Rule::Schema,
                format!("purpose {purpose} needs OCPP 2.1"),
            ));
        }
        if kind == K::Dynamic {
            return Err(reject(Rule::Schema, "kind Dynamic needs OCPP 2.1"));
        }
    }
    let schedules = &p.charging_schedule;
    let schedule = match schedules.first() {
        Some(s) => s,
        None => return Err(reject(Rule::Schema, "chargingSchedule is empty")),
    };
    if schedules.len() > 3 {
        return Err(reject(
            Rule::Schema,
            format!("{} chargingSchedules (at most 3)", schedules.len()),
        ));
    }
    if let (Some(from), Some(to)) = (p.valid_from, p.valid_to) {
        if to <= from {
            return Err(reject(Rule::Schema, "validTo is not after validFrom"));
        }
    }
    if kind == K::Recurring && p.recurrency_kind.is_none() {
        return Err(reject(
            Rule::Schema,
            "a Recurring profile needs a recurrencyKind",
        ));
    }

    for (si, s) in schedules.iter().enumerate() {
        let at = |i: usize| format!("chargingSchedule[{si}].chargingSchedulePeriod[{i}]");
        if !options.supported_units.contains(&s.charging_rate_unit) {
            return Err(reject(
                Rule::RateUnitUnsupported,
                format!(
                    "chargingSchedule[{si}] uses {}, the station supports {:?}",
                    s.charging_rate_unit,
                    options
                        .supported_units
                        .iter()
                        .map(|u| u.as_str())
                        .collect::<Vec<_>>()
                ),
            ));
        }
        let periods = &s.charging_schedule_period;
        if periods.is_empty() {
            return Err(reject(
                Rule::Schema,
                format!("chargingSchedule[{si}] has no chargingSchedulePeriod"),
            ));
        }
        if periods.len() > options.max_periods as usize {
            return Err(reject(
                Rule::Schema,
                format!(
                    "chargingSchedule[{si}] has {} periods, ChargingScheduleMaxPeriods is {}",
                    periods.len(),
                    options.max_periods
                ),
            ));
        }
        if let Some(first) = periods.first() {
            if first.start_period != 0 {
                return Err(reject(
                    Rule::FirstPeriodNotZero,
                    format!("{} starts at {} s, not 0", at(0), first.start_period),
                ));
            }
        }
        for (i, w) in periods.windows(2).enumerate() {
            if w[1].start_period <= w[0].start_period {
                return Err(reject(
                    Rule::PeriodsOutOfOrder,
                    format!(
                        "{} starts at {} s, not after {} s",
                        at(i + 1),
                        w[1].start_period,
                        w[0].start_period
                    ),
                ));
            }
        }
        // startSchedule (K01.FR.40/41; in 1.6 only Recurring strictly needs one).
        match (kind, s.start_schedule.is_some(), version.is_2x()) {
            (K::Absolute | K::Recurring, false, true) | (K::Recurring, false, false) => {
                return Err(reject(
                    Rule::StartScheduleMissing,
                    format!("a {kind} profile needs chargingSchedule[{si}].startSchedule"),
                ))
            }
            (K::Relative, true, true) => {
                return Err(reject(
                    Rule::StartScheduleExtraneous,
                    format!(
                        "a Relative profile must not have chargingSchedule[{si}].startSchedule"
                    ),
                ))
            }
            _ => {}
        }
        if purpose == P::PriorityCharging && s.duration.is_some() {
            return Err(reject(
                Rule::PriorityChargingDuration,
                "a PriorityCharging schedule must not have a duration",
            ));
        }
        if let Some(m) = s.min_charging_rate {
            if m.is_sign_negative() {
                return Err(reject(Rule::Schema, "minChargingRate is negative"));
            }
            if version == ProfileVersion::V16 && !multiple_of_01(m) {
                return Err(reject(
                    Rule::Schema,
                    format!("minChargingRate {m} is not a multiple of 0.1 (1.6 schema)"),
                ));
            }
        }
        for (i, q) in periods.iter().enumerate() {
            if q.limit.is_none() && version != ProfileVersion::V21 {
                return Err(reject(
                    Rule::Schema,
                    format!("{} has no limit (required before 2.1)", at(i)),
                ));
            }
            for (name, v) in [
                ("limit", q.limit),
                ("limit_L2", q.limit_l2),
                ("limit_L3", q.limit_l3),
            ] {
                if let Some(v) = v {
                    if v.is_sign_negative() && !v.is_zero() {
                        return Err(reject(
                            Rule::Schema,
                            format!("{}.{name} is negative", at(i)),
                        ));
                    }
                    if !crate::limits::quantity_in_range(v) {
                        return Err(reject(
                            Rule::Schema,
                            format!(
                                "{}.{name} {v} is beyond 10^12 (limits::MAX_QUANTITY)",
                                at(i)
                            ),
                        ));
                    }
                    if version == ProfileVersion::V16 && !multiple_of_01(v) {
                        return Err(reject(
                            Rule::Schema,
                            format!("{}.{name} {v} is not a multiple of 0.1 (1.6 schema)", at(i)),
                        ));
                    }
                }
            }
            if q.limit_l2.is_some() || q.limit_l3.is_some() {
                if q.limit.is_none() {
                    return Err(reject(
                        Rule::PhaseLimitsWithoutLimit,
                        format!("{} has limit_L2/limit_L3 without limit", at(i)),
                    ));
                }
                if purpose != P::TxProfile && origin == ProfileOrigin::Csms {
                    return Err(reject(
                        Rule::PhaseLimitsOutsideTxProfile,
                        format!("{} has limit_L2/limit_L3 in a {purpose}", at(i)),
                    ));
                }
            }
            if let Some(n) = q.number_phases {
                if !(1..=3).contains(&n) {
                    return Err(reject(
                        Rule::Schema,
                        format!("{}.numberPhases {n} is not 1, 2 or 3", at(i)),
                    ));
                }
                if n > options.supply_phases {
                    return Err(reject(
                        Rule::NumberPhasesUnsupported,
                        format!(
                            "{}.numberPhases {n} exceeds the supply's {} phases",
                            at(i),
                            options.supply_phases
                        ),
                    ));
                }
            }
            if let Some(ph) = q.phase_to_use {
                if !(1..=3).contains(&ph) {
                    return Err(reject(
                        Rule::Schema,
                        format!("{}.phaseToUse {ph} is not 1, 2 or 3", at(i)),
                    ));
                }
                if q.number_phases != Some(1) {
                    return Err(reject(
                        Rule::PhaseToUseWithoutSinglePhase,
                        format!("{} has phaseToUse without numberPhases = 1", at(i)),
                    ));
                }
                if !options.ac_phase_switching_supported {
                    return Err(reject(
                        Rule::PhaseSwitchingUnsupported,
                        format!(
                            "{} has phaseToUse but ACPhaseSwitchingSupported is false",
                            at(i)
                        ),
                    ));
                }
            }
            if let Some(mode) = q.operation_mode {
                let allowed = match purpose {
                    P::PriorityCharging | P::ChargingStationMaxProfile => {
                        mode == OperationMode::ChargingOnly
                    }
                    P::ChargingStationExternalConstraints => matches!(
                        mode,
                        OperationMode::ChargingOnly
                            | OperationMode::ExternalLimits
                            | OperationMode::ExternalSetpoint
                    ),
                    P::LocalGeneration => matches!(
                        mode,
                        OperationMode::ChargingOnly | OperationMode::ExternalLimits
                    ),
                    P::TxProfile | P::TxDefaultProfile => true,
                };
                if !allowed {
                    let rule = if purpose == P::PriorityCharging {
                        Rule::PriorityChargingMode
                    } else {
                        Rule::OperationModeNotAllowed
                    };
                    return Err(reject(
                        rule,
                        format!(
                            "{}.operationMode {mode} is not allowed in a {purpose}",
                            at(i)
                        ),
                    ));
                }
            }
        }
    }

    // Placement of the first schedule (the one the composite uses).
    let start_schedule = schedule.start_schedule.as_ref().map(secs);
    let valid_from = p.valid_from.as_ref().map(secs);
    let valid_to = p.valid_to.as_ref().map(secs);
    let mut duration = schedule.duration.map(i64::from);
    let anchor = match kind {
        K::Absolute => match start_schedule.or(valid_from) {
            Some(t) => Anchor::At(t),
            None => Anchor::RequestTime,
        },
        K::Recurring => {
            let period = p.recurrency_kind.map(|r| r.period_s()).unwrap_or(86_400);
            // docs/charging-profiles.md §3 #15: a duration longer than the recurrence period
            // is clamped to it.
            duration = Some(duration.map_or(period, |d| d.min(period)));
            Anchor::Recurring {
                start: start_schedule.unwrap_or_default(),
                period,
            }
        }
        K::Relative => Anchor::Relative,
        K::Dynamic => Anchor::Dynamic {
            expires: match (p.dyn_update_time.as_ref().map(secs), duration) {
                (Some(t), Some(d)) => Some(t + d),
                _ => None,
            },
        },
    };
    let periods = schedule
        .charging_schedule_period
        .iter()
        .map(|q| PreparedPeriod {
            start: i64::from(q.start_period),
            limit: effective_limit(schedule.charging_rate_unit, q),
            phases: q.number_phases,
        })
        .collect();
    Ok(Prepared {
        anchor,
        duration,
        valid_from,
        valid_to,
        unit: schedule.charging_rate_unit,
        periods,
    })
}

/// The single limit the composite uses for a period. Per-phase limits (2.1) are carried
/// through in the model; here they are reduced conservatively: in A the lowest phase
/// limit, in W the lowest phase power times the number of phase values given (2.1
/// K01.FR.145: with `limit_L2/L3`, `limit` is phase L1).
fn effective_limit(
    unit: ChargingRateUnit,
    q: &super::model::ChargingSchedulePeriod,
) -> Option<Decimal> {
    let limit = q.limit?;
    let phase_values: Vec<Decimal> = [q.limit_l2, q.limit_l3].into_iter().flatten().collect();
    if phase_values.is_empty() {
        return Some(limit);
    }
    let lowest = phase_values.iter().copied().fold(limit, Decimal::min);
    match unit {
        ChargingRateUnit::A => Some(lowest),
        ChargingRateUnit::W => Some(lowest * Decimal::from(phase_values.len() + 1)),
    }
}
