//! Preferences → TxProfile: start time, off-peak windows, departure, energy cap, the
//! station's own limits, and the report of wishes that cannot be met.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    plan_tx_profile, ChargingPreferences, ChargingRateUnit, PlanContext, ProfileVersion,
    SmartChargingStation, StationConfig, TimeWindow, UnmetWish,
};
use chargekit::Error;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap()
}

fn h(hours: i64) -> DateTime<Utc> {
    now() + Duration::hours(hours)
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn ctx() -> PlanContext {
    PlanContext {
        now: now(),
        profile_id: 1,
        stack_level: 1,
        transaction_id: Some("TX".into()),
        unit: ChargingRateUnit::W,
        number_phases: 3,
        supply_voltage: d("230"),
        max_periods: 24,
        station_limit: vec![],
    }
}

/// (startPeriod, limit) of the generated schedule.
fn periods(p: &chargekit::profile::PreferencePlan) -> Vec<(u32, Decimal)> {
    p.profile.charging_schedule[0]
        .charging_schedule_period
        .iter()
        .map(|q| (q.start_period, q.limit.unwrap()))
        .collect()
}

#[test]
fn off_peak_windows_and_departure() {
    let prefs = ChargingPreferences {
        max_power_w: Some(d("11000")),
        max_energy_wh: Some(d("33000")),
        off_peak: vec![
            TimeWindow {
                start: h(4),
                end: h(6),
            },
            TimeWindow {
                start: h(8),
                end: h(12),
            },
        ],
        departure: Some(h(13)),
        ..ChargingPreferences::default()
    };
    let plan = plan_tx_profile(&prefs, &ctx()).unwrap();
    assert!(plan.all_met, "{:?}", plan.unmet);
    // 0 until 22:00, 2 h at 11 kW (22 kWh), 0, then 1 h more from 02:00 (11 kWh), then 0.
    assert_eq!(
        periods(&plan),
        [
            (0, d("0")),
            (4 * 3600, d("11000")),
            (6 * 3600, d("0")),
            (8 * 3600, d("11000")),
            (9 * 3600, d("0"))
        ]
    );
    assert_eq!(plan.deliverable_wh, Some(d("33000")));
    assert_eq!(plan.charging_starts, Some(h(4)));
    assert_eq!(plan.charging_ends, Some(h(9)));
    let s = &plan.profile.charging_schedule[0];
    assert_eq!(s.duration, Some(13 * 3600));
    assert_eq!(plan.profile.valid_to, Some(h(13)));
    assert_eq!(s.start_schedule, Some(now()));
}

#[test]
fn start_at_and_unreachable_energy() {
    let prefs = ChargingPreferences {
        max_current_a: Some(d("16")),
        max_energy_wh: Some(d("50000")),
        start_at: Some(h(1)),
        departure: Some(h(3)),
        ..ChargingPreferences::default()
    };
    let plan = plan_tx_profile(&prefs, &ctx()).unwrap();
    assert_eq!(periods(&plan), [(0, d("0")), (3600, d("11040"))]);
    assert_eq!(
        plan.unmet,
        [UnmetWish::EnergyShortfall {
            requested_wh: d("50000"),
            deliverable_wh: d("22080")
        }]
    );
}

#[test]
fn impossible_timing_is_reported() {
    let base = ChargingPreferences {
        max_power_w: Some(d("7400")),
        ..ChargingPreferences::default()
    };
    let past = ChargingPreferences {
        departure: Some(h(-1)),
        ..base.clone()
    };
    assert!(plan_tx_profile(&past, &ctx())
        .unwrap()
        .unmet
        .contains(&UnmetWish::DepartureInPast));
    let late = ChargingPreferences {
        start_at: Some(h(5)),
        departure: Some(h(4)),
        ..base.clone()
    };
    assert!(plan_tx_profile(&late, &ctx())
        .unwrap()
        .unmet
        .contains(&UnmetWish::StartAfterDeparture));
    let no_window = ChargingPreferences {
        off_peak: vec![TimeWindow {
            start: h(6),
            end: h(8),
        }],
        departure: Some(h(4)),
        ..base.clone()
    };
    let plan = plan_tx_profile(&no_window, &ctx()).unwrap();
    assert_eq!(plan.unmet, [UnmetWish::NoWindowBeforeDeparture]);
    assert_eq!(periods(&plan), [(0, d("0"))]);
    // Nothing to plan with: an error, not a plan.
    let e = plan_tx_profile(&ChargingPreferences::default(), &ctx()).unwrap_err();
    assert!(matches!(e, Error::InvalidPreferences { .. }));
    let bad = ChargingPreferences {
        off_peak: vec![TimeWindow {
            start: h(2),
            end: h(1),
        }],
        ..base
    };
    assert!(plan_tx_profile(&bad, &ctx()).is_err());
}

#[test]
fn without_energy_or_departure_the_profile_is_open_ended() {
    let prefs = ChargingPreferences {
        max_power_w: Some(d("3680")),
        ..ChargingPreferences::default()
    };
    let plan = plan_tx_profile(&prefs, &ctx()).unwrap();
    assert_eq!(periods(&plan), [(0, d("3680"))]);
    assert_eq!(plan.profile.charging_schedule[0].duration, None);
    assert_eq!(plan.deliverable_wh, None);
    assert!(plan.all_met);
}

#[test]
fn the_station_limits_cap_the_plan() {
    let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    st.start_transaction(1, now(), Some("TX-7".into())).unwrap();
    // The grid allows 16 A for the first hour, then 32 A.
    st.install(
        &format!(
            r#"{{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationMaxProfile",
            "chargingProfileKind": "Absolute", "chargingSchedule": [{{"id": 1, "startSchedule": "{}",
            "chargingRateUnit": "A", "chargingSchedulePeriod": [{{"startPeriod": 0, "limit": 16}},
            {{"startPeriod": 3600, "limit": 32}}]}}]}}"#,
            now().to_rfc3339()
        ),
        0,
        ProfileVersion::V201,
    )
    .unwrap();
    // A TxDefault does not cap a TxProfile (the TxProfile replaces it).
    st.install(
        r#"{"id": 2, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 6}]}]}"#,
        0,
        ProfileVersion::V201,
    )
    .unwrap();
    let prefs = ChargingPreferences {
        max_current_a: Some(d("25")),
        max_energy_wh: Some(d("40000")),
        departure: Some(h(2)),
        ..ChargingPreferences::default()
    };
    let plan = st
        .plan_preferences(1, &prefs, now(), 10, 5, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(periods(&plan), [(0, d("16")), (3600, d("25"))]);
    // 16 A + 25 A for an hour each at 690 W/A: 28 290 Wh of the 40 000 wished.
    assert_eq!(
        plan.unmet,
        [UnmetWish::EnergyShortfall {
            requested_wh: d("40000"),
            deliverable_wh: d("28290")
        }]
    );
    assert_eq!(plan.profile.transaction_id.as_deref(), Some("TX-7"));
    // The plan is a valid TxProfile for this station, and the composite follows it.
    st.install_profile(plan.profile, 1, ProfileVersion::V201)
        .unwrap();
    let s = st
        .composite_schedule(1, now(), 7200, Some(ChargingRateUnit::A))
        .unwrap();
    let got: Vec<(u32, Decimal)> = s
        .periods
        .iter()
        .map(|p| (p.start_period, p.limit.unwrap()))
        .collect();
    assert_eq!(got, [(0, d("16")), (3600, d("25"))]);
    assert_eq!(s.periods[1].binding.unwrap().id, 10);
}

/// Regression (found by the Python mutation test): an energy of 10^28 Wh panicked with
/// "Multiplication overflowed" while working out the seconds it needs. Wishes beyond
/// `limits::MAX_QUANTITY` are now `InvalidPreferences`; the limit itself still plans.
#[test]
fn wishes_beyond_the_quantity_limit_are_refused_not_a_panic() {
    let huge = [
        Decimal::from_scientific("1E+28").unwrap(),
        Decimal::MAX,
        chargekit::limits::MAX_QUANTITY + Decimal::ONE,
    ];
    for v in huge {
        for prefs in [
            ChargingPreferences {
                max_energy_wh: Some(v),
                departure: Some(h(3)),
                ..ChargingPreferences::default()
            },
            ChargingPreferences {
                max_power_w: Some(v),
                ..ChargingPreferences::default()
            },
            ChargingPreferences {
                max_current_a: Some(v),
                ..ChargingPreferences::default()
            },
        ] {
            match plan_tx_profile(&prefs, &ctx()) {
                Err(Error::InvalidPreferences { reason }) => {
                    assert!(reason.contains("MAX_QUANTITY"), "{reason}")
                }
                other => panic!("{v}: {other:?}"),
            }
        }
    }
    let at_limit = ChargingPreferences {
        max_energy_wh: Some(chargekit::limits::MAX_QUANTITY),
        max_power_w: Some(d("11000")),
        departure: Some(h(3)),
        ..ChargingPreferences::default()
    };
    let plan = plan_tx_profile(&at_limit, &ctx()).unwrap();
    assert_eq!(periods(&plan), [(0, d("11000"))]);
    assert!(matches!(
        plan.unmet[..],
        [UnmetWish::EnergyShortfall { .. }]
    ));
}
