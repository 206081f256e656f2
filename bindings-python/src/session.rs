//! `Session`: the one session type with behaviour (periods cut at given instants, the OCPI
//! CDR, pricing). Its fields come through the one conversion table (`records`); the plain
//! records it hands out (`StateChange`, `Anomaly`, `Reading`, `ChargingPeriod`) are the
//! core's, registered as record classes in `chargekit/_session.py`.

use crate::billing::{self, PyLivePrice, PyPriceResult};
use crate::convert::{self, Floats};
use crate::errors::{detached, guarded, CoreResult};
use crate::records::{self, list_to_py, to_py};
use crate::station_tariff;
use crate::{Any, Arg};
use chargekit::boundary::pricing::{price_live, price_session};
use chargekit::session::{CdrOptions, Session};
use chrono::{DateTime, SecondsFormat, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// A charging session, as known from the messages fed so far (immutable snapshot).
#[pyclass(frozen, eq, name = "Session", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PySession(pub Session);

#[pymethods]
impl PySession {
    /// The session's fields (``station_id``, ``transaction_id``, ``energy_wh``, ``timeline``,
    /// ``anomalies``, ``readings``, …), converted on access.
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.0, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().0)
    }
    /// Energy delivered, kWh.
    #[getter]
    fn energy_kwh(&self) -> CoreResult<rust_decimal::Decimal> {
        guarded(|| Ok(self.0.energy_kwh()))
    }
    /// Session duration in seconds, to the end or to the latest data.
    #[getter]
    fn duration_s(&self) -> CoreResult<i64> {
        guarded(|| Ok(self.0.duration_s()))
    }
    /// The current state, e.g. ``"charging"`` or ``"ended"``.
    #[getter]
    fn state(&self) -> CoreResult<&'static str> {
        guarded(|| Ok(self.0.state().as_str()))
    }
    /// True once the transaction has ended.
    #[getter]
    fn is_ended(&self) -> CoreResult<bool> {
        guarded(|| Ok(self.0.is_ended()))
    }
    /// The anomaly kinds present, each once, in ``ANOMALY_KINDS`` order.
    #[getter]
    fn anomaly_kinds(&self) -> CoreResult<Vec<&'static str>> {
        let kinds = guarded(|| Ok(self.0.anomaly_kinds()))?;
        Ok(kinds.into_iter().map(|k| k.as_str()).collect())
    }
    /// Consecutive time slices cut at every state change.
    #[getter]
    fn charging_periods<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_to_py(py, &guarded(|| Ok(self.0.charging_periods()))?)
    }
    /// Charging periods additionally cut at the given instants (aware datetimes), e.g.
    /// tariff boundaries.
    fn charging_periods_cut_at<'py>(&self, instants: &Any<'py>) -> PyResult<Bound<'py, PyList>> {
        let cuts = instants.try_iter()?.map(|t| convert::aware_utc(&t?));
        let cuts = cuts.collect::<PyResult<Vec<_>>>()?;
        let periods = guarded(|| Ok(self.0.charging_periods_cut_at(&cuts)))?;
        list_to_py(instants.py(), &periods)
    }
    /// The session as an OCPI CDR (a dict; every JSON number a ``Decimal``): 2.2.1, or 2.3.0
    /// with ``ocpi_version="2.3.0"`` (``ENERGY_IMPORT`` / ``ENERGY_EXPORT`` for V2X).
    /// Keyword options are the core's ``CdrOptions`` fields (``country_code``,
    /// ``party_id``, ``currency``, …); omitted ones keep their defaults.
    #[pyo3(signature = (**cdr_options))]
    fn to_ocpi_cdr<'py>(
        &self,
        py: Python<'py>,
        cdr_options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Any<'py>> {
        // `CdrOptions`' serde form refuses unknown names: a `TypeError`, as for any bad kwarg.
        let opts = match cdr_options {
            None => CdrOptions::default(),
            Some(kwargs) => convert::from_json(&convert::py_to_json(kwargs, Floats::Reject)?)
                .map_err(|e| PyTypeError::new_err(format!("to_ocpi_cdr(): {e}")))?,
        };
        let cdr = guarded(|| self.0.to_ocpi_cdr_json(&opts))?;
        convert::json_text_to_py(py, &cdr, convert::Numbers::Decimal)
    }
    /// The cost an OCPP 2.1 station calculates locally (``CostDetailsType`` dict, OCPP field
    /// names, ``Decimal`` numbers) under ``tariff`` up to ``at`` (None: the end or latest
    /// data); ``timezone``: the station's IANA zone (None: UTC); ``changes``:
    /// ``(datetime, tariff)`` pairs for tariffs changed mid-transaction.
    #[pyo3(signature = (tariff, at=None, *, timezone=None, changes=None))]
    fn cost_details<'py>(
        &self,
        tariff: Any<'py>,
        at: Arg<'py>,
        timezone: Arg<'py>,
        changes: Arg<'py>,
    ) -> PyResult<Any<'py>> {
        station_tariff::cost(&self.0, false, tariff, [None, at, timezone, changes, None])
    }
    /// When the running cost (including tax) under ``tariff`` first reaches ``max_cost`` (a
    /// ``Decimal``; None: the transaction's own 2.1 ``transactionLimit.maxCost``): an aware
    /// datetime, or None. ``timezone``, ``changes``: as for ``cost_details``.
    #[pyo3(signature = (tariff, max_cost=None, *, timezone=None, changes=None))]
    fn cost_limit_reached<'py>(
        &self,
        tariff: Any<'py>,
        max_cost: Arg<'py>,
        timezone: Arg<'py>,
        changes: Arg<'py>,
    ) -> PyResult<Any<'py>> {
        let args = [max_cost, None, timezone, changes, None];
        station_tariff::cost(&self.0, true, tariff, args)
    }
    #[pyo3(signature = (*args))]
    fn _check_cost_details<'py>(&self, args: &Bound<'py, PyTuple>) -> PyResult<Any<'py>> {
        let (t, r, at, tz, c, tol): (Any, Arg, Arg, Arg, Arg, Arg) = args.extract()?;
        station_tariff::cost(&self.0, false, t, [r, at, tz, c, tol])
    }
    /// The session priced against ``tariff`` (a ``chargekit.ocpi.Tariff``, JSON text, a
    /// dict, or a list of them: the first valid at the start is used), with periods cut
    /// exactly at every price boundary. ``timezone``: the site's IANA zone (str or
    /// ``ZoneInfo``); ``policy``: as for ``chargekit.ocpi.price_cdr``.
    #[pyo3(signature = (tariff, *, timezone, policy=None))]
    fn price(
        &self,
        tariff: &Any<'_>,
        timezone: &Any<'_>,
        policy: Option<&Any<'_>>,
    ) -> PyResult<PyPriceResult> {
        let tariffs = billing::tariffs(tariff)?;
        let tz = convert::zone_name(timezone, "timezone")?;
        let policy = billing::policy(policy)?;
        let price = || price_session(&self.0, &tariffs, &tz, Some(&policy));
        Ok(PyPriceResult::new(detached(tariff.py(), price)?))
    }
    /// The price of the session at ``at`` (an aware datetime): what was consumed so far,
    /// and the full result were it to stop then. Arguments as for ``price``.
    #[pyo3(signature = (tariff, *, timezone, at, policy=None))]
    fn price_live(
        &self,
        tariff: &Any<'_>,
        timezone: &Any<'_>,
        at: &Any<'_>,
        policy: Option<&Any<'_>>,
    ) -> PyResult<PyLivePrice> {
        let tariffs = billing::tariffs(tariff)?;
        let tz = convert::zone_name(timezone, "timezone")?;
        let (at, policy) = (convert::aware_utc(at)?, billing::policy(policy)?);
        let price = || price_live(&self.0, &tariffs, &tz, at, Some(&policy));
        Ok(PyLivePrice(detached(tariff.py(), price)?))
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let s = &self.0;
        let (state, kinds) = guarded(|| Ok((s.state(), s.anomaly_kinds())))?;
        let rfc3339 = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let at = |t: Option<DateTime<Utc>>| t.map_or("None".into(), rfc3339);
        let station = to_py(py, &s.station_id)?.repr()?;
        let tx = to_py(py, &s.key.to_string())?.repr()?;
        let state = to_py(py, state.as_str())?.repr()?;
        let kinds = to_py(py, &kinds)?.repr()?;
        let (start, end) = (at(Some(s.start)), at(s.end));
        Ok(format!(
            "Session(station_id={station}, transaction_id={tx}, state={state}, start={start}, end={end}, energy_wh={}, anomaly_kinds={kinds})",
            s.energy_wh
        ))
    }
}
