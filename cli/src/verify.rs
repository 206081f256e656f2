//! `chargekit verify`: OCMF signed readings checked with the meter's public key.

use crate::input::read_text;
use crate::output::print_table;
use crate::{Failure, Outcome};
use chargekit::signed::{check_records, verify, SignedInput, TimeBilling};

/// Signature verdicts per record and the transaction checks over all of them.
///
/// The file holds one signed record per line (OCMF `OCMF|{…}|{…}`, or any form chargekit
/// reads: OCPP 1.6 / 2.0.1 wrappers, Base64, hex). Exit code 1 when a record does not verify
/// or a transaction check fails.
///
/// Example: chargekit verify examples/data/ocmf-transaction.txt --key-file examples/data/ocmf-transaction.key
#[derive(clap::Args)]
pub struct Args {
    /// The signed records, one per line (`-` for standard input).
    records: String,
    /// The meter's public key (hex or Base64 DER).
    #[arg(
        long,
        required_unless_present = "key_file",
        conflicts_with = "key_file"
    )]
    key: Option<String>,
    /// A file holding the meter's public key.
    #[arg(long)]
    key_file: Option<String>,
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let key = match (a.key, &a.key_file) {
        (Some(k), _) => k,
        (None, Some(f)) => read_text(f)?.trim().to_string(),
        (None, None) => return Err(Failure("--key or --key-file is required".into())),
    };
    let text = read_text(&a.records)?;
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut rows = Vec::new();
    let mut all_valid = true;
    for (n, line) in &lines {
        let v = verify(line, &key).map_err(|e| Failure(format!("{} line {n}: {e}", a.records)))?;
        all_valid &= v.is_valid;
        let reason = v.reason.map(|r| r.to_string()).unwrap_or_default();
        rows.push(vec![
            n.to_string(),
            v.verdict.to_string(),
            v.algorithm.unwrap_or_default(),
            reason,
        ]);
    }
    print_table(&["line", "verdict", "algorithm", "reason"], rows);
    let inputs: Vec<SignedInput> = lines
        .iter()
        .map(|(_, l)| SignedInput {
            data: l.to_string(),
            public_key: key.clone(),
        })
        .collect();
    let report = check_records(&inputs, TimeBilling::LawAccurateOnly)
        .map_err(|e| Failure(format!("{}: {e}", a.records)))?;
    println!();
    if report.passed {
        println!("transaction checks: all passed");
    } else {
        println!(
            "transaction checks failed: {}",
            report.failed_names.join(", ")
        );
    }
    if let Some(e) = &report.energy {
        println!(
            "energy: {} {} (billable: {})",
            e.value, e.unit, report.energy_billable
        );
    }
    Ok(if all_valid && report.passed {
        Outcome::Clean
    } else {
        Outcome::Anomalies
    })
}
