//! The session-energy algorithm (`docs/metering.md` §3): series selection,
//! integration with dip / reset / rollover / implausible-jump classification,
//! baseline and end-value checks. Every correction is reported as an anomaly.

use super::{
    Anomaly, AnomalyKind, BeginZeroPolicy, ClockAlignedPolicy, Flow, Measurand, MeterPolicy,
    NegativeStepPolicy, Phase, Reading, ReadingContext, SeriesPreference, StartStopPolicy,
};
use crate::enums::wire_enum;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

wire_enum! {
    /// Which data the session energy was computed from, in order of preference.
    pub enum EnergyMethod {
        /// The unphased `Energy.Active.Import.Register`.
        Register = "register",
        /// The sum of the per-phase registers.
        PhaseSum = "phase_sum",
        /// The sum of `Energy.Active.Import.Interval` values.
        Interval = "interval",
        /// `Energy.Active.Net`.
        Net = "net",
        /// `meterStop − meterStart`.
        StartStop = "start_stop",
        /// Signed begin and end readings (OCMF).
        Signed = "signed",
        /// No energy data at all.
        NoData = "no_data",
    }
}

/// A register value outside the sampled series (1.6 `meterStart` / `meterStop`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterMark {
    /// When it was taken.
    pub at: DateTime<Utc>,
    /// The value, Wh.
    pub wh: Decimal,
    /// The message that carried it.
    pub message_id: String,
}

/// What the energy algorithm works on.
#[derive(Debug, Clone, Default)]
pub struct EnergyInput<'a> {
    /// The transaction's readings inside its window (any measurands).
    pub readings: &'a [Reading],
    /// 1.6 `meterStart`.
    pub meter_start: Option<MeterMark>,
    /// 1.6 `meterStop`.
    pub meter_stop: Option<MeterMark>,
}

/// Cumulative accepted energy over time: non-decreasing, starting at 0.
///
/// ```
/// use chargekit::meter::EnergyCurve;
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
/// let t1 = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
/// let c = EnergyCurve::from_points(vec![(t0, Decimal::ZERO), (t1, Decimal::from(1000))]);
/// assert_eq!(c.at(Utc.with_ymd_and_hms(2026, 3, 10, 8, 30, 0).unwrap()), Decimal::from(500));
/// assert_eq!(c.total(), Decimal::from(1000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EnergyCurve {
    points: Vec<(DateTime<Utc>, Decimal)>,
}

impl EnergyCurve {
    /// Builds a curve from `(time, cumulative Wh)` points sorted by time.
    pub fn from_points(points: Vec<(DateTime<Utc>, Decimal)>) -> Self {
        Self { points }
    }

    /// Appends a later point.
    pub(crate) fn push(&mut self, at: DateTime<Utc>, wh: Decimal) {
        self.points.push((at, wh));
    }

    /// The curve with every cumulative value multiplied by `factor` (a unit correction).
    pub(crate) fn scaled(&self, factor: Decimal) -> Self {
        Self::from_points(self.points.iter().map(|(t, c)| (*t, *c * factor)).collect())
    }

    /// The points.
    pub fn points(&self) -> &[(DateTime<Utc>, Decimal)] {
        &self.points
    }

    /// Total energy (the last cumulative value).
    pub fn total(&self) -> Decimal {
        self.points.last().map(|p| p.1).unwrap_or_default()
    }

    /// Cumulative energy at `t`, linearly interpolated between points (to the mWh).
    pub fn at(&self, t: DateTime<Utc>) -> Decimal {
        let idx = self.points.partition_point(|p| p.0 <= t);
        if idx == 0 {
            return Decimal::ZERO;
        }
        let (t0, c0) = self.points[idx - 1];
        let Some(&(t1, c1)) = self.points.get(idx) else {
            return c0;
        };
        let span = (t1 - t0).num_milliseconds();
        if span <= 0 || c1 == c0 {
            return c0;
        }
        let part = Decimal::from((t - t0).num_milliseconds()) / Decimal::from(span);
        (c0 + (c1 - c0) * part).round_dp(3).clamp(c0, c1)
    }

    /// Time of the last increase of the cumulative energy, if any.
    pub fn last_increase(&self) -> Option<DateTime<Utc>> {
        self.points
            .windows(2)
            .rev()
            .find(|w| w[1].1 > w[0].1)
            .map(|w| w[1].0)
    }
}

/// The result of the energy algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnergyResult {
    /// Session energy, Wh (never negative).
    pub energy_wh: Decimal,
    /// How it was computed.
    pub method: EnergyMethod,
    /// Cumulative energy over time.
    pub curve: EnergyCurve,
    /// What was found on the way.
    pub anomalies: Vec<Anomaly>,
}

#[derive(Debug, Clone)]
struct Pt {
    ts: DateTime<Utc>,
    v: Decimal,
    ctx: ReadingContext,
    msg: String,
}

/// Computes the session energy from a transaction's readings.
///
/// ```
/// use chargekit::meter::{compute_energy, EnergyInput, EnergyMethod, MeterMark, MeterPolicy};
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let t = |m| Utc.with_ymd_and_hms(2026, 3, 10, 8, m, 0).unwrap();
/// let input = EnergyInput {
///     readings: &[],
///     meter_start: Some(MeterMark { at: t(0), wh: Decimal::from(1000), message_id: "1".into() }),
///     meter_stop: Some(MeterMark { at: t(30), wh: Decimal::from(4500), message_id: "2".into() }),
/// };
/// let r = compute_energy(&input, &MeterPolicy::default()).unwrap();
/// assert_eq!(r.energy_wh, Decimal::from(3500));
/// assert_eq!(r.method, EnergyMethod::StartStop);
/// ```
pub fn compute_energy(
    input: &EnergyInput<'_>,
    policy: &MeterPolicy,
) -> Result<EnergyResult, Error> {
    energy_and_end(input, policy).map(|(e, _)| e)
}

/// Whether the energy algorithm looks at a reading at all.
pub(crate) fn usable(r: &Reading, policy: &MeterPolicy) -> bool {
    r.value.is_some()
        && policy.location.accepts(r.location)
        && !(policy.clock_aligned == ClockAlignedPolicy::Ignore
            && r.context == ReadingContext::SampleClock)
}

/// Where an integration of the unphased register ended cleanly: the point a later register
/// value continues from without reconsidering anything before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RegisterEnd {
    /// Time of the last register value.
    pub at: DateTime<Utc>,
    /// The last register value, Wh.
    pub wh: Decimal,
}

impl RegisterEnd {
    /// The energy a later register value adds when the step raises no question (later,
    /// not lower, within the rated power); `None` when the whole series must be looked at.
    pub(crate) fn step(
        &self,
        at: DateTime<Utc>,
        wh: Decimal,
        policy: &MeterPolicy,
    ) -> Option<Decimal> {
        let delta = wh - self.wh;
        (at > self.at && delta >= Decimal::ZERO && plausible(delta, self.at, at, policy))
            .then_some(delta)
    }
}

/// [`compute_energy`], and where the register integration ended when it ended cleanly: the
/// unphased register was used, its baseline is settled (two values or more, the last one
/// above zero), no lookahead decision is pending on its last value, and neither a
/// Transaction.End value nor a `meterStop` closes it.
pub(crate) fn energy_and_end(
    input: &EnergyInput<'_>,
    policy: &MeterPolicy,
) -> Result<(EnergyResult, Option<RegisterEnd>), Error> {
    energy_of(input, policy, Flow::Import)
}

/// The energy the EV fed back (V2X), from the export register (unphased, else the per-phase
/// sum) or the export intervals, under the same rules and anomaly checks as the import
/// (1.6 `meterStart`/`meterStop` and `Energy.Active.Net` only ever describe the import);
/// `None` when the readings hold no export energy. Each anomaly's detail names the export.
pub(crate) fn export_energy(
    readings: &[Reading],
    policy: &MeterPolicy,
) -> Result<Option<EnergyResult>, Error> {
    let input = EnergyInput {
        readings,
        ..EnergyInput::default()
    };
    let (mut r, _) = energy_of(&input, policy, Flow::Export)?;
    if r.method == EnergyMethod::NoData {
        return Ok(None);
    }
    for a in &mut r.anomalies {
        a.detail = format!("export energy: {}", a.detail);
    }
    Ok(Some(r))
}

fn energy_of(
    input: &EnergyInput<'_>,
    policy: &MeterPolicy,
    flow: Flow,
) -> Result<(EnergyResult, Option<RegisterEnd>), Error> {
    let mut anomalies = Vec::new();
    let usable: Vec<&Reading> = input
        .readings
        .iter()
        .filter(|r| usable(r, policy))
        .collect();

    let register = series(&usable, flow.register());
    let interval = series(&usable, flow.interval());
    let net = match flow {
        Flow::Import => series(&usable, Measurand::EnergyActiveNet),
        Flow::Export => Vec::new(),
    };
    let phase_sum = phase_sum(&usable, flow.register());

    let mut order = vec![
        (EnergyMethod::Register, register),
        (EnergyMethod::PhaseSum, phase_sum),
        (EnergyMethod::Interval, interval),
        (EnergyMethod::Net, net),
    ];
    if policy.series == SeriesPreference::PreferInterval {
        order.swap(0, 2);
        order.swap(1, 2);
    }
    let chosen = order.into_iter().find(|(_, pts)| !pts.is_empty());
    let mut end = None;
    let (mut energy, mut method, mut curve) = match chosen {
        Some((EnergyMethod::Interval, pts)) => {
            let (e, c) = integrate_interval(pts, input, &mut anomalies);
            (e, EnergyMethod::Interval, c)
        }
        Some((m, pts)) => {
            let (e, c, last) = integrate_register(pts, input, policy, &mut anomalies)?;
            if m == EnergyMethod::Register && input.meter_stop.is_none() {
                end = last;
            }
            (e, m, c)
        }
        None => start_stop(input, policy, &mut anomalies),
    };

    // Cross-check against meterStop − meterStart (1.6).
    if let (Some(s), Some(e)) = (&input.meter_start, &input.meter_stop) {
        if method != EnergyMethod::StartStop {
            let declared = e.wh - s.wh;
            if (declared - energy).abs() > policy.start_stop_tolerance_wh {
                if !anomalies
                    .iter()
                    .any(|a| a.kind == AnomalyKind::StartStopMismatch)
                {
                    anomalies.push(Anomaly::new(
                        AnomalyKind::StartStopMismatch,
                        Some(e.at),
                        Some(&e.message_id),
                        format!(
                            "meterStop − meterStart = {declared} Wh, but the sampled series gives {energy} Wh"
                        ),
                    ));
                }
                if policy.start_stop == StartStopPolicy::PreferStartStop
                    && declared >= Decimal::ZERO
                {
                    energy = declared;
                    method = EnergyMethod::StartStop;
                    curve = EnergyCurve::from_points(vec![(s.at, Decimal::ZERO), (e.at, declared)]);
                }
            }
        }
    }
    Ok((
        EnergyResult {
            energy_wh: energy,
            method,
            curve,
            anomalies,
        },
        end,
    ))
}

fn series(readings: &[&Reading], m: Measurand) -> Vec<Pt> {
    readings
        .iter()
        .filter(|r| r.measurand == m && r.phase.is_none())
        .filter_map(|r| {
            Some(Pt {
                ts: r.ts_station,
                v: r.value?,
                ctx: r.context,
                msg: r.source.message_id.clone(),
            })
        })
        .collect()
}

/// Per-phase registers summed at every timestamp that has all the phases seen.
fn phase_sum(readings: &[&Reading], register: Measurand) -> Vec<Pt> {
    for phases in [
        [Phase::L1, Phase::L2, Phase::L3],
        [Phase::L1N, Phase::L2N, Phase::L3N],
    ] {
        let regs: Vec<&&Reading> = readings
            .iter()
            .filter(|r| r.measurand == register)
            .filter(|r| r.phase.is_some_and(|p| phases.contains(&p)))
            .collect();
        if regs.is_empty() {
            continue;
        }
        let seen: std::collections::BTreeSet<Phase> = regs.iter().filter_map(|r| r.phase).collect();
        let mut by_ts: BTreeMap<DateTime<Utc>, BTreeMap<Phase, &Reading>> = BTreeMap::new();
        for r in &regs {
            if let Some(p) = r.phase {
                // Keep the larger of two values for one phase at one time (registers only rise).
                let slot = by_ts.entry(r.ts_station).or_default();
                match slot.get(&p) {
                    Some(prev) if prev.value >= r.value => {}
                    _ => {
                        slot.insert(p, r);
                    }
                }
            }
        }
        return by_ts
            .into_iter()
            .filter(|(_, m)| m.len() == seen.len())
            .filter_map(|(ts, m)| {
                let first = m.values().next()?;
                Some(Pt {
                    ts,
                    v: m.values().filter_map(|r| r.value).sum(),
                    ctx: first.context,
                    msg: first.source.message_id.clone(),
                })
            })
            .collect();
    }
    Vec::new()
}

/// Whether `delta_wh` over the span between `a` and `b` stays within the rated power.
fn plausible(delta_wh: Decimal, a: DateTime<Utc>, b: DateTime<Utc>, policy: &MeterPolicy) -> bool {
    if delta_wh <= Decimal::ZERO {
        return true;
    }
    let ms = (b - a).num_milliseconds();
    if ms <= 0 {
        return false;
    }
    // delta / hours <= rated × 1.1  ⇔  delta × 3_600_000 <= rated × 1.1 × ms.
    // Overflow only happens for absurd inputs; a bound that cannot be computed does not bind.
    let lhs = delta_wh.checked_mul(Decimal::from(3_600_000));
    let rhs = policy
        .rated_power_w
        .checked_mul(Decimal::new(11, 1))
        .and_then(|c| c.checked_mul(Decimal::from(ms)));
    match (lhs, rhs) {
        (Some(l), Some(r)) => l <= r,
        (None, Some(_)) => false,
        (_, None) => true,
    }
}

fn sort_and_merge_same_time(mut pts: Vec<Pt>, anomalies: &mut Vec<Anomaly>) -> Vec<Pt> {
    pts.sort_by(|a, b| a.ts.cmp(&b.ts).then(a.v.cmp(&b.v)).then(a.msg.cmp(&b.msg)));
    let mut out: Vec<Pt> = Vec::with_capacity(pts.len());
    for p in pts {
        match out.last_mut() {
            Some(last) if last.ts == p.ts => {
                if last.v != p.v {
                    // Two register values for one instant: a stale value (e.g. a Begin
                    // value repeated in a later message). Registers only rise: keep the larger.
                    anomalies.push(Anomaly::new(
                        AnomalyKind::OutOfOrder,
                        Some(p.ts),
                        Some(&last.msg),
                        format!(
                            "two register values for one instant ({} Wh and {} Wh); the older, smaller one is left out",
                            last.v, p.v
                        ),
                    ));
                }
                if p.v >= last.v {
                    // Prefer a Begin/End context if the values are equal, so baselines are found.
                    let ctx = if p.v == last.v && is_edge(last.ctx) {
                        last.ctx
                    } else {
                        p.ctx
                    };
                    *last = Pt { ctx, ..p };
                }
            }
            _ => out.push(p),
        }
    }
    out
}

fn is_edge(c: ReadingContext) -> bool {
    matches!(
        c,
        ReadingContext::TransactionBegin | ReadingContext::TransactionEnd
    )
}

fn integrate_register(
    pts: Vec<Pt>,
    input: &EnergyInput<'_>,
    policy: &MeterPolicy,
    anomalies: &mut Vec<Anomaly>,
) -> Result<(Decimal, EnergyCurve, Option<RegisterEnd>), Error> {
    let mut pts = sort_and_merge_same_time(pts, anomalies);
    // With two values the baseline decisions below no longer depend on later values.
    let settled = pts.len() >= 2;

    // Baseline: a Transaction.Begin value of 0 followed by a large value is an offline placeholder.
    if let Some(bi) = pts
        .iter()
        .position(|p| p.ctx == ReadingContext::TransactionBegin)
    {
        let b = &pts[bi];
        if b.v.is_zero() && policy.begin_zero == BeginZeroPolicy::RejectPlaceholder {
            if let Some(next) = pts[bi + 1..].iter().find(|p| p.v > Decimal::ZERO) {
                let far = next.v >= policy.begin_zero_threshold_wh
                    || !plausible(next.v, b.ts, next.ts, policy)
                    || input
                        .meter_start
                        .as_ref()
                        .is_some_and(|m| m.wh > Decimal::ZERO && m.wh <= next.v);
                if far {
                    anomalies.push(Anomaly::new(
                        AnomalyKind::BeginZeroPlaceholder,
                        Some(b.ts),
                        Some(&b.msg),
                        format!(
                            "Transaction.Begin value 0 Wh followed by {} Wh: an offline placeholder, not used as the baseline",
                            next.v
                        ),
                    ));
                    pts.remove(bi);
                }
            }
        }
    }
    let has_begin = pts
        .iter()
        .any(|p| p.ctx == ReadingContext::TransactionBegin);
    let has_end = pts.iter().any(|p| p.ctx == ReadingContext::TransactionEnd);

    if let (false, Some(ms), Some(first)) = (has_begin, &input.meter_start, pts.first()) {
        let fits_first = ms.wh <= first.v && plausible(first.v - ms.wh, ms.at, first.ts, policy);
        // A first sample that dips below meterStart is classified as a dip once the mark is in.
        let first_dips = pts.get(1).is_some_and(|second| {
            first.v < ms.wh
                && ms.wh <= second.v
                && plausible(second.v - ms.wh, ms.at, second.ts, policy)
        });
        if ms.at <= first.ts && (fits_first || first_dips) {
            let mark = Pt {
                ts: ms.at,
                v: ms.wh,
                ctx: ReadingContext::TransactionBegin,
                msg: ms.message_id.clone(),
            };
            if ms.at == first.ts {
                pts[0] = Pt {
                    v: first.v.max(ms.wh),
                    ..mark
                };
            } else {
                pts.insert(0, mark);
            }
        } else {
            anomalies.push(Anomaly::new(
                AnomalyKind::StartStopMismatch,
                Some(ms.at),
                Some(&ms.message_id),
                format!(
                    "meterStart {} Wh does not fit the sampled series starting at {} Wh; the series is trusted",
                    ms.wh, first.v
                ),
            ));
        }
    }
    if let (false, Some(me), Some(last)) = (has_end, &input.meter_stop, pts.last()) {
        if me.at >= last.ts && me.wh >= last.v && plausible(me.wh - last.v, last.ts, me.at, policy)
        {
            if me.at > last.ts {
                pts.push(Pt {
                    ts: me.at,
                    v: me.wh,
                    ctx: ReadingContext::TransactionEnd,
                    msg: me.message_id.clone(),
                });
            }
        } else {
            anomalies.push(Anomaly::new(
                AnomalyKind::StartStopMismatch,
                Some(me.at),
                Some(&me.message_id),
                format!(
                    "meterStop {} Wh does not fit the sampled series ending at {} Wh; the series is trusted",
                    me.wh, last.v
                ),
            ));
        }
    }

    let Some(first) = pts.first() else {
        return Ok((Decimal::ZERO, EnergyCurve::default(), None));
    };
    let mut total = Decimal::ZERO;
    let mut prev = first.clone();
    let mut curve = vec![(first.ts, Decimal::ZERO)];
    let mut clean = false;
    let mut i = 1;
    while i < pts.len() {
        let cur = &pts[i];
        let delta = cur.v - prev.v;
        clean = false;
        if delta >= Decimal::ZERO {
            let fits = plausible(delta, prev.ts, cur.ts, policy);
            if fits || policy.allow_implausible {
                if !fits {
                    anomalies.push(implausible(&prev, cur, delta, true));
                }
                total += delta;
            } else {
                anomalies.push(implausible(&prev, cur, delta, false));
            }
            clean = fits;
            prev = cur.clone();
            curve.push((cur.ts, total));
            i += 1;
            continue;
        }
        match policy.negative_step {
            NegativeStepPolicy::Error => {
                return Err(Error::NegativeStep {
                    at: cur.ts,
                    from_wh: prev.v,
                    to_wh: cur.v,
                })
            }
            NegativeStepPolicy::TreatAsReset => {
                total += reset_gain(&prev, cur, policy);
                anomalies.push(reset(&prev, cur));
                prev = cur.clone();
                curve.push((cur.ts, total));
            }
            NegativeStepPolicy::Classify => {
                let next = pts.get(i + 1);
                let returns = next.is_some_and(|n| n.v >= prev.v);
                let trailing_zero = next.is_none() && cur.v.is_zero();
                if returns || trailing_zero {
                    anomalies.push(Anomaly::new(
                        AnomalyKind::Dip,
                        Some(cur.ts),
                        Some(&cur.msg),
                        format!(
                            "register dropped from {} Wh to {} Wh and returned to the trend; the outlier is ignored",
                            prev.v, cur.v
                        ),
                    ));
                } else if let Some(wrap) = rollover_at(&prev, cur, policy) {
                    total += wrap - prev.v + cur.v;
                    anomalies.push(Anomaly::new(
                        AnomalyKind::Rollover,
                        Some(cur.ts),
                        Some(&cur.msg),
                        format!(
                            "register wrapped at {wrap} Wh ({} Wh → {} Wh); counted {} Wh across the wrap",
                            prev.v,
                            cur.v,
                            wrap - prev.v + cur.v
                        ),
                    ));
                    prev = cur.clone();
                    curve.push((cur.ts, total));
                } else {
                    total += reset_gain(&prev, cur, policy);
                    anomalies.push(reset(&prev, cur));
                    prev = cur.clone();
                    curve.push((cur.ts, total));
                }
            }
        }
        i += 1;
    }
    // An End value closes the series; a later value would be checked against it.
    let closed = pts.iter().any(|p| p.ctx == ReadingContext::TransactionEnd);
    let end = (settled && clean && !closed && prev.v > Decimal::ZERO).then_some(RegisterEnd {
        at: prev.ts,
        wh: prev.v,
    });
    Ok((total, EnergyCurve::from_points(curve), end))
}

fn implausible(prev: &Pt, cur: &Pt, delta: Decimal, counted: bool) -> Anomaly {
    Anomaly::new(
        AnomalyKind::ImplausiblePower,
        Some(cur.ts),
        Some(&cur.msg),
        format!(
            "register rose {delta} Wh between {} and {}, beyond the rated power; {}",
            prev.ts.to_rfc3339(),
            cur.ts.to_rfc3339(),
            if counted {
                "counted by policy"
            } else {
                "left out of the energy"
            }
        ),
    )
}

fn reset(prev: &Pt, cur: &Pt) -> Anomaly {
    Anomaly::new(
        AnomalyKind::MeterReset,
        Some(cur.ts),
        Some(&cur.msg),
        format!(
            "register restarted ({} Wh → {} Wh); counting continues from the new baseline",
            prev.v, cur.v
        ),
    )
}

/// Energy counted across a reset: the meter is assumed to restart from 0, if that is plausible.
fn reset_gain(prev: &Pt, cur: &Pt, policy: &MeterPolicy) -> Decimal {
    if cur.v > Decimal::ZERO && plausible(cur.v, prev.ts, cur.ts, policy) {
        cur.v
    } else {
        Decimal::ZERO
    }
}

/// The wrap point if `prev → cur` is a rollover at a power of ten or of two.
fn rollover_at(prev: &Pt, cur: &Pt, policy: &MeterPolicy) -> Option<Decimal> {
    if cur.v < Decimal::ZERO {
        return None;
    }
    let tens = (3..=13).map(|k| Decimal::from(10u64.pow(k)));
    let twos = [16u32, 24, 31, 32, 40]
        .into_iter()
        .map(|n| Decimal::from(1u64 << n));
    let wrap = tens.chain(twos).filter(|m| *m > prev.v).min()?;
    let near_top = prev.v * Decimal::TEN >= wrap * Decimal::from(9);
    let gain = wrap - prev.v + cur.v;
    (near_top && plausible(gain, prev.ts, cur.ts, policy)).then_some(wrap)
}

fn integrate_interval(
    pts: Vec<Pt>,
    input: &EnergyInput<'_>,
    anomalies: &mut Vec<Anomaly>,
) -> (Decimal, EnergyCurve) {
    let mut pts = pts;
    pts.sort_by(|a, b| a.ts.cmp(&b.ts).then(a.v.cmp(&b.v)));
    let mut curve = Vec::with_capacity(pts.len() + 1);
    if let (Some(ms), Some(first)) = (&input.meter_start, pts.first()) {
        if ms.at < first.ts {
            curve.push((ms.at, Decimal::ZERO));
        }
    }
    let mut total = Decimal::ZERO;
    for p in &pts {
        if p.v < Decimal::ZERO {
            anomalies.push(Anomaly::new(
                AnomalyKind::Dip,
                Some(p.ts),
                Some(&p.msg),
                format!("negative interval energy {} Wh is left out", p.v),
            ));
        } else {
            // Interval values are already deltas: summed, never differenced.
            total += p.v;
        }
        match curve.last_mut() {
            Some((t, c)) if *t == p.ts => *c = total,
            _ => curve.push((p.ts, total)),
        }
    }
    if curve.first().is_some_and(|(_, c)| *c > Decimal::ZERO) {
        let t0 = curve[0].0;
        curve.insert(0, (t0, Decimal::ZERO));
    }
    (total, EnergyCurve::from_points(curve))
}

fn start_stop(
    input: &EnergyInput<'_>,
    policy: &MeterPolicy,
    anomalies: &mut Vec<Anomaly>,
) -> (Decimal, EnergyMethod, EnergyCurve) {
    match (&input.meter_start, &input.meter_stop) {
        (Some(s), Some(e)) => {
            let d = e.wh - s.wh;
            if d < Decimal::ZERO {
                anomalies.push(Anomaly::new(
                    AnomalyKind::StartStopMismatch,
                    Some(e.at),
                    Some(&e.message_id),
                    format!(
                        "meterStop {} Wh is below meterStart {} Wh; energy taken as 0",
                        e.wh, s.wh
                    ),
                ));
            }
            let mut d = d.max(Decimal::ZERO);
            if !plausible(d, s.at, e.at, policy) {
                anomalies.push(Anomaly::new(
                    AnomalyKind::ImplausiblePower,
                    Some(e.at),
                    Some(&e.message_id),
                    format!(
                        "meterStop − meterStart = {d} Wh between {} and {} is beyond the rated power; {}",
                        s.at.to_rfc3339(),
                        e.at.to_rfc3339(),
                        if policy.allow_implausible { "counted by policy" } else { "left out of the energy" }
                    ),
                ));
                if !policy.allow_implausible {
                    d = Decimal::ZERO;
                }
            }
            (
                d,
                EnergyMethod::StartStop,
                EnergyCurve::from_points(vec![(s.at, Decimal::ZERO), (e.at.max(s.at), d)]),
            )
        }
        _ => (Decimal::ZERO, EnergyMethod::NoData, EnergyCurve::default()),
    }
}
