//! Analytics and feedback arguments as both bindings take them: an options record, or
//! nothing for the defaults, with the site's time zone given as its own argument.
//!
//! Python reads the records from dicts through their serde form, Kotlin and Swift receive
//! them typed; either way they pass here before use, so that the time zone argument wins
//! over the options' `tz` and a period built outside Rust is checked like any other.
//!
//! Owns: the resolution of analytics options given with a separate time zone. Imports:
//! `analytics` (its options), `units` (time zone names).

#[cfg(feature = "csv-import")]
use crate::analytics::import::ImportOptions;
use crate::analytics::SummaryOptions;
use crate::calendar::parse_timezone;
use crate::Error;

/// The summary options of a call: `options` (the defaults when absent), with the site's
/// zone set from `tz` when one is given (an IANA name; `UnknownTimezone` when unknown) and
/// the period checked (`InvalidAnalyticsOptions` on field `period` when it is empty or out
/// of range).
///
/// ```
/// use chargekit::boundary::analytics::summary_options;
/// let o = summary_options(None, Some("Europe/Berlin")).unwrap();
/// assert_eq!(o.tz, chrono_tz::Europe::Berlin);
/// assert_eq!(summary_options(Some(o.clone()), None).unwrap(), o);
/// assert!(summary_options(None, Some("Mars/Olympus")).is_err());
/// ```
pub fn summary_options(
    options: Option<SummaryOptions>,
    tz: Option<&str>,
) -> Result<SummaryOptions, Error> {
    let mut options = options.unwrap_or_default();
    if let Some(name) = tz {
        options.tz = parse_timezone(name)?;
    }
    if let Some(period) = options.period {
        options.period = Some(
            period
                .checked()
                .map_err(|e| Error::InvalidAnalyticsOptions {
                    field: "period".into(),
                    reason: e.to_string(),
                })?,
        );
    }
    Ok(options)
}

/// The options of a CSV import: `options` (the defaults when absent) with the zone of the
/// file's local times from `tz` (an IANA name; `UnknownTimezone` when unknown).
#[cfg(feature = "csv-import")]
pub fn import_options(options: Option<ImportOptions>, tz: &str) -> Result<ImportOptions, Error> {
    Ok(ImportOptions {
        tz: parse_timezone(tz)?,
        ..options.unwrap_or_default()
    })
}

/// The site report of a summary given as data, `{"summary": …, "title": …, "scores": […],
/// "refused": […]}`
/// (the Python binding reads its `SiteSummary` and `Score` records back through their serde
/// form), with the meter-data anomalies of `sessions` counted. A value that does not read is
/// `InvalidAnalyticsOptions` naming the field (e.g. `summary.heatmaps.arrivals`).
///
/// ```
/// use chargekit::analytics::{generate, summarize, GeneratorConfig};
/// use chargekit::report::ReportExtras;
/// use chargekit::boundary::analytics::site_report_html;
/// let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
/// let s = summarize(&generate(&cfg).unwrap(), &cfg.summary_options().unwrap()).unwrap();
/// let summary: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
/// let html = site_report_html(serde_json::json!({"summary": summary, "title": "Depot"}), []).unwrap();
/// assert_eq!(html, s.to_html(&ReportExtras { title: Some("Depot".into()), ..Default::default() }));
/// let err = site_report_html(serde_json::json!({"summary": {"tz": 1}}), []).unwrap_err();
/// assert!(err.to_string().contains("summary"));
/// ```
#[cfg(feature = "html-report")]
pub fn site_report_html<'a>(
    report: serde_json::Value,
    sessions: impl IntoIterator<Item = &'a crate::session::Session>,
) -> Result<String, Error> {
    site_report(report, sessions)
}

/// [`site_report_html`] from JSON text, whose numbers are read exactly (a
/// `serde_json::Value` holds them as `f64`): what the Python binding passes.
///
/// ```
/// use chargekit::analytics::{generate, summarize, GeneratorConfig};
/// use chargekit::boundary::analytics::{site_report_html, site_report_html_from_json};
/// let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
/// let s = summarize(&generate(&cfg).unwrap(), &cfg.summary_options().unwrap()).unwrap();
/// let text = format!(r#"{{"summary": {}}}"#, s.to_json());
/// let value = serde_json::from_str(&text).unwrap();
/// assert_eq!(site_report_html_from_json(&text, []).unwrap(), site_report_html(value, []).unwrap());
/// ```
#[cfg(feature = "html-report")]
pub fn site_report_html_from_json<'a>(
    report: &str,
    sessions: impl IntoIterator<Item = &'a crate::session::Session>,
) -> Result<String, Error> {
    site_report(&mut serde_json::Deserializer::from_str(report), sessions)
}

/// The site report of a summary read from `report` (see [`site_report_html`]).
#[cfg(feature = "html-report")]
fn site_report<'a, 'de, D: serde::Deserializer<'de>>(
    report: D,
    sessions: impl IntoIterator<Item = &'a crate::session::Session>,
) -> Result<String, Error> {
    use crate::analytics::SiteSummary;
    use crate::report::{anomaly_counts, ReportExtras};
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Report {
        summary: SiteSummary,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        scores: Vec<crate::feedback::Score>,
        #[serde(default)]
        refused: Vec<crate::feedback::RefusedFeedback>,
    }
    let report: Report =
        serde_path_to_error::deserialize(report).map_err(|e| Error::InvalidAnalyticsOptions {
            field: e.path().to_string(),
            reason: crate::json::without_position(e.inner()),
        })?;
    let extras = ReportExtras {
        title: report.title,
        scores: report.scores,
        anomalies: anomaly_counts(sessions),
        refused: report.refused,
    };
    Ok(report.summary.to_html(&extras))
}
