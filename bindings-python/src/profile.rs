//! `chargekit.ocpp.SmartChargingStation` and `CompositeSchedule`: the core's profile store
//! and composite schedule (`chargekit::profile`), the two types with behaviour. Their data
//! fields come through the one conversion table (`records`); the records they hand out
//! (`CompositePeriod`, `InstalledProfile`, `PreferencePlan`, …) are the core's, registered
//! as record classes in `chargekit/ocpp.py`. Options and preferences cross through the
//! core's serde forms, profiles as OCPP JSON, versions by name (`chargekit::boundary::profile`).

use crate::convert::{self, wrong_type, Floats, Int, Numbers, Text};
use crate::errors::{detached, guarded, parse_arg, py_err, CoreResult};
use crate::records::{self, list_to_py, to_py};
use crate::Any;
use chargekit::boundary::profile as boundary;
use chargekit::json::{Map, Value};
use chargekit::profile::{
    ChargingPreferences, ChargingRateUnit, ClearCriteria, CompositeSchedule, SmartChargingStation,
    StationOptions,
};
use chrono::{DateTime, SecondsFormat::AutoSi, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString};
use rust_decimal::Decimal;

/// A composite schedule: the limit over time for an EVSE, or for the station (EVSE 0).
/// Fields: ``evse_id``, ``schedule_start`` (aware UTC datetime, whole seconds), ``duration``
/// (s), ``unit`` (``"A"``/``"W"``), ``periods`` (``CompositePeriod`` records, the first at
/// 0, strictly increasing).
#[pyclass(frozen, eq, name = "CompositeSchedule", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyCompositeSchedule(pub CompositeSchedule);

#[pymethods]
impl PyCompositeSchedule {
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.0, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().0)
    }
    /// The period in force ``offset`` seconds after the start.
    fn period_at<'py>(&self, py: Python<'py>, offset: Int<u32>) -> PyResult<Any<'py>> {
        to_py(py, &guarded(|| Ok(self.0.period_at(offset.0)))?)
    }
    /// The GetCompositeSchedule response in the OCPP version's shape (``"2.0.1"``,
    /// ``"2.1"`` or ``"1.6"``), as a dict: integers are ``int``, other numbers ``Decimal``
    /// (what ``json.loads(text, parse_float=Decimal)`` gives).
    #[pyo3(signature = (version=Text("2.0.1".into())), text_signature = "($self, version='2.0.1')")]
    fn to_ocpp<'py>(&self, py: Python<'py>, version: Text) -> PyResult<Any<'py>> {
        let response = guarded(|| boundary::composite_response(&self.0, &version))?;
        convert::json_to_py(py, &response, Numbers::IntOrDecimal)
    }
    fn __len__(&self) -> usize {
        self.0.periods.len()
    }
    fn __repr__(&self) -> String {
        let s = &self.0;
        let start = s.schedule_start.to_rfc3339_opts(AutoSi, true);
        let (evse, duration, unit, n) = (s.evse_id, s.duration, &s.unit, s.periods.len());
        format!("CompositeSchedule(evse_id={evse}, schedule_start={start}, duration={duration}, unit='{unit}', periods={n})")
    }
}

/// An exact quantity argument (``Decimal``, ``int`` or decimal text, never ``float``).
fn quantity(v: Option<&Any<'_>>, name: &str) -> PyResult<Option<Decimal>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let text = convert::quantity_text(v, name)?;
    Ok(Some(guarded(|| boundary::station_quantity(name, &text))?))
}

/// `**preferences` → the core's `ChargingPreferences` through its serde form; an unknown
/// name is a `TypeError`, as for any unexpected keyword argument.
fn preferences(py: Python<'_>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<ChargingPreferences> {
    let mut known = records::field_names(py, &ChargingPreferences::default())?;
    known.sort_unstable();
    let mut map = Map::new();
    for (k, v) in kw.into_iter().flat_map(|d| d.iter()) {
        let name: String = k.extract()?;
        if !known.contains(&name.as_str()) {
            return Err(PyTypeError::new_err(format!(
                "plan_preferences() got an unexpected keyword argument {name:?}; expected one of: {}",
                known.join(", ")
            )));
        }
        if !v.is_none() {
            map.insert(name, convert::py_to_json(&v, Floats::Reject)?);
        }
    }
    convert::from_json(&Value::Object(map))
        .map_err(|reason| py_err(chargekit::Error::InvalidPreferences { reason }))
}

fn transaction_id(obj: Option<&Any<'_>>) -> PyResult<Option<String>> {
    let name = "transaction_id";
    match obj.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) if o.is_instance_of::<PyString>() => convert::str_text(o, name).map(Some),
        Some(o) if o.is_instance_of::<PyInt>() => Ok(convert::int_text(o)?),
        Some(o) => Err(wrong_type(o, "transaction_id must be a str or an int")),
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
/// (snake_case); quantities are ``Decimal`` or ``int``, never ``float``. The configuration
/// reads back as attributes (``evse_ids``, ``default_limit_amps``, …, ``options`` as a dict).
#[pyclass(name = "SmartChargingStation", module = "chargekit.ocpp")]
pub struct PyStation(SmartChargingStation);

#[pymethods]
impl PyStation {
    #[new]
    #[pyo3(signature = (evse_ids=None, *, default_limit_amps=None, default_limit_watts=None,
        supply_voltage=None, default_number_phases=None, options=None))]
    fn new(
        evse_ids: Option<Vec<Int<u32>>>,
        default_limit_amps: Option<&Any<'_>>,
        default_limit_watts: Option<&Any<'_>>,
        supply_voltage: Option<&Any<'_>>,
        default_number_phases: Option<Int<u8>>,
        options: Option<&Any<'_>>,
    ) -> PyResult<Self> {
        let amps = quantity(default_limit_amps, "default_limit_amps")?;
        let watts = quantity(default_limit_watts, "default_limit_watts")?;
        let volts = quantity(supply_voltage, "supply_voltage")?;
        let phases = default_number_phases.map(|n| n.0);
        let expected = "options must be a dict of StationOptions fields or None";
        let options = convert::options(options, expected, StationOptions::from_json)?;
        let evse_ids = evse_ids.map(|ids| ids.into_iter().map(|n| n.0).collect());
        let station = guarded(|| boundary::station(evse_ids, amps, watts, volts, phases, options))?;
        Ok(Self(station))
    }
    /// The configuration's fields (see the class doc), converted on access.
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, self.0.config(), name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), slf.borrow().0.config())
    }
    /// Installs a profile sent by the CSMS (SetChargingProfile): JSON text or a dict in
    /// the shape of ``version`` (``"2.0.1"``, ``"2.1"``, or ``"1.6"`` for
    /// ``csChargingProfiles``), on ``evse_id`` (0 = station-wide). Returns the ids of the
    /// profiles it replaced. Raises ``ProfileRejectedError`` (``.rule_id``, e.g.
    /// ``"K01.FR.06"``) when the station would reject it, ``InvalidProfileError`` when it
    /// is malformed.
    #[pyo3(signature = (profile, evse_id=Int(0), version=Text("2.0.1".into())), text_signature = "($self, profile, evse_id=0, version='2.0.1')")]
    fn install(
        &mut self,
        profile: &Any<'_>,
        evse_id: Int<u32>,
        version: Text,
    ) -> PyResult<Vec<i32>> {
        let text = convert::document_text(profile, "profile")?;
        let outcome = guarded(|| boundary::install(&mut self.0, &text, evse_id.0, &version))?;
        Ok(outcome.replaced)
    }
    /// Sets a limit from a local actor such as an EMS: a
    /// ChargingStationExternalConstraints (or 2.1 LocalGeneration) profile, which the CSMS
    /// may not send. Same arguments and result as ``install``.
    #[pyo3(signature = (profile, evse_id=Int(0), version=Text("2.0.1".into())), text_signature = "($self, profile, evse_id=0, version='2.0.1')")]
    fn set_external_constraints(
        &mut self,
        profile: &Any<'_>,
        evse_id: Int<u32>,
        version: Text,
    ) -> PyResult<Vec<i32>> {
        let text = convert::document_text(profile, "profile")?;
        let outcome = guarded(|| {
            boundary::set_external_constraints(&mut self.0, &text, evse_id.0, &version)
        })?;
        Ok(outcome.replaced)
    }
    /// Removes CSMS profiles matching every given criterion (none given: all); returns
    /// the ids removed. ``purpose`` is a 2.x purpose name.
    #[pyo3(signature = (*, id=None, evse_id=None, purpose=None, stack_level=None))]
    fn clear(
        &mut self,
        id: Option<Int<i32>>,
        evse_id: Option<Int<u32>>,
        purpose: Option<Text>,
        stack_level: Option<Int<u32>>,
    ) -> PyResult<Vec<i32>> {
        let criteria = ClearCriteria {
            id: id.map(|n| n.0),
            evse_id: evse_id.map(|n| n.0),
            purpose: purpose.map(|p| parse_arg(&p, "purpose")).transpose()?,
            stack_level: stack_level.map(|n| n.0),
        };
        Ok(guarded(|| self.0.clear(&criteria))?)
    }
    /// Starts a transaction on an EVSE at ``at`` (an aware datetime), replacing a running
    /// one there. Relative profiles are anchored at ``at``; TxProfiles must name
    /// ``transaction_id`` when it is given.
    #[pyo3(signature = (evse_id, at, transaction_id=None))]
    fn start_transaction(
        &mut self,
        evse_id: Int<u32>,
        at: &Any<'_>,
        transaction_id: Option<&Any<'_>>,
    ) -> PyResult<()> {
        let at = convert::aware_utc(at)?;
        let tx = self::transaction_id(transaction_id)?;
        Ok(guarded(|| self.0.start_transaction(evse_id.0, at, tx))?)
    }
    /// Ends the transaction on an EVSE (its TxProfiles go with it); returns whether one
    /// was running.
    fn stop_transaction(&mut self, evse_id: Int<u32>) -> CoreResult<bool> {
        guarded(|| Ok(self.0.stop_transaction(evse_id.0).is_some()))
    }
    /// The composite schedule of an EVSE (or of the whole station for EVSE 0) over
    /// ``[start, start + duration)``, as GetCompositeSchedule computes it. ``start`` is an
    /// aware datetime ("now"), ``duration`` whole seconds, ``unit`` ``"A"``/``"W"`` (None:
    /// the station's preferred unit).
    #[pyo3(signature = (evse_id, start, duration, unit=None))]
    fn composite_schedule(
        &self,
        py: Python<'_>,
        evse_id: Int<u32>,
        start: &Any<'_>,
        duration: &Any<'_>,
        unit: Option<Text>,
    ) -> PyResult<PyCompositeSchedule> {
        let start = convert::aware_utc(start)?;
        let duration: i64 = match duration.extract() {
            // An int beyond 64 bits: too long a duration, for the core to say.
            Err(_) if duration.is_instance_of::<PyInt>() => i64::MAX,
            other => other?,
        };
        let unit: Option<ChargingRateUnit> = unit.map(|u| parse_arg(&u, "unit")).transpose()?;
        let schedule = || self.0.composite_schedule(evse_id.0, start, duration, unit);
        Ok(PyCompositeSchedule(detached(py, schedule)?))
    }
    /// Plans a TxProfile for the transaction on an EVSE from the driver's preferences,
    /// capped by what the station allows there; returns a ``PreferencePlan``. Preferences
    /// are keyword arguments (the core's ``ChargingPreferences`` fields): ``max_current_a``,
    /// ``max_power_w``, ``max_energy_wh`` (Decimal or int), ``start_at``, ``departure``
    /// (aware datetimes), ``off_peak`` (a list of ``(start, end)`` pairs). Install the result
    /// with ``install(plan.profile, evse_id)``.
    #[pyo3(signature = (evse_id, *, now, profile_id, stack_level=Int(0), unit=None, **preferences), text_signature = "($self, evse_id, *, now, profile_id, stack_level=0, unit=None, **preferences)")]
    fn plan_preferences<'py>(
        &self,
        evse_id: Int<u32>,
        now: &Any<'py>,
        profile_id: Int<i32>,
        stack_level: Int<u32>,
        unit: Option<Text>,
        preferences: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Any<'py>> {
        let py = now.py();
        let now = convert::aware_utc(now)?;
        let unit: Option<ChargingRateUnit> = unit.map(|u| parse_arg(&u, "unit")).transpose()?;
        let prefs = self::preferences(py, preferences)?;
        let (evse, id, level) = (evse_id.0, profile_id.0, stack_level.0);
        let plan = guarded(|| self.0.plan_preferences(evse, &prefs, now, id, level, unit))?;
        to_py(py, &plan)
    }
    /// The installed profiles (``InstalledProfile`` records), in installation order.
    #[getter]
    fn profiles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_to_py(py, &guarded(|| Ok(self.0.profiles()))?)
    }
    /// The transaction on an EVSE as ``(started_at, transaction_id)``, or None.
    fn transaction(&self, evse_id: Int<u32>) -> Option<(DateTime<Utc>, Option<String>)> {
        let t = self.0.transaction(evse_id.0)?;
        Some((t.started_at, t.transaction_id.clone()))
    }
    fn __repr__(&self) -> String {
        let (ids, n) = (&self.0.config().evse_ids, self.0.profiles().len());
        format!("SmartChargingStation(evse_ids={ids:?}, profiles={n})")
    }
}
