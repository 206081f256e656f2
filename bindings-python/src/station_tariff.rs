//! `chargekit.ocpp.StationTariff`, `Session.cost_details` and `check_cost_details`: OCPP 2.1
//! station tariffs through `chargekit::boundary::station_tariff`, arguments only converted
//! (tariffs from text, dicts or `StationTariff`s; changes from `(datetime, tariff)` pairs).

use crate::convert::{self, Floats, Numbers, Text};
use crate::errors::{guarded, parse_arg};
use crate::records::to_py;
use crate::{Any, Arg};
use chargekit::boundary::station_tariff as boundary;
use chargekit::session::Session;
use chargekit::station_tariff::{StationCapabilities, StationTariff};
use chargekit::tariff::{Language, OcpiVersion};
use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// An OCPP 2.1 station tariff (`TariffType`): ``StationTariff(tariff)`` from JSON text, bytes
/// or a dict, read strictly (a field of the wrong type or shape is a typed error naming it).
#[pyclass(frozen, eq, name = "StationTariff", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyStationTariff(pub StationTariff);

/// One tariff argument: a `StationTariff`, JSON text or a dict.
fn tariff(obj: &Any<'_>) -> PyResult<StationTariff> {
    if let Ok(t) = obj.cast::<PyStationTariff>() {
        return Ok(t.get().0.clone());
    }
    let text = convert::document_text(obj, "a station tariff")?;
    Ok(guarded(|| StationTariff::from_json(&text))?)
}

fn some<'a, 'py>(o: Option<&'a Any<'py>>) -> Option<&'a Any<'py>> {
    o.filter(|o| !o.is_none())
}

#[pymethods]
impl PyStationTariff {
    #[new]
    fn new(tariff_: &Any<'_>) -> PyResult<Self> {
        tariff(tariff_).map(Self)
    }
    /// The tariff as a dict in OCPP field names (every number a ``Decimal``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        convert::json_text_to_py(py, &self.0.to_json(), Numbers::Decimal)
    }
    fn to_json(&self) -> String {
        self.0.to_json()
    }
    /// The answer of a station with ``capabilities`` (a dict of ``max_elements``,
    /// ``supported_conditions``, ``evse_kinds``, ``existing_tariff_ids``, ``currency``;
    /// None: no limits): a ``TariffValidation``.
    #[pyo3(signature = (capabilities=None))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        capabilities: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Any<'py>> {
        let caps: StationCapabilities = match capabilities {
            None => StationCapabilities::default(),
            Some(d) => convert::from_json(&convert::py_to_json(d, Floats::Reject)?)
                .map_err(|e| convert::bad_arg("capabilities", e))?,
        };
        to_py(py, &guarded(|| Ok(self.0.validate(&caps)))?)
    }
    /// Findings a tariff author would want to know (``StationLintFinding`` list).
    fn lint<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        to_py(py, &guarded(|| Ok(self.0.lint()))?)
    }
    /// The tariff in plain language (``"en"`` or ``"nl"``): a ``chargekit.ocpi.Explanation``.
    #[pyo3(signature = (language=Text("en".into())), text_signature = "($self, language='en')")]
    fn explain<'py>(&self, py: Python<'py>, language: Text) -> PyResult<Any<'py>> {
        let lang: Language = parse_arg(&language, "language")?;
        to_py(py, &guarded(|| Ok(self.0.explain(lang)))?)
    }
    /// ``(OCPI tariff dict, [ConversionLoss])`` in OCPI ``version`` (``"2.2.1"``/``"2.3.0"``).
    #[pyo3(signature = (version=Text("2.2.1".into())), text_signature = "($self, version='2.2.1')")]
    fn to_ocpi<'py>(&self, py: Python<'py>, version: Text) -> PyResult<Bound<'py, PyTuple>> {
        let v = guarded(|| OcpiVersion::parse(&version))?;
        let (t, losses) = guarded(|| self.0.to_ocpi(v))?;
        let dict = convert::json_text_to_py(py, &t.to_ocpi_json(v), Numbers::Decimal)?;
        PyTuple::new(py, [dict, to_py(py, &losses)?])
    }
    /// ``(StationTariff, [ConversionLoss])`` from an OCPI tariff (``chargekit.ocpi.Tariff``,
    /// JSON text or a dict).
    #[staticmethod]
    fn from_ocpi<'py>(py: Python<'py>, tariff: &Any<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let ocpi = crate::billing::one_tariff(tariff)?;
        let (t, losses) = guarded(|| Ok(StationTariff::from_ocpi(&ocpi)))?;
        let t = Bound::new(py, Self(t))?.into_any();
        PyTuple::new(py, [t, to_py(py, &losses)?])
    }
    fn __repr__(&self) -> String {
        format!("StationTariff({:?}, {})", self.0.tariff_id, self.0.currency)
    }
}

/// `Session.cost_details` (`x` None: the `CostDetailsType` dict), `.cost_limit_reached`
/// (`limit`: `x` the limit, a datetime or None) and `._check_cost_details`, behind
/// `chargekit.ocpp.check_cost_details` (`x` the report: a `CostCheck`), from
/// `(tariff, x, at, timezone, changes, tolerance)`.
pub fn cost<'py>(s: &Session, limit: bool, t: Any<'py>, args: [Arg<'py>; 5]) -> PyResult<Any<'py>> {
    let [reported, at, tz, changes, tolerance] = args;
    let py = t.py();
    let pair = |p: PyResult<Any<'py>>| -> PyResult<(DateTime<Utc>, StationTariff)> {
        let not_pair = |_| PyTypeError::new_err("changes are (datetime, tariff) pairs");
        let (at, t): (Any<'py>, Any<'py>) = p?.extract().map_err(not_pair)?;
        Ok((convert::aware_utc(&at)?, tariff(&t)?))
    };
    let changes = match some(changes.as_ref()) {
        None => Vec::new(),
        Some(c) => c.try_iter()?.map(pair).collect::<PyResult<_>>()?,
    };
    let t = tariff(&t)?;
    let at = some(at.as_ref()).map(convert::aware_utc).transpose()?;
    let tz = convert::zone_arg(tz.as_ref(), "timezone")?;
    if limit {
        let max = convert::decimal_arg(reported.as_ref(), "max_cost")?;
        let reached = || boundary::cost_limit_instant(s, t, changes, max, tz.as_deref());
        return Ok(guarded(reached)?.into_pyobject(py)?.into_any());
    }
    let Some(reported) = some(reported.as_ref()) else {
        let value = guarded(|| boundary::cost_details_json(s, t, changes, at, tz.as_deref()))?;
        return convert::json_to_py(py, &value, Numbers::Decimal);
    };
    let reported = convert::document_text(reported, "the reported cost details")?;
    let tolerance = convert::decimal_arg(tolerance.as_ref(), "tolerance")?;
    let check = || boundary::check_report(s, t, changes, &reported, at, tz.as_deref(), tolerance);
    to_py(py, &guarded(check)?)
}
