//! Planning: cost-optimal plans (Cheapest, 15-minute grid over 12 h of hourly prices; and one
//! 24 h plan of 96 quarter-hour prices under each strategy and switch limit) and site
//! allocation (EqualShare, EarliestDeadlineFirst and Cheapest over 12 h, 15-minute grid, a
//! connection with ten feeders), for 1, 100 and 1,000 sessions.
#![allow(missing_docs)]
// A setup that fails must stop the bench run, not be timed as a no-op.
#![allow(clippy::expect_used)]

use chargekit::planning::{
    allocate, plan, AllocationRequest, PlanRequest, PlanStrategy, PowerLimits, SeriesPoint,
    SharingStrategy, Site, SiteEvse, SiteGroup, SiteSession,
};
use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;
use std::hint::black_box;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_768_413_600, 0).unwrap_or_default() // 2026-01-14T18:00:00Z
}

fn prices() -> Vec<SeriesPoint> {
    (0..12)
        .map(|h| {
            SeriesPoint::new(
                t0() + Duration::hours(h),
                Decimal::new(150 + (h * 37 % 11) * 17, 3),
            )
        })
        .collect()
}

fn plan_requests(n: u32) -> Vec<PlanRequest> {
    (0..n)
        .map(|i| {
            let mut r = PlanRequest::new(
                t0() + Duration::minutes(i64::from(i % 60)),
                t0() + Duration::hours(8 + i64::from(i % 4)),
                Decimal::from(10_000 + (i % 40) * 1000),
                Decimal::from(11_000),
            );
            r.ev.min_power_w = Some(Decimal::from(4_200));
            r.prices = prices();
            r
        })
        .collect()
}

fn site_request(n: u32, strategy: SharingStrategy) -> AllocationRequest {
    let mut groups = vec![SiteGroup {
        id: "grid".into(),
        parent: None,
        max_current_a: Some(Decimal::from(n * 8 + 32)),
        max_power_w: None,
    }];
    for f in 0..10 {
        groups.push(SiteGroup {
            id: format!("F{f}"),
            parent: Some("grid".into()),
            max_current_a: Some(Decimal::from(n + 16)),
            max_power_w: None,
        });
    }
    let evses = (0..n)
        .map(|i| SiteEvse {
            id: format!("E{i}"),
            group: format!("F{}", i % 10),
            station_id: format!("CS{}", i / 2),
            evse_id: i % 2 + 1,
            max_power_w: Some(Decimal::from(22_000)),
            max_current_a: None,
            phases: 3,
            first_phase: (i % 3) as u8 + 1,
        })
        .collect();
    let sessions = (0..n)
        .map(|i| SiteSession {
            evse_id: format!("E{i}"),
            need_wh: Decimal::from(10_000 + (i % 40) * 1000),
            arrival: t0() + Duration::minutes(i64::from(i % 90)),
            departure: t0() + Duration::hours(8 + i64::from(i % 4)),
            priority: 0,
            ev: PowerLimits {
                max_power_w: Some(Decimal::from(if i % 5 == 4 { 7_400 } else { 11_000 })),
                min_power_w: Some(Decimal::from(1_400)),
                phases: Some(if i % 5 == 4 { 1 } else { 3 }),
                ..PowerLimits::default()
            },
            transaction_id: None,
        })
        .collect();
    AllocationRequest {
        site: Site {
            groups,
            evses,
            voltage: Decimal::from(230),
            pv_w: vec![],
            house_load_w: vec![],
        },
        sessions,
        from: t0(),
        until: Some(t0() + Duration::hours(12)),
        strategy,
        interval_s: 900,
        prices: prices(),
        profile: Default::default(),
    }
}

/// A day of 96 quarter-hour prices (a morning and an evening peak, a cheap night), 30 kWh
/// at up to 7.4 kW with no minimum rate: room for every strategy to choose.
fn day_request(strategy: PlanStrategy, max_switches: Option<u32>) -> PlanRequest {
    let mut r = PlanRequest::new(
        t0(),
        t0() + Duration::hours(24),
        Decimal::from(30_000),
        Decimal::from(7_400),
    );
    r.prices = (0..96)
        .map(|q| {
            let h = q / 4;
            let base = if (7..10).contains(&h) || (17..21).contains(&h) {
                320
            } else {
                180
            };
            SeriesPoint::new(
                t0() + Duration::minutes(15 * q),
                Decimal::new(base + (q * 37 % 23) * 3 - if h < 6 { 90 } else { 0 }, 3),
            )
        })
        .collect();
    r.strategy = strategy;
    r.max_switches = max_switches;
    r
}

fn planning(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan_day_96_quarter_hours");
    g.sample_size(10);
    for (name, strategy, switches) in [
        ("cheapest", PlanStrategy::Cheapest, None),
        ("as_late_as_possible", PlanStrategy::AsLateAsPossible, None),
        ("contiguous", PlanStrategy::Contiguous, None),
        ("max_switches_0", PlanStrategy::Cheapest, Some(0)),
        ("max_switches_1", PlanStrategy::Cheapest, Some(1)),
        ("max_switches_2", PlanStrategy::Cheapest, Some(2)),
    ] {
        let req = day_request(strategy, switches);
        let p = plan(&req).expect("the day request plans");
        assert!(p.feasible, "{name}: the need fits the day");
        g.bench_with_input(BenchmarkId::from_parameter(name), &req, |b, req| {
            b.iter(|| plan(black_box(req)).map(|p| p.intervals.len()).unwrap_or(0))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("plan_cheapest");
    for n in [1u32, 100, 1000] {
        let reqs = plan_requests(n);
        g.throughput(Throughput::Elements(u64::from(n)));
        g.bench_with_input(BenchmarkId::from_parameter(n), &reqs, |b, reqs| {
            b.iter(|| reqs.iter().filter_map(|r| plan(black_box(r)).ok()).count())
        });
    }
    g.finish();
    for (name, strategy) in [
        ("allocate_equal_share", SharingStrategy::EqualShare),
        ("allocate_edf", SharingStrategy::EarliestDeadlineFirst),
        ("allocate_cheapest", SharingStrategy::Cheapest),
    ] {
        let mut g = c.benchmark_group(name);
        g.sample_size(10);
        for n in [1u32, 100, 1000] {
            let req = site_request(n, strategy);
            g.throughput(Throughput::Elements(u64::from(n)));
            g.bench_with_input(BenchmarkId::from_parameter(n), &req, |b, req| {
                b.iter(|| {
                    allocate(black_box(req))
                        .map(|a| a.intervals.len())
                        .unwrap_or(0)
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, planning);
criterion_main!(benches);
