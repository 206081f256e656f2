//! The `chargekit` binary run as a user runs it, on the bundled data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn chargekit() -> Command {
    Command::cargo_bin("chargekit").unwrap()
}

#[test]
fn sessions_table_lists_every_session_with_its_anomalies_and_exits_1() {
    let out = chargekit()
        .args([
            "sessions",
            &data("site-day-ocpp16.jsonl"),
            "--station",
            "CP-ALPHA",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A header and the 7 sessions of the bundled 1.6 day (examples/data/expected.json).
    assert_eq!(lines.len(), 8, "{text}");
    assert!(lines[0].starts_with("station") && lines[0].contains("anomalies"));
    let first: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(&first[..3], ["CP-ALPHA", "48213", "1.6"]);
    assert_eq!(first[6], "19758");
    assert!(lines[2].ends_with("begin_zero_placeholder"), "{}", lines[2]);
}

#[test]
fn sessions_json_of_the_v2x_example_has_both_flows_and_exits_0() {
    let out = chargekit()
        .args([
            "sessions",
            &data("v2x-session-ocpp21.jsonl"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let s = &v[0];
    assert_eq!(s["version"], "2.1");
    assert_eq!(s["station_id"], "v2x-session-ocpp21");
    assert_eq!(
        (
            s["energy_wh"].to_string(),
            s["energy_export_wh"].to_string(),
            s["energy_net_wh"].to_string()
        ),
        ("7000".into(), "3000".into(), "4000".into())
    );
}

#[test]
fn gzip_from_stdin_as_csv_and_cdrs() {
    let text = std::fs::read(data("site-day-ocpp201.jsonl")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&text).unwrap();
    let gz = gz.finish().unwrap();
    let out = chargekit()
        .args(["sessions", "-", "--station", "CP-BRAVO", "--format", "csv"])
        .write_stdin(gz)
        .assert()
        .get_output()
        .stdout
        .clone();
    let csv = String::from_utf8(out).unwrap();
    assert_eq!(
        csv.lines().count(),
        7,
        "header and the 6 sessions of the 2.0.1 day: {csv}"
    );
    assert!(csv.lines().skip(1).all(|l| l.starts_with("CP-BRAVO,")));
    let out = chargekit()
        .args([
            "sessions",
            &data("site-day-ocpp201.jsonl"),
            "--format",
            "cdr",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let cdrs: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(cdrs.as_array().unwrap().len(), 6);
    assert!(cdrs[0]["charging_periods"]
        .as_array()
        .is_some_and(|p| !p.is_empty()));
}

#[test]
fn bad_input_exits_3_naming_the_file_and_field() {
    chargekit()
        .args(["sessions", "/nonexistent/log.jsonl"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("/nonexistent/log.jsonl"));
    chargekit()
        .args(["sessions", "-"])
        .write_stdin(r#"[2,"1","MeterValues",{"connectorId":"x","meterValue":[]}]"#)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "- line 1: MeterValues: field `connectorId`",
        ));
    chargekit()
        .args(["sessions", "-"])
        .write_stdin(vec![0xffu8, 0xfe])
        .assert()
        .code(3);
    // A wrong command line is clap's exit code 2.
    chargekit()
        .args(["sessions", "--format", "xml", "x"])
        .assert()
        .code(2);
}

#[test]
fn price_a_day_of_sessions_with_html_invoices() {
    let dir = std::env::temp_dir().join(format!("chargekit-cli-invoices-{}", std::process::id()));
    let out = chargekit()
        .args([
            "price",
            "--tariff",
            &data("tariff-tou.json"),
            "--tz",
            "Europe/Berlin",
            &data("site-day-ocpp201.jsonl"),
            "--station",
            "CP-BRAVO",
            "--invoice",
            "html",
            "--out",
        ])
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(text.lines().skip(1).all(|l| l.contains(" EUR ")), "{text}");
    let invoices = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(invoices, 6);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn price_a_cdr() {
    let cdr = r#"{"id":"CDR-1","currency":"EUR","start_date_time":"2026-03-10T10:00:00Z","end_date_time":"2026-03-10T11:00:00Z",
        "cdr_location":{"country":"DEU"},"total_energy":10,"total_time":1,
        "charging_periods":[{"start_date_time":"2026-03-10T10:00:00Z","dimensions":[{"type":"ENERGY","volume":10},{"type":"TIME","volume":1}]}]}"#;
    let tariff = r#"{"country_code":"DE","party_id":"CKT","id":"T","currency":"EUR","last_updated":"2026-01-01T00:00:00Z","elements":[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}]}"#;
    let dir =
        std::env::temp_dir().join(format!("chargekit-cli-tariff-{}.json", std::process::id()));
    std::fs::write(&dir, tariff).unwrap();
    let out = chargekit()
        .args(["price", "--tariff"])
        .arg(&dir)
        .arg("-")
        .write_stdin(cdr)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    // 10 kWh × 0.30 = 3.00; no VAT stated: incl = excl.
    let text = String::from_utf8(out).unwrap();
    let row: Vec<&str> = text.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row, ["CDR-1", "EUR", "10", "3.00", "3.00"]);
    std::fs::remove_file(&dir).unwrap();
}

#[test]
fn tariff_lint_and_explain_both_kinds() {
    chargekit()
        .args([
            "tariff",
            "explain",
            &data("station-tariff-ocpp21.json"),
            "--lang",
            "nl",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Energie: €0.30 per kWh. Laadtijd: €0.01 per minuut.",
        ));
    chargekit()
        .args(["tariff", "lint", &data("tariff-tou.json")])
        .assert()
        .success()
        .stdout(predicate::str::contains("missing_fallback"));
    // A second unconditional energy price never applies: a warning, exit code 1.
    let shadowed = std::fs::read_to_string(data("station-tariff-ocpp21.json"))
        .unwrap()
        .replace(
            r#""priceKwh": 0.30}]"#,
            r#""priceKwh": 0.30}, {"priceKwh": 0.25}]"#,
        );
    chargekit()
        .args(["tariff", "lint", "-", "--json"])
        .write_stdin(shadowed)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"rule\": \"shadowed_price\""));
}

#[test]
fn every_subcommand_help_has_an_example() {
    for sub in [
        &["sessions"][..],
        &["price"],
        &["verify"],
        &["tariff", "lint"],
        &["tariff", "explain"],
        &["composite"],
        &["plan"],
        &["report"],
    ] {
        chargekit()
            .args(sub)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Example: chargekit "));
    }
}

/// The first signed value of a bundled OCMF vector file and its key (the raw element texts).
fn keba() -> (String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/vectors/ocmf/test_ocmf_keba_kcp30.xml"
    );
    let xml = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let inner = |tag: &str| {
        let open = xml.find(&format!("<{tag}")).unwrap();
        let start = open + xml[open..].find('>').unwrap() + 1;
        let end = start + xml[start..].find(&format!("</{tag}>")).unwrap();
        xml[start..end].trim().to_string()
    };
    (inner("signedData"), inner("publicKey"))
}

#[test]
fn verify_signed_records_and_a_tampered_one() {
    let (record, key) = keba();
    chargekit()
        .args(["verify", "-", "--key", &key])
        .write_stdin(format!("{record}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("1      valid"))
        .stdout(predicate::str::contains("transaction checks: all passed"));
    // One digit of the payload changed: the signature no longer verifies (exit code 1).
    let tampered = record.replacen("\"GV\":\"2.8.5\"", "\"GV\":\"2.8.6\"", 1);
    assert_ne!(tampered, record);
    chargekit()
        .args(["verify", "-", "--key", &key])
        .write_stdin(tampered)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("invalid"));
    // A key that is not a key is bad input.
    chargekit()
        .args(["verify", "-", "--key", "not-a-key"])
        .write_stdin(record)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("-"));
}

#[test]
fn composite_of_an_everest_vector_case() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/vectors/composite/cases.json"
    );
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let case = cases["cases"]["MixingCurrentAndPower_16A_1P"].to_string();
    // EVerest's expected schedule: 16 A on 1 phase, then 2070 W / 230 V / 1 phase = 9 A from 1200 s.
    let out = chargekit()
        .args(["composite", "-", "--json"])
        .write_stdin(case.clone())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let periods: Vec<(String, String)> = v["schedule"]["chargingSchedulePeriod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["startPeriod"].to_string(), p["limit"].to_string()))
        .collect();
    assert_eq!(
        periods,
        [
            ("0".to_string(), "16".to_string()),
            ("1200".into(), "9".into())
        ]
    );
    chargekit()
        .args(["composite", "-"])
        .write_stdin(case)
        .assert()
        .success()
        .stdout(predicate::str::contains("1200     9      1       profile"));
}

#[test]
fn plan_the_cheapest_hours_and_an_infeasible_need() {
    let request = |need: &str| {
        serde_json::json!({"start": "2026-03-10T22:00:00Z", "departure": "2026-03-11T02:00:00Z",
            "energy_wh": need, "ev": {"max_power_w": "10000"}, "interval_s": 3600,
            "prices": [["2026-03-10T22:00:00Z", "0.30"], ["2026-03-10T23:00:00Z", "0.10"],
                       ["2026-03-11T00:00:00Z", "0.40"], ["2026-03-11T01:00:00Z", "0.20"]]})
        .to_string()
    };
    // 15 kWh at 10 kW: the 0.10 hour full (10 kWh = 1.00) and half the 0.20 hour (5 kWh = 1.00).
    chargekit()
        .args(["plan", "-"])
        .write_stdin(request("15000"))
        .assert()
        .success()
        .stdout(predicate::str::contains("shortfall 0 Wh, expected cost 2"));
    // 50 kWh cannot be charged in 4 h at 10 kW: 10 kWh short, exit code 1.
    chargekit()
        .args(["plan", "-"])
        .write_stdin(request("50000"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("shortfall 10000 Wh"));
}

#[test]
fn a_log_read_as_a_stream_gives_the_sessions_of_the_whole_log() {
    for (file, station) in [
        ("site-day-ocpp16.jsonl", "CP-ALPHA"),
        ("site-day-ocpp201.jsonl", "CP-BRAVO"),
    ] {
        let lines = std::fs::read_to_string(data(file)).unwrap();
        let frames: Vec<&str> = lines.lines().filter(|l| !l.trim().is_empty()).collect();
        // The same frames as one JSON array over several lines, and on one line: both are
        // streamed element by element.
        let array = format!("[\n{}\n]", frames.join(",\n"));
        let one_line = format!("[{}]", frames.join(","));
        let json = |stdin: String| {
            let out = chargekit()
                .args(["sessions", "-", "--station", station, "--format", "json"])
                .write_stdin(stdin)
                .assert()
                .get_output()
                .stdout
                .clone();
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        };
        let streamed = json(lines.clone());
        assert_eq!(streamed, json(array), "{file}");
        assert_eq!(streamed, json(one_line), "{file}");
        // And the whole-log reader of the core agrees.
        let whole =
            chargekit::session::sessions_from_log(station, &lines, None, &Default::default())
                .unwrap();
        let ids: Vec<String> = whole.iter().map(|s| s.key.to_string()).collect();
        let listed: Vec<String> = streamed
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["transaction_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(listed, ids, "{file}");
        assert!(ids.len() >= 6);
    }
}

#[test]
fn a_bad_frame_inside_an_array_log_is_named_by_element_and_position() {
    let log =
        "[\n[2,\"a\",\"Heartbeat\",{}],\n[2,\"b\",\"MeterValues\",{\"connectorId\":\"one\"}]\n]";
    chargekit()
        .args(["sessions", "-", "--station", "CP"])
        .write_stdin(log)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "array element 2: MeterValues: field `connectorId`",
        ))
        .stderr(predicate::str::contains("at line 4 column 1"));
    // A truncated array is bad input too, not an empty result.
    chargekit()
        .args(["sessions", "-", "--station", "CP"])
        .write_stdin("[[2,\"a\",\"Heartbeat\",{}],")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("EOF"));
}

/// Every `chargekit …` line of the README's shell block runs as written from the repository
/// root (invoices go to a temporary folder instead of `invoices/`), and succeeds or reports
/// anomalies: never a usage error or unreadable input.
#[test]
fn every_readme_command_runs_as_written() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let section = readme.split("## From a shell").nth(1).unwrap();
    let block = section
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let out = std::env::temp_dir().join(format!("chargekit-readme-{}", std::process::id()));
    let mut ran = 0;
    for line in block.lines().filter(|l| l.starts_with("chargekit ")) {
        let command = line.split("  #").next().unwrap().trim();
        let args: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(|a| {
                if a == "invoices/" {
                    out.display().to_string()
                } else if a.ends_with(".html") {
                    out.join(a).display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let assert = chargekit().current_dir(root).args(&args).assert();
        let code = assert.get_output().status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{command}: exit {code:?}\n{:?}",
            assert.get_output()
        );
        ran += 1;
    }
    assert_eq!(ran, 9, "the README's shell block changed: update this test");
    // Six invoices and the report.
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 7);
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn verify_the_bundled_transaction_with_its_key_file() {
    chargekit()
        .args([
            "verify",
            &data("ocmf-transaction.txt"),
            "--key-file",
            &data("ocmf-transaction.key"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("transaction checks: all passed"))
        // 8.400 − 1.000 kWh.
        .stdout(predicate::str::contains(
            "energy: 7.400 kWh (billable: true)",
        ));
    chargekit()
        .args(["verify", &data("ocmf-transaction.txt")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no public key"));
}

#[test]
fn verify_a_safe_transparency_xml_file_with_its_own_keys() {
    let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/vectors/ocmf");
    let file = format!("{vectors}/OCMF_Test_Data_00.xml");
    // Two secp256k1 records of one transaction, each with its key in the file; both valid
    // (index.json of the vectors).
    chargekit()
        .args(["verify", &file])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1      valid    ECDSA-secp256k1-SHA256",
        ))
        .stdout(predicate::str::contains(
            "2      valid    ECDSA-secp256k1-SHA256",
        ))
        .stdout(predicate::str::contains("transaction checks: all passed"));
    // A given key overrides the file's: the wrong one fails the signatures (exit code 1).
    chargekit()
        .args(["verify", &file, "--key-file", &data("ocmf-transaction.key")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("invalid"));
    chargekit()
        .args(["verify", "-"])
        .write_stdin("<values><value><signedData>")
        .assert()
        .code(3);
}

/// The report written to a temporary file: its text, the exit code and standard error.
fn report(args: &[&str]) -> (String, Option<i32>, String) {
    let out = std::env::temp_dir().join(format!(
        "chargekit-report-{}-{}.html",
        std::process::id(),
        args.len()
    ));
    let assert = chargekit()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert();
    let o = assert.get_output();
    let html = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    (
        html,
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn report_of_the_sample_site_with_feedback() {
    let sessions = data("site-sessions.jsonl");
    let feedback = data("site-feedback.json");
    let (html, code, err) = report(&[
        &sessions,
        "--tz",
        "Europe/Berlin",
        "--feedback",
        &feedback,
        "--title",
        "Sample site",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("596 sessions, 6 ports"), "{err}");
    assert!(html.contains("<title>Sample site</title>"));
    assert!(html.contains("Mon 2026-03-02 to Sun 2026-03-29 (Europe/Berlin)"));
    assert_eq!(html.matches("<rect class=\"cell\"").count(), 2 * 168);
    // Three broken_hardware reports make it ST-2's most reported problem.
    assert!(html.contains("<td>ST-2</td>"));
    assert!(html.contains("<td>broken_hardware</td>"));
    // One week of it: fewer sessions, the week's dates.
    let (week, code, err) = report(&[
        &sessions,
        "--tz",
        "Europe/Berlin",
        "--from",
        "2026-03-09",
        "--until",
        "2026-03-15",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(week.contains("Mon 2026-03-09 to Sun 2026-03-15"));
    let used = |e: &str| {
        e.split(": ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap()
    };
    assert!((100..596).contains(&used(&err)), "{err}");
}

#[test]
fn report_of_ocpp_logs_lists_the_meter_anomalies_and_exits_1() {
    let out = chargekit()
        .args([
            "report",
            &data("site-day-ocpp16.jsonl"),
            &data("site-day-ocpp201.jsonl"),
            "--tz",
            "Europe/Berlin",
            "-o",
            "-",
        ])
        .assert()
        .code(1);
    let html = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<td>begin_zero_placeholder</td>"));
    assert!(html.contains("<td>missing_seq_no</td>"));
    assert!(html.contains("<b>13</b><span>sessions</span>"));
}

#[test]
fn report_of_a_csv_export_names_the_rows_it_dropped() {
    let dir = std::env::temp_dir().join(format!("chargekit-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("export.csv");
    std::fs::write(&csv, "Station Name,Start Date,Start Time Zone,End Date,End Time Zone,Total Duration (hh:mm:ss),Charging Time (hh:mm:ss),Energy (kWh),Port Number,Plug In Event Id,User ID\n\
PALO ALTO CA / HAMILTON #1,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,3:03:32,1:54:03,6.249457,2,3,3284\n\
PALO ALTO CA / HAMILTON #1,garbage,PDT,7/30/2011 9:00,PDT,1:00:00,1:00:00,5,1,5,\n").unwrap();
    let (html, code, err) = report(&[csv.to_str().unwrap(), "--tz", "America/Los_Angeles"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("line 3 column Start Date"), "{err}");
    assert!(html.contains("<b>1</b><span>sessions</span>"));
}

#[test]
fn report_input_that_cannot_be_read_exits_3_naming_it() {
    chargekit()
        .args(["report", "sessions.parquet", "-o", "-"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "sessions.parquet: Parquet input needs the `arrow` feature",
        ));
    let mut bad = tempfile();
    writeln!(bad.1, "{{\"session_id\":\"a\",\"station_id\":\"S\",\"port_id\":\"1\",\"plug_in\":\"2026-03-02T07:00:00Z\",\"plug_out\":\"2026-03-02T08:00:00Z\",\"energy\":\"1000\"}}").unwrap();
    writeln!(bad.1, "{{\"session_id\":\"b\",\"station_id\":\"S\",\"port_id\":\"1\",\"plug_in\":\"yesterday\",\"plug_out\":\"2026-03-02T08:00:00Z\",\"energy\":\"1000\"}}").unwrap();
    chargekit()
        .args(["report", bad.0.to_str().unwrap(), "-o", "-"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("line 2: field plug_in"));
    std::fs::remove_file(&bad.0).unwrap();
    chargekit()
        .args([
            "report",
            &data("site-sessions.jsonl"),
            "--from",
            "2026-03-09",
            "--until",
            "2026-03-01",
            "-o",
            "-",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("is before --from"));
}

fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!("chargekit-bad-{}.jsonl", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}
