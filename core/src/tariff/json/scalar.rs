//! Scalar fields from their JSON text: strings, exact decimals, timestamps.
//!
//! A field is held as the JSON text of its value (`null` included); these readers give
//! the same values, errors and warnings as the `Value` reader's `Fields`.

use crate::tariff::parse::{checked_decimal, datetime_lazy, decimal_text, ParseWarning};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The JSON text of a field's value, `null` included (`None`: the key is absent).
pub(crate) type Slot<'de> = Option<&'de RawValue>;

/// The value of a field, treating `null` as absent.
pub(crate) fn present<'de>(slot: Slot<'de>) -> Option<&'de RawValue> {
    slot.filter(|v| v.get() != "null")
}

/// The string a JSON value is, if it is one (borrowed unless it has escapes).
pub(crate) fn as_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(text).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// True when the value is a JSON number.
pub(crate) fn is_number(raw: &RawValue) -> bool {
    raw.get()
        .as_bytes()
        .first()
        .is_some_and(|b| *b == b'-' || b.is_ascii_digit())
}

/// A string field: `None` when absent or null, an error when of another type.
pub(crate) fn string<'de>(
    slot: Slot<'de>,
    path: &dyn Fn() -> String,
) -> Result<Option<Cow<'de, str>>, Error> {
    match present(slot) {
        None => Ok(None),
        Some(v) => as_str(v)
            .map(Some)
            .ok_or_else(|| Error::InvalidTariffField {
                path: path(),
                reason: "expected a string".into(),
            }),
    }
}

/// A decimal field (a number, or a numeric string), exact.
pub(crate) fn decimal(
    slot: Slot<'_>,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Option<Decimal>, Error> {
    present(slot)
        .map(|v| decimal_of(v, path, warnings))
        .transpose()
}

/// A JSON number (or numeric string) as an exact decimal, read from its text: the rules,
/// errors and warnings of the `Value` reader's `decimal_lazy`.
pub(crate) fn decimal_of(
    raw: &RawValue,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Decimal, Error> {
    let string;
    let text = if is_number(raw) {
        raw.get()
    } else if let Some(s) = as_str(raw) {
        string = s;
        string.trim()
    } else {
        return Err(Error::InvalidTariffField {
            path: path(),
            reason: "expected a number".into(),
        });
    };
    let d = decimal_text(text).map_err(|e| Error::InvalidTariffField {
        path: path(),
        reason: format!("{} is not a number ({e})", shown(raw)),
    })?;
    checked_decimal(d, path, warnings)
}

/// A value as errors have always shown it (`serde_json::Value`'s display): strings
/// re-escaped, numbers as written but for the exponent, which is written `e+3` for `E3`.
fn shown(raw: &RawValue) -> Cow<'_, str> {
    let text = raw.get();
    match as_str(raw) {
        Some(s) if s.contains(['"', '\\']) || s.chars().any(char::is_control) => {
            Cow::Owned(serde_json::to_string(&s).unwrap_or_default())
        }
        Some(_) => Cow::Borrowed(text),
        None => crate::json::number::shown_number(text),
    }
}

/// A timestamp field (see `datetime_lazy`).
pub(crate) fn datetime(
    slot: Slot<'_>,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<ParseWarning>,
) -> Result<Option<DateTime<Utc>>, Error> {
    match string(slot, path)? {
        None => Ok(None),
        Some(s) => datetime_lazy(&s, path, warnings).map(Some),
    }
}
