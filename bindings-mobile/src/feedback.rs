//! Driver feedback: station and location scores (recency-weighted Bayesian success rate
//! blended with session telemetry, display score, ranking bound), rankings and the problems
//! that need action. The records are the core's.
//!
//! Feedback crosses as the core's `Feedback` record (optional fields default to empty, so
//! Kotlin callers name only what they have), or as its JSON form through
//! `feedbackFromJson`; options as the core's `ScoreOptions` (null: the defaults).

use chargekit::analytics::SessionRecord;
use chargekit::feedback::{
    score, screen, AbusePolicy, Feedback, ScoreOptions, ScoreReport, Screening,
};

use crate::{guarded, ChargekitError};

/// Scores every location (or station, per the options' `level`) that has feedback or
/// telemetry, ranks them and lists the problems that need action; `telemetry` holds the
/// sessions behind them.
#[uniffi::export(default(telemetry = [], options = None))]
pub fn score_feedback(
    feedback: Vec<Feedback>,
    telemetry: Vec<SessionRecord>,
    options: Option<ScoreOptions>,
) -> Result<ScoreReport, ChargekitError> {
    guarded(|| Ok::<_, ChargekitError>(score(&feedback, &telemetry, &options.unwrap_or_default())))
}

/// A feedback record from its JSON form (snake_case fields, as an app backend stores it);
/// an unknown or invalid field is `InvalidFeedback` naming it.
#[uniffi::export]
pub fn feedback_from_json(json: String) -> Result<Feedback, ChargekitError> {
    guarded(|| Feedback::from_json(&json))
}

/// The default scoring options (`docs/analytics-and-feedback.md` §6: 90-day half-life, prior
/// 0.85 × 8, …).
#[uniffi::export]
pub fn default_score_options() -> ScoreOptions {
    ScoreOptions::default()
}

/// Screens feedback with the anti-abuse rules (`docs/analytics-and-feedback.md` §5.3), as
/// `scoreFeedback` does before anything counts: the accepted items and each refused one
/// with its rule. `telemetry` holds the sessions that claimed links are checked against.
#[uniffi::export(default(telemetry = [], policy = None))]
pub fn screen_feedback(
    feedback: Vec<Feedback>,
    telemetry: Vec<SessionRecord>,
    policy: Option<AbusePolicy>,
) -> Result<Screening, ChargekitError> {
    guarded(|| Ok::<_, ChargekitError>(screen(&feedback, &telemetry, &policy.unwrap_or_default())))
}

/// The default anti-abuse rules (100 m, one per author and location per hour, 3 a day for
/// new authors, …), to adjust with `copy(...)`.
#[uniffi::export]
pub fn default_abuse_policy() -> AbusePolicy {
    AbusePolicy::default()
}
