//! cargo-fuzz target: `checks::csv_import` (the checks live there so that `cargo test` replays
//! the committed corpus through the same code).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::csv_import::run(data));
