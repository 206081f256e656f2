//! The plan of one session: request, strategies, solver and result (model and
//! optimality argument: see the module documentation of `planning`).

use super::error::from_json;
use super::grid::{
    at, ceil_01, check_series, energy_wh, floor_01, intervals, secs, value_at, SeriesPoint,
};
use super::solve::{row_switches, Row, Solver};
use crate::billing::{
    find_component, price_input, snapshot_at, time_boundaries, LegacyTimes, PricingInput,
    PricingPeriod, PricingPolicy, Scope,
};
use crate::enums::wire_enum;
use crate::planning::error::invalid_field;
use crate::profile::{
    build_tx_profile, convert, ChargingProfile, ChargingRateUnit, CompositeSchedule, TxProfileSpec,
};
use crate::tariff::{OcpiVersion, Tariff, TariffDimension};
use crate::Error;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A need counts as met when less than this is missing (Wh): rounding to whole seconds and
/// µWh leaves at most this much.
pub const FEASIBILITY_TOLERANCE_WH: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

wire_enum! {
    /// How a plan places the energy.
    ///
    /// ```
    /// use chargekit::planning::PlanStrategy;
    /// assert_eq!(serde_json::to_string(&PlanStrategy::AsLateAsPossible).unwrap(), "\"as_late_as_possible\"");
    /// assert_eq!(PlanStrategy::default(), PlanStrategy::Cheapest);
    /// ```
    #[derive(Default)]
    pub enum PlanStrategy {
        /// Cheapest intervals first (exact optimum; see the module text).
        #[default]
        Cheapest = "cheapest",
        /// As late as possible before the departure; needs no prices.
        AsLateAsPossible = "as_late_as_possible",
        /// One block of consecutive intervals (one run of charging rows) of least total
        /// cost; intervals inside the block charge at least the least power.
        Contiguous = "contiguous",
    }
}

/// Minimum and maximum of an EV or an EVSE, as power (W) and/or current (A per phase).
/// Currents are converted with the session's phases and voltage; the least maximum and the
/// greatest minimum apply.
///
/// ```
/// use chargekit::planning::PowerLimits;
/// let l: PowerLimits = serde_json::from_str(r#"{"max_current_a": "16", "min_current_a": "6", "phases": 3}"#).unwrap();
/// assert_eq!(l.phases, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct PowerLimits {
    /// Maximum power, W.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_power_w: Option<Decimal>,
    /// Minimum power when charging (minChargingRate), W.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_power_w: Option<Decimal>,
    /// Maximum current per phase, A.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_current_a: Option<Decimal>,
    /// Minimum current per phase when charging, A.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_current_a: Option<Decimal>,
    /// Phases it charges on (1–3).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phases: Option<u8>,
}

/// The need as state of charge: `battery_capacity_wh × (target − now) / 100`.
///
/// ```
/// use chargekit::planning::SocNeed;
/// use rust_decimal::Decimal;
/// let s = SocNeed { soc_now_pct: Decimal::from(20), target_soc_pct: Decimal::from(80), battery_capacity_wh: Decimal::from(60_000) };
/// assert_eq!(s.need_wh().unwrap(), Decimal::from(36_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SocNeed {
    /// State of charge now, %.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub soc_now_pct: Decimal,
    /// Wanted at departure, %.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub target_soc_pct: Decimal,
    /// Usable battery capacity, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub battery_capacity_wh: Decimal,
}

impl SocNeed {
    /// The energy to charge, Wh (0 when the target is already reached).
    pub fn need_wh(&self) -> Result<Decimal, Error> {
        let pct = Decimal::ONE_HUNDRED;
        for (f, v) in [
            ("soc.soc_now_pct", self.soc_now_pct),
            ("soc.target_soc_pct", self.target_soc_pct),
        ] {
            if v.is_sign_negative() && !v.is_zero() || v > pct {
                return Err(invalid_field(f, "must be between 0 and 100"));
            }
        }
        if self.battery_capacity_wh <= Decimal::ZERO {
            return Err(invalid_field("soc.battery_capacity_wh", "must be positive"));
        }
        Ok(
            (self.battery_capacity_wh * (self.target_soc_pct - self.soc_now_pct) / pct)
                .max(Decimal::ZERO),
        )
    }
}

/// How the TxProfile of a plan is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ProfileSettings {
    /// Profile (and schedule) id.
    pub profile_id: i32,
    /// Stack level.
    pub stack_level: u32,
    /// The transaction (required by stations for a TxProfile).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub transaction_id: Option<String>,
    /// Unit of the limits: W (default) or A per phase (floored to 0.1 A).
    pub unit: ChargingRateUnit,
    /// Most periods the station accepts (`ChargingScheduleMaxPeriods`).
    pub max_periods: u32,
}

impl Default for ProfileSettings {
    fn default() -> Self {
        Self {
            profile_id: 1,
            stack_level: 0,
            transaction_id: None,
            unit: ChargingRateUnit::W,
            max_periods: 1024,
        }
    }
}

fn default_voltage() -> Decimal {
    Decimal::from(230)
}

fn default_interval() -> u32 {
    900
}

/// Everything a plan needs. Read from JSON with [`PlanRequest::from_json`] (snake_case;
/// decimals as strings or numbers; `tariff` is an OCPI tariff object).
///
/// ```
/// use chargekit::planning::PlanRequest;
/// let r = PlanRequest::from_json(r#"{"start": "2026-03-10T22:00:00Z", "departure": "2026-03-11T06:00:00Z",
///   "energy_wh": "20000", "ev": {"max_power_w": "11000"},
///   "prices": [{"start": "2026-03-10T22:00:00Z", "value": "0.30"}]}"#).unwrap();
/// assert_eq!(r.interval_s, 900);
/// let e = PlanRequest::from_json(r#"{"start": "2026-03-10T22:00:00Z", "departure": 5}"#).unwrap_err();
/// assert!(e.to_string().contains("departure"));
/// ```
///
/// Kotlin and Swift see the tariff as its OCPI JSON text (`tariffJson`; `Tariff.toOcpi()`
/// gives it) and build a request with `planRequest(...)`, which fills these defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// Now: the plan and its profile start here (whole seconds).
    pub start: DateTime<Utc>,
    /// When the EV leaves: nothing is planned after it.
    pub departure: DateTime<Utc>,
    /// Energy to charge, Wh (or give `soc`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub energy_wh: Option<Decimal>,
    /// The need as state of charge (when `energy_wh` is absent).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub soc: Option<SocNeed>,
    /// The EV's limits.
    #[serde(default)]
    pub ev: PowerLimits,
    /// The EVSE's limits.
    #[serde(default)]
    pub evse: PowerLimits,
    /// Nominal line voltage for A ↔ W (230 by default).
    #[serde(default = "default_voltage")]
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub voltage: Decimal,
    /// Limits already in force, W (e.g. the composite schedule:
    /// [`limits_from_composite`]); none before the first point.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limits_w: Vec<SeriesPoint>,
    /// Price per kWh per interval (e.g. day-ahead), in force from each point.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub prices: Vec<SeriesPoint>,
    /// A time-of-use OCPI tariff (instead of `prices`): the plan minimises what the tariff
    /// engine bills.
    #[serde(default, with = "ocpi_tariff")]
    #[cfg_attr(feature = "uniffi", uniffi(default, name = "tariff_json"))]
    pub tariff: Option<Tariff>,
    /// IANA time zone for the tariff's local times (default: from the tariff's country).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub timezone: Option<String>,
    /// CO2 intensity, g/kWh (second objective).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub co2_g_per_kwh: Vec<SeriesPoint>,
    /// Currency per kg CO2: weighs CO2 into the price; None: CO2 only breaks ties.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub co2_weight: Option<Decimal>,
    /// The strategy.
    #[serde(default)]
    pub strategy: PlanStrategy,
    /// Most changes between charging and pausing from one row to the next, the two rows of
    /// a partly used interval included (Cheapest and Contiguous only; see the module text).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_switches: Option<u32>,
    /// Grid step, seconds (900 by default).
    #[serde(default = "default_interval")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 900))]
    pub interval_s: u32,
    /// How the TxProfile is written.
    #[serde(default)]
    pub profile: ProfileSettings,
}

impl PlanRequest {
    /// A request with a need, a maximum power and nothing else (no prices: set `prices`,
    /// `tariff` or use [`PlanStrategy::AsLateAsPossible`]).
    ///
    /// ```
    /// use chargekit::planning::{plan, PlanRequest, PlanStrategy};
    /// use rust_decimal::Decimal;
    /// let mut r = PlanRequest::new("2026-03-10T22:00:00Z".parse().unwrap(), "2026-03-11T06:00:00Z".parse().unwrap(),
    ///     Decimal::from(11_000), Decimal::from(11_000));
    /// r.strategy = PlanStrategy::AsLateAsPossible;
    /// let p = plan(&r).unwrap();
    /// assert_eq!(p.intervals.iter().filter(|i| i.power_w > Decimal::ZERO).count(), 4); // 05:00–06:00
    /// ```
    pub fn new(
        start: DateTime<Utc>,
        departure: DateTime<Utc>,
        energy_wh: Decimal,
        max_power_w: Decimal,
    ) -> Self {
        Self {
            start,
            departure,
            energy_wh: Some(energy_wh),
            soc: None,
            ev: PowerLimits {
                max_power_w: Some(max_power_w),
                ..PowerLimits::default()
            },
            evse: PowerLimits::default(),
            voltage: default_voltage(),
            limits_w: Vec::new(),
            prices: Vec::new(),
            tariff: None,
            timezone: None,
            co2_g_per_kwh: Vec::new(),
            co2_weight: None,
            strategy: PlanStrategy::default(),
            max_switches: None,
            interval_s: default_interval(),
            profile: ProfileSettings::default(),
        }
    }

    /// Reads a request from JSON (field paths in errors).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        from_json(text)
    }

    /// The request as JSON (the tariff as OCPI 2.2.1).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

mod ocpi_tariff {
    use crate::tariff::{OcpiVersion, Tariff};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Tariff>, s: S) -> Result<S::Ok, S::Error> {
        t.as_ref()
            .map(|t| t.to_ocpi(OcpiVersion::V221))
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Tariff>, D::Error> {
        let v = Option::<serde_json::Value>::deserialize(d)?;
        v.map(|v| Tariff::from_value(&v).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// One row of a plan: constant power over `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlannedInterval {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Planned power, W (0: pause; otherwise at least the minimum rate).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub power_w: Decimal,
    /// Planned energy, Wh (power × duration).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_wh: Decimal,
    /// The most that was allowed, W.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub max_power_w: Decimal,
    /// Price per kWh used for ranking (None without a price signal).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub price_per_kwh: Option<Decimal>,
    /// CO2 intensity, g/kWh, when given.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub co2_g_per_kwh: Option<Decimal>,
}

/// The result of [`plan`]. Kotlin and Swift see the profile as its OCPP 2.0.1 JSON text,
/// `profileJson`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Plan {
    /// The rows, covering `[start, departure)` in time order.
    pub intervals: Vec<PlannedInterval>,
    /// The need, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub need_wh: Decimal,
    /// Planned energy, Wh: the need, up to rounding, or less when it cannot be met; more
    /// only when a switch limit forces a surplus (every charging row at the least power,
    /// see the module text).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_wh: Decimal,
    /// True when the need is met by the departure.
    pub feasible: bool,
    /// What is missing at departure, Wh (0 when feasible); the plan is then the best
    /// partial plan (as much energy as possible, at least cost).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub shortfall_wh: Decimal,
    /// Expected cost (excl. VAT): `Σ energy × price` for a series, the tariff engine's
    /// total for a tariff; 0 without prices.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub expected_cost: Decimal,
    /// Incl. VAT, for a tariff: the tariff engine's `total_cost.incl_vat`, equal to
    /// `expected_cost` when no VAT applies, `None` when the VAT is unknown (an OCPI 2.1.1
    /// tariff). `None` for a price series, which states no VAT.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub expected_cost_incl_vat: Option<Decimal>,
    /// Currency of a tariff (None for a price series).
    pub currency: Option<String>,
    /// Expected emissions, g (when a CO2 series is given).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub expected_co2_g: Option<Decimal>,
    /// Changes between charging and pausing between consecutive rows.
    pub switches: u32,
    /// The strategy used.
    pub strategy: PlanStrategy,
    /// True when the solver guarantees the optimum for the model (see the module text).
    pub optimal: bool,
    /// An Absolute TxProfile (`validTo` = departure) that allows exactly the plan.
    #[cfg_attr(feature = "uniffi", uniffi(name = "profile_json"))]
    pub profile: ChargingProfile,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl Plan {
    /// The plan as JSON text (the profile in OCPP 2.x shape).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Plan {
    /// Reads a plan back from [`Plan::to_json`].
    pub fn from_json(text: &str) -> Result<Self, Error> {
        from_json(text)
    }
}

/// The composite schedule as W limits for [`PlanRequest::limits_w`] (A converted with
/// `phases` and `voltage`; a period without a limit is left unlimited: 1 GW).
///
/// ```
/// use chargekit::planning::limits_from_composite;
/// use chargekit::profile::{SmartChargingStation, StationConfig};
/// use rust_decimal::Decimal;
/// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
/// let s = st.composite_schedule(1, "2026-03-10T22:00:00Z".parse().unwrap(), 3600, None).unwrap();
/// let l = limits_from_composite(&s, 3, Decimal::from(230)).unwrap();
/// assert_eq!(l[0].value, Decimal::from(33_120)); // the 48 A default
/// assert!(limits_from_composite(&s, 3, Decimal::MAX).is_err());
/// ```
pub fn limits_from_composite(
    schedule: &CompositeSchedule,
    phases: u8,
    voltage: Decimal,
) -> Result<Vec<SeriesPoint>, Error> {
    if voltage <= Decimal::ZERO || !crate::limits::quantity_in_range(voltage) {
        return Err(invalid_field(
            "voltage",
            "must be positive and at most 10^12 (limits::MAX_QUANTITY)",
        ));
    }
    Ok(schedule
        .periods
        .iter()
        .map(|p| {
            let n = p.number_phases.unwrap_or(phases).min(phases.max(1));
            let w = p
                .limit
                .map(|l| convert(l, schedule.unit, ChargingRateUnit::W, n, voltage))
                .unwrap_or(Decimal::from(1_000_000_000));
            SeriesPoint::new(
                schedule.schedule_start + chrono::Duration::seconds(i64::from(p.start_period)),
                w,
            )
        })
        .collect())
}

/// The intervals of the problem.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub start: i64,
    pub end: i64,
    /// Allowed power, W (0 when below the minimum rate).
    pub max_w: Decimal,
    /// `max_w × d`, Wh.
    pub cap_wh: Decimal,
    /// Ranking price per kWh.
    pub rank: Decimal,
    /// Price shown and used for the cost of a series.
    pub price: Option<Decimal>,
    pub co2: Option<Decimal>,
}

impl Slot {
    pub(crate) fn secs(&self) -> i64 {
        self.end - self.start
    }
}

/// The energy per slot of [`PlanStrategy::Cheapest`] (without `max_switches`): the same
/// greedy as [`plan`] (slots filled in order of increasing `rank`, then CO2, then time, each
/// up to `cap_wh`, until `need_wh` is met), for callers that build their own slots, e.g.
/// the site allocator with per-interval headroom as `max_w`. Slots with `cap_wh = 0` are
/// skipped; `min_w` only matters to how the energies are turned into powers (the caller's
/// business), the fill itself is the exact fractional-knapsack optimum.
pub(crate) fn cheapest_energies(slots: &[Slot], need_wh: Decimal, min_w: Decimal) -> Vec<Decimal> {
    Solver::new(slots, need_wh, min_w).cheapest().energy
}

/// The checked, derived inputs.
struct Problem {
    slots: Vec<Slot>,
    need_wh: Decimal,
    min_w: Decimal,
    phases: u8,
    tz: Tz,
}

fn nonneg(field: &str, v: Option<Decimal>) -> Result<(), Error> {
    match v {
        Some(v) if v.is_sign_negative() && !v.is_zero() => {
            Err(invalid_field(field, "must not be negative"))
        }
        Some(v) if !crate::limits::quantity_in_range(v) => Err(invalid_field(
            field,
            "is beyond 10^12 (limits::MAX_QUANTITY)",
        )),
        _ => Ok(()),
    }
}

/// Effective phases, maximum and minimum power of an EV + EVSE pair.
pub(crate) fn power_range(
    ev: &PowerLimits,
    evse: &PowerLimits,
    voltage: Decimal,
    prefix: &str,
) -> Result<(u8, Option<Decimal>, Decimal), Error> {
    for (who, l) in [("ev", ev), ("evse", evse)] {
        nonneg(&format!("{prefix}{who}.max_power_w"), l.max_power_w)?;
        nonneg(&format!("{prefix}{who}.min_power_w"), l.min_power_w)?;
        nonneg(&format!("{prefix}{who}.max_current_a"), l.max_current_a)?;
        nonneg(&format!("{prefix}{who}.min_current_a"), l.min_current_a)?;
        if l.phases.is_some_and(|p| !(1..=3).contains(&p)) {
            return Err(invalid_field(
                format!("{prefix}{who}.phases"),
                "must be 1, 2 or 3",
            ));
        }
    }
    if voltage <= Decimal::ZERO {
        return Err(invalid_field(
            format!("{prefix}voltage"),
            "must be positive",
        ));
    }
    let phases = [ev.phases, evse.phases]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(3);
    let w = |a: Decimal| a * voltage * Decimal::from(phases);
    let max = [ev, evse]
        .iter()
        .flat_map(|l| [l.max_power_w, l.max_current_a.map(w)])
        .flatten()
        .min()
        .map(floor_01);
    let min = [ev, evse]
        .iter()
        .flat_map(|l| [l.min_power_w, l.min_current_a.map(w)])
        .flatten()
        .max()
        .map(ceil_01)
        .unwrap_or(Decimal::ZERO);
    if let Some(max) = max {
        if min > max {
            return Err(invalid_field(
                format!("{prefix}ev.min_power_w"),
                format!("the minimum rate ({min} W) is above the maximum ({max} W)"),
            ));
        }
    }
    Ok((phases, max, min))
}

fn timezone(req: &PlanRequest) -> Result<Tz, Error> {
    if let Some(name) = &req.timezone {
        return crate::calendar::parse_timezone(name)
            .map_err(|e| invalid_field("timezone", e.to_string()));
    }
    Ok(req
        .tariff
        .as_ref()
        .and_then(|t| t.country_code.as_deref())
        .and_then(crate::billing::timezone_for_country)
        .unwrap_or(Tz::UTC))
}

fn problem(req: &PlanRequest) -> Result<Problem, Error> {
    let start = secs(&req.start);
    let end = secs(&req.departure);
    if end <= start {
        return Err(invalid_field("departure", "must be after start"));
    }
    if req.interval_s == 0 {
        return Err(invalid_field("interval_s", "must be positive"));
    }
    let need_wh = match (&req.energy_wh, &req.soc) {
        (Some(e), _) => {
            nonneg("energy_wh", Some(*e))?;
            *e
        }
        (None, Some(s)) => s.need_wh()?,
        (None, None) => {
            return Err(invalid_field(
                "energy_wh",
                "give the energy needed or the state of charge (soc)",
            ))
        }
    };
    let (phases, max_w, min_w) = power_range(&req.ev, &req.evse, req.voltage, "")?;
    let max_w = max_w.ok_or_else(|| {
        invalid_field(
            "ev.max_power_w",
            "give a maximum power or current for the EV or the EVSE",
        )
    })?;
    check_series("limits_w", &req.limits_w, false)?;
    check_series("prices", &req.prices, true)?;
    check_series("co2_g_per_kwh", &req.co2_g_per_kwh, false)?;
    nonneg("co2_weight", req.co2_weight)?;
    if req.tariff.is_some() && !req.prices.is_empty() {
        return Err(invalid_field(
            "prices",
            "give either a price series or a tariff, not both",
        ));
    }
    let priced = req.tariff.is_some() || !req.prices.is_empty();
    if req.strategy != PlanStrategy::AsLateAsPossible && !priced && req.co2_g_per_kwh.is_empty() {
        return Err(invalid_field(
            "prices",
            "this strategy needs a price series, a tariff or a CO2 series",
        ));
    }
    if req.max_switches.is_some() && req.strategy == PlanStrategy::AsLateAsPossible {
        return Err(invalid_field(
            "max_switches",
            "applies to the Cheapest and Contiguous strategies only",
        ));
    }
    let tz = timezone(req)?;
    let mut cuts: Vec<i64> = req
        .limits_w
        .iter()
        .chain(&req.prices)
        .chain(&req.co2_g_per_kwh)
        .map(|p| secs(&p.start))
        .collect();
    // Tariff boundaries are laid out over the window: its size is checked first.
    super::grid::check_window(start, end, i64::from(req.interval_s), cuts.len())?;
    if let Some(t) = &req.tariff {
        cuts.extend(
            time_boundaries(t, tz, req.start, req.departure)
                .iter()
                .map(secs),
        );
    }
    let policy = PricingPolicy::default();
    let mut slots = Vec::new();
    for (a, b) in intervals(start, end, i64::from(req.interval_s), &cuts)? {
        let limit = value_at(&req.limits_w, a).map(floor_01);
        let mut cap = limit.map_or(max_w, |l| l.min(max_w));
        if cap < min_w || cap <= Decimal::ZERO {
            cap = Decimal::ZERO;
        }
        let co2 = value_at(&req.co2_g_per_kwh, a);
        let price = match &req.tariff {
            Some(t) => Some(tariff_price(
                t,
                tz,
                &policy,
                req.start,
                a,
                max_w.min(limit.unwrap_or(max_w)),
            )),
            None if req.prices.is_empty() => None,
            None => Some(value_at(&req.prices, a).ok_or(Error::MissingPrice { at: at(a) })?),
        };
        let mut rank = price.unwrap_or_default();
        if let (Some(w), Some(c)) = (req.co2_weight, co2) {
            rank += w * c / Decimal::ONE_THOUSAND;
        } else if !priced {
            rank = co2.unwrap_or_default();
        }
        slots.push(Slot {
            start: a,
            end: b,
            max_w: cap,
            cap_wh: energy_wh(cap, b - a),
            rank,
            price,
            co2,
        });
    }
    Ok(Problem {
        slots,
        need_wh,
        min_w,
        phases,
        tz,
    })
}

/// Ranking price per kWh of a tariff at `t`: ENERGY price + TIME price / power (kW).
fn tariff_price(
    tariff: &Tariff,
    tz: Tz,
    policy: &PricingPolicy,
    session_start: DateTime<Utc>,
    t: i64,
    power_w: Decimal,
) -> Decimal {
    let kw = power_w / Decimal::ONE_THOUSAND;
    let period = PricingPeriod {
        max_power_kw: Some(kw),
        min_power_kw: Some(kw),
        ..PricingPeriod::default()
    };
    let legacy = tariff.version == OcpiVersion::V211 && policy.legacy_times == LegacyTimes::Utc;
    let snap = snapshot_at(tz, legacy, at(t), session_start, Decimal::ZERO, &period);
    let energy = find_component(
        tariff,
        TariffDimension::Energy,
        Scope::Session,
        &snap,
        policy,
    )
    .map(|(_, _, c)| c.price)
    .unwrap_or_default();
    let time = find_component(tariff, TariffDimension::Time, Scope::Session, &snap, policy)
        .map(|(_, _, c)| c.price)
        .unwrap_or_default();
    if kw > Decimal::ZERO {
        energy + time / kw
    } else {
        energy
    }
}

/// Plans one session (see the module text for the model and the strategies).
///
/// ```
/// use chargekit::planning::{plan, PlanRequest, SeriesPoint};
/// use rust_decimal::Decimal;
/// let t = |s: &str| s.parse().unwrap();
/// let mut r = PlanRequest::new(t("2026-03-10T22:00:00Z"), t("2026-03-11T02:00:00Z"),
///     Decimal::from(15_000), Decimal::from(10_000));
/// r.prices = vec![SeriesPoint::new(t("2026-03-10T22:00:00Z"), Decimal::new(30, 2)),
///                 SeriesPoint::new(t("2026-03-11T00:00:00Z"), Decimal::new(10, 2)),
///                 SeriesPoint::new(t("2026-03-11T01:00:00Z"), Decimal::new(20, 2))];
/// let p = plan(&r).unwrap();
/// // 10 kWh at 0.10 from 00:00, 5 kWh at 0.20 from 01:00 (the cheapest slots first).
/// assert!(p.feasible);
/// assert_eq!(p.expected_cost, Decimal::new(200, 2));
/// assert_eq!(p.profile.valid_to, Some(t("2026-03-11T02:00:00Z")));
/// ```
pub fn plan(req: &PlanRequest) -> Result<Plan, Error> {
    let pb = problem(req)?;
    let solver = Solver::new(&pb.slots, pb.need_wh, pb.min_w);
    let (chosen, optimal, max_runs) = match (req.strategy, req.max_switches) {
        (PlanStrategy::Cheapest, None) => (solver.cheapest(), true, usize::MAX),
        (PlanStrategy::AsLateAsPossible, _) => (solver.as_late_as_possible(), true, usize::MAX),
        (strategy, max) => {
            let max_runs = if strategy == PlanStrategy::Contiguous {
                1
            } else {
                usize::MAX
            };
            let (c, optimal) = solver.shaped(max_runs, max.unwrap_or(u32::MAX));
            (c, optimal, max_runs)
        }
    };
    let rows = solver.rows(&chosen.energy, max_runs);
    finish(req, &pb, &rows, optimal)
}

fn finish(req: &PlanRequest, pb: &Problem, rows: &[Row], optimal: bool) -> Result<Plan, Error> {
    let intervals: Vec<PlannedInterval> = rows
        .iter()
        .map(|(a, b, p, k)| PlannedInterval {
            start: at(*a),
            end: at(*b),
            power_w: p.normalize(),
            energy_wh: energy_wh(*p, b - a).normalize(),
            max_power_w: pb.slots[*k].max_w.normalize(),
            price_per_kwh: pb.slots[*k].price,
            co2_g_per_kwh: pb.slots[*k].co2,
        })
        .collect();
    let energy: Decimal = intervals.iter().map(|i| i.energy_wh).sum();
    let missing = (pb.need_wh - energy).max(Decimal::ZERO);
    let feasible = missing < FEASIBILITY_TOLERANCE_WH;
    let shortfall_wh = if feasible {
        Decimal::ZERO
    } else {
        missing.round_dp(3).normalize()
    };
    let kwh = |i: &PlannedInterval| i.energy_wh / Decimal::ONE_THOUSAND;
    let expected_co2_g = (!req.co2_g_per_kwh.is_empty()).then(|| {
        intervals
            .iter()
            .map(|i| kwh(i) * i.co2_g_per_kwh.unwrap_or_default())
            .sum::<Decimal>()
            .normalize()
    });
    let (expected_cost, expected_cost_incl_vat, currency) = match &req.tariff {
        Some(t) => {
            let r = price_input(
                &engine_input(req, pb.tz, &intervals),
                std::slice::from_ref(t),
                &PricingPolicy::default(),
            )?;
            (
                r.total_cost.excl_vat,
                r.total_cost.incl_vat,
                Some(r.currency.to_string()),
            )
        }
        None => (
            intervals
                .iter()
                .map(|i| kwh(i) * i.price_per_kwh.unwrap_or_default())
                .sum::<Decimal>()
                .normalize(),
            None,
            None,
        ),
    };
    let profile = tx_profile(req, pb, rows)?;
    Ok(Plan {
        switches: row_switches(rows),
        intervals,
        need_wh: pb.need_wh,
        energy_wh: energy.normalize(),
        feasible,
        shortfall_wh,
        expected_cost,
        expected_cost_incl_vat,
        currency,
        expected_co2_g,
        strategy: req.strategy,
        optimal,
        profile,
    })
}

/// The plan as periods for the tariff engine: charging rows with energy, time and power;
/// pauses as parking.
fn engine_input(req: &PlanRequest, tz: Tz, intervals: &[PlannedInterval]) -> PricingInput {
    let periods = intervals
        .iter()
        .map(|i| {
            let s = Decimal::from((i.end - i.start).num_seconds());
            if i.power_w > Decimal::ZERO {
                let kw = i.power_w / Decimal::ONE_THOUSAND;
                PricingPeriod {
                    start: i.start,
                    end: i.end,
                    energy_kwh: Some(i.energy_wh / Decimal::ONE_THOUSAND),
                    charging_s: Some(s),
                    max_power_kw: Some(kw),
                    min_power_kw: Some(kw),
                    ..PricingPeriod::default()
                }
            } else {
                PricingPeriod {
                    start: i.start,
                    end: i.end,
                    parking_s: Some(s),
                    ..PricingPeriod::default()
                }
            }
        })
        .collect();
    PricingInput {
        start: req.start,
        end: req.departure,
        timezone: tz,
        periods,
        credit: false,
    }
}

/// The TxProfile allowing exactly the plan (limits floored to 0.1 in the unit).
fn tx_profile(req: &PlanRequest, pb: &Problem, rows: &[Row]) -> Result<ChargingProfile, Error> {
    let unit = req.profile.unit;
    let to_unit = |w: Decimal| {
        floor_01(convert(
            w,
            ChargingRateUnit::W,
            unit,
            pb.phases,
            req.voltage,
        ))
    };
    let mut steps: Vec<(i64, Decimal)> = Vec::new();
    for (a, _, p, _) in rows {
        let l = to_unit(*p);
        if steps.last().is_none_or(|(_, x)| *x != l) {
            steps.push((*a, l));
        }
    }
    let start = secs(&req.start);
    let end = secs(&req.departure);
    if steps.is_empty() {
        steps.push((start, Decimal::ZERO));
    }
    if steps.len() > req.profile.max_periods as usize {
        return Err(invalid_field(
            "profile.max_periods",
            format!(
                "the plan needs {} periods, the station accepts {}",
                steps.len(),
                req.profile.max_periods
            ),
        ));
    }
    let min_rate = (pb.min_w > Decimal::ZERO).then(|| to_unit(pb.min_w));
    Ok(build_tx_profile(&TxProfileSpec {
        start,
        periods: &steps,
        unit,
        number_phases: pb.phases,
        min_charging_rate: min_rate,
        duration_end: Some(end),
        valid_to: Some(end),
        profile_id: req.profile.profile_id,
        stack_level: req.profile.stack_level,
        transaction_id: req.profile.transaction_id.clone(),
    }))
}
