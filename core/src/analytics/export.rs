//! Export of sessions as EV-ChART / NEVI session records (`docs/analytics-and-feedback.md`
//! §2.2; the other section numbers in this file refer to that page too).

use super::options::{IdleDefinition, SessionBoundary, SuccessEnergy};
use super::record::SessionRecord;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How durations are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationFormat {
    /// `hh:mm:ss`, hours unbounded.
    #[default]
    HhMmSs,
    /// Whole seconds.
    Seconds,
    /// Minutes with two decimals.
    Minutes,
}

/// Export choices.
///
/// ```
/// use chargekit::analytics::export::{DurationFormat, ExportOptions};
/// let o: ExportOptions = serde_json::from_str(r#"{"durations": "minutes", "tz": "America/Denver"}"#).unwrap();
/// assert_eq!(o.durations, DurationFormat::Minutes);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportOptions {
    /// Duration format.
    pub durations: DurationFormat,
    /// Write local times with their offset in this zone (default: UTC with `Z`).
    #[serde(with = "super::time::tz_name::option")]
    pub tz: Option<Tz>,
    /// Success energy for `successful_completion`.
    pub success: SuccessEnergy,
}

/// The EV-ChART columns, in order.
pub const EVCHART_COLUMNS: [&str; 21] = [
    "session_id",
    "port_id",
    "plug_start_datetime",
    "plug_end_datetime",
    "charge_start_datetime",
    "charge_end_datetime",
    "session_duration",
    "charging_duration",
    "energy_kwh",
    "peak_kw",
    "total_fee_charged",
    "energy_fee",
    "session_fee",
    "time_fee",
    "user_id",
    "successful_completion",
    "ended_by",
    "start_soc",
    "end_soc",
    "error_code",
    "payment_type",
];

/// One session as an EV-ChART record (text fields, empty when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvChartRow {
    /// Session id.
    pub session_id: String,
    /// `station_id*port_id`.
    pub port_id: String,
    /// Plug-in.
    pub plug_start_datetime: String,
    /// Plug-out.
    pub plug_end_datetime: String,
    /// Charging start.
    pub charge_start_datetime: String,
    /// Charging end.
    pub charge_end_datetime: String,
    /// Plug-in to plug-out.
    pub session_duration: String,
    /// Time energy flowed.
    pub charging_duration: String,
    /// Energy, kWh.
    pub energy_kwh: String,
    /// Peak power, kW.
    pub peak_kw: String,
    /// Total fee.
    pub total_fee_charged: String,
    /// Energy fee.
    pub energy_fee: String,
    /// Session fee.
    pub session_fee: String,
    /// Time fee.
    pub time_fee: String,
    /// User.
    pub user_id: String,
    /// `true` / `false` (§4 success).
    pub successful_completion: bool,
    /// The stop reason as given, else the normalised one.
    pub ended_by: String,
    /// SoC at start, 0–1.
    pub start_soc: String,
    /// SoC at end, 0–1.
    pub end_soc: String,
    /// Error codes, comma separated.
    pub error_code: String,
    /// Payment type.
    pub payment_type: String,
}

impl EvChartRow {
    fn cells(&self) -> [String; 21] {
        [
            self.session_id.clone(),
            self.port_id.clone(),
            self.plug_start_datetime.clone(),
            self.plug_end_datetime.clone(),
            self.charge_start_datetime.clone(),
            self.charge_end_datetime.clone(),
            self.session_duration.clone(),
            self.charging_duration.clone(),
            self.energy_kwh.clone(),
            self.peak_kw.clone(),
            self.total_fee_charged.clone(),
            self.energy_fee.clone(),
            self.session_fee.clone(),
            self.time_fee.clone(),
            self.user_id.clone(),
            self.successful_completion.to_string(),
            self.ended_by.clone(),
            self.start_soc.clone(),
            self.end_soc.clone(),
            self.error_code.clone(),
            self.payment_type.clone(),
        ]
    }
}

fn dec(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

fn duration(s: i64, f: DurationFormat) -> String {
    match f {
        DurationFormat::HhMmSs => format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60),
        DurationFormat::Seconds => s.to_string(),
        DurationFormat::Minutes => (Decimal::from(s) / Decimal::from(60))
            .round_dp(2)
            .normalize()
            .to_string(),
    }
}

fn time(t: DateTime<Utc>, tz: Option<Tz>) -> String {
    // Local time only where the calendar has room for the offset.
    match tz.filter(|_| (1..=9998).contains(&chrono::Datelike::year(&t))) {
        Some(tz) => t
            .with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        None => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// The EV-ChART record of each session.
pub fn evchart_rows(records: &[SessionRecord], options: &ExportOptions) -> Vec<EvChartRow> {
    let soc = |v: Option<Decimal>| dec(v.map(|p| (p / Decimal::ONE_HUNDRED).round_dp(4)));
    records
        .iter()
        .map(|r| {
            let m = r.metrics(
                SessionBoundary::PlugInPlugOut,
                IdleDefinition::DwellMinusCharging,
                options.success,
                0,
            );
            let charge_end = m.charge_start + chrono::Duration::seconds(m.charging_s);
            let fees = r.fees.clone().unwrap_or_default();
            EvChartRow {
                session_id: r.session_id.clone(),
                port_id: format!("{}*{}", r.station_id, r.port_id),
                plug_start_datetime: time(r.plug_in, options.tz),
                plug_end_datetime: time(r.plug_out, options.tz),
                charge_start_datetime: time(m.charge_start, options.tz),
                charge_end_datetime: time(charge_end, options.tz),
                session_duration: duration(m.dwell_s, options.durations),
                charging_duration: duration(m.charging_s, options.durations),
                energy_kwh: dec(Some(r.energy.kwh())),
                peak_kw: dec(m.peak_power.map(|p| p.kw().round_dp(3))),
                total_fee_charged: dec(fees.total),
                energy_fee: dec(fees.energy),
                session_fee: dec(fees.session),
                time_fee: dec(fees.time),
                user_id: r.user_id.clone().unwrap_or_default(),
                successful_completion: m.success,
                ended_by: r
                    .stop_reason
                    .clone()
                    .or_else(|| r.ended_by().map(|e| e.as_str().to_string()))
                    .unwrap_or_default(),
                start_soc: soc(r.soc_start),
                end_soc: soc(r.soc_end),
                error_code: r.error_codes.join(","),
                payment_type: r.payment_type.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The sessions as EV-ChART CSV text (header line first, `\n` line ends).
///
/// ```
/// use chargekit::analytics::{SessionRecord, export::{to_evchart_csv, ExportOptions}};
/// use chargekit::units::Energy;
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
/// let mut r = SessionRecord::new("S1", "CP-1", "2", t, t + chrono::Duration::minutes(95), Energy::from_kwh(Decimal::from(12)));
/// r.charging_s = Some(3600);
/// r.error_codes = vec!["E1".into(), "E2".into()];
/// let csv = to_evchart_csv(&[r], &ExportOptions::default());
/// let line = csv.lines().nth(1).unwrap();
/// assert!(line.starts_with("S1,CP-1*2,2026-03-02T08:00:00Z,2026-03-02T09:35:00Z,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,1:35:00,1:00:00,12,"));
/// assert!(line.contains(",true,") && line.contains("\"E1,E2\""));
/// ```
pub fn to_evchart_csv(records: &[SessionRecord], options: &ExportOptions) -> String {
    let mut out = EVCHART_COLUMNS.join(",");
    out.push('\n');
    for row in evchart_rows(records, options) {
        let cells: Vec<String> = row.cells().iter().map(|c| quote(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}
