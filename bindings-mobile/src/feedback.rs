//! Driver feedback: station and location scores (recency-weighted Bayesian success rate
//! blended with session telemetry, display score, ranking bound), rankings and the problems
//! that need action. The records are the core's.
//!
//! Feedback records cross as the core's JSON form (`Feedback::from_json`: snake_case, an
//! error names the field); options as the core's `ScoreOptions` (null: the defaults).

use chargekit::analytics::SessionRecord;
use chargekit::feedback::{score, Feedback, ScoreOptions, ScoreReport};

use crate::{guarded, ChargekitError};

/// Scores every location (or station, per the options' `level`) that has feedback or
/// telemetry, ranks them and lists the problems that need action. `feedbackJson` holds one
/// feedback record per text (the core's JSON form); `telemetry` the sessions behind them.
#[uniffi::export(default(telemetry = [], options = None))]
pub fn score_feedback(
    feedback_json: Vec<String>,
    telemetry: Vec<SessionRecord>,
    options: Option<ScoreOptions>,
) -> Result<ScoreReport, ChargekitError> {
    guarded(|| {
        let feedback = feedback_json
            .iter()
            .map(|text| Feedback::from_json(text))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, ChargekitError>(score(&feedback, &telemetry, &options.unwrap_or_default()))
    })
}

/// The default scoring options (`docs/analytics-and-feedback.md` §6: 90-day half-life, prior
/// 0.85 × 8, …).
#[uniffi::export]
pub fn default_score_options() -> ScoreOptions {
    ScoreOptions::default()
}
