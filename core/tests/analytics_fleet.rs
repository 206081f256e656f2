//! Fleet partials: sites summarised where their sessions are, fixed-size partials merged in
//! any order, equal to the one-process fleet summary; each site's summary equal to
//! `summarize` of that site alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::*;
use chargekit::Error;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Sessions of `sites` sites (ids `site-0` …), each a generated site of its own stations;
/// with `unnamed`, the last site has no id.
fn fleet(seed: u64, days: u32, sites: u32, unnamed: bool) -> (Vec<SessionRecord>, SummaryOptions) {
    let base = GeneratorConfig {
        seed,
        days,
        stations: 2,
        ports_per_station: 2,
        ..GeneratorConfig::default()
    };
    let mut all = Vec::new();
    for k in 0..sites {
        let cfg = GeneratorConfig {
            seed: seed.wrapping_add(u64::from(k)),
            ..base.clone()
        };
        for mut s in generate(&cfg).unwrap() {
            s.station_id = format!("s{k}-{}", s.station_id);
            s.session_id = format!("s{k}-{}", s.session_id);
            s.site_id = (!(unnamed && k + 1 == sites)).then(|| format!("site-{k}"));
            all.push(s);
        }
    }
    let mut opts = SummaryOptions::for_tz(base.tz);
    opts.period = Some(base.period().unwrap());
    (all, opts)
}

fn site_of(sessions: &[SessionRecord], site: Option<&str>) -> Vec<SessionRecord> {
    sessions
        .iter()
        .filter(|s| s.site_id.as_deref() == site)
        .cloned()
        .collect()
}

#[test]
fn each_site_summary_is_summarize_of_that_site_alone() {
    let (sessions, opts) = fleet(11, 7, 3, true);
    let sites = summarize_fleet(&sessions, &opts).unwrap().sites;
    let ids: Vec<Option<&str>> = sites.iter().map(|s| s.site_id.as_deref()).collect();
    assert_eq!(ids, [None, Some("site-0"), Some("site-1")]);
    for site in &sites {
        let mut one = opts.clone();
        one.site_id.clone_from(&site.site_id);
        let alone = summarize(&site_of(&sessions, site.site_id.as_deref()), &one).unwrap();
        assert_eq!(site, &alone);
    }
}

#[test]
fn the_fleet_adds_up_its_sites() {
    let (sessions, opts) = fleet(5, 14, 4, false);
    let FleetReport { fleet, sites } = summarize_fleet(&sessions, &opts).unwrap();
    assert_eq!(fleet.sites, 4);
    assert_eq!(fleet.counts.sessions_seen, sessions.len() as u64);
    let sum = |f: &dyn Fn(&SiteSummary) -> u64| sites.iter().map(f).sum::<u64>();
    assert_eq!(fleet.counts.sessions_used, sum(&|s| s.counts.sessions_used));
    assert_eq!(fleet.ports, sum(&|s| s.ports.len() as u64));
    assert_eq!(fleet.stations, 8);
    assert_eq!(
        fleet.energy.total_kwh,
        sites.iter().map(|s| s.energy.total_kwh).sum::<Decimal>()
    );
    assert_eq!(
        fleet.time.occupied_s,
        sites.iter().map(|s| s.time.occupied_s).sum::<i64>()
    );
    assert_eq!(
        fleet.demand.overstays,
        sum(&|s| s.overstay.sessions),
        "overstays"
    );
    let arrivals: u64 = fleet.heatmaps.arrivals.rows().iter().flatten().sum();
    assert_eq!(
        arrivals,
        sum(&|s| s.heatmaps.arrivals.rows().iter().flatten().sum())
    );
    // Every port is available the whole period (no opening hours set).
    assert_eq!(
        fleet.time.port_available_s,
        opts.period.unwrap().seconds() * fleet.ports as i64
    );
    assert!(fleet.time.occupied_rate > Decimal::ZERO && fleet.time.occupied_rate < Decimal::ONE);
}

#[test]
fn the_partial_does_not_grow_with_sessions_or_sites() {
    let sizes: Vec<usize> = [(1, 1), (28, 1), (28, 6)]
        .iter()
        .map(|&(days, sites)| {
            let (sessions, opts) = fleet(3, days, sites, false);
            let mut p = FleetPartial::new(&opts).unwrap();
            p.add_sites(&sessions).unwrap();
            p.to_bytes().len()
        })
        .collect();
    // Varint counters may take a few more bytes; nothing grows per session or per site.
    for n in &sizes {
        assert!(*n < 6 * 1024, "{sizes:?}");
    }
    assert!(sizes[2] - sizes[0] < 1024, "{sizes:?}");
}

#[test]
fn bytes_round_trip_and_damage_is_an_error() {
    let (sessions, opts) = fleet(9, 3, 2, false);
    let mut p = FleetPartial::new(&opts).unwrap();
    p.add_sites(&sessions).unwrap();
    let bytes = p.to_bytes();
    assert_eq!(&bytes[..5], b"CKFL\x01");
    let back = FleetPartial::from_bytes(&bytes).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.fingerprint(), p.fingerprint());
    assert_eq!(back.finish().unwrap(), p.finish().unwrap());
    for i in [0, 4, 9, bytes.len() / 2, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[i] ^= 0x20;
        let err = FleetPartial::from_bytes(&bad).unwrap_err();
        assert_eq!(err.kind(), "invalid_argument", "byte {i}: {err}");
        assert!(err.to_string().contains("fleet partial bytes"), "{err}");
    }
    // A site accumulator's bytes are not a fleet partial, and the reverse.
    let acc = SiteAccumulator::new(&opts).unwrap().to_bytes();
    let err = FleetPartial::from_bytes(&acc).unwrap_err();
    assert!(err.to_string().contains("bad magic"), "{err}");
    assert!(SiteAccumulator::from_bytes(&bytes).is_err());
}

#[test]
fn partials_of_other_options_refuse_to_merge() {
    let (sessions, opts) = fleet(2, 2, 1, false);
    let mut a = FleetPartial::new(&opts).unwrap();
    a.add_sites(&sessions).unwrap();
    let mut other = opts.clone();
    other.overstay_grace_s += 60;
    let b = FleetPartial::new(&other).unwrap();
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert!(matches!(
        a.merge(b.clone()),
        Err(Error::IncompatibleAccumulators)
    ));
    // The site label is not an option of the fleet.
    let mut labelled = opts.clone();
    labelled.site_id = Some("ignored".into());
    let c = FleetPartial::new(&labelled).unwrap();
    assert_eq!(a.fingerprint(), c.fingerprint());
    assert!(FleetPartial::merge_many([]).is_err());
    assert!(matches!(
        FleetPartial::new(&SummaryOptions::for_tz(chrono_tz::UTC)),
        Err(Error::MissingPeriod)
    ));
}

#[test]
fn declared_ports_count_at_the_site_of_their_station() {
    let (sessions, mut opts) = fleet(4, 3, 2, false);
    let port = |station: &str, port: &str| PortConfig {
        station_id: station.into(),
        port_id: port.into(),
        rated_power: None,
        kind: None,
    };
    let mut seen: Vec<(String, String)> = sessions
        .iter()
        .map(|s| (s.station_id.clone(), s.port_id.clone()))
        .collect();
    seen.sort();
    seen.dedup();
    opts.ports = seen.iter().map(|(s, p)| port(s, p)).collect();
    opts.ports.push(port("s0-ST-1", "9"));
    opts.ports.push(port("nowhere", "1"));
    let plain = summarize_fleet(
        &sessions,
        &SummaryOptions {
            ports: vec![],
            ..opts.clone()
        },
    )
    .unwrap()
    .fleet;
    let FleetReport { fleet, sites } = summarize_fleet(&sessions, &opts).unwrap();
    assert_eq!(fleet.ports, plain.ports + 1);
    assert!(sites[0]
        .ports
        .iter()
        .any(|p| p.station_id == "s0-ST-1" && p.port_id == "9"));
    assert!(sites[1].ports.iter().all(|p| p.port_id != "9"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Sites dealt to 1–4 partials in any way, each through bytes, merged in any order: the
    /// one-process fleet summary.
    #[test]
    fn partials_merge_to_the_one_process_fleet(
        seed in any::<u64>(),
        sites in 1u32..5,
        k in 1usize..=4,
        deal in proptest::collection::vec(any::<u8>(), 5),
        reverse in any::<bool>(),
    ) {
        let (sessions, opts) = fleet(seed, 2, sites, seed % 2 == 0);
        let FleetReport { fleet: one, sites: summaries } = summarize_fleet(&sessions, &opts).unwrap();
        let mut parts: Vec<FleetPartial> = (0..k).map(|_| FleetPartial::new(&opts).unwrap()).collect();
        for (i, site) in summaries.iter().enumerate() {
            let to = usize::from(deal[i % deal.len()]) % k;
            parts[to].add_sites(&site_of(&sessions, site.site_id.as_deref())).unwrap();
        }
        let mut parts: Vec<FleetPartial> = parts
            .iter()
            .map(|p| FleetPartial::from_bytes(&p.to_bytes()).unwrap())
            .collect();
        if reverse {
            parts.reverse();
        }
        let merged = FleetPartial::merge_many(parts).unwrap();
        prop_assert_eq!(merged.sites(), u64::from(sites));
        prop_assert_eq!(merged.finish().unwrap(), one);
    }
}
