//! Fuzzes the JSON forms of every policy and option type the bindings accept, and the
//! planning requests. Nothing may panic or hang; a value that reads must read back from its
//! own JSON to itself, and a plan request that reads is solved (or refused with a typed error).

use chargekit::analytics::{import::ImportOptions, SummaryOptions};
use chargekit::billing::PricingPolicy;
use chargekit::feedback::{AbusePolicy, ReliabilityOptions, ScoreOptions};
use chargekit::meter::MeterPolicy;
use chargekit::planning::{allocate, plan, AllocationRequest, PlanRequest};
use chargekit::profile::{StationConfig, StationOptions};
use serde::{de::DeserializeOwned, Serialize};

/// Reads `text`; when it reads, its own JSON must read back to the same value.
fn round_trip<T>(text: &str, read: impl Fn(&str) -> Result<T, chargekit::Error>) -> Option<T>
where
    T: Serialize + PartialEq + std::fmt::Debug,
{
    let value = read(text).ok()?;
    let again = serde_json::to_string(&value).expect("a value read serialises");
    assert_eq!(
        read(&again).expect("its own JSON reads"),
        value,
        "from {again}"
    );
    Some(value)
}

/// [`round_trip`] for a type read with plain serde.
fn serde_only<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(text: &str) {
    let Ok(value) = serde_json::from_str::<T>(text) else {
        return;
    };
    let again = serde_json::to_string(&value).expect("a value read serialises");
    assert_eq!(
        serde_json::from_str::<T>(&again).expect("its own JSON reads"),
        value
    );
}

/// One input: see the module docs for what must hold.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip(text, MeterPolicy::from_json);
    round_trip(text, PricingPolicy::from_json);
    round_trip(text, SummaryOptions::from_json);
    round_trip(text, ScoreOptions::from_json);
    round_trip(text, AbusePolicy::from_json);
    round_trip(text, ReliabilityOptions::from_json);
    round_trip(text, StationOptions::from_json);
    if let Some(config) = round_trip(text, StationConfig::from_json) {
        let _ = chargekit::profile::SmartChargingStation::new(config);
    }
    serde_only::<ImportOptions>(text);
    if let Ok(request) = PlanRequest::from_json(text) {
        let _ = plan(&request);
    }
    if let Ok(request) = AllocationRequest::from_json(text) {
        let _ = allocate(&request);
    }
}
