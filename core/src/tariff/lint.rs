//! Tariff lint: elements that can never apply, reversed bounds, missing fallbacks and
//! what OCPI cannot express.

use super::*;
use super::{EqualTimes, MidnightEnd, PricingPolicy};

wire_enum! {
    /// A lint rule (stable snake_case ids, matching ocpi-tariffs where it has one).
    ///
    /// ```
    /// use chargekit::tariff::LintRule;
    /// assert_eq!(LintRule::NeverValid.as_str(), "never_valid");
    /// ```
    pub enum LintRule {
        /// A time window that never matches (e.g. `start_time == end_time`).
        NeverValid = "never_valid",
        /// A time window that is the whole day (the restriction does nothing).
        ContainsEntireDay = "contains_entire_day",
        /// `day_of_week` lists every day (the restriction does nothing).
        ContainsEntireWeek = "contains_entire_week",
        /// The element's restrictions exclude every session (empty date range, reversed bounds).
        ElementExcludesEverySession = "element_excludes_every_session",
        /// A lower bound at or above its upper bound.
        LowerBoundAtOrAboveUpper = "lower_bound_at_or_above_upper",
        /// A `max_*` of 0 never matches.
        MaxZeroWillNeverMatch = "max_zero_will_never_match",
        /// `min_price` above `max_price`.
        MinPriceIsGreaterThanMax = "min_price_is_greater_than_max",
        /// Every component of the element is shadowed by earlier elements.
        UnreachableElement = "unreachable_element",
        /// A dimension is priced only under restrictions: outside them it is free.
        MissingFallback = "missing_fallback",
        /// An element without price components.
        EmptyElement = "empty_element",
        /// A reservation element with components other than FLAT and TIME.
        ReservationComponentIgnored = "reservation_component_ignored",
        /// A number with more than 4 decimals.
        ExcessivePrecision = "excessive_precision",
        /// A negative price.
        NegativePrice = "negative_price",
        /// The tariff's validity window is empty.
        StartDateTimeIsAfterEndDateTime = "start_date_time_is_after_end_date_time",
        /// An idle-fee grace period from the end of charging, which OCPI 2.2.1 cannot express.
        GracePeriodNotExpressible = "grace_period_not_expressible",
        /// A field was misspelled or unknown in the source JSON (its restriction was lost).
        MisspelledField = "misspelled_field",
    }
}

wire_enum! {
    /// How serious a finding is.
    ///
    /// ```
    /// assert_eq!(chargekit::tariff::Severity::Error.as_str(), "error");
    /// ```
    pub enum Severity {
        /// Informational.
        Info = "info",
        /// Probably not what the author meant.
        Warning = "warning",
        /// The tariff cannot be priced as written.
        Error = "error",
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LintFinding {
    /// The rule.
    pub rule: LintRule,
    /// How serious.
    pub severity: Severity,
    /// JSON path, e.g. `$.elements[2].restrictions`.
    pub path: String,
    /// Plain-English explanation.
    pub message: String,
}

fn find(
    out: &mut Vec<LintFinding>,
    rule: LintRule,
    severity: Severity,
    path: String,
    message: String,
) {
    out.push(LintFinding {
        rule,
        severity,
        path,
        message,
    });
}

fn precise(d: Decimal) -> bool {
    d.normalize().scale() > 4
}

pub(crate) fn lint(t: &Tariff, policy: &PricingPolicy) -> Vec<LintFinding> {
    use LintRule::*;
    use Severity::*;
    let mut out = Vec::new();
    if let (Some(min), Some(max)) = (t.min_price, t.max_price) {
        if min.excl_vat > max.excl_vat || min.incl_vat.zip(max.incl_vat).is_some_and(|(a, b)| a > b)
        {
            find(
                &mut out,
                MinPriceIsGreaterThanMax,
                Error,
                "$.min_price".into(),
                "min_price is greater than max_price".into(),
            );
        }
    }
    if let (Some(s), Some(e)) = (t.start_date_time, t.end_date_time) {
        if s >= e {
            find(
                &mut out,
                StartDateTimeIsAfterEndDateTime,
                Error,
                "$.start_date_time".into(),
                format!("the tariff is valid from {s} until {e}: never"),
            );
        }
    }
    if let Some(f) = &t.idle_fee {
        if f.grace_s > 0 || f.active_from.is_some() || f.cap.is_some() {
            find(
                &mut out,
                GracePeriodNotExpressible,
                Info,
                "$.idle_fee".into(),
                "OCPI 2.2.1 counts durations from the session start and has no cap: the idle fee's grace period, cap and hours are left out of OCPI output (policy idle_fee_export)".into(),
            );
        }
    }
    for (i, e) in t.elements.iter().enumerate() {
        let path = format!("$.elements[{i}]");
        let r = &e.restrictions;
        let rpath = format!("{path}.restrictions");
        if e.price_components.is_empty() {
            find(
                &mut out,
                EmptyElement,
                Warning,
                path.clone(),
                "the element has no price components".into(),
            );
        }
        for (j, c) in e.price_components.iter().enumerate() {
            let cpath = format!("{path}.price_components[{j}]");
            if c.price.is_sign_negative() && !c.price.is_zero() {
                find(
                    &mut out,
                    NegativePrice,
                    Warning,
                    format!("{cpath}.price"),
                    format!("negative price {}", c.price),
                );
            }
            if precise(c.price) || c.vat.rate().is_some_and(precise) {
                find(
                    &mut out,
                    ExcessivePrecision,
                    Info,
                    cpath.clone(),
                    "OCPI numbers carry at most 4 decimals".into(),
                );
            }
            if r.reservation.is_some()
                && !matches!(c.dimension, TariffDimension::Flat | TariffDimension::Time)
            {
                find(
                    &mut out,
                    ReservationComponentIgnored,
                    Warning,
                    cpath.clone(),
                    format!(
                        "a reservation element only prices FLAT and TIME; {} is ignored",
                        c.dimension
                    ),
                );
            }
        }
        // Time windows.
        match (r.start_time, r.end_time) {
            (Some(s), Some(e)) if s == e && !s.is_midnight() => {
                if policy.equal_times == EqualTimes::Never {
                    find(
                        &mut out,
                        NeverValid,
                        Warning,
                        rpath.clone(),
                        format!(
                            "start_time {s} equals end_time: the window is empty and never matches"
                        ),
                    );
                } else {
                    find(
                        &mut out,
                        ContainsEntireDay,
                        Info,
                        rpath.clone(),
                        format!("start_time {s} equals end_time: read as the whole day"),
                    );
                }
            }
            (Some(s), Some(e)) if s.is_midnight() && e.is_midnight() => find(
                &mut out,
                ContainsEntireDay,
                Info,
                rpath.clone(),
                "00:00-00:00 is the whole day; the time restriction does nothing".into(),
            ),
            (None, Some(e)) if e.is_midnight() => {
                if policy.midnight_end == MidnightEnd::EndOfDay {
                    find(
                        &mut out,
                        ContainsEntireDay,
                        Info,
                        rpath.clone(),
                        "a lone end_time 00:00 means until the end of the day: the whole day"
                            .into(),
                    );
                } else {
                    find(
                        &mut out,
                        NeverValid,
                        Warning,
                        rpath.clone(),
                        "a lone end_time 00:00 read literally never matches".into(),
                    );
                }
            }
            (Some(s), None) if s.is_midnight() => find(
                &mut out,
                ContainsEntireDay,
                Info,
                rpath.clone(),
                "start_time 00:00 without end_time is the whole day".into(),
            ),
            _ => {}
        }
        if r.day_of_week.len() == 7 {
            find(
                &mut out,
                ContainsEntireWeek,
                Info,
                format!("{rpath}.day_of_week"),
                "day_of_week lists every day; the restriction does nothing".into(),
            );
        }
        if let (Some(s), Some(e)) = (r.start_date, r.end_date) {
            if s >= e {
                find(
                    &mut out,
                    ElementExcludesEverySession,
                    Warning,
                    rpath.clone(),
                    format!(
                        "start_date {s} is not before end_date {e} (exclusive): no day matches"
                    ),
                );
            }
        }
        let pairs: [(&str, Option<Decimal>, Option<Decimal>); 4] = [
            ("kwh", r.min_kwh, r.max_kwh),
            ("current", r.min_current, r.max_current),
            ("power", r.min_power, r.max_power),
            (
                "duration",
                r.min_duration.map(Decimal::from),
                r.max_duration.map(Decimal::from),
            ),
        ];
        for (name, lo, hi) in pairs {
            if let Some(hi) = hi {
                if hi.is_zero() {
                    find(
                        &mut out,
                        MaxZeroWillNeverMatch,
                        Warning,
                        format!("{rpath}.max_{name}"),
                        format!("max_{name} 0 never matches (the bound is exclusive)"),
                    );
                }
                if let Some(lo) = lo {
                    if lo >= hi {
                        find(
                            &mut out,
                            LowerBoundAtOrAboveUpper,
                            Warning,
                            format!("{rpath}.min_{name}"),
                            format!("min_{name} {lo} is not below max_{name} {hi}: never matches"),
                        );
                    }
                }
            }
            if lo.is_some_and(precise) || hi.is_some_and(precise) {
                find(
                    &mut out,
                    ExcessivePrecision,
                    Info,
                    format!("{rpath}.{name}"),
                    "OCPI numbers carry at most 4 decimals".into(),
                );
            }
        }
        // Shadowed components: an earlier element of the same scope without restrictions
        // that prices the same dimension always wins.
        let alone = Restrictions {
            reservation: r.reservation,
            ..Restrictions::default()
        };
        let shadowed = |dim: TariffDimension| {
            t.elements[..i]
                .iter()
                .any(|p| p.component(dim).is_some() && p.restrictions == alone)
        };
        if !e.price_components.is_empty()
            && e.price_components.iter().all(|c| shadowed(c.dimension))
        {
            find(
                &mut out,
                UnreachableElement,
                Warning,
                path.clone(),
                "an earlier element without restrictions prices every dimension of this one: it can never apply".into(),
            );
        }
    }
    for dim in TariffDimension::ALL {
        let session = || {
            t.elements
                .iter()
                .filter(|e| e.restrictions.reservation.is_none())
        };
        let priced = session().any(|e| e.component(*dim).is_some());
        let fallback = session().any(|e| e.component(*dim).is_some() && e.restrictions.is_empty());
        if priced && !fallback && *dim != TariffDimension::Flat {
            find(
                &mut out,
                MissingFallback,
                Info,
                "$.elements".into(),
                format!("{dim} is priced only under restrictions; outside them it is free"),
            );
        }
    }
    out
}
