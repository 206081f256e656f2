//! `chargekit report`: the site report (one self-contained HTML page) from session files.

use crate::input::read_text;
use crate::sessions::log_text_sessions;
use crate::{Failure, Outcome};
use chargekit::analytics::import::{import_csv, ImportOptions};
use chargekit::analytics::{summarize, Period, SessionRecord, Severity, SummaryOptions};
use chargekit::feedback::{score, Blend, Feedback, ScoreOptions};
use chargekit::json::Value;
use chargekit::report::{anomaly_counts, AnomalyCount, ReportExtras};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::path::PathBuf;

/// A site report as one self-contained HTML page (no network needed to view it): occupancy
/// and arrival heatmaps, utilisation per hour and per port, peak hours, overstay, the
/// off-peak shift estimate, reliability from feedback and the anomalies in the meter data.
///
/// SESSIONS are operator CSV exports (ACN-Data, ChargePoint, Dundee), JSON lines of session
/// records, or OCPP logs (whose meter-data anomalies the report lists); gzip is recognised.
/// Exit code 1 when the meter data has anomalies, CSV rows were dropped or sessions carry
/// error flags.
///
/// Example: chargekit report examples/data/site-sessions.jsonl --tz Europe/Berlin
/// --feedback examples/data/site-feedback.json --title "Sample site" -o report.html
#[derive(clap::Args)]
pub struct Args {
    /// Session files: `.csv`, `.jsonl` (session records or OCPP frames), OCPP logs; `-` for
    /// standard input (JSON).
    #[arg(required = true)]
    sessions: Vec<String>,
    /// Where to write the HTML (`-`: standard output).
    #[arg(short, long)]
    out: PathBuf,
    /// The site's IANA time zone: the heatmaps' local hours and the CSV files' local times.
    #[arg(long, default_value = "UTC")]
    tz: String,
    /// Summary options as JSON (ports, rated power, opening hours, …); `--tz` and the
    /// period flags override theirs.
    #[arg(long)]
    options: Option<String>,
    /// First local day of the period (default: the day of the first plug-in).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last local day of the period, included (default: the day of the last plug-in).
    #[arg(long)]
    until: Option<NaiveDate>,
    /// Driver feedback (a JSON array of feedback items) to score each location's reliability.
    #[arg(long)]
    feedback: Option<String>,
    /// The page title (default: the site id, else "Site report").
    #[arg(long)]
    title: Option<String>,
    /// The OCPP version of OCPP logs (told from the messages when absent).
    #[arg(long = "ocpp")]
    version: Option<String>,
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let tz: Tz =
        a.tz.parse()
            .map_err(|e| Failure(format!("--tz {:?}: {e}", a.tz)))?;
    let mut options = match &a.options {
        Some(path) => SummaryOptions::from_json(&read_text(path)?)
            .map_err(|e| Failure(format!("{path}: {e}")))?,
        None => SummaryOptions::default(),
    };
    options.tz = tz;
    let mut input = Input::default();
    for path in &a.sessions {
        input.read(path, tz, a.version.as_deref())?;
    }
    if input.records.is_empty() {
        return Err(Failure("no sessions in the input".into()));
    }
    if a.from.is_some() || a.until.is_some() {
        let p = period(&input.records, tz, a.from, a.until)?;
        // Sessions plugged in on other days are not this report's subject, not bad data.
        let before = input.records.len();
        input.records.retain(|r| p.contains(r.plug_in));
        eprintln!(
            "{} sessions outside the period left out",
            before - input.records.len()
        );
        options.period = Some(p);
    }
    let summary = summarize(&input.records, &options).map_err(|e| Failure(e.to_string()))?;
    let (mut scores, mut refused) = (Vec::new(), Vec::new());
    if let Some(path) = &a.feedback {
        // Screened with the default anti-abuse rules; the session records let claimed
        // session links be verified.
        let report = score(&feedback(path)?, &input.records, &feedback_options());
        for r in &report.refused {
            eprintln!(
                "{path}: feedback {} not counted: {}",
                r.feedback_id, r.message
            );
        }
        scores = report.scores;
        refused = report.refused;
    }
    let extras = ReportExtras {
        title: a.title.clone(),
        scores,
        anomalies: input.anomalies,
        refused,
    };
    let html = summary.to_html(&extras);
    if a.out.as_os_str() == "-" {
        print!("{html}");
    } else {
        std::fs::write(&a.out, html).map_err(|e| Failure(format!("{}: {e}", a.out.display())))?;
        eprintln!(
            "{}: {} sessions, {} ports",
            a.out.display(),
            summary.counts.sessions_used,
            summary.demand.ports
        );
    }
    let flagged = summary
        .flags
        .iter()
        .any(|f| f.severity == Severity::Error && f.count > 0);
    Ok(
        if !extras.anomalies.is_empty() || input.dropped_rows > 0 || flagged {
            Outcome::Anomalies
        } else {
            Outcome::Clean
        },
    )
}

/// The sessions of every input, with the meter-data anomalies of the OCPP logs among them.
#[derive(Default)]
struct Input {
    records: Vec<SessionRecord>,
    anomalies: Vec<AnomalyCount>,
    logs: Vec<chargekit::session::Session>,
    dropped_rows: usize,
}

impl Input {
    fn read(&mut self, path: &str, tz: Tz, version: Option<&str>) -> Result<(), Failure> {
        let name = path.trim_end_matches(".gz");
        if name.ends_with(".parquet") {
            return Err(Failure(format!(
                "{path}: Parquet input needs the `arrow` feature, which this build does not have"
            )));
        }
        if name.ends_with(".csv") {
            let report = import_csv(&read_text(path)?, &ImportOptions::for_tz(tz))
                .map_err(|e| Failure(format!("{path}: {e}")))?;
            for issue in &report.errors {
                let column = issue.column.as_deref().unwrap_or("-");
                eprintln!(
                    "{path} line {} column {column}: {} (row dropped)",
                    issue.line, issue.message
                );
            }
            self.dropped_rows += report.errors.len();
            self.records.extend(report.records);
            return Ok(());
        }
        let text = read_text(path)?;
        if is_ocpp(&text) {
            let sessions = log_text_sessions(path, &text, version, None)?;
            self.records
                .extend(sessions.iter().map(SessionRecord::from));
            self.logs.extend(sessions);
            self.anomalies = anomaly_counts(&self.logs);
            return Ok(());
        }
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut de = serde_json::Deserializer::from_str(line);
            let record: SessionRecord = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                Failure(format!(
                    "{path} line {}: field {}: {}",
                    i + 1,
                    e.path(),
                    e.inner()
                ))
            })?;
            self.records.push(record);
        }
        Ok(())
    }
}

/// Whether a JSON text is an OCPP log: frames (arrays) or envelopes with a frame.
fn is_ocpp(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    match Value::from_text(first) {
        Ok(Value::Object(m)) => m.contains_key("frame") || m.contains_key("message"),
        Ok(Value::Array(_)) => true,
        // A whole-file JSON array spread over lines.
        _ => first.starts_with('['),
    }
}

/// Local days `from` ..= `until` (each defaulting to the day of the first or last plug-in).
fn period(
    records: &[SessionRecord],
    tz: Tz,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<Period, Failure> {
    let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).date_naive();
    let first = from.or_else(|| records.iter().map(|r| day(r.plug_in)).min());
    let last = until.or_else(|| records.iter().map(|r| day(r.plug_in)).max());
    let (Some(first), Some(last)) = (first, last) else {
        return Err(Failure("no sessions in the input".into()));
    };
    let days = (last - first).num_days() + 1;
    let days = u32::try_from(days)
        .map_err(|_| Failure(format!("--until {last} is before --from {first}")))?;
    Period::local_days(tz, first, days).map_err(|e| Failure(format!("period: {e}")))
}

/// Scores from driver feedback alone: the sessions verify links but are not scored.
fn feedback_options() -> ScoreOptions {
    ScoreOptions {
        blend: Blend::FeedbackOnly,
        ..ScoreOptions::default()
    }
}

/// Feedback items from a JSON array; an error names the item and field.
fn feedback(path: &str) -> Result<Vec<Feedback>, Failure> {
    let items: Vec<Value> = serde_json::from_str(&read_text(path)?)
        .map_err(|e| Failure(format!("{path}: not a JSON array of feedback items: {e}")))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            Feedback::from_json(&item.to_string())
                .map_err(|e| Failure(format!("{path} item {i}: {e}")))
        })
        .collect()
}
