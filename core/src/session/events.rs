//! What changed in a station's sessions since the last look: the events a backend pushes to
//! apps instead of diffing snapshots.
//!
//! The assembler remembers what it last reported of each session (energy, power, state,
//! state of charge, the anomalies, whether it ended); [`Reported::changes`] compares the
//! sessions of now with that and yields the events in order: per session, in start order,
//! `started`, then each new `anomaly`, then `updated`, then `ended`. A session that no longer
//! exists (its frames now form another session, e.g. a start matched once its transaction
//! id arrived) is `withdrawn`.

use super::{Session, SessionState};
use crate::enums::wire_enum;
use crate::meter::Anomaly;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

wire_enum! {
    /// What happened to a session.
    ///
    /// ```
    /// use chargekit::session::SessionEventKind;
    /// assert_eq!(SessionEventKind::Started.as_str(), "started");
    /// ```
    pub enum SessionEventKind {
        /// A session appeared.
        Started = "started",
        /// Its energy, power, state or state of charge changed.
        Updated = "updated",
        /// An anomaly was raised on it (see the event's `anomaly`).
        Anomaly = "anomaly",
        /// It ended; the event holds the final session. Reported once per session.
        Ended = "ended",
        /// A session reported earlier no longer exists: its frames now belong to another one.
        Withdrawn = "withdrawn",
    }
}

/// One change, with the session as it is after it.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent {
    /// What happened.
    pub kind: SessionEventKind,
    /// The station.
    pub station_id: String,
    /// The session's transaction id (`TransactionKey` as text).
    pub transaction_id: String,
    /// The session after the change; `None` for `withdrawn` (it no longer exists). Shared
    /// by the events of one session in one drain.
    pub session: Option<Arc<Session>>,
    /// For [`SessionEventKind::Anomaly`]: the anomaly raised.
    pub anomaly: Option<Anomaly>,
}

/// What was last reported of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Seen {
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    energy_wh: Decimal,
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    power_w: Option<Decimal>,
    state: SessionState,
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    soc: Option<Decimal>,
    ended: bool,
    end: Option<DateTime<Utc>>,
    anomalies: BTreeSet<Anomaly>,
}

impl Seen {
    fn of(s: &Session) -> Self {
        Seen {
            energy_wh: s.energy_wh,
            power_w: s.current_power_w,
            state: s.state(),
            soc: s.soc_end,
            ended: s.is_ended(),
            end: s.end,
            anomalies: s.anomalies.iter().cloned().collect(),
        }
    }

    fn values_differ(&self, s: &Session) -> bool {
        (self.energy_wh, self.power_w, self.state, self.soc)
            != (s.energy_wh, s.current_power_w, s.state(), s.soc_end)
    }
}

/// What the assembler has reported so far, by transaction id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct Reported(BTreeMap<String, Seen>);

impl Reported {
    /// The events that turn what was reported into `now`, which becomes what was reported.
    /// With `complete`, `now` holds every session and the ones missing are withdrawn;
    /// otherwise it holds the sessions that may have changed.
    pub(super) fn changes(
        &mut self,
        station_id: &str,
        now: Vec<Arc<Session>>,
        complete: bool,
    ) -> Vec<SessionEvent> {
        let mut out = Vec::new();
        let event = |kind, s: &Arc<Session>, anomaly| SessionEvent {
            kind,
            station_id: station_id.to_string(),
            transaction_id: s.key.to_string(),
            session: Some(Arc::clone(s)),
            anomaly,
        };
        let present: BTreeSet<String> = now.iter().map(|s| s.key.to_string()).collect();
        let gone: Vec<String> = self
            .0
            .keys()
            .filter(|k| complete && !present.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            self.0.remove(&key);
            out.push(SessionEvent {
                kind: SessionEventKind::Withdrawn,
                station_id: station_id.to_string(),
                transaction_id: key,
                session: None,
                anomaly: None,
            });
        }
        for s in &now {
            let key = s.key.to_string();
            let before = self.0.get(&key);
            if before.is_none() {
                out.push(event(SessionEventKind::Started, s, None));
            }
            let known = before.map(|b| &b.anomalies);
            for a in &s.anomalies {
                if known.is_none_or(|k| !k.contains(a)) {
                    out.push(event(SessionEventKind::Anomaly, s, Some(a.clone())));
                }
            }
            if before.is_some_and(|b| b.values_differ(s)) {
                out.push(event(SessionEventKind::Updated, s, None));
            }
            let was_ended = before.is_some_and(|b| b.ended);
            if s.is_ended() && !was_ended {
                out.push(event(SessionEventKind::Ended, s, None));
            }
            let mut seen = Seen::of(s);
            // Once ended, always reported as ended: `ended` comes once per session.
            seen.ended |= was_ended;
            self.0.insert(key, seen);
        }
        out
    }

    /// The earliest end among the sessions reported as ended.
    pub(super) fn earliest_end(&self) -> Option<DateTime<Utc>> {
        self.0
            .values()
            .filter(|s| s.ended)
            .filter_map(|s| s.end)
            .min()
    }

    /// Whether the session's `ended` event has been reported.
    pub(super) fn has_ended(&self, transaction_id: &str) -> bool {
        self.0.get(transaction_id).is_some_and(|s| s.ended)
    }

    /// Forgets a session dropped after its retention: it goes without a `withdrawn` event.
    pub(super) fn forget(&mut self, transaction_id: &str) {
        self.0.remove(transaction_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::MeterPolicy;
    use crate::session::SessionAssembler;

    fn log(frames: &[&str]) -> Vec<Arc<Session>> {
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        a.feed_log(&frames.join("\n")).unwrap_or_default();
        a.sessions()
            .unwrap_or_default()
            .into_iter()
            .map(Arc::new)
            .collect()
    }

    const START: &str = r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]"#;
    const RESULT: &str = r#"[3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#;
    const METER: &str = r#"[2,"m","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:10:00Z","sampledValue":[{"value":"3000"}]}]}]"#;
    const STOP: &str = r#"[2,"e","StopTransaction",{"transactionId":7,"meterStop":4000,"timestamp":"2026-03-10T08:20:00Z"}]"#;

    fn kinds(events: &[SessionEvent]) -> Vec<&'static str> {
        events.iter().map(|e| e.kind.as_str()).collect()
    }

    #[test]
    fn started_updated_ended_once() {
        let mut r = Reported::default();
        assert_eq!(
            kinds(&r.changes("CP", log(&[START, RESULT]), true)),
            ["started"]
        );
        assert!(r.changes("CP", log(&[START, RESULT]), true).is_empty());
        assert_eq!(
            kinds(&r.changes("CP", log(&[START, RESULT, METER]), true)),
            ["updated"]
        );
        let end = r.changes("CP", log(&[START, RESULT, METER, STOP]), true);
        assert_eq!(kinds(&end), ["updated", "ended"]);
        assert_eq!(
            end[1].session.as_ref().map(|s| s.energy_wh),
            Some(Decimal::from(3000))
        );
        assert!(r
            .changes("CP", log(&[START, RESULT, METER, STOP]), true)
            .is_empty());
    }

    #[test]
    fn a_local_session_matched_later_is_withdrawn() {
        let mut r = Reported::default();
        // Without the CALLRESULT and without evidence the start is a local session.
        assert_eq!(kinds(&r.changes("CP", log(&[START]), true)), ["started"]);
        let later = r.changes("CP", log(&[START, RESULT]), true);
        assert_eq!(kinds(&later), ["withdrawn", "started"]);
        assert_eq!(later[0].transaction_id, "local:start:s");
        assert_eq!(later[1].transaction_id, "7");
    }
}
