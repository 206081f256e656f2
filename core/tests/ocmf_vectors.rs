//! The OCMF vectors of `tests/vectors/ocmf/` (S.A.F.E. Transparenzsoftware test
//! data, Apache-2.0, see NOTICE.md there): every signed value gets exactly the
//! verdict of `index.json`, and the transactions they form pass or fail the
//! checks they are known to pass or fail.
#![cfg(feature = "ocmf")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod ocmf_support;

use chargekit::signed::{
    check_records, check_transaction, parse, verify, Curve, ParseNote, ReadingUnit, SignedInput,
    TimeBilling, TransactionCheck as C, Verdict, VerdictReason,
};
use ocmf_support::{read, values};
use serde_json::Value;
use std::collections::BTreeMap;

fn index() -> Value {
    serde_json::from_str(&read("index.json")).unwrap()
}

fn expected(v: &Value) -> Verdict {
    // The index's verdict is that of a verifier without secp192k1; its arithmetic check
    // ("signature_math_check") is the verdict of one that has the curve, as chargekit does.
    let verdict = match v["curve"].as_str() {
        Some("secp192k1") => &v["signature_math_check"],
        _ => &v["expected_verdict"],
    };
    match verdict.as_str().unwrap() {
        "valid" => Verdict::Valid,
        "invalid" => Verdict::Invalid,
        "unsupported-algorithm" => Verdict::UnsupportedAlgorithm,
        other => panic!("unexpected verdict {other}"),
    }
}

#[test]
fn every_indexed_value_gets_exactly_its_verdict() {
    let index = index();
    let entries = index["values"].as_array().unwrap();
    assert_eq!(entries.len(), 50);
    let mut matched: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for e in entries {
        let file = e["file"].as_str().unwrap();
        let i = e["value_index"].as_u64().unwrap() as usize;
        let value = &values(file)[i];
        let want = expected(e);
        let got = verify(&value.data, &value.public_key)
            .unwrap_or_else(|err| panic!("{file} #{i}: {err}"));
        if got.verdict == want {
            *matched.entry(want.as_str()).or_default() += 1;
        } else {
            mismatches.push(format!(
                "{file} #{i}: want {want}, got {} ({:?})",
                got.verdict, got.reason
            ));
        }
        // The record is returned with the verdict, and its summary matches the index.
        if let Some(record) = &got.record {
            assert_eq!(
                Some(record.payload.pagination.text.as_str()),
                e["pagination"].as_str(),
                "{file} #{i}"
            );
            assert_eq!(
                record.payload.meter_serial.as_deref(),
                e["meter_serial"].as_str(),
                "{file} #{i}"
            );
            let readings = e["readings"].as_array().unwrap();
            assert_eq!(record.payload.readings.len(), readings.len(), "{file} #{i}");
            for (r, want) in record.payload.readings.iter().zip(readings) {
                assert_eq!(
                    r.value_text,
                    want["RV"].as_str().unwrap(),
                    "{file} #{i} RV text"
                );
                // The index summarises the fields as written; ours are inherited where omitted.
                let same = |ours: Option<&str>, key: &str| {
                    want[key].as_str().is_none_or(|w| ours == Some(w))
                };
                assert!(
                    same(r.unit.as_ref().map(|u| u.as_str()), "RU"),
                    "{file} #{i} RU"
                );
                assert!(same(r.obis.as_deref(), "RI"), "{file} #{i} RI");
                assert!(
                    same(r.status.as_ref().map(|s| s.as_str()), "ST"),
                    "{file} #{i} ST"
                );
                assert!(
                    same(r.transaction.as_ref().map(|t| t.as_str()), "TX"),
                    "{file} #{i} TX"
                );
            }
            if let Some(curve) = e["curve"].as_str() {
                assert_eq!(got.curve.map(|c| c.as_str()), Some(curve), "{file} #{i}");
            }
        } else {
            assert_eq!(
                got.reason,
                Some(VerdictReason::UnsupportedFormat),
                "{file} #{i}"
            );
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    // 43 valid in the index, and its two secp192k1 values.
    assert_eq!(matched.get("valid"), Some(&45));
    assert_eq!(matched.get("invalid"), Some(&4));
    // The RSA seal: not OCMF.
    assert_eq!(matched.get("unsupported_algorithm"), Some(&1));
    println!("vector verdicts matched: {matched:?}");
}

#[test]
fn the_reasons_of_the_failing_vectors() {
    let reason = |file: &str, i: usize| {
        let v = &values(file)[i];
        verify(&v.data, &v.public_key).unwrap().reason
    };
    assert_eq!(
        reason("test_ocmf_keba_kcp30_fail.xml", 0),
        Some(VerdictReason::SignatureMismatch)
    );
    assert_eq!(
        reason("test_ocmf_ebee_02.xml", 0),
        Some(VerdictReason::SignatureMismatch)
    );
    assert_eq!(
        reason("second_key_fail_ocmf.xml", 1),
        Some(VerdictReason::KeyCurveMismatch)
    );
    assert_eq!(
        reason("OCMF-receipt-with_import_and_export.xml", 0),
        Some(VerdictReason::SignatureMismatch)
    );
    assert_eq!(reason("test_ocmf_transaction_two_values.xml", 0), None);
    assert_eq!(
        reason("test_ocmf_rsa_01.xml", 0),
        Some(VerdictReason::UnsupportedFormat)
    );
    // The End of second_key_fail verifies with the Begin's secp256k1 key.
    let vals = values("second_key_fail_ocmf.xml");
    assert_eq!(
        verify(&vals[1].data, &vals[0].public_key).unwrap().verdict,
        Verdict::Valid
    );
}

fn pair(file: &str) -> chargekit::signed::TransactionReport {
    let v = values(file);
    let inputs: Vec<SignedInput> = v
        .iter()
        .map(|x| SignedInput {
            data: x.data.clone(),
            public_key: x.public_key.clone(),
        })
        .collect();
    check_records(&inputs, TimeBilling::LawAccurateOnly).unwrap()
}

#[test]
fn transactions_that_pass() {
    // (file, energy as written, unit)
    for (file, energy, unit) in [
        ("test_ocmf_ebee_01.xml", "0", ReadingUnit::Wh),
        ("test_ocmf_keba_kcp30.xml", "0.0001", ReadingUnit::Kwh),
        ("brainpoolP256r1.xml", "0", ReadingUnit::Wh),
        ("nistP384_0Wh.xml", "0", ReadingUnit::Wh),
        ("VW_OCMF_load.xml", "1.101", ReadingUnit::Kwh),
        (
            "Ocmf_Example_OBIS_98.8.0_2.8.0.xml",
            "1.0",
            ReadingUnit::Kwh,
        ),
        ("chargepoint_3.xml", "1.304", ReadingUnit::Kwh),
        ("OCMF_Test_Data_00.xml", "0.000", ReadingUnit::Kwh),
        ("ocmf_sec.xml", "0.000", ReadingUnit::Kwh),
        ("ocmf_tariff_1.xml", "0.0000", ReadingUnit::Kwh),
    ] {
        let report = pair(file);
        assert!(report.passed, "{file}: {:?}", report.failed);
        assert!(report.energy_billable, "{file}");
        let e = report.energy.unwrap();
        assert_eq!(
            (e.value.to_string(), e.unit),
            (energy.to_string(), unit),
            "{file}"
        );
    }
    // Law-accurate clocks: S..S (NZR), R..R (LEM); I..R and I..I are not.
    assert!(pair("brainpoolP256r1.xml").time_billable);
    assert!(pair("VW_OCMF_load.xml").time_billable);
    assert_eq!(pair("VW_OCMF_load.xml").duration_s, Some(77));
    assert!(!pair("test_ocmf_keba_kcp30.xml").time_billable);
    assert!(!pair("OCMF_Test_Data_00.xml").time_billable);
}

#[test]
fn transactions_that_fail_name_their_checks() {
    let names = |file: &str| pair(file).failed_names;
    assert_eq!(
        names("test_ocmf_ebee_02.xml"),
        ["signature_valid", "value_monotonic"]
    );
    assert_eq!(names("test_ocmf_keba_kcp30_fail.xml"), ["signature_valid"]);
    // The key changes between Begin and End (the reference app refuses the file).
    assert_eq!(
        names("second_key_fail_ocmf.xml"),
        ["signature_valid", "same_public_key"]
    );
    // Errors flagged by the meter (EF "Et", ST "E"): signatures valid, data unusable.
    let bauer = pair("20211007-device-with-evt-ocmf-sss-ses.xml");
    assert_eq!(bauer.failed_names, ["billing_register"]);
    let isa = pair("OCMF-receipt-with_publickey_and_data.xml");
    assert_eq!(isa.failed_names, ["meter_status_ok", "no_energy_error"]);
    assert!(!isa.energy_billable);
    // secp192k1: valid signatures, but repeated PG, other IDs, exception readings.
    assert_eq!(
        names("test_ocmf_transaction_two_values.xml"),
        [
            "same_identification",
            "pagination_contiguous",
            "no_exception"
        ]
    );
    // P-192 with begin+end in each record: two begins, two ends.
    let ebz = pair("test_ebz_ld3_secp192r1.xml");
    assert!(ebz.verifications.iter().all(|v| v.is_valid));
    assert_eq!(
        ebz.failed_names,
        ["pagination_contiguous", "single_begin", "single_end"]
    );
}

#[test]
fn the_bauer_register_with_tariff_198_is_not_law_relevant_but_its_flags_are_read() {
    let v = &values("20211007-device-with-evt-ocmf-sss-ses.xml")[0];
    let r = parse(&v.data).unwrap();
    let rd = &r.payload.readings[0];
    assert!(rd.energy_error && rd.time_error);
    assert_eq!(
        rd.extra.get("XV").map(|x| x.to_string()).as_deref(),
        Some("76040")
    );
    assert_eq!(
        r.payload.gateway_version.as_deref(),
        Some("1.9:32CA:AFF4, 6d1dd3c-dirty")
    );
}

#[test]
fn single_records_and_series() {
    // A record holding begin and end: pass it as both.
    let keba = &values("test_ocmf_keba_kcp30.xml")[0];
    let r = check_transaction(&keba.data, &keba.data, &keba.public_key).unwrap();
    assert!(r.passed, "{:?}", r.failed);
    assert_eq!(r.verifications.len(), 1);
    // The 20 consecutive KEBA records are contiguous but hold 20 begins.
    let series = values("measurements.xml");
    let inputs: Vec<SignedInput> = series[..20]
        .iter()
        .map(|x| SignedInput {
            data: x.data.clone(),
            public_key: x.public_key.clone(),
        })
        .collect();
    let r = check_records(&inputs, TimeBilling::AnyClock).unwrap();
    assert!(!r.has_failed(C::PaginationContiguous));
    assert!(!r.has_failed(C::SignatureValid));
    assert!(r.has_failed(C::SingleBegin));
    // With the 21st record (another gateway, its own key) the series breaks.
    let inputs: Vec<SignedInput> = series
        .iter()
        .map(|x| SignedInput {
            data: x.data.clone(),
            public_key: x.public_key.clone(),
        })
        .collect();
    let r = check_records(&inputs, TimeBilling::AnyClock).unwrap();
    assert!(r.has_failed(C::SamePublicKey));
    assert!(r.has_failed(C::PaginationContiguous));
}

#[test]
fn payload_fields_of_the_vectors() {
    let isa = &values("OCMF-receipt-with_publickey_and_data.xml")[0];
    let r = parse(&isa.data).unwrap();
    let p = &r.payload;
    assert_eq!(p.tariff_text.as_deref(), Some("0,42 EUR/kWh"));
    assert_eq!(
        p.identification.flags,
        ["RFID_PSK", "OCPP_CERTIFIED", "ISO15118_NONE", "PLMN_NONE"]
    );
    assert_eq!(
        p.identification.level.as_ref().map(|l| l.as_str()),
        Some("CERTIFIED")
    );
    assert_eq!(
        p.identification.id_type.as_ref().map(|l| l.as_str()),
        Some("ISO15693")
    );
    assert_eq!(p.charge_point_id.as_deref(), Some("CP-DE-4711"));
    assert_eq!(p.readings[0].value_text, "00000000.000");
    assert_eq!(p.readings[0].value.to_string(), "0.000");
    assert!(p.notes.contains(&ParseNote::RvAsString));

    let cp = &values("chargepoint_3.xml")[0];
    let r = parse(&cp.data).unwrap();
    assert_eq!(r.payload.format_version.as_deref(), Some("1.0"));
    assert_eq!(
        r.payload.charge_point_id_type.as_ref().map(|c| c.as_str()),
        Some("0")
    );
    assert!(r.payload.extra.contains_key("UCPN"));
    assert!(r.payload.notes.contains(&ParseNote::FvAsNumber));
    assert!(r.payload.notes.contains(&ParseNote::CtAsNumber));
    assert_eq!(r.signature.encoding.as_deref(), Some("base64"));

    let sec = &values("ocmf_sec.xml")[1];
    let r = parse(&sec.data).unwrap();
    assert_eq!(
        r.payload.readings[1].unit,
        Some(ReadingUnit::Other("sec".into()))
    );
    assert!(!r.payload.readings[1].is_energy());
    assert!(r.payload.notes.contains(&ParseNote::NonSpecUnit));
    // Whitespace between JSON tokens stays in the signed bytes.
    assert!(r.payload_text.contains("\"FV\" : \"1.0\""));

    let vw = &values("VW_OCMF_load.xml")[0];
    let r = parse(&vw.data).unwrap();
    let rd = &r.payload.readings;
    assert_eq!(rd[1].inherited, ["TM", "TX", "RT", "EF"]);
    assert_eq!(rd[1].time, rd[0].time);
    assert!(rd[0].extra.contains_key("UC"));

    let two = &values("test_ocmf_transaction_two_values.xml")[0];
    let r = parse(&two.data).unwrap();
    assert_eq!(r.payload.readings[0].event_counter.as_deref(), Some("1523"));
    assert_eq!(
        r.payload.readings[0]
            .time
            .as_ref()
            .unwrap()
            .at
            .timestamp_subsec_millis(),
        867
    );

    let tariff = &values("ocmf_tariff_1.xml")[0];
    assert_eq!(
        parse(&tariff.data).unwrap().payload.tariff_text.as_deref(),
        Some("Test")
    );

    let bp = &values("brainpoolP256r1.xml")[0];
    assert_eq!(
        verify(&bp.data, &bp.public_key).unwrap().curve,
        Some(Curve::Brainpool256r1)
    );
}
