//! The 19 composite-schedule vectors (tests/vectors/composite, derived from EVerest; see its
//! NOTICE.md): every case must reproduce expected.json with the default options, and each
//! named alternative gives the alternative result the vectors' README names. The `§3 #n`
//! headings below are the options of `docs/charging-profiles.md` §3.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    CompositeCase, CompositeSchedule, DuplicatePolicy, Evse0, GapFill, LimitSourceKind,
    PhaseSource, ProfileVersion, RecurringBeforeStart, Rule, StationOptions,
};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

fn read(name: &str) -> Value {
    let path = format!(
        "{}/tests/vectors/composite/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cases() -> Vec<(String, CompositeCase)> {
    let v = read("cases.json");
    v["cases"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, c)| (k.clone(), serde_json::from_value(c.clone()).unwrap()))
        .collect()
}

fn expected(name: &str) -> Value {
    read("expected.json")["expected"][name].clone()
}

/// The vectors are profile sets as EVerest's unit tests store them, without the install
/// checks between profiles: two cases hold sets a station would not accept from a CSMS
/// (NoGapsWithSequentialProfiles: two TxDefaults at stackLevel 5, K01.FR.06;
/// OCTT_TC_K_41_CS: TxDefault and TxProfile both with id 2, K01.FR.05). They are loaded
/// with `duplicates: keep`; every composite option keeps its default.
fn vector_options() -> StationOptions {
    StationOptions {
        duplicates: DuplicatePolicy::Keep,
        ..StationOptions::default()
    }
}

fn run(case: &CompositeCase, options: StationOptions) -> CompositeSchedule {
    let (station, request) = case.station(options).unwrap();
    request.run(&station).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap()
}

/// The README's comparison rules: duration and (startPeriod, limit) exactly; numberPhases
/// equal where expected.json has one, "3 or absent" where it has none.
fn compare(name: &str, got: &CompositeSchedule) -> Result<(), String> {
    let want = expected(name);
    let ocpp = got.to_ocpp(ProfileVersion::V201)["schedule"].clone();
    if ocpp["duration"] != want["duration"] {
        return Err(format!(
            "duration {} != {}",
            ocpp["duration"], want["duration"]
        ));
    }
    if ocpp["evseId"] != want["evseId"] || ocpp["scheduleStart"] != want["scheduleStart"] {
        return Err(format!("header {ocpp} != {want}"));
    }
    if ocpp["chargingRateUnit"] != want["chargingRateUnit"] {
        return Err("unit".into());
    }
    let gp = ocpp["chargingSchedulePeriod"].as_array().unwrap();
    let wp = want["chargingSchedulePeriod"].as_array().unwrap();
    let show = |ps: &Vec<Value>| {
        ps.iter()
            .map(|p| format!("{}:{}/{}", p["startPeriod"], p["limit"], p["numberPhases"]))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mismatch = || format!("got [{}], want [{}]", show(gp), show(wp));
    if gp.len() != wp.len() {
        return Err(mismatch());
    }
    for (g, w) in gp.iter().zip(wp) {
        if g["startPeriod"] != w["startPeriod"] || dec(&g["limit"]) != dec(&w["limit"]) {
            return Err(mismatch());
        }
        match (&w["numberPhases"], &g["numberPhases"]) {
            (Value::Null, Value::Null) => {}
            (Value::Null, n) if n == 3 => {}
            (w, g) if w == g => {}
            _ => return Err(mismatch()),
        }
    }
    Ok(())
}

#[test]
fn all_19_cases_reproduce_expected_with_default_options() {
    let cases = cases();
    assert_eq!(cases.len(), 19);
    let mut failures = Vec::new();
    for (name, case) in &cases {
        let got = run(case, vector_options());
        if let Err(e) = compare(name, &got) {
            failures.push(format!("{name}: {e}"));
        }
        // Every period names what bound it.
        for p in &got.periods {
            assert_ne!(
                p.source,
                LimitSourceKind::Reported,
                "{name}: computed period marked Reported"
            );
            assert_eq!(
                p.binding.is_some(),
                p.source == LimitSourceKind::Profile,
                "{name}"
            );
            assert_eq!(
                !p.evse_sources.is_empty(),
                p.source == LimitSourceKind::EvseSum,
                "{name}"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 19 differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn case(name: &str) -> CompositeCase {
    cases().into_iter().find(|(n, _)| n == name).unwrap().1
}

/// `(startPeriod, limit)` pairs as text, for compact assertions.
fn pairs(s: &CompositeSchedule) -> Vec<String> {
    s.periods
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p.start_period,
                p.limit
                    .map_or("none".to_string(), |l| l.normalize().to_string())
            )
        })
        .collect()
}

fn with(f: impl FnOnce(&mut StationOptions)) -> StationOptions {
    let mut o = vector_options();
    f(&mut o);
    o
}

// ---- §3 #1 GapFill ----

#[test]
fn gap_fill_no_limit_reports_none_in_gaps() {
    let o = || with(|o| o.gap_fill = GapFill::NoLimit);
    assert_eq!(
        pairs(&run(&case("NoGapsWithSequentialProfiles"), o())),
        ["0:16", "300:12", "600:none"]
    );
    assert_eq!(
        pairs(&run(&case("v21_stack_monday_2024-01-15"), o())),
        ["0:none", "3600:2000", "14400:none"]
    );
    assert_eq!(
        pairs(&run(&case("recurring_daily_future_start"), o())),
        [
            "0:none",
            "288000:16",
            "289800:15",
            "290700:14",
            "291600:none"
        ]
    );
    let week = run(&case("v21_stack_week_2024-01-08"), o());
    assert_eq!(week.periods.len(), 14);
    assert!(week
        .periods
        .iter()
        .step_by(2)
        .take(7)
        .all(|p| p.limit.is_none()));
    assert_eq!(week.periods[13].limit, Some(Decimal::from(999_999)));
    // The OCPP output omits the limit of such periods.
    let r = run(&case("NoGapsWithSequentialProfiles"), o()).to_ocpp(ProfileVersion::V201);
    assert!(r["schedule"]["chargingSchedulePeriod"][2]
        .get("limit")
        .is_none());
}

// ---- §3 #2 RecurringBeforeStart ----

#[test]
fn recurring_ignore_before_start_drops_the_future_station_max() {
    let o = || with(|o| o.recurring_before_start = RecurringBeforeStart::Ignore);
    // README: "With Ignore, the 16_A_1P result becomes 18/12/9/6/3 A".
    let s = run(&case("MixingCurrentAndPower_16A_1P"), o());
    assert_eq!(pairs(&s), ["0:18", "300:12", "600:9", "900:6", "1200:3"]);
    assert!(s.periods.iter().all(|p| p.number_phases.is_none()));
    // In W the TxDefault applies unchanged, no 6900 W cap.
    let s = run(&case("MixingCurrentAndPower_10A_3P_RequestPower"), o());
    assert_eq!(
        pairs(&s),
        ["0:12420", "300:8280", "600:6210", "900:4140", "1200:2070"]
    );
}

// ---- §3 #3 Evse0 ----

#[test]
fn evse0_station_profiles_only_does_not_sum() {
    let o = || with(|o| o.evse0 = Evse0::StationProfilesOnly);
    assert_eq!(
        pairs(&run(&case("TxDefaultConnector0_evse0"), o())),
        ["0:1000", "70:7000", "140:0", "210:6000", "280:1500", "350:5000"]
    );
    assert_eq!(
        pairs(&run(
            &case("SingleTxDefaultProfileForEvse0WithMultipleEvses_Power"),
            o()
        )),
        ["0:18", "300:12", "600:9", "900:6", "1200:3"]
    );
    // With one EVSE both readings agree.
    assert_eq!(pairs(&run(&case("ZeroDuration_1s"), o())), ["0:32"]);
}

#[test]
fn evse0_sum_names_each_evse_source() {
    let s = run(&case("TxDefaultConnector0_evse0"), vector_options());
    let first = &s.periods[0];
    assert_eq!(first.source, LimitSourceKind::EvseSum);
    assert_eq!(
        first
            .evse_sources
            .iter()
            .map(|e| e.evse_id)
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(first
        .evse_sources
        .iter()
        .all(|e| e.binding.unwrap().id == 66));
    assert_eq!(
        first.profiles.iter().map(|p| p.id).collect::<Vec<_>>(),
        [66]
    );
}

// ---- §3 #4 PhaseSource ----

#[test]
fn phase_source_per_profile_converts_with_each_profiles_phases() {
    let s = run(
        &case("MixingCurrentAndPower_16A_1P"),
        with(|o| o.phase_source = PhaseSource::PerProfile),
    );
    // 2070 W / (230 V x 3) = 3 A instead of 9 A; StationMax 16 A (1 phase) caps the first.
    assert_eq!(pairs(&s), ["0:16", "300:12", "600:9", "900:6", "1200:3"]);
    assert_eq!(s.periods[0].number_phases, Some(1));
}

// ---- §3 #5 merging ----

#[test]
fn without_merging_octt_has_the_duplicate_periods() {
    let merged = run(&case("OCTT_TC_K_41_CS"), vector_options());
    assert_eq!(merged.periods.len(), 6);
    let raw = run(
        &case("OCTT_TC_K_41_CS"),
        with(|o| o.merge_equal_adjacent = false),
    );
    assert!(raw.periods.len() > 6, "{:?}", pairs(&raw));
    assert!(raw.periods.windows(2).any(|w| w[0].limit == w[1].limit));
}

// ---- the install rules the vectors bypass ----

#[test]
fn default_install_rules_reject_what_the_vectors_store_directly() {
    let err = case("NoGapsWithSequentialProfiles")
        .station(StationOptions::default())
        .unwrap_err();
    assert_eq!(err.rule(), Some(Rule::DuplicateValidity));
    // Same id 2 on TxDefault and TxProfile: the TxProfile replaces the TxDefault (K01.FR.05),
    // so the 8 A TxDefault tail at 260 s is gone.
    let (st, req) = case("OCTT_TC_K_41_CS")
        .station(StationOptions::default())
        .unwrap();
    assert_eq!(st.profiles().len(), 2);
    assert_eq!(
        pairs(&req.run(&st).unwrap()),
        ["0:8", "46:10", "196:6", "236:10"]
    );
    // The other 17 cases install under the default rules and give the same result.
    for (name, c) in cases() {
        if name == "NoGapsWithSequentialProfiles" || name == "OCTT_TC_K_41_CS" {
            continue;
        }
        let got = run(&c, StationOptions::default());
        compare(&name, &got).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// How long it takes is for the planning benchmark; here only what it gives.
#[test]
fn a_year_of_the_hourly_grid_gives_one_period_per_hour() {
    let (station, mut request) = case("grid_24h_W").station(vector_options()).unwrap();
    request.duration_s = 366 * 86_400;
    let s = request.run(&station).unwrap();
    assert_eq!(s.periods.len(), 366 * 24);
    assert_eq!(s.periods[24].start_period, 86_400);
    assert_eq!(
        s.periods.last().map(|p| p.start_period),
        Some((366 * 24 - 1) * 3_600)
    );
}
