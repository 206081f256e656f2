//! Fuzzes the OCMF parser, the transport-container decoder and the
//! verification path (signature and key decoding) on arbitrary input.
//! Nothing may panic, whatever the bytes.

use chargekit::signed::{parse, verify, SignedData};

/// A real P-256 key (KEBA KCP30, S.A.F.E. test data), so that verification
/// gets past key decoding and exercises the signature decoding.
const KEY: &str = "3059301306072A8648CE3D020106082A8648CE3D030107034200043AEEB45C392357820A58FDFB0857BD77ADA31585C61C430531DFA53B440AFBFDD95AC887C658EA55260F808F55CA948DF235C2108A0D6DC7D4AB1A5E1A7955BE";

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse(text);
    let _ = SignedData::decode(text);
    let _ = SignedData::from_ocpi(text);
    let _ = verify(text, KEY);
    // The input as a key for a fixed record, and split at the first newline
    // into (record, key).
    let _ = verify(
        r#"OCMF|{"PG":"T1","RD":[{"RV":1,"RU":"Wh"}]}|{"SD":"3006020101020101"}"#,
        text,
    );
    if let Some((record, key)) = text.split_once('\n') {
        let _ = verify(record, key);
    }
}
