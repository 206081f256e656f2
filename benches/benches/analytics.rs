//! Sessions per second through the full site summary over 1,000,000 generated sessions
//! (generated once, outside the timed loop): one pass, and two shards merged; and the same
//! summaries read straight from an Arrow batch of the records (`chargekit::arrow`).
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::analytics::{generate, summarize, summarize_parallel, GeneratorConfig, SiteProfile};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;

/// A 500-port public site over 600 days: about 1.06 million sessions.
fn config() -> GeneratorConfig {
    GeneratorConfig {
        seed: 2026,
        days: 600,
        stations: 250,
        ports_per_station: 2,
        profile: SiteProfile::Public,
        arrivals_per_port_day: Decimal::new(36, 1),
        users: 50_000,
        ..GeneratorConfig::default()
    }
}

fn analytics(c: &mut Criterion) {
    let cfg = config();
    let sessions = generate(&cfg).expect("the generator runs");
    let opts = cfg
        .summary_options()
        .expect("the generator's options are valid");
    let mut g = c.benchmark_group("summary_1m_sessions");
    g.throughput(Throughput::Elements(sessions.len() as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(15));
    g.bench_function("summarize_one_pass", |b| {
        b.iter(|| black_box(summarize(black_box(&sessions), &opts).map(|s| s.counts.sessions_used)))
    });
    g.bench_function("summarize_parallel_2_shards", |b| {
        b.iter(|| {
            black_box(
                summarize_parallel(black_box(&sessions), &opts, 2).map(|s| s.counts.sessions_used),
            )
        })
    });
    let batches: Vec<_> = sessions
        .chunks(65_536)
        .map(|c| chargekit::arrow::records_to_batch(c).expect("the records convert"))
        .collect();
    g.bench_function("arrow_summarize_one_pass", |b| {
        b.iter(|| {
            black_box(
                chargekit::arrow::summarize(black_box(&batches), &opts)
                    .map(|s| s.counts.sessions_used),
            )
        })
    });
    g.bench_function("arrow_summarize_2_shards", |b| {
        b.iter(|| {
            black_box(
                chargekit::arrow::summarize_parallel(black_box(&batches), &opts, 2)
                    .map(|s| s.counts.sessions_used),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, analytics);
criterion_main!(benches);
