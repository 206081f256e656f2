//! Builders for small OCPP logs used by the integration tests.
#![allow(clippy::too_many_arguments)]
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chargekit::meter::MeterPolicy;
use chargekit::ocpp::OcppVersion;
use chargekit::session::{sessions_from_log, Session};
use serde_json::{json, Value};

/// `2026-03-10T08:MM:SSZ` plus whole minutes from 08:00.
pub fn t(min: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2026-03-10T08:00:00Z").unwrap();
    (base + chrono::Duration::minutes(min))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn call(uid: &str, action: &str, payload: Value) -> String {
    json!([2, uid, action, payload]).to_string()
}

pub fn result(uid: &str, payload: Value) -> String {
    json!([3, uid, payload]).to_string()
}

// ---- OCPP 1.6 ----

pub fn start16(uid: &str, conn: u32, meter_start: i64, min: i64) -> String {
    call(
        uid,
        "StartTransaction",
        json!({"connectorId": conn, "idTag": "TAG1", "meterStart": meter_start, "timestamp": t(min)}),
    )
}

pub fn start_result(uid: &str, tx: i64) -> String {
    result(
        uid,
        json!({"transactionId": tx, "idTagInfo": {"status": "Accepted"}}),
    )
}

pub fn sv(value: &str) -> Value {
    json!({"value": value, "measurand": "Energy.Active.Import.Register", "unit": "Wh"})
}

pub fn sv_ctx(value: &str, ctx: &str) -> Value {
    json!({"value": value, "measurand": "Energy.Active.Import.Register", "unit": "Wh", "context": ctx})
}

pub fn mv16(uid: &str, conn: u32, tx: Option<i64>, min: i64, values: Vec<Value>) -> String {
    let mut p =
        json!({"connectorId": conn, "meterValue": [{"timestamp": t(min), "sampledValue": values}]});
    if let Some(tx) = tx {
        p["transactionId"] = json!(tx);
    }
    call(uid, "MeterValues", p)
}

pub fn reg16(uid: &str, conn: u32, tx: i64, min: i64, wh: &str) -> String {
    mv16(uid, conn, Some(tx), min, vec![sv(wh)])
}

pub fn stop16(uid: &str, tx: i64, meter_stop: i64, min: i64) -> String {
    call(
        uid,
        "StopTransaction",
        json!({"transactionId": tx, "meterStop": meter_stop, "timestamp": t(min), "reason": "EVDisconnected"}),
    )
}

pub fn status16(uid: &str, conn: u32, status: &str, min: i64) -> String {
    call(
        uid,
        "StatusNotification",
        json!({"connectorId": conn, "status": status, "errorCode": "NoError", "timestamp": t(min)}),
    )
}

// ---- OCPP 2.0.1 ----

pub struct Tx201 {
    pub id: String,
}

pub fn ev201(
    uid: &str,
    tx: &str,
    event: &str,
    seq: u64,
    min: i64,
    state: Option<&str>,
    values: Vec<Value>,
    extra: Value,
) -> String {
    let mut info = json!({"transactionId": tx});
    if let Some(s) = state {
        info["chargingState"] = json!(s);
    }
    let mut p = json!({
        "eventType": event, "timestamp": t(min), "triggerReason": "MeterValuePeriodic",
        "seqNo": seq, "transactionInfo": info,
    });
    if !values.is_empty() {
        p["meterValue"] = json!([{"timestamp": t(min), "sampledValue": values}]);
    }
    if let Value::Object(m) = extra {
        for (k, v) in m {
            if k == "transactionInfo" {
                if let Value::Object(ti) = v {
                    for (k2, v2) in ti {
                        p["transactionInfo"][k2] = v2;
                    }
                }
            } else {
                p[k] = v;
            }
        }
    }
    call(uid, "TransactionEvent", p)
}

pub fn reg201(value: &str) -> Value {
    let n: Value = serde_json::from_str(value).unwrap();
    json!({"value": n, "measurand": "Energy.Active.Import.Register"})
}

pub fn reg201_ctx(value: &str, ctx: &str) -> Value {
    let mut v = reg201(value);
    v["context"] = json!(ctx);
    v
}

pub fn log(lines: &[String]) -> String {
    lines.join("\n")
}

pub fn sessions(version: OcppVersion, lines: &[String]) -> Vec<Session> {
    sessions_from_log("CP-T", &log(lines), Some(version), &MeterPolicy::default()).unwrap()
}

pub fn one(version: OcppVersion, lines: &[String]) -> Session {
    let mut s = sessions(version, lines);
    assert_eq!(
        s.len(),
        1,
        "expected one session, got {:?}",
        s.iter().map(|s| s.key.to_string()).collect::<Vec<_>>()
    );
    s.remove(0)
}

pub fn kinds(s: &Session) -> Vec<&'static str> {
    s.anomaly_kinds().into_iter().map(|k| k.as_str()).collect()
}

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}
