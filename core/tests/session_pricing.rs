//! Pricing chargekit sessions: periods cut exactly at price boundaries, idle fees with a
//! grace period, cap and active hours, live pricing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::billing::{
    price_cdr, price_live, price_session, CostCategory, PeriodSplit, PricingNote, PricingPolicy,
};
use chargekit::ocpp::OcppVersion;
use chargekit::session::{CdrOptions, Session};
use chargekit::tariff::{IdleFee, Tariff};
use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

const TZ: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Charging from 08:00Z at a steady 1 kWh per 6 minutes (10 kW) for `charge_min`, then
/// idle until `end_min` (minutes after 08:00Z = 09:00 Amsterdam).
fn session(charge_min: i64, end_min: i64) -> Session {
    let mut lines = vec![
        start16("s", 1, 0, 0),
        start_result("s", 7),
        status16("c", 1, "Charging", 0),
    ];
    let mut m = 6;
    while m <= charge_min {
        lines.push(reg16(
            &format!("m{m}"),
            1,
            7,
            m,
            &(m * 1000 / 6).to_string(),
        ));
        m += 6;
    }
    lines.push(status16("f", 1, "SuspendedEV", charge_min));
    lines.push(stop16("x", 7, charge_min * 1000 / 6, end_min));
    one(OcppVersion::V16, &lines)
}

fn tariff(v: serde_json::Value) -> Tariff {
    let mut t = json!({"country_code": "NL", "party_id": "ABC", "id": "S", "currency": "EUR",
        "last_updated": "2026-01-01T00:00:00Z"});
    t.as_object_mut()
        .unwrap()
        .extend(v.as_object().unwrap().clone());
    Tariff::from_value(&t).unwrap()
}

#[test]
fn kwh_threshold_is_cut_exactly() {
    // First 5 kWh at 0.20, then 0.40. 60 minutes at 10 kW = 10 kWh.
    let t = tariff(json!({"elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.20, "step_size": 1}], "restrictions": {"max_kwh": 5}},
        {"price_components": [{"type": "ENERGY", "price": 0.40, "step_size": 1}]}]}));
    let s = session(60, 60);
    let r = price_session(&s, std::slice::from_ref(&t), TZ, &PricingPolicy::default()).unwrap();
    assert_eq!(r.total_cost.excl_vat.to_string(), "3.00");
    // The CDR-only view cannot split its single charging period: all at the start price.
    let cdr = s.to_ocpi_cdr(&CdrOptions::default()).unwrap().to_string();
    let via_cdr = price_cdr(
        &cdr,
        &[t],
        Some("Europe/Amsterdam"),
        &PricingPolicy::default(),
    )
    .unwrap();
    assert_eq!(via_cdr.total_cost.excl_vat.to_string(), "2.00");
    let policy = PricingPolicy {
        period_split: PeriodSplit::AtPeriodStart,
        ..PricingPolicy::default()
    };
    let noted = price_cdr(&cdr, &[tariff(json!({"elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.20, "step_size": 1}], "restrictions": {"max_kwh": 5}},
        {"price_components": [{"type": "ENERGY", "price": 0.40, "step_size": 1}]}]}))], Some("Europe/Amsterdam"), &policy).unwrap();
    assert!(noted
        .notes
        .iter()
        .any(|n| matches!(n, PricingNote::PeriodSpansPriceChange { .. })));
}

#[test]
fn time_of_use_boundary_and_duration_are_cut() {
    // 09:30 local (08:30Z) switches the price; after 45 minutes a time fee starts.
    let t = tariff(json!({"elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.20, "step_size": 1}], "restrictions": {"end_time": "09:30"}},
        {"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1}]},
        {"price_components": [{"type": "TIME", "price": 6, "step_size": 60}], "restrictions": {"min_duration": 2700}}]}));
    let s = session(60, 60);
    let r = price_session(&s, &[t], TZ, &PricingPolicy::default()).unwrap();
    // 5 kWh at 0.20 + 5 kWh at 0.30 + 15 min at 6 €/h.
    assert_eq!(r.total_energy_cost.unwrap().excl_vat.to_string(), "2.50");
    assert_eq!(r.total_time_cost.unwrap().excl_vat.to_string(), "1.50");
}

#[test]
fn idle_fee_after_grace_with_cap() {
    // Charging 30 min, then idle 90 min. Grace 10 min, 12 €/h, capped at 10 €.
    let fee = IdleFee {
        grace_s: 600,
        price_per_hour: d("12"),
        vat: chargekit::tariff::Vat::Rate(d("21")),
        step_size: 60,
        cap: None,
        active_from: None,
        active_until: None,
    };
    let mut t = tariff(
        json!({"elements": [{"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1}]}]}),
    );
    t.idle_fee = Some(fee.clone());
    let s = session(30, 120);
    let r = price_session(&s, std::slice::from_ref(&t), TZ, &PricingPolicy::default()).unwrap();
    // 80 minutes billed at 12 €/h = 16.00, plus 5 kWh × 0.30.
    let idle: Decimal = r
        .breakdown
        .lines
        .iter()
        .filter(|l| l.category == CostCategory::IdleFee)
        .map(|l| l.cost.excl_vat)
        .sum();
    assert_eq!(idle, d("16"));
    assert_eq!(r.total_parking_cost.unwrap().excl_vat.to_string(), "16.00");
    assert_eq!(r.total_cost.excl_vat.to_string(), "17.50");
    t.idle_fee = Some(IdleFee {
        cap: Some(d("10")),
        ..fee.clone()
    });
    let capped =
        price_session(&s, std::slice::from_ref(&t), TZ, &PricingPolicy::default()).unwrap();
    assert_eq!(capped.total_cost.excl_vat.to_string(), "11.50");
    assert!(capped.notes.contains(&PricingNote::IdleFeeCapped));
    // Active 10:00–20:00 local only: idle from 08:40Z (09:40 local), billed from 10:00 to 11:00 local.
    t.idle_fee = Some(IdleFee {
        active_from: Some("10:00".parse().unwrap()),
        active_until: Some("20:00".parse().unwrap()),
        ..fee
    });
    let hours = price_session(&s, std::slice::from_ref(&t), TZ, &PricingPolicy::default()).unwrap();
    assert_eq!(
        hours.total_parking_cost.unwrap().excl_vat.to_string(),
        "12.00"
    );
    // The idle fee is not expressible in OCPI 2.2.1: left out by default.
    assert!(t
        .to_ocpi(chargekit::tariff::OcpiVersion::V221)
        .get("idle_fee")
        .is_none());
    let exported = t.to_ocpi_with(
        chargekit::tariff::OcpiVersion::V221,
        chargekit::billing::IdleFeeExport::SessionRelative,
    );
    assert_eq!(exported["elements"][0]["restrictions"]["min_duration"], 600);
}

#[test]
fn live_price_so_far_and_if_stopped_now() {
    let t = tariff(json!({"min_price": {"excl_vat": 2},
        "elements": [{"price_components": [
            {"type": "ENERGY", "price": 0.30, "step_size": 1},
            {"type": "TIME", "price": 1.20, "step_size": 900}]}]}));
    let s = session(60, 60);
    let at = "2026-03-10T08:20:00Z".parse().unwrap();
    let live = price_live(
        &s,
        std::slice::from_ref(&t),
        TZ,
        &PricingPolicy::default(),
        at,
    )
    .unwrap();
    // 20 minutes: 3.333 kWh × 0.30 = 1.00, 20 min × 1.20 €/h = 0.40 → 1.40 so far.
    assert_eq!(live.so_far.excl_vat.to_string(), "1.40");
    // Stopped now: time billed per 15 min (30 min = 0.60) and the 2.00 minimum.
    assert_eq!(live.if_stopped_now.total_cost.excl_vat.to_string(), "2.00");
    // The priced CDR of a live session ends now.
    assert_eq!(
        live.if_stopped_now.to_ocpi()["end_date_time"],
        "2026-03-10T08:20:00Z"
    );
    let later = price_live(
        &s,
        &[t],
        TZ,
        &PricingPolicy::default(),
        "2026-03-10T09:00:00Z".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(later.so_far.excl_vat.to_string(), "4.20");
}

#[test]
fn power_change_is_cut_at_the_sample() {
    // 22 kW for 30 minutes (11 kWh), then 7 kW for 30 minutes (3.5 kWh).
    let p = |w: &str| json!({"value": w, "measurand": "Power.Active.Import", "unit": "W"});
    let mut lines = vec![
        start16("s", 1, 0, 0),
        start_result("s", 7),
        status16("c", 1, "Charging", 0),
        mv16("m0", 1, Some(7), 0, vec![sv("0"), p("22000")]),
    ];
    for (i, m) in (6..=30).step_by(6).enumerate() {
        let wh = m * 22_000 / 60;
        lines.push(mv16(
            &format!("a{i}"),
            1,
            Some(7),
            m,
            vec![sv(&wh.to_string()), p("22000")],
        ));
    }
    for (i, m) in (36..=60).step_by(6).enumerate() {
        let wh = 11_000 + (m - 30) * 7_000 / 60;
        lines.push(mv16(
            &format!("b{i}"),
            1,
            Some(7),
            m,
            vec![sv(&wh.to_string()), p("7000")],
        ));
    }
    lines.push(stop16("x", 7, 14_500, 60));
    let s = one(OcppVersion::V16, &lines);
    let t = tariff(json!({"elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.50, "step_size": 1}], "restrictions": {"min_power": 11}},
        {"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1}]}]}));
    let r = price_session(&s, std::slice::from_ref(&t), TZ, &PricingPolicy::default()).unwrap();
    // Power drops between the samples at 08:30 and 08:36: the cut is midway, at 08:33.
    let fast: Decimal = r
        .breakdown
        .lines
        .iter()
        .filter(|l| l.unit_price == d("0.50"))
        .map(|l| l.volume)
        .sum();
    let slow: Decimal = r
        .breakdown
        .lines
        .iter()
        .filter(|l| l.unit_price == d("0.30"))
        .map(|l| l.volume)
        .sum();
    assert_eq!(fast, d("11.35"));
    assert_eq!(slow, d("3.15"));
    assert_eq!(r.total_cost.excl_vat.to_string(), "6.62");
    // Without the meter timeline the whole session is at the fast rate.
    let cdr = s.to_ocpi_cdr(&CdrOptions::default()).unwrap().to_string();
    let via_cdr = price_cdr(
        &cdr,
        &[t],
        Some("Europe/Amsterdam"),
        &PricingPolicy::default(),
    )
    .unwrap();
    assert_eq!(via_cdr.total_cost.excl_vat.to_string(), "7.25");
    assert!(r.total_cost.excl_vat < via_cdr.total_cost.excl_vat);
}
