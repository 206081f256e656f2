//! `chargekit verify`: OCMF signed readings checked with the meter's public key.

use crate::input::read_text;
use crate::output::print_table;
use crate::{Failure, Outcome};
use chargekit::signed::{check_records, verify, SignedInput, TimeBilling};

/// Signature verdicts per record and the transaction checks over all of them.
///
/// The file holds one signed record per line (OCMF `OCMF|{…}|{…}`, or any form chargekit
/// reads: OCPP 1.6 / 2.0.1 wrappers, Base64, hex), or is an S.A.F.E. transparency XML file
/// (`<values><value><signedData>…</signedData><publicKey>…</publicKey></value>…`), whose own
/// public keys are used unless `--key` is given. Exit code 1 when a record does not verify or
/// a transaction check fails.
///
/// Example: chargekit verify examples/data/ocmf-transaction.txt --key-file examples/data/ocmf-transaction.key
#[derive(clap::Args)]
pub struct Args {
    /// The signed records, one per line (`-` for standard input).
    records: String,
    /// The meter's public key (hex or Base64 DER).
    #[arg(long, conflicts_with = "key_file")]
    key: Option<String>,
    /// A file holding the meter's public key.
    #[arg(long)]
    key_file: Option<String>,
}

/// The signed values of an S.A.F.E. transparency XML file, each with its public key.
fn xml_values(path: &str, text: &str) -> Result<Vec<(String, Option<String>)>, Failure> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut out, mut open, mut buf) = (Vec::new(), None::<Vec<u8>>, String::new());
    loop {
        let event = reader.read_event().map_err(|e| {
            Failure(format!(
                "{path}: XML at byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                if matches!(
                    name.as_slice(),
                    b"signedData" | b"encodedData" | b"publicKey"
                ) {
                    open = Some(name);
                    buf.clear();
                }
            }
            Event::Text(t) if open.is_some() => {
                let text = t
                    .decode()
                    .map_err(|e| Failure(format!("{path}: XML text: {e}")))?;
                buf.push_str(&text);
            }
            Event::End(_) => match open.take().as_deref() {
                Some(b"publicKey") => {
                    if let Some(last) = out.last_mut() {
                        let (_, key): &mut (String, Option<String>) = last;
                        *key = Some(buf.trim().to_string());
                    }
                }
                Some(_) => out.push((buf.trim().to_string(), None)),
                None => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

pub fn run(a: Args) -> Result<Outcome, Failure> {
    let given = match (a.key, &a.key_file) {
        (Some(k), _) => Some(k),
        (None, Some(f)) => Some(read_text(f)?.trim().to_string()),
        (None, None) => None,
    };
    let text = read_text(&a.records)?;
    let values: Vec<(usize, String, Option<String>)> = if text.trim_start().starts_with('<') {
        let values = xml_values(&a.records, &text)?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, (d, k))| (i + 1, d, k))
            .collect()
    } else {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim().to_string(), None))
            .filter(|(_, l, _)| !l.is_empty())
            .collect()
    };
    if values.is_empty() {
        return Err(Failure(format!("{}: no signed values found", a.records)));
    }
    let mut inputs = Vec::new();
    let mut rows = Vec::new();
    let mut all_valid = true;
    for (n, data, own) in &values {
        let key = given.clone().or_else(|| own.clone()).ok_or_else(|| {
            Failure(format!(
                "{} value {n}: no public key (--key or --key-file)",
                a.records
            ))
        })?;
        let v = verify(data, &key).map_err(|e| Failure(format!("{} value {n}: {e}", a.records)))?;
        all_valid &= v.is_valid;
        let reason = v.reason.map(|r| r.to_string()).unwrap_or_default();
        rows.push(vec![
            n.to_string(),
            v.verdict.to_string(),
            v.algorithm.unwrap_or_default(),
            reason,
        ]);
        inputs.push(SignedInput {
            data: data.clone(),
            public_key: key,
        });
    }
    print_table(&["value", "verdict", "algorithm", "reason"], rows);
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
