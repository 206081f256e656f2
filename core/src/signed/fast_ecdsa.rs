//! P-256 and P-384 on `aws-lc-rs` (AWS-LC's assembly, constant time): a fast path that can
//! only confirm a signature. Whatever it does not confirm is checked again by the
//! RustCrypto curves, which tell a mismatch from an out-of-range signature or a key off the
//! curve, so no verdict depends on whether the `aws-lc` feature is on.
use super::crypto::Curve;
use aws_lc_rs::signature::{self, ParsedPublicKey};
use std::cell::OnceCell;

/// A key's point as AWS-LC parsed it, per curve: a batch that checks many records under
/// one key parses it once (a raw point is read on the curve of each record's `SA`, so a
/// raw key may meet both curves).
#[derive(Default)]
pub(crate) struct KeyCache {
    p256: OnceCell<Option<ParsedPublicKey>>,
    p384: OnceCell<Option<ParsedPublicKey>>,
}

/// AWS-LC's form of `point` on `curve`; `None` for the curves this path does not cover
/// and for a point AWS-LC refuses (the RustCrypto curves then say why).
fn parse(curve: Curve, point: &[u8]) -> Option<ParsedPublicKey> {
    let algorithm: &'static signature::EcdsaVerificationAlgorithm = match curve {
        Curve::Secp256r1 => &signature::ECDSA_P256_SHA256_FIXED,
        // AWS-LC has no fixed-width form for P-384 with SHA-256: it is handed DER.
        Curve::Secp384r1 => &signature::ECDSA_P384_SHA256_ASN1,
        _ => return None,
    };
    ParsedPublicKey::new(algorithm, point).ok()
}

/// True when `rs` (fixed `r‖s`) is a valid signature of SHA-256(`message`) under the SEC1
/// `point`; false for anything else, including curves this path does not cover. With a
/// `cache`, the point is parsed once per curve.
pub(super) fn confirms(
    curve: Curve,
    point: &[u8],
    rs: &[u8],
    message: &[u8],
    cache: Option<&KeyCache>,
) -> bool {
    let fresh;
    let key = match (cache, curve) {
        (Some(c), Curve::Secp256r1) => c.p256.get_or_init(|| parse(curve, point)),
        (Some(c), Curve::Secp384r1) => c.p384.get_or_init(|| parse(curve, point)),
        _ => {
            fresh = parse(curve, point);
            &fresh
        }
    };
    let Some(key) = key else {
        return false;
    };
    match curve {
        Curve::Secp384r1 => match ecdsa::Signature::<p384::NistP384>::from_slice(rs) {
            Ok(sig) => key.verify_sig(message, sig.to_der().as_bytes()).is_ok(),
            Err(_) => false,
        },
        _ => key.verify_sig(message, rs).is_ok(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::signed::crypto::{read_signature, PublicKey};
    use crate::signed::{parse, KeyKind};

    /// The fast path itself confirms the OpenSSL-signed P-256 and P-384 vectors (so the
    /// default build does use it) and nothing with one changed byte.
    #[test]
    fn aws_lc_confirms_the_openssl_vectors_and_only_them() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/ocmf-crate/curves.json"
        );
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut confirmed = 0;
        for v in file["vectors"].as_array().unwrap() {
            let record = parse(v["record"].as_str().unwrap()).unwrap();
            let key = PublicKey::decode(v["key_spki_hex"].as_str().unwrap()).unwrap();
            let KeyKind::Ec { curve, point } = key.kind else {
                continue;
            };
            let sd = crate::signed::crypto::decode_signature(&record.signature.data, None);
            let Ok(sig) = sd.and_then(|b| read_signature(&b, curve)) else {
                continue;
            };
            let f = curve.field_bytes();
            let mut rs = vec![0u8; 2 * f];
            rs[f - sig.r.len()..f].copy_from_slice(&sig.r);
            rs[2 * f - sig.s.len()..].copy_from_slice(&sig.s);
            let payload = record.payload_text.as_bytes();
            let fast = confirms(curve, &point, &rs, payload, None);
            let cache = KeyCache::default();
            for _ in 0..2 {
                assert_eq!(confirms(curve, &point, &rs, payload, Some(&cache)), fast);
            }
            let covered = matches!(curve, Curve::Secp256r1 | Curve::Secp384r1);
            assert_eq!(fast, covered, "{curve}");
            let mut changed = payload.to_vec();
            changed[10] ^= 1;
            assert!(!confirms(curve, &point, &rs, &changed, None), "{curve}");
            assert!(
                !confirms(curve, &point, &rs, &changed, Some(&cache)),
                "{curve}"
            );
            confirmed += usize::from(fast);
        }
        assert!(confirmed >= 2, "{confirmed}");
    }
}
