//! `chargekit sessions`: the sessions of OCPP logs as a table, JSON, CSV or OCPI CDRs.

use crate::input::{open, read_text, station_of};
use crate::output::{print_csv, print_json, print_table, Format};
use crate::{Failure, Outcome};
use chargekit::json::Value;
use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, CdrOptions, Fleet, Session, SessionEventKind};
use serde::Deserializer as _;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, Read};

/// Sessions from OCPP 1.6 / 2.0.1 / 2.1 logs, with their anomalies.
///
/// Each LOG is one station's frames: one JSON array, one frame per line, or envelopes
/// `{"received_at": …, "frame": […]}` per line; gzip is recognised; `-` reads standard input.
/// Logs of any length are read frame by frame in bounded memory. Exit code 1 when any session has an anomaly.
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
    /// Logs are read as a stream (frame by frame, lines or one array): ended sessions are kept this many seconds
    /// (station time) for late frames, then their frames are dropped, so memory stays
    /// bounded on logs of any length.
    #[arg(long, default_value_t = 86_400)]
    retention_s: u64,
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
    Value::number(d.normalize())
}

/// The JSON summary of a session (keys sorted, as in any JSON tree printed).
#[derive(Serialize)]
struct Summary<'a> {
    station_id: &'a str,
    transaction_id: String,
    version: String,
    start: chrono::DateTime<chrono::Utc>,
    end: Option<chrono::DateTime<chrono::Utc>>,
    state: &'a str,
    energy_wh: Value,
    energy_export_wh: Value,
    energy_net_wh: Value,
    charging_s: i64,
    idle_s: i64,
    anomalies: Vec<AnomalySummary<'a>>,
}

/// An anomaly in a [`Summary`].
#[derive(Serialize)]
struct AnomalySummary<'a> {
    kind: &'a str,
    at: Option<chrono::DateTime<chrono::Utc>>,
    message_id: &'a Option<String>,
    detail: &'a str,
}

fn summary(s: &Session) -> Value {
    let summary = Summary {
        station_id: &s.station_id,
        transaction_id: s.key.to_string(),
        version: s.version.to_string(),
        start: s.start,
        end: s.end,
        state: s.state().as_str(),
        energy_wh: num(s.energy_wh),
        energy_export_wh: num(s.energy_export_wh),
        energy_net_wh: num(s.energy_net_wh),
        charging_s: s.charging_s,
        idle_s: s.idle_s,
        anomalies: (s.anomalies.iter())
            .map(|a| AnomalySummary {
                kind: a.kind.as_str(),
                at: a.at,
                message_id: &a.message_id,
                detail: &a.detail,
            })
            .collect(),
    };
    // Through its text: the tree sorts the keys as the summary has always been printed.
    serde_json::to_string(&summary)
        .ok()
        .and_then(|text| Value::from_text(&text).ok())
        .unwrap_or_default()
}

/// What is printed of a session, made when it is seen so that no session is held whole.
pub struct Kept {
    start: chrono::DateTime<chrono::Utc>,
    key: String,
    anomalous: bool,
    row: Vec<String>,
    json: Value,
}

fn keep(s: &Session, format: Format) -> Result<Kept, Failure> {
    let json = match format {
        Format::Json => summary(s),
        Format::Cdr => s
            .to_ocpi_cdr_json(&CdrOptions::default())
            .and_then(|text| {
                Value::from_text(&text).map_err(|e| chargekit::Error::InvalidJson {
                    line: None,
                    reason: e.to_string(),
                })
            })
            .map_err(|e| Failure(format!("CDR: {e}")))?,
        Format::Table | Format::Csv => Value::Null,
    };
    Ok(Kept {
        start: s.start,
        key: format!("{}\u{0}{}", s.station_id, s.key),
        anomalous: !s.anomalies.is_empty(),
        row: row(s),
        json,
    })
}

/// The sessions of every log, in order; an unreadable log names its file.
pub fn read_sessions(
    logs: &[String],
    version: Option<&str>,
    station: Option<&str>,
) -> Result<Vec<Session>, Failure> {
    let mut out = Vec::new();
    for path in logs {
        out.extend(log_text_sessions(
            path,
            &read_text(path)?,
            version,
            station,
        )?);
    }
    Ok(out)
}

/// The sessions of the text of one log read from `path`.
pub fn log_text_sessions(
    path: &str,
    text: &str,
    version: Option<&str>,
    station: Option<&str>,
) -> Result<Vec<Session>, Failure> {
    let version = parse_version(version)?;
    let station = station.map_or_else(|| station_of(path), str::to_string);
    sessions_from_log(&station, text, version, &MeterPolicy::default())
        .map_err(|e| Failure(format!("{path}: {e}")))
}

fn parse_version(version: Option<&str>) -> Result<Option<OcppVersion>, Failure> {
    version
        .map(str::parse)
        .transpose()
        .map_err(|e| Failure(format!("--ocpp: {e}")))
}

/// Whether a line is one whole frame or envelope: a log of such lines is read as a stream.
fn is_frame_line(line: &str) -> bool {
    match Value::from_text(line) {
        Ok(Value::Array(items)) => items.first().is_some_and(Value::is_number),
        Ok(Value::Object(m)) => m.contains_key("frame") || m.contains_key("message"),
        _ => false,
    }
}

/// Frames between two reads of the events: enough to amortise a read, few enough that
/// ended sessions leave memory soon.
const BATCH: usize = 1000;

/// The sessions of one log, read as a stream through a [`Fleet`] (events drained every
/// [`BATCH`] frames, ended sessions dropped after the retention) so that memory holds one
/// frame and the open sessions however long the log: one frame or envelope per line, or
/// one JSON array of them over any number of lines. Anything else is read whole.
fn log_sessions(a: &Args, path: &str, kept: &mut Vec<Kept>) -> Result<(), Failure> {
    let station = a.station.clone().unwrap_or_else(|| station_of(path));
    let version = parse_version(a.version.as_deref())?;
    let mut reader = open(path)?;
    let mut first = String::new();
    let mut line_no = 0usize;
    let fail = |n: usize, e: &dyn std::fmt::Display| Failure(format!("{path} line {n}: {e}"));
    while first.trim().is_empty() {
        first.clear();
        line_no += 1;
        if reader
            .read_line(&mut first)
            .map_err(|e| fail(line_no, &e))?
            == 0
        {
            return Ok(());
        }
    }
    let lines = is_frame_line(first.trim());
    if !lines && !first.trim_start().starts_with('[') {
        let mut text = first;
        reader
            .read_to_string(&mut text)
            .map_err(|e| Failure(format!("{path}: {e}")))?;
        let sessions = sessions_from_log(&station, &text, version, &MeterPolicy::default())
            .map_err(|e| Failure(format!("{path}: {e}")))?;
        for s in &sessions {
            kept.push(keep(s, a.format)?);
        }
        return Ok(());
    }
    let mut live = Live {
        fleet: Fleet::new(version, MeterPolicy::default(), a.retention_s),
        latest: BTreeMap::new(),
        fed: 0,
        format: a.format,
    };
    if lines {
        let mut line = first;
        loop {
            if !line.trim().is_empty() {
                live.feed(&station, line.trim())
                    .map_err(|Failure(e)| fail(line_no, &e))?;
            }
            line.clear();
            line_no += 1;
            if reader.read_line(&mut line).map_err(|e| fail(line_no, &e))? == 0 {
                break;
            }
        }
    } else {
        // serde_json names the line and column of a frame it cannot read or feed.
        let whole = std::io::Cursor::new(first).chain(reader);
        let mut de = serde_json::Deserializer::from_reader(whole);
        de.deserialize_seq(ArrayFrames(|frame: &str| live.feed(&station, frame)))
            .and_then(|()| de.end())
            .map_err(|e| Failure(format!("{path}: {e}")))?;
    }
    live.drain()?;
    kept.extend(live.latest.into_values());
    Ok(())
}

/// A fleet fed frame by frame, with the latest form of each session it reported.
struct Live {
    fleet: Fleet,
    latest: BTreeMap<String, Kept>,
    fed: usize,
    format: Format,
}

impl Live {
    fn feed(&mut self, station: &str, frame: &str) -> Result<(), Failure> {
        self.fleet
            .feed(station, frame)
            .map_err(|e| Failure(e.to_string()))?;
        self.fed += 1;
        if self.fed % BATCH == 0 {
            self.drain()?;
        }
        Ok(())
    }

    fn drain(&mut self) -> Result<(), Failure> {
        let events = self
            .fleet
            .drain_events()
            .map_err(|e| Failure(e.to_string()))?;
        for e in events {
            match (e.kind, &e.session) {
                (SessionEventKind::Withdrawn, _) => {
                    self.latest
                        .remove(&format!("{}\u{0}{}", e.station_id, e.transaction_id));
                }
                (_, Some(s)) => {
                    let k = keep(s, self.format)?;
                    self.latest.insert(k.key.clone(), k);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Visits a JSON array, handing each element's text to the callback as soon as it is read.
struct ArrayFrames<F>(F);

impl<'de, F: FnMut(&str) -> Result<(), Failure>> serde::de::Visitor<'de> for ArrayFrames<F> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of OCPP frames")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0usize;
        while let Some(frame) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            n += 1;
            // serde_json adds where it stopped reading: just after this element.
            (self.0)(frame.get()).map_err(|Failure(e)| {
                serde::de::Error::custom(format!("array element {n}: {e}"))
            })?;
        }
        Ok(())
    }
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let mut kept = Vec::new();
    for path in &a.logs {
        log_sessions(&a, path, &mut kept)?;
    }
    // Whole logs come in start order already; streamed ones in key order.
    kept.sort_by(|x, y| x.start.cmp(&y.start).then_with(|| x.key.cmp(&y.key)));
    let rows = || kept.iter().map(|k| k.row.clone()).collect();
    match a.format {
        Format::Table => print_table(&COLUMNS, rows()),
        Format::Csv => print_csv(&COLUMNS, rows())?,
        Format::Json | Format::Cdr => {
            print_json(&Value::Array(kept.iter().map(|k| k.json.clone()).collect()))
        }
    }
    Ok(if kept.iter().any(|k| k.anomalous) {
        Outcome::Anomalies
    } else {
        Outcome::Clean
    })
}
