//! Composite schedules per second over the 19 shared vector cases
//! (core/tests/vectors/composite): the stations are built once; each iteration computes the
//! 19 composites, optionally with their OCPP 2.0.1 response as JSON text, or builds the
//! stations from the parsed cases first (install + validation + composite).
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::profile::{
    CompositeCase, CompositeRequest, DuplicatePolicy, ProfileVersion, SmartChargingStation,
    StationOptions,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn options() -> StationOptions {
    // The vectors are profile sets as stored; see core/tests/profile_vectors.rs.
    StationOptions {
        duplicates: DuplicatePolicy::Keep,
        ..StationOptions::default()
    }
}

fn cases() -> Vec<(String, CompositeCase)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/vectors/composite/cases.json"
    );
    let text = std::fs::read_to_string(path).expect("the composite vectors are in the repository");
    let v: serde_json::Value = serde_json::from_str(&text).expect("the composite vectors are JSON");
    v["cases"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, c)| {
                    serde_json::from_value(c.clone())
                        .ok()
                        .map(|c| (k.clone(), c))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn composite(c: &mut Criterion) {
    let cases = cases();
    assert_eq!(cases.len(), 19, "vector cases not found");
    let built: Vec<(SmartChargingStation, CompositeRequest)> = cases
        .iter()
        .filter_map(|(_, case)| case.station(options()).ok())
        .collect();
    assert_eq!(built.len(), 19);

    let mut g = c.benchmark_group("composite_19_vectors");
    g.throughput(Throughput::Elements(built.len() as u64));
    g.bench_function("compute", |b| {
        b.iter(|| {
            let mut periods = 0;
            for (st, req) in &built {
                if let Ok(s) = req.run(black_box(st)) {
                    periods += s.periods.len();
                }
            }
            black_box(periods)
        })
    });
    g.bench_function("compute_and_ocpp_json", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for (st, req) in &built {
                if let Ok(s) = req.run(black_box(st)) {
                    bytes += s.to_ocpp(ProfileVersion::V201).to_string().len();
                }
            }
            black_box(bytes)
        })
    });
    g.bench_function("install_and_compute", |b| {
        b.iter(|| {
            let mut periods = 0;
            for (_, case) in &cases {
                if let Ok((st, req)) = case.station(options()) {
                    if let Ok(s) = req.run(&st) {
                        periods += s.periods.len();
                    }
                }
            }
            black_box(periods)
        })
    });
    g.finish();

    // The two largest cases on their own.
    let mut g = c.benchmark_group("composite_single");
    for name in ["v21_stack_week_2024-01-08", "grid_24h_W", "OCTT_TC_K_41_CS"] {
        if let Some(i) = cases.iter().position(|(n, _)| n == name) {
            let (st, req) = &built[i];
            g.throughput(Throughput::Elements(1));
            g.bench_function(name, |b| b.iter(|| black_box(req.run(black_box(st)).ok())));
        }
    }
    g.finish();
}

criterion_group!(benches, composite);
criterion_main!(benches);
