//! Exact conversions of single values: decimals to and from `decimal128` integers, instants
//! to and from timestamp integers. Nothing is rounded: what does not fit is an error.

use super::DECIMAL_SCALE;
use crate::Error;
use arrow_schema::TimeUnit;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// The largest scale `rust_decimal` holds.
const MAX_DECIMAL_SCALE: u32 = 28;

/// Where a value sits, for the error that names it.
#[derive(Clone, Copy)]
pub(crate) struct Cell<'a> {
    pub column: &'a str,
    pub row: usize,
}

impl Cell<'_> {
    pub(crate) fn error(self, reason: impl Into<String>) -> Error {
        Error::ArrowValue {
            column: self.column.into(),
            row: u64::try_from(self.row).unwrap_or(u64::MAX),
            reason: reason.into(),
        }
    }
}

/// `value` as the unscaled integer of a `decimal128(38, DECIMAL_SCALE)` column.
pub(crate) fn decimal_to_raw(value: Decimal, cell: Cell<'_>) -> Result<i128, Error> {
    let v = value.normalize();
    let target = u32::from(DECIMAL_SCALE.unsigned_abs());
    if v.scale() > target {
        return Err(cell.error(format!(
            "{value} needs {} decimal places; the column has {target}",
            v.scale()
        )));
    }
    // A 96-bit mantissa times at most 10^6 stays below 10^38: no overflow is possible.
    Ok(v.mantissa() * 10i128.pow(target - v.scale()))
}

/// The decimal held by a `decimal128` integer at `scale` (any scale the column declares).
pub(crate) fn raw_to_decimal(raw: i128, scale: i8, cell: Cell<'_>) -> Result<Decimal, Error> {
    let (mut raw, mut scale) = (raw, i32::from(scale));
    if scale < 0 {
        let factor = 10i128
            .checked_pow(scale.unsigned_abs())
            .ok_or_else(|| cell.error("the column's negative scale is out of range"))?;
        raw = raw
            .checked_mul(factor)
            .ok_or_else(|| cell.error("the value is out of range"))?;
        scale = 0;
    }
    // Trailing zeros beyond what rust_decimal holds carry no information: drop them.
    while scale > MAX_DECIMAL_SCALE as i32 && raw % 10 == 0 {
        raw /= 10;
        scale -= 1;
    }
    let scale = u32::try_from(scale).unwrap_or(u32::MAX);
    Decimal::try_from_i128_with_scale(raw, scale)
        .map(|d| d.normalize())
        .map_err(|_| {
            cell.error(format!(
                "{raw}e-{scale} does not fit a 96-bit decimal with at most 28 decimal places"
            ))
        })
}

/// `at` as microseconds since the epoch; sub-microsecond parts are an error, not dropped.
pub(crate) fn instant_to_micros(at: DateTime<Utc>, cell: Cell<'_>) -> Result<i64, Error> {
    if at.timestamp_subsec_nanos() % 1_000 != 0 {
        return Err(cell.error(format!(
            "{} has nanoseconds; the column holds microseconds",
            at.to_rfc3339()
        )));
    }
    Ok(at.timestamp_micros())
}

/// The instant held by a timestamp integer of `unit`.
pub(crate) fn raw_to_instant(
    raw: i64,
    unit: TimeUnit,
    cell: Cell<'_>,
) -> Result<DateTime<Utc>, Error> {
    let at = match unit {
        TimeUnit::Second => DateTime::from_timestamp(raw, 0),
        TimeUnit::Millisecond => DateTime::from_timestamp_millis(raw),
        TimeUnit::Microsecond => DateTime::from_timestamp_micros(raw),
        TimeUnit::Nanosecond => Some(DateTime::from_timestamp_nanos(raw)),
    };
    at.ok_or_else(|| {
        cell.error(format!(
            "{raw} {unit:?}s is out of the supported time range"
        ))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    const CELL: Cell<'static> = Cell {
        column: "energy_wh",
        row: 3,
    };

    #[test]
    fn decimals_cross_exactly_or_not_at_all() {
        assert_eq!(decimal_to_raw(dec!(12.30), CELL).unwrap(), 12_300_000);
        assert_eq!(decimal_to_raw(dec!(-0.000001), CELL).unwrap(), -1);
        let err = decimal_to_raw(dec!(0.0000001), CELL).unwrap_err();
        assert_eq!(err.kind(), "arrow_value");
        assert!(err.to_string().contains("needs 7 decimal places"), "{err}");
        assert_eq!(
            raw_to_decimal(12_300_000, 6, CELL).unwrap().to_string(),
            "12.3"
        );
        assert_eq!(raw_to_decimal(5, -3, CELL).unwrap(), dec!(5000));
        assert_eq!(raw_to_decimal(10i128.pow(31), 31, CELL).unwrap(), dec!(1));
        assert!(raw_to_decimal(i128::MAX, 0, CELL).is_err());
        assert!(raw_to_decimal(123, 30, CELL).is_err());
    }

    #[test]
    fn instants_keep_microseconds_and_refuse_nanoseconds() {
        let at = DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
        let micros = instant_to_micros(at, CELL).unwrap();
        assert_eq!(
            raw_to_instant(micros, TimeUnit::Microsecond, CELL).unwrap(),
            at
        );
        let ns = DateTime::from_timestamp(1_700_000_000, 1).unwrap();
        assert_eq!(
            instant_to_micros(ns, CELL).unwrap_err().kind(),
            "arrow_value"
        );
        assert_eq!(
            raw_to_instant(1_700_000_000, TimeUnit::Second, CELL).unwrap(),
            DateTime::from_timestamp(1_700_000_000, 0).unwrap()
        );
        assert!(raw_to_instant(i64::MAX, TimeUnit::Second, CELL).is_err());
    }
}
