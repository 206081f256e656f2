//! Fuzzes OCPP-J logs into the session assembler: the text reader (frames, envelopes,
//! arrays, lines), payload decoding, the derivation, and sessions kept current frame by
//! frame. Nothing may panic; when the whole log and each of its lines feed without error,
//! reading after every line (events drained, sessions kept current) must give what feeding
//! the whole log gives.
#![no_main]

use chargekit::meter::MeterPolicy;
use chargekit::session::SessionAssembler;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
    if whole_ok && every_line_ok {
        if let (Ok(bulk), Ok(kept)) = (bulk, live.sessions()) {
            assert_eq!(kept, bulk, "sessions kept current differ from the whole log's");
        }
    }
});
