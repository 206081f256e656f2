//! Splitting an OCMF record and reading its payload into the typed model.

use super::container::{SignedData, SignedFormat};
use super::model::*;
use super::obis::Obis;
use crate::json::{Map, Value};
use crate::signed::ocmf_field;
use crate::Error;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use crate::limits::MAX_RECORD_LEN;

/// Parses OCMF signed data into a typed record, keeping the payload bytes.
///
/// Accepts a plain record `OCMF|{payload}|{signature}` (whitespace around it is
/// trimmed, a fourth `|` section is kept as the embedded public key) and the
/// transport forms of [`SignedData::decode`]: hex or Base64 of the record, the
/// OCPP 1.6 JSON wrapper, an OCPP 2.0.1 `signedMeterValue` object and an OCPI
/// signed value.
///
/// ```
/// use chargekit::signed::parse;
/// use chargekit::Error;
/// let r = parse(r#" OCMF|{"PG":"T7","RD":[{"TM":"2024-05-01T08:00:00,000+0200 S","TX":"E","RV":"  12.5","RU":"kWh","ST":"G"}]}|{"SD":"00"} "#).unwrap();
/// assert_eq!(r.payload.pagination.counter, 7);
/// assert_eq!(r.payload.readings[0].value.to_string(), "12.5");
/// assert_eq!(r.payload.readings[0].value_text, "  12.5");
/// assert!(matches!(parse("OCMF|{}|{}"), Err(Error::OcmfField { .. }))); // no PG, no RD
/// assert!(matches!(parse("OCMF|{}|"), Err(Error::SignatureJson { .. })));
/// assert!(matches!(parse("OCMF|{nope}|{}"), Err(Error::PayloadJson { .. })));
/// ```
pub fn parse(text: &str) -> Result<OcmfRecord, Error> {
    let data = SignedData::decode(text)?;
    if data.format != SignedFormat::Ocmf {
        return Err(Error::UnsupportedSignedFormat {
            format: data.format.as_str().to_string(),
        });
    }
    let mut record = parse_plain(&data.text)?;
    if record.embedded_public_key.is_none() {
        record.embedded_public_key = data.public_key;
    }
    Ok(record)
}

/// Parses a plain `OCMF|payload|signature[|key]` record.
pub(crate) fn parse_plain(text: &str) -> Result<OcmfRecord, Error> {
    if text.len() > MAX_RECORD_LEN {
        return Err(Error::SignedDataTooLarge {
            size: crate::error::wide(text.len()),
            limit: crate::error::wide(MAX_RECORD_LEN),
        });
    }
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::EmptySignedData);
    }
    let mut sections = t.splitn(3, '|');
    let header = sections.next().unwrap_or_default();
    let (payload_text, rest) = match (sections.next(), sections.next()) {
        (Some(p), Some(r)) => (p, r),
        _ => {
            if header != "OCMF" && !t.starts_with("OCMF") {
                return Err(bad_header(header));
            }
            return Err(Error::MissingSeparator);
        }
    };
    if header != "OCMF" {
        return Err(bad_header(header));
    }
    let (signature_text, key) = match rest.split_once('|') {
        Some((s, k)) => (s, Some(k.trim()).filter(|k| !k.is_empty())),
        None => (rest, None),
    };
    let payload_json = Value::from_text(payload_text).map_err(|e| Error::PayloadJson {
        reason: e.to_string(),
    })?;
    let Value::Object(payload_map) = payload_json else {
        return Err(Error::PayloadJson {
            reason: "the payload is not a JSON object".into(),
        });
    };
    let signature_json = Value::from_text(signature_text).map_err(|e| Error::SignatureJson {
        reason: e.to_string(),
    })?;
    let Value::Object(signature_map) = signature_json else {
        return Err(Error::SignatureJson {
            reason: "the signature section is not a JSON object".into(),
        });
    };
    let mut payload = read_payload(payload_map)?;
    if key.is_some() {
        payload.notes.push(ParseNote::AppendedKey);
    }
    let signature = read_signature(signature_map)?;
    Ok(OcmfRecord {
        record_text: format!("OCMF|{payload_text}|{signature_text}"),
        payload_text: payload_text.to_string(),
        signature_text: signature_text.to_string(),
        payload,
        signature,
        embedded_public_key: key.map(str::to_string),
    })
}

fn bad_header(header: &str) -> Error {
    Error::BadHeader {
        found: header.chars().take(16).collect(),
    }
}

/// Parses a decimal exactly: spaces trimmed, exponent form accepted, no rounding.
pub(crate) fn exact_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if let Ok(d) = Decimal::from_str_exact(t) {
        return Some(d);
    }
    if t.contains(['e', 'E']) {
        return Decimal::from_scientific(t).ok();
    }
    None
}

/// Where a field is, written out only for an error (most records have none, and writing
/// the path of every field of every reading cost a tenth of the parse).
#[derive(Clone, Copy)]
enum At {
    /// Item `i` of the list `key`: `IF[i]`.
    Item(&'static str, usize),
    /// Field `key` of reading `i`: `RD[i].key`.
    InReading(usize, &'static str),
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Item(key, i) => write!(f, "{key}[{i}]"),
            At::InReading(i, key) => write!(f, "RD[{i}].{key}"),
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A text field; a number is accepted and kept as its text.
fn text(field: impl fmt::Display, v: Value) -> Result<Option<String>, Error> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.as_str().to_string())),
        other => Err(ocmf_field(
            field.to_string(),
            format!("expected a string, found {}", type_name(&other)),
        )),
    }
}

/// A number field, given as a JSON number or a string: (value, text as written, was a string).
fn number(field: impl fmt::Display, v: &Value) -> Result<(Decimal, String, bool), Error> {
    let (raw, quoted) = match v {
        Value::Number(n) => (n.as_str(), false),
        Value::String(s) => (s.as_str(), true),
        other => {
            return Err(ocmf_field(
                field.to_string(),
                format!("expected a number, found {}", type_name(other)),
            ))
        }
    };
    let value = exact_decimal(raw).ok_or_else(|| {
        ocmf_field(
            field.to_string(),
            format!("{raw:?} is not an exact decimal"),
        )
    })?;
    if !crate::limits::quantity_in_range(value) {
        return Err(ocmf_field(
            field.to_string(),
            format!("{raw} is beyond ±10^12 (limits::MAX_QUANTITY)"),
        ));
    }
    Ok((value, raw.to_string(), quoted))
}

fn read_payload(map: Map<String, Value>) -> Result<Payload, Error> {
    let mut notes = Vec::new();
    let mut extra = BTreeMap::new();
    let mut format_version = None;
    let mut gateway_id = None;
    let mut gateway_serial = None;
    let mut gateway_version = None;
    let mut pagination = None;
    let mut meter_vendor = None;
    let mut meter_model = None;
    let mut meter_serial = None;
    let mut meter_firmware = None;
    let mut identification = Identification::default();
    let mut tariff_text = None;
    let mut charge_controller_firmware = None;
    let mut loss_compensation = None;
    let mut charge_point_id_type = None;
    let mut charge_point_id = None;
    let mut readings = None;

    for (key, v) in map {
        match key.as_str() {
            "FV" => {
                if v.is_number() {
                    notes.push(ParseNote::FvAsNumber);
                }
                format_version = text("FV", v)?;
            }
            "GI" => gateway_id = text("GI", v)?,
            "GS" => gateway_serial = text("GS", v)?,
            "GV" => gateway_version = text("GV", v)?,
            "PG" => {
                let pg = text("PG", v)?.unwrap_or_default();
                pagination = Some(
                    Pagination::parse(&pg)
                        .ok_or_else(|| ocmf_field("PG", format!("{pg:?} is not T<n> or F<n>")))?,
                );
            }
            "MV" => meter_vendor = text("MV", v)?,
            "MM" => meter_model = text("MM", v)?,
            "MS" => meter_serial = text("MS", v)?,
            "MF" => meter_firmware = text("MF", v)?,
            "IS" => {
                identification.status = match v {
                    Value::Null => None,
                    Value::Bool(b) => Some(b),
                    other => {
                        return Err(ocmf_field(
                            "IS",
                            format!("expected a boolean, found {}", type_name(&other)),
                        ))
                    }
                }
            }
            "IL" => {
                identification.level = text("IL", v)?.map(|s| IdentificationLevel::from_wire(&s))
            }
            "IF" => {
                identification.flags = match v {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items
                        .into_iter()
                        .enumerate()
                        .map(|(i, item)| {
                            text(At::Item("IF", i), item).map(Option::unwrap_or_default)
                        })
                        .collect::<Result<_, _>>()?,
                    other => {
                        return Err(ocmf_field(
                            "IF",
                            format!("expected an array, found {}", type_name(&other)),
                        ))
                    }
                }
            }
            "IT" => {
                identification.id_type = text("IT", v)?.map(|s| IdentificationType::from_wire(&s))
            }
            "ID" => identification.data = text("ID", v)?,
            "TT" => tariff_text = text("TT", v)?,
            "CF" => charge_controller_firmware = text("CF", v)?,
            "LC" => loss_compensation = read_loss_compensation(v)?,
            "CT" => {
                if v.is_number() {
                    notes.push(ParseNote::CtAsNumber);
                }
                charge_point_id_type = text("CT", v)?.map(|s| ChargePointIdType::from_wire(&s));
            }
            "CI" => charge_point_id = text("CI", v)?,
            "RD" => readings = Some(read_readings(v, &mut notes)?),
            _ => {
                extra.insert(key, v.to_string());
            }
        }
    }
    if let Some(fv) = &format_version {
        if is_newer_than_known(fv) {
            notes.push(ParseNote::UnknownVersion);
        }
    }
    let pagination = pagination.ok_or_else(|| ocmf_field("PG", "missing"))?;
    let readings = readings.ok_or_else(|| ocmf_field("RD", "missing"))?;
    notes.sort();
    notes.dedup();
    Ok(Payload {
        format_version,
        gateway_id,
        gateway_serial,
        gateway_version,
        pagination,
        meter_vendor,
        meter_model,
        meter_serial,
        meter_firmware,
        identification,
        tariff_text,
        charge_controller_firmware,
        loss_compensation,
        charge_point_id_type,
        charge_point_id,
        readings,
        extra,
        notes,
    })
}

/// True for a `major.minor` newer than 1.4.
fn is_newer_than_known(fv: &str) -> bool {
    let mut parts = fv.trim().split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(0);
    major.is_some_and(|m| (m, minor) > (1, 4))
}

fn read_loss_compensation(v: Value) -> Result<Option<LossCompensation>, Error> {
    let map = match v {
        Value::Null => return Ok(None),
        Value::Object(map) => map,
        other => {
            return Err(ocmf_field(
                "LC",
                format!("expected an object, found {}", type_name(&other)),
            ))
        }
    };
    let mut name = None;
    let mut id = None;
    let mut resistance = None;
    let mut unit = None;
    for (key, v) in map {
        match key.as_str() {
            "LN" => name = text("LC.LN", v)?,
            "LI" => id = text("LC.LI", v)?,
            "LR" => resistance = Some(number("LC.LR", &v)?.0),
            "LU" => unit = text("LC.LU", v)?.map(|s| ResistanceUnit::from_wire(&s)),
            _ => {}
        }
    }
    Ok(Some(LossCompensation {
        name,
        id,
        resistance: resistance.ok_or_else(|| ocmf_field("LC.LR", "missing"))?,
        unit: unit.ok_or_else(|| ocmf_field("LC.LU", "missing"))?,
    }))
}

fn read_readings(v: Value, notes: &mut Vec<ParseNote>) -> Result<Vec<OcmfReading>, Error> {
    let items = match v {
        Value::Array(items) => items,
        other => {
            return Err(ocmf_field(
                "RD",
                format!("expected an array, found {}", type_name(&other)),
            ))
        }
    };
    if items.is_empty() {
        return Err(ocmf_field("RD", "no readings"));
    }
    let mut out: Vec<OcmfReading> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(ocmf_field(format!("RD[{i}]"), "expected an object"));
        };
        let reading = read_reading(i, map, out.last(), notes)?;
        out.push(reading);
    }
    Ok(out)
}

fn read_reading(
    i: usize,
    map: Map<String, Value>,
    prev: Option<&OcmfReading>,
    notes: &mut Vec<ParseNote>,
) -> Result<OcmfReading, Error> {
    let f = |k: &'static str| At::InReading(i, k);
    let mut time = None;
    let mut transaction = None;
    let mut value = None;
    let mut obis = None;
    let mut unit = None;
    let mut current_type = None;
    let mut cumulated_loss = None;
    let mut error_flags = None;
    let mut status = None;
    let mut event_counter = None;
    let mut extra = BTreeMap::new();
    for (key, v) in map {
        match key.as_str() {
            "TM" => {
                if let Some(tm) = text(f("TM"), v)? {
                    let (t, nonspec) = OcmfTime::parse_noting(&tm).ok_or_else(|| {
                        ocmf_field(f("TM").to_string(), format!("{tm:?} is not an OCMF time"))
                    })?;
                    if nonspec {
                        notes.push(ParseNote::NonSpecTimeZone);
                    }
                    time = Some(t);
                }
            }
            "TX" => transaction = text(f("TX"), v)?.map(|s| TxKind::from_wire(&s)),
            "RV" => {
                let (d, raw, quoted) = number(f("RV"), &v)?;
                if quoted {
                    notes.push(ParseNote::RvAsString);
                }
                value = Some((d, raw));
            }
            "RI" => obis = text(f("RI"), v)?,
            "RU" => unit = text(f("RU"), v)?.map(|s| ReadingUnit::from_wire(&s)),
            "RT" => current_type = text(f("RT"), v)?.map(|s| CurrentType::from_wire(&s)),
            "CL" => {
                if !v.is_null() {
                    let (d, _, quoted) = number(f("CL"), &v)?;
                    if quoted {
                        notes.push(ParseNote::RvAsString);
                    }
                    cumulated_loss = Some(d);
                }
            }
            "EF" => error_flags = text(f("EF"), v)?,
            "ST" => status = text(f("ST"), v)?.map(|s| MeterStatus::from_wire(&s)),
            "EI" => event_counter = text(f("EI"), v)?,
            _ => {
                extra.insert(key, v.to_string());
            }
        }
    }
    let (value, value_text) = value.ok_or_else(|| ocmf_field(f("RV").to_string(), "missing"))?;
    let mut inherited = Vec::new();
    if let Some(p) = prev {
        inherit(&mut time, &p.time, "TM", &mut inherited);
        inherit(&mut transaction, &p.transaction, "TX", &mut inherited);
        inherit(&mut obis, &p.obis, "RI", &mut inherited);
        inherit(&mut unit, &p.unit, "RU", &mut inherited);
        inherit(&mut current_type, &p.current_type, "RT", &mut inherited);
        inherit(&mut error_flags, &p.error_flags, "EF", &mut inherited);
        inherit(&mut status, &p.status, "ST", &mut inherited);
    }
    if matches!(unit, Some(ReadingUnit::Other(_))) {
        notes.push(ParseNote::NonSpecUnit);
    }
    let flagged = |flag: char| error_flags.as_deref().is_some_and(|f| f.contains(flag));
    Ok(OcmfReading {
        value_wh: unit
            .as_ref()
            .and_then(ReadingUnit::wh_factor)
            .and_then(|factor| value.checked_mul(factor)),
        obis_code: obis.as_deref().and_then(Obis::parse),
        energy_error: flagged('E'),
        time_error: flagged('t'),
        time,
        transaction,
        value,
        value_text,
        obis,
        unit,
        current_type,
        cumulated_loss,
        error_flags,
        status,
        event_counter,
        inherited,
        extra,
    })
}

fn inherit<T: Clone>(
    field: &mut Option<T>,
    prev: &Option<T>,
    key: &str,
    inherited: &mut Vec<String>,
) {
    if field.is_none() && prev.is_some() {
        field.clone_from(prev);
        inherited.push(key.to_string());
    }
}

fn read_signature(map: Map<String, Value>) -> Result<SignatureSection, Error> {
    let mut algorithm = None;
    let mut encoding = None;
    let mut mime_type = None;
    let mut data = None;
    let mut extra = BTreeMap::new();
    for (key, v) in map {
        match key.as_str() {
            "SA" => algorithm = text("SA", v)?,
            "SE" => encoding = text("SE", v)?,
            "SM" => mime_type = text("SM", v)?,
            "SD" => data = text("SD", v)?,
            _ => {
                extra.insert(key, v.to_string());
            }
        }
    }
    Ok(SignatureSection {
        algorithm,
        encoding,
        mime_type,
        data: data.unwrap_or_default(),
        extra,
    })
}

impl FromStr for OcmfRecord {
    type Err = Error;

    /// Same as [`parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}
