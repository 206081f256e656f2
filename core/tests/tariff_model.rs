//! The tariff model: OCPI 2.1.1 / 2.2.1 / 2.3.0 in and out, VAT absent vs 0, tax_included,
//! validity, tariff types, errors, lint rules and explanations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{price_cdr, PricingNote, PricingPolicy};
use chargekit::tariff::{
    Language, LintRule, OcpiVersion, ReservationRestriction, Tariff, TariffDimension, TariffType,
    TaxIncluded, Vat,
};
use chargekit::Error;
use rust_decimal::Decimal;
use serde_json::json;
use std::path::Path;
use std::str::FromStr;

fn vectors() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ocpi-tariffs")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn every_field_v221_round_trips() {
    let text = std::fs::read_to_string(vectors().join("v221/every_field_set/tariff.json")).unwrap();
    let (t, w) = Tariff::from_json_with_warnings(&text, None).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(t.version, OcpiVersion::V221);
    assert_eq!(t.tariff_type, Some(TariffType::AdHocPayment));
    assert_eq!(t.alt_text.len(), 2);
    let r = &t.elements[0].restrictions;
    assert_eq!(
        r.reservation,
        Some(ReservationRestriction::ReservationExpires)
    );
    assert_eq!(r.day_of_week.len(), 5);
    assert_eq!(r.max_current, Some(d("64")));
    assert_eq!(t.min_price.unwrap().incl_vat, Some(d("0.55")));
    // Out and back in: the same tariff.
    let out = t.to_ocpi(OcpiVersion::V221);
    assert_eq!(Tariff::from_value(&out).unwrap(), t);
    // Every number written exactly.
    assert_eq!(
        out["elements"][0]["price_components"][0]["price"].to_string(),
        "6"
    );
    assert_eq!(
        out["energy_mix"]["environ_impact"][0]["amount"].to_string(),
        "0.0006"
    );
}

#[test]
fn v211_is_read_and_converted() {
    let text = std::fs::read_to_string(vectors().join("v211/every_field_set/tariff.json")).unwrap();
    let t = Tariff::from_json(&text).unwrap();
    assert_eq!(t.version, OcpiVersion::V211);
    assert!(t
        .elements
        .iter()
        .flat_map(|e| &e.price_components)
        .all(|c| c.vat == Vat::Unknown));
    // Written as 2.2.1: no `vat`, a country and party placeholder, the same elements.
    let out = t.to_ocpi(OcpiVersion::V211);
    assert!(out["elements"][0]["price_components"][0]
        .get("vat")
        .is_none());
    let back = Tariff::from_value_with_warnings(&out, Some(OcpiVersion::V211))
        .unwrap()
        .0;
    assert_eq!(back.elements, t.elements);
}

#[test]
fn v230_tax_included_prices_are_gross() {
    let t = Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": "G",
        "currency": "EUR", "tax_included": "YES",
        "min_price": {"before_taxes": 1, "after_taxes": 1.21},
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0.363, "vat": 21, "step_size": 1}]}],
        "last_updated": "2026-01-01T00:00:00Z"}))
    .unwrap();
    assert_eq!(t.version, OcpiVersion::V230);
    assert_eq!(t.tax_included, Some(TaxIncluded::Yes));
    assert_eq!(t.min_price.unwrap().excl_vat, d("1"));
    let cdr = json!({"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z",
        "currency": "EUR", "cdr_location": {"country": "NLD"},
        "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}]}],
        "total_cost": {"before_taxes": 0, "taxes": []}});
    let r = price_cdr(
        &cdr.to_string(),
        std::slice::from_ref(&t),
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    assert_eq!(r.total_cost.incl_vat.unwrap().to_string(), "3.63");
    assert_eq!(r.total_cost.excl_vat.to_string(), "3.00");
    // A 2.3.0 CDR gets 2.3.0 prices: before_taxes and tax lines.
    let o = r.to_ocpi();
    assert_eq!(o["total_cost"]["before_taxes"].to_string(), "3");
    assert_eq!(o["total_cost"]["taxes"][0]["percentage"].to_string(), "21");
    assert_eq!(o["total_cost"]["taxes"][0]["amount"].to_string(), "0.63");
    // Written back as 2.3.0 and as 2.2.1.
    assert_eq!(t.to_ocpi(OcpiVersion::V230)["tax_included"], "YES");
    assert_eq!(
        t.to_ocpi(OcpiVersion::V221)["min_price"]["incl_vat"].to_string(),
        "1.21"
    );
}

#[test]
fn tax_included_without_a_rate_is_noted() {
    let t = Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": "G",
        "currency": "EUR", "tax_included": "YES",
        "elements": [{"price_components": [{"type": "TIME", "price": 2, "step_size": 1}]}]}))
    .unwrap();
    let cdr = json!({"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z",
        "currency": "EUR", "cdr_location": {"country": "NLD"},
        "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [{"type": "TIME", "volume": 1}]}]});
    let r = price_cdr(&cdr.to_string(), &[t], None, &PricingPolicy::default()).unwrap();
    assert_eq!(r.total_cost.incl_vat.unwrap().to_string(), "2.00");
    // No rate: absent VAT means none applies, so net = gross (no TaxIncludedWithoutRate).
    assert!(!r.notes.contains(&PricingNote::TaxIncludedWithoutRate));
}

#[test]
fn vat_absent_is_not_vat_zero() {
    let t = Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": "V",
        "currency": "EUR", "elements": [{"price_components": [
            {"type": "ENERGY", "price": 0.30, "step_size": 1},
            {"type": "FLAT", "price": 1, "vat": 0, "step_size": 1}]}]}))
    .unwrap();
    let c = &t.elements[0].price_components;
    assert_eq!(c[0].vat, Vat::NotApplicable);
    assert_eq!(c[1].vat, Vat::Rate(Decimal::ZERO));
    let out = t.to_ocpi(OcpiVersion::V221);
    assert!(out["elements"][0]["price_components"][0]
        .get("vat")
        .is_none());
    assert_eq!(
        out["elements"][0]["price_components"][1]["vat"].to_string(),
        "0"
    );
}

#[test]
fn tariff_type_chooses_the_tariff() {
    let mk = |id: &str, ty: &str, price: &str| {
        Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": id, "currency": "EUR",
            "type": ty, "elements": [{"price_components": [{"type": "ENERGY", "price": price.parse::<serde_json::Number>().unwrap(), "step_size": 1}]}]}))
        .unwrap()
    };
    let tariffs = [
        mk("adhoc", "AD_HOC_PAYMENT", "0.59"),
        mk("regular", "REGULAR", "0.39"),
    ];
    let cdr = json!({"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z",
        "currency": "EUR", "cdr_location": {"country": "NLD"},
        "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}]}]})
    .to_string();
    let regular = price_cdr(&cdr, &tariffs, None, &PricingPolicy::default()).unwrap();
    assert_eq!(regular.tariff_ids, vec!["regular"]);
    let adhoc = PricingPolicy {
        tariff_type: Some(TariffType::AdHocPayment),
        ..PricingPolicy::default()
    };
    let r = price_cdr(&cdr, &tariffs, None, &adhoc).unwrap();
    assert_eq!(r.total_cost.excl_vat.to_string(), "5.90");
}

#[test]
fn validity_window_selects_the_tariff() {
    let mk = |id: &str, from: &str, to: &str, price: &str| {
        Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": id, "currency": "EUR",
            "start_date_time": from, "end_date_time": to,
            "elements": [{"price_components": [{"type": "ENERGY", "price": price.parse::<serde_json::Number>().unwrap(), "step_size": 1}]}]}))
        .unwrap()
    };
    let tariffs = [
        mk(
            "old",
            "2025-01-01T00:00:00Z",
            "2026-03-01T00:00:00Z",
            "0.30",
        ),
        mk(
            "new",
            "2026-03-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
            "0.40",
        ),
    ];
    let cdr = json!({"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z",
        "currency": "EUR", "cdr_location": {"country": "NLD"},
        "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [{"type": "ENERGY", "volume": 10}]}]})
    .to_string();
    let r = price_cdr(&cdr, &tariffs, None, &PricingPolicy::default()).unwrap();
    assert_eq!(r.tariff_ids, vec!["new"]);
    let none = price_cdr(&cdr, &tariffs[..1], None, &PricingPolicy::default());
    assert!(matches!(none, Err(Error::NoValidTariff { .. })));
}

#[test]
fn invalid_tariffs_are_typed_errors() {
    let base = |elements: serde_json::Value| json!({"country_code": "NL", "party_id": "ABC", "id": "X", "currency": "EUR", "elements": elements});
    assert_eq!(
        Tariff::from_value(&base(json!([]))).unwrap_err(),
        Error::NoTariffElements
    );
    assert!(matches!(
        Tariff::from_value(&base(
            json!([{"price_components": [{"type": "ENERGY", "price": 1, "step_size": 1}],
            "restrictions": {"start_time": "24:00"}}])
        )),
        Err(Error::InvalidTimeOfDay { .. })
    ));
    assert!(matches!(
        Tariff::from_value(&base(
            json!([{"price_components": [{"type": "ENERGY", "step_size": 1}]}])
        )),
        Err(Error::MissingTariffField { .. })
    ));
    assert!(matches!(
        Tariff::from_json("{"),
        Err(Error::TariffJson { .. })
    ));
    let bad_currency = json!({"country_code": "NL", "party_id": "ABC", "id": "X", "currency": "EURO",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 1, "step_size": 1}]}]});
    assert!(matches!(
        Tariff::from_value(&bad_currency),
        Err(Error::InvalidCurrency { .. })
    ));
}

#[test]
fn unknown_dimensions_are_skipped_with_a_warning() {
    let text =
        std::fs::read_to_string(vectors().join("v211/real_world/custom_tariff_dimension/cdr.json"))
            .unwrap();
    let cdr: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (t, w) =
        Tariff::from_value_with_warnings(&cdr["tariffs"][0], Some(OcpiVersion::V211)).unwrap();
    let ids: Vec<String> = w.iter().map(|w| w.id.clone()).collect();
    assert!(ids.contains(&"invalid_value(CONGESTION_TIME)".to_string()));
    assert!(ids.contains(&"unexpected_field".to_string()));
    assert!(t.elements[0].price_components.is_empty());
}

#[test]
fn lint_rules() {
    let t = Tariff::from_value(&json!({"country_code": "NL", "party_id": "ABC", "id": "L", "currency": "EUR",
        "min_price": {"excl_vat": 10}, "max_price": {"excl_vat": 5},
        "elements": [
            {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}],
             "restrictions": {"start_time": "10:00", "end_time": "10:00"}},
            {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}],
             "restrictions": {"min_kwh": 5, "max_kwh": 2, "max_power": 0}},
            {"price_components": [{"type": "TIME", "price": 1, "step_size": 60}]},
            {"price_components": [{"type": "TIME", "price": 2, "step_size": 60}]},
            {"price_components": [{"type": "ENERGY", "price": 0.123456, "step_size": 1}],
             "restrictions": {"start_date": "2026-01-02", "end_date": "2026-01-01",
                "day_of_week": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY","SATURDAY","SUNDAY"]}},
            {"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}],
             "restrictions": {"reservation": "RESERVATION"}}
        ],
        "idle_fee": {"grace_s": 600, "price_per_hour": "12"}}))
    .unwrap();
    let rules: Vec<LintRule> = t.lint().iter().map(|f| f.rule).collect();
    for r in [
        LintRule::NeverValid,
        LintRule::LowerBoundAtOrAboveUpper,
        LintRule::MaxZeroWillNeverMatch,
        LintRule::MinPriceIsGreaterThanMax,
        LintRule::UnreachableElement,
        LintRule::ElementExcludesEverySession,
        LintRule::ContainsEntireWeek,
        LintRule::ExcessivePrecision,
        LintRule::ReservationComponentIgnored,
        LintRule::MissingFallback,
        LintRule::GracePeriodNotExpressible,
    ] {
        assert!(rules.contains(&r), "{r} not reported: {rules:?}");
    }
    // Under ocpi-kit's reading, equal times are the whole day.
    let kit = t.lint_with(&PricingPolicy::ocpi_kit());
    assert!(kit.iter().any(|f| f.rule == LintRule::ContainsEntireDay));
}

#[test]
fn explanations_in_english_and_dutch() {
    let t = Tariff::from_value(
        &json!({"country_code": "NL", "party_id": "ABC", "id": "E", "currency": "EUR",
        "max_price": {"excl_vat": 30},
        "elements": [
            {"price_components": [{"type": "ENERGY", "price": 0.35, "vat": 21, "step_size": 1}],
             "restrictions": {"start_time": "08:00", "end_time": "18:00",
                "day_of_week": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]}},
            {"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 21, "step_size": 1}]},
            {"price_components": [{"type": "PARKING_TIME", "price": 2, "vat": 21, "step_size": 60}],
             "restrictions": {"min_duration": 600}}]}),
    )
    .unwrap();
    let en = t.explain().text;
    assert_eq!(
        en,
        "Energy: on weekdays, between 08:00 and 18:00: €0.35 per kWh; otherwise: €0.25 per kWh. \
Idle time (connected but not charging): more than 10 minutes after plugging in: €2.00 per hour \
(billed in steps of 1 minute, rounded up). A session never costs more than €30.00. Prices exclude 21% VAT."
    );
    let nl = t.explain_in(Language::Nl).markdown;
    assert!(nl.contains("Op werkdagen, tussen 08:00 en 18:00"), "{nl}");
    assert!(nl.contains("**Stilstaan"), "{nl}");
    assert!(t.prices(TariffDimension::ParkingTime));
}
