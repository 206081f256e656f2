//! `chargekit price`: OCPI CDRs or the sessions of OCPP logs priced by an OCPI tariff.

use crate::input::read_text;
use crate::output::print_table;
use crate::sessions::read_sessions;
use crate::{Failure, Outcome};
use chargekit::billing::{price_cdr, Invoice, PriceResult, PricingPolicy};
use chargekit::boundary::pricing::price_session;
use chargekit::tariff::Tariff;
use std::path::PathBuf;

/// Totals per session (or CDR) under an OCPI tariff, optionally with invoices.
///
/// INPUT is an OCPI CDR (JSON) or an OCPP log (its sessions are priced with periods cut at
/// every price boundary, in the site's time zone `--tz`).
///
/// Example: chargekit price --tariff examples/data/tariff-tou.json --tz Europe/Berlin examples/data/site-day-ocpp201.jsonl --station CP-BRAVO
#[derive(clap::Args)]
pub struct Args {
    /// The OCPI tariff (JSON).
    #[arg(long)]
    tariff: String,
    /// The site's IANA time zone (default: the CDR's location, else UTC).
    #[arg(long)]
    tz: Option<String>,
    /// An OCPI CDR or an OCPP log (`-` for standard input).
    input: String,
    /// The OCPP version of a log (told from the messages when absent).
    #[arg(long = "ocpp")]
    version: Option<String>,
    /// The station id of a log (default: the file name up to its first dot).
    #[arg(long)]
    station: Option<String>,
    /// Write one invoice per priced session into `--out`: `text` or `html`.
    #[arg(long, value_parser = ["text", "html"], requires = "out")]
    invoice: Option<String>,
    /// The folder invoices are written to.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let tariff_text = read_text(&a.tariff)?;
    let tariff =
        Tariff::from_json(&tariff_text).map_err(|e| Failure(format!("{}: {e}", a.tariff)))?;
    let tariffs = [tariff];
    let text = read_text(&a.input)?;
    let is_cdr =
        chargekit::json::Value::from_text(&text).is_ok_and(|v| v.get("charging_periods").is_some());
    let mut priced: Vec<(String, PriceResult)> = Vec::new();
    if is_cdr {
        let r = price_cdr(&text, &tariffs, a.tz.as_deref(), &PricingPolicy::default())
            .map_err(|e| Failure(format!("{}: {e}", a.input)))?;
        let id = chargekit::json::Value::from_text(&text)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
            .unwrap_or_else(|| "cdr".into());
        priced.push((id, r));
    } else {
        let logs = [a.input.clone()];
        let tz = a.tz.as_deref().unwrap_or("UTC");
        for s in read_sessions(&logs, a.version.as_deref(), a.station.as_deref())? {
            let r = price_session(&s, &tariffs, tz, None)
                .map_err(|e| Failure(format!("{} transaction {}: {e}", a.input, s.key)))?;
            priced.push((format!("{}-{}", s.station_id, s.key), r));
        }
    }
    let rows = priced
        .iter()
        .map(|(id, r)| {
            vec![
                id.clone(),
                r.currency.to_string(),
                r.total_energy.normalize().to_string(),
                r.total_cost.excl_vat.to_string(),
                r.total_cost
                    .incl_vat
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_table(
        &["session", "currency", "energy_kwh", "excl_vat", "incl_vat"],
        rows,
    );
    if let (Some(kind), Some(dir)) = (&a.invoice, &a.out) {
        std::fs::create_dir_all(dir).map_err(|e| Failure(format!("{}: {e}", dir.display())))?;
        for (n, (id, r)) in priced.iter().enumerate() {
            let invoice = Invoice::from_result(r, &format!("{:04}", n + 1));
            let (body, ext) = match kind.as_str() {
                "html" => (invoice.to_html(), "html"),
                _ => (invoice.to_text(), "txt"),
            };
            let file: String = id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let path = dir.join(format!("{file}.{ext}"));
            std::fs::write(&path, body).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        }
    }
    Ok(Outcome::Clean)
}
