//! Serde helpers for OCPP profile JSON: exact decimals as JSON numbers, timestamps.

use crate::json::number::decimal_text;
use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serializer};

/// Parses an OCPP number text (`16`, `16.0`, `1.5e3`) into an exact decimal.
pub(crate) fn decimal_from_text(text: &str) -> Result<Decimal, String> {
    decimal_text(text).map_err(|e| format!("{text:?} is not a decimal number ({e})"))
}

/// A decimal written as a JSON number (not a string), read and written exactly.
pub(crate) use crate::json::number::as_number as number;

/// An optional decimal written as a JSON number.
pub(crate) use crate::json::number::as_number::option as opt_number;

/// A decimal in a configuration, read from a string or a JSON number (it is written as a
/// string, `Decimal`'s own serde form, like the other chargekit options).
pub(crate) mod text_or_number {
    use super::*;
    use crate::json::number::NumberText;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match NumberText::deserialize(d) {
            Ok(NumberText::String(s)) => decimal_from_text(s.trim()),
            Ok(NumberText::Number(n)) => decimal_from_text(&n),
            Err(e) => return Err(e),
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
