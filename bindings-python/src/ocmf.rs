//! `chargekit.ocmf`: signed meter values (`chargekit::signed`). The results are the core's
//! records (`OcmfRecord`, `Verification`, `TransactionReport`, `ProvenEnergy`, …), converted
//! by the one table in `records`; `chargekit/ocmf.py` gives them their Python names.

use crate::convert::{self, Text};
use crate::errors::{detached, guarded, parse_arg, py_err};
use crate::records::{self, detached_to_py, to_py};
use crate::session::PySession;
use crate::Any;
use chargekit::boundary::signed_text;
use chargekit::signed::{self, SignedInput, TimeBilling};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

/// A signed value argument: `str`, or `bytes` (UTF-8).
fn text(obj: &Any<'_>, what: &str) -> PyResult<String> {
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
pub fn parse<'py>(py: Python<'py>, record: &Any<'py>) -> PyResult<Any<'py>> {
    let text = text(record, "record")?;
    to_py(py, &guarded(|| signed::parse(&text))?)
}

/// Verifies signed data with a public key (hex or Base64; SPKI DER or a raw point).
/// A readable record whose signature fails is a result with ``verdict == "invalid"``,
/// not an error.
#[pyfunction]
pub fn verify<'py>(py: Python<'py>, record: &Any<'py>, public_key: Text) -> PyResult<Any<'py>> {
    let text = text(record, "record")?;
    detached_to_py(py, || signed::verify(&text, &public_key))
}

/// The transaction checks on a begin/end pair (pass the same record twice for a record
/// holding both readings); each failed check is named in ``failed``.
#[pyfunction]
pub fn check_transaction<'py>(
    begin: &Any<'py>,
    end: &Any<'py>,
    public_key: Text,
) -> PyResult<Any<'py>> {
    let (b, e) = (text(begin, "begin")?, text(end, "end")?);
    let check = || signed::check_transaction(&b, &e, &public_key);
    detached_to_py(begin.py(), check)
}

/// The items of an iterable: ``(signed_data, public_key)`` pairs, or signed data alone
/// when one ``key`` is given for all.
fn signed_inputs(records: &Any<'_>, key: Option<&str>) -> PyResult<Vec<SignedInput>> {
    if records.is_instance_of::<PyString>() {
        let expected = "records must be an iterable of records";
        return Err(convert::wrong_type(records, expected));
    }
    let pairs = "records are (data, key) pairs";
    let items = "items are (data, key) pairs";
    let input = |item: Any<'_>| -> PyResult<SignedInput> {
        let (data, public_key) = match (key, item.cast::<PyTuple>()) {
            (Some(k), _) => (text(&item, "signed_data")?, k.to_owned()),
            (None, Ok(p)) if p.len() == 2 => {
                let data = text(&p.get_item(0)?, "signed_data")?;
                (data, text(&p.get_item(1)?, "public_key")?)
            }
            (None, Ok(_)) => return Err(convert::bad_arg("records", items)),
            (None, Err(_)) => return Err(convert::wrong_type(&item, pairs)),
        };
        Ok(SignedInput { data, public_key })
    };
    records.try_iter()?.map(|item| input(item?)).collect()
}

/// The transaction checks on the records of one transaction, in order: an iterable of
/// ``(signed_data, public_key)`` pairs. ``time_billing``: ``"law_accurate_only"``
/// (synchronised or relative clocks at both ends) or ``"any_clock"``.
#[pyfunction]
#[pyo3(signature = (records, time_billing=Text("law_accurate_only".into())), text_signature = "(records, time_billing='law_accurate_only')")]
pub fn check_records<'py>(records: &Any<'py>, time_billing: Text) -> PyResult<Any<'py>> {
    let tb: TimeBilling = parse_arg(&time_billing, "time_billing")?;
    let inputs = signed_inputs(records, None)?;
    detached_to_py(records.py(), || signed::check_records(&inputs, tb))
}

/// ``verify`` for each record of an iterable (signed data with one ``public_key`` for all,
/// or ``(signed_data, public_key)`` pairs), each key read once per 64 records, without the
/// GIL. Returns a list in input order; an unreadable record is its ``ChargekitError``.
#[pyfunction]
#[pyo3(signature = (records, public_key=None))]
pub fn verify_many<'py>(
    py: Python<'py>,
    records: &Any<'py>,
    public_key: Option<Text>,
) -> PyResult<Bound<'py, PyList>> {
    let inputs = signed_inputs(records, public_key.as_deref())?;
    let mut items = Vec::with_capacity(inputs.len());
    let item = |r| match r {
        Ok(v) => to_py(py, &v),
        Err(e) => Ok(py_err(e).into_value(py).into_bound(py).into_any()),
    };
    // 64 at a time, so that the verdicts are still in cache when they become records.
    for chunk in inputs.chunks(64) {
        let results = detached(py, || Ok(signed::verify_many(chunk)))?;
        let made: Vec<_> = records::without_gc(py, || results.into_iter().map(item).collect())?;
        items.extend(made);
    }
    PyList::new(py, items)
}

/// The energy proven by the signed readings of a session (``Reading.signed_data``),
/// checked as one transaction with ``public_key``.
#[pyfunction]
pub fn proven_energy<'py>(session: PyRef<'py, PySession>, public_key: Text) -> PyResult<Any<'py>> {
    let s = &session.0;
    detached_to_py(session.py(), || signed::proven_energy(s, &public_key))
}
