//! Live backend: the bundled day at a small site replayed as a live feed from two stations
//! into a `Fleet`. Events are drained after every frame (what a backend pushes to apps), a
//! checkpoint is written every 50 frames, and halfway through the process "crashes": a new
//! fleet is restored from the last checkpoint and the frames since then are fed again, as a
//! station resends what was not acknowledged. At the end every ended session has been
//! reported, and the sessions are those of the logs read in one go.
//!
//! Run with `cargo run -p chargekit-examples --bin live-backend`.

use chargekit::meter::MeterPolicy;
use chargekit::session::{sessions_from_log, Fleet, SessionEventKind, DEFAULT_RETENTION_S};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

const CHECKPOINT_EVERY: usize = 50;

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let logs = [
        (
            "CP-ALPHA",
            std::fs::read_to_string(data.join("site-day-ocpp16.jsonl"))?,
        ),
        (
            "CP-BRAVO",
            std::fs::read_to_string(data.join("site-day-ocpp201.jsonl"))?,
        ),
    ];
    // Interleave the two stations' frames, each in the order it sent them.
    let mut feed: Vec<(&str, &str)> = Vec::new();
    let mut lines: Vec<_> = logs
        .iter()
        .map(|(id, text)| (*id, text.lines().filter(|l| !l.trim().is_empty())))
        .collect();
    loop {
        let before = feed.len();
        for (id, it) in &mut lines {
            if let Some(l) = it.next() {
                feed.push((*id, l));
            }
        }
        if feed.len() == before {
            break;
        }
    }

    let checkpoint = std::env::temp_dir().join("chargekit-live-backend.ckpt");
    let mut fleet = Fleet::new(None, MeterPolicy::default(), DEFAULT_RETENTION_S);
    let mut last_checkpoint = 0;
    let mut pushed: BTreeMap<SessionEventKind, usize> = BTreeMap::new();
    let mut ended: BTreeMap<(String, String), usize> = BTreeMap::new();
    let crash_at = feed.len() / 2;
    let mut i = 0;
    let mut crashed = false;
    while i < feed.len() {
        let (station, frame) = feed[i];
        fleet.feed(station, frame)?;
        for e in fleet.drain_events()? {
            *pushed.entry(e.kind).or_default() += 1;
            if e.kind == SessionEventKind::Ended {
                *ended
                    .entry((e.station_id.clone(), e.transaction_id.clone()))
                    .or_default() += 1;
                if let Some(s) = &e.session {
                    println!(
                        "ended   {:<9} {:<38} {:>7} Wh",
                        e.station_id,
                        e.transaction_id,
                        s.energy_wh.normalize()
                    );
                }
            }
        }
        i += 1;
        if i % CHECKPOINT_EVERY == 0 {
            std::fs::write(&checkpoint, fleet.snapshot())?;
            last_checkpoint = i;
        }
        if i == crash_at && !crashed {
            crashed = true;
            let bytes = std::fs::read(&checkpoint)?;
            println!(
                "-- crash after frame {i}; restored from the checkpoint of frame {last_checkpoint} ({} KiB), resending {} frames",
                bytes.len() / 1024,
                i - last_checkpoint
            );
            fleet = Fleet::restore(&bytes)?;
            i = last_checkpoint;
        }
    }
    let _ = std::fs::remove_file(&checkpoint);

    println!("events pushed: {pushed:?}");
    for (station, text) in &logs {
        let whole = sessions_from_log(station, text, None, &MeterPolicy::default())?;
        let live = fleet.sessions(station)?;
        let same = whole.len() == live.len()
            && whole
                .iter()
                .zip(&live)
                .all(|(a, b)| (&a.key, a.energy_wh, a.end) == (&b.key, b.energy_wh, b.end));
        let reported = whole
            .iter()
            .filter(|s| s.is_ended())
            .all(|s| ended.contains_key(&(station.to_string(), s.key.to_string())));
        println!(
            "{station}: {} sessions, live = bulk: {same}, every end reported: {reported}",
            live.len()
        );
        if !same || !reported {
            return Err(format!("{station}: the live fleet disagrees with the log").into());
        }
    }
    // Frames resent after the crash repeat the events since the checkpoint (at least once).
    let twice = ended.values().filter(|n| **n > 1).count();
    println!("ended events repeated by the resend after the crash: {twice}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("live-backend: {e}");
            ExitCode::FAILURE
        }
    }
}
