//! Inputs for the chargekit benchmarks: synthetic OCPP logs of a known size.

pub mod pricing;

use serde_json::json;

/// An OCPP 1.6 log of one transaction with `messages` MeterValues, each carrying one
/// sampled moment with register, power, three currents and SoC (6 readings).
/// Returns the log text and the number of readings it holds.
pub fn log16(messages: usize) -> (String, usize) {
    let mut lines = Vec::with_capacity(messages + 3);
    lines.push(
        json!([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 1_000_000, "timestamp": "2026-03-10T00:00:00Z"}])
            .to_string(),
    );
    lines.push(
        json!([3, "s", {"transactionId": 1, "idTagInfo": {"status": "Accepted"}}]).to_string(),
    );
    let base = chrono::DateTime::parse_from_rfc3339("2026-03-10T00:00:00Z")
        .map(|t| t.to_utc())
        .unwrap_or_default();
    let mut reg = 1_000_000u64;
    for i in 0..messages {
        reg += 9;
        let ts = (base + chrono::Duration::seconds(3 * (i as i64 + 1))).to_rfc3339();
        lines.push(
            json!([2, format!("m{i}"), "MeterValues", {"connectorId": 1, "transactionId": 1, "meterValue": [{
                "timestamp": ts,
                "sampledValue": [
                    {"value": reg.to_string(), "measurand": "Energy.Active.Import.Register", "unit": "Wh", "context": "Sample.Periodic", "location": "Outlet"},
                    {"value": "10800.0", "measurand": "Power.Active.Import", "unit": "W"},
                    {"value": "15.6", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
                    {"value": "15.7", "measurand": "Current.Import", "phase": "L2", "unit": "A"},
                    {"value": "15.5", "measurand": "Current.Import", "phase": "L3", "unit": "A"},
                    {"value": "54", "measurand": "SoC", "unit": "Percent", "location": "EV"}
                ]}]}])
            .to_string(),
        );
    }
    let end = (base + chrono::Duration::seconds(3 * (messages as i64 + 1))).to_rfc3339();
    lines.push(
        json!([2, "x", "StopTransaction", {"transactionId": 1, "meterStop": reg, "timestamp": end}])
            .to_string(),
    );
    (lines.join("\n"), messages * 6)
}
