//! Behaviour patterns (digest §3): per-user habits, AC/DC segments with dwell classes, and
//! the departure forecaster. Core types are mirrored; options cross as core's
//! `SummaryOptions` / `PatternOptions` JSON.

use std::sync::Arc;

use chargekit::analytics::{
    behaviour_patterns as core_patterns, BehaviourPatterns, DepartureForecast,
    DepartureForecaster as CoreForecaster, PatternOptions,
};

use crate::analytics::{core_records, summary_options, SessionRecord};
use crate::types::UtcInstant;
use crate::{guarded, ChargekitError};

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
