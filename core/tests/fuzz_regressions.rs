//! Replays the committed fuzz corpora (`core/fuzz/seeds/<target>/`, minimised with
//! `cargo fuzz cmin`) and every crash input found (`core/fuzz/regressions/<target>/`)
//! through the fuzz targets' own checks, so that `cargo test` keeps them passing without a
//! nightly compiler or libFuzzer. See `core/fuzz/README.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/checks/mod.rs"]
mod checks;

use std::path::Path;

/// Runs the target's check on every committed input; returns how many there were.
fn replay(target: &str) -> usize {
    let run = checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("no check named {target}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files.iter().filter(|f| f.is_file()) {
            let data = std::fs::read(file).unwrap();
            // A failing input names itself before the check's own message.
            eprintln!("{}", file.display());
            run(&data);
            count += 1;
        }
    }
    count
}

macro_rules! replay_tests {
    ($($target:ident),+ $(,)?) => {$(
        #[test]
        fn $target() {
            assert!(replay(stringify!($target)) > 0, "no committed inputs for {}", stringify!($target));
        }
    )+};
}

replay_tests!(
    checkpoint_restore,
    ocmf_parse,
    ocpp_log,
    station_tariff,
    ocpi_pricing,
    charging_profiles,
    csv_import,
    policy_json,
);

#[test]
fn every_target_is_replayed() {
    let listed = [
        "checkpoint_restore",
        "ocmf_parse",
        "ocpp_log",
        "station_tariff",
        "ocpi_pricing",
        "charging_profiles",
        "csv_import",
        "policy_json",
    ];
    let names: Vec<&str> = checks::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, listed);
}
