//! Planning errors: constructors for the planning kinds of [`Error`].
use crate::Error;

/// A request field with a value the planner cannot use.
pub(crate) fn invalid_field(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidPlanningField {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Reads JSON with [`crate::json::read_json`], as a [`Error::InvalidPlanningJson`].
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    crate::json::read_json(text).map_err(|(field, e)| Error::InvalidPlanningJson {
        field,
        reason: e.to_string(),
    })
}
