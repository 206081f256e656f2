//! Malformed input gives a typed error or an anomaly, never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::meter::{MeterPolicy, NegativeStepPolicy, UnknownUnitPolicy};
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, SessionAssembler};
use chargekit::Error;
use common::*;
use serde_json::json;

fn err(version: Option<OcppVersion>, text: &str) -> Error {
    sessions_from_log("CP", text, version, &MeterPolicy::default()).unwrap_err()
}

#[test]
fn truncated_json_is_invalid_json() {
    let full = start16("s", 1, 0, 0);
    let e = err(None, &full[..full.len() - 5]);
    assert!(matches!(e, Error::InvalidJson { .. }), "{e:?}");
    // In a line-delimited log the error names the line.
    let e = err(None, &format!("{full}\n[2,\"x\",\"MeterValues\",{{"));
    assert!(
        matches!(e, Error::InvalidJson { line: Some(2), .. }),
        "{e:?}"
    );
}

#[test]
fn not_a_frame() {
    for text in [
        "42",
        "[9,\"a\",{}]",
        "[2,\"a\",\"MeterValues\"]",
        "[2,7,\"MeterValues\",{}]",
        "{\"frame\": 1}",
    ] {
        let e = err(None, text);
        assert!(matches!(e, Error::InvalidFrame { .. }), "{text}: {e:?}");
    }
}

#[test]
fn wrong_type_names_the_field() {
    let bad = call(
        "m",
        "MeterValues",
        json!({"connectorId": 1, "transactionId": 5, "meterValue": [{"timestamp": t(0), "sampledValue": [{"value": 12}]}]}),
    );
    match err(Some(OcppVersion::V16), &bad) {
        Error::InvalidPayload { action, field, .. } => {
            assert_eq!(action, "MeterValues");
            assert_eq!(field, "meterValue[0].sampledValue[0].value");
        }
        e => panic!("{e:?}"),
    }
    let bad = call(
        "s",
        "StartTransaction",
        json!({"connectorId": "one", "idTag": "T", "meterStart": 0, "timestamp": t(0)}),
    );
    match err(None, &bad) {
        Error::InvalidPayload { field, .. } => {
            assert_eq!(field, "connectorId")
        }
        e => panic!("{e:?}"),
    }
    let bad = call(
        "s",
        "StartTransaction",
        json!({"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": "noon"}),
    );
    match err(None, &bad) {
        Error::InvalidPayload { field, .. } => {
            assert_eq!(field, "timestamp")
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn unknown_enum_value_names_the_field() {
    let bad = call(
        "m",
        "MeterValues",
        json!({"connectorId": 1, "meterValue": [{"timestamp": t(0), "sampledValue": [{"value": "1", "measurand": "Energy.Magic"}]}]}),
    );
    match err(Some(OcppVersion::V16), &bad) {
        Error::InvalidPayload {
            field,
            reason: message,
            ..
        } => {
            assert_eq!(field, "meterValue[0].sampledValue[0].measurand");
            assert!(message.contains("Energy.Magic"), "{message}");
        }
        e => panic!("{e:?}"),
    }
    let bad = ev201("e", "T", "Paused", 0, 0, None, vec![], json!({}));
    assert!(matches!(err(None, &bad), Error::InvalidPayload { field, .. } if field == "eventType"));
}

#[test]
fn unknown_fields_are_tolerated() {
    let ok = call(
        "s",
        "StartTransaction",
        json!({"connectorId": 1, "idTag": "T", "meterStart": 0, "timestamp": t(0), "vendorThing": {"x": 1}}),
    );
    assert_eq!(
        sessions_from_log("CP", &ok, None, &MeterPolicy::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn nan_infinity_and_huge_values_are_unparseable_anomalies() {
    let mut lines = vec![start16("s", 1, 1000, 0), start_result("s", 3)];
    for (i, v) in [
        "NaN",
        "inf",
        "-Infinity",
        "",
        "1e400",
        "99999999999999999999999999999999999",
        "12,5",
    ]
    .iter()
    .enumerate()
    {
        lines.push(reg16(&format!("m{i}"), 1, 3, i as i64 + 1, v));
    }
    lines.push(stop16("x", 3, 2000, 20));
    let s = one(OcppVersion::V16, &lines);
    assert_eq!(s.energy_wh, dec("1000"));
    let n = s
        .anomalies
        .iter()
        .filter(|a| a.kind.as_str() == "unparseable")
        .count();
    assert_eq!(n, 7);
    // A bare NaN is not JSON at all.
    assert!(matches!(
        err(None, "[2,\"a\",\"MeterValues\",{\"connectorId\":NaN}]"),
        Error::InvalidJson { .. }
    ));
    // A huge JSON number in 2.0.1 is kept as text and reported.
    let big = r#"[2,"a","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T"},"meterValue":[{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{"value":1e999},{"value":12.30,"measurand":"Power.Active.Import"}]}]}]"#;
    let s = &sessions_from_log("CP", big, None, &MeterPolicy::default()).unwrap()[0];
    assert_eq!(
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["unparseable"]
    );
    let raws: Vec<&str> = s.readings.iter().map(|r| r.raw.as_str()).collect();
    assert!(
        raws.contains(&"1e999") || raws.contains(&"1e+999"),
        "{raws:?}"
    );
    assert!(
        raws.contains(&"12.30"),
        "2.0.1 numbers keep their exact text: {raws:?}"
    );
    // Huge multipliers do not overflow.
    let v = json!({"value": 5, "unitOfMeasure": {"unit": "Wh", "multiplier": 127}});
    let s = one(
        OcppVersion::V201,
        &[ev201("a", "T", "Started", 0, 0, None, vec![v], json!({}))],
    );
    assert_eq!(
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["unparseable"]
    );
}

#[test]
fn unknown_unit_is_an_anomaly_or_an_error_by_policy() {
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 4),
        mv16(
            "m",
            1,
            Some(4),
            5,
            vec![json!({"value": "3", "unit": "furlongs"})],
        ),
        stop16("x", 4, 2000, 10),
    ];
    let s = one(OcppVersion::V16, &lines);
    assert_eq!(s.energy_wh, dec("1000"));
    assert_eq!(
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["unknown_unit"]
    );
    let strict = MeterPolicy {
        unknown_unit: UnknownUnitPolicy::Strict,
        ..MeterPolicy::default()
    };
    let e = sessions_from_log("CP", &log(&lines), None, &strict).unwrap_err();
    assert!(matches!(e, Error::UnknownUnit { ref unit, .. } if unit == "furlongs"));
}

#[test]
fn negative_step_error_policy() {
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 5),
        reg16("a", 1, 5, 5, "1500"),
        reg16("b", 1, 5, 10, "1200"),
        stop16("x", 5, 1600, 15),
    ];
    let strict = MeterPolicy {
        negative_step: NegativeStepPolicy::Error,
        ..MeterPolicy::default()
    };
    let e = sessions_from_log("CP", &log(&lines), None, &strict).unwrap_err();
    assert!(matches!(e, Error::NegativeStep { .. }));
}

#[test]
fn version_conflicts_are_errors() {
    let e = err(
        Some(OcppVersion::V16),
        &ev201("a", "T", "Started", 0, 0, None, vec![], json!({})),
    );
    assert!(matches!(e, Error::UnsupportedVersion { .. }));
    assert!("3.0".parse::<OcppVersion>().is_err());
}

#[test]
fn a_failed_feed_applies_nothing() {
    let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
    let good = start16("s", 1, 0, 0);
    let bad = call("m", "MeterValues", json!({"connectorId": "x"}));
    assert!(a.feed_log(&format!("{good}\n{bad}")).is_err());
    assert!(a.sessions().unwrap().is_empty());
    assert_eq!(a.feed_log(&good).unwrap(), 1);
    assert_eq!(a.sessions().unwrap().len(), 1);
}

#[test]
fn exactly_one_is_checked() {
    let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
    assert_eq!(
        a.single_session().unwrap_err(),
        Error::NotExactlyOneSession { found: 0 }
    );
    a.feed_log(&log(&[start16("a", 1, 0, 0), start16("b", 2, 0, 0)]))
        .unwrap();
    assert_eq!(
        a.single_session().unwrap_err(),
        Error::NotExactlyOneSession { found: 2 }
    );
}

/// A million readings in one transaction: ingested without a panic and in linear-ish time.
#[test]
fn a_million_readings() {
    let mut values = Vec::with_capacity(1000);
    let mut lines = vec![start16("s", 1, 0, 0), start_result("s", 9)];
    let base = chrono::DateTime::parse_from_rfc3339("2026-03-10T08:00:00Z")
        .unwrap()
        .to_utc();
    let mut reg = 0u64;
    for m in 0..1000 {
        values.clear();
        for k in 0..1000 {
            reg += 1;
            let ts = base + chrono::Duration::seconds(m * 1000 + k + 1);
            values.push(
                json!({"timestamp": ts.to_rfc3339(), "sampledValue": [{"value": reg.to_string()}]}),
            );
        }
        lines.push(call(
            &format!("m{m}"),
            "MeterValues",
            json!({"connectorId": 1, "transactionId": 9, "meterValue": values}),
        ));
    }
    let s = one(OcppVersion::V16, &lines);
    assert_eq!(s.readings.len(), 1_000_000);
    assert_eq!(s.energy_wh, dec("1000000"));
}

/// Extreme policy values and register values never panic (found by the Kotlin tests).
#[test]
fn extreme_values_do_not_panic() {
    let frame = reg16("m1", 1, 5, 10, "6000");
    let envelope = json!({"received_at": t(9), "frame": serde_json::from_str::<serde_json::Value>(&frame).unwrap()}).to_string();
    let lines = [
        start16("s", 1, 5000, 0),
        start_result("s", 5),
        envelope,
        stop16("x", 5, 7000, 20),
    ];
    for policy in [
        MeterPolicy {
            max_clock_skew_s: i64::MAX,
            ..MeterPolicy::default()
        },
        MeterPolicy {
            max_clock_skew_s: i64::MIN,
            ..MeterPolicy::default()
        },
        MeterPolicy {
            rated_power_w: rust_decimal::Decimal::MAX,
            ..MeterPolicy::default()
        },
        MeterPolicy {
            rated_power_w: rust_decimal::Decimal::MIN,
            ..MeterPolicy::default()
        },
    ] {
        let s = sessions_from_log("CP", &log(&lines), None, &policy).unwrap();
        assert_eq!(s.len(), 1);
        assert!(s[0].energy_wh >= rust_decimal::Decimal::ZERO);
    }
    // Register values beyond any meter are reported, not computed with.
    let huge = [
        call(
            "s",
            "StartTransaction",
            json!({"connectorId": 1, "idTag": "T", "meterStart": -79228162514264337593543950335i128 as f64, "timestamp": t(0)}),
        ),
        start_result("s", 6),
        call(
            "x",
            "StopTransaction",
            json!({"transactionId": 6, "meterStop": 79228162514264337593543950335u128 as f64, "timestamp": t(10)}),
        ),
    ];
    let s = one(OcppVersion::V16, &huge);
    assert_eq!(s.energy_wh, dec("0"));
    assert_eq!(
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["unparseable"]
    );
}

/// meterStart/meterStop alone are checked for plausibility too.
#[test]
fn start_stop_only_is_checked_for_plausibility() {
    let s = one(
        OcppVersion::V16,
        &[
            start16("s", 1, 1000, 0),
            start_result("s", 7),
            stop16("x", 7, 500_000_000, 1),
        ],
    );
    assert_eq!(s.energy_wh, dec("0"));
    assert_eq!(
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["implausible_power"]
    );
}
