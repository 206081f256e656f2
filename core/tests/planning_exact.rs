//! Plans against a brute-force optimum (issue 15): every on-set of at most 12 intervals, and
//! in it every choice of which charging intervals are only partly used, is tried; the
//! switches are counted on the rows that choice gives; the best is compared with what
//! `plan` answers for `Cheapest`, `Contiguous`, `max_switches` 0/1/2 (and `Contiguous` with
//! one switch) and `AsLateAsPossible`, with and without a minimum rate, with ties, zero and
//! negative prices. Also the issue's examples as regression tests.
//!
//! The brute force is written from the documented model only (docs/planning.md, the module
//! text of `planning`), in integers, without calling the planner:
//! * interval `k` lasts `d_k` s and allows `u_k` W (the least of the EV's maximum and the
//!   limit; it cannot charge when `u_k` is 0 or below the minimum rate `m`);
//! * the least power is `p = max(m, 0.1 W)`; an interval charging `e_k ≥ p·d_k` is one
//!   charging row, `0 < e_k < p·d_k` is a charging part and a pause, the charging part first
//!   or last (whichever makes fewer switches), `e_k = 0` is a pause;
//! * a switch is a change between charging and pausing between consecutive rows; a
//!   contiguous plan has one run of charging rows;
//! * the plan meets the need exactly when it can (else the least shortfall); a plan whose
//!   intervals must carry more than the need (at the least power) charges that least
//!   amount; then the least cost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::needless_range_loop)] // the brute force reads clearer with indices

use chargekit::planning::{plan, Plan, PlanRequest, PlanStrategy, SeriesPoint};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}
fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}
const T0: &str = "2026-03-10T22:00:00Z";

/// Energy unit of the brute force: 0.1 W·s (1 Wh = 36,000 units), so that every capacity,
/// least energy and need of the instances is an integer.
const UNITS_PER_WH: i128 = 36_000;

/// A test instance, in integers: prices in cents per kWh, powers in 0.1 W.
#[derive(Debug, Clone)]
struct Inst {
    step_s: i64,
    prices_ct: Vec<i64>,
    limits_dw: Vec<i64>,
    ev_max_dw: i64,
    min_dw: i64,
    need_wh: i64,
}

impl Inst {
    fn n(&self) -> usize {
        self.prices_ct.len()
    }

    /// Allowed power per interval, 0.1 W (0: cannot charge).
    fn power_dw(&self, k: usize) -> i64 {
        let u = self.limits_dw[k].min(self.ev_max_dw);
        if u <= 0 || u < self.min_dw {
            0
        } else {
            u
        }
    }

    fn cap(&self, k: usize) -> i128 {
        i128::from(self.power_dw(k) * self.step_s)
    }

    /// The energy of the least power over the whole interval.
    fn least(&self) -> i128 {
        i128::from(self.min_dw.max(1) * self.step_s)
    }

    fn need(&self) -> i128 {
        i128::from(self.need_wh) * UNITS_PER_WH
    }

    fn request(&self, strategy: PlanStrategy, max_switches: Option<u32>) -> PlanRequest {
        let at = |k: usize| t(T0) + Duration::seconds(self.step_s * k as i64);
        let mut r = PlanRequest::new(
            t(T0),
            at(self.n()),
            Decimal::from(self.need_wh),
            Decimal::new(self.ev_max_dw, 1),
        );
        r.interval_s = self.step_s as u32;
        r.prices = (0..self.n())
            .map(|k| SeriesPoint::new(at(k), Decimal::new(self.prices_ct[k], 2)))
            .collect();
        r.limits_w = (0..self.n())
            .map(|k| SeriesPoint::new(at(k), Decimal::new(self.limits_dw[k], 1)))
            .collect();
        if self.min_dw > 0 {
            r.ev.min_power_w = Some(Decimal::new(self.min_dw, 1));
        }
        r.strategy = strategy;
        r.max_switches = max_switches;
        r
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Off,
    Whole,
    Partial,
}

/// The fewest switches of the rows of `classes` (partly used intervals placed either way),
/// without a limit on runs and with at most one run of charging rows (None: impossible).
/// State: last row (0 none yet, 1 pause, 2 charging) and runs so far (0, 1, 2 or more).
fn fewest_switches(classes: &[Class]) -> (u32, Option<u32>) {
    const INF: u32 = u32::MAX;
    let mut best = [[INF; 3]; 3];
    best[0][0] = 0;
    for c in classes {
        let patterns: &[&[bool]] = match c {
            Class::Off => &[&[false]],
            Class::Whole => &[&[true]],
            Class::Partial => &[&[true, false], &[false, true]],
        };
        let mut next = [[INF; 3]; 3];
        for last in 0..3 {
            for runs in 0..3 {
                if best[last][runs] == INF {
                    continue;
                }
                for rows in patterns {
                    let (mut l, mut r, mut sw) = (last, runs, best[last][runs]);
                    for &on in rows.iter() {
                        let now = if on { 2 } else { 1 };
                        if l != 0 && l != now {
                            sw += 1;
                        }
                        if on && l != 2 {
                            r = (r + 1).min(2);
                        }
                        l = now;
                    }
                    next[l][r] = next[l][r].min(sw);
                }
            }
        }
        best = next;
    }
    let any = best.iter().flatten().copied().min().unwrap_or(INF);
    let one = best
        .iter()
        .flat_map(|b| [b[0], b[1]])
        .min()
        .filter(|v| *v != INF);
    (any, one)
}

/// The ranking of a plan: (shortfall, surplus, cost in cents × units).
type Key = (i128, i128, i128);

/// A constraint on the plan.
#[derive(Clone, Copy, Debug)]
struct Limit {
    one_run: bool,
    max_switches: Option<u32>,
}

/// The optimum (its key) for each limit, over every on-set and every choice of partly used
/// intervals in it, filled cheapest-first by `rank` between the bounds of that choice
/// (pause: 0; whole row: least energy to capacity; partly used: 0 to the least energy).
fn brute_force(inst: &Inst, rank: &[i128], limits: &[Limit]) -> Vec<Key> {
    let n = inst.n();
    let need = inst.need();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|k| (rank[*k], *k));
    let mut best: Vec<Option<Key>> = vec![None; limits.len()];
    let usable: u32 = (0..n).filter(|k| inst.cap(*k) > 0).map(|k| 1u32 << k).sum();
    let mut classes = vec![Class::Off; n];
    let (mut lo, mut hi) = (vec![0i128; n], vec![0i128; n]);
    for on in 0u32..(1 << n) {
        if on & !usable != 0 {
            continue;
        }
        // Every subset `part` of `on` (the partly used intervals), including the empty one.
        let mut part = on;
        loop {
            for k in 0..n {
                let bit = 1 << k;
                let (c, l, h) = if on & bit == 0 {
                    (Class::Off, 0, 0)
                } else if part & bit != 0 {
                    (Class::Partial, 0, inst.least().min(inst.cap(k)))
                } else {
                    (Class::Whole, inst.least().min(inst.cap(k)), inst.cap(k))
                };
                classes[k] = c;
                lo[k] = l;
                hi[k] = h;
            }
            let (any, one) = fewest_switches(&classes);
            let admissible: Vec<bool> = limits
                .iter()
                .map(|lim| {
                    let sw = if lim.one_run { one } else { Some(any) };
                    sw.is_some_and(|sw| lim.max_switches.is_none_or(|m| sw <= m))
                })
                .collect();
            if admissible.iter().any(|a| *a) {
                let mut e = lo.clone();
                let mut rem = need - lo.iter().sum::<i128>();
                for &k in &order {
                    if rem <= 0 {
                        break;
                    }
                    let add = (hi[k] - e[k]).min(rem);
                    e[k] += add;
                    rem -= add;
                }
                let total: i128 = e.iter().sum();
                let cost: i128 = (0..n).map(|k| e[k] * rank[k]).sum();
                let key = ((need - total).max(0), (total - need).max(0), cost);
                for (i, a) in admissible.iter().enumerate() {
                    if *a && best[i].is_none_or(|b| key < b) {
                        best[i] = Some(key);
                    }
                }
            }
            if part == 0 {
                break;
            }
            part = (part - 1) & on;
        }
    }
    best.into_iter().map(|b| b.unwrap()).collect()
}

fn wh(units: i128) -> Decimal {
    Decimal::from_i128_with_scale(units, 0) / Decimal::from(UNITS_PER_WH as i64)
}

/// What rounding may have added to the plan's energy in each interval, Wh: a charging row's
/// power is rounded up to 0.1 W, and a partly used interval's charging part up to a whole
/// second at its power (the model's energies themselves are exact).
fn rounding_wh(inst: &Inst, p: &Plan) -> Vec<Decimal> {
    let mut slack = vec![Decimal::ZERO; inst.n()];
    for i in &p.intervals {
        let k = ((i.start - t(T0)).num_seconds() / inst.step_s) as usize;
        let secs = Decimal::from((i.end - i.start).num_seconds());
        if i.power_w > Decimal::ZERO {
            slack[k] += (Decimal::new(1, 1) * secs + i.power_w) / Decimal::from(3600);
        }
    }
    slack.iter().map(|s| s + Decimal::new(1, 6)).collect()
}

fn charging_runs(p: &Plan) -> usize {
    let on: Vec<bool> = p
        .intervals
        .iter()
        .map(|i| i.power_w > Decimal::ZERO)
        .collect();
    on.iter()
        .enumerate()
        .filter(|(i, o)| **o && (*i == 0 || !on[i - 1]))
        .count()
}

/// The plan's energy per interval of the instance (rows summed).
fn energy_per_interval(inst: &Inst, p: &Plan) -> Vec<Decimal> {
    let mut e = vec![Decimal::ZERO; inst.n()];
    for i in &p.intervals {
        let k = ((i.start - t(T0)).num_seconds() / inst.step_s) as usize;
        e[k] += i.energy_wh;
    }
    e
}

/// Checks a plan against the brute-force key (in the ranking `rank`, cents per kWh).
fn check_against(inst: &Inst, p: &Plan, key: Key, rank: &[i128]) -> Result<(), TestCaseError> {
    let (shortfall, surplus, cost) = key;
    let need = Decimal::from(inst.need_wh);
    let e = energy_per_interval(inst, p);
    let slack = rounding_wh(inst, p);
    let slack_e: Decimal = slack.iter().sum();
    let slack_c: Decimal = (0..inst.n())
        .map(|k| slack[k] * Decimal::from(rank[k].abs() as i64))
        .sum::<Decimal>()
        / Decimal::from(100_000);
    let expected_energy = need - wh(shortfall) + wh(surplus);
    prop_assert!(
        p.energy_wh >= expected_energy - Decimal::new(1, 6)
            && p.energy_wh <= expected_energy + slack_e,
        "energy {} vs {} (shortfall {}, surplus {})",
        p.energy_wh,
        expected_energy,
        wh(shortfall),
        wh(surplus)
    );
    if shortfall == 0 {
        prop_assert!(p.feasible, "the need can be met");
    } else if wh(shortfall) > slack_e {
        prop_assert!(!p.feasible, "the need cannot be met");
    }
    let plan_cost: Decimal = (0..inst.n())
        .map(|k| e[k] * Decimal::from(rank[k] as i64))
        .sum::<Decimal>()
        / Decimal::from(100_000);
    let best = Decimal::from_i128_with_scale(cost, 0)
        / Decimal::from(UNITS_PER_WH as i64)
        / Decimal::from(100_000);
    prop_assert!(
        (plan_cost - best).abs() <= slack_c,
        "cost {} vs brute force {} (slack {})",
        plan_cost,
        best,
        slack_c
    );
    Ok(())
}

fn instance() -> impl Strategy<Value = Inst> {
    let prices = [-5i64, -2, 0, 0, 3, 10, 10, 20, 30, 42];
    let limits = [0i64, 14_000, 37_000, 74_000, 110_000, 110_000];
    (
        1usize..=12,
        prop_oneof![Just(900i64), Just(1800), Just(3600)],
        prop::collection::vec(0usize..prices.len(), 12),
        prop::collection::vec(0usize..limits.len(), 12),
        prop_oneof![Just(37_000i64), Just(74_000), Just(110_000)],
        prop_oneof![Just(0i64), Just(0), Just(14_000), Just(37_000)],
        0u32..=120,
    )
        .prop_map(move |(n, step_s, p, l, ev_max_dw, min_dw, pct)| {
            let mut inst = Inst {
                step_s,
                prices_ct: p[..n].iter().map(|i| prices[*i]).collect(),
                limits_dw: l[..n].iter().map(|i| limits[*i]).collect(),
                ev_max_dw,
                min_dw: min_dw.min(ev_max_dw),
                need_wh: 0,
            };
            let total: i128 = (0..n).map(|k| inst.cap(k)).sum();
            inst.need_wh = (total * i128::from(pct) / 100 / UNITS_PER_WH) as i64;
            inst
        })
}

/// The limits checked per instance, with the strategy and `max_switches` they stand for.
const CASES: [(PlanStrategy, Option<u32>, Limit); 6] = [
    (
        PlanStrategy::Cheapest,
        None,
        Limit {
            one_run: false,
            max_switches: None,
        },
    ),
    (
        PlanStrategy::Cheapest,
        Some(0),
        Limit {
            one_run: false,
            max_switches: Some(0),
        },
    ),
    (
        PlanStrategy::Cheapest,
        Some(1),
        Limit {
            one_run: false,
            max_switches: Some(1),
        },
    ),
    (
        PlanStrategy::Cheapest,
        Some(2),
        Limit {
            one_run: false,
            max_switches: Some(2),
        },
    ),
    (
        PlanStrategy::Contiguous,
        None,
        Limit {
            one_run: true,
            max_switches: None,
        },
    ),
    (
        PlanStrategy::Contiguous,
        Some(1),
        Limit {
            one_run: true,
            max_switches: Some(1),
        },
    ),
];

fn cases() -> u32 {
    std::env::var("PLAN_EXACT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn every_strategy_equals_the_brute_force_optimum(inst in instance()) {
        let rank: Vec<i128> = inst.prices_ct.iter().map(|c| i128::from(*c)).collect();
        let limits: Vec<Limit> = CASES.iter().map(|c| c.2).collect();
        let keys = brute_force(&inst, &rank, &limits);
        for ((strategy, max, limit), key) in CASES.iter().zip(keys) {
            let p = plan(&inst.request(*strategy, *max)).unwrap();
            prop_assert!(p.optimal, "{:?} {:?}: not proven optimal", strategy, max);
            if let Some(m) = limit.max_switches {
                prop_assert!(p.switches <= m, "{:?} {:?}: {} switches", strategy, max, p.switches);
            }
            if limit.one_run {
                prop_assert!(charging_runs(&p) <= 1, "{:?} {:?}: not one block", strategy, max);
            }
            for i in &p.intervals {
                let k = ((i.start - t(T0)).num_seconds() / inst.step_s) as usize;
                prop_assert!(i.power_w <= Decimal::new(inst.power_dw(k), 1));
                prop_assert!(i.power_w.is_zero() || i.power_w >= Decimal::new(inst.min_dw.max(1), 1));
            }
            check_against(&inst, &p, key, &rank)
                .map_err(|e| TestCaseError::fail(format!("{strategy:?} {max:?}: {e}")))?;
        }
    }

    #[test]
    fn as_late_as_possible_equals_the_latest_brute_force_fill(inst in instance()) {
        // As late as possible = cheapest when earlier is dearer: rank k by −k.
        let rank: Vec<i128> = (0..inst.n()).map(|k| -(k as i128)).collect();
        let key = brute_force(&inst, &rank, &[Limit { one_run: false, max_switches: None }])[0];
        let p = plan(&inst.request(PlanStrategy::AsLateAsPossible, None)).unwrap();
        prop_assert!(p.optimal);
        check_against(&inst, &p, key, &rank)?;
    }
}

// ---------------------------------------------------------------- the issue's examples

fn quarter_hours(start: &str, prices: &[&str]) -> Vec<SeriesPoint> {
    prices
        .iter()
        .enumerate()
        .map(|(k, p)| SeriesPoint::new(t(start) + Duration::minutes(15 * k as i64), d(p)))
        .collect()
}

/// Issue 15, first example: six hours at 3.7 kW, 11.1 kWh, no switch. Before: infeasible,
/// 0 Wh. Now: one block over the whole window; the three cheapest hours carry the need
/// (less 0.3 Wh), the other three the least power (0.1 W).
#[test]
fn issue_15_no_switch_over_six_hours_is_feasible() {
    let mut r = PlanRequest::new(t(T0), t(T0) + Duration::hours(6), d("11100"), d("3700"));
    r.interval_s = 3600;
    r.prices = ["0.10", "0.30", "0.10", "0.42", "0.42", "-0.02"]
        .iter()
        .enumerate()
        .map(|(h, p)| SeriesPoint::new(t(T0) + Duration::hours(h as i64), d(p)))
        .collect();
    r.max_switches = Some(0);
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal);
    assert_eq!(p.switches, 0);
    assert_eq!(p.energy_wh, d("11100"));
    let powers: Vec<String> = p.intervals.iter().map(|i| i.power_w.to_string()).collect();
    assert_eq!(powers, ["3700", "0.1", "3699.7", "0.1", "0.1", "3700"]);
    // 3.7 × 0.10 + 0.0001 × 0.30 + 3.6997 × 0.10 + 0.0001 × 0.42 × 2 + 3.7 × −0.02
    assert_eq!(p.expected_cost, d("0.666084"));
    // The constant 1,850 W of the issue costs 2.442: the plan is cheaper.
    assert!(p.expected_cost < d("2.442"));
}

/// Issue 15, second example (reconstructed: the issue gives the need, the switch limit,
/// the two 0.42 intervals and both costs, not the other prices; 3.7 kW cannot charge
/// 16.335 kWh in nine quarter hours, so the EV charges at 11 kW). 08:00-10:15: 0.85, four
/// quarter hours at 0, two at 0.42, two at 0.20. Before: 3.3407 (08:45-10:15: 5.5 kWh at
/// 0.20, 5.335 kWh at 0.42, 5.5 kWh at 0). The issue's witness: 08:00-09:45 with 08:15-09:15
/// full and 5.335 kWh over the two 0.42 intervals, 2.2407. Now: 08:15-10:15, the 0.42
/// intervals at the least power (0.1 W) inside the block, 5.33495 kWh at 0.20.
#[test]
fn issue_15_one_switch_keeps_a_dear_interval_inside_the_block() {
    let start = "2026-03-11T08:00:00Z";
    let mut r = PlanRequest::new(
        t(start),
        t(start) + Duration::minutes(9 * 15),
        d("16335"),
        d("11000"),
    );
    r.prices = quarter_hours(
        start,
        &["0.85", "0", "0", "0", "0", "0.42", "0.42", "0.20", "0.20"],
    );
    r.max_switches = Some(1);
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal);
    assert!(p.switches <= 1);
    // 5,334.95 Wh × 0.20 + 2 × 0.025 Wh × 0.42
    assert_eq!(p.expected_cost, d("1.067011"));
    assert!(p.expected_cost < d("2.2407"));
    let on: Vec<(String, String)> = p
        .intervals
        .iter()
        .filter(|i| i.power_w > Decimal::ZERO)
        .map(|i| (i.start.format("%H:%M").to_string(), i.power_w.to_string()))
        .collect();
    assert_eq!(on[0], ("08:15".into(), "11000".into()));
    assert_eq!(on[4], ("09:15".into(), "0.1".into()));
    assert_eq!(on.len(), 8);
}

/// Issue 15, third example (constructed: the issue gives only its two costs, 0.594 and
/// 0.517, not the instance; this one has the same defect). Two hours of charging (7.4 kWh
/// at 3.7 kW) in one block, 22:00-01:00 in quarter hours: 0.05 until 23:00, 0.42 for
/// 23:00-23:15, 0.05 until 00:15, then 0.20. Before: 0.71225 (22:00-00:00 with the dear
/// quarter hour charged in full), because the block 22:00-00:15 left that quarter hour
/// empty and was dropped. With every quarter hour at 3 kW or more, that block costs
/// 0.6475; without a minimum rate the dear quarter hour needs only 0.1 W: 0.37000925.
#[test]
fn issue_15_contiguous_crosses_a_dear_quarter_hour() {
    let mut r = PlanRequest::new(t(T0), t(T0) + Duration::hours(3), d("7400"), d("3700"));
    let mut prices = vec!["0.05"; 4];
    prices.push("0.42");
    prices.extend(["0.05"; 4]);
    prices.extend(["0.20"; 3]);
    r.prices = quarter_hours(T0, &prices);
    r.strategy = PlanStrategy::Contiguous;
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal && charging_runs(&p) == 1);
    // 7,399.975 Wh at 0.05 and 0.025 Wh at 0.42.
    assert_eq!(p.expected_cost, d("0.37000925"));
    let on: Vec<String> = p
        .intervals
        .iter()
        .filter(|i| i.power_w > Decimal::ZERO)
        .map(|i| i.power_w.to_string())
        .collect();
    assert_eq!(
        on,
        ["3700", "3700", "3700", "3700", "0.1", "3700", "3700", "3700", "3699.9"]
    );
    // With a 3 kW minimum rate: the same block, the dear quarter hour at 3 kW (the old
    // solver found this one: its inner intervals were never empty).
    r.ev.min_power_w = Some(d("3000"));
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal && charging_runs(&p) == 1);
    assert_eq!(p.expected_cost, d("0.6475")); // 0.75 kWh × 0.42 + 6.65 kWh × 0.05
    assert!(p.expected_cost < d("0.71225"));
    assert!(p
        .intervals
        .iter()
        .all(|i| i.power_w.is_zero() || i.power_w >= d("3000")));
}

/// A block whose lower bounds alone exceed the need: with a 3.5 kW minimum rate and no
/// switch, two hours at 4 kW at most can only charge at least 7 kWh; the need of 5 kWh is
/// met with the least surplus (3.5 kW for two hours), not refused.
#[test]
fn forced_surplus_meets_the_need_at_the_least_power() {
    let mut r = PlanRequest::new(t(T0), t(T0) + Duration::hours(2), d("5000"), d("4000"));
    r.interval_s = 3600;
    r.ev.min_power_w = Some(d("3500"));
    r.prices = vec![SeriesPoint::new(t(T0), d("0.20"))];
    r.max_switches = Some(0);
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal);
    assert_eq!(p.switches, 0);
    assert_eq!(p.energy_wh, d("7000"));
    assert_eq!(p.expected_cost, d("1.4"));
    // One switch allowed: the need itself (4 kWh in the first hour, then 1 kWh at 3.5 kW
    // or more and a pause; the part's power rounded up to 0.1 W adds 0.016 Wh).
    r.max_switches = Some(1);
    let p = plan(&r).unwrap();
    assert!(p.feasible && p.optimal && p.switches == 1);
    assert!(
        p.energy_wh >= d("5000") && p.energy_wh < d("5000.1"),
        "{}",
        p.energy_wh
    );
}
