//! Property tests: order and duplicate independence, non-negative energy, periods that
//! sum to the session, live feeding equal to bulk feeding, checkpoints that restore exactly,
//! and no panics on garbage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::meter::{AnomalyKind, MeterPolicy, NegativeStepPolicy};
use chargekit::ocpp::{parse_log, OcppVersion};
use chargekit::session::{Session, SessionAssembler, SessionEventKind};
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

/// A 2.0.1 transaction: register steps every 5 minutes, optional one-sample dips, offline flags.
fn log201(steps: &[(u32, bool, bool)]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut reg: u64 = 50_000;
    lines.push(ev201(
        "e0",
        "TX",
        "Started",
        0,
        0,
        Some("Charging"),
        vec![reg201_ctx(&reg.to_string(), "Transaction.Begin")],
        json!({"evse": {"id": 1, "connectorId": 1}}),
    ));
    for (i, (inc, dip, offline)) in steps.iter().enumerate() {
        reg += u64::from(*inc);
        let seq = i as u64 + 1;
        let shown = if *dip { 0 } else { reg };
        let state = if *inc > 0 { "Charging" } else { "SuspendedEV" };
        let mut line = ev201(
            &format!("e{seq}"),
            "TX",
            "Updated",
            seq,
            5 * seq as i64,
            Some(state),
            vec![reg201(&shown.to_string())],
            json!({}),
        );
        if *offline {
            line = line.replace("\"seqNo\"", "\"offline\":true,\"seqNo\"");
        }
        lines.push(line);
    }
    let last = steps.len() as u64 + 1;
    lines.push(ev201(
        &format!("e{last}"),
        "TX",
        "Ended",
        last,
        5 * last as i64,
        None,
        vec![reg201_ctx(&reg.to_string(), "Transaction.End")],
        json!({}),
    ));
    lines
}

/// A 1.6 transaction with MeterValues and a StopTransaction.
fn log16(steps: &[(u32, bool, bool)]) -> Vec<String> {
    let mut reg: u64 = 1_000_000;
    let mut lines = vec![
        start16("s", 1, reg as i64, 0),
        start_result("s", 42),
        status16("c", 1, "Charging", 0),
    ];
    for (i, (inc, dip, _)) in steps.iter().enumerate() {
        reg += u64::from(*inc);
        let shown = if *dip { 0 } else { reg };
        lines.push(reg16(
            &format!("m{i}"),
            1,
            42,
            5 * (i as i64 + 1),
            &shown.to_string(),
        ));
    }
    lines.push(stop16("x", 42, reg as i64, 5 * (steps.len() as i64 + 1)));
    lines
}

fn without(mut s: Vec<Session>, kinds: &[AnomalyKind]) -> Vec<Session> {
    for x in &mut s {
        x.anomalies.retain(|a| !kinds.contains(&a.kind));
    }
    s
}

fn run(version: OcppVersion, lines: &[String]) -> Vec<Session> {
    chargekit::session::sessions_from_log(
        "CP",
        &lines.join("\n"),
        Some(version),
        &MeterPolicy::default(),
    )
    .unwrap()
}

/// Steps with no two dips in a row and none at the end (a dip is a single outlier).
fn steps() -> impl Strategy<Value = Vec<(u32, bool, bool)>> {
    prop::collection::vec(
        (0u32..1500, prop::bool::weighted(0.1), any::<bool>()),
        1..24,
    )
    .prop_map(|mut v| {
        for i in 1..v.len() {
            if v[i - 1].1 {
                v[i].1 = false;
            }
        }
        if let Some(l) = v.last_mut() {
            l.1 = false;
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn order_independent_201(steps in steps(), seed in any::<u64>()) {
        let lines = log201(&steps);
        let base = run(OcppVersion::V201, &lines);
        let mut shuffled = lines.clone();
        shuffle(&mut shuffled, seed);
        let other = run(OcppVersion::V201, &shuffled);
        // Only `out_of_order` describes arrival; everything else must be identical.
        prop_assert_eq!(without(base.clone(), &[AnomalyKind::OutOfOrder]), without(other, &[AnomalyKind::OutOfOrder]));
        // The energy is the sum of the true increments.
        let truth: u64 = steps.iter().map(|s| u64::from(s.0)).sum();
        prop_assert_eq!(base[0].energy_wh, Decimal::from(truth));
    }

    #[test]
    fn order_independent_16(steps in steps(), seed in any::<u64>()) {
        let lines = log16(&steps);
        let base = run(OcppVersion::V16, &lines);
        let mut shuffled = lines.clone();
        shuffle(&mut shuffled, seed);
        let other = run(OcppVersion::V16, &shuffled);
        prop_assert_eq!(without(base.clone(), &[AnomalyKind::OutOfOrder]), without(other, &[AnomalyKind::OutOfOrder]));
        let truth: u64 = steps.iter().map(|s| u64::from(s.0)).sum();
        prop_assert_eq!(base[0].energy_wh, Decimal::from(truth));
    }

    #[test]
    fn duplicates_change_nothing(steps in steps(), picks in prop::collection::vec(any::<prop::sample::Index>(), 0..8)) {
        let lines = log201(&steps);
        let base = run(OcppVersion::V201, &lines);
        // Re-delivered frames (same id) at the end: identical result, anomalies included.
        let mut again = lines.clone();
        for p in &picks {
            again.push(p.get(&lines).clone());
        }
        prop_assert_eq!(&base, &run(OcppVersion::V201, &again));
        // Replays under new message ids: same totals, reported as duplicates.
        let mut replay = lines.clone();
        for (i, p) in picks.iter().enumerate() {
            let l = p.get(&lines);
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            replay.push(json!([2, format!("replay-{i}"), v[2], v[3]]).to_string());
        }
        let replayed = run(OcppVersion::V201, &replay);
        prop_assert_eq!(replayed[0].energy_wh, base[0].energy_wh);
        prop_assert_eq!(&replayed[0].charging_periods(), &base[0].charging_periods());
        if !picks.is_empty() {
            prop_assert!(replayed[0].anomaly_kinds().contains(&AnomalyKind::Duplicate));
        }
    }

    #[test]
    fn live_feeding_equals_bulk(steps in steps()) {
        let lines = log201(&steps);
        let mut live = SessionAssembler::new("CP", Some(OcppVersion::V201), MeterPolicy::default());
        let mut last_energy = Decimal::ZERO;
        for l in &lines {
            live.feed_log(l).unwrap();
            let now = live.sessions().unwrap();
            prop_assert!(now[0].energy_wh >= last_energy, "energy so far never decreases when fed in order");
            last_energy = now[0].energy_wh;
        }
        prop_assert_eq!(live.sessions().unwrap(), run(OcppVersion::V201, &lines));
    }

    #[test]
    fn energy_never_negative(values in prop::collection::vec(0u64..5_000_000, 1..30), start in 0i64..5_000_000, stop in 0i64..5_000_000, reset in any::<bool>()) {
        let mut lines = vec![start16("s", 1, start, 0), start_result("s", 7)];
        for (i, v) in values.iter().enumerate() {
            lines.push(reg16(&format!("m{i}"), 1, 7, i as i64 + 1, &v.to_string()));
        }
        lines.push(stop16("x", 7, stop, values.len() as i64 + 2));
        let policy = MeterPolicy {
            negative_step: if reset { NegativeStepPolicy::TreatAsReset } else { NegativeStepPolicy::Classify },
            ..MeterPolicy::default()
        };
        let s = &chargekit::session::sessions_from_log("CP", &lines.join("\n"), None, &policy).unwrap()[0];
        prop_assert!(s.energy_wh >= Decimal::ZERO);
        for p in s.charging_periods() {
            prop_assert!(p.energy_wh >= Decimal::ZERO);
        }
    }

    #[test]
    fn periods_sum_to_session(steps in steps(), cuts in prop::collection::vec(-10i64..200, 0..10)) {
        for (version, lines) in [(OcppVersion::V201, log201(&steps)), (OcppVersion::V16, log16(&steps))] {
            let s = &run(version, &lines)[0];
            let instants: Vec<_> = cuts.iter().map(|m| chrono::DateTime::parse_from_rfc3339(&t(*m)).unwrap().to_utc()).collect();
            let periods = s.charging_periods_cut_at(&instants);
            let sum: Decimal = periods.iter().map(|p| p.energy_wh).sum();
            prop_assert_eq!(sum, s.energy_wh);
            let secs: i64 = periods.iter().map(|p| p.duration_s).sum();
            prop_assert_eq!(secs, s.duration_s());
            for w in periods.windows(2) {
                prop_assert_eq!(w[0].end, w[1].start, "periods are consecutive");
            }
        }
    }

    #[test]
    fn garbage_never_panics(text in "\\PC{0,200}") {
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        let _ = a.feed_log(&text);
        let _ = a.sessions();
        let _ = parse_log(&text);
    }

    #[test]
    fn mutated_frames_never_panic(steps in steps(), idx in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>(), junk in "[\\[\\]{}\",:0-9a-zA-Z.-]{0,6}") {
        let lines = log201(&steps);
        let l = idx.get(&lines);
        let at = cut.index(l.len());
        let mutated = format!("{}{}{}", &l[..at], junk, &l[at..]);
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        let _ = a.feed_log(&mutated);
        let _ = a.sessions();
    }
}

/// A 1.6 or 2.0.1 log in a shuffled order with some frames fed twice, and some in envelopes
/// with a receive time, so that arrival order, redeliveries and receive times all matter.
fn messy_log(steps: &[(u32, bool, bool)], v16: bool, seed: u64) -> (OcppVersion, Vec<String>) {
    let (version, mut lines) = if v16 {
        (OcppVersion::V16, log16(steps))
    } else {
        (OcppVersion::V201, log201(steps))
    };
    let again: Vec<String> = lines.iter().step_by(3).cloned().collect();
    lines.extend(again);
    shuffle(&mut lines, seed);
    for (i, l) in lines.iter_mut().enumerate() {
        if i % 2 == 0 {
            *l = format!(r#"{{"received_at":"{}","frame":{l}}}"#, t(i as i64));
        }
    }
    (version, lines)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// For any log and any cut: snapshot → restore → feed the rest is feeding everything.
    #[test]
    fn checkpoint_then_rest_equals_everything(steps in steps(), v16 in any::<bool>(), seed in any::<u64>(), cut in any::<prop::sample::Index>()) {
        let (version, lines) = messy_log(&steps, v16, seed);
        let at = cut.index(lines.len() + 1);
        let mut whole = SessionAssembler::new("CP", None, MeterPolicy::default());
        whole.feed_log(&lines.join("\n")).unwrap();
        let mut first = SessionAssembler::new("CP", None, MeterPolicy::default());
        first.feed_log(&lines[..at].join("\n")).unwrap();
        let bytes = first.snapshot();
        let mut resumed = SessionAssembler::restore(&bytes).unwrap();
        prop_assert_eq!(resumed.sessions().unwrap(), first.sessions().unwrap());
        prop_assert_eq!(resumed.snapshot(), bytes, "a restored assembler checkpoints to the same bytes");
        resumed.feed_log(&lines[at..].join("\n")).unwrap();
        prop_assert_eq!(resumed.sessions().unwrap(), whole.sessions().unwrap());
        prop_assert_eq!(resumed.stats(), whole.stats());
        prop_assert_eq!(resumed.version(), Some(version));
        prop_assert_eq!(resumed.snapshot(), whole.snapshot());
    }

    /// A changed byte anywhere, or a cut anywhere, is an error: never another state.
    #[test]
    fn damaged_checkpoints_are_errors(steps in steps(), byte in any::<prop::sample::Index>(), xor in 1u8.., cut in any::<prop::sample::Index>()) {
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        a.feed_log(&log16(&steps).join("\n")).unwrap();
        let bytes = a.snapshot();
        let mut flipped = bytes.clone();
        flipped[byte.index(bytes.len())] ^= xor;
        let is_checkpoint_error = |r: Result<SessionAssembler, chargekit::Error>| matches!(
            r,
            Err(chargekit::Error::InvalidSnapshot { .. } | chargekit::Error::UnsupportedSnapshotVersion { .. })
        );
        prop_assert!(is_checkpoint_error(SessionAssembler::restore(&flipped)));
        prop_assert!(is_checkpoint_error(SessionAssembler::restore(&bytes[..cut.index(bytes.len())])));
        let mut padded = bytes.clone();
        padded.push(0);
        prop_assert!(is_checkpoint_error(SessionAssembler::restore(&padded)));
    }

    /// Events drained while feeding one frame at a time, with a checkpoint and restore at any
    /// point: every session starts once and ends once, every anomaly is reported, and the
    /// last event of each session shows what feeding everything gives.
    #[test]
    fn events_tell_the_whole_story(steps in steps(), v16 in any::<bool>(), seed in any::<u64>(), cut in any::<prop::sample::Index>(), every in 1usize..6) {
        let (_, lines) = messy_log(&steps, v16, seed);
        let at = cut.index(lines.len() + 1);
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        let mut events = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if i == at {
                a = SessionAssembler::restore(&a.snapshot()).unwrap();
            }
            a.feed_log(l).unwrap();
            if i % every == 0 {
                events.extend(a.drain_events().unwrap());
            }
        }
        events.extend(a.drain_events().unwrap());
        let all = a.sessions().unwrap();
        for s in &all {
            let id = s.key.to_string();
            let mine: Vec<_> = events.iter().filter(|e| e.transaction_id == id).collect();
            let count = |k: SessionEventKind| mine.iter().filter(|e| e.kind == k).count();
            prop_assert_eq!(count(SessionEventKind::Started), 1, "started once: {}", id);
            prop_assert_eq!(count(SessionEventKind::Ended), usize::from(s.is_ended()), "ended once: {}", id);
            // What an app shows (energy, power, state, state of charge) is that of the end.
            let shown = |s: &Session| (s.energy_wh, s.current_power_w, s.state(), s.soc_end, s.is_ended());
            prop_assert_eq!(mine.last().and_then(|e| e.session.as_deref()).map(shown), Some(shown(s)));
            for a in &s.anomalies {
                prop_assert!(mine.iter().any(|e| e.anomaly.as_ref() == Some(a)), "anomaly reported: {:?}", a);
            }
        }
        prop_assert!(a.drain_events().unwrap().is_empty());
    }

    #[test]
    fn arbitrary_bytes_never_restore(bytes in prop::collection::vec(any::<u8>(), 0..64), head in any::<bool>()) {
        // With and without a valid-looking header in front.
        let mut b = if head { b"CKSA\x00\x01".to_vec() } else { Vec::new() };
        b.extend(bytes);
        prop_assert!(SessionAssembler::restore(&b).is_err());
    }
}

/// Sequential 1.6 transactions on two connectors: transaction `j` starts at minute `90 j`
/// and runs `len` minutes (a reading every 5), some without their CALLRESULT.
fn station_day(lens: &[(i64, bool)]) -> Vec<String> {
    let mut lines = Vec::new();
    for (j, (len, answered)) in lens.iter().enumerate() {
        let (tx, conn, t0) = (j as i64 + 1, (j % 2) as u32 + 1, 90 * j as i64);
        let s = format!("s{j}");
        lines.push(start16(&s, conn, 1000 * tx, t0));
        if *answered {
            lines.push(start_result(&s, tx));
        }
        for k in 1..=(len / 5) {
            lines.push(reg16(
                &format!("m{j}-{k}"),
                conn,
                tx,
                t0 + 5 * k,
                &(1000 * tx + 10 * k).to_string(),
            ));
        }
        lines.push(stop16(
            &format!("e{j}"),
            tx,
            1000 * tx + 10 * (len / 5) + 7,
            t0 + len,
        ));
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Dropping ended sessions leaves every other session exactly as it was, and frames of
    /// the dropped ones fed again do not bring them back.
    #[test]
    fn forgetting_keeps_the_rest(lens in prop::collection::vec((10i64..80, any::<bool>()), 1..7), cut in 0i64..700, seed in any::<u64>()) {
        let mut lines = station_day(&lens);
        shuffle(&mut lines, seed);
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        a.feed_log(&lines.join("\n")).unwrap();
        a.drain_events().unwrap();
        let before = a.sessions().unwrap();
        let at = chrono::DateTime::parse_from_rfc3339(&t(cut)).unwrap().with_timezone(&chrono::Utc);
        let dropped = a.forget_ended(at).unwrap();
        let expected: Vec<Session> = before
            .iter()
            .filter(|s| s.end.is_none_or(|e| e >= at))
            .cloned()
            .collect();
        prop_assert_eq!(dropped.len(), before.len() - expected.len());
        let after = a.sessions().unwrap();
        prop_assert_eq!(&after, &expected);
        // Nothing dropped shows up again, and the rest still agrees, when everything is replayed.
        let fed_before = a.stats().forgotten;
        a.feed_log(&lines.join("\n")).unwrap();
        prop_assert_eq!(a.sessions().unwrap(), expected);
        prop_assert!(dropped.is_empty() || a.stats().forgotten > fed_before);
        prop_assert!(a.drain_events().unwrap().is_empty(), "no event about dropped sessions");
    }

    /// A fleet fed station logs interleaved (each station's frames in the order it sent
    /// them), drained at any rhythm, checkpointed and restored anywhere: every session is
    /// started and ended once, and what remains open is what each station's log gives.
    #[test]
    fn a_fleet_reports_every_session_once(days in prop::collection::vec(prop::collection::vec((10i64..80, any::<bool>()), 1..5), 1..5), seed in any::<u64>(), cut in any::<prop::sample::Index>(), every in 1usize..9) {
        // Stations interleaved at random, each station's frames in the order it sent them.
        let mut queues: Vec<std::collections::VecDeque<(String, String)>> = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut lines = station_day(d);
                lines.pop(); // the last transaction of each station stays open
                lines.into_iter().map(|l| (format!("CP-{i}"), l)).collect()
            })
            .collect();
        let mut picks: Vec<usize> = queues.iter().enumerate().flat_map(|(i, q)| std::iter::repeat_n(i, q.len())).collect();
        shuffle(&mut picks, seed);
        let feed: Vec<(String, String)> = picks.into_iter().filter_map(|i| queues[i].pop_front()).collect();
        let at = cut.index(feed.len() + 1);
        let mut fleet = chargekit::session::Fleet::new(None, MeterPolicy::default(), 3600);
        let mut events = Vec::new();
        for (i, (station, line)) in feed.iter().enumerate() {
            if i == at {
                fleet = chargekit::session::Fleet::restore(&fleet.snapshot()).unwrap();
            }
            fleet.feed(station, line).unwrap();
            if i % every == 0 {
                events.extend(fleet.drain_events().unwrap());
            }
        }
        events.extend(fleet.drain_events().unwrap());
        let mut per: std::collections::BTreeMap<(String, String), Vec<SessionEventKind>> = Default::default();
        for e in &events {
            per.entry((e.station_id.clone(), e.transaction_id.clone())).or_default().push(e.kind);
        }
        for (i, d) in days.iter().enumerate() {
            let station = format!("CP-{i}");
            let mut lines = station_day(d);
            lines.pop();
            let whole = chargekit::session::sessions_from_log(&station, &lines.join("\n"), None, &MeterPolicy::default()).unwrap();
            for s in &whole {
                let kinds = per.get(&(station.clone(), s.key.to_string())).cloned().unwrap_or_default();
                let count = |k| kinds.iter().filter(|x| **x == k).count();
                prop_assert_eq!(count(SessionEventKind::Started), 1, "{} {} {:?}", station, s.key, kinds);
                prop_assert_eq!(count(SessionEventKind::Ended), usize::from(s.is_ended()));
            }
            let open: Vec<Session> = whole.into_iter().filter(|s| !s.is_ended()).collect();
            let fleet_open: Vec<Session> = fleet.sessions(&station).unwrap().into_iter().filter(|s| !s.is_ended()).collect();
            // Only `out_of_order`, which describes arrival, may differ.
            prop_assert_eq!(without(fleet_open, &[AnomalyKind::OutOfOrder]), without(open, &[AnomalyKind::OutOfOrder]));
        }
    }
}

/// Deterministic Fisher–Yates from a seed (keeps failures reproducible).
fn shuffle<T>(v: &mut [T], mut seed: u64) {
    for i in (1..v.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = (seed >> 33) as usize % (i + 1);
        v.swap(i, j);
    }
}
