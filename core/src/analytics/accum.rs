//! The mergeable site accumulator: feed sessions in any order, in any number of shards,
//! merge the shards in any order, and the summary equals the one-pass summary.
//!
//! Every accumulated quantity is exact (integer seconds and mWh, sets, and multisets kept as
//! appended values); the order-dependent work (sorting, the occupancy sweep) runs once, in
//! [`SiteAccumulator::finish`]. Memory grows with the sessions added (about 100 bytes each).

use super::options::{OutlierPolicy, PowerKind, SessionFilter, SummaryOptions};
use super::record::SessionRecord;
use super::summary::*;
use super::time::{instant, secs, weekday_hour, Clock, HourOfWeek, Period, Windows};
use super::validate::{Context, Flag, FlagSet};
use crate::units::Power;
use crate::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod fleet;
mod partial;

pub use fleet::{summarize_fleet, FleetPartial};

/// Decimal places of published rates.
const RATE_DP: u32 = 6;

/// A small multiplicative hasher (FxHash): the maps here are keyed by ids from the data,
/// hashed once per session, where SipHash dominated the profile. Not DoS-resistant, which
/// a summary of an operator's own data does not need.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
struct PortKey {
    station: String,
    port: String,
}

/// A declared port's rated power and kind.
pub(super) type Declared = (Option<Power>, Option<PowerKind>);

#[derive(Debug)]
struct Prepared {
    opts: SummaryOptions,
    period: Period,
    clock: Clock,
    declared: HashMap<String, HashMap<String, Declared>>,
    peak: Vec<bool>,
}

/// A multiset of integer values (seconds, mWh), for exact medians that merge: values are
/// appended (cheap, cache-friendly) and sorted once when a summary is made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Hist(Vec<i64>);

impl Hist {
    pub(super) fn add(&mut self, v: i64) {
        self.0.push(v);
    }
    fn merge(&mut self, other: &Self) {
        self.0.extend_from_slice(&other.0);
    }
    pub(super) fn count(&self) -> u64 {
        self.0.len() as u64
    }
    pub(super) fn min_max(&self) -> Option<(i64, i64)> {
        Some((*self.0.iter().min()?, *self.0.iter().max()?))
    }
    /// The nearest-rank `num/den` quantile (sorts the values in place).
    pub(super) fn quantile(&mut self, num: usize, den: usize) -> Option<i64> {
        self.0.sort_unstable();
        let n = self.0.len();
        let rank = (n * num).div_ceil(den.max(1)).max(1);
        self.0.get(rank - 1).copied()
    }
    /// [`Hist::median`] rounded down to a whole value.
    pub(super) fn median_floor(&self) -> Option<i64> {
        self.median()?.floor().try_into().ok()
    }
    /// The mean rounded down.
    pub(super) fn mean_floor(&self) -> Option<i64> {
        let n = i128::from(self.count());
        (n > 0)
            .then(|| self.sum().div_euclid(n).try_into().ok())
            .flatten()
    }
    fn sum(&self) -> i128 {
        self.0.iter().map(|v| i128::from(*v)).sum()
    }
    /// The median of the values, exact (the mean of the two middle ones for an even count).
    fn median(&self) -> Option<Decimal> {
        let n = self.0.len();
        if n == 0 {
            return None;
        }
        let mut v = self.0.clone();
        let (_, hi, _) = v.select_nth_unstable(n / 2);
        let hi = *hi;
        if n % 2 == 1 {
            return Some(Decimal::from(hi));
        }
        let lo = v
            .get(..n / 2)
            .and_then(|l| l.iter().max())
            .copied()
            .unwrap_or(hi);
        Some((Decimal::from(lo) + Decimal::from(hi)) / Decimal::TWO)
    }
}

/// A 128-bit fingerprint of a session id (two independent SipHash-1-3 digests): duplicate
/// detection without keeping a million strings; a false match is astronomically unlikely.
fn fingerprint(id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let mut a = std::hash::DefaultHasher::new();
    (0u8, id).hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    (1u8, id).hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Energy in Wh as whole mWh (every accumulated energy is an integer of mWh, so sums are
/// exact and merge in any order).
fn mwh(wh: Decimal) -> i64 {
    // At most 10⁹ kWh per session (anything near is flagged `high_energy` anyway), so that
    // sums stay far from overflow.
    const MAX_MWH: i64 = 1_000_000_000_000_000;
    wh.checked_mul(Decimal::ONE_THOUSAND)
        .and_then(|v| i64::try_from(v.round()).ok())
        .unwrap_or(MAX_MWH)
        .clamp(-MAX_MWH, MAX_MWH)
}

/// `*a += b`, saturating (sums of energies from untrusted data must not overflow).
fn sat(a: &mut i64, b: i64) {
    *a = a.saturating_add(b);
}

/// `v × num ÷ den`, rounded half up (`den > 0`).
fn share(v: i64, num: i64, den: i64) -> i64 {
    let (v, num, den) = (i128::from(v), i128::from(num), i128::from(den.max(1)));
    i64::try_from((2 * v * num + den) / (2 * den)).unwrap_or(i64::MAX)
}

/// mWh (a median, possibly half-integral) as kWh.
fn mwh_to_kwh(v: Decimal) -> Decimal {
    (v / Decimal::from(1_000_000)).normalize()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct PortAcc {
    #[serde(with = "partial::rated")]
    rated: Option<Power>,
    sessions: u64,
    energy_mwh: i64,
    energy: Hist,
    occupied_s: i64,
    charging_s: i64,
    charging_in_period_s: i64,
    overstays: u64,
    days: BTreeSet<i64>,
}

impl PortAcc {
    fn merge(&mut self, o: &PortAcc) {
        self.rated = self.rated.or(o.rated);
        self.sessions += o.sessions;
        sat(&mut self.energy_mwh, o.energy_mwh);
        self.energy.merge(&o.energy);
        sat(&mut self.occupied_s, o.occupied_s);
        sat(&mut self.charging_s, o.charging_s);
        sat(&mut self.charging_in_period_s, o.charging_in_period_s);
        self.overstays += o.overstays;
        self.days.extend(o.days.iter().copied());
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct UserAcc {
    sessions: u64,
    overstays: u64,
    overstay_s: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Totals {
    seen: u64,
    used: u64,
    excluded: u64,
    dropped: u64,
    successes: u64,
    turn_aways: u64,
    overstays: u64,
    overstay_s: i64,
    energy_mwh: i64,
    occupied_s: i64,
    charging_s: i64,
    idle_s: i64,
    // Means leave flagged outliers out (OutlierPolicy::Flag).
    mean_n: u64,
    mean_energy_mwh: i64,
    mean_dwell_s: i64,
    mean_charging_s: i64,
    mean_idle_s: i64,
    // Off-peak shift.
    peak_energy_mwh: i64,
    shiftable_mwh: i64,
    sessions_in_peak: u64,
    flexible_sessions: u64,
}

impl Totals {
    /// Adds `o`, saturating: totals read from bytes made elsewhere must not overflow.
    fn merge(&mut self, o: &Totals) {
        let counts = [
            (&mut self.seen, o.seen),
            (&mut self.used, o.used),
            (&mut self.excluded, o.excluded),
            (&mut self.dropped, o.dropped),
            (&mut self.successes, o.successes),
            (&mut self.turn_aways, o.turn_aways),
            (&mut self.overstays, o.overstays),
            (&mut self.mean_n, o.mean_n),
            (&mut self.sessions_in_peak, o.sessions_in_peak),
            (&mut self.flexible_sessions, o.flexible_sessions),
        ];
        for (a, b) in counts {
            *a = a.saturating_add(b);
        }
        let sums = [
            (&mut self.overstay_s, o.overstay_s),
            (&mut self.energy_mwh, o.energy_mwh),
            (&mut self.occupied_s, o.occupied_s),
            (&mut self.charging_s, o.charging_s),
            (&mut self.idle_s, o.idle_s),
            (&mut self.mean_energy_mwh, o.mean_energy_mwh),
            (&mut self.mean_dwell_s, o.mean_dwell_s),
            (&mut self.mean_charging_s, o.mean_charging_s),
            (&mut self.mean_idle_s, o.mean_idle_s),
            (&mut self.peak_energy_mwh, o.peak_energy_mwh),
            (&mut self.shiftable_mwh, o.shiftable_mwh),
        ];
        for (a, b) in sums {
            sat(a, b);
        }
    }
}

/// An occupancy event: `(instant s, +1 plug-in / −1 plug-out, port index)`.
type Event = (i64, i8, u32);

/// Mergeable statistics of one site over one period.
///
/// ```
/// use chargekit::analytics::{generate, GeneratorConfig, Period, SiteAccumulator, SummaryOptions};
/// let cfg = GeneratorConfig { days: 14, ..GeneratorConfig::default() };
/// let sessions = generate(&cfg).unwrap();
/// let mut opts = SummaryOptions::for_tz(cfg.tz);
/// opts.period = Some(cfg.period().unwrap());
/// // Two shards, merged, give the same summary as one pass.
/// let (a, b) = sessions.split_at(sessions.len() / 3);
/// let mut one = SiteAccumulator::new(&opts).unwrap();
/// sessions.iter().for_each(|s| one.add(s));
/// let mut left = SiteAccumulator::new(&opts).unwrap();
/// a.iter().for_each(|s| left.add(s));
/// let mut right = left.empty_like();
/// b.iter().for_each(|s| right.add(s));
/// right.merge(left).unwrap();
/// assert_eq!(one.finish().unwrap(), right.finish().unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct SiteAccumulator {
    cfg: Arc<Prepared>,
    ports: Vec<PortKey>,
    index: FastMap<String, FastMap<String, u32>>,
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
    users: FastMap<String, UserAcc>,
    /// 128-bit fingerprints of the session ids, for duplicate detection.
    ids: Vec<u128>,
    flags: BTreeMap<Flag, u64>,
}

impl SiteAccumulator {
    /// An empty accumulator. The options must name the period.
    pub fn new(opts: &SummaryOptions) -> Result<Self, Error> {
        let period = opts.period.ok_or(Error::MissingPeriod)?;
        if period.seconds() > 36_525 * 86_400 {
            return Err(Error::PeriodTooLong {
                days: period.seconds() / 86_400,
            });
        }
        let mut declared: HashMap<String, HashMap<String, _>> = HashMap::new();
        for p in &opts.ports {
            declared
                .entry(p.station_id.clone())
                .or_default()
                .insert(p.port_id.clone(), (p.rated_power, p.kind));
        }
        let cfg = Prepared {
            // Fast local time over the period and a week either side (sessions crossing its edges).
            clock: Clock::new(
                opts.tz,
                opts.bucketing == super::options::Bucketing::UtcBuckets,
                secs(period.start()) - 7 * 86_400,
                secs(period.end()) + 7 * 86_400,
            ),
            period,
            declared,
            peak: (0..super::time::HOURS_PER_WEEK)
                .map(|i| opts.tou.is_peak(i))
                .collect(),
            opts: opts.clone(),
        };
        Ok(Self::with_cfg(Arc::new(cfg), |_| true))
    }

    /// An empty accumulator, the declared ports of the `stations` registered in their
    /// declared order (the others still count as declared, for the `unregistered` check).
    fn of_stations(opts: &SummaryOptions, stations: impl Fn(&str) -> bool) -> Result<Self, Error> {
        let any = Self::new(opts)?;
        Ok(Self::with_cfg(any.cfg, stations))
    }

    /// An empty accumulator, the declared ports of the stations `keep` accepts registered
    /// in their declared order.
    fn with_cfg(cfg: Arc<Prepared>, keep: impl Fn(&str) -> bool) -> Self {
        let mut acc = Self {
            cfg,
            ports: Vec::new(),
            index: FastMap::default(),
            port: Vec::new(),
            events: Vec::new(),
            arrivals: HourOfWeek::default(),
            departures: HourOfWeek::default(),
            energy_by_hour: HourOfWeek::default(),
            totals: Totals::default(),
            dwell: Hist::default(),
            charging: Hist::default(),
            idle: Hist::default(),
            energy: Hist::default(),
            days: BTreeSet::new(),
            users: FastMap::default(),
            ids: Vec::new(),
            flags: BTreeMap::new(),
        };
        let cfg = acc.cfg.clone();
        for p in cfg.opts.ports.iter().filter(|p| keep(&p.station_id)) {
            acc.port_of(&p.station_id, &p.port_id, p.rated_power);
        }
        acc
    }

    /// An empty accumulator with the same options (for another shard).
    pub fn empty_like(&self) -> Self {
        Self::with_cfg(self.cfg.clone(), |_| true)
    }

    /// Makes room for about `sessions` more sessions (saves re-allocations in bulk use).
    pub fn reserve(&mut self, sessions: usize) {
        self.events.reserve(2 * sessions);
        self.ids.reserve(sessions);
        for h in [
            &mut self.dwell,
            &mut self.charging,
            &mut self.idle,
            &mut self.energy,
        ] {
            h.0.reserve(sessions);
        }
    }

    /// Sessions added so far (used or not).
    pub fn sessions_seen(&self) -> u64 {
        self.totals.seen
    }

    /// The options this accumulator was made with.
    pub fn options(&self) -> &SummaryOptions {
        &self.cfg.opts
    }

    /// This accumulator as bytes, to carry to another process: see [`Self::from_bytes`].
    /// The bytes hold the options and every accumulated value (about 60 bytes a session),
    /// in a versioned format with a checksum.
    ///
    /// ```
    /// use chargekit::analytics::{generate, GeneratorConfig, SiteAccumulator, SummaryOptions};
    /// let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
    /// let mut opts = SummaryOptions::for_tz(cfg.tz);
    /// opts.period = Some(cfg.period().unwrap());
    /// let mut acc = SiteAccumulator::new(&opts).unwrap();
    /// generate(&cfg).unwrap().iter().for_each(|s| acc.add(s));
    /// let bytes = acc.to_bytes();
    /// assert_eq!(&bytes[..5], b"CKAC\x01");
    /// let back = SiteAccumulator::from_bytes(&bytes).unwrap();
    /// assert_eq!(back.finish().unwrap(), acc.finish().unwrap());
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        partial::encode(self)
    }

    /// The accumulator [`Self::to_bytes`] wrote, exactly: it finishes and merges as the
    /// original would. Bytes that are not such an accumulator (another magic, a format
    /// version this build does not read, truncated, altered, or with trailing bytes) are
    /// [`Error::InvalidArgument`] naming `accumulator bytes` and what is wrong; more than
    /// [`MAX_ACCUMULATOR_BYTES`](crate::limits::MAX_ACCUMULATOR_BYTES) bytes are
    /// [`Error::TooLarge`].
    ///
    /// ```
    /// use chargekit::analytics::{Period, SiteAccumulator, SummaryOptions};
    /// use chrono::NaiveDate;
    /// let mut opts = SummaryOptions::for_tz(chrono_tz::UTC);
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// opts.period = Some(Period::local_days(chrono_tz::UTC, day, 7).unwrap());
    /// let mut bytes = SiteAccumulator::new(&opts).unwrap().to_bytes();
    /// assert!(SiteAccumulator::from_bytes(&bytes).is_ok());
    /// bytes[4] = 9; // a format version this build does not know
    /// let err = SiteAccumulator::from_bytes(&bytes).unwrap_err();
    /// assert_eq!(err.kind(), "invalid_argument");
    /// assert!(err.to_string().contains("format version 9"), "{err}");
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        partial::decode(bytes)
    }

    /// A fingerprint of the options, 16 hex digits (64-bit FNV-1a of their JSON text):
    /// partials with different fingerprints were made with different options and do not
    /// merge. Stable across processes, platforms and builds of the same options format.
    /// Options that differ only in how a decimal is written (`7.4` and `7.40`) merge but
    /// have different fingerprints.
    ///
    /// ```
    /// use chargekit::analytics::{Period, SiteAccumulator, SummaryOptions};
    /// use chrono::NaiveDate;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let mut opts = SummaryOptions::for_tz(chrono_tz::UTC);
    /// opts.period = Some(Period::local_days(chrono_tz::UTC, day, 7).unwrap());
    /// let a = SiteAccumulator::new(&opts).unwrap();
    /// opts.overstay_grace_s += 60;
    /// let b = SiteAccumulator::new(&opts).unwrap();
    /// assert_eq!(a.fingerprint().len(), 16);
    /// assert_eq!(a.fingerprint(), a.empty_like().fingerprint());
    /// assert_ne!(a.fingerprint(), b.fingerprint());
    /// ```
    pub fn fingerprint(&self) -> String {
        fnv_fingerprint(self.options())
    }

    /// Merges partials in order into the first: the accumulator of all their sessions.
    /// No partial at all is [`Error::InvalidArgument`]; partials of different options are
    /// [`Error::IncompatibleAccumulators`].
    ///
    /// ```
    /// use chargekit::analytics::{generate, GeneratorConfig, SiteAccumulator, SummaryOptions};
    /// let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
    /// let sessions = generate(&cfg).unwrap();
    /// let mut opts = SummaryOptions::for_tz(cfg.tz);
    /// opts.period = Some(cfg.period().unwrap());
    /// let mut one = SiteAccumulator::new(&opts).unwrap();
    /// sessions.iter().for_each(|s| one.add(s));
    /// // Three shards, sent as bytes, read back and merged.
    /// let parts = sessions.chunks(sessions.len().div_ceil(3)).map(|chunk| {
    ///     let mut acc = one.empty_like();
    ///     chunk.iter().for_each(|s| acc.add(s));
    ///     SiteAccumulator::from_bytes(&acc.to_bytes()).unwrap()
    /// });
    /// let all = SiteAccumulator::merge_many(parts).unwrap();
    /// assert_eq!(all.finish().unwrap(), one.finish().unwrap());
    /// assert!(SiteAccumulator::merge_many([]).is_err());
    /// ```
    pub fn merge_many(parts: impl IntoIterator<Item = SiteAccumulator>) -> Result<Self, Error> {
        merge_all(parts, "accumulator", Self::merge)
    }

    /// The index of a port, registering it when new (no allocation when known).
    fn port_of(&mut self, station: &str, port: &str, rated: Option<Power>) -> usize {
        if let Some(i) = self.index.get(station).and_then(|m| m.get(port)) {
            let i = *i as usize;
            if let Some(p) = self.port.get_mut(i) {
                p.rated = p.rated.or(rated);
            }
            return i;
        }
        let i = self.ports.len();
        self.index
            .entry(station.to_string())
            .or_default()
            .insert(port.to_string(), i as u32);
        self.ports.push(PortKey {
            station: station.to_string(),
            port: port.to_string(),
        });
        self.port.push(PortAcc {
            rated,
            ..PortAcc::default()
        });
        i
    }

    /// Adds one session.
    pub fn add(&mut self, r: &SessionRecord) {
        let cfg = self.cfg.clone();
        let o = &cfg.opts;
        self.totals.seen += 1;
        self.ids.push(fingerprint(&r.session_id));

        let declared = cfg
            .declared
            .get(r.station_id.as_str())
            .and_then(|m| m.get(r.port_id.as_str()))
            .copied();
        let registered = cfg.declared.is_empty() || declared.is_some();
        let (rated, kind) = declared.unwrap_or((None, None));
        let rated = rated.or(r.rated_power);
        let mut m = r.metrics(o.boundary, o.idle, o.success, o.overstay_grace_s);
        let flags = o.rules.check(
            r,
            &m,
            &Context {
                period: Some(cfg.period),
                rated,
                kind,
                registered,
            },
        );
        for f in flags.iter() {
            *self.flags.entry(f).or_default() += 1;
        }

        let mut in_means = true;
        if flags.has_outlier() {
            match o.outliers {
                OutlierPolicy::Drop => {
                    self.totals.dropped += 1;
                    return;
                }
                OutlierPolicy::Flag => in_means = false,
                OutlierPolicy::Cap => cap(&mut m, &o.rules),
            }
        }
        if !passes(o.filter, flags) {
            self.totals.excluded += 1;
            return;
        }

        let t = &mut self.totals;
        t.used += 1;
        let energy_mwh = mwh(m.energy.wh());
        sat(&mut t.energy_mwh, energy_mwh);
        sat(&mut t.occupied_s, m.dwell_s);
        sat(&mut t.charging_s, m.charging_s);
        sat(&mut t.idle_s, m.idle_s);
        if m.success {
            t.successes += 1;
        } else if m.dwell_s <= o.turn_away_max_dwell_s {
            t.turn_aways += 1;
        }
        let overstay = m.overstay_s > 0;
        if overstay {
            t.overstays += 1;
            sat(&mut t.overstay_s, m.overstay_s);
        }
        if in_means {
            t.mean_n += 1;
            sat(&mut t.mean_energy_mwh, energy_mwh);
            sat(&mut t.mean_dwell_s, m.dwell_s);
            sat(&mut t.mean_charging_s, m.charging_s);
            sat(&mut t.mean_idle_s, m.idle_s);
            self.dwell.add(m.dwell_s);
            self.charging.add(m.charging_s);
            self.idle.add(m.idle_s);
            self.energy.add(energy_mwh);
        }
        if let Some(u) = &r.user_id {
            let add = UserAcc {
                sessions: 1,
                overstays: u64::from(overstay),
                overstay_s: if overstay { m.overstay_s } else { 0 },
            };
            match self.users.get_mut(u.as_str()) {
                Some(e) => {
                    e.sessions += add.sessions;
                    e.overstays += add.overstays;
                    sat(&mut e.overstay_s, add.overstay_s);
                }
                None => {
                    self.users.insert(u.clone(), add);
                }
            }
        }

        let clock = &cfg.clock;
        let (start, end) = (secs(m.start), secs(m.end));
        let (ps, pe) = (secs(cfg.period.start()), secs(cfg.period.end()));
        let day = clock.day(start);
        self.days.insert(day);
        if (ps..pe).contains(&start) {
            self.arrivals.add_at(clock.bucket(start), 1);
        }
        if end > start && (ps..pe).contains(&end) {
            self.departures.add_at(clock.bucket(end), 1);
        }

        // Occupancy, clipped to the period.
        let (a, b) = (start.max(ps), end.min(pe));
        let idx = self.port_of(&r.station_id, &r.port_id, rated);
        if a < b {
            self.events.push((a, 1, idx as u32));
            self.events.push((b, -1, idx as u32));
        }

        // Energy per local hour and the off-peak shift, over the charging interval.
        let cs = secs(m.charge_start);
        let ce = (cs + m.charging_s).min(end);
        let span = ce - cs;
        let (mut in_period_charging, mut peak_charging, mut peak_dwell) = (0i64, 0i64, 0i64);
        let mut peak_energy = 0i64;
        clock.walk(a, b, |bucket, x, y| {
            let overlap = (y.min(ce) - x.max(cs)).max(0);
            let is_peak = cfg.peak.get(bucket).copied().unwrap_or(false);
            if is_peak {
                peak_dwell += y - x;
            }
            if overlap == 0 {
                return;
            }
            in_period_charging += overlap;
            let e = if overlap == span {
                energy_mwh
            } else {
                share(energy_mwh, overlap, span)
            };
            self.energy_by_hour.saturating_add_at(bucket, e);
            if is_peak {
                peak_charging += overlap;
                sat(&mut peak_energy, e);
            }
        });
        if peak_charging > 0 {
            let off_dwell = (b - a) - peak_dwell;
            let off_charging = in_period_charging - peak_charging;
            let spare = (off_dwell - off_charging).max(0);
            let shift = spare.min(peak_charging);
            let t = &mut self.totals;
            t.sessions_in_peak += 1;
            sat(&mut t.peak_energy_mwh, peak_energy);
            if shift == peak_charging {
                t.flexible_sessions += 1;
                sat(&mut t.shiftable_mwh, peak_energy);
            } else {
                sat(
                    &mut t.shiftable_mwh,
                    share(peak_energy, shift, peak_charging),
                );
            }
        }

        if let Some(p) = self.port.get_mut(idx) {
            p.sessions += 1;
            sat(&mut p.energy_mwh, energy_mwh);
            if in_means {
                p.energy.add(energy_mwh);
            }
            sat(&mut p.occupied_s, m.dwell_s);
            sat(&mut p.charging_s, m.charging_s);
            sat(&mut p.charging_in_period_s, in_period_charging);
            if overstay {
                p.overstays += 1;
            }
            p.days.insert(day);
        }
    }

    /// Folds another accumulator of the same options into this one.
    pub fn merge(&mut self, other: SiteAccumulator) -> Result<(), Error> {
        if !Arc::ptr_eq(&self.cfg, &other.cfg) && self.cfg.opts != other.cfg.opts {
            return Err(Error::IncompatibleAccumulators);
        }
        let mut remap = Vec::with_capacity(other.ports.len());
        for (key, acc) in other.ports.into_iter().zip(other.port.iter()) {
            let i = self.port_of(&key.station, &key.port, acc.rated);
            if let Some(p) = self.port.get_mut(i) {
                p.merge(acc);
            }
            remap.push(i as u32);
        }
        self.events.extend(
            other
                .events
                .into_iter()
                .map(|(t, d, p)| (t, d, remap.get(p as usize).copied().unwrap_or(p))),
        );
        self.arrivals.merge(&other.arrivals);
        self.departures.merge(&other.departures);
        self.energy_by_hour.saturating_merge(&other.energy_by_hour);
        self.totals.merge(&other.totals);
        self.dwell.merge(&other.dwell);
        self.charging.merge(&other.charging);
        self.idle.merge(&other.idle);
        self.energy.merge(&other.energy);
        self.days.extend(other.days);
        for (u, a) in other.users {
            let e = self.users.entry(u).or_default();
            e.sessions += a.sessions;
            e.overstays += a.overstays;
            sat(&mut e.overstay_s, a.overstay_s);
        }
        self.ids.extend(other.ids);
        for (f, n) in other.flags {
            *self.flags.entry(f).or_default() += n;
        }
        Ok(())
    }

    /// The summary of everything added so far.
    pub fn finish(&self) -> Result<SiteSummary, Error> {
        let cfg = &self.cfg;
        let o = &cfg.opts;
        let clock = &cfg.clock;
        let windows = o.availability.windows(&cfg.period, o.tz)?;
        let avail = windows.total();
        let nports = self.ports.len();

        // Stations, in id order, and each port's station.
        let mut station_ids: Vec<&str> = self.ports.iter().map(|k| k.station.as_str()).collect();
        station_ids.sort_unstable();
        station_ids.dedup();
        let station_of: Vec<usize> = self
            .ports
            .iter()
            .map(|k| station_ids.partition_point(|s| *s < k.station.as_str()))
            .collect();

        let sweep = sweep(
            &self.events,
            nports,
            &station_of,
            station_ids.len(),
            o.quick_turnover_s,
            &windows,
            clock,
        );

        let mut exposure = HourOfWeek::<i64>::default();
        for &(a, b) in windows.spans() {
            clock.walk(a, b, |k, x, y| exposure.add_at(k, y - x));
        }

        // Ports.
        let mut order: Vec<usize> = (0..nports).collect();
        order.sort_by(|a, b| self.ports[*a].cmp(&self.ports[*b]));
        let mut ports = Vec::with_capacity(nports);
        let mut port_charging_total = 0i64;
        for &i in &order {
            let (k, p) = (&self.ports[i], &self.port[i]);
            let busy = sweep.port_busy.get(i).copied().unwrap_or(0);
            let charging = p.charging_in_period_s.min(busy);
            port_charging_total += charging;
            ports.push(PortSummary {
                station_id: k.station.clone(),
                port_id: k.port.clone(),
                rated_kw: p.rated.map(|r| r.kw().normalize()),
                sessions: p.sessions,
                energy_kwh: kwh(p.energy_mwh),
                mean_energy_kwh: energy_mean(&p.energy),
                median_energy_kwh: p.energy.median().map(mwh_to_kwh),
                occupied_s: p.occupied_s,
                charging_s: p.charging_s,
                busy_s: busy,
                occupied_rate: rate(busy, avail),
                charging_rate: rate(charging, avail),
                idle_rate: rate(busy - charging, avail),
                capacity_factor: capacity(p.energy_mwh, p.rated, avail),
                in_use_days: p.days.len() as u64,
                quick_turnovers: sweep.quick.get(i).copied().unwrap_or(0),
                overstays: p.overstays,
            });
        }

        // Stations.
        let mut stations = Vec::with_capacity(station_ids.len());
        let mut station_charging = vec![0i64; station_ids.len()];
        for (si, sid) in station_ids.iter().enumerate() {
            let members: Vec<usize> = (0..nports).filter(|i| station_of[*i] == si).collect();
            let mut energy = Hist::default();
            let (mut sessions, mut wh, mut rated_wh, mut rated_cap) =
                (0, 0i64, Decimal::ZERO, Decimal::ZERO);
            let mut days = BTreeSet::new();
            for &i in &members {
                let p = &self.port[i];
                sessions += p.sessions;
                sat(&mut wh, p.energy_mwh);
                energy.merge(&p.energy);
                days.extend(p.days.iter().copied());
                sat(&mut station_charging[si], p.charging_in_period_s);
                if let Some(r) = p.rated {
                    rated_wh += Decimal::new(p.energy_mwh, 3);
                    rated_cap = rated_cap.saturating_add(port_capacity_wh(r, avail));
                }
            }
            let busy = sweep.station_busy.get(si).copied().unwrap_or(0);
            station_charging[si] = station_charging[si].min(busy);
            stations.push(StationSummary {
                station_id: (*sid).to_string(),
                ports: members.len() as u32,
                sessions,
                energy_kwh: kwh(wh),
                mean_energy_kwh: energy_mean(&energy),
                median_energy_kwh: energy.median().map(mwh_to_kwh),
                occupied_rate: rate(busy, avail),
                capacity_factor: capacity_factor(rated_wh, rated_cap),
                in_use_days: days.len() as u64,
            });
        }

        // Site rates.
        let (occ_num, chg_num, units) = match o.denominator {
            super::options::UtilisationDenominator::PerPort => {
                (sweep.port_busy.iter().sum(), port_charging_total, nports)
            }
            super::options::UtilisationDenominator::PerStation => (
                sweep.station_busy.iter().sum(),
                station_charging.iter().sum(),
                station_ids.len(),
            ),
        };
        let denom = avail.saturating_mul(units as i64);
        let (mut rated_wh, mut rated_cap) = (Decimal::ZERO, Decimal::ZERO);
        for p in &self.port {
            if let Some(r) = p.rated {
                rated_wh += Decimal::new(p.energy_mwh, 3);
                rated_cap = rated_cap.saturating_add(port_capacity_wh(r, avail));
            }
        }
        let utilisation = Utilisation {
            occupied: rate(occ_num, denom),
            charging: rate(chg_num, denom),
            idle: rate(occ_num - chg_num, denom),
            capacity_factor: capacity_factor(rated_wh, rated_cap),
            congestion: rate(sweep.congestion_s, avail),
        };

        // Heatmaps.
        let hours = |s: i64| Decimal::from(s) / Decimal::from(3600);
        let occupancy = sweep.occupancy.map(|k, busy| {
            let exp = exposure.at(k).copied().unwrap_or(0);
            rate(*busy, exp.saturating_mul(nports as i64)).round_dp(4)
        });
        let congestion_map = sweep
            .congestion
            .map(|k, c| rate(*c, exposure.at(k).copied().unwrap_or(0)).round_dp(4));
        let arrival_rate = self.arrivals.map(|k, n| {
            let exp = exposure.at(k).copied().unwrap_or(0);
            if exp == 0 {
                Decimal::ZERO
            } else {
                (Decimal::from(*n) / hours(exp)).round_dp(4)
            }
        });
        let heatmaps = Heatmaps {
            occupancy,
            congestion: congestion_map,
            arrivals: self.arrivals.clone(),
            departures: self.departures.clone(),
            arrival_rate,
            energy_kwh: self.energy_by_hour.map(|_, w| kwh(*w)),
            available_h: exposure.map(|_, s| hours(*s).round_dp(4).normalize()),
        };
        let mut peak: Vec<usize> = (0..super::time::HOURS_PER_WEEK)
            .filter(|k| {
                heatmaps
                    .occupancy
                    .at(*k)
                    .is_some_and(|v| *v > Decimal::ZERO)
            })
            .collect();
        peak.sort_by(|a, b| {
            let (x, y) = (heatmaps.occupancy.at(*a), heatmaps.occupancy.at(*b));
            y.cmp(&x).then(a.cmp(b))
        });
        let peak_hours = peak
            .into_iter()
            .take(usize::try_from(o.peak_hours_top).unwrap_or(usize::MAX))
            .map(|k| {
                let (weekday, hour) = weekday_hour(k);
                PeakHour {
                    weekday,
                    hour,
                    occupancy: heatmaps.occupancy.at(k).copied().unwrap_or_default(),
                    arrivals: self.arrivals.at(k).copied().unwrap_or(0),
                }
            })
            .collect();

        // Overstay.
        let t = &self.totals;
        let mut repeat: Vec<Overstayer> = self
            .users
            .iter()
            .filter(|(_, u)| u.overstays >= u64::from(o.repeat_overstays.max(1)))
            .map(|(id, u)| Overstayer {
                user_id: id.clone(),
                sessions: u.sessions,
                overstays: u.overstays,
                share: ratio(u.overstays, u.sessions),
                overstay_s: u.overstay_s,
            })
            .collect();
        repeat.sort_by(|a, b| {
            b.overstays
                .cmp(&a.overstays)
                .then(b.overstay_s.cmp(&a.overstay_s))
                .then(a.user_id.cmp(&b.user_id))
        });

        // Validation tallies, with duplicate ids known only now.
        let mut flags = self.flags.clone();
        let mut ids = self.ids.clone();
        ids.sort_unstable();
        let dups: u64 = ids
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() > 1)
            .map(|run| run.len() as u64)
            .sum();
        if dups > 0 {
            flags.insert(Flag::DuplicateId, dups);
        }

        // Sessions per day of the period: used × 86 400 ÷ period seconds.
        let per = |unit_s: i64| {
            (Decimal::from(t.used) * Decimal::from(unit_s) / Decimal::from(cfg.period.seconds()))
                .round_dp(4)
                .normalize()
        };
        let mean_s = |sum: i64| {
            (t.mean_n > 0).then(|| {
                (Decimal::from(sum) / Decimal::from(t.mean_n))
                    .round_dp(3)
                    .normalize()
            })
        };
        let stations_without_use = stations
            .iter()
            .filter(|s| s.sessions == 0)
            .map(|s| s.station_id.clone())
            .collect();
        Ok(SiteSummary {
            site_id: o.site_id.clone(),
            tz: o.tz.name().to_string(),
            period: cfg.period,
            counts: Counts {
                sessions_seen: t.seen,
                sessions_used: t.used,
                sessions_excluded: t.excluded,
                outliers_dropped: t.dropped,
                sessions_per_day: per(86_400),
                sessions_per_week: per(7 * 86_400),
                in_use_days: self.days.len() as u64,
                unique_users: self.users.len() as u64,
                stations_without_use,
            },
            flags: flags
                .into_iter()
                .map(|(flag, count)| FlagCount {
                    flag,
                    severity: flag.severity(),
                    count,
                })
                .collect(),
            energy: EnergyStats {
                total_kwh: kwh(t.energy_mwh),
                mean_kwh: mean_kwh(t.mean_energy_mwh, t.mean_n),
                median_kwh: self.energy.median().map(mwh_to_kwh),
            },
            durations: DurationStats {
                mean_dwell_s: mean_s(t.mean_dwell_s),
                median_dwell_s: self.dwell.median().map(|d| d.normalize()),
                mean_charging_s: mean_s(t.mean_charging_s),
                median_charging_s: self.charging.median().map(|d| d.normalize()),
                mean_idle_s: mean_s(t.mean_idle_s),
                median_idle_s: self.idle.median().map(|d| d.normalize()),
            },
            time: TimeTotals {
                available_s: avail,
                occupied_s: t.occupied_s,
                charging_s: t.charging_s,
                idle_s: t.occupied_s.saturating_sub(t.charging_s),
                congestion_s: sweep.congestion_s,
            },
            utilisation,
            ports,
            stations,
            heatmaps,
            peak_hours,
            overstay: OverstayStats {
                grace_s: o.overstay_grace_s,
                sessions: t.overstays,
                share: ratio(t.overstays, t.used),
                total_s: t.overstay_s,
                repeat_overstayers: repeat,
            },
            demand: DemandIndicators {
                attempts: t.used,
                successes: t.successes,
                success_rate: (t.used > 0).then(|| ratio(t.successes, t.used)),
                turn_aways: t.turn_aways,
                turn_away_rate: (t.used > 0).then(|| ratio(t.turn_aways, t.used)),
                quick_turnovers: sweep.quick.iter().sum(),
                quick_turnover_share: (t.used > 0).then(|| ratio(sweep.quick.iter().sum(), t.used)),
                congestion_s: sweep.congestion_s,
                peak_concurrent_sessions: sweep.peak_sessions,
                peak_busy_ports: sweep.peak_ports,
                ports: nports as u32,
            },
            off_peak: off_peak(t, o),
        })
    }
}

/// `parts` merged in order into the first; none at all is [`Error::InvalidArgument`]
/// ("no `what` to merge").
fn merge_all<T>(
    parts: impl IntoIterator<Item = T>,
    what: &str,
    merge: impl Fn(&mut T, T) -> Result<(), Error>,
) -> Result<T, Error> {
    let mut parts = parts.into_iter();
    let mut total = parts.next().ok_or_else(|| Error::InvalidArgument {
        argument: "parts".into(),
        reason: format!("no {what} to merge"),
    })?;
    for p in parts {
        merge(&mut total, p)?;
    }
    Ok(total)
}

/// The options with a period: the given one, else the local days the sessions span.
pub(crate) fn with_period(
    sessions: &[SessionRecord],
    options: &SummaryOptions,
) -> Result<SummaryOptions, Error> {
    let mut opts = options.clone();
    if opts.period.is_none() {
        opts.period = Some(period_of(sessions, &opts)?);
    }
    Ok(opts)
}

/// 16 hex digits of the options' FNV-1a hash: what partials compare before they merge.
fn fnv_fingerprint(opts: &SummaryOptions) -> String {
    format!("{:016x}", partial::fnv1a(opts.to_json().as_bytes()))
}

/// The off-peak shift estimate of the totals.
fn off_peak(t: &Totals, o: &SummaryOptions) -> OffPeakShift {
    let shift_kwh = kwh(t.shiftable_mwh);
    OffPeakShift {
        window: o.tou,
        total_energy_kwh: kwh(t.energy_mwh),
        peak_energy_kwh: kwh(t.peak_energy_mwh),
        peak_share: (t.energy_mwh > 0)
            .then(|| (Decimal::from(t.peak_energy_mwh) / Decimal::from(t.energy_mwh)).round_dp(4)),
        shiftable_kwh: shift_kwh,
        shiftable_share: (t.peak_energy_mwh > 0).then(|| {
            (Decimal::from(t.shiftable_mwh) / Decimal::from(t.peak_energy_mwh)).round_dp(4)
        }),
        sessions_in_peak: t.sessions_in_peak,
        flexible_sessions: t.flexible_sessions,
        value_at_price_delta: o
            .price_delta_per_kwh
            .map(|d| d.saturating_mul(shift_kwh).round_dp(4).normalize()),
    }
}

fn energy_mean(h: &Hist) -> Option<Decimal> {
    let n = h.count();
    (n > 0).then(|| {
        let sum = Decimal::from_i128_with_scale(h.sum(), 0);
        (sum / Decimal::from(n) / Decimal::from(1_000_000))
            .round_dp(3)
            .normalize()
    })
}

fn passes(filter: SessionFilter, flags: FlagSet) -> bool {
    match filter {
        SessionFilter::ExcludeErrors => !flags.has_error(),
        SessionFilter::ExcludeWarnings => flags.is_empty(),
        SessionFilter::IncludeAll => true,
    }
}

fn cap(m: &mut super::record::SessionMetrics, rules: &super::validate::ValidationRules) {
    if m.dwell_s > rules.max_session_s {
        m.dwell_s = rules.max_session_s.max(0);
        m.end = chrono::TimeDelta::try_seconds(m.dwell_s)
            .and_then(|d| m.start.checked_add_signed(d))
            .unwrap_or(m.end);
        m.charging_s = m.charging_s.min(m.dwell_s);
        m.idle_s = m.idle_s.min(m.dwell_s - m.charging_s);
        m.idle_after_full_s = m.idle_after_full_s.min(m.dwell_s);
        m.overstay_s = m.overstay_s.min(m.dwell_s);
        m.charge_start = m.charge_start.min(m.end);
    }
    let max_wh = rules.max_energy_kwh.saturating_mul(Decimal::ONE_THOUSAND);
    if m.energy.wh() > max_wh {
        m.energy = crate::units::Energy::from_wh(max_wh);
    }
}

fn kwh(mwh: i64) -> Decimal {
    Decimal::new(mwh, 6).normalize()
}

fn mean_kwh(sum_mwh: i64, n: u64) -> Option<Decimal> {
    (n > 0).then(|| {
        (Decimal::new(sum_mwh, 6) / Decimal::from(n))
            .round_dp(3)
            .normalize()
    })
}

/// `num ÷ den` clamped to [0, 1], 0 when the denominator is 0.
fn rate(num: i64, den: i64) -> Decimal {
    if den <= 0 || num <= 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(num) / Decimal::from(den))
        .round_dp(RATE_DP)
        .min(Decimal::ONE)
        .normalize()
}

fn ratio(num: u64, den: u64) -> Decimal {
    if den == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(num) / Decimal::from(den))
        .round_dp(4)
        .normalize()
}

/// Rated power × available time, Wh.
fn port_capacity_wh(rated: Power, avail_s: i64) -> Decimal {
    rated.w().saturating_mul(Decimal::from(avail_s)) / Decimal::from(3600)
}

fn capacity(energy_mwh: i64, rated: Option<Power>, avail_s: i64) -> Option<Decimal> {
    capacity_factor(
        Decimal::new(energy_mwh, 3),
        port_capacity_wh(rated?, avail_s),
    )
}

/// Energy ÷ capacity (both Wh) in [0, 1]; `None` without capacity.
fn capacity_factor(energy_wh: Decimal, capacity_wh: Decimal) -> Option<Decimal> {
    if capacity_wh <= Decimal::ZERO {
        return None;
    }
    Some(
        energy_wh
            .checked_div(capacity_wh)
            .map_or(Decimal::ONE, |v| v.round_dp(RATE_DP))
            .clamp(Decimal::ZERO, Decimal::ONE),
    )
}

struct Sweep {
    port_busy: Vec<i64>,
    station_busy: Vec<i64>,
    quick: Vec<u64>,
    congestion_s: i64,
    occupancy: HourOfWeek<i64>,
    congestion: HourOfWeek<i64>,
    peak_sessions: u32,
    peak_ports: u32,
}

/// The occupancy sweep over `[plug_in, plug_out)` intervals: per-port and per-station busy
/// time (union of sessions, inside the available windows), all-ports-busy (congestion) time,
/// busy port-seconds per hour of week, quick turnovers and peak concurrency.
fn sweep(
    events: &[Event],
    nports: usize,
    station_of: &[usize],
    nstations: usize,
    quick_s: i64,
    windows: &Windows,
    clock: &Clock,
) -> Sweep {
    let mut ev = events.to_vec();
    ev.sort_unstable();
    let mut s = Sweep {
        port_busy: vec![0; nports],
        station_busy: vec![0; nstations],
        quick: vec![0; nports],
        congestion_s: 0,
        occupancy: HourOfWeek::default(),
        congestion: HourOfWeek::default(),
        peak_sessions: 0,
        peak_ports: 0,
    };
    let mut active = vec![0u32; nports];
    let mut since = vec![0i64; nports];
    let mut last_end: Vec<Option<i64>> = vec![None; nports];
    let mut st_active = vec![0u32; nstations];
    let mut st_since = vec![0i64; nstations];
    let (mut sessions, mut busy, mut full_since) = (0u32, 0usize, None::<i64>);
    let occupancy = &mut s.occupancy;
    let add_run = |a: i64, b: i64, grid: &mut HourOfWeek<i64>| {
        windows.pieces(a, b, |x, y| {
            clock.walk(x, y, |k, p, q| grid.add_at(k, q - p))
        });
    };
    for &(t, d, p) in &ev {
        let p = p as usize;
        let st = station_of.get(p).copied().unwrap_or(0);
        let (Some(act), Some(st_act)) = (active.get_mut(p), st_active.get_mut(st)) else {
            continue;
        };
        if d > 0 {
            sessions += 1;
            s.peak_sessions = s.peak_sessions.max(sessions);
            *act += 1;
            if *act == 1 {
                if let Some(e) = last_end[p] {
                    if t - e <= quick_s {
                        s.quick[p] += 1;
                    }
                }
                since[p] = t;
                busy += 1;
                s.peak_ports = s.peak_ports.max(busy as u32);
                *st_act += 1;
                if *st_act == 1 {
                    st_since[st] = t;
                }
                if busy == nports {
                    full_since = Some(t);
                }
            }
        } else {
            sessions = sessions.saturating_sub(1);
            *act = act.saturating_sub(1);
            if *act == 0 {
                if busy == nports {
                    if let Some(f) = full_since.take() {
                        s.congestion_s += windows.between(f, t);
                        add_run(f, t, &mut s.congestion);
                    }
                }
                busy = busy.saturating_sub(1);
                s.port_busy[p] += windows.between(since[p], t);
                add_run(since[p], t, occupancy);
                last_end[p] = Some(t);
                *st_act = st_act.saturating_sub(1);
                if *st_act == 0 {
                    s.station_busy[st] += windows.between(st_since[st], t);
                }
            }
        }
    }
    s
}

/// The period spanned by the local days of the plug-in times (ignoring clocks before 2010 or
/// after 2200).
fn period_of(records: &[SessionRecord], opts: &SummaryOptions) -> Result<Period, Error> {
    let floor = instant(1_262_304_000); // 2010-01-01T00:00:00Z
    let ceiling = instant(7_258_118_400); // 2200-01-01T00:00:00Z
    let mut it = records
        .iter()
        .map(|r| r.plug_in)
        .filter(|t| *t >= floor && *t < ceiling);
    let first = it.next().ok_or(Error::NoSessions)?;
    let (lo, hi) = it.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t)));
    let first_day = lo.with_timezone(&opts.tz).date_naive();
    let last_day = hi.with_timezone(&opts.tz).date_naive();
    let days = (last_day - first_day).num_days() + 1;
    Period::local_days(
        opts.tz,
        first_day,
        u32::try_from(days).map_err(|_| Error::DateOutOfRange)?,
    )
}
