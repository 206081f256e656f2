//! The session reducer: feed OCPP frames in any order, any number of times,
//! and read the sessions at any moment.
//!
//! Frames are kept as a set: a frame fed twice (same id, action and content, however the
//! payload is written) is the same frame. Everything a session shows is derived from that set in a
//! canonical order (station time, then sequence number, then content), so the
//! result never depends on arrival order. Distinct messages that carry the same
//! data (a replay with a new message id, a second StopTransaction) are reported
//! as `duplicate` anomalies.

use super::build::{
    clock_floor as floor, clock_trusted, finish, finish_with_tail, Addition, Draft, Ending, Stream,
    Tail,
};
mod live;
mod retention;

pub(in crate::session) use retention::Tombstones;
pub use retention::TOMBSTONE_TTL_S;

use super::events::{Reported, SessionEvent};
use super::{snapshot, Session, SessionState, TransactionKey};
use crate::meter::{
    normalise, Anomaly, AnomalyKind, BoundaryPolicy, ContextPolicy, MessageRef, MeterMark,
    MeterPolicy, Reading, ReadingContext, ValueFormat,
};
use crate::ocpp::v16::{self, ChargePointStatus};
use crate::ocpp::v201::{self, ChargingState, ConnectorStatus, TransactionEventType};
use crate::ocpp::wire::{self, WireFrame, WireReceived};
use crate::ocpp::{decode, decode_text, parse_log, Frame, FrameInput, OcppVersion, ReceivedFrame};
use crate::Error;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How far a start may precede the first evidence of its transaction when matched by time.
const START_MATCH_SLACK_S: i64 = 120;
/// How far before a 1.6 start a connector status still describes the session.
const STATUS_LOOKBACK_S: i64 = 600;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Decoded {
    Start16(v16::StartTransactionRequest),
    Meter16(v16::MeterValuesRequest),
    Stop16(v16::StopTransactionRequest),
    Status16(v16::StatusNotificationRequest),
    TxEvent(Box<v201::TransactionEventRequest>),
    Meter201(v201::MeterValuesRequest),
    Status201(v201::StatusNotificationRequest),
}

/// What makes a frame the same frame: its message id, action and content (what the payload
/// says, not how it is written: key order, spacing and fields chargekit does not read aside).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FrameKey {
    uid: String,
    action: String,
    msg: Decoded,
}

#[derive(Debug, Clone)]
struct Stored {
    /// The payload as first received, for checkpoints.
    text: String,
    received_at: Option<DateTime<Utc>>,
    /// Position of the frame's first arrival. Used only to report `out_of_order`,
    /// which describes arrival; nothing else depends on it.
    arrival: u64,
}

/// Arrival order key: receive time where known, else position of first arrival.
type ArrivalKey = (Option<DateTime<Utc>>, u64);

/// A message of a transaction for the arrival check: (rank, arrival, message id, station time).
type Arrival<'a, R> = (R, ArrivalKey, &'a str, DateTime<Utc>);

/// The key under which messages are compared for arrival order: receive time where known,
/// else the position of first arrival.
fn arrival_key(st: &Stored) -> ArrivalKey {
    (st.received_at, st.arrival)
}

/// Reports every message that arrived after a message of the same transaction that the
/// station produced later (`rank` = station time or seqNo).
/// Returns where the stream stands: the latest rank, whether every message has a receive
/// time, and the latest receive time.
fn arrival_disorder<R: Ord + Copy + std::fmt::Display>(
    msgs: &mut [Arrival<'_, R>],
    what: &str,
    out: &mut Vec<Anomaly>,
) -> (Option<R>, bool, Option<DateTime<Utc>>) {
    let all_received = msgs.iter().all(|m| m.1 .0.is_some());
    let latest_received = msgs.iter().filter_map(|m| m.1 .0).max();
    msgs.sort_by(|a, b| {
        if all_received {
            a.1.cmp(&b.1)
        } else {
            a.1 .1.cmp(&b.1 .1)
        }
    });
    let mut latest: Option<R> = None;
    for (rank, _, uid, at) in msgs.iter() {
        match latest {
            Some(l) if *rank < l => out.push(Anomaly::new(
                AnomalyKind::OutOfOrder,
                Some(*at),
                Some(uid),
                format!("message with {what} {rank} arrived after one with {what} {l}"),
            )),
            _ => latest = Some(latest.map_or(*rank, |l| l.max(*rank))),
        }
    }
    (latest, all_received, latest_received)
}

/// Counters about the input itself (not about any session).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssemblerStats {
    /// Frames fed, including repeats.
    pub frames_fed: u64,
    /// Frames identical to one already fed (same id, action and payload), collapsed.
    pub redelivered: u64,
    /// CALLs of actions that carry no session data (Heartbeat, BootNotification, …), by action.
    pub ignored_actions: BTreeMap<String, u64>,
    /// CALLERROR frames seen.
    pub call_errors: u64,
    /// Frames of sessions already dropped after their retention, ignored.
    pub forgotten: u64,
}

/// The incremental, order-independent session reducer for one station.
///
/// ```
/// use chargekit::session::SessionAssembler;
/// use chargekit::meter::MeterPolicy;
/// use chargekit::ocpp::OcppVersion;
/// let mut a = SessionAssembler::new("CP-1", Some(OcppVersion::V201), MeterPolicy::default());
/// a.feed_log(r#"[2,"a","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z",
///   "triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"T1","chargingState":"Charging"},
///   "evse":{"id":1,"connectorId":1},
///   "meterValue":[{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{"value":1000,"context":"Transaction.Begin"}]}]}]"#).unwrap();
/// // Live: read the state after every message.
/// assert_eq!(a.sessions().unwrap()[0].state().as_str(), "charging");
/// a.feed_log(r#"[2,"b","TransactionEvent",{"eventType":"Ended","timestamp":"2026-03-10T09:00:00Z",
///   "triggerReason":"EVDeparted","seqNo":1,"transactionInfo":{"transactionId":"T1","stoppedReason":"EVDisconnected"},
///   "meterValue":[{"timestamp":"2026-03-10T09:00:00Z","sampledValue":[{"value":11000,"context":"Transaction.End"}]}]}]"#).unwrap();
/// let s = &a.sessions().unwrap()[0];
/// assert_eq!(s.energy_wh.to_string(), "10000");
/// assert!(s.is_ended());
/// ```
#[derive(Debug, Clone)]
pub struct SessionAssembler {
    station_id: String,
    version: Option<OcppVersion>,
    /// The version the caller declared: a declared 2.0.1 log is not read as 2.1.
    declared: Option<OcppVersion>,
    policy: MeterPolicy,
    calls: BTreeMap<FrameKey, Stored>,
    results: BTreeMap<String, BTreeMap<String, Value>>,
    stats: AssemblerStats,
    next_arrival: u64,
    reported: Reported,
    forgotten: retention::Tombstones,
    /// The sessions as of the last read, kept current frame by frame where that is exact.
    live: Option<live::Live>,
}

impl SessionAssembler {
    /// A reducer for one station. With `version = None` the version is told from the first
    /// message that shows it (`TransactionEvent` → 2.0.1, `StartTransaction` → 1.6, …), and
    /// a 2.0.1 station becomes 2.1 with the first message that uses what only 2.1 has.
    pub fn new(
        station_id: impl Into<String>,
        version: Option<OcppVersion>,
        policy: MeterPolicy,
    ) -> Self {
        Self {
            station_id: station_id.into(),
            version,
            declared: version,
            policy,
            calls: BTreeMap::new(),
            results: BTreeMap::new(),
            stats: AssemblerStats::default(),
            next_arrival: 0,
            reported: Reported::default(),
            forgotten: retention::Tombstones::default(),
            live: None,
        }
    }

    /// The station this reducer assembles sessions for.
    pub fn station_id(&self) -> &str {
        &self.station_id
    }

    /// The OCPP version, once known.
    pub fn version(&self) -> Option<OcppVersion> {
        self.version
    }

    /// Input counters.
    pub fn stats(&self) -> &AssemblerStats {
        &self.stats
    }

    /// Readings that belong to no transaction (e.g. 2.0.1 `MeterValues`, 1.6 values without a
    /// transaction id), kept so that nothing is dropped silently.
    pub fn unassigned_readings(&self) -> Vec<Reading> {
        let mut out = Vec::new();
        for (key, st) in &self.calls {
            let msg = msg_ref_uid(&key.uid, None, false);
            match &key.msg {
                Decoded::Meter16(m) if m.transaction_id.is_none() => out.extend(readings16(
                    &m.meter_value,
                    &msg,
                    st.received_at,
                    &self.policy,
                )),
                Decoded::Meter201(m) => out.extend(readings201(
                    &m.meter_value,
                    &msg,
                    st.received_at,
                    &self.policy,
                )),
                _ => {}
            }
        }
        out.sort_by(|a, b| {
            a.ts_station
                .cmp(&b.ts_station)
                .then(a.source.cmp(&b.source))
        });
        out
    }

    /// A checkpoint of everything fed so far, as bytes (format in `SNAPSHOT_FORMAT`,
    /// described in `docs/metering.md`): [`SessionAssembler::restore`] rebuilds an assembler
    /// that gives the same sessions and, fed the same frames afterwards, stays the same.
    ///
    /// ```
    /// use chargekit::session::SessionAssembler;
    /// use chargekit::meter::MeterPolicy;
    /// let mut a = SessionAssembler::new("CP-1", None, MeterPolicy::default());
    /// a.feed_log(r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
    /// [3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#).unwrap();
    /// let b = SessionAssembler::restore(&a.snapshot()).unwrap();
    /// assert_eq!(b.sessions().unwrap(), a.sessions().unwrap());
    /// assert!(SessionAssembler::restore(b"not a checkpoint").is_err());
    /// ```
    pub fn snapshot(&self) -> Vec<u8> {
        snapshot::encode(snapshot::ASSEMBLER, &self.state())
    }

    /// What a checkpoint holds of this assembler.
    pub(super) fn state(&self) -> snapshot::State {
        let calls = self
            .calls
            .iter()
            .map(|(k, st)| snapshot::CallRecord {
                uid: k.uid.clone(),
                action: k.action.clone(),
                payload: st.text.clone(),
                received_at: st.received_at,
                arrival: st.arrival,
            })
            .collect();
        let results = self
            .results
            .iter()
            .map(|(uid, payloads)| snapshot::ResultRecord {
                uid: uid.clone(),
                payloads: payloads.keys().cloned().collect(),
            })
            .collect();
        snapshot::State {
            station_id: self.station_id.clone(),
            version: self.version,
            declared: self.declared,
            policy: self.policy.clone(),
            calls,
            results,
            stats: self.stats.clone(),
            next_arrival: self.next_arrival,
            reported: self.reported.clone(),
            forgotten: self.forgotten.clone(),
        }
    }

    /// The assembler a [`SessionAssembler::snapshot`] was taken of. Bytes that are not a
    /// checkpoint of this format, or were truncated or altered, are
    /// [`Error::InvalidSnapshot`]; another format version is
    /// [`Error::UnsupportedSnapshotVersion`].
    pub fn restore(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_state(snapshot::decode(snapshot::ASSEMBLER, bytes)?)
    }

    /// The assembler a checkpoint's state describes, checked frame by frame.
    pub(super) fn from_state(state: snapshot::State) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidSnapshot { reason };
        let mut a = SessionAssembler::new(state.station_id, state.version, state.policy);
        a.declared = state.declared;
        if let (None, Some(c)) = (state.version, state.calls.first()) {
            return Err(invalid(format!(
                "frame {} stored without an OCPP version",
                c.uid
            )));
        }
        let mut arrivals = BTreeSet::new();
        for c in state.calls {
            let msg = state
                .version
                .and_then(|v| {
                    decode_call(v, &c.action, Source::Text(&c.payload))
                        .ok()
                        .flatten()
                })
                .ok_or_else(|| {
                    invalid(format!("frame {} ({}) does not decode", c.uid, c.action))
                })?;
            if c.arrival == 0 || c.arrival > state.next_arrival || !arrivals.insert(c.arrival) {
                return Err(invalid(format!(
                    "frame {} has an impossible arrival position",
                    c.uid
                )));
            }
            let key = FrameKey {
                uid: c.uid,
                action: c.action,
                msg,
            };
            let stored = Stored {
                text: c.payload,
                received_at: c.received_at,
                arrival: c.arrival,
            };
            if a.calls.insert(key, stored).is_some() {
                return Err(invalid("a frame is stored twice".into()));
            }
        }
        for r in state.results {
            let slot = a.results.entry(r.uid).or_default();
            for text in r.payloads {
                let value = parse_stored(&text).map_err(&invalid)?;
                slot.insert(text, value);
            }
        }
        a.stats = state.stats;
        a.next_arrival = state.next_arrival;
        a.reported = state.reported;
        a.forgotten = state.forgotten;
        Ok(a)
    }

    /// Feeds OCPP-J text (one frame, an array of frames, or one per line). Returns how many
    /// frames were read. On error nothing of this text is applied.
    pub fn feed_log(&mut self, text: &str) -> Result<usize, Error> {
        // Payloads are decoded straight from the text; whatever that reader does not take
        // goes through parsed JSON, which also names the problem.
        if let Some(fed) = wire::read(text).and_then(|frames| self.feed_wire(frames)) {
            return Ok(fed);
        }
        self.feed_frames(parse_log(text)?)
    }

    /// Applies frames read from text when every one of them decodes; None (nothing
    /// applied) otherwise, for the caller's parsed-JSON path to name the problem.
    fn feed_wire(&mut self, frames: Vec<WireReceived<'_>>) -> Option<usize> {
        let mut version = self.version;
        let prepared = frames
            .into_iter()
            .map(|f| self.prepare_wire(&mut version, f))
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(self.apply_all(version, prepared))
    }

    /// Feeds frames held one per text (a table's rows), each with the time it was received
    /// when known (it wins over an envelope's); all or nothing. An error names the index of
    /// the text it concerns.
    ///
    /// ```
    /// use chargekit::session::SessionAssembler;
    /// use chargekit::meter::MeterPolicy;
    /// let mut a = SessionAssembler::new("CP-1", None, MeterPolicy::default());
    /// let frames = [(None, r#"[2,"1","Heartbeat",{}]"#), (None, r#"[2,"2","Heartbeat""#)];
    /// let (index, err) = a.feed_frame_texts(&frames).unwrap_err();
    /// assert_eq!((index, err.kind()), (1, "invalid_json"));
    /// assert_eq!(a.feed_frame_texts(&frames[..1]).unwrap(), 1);
    /// ```
    pub fn feed_frame_texts(
        &mut self,
        frames: &[(Option<DateTime<Utc>>, &str)],
    ) -> Result<usize, (usize, Error)> {
        // The text reader first; anything it does not take goes through parsed JSON,
        // which also names the problem.
        let mut wired: Option<Vec<WireReceived<'_>>> = Some(Vec::with_capacity(frames.len()));
        for (at, text) in frames {
            let (Some(all), Some(items)) = (wired.as_mut(), wire::read(text)) else {
                wired = None;
                break;
            };
            all.extend(items.into_iter().map(|mut w| {
                w.received_at = at.or(w.received_at);
                w
            }));
        }
        if let Some(fed) = wired.and_then(|frames| self.feed_wire(frames)) {
            return Ok(fed);
        }
        let mut all = Vec::with_capacity(frames.len());
        let mut owner = Vec::with_capacity(frames.len());
        for (i, (at, text)) in frames.iter().enumerate() {
            for mut f in parse_log(text).map_err(|e| (i, e))? {
                f.received_at = at.or(f.received_at);
                all.push(f);
                owner.push(i);
            }
        }
        let mut version = self.version;
        let prepared = all
            .into_iter()
            .enumerate()
            .map(|(k, f)| self.prepare(&mut version, f).map_err(|e| (owner[k], e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.apply_all(version, prepared))
    }

    /// Feeds frames as text or as parsed JSON ([`SessionAssembler::feed_log`] or
    /// [`SessionAssembler::feed_value`]); all or nothing.
    pub fn feed_input(&mut self, input: FrameInput<'_>) -> Result<usize, Error> {
        match input {
            FrameInput::Text(text) => self.feed_log(text),
            FrameInput::Json(value) => self.feed_value(value),
        }
    }

    /// Feeds already-parsed JSON (a frame, an envelope or an array of them).
    pub fn feed_value(&mut self, value: &Value) -> Result<usize, Error> {
        let frames = crate::ocpp::frames_from_value(value)?;
        self.feed_frames(frames)
    }

    /// Feeds frames; all or nothing.
    pub fn feed_frames(&mut self, frames: Vec<ReceivedFrame>) -> Result<usize, Error> {
        // Validate everything first, then apply: a bad frame leaves the state untouched.
        let mut version = self.version;
        let prepared = frames
            .into_iter()
            .map(|f| self.prepare(&mut version, f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.apply_all(version, prepared))
    }

    fn apply_all(&mut self, version: Option<OcppVersion>, prepared: Vec<Prepared>) -> usize {
        let n = prepared.len();
        if self.version.is_some() && self.version != version {
            // Every session of the station changes version (2.0.1 → 2.1).
            self.live = None;
        }
        self.version = version;
        for p in prepared {
            self.apply(p);
        }
        n
    }

    /// Feeds one frame. A frame equal to one already fed changes nothing.
    pub fn feed(&mut self, frame: ReceivedFrame) -> Result<(), Error> {
        self.feed_frames(vec![frame]).map(|_| ())
    }

    /// Decodes a frame without changing the state (but for the version, passed in).
    fn prepare(
        &self,
        version: &mut Option<OcppVersion>,
        frame: ReceivedFrame,
    ) -> Result<Prepared, Error> {
        Ok(match frame.frame {
            Frame::Call {
                uid,
                action,
                payload,
            } => {
                let Some(v) = version_for(*version, &action, &payload)? else {
                    return Ok(Prepared::Ignored(action));
                };
                let Some(msg) = decode_call(v, &action, Source::Value(&payload))? else {
                    return Ok(Prepared::Ignored(action));
                };
                *version = Some(self.upgrade(v, &action, &msg)?);
                Prepared::Call(
                    FrameKey { uid, action, msg },
                    payload.to_string(),
                    frame.received_at,
                )
            }
            Frame::CallResult { uid, payload } => {
                if payload.get("transactionId").is_some() && payload.get("idTagInfo").is_some() {
                    decode::<v16::StartTransactionResponse>("StartTransaction.conf", &payload)?;
                }
                Prepared::Result(uid, payload)
            }
            Frame::CallError { .. } => Prepared::Error,
        })
    }

    /// [`SessionAssembler::prepare`] of a frame read from text.
    fn prepare_wire(
        &self,
        version: &mut Option<OcppVersion>,
        w: WireReceived<'_>,
    ) -> Result<Prepared, Error> {
        Ok(match w.frame {
            WireFrame::Call {
                uid,
                action,
                payload,
            } => {
                let text = payload.get();
                // Telling the version may look into the payload (first frames only).
                let probe = match version {
                    Some(_) => Value::Null,
                    None => keys_of(text).map_err(|e| Error::InvalidJson {
                        line: None,
                        reason: e.to_string(),
                    })?,
                };
                let Some(v) = version_for(*version, &action, &probe)? else {
                    return Ok(Prepared::Ignored(action));
                };
                let Some(msg) = decode_call(v, &action, Source::Text(text))? else {
                    return Ok(Prepared::Ignored(action));
                };
                *version = Some(self.upgrade(v, &action, &msg)?);
                Prepared::Call(
                    FrameKey { uid, action, msg },
                    text.to_owned(),
                    w.received_at,
                )
            }
            WireFrame::CallResult { uid, payload } => self.prepare(
                version,
                ReceivedFrame {
                    frame: Frame::CallResult { uid, payload },
                    received_at: w.received_at,
                },
            )?,
            WireFrame::CallError => Prepared::Error,
        })
    }

    /// The version after a 2.x message: 2.1 once a message uses what only 2.1 has, unless
    /// the caller declared 2.0.1 (then such a message is an error).
    fn upgrade(&self, v: OcppVersion, action: &str, msg: &Decoded) -> Result<OcppVersion, Error> {
        if v != OcppVersion::V201 {
            return Ok(v);
        }
        let feature = match msg {
            Decoded::TxEvent(e) => e.v21_feature(),
            Decoded::Meter201(m) => v201::meter_values_v21_feature(&m.meter_value),
            _ => None,
        };
        match (feature, self.declared) {
            (None, _) => Ok(v),
            (Some(field), Some(OcppVersion::V201)) => Err(Error::UnsupportedVersion {
                reason: format!(
                    "{action} uses `{field}` as only OCPP 2.1 defines it, but the input was declared 2.0.1"
                ),
            }),
            (Some(_), _) => Ok(OcppVersion::V21),
        }
    }

    fn apply(&mut self, p: Prepared) {
        self.stats.frames_fed += 1;
        if self.forgotten.covers(&p, &self.results) {
            self.stats.forgotten += 1;
            return;
        }
        match p {
            Prepared::Ignored(action) => {
                *self.stats.ignored_actions.entry(action).or_default() += 1
            }
            Prepared::Error => self.stats.call_errors += 1,
            Prepared::Result(uid, payload) => {
                // Only a transaction id (StartTransaction.conf) changes a session.
                if payload.get("transactionId").is_some() {
                    self.live = None;
                }
                let slot = self.results.entry(uid).or_default();
                if slot.insert(payload.to_string(), payload).is_some() {
                    self.stats.redelivered += 1;
                }
            }
            Prepared::Call(key, text, received_at) => match self.calls.get_mut(&key) {
                Some(existing) => {
                    self.stats.redelivered += 1;
                    let earliest = min_opt(existing.received_at, received_at);
                    if earliest != existing.received_at {
                        self.live = None;
                    }
                    existing.received_at = earliest;
                }
                None => {
                    self.next_arrival += 1;
                    let stored = Stored {
                        text,
                        received_at,
                        arrival: self.next_arrival,
                    };
                    if let Some(live) = self.live.as_mut() {
                        if !live.extend(&key, &stored, &self.policy) {
                            self.live = None;
                        }
                    }
                    self.calls.insert(key, stored);
                }
            },
        }
    }

    /// All sessions of the station, ordered by start time.
    ///
    /// After [`SessionAssembler::drain_events`] the sessions are kept current as frames
    /// arrive, and this copies them; otherwise they are derived from the frames.
    pub fn sessions(&self) -> Result<Vec<Session>, Error> {
        if let Some(live) = &self.live {
            return Ok(live.sessions().iter().map(|s| (**s).clone()).collect());
        }
        let mut out = self
            .drafts()
            .into_iter()
            .map(|d| finish(d, &self.policy))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| a.start.cmp(&b.start).then(a.key.cmp(&b.key)));
        Ok(out)
    }

    fn drafts(&self) -> Vec<Draft> {
        match self.version {
            None => Vec::new(),
            Some(OcppVersion::V16) => self.drafts16(),
            Some(OcppVersion::V201 | OcppVersion::V21) => self.drafts201(),
        }
    }

    /// The sessions kept current, derived from the frames first if nothing is kept.
    fn current(&mut self) -> Result<&mut live::Live, Error> {
        let kept = match self.live.take() {
            Some(kept) => kept,
            None => {
                let sessions = self
                    .drafts()
                    .into_iter()
                    .map(|d| finish_with_tail(d, &self.policy))
                    .collect::<Result<Vec<_>, _>>()?;
                // 1.6: with every start's transaction id known, readings cannot re-match a start.
                let settled = self.calls.keys().all(|k| match k.msg {
                    Decoded::Start16(_) => self.result_id(&k.uid).is_some_and(|id| id > 0),
                    _ => true,
                });
                let loose = self.calls.keys().any(|k| {
                    matches!(&k.msg, Decoded::Meter16(m) if m.transaction_id.is_some_and(|id| id <= 0))
                });
                live::Live::new(sessions, settled, loose)
            }
        };
        Ok(self.live.insert(kept))
    }

    /// What happened since the last call, in order: per session (in start order) `started`,
    /// each new `anomaly`, `updated` (energy, power, state or state of charge changed) and
    /// `ended` (once per session, with the final session); `withdrawn` when a session
    /// reported earlier no longer exists. A checkpoint keeps what was reported, so a
    /// restored assembler goes on where it stopped.
    ///
    /// ```
    /// use chargekit::session::{SessionAssembler, SessionEventKind};
    /// use chargekit::meter::MeterPolicy;
    /// let mut a = SessionAssembler::new("CP-1", None, MeterPolicy::default());
    /// a.feed_log(r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
    /// [3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#).unwrap();
    /// let events = a.drain_events().unwrap();
    /// assert_eq!(events[0].kind, SessionEventKind::Started);
    /// assert_eq!(events[0].transaction_id, "7");
    /// assert!(a.drain_events().unwrap().is_empty());
    /// ```
    pub fn drain_events(&mut self) -> Result<Vec<SessionEvent>, Error> {
        let (changed, all) = self.current()?.take_changed();
        Ok(self.reported.changes(&self.station_id, changed, all))
    }

    /// The earliest end among the sessions whose `ended` event was reported (what retention
    /// will drop first).
    pub(super) fn earliest_reported_end(&self) -> Option<DateTime<Utc>> {
        self.reported.earliest_end()
    }

    /// The session of a station that has at most one so far: `None` before its first
    /// transaction (a live assembler waiting for it), [`Error::NotExactlyOneSession`] when
    /// there are several.
    ///
    /// ```
    /// use chargekit::session::SessionAssembler;
    /// use chargekit::meter::MeterPolicy;
    /// let a = SessionAssembler::new("CP", None, MeterPolicy::default());
    /// assert!(a.current_session().unwrap().is_none());
    /// ```
    pub fn current_session(&self) -> Result<Option<Session>, Error> {
        let mut all = self.sessions()?;
        match all.len() {
            0 => Ok(None),
            1 => Ok(all.pop()),
            found => Err(Error::NotExactlyOneSession {
                found: crate::error::wide(found),
            }),
        }
    }

    /// The one session of a log that must hold exactly one.
    pub fn single_session(&self) -> Result<Session, Error> {
        let mut all = self.sessions()?;
        match all.len() {
            1 => Ok(all.remove(0)),
            found => Err(Error::NotExactlyOneSession {
                found: crate::error::wide(found),
            }),
        }
    }

    /// The transaction id the CALLRESULTs of a 1.6 StartTransaction assign (the lowest, if
    /// several were answered differently).
    fn result_id(&self, uid: &str) -> Option<i64> {
        self.results
            .get(uid)?
            .values()
            .filter_map(|p| p.get("transactionId")?.as_i64())
            .min()
    }

    fn stored(&self) -> impl Iterator<Item = (&FrameKey, &Stored)> {
        self.calls.iter()
    }

    fn drafts16(&self) -> Vec<Draft> {
        let policy = &self.policy;
        let mut starts: Vec<(&FrameKey, &Stored, &v16::StartTransactionRequest)> = Vec::new();
        let mut stops: BTreeMap<i64, Vec<(&FrameKey, &Stored, &v16::StopTransactionRequest)>> =
            BTreeMap::new();
        let mut meters: Vec<(&FrameKey, &Stored, &v16::MeterValuesRequest)> = Vec::new();
        let mut statuses: Vec<(u32, DateTime<Utc>, ChargePointStatus)> = Vec::new();
        for (k, st) in self.stored() {
            match &k.msg {
                Decoded::Start16(s) => starts.push((k, st, s)),
                Decoded::Stop16(s) => stops.entry(s.transaction_id).or_default().push((k, st, s)),
                Decoded::Meter16(m) => meters.push((k, st, m)),
                Decoded::Status16(s) => {
                    if let Some(t) = s.timestamp.or(st.received_at) {
                        statuses.push((s.connector_id, t, s.status));
                    }
                }
                _ => {}
            }
        }
        starts.sort_by(|a, b| a.2.timestamp.cmp(&b.2.timestamp).then(a.0.cmp(b.0)));
        statuses.sort();

        // Transaction id of each start: from its CALLRESULT, else matched by connector and time.
        // Evidence of each positive transaction id: its connector and the station times of
        // its readings and stops that the clock checks trust.
        let mut evidence: BTreeMap<i64, Evidence> = BTreeMap::new();
        for (_, st, m) in &meters {
            if let Some(id) = m.transaction_id.filter(|id| *id > 0) {
                let e = evidence.entry(id).or_default();
                e.connector = e.connector.or(Some(m.connector_id));
                for mv in &m.meter_value {
                    e.witness(mv.timestamp, st.received_at, policy);
                }
            }
        }
        for (id, list) in &stops {
            for (_, st, s) in list {
                evidence
                    .entry(*id)
                    .or_default()
                    .witness(s.timestamp, st.received_at, policy);
            }
        }
        let mut start_of: BTreeMap<
            TransactionKey,
            Vec<(&FrameKey, &Stored, &v16::StartTransactionRequest)>,
        > = BTreeMap::new();
        let mut claimed: BTreeSet<i64> = BTreeSet::new();
        let mut unmatched = Vec::new();
        for s in &starts {
            match self.result_id(&s.0.uid).filter(|id| *id > 0) {
                Some(id) => {
                    claimed.insert(id);
                    start_of
                        .entry(TransactionKey::Ocpp16(id))
                        .or_default()
                        .push(*s);
                }
                None => unmatched.push(*s),
            }
        }
        let mut local_starts: Vec<(TransactionKey, u32)> = Vec::new();
        for s in unmatched {
            // The start's own time when the clock checks trust it, else its receive time.
            let at = if clock_trusted(s.2.timestamp, s.1.received_at, policy) {
                Some(s.2.timestamp)
            } else {
                s.1.received_at
            };
            let not_before = at.map(|t| t - Duration::seconds(START_MATCH_SLACK_S));
            let candidate = evidence
                .iter()
                .filter(|(id, e)| {
                    !claimed.contains(id)
                        && e.connector.is_none_or(|c| c == s.2.connector_id)
                        && not_before.is_none_or(|t| e.follows(t))
                })
                .min_by_key(|(id, e)| {
                    let first = e.first_after(not_before.unwrap_or(DateTime::<Utc>::MIN_UTC));
                    (
                        e.connector.is_none(),
                        first.unwrap_or(DateTime::<Utc>::MAX_UTC),
                        **id,
                    )
                })
                .map(|(id, _)| *id);
            let key = match candidate {
                Some(id) => {
                    claimed.insert(id);
                    TransactionKey::Ocpp16(id)
                }
                None => {
                    let key = TransactionKey::Local(format!("start:{}", s.0.uid));
                    local_starts.push((key.clone(), s.2.connector_id));
                    key
                }
            };
            start_of.entry(key).or_default().push(s);
        }

        let mut keys: BTreeSet<TransactionKey> = start_of.keys().cloned().collect();
        keys.extend(
            stops
                .keys()
                .filter(|id| **id > 0)
                .map(|id| TransactionKey::Ocpp16(*id)),
        );
        keys.extend(
            meters
                .iter()
                .filter_map(|m| m.2.transaction_id.filter(|id| *id > 0))
                .map(TransactionKey::Ocpp16),
        );

        let mut drafts: BTreeMap<TransactionKey, Draft> = BTreeMap::new();
        for key in keys {
            let mut d = Draft::new(&self.station_id, key.clone(), OcppVersion::V16);
            if let Some(list) = start_of.get(&key) {
                let (k, st, s) = list[0];
                if list.len() > 1 {
                    d.anomalies.push(Anomaly::new(
                        AnomalyKind::Duplicate,
                        Some(s.timestamp),
                        Some(&list[1].0.uid),
                        format!("{} StartTransaction messages for one transaction; the earliest is used", list.len()),
                    ));
                }
                d.connector_id = Some(s.connector_id);
                d.id_token = Some(s.id_tag.clone());
                self.set_start(&mut d, s.timestamp, st.received_at, &k.uid);
                let at = d.start.unwrap_or(s.timestamp);
                d.meter_start = meter_mark(&mut d, "meterStart", &s.meter_start, at, &k.uid);
            }
            if let TransactionKey::Ocpp16(id) = key {
                if let Some(list) = stops.get(&id) {
                    let mut list = list.clone();
                    list.sort_by(|a, b| a.2.timestamp.cmp(&b.2.timestamp).then(a.0.cmp(b.0)));
                    let (k, st, s) = list[0];
                    for (dk, _, ds) in list.iter().skip(1) {
                        let same = ds.meter_stop == s.meter_stop && ds.timestamp == s.timestamp;
                        d.anomalies.push(Anomaly::new(
                            AnomalyKind::Duplicate,
                            Some(ds.timestamp),
                            Some(&dk.uid),
                            if same {
                                format!("StopTransaction {} repeats {}; ignored", dk.uid, k.uid)
                            } else {
                                format!(
                                    "a second StopTransaction ({}, meterStop {}) conflicts with {}; the earliest is used",
                                    dk.uid, ds.meter_stop, k.uid
                                )
                            },
                        ));
                    }
                    d.end = Some(s.timestamp);
                    d.seen(s.timestamp);
                    d.stop_reason = Some(stop_reason16(s));
                    if d.id_token.is_none() {
                        d.id_token = s.id_tag.clone();
                    }
                    d.meter_stop =
                        meter_mark(&mut d, "meterStop", &s.meter_stop, s.timestamp, &k.uid);
                    for (dk, dst, ds) in &list {
                        if let Some(data) = &ds.transaction_data {
                            d.summary_msgs.insert(dk.uid.clone());
                            d.readings.extend(readings16(
                                data,
                                &msg_ref_uid(&dk.uid, None, false),
                                dst.received_at,
                                policy,
                            ));
                        }
                    }
                    let _ = st;
                }
                for (mk, mst, m) in &meters {
                    if m.transaction_id == Some(id) {
                        if d.connector_id.is_none() {
                            d.connector_id = Some(m.connector_id);
                        }
                        d.readings.extend(readings16(
                            &m.meter_value,
                            &msg_ref_uid(&mk.uid, None, false),
                            mst.received_at,
                            policy,
                        ));
                    }
                }
            }
            if let TransactionKey::Ocpp16(id) = key {
                let mut arrivals: Vec<Arrival<'_, DateTime<Utc>>> = Vec::new();
                for (k, st, s) in start_of.get(&key).into_iter().flatten() {
                    arrivals.push((s.timestamp, arrival_key(st), k.uid.as_str(), s.timestamp));
                }
                for (k, st, m) in meters.iter().filter(|m| m.2.transaction_id == Some(id)) {
                    if let Some(t) = meter_rank16(m) {
                        arrivals.push((t, arrival_key(st), k.uid.as_str(), t));
                    }
                }
                for (k, st, s) in stops.get(&id).into_iter().flatten() {
                    arrivals.push((s.timestamp, arrival_key(st), k.uid.as_str(), s.timestamp));
                }
                let (latest, all_received, latest_received) =
                    arrival_disorder(&mut arrivals, "station time", &mut d.anomalies);
                d.stream = Stream {
                    latest_time: latest,
                    last_event: None,
                    all_received,
                    latest_received,
                };
            }
            for r in &d.readings {
                let t = r.ts_station;
                d.last_seen = Some(d.last_seen.map_or(t, |s| s.max(t)));
            }
            drafts.insert(key, d);
        }

        // Values with transaction id 0 or negative (offline placeholders) go to the session whose
        // window on the same connector contains them; otherwise they form a local session.
        for (mk, mst, m) in &meters {
            let Some(id) = m.transaction_id.filter(|id| *id <= 0) else {
                continue;
            };
            for mv in &m.meter_value {
                let home = drafts.values_mut().find(|d| {
                    d.connector_id == Some(m.connector_id)
                        && d.start.is_some_and(|s| {
                            mv.timestamp >= s - Duration::seconds(START_MATCH_SLACK_S)
                        })
                        && d.end.is_none_or(|e| mv.timestamp <= e)
                });
                let rs = readings16(
                    std::slice::from_ref(mv),
                    &msg_ref_uid(&mk.uid, None, false),
                    mst.received_at,
                    policy,
                );
                match home {
                    Some(d) => d.readings.extend(rs),
                    None => {
                        let key = TransactionKey::Local(format!("{}@{}", id, m.connector_id));
                        let d = drafts
                            .entry(key.clone())
                            .or_insert_with(|| Draft::new(&self.station_id, key, OcppVersion::V16));
                        d.connector_id = Some(m.connector_id);
                        for r in &rs {
                            d.seen(r.ts_station);
                        }
                        d.readings.extend(rs);
                    }
                }
            }
        }

        // Connector states.
        for d in drafts.values_mut() {
            let Some(conn) = d.connector_id else { continue };
            let lo = d.start.map(|s| s - Duration::seconds(STATUS_LOOKBACK_S));
            let mine: Vec<(DateTime<Utc>, ChargePointStatus)> = statuses
                .iter()
                .filter(|(c, _, _)| *c == conn)
                .map(|(_, t, s)| (*t, *s))
                .collect();
            for (t, s) in &mine {
                if lo.is_none_or(|lo| *t >= lo) && d.end.is_none_or(|e| *t <= e) {
                    if let Some(state) = state16(*s) {
                        d.states.push((*t, state));
                    }
                }
            }
            if policy.boundaries == BoundaryPolicy::PlugInToPlugOut {
                let plugged: Vec<(DateTime<Utc>, bool)> = mine
                    .iter()
                    .filter_map(|(t, s)| plug16(*s).map(|p| (*t, p)))
                    .collect();
                extend_to_plug(d, &plugged, Some(SessionState::Idle));
            }
        }
        unmatched_starts(&mut drafts, &local_starts, &start_of);
        drafts.into_values().collect()
    }

    fn set_start(
        &self,
        d: &mut Draft,
        ts: DateTime<Utc>,
        received: Option<DateTime<Utc>>,
        uid: &str,
    ) {
        if ts < floor() {
            d.anomalies.push(Anomaly::new(
                AnomalyKind::ClockSuspect,
                Some(ts),
                Some(uid),
                "start timestamp before the station clock was set; the receive time or first reading is used",
            ));
            d.start = received;
        } else {
            d.start = Some(ts);
        }
        if let Some(s) = d.start {
            d.seen(s);
        }
    }

    fn drafts201(&self) -> Vec<Draft> {
        let policy = &self.policy;
        let mut by_tx: BTreeMap<&str, Vec<(&FrameKey, &Stored, &v201::TransactionEventRequest)>> =
            BTreeMap::new();
        let mut statuses: Vec<((u32, u32), DateTime<Utc>, ConnectorStatus)> = Vec::new();
        for (k, st) in self.stored() {
            match &k.msg {
                Decoded::TxEvent(e) => by_tx
                    .entry(e.transaction_info.transaction_id.as_str())
                    .or_default()
                    .push((k, st, e)),
                Decoded::Status201(s) => {
                    statuses.push(((s.evse_id, s.connector_id), s.timestamp, s.connector_status))
                }
                _ => {}
            }
        }
        statuses.sort();
        let mut out = Vec::new();
        for (txid, events) in by_tx {
            let mut d = Draft::new(
                &self.station_id,
                TransactionKey::Ocpp201(txid.to_string()),
                self.version.unwrap_or(OcppVersion::V201),
            );
            // One event per seqNo; distinct messages with the same seqNo are duplicates.
            let mut by_seq: BTreeMap<
                u64,
                Vec<(&FrameKey, &Stored, &v201::TransactionEventRequest)>,
            > = BTreeMap::new();
            for e in events {
                by_seq.entry(e.2.seq_no).or_default().push(e);
            }
            let mut ordered = Vec::with_capacity(by_seq.len());
            for (seq, mut group) in by_seq {
                group.sort_by(|a, b| {
                    a.2.timestamp
                        .cmp(&b.2.timestamp)
                        .then(a.0.msg.cmp(&b.0.msg))
                        .then(a.0.uid.cmp(&b.0.uid))
                });
                let keep = group[0];
                for dup in group.iter().skip(1) {
                    let same = dup.0.msg == keep.0.msg;
                    d.anomalies.push(Anomaly::new(
                        AnomalyKind::Duplicate,
                        Some(dup.2.timestamp),
                        Some(&dup.0.uid),
                        if same {
                            format!("event seqNo {seq} received again as message {}; applied once", dup.0.uid)
                        } else {
                            format!("message {} reuses seqNo {seq} with different content; message {} is used", dup.0.uid, keep.0.uid)
                        },
                    ));
                }
                ordered.push(keep);
            }
            for w in ordered.windows(2) {
                let (a, b) = (w[0].2, w[1].2);
                if b.seq_no > a.seq_no + 1 {
                    let (lo, hi) = (a.seq_no + 1, b.seq_no - 1);
                    d.anomalies.push(Anomaly::new(
                        AnomalyKind::MissingSeqNo,
                        Some(a.timestamp),
                        None,
                        if lo == hi {
                            format!("seqNo {lo} never arrived")
                        } else {
                            format!("seqNo {lo}–{hi} never arrived")
                        },
                    ));
                }
                if b.timestamp < a.timestamp {
                    d.anomalies.push(Anomaly::new(
                        AnomalyKind::OutOfOrder,
                        Some(b.timestamp),
                        Some(&w[1].0.uid),
                        format!(
                            "seqNo {} is timestamped before seqNo {}",
                            b.seq_no, a.seq_no
                        ),
                    ));
                }
            }
            let mut arrivals: Vec<_> = ordered
                .iter()
                .map(|(k, st, e)| (e.seq_no, arrival_key(st), k.uid.as_str(), e.timestamp))
                .collect();
            let (_, all_received, latest_received) =
                arrival_disorder(&mut arrivals, "seqNo", &mut d.anomalies);
            d.stream = Stream {
                latest_time: None,
                last_event: ordered.last().map(|e| (e.2.seq_no, e.2.timestamp)),
                all_received,
                latest_received,
            };
            let ended_seq = ordered
                .iter()
                .find(|e| e.2.event_type == TransactionEventType::Ended)
                .map(|e| e.2.seq_no);
            for (k, st, e) in &ordered {
                let rs = event_readings(&k.uid, st, e, policy);
                if ended_seq.is_some_and(|s| e.seq_no > s) {
                    d.anomalies.push(Anomaly::new(
                        AnomalyKind::AfterEnd,
                        Some(e.timestamp),
                        Some(&k.uid),
                        format!(
                            "{} event seqNo {} came after the transaction ended; kept as history, totals unchanged",
                            e.event_type, e.seq_no
                        ),
                    ));
                    d.late.extend(rs);
                    continue;
                }
                if d.evse_id.is_none() {
                    if let Some(evse) = &e.evse {
                        d.evse_id = Some(evse.id);
                        d.connector_id = evse.connector_id;
                    }
                }
                if d.id_token.is_none() {
                    d.id_token = e.id_token.as_ref().map(|t| t.id_token.clone());
                }
                match e.event_type {
                    TransactionEventType::Started if d.start.is_none() => {
                        self.set_start(&mut d, e.timestamp, st.received_at, &k.uid)
                    }
                    TransactionEventType::Ended => {
                        d.end = Some(e.timestamp);
                        d.stop_reason = stop_reason201(e);
                    }
                    _ => {}
                }
                if let Some(cs) = e.transaction_info.charging_state {
                    d.states.push((e.timestamp, state201(cs)));
                }
                if let Some(t) = e.transaction_info.time_spent_charging {
                    d.time_spent_charging = Some(t);
                }
                if let Some(t) = &e.transaction_info.tariff_id {
                    d.tariff_id = Some(t.clone());
                }
                if let Some(c) = &e.cost_details {
                    d.cost_details = Some(c.clone());
                }
                let limit = e.transaction_info.transaction_limit.as_ref();
                if let Some(max) = limit.and_then(|l| l.max_cost.as_deref()) {
                    d.max_cost = crate::meter::parse_exact(max);
                }
                if e.timestamp >= floor() {
                    d.seen(e.timestamp);
                }
                d.readings.extend(rs);
            }
            if d.start.is_none() {
                // Started never arrived: the earliest event stands in.
                d.start = ordered
                    .iter()
                    .map(|e| e.2.timestamp)
                    .filter(|t| *t >= floor())
                    .min();
            }
            if policy.boundaries == BoundaryPolicy::PlugInToPlugOut {
                if let Some(evse) = d.evse_id {
                    let conn = d.connector_id.unwrap_or(1);
                    let plugged: Vec<(DateTime<Utc>, bool)> = statuses
                        .iter()
                        .filter(|(k, _, _)| *k == (evse, conn))
                        .filter_map(|(_, t, s)| match s {
                            ConnectorStatus::Occupied => Some((*t, true)),
                            ConnectorStatus::Available => Some((*t, false)),
                            _ => None,
                        })
                        .collect();
                    extend_to_plug(&mut d, &plugged, Some(SessionState::Connected));
                }
            }
            out.push(d);
        }
        out
    }
}

/// The version a CALL implies, checked against the version already known.
/// What the frames of one 1.6 transaction id say about where and when it ran: what matches a
/// StartTransaction whose CALLRESULT (with the id) is not in the log.
#[derive(Default)]
struct Evidence {
    connector: Option<u32>,
    /// Station times of its readings and stops that the clock checks trust.
    times: Vec<DateTime<Utc>>,
}

impl Evidence {
    fn witness(
        &mut self,
        ts: DateTime<Utc>,
        received: Option<DateTime<Utc>>,
        policy: &MeterPolicy,
    ) {
        if clock_trusted(ts, received, policy) {
            self.times.push(ts);
        }
    }

    /// Whether the transaction ran from `t` on. One early time among several later ones is an
    /// outlier, not proof of an earlier transaction: a single implausible timestamp must not
    /// decide the match. No trusted time at all leaves the connector to decide.
    fn follows(&self, t: DateTime<Utc>) -> bool {
        let before = self.times.iter().filter(|x| **x < t).count();
        let after = self.times.len() - before;
        before == 0 || (before == 1 && after >= 2)
    }

    /// Its first trusted time from `t` on: the candidate closest after a start wins.
    fn first_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.times.iter().filter(|x| **x >= t).min().copied()
    }
}

/// Reports a StartTransaction that matched no transaction id, while transactions without a
/// start exist on its connector, on its own local session and on each of those, so neither
/// half is billed silently.
fn unmatched_starts(
    drafts: &mut BTreeMap<TransactionKey, Draft>,
    local_starts: &[(TransactionKey, u32)],
    with_start: &BTreeMap<TransactionKey, Vec<(&FrameKey, &Stored, &v16::StartTransactionRequest)>>,
) {
    for (local, conn) in local_starts {
        let orphans: Vec<TransactionKey> = drafts
            .iter()
            .filter(|(k, d)| {
                matches!(k, TransactionKey::Ocpp16(_))
                    && !with_start.contains_key(*k)
                    && d.connector_id == Some(*conn)
            })
            .map(|(k, _)| k.clone())
            .collect();
        // With no start-less transaction on the connector this is an ordinary offline
        // start whose id is not known yet (live, its CALLRESULT may be a moment away).
        if orphans.is_empty() {
            continue;
        }
        let names: Vec<String> = orphans.iter().map(|k| k.to_string()).collect();
        let candidates = format!("it may belong to {}", names.join(", "));
        if let Some(d) = drafts.get_mut(local) {
            let at = d.start;
            d.anomalies.push(Anomaly::new(
                AnomalyKind::UnmatchedStart,
                at,
                None,
                format!("StartTransaction without its transaction id could not be matched; {candidates}"),
            ));
        }
        for k in &orphans {
            if let Some(d) = drafts.get_mut(k) {
                let at = d.start.or(d.last_seen);
                d.anomalies.push(Anomaly::new(
                    AnomalyKind::UnmatchedStart,
                    at,
                    None,
                    format!("no StartTransaction (and no meterStart baseline) for this transaction; the unmatched start {local} on its connector may be its own"),
                ));
            }
        }
    }
}

fn version_for(
    known: Option<OcppVersion>,
    action: &str,
    payload: &Value,
) -> Result<Option<OcppVersion>, Error> {
    let implied = match action {
        "StartTransaction" | "StopTransaction" => OcppVersion::V16,
        // The 2.x family: 2.0.1 until a message shows 2.1 (`SessionAssembler::upgrade`).
        "TransactionEvent" => OcppVersion::V201,
        "MeterValues" if payload.get("evseId").is_some() => OcppVersion::V201,
        "MeterValues" => OcppVersion::V16,
        "StatusNotification" if payload.get("connectorStatus").is_some() => OcppVersion::V201,
        "StatusNotification" => OcppVersion::V16,
        _ => return Ok(None),
    };
    match known {
        Some(v)
            if v.is_2x() != implied.is_2x()
                && matches!(
                    action,
                    "StartTransaction" | "StopTransaction" | "TransactionEvent"
                ) =>
        {
            Err(Error::UnsupportedVersion {
                reason: format!("{action} is not an OCPP {v} action"),
            })
        }
        Some(v) => Ok(Some(v)),
        None => Ok(Some(implied)),
    }
}

/// A validated frame, ready to apply.
enum Prepared {
    /// The frame, its payload text and its receive time.
    Call(FrameKey, String, Option<DateTime<Utc>>),
    Result(String, Value),
    Error,
    Ignored(String),
}

/// Widens a session to plug-in .. plug-out from connector statuses (`true` = plugged).
fn extend_to_plug(
    d: &mut Draft,
    plugged: &[(DateTime<Utc>, bool)],
    after_stop: Option<SessionState>,
) {
    if let Some(start) = d.start {
        let last_unplug = plugged
            .iter()
            .filter(|(t, p)| !p && *t <= start)
            .map(|(t, _)| *t)
            .max();
        let plug_in = plugged
            .iter()
            .filter(|(t, p)| *p && *t <= start && last_unplug.is_none_or(|u| *t > u))
            .map(|(t, _)| *t)
            .min();
        if let Some(p) = plug_in {
            d.start = Some(p);
        }
    }
    if let Some(end) = d.end {
        if let Some(out) = plugged
            .iter()
            .filter(|(t, p)| !p && *t >= end)
            .map(|(t, _)| *t)
            .min()
        {
            if out > end {
                if let Some(s) = after_stop {
                    d.states.push((end, s));
                }
                d.end = Some(out);
                d.seen(out);
            }
        }
    }
}

/// A meterStart/meterStop value, or an `unparseable` anomaly when it cannot be used.
fn meter_mark(
    d: &mut Draft,
    field: &str,
    text: &str,
    at: DateTime<Utc>,
    uid: &str,
) -> Option<MeterMark> {
    match meter_value(text) {
        Some(wh) => Some(MeterMark {
            at,
            wh,
            message_id: uid.to_string(),
        }),
        None => {
            d.anomalies.push(Anomaly::new(
                AnomalyKind::Unparseable,
                Some(at),
                Some(uid),
                format!("{field} {text:?} is not a usable register value; ignored"),
            ));
            None
        }
    }
}

/// A meterStart/meterStop register value, Wh, when usable.
fn meter_value(text: &str) -> Option<Decimal> {
    let limit = Decimal::from(10u64.pow(15));
    crate::meter::parse_exact(text).filter(|v| v.abs() <= limit)
}

fn min_opt(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// The keys of a payload object (values left out: only keys tell the version), or `null`
/// for another value. No number is read, so none is refused for its size.
fn keys_of(text: &str) -> Result<Value, serde_json::Error> {
    if !text.starts_with('{') {
        return Ok(Value::Null);
    }
    let keys = serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text)?;
    Ok(Value::Object(
        keys.into_keys().map(|k| (k, Value::Null)).collect(),
    ))
}

/// A payload stored in a checkpoint: JSON text that must read back to the same text, since
/// the text is part of the frame's identity.
fn parse_stored(text: &str) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("stored payload: {e}"))?;
    // Compared as text: `Value == &str` would compare a JSON string's content instead.
    let canonical = value.to_string();
    if canonical.as_str() != text {
        return Err("stored payload is not in canonical form".into());
    }
    Ok(value)
}

/// Where a payload is decoded from: parsed JSON, or its text.
#[derive(Clone, Copy)]
enum Source<'a> {
    Value(&'a Value),
    Text(&'a str),
}

impl Source<'_> {
    fn decode<T: serde::de::DeserializeOwned>(self, action: &str) -> Result<T, Error> {
        match self {
            Source::Value(v) => decode(action, v),
            Source::Text(t) => decode_text(action, t),
        }
    }
}

fn decode_call(
    version: OcppVersion,
    action: &str,
    payload: Source<'_>,
) -> Result<Option<Decoded>, Error> {
    let p = payload;
    Ok(Some(match (version, action) {
        (OcppVersion::V16, "StartTransaction") => Decoded::Start16(p.decode(action)?),
        (OcppVersion::V16, "MeterValues") => Decoded::Meter16(p.decode(action)?),
        (OcppVersion::V16, "StopTransaction") => Decoded::Stop16(p.decode(action)?),
        (OcppVersion::V16, "StatusNotification") => Decoded::Status16(p.decode(action)?),
        (v, "TransactionEvent") if v.is_2x() => Decoded::TxEvent(Box::new(p.decode(action)?)),
        (v, "MeterValues") if v.is_2x() => Decoded::Meter201(p.decode(action)?),
        (v, "StatusNotification") if v.is_2x() => Decoded::Status201(p.decode(action)?),
        _ => return Ok(None),
    }))
}

fn msg_ref_uid(uid: &str, seq: Option<u64>, offline: bool) -> MessageRef {
    MessageRef {
        message_id: uid.to_string(),
        seq_no: seq,
        offline,
    }
}

fn state16(s: ChargePointStatus) -> Option<SessionState> {
    Some(match s {
        ChargePointStatus::Preparing => SessionState::Connected,
        ChargePointStatus::Charging => SessionState::Charging,
        ChargePointStatus::SuspendedEv => SessionState::SuspendedEv,
        ChargePointStatus::SuspendedEvse | ChargePointStatus::Faulted => {
            SessionState::SuspendedEvse
        }
        ChargePointStatus::Finishing => SessionState::Idle,
        ChargePointStatus::Available => SessionState::Disconnected,
        ChargePointStatus::Reserved | ChargePointStatus::Unavailable => return None,
    })
}

fn plug16(s: ChargePointStatus) -> Option<bool> {
    match s {
        ChargePointStatus::Preparing
        | ChargePointStatus::Charging
        | ChargePointStatus::SuspendedEv
        | ChargePointStatus::SuspendedEvse
        | ChargePointStatus::Finishing => Some(true),
        ChargePointStatus::Available => Some(false),
        _ => None,
    }
}

fn state201(s: ChargingState) -> SessionState {
    match s {
        ChargingState::Charging => SessionState::Charging,
        ChargingState::EvConnected => SessionState::Connected,
        ChargingState::SuspendedEv => SessionState::SuspendedEv,
        ChargingState::SuspendedEvse => SessionState::SuspendedEvse,
        ChargingState::Idle => SessionState::Disconnected,
    }
}

fn readings16(
    values: &[v16::MeterValue],
    msg: &MessageRef,
    received: Option<DateTime<Utc>>,
    policy: &MeterPolicy,
) -> Vec<Reading> {
    let mut out = Vec::new();
    for mv in values {
        let first_ctx = mv.sampled_value.first().and_then(|s| s.context);
        for sv in &mv.sampled_value {
            let context = match policy.context {
                ContextPolicy::PerSampledValue => sv.context,
                ContextPolicy::FirstSampleContext => first_ctx,
            }
            .unwrap_or(ReadingContext::SamplePeriodic);
            let measurand = sv
                .measurand
                .unwrap_or(crate::meter::Measurand::EnergyActiveImportRegister);
            let signed = sv.format == Some(ValueFormat::SignedData);
            let norm = if signed {
                None
            } else {
                normalise(&sv.value, sv.unit.as_deref(), 0, measurand).value
            };
            out.push(Reading {
                ts_station: mv.timestamp,
                ts_received: received,
                measurand,
                phase: sv.phase,
                location: sv.location,
                context,
                unit_raw: sv.unit.clone(),
                multiplier: 0,
                raw: sv.value.clone(),
                value: norm,
                signed_data: signed.then(|| sv.value.clone()),
                source: msg.clone(),
            });
        }
    }
    out
}

/// Why a 1.6 transaction stopped: without `reason`, `Local` (as OCPP 1.6 specifies).
fn stop_reason16(s: &v16::StopTransactionRequest) -> String {
    s.reason.map(|r| r.as_str()).unwrap_or("Local").to_string()
}

/// Why a 2.x transaction stopped, when the event says.
fn stop_reason201(e: &v201::TransactionEventRequest) -> Option<String> {
    e.transaction_info
        .stopped_reason
        .map(|r| r.as_str().to_string())
}

/// Where a 1.6 MeterValues stands in its transaction's station order: its latest time the
/// clock floor does not rule out.
fn meter_rank16(m: &v16::MeterValuesRequest) -> Option<DateTime<Utc>> {
    m.meter_value
        .iter()
        .map(|mv| mv.timestamp)
        .filter(|t| *t >= floor())
        .max()
}

/// The readings a 2.x transaction event carries.
fn event_readings(
    uid: &str,
    st: &Stored,
    e: &v201::TransactionEventRequest,
    policy: &MeterPolicy,
) -> Vec<Reading> {
    let msg = msg_ref_uid(uid, Some(e.seq_no), e.offline.unwrap_or(false));
    e.meter_value
        .as_deref()
        .map(|mv| readings201(mv, &msg, st.received_at, policy))
        .unwrap_or_default()
}

fn readings201(
    values: &[v201::MeterValue],
    msg: &MessageRef,
    received: Option<DateTime<Utc>>,
    policy: &MeterPolicy,
) -> Vec<Reading> {
    let mut out = Vec::new();
    for mv in values {
        let first_ctx = mv.sampled_value.first().and_then(|s| s.context);
        for sv in &mv.sampled_value {
            let context = match policy.context {
                ContextPolicy::PerSampledValue => sv.context,
                ContextPolicy::FirstSampleContext => first_ctx,
            }
            .unwrap_or(ReadingContext::SamplePeriodic);
            let measurand = sv
                .measurand
                .unwrap_or(crate::meter::Measurand::EnergyActiveImportRegister);
            let unit = sv.unit_of_measure.as_ref().and_then(|u| u.unit.clone());
            let multiplier = sv
                .unit_of_measure
                .as_ref()
                .and_then(|u| u.multiplier)
                .unwrap_or(0);
            let norm = normalise(&sv.value, unit.as_deref(), multiplier, measurand);
            out.push(Reading {
                ts_station: mv.timestamp,
                ts_received: received,
                measurand,
                phase: sv.phase,
                location: sv.location,
                context,
                unit_raw: unit,
                multiplier,
                raw: sv.value.clone(),
                value: norm.value,
                signed_data: sv
                    .signed_meter_value
                    .as_ref()
                    .map(|s| s.signed_meter_data.clone()),
                source: msg.clone(),
            });
        }
    }
    out
}

/// Reads a whole log and returns its sessions.
///
/// ```
/// use chargekit::session::sessions_from_log;
/// use chargekit::meter::MeterPolicy;
/// let s = sessions_from_log("CP", "", None, &MeterPolicy::default()).unwrap();
/// assert!(s.is_empty());
/// ```
pub fn sessions_from_log(
    station_id: &str,
    text: &str,
    version: Option<OcppVersion>,
    policy: &MeterPolicy,
) -> Result<Vec<Session>, Error> {
    let mut a = SessionAssembler::new(station_id, version, policy.clone());
    a.feed_log(text)?;
    a.sessions()
}
