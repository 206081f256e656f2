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
//! | `ProfileError::InvalidJson`         | `InvalidProfileError`       | `what`, `field`, `reason` |
//! | `ProfileError::Rejected`            | `ProfileRejectedError`      | `rule`, `rule_name`, `reason` |
//! | `ProfileError::UnknownEvse`         | `UnknownEvseError`          | `evse_id`                |
//! | `ProfileError::InvalidConfig`       | `InvalidStationConfigError` | `reason`                 |
//! | `ProfileError::NotRepresentable`    | `NotRepresentableError`     | `version`, `reason`      |
//! | `ProfileError::InvalidPreferences`  | `InvalidPreferencesError`   | `reason`                 |
//! | `TariffError::Json`                 | `TariffJsonError`           | `reason`                 |
//! | `TariffError::MissingField`         | `MissingTariffFieldError`   | `path`                   |
//! | `TariffError::InvalidField`         | `InvalidTariffFieldError`   | `path`, `reason`         |
//! | `TariffError::NoElements`           | `NoTariffElementsError`     |                          |
//! | `TariffError::InvalidCurrency`      | `InvalidCurrencyError`      | `currency`               |
//! | `TariffError::InvalidTimeOfDay`     | `InvalidTimeOfDayError`     | `value`                  |
//! | `BillingError::Tariff(e)`           | the `TariffError` class of `e` |                       |
//! | `BillingError::InvalidCdr`          | `InvalidCdrError`           | `path`, `reason`         |
//! | `BillingError::NoValidTariff`       | `NoValidTariffError`        | `at`, `offered`          |
//! | `BillingError::CurrencyMismatch`    | `CurrencyMismatchError`     | `cdr_currency`, `tariff_id`, `tariff_currency` |
//! | `BillingError::UnknownTimezone`     | `UnknownTimezoneError`      | `timezone`               |
//! | `BillingError::NoPeriods`           | `NoPeriodsError`            |                          |
//! | `BillingError::InvalidPolicy`       | `InvalidPricingPolicyError` | `reason`                 |
//! | `AnalyticsError::EmptyPeriod`       | `EmptyPeriodError`          | `start`, `end`           |
//! | `AnalyticsError::PeriodTooLong`     | `PeriodTooLongError`        | `days`                   |
//! | `AnalyticsError::DateOutOfRange`    | `DateOutOfRangeError`       |                          |
//! | `AnalyticsError::InvalidOptions`    | `InvalidAnalyticsOptionsError` | `field`, `reason`     |
//! | `AnalyticsError::MissingPeriod`     | `MissingPeriodError`        |                          |
//! | `AnalyticsError::NoSessions`        | `NoSessionsError`           |                          |
//! | `AnalyticsError::IncompatibleAccumulators` | `IncompatibleAccumulatorsError` |               |
//! | `AnalyticsError::ShardFailed`       | `ShardFailedError`          |                          |
//! | `AnalyticsError::CsvHeader`         | `CsvHeaderError`            | `reason`                 |
//! | `FeedbackError::InvalidStars`       | `InvalidStarsError`         | `stars`                  |
//! | `FeedbackError::InvalidInput`       | `InvalidFeedbackError`      | `field`, `reason`        |
//! | `FeedbackError::MissingPeriod`      | `MissingReliabilityPeriodError` |                      |
//! | `PlanningError::InvalidField`       | `InvalidPlanningFieldError` | `field`, `reason`        |
//! | `PlanningError::InvalidJson`        | `InvalidPlanningJsonError`  | `field`, `reason`        |
//! | `PlanningError::MissingPrice`       | `MissingPriceError`         | `at`                     |
//! | `PlanningError::Billing(e)`         | the `BillingError`/`TariffError` class of `e` |        |
//! | `PlanningError::Profile(e)`         | the `ProfileError` class of `e` |                      |
//! | `OcmfError::*` (13 kinds)           | `OcmfError` subclasses, see `ocmf_class` | `kind` and the variant's fields |

use chargekit::analytics::AnalyticsError;
use chargekit::billing::BillingError;
use chargekit::feedback::FeedbackError;
use chargekit::meter::MeterError;
use chargekit::ocpp::{OcppError, MAX_LOG_BYTES};
use chargekit::planning::PlanningError;
use chargekit::profile::ProfileError;
use chargekit::session::SessionError;
use chargekit::signed::OcmfError;
use chargekit::tariff::TariffError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A core error on its way to Python (a local type, so that `From<…> for PyErr` is allowed).
#[derive(Debug)]
pub enum Error {
    /// OCPP input, meter data and session assembly.
    Session(SessionError),
    /// Charging profiles and composite schedules.
    Profile(ProfileError),
    /// Signed meter values (OCMF).
    Ocmf(OcmfError),
    /// Tariffs and pricing (a tariff that cannot be read is `BillingError::Tariff`).
    Billing(BillingError),
    /// Site analytics.
    Analytics(AnalyticsError),
    /// Driver feedback, scores and reliability.
    Feedback(FeedbackError),
    /// Charging plans and site load sharing (nested billing and profile errors are
    /// flattened into `Billing` and `Profile` by `From`).
    Planning(PlanningError),
}

impl From<PlanningError> for Error {
    fn from(e: PlanningError) -> Self {
        match e {
            PlanningError::Billing(b) => Self::Billing(b),
            PlanningError::Profile(p) => Self::Profile(p),
            e => Self::Planning(e),
        }
    }
}

impl From<AnalyticsError> for Error {
    fn from(e: AnalyticsError) -> Self {
        Self::Analytics(e)
    }
}

impl From<FeedbackError> for Error {
    fn from(e: FeedbackError) -> Self {
        Self::Feedback(e)
    }
}

impl From<SessionError> for Error {
    fn from(e: SessionError) -> Self {
        Self::Session(e)
    }
}

impl From<OcppError> for Error {
    fn from(e: OcppError) -> Self {
        Self::Session(SessionError::Ocpp(e))
    }
}

impl From<MeterError> for Error {
    fn from(e: MeterError) -> Self {
        Self::Session(SessionError::Meter(e))
    }
}

impl From<ProfileError> for Error {
    fn from(e: ProfileError) -> Self {
        Self::Profile(e)
    }
}

impl From<BillingError> for Error {
    fn from(e: BillingError) -> Self {
        Self::Billing(e)
    }
}

impl From<TariffError> for Error {
    fn from(e: TariffError) -> Self {
        Self::Billing(BillingError::Tariff(e))
    }
}

impl From<OcmfError> for Error {
    fn from(e: OcmfError) -> Self {
        Self::Ocmf(e)
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
    e: &Error,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    match e {
        Error::Session(e) => session_class(py, e),
        Error::Profile(e) => profile_class(py, e),
        Error::Ocmf(e) => ocmf_class(py, e),
        Error::Billing(e) => billing_class(py, e),
        Error::Analytics(e) => analytics_class(py, e),
        Error::Feedback(e) => feedback_class(py, e),
        Error::Planning(e) => planning_class(py, e),
    }
}

fn session_class<'py>(
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

fn profile_class<'py>(
    py: Python<'py>,
    e: &ProfileError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        ProfileError::InvalidJson {
            what,
            field,
            message,
        } => {
            kw.set_item("what", what)?;
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "InvalidProfileError"
        }
        ProfileError::Rejected { rule, message } => {
            kw.set_item("rule", rule.id())?;
            kw.set_item("rule_name", rule.name())?;
            kw.set_item("reason", message)?;
            "ProfileRejectedError"
        }
        ProfileError::UnknownEvse { evse_id } => {
            kw.set_item("evse_id", evse_id)?;
            "UnknownEvseError"
        }
        ProfileError::InvalidConfig(reason) => {
            kw.set_item("reason", reason)?;
            "InvalidStationConfigError"
        }
        ProfileError::NotRepresentable { version, message } => {
            kw.set_item("version", version.to_string())?;
            kw.set_item("reason", message)?;
            "NotRepresentableError"
        }
        ProfileError::InvalidPreferences(reason) => {
            kw.set_item("reason", reason)?;
            "InvalidPreferencesError"
        }
    };
    Ok((class, kw))
}

fn analytics_class<'py>(
    py: Python<'py>,
    e: &AnalyticsError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        AnalyticsError::EmptyPeriod { start, end } => {
            kw.set_item("start", start)?;
            kw.set_item("end", end)?;
            "EmptyPeriodError"
        }
        AnalyticsError::PeriodTooLong { days } => {
            kw.set_item("days", days)?;
            "PeriodTooLongError"
        }
        AnalyticsError::DateOutOfRange => "DateOutOfRangeError",
        AnalyticsError::InvalidOptions { field, message } => {
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "InvalidAnalyticsOptionsError"
        }
        AnalyticsError::MissingPeriod => "MissingPeriodError",
        AnalyticsError::NoSessions => "NoSessionsError",
        AnalyticsError::IncompatibleAccumulators => "IncompatibleAccumulatorsError",
        AnalyticsError::ShardFailed => "ShardFailedError",
        AnalyticsError::CsvHeader(reason) => {
            kw.set_item("reason", reason)?;
            "CsvHeaderError"
        }
    };
    Ok((class, kw))
}

fn feedback_class<'py>(
    py: Python<'py>,
    e: &FeedbackError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        FeedbackError::InvalidStars(n) => {
            kw.set_item("stars", n)?;
            "InvalidStarsError"
        }
        FeedbackError::InvalidInput { field, message } => {
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "InvalidFeedbackError"
        }
        FeedbackError::MissingPeriod => "MissingReliabilityPeriodError",
    };
    Ok((class, kw))
}

fn planning_class<'py>(
    py: Python<'py>,
    e: &PlanningError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        PlanningError::InvalidField { field, message } => {
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "InvalidPlanningFieldError"
        }
        PlanningError::InvalidJson { field, message } => {
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "InvalidPlanningJsonError"
        }
        PlanningError::MissingPrice { at } => {
            kw.set_item("at", at)?;
            "MissingPriceError"
        }
        // Flattened by `From<PlanningError> for Error`; kept for completeness.
        PlanningError::Billing(b) => return billing_class(py, b),
        PlanningError::Profile(p) => return profile_class(py, p),
    };
    Ok((class, kw))
}

fn billing_class<'py>(
    py: Python<'py>,
    e: &BillingError,
) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        BillingError::Tariff(t) => match t {
            TariffError::Json(reason) => {
                kw.set_item("reason", reason)?;
                "TariffJsonError"
            }
            TariffError::MissingField { path } => {
                kw.set_item("path", path)?;
                "MissingTariffFieldError"
            }
            TariffError::InvalidField { path, message } => {
                kw.set_item("path", path)?;
                kw.set_item("reason", message)?;
                "InvalidTariffFieldError"
            }
            TariffError::NoElements => "NoTariffElementsError",
            TariffError::InvalidCurrency(c) => {
                kw.set_item("currency", c)?;
                "InvalidCurrencyError"
            }
            TariffError::InvalidTimeOfDay(v) => {
                kw.set_item("value", v)?;
                "InvalidTimeOfDayError"
            }
        },
        BillingError::InvalidCdr { path, message } => {
            kw.set_item("path", path)?;
            kw.set_item("reason", message)?;
            "InvalidCdrError"
        }
        BillingError::NoValidTariff { at, offered } => {
            kw.set_item("at", at)?;
            kw.set_item("offered", offered)?;
            "NoValidTariffError"
        }
        BillingError::CurrencyMismatch {
            cdr,
            tariff_id,
            tariff,
        } => {
            kw.set_item("cdr_currency", cdr.as_str())?;
            kw.set_item("tariff_id", tariff_id)?;
            kw.set_item("tariff_currency", tariff.as_str())?;
            "CurrencyMismatchError"
        }
        BillingError::UnknownTimezone(tz) => {
            kw.set_item("timezone", tz)?;
            "UnknownTimezoneError"
        }
        BillingError::NoPeriods => "NoPeriodsError",
        BillingError::InvalidPolicy(reason) => {
            kw.set_item("reason", reason)?;
            "InvalidPricingPolicyError"
        }
    };
    Ok((class, kw))
}

/// Every `OcmfError` variant has its class; `kind` (the core's stable name) is a class
/// attribute there.
fn ocmf_class<'py>(py: Python<'py>, e: &OcmfError) -> PyResult<(&'static str, Bound<'py, PyDict>)> {
    let kw = PyDict::new(py);
    let class = match e {
        OcmfError::Empty => "EmptySignedDataError",
        OcmfError::TooLarge { len, max } => {
            kw.set_item("size", len)?;
            kw.set_item("limit", max)?;
            "SignedDataTooLargeError"
        }
        OcmfError::MissingSeparator => "MissingSeparatorError",
        OcmfError::BadHeader { found } => {
            kw.set_item("found", found)?;
            "BadHeaderError"
        }
        OcmfError::PayloadJson { message } => {
            kw.set_item("reason", message)?;
            "PayloadJsonError"
        }
        OcmfError::SignatureJson { message } => {
            kw.set_item("reason", message)?;
            "SignatureJsonError"
        }
        OcmfError::Field { field, message } => {
            kw.set_item("field", field)?;
            kw.set_item("reason", message)?;
            "OcmfFieldError"
        }
        OcmfError::NoSignature => "NoSignatureError",
        OcmfError::SignatureEncoding { message } => {
            kw.set_item("reason", message)?;
            "SignatureEncodingError"
        }
        OcmfError::SignatureFormat { message } => {
            kw.set_item("reason", message)?;
            "SignatureFormatError"
        }
        OcmfError::PublicKey { message } => {
            kw.set_item("reason", message)?;
            "PublicKeyError"
        }
        OcmfError::UnsupportedFormat { format } => {
            kw.set_item("format", format)?;
            "UnsupportedSignedFormatError"
        }
        OcmfError::Container { message } => {
            kw.set_item("reason", message)?;
            "SignedDataContainerError"
        }
    };
    Ok((class, kw))
}

impl Error {
    fn message(&self) -> String {
        match self {
            Error::Session(e) => e.to_string(),
            Error::Profile(e) => e.to_string(),
            Error::Ocmf(e) => e.to_string(),
            Error::Billing(BillingError::Tariff(e)) => e.to_string(),
            Error::Billing(e) => e.to_string(),
            Error::Analytics(e) => e.to_string(),
            Error::Feedback(e) => e.to_string(),
            Error::Planning(e) => e.to_string(),
        }
    }

    /// The Python exception instance for this error. Should building it fail (it cannot
    /// once `chargekit` is imported), that failure is raised instead: never a panic.
    fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let build = || -> PyResult<PyErr> {
            let (class, kw) = class_and_attrs(py, &self)?;
            let cls = py.import("chargekit._errors")?.getattr(class)?;
            let exc = cls.call((self.message(),), Some(&kw))?;
            Ok(PyErr::from_value(exc))
        };
        build().unwrap_or_else(|e| e)
    }
}

/// `Result` of a core call, convertible to a Python exception with `?`.
pub type CoreResult<T> = Result<T, Error>;
