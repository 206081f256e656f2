//! Core errors → Python exceptions.
//!
//! The exception classes are built in Python at import (`chargekit/_errors.py`) from the core's
//! error table ([`error_table`]): one class per kind, `<Kind>Error` under its group class, all
//! under `chargekit.ChargekitError`. Raising one takes the class by the error's kind and the
//! keyword attributes from the error's fields, converted by the one table of `records`.
//!
//! Every call into core runs under [`guarded`]: a core panic becomes
//! `chargekit.InternalError` (its message the `reason`), never PyO3's `PanicException`.
//! Left unguarded are only the conversions (serde of core types in `records`/`convert`,
//! the wire names of core enums) and reads of stored fields.

use crate::records::to_plain;
use chargekit::error::catch_panic;
use chargekit::Error as CoreError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::{fmt::Display, str::FromStr};

/// A core error on its way to Python (a local type, so that `From<…> for PyErr` is allowed).
#[derive(Debug)]
pub struct Error(pub CoreError);

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        // Building the exception cannot fail once `chargekit` is imported; should it, that
        // failure is raised instead: never a panic.
        Python::attach(|py| exception(py, &e.0).unwrap_or_else(|err| err))
    }
}

fn exception(py: Python<'_>, e: &CoreError) -> PyResult<PyErr> {
    let fields = to_plain(py, e)?.cast_into::<PyDict>()?;
    fields.del_item("kind")?;
    let by_kind = py.import("chargekit._errors")?.getattr("BY_KIND")?;
    let class = by_kind.get_item(e.kind())?;
    let raised = class.call((e.to_string(),), Some(&fields))?;
    Ok(PyErr::from_value(raised))
}

/// `Result` of a core call, convertible to a Python exception with `?`.
pub type CoreResult<T> = Result<T, Error>;

/// Runs a core call under `catch_panic`: its error, or its panic as `Error::Internal`, is
/// raised with `?`. Wrap calls that cannot fail as `guarded(|| Ok(...))`. No allocation
/// unless it panics, so hot paths can use it; inside `py.detach` too (the exception is
/// built once `?` runs with the interpreter attached again).
pub fn guarded<T>(call: impl FnOnce() -> chargekit::Result<T>) -> CoreResult<T> {
    catch_panic(call).map_err(Error)
}

/// [`guarded`] with the interpreter detached (`py.detach`): for core calls that take time.
pub fn detached<T: Send>(
    py: Python<'_>,
    call: impl FnOnce() -> chargekit::Result<T> + Send,
) -> CoreResult<T> {
    py.detach(|| guarded(call))
}

/// `text` read by `T`'s `FromStr` (a core enum's wire name); an unknown one is
/// `InvalidArgumentError` naming `arg`.
pub fn parse_arg<T: FromStr<Err: Display>>(text: &str, arg: &str) -> PyResult<T> {
    T::from_str(text).map_err(|e| crate::convert::bad_arg(arg, e))
}

/// Panics inside the guard, with the interpreter detached or not (as calls into core run),
/// so that tests prove a panic reaches Python as `InternalError` and nothing else.
#[pyfunction]
#[expect(
    clippy::panic,
    reason = "the probe panics on purpose, inside the guard"
)]
pub fn _guard_probe(py: Python<'_>, message: String, detached: bool) -> PyResult<()> {
    let call = || guarded(|| -> chargekit::Result<()> { std::panic::panic_any(message) });
    Ok(if detached { py.detach(call) } else { call() }?)
}

/// A core error as a Python exception.
pub fn py_err(e: CoreError) -> PyErr {
    Error(e).into()
}

/// The core's error table: `(groups, kinds)`, each a list of dicts (`name`, `doc`, and for a
/// group `python_class`; for a kind `group`, `python_class` and `fields` with `name`, `ty`,
/// `optional`, `doc`). `chargekit._errors` builds the exception classes from it.
#[pyfunction]
pub fn error_table(py: Python<'_>) -> PyResult<(Bound<'_, PyList>, Bound<'_, PyList>)> {
    let groups = to_plain(py, CoreError::GROUPS)?.cast_into::<PyList>()?;
    let kinds = PyList::empty(py);
    for k in CoreError::KINDS {
        let d = to_plain(py, k)?.cast_into::<PyDict>()?;
        d.set_item("python_class", k.python_class())?;
        kinds.append(d)?;
    }
    Ok((groups, kinds))
}
