//! `chargekit.ocmf`: signed meter values (`chargekit::signed`). The results are the core's
//! records (`OcmfRecord`, `Verification`, `TransactionReport`, `ProvenEnergy`, …), converted
//! by the one table in `records`; `chargekit/ocmf.py` gives them their Python names.

use crate::convert::{self, Text};
use crate::errors::guarded;
use crate::records::{detached_to_py, to_py};
use crate::session::PySession;
use chargekit::boundary::signed_text;
use chargekit::signed::{self, SignedInput, TimeBilling};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use std::str::FromStr;

/// A signed value argument: `str`, or `bytes` (UTF-8).
fn text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return convert::str_text(obj, what);
    }
    if let Ok(b) = obj.extract::<Vec<u8>>() {
        return Ok(guarded(|| signed_text(&b).map(str::to_owned))?);
    }
    Err(convert::wrong_type(obj, &format!("{what} must be a str")))
}

/// Parses an OCMF record (``OCMF|payload|signature``, or a transport form: hex, Base64,
/// an OCPP 1.6 SignedData value, …). Raises an ``OcmfError`` subclass when unreadable.
#[pyfunction]
pub fn parse<'py>(py: Python<'py>, record: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let text = text(record, "record")?;
    to_py(py, &guarded(|| signed::parse(&text))?)
}

/// Verifies signed data with a public key (hex or Base64; SPKI DER or a raw point).
/// A readable record whose signature fails is a result with ``verdict == "invalid"``,
/// not an error.
#[pyfunction]
pub fn verify<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    public_key: Text,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text(record, "record")?;
    detached_to_py(py, || signed::verify(&text, &public_key))
}

/// The transaction checks on a begin/end pair (pass the same record twice for a record
/// holding both readings); each failed check is named in ``failed``.
#[pyfunction]
pub fn check_transaction<'py>(
    py: Python<'py>,
    begin: &Bound<'py, PyAny>,
    end: &Bound<'py, PyAny>,
    public_key: Text,
) -> PyResult<Bound<'py, PyAny>> {
    let (b, e) = (text(begin, "begin")?, text(end, "end")?);
    detached_to_py(py, || signed::check_transaction(&b, &e, &public_key))
}

/// The transaction checks on the records of one transaction, in order: an iterable of
/// ``(signed_data, public_key)`` pairs. ``time_billing``: ``"law_accurate_only"``
/// (synchronised or relative clocks at both ends) or ``"any_clock"``.
#[pyfunction]
#[pyo3(signature = (records, time_billing=Text("law_accurate_only".into())), text_signature = "(records, time_billing='law_accurate_only')")]
pub fn check_records<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    time_billing: Text,
) -> PyResult<Bound<'py, PyAny>> {
    let tb =
        TimeBilling::from_str(&time_billing).map_err(|e| convert::bad_arg("time_billing", e))?;
    let inputs = records
        .try_iter()?
        .map(|item| {
            let item = item?;
            let pair = item.cast::<PyTuple>().ok().filter(|t| t.len() == 2);
            let pair =
                pair.ok_or_else(|| PyTypeError::new_err("records are (data, public_key) pairs"))?;
            Ok(SignedInput {
                data: text(&pair.get_item(0)?, "signed_data")?,
                public_key: text(&pair.get_item(1)?, "public_key")?,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    detached_to_py(py, || signed::check_records(&inputs, tb))
}

/// The energy proven by the signed readings of a session (``Reading.signed_data``),
/// checked as one transaction with ``public_key``.
#[pyfunction]
pub fn proven_energy<'py>(
    py: Python<'py>,
    session: PyRef<'py, PySession>,
    public_key: Text,
) -> PyResult<Bound<'py, PyAny>> {
    let s = &session.0;
    detached_to_py(py, || signed::proven_energy(s, &public_key))
}

/// Registers the functions of `chargekit.ocmf`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(check_transaction, m)?)?;
    m.add_function(wrap_pyfunction!(check_records, m)?)?;
    m.add_function(wrap_pyfunction!(proven_energy, m)?)?;
    let checks = signed::TransactionCheck::ALL.iter().map(|c| c.as_str());
    m.add("TRANSACTION_CHECKS", PyTuple::new(m.py(), checks)?)?;
    Ok(())
}
