//! Serde helpers for OCPP profile JSON: exact decimals as JSON numbers, timestamps.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};
use std::str::FromStr;

/// Parses an OCPP number text (`16`, `16.0`, `1.5e3`) into an exact decimal.
pub(crate) fn decimal_from_text(text: &str) -> Result<Decimal, String> {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|e| format!("{text:?} is not a decimal number ({e})"))
}

/// The JSON number for a decimal, keeping its exact digits.
pub(crate) fn decimal_to_number(d: Decimal) -> Option<serde_json::Number> {
    serde_json::Number::from_str(&d.to_string()).ok()
}

/// A decimal written as a JSON number (not a string).
pub(crate) mod number {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        match decimal_to_number(*d) {
            Some(n) => serde::Serialize::serialize(&n, s),
            None => Err(serde::ser::Error::custom(format!(
                "{d} is not a JSON number"
            ))),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let n = serde_json::Number::deserialize(d)?;
        decimal_from_text(&n.to_string()).map_err(serde::de::Error::custom)
    }
}

/// An optional decimal written as a JSON number.
pub(crate) mod opt_number {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => number::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<serde_json::Number>::deserialize(d)? {
            None => Ok(None),
            Some(n) => decimal_from_text(&n.to_string())
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// A decimal in a configuration, read from a string or a JSON number (it is written as a
/// string, `Decimal`'s own serde form, like the other chargekit options).
pub(crate) mod text_or_number {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => decimal_from_text(s.trim()),
            serde_json::Value::Number(n) => decimal_from_text(&n.to_string()),
            other => Err(format!(
                "expected a decimal as string or number, found {other}"
            )),
        }
        .map_err(serde::de::Error::custom)
    }
}

/// Parses an OCPP timestamp. RFC 3339 with an offset; a timestamp without offset (as in
/// some EVerest fixtures) is read as UTC.
pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|n| n.and_utc())
        .map_err(|e| format!("{s:?} is not an RFC 3339 timestamp ({e})"))
}

/// Formats a timestamp as OCPP sends it: RFC 3339, UTC, `Z`, fraction only when present.
pub(crate) fn format_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// An optional timestamp.
pub(crate) mod opt_time {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_time(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_time(&s).map(Some).map_err(serde::de::Error::custom),
        }
    }
}

/// A required timestamp (read only).
pub(crate) mod time {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        parse_time(&s).map_err(serde::de::Error::custom)
    }
}

/// Whole seconds since the epoch, floored (the internal time base, `docs/charging-profiles.md`
/// §1).
pub(crate) fn secs(t: &DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The instant for whole seconds since the epoch.
pub(crate) fn from_secs(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}
