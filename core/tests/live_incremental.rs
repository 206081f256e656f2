//! Sessions kept current frame by frame equal sessions derived from all frames.
//!
//! Logs are mostly in order (the case the assembler extends in place) with the things that
//! force a full derivation mixed in: register dips, resets and implausible jumps, power and
//! state-of-charge samples (unphased and per phase), mislabelled units, repeated and
//! reordered messages, seqNo gaps, state changes, MeterValues.conf and StartTransaction.conf
//! results, status notifications, receive times, ends, a second transaction and exported
//! (V2X) energy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use chargekit::meter::{IdleDetection, MeterPolicy, SeriesPreference, UnitSuspectPolicy};
use chargekit::session::{sessions_from_log, SessionAssembler};
use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

/// One step of a generated log.
#[derive(Debug, Clone)]
struct Step {
    /// What happens: mostly a sample; sometimes something else (see `frames`).
    kind: u8,
    /// Register increase, Wh.
    inc: u32,
    /// Extra sampled values: bit 0 power, 1 per-phase power, 2 SoC, 3 interval energy,
    /// 4 kWh unit, 5 a repeated value, 6 charging state change, 7 no receive time.
    extras: u8,
    /// Minutes back in time (0 mostly): a late or reordered message.
    back: u8,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let kind = prop_oneof![12 => Just(0u8), 1 => 1u8..12];
    let back = prop_oneof![10 => Just(0u8), 1 => 1u8..4];
    let inc = prop_oneof![1 => Just(0u32), 3 => 0u32..3000];
    prop::collection::vec(
        (kind, inc, any::<u8>(), back).prop_map(|(kind, inc, extras, back)| Step {
            kind,
            inc,
            extras: extras & if extras % 3 == 0 { 0xff } else { 0x45 },
            back,
        }),
        1..40,
    )
}

fn sampled(step: &Step, reg: u64, v201: bool) -> Vec<Value> {
    let num = |s: String| -> Value {
        if v201 {
            serde_json::from_str(&s).unwrap()
        } else {
            json!(s)
        }
    };
    let unit = |u: &str| -> (&'static str, Value) {
        if v201 {
            ("unitOfMeasure", json!({"unit": u}))
        } else {
            ("unit", json!(u))
        }
    };
    let value = |measurand: &str, v: String, u: &str, phase: Option<&str>| {
        let mut o = json!({"value": num(v), "measurand": measurand});
        let (k, uv) = unit(u);
        o[k] = uv;
        if let Some(p) = phase {
            o["phase"] = json!(p);
        }
        o
    };
    let e = step.extras;
    let mut out = Vec::new();
    let (reg_text, reg_unit) = if e & 16 != 0 {
        (format!("{}.{:03}", reg / 1000, reg % 1000), "kWh")
    } else {
        (reg.to_string(), "Wh")
    };
    out.push(value(
        "Energy.Active.Import.Register",
        reg_text,
        reg_unit,
        None,
    ));
    if e & 1 != 0 {
        out.push(value(
            "Power.Active.Import",
            (step.inc * 12).to_string(),
            "W",
            None,
        ));
    }
    if e & 2 != 0 {
        for p in ["L1", "L2", "L3"] {
            out.push(value(
                "Power.Active.Import",
                (step.inc * 4).to_string(),
                "W",
                Some(p),
            ));
        }
    }
    if e & 4 != 0 {
        out.push(value("SoC", (20 + reg % 80).to_string(), "Percent", None));
    }
    if e & 8 != 0 {
        out.push(value(
            "Energy.Active.Import.Interval",
            step.inc.to_string(),
            "Wh",
            None,
        ));
    }
    if e & 32 != 0 {
        out.push(out[0].clone());
    }
    // Now and then the car feeds energy back (V2X): an export register, which makes the
    // session one that is derived whole.
    if step.inc % 7 == 3 {
        out.push(value(
            "Energy.Active.Export.Register",
            (reg / 2).to_string(),
            "Wh",
            None,
        ));
    }
    out
}

fn envelope(line: String, min: i64, step: &Step) -> String {
    if step.extras & 128 != 0 {
        line
    } else {
        format!(r#"{{"received_at":"{}","frame":{line}}}"#, t(min))
    }
}

/// A 2.0.1 `Updated` event of transaction `TX<tx>`.
fn updated(
    uid: &str,
    tx: u32,
    seq: u64,
    min: i64,
    state: Option<&str>,
    values: Vec<Value>,
    extra: Value,
) -> String {
    ev201(
        uid,
        &format!("TX{tx}"),
        "Updated",
        seq,
        min,
        state,
        values,
        extra,
    )
}

/// A 1.6 or 2.0.1 log of one or two transactions shaped by `steps`.
fn live_log(steps: &[Step], v201: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut reg: u64 = 100_000;
    let mut tx = 1u32;
    let mut seq = 0u64;
    let states = ["Charging", "SuspendedEV", "EVConnected"];
    let mut state = 0usize;
    if v201 {
        lines.push(ev201("s1", "TX1", "Started", 0, 0, Some("Charging"),
            vec![reg201_ctx(&reg.to_string(), "Transaction.Begin")],
            json!({"evse": {"id": 1, "connectorId": 1}, "idToken": {"idToken": "T", "type": "ISO14443"}})));
    } else {
        lines.push(start16("s1", 1, reg as i64, 0));
        lines.push(start_result("s1", 1));
    }
    for (i, step) in steps.iter().enumerate() {
        let min = i as i64 + 1 - i64::from(step.back);
        let uid = format!("m{i}");
        match step.kind {
            // Register jumps that raise questions.
            1 => reg = reg.saturating_sub(u64::from(step.inc) + 1),
            2 => reg += 10_000_000,
            3 => reg = 0,
            _ => reg += u64::from(step.inc),
        }
        let line = match step.kind {
            4 => result(&format!("m{}", i.saturating_sub(1)), json!({})),
            5 if !v201 => status16(
                &uid,
                1,
                ["Charging", "SuspendedEV", "Finishing"][step.inc as usize % 3],
                min,
            ),
            5 => call(
                &uid,
                "StatusNotification",
                json!({"timestamp": t(min), "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1}),
            ),
            6 if i > 0 => {
                // A redelivery, exactly as first received.
                let again = lines[lines.len() / 2].clone();
                lines.push(again);
                continue;
            }
            7 => {
                // The transaction ends; the next one starts.
                let end = if v201 {
                    seq += 1;
                    ev201(
                        &uid,
                        &format!("TX{tx}"),
                        "Ended",
                        seq,
                        min,
                        None,
                        vec![reg201_ctx(&reg.to_string(), "Transaction.End")],
                        json!({}),
                    )
                } else {
                    stop16(&uid, i64::from(tx), reg as i64, min)
                };
                lines.push(envelope(end, min, step));
                tx += 1;
                seq = 0;
                if v201 {
                    ev201(
                        &format!("s{tx}"),
                        &format!("TX{tx}"),
                        "Started",
                        0,
                        min,
                        Some("Charging"),
                        vec![reg201_ctx(&reg.to_string(), "Transaction.Begin")],
                        json!({"evse": {"id": 1, "connectorId": 1}}),
                    )
                } else {
                    lines.push(start16(&format!("s{tx}"), 1, reg as i64, min));
                    start_result(&format!("s{tx}"), i64::from(tx))
                }
            }
            8 if !v201 => mv16(&uid, 1, None, min, sampled(step, reg, false)),
            8 => {
                seq += 2; // a seqNo that never arrives
                updated(
                    &uid,
                    tx,
                    seq,
                    min,
                    None,
                    sampled(step, reg, true),
                    json!({}),
                )
            }
            _ if !v201 => mv16(&uid, 1, Some(i64::from(tx)), min, sampled(step, reg, false)),
            _ => {
                seq += 1;
                if step.extras & 64 != 0 {
                    state = (state + 1) % states.len();
                }
                let extra = if step.extras & 4 != 0 {
                    json!({"transactionInfo": {"timeSpentCharging": 60 * i}})
                } else {
                    json!({})
                };
                updated(
                    &uid,
                    tx,
                    seq,
                    min,
                    Some(states[state]),
                    sampled(step, reg, true),
                    extra,
                )
            }
        };
        lines.push(envelope(line, i as i64 + 1, step));
    }
    lines
}

fn policies() -> impl Strategy<Value = MeterPolicy> {
    (0u8..5).prop_map(|p| {
        let mut policy = MeterPolicy::default();
        match p {
            1 => policy.idle_detection = IdleDetection::FlatRegister,
            2 => policy.series = SeriesPreference::PreferInterval,
            3 => policy.allow_implausible = true,
            4 => policy.unit_suspect = UnitSuspectPolicy::AutoCorrect,
            _ => {}
        }
        policy
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Read after every frame (events drained, so sessions are kept current): always what
    /// deriving from every frame so far gives.
    #[test]
    fn kept_sessions_equal_derived_ones(steps in steps(), v201 in any::<bool>(), policy in policies(), every in 1usize..4) {
        let lines = live_log(&steps, v201);
        let mut a = SessionAssembler::new("CP", None, policy.clone());
        for (i, line) in lines.iter().enumerate() {
            a.feed_log(line).unwrap();
            if i % every == 0 {
                a.drain_events().unwrap();
                let derived = sessions_from_log("CP", &lines[..=i].join("\n"), None, &policy).unwrap();
                prop_assert_eq!(a.sessions().unwrap(), derived, "after frame {}: {}", i, line);
            }
        }
    }
}

/// The common live case takes the in-place path: a long in-order transaction read after every
/// frame matches the bulk result (a regression guard for the path itself, not for speed).
#[test]
fn a_long_transaction_read_after_every_frame() {
    for v201 in [false, true] {
        let steps: Vec<Step> = (0..300)
            .map(|i| Step {
                kind: 0,
                inc: if i % 9 < 3 { 0 } else { 100 + (i % 7) * 50 },
                extras: [0, 1, 4, 5][i as usize % 4],
                back: 0,
            })
            .collect();
        let lines = live_log(&steps, v201);
        let mut a = SessionAssembler::new("CP", None, MeterPolicy::default());
        let mut energy = Vec::new();
        for line in &lines {
            a.feed_log(line).unwrap();
            let events = a.drain_events().unwrap();
            if let Some(s) = events.last().and_then(|e| e.session.as_deref()) {
                energy.push(s.energy_wh);
            }
        }
        let bulk =
            sessions_from_log("CP", &lines.join("\n"), None, &MeterPolicy::default()).unwrap();
        assert_eq!(a.sessions().unwrap(), bulk);
        assert_eq!(energy.last(), Some(&bulk[0].energy_wh));
        assert!(
            energy.windows(2).all(|w| w[0] <= w[1]),
            "energy never falls while fed in order"
        );
    }
}
