//! Every size limit chargekit puts on its input, in one place, so that no input can make it
//! use unbounded memory, stack or time, or overflow its arithmetic. Exceeding a limit is
//! always a typed error that names it, never a cut-short result; `docs/limits.md` lists
//! them with their errors.
//!
//! Owns: the limit constants, [`check`], [`quantity_in_range`] and the table [`all`] the
//! bindings publish. Imports: `error`.
//!
//! | constant | bounds | error |
//! |---|---|---|
//! | [`MAX_LOG_BYTES`] | one OCPP log, bytes | `InputTooLarge` |
//! | [`MAX_JSON_DEPTH`] | nesting of any JSON (text, or objects handed over by a binding) | the input's JSON error; `TooLarge` from a binding |
//! | [`MAX_RECORD_LEN`] | one OCMF record or signed-data container, bytes | `SignedDataTooLarge` |
//! | [`MAX_CONTAINER_DEPTH`] | signed data wrapped in signed data | `SignedDataContainer` |
//! | [`MAX_SESSION_READINGS`] | meter readings of one session | `TooLarge` |
//! | [`MAX_SCHEDULE_PERIODS`] | the highest `max_periods` (ChargingScheduleMaxPeriods) a station takes | `InvalidStationConfig` |
//! | [`MAX_COMPOSITE_DURATION_S`] | the window of one composite schedule | `CompositeTooLong` |
//! | [`MAX_COMPOSITE_PERIODS`] | periods of one composite schedule | `TooLarge` |
//! | [`MAX_PLAN_INTERVALS`] | intervals of a charging plan or a site allocation | `TooLarge` |
//! | [`MAX_GENERATED_SESSIONS`] | sessions the sample generator is asked for | `TooLarge` |
//! | [`MAX_ACCUMULATOR_BYTES`] | an analytics accumulator read from bytes | `TooLarge` |
//! | [`MAX_QUANTITY`] | the magnitude of a tariff price, CDR volume, OCMF value, plan price, power or energy, or a charging preference | the input's field error |
//!
//! ```
//! use chargekit::limits;
//! assert_eq!(limits::MAX_COMPOSITE_DURATION_S, 366 * 86_400);
//! assert!(limits::MAX_COMPOSITE_PERIODS >= 366 * 1024); // a daily 1024-period profile fits
//! ```

use rust_decimal::Decimal;
use serde::Serialize;

/// Largest OCPP log accepted in one call, bytes (512 MiB). Bigger inputs are fed in parts.
pub const MAX_LOG_BYTES: usize = 512 * 1024 * 1024;

/// Deepest nesting of JSON arrays and objects read: serde_json's recursion limit, which
/// every JSON text meets as a parse error. Bindings hold objects they convert to this
/// depth too (`TooLarge`), so that no input can exhaust the stack.
pub const MAX_JSON_DEPTH: usize = 128;

/// Largest signed-data input, bytes (64 KiB). Real records are below 5 KB (OCPI limits
/// `signed_data` to 5000 characters); a payload may carry a certificate in a vendor key,
/// hence the margin.
pub const MAX_RECORD_LEN: usize = 64 * 1024;

/// Most levels of signed data found inside signed data (e.g. OCMF in an OCPP
/// `SignedMeterValue` in an OCPI `signed_data`).
pub const MAX_CONTAINER_DEPTH: u8 = 3;

/// Most meter readings in one session (one million: a reading every second for eleven
/// days). A session with more is `TooLarge` when it is derived.
pub const MAX_SESSION_READINGS: usize = 1_000_000;

/// The highest `ChargingScheduleMaxPeriods` a station may be configured with. OCPP 2.x
/// schemas allow 1024 periods per schedule, the default.
pub const MAX_SCHEDULE_PERIODS: u32 = 65_536;

/// The longest composite schedule chargekit computes: 366 days. A schedule is one period per
/// change of limit, so its size grows with its duration (a daily recurring profile of 96
/// periods gives about 35,000 periods over this limit); longer requests are
/// `CompositeTooLong`, never cut short.
pub const MAX_COMPOSITE_DURATION_S: i64 = 366 * 86_400;

/// Most periods in one composite schedule (one million: every profile of a station may
/// recur daily over [`MAX_COMPOSITE_DURATION_S`]). A request that would need more is
/// `TooLarge`.
pub const MAX_COMPOSITE_PERIODS: usize = 1_000_000;

/// Most intervals in one charging plan or site allocation (a year in 15-minute intervals is
/// 35,136; two months in one-minute intervals 87,840). A window that could need more is
/// `TooLarge` before anything is laid out over it.
pub const MAX_PLAN_INTERVALS: usize = 100_000;

/// Most sessions the sample generator makes in one call (ports × days × arrivals a
/// port-day, counting at least one arrival a port-day): ten million.
pub const MAX_GENERATED_SESSIONS: usize = 10_000_000;

/// Largest analytics accumulator read from bytes (`SiteAccumulator::from_bytes`): 1 GiB,
/// some 15 million sessions at about 60 bytes each. A partial is decoded into memory
/// whole, so this bounds what one call can allocate.
pub const MAX_ACCUMULATOR_BYTES: usize = 1024 * 1024 * 1024;

/// The largest magnitude of a quantity read from tariffs, CDRs, OCMF records and plan
/// requests: 10¹² (a terawatt-hour in Wh, a trillion in a currency). Products of two such
/// values and sums of many stay far inside `Decimal`'s range (about 7.9 × 10²⁸), so that
/// pricing and planning arithmetic cannot overflow.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);

/// Whether `v` is within [`MAX_QUANTITY`] in magnitude.
///
/// ```
/// use chargekit::limits::{quantity_in_range, MAX_QUANTITY};
/// use rust_decimal::Decimal;
/// assert_eq!(MAX_QUANTITY.to_string(), "1000000000000");
/// assert!(quantity_in_range(-MAX_QUANTITY));
/// assert!(!quantity_in_range(Decimal::MAX));
/// ```
pub fn quantity_in_range(v: Decimal) -> bool {
    v.abs() <= MAX_QUANTITY
}

/// `Ok` when `size` is within `limit`, else [`Error::TooLarge`](crate::Error::TooLarge)
/// naming the limit's constant; `what` says what was counted and is only built on failure.
///
/// ```
/// use chargekit::limits::{check, MAX_SESSION_READINGS};
/// assert!(check(|| "readings".into(), 10, MAX_SESSION_READINGS, "MAX_SESSION_READINGS").is_ok());
/// let e = check(|| "readings of session CP/7".into(), 11, 10, "MAX_SESSION_READINGS").unwrap_err();
/// assert_eq!(e.kind(), "too_large");
/// assert_eq!(e.to_string(), "readings of session CP/7: 11 exceeds the limit of 10 (MAX_SESSION_READINGS)");
/// ```
pub fn check(
    what: impl FnOnce() -> String,
    size: usize,
    limit: usize,
    name: &str,
) -> Result<(), crate::Error> {
    if size <= limit {
        return Ok(());
    }
    Err(crate::Error::TooLarge {
        what: what(),
        size: crate::error::wide(size),
        limit: crate::error::wide(limit),
        name: name.into(),
    })
}

/// One limit as the bindings publish it (`chargekit.LIMITS` in Python, `limits()` in Kotlin
/// and Swift): the constant's name and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Limit {
    /// The constant, e.g. `MAX_SESSION_READINGS`, as `TooLarge` names it.
    pub name: String,
    /// Its value (bytes, levels, counts, seconds or a magnitude).
    pub value: Decimal,
}

/// Every limit of this module, in the order of `docs/limits.md`.
///
/// ```
/// let all = chargekit::limits::all();
/// assert_eq!(all.len(), 12);
/// assert!(all.iter().any(|l| l.name == "MAX_JSON_DEPTH" && l.value == 128.into()));
/// ```
pub fn all() -> Vec<Limit> {
    // The name is the constant's own (stringify!), so the two cannot drift apart.
    macro_rules! limits {
        ($($name:ident),+ $(,)?) => {
            vec![$(Limit { name: stringify!($name).into(), value: Decimal::from($name) }),+]
        };
    }
    limits![
        MAX_LOG_BYTES,
        MAX_JSON_DEPTH,
        MAX_RECORD_LEN,
        MAX_CONTAINER_DEPTH,
        MAX_SESSION_READINGS,
        MAX_SCHEDULE_PERIODS,
        MAX_COMPOSITE_DURATION_S,
        MAX_COMPOSITE_PERIODS,
        MAX_PLAN_INTERVALS,
        MAX_GENERATED_SESSIONS,
        MAX_ACCUMULATOR_BYTES,
        MAX_QUANTITY,
    ]
}
