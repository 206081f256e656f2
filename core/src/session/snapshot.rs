//! Checkpoints: a [`SessionAssembler`](super::SessionAssembler) as bytes, and back.
//!
//! A checkpoint holds what the assembler has seen, not what it derived: every distinct
//! frame with its exact JSON text, its receive time and its arrival position, the
//! CALLRESULTs, the counters, the policy and what `drain_events` has reported. Restoring decodes the frames again, so a
//! checkpoint stays valid when the derivation improves, and sessions read after a restore
//! are exactly those the original assembler would give.
//!
//! Format version 1 (integers big-endian):
//!
//! | bytes | content |
//! | --- | --- |
//! | 0..4 | magic: `CKSA` for an assembler, `CKSF` for a fleet |
//! | 4..6 | format version, `1` |
//! | 6..10 | body length `n` |
//! | 10..10+n | body: UTF-8 JSON, the fields of `State` |
//! | 10+n..14+n | CRC-32 (IEEE) of bytes 0..10+n |
//!
//! Anything else (another magic, a version this build does not read, a length or checksum
//! that does not match, a body that does not decode) is an error, never a partial state.

use crate::meter::MeterPolicy;
use crate::ocpp::OcppVersion;
use crate::Error;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::assembler::Tombstones;
use super::events::Reported;
use super::AssemblerStats;

/// The magic of an assembler checkpoint.
pub(super) const ASSEMBLER: &[u8; 4] = b"CKSA";
/// The magic of a fleet checkpoint.
pub(super) const FLEET: &[u8; 4] = b"CKSF";
/// The checkpoint format this build writes and reads.
pub const SNAPSHOT_FORMAT: u16 = 1;
const HEADER: usize = 10;
const TRAILER: usize = 4;

/// One distinct CALL the assembler has seen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CallRecord {
    pub uid: String,
    pub action: String,
    /// The payload's JSON text, exactly as stored (decimal digits kept).
    pub payload: String,
    pub received_at: Option<DateTime<Utc>>,
    pub arrival: u64,
}

/// The CALLRESULTs of one message id: the distinct payloads' JSON texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ResultRecord {
    pub uid: String,
    pub payloads: Vec<String>,
}

/// Everything a checkpoint holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct State {
    pub station_id: String,
    pub version: Option<OcppVersion>,
    /// The version the caller declared (absent in checkpoints that predate 2.1: none).
    #[serde(default)]
    pub declared: Option<OcppVersion>,
    pub policy: MeterPolicy,
    pub calls: Vec<CallRecord>,
    pub results: Vec<ResultRecord>,
    pub stats: AssemblerStats,
    pub next_arrival: u64,
    /// What `drain_events` has reported, so that a restored assembler does not repeat it.
    pub reported: Reported,
    /// The ids of sessions dropped after their retention.
    pub forgotten: Tombstones,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidSnapshot {
        reason: reason.into(),
    }
}

/// `state` in format [`SNAPSHOT_FORMAT`] under `magic`.
pub(super) fn encode<T: Serialize>(magic: &[u8; 4], state: &T) -> Vec<u8> {
    // Serialising plain data (strings, numbers, policy enums) to a Vec cannot fail.
    let body = serde_json::to_vec(state).unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + body.len() + TRAILER);
    out.extend_from_slice(magic);
    out.extend_from_slice(&SNAPSHOT_FORMAT.to_be_bytes());
    let len = u32::try_from(body.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// The state in `bytes`, checked end to end (`magic` included) before anything is decoded.
pub(super) fn decode<T: DeserializeOwned>(magic: &[u8; 4], bytes: &[u8]) -> Result<T, Error> {
    if bytes.len() < HEADER + TRAILER {
        return Err(invalid(format!(
            "{} bytes is shorter than any checkpoint",
            bytes.len()
        )));
    }
    if &bytes[..4] != magic {
        let what = if magic == FLEET { "fleet" } else { "assembler" };
        return Err(invalid(format!(
            "not a chargekit {what} checkpoint (bad magic)"
        )));
    }
    let version = u16::from_be_bytes([bytes[4], bytes[5]]);
    if version != SNAPSHOT_FORMAT {
        return Err(Error::UnsupportedSnapshotVersion {
            found: u32::from(version),
            supported: u32::from(SNAPSHOT_FORMAT),
        });
    }
    let len = u32::from_be_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]) as usize;
    let expected = HEADER.checked_add(len).and_then(|n| n.checked_add(TRAILER));
    if expected != Some(bytes.len()) {
        return Err(invalid(format!(
            "body length {len} does not match the {} bytes given (truncated or padded)",
            bytes.len()
        )));
    }
    let (signed, crc) = bytes.split_at(HEADER + len);
    let crc = u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if crc32fast::hash(signed) != crc {
        return Err(invalid("checksum mismatch (corrupted bytes)"));
    }
    serde_json::from_slice(&signed[HEADER..]).map_err(|e| invalid(format!("body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State {
            station_id: "CP-1".into(),
            version: Some(OcppVersion::V16),
            declared: None,
            policy: MeterPolicy::default(),
            calls: vec![CallRecord {
                uid: "1".into(),
                action: "MeterValues".into(),
                payload: r#"{"connectorId":1}"#.into(),
                received_at: None,
                arrival: 1,
            }],
            results: vec![],
            stats: AssemblerStats::default(),
            next_arrival: 1,
            reported: Reported::default(),
            forgotten: Tombstones::default(),
        }
    }

    #[test]
    fn round_trip() {
        let s = state();
        assert_eq!(
            decode(ASSEMBLER, &encode(ASSEMBLER, &s)).ok(),
            Some(s.clone())
        );
        assert!(decode::<State>(FLEET, &encode(ASSEMBLER, &s)).is_err());
    }

    #[test]
    fn header_is_documented_layout() {
        let bytes = encode(ASSEMBLER, &state());
        assert_eq!(&bytes[..6], b"CKSA\x00\x01");
        let len = u32::from_be_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]) as usize;
        assert_eq!(bytes.len(), 10 + len + 4);
    }

    #[test]
    fn another_version_is_its_own_error() {
        let mut bytes = encode(ASSEMBLER, &state());
        bytes[5] = 2;
        assert!(matches!(
            decode::<State>(ASSEMBLER, &bytes),
            Err(Error::UnsupportedSnapshotVersion {
                found: 2,
                supported: 1
            })
        ));
    }
}
