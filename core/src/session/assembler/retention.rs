//! Retention: dropping the frames of sessions that ended long enough ago, so that an
//! assembler that runs for months holds its open sessions, not its history.
//!
//! A dropped session leaves a tombstone (its transaction id, and the message id of its
//! start) so that a late or repeated frame of it is ignored instead of opening a phantom
//! session; tombstones themselves go after [`TOMBSTONE_TTL_S`].

use super::{Decoded, FrameKey, Prepared, SessionAssembler, Stored, STATUS_LOOKBACK_S};
use crate::session::{Session, TransactionKey};
use crate::Error;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// How long the ids of a dropped session are remembered after its end, seconds (7 days).
pub const TOMBSTONE_TTL_S: i64 = 7 * 24 * 3600;

/// The ids of dropped sessions, with their end times.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::session) struct Tombstones {
    /// Transaction ids (as text) of dropped sessions.
    transactions: BTreeMap<String, DateTime<Utc>>,
    /// Message ids of their StartTransaction frames (1.6), whose CALLRESULTs name them.
    start_uids: BTreeMap<String, DateTime<Utc>>,
    /// Dropped 1.6 sessions as (connector if known, start, end): a StartTransaction without its
    /// CALLRESULT that arrives later and would have matched one of them is theirs.
    spans16: Vec<(Option<u32>, DateTime<Utc>, DateTime<Utc>)>,
}

impl Tombstones {
    /// Whether a frame belongs to a dropped session (`results`: the CALLRESULTs stored).
    pub(super) fn covers(
        &self,
        p: &Prepared,
        results: &BTreeMap<String, BTreeMap<String, Value>>,
    ) -> bool {
        let tx = |id: &str| self.transactions.contains_key(id);
        let names_dropped = |payload: &Value| {
            payload
                .get("transactionId")
                .and_then(Value::as_i64)
                .is_some_and(|id| tx(&id.to_string()))
        };
        match p {
            Prepared::Result(uid, payload) => {
                self.start_uids.contains_key(uid) || names_dropped(payload)
            }
            Prepared::Call(key, _, _) => match &key.msg {
                Decoded::Start16(s) => {
                    let slack = Duration::seconds(super::START_MATCH_SLACK_S);
                    self.start_uids.contains_key(&key.uid)
                        || results
                            .get(&key.uid)
                            .is_some_and(|r| r.values().any(names_dropped))
                        || self.spans16.iter().any(|(c, start, end)| {
                            c.is_none_or(|c| c == s.connector_id)
                                && *start >= s.timestamp - slack
                                && s.timestamp <= *end
                        })
                }
                Decoded::Stop16(s) => tx(&s.transaction_id.to_string()),
                Decoded::Meter16(m) => m
                    .transaction_id
                    .is_some_and(|id| id > 0 && tx(&id.to_string())),
                Decoded::TxEvent(e) => tx(&e.transaction_info.transaction_id),
                _ => false,
            },
            Prepared::Error | Prepared::Ignored(_) => false,
        }
    }
}

impl SessionAssembler {
    /// Drops the frames of every session that ended before `before` and whose end
    /// [`drain_events`](SessionAssembler::drain_events) has reported, together with
    /// connector statuses and readings of no transaction that no remaining session can use.
    /// Returns the transaction ids dropped. Later frames of a dropped session (a replay, a
    /// late reading) are ignored and counted in `stats().forgotten`; after
    /// [`TOMBSTONE_TTL_S`] past its end a session's ids are forgotten too. Keep `before` at
    /// least 10 minutes in the past: a start looks that far back for its connector's state.
    ///
    /// ```
    /// use chargekit::session::SessionAssembler;
    /// use chargekit::meter::MeterPolicy;
    /// let mut a = SessionAssembler::new("CP-1", None, MeterPolicy::default());
    /// a.feed_log(r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
    /// [3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]
    /// [2,"e","StopTransaction",{"transactionId":7,"meterStop":500,"timestamp":"2026-03-10T08:30:00Z"}]"#).unwrap();
    /// a.drain_events().unwrap(); // started, ended
    /// assert_eq!(a.forget_ended("2026-03-10T12:00:00Z".parse().unwrap()).unwrap(), ["7"]);
    /// assert!(a.sessions().unwrap().is_empty());
    /// // A repeated StopTransaction does not bring the session back.
    /// a.feed_log(r#"[2,"e","StopTransaction",{"transactionId":7,"meterStop":500,"timestamp":"2026-03-10T08:30:00Z"}]"#).unwrap();
    /// assert!(a.sessions().unwrap().is_empty());
    /// assert_eq!(a.stats().forgotten, 1);
    /// ```
    pub fn forget_ended(&mut self, before: DateTime<Utc>) -> Result<Vec<String>, Error> {
        let ttl = Duration::seconds(TOMBSTONE_TTL_S);
        let expired = |end: &DateTime<Utc>| before.signed_duration_since(*end) > ttl;
        self.forgotten.transactions.retain(|_, end| !expired(end));
        self.forgotten.start_uids.retain(|_, end| !expired(end));
        self.forgotten.spans16.retain(|(_, _, end)| !expired(end));

        let sessions = self.sessions()?;
        let (gone, kept): (Vec<&Session>, Vec<&Session>) = sessions.iter().partition(|s| {
            s.end.is_some_and(|e| e < before) && self.reported.has_ended(&s.key.to_string())
        });
        if gone.is_empty() {
            return Ok(Vec::new());
        }
        // Statuses and loose readings before this instant serve no remaining session.
        let lookback = Duration::seconds(STATUS_LOOKBACK_S);
        let horizon = kept
            .iter()
            .map(|s| s.start - lookback)
            .chain([before - lookback])
            .min()
            .unwrap_or(before);
        let owner = |k: &FrameKey, st: &Stored| self.owner(&gone, k, st, horizon);
        let mut dropped: Vec<(FrameKey, Option<DateTime<Utc>>)> = Vec::new();
        for (k, st) in &self.calls {
            if let Some(end) = owner(k, st) {
                dropped.push((k.clone(), end));
            }
        }
        self.live = None;
        for (k, end) in dropped {
            self.calls.remove(&k);
            if let (Some(end), "StartTransaction") = (end, k.action.as_str()) {
                self.results.remove(&k.uid);
                self.forgotten.start_uids.insert(k.uid, end);
            }
        }
        let mut ids = Vec::new();
        for s in gone {
            let id = s.key.to_string();
            if let (TransactionKey::Ocpp16(_) | TransactionKey::Ocpp201(_), Some(end)) =
                (&s.key, s.end)
            {
                self.forgotten.transactions.insert(id.clone(), end);
                if let TransactionKey::Ocpp16(_) = s.key {
                    // The connector is unknown when only the stop was seen.
                    self.forgotten.spans16.push((s.connector_id, s.start, end));
                }
            }
            self.reported.forget(&id);
            ids.push(id);
        }
        Ok(ids)
    }

    /// For a frame to drop: `Some(Some(end))` when it belongs to a dropped session (ending
    /// then), `Some(None)` for a status or loose reading before `horizon`, `None` to keep it.
    fn owner(
        &self,
        gone: &[&Session],
        k: &FrameKey,
        st: &Stored,
        horizon: DateTime<Utc>,
    ) -> Option<Option<DateTime<Utc>>> {
        let by_key = |key: &TransactionKey| gone.iter().find(|s| &s.key == key).and_then(|s| s.end);
        match &k.msg {
            Decoded::Start16(s) => {
                if let Some(end) = by_key(&TransactionKey::Local(format!("start:{}", k.uid))) {
                    return Some(Some(end));
                }
                let answered = self.result_id(&k.uid).filter(|id| *id > 0);
                gone.iter()
                    .find(|g| match (&g.key, answered) {
                        (TransactionKey::Ocpp16(id), Some(a)) => *id == a,
                        // Matched by connector and time: the session starts when it does.
                        (TransactionKey::Ocpp16(_), None) => {
                            g.connector_id == Some(s.connector_id)
                                && (g.start == s.timestamp || st.received_at == Some(g.start))
                        }
                        _ => false,
                    })
                    .map(|g| g.end)
            }
            Decoded::Stop16(s) => by_key(&TransactionKey::Ocpp16(s.transaction_id)).map(Some),
            Decoded::Meter16(m) => match m.transaction_id {
                Some(id) if id > 0 => by_key(&TransactionKey::Ocpp16(id)).map(Some),
                // Offline placeholders joined the session whose window holds them.
                Some(_) => gone
                    .iter()
                    .find(|g| {
                        g.connector_id == Some(m.connector_id)
                            && m.meter_value.iter().all(|mv| {
                                mv.timestamp
                                    >= g.start - Duration::seconds(super::START_MATCH_SLACK_S)
                                    && g.end.is_none_or(|e| mv.timestamp <= e)
                            })
                    })
                    .map(|g| g.end),
                None => m
                    .meter_value
                    .iter()
                    .all(|mv| mv.timestamp < horizon)
                    .then_some(None),
            },
            Decoded::TxEvent(e) => by_key(&TransactionKey::Ocpp201(
                e.transaction_info.transaction_id.clone(),
            ))
            .map(Some),
            Decoded::Meter201(m) => m
                .meter_value
                .iter()
                .all(|mv| mv.timestamp < horizon)
                .then_some(None),
            Decoded::Status16(s) => (s.timestamp.or(st.received_at)? < horizon).then_some(None),
            Decoded::Status201(s) => (s.timestamp < horizon).then_some(None),
        }
    }
}
