//! Turns the raw material of one transaction (a [`Draft`]) into a [`Session`]:
//! de-duplication, window checks, clock checks, energy, timeline, derived times.

mod tail;

use super::periods::power_samples;
use super::{Session, SessionState, StateChange, TransactionKey};
use crate::limits::{self, MAX_SESSION_READINGS};
use crate::meter::{
    energy_and_end, export_energy, Anomaly, AnomalyKind, EnergyInput, EnergyMethod, Flow,
    LateEventsPolicy, Measurand, MeterMark, MeterPolicy, PreSyncPolicy, Reading, ReadingContext,
    UnitSuspectPolicy,
};
use crate::meter::{EnergyCurve, IdleDetection};
use crate::ocpp::OcppVersion;
use crate::Error;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
pub(super) use tail::{Addition, Ending, Tail};

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
    /// Where the transaction's message stream stands (for extending it live).
    pub stream: Stream,
    /// 2.1: the tariff of the latest event that names one.
    pub tariff_id: Option<String>,
    /// 2.1: the `costDetails` JSON of the latest event that carries it.
    pub cost_details: Option<String>,
    /// 2.1: the cost limit of the latest event that sets one.
    pub max_cost: Option<Decimal>,
}

/// Where a transaction's messages stand in arrival and station order: what a later message
/// must follow to add nothing but itself (no `out_of_order`, no `duplicate`, no gap).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stream {
    /// Latest station time among the messages checked for arrival order (1.6).
    pub latest_time: Option<DateTime<Utc>>,
    /// The last event by seqNo and its timestamp (2.0.1).
    pub last_event: Option<(u64, DateTime<Utc>)>,
    /// Whether every message of the transaction has a receive time.
    pub all_received: bool,
    /// The latest receive time among them.
    pub latest_received: Option<DateTime<Utc>>,
}

impl Stream {
    /// Whether a message received at `received` sorts after every earlier one in arrival
    /// order (receive time when all have one, else position of arrival, where it is last).
    pub fn arrives_last(&self, received: Option<DateTime<Utc>>) -> bool {
        !self.all_received || received.is_some_and(|r| self.latest_received.is_none_or(|l| r >= l))
    }
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
            stream: Stream::default(),
            tariff_id: None,
            cost_details: None,
            max_cost: None,
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

/// What readings are de-duplicated by, in order: what they measure, a Begin/End copy first.
type DedupRank = (
    (
        DateTime<Utc>,
        Measurand,
        Option<crate::meter::Phase>,
        Option<crate::meter::Location>,
        Option<Decimal>,
    ),
    u8,
);

fn dedup_rank(r: &Reading) -> DedupRank {
    (r.dedup_key(), context_rank(r.context))
}

/// The order readings are de-duplicated in: [`dedup_rank`], then the message, then the text.
fn reading_order(a: &Reading, b: &Reading) -> std::cmp::Ordering {
    dedup_rank(a)
        .cmp(&dedup_rank(b))
        .then_with(|| by_message(a, b))
}

fn by_message(a: &Reading, b: &Reading) -> std::cmp::Ordering {
    a.source.cmp(&b.source).then_with(|| a.raw.cmp(&b.raw))
}

/// A stable sort by `key`, then `tie`, that moves each reading once: readings are large,
/// and a sort of the values themselves spends most of its time moving them.
fn sort_readings<K: Ord>(
    readings: &mut Vec<Reading>,
    key: impl Fn(&Reading) -> K,
    tie: impl Fn(&Reading, &Reading) -> std::cmp::Ordering,
) {
    let mut by: Vec<(K, usize)> = readings.iter().map(&key).zip(0..).collect();
    if by.is_sorted_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| tie(&readings[a.1], &readings[b.1]))
            .is_le()
    }) {
        return;
    }
    by.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| tie(&readings[a.1], &readings[b.1]))
    });
    let mut slots: Vec<Option<Reading>> = std::mem::take(readings).into_iter().map(Some).collect();
    readings.reserve_exact(slots.len());
    readings.extend(
        by.into_iter()
            .filter_map(|(_, i)| slots.get_mut(i).and_then(Option::take)),
    );
}

/// Whether a reading's unit names another dimension than its measurand (`unit_suspect`).
fn unit_misfit(r: &Reading) -> bool {
    match (r.value, r.unit_raw.as_deref()) {
        (Some(_), Some(u)) => match (crate::meter::Unit::parse(u), r.measurand.dimension()) {
            (Some(unit), Some(dim)) => unit.dimension() != dim,
            _ => false,
        },
        _ => false,
    }
}

/// Positive power samples, summed (`None` on overflow) and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PositivePower {
    sum: Option<Decimal>,
    count: usize,
}

impl PositivePower {
    fn add(&mut self, w: Decimal) {
        if w > Decimal::ZERO {
            self.sum = self.sum.and_then(|s| s.checked_add(w));
            self.count += 1;
        }
    }
}

/// Energy values that look mislabelled (kWh for Wh or the reverse): the factor that corrects
/// them, with the average power while charging and the mean sampled power that say so.
fn mislabel(
    energy_wh: Decimal,
    charging_s: i64,
    positive: PositivePower,
) -> Option<(Decimal, Decimal, Decimal)> {
    if charging_s <= 0 || energy_wh <= Decimal::ZERO || positive.count == 0 {
        return None;
    }
    let avg = energy_wh
        .checked_mul(Decimal::from(3600))
        .and_then(|e| e.checked_div(Decimal::from(charging_s)))
        .unwrap_or(Decimal::MAX);
    let mean = positive
        .sum
        .and_then(|sum| sum.checked_div(Decimal::from(positive.count)))
        .unwrap_or(Decimal::MAX);
    let ratio = avg.checked_div(mean).unwrap_or(Decimal::ZERO);
    let (lo, hi) = (Decimal::from(300), Decimal::from(3000));
    let factor = if ratio >= lo && ratio <= hi {
        Decimal::ONE / Decimal::ONE_THOUSAND
    } else if ratio > Decimal::ZERO
        && ratio <= Decimal::ONE
        && ratio * hi >= Decimal::ONE
        && ratio * lo <= Decimal::ONE
    {
        Decimal::ONE_THOUSAND
    } else {
        return None;
    };
    Some((factor, avg, mean))
}

/// Power from two points of the energy curve, W (to the mW).
fn power_between(a: (DateTime<Utc>, Decimal), b: (DateTime<Utc>, Decimal)) -> Decimal {
    let ms = (b.0 - a.0).num_milliseconds().max(1);
    ((b.1 - a.1) * Decimal::from(3_600_000) / Decimal::from(ms)).round_dp(3)
}

/// The session of a draft.
pub(super) fn finish(d: Draft, policy: &MeterPolicy) -> Result<Session, Error> {
    finish_with_tail(d, policy).map(|(s, _)| s)
}

/// The session of a draft, and what extending it by later readings needs when that is
/// possible without looking at the draft again (see [`Tail`]).
pub(super) fn finish_with_tail(
    mut d: Draft,
    policy: &MeterPolicy,
) -> Result<(Session, Option<Tail>), Error> {
    limits::check(
        || format!("readings of session {}/{}", d.station_id, d.key),
        d.readings.len() + d.late.len(),
        MAX_SESSION_READINGS,
        "MAX_SESSION_READINGS",
    )?;
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
    let max_ts = readings
        .iter()
        .chain(d.late.iter())
        .map(|r| r.ts_station)
        .max();
    sort_readings(&mut readings, dedup_rank, by_message);
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
    for r in kept.iter().filter(|r| unit_misfit(r)) {
        anomalies.push(Anomaly::new(
            AnomalyKind::UnitSuspect,
            Some(r.ts_station),
            Some(&r.source.message_id),
            format!(
                "unit {:?} does not fit measurand {}",
                r.unit_raw.as_deref().unwrap_or(""),
                r.measurand
            ),
        ));
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
    let (mut energy, register_end) = energy_and_end(&input, policy)?;
    anomalies.append(&mut energy.anomalies);
    let mut export = export_energy(&counted, policy)?;
    if let Some(x) = export.as_mut() {
        anomalies.append(&mut x.anomalies);
    }

    let last_data = counted
        .iter()
        .map(|r| r.ts_station)
        .chain(d.last_seen)
        .chain(energy.curve.points().last().map(|p| p.0))
        .max()
        .unwrap_or(start);
    let stop_at = end.unwrap_or(last_data);

    // 6. Timeline.
    let reports_charging = d
        .states
        .iter()
        .any(|(t, s)| s.is_charging() && end.is_none_or(|e| *t < e));
    let use_register = policy.idle_detection == IdleDetection::FlatRegister
        || (!reports_charging && energy.curve.last_increase().is_some());
    let mut timeline = timeline(&d, use_register, &energy.curve, start, end);
    if let Some(x) = &export {
        timeline = with_discharging(timeline, &x.curve, &energy.curve, end);
    }

    // 7. Charging (and discharging) time.
    let duration = (stop_at - start).num_seconds().max(0);
    let discharging_s = spans_s(&timeline, stop_at, SessionState::Discharging).clamp(0, duration);
    let charging_s = d
        .time_spent_charging
        .unwrap_or_else(|| closed_charging_s(&timeline) + open_charging_s(&timeline, stop_at))
        .clamp(0, duration - discharging_s);
    let idle_s = duration - charging_s - discharging_s;

    // 8. Unit plausibility: average power while (dis)charging against sampled power.
    let samples = power_samples(&counted, Flow::Import);
    let mut positive = PositivePower {
        sum: Some(Decimal::ZERO),
        count: 0,
    };
    for (_, w) in &samples {
        positive.add(*w);
    }
    let mislabelled = mislabel(energy.energy_wh, charging_s, positive);
    if let Some(f) = mislabelled.and_then(|m| check_labels(m, Flow::Import, policy, &mut anomalies))
    {
        energy.energy_wh *= f;
        energy.curve = energy.curve.scaled(f);
    }
    if let Some(x) = export.as_mut() {
        let mut positive = PositivePower {
            sum: Some(Decimal::ZERO),
            count: 0,
        };
        for (_, w) in power_samples(&counted, Flow::Export) {
            positive.add(w);
        }
        let found = mislabel(x.energy_wh, discharging_s, positive);
        if let Some(f) = found.and_then(|m| check_labels(m, Flow::Export, policy, &mut anomalies)) {
            x.energy_wh *= f;
            x.curve = x.curve.scaled(f);
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
        .filter(|w| w[1].0 > w[0].0)
        .map(|w| power_between(w[0], w[1]))
        .max();
    let peak_power_w = samples.iter().map(|s| s.1).max().or(derived_peak);
    let current_power_w = if end.is_some() {
        Some(Decimal::ZERO)
    } else {
        samples
            .last()
            .map(|s| s.1)
            .or_else(|| match energy.curve.points() {
                [.., a, b] => Some(power_between(*a, *b)),
                _ => None,
            })
    };
    let soc: Vec<Decimal> = counted
        .iter()
        .filter(|r| r.measurand == Measurand::SoC)
        .filter_map(|r| r.value)
        .collect();
    let (soc_start, soc_end) = (soc.first().copied(), soc.last().copied());

    let power_of = |phased: bool| {
        counted.iter().any(|r| {
            r.measurand == Measurand::PowerActiveImport
                && r.value.is_some()
                && r.phase.is_some() == phased
        })
    };
    let (power_unphased, power_phased) = (power_of(false), power_of(true));
    let mut readings = counted;
    readings.append(&mut history);
    sort_readings(
        &mut readings,
        |r| r.ts_station,
        |a, b| a.source.cmp(&b.source),
    );
    anomalies.sort_by(|a, b| {
        a.at.cmp(&b.at)
            .then(a.kind.cmp(&b.kind))
            .then(a.detail.cmp(&b.detail))
    });
    anomalies.dedup();

    // A discharging session is derived again on every read: the in-place path follows the
    // import only.
    let export_wh = export.as_ref().map_or(Decimal::ZERO, |x| x.energy_wh);
    let tail = register_end
        .filter(|_| end.is_none() && d.late.is_empty() && mislabelled.is_none() && export.is_none())
        .map(|register| Tail {
            register,
            max_ts: max_ts
                .into_iter()
                .chain(readings.last().map(|r| r.ts_station))
                .max(),
            last_data,
            power_unphased,
            power_phased,
            positive,
            max_sample: samples.iter().map(|s| s.1).max(),
            last_sample: samples.last().map(|s| s.1),
            derived_peak,
            last_increase: energy.curve.last_increase(),
            use_register,
            reports_charging,
            closed_charging_s: closed_charging_s(&timeline),
            last_state: d.states.iter().max().map(|s| s.1),
            latest_state_at: d.states.iter().max().map(|s| s.0),
            time_spent_charging: d.time_spent_charging,
            stream: d.stream,
        });
    let stable_key = match d.version {
        OcppVersion::V16 => format!(
            "{}/{}/{}",
            d.station_id,
            d.connector_id.unwrap_or(0),
            start.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ),
        _ => format!("{}/{}", d.station_id, d.key),
    };
    let session = Session {
        stable_key,
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
        energy_export_wh: export_wh.normalize(),
        energy_net_wh: (energy.energy_wh - export_wh).normalize(),
        energy_method: energy.method,
        export_method: export.as_ref().map_or(EnergyMethod::NoData, |x| x.method),
        charging_s,
        discharging_s,
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
        export_curve: export.map(|x| x.curve).unwrap_or_default(),
        tariff_id: d.tariff_id,
        reported_cost_details: d.cost_details,
        max_cost: d.max_cost,
    };
    Ok((session, tail))
}

/// Reports energy values that look mislabelled and returns the factor to apply, if the policy
/// corrects them.
fn check_labels(
    (f, avg, mean): (Decimal, Decimal, Decimal),
    flow: Flow,
    policy: &MeterPolicy,
    anomalies: &mut Vec<Anomaly>,
) -> Option<Decimal> {
    let corrected = policy.unit_suspect == UnitSuspectPolicy::AutoCorrect;
    let (while_, what) = match flow {
        Flow::Import => ("charging", "energy"),
        Flow::Export => ("discharging", "export energy"),
    };
    anomalies.push(Anomaly::new(
        AnomalyKind::UnitSuspect,
        None,
        None,
        format!(
            "average power {} W while {while_} is about {} the sampled power {} W: {what} values look mislabelled (kWh vs Wh){}",
            avg.round_dp(1),
            if f > Decimal::ONE { "1/1000 of" } else { "1000×" },
            mean.round_dp(1),
            if corrected { "; corrected by policy" } else { "" }
        ),
    ));
    corrected.then_some(f)
}

/// The timeline with every span in which the export register rose marked `discharging`
/// (the station reports no discharging state: 2.1 tells it by the export energy).
fn with_discharging(
    timeline: Vec<StateChange>,
    export: &EnergyCurve,
    import: &EnergyCurve,
    end: Option<DateTime<Utc>>,
) -> Vec<StateChange> {
    let Some(first) = timeline.first().map(|c| c.at) else {
        return timeline;
    };
    let last = end.unwrap_or(DateTime::<Utc>::MAX_UTC);
    let spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = export
        .points()
        .windows(2)
        .filter(|w| w[1].1 > w[0].1)
        .map(|w| (w[0].0.max(first), w[1].0.min(last)))
        .filter(|(a, b)| a < b)
        .collect();
    let reported = |t: DateTime<Utc>| {
        let i = timeline.partition_point(|c| c.at <= t);
        timeline[i.saturating_sub(1)].state
    };
    let mut cuts: Vec<DateTime<Utc>> = timeline.iter().map(|c| c.at).collect();
    cuts.extend(spans.iter().flat_map(|(a, b)| [*a, *b]));
    cuts.sort();
    cuts.dedup();
    let mut out: Vec<StateChange> = Vec::with_capacity(cuts.len());
    for at in cuts {
        let state = match reported(at) {
            SessionState::Ended => SessionState::Ended,
            _ if spans.iter().any(|(a, b)| *a <= at && at < *b) => SessionState::Discharging,
            s => s,
        };
        if out.last().is_none_or(|l| l.state != state) {
            out.push(StateChange {
                at,
                state,
                energy_wh: import.at(at),
            });
        }
    }
    out
}

/// Seconds spent in `state` over a timeline that runs until `stop_at`.
fn spans_s(tl: &[StateChange], stop_at: DateTime<Utc>, state: SessionState) -> i64 {
    let closed: i64 = tl
        .windows(2)
        .filter(|w| w[0].state == state)
        .map(|w| (w[1].at - w[0].at).num_seconds())
        .sum();
    let open = tl
        .last()
        .filter(|c| c.state == state)
        .map(|c| (stop_at - c.at).num_seconds().max(0))
        .unwrap_or(0);
    closed + open
}

/// Seconds charged in the closed spans of a timeline (all but its last entry).
fn closed_charging_s(tl: &[StateChange]) -> i64 {
    tl.windows(2)
        .filter(|w| w[0].state.is_charging())
        .map(|w| (w[1].at - w[0].at).num_seconds())
        .sum()
}

/// Seconds charged from a timeline's last entry until `stop_at`.
fn open_charging_s(tl: &[StateChange], stop_at: DateTime<Utc>) -> i64 {
    tl.last()
        .filter(|c| c.state.is_charging())
        .map(|c| (stop_at - c.at).num_seconds().max(0))
        .unwrap_or(0)
}

/// The state timeline: reported states inside the window, else states derived from the register.
/// Reported states decide, unless none says "charging" while the register rose
/// (`use_register`).
fn timeline(
    d: &Draft,
    use_register: bool,
    curve: &EnergyCurve,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> Vec<StateChange> {
    let mut states: Vec<(DateTime<Utc>, SessionState)> = d.states.clone();
    states.sort();
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
