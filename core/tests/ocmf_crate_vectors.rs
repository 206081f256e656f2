//! Verdicts against OpenSSL's: the 256 S.A.F.E. records the `ocmf` crate publishes with the
//! verdict of `openssl pkeyutl -verify`, and its one record per OCMF algorithm (all seven,
//! secp192k1 included), signed and checked by OpenSSL. Both run on whichever ECDSA backend
//! this build has (`ring` by default, the pure-Rust curves without it).
#![cfg(feature = "ocmf")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::signed::{verify, Curve, Verdict, VerdictReason};
use serde_json::Value;
use std::collections::BTreeSet;

fn vectors(name: &str) -> Value {
    let path = format!(
        "{}/tests/vectors/ocmf-crate/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn safe_corpus_verdicts_equal_openssl() {
    let corpus = vectors("records.json");
    let entries = corpus["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 256);
    let (mut valid, mut invalid, mut unknown) = (0, 0, 0);
    let mut valid_curves = BTreeSet::new();
    for e in entries {
        let at = format!("{} #{}", e["source"], e["index"]);
        let record = e["record"].as_str().unwrap();
        let key = e["key"].as_str().unwrap_or("");
        let outcome = verify(record, key);
        match e["openssl_verified"].as_bool() {
            Some(true) => {
                let v = outcome.unwrap_or_else(|err| panic!("{at}: {err}"));
                assert_eq!(v.verdict, Verdict::Valid, "{at}: {:?}", v.reason);
                valid_curves.insert(v.curve.unwrap());
                valid += 1;
            }
            Some(false) => {
                let v = outcome.unwrap_or_else(|err| panic!("{at}: {err}"));
                assert_eq!(v.verdict, Verdict::Invalid, "{at}");
                invalid += 1;
            }
            // No verdict (no key, or a key that is an attack string): never valid.
            None => {
                assert!(!outcome.is_ok_and(|v| v.is_valid), "{at}");
                unknown += 1;
            }
        }
    }
    assert_eq!((valid, invalid, unknown), (247, 4, 5));
    // The two secp192k1 records OpenSSL accepts are among the valid ones.
    assert!(valid_curves.contains(&Curve::Secp192k1), "{valid_curves:?}");
}

#[test]
fn one_record_per_algorithm_verifies_and_a_changed_digit_does_not() {
    let file = vectors("curves.json");
    let mut algorithms = BTreeSet::new();
    for v in file["vectors"].as_array().unwrap() {
        let record = v["record"].as_str().unwrap();
        let key = v["key_spki_hex"].as_str().unwrap();
        let at = format!("{} {}", v["algorithm"], v["shape"]);
        let checked = verify(record, key).unwrap_or_else(|err| panic!("{at}: {err}"));
        assert_eq!(
            checked.verdict,
            Verdict::Valid,
            "{at}: {:?}",
            checked.reason
        );
        algorithms.insert(checked.algorithm.unwrap());

        assert!(record.contains("129.500"), "{at}");
        let tampered = verify(&record.replace("129.500", "129.501"), key).unwrap();
        assert_eq!(
            (tampered.verdict, tampered.reason),
            (Verdict::Invalid, Some(VerdictReason::SignatureMismatch)),
            "{at}"
        );
    }
    let curves: BTreeSet<_> = algorithms
        .iter()
        .map(|a| Curve::from_algorithm(a).unwrap())
        .collect();
    assert_eq!(curves.len(), 7, "{algorithms:?}");
}
