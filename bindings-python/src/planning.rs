//! `chargekit.planning`: cost-optimal plans for one session and site load sharing
//! (`chargekit::planning`).
//!
//! Requests cross through the core's serde forms (`PlanRequest`, `AllocationRequest`): JSON
//! text, or a dict of their fields with `Decimal`/`int` quantities and aware datetimes
//! (floats are refused). Two conveniences are only type conversions: a price / limit / CO2 /
//! PV / house-load point may be a `(start, value)` tuple instead of a
//! `{"start": ..., "value": ...}` dict, and `tariff` may be a `chargekit.ocpi.Tariff`, OCPI
//! JSON text or a dict. Results become plain Python data (dicts of `Decimal` / `int` /
//! `str` / aware `datetime`, profiles as OCPP 2.0.1 dicts and JSON text), wrapped in
//! attribute-access records by the Python module.

use crate::billing::PyTariff;
use crate::convert::{self, Floats, Numbers};
use crate::errors::py_err;
use crate::profile::PyCompositeSchedule;
use chargekit::planning::{
    self, AllocationRequest, Plan, PlanRequest, ProfileToSend, SiteAllocation,
};
use chargekit::tariff::OcpiVersion;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rust_decimal::Decimal;
use serde_json::Value;

/// The wire name of a serde enum (`"cheapest"`, `"equal_share"`, ...).
fn wire_name(v: serde_json::Result<Value>) -> String {
    match v {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `[start, value]` pairs (from tuples) → `{"start": ..., "value": ...}` in the series
/// `key` of `obj`; anything else is left for the core to judge.
fn series_pairs(obj: &mut Value, key: &str) {
    if let Some(Value::Array(points)) = obj.get_mut(key) {
        for p in points.iter_mut() {
            if let Value::Array(pair) = p {
                if let [start, value] = pair.as_slice() {
                    let mut m = serde_json::Map::new();
                    m.insert("start".into(), start.clone());
                    m.insert("value".into(), value.clone());
                    *p = Value::Object(m);
                }
            }
        }
    }
}

/// The `tariff` entry of a request dict: a `Tariff` object, OCPI JSON text or a dict.
fn tariff_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(t) = obj.cast::<PyTariff>() {
        return Ok(t.get().tariff().to_ocpi(OcpiVersion::V221));
    }
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        let text = convert::document_text(obj, "tariff")?;
        return serde_json::from_str(&text).map_err(|e| {
            py_err(chargekit::Error::InvalidPlanningJson {
                field: "tariff".into(),
                reason: e.to_string(),
            })
        });
    }
    // OCPI numbers are often read with a plain json.loads: keep its floats as written.
    convert::py_to_json(obj, Floats::Allow)
}

/// A request argument → JSON text for the core's `from_json`: text as it is, or a dict.
fn request_text(obj: &Bound<'_, PyAny>, what: &str, site: bool) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return convert::document_text(obj, what);
    }
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a dict or JSON text, got {}",
            obj.get_type().name()?
        )));
    };
    let rest = dict.copy()?;
    let tariff = match rest.get_item("tariff")? {
        Some(t) if !t.is_none() => {
            rest.del_item("tariff")?;
            Some(tariff_value(&t)?)
        }
        _ => None,
    };
    let mut v = convert::py_to_json(rest.as_any(), Floats::Reject)?;
    if let (Some(t), Value::Object(m)) = (tariff, &mut v) {
        m.insert("tariff".into(), t);
    }
    for key in ["prices", "limits_w", "co2_g_per_kwh"] {
        series_pairs(&mut v, key);
    }
    if site {
        if let Some(s) = v.get_mut("site") {
            series_pairs(s, "pv_w");
            series_pairs(s, "house_load_w");
        }
    }
    Ok(v.to_string())
}

fn profile_py<'py>(
    py: Python<'py>,
    p: &chargekit::profile::ChargingProfile,
) -> PyResult<Bound<'py, PyAny>> {
    convert::json_to_py(py, &p.to_value(), Numbers::IntOrDecimal)
}

fn plan_dict<'py>(py: Python<'py>, p: &Plan) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let rows = PyList::empty(py);
    let schedule = PyList::empty(py);
    for i in &p.intervals {
        let r = PyDict::new(py);
        r.set_item("start", i.start)?;
        r.set_item("end", i.end)?;
        r.set_item("power_w", i.power_w)?;
        r.set_item("energy_wh", i.energy_wh)?;
        r.set_item("max_power_w", i.max_power_w)?;
        r.set_item("price_per_kwh", i.price_per_kwh)?;
        r.set_item("co2_g_per_kwh", i.co2_g_per_kwh)?;
        rows.append(r)?;
        schedule.append((i.start, i.power_w))?;
    }
    d.set_item("intervals", rows)?;
    d.set_item("schedule", schedule)?;
    d.set_item("need_wh", p.need_wh)?;
    d.set_item("energy_wh", p.energy_wh)?;
    d.set_item("feasible", p.feasible)?;
    d.set_item("shortfall_wh", p.shortfall_wh)?;
    d.set_item("expected_cost", p.expected_cost)?;
    d.set_item("expected_cost_incl_vat", p.expected_cost_incl_vat)?;
    d.set_item("currency", &p.currency)?;
    d.set_item("expected_co2_g", p.expected_co2_g)?;
    d.set_item("switches", p.switches)?;
    d.set_item("strategy", wire_name(serde_json::to_value(p.strategy)))?;
    d.set_item("optimal", p.optimal)?;
    d.set_item("profile", profile_py(py, &p.profile)?)?;
    d.set_item("profile_json", p.profile.to_json())?;
    Ok(d)
}

fn to_send<'py>(py: Python<'py>, items: &[ProfileToSend]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for t in items {
        let d = PyDict::new(py);
        d.set_item("station_id", &t.station_id)?;
        d.set_item("evse_id", t.evse_id)?;
        d.set_item("purpose", t.profile.charging_profile_purpose.as_str())?;
        d.set_item("profile", profile_py(py, &t.profile)?)?;
        d.set_item("profile_json", t.profile.to_json())?;
        out.append(d)?;
    }
    Ok(out)
}

fn allocation_dict<'py>(py: Python<'py>, a: &SiteAllocation) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let rows = PyList::empty(py);
    for i in &a.intervals {
        let r = PyDict::new(py);
        r.set_item("start", i.start)?;
        r.set_item("end", i.end)?;
        let evses = PyList::empty(py);
        for e in &i.evses {
            let x = PyDict::new(py);
            x.set_item("evse_id", &e.evse_id)?;
            x.set_item("power_w", e.power_w)?;
            evses.append(x)?;
        }
        r.set_item("evses", evses)?;
        let groups = PyList::empty(py);
        for g in &i.groups {
            let x = PyDict::new(py);
            x.set_item("group_id", &g.group_id)?;
            x.set_item("power_w", g.power_w)?;
            x.set_item("l1_a", g.l1_a)?;
            x.set_item("l2_a", g.l2_a)?;
            x.set_item("l3_a", g.l3_a)?;
            groups.append(x)?;
        }
        r.set_item("groups", groups)?;
        rows.append(r)?;
    }
    d.set_item("intervals", rows)?;
    let per_evse = PyDict::new(py);
    for s in a.evse_schedules() {
        let points: Vec<_> = s.points.iter().map(|p| (p.start, p.value)).collect();
        per_evse.set_item(&s.evse_id, points)?;
    }
    d.set_item("per_evse", per_evse)?;
    let sessions = PyList::empty(py);
    for s in &a.sessions {
        let x = PyDict::new(py);
        x.set_item("evse_id", &s.evse_id)?;
        x.set_item("need_wh", s.need_wh)?;
        x.set_item("energy_wh", s.energy_wh)?;
        x.set_item("feasible", s.feasible)?;
        x.set_item("shortfall_wh", s.shortfall_wh)?;
        x.set_item("expected_cost", s.expected_cost)?;
        sessions.append(x)?;
    }
    d.set_item("sessions", sessions)?;
    d.set_item("tx_profiles", to_send(py, &a.tx_profiles)?)?;
    d.set_item("station_profiles", to_send(py, &a.station_profiles)?)?;
    d.set_item("strategy", wire_name(serde_json::to_value(a.strategy)))?;
    Ok(d)
}

/// `plan(request)` → `(data, json)`: the plan as plain data and the core's JSON text.
#[pyfunction]
pub fn plan<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyDict>, String)> {
    let text = request_text(request, "request", false)?;
    let p = py
        .detach(|| PlanRequest::from_json(&text).and_then(|r| planning::plan(&r)))
        .map_err(py_err)?;
    Ok((plan_dict(py, &p)?, p.to_json()))
}

/// `allocate(request)` → `(data, json)`: the allocation as plain data and the core's JSON.
#[pyfunction]
pub fn allocate<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyDict>, String)> {
    let text = request_text(request, "request", true)?;
    let a = py
        .detach(|| AllocationRequest::from_json(&text).and_then(|r| planning::allocate(&r)))
        .map_err(py_err)?;
    Ok((allocation_dict(py, &a)?, a.to_json()))
}

/// `limits_from_composite(schedule, phases=3, voltage=230)` → `[(start, watts), ...]`.
#[pyfunction]
#[pyo3(signature = (schedule, phases=3, voltage=None))]
pub fn limits_from_composite<'py>(
    py: Python<'py>,
    schedule: &Bound<'py, PyCompositeSchedule>,
    phases: u8,
    voltage: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let voltage = match voltage.filter(|v| !v.is_none()) {
        Some(v) => convert::quantity_text(v, "voltage")?
            .parse::<Decimal>()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("voltage: {e}")))?,
        None => Decimal::from(230),
    };
    let out = PyList::empty(py);
    for p in planning::limits_from_composite(&schedule.get().0, phases, voltage) {
        out.append((p.start, p.value))?;
    }
    Ok(out)
}
