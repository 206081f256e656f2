//! Behaviour analytics: per-session derived fields and validation (§1, §2.1), and per
//! site/station/port metrics over a period in the site's local time zone — utilisation,
//! capacity factor, occupancy heatmap by hour of week, arrival rates, peak hours,
//! congestion, repeat overstayers, demand indicators and an off-peak shift estimate.
//!
//! Owns: session records and metrics, site summaries and their accumulators, CSV imports,
//! behaviour patterns and departure forecasts. Imports: `session` and the foundation.
//!
//! The rules are written up in `docs/analytics-and-feedback.md`; section numbers (§) in
//! this module's documentation refer to that page.
//!
//! Statistics are [mergeable accumulators](SiteAccumulator): shards of sessions can be
//! summarised in parallel and merged in any order. [`summarize`] is the one-call form.
//! Sessions come as [`SessionRecord`]s, built from assembled OCPP [`Session`](crate::session::Session)s
//! (`SessionRecord::from(&session)`), from operator CSV exports ([`import`], feature `csv-import`) or from the
//! [synthetic generator](generate).
//!
//! ```
//! use chargekit::analytics::{generate, summarize, GeneratorConfig};
//! let cfg = GeneratorConfig { days: 14, ..GeneratorConfig::default() };
//! let sessions = generate(&cfg).unwrap();
//! let summary = summarize(&sessions, &cfg.summary_options().unwrap()).unwrap();
//! assert!(summary.utilisation.occupied > rust_decimal::Decimal::ZERO);
//! assert_eq!(summary.heatmaps.occupancy.rows().len(), 7);
//! ```

mod accum;
pub mod export;
#[cfg(feature = "uniffi")]
pub mod ffi;
mod generator;
#[cfg(feature = "csv-import")]
pub mod import;
mod options;
mod patterns;
mod record;
mod summary;
mod time;
mod validate;

pub use accum::{summarize_fleet, FleetPartial, SiteAccumulator};
pub use generator::{generate, GeneratorConfig, SiteProfile};
pub use options::{
    Availability, Bucketing, Closure, IdleDefinition, OpeningHours, OutlierPolicy, PortConfig,
    PowerKind, SessionBoundary, SessionFilter, SuccessEnergy, SummaryOptions, TouWindow,
    UtilisationDenominator,
};
pub use patterns::{
    behaviour_patterns, BehaviourPatterns, ChargerSegment, DepartureForecast, DepartureForecaster,
    DwellClass, DwellClassCount, DwellStats, ForecastBasis, PatternOptions, SegmentStats,
    UserPattern,
};
pub use record::{EndedBy, Fees, SessionMetrics, SessionRecord};
pub use summary::*;
pub use time::{HourOfWeek, Period, HOURS_PER_WEEK};
pub use validate::{Flag, FlagSet, KwRange, Severity, ValidationRules};

use crate::Error;
use serde::Serialize;
use std::collections::HashMap;

/// Summarises the sessions of one site over a period (the options' period, else the local
/// days spanned by the plug-in times).
///
/// The binding form is `chargekit.analytics.summarize(sessions, tz=...)`.
pub fn summarize(
    sessions: &[SessionRecord],
    options: &SummaryOptions,
) -> Result<SiteSummary, Error> {
    let opts = accum::with_period(sessions, options)?;
    let mut acc = SiteAccumulator::new(&opts)?;
    acc.reserve(sessions.len());
    for s in sessions {
        acc.add(s);
    }
    acc.finish()
}

/// [`summarize`] over `shards` threads: one accumulator per chunk, merged at the end.
/// Gives exactly the result of [`summarize`].
pub fn summarize_parallel(
    sessions: &[SessionRecord],
    options: &SummaryOptions,
    shards: usize,
) -> Result<SiteSummary, Error> {
    let opts = accum::with_period(sessions, options)?;
    let base = SiteAccumulator::new(&opts)?;
    let chunk = sessions.len().div_ceil(shards.max(1)).max(1);
    let parts: Vec<SiteAccumulator> = std::thread::scope(|scope| {
        let handles: Vec<_> = sessions
            .chunks(chunk)
            .map(|part| {
                let mut acc = base.empty_like();
                acc.reserve(part.len());
                scope.spawn(move || {
                    part.iter().for_each(|s| acc.add(s));
                    acc
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut total = base;
    for p in parts {
        total.merge(p)?;
    }
    acc_check(&total, sessions.len())?;
    total.finish()
}

/// Reads JSON into `T`; on failure, the path of the offending field and the message.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (String, String)> {
    crate::json::read_json(text).map_err(|(field, e)| (field, e.to_string()))
}

fn acc_check(acc: &SiteAccumulator, expected: usize) -> Result<(), Error> {
    // A shard thread that panicked would silently lose sessions; refuse instead.
    if acc.sessions_seen() as usize == expected {
        Ok(())
    } else {
        Err(Error::ShardFailed)
    }
}

/// One session's derived fields and validation flags. Its serde form is flat: the session
/// id, the fields of [`SessionMetrics`], then the flags (by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionAnalysis {
    /// The session id.
    pub session_id: String,
    /// Derived fields (§1).
    #[serde(flatten)]
    pub metrics: SessionMetrics,
    /// Validation flags (§2.1), including `duplicate_id` (Kotlin/Swift: a list of flags).
    pub flags: FlagSet,
}

/// Derived fields and validation flags per session, in input order (§1, §2.1). The period
/// check applies only when the options name a period.
///
/// ```
/// use chargekit::analytics::{analyse_sessions, Flag, SessionRecord, SummaryOptions};
/// use chargekit::units::Energy;
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let t = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
/// let r = SessionRecord::new("s", "CP", "1", t, t + chrono::Duration::seconds(30), Energy::ZERO);
/// let a = analyse_sessions(&[r.clone(), r], &SummaryOptions::default());
/// assert!(a[0].flags.contains(Flag::ShortDuration));
/// assert!(a[1].flags.contains(Flag::DuplicateId));
/// ```
pub fn analyse_sessions(
    sessions: &[SessionRecord],
    options: &SummaryOptions,
) -> Vec<SessionAnalysis> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    for s in sessions {
        *ids.entry(s.session_id.as_str()).or_default() += 1;
    }
    let declared: HashMap<(&str, &str), &PortConfig> = options
        .ports
        .iter()
        .map(|p| ((p.station_id.as_str(), p.port_id.as_str()), p))
        .collect();
    sessions
        .iter()
        .map(|s| {
            let m = s.metrics(
                options.boundary,
                options.idle,
                options.success,
                options.overstay_grace_s,
            );
            let port = declared.get(&(s.station_id.as_str(), s.port_id.as_str()));
            let mut flags = options.rules.check(
                s,
                &m,
                &validate::Context {
                    period: options.period,
                    rated: port.and_then(|p| p.rated_power),
                    kind: port.and_then(|p| p.kind),
                    registered: declared.is_empty() || port.is_some(),
                },
            );
            if ids.get(s.session_id.as_str()).copied().unwrap_or(0) > 1 {
                flags.insert(Flag::DuplicateId);
            }
            SessionAnalysis {
                session_id: s.session_id.clone(),
                metrics: m,
                flags,
            }
        })
        .collect()
}
