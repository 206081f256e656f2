//! `chargekit.MeterPolicy`: the core `MeterPolicy`, built from keyword fields through the
//! core's own serde form (`MeterPolicy::from_json`), so option names and their checks live
//! in the core only.

use crate::convert::{self, Floats, Numbers};
use crate::errors::CoreResult;
use chargekit::meter::MeterPolicy;
use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The core's JSON form of a policy (an object; empty if serialisation ever failed).
fn policy_json(p: &MeterPolicy) -> Map<String, Value> {
    match serde_json::from_str::<Value>(&p.to_json()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Fields whose serde form is a decimal string (`rated_power_w`, …), told from the
/// core's serialised default: enum options are never numeric, decimals always are.
fn decimal_fields() -> &'static [String] {
    static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        policy_json(&MeterPolicy::default())
            .into_iter()
            .filter(|(_, v)| {
                v.as_str()
                    .is_some_and(|s| s.parse::<rust_decimal::Decimal>().is_ok())
            })
            .map(|(k, _)| k)
            .collect()
    })
}

/// One keyword value → its serde JSON form. Decimal fields take `Decimal`, `int` or
/// decimal text (never `float`); other fields take str, bool, int or a dict (`location`).
fn field_json(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if decimal_fields().iter().any(|f| f == name) {
        if let Some(text) = convert::decimal_text(value)? {
            return Ok(Value::String(text));
        }
        if let Some(text) = convert::int_text(value)? {
            return Ok(Value::String(text));
        }
        if value.is_instance_of::<PyString>() {
            return Ok(Value::String(value.extract::<String>()?));
        }
        return Err(PyTypeError::new_err(format!(
            "MeterPolicy field `{name}` is an exact quantity: pass a decimal.Decimal or an int, not {}",
            value.get_type().name()?
        )));
    }
    convert::py_to_json(value, Floats::Reject)
}

/// The policy as a dict of Python values: options as str, quantities as Decimal.
fn to_pydict<'py>(py: Python<'py>, p: &MeterPolicy) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    let dec = convert::decimal_type(py)?;
    for (k, v) in policy_json(p) {
        let value = match (&v, decimal_fields().contains(&k)) {
            (Value::String(s), true) => dec.call1((s.as_str(),))?,
            _ => convert::json_to_py(py, &v, Numbers::IntOrDecimal)?,
        };
        dict.set_item(k, value)?;
    }
    Ok(dict)
}

/// Builds a core policy from keyword fields (`None` = all defaults).
pub fn from_kwargs(fields: Option<&Bound<'_, PyDict>>) -> PyResult<MeterPolicy> {
    let mut map = Map::new();
    if let Some(fields) = fields {
        for (k, v) in fields.iter() {
            let name = k.extract::<String>()?;
            let json = field_json(&name, &v)?;
            map.insert(name, json);
        }
    }
    let policy: CoreResult<MeterPolicy> =
        MeterPolicy::from_json(&Value::Object(map).to_string()).map_err(Into::into);
    Ok(policy?)
}

/// The `policy=` argument: a `MeterPolicy`, a dict of its fields, or None (defaults).
pub fn extract(obj: Option<&Bound<'_, PyAny>>) -> PyResult<MeterPolicy> {
    match obj {
        None => Ok(MeterPolicy::default()),
        Some(o) if o.is_none() => Ok(MeterPolicy::default()),
        Some(o) => {
            if let Ok(p) = o.cast::<PyMeterPolicy>() {
                return Ok(p.get().0.clone());
            }
            if let Ok(d) = o.cast::<PyDict>() {
                return from_kwargs(Some(d));
            }
            Err(PyTypeError::new_err(format!(
                "policy must be a chargekit.MeterPolicy, a dict or None, got {}",
                o.get_type().name()?
            )))
        }
    }
}

/// How chargekit resolves the ambiguous cases of meter data (digest §4).
///
/// Keyword fields use the core's snake_case names and option values, e.g.
/// ``MeterPolicy(negative_step="treat_as_reset", location={"exact": "Cable"},
/// rated_power_w=Decimal("22000"))``. Omitted fields keep their defaults; an unknown field
/// or option raises ``InvalidPolicyError``. Quantities must be ``Decimal`` or ``int``.
#[pyclass(frozen, eq, name = "MeterPolicy", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PyMeterPolicy(pub MeterPolicy);

#[pymethods]
impl PyMeterPolicy {
    #[new]
    #[pyo3(signature = (**fields))]
    fn new(fields: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Ok(Self(from_kwargs(fields)?))
    }

    /// Every field with its value (options as str, quantities as Decimal).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        to_pydict(py, &self.0)
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        to_pydict(py, &self.0)?
            .get_item(name)?
            .ok_or_else(|| PyAttributeError::new_err(format!("MeterPolicy has no field {name:?}")))
    }

    /// Shows the fields that differ from the defaults.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let defaults = policy_json(&MeterPolicy::default());
        let dict = to_pydict(py, &self.0)?;
        let mut parts = Vec::new();
        for (k, v) in policy_json(&self.0) {
            if defaults.get(&k) != Some(&v) {
                if let Some(value) = dict.get_item(&k)? {
                    parts.push(format!("{k}={}", value.repr()?));
                }
            }
        }
        Ok(format!("MeterPolicy({})", parts.join(", ")))
    }
}
