//! Every option of every policy and options record is documented in `docs/`: its serde name
//! appears in backticks in some page, alone or as `Record.name` (the option tables name them
//! so).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::analytics::{PatternOptions, SummaryOptions};
use chargekit::billing::PricingPolicy;
use chargekit::feedback::{ReliabilityOptions, ScoreOptions};
use chargekit::meter::MeterPolicy;
use chargekit::profile::StationOptions;
use serde_json::Value;

fn docs() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            text.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    text
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn every_option_is_documented() {
    let docs = docs();
    let records: Vec<(&str, Value)> = vec![
        (
            "MeterPolicy",
            serde_json::to_value(MeterPolicy::default()).unwrap(),
        ),
        (
            "PricingPolicy",
            serde_json::to_value(PricingPolicy::default()).unwrap(),
        ),
        (
            "StationOptions",
            serde_json::to_value(StationOptions::default()).unwrap(),
        ),
        (
            "SummaryOptions",
            serde_json::to_value(SummaryOptions::default()).unwrap(),
        ),
        (
            "PatternOptions",
            serde_json::to_value(PatternOptions::default()).unwrap(),
        ),
        (
            "ScoreOptions",
            serde_json::to_value(ScoreOptions::default()).unwrap(),
        ),
        (
            "ReliabilityOptions",
            serde_json::to_value(ReliabilityOptions::default()).unwrap(),
        ),
    ];
    let mut missing = Vec::new();
    for (record, value) in &records {
        let names = keys(value);
        assert!(!names.is_empty(), "{record} has no options");
        for name in names {
            let named = docs.contains(&format!("`{name}`"))
                || docs.contains(&format!("`{record}.{name}`"))
                || docs.contains(&format!("`{record}.{name}:"));
            if !named {
                missing.push(format!("{record}.{name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "options not named in docs/: {missing:?}"
    );
}
