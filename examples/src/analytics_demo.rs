//! Demo: four weeks of synthetic sessions at a public site, summarised (utilisation,
//! occupancy heatmap, peak hours, overstay, demand, off-peak shift), with station scores
//! from telemetry and a few driver reports, and the first lines of the EV-ChART export.
//!
//! Run with `cargo run -p chargekit-examples --bin analytics-demo`.

use chargekit::analytics::export::{to_evchart_csv, ExportOptions};
use chargekit::analytics::{generate, summarize, GeneratorConfig};
use chargekit::feedback::{score, Feedback, Outcome, Problem, ScoreOptions};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let cfg = GeneratorConfig::from_json(r#"{"seed": 7, "days": 28, "stations": 3}"#)?;
    let sessions = generate(&cfg)?;
    let s = summarize(&sessions, &cfg.summary_options()?)?;
    println!(
        "{} sessions at {} ports, {} – {} ({})",
        s.counts.sessions_used,
        s.demand.ports,
        s.period.start().format("%Y-%m-%d"),
        s.period.end().format("%Y-%m-%d"),
        s.tz
    );
    let u = &s.utilisation;
    println!(
        "utilisation: occupied {}, charging {}, idle {}, capacity factor {}, congestion {}",
        u.occupied,
        u.charging,
        u.idle,
        u.capacity_factor.unwrap_or_default(),
        u.congestion
    );
    println!(
        "energy {} kWh (mean {} kWh, median {} kWh per session)",
        s.energy.total_kwh.round_dp(1),
        s.energy.mean_kwh.unwrap_or_default(),
        s.energy.median_kwh.unwrap_or_default()
    );
    println!("\noccupancy by local hour (share of ports busy, 0–9):");
    println!(
        "     {}",
        (0..24).map(|h| format!("{h:>3}")).collect::<String>()
    );
    for (day, row) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .zip(s.heatmaps.occupancy.rows())
    {
        let cells: String = row
            .iter()
            .map(|v| {
                let tenth = (*v * rust_decimal::Decimal::TEN)
                    .trunc()
                    .min(rust_decimal::Decimal::from(9));
                format!("{tenth:>3}")
            })
            .collect();
        println!("  {day} {cells}");
    }
    println!("\npeak hours:");
    for p in &s.peak_hours {
        println!(
            "  {:?} {:02}:00  occupancy {}",
            p.weekday, p.hour, p.occupancy
        );
    }
    println!(
        "\noverstay: {} sessions ({}), repeat overstayers: {}",
        s.overstay.sessions,
        s.overstay.share,
        s.overstay.repeat_overstayers.len()
    );
    let d = &s.demand;
    println!(
        "demand: success rate {}, turn-aways {}, quick turnovers {}, peak concurrency {}",
        d.success_rate.unwrap_or_default(),
        d.turn_aways,
        d.quick_turnovers,
        d.peak_concurrent_sessions
    );
    let o = &s.off_peak;
    println!(
        "off-peak shift: {} of {} kWh charged 16–21 h could move within the same dwell ({})",
        o.shiftable_kwh.round_dp(1),
        o.peak_energy_kwh.round_dp(1),
        o.shiftable_share.unwrap_or_default()
    );

    // Scores per station from telemetry, plus two broken-hardware reports on ST-2.
    let last = sessions.last().map(|r| r.plug_out).unwrap_or_default();
    let feedback: Vec<Feedback> = (0..2)
        .map(|i| {
            let mut f = Feedback::new(
                format!("F{i}"),
                last + chrono::Duration::minutes(10 * (i + 1)),
                format!("driver-{i}"),
                "ST-2",
                Outcome::Failure,
            );
            f.evse_id = Some("ST-2".into());
            f.problem = Some(Problem::BrokenHardware);
            f
        })
        .collect();
    let report = score(&feedback, &sessions, &ScoreOptions::default());
    println!("\nstation scores (0–10):");
    for sc in &report.scores {
        println!(
            "  {}  {}  (lower bound {}, effective n {})",
            sc.id,
            sc.display_score
                .map(|d| d.to_string())
                .unwrap_or_else(|| "not enough data".into()),
            sc.lower_bound.round_dp(3),
            sc.effective_n.round_dp(1)
        );
    }
    for a in &report.actions {
        println!(
            "  needs action: {} {:?} — {} reports since the last success",
            a.evse_id.as_deref().unwrap_or(&a.location_id),
            a.problem,
            a.reports
        );
    }

    println!("\nEV-ChART export (first 3 lines):");
    for line in to_evchart_csv(&sessions, &ExportOptions::default())
        .lines()
        .take(3)
    {
        println!("  {line}");
    }
    Ok(())
}
