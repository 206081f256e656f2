//! Charging periods: the time slices a tariff engine prices.

use super::{Session, SessionState};
use crate::enums::wire_enum;
use crate::meter::{Flow, Measurand, Phase, Reading};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

wire_enum! {
    /// Whether a period is charging or idle (plugged in, not charging).
    ///
    /// ```
    /// assert_eq!(chargekit::session::PeriodKind::Idle.as_str(), "idle");
    /// ```
    pub enum PeriodKind {
        /// Energy may flow (state `charging`, or `discharging` for V2X).
        Charging = "charging",
        /// Plugged in without charging: parking time in OCPI terms.
        Idle = "idle",
    }
}

/// One slice of a session between two cuts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChargingPeriod {
    /// Start of the slice.
    pub start: DateTime<Utc>,
    /// End of the slice.
    pub end: DateTime<Utc>,
    /// The session state during the slice.
    pub state: SessionState,
    /// Charging or idle.
    pub kind: PeriodKind,
    /// Energy delivered in the slice, Wh.
    pub energy_wh: Decimal,
    /// Energy the EV fed back in the slice (V2X), Wh.
    pub energy_export_wh: Decimal,
    /// Highest power in the slice, W (sampled; else the slice's average).
    pub max_power_w: Option<Decimal>,
    /// Highest current on any phase in the slice, A, when sampled.
    pub max_current_a: Option<Decimal>,
    /// Length in seconds.
    pub duration_s: i64,
}

pub(super) fn cut(session: &Session, extra: &[DateTime<Utc>]) -> Vec<ChargingPeriod> {
    let curve = &session.curve;
    let mut start = session.start;
    let mut end = session.end.unwrap_or(session.last_seen);
    if let Some((t, _)) = curve.points().first() {
        start = start.min(*t);
    }
    if let Some((t, _)) = curve.points().last() {
        end = end.max(*t);
    }
    let mut cuts: Vec<DateTime<Utc>> = vec![start, end];
    cuts.extend(session.timeline.iter().map(|c| c.at));
    cuts.extend(extra.iter().copied());
    cuts.retain(|t| *t >= start && *t <= end);
    cuts.sort();
    cuts.dedup();

    // Samples sorted by time once, then sliced per period by binary search.
    let power = power_samples(&session.readings, Flow::Import);
    let mut current: Vec<(DateTime<Utc>, Decimal)> = session
        .readings
        .iter()
        .filter(|r| r.measurand == Measurand::CurrentImport && !matches!(r.phase, Some(Phase::N)))
        .filter_map(|r| r.value.map(|v| (r.ts_station, v)))
        .collect();
    current.sort();

    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let state = state_at(session, a);
        let energy_wh = curve.at(b) - curve.at(a);
        let secs = (b - a).num_seconds();
        let max_power_w = max_in(&power, a, b).or_else(|| {
            (secs > 0).then(|| (energy_wh * Decimal::from(3600) / Decimal::from(secs)).round_dp(3))
        });
        out.push(ChargingPeriod {
            start: a,
            end: b,
            state,
            kind: if state.transfers_energy() {
                PeriodKind::Charging
            } else {
                PeriodKind::Idle
            },
            energy_wh,
            energy_export_wh: session.export_curve.at(b) - session.export_curve.at(a),
            max_power_w,
            max_current_a: max_in(&current, a, b),
            duration_s: secs,
        });
    }
    out
}

/// Largest value of time-sorted samples within `[a, b]`.
fn max_in(
    samples: &[(DateTime<Utc>, Decimal)],
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Option<Decimal> {
    let lo = samples.partition_point(|s| s.0 < a);
    let hi = samples.partition_point(|s| s.0 <= b);
    samples.get(lo..hi)?.iter().map(|s| s.1).max()
}

fn state_at(session: &Session, t: DateTime<Utc>) -> SessionState {
    let idx = session.timeline.partition_point(|c| c.at <= t);
    match idx {
        0 => session
            .timeline
            .first()
            .map(|c| c.state)
            .unwrap_or(SessionState::Connected),
        i => session.timeline[i - 1].state,
    }
}

/// Active power samples of a flow `(time, W)`: totals where given, else per-instant phase sums.
pub(super) fn power_samples(readings: &[Reading], flow: Flow) -> Vec<(DateTime<Utc>, Decimal)> {
    let mut totals = Vec::new();
    let mut phases: std::collections::BTreeMap<DateTime<Utc>, Decimal> = Default::default();
    for r in readings {
        if r.measurand != flow.power() {
            continue;
        }
        let Some(v) = r.value else { continue };
        match r.phase {
            None => totals.push((r.ts_station, v)),
            Some(Phase::L1 | Phase::L2 | Phase::L3 | Phase::L1N | Phase::L2N | Phase::L3N) => {
                *phases.entry(r.ts_station).or_default() += v;
            }
            Some(_) => {}
        }
    }
    if totals.is_empty() {
        totals.extend(phases);
    }
    totals.sort();
    totals
}
