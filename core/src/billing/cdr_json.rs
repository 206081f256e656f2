//! Reading a CDR for pricing from JSON text through borrowed serde models: no
//! JSON tree, volumes read exactly from their JSON text (chargekit does not enable
//! serde_json's `arbitrary_precision`, see [`crate::json`]), embedded tariffs by
//! [`crate::tariff::json`].
//!
//! The rules are [`cdr`](super::cdr)'s (shared with its `Value` reader), checked in the
//! same order, so results, notes and errors are the same. Input the models cannot hold
//! goes to that reader.

use super::cdr::{
    add_dimension, cdr_end, invalid, site_timezone, tariff_version, CdrHead, ParsedCdr,
};
use super::{CdrHours, PricingPolicy};
use crate::tariff::json::raw::{json_object, IfArray, IfObject, RawPriceLimit, RawTariff};
use crate::tariff::json::read;
use crate::tariff::json::scalar::{as_str, datetime, decimal_of, is_number, present, string};
use crate::tariff::{Currency, OcpiVersion};
use crate::Error;

json_object! {
    /// The fields of an OCPI CDR (any version) that pricing reads.
    RawCdr (unknown_ignored) {
        start_date_time, stop_date_time, end_date_time, currency, credit,
        cdr_location: Option<IfObject<RawLocation<'de>>>,
        location: Option<IfObject<RawLocation<'de>>>,
        country_code, total_cost,
        tariffs: Option<IfArray<RawTariff<'de>>>,
        charging_periods: Option<IfArray<RawPeriod<'de>>>,
    }
}

json_object! {
    /// Where the session took place: what tells its time zone.
    RawLocation (unknown_ignored) { time_zone, country }
}

json_object! {
    /// A charging period.
    RawPeriod (unknown_ignored) {
        start_date_time, tariff_id,
        dimensions: Option<IfArray<IfObject<RawDimension<'de>>>>,
    }
}

json_object! {
    /// A dimension of a charging period.
    RawDimension (unknown_ignored) { dimension = "type", volume }
}

/// Reads a CDR from JSON text; `None` when the text is for the `Value` reader (a value
/// of a type the models cannot hold, or one it might judge otherwise).
pub(super) fn parse_cdr_text(
    text: &str,
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Option<Result<ParsedCdr, Error>> {
    let raw = serde_json::from_str::<RawCdr<'_>>(text).ok()?;
    Some(cdr(&raw, timezone, policy))
}

/// The OCPI version by the rule of the `Value` reader's `detect`.
fn detect(c: &RawCdr<'_>) -> OcpiVersion {
    let v23 = || {
        present(c.total_cost)
            .filter(|v| v.get().starts_with('{'))
            .and_then(|v| serde_json::from_str::<RawPriceLimit<'_>>(v.get()).ok())
            .is_some_and(|p| p.before_taxes.is_some())
    };
    if c.stop_date_time.is_some() || c.total_cost.is_some_and(is_number) {
        OcpiVersion::V211
    } else if v23() {
        OcpiVersion::V230
    } else {
        OcpiVersion::V221
    }
}

fn cdr(c: &RawCdr<'_>, timezone: Option<&str>, policy: &PricingPolicy) -> Result<ParsedCdr, Error> {
    // As in the `Value` reader: seconds taken to 10 ms by default (docs/tariffs.md §4 item 7).
    let guard = policy.cdr_hours == CdrHours::Centiseconds;
    let version = detect(c);
    // Timestamp warnings of a CDR are not reported (as in the `Value` reader).
    let mut w = Vec::new();
    let mut notes = Vec::new();
    let at = |key: &'static str| move || format!("$.{key}");
    // Each field read where it is set, in the order errors and notes come.
    let head = CdrHead {
        version,
        start: datetime(c.start_date_time, &at("start_date_time"), &mut w)?
            .ok_or_else(|| invalid("$.start_date_time", "required"))?,
        end: cdr_end(version, |key| {
            let slot = match key {
                "stop_date_time" => c.stop_date_time,
                _ => c.end_date_time,
            };
            datetime(slot, &at(key), &mut w)
        })?,
        currency: match string(c.currency, &at("currency"))? {
            Some(s) => Some(s.parse::<Currency>()?),
            None => None,
        },
        credit: present(c.credit).is_some_and(|v| v.get() == "true"),
        timezone: {
            let location = match c.cdr_location.as_ref().or(c.location.as_ref()) {
                Some(IfObject::Object(l)) => Some(l),
                _ => None,
            };
            site_timezone(
                timezone,
                || {
                    let stated = location.and_then(|l| present(l.time_zone)).and_then(as_str);
                    let country = location
                        .and_then(|l| present(l.country))
                        .and_then(as_str)
                        .or_else(|| present(c.country_code).and_then(as_str));
                    (stated, country)
                },
                &mut notes,
            )?
        },
        tariffs: match &c.tariffs {
            Some(IfArray::Array(items)) => items
                .iter()
                .map(|t| {
                    let version = tariff_version(version, || read::detect_version(t));
                    Ok(read::tariff(t, version)?.0)
                })
                .collect::<Result<_, Error>>()?,
            _ => Vec::new(),
        },
    };
    let Some(IfArray::Array(items)) = &c.charging_periods else {
        return Err(invalid("$.charging_periods", "required (an array)"));
    };
    let mut periods = Vec::with_capacity(items.len());
    for (i, p) in items.iter().enumerate() {
        let pstart = datetime(
            p.start_date_time,
            &|| format!("$.charging_periods[{i}].start_date_time"),
            &mut w,
        )?
        .ok_or_else(|| {
            invalid(
                &format!("$.charging_periods[{i}].start_date_time"),
                "required",
            )
        })?;
        let tariff_id = string(p.tariff_id, &|| {
            format!("$.charging_periods[{i}].tariff_id")
        })?;
        let mut period = head.period(pstart, tariff_id.map(Into::into));
        if let Some(IfArray::Array(dims)) = &p.dimensions {
            for (j, d) in dims.iter().enumerate() {
                let IfObject::Object(d) = d else { continue };
                let dpath = || format!("$.charging_periods[{i}].dimensions[{j}]");
                let ty = present(d.dimension).and_then(as_str).unwrap_or_default();
                // A null volume is an error, as in the `Value` reader (which does not skip it).
                let Some(vol) = d.volume else { continue };
                let vol = decimal_of(vol, &|| format!("{}.volume", dpath()), &mut w)?;
                add_dimension(&mut period, &ty, vol, &dpath, guard, policy, &mut notes)?;
            }
        }
        periods.push(period);
    }
    Ok(head.finish(periods, notes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::billing::cdr::parse_cdr_value;

    fn by_value(text: &str, tz: Option<&str>, policy: &PricingPolicy) -> String {
        let r = crate::tariff::parse_json_value(text).and_then(|v| parse_cdr_value(&v, tz, policy));
        format!("{r:?}")
    }

    /// Compares both readers; true when the raw reader took the text.
    fn check(text: &str) -> bool {
        let mut raw = false;
        for tz in [None, Some("Europe/Amsterdam")] {
            for policy in [
                PricingPolicy::default(),
                PricingPolicy {
                    allow_negative_usage: true,
                    cdr_hours: CdrHours::Exact,
                    ..PricingPolicy::default()
                },
            ] {
                let expected = by_value(text, tz, &policy);
                if let Some(r) = parse_cdr_text(text, tz, &policy) {
                    assert_eq!(format!("{r:?}"), expected, "{text}");
                    raw = true;
                }
            }
        }
        raw
    }

    #[test]
    fn the_raw_reader_agrees_with_the_value_reader_on_every_cdr_in_the_repository() {
        let cdrs = crate::tariff::json::tests::repository_objects_with("charging_periods");
        assert!(cdrs.len() > 20, "{} CDRs", cdrs.len());
        let raw = cdrs.iter().filter(|c| check(c)).count();
        assert_eq!(raw, cdrs.len());
    }

    #[test]
    fn the_raw_reader_agrees_with_the_value_reader_on_odd_cdrs() {
        let cdr = |top: &str, dims: &str| {
            format!(
                r#"{{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
                  "currency":"EUR","cdr_location":{{"country":"BEL"}}{top},
                  "charging_periods":[{{"start_date_time":"2026-03-10T08:00:00Z",
                    "dimensions":[{{"type":"ENERGY","volume":7.5}}{dims}]}}]}}"#
            )
        };
        let cases = [
            cdr("", ""),
            cdr(r#","credit":true,"total_cost":1"#, ""),
            cdr(r#","stop_date_time":null"#, ""),
            cdr(
                r#","stop_date_time":"2026-03-10T09:30:00Z","total_cost":{"excl_vat":1}"#,
                "",
            ),
            cdr(r#","total_cost":{"before_taxes":null}"#, ""),
            cdr(
                r#","cdr_location":"x","location":{"time_zone":"Europe/Paris"}"#,
                "",
            ),
            cdr(
                r#","cdr_location":null,"location":{"time_zone":"Europe/Paris"}"#,
                "",
            ),
            cdr(r#","cdr_location":{"time_zone":"Mars/Olympus"}"#, ""),
            cdr(r#","cdr_location":[1,2],"country_code":"DE""#, ""),
            cdr(r#","cdr_location":7,"country_code":"DE""#, ""),
            cdr(r#","cdr_location":{"country":7},"country_code":"ZZ""#, ""),
            cdr(r#","currency":"eur","credit":"true""#, ""),
            cdr(r#","currency":"EURO""#, ""),
            cdr(r#","currency":5"#, ""),
            cdr(r#","start_date_time":null"#, ""),
            cdr(r#","end_date_time":"2026-03-10 09:00:00""#, ""),
            cdr(r#","tariffs":{"a":1}"#, ""),
            cdr(r#","tariffs":5"#, ""),
            cdr(
                r#","tariffs":[{"id":"T","currency":"EUR","min_price":{"before_taxes":1},"elements":[{"price_components":[{"type":"ENERGY","price":0.3}]}]}]"#,
                "",
            ),
            cdr(
                r#","tariffs":[{"id":"T","currency":"EUR","elements":[]}]"#,
                "",
            ),
            cdr(r#","tariffs":[3]"#, ""),
            cdr(r#","charging_periods":{}"#, ""),
            cdr(r#","charging_periods":null"#, ""),
            cdr(r#","charging_periods":[1]"#, ""),
            cdr(r#","charging_periods":[{"dimensions":[]}]"#, ""),
            cdr(
                r#","charging_periods":[{"start_date_time":"2026-03-10T08:30:00Z","dimensions":5,"tariff_id":"X"},{"start_date_time":"2026-03-10T08:00:00Z","tariff_id":7}]"#,
                "",
            ),
            cdr(
                "",
                r#",{"type":"time","volume":"0.633333"},{"type":"PARKING_TIME","volume":1E-1}"#,
            ),
            cdr(
                "",
                r#",{"type":"MAX_POWER","volume":22},{"type":"POWER","volume":11},{"type":"current","volume":16},{"type":"MIN_CURRENT","volume":6}"#,
            ),
            cdr("", r#",{"type":"ENERGY","volume":-1}"#),
            cdr(
                "",
                r#",{"type":"ENERGY_EXPORT","volume":-0.5},{"type":"RESERVATION_TIME","volume":0.25}"#,
            ),
            cdr(
                "",
                r#",{"type":"WEIRD","volume":1},{"type":3,"volume":1},{"volume":2},{"type":"ENERGY"}"#,
            ),
            cdr("", r#",{"type":"ENERGY","volume":null}"#),
            cdr("", r#",{"type":"ENERGY","volume":"abc"}"#),
            cdr("", r#",{"type":"ENERGY","volume":1e13}"#),
            cdr("", r#",5,"x",null,[1]"#),
            cdr("", r#",{"type":"ENERGY","volume":0.30000000000000001}"#),
        ];
        let raw = cases.iter().filter(|c| check(c)).count();
        // Only values of a type the models cannot hold go to the `Value` reader.
        assert_eq!(raw, cases.len() - 2);
    }

    #[test]
    fn volumes_are_read_exactly_from_their_text() {
        let text = r#"{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
          "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z","dimensions":[
            {"type":"ENERGY","volume":0.30000000000000001},{"type":"MAX_POWER","volume":12.30},
            {"type":"MIN_POWER","volume":1E-3},{"type":"TIME","volume":123456789012}]}]}"#;
        let policy = PricingPolicy::default();
        let p = parse_cdr_text(text, Some("UTC"), &policy).unwrap().unwrap();
        let period = &p.input.periods[0];
        // Through f64, 0.30000000000000001 would be 0.3 and 12.30 would be 12.3.
        assert_eq!(
            period.energy_kwh.unwrap().to_string(),
            "0.30000000000000001"
        );
        assert_eq!(period.max_power_kw.unwrap().to_string(), "12.30");
        assert_eq!(period.min_power_kw.unwrap().to_string(), "0.001");
        assert_eq!(period.charging_s.unwrap().to_string(), "444444440443200");
    }
}
