//! `chargekit.planning`: cost-optimal plans for one session and site load sharing.
//!
//! Requests cross through the core's serde forms (`PlanRequest`, `AllocationRequest`): JSON
//! text, or a dict of their fields with `Decimal`/`int` quantities, aware datetimes and
//! series points as `(start, value)` tuples or dicts (floats are refused); `tariff` may be a
//! `chargekit.ocpi.Tariff`, OCPI JSON text or a dict. Results are the core's records
//! (`Plan`, `SiteAllocation`, …), converted by the one table in `records`.

use crate::billing::PyTariff;
use crate::convert::{self, Floats, Int};
use crate::errors::{guarded, py_err};
use crate::profile::PyCompositeSchedule;
use crate::records::detached_to_py;
use crate::Any;
use chargekit::json::Value;
use chargekit::planning::{self, AllocationRequest, PlanRequest};
use chargekit::tariff::OcpiVersion;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rust_decimal::Decimal;

/// A request argument → JSON text for the core's reader; a `Tariff` object under `tariff`
/// becomes its OCPI form.
fn request_text(obj: &Any<'_>, what: &str) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return convert::document_text(obj, what);
    }
    let Ok(dict) = obj.cast::<PyDict>() else {
        let expected = format!("{what} must be a dict or JSON text");
        return Err(convert::wrong_type(obj, &expected));
    };
    let (rest, mut tariff) = (dict.copy()?, None);
    if let Some(t) = rest.get_item("tariff")?.filter(|t| !t.is_none()) {
        rest.del_item("tariff")?;
        let text = match t.cast::<PyTariff>() {
            Ok(t) => guarded(|| Ok(t.get().tariff.to_ocpi_json(OcpiVersion::V221)))?,
            Err(_) => convert::document_text(&t, "tariff")?,
        };
        tariff = Some(Value::from_text(&text).map_err(|e| py_err(planning_json("tariff", e)))?);
    }
    let mut v = convert::py_to_json(rest.as_any(), Floats::Reject)?;
    if let (Some(t), Value::Object(m)) = (tariff, &mut v) {
        m.insert("tariff".into(), t);
    }
    Ok(v.to_string())
}

fn planning_json(field: &str, e: serde_json::Error) -> chargekit::Error {
    let (field, reason) = (field.into(), e.to_string());
    chargekit::Error::InvalidPlanningJson { field, reason }
}

/// `plan(request)` → the core's `Plan`.
#[pyfunction]
pub fn plan<'py>(py: Python<'py>, request: &Any<'py>) -> PyResult<Any<'py>> {
    let text = request_text(request, "request")?;
    detached_to_py(py, || planning::plan(&PlanRequest::from_json(&text)?))
}

/// `allocate(request)` → the core's `SiteAllocation`.
#[pyfunction]
pub fn allocate<'py>(py: Python<'py>, request: &Any<'py>) -> PyResult<Any<'py>> {
    let text = request_text(request, "request")?;
    detached_to_py(py, || {
        planning::allocate(&AllocationRequest::from_json(&text)?)
    })
}

/// `limits_from_composite(schedule, phases=3, voltage=230)` → `[(start, watts), ...]`.
#[pyfunction]
#[pyo3(signature = (schedule, phases=Int(3), voltage=None), text_signature = "(schedule, phases=3, voltage=None)")]
pub fn limits_from_composite<'py>(
    schedule: &Bound<'py, PyCompositeSchedule>,
    phases: Int<u8>,
    voltage: Option<&Any<'py>>,
) -> PyResult<Bound<'py, PyList>> {
    let voltage = convert::decimal_arg(voltage, "voltage")?.unwrap_or(Decimal::from(230));
    let (py, schedule) = (schedule.py(), &schedule.get().0);
    let limits = guarded(|| planning::limits_from_composite(schedule, phases.0, voltage))?;
    PyList::new(py, limits.iter().map(|p| (p.start, p.value)))
}

/// JSON text of plain Python data (exact decimals; aware datetimes as RFC 3339; floats as
/// `json.dumps` writes them): the text form of a record's data, or of a parsed frame.
#[pyfunction]
pub fn json_text(value: &Any<'_>) -> PyResult<String> {
    Ok(convert::py_to_json(value, Floats::Allow)?.to_string())
}
