//! Profile JSON in and out: all 82 EVerest fixtures (1.6, 2.0.1, 2.1) read and written
//! without losing a field; 2.1 per-phase limits and setpoints carried through a station;
//! conversions between 1.6 and 2.x.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    ChargingProfile, ChargingProfile16, ChargingRateUnit, ProfileVersion, Rule,
    SmartChargingStation, StationConfig,
};
use chargekit::Error;
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/composite/fixtures")
}

fn fixtures(sub: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixtures_dir().join(sub), &mut out);
    out.sort();
    out
}

/// Leaf values by JSON path.
fn leaves(v: &Value, path: String, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| leaves(x, format!("{path}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, format!("{path}[{i}]"), out)),
        _ => {
            out.insert(path, v.clone());
        }
    }
}

fn same_leaf(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            Decimal::from_str(&x.to_string()).ok() == Decimal::from_str(&y.to_string()).ok()
        }
        (Value::String(x), Value::String(y)) => {
            let t = |s: &str| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .ok()
                    .or_else(|| {
                        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                            .ok()
                            .map(|n| n.and_utc())
                    })
            };
            x == y || (t(x).is_some() && t(x) == t(y))
        }
        _ => a == b,
    }
}

/// Every leaf of `input` is in `output` with the same value (numbers exactly, timestamps
/// as instants), and `output` adds nothing.
fn assert_lossless(name: &str, input: &Value, output: &Value, ignore: &[&str]) {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    leaves(input, String::new(), &mut a);
    leaves(output, String::new(), &mut b);
    a.retain(|k, _| !ignore.iter().any(|i| k.ends_with(i)));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{name}: fields differ"
    );
    for (k, v) in &a {
        assert!(same_leaf(v, &b[k]), "{name}: {k}: {v} became {}", b[k]);
    }
}

#[test]
fn all_82_fixtures_are_read_and_written_without_loss() {
    let mut count = 0;
    for path in fixtures("v2").into_iter().chain(fixtures("v21")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let input: Value = serde_json::from_str(&text).unwrap();
        let p =
            ChargingProfile::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let out = p.to_value();
        assert_lossless(&path.display().to_string(), &input, &out, &[]);
        assert_eq!(ChargingProfile::from_value(&out).unwrap(), p);
        count += 1;
    }
    for path in fixtures("v16") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        if name.ends_with("TxDefaultProfile_no_chargingRateUnit.json") {
            let e = ChargingProfile16::from_json(&text).unwrap_err();
            let Error::InvalidProfile { field, .. } = e else {
                panic!("{e}")
            };
            assert_eq!(field, "chargingSchedule");
            assert!(e_message_mentions(&text), "{name}");
            count += 1;
            continue;
        }
        let input: Value = serde_json::from_str(&text).unwrap();
        let p16 = ChargingProfile16::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        // `chargingSchedule.id` is not a 1.6 field (some EVerest 1.6 fixtures carry it).
        let out: Value = serde_json::from_str(&p16.to_json()).unwrap();
        assert_lossless(&name, &input, &out, &["chargingSchedule.id"]);
        // 1.6 -> 2.x -> 1.6 is the identity.
        let p2: ChargingProfile = p16.clone().into();
        assert_eq!(ChargingProfile16::try_from(&p2).unwrap(), p16, "{name}");
        count += 1;
    }
    assert_eq!(count, 82);
}

fn e_message_mentions(text: &str) -> bool {
    ChargingProfile16::from_json(text)
        .unwrap_err()
        .to_string()
        .contains("chargingRateUnit")
}

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 17, h, m, 0).unwrap()
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures_dir().join(rel)).unwrap()
}

#[test]
fn setpoints_and_phase_limits_of_2_1_survive_a_station() {
    let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    st.start_transaction(
        1,
        t(18, 0),
        Some("f1522902-1170-416f-8e43-9e3bce28fde7".into()),
    )
    .unwrap();
    let text = fixture("v21/different_number_phases/1/0_TxProfile.json");
    st.install(&text, 1, ProfileVersion::V21).unwrap();
    let stored = st.profiles()[0].profile.to_value();
    let input: Value = serde_json::from_str(&text).unwrap();
    assert_lossless("0_TxProfile", &input, &stored, &[]);
    let period = &stored["chargingSchedule"][0]["chargingSchedulePeriod"][0];
    assert_eq!(period["limit_L2"], serde_json::json!(170.0));
    assert_eq!(period["setpoint"], serde_json::json!(1800.0));
    assert_eq!(period["operationMode"], "CentralSetpoint");

    // Setpoint and discharge limit of another 2.1 fixture, likewise.
    let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    st.start_transaction(1, t(18, 0), None).unwrap();
    st.install(
        &fixture("v21/setpoints/TxProfile_1.json"),
        1,
        ProfileVersion::V21,
    )
    .unwrap();
    let period = st.profiles()[0].profile.charging_schedule[0].charging_schedule_period[0].clone();
    assert_eq!(period.discharge_limit, Some(Decimal::from(-2000)));
    assert_eq!(period.setpoint, Some(Decimal::from(1800)));
    // The composite uses its limit (1500 W) and reports its phase count.
    let s = st
        .composite_schedule(1, t(18, 0), 1080, Some(ChargingRateUnit::W))
        .unwrap();
    assert_eq!(s.periods[0].limit, Some(Decimal::from(1500)));
    assert_eq!(s.periods[0].number_phases, Some(1));
}

/// Field case 15 of `docs/charging-profiles.md` §5 (rust-ocpp 3.0.4): a 2.1 period may have
/// no `limit`.
#[test]
fn a_2_1_period_without_limit_deserialises_and_installs_as_2_1_only() {
    let text = fixture("v21/no_limit_specified/TxProfile.json");
    let p = ChargingProfile::from_json(&text).unwrap();
    assert_eq!(
        p.charging_schedule[0].charging_schedule_period[0].limit,
        None
    );
    let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    st.start_transaction(1, t(18, 0), None).unwrap();
    let e = st.install(&text, 1, ProfileVersion::V201).unwrap_err();
    assert_eq!(e.rule(), Some(Rule::Schema));
    st.install(&text, 1, ProfileVersion::V21).unwrap();
    // The period applies but sets no limit: the default is reported (as EVerest does for
    // a ChargingOnly period without limit).
    let s = st
        .composite_schedule(1, t(18, 0), 600, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(s.periods[0].limit, Some(Decimal::from(48)));
    assert_eq!(s.periods[0].number_phases, Some(3));
}

#[test]
fn conversion_to_1_6_refuses_what_1_6_cannot_say() {
    let v2 = |purpose: &str, kind: &str, tx: &str| {
        ChargingProfile::from_json(&format!(
            r#"{{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "{purpose}",
            "chargingProfileKind": "{kind}", {tx} "chargingSchedule": [{{"id": 1,
            "chargingRateUnit": "A", "chargingSchedulePeriod": [{{"startPeriod": 0, "limit": 16.07}}]}}]}}"#
        ))
        .unwrap()
    };
    for p in [
        v2("ChargingStationExternalConstraints", "Relative", ""),
        v2("TxProfile", "Dynamic", ""),
        v2("TxProfile", "Relative", r#""transactionId": "f1522902","#),
    ] {
        let e = ChargingProfile16::try_from(&p).unwrap_err();
        assert!(matches!(
            e,
            Error::NotRepresentable { ref version, .. } if *version == ProfileVersion::V16.to_string()
        ));
    }
    // Limits are floored to the 1.6 grid of 0.1, never rounded up.
    let p16 =
        ChargingProfile16::try_from(&v2("TxProfile", "Relative", r#""transactionId": "77","#))
            .unwrap();
    assert_eq!(
        p16.charging_schedule.charging_schedule_period[0]
            .limit
            .to_string(),
        "16.0"
    );
    assert_eq!(p16.transaction_id, Some(77));
}

#[test]
fn malformed_json_names_the_field() {
    let e = ChargingProfile::from_json(
        r#"{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": [{"id": 1, "chargingRateUnit": "kW",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 1}]}]}"#,
    )
    .unwrap_err();
    let Error::InvalidProfile { field, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(field, "chargingSchedule[0].chargingRateUnit");
    let e = ChargingProfile::from_json(r#"{"id": 1, "stackLevel": -1}"#).unwrap_err();
    assert!(e.to_string().contains("stackLevel"), "{e}");
    assert!(ChargingProfile::from_json("[1,").is_err());
}
