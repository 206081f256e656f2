//! Driver feedback and reliability: the feedback record (§5.2) with the anti-abuse checks
//! of §5.3, station and location scores (§6) with rankings and the problems that need
//! action, and the reliability KPIs of §4.
//!
//! Owns: driver feedback, scores and rankings, reliability KPIs. Imports: `analytics` and the
//! foundation.
//!
//! The rules are written up in `docs/analytics-and-feedback.md`; section numbers (§) in
//! this module's documentation refer to that page.
//!
//! ```
//! use chargekit::feedback::{score, Feedback, Outcome, Problem, ScoreOptions};
//! use chrono::{Duration, TimeZone, Utc};
//! let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
//! let mut fb: Vec<Feedback> = (0..2)
//!     .map(|i| {
//!         let mut f = Feedback::new(format!("F{i}"), t + Duration::hours(i), format!("A{i}"), "LOC", Outcome::Failure);
//!         f.evse_id = Some("CP-1".into());
//!         f.problem = Some(Problem::BrokenHardware);
//!         f.distance_m = Some(30); // unverified: it counts when given near the charger
//!         f
//!     })
//!     .collect();
//! let report = score(&fb, &[], &ScoreOptions::default());
//! assert_eq!(report.scores[0].display_score, None); // not enough data
//! assert_eq!(report.actions[0].problem, Problem::BrokenHardware);
//! assert_eq!(report.actions[0].reports, 2);
//! ```

mod abuse;
mod math;
mod record;
mod reliability;
mod score;

pub use abuse::{
    check_feedback, screen, AbusePolicy, FeedbackLog, Refusal, RefusedFeedback, Screening,
    Verification,
};
pub use record::{Feedback, Moderation, Outcome, Problem, SessionLink, Stars, Vehicle};
pub use reliability::{
    reliability, ExcludedOutage, ExclusionCause, Heartbeat, PortStatus, PortUptime,
    ReliabilityInput, ReliabilityOptions, ReliabilityReport, StatusEvent, Ticket, UptimeSource,
};
pub use score::{
    actions, rank, score, score_one, ActionItem, Blend, FeedbackIntake, LowerBound, NeutralRatings,
    ProblemShare, Ranked, Ranking, Score, ScoreLevel, ScoreOptions, ScoreReport,
    UnverifiedFeedback,
};

use crate::analytics::SessionRecord;

/// Whether a feedback `evse_id` names this session's station (`station_id`) or port
/// (`station_id*port_id`).
pub(crate) fn evse_matches(evse_id: &str, s: &SessionRecord) -> bool {
    match evse_id.split_once('*') {
        Some((st, port)) => st == s.station_id && port == s.port_id,
        None => evse_id == s.station_id,
    }
}
