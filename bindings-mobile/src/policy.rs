//! `MeterPolicy`: mirrors of core's policy record and its option enums.
//!
//! The `#[uniffi::remote]` blocks restate core's definitions so that UniFFI can
//! generate the foreign types; core stays free of UniFFI. A variant or field that
//! core adds or renames makes this file fail to compile, so the mirror cannot drift.

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
