//! Core errors → Python exceptions.
//!
//! The exception classes are defined in Python (`chargekit/_errors.py`), so they carry
//! docstrings and typed attributes and pickle like ordinary exceptions. This module only
//! maps each core error variant to its class and attributes.
//!
//! | core variant                        | Python class                | attributes               |
//! |-------------------------------------|-----------------------------|--------------------------|
//! | `OcppError::InvalidJson`            | `InvalidJsonError`          | `line`, `reason`         |
//! | `OcppError::InvalidFrame`           | `InvalidFrameError`         | `index`, `reason`        |
//! | `OcppError::InvalidPayload`         | `InvalidPayloadError`       | `action`, `field`, `reason` |
//! | `OcppError::Version`                | `UnsupportedVersionError`   | `reason`                 |
//! | `OcppError::TooLarge`               | `InputTooLargeError`        | `size`, `limit`          |
//! | `MeterError::NegativeStep`          | `NegativeStepError`         | `at`, `from_wh`, `to_wh` |
//! | `MeterError::UnknownUnit`           | `UnknownUnitError`          | `unit`, `message_id`     |
//! | `MeterError::InvalidPolicy`         | `InvalidPolicyError`        | `field`, `reason`        |
//! | `SessionError::NotExactlyOne`       | `NotExactlyOneSessionError` | `found`                  |

use chargekit::meter::MeterError;
use chargekit::ocpp::{OcppError, MAX_LOG_BYTES};
use chargekit::session::SessionError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A core error on its way to Python (a local type, so that `From<…> for PyErr` is allowed).
#[derive(Debug)]
pub struct Error(SessionError);

impl From<SessionError> for Error {
    fn from(e: SessionError) -> Self {
        Self(e)
    }
}

impl From<OcppError> for Error {
    fn from(e: OcppError) -> Self {
        Self(SessionError::Ocpp(e))
    }
}

impl From<MeterError> for Error {
    fn from(e: MeterError) -> Self {
        Self(SessionError::Meter(e))
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        Python::attach(|py| e.into_pyerr(py))
    }
}

/// The Python class name and its keyword attributes for a core error.
fn class_and_attrs<'py>(
    py: Python<'py>,
    e: &SessionError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        SessionError::Ocpp(o) => match o {
            OcppError::InvalidJson { line, message } => {
                kw.set_item("line", line)?;
                kw.set_item("reason", message)?;
                "InvalidJsonError"
            }
            OcppError::InvalidFrame { index, reason } => {
                kw.set_item("index", index)?;
                kw.set_item("reason", reason)?;
                "InvalidFrameError"
            }
            OcppError::InvalidPayload {
                action,
                field,
                message,
            } => {
                kw.set_item("action", action)?;
                kw.set_item("field", field)?;
                kw.set_item("reason", message)?;
                "InvalidPayloadError"
            }
            OcppError::Version(reason) => {
                kw.set_item("reason", reason)?;
                "UnsupportedVersionError"
            }
            OcppError::TooLarge(size) => {
                kw.set_item("size", size)?;
                kw.set_item("limit", MAX_LOG_BYTES)?;
                "InputTooLargeError"
            }
        },
        SessionError::Meter(m) => match m {
            MeterError::NegativeStep { at, from_wh, to_wh } => {
                kw.set_item("at", at)?;
                kw.set_item("from_wh", from_wh)?;
                kw.set_item("to_wh", to_wh)?;
                "NegativeStepError"
            }
            MeterError::InvalidPolicy { field, message } => {
                kw.set_item("field", field)?;
                kw.set_item("reason", message)?;
                "InvalidPolicyError"
            }
            MeterError::UnknownUnit { unit, msg_id } => {
                kw.set_item("unit", unit)?;
                kw.set_item("message_id", msg_id)?;
                "UnknownUnitError"
            }
        },
        SessionError::NotExactlyOne { found } => {
            kw.set_item("found", found)?;
            "NotExactlyOneSessionError"
        }
    };
    Ok((class, kw))
}

impl Error {
    /// The Python exception instance for this error. Should building it fail (it cannot
    /// once `chargekit` is imported), that failure is raised instead: never a panic.
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let build = || -> PyResult<PyErr> {
            let (class, kw) = class_and_attrs(py, &self.0)?;
            let cls = py.import("chargekit._errors")?.getattr(class)?;
            let exc = cls.call((self.0.to_string(),), Some(&kw))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    }
}

/// `Result` of a core call, convertible to a Python exception with `?`.
pub type CoreResult<T> = Result<T, Error>;
