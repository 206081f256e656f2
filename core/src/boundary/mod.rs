//! What both language bindings need beyond converting types, written once.
//!
//! Owns: reading arguments the way both bindings accept them (e.g. tariffs given as text or
//! as parsed tariffs, option records with the time zone given separately) and the defaults
//! they apply. Imports: any module (top layer); nothing imports it but the bindings.

pub mod analytics;
pub mod pricing;
pub mod profile;
pub mod station_tariff;

use crate::Error;

/// JSON text given as bytes: the text, or `InvalidJson` naming the line and byte where the
/// bytes stop being UTF-8 (JSON is UTF-8 text, so such bytes are not JSON).
///
/// ```
/// use chargekit::boundary::json_text;
/// assert_eq!(json_text(b"[2,\"1\",\"Heartbeat\",{}]").unwrap(), "[2,\"1\",\"Heartbeat\",{}]");
/// let err = json_text(b"[]\n[2,\"\xff\"]").unwrap_err();
/// assert_eq!(err.to_string(), "invalid JSON on line 2: not UTF-8: byte 0xff at offset 7");
/// ```
pub fn json_text(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::InvalidJson {
            line: Some(line),
            reason: format!("not UTF-8: byte {:#04x} at offset {at}", bytes[at]),
        }
    })
}

/// Signed data (an OCMF record or its transport form) given as bytes: the text, or
/// `SignedDataContainer` saying where the bytes stop being UTF-8.
///
/// ```
/// use chargekit::boundary::signed_text;
/// assert_eq!(signed_text(b"OCMF|{}|{}").unwrap(), "OCMF|{}|{}");
/// let err = signed_text(b"OCMF|\xff|{}").unwrap_err();
/// assert_eq!(err.kind(), "signed_data_container");
/// assert!(err.to_string().contains("byte 0xff at offset 5"));
/// ```
#[cfg(feature = "ocmf")]
pub fn signed_text(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|e| Error::SignedDataContainer {
        reason: format!(
            "not UTF-8 text: byte {:#04x} at offset {}",
            bytes[e.valid_up_to()],
            e.valid_up_to()
        ),
    })
}
