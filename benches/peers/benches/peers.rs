//! CDRs priced per second by chargekit and by ocpi-tariffs 0.48 on the same JSON: a
//! 2-period and an 11-period time-of-use CDR with the same tariff.
//!
//! * `pre_parsed`: the JSON is tokenised once; each iteration prices it (ocpi-tariffs
//!   still reads its structured CDR from the JSON tree inside `cdr::price`; chargekit
//!   prices its `PricingInput`).
//! * `from_json`: every iteration parses the CDR and tariff text and prices.
//!
//! Before timing, both must give the same total (chargekit under `PricingPolicy::ocpi_tariffs`).
#![allow(missing_docs)]

use chargekit::billing::{parse_cdr, price_cdr, price_input, PricingPolicy};
use chargekit::tariff::Tariff;
use chargekit_benches::pricing::{cdr_11_periods, cdr_2_periods, tou_tariff};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ocpi_tariffs::{cdr as ot_cdr, price as ot_price, tariff as ot_tariff, Version};
use std::hint::black_box;

fn peers(c: &mut Criterion) {
    let tariff_text = tou_tariff();
    let Ok(tariff) = Tariff::from_json(&tariff_text) else {
        return;
    };
    let tariffs = [tariff];
    // chargekit under the preset that reproduces ocpi-tariffs, so both compute the same.
    let policy = PricingPolicy::ocpi_tariffs();
    let tz = chrono_tz::Europe::Amsterdam;
    let mut g = c.benchmark_group("peers");
    g.throughput(Throughput::Elements(1));
    for (name, cdr) in [
        ("2_periods", cdr_2_periods()),
        ("11_periods", cdr_11_periods()),
    ] {
        // Same answer first.
        let ours = price_cdr(&cdr, &tariffs, None, &policy).map(|r| r.total_cost.excl_vat);
        let theirs = ot_cdr::parse_with_version(&cdr, Version::V221)
            .ok()
            .and_then(|c| {
                let t = ot_tariff::parse_with_version(&tariff_text, Version::V221).ok()?;
                let r = ot_cdr::price(&c.cdr, ot_price::TariffSource::Override(vec![t.tariff]), tz)
                    .ok()?;
                let (report, _) = r.into_parts();
                report.total_cost.calculated.map(|p| p.excl_vat.to_string())
            });
        // ocpi-tariffs shows money with a currency sign: compare the digits, scale included.
        let ours = ours.ok().map(|d| d.to_string());
        let theirs = theirs.map(|t| t.trim_end_matches('¤').to_owned());
        assert_eq!(
            ours, theirs,
            "{name}: the ocpi_tariffs preset must price as ocpi-tariffs does"
        );
        println!("{name}: both {}", ours.unwrap_or_default());

        let Ok(parsed) = parse_cdr(&cdr, None, &policy) else {
            return;
        };
        g.bench_function(format!("{name}/pre_parsed/chargekit"), |b| {
            b.iter(|| {
                black_box(
                    price_input(black_box(&parsed.input), &tariffs, &policy)
                        .map(|r| r.total_cost.excl_vat)
                        .ok(),
                )
            })
        });
        let (Ok(ot_c), Ok(ot_t)) = (
            ot_cdr::parse_with_version(&cdr, Version::V221),
            ot_tariff::parse_with_version(&tariff_text, Version::V221),
        ) else {
            return;
        };
        g.bench_function(format!("{name}/pre_parsed/ocpi_tariffs"), |b| {
            b.iter(|| {
                let r = ot_cdr::price(
                    black_box(&ot_c.cdr),
                    ot_price::TariffSource::Override(vec![ot_t.tariff.clone()]),
                    tz,
                );
                black_box(r.is_ok())
            })
        });
        g.bench_function(format!("{name}/from_json/chargekit"), |b| {
            b.iter(|| {
                let t = Tariff::from_json(black_box(&tariff_text)).ok();
                let r = t.and_then(|t| price_cdr(black_box(&cdr), &[t], None, &policy).ok());
                black_box(r.map(|r| r.total_cost.excl_vat))
            })
        });
        g.bench_function(format!("{name}/from_json/ocpi_tariffs"), |b| {
            b.iter(|| {
                let c = ot_cdr::parse_with_version(black_box(&cdr), Version::V221);
                let t = ot_tariff::parse_with_version(black_box(&tariff_text), Version::V221);
                let ok = match (c, t) {
                    (Ok(c), Ok(t)) => {
                        ot_cdr::price(&c.cdr, ot_price::TariffSource::Override(vec![t.tariff]), tz)
                            .is_ok()
                    }
                    _ => false,
                };
                black_box(ok)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
