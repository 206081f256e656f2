//! Read-only Python views of the core's session types: `Session`, `StateChange`, `Anomaly`,
//! `Reading` and `ChargingPeriod`. Quantities are `Decimal`, instants aware UTC datetimes,
//! enumerations their stable wire names.

use crate::convert::{self, Numbers};
use chargekit::meter::{Anomaly, Reading};
use chargekit::session::{CdrOptions, ChargingPeriod, Session, StateChange};
use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rust_decimal::Decimal;
use serde_json::Value;

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// A str in Python's repr style (single quotes).
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn q_opt(s: Option<&str>) -> String {
    s.map(q).unwrap_or_else(|| "None".into())
}

/// A change of session state at an instant, with the energy delivered so far.
#[pyclass(frozen, eq, name = "StateChange", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PyStateChange(pub StateChange);

#[pymethods]
impl PyStateChange {
    /// When (aware UTC datetime).
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The new state, e.g. ``"charging"``.
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state.as_str()
    }
    /// Energy delivered so far, Wh.
    #[getter]
    fn energy_wh(&self) -> Decimal {
        self.0.energy_wh
    }
    fn __repr__(&self) -> String {
        format!(
            "StateChange(at={}, state={}, energy_wh={})",
            iso(self.0.at),
            q(self.0.state.as_str()),
            self.0.energy_wh
        )
    }
}

/// Something the meter data got wrong, reported instead of silently fixed.
#[pyclass(frozen, eq, name = "Anomaly", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PyAnomaly(pub Anomaly);

#[pymethods]
impl PyAnomaly {
    /// The kind: one of ``chargekit.ANOMALY_KINDS``.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }
    /// The station time it concerns, if it concerns one moment.
    #[getter]
    fn at(&self) -> Option<DateTime<Utc>> {
        self.0.at
    }
    /// The OCPP message id it was found in, if any.
    #[getter]
    fn message_id(&self) -> Option<&str> {
        self.0.message_id.as_deref()
    }
    /// What was seen and what was done about it.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }
    fn __repr__(&self) -> String {
        format!(
            "Anomaly(kind={}, at={}, message_id={}, detail={})",
            q(self.0.kind.as_str()),
            self.0.at.map(iso).unwrap_or_else(|| "None".into()),
            q_opt(self.0.message_id.as_deref()),
            q(&self.0.detail)
        )
    }
}

/// One sampled value, normalised (``value`` in Wh, W, A, V, %), with what the station sent.
#[pyclass(frozen, eq, name = "Reading", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PyReading(pub Reading);

#[pymethods]
impl PyReading {
    /// Sampling time on the station's clock.
    #[getter]
    fn ts_station(&self) -> DateTime<Utc> {
        self.0.ts_station
    }
    /// When the central system received it, if known.
    #[getter]
    fn ts_received(&self) -> Option<DateTime<Utc>> {
        self.0.ts_received
    }
    /// OCPP measurand, e.g. ``"Energy.Active.Import.Register"``.
    #[getter]
    fn measurand(&self) -> &'static str {
        self.0.measurand.as_str()
    }
    /// OCPP phase, e.g. ``"L1"``; None = the total.
    #[getter]
    fn phase(&self) -> Option<&'static str> {
        self.0.phase.map(|p| p.as_str())
    }
    /// OCPP location, e.g. ``"Outlet"``; None = unspecified.
    #[getter]
    fn location(&self) -> Option<&'static str> {
        self.0.location.map(|l| l.as_str())
    }
    /// OCPP reading context, e.g. ``"Sample.Periodic"``.
    #[getter]
    fn context(&self) -> &'static str {
        self.0.context.as_str()
    }
    /// The unit text as sent.
    #[getter]
    fn unit_raw(&self) -> Option<&str> {
        self.0.unit_raw.as_deref()
    }
    /// The 2.0.1 power-of-ten multiplier (0 in 1.6).
    #[getter]
    fn multiplier(&self) -> i32 {
        self.0.multiplier
    }
    /// The value text as sent.
    #[getter]
    fn raw(&self) -> &str {
        &self.0.raw
    }
    /// The normalised value, or None when it could not be read.
    #[getter]
    fn value(&self) -> Option<Decimal> {
        self.0.value
    }
    /// Signed data sent with the value (OCMF, …), verbatim.
    #[getter]
    fn signed_data(&self) -> Option<&str> {
        self.0.signed_data.as_deref()
    }
    /// The OCPP message id of the frame it came from.
    #[getter]
    fn message_id(&self) -> &str {
        &self.0.source.msg_id
    }
    /// The 2.0.1 ``seqNo`` of the event, if any.
    #[getter]
    fn seq_no(&self) -> Option<u64> {
        self.0.source.seq_no
    }
    /// True when the station queued the event while offline.
    #[getter]
    fn offline(&self) -> bool {
        self.0.source.offline
    }
    fn __repr__(&self) -> String {
        let phase = self.0.phase.map(|p| format!(" {}", p.as_str()));
        format!(
            "Reading({} {}{} = {} (raw {} {}), context={}, message_id={})",
            iso(self.0.ts_station),
            self.0.measurand.as_str(),
            phase.unwrap_or_default(),
            self.0
                .value
                .map(|v| v.to_string())
                .unwrap_or_else(|| "None".into()),
            q(&self.0.raw),
            q_opt(self.0.unit_raw.as_deref()),
            q(self.0.context.as_str()),
            q(&self.0.source.msg_id)
        )
    }
}

/// One time slice of a session, as a tariff prices it (charging or idle).
#[pyclass(frozen, eq, name = "ChargingPeriod", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PyChargingPeriod(pub ChargingPeriod);

#[pymethods]
impl PyChargingPeriod {
    /// Start of the slice.
    #[getter]
    fn start(&self) -> DateTime<Utc> {
        self.0.start
    }
    /// End of the slice.
    #[getter]
    fn end(&self) -> DateTime<Utc> {
        self.0.end
    }
    /// The session state during the slice.
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state.as_str()
    }
    /// ``"charging"`` or ``"idle"``.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }
    /// Energy delivered in the slice, Wh.
    #[getter]
    fn energy_wh(&self) -> Decimal {
        self.0.energy_wh
    }
    /// Length in seconds.
    #[getter]
    fn duration_s(&self) -> i64 {
        self.0.duration_s()
    }
    /// Highest power in the slice, W.
    #[getter]
    fn max_power_w(&self) -> Option<Decimal> {
        self.0.max_power_w
    }
    /// Highest current on any phase in the slice, A, when sampled.
    #[getter]
    fn max_current_a(&self) -> Option<Decimal> {
        self.0.max_current_a
    }
    fn __repr__(&self) -> String {
        format!(
            "ChargingPeriod({}..{}, kind={}, state={}, energy_wh={})",
            iso(self.0.start),
            iso(self.0.end),
            q(self.0.kind.as_str()),
            q(self.0.state.as_str()),
            self.0.energy_wh
        )
    }
}

/// A charging session, as known from the messages fed so far (immutable snapshot).
#[pyclass(frozen, eq, name = "Session", module = "chargekit")]
#[derive(Clone, PartialEq)]
pub struct PySession(pub Session);

fn periods(list: Vec<ChargingPeriod>) -> Vec<PyChargingPeriod> {
    list.into_iter().map(PyChargingPeriod).collect()
}

/// `**cdr_options` → core `CdrOptions` through its serde form; an unknown name is a
/// `TypeError`, as for any unexpected keyword argument.
fn build_cdr_options(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<CdrOptions> {
    let Some(kwargs) = kwargs else {
        return Ok(CdrOptions::default());
    };
    let known = match serde_json::to_value(CdrOptions::default()) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let mut map = serde_json::Map::new();
    for (k, v) in kwargs.iter() {
        let name = k.extract::<String>()?;
        if !known.contains_key(&name) {
            let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err(PyTypeError::new_err(format!(
                "to_ocpi_cdr() got an unexpected keyword argument {name:?}; expected one of: {}",
                names.join(", ")
            )));
        }
        map.insert(name, convert::py_to_json(&v, convert::Floats::Reject)?);
    }
    serde_json::from_value(Value::Object(map))
        .map_err(|e| PyTypeError::new_err(format!("to_ocpi_cdr(): {e}")))
}

#[pymethods]
impl PySession {
    /// The station (OCPP charge point identity).
    #[getter]
    fn station_id(&self) -> &str {
        &self.0.station_id
    }
    /// The transaction id (``"local:…"`` for a transaction whose id never became known).
    #[getter]
    fn transaction_id(&self) -> String {
        self.0.key.to_string()
    }
    /// OCPP version: ``"1.6"`` or ``"2.0.1"``.
    #[getter]
    fn version(&self) -> String {
        self.0.version.to_string()
    }
    /// EVSE (2.0.1), if known.
    #[getter]
    fn evse_id(&self) -> Option<u32> {
        self.0.evse_id
    }
    /// Connector, if known.
    #[getter]
    fn connector_id(&self) -> Option<u32> {
        self.0.connector_id
    }
    /// The authorising token.
    #[getter]
    fn id_token(&self) -> Option<&str> {
        self.0.id_token.as_deref()
    }
    /// Start of the session.
    #[getter]
    fn start(&self) -> DateTime<Utc> {
        self.0.start
    }
    /// End of the session, once ended.
    #[getter]
    fn end(&self) -> Option<DateTime<Utc>> {
        self.0.end
    }
    /// Latest station time seen in the session's data.
    #[getter]
    fn last_seen(&self) -> DateTime<Utc> {
        self.0.last_seen
    }
    /// Why it stopped, as the station said.
    #[getter]
    fn stop_reason(&self) -> Option<&str> {
        self.0.stop_reason.as_deref()
    }
    /// 1.6 ``meterStart``, Wh.
    #[getter]
    fn meter_start_wh(&self) -> Option<Decimal> {
        self.0.meter_start_wh
    }
    /// 1.6 ``meterStop``, Wh.
    #[getter]
    fn meter_stop_wh(&self) -> Option<Decimal> {
        self.0.meter_stop_wh
    }
    /// Energy delivered, Wh.
    #[getter]
    fn energy_wh(&self) -> Decimal {
        self.0.energy_wh
    }
    /// Energy delivered, kWh.
    #[getter]
    fn energy_kwh(&self) -> Decimal {
        self.0.energy_kwh()
    }
    /// How the energy was computed, e.g. ``"register"``.
    #[getter]
    fn energy_method(&self) -> &'static str {
        self.0.energy_method.as_str()
    }
    /// Seconds energy flowed.
    #[getter]
    fn charging_s(&self) -> i64 {
        self.0.charging_s
    }
    /// Seconds plugged in without charging.
    #[getter]
    fn idle_s(&self) -> i64 {
        self.0.idle_s
    }
    /// Seconds from the last energy increase to the end (or to the latest data).
    #[getter]
    fn overstay_s(&self) -> i64 {
        self.0.overstay_s
    }
    /// Session duration in seconds, to the end or to the latest data.
    #[getter]
    fn duration_s(&self) -> i64 {
        self.0.duration_s()
    }
    /// Highest power, W.
    #[getter]
    fn peak_power_w(&self) -> Option<Decimal> {
        self.0.peak_power_w
    }
    /// Power now, W (0 once ended).
    #[getter]
    fn current_power_w(&self) -> Option<Decimal> {
        self.0.current_power_w
    }
    /// State of charge at the start, %.
    #[getter]
    fn soc_start(&self) -> Option<Decimal> {
        self.0.soc_start
    }
    /// State of charge at the end, %.
    #[getter]
    fn soc_end(&self) -> Option<Decimal> {
        self.0.soc_end
    }
    /// The current state, e.g. ``"charging"`` or ``"ended"``.
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state().as_str()
    }
    /// True once the transaction has ended.
    #[getter]
    fn is_ended(&self) -> bool {
        self.0.is_ended()
    }
    /// State changes in time order.
    #[getter]
    fn timeline(&self) -> Vec<PyStateChange> {
        self.0.timeline.iter().cloned().map(PyStateChange).collect()
    }
    /// Everything the data got wrong, in time order.
    #[getter]
    fn anomalies(&self) -> Vec<PyAnomaly> {
        self.0.anomalies.iter().cloned().map(PyAnomaly).collect()
    }
    /// The anomaly kinds present, each once, in ``ANOMALY_KINDS`` order.
    #[getter]
    fn anomaly_kinds(&self) -> Vec<&'static str> {
        self.0
            .anomaly_kinds()
            .into_iter()
            .map(|k| k.as_str())
            .collect()
    }
    /// Every reading of the session, de-duplicated, in time order.
    #[getter]
    fn readings(&self) -> Vec<PyReading> {
        self.0.readings.iter().cloned().map(PyReading).collect()
    }
    /// Consecutive time slices cut at every state change.
    #[getter]
    fn charging_periods(&self) -> Vec<PyChargingPeriod> {
        periods(self.0.charging_periods())
    }

    /// Charging periods additionally cut at the given instants (aware datetimes), e.g.
    /// tariff boundaries.
    fn charging_periods_cut_at(
        &self,
        instants: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyChargingPeriod>> {
        let cuts = instants
            .try_iter()?
            .map(|t| convert::aware_utc(&t?))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(periods(self.0.charging_periods_cut_at(&cuts)))
    }

    /// The session as an OCPI 2.2.1 CDR (a dict; every JSON number a ``Decimal``).
    /// Keyword options are the core's ``CdrOptions`` fields (``country_code``,
    /// ``party_id``, ``currency``, …); omitted ones keep their defaults.
    #[pyo3(signature = (**cdr_options))]
    fn to_ocpi_cdr<'py>(
        &self,
        py: Python<'py>,
        cdr_options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = build_cdr_options(cdr_options)?;
        convert::json_to_py(py, &self.0.to_ocpi_cdr(&opts), Numbers::Decimal)
    }

    /// The session priced against ``tariff`` (a ``chargekit.ocpi.Tariff``, JSON text, a
    /// dict, or a list of them: the first valid at the start is used), with periods cut
    /// exactly at every price boundary. ``timezone``: the site's IANA zone (str or
    /// ``ZoneInfo``); ``policy``: as for ``chargekit.ocpi.price_cdr``.
    #[pyo3(signature = (tariff, *, timezone, policy=None))]
    fn price(
        &self,
        py: Python<'_>,
        tariff: &Bound<'_, PyAny>,
        timezone: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::billing::PyPriceResult> {
        crate::billing::price_session(py, &self.0, tariff, timezone, policy)
    }

    /// The price of the session at ``at`` (an aware datetime): what was consumed so far,
    /// and the full result were it to stop then. Arguments as for ``price``.
    #[pyo3(signature = (tariff, *, timezone, at, policy=None))]
    fn price_live(
        &self,
        py: Python<'_>,
        tariff: &Bound<'_, PyAny>,
        timezone: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::billing::PyLivePrice> {
        crate::billing::price_live(py, &self.0, tariff, timezone, at, policy)
    }

    fn __repr__(&self) -> String {
        format!(
            "Session(station_id={}, transaction_id={}, state={}, start={}, end={}, energy_wh={}, anomaly_kinds=[{}])",
            q(&self.0.station_id),
            q(&self.0.key.to_string()),
            q(self.0.state().as_str()),
            iso(self.0.start),
            self.0.end.map(iso).unwrap_or_else(|| "None".into()),
            self.0.energy_wh,
            self.0
                .anomaly_kinds()
                .into_iter()
                .map(|k| q(k.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
