//! The bundled sample day (examples/data) gives the expected energies and anomaly sets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, CdrOptions, SessionAssembler};
use rust_decimal::Decimal;
use std::path::PathBuf;

fn data(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/data")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn check(station: &str, file: &str, version: OcppVersion) {
    let expected: serde_json::Value = serde_json::from_str(&data("expected.json")).unwrap();
    let expected = expected[station].as_object().unwrap();
    let sessions =
        sessions_from_log(station, &data(file), Some(version), &MeterPolicy::default()).unwrap();
    assert_eq!(sessions.len(), expected.len());
    for s in &sessions {
        let e = &expected[&s.key.to_string()];
        let want: Decimal = e["energy_wh"].as_str().unwrap().parse().unwrap();
        assert_eq!(s.energy_wh, want, "{station} {}", s.key);
        let mut kinds: Vec<&str> = e["anomalies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        kinds.sort();
        let mut got: Vec<&str> = s.anomaly_kinds().iter().map(|k| k.as_str()).collect();
        got.sort();
        assert_eq!(got, kinds, "{station} {}: {:#?}", s.key, s.anomalies);
        // Periods cover the session and sum to its energy.
        let periods = s.charging_periods();
        assert_eq!(
            periods.iter().map(|p| p.energy_wh).sum::<Decimal>(),
            s.energy_wh
        );
        assert!(s.charging_s + s.idle_s == s.duration_s());
        let cdr = s.to_ocpi_cdr(&CdrOptions::default()).unwrap();
        assert_eq!(
            cdr["total_energy"].to_string(),
            (s.energy_wh / Decimal::ONE_THOUSAND)
                .normalize()
                .to_string()
        );
        assert_eq!(
            cdr["charging_periods"].as_array().unwrap().len(),
            periods.iter().filter(|p| p.end > p.start).count()
        );
    }
    // Live: one frame at a time gives the same sessions as the whole log.
    let mut live = SessionAssembler::new(station, Some(version), MeterPolicy::default());
    for line in data(file).lines() {
        live.feed_log(line).unwrap();
    }
    assert_eq!(live.sessions().unwrap(), sessions);
}

#[test]
fn ocpp16_site_day() {
    check("CP-ALPHA", "site-day-ocpp16.jsonl", OcppVersion::V16);
}

#[test]
fn ocpp201_site_day() {
    check("CP-BRAVO", "site-day-ocpp201.jsonl", OcppVersion::V201);
}

#[test]
fn idle_tails_are_measured() {
    // 48249 stays plugged in 2 h after the battery is full; the 2.0.1 session has a 90-minute tail.
    let s16 = sessions_from_log(
        "CP-ALPHA",
        &data("site-day-ocpp16.jsonl"),
        None,
        &MeterPolicy::default(),
    )
    .unwrap();
    let overstay = s16.iter().find(|s| s.key.to_string() == "48249").unwrap();
    assert!(overstay.idle_s >= 2 * 3600 - 60, "idle {}", overstay.idle_s);
    assert!(
        overstay.overstay_s >= 2 * 3600 - 600,
        "overstay {}",
        overstay.overstay_s
    );
    let s201 = sessions_from_log(
        "CP-BRAVO",
        &data("site-day-ocpp201.jsonl"),
        None,
        &MeterPolicy::default(),
    )
    .unwrap();
    let tail = s201
        .iter()
        .find(|s| s.key.to_string().starts_with("34143e06"))
        .unwrap();
    assert_eq!(tail.idle_s / 60, 90);
    assert!(tail
        .charging_periods()
        .iter()
        .any(|p| p.state.as_str() == "suspended_ev"));
}
