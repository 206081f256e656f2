//! Pricing chargekit sessions directly from their meter timeline, and live.
//!
//! Unlike a CDR, a session knows its energy curve and state timeline, so its periods
//! are cut exactly at every price boundary of the tariff: time-of-day and date edges,
//! duration thresholds and the instants the cumulative energy crosses a kWh threshold.

use super::*;
use crate::session::{PeriodKind, Session, SessionState};
use crate::Error;
use chrono::TimeDelta;

/// The instant the session's cumulative energy first reaches `wh`, if it does.
pub(crate) fn instant_of_energy(session: &Session, wh: Decimal) -> Option<DateTime<Utc>> {
    let pts = session.curve.points();
    let w = pts.windows(2).find(|w| w[0].1 < wh && w[1].1 >= wh)?;
    let (t0, c0) = w[0];
    let (t1, c1) = w[1];
    let span = Decimal::from((t1 - t0).num_milliseconds());
    let ms = ((wh - c0) / (c1 - c0) * span).ceil();
    let ms: i64 = ms.to_string().parse().ok()?;
    Some(t0 + TimeDelta::milliseconds(ms))
}

/// Instants where a sampled series reaches or leaves a threshold: midway between the last
/// sample on one side and the first on the other (where the change most likely was, to
/// within half a sample interval).
pub(crate) fn crossings(
    samples: &[(DateTime<Utc>, Decimal)],
    thresholds: &[Decimal],
) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    for th in thresholds {
        for w in samples.windows(2) {
            if (w[0].1 >= *th) != (w[1].1 >= *th) {
                out.push(w[0].0 + (w[1].0 - w[0].0) / 2);
            }
        }
    }
    out
}

/// Sampled active import power, W: totals where given, else per-instant phase sums.
pub(crate) fn power_series(session: &Session) -> Vec<(DateTime<Utc>, Decimal)> {
    use crate::meter::{Measurand, Phase};
    let mut totals = Vec::new();
    let mut phases: std::collections::BTreeMap<DateTime<Utc>, Decimal> = Default::default();
    for r in &session.readings {
        let (Measurand::PowerActiveImport, Some(v)) = (r.measurand, r.value) else {
            continue;
        };
        match r.phase {
            None => totals.push((r.ts_station, v)),
            Some(Phase::N) => {}
            Some(_) => *phases.entry(r.ts_station).or_default() += v,
        }
    }
    if totals.is_empty() {
        totals.extend(phases);
    }
    totals.sort();
    totals
}

/// Sampled import current, A: the highest phase at each instant (as the session's periods
/// report it).
fn current_series(session: &Session) -> Vec<(DateTime<Utc>, Decimal)> {
    current_series_by(session, Decimal::max)
}

/// Sampled import current, A, the phases of each instant combined by `combine` (the
/// highest phase for OCPI, the sum over phases for OCPP 2.1 conditions).
pub(crate) fn current_series_by(
    session: &Session,
    combine: fn(Decimal, Decimal) -> Decimal,
) -> Vec<(DateTime<Utc>, Decimal)> {
    use crate::meter::{Measurand, Phase};
    let mut by_t: std::collections::BTreeMap<DateTime<Utc>, Option<Decimal>> = Default::default();
    for r in &session.readings {
        if r.measurand != Measurand::CurrentImport || matches!(r.phase, Some(Phase::N)) {
            continue;
        }
        if let Some(v) = r.value {
            let e = by_t.entry(r.ts_station).or_insert(None);
            *e = Some(e.map_or(v, |x| combine(x, v)));
        }
    }
    by_t.into_iter()
        .filter_map(|(t, v)| Some((t, v?)))
        .collect()
}

/// Every instant at which `tariff` may change price within the session: time-of-day,
/// date and duration boundaries, kWh thresholds located on the energy curve, and the
/// samples where power or current crosses a restriction's bound.
pub fn price_boundaries(
    session: &Session,
    tariff: &Tariff,
    timezone: Tz,
    end: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut cuts = super::simulate::time_boundaries(tariff, timezone, session.start, end);
    for kwh in super::simulate::energy_thresholds(tariff) {
        if let Some(t) = instant_of_energy(session, kwh * Decimal::ONE_THOUSAND) {
            if t > session.start && t < end {
                cuts.push(t);
            }
        }
    }
    let bounds = |f: &dyn Fn(&crate::tariff::Restrictions) -> [Option<Decimal>; 2]| {
        let mut v: Vec<Decimal> = tariff
            .elements
            .iter()
            .flat_map(|e| f(&e.restrictions))
            .flatten()
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let kw = bounds(&|r| [r.min_power, r.max_power]);
    if !kw.is_empty() {
        let watts: Vec<Decimal> = kw.iter().map(|k| k * Decimal::ONE_THOUSAND).collect();
        cuts.extend(crossings(&power_series(session), &watts));
    }
    let amps = bounds(&|r| [r.min_current, r.max_current]);
    if !amps.is_empty() {
        cuts.extend(crossings(&current_series(session), &amps));
    }
    cuts.retain(|t| *t > session.start && *t < end);
    cuts.sort();
    cuts.dedup();
    cuts
}

/// The session as engine input, priced up to `until` (the session end, or now for a
/// live session), with periods cut at every price boundary of `tariff` unless the
/// policy says `PeriodSplit::AtPeriodStart`.
pub fn session_input(
    session: &Session,
    tariff: &Tariff,
    timezone: Tz,
    policy: &PricingPolicy,
    until: Option<DateTime<Utc>>,
) -> PricingInput {
    let natural_end = session.end.unwrap_or(session.last_seen);
    let end = until.unwrap_or(natural_end).max(session.start);
    let mut cuts = match policy.period_split {
        PeriodSplit::FromMeterTimeline => price_boundaries(session, tariff, timezone, end),
        PeriodSplit::AtPeriodStart => Vec::new(),
    };
    if policy.period_split == PeriodSplit::FromMeterTimeline {
        // An export price series changes price too: cut there, so each credit has one price.
        cuts.extend(policy.export.changes_within(session.start, end));
        cuts.sort();
        cuts.dedup();
    }
    if end < natural_end {
        cuts.push(end);
    }
    let mut periods: Vec<PricingPeriod> = session
        .charging_periods_cut_at(&cuts)
        .into_iter()
        .filter(|p| p.start < end && p.end > p.start)
        .map(|p| {
            let stop = p.end.min(end);
            let secs = Decimal::from((stop - p.start).num_milliseconds()) / Decimal::ONE_THOUSAND;
            let charging = p.kind == PeriodKind::Charging
                || (policy.parking_definition == ParkingDefinition::EvNotRequesting
                    && p.state == SessionState::SuspendedEvse);
            PricingPeriod {
                start: p.start,
                end: stop,
                energy_kwh: Some(p.energy_wh / Decimal::ONE_THOUSAND),
                energy_export_kwh: (p.energy_export_wh > Decimal::ZERO)
                    .then(|| p.energy_export_wh / Decimal::ONE_THOUSAND),
                charging_s: charging.then_some(secs),
                parking_s: (!charging).then_some(secs),
                max_power_kw: p.max_power_w.map(|w| w / Decimal::ONE_THOUSAND),
                max_current_a: p.max_current_a,
                ..PricingPeriod::default()
            }
        })
        .collect();
    // A live session priced beyond its latest data: the last state goes on, without energy.
    if let Some(last) = periods.last() {
        if last.end < end {
            let secs = Decimal::from((end - last.end).num_milliseconds()) / Decimal::ONE_THOUSAND;
            let charging = last.charging_s.is_some();
            periods.push(PricingPeriod {
                start: last.end,
                end,
                energy_kwh: Some(Decimal::ZERO),
                charging_s: charging.then_some(secs),
                parking_s: (!charging).then_some(secs),
                ..PricingPeriod::default()
            });
        }
    }
    PricingInput {
        start: session.start,
        end,
        timezone,
        periods,
        credit: false,
    }
}

/// Prices a chargekit session against `tariffs` (the first valid one, as for CDRs),
/// cutting periods exactly at price boundaries. An unfinished session is priced up to
/// its latest data.
///
/// ```
/// use chargekit::billing::{price_session, PricingPolicy};
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::tariff::Tariff;
/// let log = r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T16:30:00Z"}]
/// [3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
/// [2,"2","StopTransaction",{"transactionId":5,"meterStop":10000,"timestamp":"2026-03-10T17:30:00Z"}]"#;
/// let s = &sessions_from_log("CP", log, None, &MeterPolicy::default()).unwrap()[0];
/// // 0.20 €/kWh before 18:00 local (17:00Z), 0.40 after: the engine cuts at 18:00 exactly.
/// let t = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
///   "elements":[{"price_components":[{"type":"ENERGY","price":0.20,"step_size":1}],"restrictions":{"end_time":"18:00"}},
///               {"price_components":[{"type":"ENERGY","price":0.40,"step_size":1}]}]}"#).unwrap();
/// let r = price_session(s, &[t], chrono_tz::Europe::Amsterdam, &PricingPolicy::default()).unwrap();
/// assert_eq!(r.total_cost.excl_vat.to_string(), "3.00");
/// ```
pub fn price_session(
    session: &Session,
    tariffs: &[Tariff],
    timezone: Tz,
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    price_session_until(session, tariffs, timezone, policy, None)
}

fn price_session_until(
    session: &Session,
    tariffs: &[Tariff],
    timezone: Tz,
    policy: &PricingPolicy,
    until: Option<DateTime<Utc>>,
) -> Result<PriceResult, Error> {
    let probe = PricingInput {
        start: session.start,
        end: session.start,
        timezone,
        periods: Vec::new(),
        credit: false,
    };
    let tariff = tariffs
        .iter()
        .find(|t| t.is_valid_at(probe.start))
        .or_else(|| tariffs.first())
        .ok_or(Error::NoValidTariff {
            at: session.start,
            offered: 0,
        })?;
    let input = session_input(session, tariff, timezone, policy, until);
    let mut r = engine::price_input(&input, tariffs, policy)?;
    let mut cdr = session.ocpi_cdr(&crate::session::CdrOptions {
        currency: r.currency.to_string(),
        ..crate::session::CdrOptions::default()
    })?;
    if let (Some(u), crate::json::Value::Object(m)) = (until, &mut cdr) {
        m.insert(
            "end_date_time".into(),
            crate::json::Value::String(u.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        );
    }
    r.source = Some((super::cdr::CdrSource::Value(cdr), OcpiVersion::V221));
    Ok(r)
}

/// The price of a running session at a moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivePrice {
    /// The moment.
    pub at: DateTime<Utc>,
    /// What has been consumed so far, priced exactly (no step ceilings, no minimum price).
    pub so_far: Price,
    /// The bill if the session stopped now (step ceilings, min/max price, rounding).
    pub if_stopped_now: PriceResult,
}

/// Prices a live session at `at`: the cost so far and the cost if it stopped now, for a
/// driver's app to show while charging.
///
/// ```
/// use chargekit::billing::{price_live, PricingPolicy};
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::tariff::Tariff;
/// let log = r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T10:00:00Z"}]
/// [3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
/// [2,"2","MeterValues",{"connectorId":1,"transactionId":5,"meterValue":[{"timestamp":"2026-03-10T10:30:00Z","sampledValue":[{"value":"5000"}]}]}]"#;
/// let s = &sessions_from_log("CP", log, None, &MeterPolicy::default()).unwrap()[0];
/// let t = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
///   "min_price":{"excl_vat":5},
///   "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}]}"#).unwrap();
/// let live = price_live(s, &[t], chrono_tz::Europe::Amsterdam, &PricingPolicy::default(),
///     "2026-03-10T10:30:00Z".parse().unwrap()).unwrap();
/// assert_eq!(live.so_far.excl_vat.to_string(), "1.50");
/// assert_eq!(live.if_stopped_now.total_cost.excl_vat.to_string(), "5.00");
/// ```
pub fn price_live(
    session: &Session,
    tariffs: &[Tariff],
    timezone: Tz,
    policy: &PricingPolicy,
    at: DateTime<Utc>,
) -> Result<LivePrice, Error> {
    let now = price_session_until(session, tariffs, timezone, policy, Some(at))?;
    let exact_policy = PricingPolicy {
        step_size: StepSizeMode::Ignore,
        ..policy.clone()
    };
    let so_far_result = price_session_until(session, tariffs, timezone, &exact_policy, Some(at))?;
    let currency = so_far_result.currency;
    // The lines' sum before any minimum (a session nothing priced yet: the engine's zero).
    let so_far = so_far_result
        .breakdown
        .exact_total
        .map(|d| policy.rounding.total(d, currency));
    Ok(LivePrice {
        at,
        so_far,
        if_stopped_now: now,
    })
}
