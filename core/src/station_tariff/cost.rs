//! The local cost calculation of an OCPP 2.1 station: a metered transaction priced under
//! the tariffs in force during it, reported as `CostDetails`.
//!
//! The transaction is cut into slices at every instant a price may change (tariff
//! changes, local time-of-day and date edges, duration, energy, charging-time and
//! idle-time thresholds, power and current crossings, meter samples); in each slice every
//! condition has one value, so each dimension's price is the first whose conditions hold
//! at the slice's start. Consecutive slices with the same tariff and the same prices form
//! one reported charging period.

use super::condition::{EvseKind, Moment};
use super::details::{
    Amount, CostDetails, CostDimension, CostDimensionKind, CostPeriod, TotalCost, TotalUsage,
    TypeOfCost,
};
use super::model::{Price, StationTariff, TariffTime, TaxRate};
use crate::billing::{
    crossings, current_series_by, instant_of_energy, power_series, CalendarEdges,
};
use crate::session::{PeriodKind, Session};
use crate::tariff::Currency;
use crate::Error;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The tariffs of one transaction: the one in force at its start and the changes
/// (`ChangeTransactionTariff`) with the instant each was accepted. A change applies from
/// that instant on; what was used before stays priced under the earlier tariff.
///
/// ```
/// use chargekit::station_tariff::{StationTariff, TariffTimeline};
/// let a = StationTariff::from_json(r#"{"tariffId":"A","currency":"EUR","energy":{"prices":[{"priceKwh":0.3}]}}"#).unwrap();
/// let b = StationTariff::from_json(r#"{"tariffId":"B","currency":"EUR","energy":{"prices":[{"priceKwh":0.2}]}}"#).unwrap();
/// let tl = TariffTimeline::new(a).change_at("2026-03-10T09:00:00Z".parse().unwrap(), b);
/// assert_eq!(tl.at("2026-03-10T08:59:59Z".parse().unwrap()).tariff_id, "A");
/// assert_eq!(tl.at("2026-03-10T09:00:00Z".parse().unwrap()).tariff_id, "B");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffTimeline {
    initial: StationTariff,
    changes: Vec<(DateTime<Utc>, StationTariff)>,
}

impl TariffTimeline {
    /// A transaction under one tariff.
    pub fn new(initial: StationTariff) -> Self {
        TariffTimeline {
            initial,
            changes: Vec::new(),
        }
    }

    /// Adds a change accepted at `at` (kept in time order; a later change at the same
    /// instant wins).
    pub fn change_at(mut self, at: DateTime<Utc>, tariff: StationTariff) -> Self {
        let i = self.changes.partition_point(|(t, _)| *t <= at);
        self.changes.insert(i, (at, tariff));
        self
    }

    /// The tariff in force at `t`.
    pub fn at(&self, t: DateTime<Utc>) -> &StationTariff {
        match self.index_at(t).checked_sub(1) {
            Some(i) => self.changes.get(i).map_or(&self.initial, |(_, t)| t),
            None => &self.initial,
        }
    }

    /// The tariff in force at the start.
    pub fn initial(&self) -> &StationTariff {
        &self.initial
    }

    /// The changes, in time order.
    pub fn changes(&self) -> &[(DateTime<Utc>, StationTariff)] {
        &self.changes
    }

    fn index_at(&self, t: DateTime<Utc>) -> usize {
        self.changes.partition_point(|(c, _)| *c <= t)
    }

    fn tariffs(&self) -> Vec<&StationTariff> {
        std::iter::once(&self.initial)
            .chain(self.changes.iter().map(|(_, t)| t))
            .collect()
    }
}

/// How amounts are rounded to the station's number of decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostRounding {
    /// Half away from zero (0.125 → 0.13): the usual commercial rounding.
    #[default]
    HalfAwayFromZero,
    /// Half to even (0.125 → 0.12).
    HalfEven,
    /// Towards zero (0.129 → 0.12).
    Truncate,
}

impl CostRounding {
    fn round(self, d: Decimal, decimals: u32) -> Decimal {
        let strategy = match self {
            CostRounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            CostRounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            CostRounding::Truncate => RoundingStrategy::ToZero,
        };
        let mut r = d.round_dp_with_strategy(decimals, strategy);
        // Written with exactly the station's decimals: 3 → 3.00.
        r.rescale(decimals);
        r
    }
}

/// What happens when a tariff prices a dimension but none of its prices applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedPrice {
    /// The dimension costs nothing for that stretch (as if it had a price of 0).
    #[default]
    Free,
    /// The station cannot calculate the cost: `failureToCalculate`.
    FailToCalculate,
}

/// What `totalUsage.chargingTime` counts (the schema's description says the whole
/// transaction, its name and `idleTime` next to it say charging only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsageChargingTime {
    /// Seconds of charging only; `chargingTime + idleTime` is the transaction's length.
    #[default]
    ChargingOnly,
    /// Seconds of the whole transaction, charging and idle.
    WholeTransaction,
}

/// When `chargingPeriods` are reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodReporting {
    /// Only in the final cost of an ended transaction; running-cost reports carry none.
    #[default]
    FinalOnly,
    /// Always.
    Always,
}

/// A reservation that preceded the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    /// When the reservation was made (`ReserveNow` accepted).
    pub start: DateTime<Utc>,
    /// When it ended (normally the transaction's start).
    pub end: DateTime<Utc>,
}

/// The station's settings for calculating cost locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalCostOptions {
    /// The station's time zone, for time-of-day, weekday and date conditions.
    pub timezone: Tz,
    /// The kind of the EVSE, for `evseKind` conditions (unknown: such prices never apply).
    pub evse_kind: Option<EvseKind>,
    /// Decimals of reported amounts (`NumberOfDecimalsForCostValues`); `None`: the
    /// currency's ISO 4217 minor units (2 for EUR).
    pub decimals: Option<u32>,
    /// How amounts are rounded.
    pub rounding: CostRounding,
    /// The payment brand of an ad-hoc payment, for fixed-fee conditions.
    pub payment_brand: Option<String>,
    /// How the payment was recognised, for fixed-fee conditions.
    pub payment_recognition: Option<String>,
    /// A priced dimension with no applicable price.
    pub unmatched_price: UnmatchedPrice,
    /// What `totalUsage.chargingTime` counts.
    pub usage_charging_time: UsageChargingTime,
    /// When charging periods are reported.
    pub periods: PeriodReporting,
    /// A reservation before the transaction, priced by the tariff in force at the start.
    pub reservation: Option<Reservation>,
}

impl Default for LocalCostOptions {
    fn default() -> Self {
        LocalCostOptions {
            timezone: Tz::UTC,
            evse_kind: None,
            decimals: None,
            rounding: CostRounding::default(),
            payment_brand: None,
            payment_recognition: None,
            unmatched_price: UnmatchedPrice::default(),
            usage_charging_time: UsageChargingTime::default(),
            periods: PeriodReporting::default(),
            reservation: None,
        }
    }
}

impl LocalCostOptions {
    /// Default options for a station in `timezone`.
    pub fn new(timezone: Tz) -> Self {
        LocalCostOptions {
            timezone,
            ..LocalCostOptions::default()
        }
    }

    /// `d` rounded to `decimals` as these options round.
    pub(super) fn rounding_round(&self, d: Decimal, decimals: u32) -> Decimal {
        self.rounding.round(d, decimals)
    }

    /// The decimals amounts are reported with in `currency`.
    pub fn decimals_for(&self, currency: Currency) -> u32 {
        self.decimals.unwrap_or_else(|| currency.minor_units())
    }
}

/// A net amount with its taxes: stack 0 on the net amount, each further stack on the
/// amount including the stacks below it; rates on one stack share their base.
///
/// ```
/// use chargekit::station_tariff::{with_taxes, TaxRate};
/// use rust_decimal::Decimal;
/// let rates = [
///     TaxRate { kind: "VAT".into(), percent: 19.into(), stack: 0 },
///     TaxRate { kind: "Levy".into(), percent: 10.into(), stack: 1 },
/// ];
/// // 100 × 1.19 = 119; 119 × 1.10 = 130.9
/// assert_eq!(with_taxes(Decimal::from(100), &rates).normalize().to_string(), "130.9");
/// ```
///
/// An amount too large for a decimal saturates at `Decimal::MAX` (see [`try_with_taxes`]).
pub fn with_taxes(excl: Decimal, rates: &[TaxRate]) -> Decimal {
    try_with_taxes(excl, rates).unwrap_or(Decimal::MAX)
}

/// [`with_taxes`], or `None` when the amount overflows a decimal.
pub(super) fn try_with_taxes(excl: Decimal, rates: &[TaxRate]) -> Option<Decimal> {
    let mut stacks: Vec<u32> = rates.iter().map(|r| r.stack).collect();
    stacks.sort_unstable();
    stacks.dedup();
    stacks.into_iter().try_fold(excl, |base, s| {
        let pct = rates
            .iter()
            .filter(|r| r.stack == s)
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(r.percent))?;
        base.checked_add(base.checked_mul(pct)?.checked_div(Decimal::ONE_HUNDRED)?)
    })
}

/// The net amount of a gross one under `rates` (the inverse of [`with_taxes`]).
fn without_taxes(incl: Decimal, rates: &[TaxRate]) -> Option<Decimal> {
    let factor = with_taxes(Decimal::ONE, rates);
    (!factor.is_zero()).then(|| incl / factor)
}

/// The cost dimensions priced over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dim {
    Energy,
    Charging,
    Idle,
}

/// A slice of the transaction in which every condition has one value.
#[derive(Debug, Clone)]
pub(super) struct Slice {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub charging: bool,
    pub energy_wh: Decimal,
    /// Length in seconds (milliseconds exact).
    pub secs: Decimal,
    /// Index of the tariff in the timeline.
    pub tariff: usize,
    /// The price index applying in energy, chargingTime and idleTime.
    pub prices: [Option<usize>; 3],
    /// Net cost of energy, charging time and idle time in the slice.
    pub excl: [Decimal; 3],
    /// The same with the dimension's taxes.
    pub incl: [Decimal; 3],
    pub power: (Option<Decimal>, Option<Decimal>),
    pub current: (Option<Decimal>, Option<Decimal>),
}

fn seconds(a: DateTime<Utc>, b: DateTime<Utc>) -> Decimal {
    Decimal::from((b - a).num_milliseconds()) / Decimal::ONE_THOUSAND
}

/// Smallest and largest sample in `[a, b)`, else the last sample before `a` (held).
fn sample_range(
    samples: &[(DateTime<Utc>, Decimal)],
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> (Option<Decimal>, Option<Decimal>) {
    let lo = samples.partition_point(|s| s.0 < a);
    let hi = samples.partition_point(|s| s.0 < b);
    let inside = samples.get(lo..hi).unwrap_or(&[]);
    if inside.is_empty() {
        let held = lo.checked_sub(1).and_then(|i| samples.get(i)).map(|s| s.1);
        return (held, held);
    }
    (
        inside.iter().map(|s| s.1).min(),
        inside.iter().map(|s| s.1).max(),
    )
}

/// The end of the calculation: `at`, or the end of the transaction (its latest data).
fn calculation_end(session: &Session, at: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let natural = session.end.unwrap_or(session.last_seen);
    let end = match (at, session.end) {
        (Some(a), Some(e)) => a.min(e),
        (Some(a), None) => a,
        (None, _) => natural,
    };
    end.max(session.start)
}

/// The conditions of the prices a transaction's usage decides: energy, charging and idle time.
fn usage_conditions(t: &StationTariff) -> impl Iterator<Item = &super::TariffConditions> {
    let energy = t
        .energy
        .iter()
        .flat_map(|e| &e.prices)
        .map(|p| &p.conditions);
    let time = [&t.charging_time, &t.idle_time]
        .into_iter()
        .flatten()
        .flat_map(|x| &x.prices)
        .map(|p| &p.conditions);
    energy.chain(time).flatten()
}

/// The instants where a dimension's price may change, for all tariffs of the timeline.
fn boundaries(
    session: &Session,
    timeline: &TariffTimeline,
    opts: &LocalCostOptions,
    end: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut edges = CalendarEdges::default();
    let mut energy = Vec::new();
    let mut watts = Vec::new();
    let mut amps = Vec::new();
    for t in timeline.tariffs() {
        for c in usage_conditions(t) {
            let cal = &c.calendar;
            edges.times.extend(cal.start_time_of_day);
            edges.times.extend(cal.end_time_of_day);
            edges.weekdays |= !cal.day_of_week.is_empty();
            edges.dates.extend(cal.valid_from_date);
            edges.dates.extend(cal.valid_to_date);
            edges.elapsed_s.extend(c.min_time);
            edges.elapsed_s.extend(c.max_time);
            energy.extend([c.min_energy, c.max_energy].into_iter().flatten());
            watts.extend([c.min_power, c.max_power].into_iter().flatten());
            amps.extend([c.min_current, c.max_current].into_iter().flatten());
        }
    }
    let mut cuts = edges.instants(opts.timezone, session.start, end);
    for wh in energy {
        cuts.extend(instant_of_energy(session, wh));
    }
    if !watts.is_empty() {
        cuts.extend(crossings(&power_series(session), &watts));
    }
    if !amps.is_empty() {
        cuts.extend(crossings(&current_series_by(session, |a, b| a + b), &amps));
    }
    cuts.extend(timeline.changes.iter().map(|(t, _)| *t));
    // Energy is linear between meter samples: a cost limit is then found exactly.
    cuts.extend(session.curve.points().iter().map(|p| p.0));
    cuts.push(end);
    cuts.retain(|t| *t > session.start && *t <= end);
    cuts.sort();
    cuts.dedup();
    cuts
}

/// Cumulative charging and idle seconds crossing a threshold inside a slice.
fn counter_cuts(
    raw: &[(DateTime<Utc>, DateTime<Utc>, bool)],
    timeline: &TariffTimeline,
) -> Vec<DateTime<Utc>> {
    let mut charging_th = Vec::new();
    let mut idle_th = Vec::new();
    for t in timeline.tariffs() {
        for c in usage_conditions(t) {
            charging_th.extend(
                [c.min_charging_time, c.max_charging_time]
                    .into_iter()
                    .flatten(),
            );
            idle_th.extend([c.min_idle_time, c.max_idle_time].into_iter().flatten());
        }
    }
    let mut out = Vec::new();
    let (mut ch, mut idle) = (0i64, 0i64);
    for (a, b, charging) in raw {
        let ms = (*b - *a).num_milliseconds();
        let (count, th) = if *charging {
            (&mut ch, &charging_th)
        } else {
            (&mut idle, &idle_th)
        };
        for s in th {
            let Ok(s_ms) = i64::try_from(*s).map(|s| s.saturating_mul(1000)) else {
                continue;
            };
            if s_ms > *count && s_ms < *count + ms {
                out.push(*a + TimeDelta::milliseconds(s_ms - *count));
            }
        }
        *count += ms;
    }
    out
}

/// The transaction cut into priced slices up to `end`, or why it cannot be priced.
pub(super) fn slices(
    session: &Session,
    timeline: &TariffTimeline,
    opts: &LocalCostOptions,
    end: DateTime<Utc>,
) -> Result<Vec<Slice>, String> {
    let tariffs = timeline.tariffs();
    let currency = timeline.initial.currency;
    if let Some((t, other)) = timeline
        .changes
        .iter()
        .find(|(t, x)| *t < end && x.currency != currency)
    {
        return Err(format!(
            "the tariff changed from {currency} to {} at {t}; a station does not change currency within a transaction",
            other.currency
        ));
    }
    let raw = |cuts: &[DateTime<Utc>]| -> Vec<(DateTime<Utc>, DateTime<Utc>, bool, Decimal)> {
        let mut v: Vec<_> = session
            .charging_periods_cut_at(cuts)
            .into_iter()
            .filter(|p| p.start < end && p.end > p.start)
            .map(|p| {
                (
                    p.start,
                    p.end.min(end),
                    p.kind == PeriodKind::Charging,
                    p.energy_wh,
                )
            })
            .collect();
        // Beyond the latest data the last state goes on, without energy.
        let last = v.last().map(|l| (l.1, l.2));
        match last {
            Some((l_end, charging)) if l_end < end => v.push((l_end, end, charging, Decimal::ZERO)),
            None if end > session.start => v.push((session.start, end, false, Decimal::ZERO)),
            _ => {}
        }
        v
    };
    let mut cuts = boundaries(session, timeline, opts, end);
    let first: Vec<_> = raw(&cuts)
        .into_iter()
        .map(|(a, b, c, _)| (a, b, c))
        .collect();
    let extra = counter_cuts(&first, timeline);
    let mut parts = if extra.is_empty() {
        raw(&cuts)
    } else {
        cuts.extend(extra);
        cuts.sort();
        cuts.dedup();
        let mut v = raw(&cuts);
        // A cut inside the extension beyond the data: split that stretch too.
        let mut split = Vec::new();
        for (a, b, c, e) in v.drain(..) {
            let inner: Vec<_> = cuts.iter().copied().filter(|t| *t > a && *t < b).collect();
            if inner.is_empty() || !e.is_zero() {
                split.push((a, b, c, e));
                continue;
            }
            let mut s = a;
            for t in inner.into_iter().chain(std::iter::once(b)) {
                split.push((s, t, c, Decimal::ZERO));
                s = t;
            }
        }
        split
    };
    parts.retain(|p| p.1 > p.0);

    let power = power_series(session);
    let current = current_series_by(session, |a, b| a + b);
    let (mut charging_s, mut idle_s) = (Decimal::ZERO, Decimal::ZERO);
    let mut out = Vec::with_capacity(parts.len());
    for (a, b, charging, energy_wh) in parts {
        let idx = timeline.index_at(a);
        let tariff = tariffs.get(idx).copied().unwrap_or(&timeline.initial);
        let secs = seconds(a, b);
        let power_range = sample_range(&power, a, b);
        let current_range = sample_range(&current, a, b);
        let average_w = (secs > Decimal::ZERO).then(|| energy_wh * Decimal::from(3600) / secs);
        let m = Moment {
            local: a.with_timezone(&opts.timezone).naive_local(),
            evse_kind: opts.evse_kind,
            energy_wh: session.curve.at(a),
            current_a: current_range.1,
            power_w: power_range.1.or(average_w),
            elapsed_s: seconds(session.start, a),
            charging_s,
            idle_s,
            payment_brand: None,
            payment_recognition: None,
        };
        let energy_price = tariff.energy.as_ref().map(|e| {
            e.prices
                .iter()
                .position(|p| p.conditions.as_ref().is_none_or(|c| c.holds(&m)))
        });
        let time_price = |t: &Option<TariffTime>| {
            t.as_ref().map(|t| {
                t.prices
                    .iter()
                    .position(|p| p.conditions.as_ref().is_none_or(|c| c.holds(&m)))
            })
        };
        let charging_price = time_price(&tariff.charging_time);
        let idle_price = time_price(&tariff.idle_time);
        let minutes = secs / Decimal::from(60);
        let mut excl = [Decimal::ZERO; 3];
        let mut incl = [Decimal::ZERO; 3];
        let used = [!energy_wh.is_zero(), charging, !charging];
        let picks = [energy_price, charging_price, idle_price];
        for (i, dim) in [Dim::Energy, Dim::Charging, Dim::Idle]
            .into_iter()
            .enumerate()
        {
            let Some(pick) = picks[i] else { continue };
            if !used[i] {
                continue;
            }
            let (unit, quantity, rates) = match (dim, pick) {
                (_, None) => {
                    if opts.unmatched_price == UnmatchedPrice::FailToCalculate {
                        return Err(format!(
                            "no {} price of tariff {} applies at {a}",
                            ["energy", "chargingTime", "idleTime"][i],
                            tariff.tariff_id
                        ));
                    }
                    continue;
                }
                (Dim::Energy, Some(p)) => match &tariff.energy {
                    Some(e) => (
                        e.prices.get(p).map(|x| x.price_kwh),
                        energy_wh / Decimal::ONE_THOUSAND,
                        &e.tax_rates,
                    ),
                    None => continue,
                },
                (Dim::Charging | Dim::Idle, Some(p)) => {
                    let t = if dim == Dim::Charging {
                        &tariff.charging_time
                    } else {
                        &tariff.idle_time
                    };
                    match t {
                        Some(t) => (
                            t.prices.get(p).map(|x| x.price_minute),
                            minutes,
                            &t.tax_rates,
                        ),
                        None => continue,
                    }
                }
            };
            let cost = unit.unwrap_or_default() * quantity;
            excl[i] = cost;
            incl[i] = with_taxes(cost, rates);
        }
        out.push(Slice {
            start: a,
            end: b,
            charging,
            energy_wh,
            secs,
            tariff: idx,
            prices: [
                energy_price.flatten(),
                charging_price.flatten(),
                idle_price.flatten(),
            ],
            excl,
            incl,
            power: power_range,
            current: current_range,
        });
        if charging {
            charging_s += secs;
        } else {
            idle_s += secs;
        }
    }
    Ok(out)
}

/// The fixed fee of the transaction (tariff at the start, conditions at the start) and
/// the reservation's time and fee: `(fixed, reservation time, reservation fixed)` as
/// `(excl, incl)`, each `None` when the tariff does not price it.
type Fees = [Option<(Decimal, Decimal)>; 3];

fn fees(session: &Session, timeline: &TariffTimeline, opts: &LocalCostOptions) -> Fees {
    let tariff = timeline.at(session.start);
    let moment = |at: DateTime<Utc>, elapsed: Decimal| Moment {
        local: at.with_timezone(&opts.timezone).naive_local(),
        evse_kind: opts.evse_kind,
        energy_wh: Decimal::ZERO,
        current_a: None,
        power_w: None,
        elapsed_s: elapsed,
        charging_s: Decimal::ZERO,
        idle_s: Decimal::ZERO,
        payment_brand: opts.payment_brand.as_deref(),
        payment_recognition: opts.payment_recognition.as_deref(),
    };
    let fixed = |f: &Option<super::model::TariffFixed>, at: DateTime<Utc>| {
        f.as_ref().map(|f| {
            let m = moment(at, Decimal::ZERO);
            let excl = f
                .prices
                .iter()
                .find(|p| p.conditions.as_ref().is_none_or(|c| c.holds(&m)))
                .map(|p| p.price_fixed)
                .unwrap_or_default();
            (excl, with_taxes(excl, &f.tax_rates))
        })
    };
    let start_fee = fixed(&tariff.fixed_fee, session.start);
    let (res_time, res_fixed) = match opts.reservation {
        Some(r) if r.end > r.start => {
            let time = tariff.reservation_time.as_ref().map(|t| {
                let m = moment(r.start, Decimal::ZERO);
                let price = t
                    .prices
                    .iter()
                    .find(|p| p.conditions.as_ref().is_none_or(|c| c.holds(&m)))
                    .map(|p| p.price_minute)
                    .unwrap_or_default();
                let excl = price * seconds(r.start, r.end) / Decimal::from(60);
                (excl, with_taxes(excl, &t.tax_rates))
            });
            (time, fixed(&tariff.reservation_fixed, r.start))
        }
        _ => (None, None),
    };
    [start_fee, res_time, res_fixed]
}

/// The bounds of `minCost` / `maxCost` as (excl, incl), a missing half derived from the
/// price's own tax rates when it states any.
fn bound(p: &Price) -> (Option<Decimal>, Option<Decimal>) {
    let rated = !p.tax_rates.is_empty();
    let excl = p.excl_tax.or_else(|| {
        p.incl_tax
            .filter(|_| rated)
            .and_then(|i| without_taxes(i, &p.tax_rates))
    });
    let incl = p.incl_tax.or_else(|| {
        p.excl_tax
            .filter(|_| rated)
            .map(|e| with_taxes(e, &p.tax_rates))
    });
    (excl, incl)
}

/// `total < bound` (`below`) or `total > bound`, on the net amounts when the bound
/// states one, else on the gross.
fn crosses(total: (Decimal, Decimal), p: &Price, below: bool) -> bool {
    let cmp = |t: Decimal, b: Decimal| if below { t < b } else { t > b };
    match (p.excl_tax, p.incl_tax) {
        (Some(e), _) => cmp(total.0, e),
        (None, Some(i)) => cmp(total.1, i),
        (None, None) => false,
    }
}

/// The cost of a transaction as an OCPP 2.1 station calculates it locally: under the
/// tariffs of `tariffs`, up to `at` (running cost) or to the end of the data (`None`).
///
/// Each component is summed exactly over the slices, then rounded to the station's
/// decimals; the total is the sum of the rounded components, then raised to `minCost` or
/// capped at `maxCost` of the tariff in force at the end. When the cost cannot be
/// calculated (the currency changes, or no price applies under
/// [`UnmatchedPrice::FailToCalculate`]) the result says so in `failure_to_calculate`.
///
/// ```
/// use chargekit::station_tariff::{cost_details, LocalCostOptions, StationTariff, TariffTimeline, TypeOfCost};
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::ocpp::OcppVersion;
/// let log = r#"[2,"1","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z","triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"TX","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{"value":0,"measurand":"Energy.Active.Import.Register"}]}]}]
/// [2,"2","TransactionEvent",{"eventType":"Ended","timestamp":"2026-03-10T09:00:00Z","triggerReason":"EVDeparted","seqNo":1,"transactionInfo":{"transactionId":"TX","chargingState":"EVConnected"},"meterValue":[{"timestamp":"2026-03-10T09:00:00Z","sampledValue":[{"value":10000,"measurand":"Energy.Active.Import.Register"}]}]}]"#;
/// let s = &sessions_from_log("CP", log, Some(OcppVersion::V201), &MeterPolicy::default()).unwrap()[0];
/// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR",
///   "energy":{"prices":[{"priceKwh":0.30}],"taxRates":[{"type":"VAT","tax":21}]},
///   "fixedFee":{"prices":[{"priceFixed":0.50}]}}"#).unwrap();
/// let d = cost_details(s, &TariffTimeline::new(t), None, &LocalCostOptions::default()).unwrap();
/// // 10 kWh × 0.30 = 3.00 net, 3.63 with 21 % VAT; plus the 0.50 start fee.
/// assert_eq!(d.total_cost.energy.unwrap().incl_tax.unwrap().to_string(), "3.63");
/// assert_eq!(d.total_cost.total.excl_tax.unwrap().to_string(), "3.50");
/// assert_eq!(d.total_cost.type_of_cost, TypeOfCost::NormalCost);
/// assert_eq!(d.total_usage.energy.to_string(), "10000");
/// ```
pub fn cost_details(
    session: &Session,
    tariffs: &TariffTimeline,
    at: Option<DateTime<Utc>>,
    options: &LocalCostOptions,
) -> Result<CostDetails, Error> {
    let end = calculation_end(session, at);
    let currency = tariffs.initial.currency;
    let decimals = options.decimals_for(currency);
    let round = |d: Decimal| options.rounding.round(d, decimals);
    let reservation_s = options
        .reservation
        .filter(|r| r.end > r.start)
        .map(|r| (r.end - r.start).num_seconds());
    let sl = match slices(session, tariffs, options, end) {
        Ok(s) => s,
        Err(reason) => {
            return Ok(CostDetails {
                charging_periods: Vec::new(),
                total_cost: TotalCost {
                    currency,
                    type_of_cost: TypeOfCost::NormalCost,
                    fixed: None,
                    energy: None,
                    charging_time: None,
                    idle_time: None,
                    reservation_time: None,
                    reservation_fixed: None,
                    total: Amount::default(),
                },
                total_usage: TotalUsage {
                    energy: session.curve.at(end) - session.curve.at(session.start),
                    charging_time: 0,
                    idle_time: 0,
                    reservation_time: reservation_s,
                },
                failure_to_calculate: Some(true),
                failure_reason: Some(reason.chars().take(500).collect()),
            })
        }
    };
    let used = tariffs_used(tariffs, &sl, session.start);
    let has = |f: &dyn Fn(&StationTariff) -> bool| used.iter().any(|t| f(t));
    let mut sums = [(Decimal::ZERO, Decimal::ZERO); 3];
    for s in &sl {
        for (i, sum) in sums.iter_mut().enumerate() {
            sum.0 += s.excl[i];
            sum.1 += s.incl[i];
        }
    }
    let component = |present: bool, sum: (Decimal, Decimal)| {
        present.then(|| Amount::new(round(sum.0), round(sum.1)))
    };
    let [fixed, res_time, res_fixed] = fees(session, tariffs, options);
    let energy = component(has(&|t| t.energy.is_some()), sums[0]);
    let charging_time = component(has(&|t| t.charging_time.is_some()), sums[1]);
    let idle_time = component(has(&|t| t.idle_time.is_some()), sums[2]);
    let fixed = fixed.map(|f| Amount::new(round(f.0), round(f.1)));
    let reservation_time = res_time.map(|f| Amount::new(round(f.0), round(f.1)));
    let reservation_fixed = res_fixed.map(|f| Amount::new(round(f.0), round(f.1)));
    let parts = [
        fixed,
        energy,
        charging_time,
        idle_time,
        reservation_time,
        reservation_fixed,
    ];
    let total = parts
        .iter()
        .flatten()
        .fold((Decimal::ZERO, Decimal::ZERO), |acc, a| {
            (
                acc.0 + a.excl_tax.unwrap_or_default(),
                acc.1 + a.incl_tax.unwrap_or_default(),
            )
        });
    let last = tariffs.at(end);
    let (type_of_cost, total) = match (&last.min_cost, &last.max_cost) {
        (Some(min), _) if crosses(total, min, true) => {
            let (e, i) = bound(min);
            (
                TypeOfCost::MinCost,
                Amount {
                    excl_tax: e.map(round),
                    incl_tax: i.map(round),
                },
            )
        }
        (_, Some(max)) if crosses(total, max, false) => {
            let (e, i) = bound(max);
            (
                TypeOfCost::MaxCost,
                Amount {
                    excl_tax: e.map(round),
                    incl_tax: i.map(round),
                },
            )
        }
        _ => (TypeOfCost::NormalCost, Amount::new(total.0, total.1)),
    };
    let charging: Decimal = sl.iter().filter(|s| s.charging).map(|s| s.secs).sum();
    let idle: Decimal = sl.iter().filter(|s| !s.charging).map(|s| s.secs).sum();
    let whole = |d: Decimal| i64::try_from(d.round()).unwrap_or(i64::MAX);
    let total_usage = TotalUsage {
        energy: sl.iter().map(|s| s.energy_wh).sum::<Decimal>().normalize(),
        charging_time: match options.usage_charging_time {
            UsageChargingTime::ChargingOnly => whole(charging),
            UsageChargingTime::WholeTransaction => whole(charging + idle),
        },
        idle_time: whole(idle),
        reservation_time: reservation_s,
    };
    let final_report = session.end.is_some_and(|e| end >= e);
    let charging_periods = if final_report || options.periods == PeriodReporting::Always {
        periods(&sl, tariffs)
    } else {
        Vec::new()
    };
    Ok(CostDetails {
        charging_periods,
        total_cost: TotalCost {
            currency,
            type_of_cost,
            fixed,
            energy,
            charging_time,
            idle_time,
            reservation_time,
            reservation_fixed,
            total,
        },
        total_usage,
        failure_to_calculate: None,
        failure_reason: None,
    })
}

/// The tariffs that priced some slice (and the one at the start, for its fees).
fn tariffs_used<'a>(
    timeline: &'a TariffTimeline,
    slices: &[Slice],
    start: DateTime<Utc>,
) -> Vec<&'a StationTariff> {
    let all = timeline.tariffs();
    let mut idx: Vec<usize> = slices.iter().map(|s| s.tariff).collect();
    idx.push(timeline.index_at(start));
    idx.sort_unstable();
    idx.dedup();
    idx.into_iter()
        .filter_map(|i| all.get(i).copied())
        .collect()
}

/// Consecutive slices with the same tariff and the same prices, as reported periods.
fn periods(slices: &[Slice], timeline: &TariffTimeline) -> Vec<CostPeriod> {
    let all = timeline.tariffs();
    let mut out: Vec<(usize, [Option<usize>; 3], CostPeriod, Acc)> = Vec::new();
    for s in slices {
        let same = out
            .last()
            .is_some_and(|(t, p, _, _)| *t == s.tariff && *p == s.prices);
        if !same {
            out.push((
                s.tariff,
                s.prices,
                CostPeriod {
                    start_period: s.start,
                    tariff_id: all.get(s.tariff).map(|t| t.tariff_id.clone()),
                    dimensions: Vec::new(),
                },
                Acc::default(),
            ));
        }
        if let Some((_, _, _, acc)) = out.last_mut() {
            acc.add(s);
        }
    }
    out.into_iter()
        .map(|(_, _, mut p, acc)| {
            p.dimensions = acc.dimensions();
            p
        })
        .collect()
}

/// What a period used.
#[derive(Default)]
struct Acc {
    energy: Decimal,
    charging: Decimal,
    idle: Decimal,
    power: (Option<Decimal>, Option<Decimal>),
    current: (Option<Decimal>, Option<Decimal>),
}

impl Acc {
    fn add(&mut self, s: &Slice) {
        self.energy += s.energy_wh;
        if s.charging {
            self.charging += s.secs;
        } else {
            self.idle += s.secs;
        }
        let lo = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let hi = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.power = (lo(self.power.0, s.power.0), hi(self.power.1, s.power.1));
        self.current = (
            lo(self.current.0, s.current.0),
            hi(self.current.1, s.current.1),
        );
    }

    fn dimensions(&self) -> Vec<CostDimension> {
        use CostDimensionKind as K;
        let mut d = vec![CostDimension {
            kind: K::Energy,
            volume: self.energy.normalize(),
        }];
        for (kind, v) in [
            (
                K::ChargingTime,
                Some(self.charging).filter(|v| !v.is_zero()),
            ),
            (K::IdleTime, Some(self.idle).filter(|v| !v.is_zero())),
            (K::MaxPower, self.power.1),
            (K::MinPower, self.power.0),
            (K::MaxCurrent, self.current.1),
            (K::MinCurrent, self.current.0),
        ] {
            if let Some(volume) = v {
                d.push(CostDimension {
                    kind,
                    volume: volume.normalize(),
                });
            }
        }
        d
    }
}

/// Whether a cost limit is compared with the net or the gross running cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostLimitBasis {
    /// Including tax: what the driver pays.
    #[default]
    InclTax,
    /// Excluding tax.
    ExclTax,
}

/// The instant a transaction's running cost first reaches `max_cost`
/// (`TransactionLimit.maxCost`), if it does up to the end of the data: the station then
/// suspends charging with trigger reason `CostLimitReached`.
///
/// The running cost is the exact (unrounded) cost so far, capped by the tariff's
/// `maxCost`; a `minCost` is a floor of the final bill and does not count here.
///
/// ```
/// use chargekit::station_tariff::{cost_limit_reached, CostLimitBasis, LocalCostOptions, StationTariff, TariffTimeline};
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::ocpp::OcppVersion;
/// let log = r#"[2,"1","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z","triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"TX","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{"value":0,"measurand":"Energy.Active.Import.Register"}]}]}]
/// [2,"2","TransactionEvent",{"eventType":"Ended","timestamp":"2026-03-10T09:00:00Z","triggerReason":"EVDeparted","seqNo":1,"transactionInfo":{"transactionId":"TX","chargingState":"Charging"},"meterValue":[{"timestamp":"2026-03-10T09:00:00Z","sampledValue":[{"value":10000,"measurand":"Energy.Active.Import.Register"}]}]}]"#;
/// let s = &sessions_from_log("CP", log, Some(OcppVersion::V201), &MeterPolicy::default()).unwrap()[0];
/// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR","energy":{"prices":[{"priceKwh":0.40}]}}"#).unwrap();
/// // 4.00 for the hour; 1.00 is reached after a quarter of it.
/// let at = cost_limit_reached(s, &TariffTimeline::new(t), 1.into(), CostLimitBasis::InclTax,
///     &LocalCostOptions::default()).unwrap();
/// assert_eq!(at, Some("2026-03-10T08:15:00Z".parse().unwrap()));
/// ```
pub fn cost_limit_reached(
    session: &Session,
    tariffs: &TariffTimeline,
    max_cost: Decimal,
    basis: CostLimitBasis,
    options: &LocalCostOptions,
) -> Result<Option<DateTime<Utc>>, Error> {
    let end = calculation_end(session, None);
    let Ok(sl) = slices(session, tariffs, options, end) else {
        return Ok(None);
    };
    let pick = |x: (Decimal, Decimal)| match basis {
        CostLimitBasis::InclTax => x.1,
        CostLimitBasis::ExclTax => x.0,
    };
    let cap = tariffs
        .at(end)
        .max_cost
        .as_ref()
        .map(bound)
        .and_then(|b| match basis {
            CostLimitBasis::InclTax => b.1,
            CostLimitBasis::ExclTax => b.0,
        });
    if cap.is_some_and(|c| c < max_cost) {
        return Ok(None);
    }
    let fees = fees(session, tariffs, options);
    let mut running: Decimal = fees.iter().flatten().map(|f| pick(*f)).sum();
    if running >= max_cost {
        return Ok(Some(session.start));
    }
    for s in &sl {
        let cost: Decimal = (0..3).map(|i| pick((s.excl[i], s.incl[i]))).sum();
        if cost > Decimal::ZERO && running + cost >= max_cost {
            let ms = Decimal::from((s.end - s.start).num_milliseconds());
            let part = ((max_cost - running) / cost * ms).ceil();
            let part = i64::try_from(part).unwrap_or(0);
            return Ok(Some(s.start + TimeDelta::milliseconds(part)));
        }
        running += cost;
    }
    Ok(None)
}
