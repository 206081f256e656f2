//! `chargekit.MeterPolicy`: the core `MeterPolicy`, built from keyword fields through the
//! core's own serde form (`MeterPolicy::from_json`), so option names and their checks live
//! in the core only; its fields read through the one conversion table (`records`).

use crate::convert::{self, Floats};
use crate::errors::guarded;
use crate::records::{self, to_plain};
use crate::Any;
use chargekit::meter::MeterPolicy;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Builds a core policy from keyword fields (`None` = all defaults). Quantities are
/// `Decimal`, `int` or decimal text, never `float`.
pub fn from_kwargs(fields: Option<&Bound<'_, PyDict>>) -> PyResult<MeterPolicy> {
    let text = match fields {
        Some(d) => convert::py_to_json(d, Floats::Reject)?.to_string(),
        None => "{}".into(),
    };
    Ok(guarded(|| MeterPolicy::from_json(&text))?)
}

/// The `policy=` argument: a `MeterPolicy`, a dict of its fields, or None (defaults).
pub fn extract(obj: Option<&Any<'_>>) -> PyResult<MeterPolicy> {
    let Some(o) = obj.filter(|o| !o.is_none()) else {
        return Ok(MeterPolicy::default());
    };
    if let Ok(p) = o.cast::<PyMeterPolicy>() {
        return Ok(p.get().0.clone());
    }
    if let Ok(d) = o.cast::<PyDict>() {
        return from_kwargs(Some(d));
    }
    let expected = "policy must be a chargekit.MeterPolicy, a dict or None";
    Err(convert::wrong_type(o, expected))
}

/// How chargekit resolves the ambiguous cases of meter data (docs/metering.md §4).
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
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        to_plain(py, &self.0)
    }
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.0, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().0)
    }
    /// Shows the fields that differ from the defaults.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let this = to_plain(py, &self.0)?;
        let defaults = to_plain(py, &MeterPolicy::default())?;
        let mut parts = Vec::new();
        for (k, v) in this.cast::<PyDict>()?.iter() {
            if !defaults.get_item(&k)?.eq(&v)? {
                parts.push(format!("{}={}", k.str()?, v.repr()?));
            }
        }
        Ok(format!("MeterPolicy({})", parts.join(", ")))
    }
}
