//! OCPP 2.1 in the session reducer: version detection, bidirectional (V2X) energy with the
//! discharging state, and the 2.1 transaction fields a session keeps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chargekit::meter::{AnomalyKind, EnergyMethod, MeterPolicy};
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, PeriodKind, SessionAssembler, SessionState};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn event(
    seq: u64,
    kind: &str,
    at: &str,
    trigger: &str,
    info: Value,
    import_wh: i64,
    export_wh: i64,
) -> Value {
    let ctx = match kind {
        "Started" => "Transaction.Begin",
        "Ended" => "Transaction.End",
        _ => "Sample.Periodic",
    };
    json!([2, format!("m{seq}"), "TransactionEvent", {
        "eventType": kind, "timestamp": at, "triggerReason": trigger, "seqNo": seq,
        "transactionInfo": info,
        "evse": {"id": 1, "connectorId": 1},
        "meterValue": [{"timestamp": at, "sampledValue": [
            {"value": import_wh, "measurand": "Energy.Active.Import.Register", "context": ctx},
            {"value": export_wh, "measurand": "Energy.Active.Export.Register", "context": ctx}
        ]}]
    }])
}

/// Charges 7 kWh in the first hour, waits, discharges 3 kWh from 09:30 to 10:30 under a
/// central setpoint, then waits until it ends at 11:00.
fn v2x_log() -> String {
    let tx = |state: &str| json!({"transactionId": "TX-1", "chargingState": state});
    let mut setpoint = tx("Charging");
    setpoint["operationMode"] = json!("CentralSetpoint");
    let mut started = tx("Charging");
    started["tariffId"] = json!("T-1");
    let mut ended = tx("SuspendedEVSE");
    ended["stoppedReason"] = json!("EVDisconnected");
    let mut end = event(
        4,
        "Ended",
        "2026-03-10T11:00:00Z",
        "EVDeparted",
        ended,
        17000,
        5000,
    );
    end[3]["costDetails"] = json!({"totalCost": {"currency": "EUR", "typeOfCost": "NormalCost",
        "total": {"exclTax": 2.1}}, "totalUsage": {"energy": 7000, "chargingTime": 3600, "idleTime": 3600}});
    let frames = [
        event(
            0,
            "Started",
            "2026-03-10T08:00:00Z",
            "Authorized",
            started,
            10000,
            2000,
        ),
        event(
            1,
            "Updated",
            "2026-03-10T09:00:00Z",
            "ChargingStateChanged",
            tx("SuspendedEV"),
            17000,
            2000,
        ),
        event(
            2,
            "Updated",
            "2026-03-10T09:30:00Z",
            "OperationModeChanged",
            setpoint,
            17000,
            2000,
        ),
        event(
            3,
            "Updated",
            "2026-03-10T10:30:00Z",
            "ChargingStateChanged",
            tx("SuspendedEVSE"),
            17000,
            5000,
        ),
        end,
    ];
    frames
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_v2x_session_knows_import_export_and_net() {
    let sessions = sessions_from_log("CP", &v2x_log(), None, &MeterPolicy::default()).unwrap();
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    // `operationMode` and `OperationModeChanged` exist only in 2.1.
    assert_eq!(s.version, OcppVersion::V21);
    // Import 17000 − 10000 = 7000 Wh; export 5000 − 2000 = 3000 Wh; net 7000 − 3000 = 4000 Wh.
    assert_eq!(s.energy_wh, d("7000"));
    assert_eq!(s.energy_export_wh, d("3000"));
    assert_eq!(s.energy_net_wh, d("4000"));
    assert_eq!(s.export_method, EnergyMethod::Register);
    assert!(s.is_bidirectional());
    // 08:00 charging, 09:00 suspended, 09:30–10:30 the export rises: discharging.
    let states: Vec<(String, SessionState)> = s
        .timeline
        .iter()
        .map(|c| (c.at.format("%H:%M").to_string(), c.state))
        .collect();
    let want = [
        ("08:00", SessionState::Charging),
        ("09:00", SessionState::SuspendedEv),
        ("09:30", SessionState::Discharging),
        ("10:30", SessionState::SuspendedEvse),
        ("11:00", SessionState::Ended),
    ];
    let want: Vec<(String, SessionState)> = want.iter().map(|(t, s)| (t.to_string(), *s)).collect();
    assert_eq!(states, want);
    // 3 h in all: 1 h charging, 1 h discharging, 1 h idle (09:00–09:30 and 10:30–11:00).
    assert_eq!(
        (s.charging_s, s.discharging_s, s.idle_s),
        (3600, 3600, 3600)
    );
    // The charging periods carry each flow's energy.
    let periods = s.charging_periods();
    let summary: Vec<(SessionState, PeriodKind, Decimal, Decimal)> = periods
        .iter()
        .map(|p| (p.state, p.kind, p.energy_wh, p.energy_export_wh))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                SessionState::Charging,
                PeriodKind::Charging,
                d("7000"),
                d("0")
            ),
            (SessionState::SuspendedEv, PeriodKind::Idle, d("0"), d("0")),
            (
                SessionState::Discharging,
                PeriodKind::Charging,
                d("0"),
                d("3000")
            ),
            (
                SessionState::SuspendedEvse,
                PeriodKind::Idle,
                d("0"),
                d("0")
            ),
        ]
    );
    assert_eq!(s.tariff_id.as_deref(), Some("T-1"));
    let reported: Value =
        serde_json::from_str(s.reported_cost_details.as_deref().unwrap()).unwrap();
    assert_eq!(reported["totalUsage"]["energy"], json!(7000));
}

#[test]
fn a_session_without_export_is_unchanged() {
    let log = v2x_log().replace("Energy.Active.Export.Register", "Voltage");
    let s = &sessions_from_log("CP", &log, None, &MeterPolicy::default()).unwrap()[0];
    assert_eq!(s.energy_wh, d("7000"));
    assert_eq!((s.energy_export_wh, s.energy_net_wh), (d("0"), d("7000")));
    assert_eq!(s.export_method, EnergyMethod::NoData);
    assert!(!s
        .timeline
        .iter()
        .any(|c| c.state == SessionState::Discharging));
    // The 09:30–10:30 span is reported as charging, with no energy either way.
    assert_eq!((s.charging_s, s.discharging_s, s.idle_s), (7200, 0, 3600));
}

#[test]
fn export_register_anomalies_are_reported_like_import_ones() {
    // The export register falls back from 5000 to 1000 Wh at 10:30 (a meter swap or reset).
    let log = v2x_log().replacen(
        r#"{"context":"Sample.Periodic","measurand":"Energy.Active.Export.Register","value":5000}"#,
        r#"{"context":"Sample.Periodic","measurand":"Energy.Active.Export.Register","value":1000}"#,
        1,
    );
    assert_ne!(
        log,
        v2x_log(),
        "the fixture must contain the replaced value"
    );
    let s = &sessions_from_log("CP", &log, None, &MeterPolicy::default()).unwrap()[0];
    let export_anomalies: Vec<_> = s
        .anomalies
        .iter()
        .filter(|a| a.detail.starts_with("export energy: "))
        .collect();
    assert!(!export_anomalies.is_empty(), "{:?}", s.anomalies);
    assert!(export_anomalies
        .iter()
        .all(|a| a.kind != AnomalyKind::UnitSuspect));
    // The import is untouched by the export's trouble.
    assert_eq!(s.energy_wh, d("7000"));
}

#[test]
fn version_21_is_detected_given_or_refused_for_a_declared_201_log() {
    let log = v2x_log();
    let given =
        sessions_from_log("CP", &log, Some(OcppVersion::V21), &MeterPolicy::default()).unwrap();
    assert_eq!(given[0].version, OcppVersion::V21);
    let err = sessions_from_log("CP", &log, Some(OcppVersion::V201), &MeterPolicy::default())
        .unwrap_err();
    assert_eq!(err.kind(), "unsupported_version");
    assert!(err.to_string().contains("2.1"), "{err}");
    // Fed frame by frame (the plain seqNo 1 first), the station turns 2.1 at the first 2.1
    // message; sessions derived before it are re-derived as 2.1.
    let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
    let lines: Vec<&str> = log.lines().collect();
    a.feed_log(lines[1]).unwrap();
    a.drain_events().unwrap();
    assert_eq!(a.version(), Some(OcppVersion::V201));
    assert_eq!(a.sessions().unwrap()[0].version, OcppVersion::V201);
    for l in [lines[0], lines[2], lines[3], lines[4]] {
        a.feed_log(l).unwrap();
    }
    assert_eq!(a.version(), Some(OcppVersion::V21));
    let live = a.sessions().unwrap();
    let same_order = [lines[1], lines[0], lines[2], lines[3], lines[4]].join("\n");
    let bulk = sessions_from_log("CP", &same_order, None, &MeterPolicy::default()).unwrap();
    assert_eq!(live, bulk);
    assert_eq!(live[0].version, OcppVersion::V21);
    // A checkpoint keeps what was declared (nothing) and what was seen (2.1).
    let restored = SessionAssembler::restore(&a.snapshot()).unwrap();
    assert_eq!(restored.version(), Some(OcppVersion::V21));
    assert_eq!(restored.sessions().unwrap(), live);
}

#[test]
fn a_2_1_only_measurand_is_read_and_tells_the_version() {
    let log = v2x_log()
        .replace("OperationModeChanged", "ChargingStateChanged")
        .replace(r#""operationMode":"CentralSetpoint","#, "");
    let s = &sessions_from_log("CP", &log, None, &MeterPolicy::default()).unwrap()[0];
    // Nothing 2.1-only is left except the tariff id and cost details.
    assert_eq!(s.version, OcppVersion::V21);
    let plain = log
        .replace(r#""tariffId":"T-1","#, "")
        .replace(r#""costDetails""#, r#""x""#);
    let s = &sessions_from_log("CP", &plain, None, &MeterPolicy::default()).unwrap()[0];
    assert_eq!(s.version, OcppVersion::V201);
    let setpoint = plain.replace("\"Voltage\"", "\"Power.Active.Setpoint\"").replacen(
        r#"{"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","value":17000}"#,
        r#"{"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","value":17000},{"measurand":"Power.Active.Setpoint","value":-3000}"#,
        1,
    );
    assert_ne!(setpoint, plain);
    let s = &sessions_from_log("CP", &setpoint, None, &MeterPolicy::default()).unwrap()[0];
    assert_eq!(s.version, OcppVersion::V21);
    assert!(s
        .readings
        .iter()
        .any(|r| r.measurand.as_str() == "Power.Active.Setpoint" && r.value == Some(d("-3000"))));
}

#[test]
fn an_ocpi_2_3_cdr_carries_both_flows_and_2_2_1_does_not() {
    use chargekit::session::CdrOptions;
    let s = &sessions_from_log("CP", &v2x_log(), None, &MeterPolicy::default()).unwrap()[0];
    let v23 = s
        .to_ocpi_cdr(&CdrOptions {
            ocpi_version: "2.3.0".into(),
            ..CdrOptions::default()
        })
        .unwrap();
    let dims = |cdr: &Value, i: usize| -> Vec<(String, String)> {
        cdr["charging_periods"][i]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["type"].as_str().unwrap().starts_with("ENERGY"))
            .map(|d| {
                (
                    d["type"].as_str().unwrap().to_string(),
                    d["volume"].to_string(),
                )
            })
            .collect()
    };
    let pair = |t: &str, v: &str| (t.to_string(), v.to_string());
    // Period 0 (08:00–09:00): 7 kWh in, none out. Period 2 (09:30–10:30): 3 kWh out.
    assert_eq!(
        dims(&v23, 0),
        vec![
            pair("ENERGY", "7"),
            pair("ENERGY_IMPORT", "7"),
            pair("ENERGY_EXPORT", "0")
        ]
    );
    assert_eq!(
        dims(&v23, 2),
        vec![
            pair("ENERGY", "0"),
            pair("ENERGY_IMPORT", "0"),
            pair("ENERGY_EXPORT", "3")
        ]
    );
    assert_eq!(v23["total_energy"].to_string(), "7");
    let v221 = s.to_ocpi_cdr(&CdrOptions::default()).unwrap();
    assert_eq!(dims(&v221, 2), vec![pair("ENERGY", "0")]);
    let bad = s.to_ocpi_cdr(&CdrOptions {
        ocpi_version: "3.0".into(),
        ..CdrOptions::default()
    });
    assert_eq!(bad.unwrap_err().kind(), "unsupported_version");
}

#[test]
fn a_1_6_session_keeps_its_stable_key_when_its_transaction_id_arrives() {
    let start = r#"[2,"s","StartTransaction",{"connectorId":2,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]"#;
    let answer = r#"[3,"s",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}]"#;
    let mut a = SessionAssembler::new("CP-1", None, MeterPolicy::default());
    a.feed_log(start).unwrap();
    let before = a.current_session().unwrap().unwrap();
    a.feed_log(answer).unwrap();
    let after = a.current_session().unwrap().unwrap();
    assert!(
        before.key.to_string().starts_with("local:"),
        "{}",
        before.key
    );
    assert_eq!(after.key.to_string(), "77");
    assert_eq!(before.stable_key, "CP-1/2/2026-03-10T08:00:00Z");
    assert_eq!(after.stable_key, before.stable_key);
    // 2.x: the station assigns the id from the first event on.
    let s = &sessions_from_log("CP", &v2x_log(), None, &MeterPolicy::default()).unwrap()[0];
    assert_eq!(s.stable_key, "CP/TX-1");
    // No session yet is None, not an error.
    let empty = SessionAssembler::new("CP", None, MeterPolicy::default());
    assert_eq!(empty.current_session().unwrap(), None);
}
