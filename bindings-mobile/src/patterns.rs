//! Behaviour patterns (digest §3): per-user habits, AC/DC segments with dwell classes, and
//! the departure forecaster. Core types are mirrored; options cross as core's
//! `SummaryOptions` / `PatternOptions` JSON.

use std::sync::Arc;

use chargekit::analytics::{
    behaviour_patterns as core_patterns, BehaviourPatterns, ChargerSegment, DepartureForecast,
    DepartureForecaster as CoreForecaster, DwellClass, DwellClassCount, DwellStats, ForecastBasis,
    PatternOptions, SegmentStats, UserPattern,
};

use crate::analytics::{core_records, summary_options, SessionRecord};
use crate::error::{guarded, ChargekitError};
use crate::types::{ExactDecimal, UtcInstant};

/// AC or DC, as the segmentation found it.
#[uniffi::remote(Enum)]
pub enum ChargerSegment {
    /// AC charging.
    Ac,
    /// DC fast charging.
    Dc,
    /// Neither declared nor inferable from power.
    Unknown,
}

/// Dwell classes: DC sessions cluster around half an hour, workplace AC around hours.
#[uniffi::remote(Enum)]
pub enum DwellClass {
    /// Under 30 minutes.
    Under30Min,
    /// 30 to 60 minutes.
    From30To60Min,
    /// 1 to 2 hours.
    From1To2H,
    /// 2 to 4 hours.
    From2To4H,
    /// 4 to 8 hours.
    From4To8H,
    /// 8 hours or more.
    Over8H,
}

/// What a departure forecast rests on.
#[uniffi::remote(Enum)]
pub enum ForecastBasis {
    /// The user's own median dwell.
    User,
    /// The site's median dwell for arrivals in that local hour of the week.
    SiteHourOfWeek,
    /// The site's median dwell over all arrivals.
    Site,
}

/// Order statistics of durations, seconds.
#[uniffi::remote(Record)]
pub struct DwellStats {
    /// Shortest.
    pub min_s: i64,
    /// First quartile (nearest rank).
    pub p25_s: i64,
    /// Median (rounded down).
    pub median_s: i64,
    /// Third quartile (nearest rank).
    pub p75_s: i64,
    /// Longest.
    pub max_s: i64,
    /// Mean (rounded down).
    pub mean_s: i64,
}

/// The habits of one pseudonymous user.
#[uniffi::remote(Record)]
pub struct UserPattern {
    /// The user id as given.
    pub user_id: String,
    /// Sessions of the user.
    pub sessions: u64,
    /// The most frequent local arrival hour (0–23).
    pub arrival_hour: u32,
    /// The most frequent local departure hour (0–23).
    pub departure_hour: u32,
    /// Dwell statistics.
    pub dwell: DwellStats,
    /// Mean energy per visit, kWh.
    pub mean_energy_kwh: ExactDecimal,
    /// Share of sessions with overstay beyond the grace period.
    pub overstay_share: ExactDecimal,
    /// The site (else station) the user visits most.
    pub home_site: String,
    /// Share of the user's sessions there.
    pub home_share: ExactDecimal,
    /// Whether the history is long enough for the forecast to use it.
    pub trusted: bool,
}

/// Sessions of one dwell class.
#[uniffi::remote(Record)]
pub struct DwellClassCount {
    /// The class.
    pub class: DwellClass,
    /// Sessions in it.
    pub sessions: u64,
}

/// One segment (AC, DC or unknown) of the sessions.
#[uniffi::remote(Record)]
pub struct SegmentStats {
    /// The segment.
    pub segment: ChargerSegment,
    /// Sessions in it.
    pub sessions: u64,
    /// Dwell statistics.
    pub dwell: DwellStats,
    /// Mean energy per session, kWh.
    pub mean_energy_kwh: ExactDecimal,
    /// Sessions per dwell class, shortest first.
    pub classes: Vec<DwellClassCount>,
}

/// Per-user patterns and AC/DC segments.
#[uniffi::remote(Record)]
pub struct BehaviourPatterns {
    /// Users, most sessions first.
    pub users: Vec<UserPattern>,
    /// Segments with sessions: AC, DC, unknown.
    pub segments: Vec<SegmentStats>,
}

/// An expected departure.
#[uniffi::remote(Record)]
pub struct DepartureForecast {
    /// Expected plug-out.
    pub departure: UtcInstant,
    /// Expected dwell, seconds.
    pub dwell_s: i64,
    /// Where the dwell comes from.
    pub basis: ForecastBasis,
    /// Sessions behind the figure.
    pub sessions: u64,
}

fn pattern_options(json: Option<String>) -> Result<PatternOptions, ChargekitError> {
    match json {
        Some(text) => guarded(|| PatternOptions::from_json(&text)),
        None => Ok(PatternOptions::default()),
    }
}

/// Per-user patterns and AC/DC segments of `sessions` in the site's zone `tz`, under core's
/// `SummaryOptions` JSON and `PatternOptions` JSON (null: the defaults).
#[uniffi::export(default(options_json = None, patterns_json = None))]
pub fn behaviour_patterns(
    sessions: Vec<SessionRecord>,
    tz: String,
    options_json: Option<String>,
    patterns_json: Option<String>,
) -> Result<BehaviourPatterns, ChargekitError> {
    let options = summary_options(&tz, options_json)?;
    let patterns = pattern_options(patterns_json)?;
    let records = core_records(sessions);
    guarded(|| core_patterns(&records, &options, &patterns))
}

/// Expected departures learnt from past sessions: the user's median dwell, else the site's
/// for that local hour of the week, else the site's overall median.
#[derive(Debug, uniffi::Object)]
pub struct DepartureForecaster(CoreForecaster);

#[uniffi::export]
impl DepartureForecaster {
    /// Learns from `sessions` in the site's zone `tz` (options as for `behaviourPatterns`).
    #[uniffi::constructor(default(options_json = None, patterns_json = None))]
    pub fn new(
        sessions: Vec<SessionRecord>,
        tz: String,
        options_json: Option<String>,
        patterns_json: Option<String>,
    ) -> Result<Arc<Self>, ChargekitError> {
        let options = summary_options(&tz, options_json)?;
        let patterns = pattern_options(patterns_json)?;
        let records = core_records(sessions);
        guarded(|| CoreForecaster::fit(&records, &options, &patterns)).map(|f| Arc::new(Self(f)))
    }

    /// The expected departure of a car arriving at `arrival`; null when nothing was learnt.
    #[uniffi::method(default(user_id = None))]
    pub fn forecast(
        &self,
        arrival: UtcInstant,
        user_id: Option<String>,
    ) -> Result<Option<DepartureForecast>, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.forecast(user_id.as_deref(), arrival)))
    }
}
