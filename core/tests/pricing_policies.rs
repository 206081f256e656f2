//! Every named policy option of `docs/tariffs.md` §5 changes the price the way it says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::billing::*;
use chargekit::ocpp::OcppVersion;
use chargekit::tariff::{OcpiVersion, Tariff};
use common::*;
use serde_json::{json, Value};
use std::path::Path;

fn tariff(elements: Value) -> Tariff {
    Tariff::from_value(
        &json!({"country_code": "NL", "party_id": "ABC", "id": "T", "currency": "EUR",
        "elements": elements, "last_updated": "2026-01-01T00:00:00Z"}),
    )
    .unwrap()
}

fn cdr(start: &str, end: &str, periods: Value) -> String {
    json!({"start_date_time": start, "end_date_time": end, "currency": "EUR",
        "cdr_location": {"country": "NLD"}, "charging_periods": periods})
    .to_string()
}

fn excl(c: &str, t: &Tariff, p: &PricingPolicy) -> String {
    price_cdr(c, std::slice::from_ref(t), None, p)
        .unwrap()
        .total_cost
        .excl_vat
        .to_string()
}

fn with(f: impl FnOnce(&mut PricingPolicy)) -> PricingPolicy {
    let mut p = PricingPolicy::default();
    f(&mut p);
    p
}

/// An exact JSON number (tests never pass money through floats).
fn n(text: &str) -> Value {
    Value::Number(text.parse().unwrap())
}

fn energy_at(start: &str, kwh: &str) -> String {
    cdr(
        start,
        "2026-12-31T00:00:00Z",
        json!([{"start_date_time": start, "dimensions": [{"type": "ENERGY", "volume": n(kwh)}]}]),
    )
}

#[test]
fn step_size_modes() {
    let t = tariff(json!([{"price_components": [{"type": "TIME", "price": 1, "step_size": 900}]}]));
    // Two periods of 10 minutes.
    let c = cdr(
        "2026-03-10T10:00:00Z",
        "2026-03-10T10:20:00Z",
        json!([
            {"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [{"type": "TIME", "volume": 0.166667}]},
            {"start_date_time": "2026-03-10T10:10:00Z", "dimensions": [{"type": "TIME", "volume": 0.166667}]}]),
    );
    let mode = |m: StepSizeMode| with(|p| p.step_size = m);
    assert_eq!(excl(&c, &t, &mode(StepSizeMode::OcpiBugfix)), "0.50");
    assert_eq!(excl(&c, &t, &mode(StepSizeMode::OcpiTariffsCompat)), "0.50");
    assert_eq!(excl(&c, &t, &mode(StepSizeMode::PerPeriod)), "0.50");
    assert_eq!(excl(&c, &t, &mode(StepSizeMode::FloorPerPeriod)), "0.00");
    assert_eq!(excl(&c, &t, &mode(StepSizeMode::Ignore)), "0.33");
}

#[test]
fn equal_times() {
    let t = tariff(json!([
        {"price_components": [{"type": "ENERGY", "price": 1, "step_size": 1}],
         "restrictions": {"start_time": "10:00", "end_time": "10:00"}},
        {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}]));
    let c = energy_at("2026-03-10T12:00:00Z", "10");
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(&c, &t, &with(|p| p.equal_times = EqualTimes::WholeDay)),
        "10.00"
    );
}

#[test]
fn missing_measurement() {
    let t = tariff(json!([
        {"price_components": [{"type": "ENERGY", "price": 0.5, "step_size": 1}],
         "restrictions": {"min_power": 50}},
        {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}]));
    let c = energy_at("2026-03-10T12:00:00Z", "10");
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(
            &c,
            &t,
            &with(|p| p.missing_measurement = MissingMeasurement::Pass)
        ),
        "5.00"
    );
}

#[test]
fn time_source() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/ocpi-tariffs/v221/real_world/periods_state_no_time");
    let t = Tariff::from_json(&std::fs::read_to_string(dir.join("tariff.json")).unwrap()).unwrap();
    let c = std::fs::read_to_string(dir.join("cdr.json")).unwrap();
    let r = price_cdr(
        &c,
        std::slice::from_ref(&t),
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    assert_eq!(r.total_cost.excl_vat.to_string(), "6.00");
    assert!(r.note_ids().contains(&"periods_state_no_time"));
    // The TandemDrive case states 10.00: time derived from the period's timestamps.
    assert_eq!(
        excl(&c, &t, &with(|p| p.time_source = TimeSource::Timestamps)),
        "10.00"
    );
}

#[test]
fn flat_policy() {
    let t = tariff(json!([
        {"price_components": [{"type": "FLAT", "price": 1, "step_size": 1}, {"type": "ENERGY", "price": 0.2, "step_size": 1}],
         "restrictions": {"end_time": "12:00"}},
        {"price_components": [{"type": "FLAT", "price": 2, "step_size": 1}, {"type": "ENERGY", "price": 0.3, "step_size": 1}]}]));
    // 10:00 and 12:00 local (09:00Z, 11:00Z).
    let c = cdr(
        "2026-03-10T09:00:00Z",
        "2026-03-10T13:00:00Z",
        json!([
            {"start_date_time": "2026-03-10T09:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}]},
            {"start_date_time": "2026-03-10T11:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}]}]),
    );
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "6.00");
    assert_eq!(
        excl(&c, &t, &with(|p| p.flat = FlatPolicy::PerDistinctElement)),
        "8.00"
    );
}

#[test]
fn rounding_presets() {
    let t = tariff(json!([{"price_components": [
        {"type": "FLAT", "price": 0.50, "vat": 20, "step_size": 1},
        {"type": "ENERGY", "price": 0.25, "vat": 10, "step_size": 100}]}]));
    let c = energy_at("2026-03-10T12:00:00Z", "20.45");
    let r = |rp: RoundingPolicy| {
        let res = price_cdr(
            &c,
            std::slice::from_ref(&t),
            None,
            &with(|p| p.rounding = rp),
        )
        .unwrap();
        (
            res.total_cost.excl_vat.to_string(),
            res.total_cost.incl_vat.unwrap().to_string(),
        )
    };
    assert_eq!(r(RoundingPolicy::default()), ("5.63".into(), "6.24".into()));
    assert_eq!(
        r(RoundingPolicy::ocpi_tariffs()),
        ("5.6250".into(), "6.2375".into())
    );
    assert_eq!(
        r(RoundingPolicy::ocpi_kit()),
        ("5.63".into(), "6.24".into())
    );
    // Per line: 0.50 + 5.13 (5.125 rounded); incl 0.60 + 5.64 (5.6375 rounded).
    assert_eq!(
        r(RoundingPolicy::per_line()),
        ("5.63".into(), "6.24".into())
    );
    assert_eq!(
        r(RoundingPolicy::ev_server()),
        ("5.62".into(), "6.23".into())
    );
    assert_eq!(
        r(RoundingPolicy::exact())
            .0
            .parse::<rust_decimal::Decimal>()
            .unwrap()
            .normalize()
            .to_string(),
        "5.625"
    );
    // JPY has no minor units.
    let yen = Tariff::from_value(
        &json!({"country_code": "JP", "party_id": "ABC", "id": "Y", "currency": "JPY",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 35.5, "step_size": 1}]}]}),
    )
    .unwrap();
    let c =
        json!({"start_date_time": "2026-03-10T12:00:00Z", "end_date_time": "2026-03-10T13:00:00Z",
        "currency": "JPY", "charging_periods": [{"start_date_time": "2026-03-10T12:00:00Z",
        "dimensions": [{"type": "ENERGY", "volume": 3}]}]})
        .to_string();
    let r = price_cdr(&c, &[yen], Some("Asia/Tokyo"), &PricingPolicy::default()).unwrap();
    assert_eq!(r.total_cost.excl_vat.to_string(), "107");
}

#[test]
fn parking_definition() {
    // Charging 08:00–08:30 (5 kWh), the EVSE pauses 08:30–09:00, then charging resumes.
    let lines = vec![
        start16("s", 1, 0, 0),
        start_result("s", 7),
        status16("c", 1, "Charging", 0),
        reg16("m1", 1, 7, 30, "5000"),
        status16("p", 1, "SuspendedEVSE", 30),
        reg16("m2", 1, 7, 60, "5000"),
        status16("r", 1, "Charging", 60),
        reg16("m3", 1, 7, 90, "10000"),
        stop16("x", 7, 10000, 90),
    ];
    let s = one(OcppVersion::V16, &lines);
    let t = tariff(json!([{"price_components": [
        {"type": "TIME", "price": 1, "step_size": 1},
        {"type": "PARKING_TIME", "price": 4, "step_size": 1}]}]));
    let tz = chrono_tz::Europe::Amsterdam;
    let a = price_session(&s, std::slice::from_ref(&t), tz, &PricingPolicy::default()).unwrap();
    let b = price_session(
        &s,
        std::slice::from_ref(&t),
        tz,
        &with(|p| p.parking_definition = ParkingDefinition::EvNotRequesting),
    )
    .unwrap();
    // 2.2.1: the EVSE pause is parking (1 h charging + 0.5 h parking = 3.00).
    assert_eq!(a.total_cost.excl_vat.to_string(), "3.00");
    // 2.3.0: the EV kept requesting power, so it is charging time (1.5 h = 1.50).
    assert_eq!(b.total_cost.excl_vat.to_string(), "1.50");
}

#[test]
fn tariff_switch() {
    let mk = |id: &str, price: &str| {
        Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": id, "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": n(price), "step_size": 1}]}]})).unwrap()
    };
    let tariffs = [mk("A", "0.3"), mk("B", "0.5")];
    let c = cdr(
        "2026-03-10T09:00:00Z",
        "2026-03-10T11:00:00Z",
        json!([
            {"start_date_time": "2026-03-10T09:00:00Z", "tariff_id": "A", "dimensions": [{"type": "ENERGY", "volume": 10}]},
            {"start_date_time": "2026-03-10T10:00:00Z", "tariff_id": "B", "dimensions": [{"type": "ENERGY", "volume": 10}]}]),
    );
    let p =
        |s: TariffSwitch| price_cdr(&c, &tariffs, None, &with(|p| p.tariff_switch = s)).unwrap();
    assert_eq!(
        p(TariffSwitch::FreezeAtStart)
            .total_cost
            .excl_vat
            .to_string(),
        "6.00"
    );
    let per = p(TariffSwitch::PerPeriodTariffId);
    assert_eq!(per.total_cost.excl_vat.to_string(), "8.00");
    assert_eq!(per.tariff_ids, vec!["A", "B"]);
}

#[test]
fn weekday_of() {
    // Friday 22:00 – 06:00, Fridays only; Saturday 02:00 local = 01:00Z.
    let t = tariff(json!([
        {"price_components": [{"type": "ENERGY", "price": 0.1, "step_size": 1}],
         "restrictions": {"start_time": "22:00", "end_time": "06:00", "day_of_week": ["FRIDAY"]}},
        {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}]));
    let c = energy_at("2026-03-14T01:00:00Z", "10");
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(&c, &t, &with(|p| p.weekday_of = WeekdayOf::WindowStart)),
        "1.00"
    );
}

#[test]
fn date_time_span() {
    // From 2026-03-10 18:00 to 2026-03-12 08:00: daily 18–08 window or one span.
    let t = tariff(json!([
        {"price_components": [{"type": "ENERGY", "price": 0.1, "step_size": 1}],
         "restrictions": {"start_date": "2026-03-10", "end_date": "2026-03-12", "start_time": "18:00", "end_time": "08:00"}},
        {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}]));
    // 2026-03-11 12:00 local (11:00Z): outside the daily window, inside the span.
    let c = energy_at("2026-03-11T11:00:00Z", "10");
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(
            &c,
            &t,
            &with(|p| p.date_time_span = DateTimeSpan::Continuous)
        ),
        "1.00"
    );
}

#[test]
fn legacy_times() {
    let t = Tariff::from_json_version(
        &json!({"id": "L", "currency": "EUR", "elements": [
            {"price_components": [{"type": "ENERGY", "price": 0.1, "step_size": 1}],
             "restrictions": {"start_time": "00:00", "end_time": "07:00"}},
            {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}]})
        .to_string(),
        OcpiVersion::V211,
    )
    .unwrap();
    // 06:30Z is 07:30 in Amsterdam.
    let c = energy_at("2026-03-10T06:30:00Z", "10");
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(&c, &t, &with(|p| p.legacy_times = LegacyTimes::Utc)),
        "1.00"
    );
}

#[test]
fn elapsed_from() {
    let t = tariff(json!([
        {"price_components": [{"type": "PARKING_TIME", "price": 6, "step_size": 1}],
         "restrictions": {"min_duration": 1800}}]));
    // The CDR starts 20 minutes before its only period.
    let c = cdr(
        "2026-03-10T09:00:00Z",
        "2026-03-10T10:20:00Z",
        json!([{"start_date_time": "2026-03-10T09:20:00Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.5}]},
               {"start_date_time": "2026-03-10T09:50:00Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.5}]}]),
    );
    // The first period starts 20 min after the session start, the second 50 min: only the
    // second pays, counted from the session start or from the first period.
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "3.00");
    assert_eq!(
        excl(&c, &t, &with(|p| p.elapsed_from = ElapsedFrom::FirstPeriod)),
        "3.00"
    );
    let c2 = cdr(
        "2026-03-10T08:40:00Z",
        "2026-03-10T10:20:00Z",
        json!([{"start_date_time": "2026-03-10T09:20:00Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.5}]},
               {"start_date_time": "2026-03-10T09:50:00Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.5}]}]),
    );
    // Session start 08:40: the first period (at 40 min) already pays.
    assert_eq!(excl(&c2, &t, &PricingPolicy::default()), "6.00");
    assert_eq!(
        excl(
            &c2,
            &t,
            &with(|p| p.elapsed_from = ElapsedFrom::FirstPeriod)
        ),
        "3.00"
    );
}

#[test]
fn cdr_hours() {
    // 0.666667 h of parking in 300 s steps at 2.00 an hour: 40 minutes (8 steps), or as
    // written 40 min 0.0012 s, which is a ninth step.
    let t = tariff(
        json!([{"price_components": [{"type": "PARKING_TIME", "price": 2, "step_size": 300}]}]),
    );
    let c = cdr(
        "2026-03-10T10:00:00Z",
        "2026-03-10T10:45:00Z",
        json!([{"start_date_time": "2026-03-10T10:00:00Z",
            "dimensions": [{"type": "PARKING_TIME", "volume": n("0.666667")}]}]),
    );
    assert_eq!(excl(&c, &t, &PricingPolicy::default()), "1.33");
    assert_eq!(
        excl(&c, &t, &with(|p| p.cdr_hours = CdrHours::Exact)),
        "1.50"
    );
    // The peer presets give their peers' totals on the 2-period benchmark CDR: 9.43 excl.
    // VAT in ocpi-kit 0.4 and ocpi-tariffs (the default reading gives 9.26).
    let bench = include_str!("../../benches/data/cdr_2_periods.json");
    let tou = Tariff::from_json(include_str!("../../benches/data/tou_tariff.json")).unwrap();
    for (policy, total) in [
        (PricingPolicy::ocpi_kit(), "9.43"),
        (PricingPolicy::ocpi_tariffs(), "9.4300"),
        (PricingPolicy::default(), "9.26"),
    ] {
        assert_eq!(excl(bench, &tou, &policy), total);
    }
}
