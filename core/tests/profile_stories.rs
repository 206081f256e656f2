//! The field cases of `docs/charging-profiles.md` §5 as regression tests. Each test
//! names its story number and the field report it comes from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::too_many_arguments
)]

use chargekit::profile::{
    plan_tx_profile, read_composite_response, ChargingPreferences, ChargingRateUnit,
    CompositeResponse, CompositeSchedule, GapFill, LimitRounding, LimitSourceKind, PlanContext,
    ProfileVersion, Rule, SmartChargingStation, StationConfig, StationOptions, UnmetWish,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

const V16: ProfileVersion = ProfileVersion::V16;
const V201: ProfileVersion = ProfileVersion::V201;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap()
}

fn ts(offset_s: i64) -> String {
    (t0() + Duration::seconds(offset_s)).to_rfc3339()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn station(evses: &[u32], options: StationOptions) -> SmartChargingStation {
    SmartChargingStation::new(StationConfig {
        options,
        ..StationConfig::with_evses(evses)
    })
    .unwrap()
}

/// A 2.x profile: `periods` as (startPeriod, limit).
fn p2(
    id: i32,
    purpose: &str,
    kind: &str,
    level: u32,
    start: Option<i64>,
    unit: &str,
    periods: &[(u32, &str)],
    extra: Value,
) -> String {
    let mut sched = json!({"id": 1, "chargingRateUnit": unit,
        "chargingSchedulePeriod": periods.iter().map(|(s, l)| json!({"startPeriod": s, "limit": d(l).to_string().parse::<f64>().unwrap()})).collect::<Vec<_>>()});
    if let Some(s) = start {
        sched["startSchedule"] = json!(ts(s));
    }
    let mut p = json!({"id": id, "stackLevel": level, "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind, "chargingSchedule": [sched]});
    for (k, v) in extra.as_object().unwrap() {
        if k == "duration" {
            p["chargingSchedule"][0]["duration"] = v.clone();
        } else {
            p[k] = v.clone();
        }
    }
    p.to_string()
}

fn pairs(s: &CompositeSchedule) -> Vec<String> {
    s.periods
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p.start_period,
                p.limit.map_or("none".into(), |l| l.to_string())
            )
        })
        .collect()
}

/// 1 (MicroOcpp #360, OCTT TC_K_41_CS): 6 periods, the duplicate merged.
#[test]
fn story01_octt_tc_k_41_six_periods() {
    let mut st = station(&[1], StationOptions::default());
    st.start_transaction(1, t0(), Some("TX".into())).unwrap();
    let start = Some(-4);
    st.install(
        &p2(
            1,
            "ChargingStationMaxProfile",
            "Absolute",
            0,
            start,
            "A",
            &[(0, "10")],
            json!({"duration": 86404}),
        ),
        0,
        V201,
    )
    .unwrap();
    st.install(
        &p2(
            2,
            "TxDefaultProfile",
            "Absolute",
            0,
            start,
            "A",
            &[(0, "6"), (60, "10"), (120, "8"), (180, "15"), (260, "8")],
            json!({"duration": 304}),
        ),
        1,
        V201,
    )
    .unwrap();
    st.install(
        &p2(
            3,
            "TxProfile",
            "Absolute",
            0,
            start,
            "A",
            &[(0, "8"), (50, "11"), (140, "16"), (200, "6"), (240, "12")],
            json!({"duration": 264, "transactionId": "TX"}),
        ),
        1,
        V201,
    )
    .unwrap();
    let s = st
        .composite_schedule(1, t0(), 400, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(
        pairs(&s),
        ["0:8", "46:10", "196:6", "236:10", "260:8", "300:10"]
    );
    let ids: Vec<i32> = s.periods.iter().map(|p| p.binding.unwrap().id).collect();
    assert_eq!(ids, [3, 1, 3, 1, 2, 1]);
}

/// 2 (libocpp #609): a 1.6 period that starts after the window start is applied.
#[test]
fn story02_period_starting_inside_the_window_applies() {
    let mut st = station(&[1], StationOptions::default());
    st.start_transaction(1, t0(), None).unwrap();
    let p16 = json!({"chargingProfileId": 5, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": {"startSchedule": ts(600), "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0}, {"startPeriod": 600, "limit": 6.0}]}});
    st.install(&p16.to_string(), 1, V16).unwrap();
    let s = st
        .composite_schedule(1, t0(), 1800, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(pairs(&s), ["0:48", "600:10", "1200:6"]);
    // Asked from inside the first period: the later period still follows.
    let s = st
        .composite_schedule(
            1,
            t0() + Duration::seconds(900),
            900,
            Some(ChargingRateUnit::A),
        )
        .unwrap();
    assert_eq!(pairs(&s), ["0:10", "300:6"]);
}

/// 3 (libocpp #819): the composite uses the profiles as installed; it does not re-run the
/// install checks at request time (here: 1.6 TxDefaults at the same stack level on
/// connector 0 and connector 1, which 2.x would refuse with K01.FR.53).
#[test]
fn story03_no_revalidation_at_request_time() {
    let mut st = station(&[1, 2], StationOptions::default());
    st.start_transaction(1, t0(), None).unwrap();
    st.start_transaction(2, t0(), None).unwrap();
    let p16 = |id: i32, limit: f64| {
        json!({"chargingProfileId": id, "stackLevel": 2, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Relative", "chargingSchedule": {"chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}]}})
        .to_string()
    };
    st.install(&p16(1, 20.0), 0, V16).unwrap();
    st.install(&p16(2, 25.0), 1, V16).unwrap();
    // 1.6: the connector's own TxDefault replaces the station-wide one there.
    let on = |e| {
        st.composite_schedule(e, t0(), 60, Some(ChargingRateUnit::A))
            .unwrap()
    };
    assert_eq!(pairs(&on(1)), ["0:25"]);
    assert_eq!(pairs(&on(2)), ["0:20"]);
    // The same pair in 2.x is refused at install time, not dropped later.
    let mut st = station(&[1, 2], StationOptions::default());
    st.install(
        &p2(
            1,
            "TxDefaultProfile",
            "Relative",
            2,
            None,
            "A",
            &[(0, "20")],
            json!({}),
        ),
        0,
        V201,
    )
    .unwrap();
    let e = st
        .install(
            &p2(
                2,
                "TxDefaultProfile",
                "Relative",
                2,
                None,
                "A",
                &[(0, "25")],
                json!({}),
            ),
            1,
            V201,
        )
        .unwrap_err();
    assert_eq!(e.rule(), Some(Rule::DuplicateTxDefaultStackLevel));
}

/// 4 (libocpp #1169, EVerest #1716): duration 0 returns the StationMax limit.
#[test]
fn story04_zero_duration_reports_the_limit_in_force() {
    let mut st = station(&[1], StationOptions::default());
    st.install(
        &p2(
            1,
            "ChargingStationMaxProfile",
            "Absolute",
            0,
            Some(0),
            "A",
            &[(0, "32")],
            json!({}),
        ),
        0,
        V201,
    )
    .unwrap();
    for evse in [0, 1] {
        let s = st
            .composite_schedule(
                evse,
                t0() + Duration::seconds(10),
                0,
                Some(ChargingRateUnit::A),
            )
            .unwrap();
        assert_eq!(s.duration, 0);
        assert_eq!(pairs(&s), ["0:32"], "evse {evse}");
        assert_eq!(s.periods[0].binding.unwrap().id, 1);
    }
    // A negative duration (start after end) is clamped to 0.
    let s = st
        .composite_schedule(1, t0(), -5, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!((s.duration, pairs(&s)), (0, vec!["0:32".to_string()]));
}

/// 5 (libocpp PR #1112): at EVSE 0 each EVSE's session start anchors its Relative
/// profiles, and a 0 limit counts (no `> 0` test).
#[test]
fn story05_evse0_uses_each_session_start_and_keeps_zero() {
    let mut st = station(&[1, 2], StationOptions::default());
    st.start_transaction(1, t0() - Duration::seconds(600), None)
        .unwrap();
    st.start_transaction(2, t0(), None).unwrap();
    st.install(
        &p2(
            66,
            "TxDefaultProfile",
            "Relative",
            1,
            None,
            "W",
            &[(0, "1000"), (300, "7000"), (900, "0")],
            json!({}),
        ),
        0,
        V201,
    )
    .unwrap();
    let s = st
        .composite_schedule(0, t0(), 1200, Some(ChargingRateUnit::W))
        .unwrap();
    // EVSE 1 is 600 s into its session (7000 W, then 0 from 300 s); EVSE 2 starts now.
    assert_eq!(pairs(&s), ["0:8000", "300:7000", "900:0"]);
    assert_eq!(s.periods[2].source, LimitSourceKind::EvseSum);
    assert_eq!(s.periods[2].evse_sources.len(), 2);
}

/// 6 (libocpp PR #1062): 1.6 connector 0 is the sum over the connectors.
#[test]
fn story06_connector0_sums_in_1_6() {
    let mut st = station(&[1, 2], StationOptions::default());
    st.start_transaction(1, t0(), None).unwrap();
    st.start_transaction(2, t0(), None).unwrap();
    let p16 = json!({"chargingProfileId": 7, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative", "chargingSchedule": {"chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}});
    st.install(&p16.to_string(), 0, V16).unwrap();
    let s = st
        .composite_schedule(0, t0(), 300, Some(ChargingRateUnit::A))
        .unwrap();
    let r = s.to_ocpp(V16);
    assert_eq!(r["connectorId"], 0);
    assert_eq!(
        r["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"],
        json!(32)
    );
    // Capped by the charge point maximum.
    st.install(&json!({"chargingProfileId": 8, "stackLevel": 0, "chargingProfilePurpose": "ChargePointMaxProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": {"startSchedule": ts(0), "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 25.0}]}}).to_string(), 0, V16).unwrap();
    let s = st
        .composite_schedule(0, t0(), 300, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(pairs(&s), ["0:25"]);
    assert_eq!(s.periods[0].binding.unwrap().id, 8);
}

/// 7 (everest-demo #90): a gap after a curtailment shows the gap fill, not the last limit.
#[test]
fn story07_gap_after_curtailment_is_gap_fill() {
    for (fill, want) in [(GapFill::DefaultLimit, "48"), (GapFill::NoLimit, "none")] {
        let mut st = station(
            &[1],
            StationOptions {
                gap_fill: fill,
                ..StationOptions::default()
            },
        );
        st.start_transaction(1, t0(), Some("TX".into())).unwrap();
        st.install(
            &p2(
                3,
                "TxProfile",
                "Absolute",
                0,
                Some(0),
                "A",
                &[(0, "6")],
                json!({"duration": 600, "transactionId": "TX"}),
            ),
            1,
            V201,
        )
        .unwrap();
        let s = st
            .composite_schedule(1, t0(), 1200, Some(ChargingRateUnit::A))
            .unwrap();
        assert_eq!(pairs(&s), ["0:6".to_string(), format!("600:{want}")]);
        assert_eq!(s.periods[1].source, LimitSourceKind::Default);
    }
}

/// 8 (SteVe #1177): 1.6 output limits are multiples of 0.1, floored (never above a limit).
#[test]
fn story08_1_6_output_is_floored_to_0_1() {
    for (rounding, want) in [
        (LimitRounding::Floor01, [1.4, 2.8]),
        (LimitRounding::Nearest01, [1.4, 2.9]),
    ] {
        let mut st = station(
            &[1],
            StationOptions {
                limit_rounding: rounding,
                ..StationOptions::default()
            },
        );
        st.start_transaction(1, t0(), None).unwrap();
        st.install(
            &p2(
                1,
                "TxDefaultProfile",
                "Relative",
                0,
                None,
                "W",
                &[(0, "1000"), (60, "2000")],
                json!({}),
            ),
            0,
            V201,
        )
        .unwrap();
        let s = st
            .composite_schedule(1, t0(), 120, Some(ChargingRateUnit::A))
            .unwrap();
        // Exact in the 2.0.1 answer ...
        assert_eq!(s.periods[0].limit.unwrap().round_dp(6), d("1.449275"));
        // ... and on the 0.1 grid in 1.6.
        let r = s.to_ocpp(V16);
        let got: Vec<f64> = r["chargingSchedule"]["chargingSchedulePeriod"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["limit"].as_f64().unwrap())
            .collect();
        assert_eq!(got, want);
    }
}

/// 9 (evcc PRs #14888/#15028, ZJ Beny): an Accepted response with an empty
/// chargingSchedulePeriod is CompositeUnknown (lenient) or an error (strict).
#[test]
fn story09_empty_period_list_is_composite_unknown() {
    let body = r#"{"status": "Accepted", "connectorId": 1, "scheduleStart": "2026-03-10T08:00:00Z",
        "chargingSchedule": {"duration": 0, "chargingRateUnit": "A", "chargingSchedulePeriod": []}}"#;
    let r = read_composite_response(body, V16, None, d("230"), 3, false).unwrap();
    assert!(matches!(r, CompositeResponse::Unknown { .. }), "{r:?}");
    assert!(read_composite_response(body, V16, None, d("230"), 3, true).is_err());
    let rejected = read_composite_response(
        r#"{"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEVSE"}}"#,
        V201,
        None,
        d("230"),
        3,
        false,
    )
    .unwrap();
    assert_eq!(
        rejected,
        CompositeResponse::Rejected {
            reason: Some("UnknownEVSE".into())
        }
    );
}

/// 10 (ev-server #1837; lbbrhzn/ocpp #2117): a station answering in A to a CSMS that works
/// in W is converted and flagged; A→W uses the installation's phase count.
#[test]
fn story10_unit_conversion_and_phase_count() {
    let body = r#"{"status": "Accepted", "schedule": {"evseId": 1, "duration": 600,
        "scheduleStart": "2026-03-10T08:00:00Z", "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}, {"startPeriod": 300, "limit": 16, "numberPhases": 1}]}}"#;
    let CompositeResponse::Schedule {
        schedule,
        unit_converted,
    } = read_composite_response(body, V201, Some(ChargingRateUnit::W), d("230"), 3, false).unwrap()
    else {
        panic!()
    };
    assert!(unit_converted);
    assert_eq!(pairs(&schedule), ["0:11040", "300:3680"]);
    // A single-phase installation: 16 A is 3680 W, not 11 040 W.
    let mut st = SmartChargingStation::new(StationConfig {
        default_number_phases: 1,
        ..StationConfig::with_evses(&[1])
    })
    .unwrap();
    st.start_transaction(1, t0(), None).unwrap();
    st.install(
        &p2(
            1,
            "TxDefaultProfile",
            "Relative",
            0,
            None,
            "A",
            &[(0, "16")],
            json!({}),
        ),
        1,
        V201,
    )
    .unwrap();
    let s = st
        .composite_schedule(1, t0(), 60, Some(ChargingRateUnit::W))
        .unwrap();
    assert_eq!(pairs(&s), ["0:3680"]);
}

/// 11 (lbbrhzn/ocpp #221, #2158; ConnectorIO PR #160): integrations fall back to a
/// TxDefault; a TxDefault sent mid-session limits the running session too.
#[test]
fn story11_tx_default_mid_session_applies() {
    let mut st = station(&[1], StationOptions::default());
    st.start_transaction(1, t0() - Duration::seconds(3600), None)
        .unwrap();
    st.install(
        &p2(
            9,
            "TxDefaultProfile",
            "Relative",
            0,
            None,
            "A",
            &[(0, "32"), (3000, "10")],
            json!({}),
        ),
        1,
        V201,
    )
    .unwrap();
    // Relative to the session start an hour ago: already in the 10 A period.
    let s = st
        .composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(pairs(&s), ["0:10"]);
    // Without a transaction Tx/TxDefault do not count, unless a transaction is simulated.
    st.stop_transaction(1);
    assert_eq!(
        pairs(
            &st.composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A))
                .unwrap()
        ),
        ["0:48"]
    );
    let mut sim = station(
        &[1],
        StationOptions {
            simulate_transaction: true,
            ..StationOptions::default()
        },
    );
    sim.install(
        &p2(
            9,
            "TxDefaultProfile",
            "Relative",
            0,
            None,
            "A",
            &[(0, "32")],
            json!({}),
        ),
        1,
        V201,
    )
    .unwrap();
    assert_eq!(
        pairs(
            &sim.composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A))
                .unwrap()
        ),
        ["0:32"]
    );
}

/// 12 (open-ocpp PR #137, #7): Recurring without start is refused; W→A conversion.
#[test]
fn story12_recurring_without_start_and_w_to_a() {
    let mut st = station(&[1], StationOptions::default());
    let e = st
        .install(
            &p2(
                1,
                "TxDefaultProfile",
                "Recurring",
                0,
                None,
                "A",
                &[(0, "16")],
                json!({"recurrencyKind": "Daily"}),
            ),
            0,
            V201,
        )
        .unwrap_err();
    assert_eq!(e.rule(), Some(Rule::StartScheduleMissing));
    st.start_transaction(1, t0(), None).unwrap();
    st.install(
        &p2(
            2,
            "TxDefaultProfile",
            "Relative",
            0,
            None,
            "W",
            &[(0, "11040")],
            json!({}),
        ),
        0,
        V201,
    )
    .unwrap();
    assert_eq!(
        pairs(
            &st.composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A))
                .unwrap()
        ),
        ["0:16"]
    );
}

fn plan_ctx(max_periods: u32, unit: ChargingRateUnit) -> PlanContext {
    PlanContext {
        now: t0(),
        profile_id: 77,
        stack_level: 2,
        transaction_id: Some("TX".into()),
        unit,
        number_phases: 3,
        supply_voltage: d("230"),
        max_periods,
        station_limit: vec![],
    }
}

/// 13 (ev-server #4146): a generated profile respects the station's period limit.
#[test]
fn story13_generated_profiles_respect_max_periods() {
    let windows: Vec<_> = (0..6)
        .map(|i| chargekit::profile::TimeWindow {
            start: t0() + Duration::hours(2 * i),
            end: t0() + Duration::hours(2 * i + 1),
        })
        .collect();
    let prefs = ChargingPreferences {
        max_power_w: Some(d("7400")),
        off_peak: windows,
        departure: Some(t0() + Duration::hours(12)),
        ..ChargingPreferences::default()
    };
    let plan = plan_tx_profile(&prefs, &plan_ctx(4, ChargingRateUnit::W)).unwrap();
    let periods = &plan.profile.charging_schedule[0].charging_schedule_period;
    assert!(periods.len() <= 4, "{}", periods.len());
    assert!(matches!(
        plan.unmet[0],
        UnmetWish::TooManyPeriods {
            needed: 12,
            allowed: 4
        }
    ));
    // Two 1-hour windows survive: 14.8 kWh.
    assert_eq!(plan.deliverable_wh, Some(d("14800")));
    let mut st = station(
        &[1],
        StationOptions {
            max_periods: 4,
            ..StationOptions::default()
        },
    );
    st.start_transaction(1, t0(), Some("TX".into())).unwrap();
    st.install_profile(plan.profile, 1, V201).unwrap();
}

/// 14 (CitrineOS InternalSmartCharging): duration in seconds, and a W profile holds W.
#[test]
fn story14_generated_profile_unit_and_scale() {
    let prefs = ChargingPreferences {
        max_current_a: Some(d("16")),
        departure: Some(t0() + Duration::hours(2)),
        ..ChargingPreferences::default()
    };
    let w = plan_tx_profile(&prefs, &plan_ctx(24, ChargingRateUnit::W)).unwrap();
    let s = &w.profile.charging_schedule[0];
    assert_eq!(s.duration, Some(7200)); // seconds, not 7 200 000 ms
    assert_eq!(s.charging_rate_unit, ChargingRateUnit::W);
    assert_eq!(s.charging_schedule_period[0].limit, Some(d("11040"))); // 16 A x 230 V x 3
    let a = plan_tx_profile(&prefs, &plan_ctx(24, ChargingRateUnit::A)).unwrap();
    let s = &a.profile.charging_schedule[0];
    assert_eq!(s.charging_rate_unit, ChargingRateUnit::A);
    assert_eq!(s.charging_schedule_period[0].limit, Some(d("16")));
    assert_eq!(a.profile.valid_to, Some(t0() + Duration::hours(2)));
}

/// 15 (rust-ocpp 3.0.4): a 2.1 setpoint-only period (no `limit`) deserialises.
#[test]
fn story15_period_without_limit() {
    let p = chargekit::profile::ChargingProfile::from_json(
        r#"{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative",
        "transactionId": "T", "chargingSchedule": [{"id": 1, "chargingRateUnit": "W",
        "chargingSchedulePeriod": [{"startPeriod": 0, "setpoint": 3000, "operationMode": "CentralSetpoint"}]}]}"#,
    )
    .unwrap();
    let q = &p.charging_schedule[0].charging_schedule_period[0];
    assert_eq!((q.limit, q.setpoint), (None, Some(d("3000"))));
    assert!(p.to_json().contains("\"setpoint\":3000"));
}

/// 16 (SAP simulator): a higher stack level's periods keep their own offsets.
#[test]
fn story16_higher_stack_keeps_its_period_offsets() {
    let mut st = station(&[1], StationOptions::default());
    st.start_transaction(1, t0(), None).unwrap();
    st.install(
        &p2(
            1,
            "TxDefaultProfile",
            "Absolute",
            0,
            Some(0),
            "A",
            &[(0, "16")],
            json!({}),
        ),
        1,
        V201,
    )
    .unwrap();
    st.install(
        &p2(
            2,
            "TxDefaultProfile",
            "Absolute",
            1,
            Some(600),
            "A",
            &[(0, "10"), (600, "6")],
            json!({"duration": 1800}),
        ),
        1,
        V201,
    )
    .unwrap();
    let s = st
        .composite_schedule(1, t0(), 3600, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(pairs(&s), ["0:16", "600:10", "1200:6", "2400:16"]);
}
