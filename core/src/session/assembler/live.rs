//! The sessions kept current between reads.
//!
//! After a read the assembler keeps each session with its [`Tail`]. A frame that only
//! continues an open transaction (the next MeterValues of a 1.6 transaction, the next
//! `Updated` event of a 2.0.1 one, each after everything seen before) updates that one
//! session in place; a frame that carries no session data changes nothing; any other frame
//! drops what is kept, and the next read derives every session again from the frames. Either
//! way the result is the same (property-tested), only the cost differs.

use super::{
    event_readings, floor, meter_rank16, meter_value, msg_ref_uid, readings16, state201,
    stop_reason16, stop_reason201,
};
use super::{Addition, Decoded, Ending, FrameKey, Stored, Tail};
use crate::meter::{MeterMark, MeterPolicy};
use crate::ocpp::v201::TransactionEventType;
use crate::session::{Session, TransactionKey};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The sessions of a station as of the frames fed, with what extends them.
#[derive(Debug, Clone)]
pub(super) struct Live {
    entries: BTreeMap<TransactionKey, Entry>,
    /// Sessions changed since events were last drained; `None`: all of them (after a rebuild).
    changed: Option<BTreeSet<TransactionKey>>,
    /// Every 1.6 StartTransaction has its transaction id: readings cannot change which
    /// transaction a start is matched to.
    starts_settled: bool,
    /// 1.6 readings with a placeholder transaction id (0 or less) exist: they belong to
    /// whichever session's window holds them, so an end can move them.
    loose16: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    session: Arc<Session>,
    tail: Option<Tail>,
}

impl Live {
    /// What a full derivation gave.
    pub(super) fn new(
        sessions: Vec<(Session, Option<Tail>)>,
        starts_settled: bool,
        loose16: bool,
    ) -> Self {
        let entries = sessions
            .into_iter()
            .map(|(s, tail)| {
                (
                    s.key.clone(),
                    Entry {
                        session: Arc::new(s),
                        tail,
                    },
                )
            })
            .collect();
        Live {
            entries,
            changed: None,
            starts_settled,
            loose16,
        }
    }

    /// The sessions, ordered by start time.
    pub(super) fn sessions(&self) -> Vec<Arc<Session>> {
        let mut out: Vec<Arc<Session>> = self
            .entries
            .values()
            .map(|e| Arc::clone(&e.session))
            .collect();
        sort(&mut out);
        out
    }

    /// The sessions changed since the last call (ordered by start time), and whether that is
    /// all of them because they were derived again.
    pub(super) fn take_changed(&mut self) -> (Vec<Arc<Session>>, bool) {
        match self.changed.replace(BTreeSet::new()) {
            None => (self.sessions(), true),
            Some(keys) => {
                let mut out: Vec<Arc<Session>> = keys
                    .iter()
                    .filter_map(|k| self.entries.get(k))
                    .map(|e| Arc::clone(&e.session))
                    .collect();
                sort(&mut out);
                (out, false)
            }
        }
    }

    /// Takes in a new frame; `false` when the sessions must be derived again.
    pub(super) fn extend(&mut self, key: &FrameKey, st: &Stored, policy: &MeterPolicy) -> bool {
        let (tx, add, rank) = match &key.msg {
            // Readings of no transaction and frames without session data change no session.
            Decoded::Meter16(m) if m.transaction_id.is_none() => return true,
            Decoded::Meter201(_) => return true,
            Decoded::Meter16(m) => {
                let Some(id) = m.transaction_id.filter(|id| *id > 0) else {
                    return false;
                };
                let tx = TransactionKey::Ocpp16(id);
                let same_connector = self
                    .entries
                    .get(&tx)
                    .is_some_and(|e| e.session.connector_id == Some(m.connector_id));
                if !self.starts_settled || !same_connector {
                    return false;
                }
                let readings = readings16(
                    &m.meter_value,
                    &msg_ref_uid(&key.uid, None, false),
                    st.received_at,
                    policy,
                );
                let rank = meter_rank16(m).map(Rank::Time);
                let add = Addition {
                    readings,
                    ..Addition::default()
                };
                (tx, add, rank)
            }
            Decoded::Stop16(stop) => {
                let tx = TransactionKey::Ocpp16(stop.transaction_id);
                let Some(meter_stop) = meter_value(&stop.meter_stop) else {
                    return false;
                };
                if stop.transaction_id <= 0
                    || !self.starts_settled
                    || self.loose16
                    || stop.transaction_data.is_some()
                    || stop.timestamp < floor()
                {
                    return false;
                }
                let add = Addition {
                    seen: Some(stop.timestamp),
                    end: Some(Ending {
                        at: stop.timestamp,
                        reason: Some(stop_reason16(stop)),
                        meter_stop: Some(MeterMark {
                            at: stop.timestamp,
                            wh: meter_stop,
                            message_id: key.uid.clone(),
                        }),
                        id_token: stop.id_tag.clone(),
                    }),
                    ..Addition::default()
                };
                (tx, add, Some(Rank::Time(stop.timestamp)))
            }
            Decoded::TxEvent(e)
                if matches!(
                    e.event_type,
                    TransactionEventType::Updated | TransactionEventType::Ended
                ) =>
            {
                let tx = TransactionKey::Ocpp201(e.transaction_info.transaction_id.clone());
                let Some(entry) = self.entries.get(&tx) else {
                    return false;
                };
                let s = &entry.session;
                if e.timestamp < floor()
                    || (s.evse_id.is_none() && e.evse.is_some())
                    || (s.id_token.is_none() && e.id_token.is_some())
                {
                    return false;
                }
                let readings = event_readings(&key.uid, st, e, policy);
                let end = (e.event_type == TransactionEventType::Ended).then(|| Ending {
                    at: e.timestamp,
                    reason: stop_reason201(e),
                    meter_stop: None,
                    id_token: None,
                });
                let add = Addition {
                    readings,
                    seen: Some(e.timestamp),
                    state: e.transaction_info.charging_state.map(state201),
                    time_spent_charging: e.transaction_info.time_spent_charging,
                    end,
                };
                (tx, add, Some(Rank::Event(e.seq_no, e.timestamp)))
            }
            _ => return false,
        };
        let Some(entry) = self.entries.get_mut(&tx) else {
            return false;
        };
        let Some(tail) = entry.tail.as_mut() else {
            return false;
        };
        // The message must come after every other of its transaction, by station order
        // (time or seqNo) and by arrival, or it would be reported out of order.
        let stream = &mut tail.stream;
        let follows = match rank {
            None => true,
            Some(Rank::Time(t)) => stream.latest_time.is_none_or(|l| t >= l),
            Some(Rank::Event(seq, t)) => stream
                .last_event
                .is_some_and(|(last, at)| seq == last + 1 && t >= at),
        };
        if !follows || (rank.is_some() && !stream.arrives_last(st.received_at)) {
            return false;
        }
        // A session about to pass its size limit is derived again, which reports it.
        if entry.session.readings.len() + add.readings.len() > crate::limits::MAX_SESSION_READINGS {
            return false;
        }
        let before = *stream;
        let ends = add.end.is_some();
        if !tail.extend(Arc::make_mut(&mut entry.session), add, policy) {
            return false;
        }
        if ends {
            entry.tail = None;
            self.mark(tx);
            return true;
        }
        let stream = &mut tail.stream;
        debug_assert_eq!(
            *stream, before,
            "extending a session leaves its stream alone"
        );
        if let Some(rank) = rank {
            match rank {
                Rank::Time(t) => stream.latest_time = stream.latest_time.max(Some(t)),
                Rank::Event(seq, t) => stream.last_event = Some((seq, t)),
            }
            stream.all_received &= st.received_at.is_some();
            stream.latest_received = stream.latest_received.max(st.received_at);
        }
        self.mark(tx);
        true
    }

    fn mark(&mut self, tx: TransactionKey) {
        if let Some(changed) = self.changed.as_mut() {
            changed.insert(tx);
        }
    }
}

/// Where a message stands among its transaction's: station time (1.6), seqNo and time (2.0.1).
#[derive(Clone, Copy)]
enum Rank {
    Time(chrono::DateTime<chrono::Utc>),
    Event(u64, chrono::DateTime<chrono::Utc>),
}

fn sort(sessions: &mut [Arc<Session>]) {
    sessions.sort_by(|a, b| a.start.cmp(&b.start).then(a.key.cmp(&b.key)));
}
