//! Transport containers of signed meter values and recognition of the other signed
//! formats (`docs/ocmf.md` §6).

use super::parse::MAX_RECORD_LEN;
use crate::enums::wire_enum;
use crate::limits::MAX_CONTAINER_DEPTH as MAX_DEPTH;
use crate::Error;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

wire_enum! {
    /// The signed-data format found inside a container.
    ///
    /// Only OCMF is verified; the others are recognised so that they can be
    /// reported as unsupported instead of as garbage.
    pub enum SignedFormat {
        /// OCMF: `OCMF|payload|signature`.
        Ocmf = "ocmf",
        /// Alfen Eichrecht: `AP;…;` (secp192r1, Base32).
        Alfen = "alfen",
        /// EDL40 / SML (eBee, Mennekes, ISA EDL40P): binary SML with a secp192r1 signature.
        Edl40Sml = "edl40_sml",
        /// PCDF: bracketed key/value pairs such as `(ST:…)(RV:…)`.
        Pcdf = "pcdf",
        /// RSA "SAFE seal": a hex ASN.1 container (textbook RSA).
        SafeSeal = "safe_seal",
    }
}

wire_enum! {
    /// How the signed data was carried.
    pub enum Container {
        /// The text itself.
        Plain = "plain",
        /// Hex of the text (an OCPP 1.6 `SignedData` value variant).
        Hex = "hex",
        /// Base64 of the text (an OCPP 1.6 `SignedData` value variant).
        Base64 = "base64",
        /// The OCPP 1.6 JSON wrapper `{"signedMeterValue": …, "encodingMethod": "OCMF", "publicKey": …}`.
        Ocpp16Json = "ocpp16_json",
        /// OCPP 2.0.1/2.1 `signedMeterValue` `{signedMeterData, signingMethod, encodingMethod, publicKey}`.
        Ocpp201 = "ocpp201",
        /// An OCPI 2.3 CDR `signed_data` value `{nature, plain_data, signed_data}`.
        Ocpi = "ocpi",
    }
}

/// Signed data taken out of its transport container.
///
/// ```
/// use chargekit::signed::{Container, SignedData, SignedFormat};
/// use base64::Engine as _;
/// let record = r#"OCMF|{"PG":"T1","RD":[{"RV":1,"RU":"Wh"}]}|{"SD":"00"}"#;
/// let b64 = base64::engine::general_purpose::STANDARD.encode(record);
/// // OCPP 2.0.1 signedMeterValue
/// let json = format!(r#"{{"signedMeterData":"{b64}","signingMethod":"","encodingMethod":"OCMF","publicKey":"MFkw"}}"#);
/// let d = SignedData::decode(&json).unwrap();
/// assert_eq!((d.container, d.format), (Container::Ocpp201, SignedFormat::Ocmf));
/// assert_eq!(d.text, record);
/// assert_eq!(d.public_key.as_deref(), Some("MFkw"));
/// // OCPP 1.6 SignedData value as hex
/// let hex: String = record.bytes().map(|b| format!("{b:02X}")).collect();
/// assert_eq!(SignedData::decode(&hex).unwrap().container, Container::Hex);
/// assert_eq!(SignedData::decode("AP;0;3;ALCV;BIHE;CQ;").unwrap().format, SignedFormat::Alfen);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignedData {
    /// The signed data as text (for OCMF: the record, trimmed).
    pub text: String,
    /// Its format.
    pub format: SignedFormat,
    /// How it was carried (the outermost container).
    pub container: Container,
    /// A public key sent along with it (Base64 or hex), if any.
    pub public_key: Option<String>,
    /// The container's encoding method (e.g. `OCMF`), if given.
    pub encoding_method: Option<String>,
    /// The OCPI nature (`Start`, `End`, `Intermediate`), for OCPI values.
    pub nature: Option<String>,
}

impl SignedData {
    /// Takes signed data out of any of the transport forms of `docs/ocmf.md` §6: a plain
    /// record, hex or Base64 of it, the OCPP 1.6 JSON wrapper, an OCPP 2.0.1
    /// `signedMeterValue` object or an OCPI signed value object. Other signed
    /// formats are recognised and returned with their [`SignedFormat`].
    pub fn decode(text: &str) -> Result<SignedData, Error> {
        decode_at(text, 0)
    }

    /// Takes the signed data out of an OCPP 2.0.1 `signedMeterValue`.
    pub fn from_ocpp201(value: &crate::ocpp::v201::SignedMeterValue) -> Result<SignedData, Error> {
        let mut d = decode_at(&value.signed_meter_data, 1)?;
        d.container = Container::Ocpp201;
        d.public_key = value
            .public_key
            .clone()
            .filter(|k| !k.trim().is_empty())
            .or(d.public_key);
        d.encoding_method = value.encoding_method.clone();
        Ok(d)
    }

    /// Reads an OCPI 2.3 CDR `signed_data` object (`encoding_method`,
    /// `public_key`, `signed_values[]`) into its signed values, in order; the
    /// object's public key is attached to each.
    ///
    /// ```
    /// use chargekit::signed::SignedData;
    /// let json = r#"{"encoding_method":"OCMF","public_key":"MFkw","signed_values":[
    ///   {"nature":"Start","plain_data":"","signed_data":"T0NNRnx7fXx7fQ=="}]}"#;
    /// let v = SignedData::from_ocpi(json).unwrap();
    /// assert_eq!(v[0].nature.as_deref(), Some("Start"));
    /// assert_eq!(v[0].text, "OCMF|{}|{}");
    /// ```
    pub fn from_ocpi(json: &str) -> Result<Vec<SignedData>, Error> {
        check_len(json)?;
        let map = json_object(json)?;
        let public_key = str_field(&map, "public_key")?;
        let encoding_method = str_field(&map, "encoding_method")?;
        let values = match map.get("signed_values") {
            Some(Value::Array(values)) => values,
            _ => return Err(container("OCPI signed_data has no signed_values array")),
        };
        values
            .iter()
            .map(|v| {
                let Value::Object(value) = v else {
                    return Err(container("an OCPI signed value is not an object"));
                };
                let mut d = ocpi_value(value)?;
                d.public_key = public_key.clone().or(d.public_key);
                d.encoding_method = encoding_method.clone();
                Ok(d)
            })
            .collect()
    }
}

fn container(message: impl Into<String>) -> Error {
    Error::SignedDataContainer {
        reason: message.into(),
    }
}

fn check_len(text: &str) -> Result<(), Error> {
    if text.len() > MAX_RECORD_LEN {
        return Err(Error::SignedDataTooLarge {
            size: crate::error::wide(text.len()),
            limit: crate::error::wide(MAX_RECORD_LEN),
        });
    }
    Ok(())
}

fn json_object(text: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(container("expected a JSON object")),
        Err(e) => Err(container(format!("invalid JSON: {e}"))),
    }
}

fn str_field(map: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(container(format!("{key} is not a string"))),
    }
}

fn plain(text: &str, format: SignedFormat) -> SignedData {
    SignedData {
        text: text.to_string(),
        format,
        container: Container::Plain,
        public_key: None,
        encoding_method: None,
        nature: None,
    }
}

fn ocpi_value(value: &Map<String, Value>) -> Result<SignedData, Error> {
    let inner = str_field(value, "signed_data")?
        .ok_or_else(|| container("OCPI signed value without signed_data"))?;
    let mut d = decode_at(&inner, 1)?;
    d.container = Container::Ocpi;
    d.nature = str_field(value, "nature")?;
    Ok(d)
}

fn decode_at(text: &str, depth: u8) -> Result<SignedData, Error> {
    check_len(text)?;
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::EmptySignedData);
    }
    if depth > MAX_DEPTH {
        return Err(container("containers nested too deeply"));
    }
    if t.starts_with("OCMF") {
        return Ok(plain(t, SignedFormat::Ocmf));
    }
    if t.starts_with("AP;") {
        return Ok(plain(t, SignedFormat::Alfen));
    }
    if t.starts_with('(') && t.ends_with(')') {
        return Ok(plain(t, SignedFormat::Pcdf));
    }
    if t.starts_with('{') {
        let map = json_object(t)?;
        if let Some(inner) = str_field(&map, "signedMeterValue")? {
            // has.to.be: {"signedMeterValue": "<base64 OCMF>", "encodingMethod": "OCMF", "publicKey": "…"}
            let mut d = decode_at(&inner, depth + 1)?;
            d.container = Container::Ocpp16Json;
            d.public_key = str_field(&map, "publicKey")?.or(d.public_key);
            d.encoding_method = str_field(&map, "encodingMethod")?;
            return Ok(d);
        }
        if let Some(inner) = str_field(&map, "signedMeterData")? {
            let mut d = decode_at(&inner, depth + 1)?;
            d.container = Container::Ocpp201;
            d.public_key = str_field(&map, "publicKey")?.or(d.public_key);
            d.encoding_method = str_field(&map, "encodingMethod")?;
            return Ok(d);
        }
        if map.contains_key("signed_data") {
            return ocpi_value(&map);
        }
        if map.contains_key("signed_values") {
            return Err(container(
                "an OCPI signed_data object holds several values: use SignedData::from_ocpi",
            ));
        }
        return Err(container(
            "JSON object without signedMeterValue, signedMeterData or signed_data",
        ));
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty()
        && compact.len() % 2 == 0
        && compact.bytes().all(|b| b.is_ascii_hexdigit())
    {
        if let Ok(bytes) = hex::decode(&compact) {
            return from_bytes(bytes, Container::Hex, t, depth);
        }
    }
    if compact.len() >= 8 {
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&compact) {
            return from_bytes(bytes, Container::Base64, t, depth);
        }
    }
    // Not a container: let the OCMF parser name what is wrong (header, separators).
    Ok(plain(t, SignedFormat::Ocmf))
}

fn from_bytes(
    bytes: Vec<u8>,
    outer: Container,
    original: &str,
    depth: u8,
) -> Result<SignedData, Error> {
    if bytes.starts_with(&[0x1B, 0x1B, 0x1B, 0x1B]) {
        return Ok(SignedData {
            container: outer,
            ..plain(original, SignedFormat::Edl40Sml)
        });
    }
    if bytes.first() == Some(&0x30) {
        return Ok(SignedData {
            container: outer,
            ..plain(original, SignedFormat::SafeSeal)
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) if text.trim_start().starts_with("OCMF") || text.trim_start().starts_with('{') => {
            let mut d = decode_at(&text, depth + 1)?;
            d.container = outer;
            Ok(d)
        }
        Ok(text) if text.starts_with("AP;") => Ok(SignedData {
            container: outer,
            ..plain(&text, SignedFormat::Alfen)
        }),
        _ => Err(container(format!(
            "{} data that is not a signed meter value",
            outer.as_str()
        ))),
    }
}
