//! Reads the OCMF vector files (Transparenzsoftware XML) of `tests/vectors/ocmf/`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ocmf")
}

pub fn read(file: &str) -> String {
    let bytes = std::fs::read(dir().join(file)).unwrap();
    // One file is declared ISO-8859-1; all content is ASCII apart from a BOM.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One `<value>` element: the signed text (`signedData` or `encodedData`, as
/// stored, untrimmed) and the public key text.
#[derive(Debug, Clone)]
pub struct XmlValue {
    pub element: &'static str,
    pub data: String,
    pub public_key: String,
}

fn inner<'a>(block: &'a str, tag: &str) -> Option<&'a str> {
    let open = block.find(&format!("<{tag}"))?;
    let after_open = open + block[open..].find('>')? + 1;
    let close = after_open + block[after_open..].find(&format!("</{tag}>"))?;
    Some(&block[after_open..close])
}

/// The `<value>` elements of a file, in order.
pub fn values(file: &str) -> Vec<XmlValue> {
    let xml = read(file);
    let mut out = Vec::new();
    let mut rest = xml.as_str();
    while let Some(pos) = rest.find("<value") {
        let next = rest.as_bytes().get(pos + 6).copied();
        if next == Some(b's') {
            rest = &rest[pos + 7..];
            continue;
        }
        let end = rest[pos..].find("</value>").map(|e| pos + e).unwrap();
        let block = &rest[pos..end];
        let (element, data) = match inner(block, "signedData") {
            Some(d) => ("signedData", d),
            None => ("encodedData", inner(block, "encodedData").unwrap()),
        };
        out.push(XmlValue {
            element,
            data: data.to_string(),
            public_key: inner(block, "publicKey").unwrap().to_string(),
        });
        rest = &rest[end + 8..];
    }
    out
}

// ---- Signing our own records (tests only: verification never signs) ----

use base64::Engine as _;
use chargekit::signed::Curve;

/// The curves this build verifies.
pub const CURVES: [Curve; 6] = [
    Curve::Secp256r1,
    Curve::Secp384r1,
    Curve::Secp256k1,
    Curve::Secp192r1,
    Curve::Brainpool256r1,
    Curve::Brainpool384r1,
];

/// The SPKI DER prefix in front of an uncompressed point.
pub fn spki_prefix(curve: Curve) -> &'static str {
    match curve {
        Curve::Secp256r1 => "3059301306072A8648CE3D020106082A8648CE3D030107034200",
        Curve::Secp384r1 => "3076301006072A8648CE3D020106052B81040022036200",
        Curve::Secp256k1 => "3056301006072A8648CE3D020106052B8104000A034200",
        Curve::Secp192r1 => "3049301306072A8648CE3D020106082A8648CE3D030101033200",
        Curve::Brainpool256r1 => "305A301406072A8648CE3D020106092B2403030208010107034200",
        Curve::Brainpool384r1 => "307A301406072A8648CE3D020106092B240303020801010B036200",
        Curve::Secp192k1 => "3046301006072A8648CE3D020106052B8104001F033200",
    }
}

macro_rules! sign_with {
    ($curve:ty, $secret:expr, $msg:expr) => {{
        use sha2::Digest as _;
        match ecdsa::SigningKey::<$curve>::from_slice($secret) {
            Ok(sk) => {
                let digest = sha2::Sha256::digest($msg);
                let (sig, _) = ecdsa::hazmat::sign_prehashed_rfc6979::<$curve, sha2::Sha256>(
                    sk.as_nonzero_scalar(),
                    &digest,
                    &[],
                );
                Some((
                    sk.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
                    sig.to_bytes().to_vec(),
                ))
            }
            Err(_) => None,
        }
    }};
}

/// ECDSA over SHA-256 of `msg` with a secret scalar of the field size:
/// (uncompressed public point, raw r‖s). `None` for an invalid secret.
pub fn sign(curve: Curve, secret: &[u8], msg: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    match curve {
        Curve::Secp256r1 => sign_with!(p256::NistP256, secret, msg),
        Curve::Secp384r1 => sign_with!(p384::NistP384, secret, msg),
        Curve::Secp256k1 => sign_with!(k256::Secp256k1, secret, msg),
        Curve::Secp192r1 => sign_with!(p192::NistP192, secret, msg),
        Curve::Brainpool256r1 => sign_with!(bp256::BrainpoolP256r1, secret, msg),
        Curve::Brainpool384r1 => sign_with!(bp384::BrainpoolP384r1, secret, msg),
        Curve::Secp192k1 => None,
    }
}

fn der_int(v: &[u8]) -> Vec<u8> {
    let first = v.iter().position(|&b| b != 0).unwrap_or(v.len() - 1);
    let mut body = v[first..].to_vec();
    if body[0] & 0x80 != 0 {
        body.insert(0, 0);
    }
    let mut out = vec![0x02, body.len() as u8];
    out.extend(body);
    out
}

/// Minimal DER of a raw r‖s signature.
pub fn der(rs: &[u8]) -> Vec<u8> {
    let (r, s) = rs.split_at(rs.len() / 2);
    let mut body = der_int(r);
    body.extend(der_int(s));
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend(body);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigForm {
    Der,
    Raw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigEncoding {
    HexUpper,
    HexLower,
    Base64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    SpkiHex,
    SpkiHexSpaced,
    SpkiBase64,
    RawXyHex,
    PointHex,
}

pub fn encode_sig(bytes: &[u8], enc: SigEncoding) -> String {
    match enc {
        SigEncoding::HexUpper => hex::encode_upper(bytes),
        SigEncoding::HexLower => hex::encode(bytes),
        SigEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

pub fn key_text(curve: Curve, point: &[u8], form: KeyForm) -> String {
    let spki = format!("{}{}", spki_prefix(curve), hex::encode_upper(point));
    match form {
        KeyForm::SpkiHex => spki,
        KeyForm::SpkiHexSpaced => spki
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        KeyForm::SpkiBase64 => {
            base64::engine::general_purpose::STANDARD.encode(hex::decode(&spki).unwrap())
        }
        KeyForm::RawXyHex => hex::encode_upper(&point[1..]),
        KeyForm::PointHex => hex::encode(point),
    }
}

/// A record of our own: `OCMF|payload|{SA, SE, SD}` and its key text.
#[derive(Debug, Clone)]
pub struct Signed {
    pub record: String,
    pub key: String,
    /// The signature bytes as encoded in SD.
    pub sig_bytes: Vec<u8>,
}

pub fn signature_section(
    curve: Curve,
    sd: &str,
    enc: SigEncoding,
    omit_default_sa: bool,
) -> String {
    let sa = if omit_default_sa && curve == Curve::Secp256r1 {
        String::new()
    } else {
        format!("\"SA\":\"ECDSA-{}-SHA256\",", curve.as_str())
    };
    let se = if enc == SigEncoding::Base64 {
        "\"SE\":\"base64\","
    } else {
        ""
    };
    format!("{{{sa}{se}\"SD\":\"{sd}\"}}")
}

pub fn sign_record(
    curve: Curve,
    secret: &[u8],
    payload: &str,
    form: SigForm,
    enc: SigEncoding,
    key_form: KeyForm,
) -> Option<Signed> {
    let (point, rs) = sign(curve, secret, payload.as_bytes())?;
    let sig_bytes = match form {
        SigForm::Der => der(&rs),
        SigForm::Raw => rs,
    };
    let section = signature_section(curve, &encode_sig(&sig_bytes, enc), enc, true);
    Some(Signed {
        record: format!("OCMF|{payload}|{section}"),
        key: key_text(curve, &point, key_form),
        sig_bytes,
    })
}

/// A fixed valid secret for `curve` (field-size bytes of 0x11…).
pub fn fixed_secret(curve: Curve) -> Vec<u8> {
    vec![0x11; curve.field_bytes()]
}

/// A plausible payload with begin and end readings.
pub fn payload(pg: u64, serial: &str, tx: &[(&str, &str, &str)], unit: &str) -> String {
    let readings: Vec<String> = tx
        .iter()
        .enumerate()
        .map(|(i, (kind, rv, tm))| {
            let ri = if i == 0 { ",\"RI\":\"1-b:1.8.0\"" } else { "" };
            format!("{{\"TM\":\"{tm}\",\"TX\":\"{kind}\",\"RV\":{rv}{ri},\"RU\":\"{unit}\",\"EF\":\"\",\"ST\":\"G\"}}")
        })
        .collect();
    format!(
        "{{\"FV\":\"1.0\",\"GI\":\"TEST\",\"GS\":\"G1\",\"PG\":\"T{pg}\",\"MS\":\"{serial}\",\"IS\":true,\"IL\":\"VERIFIED\",\"IT\":\"ISO14443\",\"ID\":\"0A0B0C0D\",\"RD\":[{}]}}",
        readings.join(",")
    )
}
