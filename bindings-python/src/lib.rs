//! Python bindings for chargekit: the native module `chargekit._chargekit`.
//!
//! Thin by design: every rule lives in the `chargekit` core crate; this crate only
//! converts types (Decimal, aware datetimes, JSON, wire names) and errors. The public
//! Python API is the `chargekit` package in `python/`, which re-exports these items.
//!
//! Each module's doc names the classes and functions it converts.

/// Any Python object (what most arguments and results are before or after conversion).
type Any<'py> = Bound<'py, PyAny>;
/// An optional argument, owned.
type Arg<'py> = Option<Any<'py>>;

/// Adds classes, then functions, to the native module: `add!(m; ClassA, ClassB; f, g)`.
macro_rules! add {
    ($m:expr; $($class:ty),*; $($function:path),* $(,)?) => {{
        $($m.add_class::<$class>()?;)*
        $($m.add_function(pyo3::wrap_pyfunction!($function, $m)?)?;)*
    }};
}

mod analytics;
mod arrow;
mod billing;
mod convert;
mod errors;
mod ocmf;
mod ocpp;
mod planning;
mod policy;
mod profile;
mod records;
mod session;
mod station_tariff;

use chargekit::limits;
use chargekit::meter::AnomalyKind;
use chargekit::signed::TransactionCheck;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::collections::BTreeMap;

/// The `chargekit` command with `argv` (program name first); returns its exit code.
#[pyfunction]
fn _cli(py: Python<'_>, argv: Vec<String>) -> PyResult<u8> {
    Ok(py.detach(|| errors::guarded(|| Ok(chargekit_cli::run(argv))))?)
}

/// The native part of the `chargekit` package; import from `chargekit` instead.
#[pymodule(name = "_chargekit")]
fn chargekit_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let kinds = AnomalyKind::ALL.iter().map(|k| k.as_str());
    m.add("ANOMALY_KINDS", PyTuple::new(py, kinds)?)?;
    let limits = limits::all().into_iter().map(|l| (l.name, l.value));
    m.add("LIMITS", limits.collect::<BTreeMap<_, _>>())?;
    let checks = TransactionCheck::ALL.iter().map(|c| c.as_str());
    m.add("TRANSACTION_CHECKS", PyTuple::new(py, checks)?)?;
    // The whole native module, by area: classes; functions.
    add!(m; policy::PyMeterPolicy, session::PySession; errors::error_table, errors::_guard_probe, _cli);
    add!(m; ocpp::PySessionAssembler, ocpp::PySessionEvent, ocpp::PyFleet, profile::PyStation,
        profile::PyCompositeSchedule, station_tariff::PyStationTariff;
        ocpp::sessions_from_messages, ocpp::session_from_messages);
    add!(m; ; ocmf::parse, ocmf::verify, ocmf::verify_many, ocmf::check_transaction,
        ocmf::check_records, ocmf::proven_energy);
    add!(m; billing::PyTariff, billing::PyPriceResult, billing::PyInvoice, billing::PyLivePrice;
        billing::price_cdr);
    add!(m; analytics::PySessionBatch, analytics::PyDepartureForecaster,
        analytics::PySummaryPartial, analytics::PyFleetPartial; analytics::summarize,
        analytics::summarize_fleet, analytics::analyse_sessions,
        analytics::generate_sessions, analytics::behaviour_patterns, analytics::score,
        analytics::site_report_html);
    add!(m; ; planning::plan, planning::allocate, planning::limits_from_composite,
        planning::json_text);
    add!(m; ; arrow::sessions_from_frames, arrow::price_sessions, arrow::arrow_session_records,
        arrow::arrow_summarize);
    Ok(())
}
