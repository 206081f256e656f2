//! Property tests of the analytics: merging accumulators in any split and any order equals
//! the one-pass result; every rate lies in [0, 1]; the generator is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::*;
use chargekit::units::{Energy, Power};
use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn tz() -> chrono_tz::Tz {
    "Europe/Berlin".parse().unwrap()
}

/// The week of the 2026 spring-forward (Sunday 29 March), 167 hours.
fn period() -> Period {
    Period::local_days(tz(), NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), 7).unwrap()
}

const REASONS: [&str; 6] = [
    "EVDisconnected",
    "StoppedByEV",
    "EmergencyStop",
    "Remote",
    "Other",
    "PowerLoss",
];

prop_compose! {
    /// Anything from plausible to broken: overlapping sessions on one port, ends before
    /// starts, sessions around the period edges, huge energies, charging longer than dwell.
    fn arb_record()(
        id in 0u16..400,
        port in 0u8..4,
        start in -86_400i64..(8 * 86_400),
        dwell in -3_600i64..(3 * 86_400),
        wh in 0u32..300_000,
        charging in proptest::option::of(0i64..(2 * 86_400)),
        charge_end in proptest::option::of(-600i64..(2 * 86_400)),
        user in proptest::option::of(0u8..6),
        reason in 0usize..6,
        code in any::<bool>(),
    ) -> SessionRecord {
        let plug_in = period().start() + Duration::seconds(start);
        let mut r = SessionRecord::new(
            format!("R{id}"),
            format!("ST-{}", port / 2),
            (port % 2).to_string(),
            plug_in,
            plug_in + Duration::seconds(dwell),
            Energy::from_wh(Decimal::from(wh)),
        );
        r.charging_s = charging;
        r.charge_end = charge_end.map(|c| plug_in + Duration::seconds(c));
        r.user_id = user.map(|u| format!("U{u}"));
        r.stop_reason = Some(REASONS[reason].to_string());
        if code {
            r.error_codes = vec!["GroundFailure".into()];
        }
        r
    }
}

prop_compose! {
    fn arb_options()(
        filter in prop_oneof![
            Just(SessionFilter::ExcludeErrors),
            Just(SessionFilter::ExcludeWarnings),
            Just(SessionFilter::IncludeAll),
        ],
        outliers in prop_oneof![
            Just(OutlierPolicy::Flag),
            Just(OutlierPolicy::Cap),
            Just(OutlierPolicy::Drop),
        ],
        denominator in prop_oneof![
            Just(UtilisationDenominator::PerPort),
            Just(UtilisationDenominator::PerStation),
        ],
        idle in prop_oneof![
            Just(IdleDefinition::DwellMinusCharging),
            Just(IdleDefinition::ExcludesThrottled),
            Just(IdleDefinition::AfterFullOnly),
        ],
        utc in any::<bool>(),
        declared in any::<bool>(),
        hours in any::<bool>(),
    ) -> SummaryOptions {
        let mut o = SummaryOptions::for_tz(tz());
        o.period = Some(period());
        o.filter = filter;
        o.outliers = outliers;
        o.denominator = denominator;
        o.idle = idle;
        if utc {
            o.bucketing = Bucketing::UtcBuckets;
        }
        if declared {
            o.ports = (0..3)
                .map(|p| PortConfig {
                    station_id: format!("ST-{}", p / 2),
                    port_id: (p % 2).to_string(),
                    rated_power: Some(Power::from_w(Decimal::from(11_000))),
                    kind: Some(PowerKind::Ac),
                })
                .collect();
        }
        if hours {
            o.availability = Availability::OperatingHours {
                hours: [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Sun]
                    .into_iter()
                    .map(|day| OpeningHours {
                        day,
                        open: NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
                        close: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
                    })
                    .collect(),
                closures: vec![],
            };
        }
        o
    }
}

fn in_unit(d: Decimal) -> bool {
    d >= Decimal::ZERO && d <= Decimal::ONE
}

fn one_pass(records: &[SessionRecord], o: &SummaryOptions) -> SiteSummary {
    let mut acc = SiteAccumulator::new(o).unwrap();
    records.iter().for_each(|r| acc.add(r));
    acc.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_any_split_in_any_order_equals_one_pass(
        records in proptest::collection::vec(arb_record(), 0..50),
        cuts in proptest::collection::vec(0usize..50, 0..5),
        order_seed in any::<u64>(),
        o in arb_options(),
    ) {
        let expected = one_pass(&records, &o);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(records.len())).collect();
        cuts.push(0);
        cuts.push(records.len());
        cuts.sort_unstable();
        let mut shards: Vec<SiteAccumulator> = cuts
            .windows(2)
            .map(|w| {
                let mut acc = SiteAccumulator::new(&o).unwrap();
                records[w[0]..w[1]].iter().for_each(|r| acc.add(r));
                acc
            })
            .collect();
        // Merge in a pseudo-random order, sometimes into an empty accumulator.
        let mut state = order_seed | 1;
        let mut total = shards.pop().unwrap();
        while !shards.is_empty() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let next = shards.swap_remove((state % shards.len() as u64) as usize);
            if state % 2 == 0 {
                total.merge(next).unwrap();
            } else {
                let mut n = next;
                n.merge(total).unwrap();
                total = n;
            }
        }
        prop_assert_eq!(total.finish().unwrap(), expected);
    }

    #[test]
    fn rates_lie_in_the_unit_interval(
        records in proptest::collection::vec(arb_record(), 0..60),
        o in arb_options(),
    ) {
        let s = one_pass(&records, &o);
        let u = &s.utilisation;
        prop_assert!(in_unit(u.occupied) && in_unit(u.charging) && in_unit(u.idle));
        prop_assert!(in_unit(u.congestion));
        prop_assert!(u.capacity_factor.is_none_or(in_unit));
        prop_assert!(u.charging <= u.occupied);
        for p in &s.ports {
            prop_assert!(in_unit(p.occupied_rate) && in_unit(p.charging_rate) && in_unit(p.idle_rate));
            prop_assert!(p.busy_s <= s.time.available_s);
            prop_assert!(p.capacity_factor.is_none_or(in_unit));
        }
        for st in &s.stations {
            prop_assert!(in_unit(st.occupied_rate));
        }
        prop_assert!(s.heatmaps.occupancy.values().iter().all(|v| in_unit(*v)));
        prop_assert!(s.heatmaps.congestion.values().iter().all(|v| in_unit(*v)));
        prop_assert!(in_unit(s.overstay.share));
        prop_assert!(s.off_peak.shiftable_kwh <= s.off_peak.peak_energy_kwh);
        prop_assert!(s.time.congestion_s <= s.time.available_s);
    }

    #[test]
    fn generated_sites_merge_and_stay_plausible(seed in any::<u64>(), days in 1u32..10, shards in 1usize..4) {
        let cfg = GeneratorConfig { seed, days, ..GeneratorConfig::default() };
        let sessions = generate(&cfg).unwrap();
        prop_assert_eq!(&sessions, &generate(&cfg).unwrap());
        let o = cfg.summary_options().unwrap();
        let one = summarize(&sessions, &o).unwrap();
        prop_assert_eq!(&summarize_parallel(&sessions, &o, shards).unwrap(), &one);
        prop_assert_eq!(one.counts.sessions_used + one.counts.sessions_excluded, sessions.len() as u64);
        prop_assert!(one.flags.iter().all(|f| f.severity == Severity::Warning));
        prop_assert!(sessions.windows(2).all(|w| w[0].plug_in <= w[1].plug_in));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Patterns (`docs/analytics-and-feedback.md` §3): segments partition the sessions, users
    /// partition those with a user id, order statistics are ordered, shares lie in [0, 1],
    /// and nothing depends on the order of the records.
    #[test]
    fn patterns_partition_and_ignore_order(
        records in proptest::collection::vec(arb_record(), 0..60),
        o in arb_options(),
        rotate in 0usize..60,
    ) {
        let opts = PatternOptions::default();
        let p = behaviour_patterns(&records, &o, &opts).unwrap();
        let seg_total: u64 = p.segments.iter().map(|s| s.sessions).sum();
        prop_assert_eq!(seg_total, records.len() as u64);
        let with_user = records.iter().filter(|r| r.user_id.is_some()).count() as u64;
        prop_assert_eq!(p.users.iter().map(|u| u.sessions).sum::<u64>(), with_user);
        for s in &p.segments {
            prop_assert_eq!(s.classes.iter().map(|c| c.sessions).sum::<u64>(), s.sessions);
        }
        for d in p.users.iter().map(|u| u.dwell).chain(p.segments.iter().map(|s| s.dwell)) {
            prop_assert!(d.min_s <= d.p25_s && d.p25_s <= d.median_s && d.median_s <= d.p75_s);
            prop_assert!(d.p75_s <= d.max_s && d.min_s <= d.mean_s && d.mean_s <= d.max_s);
            prop_assert!(d.min_s >= 0);
        }
        for u in &p.users {
            prop_assert!(in_unit(u.overstay_share) && in_unit(u.home_share));
            prop_assert!(u.arrival_hour < 24 && u.departure_hour < 24);
        }
        let mut shuffled = records.clone();
        if !shuffled.is_empty() {
            let k = rotate % shuffled.len();
            shuffled.rotate_left(k);
            shuffled.reverse();
        }
        prop_assert_eq!(behaviour_patterns(&shuffled, &o, &opts).unwrap(), p);
        let f = DepartureForecaster::fit(&records, &o, &opts).unwrap();
        prop_assert_eq!(DepartureForecaster::fit(&shuffled, &o, &opts).unwrap(), f.clone());
        for r in &records {
            if let Some(g) = f.forecast(r.user_id.as_deref(), r.plug_in) {
                prop_assert!(g.dwell_s >= 0 && g.sessions >= 1);
                prop_assert_eq!(g.departure, r.plug_in + Duration::seconds(g.dwell_s));
            }
        }
    }
}
