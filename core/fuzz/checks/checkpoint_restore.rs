//! Fuzzes restoring an assembler checkpoint. Raw bytes are tried as they are, and also
//! framed as a well-formed version-1 checkpoint around them (magic, version, length, CRC),
//! so that the body decoder and the frame re-decoding are reached. Nothing may panic; a
//! body that restores must checkpoint and restore again to the same sessions.

use chargekit::session::SessionAssembler;

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let _ = SessionAssembler::restore(data);
    let Ok(len) = u32::try_from(data.len()) else {
        return;
    };
    let mut framed = b"CKSA\x00\x01".to_vec();
    framed.extend_from_slice(&len.to_be_bytes());
    framed.extend_from_slice(data);
    let crc = crc32fast::hash(&framed);
    framed.extend_from_slice(&crc.to_be_bytes());
    if let Ok(a) = SessionAssembler::restore(&framed) {
        let sessions = a.sessions();
        let again = SessionAssembler::restore(&a.snapshot()).map(|b| b.sessions());
        assert_eq!(again.ok().map(|s| s.ok()), Some(sessions.ok()));
    }
}
