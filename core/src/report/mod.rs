//! The site report: one self-contained HTML page (inline SVG and CSS, no script, nothing
//! fetched) that shows a [`SiteSummary`] to people — the 7 × 24 occupancy and arrival
//! heatmaps, utilisation per hour of the day and per port, peak hours, overstay offenders,
//! the off-peak shift estimate, and, when given, reliability scores from feedback and the
//! anomalies found in the meter data. Feature `html-report`.
//!
//! What each figure means is in `docs/analytics-and-feedback.md` (§10 describes the report).
//!
//! Owns: the site report. Imports: `analytics`, `feedback`, `session`, `meter` and the
//! foundation.
//!
//! ```
//! use chargekit::analytics::{generate, summarize, GeneratorConfig};
//! use chargekit::report::ReportExtras;
//! let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
//! let summary = summarize(&generate(&cfg).unwrap(), &cfg.summary_options().unwrap()).unwrap();
//! let html = summary.to_html(&ReportExtras { title: Some("Depot <A>".into()), ..Default::default() });
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(html.contains(r#"id="occupancy-heatmap""#));
//! assert!(html.contains("Depot &lt;A&gt;")); // text is escaped
//! ```

mod page;
mod svg;

use crate::analytics::SiteSummary;
use crate::feedback::{RefusedFeedback, Score};
use crate::meter::AnomalyKind;
use crate::session::Session;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the report shows beyond the summary itself. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ReportExtras {
    /// The page title; the summary's site id (else "Site report") when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub title: Option<String>,
    /// Reliability scores of the site's locations or stations (`feedback::score`).
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub scores: Vec<Score>,
    /// Anomalies found in the meter data of the sessions ([`anomaly_counts`]).
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub anomalies: Vec<AnomalyCount>,
    /// Feedback the scores' screening refused (`ScoreReport::refused`), counted per rule.
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub refused: Vec<RefusedFeedback>,
}

/// How often one kind of meter-data anomaly was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AnomalyCount {
    /// The kind.
    pub kind: AnomalyKind,
    /// Sessions with at least one.
    pub sessions: u64,
    /// Anomalies of the kind in all sessions.
    pub count: u64,
}

/// The anomalies of `sessions` counted per kind, most frequent first (ties by kind).
///
/// ```
/// use chargekit::report::anomaly_counts;
/// use chargekit::{meter::MeterPolicy, session::sessions_from_log};
/// let log = std::fs::read_to_string("../examples/data/site-day-ocpp16.jsonl").unwrap();
/// let sessions = sessions_from_log("CP", &log, None, &MeterPolicy::default()).unwrap();
/// let counts = anomaly_counts(&sessions);
/// let total: u64 = sessions.iter().map(|s| s.anomalies.len() as u64).sum();
/// assert_eq!(counts.iter().map(|c| c.count).sum::<u64>(), total);
/// ```
pub fn anomaly_counts<'a>(sessions: impl IntoIterator<Item = &'a Session>) -> Vec<AnomalyCount> {
    let mut by_kind: BTreeMap<AnomalyKind, (BTreeSet<usize>, u64)> = BTreeMap::new();
    for (i, s) in sessions.into_iter().enumerate() {
        for a in &s.anomalies {
            let entry = by_kind.entry(a.kind).or_default();
            entry.0.insert(i);
            entry.1 += 1;
        }
    }
    let mut counts: Vec<AnomalyCount> = by_kind
        .into_iter()
        .map(|(kind, (with, count))| AnomalyCount {
            kind,
            sessions: with.len() as u64,
            count,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    counts
}

impl SiteSummary {
    /// The site report as one self-contained HTML page (see the [module](self) docs).
    pub fn to_html(&self, extras: &ReportExtras) -> String {
        page::render(self, extras).into_string()
    }
}

#[cfg(feature = "uniffi")]
#[uniffi::export]
impl SiteSummary {
    /// The site report as one self-contained HTML page (`toHtml` in Kotlin and Swift).
    #[uniffi::method(name = "to_html", default(extras = None))]
    pub fn to_html_ffi(&self, extras: Option<ReportExtras>) -> String {
        self.to_html(&extras.unwrap_or_default())
    }
}
