//! Extending a finished session by later data without deriving it again.
//!
//! Live, almost every frame of an open transaction only adds readings after all earlier
//! ones: a register value a little higher than the last, a power sample, a state of charge.
//! For such a frame every step of [`finish`](super::finish) either keeps its result or
//! extends it at the end, so the session can be brought up to date from what the frame adds
//! and a few numbers kept beside it (the [`Tail`]). Whenever a frame could change anything
//! else (an anomaly, an earlier reading, a new series, an end) [`Tail::extend`] declines
//! and the transaction is derived again from all its frames; the property tests check that
//! both ways give the same session.

use super::{
    clock_trusted, closed_charging_s, mislabel, open_charging_s, power_between, reading_order,
    unit_misfit, PositivePower, Stream, WINDOW_TOLERANCE_S,
};
use crate::meter::{
    usable, BoundaryPolicy, Flow, Measurand, MeterMark, MeterPolicy, Phase, Reading,
    ReadingContext, RegisterEnd, SeriesPreference,
};
use crate::session::{Session, SessionState, StateChange};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

/// What extending a session needs that the session does not show.
#[derive(Debug, Clone)]
pub(in crate::session) struct Tail {
    /// Where the register integration stands.
    pub(super) register: RegisterEnd,
    /// Latest station time of any reading of the transaction (counted or not).
    pub(super) max_ts: Option<DateTime<Utc>>,
    /// Latest time of any data: what an open session's duration runs to.
    pub(super) last_data: DateTime<Utc>,
    /// Whether unphased / per-phase power samples were counted.
    pub(super) power_unphased: bool,
    pub(super) power_phased: bool,
    /// Positive power samples, for the unit plausibility check.
    pub(super) positive: PositivePower,
    pub(super) max_sample: Option<Decimal>,
    pub(super) last_sample: Option<Decimal>,
    /// Highest power between two points of the energy curve.
    pub(super) derived_peak: Option<Decimal>,
    pub(super) last_increase: Option<DateTime<Utc>>,
    /// Whether the timeline follows the register rather than reported states.
    pub(super) use_register: bool,
    pub(super) reports_charging: bool,
    /// Seconds charged in the closed spans of the timeline.
    pub(super) closed_charging_s: i64,
    /// The latest state the station reported, and when.
    pub(super) last_state: Option<SessionState>,
    pub(super) latest_state_at: Option<DateTime<Utc>>,
    pub(super) time_spent_charging: Option<i64>,
    pub(in crate::session) stream: Stream,
}

/// What one later message of a transaction adds.
#[derive(Debug, Default)]
pub(in crate::session) struct Addition {
    pub readings: Vec<Reading>,
    /// The message's own station time, when it counts as "seen" (2.0.1 events).
    pub seen: Option<DateTime<Utc>>,
    /// A state the message reports.
    pub state: Option<SessionState>,
    pub time_spent_charging: Option<i64>,
    /// The transaction ends with this message.
    pub end: Option<Ending>,
}

/// How a transaction ends: its stop or `Ended` event.
#[derive(Debug)]
pub(in crate::session) struct Ending {
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
    /// 1.6 `meterStop`.
    pub meter_stop: Option<MeterMark>,
    /// 1.6: the token that stopped it, shown when the start named none.
    pub id_token: Option<String>,
}

impl Tail {
    /// Takes a new point of the energy curve into the derived values and, when the register
    /// decides the timeline, into the timeline; `false` when the timeline would change
    /// before its end.
    fn push_point(
        &self,
        next: &mut Tail,
        s: &Session,
        timeline: &mut Vec<StateChange>,
        (t0, total): (DateTime<Utc>, Decimal),
        point: (DateTime<Utc>, Decimal),
        delta: Decimal,
    ) -> bool {
        next.derived_peak = next
            .derived_peak
            .max(Some(power_between((t0, total), point)));
        if delta > Decimal::ZERO {
            next.last_increase = Some(point.0);
        }
        if !self.use_register {
            return true;
        }
        let state = if delta > Decimal::ZERO {
            SessionState::Charging
        } else {
            SessionState::Idle
        };
        let at = t0.max(s.start);
        match timeline.last().or(s.timeline.last()) {
            Some(l) if l.state == state => true,
            Some(l) if at > l.at => {
                if l.state.is_charging() {
                    next.closed_charging_s += (at - l.at).num_seconds();
                }
                timeline.push(StateChange {
                    at,
                    state,
                    energy_wh: total,
                });
                true
            }
            _ => false,
        }
    }

    /// Brings `s` up to date with `add`, if that changes nothing but what comes after the
    /// data already seen; otherwise changes nothing and returns `false`.
    pub(in crate::session) fn extend(
        &mut self,
        s: &mut Session,
        mut add: Addition,
        policy: &MeterPolicy,
    ) -> bool {
        let mut next = self.clone();
        add.readings.sort_by(reading_order);
        let earliest = s.start - Duration::seconds(WINDOW_TOLERANCE_S);
        let end_at = add.end.as_ref().map(|e| e.at);
        // An End value may close the series when no meterStop competes with it.
        let end_value_fits = add.end.as_ref().is_some_and(|e| e.meter_stop.is_none());
        let plain = |r: &Reading| {
            r.value.is_some()
                // Export energy makes a V2X session, which is derived whole.
                && r.measurand.active_flow() != Some(Flow::Export)
                && !unit_misfit(r)
                && clock_trusted(r.ts_station, r.ts_received, policy)
                && self.max_ts.is_none_or(|m| r.ts_station > m)
                && r.ts_station >= earliest
                && end_at.is_none_or(|e| r.ts_station <= e)
                && match r.context {
                    ReadingContext::TransactionBegin => false,
                    ReadingContext::TransactionEnd => end_value_fits,
                    _ => true,
                }
        };
        if let Some(e) = end_at {
            // The window closes: nothing seen may lie after it, no state may fall out of it,
            // and plug-out statuses are not followed here.
            let after = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= e);
            if e < s.start
                || policy.boundaries == BoundaryPolicy::PlugInToPlugOut
                || after(self.latest_state_at)
                || self.max_ts.is_some_and(|m| m > e)
            {
                return false;
            }
        }
        let repeats = add
            .readings
            .windows(2)
            .any(|w| w[0].dedup_key() == w[1].dedup_key());
        if repeats || !add.readings.iter().all(plain) {
            return false;
        }
        // A state reported at the start would decide the state the session starts in.
        if add.state.is_some() && add.seen.is_none_or(|t| t <= s.start) {
            return false;
        }

        // Reported state: only a repeat of the latest one adds nothing to the timeline.
        if let Some(state) = add.state {
            let shown = s.timeline.last().map(|c| c.state);
            if Some(state) != self.last_state || (!self.use_register && shown != Some(state)) {
                return false;
            }
        }
        if let Some(t) = add.time_spent_charging {
            next.time_spent_charging = Some(t);
        }

        // Energy: register values continue the integration; a preferred interval series
        // appearing would change the method.
        let series = |m: Measurand| {
            add.readings
                .iter()
                .filter(move |r| r.measurand == m && r.phase.is_none() && usable(r, policy))
        };
        if policy.series == SeriesPreference::PreferInterval
            && series(Measurand::EnergyActiveImportInterval)
                .next()
                .is_some()
        {
            return false;
        }
        // New curve points, after the last one (not a copy of the curve: it grows with the
        // session, what is added does not).
        let mut points: Vec<(DateTime<Utc>, Decimal)> = Vec::new();
        let mut timeline: Vec<StateChange> = Vec::new();
        let old_last_point = s.curve.points().last().copied();
        for r in series(Measurand::EnergyActiveImportRegister) {
            let Some(wh) = r.value else { return false };
            let Some(delta) = next.register.step(r.ts_station, wh, policy) else {
                return false;
            };
            let Some((t0, total)) = points.last().copied().or(old_last_point) else {
                return false;
            };
            let point = (r.ts_station, total + delta);
            if !self.push_point(&mut next, s, &mut timeline, (t0, total), point, delta) {
                return false;
            }
            points.push(point);
            next.register = RegisterEnd { at: point.0, wh };
        }
        // meterStop continues the series when it fits it, else it would be reported.
        if let Some(me) = add.end.as_ref().and_then(|e| e.meter_stop.as_ref()) {
            let Some((t0, total)) = points.last().copied().or(old_last_point) else {
                return false;
            };
            if me.at < next.register.at {
                return false;
            }
            if me.at > next.register.at {
                let Some(delta) = next.register.step(me.at, me.wh, policy) else {
                    return false;
                };
                let point = (me.at, total + delta);
                if !self.push_point(&mut next, s, &mut timeline, (t0, total), point, delta) {
                    return false;
                }
                points.push(point);
                next.register = RegisterEnd {
                    at: me.at,
                    wh: me.wh,
                };
            } else if me.wh < next.register.wh {
                return false;
            }
            // The cross-check against meterStop − meterStart.
            let energy = points.last().map_or(total, |p| p.1);
            if let Some(ms) = s.meter_start_wh {
                if ((me.wh - ms) - energy).abs() > policy.start_stop_tolerance_wh {
                    return false;
                }
            }
        }
        // The register starts to decide the timeline once it rises without reported charging.
        if !self.use_register && !self.reports_charging && next.last_increase.is_some() {
            return false;
        }

        // Power samples: one series (unphased, else per-phase sums) must stay the one used.
        let power = |r: &&Reading| r.measurand == Measurand::PowerActiveImport;
        let unphased: Vec<Decimal> = add
            .readings
            .iter()
            .filter(power)
            .filter(|r| r.phase.is_none())
            .filter_map(|r| r.value)
            .collect();
        let phased = add.readings.iter().filter(power).any(|r| {
            matches!(
                r.phase,
                Some(Phase::L1 | Phase::L2 | Phase::L3 | Phase::L1N | Phase::L2N | Phase::L3N)
            )
        });
        next.power_unphased |= !unphased.is_empty();
        if (phased && !next.power_unphased)
            || (next.power_unphased && !self.power_unphased && self.power_phased)
        {
            return false;
        }
        // Readings are ordered by time, then by what they measure: per instant, the
        // samples' own order (time, value) is that of their values.
        let mut by_time: Vec<(DateTime<Utc>, Decimal)> = add
            .readings
            .iter()
            .filter(power)
            .filter(|r| r.phase.is_none())
            .filter_map(|r| Some((r.ts_station, r.value?)))
            .collect();
        by_time.sort();
        for (_, w) in &by_time {
            next.positive.add(*w);
            next.max_sample = next.max_sample.max(Some(*w));
            next.last_sample = Some(*w);
        }

        // Times.
        let newest = add
            .readings
            .iter()
            .map(|r| r.ts_station)
            .chain(add.seen)
            .max();
        next.last_data = next.last_data.max(newest.unwrap_or(next.last_data));
        next.max_ts = next
            .max_ts
            .max(add.readings.iter().map(|r| r.ts_station).max());
        if let Some(e) = end_at {
            // The timeline closes with `ended` at the end.
            let prev = timeline
                .last()
                .or(s.timeline.last())
                .map(|c| (c.at, c.state));
            match prev {
                Some((at, state)) if at < e => {
                    if state.is_charging() {
                        next.closed_charging_s += (e - at).num_seconds();
                    }
                    timeline.push(StateChange {
                        at: e,
                        state: SessionState::Ended,
                        energy_wh: Decimal::ZERO,
                    });
                }
                _ => return false,
            }
        }
        let stop_at = end_at.unwrap_or(next.last_data);
        let duration = (stop_at - s.start).num_seconds().max(0);
        let mut full: Vec<StateChange> = Vec::new();
        let tl: &[StateChange] = if timeline.is_empty() {
            &s.timeline
        } else {
            full.extend(s.timeline.iter().cloned());
            full.extend(timeline.iter().cloned());
            &full
        };
        let charging_s = next
            .time_spent_charging
            .unwrap_or_else(|| next.closed_charging_s + open_charging_s(tl, stop_at))
            .clamp(0, duration);
        debug_assert_eq!(closed_charging_s(tl), next.closed_charging_s);
        let total = points
            .last()
            .or(old_last_point.as_ref())
            .map_or(Decimal::ZERO, |p| p.1);
        if mislabel(total, charging_s, next.positive).is_some() {
            return false;
        }

        // Everything fits: apply.
        let soc: Vec<Decimal> = add
            .readings
            .iter()
            .filter(|r| r.measurand == Measurand::SoC)
            .filter_map(|r| r.value)
            .collect();
        if let (Some(first), Some(last)) = (soc.first(), soc.last()) {
            s.soc_start = s.soc_start.or(Some(*first));
            s.soc_end = Some(*last);
        }
        for (at, wh) in points {
            s.curve.push(at, wh);
        }
        s.timeline.append(&mut timeline);
        // Only entries after the old last point see the curve change (a new entry at that
        // point already holds its energy).
        if let Some((t, _)) = old_last_point {
            for c in s.timeline.iter_mut().rev().take_while(|c| c.at > t) {
                c.energy_wh = s.curve.at(c.at);
            }
        }
        s.energy_wh = total.normalize();
        // No export here (a V2X session has no tail): the net is the import.
        s.energy_net_wh = s.energy_wh;
        s.charging_s = charging_s;
        s.idle_s = duration - charging_s;
        s.overstay_s = next
            .last_increase
            .map(|t| (stop_at - t).num_seconds().max(0))
            .unwrap_or(0);
        s.peak_power_w = next.max_sample.or(next.derived_peak);
        s.current_power_w = next.last_sample.or_else(|| match s.curve.points() {
            [.., a, b] => Some(power_between(*a, *b)),
            _ => None,
        });
        if let Some(end) = add.end.take() {
            s.end = Some(end.at);
            s.stop_reason = end.reason;
            s.meter_stop_wh = end.meter_stop.map(|m| m.wh);
            if s.id_token.is_none() {
                s.id_token = end.id_token;
            }
            s.current_power_w = Some(Decimal::ZERO);
        }
        s.last_seen = stop_at.max(s.start);
        add.readings.sort_by(|a, b| {
            a.ts_station
                .cmp(&b.ts_station)
                .then(a.source.cmp(&b.source))
        });
        s.readings.append(&mut add.readings);
        *self = next;
        true
    }
}
