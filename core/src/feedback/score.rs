//! Station and location scores (`docs/analytics-and-feedback.md` §6; the other section
//! numbers here refer to that page too): a recency-weighted Bayesian success rate from driver
//! feedback blended with session telemetry, a 0–10 display score shown only with enough
//! data, a lower bound for ranking, the problem mix and the time since the last success;
//! the "exceptional" and "failing" rankings and the problems that need action.

use super::abuse::{screen, AbusePolicy, RefusedFeedback};
use super::evse_matches;
use super::math::{beta_quantile, half_pow, wilson_lower, DP};
use super::record::{Feedback, Moderation, Outcome, Problem};
use crate::analytics::{SessionRecord, SuccessEnergy};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Which signals feed the score (§6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Blend {
    /// Driver feedback only.
    FeedbackOnly,
    /// Session telemetry only.
    TelemetryOnly,
    /// Both.
    #[default]
    Both,
}

/// Neutral ratings (§7 #9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum NeutralRatings {
    /// Left out of the success score (still counted as activity).
    #[default]
    Exclude,
    /// Counted as half a success.
    CountAsHalf,
}

/// Unverified feedback (§7 #11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UnverifiedFeedback {
    /// Counted with this weight (default 0.5).
    Weighted {
        /// The weight.
        #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
        weight: Decimal,
    },
    /// Left out.
    VerifiedOnly,
}

impl Default for UnverifiedFeedback {
    fn default() -> Self {
        Self::Weighted {
            weight: Decimal::new(5, 1),
        }
    }
}

/// The ranking bound (§6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LowerBound {
    /// Wilson lower bound at 90 % (one-sided, z = 1.2816) around the posterior mean, over the
    /// effective sample size plus the prior strength.
    #[default]
    Wilson90,
    /// The 10th percentile of the posterior Beta(α + Σws, β + Σw(1 − s)).
    BetaQuantile10,
}

/// How feedback enters a score (§5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FeedbackIntake {
    /// Screened with the options' `abuse` rules first; the refused items are listed in the
    /// report and do not count.
    #[default]
    Screen,
    /// Already screened (e.g. by [`FeedbackLog`](super::FeedbackLog) on submission, or by a
    /// moderated source): every item counts as given.
    AlreadyScreened,
}

/// What a score groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ScoreLevel {
    /// Location: feedback `location_id`; telemetry `site_id`, else `station_id`.
    #[default]
    Location,
    /// Station: the station part of feedback `evse_id`; telemetry `station_id`.
    Station,
}

/// Scoring choices, with the defaults of `docs/analytics-and-feedback.md` §6 and §7 #9–#11.
/// Kotlin and Swift build them from `defaultScoreOptions()` (UniFFI cannot default the
/// enum- and decimal-typed fields).
///
/// ```
/// use chargekit::feedback::ScoreOptions;
/// let o = ScoreOptions::from_json(r#"{"half_life_days": "30", "neutral": "count_as_half"}"#).unwrap();
/// assert_eq!(o.half_life_days.to_string(), "30");
/// assert_eq!(o.prior_strength.to_string(), "8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ScoreOptions {
    /// Ages are measured to this instant (default: the latest item).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub as_of: Option<DateTime<Utc>>,
    /// Recency half-life, days (90).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub half_life_days: Decimal,
    /// Prior mean m: the network or regional success rate (0.85).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub prior_mean: Decimal,
    /// Prior strength k (8).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub prior_strength: Decimal,
    /// Weight of verified feedback (1).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub verified_weight: Decimal,
    /// Unverified feedback (weight 0.5).
    pub unverified: UnverifiedFeedback,
    /// Weight of one telemetry session (1).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub telemetry_weight: Decimal,
    /// Telemetry sessions per port and UTC day counted at full weight; more share it (3).
    /// A telemetry session's age is that of the end of its UTC day.
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub telemetry_daily_cap_per_port: u32,
    /// Which signals count.
    pub blend: Blend,
    /// Neutral ratings.
    pub neutral: NeutralRatings,
    /// The display score needs this effective sample size Σw (3).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub min_effective_n: Decimal,
    /// The ranking bound.
    pub lower_bound: LowerBound,
    /// Telemetry success energy (§4).
    pub success: SuccessEnergy,
    /// Grouping.
    pub level: ScoreLevel,
    /// "Exceptional": enough data and a lower bound at least this (0.85).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub exceptional_min_lower_bound: Decimal,
    /// "Failing": enough data and a success probability below this (0.6).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub failing_below: Decimal,
    /// Reports of one problem on one EVSE since its last success that need action (2).
    #[cfg_attr(feature = "uniffi", uniffi(default = 2))]
    pub action_min_reports: u32,
    /// Whether feedback is screened before it counts (default: screened).
    pub intake: FeedbackIntake,
    /// The anti-abuse rules of the screening.
    pub abuse: AbusePolicy,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        Self {
            as_of: None,
            half_life_days: Decimal::from(90),
            prior_mean: Decimal::new(85, 2),
            prior_strength: Decimal::from(8),
            verified_weight: Decimal::ONE,
            unverified: UnverifiedFeedback::default(),
            telemetry_weight: Decimal::ONE,
            telemetry_daily_cap_per_port: 3,
            blend: Blend::Both,
            neutral: NeutralRatings::Exclude,
            min_effective_n: Decimal::from(3),
            lower_bound: LowerBound::Wilson90,
            success: SuccessEnergy::default(),
            level: ScoreLevel::Location,
            exceptional_min_lower_bound: Decimal::new(85, 2),
            failing_below: Decimal::new(6, 1),
            action_min_reports: 2,
            intake: FeedbackIntake::Screen,
            abuse: AbusePolicy::default(),
        }
    }
}

impl ScoreOptions {
    /// Reads options from JSON; an error names the offending field.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        crate::analytics::read_json(text).map_err(|(field, message)| Error::InvalidFeedback {
            field,
            reason: message,
        })
    }
}

/// The share of one problem among the feedback reporting a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProblemShare {
    /// The problem.
    pub problem: Problem,
    /// Reports.
    pub count: u64,
    /// count ÷ all problem reports.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub share: Decimal,
}

/// The score of one location or station, with its components (§6.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Score {
    /// Location or station id.
    pub id: String,
    /// 0.0–10.0 with one decimal; `None` ("not enough data") while Σw is below the minimum.
    pub display_score: Option<Decimal>,
    /// Posterior success probability p̂ = (Σws + α) / (Σw + α + β).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub success_probability: Decimal,
    /// The ranking bound, below p̂: thin data never ranks first.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub lower_bound: Decimal,
    /// Effective sample size Σw.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub effective_n: Decimal,
    /// Σw·s.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub weighted_successes: Decimal,
    /// Recency-weighted success rate without the prior, Σws / Σw.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub recent_success_rate: Option<Decimal>,
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
    pub last_success: Option<DateTime<Utc>>,
    /// Seconds from the last success to `as_of`.
    pub since_last_success_s: Option<i64>,
    /// Whether there is enough data for the display score (`display_score` is given).
    pub has_enough_data: bool,
}

/// A problem that needs action: repeated reports of one problem on one EVSE (or location)
/// since its last success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    pub first_reported: DateTime<Utc>,
    /// The latest.
    pub last_reported: DateTime<Utc>,
    /// The last success before them, if any.
    pub last_success: Option<DateTime<Utc>>,
}

/// One entry of the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Ranked {
    /// Location or station.
    pub id: String,
    /// The ranking bound.
    pub lower_bound: Decimal,
    /// The display score, when shown.
    pub display_score: Option<Decimal>,
}

/// Rankings over all scored ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Ranking {
    /// All, by lower bound (best first).
    pub ranked: Vec<Ranked>,
    /// Enough data and a lower bound at or above the threshold, best first.
    pub exceptional: Vec<String>,
    /// Enough data and p̂ below the threshold, worst first.
    pub failing: Vec<String>,
}

/// Scores per location (or station), rankings and action items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScoreReport {
    /// The instant ages were measured to.
    pub as_of: Option<DateTime<Utc>>,
    /// One score per id, sorted by id.
    pub scores: Vec<Score>,
    /// Rankings.
    pub ranking: Ranking,
    /// Problems that need action, most reports first.
    pub actions: Vec<ActionItem>,
    /// Feedback that screening refused (none when the intake is `AlreadyScreened`).
    pub refused: Vec<RefusedFeedback>,
}

/// Scores every location (or station, per `options.level`) that has feedback or telemetry,
/// ranks them and lists the problems that need action. Feedback is screened first with the
/// options' anti-abuse rules (§5.3) unless the intake says it already was; what screening
/// refused is listed in [`ScoreReport::refused`] and does not count.
///
/// The binding form is `chargekit.feedback.score(feedback, telemetry, options)`.
///
/// ```
/// use chargekit::feedback::{score, Feedback, Outcome, ScoreOptions};
/// use chrono::{Duration, TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
/// let fb: Vec<Feedback> = (0..8)
///     .map(|i| {
///         let mut f = Feedback::new(format!("F{i}"), t + Duration::days(i), format!("A{i}"), "LOC", Outcome::Success);
///         f.distance_m = Some(15); // unverified feedback counts from near the charger
///         f
///     })
///     .collect();
/// let r = score(&fb, &[], &ScoreOptions::default());
/// let s = &r.scores[0];
/// assert!(s.display_score.is_some());
/// assert!(s.lower_bound < s.success_probability);
/// // Without a distance, unverified feedback cannot show the author was there.
/// let far: Vec<Feedback> = fb.iter().cloned().map(|mut f| { f.distance_m = None; f }).collect();
/// let r = score(&far, &[], &ScoreOptions::default());
/// assert_eq!((r.scores.len(), r.refused.len()), (0, 8));
/// assert_eq!(r.refused[0].refusal.rule(), "no_presence_evidence");
/// ```
pub fn score(
    feedback: &[Feedback],
    telemetry: &[SessionRecord],
    options: &ScoreOptions,
) -> ScoreReport {
    let (feedback, refused) = intake(feedback, telemetry, options);
    let feedback = &feedback[..];
    let as_of = options.as_of.or_else(|| latest(feedback, telemetry));
    let mut groups: BTreeMap<String, (Vec<&Feedback>, Vec<&SessionRecord>)> = BTreeMap::new();
    for f in feedback {
        let key = match options.level {
            ScoreLevel::Location => Some(f.location_id.clone()),
            ScoreLevel::Station => f
                .evse_id
                .as_deref()
                .map(|e| e.split('*').next().unwrap_or(e).to_string()),
        };
        if let Some(k) = key {
            groups.entry(k).or_default().0.push(f);
        }
    }
    for s in telemetry {
        let key = match options.level {
            ScoreLevel::Location => s.site_id.clone().unwrap_or_else(|| s.station_id.clone()),
            ScoreLevel::Station => s.station_id.clone(),
        };
        groups.entry(key).or_default().1.push(s);
    }
    let opts = ScoreOptions {
        as_of,
        ..options.clone()
    };
    let scores: Vec<Score> = groups
        .into_iter()
        .map(|(id, (f, t))| score_items(&id, &f, &t, &opts))
        .collect();
    let ranking = rank(&scores, options);
    ScoreReport {
        as_of,
        ranking,
        actions: actions(feedback, telemetry, options),
        scores,
        refused,
    }
}

/// The feedback that counts under the options' intake, and what screening refused.
fn intake<'a>(
    feedback: &'a [Feedback],
    telemetry: &[SessionRecord],
    options: &ScoreOptions,
) -> (Cow<'a, [Feedback]>, Vec<RefusedFeedback>) {
    match options.intake {
        FeedbackIntake::AlreadyScreened => (Cow::Borrowed(feedback), Vec::new()),
        FeedbackIntake::Screen => {
            let s = screen(feedback, telemetry, &options.abuse);
            (Cow::Owned(s.accepted), s.refused)
        }
    }
}

/// The score of one location or station from its feedback and telemetry (all given items
/// count, whatever their ids, once screened per the options' intake; [`screen`] lists what
/// it refuses).
pub fn score_one(
    id: &str,
    feedback: &[Feedback],
    telemetry: &[SessionRecord],
    options: &ScoreOptions,
) -> Score {
    let (feedback, _) = intake(feedback, telemetry, options);
    let feedback = &feedback[..];
    let opts = ScoreOptions {
        as_of: options.as_of.or_else(|| latest(feedback, telemetry)),
        ..options.clone()
    };
    let f: Vec<&Feedback> = feedback.iter().collect();
    let t: Vec<&SessionRecord> = telemetry.iter().collect();
    score_items(id, &f, &t, &opts)
}

fn latest(feedback: &[Feedback], telemetry: &[SessionRecord]) -> Option<DateTime<Utc>> {
    feedback
        .iter()
        .map(|f| f.created_at)
        .chain(telemetry.iter().map(|s| s.plug_out.max(s.plug_in)))
        .max()
}

fn recency(at: DateTime<Utc>, o: &ScoreOptions) -> Decimal {
    let Some(now) = o.as_of else {
        return Decimal::ONE;
    };
    let age_s = (now - at).num_seconds().max(0);
    if o.half_life_days <= Decimal::ZERO {
        return Decimal::ONE;
    }
    (Decimal::from(age_s) / Decimal::from(86_400))
        .checked_div(o.half_life_days)
        .map_or(Decimal::ZERO, half_pow)
}

/// A configured weight, kept within [0, 1000] so that sums cannot overflow.
fn weight(w: Decimal) -> Decimal {
    w.clamp(Decimal::ZERO, Decimal::ONE_THOUSAND)
}

fn score_items(
    id: &str,
    feedback: &[&Feedback],
    telemetry: &[&SessionRecord],
    o: &ScoreOptions,
) -> Score {
    let (mut w_sum, mut ws_sum) = (Decimal::ZERO, Decimal::ZERO);
    let (mut n_fb, mut n_ver, mut n_neutral, mut n_sessions) = (0u64, 0u64, 0u64, 0u64);
    let mut last_success: Option<DateTime<Utc>> = None;
    let mut problems: BTreeMap<Problem, u64> = BTreeMap::new();
    let half = Decimal::new(5, 1);

    for f in feedback
        .iter()
        .filter(|f| f.moderation != Moderation::Hidden)
    {
        n_fb += 1;
        if let Some(p) = f.problem {
            *problems.entry(p).or_default() += 1;
        }
        let verified = f.is_verified();
        n_ver += u64::from(verified);
        let outcome = f.signal_outcome();
        if outcome == Outcome::Neutral {
            n_neutral += 1;
        }
        if matches!(outcome, Outcome::Success | Outcome::PartialSuccess) {
            last_success = last_success.max(Some(f.created_at));
        }
        if o.blend == Blend::TelemetryOnly {
            continue;
        }
        let s = match (outcome, o.neutral) {
            (Outcome::Success | Outcome::PartialSuccess, _) => Decimal::ONE,
            (Outcome::Failure, _) => Decimal::ZERO,
            (Outcome::Neutral, NeutralRatings::CountAsHalf) => half,
            (Outcome::Neutral, NeutralRatings::Exclude) => continue,
        };
        let source = match (verified, o.unverified) {
            (true, _) => weight(o.verified_weight),
            (false, UnverifiedFeedback::Weighted { weight: w }) => weight(w),
            (false, UnverifiedFeedback::VerifiedOnly) => continue,
        };
        let w = recency(f.created_at, o) * source;
        w_sum += w;
        ws_sum += w * s;
    }

    // Telemetry per port and UTC day: weight min(m, cap) at the recency of the day's end,
    // shared by its m sessions; the successes carry their share of it.
    let mut days: BTreeMap<(&str, &str, chrono::NaiveDate), (u64, u64)> = BTreeMap::new();
    for s in telemetry {
        n_sessions += 1;
        let success = s.is_success(o.success);
        if success {
            last_success = last_success.max(Some(s.plug_out.max(s.plug_in)));
        }
        let e = days
            .entry((
                s.station_id.as_str(),
                s.port_id.as_str(),
                s.plug_in.date_naive(),
            ))
            .or_default();
        e.0 += 1;
        e.1 += u64::from(success);
    }
    if o.blend != Blend::FeedbackOnly {
        let cap = u64::from(o.telemetry_daily_cap_per_port.max(1));
        for ((_, _, day), (m, ok)) in days {
            let day_end = day
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc());
            let r = day_end.map_or(Decimal::ONE, |t| recency(t, o));
            let w = r * weight(o.telemetry_weight) * Decimal::from(m.min(cap));
            w_sum += w;
            ws_sum += w * Decimal::from(ok) / Decimal::from(m);
        }
    }

    let m = o.prior_mean.clamp(Decimal::ZERO, Decimal::ONE);
    let k = o
        .prior_strength
        .clamp(Decimal::ZERO, Decimal::from(1_000_000));
    let (alpha, beta) = (m * k, (Decimal::ONE - m) * k);
    let denom = w_sum + alpha + beta;
    let p = if denom > Decimal::ZERO {
        ((ws_sum + alpha) / denom).round_dp(DP)
    } else {
        m
    };
    let lower_bound = match o.lower_bound {
        LowerBound::Wilson90 => wilson_lower(
            p,
            w_sum + k,
            Decimal::from_str_exact("1.2815515655446004").unwrap_or(Decimal::ONE),
        ),
        LowerBound::BetaQuantile10 => {
            beta_quantile(alpha + ws_sum, beta + w_sum - ws_sum, Decimal::new(1, 1)).min(p)
        }
    };
    let display_score = (w_sum >= o.min_effective_n).then(|| (Decimal::TEN * p).round_dp(1));
    let total_problems: u64 = problems.values().sum();
    let mut problem_mix: Vec<ProblemShare> = problems
        .into_iter()
        .map(|(problem, count)| ProblemShare {
            problem,
            count,
            share: (Decimal::from(count) / Decimal::from(total_problems.max(1))).round_dp(4),
        })
        .collect();
    problem_mix.sort_by(|a, b| b.count.cmp(&a.count).then(a.problem.cmp(&b.problem)));
    Score {
        id: id.to_string(),
        has_enough_data: display_score.is_some(),
        display_score,
        success_probability: p,
        lower_bound,
        effective_n: w_sum.round_dp(DP).normalize(),
        weighted_successes: ws_sum.round_dp(DP).normalize(),
        recent_success_rate: (w_sum > Decimal::ZERO).then(|| (ws_sum / w_sum).round_dp(4)),
        feedback: n_fb,
        verified: n_ver,
        neutral: n_neutral,
        sessions: n_sessions,
        problem_mix,
        since_last_success_s: match (last_success, o.as_of) {
            (Some(l), Some(now)) => Some((now - l).num_seconds().max(0)),
            _ => None,
        },
        last_success,
    }
}

/// Ranks scores by their lower bound and picks the exceptional and failing ones.
pub fn rank(scores: &[Score], options: &ScoreOptions) -> Ranking {
    let mut ranked: Vec<Ranked> = scores
        .iter()
        .map(|s| Ranked {
            id: s.id.clone(),
            lower_bound: s.lower_bound,
            display_score: s.display_score,
        })
        .collect();
    ranked.sort_by(|a, b| b.lower_bound.cmp(&a.lower_bound).then(a.id.cmp(&b.id)));
    let exceptional = ranked
        .iter()
        .filter(|r| {
            r.display_score.is_some() && r.lower_bound >= options.exceptional_min_lower_bound
        })
        .map(|r| r.id.clone())
        .collect();
    let mut failing: Vec<&Score> = scores
        .iter()
        .filter(|s| s.has_enough_data && s.success_probability < options.failing_below)
        .collect();
    failing.sort_by(|a, b| {
        a.success_probability
            .cmp(&b.success_probability)
            .then(a.id.cmp(&b.id))
    });
    Ranking {
        ranked,
        exceptional,
        failing: failing.into_iter().map(|s| s.id.clone()).collect(),
    }
}

/// Problems that need action: per location and EVSE, each actionable problem reported at
/// least `action_min_reports` times since the last success there (feedback or telemetry).
pub fn actions(
    feedback: &[Feedback],
    telemetry: &[SessionRecord],
    options: &ScoreOptions,
) -> Vec<ActionItem> {
    let visible = || {
        feedback
            .iter()
            .filter(|f| f.moderation != Moderation::Hidden)
    };
    let mut places: Vec<(&str, Option<&str>)> = visible()
        .filter(|f| f.problem.is_some_and(Problem::needs_action))
        .map(|f| (f.location_id.as_str(), f.evse_id.as_deref()))
        .collect();
    places.sort_unstable();
    places.dedup();
    let mut out = Vec::new();
    for (loc, evse) in places {
        let at_place = |f: &&Feedback| {
            f.location_id == loc && (evse.is_none() || f.evse_id.as_deref() == evse)
        };
        let fb_success = visible()
            .filter(at_place)
            .filter(|f| {
                matches!(
                    f.signal_outcome(),
                    Outcome::Success | Outcome::PartialSuccess
                )
            })
            .map(|f| f.created_at)
            .max();
        let tel_success = telemetry
            .iter()
            .filter(|s| {
                let here = s.site_id.as_deref() == Some(loc) || s.station_id == loc;
                match evse {
                    Some(e) => evse_matches(e, s),
                    None => here,
                }
            })
            .filter(|s| s.is_success(options.success))
            .map(|s| s.plug_out.max(s.plug_in))
            .max();
        let last_success = fb_success.max(tel_success);
        let mut by_problem: BTreeMap<Problem, Vec<DateTime<Utc>>> = BTreeMap::new();
        for f in visible().filter(at_place) {
            if let Some(p) = f.problem.filter(|p| p.needs_action()) {
                if last_success.is_none_or(|l| f.created_at > l)
                    && (evse.is_some() || f.evse_id.is_none())
                {
                    by_problem.entry(p).or_default().push(f.created_at);
                }
            }
        }
        for (problem, times) in by_problem {
            if (times.len() as u64) < u64::from(options.action_min_reports.max(1)) {
                continue;
            }
            let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) else {
                continue;
            };
            out.push(ActionItem {
                location_id: loc.to_string(),
                evse_id: evse.map(str::to_string),
                problem,
                reports: times.len() as u64,
                first_reported: *first,
                last_reported: *last,
                last_success,
            });
        }
    }
    out.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then(a.location_id.cmp(&b.location_id))
            .then(a.evse_id.cmp(&b.evse_id))
            .then(a.problem.cmp(&b.problem))
    });
    out
}
