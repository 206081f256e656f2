//! OCPP-J transport: frames, protocol versions and the station message models.
//!
//! Owns: OCPP-J frames, [`OcppVersion`] and the 1.6 and 2.0.1 / 2.1 payload models. Imports: `meter`
//! (the sampled-value vocabulary) and the foundation.
//!
//! A log is JSON text holding CALL frames `[2, "<uid>", "<Action>", {payload}]`
//! and CALLRESULT frames `[3, "<uid>", {payload}]`, either as one JSON array of
//! frames, a single frame, or one frame per line. A line may also be an
//! envelope `{"received_at": "<RFC 3339>", "frame": [...]}` that records when
//! the central system received the frame.
//!
//! Payloads are decoded with [`decode`] into serde models of the official
//! schemas ([`v16`], [`v201`]). A field of the wrong type or an unknown enum
//! value is an [`Error::InvalidPayload`] naming the field path; unknown extra
//! fields are tolerated, as the OCPP specifications ask of receivers.

pub mod v16;
pub mod v201;
pub(crate) mod wire;

use chrono::{DateTime, Datelike, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::wide;
use crate::Error;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

pub use crate::limits::MAX_LOG_BYTES;

/// The OCPP protocol version of a log.
///
/// ```
/// use chargekit::ocpp::OcppVersion;
/// assert_eq!("2.0.1".parse::<OcppVersion>().unwrap(), OcppVersion::V201);
/// assert_eq!(OcppVersion::V16.to_string(), "1.6");
/// assert_eq!("ocpp2.1".parse::<OcppVersion>().unwrap(), OcppVersion::V21);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OcppVersion {
    /// OCPP 1.6 (JSON).
    #[serde(rename = "1.6")]
    V16,
    /// OCPP 2.0.1.
    #[serde(rename = "2.0.1")]
    V201,
    /// OCPP 2.1: 2.0.1's transaction messages plus bidirectional energy, station tariffs
    /// and locally calculated cost.
    #[serde(rename = "2.1")]
    V21,
}

impl OcppVersion {
    /// True for the 2.x family (2.0.1 and 2.1), whose transactions are `TransactionEvent`s.
    ///
    /// ```
    /// use chargekit::ocpp::OcppVersion;
    /// assert!(OcppVersion::V21.is_2x() && !OcppVersion::V16.is_2x());
    /// ```
    pub fn is_2x(self) -> bool {
        matches!(self, Self::V201 | Self::V21)
    }
}

impl FromStr for OcppVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().trim_start_matches("ocpp") {
            "1.6" | "16" | "1.6j" | "1.6-j" => Ok(Self::V16),
            "2.0.1" | "201" => Ok(Self::V201),
            "2.1" | "21" => Ok(Self::V21),
            other => Err(Error::UnsupportedVersion {
                reason: format!(
                    "unsupported version {other:?}; expected \"1.6\", \"2.0.1\" or \"2.1\""
                ),
            }),
        }
    }
}

impl fmt::Display for OcppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V16 => "1.6",
            Self::V201 => "2.0.1",
            Self::V21 => "2.1",
        })
    }
}

/// One OCPP-J frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A request: `[2, uid, action, payload]`.
    Call {
        /// Message id, unique per sender and connection.
        uid: String,
        /// The action, e.g. `MeterValues`.
        action: String,
        /// The request payload.
        payload: Value,
    },
    /// A response: `[3, uid, payload]`.
    CallResult {
        /// Id of the request answered.
        uid: String,
        /// The response payload.
        payload: Value,
    },
    /// An error response: `[4, uid, code, description, details]`.
    CallError {
        /// Id of the request answered.
        uid: String,
        /// The OCPP error code.
        code: String,
        /// The free-text description.
        description: String,
    },
}

impl Frame {
    /// The frame's message id.
    ///
    /// ```
    /// use chargekit::ocpp::Frame;
    /// let f = Frame::CallResult { uid: "42".into(), payload: serde_json::json!({}) };
    /// assert_eq!(f.uid(), "42");
    /// ```
    pub fn uid(&self) -> &str {
        match self {
            Frame::Call { uid, .. }
            | Frame::CallResult { uid, .. }
            | Frame::CallError { uid, .. } => uid,
        }
    }

    /// Decodes a frame from parsed JSON; `index` is only used in error messages.
    ///
    /// ```
    /// use chargekit::ocpp::Frame;
    /// let v = serde_json::json!([2, "1", "Heartbeat", {}]);
    /// assert!(matches!(Frame::from_value(&v, 0).unwrap(), Frame::Call { .. }));
    /// assert!(Frame::from_value(&serde_json::json!([7]), 0).is_err());
    /// ```
    pub fn from_value(v: &Value, index: usize) -> Result<Frame, Error> {
        let bad = |reason: &str| Error::InvalidFrame {
            index: wide(index),
            reason: reason.to_string(),
        };
        let arr = v.as_array().ok_or_else(|| bad("expected a JSON array"))?;
        let kind = arr
            .first()
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("the first element must be the message type 2, 3 or 4"))?;
        let uid = arr
            .get(1)
            .and_then(Value::as_str)
            .ok_or_else(|| bad("the second element must be the message id string"))?
            .to_string();
        match (kind, arr.len()) {
            (2, 4) => {
                let action = arr[2]
                    .as_str()
                    .ok_or_else(|| bad("the action must be a string"))?
                    .to_string();
                if !arr[3].is_object() {
                    return Err(bad("the CALL payload must be a JSON object"));
                }
                Ok(Frame::Call {
                    uid,
                    action,
                    payload: arr[3].clone(),
                })
            }
            (3, 3) => {
                if !arr[2].is_object() {
                    return Err(bad("the CALLRESULT payload must be a JSON object"));
                }
                Ok(Frame::CallResult {
                    uid,
                    payload: arr[2].clone(),
                })
            }
            (4, 4 | 5) => Ok(Frame::CallError {
                uid,
                code: arr[2].as_str().unwrap_or_default().to_string(),
                description: arr[3].as_str().unwrap_or_default().to_string(),
            }),
            (2..=4, n) => Err(bad(&format!("message type {kind} with {n} elements"))),
            _ => Err(bad(&format!("unknown message type {kind}"))),
        }
    }
}

/// OCPP-J frames as a caller holds them: text (one frame, an array, or one frame or envelope
/// per line), or the same already parsed.
///
/// ```
/// use chargekit::ocpp::FrameInput;
/// use chargekit::session::SessionAssembler;
/// use chargekit::meter::MeterPolicy;
/// let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
/// let parsed = serde_json::json!([2, "1", "Heartbeat", {}]);
/// assert_eq!(a.feed_input(FrameInput::Json(&parsed)).unwrap(), 1);
/// assert_eq!(a.feed_input(FrameInput::Text(r#"[2,"2","Heartbeat",{}]"#)).unwrap(), 1);
/// ```
#[derive(Debug, Clone, Copy)]
pub enum FrameInput<'a> {
    /// JSON text, read straight into the message models.
    Text(&'a str),
    /// Parsed JSON: a frame, an envelope, or an array of them.
    Json(&'a Value),
}

/// A frame together with the time the central system received it, when known.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedFrame {
    /// The frame.
    pub frame: Frame,
    /// When the central system received it (from a log envelope).
    pub received_at: Option<DateTime<Utc>>,
}

/// Parses OCPP-J text: one frame, a JSON array of frames, or one frame (or envelope) per line.
///
/// ```
/// use chargekit::ocpp::parse_log;
/// let log = r#"[2,"a","Heartbeat",{}]
/// {"received_at":"2026-03-10T08:00:01Z","frame":[3,"a",{"currentTime":"2026-03-10T08:00:00Z"}]}"#;
/// let frames = parse_log(log).unwrap();
/// assert_eq!(frames.len(), 2);
/// assert!(frames[1].received_at.is_some());
/// assert!(parse_log("[2,\"a\",").is_err());
/// ```
pub fn parse_log(text: &str) -> Result<Vec<ReceivedFrame>, Error> {
    if text.len() > MAX_LOG_BYTES {
        return Err(Error::InputTooLarge {
            size: wide(text.len()),
            limit: wide(MAX_LOG_BYTES),
        });
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    // Whole text as one JSON document first; fall back to one document per line.
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v) => frames_from_value(&v),
        Err(whole) => {
            let mut out = Vec::new();
            let mut multi = false;
            for (i, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                multi = true;
                let v: Value = serde_json::from_str(line).map_err(|e| Error::InvalidJson {
                    line: Some(wide(i + 1)),
                    reason: format!(
                        "{} at column {}",
                        crate::json::without_position(&e),
                        e.column()
                    ),
                })?;
                out.push(received_from_value(&v, out.len())?);
            }
            if !multi {
                return Err(Error::InvalidJson {
                    line: None,
                    reason: whole.to_string(),
                });
            }
            Ok(out)
        }
    }
}

/// Reads frames from an already-parsed JSON value: one frame, an envelope, or an array of them.
///
/// ```
/// use chargekit::ocpp::frames_from_value;
/// let v = serde_json::json!([[2, "1", "Heartbeat", {}], [3, "1", {}]]);
/// assert_eq!(frames_from_value(&v).unwrap().len(), 2);
/// ```
pub fn frames_from_value(v: &Value) -> Result<Vec<ReceivedFrame>, Error> {
    match v {
        Value::Array(items) if items.first().is_some_and(Value::is_number) => {
            Ok(vec![received_from_value(v, 0)?])
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| received_from_value(item, i))
            .collect(),
        Value::Object(_) => Ok(vec![received_from_value(v, 0)?]),
        _ => Err(Error::InvalidFrame {
            index: 0,
            reason: "expected a frame, an envelope or an array of frames".into(),
        }),
    }
}

fn received_from_value(v: &Value, index: usize) -> Result<ReceivedFrame, Error> {
    match v {
        Value::Object(map) => {
            let frame = map
                .get("frame")
                .or_else(|| map.get("message"))
                .ok_or_else(|| Error::InvalidFrame {
                    index: wide(index),
                    reason: "an envelope needs a `frame` member".into(),
                })?;
            let received_at = match map.get("received_at").or_else(|| map.get("receivedAt")) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => {
                    Some(parse_timestamp(s).map_err(|e| Error::InvalidFrame {
                        index: wide(index),
                        reason: format!("received_at: {e}"),
                    })?)
                }
                Some(_) => {
                    return Err(Error::InvalidFrame {
                        index: wide(index),
                        reason: "received_at must be an RFC 3339 string".into(),
                    })
                }
            };
            Ok(ReceivedFrame {
                frame: Frame::from_value(frame, index)?,
                received_at,
            })
        }
        _ => Ok(ReceivedFrame {
            frame: Frame::from_value(v, index)?,
            received_at: None,
        }),
    }
}

/// Parses an OCPP timestamp (RFC 3339 with an offset) into UTC.
///
/// ```
/// use chargekit::ocpp::parse_timestamp;
/// let t = parse_timestamp("2026-03-10T09:00:00+01:00").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-03-10T08:00:00+00:00");
/// assert!(parse_timestamp("yesterday").is_err());
/// assert!(parse_timestamp("0000-01-01T00:00:00Z").is_err()); // year 0: no language holds it
/// ```
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, String> {
    let t = DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{s:?} is not an RFC 3339 timestamp with offset ({e})"))?;
    // Years 1 to 9999 are what every caller's language can hold (Python's datetime among
    // them); RFC 3339 allows year 0, which no station means.
    match t.year() {
        1..=9999 => Ok(t),
        year => Err(format!("{s:?}: year {year} is outside 1 to 9999")),
    }
}

/// Decodes a payload into a schema model, naming the failing field on error.
///
/// ```
/// use chargekit::ocpp::{decode, v16::StatusNotificationRequest};
/// let ok = serde_json::json!({"connectorId": 1, "status": "Charging", "errorCode": "NoError"});
/// assert!(decode::<StatusNotificationRequest>("StatusNotification", &ok).is_ok());
/// let bad = serde_json::json!({"connectorId": 1, "status": "Charing", "errorCode": "NoError"});
/// let err = decode::<StatusNotificationRequest>("StatusNotification", &bad).unwrap_err();
/// assert!(err.to_string().contains("`status`"));
/// ```
pub fn decode<T: DeserializeOwned>(action: &str, payload: &Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let field = e.path().to_string();
        Error::InvalidPayload {
            action: action.to_string(),
            field: if field == "." { String::new() } else { field },
            reason: e.into_inner().to_string(),
        }
    })
}

/// A payload model read straight from its text. Without the field path [`decode`] names
/// (tracking it costs a quarter of the reading): callers that report the error to a user
/// decode the parsed value again with [`decode`].
pub(crate) fn decode_text<T: DeserializeOwned>(action: &str, text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| Error::InvalidPayload {
        action: action.to_string(),
        field: String::new(),
        reason: e.to_string(),
    })
}

/// Serde helpers for timestamps in payloads.
pub(crate) mod ts {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer};

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_timestamp(&s).map_err(serde::de::Error::custom)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => super::parse_timestamp(&s)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// Helper deserialising a JSON number into its exact text (read from the JSON text, see
/// [`crate::json::number`]).
pub(crate) mod number_text {
    use crate::json::number::NumberText;
    use serde::de::{Error, Unexpected};
    use serde::{Deserialize, Deserializer};

    /// A number's text; anything else is an error.
    fn text<E: Error>(t: NumberText<'_>) -> Result<String, E> {
        match t {
            NumberText::Number(n) => Ok(n.into_owned()),
            NumberText::String(s) => Err(E::invalid_type(Unexpected::Str(&s), &"a JSON number")),
        }
    }

    pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text(NumberText::deserialize(d)?)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Option::<NumberText<'de>>::deserialize(d)?
            .map(text)
            .transpose()
    }
}

/// Helper deserialising any JSON value into its compact text (kept for a later, typed read).
pub(crate) mod json_text {
    use serde::{Deserialize, Deserializer};

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match crate::json::Value::deserialize(d)? {
            crate::json::Value::Null => None,
            v => Some(v.to_string()),
        })
    }
}
