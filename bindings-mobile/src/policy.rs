//! `MeterPolicy` helpers: the defaults and the JSON form. The policy record and its option
//! enums are the core's (generated from core with its `uniffi` feature).

use chargekit::meter::MeterPolicy;

use crate::{guarded, ChargekitError};

/// chargekit's documented default policy.
#[uniffi::export]
pub fn default_meter_policy() -> MeterPolicy {
    MeterPolicy::default()
}

/// Reads a policy from JSON (snake_case field names and option values, as in
/// `{"negative_step": "treat_as_reset"}`); missing fields keep their defaults,
/// unknown fields are an `InvalidPolicy` error.
#[uniffi::export]
pub fn meter_policy_from_json(json: String) -> Result<MeterPolicy, ChargekitError> {
    guarded(|| MeterPolicy::from_json(&json))
}

/// The policy as JSON, every field with its value (the format `meterPolicyFromJson` reads).
#[uniffi::export]
pub fn meter_policy_to_json(policy: MeterPolicy) -> String {
    policy.to_json()
}
