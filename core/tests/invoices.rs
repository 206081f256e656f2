//! Invoices: lines per dimension and element, VAT per rate, rounding and price limits as
//! explicit lines, credit notes, text and HTML.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{price_cdr, Invoice, InvoiceKind, LineKind, PricingPolicy};
use chargekit::tariff::Tariff;
use rust_decimal::Decimal;
use serde_json::json;

fn tariff(v: serde_json::Value) -> Tariff {
    Tariff::from_value(&v).unwrap()
}

fn cdr(kwh: &str, extra: serde_json::Value) -> String {
    let mut c = json!({"start_date_time": "2026-03-10T08:00:00Z", "end_date_time": "2026-03-10T09:00:00Z",
        "currency": "EUR", "cdr_location": {"country": "NLD"},
        "charging_periods": [{"start_date_time": "2026-03-10T08:00:00Z",
            "dimensions": [{"type": "ENERGY", "volume": kwh.parse::<serde_json::Number>().unwrap()}, {"type": "TIME", "volume": 1}]}]});
    c.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    c.to_string()
}

#[test]
fn vat_per_rate_and_lines_per_dimension() {
    let t = tariff(
        json!({"country_code": "NL", "party_id": "ABC", "id": "<T&1>", "currency": "EUR",
        "elements": [{"price_components": [
            {"type": "FLAT", "price": 0.50, "vat": 20, "step_size": 1},
            {"type": "ENERGY", "price": 0.25, "vat": 10, "step_size": 100},
            {"type": "TIME", "price": 1.333, "step_size": 60}]}]}),
    );
    let r = price_cdr(
        &cdr("20.45", json!({})),
        &[t],
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    let inv = Invoice::from_result(&r, "INV-7");
    assert_eq!(inv.kind, InvoiceKind::Invoice);
    let rates: Vec<Option<Decimal>> = inv.vat.iter().map(|v| v.rate).collect();
    assert_eq!(
        rates,
        vec![None, Some(Decimal::from(10)), Some(Decimal::from(20))]
    );
    assert_eq!(inv.lines.iter().map(|l| l.net).sum::<Decimal>(), inv.net);
    assert_eq!(inv.net + inv.vat_total, inv.gross);
    // 0.50 + 5.125 + 1.333 = 6.958 → 6.96; lines 0.50 + 5.13 + 1.33 = 6.96: no rounding line.
    assert_eq!(inv.net.to_string(), "6.96");
    assert!(inv.lines.iter().all(|l| l.kind != LineKind::Rounding));
    let html = inv.to_html();
    assert!(html.contains("&lt;T&amp;1&gt;"), "escaped: {html}");
    assert!(!html.contains("<T&1>"));
    let text = inv.to_text();
    assert!(text.contains("VAT 10% of 5.13 EUR"), "{text}");
}

#[test]
fn rounding_and_min_price_are_explicit_lines() {
    let t = tariff(
        json!({"country_code": "NL", "party_id": "ABC", "id": "R", "currency": "EUR",
        "min_price": {"excl_vat": 3, "incl_vat": 3.63},
        "elements": [{"price_components": [
            {"type": "ENERGY", "price": 0.2225, "vat": 21, "step_size": 1},
            {"type": "TIME", "price": 0.1225, "vat": 21, "step_size": 1}]}]}),
    );
    let r = price_cdr(
        &cdr("1", json!({})),
        std::slice::from_ref(&t),
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    let inv = Invoice::from_result(&r, "INV-8");
    assert!(inv.lines.iter().any(|l| l.kind == LineKind::PriceLimit));
    assert_eq!(inv.net.to_string(), "3.00");
    assert_eq!(inv.lines.iter().map(|l| l.net).sum::<Decimal>(), inv.net);
    // Without the minimum, 0.2225 + 0.1225 = 0.345 → 0.35, lines 0.22 + 0.12 = 0.34: a rounding line.
    let free = tariff(
        json!({"country_code": "NL", "party_id": "ABC", "id": "R", "currency": "EUR",
        "elements": [{"price_components": [
            {"type": "ENERGY", "price": 0.2225, "vat": 21, "step_size": 1},
            {"type": "TIME", "price": 0.1225, "vat": 21, "step_size": 1}]}]}),
    );
    let r = price_cdr(
        &cdr("1", json!({})),
        &[free],
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    let inv = Invoice::from_result(&r, "INV-9");
    let rounding: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Rounding)
        .collect();
    assert_eq!(rounding.len(), 1);
    assert_eq!(rounding[0].net.to_string(), "0.01");
    assert_eq!(inv.net.to_string(), "0.35");
}

#[test]
fn credit_notes() {
    let t = tariff(
        json!({"country_code": "NL", "party_id": "ABC", "id": "C", "currency": "EUR",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 10, "step_size": 1}]}]}),
    );
    let r = price_cdr(
        &cdr("20", json!({})),
        std::slice::from_ref(&t),
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    let inv = Invoice::from_result(&r, "INV-10");
    let credit = inv.credit_note("CN-1");
    assert_eq!(credit.kind, InvoiceKind::CreditNote);
    assert_eq!(credit.credits.as_deref(), Some("INV-10"));
    assert_eq!(credit.gross.to_string(), "-5.50");
    assert!(credit
        .to_text()
        .starts_with("Credit note CN-1 (credits INV-10)"));
    // A credit CDR becomes a credit note directly.
    let rc = price_cdr(
        &cdr("20", json!({"credit": true})),
        &[t],
        None,
        &PricingPolicy::default(),
    )
    .unwrap();
    let cn = Invoice::from_result(&rc, "CN-2");
    assert_eq!(cn.kind, InvoiceKind::CreditNote);
    assert_eq!(cn.net.to_string(), "-5.00");
    assert_eq!(cn.lines.iter().map(|l| l.net).sum::<Decimal>(), cn.net);
    let back: Invoice = serde_json::from_str(&cn.to_json()).unwrap();
    assert_eq!(back, cn);
}
