//! CDRs priced per second: a 2-period and an 11-period time-of-use CDR, pre-parsed (the
//! engine alone) and from JSON text (parsing the CDR and the tariff included).
//! The side-by-side with the crate `ocpi-tariffs` lives in `benches/peers` (crate `chargekit-benches-peers`).
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::billing::{parse_cdr, price_cdr, price_input, PricingPolicy};
use chargekit::tariff::Tariff;
use chargekit_benches::pricing::{cdr_11_periods, cdr_2_periods, tou_tariff};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn pricing(c: &mut Criterion) {
    let tariff_text = tou_tariff();
    let tariff = Tariff::from_json(&tariff_text).expect("the benchmark tariff parses");
    let tariffs = [tariff];
    let policy = PricingPolicy::default();
    let mut g = c.benchmark_group("pricing");
    g.throughput(Throughput::Elements(1));
    for (name, cdr) in [
        ("2_periods", cdr_2_periods()),
        ("11_periods", cdr_11_periods()),
    ] {
        let parsed = parse_cdr(&cdr, None, &policy).expect("the benchmark CDR parses");
        g.bench_function(format!("{name}/pre_parsed"), |b| {
            b.iter(|| {
                black_box(
                    price_input(black_box(&parsed.input), &tariffs, &policy)
                        .map(|r| r.total_cost.excl_vat)
                        .ok(),
                )
            })
        });
        g.bench_function(format!("{name}/from_json"), |b| {
            b.iter(|| {
                let t = Tariff::from_json(black_box(&tariff_text)).ok();
                let r = t.and_then(|t| price_cdr(black_box(&cdr), &[t], None, &policy).ok());
                black_box(r.map(|r| r.total_cost.excl_vat))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, pricing);
criterion_main!(benches);
