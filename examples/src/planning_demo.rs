//! Plans a night of 20 cars at a 150 kW site (250 A per phase connection, two 100 A
//! feeders) with a day-ahead price series (examples/data/day-ahead-prices.json, made-up
//! values): the site allocation (price-aware: `cheapest`), and each driver's energy and
//! expected cost under the three sharing strategies (fair share, earliest deadline first,
//! cheapest) next to what the driver's own cheapest plan would cost if the site were free.
//! Deterministic: the cars are generated from their index.

use chargekit::planning::{
    allocate, plan, AllocationRequest, PlanRequest, PowerLimits, SeriesPoint, SharingStrategy,
    Site, SiteEvse, SiteGroup, SiteSession,
};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/day-ahead-prices.json");
    let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let prices: Vec<SeriesPoint> = serde_json::from_value(data["prices"].clone())?;
    let t0: DateTime<Utc> = "2026-01-14T18:00:00Z".parse()?;
    let end = t0 + Duration::hours(14);

    let amps = |a: u32| Some(Decimal::from(a));
    let groups = vec![
        // 150 kW connection (≈ 217 A per phase at 230 V).
        SiteGroup {
            id: "grid".into(),
            parent: None,
            max_current_a: amps(250),
            max_power_w: Some(Decimal::from(150_000)),
        },
        SiteGroup {
            id: "feeder-A".into(),
            parent: Some("grid".into()),
            max_current_a: amps(100),
            max_power_w: None,
        },
        SiteGroup {
            id: "feeder-B".into(),
            parent: Some("grid".into()),
            max_current_a: amps(100),
            max_power_w: None,
        },
    ];
    let mut evses = Vec::new();
    let mut sessions = Vec::new();
    for i in 0..20u32 {
        let single = i % 5 == 4; // every fifth car charges on one phase
        let id = format!("EVSE-{:02}", i + 1);
        evses.push(SiteEvse {
            id: id.clone(),
            group: if i < 10 { "feeder-A" } else { "feeder-B" }.into(),
            station_id: format!("CS-{:02}", i / 2 + 1),
            evse_id: i % 2 + 1,
            max_power_w: Some(Decimal::from(22_000)),
            max_current_a: None,
            phases: 3,
            first_phase: (i % 3) as u8 + 1, // rotate single-phase load over L1-L3
        });
        let arrival = t0 + Duration::minutes(i64::from(i * 11 % 120));
        let departure = t0 + Duration::hours(10 + i64::from(i % 4));
        sessions.push(SiteSession {
            evse_id: id,
            need_wh: Decimal::from(12_000 + (i * 7_919 % 40) * 1_000),
            arrival,
            departure,
            priority: u32::from(i % 7 == 0),
            ev: PowerLimits {
                max_power_w: Some(Decimal::from(if single { 7_400 } else { 11_000 })),
                min_power_w: Some(Decimal::from(if single { 1_400 } else { 4_200 })),
                phases: Some(if single { 1 } else { 3 }),
                ..PowerLimits::default()
            },
            transaction_id: Some(format!("TX-{i}")),
        });
    }
    let mut req = AllocationRequest {
        site: Site {
            groups,
            evses,
            voltage: Decimal::from(230),
            pv_w: vec![],
            house_load_w: vec![],
        },
        sessions,
        from: t0,
        until: Some(end),
        strategy: SharingStrategy::Cheapest,
        interval_s: 900,
        prices: prices.clone(),
        profile: Default::default(),
    };
    let a = allocate(&req)?;
    req.strategy = SharingStrategy::EqualShare;
    let fair = allocate(&req)?;
    req.strategy = SharingStrategy::EarliestDeadlineFirst;
    let edf = allocate(&req)?;

    println!(
        "Site allocation, strategy cheapest (hourly averages; connection 150 kW / 250 A per phase)"
    );
    println!(
        "{:<6} {:>8} {:>10} {:>8} {:>8} {:>8} {:>6}",
        "hour", "price", "site kW", "L1 A", "L2 A", "L3 A", "cars"
    );
    for h in 0..14 {
        let from = t0 + Duration::hours(h);
        let rows: Vec<_> = a
            .intervals
            .iter()
            .filter(|i| i.start >= from && i.start < from + Duration::hours(1))
            .collect();
        let n = Decimal::from(rows.len().max(1) as u64);
        let avg = |f: &dyn Fn(&chargekit::planning::SiteInterval) -> Decimal| {
            (rows.iter().map(|i| f(i)).sum::<Decimal>() / n).round_dp(1)
        };
        let cars = rows
            .iter()
            .map(|i| i.evses.iter().filter(|e| e.power_w > Decimal::ZERO).count())
            .max()
            .unwrap_or(0);
        let price = prices
            .iter()
            .rev()
            .find(|p| p.start <= from)
            .map(|p| p.value)
            .unwrap_or_default();
        println!(
            "{:<6} {:>8} {:>10} {:>8} {:>8} {:>8} {:>6}",
            from.format("%H:%M"),
            price,
            avg(&|i| i.groups[0].power_w / Decimal::from(1000)),
            avg(&|i| i.groups[0].l1_a),
            avg(&|i| i.groups[0].l2_a),
            avg(&|i| i.groups[0].l3_a),
            cars
        );
    }

    println!();
    println!("Cost per driver, EUR: fair share, earliest deadline first, cheapest (site), own plan (free site)");
    println!(
        "{:<9} {:>6} {:>6} {:>9} {:>9} {:>8} {:>8} {:>9} {:>8} {:>9}",
        "EVSE",
        "arrive",
        "leave",
        "need kWh",
        "got kWh",
        "fair",
        "edf",
        "cheapest",
        "own",
        "EUR/kWh"
    );
    let mut total = Decimal::ZERO;
    let mut own_total = Decimal::ZERO;
    for (k, (s, o)) in req.sessions.iter().zip(&a.sessions).enumerate() {
        // The driver's own cost-optimal plan if the site were free.
        let mut own = PlanRequest::new(s.arrival, s.departure, s.need_wh, Decimal::from(22_000));
        own.ev = s.ev.clone();
        own.prices = prices.clone();
        let own = plan(&own)?;
        let per_kwh = if o.energy_wh.is_zero() {
            Decimal::ZERO
        } else {
            (o.expected_cost * Decimal::from(1000) / o.energy_wh).round_dp(3)
        };
        total += o.expected_cost;
        own_total += own.expected_cost;
        println!(
            "{:<9} {:>6} {:>6} {:>9} {:>9} {:>8} {:>8} {:>9} {:>8} {:>9}",
            s.evse_id,
            s.arrival.format("%H:%M"),
            s.departure.format("%H:%M"),
            (s.need_wh / Decimal::from(1000)).round_dp(1),
            (o.energy_wh / Decimal::from(1000)).round_dp(1),
            fair.sessions[k].expected_cost.round_dp(2),
            edf.sessions[k].expected_cost.round_dp(2),
            o.expected_cost.round_dp(2),
            own.expected_cost.round_dp(2),
            per_kwh,
        );
    }
    let sum = |a: &chargekit::planning::SiteAllocation| {
        a.sessions
            .iter()
            .map(|s| s.expected_cost)
            .sum::<Decimal>()
            .round_dp(2)
    };
    println!();
    println!(
        "Total EUR: fair share {}, earliest deadline first {}, cheapest {}, own plans on a free site {}.",
        sum(&fair),
        sum(&edf),
        total.round_dp(2),
        own_total.round_dp(2)
    );
    println!(
        "cheapest: {} of {} drivers fully charged; {} TxProfiles and {} station profiles ready to send.",
        a.sessions.iter().filter(|s| s.feasible).count(),
        a.sessions.len(),
        a.tx_profiles.len(),
        a.station_profiles.len()
    );
    Ok(())
}
