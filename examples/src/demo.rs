//! Demo: assemble the sessions of a day at a small site from bundled OCPP 1.6 and
//! 2.0.1 logs, and print them with their anomalies.
//!
//! Run with `cargo run -p chargekit-examples --bin demo` (optionally pass log files).

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, Session};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn print_session(s: &Session) {
    println!(
        "  {:<38} {} {:>4}  {} → {}  {:>9} Wh ({})  charging {:>5} min, idle {:>4} min, peak {} W",
        s.key.to_string(),
        s.evse_id
            .map(|e| format!("EVSE {e}"))
            .unwrap_or_else(|| format!("conn {}", s.connector_id.unwrap_or(0))),
        "",
        s.start.format("%H:%M"),
        s.end
            .map(|e| e.format("%H:%M").to_string())
            .unwrap_or_else(|| "…".into()),
        s.energy_wh.normalize(),
        s.energy_method.as_str(),
        s.charging_s / 60,
        s.idle_s / 60,
        s.peak_power_w
            .map(|p| p.round_dp(0).to_string())
            .unwrap_or_else(|| "-".into()),
    );
    for a in &s.anomalies {
        println!("      ! {:<22} {}", a.kind.as_str(), a.detail);
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let logs: Vec<(String, PathBuf, Option<OcppVersion>)> = if args.is_empty() {
        vec![
            (
                "CP-ALPHA".into(),
                data_dir().join("site-day-ocpp16.jsonl"),
                Some(OcppVersion::V16),
            ),
            (
                "CP-BRAVO".into(),
                data_dir().join("site-day-ocpp201.jsonl"),
                Some(OcppVersion::V201),
            ),
        ]
    } else {
        args.iter()
            .map(|a| {
                let p = PathBuf::from(a);
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, p, None)
            })
            .collect()
    };
    for (station, path, version) in logs {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        match sessions_from_log(&station, &text, version, &MeterPolicy::default()) {
            Ok(sessions) => {
                println!("{station} ({} sessions)", sessions.len());
                for s in &sessions {
                    print_session(s);
                }
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
