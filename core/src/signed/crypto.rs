//! Keys, signature encodings and ECDSA verification (`docs/ocmf.md` §2–§3): the arithmetic
//! is the RustCrypto curve crates', after AWS-LC's fast path for P-256 and P-384.
use crate::enums::wire_enum;
use crate::Error;
use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

wire_enum! {
    /// The elliptic curves of the OCMF `SA` table.
    ///
    /// ```
    /// use chargekit::signed::Curve;
    /// assert_eq!(Curve::from_algorithm("ECDSA-brainpoolP256r1-SHA256"), Some(Curve::Brainpool256r1));
    /// assert_eq!(Curve::from_algorithm("ecdsa-SECP256R1-sha256"), Some(Curve::Secp256r1));
    /// assert_eq!(Curve::from_algorithm("RSA-2048"), None);
    /// ```
    pub enum Curve {
        /// secp192k1 (described in chargekit on the RustCrypto curve toolkit).
        Secp192k1 = "secp192k1",
        /// secp256k1 (`k256`).
        Secp256k1 = "secp256k1",
        /// NIST P-192 (`p192`).
        Secp192r1 = "secp192r1",
        /// NIST P-256 / prime256v1 (`p256`).
        Secp256r1 = "secp256r1",
        /// brainpoolP256r1 (`bp256`).
        Brainpool256r1 = "brainpoolP256r1",
        /// NIST P-384 (`p384`).
        Secp384r1 = "secp384r1",
        /// brainpoolP384r1 (`bp384`).
        Brainpool384r1 = "brainpoolP384r1",
    }
}

impl Curve {
    /// The curve of an `SA` value `ECDSA-<curve>-SHA256` (case-insensitive,
    /// `brainpoolP…` and `brainpool…` alike); `None` for any other algorithm.
    pub fn from_algorithm(sa: &str) -> Option<Curve> {
        let lower = sa.trim().to_ascii_lowercase();
        let curve = lower.strip_prefix("ecdsa-")?.strip_suffix("-sha256")?;
        Curve::from_name(curve)
    }

    fn from_name(name: &str) -> Option<Curve> {
        Some(match name {
            "secp192k1" => Curve::Secp192k1,
            "secp256k1" => Curve::Secp256k1,
            "secp192r1" | "prime192v1" => Curve::Secp192r1,
            "secp256r1" | "prime256v1" => Curve::Secp256r1,
            "brainpool256r1" | "brainpoolp256r1" => Curve::Brainpool256r1,
            "secp384r1" => Curve::Secp384r1,
            "brainpool384r1" | "brainpoolp384r1" => Curve::Brainpool384r1,
            _ => return None,
        })
    }

    /// Field size in bytes: a raw `r‖s` signature is twice this.
    pub fn field_bytes(self) -> usize {
        match self {
            Curve::Secp192k1 | Curve::Secp192r1 => 24,
            Curve::Secp256k1 | Curve::Secp256r1 | Curve::Brainpool256r1 => 32,
            Curve::Secp384r1 | Curve::Brainpool384r1 => 48,
        }
    }

    /// The named-curve object identifier in SPKI keys.
    fn oid(self) -> &'static str {
        match self {
            Curve::Secp192k1 => "1.3.132.0.31",
            Curve::Secp256k1 => "1.3.132.0.10",
            Curve::Secp192r1 => "1.2.840.10045.3.1.1",
            Curve::Secp256r1 => "1.2.840.10045.3.1.7",
            Curve::Brainpool256r1 => "1.3.36.3.3.2.8.1.1.7",
            Curve::Secp384r1 => "1.3.132.0.34",
            Curve::Brainpool384r1 => "1.3.36.3.3.2.8.1.1.11",
        }
    }

    fn from_oid(oid: &str) -> Option<Curve> {
        Curve::ALL.iter().copied().find(|c| c.oid() == oid)
    }
}

/// What a public key turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum KeyKind {
    /// An EC key on a known curve (from the SPKI OID), as a SEC1 point.
    Ec {
        /// The curve.
        curve: Curve,
        /// The SEC1 point (`04‖x‖y` or compressed).
        point: Vec<u8>,
    },
    /// A raw point without curve information (`x‖y` or `04‖x‖y`): the `SA` curve is assumed.
    RawPoint(Vec<u8>),
    /// An SPKI key of another algorithm or an unknown curve (its OIDs).
    Other(String),
}

/// A decoded public key: hex (any case, whitespace allowed) or Base64 of an
/// SPKI DER key, of a raw `x‖y` point or of an uncompressed `04‖x‖y` point.
///
/// ```
/// use chargekit::signed::{Curve, PublicKey};
/// let k = PublicKey::decode("3059 3013 0607 2A86 48CE 3D02 0106 082A 8648 CE3D 0301 0703 4200 04E5 CE28 01D7 16BF 55B7 1477 CA66 6BE6 A8B8 994F EBBF 05B0 4BC0 AE78 79A6 2AE7 7460 A143 35F3 F306 57DD 7ADC 4338 398C 837D D2DE 52D8 FCAA E786 01D1 476F E1C2 1F").unwrap();
/// assert_eq!(k.curve(), Some(Curve::Secp256r1));
/// assert!(PublicKey::decode("not a key!").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKey {
    /// The decoded key bytes (SPKI DER or a raw point).
    pub der: Vec<u8>,
    /// What they contain.
    pub kind: KeyKind,
}

impl PublicKey {
    /// Decodes a public key text.
    pub fn decode(text: &str) -> Result<PublicKey, Error> {
        let bytes = decode_text(text).ok_or_else(|| Error::PublicKey {
            reason: "neither hex nor Base64".into(),
        })?;
        PublicKey::from_bytes(bytes)
    }

    /// Reads key bytes: SPKI DER, or a raw point.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<PublicKey, Error> {
        if bytes.is_empty() {
            return Err(Error::PublicKey {
                reason: "empty key".into(),
            });
        }
        let raw_sizes = [48usize, 64, 96];
        let is_raw = raw_sizes.contains(&bytes.len())
            || (bytes[0] == 0x04 && raw_sizes.contains(&(bytes.len() - 1)));
        if bytes[0] == 0x30 && !is_raw {
            let kind = spki_kind(&bytes)?;
            return Ok(PublicKey { der: bytes, kind });
        }
        if bytes[0] == 0x30 {
            // A 48/64/96-byte blob starting with 0x30 is a raw point unless it parses as SPKI.
            if let Ok(kind) = spki_kind(&bytes) {
                return Ok(PublicKey { der: bytes, kind });
            }
        }
        if is_raw {
            let point = if raw_sizes.contains(&bytes.len()) {
                let mut p = Vec::with_capacity(bytes.len() + 1);
                p.push(0x04);
                p.extend_from_slice(&bytes);
                p
            } else {
                bytes.clone()
            };
            return Ok(PublicKey {
                der: bytes,
                kind: KeyKind::RawPoint(point),
            });
        }
        Err(Error::PublicKey {
            reason: format!(
                "{} bytes are neither an SPKI key nor a raw point",
                bytes.len()
            ),
        })
    }

    /// The key's curve, when the key names one.
    pub fn curve(&self) -> Option<Curve> {
        match &self.kind {
            KeyKind::Ec { curve, .. } => Some(*curve),
            _ => None,
        }
    }
}

fn spki_kind(bytes: &[u8]) -> Result<KeyKind, Error> {
    use spki::der::Decode as _;
    let info = spki::SubjectPublicKeyInfoRef::from_der(bytes).map_err(|e| Error::PublicKey {
        reason: format!("SPKI DER: {e}"),
    })?;
    let alg = info.algorithm.oid.to_string();
    let point = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::PublicKey {
            reason: "SPKI key bits are not whole bytes".into(),
        })?
        .to_vec();
    if alg != "1.2.840.10045.2.1" {
        return Ok(KeyKind::Other(alg));
    }
    let params = info
        .algorithm
        .parameters_oid()
        .map(|o| o.to_string())
        .map_err(|e| Error::PublicKey {
            reason: format!("EC key without a named curve: {e}"),
        })?;
    Ok(match Curve::from_oid(&params) {
        Some(curve) => KeyKind::Ec { curve, point },
        None => KeyKind::Other(format!("{alg} {params}")),
    })
}

/// Hex (any case, whitespace and a `0x` prefix allowed) or Base64 (standard or
/// URL-safe, padding optional, whitespace allowed).
pub(crate) fn decode_text(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact
        .strip_prefix("0x")
        .or_else(|| compact.strip_prefix("0X"))
        .unwrap_or(&compact);
    if compact.is_empty() {
        return None;
    }
    if compact.bytes().all(|b| b.is_ascii_hexdigit()) {
        if let Ok(bytes) = hex::decode(compact) {
            return Some(bytes);
        }
    }
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(compact).ok())
}

/// Decodes `SD` by `SE` (`hex` by default, or `base64`).
pub(crate) fn decode_signature(sd: &str, se: Option<&str>) -> Result<Vec<u8>, Error> {
    let encoding = se.map(|s| s.trim().to_ascii_lowercase());
    let compact: String = sd.chars().filter(|c| !c.is_whitespace()).collect();
    let err = |message: String| Error::SignatureEncoding { reason: message };
    match encoding.as_deref() {
        None | Some("hex") => hex::decode(&compact).map_err(|e| err(format!("bad hex: {e}"))),
        Some("base64") => {
            use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
            STANDARD
                .decode(&compact)
                .or_else(|_| STANDARD_NO_PAD.decode(&compact))
                .map_err(|e| err(format!("bad Base64: {e}")))
        }
        Some(other) => Err(err(format!("unknown SE {other:?}"))),
    }
}

/// The two integers of a signature as unsigned big-endian magnitudes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSignature {
    pub r: Vec<u8>,
    pub s: Vec<u8>,
    pub der: bool,
}

/// Reads a signature: DER `SEQUENCE{INTEGER r, INTEGER s}` (lenient about a
/// superfluous leading zero), or raw `r‖s` when it is not DER and exactly
/// twice the field size.
pub(crate) fn read_signature(bytes: &[u8], curve: Curve) -> Result<RawSignature, Error> {
    match lenient_der(bytes) {
        Ok(found) => Ok(found),
        Err(der_error) => {
            if bytes.len() == 2 * curve.field_bytes() {
                let (r, s) = bytes.split_at(curve.field_bytes());
                return Ok(RawSignature {
                    r: r.to_vec(),
                    s: s.to_vec(),
                    der: false,
                });
            }
            Err(Error::SignatureFormat {
                reason: format!(
                    "{} bytes: not DER ({der_error}) and not raw r||s of {} bytes",
                    bytes.len(),
                    2 * curve.field_bytes()
                ),
            })
        }
    }
}

/// A minimal DER reader for `SEQUENCE { INTEGER, INTEGER }` that accepts
/// non-minimal INTEGER encodings: a superfluous leading zero, or a missing
/// sign byte (both in real eBZ P-192 data); the integers are read as unsigned.
/// The outer structure must be exact: tags, lengths, no trailing bytes.
fn lenient_der(bytes: &[u8]) -> Result<RawSignature, &'static str> {
    let (tag, body, rest) = tlv(bytes)?;
    if tag != 0x30 {
        return Err("no SEQUENCE");
    }
    if !rest.is_empty() {
        return Err("bytes after the SEQUENCE");
    }
    let (tag_r, r, after_r) = tlv(body)?;
    let (tag_s, s, after_s) = tlv(after_r)?;
    if tag_r != 0x02 || tag_s != 0x02 {
        return Err("no INTEGER");
    }
    if !after_s.is_empty() {
        return Err("bytes after the INTEGERs");
    }
    if r.is_empty() || s.is_empty() {
        return Err("empty INTEGER");
    }
    let strip = |v: &[u8]| {
        let first = v.iter().position(|&b| b != 0).unwrap_or(v.len());
        v[first..].to_vec()
    };
    Ok(RawSignature {
        r: strip(r),
        s: strip(s),
        der: true,
    })
}

/// One tag-length-value: (tag, value, rest).
fn tlv(bytes: &[u8]) -> Result<(u8, &[u8], &[u8]), &'static str> {
    let (&tag, rest) = bytes.split_first().ok_or("truncated")?;
    let (&first, rest) = rest.split_first().ok_or("truncated length")?;
    let (len, rest) = match first {
        0..=0x7F => (usize::from(first), rest),
        0x81 => {
            let (&l, rest) = rest.split_first().ok_or("truncated length")?;
            (usize::from(l), rest)
        }
        0x82 => {
            if rest.len() < 2 {
                return Err("truncated length");
            }
            (
                (usize::from(rest[0]) << 8) | usize::from(rest[1]),
                &rest[2..],
            )
        }
        _ => return Err("unsupported length form"),
    };
    if rest.len() < len {
        return Err("truncated value");
    }
    let (value, rest) = rest.split_at(len);
    Ok((tag, value, rest))
}

/// Left-pads `r` and `s` to the field size: `r‖s`. `None` when one is too long.
fn fixed_rs(sig: &RawSignature, field: usize) -> Option<Vec<u8>> {
    if sig.r.len() > field || sig.s.len() > field {
        return None;
    }
    let mut out = vec![0u8; 2 * field];
    out[field - sig.r.len()..field].copy_from_slice(&sig.r);
    out[2 * field - sig.s.len()..].copy_from_slice(&sig.s);
    Some(out)
}

/// The outcome of the arithmetic check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// The signature verifies.
    Valid,
    /// It does not.
    Mismatch,
    /// `r` or `s` is zero or not below the group order.
    OutOfRange,
}

macro_rules! ecdsa_verify {
    ($curve:ty, $point:expr, $rs:expr, $digest:expr) => {{
        use ecdsa::signature::hazmat::PrehashVerifier as _;
        let key = ecdsa::VerifyingKey::<$curve>::from_sec1_bytes($point).map_err(|e| {
            Error::PublicKey {
                reason: format!("not a point on the curve: {e}"),
            }
        })?;
        match ecdsa::Signature::<$curve>::from_slice($rs) {
            // Meters emit high-S signatures and the reference verifier accepts them.
            Ok(sig) => Ok(if key.verify_prehash($digest, &sig.normalize_s()).is_ok() {
                Check::Valid
            } else {
                Check::Mismatch
            }),
            Err(_) => Ok(Check::OutOfRange),
        }
    }};
}

/// Keys parsed for the fast path, kept by a batch (nothing to keep without it).
#[cfg(feature = "aws-lc")]
pub(crate) use super::fast_ecdsa::KeyCache;

/// Keys parsed for the fast path, kept by a batch (nothing to keep without it).
#[cfg(not(feature = "aws-lc"))]
#[derive(Default)]
pub(crate) struct KeyCache {
    _nothing: (),
}

/// Verifies ECDSA over SHA-256 of `message` (always SHA-256, also on P-384); `cache` keeps
/// the key as the fast path parsed it, for the next record under the same key.
pub(crate) fn verify_ecdsa(
    curve: Curve,
    point: &[u8],
    sig: &RawSignature,
    message: &[u8],
    #[cfg_attr(not(feature = "aws-lc"), allow(unused_variables))] cache: Option<&KeyCache>,
) -> Result<Check, Error> {
    let Some(rs) = fixed_rs(sig, curve.field_bytes()) else {
        return Ok(Check::OutOfRange);
    };
    #[cfg(feature = "aws-lc")]
    if super::fast_ecdsa::confirms(curve, point, &rs, message, cache) {
        return Ok(Check::Valid);
    }
    let digest: [u8; 32] = Sha256::digest(message).into();
    let rs = rs.as_slice();
    let digest = digest.as_slice();
    match curve {
        Curve::Secp256r1 => ecdsa_verify!(p256::NistP256, point, rs, digest),
        Curve::Secp384r1 => ecdsa_verify!(p384::NistP384, point, rs, digest),
        Curve::Secp256k1 => ecdsa_verify!(k256::Secp256k1, point, rs, digest),
        Curve::Secp192r1 => ecdsa_verify!(p192::NistP192, point, rs, digest),
        Curve::Brainpool256r1 => ecdsa_verify!(bp256::BrainpoolP256r1, point, rs, digest),
        Curve::Brainpool384r1 => ecdsa_verify!(bp384::BrainpoolP384r1, point, rs, digest),
        Curve::Secp192k1 => ecdsa_verify!(super::secp192k1::Secp192k1, point, rs, digest),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn der_forms() {
        // minimal
        let sig = lenient_der(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]).unwrap();
        assert_eq!((sig.r, sig.s), (vec![5], vec![7]));
        // non-minimal: superfluous leading zero
        let sig = lenient_der(&[0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x02, 0x00, 0x07]).unwrap();
        assert_eq!(sig.s, vec![7]);
        // a missing sign byte (real eBZ data): read as unsigned
        let sig = lenient_der(&[0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07]).unwrap();
        assert_eq!(sig.r, vec![0x85]);
        // truncated, trailing, wrong tags
        assert!(lenient_der(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01]).is_err());
        assert!(lenient_der(&[0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07, 0x00]).is_err());
        assert!(lenient_der(&[0x31, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]).is_err());
        assert!(lenient_der(&[]).is_err());
        assert!(lenient_der(&[0x30, 0x84, 0, 0, 0, 1]).is_err());
    }

    #[test]
    fn texts() {
        assert_eq!(decode_text("0x0A0b").unwrap(), vec![0x0A, 0x0B]);
        assert_eq!(decode_text("AQID").unwrap(), vec![1, 2, 3]);
        assert!(decode_text("   ").is_none());
        assert!(decode_signature("zz", None).is_err());
        assert!(decode_signature("AQID", Some("rot13")).is_err());
        assert_eq!(
            decode_signature("AQID", Some("BASE64")).unwrap(),
            vec![1, 2, 3]
        );
    }
}
