//! The named options of `docs/charging-profiles.md` §3 that the vectors do not cover (#6,
//! #7, #15, the preferred unit) and the 2.1 purposes PriorityCharging and LocalGeneration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    ChargingProfile, ChargingRateUnit, CompositeSchedule, ProfileVersion, RelativeWithoutTx,
    SmartChargingStation, Stacking16, StationConfig, StationOptions,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap()
}

fn station(options: StationOptions) -> SmartChargingStation {
    SmartChargingStation::new(StationConfig {
        options,
        ..StationConfig::with_evses(&[1])
    })
    .unwrap()
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

fn a(st: &SmartChargingStation, secs: i64) -> Vec<String> {
    pairs(
        &st.composite_schedule(1, t0(), secs, Some(ChargingRateUnit::A))
            .unwrap(),
    )
}

/// §3 #6: 1.6 "the highest valid profile prevails" versus falling through.
#[test]
fn stacking16_literal_blocks_lower_levels_while_valid() {
    let install = |st: &mut SmartChargingStation| {
        st.start_transaction(1, t0(), None).unwrap();
        let base = json!({"chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Relative", "chargingSchedule": {"chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}});
        let top = json!({"chargingProfileId": 2, "stackLevel": 1, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute", "validTo": (t0() + Duration::seconds(1200)).to_rfc3339(),
            "chargingSchedule": {"startSchedule": t0().to_rfc3339(), "duration": 600, "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0}]}});
        st.install(&base.to_string(), 1, ProfileVersion::V16)
            .unwrap();
        st.install(&top.to_string(), 1, ProfileVersion::V16)
            .unwrap();
    };
    let mut fall = station(StationOptions::default());
    install(&mut fall);
    assert_eq!(a(&fall, 1800), ["0:10", "600:16"]);
    let mut literal = station(StationOptions {
        stacking16: Stacking16::Literal,
        ..StationOptions::default()
    });
    install(&mut literal);
    // Valid until 1200 s, the stackLevel-1 profile prevails although its period ended.
    assert_eq!(a(&literal, 1800), ["0:10", "600:48", "1200:16"]);
}

/// §3 #7: a Relative profile without a transaction (simulated forecast).
#[test]
fn relative_without_transaction() {
    let relative = json!({"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 20}, {"startPeriod": 300, "limit": 10}]}]})
    .to_string();
    let mut anchored = station(StationOptions {
        simulate_transaction: true,
        ..StationOptions::default()
    });
    anchored
        .install(&relative, 1, ProfileVersion::V201)
        .unwrap();
    assert_eq!(a(&anchored, 600), ["0:20", "300:10"]);
    let mut skip = station(StationOptions {
        simulate_transaction: true,
        relative_without_tx: RelativeWithoutTx::Skip,
        ..StationOptions::default()
    });
    skip.install(&relative, 1, ProfileVersion::V201).unwrap();
    assert_eq!(a(&skip, 600), ["0:48"]);
}

/// §3 #15: a duration longer than the recurrence period is clamped to it.
#[test]
fn recurring_duration_is_clamped_to_the_period() {
    let mut st = station(StationOptions::default());
    st.start_transaction(1, t0(), None).unwrap();
    st.install(
        &json!({"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Recurring", "recurrencyKind": "Daily", "chargingSchedule": [{"id": 1,
            "startSchedule": t0().to_rfc3339(), "duration": 100_000, "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 20}, {"startPeriod": 80_000, "limit": 6}]}]})
        .to_string(),
        1,
        ProfileVersion::V201,
    )
    .unwrap();
    // 6 A from 80 000 s until the next occurrence at 86 400 s, not until 100 000 s.
    assert_eq!(
        a(&st, 2 * 86_400),
        ["0:20", "80000:6", "86400:20", "166400:6"]
    );
}

#[test]
fn request_without_unit_uses_the_preferred_unit() {
    let st = station(StationOptions {
        preferred_unit: ChargingRateUnit::W,
        ..StationOptions::default()
    });
    let s = st.composite_schedule(1, t0(), 60, None).unwrap();
    assert_eq!(s.unit, ChargingRateUnit::W);
    assert_eq!(pairs(&s), ["0:33120"]);
}

/// 2.1: PriorityCharging replaces Tx/TxDefault while requested; LocalGeneration adds.
#[test]
fn priority_charging_and_local_generation() {
    let mut st = station(StationOptions::default());
    st.start_transaction(1, t0(), Some("TX".into())).unwrap();
    let p = |id: i32, purpose: &str, limit: u32| {
        json!({"id": id, "stackLevel": 0, "chargingProfilePurpose": purpose, "chargingProfileKind": "Relative",
            "transactionId": "TX", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit}]}]})
        .to_string()
    };
    st.install(&p(1, "TxProfile", 10), 1, ProfileVersion::V21)
        .unwrap();
    st.install(&p(2, "PriorityCharging", 32), 1, ProfileVersion::V21)
        .unwrap();
    assert_eq!(a(&st, 60), ["0:10"]);
    st.set_priority_charging(1, true).unwrap();
    assert_eq!(a(&st, 60), ["0:32"]);
    let s = st
        .composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A))
        .unwrap();
    assert_eq!(s.periods[0].binding.unwrap().id, 2);
    st.set_priority_charging(1, false).unwrap();
    // 4 A of local generation on top of the 10 A TxProfile.
    st.set_external_constraints(
        ChargingProfile::from_json(&p(3, "LocalGeneration", 4)).unwrap(),
        0,
        ProfileVersion::V21,
    )
    .unwrap();
    assert_eq!(a(&st, 60), ["0:14"]);
}
