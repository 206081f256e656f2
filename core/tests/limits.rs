//! The size limits of `chargekit::limits`: reaching one is a typed error naming it, never a
//! cut-short result, and inputs just inside a limit still work.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::limits::{MAX_COMPOSITE_PERIODS, MAX_SCHEDULE_PERIODS};
use chargekit::profile::{
    ChargingPreferences, ProfileVersion, SmartChargingStation, StationConfig, StationOptions,
};
use chargekit::Error;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// A daily recurring ChargingStationMaxProfile with `n` periods of 20 s each.
fn daily(id: i32, n: usize) -> String {
    let periods: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"startPeriod":{},"limit":{}}}"#, i * 20, 6 + i % 10))
        .collect();
    format!(
        r#"{{"id":{id},"stackLevel":{id},"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Recurring",
        "recurrencyKind":"Daily","chargingSchedule":[{{"id":1,"startSchedule":"2026-01-01T00:00:00Z",
        "chargingRateUnit":"A","chargingSchedulePeriod":[{}]}}]}}"#,
        periods.join(",")
    )
}

fn station(max_periods: u32) -> Result<SmartChargingStation, Error> {
    SmartChargingStation::new(StationConfig {
        options: StationOptions {
            max_periods,
            ..StationOptions::default()
        },
        ..StationConfig::with_evses(&[1])
    })
}

#[test]
fn composite_periods_beyond_the_limit_are_too_large() {
    let mut st = station(4096).unwrap();
    st.install(&daily(1, 3000), 0, ProfileVersion::V201)
        .unwrap();
    // 3000 periods a day over 366 days would be 1.1 million periods.
    let err = st
        .composite_schedule(1, t0(), 366 * 86_400, None)
        .unwrap_err();
    match &err {
        Error::TooLarge {
            name,
            limit,
            size,
            what,
        } => {
            assert_eq!(name, "MAX_COMPOSITE_PERIODS");
            assert_eq!(*limit, MAX_COMPOSITE_PERIODS as u64);
            assert!(*size > *limit);
            assert!(what.contains("EVSE 1"), "{what}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // The same station answers a window within the limit (two days: 6000 periods).
    let s = st.composite_schedule(1, t0(), 2 * 86_400, None).unwrap();
    assert_eq!(s.period_at(20).unwrap().limit.unwrap().to_string(), "7");
    assert!(s.period_at(86_400 + 60).is_some());
    assert!(s.periods.len() > 5_000);
    // Planning reads the limits up to the driver's departure through the same computation:
    // a departure years away is refused by the same limit instead of filling memory.
    st.start_transaction(1, t0(), Some("T".into())).unwrap();
    let prefs = |days| ChargingPreferences {
        max_energy_wh: Some(Decimal::from(20_000)),
        departure: Some(t0() + Duration::days(days)),
        ..ChargingPreferences::default()
    };
    let far = st
        .plan_preferences(1, &prefs(3650), t0(), 50, 1, None)
        .unwrap_err();
    assert_eq!(far.kind(), "too_large");
    assert!(st.plan_preferences(1, &prefs(1), t0(), 50, 1, None).is_ok());
}

#[test]
fn max_periods_is_bounded() {
    assert!(station(MAX_SCHEDULE_PERIODS).is_ok());
    let err = station(MAX_SCHEDULE_PERIODS + 1).unwrap_err();
    assert_eq!(err.kind(), "invalid_station_config");
    assert!(err.to_string().contains("MAX_SCHEDULE_PERIODS"), "{err}");
    assert_eq!(station(0).unwrap_err().kind(), "invalid_station_config");
}

#[test]
fn a_plan_window_beyond_the_interval_limit_is_too_large() {
    // Found by the `policy_json` fuzz target: a start a thousand years before departure laid
    // out nine million hourly intervals and ran for minutes.
    let text = include_str!("../fuzz/regressions/policy_json/plan-horizon-of-a-millennium.json");
    let request = chargekit::planning::PlanRequest::from_json(text).unwrap();
    let err = chargekit::planning::plan(&request).unwrap_err();
    match &err {
        Error::TooLarge { name, size, .. } => {
            assert_eq!(name, "MAX_PLAN_INTERVALS");
            assert!(*size > 8_000_000, "{size}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // The same request over its real night plans.
    let night = text.replace("1013-03-10T22:00:00Z", "2026-03-10T22:00:00Z");
    let plan =
        chargekit::planning::plan(&chargekit::planning::PlanRequest::from_json(&night).unwrap())
            .unwrap();
    // Powers are whole tenths of a watt, so the energy meets the need to the mWh.
    assert!(plan.energy_wh >= Decimal::from(15_000) && plan.energy_wh < Decimal::from(15_001));
}

#[test]
fn every_limit_is_documented_and_published() {
    let docs = include_str!("../../docs/limits.md");
    let all = chargekit::limits::all();
    for l in &all {
        assert!(
            docs.contains(&format!("`{}`", l.name)),
            "{} is not in docs/limits.md",
            l.name
        );
        assert!(l.value > Decimal::ZERO, "{}", l.name);
    }
    // The table names each constant once, and TooLarge names them the same way.
    let mut names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), all.len());
    assert!(names.contains(&"MAX_COMPOSITE_PERIODS") && names.contains(&"MAX_PLAN_INTERVALS"));
}
