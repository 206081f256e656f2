//! Behaviour analytics: `SessionRecord` (from an OCPP `Session`, an operator CSV export or
//! built by hand), `summarize` into a `SiteSummary` with its hour-of-week heatmaps, and the
//! per-session derived fields; `SummaryPartial`, the same summary built in parts that travel
//! as bytes. The records are the core's (`io.chargekit.core`).
//!
//! Options cross as the core's `SummaryOptions` (null: the defaults; `defaultSummaryOptions()`
//! to start from); the `tz` argument (IANA) overrides the options' zone.

use chargekit::analytics::import::{import_csv, ImportOptions, ImportReport};
use chargekit::analytics::{
    analyse_sessions, summarize as core_summarize, SessionAnalysis, SessionRecord, SiteAccumulator,
    SiteSummary, SummaryOptions,
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
