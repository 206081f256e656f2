//! Driver feedback: station and location scores (recency-weighted Bayesian success rate
//! blended with session telemetry, display score, ranking bound), rankings and the problems
//! that need action.
//!
//! Feedback records cross as core's JSON form (`Feedback::from_json`: snake_case, an error
//! names the field); options as core's `ScoreOptions` JSON.

use chargekit::feedback::{score, Feedback, Problem, ScoreOptions, ScoreReport};

use crate::analytics::{core_records, SessionRecord};
use crate::{guarded, ChargekitError};

/// Scores every location (or station, per the options' `level`) that has feedback or
/// telemetry, ranks them and lists the problems that need action. `feedbackJson` holds one
/// feedback record per text (core's JSON form); `telemetry` the sessions behind them.
#[uniffi::export(default(telemetry = [], options_json = None))]
pub fn score_feedback(
    feedback_json: Vec<String>,
    telemetry: Vec<SessionRecord>,
    options_json: Option<String>,
) -> Result<ScoreReport, ChargekitError> {
    let options = match options_json {
        Some(text) => guarded(|| ScoreOptions::from_json(&text))?,
        None => ScoreOptions::default(),
    };
    let feedback = feedback_json
        .iter()
        .map(|text| guarded(|| Feedback::from_json(text)))
        .collect::<Result<Vec<_>, _>>()?;
    let telemetry = core_records(telemetry);
    guarded(|| Ok::<_, ChargekitError>(score(&feedback, &telemetry, &options)))
}

/// The stable name of a problem, e.g. `"broken_hardware"`.
#[uniffi::export]
pub fn problem_name(problem: Problem) -> String {
    problem.as_str().to_string()
}
