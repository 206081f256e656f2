//! Site summaries as Arrow: one row per site, the headline counts and times as columns
//! and the whole summary as exact JSON beside them.

use super::build::Columns;
use crate::analytics::SiteSummary;
use crate::Error;
use arrow_array::RecordBatch;

/// One row per summary, in order.
pub(crate) fn write(summaries: &[SiteSummary]) -> Result<RecordBatch, Error> {
    let s = summaries;
    let mut out = Columns::default();
    out.text("site_id", true, s.iter().map(|s| s.site_id.as_deref()));
    out.text("timezone", false, s.iter().map(|s| Some(&*s.tz)));
    out.instants(
        "period_start",
        false,
        s.iter().map(|s| Some(s.period.start())),
    )?;
    out.instants("period_end", false, s.iter().map(|s| Some(s.period.end())))?;
    out.counts("sessions_seen", s.iter().map(|s| s.counts.sessions_seen));
    out.counts("sessions_used", s.iter().map(|s| s.counts.sessions_used));
    out.counts(
        "sessions_excluded",
        s.iter().map(|s| s.counts.sessions_excluded),
    );
    out.counts(
        "outliers_dropped",
        s.iter().map(|s| s.counts.outliers_dropped),
    );
    out.counts("unique_users", s.iter().map(|s| s.counts.unique_users));
    let t = |f: fn(&SiteSummary) -> i64| s.iter().map(move |s| Some(f(s)));
    out.integers("available_s", false, t(|s| s.time.available_s));
    out.integers("occupied_s", false, t(|s| s.time.occupied_s));
    out.integers("charging_s", false, t(|s| s.time.charging_s));
    out.integers("idle_s", false, t(|s| s.time.idle_s));
    // Ratios and means have up to 28 decimal places: they travel in the JSON, exactly.
    let json: Vec<String> = s.iter().map(SiteSummary::to_json).collect();
    out.text("summary", false, json.iter().map(|j| Some(j.as_str())));
    out.finish()
}
