//! Meter readings: the OCPP sampled-value vocabulary, unit normalisation,
//! anomalies, the [`MeterPolicy`] and the session-energy algorithm.
//!
//! Owns: [`Reading`], [`Anomaly`] and their kinds, units, [`MeterPolicy`] and the energy
//! algorithm. Imports: the foundation (`error`, `enums`, `json`).
//!
//! The rules are written up in `docs/metering.md`; section numbers (§) in this module's
//! documentation refer to that page.

mod anomaly;
mod energy;
mod policy;
mod reading;
mod unit;
mod vocab;

pub use anomaly::{Anomaly, AnomalyKind};
pub use energy::{compute_energy, EnergyCurve, EnergyInput, EnergyMethod, EnergyResult, MeterMark};
pub(crate) use energy::{energy_and_end, export_energy, usable, RegisterEnd};
pub use policy::*;
pub use reading::{MessageRef, Reading};
pub use unit::{normalise, parse_exact, Dimension, Normalised, Unit};
pub use vocab::{Flow, Location, Measurand, Phase, ReadingContext, ValueFormat};
