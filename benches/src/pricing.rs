//! Inputs for the pricing benchmarks: a time-of-use tariff and CDRs of 2 and 11 periods,
//! as OCPI 2.2.1 JSON text (the same text is handed to every pricer).

use serde_json::{json, Number, Value};
use std::str::FromStr;

/// An exact JSON number from its text (never through binary floating point).
fn num(text: &str) -> Value {
    Number::from_str(text)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// A time-of-use tariff: 11 hourly energy prices from 08:00 to 19:00 local, a fallback
/// energy price, a charging-time fee, a parking fee (step 5 min) and a start fee.
pub fn tou_tariff() -> String {
    let mut elements: Vec<Value> = (0..11)
        .map(|h| {
            let price = format!("0.{}", 25 + h * 2);
            json!({
                "price_components": [{"type": "ENERGY", "price": num(&price), "vat": 21, "step_size": 1}],
                "restrictions": {"start_time": format!("{:02}:00", 8 + h), "end_time": format!("{:02}:00", 9 + h)}
            })
        })
        .collect();
    elements.push(json!({"price_components": [
        {"type": "FLAT", "price": 0.35, "vat": 21, "step_size": 1},
        {"type": "ENERGY", "price": 0.22, "vat": 21, "step_size": 1},
        {"type": "TIME", "price": 0.60, "vat": 21, "step_size": 60},
        {"type": "PARKING_TIME", "price": 2.00, "vat": 21, "step_size": 300}]}));
    json!({"country_code": "NL", "party_id": "CKT", "id": "TOU", "currency": "EUR",
        "elements": elements, "last_updated": "2026-01-01T00:00:00Z"})
    .to_string()
}

fn cdr(periods: Vec<Value>, start: &str, end: &str, kwh: &str, hours: &str) -> String {
    json!({"country_code": "NL", "party_id": "CKT", "id": "CDR-1",
        "start_date_time": start, "end_date_time": end, "currency": "EUR",
        "cdr_token": {"country_code": "NL", "party_id": "CKT", "uid": "T", "type": "RFID", "contract_id": "NL-CKT-C1"},
        "auth_method": "WHITELIST",
        "cdr_location": {"id": "L", "name": "Bench", "address": "Street 1", "city": "Delft", "postal_code": "2611",
            "country": "NLD", "coordinates": {"latitude": "52.0", "longitude": "4.36"},
            "evse_uid": "E1", "evse_id": "NL*CKT*E1", "connector_id": "1",
            "connector_standard": "IEC_62196_T2", "connector_format": "SOCKET", "connector_power_type": "AC_3_PHASE"},
        "tariffs": [], "charging_periods": periods,
        "total_cost": {"excl_vat": 0, "incl_vat": 0}, "total_energy": num(kwh), "total_time": num(hours),
        "last_updated": end})
    .to_string()
}

/// A CDR of 2 periods: 2 h charging (22 kWh) then 40 min parked. Starts 10:15 local (CET).
pub fn cdr_2_periods() -> String {
    cdr(
        vec![
            json!({"start_date_time": "2026-01-13T09:15:00Z", "dimensions": [
                {"type": "ENERGY", "volume": 22}, {"type": "TIME", "volume": 2}, {"type": "MAX_POWER", "volume": 11}]}),
            json!({"start_date_time": "2026-01-13T11:15:00Z", "dimensions": [
                {"type": "PARKING_TIME", "volume": 0.666667}]}),
        ],
        "2026-01-13T09:15:00Z",
        "2026-01-13T11:55:00Z",
        "22",
        "2.666667",
    )
}

/// A time-of-use CDR of 11 periods: charging 08:00–19:00 local, cut at every hour.
pub fn cdr_11_periods() -> String {
    let periods = (0..11)
        .map(|h| {
            json!({"start_date_time": format!("2026-01-13T{:02}:00:00Z", 7 + h), "dimensions": [
                {"type": "ENERGY", "volume": 7.4}, {"type": "TIME", "volume": 1}, {"type": "MAX_POWER", "volume": 7.4}]})
        })
        .collect();
    cdr(
        periods,
        "2026-01-13T07:00:00Z",
        "2026-01-13T18:00:00Z",
        "81.4",
        "11",
    )
}
