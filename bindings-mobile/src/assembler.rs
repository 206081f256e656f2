//! Reading OCPP messages into sessions: the one-shot functions and the live
//! `SessionAssembler`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chargekit::meter::{Anomaly, MeterPolicy, Reading};
use chargekit::ocpp::OcppVersion;
use chargekit::session::{
    sessions_from_log, AssemblerStats as CoreStats, Fleet as CoreFleet,
    SessionAssembler as CoreAssembler, SessionEvent as CoreEvent, SessionEventKind,
};

use crate::session::{wrap_all, Session};
use crate::types::UtcInstant;
use crate::{guarded, ChargekitError};

fn parse_version(version: Option<String>) -> Result<Option<OcppVersion>, ChargekitError> {
    guarded(|| version.map(|v| v.parse::<OcppVersion>()).transpose())
}

/// All sessions in OCPP-J text (one frame, a JSON array of frames, or one frame
/// per line), ordered by start time. `version` is `"1.6"` or `"2.0.1"`; null
/// tells it from the messages. A null policy is `defaultMeterPolicy()`.
#[uniffi::export(default(version = None, policy = None))]
pub fn sessions_from_messages(
    messages: String,
    version: Option<String>,
    station_id: String,
    policy: Option<MeterPolicy>,
) -> Result<Vec<Arc<Session>>, ChargekitError> {
    let version = parse_version(version)?;
    let policy = policy.unwrap_or_default();
    guarded(|| sessions_from_log(&station_id, &messages, version, &policy)).map(wrap_all)
}

/// The one session of text that must hold exactly one; else `NotExactlyOneSession`.
#[uniffi::export(default(version = None, policy = None))]
pub fn session_from_messages(
    messages: String,
    version: Option<String>,
    station_id: String,
    policy: Option<MeterPolicy>,
) -> Result<Arc<Session>, ChargekitError> {
    let version = parse_version(version)?;
    let policy = policy.unwrap_or_default();
    guarded(|| {
        let mut assembler = CoreAssembler::new(station_id, version, policy);
        assembler.feed_log(&messages)?;
        assembler.single_session()
    })
    .map(|s| Arc::new(Session::from(s)))
}

/// Counters about the input of an assembler (not about any session).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AssemblerStats {
    /// Frames fed, including repeats.
    pub frames_fed: u64,
    /// Frames identical to one already fed, collapsed.
    pub redelivered: u64,
    /// CALLs of actions without session data (Heartbeat, BootNotification, …), by action.
    pub ignored_actions: HashMap<String, u64>,
    /// CALLERROR frames seen.
    pub call_errors: u64,
    /// Frames of sessions already dropped after their retention, ignored.
    pub forgotten: u64,
}

impl From<&CoreStats> for AssemblerStats {
    fn from(s: &CoreStats) -> Self {
        AssemblerStats {
            frames_fed: s.frames_fed,
            redelivered: s.redelivered,
            ignored_actions: s.ignored_actions.clone().into_iter().collect(),
            call_errors: s.call_errors,
            forgotten: s.forgotten,
        }
    }
}

/// The incremental, order-independent session reducer for one station: feed
/// messages as they arrive (one frame at a time, or many), in any order, any
/// number of times, and read the sessions at any moment. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct SessionAssembler {
    inner: Mutex<CoreAssembler>,
}

/// The state behind a mutex. A panic is caught inside the lock (see `guarded`), so the
/// mutex is never poisoned by core; recover the state anyway rather than fail forever.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SessionAssembler {
    fn lock(&self) -> MutexGuard<'_, CoreAssembler> {
        lock(&self.inner)
    }
}

#[uniffi::export]
impl SessionAssembler {
    /// A reducer for one station. `version` is `"1.6"` or `"2.0.1"`; null tells it
    /// from the first message that shows it. A null policy is `defaultMeterPolicy()`.
    #[uniffi::constructor(default(version = None, policy = None))]
    pub fn new(
        station_id: String,
        version: Option<String>,
        policy: Option<MeterPolicy>,
    ) -> Result<Self, ChargekitError> {
        let version = parse_version(version)?;
        Ok(Self {
            inner: Mutex::new(CoreAssembler::new(
                station_id,
                version,
                policy.unwrap_or_default(),
            )),
        })
    }

    /// Feeds OCPP-J text (one frame, an array of frames, or one per line) and returns
    /// how many frames were read. All or nothing: on error nothing of this text is applied.
    pub fn feed(&self, messages: String) -> Result<u64, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| inner.feed_log(&messages)).map(|n| u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// All sessions so far, ordered by start time.
    pub fn sessions(&self) -> Result<Vec<Arc<Session>>, ChargekitError> {
        let inner = self.lock();
        guarded(|| inner.sessions()).map(wrap_all)
    }

    /// The session fed so far: null before the first transaction, `NotExactlyOneSession`
    /// when there are several.
    pub fn session(&self) -> Result<Option<Arc<Session>>, ChargekitError> {
        let inner = self.lock();
        guarded(|| inner.current_session()).map(|s| s.map(|s| Arc::new(Session::from(s))))
    }

    /// What happened since the last call, in order: per session `STARTED`, each new
    /// `ANOMALY`, `UPDATED` (energy, power, state or state of charge changed), `ENDED` (once,
    /// with the final session); `WITHDRAWN` when a session reported earlier no longer
    /// exists. Kept in checkpoints.
    pub fn drain_events(&self) -> Result<Vec<Arc<SessionEvent>>, ChargekitError> {
        let mut inner = self.lock();
        let events = guarded(|| inner.drain_events())?;
        Ok(events
            .into_iter()
            .map(|e| Arc::new(SessionEvent(e)))
            .collect())
    }

    /// Input counters: frames fed, redelivered, ignored by action, CALLERRORs, forgotten.
    pub fn stats(&self) -> AssemblerStats {
        AssemblerStats::from(self.lock().stats())
    }

    /// Readings that belong to no transaction (e.g. 2.0.1 `MeterValues`), by station time.
    pub fn unassigned_readings(&self) -> Result<Vec<Reading>, ChargekitError> {
        let inner = self.lock();
        guarded(|| Ok::<_, ChargekitError>(inner.unassigned_readings()))
    }

    /// Drops the frames of sessions that ended before `before` and whose `ENDED` event was
    /// drained (late or repeated frames of them are then ignored); returns their ids.
    pub fn forget_ended(&self, before: UtcInstant) -> Result<Vec<String>, ChargekitError> {
        let mut inner = self.lock();
        guarded(|| inner.forget_ended(before))
    }

    /// A checkpoint of everything fed so far (a versioned byte format, see the checkpoints
    /// section of docs/metering.md); `SessionAssembler.restore` rebuilds it.
    pub fn snapshot(&self) -> Vec<u8> {
        self.lock().snapshot()
    }

    /// The assembler a `snapshot()` was taken of. Damaged bytes are `InvalidSnapshot`;
    /// another format version is `UnsupportedSnapshotVersion`.
    #[uniffi::constructor]
    pub fn restore(data: Vec<u8>) -> Result<Self, ChargekitError> {
        let inner = guarded(|| CoreAssembler::restore(&data))?;
        Ok(Self {
            inner: Mutex::new(inner),
        })
    }

    /// The OCPP version, once known: `"1.6"` or `"2.0.1"`.
    pub fn version(&self) -> Option<String> {
        self.lock().version().map(|v| v.to_string())
    }
}

fn wrap_events(events: Vec<CoreEvent>) -> Vec<Arc<SessionEvent>> {
    events
        .into_iter()
        .map(|e| Arc::new(SessionEvent(e)))
        .collect()
}

/// The assemblers of many stations behind one object: frames routed by station id, events
/// of every station fed since the last look, ended sessions dropped after a retention, one
/// checkpoint for all. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct Fleet {
    inner: Mutex<CoreFleet>,
}

#[uniffi::export]
impl Fleet {
    /// An empty fleet; `version` and `policy` as for `SessionAssembler`. An ended session
    /// is dropped `retentionS` seconds after its end (by the latest station time seen),
    /// once its `ENDED` event was drained.
    #[uniffi::constructor(default(version = None, policy = None, retention_s = 86400))]
    pub fn new(
        version: Option<String>,
        policy: Option<MeterPolicy>,
        retention_s: u64,
    ) -> Result<Self, ChargekitError> {
        let version = parse_version(version)?;
        let fleet = CoreFleet::new(version, policy.unwrap_or_default(), retention_s);
        Ok(Self {
            inner: Mutex::new(fleet),
        })
    }

    /// Feeds OCPP-J text from one station; all or nothing. Returns the frames read.
    pub fn feed(&self, station_id: String, messages: String) -> Result<u64, ChargekitError> {
        let mut inner = lock(&self.inner);
        guarded(|| inner.feed(&station_id, &messages)).map(|n| u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// The events of every station fed since the last call, station by station.
    pub fn drain_events(&self) -> Result<Vec<Arc<SessionEvent>>, ChargekitError> {
        let mut inner = lock(&self.inner);
        guarded(|| inner.drain_events()).map(wrap_events)
    }

    /// The sessions of one station (empty for a station never fed).
    pub fn sessions(&self, station_id: String) -> Result<Vec<Arc<Session>>, ChargekitError> {
        let inner = lock(&self.inner);
        guarded(|| inner.sessions(&station_id)).map(wrap_all)
    }

    /// Every open session of every station.
    pub fn open_sessions(&self) -> Result<Vec<Arc<Session>>, ChargekitError> {
        let inner = lock(&self.inner);
        guarded(|| inner.open_sessions()).map(wrap_all)
    }

    /// The station ids fed so far.
    pub fn station_ids(&self) -> Vec<String> {
        lock(&self.inner).station_ids()
    }

    /// A checkpoint of the whole fleet.
    pub fn snapshot(&self) -> Vec<u8> {
        lock(&self.inner).snapshot()
    }

    /// The fleet a `snapshot()` was taken of; damaged bytes are `InvalidSnapshot`.
    #[uniffi::constructor]
    pub fn restore(data: Vec<u8>) -> Result<Self, ChargekitError> {
        let inner = guarded(|| CoreFleet::restore(&data))?;
        Ok(Self {
            inner: Mutex::new(inner),
        })
    }
}

/// One change to a station's sessions, from `SessionAssembler.drainEvents()`.
#[derive(Debug, uniffi::Object)]
pub struct SessionEvent(CoreEvent);

#[uniffi::export]
impl SessionEvent {
    /// What happened.
    pub fn kind(&self) -> SessionEventKind {
        self.0.kind
    }

    /// The station.
    pub fn station_id(&self) -> String {
        self.0.station_id.clone()
    }

    /// The session's transaction id.
    pub fn transaction_id(&self) -> String {
        self.0.transaction_id.clone()
    }

    /// The session after the change; null for `WITHDRAWN`.
    pub fn session(&self) -> Option<Arc<Session>> {
        self.0
            .session
            .as_deref()
            .map(|s| Arc::new(Session::from(s.clone())))
    }

    /// The anomaly raised, for `ANOMALY`.
    pub fn anomaly(&self) -> Option<Anomaly> {
        self.0.anomaly.clone()
    }
}
