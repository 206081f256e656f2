//! Fuzzes OCPP-J logs into the session assembler: the text reader (frames, envelopes,
//! arrays, lines), payload decoding, the derivation, and sessions kept current frame by
//! frame. Nothing may panic; when the whole log and each of its lines feed without error,
//! reading after every line (events drained, sessions kept current) must give what feeding
//! the whole log gives; the same lines fed twice give exactly the same sessions, anomalies
//! included (redeliveries); and the lines in reverse order give the same sessions but for
//! the `out_of_order` anomalies, which describe arrival.

use chargekit::meter::{AnomalyKind, MeterPolicy};
use chargekit::session::{Session, SessionAssembler};

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut whole = SessionAssembler::new("CP", None, MeterPolicy::default());
    let whole_ok = whole.feed_log(text).is_ok();
    let bulk = whole.sessions();

    let mut live = SessionAssembler::new("CP", None, MeterPolicy::default());
    let mut every_line_ok = true;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        every_line_ok &= live.feed_log(line).is_ok();
        let _ = live.drain_events();
    }
    if !(whole_ok && every_line_ok) {
        return;
    }
    let (Ok(bulk), Ok(kept)) = (bulk, live.sessions()) else {
        return;
    };
    assert_eq!(
        kept, bulk,
        "sessions kept current differ from the whole log's"
    );

    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut twice = SessionAssembler::new("CP", None, MeterPolicy::default());
    for line in lines.iter().chain(&lines) {
        twice
            .feed_log(line)
            .expect("a line that fed once feeds again");
    }
    assert_eq!(
        twice.sessions().ok(),
        Some(bulk.clone()),
        "redelivered lines changed the sessions"
    );

    let mut reversed = SessionAssembler::new("CP", None, MeterPolicy::default());
    for line in lines.iter().rev() {
        reversed
            .feed_log(line)
            .expect("a line that fed in order feeds reversed");
    }
    if let Ok(other) = reversed.sessions() {
        assert_eq!(
            without_order(other),
            without_order(bulk),
            "arrival order changed the sessions"
        );
    }
}

fn without_order(mut sessions: Vec<Session>) -> Vec<Session> {
    for s in &mut sessions {
        s.anomalies.retain(|a| a.kind != AnomalyKind::OutOfOrder);
    }
    sessions
}
