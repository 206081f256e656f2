//! Turns the raw material of one transaction (a [`Draft`]) into a [`Session`]:
//! de-duplication, window checks, clock checks, energy, timeline, derived times.

use super::periods::power_samples;
use super::{Session, SessionState, StateChange, TransactionKey};
use crate::meter::{
    compute_energy, Anomaly, AnomalyKind, EnergyInput, LateEventsPolicy, Measurand, MeterMark,
    MeterPolicy, PreSyncPolicy, Reading, ReadingContext, UnitSuspectPolicy,
};
use crate::meter::{EnergyCurve, IdleDetection};
use crate::ocpp::OcppVersion;
use crate::Error;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Readings this far outside the transaction window are still accepted as inside.
const WINDOW_TOLERANCE_S: i64 = 60;

/// Everything known about one transaction before derivation.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub station_id: String,
    pub key: TransactionKey,
    pub version: OcppVersion,
    pub evse_id: Option<u32>,
    pub connector_id: Option<u32>,
    pub id_token: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub stop_reason: Option<String>,
    pub meter_start: Option<MeterMark>,
    pub meter_stop: Option<MeterMark>,
    /// Readings of the transaction (in-window or not: checked here).
    pub readings: Vec<Reading>,
    /// Readings that arrived after the end by sequence (2.0.1), already flagged.
    pub late: Vec<Reading>,
    /// Messages whose readings legitimately repeat others (1.6 `transactionData`).
    pub summary_msgs: BTreeSet<String>,
    /// States reported by the station.
    pub states: Vec<(DateTime<Utc>, SessionState)>,
    /// 2.0.1 `timeSpentCharging` of the latest event that has it.
    pub time_spent_charging: Option<i64>,
    pub anomalies: Vec<Anomaly>,
    /// Latest station time of any message of the transaction.
    pub last_seen: Option<DateTime<Utc>>,
}

impl Draft {
    pub fn new(station_id: &str, key: TransactionKey, version: OcppVersion) -> Self {
        Self {
            station_id: station_id.to_string(),
            key,
            version,
            evse_id: None,
            connector_id: None,
            id_token: None,
            start: None,
            end: None,
            stop_reason: None,
            meter_start: None,
            meter_stop: None,
            readings: Vec::new(),
            late: Vec::new(),
            summary_msgs: BTreeSet::new(),
            states: Vec::new(),
            time_spent_charging: None,
            anomalies: Vec::new(),
            last_seen: None,
        }
    }

    pub fn seen(&mut self, t: DateTime<Utc>) {
        self.last_seen = Some(self.last_seen.map_or(t, |s| s.max(t)));
    }
}

/// Before this instant a station clock has not been set (1970 timestamps and the like).
pub(crate) fn clock_floor() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2010, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How far a station timestamp may run ahead of its receive time.
fn max_skew(policy: &MeterPolicy) -> Duration {
    Duration::try_seconds(policy.max_clock_skew_s).unwrap_or(Duration::MAX)
}

/// Whether a station timestamp may decide anything: not before the clock floor and not
/// further ahead of its receive time (when known) than the policy allows. The readings that
/// fail this are the ones reported as `clock_suspect`.
pub(crate) fn clock_trusted(
    ts: DateTime<Utc>,
    received: Option<DateTime<Utc>>,
    policy: &MeterPolicy,
) -> bool {
    ts >= clock_floor() && received.is_none_or(|rx| ts - rx <= max_skew(policy))
}

fn context_rank(c: ReadingContext) -> u8 {
    match c {
        ReadingContext::TransactionBegin | ReadingContext::TransactionEnd => 0,
        _ => 1,
    }
}

pub(super) fn finish(mut d: Draft, policy: &MeterPolicy) -> Result<Session, Error> {
    let mut anomalies = std::mem::take(&mut d.anomalies);

    // 1. Unknown units under a strict policy are errors; value problems are anomalies.
    for r in d.readings.iter().chain(d.late.iter()) {
        if r.value.is_none() && r.signed_data.is_none() {
            let known = r
                .unit_raw
                .as_deref()
                .is_none_or(|u| crate::meter::Unit::parse(u).is_some() || u.trim().is_empty());
            if !known && policy.unknown_unit == crate::meter::UnknownUnitPolicy::Strict {
                return Err(Error::UnknownUnit {
                    unit: r.unit_raw.clone().unwrap_or_default(),
                    message_id: r.source.message_id.clone(),
                });
            }
        }
    }

    // 2. De-duplicate on (time, measurand, phase, location, value), keeping a Begin/End copy first.
    let mut readings = std::mem::take(&mut d.readings);
    readings.sort_by(|a, b| {
        a.dedup_key()
            .cmp(&b.dedup_key())
            .then(context_rank(a.context).cmp(&context_rank(b.context)))
            .then(a.source.cmp(&b.source))
            .then(a.raw.cmp(&b.raw))
    });
    let mut kept: Vec<Reading> = Vec::with_capacity(readings.len());
    let mut dup_pairs: BTreeMap<(String, String), (usize, DateTime<Utc>)> = BTreeMap::new();
    for r in readings {
        if let Some(last) = kept.last() {
            if last.dedup_key() == r.dedup_key() {
                let summary = d.summary_msgs.contains(&r.source.message_id)
                    || d.summary_msgs.contains(&last.source.message_id);
                if !summary {
                    let e = dup_pairs
                        .entry((last.source.message_id.clone(), r.source.message_id.clone()))
                        .or_insert((0, r.ts_station));
                    e.0 += 1;
                }
                continue;
            }
        }
        kept.push(r);
    }
    for ((orig, dup), (n, at)) in dup_pairs {
        let detail = if orig == dup {
            format!("{n} sampled value(s) repeated within message {orig}; counted once")
        } else {
            format!("{n} reading(s) of message {dup} repeat message {orig}; counted once")
        };
        anomalies.push(Anomaly::new(
            AnomalyKind::Duplicate,
            Some(at),
            Some(&dup),
            detail,
        ));
    }

    // 3. Per-reading problems found during normalisation.
    for r in kept.iter().chain(d.late.iter()) {
        if r.value.is_some() || r.signed_data.is_some() {
            continue;
        }
        let unit_known = r
            .unit_raw
            .as_deref()
            .is_none_or(|u| u.trim().is_empty() || crate::meter::Unit::parse(u).is_some());
        let (kind, what) = if crate::meter::parse_exact(&r.raw).is_none() || unit_known {
            (
                AnomalyKind::Unparseable,
                format!("value {:?} could not be read", r.raw),
            )
        } else {
            (
                AnomalyKind::UnknownUnit,
                format!(
                    "unit {:?} is not an OCPP unit; value {:?} kept raw",
                    r.unit_raw.as_deref().unwrap_or(""),
                    r.raw
                ),
            )
        };
        anomalies.push(Anomaly::new(
            kind,
            Some(r.ts_station),
            Some(&r.source.message_id),
            format!("{} ({})", what, r.measurand),
        ));
    }
    for r in &kept {
        if let (Some(_), Some(u)) = (r.value, r.unit_raw.as_deref()) {
            if let (Some(unit), Some(dim)) = (crate::meter::Unit::parse(u), r.measurand.dimension())
            {
                if unit.dimension() != dim {
                    anomalies.push(Anomaly::new(
                        AnomalyKind::UnitSuspect,
                        Some(r.ts_station),
                        Some(&r.source.message_id),
                        format!("unit {u:?} does not fit measurand {}", r.measurand),
                    ));
                }
            }
        }
    }

    // 4. Window and clock checks: which readings may count.
    let floor = clock_floor();
    let first_ts = kept
        .iter()
        .map(|r| r.ts_station)
        .filter(|t| *t >= floor)
        .min();
    let start = d.start.or(first_ts).or(d.last_seen).unwrap_or(floor);
    let end = d.end;
    let mut counted: Vec<Reading> = Vec::with_capacity(kept.len());
    let mut history: Vec<Reading> = Vec::new();
    for r in kept {
        let ts = r.ts_station;
        // A begin/end register keeps its value when only its time is wrong: without it the
        // session would lose its baseline (or its final reading).
        let anchor = match r.context {
            ReadingContext::TransactionBegin => Some(start),
            ReadingContext::TransactionEnd => end,
            _ => None,
        };
        if let (true, Some(at)) = (ts < floor, anchor) {
            anomalies.push(Anomaly::new(
                AnomalyKind::ClockSuspect,
                Some(ts),
                Some(&r.source.message_id),
                format!(
                    "{} reading stamped before the station clock was set; counted at {}",
                    r.context.as_str(),
                    at.to_rfc3339()
                ),
            ));
            counted.push(Reading {
                ts_station: at,
                ..r
            });
            continue;
        }
        if ts < floor {
            anomalies.push(Anomaly::new(
                AnomalyKind::ClockSuspect,
                Some(ts),
                Some(&r.source.message_id),
                "timestamp before the station clock was set; reading left out of the energy",
            ));
            if policy.pre_sync == PreSyncPolicy::KeepFlagged {
                history.push(r);
            }
            continue;
        }
        if let Some(rx) = r.ts_received {
            if ts - rx > max_skew(policy) {
                anomalies.push(Anomaly::new(
                    AnomalyKind::ClockSuspect,
                    Some(ts),
                    Some(&r.source.message_id),
                    format!(
                        "station time is {} s ahead of the receive time (wrong time zone or clock?)",
                        (ts - rx).num_seconds()
                    ),
                ));
            }
        }
        if ts < start - Duration::seconds(WINDOW_TOLERANCE_S) {
            anomalies.push(Anomaly::new(
                AnomalyKind::ClockSuspect,
                Some(ts),
                Some(&r.source.message_id),
                format!(
                    "reading at {} is before the transaction start {}; left out",
                    ts.to_rfc3339(),
                    start.to_rfc3339()
                ),
            ));
            history.push(r);
            continue;
        }
        if let Some(e) = end {
            if ts > e + Duration::seconds(WINDOW_TOLERANCE_S) {
                anomalies.push(Anomaly::new(
                    AnomalyKind::AfterEnd,
                    Some(ts),
                    Some(&r.source.message_id),
                    format!(
                        "reading at {} is after the transaction ended at {}; kept as history",
                        ts.to_rfc3339(),
                        e.to_rfc3339()
                    ),
                ));
                if policy.late_events == LateEventsPolicy::AppendHistory {
                    history.push(r);
                }
                continue;
            }
        }
        counted.push(r);
    }
    if policy.late_events == LateEventsPolicy::AppendHistory {
        history.append(&mut d.late);
    }

    // 5. Energy.
    let input = EnergyInput {
        readings: &counted,
        meter_start: d.meter_start.clone(),
        meter_stop: d.meter_stop.clone(),
    };
    let mut energy = compute_energy(&input, policy)?;
    anomalies.append(&mut energy.anomalies);

    let last_data = counted
        .iter()
        .map(|r| r.ts_station)
        .chain(d.last_seen)
        .chain(energy.curve.points().last().map(|p| p.0))
        .max()
        .unwrap_or(start);
    let stop_at = end.unwrap_or(last_data);

    // 6. Timeline.
    let mut timeline = timeline(&d, policy, &energy.curve, start, end);

    // 7. Charging time.
    let charging_from_states = |tl: &[StateChange]| -> i64 {
        tl.windows(2)
            .filter(|w| w[0].state.is_charging())
            .map(|w| (w[1].at - w[0].at).num_seconds())
            .sum::<i64>()
            + tl.last()
                .filter(|c| c.state.is_charging())
                .map(|c| (stop_at - c.at).num_seconds().max(0))
                .unwrap_or(0)
    };
    let duration = (stop_at - start).num_seconds().max(0);
    let charging_s = d
        .time_spent_charging
        .unwrap_or_else(|| charging_from_states(&timeline))
        .clamp(0, duration);
    let idle_s = duration - charging_s;

    // 8. Unit plausibility: average power while charging against sampled power.
    let samples = power_samples(&counted);
    if charging_s > 0 && energy.energy_wh > Decimal::ZERO && !samples.is_empty() {
        let avg = energy
            .energy_wh
            .checked_mul(Decimal::from(3600))
            .and_then(|e| e.checked_div(Decimal::from(charging_s)))
            .unwrap_or(Decimal::MAX);
        let positive: Vec<Decimal> = samples
            .iter()
            .map(|s| s.1)
            .filter(|v| *v > Decimal::ZERO)
            .collect();
        if !positive.is_empty() {
            let mean = positive
                .iter()
                .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
                .and_then(|sum| sum.checked_div(Decimal::from(positive.len())))
                .unwrap_or(Decimal::MAX);
            let ratio = avg.checked_div(mean).unwrap_or(Decimal::ZERO);
            let (lo, hi) = (Decimal::from(300), Decimal::from(3000));
            let factor = if ratio >= lo && ratio <= hi {
                Some(Decimal::ONE / Decimal::ONE_THOUSAND)
            } else if ratio > Decimal::ZERO
                && ratio <= Decimal::ONE
                && ratio * hi >= Decimal::ONE
                && ratio * lo <= Decimal::ONE
            {
                Some(Decimal::ONE_THOUSAND)
            } else {
                None
            };
            if let Some(f) = factor {
                let corrected = policy.unit_suspect == UnitSuspectPolicy::AutoCorrect;
                anomalies.push(Anomaly::new(
                    AnomalyKind::UnitSuspect,
                    None,
                    None,
                    format!(
                        "average power {} W while charging is about {} the sampled power {} W: energy values look mislabelled (kWh vs Wh){}",
                        avg.round_dp(1),
                        if f > Decimal::ONE { "1/1000 of" } else { "1000×" },
                        mean.round_dp(1),
                        if corrected { "; corrected by policy" } else { "" }
                    ),
                ));
                if corrected {
                    energy.energy_wh *= f;
                    energy.curve = EnergyCurve::from_points(
                        energy
                            .curve
                            .points()
                            .iter()
                            .map(|(t, c)| (*t, *c * f))
                            .collect(),
                    );
                }
            }
        }
    }
    // Refresh the energy column of the timeline from the final curve.
    for c in &mut timeline {
        c.energy_wh = energy.curve.at(c.at);
    }

    // 9. Derived values.
    let overstay_s = energy
        .curve
        .last_increase()
        .map(|t| (stop_at - t).num_seconds().max(0))
        .unwrap_or(0);
    let derived_peak = energy
        .curve
        .points()
        .windows(2)
        .filter_map(|w| {
            let ms = (w[1].0 - w[0].0).num_milliseconds();
            (ms > 0).then(|| {
                ((w[1].1 - w[0].1) * Decimal::from(3_600_000) / Decimal::from(ms)).round_dp(3)
            })
        })
        .max();
    let peak_power_w = samples.iter().map(|s| s.1).max().or(derived_peak);
    let current_power_w = if end.is_some() {
        Some(Decimal::ZERO)
    } else {
        samples.last().map(|s| s.1).or_else(|| {
            let p = energy.curve.points();
            let n = p.len();
            (n >= 2).then(|| {
                let ms = (p[n - 1].0 - p[n - 2].0).num_milliseconds().max(1);
                ((p[n - 1].1 - p[n - 2].1) * Decimal::from(3_600_000) / Decimal::from(ms))
                    .round_dp(3)
            })
        })
    };
    let soc: Vec<Decimal> = counted
        .iter()
        .filter(|r| r.measurand == Measurand::SoC)
        .filter_map(|r| r.value)
        .collect();
    let (soc_start, soc_end) = (soc.first().copied(), soc.last().copied());

    let mut readings = counted;
    readings.append(&mut history);
    readings.sort_by(|a, b| {
        a.ts_station
            .cmp(&b.ts_station)
            .then(a.source.cmp(&b.source))
    });
    anomalies.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then(a.kind.cmp(&b.kind))
            .then(a.detail.cmp(&b.detail))
    });
    anomalies.dedup();

    Ok(Session {
        station_id: d.station_id,
        key: d.key,
        version: d.version,
        evse_id: d.evse_id,
        connector_id: d.connector_id,
        id_token: d.id_token,
        start,
        end,
        last_seen: last_data.max(start),
        stop_reason: d.stop_reason,
        meter_start_wh: d.meter_start.map(|m| m.wh),
        meter_stop_wh: d.meter_stop.map(|m| m.wh),
        energy_wh: energy.energy_wh.normalize(),
        energy_method: energy.method,
        charging_s,
        idle_s,
        overstay_s,
        peak_power_w,
        current_power_w,
        soc_start,
        soc_end,
        timeline,
        anomalies,
        readings,
        curve: energy.curve,
    })
}

/// The state timeline: reported states inside the window, else states derived from the register.
fn timeline(
    d: &Draft,
    policy: &MeterPolicy,
    curve: &EnergyCurve,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> Vec<StateChange> {
    let mut states: Vec<(DateTime<Utc>, SessionState)> = d.states.clone();
    states.sort();
    // Reported states decide, unless none says "charging" while the register rose.
    let reports_charging = states
        .iter()
        .any(|(t, s)| s.is_charging() && end.is_none_or(|e| *t < e));
    let use_register = policy.idle_detection == IdleDetection::FlatRegister
        || (!reports_charging && curve.last_increase().is_some());
    let mut raw: Vec<(DateTime<Utc>, SessionState)> = Vec::new();
    if use_register {
        raw.push((start, SessionState::Connected));
        for w in curve.points().windows(2) {
            let s = if w[1].1 > w[0].1 {
                SessionState::Charging
            } else {
                SessionState::Idle
            };
            raw.push((w[0].0.max(start), s));
        }
    } else {
        // The state at the start is the last one reported at or before it.
        let before = states.iter().rev().find(|(t, _)| *t <= start).map(|s| s.1);
        raw.push((start, before.unwrap_or(SessionState::Connected)));
        raw.extend(
            states
                .iter()
                .filter(|(t, _)| *t > start && end.is_none_or(|e| *t < e))
                .copied(),
        );
    }
    if let Some(e) = end {
        raw.retain(|(t, _)| *t <= e);
        raw.push((e, SessionState::Ended));
    }
    raw.sort_by_key(|(t, _)| *t);
    let mut out: Vec<StateChange> = Vec::with_capacity(raw.len());
    for (at, state) in raw {
        match out.last_mut() {
            Some(last) if last.state == state => {}
            Some(last) if last.at == at => {
                last.state = state;
            }
            _ => out.push(StateChange {
                at,
                state,
                energy_wh: curve.at(at),
            }),
        }
    }
    // Merging may have produced equal neighbours again.
    out.dedup_by(|b, a| a.state == b.state);
    out
}
