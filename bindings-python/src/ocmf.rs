//! `chargekit.ocmf`: signed meter values (`chargekit::signed`): OCMF records, their
//! signature verdicts and the transaction ("Eichrecht") checks, as read-only views.

use crate::convert::{self, Numbers};
use crate::errors::core;
use crate::session::{PyAnomaly, PySession};
use chargekit::signed::{
    self, BillableEnergy, FailedCheck, OcmfReading, OcmfRecord, ProvenEnergy, SignedInput,
    TimeBilling, TransactionReport, Verification,
};
use chrono::{DateTime, FixedOffset};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// A signed value argument: `str`, or `bytes` (UTF-8).
fn text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return obj.extract::<String>();
    }
    if let Ok(b) = obj.extract::<Vec<u8>>() {
        return String::from_utf8(b)
            .map_err(|e| PyValueError::new_err(format!("{what} is not UTF-8: {e}")));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str, got {}",
        obj.get_type().name()?
    )))
}

/// A JSON object of the record (`extra` keys) → a dict, numbers exact.
fn extra_dict<'py>(
    py: Python<'py>,
    extra: &BTreeMap<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in extra {
        d.set_item(k, convert::json_to_py(py, v, Numbers::IntOrDecimal)?)?;
    }
    Ok(d)
}

/// JSON text → Python (int / Decimal numbers), or None when it is not JSON.
fn json_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => convert::json_to_py(py, &v, Numbers::IntOrDecimal),
        Err(_) => Ok(py.None().into_bound(py)),
    }
}

/// One reading (`RD` entry) of an OCMF record; omitted fields are inherited from the
/// previous reading, as OCMF specifies (``inherited`` names them).
#[pyclass(frozen, eq, name = "OcmfReading", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyOcmfReading(pub OcmfReading);

#[pymethods]
impl PyOcmfReading {
    /// ``TM`` as an aware datetime in the meter's own offset, or None.
    #[getter]
    fn time(&self) -> Option<DateTime<FixedOffset>> {
        self.0.time.as_ref().map(|t| t.at)
    }
    /// The clock status letter after the time (``"S"``, ``"I"``, ``"R"``, ``"U"``, …).
    #[getter]
    fn time_status(&self) -> Option<&str> {
        self.0.time.as_ref()?.status.as_ref().map(|s| s.as_str())
    }
    /// ``TM`` as written.
    #[getter]
    fn time_text(&self) -> Option<&str> {
        self.0.time.as_ref().map(|t| t.text.as_str())
    }
    /// ``TX``: ``"B"`` (begin), ``"C"``, ``"X"``, ``"E"``, ``"L"``, ``"R"``, ``"A"``, ``"P"``, ``"S"``, ``"T"``.
    #[getter]
    fn transaction(&self) -> Option<&str> {
        self.0.transaction.as_ref().map(|t| t.as_str())
    }
    /// ``RV`` (Decimal, with the decimals as written).
    #[getter]
    fn value(&self) -> Decimal {
        self.0.value
    }
    /// ``RV`` as written.
    #[getter]
    fn value_text(&self) -> &str {
        &self.0.value_text
    }
    /// ``RV`` in Wh, for energy units.
    #[getter]
    fn value_wh(&self) -> Option<Decimal> {
        self.0.value_wh()
    }
    /// ``RI``: the OBIS id.
    #[getter]
    fn obis(&self) -> Option<&str> {
        self.0.obis.as_deref()
    }
    /// ``RU``: ``"kWh"``, ``"Wh"``, ``"mOhm"``, ``"uOhm"``, or a value outside the spec as sent.
    #[getter]
    fn unit(&self) -> Option<&str> {
        self.0.unit.as_ref().map(|u| u.as_str())
    }
    /// ``RT``: ``"AC"``, ``"DC"`` or as sent.
    #[getter]
    fn current_type(&self) -> Option<&str> {
        self.0.current_type.as_ref().map(|c| c.as_str())
    }
    /// ``CL``: cumulated loss.
    #[getter]
    fn cumulated_loss(&self) -> Option<Decimal> {
        self.0.cumulated_loss
    }
    /// ``EF``: error flags (``"E"`` energy, ``"t"`` time).
    #[getter]
    fn error_flags(&self) -> Option<&str> {
        self.0.error_flags.as_deref()
    }
    /// ``ST``: meter status (``"G"`` = OK).
    #[getter]
    fn status(&self) -> Option<&str> {
        self.0.status.as_ref().map(|s| s.as_str())
    }
    /// ``EI``: the legacy event counter.
    #[getter]
    fn event_counter(&self) -> Option<&str> {
        self.0.event_counter.as_deref()
    }
    /// The fields taken from the previous reading.
    #[getter]
    fn inherited(&self) -> Vec<String> {
        self.0.inherited.clone()
    }
    /// Fields outside the specification (vendor keys), as sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extra_dict(py, &self.0.extra)
    }
    /// True when the error flags mark the energy unusable.
    #[getter]
    fn energy_error(&self) -> bool {
        self.0.energy_error()
    }
    /// True when the error flags mark the time unusable.
    #[getter]
    fn time_error(&self) -> bool {
        self.0.time_error()
    }
    /// True for kWh and Wh readings.
    #[getter]
    fn is_energy(&self) -> bool {
        self.0.is_energy()
    }
    fn __repr__(&self) -> String {
        format!(
            "OcmfReading(TX={}, RV={}, RU={}, TM={})",
            self.0.transaction.as_ref().map_or("None", |t| t.as_str()),
            self.0.value_text,
            self.0.unit.as_ref().map_or("None", |u| u.as_str()),
            self.0.time.as_ref().map_or("None", |t| t.text.as_str())
        )
    }
}

/// A parsed OCMF record. The payload is kept as the exact bytes the meter signed
/// (``payload_text``); the other properties are a typed reading of it.
#[pyclass(frozen, eq, name = "OcmfRecord", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyOcmfRecord(pub OcmfRecord);

#[pymethods]
impl PyOcmfRecord {
    /// The payload section exactly as signed.
    #[getter]
    fn payload_text(&self) -> &str {
        &self.0.payload_text
    }
    /// The signature section as written.
    #[getter]
    fn signature_text(&self) -> &str {
        &self.0.signature_text
    }
    /// The payload as a dict (integers ``int``, other numbers ``Decimal``).
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_text(py, &self.0.payload_text)
    }
    /// The signature section as a dict.
    #[getter]
    fn signature<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_text(py, &self.0.signature_text)
    }
    /// ``SA`` as written (None: the default ``ECDSA-secp256r1-SHA256`` applies).
    #[getter]
    fn signature_algorithm(&self) -> Option<&str> {
        self.0.signature.algorithm.as_deref()
    }
    /// ``SE`` as written (None: hex).
    #[getter]
    fn signature_encoding(&self) -> Option<&str> {
        self.0.signature.encoding.as_deref()
    }
    /// ``SD``: the signature value as written.
    #[getter]
    fn signature_data(&self) -> &str {
        &self.0.signature.data
    }
    /// A public key carried with the record (some transport forms and vendors add one).
    #[getter]
    fn embedded_public_key(&self) -> Option<&str> {
        self.0.embedded_public_key.as_deref()
    }
    /// ``FV``.
    #[getter]
    fn format_version(&self) -> Option<&str> {
        self.0.payload.format_version.as_deref()
    }
    /// ``GI``.
    #[getter]
    fn gateway_id(&self) -> Option<&str> {
        self.0.payload.gateway_id.as_deref()
    }
    /// ``GS``.
    #[getter]
    fn gateway_serial(&self) -> Option<&str> {
        self.0.payload.gateway_serial.as_deref()
    }
    /// ``GV``.
    #[getter]
    fn gateway_version(&self) -> Option<&str> {
        self.0.payload.gateway_version.as_deref()
    }
    /// ``PG`` as written, e.g. ``"T32"``.
    #[getter]
    fn pagination(&self) -> &str {
        &self.0.payload.pagination.text
    }
    /// ``MV``.
    #[getter]
    fn meter_vendor(&self) -> Option<&str> {
        self.0.payload.meter_vendor.as_deref()
    }
    /// ``MM``.
    #[getter]
    fn meter_model(&self) -> Option<&str> {
        self.0.payload.meter_model.as_deref()
    }
    /// ``MS``.
    #[getter]
    fn meter_serial(&self) -> Option<&str> {
        self.0.payload.meter_serial.as_deref()
    }
    /// ``MF``.
    #[getter]
    fn meter_firmware(&self) -> Option<&str> {
        self.0.payload.meter_firmware.as_deref()
    }
    /// The user assignment: ``{"status": IS, "level": IL, "flags": IF, "type": IT, "data": ID}``.
    #[getter]
    fn identification<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = &self.0.payload.identification;
        let d = PyDict::new(py);
        d.set_item("status", i.status)?;
        d.set_item("level", i.level.as_ref().map(|l| l.as_str()))?;
        d.set_item("flags", i.flags.clone())?;
        d.set_item("type", i.id_type.as_ref().map(|t| t.as_str()))?;
        d.set_item("data", i.data.as_deref())?;
        Ok(d)
    }
    /// ``TT``.
    #[getter]
    fn tariff_text(&self) -> Option<&str> {
        self.0.payload.tariff_text.as_deref()
    }
    /// ``CT``.
    #[getter]
    fn charge_point_id_type(&self) -> Option<&str> {
        self.0
            .payload
            .charge_point_id_type
            .as_ref()
            .map(|c| c.as_str())
    }
    /// ``CI``.
    #[getter]
    fn charge_point_id(&self) -> Option<&str> {
        self.0.payload.charge_point_id.as_deref()
    }
    /// ``RD``: the readings.
    #[getter]
    fn readings(&self) -> Vec<PyOcmfReading> {
        self.0
            .payload
            .readings
            .iter()
            .cloned()
            .map(PyOcmfReading)
            .collect()
    }
    /// Payload fields outside the specification, as sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extra_dict(py, &self.0.payload.extra)
    }
    /// Deviations from the specification the parser accepted, e.g. ``"rv_as_string"``.
    #[getter]
    fn notes(&self) -> Vec<&'static str> {
        self.0.payload.notes.iter().map(|n| n.as_str()).collect()
    }
    /// The record as text: ``OCMF|payload|signature``.
    fn to_record_text(&self) -> String {
        self.0.to_record_text()
    }
    fn __repr__(&self) -> String {
        format!(
            "OcmfRecord(PG={:?}, MS={:?}, readings={})",
            self.0.payload.pagination.text,
            self.0.payload.meter_serial.as_deref().unwrap_or(""),
            self.0.payload.readings.len()
        )
    }
}

/// The verdict on a signed value and the parsed record.
#[pyclass(frozen, eq, name = "Verification", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyVerification(pub Verification);

#[pymethods]
impl PyVerification {
    /// ``"valid"``, ``"invalid"`` or ``"unsupported_algorithm"``.
    #[getter]
    fn verdict(&self) -> &'static str {
        self.0.verdict.as_str()
    }
    /// Why it is not valid: ``"signature_mismatch"``, ``"key_curve_mismatch"``,
    /// ``"signature_out_of_range"``, ``"unknown_algorithm"``, ``"curve_unavailable"``,
    /// ``"unsupported_format"``; None when valid.
    #[getter]
    fn reason(&self) -> Option<&'static str> {
        self.0.reason.map(|r| r.as_str())
    }
    /// The effective algorithm (``SA`` or its default), for OCMF records.
    #[getter]
    fn algorithm(&self) -> Option<&str> {
        self.0.algorithm.as_deref()
    }
    /// The curve, e.g. ``"secp256r1"``, when known.
    #[getter]
    fn curve(&self) -> Option<&'static str> {
        self.0.curve.map(|c| c.as_str())
    }
    /// The signed-data format, e.g. ``"ocmf"`` or ``"safe_seal"``.
    #[getter]
    fn format(&self) -> &'static str {
        self.0.format.as_str()
    }
    /// The parsed record; None only for a non-OCMF format.
    #[getter]
    fn record(&self) -> Option<PyOcmfRecord> {
        self.0.record.clone().map(PyOcmfRecord)
    }
    /// True for ``"valid"``.
    #[getter]
    fn is_valid(&self) -> bool {
        self.0.is_valid()
    }
    fn __bool__(&self) -> bool {
        self.0.is_valid()
    }
    fn __repr__(&self) -> String {
        format!(
            "Verification(verdict='{}', reason={}, curve={})",
            self.0.verdict.as_str(),
            self.0
                .reason
                .map_or("None".into(), |r| format!("'{}'", r.as_str())),
            self.0
                .curve
                .map_or("None".into(), |c| format!("'{}'", c.as_str()))
        )
    }
}

/// One failed transaction check: ``check`` (its stable name) and ``detail``.
#[pyclass(frozen, eq, name = "FailedCheck", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyFailedCheck(pub FailedCheck);

#[pymethods]
impl PyFailedCheck {
    /// The check, e.g. ``"value_monotonic"``.
    #[getter]
    fn check(&self) -> &'static str {
        self.0.check.as_str()
    }
    /// What was found.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }
    /// True when this failure makes the energy unusable for billing.
    #[getter]
    fn blocks_energy(&self) -> bool {
        self.0.check.blocks_energy()
    }
    /// True when this failure makes the duration unusable for billing.
    #[getter]
    fn blocks_time(&self) -> bool {
        self.0.check.blocks_time()
    }
    fn __repr__(&self) -> String {
        format!(
            "FailedCheck(check='{}', detail={:?})",
            self.0.check.as_str(),
            self.0.detail
        )
    }
}

/// The energy between the begin and end readings of the billing register.
#[pyclass(frozen, eq, name = "BillableEnergy", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyBillableEnergy(pub BillableEnergy);

#[pymethods]
impl PyBillableEnergy {
    /// End ``RV`` − begin ``RV`` in ``unit``, with the decimals of the texts.
    #[getter]
    fn value(&self) -> Decimal {
        self.0.value
    }
    /// The unit, e.g. ``"kWh"``.
    #[getter]
    fn unit(&self) -> &str {
        self.0.unit.as_str()
    }
    /// The energy in Wh.
    #[getter]
    fn wh(&self) -> Option<Decimal> {
        self.0.wh()
    }
    /// The begin ``RV`` as written.
    #[getter]
    fn begin_text(&self) -> &str {
        &self.0.begin_text
    }
    /// The end ``RV`` as written.
    #[getter]
    fn end_text(&self) -> &str {
        &self.0.end_text
    }
    /// The register's OBIS id.
    #[getter]
    fn obis(&self) -> Option<&str> {
        self.0.obis.as_deref()
    }
    /// ``CL`` of the end reading.
    #[getter]
    fn cable_loss(&self) -> Option<Decimal> {
        self.0.cable_loss
    }
    fn __repr__(&self) -> String {
        format!(
            "BillableEnergy(value=Decimal('{}'), unit='{}')",
            self.0.value,
            self.0.unit.as_str()
        )
    }
}

/// The outcome of the transaction checks over the records of one transaction.
#[pyclass(frozen, eq, name = "TransactionReport", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyTransactionReport(pub TransactionReport);

#[pymethods]
impl PyTransactionReport {
    /// The verification of each record, in input order.
    #[getter]
    fn verifications(&self) -> Vec<PyVerification> {
        self.0
            .verifications
            .iter()
            .cloned()
            .map(PyVerification)
            .collect()
    }
    /// Each failed check, in the core's check order.
    #[getter]
    fn failed(&self) -> Vec<PyFailedCheck> {
        self.0.failed.iter().cloned().map(PyFailedCheck).collect()
    }
    /// The names of the failed checks.
    #[getter]
    fn failed_names(&self) -> Vec<&'static str> {
        self.0.failed_names()
    }
    /// True when every check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.0.passed()
    }
    /// True when the check (by name, e.g. ``"same_meter"``) failed.
    fn has_failed(&self, check: &str) -> PyResult<bool> {
        let c = signed::TransactionCheck::from_str(check).map_err(PyValueError::new_err)?;
        Ok(self.0.has_failed(c))
    }
    /// The energy between begin and end, when both were found with one unit (also when a
    /// check failed: see ``energy_billable``).
    #[getter]
    fn energy(&self) -> Option<PyBillableEnergy> {
        self.0.energy.clone().map(PyBillableEnergy)
    }
    /// Seconds from begin to end, when both times are known.
    #[getter]
    fn duration_s(&self) -> Option<i64> {
        self.0.duration_s
    }
    /// True when no check that concerns the energy failed.
    #[getter]
    fn energy_billable(&self) -> bool {
        self.0.energy_billable
    }
    /// True when no check that concerns time failed and the clocks suit the policy.
    #[getter]
    fn time_billable(&self) -> bool {
        self.0.time_billable
    }
    fn __repr__(&self) -> String {
        format!(
            "TransactionReport(passed={}, failed={:?}, energy={})",
            if self.0.passed() { "True" } else { "False" },
            self.0.failed_names(),
            self.0.energy.as_ref().map_or("None".into(), |e| format!(
                "{} {}",
                e.value,
                e.unit.as_str()
            ))
        )
    }
}

/// The energy proven by the signed readings of a session.
#[pyclass(frozen, eq, name = "ProvenEnergy", module = "chargekit.ocmf")]
#[derive(Clone, PartialEq)]
pub struct PyProvenEnergy(pub ProvenEnergy);

#[pymethods]
impl PyProvenEnergy {
    /// The transaction checks over the session's signed records; None without any.
    #[getter]
    fn report(&self) -> Option<PyTransactionReport> {
        self.0.report.clone().map(PyTransactionReport)
    }
    /// The proven energy in Wh, only when every energy check passed.
    #[getter]
    fn energy_wh(&self) -> Option<Decimal> {
        self.0.energy_wh
    }
    /// The energy the session computed from its unsigned series, Wh.
    #[getter]
    fn unsigned_energy_wh(&self) -> Decimal {
        self.0.unsigned_energy_wh
    }
    /// Disagreements between signed and unsigned data (``start_stop_mismatch`` anomalies).
    #[getter]
    fn anomalies(&self) -> Vec<PyAnomaly> {
        self.0.anomalies.iter().cloned().map(PyAnomaly).collect()
    }
    /// Signed data that could not be read: ``(message_id, kind, error)`` triples.
    #[getter]
    fn unreadable(&self) -> Vec<(String, &'static str, String)> {
        self.0
            .unreadable
            .iter()
            .map(|u| (u.msg_id.clone(), u.kind, u.error.clone()))
            .collect()
    }
    /// True when signatures prove an energy and the unsigned series agrees with it.
    #[getter]
    fn is_consistent(&self) -> bool {
        self.0.is_consistent()
    }
    fn __repr__(&self) -> String {
        format!(
            "ProvenEnergy(energy_wh={}, unsigned_energy_wh={}, consistent={})",
            self.0
                .energy_wh
                .map_or("None".into(), |e| format!("Decimal('{e}')")),
            self.0.unsigned_energy_wh,
            if self.0.is_consistent() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// Parses an OCMF record (``OCMF|payload|signature``, or a transport form: hex, Base64,
/// an OCPP 1.6 SignedData value, …). Raises an ``Error`` subclass when unreadable.
#[pyfunction]
pub fn parse(record: &Bound<'_, PyAny>) -> PyResult<PyOcmfRecord> {
    let text = text(record, "record")?;
    Ok(PyOcmfRecord(core(signed::parse(&text))?))
}

/// Verifies signed data with a public key (hex or Base64; SPKI DER or a raw point).
/// A readable record whose signature fails is a result with ``verdict == "invalid"``,
/// not an error.
#[pyfunction]
pub fn verify(
    py: Python<'_>,
    record: &Bound<'_, PyAny>,
    public_key: &str,
) -> PyResult<PyVerification> {
    let text = text(record, "record")?;
    let v = py.detach(|| signed::verify(&text, public_key));
    Ok(PyVerification(core(v)?))
}

/// The transaction checks on a begin/end pair (pass the same record twice for a record
/// holding both readings); each failed check is named in ``failed``.
#[pyfunction]
pub fn check_transaction(
    py: Python<'_>,
    begin: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
    public_key: &str,
) -> PyResult<PyTransactionReport> {
    let (b, e) = (text(begin, "begin")?, text(end, "end")?);
    let r = py.detach(|| signed::check_transaction(&b, &e, public_key));
    Ok(PyTransactionReport(core(r)?))
}

/// The transaction checks on the records of one transaction, in order: an iterable of
/// ``(signed_data, public_key)`` pairs. ``time_billing``: ``"law_accurate_only"``
/// (synchronised or relative clocks at both ends) or ``"any_clock"``.
#[pyfunction]
#[pyo3(signature = (records, time_billing="law_accurate_only"))]
pub fn check_records(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    time_billing: &str,
) -> PyResult<PyTransactionReport> {
    let tb = TimeBilling::from_str(time_billing).map_err(PyValueError::new_err)?;
    let pairs = records
        .try_iter()?
        .map(|item| {
            let (data, key): (Bound<'_, PyAny>, String) = item?.extract()?;
            Ok((text(&data, "signed_data")?, key))
        })
        .collect::<PyResult<Vec<(String, String)>>>()?;
    let r = py.detach(|| {
        let inputs: Vec<SignedInput<'_>> = pairs
            .iter()
            .map(|(data, public_key)| SignedInput { data, public_key })
            .collect();
        signed::check_records(&inputs, tb)
    });
    Ok(PyTransactionReport(core(r)?))
}

/// The energy proven by the signed readings of a session (``Reading.signed_data``),
/// checked as one transaction with ``public_key``.
#[pyfunction]
pub fn proven_energy(
    py: Python<'_>,
    session: PyRef<'_, PySession>,
    public_key: &str,
) -> PyResult<PyProvenEnergy> {
    let s = &session.0;
    let p = py.detach(|| signed::proven_energy(s, public_key));
    Ok(PyProvenEnergy(core(p)?))
}
