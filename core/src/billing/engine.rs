//! The pricing algorithm of `docs/tariffs.md` §2–§4: select the tariff, snapshot each
//! period at its start, match restrictions, pick one component per dimension, apply step
//! sizes, cost, sum, clamp, negate credits, round.

use super::*;
use crate::tariff::policy::*;
use crate::tariff::{
    DayOfWeek, PriceLimit, ReservationRestriction, Restrictions, TariffElement, TaxIncluded,
    TimeOfDay,
};
use crate::Error;
use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

const SECS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);

/// The state of the session at an instant, against which restrictions are matched.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    /// Local wall-clock time (UTC for 2.1.1 tariffs under `LegacyTimes::Utc`).
    pub local: NaiveDateTime,
    /// Energy delivered before this instant, kWh.
    pub energy_before: Decimal,
    /// Milliseconds since the session start.
    pub elapsed_ms: i64,
    pub max_power: Option<Decimal>,
    pub min_power: Option<Decimal>,
    pub max_current: Option<Decimal>,
    pub min_current: Option<Decimal>,
    /// Evaluating the end of a period: `max_kwh` is inclusive.
    pub at_end: bool,
}

/// Which elements may price a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Charging session: elements without a reservation restriction.
    Session,
    /// Reservation: RESERVATION elements, and RESERVATION_EXPIRES ones when it expired.
    Reservation { expired: bool },
}

impl Scope {
    fn admits(self, r: Option<ReservationRestriction>) -> bool {
        match (self, r) {
            (Scope::Session, None) => true,
            (Scope::Session, Some(_)) => false,
            (Scope::Reservation { .. }, Some(ReservationRestriction::Reservation)) => true,
            (Scope::Reservation { expired }, Some(ReservationRestriction::ReservationExpires)) => {
                expired
            }
            (Scope::Reservation { .. }, None) => false,
        }
    }
}

fn secs_of_day(t: &NaiveDateTime) -> u32 {
    t.time().num_seconds_from_midnight()
}

/// Whether the time-of-day restriction holds at `t` (`docs/tariffs.md` §3).
pub(crate) fn time_window_holds(
    s: Option<TimeOfDay>,
    e: Option<TimeOfDay>,
    t: u32,
    p: &PricingPolicy,
) -> bool {
    match (s, e) {
        (None, None) => true,
        (Some(s), None) => t >= s.seconds(),
        (None, Some(e)) if e.is_midnight() => p.midnight_end == MidnightEnd::EndOfDay,
        (None, Some(e)) => t < e.seconds(),
        (Some(s), Some(e)) if s == e => s.is_midnight() || p.equal_times == EqualTimes::WholeDay,
        (Some(s), Some(e)) if e.is_midnight() => t >= s.seconds(),
        (Some(s), Some(e)) if s < e => s.seconds() <= t && t < e.seconds(),
        (Some(s), Some(e)) => t >= s.seconds() || t < e.seconds(),
    }
}

/// The local `HH:MM` of an instant, written where it is displayed (no string of its own).
struct Hhmm<'a>(&'a NaiveDateTime);

impl std::fmt::Display for Hhmm<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match TimeOfDay::new(self.0.hour(), self.0.minute()) {
            Some(t) => t.fmt(f),
            None => Ok(()),
        }
    }
}

/// An optional value as reasons show it: nothing when absent.
struct Opt<T>(Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for Opt<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => Ok(()),
        }
    }
}

/// Whether every restriction holds; pushes a reason per restriction that held when asked.
pub(crate) fn restrictions_hold(
    r: &Restrictions,
    s: &Snapshot,
    p: &PricingPolicy,
    mut reasons: Option<&mut Vec<String>>,
) -> bool {
    // Reasons are only formatted when asked for (the hot path matches without them).
    let mut why = |text: &dyn Fn() -> String| {
        if let Some(r) = reasons.as_deref_mut() {
            r.push(text());
        }
    };
    let t = secs_of_day(&s.local);
    let date = s.local.date();
    let has_time = r.start_time.is_some() || r.end_time.is_some();
    let continuous = p.date_time_span == DateTimeSpan::Continuous
        && has_time
        && (r.start_date.is_some() || r.end_date.is_some());
    if continuous {
        let from = r
            .start_date
            .map(|d| d.and_time(r.start_time.unwrap_or(TimeOfDay::MIDNIGHT).to_naive()));
        let to = r
            .end_date
            .map(|d| d.and_time(r.end_time.unwrap_or(TimeOfDay::MIDNIGHT).to_naive()));
        if from.is_some_and(|f| s.local < f) || to.is_some_and(|e| s.local >= e) {
            return false;
        }
        why(&|| {
            format!(
                "from {} to {} (local {} {})",
                from.map(|f| f.to_string())
                    .unwrap_or_else(|| "the start".into()),
                to.map(|f| f.to_string())
                    .unwrap_or_else(|| "the end".into()),
                s.local.date(),
                Hhmm(&s.local)
            )
        });
    } else {
        if has_time {
            if !time_window_holds(r.start_time, r.end_time, t, p) {
                return false;
            }
            why(&|| {
                format!(
                    "time {}-{} (local {})",
                    Opt(r.start_time),
                    Opt(r.end_time),
                    Hhmm(&s.local)
                )
            });
        }
        if r.start_date.is_some_and(|d| date < d) || r.end_date.is_some_and(|d| date >= d) {
            return false;
        }
        if r.start_date.is_some() || r.end_date.is_some() {
            why(&|| {
                format!(
                    "date {}..{} (local {date})",
                    Opt(r.start_date),
                    Opt(r.end_date),
                )
            });
        }
    }
    if !r.day_of_week.is_empty() {
        let mut day = s.local.weekday();
        if p.weekday_of == WeekdayOf::WindowStart {
            if let (Some(st), Some(en)) = (r.start_time, r.end_time) {
                if en < st && !en.is_midnight() && t < en.seconds() {
                    day = day.pred();
                }
            }
        }
        let d = DayOfWeek::from_chrono(day);
        if !r.day_of_week.contains(&d) {
            return false;
        }
        why(&|| format!("day {}", d.as_str()));
    }
    if let Some(min) = r.min_kwh {
        if s.energy_before < min {
            return false;
        }
        why(&|| format!("energy so far {} kWh >= {min}", s.energy_before.normalize()));
    }
    if let Some(max) = r.max_kwh {
        let ok = if s.at_end {
            s.energy_before <= max
        } else {
            s.energy_before < max
        };
        if !ok {
            return false;
        }
        why(&|| format!("energy so far {} kWh < {max}", s.energy_before.normalize()));
    }
    let missing_ok = p.missing_measurement == MissingMeasurement::Pass;
    let measured = |min_v: Option<Decimal>,
                    max_v: Option<Decimal>,
                    lo: Option<Decimal>,
                    hi: Option<Decimal>,
                    unit: &str,
                    why: &mut dyn FnMut(&dyn Fn() -> String)|
     -> bool {
        if let Some(lo) = lo {
            match max_v.or(min_v) {
                Some(v) if v >= lo => why(&|| format!("{unit} {} >= {lo}", v.normalize())),
                Some(_) => return false,
                None if missing_ok => why(&|| format!("{unit} not measured (passes)")),
                None => return false,
            }
        }
        if let Some(hi) = hi {
            match min_v.or(max_v) {
                Some(v) if v < hi => why(&|| format!("{unit} {} < {hi}", v.normalize())),
                Some(_) => return false,
                None if missing_ok => why(&|| format!("{unit} not measured (passes)")),
                None => return false,
            }
        }
        true
    };
    if !measured(
        s.min_power,
        s.max_power,
        r.min_power,
        r.max_power,
        "power kW",
        &mut why,
    ) {
        return false;
    }
    if !measured(
        s.min_current,
        s.max_current,
        r.min_current,
        r.max_current,
        "current A",
        &mut why,
    ) {
        return false;
    }
    if let Some(min) = r.min_duration {
        if s.elapsed_ms < (min as i64).saturating_mul(1000) {
            return false;
        }
        why(&|| format!("elapsed {} s >= {min}", s.elapsed_ms / 1000));
    }
    if let Some(max) = r.max_duration {
        if s.elapsed_ms >= (max as i64).saturating_mul(1000) {
            return false;
        }
        why(&|| format!("elapsed {} s < {max}", s.elapsed_ms / 1000));
    }
    if let Some(res) = r.reservation {
        why(&|| format!("reservation {}", res.as_str()));
    }
    true
}

/// The first element (in list order) of `scope` with a component of `dim` whose
/// restrictions hold.
pub(crate) fn find_component<'t>(
    tariff: &'t Tariff,
    dim: TariffDimension,
    scope: Scope,
    s: &Snapshot,
    p: &PricingPolicy,
) -> Option<(usize, &'t TariffElement, &'t crate::tariff::PriceComponent)> {
    tariff.elements.iter().enumerate().find_map(|(i, e)| {
        if !scope.admits(e.restrictions.reservation) {
            return None;
        }
        let c = e.component(dim)?;
        restrictions_hold(&e.restrictions, s, p, None).then_some((i, e, c))
    })
}

fn flat_category(e: &TariffElement) -> CostCategory {
    if e.restrictions.reservation.is_some() {
        return CostCategory::Reservation;
    }
    let mut others = e
        .price_components
        .iter()
        .filter(|c| c.dimension != TariffDimension::Flat)
        .peekable();
    if others.peek().is_some() && others.all(|c| c.dimension == TariffDimension::ParkingTime) {
        CostCategory::Parking
    } else {
        CostCategory::Fixed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Energy,
    Time,
    Parking,
    Reservation,
    Flat,
    Idle,
}

/// How a line is billed, beside the line itself (`Work` i prices line i): the lines are
/// built in place in the result's own list, with no allocation or copy of their own.
struct Work {
    group: Group,
    /// The line's step size (Wh or s; 0: none).
    step_size: u32,
    /// Base quantity: Wh, s, or 1.
    qty: Decimal,
    billed: Decimal,
    tax_included: bool,
}

pub(crate) fn snapshot_at(
    tz: Tz,
    legacy_utc: bool,
    at: DateTime<Utc>,
    session_start: DateTime<Utc>,
    energy_before: Decimal,
    p: &PricingPeriod,
) -> Snapshot {
    let local = if legacy_utc {
        at.naive_utc()
    } else {
        at.with_timezone(&tz).naive_local()
    };
    Snapshot {
        local,
        energy_before,
        elapsed_ms: (at - session_start).num_milliseconds().max(0),
        max_power: p.max_power_kw,
        min_power: p.min_power_kw,
        max_current: p.max_current_a,
        min_current: p.min_current_a,
        at_end: false,
    }
}

fn select_tariff<'t>(
    tariffs: &'t [Tariff],
    input: &PricingInput,
    first_tariff_id: Option<&str>,
    policy: &PricingPolicy,
) -> Result<&'t Tariff, Error> {
    if let Some(id) = first_tariff_id {
        if let Some(t) = tariffs.iter().find(|t| t.id == id) {
            return Ok(t);
        }
    }
    let valid = || tariffs.iter().filter(|t| t.is_valid_at(input.start));
    let regular = |t: &&Tariff| {
        t.tariff_type.is_none() || t.tariff_type == Some(crate::tariff::TariffType::Regular)
    };
    let chosen = match policy.tariff_type {
        Some(ty) => valid()
            .find(|t| t.tariff_type == Some(ty))
            .or_else(|| valid().find(regular)),
        None => valid().find(regular).or_else(|| valid().next()),
    };
    chosen.ok_or(Error::NoValidTariff {
        at: input.start,
        offered: crate::error::wide(tariffs.len()),
    })
}

fn hours(secs: Decimal) -> Decimal {
    secs / SECS_PER_HOUR
}

/// Prices a [`PricingInput`] against `tariffs` (the engine behind [`price_cdr`] and
/// [`price_session`](crate::billing::price_session)).
///
/// ```
/// use chargekit::billing::{price_input, PricingInput, PricingPeriod, PricingPolicy};
/// use chargekit::tariff::Tariff;
/// use rust_decimal::Decimal;
/// let t = Tariff::from_json(r#"{"country_code":"DE","party_id":"ALL","id":"1","currency":"EUR",
///   "elements":[{"price_components":[{"type":"TIME","price":2,"vat":10,"step_size":60}]}]}"#).unwrap();
/// let start = "2026-01-05T10:00:00Z".parse().unwrap();
/// let end = "2026-01-05T12:30:00Z".parse().unwrap();
/// let input = PricingInput { start, end, timezone: chrono_tz::Europe::Berlin, credit: false,
///   periods: vec![PricingPeriod { start, end, charging_s: Some(Decimal::from(9000)), ..Default::default() }] };
/// let r = price_input(&input, &[t], &PricingPolicy::default()).unwrap();
/// assert_eq!(r.total_cost.excl_vat.to_string(), "5.00");
/// assert_eq!(r.total_cost.incl_vat.unwrap().to_string(), "5.50");
/// ```
pub fn price_input(
    input: &PricingInput,
    tariffs: &[Tariff],
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    let mut periods: Vec<&PricingPeriod> = input.periods.iter().collect();
    if periods.is_empty() {
        return Err(Error::NoPeriods);
    }
    policy.export.validate()?;
    periods.sort_by_key(|p| p.start);
    let mut notes = Vec::new();
    let first_start = periods[0].start;
    if periods
        .iter()
        .any(|p| p.start < input.start || p.start > input.end)
    {
        notes.push(PricingNote::PeriodsOutsideStartEndDateTime);
    }
    let session_start = match policy.elapsed_from {
        ElapsedFrom::SessionStart => input.start.min(first_start),
        ElapsedFrom::FirstPeriod => first_start,
    };
    let primary = select_tariff(tariffs, input, periods[0].tariff_id.as_deref(), policy)?;
    let currency = primary.currency;
    let skip_reservations = policy.reservation == ReservationPricing::Skip;
    if skip_reservations
        && primary
            .elements
            .iter()
            .any(|e| e.restrictions.reservation.is_some())
    {
        notes.push(PricingNote::ReservationElementSkipped);
    }
    let nonzero = |d: Option<Decimal>| d.is_some_and(|d| !d.is_zero());
    let session_activity = periods
        .iter()
        .any(|p| nonzero(p.energy_kwh) || nonzero(p.charging_s) || nonzero(p.parking_s));
    let expired = !session_activity && periods.iter().any(|p| nonzero(p.reservation_s));
    let states_time = periods
        .iter()
        .any(|p| p.charging_s.is_some() || p.parking_s.is_some() || p.reservation_s.is_some());
    if policy.time_source == TimeSource::Dimensions
        && !states_time
        && (primary.prices(TariffDimension::Time) || primary.prices(TariffDimension::ParkingTime))
    {
        notes.push(PricingNote::PeriodsStateNoTime);
    }

    let mut work: Vec<Work> = Vec::with_capacity(periods.len() * 2);
    let mut lines: Vec<Line> = Vec::with_capacity(periods.len() * 2);
    let mut used_ids: Vec<String> = Vec::new();
    let mut energy_before = Decimal::ZERO;
    let mut flat_session_done = false;
    let mut flat_reservation_done = false;
    let mut flat_elements: Vec<(usize, usize)> = Vec::new();
    // Totals of every stated volume, priced or not (ocpi-tariffs rounds these).
    let (mut all_wh, mut all_charging, mut all_parking, mut all_reservation) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut total_charging_s, mut total_parking_s) = (Decimal::ZERO, Decimal::ZERO);

    for (i, p) in periods.iter().enumerate() {
        let (ti, tariff) = match policy.tariff_switch {
            TariffSwitch::PerPeriodTariffId => p
                .tariff_id
                .as_deref()
                .and_then(|id| {
                    tariffs
                        .iter()
                        .enumerate()
                        .find(|(_, t)| t.id == id && t.currency == primary.currency)
                })
                .unwrap_or_else(|| {
                    let idx = tariffs
                        .iter()
                        .position(|t| std::ptr::eq(t, primary))
                        .unwrap_or(0);
                    (idx, primary)
                }),
            TariffSwitch::FreezeAtStart => (
                tariffs
                    .iter()
                    .position(|t| std::ptr::eq(t, primary))
                    .unwrap_or(0),
                primary,
            ),
        };
        let legacy_utc = tariff.version == crate::tariff::OcpiVersion::V211
            && policy.legacy_times == LegacyTimes::Utc;
        let charging_s = match (p.charging_s, policy.time_source) {
            (Some(c), _) => Some(c),
            (None, TimeSource::Timestamps)
                if p.parking_s.is_none() && p.reservation_s.is_none() =>
            {
                Some(
                    Decimal::from((p.end - p.start).num_milliseconds().max(0))
                        / Decimal::ONE_THOUSAND,
                )
            }
            _ => None,
        };
        let snap = snapshot_at(
            input.timezone,
            legacy_utc,
            p.start,
            session_start,
            energy_before,
            p,
        );
        let reservation_only = p.reservation_s.is_some()
            && !nonzero(p.energy_kwh)
            && !nonzero(charging_s)
            && !nonzero(p.parking_s);
        let res_scope = Scope::Reservation { expired };

        let mut add =
            |dim: TariffDimension,
             scope: Scope,
             group: Group,
             qty: Decimal,
             work: &mut Vec<Work>,
             flat_gate: &mut dyn FnMut(usize, CostCategory) -> bool| {
                let Some((ei, el, c)) = find_component(tariff, dim, scope, &snap, policy) else {
                    return;
                };
                let category = match group {
                    Group::Energy => CostCategory::Energy,
                    Group::Time => CostCategory::Time,
                    Group::Parking => CostCategory::Parking,
                    Group::Reservation => CostCategory::Reservation,
                    Group::Flat => flat_category(el),
                    Group::Idle => CostCategory::IdleFee,
                };
                if group == Group::Flat && !flat_gate(ei, category) {
                    return;
                }
                let mut reason = Vec::new();
                restrictions_hold(&el.restrictions, &snap, policy, Some(&mut reason));
                if reason.is_empty() {
                    reason.push("no restrictions".into());
                }
                if !used_ids.contains(&tariff.id) {
                    used_ids.push(tariff.id.clone());
                }
                let unit = match group {
                    Group::Energy => QuantityUnit::Kwh,
                    Group::Flat => QuantityUnit::Session,
                    _ => QuantityUnit::Hour,
                };
                let step_size = if group == Group::Flat { 0 } else { c.step_size };
                lines.push(Line {
                    period: i as u64,
                    start: p.start,
                    end: p.end,
                    category,
                    dimension: dim,
                    tariff_id: tariff.id.clone(),
                    element: Some(ei as u64),
                    reason,
                    unit,
                    volume: Decimal::ZERO,
                    billed_volume: Decimal::ZERO,
                    step_size,
                    unit_price: c.price,
                    vat: c.vat,
                    cost: Price::ZERO,
                });
                work.push(Work {
                    group,
                    step_size,
                    qty,
                    billed: qty,
                    tax_included: tariff.tax_included == Some(TaxIncluded::Yes),
                });
            };
        let mut no_gate = |_: usize, _: CostCategory| true;

        if let Some(e) = p.energy_kwh {
            all_wh += e * Decimal::ONE_THOUSAND;
            add(
                TariffDimension::Energy,
                Scope::Session,
                Group::Energy,
                e * Decimal::ONE_THOUSAND,
                &mut work,
                &mut no_gate,
            );
        }
        if let Some(c) = charging_s {
            all_charging += c;
            total_charging_s += c;
            add(
                TariffDimension::Time,
                Scope::Session,
                Group::Time,
                c,
                &mut work,
                &mut no_gate,
            );
        }
        if let Some(c) = p.parking_s {
            all_parking += c;
            total_parking_s += c;
            add(
                TariffDimension::ParkingTime,
                Scope::Session,
                Group::Parking,
                c,
                &mut work,
                &mut no_gate,
            );
        }
        if let (Some(c), false) = (p.reservation_s, skip_reservations) {
            all_reservation += c;
            add(
                TariffDimension::Time,
                res_scope,
                Group::Reservation,
                c,
                &mut work,
                &mut no_gate,
            );
        }
        // Once the session's FLAT is billed (once per scope), later periods need no lookup.
        if !reservation_only
            && (policy.flat == FlatPolicy::PerDistinctElement || !flat_session_done)
        {
            let per_element = policy.flat == FlatPolicy::PerDistinctElement;
            let mut gate = |ei: usize, _: CostCategory| {
                if per_element {
                    if flat_elements.contains(&(ti, ei)) {
                        return false;
                    }
                    flat_elements.push((ti, ei));
                    true
                } else if flat_session_done {
                    false
                } else {
                    flat_session_done = true;
                    true
                }
            };
            add(
                TariffDimension::Flat,
                Scope::Session,
                Group::Flat,
                Decimal::ONE,
                &mut work,
                &mut gate,
            );
        }
        if p.reservation_s.is_some() && !skip_reservations {
            let mut gate = |_: usize, _: CostCategory| {
                if flat_reservation_done {
                    false
                } else {
                    flat_reservation_done = true;
                    true
                }
            };
            add(
                TariffDimension::Flat,
                res_scope,
                Group::Flat,
                Decimal::ONE,
                &mut work,
                &mut gate,
            );
        }
        if policy.period_split == PeriodSplit::AtPeriodStart
            && p.end - p.start > TimeDelta::seconds(1)
        {
            let mut end_snap = snapshot_at(
                input.timezone,
                legacy_utc,
                p.end - TimeDelta::seconds(1),
                session_start,
                energy_before + p.energy_kwh.unwrap_or_default(),
                p,
            );
            end_snap.at_end = true;
            let spans = [
                (TariffDimension::Energy, nonzero(p.energy_kwh)),
                (TariffDimension::Time, nonzero(charging_s)),
                (TariffDimension::ParkingTime, nonzero(p.parking_s)),
            ]
            .into_iter()
            .filter(|(_, present)| *present)
            .any(|(dim, _)| {
                find_component(tariff, dim, Scope::Session, &snap, policy).map(|x| x.0)
                    != find_component(tariff, dim, Scope::Session, &end_snap, policy).map(|x| x.0)
            });
            if spans {
                notes.push(PricingNote::PeriodSpansPriceChange { period: i as u64 });
            }
        }
        energy_before += p.energy_kwh.unwrap_or_default();
    }

    if let Some(fee) = &primary.idle_fee {
        idle_fee_lines(fee, input, &periods, primary, &mut work, &mut lines);
    }
    let mut steps = Vec::new();
    apply_steps(
        &mut work,
        policy,
        [all_wh, all_charging, all_parking, all_reservation],
        &mut steps,
    );

    // Costs per line.
    let rounding = policy.rounding;
    for (line, w) in lines.iter_mut().zip(&work) {
        let in_unit = |q: Decimal| match w.group {
            Group::Energy => q / Decimal::ONE_THOUSAND,
            Group::Flat => Decimal::ONE,
            _ => hours(q),
        };
        let volume = in_unit(w.qty);
        // Most lines bill what they consumed: one division then, not two (the same
        // representation, scale included, gives the same quotient).
        let billed = if w.billed.serialize() == w.qty.serialize() {
            volume
        } else {
            in_unit(w.billed)
        };
        line.volume = volume;
        line.billed_volume = billed;
        let base = match w.group {
            Group::Energy => w.billed * line.unit_price / Decimal::ONE_THOUSAND,
            Group::Flat => line.unit_price,
            _ => w.billed * line.unit_price / SECS_PER_HOUR,
        };
        // Rounded before the price is built: the VAT of the price is taken from the rounded
        // amounts (and subtracting unrounded quotients costs more than pricing a period).
        let exact = if w.tax_included {
            let excl = match line.vat {
                Vat::Rate(r) => base * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + r),
                Vat::NotApplicable => base,
                Vat::Unknown => {
                    if !notes.contains(&PricingNote::TaxIncludedWithoutRate) {
                        notes.push(PricingNote::TaxIncludedWithoutRate);
                    }
                    base
                }
            };
            Price::new(excl, Some(base))
        } else {
            Price::with_vat(base, line.vat)
        };
        line.cost = exact.map(|d| rounding.line(d, currency));
    }

    if let Some(fee) = &primary.idle_fee {
        cap_idle_fee(fee, &mut lines, currency, &rounding, &mut notes);
    }
    let charges = lines.len();
    export_lines(&periods, policy, primary, &mut lines, &mut notes);
    let mut totals: [Option<Price>; 6] = [None; 6];
    let slot = |c: CostCategory| match c {
        CostCategory::Energy => 0,
        CostCategory::Time => 1,
        CostCategory::Parking | CostCategory::IdleFee => 2,
        CostCategory::Fixed => 3,
        CostCategory::Reservation => 4,
        CostCategory::EnergyExport => 5,
    };
    for l in &lines {
        let s = &mut totals[slot(l.category)];
        *s = Some(s.map_or(l.cost, |t| t + l.cost));
    }
    // Sums of the lines' prices: a gross amount is unknown as soon as one line's is. When
    // no line was priced, the zero's gross is unknown only if every component's VAT is.
    let empty_vat = if primary
        .elements
        .iter()
        .flat_map(|e| &e.price_components)
        .all(|c| c.vat == Vat::Unknown)
    {
        Vat::Unknown
    } else {
        Vat::NotApplicable
    };
    let sum = |ls: &[Line]| {
        ls.iter()
            .map(|l| l.cost)
            .reduce(|a, b| a + b)
            .unwrap_or(Price::with_vat(Decimal::ZERO, empty_vat))
    };
    let exact_total = sum(&lines);
    // The tariff's min/max bound its charges; export credits come after it.
    let (charged, credited) = lines.split_at(charges);
    let charges_total = if credited.is_empty() {
        exact_total
    } else {
        sum(charged)
    };
    let (total, clamp) = clamp_total(charges_total, charged, primary, &mut notes);
    let total = credited.iter().fold(total, |t, l| t + l.cost);
    let (total, zero_clamp) = if credited.is_empty() {
        (total, None)
    } else {
        floor_total(total, policy, &mut notes)
    };
    let total = if input.credit { -total } else { total };
    let round = |p: Price| p.map(|d| rounding.total(d, currency));

    // Like ocpi-tariffs: from the first period's start to the session end.
    let first = periods[0].start;
    let total_time =
        hours(Decimal::from((input.end - first).num_milliseconds().max(0)) / Decimal::ONE_THOUSAND);
    let total_energy: Decimal = periods.iter().filter_map(|p| p.energy_kwh).sum();
    let billed_energy = lines
        .iter()
        .filter(|l| l.category == CostCategory::Energy)
        .map(|l| l.billed_volume)
        .sum();
    Ok(PriceResult {
        currency,
        tariff_ids: if used_ids.is_empty() {
            vec![primary.id.clone()]
        } else {
            used_ids
        },
        total_cost: round(total),
        total_energy_cost: totals[0].map(round),
        total_time_cost: totals[1].map(round),
        total_parking_cost: totals[2].map(round),
        total_fixed_cost: totals[3].map(round),
        total_reservation_cost: totals[4].map(round),
        total_energy_export_cost: totals[5].map(round),
        total_energy,
        total_time,
        total_charging_time: hours(total_charging_s),
        total_parking_time: hours(total_parking_s),
        billed_energy,
        credit: input.credit,
        breakdown: Breakdown {
            lines,
            steps,
            exact_total,
            clamp,
            zero_clamp,
            rounding,
            timezone: input.timezone.name().to_string(),
        },
        notes,
        source: None,
    })
}

/// Credit lines for energy fed back (V2X) under the policy's [`ExportPricing`]: one per
/// period with exported energy, `−(kWh × price)` at the price in force at the period's
/// start, VAT by [`Price::with_vat`] on that negative amount (the tax follows the sign).
///
/// Sessions are cut at every change of an export price series
/// ([`session_input`](crate::billing::session_input)), so each of their periods has one
/// price; a period of another input that spans a change is priced at its start (note
/// `period_spans_price_change`). Energy fed back before a series' first point is not
/// credited (note `export_price_missing`).
fn export_lines(
    periods: &[&PricingPeriod],
    policy: &PricingPolicy,
    tariff: &Tariff,
    lines: &mut Vec<Line>,
    notes: &mut Vec<PricingNote>,
) {
    let Some(vat) = policy.export.vat() else {
        return;
    };
    let currency = tariff.currency;
    let source = match &policy.export {
        ExportPricing::Series { .. } => "export price series of the pricing policy",
        _ => "export price per kWh of the pricing policy",
    };
    for (i, p) in periods.iter().enumerate() {
        let Some(kwh) = p.energy_export_kwh.filter(|k| *k > Decimal::ZERO) else {
            continue;
        };
        let Some(price) = policy.export.price_at(p.start) else {
            notes.push(PricingNote::ExportPriceMissing { period: i as u64 });
            continue;
        };
        if !policy.export.changes_within(p.start, p.end).is_empty() {
            notes.push(PricingNote::PeriodSpansPriceChange { period: i as u64 });
        }
        let exact = Price::with_vat(-(kwh * price), vat);
        lines.push(Line {
            period: i as u64,
            start: p.start,
            end: p.end,
            category: CostCategory::EnergyExport,
            dimension: TariffDimension::Energy,
            tariff_id: tariff.id.clone(),
            element: None,
            reason: vec![format!(
                "energy fed back (V2X): {} per kWh from the {source}",
                price.normalize()
            )],
            unit: QuantityUnit::Kwh,
            volume: kwh,
            billed_volume: kwh,
            step_size: 0,
            unit_price: price,
            vat,
            cost: exact.map(|d| policy.rounding.line(d, currency)),
        });
    }
}

/// Raises a negative net total to zero unless the policy allows negative totals. The
/// raise cuts the export credit, so it bears the credit's VAT (by [`Price::with_vat`]):
/// the gross amount is then zero too when charges and credits bear the same VAT.
fn floor_total(
    total: Price,
    policy: &PricingPolicy,
    notes: &mut Vec<PricingNote>,
) -> (Price, Option<Clamp>) {
    if policy.allow_negative_total || total.excl_vat >= Decimal::ZERO {
        return (total, None);
    }
    let vat = policy.export.vat().unwrap_or(Vat::NotApplicable);
    let after = total + Price::with_vat(-total.excl_vat, vat);
    notes.push(PricingNote::TotalCostClampedToZero);
    (
        after,
        Some(Clamp {
            before: total,
            after,
            bound: "zero".into(),
        }),
    )
}

/// Clamps the total to the tariff's `min_price` / `max_price`.
fn clamp_total(
    total: Price,
    lines: &[Line],
    tariff: &Tariff,
    notes: &mut Vec<PricingNote>,
) -> (Price, Option<Clamp>) {
    // Without lines nothing bears a VAT: the adjustment is then the whole amount.
    let vat = main_vat(lines).unwrap_or(Vat::NotApplicable);
    let mut out = total;
    let mut bound = None;
    if let Some(min) = tariff.min_price {
        if let Some(p) = limit(out, min, vat, |a, b| a < b) {
            out = p;
            notes.push(PricingNote::TotalCostClampedToMin);
            bound = Some("min_price");
        }
    }
    if let Some(max) = tariff.max_price {
        if let Some(p) = limit(out, max, vat, |a, b| a > b) {
            out = p;
            notes.push(PricingNote::TotalCostClampedToMax);
            bound = Some("max_price");
        }
    }
    let clamp = bound.map(|b| Clamp {
        before: total,
        after: out,
        bound: b.into(),
    });
    (out, clamp)
}

/// `total` held to one price bound (`None`: within it). `past(amount, bound)` says an
/// amount is beyond the bound.
///
/// A bound that states both amounts clamps each on its own (a gross amount that is
/// unknown stays unknown). A bound that states only the net amount moves the net amount
/// to it and scales the gross amount with it (the session's VAT mix kept: with no VAT
/// applying, the gross stays equal to the net); a session of no net amount is raised under
/// `vat` ([`main_vat`]) by the rule of [`Price::with_vat`].
fn limit(
    total: Price,
    bound: PriceLimit,
    vat: Vat,
    past: impl Fn(Decimal, Decimal) -> bool,
) -> Option<Price> {
    match bound.incl_vat {
        Some(gross) => {
            let net_past = past(total.excl_vat, bound.excl_vat);
            let gross_past = total.incl_vat.is_some_and(|i| past(i, gross));
            (net_past || gross_past).then(|| {
                Price::new(
                    if net_past {
                        bound.excl_vat
                    } else {
                        total.excl_vat
                    },
                    total.incl_vat.map(|i| if gross_past { gross } else { i }),
                )
            })
        }
        // The gross follows the net in the session's own VAT mix, so it keeps its sign and
        // never drops below what the bound's net bears (a move at one rate could, when the
        // lines carry several). A session of no net amount takes `vat` for the adjustment.
        None => past(total.excl_vat, bound.excl_vat).then(|| match total.incl_vat {
            Some(gross) if !total.excl_vat.is_zero() => Price::new(
                bound.excl_vat,
                gross
                    .checked_mul(bound.excl_vat)
                    .and_then(|g| g.checked_div(total.excl_vat)),
            ),
            _ => total + Price::with_vat(bound.excl_vat - total.excl_vat, vat),
        }),
    }
}

fn ceil_to(q: Decimal, step: Decimal) -> Decimal {
    (q / step).ceil() * step
}

/// Step-size rounding (`docs/tariffs.md` §4) under the policy's [`StepSizeMode`].
fn apply_steps(
    work: &mut [Work],
    policy: &PricingPolicy,
    all: [Decimal; 4],
    steps: &mut Vec<StepAdjustment>,
) {
    let [all_wh, all_charging, all_parking, all_reservation] = all;
    let step_of = |w: &Work| Decimal::from(w.step_size);
    let hours_guard = policy.cdr_hours == CdrHours::Centiseconds;
    match policy.step_size {
        StepSizeMode::Ignore => {}
        StepSizeMode::PerPeriod | StepSizeMode::FloorPerPeriod => {
            let floor = policy.step_size == StepSizeMode::FloorPerPeriod;
            for (i, w) in work.iter_mut().enumerate() {
                if matches!(w.group, Group::Flat | Group::Idle) || w.step_size == 0 {
                    continue;
                }
                let step = step_of(w);
                let billed = if floor {
                    (w.qty / step).floor() * step
                } else {
                    ceil_to(w.qty, step)
                };
                if billed != w.qty {
                    steps.push(adjustment(w, i, w.qty, billed));
                    w.billed = billed;
                }
            }
        }
        StepSizeMode::OcpiBugfix => {
            round_group(work, &[Group::Energy], None, false, steps);
            let parking_billed: Decimal = work
                .iter()
                .filter(|w| w.group == Group::Parking)
                .map(|w| w.qty)
                .sum();
            if parking_billed > Decimal::ZERO {
                round_group(work, &[Group::Parking], None, hours_guard, steps);
            } else {
                round_group(work, &[Group::Time], None, hours_guard, steps);
            }
            round_group(work, &[Group::Reservation], None, hours_guard, steps);
        }
        StepSizeMode::OcpiTariffsCompat => {
            round_group(work, &[Group::Energy], Some(all_wh), false, steps);
            let has_idle = work.iter().any(|w| w.group == Group::Parking);
            if !has_idle {
                round_group(work, &[Group::Time], Some(all_charging), false, steps);
            }
            round_group(work, &[Group::Parking], Some(all_parking), false, steps);
            round_group(
                work,
                &[Group::Reservation],
                Some(all_reservation),
                false,
                steps,
            );
        }
    }
}

fn adjustment(w: &Work, line: usize, before: Decimal, after: Decimal) -> StepAdjustment {
    let (b, a) = match w.group {
        Group::Energy => (
            before / Decimal::ONE_THOUSAND,
            after / Decimal::ONE_THOUSAND,
        ),
        _ => (hours(before), hours(after)),
    };
    StepAdjustment {
        group: match w.group {
            Group::Energy => "energy",
            Group::Time => "time",
            Group::Parking => "parking",
            Group::Reservation => "reservation",
            Group::Flat => "flat",
            Group::Idle => "idle_fee",
        }
        .into(),
        line: line as u64,
        before: b,
        after: a,
        step_size: w.step_size,
    }
}

/// One ceiling for a group: over the billable volume (or `whole`, the volume of every
/// period, under compat), at the step of the last line that billed it; the extra goes to
/// that line.
fn round_group(
    work: &mut [Work],
    groups: &[Group],
    whole: Option<Decimal>,
    hours_guard: bool,
    steps: &mut Vec<StepAdjustment>,
) {
    let compat = whole.is_some();
    let billable: Decimal = work
        .iter()
        .filter(|w| groups.contains(&w.group))
        .map(|w| w.qty)
        .sum();
    let last = work
        .iter()
        .rposition(|w| groups.contains(&w.group) && (compat || w.qty > Decimal::ZERO));
    let Some(last) = last else { return };
    let step = Decimal::from(work[last].step_size);
    if step.is_zero() {
        return;
    }
    let total = whole.unwrap_or(billable);
    let guarded = if hours_guard {
        // docs/tariffs.md §4 item 7: durations derived from hours (OCPI states them to 1e-6 h,
        // i.e. 3.6 ms) are taken to 10 ms before the ceiling, so that 0.583333 h is 35 min
        // and 0.666667 h is 40 min, not a step more.
        total.round_dp(2)
    } else {
        total
    };
    let billed_total = ceil_to(guarded, step);
    let extra = billed_total - total;
    if extra.is_zero() {
        return;
    }
    let w = &mut work[last];
    let before = w.billed;
    w.billed += extra;
    steps.push(adjustment(w, last, total, billed_total));
    let _ = before;
}

/// Daily active windows of an idle fee within `[from, to)`.
fn idle_windows(
    fee: &crate::tariff::IdleFee,
    tz: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    if from >= to {
        return Vec::new();
    }
    let (Some(a), Some(b)) = (fee.active_from, fee.active_until) else {
        return vec![(from, to)];
    };
    let mut out = Vec::new();
    let mut day = from
        .with_timezone(&tz)
        .date_naive()
        .pred_opt()
        .unwrap_or_default();
    let last = to.with_timezone(&tz).date_naive();
    while day <= last {
        let next = day.succ_opt().unwrap_or(day);
        let start = super::simulate::local_instant(tz, day, a);
        let end = if b > a {
            super::simulate::local_instant(tz, day, b)
        } else {
            super::simulate::local_instant(tz, next, b)
        };
        if let (Some(s), Some(e)) = (start, end) {
            let (s, e) = (s.max(from), e.min(to));
            if s < e {
                out.push((s, e));
            }
        }
        if next == day {
            break;
        }
        day = next;
    }
    out
}

/// Lines of a chargekit idle fee: idling after the end of charging plus the grace period,
/// inside the fee's active hours, one line per period, with one step ceiling per session.
fn idle_fee_lines(
    fee: &crate::tariff::IdleFee,
    input: &PricingInput,
    periods: &[&PricingPeriod],
    tariff: &Tariff,
    work: &mut Vec<Work>,
    lines: &mut Vec<Line>,
) {
    let active = |p: &&&PricingPeriod| {
        p.charging_s.is_some_and(|c| c > Decimal::ZERO)
            || p.energy_kwh.is_some_and(|e| e > Decimal::ZERO)
    };
    let charging_end = periods
        .iter()
        .filter(active)
        .map(|p| p.end)
        .max()
        .unwrap_or(input.start);
    let idle_start = charging_end + TimeDelta::seconds(i64::from(fee.grace_s));
    let windows = idle_windows(fee, input.timezone, idle_start, input.end);
    let first = work.len();
    for (i, p) in periods.iter().enumerate() {
        let ms: i64 = windows
            .iter()
            .map(|(a, b)| {
                let (s, e) = ((*a).max(p.start), (*b).min(p.end));
                (e - s).num_milliseconds().max(0)
            })
            .sum();
        if ms == 0 {
            continue;
        }
        let secs = Decimal::from(ms) / Decimal::ONE_THOUSAND;
        lines.push(Line {
            period: i as u64,
            start: p.start,
            end: p.end,
            category: CostCategory::IdleFee,
            dimension: TariffDimension::ParkingTime,
            tariff_id: tariff.id.clone(),
            element: None,
            reason: vec![format!(
                "idle fee: charging ended {}, grace {} s",
                charging_end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                fee.grace_s
            )],
            unit: QuantityUnit::Hour,
            volume: Decimal::ZERO,
            billed_volume: Decimal::ZERO,
            step_size: fee.step_size,
            unit_price: fee.price_per_hour,
            vat: fee.vat,
            cost: Price::ZERO,
        });
        work.push(Work {
            group: Group::Idle,
            step_size: fee.step_size,
            qty: secs,
            billed: secs,
            tax_included: tariff.tax_included == Some(TaxIncluded::Yes),
        });
    }
    if work.len() > first && fee.step_size > 1 {
        let total: Decimal = work[first..].iter().map(|w| w.qty).sum();
        let billed = ceil_to(total, Decimal::from(fee.step_size));
        if let Some(last) = work.last_mut() {
            last.billed += billed - total;
        }
    }
}

/// Caps the idle-fee lines at the fee's per-session cap (taking the excess off the last
/// lines first).
fn cap_idle_fee(
    fee: &crate::tariff::IdleFee,
    lines: &mut [Line],
    currency: Currency,
    rounding: &RoundingPolicy,
    notes: &mut Vec<PricingNote>,
) {
    let Some(cap) = fee.cap else { return };
    let sum: Decimal = lines
        .iter()
        .filter(|l| l.category == CostCategory::IdleFee)
        .map(|l| l.cost.excl_vat)
        .sum();
    let mut excess = sum - cap;
    if excess <= Decimal::ZERO {
        return;
    }
    notes.push(PricingNote::IdleFeeCapped);
    for l in lines
        .iter_mut()
        .rev()
        .filter(|l| l.category == CostCategory::IdleFee)
    {
        let cut = excess.min(l.cost.excl_vat);
        let excl = l.cost.excl_vat - cut;
        l.cost = Price::with_vat(excl, l.vat).map(|d| rounding.line(d, currency));
        excess -= cut;
        if excess <= Decimal::ZERO {
            break;
        }
    }
}
