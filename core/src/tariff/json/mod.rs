//! Reading OCPI tariff JSON text straight into [`Tariff`]: borrowed serde models instead
//! of a `serde_json::Value` tree, numbers read exactly from their JSON text.
//!
//! Two steps. serde fills the borrowed models of [`raw`], whose scalar fields are the JSON
//! text of their values ([`RawValue`](serde_json::value::RawValue)), so a number never
//! passes through `f64` (chargekit does not enable serde_json's `arbitrary_precision`, see
//! [`crate::json`]; it reads the same should another crate do so). [`read`] then interprets
//! them in the order of the tree reader
//! (`tariff::parse`), so warnings, errors and their JSON paths come out as that reader's.
//!
//! Input the models cannot hold (a container of the wrong type, `//` comment lines) goes
//! to the `Value` reader, which reports it as it always did; so does input that reader
//! might judge otherwise than the models, which skip what they do not read
//! ([`raw::Checked`]).

pub(crate) mod raw;
pub(crate) mod read;
pub(crate) mod scalar;
pub(crate) mod unknown;

#[cfg(test)]
pub(crate) mod tests;

use super::{parse, OcpiVersion, ParseWarning, Tariff};
use crate::Error;

/// Reads an OCPI tariff from JSON text (the version detected unless given).
pub(crate) fn tariff_from_str(
    text: &str,
    version: Option<OcpiVersion>,
) -> Result<(Tariff, Vec<ParseWarning>), Error> {
    if let Ok(raw) = serde_json::from_str::<raw::RawTariff<'_>>(text) {
        let version = version.unwrap_or_else(|| read::detect_version(&raw));
        return read::tariff(&raw, version);
    }
    let value = parse::json_value(text)?;
    let version = version.unwrap_or_else(|| parse::detect_version(&value));
    parse::tariff(&value, version)
}

/// Reads tariffs from JSON text: one object or an array of them (warnings dropped).
pub(crate) fn tariffs_from_str(text: &str) -> Option<Result<Vec<Tariff>, Error>> {
    let one = |raw: &raw::RawTariff<'_>| read::tariff(raw, read::detect_version(raw));
    if text.trim_start().starts_with('[') {
        let items = serde_json::from_str::<Vec<raw::RawTariff<'_>>>(text).ok()?;
        Some(items.iter().map(|t| one(t).map(|(t, _)| t)).collect())
    } else {
        let item = serde_json::from_str::<raw::RawTariff<'_>>(text).ok()?;
        Some(one(&item).map(|(t, _)| vec![t]))
    }
}
