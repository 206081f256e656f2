//! Each named MeterPolicy option changes the result the way its name says, and the
//! anomaly kinds not covered by the failure stories (rollover, implausible power).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::meter::*;
use chargekit::ocpp::OcppVersion::{V16, V201};
use chargekit::session::{sessions_from_log, Session, SessionState};
use common::*;
use serde_json::json;

fn with(policy: MeterPolicy, version: chargekit::ocpp::OcppVersion, lines: &[String]) -> Session {
    let mut s = sessions_from_log("CP", &log(lines), Some(version), &policy).unwrap();
    assert_eq!(s.len(), 1);
    s.remove(0)
}

#[test]
fn rollover_at_a_power_of_ten() {
    let s = one(
        V16,
        &[
            start16("s", 1, 99_000, 0),
            start_result("s", 1),
            reg16("a", 1, 1, 10, "99900"),
            reg16("b", 1, 1, 20, "300"),
            stop16("x", 1, 800, 30),
        ],
    );
    assert_eq!(s.energy_wh, dec("1800"));
    assert!(kinds(&s).contains(&"rollover"));
}

#[test]
fn implausible_jump_is_left_out_unless_allowed() {
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 2),
        reg16("a", 1, 2, 10, "2000"),
        reg16("b", 1, 2, 11, "802000"),
        reg16("c", 1, 2, 20, "803000"),
        stop16("x", 2, 803000, 20),
    ];
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("2000"));
    assert!(kinds(&s).contains(&"implausible_power"));
    let p = MeterPolicy {
        allow_implausible: true,
        ..MeterPolicy::default()
    };
    assert_eq!(with(p, V16, &lines).energy_wh, dec("802000"));
    // A lower rated power makes smaller jumps implausible.
    let p = MeterPolicy {
        rated_power_w: dec("3000"),
        ..MeterPolicy::default()
    };
    let s = with(
        p,
        V16,
        &[
            start16("s", 1, 0, 0),
            start_result("s", 3),
            reg16("a", 1, 3, 60, "11000"),
            stop16("x", 3, 11000, 60),
        ],
    );
    assert_eq!(s.energy_wh, dec("0"));
}

#[test]
fn meter_reset_counts_from_the_new_baseline() {
    let lines = [
        start16("s", 1, 5000, 0),
        start_result("s", 4),
        reg16("a", 1, 4, 10, "6000"),
        reg16("b", 1, 4, 20, "200"),
        reg16("c", 1, 4, 30, "900"),
        stop16("x", 4, 900, 30),
    ];
    let s = one(V16, &lines);
    assert_eq!(s.energy_wh, dec("1900"));
    assert!(kinds(&s).contains(&"meter_reset"));
    // TreatAsReset: a dip is also taken as a reset.
    let dip = [
        start16("s", 1, 5000, 0),
        start_result("s", 5),
        reg16("a", 1, 5, 10, "6000"),
        reg16("b", 1, 5, 20, "0"),
        reg16("c", 1, 5, 30, "7000"),
        stop16("x", 5, 7000, 30),
    ];
    assert_eq!(one(V16, &dip).energy_wh, dec("2000"));
    let p = MeterPolicy {
        negative_step: NegativeStepPolicy::TreatAsReset,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &dip);
    assert!(kinds(&s).contains(&"meter_reset"));
    // The simple policy counts the recovery from 0 as new energy: the peer behaviour it models.
    assert_eq!(s.energy_wh, dec("8000"));
}

#[test]
fn prefer_start_stop_and_prefer_interval() {
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 6),
        reg16("a", 1, 6, 10, "1500"),
        reg16("b", 1, 6, 20, "2000"),
        stop16("x", 6, 2600, 30),
    ];
    // meterStop 2600 fits the series end 2000 → counted; no mismatch.
    assert_eq!(one(V16, &lines).energy_wh, dec("1600"));
    let odd = [
        start16("s", 1, 0, 0),
        start_result("s", 7),
        reg16("a", 1, 7, 10, "501500"),
        reg16("b", 1, 7, 20, "502000"),
        stop16("x", 7, 3000, 30),
    ];
    assert_eq!(one(V16, &odd).energy_wh, dec("500"));
    let p = MeterPolicy {
        start_stop: StartStopPolicy::PreferStartStop,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &odd);
    assert_eq!(
        (s.energy_wh, s.energy_method),
        (dec("3000"), EnergyMethod::StartStop)
    );

    let both = |reg: &str, iv: &str| {
        vec![
            json!({"value": reg}),
            json!({"value": iv, "measurand": "Energy.Active.Import.Interval"}),
        ]
    };
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 8),
        mv16("a", 1, Some(8), 10, both("1500", "400")),
        mv16("b", 1, Some(8), 20, both("2000", "450")),
        stop16("x", 8, 2000, 20),
    ];
    assert_eq!(one(V16, &lines).energy_method, EnergyMethod::Register);
    let p = MeterPolicy {
        series: SeriesPreference::PreferInterval,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &lines);
    assert_eq!(
        (s.energy_wh, s.energy_method),
        (dec("850"), EnergyMethod::Interval)
    );
}

#[test]
fn location_policies() {
    let at = |v: &str, loc: &str| vec![json!({"value": v, "location": loc})];
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 9),
        mv16("a", 1, Some(9), 10, at("900000", "Inlet")),
        mv16("b", 1, Some(9), 20, at("901000", "Inlet")),
        mv16("c", 1, Some(9), 10, at("1500", "Cable")),
        mv16("d", 1, Some(9), 20, at("2200", "Cable")),
    ];
    assert_eq!(one(V16, &lines).energy_method, EnergyMethod::NoData);
    let p = MeterPolicy {
        location: LocationPolicy::AnyButInlet,
        ..MeterPolicy::default()
    };
    assert_eq!(with(p, V16, &lines).energy_wh, dec("1200"));
    let p = MeterPolicy {
        location: LocationPolicy::Exact(Location::Inlet),
        ..MeterPolicy::default()
    };
    assert_eq!(with(p, V16, &lines).energy_wh, dec("1000"));
}

#[test]
fn first_sample_context_compatibility() {
    // The second value is a Transaction.Begin register; under FirstSampleContext it is periodic.
    let lines = [
        ev201(
            "a",
            "T",
            "Started",
            0,
            0,
            None,
            vec![
                json!({"value": 5, "measurand": "SoC", "context": "Sample.Periodic"}),
                reg201_ctx("0", "Transaction.Begin"),
            ],
            json!({}),
        ),
        ev201(
            "b",
            "T",
            "Updated",
            1,
            1,
            None,
            vec![reg201("900000")],
            json!({}),
        ),
        ev201(
            "c",
            "T",
            "Ended",
            2,
            10,
            None,
            vec![reg201_ctx("900500", "Transaction.End")],
            json!({}),
        ),
    ];
    assert_eq!(one(V201, &lines).energy_wh, dec("500"));
    let p = MeterPolicy {
        context: ContextPolicy::FirstSampleContext,
        ..MeterPolicy::default()
    };
    let s = with(p, V201, &lines);
    assert!(
        !kinds(&s).contains(&"begin_zero_placeholder"),
        "the Begin context was not seen"
    );
}

#[test]
fn flat_register_idle_detection_and_plug_boundaries() {
    let lines = [
        status16("p", 1, "Preparing", -5),
        start16("s", 1, 1000, 0),
        start_result("s", 10),
        reg16("a", 1, 10, 10, "2000"),
        reg16("b", 1, 10, 20, "2000"),
        reg16("c", 1, 10, 30, "2000"),
        stop16("x", 10, 2000, 30),
        status16("f", 1, "Finishing", 30),
        status16("v", 1, "Available", 45),
    ];
    // No Charging status was sent: the register decides.
    let s = one(V16, &lines);
    assert_eq!(s.charging_s, 600);
    assert_eq!(s.idle_s, 1200);
    let p = MeterPolicy {
        idle_detection: IdleDetection::FlatRegister,
        ..MeterPolicy::default()
    };
    assert_eq!(with(p, V16, &lines).charging_s, 600);
    let p = MeterPolicy {
        boundaries: BoundaryPolicy::PlugInToPlugOut,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &lines);
    assert_eq!(s.start.to_rfc3339(), t(-5).replace('Z', "+00:00"));
    assert_eq!(s.end.unwrap().to_rfc3339(), t(45).replace('Z', "+00:00"));
    assert_eq!(s.overstay_s, 35 * 60);
    assert_eq!(s.energy_wh, dec("1000"));
}

#[test]
fn states_from_status_notifications() {
    let lines = [
        status16("p", 1, "Preparing", -1),
        start16("s", 1, 1000, 0),
        start_result("s", 11),
        status16("c", 1, "Charging", 1),
        reg16("a", 1, 11, 20, "3000"),
        status16("e", 1, "SuspendedEVSE", 20),
        status16("c2", 1, "Charging", 25),
        status16("v", 1, "SuspendedEV", 40),
        reg16("b", 1, 11, 40, "5000"),
        stop16("x", 11, 5000, 60),
    ];
    let s = one(V16, &lines);
    let states: Vec<&str> = s.timeline.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "connected",
            "charging",
            "suspended_evse",
            "charging",
            "suspended_ev",
            "ended"
        ]
    );
    assert_eq!(s.charging_s, (19 + 15) * 60);
    assert_eq!(s.state(), SessionState::Ended);
    let idle: i64 = s
        .charging_periods()
        .iter()
        .filter(|p| p.kind.as_str() == "idle")
        .map(|p| p.duration_s)
        .sum();
    assert_eq!(idle, s.idle_s);
}

#[test]
fn pre_sync_drop_policy() {
    let old = call(
        "old",
        "MeterValues",
        json!({"connectorId": 1, "transactionId": 12, "meterValue": [{"timestamp": "1970-01-01T00:00:09Z", "sampledValue": [{"value": "1100"}]}]}),
    );
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 12),
        old,
        stop16("x", 12, 2000, 10),
    ];
    assert!(one(V16, &lines).readings.iter().any(|r| r.raw == "1100"));
    let p = MeterPolicy {
        pre_sync: PreSyncPolicy::Drop,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &lines);
    assert!(!s.readings.iter().any(|r| r.raw == "1100"));
    assert!(kinds(&s).contains(&"clock_suspect"), "still reported");
}

#[test]
fn late_events_drop_policy() {
    let lines = [
        start16("s", 1, 1000, 0),
        start_result("s", 13),
        stop16("x", 13, 2000, 10),
        reg16("late", 1, 13, 30, "2500"),
    ];
    assert!(one(V16, &lines).readings.iter().any(|r| r.raw == "2500"));
    let p = MeterPolicy {
        late_events: LateEventsPolicy::Drop,
        ..MeterPolicy::default()
    };
    let s = with(p, V16, &lines);
    assert!(!s.readings.iter().any(|r| r.raw == "2500"));
    assert_eq!(kinds(&s), vec!["after_end"]);
}

#[test]
fn policy_json_round_trip() {
    let p = MeterPolicy {
        location: LocationPolicy::Exact(Location::Cable),
        negative_step: NegativeStepPolicy::Error,
        rated_power_w: dec("22000"),
        ..MeterPolicy::default()
    };
    assert_eq!(MeterPolicy::from_json(&p.to_json()).unwrap(), p);
    let e = MeterPolicy::from_json(r#"{"negativ_step": "error"}"#).unwrap_err();
    assert!(e.to_string().contains("negativ_step"), "{e}");
}
