//! Behaviour analytics: `SessionRecord` (from an OCPP `Session`, an operator CSV export or
//! built by hand), `summarize` into a `SiteSummary` with its hour-of-week heatmaps, and the
//! per-session derived fields.
//!
//! Options cross as core's `SummaryOptions` JSON (snake_case); the `tz` argument (IANA)
//! overrides the options' zone.

use std::sync::Arc;

use chargekit::analytics::import::{
    import_csv as core_import_csv, CsvShape, ImportOptions, ImportReport, RowIssue,
};
use chargekit::analytics::{
    analyse_sessions, summarize as core_summarize, Counts, DemandIndicators, DurationStats,
    EndedBy, EnergyStats, Fees, Flag, FlagCount as CoreFlagCount, Heatmaps as CoreHeatmaps,
    HourOfWeek, OffPeakShift, OverstayStats, Overstayer, PeakHour as CorePeakHour, PortSummary,
    SessionRecord as CoreRecord, SiteSummary as CoreSummary, StationSummary, SummaryOptions,
    TimeTotals, TouWindow, Utilisation,
};
use chargekit::billing::parse_timezone;
use chargekit::tariff::DayOfWeek;
use chargekit::units::{Energy, Power};

use crate::error::{guarded, ChargekitError};
use crate::session::Session;
use crate::types::{ExactDecimal, UtcInstant};

/// The options JSON (null: the defaults) with the site's zone set to `tz`.
pub(crate) fn summary_options(
    tz: &str,
    json: Option<String>,
) -> Result<SummaryOptions, ChargekitError> {
    let mut options = match json {
        Some(text) => guarded(|| SummaryOptions::from_json(&text))?,
        None => SummaryOptions::default(),
    };
    options.tz = guarded(|| parse_timezone(tz))?;
    Ok(options)
}

// ---------------------------------------------------------------- mirrors

/// Who or what ended a session, normalised from OCPP and operator stop reasons.
#[uniffi::remote(Enum)]
pub enum EndedBy {
    /// The vehicle stopped taking energy.
    Ev,
    /// The driver: unplugged, stopped locally or from the app.
    Driver,
    /// A configured limit: energy, time or credit.
    Limit,
    /// The operator or the back office.
    Operator,
    /// A fault stop.
    Fault,
    /// Any other reason.
    Other,
}

/// Fees charged for a session, in the operator's currency.
#[uniffi::remote(Record)]
pub struct Fees {
    /// Total fee charged.
    #[uniffi(default)]
    pub total: Option<ExactDecimal>,
    /// The energy part.
    #[uniffi(default)]
    pub energy: Option<ExactDecimal>,
    /// A flat session fee.
    #[uniffi(default)]
    pub session: Option<ExactDecimal>,
    /// The time part (including idle fees).
    #[uniffi(default)]
    pub time: Option<ExactDecimal>,
}

/// A validation flag of a session; `flagName` gives its stable name (e.g. `low_energy`).
#[uniffi::remote(Enum)]
pub enum Flag {
    /// Session or charging duration below the minimum.
    ShortDuration,
    /// Session longer than the maximum.
    LongSession,
    /// Charging longer than the maximum.
    LongCharging,
    /// Energy below the minimum.
    LowEnergy,
    /// Energy above the maximum.
    HighEnergy,
    /// The source's charging time exceeds the session duration.
    ChargingExceedsSession,
    /// Average power above the tolerance × rated power.
    PowerAboveRated,
    /// Rated power outside the AC or DC range.
    RatedPowerOutOfRange,
    /// Another session has the same id.
    DuplicateId,
    /// Zero-length session.
    ZeroDuration,
    /// Plug-out before plug-in.
    EndBeforeStart,
    /// No energy although the record claims energy flowed.
    ZeroEnergyClaimed,
    /// A date outside the reporting period.
    OutsidePeriod,
    /// The station or port is not declared in the site options.
    UnregisteredPort,
}

/// A day of the week.
#[uniffi::remote(Enum)]
pub enum DayOfWeek {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

/// The column layout of an operator CSV export.
#[uniffi::remote(Enum)]
pub enum CsvShape {
    /// Caltech ACN-Data sessions.
    AcnData,
    /// ChargePoint "Session Details" (Palo Alto, Boulder).
    ChargePoint,
    /// Dundee City Council.
    Dundee,
}

/// Session and usage counts.
#[uniffi::remote(Record)]
pub struct Counts {
    /// Sessions given.
    pub sessions_seen: u64,
    /// Sessions used by the metrics.
    pub sessions_used: u64,
    /// Sessions left out by the filter.
    pub sessions_excluded: u64,
    /// Outliers dropped.
    pub outliers_dropped: u64,
    /// Sessions used per day of the period.
    pub sessions_per_day: ExactDecimal,
    /// Sessions used per week of the period.
    pub sessions_per_week: ExactDecimal,
    /// Local days with at least one session.
    pub in_use_days: u64,
    /// Distinct user ids.
    pub unique_users: u64,
    /// Stations without any session.
    pub stations_without_use: Vec<String>,
}

/// Energy per session, kWh.
#[uniffi::remote(Record)]
pub struct EnergyStats {
    /// Energy of all sessions used.
    pub total_kwh: ExactDecimal,
    /// Mean per session.
    pub mean_kwh: Option<ExactDecimal>,
    /// Median per session.
    pub median_kwh: Option<ExactDecimal>,
}

/// Mean and median durations, seconds.
#[uniffi::remote(Record)]
pub struct DurationStats {
    /// Mean dwell.
    pub mean_dwell_s: Option<ExactDecimal>,
    /// Median dwell.
    pub median_dwell_s: Option<ExactDecimal>,
    /// Mean charging.
    pub mean_charging_s: Option<ExactDecimal>,
    /// Median charging.
    pub median_charging_s: Option<ExactDecimal>,
    /// Mean idle.
    pub mean_idle_s: Option<ExactDecimal>,
    /// Median idle.
    pub median_idle_s: Option<ExactDecimal>,
}

/// Time totals over the period, seconds.
#[uniffi::remote(Record)]
pub struct TimeTotals {
    /// Available time of one port.
    pub available_s: i64,
    /// Σ session durations.
    pub occupied_s: i64,
    /// Σ charging durations.
    pub charging_s: i64,
    /// occupied − charging.
    pub idle_s: i64,
    /// Available time during which all ports were occupied.
    pub congestion_s: i64,
}

/// Rates in [0, 1].
#[uniffi::remote(Record)]
pub struct Utilisation {
    /// Occupied Utilisation Rate.
    pub occupied: ExactDecimal,
    /// Station Utilisation Rate (charging).
    pub charging: ExactDecimal,
    /// Idle Utilisation Rate.
    pub idle: ExactDecimal,
    /// Energy ÷ (rated power × available hours).
    pub capacity_factor: Option<ExactDecimal>,
    /// Site Congestion Rate.
    pub congestion: ExactDecimal,
}

/// One port over the period.
#[uniffi::remote(Record)]
pub struct PortSummary {
    /// Station.
    pub station_id: String,
    /// Port.
    pub port_id: String,
    /// Rated power, kW, when known.
    pub rated_kw: Option<ExactDecimal>,
    /// Sessions used.
    pub sessions: u64,
    /// Energy, kWh.
    pub energy_kwh: ExactDecimal,
    /// Mean energy per session, kWh.
    pub mean_energy_kwh: Option<ExactDecimal>,
    /// Median energy per session, kWh.
    pub median_energy_kwh: Option<ExactDecimal>,
    /// Σ session durations, s.
    pub occupied_s: i64,
    /// Σ charging durations, s.
    pub charging_s: i64,
    /// Occupied available time, s.
    pub busy_s: i64,
    /// Occupied Utilisation Rate.
    pub occupied_rate: ExactDecimal,
    /// Station Utilisation Rate (charging).
    pub charging_rate: ExactDecimal,
    /// Idle Utilisation Rate.
    pub idle_rate: ExactDecimal,
    /// Capacity factor, when the rated power is known.
    pub capacity_factor: Option<ExactDecimal>,
    /// Local days with a session.
    pub in_use_days: u64,
    /// Quick turnovers.
    pub quick_turnovers: u64,
    /// Sessions with overstay.
    pub overstays: u64,
}

/// One station over the period.
#[uniffi::remote(Record)]
pub struct StationSummary {
    /// Station.
    pub station_id: String,
    /// Number of ports.
    pub ports: u32,
    /// Sessions used.
    pub sessions: u64,
    /// Energy, kWh.
    pub energy_kwh: ExactDecimal,
    /// Mean energy per session, kWh.
    pub mean_energy_kwh: Option<ExactDecimal>,
    /// Median energy per session, kWh.
    pub median_energy_kwh: Option<ExactDecimal>,
    /// Share of available time with any port occupied.
    pub occupied_rate: ExactDecimal,
    /// Capacity factor over its ports with a rated power.
    pub capacity_factor: Option<ExactDecimal>,
    /// Local days with a session.
    pub in_use_days: u64,
}

/// A (pseudonymous) user who overstays repeatedly.
#[uniffi::remote(Record)]
pub struct Overstayer {
    /// The user id as given.
    pub user_id: String,
    /// Sessions of the user.
    pub sessions: u64,
    /// Sessions with overstay.
    pub overstays: u64,
    /// overstays ÷ sessions.
    pub share: ExactDecimal,
    /// Σ overstay beyond grace, s.
    pub overstay_s: i64,
}

/// Overstay (idle after full beyond the grace period).
#[uniffi::remote(Record)]
pub struct OverstayStats {
    /// The grace period, s.
    pub grace_s: i64,
    /// Sessions with overstay.
    pub sessions: u64,
    /// Their share of the sessions used.
    pub share: ExactDecimal,
    /// Σ overstay beyond grace, s.
    pub total_s: i64,
    /// Users with at least `repeat_overstays` overstays, most first.
    pub repeat_overstayers: Vec<Overstayer>,
}

/// Demand indicators for expansion decisions.
#[uniffi::remote(Record)]
pub struct DemandIndicators {
    /// Attempts: sessions used.
    pub attempts: u64,
    /// Successful sessions.
    pub successes: u64,
    /// successes ÷ attempts.
    pub success_rate: Option<ExactDecimal>,
    /// Drivers who left without charging.
    pub turn_aways: u64,
    /// turn-aways ÷ attempts.
    pub turn_away_rate: Option<ExactDecimal>,
    /// Quick turnovers: a proxy for drivers waiting.
    pub quick_turnovers: u64,
    /// quick turnovers ÷ sessions used.
    pub quick_turnover_share: Option<ExactDecimal>,
    /// Available time with all ports occupied, s.
    pub congestion_s: i64,
    /// Most sessions at the same time.
    pub peak_concurrent_sessions: u32,
    /// Most ports occupied at the same time.
    pub peak_busy_ports: u32,
    /// Number of ports.
    pub ports: u32,
}

/// A time-of-use peak window in local hours.
#[uniffi::remote(Record)]
pub struct TouWindow {
    /// First peak hour (0–23).
    pub start_hour: u8,
    /// First hour after the peak (0–24).
    pub end_hour: u8,
    /// Only Monday–Friday are peak.
    pub weekdays_only: bool,
}

/// Off-peak shift estimate.
#[uniffi::remote(Record)]
pub struct OffPeakShift {
    /// The peak window.
    pub window: TouWindow,
    /// Energy delivered, kWh.
    pub total_energy_kwh: ExactDecimal,
    /// Energy charged in the peak window, kWh.
    pub peak_energy_kwh: ExactDecimal,
    /// peak ÷ total.
    pub peak_share: Option<ExactDecimal>,
    /// Peak energy that fits in the same sessions' off-peak idle time, kWh.
    pub shiftable_kwh: ExactDecimal,
    /// shiftable ÷ peak.
    pub shiftable_share: Option<ExactDecimal>,
    /// Sessions charging in the peak window.
    pub sessions_in_peak: u64,
    /// Of those, sessions whose whole peak charging could move.
    pub flexible_sessions: u64,
    /// Price difference × shiftable energy.
    pub value_at_price_delta: Option<ExactDecimal>,
}

// ---------------------------------------------------------------- SessionRecord

/// One charging session for analytics, whatever its source. Only the identity, plug-in,
/// plug-out and energy are required; every other field refines a derived value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionRecord {
    /// Identifier, unique within the data provider.
    pub session_id: String,
    /// The station (charge point).
    pub station_id: String,
    /// The port (EVSE or connector) on the station.
    pub port_id: String,
    /// Connection start.
    pub plug_in: UtcInstant,
    /// Connection end.
    pub plug_out: UtcInstant,
    /// Energy delivered, Wh.
    pub energy_wh: ExactDecimal,
    /// Site or location.
    #[uniffi(default)]
    pub site_id: Option<String>,
    /// Pseudonymous user id.
    #[uniffi(default)]
    pub user_id: Option<String>,
    /// Transaction start, when it differs from plug-in.
    #[uniffi(default)]
    pub tx_start: Option<UtcInstant>,
    /// Transaction end.
    #[uniffi(default)]
    pub tx_end: Option<UtcInstant>,
    /// When energy started to flow.
    #[uniffi(default)]
    pub charge_start: Option<UtcInstant>,
    /// The last energy increase.
    #[uniffi(default)]
    pub charge_end: Option<UtcInstant>,
    /// Seconds energy flowed, when the source says so.
    #[uniffi(default)]
    pub charging_s: Option<i64>,
    /// Seconds the station throttled the session.
    #[uniffi(default)]
    pub throttled_s: Option<i64>,
    /// Highest power seen, W.
    #[uniffi(default)]
    pub peak_power_w: Option<ExactDecimal>,
    /// Rated power of the port, W.
    #[uniffi(default)]
    pub rated_power_w: Option<ExactDecimal>,
    /// State of charge at the start, percent.
    #[uniffi(default)]
    pub soc_start: Option<ExactDecimal>,
    /// State of charge at the end, percent.
    #[uniffi(default)]
    pub soc_end: Option<ExactDecimal>,
    /// Normalised stop reason.
    #[uniffi(default)]
    pub ended_by: Option<EndedBy>,
    /// The stop reason as the source wrote it.
    #[uniffi(default)]
    pub stop_reason: Option<String>,
    /// Error codes reported during the session.
    #[uniffi(default)]
    pub error_codes: Vec<String>,
    /// Fees charged.
    #[uniffi(default)]
    pub fees: Option<Fees>,
    /// How the driver paid.
    #[uniffi(default)]
    pub payment_type: Option<String>,
}

impl From<CoreRecord> for SessionRecord {
    fn from(r: CoreRecord) -> Self {
        Self {
            session_id: r.session_id,
            station_id: r.station_id,
            port_id: r.port_id,
            plug_in: r.plug_in,
            plug_out: r.plug_out,
            energy_wh: r.energy.wh(),
            site_id: r.site_id,
            user_id: r.user_id,
            tx_start: r.tx_start,
            tx_end: r.tx_end,
            charge_start: r.charge_start,
            charge_end: r.charge_end,
            charging_s: r.charging_s,
            throttled_s: r.throttled_s,
            peak_power_w: r.peak_power.map(Power::w),
            rated_power_w: r.rated_power.map(Power::w),
            soc_start: r.soc_start,
            soc_end: r.soc_end,
            ended_by: r.ended_by,
            stop_reason: r.stop_reason,
            error_codes: r.error_codes,
            fees: r.fees,
            payment_type: r.payment_type,
        }
    }
}

impl From<SessionRecord> for CoreRecord {
    fn from(r: SessionRecord) -> Self {
        let mut c = CoreRecord::new(
            r.session_id,
            r.station_id,
            r.port_id,
            r.plug_in,
            r.plug_out,
            Energy::from_wh(r.energy_wh),
        );
        c.site_id = r.site_id;
        c.user_id = r.user_id;
        c.tx_start = r.tx_start;
        c.tx_end = r.tx_end;
        c.charge_start = r.charge_start;
        c.charge_end = r.charge_end;
        c.charging_s = r.charging_s;
        c.throttled_s = r.throttled_s;
        c.peak_power = r.peak_power_w.map(Power::from_w);
        c.rated_power = r.rated_power_w.map(Power::from_w);
        c.soc_start = r.soc_start;
        c.soc_end = r.soc_end;
        c.ended_by = r.ended_by;
        c.stop_reason = r.stop_reason;
        c.error_codes = r.error_codes;
        c.fees = r.fees;
        c.payment_type = r.payment_type;
        c
    }
}

pub(crate) fn core_records(records: Vec<SessionRecord>) -> Vec<CoreRecord> {
    records.into_iter().map(CoreRecord::from).collect()
}

#[uniffi::export]
impl Session {
    /// The session as an analytics record (plug-in and plug-out are the transaction bounds;
    /// the port is the EVSE, else the connector; the user is the id token).
    pub fn to_session_record(&self) -> Result<SessionRecord, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(CoreRecord::from(self.core()))).map(SessionRecord::from)
    }
}

/// One row of a CSV export that could not be read (or was read with a remark).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvRowIssue {
    /// 1-based line of the file.
    pub line: u64,
    /// The column, when one is to blame.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<RowIssue> for CsvRowIssue {
    fn from(i: RowIssue) -> Self {
        Self {
            line: i.line,
            column: i.column,
            message: i.message,
        }
    }
}

/// The sessions read from an operator CSV export, with the rows that failed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CsvImport {
    /// The shape found (or given).
    pub shape: CsvShape,
    /// Data rows read.
    pub rows: u64,
    /// The sessions.
    pub records: Vec<SessionRecord>,
    /// Rows that could not be read.
    pub errors: Vec<CsvRowIssue>,
    /// Rows read with a remark.
    pub warnings: Vec<CsvRowIssue>,
    /// Later rows repeating a session id, dropped.
    pub duplicates_removed: u64,
}

impl From<ImportReport> for CsvImport {
    fn from(r: ImportReport) -> Self {
        Self {
            shape: r.shape,
            rows: r.rows,
            records: r.records.into_iter().map(SessionRecord::from).collect(),
            errors: r.errors.into_iter().map(CsvRowIssue::from).collect(),
            warnings: r.warnings.into_iter().map(CsvRowIssue::from).collect(),
            duplicates_removed: r.duplicates_removed,
        }
    }
}

/// Reads an operator CSV export (ACN-Data, ChargePoint, Dundee; detected unless `shape`
/// is given) whose local times are in `tz` (IANA). Rows that cannot be read are reported,
/// the others imported.
#[uniffi::export(default(shape = None, site_id = None))]
pub fn import_sessions_csv(
    csv: String,
    tz: String,
    shape: Option<CsvShape>,
    site_id: Option<String>,
) -> Result<CsvImport, ChargekitError> {
    guarded(|| {
        let mut options = ImportOptions::for_tz(parse_timezone(&tz)?);
        options.shape = shape;
        options.site_id = site_id;
        core_import_csv(&csv, &options).map_err(ChargekitError::from)
    })
    .map(CsvImport::from)
}

// ---------------------------------------------------------------- per-session analysis

/// One session's derived fields and validation flags.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionAnalysis {
    /// The session id.
    pub session_id: String,
    /// Session start under the chosen boundary.
    pub start: UtcInstant,
    /// Session end under the chosen boundary.
    pub end: UtcInstant,
    /// end − start, s.
    pub dwell_s: i64,
    /// Time energy flowed, s.
    pub charging_s: i64,
    /// Idle time under the chosen idle definition, s.
    pub idle_s: i64,
    /// Plug-out minus the last energy increase, s.
    pub idle_after_full_s: i64,
    /// Time the station throttled the session, s.
    pub idle_throttled_s: i64,
    /// Idle after full beyond the grace period, s.
    pub overstay_s: i64,
    /// Energy delivered, kWh.
    pub energy_kwh: ExactDecimal,
    /// Energy ÷ charging time, kW.
    pub avg_power_kw: Option<ExactDecimal>,
    /// Highest power (measured, else the average), kW.
    pub peak_power_kw: Option<ExactDecimal>,
    /// The session succeeded.
    pub success: bool,
    /// Validation flags.
    pub flags: Vec<Flag>,
}

/// Derived fields and validation flags per session, in input order.
#[uniffi::export(default(options_json = None))]
pub fn analyse_session_records(
    sessions: Vec<SessionRecord>,
    tz: String,
    options_json: Option<String>,
) -> Result<Vec<SessionAnalysis>, ChargekitError> {
    let options = summary_options(&tz, options_json)?;
    let records = core_records(sessions);
    guarded(|| Ok::<_, ChargekitError>(analyse_sessions(&records, &options))).map(|v| {
        v.into_iter()
            .map(|a| SessionAnalysis {
                session_id: a.session_id,
                start: a.metrics.start,
                end: a.metrics.end,
                dwell_s: a.metrics.dwell_s,
                charging_s: a.metrics.charging_s,
                idle_s: a.metrics.idle_s,
                idle_after_full_s: a.metrics.idle_after_full_s,
                idle_throttled_s: a.metrics.idle_throttled_s,
                overstay_s: a.metrics.overstay_s,
                energy_kwh: a.metrics.energy.kwh(),
                avg_power_kw: a.metrics.avg_power.map(Power::kw),
                peak_power_kw: a.metrics.peak_power.map(Power::kw),
                success: a.metrics.success,
                flags: a.flags.iter().collect(),
            })
            .collect()
    })
}

/// The stable name of a validation flag, e.g. `"low_energy"`.
#[uniffi::export]
pub fn flag_name(flag: Flag) -> String {
    flag.as_str().to_string()
}

// ---------------------------------------------------------------- SiteSummary

/// How often a validation flag occurred.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FlagCount {
    /// The flag.
    pub flag: Flag,
    /// Its stable name.
    pub name: String,
    /// True for an error (left out of the metrics by default), false for a warning.
    pub is_error: bool,
    /// Sessions carrying it.
    pub count: u64,
}

impl From<&CoreFlagCount> for FlagCount {
    fn from(f: &CoreFlagCount) -> Self {
        Self {
            flag: f.flag,
            name: f.flag.as_str().to_string(),
            is_error: f.severity == chargekit::analytics::Severity::Error,
            count: f.count,
        }
    }
}

/// Hour-of-week grids: 7 rows (Monday … Sunday) of 24 local hours.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Heatmaps {
    /// Mean share of ports occupied, [0, 1].
    pub occupancy: Vec<Vec<ExactDecimal>>,
    /// Share of the time all ports were occupied, [0, 1].
    pub congestion: Vec<Vec<ExactDecimal>>,
    /// Sessions starting in the hour.
    pub arrivals: Vec<Vec<u64>>,
    /// Sessions ending in the hour.
    pub departures: Vec<Vec<u64>>,
    /// Arrivals per available hour.
    pub arrival_rate: Vec<Vec<ExactDecimal>>,
    /// Energy delivered in the hour, kWh.
    pub energy_kwh: Vec<Vec<ExactDecimal>>,
    /// Available hours of the period falling on each hour of the week.
    pub available_h: Vec<Vec<ExactDecimal>>,
}

fn grid<T: Clone>(h: &HourOfWeek<T>) -> Vec<Vec<T>> {
    h.rows()
}

impl From<&CoreHeatmaps> for Heatmaps {
    fn from(h: &CoreHeatmaps) -> Self {
        Self {
            occupancy: grid(&h.occupancy),
            congestion: grid(&h.congestion),
            arrivals: grid(&h.arrivals),
            departures: grid(&h.departures),
            arrival_rate: grid(&h.arrival_rate),
            energy_kwh: grid(&h.energy_kwh),
            available_h: grid(&h.available_h),
        }
    }
}

/// A busy hour of the week.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PeakHour {
    /// Weekday.
    pub weekday: DayOfWeek,
    /// Local hour, 0–23.
    pub hour: u32,
    /// Mean share of ports occupied.
    pub occupancy: ExactDecimal,
    /// Sessions starting in the hour.
    pub arrivals: u64,
}

impl From<&CorePeakHour> for PeakHour {
    fn from(p: &CorePeakHour) -> Self {
        Self {
            weekday: DayOfWeek::from_chrono(p.weekday),
            hour: p.hour,
            occupancy: p.occupancy,
            arrivals: p.arrivals,
        }
    }
}

/// Everything known about a site over a period.
#[derive(Debug, uniffi::Object)]
pub struct SiteSummary(CoreSummary);

#[uniffi::export]
impl SiteSummary {
    /// Site label from the options.
    pub fn site_id(&self) -> Option<String> {
        self.0.site_id.clone()
    }

    /// The IANA time zone used for local bucketing.
    pub fn tz(&self) -> String {
        self.0.tz.clone()
    }

    /// Start of the reporting period.
    pub fn period_start(&self) -> UtcInstant {
        self.0.period.start()
    }

    /// End of the reporting period (exclusive).
    pub fn period_end(&self) -> UtcInstant {
        self.0.period.end()
    }

    /// Counts of sessions, days, users and unused equipment.
    pub fn counts(&self) -> Counts {
        self.0.counts.clone()
    }

    /// Validation flags found, with their counts.
    pub fn flags(&self) -> Vec<FlagCount> {
        self.0.flags.iter().map(FlagCount::from).collect()
    }

    /// Energy per session.
    pub fn energy(&self) -> EnergyStats {
        self.0.energy.clone()
    }

    /// Session, charging and idle durations.
    pub fn durations(&self) -> DurationStats {
        self.0.durations.clone()
    }

    /// Time totals over the period.
    pub fn time(&self) -> TimeTotals {
        self.0.time.clone()
    }

    /// Site-level rates.
    pub fn utilisation(&self) -> Utilisation {
        self.0.utilisation.clone()
    }

    /// Per port, sorted by station and port.
    pub fn ports(&self) -> Vec<PortSummary> {
        self.0.ports.clone()
    }

    /// Per station, sorted by id.
    pub fn stations(&self) -> Vec<StationSummary> {
        self.0.stations.clone()
    }

    /// Hour-of-week grids in site local time.
    pub fn heatmaps(&self) -> Heatmaps {
        Heatmaps::from(&self.0.heatmaps)
    }

    /// The busiest hours of the week, by occupancy.
    pub fn peak_hours(&self) -> Vec<PeakHour> {
        self.0.peak_hours.iter().map(PeakHour::from).collect()
    }

    /// Idle after full beyond the grace period.
    pub fn overstay(&self) -> OverstayStats {
        self.0.overstay.clone()
    }

    /// Signals for expansion decisions.
    pub fn demand(&self) -> DemandIndicators {
        self.0.demand.clone()
    }

    /// How much charging load a time-of-use price difference could move.
    pub fn off_peak(&self) -> OffPeakShift {
        self.0.off_peak.clone()
    }

    /// The summary as JSON text (heatmaps as nested lists).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}

/// Summarises the sessions of one site over a period (the options' period, else the local
/// days spanned by the plug-in times) in the site's zone `tz` (IANA). `optionsJson` is core's
/// `SummaryOptions` JSON (null: the defaults).
#[uniffi::export(default(options_json = None))]
pub fn summarize(
    sessions: Vec<SessionRecord>,
    tz: String,
    options_json: Option<String>,
) -> Result<Arc<SiteSummary>, ChargekitError> {
    let options = summary_options(&tz, options_json)?;
    let records = core_records(sessions);
    guarded(|| core_summarize(&records, &options)).map(|s| Arc::new(SiteSummary(s)))
}

/// The default summary options as core's JSON form (every field).
#[uniffi::export]
pub fn default_summary_options_json() -> String {
    SummaryOptions::default().to_json()
}
