//! Live monitoring: reading what changed after every frame, side by side with the bulk read
//! of the same frames; checkpoints (snapshot and restore); and a fleet of 10,000 stations with
//! one open session each, fed one simulated hour at 60 s sampling and drained every minute,
//! with the heap it holds per open session (counted by `stats_alloc`, which wraps the system
//! allocator for this whole binary).
#![allow(missing_docs)]
// A bench whose setup fails must stop loudly, not measure nothing.
#![allow(clippy::expect_used)]

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{Fleet, SessionAssembler, DEFAULT_RETENTION_S};
use chargekit_benches::log16;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::json;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn read_after_every_frame(c: &mut Criterion) {
    let mut g = c.benchmark_group("live_read_every_frame");
    g.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let (text, _) = log16(n);
        let lines: Vec<&str> = text.lines().collect();
        g.throughput(Throughput::Elements(lines.len() as u64));
        // The live read: what changed since the last frame, as events.
        g.bench_with_input(
            BenchmarkId::new("feed_then_drain_events", n),
            &lines,
            |b, lines| {
                // Freeing what a run built is left out of the timing, here and in the bulk read.
                b.iter_with_large_drop(|| {
                    let mut a =
                        SessionAssembler::new("CP", Some(OcppVersion::V16), MeterPolicy::default());
                    let mut events = 0;
                    for l in lines {
                        a.feed_log(l).expect("the benchmark log feeds");
                        events += a.drain_events().expect("events drain").len();
                    }
                    black_box(events);
                    a
                })
            },
        );
        // A full copy of every session (all readings) after every frame grows with the session.
        if n <= 1_000 {
            g.bench_with_input(
                BenchmarkId::new("feed_then_drain_then_sessions", n),
                &lines,
                |b, lines| {
                    b.iter(|| {
                        let mut a = SessionAssembler::new(
                            "CP",
                            Some(OcppVersion::V16),
                            MeterPolicy::default(),
                        );
                        let mut open = 0;
                        for l in lines {
                            a.feed_log(l).expect("the benchmark frames feed");
                            a.drain_events().expect("events drain");
                            open = a.sessions().expect("sessions derive").len();
                        }
                        black_box(open)
                    })
                },
            );
        }
        g.bench_with_input(BenchmarkId::new("bulk", n), &text, |b, text| {
            b.iter_with_large_drop(|| {
                let mut a =
                    SessionAssembler::new("CP", Some(OcppVersion::V16), MeterPolicy::default());
                a.feed_log(text).expect("the benchmark frames feed");
                black_box(a.sessions().expect("sessions derive").len());
                a
            })
        });
    }
    g.finish();
}

fn checkpoints(c: &mut Criterion) {
    let (text, _) = log16(2000);
    let mut a = SessionAssembler::new("CP", Some(OcppVersion::V16), MeterPolicy::default());
    a.feed_log(&text).expect("the benchmark frames feed");
    let bytes = a.snapshot();
    let mut g = c.benchmark_group("checkpoint_2000_frames");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("snapshot", |b| b.iter(|| black_box(a.snapshot().len())));
    g.bench_function("restore", |b| {
        b.iter(|| black_box(SessionAssembler::restore(&bytes).map(|r| r.stats().frames_fed)))
    });
    g.finish();
}

/// One minute of a station with one open 1.6 session: its MeterValues (register, power).
fn minute(station: usize, m: usize) -> String {
    // Minutes after 08:00 (minute 60 is 09:00).
    let ts = format!("2026-03-10T{:02}:{:02}:00Z", 8 + m / 60, m % 60);
    json!([2, format!("m{m}"), "MeterValues", {"connectorId": 1, "transactionId": station + 1, "meterValue": [{
        "timestamp": ts, "sampledValue": [
            {"value": (100_000 + 183 * m).to_string(), "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
            {"value": "11000", "measurand": "Power.Active.Import", "unit": "W"}]}]}])
    .to_string()
}

fn start(station: usize) -> String {
    let tx = station + 1;
    format!(
        "{}\n{}",
        json!([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 100_000, "timestamp": "2026-03-10T08:00:00Z"}]),
        json!([3, "s", {"transactionId": tx, "idTagInfo": {"status": "Accepted"}}])
    )
}

fn fleet_hour(c: &mut Criterion) {
    const STATIONS: usize = 10_000;
    let ids: Vec<String> = (0..STATIONS).map(|i| format!("CP-{i:05}")).collect();
    let minutes: Vec<Vec<String>> = (1..=60)
        .map(|m| (0..STATIONS).map(|s| minute(s, m)).collect())
        .collect();
    let starts: Vec<String> = (0..STATIONS).map(start).collect();
    let run = || {
        let mut f = Fleet::new(
            Some(OcppVersion::V16),
            MeterPolicy::default(),
            DEFAULT_RETENTION_S,
        );
        for (id, s) in ids.iter().zip(&starts) {
            f.feed(id, s).expect("the benchmark frames feed");
        }
        let mut events = f.drain_events().expect("events drain").len();
        for minute in &minutes {
            for (id, frame) in ids.iter().zip(minute) {
                f.feed(id, frame).expect("the benchmark frames feed");
            }
            events += f.drain_events().expect("events drain").len();
        }
        (f, events)
    };
    let region = Region::new(GLOBAL);
    let (fleet, _) = run();
    let held = region.change();
    // Growth by realloc counts as allocated, shrinking as deallocated.
    let heap = held.bytes_allocated as i128 - held.bytes_deallocated as i128;
    let bytes = fleet.snapshot();
    eprintln!(
        "fleet of {STATIONS} stations after one hour: {} open sessions, heap {} MiB ({} bytes per open session), checkpoint {} KiB ({} bytes per open session)",
        fleet.open_sessions().expect("sessions derive").len(),
        heap / (1 << 20),
        heap / STATIONS as i128,
        bytes.len() / 1024,
        bytes.len() / STATIONS
    );
    let mut g = c.benchmark_group("fleet_10000_stations_hour_60s");
    g.sample_size(10);
    g.throughput(Throughput::Elements((STATIONS * 62) as u64));
    g.bench_function("feed_and_drain_every_minute", |b| {
        b.iter(|| black_box(run().1))
    });
    g.bench_function("snapshot", |b| b.iter(|| black_box(fleet.snapshot().len())));
    g.bench_function("restore", |b| {
        b.iter(|| black_box(Fleet::restore(&bytes).map(|f| f.station_ids().len())))
    });
    g.finish();
}

criterion_group!(benches, read_after_every_frame, checkpoints, fleet_hour);
criterion_main!(benches);
