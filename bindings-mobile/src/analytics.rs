//! Behaviour analytics: `SessionRecord` (from an OCPP `Session`, an operator CSV export or
//! built by hand), `summarize` into a `SiteSummary` with its hour-of-week heatmaps, and the
//! per-session derived fields. The records are the core's (`io.chargekit.core`).
//!
//! Options cross as the core's `SummaryOptions` (null: the defaults; `defaultSummaryOptions()`
//! to start from); the `tz` argument (IANA) overrides the options' zone.

use chargekit::analytics::import::{import_csv, ImportOptions, ImportReport};
use chargekit::analytics::{
    analyse_sessions, summarize as core_summarize, SessionAnalysis, SessionRecord, SiteSummary,
    SummaryOptions,
};
use chargekit::boundary::analytics::{import_options, summary_options};
use chargekit::report::{anomaly_counts as core_anomaly_counts, AnomalyCount};
use std::sync::Arc;

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
