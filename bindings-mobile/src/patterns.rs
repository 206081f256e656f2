//! Behaviour patterns (`docs/analytics-and-feedback.md` §3): per-user habits, AC/DC segments
//! with dwell classes, and the departure forecaster. The records are the core's; options cross as the core's
//! `SummaryOptions` and `PatternOptions` (null: the defaults).

use std::sync::Arc;

use chargekit::analytics::{
    behaviour_patterns as core_patterns, BehaviourPatterns, DepartureForecast,
    DepartureForecaster as CoreForecaster, PatternOptions, SessionRecord, SummaryOptions,
};
use chargekit::boundary::analytics::summary_options;

use crate::types::UtcInstant;
use crate::{guarded, ChargekitError};

/// Per-user patterns and AC/DC segments of `sessions` in the site's zone `tz`.
#[uniffi::export(default(options = None, patterns = None))]
pub fn behaviour_patterns(
    sessions: Vec<SessionRecord>,
    tz: String,
    options: Option<SummaryOptions>,
    patterns: Option<PatternOptions>,
) -> Result<BehaviourPatterns, ChargekitError> {
    guarded(|| {
        let options = summary_options(options, Some(&tz))?;
        core_patterns(&sessions, &options, &patterns.unwrap_or_default())
    })
}

/// The default pattern options (3 sessions for a trusted user or hour, DC from 50 kW).
#[uniffi::export]
pub fn default_pattern_options() -> PatternOptions {
    PatternOptions::default()
}

/// Expected departures learnt from past sessions: the user's median dwell, else the site's
/// for that local hour of the week, else the site's overall median.
#[derive(Debug, uniffi::Object)]
pub struct DepartureForecaster(CoreForecaster);

#[uniffi::export]
impl DepartureForecaster {
    /// Learns from `sessions` in the site's zone `tz` (options as for `behaviourPatterns`).
    #[uniffi::constructor(default(options = None, patterns = None))]
    pub fn new(
        sessions: Vec<SessionRecord>,
        tz: String,
        options: Option<SummaryOptions>,
        patterns: Option<PatternOptions>,
    ) -> Result<Arc<Self>, ChargekitError> {
        guarded(|| {
            let options = summary_options(options, Some(&tz))?;
            CoreForecaster::fit(&sessions, &options, &patterns.unwrap_or_default())
        })
        .map(|f| Arc::new(Self(f)))
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
