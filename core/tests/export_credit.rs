//! Energy fed back (V2X) in billing (issue 13, item 5): credit lines priced by the policy's
//! `export` option, VAT following the sign, negative totals only when the policy allows
//! them, and the credit on invoices and credit notes. Every worked example writes its
//! arithmetic out; amounts follow the default rounding (exact lines, totals rounded to the
//! cent half away from zero).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{
    price_cdr, price_input, price_session, CostCategory, ExportPricing, Invoice, InvoiceKind,
    LineKind, PriceResult, PricingInput, PricingNote, PricingPeriod, PricingPolicy, RoundingPolicy,
};
use chargekit::meter::MeterPolicy;
use chargekit::planning::SeriesPoint;
use chargekit::session::{sessions_from_log, Session};
use chargekit::tariff::{Tariff, Vat};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

fn v2x() -> Session {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/data/v2x-session-ocpp21.jsonl"
    ))
    .unwrap();
    let mut s = sessions_from_log("CP", &text, None, &MeterPolicy::default()).unwrap();
    assert_eq!(s.len(), 1);
    s.remove(0)
}

/// ENERGY at `price` per kWh, 19 % VAT, no step.
fn tariff(price: &str) -> Tariff {
    Tariff::from_json(&format!(
        r#"{{"country_code":"DE","party_id":"CKT","id":"T-1","currency":"EUR",
        "elements":[{{"price_components":[{{"type":"ENERGY","price":{price},"vat":19,"step_size":1}}]}}],
        "last_updated":"2026-01-01T00:00:00Z"}}"#
    ))
    .unwrap()
}

fn per_kwh(price: &str, allow_negative_total: bool) -> PricingPolicy {
    PricingPolicy {
        export: ExportPricing::PerKwh {
            price: d(price),
            vat: Vat::Rate(Decimal::from(19)),
        },
        allow_negative_total,
        ..PricingPolicy::default()
    }
}

fn price(s: &Session, t: &Tariff, p: &PricingPolicy) -> PriceResult {
    price_session(s, std::slice::from_ref(t), chrono_tz::UTC, p).unwrap()
}

fn credit_lines(r: &PriceResult) -> Vec<&chargekit::billing::Line> {
    r.breakdown
        .lines
        .iter()
        .filter(|l| l.category == CostCategory::EnergyExport)
        .collect()
}

#[test]
fn bundled_v2x_session_with_a_fixed_credit() {
    let s = v2x();
    assert_eq!(s.energy_wh, d("7000"));
    assert_eq!(s.energy_export_wh, d("3000"));
    let r = price(&s, &tariff("0.30"), &per_kwh("0.20", false));
    // Charges: 7 kWh × 0.30 = 2.10 net; × 1.19 = 2.499 → 2.50 gross.
    let energy = r.total_energy_cost.unwrap();
    assert_eq!(
        (energy.excl_vat, energy.incl_vat),
        (d("2.10"), Some(d("2.50")))
    );
    // Credit: −(3 kWh × 0.20) = −0.60 net; VAT 19 % of −0.60 = −0.114; −0.714 → −0.71 gross.
    let credit = r.total_energy_export_cost.unwrap();
    assert_eq!(
        (credit.excl_vat, credit.incl_vat, credit.vat),
        (d("-0.60"), Some(d("-0.71")), Some(d("-0.11")))
    );
    assert_eq!(r.energy_export_cost(), credit);
    // Total from the exact lines: 2.10 − 0.60 = 1.50 net; 2.499 − 0.714 = 1.785 → 1.79 gross.
    assert_eq!(r.breakdown.exact_total.excl_vat, d("1.50"));
    assert_eq!(r.breakdown.exact_total.incl_vat, Some(d("1.785")));
    assert_eq!(
        (r.total_cost.excl_vat, r.total_cost.incl_vat),
        (d("1.50"), Some(d("1.79")))
    );
    // Every credit line: negative, 19 % VAT on the negative amount, 0.20 per kWh.
    let lines = credit_lines(&r);
    assert!(!lines.is_empty());
    for l in &lines {
        assert_eq!(l.unit_price, d("0.20"));
        assert_eq!(l.vat, Vat::Rate(Decimal::from(19)));
        assert!(l.cost.excl_vat < Decimal::ZERO);
        assert_eq!(l.cost.incl_vat, Some(l.cost.excl_vat * d("1.19")));
        assert!(l.start >= utc("2026-03-10T09:30:00Z"));
        assert!(l.end <= utc("2026-03-10T10:30:00Z"));
    }
    assert_eq!(lines.iter().map(|l| l.volume).sum::<Decimal>(), d("3"));
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    // The priced CDR: total_cost counts the credit, total_energy_cost does not, a remark
    // says how much is credit; the periods state ENERGY_EXPORT volumes.
    let cdr = r.to_ocpi();
    assert_eq!(cdr["total_cost"]["excl_vat"].to_string(), "1.5");
    assert_eq!(cdr["total_cost"]["incl_vat"].to_string(), "1.79");
    assert_eq!(cdr["total_energy_cost"]["excl_vat"].to_string(), "2.1");
    assert!(cdr.get("total_energy_export_cost").is_none());
    assert_eq!(
        cdr["remark"],
        "total_cost includes -0.60 EUR excl. VAT for 3 kWh fed back (V2X)"
    );
}

#[test]
fn the_default_policy_ignores_export() {
    let s = v2x();
    let t = tariff("0.30");
    let r = price(&s, &t, &PricingPolicy::default());
    assert!(credit_lines(&r).is_empty());
    assert_eq!(r.total_energy_export_cost, None);
    assert_eq!(r.energy_export_cost().excl_vat, Decimal::ZERO);
    assert_eq!(
        (r.total_cost.excl_vat, r.total_cost.incl_vat),
        (d("2.10"), Some(d("2.50")))
    );
    assert!(r.to_ocpi().get("remark").is_none());
    // `Ignore` spelled out is the default.
    let ignore = PricingPolicy::from_json(r#"{"export": "ignore"}"#).unwrap();
    assert_eq!(price(&s, &t, &ignore), r);
}

#[test]
fn a_series_with_two_prices_during_the_discharge() {
    let s = v2x();
    let at = |x: &str| x.parse().unwrap();
    // 0.20 from 09:00, 0.10 from 10:00; the discharge runs 09:30–10:30 at a steady rate
    // (export register 2000 → 5000 Wh), so 1.5 kWh before 10:00 and 1.5 kWh after.
    let policy = PricingPolicy {
        export: ExportPricing::Series {
            prices: vec![
                SeriesPoint::new(at("2026-03-10T09:00:00Z"), d("0.20")),
                SeriesPoint::new(at("2026-03-10T10:00:00Z"), d("0.10")),
            ],
            vat: Vat::Rate(Decimal::from(19)),
        },
        ..PricingPolicy::default()
    };
    let r = price(&s, &tariff("0.30"), &policy);
    let lines = credit_lines(&r);
    let before: Decimal = lines
        .iter()
        .filter(|l| l.end <= at("2026-03-10T10:00:00Z"))
        .map(|l| l.volume)
        .sum();
    let after: Decimal = lines
        .iter()
        .filter(|l| l.start >= at("2026-03-10T10:00:00Z"))
        .map(|l| l.volume)
        .sum();
    // The session is cut at 10:00: no credit line straddles the change.
    assert_eq!((before, after), (d("1.5"), d("1.5")));
    for l in &lines {
        let want = if l.start < at("2026-03-10T10:00:00Z") {
            "0.20"
        } else {
            "0.10"
        };
        assert_eq!(l.unit_price, d(want));
    }
    // −(1.5 × 0.20 + 1.5 × 0.10) = −0.45 net; × 1.19 = −0.5355 → −0.54 gross.
    let credit = r.total_energy_export_cost.unwrap();
    assert_eq!(
        (credit.excl_vat, credit.incl_vat),
        (d("-0.45"), Some(d("-0.54")))
    );
    // 2.10 − 0.45 = 1.65 net; 2.499 − 0.5355 = 1.9635 → 1.96 gross.
    assert_eq!(
        (r.total_cost.excl_vat, r.total_cost.incl_vat),
        (d("1.65"), Some(d("1.96")))
    );
    // The charges are not changed by the extra cut: still 2.10 / 2.50.
    assert_eq!(r.total_energy_cost.unwrap().excl_vat, d("2.10"));
    // On the invoice: one line per price.
    let inv = Invoice::from_result(&r, "V-1");
    let fed: Vec<_> = inv
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Charge(CostCategory::EnergyExport))
        .map(|l| (l.unit_price, l.quantity, l.net))
        .collect();
    assert_eq!(
        fed,
        [
            (d("0.20"), d("1.5"), d("-0.30")),
            (d("0.10"), d("1.5"), d("-0.15"))
        ]
    );
}

#[test]
fn a_series_without_a_price_yet_credits_nothing_and_says_so() {
    let s = v2x();
    let policy = PricingPolicy {
        export: ExportPricing::Series {
            prices: vec![SeriesPoint::new(
                "2026-03-10T12:00:00Z".parse().unwrap(),
                d("0.20"),
            )],
            vat: Vat::NotApplicable,
        },
        ..PricingPolicy::default()
    };
    let r = price(&s, &tariff("0.30"), &policy);
    assert!(credit_lines(&r).is_empty());
    assert!(r.note_ids().contains(&"export_price_missing"));
    assert_eq!(r.total_cost.excl_vat, d("2.10"));
}

#[test]
fn negative_total_allowed_or_clamped_to_zero() {
    let s = v2x();
    // Charges 7 kWh × 0.05 = 0.35 net, 0.4165 gross; credit 3 kWh × 0.20 = −0.60 net,
    // −0.714 gross. Sum: −0.25 net, −0.2975 gross.
    let t = tariff("0.05");
    let allowed = price(&s, &t, &per_kwh("0.20", true));
    assert_eq!(
        (allowed.total_cost.excl_vat, allowed.total_cost.incl_vat),
        (d("-0.25"), Some(d("-0.30")))
    );
    assert_eq!(allowed.breakdown.zero_clamp, None);
    assert!(allowed.notes.is_empty());

    let clamped = price(&s, &t, &per_kwh("0.20", false));
    // Raised by +0.25 net at the credit's 19 %: +0.2975 gross; −0.2975 + 0.2975 = 0.
    assert_eq!(
        (clamped.total_cost.excl_vat, clamped.total_cost.incl_vat),
        (d("0.00"), Some(d("0.00")))
    );
    assert_eq!(clamped.notes, [PricingNote::TotalCostClampedToZero]);
    let z = clamped.breakdown.zero_clamp.clone().unwrap();
    assert_eq!((z.before.excl_vat, z.after.excl_vat), (d("-0.25"), d("0")));
    assert_eq!(z.bound, "zero");
    // The lines are the same either way; only the total differs.
    assert_eq!(clamped.breakdown.lines, allowed.breakdown.lines);
    // On the invoice the raise is a line of its own and everything is zero.
    let inv = Invoice::from_result(&clamped, "Z-1");
    let limit = inv
        .lines
        .iter()
        .find(|l| l.kind == LineKind::PriceLimit)
        .unwrap();
    assert_eq!(limit.description, "Credit limited to the charges");
    assert_eq!((limit.net, limit.vat_rate), (d("0.25"), Some(d("19"))));
    assert_eq!(
        (inv.net, inv.vat_total, inv.gross),
        (d("0.00"), d("0.00"), d("0.00"))
    );
}

#[test]
fn the_tariff_minimum_bounds_the_charges_not_the_credit() {
    let s = v2x();
    // min_price 3.00 raises the charges (2.10) to 3.00; the credit of −0.60 comes after:
    // 3.00 − 0.60 = 2.40 net.
    let mut t = tariff("0.30");
    t.min_price = Some(chargekit::tariff::PriceLimit {
        excl_vat: d("3.00"),
        incl_vat: None,
    });
    let r = price(&s, &t, &per_kwh("0.20", false));
    assert_eq!(r.total_cost.excl_vat, d("2.40"));
    assert_eq!(r.note_ids(), ["total_cost_clamped_to_min"]);
    let c = r.breakdown.clamp.clone().unwrap();
    assert_eq!(
        (c.before.excl_vat, c.after.excl_vat),
        (d("2.10"), d("3.00"))
    );
}

#[test]
fn invoice_and_credit_note_lines() {
    let s = v2x();
    let r = price(&s, &tariff("0.30"), &per_kwh("0.20", false));
    let inv = Invoice::from_result(&r, "2026-0100");
    let fed = inv
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Charge(CostCategory::EnergyExport))
        .unwrap();
    assert_eq!(fed.description, "Energy fed back (V2X)");
    assert_eq!(
        (fed.quantity, fed.unit_price, fed.vat_rate, fed.net),
        (d("3"), d("0.20"), Some(d("19")), d("-0.60"))
    );
    let energy = inv
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Charge(CostCategory::Energy))
        .unwrap();
    assert_eq!(energy.net, d("2.10"));
    // Lines add up to the net total: 2.10 − 0.60 = 1.50.
    assert_eq!(inv.lines.iter().map(|l| l.net).sum::<Decimal>(), d("1.50"));
    assert_eq!(inv.net, d("1.50"));
    // One VAT rate: 19 % of 1.50 = 0.285 → 0.29; gross 1.79.
    assert_eq!(inv.vat.len(), 1);
    assert_eq!(
        (inv.vat[0].rate, inv.vat[0].base, inv.vat[0].vat),
        (Some(d("19")), d("1.50"), d("0.29"))
    );
    assert_eq!(inv.gross, d("1.79"));
    assert!(inv.to_text().contains("Energy fed back (V2X)"));
    assert!(inv.to_text().contains("-0.60 EUR"));
    assert!(inv.to_html().contains("Energy fed back (V2X)"));

    // The credit note negates every line: the credit becomes +0.60.
    let cn = inv.credit_note("2026-0101");
    assert_eq!(cn.kind, InvoiceKind::CreditNote);
    let fed_back = cn
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Charge(CostCategory::EnergyExport))
        .unwrap();
    assert_eq!(fed_back.net, d("0.60"));
    assert_eq!(
        (cn.net, cn.vat_total, cn.gross),
        (d("-1.50"), d("-0.29"), d("-1.79"))
    );
    assert_eq!(cn.vat[0].base, d("-1.50"));
}

#[test]
fn a_cdr_with_energy_export_dimensions_is_credited_too() {
    let cdr = r#"{"currency":"EUR","start_date_time":"2026-03-10T08:00:00Z",
      "end_date_time":"2026-03-10T10:00:00Z","total_energy":10,
      "cdr_location":{"country":"DEU"},
      "charging_periods":[
        {"start_date_time":"2026-03-10T08:00:00Z","dimensions":[{"type":"ENERGY","volume":10}]},
        {"start_date_time":"2026-03-10T09:00:00Z","dimensions":[{"type":"ENERGY","volume":0},
          {"type":"ENERGY_EXPORT","volume":2.5}]}]}"#;
    let t = tariff("0.30");
    let policy = PricingPolicy::from_json(
        r#"{"export": {"per_kwh": {"price": 0.12, "vat": 19}}, "allow_negative_total": false}"#,
    )
    .unwrap();
    let r = price_cdr(cdr, std::slice::from_ref(&t), Some("UTC"), &policy).unwrap();
    // 10 × 0.30 = 3.00 net (3.57 gross); −(2.5 × 0.12) = −0.30 net (−0.357 gross).
    // 2.70 net; 3.57 − 0.357 = 3.213 → 3.21 gross.
    assert_eq!(
        (r.total_cost.excl_vat, r.total_cost.incl_vat),
        (d("2.70"), Some(d("3.21")))
    );
    // Without the export option the same CDR prices as before: 3.00.
    let plain = price_cdr(cdr, &[t], Some("UTC"), &PricingPolicy::default()).unwrap();
    assert_eq!(plain.total_cost.excl_vat, d("3.00"));
    assert!(plain.to_ocpi().get("remark").is_none());
}

#[test]
fn policy_json_forms() {
    let p = PricingPolicy::from_json(
        r#"{"preset": "ocpi_tariffs", "export": {"series": {"prices": [
            ["2026-03-10T09:00:00Z", 0.2], {"start": "2026-03-10T10:00:00Z", "value": "0.1"}],
            "vat": 19}}, "allow_negative_total": true}"#,
    )
    .unwrap();
    assert!(p.allow_negative_total);
    assert_eq!(p.export.vat(), Some(Vat::Rate(Decimal::from(19))));
    assert_eq!(
        p.export.price_at("2026-03-10T09:59:59Z".parse().unwrap()),
        Some(d("0.2"))
    );
    assert_eq!(
        p.export.price_at("2026-03-10T08:00:00Z".parse().unwrap()),
        None
    );
    // Round trip.
    assert_eq!(PricingPolicy::from_json(&p.to_json()).unwrap(), p);
    // No VAT stated: none applies; "unknown" is kept.
    let no_vat = PricingPolicy::from_json(r#"{"export": {"per_kwh": {"price": 0.2}}}"#).unwrap();
    assert_eq!(no_vat.export.vat(), Some(Vat::NotApplicable));
    assert_eq!(PricingPolicy::from_json(&no_vat.to_json()).unwrap(), no_vat);
    let unknown =
        PricingPolicy::from_json(r#"{"export": {"per_kwh": {"price": 0.2, "vat": "unknown"}}}"#)
            .unwrap();
    assert_eq!(unknown.export.vat(), Some(Vat::Unknown));
    assert_eq!(
        PricingPolicy::from_json(&unknown.to_json()).unwrap(),
        unknown
    );
    // Rejected: unknown fields, negative VAT, series out of order.
    for bad in [
        r#"{"export": {"per_kwh": {"price": 0.2, "rate": 19}}}"#,
        r#"{"export": {"per_kwh": {"price": 0.2, "vat": -1}}}"#,
        r#"{"export": {"series": {"prices": [["2026-03-10T10:00:00Z", 1], ["2026-03-10T09:00:00Z", 1]]}}}"#,
        r#"{"export": "credit"}"#,
        r#"{"allow_negative_total": "yes"}"#,
    ] {
        assert!(PricingPolicy::from_json(bad).is_err(), "{bad}");
    }
}

#[test]
fn an_unordered_series_built_in_rust_is_an_error_not_a_panic() {
    let at = |x: &str| x.parse().unwrap();
    let policy = PricingPolicy {
        export: ExportPricing::Series {
            prices: vec![
                SeriesPoint::new(at("2026-03-10T10:00:00Z"), d("0.1")),
                SeriesPoint::new(at("2026-03-10T09:00:00Z"), d("0.2")),
            ],
            vat: Vat::NotApplicable,
        },
        ..PricingPolicy::default()
    };
    let err = price_session(&v2x(), &[tariff("0.30")], chrono_tz::UTC, &policy).unwrap_err();
    assert!(err.to_string().contains("strictly increase"), "{err}");
}

/// Periods of (minutes, import Wh, export Wh) from 2026-03-10 08:00 UTC.
fn input(periods: &[(u32, u32, u32)], with_export: bool) -> PricingInput {
    let mut t: chrono::DateTime<chrono::Utc> = "2026-03-10T08:00:00Z".parse().unwrap();
    let start = t;
    let mut out = Vec::new();
    for (min, import, export) in periods {
        let end = t + chrono::TimeDelta::minutes(i64::from(*min));
        out.push(PricingPeriod {
            start: t,
            end,
            energy_kwh: Some(Decimal::from(*import) / Decimal::ONE_THOUSAND),
            energy_export_kwh: with_export.then(|| Decimal::from(*export) / Decimal::ONE_THOUSAND),
            charging_s: Some(Decimal::from(*min * 60)),
            ..PricingPeriod::default()
        });
        t = end;
    }
    PricingInput {
        start,
        end: t,
        timezone: chrono_tz::UTC,
        periods: out,
        credit: false,
    }
}

fn tariff_of(energy_cents: u32, time_cents: u32, vat: Option<u32>, min: Option<u32>) -> Tariff {
    let vat = vat.map(|v| format!(r#","vat":{v}"#)).unwrap_or_default();
    let min = min
        .map(|m| {
            format!(
                r#""min_price":{{"excl_vat":{}}},"#,
                Decimal::new(i64::from(m), 2)
            )
        })
        .unwrap_or_default();
    Tariff::from_json(&format!(
        r#"{{"country_code":"DE","party_id":"CKT","id":"P","currency":"EUR",{min}
        "elements":[{{"price_components":[
          {{"type":"ENERGY","price":{}{vat},"step_size":1}},
          {{"type":"TIME","price":{}{vat},"step_size":60}}]}}]}}"#,
        Decimal::new(i64::from(energy_cents), 2),
        Decimal::new(i64::from(time_cents), 2)
    ))
    .unwrap()
}

proptest! {
    /// With negative totals allowed (nothing clamps), the total is the sum of the debit
    /// and credit lines: exactly under exact rounding, and rounded once under the default.
    #[test]
    fn credit_and_debit_lines_sum_to_the_total(
        periods in prop::collection::vec((1u32..120, 0u32..20_000, 0u32..20_000), 1..6),
        energy in 0u32..80, time in 0u32..300, credit in 0u32..60,
        vat in prop_oneof![Just(None), Just(Some(0u32)), Just(Some(19))],
        export_vat in prop_oneof![Just(Vat::NotApplicable), Just(Vat::Rate(Decimal::from(7))), Just(Vat::Rate(Decimal::from(19)))],
    ) {
        let t = tariff_of(energy, time, vat, None);
        for rounding in [RoundingPolicy::exact(), RoundingPolicy::default()] {
            let policy = PricingPolicy {
                export: ExportPricing::PerKwh { price: Decimal::new(i64::from(credit), 2), vat: export_vat },
                allow_negative_total: true,
                rounding,
                ..PricingPolicy::default()
            };
            let r = price_input(&input(&periods, true), std::slice::from_ref(&t), &policy).unwrap();
            let lines = &r.breakdown.lines;
            let debit: Decimal = lines.iter().filter(|l| l.category != CostCategory::EnergyExport).map(|l| l.cost.excl_vat).sum();
            let credit_sum: Decimal = lines.iter().filter(|l| l.category == CostCategory::EnergyExport).map(|l| l.cost.excl_vat).sum();
            prop_assert!(credit_sum <= Decimal::ZERO);
            prop_assert_eq!(r.breakdown.exact_total.excl_vat, debit + credit_sum);
            let want = rounding.totals.map_or(debit + credit_sum, |x| x.apply(debit + credit_sum, r.currency));
            prop_assert_eq!(r.total_cost.excl_vat, want);
            // The tax follows the sign: every credit line's VAT is ≤ 0.
            for l in lines.iter().filter(|l| l.category == CostCategory::EnergyExport) {
                prop_assert!(l.cost.vat.unwrap() <= Decimal::ZERO);
                prop_assert_eq!(l.cost.incl_vat, l.vat.apply(l.cost.excl_vat));
            }
            prop_assert_eq!(r.breakdown.zero_clamp.clone(), None);
        }
    }

    /// Without export (no export volumes, or policy `Ignore`), a result is exactly the one
    /// of the default policy; with export but not allowed negative, the total is ≥ 0.
    #[test]
    fn no_export_prices_exactly_as_before(
        periods in prop::collection::vec((1u32..120, 0u32..20_000, 0u32..20_000), 1..6),
        energy in 0u32..80, time in 0u32..300, credit in 0u32..60,
        vat in prop_oneof![Just(None), Just(Some(0u32)), Just(Some(19))],
        min in prop::option::of(0u32..500),
        allow in any::<bool>(),
    ) {
        let t = tariff_of(energy, time, vat, min);
        let tariffs = std::slice::from_ref(&t);
        let before = price_input(&input(&periods, false), tariffs, &PricingPolicy::default()).unwrap();
        let export = PricingPolicy {
            export: ExportPricing::PerKwh { price: Decimal::new(i64::from(credit), 2), vat: Vat::Rate(Decimal::from(19)) },
            allow_negative_total: allow,
            ..PricingPolicy::default()
        };
        // An export policy on a session without export.
        prop_assert_eq!(&price_input(&input(&periods, false), tariffs, &export).unwrap(), &before);
        // Export data under the default policy (`Ignore`).
        prop_assert_eq!(&price_input(&input(&periods, true), tariffs, &PricingPolicy::default()).unwrap(), &before);
        // Export priced, negative totals not allowed: never below zero.
        let r = price_input(&input(&periods, true), tariffs, &PricingPolicy { allow_negative_total: false, ..export }).unwrap();
        prop_assert!(r.total_cost.excl_vat >= Decimal::ZERO);
        prop_assert_eq!(r.breakdown.zero_clamp.is_some(), r.note_ids().contains(&"total_cost_clamped_to_zero"));
    }
}
