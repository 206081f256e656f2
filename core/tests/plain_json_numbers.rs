//! chargekit enables neither serde_json's `arbitrary_precision` nor rust_decimal's
//! `serde-arbitrary-precision`: in a build with chargekit, plain serde_json still reads JSON
//! numbers as numbers (another crate of the application, e.g. ocpi-kit, keeps working),
//! while chargekit reads every decimal exactly from the number's text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::analytics::SessionRecord;
use chargekit::billing::{parse_cdr, PricingPolicy};
use chargekit::json::Value;
use chargekit::meter::MeterPolicy;
use chargekit::session::sessions_from_log;
use chargekit::tariff::Tariff;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;

/// The numbers chargekit must keep exactly: a scale, digits past `f64`, an exponent and an
/// integer past `u64`.
const EXACT: [(&str, &str); 4] = [
    ("12.30", "12.30"),
    ("0.30000000000000001", "0.30000000000000001"),
    ("1E-3", "0.001"),
    ("123456789012345678901234567", "123456789012345678901234567"),
];

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn plain_serde_json_reads_numbers_as_numbers() {
    #[derive(Deserialize)]
    struct Plain {
        x: f64,
    }
    let p: Plain = serde_json::from_str(r#"{"x": 1.5}"#).unwrap();
    assert_eq!(p.x, 1.5);
    // A `Number` is a number, not a map (which it is under `arbitrary_precision`).
    let n: serde_json::Number = serde_json::from_str("1.5").unwrap();
    assert_eq!(n.as_f64(), Some(1.5));
    let v = serde_json::to_value(&n).unwrap();
    assert!(v.is_number(), "{v:?}");
    assert!(!v.is_object(), "{v:?}");
    // What ocpi-kit 0.4 does: a visitor that takes numbers and refuses maps.
    struct OnlyNumbers;
    impl<'de> serde::de::Visitor<'de> for OnlyNumbers {
        type Value = f64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON number")
        }
        fn visit_f64<E>(self, v: f64) -> Result<f64, E> {
            Ok(v)
        }
        fn visit_u64<E>(self, v: u64) -> Result<f64, E> {
            Ok(v as f64)
        }
    }
    let mut de = serde_json::Deserializer::from_str("12.5");
    let got = serde::Deserializer::deserialize_any(&mut de, OnlyNumbers).unwrap();
    assert_eq!(got, 12.5);
}

#[test]
fn tariffs_read_prices_exactly() {
    for (text, want) in EXACT {
        let json = format!(
            r#"{{"id":"T","currency":"EUR","elements":[{{"price_components":[{{"type":"ENERGY","price":{text},"step_size":1}}]}}]}}"#
        );
        // Text through the typed reader, and through the tree reader (a comment line).
        for input in [json.clone(), format!("// a comment\n{json}")] {
            match Tariff::from_json(&input) {
                Ok(t) => {
                    let price = t.elements[0].price_components[0].price;
                    assert_eq!(price.to_string(), want, "{input}");
                    assert!(t
                        .to_json()
                        .contains(&format!(r#""price":{}"#, dec(want).normalize())));
                }
                // Beyond the quantity limit: refused, naming the number with all its digits.
                Err(e) => assert!(e.to_string().contains(want), "{input}: {e}"),
            }
        }
    }
}

#[test]
fn cdrs_read_volumes_exactly() {
    for (text, want) in EXACT {
        let cdr = format!(
            r#"{{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
            "currency":"EUR","cdr_location":{{"time_zone":"Europe/Berlin"}},
            "charging_periods":[{{"start_date_time":"2026-03-10T08:00:00Z",
            "dimensions":[{{"type":"ENERGY","volume":{text}}}]}}]}}"#
        );
        match parse_cdr(&cdr, None, &PricingPolicy::default()) {
            Ok(p) => assert_eq!(
                p.input.periods[0]
                    .energy_kwh
                    .map(|d| d.to_string())
                    .as_deref(),
                Some(want)
            ),
            Err(e) => assert!(e.to_string().contains(want), "{e}"),
        }
    }
}

#[test]
fn ocpp_201_meter_values_keep_their_text() {
    let values = EXACT
        .map(|(text, _)| format!(r#"{{"value":{text}}}"#))
        .join(",");
    let log = format!(
        r#"[2,"a","TransactionEvent",{{"eventType":"Started","timestamp":"2026-03-10T08:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{{"transactionId":"T"}},"meterValue":[{{"timestamp":"2026-03-10T08:00:00Z","sampledValue":[{values}]}}]}}]"#
    );
    let s = &sessions_from_log("CP", &log, None, &MeterPolicy::default()).unwrap()[0];
    let raws: Vec<&str> = s.readings.iter().map(|r| r.raw.as_str()).collect();
    for (text, want) in EXACT {
        // Kept as chargekit always kept it: as written, an exponent as `e-3`.
        let kept = if text.contains('E') { "1e-3" } else { text };
        assert!(raws.contains(&kept), "{text}: {raws:?}");
        let values: Vec<Option<Decimal>> = s.readings.iter().map(|r| r.value).collect();
        if dec(want) < dec("1000000000000") {
            assert!(values.contains(&Some(dec(want))), "{want}: {values:?}");
        }
    }
}

#[test]
fn analytics_session_json_reads_exactly() {
    for (text, want) in EXACT {
        let json = format!(
            r#"{{"session_id":"s","station_id":"st","port_id":"p",
            "plug_in":"2026-03-10T08:00:00Z","plug_out":"2026-03-10T09:00:00Z",
            "energy":{text},"soc_start":{text},"fees":{{"total":{text}}}}}"#
        );
        let r: SessionRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(r.energy.wh().to_string(), want);
        assert_eq!(r.soc_start.map(|d| d.to_string()).as_deref(), Some(want));
        assert_eq!(
            r.fees
                .and_then(|f| f.total)
                .map(|d| d.to_string())
                .as_deref(),
            Some(want)
        );
    }
}

#[test]
fn the_json_tree_keeps_numbers_as_written() {
    for (text, _) in EXACT {
        let v = Value::from_text(&format!("[{text}]")).unwrap();
        let kept = if text.contains('E') { "1e-3" } else { text };
        assert_eq!(v.to_string(), format!("[{kept}]"));
    }
}
