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
    HourOfWeek, OffPeakShift, OverstayStats, PeakHour as CorePeakHour, PortSummary,
    SessionRecord as CoreRecord, SiteSummary as CoreSummary, StationSummary, SummaryOptions,
    TimeTotals, Utilisation,
};
use chargekit::billing::parse_timezone;
use chargekit::tariff::DayOfWeek;
use chargekit::units::{Energy, Power};

use crate::session::Session;
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

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
        core_import_csv(&csv, &options)
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
