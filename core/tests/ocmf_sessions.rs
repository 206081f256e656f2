//! Sessions with signed begin/end readings: the energy proven by signatures,
//! its agreement with the unsigned series, and tampering.
#![cfg(feature = "ocmf")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod ocmf_support;

use base64::Engine as _;
use chargekit::meter::AnomalyKind;
use chargekit::ocpp::OcppVersion::{V16, V201};
use chargekit::session::Session;
use chargekit::signed::{proven_energy, Curve, TransactionCheck};
use common::*;
use ocmf_support::{fixed_secret, payload, sign_record, KeyForm, SigEncoding, SigForm};
use serde_json::json;

const CURVE: Curve = Curve::Secp256r1;

fn signed(pg: u64, tx: &str, rv: &str, minute: u32) -> (String, String) {
    let p = payload(
        pg,
        "METER-1",
        &[(tx, rv, &format!("2026-03-10T08:{minute:02}:00,000+0000 S"))],
        "kWh",
    );
    let s = sign_record(
        CURVE,
        &fixed_secret(CURVE),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    (s.record, s.key)
}

fn signed_value(record: &str, ctx: &str) -> serde_json::Value {
    json!({"value": record, "format": "SignedData", "context": ctx})
}

/// An OCPP 1.6 session: meterStart 1000, a periodic 4700, meterStop `stop`, and
/// the signed begin/end (1.000 kWh, `end_rv` kWh) sent in MeterValues.
fn session16(stop: i64, begin: &str, end: Option<&str>) -> Session {
    let mut lines = vec![
        start16("s", 1, 1000, 0),
        start_result("s", 501),
        mv16(
            "sb",
            1,
            Some(501),
            0,
            vec![signed_value(begin, "Transaction.Begin")],
        ),
        reg16("m1", 1, 501, 30, "4700"),
    ];
    if let Some(end) = end {
        lines.push(mv16(
            "se",
            1,
            Some(501),
            59,
            vec![signed_value(end, "Transaction.End")],
        ));
    }
    lines.push(stop16("x", 501, stop, 59));
    one(V16, &lines)
}

#[test]
fn signed_begin_and_end_prove_the_session_energy() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let (end, _) = signed(11, "E", "8.400", 59);
    let s = session16(8400, &begin, Some(&end));
    assert_eq!(s.energy_wh, dec("7400"));
    let p = proven_energy(&s, &key).unwrap();
    let report = p.report.as_ref().unwrap();
    assert!(report.passed, "{:?}", report.failed);
    assert_eq!(p.energy_wh, Some(dec("7400")));
    assert_eq!(report.energy.as_ref().unwrap().value.to_string(), "7.400");
    assert!(p.anomalies.is_empty(), "{:?}", p.anomalies);
    assert!(p.is_consistent);
}

#[test]
fn the_1_6_value_variants_hex_base64_and_json_wrapper() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let (end, _) = signed(11, "E", "8.400", 59);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&end);
    let wrapper =
        json!({"signedMeterValue": b64, "encodingMethod": "OCMF", "publicKey": ""}).to_string();
    for (b, e) in [
        (hex::encode_upper(&begin), b64.clone()),
        (begin.clone(), wrapper),
    ] {
        let s = session16(8400, &b, Some(&e));
        let p = proven_energy(&s, &key).unwrap();
        assert_eq!(
            p.energy_wh,
            Some(dec("7400")),
            "{:?}",
            p.report.as_ref().map(|r| &r.failed)
        );
        assert!(p.unreadable.is_empty());
    }
}

#[test]
fn a_changed_unsigned_value_is_an_anomaly() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let (end, _) = signed(11, "E", "8.400", 59);
    // meterStop says 8500: the unsigned series bills 7500 Wh, the signatures prove 7400.
    let s = session16(8500, &begin, Some(&end));
    assert_eq!(s.energy_wh, dec("7500"));
    let p = proven_energy(&s, &key).unwrap();
    assert_eq!(p.energy_wh, Some(dec("7400")));
    assert_eq!(p.anomalies.len(), 1, "{:?}", p.anomalies);
    assert_eq!(p.anomalies[0].kind, AnomalyKind::StartStopMismatch);
    assert!(
        p.anomalies[0].detail.contains("7.400 kWh"),
        "{}",
        p.anomalies[0].detail
    );
    assert!(!p.is_consistent);
}

#[test]
fn a_changed_digit_in_rv_is_detected() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let (end, _) = signed(11, "E", "8.400", 59);
    let tampered = end.replace("8.400", "8.500");
    let s = session16(8500, &begin, Some(&tampered));
    let p = proven_energy(&s, &key).unwrap();
    let report = p.report.as_ref().unwrap();
    assert_eq!(report.failed_names, ["signature_valid"]);
    assert_eq!(p.energy_wh, None);
    // A changed number of decimals is a change too.
    let s = session16(8400, &begin, Some(&end.replace("8.400", "8.40")));
    assert!(proven_energy(&s, &key)
        .unwrap()
        .report
        .unwrap()
        .has_failed(TransactionCheck::SignatureValid));
}

#[test]
fn a_missing_signed_end_proves_nothing() {
    // EVerest #339: the signed End was not forwarded with the stop.
    let (begin, key) = signed(10, "B", "1.000", 0);
    let s = session16(8400, &begin, None);
    let p = proven_energy(&s, &key).unwrap();
    assert_eq!(p.report.as_ref().unwrap().failed_names, ["single_end"]);
    assert_eq!(p.energy_wh, None);
    assert!(p.anomalies.is_empty());
}

#[test]
fn unreadable_signed_data_is_listed_and_a_bad_key_is_an_error() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let s = session16(8400, &begin, Some("OCMF|{broken"));
    let p = proven_energy(&s, &key).unwrap();
    assert_eq!(p.unreadable.len(), 1);
    assert_eq!(p.unreadable[0].message_id, "se");
    assert_eq!(p.unreadable[0].kind, "missing_separator");
    assert_eq!(
        proven_energy(&s, "not a key").unwrap_err().kind(),
        "public_key"
    );
    // A session without signed data.
    let plain = one(
        V16,
        &[
            start16("s", 1, 0, 0),
            start_result("s", 9),
            stop16("x", 9, 10, 5),
        ],
    );
    let p = proven_energy(&plain, &key).unwrap();
    assert!(p.report.is_none() && p.energy_wh.is_none());
}

fn sv201(value: &str, record: &str, ctx: &str) -> serde_json::Value {
    let b64 = base64::engine::general_purpose::STANDARD.encode(record);
    json!({
        "value": serde_json::from_str::<serde_json::Value>(value).unwrap(),
        "context": ctx,
        "measurand": "Energy.Active.Import.Register",
        "signedMeterValue": {"signedMeterData": b64, "signingMethod": "", "encodingMethod": "OCMF", "publicKey": ""},
    })
}

fn session201(begin_value: &str, end_value: &str, begin: &str, end: &str) -> Session {
    one(
        V201,
        &[
            ev201(
                "a",
                "TX-1",
                "Started",
                0,
                0,
                Some("Charging"),
                vec![sv201(begin_value, begin, "Transaction.Begin")],
                json!({"evse": {"id": 1, "connectorId": 1}}),
            ),
            ev201(
                "b",
                "TX-1",
                "Updated",
                1,
                30,
                Some("Charging"),
                vec![reg201("4700")],
                json!({}),
            ),
            ev201(
                "c",
                "TX-1",
                "Ended",
                2,
                59,
                None,
                vec![sv201(end_value, end, "Transaction.End")],
                json!({"transactionInfo": {"stoppedReason": "EVDisconnected"}}),
            ),
        ],
    )
}

#[test]
fn ocpp201_signed_meter_values() {
    let (begin, key) = signed(10, "B", "1.000", 0);
    let (end, _) = signed(11, "E", "8.400", 59);
    let s = session201("1000", "8400", &begin, &end);
    let p = proven_energy(&s, &key).unwrap();
    assert_eq!(p.energy_wh, Some(dec("7400")));
    assert!(p.anomalies.is_empty(), "{:?}", p.anomalies);

    // The unsigned value next to the signed end was changed.
    let s = session201("1000", "8500", &begin, &end);
    let p = proven_energy(&s, &key).unwrap();
    let kinds: Vec<_> = p
        .anomalies
        .iter()
        .map(|a| (a.kind, a.message_id.clone()))
        .collect();
    assert!(
        kinds.contains(&(AnomalyKind::StartStopMismatch, Some("c".to_string()))),
        "{:?}",
        p.anomalies
    );
    assert_eq!(p.energy_wh, Some(dec("7400")));
}

#[test]
fn signed_data_from_an_ocpp201_signed_meter_value_carries_its_key() {
    use chargekit::ocpp::v201::SignedMeterValue;
    use chargekit::signed::{Container, SignedData};
    let (end, key) = signed(11, "E", "8.400", 59);
    let smv = SignedMeterValue {
        signed_meter_data: base64::engine::general_purpose::STANDARD.encode(&end),
        signing_method: Some(String::new()),
        encoding_method: Some("OCMF".into()),
        public_key: Some(key.clone()),
    };
    let d = SignedData::from_ocpp201(&smv).unwrap();
    assert_eq!(
        (d.container, d.text.as_str()),
        (Container::Ocpp201, end.as_str())
    );
    assert_eq!(d.public_key.as_deref(), Some(key.as_str()));
    assert_eq!(d.encoding_method.as_deref(), Some("OCMF"));
}

/// A record with one import (`1-b:1.8.0`) and one export (`1-b:2.8.0`) reading, both `tx`.
fn signed_v2x(
    pg: u64,
    tx: &str,
    import_kwh: &str,
    export_kwh: &str,
    minute: u32,
) -> (String, String) {
    let tm = format!("2026-03-10T08:{minute:02}:00,000+0000 S");
    let reading = |rv: &str, ri: &str| {
        format!("{{\"TM\":\"{tm}\",\"TX\":\"{tx}\",\"RV\":{rv},\"RI\":\"{ri}\",\"RU\":\"kWh\",\"EF\":\"\",\"ST\":\"G\"}}")
    };
    let p = format!(
        "{{\"FV\":\"1.0\",\"GI\":\"TEST\",\"GS\":\"G1\",\"PG\":\"T{pg}\",\"MS\":\"METER-1\",\"IS\":true,\"IL\":\"VERIFIED\",\"IT\":\"ISO14443\",\"ID\":\"0A0B0C0D\",\"RD\":[{},{}]}}",
        reading(import_kwh, "1-b:1.8.0"),
        reading(export_kwh, "1-b:2.8.0")
    );
    let s = sign_record(
        CURVE,
        &fixed_secret(CURVE),
        &p,
        SigForm::Der,
        SigEncoding::HexUpper,
        KeyForm::SpkiHex,
    )
    .unwrap();
    (s.record, s.key)
}

fn export201(value: &str, ctx: &str) -> serde_json::Value {
    json!({"value": serde_json::from_str::<serde_json::Value>(value).unwrap(), "context": ctx,
           "measurand": "Energy.Active.Export.Register"})
}

fn v2x_session(export_end: &str, begin: &str, end: &str) -> Session {
    one(
        V201,
        &[
            ev201(
                "a",
                "TX-1",
                "Started",
                0,
                0,
                Some("Charging"),
                vec![
                    sv201("1000", begin, "Transaction.Begin"),
                    export201("2000", "Transaction.Begin"),
                ],
                json!({"evse": {"id": 1, "connectorId": 1}}),
            ),
            ev201(
                "c",
                "TX-1",
                "Ended",
                1,
                59,
                None,
                vec![
                    sv201("8000", end, "Transaction.End"),
                    export201(export_end, "Transaction.End"),
                ],
                json!({"transactionInfo": {"stoppedReason": "EVDisconnected"}}),
            ),
        ],
    )
}

#[test]
fn signed_export_registers_prove_the_energy_fed_back() {
    // Import 1.000 → 8.000 kWh (7000 Wh in); export 2.000 → 5.000 kWh (3000 Wh fed back).
    let (begin, key) = signed_v2x(20, "B", "1.000", "2.000", 0);
    let (end, _) = signed_v2x(21, "E", "8.000", "5.000", 59);
    let s = v2x_session("5000", &begin, &end);
    assert_eq!(
        (s.energy_wh, s.energy_export_wh),
        (dec("7000"), dec("3000"))
    );
    let p = proven_energy(&s, &key).unwrap();
    // The import register stays the billing register although both are law-relevant.
    assert_eq!(p.energy_wh, Some(dec("7000")));
    assert_eq!(p.export_wh, Some(dec("3000")));
    let export = p.report.as_ref().unwrap().energy_export.as_ref().unwrap();
    assert_eq!(export.obis.as_deref(), Some("1-b:2.8.0"));
    assert!(p.is_consistent, "{:?}", p.anomalies);

    // The unsigned export series disagrees with the signed export: reported, not hidden.
    let s = v2x_session("5500", &begin, &end);
    let p = proven_energy(&s, &key).unwrap();
    assert_eq!(p.export_wh, Some(dec("3000")));
    assert!(p
        .anomalies
        .iter()
        .any(|a| a.kind == AnomalyKind::StartStopMismatch && a.detail.contains("export")));
    assert!(!p.is_consistent);

    // A tampered end record proves nothing, export included.
    let tampered = end.replacen("5.000", "6.000", 1);
    let p = proven_energy(&v2x_session("5000", &begin, &tampered), &key).unwrap();
    assert_eq!((p.energy_wh, p.export_wh), (None, None));
}
