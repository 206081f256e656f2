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
    // int64 rather than uint64: Spark and Java have no unsigned types; a count beyond
    // i64::MAX cannot occur (it would need more sessions than bytes of memory).
    let n = |f: fn(&SiteSummary) -> u64| {
        s.iter()
            .map(move |s| Some(i64::try_from(f(s)).unwrap_or(i64::MAX)))
    };
    out.integers("sessions_seen", false, n(|s| s.counts.sessions_seen));
    out.integers("sessions_used", false, n(|s| s.counts.sessions_used));
    out.integers(
        "sessions_excluded",
        false,
        n(|s| s.counts.sessions_excluded),
    );
    out.integers("outliers_dropped", false, n(|s| s.counts.outliers_dropped));
    out.integers("unique_users", false, n(|s| s.counts.unique_users));
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
