//! Inputs for the pricing benchmarks: a time-of-use tariff and CDRs of 2 and 11 periods,
//! as OCPI 2.2.1 JSON text (the same text is handed to every pricer).
//!
//! The JSON lives in `benches/data/` so that the Rust benches and the Python benchmark
//! (`benches/python/bench_pricing.py`) share one source of truth.

/// A time-of-use tariff: 11 hourly energy prices from 08:00 to 19:00 local, a fallback
/// energy price, a charging-time fee, a parking fee (step 5 min) and a start fee.
pub const TOU_TARIFF: &str = include_str!("../data/tou_tariff.json");

/// A CDR of 2 periods: 2 h charging (22 kWh) then 40 min parked. Starts 10:15 local (CET).
pub const CDR_2_PERIODS: &str = include_str!("../data/cdr_2_periods.json");

/// A time-of-use CDR of 11 periods: charging 08:00–19:00 local, cut at every hour.
pub const CDR_11_PERIODS: &str = include_str!("../data/cdr_11_periods.json");

/// [`TOU_TARIFF`] as an owned string.
pub fn tou_tariff() -> String {
    TOU_TARIFF.to_string()
}

/// [`CDR_2_PERIODS`] as an owned string.
pub fn cdr_2_periods() -> String {
    CDR_2_PERIODS.to_string()
}

/// [`CDR_11_PERIODS`] as an owned string.
pub fn cdr_11_periods() -> String {
    CDR_11_PERIODS.to_string()
}
