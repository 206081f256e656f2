//! Property tests of the composite schedule:
//! * at every instant the composite limit is ≤ the station maximum and ≤ every purpose that
//!   caps it, and equals the limit of the profile it names as binding;
//! * the composite of a single profile is that profile clipped to the window;
//! * W → A → W is stable within 0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chargekit::profile::{
    ChargingRateUnit, CompositeSchedule, DuplicatePolicy, GapFill, ProfileVersion,
    SmartChargingStation, StationConfig, StationOptions,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

const V201: ProfileVersion = ProfileVersion::V201;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap()
}

fn unit(w: bool) -> ChargingRateUnit {
    if w {
        ChargingRateUnit::W
    } else {
        ChargingRateUnit::A
    }
}

#[derive(Debug, Clone)]
struct Gen {
    purpose: &'static str,
    kind: &'static str,
    level: u32,
    /// Offset of startSchedule from t0 (Absolute/Recurring), seconds.
    start: i64,
    watts: bool,
    /// (gap to the previous startPeriod, limit in A or kW-ish units)
    periods: Vec<(u32, u32)>,
    duration: Option<u32>,
}

impl Gen {
    fn json(&self, id: i32, phases: Option<u8>) -> String {
        let mut sp = 0u32;
        let periods: Vec<_> = self
            .periods
            .iter()
            .enumerate()
            .map(|(i, (gap, lim))| {
                if i > 0 {
                    sp += gap;
                }
                let limit = if self.watts { lim * 250 } else { *lim };
                let mut p = json!({"startPeriod": sp, "limit": limit});
                if let Some(n) = phases {
                    p["numberPhases"] = json!(n);
                }
                p
            })
            .collect();
        let mut sched = json!({"id": 1, "chargingRateUnit": if self.watts {"W"} else {"A"},
            "chargingSchedulePeriod": periods});
        if self.kind != "Relative" {
            sched["startSchedule"] = json!((t0() + Duration::seconds(self.start)).to_rfc3339());
        }
        if let Some(d) = self.duration {
            sched["duration"] = json!(d);
        }
        let mut p = json!({"id": id, "stackLevel": self.level, "chargingProfilePurpose": self.purpose,
            "chargingProfileKind": self.kind, "chargingSchedule": [sched]});
        if self.kind == "Recurring" {
            p["recurrencyKind"] = json!("Daily");
        }
        if self.purpose == "TxProfile" {
            p["transactionId"] = json!("TX");
        }
        p.to_string()
    }
}

fn gen_profile() -> impl Strategy<Value = Gen> {
    (
        prop_oneof![
            Just("ChargingStationMaxProfile"),
            Just("TxDefaultProfile"),
            Just("TxProfile"),
            Just("ChargingStationExternalConstraints"),
        ],
        prop_oneof![Just("Absolute"), Just("Recurring"), Just("Relative")],
        0u32..4,
        -7200i64..7200,
        any::<bool>(),
        prop::collection::vec((1u32..2400, 0u32..64), 1..5),
        prop::option::of(60u32..10_000),
    )
        .prop_map(
            |(purpose, kind, level, start, watts, periods, duration)| Gen {
                purpose,
                kind: if purpose == "ChargingStationMaxProfile" && kind == "Relative" {
                    "Absolute"
                } else {
                    kind
                },
                level,
                start,
                watts,
                periods,
                duration,
            },
        )
}

/// A one-EVSE station with a transaction started at t0, profiles loaded as stored
/// (`duplicates: keep`), only those matching `keep`.
fn build(
    profiles: &[Gen],
    phases: Option<u8>,
    options: StationOptions,
    keep: impl Fn(&Gen) -> bool,
) -> SmartChargingStation {
    let mut st = SmartChargingStation::new(StationConfig {
        options: StationOptions {
            duplicates: DuplicatePolicy::Keep,
            ..options
        },
        ..StationConfig::with_evses(&[1])
    })
    .unwrap();
    st.start_transaction(1, t0(), Some("TX".into())).unwrap();
    for (i, g) in profiles.iter().enumerate() {
        if !keep(g) {
            continue;
        }
        let text = g.json(i as i32 + 1, phases);
        let evse = match g.purpose {
            "TxProfile" => 1,
            "TxDefaultProfile" if i % 2 == 0 => 1,
            _ => 0,
        };
        if g.purpose == "ChargingStationExternalConstraints" {
            let p = chargekit::profile::ChargingProfile::from_json(&text).unwrap();
            st.set_external_constraints(p, evse, V201).unwrap();
        } else {
            st.install(&text, evse, V201).unwrap();
        }
    }
    st
}

/// The limit in force `offset` seconds into the schedule.
fn limit_at(s: &CompositeSchedule, offset: u32) -> Option<Decimal> {
    s.period_at(offset).and_then(|p| p.limit)
}

fn close(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= Decimal::new(1, 9)
}

fn no_limit() -> StationOptions {
    StationOptions {
        gap_fill: GapFill::NoLimit,
        ..StationOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn composite_never_exceeds_station_max_or_any_capping_purpose(
        profiles in prop::collection::vec(gen_profile(), 1..7),
        phases in prop::option::of(prop_oneof![Just(1u8), Just(3u8)]),
        start in -3600i64..90_000,
        duration in 0i64..20_000,
        watts in any::<bool>(),
    ) {
        let at = t0() + Duration::seconds(start);
        let u = unit(watts);
        let full = build(&profiles, phases, no_limit(), |_| true);
        let s = full.composite_schedule(1, at, duration, Some(u)).unwrap();
        let only = |purposes: &[&str]| {
            build(&profiles, phases, no_limit(), |g| purposes.contains(&g.purpose))
                .composite_schedule(1, at, duration, Some(u))
                .unwrap()
        };
        let caps = [
            only(&["ChargingStationMaxProfile"]),
            only(&["ChargingStationExternalConstraints"]),
            only(&["TxProfile", "TxDefaultProfile"]),
        ];
        // Every instant where something changes in any of them.
        let mut instants: Vec<u32> = s.periods.iter().map(|p| p.start_period).collect();
        for c in &caps {
            instants.extend(c.periods.iter().map(|p| p.start_period));
        }
        for t in instants {
            let got = limit_at(&s, t);
            for c in &caps {
                if let Some(cap) = limit_at(c, t) {
                    let got = got.expect("a capped instant has a limit");
                    prop_assert!(got <= cap + Decimal::new(1, 9), "t={t}: {got} > {cap}");
                }
            }
        }
        // The profile named as binding sets exactly that limit.
        for p in &s.periods {
            if let Some(r) = &p.binding {
                let alone = build(&profiles, phases, no_limit(), |g| {
                    profiles.iter().position(|x| std::ptr::eq(x, g)).map(|i| i as i32 + 1) == Some(r.id)
                })
                .composite_schedule(1, at + Duration::seconds(i64::from(p.start_period)), 0, Some(u))
                .unwrap();
                let own = alone.periods[0].limit.unwrap();
                prop_assert!(close(own, p.limit.unwrap()), "profile {} says {own}, composite {}", r.id, p.limit.unwrap());
            } else {
                prop_assert_eq!(p.limit, None);
            }
        }
    }

    #[test]
    fn single_profile_composite_is_the_profile_clipped_to_the_window(
        g in gen_profile(),
        start in -3600i64..20_000,
        duration in 0i64..20_000,
    ) {
        let g = Gen { kind: if g.kind == "Recurring" { "Absolute" } else { g.kind }, ..g };
        let st = build(std::slice::from_ref(&g), None, no_limit(), |_| true);
        let u = unit(g.watts);
        let at = t0() + Duration::seconds(start);
        let s = st.composite_schedule(1, at, duration, Some(u)).unwrap();

        // The profile by hand: origin, period bounds, duration; clipped to [start, end).
        let origin = if g.kind == "Relative" { 0 } else { g.start };
        let mut bounds = Vec::new();
        let mut sp = 0i64;
        for (i, (gap, lim)) in g.periods.iter().enumerate() {
            if i > 0 { sp += i64::from(*gap); }
            let limit = if g.watts { lim * 250 } else { *lim };
            bounds.push((origin + sp, Decimal::from(limit)));
        }
        let stop = g.duration.map_or(i64::MAX, |d| origin + i64::from(d));
        let end = start + duration.max(1);
        let value = |t: i64| -> Option<Decimal> {
            if t >= stop { return None; }
            bounds.iter().take_while(|(b, _)| *b <= t).last().map(|(_, l)| *l)
        };
        let mut marks: Vec<i64> = bounds.iter().map(|(b, _)| *b).chain([stop, start]).filter(|t| *t >= start && *t < end).collect();
        marks.sort_unstable();
        marks.dedup();
        let mut want: Vec<(u32, Option<Decimal>)> = Vec::new();
        for m in marks {
            let v = value(m);
            if want.last().is_none_or(|(_, l)| *l != v) {
                want.push(((m - start) as u32, v));
            }
        }
        let got: Vec<(u32, Option<Decimal>)> = s.periods.iter().map(|p| (p.start_period, p.limit)).collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(i64::from(s.duration), duration);
    }

    #[test]
    fn w_to_a_to_w_is_stable_within_0_1(
        tenths in 0u64..2_000_000,
        phases in 1u8..=3,
        voltage in prop_oneof![Just(110u32), Just(120), Just(230), Just(240)],
    ) {
        let w = Decimal::new(tenths as i64, 1);
        let config = |unit: &str, limit: Decimal| {
            let mut st = SmartChargingStation::new(StationConfig {
                supply_voltage: Decimal::from(voltage),
                default_number_phases: phases,
                ..StationConfig::with_evses(&[1])
            }).unwrap();
            st.start_transaction(1, t0(), None).unwrap();
            let text = format!(
                r#"{{"id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Relative", "chargingSchedule": [{{"id": 1, "chargingRateUnit": "{unit}",
                "chargingSchedulePeriod": [{{"startPeriod": 0, "limit": {limit}}}]}}]}}"#
            );
            st.install(&text, 1, V201).unwrap();
            st
        };
        let a = config("W", w).composite_schedule(1, t0(), 60, Some(ChargingRateUnit::A)).unwrap().periods[0].limit.unwrap();
        let back = config("A", a).composite_schedule(1, t0(), 60, Some(ChargingRateUnit::W)).unwrap().periods[0].limit.unwrap();
        prop_assert!((back - w).abs() <= Decimal::new(1, 1), "{w} W -> {a} A -> {back} W");
    }
}
