//! UniFFI scaffolding of the core (feature `uniffi`): the component namespace and the
//! custom types FFI-shaped records use (exact decimals, instants, string maps, charging
//! profiles as JSON text).
//!
//! Owns: the UniFFI namespace and the custom types of the foundation (feature `uniffi`).
//! Imports: `units` and `calendar`; custom types of a domain live in its module (e.g.
//! `profile::ChargingProfileJson`, `tariff::OcpiTariffJson`).
//!
//! `ExactDecimal` crosses as its plain decimal text (`"12.30"`), so scale and digits are
//! kept; `UtcInstant` as a UniFFI timestamp. The bindings' `uniffi.toml` maps them to
//! `java.math.BigDecimal` / Foundation `Decimal` and `java.time.Instant` / `Date`. The
//! decimal type is not called `Decimal`: generated Swift would declare
//! `typealias Decimal = String` and shadow Foundation's type.
//!
//! Built on them: `Energy` and `Power` cross as exact decimals in Wh and W; a time zone as
//! its IANA name (`TimeZoneName`, refused with `UnknownTimezone` when unknown); a chrono
//! weekday as the core's `DayOfWeek` (`Weekday`).

use crate::calendar::{parse_timezone, DayOfWeek};
use crate::units::{Energy, Power};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An exact decimal number at the FFI boundary.
pub type ExactDecimal = Decimal;

/// A moment in UTC at the FFI boundary.
pub type UtcInstant = DateTime<Utc>;

uniffi::custom_type!(ExactDecimal, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |text| decimal_from_text(&text),
});

/// Text keyed by text, in key order (vendor fields kept as JSON text, options by name):
/// a `Map<String, String>` in Kotlin, `[String: String]` in Swift.
pub type StringMap = BTreeMap<String, String>;

uniffi::custom_type!(StringMap, HashMap<String, String>, {
    remote,
    lower: |m| m.into_iter().collect(),
    try_lift: |m| Ok(m.into_iter().collect()),
});

uniffi::custom_type!(UtcInstant, SystemTime, {
    remote,
    lower: |t| SystemTime::from(t),
    try_lift: |t| instant_from_system_time(t),
});

// An energy at the FFI boundary: an exact decimal in Wh.
uniffi::custom_type!(Energy, ExactDecimal, {
    lower: |e| e.wh(),
    try_lift: |wh| Ok(Energy::from_wh(wh)),
});

// A power at the FFI boundary: an exact decimal in W.
uniffi::custom_type!(Power, ExactDecimal, {
    lower: |p| p.w(),
    try_lift: |w| Ok(Power::from_w(w)),
});

/// An IANA time zone at the FFI boundary, by name (`"Europe/Berlin"`).
pub type TimeZoneName = chrono_tz::Tz;

uniffi::custom_type!(TimeZoneName, String, {
    remote,
    lower: |tz| tz.name().to_string(),
    try_lift: |name| parse_timezone(&name).map_err(uniffi::deps::anyhow::Error::new),
});

/// A weekday at the FFI boundary: the core's [`DayOfWeek`] (`MONDAY` … `SUNDAY`).
pub type Weekday = chrono::Weekday;

uniffi::custom_type!(Weekday, DayOfWeek, {
    remote,
    lower: |day| DayOfWeek::from_chrono(day),
    try_lift: |day| {
        u8::try_from(day.index())
            .ok()
            .and_then(|i| chrono::Weekday::try_from(i).ok())
            .ok_or_else(|| uniffi::deps::anyhow::anyhow!("no weekday {day:?}"))
    },
});

/// Parses the text of a foreign decimal, refusing anything that would lose digits.
fn decimal_from_text(text: &str) -> uniffi::Result<Decimal> {
    Decimal::from_str_exact(text.trim()).map_err(|e| {
        uniffi::deps::anyhow::anyhow!(
            "{text:?} is not a decimal that chargekit can hold exactly \
             (at most 28 digits after the point, magnitude below 7.9e28): {e}"
        )
    })
}

/// Converts a foreign timestamp, refusing instants outside chrono's range
/// (year ±262 143) instead of panicking as chrono's `From<SystemTime>` would.
fn instant_from_system_time(t: SystemTime) -> uniffi::Result<DateTime<Utc>> {
    let converted = match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs())
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, after.subsec_nanos())),
        Err(e) => before_epoch(e.duration()),
    };
    converted.ok_or_else(|| {
        uniffi::deps::anyhow::anyhow!("instant {t:?} is outside the supported range")
    })
}

fn before_epoch(d: Duration) -> Option<DateTime<Utc>> {
    let secs = i64::try_from(d.as_secs()).ok()?;
    match d.subsec_nanos() {
        0 => DateTime::from_timestamp(secs.checked_neg()?, 0),
        nanos => {
            DateTime::from_timestamp(secs.checked_neg()?.checked_sub(1)?, 1_000_000_000 - nanos)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_scale_and_refuse_precision_loss() {
        let d = decimal_from_text("12.30").ok();
        assert_eq!(d.map(|d| d.to_string()), Some("12.30".to_string()));
        assert!(decimal_from_text("0.12345678901234567890123456789").is_err());
        assert!(decimal_from_text("99999999999999999999999999999999").is_err());
        assert!(decimal_from_text("twelve").is_err());
    }

    #[test]
    fn instants_round_trip_on_both_sides_of_the_epoch() {
        for text in [
            "2026-03-10T08:00:00.123456789Z",
            "1969-12-31T23:59:59.5Z",
            "1900-01-01T00:00:00Z",
        ] {
            let t: DateTime<Utc> = text.parse().ok().unwrap_or_default();
            let back = instant_from_system_time(SystemTime::from(t)).ok();
            assert_eq!(back, Some(t), "{text}");
        }
    }

    #[test]
    fn instants_out_of_range_are_errors_not_panics() {
        let far = UNIX_EPOCH.checked_add(Duration::from_secs(1 << 62));
        if let Some(far) = far {
            assert!(instant_from_system_time(far).is_err());
        }
    }
}
