#![forbid(unsafe_code)]
//! # chargekit
//!
//! Monitoring and billing of EV charging sessions. This crate is the pure core:
//! no I/O, no globals. It reads OCPP 1.6 / 2.0.1 / 2.1 station messages, normalises
//! meter readings, assembles sessions with their charging and idle periods, and
//! reports every anomaly in the meter data instead of hiding it.
//!
//! ```
//! use chargekit::session::sessions_from_log;
//! use chargekit::ocpp::OcppVersion;
//! use chargekit::meter::MeterPolicy;
//! let log = r#"
//! [2,"1","StartTransaction",{"connectorId":1,"idTag":"TAG","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]
//! [3,"1",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]
//! [2,"2","StopTransaction",{"transactionId":7,"meterStop":8400,"timestamp":"2026-03-10T09:00:00Z"}]
//! "#;
//! let sessions = sessions_from_log("CP-1", log, Some(OcppVersion::V16), &MeterPolicy::default()).unwrap();
//! assert_eq!(sessions[0].energy_wh.to_string(), "7400");
//! ```

pub mod analytics;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod billing;
pub mod boundary;
pub mod calendar;
pub(crate) mod enums;
pub mod error;
pub mod feedback;
#[cfg(feature = "uniffi")]
pub mod ffi;
pub mod json;
pub mod limits;
pub mod meter;
pub mod ocpp;
pub mod planning;
pub mod profile;
#[cfg(feature = "html-report")]
pub mod report;
pub mod session;
#[cfg(feature = "ocmf")]
pub mod signed;
pub mod station_tariff;
pub mod tariff;
pub mod units;

pub use error::{Error, Result};

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("chargekit");
