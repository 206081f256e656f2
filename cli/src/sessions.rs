//! `chargekit sessions`: the sessions of OCPP logs as a table, JSON, CSV or OCPI CDRs.

use crate::input::{read_text, station_of};
use crate::output::{print_csv, print_json, print_table, Format};
use crate::{Failure, Outcome};
use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, CdrOptions, Session};
use serde_json::{json, Value};

/// Sessions from OCPP 1.6 / 2.0.1 / 2.1 logs, with their anomalies.
///
/// Each LOG is one station's frames: one JSON array, one frame per line, or envelopes
/// `{"received_at": …, "frame": […]}` per line; gzip is recognised; `-` reads standard input.
/// Exit code 1 when any session has an anomaly.
///
/// Example: chargekit sessions examples/data/site-day-ocpp16.jsonl --station CP-ALPHA
#[derive(clap::Args)]
pub struct Args {
    /// OCPP logs (`-` for standard input).
    #[arg(required = true)]
    logs: Vec<String>,
    /// The OCPP version (`1.6`, `2.0.1`, `2.1`); told from the messages when absent.
    #[arg(long = "ocpp")]
    version: Option<String>,
    /// The station id (default: the file name up to its first dot).
    #[arg(long)]
    station: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The columns of a session row.
pub const COLUMNS: [&str; 10] = [
    "station",
    "transaction",
    "version",
    "start",
    "end",
    "state",
    "energy_wh",
    "export_wh",
    "charging_s",
    "anomalies",
];

fn row(s: &Session) -> Vec<String> {
    vec![
        s.station_id.clone(),
        s.key.to_string(),
        s.version.to_string(),
        s.start.to_rfc3339(),
        s.end.map(|e| e.to_rfc3339()).unwrap_or_default(),
        s.state().as_str().to_string(),
        s.energy_wh.to_string(),
        s.energy_export_wh.to_string(),
        s.charging_s.to_string(),
        s.anomaly_kinds()
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    ]
}

/// A decimal as an exact JSON number.
fn num(d: rust_decimal::Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

fn summary(s: &Session) -> Value {
    json!({
        "station_id": s.station_id, "transaction_id": s.key.to_string(),
        "version": s.version.to_string(), "start": s.start, "end": s.end,
        "state": s.state().as_str(), "energy_wh": num(s.energy_wh),
        "energy_export_wh": num(s.energy_export_wh), "energy_net_wh": num(s.energy_net_wh), "charging_s": s.charging_s, "idle_s": s.idle_s,
        "anomalies": s.anomalies.iter().map(|a| json!({
            "kind": a.kind.as_str(), "at": a.at, "message_id": a.message_id, "detail": a.detail,
        })).collect::<Vec<_>>(),
    })
}

/// The sessions of every log, in order; an unreadable log names its file.
pub fn read_sessions(
    logs: &[String],
    version: Option<&str>,
    station: Option<&str>,
) -> Result<Vec<Session>, Failure> {
    let version: Option<OcppVersion> = version
        .map(str::parse)
        .transpose()
        .map_err(|e| Failure(format!("--ocpp: {e}")))?;
    let mut out = Vec::new();
    for path in logs {
        let text = read_text(path)?;
        let station = station.map_or_else(|| station_of(path), str::to_string);
        let sessions = sessions_from_log(&station, &text, version, &MeterPolicy::default())
            .map_err(|e| Failure(format!("{path}: {e}")))?;
        out.extend(sessions);
    }
    Ok(out)
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let sessions = read_sessions(&a.logs, a.version.as_deref(), a.station.as_deref())?;
    match a.format {
        Format::Table => print_table(&COLUMNS, sessions.iter().map(row).collect()),
        Format::Csv => print_csv(&COLUMNS, sessions.iter().map(row).collect())?,
        Format::Json => print_json(&Value::Array(sessions.iter().map(summary).collect())),
        Format::Cdr => {
            let cdrs = sessions
                .iter()
                .map(|s| s.to_ocpi_cdr(&CdrOptions::default()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Failure(format!("CDR: {e}")))?;
            print_json(&Value::Array(cdrs))
        }
    }
    Ok(if sessions.iter().any(|s| !s.anomalies.is_empty()) {
        Outcome::Anomalies
    } else {
        Outcome::Clean
    })
}
