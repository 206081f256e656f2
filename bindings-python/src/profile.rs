//! `chargekit.ocpp.SmartChargingStation`: the core's profile store and composite schedule
//! (`chargekit::profile`). Configuration, options and preferences cross through the core's
//! serde forms; profiles as OCPP JSON (text or dict); schedules as read-only views.

use crate::convert::{self, Floats, Numbers};
use crate::errors::{core, CoreResult, Error};
use chargekit::profile::{
    ChargingPreferences, ChargingProfile, ChargingProfilePurpose, ChargingRateUnit, ClearCriteria,
    CompositePeriod, CompositeSchedule, InstalledProfile, PreferencePlan, ProfileRef,
    ProfileVersion, SmartChargingStation, StationConfig, UnmetWish,
};
use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyString};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::str::FromStr;

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// `"1.6"`, `"2.0.1"` or `"2.1"`, parsed by the core.
fn version(v: &str) -> CoreResult<ProfileVersion> {
    ProfileVersion::from_str(v).map_err(Error::from)
}

/// `"A"` or `"W"` (None: the station's preferred unit).
fn unit(u: Option<&str>) -> PyResult<Option<ChargingRateUnit>> {
    u.map(|u| ChargingRateUnit::from_str(u).map_err(PyValueError::new_err))
        .transpose()
}

/// The profile that set a limit: id, purpose, stack level and the EVSE it is installed on.
#[pyclass(
    frozen,
    eq,
    hash,
    name = "ChargingProfileRef",
    module = "chargekit.ocpp"
)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyProfileRef(pub ProfileRef);

#[pymethods]
impl PyProfileRef {
    /// The profile id.
    #[getter]
    fn id(&self) -> i32 {
        self.0.id
    }
    /// Its purpose, e.g. ``"TxDefaultProfile"``.
    #[getter]
    fn purpose(&self) -> &'static str {
        self.0.purpose.as_str()
    }
    /// Its stack level.
    #[getter]
    fn stack_level(&self) -> u32 {
        self.0.stack_level
    }
    /// The EVSE it is installed on (0 = station-wide).
    #[getter]
    fn evse_id(&self) -> u32 {
        self.0.evse_id
    }
    fn __repr__(&self) -> String {
        format!(
            "ChargingProfileRef(id={}, purpose='{}', stack_level={}, evse_id={})",
            self.0.id,
            self.0.purpose.as_str(),
            self.0.stack_level,
            self.0.evse_id
        )
    }
}

/// One period of a composite schedule.
#[pyclass(frozen, eq, name = "CompositePeriod", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyCompositePeriod(pub CompositePeriod);

#[pymethods]
impl PyCompositePeriod {
    /// Seconds from the schedule start.
    #[getter]
    fn start_period(&self) -> u32 {
        self.0.start_period
    }
    /// The limit in the schedule's unit (Decimal); None only with ``gap_fill="no_limit"``.
    #[getter]
    fn limit(&self) -> Option<Decimal> {
        self.0.limit
    }
    /// The phase count in force, or None when no input gave one.
    #[getter]
    fn number_phases(&self) -> Option<u8> {
        self.0.number_phases
    }
    /// The profile that set the limit, when a single profile did (None for a gap and for
    /// an EVSE-0 sum).
    #[getter]
    fn profile(&self) -> Option<PyProfileRef> {
        self.0.binding.map(PyProfileRef)
    }
    /// What set the limit: ``"profile"``, ``"default"`` (no profile applied),
    /// ``"evse_sum"`` (EVSE 0 summed over the EVSEs) or ``"reported"``.
    #[getter]
    fn source(&self) -> &'static str {
        self.0.source.as_str()
    }
    /// Every profile involved (for a sum, those of all EVSEs), each once.
    #[getter]
    fn profiles(&self) -> Vec<PyProfileRef> {
        self.0.profiles.iter().copied().map(PyProfileRef).collect()
    }
    /// For an EVSE-0 sum: ``(evse_id, profile or None)`` per EVSE; else an empty list.
    #[getter]
    fn evse_parts(&self) -> Vec<(u32, Option<PyProfileRef>)> {
        self.0
            .evse_sources
            .iter()
            .map(|e| (e.evse_id, e.binding.map(PyProfileRef)))
            .collect()
    }
    fn __repr__(&self) -> String {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "None".into());
        format!(
            "CompositePeriod(start_period={}, limit={}, number_phases={}, source='{}', profile={})",
            self.0.start_period,
            opt(self.0.limit.map(|l| format!("Decimal('{l}')"))),
            opt(self.0.number_phases.map(|n| n.to_string())),
            self.0.source.as_str(),
            opt(self.0.binding.map(|p| p.id.to_string()))
        )
    }
}

/// A composite schedule: the limit over time for an EVSE, or for the station (EVSE 0).
#[pyclass(frozen, eq, name = "CompositeSchedule", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyCompositeSchedule(pub CompositeSchedule);

#[pymethods]
impl PyCompositeSchedule {
    /// The EVSE (0 = the station).
    #[getter]
    fn evse_id(&self) -> u32 {
        self.0.evse_id
    }
    /// Start of the window (aware UTC datetime, whole seconds).
    #[getter]
    fn schedule_start(&self) -> DateTime<Utc> {
        self.0.schedule_start
    }
    /// Length of the window in seconds.
    #[getter]
    fn duration(&self) -> u32 {
        self.0.duration
    }
    /// Unit of every limit: ``"A"`` or ``"W"``.
    #[getter]
    fn unit(&self) -> &'static str {
        self.0.unit.as_str()
    }
    /// The periods, the first at 0, strictly increasing.
    #[getter]
    fn periods(&self) -> Vec<PyCompositePeriod> {
        self.0
            .periods
            .iter()
            .cloned()
            .map(PyCompositePeriod)
            .collect()
    }
    /// The period in force ``offset`` seconds after the start.
    fn period_at(&self, offset: u32) -> Option<PyCompositePeriod> {
        self.0.period_at(offset).cloned().map(PyCompositePeriod)
    }
    /// The GetCompositeSchedule response in the OCPP version's shape (``"2.0.1"``,
    /// ``"2.1"`` or ``"1.6"``), as a dict: integers are ``int``, other numbers ``Decimal``
    /// (what ``json.loads(text, parse_float=Decimal)`` gives).
    #[pyo3(signature = (version="2.0.1"))]
    fn to_ocpp<'py>(&self, py: Python<'py>, version: &str) -> PyResult<Bound<'py, PyAny>> {
        let v = self::version(version)?;
        convert::json_to_py(py, &self.0.to_ocpp(v), Numbers::IntOrDecimal)
    }
    fn __len__(&self) -> usize {
        self.0.periods.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "CompositeSchedule(evse_id={}, schedule_start={}, duration={}, unit='{}', periods={})",
            self.0.evse_id,
            iso(self.0.schedule_start),
            self.0.duration,
            self.0.unit.as_str(),
            self.0.periods.len()
        )
    }
}

/// A wish of the driver that a plan cannot meet.
#[pyclass(frozen, eq, name = "UnmetWish", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyUnmetWish(pub UnmetWish);

#[pymethods]
impl PyUnmetWish {
    /// ``"energy_shortfall"``, ``"departure_in_past"``, ``"start_after_departure"``,
    /// ``"no_window_before_departure"`` or ``"too_many_periods"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0 {
            UnmetWish::EnergyShortfall { .. } => "energy_shortfall",
            UnmetWish::DepartureInPast => "departure_in_past",
            UnmetWish::StartAfterDeparture => "start_after_departure",
            UnmetWish::NoWindowBeforeDeparture => "no_window_before_departure",
            UnmetWish::TooManyPeriods { .. } => "too_many_periods",
        }
    }
    /// Energy asked for, Wh (``energy_shortfall`` only).
    #[getter]
    fn requested_wh(&self) -> Option<Decimal> {
        match self.0 {
            UnmetWish::EnergyShortfall { requested_wh, .. } => Some(requested_wh),
            _ => None,
        }
    }
    /// Energy the plan can deliver, Wh (``energy_shortfall`` only).
    #[getter]
    fn deliverable_wh(&self) -> Option<Decimal> {
        match self.0 {
            UnmetWish::EnergyShortfall { deliverable_wh, .. } => Some(deliverable_wh),
            _ => None,
        }
    }
    /// Periods the plan needs (``too_many_periods`` only).
    #[getter]
    fn needed(&self) -> Option<u64> {
        match self.0 {
            UnmetWish::TooManyPeriods { needed, .. } => Some(needed),
            _ => None,
        }
    }
    /// Periods the station accepts (``too_many_periods`` only).
    #[getter]
    fn allowed(&self) -> Option<u32> {
        match self.0 {
            UnmetWish::TooManyPeriods { allowed, .. } => Some(allowed),
            _ => None,
        }
    }
    fn __repr__(&self) -> String {
        format!("UnmetWish(kind='{}')", self.kind())
    }
}

/// A TxProfile planned from a driver's preferences, and what it achieves.
#[pyclass(frozen, eq, name = "PreferencePlan", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyPreferencePlan(pub PreferencePlan);

#[pymethods]
impl PyPreferencePlan {
    /// The generated OCPP 2.0.1 ChargingProfile (an Absolute TxProfile) as a dict, ready
    /// for ``SmartChargingStation.install``.
    #[getter]
    fn profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::json_to_py(py, &self.0.profile.to_value(), Numbers::IntOrDecimal)
    }
    /// The profile as OCPP JSON text.
    fn profile_json(&self) -> String {
        self.0.profile.to_json()
    }
    /// Energy the profile allows, Wh; None when unbounded.
    #[getter]
    fn deliverable_wh(&self) -> Option<Decimal> {
        self.0.deliverable_wh
    }
    /// When charging first may happen (None: never).
    #[getter]
    fn charging_starts(&self) -> Option<DateTime<Utc>> {
        self.0.charging_starts
    }
    /// When the last charging period ends (None: open-ended or never).
    #[getter]
    fn charging_ends(&self) -> Option<DateTime<Utc>> {
        self.0.charging_ends
    }
    /// The wishes that cannot be met (empty: all met).
    #[getter]
    fn unmet(&self) -> Vec<PyUnmetWish> {
        self.0.unmet.iter().cloned().map(PyUnmetWish).collect()
    }
    /// True when every wish can be met.
    #[getter]
    fn all_met(&self) -> bool {
        self.0.all_met
    }
    fn __repr__(&self) -> String {
        format!(
            "PreferencePlan(profile_id={}, deliverable_wh={}, unmet=[{}])",
            self.0.profile.id,
            self.0
                .deliverable_wh
                .map(|d| format!("Decimal('{d}')"))
                .unwrap_or_else(|| "None".into()),
            self.0
                .unmet
                .iter()
                .map(|u| format!("'{}'", PyUnmetWish(u.clone()).kind()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// A profile installed on a station.
#[pyclass(frozen, eq, name = "InstalledProfile", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyInstalledProfile(pub InstalledProfile);

#[pymethods]
impl PyInstalledProfile {
    /// The profile id.
    #[getter]
    fn id(&self) -> i32 {
        self.0.id
    }
    /// Its purpose (2.x name, also for 1.6 installs).
    #[getter]
    fn purpose(&self) -> &'static str {
        self.0.purpose.as_str()
    }
    /// Its stack level.
    #[getter]
    fn stack_level(&self) -> u32 {
        self.0.stack_level
    }
    /// The EVSE it was installed on (0 = station-wide).
    #[getter]
    fn evse_id(&self) -> u32 {
        self.0.evse_id
    }
    /// The OCPP version it came in.
    #[getter]
    fn version(&self) -> String {
        self.0.version.to_string()
    }
    /// ``"csms"`` (SetChargingProfile) or ``"local"`` (external constraints).
    #[getter]
    fn origin(&self) -> PyResult<String> {
        match serde_json::to_value(self.0.origin) {
            Ok(Value::String(s)) => Ok(s),
            _ => Err(PyValueError::new_err("profile origin has no name")),
        }
    }
    /// The profile as installed, as a 2.x ChargingProfile dict (1.6 profiles converted).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::json_to_py(py, &self.0.profile.to_value(), Numbers::IntOrDecimal)
    }
    fn __repr__(&self) -> String {
        format!(
            "InstalledProfile(id={}, purpose='{}', stack_level={}, evse_id={})",
            self.0.id,
            self.0.purpose.as_str(),
            self.0.stack_level,
            self.0.evse_id
        )
    }
}

/// The keyword arguments of the constructor → the core's `StationConfig` JSON form
/// (omitted ones keep the core's defaults).
fn config(
    evse_ids: Option<&Bound<'_, PyAny>>,
    quantities: [(&str, Option<&Bound<'_, PyAny>>); 3],
    default_number_phases: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyAny>>,
) -> PyResult<StationConfig> {
    let mut map = Map::new();
    let mut put = |name: &str, v: Option<&Bound<'_, PyAny>>| -> PyResult<()> {
        if let Some(v) = v.filter(|v| !v.is_none()) {
            map.insert(name.into(), convert::py_to_json(v, Floats::Reject)?);
        }
        Ok(())
    };
    put("evse_ids", evse_ids)?;
    put("default_number_phases", default_number_phases)?;
    if let Some(o) = options.filter(|o| !o.is_none()) {
        if !o.is_instance_of::<PyDict>() {
            return Err(PyTypeError::new_err(format!(
                "options must be a dict of StationOptions fields or None, got {}",
                o.get_type().name()?
            )));
        }
    }
    put("options", options)?;
    for (name, v) in quantities {
        if let Some(v) = v.filter(|v| !v.is_none()) {
            map.insert(name.into(), Value::String(convert::quantity_text(v, name)?));
        }
    }
    core(StationConfig::from_json(&Value::Object(map).to_string()))
}

/// A profile argument (JSON text or dict) in a version's shape → the core's model.
fn profile_arg(profile: &Bound<'_, PyAny>, v: ProfileVersion) -> PyResult<ChargingProfile> {
    let text = convert::document_text(profile, "profile")?;
    core(ChargingProfile::from_json_version(&text, v))
}

/// `**preferences` → the core's `ChargingPreferences` through its serde form; an unknown
/// name is a `TypeError`, as for any unexpected keyword argument.
fn preferences(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<ChargingPreferences> {
    let known = match serde_json::to_value(ChargingPreferences::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut map = Map::new();
    for (k, v) in kwargs.into_iter().flat_map(|d| d.iter()) {
        let name = k.extract::<String>()?;
        if !known.contains_key(&name) {
            let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err(PyTypeError::new_err(format!(
                "plan_preferences() got an unexpected keyword argument {name:?}; expected one of: {}",
                names.join(", ")
            )));
        }
        if !v.is_none() {
            map.insert(name, convert::py_to_json(&v, Floats::Reject)?);
        }
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| -> PyErr {
        Error::from(chargekit::Error::InvalidPreferences {
            reason: e.to_string(),
        })
        .into()
    })
}

fn transaction_id(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) if o.is_instance_of::<PyString>() => Ok(Some(o.extract::<String>()?)),
        Some(o) if o.is_instance_of::<PyInt>() => Ok(convert::int_text(o)?),
        Some(o) => Err(PyTypeError::new_err(format!(
            "transaction_id must be a str or an int, got {}",
            o.get_type().name()?
        ))),
    }
}

/// The smart-charging state of one charging station: installed charging profiles and
/// running transactions, with the install rules of OCPP 1.6 / 2.x and the composite
/// schedule (GetCompositeSchedule).
///
/// ``SmartChargingStation(evse_ids=[1, 2], default_limit_amps=Decimal(32),
/// default_limit_watts=22080, supply_voltage=230, default_number_phases=3,
/// options={"gap_fill": "no_limit"})``: omitted values keep the core's defaults (one EVSE,
/// 48 A, 33 120 W, 230 V, 3 phases); ``options`` are the core's ``StationOptions`` fields
/// (snake_case); quantities are ``Decimal`` or ``int``, never ``float``.
#[pyclass(name = "SmartChargingStation", module = "chargekit.ocpp")]
pub struct PyStation(SmartChargingStation);

#[pymethods]
impl PyStation {
    #[new]
    #[pyo3(signature = (evse_ids=None, *, default_limit_amps=None, default_limit_watts=None,
        supply_voltage=None, default_number_phases=None, options=None))]
    fn new(
        evse_ids: Option<&Bound<'_, PyAny>>,
        default_limit_amps: Option<&Bound<'_, PyAny>>,
        default_limit_watts: Option<&Bound<'_, PyAny>>,
        supply_voltage: Option<&Bound<'_, PyAny>>,
        default_number_phases: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let config = config(
            evse_ids,
            [
                ("default_limit_amps", default_limit_amps),
                ("default_limit_watts", default_limit_watts),
                ("supply_voltage", supply_voltage),
            ],
            default_number_phases,
            options,
        )?;
        Ok(Self(core(SmartChargingStation::new(config))?))
    }

    /// Installs a profile sent by the CSMS (SetChargingProfile): JSON text or a dict in
    /// the shape of ``version`` (``"2.0.1"``, ``"2.1"``, or ``"1.6"`` for
    /// ``csChargingProfiles``), on ``evse_id`` (0 = station-wide). Returns the ids of the
    /// profiles it replaced. Raises ``ProfileRejectedError`` (``.rule``, e.g.
    /// ``"K01.FR.06"``) when the station would reject it, ``InvalidProfileError`` when it
    /// is malformed.
    #[pyo3(signature = (profile, evse_id=0, version="2.0.1"))]
    fn install(
        &mut self,
        profile: &Bound<'_, PyAny>,
        evse_id: u32,
        version: &str,
    ) -> PyResult<Vec<i32>> {
        let v = self::version(version)?;
        let text = convert::document_text(profile, "profile")?;
        Ok(core(self.0.install(&text, evse_id, v))?.replaced)
    }

    /// Sets a limit from a local actor such as an EMS: a
    /// ChargingStationExternalConstraints (or 2.1 LocalGeneration) profile, which the CSMS
    /// may not send. Same arguments and result as ``install``.
    #[pyo3(signature = (profile, evse_id=0, version="2.0.1"))]
    fn set_external_constraints(
        &mut self,
        profile: &Bound<'_, PyAny>,
        evse_id: u32,
        version: &str,
    ) -> PyResult<Vec<i32>> {
        let v = self::version(version)?;
        let p = profile_arg(profile, v)?;
        Ok(core(self.0.set_external_constraints(p, evse_id, v))?.replaced)
    }

    /// Removes CSMS profiles matching every given criterion (none given: all); returns
    /// the ids removed. ``purpose`` is a 2.x purpose name.
    #[pyo3(signature = (*, id=None, evse_id=None, purpose=None, stack_level=None))]
    fn clear(
        &mut self,
        id: Option<i32>,
        evse_id: Option<u32>,
        purpose: Option<&str>,
        stack_level: Option<u32>,
    ) -> PyResult<Vec<i32>> {
        let purpose = purpose
            .map(|p| ChargingProfilePurpose::from_str(p).map_err(PyValueError::new_err))
            .transpose()?;
        let criteria = ClearCriteria {
            id,
            evse_id,
            purpose,
            stack_level,
        };
        core(self.0.clear(&criteria))
    }

    /// Starts a transaction on an EVSE at ``at`` (an aware datetime), replacing a running
    /// one there. Relative profiles are anchored at ``at``; TxProfiles must name
    /// ``transaction_id`` when it is given.
    #[pyo3(signature = (evse_id, at, transaction_id=None))]
    fn start_transaction(
        &mut self,
        evse_id: u32,
        at: &Bound<'_, PyAny>,
        transaction_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let at = convert::aware_utc(at)?;
        let tx = self::transaction_id(transaction_id)?;
        core(self.0.start_transaction(evse_id, at, tx))
    }

    /// Ends the transaction on an EVSE (its TxProfiles go with it); returns whether one
    /// was running.
    fn stop_transaction(&mut self, evse_id: u32) -> bool {
        self.0.stop_transaction(evse_id).is_some()
    }

    /// The composite schedule of an EVSE (or of the whole station for EVSE 0) over
    /// ``[start, start + duration)``, as GetCompositeSchedule computes it. ``start`` is an
    /// aware datetime ("now"), ``duration`` whole seconds, ``unit`` ``"A"``/``"W"`` (None:
    /// the station's preferred unit).
    #[pyo3(signature = (evse_id, start, duration, unit=None))]
    fn composite_schedule(
        &self,
        py: Python<'_>,
        evse_id: u32,
        start: &Bound<'_, PyAny>,
        duration: i64,
        unit: Option<&str>,
    ) -> PyResult<PyCompositeSchedule> {
        let start = convert::aware_utc(start)?;
        let unit = self::unit(unit)?;
        let station = &self.0;
        let s = py.detach(|| station.composite_schedule(evse_id, start, duration, unit));
        Ok(PyCompositeSchedule(core(s)?))
    }

    /// Plans a TxProfile for the transaction on an EVSE from the driver's preferences,
    /// capped by what the station allows there. Preferences are keyword arguments (the
    /// core's ``ChargingPreferences`` fields): ``max_current_a``, ``max_power_w``,
    /// ``max_energy_wh`` (Decimal or int), ``start_at``, ``departure`` (aware datetimes),
    /// ``off_peak`` (a list of ``(start, end)`` pairs). Install the result with
    /// ``install(plan.profile, evse_id)``.
    #[pyo3(signature = (evse_id, *, now, profile_id, stack_level=0, unit=None, **preferences))]
    fn plan_preferences(
        &self,
        evse_id: u32,
        now: &Bound<'_, PyAny>,
        profile_id: i32,
        stack_level: u32,
        unit: Option<&str>,
        preferences: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyPreferencePlan> {
        let now = convert::aware_utc(now)?;
        let unit = self::unit(unit)?;
        let prefs = self::preferences(preferences)?;
        let plan = self
            .0
            .plan_preferences(evse_id, &prefs, now, profile_id, stack_level, unit);
        Ok(PyPreferencePlan(core(plan)?))
    }

    /// The installed profiles, in installation order.
    #[getter]
    fn profiles(&self) -> Vec<PyInstalledProfile> {
        self.0
            .profiles()
            .into_iter()
            .map(PyInstalledProfile)
            .collect()
    }

    /// The EVSE ids.
    #[getter]
    fn evse_ids(&self) -> Vec<u32> {
        self.0.config().evse_ids.clone()
    }

    /// The options in force, as a dict of the core's ``StationOptions`` fields.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: Value = serde_json::from_str(&self.0.options().to_json()).unwrap_or_default();
        convert::json_to_py(py, &v, Numbers::IntOrDecimal)
    }

    /// The transaction on an EVSE as ``(started_at, transaction_id)``, or None.
    fn transaction(&self, evse_id: u32) -> Option<(DateTime<Utc>, Option<String>)> {
        self.0
            .transaction(evse_id)
            .map(|t| (t.started_at, t.transaction_id.clone()))
    }

    fn __repr__(&self) -> String {
        format!(
            "SmartChargingStation(evse_ids={:?}, profiles={})",
            self.0.config().evse_ids,
            self.0.profiles().len()
        )
    }
}
