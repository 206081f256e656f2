//! The error type of the planning module.

use crate::billing::BillingError;
use crate::profile::ProfileError;
use chrono::{DateTime, Utc};

/// Errors of [`plan`](super::plan) and [`allocate`](super::allocate): bad input, named by
/// the field that is wrong. A need that cannot be met is not an error (see
/// [`Plan::feasible`](super::Plan::feasible)).
///
/// ```
/// use chargekit::planning::PlanningError;
/// let e = PlanningError::InvalidField { field: "departure".into(), message: "must be after start".into() };
/// assert_eq!(e.to_string(), "invalid field `departure`: must be after start");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanningError {
    /// A field has a value the planner cannot use.
    #[error("invalid field `{field}`: {message}")]
    InvalidField {
        /// Path of the field, e.g. `ev.max_power_w` or `sessions[2].departure`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The JSON is malformed or a field has the wrong type.
    #[error("invalid JSON: field `{field}`: {message}")]
    InvalidJson {
        /// Path of the offending field (`.` for the document).
        field: String,
        /// serde's message.
        message: String,
    },
    /// The price series does not cover an instant of the planning window.
    #[error("no price for {at}: the price series must cover the window from its start")]
    MissingPrice {
        /// The first instant without a price.
        at: DateTime<Utc>,
    },
    /// The tariff engine could not price the plan.
    #[error("pricing the plan: {0}")]
    Billing(#[from] BillingError),
    /// The generated profile is not representable (e.g. more periods than allowed).
    #[error("profile: {0}")]
    Profile(#[from] ProfileError),
}

impl PlanningError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        PlanningError::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Reads JSON with [`crate::json::read_json`], as a [`PlanningError::InvalidJson`].
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, PlanningError> {
    crate::json::read_json(text).map_err(|(field, e)| PlanningError::InvalidJson {
        field,
        message: e.to_string(),
    })
}
