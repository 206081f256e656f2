//! The field cases of `docs/metering.md` §8 as regression tests.
//! Each test names its story number and the field report it comes from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::meter::{AnomalyKind, EnergyMethod, MeterPolicy};
use chargekit::ocpp::OcppVersion::{V16, V201};
use chargekit::session::{sessions_from_log, SessionAssembler, SessionState, TransactionKey};
use common::*;
use serde_json::json;

/// 1 (citrineos-core PR #1060): an offline Begin=0 must not make the lifetime register billable.
#[test]
fn story01_begin_zero_placeholder() {
    let s = one(
        V201,
        &[
            ev201(
                "a",
                "T1",
                "Started",
                0,
                0,
                Some("Charging"),
                vec![reg201_ctx("0", "Transaction.Begin")],
                json!({"evse": {"id": 1, "connectorId": 1}}),
            ),
            ev201(
                "b",
                "T1",
                "Updated",
                1,
                5,
                Some("Charging"),
                vec![reg201("910031")],
                json!({}),
            ),
            ev201(
                "c",
                "T1",
                "Updated",
                2,
                10,
                Some("Charging"),
                vec![reg201("910072")],
                json!({}),
            ),
            ev201(
                "d",
                "T1",
                "Ended",
                3,
                15,
                None,
                vec![reg201_ctx("910114", "Transaction.End")],
                json!({}),
            ),
        ],
    );
    assert_eq!(s.energy_wh, dec("83"));
    assert_eq!(kinds(&s), vec!["begin_zero_placeholder"]);
    // The TrustBegin policy reproduces the peer bug on purpose.
    let trusting = MeterPolicy {
        begin_zero: chargekit::meter::BeginZeroPolicy::TrustBegin,
        allow_implausible: true,
        ..MeterPolicy::default()
    };
    let lines = [
        ev201(
            "a",
            "T1",
            "Started",
            0,
            0,
            None,
            vec![reg201_ctx("0", "Transaction.Begin")],
            json!({}),
        ),
        ev201(
            "d",
            "T1",
            "Ended",
            1,
            15,
            None,
            vec![reg201_ctx("910114", "Transaction.End")],
            json!({}),
        ),
    ];
    let s = &sessions_from_log("CP", &log(&lines), Some(V201), &trusting).unwrap()[0];
    assert_eq!(s.energy_wh, dec("910114"));
}

fn basic201(tx: &str) -> Vec<String> {
    vec![
        ev201(
            "a",
            tx,
            "Started",
            0,
            0,
            Some("Charging"),
            vec![reg201_ctx("1000", "Transaction.Begin")],
            json!({"evse": {"id": 2, "connectorId": 1}, "idToken": {"idToken": "ABC", "type": "ISO14443"}}),
        ),
        ev201(
            "b",
            tx,
            "Updated",
            1,
            10,
            Some("Charging"),
            vec![reg201("2000")],
            json!({}),
        ),
        ev201(
            "c",
            tx,
            "Updated",
            2,
            20,
            Some("SuspendedEV"),
            vec![reg201("3000")],
            json!({}),
        ),
        ev201(
            "d",
            tx,
            "Ended",
            3,
            40,
            None,
            vec![reg201_ctx("3000", "Transaction.End")],
            json!({"transactionInfo": {"stoppedReason": "EVDisconnected"}}),
        ),
    ]
}

/// 2 (citrineos-core PR #1053): a queued Ended that arrives last still closes the session.
#[test]
fn story02_late_queued_ended_closes() {
    let mut lines = basic201("T2");
    let ended = lines.remove(3);
    let mut a = SessionAssembler::new("CP", Some(V201), MeterPolicy::default());
    a.feed_log(&log(&lines)).unwrap();
    assert!(!a.single_session().unwrap().is_ended());
    a.feed_log(&ended).unwrap();
    let s = a.single_session().unwrap();
    assert!(s.is_ended());
    assert_eq!(s.state(), SessionState::Ended);
    assert_eq!(s.stop_reason.as_deref(), Some("EVDisconnected"));
    assert_eq!(s.energy_wh, dec("2000"));
}

/// 3 (citrineos #204, PR #741): an Updated event after Ended does not change the totals.
#[test]
fn story03_update_after_end_is_history() {
    let mut lines = basic201("T3");
    lines.push(ev201(
        "e",
        "T3",
        "Updated",
        4,
        45,
        Some("Charging"),
        vec![reg201("9000")],
        json!({}),
    ));
    let s = one(V201, &lines);
    assert_eq!(s.energy_wh, dec("2000"));
    assert!(s.is_ended());
    assert_eq!(kinds(&s), vec!["after_end"]);
    assert!(
        s.readings.iter().any(|r| r.raw == "9000"),
        "late reading kept as history"
    );
}

/// 4 (citrineos-core PR #395): phase-only and interval-only inputs still give the energy.
#[test]
fn story04_phase_sum_and_interval() {
    let ph = |v1: &str, v2: &str, v3: &str| {
        vec![
            json!({"value": v1, "measurand": "Energy.Active.Import.Register", "phase": "L1"}),
            json!({"value": v2, "measurand": "Energy.Active.Import.Register", "phase": "L2"}),
            json!({"value": v3, "measurand": "Energy.Active.Import.Register", "phase": "L3"}),
        ]
    };
    let s = one(
        V16,
        &[
            start16("s", 1, 600, 0),
            start_result("s", 10),
            mv16("m1", 1, Some(10), 1, ph("100", "200", "300")),
            mv16("m2", 1, Some(10), 11, ph("700", "800", "900")),
            stop16("x", 10, 2400, 12),
        ],
    );
    assert_eq!(s.energy_method, EnergyMethod::PhaseSum);
    assert_eq!(s.energy_wh, dec("1800"));

    let iv = |v: &str| vec![json!({"value": v, "measurand": "Energy.Active.Import.Interval"})];
    let s = one(
        V16,
        &[
            start16("s", 1, 0, 0),
            start_result("s", 11),
            mv16("m1", 1, Some(11), 5, iv("400")),
            mv16("m2", 1, Some(11), 10, iv("500")),
            mv16("m3", 1, Some(11), 15, iv("450")),
            call(
                "x",
                "StopTransaction",
                json!({"transactionId": 11, "meterStop": 0, "timestamp": t(15)}),
            ),
        ],
    );
    assert_eq!(s.energy_method, EnergyMethod::Interval);
    assert_eq!(
        s.energy_wh,
        dec("1350"),
        "intervals are summed, never differenced"
    );
}

/// 5 (lbbrhzn/ocpp #2135, PR #2141): shuffled, duplicated and offline events; connector inherited.
#[test]
fn story05_shuffled_duplicated_offline() {
    let mut lines = basic201("T5");
    lines[1] = lines[1].replace("\"seqNo\":1", "\"offline\":true,\"seqNo\":1");
    let mut shuffled = vec![
        lines[3].clone(),
        lines[1].clone(),
        lines[0].clone(),
        lines[2].clone(),
    ];
    // Same event delivered again under a new message id.
    shuffled.push(lines[1].replacen("\"b\"", "\"b-replay\"", 1));
    let s = one(V201, &shuffled);
    assert_eq!(s.energy_wh, dec("2000"));
    assert_eq!(s.evse_id, Some(2));
    assert_eq!(
        s.connector_id,
        Some(1),
        "connector inherited from the first event, never assumed"
    );
    assert!(kinds(&s).contains(&"duplicate"));
    assert!(kinds(&s).contains(&"out_of_order"));
    assert!(s.readings.iter().any(|r| r.source.offline));
    assert_eq!(s.energy_wh, one(V201, &basic201("T5")).energy_wh);
}

fn basic16(tx: i64) -> Vec<String> {
    vec![
        status16("p", 1, "Preparing", -1),
        start16("s", 1, 5000, 0),
        start_result("s", tx),
        status16("c", 1, "Charging", 0),
        reg16("m1", 1, tx, 10, "6000"),
        reg16("m2", 1, tx, 20, "7000"),
        status16("f", 1, "SuspendedEV", 25),
        reg16("m3", 1, tx, 30, "7500"),
        stop16("x", tx, 7500, 40),
    ]
}

/// 6 (lbbrhzn/ocpp PR #2075): values after StopTransaction do not revive the session.
#[test]
fn story06_values_after_stop_do_not_revive() {
    let mut lines = basic16(60);
    lines.push(reg16("late", 1, 60, 50, "7600"));
    let s = one(V16, &lines);
    assert!(s.is_ended());
    assert_eq!(s.end.unwrap().to_rfc3339(), "2026-03-10T08:40:00+00:00");
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(kinds(&s), vec!["after_end"]);
}

/// 7 (lbbrhzn/ocpp #1756; #374): a register that drops to 0 for one sample is a dip.
#[test]
fn story07_dip_ignored() {
    let mut lines = basic16(70);
    lines[5] = reg16("m2", 1, 70, 20, "0");
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(kinds(&s), vec!["dip"]);
}

/// 8 (lbbrhzn/ocpp #1466, #1838): a stale Begin value next to a newer periodic value in one
/// message does not override it.
#[test]
fn story08_begin_does_not_override_newer_periodic() {
    let s = one(
        V16,
        &[
            start16("s", 1, 1000, 0),
            start_result("s", 80),
            mv16(
                "m1",
                1,
                Some(80),
                10,
                vec![
                    sv_ctx("1000", "Transaction.Begin"),
                    sv_ctx("1800", "Sample.Periodic"),
                ],
            ),
            reg16("m2", 1, 80, 20, "2600"),
            stop16("x", 80, 2600, 20),
        ],
    );
    assert_eq!(s.energy_wh, dec("1600"));
    assert!(
        kinds(&s).contains(&"out_of_order"),
        "the stale value is reported"
    );
}

/// 9 (lbbrhzn/ocpp #1069): energy is never negative, even when meterStart is above the series.
#[test]
fn story09_never_negative() {
    let s = one(
        V16,
        &[
            start16("s", 1, 9000, 0),
            start_result("s", 90),
            reg16("m1", 1, 90, 10, "4000"),
            reg16("m2", 1, 90, 20, "4500"),
            stop16("x", 90, 4500, 20),
        ],
    );
    assert_eq!(s.energy_wh, dec("500"));
    assert!(kinds(&s).contains(&"start_stop_mismatch"));
    let s = one(
        V16,
        &[
            start16("s", 1, 9000, 0),
            start_result("s", 91),
            stop16("x", 91, 4500, 20),
        ],
    );
    assert_eq!(s.energy_wh, dec("0"));
    assert_eq!(kinds(&s), vec!["start_stop_mismatch"]);
}

/// 10 (OpenEVSE #703): kWh numbers labelled Wh are detected by the factor 1000 to the power samples.
#[test]
fn story10_kwh_labelled_wh() {
    let p = |e: &str, w: &str| {
        vec![
            json!({"value": e, "measurand": "Energy.Active.Import.Register", "unit": "Wh"}),
            json!({"value": w, "measurand": "Power.Active.Import", "unit": "W"}),
        ]
    };
    let lines = [
        start16("s", 1, 0, 0),
        start_result("s", 100),
        status16("c", 1, "Charging", 0),
        mv16("m1", 1, Some(100), 0, p("100.000", "7200")),
        mv16("m2", 1, Some(100), 30, p("103.600", "7200")),
        mv16("m3", 1, Some(100), 60, p("107.200", "7200")),
        call(
            "x",
            "StopTransaction",
            json!({"transactionId": 100, "meterStop": 107, "timestamp": t(60)}),
        ),
    ];
    let s = one(V16, &lines);
    assert!(kinds(&s).contains(&"unit_suspect"));
    assert_eq!(
        s.energy_wh,
        dec("7.200"),
        "flagged, not changed, by default"
    );
    let fix = MeterPolicy {
        unit_suspect: chargekit::meter::UnitSuspectPolicy::AutoCorrect,
        ..MeterPolicy::default()
    };
    let s = &sessions_from_log("CP", &log(&lines), Some(V16), &fix).unwrap()[0];
    assert_eq!(s.energy_wh, dec("7200"));
}

/// 11 (steve #1962): samples outside the transaction window are flagged and not counted.
#[test]
fn story11_out_of_window() {
    let mut lines = basic16(110);
    lines.push(reg16("early", 1, 110, -30, "100"));
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2500"));
    // It also arrived after later messages, which is reported too.
    assert_eq!(kinds(&s), vec!["out_of_order", "clock_suspect"]);
}

/// 12 (steve #1264): a station that sends meterStop == meterStart; the series wins.
#[test]
fn story12_start_equals_stop() {
    let mut lines = basic16(120);
    lines[8] = stop16("x", 120, 5000, 40);
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(s.energy_method, EnergyMethod::Register);
    assert_eq!(kinds(&s), vec!["start_stop_mismatch"]);
}

/// 13 (steve #1004, #22, #738): units vary in case and scale within one session.
#[test]
fn story13_unit_case_and_scale() {
    let e = |v: &str, u: &str| {
        vec![json!({"value": v, "measurand": "Energy.Active.Import.Register", "unit": u})]
    };
    let s = one(
        V16,
        &[
            start16("s", 1, 5000, 0),
            start_result("s", 130),
            mv16("m1", 1, Some(130), 10, e("5.5", "kWh")),
            mv16("m2", 1, Some(130), 20, e("6500", "WH")),
            mv16("m3", 1, Some(130), 30, e("7.25", "kwh")),
            stop16("x", 130, 7250, 30),
        ],
    );
    assert_eq!(s.energy_wh, dec("2250"));
    assert!(s.anomalies.is_empty(), "{:?}", s.anomalies);
    let r = s.readings.iter().find(|r| r.raw == "7.25").unwrap();
    assert_eq!(r.unit_raw.as_deref(), Some("kwh"));
    assert_eq!(r.value, Some(dec("7250")));
}

/// 14 (steve #136): a station clock in the wrong time zone shows up against the receive time.
#[test]
fn story14_wrong_time_zone() {
    let frame = reg16("m1", 1, 140, 10, "6000");
    let envelope = json!({"received_at": t(10 - 60), "frame": serde_json::from_str::<serde_json::Value>(&frame).unwrap()}).to_string();
    let mut lines = basic16(140);
    lines[4] = envelope;
    let s = one(V16, &lines);
    assert_eq!(kinds(&s), vec!["clock_suspect"]);
    let r = s.readings.iter().find(|r| r.raw == "6000").unwrap();
    assert!(r.ts_received.is_some(), "both timestamps are kept");
}

/// 15 (Java-OCA-OCPP #331): meterStop per session and per lifetime both work.
#[test]
fn story15_both_register_bases() {
    let zero_based = one(
        V16,
        &[
            start16("s", 1, 0, 0),
            start_result("s", 150),
            reg16("m", 1, 150, 10, "1200"),
            stop16("x", 150, 2400, 20),
        ],
    );
    assert_eq!(zero_based.energy_wh, dec("2400"));
    assert!(zero_based.anomalies.is_empty());
    let lifetime = one(
        V16,
        &[
            start16("s", 1, 1_000_000, 0),
            start_result("s", 151),
            reg16("m", 1, 151, 10, "1001200"),
            stop16("x", 151, 1_002_400, 20),
        ],
    );
    assert_eq!(lifetime.energy_wh, dec("2400"));
    assert!(lifetime.anomalies.is_empty());
}

/// 16 (MicroOcpp #66): meterStart on another base than the MeterValues; the series is trusted.
#[test]
fn story16_meter_start_other_base() {
    let s = one(
        V16,
        &[
            start16("s", 1, 0, 0),
            start_result("s", 160),
            reg16("m1", 1, 160, 3, "2000000"),
            reg16("m2", 1, 160, 33, "2004000"),
            reg16("m3", 1, 160, 63, "2008000"),
            stop16("x", 160, 2_008_000, 63),
        ],
    );
    assert_eq!(s.energy_wh, dec("8000"));
    assert_eq!(kinds(&s), vec!["start_stop_mismatch"]);
}

/// 17 (MicroOcpp #311): 1970 timestamps before time sync are flagged and kept out of the energy.
#[test]
fn story17_pre_sync_timestamps() {
    let mut lines = basic16(170);
    lines.push(call(
        "old",
        "MeterValues",
        json!({"connectorId": 1, "transactionId": 170, "meterValue": [{"timestamp": "1970-01-01T00:00:12Z", "sampledValue": [{"value": "5100"}]}]}),
    ));
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(kinds(&s), vec!["clock_suspect"]);
    assert!(s.readings.iter().any(|r| r.raw == "5100"), "kept, flagged");
}

/// 18 (libocpp #445): clock-aligned samples a few seconds off the boundary are normal.
#[test]
fn story18_clock_aligned_tolerance() {
    let clock = |uid: &str, ts: &str, v: &str| {
        call(
            uid,
            "MeterValues",
            json!({"connectorId": 1, "transactionId": 180, "meterValue": [{"timestamp": ts, "sampledValue": [{"value": v, "context": "Sample.Clock"}]}]}),
        )
    };
    let s = one(
        V16,
        &[
            start16("s", 1, 1000, 0),
            start_result("s", 180),
            clock("c1", "2026-03-10T08:15:03Z", "1500"),
            clock("c2", "2026-03-10T08:29:58Z", "2000"),
            stop16("x", 180, 2300, 40),
        ],
    );
    assert_eq!(s.energy_wh, dec("1300"));
    assert!(s.anomalies.is_empty(), "{:?}", s.anomalies);
    let ignore = MeterPolicy {
        clock_aligned: chargekit::meter::ClockAlignedPolicy::Ignore,
        ..MeterPolicy::default()
    };
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 180),
        clock("c1", "2026-03-10T08:15:03Z", "1500"),
        stop16("x", 180, 2300, 40),
    ];
    let s = &sessions_from_log("CP", &log(&lines), Some(V16), &ignore).unwrap()[0];
    assert_eq!(s.energy_method, EnergyMethod::StartStop);
}

/// 19 (libocpp #495, PR #551; open-ocpp #24): values sent with id −1 while offline join the
/// transaction once its real id is known.
#[test]
fn story19_negative_ids_rekeyed() {
    let s = one(
        V16,
        &[
            start16("s", 1, 1000, 0),
            start_result("s", 190),
            reg16("m1", 1, -1, 10, "2000"),
            reg16("m2", 1, -1, 20, "3000"),
            stop16("x", 190, 3500, 30),
        ],
    );
    assert_eq!(s.key, TransactionKey::Ocpp16(190));
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(
        s.readings
            .iter()
            .filter(|r| r.raw == "2000" || r.raw == "3000")
            .count(),
        2
    );
    // With no transaction to join, they form a local session rather than being dropped.
    let s = one(
        V16,
        &[
            reg16("m1", 2, -1, 10, "2000"),
            reg16("m2", 2, -1, 20, "3000"),
        ],
    );
    assert!(matches!(s.key, TransactionKey::Local(_)));
    assert_eq!(s.energy_wh, dec("1000"));
}

/// 20 (libocpp #907): StopTransaction sent twice after an offline stop and a reboot.
#[test]
fn story20_duplicate_stop() {
    let mut lines = basic16(200);
    lines.push(stop16("x-again", 200, 7500, 40));
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2500"));
    assert_eq!(kinds(&s), vec!["duplicate"]);
}

/// 21 (libocpp #580): `evse` only in the first TransactionEvent.
#[test]
fn story21_evse_inherited() {
    let s = one(V201, &basic201("T21"));
    assert_eq!((s.evse_id, s.connector_id), (Some(2), Some(1)));
    assert_eq!(s.id_token.as_deref(), Some("ABC"));
}

/// 22 (EVerest PRs #2252, #2259, #2214; #339): a signed Begin value arriving in MeterValues
/// after StartTransaction is kept with its signature and does not break the series.
#[test]
fn story22_signed_begin_in_meter_values() {
    let signed = "OCMF|{\"FV\":\"1.0\",\"RD\":[{\"RV\":1.0,\"RU\":\"kWh\"}]}|{\"SD\":\"3045\"}";
    let s = one(
        V16,
        &[
            start16("s", 1, 1000, 0),
            start_result("s", 220),
            mv16(
                "sig",
                1,
                Some(220),
                1,
                vec![
                    json!({"value": signed, "format": "SignedData", "context": "Transaction.Begin"}),
                ],
            ),
            reg16("m1", 1, 220, 10, "1600"),
            stop16("x", 220, 2000, 20),
        ],
    );
    assert_eq!(s.energy_wh, dec("1000"));
    assert!(s.anomalies.is_empty(), "{:?}", s.anomalies);
    assert!(s
        .readings
        .iter()
        .any(|r| r.signed_data.as_deref() == Some(signed)));
}

/// 23 (ev-dashboard #1817; ev-server PR #3823): values with transactionId 0 and kWh units.
#[test]
fn story23_transaction_id_zero_kwh() {
    let e = |v: &str| {
        vec![json!({"value": v, "measurand": "Energy.Active.Import.Register", "unit": "kWh"})]
    };
    let s = one(
        V16,
        &[
            start16("s", 2, 1000, 0),
            start_result("s", 230),
            mv16("m1", 2, Some(0), 10, e("1.5")),
            mv16("m2", 2, Some(0), 20, e("2.25")),
            stop16("x", 230, 2500, 30),
        ],
    );
    assert_eq!(s.key, TransactionKey::Ocpp16(230));
    assert_eq!(s.energy_wh, dec("1500"));
    assert!(s.readings.iter().any(|r| r.value == Some(dec("2250"))));
}

/// The kinds used above are the closed public set.
#[test]
fn anomaly_names_are_stable() {
    let names: Vec<_> = AnomalyKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "duplicate",
            "out_of_order",
            "missing_seq_no",
            "dip",
            "meter_reset",
            "rollover",
            "implausible_power",
            "begin_zero_placeholder",
            "start_stop_mismatch",
            "unit_suspect",
            "unknown_unit",
            "unparseable",
            "clock_suspect",
            "after_end",
            "unmatched_start"
        ]
    );
}
