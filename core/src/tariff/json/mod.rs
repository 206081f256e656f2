//! Reading OCPI tariff JSON text straight into [`Tariff`]: borrowed serde models instead
//! of a `serde_json::Value` tree, numbers read exactly from their JSON text.
//!
//! Two steps. serde fills the borrowed models of [`raw`], whose scalar fields are the JSON
//! text of their values ([`RawValue`](serde_json::value::RawValue)), so a number never
//! passes through `f64` and reads the same with or without serde_json's
//! `arbitrary_precision`. [`read`] then interprets them in the order of the `Value` reader
//! (`tariff::parse`), so warnings, errors and their JSON paths come out as that reader's.
//!
//! Input the models cannot hold (a container of the wrong type, `//` comment lines) goes
//! to the `Value` reader, which reports it as it always did; so does input that reader
//! would reject but the models would not see ([`needs_value_reader`]).

pub(crate) mod raw;
pub(crate) mod read;
pub(crate) mod scalar;
pub(crate) mod unknown;

#[cfg(test)]
mod tests;

use super::{parse, OcpiVersion, ParseWarning, Tariff};
use crate::Error;

/// Reads an OCPI tariff from JSON text (the version detected unless given).
pub(crate) fn tariff_from_str(
    text: &str,
    version: Option<OcpiVersion>,
) -> Result<(Tariff, Vec<ParseWarning>), Error> {
    if !needs_value_reader(text) {
        if let Ok(raw) = serde_json::from_str::<raw::RawTariff<'_>>(text) {
            let version = version.unwrap_or_else(|| read::detect_version(&raw));
            return read::tariff(&raw, version);
        }
    }
    let value = parse::json_value(text)?;
    let version = version.unwrap_or_else(|| parse::detect_version(&value));
    parse::tariff(&value, version)
}

/// Reads tariffs from JSON text: one object or an array of them (warnings dropped).
pub(crate) fn tariffs_from_str(text: &str) -> Option<Result<Vec<Tariff>, Error>> {
    if needs_value_reader(text) {
        return None;
    }
    let one = |raw: &raw::RawTariff<'_>| read::tariff(raw, read::detect_version(raw));
    if text.trim_start().starts_with('[') {
        let items = serde_json::from_str::<Vec<raw::RawTariff<'_>>>(text).ok()?;
        Some(items.iter().map(|t| one(t).map(|(t, _)| t)).collect())
    } else {
        let item = serde_json::from_str::<raw::RawTariff<'_>>(text).ok()?;
        Some(one(&item).map(|(t, _)| vec![t]))
    }
}

/// True when text must go through the `Value` reader to be judged as it always was: the
/// raw models skip what they do not read without serde_json's checks of a full parse
/// (its nesting limit of 128, surrogate pairs in `\u` escapes).
pub(crate) fn needs_value_reader(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Fewer than 128 brackets cannot nest 128 deep; counting them is cheaper than a scan
    // that tells strings apart.
    let brackets = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count();
    (brackets >= 100 && nesting_depth(bytes) >= 100) || text.contains("\\u")
}

/// The deepest nesting of arrays and objects in JSON text (brackets in strings skipped).
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
