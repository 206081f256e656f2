//! CDRs priced per second by chargekit and by ocpi-kit 0.4 on the same JSON as the
//! ocpi-tariffs bench (`benches/peers`): a 2-period and an 11-period time-of-use CDR with the
//! same tariff (`chargekit_benches::pricing`).
//!
//! * `from_json`: every iteration parses the tariff and the CDR text and prices (ocpi-kit:
//!   the 2.2.1 tariff upgraded to 2.3.0, the time zone resolved; chargekit: the zone inferred
//!   from the country).
//! * `pre_parsed`: both are parsed once; each iteration prices (chargekit its
//!   `PricingInput`, ocpi-kit its `PricedSession`).
//!
//! Before timing, both must give the same totals, excluding and including VAT. chargekit
//! prices under its default policy where that already agrees with ocpi-kit (the 11-period
//! CDR), and under `PricingPolicy::ocpi_kit()` where it does not (the 2-period CDR: ocpi-kit
//! takes 0.666667 h of parking as 2400.0012 s, a 300 s step more than chargekit's default
//! 40 min, 9.43 against 9.26 excl. VAT); the timed chargekit prices under that policy.
// A bench whose inputs do not parse or price must stop, not time nothing.
#![allow(missing_docs, clippy::expect_used)]

use chargekit::billing::{parse_cdr, price_input, PricingPolicy};
use chargekit::tariff::Tariff;
use chargekit_benches::pricing::{cdr_11_periods, cdr_2_periods, tou_tariff};
use chargekit_benches_peers_ocpi_kit::{
    chargekit_price_json, kit_price_json, kit_session, kit_tariff, Totals, TIME_ZONE,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ocpi_kit::tariffs::{PricingEngine, TimeZone};
use std::hint::black_box;

/// The chargekit policy that computes what ocpi-kit computes on `cdr`: the default if it
/// already does, else the `ocpi_kit` preset, which must (asserted). Prints the three totals.
fn agreeing_policy(name: &str, cdr: &str, tariff: &str) -> PricingPolicy {
    let kit = kit_price_json(cdr, tariff).expect("ocpi-kit prices the CDR");
    let notes: Vec<&str> = kit.notes.iter().map(|n| n.code.as_str()).collect();
    let kit = Totals::from(&kit);
    let ours = |policy: &PricingPolicy| {
        let r = chargekit_price_json(cdr, tariff, policy).expect("chargekit prices the CDR");
        Totals::from(&r)
    };
    let (default, preset) = (PricingPolicy::default(), PricingPolicy::ocpi_kit());
    let (by_default, by_preset) = (ours(&default), ours(&preset));
    println!("{name}: ocpi-kit 0.4               {kit} (notes: {notes:?})");
    println!("{name}: chargekit default          {by_default}");
    println!("{name}: chargekit ocpi_kit preset  {by_preset}");
    if by_default == kit {
        println!("{name}: compared and timed: chargekit default = ocpi-kit");
        return default;
    }
    assert_eq!(
        by_preset, kit,
        "{name}: chargekit's ocpi_kit preset must price as ocpi-kit 0.4 does"
    );
    println!("{name}: compared and timed: chargekit ocpi_kit preset = ocpi-kit");
    preset
}

fn ocpi_kit(c: &mut Criterion) {
    let tariff_text = tou_tariff();
    let tariffs = [Tariff::from_json(&tariff_text).expect("chargekit reads the tariff")];
    let kit_tariffs = [kit_tariff(&tariff_text).expect("ocpi-kit reads the tariff")];
    let zone = TimeZone::named(TIME_ZONE).expect("ocpi-kit knows the zone");
    let engine = PricingEngine::new();
    let mut g = c.benchmark_group("ocpi_kit");
    g.throughput(Throughput::Elements(1));
    for (name, cdr) in [
        ("2_periods", cdr_2_periods()),
        ("11_periods", cdr_11_periods()),
    ] {
        // Same totals first, from text and pre-parsed alike.
        let policy = agreeing_policy(name, &cdr, &tariff_text);
        let parsed = parse_cdr(&cdr, None, &policy).expect("chargekit reads the CDR");
        let session = kit_session(&cdr, zone.clone()).expect("ocpi-kit reads the CDR");
        let ours = price_input(&parsed.input, &tariffs, &policy).expect("chargekit prices");
        let theirs = engine
            .price(&session, &kit_tariffs)
            .expect("ocpi-kit prices");
        assert_eq!(
            Totals::from(&ours),
            Totals::from(&theirs),
            "{name}: pre-parsed totals"
        );

        g.bench_function(format!("{name}/from_json/chargekit"), |b| {
            b.iter(|| {
                let r = chargekit_price_json(black_box(&cdr), black_box(&tariff_text), &policy);
                black_box(r.map(|r| r.total_cost.excl_vat).ok())
            })
        });
        g.bench_function(format!("{name}/from_json/ocpi_kit"), |b| {
            b.iter(|| {
                let r = kit_price_json(black_box(&cdr), black_box(&tariff_text));
                black_box(r.map(|r| r.total_excl_vat).ok())
            })
        });
        g.bench_function(format!("{name}/pre_parsed/chargekit"), |b| {
            b.iter(|| {
                let r = price_input(black_box(&parsed.input), &tariffs, &policy);
                black_box(r.map(|r| r.total_cost.excl_vat).ok())
            })
        });
        g.bench_function(format!("{name}/pre_parsed/ocpi_kit"), |b| {
            b.iter(|| {
                let r = engine.price(black_box(&session), &kit_tariffs);
                black_box(r.map(|r| r.total_excl_vat).ok())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, ocpi_kit);
criterion_main!(benches);
