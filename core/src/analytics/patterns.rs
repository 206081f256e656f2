//! Behaviour patterns (`docs/analytics-and-feedback.md` §3): per-user habits, AC/DC
//! segmentation with dwell classes, and the departure forecast that smart charging plans
//! against.
//!
//! Everything here is computed from [`SessionRecord`]s under the same
//! [`SummaryOptions`] as the site summary (time zone, session boundary, idle definition,
//! overstay grace), so a pattern never contradicts the summary it sits beside.

use super::accum::{Declared, Hist};
use super::{PowerKind, SessionMetrics, SessionRecord, SummaryOptions};
use crate::enums::wire_enum;
use crate::units::Power;
use crate::Error;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Options of the pattern analysis; the JSON form uses the field names. Kotlin and Swift
/// build it from `defaultPatternOptions()` (UniFFI cannot default the decimal power).
///
/// ```
/// use chargekit::analytics::PatternOptions;
/// let o = PatternOptions::from_json(r#"{"min_user_sessions": 5}"#).unwrap();
/// assert_eq!(o.min_user_sessions, 5);
/// assert_eq!(o.dc_min_power.kw().to_string(), "50");
/// assert!(PatternOptions::from_json(r#"{"min_user_sessions": -1}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct PatternOptions {
    /// A user's own history is trusted for forecasts from this many sessions (default 3);
    /// users with fewer sessions are still listed.
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub min_user_sessions: u32,
    /// A site hour-of-week bucket is trusted from this many arrivals (default 3).
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub min_bucket_sessions: u32,
    /// A port whose kind is not declared counts as DC when its rated power (declared, else
    /// the record's, else the session's peak power) is at least this (JSON: W; Kotlin/Swift
    /// `dcMinPowerW`; default 50 kW, above the 43 kW of the largest AC chargers).
    #[cfg_attr(feature = "uniffi", uniffi(name = "dc_min_power_w"))]
    pub dc_min_power: Power,
}

impl Default for PatternOptions {
    fn default() -> Self {
        Self {
            min_user_sessions: 3,
            min_bucket_sessions: 3,
            dc_min_power: Power::from_w(Decimal::from(50_000)),
        }
    }
}

impl PatternOptions {
    /// Reads options from JSON; an error names the offending field.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        super::read_json(text).map_err(|(field, message)| Error::InvalidAnalyticsOptions {
            field,
            reason: message,
        })
    }
}

/// Order statistics of durations, seconds (nearest-rank quartiles, exact median).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DwellStats {
    /// Shortest.
    pub min_s: i64,
    /// First quartile.
    pub p25_s: i64,
    /// Median (the mean of the two middle values for an even count, rounded down).
    pub median_s: i64,
    /// Third quartile.
    pub p75_s: i64,
    /// Longest.
    pub max_s: i64,
    /// Mean, rounded down.
    pub mean_s: i64,
}

impl DwellStats {
    fn of(h: &mut Hist) -> Option<Self> {
        let (min_s, max_s) = h.min_max()?;
        Some(Self {
            min_s,
            p25_s: h.quantile(1, 4)?,
            median_s: h.median_floor()?,
            p75_s: h.quantile(3, 4)?,
            max_s,
            mean_s: h.mean_floor()?,
        })
    }
}

/// The habits of one pseudonymous user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UserPattern {
    /// The user id as given.
    pub user_id: String,
    /// Sessions of the user.
    pub sessions: u64,
    /// The most frequent local arrival hour (0–23; the earliest on a tie).
    pub arrival_hour: u32,
    /// The most frequent local departure hour (0–23; the earliest on a tie).
    pub departure_hour: u32,
    /// Dwell (plug-in to plug-out under the session boundary).
    pub dwell: DwellStats,
    /// Mean energy per visit, kWh (3 decimals).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub mean_energy_kwh: Decimal,
    /// Share of sessions with overstay beyond the grace period (4 decimals).
    pub overstay_share: Decimal,
    /// The site the user visits most (site id, else station id; the smallest id on a tie).
    pub home_site: String,
    /// Share of the user's sessions at the home site (4 decimals).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub home_share: Decimal,
    /// Whether the history is long enough for the forecast to use it.
    pub trusted: bool,
}

wire_enum! {
    /// AC or DC, as the segmentation found it.
    pub enum ChargerSegment {
        /// AC charging.
        Ac = "ac",
        /// DC fast charging.
        Dc = "dc",
        /// Neither declared nor inferable from power.
        Unknown = "unknown",
    }
}

wire_enum! {
    /// Dwell classes: DC sessions cluster around half an hour, workplace AC around hours.
    pub enum DwellClass {
        /// Under 30 minutes.
        Under30Min = "under_30_min",
        /// 30 to 60 minutes.
        From30To60Min = "30_to_60_min",
        /// 1 to 2 hours.
        From1To2H = "1_to_2_h",
        /// 2 to 4 hours.
        From2To4H = "2_to_4_h",
        /// 4 to 8 hours.
        From4To8H = "4_to_8_h",
        /// 8 hours or more.
        Over8H = "over_8_h",
    }
}

impl DwellClass {
    /// The class of a dwell in seconds (lower bounds inclusive).
    ///
    /// ```
    /// use chargekit::analytics::DwellClass;
    /// assert_eq!(DwellClass::of(1799), DwellClass::Under30Min);
    /// assert_eq!(DwellClass::of(1800), DwellClass::From30To60Min);
    /// assert_eq!(DwellClass::of(8 * 3600), DwellClass::Over8H);
    /// ```
    pub fn of(dwell_s: i64) -> Self {
        match dwell_s {
            s if s < 1800 => DwellClass::Under30Min,
            s if s < 3600 => DwellClass::From30To60Min,
            s if s < 2 * 3600 => DwellClass::From1To2H,
            s if s < 4 * 3600 => DwellClass::From2To4H,
            s if s < 8 * 3600 => DwellClass::From4To8H,
            _ => DwellClass::Over8H,
        }
    }
}

/// Sessions of one dwell class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DwellClassCount {
    /// The class.
    pub class: DwellClass,
    /// Sessions in it.
    pub sessions: u64,
}

/// One segment (AC, DC or unknown) of the sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SegmentStats {
    /// The segment.
    pub segment: ChargerSegment,
    /// Sessions in it.
    pub sessions: u64,
    /// Dwell statistics.
    pub dwell: DwellStats,
    /// Mean energy per session, kWh (3 decimals).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub mean_energy_kwh: Decimal,
    /// Sessions per dwell class, every class listed (shortest first, as [`DwellClass::ALL`]).
    /// Its serde form is an object: class name → sessions.
    #[serde(with = "class_counts")]
    pub classes: Vec<DwellClassCount>,
}

/// Serde for the dwell class counts as an object `{class name: sessions}`, in class order.
mod class_counts {
    use super::{DwellClass, DwellClassCount};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(counts: &[DwellClassCount], s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(counts.iter().map(|c| (c.class, c.sessions)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DwellClassCount>, D::Error> {
        let counts = BTreeMap::<DwellClass, u64>::deserialize(d)?;
        Ok(counts
            .into_iter()
            .map(|(class, sessions)| DwellClassCount { class, sessions })
            .collect())
    }
}

/// Per-user patterns and AC/DC segments of a set of sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BehaviourPatterns {
    /// Users, most sessions first (then by id); sessions without a user id are not listed.
    pub users: Vec<UserPattern>,
    /// The segments that have sessions, in the order AC, DC, unknown.
    pub segments: Vec<SegmentStats>,
}

wire_enum! {
    /// What a departure forecast rests on.
    pub enum ForecastBasis {
        /// The user's own median dwell.
        User = "user",
        /// The site's median dwell for arrivals in that local hour of the week.
        SiteHourOfWeek = "site_hour_of_week",
        /// The site's median dwell over all arrivals.
        Site = "site",
    }
}

/// An expected departure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DepartureForecast {
    /// Expected plug-out.
    pub departure: DateTime<Utc>,
    /// Expected dwell, seconds.
    pub dwell_s: i64,
    /// Where the dwell comes from.
    pub basis: ForecastBasis,
    /// Sessions behind the figure.
    pub sessions: u64,
}

/// Expected departure times (§3 forecast hook): the user's median dwell when the user has
/// enough history, else the site's median dwell for the local hour of the week of the
/// arrival, else the site's overall median dwell.
///
/// ```
/// use chargekit::analytics::{DepartureForecaster, ForecastBasis, PatternOptions, SessionRecord, SummaryOptions};
/// use chargekit::units::Energy;
/// use chrono::{Duration, TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let monday = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
/// let records: Vec<SessionRecord> = (0..4)
///     .map(|w| {
///         let start = monday + Duration::weeks(w);
///         let mut r = SessionRecord::new(format!("s{w}"), "CP", "1", start,
///             start + Duration::hours(9), Energy::from_kwh(Decimal::from(20)));
///         r.user_id = Some("u1".into());
///         r
///     })
///     .collect();
/// let f = DepartureForecaster::fit(&records, &SummaryOptions::default(), &PatternOptions::default()).unwrap();
/// let next = monday + Duration::weeks(5);
/// let guess = f.forecast(Some("u1"), next).unwrap();
/// assert_eq!((guess.basis, guess.dwell_s), (ForecastBasis::User, 9 * 3600));
/// // a stranger arriving in the same local hour of the week gets the site's figure
/// assert_eq!(f.forecast(None, next).unwrap().basis, ForecastBasis::SiteHourOfWeek);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartureForecaster {
    tz: Tz,
    users: HashMap<String, (i64, u64)>,
    hour_of_week: Vec<Option<(i64, u64)>>,
    site: Option<(i64, u64)>,
}

impl DepartureForecaster {
    /// Learns dwell medians from past sessions.
    pub fn fit(
        records: &[SessionRecord],
        summary: &SummaryOptions,
        options: &PatternOptions,
    ) -> Result<Self, Error> {
        let tz = summary.tz;
        let mut users: HashMap<&str, Hist> = HashMap::new();
        let mut buckets: Vec<Hist> = vec![Hist::default(); super::HOURS_PER_WEEK];
        let mut site = Hist::default();
        for r in records {
            let m = metrics(r, summary);
            if let Some(u) = r.user_id.as_deref() {
                users.entry(u).or_default().add(m.dwell_s);
            }
            if let Some(b) = buckets.get_mut(hour_of_week(m.start, tz)) {
                b.add(m.dwell_s);
            }
            site.add(m.dwell_s);
        }
        let trusted = |h: &Hist, min: u32| {
            (h.count() >= u64::from(min.max(1)))
                .then(|| h.median_floor().map(|m| (m, h.count())))
                .flatten()
        };
        Ok(Self {
            tz,
            users: users
                .into_iter()
                .filter_map(|(u, h)| Some((u.to_owned(), trusted(&h, options.min_user_sessions)?)))
                .collect(),
            hour_of_week: buckets
                .iter()
                .map(|h| trusted(h, options.min_bucket_sessions))
                .collect(),
            site: trusted(&site, 1),
        })
    }

    /// The expected departure of a car arriving at `arrival`, `None` when nothing was
    /// learnt (no past sessions).
    pub fn forecast(
        &self,
        user_id: Option<&str>,
        arrival: DateTime<Utc>,
    ) -> Option<DepartureForecast> {
        let (basis, (dwell_s, sessions)) = user_id
            .and_then(|u| self.users.get(u))
            .map(|v| (ForecastBasis::User, *v))
            .or_else(|| {
                self.hour_of_week
                    .get(hour_of_week(arrival, self.tz))
                    .copied()
                    .flatten()
                    .map(|v| (ForecastBasis::SiteHourOfWeek, v))
            })
            .or_else(|| self.site.map(|v| (ForecastBasis::Site, v)))?;
        Some(DepartureForecast {
            departure: arrival.checked_add_signed(Duration::seconds(dwell_s))?,
            dwell_s,
            basis,
            sessions,
        })
    }
}

/// Per-user patterns and AC/DC segmentation of `records` (`docs/analytics-and-feedback.md` §3).
///
/// ```
/// use chargekit::analytics::{behaviour_patterns, generate, ChargerSegment, GeneratorConfig, PatternOptions};
/// let cfg = GeneratorConfig { days: 28, ..GeneratorConfig::default() };
/// let sessions = generate(&cfg).unwrap();
/// let p = behaviour_patterns(&sessions, &cfg.summary_options().unwrap(), &PatternOptions::default()).unwrap();
/// let total: u64 = p.segments.iter().map(|s| s.sessions).sum();
/// assert_eq!(total, sessions.len() as u64);
/// assert!(p.users.iter().all(|u| u.dwell.p25_s <= u.dwell.median_s && u.dwell.median_s <= u.dwell.p75_s));
/// ```
pub fn behaviour_patterns(
    records: &[SessionRecord],
    summary: &SummaryOptions,
    options: &PatternOptions,
) -> Result<BehaviourPatterns, Error> {
    let tz = summary.tz;
    let declared: HashMap<(&str, &str), Declared> = summary
        .ports
        .iter()
        .map(|p| {
            (
                (p.station_id.as_str(), p.port_id.as_str()),
                (p.rated_power, p.kind),
            )
        })
        .collect();

    let mut users: BTreeMap<&str, UserAcc> = BTreeMap::new();
    let mut segments: BTreeMap<ChargerSegment, SegmentAcc> = BTreeMap::new();
    for r in records {
        let m = metrics(r, summary);
        let (rated, kind) = declared
            .get(&(r.station_id.as_str(), r.port_id.as_str()))
            .copied()
            .unwrap_or((None, None));
        let segment = match kind {
            Some(PowerKind::Ac) => ChargerSegment::Ac,
            Some(PowerKind::Dc) => ChargerSegment::Dc,
            None => match rated.or(r.rated_power).or(r.peak_power) {
                Some(p) if p >= options.dc_min_power => ChargerSegment::Dc,
                Some(_) => ChargerSegment::Ac,
                None => ChargerSegment::Unknown,
            },
        };
        let energy_mwh = mwh(&m);
        let s = segments.entry(segment).or_default();
        s.dwell.add(m.dwell_s);
        s.energy_mwh += i128::from(energy_mwh);
        *s.classes.entry(DwellClass::of(m.dwell_s)).or_default() += 1;

        if let Some(u) = r.user_id.as_deref() {
            let a = users.entry(u).or_default();
            a.dwell.add(m.dwell_s);
            a.energy_mwh += i128::from(energy_mwh);
            a.overstays += u64::from(m.overstay_s > 0);
            if let Some(h) = a.arrivals.get_mut(local_hour(m.start, tz)) {
                *h += 1;
            }
            if let Some(h) = a.departures.get_mut(local_hour(m.end, tz)) {
                *h += 1;
            }
            let site = r.site_id.as_deref().unwrap_or(r.station_id.as_str());
            *a.sites.entry(site).or_default() += 1;
        }
    }

    let mut users: Vec<UserPattern> = users
        .into_iter()
        .filter_map(|(id, mut a)| {
            let n = a.dwell.count();
            // BTreeMap order: the smallest id wins a tie.
            let (home, visits) =
                a.sites
                    .iter()
                    .fold(None, |best: Option<(&str, u64)>, (s, c)| match best {
                        Some((_, bc)) if bc >= *c => best,
                        _ => Some((s, *c)),
                    })?;
            Some(UserPattern {
                user_id: id.to_owned(),
                sessions: n,
                arrival_hour: mode_hour(&a.arrivals),
                departure_hour: mode_hour(&a.departures),
                dwell: DwellStats::of(&mut a.dwell)?,
                mean_energy_kwh: mean_kwh(a.energy_mwh, n),
                overstay_share: share(a.overstays, n),
                home_site: home.to_owned(),
                home_share: share(visits, n),
                trusted: n >= u64::from(options.min_user_sessions.max(1)),
            })
        })
        .collect();
    users.sort_by(|a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then_with(|| a.user_id.cmp(&b.user_id))
    });

    let segments = segments
        .into_iter()
        .filter_map(|(segment, mut s)| {
            let n = s.dwell.count();
            Some(SegmentStats {
                segment,
                sessions: n,
                dwell: DwellStats::of(&mut s.dwell)?,
                mean_energy_kwh: mean_kwh(s.energy_mwh, n),
                classes: DwellClass::ALL
                    .iter()
                    .map(|c| DwellClassCount {
                        class: *c,
                        sessions: s.classes.get(c).copied().unwrap_or(0),
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(BehaviourPatterns { users, segments })
}

#[derive(Default)]
struct UserAcc<'a> {
    dwell: Hist,
    energy_mwh: i128,
    overstays: u64,
    arrivals: [u64; 24],
    departures: [u64; 24],
    sites: BTreeMap<&'a str, u64>,
}

#[derive(Default)]
struct SegmentAcc {
    dwell: Hist,
    energy_mwh: i128,
    classes: HashMap<DwellClass, u64>,
}

fn metrics(r: &SessionRecord, o: &SummaryOptions) -> SessionMetrics {
    r.metrics(o.boundary, o.idle, o.success, o.overstay_grace_s)
}

/// Energy in whole mWh (exact for any realistic session; saturates otherwise).
fn mwh(m: &SessionMetrics) -> i64 {
    (m.energy.wh() * Decimal::ONE_THOUSAND)
        .trunc()
        .try_into()
        .unwrap_or(i64::MAX)
}

fn local_hour(t: DateTime<Utc>, tz: Tz) -> usize {
    t.with_timezone(&tz).hour() as usize
}

fn hour_of_week(t: DateTime<Utc>, tz: Tz) -> usize {
    let l = t.with_timezone(&tz);
    l.weekday().num_days_from_monday() as usize * 24 + l.hour() as usize
}

fn mode_hour(counts: &[u64; 24]) -> u32 {
    counts
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        .map_or(0, |(h, _)| h as u32)
}

fn mean_kwh(mwh: i128, n: u64) -> Decimal {
    if n == 0 {
        return Decimal::ZERO;
    }
    Decimal::try_from_i128_with_scale(mwh, 6)
        .map(|kwh| (kwh / Decimal::from(n)).round_dp(3).normalize())
        .unwrap_or(Decimal::MAX)
}

fn share(num: u64, den: u64) -> Decimal {
    if den == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(num) / Decimal::from(den))
        .round_dp(4)
        .normalize()
}
