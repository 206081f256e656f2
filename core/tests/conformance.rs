//! Conformance runner over TandemDrive's ocpi-tariffs test corpus (copied unchanged under
//! `tests/vectors/ocpi-tariffs/`, see its NOTICE.md).
//!
//! Every real-world CDR (v221, v211) and every popular tariff's test run is priced under
//! `PricingPolicy::ocpi_tariffs()`. Each expected field either matches (within 0.0001, or
//! the run's own tolerance) or is listed in `tests/conformance/divergences.json` with the
//! named policy that explains it. The listing must equal what the run finds, so a new
//! divergence, a fixed one or a changed value fails the build. Where an entry names a
//! `verify` policy, the case must match under that policy.
//!
//! To regenerate the listing after a deliberate change: `CHARGEKIT_BLESS=1 cargo test
//! --test conformance` prints the current divergences as JSON (then add the explanations).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::billing::{price_cdr_value, price_quote, PriceResult, PricingPolicy, Quote};
use chargekit::tariff::Tariff;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ocpi-tariffs")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap();
    let cleaned: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&cleaned).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    }
}

/// One checked field: what the vector expects and what chargekit computed.
#[derive(Debug, Clone, PartialEq)]
struct Check {
    case: String,
    field: String,
    expected: String,
    computed: String,
    tolerance: Decimal,
}

impl Check {
    fn matches(&self) -> bool {
        if self.expected == self.computed {
            return true;
        }
        match (
            Decimal::from_str(&self.expected),
            Decimal::from_str(&self.computed),
        ) {
            (Ok(a), Ok(b)) => (a - b).abs() <= self.tolerance,
            _ => false,
        }
    }
}

fn show(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string())
        .unwrap_or_else(|| "null".into())
}

const EXACT: Decimal = Decimal::from_parts(1, 0, 0, false, 4);

/// Compares a CDR price object `{excl_vat, incl_vat}` (or a 2.1.1 number).
fn price_checks(
    out: &mut Vec<Check>,
    case: &str,
    field: &str,
    expected: &Value,
    computed: Option<chargekit::billing::Price>,
    tol: Decimal,
) {
    let mut push = |sub: &str, e: String, c: String| {
        out.push(Check {
            case: case.into(),
            field: format!("{field}{sub}"),
            expected: e,
            computed: c,
            tolerance: tol,
        })
    };
    match expected {
        Value::Null => push(
            "",
            "null".into(),
            computed.map_or("null".into(), |_| "priced".into()),
        ),
        Value::Object(o) => {
            if let Some(e) = o.get("excl_vat") {
                push(
                    ".excl_vat",
                    show(dec(e)),
                    show(computed.map(|c| c.excl_vat)),
                );
            }
            if let Some(e) = o.get("incl_vat") {
                push(
                    ".incl_vat",
                    show(dec(e)),
                    show(computed.and_then(|c| c.incl_vat)),
                );
            }
        }
        other => push(
            ".excl_vat",
            show(dec(other)),
            show(computed.map(|c| c.excl_vat)),
        ),
    }
}

const UPSTREAM_WARNINGS: &[&str] = &[
    "total_cost_clamped_to_min",
    "total_cost_clamped_to_max",
    "periods_state_no_time",
    "periods_outside_start_end_date_time",
    "reservation_element_skipped",
];

/// `null` in an expectation means "must not be priced": no line was priced.
fn priced_total(r: &PriceResult) -> Option<chargekit::billing::Price> {
    (!r.breakdown.lines.is_empty() || r.breakdown.clamp.is_some()).then_some(r.total_cost)
}

fn cdr_checks(case: &str, expect: &Value, r: &PriceResult, credit_stated: bool) -> Vec<Check> {
    let mut out = Vec::new();
    let fields: [(&[&str], Option<chargekit::billing::Price>); 6] = [
        (&["total_cost"], priced_total(r)),
        (&["total_energy_cost"], r.total_energy_cost),
        (&["total_fixed_cost"], r.total_fixed_cost),
        (
            &["total_time_cost", "total_charging_time_cost"],
            r.total_time_cost,
        ),
        (
            &["total_parking_cost", "total_idle_time_cost"],
            r.total_parking_cost,
        ),
        (&["total_reservation_cost"], r.total_reservation_cost),
    ];
    for (names, computed) in fields {
        for name in names {
            if let Some(e) = expect.get(*name) {
                // A credit CDR states the credited CDR's totals; only total_cost is negated.
                let _ = credit_stated;
                price_checks(&mut out, case, name, e, computed, EXACT);
            }
        }
    }
    let volumes: [(&str, Decimal); 3] = [
        ("total_time", r.total_time),
        ("total_energy", r.total_energy),
        ("total_idle_time", r.total_parking_time),
    ];
    for (name, computed) in volumes {
        if let Some(e) = expect.get(name) {
            // A volume of `null` means none was stated: chargekit reports 0.
            let expected = if e.is_null() {
                "0".into()
            } else {
                show(dec(e))
            };
            out.push(Check {
                case: case.into(),
                field: name.into(),
                expected,
                computed: show(Some(computed.round_dp(4))),
                tolerance: EXACT,
            });
        }
    }
    if let Some(w) = expect.get("warnings") {
        let mut exp: Vec<String> = w
            .as_object()
            .map(|o| {
                o.values()
                    .flat_map(|ids| ids.as_array().cloned().unwrap_or_default())
                    .filter_map(|id| id.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        exp.sort();
        exp.dedup();
        let got: Vec<String> = r
            .note_ids()
            .into_iter()
            .filter(|id| UPSTREAM_WARNINGS.contains(id))
            .map(str::to_string)
            .collect();
        out.push(Check {
            case: case.into(),
            field: "warnings".into(),
            expected: exp.join(","),
            computed: got.join(","),
            tolerance: Decimal::ZERO,
        });
    }
    out
}

fn real_world_case(
    dir: &Path,
    stem: &str,
    policy: &PricingPolicy,
) -> Result<(Value, PriceResult), String> {
    let cdr = read_json(&dir.join(format!("{stem}.json")));
    let tariffs: Vec<Tariff> = if dir.join("tariff.json").exists() {
        let text = std::fs::read_to_string(dir.join("tariff.json")).unwrap();
        let version = if dir.to_string_lossy().contains("/v211/") {
            Some(chargekit::tariff::OcpiVersion::V211)
        } else {
            Some(chargekit::tariff::OcpiVersion::V221)
        };
        vec![
            Tariff::from_json_with_warnings(&text, version)
                .map_err(|e| e.to_string())?
                .0,
        ]
    } else {
        Vec::new()
    };
    let r = price_cdr_value(cdr.clone(), &tariffs, None, policy).map_err(|e| e.to_string())?;
    Ok((cdr, r))
}

fn real_world(version: &str, policy: &PricingPolicy, only: Option<&str>) -> Vec<Check> {
    let base = root().join(version).join("real_world");
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut checks = Vec::new();
    for dir in dirs {
        let mut stems: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("cdr") && n.ends_with(".json"))
            .map(|n| n.trim_end_matches(".json").to_string())
            .collect();
        stems.sort();
        for stem in stems {
            let case = format!(
                "{version}/real_world/{}/{stem}",
                dir.file_name().unwrap().to_string_lossy()
            );
            if only.is_some_and(|o| o != case) {
                continue;
            }
            let out_file = dir.join(format!("output_price__{stem}.json"));
            let out = out_file.exists().then(|| read_json(&out_file));
            let cdr_price = out.as_ref().and_then(|o| o.get("cdr_price")).cloned();
            match real_world_case(&dir, &stem, policy) {
                Ok((cdr, r)) => {
                    let expect = cdr_price.clone().unwrap_or_else(|| cdr.clone());
                    let credit = cdr.get("credit").and_then(Value::as_bool).unwrap_or(false);
                    checks.extend(cdr_checks(&case, &expect, &r, credit));
                }
                Err(e) => checks.push(Check {
                    case,
                    field: "priced".into(),
                    expected: "ok".into(),
                    computed: format!("error: {e}"),
                    tolerance: Decimal::ZERO,
                }),
            }
        }
    }
    checks
}

fn hms(s: &str) -> Decimal {
    let parts: Vec<i64> = s.split(':').map(|p| p.parse().unwrap()).collect();
    Decimal::from(parts[0] * 3600 + parts[1] * 60 + parts[2])
}

fn local(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%:z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(s))
        .unwrap()
        .to_utc()
}

fn popular(policy: &PricingPolicy, only: Option<&str>) -> Vec<Check> {
    let base = root().join("popular");
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut checks = Vec::new();
    for dir in dirs {
        let tariff =
            Tariff::from_json(&std::fs::read_to_string(dir.join("tariff.json")).unwrap()).unwrap();
        let mut runs: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("test_run"))
            .collect();
        runs.sort();
        for run in runs {
            let case = format!(
                "popular/{}/{}",
                dir.file_name().unwrap().to_string_lossy(),
                run.trim_end_matches(".json")
            );
            if only.is_some_and(|o| o != case) {
                continue;
            }
            let v = read_json(&dir.join(&run));
            let input = &v["input"];
            let power = dec(&input["max_power_supply_kw"]).unwrap();
            let amps = dec(&input["max_current_supply_amp"]);
            let mut q = Quote::new(
                local(input["start_date_time"].as_str().unwrap()),
                local(input["end_date_time"].as_str().unwrap()),
                power,
                dec(&input["requested_kwh"]).unwrap(),
            );
            q.current_a = amps;
            q.report_power = true;
            q.report_current = amps.is_some();
            let timezone = input["timezone"].as_str().unwrap().parse().unwrap();
            let r = price_quote(&tariff, &q, timezone, policy).unwrap();
            let e = &v["expect"];
            let tol = |x: &Value, k: &str| dec(&x[k]).unwrap_or(Decimal::new(1, 1));
            let mut money =
                |name: &str, computed: Option<chargekit::billing::Price>| match e.get(name) {
                    None => {}
                    Some(Value::Null) => {
                        price_checks(&mut checks, &case, name, &Value::Null, computed, EXACT)
                    }
                    Some(x) => price_checks(
                        &mut checks,
                        &case,
                        name,
                        &x["value"],
                        computed,
                        tol(x, "tolerance"),
                    ),
                };
            money("total_cost", priced_total(&r));
            money("total_energy_cost", r.total_energy_cost);
            money("total_idle_cost", r.total_parking_cost);
            for (name, hours) in [
                ("total_charging_time", r.total_charging_time),
                ("total_idle_time", r.total_parking_time),
            ] {
                if let Some(x) = e.get(name).filter(|x| !x.is_null()) {
                    checks.push(Check {
                        case: case.clone(),
                        field: name.into(),
                        expected: hms(x["value"].as_str().unwrap()).to_string(),
                        computed: (hours * Decimal::from(3600)).round().to_string(),
                        tolerance: dec(&x["tolerance_sec"]).unwrap_or(Decimal::ONE),
                    });
                }
            }
            if let Some(x) = e.get("total_energy").filter(|x| !x.is_null()) {
                checks.push(Check {
                    case: case.clone(),
                    field: "total_energy".into(),
                    expected: show(dec(&x["value"])),
                    computed: show(Some(r.total_energy.round_dp(4))),
                    tolerance: dec(&x["tolerance_kwh"]).unwrap_or(Decimal::new(1, 1)),
                });
            }
        }
    }
    checks
}

fn all_checks(policy: &PricingPolicy, only: Option<&str>) -> Vec<Check> {
    let mut v = real_world("v221", policy, only);
    v.extend(real_world("v211", policy, only));
    v.extend(popular(policy, only));
    v
}

fn divergence_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/divergences.json")
}

#[test]
fn every_case_matches_or_is_a_listed_divergence() {
    let policy = PricingPolicy::ocpi_tariffs();
    let checks = all_checks(&policy, None);
    let divergent: Vec<&Check> = checks.iter().filter(|c| !c.matches()).collect();
    let found: BTreeMap<(String, String), (String, String)> = divergent
        .iter()
        .map(|c| {
            (
                (c.case.clone(), c.field.clone()),
                (c.expected.clone(), c.computed.clone()),
            )
        })
        .collect();
    if std::env::var_os("CHARGEKIT_BLESS").is_some() {
        let items: Vec<Value> = found
            .iter()
            .map(|((case, field), (e, c))| {
                json!({"case": case, "field": field, "expected": e, "computed": c, "policy": "", "explanation": ""})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items).unwrap());
    }
    let listed: Vec<Value> =
        serde_json::from_str::<Value>(&std::fs::read_to_string(divergence_file()).unwrap())
            .unwrap()["divergences"]
            .as_array()
            .unwrap()
            .clone();
    let mut listed_map = BTreeMap::new();
    for d in &listed {
        let key = (
            d["case"].as_str().unwrap().to_string(),
            d["field"].as_str().unwrap().to_string(),
        );
        assert!(
            !d["policy"].as_str().unwrap_or("").is_empty()
                && !d["explanation"].as_str().unwrap_or("").is_empty(),
            "divergence {key:?} must name the policy that explains it"
        );
        listed_map.insert(
            key,
            (
                d["expected"].as_str().unwrap().to_string(),
                d["computed"].as_str().unwrap().to_string(),
            ),
        );
    }
    let mut problems = Vec::new();
    for (k, v) in &found {
        match listed_map.get(k) {
            None => problems.push(format!(
                "new divergence {k:?}: expected {}, computed {}",
                v.0, v.1
            )),
            Some(l) if l != v => problems.push(format!(
                "divergence {k:?} changed: listed {l:?}, now expected {}, computed {}",
                v.0, v.1
            )),
            _ => {}
        }
    }
    for k in listed_map.keys() {
        if !found.contains_key(k) {
            problems.push(format!(
                "listed divergence {k:?} no longer diverges: remove it"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let matched = checks.len() - divergent.len();
    let cases: std::collections::BTreeSet<&str> = checks.iter().map(|c| c.case.as_str()).collect();
    let divergent_cases: std::collections::BTreeSet<&str> =
        divergent.iter().map(|c| c.case.as_str()).collect();
    println!(
        "conformance: {} cases, {} fields checked, {matched} match, {} divergent fields in {} cases",
        cases.len(),
        checks.len(),
        divergent.len(),
        divergent_cases.len()
    );
}

/// Each divergence that names a `verify` policy must match under it: the named policy
/// really explains the difference.
#[test]
fn divergences_are_explained_by_their_policy() {
    let listed: Value =
        serde_json::from_str(&std::fs::read_to_string(divergence_file()).unwrap()).unwrap();
    for d in listed["divergences"].as_array().unwrap() {
        let Some(verify) = d.get("verify").filter(|v| !v.is_null()) else {
            continue;
        };
        let policy = PricingPolicy::from_value(verify.clone()).unwrap();
        let case = d["case"].as_str().unwrap();
        let field = d["field"].as_str().unwrap();
        let checks = all_checks(&policy, Some(case));
        let c = checks
            .iter()
            .find(|c| c.field == field)
            .unwrap_or_else(|| panic!("{case} {field} not checked"));
        assert!(
            c.matches(),
            "{case} {field}: under {verify} expected {}, computed {}",
            c.expected,
            c.computed
        );
    }
}

/// The same corpus under chargekit's defaults (OCPI bugfix reading, cents): reported, not
/// pinned, since the defaults differ from ocpi-tariffs on purpose (`docs/tariffs.md` §5).
#[test]
fn default_policy_prices_every_case() {
    let checks = all_checks(&PricingPolicy::default(), None);
    // Only CDRs that state negative usage are refused by the defaults (a real-world CDR with
    // TIME -0.0056 h); `allow_negative_usage` prices them as stated.
    let refused: std::collections::BTreeSet<&str> = checks
        .iter()
        .filter(|c| c.computed.starts_with("error"))
        .map(|c| c.case.as_str())
        .collect();
    for c in checks.iter().filter(|c| c.computed.starts_with("error")) {
        println!("refused: {} {}", c.case, c.computed);
    }
    assert!(
        refused.iter().all(|c| c.contains("zero_energy_use")),
        "{refused:?}"
    );
    assert!(checks
        .iter()
        .filter(|c| c.computed.starts_with("error"))
        .all(|c| c.computed.contains("negative usage")));
    let lenient = PricingPolicy {
        allow_negative_usage: true,
        ..PricingPolicy::default()
    };
    assert!(all_checks(&lenient, None)
        .iter()
        .all(|c| !c.computed.starts_with("error")));
    let divergent: Vec<&Check> = checks.iter().filter(|c| !c.matches()).collect();
    for c in &divergent {
        println!(
            "default: {} {} expected {} computed {}",
            c.case, c.field, c.expected, c.computed
        );
    }
    println!(
        "default policy: {} fields checked, {} differ",
        checks.len(),
        divergent.len()
    );
}
