//! `chargekit.ocpp`: OCPP messages → sessions, through the core `SessionAssembler`
//! (`SessionAssembler`, `SessionEvent`, `Fleet`, `sessions_from_messages`, `session_from_messages`).

use crate::convert::{self, Int, Text};
use crate::errors::{detached, guarded, CoreResult};
use crate::policy;
use crate::records::{list_to_py, to_py};
use crate::session::PySession;
use crate::Any;
use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{Fleet, Session, SessionAssembler, SessionEvent, DEFAULT_RETENTION_S};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// `version=` (`"1.6"`, `"2.0.1"` or None: told from the messages), parsed by the core, and
/// `policy=` (see [`policy::extract`]).
fn setup(v: Option<Text>, p: Option<&Any<'_>>) -> PyResult<(Option<OcppVersion>, MeterPolicy)> {
    let version = guarded(|| v.as_deref().map(str::parse::<OcppVersion>).transpose())?;
    Ok((version, policy::extract(p)?))
}

fn wrap(sessions: Vec<Session>) -> Vec<PySession> {
    sessions.into_iter().map(PySession).collect()
}

fn events(events: Vec<SessionEvent>) -> Vec<PySessionEvent> {
    events.into_iter().map(PySessionEvent).collect()
}

/// The one-shot calls, which share their arguments: `$name` runs the messages through a
/// fresh assembler outside the GIL, then `$result` reads its result off the assembler `$a`.
macro_rules! from_messages {
    ($(#[$doc:meta])* $name:ident -> $ret:ty = |$a:ident| $result:expr) => {
        $(#[$doc])*
        #[pyfunction]
        #[pyo3(signature = (messages, version=None, *, station_id=Text("station".into()), policy=None), text_signature = "(messages, version=None, *, station_id='station', policy=None)")]
        pub fn $name(
            messages: &Any<'_>,
            version: Option<Text>,
            station_id: Text,
            policy: Option<&Any<'_>>,
        ) -> PyResult<$ret> {
            let input = convert::messages(messages)?;
            let (version, policy) = setup(version, policy)?;
            Ok(detached(messages.py(), move || {
                let mut a = SessionAssembler::new(station_id.0, version, policy);
                a.feed_log(&input)?;
                let $a = &a;
                $result
            })?)
        }
    };
}

from_messages! {
    /// All sessions in the messages, ordered by start time.
    ///
    /// ``messages``: JSON text (an array of frames, one frame, or one frame/envelope per
    /// line), or parsed frames (lists) / envelopes (dicts ``{"received_at", "frame"}``) /
    /// str lines in a list. ``version``: ``"1.6"``, ``"2.0.1"`` or None (told from the
    /// messages). ``policy``: a ``MeterPolicy``, a dict of its fields, or None.
    sessions_from_messages -> Vec<PySession> = |a| a.sessions().map(wrap)
}

from_messages! {
    /// The one session in the messages (same arguments as ``sessions_from_messages``);
    /// raises ``NotExactlyOneSessionError`` when there are none or several.
    session_from_messages -> PySession = |a| a.single_session().map(PySession)
}

/// The incremental, order-independent session reducer for one station.
///
/// Feed messages as they arrive (``feed`` is all or nothing per call) and read the
/// sessions at any time; the result depends on the set of messages, not their order.
#[pyclass(name = "SessionAssembler", module = "chargekit.ocpp")]
pub struct PySessionAssembler(SessionAssembler);

#[pymethods]
impl PySessionAssembler {
    #[new]
    #[pyo3(signature = (station_id=Text("station".into()), version=None, policy=None), text_signature = "(station_id='station', version=None, policy=None)")]
    fn new(station_id: Text, version: Option<Text>, policy: Option<&Any<'_>>) -> PyResult<Self> {
        let (version, policy) = setup(version, policy)?;
        let assembler = guarded(|| Ok(SessionAssembler::new(station_id.0, version, policy)))?;
        Ok(Self(assembler))
    }
    /// Feeds messages (same forms as ``sessions_from_messages``); returns how many frames
    /// were read. On error nothing of this call is applied.
    fn feed(&mut self, py: Python<'_>, messages: &Any<'_>) -> PyResult<usize> {
        let input = convert::messages(messages)?;
        Ok(detached(py, || self.0.feed_log(&input))?)
    }
    /// All sessions so far, ordered by start time.
    fn sessions(&self, py: Python<'_>) -> CoreResult<Vec<PySession>> {
        detached(py, || self.0.sessions()).map(wrap)
    }
    /// The session so far: None before the first, ``NotExactlyOneSessionError`` for several.
    fn session(&self) -> CoreResult<Option<PySession>> {
        guarded(|| self.0.current_session()).map(|s| s.map(PySession))
    }
    /// Readings that belong to no transaction (e.g. 2.0.1 ``MeterValues``).
    fn unassigned_readings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_to_py(py, &guarded(|| Ok(self.0.unassigned_readings()))?)
    }
    /// Drops the frames of sessions that ended before ``before`` (aware ``datetime``) and
    /// whose ``"ended"`` event was drained; late or repeated frames of them are then ignored
    /// (``stats["forgotten"]``). Returns the transaction ids dropped.
    fn forget_ended(&mut self, py: Python<'_>, before: &Any<'_>) -> PyResult<Vec<String>> {
        let before = convert::aware_utc(before)?;
        Ok(detached(py, || self.0.forget_ended(before))?)
    }
    /// A checkpoint of everything fed so far, as ``bytes`` (a versioned format, see the
    /// checkpoints section of docs/metering.md); ``SessionAssembler.restore`` rebuilds it.
    fn snapshot(&self, py: Python<'_>) -> CoreResult<Vec<u8>> {
        detached(py, || Ok(self.0.snapshot()))
    }
    /// The assembler a ``snapshot()`` was taken of. Damaged bytes raise
    /// ``InvalidSnapshotError``; another format version ``UnsupportedSnapshotVersionError``.
    #[staticmethod]
    fn restore(py: Python<'_>, data: &[u8]) -> CoreResult<Self> {
        detached(py, || SessionAssembler::restore(data)).map(Self)
    }
    /// What happened since the last call, in order (``SessionEvent`` objects): per session
    /// ``"started"``, each new ``"anomaly"``, ``"updated"`` (energy, power, state or state of
    /// charge changed), ``"ended"`` (once, with the final session); ``"withdrawn"`` when a
    /// session reported earlier no longer exists. Kept in checkpoints.
    fn drain_events(&mut self, py: Python<'_>) -> CoreResult<Vec<PySessionEvent>> {
        detached(py, || self.0.drain_events()).map(events)
    }
    /// The OCPP version (``"1.6"`` / ``"2.0.1"``), or None until the messages show it.
    #[getter]
    fn version(&self) -> Option<String> {
        self.0.version().map(|v| v.to_string())
    }
    /// Input counters: ``frames_fed``, ``redelivered``, ``ignored_actions`` (by action),
    /// ``call_errors``.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        crate::records::to_plain(py, &self.0.stats())
    }
    fn __repr__(&self) -> String {
        let frames_fed = self.0.stats().frames_fed;
        let version = self.0.version().map_or("None".into(), |v| format!("'{v}'"));
        format!("SessionAssembler(version={version}, frames_fed={frames_fed})")
    }
}

/// One change to a station's sessions, from ``SessionAssembler.drain_events()``: ``kind``
/// (``"started"``, ``"updated"``, ``"anomaly"``, ``"ended"``, ``"withdrawn"``),
/// ``station_id``, ``transaction_id``, ``session`` (the session after the change; None for
/// ``"withdrawn"``) and ``anomaly`` (the ``Anomaly`` raised, for ``"anomaly"``).
#[pyclass(frozen, eq, name = "SessionEvent", module = "chargekit.ocpp")]
#[derive(PartialEq)]
pub struct PySessionEvent(SessionEvent);

#[pymethods]
impl PySessionEvent {
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }
    #[getter]
    fn station_id(&self) -> &str {
        &self.0.station_id
    }
    #[getter]
    fn transaction_id(&self) -> &str {
        &self.0.transaction_id
    }
    #[getter]
    fn session(&self) -> Option<PySession> {
        self.0.session.as_deref().cloned().map(PySession)
    }
    #[getter]
    fn anomaly<'py>(&self, py: Python<'py>) -> PyResult<Option<Any<'py>>> {
        self.0.anomaly.as_ref().map(|a| to_py(py, a)).transpose()
    }
    fn __repr__(&self) -> String {
        let (kind, station, tx) = (&self.0.kind, &self.0.station_id, &self.0.transaction_id);
        format!("SessionEvent(kind='{kind}', station_id={station:?}, transaction_id={tx:?})")
    }
}

/// The assemblers of many stations behind one object.
///
/// ``Fleet(version=None, policy=None, retention_s=86400)``: ``feed(station_id, frame)``
/// routes messages (any form ``SessionAssembler.feed`` takes) to that station's assembler;
/// ``drain_events()`` returns the events of every station fed since the last call (each
/// ended session once); ended sessions are dropped ``retention_s`` after their end, by the
/// latest station time seen; ``snapshot()`` / ``Fleet.restore(data)`` checkpoint it all.
#[pyclass(name = "Fleet", module = "chargekit.ocpp")]
pub struct PyFleet(Fleet);

#[pymethods]
impl PyFleet {
    #[new]
    #[pyo3(signature = (version=None, policy=None, retention_s=Int(DEFAULT_RETENTION_S)))]
    fn new(
        version: Option<Text>,
        policy: Option<&Any<'_>>,
        retention_s: Int<u64>,
    ) -> PyResult<Self> {
        let (version, policy) = setup(version, policy)?;
        let fleet = guarded(|| Ok(Fleet::new(version, policy, retention_s.0)))?;
        Ok(Self(fleet))
    }
    /// Feeds messages from one station; all or nothing. Returns how many frames were read.
    fn feed(&mut self, py: Python<'_>, station_id: Text, messages: &Any<'_>) -> PyResult<usize> {
        let input = convert::messages(messages)?;
        Ok(detached(py, || self.0.feed(&station_id, &input))?)
    }
    /// The events of every station fed since the last call (``SessionEvent`` objects).
    fn drain_events(&mut self, py: Python<'_>) -> CoreResult<Vec<PySessionEvent>> {
        detached(py, || self.0.drain_events()).map(events)
    }
    /// The sessions of one station (an empty list for a station never fed).
    fn sessions(&self, py: Python<'_>, station_id: Text) -> CoreResult<Vec<PySession>> {
        detached(py, || self.0.sessions(&station_id)).map(wrap)
    }
    /// Every open session of every station, by station id, then start.
    fn open_sessions(&self, py: Python<'_>) -> CoreResult<Vec<PySession>> {
        detached(py, || self.0.open_sessions()).map(wrap)
    }
    /// The station ids fed so far.
    #[getter]
    fn station_ids(&self) -> Vec<String> {
        self.0.station_ids()
    }
    /// A checkpoint of the whole fleet, as ``bytes``.
    fn snapshot(&self, py: Python<'_>) -> CoreResult<Vec<u8>> {
        detached(py, || Ok(self.0.snapshot()))
    }
    /// The fleet a ``snapshot()`` was taken of; damaged bytes raise ``InvalidSnapshotError``.
    #[staticmethod]
    fn restore(py: Python<'_>, data: &[u8]) -> CoreResult<Self> {
        detached(py, || Fleet::restore(data)).map(Self)
    }
    fn __repr__(&self) -> String {
        format!("Fleet(stations={})", self.0.station_ids().len())
    }
}
