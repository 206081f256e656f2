#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::raw::RawComponent;
use super::scalar::decimal;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Reads `price` through the raw model from a plain `serde_json::Deserializer`.
fn price(json_number: &str) -> Decimal {
    let text = format!(r#"{{"type":"ENERGY","price":{json_number}}}"#);
    let mut de = serde_json::Deserializer::from_str(&text);
    let c: RawComponent<'_> = serde::Deserialize::deserialize(&mut de).unwrap();
    de.end().unwrap();
    let mut w = Vec::new();
    decimal(c.price, &|| "$.price".into(), &mut w)
        .unwrap()
        .unwrap()
}

#[test]
fn numbers_are_read_from_their_text_not_through_f64() {
    // f64 would give 0.3; the text has 17 decimals.
    let d = price("0.30000000000000001");
    assert_eq!(d.to_string(), "0.30000000000000001");
    assert_eq!(d.scale(), 17);
    // The scale as written is kept.
    let d = price("12.30");
    assert_eq!((d.to_string().as_str(), d.scale()), ("12.30", 2));
    assert_eq!(price("1E-3"), Decimal::from_str("0.001").unwrap());
    assert_eq!(price("-2.5e2"), Decimal::from(-250));
    // Beyond f64's 2^53 and u64 alike, yet exact.
    assert_eq!(price("999999999999").to_string(), "999999999999");
    assert_eq!(
        price("9007199254740993E-4").to_string(),
        "900719925474.0993"
    );
    assert_eq!(price(r#"" 0.10 ""#).to_string(), "0.10");
}

#[test]
fn beyond_the_quantity_limit_is_an_error_as_before() {
    let text = r#"{"price":18446744073709551617}"#;
    let c: RawComponent<'_> = serde_json::from_str(text).unwrap();
    let e = decimal(c.price, &|| "$.price".into(), &mut Vec::new()).unwrap_err();
    assert!(e.to_string().contains("MAX_QUANTITY"), "{e}");
}

#[test]
fn nesting_depth_skips_strings() {
    assert_eq!(super::raw::nesting_depth(br#"{"a":[{"b":"[[[{"}]}"#), 3);
    assert_eq!(super::raw::nesting_depth(br#"{"a":"\"[["}"#), 1);
}

/// The `Value` reader's result, as the reference.
fn by_value(text: &str) -> String {
    let r = crate::tariff::parse::json_value(text)
        .and_then(|v| crate::tariff::parse::tariff(&v, crate::tariff::parse::detect_version(&v)));
    format!("{r:?}")
}

fn by_raw(text: &str) -> String {
    let r = serde_json::from_str::<super::raw::RawTariff<'_>>(text)
        .map_err(|e| e.to_string())
        .map(|raw| super::read::tariff(&raw, super::read::detect_version(&raw)));
    match r {
        Ok(r) => format!("{r:?}"),
        // Not for the raw models: the reader hands these to the `Value` reader.
        Err(_) => by_value(text),
    }
}

/// Every object with `key` in the repository's JSON files (tests, benchmark data, docs),
/// nested ones included, as text: the real inputs both readers of tariffs and of CDRs are
/// compared on.
pub(crate) fn repository_objects_with(key: &str) -> Vec<String> {
    fn objects(v: &serde_json::Value, key: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key(key) {
                    out.push(v.to_string());
                }
                m.values().for_each(|x| objects(x, key, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| objects(x, key, out)),
            _ => {}
        }
    }
    fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    json_files(&root.join("tests"), &mut files);
    json_files(&root.join("../benches/data"), &mut files);
    json_files(&root.join("../docs"), &mut files);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            objects(&v, key, &mut found);
        }
    }
    found
}

#[test]
fn the_raw_reader_agrees_with_the_value_reader_on_every_tariff_in_the_repository() {
    // Tariffs are the objects with `elements`, also inside CDRs and cases.
    let tariffs = repository_objects_with("elements");
    assert!(tariffs.len() > 50, "{} tariffs", tariffs.len());
    for t in &tariffs {
        assert_eq!(by_raw(t), by_value(t), "{t}");
    }
}

#[test]
fn the_raw_reader_agrees_with_the_value_reader_on_odd_tariffs() {
    let base = |extra: &str, component: &str, restrictions: &str| {
        format!(
            r#"{{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR"{extra},
              "elements":[{{"price_components":[{{"type":"ENERGY","price":0.3,"step_size":1{component}}}]
              {restrictions}}}],"last_updated":"2026-01-01T00:00:00Z"}}"#
        )
    };
    let cases = [
        base("", "", ""),
        base(r#","zeta":1,"Currency":"x","tariff_alt_text":[{"language":"en","text":"t"},{"language":1}]"#, "", ""),
        base(r#","min_price":1.5,"max_price":{"excl_vat":"2","incl_vat":2.42,"after_taxes":3,"junk":null}"#, "", ""),
        base(r#","min_price":{"before_taxes":null,"excl_vat":1}"#, "", ""),
        base(r#","min_price":{"before_taxes":1,"excl_vat":1}"#, "", ""),
        base(r#","min_price":"1""#, "", ""),
        base(r#","min_price":[1]"#, "", ""),
        base(r#","tax_included":"yes","preauthorize_amount":"10.123456""#, "", ""),
        base(r#","tax_included":"MAYBE","type":"regular","start_date_time":"2026-01-01 10:00:00""#, "", ""),
        base(r#","energy_mix":{"is_green_energy":true,"x":0.30000000000000001}"#, "", ""),
        base(r#","idle_fee":{"price_per_hour":"12.00","grace_s":60}"#, "", ""),
        base(r#","idle_fee":{"grace_s":60}"#, "", ""),
        base(r#","id":null,"id":"T2""#, "", ""),
        base(r#","end_date_time":"yesterday""#, "", ""),
        base(r#","last_updated":5"#, "", ""),
        base(r#","country_code":null,"party_id":null"#, "", ""),
        base("", r#","vat":21.00001,"stepSize":1,"price":null"#, ""),
        base("", r#","vat":"abc""#, ""),
        base("", r#","vat":true"#, ""),
        base("", r#","step_size":1.5"#, ""),
        base("", r#","step_size":-1"#, ""),
        base("", r#","price":1e13"#, ""),
        base("", r#","type":"energy""#, ""),
        base("", r#","type":"KWH""#, ""),
        base("", r#","type":7"#, ""),
        base("", "", r#","restrictions":{"dayOfWeek":["MONDAY"],"day_of_week":["monday","FUNDAY",3,"MONDAY"],"start_time":"10:00","max_power":"22","min_duration":-5}"#),
        base("", "", r#","restrictions":{"min_duration":1e30}"#),
        base("", "", r#","restrictions":{"min_duration":-1E-30}"#),
        base("", "", r#","restrictions":{"min_duration":1E+30}"#),
        base("", "", r#","restrictions":{"min_duration":"1E+30"}"#),
        base("", "", r#","restrictions":{"min_duration":"12.9","max_duration":null,"reservation":"reservation","start_date":"2026-13-01"}"#),
        base("", "", r#","restrictions":{"start_time":"24:00"}"#),
        base("", "", r#","restrictions":{"day_of_week":"MONDAY"}"#),
        base("", "", r#","restrictions":null,"extra":{"a":[1,{"b":2}]}"#),
        base("", "", r#","restrictions":{"max_kwh":12.34567,"min_kwh":"0.00001","max_current":"abc"}"#),
        r#"{"id":"T","currency":"EUR","elements":[]}"#.to_string(),
        r#"{"id":"T","currency":"EUR"}"#.to_string(),
        r#"{"id":"T","currency":"EURO","elements":[{}]}"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":[{"price_components":null}]}"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":{}}"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":[5]}"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":2,"step_size":60}]}]}"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":[{"price_components":[{"type":"TIME","price":2,"step_size":60}]}]"#.to_string(),
        "// a comment\n{\"id\":\"T\",\"currency\":\"EUR\",\"elements\":[{\"price_components\":[{\"type\":\"FLAT\",\"price\":2}]}]}".to_string(),
        r#"{"id":"T\u0041","curr\u0065ncy":"EUR","elements":[{"price_components":[{"type":"FLAT","price":"\ud800"}]}]}"#.to_string(),
        r#"{"id":"T\"x","currency":"EUR","elements":[{"price_components":[{"type":"FLAT","price":"1\n2"}]}]}"#.to_string(),
        r#"[1]"#.to_string(),
        r#"{"id":"T","currency":"EUR","elements":[{"price_components":[{"type":"FLAT","price":2}]}],"deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#.to_string(),
    ];
    for text in &cases {
        assert_eq!(by_raw(text), by_value(text), "{text}");
        // And through the entry point, with its guards and fallbacks.
        let entry = super::tariff_from_str(text, None);
        assert_eq!(format!("{entry:?}"), by_value(text), "{text}");
    }
}

#[test]
fn the_benchmark_tariff_fits_the_raw_models() {
    let text = include_str!("../../../../benches/data/tou_tariff.json");
    serde_json::from_str::<super::raw::RawTariff<'_>>(text).unwrap();
}
