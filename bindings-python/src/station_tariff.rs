//! `chargekit.ocpp.StationTariff`, `Session.cost_details` and `check_cost_details`: OCPP 2.1
//! station tariffs (`chargekit::station_tariff`) through `chargekit::boundary::station_tariff`.
//! Arguments are only converted: tariffs from text, dicts or `StationTariff`s, changes from
//! `(datetime, tariff)` pairs; results are dicts in OCPP field names or core records.

use crate::convert::{self, Floats, Numbers};
use crate::errors::guarded;
use crate::records::to_py;
use chargekit::boundary::station_tariff as boundary;
use chargekit::session::Session;
use chargekit::station_tariff::{StationCapabilities, StationTariff};
use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// An OCPP 2.1 station tariff (`TariffType`).
///
/// ``StationTariff(tariff)``: JSON text, bytes or a dict, read strictly (a field of the
/// wrong type or shape is a typed error naming it).
#[pyclass(frozen, eq, name = "StationTariff", module = "chargekit.ocpp")]
#[derive(Clone, PartialEq)]
pub struct PyStationTariff(pub StationTariff);

/// One tariff argument: a `StationTariff`, JSON text or a dict.
fn tariff(obj: &Bound<'_, PyAny>) -> PyResult<StationTariff> {
    if let Ok(t) = obj.cast::<PyStationTariff>() {
        return Ok(t.get().0.clone());
    }
    if obj.is_instance_of::<PyDict>() {
        let value = convert::py_to_json(obj, Floats::Allow)?;
        return Ok(guarded(|| StationTariff::from_value(&value))?);
    }
    let text = convert::document_text(obj, "a station tariff")?;
    Ok(guarded(|| StationTariff::from_json(&text))?)
}

/// `changes=`: an iterable of `(aware datetime, tariff)` pairs, or None.
fn changes(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(DateTime<Utc>, StationTariff)>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    obj.try_iter()?
        .map(|pair| {
            let (at, t): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?
                .extract()
                .map_err(|_| PyTypeError::new_err("changes are (datetime, tariff) pairs"))?;
            Ok((convert::aware_utc(&at)?, tariff(&t)?))
        })
        .collect()
}

fn at(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DateTime<Utc>>> {
    obj.filter(|o| !o.is_none())
        .map(convert::aware_utc)
        .transpose()
}

fn timezone(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    obj.filter(|o| !o.is_none())
        .map(crate::billing::timezone_name)
        .transpose()
}

#[pymethods]
impl PyStationTariff {
    #[new]
    fn new(tariff_: &Bound<'_, PyAny>) -> PyResult<Self> {
        tariff(tariff_).map(Self)
    }
    /// The tariff id.
    #[getter]
    fn tariff_id(&self) -> String {
        self.0.tariff_id.clone()
    }
    /// The ISO 4217 currency.
    #[getter]
    fn currency(&self) -> String {
        self.0.currency.to_string()
    }
    /// The tariff as a dict in OCPP field names (every number a ``Decimal``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::json_to_py(py, &self.0.to_value(), Numbers::Decimal)
    }
    /// The tariff as compact JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }
    /// The answer a station with ``capabilities`` gives (a dict of ``max_elements``,
    /// ``supported_conditions``, ``evse_kinds``, ``existing_tariff_ids``, ``currency``;
    /// None: a station without limits): ``status``, ``reasons``, ``notes``.
    #[pyo3(signature = (capabilities=None))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        capabilities: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let caps: StationCapabilities = match capabilities {
            None => StationCapabilities::default(),
            Some(d) => serde_json::from_value(convert::py_to_json(d, Floats::Reject)?)
                .map_err(|e| PyTypeError::new_err(format!("capabilities: {e}")))?,
        };
        to_py(py, &guarded(|| Ok(self.0.validate(&caps)))?)
    }
    fn __repr__(&self) -> String {
        format!(
            "StationTariff(tariff_id={:?}, currency={})",
            self.0.tariff_id, self.0.currency
        )
    }
}

/// `Session.cost_details`: the 2.1 `CostDetailsType` as a dict.
pub fn cost_details<'py>(
    py: Python<'py>,
    session: &Session,
    tariff_: &Bound<'py, PyAny>,
    at_: Option<&Bound<'py, PyAny>>,
    timezone_: Option<&Bound<'py, PyAny>>,
    changes_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (t, c, at, tz) = (
        tariff(tariff_)?,
        changes(changes_)?,
        at(at_)?,
        timezone(timezone_)?,
    );
    let value = guarded(|| boundary::cost_details_json(session, t, c, at, tz.as_deref()))?;
    convert::json_to_py(py, &value, Numbers::Decimal)
}

/// A station's reported ``costDetails`` (dict or JSON text) checked against chargekit's own
/// calculation with the same tariff (and ``changes``): a ``CostCheck`` with ``verdict``,
/// ``lines``, ``differences`` and ``expected``. ``tolerance``: how far money figures may
/// differ (a ``Decimal``; default exact).
#[pyfunction]
#[pyo3(signature = (session, tariff, reported, *, at=None, timezone=None, changes=None, tolerance=None))]
#[allow(clippy::too_many_arguments)]
pub fn check_cost_details<'py>(
    py: Python<'py>,
    session: &Bound<'py, crate::session::PySession>,
    tariff: &Bound<'py, PyAny>,
    reported: &Bound<'py, PyAny>,
    at: Option<&Bound<'py, PyAny>>,
    timezone: Option<&Bound<'py, PyAny>>,
    changes: Option<&Bound<'py, PyAny>>,
    tolerance: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let t = self::tariff(tariff)?;
    let c = self::changes(changes)?;
    let (when, tz) = (self::at(at)?, self::timezone(timezone)?);
    let reported = if reported.is_instance_of::<PyString>() {
        serde_json::from_str(&reported.extract::<String>()?)
            .map_err(|e| PyTypeError::new_err(format!("reported: {e}")))?
    } else {
        convert::py_to_json(reported, Floats::Allow)?
    };
    let tolerance = match tolerance.filter(|o| !o.is_none()) {
        None => None,
        Some(t) => Some(
            convert::quantity_text(t, "tolerance")?
                .parse()
                .map_err(|e| PyTypeError::new_err(format!("tolerance: {e}")))?,
        ),
    };
    let s = &session.get().0;
    let report =
        guarded(|| boundary::check_report(s, t, c, &reported, when, tz.as_deref(), tolerance))?;
    to_py(py, &report)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStationTariff>()?;
    m.add_function(wrap_pyfunction!(check_cost_details, m)?)
}
