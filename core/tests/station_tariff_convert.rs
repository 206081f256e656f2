//! Conversion between OCPP 2.1 station tariffs and OCPI tariffs: worked examples both ways,
//! the losses reported, and a property: OCPI → 2.1 → OCPI prices every session identically
//! whenever nothing was lost.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chargekit::billing::{price_input, PricingInput, PricingPeriod, PricingPolicy};
use chargekit::station_tariff::*;
use chargekit::tariff::{
    OcpiVersion, PriceComponent, Restrictions, Tariff, TariffDimension, TariffElement, Vat,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn kinds(l: &[ConversionLoss]) -> Vec<(ConversionLossKind, &str)> {
    l.iter().map(|l| (l.what, l.path.as_str())).collect()
}

#[test]
fn ocpi_to_station_worked_example() {
    // Day energy 0.30/kWh and 1.20/h charging 08:00–20:00; night energy 0.22; parking
    // 6.00/h after 2 h; a 0.50 start fee; min/max price; VAT 21 everywhere.
    let ocpi = Tariff::from_value(&json!({
        "country_code": "NL", "party_id": "ABC", "id": "DAYNIGHT", "currency": "EUR",
        "tariff_alt_text": [{"language": "en", "text": "Day and night"}],
        "min_price": {"excl_vat": 1, "incl_vat": 1.21},
        "max_price": {"excl_vat": 50},
        "elements": [
            {"price_components": [
                {"type": "ENERGY", "price": 0.30, "vat": 21, "step_size": 1},
                {"type": "TIME", "price": 1.20, "vat": 21, "step_size": 1}],
             "restrictions": {"start_time": "08:00", "end_time": "20:00", "day_of_week": ["MONDAY", "TUESDAY"]}},
            {"price_components": [{"type": "PARKING_TIME", "price": 6.00, "vat": 21, "step_size": 1}],
             "restrictions": {"min_duration": 7200, "max_kwh": 40.5, "min_power": 3.7}},
            {"price_components": [
                {"type": "ENERGY", "price": 0.22, "vat": 21, "step_size": 1},
                {"type": "FLAT", "price": 0.50, "vat": 21}]}
        ],
        "last_updated": "2026-01-01T00:00:00Z"
    }))
    .unwrap();
    let (t, losses) = StationTariff::from_ocpi(&ocpi);
    assert_eq!(
        t.to_value(),
        json!({
            "tariffId": "DAYNIGHT", "currency": "EUR",
            "description": [{"format": "UTF8", "language": "en", "content": "Day and night"}],
            "energy": {"prices": [
                {"priceKwh": 0.30, "conditions": {"startTimeOfDay": "08:00", "endTimeOfDay": "20:00", "dayOfWeek": ["Monday", "Tuesday"]}},
                {"priceKwh": 0.22}],
                "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
            "chargingTime": {"prices": [
                {"priceMinute": 0.02, "conditions": {"startTimeOfDay": "08:00", "endTimeOfDay": "20:00", "dayOfWeek": ["Monday", "Tuesday"]}}],
                "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
            "idleTime": {"prices": [
                {"priceMinute": 0.1, "conditions": {"maxEnergy": 40500, "minPower": 3700, "minTime": 7200}}],
                "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
            "fixedFee": {"prices": [{"priceFixed": 0.50}],
                "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
            "minCost": {"exclTax": 1, "inclTax": 1.21},
            "maxCost": {"exclTax": 50}
        })
    );
    // The CPO's identity and the last update have no place in OCPP 2.1.
    assert_eq!(
        kinds(&losses),
        vec![
            (ConversionLossKind::Metadata, "$.country_code"),
            (ConversionLossKind::Metadata, "$.party_id"),
            (ConversionLossKind::Metadata, "$.last_updated"),
        ]
    );
    // The result is a valid 2.1 tariff that reads back as itself.
    assert_eq!(StationTariff::from_json(&t.to_json()).unwrap(), t);
}

#[test]
fn ocpi_losses_are_listed() {
    let ocpi = Tariff::from_value(&json!({
        "country_code": "NL", "party_id": "ABC", "id": "L", "currency": "EUR",
        "end_date_time": "2027-01-01T00:00:00Z",
        "elements": [
            {"price_components": [{"type": "TIME", "price": 2.00, "vat": 21, "step_size": 60}]},
            {"price_components": [{"type": "ENERGY", "price": 0.3, "vat": 9, "step_size": 1},
                                  {"type": "ENERGY", "price": 0.3, "vat": 21, "step_size": 1}],
             "restrictions": {"max_kwh": 10}},
            {"price_components": [{"type": "FLAT", "price": 1, "vat": 21}], "restrictions": {"min_kwh": 1}},
            {"price_components": [{"type": "FLAT", "price": 5}], "restrictions": {"reservation": "RESERVATION_EXPIRES"}},
            {"price_components": [{"type": "ENERGY", "price": 0.2}], "restrictions": {"start_time": "10:00", "end_time": "10:00"}}
        ],
        "last_updated": "2026-01-01T00:00:00Z"
    }))
    .unwrap();
    let (t, losses) = StationTariff::from_ocpi(&ocpi);
    use ConversionLossKind as K;
    let got = kinds(&losses);
    for want in [
        (K::StepSize, "$.elements[0].price_components[0].step_size"),
        (K::PricePrecision, "$.elements[0].price_components[0].price"),
        (K::MixedVat, "$.elements[1].price_components[1]"),
        (K::RestrictionWithoutCondition, "$.elements[2].restrictions"),
        (K::Reservation, "$.elements[3].restrictions.reservation"),
        (K::RestrictionWithoutCondition, "$.elements[4].restrictions"),
        (K::Validity, "$.end_date_time"),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    // 2.00/h is 0.0333… per minute: the nearest decimal is kept.
    let m = t.charging_time.unwrap().prices[0].price_minute;
    assert!((m * Decimal::from(60) - d("2")).abs() < d("0.000000000000000000001"));
    assert!(t.fixed_fee.is_none());
    assert!(t.reservation_fixed.is_none());
}

#[test]
fn station_to_ocpi_worked_example() {
    let t = StationTariff::from_value(&json!({
        "tariffId": "ST", "currency": "EUR", "validFrom": "2026-04-01T00:00:00Z",
        "description": [{"format": "UTF8", "language": "nl", "content": "Nachttarief"},
                        {"format": "URI", "content": "https://example.com/t"},
                        {"format": "QRCODE", "content": "xyz"}],
        "energy": {"prices": [
            {"priceKwh": 0.22, "conditions": {"startTimeOfDay": "23:00", "endTimeOfDay": "07:00", "minPower": 11000}},
            {"priceKwh": 0.59, "conditions": {"evseKind": "DC"}},
            {"priceKwh": 0.35}],
            "taxRates": [{"type": "VAT", "tax": 21}]},
        "idleTime": {"prices": [{"priceMinute": 0.10, "conditions": {"minIdleTime": 1800}},
                                {"priceMinute": 0.05, "conditions": {"minTime": 3600, "maxTime": 7200}}]},
        "reservationTime": {"prices": [{"priceMinute": 0.02}]},
        "reservationFixed": {"prices": [{"priceFixed": 1}]},
        "minCost": {"exclTax": 2, "taxRates": [{"type": "VAT", "tax": 21}]},
        "maxCost": {"inclTax": 60}
    }))
    .unwrap();
    let (o, losses) = t.to_ocpi(OcpiVersion::V230).unwrap();
    let v = o.to_ocpi(OcpiVersion::V230);
    assert_eq!(v["id"], "ST");
    assert_eq!(v["tax_included"], "NO");
    assert_eq!(v["start_date_time"], "2026-04-01T00:00:00Z");
    assert_eq!(
        v["tariff_alt_text"],
        json!([{"language": "nl", "text": "Nachttarief"}])
    );
    assert_eq!(v["tariff_alt_url"], "https://example.com/t");
    assert_eq!(
        v["min_price"],
        json!({"before_taxes": 2, "after_taxes": 2.42})
    );
    assert!(v.get("max_price").is_none());
    let els = v["elements"].as_array().unwrap();
    assert_eq!(els.len(), 5);
    assert_eq!(
        els[0],
        json!({"price_components": [{"type": "ENERGY", "price": 0.22, "vat": 21, "step_size": 1}],
               "restrictions": {"start_time": "23:00", "end_time": "07:00", "min_power": 11}})
    );
    assert_eq!(els[1]["price_components"][0]["price"].to_string(), "0.35");
    assert_eq!(
        els[2],
        json!({"price_components": [{"type": "PARKING_TIME", "price": 3, "step_size": 1}],
               "restrictions": {"min_duration": 3600, "max_duration": 7200}})
    );
    assert_eq!(els[3]["restrictions"]["reservation"], "RESERVATION");
    assert_eq!(els[3]["price_components"][0]["type"], "TIME");
    assert_eq!(els[4]["price_components"][0]["type"], "FLAT");
    use ConversionLossKind as K;
    assert_eq!(
        kinds(&losses),
        vec![
            (
                K::ConditionWithoutRestriction,
                "$.energy.prices[1].conditions"
            ),
            (
                K::ConditionWithoutRestriction,
                "$.idleTime.prices[0].conditions"
            ),
            (K::MinMaxPrice, "$.maxCost"),
            (K::Description, "$.description[2]"),
        ]
    );
}

#[test]
fn stacked_taxes_are_a_loss_with_the_same_gross_price() {
    let t = StationTariff::from_value(&json!({
        "tariffId": "S", "currency": "EUR",
        "energy": {"prices": [{"priceKwh": 0.40}],
            "taxRates": [{"type": "VAT", "tax": 20}, {"type": "Energy tax", "tax": 5, "stack": 1}]}
    }))
    .unwrap();
    let (o, losses) = t.to_ocpi(OcpiVersion::V221).unwrap();
    assert_eq!(
        kinds(&losses),
        vec![(ConversionLossKind::StackedTax, "$.energy.taxRates")]
    );
    // 1.20 × 1.05 = 1.26: 0.40 → 0.504 either way.
    let c = &o.elements[0].price_components[0];
    assert_eq!(c.vat, Vat::Rate(d("26")));
    assert_eq!(
        c.vat.apply(c.price),
        Some(with_taxes(d("0.40"), &t.energy.unwrap().tax_rates))
    );
    // One non-VAT tax is a loss of its name only; no taxes, no loss.
    let single = StationTariff::from_value(&json!({"tariffId": "S", "currency": "EUR",
        "energy": {"prices": [{"priceKwh": 0.40}], "taxRates": [{"type": "GST", "tax": 10}]}}))
    .unwrap();
    let (_, losses) = single.to_ocpi(OcpiVersion::V221).unwrap();
    assert_eq!(
        kinds(&losses),
        vec![(ConversionLossKind::TaxType, "$.energy.taxRates[0]")]
    );
}

#[test]
fn nothing_to_carry_is_an_error() {
    let t = StationTariff::from_value(&json!({"tariffId": "E", "currency": "EUR",
        "fixedFee": {"prices": [{"priceFixed": 1, "conditions": {"paymentBrand": "VISA"}}]}}))
    .unwrap();
    assert!(matches!(
        t.to_ocpi(OcpiVersion::V221),
        Err(chargekit::Error::NoTariffElements)
    ));
}

#[test]
fn station_round_trips_through_ocpi() {
    // 2.1 → OCPI → 2.1 gives the same tariff when nothing is lost.
    let t = StationTariff::from_value(&json!({
        "tariffId": "RT", "currency": "EUR",
        "energy": {"prices": [
            {"priceKwh": 0.25, "conditions": {"startTimeOfDay": "22:00", "endTimeOfDay": "06:00", "minEnergy": 5000}},
            {"priceKwh": 0.35}], "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
        "chargingTime": {"prices": [{"priceMinute": 0.05, "conditions": {"maxPower": 7400}}],
            "taxRates": [{"type": "VAT", "tax": 21, "stack": 0}]},
        "fixedFee": {"prices": [{"priceFixed": 0.5, "conditions": {"dayOfWeek": ["Sunday"]}}]},
        "maxCost": {"exclTax": 25, "inclTax": 30.25}
    }))
    .unwrap();
    let (o, losses) = t.to_ocpi(OcpiVersion::V221).unwrap();
    assert!(losses.is_empty(), "{losses:?}");
    let (back, losses) = StationTariff::from_ocpi(&o);
    assert!(losses.is_empty(), "{losses:?}");
    assert_eq!(back, t);
}

// ---- property: OCPI → 2.1 → OCPI prices sessions identically when nothing is lost ----

fn tariff_strategy() -> impl Strategy<Value = Tariff> {
    let component = (
        0usize..4,
        0i64..300,
        // Per-hour prices that are exact per minute, and a few that are not.
        prop_oneof![4 => Just(6i64), 1 => Just(1i64)],
    );
    let restriction = (
        prop::option::of((0u32..24, 0u32..24)),
        prop::option::of(0u64..7200),
        prop::option::of(1i64..40),
        prop::option::of(1i64..22),
        any::<bool>(),
    );
    let element = (prop::collection::vec(component, 1..4), restriction);
    (
        prop::collection::vec(element, 1..5),
        prop_oneof![Just(Vat::NotApplicable), Just(Vat::Rate(Decimal::from(21)))],
        prop::option::of(0i64..500),
        prop::option::of(0i64..5000),
    )
        .prop_map(|(elements, vat, min, max)| {
            let elements = elements
                .into_iter()
                .map(|(comps, (time, dur, kwh, kw, weekend))| TariffElement {
                    price_components: comps
                        .into_iter()
                        .map(|(ty, cents, unit)| PriceComponent {
                            dimension: [
                                TariffDimension::Energy,
                                TariffDimension::Flat,
                                TariffDimension::Time,
                                TariffDimension::ParkingTime,
                            ][ty],
                            price: Decimal::new(cents * unit, 2),
                            vat,
                            step_size: 1,
                        })
                        .collect(),
                    restrictions: Restrictions {
                        start_time: time.and_then(|(a, _)| format!("{a:02}:00").parse().ok()),
                        end_time: time.and_then(|(_, b)| format!("{b:02}:00").parse().ok()),
                        min_duration: dur,
                        max_kwh: kwh.map(Decimal::from),
                        min_power: kw.map(Decimal::from),
                        day_of_week: if weekend {
                            vec![
                                chargekit::tariff::DayOfWeek::Saturday,
                                chargekit::tariff::DayOfWeek::Sunday,
                            ]
                        } else {
                            Vec::new()
                        },
                        ..Restrictions::default()
                    },
                })
                .collect();
            let limit = |c: i64| chargekit::tariff::PriceLimit {
                excl_vat: Decimal::new(c, 2),
                incl_vat: None,
            };
            Tariff {
                version: OcpiVersion::V221,
                country_code: None,
                party_id: None,
                id: "P".into(),
                currency: "EUR".parse().unwrap(),
                tariff_type: None,
                alt_text: Vec::new(),
                alt_url: None,
                min_price: min.map(limit),
                max_price: max.map(limit),
                elements,
                start_date_time: None,
                end_date_time: None,
                energy_mix: None,
                last_updated: None,
                tax_included: None,
                preauthorize_amount: None,
                idle_fee: None,
            }
        })
}

/// Periods of (minutes, charging or parking, Wh, kW) from a start.
fn input(periods: &[(u32, bool, u32, u32)], start_min: u32) -> PricingInput {
    let base: chrono::DateTime<chrono::Utc> = "2026-03-13T00:00:00Z".parse().unwrap();
    let mut t = base + chrono::TimeDelta::minutes(i64::from(start_min));
    let start = t;
    let mut out = Vec::new();
    for (min, charging, wh, kw) in periods {
        let end = t + chrono::TimeDelta::minutes(i64::from(*min));
        let secs = Decimal::from(*min * 60);
        out.push(PricingPeriod {
            start: t,
            end,
            energy_kwh: Some(if *charging {
                Decimal::from(*wh) / Decimal::ONE_THOUSAND
            } else {
                Decimal::ZERO
            }),
            charging_s: charging.then_some(secs),
            parking_s: (!charging).then_some(secs),
            max_power_kw: Some(Decimal::from(*kw)),
            ..PricingPeriod::default()
        });
        t = end;
    }
    PricingInput {
        start,
        end: t,
        timezone: chrono_tz::Europe::Amsterdam,
        periods: out,
        credit: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn ocpi_round_trip_prices_identically_when_lossless(
        t in tariff_strategy(),
        ps in prop::collection::vec((1u32..240, any::<bool>(), 0u32..30_000, 0u32..30), 1..6),
        start in 0u32..20_000,
    ) {
        let (station, losses) = StationTariff::from_ocpi(&t);
        if losses.is_empty() {
            let (back, back_losses) = station.to_ocpi(OcpiVersion::V221).unwrap();
            prop_assert!(back_losses.is_empty(), "{back_losses:?}");
            // And 2.1 → OCPI → 2.1 is the identity.
            prop_assert_eq!(&StationTariff::from_ocpi(&back).0, &station);
            let policy = PricingPolicy::default();
            let i = input(&ps, start);
            let a = price_input(&i, std::slice::from_ref(&t), &policy).unwrap();
            let b = price_input(&i, std::slice::from_ref(&back), &policy).unwrap();
            prop_assert_eq!(a.total_cost, b.total_cost);
        } else {
            // Losses here come only from FLAT under energy/power/duration restrictions,
            // equal times, or per-hour prices that are not exact per minute.
            for l in &losses {
                prop_assert!(matches!(l.what,
                    ConversionLossKind::RestrictionWithoutCondition | ConversionLossKind::PricePrecision), "{l:?}");
            }
        }
    }
}

#[test]
fn huge_numbers_are_losses_not_panics() {
    let big = "79228162514264337593543950335";
    let ocpi_with = |n: &str| {
        Tariff::from_json(&format!(
            r#"{{"country_code":"NL","party_id":"ABC","id":"B","currency":"EUR",
            "elements":[{{"price_components":[{{"type":"ENERGY","price":0.3,"step_size":1}}],
              "restrictions":{{"min_kwh":{n}}}}},
              {{"price_components":[{{"type":"TIME","price":{n},"step_size":1}}]}}],
            "last_updated":"2026-01-01T00:00:00Z"}}"#
        ))
    };
    // OCPI numbers beyond limits::MAX_QUANTITY are refused where they are read; the largest
    // allowed converts with its losses.
    let err = ocpi_with(big).unwrap_err();
    assert!(
        err.to_string().contains("min_kwh") && err.to_string().contains("MAX_QUANTITY"),
        "{err}"
    );
    let ocpi = ocpi_with("1000000000000").unwrap();
    let (t, losses) = StationTariff::from_ocpi(&ocpi);
    // A trillion kWh would be a 10^15 Wh condition, beyond what a 2.1 tariff holds: a loss.
    assert!(losses
        .iter()
        .any(|l| l.what == ConversionLossKind::RestrictionWithoutCondition));
    assert_eq!(StationTariff::from_json(&t.to_json()).unwrap(), t);
    let _ = t.lint();
    let _ = t.explain(chargekit::tariff::Language::Nl);
    let station_with = |n: &str| {
        StationTariff::from_json(&format!(
            r#"{{"tariffId":"B","currency":"EUR","chargingTime":{{"prices":[{{"priceMinute":{n}}}],
            "taxRates":[{{"type":"VAT","tax":{n}}},{{"type":"X","tax":{n},"stack":1}}]}},
            "maxCost":{{"exclTax":{n},"inclTax":1,"taxRates":[{{"type":"VAT","tax":{n}}}]}}}}"#
        ))
    };
    assert!(station_with(big)
        .unwrap_err()
        .to_string()
        .contains("MAX_QUANTITY"));
    let s = station_with("1000000000000").unwrap();
    let _ = s.lint();
    let _ = s.explain(chargekit::tariff::Language::En);
    // A trillion a minute is beyond MAX_QUANTITY an hour: no OCPI element can hold it.
    assert!(matches!(
        s.to_ocpi(OcpiVersion::V221),
        Err(chargekit::Error::NoTariffElements)
    ));
}
