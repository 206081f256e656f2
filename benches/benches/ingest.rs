//! Readings ingested per second: from raw OCPP-J text and from pre-parsed frames, side by
//! side with plain `serde_json` parsing of the same bytes into `serde_json::Value`.
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::{parse_log, OcppVersion};
use chargekit::session::{sessions_from_log, SessionAssembler};
use chargekit_benches::log16;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

fn ingest(c: &mut Criterion) {
    let (text, readings) = log16(5_000);
    let mut g = c.benchmark_group("ingest_30k_readings");
    g.throughput(Throughput::Elements(readings as u64));
    g.sample_size(20);

    g.bench_function("serde_json_value_baseline", |b| {
        b.iter(|| {
            let n = text
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l)
                        .map(|_| 1)
                        .expect("every line is JSON")
                })
                .sum::<usize>();
            black_box(n)
        })
    });
    g.bench_function("raw_text_to_sessions", |b| {
        b.iter(|| {
            let s = sessions_from_log(
                "CP",
                black_box(&text),
                Some(OcppVersion::V16),
                &MeterPolicy::default(),
            );
            black_box(s.expect("sessions derive").len())
        })
    });
    let frames = parse_log(&text).expect("the benchmark log parses");
    g.bench_function("preparsed_frames_to_sessions", |b| {
        b.iter_batched(
            || frames.clone(),
            |frames| {
                let mut a =
                    SessionAssembler::new("CP", Some(OcppVersion::V16), MeterPolicy::default());
                a.feed_frames(frames).expect("the benchmark frames feed");
                black_box(a.sessions().expect("sessions derive").len())
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
