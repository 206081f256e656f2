//! `chargekit.analytics` and `chargekit.feedback`: site summaries (`chargekit::analytics`)
//! and feedback scores (`chargekit::feedback`).
//!
//! Inputs cross through the core's serde forms (session records, feedback, options as
//! dicts) or from assembled `Session`s. Results become plain Python data: dicts of
//! `Decimal` / `int` / `str` / aware `datetime`, heatmaps as 7 × 24 nested lists (Monday
//! first). The Python modules wrap them in attribute-access records (`to_pandas()` there).

use crate::convert::{self, Floats};
use crate::errors::py_err;
use crate::session::PySession;
use chargekit::analytics::{
    self, BehaviourPatterns, DepartureForecaster, DwellStats, GeneratorConfig, HourOfWeek,
    PatternOptions, SessionAnalysis, SessionRecord, SiteSummary, SummaryOptions,
};
use chargekit::feedback::{self, Feedback, Score, ScoreOptions, ScoreReport};
use chargekit::units::{Energy, Power};
use chrono::{DateTime, Datelike, TimeDelta, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyType};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// A dict of the named fields of a core struct, each converted by pyo3 (Decimal, int,
/// str, datetime, None, lists of those).
macro_rules! fields {
    ($py:expr, $s:expr; $($f:ident),* $(,)?) => {{
        let d = PyDict::new($py);
        $( d.set_item(stringify!($f), &$s.$f)?; )*
        d
    }};
}

/// `tz=`: an IANA name or a `zoneinfo.ZoneInfo` (its `key`).
fn tz_name(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return obj.extract::<String>();
    }
    if let Ok(key) = obj.getattr("key") {
        if key.is_instance_of::<PyString>() {
            return key.extract::<String>();
        }
    }
    Err(PyTypeError::new_err(format!(
        "tz must be an IANA name (str) or a zoneinfo.ZoneInfo, got {}",
        obj.get_type().name()?
    )))
}

/// An options dict (or None) → its JSON object; `tz`, when given, is set in it.
fn options_json(
    options: Option<&Bound<'_, PyAny>>,
    tz: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let mut map = match options.filter(|o| !o.is_none()) {
        None => serde_json::Map::new(),
        Some(o) if o.is_instance_of::<PyDict>() => match convert::py_to_json(o, Floats::Reject)? {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        },
        Some(o) => {
            return Err(PyTypeError::new_err(format!(
                "options must be a dict or None, got {}",
                o.get_type().name()?
            )))
        }
    };
    if let Some(tz) = tz.filter(|t| !t.is_none()) {
        map.insert("tz".into(), Value::String(tz_name(tz)?));
    }
    Ok(Value::Object(map).to_string())
}

/// Reads each item of `items` with `read` (a dict → JSON); `Session`s become
/// `SessionRecord`s when `sessions` is true. `what` names the argument in errors.
fn records<T>(
    items: &Bound<'_, PyAny>,
    what: &str,
    read: impl Fn(usize, Value) -> PyResult<T>,
    session: impl Fn(&Bound<'_, PyAny>) -> Option<T>,
) -> PyResult<Vec<T>> {
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        if let Some(t) = session(&item) {
            out.push(t);
        } else if item.is_instance_of::<PyDict>() {
            out.push(read(i, convert::py_to_json(&item, Floats::Reject)?)?);
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] must be a dict{}, got {}",
                if what == "sessions" {
                    " or a chargekit.Session"
                } else {
                    ""
                },
                item.get_type().name()?
            )));
        }
    }
    Ok(out)
}

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A field of a session dict read by [`record_from_dict`]: `None` when the value is not of
/// the plain kind that path handles (the dict then takes the general path, which reads
/// it, or words the error, as always).
type Fast<T> = Option<T>;

fn fast_str(v: &Bound<'_, PyAny>) -> Fast<String> {
    if v.is_exact_instance_of::<PyString>() {
        v.extract::<String>().ok()
    } else {
        None
    }
}

/// An exact `decimal.Decimal` in plain notation, or an `int`, read as the general path
/// reads its JSON number text.
fn fast_decimal(v: &Bound<'_, PyAny>) -> Fast<Decimal> {
    let text = if v.is_exact_instance_of::<PyInt>() {
        v.extract::<i64>().ok()?.to_string()
    } else if v.get_type().is(convert::decimal_type(v.py()).ok()?) {
        v.str().ok()?.extract::<String>().ok()?
    } else {
        return None;
    };
    // Plain digits, sign and point: the JSON number text is this text (exponents, which
    // serde_json rewrites, and non-finite values take the general path).
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return None;
    }
    Decimal::from_str(&text).ok()
}

/// An aware `datetime.datetime` (exactly that type) as a UTC instant: its distance from
/// the Unix epoch, which Python computes from `utcoffset()` as `astimezone` does.
fn fast_datetime(v: &Bound<'_, PyAny>) -> Fast<DateTime<Utc>> {
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
    let days = delta
        .getattr(intern!(py, "days"))
        .ok()?
        .extract::<i64>()
        .ok()?;
    let seconds = delta
        .getattr(intern!(py, "seconds"))
        .ok()?
        .extract::<i64>()
        .ok()?;
    let micros = delta
        .getattr(intern!(py, "microseconds"))
        .ok()?
        .extract::<i64>()
        .ok()?;
    let t = DateTime::<Utc>::UNIX_EPOCH
        + TimeDelta::try_days(days)?
        + TimeDelta::try_seconds(seconds)?
        + TimeDelta::microseconds(micros);
    // Far from datetime's limits, where astimezone could overflow.
    (2..=9998).contains(&t.year()).then_some(t)
}

/// `None` and absent are the same for an optional field.
fn fast_opt<T>(
    v: Option<Bound<'_, PyAny>>,
    read: impl Fn(&Bound<'_, PyAny>) -> Fast<T>,
) -> Fast<Option<T>> {
    match v {
        None => Some(None),
        Some(v) if v.is_none() => Some(None),
        Some(v) => read(&v).map(Some),
    }
}

/// A session dict read straight into a `SessionRecord` when every value is of a plain
/// kind (str, exact int, plain-notation `Decimal`, aware `datetime`, None for optional
/// fields) and every key is a field: the same record the general path (dict → JSON →
/// serde) reads, without the JSON in between. `None`: take the general path.
fn record_from_dict<'py>(d: &Bound<'py, PyDict>) -> Fast<SessionRecord> {
    let py = d.py();
    let mut found = 0usize;
    let mut field = |key: &Bound<'py, PyString>| -> Fast<Option<Bound<'py, PyAny>>> {
        let v = d.get_item(key).ok()?;
        found += usize::from(v.is_some());
        Some(v)
    };
    let session_id = fast_str(&field(intern!(py, "session_id"))??)?;
    let station_id = fast_str(&field(intern!(py, "station_id"))??)?;
    let port_id = fast_str(&field(intern!(py, "port_id"))??)?;
    let site_id = fast_opt(field(intern!(py, "site_id"))?, fast_str)?;
    let user_id = fast_opt(field(intern!(py, "user_id"))?, fast_str)?;
    let plug_in = fast_datetime(&field(intern!(py, "plug_in"))??)?;
    let plug_out = fast_datetime(&field(intern!(py, "plug_out"))??)?;
    let tx_start = fast_opt(field(intern!(py, "tx_start"))?, fast_datetime)?;
    let tx_end = fast_opt(field(intern!(py, "tx_end"))?, fast_datetime)?;
    let charge_start = fast_opt(field(intern!(py, "charge_start"))?, fast_datetime)?;
    let charge_end = fast_opt(field(intern!(py, "charge_end"))?, fast_datetime)?;
    let int = |v: &Bound<'_, PyAny>| -> Fast<i64> {
        v.is_exact_instance_of::<PyInt>()
            .then(|| v.extract::<i64>().ok())
            .flatten()
    };
    let charging_s = fast_opt(field(intern!(py, "charging_s"))?, int)?;
    let throttled_s = fast_opt(field(intern!(py, "throttled_s"))?, int)?;
    let energy = Energy::from_wh(fast_decimal(&field(intern!(py, "energy"))??)?);
    let peak_power = fast_opt(field(intern!(py, "peak_power"))?, fast_decimal)?.map(Power::from_w);
    let rated_power =
        fast_opt(field(intern!(py, "rated_power"))?, fast_decimal)?.map(Power::from_w);
    let soc_start = fast_opt(field(intern!(py, "soc_start"))?, fast_decimal)?;
    let soc_end = fast_opt(field(intern!(py, "soc_end"))?, fast_decimal)?;
    let ended_by = fast_opt(field(intern!(py, "ended_by"))?, |v| {
        serde_json::from_value(Value::String(fast_str(v)?)).ok()
    })?;
    let stop_reason = fast_opt(field(intern!(py, "stop_reason"))?, fast_str)?;
    let error_codes = match field(intern!(py, "error_codes"))? {
        None => Vec::new(),
        Some(v) => {
            let list = v.cast_exact::<PyList>().ok()?;
            list.iter()
                .map(|c| fast_str(&c))
                .collect::<Option<Vec<String>>>()?
        }
    };
    let fees = fast_opt(field(intern!(py, "fees"))?, |v| {
        let json = convert::py_to_json(v, Floats::Reject).ok()?;
        serde_json::from_value(json).ok()
    })?;
    let payment_type = fast_opt(field(intern!(py, "payment_type"))?, fast_str)?;
    // A key that is no field: the general path reports it.
    if found != d.len() {
        return None;
    }
    Some(SessionRecord {
        session_id,
        station_id,
        port_id,
        site_id,
        user_id,
        plug_in,
        plug_out,
        tx_start,
        tx_end,
        charge_start,
        charge_end,
        charging_s,
        throttled_s,
        energy,
        peak_power,
        rated_power,
        soc_start,
        soc_end,
        ended_by,
        stop_reason,
        error_codes,
        fees,
        payment_type,
    })
}

/// `sessions`: `chargekit.Session` objects or dicts of `SessionRecord` fields (energy in
/// Wh, power in W, aware datetimes). A malformed dict is `InvalidOptions` naming the path.
fn session_records(items: &Bound<'_, PyAny>) -> PyResult<Vec<SessionRecord>> {
    records(
        items,
        "sessions",
        |i, v| {
            serde_path_to_error::deserialize(v).map_err(|e| {
                py_err(chargekit::Error::InvalidAnalyticsOptions {
                    field: format!("sessions[{i}].{}", e.path()),
                    reason: e.inner().to_string(),
                })
            })
        },
        |item| {
            if let Ok(d) = item.cast_exact::<PyDict>() {
                return record_from_dict(d);
            }
            item.cast::<PySession>()
                .ok()
                .map(|s| SessionRecord::from(&s.get().0))
        },
    )
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
    fn new(sessions: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self(session_records(sessions)?))
    }
    fn __len__(&self) -> usize {
        self.0.len()
    }
    fn __repr__(&self) -> String {
        format!("SessionBatch({} sessions)", self.0.len())
    }
}

/// The records of `sessions`: a `SessionBatch`'s own, else converted (see [`session_records`]).
enum Sessions<'a> {
    Batch(&'a PySessionBatch),
    Owned(Vec<SessionRecord>),
}

impl Sessions<'_> {
    fn records(&self) -> &[SessionRecord] {
        match self {
            Sessions::Batch(b) => &b.0,
            Sessions::Owned(v) => v,
        }
    }
}

fn sessions_arg<'a>(sessions: &'a Bound<'_, PyAny>) -> PyResult<Sessions<'a>> {
    match sessions.cast::<PySessionBatch>() {
        Ok(b) => Ok(Sessions::Batch(b.get())),
        Err(_) => Ok(Sessions::Owned(session_records(sessions)?)),
    }
}

fn feedback_records(items: &Bound<'_, PyAny>) -> PyResult<Vec<Feedback>> {
    records(
        items,
        "feedback",
        |i, v| {
            serde_path_to_error::deserialize(v).map_err(|e| {
                py_err(chargekit::Error::InvalidFeedback {
                    field: format!("feedback[{i}].{}", e.path()),
                    reason: e.inner().to_string(),
                })
            })
        },
        |_| None,
    )
}

fn grid<'py, T>(py: Python<'py>, h: &HourOfWeek<T>) -> PyResult<Bound<'py, PyAny>>
where
    T: Clone + for<'a> IntoPyObject<'py>,
{
    Ok(h.rows().into_pyobject(py)?.into_any())
}

fn summary_dict<'py>(py: Python<'py>, s: &SiteSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("site_id", &s.site_id)?;
    d.set_item("tz", &s.tz)?;
    let period = PyDict::new(py);
    period.set_item("start", s.period.start())?;
    period.set_item("end", s.period.end())?;
    period.set_item("seconds", s.period.seconds())?;
    d.set_item("period", period)?;
    let c = &s.counts;
    d.set_item(
        "counts",
        fields!(py, c; sessions_seen, sessions_used, sessions_excluded, outliers_dropped,
            sessions_per_day, sessions_per_week, in_use_days, unique_users, stations_without_use),
    )?;
    let flags = PyList::empty(py);
    for f in &s.flags {
        let fd = PyDict::new(py);
        fd.set_item("flag", f.flag.as_str())?;
        fd.set_item(
            "severity",
            match f.severity {
                analytics::Severity::Warning => "warning",
                analytics::Severity::Error => "error",
            },
        )?;
        fd.set_item("count", f.count)?;
        flags.append(fd)?;
    }
    d.set_item("flags", flags)?;
    let e = &s.energy;
    d.set_item("energy", fields!(py, e; total_kwh, mean_kwh, median_kwh))?;
    let du = &s.durations;
    d.set_item(
        "durations",
        fields!(py, du; mean_dwell_s, median_dwell_s, mean_charging_s, median_charging_s,
            mean_idle_s, median_idle_s),
    )?;
    let t = &s.time;
    d.set_item(
        "time",
        fields!(py, t; available_s, occupied_s, charging_s, idle_s, congestion_s),
    )?;
    let u = &s.utilisation;
    d.set_item(
        "utilisation",
        fields!(py, u; occupied, charging, idle, capacity_factor, congestion),
    )?;
    let ports = PyList::empty(py);
    for p in &s.ports {
        ports.append(
            fields!(py, p; station_id, port_id, rated_kw, sessions, energy_kwh,
            mean_energy_kwh, median_energy_kwh, occupied_s, charging_s, busy_s, occupied_rate,
            charging_rate, idle_rate, capacity_factor, in_use_days, quick_turnovers, overstays),
        )?;
    }
    d.set_item("ports", ports)?;
    let stations = PyList::empty(py);
    for st in &s.stations {
        stations.append(
            fields!(py, st; station_id, ports, sessions, energy_kwh, mean_energy_kwh,
            median_energy_kwh, occupied_rate, capacity_factor, in_use_days),
        )?;
    }
    d.set_item("stations", stations)?;
    let h = &s.heatmaps;
    let heat = PyDict::new(py);
    heat.set_item("occupancy", grid(py, &h.occupancy)?)?;
    heat.set_item("congestion", grid(py, &h.congestion)?)?;
    heat.set_item("arrivals", grid(py, &h.arrivals)?)?;
    heat.set_item("departures", grid(py, &h.departures)?)?;
    heat.set_item("arrival_rate", grid(py, &h.arrival_rate)?)?;
    heat.set_item("energy_kwh", grid(py, &h.energy_kwh)?)?;
    heat.set_item("available_h", grid(py, &h.available_h)?)?;
    d.set_item("heatmaps", heat)?;
    let peaks = PyList::empty(py);
    for p in &s.peak_hours {
        let pd = fields!(py, p; hour, occupancy, arrivals);
        pd.set_item("weekday", p.weekday.to_string())?;
        peaks.append(pd)?;
    }
    d.set_item("peak_hours", peaks)?;
    let o = &s.overstay;
    let od = fields!(py, o; grace_s, sessions, share, total_s);
    let repeat = PyList::empty(py);
    for r in &o.repeat_overstayers {
        repeat.append(fields!(py, r; user_id, sessions, overstays, share, overstay_s))?;
    }
    od.set_item("repeat_overstayers", repeat)?;
    d.set_item("overstay", od)?;
    let de = &s.demand;
    d.set_item(
        "demand",
        fields!(py, de; attempts, successes, success_rate, turn_aways, turn_away_rate,
            quick_turnovers, quick_turnover_share, congestion_s, peak_concurrent_sessions,
            peak_busy_ports, ports),
    )?;
    let op = &s.off_peak;
    let opd = fields!(py, op; total_energy_kwh, peak_energy_kwh, peak_share, shiftable_kwh,
        shiftable_share, sessions_in_peak, flexible_sessions, value_at_price_delta);
    let w = &op.window;
    opd.set_item(
        "window",
        fields!(py, w; start_hour, end_hour, weekdays_only),
    )?;
    d.set_item("off_peak", opd)?;
    Ok(d)
}

fn analysis_dict<'py>(py: Python<'py>, a: &SessionAnalysis) -> PyResult<Bound<'py, PyDict>> {
    let m = &a.metrics;
    let d = fields!(py, m; start, end, dwell_s, charging_s, idle_s, idle_after_full_s,
        idle_throttled_s, overstay_s, charge_start, success);
    d.set_item("energy_wh", m.energy.wh())?;
    d.set_item("avg_power_w", m.avg_power.map(|p| p.w()))?;
    d.set_item("peak_power_w", m.peak_power.map(|p| p.w()))?;
    d.set_item("session_id", &a.session_id)?;
    let flags: Vec<&'static str> = a.flags.iter().map(|f| f.as_str()).collect();
    d.set_item("flags", flags)?;
    Ok(d)
}

fn score_dict<'py>(py: Python<'py>, s: &Score) -> PyResult<Bound<'py, PyDict>> {
    let d = fields!(py, s; id, display_score, success_probability, lower_bound, effective_n,
        weighted_successes, recent_success_rate, feedback, verified, neutral, sessions,
        last_success, since_last_success_s);
    let mix = PyList::empty(py);
    for p in &s.problem_mix {
        let pd = fields!(py, p; count, share);
        pd.set_item("problem", p.problem.as_str())?;
        mix.append(pd)?;
    }
    d.set_item("problem_mix", mix)?;
    d.set_item("has_enough_data", s.has_enough_data)?;
    Ok(d)
}

fn report_dict<'py>(py: Python<'py>, r: &ScoreReport) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("as_of", r.as_of)?;
    let scores = PyList::empty(py);
    for s in &r.scores {
        scores.append(score_dict(py, s)?)?;
    }
    d.set_item("scores", scores)?;
    let rk = &r.ranking;
    let ranking = fields!(py, rk; exceptional, failing);
    let ranked = PyList::empty(py);
    for x in &rk.ranked {
        ranked.append(fields!(py, x; id, lower_bound, display_score))?;
    }
    ranking.set_item("ranked", ranked)?;
    d.set_item("ranking", ranking)?;
    let actions = PyList::empty(py);
    for a in &r.actions {
        let ad = fields!(py, a; location_id, evse_id, reports, first_reported, last_reported,
            last_success);
        ad.set_item("problem", a.problem.as_str())?;
        actions.append(ad)?;
    }
    d.set_item("actions", actions)?;
    Ok(d)
}

/// The site summary as plain data (wrapped by ``chargekit.analytics.summarize``).
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None, shards=None))]
pub fn summarize<'py>(
    py: Python<'py>,
    sessions: &Bound<'py, PyAny>,
    tz: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    shards: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let sessions = sessions_arg(sessions)?;
    let records = sessions.records();
    let opts = SummaryOptions::from_json(&options_json(options, tz)?).map_err(py_err)?;
    let s = py.detach(|| match shards {
        Some(n) => analytics::summarize_parallel(records, &opts, n),
        None => analytics::summarize(records, &opts),
    });
    summary_dict(py, &s.map_err(py_err)?)
}

/// Derived fields and validation flags per session, as plain data.
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None))]
pub fn analyse_sessions<'py>(
    py: Python<'py>,
    sessions: &Bound<'py, PyAny>,
    tz: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let sessions = sessions_arg(sessions)?;
    let opts = SummaryOptions::from_json(&options_json(options, tz)?).map_err(py_err)?;
    analytics::analyse_sessions(sessions.records(), &opts)
        .iter()
        .map(|a| analysis_dict(py, a))
        .collect()
}

/// One session record as a dict of its serde field names, in the types `summarize` reads
/// back (aware UTC datetimes, energy in Wh and power in W as `Decimal`); absent optional
/// fields are left out.
fn record_dict<'py>(py: Python<'py>, r: &SessionRecord) -> PyResult<Bound<'py, PyDict>> {
    let d = fields!(py, r; session_id, station_id, port_id, plug_in, plug_out);
    d.set_item("energy", r.energy.wh())?;
    macro_rules! optional {
        ($($f:ident),*) => {$( if let Some(v) = &r.$f { d.set_item(stringify!($f), v)?; } )*};
    }
    optional!(
        site_id,
        user_id,
        tx_start,
        tx_end,
        charge_start,
        charge_end,
        charging_s,
        throttled_s,
        soc_start,
        soc_end,
        stop_reason,
        payment_type
    );
    if let Some(p) = r.peak_power {
        d.set_item("peak_power", p.w())?;
    }
    if let Some(p) = r.rated_power {
        d.set_item("rated_power", p.w())?;
    }
    if let Some(e) = r.ended_by {
        d.set_item("ended_by", e.as_str())?;
    }
    if !r.error_codes.is_empty() {
        d.set_item("error_codes", &r.error_codes)?;
    }
    if let Some(f) = &r.fees {
        d.set_item("fees", fields!(py, f; total, energy, session, time))?;
    }
    Ok(d)
}

/// The core's seeded synthetic sessions (`chargekit::analytics::generate`) for a
/// `GeneratorConfig` dict (None: the defaults), with the summary options of the generated
/// site (time zone, period, ports) as plain data.
/// With `batch`, the sessions are a `SessionBatch` rather than a list of dicts.
#[pyfunction]
#[pyo3(signature = (config=None, *, batch=false))]
pub fn generate_sessions<'py>(
    py: Python<'py>,
    config: Option<&Bound<'py, PyAny>>,
    batch: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = GeneratorConfig::from_json(&options_json(config, None)?).map_err(py_err)?;
    let generated = py.detach(|| analytics::generate(&cfg)).map_err(py_err)?;
    let sessions = if batch {
        Bound::new(py, PySessionBatch(generated))?.into_any()
    } else {
        let list = PyList::empty(py);
        for r in &generated {
            list.append(record_dict(py, r)?)?;
        }
        list.into_any()
    };
    let opts: Value = serde_json::from_str(&cfg.summary_options().map_err(py_err)?.to_json())
        .unwrap_or(Value::Null);
    let d = PyDict::new(py);
    d.set_item("sessions", sessions)?;
    d.set_item(
        "options",
        convert::json_to_py(py, &opts, convert::Numbers::IntOrDecimal)?,
    )?;
    Ok(d)
}

/// Scores per location (or station), the ranking and the action items, as plain data.
#[pyfunction]
#[pyo3(signature = (feedback, telemetry=None, *, options=None))]
pub fn score<'py>(
    py: Python<'py>,
    feedback: &Bound<'py, PyAny>,
    telemetry: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let items = feedback_records(feedback)?;
    let sessions = match telemetry {
        Some(t) if !t.is_none() => session_records(t)?,
        _ => Vec::new(),
    };
    let opts = ScoreOptions::from_json(&options_json(options, None)?).map_err(py_err)?;
    let r = py.detach(|| feedback::score(&items, &sessions, &opts));
    report_dict(py, &r)
}

/// The score of one location (or station) id, as plain data.
#[pyfunction]
#[pyo3(signature = (id, feedback, telemetry=None, *, options=None))]
pub fn score_one<'py>(
    py: Python<'py>,
    id: &str,
    feedback: &Bound<'py, PyAny>,
    telemetry: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let items = feedback_records(feedback)?;
    let sessions = match telemetry {
        Some(t) if !t.is_none() => session_records(t)?,
        _ => Vec::new(),
    };
    let opts = ScoreOptions::from_json(&options_json(options, None)?).map_err(py_err)?;
    score_dict(py, &feedback::score_one(id, &items, &sessions, &opts))
}

// ---------------------------------------------------------------- §3 patterns

/// `patterns=`: a dict of the core's `PatternOptions` fields, or None for the defaults.
fn pattern_options(patterns: Option<&Bound<'_, PyAny>>) -> PyResult<PatternOptions> {
    let text = options_json(patterns, None)?;
    PatternOptions::from_json(&text).map_err(py_err)
}

fn dwell_dict<'py>(py: Python<'py>, d: &DwellStats) -> PyResult<Bound<'py, PyDict>> {
    Ok(fields!(py, d; min_s, p25_s, median_s, p75_s, max_s, mean_s))
}

fn patterns_dict<'py>(py: Python<'py>, p: &BehaviourPatterns) -> PyResult<Bound<'py, PyDict>> {
    let users = PyList::empty(py);
    for u in &p.users {
        let d = fields!(py, u; user_id, sessions, arrival_hour, departure_hour, mean_energy_kwh,
            overstay_share, home_site, home_share, trusted);
        d.set_item("dwell", dwell_dict(py, &u.dwell)?)?;
        users.append(d)?;
    }
    let segments = PyList::empty(py);
    for s in &p.segments {
        let d = fields!(py, s; sessions, mean_energy_kwh);
        d.set_item("segment", s.segment.as_str())?;
        d.set_item("dwell", dwell_dict(py, &s.dwell)?)?;
        let classes = PyDict::new(py);
        for c in &s.classes {
            classes.set_item(c.class.as_str(), c.sessions)?;
        }
        d.set_item("classes", classes)?;
        segments.append(d)?;
    }
    let d = PyDict::new(py);
    d.set_item("users", users)?;
    d.set_item("segments", segments)?;
    Ok(d)
}

/// Per-user patterns and AC/DC segments (digest §3), as plain data.
#[pyfunction]
#[pyo3(signature = (sessions, tz=None, *, options=None, patterns=None))]
pub fn behaviour_patterns<'py>(
    py: Python<'py>,
    sessions: &Bound<'py, PyAny>,
    tz: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    patterns: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let records = sessions_arg(sessions)?;
    let opts = SummaryOptions::from_json(&options_json(options, tz)?).map_err(py_err)?;
    let p = analytics::behaviour_patterns(records.records(), &opts, &pattern_options(patterns)?)
        .map_err(py_err)?;
    patterns_dict(py, &p)
}

/// Expected departures learnt from past sessions (the user's median dwell, else the site's
/// for that local hour of the week, else the site's overall median).
#[pyclass(frozen, name = "DepartureForecaster", module = "chargekit.analytics")]
pub struct PyDepartureForecaster(DepartureForecaster);

#[pymethods]
impl PyDepartureForecaster {
    #[new]
    #[pyo3(signature = (sessions, tz=None, *, options=None, patterns=None))]
    fn new(
        sessions: &Bound<'_, PyAny>,
        tz: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        patterns: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let records = sessions_arg(sessions)?;
        let opts = SummaryOptions::from_json(&options_json(options, tz)?).map_err(py_err)?;
        DepartureForecaster::fit(records.records(), &opts, &pattern_options(patterns)?)
            .map(Self)
            .map_err(py_err)
    }

    /// The expected departure of a car arriving at `arrival` (aware datetime): a dict with
    /// `departure`, `dwell_s`, `basis` and `sessions`, or None when nothing was learnt.
    #[pyo3(signature = (arrival, user_id=None))]
    fn forecast<'py>(
        &self,
        py: Python<'py>,
        arrival: &Bound<'py, PyAny>,
        user_id: Option<&str>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let arrival = convert::aware_utc(arrival)?;
        self.0
            .forecast(user_id, arrival)
            .map(|f| {
                let d = fields!(py, f; departure, dwell_s, sessions);
                d.set_item("basis", f.basis.as_str())?;
                Ok(d)
            })
            .transpose()
    }
}
