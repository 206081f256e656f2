//! Issue 16 item 5: `PricingPolicy::ocpi_kit()` against ocpi-kit 0.4 on more CDR shapes than
//! the two bench CDRs: the OCPI 2.2.1 CDRs of the ocpi-tariffs corpus
//! (`core/tests/vectors/ocpi-tariffs/v221/`, read in place): the 15 real-world CDRs that
//! chargekit's conformance runner prices, and the one that sets every field.
//!
//! ocpi-kit 0.4 ships no pricing vectors of its own (its `fixtures/` are the OCPI
//! specification's JSON examples, used for round trips), so the corpus is the input.
//!
//! Most corpus CDRs carry only what pricing reads (no `id`, a `cdr_location` with only a
//! country), which ocpi-kit's strict 2.2.1 `Cdr` model refuses. So the test builds ocpi-kit's
//! `PricedSession` from the CDR's pricing fields itself (start, end, each period's start,
//! dimensions and `tariff_id`); on the CDRs that ocpi-kit can read, it asserts that
//! `PricedSession::from_cdr_v2_2_1` gives the same session, so the reduction is ocpi-kit's.
//!
//! Every case is priced by both engines; the totals (excl. and incl. VAT) must be equal
//! except for the cases in [`DIFFER`], which must differ exactly as listed: a new, changed or
//! fixed divergence fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{price_cdr, PricingPolicy};
use chargekit::tariff::Tariff;
use chargekit_benches_peers_ocpi_kit::{kit_session, kit_tariff, Totals, TIME_ZONE};
use ocpi_kit::tariffs::{PricedPeriod, PricedSession, PricingEngine, TimeZone};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A case whose totals differ: (case, chargekit's `ocpi_kit` preset, ocpi-kit, why), totals
/// as "excl/incl".
const DIFFER: &[(&str, &str, &str, &str)] = &[
    (
        "025kwh_min_price/cdr3_credit_less_than_2kWh",
        "-0.5/-0.55",
        "0.5/0.55",
        CREDIT,
    ),
    ("credit_cdr/cdr", "-5/-5.5", "5/5.5", CREDIT),
];

/// Why the credit CDRs differ in sign only.
const CREDIT: &str = "a credit CDR (`credit: true`): chargekit states the credited totals \
    negated; ocpi-kit's PricedSession has no credit flag, so its engine prices the consumption \
    and negating is left to the caller";

/// The cases that ocpi-kit's own 2.2.1 `Cdr` model reads (the others lack required fields).
const KIT_READS: &[&str] = &["codeberg_issue_228/cdr", "step_size_energy/cdr1"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../core/tests/vectors/ocpi-tariffs/v221")
}

/// The corpus files may hold `//` comment lines (its README): they are dropped.
fn read(p: &Path) -> String {
    std::fs::read_to_string(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

struct Case {
    name: String,
    cdr: String,
    /// `tariff.json` of the case; without it both engines price with the CDR's own tariffs.
    tariff: Option<String>,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus().join("real_world"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.push(corpus().join("every_field_set"));
    dirs.sort();
    for dir in dirs {
        let mut cdrs: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("cdr") && n.ends_with(".json"))
            .collect();
        cdrs.sort();
        let tariff = dir.join("tariff.json");
        for file in cdrs {
            let parent = dir.file_name().unwrap().to_string_lossy();
            out.push(Case {
                name: format!("{parent}/{}", file.trim_end_matches(".json")),
                cdr: read(&dir.join(&file)),
                tariff: tariff.exists().then(|| read(&tariff)),
            });
        }
    }
    out
}

fn number(v: &Value) -> ocpi_kit::types::Number {
    let text = v.to_string();
    let d = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    // ocpi-kit reads JSON numbers through f64: its own reading of the same text is this
    // decimal normalised (0.0834 stays 0.0834, 30.0 becomes 30).
    d.normalize().into()
}

fn time(v: &Value) -> ocpi_kit::types::DateTime {
    v.as_str().unwrap().parse().unwrap()
}

/// ocpi-kit's pricing input, built from the CDR's pricing fields (what `from_cdr_v2_2_1`
/// reads).
fn session(cdr: &Value, zone: TimeZone) -> PricedSession {
    let mut s =
        PricedSession::new(time(&cdr["start_date_time"]), zone).ending(time(&cdr["end_date_time"]));
    for p in cdr["charging_periods"].as_array().unwrap() {
        let mut period = PricedPeriod::new(time(&p["start_date_time"]));
        period.tariff_id = p["tariff_id"].as_str().map(str::to_owned);
        for d in p["dimensions"].as_array().unwrap() {
            let volume = number(&d["volume"]);
            match d["type"].as_str().unwrap() {
                "ENERGY" => period.energy_kwh = volume,
                "TIME" => period.charging_hours = volume,
                "PARKING_TIME" => period.parking_hours = volume,
                "RESERVATION_TIME" => period.reservation_hours = volume,
                "MAX_CURRENT" => period.max_current_a = Some(volume),
                "MIN_CURRENT" => period.min_current_a = Some(volume),
                "MAX_POWER" => period.max_power_kw = Some(volume),
                "MIN_POWER" => period.min_power_kw = Some(volume),
                // Dimensions that pricing does not read (CURRENT, ENERGY_EXPORT, ...).
                _ => {}
            }
        }
        s = s.with_period(period);
    }
    s
}

fn show(t: &Totals) -> String {
    let incl = t
        .incl_vat
        .map_or("unknown".into(), |d| d.normalize().to_string());
    format!("{}/{incl}", t.excl_vat.normalize())
}

struct Outcome {
    name: String,
    chargekit: Totals,
    kit: Totals,
    kit_reads: bool,
}

fn price(case: &Case) -> Outcome {
    let cdr: Value = serde_json::from_str(&case.cdr).unwrap();
    // chargekit infers the zone from the location's country; ocpi-kit is handed it.
    let zone = match cdr["cdr_location"]["country"].as_str() {
        Some("NLD") => TIME_ZONE,
        Some("BEL") => "Europe/Brussels",
        other => panic!("{}: no zone for {other:?}", case.name),
    };
    let chargekit_tariffs: Vec<Tariff> = case
        .tariff
        .iter()
        .map(|t| Tariff::from_json(t).unwrap())
        .collect();
    let r = price_cdr(
        &case.cdr,
        &chargekit_tariffs,
        None,
        &PricingPolicy::ocpi_kit(),
    )
    .unwrap_or_else(|e| panic!("{}: chargekit: {e}", case.name));

    let kit_tariffs = match &case.tariff {
        Some(t) => vec![kit_tariff(t).unwrap()],
        None => cdr["tariffs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| kit_tariff(&t.to_string()).unwrap())
            .collect(),
    };
    let built = session(&cdr, TimeZone::named(zone).unwrap());
    let kit_reads = match kit_session(&case.cdr, TimeZone::named(zone).unwrap()) {
        Ok(own) => {
            assert_eq!(
                own, built,
                "{}: the built session is not ocpi-kit's",
                case.name
            );
            true
        }
        Err(e) => {
            println!("{}: {e}", case.name);
            false
        }
    };
    let b = PricingEngine::new()
        .price(&built, &kit_tariffs)
        .unwrap_or_else(|e| panic!("{}: ocpi-kit: {e}", case.name));
    Outcome {
        name: case.name.clone(),
        chargekit: Totals::from(&r),
        kit: Totals::from(&b),
        kit_reads,
    }
}

#[test]
fn ocpi_kit_preset_gives_ocpi_kits_totals_on_the_corpus_cdrs() {
    let outcomes: Vec<Outcome> = cases().iter().map(price).collect();
    for o in &outcomes {
        println!(
            "{}: chargekit {} | ocpi-kit {}{}",
            o.name,
            show(&o.chargekit),
            show(&o.kit),
            if o.kit_reads {
                " (ocpi-kit reads the CDR)"
            } else {
                ""
            }
        );
    }
    // 16 CDRs: the 15 real-world ones and the every-field one.
    assert_eq!(outcomes.len(), 16);
    let differ: Vec<(&str, String, String)> = outcomes
        .iter()
        .filter(|o| o.chargekit != o.kit)
        .map(|o| (o.name.as_str(), show(&o.chargekit), show(&o.kit)))
        .collect();
    let listed: Vec<(&str, String, String)> = DIFFER
        .iter()
        .map(|(n, c, k, _)| (*n, (*c).to_owned(), (*k).to_owned()))
        .collect();
    assert_eq!(
        differ, listed,
        "divergences changed: update DIFFER with the reason"
    );
    let reads: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.kit_reads)
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(reads, KIT_READS);
}
