//! Quotes: what a hypothetical session would cost (charging at constant power until the
//! requested energy is in, then parked until the end), with periods cut at every price
//! boundary of the tariff. This is the model behind ocpi-tariffs' generated test runs.

use super::*;
use crate::tariff::TimeOfDay;
use crate::Error;
use chrono::{Days, LocalResult, NaiveDate, TimeDelta, TimeZone};

/// A hypothetical session to price: charging at constant power from `start` until
/// `energy_kwh` is in (or `end`), then parked until `end`. The site's time zone is given
/// to [`price_quote`] separately, as to [`price_session`](super::price_session).
///
/// ```
/// use chargekit::billing::{price_quote, Quote, PricingPolicy};
/// use chargekit::tariff::Tariff;
/// use rust_decimal::Decimal;
/// let t = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
///   "elements":[{"price_components":[{"type":"ENERGY","price":0.38,"step_size":1}]}]}"#).unwrap();
/// let q = Quote::new("2025-11-10T18:00:00Z".parse().unwrap(), "2025-11-11T06:00:00Z".parse().unwrap(),
///     Decimal::from(24), Decimal::from(40));
/// let r = price_quote(&t, &q, chrono_tz::Europe::Amsterdam, &PricingPolicy::default()).unwrap();
/// assert_eq!(r.total_cost.excl_vat.to_string(), "15.20");
/// assert_eq!(r.total_charging_time.round_dp(4).to_string(), "1.6667");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "QuoteRequest"))]
pub struct Quote {
    /// Plug-in.
    pub start: DateTime<Utc>,
    /// Plug-out.
    pub end: DateTime<Utc>,
    /// Constant charging power, kW.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub power_kw: Decimal,
    /// Energy wanted, kWh (charging stops when it is in, or at the end).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_kwh: Decimal,
    /// Current reported for current restrictions, A (it does not throttle power).
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub current_a: Option<Decimal>,
    /// Whether charging periods state their power (for power restrictions).
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub report_power: bool,
    /// Whether charging periods state their current.
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub report_current: bool,
}

impl Quote {
    /// A quote whose periods state their power; no current is given.
    pub fn new(
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        power_kw: Decimal,
        energy_kwh: Decimal,
    ) -> Self {
        Quote {
            start,
            end,
            power_kw,
            energy_kwh,
            current_a: None,
            report_power: true,
            report_current: true,
        }
    }

    /// When charging stops.
    pub fn charging_end(&self) -> DateTime<Utc> {
        if self.power_kw <= Decimal::ZERO {
            return self.start;
        }
        let ms = (self.energy_kwh / self.power_kw * Decimal::from(3_600_000))
            .round()
            .to_string()
            .parse::<i64>()
            .unwrap_or(i64::MAX / 4);
        let t = self.start + TimeDelta::milliseconds(ms.min(i64::MAX / 4));
        t.min(self.end)
    }

    /// The periods the quote prices at a site in `timezone`, cut at every boundary of `tariff`.
    pub fn to_input(&self, tariff: &Tariff, timezone: Tz) -> PricingInput {
        let charging_end = self.charging_end();
        let mut cuts = vec![self.start, charging_end, self.end];
        cuts.extend(time_boundaries(tariff, timezone, self.start, self.end));
        if self.power_kw > Decimal::ZERO {
            for kwh in energy_thresholds(tariff)
                .into_iter()
                .filter(|k| *k < self.energy_kwh)
            {
                let ms = (kwh / self.power_kw * Decimal::from(3_600_000)).round();
                if let Ok(ms) = ms.to_string().parse::<i64>() {
                    cuts.push(self.start + TimeDelta::milliseconds(ms));
                }
            }
        }
        cuts.retain(|t| *t >= self.start && *t <= self.end);
        cuts.sort();
        cuts.dedup();
        let mut periods = Vec::new();
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let secs = Decimal::from((b - a).num_milliseconds()) / Decimal::ONE_THOUSAND;
            if a < charging_end {
                periods.push(PricingPeriod {
                    start: a,
                    end: b,
                    energy_kwh: Some(self.power_kw * secs / Decimal::from(3600)),
                    charging_s: Some(secs),
                    max_power_kw: self.report_power.then_some(self.power_kw),
                    min_power_kw: self.report_power.then_some(self.power_kw),
                    max_current_a: self.current_a.filter(|_| self.report_current),
                    min_current_a: self.current_a.filter(|_| self.report_current),
                    ..PricingPeriod::default()
                });
            } else {
                periods.push(PricingPeriod {
                    start: a,
                    end: b,
                    parking_s: Some(secs),
                    ..PricingPeriod::default()
                });
            }
        }
        if periods.is_empty() {
            periods.push(PricingPeriod {
                start: self.start,
                end: self.end,
                energy_kwh: Some(Decimal::ZERO),
                charging_s: Some(Decimal::ZERO),
                ..PricingPeriod::default()
            });
        }
        PricingInput {
            start: self.start,
            end: self.end,
            timezone,
            periods,
            credit: false,
        }
    }
}

/// Prices a [`Quote`] at a site in `timezone`.
pub fn price_quote(
    tariff: &Tariff,
    quote: &Quote,
    timezone: Tz,
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    engine::price_input(
        &quote.to_input(tariff, timezone),
        std::slice::from_ref(tariff),
        policy,
    )
}

pub(crate) fn local_instant(tz: Tz, d: NaiveDate, t: TimeOfDay) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&d.and_time(t.to_naive())) {
        LocalResult::Single(x) => Some(x.with_timezone(&Utc)),
        LocalResult::Ambiguous(x, _) => Some(x.with_timezone(&Utc)),
        // In a DST gap the wall clock jumps past `t`: the boundary is the jump itself.
        LocalResult::None => (1..=4).find_map(|h| {
            tz.from_local_datetime(&(d.and_time(t.to_naive()) + TimeDelta::minutes(30 * h)))
                .earliest()
                .map(|x| x.with_timezone(&Utc))
        }),
    }
}

/// Every instant in `(start, end)` where a time, date or duration restriction of
/// `tariff` may change the price.
pub(crate) fn time_boundaries(
    tariff: &Tariff,
    tz: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut edges = CalendarEdges::default();
    for e in &tariff.elements {
        let r = &e.restrictions;
        edges.times.extend(r.start_time);
        edges.times.extend(r.end_time);
        edges.weekdays |= !r.day_of_week.is_empty();
        edges.dates.extend(r.start_date);
        edges.dates.extend(r.end_date);
        edges.elapsed_s.extend(r.min_duration);
        edges.elapsed_s.extend(r.max_duration);
    }
    edges.instants(tz, start, end)
}

/// The calendar edges of a tariff's conditions: local times of day, local dates (at
/// midnight), whether weekdays matter (every local midnight) and seconds since the start.
/// One place for both OCPI restrictions and OCPP 2.1 conditions.
#[derive(Debug, Default)]
pub(crate) struct CalendarEdges {
    pub times: Vec<TimeOfDay>,
    pub dates: Vec<NaiveDate>,
    pub weekdays: bool,
    pub elapsed_s: Vec<u64>,
}

impl CalendarEdges {
    /// Every instant in `(start, end)` at one of the edges, ascending.
    pub(crate) fn instants(
        mut self,
        tz: Tz,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        for d in &self.dates {
            out.extend(local_instant(tz, *d, TimeOfDay::MIDNIGHT));
        }
        for s in &self.elapsed_s {
            if let Ok(s) = i64::try_from(*s) {
                out.push(start + TimeDelta::seconds(s));
            }
        }
        if self.weekdays {
            self.times.push(TimeOfDay::MIDNIGHT);
        }
        let times = &mut self.times;
        times.sort();
        times.dedup();
        if !times.is_empty() {
            let first = start.with_timezone(&tz).date_naive();
            let last = end.with_timezone(&tz).date_naive();
            let mut d = first.checked_sub_days(Days::new(1)).unwrap_or(first);
            let mut guard = 0;
            while d <= last && guard < 3700 {
                for t in times.iter() {
                    out.extend(local_instant(tz, d, *t));
                }
                d = match d.checked_add_days(Days::new(1)) {
                    Some(n) => n,
                    None => break,
                };
                guard += 1;
            }
        }
        out.retain(|t| *t > start && *t < end);
        out.sort();
        out.dedup();
        out
    }
}

/// Every `min_kwh` / `max_kwh` threshold of the tariff, kWh, ascending.
pub(crate) fn energy_thresholds(tariff: &Tariff) -> Vec<Decimal> {
    let mut v: Vec<Decimal> = tariff
        .elements
        .iter()
        .flat_map(|e| [e.restrictions.min_kwh, e.restrictions.max_kwh])
        .flatten()
        .filter(|k| *k > Decimal::ZERO)
        .collect();
    v.sort();
    v.dedup();
    v
}
