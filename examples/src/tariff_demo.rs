//! Demo: price the bundled day of sessions with a time-of-use tariff (with a chargekit idle
//! fee), explain and lint the tariff, and print a receipt.
//!
//! Run with `cargo run -p chargekit-examples --bin tariff_demo`.

use chargekit::billing::{parse_timezone, price_session, Invoice, PricingPolicy};
use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::sessions_from_log;
use chargekit::tariff::Tariff;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let run = || -> Result<(), String> {
        let text =
            std::fs::read_to_string(data.join("tariff-tou.json")).map_err(|e| e.to_string())?;
        let tariff = Tariff::from_json(&text).map_err(|e| e.to_string())?;
        println!("Tariff {}:\n  {}\n", tariff.id, tariff.explain().text);
        for f in tariff.lint() {
            println!("  lint {} ({}): {}", f.rule, f.severity, f.message);
        }
        let tz = parse_timezone("Europe/Amsterdam").map_err(|e| e.to_string())?;
        let log = std::fs::read_to_string(data.join("site-day-ocpp16.jsonl"))
            .map_err(|e| e.to_string())?;
        let sessions = sessions_from_log(
            "CP-16",
            &log,
            Some(OcppVersion::V16),
            &MeterPolicy::default(),
        )
        .map_err(|e| e.to_string())?;
        let policy = PricingPolicy::default();
        let mut first = None;
        println!();
        for s in &sessions {
            let r = price_session(s, std::slice::from_ref(&tariff), tz, &policy)
                .map_err(|e| e.to_string())?;
            println!(
                "  {:<10} {:>8} kWh  {:>7} {} excl. VAT  {:>7} incl.",
                s.key.to_string(),
                r.total_energy.round_dp(3),
                r.total_cost.excl_vat,
                r.currency,
                r.total_cost
                    .incl_vat
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            );
            first.get_or_insert(r);
        }
        if let Some(r) = first {
            println!("\n{}", Invoice::from_result(&r, "DEMO-0001").to_text());
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
