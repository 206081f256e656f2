//! Frames → sessions for 200 stations (the two sample days, copied): one Arrow table through
//! `chargekit::arrow::SessionsFromFrames` against `sessions_from_log` per station on the
//! same frames as JSON lines.
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::arrow::{frames_batch, SessionsFromFrames};
use chargekit::meter::MeterPolicy;
use chargekit::session::sessions_from_log;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const LOGS: [&str; 2] = [
    include_str!("../../examples/data/site-day-ocpp16.jsonl"),
    include_str!("../../examples/data/site-day-ocpp201.jsonl"),
];

fn arrow_frames(c: &mut Criterion) {
    let stations: Vec<(String, &str)> = (0..200)
        .map(|i| (format!("CP-{i:05}"), LOGS[i % 2]))
        .collect();
    let rows: Vec<(&str, Option<chrono::DateTime<chrono::Utc>>, &str)> = stations
        .iter()
        .flat_map(|(s, log)| log.lines().map(move |l| (s.as_str(), None, l)))
        .collect();
    let batch = frames_batch(&rows).expect("the frames convert");
    let mut g = c.benchmark_group("frames_to_sessions_200_stations");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.sample_size(10);
    g.bench_function("sessions_from_log_per_station", |b| {
        b.iter(|| {
            for (station, log) in &stations {
                black_box(
                    sessions_from_log(station, log, None, &MeterPolicy::default()).map(|s| s.len()),
                )
                .expect("the log reads");
            }
        })
    });
    g.bench_function("arrow_sessions_from_frames", |b| {
        b.iter(|| {
            let job = SessionsFromFrames::new(None, MeterPolicy::default(), None, true);
            black_box(job.run([Ok(batch.clone())]).map(|out| out.len())).expect("the frames read")
        })
    });
    g.finish();
}

criterion_group!(benches, arrow_frames);
criterion_main!(benches);
