//! Reading the pricing-relevant parts of an OCPI CDR (2.1.1, 2.2.1, 2.3.0) and writing
//! the cost fields back.
//!
//! Only what pricing needs is required (start, end, periods); everything else is kept
//! verbatim so that [`PriceResult::to_ocpi`] returns the CDR the caller gave, priced.
//!
//! This is the reader of CDRs given as a `serde_json::Value`; JSON text goes through the
//! borrowed models of `cdr_json`, which share the rules below (`site_timezone`,
//! `add_dimension`, `CdrHead`) and hand over what they cannot hold.

use super::*;
use crate::json::{Map, Value};
use crate::tariff::parse_support::{decimal_lazy, Fields};
use crate::tariff::ParseWarning;
use crate::Error;
use std::borrow::Cow;

/// A CDR read for pricing.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCdr {
    /// The OCPI version it is written in.
    pub version: OcpiVersion,
    /// What the engine prices.
    pub input: PricingInput,
    /// Tariffs embedded in the CDR.
    pub tariffs: Vec<Tariff>,
    /// The CDR currency.
    pub currency: Option<Currency>,
    /// What was odd (unknown dimensions, inferred zone, …).
    pub notes: Vec<PricingNote>,
}

/// Reads a CDR (JSON text) for pricing. See [`price_cdr`] for the time-zone rules.
///
/// ```
/// use chargekit::billing::{parse_cdr, PricingPolicy};
/// let cdr = r#"{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
///   "currency":"EUR","cdr_location":{"country":"BEL"},
///   "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z",
///     "dimensions":[{"type":"ENERGY","volume":7.5},{"type":"TIME","volume":1}]}]}"#;
/// let p = parse_cdr(cdr, None, &PricingPolicy::default()).unwrap();
/// assert_eq!(p.input.timezone, chrono_tz::Europe::Brussels);
/// assert_eq!(p.input.periods[0].charging_s.unwrap().to_string(), "3600");
/// ```
pub fn parse_cdr(
    text: &str,
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Result<ParsedCdr, Error> {
    if let Some(parsed) = super::cdr_json::parse_cdr_text(text, timezone, policy) {
        return parsed;
    }
    let v = crate::tariff::parse_json_value(text).map_err(|e| Error::InvalidCdr {
        path: "$".into(),
        reason: e.to_string(),
    })?;
    parse_cdr_value(&v, timezone, policy)
}

/// The CDR a result was priced from, for [`PriceResult::to_ocpi`].
#[derive(Debug, Clone)]
pub(crate) enum CdrSource {
    /// A JSON value (given as one, or built for a session).
    Value(Value),
    /// JSON text that parsed: read into a value only when the priced CDR is asked for.
    Text(String),
}

impl CdrSource {
    /// The CDR as a JSON value.
    fn to_value(&self) -> Value {
        match self {
            CdrSource::Value(v) => v.clone(),
            // The text was read once already, so this parse does not fail.
            CdrSource::Text(t) => {
                crate::tariff::parse_json_value(t).unwrap_or_else(|_| Value::Object(Map::new()))
            }
        }
    }
}

/// Sources are equal when their CDRs are, however each was given.
impl PartialEq for CdrSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (CdrSource::Value(a), CdrSource::Value(b)) => a == b,
            _ => self.to_value() == other.to_value(),
        }
    }
}

pub(super) fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::InvalidCdr {
        path: path.into(),
        reason: message.into(),
    }
}

fn detect(v: &Value) -> OcpiVersion {
    if v.get("stop_date_time").is_some() || v.get("total_cost").is_some_and(Value::is_number) {
        OcpiVersion::V211
    } else if v
        .get("total_cost")
        .and_then(|c| c.get("before_taxes"))
        .is_some()
    {
        OcpiVersion::V230
    } else {
        OcpiVersion::V221
    }
}

pub(crate) fn parse_cdr_value(
    v: &Value,
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Result<ParsedCdr, Error> {
    // OCPI states hours to at most 1e-6 h (3.6 ms): by default seconds are taken to 10 ms,
    // so that 0.633333 h is the 38 minutes it stands for (docs/tariffs.md §4 item 7).
    let guard = policy.cdr_hours == CdrHours::Centiseconds;
    let version = detect(v);
    let mut w: Vec<ParseWarning> = Vec::new();
    let mut notes = Vec::new();
    let mut f = Fields::new(v, "$")?;
    // Each field read where it is set, in the order errors and notes come.
    let head = CdrHead {
        version,
        start: f
            .datetime("start_date_time", &mut w)?
            .ok_or_else(|| invalid("$.start_date_time", "required"))?,
        end: cdr_end(version, |key| f.datetime(key, &mut w))?,
        currency: match f.str("currency")? {
            Some(c) => Some(c.parse::<Currency>()?),
            None => None,
        },
        credit: f.get("credit").and_then(Value::as_bool).unwrap_or(false),
        timezone: {
            let location = f.get("cdr_location").or_else(|| f.get("location"));
            site_timezone(
                timezone,
                || {
                    let stated = location
                        .and_then(|l| l.get("time_zone"))
                        .and_then(Value::as_str);
                    let country = location
                        .and_then(|l| l.get("country"))
                        .and_then(Value::as_str)
                        .or_else(|| v.get("country_code").and_then(Value::as_str));
                    (stated.map(Into::into), country.map(Into::into))
                },
                &mut notes,
            )?
        },
        tariffs: match f.get("tariffs") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|t| {
                    let version =
                        tariff_version(version, || crate::tariff::detect_tariff_version(t));
                    Ok(crate::tariff::parse_support::tariff(t, version)?.0)
                })
                .collect::<Result<_, Error>>()?,
            _ => Vec::new(),
        },
    };
    let Some(Value::Array(items)) = f.get("charging_periods") else {
        return Err(invalid("$.charging_periods", "required (an array)"));
    };
    let mut periods = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("$.charging_periods[{i}]");
        let mut pf = Fields::new(item, &path)?;
        let pstart = pf
            .datetime("start_date_time", &mut w)?
            .ok_or_else(|| invalid(&format!("{path}.start_date_time"), "required"))?;
        let mut period = head.period(pstart, pf.str("tariff_id")?.map(str::to_string));
        if let Some(Value::Array(dims)) = pf.get("dimensions") {
            for (j, d) in dims.iter().enumerate() {
                let dpath = || format!("{path}.dimensions[{j}]");
                let ty = d.get("type").and_then(Value::as_str).unwrap_or("");
                let Some(vol) = d.get("volume") else {
                    continue;
                };
                let vol = decimal_lazy(vol, &|| format!("{}.volume", dpath()), &mut w)?;
                add_dimension(&mut period, ty, vol, &dpath, guard, policy, &mut notes)?;
            }
        }
        periods.push(period);
    }
    Ok(head.finish(periods, notes))
}

/// What a CDR states besides its charging periods, as both readers read it: they add the
/// periods by [`CdrHead::period`] and hand them to [`CdrHead::finish`].
pub(super) struct CdrHead {
    pub(super) version: OcpiVersion,
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    pub(super) currency: Option<Currency>,
    pub(super) credit: bool,
    pub(super) timezone: Tz,
    pub(super) tariffs: Vec<Tariff>,
}

impl CdrHead {
    /// A charging period from `start`, ending where the CDR ends until
    /// [`finish`](Self::finish) knows the next period's start.
    pub(super) fn period(&self, start: DateTime<Utc>, tariff_id: Option<String>) -> PricingPeriod {
        PricingPeriod {
            start,
            end: self.end,
            tariff_id,
            ..PricingPeriod::default()
        }
    }

    /// The CDR read: its periods in order of start, each ending where the next one starts
    /// (the last where the CDR ends, none before its own start).
    pub(super) fn finish(
        self,
        mut periods: Vec<PricingPeriod>,
        notes: Vec<PricingNote>,
    ) -> ParsedCdr {
        periods.sort_by_key(|p| p.start);
        let n = periods.len();
        for i in 0..n {
            let next = if i + 1 < n {
                periods[i + 1].start
            } else {
                self.end
            };
            periods[i].end = next.max(periods[i].start);
        }
        ParsedCdr {
            version: self.version,
            input: PricingInput {
                start: self.start,
                end: self.end,
                timezone: self.timezone,
                periods,
                credit: self.credit,
            },
            tariffs: self.tariffs,
            currency: self.currency,
            notes,
        }
    }
}

/// A CDR's end, `read` by key: `stop_date_time` in 2.1.1 and `end_date_time` since, with
/// `end_date_time` also taken in 2.1.1 when `stop_date_time` is absent.
pub(super) fn cdr_end(
    version: OcpiVersion,
    mut read: impl FnMut(&'static str) -> Result<Option<DateTime<Utc>>, Error>,
) -> Result<DateTime<Utc>, Error> {
    let key = if version == OcpiVersion::V211 {
        "stop_date_time"
    } else {
        "end_date_time"
    };
    match read(key)? {
        Some(e) => Ok(e),
        None => read("end_date_time")?.ok_or_else(|| invalid("$.end_date_time", "required")),
    }
}

/// The version an embedded tariff is read in: the CDR's when 2.1.1, else the one its
/// fields show (`detected`, asked only then), 2.2.1 at least.
pub(super) fn tariff_version(
    cdr: OcpiVersion,
    detected: impl FnOnce() -> OcpiVersion,
) -> OcpiVersion {
    match cdr {
        OcpiVersion::V211 => OcpiVersion::V211,
        _ => detected().max(OcpiVersion::V221),
    }
}

/// The zone restrictions are evaluated in: `timezone` when given, else the one the CDR
/// states, else its country's (noted). `location` gives the stated zone and the country.
pub(super) fn site_timezone<'a>(
    timezone: Option<&str>,
    location: impl FnOnce() -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>),
    notes: &mut Vec<PricingNote>,
) -> Result<Tz, Error> {
    let unknown = |name: &str| Error::UnknownTimezone {
        timezone: name.to_string(),
    };
    if let Some(name) = timezone {
        return tz::parse(name).ok_or_else(|| unknown(name));
    }
    let (stated, country) = location();
    if let Some(name) = stated {
        return tz::parse(&name).ok_or_else(|| unknown(&name));
    }
    let country = country.unwrap_or_default();
    let tz = tz::timezone_for_country(&country).ok_or_else(|| Error::UnknownTimezone {
        timezone: format!("country {country:?}"),
    })?;
    notes.push(PricingNote::TimezoneInferred {
        timezone: tz.name().into(),
    });
    Ok(tz)
}

/// Adds the volume of one CDR dimension (of type `ty`, at `path`) to its period.
pub(super) fn add_dimension(
    period: &mut PricingPeriod,
    ty: &str,
    vol: Decimal,
    path: &dyn Fn() -> String,
    guard: bool,
    policy: &PricingPolicy,
    notes: &mut Vec<PricingNote>,
) -> Result<(), Error> {
    let add = |slot: &mut Option<Decimal>, x: Decimal| {
        *slot = Some(slot.unwrap_or_default() + x);
    };
    // OCPI types are upper case; others are compared as such.
    let upper;
    let ty_upper = if ty.bytes().any(|b| b.is_ascii_lowercase()) {
        upper = ty.to_ascii_uppercase();
        upper.as_str()
    } else {
        ty
    };
    let usage = matches!(
        ty_upper,
        "ENERGY" | "TIME" | "PARKING_TIME" | "RESERVATION_TIME" | "ENERGY_EXPORT"
    );
    if usage && vol < Decimal::ZERO {
        let path = format!("{}.volume", path());
        if !policy.allow_negative_usage {
            return Err(invalid(
                &path,
                format!("negative usage {vol}; allow_negative_usage prices it as stated"),
            ));
        }
        notes.push(PricingNote::NegativeVolume { volume: vol, path });
    }
    let exact = vol * Decimal::from(3600);
    let secs = if guard { exact.round_dp(2) } else { exact };
    match ty_upper {
        "ENERGY" => add(&mut period.energy_kwh, vol),
        "TIME" => add(&mut period.charging_s, secs),
        "PARKING_TIME" => add(&mut period.parking_s, secs),
        "RESERVATION_TIME" => add(&mut period.reservation_s, secs),
        "MAX_POWER" => period.max_power_kw = Some(vol),
        "MIN_POWER" => period.min_power_kw = Some(vol),
        "POWER" => {
            period.max_power_kw.get_or_insert(vol);
            period.min_power_kw.get_or_insert(vol);
        }
        "MAX_CURRENT" => period.max_current_a = Some(vol),
        "MIN_CURRENT" => period.min_current_a = Some(vol),
        "CURRENT" => {
            period.max_current_a.get_or_insert(vol);
            period.min_current_a.get_or_insert(vol);
        }
        // 2.1.1 FLAT volumes follow from the tariff; session-only types carry no price.
        // Priced only under an export policy (ExportPricing), as a credit.
        "ENERGY_EXPORT" => add(&mut period.energy_export_kwh, vol),
        "FLAT" | "ENERGY_IMPORT" | "STATE_OF_CHARGE" => {}
        _ => notes.push(PricingNote::UnknownDimension {
            value: ty.to_string(),
            path: format!("{}.type", path()),
        }),
    }
    Ok(())
}

fn price_value(p: Price, version: OcpiVersion, lines: &[&Line]) -> Value {
    // OCPI numbers carry at most 4 decimals (only an exact rounding policy leaves more).
    let num = |d: Decimal| {
        crate::tariff::parse_support::num(
            d.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        )
    };
    match version {
        OcpiVersion::V211 => num(p.excl_vat),
        OcpiVersion::V221 => {
            let mut o = Map::new();
            o.insert("excl_vat".into(), num(p.excl_vat));
            if let Some(i) = p.incl_vat {
                o.insert("incl_vat".into(), num(i));
            }
            Value::Object(o)
        }
        OcpiVersion::V230 => {
            let mut o = Map::new();
            o.insert("before_taxes".into(), num(p.excl_vat));
            let taxes: Vec<Value> = invoice_taxes(lines, p)
                .into_iter()
                .map(|(rate, amount)| {
                    let mut t = Map::new();
                    t.insert("name".into(), Value::String("VAT".into()));
                    t.insert("percentage".into(), num(rate));
                    t.insert("amount".into(), num(amount));
                    Value::Object(t)
                })
                .collect();
            o.insert("taxes".into(), Value::Array(taxes));
            Value::Object(o)
        }
    }
}

/// Tax amount per VAT rate for the lines behind a total, scaled so they add up to the
/// total's VAT (after clamping and rounding).
fn invoice_taxes(lines: &[&Line], total: Price) -> Vec<(Decimal, Decimal)> {
    let mut by_rate: Vec<(Decimal, Decimal)> = Vec::new();
    for l in lines {
        if let (Some(r), Some(v)) = (l.vat.rate(), l.cost.vat) {
            match by_rate.iter_mut().find(|(x, _)| *x == r) {
                Some(e) => e.1 += v,
                None => by_rate.push((r, v)),
            }
        }
    }
    let Some(total_vat) = total.vat else {
        return Vec::new();
    };
    let sum: Decimal = by_rate.iter().map(|x| x.1).sum();
    if by_rate.len() == 1 || sum.is_zero() {
        if let Some(first) = by_rate.first_mut() {
            first.1 = total_vat;
        }
        return by_rate;
    }
    let scale = total_vat / sum;
    let mut out: Vec<(Decimal, Decimal)> = by_rate
        .iter()
        .map(|(r, v)| (*r, (*v * scale).round_dp(4)))
        .collect();
    let diff = total_vat - out.iter().map(|x| x.1).sum::<Decimal>();
    if let Some(last) = out.last_mut() {
        last.1 += diff;
    }
    out
}

pub(crate) fn fill(r: &PriceResult) -> Value {
    let (mut cdr, version) = match &r.source {
        Some((v, ver)) => (v.to_value(), *ver),
        None => (Value::Object(Map::new()), OcpiVersion::V221),
    };
    let Value::Object(m) = &mut cdr else {
        return cdr;
    };
    let lines_of = |cats: &[CostCategory]| -> Vec<&Line> {
        r.breakdown
            .lines
            .iter()
            .filter(|l| cats.contains(&l.category))
            .collect()
    };
    let all: Vec<&Line> = r.breakdown.lines.iter().collect();
    m.insert(
        "total_cost".into(),
        price_value(r.total_cost, version, &all),
    );
    if version == OcpiVersion::V211 {
        return cdr;
    }
    let fields: [(&str, Option<Price>, &[CostCategory]); 5] = [
        (
            "total_energy_cost",
            r.total_energy_cost,
            &[CostCategory::Energy],
        ),
        ("total_time_cost", r.total_time_cost, &[CostCategory::Time]),
        (
            "total_parking_cost",
            r.total_parking_cost,
            &[CostCategory::Parking, CostCategory::IdleFee],
        ),
        (
            "total_fixed_cost",
            r.total_fixed_cost,
            &[CostCategory::Fixed],
        ),
        (
            "total_reservation_cost",
            r.total_reservation_cost,
            &[CostCategory::Reservation],
        ),
    ];
    for (key, price, cats) in fields {
        match price {
            Some(p) => {
                m.insert(key.into(), price_value(p, version, &lines_of(cats)));
            }
            None => {
                m.remove(key);
            }
        }
    }
    // OCPI has no total for energy fed back: `total_cost` counts the credit, and a remark
    // (where the CDR has none) says how much of it is credit.
    if let Some(credit) = r.total_energy_export_cost {
        if !m.contains_key("remark") {
            let kwh: Decimal = lines_of(&[CostCategory::EnergyExport])
                .iter()
                .map(|l| l.volume)
                .sum();
            let mut net = credit.excl_vat;
            net.rescale(r.currency.minor_units().max(net.scale()).min(4));
            m.insert(
                "remark".into(),
                Value::String(format!(
                    "total_cost includes {net} {} excl. VAT for {} kWh fed back (V2X)",
                    r.currency,
                    kwh.round_dp(3).normalize()
                )),
            );
        }
    }
    cdr
}
