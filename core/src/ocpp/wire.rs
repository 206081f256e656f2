//! OCPP-J frames read straight from text: the payload of a CALL stays a slice of the input
//! until a model reads it, so no `serde_json::Value` tree is built and nothing is written back
//! out. Anything this reader does not take (odd but valid layouts as much as broken input)
//! is left to the `Value` reader in the parent module, which names the problem.

use super::{parse_timestamp, MAX_LOG_BYTES};
use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;

/// One frame borrowed from the text.
#[derive(Debug)]
pub(crate) enum WireFrame<'a> {
    /// `[2, uid, action, payload]`, the payload as text.
    Call {
        uid: String,
        action: String,
        payload: &'a RawValue,
    },
    /// `[3, uid, payload]`: small, read as a value.
    CallResult { uid: String, payload: Value },
    /// `[4, uid, code, description, details?]`.
    CallError,
}

/// A borrowed frame and when it was received.
#[derive(Debug)]
pub(crate) struct WireReceived<'a> {
    pub frame: WireFrame<'a>,
    pub received_at: Option<DateTime<Utc>>,
}

/// Reads OCPP-J text in the layouts `parse_log` accepts (one frame, an envelope, an array of
/// them, or one per line); `None` when the text is not plainly one of them.
pub(crate) fn read(text: &str) -> Option<Vec<WireReceived<'_>>> {
    if text.len() > MAX_LOG_BYTES {
        return None;
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(Vec::new());
    }
    if let Some(whole) = document(trimmed) {
        return Some(whole);
    }
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.extend(document(line)?);
    }
    Some(out)
}

/// One JSON document: a frame, an envelope, or an array of frames and envelopes.
fn document(text: &str) -> Option<Vec<WireReceived<'_>>> {
    let after_bracket = text.strip_prefix('[').map(str::trim_start);
    match after_bracket.and_then(|rest| rest.chars().next()) {
        Some('[' | '{') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            items.into_iter().map(|raw| item(raw.get())).collect()
        }
        _ => Some(vec![item(text)?]),
    }
}

/// A frame or an envelope around one.
fn item(text: &str) -> Option<WireReceived<'_>> {
    if text.starts_with('{') {
        let env: Envelope<'_> = serde_json::from_str(text).ok()?;
        let received_at = match env.received_at {
            Some(t) => Some(parse_timestamp(&t).ok()?),
            None => None,
        };
        Some(WireReceived {
            frame: serde_json::from_str(env.frame.get()).ok()?,
            received_at,
        })
    } else {
        Some(WireReceived {
            frame: serde_json::from_str(text).ok()?,
            received_at: None,
        })
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, alias = "message")]
    frame: &'a RawValue,
    #[serde(default, alias = "receivedAt")]
    received_at: Option<String>,
}

impl<'de> Deserialize<'de> for WireFrame<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(FrameVisitor)
    }
}

struct FrameVisitor;

impl<'de> Visitor<'de> for FrameVisitor {
    type Value = WireFrame<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OCPP-J frame")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let missing = || de::Error::custom("frame too short");
        let kind: u8 = seq.next_element()?.ok_or_else(missing)?;
        let uid: String = seq.next_element()?.ok_or_else(missing)?;
        let frame = match kind {
            2 => {
                let action: String = seq.next_element()?.ok_or_else(missing)?;
                let payload: &'de RawValue = seq.next_element()?.ok_or_else(missing)?;
                if !payload.get().starts_with('{') {
                    return Err(de::Error::custom("payload is not an object"));
                }
                WireFrame::Call {
                    uid,
                    action,
                    payload,
                }
            }
            3 => {
                let payload: Value = seq.next_element()?.ok_or_else(missing)?;
                if !payload.is_object() {
                    return Err(de::Error::custom("payload is not an object"));
                }
                WireFrame::CallResult { uid, payload }
            }
            4 => {
                let _code: String = seq.next_element()?.ok_or_else(missing)?;
                let _description: String = seq.next_element()?.ok_or_else(missing)?;
                let _details: Option<IgnoredAny> = seq.next_element()?;
                WireFrame::CallError
            }
            _ => return Err(de::Error::custom("unknown message type")),
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("frame too long"));
        }
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn layouts() {
        let one = read(r#"[2,"a","Heartbeat",{}]"#).unwrap();
        assert!(matches!(&one[0].frame, WireFrame::Call { action, .. } if action == "Heartbeat"));
        let lines = read("[2,\"a\",\"X\",{\"k\":1}]\n\n{\"received_at\":\"2026-03-10T08:00:00Z\",\"frame\":[3,\"a\",{}]}").unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].received_at.is_some());
        let array = read(r#"[[2,"a","X",{ "k" : 1 }],[4,"b","NotImplemented","no",{}]]"#).unwrap();
        assert!(
            matches!(&array[0].frame, WireFrame::Call { payload, .. } if payload.get() == r#"{ "k" : 1 }"#)
        );
        assert!(matches!(array[1].frame, WireFrame::CallError));
        // Left to the Value reader: broken, too long, not an object, unknown type.
        for bad in [
            r#"[2,"a","#,
            r#"[2,"a","X",{},1]"#,
            r#"[2,"a","X",[]]"#,
            r#"[7,"a"]"#,
            "{}",
        ] {
            assert!(read(bad).is_none(), "{bad}");
        }
    }
}
