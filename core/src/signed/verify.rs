//! Signature verification of one record (`docs/ocmf.md` §3).

use super::container::{SignedData, SignedFormat};
use super::crypto::{
    decode_signature, read_signature, verify_ecdsa, Check, Curve, KeyCache, KeyKind, PublicKey,
};
use super::model::OcmfRecord;
use super::parse::parse_plain;
use super::transaction::SignedInput;
use crate::enums::wire_enum;
use crate::Error;
use serde::Serialize;
use std::collections::HashMap;

/// The algorithm assumed when `SA` is absent.
pub(crate) const DEFAULT_ALGORITHM: &str = "ECDSA-secp256r1-SHA256";

wire_enum! {
    /// The verdict on a signed value. An algorithm that cannot be checked is
    /// never `valid`.
    ///
    /// ```
    /// use chargekit::signed::Verdict;
    /// assert_eq!(Verdict::UnsupportedAlgorithm.as_str(), "unsupported_algorithm");
    /// ```
    pub enum Verdict {
        /// The signature verifies with the key.
        Valid = "valid",
        /// The signature does not verify, or the key does not belong to the algorithm's curve.
        Invalid = "invalid",
        /// The algorithm or format cannot be checked: an `SA` outside OCMF's seven
        /// algorithms, or a non-OCMF format such as the RSA "SAFE seal".
        UnsupportedAlgorithm = "unsupported_algorithm",
    }
}

wire_enum! {
    /// Why a verdict is not `valid`.
    pub enum VerdictReason {
        /// The signature does not match payload and key.
        SignatureMismatch = "signature_mismatch",
        /// The key's curve (from its SPKI OID or size) is not the `SA` curve.
        KeyCurveMismatch = "key_curve_mismatch",
        /// `r` or `s` is zero or not below the group order.
        SignatureOutOfRange = "signature_out_of_range",
        /// `SA` is not of the form `ECDSA-<known curve>-SHA256`.
        UnknownAlgorithm = "unknown_algorithm",
        /// The data is a signed format other than OCMF.
        UnsupportedFormat = "unsupported_format",
    }
}

/// The result of verifying a signed value: the verdict and the parsed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "OcmfVerification"))]
pub struct Verification {
    /// The verdict.
    pub verdict: Verdict,
    /// Why it is not `valid`.
    pub reason: Option<VerdictReason>,
    /// The effective algorithm (`SA`, or its default), for OCMF records.
    pub algorithm: Option<String>,
    /// The curve of the algorithm, when known.
    pub curve: Option<Curve>,
    /// The format of the signed data.
    pub format: SignedFormat,
    /// The parsed record; `None` only for a non-OCMF format.
    pub record: Option<OcmfRecord>,
    /// True for [`Verdict::Valid`].
    pub is_valid: bool,
}

/// Verifies signed data with a public key (hex or Base64, SPKI DER or a raw point).
///
/// `data` is an OCMF record or any transport form of [`SignedData::decode`].
/// Errors are for input that cannot be read (see [`Error`]); a readable
/// record whose signature fails is `Ok` with [`Verdict::Invalid`].
///
/// ```
/// use chargekit::signed::{verify, Verdict, VerdictReason};
/// // KEBA KCP30, from the S.A.F.E. Transparenzsoftware test data (Apache-2.0).
/// let record = r#"OCMF|{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","GV":"2.8.5","PG":"T32","IS":false,"IL":"NONE","IF":["RFID_NONE","OCPP_NONE","ISO15118_NONE","PLMN_NONE"],"IT":"NONE","ID":"","RD":[{"TM":"2019-08-13T10:03:15,000+0000 I","TX":"B","EF":"","ST":"G","RV":0.2596,"RI":"1-b:1.8.0","RU":"kWh"},{"TM":"2019-08-13T10:03:36,000+0000 R","TX":"E","EF":"","ST":"G","RV":0.2597,"RI":"1-b:1.8.0","RU":"kWh"}]}|{"SD":"304502200E2F107C987A300AC1695CA89EA149A8CDFA16188AF0A33EE64B67964AA943F9022100889A72B6D65364BEA8562E7F6A0253157ACFF84FE4929A93B5964D23C4265699"}"#;
/// let key = "3059301306072A8648CE3D020106082A8648CE3D030107034200043AEEB45C392357820A58FDFB0857BD77ADA31585C61C430531DFA53B440AFBFDD95AC887C658EA55260F808F55CA948DF235C2108A0D6DC7D4AB1A5E1A7955BE";
/// let v = verify(record, key).unwrap();
/// assert_eq!(v.verdict, Verdict::Valid);
/// assert_eq!(v.record.unwrap().payload.readings[1].value_text, "0.2597");
///
/// // One digit of RV changed: the signature no longer matches.
/// let tampered = record.replace("0.2597", "0.2598");
/// let v = verify(&tampered, key).unwrap();
/// assert_eq!((v.verdict, v.reason), (Verdict::Invalid, Some(VerdictReason::SignatureMismatch)));
/// ```
pub fn verify(data: &str, public_key: &str) -> Result<Verification, Error> {
    verify_data(data, KeyInput::Text(public_key))
}

/// [`verify`] for each record, in order, decoding and parsing each distinct key text once: what a
/// roaming hub does with a day of signed readings from a few thousand meters. Item `i`
/// is exactly `verify(&inputs[i].data, &inputs[i].public_key)`; one unreadable record
/// is an `Err` in its place and does not stop the others.
///
/// ```
/// use chargekit::signed::{verify_many, SignedInput, Verdict};
/// let key = "3059301306072A8648CE3D020106082A8648CE3D030107034200043AEEB45C392357820A58FDFB0857BD77ADA31585C61C430531DFA53B440AFBFDD95AC887C658EA55260F808F55CA948DF235C2108A0D6DC7D4AB1A5E1A7955BE";
/// let record = r#"OCMF|{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","GV":"2.8.5","PG":"T32","IS":false,"IL":"NONE","IF":["RFID_NONE","OCPP_NONE","ISO15118_NONE","PLMN_NONE"],"IT":"NONE","ID":"","RD":[{"TM":"2019-08-13T10:03:15,000+0000 I","TX":"B","EF":"","ST":"G","RV":0.2596,"RI":"1-b:1.8.0","RU":"kWh"},{"TM":"2019-08-13T10:03:36,000+0000 R","TX":"E","EF":"","ST":"G","RV":0.2597,"RI":"1-b:1.8.0","RU":"kWh"}]}|{"SD":"304502200E2F107C987A300AC1695CA89EA149A8CDFA16188AF0A33EE64B67964AA943F9022100889A72B6D65364BEA8562E7F6A0253157ACFF84FE4929A93B5964D23C4265699"}"#;
/// let input = |data: &str| SignedInput { data: data.into(), public_key: key.into() };
/// let results = verify_many(&[input(record), input("OCMF|{"), input(&record.replace("0.2597", "0.2598"))]);
/// assert_eq!(results[0].as_ref().unwrap().verdict, Verdict::Valid);
/// assert!(results[1].is_err());
/// assert_eq!(results[2].as_ref().unwrap().verdict, Verdict::Invalid);
/// ```
pub fn verify_many(inputs: &[SignedInput]) -> Vec<Result<Verification, Error>> {
    let mut keys: HashMap<&str, Option<(PublicKey, KeyCache)>> = HashMap::new();
    inputs
        .iter()
        .map(|input| {
            let text = input.public_key.as_str();
            let decoded = keys.entry(text).or_insert_with(|| {
                PublicKey::decode(text)
                    .ok()
                    .map(|k| (k, KeyCache::default()))
            });
            // A key that does not decode goes in as text, so that its error comes at the
            // same point as in `verify` (after the algorithm and signature checks).
            let key = match decoded {
                Some((k, cache)) => KeyInput::Decoded(k, Some(cache)),
                None => KeyInput::Text(text),
            };
            verify_data(&input.data, key)
        })
        .collect()
}

fn verify_data(data: &str, key: KeyInput<'_>) -> Result<Verification, Error> {
    let signed = SignedData::decode(data)?;
    if signed.format != SignedFormat::Ocmf {
        return Ok(Verification {
            verdict: Verdict::UnsupportedAlgorithm,
            reason: Some(VerdictReason::UnsupportedFormat),
            algorithm: None,
            curve: None,
            format: signed.format,
            record: None,
            is_valid: false,
        });
    }
    let mut record = parse_plain(&signed.text)?;
    if record.embedded_public_key.is_none() {
        record.embedded_public_key = signed.public_key;
    }
    verify_parsed(record, key)
}

/// Verifies an already parsed record with a decoded key.
///
/// ```
/// use chargekit::signed::{parse, verify_record, PublicKey, Verdict, VerdictReason};
/// let record = parse(r#"OCMF|{"PG":"T1","RD":[{"RV":1,"RU":"Wh"}]}|{"SA":"ECDSA-secp192k1-SHA256","SD":"3006020101020101"}"#).unwrap();
/// let key = PublicKey::decode("3059301306072A8648CE3D020106082A8648CE3D030107034200043AEEB45C392357820A58FDFB0857BD77ADA31585C61C430531DFA53B440AFBFDD95AC887C658EA55260F808F55CA948DF235C2108A0D6DC7D4AB1A5E1A7955BE").unwrap();
/// // A P-256 key cannot check a secp192k1 signature.
/// let v = verify_record(&record, &key).unwrap();
/// assert_eq!((v.verdict, v.reason), (Verdict::Invalid, Some(VerdictReason::KeyCurveMismatch)));
/// ```
pub fn verify_record(record: &OcmfRecord, public_key: &PublicKey) -> Result<Verification, Error> {
    verify_parsed(record.clone(), KeyInput::Decoded(public_key, None))
}

enum KeyInput<'a> {
    Text(&'a str),
    /// A decoded key, and where a batch keeps it parsed.
    Decoded(&'a PublicKey, Option<&'a KeyCache>),
}

fn verify_parsed(record: OcmfRecord, key: KeyInput<'_>) -> Result<Verification, Error> {
    let algorithm = record
        .signature
        .algorithm
        .clone()
        .unwrap_or_else(|| DEFAULT_ALGORITHM.to_string());
    let curve = Curve::from_algorithm(&algorithm);
    let mut out = Verification {
        verdict: Verdict::UnsupportedAlgorithm,
        reason: None,
        algorithm: Some(algorithm),
        curve,
        format: SignedFormat::Ocmf,
        record: None,
        is_valid: false,
    };
    let (verdict, reason) = decide(&record, curve, key)?;
    out.verdict = verdict;
    out.is_valid = verdict == Verdict::Valid;
    out.reason = reason;
    out.record = Some(record);
    Ok(out)
}

fn decide(
    record: &OcmfRecord,
    curve: Option<Curve>,
    key: KeyInput<'_>,
) -> Result<(Verdict, Option<VerdictReason>), Error> {
    let Some(curve) = curve else {
        return Ok((
            Verdict::UnsupportedAlgorithm,
            Some(VerdictReason::UnknownAlgorithm),
        ));
    };
    if record.signature.data.trim().is_empty() {
        return Err(Error::NoSignature);
    }
    let sig_bytes = decode_signature(&record.signature.data, record.signature.encoding.as_deref())?;
    let sig = read_signature(&sig_bytes, curve)?;
    let decoded;
    let (key, cache) = match key {
        KeyInput::Text(text) => {
            decoded = PublicKey::decode(text)?;
            (&decoded, None)
        }
        KeyInput::Decoded(k, cache) => (k, cache),
    };
    let point = match &key.kind {
        KeyKind::Ec {
            curve: key_curve,
            point,
        } if *key_curve == curve => point.as_slice(),
        KeyKind::RawPoint(point)
            if point.len() == 1 + 2 * curve.field_bytes()
                || point.len() == 1 + curve.field_bytes() =>
        {
            point.as_slice()
        }
        _ => return Ok((Verdict::Invalid, Some(VerdictReason::KeyCurveMismatch))),
    };
    Ok(
        match verify_ecdsa(curve, point, &sig, record.payload_bytes(), cache)? {
            Check::Valid => (Verdict::Valid, None),
            Check::Mismatch => (Verdict::Invalid, Some(VerdictReason::SignatureMismatch)),
            Check::OutOfRange => (Verdict::Invalid, Some(VerdictReason::SignatureOutOfRange)),
        },
    )
}
