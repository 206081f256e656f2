//! Smart charging plans and site load sharing (`chargekit::planning`): `plan` → `Plan`,
//! `allocate` → `SiteAllocation`, and their JSON entry points.
//!
//! The records are the core's (`io.chargekit.core`). A plan request carries its tariff as
//! OCPI JSON text (`tariffJson`, e.g. `Tariff.toOcpi()`); plans and profiles to send carry
//! their OCPP 2.0.1 profile as JSON text (`profileJson`), which
//! `SmartChargingStation.install(profileJson, evseId, "2.0.1")` takes.

use chargekit::planning::{
    self as core, AllocationRequest, Plan, PlanRequest, ProfileSettings, SeriesPoint,
    SiteAllocation,
};
use chargekit::profile::CompositeSchedule;
use std::sync::Arc;

use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

/// A request with a need and a maximum power, everything else at core's defaults
/// (230 V, 900 s grid, Cheapest, profile id 1): set `prices`, `tariffJson` or
/// `strategy = AS_LATE_AS_POSSIBLE` (Kotlin `copy(...)`, Swift `var`).
#[uniffi::export]
pub fn plan_request(
    start: UtcInstant,
    departure: UtcInstant,
    energy_wh: ExactDecimal,
    max_power_w: ExactDecimal,
) -> PlanRequest {
    PlanRequest::new(start, departure, energy_wh, max_power_w)
}

/// Core's default profile settings (id 1, stack level 0, no transaction, W, 1024 periods).
#[uniffi::export]
pub fn default_profile_settings() -> ProfileSettings {
    ProfileSettings::default()
}

/// Plans one session (core's `plan`). Bad input is `InvalidPlanningField` naming the field,
/// a price series that does not cover the window `MissingPrice`; a need that cannot be
/// met is not an error (`Plan.feasible`, `Plan.shortfallWh`).
#[uniffi::export]
pub fn plan(request: PlanRequest) -> Result<Plan, ChargekitError> {
    guarded(|| core::plan(&request))
}

/// Plans one session from core's `PlanRequest` JSON (snake_case; `tariff` an OCPI object).
#[uniffi::export]
pub fn plan_from_json(json: String) -> Result<Plan, ChargekitError> {
    guarded(|| PlanRequest::from_json(&json).and_then(|r| core::plan(&r)))
}

/// Shares a site's capacity among the sessions present (core's `allocate`).
#[uniffi::export]
pub fn allocate(request: AllocationRequest) -> Result<SiteAllocation, ChargekitError> {
    guarded(|| core::allocate(&request))
}

/// `allocate` from core's `AllocationRequest` JSON (snake_case).
#[uniffi::export]
pub fn allocate_from_json(json: String) -> Result<SiteAllocation, ChargekitError> {
    guarded(|| AllocationRequest::from_json(&json).and_then(|r| core::allocate(&r)))
}

/// A composite schedule as the W limits of `PlanRequest.limitsW` (A converted with
/// `phases` and `voltage`; a period without a limit is 1 GW).
#[uniffi::export]
pub fn limits_from_composite(
    schedule: Arc<CompositeSchedule>,
    phases: u8,
    voltage: ExactDecimal,
) -> Result<Vec<SeriesPoint>, ChargekitError> {
    guarded(|| core::limits_from_composite(&schedule, phases, voltage))
}
