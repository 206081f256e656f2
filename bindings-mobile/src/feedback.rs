//! Driver feedback: station and location scores (recency-weighted Bayesian success rate
//! blended with session telemetry, display score, ranking bound), rankings and the problems
//! that need action.
//!
//! Feedback records cross as core's JSON form (`Feedback::from_json`: snake_case, an error
//! names the field); options as core's `ScoreOptions` JSON.

use chargekit::feedback::{
    score, ActionItem, Feedback, Problem, ProblemShare, Ranked, Ranking, Score, ScoreOptions,
    ScoreReport,
};

use crate::analytics::{core_records, SessionRecord};
use crate::error::{guarded, ChargekitError};
use crate::types::{ExactDecimal, UtcInstant};

/// A problem category of driver feedback; `problemName` gives its stable name.
#[uniffi::remote(Enum)]
pub enum Problem {
    /// Broken or damaged hardware.
    BrokenHardware,
    /// All chargers in use.
    InUse,
    /// Spot blocked by a vehicle.
    BlockedByVehicle,
    /// The charger could not be activated.
    CouldNotActivate,
    /// Permanently closed.
    PermanentlyClosed,
    /// Much slower than rated.
    SlowCharging,
    /// Payment failed.
    PaymentFailed,
    /// Cable or connector damaged or stuck.
    CableOrConnector,
    /// The app or the authorisation failed.
    AppOrAuth,
    /// Missing or misleading signage.
    Signage,
    /// The site could not be found or entered.
    LocationAccess,
    /// Anything else.
    Other,
}

/// The share of one problem among the feedback reporting a problem.
#[uniffi::remote(Record)]
pub struct ProblemShare {
    /// The problem.
    pub problem: Problem,
    /// Reports.
    pub count: u64,
    /// count ÷ all problem reports.
    pub share: ExactDecimal,
}

/// The score of one location or station, with its components.
#[uniffi::remote(Record)]
pub struct Score {
    /// Location or station id.
    pub id: String,
    /// 0.0–10.0 with one decimal; null ("not enough data") while the effective sample size
    /// is below the minimum.
    pub display_score: Option<ExactDecimal>,
    /// Posterior success probability.
    pub success_probability: ExactDecimal,
    /// The ranking bound, below the success probability.
    pub lower_bound: ExactDecimal,
    /// Effective sample size Σw.
    pub effective_n: ExactDecimal,
    /// Σw·s.
    pub weighted_successes: ExactDecimal,
    /// Recency-weighted success rate without the prior.
    pub recent_success_rate: Option<ExactDecimal>,
    /// Feedback items counted (not hidden).
    pub feedback: u64,
    /// Of which verified.
    pub verified: u64,
    /// Of which neutral.
    pub neutral: u64,
    /// Telemetry sessions counted.
    pub sessions: u64,
    /// Share of each problem, most reported first.
    pub problem_mix: Vec<ProblemShare>,
    /// The latest success (feedback or telemetry).
    pub last_success: Option<UtcInstant>,
    /// Seconds from the last success to `asOf`.
    pub since_last_success_s: Option<i64>,
}

/// A problem that needs action: repeated reports of one problem on one EVSE (or location)
/// since its last success.
#[uniffi::remote(Record)]
pub struct ActionItem {
    /// Location.
    pub location_id: String,
    /// EVSE, when the reports name one.
    pub evse_id: Option<String>,
    /// The problem.
    pub problem: Problem,
    /// Reports since the last success.
    pub reports: u64,
    /// The first of them.
    pub first_reported: UtcInstant,
    /// The latest.
    pub last_reported: UtcInstant,
    /// The last success before them, if any.
    pub last_success: Option<UtcInstant>,
}

/// One entry of the ranking.
#[uniffi::remote(Record)]
pub struct Ranked {
    /// Location or station.
    pub id: String,
    /// The ranking bound.
    pub lower_bound: ExactDecimal,
    /// The display score, when shown.
    pub display_score: Option<ExactDecimal>,
}

/// Rankings over all scored ids.
#[uniffi::remote(Record)]
pub struct Ranking {
    /// All, by lower bound (best first).
    pub ranked: Vec<Ranked>,
    /// Enough data and a lower bound at or above the threshold, best first.
    pub exceptional: Vec<String>,
    /// Enough data and a success probability below the threshold, worst first.
    pub failing: Vec<String>,
}

/// Scores per location (or station), rankings and action items.
#[uniffi::remote(Record)]
pub struct ScoreReport {
    /// The instant ages were measured to.
    pub as_of: Option<UtcInstant>,
    /// One score per id, sorted by id.
    pub scores: Vec<Score>,
    /// Rankings.
    pub ranking: Ranking,
    /// Problems that need action, most reports first.
    pub actions: Vec<ActionItem>,
}

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
