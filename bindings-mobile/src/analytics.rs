//! Behaviour analytics: `SessionRecord` (from an OCPP `Session`, an operator CSV export or
//! built by hand), `summarize` into a `SiteSummary` with its hour-of-week heatmaps, and the
//! per-session derived fields; `SummaryPartial`, the same summary built in parts that travel
//! as bytes; `summarizeFleet` and `FleetPartial`, many sites at once with each site exact
//! and fixed-size fleet parts. The records are the core's (`io.chargekit.core`).
//!
//! Options cross as the core's `SummaryOptions` (null: the defaults; `defaultSummaryOptions()`
//! to start from); the `tz` argument (IANA) overrides the options' zone.

use chargekit::analytics::import::{import_csv, ImportOptions, ImportReport};
use chargekit::analytics::{
    analyse_sessions, summarize as core_summarize, summarize_fleet as core_summarize_fleet,
    FleetPartial as CoreFleetPartial, FleetReport, FleetSummary, SessionAnalysis, SessionRecord,
    SiteAccumulator, SiteSummary, SummaryOptions,
};
use chargekit::boundary::analytics::{import_options, summary_options};
use chargekit::report::{anomaly_counts as core_anomaly_counts, AnomalyCount};
use std::sync::{Arc, Mutex};

use crate::assembler::lock;
use crate::session::Session;
use crate::{guarded, ChargekitError};

#[uniffi::export]
impl Session {
    /// The session as an analytics record (plug-in and plug-out are the transaction bounds;
    /// the port is the EVSE, else the connector; the user is the id token).
    pub fn to_session_record(&self) -> Result<SessionRecord, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(SessionRecord::from(self.core())))
    }
}

/// Reads an operator CSV export (ACN-Data, ChargePoint, Dundee; detected unless the options
/// name the shape) whose local times are in `tz` (IANA). Rows that cannot be read are
/// reported, the others imported.
#[uniffi::export(default(options = None))]
pub fn import_sessions_csv(
    csv: String,
    tz: String,
    options: Option<ImportOptions>,
) -> Result<ImportReport, ChargekitError> {
    guarded(|| import_csv(&csv, &import_options(options, &tz)?))
}

/// Derived fields and validation flags per session, in input order.
#[uniffi::export(default(options = None))]
pub fn analyse_session_records(
    sessions: Vec<SessionRecord>,
    tz: String,
    options: Option<SummaryOptions>,
) -> Result<Vec<SessionAnalysis>, ChargekitError> {
    guarded(|| {
        Ok::<_, ChargekitError>(analyse_sessions(
            &sessions,
            &summary_options(options, Some(&tz))?,
        ))
    })
}

/// Summarises the sessions of one site over a period (the options' period, else the local
/// days spanned by the plug-in times) in the site's zone `tz` (IANA).
#[uniffi::export(default(options = None))]
pub fn summarize(
    sessions: Vec<SessionRecord>,
    tz: String,
    options: Option<SummaryOptions>,
) -> Result<SiteSummary, ChargekitError> {
    guarded(|| core_summarize(&sessions, &summary_options(options, Some(&tz))?))
}

/// The summary of each site of the sessions (grouped by `siteId`; those without one form the
/// unnamed site, listed first) and of the fleet they make up, over one period (the options',
/// else the local days the sessions span) in the zone `tz` (IANA).
#[uniffi::export(default(options = None))]
pub fn summarize_fleet(
    sessions: Vec<SessionRecord>,
    tz: String,
    options: Option<SummaryOptions>,
) -> Result<FleetReport, ChargekitError> {
    guarded(|| core_summarize_fleet(&sessions, &summary_options(options, Some(&tz))?))
}

/// The meter-data anomalies of OCPP sessions counted per kind, most frequent first: the
/// `anomalies` of the `ReportExtras` that `SiteSummary.toHtml` takes.
#[uniffi::export]
pub fn anomaly_counts(sessions: Vec<Arc<Session>>) -> Vec<AnomalyCount> {
    core_anomaly_counts(sessions.iter().map(|s| s.core()))
}

/// The default summary options (UTC, no period, no declared ports, the defaults of
/// `docs/analytics-and-feedback.md` §7), to
/// adjust with `copy(...)`.
#[uniffi::export]
pub fn default_summary_options() -> SummaryOptions {
    SummaryOptions::default()
}

/// A site summary built in parts (docs/analytics-and-feedback.md §2): each worker adds its
/// shard of sessions, ships the partial as bytes (`toBytes`, `fromBytes`), and the partials
/// are merged; `finish` gives exactly what `summarize` gives for all the sessions. The
/// options must name the period. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct SummaryPartial(Mutex<SiteAccumulator>);

#[uniffi::export]
impl SummaryPartial {
    /// An empty partial for the site's zone `tz` (IANA) and options that name the period.
    #[uniffi::constructor(default(options = None))]
    pub fn new(tz: String, options: Option<SummaryOptions>) -> Result<Self, ChargekitError> {
        guarded(|| SiteAccumulator::new(&summary_options(options, Some(&tz))?))
            .map(|a| Self(Mutex::new(a)))
    }

    /// A partial from the bytes of `toBytes`; damaged bytes, another format version or a
    /// state no sessions can produce are `InvalidArgument`.
    #[uniffi::constructor]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ChargekitError> {
        guarded(|| SiteAccumulator::from_bytes(&bytes)).map(|a| Self(Mutex::new(a)))
    }

    /// Adds sessions.
    pub fn add(&self, sessions: Vec<SessionRecord>) -> Result<(), ChargekitError> {
        let mut acc = lock(&self.0);
        guarded(|| {
            sessions.iter().for_each(|s| acc.add(s));
            Ok::<_, ChargekitError>(())
        })
    }

    /// The partial as versioned bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        lock(&self.0).to_bytes()
    }

    /// The fingerprint of the options: partials that differ in it cannot be merged.
    pub fn fingerprint(&self) -> String {
        lock(&self.0).fingerprint()
    }

    /// A new partial: all of `parts` merged, in order (`InvalidArgument` for none).
    #[uniffi::constructor]
    pub fn merge_many(parts: Vec<Arc<SummaryPartial>>) -> Result<Self, ChargekitError> {
        let all: Vec<SiteAccumulator> = parts.iter().map(|p| lock(&p.0).clone()).collect();
        guarded(|| SiteAccumulator::merge_many(all)).map(|a| Self(Mutex::new(a)))
    }

    /// Folds `other` into this partial (`IncompatibleAccumulators` for other options).
    pub fn merge(&self, other: Arc<SummaryPartial>) -> Result<(), ChargekitError> {
        // Copied before this one is locked: merging a partial with itself must not deadlock.
        let other = lock(&other.0).clone();
        let mut acc = lock(&self.0);
        guarded(|| acc.merge(other))
    }

    /// The summary of everything added and merged so far.
    pub fn finish(&self) -> Result<SiteSummary, ChargekitError> {
        let acc = lock(&self.0);
        guarded(|| acc.finish())
    }
}

/// A fleet summary built in parts of a fixed size (a few kilobytes, however many sessions
/// and sites): each worker adds whole sites (`add` returns their exact `SiteSummary` list),
/// ships the partial as bytes, and the partials are merged; `finish` gives the `fleet` of
/// `summarizeFleet` for all the sessions. The options must name the period. Thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct FleetPartial(Mutex<CoreFleetPartial>);

#[uniffi::export]
impl FleetPartial {
    /// An empty partial for the zone `tz` (IANA) and options that name the period.
    #[uniffi::constructor(default(options = None))]
    pub fn new(tz: String, options: Option<SummaryOptions>) -> Result<Self, ChargekitError> {
        guarded(|| CoreFleetPartial::new(&summary_options(options, Some(&tz))?))
            .map(|a| Self(Mutex::new(a)))
    }

    /// A partial from the bytes of `toBytes`; other bytes are `InvalidArgument`.
    #[uniffi::constructor]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, ChargekitError> {
        guarded(|| CoreFleetPartial::from_bytes(&bytes)).map(|a| Self(Mutex::new(a)))
    }

    /// A new partial: all of `parts` merged, in order (`InvalidArgument` for none).
    #[uniffi::constructor]
    pub fn merge_many(parts: Vec<Arc<FleetPartial>>) -> Result<Self, ChargekitError> {
        let all: Vec<CoreFleetPartial> = parts.iter().map(|p| lock(&p.0).clone()).collect();
        guarded(|| CoreFleetPartial::merge_many(all)).map(|a| Self(Mutex::new(a)))
    }

    /// Summarises each site of the sessions exactly and adds it: the site summaries.
    pub fn add(&self, sessions: Vec<SessionRecord>) -> Result<Vec<SiteSummary>, ChargekitError> {
        let mut fleet = lock(&self.0);
        guarded(|| fleet.add_sites(&sessions))
    }

    /// The partial as versioned bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        lock(&self.0).to_bytes()
    }

    /// The fingerprint of the options: partials that differ in it cannot be merged.
    pub fn fingerprint(&self) -> String {
        lock(&self.0).fingerprint()
    }

    /// Folds `other` into this partial (`IncompatibleAccumulators` for other options).
    pub fn merge(&self, other: Arc<FleetPartial>) -> Result<(), ChargekitError> {
        // Copied before this one is locked: merging a partial with itself must not deadlock.
        let other = lock(&other.0).clone();
        let mut fleet = lock(&self.0);
        guarded(|| fleet.merge(other))
    }

    /// The fleet summary of every site added or merged.
    pub fn finish(&self) -> Result<FleetSummary, ChargekitError> {
        let fleet = lock(&self.0);
        guarded(|| fleet.finish())
    }
}
