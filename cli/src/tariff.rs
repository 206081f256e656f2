//! `chargekit tariff lint|explain`: OCPI tariffs (2.1.1, 2.2.1, 2.3.0) and OCPP 2.1 station
//! tariffs (`TariffType`, told by its `tariffId`).

use crate::input::read_text;
use crate::output::{print_json, print_table};
use crate::{Failure, Outcome};
use chargekit::station_tariff::StationTariff;
use chargekit::tariff::{Explanation, Language, Severity, Tariff};
use serde_json::json;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Findings on a tariff: what its author probably did not mean.
    ///
    /// Exit code 1 when any finding is a warning or an error.
    ///
    /// Example: chargekit tariff lint examples/data/tariff-tou.json
    Lint {
        /// The tariff (OCPI JSON, or an OCPP 2.1 TariffType); `-` reads standard input.
        tariff: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A tariff in plain language, for a driver.
    ///
    /// Example: chargekit tariff explain examples/data/station-tariff-ocpp21.json --lang nl
    Explain {
        /// The tariff (OCPI JSON, or an OCPP 2.1 TariffType); `-` reads standard input.
        tariff: String,
        /// Language: `en` or `nl`.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Print Markdown (one section per dimension) instead of one paragraph.
        #[arg(long)]
        markdown: bool,
    },
}

/// A tariff of either kind.
enum AnyTariff {
    Ocpi(Box<Tariff>),
    Station(Box<StationTariff>),
}

fn read(path: &str) -> Result<AnyTariff, Failure> {
    let text = read_text(path)?;
    let station =
        chargekit::json::Value::from_text(&text).is_ok_and(|v| v.get("tariffId").is_some());
    let fail = |e: chargekit::Error| Failure(format!("{path}: {e}"));
    Ok(if station {
        AnyTariff::Station(Box::new(StationTariff::from_json(&text).map_err(fail)?))
    } else {
        AnyTariff::Ocpi(Box::new(Tariff::from_json(&text).map_err(fail)?))
    })
}

pub fn run(c: Command) -> Result<Outcome, Failure> {
    match c {
        Command::Lint { tariff, json } => {
            let findings: Vec<(String, Severity, String, String)> = match read(&tariff)? {
                AnyTariff::Ocpi(t) => t
                    .lint()
                    .into_iter()
                    .map(|f| (f.rule.to_string(), f.severity, f.path, f.message))
                    .collect(),
                AnyTariff::Station(t) => t
                    .lint()
                    .into_iter()
                    .map(|f| (f.rule.to_string(), f.severity, f.path, f.message))
                    .collect(),
            };
            if json {
                let rows = findings.iter().map(|(rule, sev, path, msg)| {
                    json!({"rule": rule, "severity": sev.as_str(), "path": path, "message": msg})
                });
                print_json(&serde_json::Value::Array(rows.collect()));
            } else if findings.is_empty() {
                println!("no findings");
            } else {
                let rows = findings
                    .iter()
                    .map(|(r, s, p, m)| vec![s.to_string(), r.clone(), p.clone(), m.clone()])
                    .collect();
                print_table(&["severity", "rule", "path", "message"], rows);
            }
            let serious = findings.iter().any(|f| f.1 != Severity::Info);
            Ok(if serious {
                Outcome::Anomalies
            } else {
                Outcome::Clean
            })
        }
        Command::Explain {
            tariff,
            lang,
            markdown,
        } => {
            let lang: Language = lang
                .parse()
                .map_err(|e: String| Failure(format!("--lang: {e}")))?;
            let e: Explanation = match read(&tariff)? {
                AnyTariff::Ocpi(t) => t.explain_in(lang),
                AnyTariff::Station(t) => t.explain(lang),
            };
            println!("{}", if markdown { e.markdown } else { e.text });
            Ok(Outcome::Clean)
        }
    }
}
