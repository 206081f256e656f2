//! OCPP 2.1 station tariffs: validation as a station answers, local cost calculation and
//! the check of a station's report, on sessions read from OCPP 2.0.1 logs. Every expected
//! figure is worked out in the comments.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use chargekit::ocpp::OcppVersion::V201;
use chargekit::session::Session;
use chargekit::station_tariff::*;
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn tariff(v: Value) -> StationTariff {
    StationTariff::from_value(&v).unwrap()
}

fn reg(wh: i64) -> Value {
    reg201(&wh.to_string())
}

/// A 2.0.1 transaction from 08:00Z: `(minute, state, register Wh)` per event; the first is
/// Started, the last Ended.
fn tx(events: &[(i64, &str, i64)]) -> Session {
    let n = events.len();
    let lines: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, (min, state, wh))| {
            let kind = if i == 0 {
                "Started"
            } else if i + 1 == n {
                "Ended"
            } else {
                "Updated"
            };
            ev201(
                &format!("m{i}"),
                "TX1",
                kind,
                i as u64,
                *min,
                Some(state),
                vec![reg(*wh)],
                json!({}),
            )
        })
        .collect();
    one(V201, &lines)
}

fn opts() -> LocalCostOptions {
    LocalCostOptions::new(chrono_tz::Europe::Amsterdam)
}

fn amount(a: Option<Amount>) -> (String, String) {
    let a = a.unwrap();
    (
        a.excl_tax.unwrap().to_string(),
        a.incl_tax.unwrap().to_string(),
    )
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

#[test]
fn time_of_day_price_change_inside_a_session() {
    // 10:30–11:30 local (09:30Z–10:30Z on 10 March, CET = UTC+1), 20 kWh evenly.
    // Cheap before 11:00 local, 0.40 after: the cut is at 10:00Z, the midpoint,
    // where the register is at 10 kWh.
    let s = tx(&[(90, "Charging", 0), (150, "Charging", 20000)]);
    let t = tariff(
        json!({"tariffId":"TOD","currency":"EUR","energy":{"prices":[
        {"priceKwh":0.20,"conditions":{"endTimeOfDay":"11:00"}},
        {"priceKwh":0.40}]}}),
    );
    let d = cost_details(&s, &TariffTimeline::new(t), None, &opts()).unwrap();
    // 10 kWh × 0.20 + 10 kWh × 0.40 = 2.00 + 4.00 = 6.00 (no taxes: incl = excl).
    assert_eq!(amount(d.total_cost.energy), ("6.00".into(), "6.00".into()));
    assert_eq!(d.charging_periods.len(), 2);
    assert_eq!(
        d.charging_periods[1].start_period,
        at("2026-03-10T10:00:00Z")
    );
    assert_eq!(
        d.charging_periods[0]
            .volume(CostDimensionKind::Energy)
            .unwrap()
            .to_string(),
        "10000"
    );
    assert_eq!(d.charging_periods[1].tariff_id.as_deref(), Some("TOD"));
    assert_eq!(d.total_usage.charging_time, 3600);
}

#[test]
fn idle_time_after_charging_with_a_grace_period() {
    // 08:00–09:00 charging 10 kWh, then EVConnected until 10:00 (idle 3600 s).
    // Idle costs 0.10/min after 30 minutes of idle time (cumulative minIdleTime 1800).
    let s = tx(&[
        (0, "Charging", 0),
        (60, "EVConnected", 10000),
        (120, "EVConnected", 10000),
    ]);
    let t = tariff(json!({"tariffId":"IDLE","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.30}]},
        "idleTime":{"prices":[{"priceMinute":0.10,"conditions":{"minIdleTime":1800}}]}}));
    let d = cost_details(&s, &TariffTimeline::new(t), None, &opts()).unwrap();
    // Energy 10 × 0.30 = 3.00; idle (60 − 30) min × 0.10 = 3.00; total 6.00.
    assert_eq!(amount(d.total_cost.energy), ("3.00".into(), "3.00".into()));
    assert_eq!(
        amount(d.total_cost.idle_time),
        ("3.00".into(), "3.00".into())
    );
    assert_eq!(d.total_cost.total.excl_tax.unwrap().to_string(), "6.00");
    assert_eq!(
        (d.total_usage.charging_time, d.total_usage.idle_time),
        (3600, 3600)
    );
    // Periods: charging (no idle price yet), the grace half hour shares its prices
    // with charging, the idle fee from 09:30Z.
    let starts: Vec<_> = d.charging_periods.iter().map(|p| p.start_period).collect();
    assert_eq!(
        starts,
        vec![at("2026-03-10T08:00:00Z"), at("2026-03-10T09:30:00Z")]
    );
    assert_eq!(
        d.charging_periods[1]
            .volume(CostDimensionKind::IdleTime)
            .unwrap()
            .to_string(),
        "1800"
    );
    // The schema's spelling on output.
    assert!(d.to_json().contains("\"IdleTIme\""));
}

#[test]
fn tariff_change_mid_transaction() {
    // 08:00–10:00, 10 kWh per hour. Tariff A (0.30/kWh, 21 % VAT, start fee 1.00) until
    // ChangeTransactionTariff to B (0.25/kWh, 21 % VAT, start fee 5.00) at 09:00Z.
    let s = tx(&[
        (0, "Charging", 0),
        (60, "Charging", 10000),
        (120, "Charging", 20000),
    ]);
    let vat = json!([{"type":"VAT","tax":21}]);
    let a = tariff(json!({"tariffId":"A","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.30}],"taxRates":vat},
        "fixedFee":{"prices":[{"priceFixed":1.00}],"taxRates":vat}}));
    let b = tariff(json!({"tariffId":"B","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.25}],"taxRates":vat},
        "fixedFee":{"prices":[{"priceFixed":5.00}],"taxRates":vat}}));
    let tl = TariffTimeline::new(a.clone()).change_at(at("2026-03-10T09:00:00Z"), b.clone());
    let d = cost_details(&s, &tl, None, &opts()).unwrap();
    // Energy: 10 × 0.30 + 10 × 0.25 = 3.00 + 2.50 = 5.50; with VAT 6.655 → 6.66.
    assert_eq!(amount(d.total_cost.energy), ("5.50".into(), "6.66".into()));
    // The start fee is the one of the tariff at the start (A): 1.00, 1.21.
    assert_eq!(amount(d.total_cost.fixed), ("1.00".into(), "1.21".into()));
    // Total: 5.50 + 1.00 = 6.50; 6.66 + 1.21 = 7.87.
    assert_eq!(
        d.total_cost.total,
        Amount::new("6.50".parse().unwrap(), "7.87".parse().unwrap())
    );
    let ids: Vec<_> = d
        .charging_periods
        .iter()
        .map(|p| p.tariff_id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec!["A", "B"]);
    // A change to another currency cannot be priced.
    let usd =
        tariff(json!({"tariffId":"U","currency":"USD","energy":{"prices":[{"priceKwh":0.3}]}}));
    let tl = TariffTimeline::new(a.clone()).change_at(at("2026-03-10T09:00:00Z"), usd.clone());
    let d = cost_details(&s, &tl, None, &opts()).unwrap();
    assert_eq!(d.failure_to_calculate, Some(true));
    assert!(d.failure_reason.unwrap().contains("USD"));
    // And a station answers such a change NoCurrencyChange.
    let caps = StationCapabilities::default();
    assert_eq!(
        usd.validate_change(Some(&a), &caps).0,
        TariffChangeStatus::NoCurrencyChange
    );
    assert_eq!(
        b.validate_change(Some(&a), &caps).0,
        TariffChangeStatus::Accepted
    );
    assert_eq!(
        b.validate_change(None, &caps).0,
        TariffChangeStatus::TxNotFound
    );
}

#[test]
fn min_and_max_cost() {
    // 1 hour, 10 kWh at 0.30 = 3.00 net.
    let s = tx(&[(0, "Charging", 0), (60, "Charging", 10000)]);
    let base = |extra: Value| {
        let mut v =
            json!({"tariffId":"M","currency":"EUR","energy":{"prices":[{"priceKwh":0.30}]}});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        TariffTimeline::new(tariff(v))
    };
    // minCost 5.00 net with 21 % VAT: total raised to 5.00 / 6.05; the component stays 3.00.
    let d = cost_details(
        &s,
        &base(json!({"minCost":{"exclTax":5.00,"taxRates":[{"type":"VAT","tax":21}]}})),
        None,
        &opts(),
    )
    .unwrap();
    assert_eq!(d.total_cost.type_of_cost, TypeOfCost::MinCost);
    assert_eq!(
        d.total_cost.total,
        Amount::new("5.00".parse().unwrap(), "6.05".parse().unwrap())
    );
    assert_eq!(amount(d.total_cost.energy), ("3.00".into(), "3.00".into()));
    // maxCost 2.00 (both halves stated): capped.
    let d = cost_details(
        &s,
        &base(json!({"maxCost":{"exclTax":2.00,"inclTax":2.42}})),
        None,
        &opts(),
    )
    .unwrap();
    assert_eq!(d.total_cost.type_of_cost, TypeOfCost::MaxCost);
    assert_eq!(
        d.total_cost.total,
        Amount::new("2.00".parse().unwrap(), "2.42".parse().unwrap())
    );
    // Between the bounds: NormalCost.
    let d = cost_details(
        &s,
        &base(json!({"minCost":{"exclTax":1},"maxCost":{"exclTax":10}})),
        None,
        &opts(),
    )
    .unwrap();
    assert_eq!(d.total_cost.type_of_cost, TypeOfCost::NormalCost);
    assert_eq!(d.total_cost.total.excl_tax.unwrap().to_string(), "3.00");
}

#[test]
fn stacked_taxes() {
    // 10 kWh × 1.00 = 10.00 net. Stack 0: 19 % VAT → 11.90; stack 1: 10 % on top of that
    // → 13.09. A second stack-0 rate of 1 % shares the net base: stack 0 is 20 % →
    // 12.00, stack 1 → 13.20.
    let s = tx(&[(0, "Charging", 0), (60, "Charging", 10000)]);
    let t = |rates: Value| {
        TariffTimeline::new(tariff(json!({"tariffId":"TX","currency":"EUR",
            "energy":{"prices":[{"priceKwh":1}],"taxRates":rates}})))
    };
    let d = cost_details(
        &s,
        &t(json!([{"type":"VAT","tax":19,"stack":0},{"type":"Levy","tax":10,"stack":1}])),
        None,
        &opts(),
    )
    .unwrap();
    assert_eq!(
        amount(d.total_cost.energy),
        ("10.00".into(), "13.09".into())
    );
    let d = cost_details(
        &s,
        &t(json!([{"type":"VAT","tax":19},{"type":"Local","tax":1},{"type":"Levy","tax":10,"stack":1}])),
        None,
        &opts(),
    )
    .unwrap();
    assert_eq!(
        amount(d.total_cost.energy),
        ("10.00".into(), "13.20".into())
    );
}

#[test]
fn station_answers() {
    let t = tariff(json!({"tariffId":"T9","currency":"EUR",
        "energy":{"prices":[
            {"priceKwh":0.20,"conditions":{"startTimeOfDay":"23:00","endTimeOfDay":"07:00"}},
            {"priceKwh":0.30,"conditions":{"minPower":50000}},
            {"priceKwh":0.35}]},
        "fixedFee":{"prices":[{"priceFixed":0.5,"conditions":{"paymentBrand":"VISA"}},{"priceFixed":0}]}}));
    // A station that evaluates time-of-day but not power or payment conditions.
    let caps = StationCapabilities {
        supported_conditions: vec![ConditionKind::StartTimeOfDay, ConditionKind::EndTimeOfDay],
        ..StationCapabilities::default()
    };
    let v = t.validate(&caps);
    assert_eq!(v.status, TariffSetStatus::ConditionNotSupported);
    let paths: Vec<_> = v.reasons.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "$.energy.prices[1].conditions.minPower",
            "$.fixedFee.prices[0].conditions.paymentBrand"
        ]
    );
    // MaxElements[Tariff] = 2: the three energy prices are too many (and outrank the
    // unsupported conditions).
    let caps2 = StationCapabilities {
        max_elements: Some(2),
        ..caps.clone()
    };
    let v = t.validate(&caps2);
    assert_eq!(v.status, TariffSetStatus::TooManyElements);
    assert_eq!(v.reasons[0].path, "$.energy.prices");
    // An id already installed.
    let caps3 = StationCapabilities {
        existing_tariff_ids: vec!["T9".into()],
        ..StationCapabilities::default()
    };
    assert_eq!(
        t.validate(&caps3).status,
        TariffSetStatus::DuplicateTariffId
    );
    assert_eq!(
        t.validate(&StationCapabilities::default()).status,
        TariffSetStatus::Accepted
    );
    // A station charging in another currency rejects it.
    let caps4 = StationCapabilities {
        currency: Some("GBP".parse().unwrap()),
        ..StationCapabilities::default()
    };
    assert_eq!(t.validate(&caps4).status, TariffSetStatus::Rejected);
}

#[test]
fn schema_violations_are_typed_errors_naming_the_field() {
    use chargekit::Error;
    let path_of = |v: Value| match StationTariff::from_value(&v) {
        Err(Error::InvalidTariffField { path, .. }) | Err(Error::MissingTariffField { path }) => {
            path
        }
        other => format!("{other:?}"),
    };
    let long = "x".repeat(61);
    assert_eq!(
        path_of(json!({"tariffId":long,"currency":"EUR"})),
        "$.tariffId"
    );
    assert_eq!(path_of(json!({"currency":"EUR"})), "$.tariffId");
    let six: Vec<Value> = (0..6).map(|_| json!({"type":"VAT","tax":1})).collect();
    assert_eq!(
        path_of(
            json!({"tariffId":"T","currency":"EUR","energy":{"prices":[{"priceKwh":1}],"taxRates":six}})
        ),
        "$.energy.taxRates"
    );
    assert_eq!(
        path_of(
            json!({"tariffId":"T","currency":"EUR","idleTime":{"prices":[{"priceMinute":1,
            "conditions":{"startTimeOfDay":"25:00"}}]}})
        ),
        "$.idleTime.prices[0].conditions.startTimeOfDay"
    );
    assert_eq!(
        path_of(json!({"tariffId":"T","currency":"EUR","energy":{"prices":[]}})),
        "$.energy.prices"
    );
    assert_eq!(
        path_of(
            json!({"tariffId":"T","currency":"EUR","energy":{"prices":[{"priceKwh":1,"conditions":{"minTime":-5}}]}})
        ),
        "$.energy.prices[0].conditions.minTime"
    );
    assert_eq!(
        path_of(json!({"tariffId":"T","currency":"EUR","colour":"red"})),
        "$.colour"
    );
    assert!(matches!(
        StationTariff::from_value(&json!({"tariffId":"T","currency":"EU"})),
        Err(Error::InvalidCurrency { .. })
    ));
    assert!(matches!(
        StationTariff::from_json("{"),
        Err(Error::TariffJson { .. })
    ));
}

#[test]
fn a_report_differing_in_one_dimension() {
    // 1 h charging 10 kWh + 1 h idle. Energy 0.30/kWh, idle 0.05/min, 21 % VAT on energy.
    let s = tx(&[
        (0, "Charging", 0),
        (60, "SuspendedEV", 10000),
        (120, "SuspendedEV", 10000),
    ]);
    let tl = TariffTimeline::new(tariff(json!({"tariffId":"C","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.30}],"taxRates":[{"type":"VAT","tax":21}]},
        "idleTime":{"prices":[{"priceMinute":0.05}]}})));
    let ours = cost_details(&s, &tl, None, &opts()).unwrap();
    // Energy 3.00 / 3.63; idle 60 × 0.05 = 3.00; total 6.00 / 6.63.
    assert_eq!(
        ours.total_cost.total,
        Amount::new("6.00".parse().unwrap(), "6.63".parse().unwrap())
    );
    let same = check_cost_details(&s, &tl, None, &ours, &CheckOptions::default()).unwrap();
    assert_eq!(same.verdict, CheckVerdict::Match);
    // The station charged 70 minutes of idle time; it also sums to a different total.
    let mut theirs = ours.clone();
    theirs.total_cost.idle_time = Some(Amount::new(
        "3.50".parse().unwrap(),
        "3.50".parse().unwrap(),
    ));
    let c = check_cost_details(&s, &tl, None, &theirs, &CheckOptions::default()).unwrap();
    assert_eq!(c.verdict, CheckVerdict::Mismatch);
    let items: Vec<_> = c.differences().iter().map(|l| l.item).collect();
    assert_eq!(
        items,
        vec![CheckItem::IdleTimeExclTax, CheckItem::IdleTimeInclTax]
    );
    assert_eq!(c.differences()[0].difference.unwrap().to_string(), "0.50");
    // A tolerance of 0.50 accepts it.
    let lenient = CheckOptions {
        amount_tolerance: "0.5".parse().unwrap(),
        ..CheckOptions::default()
    };
    assert_eq!(
        check_cost_details(&s, &tl, None, &theirs, &lenient)
            .unwrap()
            .verdict,
        CheckVerdict::Match
    );
    // The report survives its JSON.
    assert_eq!(CostDetails::from_json(&theirs.to_json()).unwrap(), theirs);
}

#[test]
fn running_cost_and_cost_limit() {
    // 2 h at 10 kWh/h, 0.30/kWh + 21 % VAT: 3.63 per hour gross.
    let s = tx(&[
        (0, "Charging", 0),
        (60, "Charging", 10000),
        (120, "Charging", 20000),
    ]);
    let tl = TariffTimeline::new(tariff(json!({"tariffId":"L","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.30}],"taxRates":[{"type":"VAT","tax":21}]}})));
    let d = cost_details(&s, &tl, Some(at("2026-03-10T08:30:00Z")), &opts()).unwrap();
    // Half an hour: 5 kWh → 1.50 / 1.815 → 1.82; running reports carry no periods.
    assert_eq!(
        d.total_cost.total,
        Amount::new("1.50".parse().unwrap(), "1.82".parse().unwrap())
    );
    assert!(d.charging_periods.is_empty());
    // A limit of 5.445 gross is 1.5 hours in (3.63 × 1.5).
    let t = cost_limit_reached(
        &s,
        &tl,
        "5.445".parse().unwrap(),
        CostLimitBasis::InclTax,
        &opts(),
    )
    .unwrap();
    assert_eq!(t, Some(at("2026-03-10T09:30:00Z")));
    // Net 6.00 is the whole session: reached at its end; 6.01 never.
    let t = cost_limit_reached(&s, &tl, 6.into(), CostLimitBasis::ExclTax, &opts()).unwrap();
    assert_eq!(t, Some(at("2026-03-10T10:00:00Z")));
    let t = cost_limit_reached(
        &s,
        &tl,
        "6.01".parse().unwrap(),
        CostLimitBasis::ExclTax,
        &opts(),
    )
    .unwrap();
    assert_eq!(t, None);
}

#[test]
fn fixed_fee_conditions_and_unmatched_prices() {
    let s = tx(&[(0, "Charging", 0), (60, "Charging", 10000)]);
    let tl = TariffTimeline::new(tariff(json!({"tariffId":"F","currency":"EUR",
        "energy":{"prices":[{"priceKwh":0.30,"conditions":{"evseKind":"DC"}}]},
        "fixedFee":{"prices":[{"priceFixed":0.35,"conditions":{"paymentBrand":"VISA"}},{"priceFixed":0}]}})));
    // An AC EVSE paid with VISA: the DC-only energy price never applies (free by default).
    let o = LocalCostOptions {
        evse_kind: Some(EvseKind::Ac),
        payment_brand: Some("visa".into()),
        ..opts()
    };
    let d = cost_details(&s, &tl, None, &o).unwrap();
    assert_eq!(amount(d.total_cost.fixed), ("0.35".into(), "0.35".into()));
    assert_eq!(amount(d.total_cost.energy), ("0.00".into(), "0.00".into()));
    let strict = LocalCostOptions {
        unmatched_price: UnmatchedPrice::FailToCalculate,
        ..o
    };
    let d = cost_details(&s, &tl, None, &strict).unwrap();
    assert_eq!(d.failure_to_calculate, Some(true));
}

fn arb_tariff() -> impl Strategy<Value = Value> {
    (0u32..100, 0u32..20, 0u32..20, 0u32..300, prop::option::of(0u32..25), 0u32..24)
        .prop_map(|(kwh, charge, idle, fee, vat, hour)| {
            let rates = match vat {
                Some(v) => json!([{"type":"VAT","tax":v}]),
                None => json!([{"type":"None","tax":0}]),
            };
            json!({"tariffId":"P","currency":"EUR",
                "energy":{"prices":[
                    {"priceKwh": f64::from(kwh) / 100.0 + 0.1,
                     "conditions":{"startTimeOfDay":format!("{hour:02}:00")}},
                    {"priceKwh": f64::from(kwh) / 100.0}],"taxRates":rates},
                "chargingTime":{"prices":[{"priceMinute": f64::from(charge) / 100.0}]},
                "idleTime":{"prices":[{"priceMinute": f64::from(idle) / 100.0,"conditions":{"minIdleTime":600}}]},
                "fixedFee":{"prices":[{"priceFixed": f64::from(fee) / 100.0}]}})
        })
}

fn arb_session() -> impl Strategy<Value = Vec<(i64, &'static str, i64)>> {
    prop::collection::vec((1i64..90, 0i64..20000, prop::bool::ANY), 1..6).prop_map(|steps| {
        let mut out = vec![(0, "Charging", 0)];
        let (mut min, mut wh) = (0, 0);
        for (dm, dwh, charging) in steps {
            min += dm;
            let state = if charging { "Charging" } else { "EVConnected" };
            if charging {
                wh += dwh;
            }
            out.push((min, state, wh));
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn components_sum_to_the_total_and_json_round_trips(t in arb_tariff(), ev in arb_session()) {
        let s = tx(&ev);
        let t = tariff(t);
        prop_assert_eq!(StationTariff::from_json(&t.to_json()).unwrap(), t.clone());
        let d = cost_details(&s, &TariffTimeline::new(t), None, &opts()).unwrap();
        let c = &d.total_cost;
        let parts = [c.fixed, c.energy, c.charging_time, c.idle_time];
        let excl: rust_decimal::Decimal = parts.iter().flatten().map(|a| a.excl_tax.unwrap()).sum();
        let incl: rust_decimal::Decimal = parts.iter().flatten().map(|a| a.incl_tax.unwrap()).sum();
        prop_assert_eq!(c.type_of_cost, TypeOfCost::NormalCost);
        prop_assert_eq!(c.total, Amount::new(excl, incl));
        prop_assert!(incl >= excl);
        prop_assert_eq!(CostDetails::from_json(&d.to_json()).unwrap(), d.clone());
        let periods_energy: rust_decimal::Decimal = d.charging_periods.iter()
            .map(|p| p.volume(CostDimensionKind::Energy).unwrap()).sum();
        prop_assert_eq!(periods_energy, d.total_usage.energy);
        prop_assert_eq!(d.total_usage.charging_time + d.total_usage.idle_time, s.duration_s());
    }

    #[test]
    fn cost_is_monotone_in_time(t in arb_tariff(), ev in arb_session(), a in 0i64..400, b in 0i64..400) {
        let s = tx(&ev);
        let tl = TariffTimeline::new(tariff(t));
        let (a, b) = (a.min(b), a.max(b));
        let when = |m: i64| Some(s.start + chrono::TimeDelta::minutes(m));
        let da = cost_details(&s, &tl, when(a), &opts()).unwrap();
        let db = cost_details(&s, &tl, when(b), &opts()).unwrap();
        prop_assert!(da.total_cost.total.excl_tax <= db.total_cost.total.excl_tax);
        prop_assert!(da.total_cost.total.incl_tax <= db.total_cost.total.incl_tax);
        prop_assert!(da.total_usage.energy <= db.total_usage.energy);
    }
}
