//! A frame is identified by its message id, action and content, however it is written and
//! whichever way it is fed (text read straight into the models, or parsed JSON).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::SessionAssembler;

const METER: &str = r#"[2,"m1","MeterValues",{"connectorId":1,"transactionId":7,"meterValue":[{"timestamp":"2026-03-10T08:10:00Z","sampledValue":[{"value":"3000","unit":"Wh"}]}]}]"#;
/// The same frame re-serialised: keys reordered, spaces, the instant in another offset, and
/// a vendor field chargekit does not read.
const METER_AGAIN: &str = r#"[2, "m1", "MeterValues", { "transactionId": 7, "vendorX": true, "meterValue": [ { "sampledValue": [ { "unit": "Wh", "value": "3000" } ], "timestamp": "2026-03-10T09:10:00+01:00" } ], "connectorId": 1 }]"#;
const START: &str = r#"[2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]
[3,"s",{"transactionId":7,"idTagInfo":{"status":"Accepted"}}]"#;

fn assembler() -> SessionAssembler {
    let mut a = SessionAssembler::new("CP", Some(OcppVersion::V16), MeterPolicy::default());
    a.feed_log(START).unwrap();
    a
}

#[test]
fn a_reserialised_frame_is_the_same_frame() {
    let mut a = assembler();
    a.feed_log(METER).unwrap();
    a.feed_log(METER_AGAIN).unwrap();
    assert_eq!(a.stats().redelivered, 1);
    let s = &a.sessions().unwrap()[0];
    assert_eq!(s.energy_wh.to_string(), "2000");
    assert!(s.anomalies.is_empty(), "{:?}", s.anomalies);
}

#[test]
fn text_and_parsed_json_feed_the_same_frame() {
    let mut a = assembler();
    a.feed_value(&serde_json::from_str(METER_AGAIN).unwrap())
        .unwrap();
    a.feed_log(METER).unwrap();
    assert_eq!(a.stats().redelivered, 1);
    // A different value under the same message id is another frame.
    let mut b = assembler();
    b.feed_log(METER).unwrap();
    b.feed_log(&METER.replace("\"3000\"", "\"3001\"")).unwrap();
    assert_eq!(b.stats().redelivered, 0);
}

#[test]
fn a_checkpoint_keeps_the_text_first_received() {
    let mut a = assembler();
    a.feed_log(METER_AGAIN).unwrap();
    let restored = SessionAssembler::restore(&a.snapshot()).unwrap();
    assert_eq!(restored.snapshot(), a.snapshot());
    assert_eq!(restored.sessions().unwrap(), a.sessions().unwrap());
    let mut again = restored;
    again.feed_log(METER).unwrap();
    assert_eq!(again.stats().redelivered, 1);
}

#[test]
fn errors_from_text_name_the_field_as_before() {
    let mut a = assembler();
    let bad = METER.replace("\"connectorId\":1", "\"connectorId\":\"one\"");
    let err = a.feed_log(&bad).unwrap_err();
    assert!(err.to_string().contains("connectorId"), "{err}");
    assert!(
        !err.to_string().contains("column"),
        "no text positions in payload errors: {err}"
    );
    assert_eq!(a.stats().frames_fed, 2, "nothing of the bad text applied");
}
