//! Anti-abuse rules of `docs/analytics-and-feedback.md` §5.3 as explicit checks: each
//! refusal says why.

use super::record::{Feedback, SessionLink};
use crate::analytics::SessionRecord;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The anti-abuse rules, with the defaults of `docs/analytics-and-feedback.md` §5.3.
///
/// ```
/// use chargekit::feedback::AbusePolicy;
/// let p = AbusePolicy::default();
/// assert_eq!((p.max_distance_m, p.cooldown_s), (100, 3600));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct AbusePolicy {
    /// Unverified feedback must come from within this distance of the charger, m (100).
    pub max_distance_m: u32,
    /// One feedback per author and location per this many seconds (3600).
    pub cooldown_s: i64,
    /// An author is new for this long after their first feedback, s (7 days).
    pub new_author_period_s: i64,
    /// A new author may submit at most this many feedbacks per 24 h (3).
    pub new_author_daily_limit: u32,
    /// Verified feedback must come within this long after the session ended, s (7 days).
    pub verify_window_s: i64,
    /// A verified session must belong to the author when it names a user (true).
    pub require_session_owner: bool,
}

impl AbusePolicy {
    /// Reads a policy from JSON; an error names the offending field.
    pub fn from_json(text: &str) -> Result<Self, crate::Error> {
        crate::analytics::read_json(text).map_err(|(field, message)| {
            crate::Error::InvalidFeedback {
                field,
                reason: message,
            }
        })
    }
}

impl Default for AbusePolicy {
    fn default() -> Self {
        Self {
            max_distance_m: 100,
            cooldown_s: 3600,
            new_author_period_s: 7 * 86_400,
            new_author_daily_limit: 3,
            verify_window_s: 7 * 86_400,
            require_session_owner: true,
        }
    }
}

/// Why feedback was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "uniffi", uniffi(name = "FeedbackRefusal"))]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Refusal {
    /// Unverified feedback from too far away.
    #[error(
        "submitted {distance_m} m from the charger; unverified feedback must be within {max_m} m"
    )]
    TooFar {
        /// The author's distance.
        distance_m: u32,
        /// The limit.
        max_m: u32,
    },
    /// Unverified feedback without a distance.
    #[error("no session link and no distance: the author's presence cannot be checked")]
    NoPresenceEvidence,
    /// Another feedback by the same author for the same location within the cooldown.
    #[error(
        "author already gave feedback {previous_id} for this location; retry after {retry_after}"
    )]
    Cooldown {
        /// The earlier feedback.
        previous_id: String,
        /// When feedback is accepted again.
        retry_after: DateTime<Utc>,
    },
    /// A new author above the daily limit.
    #[error("new author: {count} feedbacks in 24 h reach the limit of {limit}")]
    NewAuthorRateLimited {
        /// Feedbacks in the last 24 h.
        count: u32,
        /// The limit.
        limit: u32,
    },
    /// The linked session was not supplied or has another id.
    #[error("linked session {session_id} is unknown")]
    SessionUnknown {
        /// The claimed session.
        session_id: String,
    },
    /// The linked session does not belong to the author.
    #[error("session {session_id} belongs to another user")]
    SessionNotOwned {
        /// The claimed session.
        session_id: String,
    },
    /// The feedback is outside the session's window.
    #[error("feedback at {created_at} is outside the window of session {session_id}")]
    SessionOutOfWindow {
        /// The claimed session.
        session_id: String,
        /// The feedback time.
        created_at: DateTime<Utc>,
    },
    /// Feedback on the linked session's location must name that location or station.
    #[error("session {session_id} was at another location")]
    SessionElsewhere {
        /// The claimed session.
        session_id: String,
    },
}

/// What the checks established about accepted feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Linked to a checked session.
    Verified {
        /// The session.
        session_id: String,
    },
    /// Accepted on the author's presence (distance).
    Unverified,
}

/// Checks feedback against the rules of §5.3.
///
/// * `history`: feedback already accepted (any authors; only the author's own count);
/// * `session`: the session the feedback links to, if it claims one;
/// * `author_first_seen`: when the author was first seen (`None`: now, a new author).
///
/// Verified (session-linked) feedback never needs the distance check.
///
/// ```
/// use chargekit::feedback::{check_feedback, AbusePolicy, Feedback, Outcome, Refusal};
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let mut f = Feedback::new("F1", t, "A", "LOC", Outcome::Success);
/// f.distance_m = Some(150);
/// let r = check_feedback(&f, &[], None, None, &AbusePolicy::default());
/// assert!(matches!(r, Err(Refusal::TooFar { distance_m: 150, max_m: 100 })));
/// ```
pub fn check_feedback(
    feedback: &Feedback,
    history: &[Feedback],
    session: Option<&SessionRecord>,
    author_first_seen: Option<DateTime<Utc>>,
    policy: &AbusePolicy,
) -> Result<Verification, Refusal> {
    let verification = match feedback.session.session_id() {
        Some(id) => verify_session(feedback, id, session, policy)?,
        None => {
            let d = feedback.distance_m.ok_or(Refusal::NoPresenceEvidence)?;
            if d > policy.max_distance_m {
                return Err(Refusal::TooFar {
                    distance_m: d,
                    max_m: policy.max_distance_m,
                });
            }
            Verification::Unverified
        }
    };

    let own = history
        .iter()
        .filter(|h| h.author_id == feedback.author_id && h.id != feedback.id);
    let cooldown = seconds(policy.cooldown_s);
    if let Some(prev) = own
        .clone()
        .filter(|h| h.location_id == feedback.location_id)
        .filter(|h| (feedback.created_at - h.created_at).abs() < cooldown)
        .max_by_key(|h| h.created_at)
    {
        return Err(Refusal::Cooldown {
            previous_id: prev.id.clone(),
            retry_after: prev
                .created_at
                .checked_add_signed(cooldown)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        });
    }

    let first = own
        .clone()
        .map(|h| h.created_at)
        .chain(author_first_seen)
        .min()
        .unwrap_or(feedback.created_at);
    if feedback.created_at - first < seconds(policy.new_author_period_s) {
        let day = Duration::hours(24);
        let count = own
            .filter(|h| {
                h.created_at <= feedback.created_at && feedback.created_at - h.created_at < day
            })
            .count() as u32;
        if count >= policy.new_author_daily_limit {
            return Err(Refusal::NewAuthorRateLimited {
                count,
                limit: policy.new_author_daily_limit,
            });
        }
    }
    Ok(verification)
}

/// A non-negative duration from configured seconds (huge values saturate).
fn seconds(s: i64) -> Duration {
    Duration::try_seconds(s.max(0)).unwrap_or(Duration::MAX)
}

fn verify_session(
    f: &Feedback,
    id: &str,
    session: Option<&SessionRecord>,
    policy: &AbusePolicy,
) -> Result<Verification, Refusal> {
    let id_s = || id.to_string();
    let s = session
        .filter(|s| s.session_id == id)
        .ok_or_else(|| Refusal::SessionUnknown { session_id: id_s() })?;
    if policy.require_session_owner && s.user_id.as_ref().is_some_and(|u| *u != f.author_id) {
        return Err(Refusal::SessionNotOwned { session_id: id_s() });
    }
    let here = s.site_id.as_deref() == Some(f.location_id.as_str())
        || s.station_id == f.location_id
        || f.evse_id
            .as_deref()
            .is_some_and(|e| super::evse_matches(e, s));
    if !here {
        return Err(Refusal::SessionElsewhere { session_id: id_s() });
    }
    let window_end = s
        .plug_out
        .checked_add_signed(seconds(policy.verify_window_s))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    if f.created_at < s.plug_in || f.created_at > window_end {
        return Err(Refusal::SessionOutOfWindow {
            session_id: id_s(),
            created_at: f.created_at,
        });
    }
    Ok(Verification::Verified { session_id: id_s() })
}

/// Accepted feedback with the §5.3 checks applied on submission: a convenience over
/// [`check_feedback`] that keeps the history and upgrades verified session links.
///
/// ```
/// use chargekit::feedback::{AbusePolicy, Feedback, FeedbackLog, Outcome, Refusal};
/// use chrono::{Duration, TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let mut log = FeedbackLog::new(AbusePolicy::default());
/// let mut f = Feedback::new("F1", t, "A", "LOC", Outcome::Success);
/// f.distance_m = Some(20);
/// assert!(log.submit(f.clone(), None).is_ok());
/// f.id = "F2".into();
/// f.created_at = t + Duration::minutes(30);
/// assert!(matches!(log.submit(f, None), Err(Refusal::Cooldown { .. })));
/// assert_eq!(log.accepted().len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct FeedbackLog {
    policy: AbusePolicy,
    accepted: Vec<Feedback>,
}

impl FeedbackLog {
    /// An empty log under a policy.
    pub fn new(policy: AbusePolicy) -> Self {
        Self {
            policy,
            accepted: Vec::new(),
        }
    }

    /// Checks and, when accepted, stores the feedback (its session link verified).
    pub fn submit(
        &mut self,
        mut feedback: Feedback,
        session: Option<&SessionRecord>,
    ) -> Result<Verification, Refusal> {
        let v = check_feedback(&feedback, &self.accepted, session, None, &self.policy)?;
        feedback.session = match &v {
            Verification::Verified { session_id } => SessionLink::Verified(session_id.clone()),
            Verification::Unverified => SessionLink::None,
        };
        self.accepted.push(feedback);
        Ok(v)
    }

    /// Feedback accepted so far, in submission order.
    pub fn accepted(&self) -> &[Feedback] {
        &self.accepted
    }
}

/// Feedback that screening refused, with the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RefusedFeedback {
    /// The feedback's id.
    pub feedback_id: String,
    /// Its author.
    pub author_id: String,
    /// Its location.
    pub location_id: String,
    /// The rule and its details (`rule` is its stable name, e.g. `cooldown`).
    pub refusal: Refusal,
    /// The refusal in words.
    pub message: String,
}

/// The outcome of [`screen`]: what counts and what does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Screening {
    /// Accepted feedback in input order; a session link checked against the telemetry is
    /// `Verified`, any other link is dropped (the item counts as unverified).
    pub accepted: Vec<Feedback>,
    /// Refused feedback in input order.
    pub refused: Vec<RefusedFeedback>,
}

/// Screens a batch of feedback with the §5.3 rules, as [`FeedbackLog`] would have on
/// submission: items are taken in time order (ties by id), each checked against those
/// accepted before it. A claimed session link is checked against `telemetry` when that holds
/// the session (verified feedback is exempt from the distance rule), else the item is taken
/// as unverified; a link already marked `Verified` is trusted as checked.
///
/// ```
/// use chargekit::feedback::{screen, AbusePolicy, Feedback, Outcome};
/// use chrono::{Duration, TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let spam: Vec<Feedback> = (0..10)
///     .map(|i| {
///         let mut f = Feedback::new(format!("F{i}"), t + Duration::minutes(i), "A", "LOC", Outcome::Failure);
///         f.distance_m = Some(20);
///         f
///     })
///     .collect();
/// let s = screen(&spam, &[], &AbusePolicy::default());
/// assert_eq!(s.accepted.len(), 1); // one per author and location per hour
/// assert_eq!(s.refused[0].refusal.rule(), "cooldown");
/// ```
pub fn screen(
    feedback: &[Feedback],
    telemetry: &[SessionRecord],
    policy: &AbusePolicy,
) -> Screening {
    let mut order: Vec<usize> = (0..feedback.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&feedback[a], &feedback[b]);
        fa.created_at.cmp(&fb.created_at).then(fa.id.cmp(&fb.id))
    });
    let mut accepted: Vec<(usize, Feedback)> = Vec::with_capacity(feedback.len());
    let mut history: Vec<Feedback> = Vec::new();
    let mut refused: Vec<(usize, RefusedFeedback)> = Vec::new();
    for i in order {
        let mut f = feedback[i].clone();
        let session = match &f.session {
            SessionLink::Claimed(id) => telemetry.iter().find(|s| &s.session_id == id),
            _ => None,
        };
        let verdict = match (&f.session, session) {
            (SessionLink::Verified(id), _) => Ok(Verification::Verified {
                session_id: id.clone(),
            }),
            (SessionLink::Claimed(_), None) => {
                // Nothing to check the claim against: the item stands on its presence.
                f.session = SessionLink::None;
                check_feedback(&f, &history, None, None, policy)
            }
            _ => check_feedback(&f, &history, session, None, policy),
        };
        match verdict {
            Ok(v) => {
                f.session = match v {
                    Verification::Verified { session_id } => SessionLink::Verified(session_id),
                    Verification::Unverified => SessionLink::None,
                };
                history.push(f.clone());
                accepted.push((i, f));
            }
            Err(refusal) => refused.push((
                i,
                RefusedFeedback {
                    feedback_id: f.id.clone(),
                    author_id: f.author_id.clone(),
                    location_id: f.location_id.clone(),
                    message: refusal.to_string(),
                    refusal,
                },
            )),
        }
    }
    accepted.sort_by_key(|(i, _)| *i);
    refused.sort_by_key(|(i, _)| *i);
    Screening {
        accepted: accepted.into_iter().map(|(_, f)| f).collect(),
        refused: refused.into_iter().map(|(_, r)| r).collect(),
    }
}

impl Refusal {
    /// The rule's stable name: `too_far`, `no_presence_evidence`, `cooldown`,
    /// `new_author_rate_limited`, `session_unknown`, `session_not_owned`,
    /// `session_out_of_window` or `session_elsewhere`.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::TooFar { .. } => "too_far",
            Self::NoPresenceEvidence => "no_presence_evidence",
            Self::Cooldown { .. } => "cooldown",
            Self::NewAuthorRateLimited { .. } => "new_author_rate_limited",
            Self::SessionUnknown { .. } => "session_unknown",
            Self::SessionNotOwned { .. } => "session_not_owned",
            Self::SessionOutOfWindow { .. } => "session_out_of_window",
            Self::SessionElsewhere { .. } => "session_elsewhere",
        }
    }
}
