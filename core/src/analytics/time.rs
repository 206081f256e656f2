//! Local time for analytics: the reporting [`Period`], hour-of-week buckets in the
//! site's time zone (DST-aware), and the [`HourOfWeek`] grid.
use crate::Error;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize, Serializer};

/// Serde for a time zone as its IANA name (without needing chrono-tz's `serde` feature).
pub(crate) mod tz_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        name.parse::<Tz>()
            .map_err(|_| serde::de::Error::custom(format!("unknown time zone {name:?}")))
    }

    /// The same for an optional zone.
    pub mod option {
        use chrono_tz::Tz;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(tz: &Option<Tz>, s: S) -> Result<S::Ok, S::Error> {
            match tz {
                Some(tz) => s.serialize_some(tz.name()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Tz>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(name) => name
                    .parse::<Tz>()
                    .map(Some)
                    .map_err(|_| serde::de::Error::custom(format!("unknown time zone {name:?}"))),
            }
        }
    }
}

/// Hours in a week: the number of buckets of an [`HourOfWeek`] grid.
pub const HOURS_PER_WEEK: usize = 168;

/// A reporting period `[start, end)` in UTC, never empty.
///
/// Its serde form carries its length too (`{"start", "end", "seconds"}`); when read,
/// `seconds` may be left out and is ignored (it follows from `start` and `end`). Kotlin and Swift build it from `start` and
/// `end`; the bindings check it ([`Period::checked`]) before use.
///
/// ```
/// use chargekit::analytics::Period;
/// use chrono::{TimeZone, Utc};
/// let p = Period::new(
///     Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap(),
/// ).unwrap();
/// assert_eq!(p.seconds(), 7 * 86_400);
/// assert_eq!(serde_json::to_value(p).unwrap()["seconds"], 604_800);
/// assert!(Period::new(p.end(), p.start()).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(try_from = "RawPeriod")]
pub struct Period {
    /// Start (inclusive).
    start: DateTime<Utc>,
    /// End (exclusive), after the start.
    end: DateTime<Utc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    #[serde(default, rename = "seconds")]
    _seconds: Option<i64>,
}

impl TryFrom<RawPeriod> for Period {
    type Error = Error;
    fn try_from(r: RawPeriod) -> Result<Self, Error> {
        Period::new(r.start, r.end)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Period", 3)?;
        st.serialize_field("start", &self.start)?;
        st.serialize_field("end", &self.end)?;
        st.serialize_field("seconds", &self.seconds())?;
        st.end()
    }
}

impl Period {
    /// A period from `start` (inclusive) to `end` (exclusive); `end` must be after `start`.
    /// Both ends must lie in the years 1–9999.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, Error> {
        if end <= start {
            return Err(Error::EmptyPeriod { start, end });
        }
        let ok = |t: DateTime<Utc>| (1..=9999).contains(&t.year());
        if !ok(start) || !ok(end) {
            return Err(Error::DateOutOfRange);
        }
        Ok(Self { start, end })
    }

    /// `days` whole local days from local midnight of `first` in `tz`. A DST change
    /// inside makes the period 1 h shorter or longer than `days × 24 h`.
    ///
    /// ```
    /// use chargekit::analytics::Period;
    /// use chrono::NaiveDate;
    /// let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    /// // The week of the 2026 spring-forward (Sunday 29 March) has 167 hours.
    /// let p = Period::local_days(tz, NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), 7).unwrap();
    /// assert_eq!(p.seconds(), 167 * 3600);
    /// ```
    pub fn local_days(tz: Tz, first: NaiveDate, days: u32) -> Result<Self, Error> {
        let last = first
            .checked_add_signed(Duration::days(i64::from(days)))
            .ok_or(Error::DateOutOfRange)?;
        Period::new(local_midnight(tz, first)?, local_midnight(tz, last)?)
    }

    /// Start (inclusive).
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// End (exclusive).
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Length in seconds.
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }

    /// True when `t` lies in `[start, end)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.start && t < self.end
    }

    /// The same period, checked as [`Period::new`] checks it: for a period built outside
    /// Rust (Kotlin, Swift), whose invariants nothing has checked yet.
    pub fn checked(self) -> Result<Self, Error> {
        Period::new(self.start, self.end)
    }
}

/// The first instant of local day `date` (the first valid instant when midnight is skipped by DST).
pub(crate) fn local_midnight(tz: Tz, date: NaiveDate) -> Result<DateTime<Utc>, Error> {
    for hour in 0..3 {
        let naive = date.and_hms_opt(hour, 0, 0).ok_or(Error::DateOutOfRange)?;
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return Ok(t.with_timezone(&Utc));
        }
    }
    Err(Error::DateOutOfRange)
}

/// Local wall-clock arithmetic in whole seconds for one zone (or UTC buckets).
///
/// The zone's offsets over a range of instants (the reporting period and a margin) are
/// tabulated once; lookups there are a search in a table of a few entries, elsewhere
/// they ask the zone database.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    tz: Tz,
    utc: bool,
    /// `(from, offset)`: the offset from `from` on, sorted; covers `[from₀, until)`.
    spans: std::sync::Arc<[(i64, i64)]>,
    until: i64,
}
/// Seconds since the Unix epoch.
pub(crate) fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The instant of `s` seconds since the Unix epoch.
pub(crate) fn instant(s: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(s, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Clock {
    /// A clock for `tz` (UTC buckets when `utc`), fast within `[from, until)`.
    pub fn new(tz: Tz, utc: bool, from: i64, until: i64) -> Self {
        let mut c = Self {
            tz,
            utc,
            spans: std::sync::Arc::from(Vec::new()),
            until: i64::MIN,
        };
        if utc || until <= from {
            return c;
        }
        // Sample every 6 hours; bisect each change down to the second.
        const STEP: i64 = 6 * 3600;
        let mut spans = vec![(from, c.zone_offset(from))];
        let mut t = from;
        while t < until {
            let next = (t + STEP).min(until);
            let (a, b) = (c.zone_offset(t), c.zone_offset(next));
            if a != b {
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if c.zone_offset(mid) == a {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                spans.push((hi, b));
            }
            t = next;
        }
        c.spans = std::sync::Arc::from(spans);
        c.until = until;
        c
    }

    fn zone_offset(&self, t: i64) -> i64 {
        match DateTime::<Utc>::from_timestamp(t, 0) {
            Some(dt) => i64::from(
                self.tz
                    .offset_from_utc_datetime(&dt.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ),
            None => 0,
        }
    }

    /// Offset of local time from UTC at instant `t`, seconds.
    fn offset(&self, t: i64) -> i64 {
        if self.utc {
            return 0;
        }
        if let Some(first) = self.spans.first() {
            if t >= first.0 && t < self.until {
                let i = self.spans.partition_point(|s| s.0 <= t);
                return self.spans.get(i.saturating_sub(1)).map_or(first.1, |s| s.1);
            }
        }
        self.zone_offset(t)
    }

    /// Local seconds since the epoch's local midnight (i.e. wall-clock seconds).
    fn local(&self, t: i64) -> i64 {
        t + self.offset(t)
    }

    /// Hour-of-week bucket (Monday 00:00 = 0 … Sunday 23:00 = 167) of instant `t`.
    pub fn bucket(&self, t: i64) -> usize {
        bucket_of_local(self.local(t))
    }

    /// The local calendar day of instant `t`, as days since 1970-01-01.
    pub fn day(&self, t: i64) -> i64 {
        self.local(t).div_euclid(86_400)
    }

    /// Cuts `[a, b)` at every local hour boundary and calls `f(bucket, from, to)` per piece.
    ///
    /// At a DST spring-forward the skipped local hour gets no piece; at a fall-back the
    /// repeated hour's bucket gets two pieces.
    pub fn walk(&self, a: i64, b: i64, mut f: impl FnMut(usize, i64, i64)) {
        let mut t = a;
        while t < b {
            let local = self.local(t);
            let next = (t + 3600 - local.rem_euclid(3600)).min(b);
            f(bucket_of_local(local), t, next);
            t = next;
        }
    }
}

fn bucket_of_local(local: i64) -> usize {
    let days = local.div_euclid(86_400);
    // 1970-01-01 was a Thursday: Monday-based weekday 3.
    let weekday = (days + 3).rem_euclid(7);
    let hour = local.rem_euclid(86_400) / 3600;
    (weekday * 24 + hour) as usize
}

/// A value per local hour of the week, Monday 00:00 first (168 buckets).
///
/// Serialises as 7 rows (Monday … Sunday) of 24 values: the nested lists a heatmap needs.
///
/// ```
/// use chargekit::analytics::HourOfWeek;
/// use chrono::Weekday;
/// let mut h = HourOfWeek::<u64>::default();
/// h.add(Weekday::Tue, 9, 3);
/// assert_eq!(h.get(Weekday::Tue, 9), 3);
/// assert_eq!(h.rows()[1][9], 3);
/// assert_eq!(serde_json::to_value(&h).unwrap()[1][9], 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourOfWeek<T>(Vec<T>);

impl<T: Clone + Default> Default for HourOfWeek<T> {
    fn default() -> Self {
        Self(vec![T::default(); HOURS_PER_WEEK])
    }
}

impl<T: Copy + Default> HourOfWeek<T> {
    /// The value at a weekday and local hour (0–23); the default beyond hour 23.
    pub fn get(&self, weekday: Weekday, hour: u32) -> T {
        self.0
            .get(weekday.num_days_from_monday() as usize * 24 + hour as usize)
            .filter(|_| hour < 24)
            .copied()
            .unwrap_or_default()
    }
}

impl<T: Copy + std::ops::AddAssign> HourOfWeek<T> {
    /// Adds `v` to the bucket of a weekday and local hour (ignored beyond hour 23).
    pub fn add(&mut self, weekday: Weekday, hour: u32, v: T) {
        if hour < 24 {
            self.add_at(
                weekday.num_days_from_monday() as usize * 24 + hour as usize,
                v,
            );
        }
    }

    pub(crate) fn add_at(&mut self, idx: usize, v: T) {
        if let Some(x) = self.0.get_mut(idx) {
            *x += v;
        }
    }

    pub(crate) fn merge(&mut self, other: &Self) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a += *b;
        }
    }
}

impl HourOfWeek<i64> {
    /// [`Self::add_at`] that stops at `i64`'s bounds: sums of energy read from partials made
    /// elsewhere must not overflow.
    pub(crate) fn saturating_add_at(&mut self, idx: usize, v: i64) {
        if let Some(x) = self.0.get_mut(idx) {
            *x = x.saturating_add(v);
        }
    }

    /// [`Self::merge`], saturating.
    pub(crate) fn saturating_merge(&mut self, other: &Self) {
        self.merge_with(other, i64::saturating_add);
    }
}

impl<T: Copy> HourOfWeek<T> {
    /// Combines each bucket with the other grid's: `a = f(a, b)`.
    pub(crate) fn merge_with(&mut self, other: &Self, f: impl Fn(T, T) -> T) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = f(*a, *b);
        }
    }
}

impl<T: Clone> HourOfWeek<T> {
    /// 7 rows (Monday … Sunday) of 24 hourly values.
    pub fn rows(&self) -> Vec<Vec<T>> {
        self.0.chunks(24).map(<[T]>::to_vec).collect()
    }

    /// The grid of 7 rows (Monday … Sunday) of 24 hourly values; `None` for another shape.
    ///
    /// ```
    /// use chargekit::analytics::HourOfWeek;
    /// let h = HourOfWeek::<u64>::default();
    /// assert_eq!(HourOfWeek::from_rows(h.rows()), Some(h));
    /// assert_eq!(HourOfWeek::<u64>::from_rows(vec![vec![0; 24]; 6]), None);
    /// ```
    pub fn from_rows(rows: Vec<Vec<T>>) -> Option<Self> {
        (rows.len() == 7 && rows.iter().all(|r| r.len() == 24))
            .then(|| Self(rows.into_iter().flatten().collect()))
    }

    /// All 168 values, Monday 00:00 first.
    pub fn values(&self) -> &[T] {
        &self.0
    }

    /// A grid of `f` applied to each bucket (with its index 0–167).
    pub fn map<U>(&self, mut f: impl FnMut(usize, &T) -> U) -> HourOfWeek<U> {
        HourOfWeek(self.0.iter().enumerate().map(|(i, v)| f(i, v)).collect())
    }

    pub(crate) fn at(&self, idx: usize) -> Option<&T> {
        self.0.get(idx)
    }
}

impl<T: Serialize + Clone> Serialize for HourOfWeek<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows().serialize(s)
    }
}

/// Reads the 7 × 24 rows that [`Serialize`] writes; another shape is an error.
impl<'de, T: Deserialize<'de> + Clone> Deserialize<'de> for HourOfWeek<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<Vec<T>>::deserialize(d)?;
        Self::from_rows(rows)
            .ok_or_else(|| serde::de::Error::custom("expected 7 rows of 24 hourly values"))
    }
}

/// Reads a grid of decimals exactly (see [`crate::json::number`]): the
/// `deserialize_with` of `HourOfWeek<Decimal>` fields (a decimal's own serde form would read
/// a JSON number through `f64`).
pub(crate) fn exact_decimals<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<HourOfWeek<rust_decimal::Decimal>, D::Error> {
    let grid = HourOfWeek::<crate::json::number::Exact>::deserialize(d)?;
    Ok(HourOfWeek(grid.0.into_iter().map(|e| e.0).collect()))
}

/// The weekday and hour of bucket `idx` (0–167).
pub(crate) fn weekday_hour(idx: usize) -> (Weekday, u32) {
    let day = match idx / 24 {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    };
    (day, (idx % 24) as u32)
}

/// Available windows `[a, b)` (sorted, disjoint) with the available time before each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Windows {
    spans: Vec<(i64, i64)>,
    before: Vec<i64>,
}

impl Windows {
    pub fn new(mut spans: Vec<(i64, i64)>) -> Self {
        spans.retain(|(a, b)| a < b);
        spans.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut before = Vec::with_capacity(merged.len());
        let mut acc = 0;
        for (a, b) in &merged {
            before.push(acc);
            acc += b - a;
        }
        Self {
            spans: merged,
            before,
        }
    }

    /// Total available seconds.
    pub fn total(&self) -> i64 {
        match (self.spans.last(), self.before.last()) {
            (Some((a, b)), Some(acc)) => acc + (b - a),
            _ => 0,
        }
    }

    /// Available seconds before instant `t`.
    pub fn before(&self, t: i64) -> i64 {
        let i = self.spans.partition_point(|(a, _)| *a <= t);
        if i == 0 {
            return 0;
        }
        let (a, b) = self.spans[i - 1];
        self.before[i - 1] + (t.min(b) - a)
    }

    /// Available seconds in `[a, b)`.
    pub fn between(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            0
        } else {
            self.before(b) - self.before(a)
        }
    }

    /// The available pieces of `[a, b)`.
    pub fn pieces(&self, a: i64, b: i64, mut f: impl FnMut(i64, i64)) {
        let first = self.spans.partition_point(|(_, end)| *end <= a);
        for &(x, y) in self.spans.get(first..).unwrap_or(&[]) {
            if x >= b {
                break;
            }
            let (p, q) = (x.max(a), y.min(b));
            if p < q {
                f(p, q);
            }
        }
    }

    pub fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn buckets_follow_local_time_across_dst() {
        let tz: Tz = "America/Los_Angeles".parse().unwrap();
        let c = Clock::new(tz, false, 0, 0);
        // 2026-03-08 spring forward at 02:00 PST = 10:00 UTC; Sunday = weekday 6.
        let a = secs(Utc.with_ymd_and_hms(2026, 3, 8, 9, 30, 0).unwrap());
        let b = secs(Utc.with_ymd_and_hms(2026, 3, 8, 11, 30, 0).unwrap());
        let mut pieces = vec![];
        c.walk(a, b, |k, x, y| pieces.push((k, y - x)));
        assert_eq!(
            pieces,
            vec![(6 * 24 + 1, 1800), (6 * 24 + 3, 3600), (6 * 24 + 4, 1800)]
        );
    }

    #[test]
    fn windows_measure_available_time() {
        let w = Windows::new(vec![(10, 20), (30, 40), (15, 25)]);
        assert_eq!(w.total(), 25);
        assert_eq!(w.between(0, 100), 25);
        assert_eq!(w.between(18, 35), 12);
        let mut v = vec![];
        w.pieces(18, 35, |a, b| v.push((a, b)));
        assert_eq!(v, vec![(18, 25), (30, 35)]);
    }
}
