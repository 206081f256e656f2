//! Partials that travel between processes: accumulators sharded, sent as bytes, read back
//! and merged give exactly the one-pass summary; damaged bytes are errors, never panics;
//! the fingerprint tells options apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::*;
use chargekit::units::Power;
use chargekit::Error;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn config(seed: u64, days: u32, stations: u32, ports: u32) -> GeneratorConfig {
    GeneratorConfig {
        seed,
        days,
        stations,
        ports_per_station: ports,
        ..GeneratorConfig::default()
    }
}

fn options(cfg: &GeneratorConfig) -> SummaryOptions {
    let mut opts = SummaryOptions::for_tz(cfg.tz);
    opts.period = Some(cfg.period().unwrap());
    opts
}

/// A few sessions, for the byte-by-byte damage tests.
fn small() -> SiteAccumulator {
    let cfg = config(7, 1, 1, 1);
    let mut acc = SiteAccumulator::new(&options(&cfg)).unwrap();
    generate(&cfg)
        .unwrap()
        .iter()
        .take(4)
        .for_each(|s| acc.add(s));
    assert!(acc.sessions_seen() > 0);
    acc
}

fn accumulate(opts: &SummaryOptions, sessions: &[&SessionRecord]) -> SiteAccumulator {
    let mut acc = SiteAccumulator::new(opts).unwrap();
    sessions.iter().for_each(|s| acc.add(s));
    acc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Any split into 1–5 shards, each through bytes, merged in order: the one-pass summary.
    #[test]
    fn shards_through_bytes_merge_to_the_one_pass_summary(
        seed in any::<u64>(),
        days in 1u32..8,
        stations in 1u32..3,
        ports in 1u32..3,
        k in 1usize..=5,
        salt in any::<u64>(),
        declare in any::<bool>(),
        filter in prop_oneof![
            Just(SessionFilter::ExcludeErrors),
            Just(SessionFilter::IncludeAll),
        ],
        outliers in prop_oneof![
            Just(OutlierPolicy::Flag),
            Just(OutlierPolicy::Cap),
            Just(OutlierPolicy::Drop),
        ],
    ) {
        let cfg = config(seed, days, stations, ports);
        let sessions = generate(&cfg).unwrap();
        let mut opts = options(&cfg);
        opts.filter = filter;
        opts.outliers = outliers;
        if declare {
            // Declared ports come first in an accumulator: declare them in reverse, with a
            // power, plus one that never sees a session.
            let mut keys: Vec<(String, String)> = sessions
                .iter()
                .map(|s| (s.station_id.clone(), s.port_id.clone()))
                .collect();
            keys.sort();
            keys.dedup();
            keys.reverse();
            keys.push(("GHOST".into(), "9".into()));
            opts.ports = keys
                .into_iter()
                .map(|(station_id, port_id)| PortConfig {
                    station_id,
                    port_id,
                    rated_power: Some(Power::from_w(Decimal::new(110_005, 1))),
                    kind: None,
                })
                .collect();
        }
        let all: Vec<&SessionRecord> = sessions.iter().collect();
        let one = accumulate(&opts, &all).finish().unwrap();

        let mut shards: Vec<Vec<&SessionRecord>> = vec![Vec::new(); k];
        for (i, s) in sessions.iter().enumerate() {
            let h = (i as u64 ^ salt).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32;
            shards[(h % k as u64) as usize].push(s);
        }
        let partials: Vec<SiteAccumulator> =
            shards.iter().map(|part| accumulate(&opts, part)).collect();
        let fingerprint = partials[0].fingerprint();
        let decoded: Vec<SiteAccumulator> = partials
            .iter()
            .map(|p| {
                let back = SiteAccumulator::from_bytes(&p.to_bytes()).unwrap();
                assert_eq!(back.fingerprint(), fingerprint);
                assert_eq!(back.options(), p.options());
                // Each partial finishes as its original, and writes the same bytes again.
                assert_eq!(back.finish().unwrap(), p.finish().unwrap());
                assert_eq!(back.to_bytes(), p.to_bytes());
                back
            })
            .collect();
        prop_assert_eq!(SiteAccumulator::merge_many(decoded).unwrap().finish().unwrap(), one.clone());

        // Decoded and original partials mix, in reverse order.
        let mixed = partials.iter().rev().enumerate().map(|(i, p)| {
            if i % 2 == 0 { SiteAccumulator::from_bytes(&p.to_bytes()).unwrap() } else { p.clone() }
        });
        prop_assert_eq!(SiteAccumulator::merge_many(mixed).unwrap().finish().unwrap(), one);
    }
}

#[test]
fn different_options_have_different_fingerprints_and_do_not_merge() {
    let cfg = config(3, 2, 1, 2);
    let opts = options(&cfg);
    let mut other = opts.clone();
    other.overstay_grace_s += 1;
    let mut tz = opts.clone();
    tz.tz = "Europe/Berlin".parse().unwrap();
    let a = SiteAccumulator::new(&opts).unwrap();
    assert_eq!(
        a.fingerprint(),
        SiteAccumulator::new(&opts).unwrap().fingerprint()
    );
    assert!(a.fingerprint().bytes().all(|b| b.is_ascii_hexdigit()));
    for o in [other, tz] {
        let b = SiteAccumulator::new(&o).unwrap();
        assert_ne!(a.fingerprint(), b.fingerprint());
        let b = SiteAccumulator::from_bytes(&b.to_bytes()).unwrap();
        assert_eq!(
            a.clone().merge(b.clone()),
            Err(Error::IncompatibleAccumulators)
        );
        assert_eq!(
            SiteAccumulator::merge_many([a.clone(), b]).unwrap_err(),
            Error::IncompatibleAccumulators
        );
    }
}

#[test]
fn merging_nothing_is_an_error() {
    let err = SiteAccumulator::merge_many(Vec::new()).unwrap_err();
    assert_eq!(err.kind(), "invalid_argument");
    let one = small();
    let same = SiteAccumulator::merge_many([one.clone()]).unwrap();
    assert_eq!(same.finish().unwrap(), one.finish().unwrap());
}

#[test]
fn every_single_byte_change_or_truncation_is_an_error() {
    let bytes = small().to_bytes();
    assert!(SiteAccumulator::from_bytes(&bytes).is_ok());
    for i in 0..bytes.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            let err = SiteAccumulator::from_bytes(&bad).unwrap_err();
            assert_eq!(
                err.kind(),
                "invalid_argument",
                "byte {i} ^ {mask:#x}: {err}"
            );
        }
    }
    for n in 0..bytes.len() {
        let err = SiteAccumulator::from_bytes(&bytes[..n]).unwrap_err();
        assert_eq!(err.kind(), "invalid_argument", "first {n} bytes: {err}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(SiteAccumulator::from_bytes(&longer).is_err());
}

#[test]
fn trailing_bytes_inside_the_checksum_are_an_error() {
    // A body followed by extra bytes, with a checksum over all of it.
    let bytes = small().to_bytes();
    let mut padded = bytes[..bytes.len() - 4].to_vec();
    padded.extend_from_slice(&[0, 0, 0]);
    let crc = crc32(&padded);
    padded.extend_from_slice(&crc.to_be_bytes());
    let err = SiteAccumulator::from_bytes(&padded).unwrap_err();
    assert!(err.to_string().contains("trailing"), "{err}");
}

#[test]
fn garbage_is_an_error() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for len in [0usize, 1, 5, 9, 64, 1000] {
        let mut bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(SiteAccumulator::from_bytes(&bytes).is_err());
        // With the right header, garbage still fails (the checksum, else the body).
        if len > 5 {
            bytes[..5].copy_from_slice(b"CKAC\x01");
            assert!(SiteAccumulator::from_bytes(&bytes).is_err());
        }
    }
    // An assembler checkpoint is not an accumulator.
    let err =
        SiteAccumulator::from_bytes(b"CKSA\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00").unwrap_err();
    assert!(err.to_string().contains("magic"), "{err}");
}

#[test]
fn another_format_version_is_an_error_naming_it() {
    let mut bytes = small().to_bytes();
    assert_eq!(bytes[4], 1);
    for v in [0u8, 2, 255] {
        bytes[4] = v;
        let err = SiteAccumulator::from_bytes(&bytes).unwrap_err();
        assert_eq!(err.kind(), "invalid_argument");
        let text = err.to_string();
        assert!(text.contains(&format!("format version {v} ")), "{text}");
        assert!(text.contains("reads version 1"), "{text}");
    }
}

/// CRC-32 (IEEE), bitwise: the checksum the format documents.
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |mut c, b| {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
        }
        c
    })
}

#[test]
fn a_partial_takes_about_60_bytes_a_session() {
    // What docs/limits.md says of MAX_ACCUMULATOR_BYTES: some 15 million sessions in 1 GiB.
    let cfg = GeneratorConfig {
        days: 30,
        stations: 4,
        ports_per_station: 2,
        ..GeneratorConfig::default()
    };
    let sessions = generate(&cfg).unwrap();
    let all: Vec<&SessionRecord> = sessions.iter().collect();
    let bytes = accumulate(&options(&cfg), &all).to_bytes();
    // A fixed part (options, the hour-of-week grids) and then the sessions.
    assert!(
        bytes.len() < 8_000 + 60 * sessions.len(),
        "{} bytes",
        bytes.len()
    );
}
