//! Property tests on records we sign ourselves (every supported curve,
//! encoding, signature and key form), and malformed input: typed errors, never
//! panics.
#![cfg(feature = "ocmf")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity,
    missing_docs
)]

mod ocmf_support;

use chargekit::signed::{
    check_transaction, parse, verify, verify_many, Curve, SignedData, SignedInput, Verdict,
    VerdictReason, MAX_RECORD_LEN,
};
use chargekit::Error;
use ocmf_support::*;
use proptest::prelude::*;

fn curve() -> impl Strategy<Value = Curve> {
    prop::sample::select(CURVES.to_vec())
}

fn sig_form() -> impl Strategy<Value = SigForm> {
    prop::sample::select(vec![SigForm::Der, SigForm::Raw])
}

fn sig_encoding() -> impl Strategy<Value = SigEncoding> {
    prop::sample::select(vec![
        SigEncoding::HexUpper,
        SigEncoding::HexLower,
        SigEncoding::Base64,
    ])
}

fn key_form() -> impl Strategy<Value = KeyForm> {
    prop::sample::select(vec![
        KeyForm::SpkiHex,
        KeyForm::SpkiHexSpaced,
        KeyForm::SpkiBase64,
        KeyForm::RawXyHex,
        KeyForm::PointHex,
    ])
}

/// An `RV` text: digits with a given number of decimals, trailing zeros kept.
fn rv_text() -> impl Strategy<Value = String> {
    (0u64..10_000_000, 0u32..5).prop_map(|(n, decimals)| {
        if decimals == 0 {
            n.to_string()
        } else {
            let s = format!("{:0>width$}", n, width = decimals as usize + 1);
            let (int, frac) = s.split_at(s.len() - decimals as usize);
            format!("{int}.{frac}")
        }
    })
}

/// A payload of 1–4 readings, some fields as strings, optional spaces between tokens.
fn payload_text() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        1u64..1_000_000,
        "[A-Z0-9]{1,16}",
        prop::collection::vec((rv_text(), any::<bool>()), 1..5),
        any::<bool>(),
        "[ -~&&[^\"\\\\|]]{0,40}",
    )
        .prop_map(|(pg, serial, readings, spaced, tariff)| {
            let sep = if spaced { " : " } else { ":" };
            let kinds = ["B", "C", "C", "E"];
            let rd: Vec<String> = readings
                .iter()
                .enumerate()
                .map(|(i, (rv, quoted))| {
                    let rv_json = if *quoted { format!("\"{rv}\"") } else { rv.clone() };
                    format!(
                        "{{\"TM\"{sep}\"2024-03-10T08:{:02}:00,000+0100 S\",\"TX\"{sep}\"{}\",\"RV\"{sep}{rv_json},\"RI\"{sep}\"1-b:1.8.0\",\"RU\"{sep}\"kWh\",\"ST\"{sep}\"G\"}}",
                        i * 10,
                        kinds[i.min(3)]
                    )
                })
                .collect();
            let payload = format!(
                "{{\"FV\"{sep}\"1.0\",\"PG\"{sep}\"T{pg}\",\"MS\"{sep}\"{serial}\",\"IS\"{sep}false,\"IT\"{sep}\"NONE\",\"TT\"{sep}\"{tariff}\",\"RD\"{sep}[{}]}}",
                rd.join(", ")
            );
            (payload, readings.into_iter().map(|(rv, _)| rv).collect())
        })
}

fn secret(c: Curve) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), c.field_bytes())
}

fn case() -> impl Strategy<
    Value = (
        Curve,
        Vec<u8>,
        (String, Vec<String>),
        SigForm,
        SigEncoding,
        KeyForm,
    ),
> {
    curve().prop_flat_map(|c| {
        (
            Just(c),
            secret(c),
            payload_text(),
            sig_form(),
            sig_encoding(),
            key_form(),
        )
    })
}

fn not_valid(result: &Result<chargekit::signed::Verification, Error>) -> bool {
    !matches!(result, Ok(v) if v.verdict == Verdict::Valid)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Sign, parse, verify: valid, and the parsed values are the written ones.
    #[test]
    fn round_trip((c, secret, (payload, rvs), form, enc, kf) in case()) {
        let Some(s) = sign_record(c, &secret, &payload, form, enc, kf) else {
            return Err(TestCaseError::reject("secret out of range"));
        };
        let v = verify(&s.record, &s.key).unwrap();
        prop_assert_eq!(v.verdict, Verdict::Valid, "{:?}", v.reason);
        prop_assert_eq!(v.curve, Some(c));
        let record = v.record.unwrap();
        prop_assert_eq!(record.payload_text.as_str(), payload.as_str());
        let texts: Vec<String> = record.payload.readings.iter().map(|r| r.value_text.clone()).collect();
        prop_assert_eq!(&texts, &rvs);
        for (r, rv) in record.payload.readings.iter().zip(&rvs) {
            prop_assert_eq!(r.value.to_string(), rv.clone());
        }
        // The same record through the transport containers.
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&s.record);
        let wrapped = format!(r#"{{"signedMeterValue":"{b64}","encodingMethod":"OCMF","publicKey":""}}"#);
        prop_assert_eq!(verify(&wrapped, &s.key).unwrap().verdict, Verdict::Valid);
        prop_assert_eq!(verify(&hex::encode(&s.record), &s.key).unwrap().verdict, Verdict::Valid);
        let ocpp201 = format!(r#"{{"signedMeterData":"{b64}","signingMethod":"","encodingMethod":"OCMF"}}"#);
        prop_assert_eq!(verify(&ocpp201, &s.key).unwrap().verdict, Verdict::Valid);
        let ocpi = format!(r#"{{"nature":"End","plain_data":"","signed_data":"{b64}"}}"#);
        prop_assert_eq!(verify(&ocpi, &s.key).unwrap().verdict, Verdict::Valid);
    }

    /// `verify_many` gives, item by item, exactly what `verify` gives: signed records, the
    /// same with a changed byte, garbage, and keys that repeat, differ or do not decode.
    #[test]
    fn verify_many_equals_verify_item_by_item(
        cases in prop::collection::vec((case(), any::<prop::sample::Index>(), 0u8..6), 1..8),
    ) {
        let mut inputs = Vec::new();
        for ((c, secret, (payload, _), form, enc, kf), at, what) in cases {
            let Some(s) = sign_record(c, &secret, &payload, form, enc, kf) else { continue };
            let mut bytes = s.record.clone().into_bytes();
            let i = at.index(bytes.len());
            bytes[i] ^= 0x01;
            let changed = String::from_utf8_lossy(&bytes).into_owned();
            let (data, key) = match what {
                0 | 1 => (s.record, s.key),
                2 => (changed, s.key),
                3 => (s.record, "zz not a key".to_string()),
                4 => ("OCMF|{".to_string(), s.key),
                _ => (s.record, inputs.first().map_or(String::new(), |i: &SignedInput| i.public_key.clone())),
            };
            inputs.push(SignedInput { data, public_key: key });
        }
        let many = verify_many(&inputs);
        prop_assert_eq!(many.len(), inputs.len());
        for (input, got) in inputs.iter().zip(&many) {
            prop_assert_eq!(got, &verify(&input.data, &input.public_key));
        }
    }

    /// Any single changed byte of the payload: never valid (invalid, or a typed error).
    #[test]
    fn a_changed_payload_byte_is_never_valid(
        (c, secret, (payload, _), form, enc, kf) in case(),
        at in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let Some(s) = sign_record(c, &secret, &payload, form, enc, kf) else {
            return Err(TestCaseError::reject("secret out of range"));
        };
        let mut bytes = s.record.clone().into_bytes();
        let i = 5 + at.index(payload.len());
        bytes[i] ^= mask;
        let changed = String::from_utf8_lossy(&bytes).into_owned();
        let result = verify(&changed, &s.key);
        prop_assert!(not_valid(&result), "byte {} ^ {:#x} still valid", i, mask);
    }

    /// Any single changed byte of the signature value: never valid. With a raw
    /// r‖s signature the record stays readable, so the verdict is exactly invalid.
    #[test]
    fn a_changed_signature_byte_is_never_valid(
        (c, secret, (payload, _), form, enc, kf) in case(),
        at in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let Some(s) = sign_record(c, &secret, &payload, form, enc, kf) else {
            return Err(TestCaseError::reject("secret out of range"));
        };
        let mut sig = s.sig_bytes.clone();
        let i = at.index(sig.len());
        sig[i] ^= mask;
        let section = signature_section(c, &encode_sig(&sig, enc), enc, false);
        let changed = format!("OCMF|{payload}|{section}");
        let result = verify(&changed, &s.key);
        prop_assert!(not_valid(&result), "signature byte {} ^ {:#x} still valid", i, mask);
        match (&result, form) {
            (Ok(v), _) => prop_assert_eq!(v.verdict, Verdict::Invalid),
            (Err(Error::SignatureFormat { .. }), SigForm::Der) => {}
            (Err(e), _) => prop_assert!(false, "unexpected error {e:?}"),
        }
    }

    /// A changed digit in an RV keeps the record readable and is exactly invalid.
    #[test]
    fn a_changed_rv_digit_is_invalid((c, secret, (payload, rvs), form, enc, kf) in case(), which in any::<prop::sample::Index>()) {
        let Some(s) = sign_record(c, &secret, &payload, form, enc, kf) else {
            return Err(TestCaseError::reject("secret out of range"));
        };
        let rv = &rvs[which.index(rvs.len())];
        let pos = s.record.find(&format!(":{rv}")).or_else(|| s.record.find(&format!(": {rv}")))
            .or_else(|| s.record.find(&format!("\"{rv}\""))).unwrap();
        let digit_at = pos + s.record[pos..].find(|ch: char| ch.is_ascii_digit()).unwrap();
        let mut bytes = s.record.clone().into_bytes();
        bytes[digit_at] = if bytes[digit_at] == b'9' { b'8' } else { bytes[digit_at] + 1 };
        let changed = String::from_utf8(bytes).unwrap();
        let v = verify(&changed, &s.key).unwrap();
        prop_assert_eq!((v.verdict, v.reason), (Verdict::Invalid, Some(VerdictReason::SignatureMismatch)));
    }

    /// Arbitrary text never panics, in parse, verify or the containers.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}", key in "[0-9A-Fa-f ]{0,200}") {
        let _ = parse(&text);
        let _ = verify(&text, &key);
        let _ = SignedData::decode(&text);
        let _ = SignedData::from_ocpi(&text);
        let with_header = format!("OCMF|{text}");
        let _ = parse(&with_header);
        let _ = verify(&with_header, &key);
    }

    /// Arbitrary signature values and keys on a good payload never panic.
    #[test]
    fn arbitrary_signatures_and_keys_never_panic(
        sd in prop::collection::vec(any::<u8>(), 0..120),
        key in prop::collection::vec(any::<u8>(), 0..130),
        c in prop::sample::select(Curve::ALL.to_vec()),
        enc in sig_encoding(),
    ) {
        let payload = payload(1, "M", &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")], "kWh");
        let section = signature_section(c, &encode_sig(&sd, enc), enc, false);
        let record = format!("OCMF|{payload}|{section}");
        let result = verify(&record, &hex::encode(&key));
        prop_assert!(not_valid(&result));
    }
}

#[test]
fn every_curve_signs_and_verifies_with_every_form() {
    for c in CURVES {
        for form in [SigForm::Der, SigForm::Raw] {
            for enc in [
                SigEncoding::HexUpper,
                SigEncoding::HexLower,
                SigEncoding::Base64,
            ] {
                for kf in [
                    KeyForm::SpkiHex,
                    KeyForm::SpkiHexSpaced,
                    KeyForm::SpkiBase64,
                    KeyForm::RawXyHex,
                    KeyForm::PointHex,
                ] {
                    let p = payload(
                        1,
                        "M",
                        &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")],
                        "kWh",
                    );
                    let s = sign_record(c, &fixed_secret(c), &p, form, enc, kf).unwrap();
                    let v = verify(&s.record, &s.key).unwrap();
                    assert_eq!(v.verdict, Verdict::Valid, "{c} {form:?} {enc:?} {kf:?}");
                }
            }
        }
    }
}

#[test]
fn a_key_of_another_curve_is_invalid() {
    let p = payload(
        1,
        "M",
        &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")],
        "kWh",
    );
    let s = sign_record(
        Curve::Secp256r1,
        &fixed_secret(Curve::Secp256r1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let other = sign_record(
        Curve::Secp256k1,
        &fixed_secret(Curve::Secp256k1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let v = verify(&s.record, &other.key).unwrap();
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Invalid, Some(VerdictReason::KeyCurveMismatch))
    );
    // A raw P-384 point for a P-256 record does not fit either.
    let p384 = sign_record(
        Curve::Secp384r1,
        &fixed_secret(Curve::Secp384r1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::RawXyHex,
    )
    .unwrap();
    assert_eq!(
        verify(&s.record, &p384.key).unwrap().reason,
        Some(VerdictReason::KeyCurveMismatch)
    );
    // Another P-256 key: a mismatch.
    let mut secret = fixed_secret(Curve::Secp256r1);
    secret[0] = 0x22;
    let s2 = sign_record(
        Curve::Secp256r1,
        &secret,
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    assert_eq!(
        verify(&s.record, &s2.key).unwrap().reason,
        Some(VerdictReason::SignatureMismatch)
    );
}

#[test]
fn unknown_algorithms_are_never_valid() {
    let p = payload(
        1,
        "M",
        &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")],
        "kWh",
    );
    let s = sign_record(
        Curve::Secp256r1,
        &fixed_secret(Curve::Secp256r1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let sd = s
        .record
        .rsplit("\"SD\":\"")
        .next()
        .unwrap()
        .trim_end_matches("\"}");
    for sa in [
        "ECDSA-secp256r1-SHA512",
        "RSA-2048-SHA256",
        "ECDSA-ed25519-SHA256",
        "ECDSA-secp521r1-SHA256",
        "",
    ] {
        let record = format!("OCMF|{p}|{{\"SA\":\"{sa}\",\"SD\":\"{sd}\"}}");
        let v = verify(&record, &s.key).unwrap();
        assert_eq!(v.verdict, Verdict::UnsupportedAlgorithm, "{sa}");
        assert!(v.record.is_some());
    }
}

#[test]
fn malformed_records_give_typed_errors() {
    let p = payload(
        1,
        "M",
        &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")],
        "kWh",
    );
    let s = sign_record(
        Curve::Secp256r1,
        &fixed_secret(Curve::Secp256r1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let key = s.key.as_str();
    let kind = |record: &str| verify(record, key).unwrap_err().kind();
    // Structure.
    assert_eq!(kind(""), "empty_signed_data");
    assert_eq!(kind(" \n\t "), "empty_signed_data");
    assert_eq!(kind("OCMF"), "missing_separator");
    assert_eq!(kind(&format!("OCMF{p}")), "missing_separator");
    assert_eq!(kind(&format!("OCMF|{p}")), "missing_separator");
    assert_eq!(kind(&format!("OCMX|{p}|{{}}")), "bad_header");
    assert_eq!(kind("hello world"), "bad_header");
    // JSON.
    assert_eq!(kind("OCMF|{\"PG\":|{\"SD\":\"00\"}"), "payload_json");
    assert_eq!(kind("OCMF|[1,2]|{\"SD\":\"00\"}"), "payload_json");
    assert_eq!(kind(&format!("OCMF|{p}|{{\"SD\":")), "signature_json");
    assert_eq!(kind(&format!("OCMF|{p}|\"SD\"")), "signature_json");
    let deep = format!("OCMF|{}|{{}}", "[".repeat(10_000));
    assert_eq!(kind(&deep), "payload_json");
    // Fields.
    for bad in [
        p.replace("\"RV\":1.0", "\"RV\":\"abc\""),
        p.replace("\"RV\":1.0", "\"RV\":true"),
        p.replace("\"RV\":1.0,", ""),
        p.replace("2024-01-01T00:00:00,000+0000 S", "tomorrow"),
        p.replace("\"T1\"", "\"Q1\""),
        p.replace("\"IS\":true", "\"IS\":\"yes\""),
        format!("{}\"RD\":[]}}", &p[..p.find("\"RD\"").unwrap()]),
        p.replace("\"RD\":[", "\"XD\":["),
    ] {
        assert_eq!(
            kind(&format!("OCMF|{bad}|{{\"SD\":\"00\"}}")),
            "ocmf_field",
            "{bad}"
        );
    }
    // Signature encodings.
    assert_eq!(kind(&format!("OCMF|{p}|{{\"SD\":\"\"}}")), "no_signature");
    assert_eq!(kind(&format!("OCMF|{p}|{{}}")), "no_signature");
    assert_eq!(
        kind(&format!("OCMF|{p}|{{\"SD\":\"30450ZZ\"}}")),
        "signature_encoding"
    );
    assert_eq!(
        kind(&format!("OCMF|{p}|{{\"SD\":\"304\"}}")),
        "signature_encoding"
    );
    assert_eq!(
        kind(&format!("OCMF|{p}|{{\"SE\":\"base64\",\"SD\":\"***\"}}")),
        "signature_encoding"
    );
    assert_eq!(
        kind(&format!("OCMF|{p}|{{\"SE\":\"rot13\",\"SD\":\"00\"}}")),
        "signature_encoding"
    );
    // Truncated DER.
    let sd = hex::encode_upper(&s.sig_bytes);
    for cut in [2, 10, sd.len() - 2] {
        assert_eq!(
            kind(&format!("OCMF|{p}|{{\"SD\":\"{}\"}}", &sd[..cut])),
            "signature_format",
            "cut {cut}"
        );
    }
    // Keys.
    let bad_key = |k: &str| verify(&s.record, k).unwrap_err().kind();
    assert_eq!(bad_key(""), "public_key");
    assert_eq!(bad_key("not a key"), "public_key");
    assert_eq!(bad_key(&key[..20]), "public_key");
    assert_eq!(bad_key(&key[..key.len() - 2]), "public_key");
    assert_eq!(bad_key(&format!("04{}", "00".repeat(64))), "public_key"); // not on the curve
                                                                          // Oversize.
    let big = format!("OCMF|{}|{{}}", " ".repeat(MAX_RECORD_LEN));
    assert_eq!(kind(&big), "signed_data_too_large");
    assert!(matches!(parse(&big), Err(Error::SignedDataTooLarge { .. })));
    // Containers.
    assert_eq!(kind("{\"foo\":1}"), "signed_data_container");
    assert_eq!(kind("{\"signedMeterValue\":\"!!\"}"), "bad_header");
    assert_eq!(kind("{\"signedMeterValue\":12}"), "signed_data_container");
    assert_eq!(kind("{broken json"), "signed_data_container");
    assert_eq!(kind("AAECAwQFBgcICQ=="), "signed_data_container");
    assert_eq!(kind("00010203"), "signed_data_container");
    assert_eq!(kind(r#"{"signed_values":[]}"#), "signed_data_container");
    // Non-OCMF formats are recognised: parse names them, verify says unsupported.
    for (data, format) in [
        ("AP;0;3;ALCV3ABBBISHLAQ;BIHEIWSHA4U3;CQ;", "alfen"),
        ("(ST:123)(RV:0003.276*kWh)(SG:3045)", "pcdf"),
        ("1B1B1B1B01010101", "edl40_sml"),
        ("3082028C060A2B0601040183D677", "safe_seal"),
    ] {
        assert_eq!(
            parse(data).unwrap_err(),
            Error::UnsupportedSignedFormat {
                format: format.into()
            }
        );
        let v = verify(data, key).unwrap();
        assert_eq!(
            (v.verdict, v.reason),
            (
                Verdict::UnsupportedAlgorithm,
                Some(VerdictReason::UnsupportedFormat)
            )
        );
    }
}

#[test]
fn an_appended_key_and_whitespace_around_the_record() {
    let p = payload(
        1,
        "M",
        &[("B", "1.0", "2024-01-01T00:00:00,000+0000 S")],
        "kWh",
    );
    let s = sign_record(
        Curve::Secp256r1,
        &fixed_secret(Curve::Secp256r1),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let with_key = format!("\n\t {}|{}  \r\n", s.record, s.key);
    let v = verify(&with_key, &s.key).unwrap();
    assert_eq!(v.verdict, Verdict::Valid);
    assert_eq!(
        v.record.unwrap().embedded_public_key.as_deref(),
        Some(s.key.as_str())
    );
    // Whitespace inside the payload is signed: adding any is invalid.
    let inside = s.record.replacen("{\"FV\"", "{ \"FV\"", 1);
    assert_eq!(verify(&inside, &s.key).unwrap().verdict, Verdict::Invalid);
}

#[test]
fn check_transaction_names_failures_of_our_own_records() {
    let c = Curve::Secp256r1;
    let sign = |p: &str| {
        sign_record(
            c,
            &fixed_secret(c),
            p,
            SigForm::Der,
            SigEncoding::HexUpper,
            KeyForm::SpkiHex,
        )
        .unwrap()
    };
    let begin = sign(&payload(
        41,
        "M1",
        &[("B", "100.5", "2024-01-01T10:00:00,000+0000 S")],
        "kWh",
    ));
    let end = sign(&payload(
        42,
        "M1",
        &[("E", "112.75", "2024-01-01T11:00:00,000+0000 S")],
        "kWh",
    ));
    let r = check_transaction(&begin.record, &end.record, &begin.key).unwrap();
    assert!(r.passed, "{:?}", r.failed);
    assert!(r.energy_billable && r.time_billable);
    let e = r.energy.unwrap();
    assert_eq!(e.value.to_string(), "12.25");
    assert_eq!(e.wh.unwrap().to_string(), "12250.00");
    assert_eq!(r.duration_s, Some(3600));

    // Another meter, a gap in pagination, end before begin, values going down.
    let end2 = sign(&payload(
        44,
        "M2",
        &[("E", "99.0", "2024-01-01T09:00:00,000+0000 S")],
        "kWh",
    ));
    let r = check_transaction(&begin.record, &end2.record, &begin.key).unwrap();
    assert_eq!(
        r.failed_names,
        [
            "same_meter",
            "pagination_contiguous",
            "value_monotonic",
            "time_monotonic"
        ]
    );
    assert!(!r.energy_billable);
    // Unit change, meter state, error flags, identification level, relative begin, event counter.
    let odd_end = payload(
        42,
        "M1",
        &[("E", "112750", "2024-01-01T11:00:00,000+0000 S")],
        "Wh",
    )
    .replace("\"ST\":\"G\"", "\"ST\":\"M\"")
    .replace("\"EF\":\"\"", "\"EF\":\"Et\",\"EI\":7")
    .replace("VERIFIED", "MISMATCH");
    let odd_begin = payload(
        41,
        "M1",
        &[("B", "100.5", "2024-01-01T10:00:00,000+0000 R")],
        "kWh",
    );
    let r =
        check_transaction(&sign(&odd_begin).record, &sign(&odd_end).record, &begin.key).unwrap();
    assert_eq!(
        r.failed_names,
        [
            "same_unit",
            "meter_status_ok",
            "no_energy_error",
            "no_time_error",
            "identification_level_ok",
            "time_status",
            "event_counter"
        ]
    );
    assert!(!r.energy_billable && !r.time_billable);
    // A key that does not belong to the records.
    let other = sign_record(
        c,
        &[0x22; 32],
        "{}",
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    let r = check_transaction(&begin.record, &end.record, &other.key).unwrap();
    assert_eq!(r.failed_names, ["signature_valid"]);
    // A record without a begin.
    let r = check_transaction(&end.record, &end.record, &begin.key).unwrap();
    assert_eq!(r.failed_names, ["single_begin"]);
}
