//! Pricing as both bindings call it: tariffs given as OCPI JSON text (one tariff or an array
//! of them), as parsed JSON or as tariffs already read; the site's time zone as an IANA name
//! (an unknown one is [`Error::UnknownTimezone`]); the policy optional, `None` being the
//! default (the OCPI 2.2.1 bugfix reading, [`PricingPolicy::default`]).

use crate::billing::{self, LivePrice, PriceResult, PricingPolicy, Quote};
use crate::session::Session;
use crate::tariff::Tariff;
use crate::Error;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::borrow::Cow;

/// One tariff argument, as a binding receives it.
#[derive(Debug, Clone, PartialEq)]
pub enum TariffSource {
    /// OCPI JSON text: one tariff or an array of them (`//` comment lines allowed).
    Json(String),
    /// Parsed OCPI JSON: one tariff object or an array of them.
    Value(Value),
    /// A tariff already read (e.g. with a forced OCPI version).
    Read(Box<Tariff>),
}

/// Every tariff of `sources`, in order; the first unreadable one is the error.
///
/// ```
/// use chargekit::boundary::pricing::{read_tariffs, TariffSource};
/// let one = r#"{"id":"A","currency":"EUR","elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}]}]}"#;
/// let tariffs = read_tariffs([
///     TariffSource::Json(format!("[{one}, {one}]")),
///     TariffSource::Value(serde_json::from_str(one).unwrap()),
/// ]).unwrap();
/// assert_eq!(tariffs.len(), 3);
/// ```
pub fn read_tariffs(sources: impl IntoIterator<Item = TariffSource>) -> Result<Vec<Tariff>, Error> {
    let sources = sources.into_iter();
    // Sized up front: grown from empty, a Vec of tariffs jumps to four, a large allocation.
    let mut out = Vec::with_capacity(sources.size_hint().0);
    for source in sources {
        match source {
            TariffSource::Json(text) => out.extend(billing::tariffs_from_json(&text)?),
            TariffSource::Value(Value::Array(items)) => {
                for item in &items {
                    out.push(Tariff::from_value(item)?);
                }
            }
            TariffSource::Value(value) => out.push(Tariff::from_value(&value)?),
            TariffSource::Read(tariff) => out.push(*tariff),
        }
    }
    Ok(out)
}

/// The policy given, else the default.
fn policy_or_default(policy: Option<&PricingPolicy>) -> Cow<'_, PricingPolicy> {
    policy.map_or_else(|| Cow::Owned(PricingPolicy::default()), Cow::Borrowed)
}

/// [`billing::price_cdr`]: `timezone` (IANA) when given, else the CDR location's, else
/// inferred from its country.
pub fn price_cdr(
    cdr: &str,
    tariffs: &[Tariff],
    timezone: Option<&str>,
    policy: Option<&PricingPolicy>,
) -> Result<PriceResult, Error> {
    billing::price_cdr(cdr, tariffs, timezone, &policy_or_default(policy))
}

/// [`billing::price_session`] for a site in the IANA zone `timezone`.
pub fn price_session(
    session: &Session,
    tariffs: &[Tariff],
    timezone: &str,
    policy: Option<&PricingPolicy>,
) -> Result<PriceResult, Error> {
    let tz = crate::calendar::parse_timezone(timezone)?;
    billing::price_session(session, tariffs, tz, &policy_or_default(policy))
}

/// [`billing::price_live`] at `at`, for a site in the IANA zone `timezone`.
pub fn price_live(
    session: &Session,
    tariffs: &[Tariff],
    timezone: &str,
    at: DateTime<Utc>,
    policy: Option<&PricingPolicy>,
) -> Result<LivePrice, Error> {
    let tz = crate::calendar::parse_timezone(timezone)?;
    billing::price_live(session, tariffs, tz, &policy_or_default(policy), at)
}

/// [`billing::price_quote`] for a site in the IANA zone `timezone`.
pub fn price_quote(
    tariff: &Tariff,
    quote: &Quote,
    timezone: &str,
    policy: Option<&PricingPolicy>,
) -> Result<PriceResult, Error> {
    let tz = crate::calendar::parse_timezone(timezone)?;
    billing::price_quote(tariff, quote, tz, &policy_or_default(policy))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_unknown_zone_is_a_typed_error() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let quote = Quote::new(
            at,
            at,
            rust_decimal::Decimal::ONE,
            rust_decimal::Decimal::ONE,
        );
        let tariffs = read_tariffs([TariffSource::Json(
            r#"{"id":"A","currency":"EUR","elements":[{"price_components":[{"type":"FLAT","price":1,"step_size":1}]}]}"#.into(),
        )])
        .unwrap();
        let r = price_quote(&tariffs[0], &quote, "Mars/Olympus", None);
        assert!(
            matches!(r, Err(Error::UnknownTimezone { timezone }) if timezone == "Mars/Olympus")
        );
    }
}
