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
