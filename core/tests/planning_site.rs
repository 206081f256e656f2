//! Site load sharing: hand-computed cases, phases, PV, minimum rates, profiles, and
//! properties (limits per phase, EVSE limits, equal shares, earliest deadline first,
//! cheapest: its own plan's cost on a free site, EDF without prices).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::planning::{
    allocate, plan, AllocationRequest, PlanRequest, PowerLimits, SeriesPoint, SharingStrategy,
    Site, SiteAllocation, SiteEvse, SiteGroup, SiteSession,
};
use chargekit::profile::{
    ChargingProfilePurpose, ProfileVersion, SmartChargingStation, StationConfig,
};
use chargekit::Error;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}
fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}
const T0: &str = "2026-03-10T22:00:00Z";

fn group(id: &str, parent: Option<&str>, amps: Option<u32>, watts: Option<u32>) -> SiteGroup {
    SiteGroup {
        id: id.into(),
        parent: parent.map(Into::into),
        max_current_a: amps.map(Decimal::from),
        max_power_w: watts.map(Decimal::from),
    }
}

fn evse(id: &str, group: &str, max_w: u32, phases: u8, first_phase: u8) -> SiteEvse {
    SiteEvse {
        id: id.into(),
        group: group.into(),
        station_id: format!("CS-{id}"),
        evse_id: 1,
        max_power_w: Some(Decimal::from(max_w)),
        max_current_a: None,
        phases,
        first_phase,
    }
}

fn session(evse: &str, need: u32, hours: i64) -> SiteSession {
    SiteSession {
        evse_id: evse.into(),
        need_wh: Decimal::from(need),
        arrival: t(T0),
        departure: t(T0) + Duration::hours(hours),
        priority: 0,
        ev: PowerLimits::default(),
        transaction_id: Some(format!("TX-{evse}")),
    }
}

fn request(site: Site, sessions: Vec<SiteSession>, strategy: SharingStrategy) -> AllocationRequest {
    AllocationRequest {
        site,
        sessions,
        from: t(T0),
        until: None,
        strategy,
        interval_s: 900,
        prices: vec![],
        profile: Default::default(),
    }
}

fn site(groups: Vec<SiteGroup>, evses: Vec<SiteEvse>) -> Site {
    Site {
        groups,
        evses,
        voltage: Decimal::from(230),
        pv_w: vec![],
        house_load_w: vec![],
    }
}

#[test]
fn equal_share_with_a_capped_session_gives_the_rest_to_the_others() {
    // 30 kW connection; A capped at 5 kW, B and C at 22 kW: A 5, B and C 12.5 each.
    let s = site(
        vec![group("grid", None, None, Some(30_000))],
        vec![
            evse("A", "grid", 5000, 3, 1),
            evse("B", "grid", 22_000, 3, 1),
            evse("C", "grid", 22_000, 3, 1),
        ],
    );
    let a = allocate(&request(
        s,
        vec![
            session("A", 40_000, 8),
            session("B", 40_000, 8),
            session("C", 40_000, 8),
        ],
        SharingStrategy::EqualShare,
    ))
    .unwrap();
    let p: Vec<Decimal> = a.intervals[0].evses.iter().map(|e| e.power_w).collect();
    assert_eq!(p, [d("5000"), d("12500"), d("12500")]);
    assert_eq!(a.intervals[0].groups[0].power_w, d("30000"));
}

#[test]
fn single_phase_cars_load_their_phase_only() {
    // 16 A per phase; two single-phase cars on L1 share L1, one on L2 has L2 alone.
    let s = site(
        vec![group("grid", None, Some(16), None)],
        vec![
            evse("A", "grid", 7400, 1, 1),
            evse("B", "grid", 7400, 1, 1),
            evse("C", "grid", 7400, 1, 2),
        ],
    );
    let a = allocate(&request(
        s,
        vec![
            session("A", 20_000, 8),
            session("B", 20_000, 8),
            session("C", 20_000, 8),
        ],
        SharingStrategy::EqualShare,
    ))
    .unwrap();
    let i = &a.intervals[0];
    // L1: 16 A × 230 V = 3680 W for two cars: 1840 W each; C: 3680 W on L2.
    assert_eq!(
        i.evses.iter().map(|e| e.power_w).collect::<Vec<_>>(),
        [d("1840"), d("1840"), d("3680")]
    );
    let g = &i.groups[0];
    assert_eq!((g.l1_a, g.l2_a, g.l3_a), (d("16"), d("16"), d("0")));
}

#[test]
fn nested_feeder_limits_hold() {
    // Connection 63 A; feeder F 20 A with A and B; C directly on the connection.
    let s = site(
        vec![
            group("grid", None, Some(63), None),
            group("F", Some("grid"), Some(20), None),
        ],
        vec![
            evse("A", "F", 22_000, 3, 1),
            evse("B", "F", 22_000, 3, 1),
            evse("C", "grid", 22_000, 3, 1),
        ],
    );
    let a = allocate(&request(
        s,
        vec![
            session("A", 60_000, 8),
            session("B", 60_000, 8),
            session("C", 60_000, 8),
        ],
        SharingStrategy::EqualShare,
    ))
    .unwrap();
    let i = &a.intervals[0];
    // F: 20 A × 230 × 3 = 13 800 W → 6900 each; C: its own 22 kW (63 A allows 43 470 W).
    assert_eq!(
        i.evses.iter().map(|e| e.power_w).collect::<Vec<_>>(),
        [d("6900"), d("6900"), d("22000")]
    );
    assert_eq!(i.groups[1].l1_a, d("20"));
}

#[test]
fn pv_and_house_load_change_the_connection_capacity() {
    let mut s = site(
        vec![group("grid", None, None, Some(10_000))],
        vec![evse("A", "grid", 22_000, 3, 1)],
    );
    s.pv_w = vec![SeriesPoint::new(t(T0), d("6000"))];
    s.house_load_w = vec![
        SeriesPoint::new(t(T0), d("2000")),
        SeriesPoint::new(t(T0) + Duration::hours(1), d("12000")),
    ];
    let a = allocate(&request(
        s,
        vec![session("A", 100_000, 2)],
        SharingStrategy::EqualShare,
    ))
    .unwrap();
    assert_eq!(a.intervals[0].evses[0].power_w, d("14000"));
    // From 23:00, 10 000 + 6000 − 12 000 = 4000 W.
    let late = a
        .intervals
        .iter()
        .find(|i| i.start == t(T0) + Duration::hours(1))
        .unwrap();
    assert_eq!(late.evses[0].power_w, d("4000"));
}

#[test]
fn below_min_rate_pauses_the_least_entitled() {
    // 10 kW for three cars with a 4.2 kW minimum: 3.33 kW each is too little; one pauses.
    let s = site(
        vec![group("grid", None, None, Some(10_000))],
        vec![
            evse("A", "grid", 11_000, 3, 1),
            evse("B", "grid", 11_000, 3, 1),
            evse("C", "grid", 11_000, 3, 1),
        ],
    );
    let mut sessions = vec![
        session("A", 50_000, 8),
        session("B", 50_000, 8),
        session("C", 50_000, 6),
    ];
    for s in &mut sessions {
        s.ev.min_power_w = Some(d("4200"));
    }
    sessions[0].priority = 1;
    let a = allocate(&request(s, sessions, SharingStrategy::EqualShare)).unwrap();
    // B has the lowest priority with the latest departure (tie with A broken by priority).
    assert_eq!(
        a.intervals[0]
            .evses
            .iter()
            .map(|e| e.power_w)
            .collect::<Vec<_>>(),
        [d("5000"), d("0"), d("5000")]
    );
}

#[test]
fn earliest_deadline_first_serves_the_earliest_departure() {
    let s = site(
        vec![group("grid", None, None, Some(11_000))],
        vec![
            evse("A", "grid", 11_000, 3, 1),
            evse("B", "grid", 11_000, 3, 1),
        ],
    );
    let a = allocate(&request(
        s,
        vec![session("A", 11_000, 8), session("B", 11_000, 2)],
        SharingStrategy::EarliestDeadlineFirst,
    ))
    .unwrap();
    // B leaves at 00:00: it charges first, from 22:00 to 23:00 at 11 kW; then A.
    assert_eq!(
        a.intervals[0]
            .evses
            .iter()
            .map(|e| e.power_w)
            .collect::<Vec<_>>(),
        [d("0"), d("11000")]
    );
    assert!(a.sessions.iter().all(|s| s.feasible));
    let first_a = a
        .intervals
        .iter()
        .find(|i| i.evses[0].power_w > Decimal::ZERO)
        .unwrap();
    assert_eq!(first_a.start, t(T0) + Duration::hours(1));
}

fn powers(a: &SiteAllocation, start: DateTime<Utc>) -> Vec<Decimal> {
    a.intervals
        .iter()
        .find(|i| i.start == start)
        .unwrap()
        .evses
        .iter()
        .map(|e| e.power_w)
        .collect()
}

fn hourly(values: &[(i64, &str)]) -> Vec<SeriesPoint> {
    values
        .iter()
        .map(|(h, v)| SeriesPoint::new(t(T0) + Duration::hours(*h), d(v)))
        .collect()
}

#[test]
fn cheapest_gives_the_cheap_hours_to_the_earlier_departure_first() {
    // 11 kW connection, two 11 kW cars needing 22 kWh each; A leaves at 06:00, B at 05:00.
    // 0.30 €/kWh but 0.10 from 00:00 to 03:00 (33 kWh of cheap capacity for 44 kWh).
    let s = site(
        vec![group("grid", None, None, Some(11_000))],
        vec![
            evse("A", "grid", 11_000, 3, 1),
            evse("B", "grid", 11_000, 3, 1),
        ],
    );
    let mut req = request(
        s,
        vec![session("A", 22_000, 8), session("B", 22_000, 7)],
        SharingStrategy::Cheapest,
    );
    req.prices = hourly(&[(0, "0.30"), (2, "0.10"), (5, "0.30")]);
    let a = allocate(&req).unwrap();
    assert_eq!(a.strategy, SharingStrategy::Cheapest);
    let h = |n: i64| t(T0) + Duration::hours(n);
    let q = |n: i64| t(T0) + Duration::minutes(15 * n);
    // B (earlier departure) takes 00:00–02:00, the first two cheap hours: 22 kWh, 2.20 €.
    // A gets the cheap hour left (02:00–03:00, 1.10 €) and then the earliest dear hour
    // (22:00–23:00, 3.30 €).
    for k in 0..32 {
        let expected = match k {
            0..=3 | 16..=19 => [d("11000"), d("0")],
            8..=15 => [d("0"), d("11000")],
            _ => [d("0"), d("0")],
        };
        assert_eq!(powers(&a, q(k)), expected, "quarter {k}");
        let g = &a.intervals[k as usize].groups[0];
        assert_eq!(g.power_w, expected[0] + expected[1]);
    }
    assert_eq!(powers(&a, h(4)), [d("11000"), d("0")]);
    assert_eq!(a.sessions[0].expected_cost, d("4.4"));
    assert_eq!(a.sessions[1].expected_cost, d("2.2"));
    assert!(a.sessions.iter().all(|s| s.feasible));
    // The same outputs as the other strategies: a TxProfile per session, a station profile
    // per station.
    assert_eq!(a.tx_profiles.len(), 2);
    assert_eq!(a.station_profiles.len(), 2);
    // EqualShare: 5.5 kW each from 22:00 to 02:00, 4.40 € each.
    req.strategy = SharingStrategy::EqualShare;
    let fair = allocate(&req).unwrap();
    let total = |a: &SiteAllocation| a.sessions.iter().map(|s| s.expected_cost).sum::<Decimal>();
    assert_eq!(total(&fair), d("8.8"));
    assert_eq!(total(&a), d("6.6"));
}

#[test]
fn cheapest_below_the_min_rate_charges_whole_intervals() {
    // One car, 11 kW, minimum 4.2 kW, 12 kWh; 0.10 from 00:00 to 01:00, else 0.30.
    let s = site(
        vec![group("grid", None, None, Some(50_000))],
        vec![evse("A", "grid", 11_000, 3, 1)],
    );
    let mut car = session("A", 12_000, 8);
    car.ev.min_power_w = Some(d("4200"));
    let mut req = request(s, vec![car.clone()], SharingStrategy::Cheapest);
    req.prices = hourly(&[(0, "0.30"), (2, "0.10"), (3, "0.30")]);
    let a = allocate(&req).unwrap();
    let q = |n: i64| t(T0) + Duration::minutes(15 * n);
    // The cheap hour (11 kWh), then 1 kWh in the earliest dear quarter: 4 kW there is below
    // the minimum, so it runs at 4.2 kW and the 0.05 kWh excess comes off the dearest other
    // quarter (00:45, the latest of the equally priced cheap ones): 10.8 kW.
    assert_eq!(powers(&a, q(0)), [d("4200")]);
    assert_eq!(powers(&a, q(1)), [d("0")]);
    for k in 8..11 {
        assert_eq!(powers(&a, q(k)), [d("11000")]);
    }
    assert_eq!(powers(&a, q(11)), [d("10800")]);
    assert_eq!(a.sessions[0].energy_wh, d("12000"));
    // 1.05 kWh × 0.30 + 10.95 kWh × 0.10 = 1.41; the plan pauses inside the quarter
    // instead: 1 kWh × 0.30 + 11 kWh × 0.10 = 1.40 (plus its rounding up to whole seconds and 0.1 W).
    assert_eq!(a.sessions[0].expected_cost, d("1.41"));
    let mut own = PlanRequest::new(car.arrival, car.departure, car.need_wh, d("11000"));
    own.ev.min_power_w = car.ev.min_power_w;
    own.prices = req.prices.clone();
    assert_eq!(plan(&own).unwrap().expected_cost.round_dp(4), d("1.4"));
}

#[test]
fn cheapest_needs_prices_for_the_whole_window() {
    let s = site(
        vec![group("grid", None, None, Some(11_000))],
        vec![evse("A", "grid", 11_000, 3, 1)],
    );
    let mut req = request(s, vec![session("A", 5_000, 4)], SharingStrategy::Cheapest);
    req.prices = hourly(&[(1, "0.30")]);
    assert_eq!(
        allocate(&req).unwrap_err(),
        Error::MissingPrice { at: t(T0) }
    );
}

/// The demo's site and cars (examples/src/planning_demo.rs): 20 cars, 150 kW / 250 A
/// connection, two 100 A feeders, day-ahead prices.
fn demo_request(strategy: SharingStrategy) -> AllocationRequest {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/data/day-ahead-prices.json")).unwrap();
    let prices: Vec<SeriesPoint> = serde_json::from_value(data["prices"].clone()).unwrap();
    let t0 = t("2026-01-14T18:00:00Z");
    let mut groups = vec![group("grid", None, Some(250), Some(150_000))];
    groups.push(group("feeder-A", Some("grid"), Some(100), None));
    groups.push(group("feeder-B", Some("grid"), Some(100), None));
    let mut evses = Vec::new();
    let mut sessions = Vec::new();
    for i in 0..20u32 {
        let single = i % 5 == 4;
        let id = format!("EVSE-{:02}", i + 1);
        let mut e = evse(
            &id,
            if i < 10 { "feeder-A" } else { "feeder-B" },
            22_000,
            3,
            (i % 3) as u8 + 1,
        );
        e.station_id = format!("CS-{:02}", i / 2 + 1);
        e.evse_id = i % 2 + 1;
        evses.push(e);
        sessions.push(SiteSession {
            evse_id: id,
            need_wh: Decimal::from(12_000 + (i * 7_919 % 40) * 1_000),
            arrival: t0 + Duration::minutes(i64::from(i * 11 % 120)),
            departure: t0 + Duration::hours(10 + i64::from(i % 4)),
            priority: u32::from(i % 7 == 0),
            ev: PowerLimits {
                max_power_w: Some(Decimal::from(if single { 7_400 } else { 11_000 })),
                min_power_w: Some(Decimal::from(if single { 1_400 } else { 4_200 })),
                phases: Some(if single { 1 } else { 3 }),
                ..PowerLimits::default()
            },
            transaction_id: Some(format!("TX-{i}")),
        });
    }
    let mut req = request(site(groups, evses), sessions, strategy);
    req.from = t0;
    req.until = Some(t0 + Duration::hours(14));
    req.prices = prices;
    req
}

#[test]
fn cheapest_costs_less_than_the_other_strategies_on_the_demo_site() {
    let total = |s: SharingStrategy| {
        let req = demo_request(s);
        let a = allocate(&req).unwrap();
        check_limits(&req, &a).unwrap();
        assert!(a.sessions.iter().all(|s| s.feasible), "{s:?}");
        a.sessions.iter().map(|s| s.expected_cost).sum::<Decimal>()
    };
    let cheapest = total(SharingStrategy::Cheapest);
    let fair = total(SharingStrategy::EqualShare);
    let edf = total(SharingStrategy::EarliestDeadlineFirst);
    assert!(cheapest < fair, "{cheapest} vs {fair}");
    assert!(cheapest < edf, "{cheapest} vs {edf}");
}

#[test]
fn profiles_install_on_the_station_and_cap_at_the_allocation() {
    let s = site(
        vec![group("grid", None, None, Some(11_000))],
        vec![
            evse("A", "grid", 11_000, 3, 1),
            evse("B", "grid", 11_000, 3, 1),
        ],
    );
    let mut req = request(
        s,
        vec![session("A", 20_000, 4), session("B", 5_000, 4)],
        SharingStrategy::EqualShare,
    );
    req.prices = vec![SeriesPoint::new(t(T0), d("0.25"))];
    let a = allocate(&req).unwrap();
    assert_eq!(a.sessions[1].expected_cost, d("1.25"));
    assert_eq!(a.tx_profiles.len(), 2);
    assert_eq!(a.station_profiles.len(), 2);
    assert_eq!(
        a.station_profiles[0].profile.charging_profile_purpose,
        ChargingProfilePurpose::ChargingStationMaxProfile
    );
    for (k, p) in a.tx_profiles.iter().enumerate() {
        let mut st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
        st.start_transaction(1, t(T0), p.profile.transaction_id.clone())
            .unwrap();
        st.install_profile(p.profile.clone(), p.evse_id, ProfileVersion::V201)
            .unwrap();
        st.install_profile(
            a.station_profiles[k].profile.clone(),
            0,
            ProfileVersion::V201,
        )
        .unwrap();
        let c = st
            .composite_schedule(
                1,
                t(T0),
                4 * 3600,
                Some(chargekit::profile::ChargingRateUnit::W),
            )
            .unwrap();
        for i in &a.intervals {
            let off = (i.start - t(T0)).num_seconds() as u32;
            assert_eq!(
                c.period_at(off).unwrap().limit.unwrap(),
                i.evses[k].power_w,
                "{k} {off}"
            );
        }
    }
}

#[test]
fn replanning_after_an_arrival() {
    let s = site(
        vec![group("grid", None, None, Some(11_000))],
        vec![
            evse("A", "grid", 11_000, 3, 1),
            evse("B", "grid", 11_000, 3, 1),
        ],
    );
    let first = allocate(&request(
        s.clone(),
        vec![session("A", 30_000, 8)],
        SharingStrategy::EqualShare,
    ))
    .unwrap();
    assert_eq!(first.intervals[0].evses[0].power_w, d("11000"));
    // At 23:00 B arrives; A got 11 kWh so far: re-plan from 23:00 with the remaining need.
    let now = t(T0) + Duration::hours(1);
    let mut a = session("A", 19_000, 8);
    a.arrival = t(T0);
    let mut b = session("B", 10_000, 8);
    b.arrival = now;
    let mut req = request(s, vec![a, b], SharingStrategy::EqualShare);
    req.from = now;
    let second = allocate(&req).unwrap();
    assert_eq!(second.intervals[0].start, now);
    assert_eq!(
        second.intervals[0]
            .evses
            .iter()
            .map(|e| e.power_w)
            .collect::<Vec<_>>(),
        [d("5500"), d("5500")]
    );
    assert!(second.sessions.iter().all(|s| s.feasible));
}

#[test]
fn bad_sites_are_typed_errors() {
    let s = site(
        vec![
            group("grid", None, None, None),
            group("x", None, None, None),
        ],
        vec![],
    );
    assert!(
        matches!(allocate(&request(s, vec![], SharingStrategy::EqualShare)), Err(Error::InvalidPlanningField { field, .. }) if field == "site.groups")
    );
    let s = site(
        vec![group("grid", None, None, None)],
        vec![evse("A", "nope", 1000, 3, 1)],
    );
    assert!(
        matches!(allocate(&request(s, vec![], SharingStrategy::EqualShare)), Err(Error::InvalidPlanningField { field, .. }) if field == "site.evses[0].group")
    );
    let s = site(
        vec![group("grid", None, None, None)],
        vec![evse("A", "grid", 1000, 3, 1)],
    );
    let e = allocate(&request(
        s,
        vec![session("A", 1, 1), session("A", 1, 1)],
        SharingStrategy::EqualShare,
    ))
    .unwrap_err();
    assert!(
        matches!(e, Error::InvalidPlanningField { ref field, .. } if field == "sessions[1].evse_id"),
        "{e}"
    );
    let json = request(
        site(
            vec![group("grid", None, Some(32), None)],
            vec![evse("A", "grid", 1000, 3, 1)],
        ),
        vec![session("A", 1000, 1)],
        SharingStrategy::EarliestDeadlineFirst,
    )
    .to_json();
    let back = AllocationRequest::from_json(&json).unwrap();
    assert_eq!(back.strategy, SharingStrategy::EarliestDeadlineFirst);
    let e = AllocationRequest::from_json(&json.replace("\"phases\":3", "\"phases\":\"x\""))
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidPlanningJson { ref field, .. } if field == "site.evses[0].phases"),
        "{e}"
    );
}

// ---------------------------------------------------------------- properties

fn random_request() -> impl Strategy<Value = AllocationRequest> {
    (
        1usize..8,
        prop::collection::vec(
            (
                0u8..3,
                1u8..=3,
                1u8..=3,
                2u32..23,
                0u32..60,
                1i64..10,
                0i64..4,
                0u32..3,
            ),
            8,
        ),
        (10u32..64, 6u32..40, prop::option::of(5_000u32..40_000)),
        (0u8..3, prop::collection::vec(0i64..50, 14)),
    )
        .prop_map(
            |(n, cars, (grid_a, feeder_a, grid_w), (strategy, prices))| {
                let groups = vec![
                    group("grid", None, Some(grid_a), grid_w),
                    group("F1", Some("grid"), Some(feeder_a), None),
                    group("F2", Some("F1"), None, Some(feeder_a * 400)),
                ];
                let names = ["grid", "F1", "F2"];
                let mut evses = Vec::new();
                let mut sessions = Vec::new();
                for (i, (g, phases, first, kw, need_kwh, hours, late, min)) in
                    cars.into_iter().take(n).enumerate()
                {
                    let id = format!("E{i}");
                    evses.push(evse(&id, names[g as usize], kw * 1000, phases, first));
                    let mut s = session(&id, need_kwh * 1000, hours + late);
                    s.arrival = t(T0) + Duration::hours(late);
                    s.ev.min_power_w = (min > 0).then(|| Decimal::from(min * 1000));
                    sessions.push(s);
                }
                let strategy = [
                    SharingStrategy::EqualShare,
                    SharingStrategy::EarliestDeadlineFirst,
                    SharingStrategy::Cheapest,
                ][usize::from(strategy)];
                let mut req = request(site(groups, evses), sessions, strategy);
                req.prices = (0..14)
                    .map(|h| {
                        SeriesPoint::new(
                            t(T0) + Duration::hours(h),
                            Decimal::new(prices[h as usize], 2),
                        )
                    })
                    .collect();
                req
            },
        )
}

/// Checks every shared limit per phase (exactly: currents × 6 × V), every EVSE limit and
/// minimum rate, and that nothing is allocated outside a session's stay.
fn check_limits(req: &AllocationRequest, a: &SiteAllocation) -> Result<(), TestCaseError> {
    let v = req.site.voltage;
    let phases_of = |i: usize| -> u8 {
        let e = &req.site.evses[i];
        e.phases.min(req.sessions[i].ev.phases.unwrap_or(3))
    };
    let below = |i: usize, g: &str| -> bool {
        let mut cur = req.site.evses[i].group.clone();
        loop {
            if cur == g {
                return true;
            }
            match req
                .site
                .groups
                .iter()
                .find(|x| x.id == cur)
                .and_then(|x| x.parent.clone())
            {
                Some(p) => cur = p,
                None => return false,
            }
        }
    };
    for iv in &a.intervals {
        for (i, load) in iv.evses.iter().enumerate() {
            let s = &req.sessions[i];
            prop_assert!(load.power_w <= req.site.evses[i].max_power_w.unwrap());
            if let Some(min) = s.ev.min_power_w {
                prop_assert!(load.power_w.is_zero() || load.power_w >= min);
            }
            if iv.start < s.arrival || iv.end > s.departure {
                prop_assert!(load.power_w.is_zero());
            }
        }
        for g in &req.site.groups {
            let members: Vec<usize> = (0..req.sessions.len())
                .filter(|i| below(*i, &g.id))
                .collect();
            let total: Decimal = members.iter().map(|i| iv.evses[*i].power_w).sum();
            if let Some(w) = g.max_power_w {
                prop_assert!(total <= w, "{} W > {}", total, w);
            }
            if let Some(amps) = g.max_current_a {
                for ph in 1..=3u8 {
                    let scaled: Decimal = members
                        .iter()
                        .filter(|i| {
                            let e = &req.site.evses[**i];
                            (0..phases_of(**i)).any(|k| (e.first_phase - 1 + k) % 3 + 1 == ph)
                        })
                        .map(|i| iv.evses[*i].power_w * Decimal::from(6 / phases_of(*i)))
                        .sum();
                    prop_assert!(
                        scaled <= Decimal::from(6) * amps * v,
                        "{} L{}: {} > {}",
                        g.id,
                        ph,
                        scaled,
                        Decimal::from(6) * amps * v
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn allocations_respect_every_limit(req in random_request()) {
        let a = allocate(&req).unwrap();
        check_limits(&req, &a)?;
        for (o, s) in a.sessions.iter().zip(&req.sessions) {
            prop_assert!(o.energy_wh <= s.need_wh);
            prop_assert_eq!(o.shortfall_wh, (s.need_wh - o.energy_wh).round_dp(3).normalize());
        }
    }

    #[test]
    fn cheapest_without_prices_is_earliest_deadline_first(req in random_request()) {
        let mut req = req;
        req.prices.clear();
        req.strategy = SharingStrategy::Cheapest;
        let mut cheapest = allocate(&req).unwrap();
        req.strategy = SharingStrategy::EarliestDeadlineFirst;
        let edf = allocate(&req).unwrap();
        cheapest.strategy = edf.strategy;
        prop_assert_eq!(cheapest, edf);
    }

    #[test]
    fn cheapest_on_a_free_site_costs_what_each_own_plan_costs(
        cars in prop::collection::vec((1u8..=3, 2u32..23, 0u32..60, 0u32..1000, 1i64..10, 0i64..4, 0u32..3), 1..6),
        prices in prop::collection::vec(-5i64..50, 14),
    ) {
        // Huge limits: nothing is shared, every session gets its cheapest fill. With a
        // minimum rate the need is a whole number of full-power quarters (no interval is
        // partly filled, so the whole-interval rule changes nothing); without one, any need.
        let mut evses = Vec::new();
        let mut sessions = Vec::new();
        for (i, (phases, kw, q, r, hours, late, min)) in cars.into_iter().enumerate() {
            let id = format!("E{i}");
            evses.push(evse(&id, if i % 2 == 0 { "grid" } else { "F" }, kw * 1000, phases, (i % 3) as u8 + 1));
            let need = if min > 0 { q * 250 * kw } else { q * 1000 + r };
            let mut s = session(&id, need, hours + late);
            s.arrival = t(T0) + Duration::hours(late);
            s.ev.min_power_w = (min > 0).then(|| Decimal::from(min * 1000));
            sessions.push(s);
        }
        let groups = vec![group("grid", None, Some(100_000), Some(1_000_000_000)), group("F", Some("grid"), Some(100_000), None)];
        let mut req = request(site(groups, evses), sessions, SharingStrategy::Cheapest);
        req.prices = (0..14).map(|h| SeriesPoint::new(t(T0) + Duration::hours(h), Decimal::new(prices[h as usize], 2))).collect();
        let a = allocate(&req).unwrap();
        check_limits(&req, &a)?;
        for (i, (s, o)) in req.sessions.iter().zip(&a.sessions).enumerate() {
            let e = &req.site.evses[i];
            let mut own = PlanRequest::new(s.arrival, s.departure, s.need_wh, Decimal::ZERO);
            own.ev = s.ev.clone();
            own.evse = PowerLimits { max_power_w: e.max_power_w, phases: Some(e.phases), ..PowerLimits::default() };
            own.prices = req.prices.clone();
            let p = plan(&own).unwrap();
            prop_assert_eq!(o.expected_cost, p.expected_cost, "session {}", i);
            prop_assert_eq!(o.energy_wh, p.energy_wh, "session {}", i);
        }
    }

    #[test]
    fn equal_sessions_get_equal_shares(k in 2usize..6, grid_a in 6u32..64, kw in 3u32..23, need in 1u32..80) {
        let evses: Vec<SiteEvse> = (0..k).map(|i| evse(&format!("E{i}"), "grid", kw * 1000, 3, 1)).collect();
        let sessions: Vec<SiteSession> = (0..k).map(|i| session(&format!("E{i}"), need * 1000, 6)).collect();
        let req = request(site(vec![group("grid", None, Some(grid_a), None)], evses), sessions, SharingStrategy::EqualShare);
        let a = allocate(&req).unwrap();
        for iv in &a.intervals {
            let first = iv.evses[0].power_w;
            prop_assert!(iv.evses.iter().all(|e| e.power_w == first), "{:?}", iv.evses);
        }
        let e0 = a.sessions[0].energy_wh;
        prop_assert!(a.sessions.iter().all(|s| s.energy_wh == e0));
    }

    #[test]
    fn earliest_departure_is_never_worse_off(grid_kw in 3u32..30, need_a in 1u32..60, need_b in 1u32..60, early in 1i64..6, extra in 1i64..6) {
        // Two identical cars but for departure: under EDF the earlier one receives at least
        // as much energy before its departure as under EqualShare, and at least as much as
        // the later one in the same time.
        let evses = vec![evse("A", "grid", 22_000, 3, 1), evse("B", "grid", 22_000, 3, 1)];
        let sessions = vec![session("A", need_a * 1000, early), session("B", need_b * 1000, early + extra)];
        let s = site(vec![group("grid", None, None, Some(grid_kw * 1000))], evses);
        let edf = allocate(&request(s.clone(), sessions.clone(), SharingStrategy::EarliestDeadlineFirst)).unwrap();
        let fair = allocate(&request(s, sessions, SharingStrategy::EqualShare)).unwrap();
        prop_assert!(edf.sessions[0].energy_wh >= fair.sessions[0].energy_wh);
        let deadline = t(T0) + Duration::hours(early);
        let before = |a: &SiteAllocation, k: usize| -> Decimal {
            a.intervals.iter().filter(|i| i.end <= deadline)
                .map(|i| i.evses[k].power_w * Decimal::from((i.end - i.start).num_seconds()) / Decimal::from(3600)).sum()
        };
        // If the earlier car misses its need, it had everything it could take until then.
        if edf.sessions[0].shortfall_wh > Decimal::ZERO {
            let max = Decimal::from((grid_kw * 1000).min(22_000) * early as u32);
            prop_assert_eq!(before(&edf, 0), max);
        }
        prop_assert!(before(&edf, 0) >= before(&fair, 0));
    }
}
