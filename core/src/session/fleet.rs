//! A fleet: the assemblers of many stations behind one object. Frames are routed by station
//! id, events come from every station fed since the last look, ended sessions are dropped
//! after a retention so that memory follows the open sessions, and one checkpoint holds the
//! lot.

use super::snapshot::{self, State};
use super::{Session, SessionAssembler, SessionEvent, SessionEventKind};
use crate::meter::MeterPolicy;
use crate::ocpp::{FrameInput, OcppVersion, ReceivedFrame};
use crate::Error;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The retention of ended sessions when none is given: one day, in seconds.
pub const DEFAULT_RETENTION_S: u64 = 24 * 3600;

/// The assemblers of many stations.
///
/// ```
/// use chargekit::session::{Fleet, SessionEventKind};
/// use chargekit::meter::MeterPolicy;
/// let mut fleet = Fleet::new(None, MeterPolicy::default(), 3600);
/// fleet.feed("CP-1", r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
/// [3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#).unwrap();
/// fleet.feed("CP-2", r#"[2,"a","TransactionEvent",{"eventType":"Started","timestamp":"2026-03-10T08:05:00Z",
///   "triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"T1"},"evse":{"id":1}}]"#).unwrap();
/// let events = fleet.drain_events().unwrap();
/// let started: Vec<_> = events.iter().map(|e| (e.station_id.as_str(), e.kind)).collect();
/// assert_eq!(started, [("CP-1", SessionEventKind::Started), ("CP-2", SessionEventKind::Started)]);
/// assert_eq!(fleet.open_sessions().unwrap().len(), 2);
/// let again = Fleet::restore(&fleet.snapshot()).unwrap();
/// assert_eq!(again.open_sessions().unwrap(), fleet.open_sessions().unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct Fleet {
    version: Option<OcppVersion>,
    policy: MeterPolicy,
    retention_s: u64,
    stations: BTreeMap<String, SessionAssembler>,
    /// Stations fed since the last drain, in the order they were first fed then.
    pending: Vec<String>,
    /// The same stations, for a membership test that does not grow with the fleet.
    pending_set: BTreeSet<String>,
    /// When each station next has an ended session to drop.
    expiry: BTreeSet<(DateTime<Utc>, String)>,
    /// The latest station time reported in any event: the clock retention runs on.
    clock: Option<DateTime<Utc>>,
}

/// What a fleet checkpoint holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FleetState {
    version: Option<OcppVersion>,
    policy: MeterPolicy,
    retention_s: u64,
    pending: Vec<String>,
    clock: Option<DateTime<Utc>>,
    stations: Vec<State>,
}

impl Fleet {
    /// An empty fleet. `version` (None: told per station from its messages) and `policy`
    /// apply to every station; an ended session is dropped `retention_s` after its end,
    /// once its `ended` event has been drained.
    pub fn new(version: Option<OcppVersion>, policy: MeterPolicy, retention_s: u64) -> Self {
        Fleet {
            version,
            policy,
            retention_s,
            stations: BTreeMap::new(),
            pending: Vec::new(),
            pending_set: BTreeSet::new(),
            expiry: BTreeSet::new(),
            clock: None,
        }
    }

    /// Feeds OCPP-J text (one frame, an array, or one frame or envelope per line) from one
    /// station; all or nothing, as [`SessionAssembler::feed_log`]. Returns the frames read.
    pub fn feed(&mut self, station_id: &str, text: &str) -> Result<usize, Error> {
        self.feed_input(station_id, FrameInput::Text(text))
    }

    /// Feeds frames as text or as parsed JSON from one station; all or nothing, as
    /// [`SessionAssembler::feed_input`]. Returns the frames read.
    pub fn feed_input(&mut self, station_id: &str, input: FrameInput<'_>) -> Result<usize, Error> {
        let n = self.station(station_id).feed_input(input)?;
        self.touch(station_id);
        Ok(n)
    }

    /// Feeds parsed OCPP-J (a frame, an envelope, or an array of them) from one station; all
    /// or nothing, as [`SessionAssembler::feed_value`]. Returns the frames read.
    pub fn feed_value(
        &mut self,
        station_id: &str,
        value: &serde_json::Value,
    ) -> Result<usize, Error> {
        self.feed_input(station_id, FrameInput::Json(value))
    }

    /// Feeds frames from one station; all or nothing, as
    /// [`SessionAssembler::feed_frames`]. Returns the frames read.
    pub fn feed_frames(
        &mut self,
        station_id: &str,
        frames: Vec<ReceivedFrame>,
    ) -> Result<usize, Error> {
        let n = self.station(station_id).feed_frames(frames)?;
        self.touch(station_id);
        Ok(n)
    }

    fn station(&mut self, station_id: &str) -> &mut SessionAssembler {
        let (version, policy) = (self.version, &self.policy);
        self.stations
            .entry(station_id.to_string())
            .or_insert_with(|| SessionAssembler::new(station_id, version, policy.clone()))
    }

    fn touch(&mut self, station_id: &str) {
        if !self.pending_set.contains(station_id) {
            self.pending_set.insert(station_id.to_string());
            self.pending.push(station_id.to_string());
        }
    }

    /// The events of every station fed since the last call, station by station in the order
    /// they were fed (each station's in order, as [`SessionAssembler::drain_events`]). Each
    /// ended session is reported once. Afterwards, sessions that ended more than the
    /// retention before the latest station time seen are dropped.
    pub fn drain_events(&mut self) -> Result<Vec<SessionEvent>, Error> {
        let mut out = Vec::new();
        self.pending_set.clear();
        for id in std::mem::take(&mut self.pending) {
            let Some(a) = self.stations.get_mut(&id) else {
                continue;
            };
            let events = a.drain_events()?;
            for e in &events {
                if let Some(s) = &e.session {
                    self.clock = Some(self.clock.map_or(s.last_seen, |c| c.max(s.last_seen)));
                }
            }
            if events.iter().any(|e| e.kind == SessionEventKind::Ended) {
                self.schedule(&id);
            }
            out.extend(events);
        }
        self.expire()?;
        Ok(out)
    }

    fn retention(&self) -> Duration {
        Duration::try_seconds(i64::try_from(self.retention_s).unwrap_or(i64::MAX))
            .unwrap_or(Duration::MAX)
    }

    /// Files the station under the time its first reported-ended session may go.
    fn schedule(&mut self, id: &str) {
        self.expiry.retain(|(_, s)| s != id);
        let retention = self.retention();
        let due = self
            .stations
            .get(id)
            .and_then(|a| a.earliest_reported_end());
        if let Some(due) = due.and_then(|e| e.checked_add_signed(retention)) {
            self.expiry.insert((due, id.to_string()));
        }
    }

    /// Drops what the retention lets go, station by station as they fall due.
    fn expire(&mut self) -> Result<(), Error> {
        let Some(now) = self.clock else {
            return Ok(());
        };
        // Sessions that ended at `before` or earlier go (`forget_ended` takes a strict bound).
        let before = now
            .checked_sub_signed(self.retention())
            .and_then(|b| b.checked_add_signed(Duration::nanoseconds(1)))
            .unwrap_or(now);
        // Each station due is handled once per drain, so no reschedule can loop.
        let due: Vec<String> = self
            .expiry
            .iter()
            .take_while(|(at, _)| *at <= now)
            .map(|(_, id)| id.clone())
            .collect();
        for id in due {
            if let Some(a) = self.stations.get_mut(&id) {
                a.forget_ended(before)?;
            }
            self.schedule(&id);
        }
        Ok(())
    }

    /// The sessions of one station (none for a station never fed).
    pub fn sessions(&self, station_id: &str) -> Result<Vec<Session>, Error> {
        self.stations
            .get(station_id)
            .map_or(Ok(Vec::new()), SessionAssembler::sessions)
    }

    /// Every open session of every station, by station id, then start.
    pub fn open_sessions(&self) -> Result<Vec<Session>, Error> {
        let mut out = Vec::new();
        for a in self.stations.values() {
            out.extend(a.sessions()?.into_iter().filter(|s| !s.is_ended()));
        }
        Ok(out)
    }

    /// The station ids fed so far.
    pub fn station_ids(&self) -> Vec<String> {
        self.stations.keys().cloned().collect()
    }

    /// The assembler of one station, if it was fed.
    pub fn assembler(&self, station_id: &str) -> Option<&SessionAssembler> {
        self.stations.get(station_id)
    }

    /// A checkpoint of the whole fleet (the assembler format with the magic `CKSF`; see
    /// [`SessionAssembler::snapshot`]).
    pub fn snapshot(&self) -> Vec<u8> {
        snapshot::encode(
            snapshot::FLEET,
            &FleetState {
                version: self.version,
                policy: self.policy.clone(),
                retention_s: self.retention_s,
                pending: self.pending.clone(),
                clock: self.clock,
                stations: self
                    .stations
                    .values()
                    .map(SessionAssembler::state)
                    .collect(),
            },
        )
    }

    /// The fleet a [`Fleet::snapshot`] was taken of; errors as [`SessionAssembler::restore`].
    pub fn restore(bytes: &[u8]) -> Result<Self, Error> {
        let state: FleetState = snapshot::decode(snapshot::FLEET, bytes)?;
        let mut fleet = Fleet::new(state.version, state.policy, state.retention_s);
        fleet.clock = state.clock;
        for s in state.stations {
            let a = SessionAssembler::from_state(s)?;
            let id = a.station_id().to_string();
            if fleet.stations.insert(id.clone(), a).is_some() {
                return Err(Error::InvalidSnapshot {
                    reason: format!("station {id} is stored twice"),
                });
            }
        }
        for id in state.pending {
            if !fleet.stations.contains_key(&id) {
                return Err(Error::InvalidSnapshot {
                    reason: format!("pending station {id} has no assembler"),
                });
            }
            fleet.touch(&id);
        }
        let ids = fleet.station_ids();
        for id in ids {
            fleet.schedule(&id);
        }
        Ok(fleet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(uid: &str, tx: i64, at: &str) -> String {
        format!(
            r#"[2,"{uid}","StartTransaction",{{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"{at}"}}]
[3,"{uid}",{{"transactionId":{tx},"idTagInfo":{{"status":"Accepted"}}}}]"#
        )
    }

    fn stop(uid: &str, tx: i64, wh: i64, at: &str) -> String {
        format!(
            r#"[2,"{uid}","StopTransaction",{{"transactionId":{tx},"meterStop":{wh},"timestamp":"{at}"}}]"#
        )
    }

    fn kinds(events: &[SessionEvent]) -> Vec<(String, &'static str)> {
        events
            .iter()
            .map(|e| {
                (
                    format!("{}/{}", e.station_id, e.transaction_id),
                    e.kind.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn ended_sessions_are_reported_once_and_dropped_after_the_retention() -> Result<(), Error> {
        let mut f = Fleet::new(None, MeterPolicy::default(), 3600);
        f.feed("A", &start("s1", 1, "2026-03-10T08:00:00Z"))?;
        f.feed("A", &stop("e1", 1, 500, "2026-03-10T08:30:00Z"))?;
        f.feed("B", &start("s2", 2, "2026-03-10T08:10:00Z"))?;
        let first = f.drain_events()?;
        assert_eq!(
            kinds(&first),
            [
                ("A/1".into(), "started"),
                ("A/1".into(), "ended"),
                ("B/2".into(), "started")
            ]
        );
        // Two hours later (by B's clock) A's session goes; a replayed stop does not revive it.
        f.feed("B", &stop("e2", 2, 900, "2026-03-10T10:45:00Z"))?;
        assert_eq!(
            kinds(&f.drain_events()?),
            [("B/2".into(), "updated"), ("B/2".into(), "ended")]
        );
        assert!(f.sessions("A")?.is_empty());
        f.feed("A", &stop("e1", 1, 500, "2026-03-10T08:30:00Z"))?;
        assert!(f.drain_events()?.is_empty());
        assert_eq!(f.assembler("A").map(|a| a.stats().forgotten), Some(1));
        // B's session ended within the retention: still there, and still in checkpoints.
        let g = Fleet::restore(&f.snapshot())?;
        assert_eq!(g.sessions("B")?, f.sessions("B")?);
        assert!(g.clone().drain_events()?.is_empty());
        Ok(())
    }

    #[test]
    fn damaged_fleet_checkpoints_are_errors() {
        let mut f = Fleet::new(None, MeterPolicy::default(), 60);
        assert!(f.feed("A", &start("s1", 1, "2026-03-10T08:00:00Z")).is_ok());
        let bytes = f.snapshot();
        assert!(matches!(
            SessionAssembler::restore(&bytes),
            Err(Error::InvalidSnapshot { .. })
        ));
        let mut cut = bytes.clone();
        cut.pop();
        assert!(matches!(
            Fleet::restore(&cut),
            Err(Error::InvalidSnapshot { .. })
        ));
    }
}
