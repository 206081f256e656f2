//! The VAT rule of the typed totals (issue 13, item 7): an OCPI 2.2.1 component without
//! `vat` means no VAT applies, so the amount including VAT equals the amount excluding it;
//! `incl_vat` is `None` only when the VAT is unknown (OCPI 2.1.1 tariffs). The typed view
//! ([`PriceResult::cost`], the fields the bindings hand out) agrees with the CDR written by
//! [`PriceResult::to_ocpi`], with the invoice and with the planner.
//!
//! Every case is a worked example; the arithmetic is in the comments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{
    price_cdr, CostCategory, Invoice, LineKind, Price, PriceResult, PricingNote, PricingPolicy,
};
use chargekit::planning::{plan, PlanRequest};
use chargekit::tariff::{OcpiVersion, Tariff, Vat};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A 2.2.1 tariff in `currency` with these components in one element, plus `extra` fields.
fn tariff(currency: &str, components: Value, extra: Value) -> Tariff {
    let mut t = json!({"country_code": "DE", "party_id": "CKT", "id": "V", "currency": currency,
        "elements": [{"price_components": components}], "last_updated": "2026-01-01T00:00:00Z"});
    if let (Value::Object(m), Value::Object(x)) = (&mut t, extra) {
        m.extend(x);
    }
    Tariff::from_value(&t).unwrap()
}

/// A 2.2.1 CDR of one period from 10:00 UTC: `kwh` of energy and `hours` of charging time.
fn cdr(currency: &str, kwh: &str, hours: &str) -> String {
    json!({"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T12:00:00Z",
        "currency": currency, "cdr_location": {"country": "DEU"},
        "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z", "dimensions": [
            {"type": "ENERGY", "volume": serde_json::Number::from_str(kwh).unwrap()},
            {"type": "TIME", "volume": serde_json::Number::from_str(hours).unwrap()}]}],
        "total_cost": {"excl_vat": 0}})
    .to_string()
}

fn price(cdr: &str, t: &Tariff) -> PriceResult {
    price_cdr(
        cdr,
        std::slice::from_ref(t),
        None,
        &PricingPolicy::default(),
    )
    .unwrap()
}

/// `(excl_vat, incl_vat, vat)` as text (`-` for `None`), trailing zeros kept.
fn text(p: Price) -> (String, String, String) {
    let s = |d: Option<Decimal>| d.map_or("-".to_string(), |d| d.to_string());
    (p.excl_vat.to_string(), s(p.incl_vat), s(p.vat))
}

fn amounts(excl: &str, incl: &str, vat: &str) -> (String, String, String) {
    (excl.into(), incl.into(), vat.into())
}

/// The typed view agrees with the CDR written out, field by field.
fn typed_equals_written(r: &PriceResult) {
    let out = r.to_ocpi();
    assert_eq!(r.cost(None), r.total_cost);
    let fields = [
        ("total_cost", Some(r.total_cost)),
        ("total_energy_cost", r.total_energy_cost),
        ("total_time_cost", r.total_time_cost),
        ("total_parking_cost", r.total_parking_cost),
        ("total_fixed_cost", r.total_fixed_cost),
    ];
    for (field, typed) in fields {
        let Some(typed) = typed else {
            assert!(out.get(field).is_none(), "{field} written but not priced");
            continue;
        };
        let written = &out[field];
        assert_eq!(
            d(&written["excl_vat"].to_string()),
            typed.excl_vat,
            "{field}"
        );
        assert_eq!(
            written.get("incl_vat").map(|v| d(&v.to_string())),
            typed.incl_vat,
            "{field}"
        );
    }
}

#[test]
fn vat_absent_everywhere_gives_incl_equal_to_excl() {
    // 0.25 €/kWh, 2.00 €/h, 1.00 € a session; no component states a VAT.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0.25, "step_size": 1},
               {"type": "TIME", "price": 2.00, "step_size": 1},
               {"type": "FLAT", "price": 1.00, "step_size": 1}]),
        json!({}),
    );
    assert!(t.component_vats().iter().all(|v| *v == Vat::NotApplicable));
    let r = price(&cdr("EUR", "12", "1.5"), &t);
    // energy 12 kWh × 0.25 = 3.00; time 1.5 h × 2.00 = 3.00; flat 1.00; total 7.00.
    // No VAT applies: each gross amount is the net amount, each VAT 0.
    assert_eq!(text(r.total_cost), amounts("7.00", "7.00", "0.00"));
    assert_eq!(text(r.energy_cost()), amounts("3.00", "3.00", "0.00"));
    assert_eq!(text(r.time_cost()), amounts("3.00", "3.00", "0.00"));
    assert_eq!(text(r.fixed_cost()), amounts("1.00", "1.00", "0.00"));
    // Parking was not priced: zero, and still a known (zero) gross amount.
    assert_eq!(r.total_parking_cost, None);
    assert_eq!(text(r.parking_cost()), amounts("0", "0", "0"));
    assert!(r
        .breakdown
        .lines
        .iter()
        .all(|l| l.vat == Vat::NotApplicable));
    typed_equals_written(&r);
    let written = &r.to_ocpi()["total_cost"];
    assert_eq!(d(&written["incl_vat"].to_string()), d("7.00"));
    // The invoice: one base without VAT, 7.00 net, 0.00 VAT, 7.00 gross.
    let inv = Invoice::from_result(&r, "N-1");
    assert_eq!(inv.vat.len(), 1);
    assert_eq!((inv.vat[0].rate, inv.vat[0].base), (None, d("7.00")));
    assert_eq!(inv.vat_total, Decimal::ZERO);
    assert_eq!(Some(inv.gross), r.total_cost.incl_vat);
}

#[test]
fn vat_absent_on_some_components_and_stated_on_others() {
    // Energy 0.30 €/kWh without VAT, time 1.20 €/h at 0 %, a 2.00 € session fee at 19 %.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0.30, "step_size": 1},
               {"type": "TIME", "price": 1.20, "vat": 0, "step_size": 1},
               {"type": "FLAT", "price": 2.00, "vat": 19, "step_size": 1}]),
        json!({}),
    );
    let r = price(&cdr("EUR", "10", "2"), &t);
    // energy 10 × 0.30 = 3.00, no VAT: 3.00 gross.
    assert_eq!(text(r.energy_cost()), amounts("3.00", "3.00", "0.00"));
    // time 2 × 1.20 = 2.40 at 0 %: 2.40 + 0.00 = 2.40 gross.
    assert_eq!(text(r.time_cost()), amounts("2.40", "2.40", "0.00"));
    // flat 2.00 at 19 %: 2.00 + 0.38 = 2.38 gross.
    assert_eq!(text(r.fixed_cost()), amounts("2.00", "2.38", "0.38"));
    // total 3.00 + 2.40 + 2.00 = 7.40 net, 3.00 + 2.40 + 2.38 = 7.78 gross, VAT 0.38.
    assert_eq!(text(r.total_cost), amounts("7.40", "7.78", "0.38"));
    typed_equals_written(&r);
    // No VAT and 0 % stay apart on the lines and on the invoice.
    let vats: Vec<Vat> = r.breakdown.lines.iter().map(|l| l.vat).collect();
    assert!(vats.contains(&Vat::NotApplicable) && vats.contains(&Vat::Rate(Decimal::ZERO)));
    let inv = Invoice::from_result(&r, "M-1");
    let by_rate: Vec<(Option<Decimal>, Decimal, Decimal)> =
        inv.vat.iter().map(|v| (v.rate, v.base, v.vat)).collect();
    assert_eq!(
        by_rate,
        vec![
            (None, d("3.00"), d("0.00")),
            (Some(d("0")), d("2.40"), d("0.00")),
            (Some(d("19")), d("2.00"), d("0.38")),
        ]
    );
    assert_eq!(Some(inv.gross), r.total_cost.incl_vat);
}

#[test]
fn free_of_charge_has_a_zero_gross_amount() {
    // Price 0 for energy and for the session, no VAT: 0 × anything = 0.00 net and gross.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0, "step_size": 1},
               {"type": "FLAT", "price": 0, "step_size": 1}]),
        json!({}),
    );
    let r = price(&cdr("EUR", "5", "1"), &t);
    assert_eq!(text(r.total_cost), amounts("0.00", "0.00", "0.00"));
    assert_eq!(text(r.energy_cost()), amounts("0.00", "0.00", "0.00"));
    assert_eq!(text(r.fixed_cost()), amounts("0.00", "0.00", "0.00"));
    typed_equals_written(&r);
    // Free at 19 %: 0.00 + 19 % of 0.00 = 0.00, the same amounts.
    let rated = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0, "vat": 19, "step_size": 1}]),
        json!({}),
    );
    assert_eq!(
        text(price(&cdr("EUR", "5", "1"), &rated).total_cost),
        amounts("0.00", "0.00", "0.00")
    );
}

#[test]
fn three_minor_units_keep_incl_equal_to_excl() {
    // 0.125 KWD/kWh without VAT; the dinar has 3 minor units (1 KWD = 1000 fils).
    let t = tariff(
        "KWD",
        json!([{"type": "ENERGY", "price": 0.125, "step_size": 1}]),
        json!({}),
    );
    let r = price(&cdr("KWD", "7.3", "1"), &t);
    // 7.3 kWh × 0.125 = 0.9125 → 0.913 (3 decimals, half away from zero), gross the same.
    assert_eq!(r.breakdown.exact_total.excl_vat, d("0.9125"));
    assert_eq!(r.breakdown.exact_total.incl_vat, Some(d("0.9125")));
    assert_eq!(text(r.total_cost), amounts("0.913", "0.913", "0.000"));
    assert_eq!(text(r.energy_cost()), amounts("0.913", "0.913", "0.000"));
    typed_equals_written(&r);
    let inv = Invoice::from_result(&r, "K-1");
    assert_eq!(
        (inv.net.to_string(), inv.gross.to_string()),
        ("0.913".into(), "0.913".into())
    );
    // With a 5 % session fee of 0.250 KWD added: 0.250 × 1.05 = 0.2625.
    // Net 0.9125 + 0.250 = 1.1625 → 1.163; gross 0.9125 + 0.2625 = 1.175 → 1.175.
    let mixed = tariff(
        "KWD",
        json!([{"type": "ENERGY", "price": 0.125, "step_size": 1},
               {"type": "FLAT", "price": 0.250, "vat": 5, "step_size": 1}]),
        json!({}),
    );
    let r = price(&cdr("KWD", "7.3", "1"), &mixed);
    assert_eq!(text(r.total_cost), amounts("1.163", "1.175", "0.012"));
    assert_eq!(text(r.energy_cost()), amounts("0.913", "0.913", "0.000"));
    typed_equals_written(&r);
}

#[test]
fn an_ocpi_211_tariff_leaves_the_gross_amount_unknown() {
    // OCPI 2.1.1 has no `vat` field: the VAT is unknown, not absent.
    let v = json!({"id": "OLD", "currency": "EUR", "last_updated": "2026-01-01T00:00:00Z",
        "min_price": 4,
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1},
                                           {"type": "FLAT", "price": 0, "step_size": 1}]}]});
    let t = Tariff::from_value_with_warnings(&v, Some(OcpiVersion::V211))
        .unwrap()
        .0;
    assert_eq!(t.version, OcpiVersion::V211);
    assert!(t.component_vats().iter().all(|v| *v == Vat::Unknown));
    // 20 kWh × 0.25 = 5.00 net; gross and VAT unknown, in every total.
    let r = price(&cdr("EUR", "20", "1"), &t);
    assert_eq!(text(r.total_cost), amounts("5.00", "-", "-"));
    assert_eq!(text(r.energy_cost()), amounts("5.00", "-", "-"));
    // Free (the 0 € FLAT) is still of unknown VAT; so is the zero of an unpriced total.
    assert_eq!(text(r.fixed_cost()), amounts("0.00", "-", "-"));
    assert_eq!(text(r.time_cost()), amounts("0", "-", "-"));
    typed_equals_written(&r);
    // Raised to the 2.1.1 minimum of 4: 4 × 0.25 = 1.00 → 4.00 net, gross still unknown.
    let r = price(&cdr("EUR", "4", "1"), &t);
    assert!(r.notes.contains(&PricingNote::TotalCostClampedToMin));
    assert_eq!(text(r.total_cost), amounts("4.00", "-", "-"));
    // The planner passes the unknown on.
    let mut req = PlanRequest::new(
        "2026-03-10T10:00:00Z".parse().unwrap(),
        "2026-03-10T14:00:00Z".parse().unwrap(),
        d("10000"),
        d("11000"),
    );
    req.tariff = Some(t);
    let p = plan(&req).unwrap();
    // 10 kWh × 0.25 = 2.50; below the minimum of 4: 4.00 net, gross unknown.
    assert_eq!(p.expected_cost, d("4.00"));
    assert_eq!(p.expected_cost_incl_vat, None);
}

#[test]
fn a_minimum_without_a_gross_amount_keeps_incl_equal_to_excl() {
    // 0.30 €/kWh without VAT; min_price states only the net 5.00.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0.30, "step_size": 1}]),
        json!({"min_price": {"excl_vat": 5.00}}),
    );
    let r = price(&cdr("EUR", "10", "1"), &t);
    // 10 × 0.30 = 3.00 → raised to 5.00; no VAT applies, so 5.00 gross (not 3.00), VAT 0.
    assert!(r.notes.contains(&PricingNote::TotalCostClampedToMin));
    assert_eq!(text(r.total_cost), amounts("5.00", "5.00", "0.00"));
    let clamp = r.breakdown.clamp.clone().unwrap();
    assert_eq!(clamp.after.incl_vat, Some(d("5.00")));
    assert_eq!(clamp.after.vat, Some(d("0.00")));
    typed_equals_written(&r);
    let inv = Invoice::from_result(&r, "C-1");
    assert_eq!((inv.net, inv.gross), (d("5.00"), d("5.00")));
    // The planner: the same session planned is billed 5.00 gross.
    let mut req = PlanRequest::new(
        "2026-03-10T10:00:00Z".parse().unwrap(),
        "2026-03-10T14:00:00Z".parse().unwrap(),
        d("10000"),
        d("11000"),
    );
    req.tariff = Some(t);
    let p = plan(&req).unwrap();
    assert_eq!(p.expected_cost, d("5.00"));
    assert_eq!(p.expected_cost_incl_vat, Some(d("5.00")));
}

#[test]
fn a_bound_without_a_gross_amount_scales_the_gross_in_the_sessions_vat_mix() {
    // 0.30 €/kWh at 19 %, max_price states only the net 10.00.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0.30, "vat": 19, "step_size": 1}]),
        json!({"max_price": {"excl_vat": 10.00}}),
    );
    let r = price(&cdr("EUR", "50", "1"), &t);
    // 50 × 0.30 = 15.00 net, 17.85 gross → lowered to 10.00 net: the gross scales with it,
    // 17.85 × 10.00 / 15.00 = 11.90 = 10.00 × 1.19.
    assert!(r.notes.contains(&PricingNote::TotalCostClampedToMax));
    assert_eq!(text(r.total_cost), amounts("10.00", "11.90", "1.90"));
    typed_equals_written(&r);

    // Mixed: a 1.00 € session fee without VAT and 0.20 €/kWh at 19 %, min_price 3.00 net.
    let t = tariff(
        "EUR",
        json!([{"type": "FLAT", "price": 1.00, "step_size": 1},
               {"type": "ENERGY", "price": 0.20, "vat": 19, "step_size": 1}]),
        json!({"min_price": {"excl_vat": 3.00}}),
    );
    let r = price(&cdr("EUR", "2", "1"), &t);
    // Net 1.00 + 2 × 0.20 = 1.40; gross 1.00 + 0.40 × 1.19 = 1.476. Raised to 3.00 net, the
    // gross keeps the session's VAT mix: 1.476 × 3.00 / 1.40 = 3.16286 → 3.16, VAT 0.16.
    assert_eq!(text(r.total_cost), amounts("3.00", "3.16", "0.16"));
    typed_equals_written(&r);
    // The invoice splits the adjustment 1.60 the same way, in line order: 1.60 × 0.40 / 1.40
    // = 0.457 → 0.46 at 19 %, the remaining 1.14 without VAT; VAT (0.40 + 0.46) × 19 % =
    // 0.1634 → 0.16.
    let inv = Invoice::from_result(&r, "C-2");
    let adj: Vec<(Decimal, Option<Decimal>)> = inv
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::PriceLimit)
        .map(|l| (l.net, l.vat_rate))
        .collect();
    assert_eq!(adj, [(d("0.46"), Some(d("19"))), (d("1.14"), None)]);
    assert_eq!((inv.vat_total, inv.gross), (d("0.16"), d("3.16")));
}

#[test]
fn a_bound_stating_both_amounts_clamps_each_and_the_vat_follows() {
    // 0.25 €/kWh at 10 %, min_price 0.50 / 0.55.
    let t = tariff(
        "EUR",
        json!([{"type": "ENERGY", "price": 0.25, "vat": 10, "step_size": 1}]),
        json!({"min_price": {"excl_vat": 0.50, "incl_vat": 0.55}}),
    );
    let r = price(&cdr("EUR", "1.5", "1"), &t);
    // 1.5 × 0.25 = 0.375 net, 0.4125 gross → raised to 0.50 / 0.55, VAT 0.05.
    assert_eq!(text(r.total_cost), amounts("0.50", "0.55", "0.05"));
    // The clamp in the breakdown states the VAT of its amounts too.
    let clamp = r.breakdown.clamp.clone().unwrap();
    assert_eq!(clamp.before.vat, Some(d("0.0375")));
    assert_eq!(clamp.after.vat, Some(d("0.05")));
    // Energy itself stays 0.375 → 0.38 net, 0.4125 → 0.41 gross.
    assert_eq!(
        text(r.cost(Some(CostCategory::Energy))),
        amounts("0.38", "0.41", "0.03")
    );
}
