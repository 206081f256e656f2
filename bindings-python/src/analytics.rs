//! `chargekit.analytics` and `chargekit.feedback`: site summaries (`chargekit::analytics`)
//! and feedback scores (`chargekit::feedback`).
//!
//! Inputs cross through the core's serde forms (session records, feedback, options as
//! dicts) or from assembled `Session`s; the options pass through `chargekit::boundary::analytics`
//! (the `tz` argument wins over the options' zone), as for Kotlin and Swift. Results are the
//! core's records, converted by the one table of `records` (`SiteSummary`, `ScoreReport`, …
//! are registered in the Python modules; heatmaps are 7 × 24 nested lists, Monday first).

use crate::arrow::{is_arrow, records as arrow_records};
use crate::convert::{self, Floats, Int, Text};
use crate::errors::{detached, guarded, py_err, CoreResult};
use crate::records::{detached_to_py, list_to_py, to_plain, to_py};
use crate::session::PySession;
use crate::Any;
use chargekit::analytics::{
    self, DepartureForecaster, FleetPartial, GeneratorConfig, PatternOptions, SessionRecord,
    SiteAccumulator, SummaryOptions,
};
use chargekit::boundary::analytics::{
    site_report_html_from_json as boundary_report, summary_options,
};
use chargekit::feedback::{score as score_all, score_one, screen, Feedback, ScoreOptions};
use chargekit::session::Session;
use chargekit::units::{Energy, Power};
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyTuple, PyType};
use rust_decimal::Decimal;
use serde_json::Value;
use std::borrow::Cow;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};

/// An options dict of the calls below (see [`convert::options`]).
fn options<T>(
    options: Option<&Any<'_>>,
    read: impl Fn(&str) -> chargekit::Result<T>,
) -> PyResult<Option<T>> {
    convert::options(options, "options must be a dict or None", read)
}

/// `tz=` (an IANA name or a `zoneinfo.ZoneInfo`; None: the options' zone) and `options=` of
/// the analytics calls → the core's summary options.
pub(crate) fn summary(tz: Option<&Any<'_>>, opts: Option<&Any<'_>>) -> PyResult<SummaryOptions> {
    let opts = options(opts, SummaryOptions::from_json)?;
    let tz = convert::zone_arg(tz, "tz")?;
    Ok(guarded(|| summary_options(opts, tz.as_deref()))?)
}

/// Reads each item of the argument `what` through the core's serde form (a dict → JSON; an
/// error names the path `what[i].field`, as `error` words it), unless `fast` reads it; an
/// item of another type is a `TypeError` (`what[i]` must be `expected`).
fn records<T: serde::de::DeserializeOwned>(
    items: &Any<'_>,
    (what, expected): (&str, &str),
    error: fn(String, String) -> chargekit::Error,
    fast: impl Fn(&Any<'_>) -> PyResult<Option<T>>,
) -> PyResult<Vec<T>> {
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        if let Some(t) = fast(&item)? {
            out.push(t);
        } else if item.is_instance_of::<PyDict>() {
            let json = convert::py_to_json(&item, Floats::Reject)?.to_string();
            let mut de = serde_json::Deserializer::from_str(&json);
            out.push(serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let field = format!("{what}[{i}].{}", e.path());
                py_err(error(field, convert::without_position(e.inner())))
            })?);
        } else {
            let message = format!("{what}[{i}] must be {expected}");
            return Err(convert::wrong_type(&item, &message));
        }
    }
    Ok(out)
}

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An exact `str`. This and the other readers of [`record_from_dict`] give `None` when a value
/// is not of the plain kind that path handles (the dict then takes the general path, which
/// reads it, or words the error).
fn fast_str(v: &Any<'_>) -> Option<String> {
    v.is_exact_instance_of::<PyString>()
        .then(|| v.extract::<String>().ok())?
}

/// An exact `decimal.Decimal` in plain notation, or an `int`, read as the general path
/// reads its JSON number text.
fn fast_decimal(v: &Any<'_>) -> Option<Decimal> {
    let text = if v.is_exact_instance_of::<PyInt>() {
        v.extract::<i64>().ok()?.to_string()
    } else if v.get_type().is(convert::decimal_type(v.py()).ok()?) {
        v.str().ok()?.extract::<String>().ok()?
    } else {
        return None;
    };
    // Plain digits, sign and point: the JSON number text is this text (exponents, which
    // serde_json rewrites, and non-finite values take the general path).
    let plain_byte = |b: u8| b.is_ascii_digit() || b == b'-' || b == b'.';
    let plain = text.bytes().all(plain_byte);
    plain.then(|| Decimal::from_str(&text).ok())?
}

/// An aware `datetime.datetime` (exactly that type) as a UTC instant: its distance from
/// the Unix epoch, which Python computes from `utcoffset()` as `astimezone` does.
fn fast_datetime(v: &Any<'_>) -> Option<DateTime<Utc>> {
    let py = v.py();
    let dt = DATETIME.import(py, "datetime", "datetime").ok()?;
    if !v.get_type().is(dt) {
        return None;
    }
    let epoch = EPOCH
        .get_or_try_init(py, || -> PyResult<Py<PyAny>> {
            let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
            Ok(dt.call1((1970, 1, 1, 0, 0, 0, 0, utc))?.unbind())
        })
        .ok()?
        .bind(py);
    // Naive datetimes (or a tzinfo without an offset) cannot be subtracted: general path.
    let delta = v.sub(epoch).ok()?;
    let part = |name: &Bound<'_, PyString>| delta.getattr(name).ok()?.extract::<i64>().ok();
    let t = DateTime::<Utc>::UNIX_EPOCH
        + TimeDelta::try_days(part(intern!(py, "days"))?)?
        + TimeDelta::try_seconds(part(intern!(py, "seconds"))?)?
        + TimeDelta::microseconds(part(intern!(py, "microseconds"))?);
    // Far from datetime's limits, where astimezone could overflow.
    (2..=9998).contains(&t.year()).then_some(t)
}

/// `None` and absent are the same for an optional field.
fn fast_opt<T>(v: Option<Any<'_>>, read: impl Fn(&Any<'_>) -> Option<T>) -> Option<Option<T>> {
    v.filter(|v| !v.is_none())
        .map_or(Some(None), |v| read(&v).map(Some))
}

/// A session dict read straight into a `SessionRecord` when every value is of a plain
/// kind (str, exact int, plain-notation `Decimal`, aware `datetime`, None for optional
/// fields) and every key is a field: the same record the general path (dict → JSON →
/// serde) reads, without the JSON in between. `None`: take the general path.
fn record_from_dict<'py>(d: &Bound<'py, PyDict>) -> Option<SessionRecord> {
    let py = d.py();
    let mut found = 0usize;
    let mut field = |key: &Bound<'py, PyString>| -> Option<Option<Any<'py>>> {
        let v = d.get_item(key).ok()?;
        found += usize::from(v.is_some());
        Some(v)
    };
    let int = |v: &Any<'_>| {
        v.is_exact_instance_of::<PyInt>()
            .then(|| v.extract().ok())?
    };
    let record = SessionRecord {
        session_id: fast_str(&field(intern!(py, "session_id"))??)?,
        station_id: fast_str(&field(intern!(py, "station_id"))??)?,
        port_id: fast_str(&field(intern!(py, "port_id"))??)?,
        plug_in: fast_datetime(&field(intern!(py, "plug_in"))??)?,
        plug_out: fast_datetime(&field(intern!(py, "plug_out"))??)?,
        energy: Energy::from_wh(fast_decimal(&field(intern!(py, "energy"))??)?),
        site_id: fast_opt(field(intern!(py, "site_id"))?, fast_str)?,
        user_id: fast_opt(field(intern!(py, "user_id"))?, fast_str)?,
        tx_start: fast_opt(field(intern!(py, "tx_start"))?, fast_datetime)?,
        tx_end: fast_opt(field(intern!(py, "tx_end"))?, fast_datetime)?,
        charge_start: fast_opt(field(intern!(py, "charge_start"))?, fast_datetime)?,
        charge_end: fast_opt(field(intern!(py, "charge_end"))?, fast_datetime)?,
        charging_s: fast_opt(field(intern!(py, "charging_s"))?, int)?,
        throttled_s: fast_opt(field(intern!(py, "throttled_s"))?, int)?,
        peak_power: fast_opt(field(intern!(py, "peak_power"))?, fast_decimal)?.map(Power::from_w),
        rated_power: fast_opt(field(intern!(py, "rated_power"))?, fast_decimal)?.map(Power::from_w),
        soc_start: fast_opt(field(intern!(py, "soc_start"))?, fast_decimal)?,
        soc_end: fast_opt(field(intern!(py, "soc_end"))?, fast_decimal)?,
        ended_by: fast_opt(field(intern!(py, "ended_by"))?, |v| {
            serde_json::from_value(Value::String(fast_str(v)?)).ok()
        })?,
        stop_reason: fast_opt(field(intern!(py, "stop_reason"))?, fast_str)?,
        error_codes: match field(intern!(py, "error_codes"))? {
            None => Vec::new(),
            Some(v) => (v.cast_exact::<PyList>().ok()?.iter())
                .map(|c| fast_str(&c))
                .collect::<Option<Vec<String>>>()?,
        },
        fees: fast_opt(field(intern!(py, "fees"))?, |v| {
            convert::from_json(&convert::py_to_json(v, Floats::Reject).ok()?).ok()
        })?,
        payment_type: fast_opt(field(intern!(py, "payment_type"))?, fast_str)?,
    };
    // A key that is no field: the general path reports it.
    (found == d.len()).then_some(record)
}

/// `sessions`: `chargekit.Session` objects or dicts of `SessionRecord` fields (energy in
/// Wh, power in W, aware datetimes). A malformed dict is `InvalidOptions` naming the path.
fn session_records(items: &Any<'_>) -> PyResult<Vec<SessionRecord>> {
    let error = |field, reason| chargekit::Error::InvalidAnalyticsOptions { field, reason };
    let what = ("sessions", "a dict or a chargekit.Session");
    records(items, what, error, |item| {
        if let Ok(d) = item.cast_exact::<PyDict>() {
            return Ok(record_from_dict(d));
        }
        let Ok(s) = item.cast::<PySession>() else {
            return Ok(None);
        };
        Ok(Some(guarded(|| Ok(SessionRecord::from(&s.get().0)))?))
    })
}

/// Session records converted once and kept on the Rust side: what ``summarize`` and
/// ``analyse_sessions`` read without converting again (``chargekit.analytics.SessionBatch``).
///
/// ``SessionBatch(sessions)``: the same inputs as ``summarize`` (dicts of
/// ``SessionRecord`` fields or ``chargekit.Session`` objects), with the same errors.
#[pyclass(frozen, name = "SessionBatch", module = "chargekit.analytics")]
pub struct PySessionBatch(Vec<SessionRecord>);

#[pymethods]
impl PySessionBatch {
    #[new]
    fn new(sessions: &Any<'_>) -> PyResult<Self> {
        Ok(Self(session_records(sessions)?))
    }
    fn __len__(&self) -> usize {
        self.0.len()
    }
    fn __repr__(&self) -> String {
        format!("SessionBatch({} sessions)", self.0.len())
    }
}

/// The records of `sessions`: a `SessionBatch`'s own, an Arrow table's rows, else
/// converted (see [`session_records`]).
pub(crate) fn sessions_arg<'a>(sessions: &'a Any<'_>) -> PyResult<Cow<'a, [SessionRecord]>> {
    match sessions.cast::<PySessionBatch>() {
        Ok(b) => Ok(Cow::Borrowed(&b.get().0)),
        Err(_) if is_arrow(sessions)? => Ok(Cow::Owned(arrow_records(sessions)?)),
        Err(_) => Ok(Cow::Owned(session_records(sessions)?)),
    }
}

/// The arguments of ``behaviour_patterns`` and ``DepartureForecaster``.
fn pattern_args<'a>(
    sessions: &'a Any<'_>,
    tz: Option<&Any<'_>>,
    opts: Option<&Any<'_>>,
    patterns: Option<&Any<'_>>,
) -> PyResult<(Cow<'a, [SessionRecord]>, SummaryOptions, PatternOptions)> {
    let patterns = options(patterns, PatternOptions::from_json)?.unwrap_or_default();
    Ok((sessions_arg(sessions)?, summary(tz, opts)?, patterns))
}

/// The site summary (``chargekit.analytics.SiteSummary``).
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None, shards=None))]
pub fn summarize<'py>(
    sessions: &Any<'py>,
    tz: Option<&Any<'py>>,
    options: Option<&Any<'py>>,
    shards: Option<Int<usize>>,
) -> PyResult<Any<'py>> {
    let records = sessions_arg(sessions)?;
    let opts = summary(tz, options)?;
    detached_to_py(sessions.py(), || match shards {
        Some(n) => analytics::summarize_parallel(&records, &opts, n.0),
        None => analytics::summarize(&records, &opts),
    })
}

/// The fleet summary and each site's (``chargekit.analytics.FleetReport``).
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None))]
pub fn summarize_fleet<'py>(
    sessions: &Any<'py>,
    tz: Option<&Any<'py>>,
    options: Option<&Any<'py>>,
) -> PyResult<Any<'py>> {
    let (records, opts) = (sessions_arg(sessions)?, summary(tz, options)?);
    detached_to_py(sessions.py(), || {
        analytics::summarize_fleet(&records, &opts)
    })
}

/// Derived fields and validation flags per session (flat dicts).
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None))]
pub fn analyse_sessions<'py>(
    sessions: &Any<'py>,
    tz: Option<&Any<'py>>,
    options: Option<&Any<'py>>,
) -> PyResult<Bound<'py, PyList>> {
    let (opts, records) = (summary(tz, options)?, sessions_arg(sessions)?);
    let rows = guarded(|| Ok(analytics::analyse_sessions(&records, &opts)))?;
    list_to_py(sessions.py(), &rows)
}

/// The core's seeded synthetic sessions (`chargekit::analytics::generate`) for a
/// `GeneratorConfig` dict (None: the defaults) and the summary options of the generated site:
/// `(sessions, options)`. The sessions are dicts of `SessionRecord` fields (absent optional
/// fields left out), or with `batch` a `SessionBatch`.
#[pyfunction]
#[pyo3(signature = (config=None, *, batch=false))]
pub fn generate_sessions<'py>(
    py: Python<'py>,
    config: Option<&Any<'py>>,
    batch: bool,
) -> PyResult<Bound<'py, PyTuple>> {
    let cfg = options(config, GeneratorConfig::from_json)?.unwrap_or_default();
    let generated = detached(py, || analytics::generate(&cfg))?;
    let opts = to_plain(py, &guarded(|| cfg.summary_options())?)?;
    let sessions = if batch {
        Bound::new(py, PySessionBatch(generated))?.into_any()
    } else {
        to_plain(py, &generated)?
    };
    PyTuple::new(py, [sessions, opts])
}

/// ``chargekit.feedback``: ``score`` (a ``ScoreReport``), ``score_one`` (with ``id``: that
/// id's ``Score``) or ``screen`` (with ``screen_only``: the ``Screening`` of the options'
/// ``abuse`` rules); the arguments are read once for all three.
#[pyfunction]
#[pyo3(signature = (feedback, telemetry=None, *, options=None, id=None, screen_only=false))]
pub fn score<'py>(
    py: Python<'py>,
    feedback: &Any<'py>,
    telemetry: Option<&Any<'py>>,
    options: Option<&Any<'py>>,
    id: Option<Text>,
    screen_only: bool,
) -> PyResult<Any<'py>> {
    let tel = match telemetry.filter(|t| !t.is_none()) {
        Some(t) => session_records(t)?,
        None => Vec::new(),
    };
    let o = self::options(options, ScoreOptions::from_json)?.unwrap_or_default();
    let error = |field, reason| chargekit::Error::InvalidFeedback { field, reason };
    let fb: Vec<Feedback> = records(feedback, ("feedback", "a dict"), error, |_| Ok(None))?;
    // Each arm converts its own result type; all run without the GIL and catch panics.
    match (id, screen_only) {
        (_, true) => detached_to_py(py, || Ok(screen(&fb, &tel, &o.abuse))),
        (Some(id), _) => detached_to_py(py, || Ok(score_one(&id, &fb, &tel, &o))),
        (None, _) => detached_to_py(py, || Ok(score_all(&fb, &tel, &o))),
    }
}

// ---------------------------------------------------------------- patterns

/// Per-user patterns and AC/DC segments (docs/analytics-and-feedback.md §3):
/// ``BehaviourPatterns``.
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None, patterns=None))]
pub fn behaviour_patterns<'py>(
    sessions: &Any<'py>,
    tz: Option<&Any<'py>>,
    options: Option<&Any<'py>>,
    patterns: Option<&Any<'py>>,
) -> PyResult<Any<'py>> {
    let (records, opts, patterns) = pattern_args(sessions, tz, options, patterns)?;
    let found = guarded(|| analytics::behaviour_patterns(&records, &opts, &patterns))?;
    to_py(sessions.py(), &found)
}

/// Expected departures learnt from past sessions (the user's median dwell, else the site's
/// for that local hour of the week, else the site's overall median).
///
/// ``DepartureForecaster(sessions, tz=None, *, options=None, patterns=None)``: the inputs of
/// ``behaviour_patterns``.
#[pyclass(frozen, name = "DepartureForecaster", module = "chargekit.analytics")]
pub struct PyDepartureForecaster(DepartureForecaster);

#[pymethods]
impl PyDepartureForecaster {
    #[new]
    #[pyo3(signature = (sessions, tz=None, *, options=None, patterns=None))]
    fn new(
        sessions: &Any<'_>,
        tz: Option<&Any<'_>>,
        options: Option<&Any<'_>>,
        patterns: Option<&Any<'_>>,
    ) -> PyResult<Self> {
        let (records, opts, patterns) = pattern_args(sessions, tz, options, patterns)?;
        let fitted = guarded(|| DepartureForecaster::fit(&records, &opts, &patterns))?;
        Ok(Self(fitted))
    }
    /// The expected departure of a car arriving at ``arrival`` (aware ``datetime``): a
    /// ``DepartureForecast`` with ``departure`` (aware UTC ``datetime``), ``dwell_s``,
    /// ``basis`` (``"user"``, ``"site_hour_of_week"`` or ``"site"``) and ``sessions``; None
    /// when no sessions were learnt.
    #[pyo3(signature = (arrival, user_id=None))]
    fn forecast<'py>(&self, arrival: &Any<'py>, user_id: Option<Text>) -> PyResult<Any<'py>> {
        let (py, arrival) = (arrival.py(), convert::aware_utc(arrival)?);
        let forecast = guarded(|| Ok(self.0.forecast(user_id.as_deref(), arrival)))?;
        to_py(py, &forecast)
    }
}

/// `SiteSummary.to_html`: the summary and score dicts back through their serde form.
#[pyfunction]
pub fn site_report_html(
    report: &Any<'_>,
    sessions: Option<Vec<Bound<'_, PySession>>>,
) -> PyResult<String> {
    let (py, report) = (
        report.py(),
        convert::py_to_json(report, Floats::Reject)?.to_string(),
    );
    let sessions: Vec<&Session> = sessions.iter().flatten().map(|s| &s.get().0).collect();
    Ok(detached(py, || boundary_report(&report, sessions))?)
}

/// A partial state class: the core value behind a mutex, with the methods every partial
/// shares (bytes, pickling, fingerprint, merge, merge_many) and its own `$extra` ones.
macro_rules! partial_class {
    ($(#[$doc:meta])* $py:ident($core:ty), $name:literal, { $($extra:tt)* }) => {
        $(#[$doc])*
        #[pyclass(frozen, name = $name, module = "chargekit.analytics")]
        pub struct $py(Mutex<$core>);

        impl $py {
            fn state(&self) -> chargekit::Result<MutexGuard<'_, $core>> {
                self.0.lock().map_err(|_| chargekit::Error::Internal {
                    reason: concat!("a ", $name, " was poisoned by an earlier panic").into(),
                })
            }
        }

        #[pymethods]
        impl $py {
            $($extra)*
            /// The versioned, checksummed bytes of this state.
            fn to_bytes(&self) -> CoreResult<Vec<u8>> {
                guarded(|| Ok(self.state()?.to_bytes()))
            }
            #[staticmethod]
            fn from_bytes(data: &[u8]) -> CoreResult<Self> {
                guarded(|| <$core>::from_bytes(data)).map(|acc| Self(Mutex::new(acc)))
            }
            /// Names the options the state was made under.
            #[getter]
            fn fingerprint(&self) -> CoreResult<String> {
                guarded(|| Ok(self.state()?.fingerprint()))
            }
            /// Adds another partial's state to this one.
            fn merge(&self, other: &Self) -> CoreResult<()> {
                let theirs = guarded(|| Ok(other.state()?.clone()))?;
                guarded(|| self.state()?.merge(theirs))
            }
            /// A new partial: all of ``parts`` merged, in order.
            #[staticmethod]
            fn merge_many(parts: Vec<Bound<'_, Self>>) -> CoreResult<Self> {
                let all: Vec<$core> = guarded(|| parts.iter().map(|p| Ok(p.get().state()?.clone())).collect())?;
                let merged = guarded(|| <$core>::merge_many(all))?;
                Ok(Self(Mutex::new(merged)))
            }
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Any<'py>, (Vec<u8>,))> {
                let from_bytes = slf.get_type().getattr("from_bytes")?;
                Ok((from_bytes, (slf.get().to_bytes()?,)))
            }
        }
    };
}

partial_class!(
    /// Mergeable summary state (``chargekit.analytics.SummaryPartial``): add sessions on each
    /// worker, ship ``to_bytes()`` (or pickle it), ``merge`` on the driver, ``finish``.
    /// Partials made under different options refuse to merge (``fingerprint``).
    PySummaryPartial(SiteAccumulator), "SummaryPartial", {
    #[new]
    #[pyo3(signature = (tz=None, *, options=None))]
    fn new(tz: Option<&Any<'_>>, options: Option<&Any<'_>>) -> PyResult<Self> {
        let opts = summary(tz, options)?;
        Ok(Self(Mutex::new(guarded(|| SiteAccumulator::new(&opts))?)))
    }
    /// Adds sessions (what ``summarize`` takes, Arrow tables included).
    fn add(&self, py: Python<'_>, sessions: &Any<'_>) -> PyResult<()> {
        let records = sessions_arg(sessions)?;
        Ok(detached(py, || {
            let mut acc = self.state()?;
            acc.reserve(records.len());
            records.iter().for_each(|r| acc.add(r));
            Ok(())
        })?)
    }
    /// The site summary of everything added.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        detached_to_py(py, || self.state()?.finish())
    }
});

partial_class!(
    /// Fleet state of a fixed size (``chargekit.analytics.FleetPartial``): ``add`` whole
    /// sites where their sessions are (their ``SiteSummary`` list is returned), ship the
    /// partial, ``merge``, ``finish`` → ``FleetSummary``.
    PyFleetPartial(FleetPartial), "FleetPartial", {
    #[new]
    #[pyo3(signature = (tz=None, *, options=None))]
    fn new(tz: Option<&Any<'_>>, options: Option<&Any<'_>>) -> PyResult<Self> {
        let opts = summary(tz, options)?;
        Ok(Self(Mutex::new(guarded(|| FleetPartial::new(&opts))?)))
    }
    /// Summarises each site of the sessions and adds it: the site summaries.
    fn add<'py>(&self, sessions: &Any<'py>) -> PyResult<Any<'py>> {
        let records = sessions_arg(sessions)?;
        detached_to_py(sessions.py(), || self.state()?.add_sites(&records))
    }
    /// The fleet summary of every site added or merged.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        detached_to_py(py, || self.state()?.finish())
    }
});
