//! Partials: a [`SiteAccumulator`] as bytes, to carry a shard's statistics between processes
//! (Spark, Dask, a queue) and merge them elsewhere.
//!
//! Format version 1:
//!
//! | bytes | content |
//! | --- | --- |
//! | 0..4 | magic `CKAC` (assembler checkpoints use `CKSA`/`CKSF`) |
//! | 4 | format version, `1` |
//! | 5..n-4 | body: `State` in postcard |
//! | n-4..n | CRC-32 (IEEE, big-endian) of bytes 0..n-4 |
//!
//! The options travel as their JSON text: it is their documented form, it decodes with the
//! same reader as any options file, and [`SiteAccumulator::fingerprint`] hashes the same
//! text. The checksum is what makes any corruption an error: postcard alone would read a
//! flipped count as another, valid, count.

use super::{Event, Hist, PortAcc, PortKey, SiteAccumulator, Totals, UserAcc};
use crate::analytics::options::SummaryOptions;
use crate::analytics::time::HourOfWeek;
use crate::analytics::validate::Flag;
use crate::error::wide;
use crate::limits::{check, MAX_ACCUMULATOR_BYTES};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const MAGIC: &[u8; 4] = b"CKAC";
/// The partial format this build writes and reads.
pub(in crate::analytics) const FORMAT: u8 = 1;
const HEADER: usize = 5;
const TRAILER: usize = 4;

/// What the bytes hold, borrowed for writing ([`Owned`] for reading: same fields, same order).
#[derive(Serialize)]
struct State<'a> {
    options: String,
    ports: &'a [PortKey],
    port: &'a [PortAcc],
    events: &'a [Event],
    arrivals: &'a HourOfWeek<u64>,
    departures: &'a HourOfWeek<u64>,
    energy_by_hour: &'a HourOfWeek<i64>,
    totals: &'a Totals,
    dwell: &'a Hist,
    charging: &'a Hist,
    idle: &'a Hist,
    energy: &'a Hist,
    days: &'a BTreeSet<i64>,
    /// Sorted by id, so that equal accumulators give equal bytes.
    users: Vec<(&'a str, UserAcc)>,
    ids: &'a [u128],
    flags: &'a BTreeMap<Flag, u64>,
}

#[derive(Deserialize)]
struct Owned {
    options: String,
    ports: Vec<PortKey>,
    port: Vec<PortAcc>,
    events: Vec<Event>,
    arrivals: HourOfWeek<u64>,
    departures: HourOfWeek<u64>,
    energy_by_hour: HourOfWeek<i64>,
    totals: Totals,
    dwell: Hist,
    charging: Hist,
    idle: Hist,
    energy: Hist,
    days: BTreeSet<i64>,
    users: Vec<(String, UserAcc)>,
    ids: Vec<u128>,
    flags: BTreeMap<Flag, u64>,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        argument: "accumulator bytes".into(),
        reason: reason.into(),
    }
}

/// `acc` in format [`FORMAT`].
pub(super) fn encode(acc: &SiteAccumulator) -> Vec<u8> {
    let mut users: Vec<(&str, UserAcc)> = acc.users.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    users.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let state = State {
        options: acc.options().to_json(),
        ports: &acc.ports,
        port: &acc.port,
        events: &acc.events,
        arrivals: &acc.arrivals,
        departures: &acc.departures,
        energy_by_hour: &acc.energy_by_hour,
        totals: &acc.totals,
        dwell: &acc.dwell,
        charging: &acc.charging,
        idle: &acc.idle,
        energy: &acc.energy,
        days: &acc.days,
        users,
        ids: &acc.ids,
        flags: &acc.flags,
    };
    seal(MAGIC, &state)
}

/// `body` framed: `magic`, [`FORMAT`], the body in postcard, and a CRC-32 of all before it.
pub(super) fn seal(magic: &[u8; 4], body: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::from(&magic[..]);
    out.push(FORMAT);
    // Integers, strings and sequences into a Vec: postcard cannot fail on them.
    out = postcard::to_extend(body, out).unwrap_or_default();
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

/// The accumulator in `bytes`, checked end to end before anything is decoded.
pub(super) fn decode(bytes: &[u8]) -> Result<SiteAccumulator, Error> {
    decode_within(bytes, MAX_ACCUMULATOR_BYTES)
}

/// [`decode`] with the size limit as an argument (tests need no gigabyte to reach it).
fn decode_within(bytes: &[u8], limit: usize) -> Result<SiteAccumulator, Error> {
    rebuild(open(MAGIC, "accumulator", bytes, limit)?)
}

/// The body [`seal`] framed under `magic`, checked end to end before it is decoded; errors
/// name the argument `{what} bytes`.
pub(super) fn open<T: serde::de::DeserializeOwned>(
    magic: &[u8; 4],
    what: &str,
    bytes: &[u8],
    limit: usize,
) -> Result<T, Error> {
    let argument = format!("{what} bytes");
    let invalid = |reason: String| Error::InvalidArgument {
        argument: argument.clone(),
        reason,
    };
    check(
        || argument.clone(),
        bytes.len(),
        limit,
        "MAX_ACCUMULATOR_BYTES",
    )?;
    let (Some(head), Some(&version)) = (bytes.get(..4), bytes.get(4)) else {
        return Err(invalid(format!(
            "{} bytes is shorter than any {what}",
            bytes.len()
        )));
    };
    if head != magic {
        return Err(invalid(format!("not a chargekit {what} (bad magic)")));
    }
    if version != FORMAT {
        return Err(invalid(format!(
            "format version {version} is not supported (this build reads version {FORMAT})"
        )));
    }
    let Some(split) = bytes.len().checked_sub(TRAILER).filter(|n| *n >= HEADER) else {
        return Err(invalid("truncated: no checksum".into()));
    };
    let (signed, crc) = bytes.split_at(split);
    if crc32fast::hash(signed) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
        return Err(invalid(
            "checksum mismatch (truncated or corrupted bytes)".into(),
        ));
    }
    let (body, rest) = postcard::take_from_bytes::<T>(&signed[HEADER..])
        .map_err(|e| invalid(format!("body: {e}")))?;
    if !rest.is_empty() {
        return Err(invalid(format!(
            "{} trailing bytes after the body",
            rest.len()
        )));
    }
    Ok(body)
}

/// The accumulator a decoded state describes, its invariants checked: one `PortAcc` per
/// port, declared ports first in their declared order (as [`SiteAccumulator::new`] registers
/// them), each port once, events on known ports, and counters that sessions can reach
/// (see [`counters`]).
fn rebuild(s: Owned) -> Result<SiteAccumulator, Error> {
    let options = SummaryOptions::from_json(&s.options).map_err(|e| invalid(e.to_string()))?;
    let mut acc = SiteAccumulator::new(&options)?;
    if s.ports.len() != s.port.len() {
        return Err(invalid(format!(
            "{} ports but {} port statistics",
            s.ports.len(),
            s.port.len()
        )));
    }
    if s.ports.get(..acc.ports.len()) != Some(&acc.ports[..]) {
        return Err(invalid("the declared ports are not first, in their order"));
    }
    acc.ports.clear();
    acc.port.clear();
    acc.index.clear();
    for (key, stats) in s.ports.into_iter().zip(s.port) {
        let fresh = acc.ports.len();
        let i = acc.port_of(&key.station, &key.port, stats.rated);
        if i != fresh {
            return Err(invalid(format!(
                "port {}/{} is listed twice",
                key.station, key.port
            )));
        }
        if let Some(p) = acc.port.get_mut(i) {
            *p = stats;
        }
    }
    let nports = wide(acc.ports.len());
    if let Some(e) = s
        .events
        .iter()
        .find(|(_, d, p)| u64::from(*p) >= nports || d.abs() != 1)
    {
        return Err(invalid(format!("event {e:?} is not on a known port")));
    }
    acc.events = s.events;
    acc.arrivals = s.arrivals;
    acc.departures = s.departures;
    acc.energy_by_hour = s.energy_by_hour;
    acc.totals = s.totals;
    acc.dwell = s.dwell;
    acc.charging = s.charging;
    acc.idle = s.idle;
    acc.energy = s.energy;
    acc.days = s.days;
    let users = s.users.len();
    acc.users = s.users.into_iter().collect();
    if acc.users.len() != users {
        return Err(invalid("a user is listed twice"));
    }
    acc.ids = s.ids;
    acc.flags = s.flags;
    counters(&acc)?;
    Ok(acc)
}

/// `n ≤ bound`, else "counter `what` (n) exceeds `of` (bound)".
fn at_most(
    what: impl std::fmt::Display,
    n: impl Into<u128>,
    of: &str,
    bound: impl Into<u128>,
) -> Result<(), Error> {
    let (n, bound) = (n.into(), bound.into());
    if n > bound {
        return Err(invalid(format!(
            "counter {what} ({n}) exceeds {of} ({bound})"
        )));
    }
    Ok(())
}

/// The counters as [`SiteAccumulator::add`] and [`SiteAccumulator::merge`] keep them: every
/// session seen pushes one id, and ends dropped, excluded or used; each other count grows by
/// at most one per session (used, or seen for flags: a `FlagSet` holds a flag once), and
/// events by two per used session. So every count is at most `ids.len()`, which the byte
/// limit keeps below 2⁶⁴ ÷ 2⁴ (16 bytes an id), and no sum of merged partials can overflow
/// (their ids are all held in memory). Forged counts (a valid checksum over absurd values)
/// would otherwise overflow the plain `+=` of `merge` and `finish`.
fn counters(acc: &SiteAccumulator) -> Result<(), Error> {
    let t = &acc.totals;
    let ids = acc.ids.len() as u64;
    if t.seen != ids {
        return Err(invalid(format!(
            "counter seen ({}) is not the number of session ids ({ids})",
            t.seen
        )));
    }
    let ended = u128::from(t.used) + u128::from(t.excluded) + u128::from(t.dropped);
    if ended != u128::from(t.seen) {
        return Err(invalid(format!(
            "counters used + excluded + dropped ({ended}) are not the sessions seen ({})",
            t.seen
        )));
    }
    let used = "the sessions used";
    at_most(
        "successes + turn_aways",
        u128::from(t.successes) + u128::from(t.turn_aways),
        used,
        t.used,
    )?;
    at_most("overstays", t.overstays, used, t.used)?;
    at_most("mean_n", t.mean_n, used, t.used)?;
    at_most("sessions_in_peak", t.sessions_in_peak, used, t.used)?;
    at_most(
        "flexible_sessions",
        t.flexible_sessions,
        "sessions_in_peak",
        t.sessions_in_peak,
    )?;
    for (name, h) in [
        ("dwell", &acc.dwell),
        ("charging", &acc.charging),
        ("idle", &acc.idle),
        ("energy", &acc.energy),
    ] {
        at_most(format!("{name} values"), h.count(), "mean_n", t.mean_n)?;
    }
    at_most(
        "events",
        acc.events.len() as u64,
        "twice the sessions used",
        2 * u128::from(t.used),
    )?;
    let (mut sessions, mut overstays, mut energies) = (0u128, 0u128, 0u128);
    for (k, p) in acc.ports.iter().zip(&acc.port) {
        let port = format!("{}/{}", k.station, k.port);
        at_most(
            format!("port {port} overstays"),
            p.overstays,
            "its sessions",
            p.sessions,
        )?;
        at_most(
            format!("port {port} energy values"),
            p.energy.count(),
            "its sessions",
            p.sessions,
        )?;
        if p.charging_in_period_s < 0 {
            return Err(invalid(format!(
                "port {port} charging in the period ({} s) is negative",
                p.charging_in_period_s
            )));
        }
        sessions += u128::from(p.sessions);
        overstays += u128::from(p.overstays);
        energies += u128::from(p.energy.count());
    }
    at_most("port sessions (all ports)", sessions, used, t.used)?;
    at_most(
        "port overstays (all ports)",
        overstays,
        "overstays",
        t.overstays,
    )?;
    at_most(
        "port energy values (all ports)",
        energies,
        "mean_n",
        t.mean_n,
    )?;
    for (name, grid) in [("arrivals", &acc.arrivals), ("departures", &acc.departures)] {
        let n: u128 = grid.values().iter().map(|v| u128::from(*v)).sum();
        at_most(name, n, used, t.used)?;
    }
    let (mut sessions, mut overstays) = (0u128, 0u128);
    for (id, u) in &acc.users {
        at_most(
            format!("user {id} overstays"),
            u.overstays,
            "their sessions",
            u.sessions,
        )?;
        sessions += u128::from(u.sessions);
        overstays += u128::from(u.overstays);
    }
    at_most("user sessions (all users)", sessions, used, t.used)?;
    at_most(
        "user overstays (all users)",
        overstays,
        "overstays",
        t.overstays,
    )?;
    for (flag, n) in &acc.flags {
        at_most(format!("flag {flag:?}"), *n, "the sessions seen", t.seen)?;
    }
    Ok(())
}

/// A 64-bit FNV-1a hash: simple, stable across builds and platforms (unlike `std`'s hashers).
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A rated power as its exact decimal parts (mantissa, scale): postcard cannot read
/// `Decimal`'s own serde form, which asks the format what comes next.
pub(super) mod rated {
    use crate::units::Power;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(p: &Option<Power>, s: S) -> Result<S::Ok, S::Error> {
        p.map(|p| (p.w().mantissa(), p.w().scale())).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Power>, D::Error> {
        Option::<(i128, u32)>::deserialize(d)?
            .map(|(m, scale)| {
                Decimal::try_from_i128_with_scale(m, scale)
                    .map(Power::from_w)
                    .map_err(serde::de::Error::custom)
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::analytics::Period;
    use chrono::NaiveDate;

    fn acc() -> SiteAccumulator {
        let mut opts = SummaryOptions::for_tz(chrono_tz::UTC);
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        opts.period = Some(Period::local_days(chrono_tz::UTC, day, 7).unwrap());
        SiteAccumulator::new(&opts).unwrap()
    }

    #[test]
    fn bytes_beyond_the_limit_are_too_large() {
        let bytes = encode(&acc());
        assert!(decode_within(&bytes, bytes.len()).is_ok());
        match decode_within(&bytes, bytes.len() - 1) {
            Err(Error::TooLarge { name, size, .. }) => {
                assert_eq!(name, "MAX_ACCUMULATOR_BYTES");
                assert_eq!(size, wide(bytes.len()));
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = encode(&acc());
        assert_eq!(&bytes[..5], b"CKAC\x01");
        let (signed, crc) = bytes.split_at(bytes.len() - 4);
        assert_eq!(crc32fast::hash(signed).to_be_bytes(), crc);
    }

    /// Bytes with a valid checksum whose state breaks an invariant (forged, or written by a
    /// buggy build) are refused, not trusted into `finish`.
    #[test]
    fn a_state_breaking_an_invariant_is_refused() {
        let with_port = || {
            let mut a = acc();
            a.port_of("ST", "1", None);
            a
        };
        let mut a = with_port();
        a.events.push((0, 1, 1));
        let mut b = with_port();
        b.ports.push(b.ports[0].clone());
        b.port.push(PortAcc::default());
        let mut c = with_port();
        c.port.clear();
        let mut d = with_port();
        d.events.push((0, 2, 0));
        let mut declared = acc().options().clone();
        for p in ["1", "2"] {
            declared.ports.push(crate::analytics::PortConfig {
                station_id: "ST".into(),
                port_id: p.into(),
                rated_power: None,
                kind: None,
            });
        }
        let mut e = SiteAccumulator::new(&declared).unwrap();
        e.ports.swap(0, 1);
        for (bad, reason) in [
            (a, "not on a known port"),
            (b, "listed twice"),
            (c, "1 ports but 0 port statistics"),
            (d, "not on a known port"),
            (e, "declared ports are not first"),
        ] {
            let err = decode(&encode(&bad)).unwrap_err();
            assert!(err.to_string().contains(reason), "{err}");
        }
        assert!(decode(&encode(&with_port())).is_ok());
    }

    /// An accumulator of a week of generated sessions.
    fn filled() -> SiteAccumulator {
        use crate::analytics::{generate, GeneratorConfig};
        let cfg = GeneratorConfig {
            days: 7,
            ..GeneratorConfig::default()
        };
        let mut opts = SummaryOptions::for_tz(cfg.tz);
        opts.period = Some(cfg.period().unwrap());
        let mut acc = SiteAccumulator::new(&opts).unwrap();
        generate(&cfg).unwrap().iter().for_each(|s| acc.add(s));
        assert!(acc.totals.used > 0 && !acc.users.is_empty() && !acc.flags.is_empty());
        acc
    }

    /// Counts no sessions can give (a valid checksum over absurd values) are refused: merged
    /// or finished, they would overflow.
    #[test]
    fn counters_beyond_the_sessions_are_refused() {
        type Forge = fn(&mut SiteAccumulator);
        let forged: [(Forge, &str); 14] = [
            (|a| a.totals.seen = u64::MAX, "counter seen"),
            (|a| a.totals.used = u64::MAX, "used + excluded + dropped"),
            (|a| a.totals.dropped = u64::MAX, "used + excluded + dropped"),
            (|a| a.totals.successes = u64::MAX, "successes + turn_aways"),
            (|a| a.totals.overstays = u64::MAX, "counter overstays"),
            (|a| a.totals.mean_n = u64::MAX, "counter mean_n"),
            (
                |a| a.totals.flexible_sessions = u64::MAX,
                "flexible_sessions",
            ),
            (|a| a.port[0].sessions = u64::MAX, "port sessions"),
            (|a| a.port[0].overstays = u64::MAX, "overstays"),
            (|a| a.arrivals.add_at(3, u64::MAX / 2), "counter arrivals"),
            (
                |a| a.departures.add_at(0, u64::MAX / 2),
                "counter departures",
            ),
            (
                |a| a.users.values_mut().for_each(|u| u.sessions = u64::MAX),
                "user sessions",
            ),
            (
                |a| a.flags.values_mut().for_each(|n| *n = u64::MAX),
                "exceeds the sessions seen",
            ),
            (
                |a| a.port[0].charging_in_period_s = -1,
                "charging in the period (-1 s) is negative",
            ),
        ];
        let good = filled();
        assert!(decode(&encode(&good)).is_ok());
        for (forge, reason) in forged {
            let mut bad = good.clone();
            forge(&mut bad);
            let err = decode(&encode(&bad)).unwrap_err();
            assert_eq!(err.kind(), "invalid_argument");
            assert!(err.to_string().contains(reason), "{reason}: {err}");
        }
    }

    /// Every counter at the largest value the checks accept, then merged: no overflow.
    #[test]
    fn maximal_valid_counters_merge_and_finish() {
        let mut max = filled();
        let t = &mut max.totals;
        let n = t.seen;
        (t.used, t.excluded, t.dropped) = (n, 0, 0);
        (t.successes, t.turn_aways, t.overstays, t.mean_n) = (n, 0, n, n);
        (t.sessions_in_peak, t.flexible_sessions) = (n, n);
        // The ports' sessions already sum to the sessions used (at most n): every one overstayed.
        max.port.iter_mut().for_each(|p| p.overstays = p.sessions);
        max.arrivals = HourOfWeek::default();
        max.arrivals.add_at(0, n);
        max.departures = HourOfWeek::default();
        max.departures.add_at(167, n);
        max.users.values_mut().for_each(|u| *u = UserAcc::default());
        if let Some(u) = max.users.values_mut().next() {
            (u.sessions, u.overstays) = (n, n);
        }
        max.flags.values_mut().for_each(|c| *c = n);
        // Energy and time sums at the ends of i64 saturate instead of overflowing.
        max.energy_by_hour = HourOfWeek::default();
        max.energy_by_hour.add_at(3, i64::MAX);
        max.totals.occupied_s = i64::MIN;
        max.totals.charging_s = i64::MAX;
        max.port
            .iter_mut()
            .for_each(|p| p.charging_in_period_s = i64::MAX);
        let mut a = decode(&encode(&max)).unwrap();
        a.merge(decode(&encode(&max)).unwrap()).unwrap();
        a.merge(a.clone()).unwrap();
        assert_eq!(a.totals.seen, 4 * n);
        assert_eq!(a.arrivals.values()[0], 4 * n);
        assert!(a.finish().is_ok());
        assert!(decode(&encode(&a)).is_ok());
    }

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of the FNV reference.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
