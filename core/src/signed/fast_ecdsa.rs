//! P-256 and P-384 on `aws-lc-rs` (AWS-LC's assembly, constant time): a fast path that can
//! only confirm a signature. Whatever it does not confirm is checked again by the
//! RustCrypto curves, which tell a mismatch from an out-of-range signature or a key off the
//! curve, so no verdict depends on whether the `aws-lc` feature is on.
use super::crypto::Curve;
use aws_lc_rs::signature::{self, UnparsedPublicKey};

/// True when `rs` (fixed `r‖s`) is a valid signature of SHA-256(`message`) under the SEC1
/// `point`; false for anything else, including curves this path does not cover.
pub(super) fn confirms(curve: Curve, point: &[u8], rs: &[u8], message: &[u8]) -> bool {
    match curve {
        Curve::Secp256r1 => UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
            .verify(message, rs)
            .is_ok(),
        // AWS-LC has no fixed-width form for P-384 with SHA-256: hand it DER.
        Curve::Secp384r1 => match ecdsa::Signature::<p384::NistP384>::from_slice(rs) {
            Ok(sig) => UnparsedPublicKey::new(&signature::ECDSA_P384_SHA256_ASN1, point)
                .verify(message, sig.to_der().as_bytes())
                .is_ok(),
            Err(_) => false,
        },
        _ => false,
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
            let fast = confirms(curve, &point, &rs, payload);
            let covered = matches!(curve, Curve::Secp256r1 | Curve::Secp384r1);
            assert_eq!(fast, covered, "{curve}");
            let mut changed = payload.to_vec();
            changed[10] ^= 1;
            assert!(!confirms(curve, &point, &rs, &changed), "{curve}");
            confirmed += usize::from(fast);
        }
        assert!(confirmed >= 2, "{confirmed}");
    }
}
