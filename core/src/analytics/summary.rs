//! The result of a site summary: plain data, serialisable, with heatmaps as nested lists.
//! Section numbers (§) refer to `docs/analytics-and-feedback.md`.

use super::options::TouWindow;
use super::time::{HourOfWeek, Period};
use super::validate::{Flag, Severity};
use chrono::Weekday;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything known about a site over a period (§2, §3). Kotlin and Swift read its fields
/// and call `toJson()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SiteSummary {
    /// Site label from the options.
    pub site_id: Option<String>,
    /// The IANA time zone used for local bucketing.
    pub tz: String,
    /// The reporting period.
    pub period: Period,
    /// Counts of sessions, days, users and unused equipment.
    pub counts: Counts,
    /// Validation flags found, with their counts (all sessions seen).
    pub flags: Vec<FlagCount>,
    /// Energy per session.
    pub energy: EnergyStats,
    /// Session, charging and idle durations.
    pub durations: DurationStats,
    /// Time totals over the period.
    pub time: TimeTotals,
    /// Site-level rates under the chosen denominator.
    pub utilisation: Utilisation,
    /// Per port, sorted by station and port.
    pub ports: Vec<PortSummary>,
    /// Per station, sorted by id.
    pub stations: Vec<StationSummary>,
    /// Hour-of-week grids in site local time.
    pub heatmaps: Heatmaps,
    /// The busiest hours of the week, by occupancy.
    pub peak_hours: Vec<PeakHour>,
    /// Idle after full beyond the grace period.
    pub overstay: OverstayStats,
    /// Signals for expansion decisions.
    pub demand: DemandIndicators,
    /// How much charging load a time-of-use price difference could move.
    pub off_peak: OffPeakShift,
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl SiteSummary {
    /// The summary as JSON text (heatmaps as nested lists, Monday first).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Session and usage counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Counts {
    /// Sessions given.
    pub sessions_seen: u64,
    /// Sessions used by the metrics (after filter and outlier policy).
    pub sessions_used: u64,
    /// Sessions left out by the filter.
    pub sessions_excluded: u64,
    /// Outliers dropped by `OutlierPolicy::Drop`.
    pub outliers_dropped: u64,
    /// Sessions used per day of the period.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub sessions_per_day: Decimal,
    /// Sessions used per week of the period.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub sessions_per_week: Decimal,
    /// Local days with at least one session.
    pub in_use_days: u64,
    /// Distinct user ids (meaningful within one data provider only).
    pub unique_users: u64,
    /// Stations without any session.
    pub stations_without_use: Vec<String>,
}

/// How often a validation flag occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FlagCount {
    /// The flag.
    pub flag: Flag,
    /// Warning or error.
    pub severity: Severity,
    /// Sessions carrying it.
    pub count: u64,
}

/// Energy per session, kWh (means and medians leave out flagged outliers by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EnergyStats {
    /// Energy of all sessions used.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_kwh: Decimal,
    /// Mean per session.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_kwh: Option<Decimal>,
    /// Median per session.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_kwh: Option<Decimal>,
}

/// Mean and median durations, seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DurationStats {
    /// Mean dwell.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_dwell_s: Option<Decimal>,
    /// Median dwell.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_dwell_s: Option<Decimal>,
    /// Mean charging.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_charging_s: Option<Decimal>,
    /// Median charging.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_charging_s: Option<Decimal>,
    /// Mean idle.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_idle_s: Option<Decimal>,
    /// Median idle.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_idle_s: Option<Decimal>,
}

/// Time totals over the period, seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TimeTotals {
    /// Available time of one port (the period minus closures or outside opening hours).
    pub available_s: i64,
    /// Time Occupied: Σ session durations.
    pub occupied_s: i64,
    /// Time Charging: Σ charging durations.
    pub charging_s: i64,
    /// Time Idle: occupied − charging.
    pub idle_s: i64,
    /// Available time during which all ports were occupied.
    pub congestion_s: i64,
}

/// Rates in [0, 1] (EV Charging Use Data Specification definitions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Utilisation {
    /// Occupied Utilisation Rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub occupied: Decimal,
    /// Station Utilisation Rate (charging).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub charging: Decimal,
    /// Idle Utilisation Rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub idle: Decimal,
    /// Energy ÷ (rated power × available hours), over ports with a rated power.
    pub capacity_factor: Option<Decimal>,
    /// Site Congestion Rate: all ports occupied ÷ available time.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub congestion: Decimal,
}

/// One port over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PortSummary {
    /// Station.
    pub station_id: String,
    /// Port.
    pub port_id: String,
    /// Rated power, kW, when known.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub rated_kw: Option<Decimal>,
    /// Sessions used.
    pub sessions: u64,
    /// Energy, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_kwh: Decimal,
    /// Mean energy per session, kWh.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_energy_kwh: Option<Decimal>,
    /// Median energy per session, kWh.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_energy_kwh: Option<Decimal>,
    /// Σ session durations, s.
    pub occupied_s: i64,
    /// Σ charging durations, s.
    pub charging_s: i64,
    /// Occupied available time (union of sessions, inside the period), s.
    pub busy_s: i64,
    /// Occupied Utilisation Rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub occupied_rate: Decimal,
    /// Station Utilisation Rate (charging).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub charging_rate: Decimal,
    /// Idle Utilisation Rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub idle_rate: Decimal,
    /// Capacity factor, when the rated power is known.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub capacity_factor: Option<Decimal>,
    /// Local days with a session.
    pub in_use_days: u64,
    /// Sessions that started within the quick-turnover window after the previous one ended.
    pub quick_turnovers: u64,
    /// Sessions with overstay.
    pub overstays: u64,
}

/// One station (its ports together) over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StationSummary {
    /// Station.
    pub station_id: String,
    /// Number of ports.
    pub ports: u32,
    /// Sessions used.
    pub sessions: u64,
    /// Energy, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_kwh: Decimal,
    /// Mean energy per session, kWh.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_energy_kwh: Option<Decimal>,
    /// Median energy per session, kWh.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub median_energy_kwh: Option<Decimal>,
    /// Share of available time with any port occupied.
    pub occupied_rate: Decimal,
    /// Capacity factor over its ports with a rated power.
    pub capacity_factor: Option<Decimal>,
    /// Local days with a session.
    pub in_use_days: u64,
}

/// Hour-of-week grids (7 rows Monday … Sunday × 24 hours, site local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Heatmaps {
    /// Mean share of ports occupied, [0, 1].
    #[serde(deserialize_with = "super::time::exact_decimals")]
    pub occupancy: HourOfWeek<Decimal>,
    /// Share of the time all ports were occupied, [0, 1].
    #[serde(deserialize_with = "super::time::exact_decimals")]
    pub congestion: HourOfWeek<Decimal>,
    /// Sessions starting in the hour.
    pub arrivals: HourOfWeek<u64>,
    /// Sessions ending in the hour.
    pub departures: HourOfWeek<u64>,
    /// Arrival rate λ(h): arrivals per available hour.
    #[serde(deserialize_with = "super::time::exact_decimals")]
    pub arrival_rate: HourOfWeek<Decimal>,
    /// Energy delivered in the hour, kWh (spread evenly over each session's charging time).
    #[serde(deserialize_with = "super::time::exact_decimals")]
    pub energy_kwh: HourOfWeek<Decimal>,
    /// Available hours of the period falling on each hour of the week.
    #[serde(deserialize_with = "super::time::exact_decimals")]
    pub available_h: HourOfWeek<Decimal>,
}

/// A busy hour of the week (the weekday is `DayOfWeek` in Kotlin and Swift).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PeakHour {
    /// Weekday.
    pub weekday: Weekday,
    /// Local hour, 0–23.
    pub hour: u32,
    /// Mean share of ports occupied.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub occupancy: Decimal,
    /// Sessions starting in the hour.
    pub arrivals: u64,
}

/// Overstay (idle after full beyond the grace period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OverstayStats {
    /// The grace period, s.
    pub grace_s: i64,
    /// Sessions with overstay.
    pub sessions: u64,
    /// Their share of the sessions used.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub share: Decimal,
    /// Σ overstay beyond grace, s.
    pub total_s: i64,
    /// Users with at least `repeat_overstays` overstays, most first.
    pub repeat_overstayers: Vec<Overstayer>,
}

/// A (pseudonymous) user who overstays repeatedly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Overstayer {
    /// The user id as given (pseudonymous).
    pub user_id: String,
    /// Sessions of the user.
    pub sessions: u64,
    /// Sessions with overstay.
    pub overstays: u64,
    /// overstays ÷ sessions.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub share: Decimal,
    /// Σ overstay beyond grace, s.
    pub overstay_s: i64,
}

/// Demand indicators for expansion decisions (§3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DemandIndicators {
    /// Attempts: sessions used.
    pub attempts: u64,
    /// Successful sessions (§4).
    pub successes: u64,
    /// successes ÷ attempts.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub success_rate: Option<Decimal>,
    /// Failed attempts no longer than the turn-away dwell: drivers who left without charging.
    pub turn_aways: u64,
    /// turn-aways ÷ attempts.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub turn_away_rate: Option<Decimal>,
    /// Sessions starting within the quick-turnover window after another ended on the same
    /// port: a proxy for drivers waiting.
    pub quick_turnovers: u64,
    /// quick turnovers ÷ sessions used.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub quick_turnover_share: Option<Decimal>,
    /// Available time with all ports occupied, s.
    pub congestion_s: i64,
    /// Most sessions at the same time.
    pub peak_concurrent_sessions: u32,
    /// Most ports occupied at the same time.
    pub peak_busy_ports: u32,
    /// Number of ports.
    pub ports: u32,
}

/// Off-peak shift estimate: energy charged in the peak window and how much of it could move
/// to off-peak hours within the same dwell (no session lengthened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OffPeakShift {
    /// The peak window.
    pub window: TouWindow,
    /// Energy delivered, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_energy_kwh: Decimal,
    /// Energy charged in the peak window, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub peak_energy_kwh: Decimal,
    /// peak ÷ total.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub peak_share: Option<Decimal>,
    /// Peak energy that fits in the same sessions' off-peak idle time, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub shiftable_kwh: Decimal,
    /// shiftable ÷ peak: the load a price difference would need to move, at most.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub shiftable_share: Option<Decimal>,
    /// Sessions charging in the peak window.
    pub sessions_in_peak: u64,
    /// Of those, sessions whose whole peak charging could move.
    pub flexible_sessions: u64,
    /// Price difference × shiftable energy, when a price difference is given.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub value_at_price_delta: Option<Decimal>,
}

/// A fleet's summary and each of its sites' ([`summarize_fleet`](super::summarize_fleet)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetReport {
    /// What adds up across the sites.
    pub fleet: FleetSummary,
    /// Each site's exact summary, ordered by site id (the unnamed site first).
    pub sites: Vec<SiteSummary>,
}

/// A fleet of sites over one period: what adds up across sites, in a size that does not
/// grow with the sessions or the sites (built by [`FleetPartial`](super::FleetPartial)).
/// Medians, unique users, repeat overstayers and occupancy heatmaps need a site's sessions
/// together: they are in each site's [`SiteSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetSummary {
    /// The IANA time zone of local bucketing (every site's).
    pub tz: String,
    /// The reporting period (every site's).
    pub period: Period,
    /// Sites summarised (sessions without a site id form one unnamed site).
    pub sites: u64,
    /// Stations, over all sites.
    pub stations: u64,
    /// Ports, over all sites.
    pub ports: u64,
    /// Session counts.
    pub counts: FleetCounts,
    /// Validation flags found, with their counts (duplicate ids counted within each site).
    pub flags: Vec<FlagCount>,
    /// Energy of the sessions used, kWh.
    pub energy: FleetEnergy,
    /// Mean durations of the sessions used, seconds.
    pub durations: FleetDurations,
    /// Port time over the period, seconds.
    pub time: FleetTime,
    /// Hour-of-week grids, each site in its local time.
    pub heatmaps: FleetHeatmaps,
    /// Attempts, successes, turn-aways and overstays.
    pub demand: FleetDemand,
    /// How much charging load a time-of-use price difference could move.
    pub off_peak: OffPeakShift,
}

/// Session counts of a fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetCounts {
    /// Sessions given.
    pub sessions_seen: u64,
    /// Sessions used by the metrics.
    pub sessions_used: u64,
    /// Sessions left out by the filter.
    pub sessions_excluded: u64,
    /// Outliers dropped by `OutlierPolicy::Drop`.
    pub outliers_dropped: u64,
    /// Sessions used per day of the period, over the fleet.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub sessions_per_day: Decimal,
    /// Σ over sites of the local days with a session.
    pub site_days_in_use: u64,
    /// Stations without any session.
    pub stations_without_use: u64,
}

/// Energy of a fleet, kWh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetEnergy {
    /// Energy of all sessions used.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_kwh: Decimal,
    /// Mean per session (flagged outliers left out by default).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_kwh: Option<Decimal>,
}

/// Mean durations of a fleet's sessions, seconds (flagged outliers left out by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetDurations {
    /// Mean dwell.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_dwell_s: Option<Decimal>,
    /// Mean charging.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_charging_s: Option<Decimal>,
    /// Mean idle.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub mean_idle_s: Option<Decimal>,
}

/// Port time of a fleet over the period, seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetTime {
    /// Σ over ports of their available time.
    pub port_available_s: i64,
    /// Σ over ports of their occupied available time (each port's union of sessions).
    pub port_busy_s: i64,
    /// `port_busy_s ÷ port_available_s`: the fleet's per-port Occupied Utilisation Rate.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub occupied_rate: Decimal,
    /// Σ session durations.
    pub occupied_s: i64,
    /// Σ charging durations.
    pub charging_s: i64,
    /// occupied − charging.
    pub idle_s: i64,
    /// Σ over sites of the available time with all their ports occupied.
    pub congestion_s: i64,
}

/// Hour-of-week grids of a fleet (7 rows Monday … Sunday × 24 hours, each site's local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetHeatmaps {
    /// Sessions starting in the hour.
    pub arrivals: HourOfWeek<u64>,
    /// Sessions ending in the hour.
    pub departures: HourOfWeek<u64>,
    /// Energy delivered in the hour, kWh.
    pub energy_kwh: HourOfWeek<Decimal>,
}

/// Demand indicators of a fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FleetDemand {
    /// Attempts: sessions used.
    pub attempts: u64,
    /// Successful sessions.
    pub successes: u64,
    /// successes ÷ attempts.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub success_rate: Option<Decimal>,
    /// Drivers who left without charging.
    pub turn_aways: u64,
    /// turn-aways ÷ attempts.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub turn_away_rate: Option<Decimal>,
    /// Sessions starting soon after another ended on the same port.
    pub quick_turnovers: u64,
    /// Sessions with overstay.
    pub overstays: u64,
    /// Σ overstay beyond the grace period, s.
    pub overstay_s: i64,
    /// overstays ÷ attempts.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub overstay_share: Decimal,
}
