//! A driver's charging preferences turned into a TxProfile for the session, with a report
//! of the wishes that cannot all be met.
//!
//! Strategy: charge as early as allowed (from `start_at`, inside the off-peak windows if
//! any), at the highest rate allowed (the driver's maximum, capped by the station's limits),
//! until `max_energy_wh` is reached; limit 0 elsewhere until departure. The profile is an
//! Absolute TxProfile starting now, with `duration` and `validTo` at departure. Durations
//! are whole seconds and the unit is the one asked for (CitrineOS case,
//! `docs/charging-profiles.md` §5 #14).

use super::composite::convert;
use super::model::{
    ChargingProfile, ChargingProfileKind, ChargingProfilePurpose, ChargingRateUnit,
    ChargingSchedule, ChargingSchedulePeriod,
};
use super::serde_util::{from_secs, secs};
use super::v16::floor_01;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A time window `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimeWindow {
    /// Start (inclusive).
    pub start: DateTime<Utc>,
    /// End (exclusive).
    pub end: DateTime<Utc>,
}

/// What the driver wants for a session. Every field is optional.
///
/// ```
/// use chargekit::profile::ChargingPreferences;
/// let p: ChargingPreferences = serde_json::from_str(
///     r#"{"max_power_w": "7400", "max_energy_wh": "20000", "departure": "2026-03-10T07:00:00Z"}"#).unwrap();
/// assert_eq!(p.max_power_w.unwrap().to_string(), "7400");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ChargingPreferences {
    /// Maximum current per phase, in A.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_current_a: Option<Decimal>,
    /// Maximum power, in W.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_power_w: Option<Decimal>,
    /// Maximum energy for the session, in Wh.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_energy_wh: Option<Decimal>,
    /// Do not charge before this instant.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub start_at: Option<DateTime<Utc>>,
    /// Charge only inside these windows (empty: any time).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub off_peak: Vec<TimeWindow>,
    /// When the driver leaves.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub departure: Option<DateTime<Utc>>,
}

/// The session and station facts a plan needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanContext {
    /// Now: the profile starts here.
    pub now: DateTime<Utc>,
    /// Id for the generated profile.
    pub profile_id: i32,
    /// Its stack level.
    pub stack_level: u32,
    /// The transaction it is for.
    pub transaction_id: Option<String>,
    /// Unit of the generated profile.
    pub unit: ChargingRateUnit,
    /// Phases the EV charges on.
    pub number_phases: u8,
    /// Line voltage.
    pub supply_voltage: Decimal,
    /// Most periods the station accepts (`ChargingScheduleMaxPeriods`).
    pub max_periods: u32,
    /// What the station allows without the TxProfile, in `unit`: `(from, limit)` steps in
    /// time order, each lasting until the next (empty: no station limit known).
    pub station_limit: Vec<(DateTime<Utc>, Decimal)>,
}

/// A wish that the plan cannot meet (Python: a record whose `kind` names the variant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum UnmetWish {
    /// Not enough time at the allowed speed before departure (or within the windows).
    EnergyShortfall {
        /// Asked for, Wh.
        requested_wh: Decimal,
        /// What the plan can deliver, Wh.
        deliverable_wh: Decimal,
    },
    /// The departure is not after now.
    DepartureInPast,
    /// `start_at` is not before the departure.
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

/// The generated TxProfile and what it achieves.
///
/// In Kotlin and Swift the profile is `profileJson`, its 2.0.1 JSON text (install it with
/// `install(profileJson, evseId, "2.0.1")`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PreferencePlan {
    /// An Absolute TxProfile for the session.
    #[cfg_attr(feature = "uniffi", uniffi(name = "profile_json"))]
    pub profile: ChargingProfile,
    /// Energy the profile allows to be delivered (if the EV takes the full rate), Wh;
    /// None when unbounded (no energy cap and no end).
    pub deliverable_wh: Option<Decimal>,
    /// When charging first may happen (None: never).
    pub charging_starts: Option<DateTime<Utc>>,
    /// When the last charging period ends (None: open-ended or never).
    pub charging_ends: Option<DateTime<Utc>>,
    /// The wishes that cannot be met (empty: all met).
    pub unmet: Vec<UnmetWish>,
    /// True when every wish can be met (`unmet` is empty).
    pub all_met: bool,
}

const SECONDS_PER_HOUR: i64 = 3600;

/// Plans a TxProfile from preferences (see the module text for the strategy).
///
/// ```
/// use chargekit::profile::{plan_tx_profile, ChargingPreferences, PlanContext, ChargingRateUnit, UnmetWish};
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let now = Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap();
/// let ctx = PlanContext { now, profile_id: 100, stack_level: 1, transaction_id: Some("T1".into()),
///     unit: ChargingRateUnit::W, number_phases: 3, supply_voltage: Decimal::from(230), max_periods: 24,
///     station_limit: vec![] };
/// let prefs = ChargingPreferences { max_power_w: Some(Decimal::from(11_000)),
///     max_energy_wh: Some(Decimal::from(22_000)),
///     departure: Some(Utc.with_ymd_and_hms(2026, 3, 10, 21, 0, 0).unwrap()), ..Default::default() };
/// let plan = plan_tx_profile(&prefs, &ctx).unwrap();
/// assert!(plan.all_met);
/// let periods = &plan.profile.charging_schedule[0].charging_schedule_period;
/// assert_eq!((periods[0].limit.unwrap(), periods[1].start_period, periods[1].limit.unwrap()),
///            (Decimal::from(11_000), 7200, Decimal::ZERO)); // 2 h at 11 kW, then stop
///
/// // Leaving after one hour: only 11 kWh fit.
/// let early = ChargingPreferences { departure: Some(Utc.with_ymd_and_hms(2026, 3, 10, 19, 0, 0).unwrap()), ..prefs };
/// let plan = plan_tx_profile(&early, &ctx).unwrap();
/// assert_eq!(plan.unmet, vec![UnmetWish::EnergyShortfall { requested_wh: Decimal::from(22_000), deliverable_wh: Decimal::from(11_000) }]);
/// ```
pub fn plan_tx_profile(
    prefs: &ChargingPreferences,
    ctx: &PlanContext,
) -> Result<PreferencePlan, Error> {
    let bad = |m: &str| {
        Err(Error::InvalidPreferences {
            reason: m.to_string(),
        })
    };
    if ctx.supply_voltage <= Decimal::ZERO || !(1..=3).contains(&ctx.number_phases) {
        return bad("supply_voltage must be positive and number_phases 1, 2 or 3");
    }
    for v in [prefs.max_current_a, prefs.max_power_w, prefs.max_energy_wh]
        .into_iter()
        .flatten()
    {
        if v.is_sign_negative() && !v.is_zero() {
            return bad("rates and energy must not be negative");
        }
        // Beyond it, the seconds an energy needs (energy × 3600) overflow a decimal.
        if !crate::limits::quantity_in_range(v) {
            return bad("rates and energy must be within 10^12 (limits::MAX_QUANTITY)");
        }
    }
    if prefs.off_peak.iter().any(|w| w.end <= w.start) {
        return bad("an off-peak window ends before it starts");
    }
    if ctx.max_periods == 0 {
        return bad("max_periods must be at least 1");
    }

    let now = secs(&ctx.now);
    let unit = ctx.unit;
    let to_unit = |v: Decimal, from| convert(v, from, unit, ctx.number_phases, ctx.supply_voltage);
    let driver_max = [
        prefs.max_current_a.map(|a| to_unit(a, ChargingRateUnit::A)),
        prefs.max_power_w.map(|w| to_unit(w, ChargingRateUnit::W)),
    ]
    .into_iter()
    .flatten()
    .min();
    let steps: Vec<(i64, Decimal)> = ctx
        .station_limit
        .iter()
        .map(|(t, l)| (secs(t), *l))
        .collect();
    if driver_max.is_none() && steps.is_empty() {
        return bad("no charging rate: give a maximum speed or the station's limits");
    }
    // The allowed rate at t (in `unit`).
    let rate_at = |t: i64| -> Decimal {
        let station = steps
            .iter()
            .take_while(|(from, _)| *from <= t)
            .last()
            .map(|(_, l)| *l);
        let r = match (driver_max, station) {
            (Some(d), Some(s)) => d.min(s),
            (d, s) => d.or(s).unwrap_or_default(),
        };
        floor_01(r)
    };
    let watts = |r: Decimal| {
        convert(
            r,
            unit,
            ChargingRateUnit::W,
            ctx.number_phases,
            ctx.supply_voltage,
        )
    };

    let mut unmet = Vec::new();
    let departure = prefs.departure.as_ref().map(secs);
    let start = prefs.start_at.as_ref().map_or(now, secs).max(now);
    let horizon = departure.or_else(|| prefs.off_peak.iter().map(|w| secs(&w.end)).max());
    match departure {
        Some(d) if d <= now => unmet.push(UnmetWish::DepartureInPast),
        Some(d) if start >= d => unmet.push(UnmetWish::StartAfterDeparture),
        _ => {}
    }
    let end = horizon.unwrap_or(i64::MAX);
    let windows: Vec<(i64, i64)> = prefs
        .off_peak
        .iter()
        .map(|w| (secs(&w.start).max(start), secs(&w.end).min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    if !prefs.off_peak.is_empty() && windows.is_empty() && unmet.is_empty() {
        unmet.push(UnmetWish::NoWindowBeforeDeparture);
    }
    let allowed = |t: i64| {
        t >= start
            && t < end
            && (prefs.off_peak.is_empty() || windows.iter().any(|(a, b)| *a <= t && t < *b))
    };

    // Elementary segments from now to the horizon.
    let mut points = vec![now, start];
    if end != i64::MAX {
        points.push(end);
    }
    for (a, b) in &windows {
        points.push(*a);
        points.push(*b);
    }
    points.extend(steps.iter().map(|(t, _)| *t));
    points.retain(|t| *t >= now && *t <= end);
    points.sort_unstable();
    points.dedup();
    if end == i64::MAX {
        points.push(i64::MAX);
    }

    let mut remaining = prefs.max_energy_wh;
    let mut delivered = Decimal::ZERO;
    let mut open_ended = false;
    let mut periods: Vec<(i64, Decimal)> = Vec::new();
    let mut first_charge: Option<i64> = None;
    let mut last_charge_end: Option<i64> = None;
    let push = |periods: &mut Vec<(i64, Decimal)>, t: i64, limit: Decimal| {
        if periods.last().is_none_or(|(_, l)| *l != limit) {
            periods.push((t, limit));
        }
    };
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        let rate = if allowed(a) {
            rate_at(a)
        } else {
            Decimal::ZERO
        };
        if rate.is_zero() || remaining.is_some_and(|r| r <= Decimal::ZERO) {
            push(&mut periods, a, Decimal::ZERO);
            continue;
        }
        let power = watts(rate);
        let mut seg_end = b;
        if let Some(r) = remaining {
            // Whole seconds, never more than the energy asked for.
            let need = (r * Decimal::from(SECONDS_PER_HOUR) / power).floor();
            let need = i64::try_from(need).unwrap_or(i64::MAX);
            if need <= 0 {
                remaining = Some(Decimal::ZERO);
                push(&mut periods, a, Decimal::ZERO);
                continue;
            }
            if b == i64::MAX || need < b - a {
                seg_end = a + need;
            }
        }
        push(&mut periods, a, rate);
        first_charge.get_or_insert(a);
        if seg_end == i64::MAX {
            open_ended = true;
            break;
        }
        let energy = power * Decimal::from(seg_end - a) / Decimal::from(SECONDS_PER_HOUR);
        delivered += energy;
        remaining = remaining.map(|r| r - energy);
        last_charge_end = Some(seg_end);
        if seg_end < b {
            push(&mut periods, seg_end, Decimal::ZERO);
        }
    }
    if periods.is_empty() {
        periods.push((now, Decimal::ZERO));
    }

    // ChargingScheduleMaxPeriods (docs/charging-profiles.md §5 #13): keep the first ones, then
    // stop charging.
    let max = ctx.max_periods as usize;
    if periods.len() > max {
        unmet.push(UnmetWish::TooManyPeriods {
            needed: crate::error::wide(periods.len()),
            allowed: ctx.max_periods,
        });
        let cut = periods[max - 1].0;
        periods.truncate(max - 1);
        // Recompute what is delivered before the cut.
        delivered = Decimal::ZERO;
        last_charge_end = None;
        open_ended = false;
        for (i, (t, l)) in periods.iter().enumerate() {
            let next = periods.get(i + 1).map_or(cut, |(n, _)| *n);
            if !l.is_zero() {
                delivered += watts(*l) * Decimal::from(next - t) / Decimal::from(SECONDS_PER_HOUR);
                last_charge_end = Some(next);
            }
        }
        push(&mut periods, cut, Decimal::ZERO);
        if periods.len() > max {
            periods.truncate(max);
        }
    }

    if let Some(requested) = prefs.max_energy_wh {
        if delivered < requested && !open_ended {
            let deliverable = delivered.round_dp(3).normalize();
            unmet.push(UnmetWish::EnergyShortfall {
                requested_wh: requested,
                deliverable_wh: deliverable,
            });
        }
    }

    let profile = build_tx_profile(&TxProfileSpec {
        start: now,
        periods: &periods,
        unit,
        number_phases: ctx.number_phases,
        min_charging_rate: None,
        duration_end: horizon,
        valid_to: departure.filter(|d| *d > now),
        profile_id: ctx.profile_id,
        stack_level: ctx.stack_level,
        transaction_id: ctx.transaction_id.clone(),
    });
    Ok(PreferencePlan {
        profile,
        deliverable_wh: (!open_ended).then(|| delivered.round_dp(3).normalize()),
        charging_starts: first_charge.map(from_secs),
        charging_ends: if open_ended {
            None
        } else {
            last_charge_end.map(from_secs)
        },
        all_met: unmet.is_empty(),
        unmet,
    })
}

/// What [`build_tx_profile`] needs: limits as `(instant s, limit)` steps in time order,
/// each lasting until the next.
pub(crate) struct TxProfileSpec<'a> {
    /// `startSchedule` (whole seconds, UTC).
    pub start: i64,
    /// `(instant, limit in unit)` steps, first at `start`.
    pub periods: &'a [(i64, Decimal)],
    pub unit: ChargingRateUnit,
    pub number_phases: u8,
    pub min_charging_rate: Option<Decimal>,
    /// End of the schedule (`duration` = end − start), when known.
    pub duration_end: Option<i64>,
    /// `validTo`.
    pub valid_to: Option<i64>,
    pub profile_id: i32,
    pub stack_level: u32,
    pub transaction_id: Option<String>,
}

/// An Absolute TxProfile from limit steps: the one builder behind [`plan_tx_profile`] and
/// `crate::planning` (whole-second `startPeriod`s from `start`, unit as given).
pub(crate) fn build_tx_profile(spec: &TxProfileSpec<'_>) -> ChargingProfile {
    let schedule_periods = spec
        .periods
        .iter()
        .map(|(t, l)| ChargingSchedulePeriod {
            start_period: u32::try_from(t - spec.start).unwrap_or(u32::MAX),
            limit: Some(l.normalize()),
            number_phases: Some(spec.number_phases),
            ..ChargingSchedulePeriod::default()
        })
        .collect();
    let mut schedule = ChargingSchedule::new(spec.unit, schedule_periods);
    schedule.id = Some(spec.profile_id);
    schedule.start_schedule = Some(from_secs(spec.start));
    schedule.duration = spec
        .duration_end
        .and_then(|h| u32::try_from(h - spec.start).ok())
        .filter(|d| *d > 0);
    schedule.min_charging_rate = spec.min_charging_rate.map(|m| m.normalize());
    ChargingProfile {
        id: spec.profile_id,
        stack_level: spec.stack_level,
        charging_profile_purpose: ChargingProfilePurpose::TxProfile,
        charging_profile_kind: ChargingProfileKind::Absolute,
        recurrency_kind: None,
        valid_from: None,
        valid_to: spec.valid_to.map(from_secs),
        transaction_id: spec.transaction_id.clone(),
        charging_schedule: vec![schedule],
        max_offline_duration: None,
        invalid_after_offline_duration: None,
        dyn_update_interval: None,
        dyn_update_time: None,
        price_schedule_signature: None,
        custom_data: None,
    }
}
