//! What each fuzz target feeds and what must hold, one module per target. The cargo-fuzz
//! targets (`fuzz_targets/`) call these, and `core/tests/fuzz_regressions.rs` replays the
//! committed corpora (`seeds/`) and every crash input (`regressions/`) through them in a
//! plain `cargo test`, so a fixed crash stays fixed without the fuzzer.
#![allow(dead_code)] // each target binary uses one check
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // checks assert by panicking

pub mod charging_profiles;
pub mod checkpoint_restore;
pub mod csv_import;
pub mod ocmf_parse;
pub mod ocpi_pricing;
pub mod ocpp_log;
pub mod policy_json;
pub mod station_tariff;

/// A check: runs one input, panicking when what must hold does not.
pub type Check = fn(&[u8]);

/// Every target's name (its directory under `seeds/` and `regressions/`) and check.
pub const TARGETS: &[(&str, Check)] = &[
    ("checkpoint_restore", checkpoint_restore::run),
    ("ocmf_parse", ocmf_parse::run),
    ("ocpp_log", ocpp_log::run),
    ("station_tariff", station_tariff::run),
    ("ocpi_pricing", ocpi_pricing::run),
    ("charging_profiles", charging_profiles::run),
    ("csv_import", csv_import::run),
    ("policy_json", policy_json::run),
];
