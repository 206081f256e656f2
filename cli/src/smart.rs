//! `chargekit composite` and `chargekit plan`: smart charging from a shell.

use crate::input::read_text;
use crate::output::{print_json, print_table};
use crate::{Failure, Outcome};
use chargekit::planning::{plan, PlanRequest};
use chargekit::profile::{CompositeCase, ProfileVersion, StationOptions};

/// The composite schedule of a case: a station's profiles, defaults and transaction, and the
/// EVSE and window asked for.
///
/// Example: chargekit composite case.json --json
#[derive(clap::Args)]
pub struct CompositeArgs {
    /// The case (JSON: `evse_id`, `window`, `charging_rate_unit`, `defaults`, `transaction`,
    /// `station_profiles`, `evse_profiles`, `evses`); `-` reads standard input.
    case: String,
    /// Print the OCPP 2.0.1 `GetCompositeScheduleResponse` (status and schedule) instead of a
    /// table.
    #[arg(long)]
    json: bool,
}

/// A cost-optimal charging plan for a driver's need under prices and limits.
///
/// Exit code 1 when the need cannot be met before departure (the plan says by how much).
///
/// Example: chargekit plan request.json --json
#[derive(clap::Args)]
pub struct PlanArgs {
    /// The plan request (JSON, the fields of `PlanRequest`); `-` reads standard input.
    request: String,
    /// Print the whole plan (with its TxProfile) as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn composite(a: CompositeArgs) -> Result<Outcome, Failure> {
    let fail = |e: chargekit::Error| Failure(format!("{}: {e}", a.case));
    let case = CompositeCase::from_json(&read_text(&a.case)?).map_err(fail)?;
    let (station, request) = case.station(StationOptions::default()).map_err(fail)?;
    let schedule = request.run(&station).map_err(fail)?;
    if a.json {
        let text = schedule.to_ocpp_json(ProfileVersion::V201);
        print_json(&chargekit::json::Value::from_text(&text).map_err(|e| Failure(e.to_string()))?);
    } else {
        let rows = schedule
            .periods
            .iter()
            .map(|p| {
                vec![
                    p.start_period.to_string(),
                    p.limit
                        .map(|l| l.round_dp(3).normalize().to_string())
                        .unwrap_or_default(),
                    p.number_phases.map(|n| n.to_string()).unwrap_or_default(),
                    p.source.as_str().to_string(),
                ]
            })
            .collect();
        println!(
            "EVSE {} from {} for {} s, in {}",
            schedule.evse_id, schedule.schedule_start, schedule.duration, schedule.unit
        );
        print_table(&["start_s", "limit", "phases", "source"], rows);
    }
    Ok(Outcome::Clean)
}

pub fn run_plan(a: PlanArgs) -> Result<Outcome, Failure> {
    let fail = |e: chargekit::Error| Failure(format!("{}: {e}", a.request));
    let request = PlanRequest::from_json(&read_text(&a.request)?).map_err(fail)?;
    let p = plan(&request).map_err(fail)?;
    if a.json {
        println!("{}", p.to_json());
    } else {
        let rows = p
            .intervals
            .iter()
            .map(|i| {
                vec![
                    i.start.to_rfc3339(),
                    i.end.to_rfc3339(),
                    i.power_w.normalize().to_string(),
                    i.energy_wh.normalize().to_string(),
                    i.price_per_kwh.map(|x| x.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        print_table(
            &["start", "end", "power_w", "energy_wh", "price_per_kwh"],
            rows,
        );
        println!(
            "need {} Wh, planned {} Wh, shortfall {} Wh, expected cost {}{}",
            p.need_wh,
            p.energy_wh,
            p.shortfall_wh,
            p.expected_cost,
            p.currency.map(|c| format!(" {c}")).unwrap_or_default()
        );
    }
    Ok(if p.feasible {
        Outcome::Clean
    } else {
        Outcome::Anomalies
    })
}
