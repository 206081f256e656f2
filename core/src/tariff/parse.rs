//! Reading OCPI tariff JSON (2.1.1, 2.2.1, 2.3.0) into the internal model and writing it back.
//!
//! This reader walks a JSON tree ([`crate::json::Value`], numbers as their exact text),
//! lenient where real-world data is sloppy (nulls for absent fields, unknown dimension
//! types, misspelled fields) while reporting each oddity with its JSON path. JSON text is
//! read by [`super::json`] instead, to the same rules without a tree; this reader serves
//! `serde_json::Value` input ([`Tariff::from_value`], as exact as that value) and the text
//! those models hand over.

use super::*;
pub(crate) use crate::json::number::decimal_text;
use crate::json::{Map, Value};
use crate::Error;
use chrono::{NaiveDateTime, TimeZone};
use rust_decimal::prelude::ToPrimitive;
use std::str::FromStr;

/// Something odd but usable in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "TariffWarning"))]
pub struct ParseWarning {
    /// JSON path, e.g. `$.elements[0].restrictions.dayOfWeek`.
    pub path: String,
    /// A stable identifier, e.g. `misspelled_field(day_of_week)`.
    pub id: String,
    /// What.
    pub kind: ParseWarningKind,
}

/// Kinds of [`ParseWarning`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ParseWarningKind {
    /// A field OCPI does not define; ignored.
    UnexpectedField,
    /// A field that looks like a misspelling of a known one; ignored (the restriction is lost!).
    MisspelledField {
        /// As written.
        found: String,
        /// The field it resembles.
        expected: String,
    },
    /// An enumeration value OCPI does not define; the item is ignored.
    InvalidValue {
        /// As written.
        value: String,
    },
    /// An enumeration value in the wrong case; accepted.
    IncorrectCase {
        /// As written.
        value: String,
    },
    /// A number with more than the 4 decimals OCPI allows.
    ExcessivePrecision,
    /// A required field is absent; a default was used.
    MissingField {
        /// The default used.
        default_used: String,
    },
    /// A timestamp without a UTC offset; read as UTC.
    TimestampWithoutOffset,
    /// A price given as a bare number; read as excl. VAT.
    PriceAsNumber,
}

impl ParseWarning {
    /// A warning at `path`, with its stable identifier.
    pub fn new(path: String, kind: ParseWarningKind) -> Self {
        let id = match &kind {
            ParseWarningKind::UnexpectedField => "unexpected_field".into(),
            ParseWarningKind::MisspelledField { expected, .. } => {
                format!("misspelled_field({expected})")
            }
            ParseWarningKind::InvalidValue { value } => format!("invalid_value({value})"),
            ParseWarningKind::IncorrectCase { .. } => "incorrect_case".into(),
            ParseWarningKind::ExcessivePrecision => "excessive_precision".into(),
            ParseWarningKind::MissingField { .. } => {
                let field = path.rsplit('.').next().unwrap_or("");
                format!("missing_field({field})")
            }
            ParseWarningKind::TimestampWithoutOffset => "timestamp_without_offset".into(),
            ParseWarningKind::PriceAsNumber => "invalid_type(number)".into(),
        };
        ParseWarning { path, id, kind }
    }
}

/// Parses JSON text, dropping lines whose first non-blank characters are `//`.
pub(crate) fn json_value(text: &str) -> Result<Value, Error> {
    let parsed = Value::from_text(text);
    match parsed {
        Ok(v) => Ok(v),
        Err(first) => {
            if !text.contains("//") {
                return Err(Error::TariffJson {
                    reason: first.to_string(),
                });
            }
            let cleaned: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            Value::from_text(&cleaned).map_err(|e| Error::TariffJson {
                reason: e.to_string(),
            })
        }
    }
}

/// Reads the fields of one JSON object, remembering which were used.
pub(crate) struct Fields<'a> {
    pub path: String,
    map: &'a Map<String, Value>,
    used: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    pub fn new(value: &'a Value, path: &str) -> Result<Self, Error> {
        match value {
            Value::Object(map) => Ok(Fields {
                path: path.to_string(),
                map,
                used: Vec::new(),
            }),
            _ => Err(Error::InvalidTariffField {
                path: path.to_string(),
                reason: "expected an object".into(),
            }),
        }
    }

    pub fn sub(&self, key: &str) -> String {
        format!("{}.{}", self.path, key)
    }

    /// The field, treating `null` as absent.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        self.used.push(key);
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn required(&mut self, key: &'static str) -> Result<&'a Value, Error> {
        match self.get(key) {
            Some(v) => Ok(v),
            None => Err(Error::MissingTariffField {
                path: self.sub(key),
            }),
        }
    }

    pub fn str(&mut self, key: &'static str) -> Result<Option<&'a str>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Error::InvalidTariffField {
                path: self.sub(key),
                reason: "expected a string".into(),
            }),
        }
    }

    pub fn decimal(
        &mut self,
        key: &'static str,
        warnings: &mut Vec<ParseWarning>,
    ) -> Result<Option<Decimal>, Error> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => decimal_lazy(v, &|| self.sub(key), warnings).map(Some),
        }
    }

    pub fn datetime(
        &mut self,
        key: &'static str,
        warnings: &mut Vec<ParseWarning>,
    ) -> Result<Option<DateTime<Utc>>, Error> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => datetime_lazy(s, &|| self.sub(key), warnings).map(Some),
        }
    }

    /// Reports every field not read, as unexpected or misspelled.
    pub fn finish(self, known_elsewhere: &[&str], warnings: &mut Vec<ParseWarning>) {
        for key in self.map.keys() {
            if self.used.contains(&key.as_str()) || known_elsewhere.contains(&key.as_str()) {
                continue;
            }
            let norm = normalise(key);
            let kind = match self
                .used
                .iter()
                .chain(known_elsewhere.iter())
                .find(|k| normalise(k) == norm)
            {
                Some(expected) => ParseWarningKind::MisspelledField {
                    found: key.clone(),
                    expected: (*expected).to_string(),
                },
                None => ParseWarningKind::UnexpectedField,
            };
            warnings.push(ParseWarning::new(format!("{}.{}", self.path, key), kind));
        }
    }
}

pub(crate) fn normalise(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A JSON number (or numeric string) as an exact decimal.
pub(crate) fn decimal(
    v: &Value,
    path: &str,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Decimal, Error> {
    decimal_lazy(v, &|| path.to_string(), warnings)
}

/// Like [`decimal`], building the JSON path only when it is reported.
pub(crate) fn decimal_lazy(
    v: &Value,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Decimal, Error> {
    let parsed = match v {
        Value::Number(n) => decimal_text(n.as_str()),
        Value::String(s) => decimal_text(s.trim()),
        _ => {
            return Err(Error::InvalidTariffField {
                path: path(),
                reason: "expected a number".into(),
            })
        }
    };
    let d = parsed.map_err(|e| Error::InvalidTariffField {
        path: path(),
        reason: format!("{v} is not a number ({e})"),
    })?;
    checked_decimal(d, path, warnings)
}

/// The checks of a tariff decimal once read, shared by both readers so that they refuse
/// and warn alike: an error beyond the quantity limit, a warning past OCPI's 4 decimals.
pub(crate) fn checked_decimal(
    d: Decimal,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Decimal, Error> {
    if !crate::limits::quantity_in_range(d) {
        return Err(Error::InvalidTariffField {
            path: path(),
            reason: format!("{d} is beyond ±10^12 (limits::MAX_QUANTITY)"),
        });
    }
    if d.scale() > 4 && d.normalize().scale() > 4 {
        warnings.push(ParseWarning::new(
            path(),
            ParseWarningKind::ExcessivePrecision,
        ));
    }
    Ok(d)
}

/// An OCPI timestamp: RFC 3339, or without an offset (read as UTC, with a warning);
/// the JSON path is built only when it is reported.
pub(crate) fn datetime_lazy(
    s: &str,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<DateTime<Utc>, Error> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let lenient = s.strip_suffix('Z').unwrap_or(s);
    if lenient.len() != s.len() {
        // A UTC timestamp with unpadded fields, e.g. "2025-8-13T21:07:50.029Z".
        if let Ok(n) = NaiveDateTime::parse_from_str(lenient, "%Y-%m-%dT%H:%M:%S%.f") {
            return Ok(Utc.from_utc_datetime(&n));
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            warnings.push(ParseWarning::new(
                path(),
                ParseWarningKind::TimestampWithoutOffset,
            ));
            return Ok(Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%:z") {
        return Ok(t.with_timezone(&Utc));
    }
    Err(Error::InvalidTariffField {
        path: path(),
        reason: format!("{s:?} is not a timestamp"),
    })
}

/// An OCPI enumeration value, accepted in any case (with a warning when not upper case).
pub(crate) fn enum_value<T: FromStr>(
    s: &str,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Option<T> {
    if let Ok(v) = s.parse::<T>() {
        return Some(v);
    }
    let upper = s.to_ascii_uppercase();
    match upper.parse::<T>() {
        Ok(v) => {
            warnings.push(ParseWarning::new(
                path(),
                ParseWarningKind::IncorrectCase { value: s.into() },
            ));
            Some(v)
        }
        Err(_) => {
            warnings.push(ParseWarning::new(
                path(),
                ParseWarningKind::InvalidValue { value: s.into() },
            ));
            None
        }
    }
}

pub(crate) fn detect_version(v: &Value) -> OcpiVersion {
    let has = |k: &str| v.get(k).is_some_and(|x| !x.is_null());
    let limit_v23 = |k: &str| v.get(k).and_then(|p| p.get("before_taxes")).is_some();
    if has("tax_included") || limit_v23("min_price") || limit_v23("max_price") {
        OcpiVersion::V230
    } else if !has("country_code") && !has("party_id") {
        OcpiVersion::V211
    } else {
        OcpiVersion::V221
    }
}

pub(crate) fn tariff(
    v: &Value,
    version: OcpiVersion,
) -> Result<(Tariff, Vec<ParseWarning>), Error> {
    let mut w = Vec::new();
    let mut f = Fields::new(v, "$")?;
    // Each field read where it is set, in the order errors and warnings are reported.
    let tariff = Tariff {
        version,
        country_code: f.str("country_code")?.map(str::to_string),
        party_id: f.str("party_id")?.map(str::to_string),
        id: f
            .str("id")?
            .ok_or_else(|| Error::MissingTariffField {
                path: "$.id".into(),
            })?
            .to_string(),
        currency: f
            .str("currency")?
            .ok_or_else(|| Error::MissingTariffField {
                path: "$.currency".into(),
            })?
            .parse()?,
        tariff_type: f
            .str("type")?
            .and_then(|s| enum_value::<TariffType>(s, &|| "$.type".into(), &mut w)),
        alt_text: alt_text(f.get("tariff_alt_text")),
        alt_url: f.str("tariff_alt_url")?.map(str::to_string),
        min_price: price_limit(&mut f, "min_price", version, &mut w)?,
        max_price: price_limit(&mut f, "max_price", version, &mut w)?,
        start_date_time: f.datetime("start_date_time", &mut w)?,
        end_date_time: f.datetime("end_date_time", &mut w)?,
        energy_mix: f.get("energy_mix").map(Value::to_serde),
        last_updated: f.datetime("last_updated", &mut w)?,
        tax_included: f
            .str("tax_included")?
            .and_then(|s| enum_value::<TaxIncluded>(s, &|| "$.tax_included".into(), &mut w)),
        preauthorize_amount: f.decimal("preauthorize_amount", &mut w)?,
        idle_fee: f.get("idle_fee").cloned().map(idle_fee).transpose()?,
        elements: {
            let Value::Array(items) = f.required("elements")? else {
                return Err(Error::InvalidTariffField {
                    path: "$.elements".into(),
                    reason: "expected an array".into(),
                });
            };
            elements(items, |i, e| {
                element(e, &format!("$.elements[{i}]"), version, &mut w)
            })?
        },
    };
    f.finish(&[], &mut w);
    Ok((tariff, w))
}

/// `tariff_alt_text`: the items with a string `language` and `text` (anything else dropped).
pub(crate) fn alt_text(v: Option<&Value>) -> Vec<DisplayText> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|t| {
            Some(DisplayText {
                language: t.get("language")?.as_str()?.to_string(),
                text: t.get("text")?.as_str()?.to_string(),
            })
        })
        .collect()
}

/// The chargekit idle fee, read by its serde model from the value's text.
pub(crate) fn idle_fee(v: Value) -> Result<IdleFee, Error> {
    serde_json::from_str::<IdleFee>(&v.to_string()).map_err(invalid_idle_fee)
}

/// The error of an idle fee that does not read (as serde_json words it for a value: no
/// position).
pub(crate) fn invalid_idle_fee(e: serde_json::Error) -> Error {
    Error::InvalidTariffField {
        path: "$.idle_fee".into(),
        reason: crate::json::without_position(&e),
    }
}

/// A tariff's elements, each read by `element` (with its index): there must be one at least.
pub(crate) fn elements<T>(
    items: &[T],
    mut element: impl FnMut(usize, &T) -> Result<TariffElement, Error>,
) -> Result<Vec<TariffElement>, Error> {
    if items.is_empty() {
        return Err(Error::NoTariffElements);
    }
    let mut elements = Vec::with_capacity(items.len());
    for (i, e) in items.iter().enumerate() {
        elements.push(element(i, e)?);
    }
    Ok(elements)
}

fn price_limit(
    f: &mut Fields<'_>,
    key: &'static str,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<Option<PriceLimit>, Error> {
    let path = f.sub(key);
    let Some(v) = f.get(key) else {
        return Ok(None);
    };
    if v.is_number() {
        w.push(ParseWarning::new(
            path.clone(),
            ParseWarningKind::PriceAsNumber,
        ));
        return Ok(Some(PriceLimit {
            excl_vat: decimal(v, &path, w)?,
            incl_vat: None,
        }));
    }
    let mut p = Fields::new(v, &path)?;
    let (excl_key, incl_key) = if version == OcpiVersion::V230 || v.get("before_taxes").is_some() {
        ("before_taxes", "after_taxes")
    } else {
        ("excl_vat", "incl_vat")
    };
    let excl = p
        .decimal(excl_key, w)?
        .ok_or_else(|| Error::MissingTariffField {
            path: format!("{path}.{excl_key}"),
        })?;
    let incl = p.decimal(incl_key, w)?;
    p.finish(&[], w);
    Ok(Some(PriceLimit {
        excl_vat: excl,
        incl_vat: incl,
    }))
}

fn element(
    v: &Value,
    path: &str,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<TariffElement, Error> {
    let mut f = Fields::new(v, path)?;
    let comps = f.required("price_components")?;
    let Value::Array(items) = comps else {
        return Err(Error::InvalidTariffField {
            path: f.sub("price_components"),
            reason: "expected an array".into(),
        });
    };
    let mut price_components = Vec::with_capacity(items.len());
    for (i, c) in items.iter().enumerate() {
        let cpath = format!("{path}.price_components[{i}]");
        if let Some(c) = component(c, &cpath, version, w)? {
            price_components.push(c);
        }
    }
    let restrictions = match f.get("restrictions") {
        Some(r) => restrictions(r, &format!("{path}.restrictions"), w)?,
        None => Restrictions::default(),
    };
    f.finish(&[], w);
    Ok(TariffElement {
        price_components,
        restrictions,
    })
}

fn component(
    v: &Value,
    path: &str,
    version: OcpiVersion,
    w: &mut Vec<ParseWarning>,
) -> Result<Option<PriceComponent>, Error> {
    let mut f = Fields::new(v, path)?;
    let ty = f.str("type")?.ok_or_else(|| Error::MissingTariffField {
        path: format!("{path}.type"),
    })?;
    let dimension = enum_value::<TariffDimension>(ty, &|| format!("{path}.type"), w);
    let price = f
        .decimal("price", w)?
        .ok_or_else(|| Error::MissingTariffField {
            path: format!("{path}.price"),
        })?;
    let vat = vat(f.decimal("vat", w)?, version);
    let step_size = step_size(
        f.decimal("step_size", w)?,
        &|| format!("{path}.step_size"),
        w,
    )?;
    f.finish(&[], w);
    Ok(dimension.map(|dimension| PriceComponent {
        dimension,
        price,
        vat,
        step_size,
    }))
}

/// A price component's VAT: the rate given, else unknown in 2.1.1 (which cannot state it)
/// and none in later versions.
pub(crate) fn vat(rate: Option<Decimal>, version: OcpiVersion) -> Vat {
    match rate {
        Some(r) => Vat::Rate(r),
        None if version == OcpiVersion::V211 => Vat::Unknown,
        None => Vat::NotApplicable,
    }
}

/// A price component's step size: a whole, non-negative number; 1 when absent (warned).
pub(crate) fn step_size(
    s: Option<Decimal>,
    path: &dyn Fn() -> String,
    w: &mut Vec<ParseWarning>,
) -> Result<u32, Error> {
    match s {
        // The error is built only when reported (this runs for every component).
        Some(s) => s
            .fract()
            .is_zero()
            .then(|| s.to_u32())
            .flatten()
            .ok_or_else(|| Error::InvalidTariffField {
                path: path(),
                reason: format!("{s} is not a step size (a whole, non-negative number)"),
            }),
        None => {
            w.push(ParseWarning::new(
                path(),
                ParseWarningKind::MissingField {
                    default_used: "1".into(),
                },
            ));
            Ok(1)
        }
    }
}

fn restrictions(v: &Value, path: &str, w: &mut Vec<ParseWarning>) -> Result<Restrictions, Error> {
    let mut f = Fields::new(v, path)?;
    let time = |s: Option<&str>| s.map(TimeOfDay::from_str).transpose();
    let at = |key: &'static str| move || format!("{path}.{key}");
    // Each field read where it is set, in the order errors and warnings are reported.
    let restrictions = Restrictions {
        start_time: time(f.str("start_time")?)?,
        end_time: time(f.str("end_time")?)?,
        start_date: date(f.str("start_date")?, &at("start_date"))?,
        end_date: date(f.str("end_date")?, &at("end_date"))?,
        min_kwh: f.decimal("min_kwh", w)?,
        max_kwh: f.decimal("max_kwh", w)?,
        min_current: f.decimal("min_current", w)?,
        max_current: f.decimal("max_current", w)?,
        min_power: f.decimal("min_power", w)?,
        max_power: f.decimal("max_power", w)?,
        min_duration: duration_s(f.decimal("min_duration", w)?, &at("min_duration"))?,
        max_duration: duration_s(f.decimal("max_duration", w)?, &at("max_duration"))?,
        day_of_week: match f.get("day_of_week") {
            None => Vec::new(),
            Some(Value::Array(days)) => {
                let mut day_of_week = Vec::new();
                for (i, d) in days.iter().enumerate() {
                    let dp = || format!("{path}.day_of_week[{i}]");
                    add_day(&mut day_of_week, d.as_str(), &dp, w);
                }
                day_of_week
            }
            Some(_) => {
                return Err(Error::InvalidTariffField {
                    path: f.sub("day_of_week"),
                    reason: "expected an array".into(),
                })
            }
        },
        reservation: f
            .str("reservation")?
            .and_then(|s| enum_value::<ReservationRestriction>(s, &at("reservation"), w)),
    };
    f.finish(&[], w);
    Ok(restrictions)
}

/// A restriction's date, `YYYY-MM-DD`.
pub(crate) fn date(s: Option<&str>, path: &dyn Fn() -> String) -> Result<Option<NaiveDate>, Error> {
    s.map(|s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::InvalidTariffField {
            path: path(),
            reason: format!("{s:?} is not a date YYYY-MM-DD"),
        })
    })
    .transpose()
}

/// A restriction's duration in whole seconds (a fraction dropped); not negative.
pub(crate) fn duration_s(
    d: Option<Decimal>,
    path: &dyn Fn() -> String,
) -> Result<Option<u64>, Error> {
    d.map(|d| {
        if d.is_sign_negative() {
            return Err(Error::InvalidTariffField {
                path: path(),
                reason: "a duration cannot be negative".into(),
            });
        }
        d.trunc().to_u64().ok_or_else(|| Error::InvalidTariffField {
            path: path(),
            reason: "duration out of range".into(),
        })
    })
    .transpose()
}

/// One item of `day_of_week`: a day is kept once; a name OCPI does not define is warned
/// and skipped, as is anything not a string.
pub(crate) fn add_day(
    days: &mut Vec<DayOfWeek>,
    s: Option<&str>,
    path: &dyn Fn() -> String,
    w: &mut Vec<ParseWarning>,
) {
    if let Some(d) = s.and_then(|s| enum_value::<DayOfWeek>(s, path, w)) {
        if !days.contains(&d) {
            days.push(d);
        }
    }
}

/// An exact JSON number from a decimal.
pub(crate) fn num(d: Decimal) -> Value {
    Value::number(d.normalize())
}

fn ts(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

pub(crate) fn to_value(t: &Tariff, version: OcpiVersion) -> Value {
    let v23 = version == OcpiVersion::V230;
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put(
        "country_code",
        Value::String(t.country_code.clone().unwrap_or_default()),
    );
    put(
        "party_id",
        Value::String(t.party_id.clone().unwrap_or_default()),
    );
    put("id", Value::String(t.id.clone()));
    put("currency", Value::String(t.currency.to_string()));
    if let Some(ty) = t.tariff_type {
        put("type", Value::String(ty.as_str().into()));
    }
    if !t.alt_text.is_empty() {
        put(
            "tariff_alt_text",
            Value::Array(
                t.alt_text
                    .iter()
                    .map(|d| {
                        Value::Object(Map::from([
                            ("language".to_string(), Value::String(d.language.clone())),
                            ("text".to_string(), Value::String(d.text.clone())),
                        ]))
                    })
                    .collect(),
            ),
        );
    }
    if let Some(u) = &t.alt_url {
        put("tariff_alt_url", Value::String(u.clone()));
    }
    let limit = |p: &PriceLimit| {
        let (a, b) = if v23 {
            ("before_taxes", "after_taxes")
        } else {
            ("excl_vat", "incl_vat")
        };
        let mut o = Map::new();
        o.insert(a.into(), num(p.excl_vat));
        if let Some(i) = p.incl_vat {
            o.insert(b.into(), num(i));
        }
        Value::Object(o)
    };
    if let Some(p) = &t.min_price {
        put("min_price", limit(p));
    }
    if let Some(p) = &t.max_price {
        put("max_price", limit(p));
    }
    if v23 {
        put(
            "tax_included",
            Value::String(t.tax_included.unwrap_or(TaxIncluded::No).as_str().into()),
        );
        if let Some(a) = t.preauthorize_amount {
            put("preauthorize_amount", num(a));
        }
    }
    put(
        "elements",
        Value::Array(t.elements.iter().map(element_value).collect()),
    );
    if let Some(s) = t.start_date_time {
        put("start_date_time", ts(s));
    }
    if let Some(s) = t.end_date_time {
        put("end_date_time", ts(s));
    }
    if let Some(e) = &t.energy_mix {
        put("energy_mix", Value::from(e));
    }
    put(
        "last_updated",
        ts(t.last_updated.unwrap_or(DateTime::<Utc>::UNIX_EPOCH)),
    );
    Value::Object(m)
}

fn element_value(e: &TariffElement) -> Value {
    let comps: Vec<Value> = e
        .price_components
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert("type".into(), Value::String(c.dimension.as_str().into()));
            o.insert("price".into(), num(c.price));
            if let Vat::Rate(r) = c.vat {
                o.insert("vat".into(), num(r));
            }
            o.insert("step_size".into(), Value::from(c.step_size));
            Value::Object(o)
        })
        .collect();
    let mut o = Map::new();
    o.insert("price_components".into(), Value::Array(comps));
    let r = &e.restrictions;
    if !r.is_empty() {
        let mut ro = Map::new();
        let mut s = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                ro.insert(k.into(), Value::String(v));
            }
        };
        s("start_time", r.start_time.map(|t| t.to_string()));
        s("end_time", r.end_time.map(|t| t.to_string()));
        s("start_date", r.start_date.map(|d| d.to_string()));
        s("end_date", r.end_date.map(|d| d.to_string()));
        let mut n = |k: &str, v: Option<Decimal>| {
            if let Some(v) = v {
                ro.insert(k.into(), num(v));
            }
        };
        n("min_kwh", r.min_kwh);
        n("max_kwh", r.max_kwh);
        n("min_current", r.min_current);
        n("max_current", r.max_current);
        n("min_power", r.min_power);
        n("max_power", r.max_power);
        if let Some(d) = r.min_duration {
            ro.insert("min_duration".into(), Value::from(d));
        }
        if let Some(d) = r.max_duration {
            ro.insert("max_duration".into(), Value::from(d));
        }
        if !r.day_of_week.is_empty() {
            ro.insert(
                "day_of_week".into(),
                Value::Array(
                    r.day_of_week
                        .iter()
                        .map(|d| Value::String(d.as_str().into()))
                        .collect(),
                ),
            );
        }
        if let Some(res) = r.reservation {
            ro.insert("reservation".into(), Value::String(res.as_str().into()));
        }
        o.insert("restrictions".into(), Value::Object(ro));
    }
    Value::Object(o)
}
