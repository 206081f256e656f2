//! The named choices of `docs/analytics-and-feedback.md` §7 (the section numbers in this
//! file refer to that page) and the site description, all constructible from JSON
//! (snake_case; decimals as exact JSON numbers) so that bindings stay thin.

use super::time::{local_midnight, Period, Windows};
use super::validate::ValidationRules;
use crate::units::Power;
use crate::Error;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Session boundary for dwell (§7 #1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SessionBoundary {
    /// Plug-in to plug-out.
    #[default]
    PlugInPlugOut,
    /// The transaction bounds where the record has them (may exclude pre-authorisation parking).
    TransactionBounds,
}

/// Idle definition (§7 #2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum IdleDefinition {
    /// Dwell − charging (includes station-side throttling).
    #[default]
    DwellMinusCharging,
    /// Dwell − charging − throttled (`SuspendedEVSE`) time.
    ExcludesThrottled,
    /// Only the time after the last energy increase.
    AfterFullOnly,
}

/// Utilisation denominator (§7 #4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UtilisationDenominator {
    /// Each port's available time; a site rate is the mean over ports.
    #[default]
    PerPort,
    /// Each station's available time; a station is occupied when any of its ports is.
    PerStation,
}

/// Success energy threshold (§7 #5).
///
/// ```
/// use chargekit::analytics::SuccessEnergy;
/// use rust_decimal::Decimal;
/// assert!(!SuccessEnergy::default().is_enough(Decimal::new(4, 1)));
/// assert!(SuccessEnergy::AnyEnergy.is_enough(Decimal::new(1, 3)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SuccessEnergy {
    /// At least this many kWh (default 0.5, the validation floor).
    Threshold {
        /// The floor in kWh.
        #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
        kwh: Decimal,
    },
    /// Any energy above zero.
    AnyEnergy,
}

impl Default for SuccessEnergy {
    fn default() -> Self {
        Self::Threshold {
            kwh: Decimal::new(5, 1),
        }
    }
}

impl SuccessEnergy {
    /// Whether `kwh` is enough for a success.
    pub fn is_enough(self, kwh: Decimal) -> bool {
        match self {
            Self::Threshold { kwh: floor } => kwh >= floor && kwh > Decimal::ZERO,
            Self::AnyEnergy => kwh > Decimal::ZERO,
        }
    }
}

/// Outlier sessions: longer than the session limit or above the energy limit (§7 #7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutlierPolicy {
    /// Flagged and kept; left out of means and medians.
    #[default]
    Flag,
    /// Dwell, charging and energy capped at the limits, then used everywhere.
    Cap,
    /// Left out of every metric (counted as dropped).
    Drop,
}

/// Hour-of-week bucketing (§7 #8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Bucketing {
    /// Site local time: at DST the skipped hour is empty and the repeated hour counts twice.
    #[default]
    SiteLocal,
    /// UTC hours.
    UtcBuckets,
}

/// Which flagged sessions the metrics use (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SessionFilter {
    /// Exclude sessions with an error flag, include those with warnings.
    #[default]
    ExcludeErrors,
    /// Exclude sessions with any flag (duplicate ids are only counted: they are known at the end).
    ExcludeWarnings,
    /// Use every session (times clipped to the period).
    IncludeAll,
}

/// AC or DC, for the rated-power plausibility range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PowerKind {
    /// AC (Level 2).
    Ac,
    /// DC fast charging.
    Dc,
}

/// A port of the site. When the options list ports, sessions on other ports are
/// errors (`unregistered_port`); when they list none, ports are discovered from the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PortConfig {
    /// The station.
    pub station_id: String,
    /// The port on the station.
    pub port_id: String,
    /// Rated power (JSON: W, an exact decimal number; Kotlin/Swift `ratedPowerW`); needed for
    /// the capacity factor.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(name = "rated_power_w", default))]
    pub rated_power: Option<Power>,
    /// AC or DC.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub kind: Option<PowerKind>,
}

/// A declared closure `[start, end)` removed from the available time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Why (free text).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reason: Option<String>,
}

/// Opening hours on one weekday, local time. A `close` at or before `open` runs past
/// midnight (`00:00`–`00:00` is the whole day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// The weekday (`"Mon"` … `"Sun"`).
    pub day: Weekday,
    /// Opening time, e.g. `"07:00:00"`.
    pub open: NaiveTime,
    /// Closing time.
    pub close: NaiveTime,
}

/// Available time (§7 #3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Availability {
    /// 24/7 minus declared closures.
    AlwaysOpen {
        /// Declared closures.
        #[serde(default)]
        closures: Vec<Closure>,
    },
    /// A weekly calendar of opening hours, minus declared closures.
    OperatingHours {
        /// Opening windows per weekday (several per day allowed).
        hours: Vec<OpeningHours>,
        /// Declared closures.
        #[serde(default)]
        closures: Vec<Closure>,
    },
}

impl Default for Availability {
    fn default() -> Self {
        Self::AlwaysOpen {
            closures: Vec::new(),
        }
    }
}

impl Availability {
    /// The available windows inside `period`, in UTC seconds.
    pub(crate) fn windows(&self, period: &Period, tz: Tz) -> Result<Windows, Error> {
        let (ps, pe) = (period.start().timestamp(), period.end().timestamp());
        let (open, closures) = match self {
            Self::AlwaysOpen { closures } => (vec![(ps, pe)], closures),
            Self::OperatingHours { hours, closures } => {
                let mut spans = Vec::new();
                let first = period.start().with_timezone(&tz).date_naive() - Duration::days(1);
                let last = period.end().with_timezone(&tz).date_naive() + Duration::days(1);
                let mut day = first;
                while day <= last {
                    for h in hours.iter().filter(|h| h.day == day.weekday()) {
                        let close_day = if h.close <= h.open {
                            day + Duration::days(1)
                        } else {
                            day
                        };
                        let a = local_instant(tz, day.and_time(h.open))?;
                        let b = local_instant(tz, close_day.and_time(h.close))?;
                        spans.push((a.max(ps), b.min(pe)));
                    }
                    day = day.succ_opt().ok_or(Error::DateOutOfRange)?;
                }
                (spans, closures)
            }
        };
        let cut: Vec<(i64, i64)> = closures
            .iter()
            .map(|c| (c.start.timestamp(), c.end.timestamp()))
            .collect();
        Ok(Windows::new(subtract(open, &cut)))
    }
}

/// A local wall time as an instant: the earlier one when repeated, the first valid one after
/// a DST gap.
fn local_instant(tz: Tz, naive: chrono::NaiveDateTime) -> Result<i64, Error> {
    if naive.time() == NaiveTime::MIN {
        return local_midnight(tz, naive.date()).map(|t| t.timestamp());
    }
    let mut n = naive;
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&n).earliest() {
            return Ok(t.timestamp());
        }
        n += Duration::minutes(30);
    }
    Err(Error::DateOutOfRange)
}

/// `spans` minus `cuts` (both as `[a, b)` pairs).
fn subtract(spans: Vec<(i64, i64)>, cuts: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = spans;
    for &(ca, cb) in cuts {
        if cb <= ca {
            continue;
        }
        let mut next = Vec::with_capacity(out.len() + 1);
        for (a, b) in out {
            if cb <= a || ca >= b {
                next.push((a, b));
                continue;
            }
            if a < ca {
                next.push((a, ca));
            }
            if cb < b {
                next.push((cb, b));
            }
        }
        out = next;
    }
    out
}

/// A time-of-use peak window in local hours, for the off-peak shift estimate.
/// `start_hour` > `end_hour` wraps past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct TouWindow {
    /// First peak hour (0–23), default 16.
    #[cfg_attr(feature = "uniffi", uniffi(default = 16))]
    pub start_hour: u8,
    /// First hour after the peak (0–24), default 21.
    #[cfg_attr(feature = "uniffi", uniffi(default = 21))]
    pub end_hour: u8,
    /// Only Monday–Friday are peak, default false.
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub weekdays_only: bool,
}

impl Default for TouWindow {
    fn default() -> Self {
        Self {
            start_hour: 16,
            end_hour: 21,
            weekdays_only: false,
        }
    }
}

impl TouWindow {
    /// Whether hour-of-week bucket `idx` (Monday 00:00 = 0) is in the peak window.
    pub fn is_peak(&self, idx: usize) -> bool {
        let (day, hour) = (idx / 24, (idx % 24) as u8);
        if self.weekdays_only && day >= 5 {
            return false;
        }
        if self.start_hour <= self.end_hour {
            hour >= self.start_hour && hour < self.end_hour
        } else {
            hour >= self.start_hour || hour < self.end_hour
        }
    }
}

/// Everything a site summary needs besides the sessions: the site's time zone, the
/// period, the ports and every named choice, with the defaults of
/// `docs/analytics-and-feedback.md` §7.
///
/// Kotlin and Swift build it from `defaultSummaryOptions()` (UniFFI cannot give the enum-
/// and decimal-typed fields their defaults); the bindings' time zone argument overrides
/// `tz` ([`crate::boundary::analytics::summary_options`]).
///
/// ```
/// use chargekit::analytics::{SummaryOptions, UtilisationDenominator};
/// let o = SummaryOptions::from_json(r#"{"tz": "Europe/Berlin", "denominator": "per_station"}"#).unwrap();
/// assert_eq!(o.tz.name(), "Europe/Berlin");
/// assert_eq!(o.denominator, UtilisationDenominator::PerStation);
/// assert_eq!(o.overstay_grace_s, 1800);
/// assert!(SummaryOptions::from_json(r#"{"tz": "Mars/Olympus"}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct SummaryOptions {
    /// Site label carried into the summary.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub site_id: Option<String>,
    /// The site's IANA time zone (default UTC).
    #[serde(with = "super::time::tz_name")]
    #[cfg_attr(feature = "uniffi", uniffi(default = "UTC"))]
    pub tz: Tz,
    /// Reporting period; when absent, [`summarize`](super::summarize) uses the local days
    /// spanned by the plug-in times (an accumulator needs it given).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub period: Option<Period>,
    /// Declared ports (empty: discovered from the sessions).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ports: Vec<PortConfig>,
    /// Available time (§7 #3).
    pub availability: Availability,
    /// Validation thresholds (§2.1).
    pub rules: ValidationRules,
    /// Which flagged sessions count.
    pub filter: SessionFilter,
    /// Outliers (§7 #7).
    pub outliers: OutlierPolicy,
    /// Session boundary (§7 #1).
    pub boundary: SessionBoundary,
    /// Idle definition (§7 #2).
    pub idle: IdleDefinition,
    /// Utilisation denominator (§7 #4).
    pub denominator: UtilisationDenominator,
    /// Success energy (§7 #5).
    pub success: SuccessEnergy,
    /// Hour-of-week bucketing (§7 #8).
    pub bucketing: Bucketing,
    /// Idle after full beyond this is overstay, seconds (default 1800).
    #[cfg_attr(feature = "uniffi", uniffi(default = 1800))]
    pub overstay_grace_s: i64,
    /// A user with at least this many overstays is a repeat overstayer (default 3).
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub repeat_overstays: u32,
    /// A session starting within this many seconds after another ended on the same port is
    /// a quick turnover, the queueing proxy (default 600).
    #[cfg_attr(feature = "uniffi", uniffi(default = 600))]
    pub quick_turnover_s: i64,
    /// A failed attempt no longer than this is a turn-away, seconds (default 900).
    #[cfg_attr(feature = "uniffi", uniffi(default = 900))]
    pub turn_away_max_dwell_s: i64,
    /// Peak window for the off-peak shift estimate.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tou: TouWindow,
    /// Price difference peak − off-peak per kWh, to value the shiftable energy.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub price_delta_per_kwh: Option<Decimal>,
    /// How many peak hours to list (default 5).
    #[cfg_attr(feature = "uniffi", uniffi(default = 5))]
    pub peak_hours_top: u32,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            site_id: None,
            tz: Tz::UTC,
            period: None,
            ports: Vec::new(),
            availability: Availability::default(),
            rules: ValidationRules::default(),
            filter: SessionFilter::default(),
            outliers: OutlierPolicy::default(),
            boundary: SessionBoundary::default(),
            idle: IdleDefinition::default(),
            denominator: UtilisationDenominator::default(),
            success: SuccessEnergy::default(),
            bucketing: Bucketing::default(),
            overstay_grace_s: 1800,
            repeat_overstays: 3,
            quick_turnover_s: 600,
            turn_away_max_dwell_s: 900,
            tou: TouWindow::default(),
            price_delta_per_kwh: None,
            peak_hours_top: 5,
        }
    }
}

impl SummaryOptions {
    /// Options for a time zone, all else default.
    pub fn for_tz(tz: Tz) -> Self {
        Self {
            tz,
            ..Self::default()
        }
    }

    /// Reads options from JSON; an error names the offending field.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        super::read_json(text).map_err(|(field, message)| Error::InvalidAnalyticsOptions {
            field,
            reason: message,
        })
    }

    /// The options as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn operating_hours_and_closures_shape_available_time() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let p = Period::local_days(tz, chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 7)
            .unwrap();
        let hours = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|day| OpeningHours {
            day,
            open: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            close: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        })
        .collect();
        let a = Availability::OperatingHours {
            hours,
            closures: vec![Closure {
                start: Utc.with_ymd_and_hms(2026, 3, 4, 11, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 3, 4, 13, 0, 0).unwrap(),
                reason: None,
            }],
        };
        assert_eq!(a.windows(&p, tz).unwrap().total(), (50 - 2) * 3600);
        assert_eq!(
            Availability::default().windows(&p, tz).unwrap().total(),
            168 * 3600
        );
    }

    #[test]
    fn tou_window_wraps() {
        let w = TouWindow {
            start_hour: 22,
            end_hour: 6,
            weekdays_only: true,
        };
        assert!(w.is_peak(23) && w.is_peak(24 + 5) && !w.is_peak(12) && !w.is_peak(5 * 24 + 23));
    }
}
