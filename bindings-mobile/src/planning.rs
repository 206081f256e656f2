//! Smart charging plans and site load sharing (`chargekit::planning`): `plan` →
//! [`Plan`], `allocate` → [`SiteAllocation`], and their JSON entry points.
//!
//! Core records are mirrored; the two whose core form holds a core-only type get a
//! local record: [`PlanRequest`] (its tariff is the binding's `Tariff` object) and
//! [`Plan`] / [`ProfileToSend`] (the OCPP profile crosses as 2.0.1 JSON text, which
//! `SmartChargingStation.install(json, evseId, "2.0.1")` takes).

use std::sync::Arc;

use chargekit::planning::{
    self as core, AllocationRequest, PlanStrategy, PlannedInterval, PowerLimits, ProfileSettings,
    SeriesPoint, SessionOutcome, SharingStrategy, SiteInterval, SocNeed,
};
use chargekit::profile::{ChargingProfilePurpose, CompositeSchedule};

use crate::tariff::Tariff;
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};
use serde_json::Value;

// ---------------------------------------------------------------- mirrors

// ---------------------------------------------------------------- local records

/// Everything a plan needs (core's `PlanRequest`; `planRequest(...)` fills the defaults).
#[derive(Debug, Clone, uniffi::Record)]
pub struct PlanRequest {
    /// Now: the plan and its profile start here (whole seconds).
    pub start: UtcInstant,
    /// When the EV leaves.
    pub departure: UtcInstant,
    /// Energy to charge, Wh (or give `soc`).
    #[uniffi(default)]
    pub energy_wh: Option<ExactDecimal>,
    /// The need as state of charge (when `energyWh` is null).
    #[uniffi(default)]
    pub soc: Option<SocNeed>,
    /// The EV's limits.
    pub ev: PowerLimits,
    /// The EVSE's limits.
    pub evse: PowerLimits,
    /// Nominal line voltage for A ↔ W.
    pub voltage: ExactDecimal,
    /// Limits already in force, W (e.g. `limitsFromComposite`).
    #[uniffi(default)]
    pub limits_w: Vec<SeriesPoint>,
    /// Price per kWh per interval (e.g. day-ahead).
    #[uniffi(default)]
    pub prices: Vec<SeriesPoint>,
    /// A time-of-use OCPI tariff (instead of `prices`): the plan minimises what it bills.
    #[uniffi(default)]
    pub tariff: Option<Arc<Tariff>>,
    /// IANA time zone for the tariff's local times (null: from the tariff's country).
    #[uniffi(default)]
    pub timezone: Option<String>,
    /// CO2 intensity, g/kWh (second objective).
    #[uniffi(default)]
    pub co2_g_per_kwh: Vec<SeriesPoint>,
    /// Currency per kg CO2 (null: CO2 only breaks ties).
    #[uniffi(default)]
    pub co2_weight: Option<ExactDecimal>,
    /// The strategy.
    pub strategy: PlanStrategy,
    /// Most changes between charging and pausing (Cheapest and Contiguous only).
    #[uniffi(default)]
    pub max_switches: Option<u32>,
    /// Grid step, seconds.
    #[uniffi(default = 900)]
    pub interval_s: u32,
    /// How the TxProfile is written.
    pub profile: ProfileSettings,
}

impl From<PlanRequest> for core::PlanRequest {
    fn from(r: PlanRequest) -> Self {
        Self {
            start: r.start,
            departure: r.departure,
            energy_wh: r.energy_wh,
            soc: r.soc,
            ev: r.ev,
            evse: r.evse,
            voltage: r.voltage,
            limits_w: r.limits_w,
            prices: r.prices,
            tariff: r.tariff.map(|t| t.core().clone()),
            timezone: r.timezone,
            co2_g_per_kwh: r.co2_g_per_kwh,
            co2_weight: r.co2_weight,
            strategy: r.strategy,
            max_switches: r.max_switches,
            interval_s: r.interval_s,
            profile: r.profile,
        }
    }
}

/// The result of `plan`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Plan {
    /// The rows, covering `[start, departure)` in time order.
    pub intervals: Vec<PlannedInterval>,
    /// The need, Wh.
    pub need_wh: ExactDecimal,
    /// Planned energy, Wh.
    pub energy_wh: ExactDecimal,
    /// True when the need is met by the departure.
    pub feasible: bool,
    /// What is missing at departure, Wh (0 when feasible).
    pub shortfall_wh: ExactDecimal,
    /// Expected cost (excl. VAT).
    pub expected_cost: ExactDecimal,
    /// Incl. VAT, when a tariff states the VAT.
    pub expected_cost_incl_vat: Option<ExactDecimal>,
    /// Currency of a tariff (null for a price series).
    pub currency: Option<String>,
    /// Expected emissions, g (when a CO2 series is given).
    pub expected_co2_g: Option<ExactDecimal>,
    /// Changes between charging and pausing.
    pub switches: u32,
    /// The strategy used.
    pub strategy: PlanStrategy,
    /// True when the solver guarantees the optimum.
    pub optimal: bool,
    /// The Absolute TxProfile (`validTo` = departure) as OCPP 2.0.1 JSON: install it with
    /// `SmartChargingStation.install(profileJson, evseId, "2.0.1")`.
    pub profile_json: String,
    /// The whole plan as core's JSON.
    pub json: String,
}

impl From<core::Plan> for Plan {
    fn from(p: core::Plan) -> Self {
        Self {
            json: p.to_json(),
            profile_json: p.profile.to_json(),
            intervals: p.intervals,
            need_wh: p.need_wh,
            energy_wh: p.energy_wh,
            feasible: p.feasible,
            shortfall_wh: p.shortfall_wh,
            expected_cost: p.expected_cost,
            expected_cost_incl_vat: p.expected_cost_incl_vat,
            currency: p.currency,
            expected_co2_g: p.expected_co2_g,
            switches: p.switches,
            strategy: p.strategy,
            optimal: p.optimal,
        }
    }
}

/// A profile ready to send to `stationId`, EVSE `evseId` (0: the station).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProfileToSend {
    /// The station.
    pub station_id: String,
    /// The EVSE on it (0: the station).
    pub evse_id: u32,
    /// TxProfile or ChargingStationMaxProfile.
    pub purpose: ChargingProfilePurpose,
    /// The profile as OCPP 2.0.1 JSON.
    pub profile_json: String,
}

impl From<core::ProfileToSend> for ProfileToSend {
    fn from(p: core::ProfileToSend) -> Self {
        Self {
            station_id: p.station_id,
            evse_id: p.evse_id,
            purpose: p.profile.charging_profile_purpose,
            profile_json: p.profile.to_json(),
        }
    }
}

/// The allocation of one EVSE over time: `(start, powerW)` points.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EvseSchedule {
    /// The EVSE.
    pub evse_id: String,
    /// Power from each start, W.
    pub points: Vec<SeriesPoint>,
}

/// The result of `allocate`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SiteAllocation {
    /// The allocation per interval (per EVSE, per group and phase).
    pub intervals: Vec<SiteInterval>,
    /// The same per EVSE, in session order.
    pub evse_schedules: Vec<EvseSchedule>,
    /// Per session, in request order.
    pub sessions: Vec<SessionOutcome>,
    /// One Absolute TxProfile per session.
    pub tx_profiles: Vec<ProfileToSend>,
    /// One Absolute ChargingStationMaxProfile per station.
    pub station_profiles: Vec<ProfileToSend>,
    /// The strategy used.
    pub strategy: SharingStrategy,
    /// The whole allocation as core's JSON.
    pub json: String,
}

impl From<core::SiteAllocation> for SiteAllocation {
    fn from(a: core::SiteAllocation) -> Self {
        let evse_schedules = a
            .evse_schedules()
            .into_iter()
            .map(|s| EvseSchedule {
                evse_id: s.evse_id,
                points: s.points,
            })
            .collect();
        Self {
            json: a.to_json(),
            evse_schedules,
            intervals: a.intervals,
            sessions: a.sessions,
            tx_profiles: a.tx_profiles.into_iter().map(Into::into).collect(),
            station_profiles: a.station_profiles.into_iter().map(Into::into).collect(),
            strategy: a.strategy,
        }
    }
}

// ---------------------------------------------------------------- functions

/// A request with a need and a maximum power, everything else at core's defaults
/// (230 V, 900 s grid, Cheapest, profile id 1): set `prices`, `tariff` or
/// `strategy = AS_LATE_AS_POSSIBLE` (Kotlin `copy(...)`, Swift `var`).
#[uniffi::export]
pub fn plan_request(
    start: UtcInstant,
    departure: UtcInstant,
    energy_wh: ExactDecimal,
    max_power_w: ExactDecimal,
) -> PlanRequest {
    let r = core::PlanRequest::new(start, departure, energy_wh, max_power_w);
    PlanRequest {
        start: r.start,
        departure: r.departure,
        energy_wh: r.energy_wh,
        soc: r.soc,
        ev: r.ev,
        evse: r.evse,
        voltage: r.voltage,
        limits_w: r.limits_w,
        prices: r.prices,
        tariff: None,
        timezone: r.timezone,
        co2_g_per_kwh: r.co2_g_per_kwh,
        co2_weight: r.co2_weight,
        strategy: r.strategy,
        max_switches: r.max_switches,
        interval_s: r.interval_s,
        profile: r.profile,
    }
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
    let request = core::PlanRequest::from(request);
    guarded(|| core::plan(&request)).map(Plan::from)
}

/// Plans one session from core's `PlanRequest` JSON (snake_case; `tariff` an OCPI object).
#[uniffi::export]
pub fn plan_from_json(json: String) -> Result<Plan, ChargekitError> {
    guarded(|| core::PlanRequest::from_json(&json).and_then(|r| core::plan(&r))).map(Plan::from)
}

/// Shares a site's capacity among the sessions present (core's `allocate`).
#[uniffi::export]
pub fn allocate(request: AllocationRequest) -> Result<SiteAllocation, ChargekitError> {
    guarded(|| core::allocate(&request)).map(SiteAllocation::from)
}

/// `allocate` from core's `AllocationRequest` JSON (snake_case).
#[uniffi::export]
pub fn allocate_from_json(json: String) -> Result<SiteAllocation, ChargekitError> {
    guarded(|| AllocationRequest::from_json(&json).and_then(|r| core::allocate(&r)))
        .map(SiteAllocation::from)
}

/// A composite schedule as the W limits of `PlanRequest.limitsW` (A converted with
/// `phases` and `voltage`; a period without a limit is 1 GW).
#[uniffi::export]
pub fn limits_from_composite(
    schedule: Arc<CompositeSchedule>,
    phases: u8,
    voltage: ExactDecimal,
) -> Vec<SeriesPoint> {
    core::limits_from_composite(&schedule, phases, voltage)
}

/// The wire name of a plan strategy, e.g. `"as_late_as_possible"`.
#[uniffi::export]
pub fn plan_strategy_name(strategy: PlanStrategy) -> String {
    wire_name(serde_json::to_value(strategy))
}

/// The wire name of a sharing strategy, e.g. `"earliest_deadline_first"`.
#[uniffi::export]
pub fn sharing_strategy_name(strategy: SharingStrategy) -> String {
    wire_name(serde_json::to_value(strategy))
}

fn wire_name(v: serde_json::Result<Value>) -> String {
    match v {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> UtcInstant {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn a_typed_request_plans_like_core() {
        let mut r = plan_request(
            t("2026-03-10T22:00:00Z"),
            t("2026-03-11T02:00:00Z"),
            ExactDecimal::from(15_000),
            ExactDecimal::from(10_000),
        );
        r.interval_s = 3600;
        r.prices = ["0.30", "0.10", "0.40", "0.20"]
            .iter()
            .enumerate()
            .map(|(h, p)| {
                SeriesPoint::new(
                    t("2026-03-10T22:00:00Z") + chrono::Duration::hours(h as i64),
                    p.parse().unwrap_or_default(),
                )
            })
            .collect();
        let p = plan(r.clone()).ok();
        let core_plan = core::plan(&core::PlanRequest::from(r)).ok().map(Plan::from);
        assert_eq!(p, core_plan);
        assert_eq!(p.map(|p| p.expected_cost), Some(ExactDecimal::from(2)));
    }
}
