//! Meter readings: the OCPP sampled-value vocabulary, unit normalisation,
//! anomalies, the [`MeterPolicy`] and the session-energy algorithm.

mod anomaly;
mod energy;
mod policy;
mod reading;
mod unit;
mod vocab;

pub use anomaly::{Anomaly, AnomalyKind};
pub use energy::{compute_energy, EnergyCurve, EnergyInput, EnergyMethod, EnergyResult, MeterMark};
pub use policy::*;
pub use reading::{MessageRef, Reading};
pub use unit::{normalise, parse_exact, Dimension, Normalised, Unit};
pub use vocab::{Location, Measurand, Phase, ReadingContext, ValueFormat};

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// Errors of the meter module: raised only where a policy asks for strictness.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeterError {
    /// The register went down and the policy is `NegativeStepPolicy::Error`.
    #[error("register dropped from {from_wh} Wh to {to_wh} Wh at {at}")]
    NegativeStep {
        /// When.
        at: DateTime<Utc>,
        /// Previous value.
        from_wh: Decimal,
        /// New value.
        to_wh: Decimal,
    },
    /// A policy given as JSON could not be read.
    #[error("meter policy: field `{field}`: {message}")]
    InvalidPolicy {
        /// The offending field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A unit is not an OCPP unit and the policy is `UnknownUnitPolicy::Strict`.
    #[error("unknown unit {unit:?} in message {msg_id}")]
    UnknownUnit {
        /// The unit text.
        unit: String,
        /// The message.
        msg_id: String,
    },
}
