//! The FFI forms (feature `uniffi`) of the analytics values that are not plain records: a
//! [`FlagSet`] crosses as the list of its flags, an [`HourOfWeek`] grid as its 7 rows
//! (Monday … Sunday) of 24 hours, a local time of day as its text (`"07:00:00"`).
//!
//! Owns: the UniFFI custom types of analytics (`FlagSet`, `DecimalGrid`, `CountGrid`,
//! `TimeOfDay`). The crate-wide ones (`Energy`, `Power`, `TimeZoneName`, `Weekday`) are in
//! `crate::ffi`.

use super::time::HourOfWeek;
use super::validate::{Flag, FlagSet};
use crate::ffi::ExactDecimal;
use crate::Error;
use rust_decimal::Decimal;

uniffi::custom_type!(FlagSet, Vec<Flag>, {
    lower: |flags| flags.iter().collect(),
    try_lift: |flags| Ok(flags.into_iter().collect()),
});

/// A grid of decimals per local hour of the week: 7 rows (Monday … Sunday) of 24.
pub type DecimalGrid = HourOfWeek<Decimal>;

uniffi::custom_type!(DecimalGrid, Vec<Vec<ExactDecimal>>, {
    lower: |grid| grid.rows(),
    try_lift: |rows| HourOfWeek::from_rows(rows).ok_or_else(not_a_grid),
});

/// A grid of counts per local hour of the week: 7 rows (Monday … Sunday) of 24.
pub type CountGrid = HourOfWeek<u64>;

uniffi::custom_type!(CountGrid, Vec<Vec<u64>>, {
    lower: |grid| grid.rows(),
    try_lift: |rows| HourOfWeek::from_rows(rows).ok_or_else(not_a_grid),
});

/// A local time of day, e.g. `"07:00:00"` (opening hours).
pub type TimeOfDay = chrono::NaiveTime;

uniffi::custom_type!(TimeOfDay, String, {
    remote,
    lower: |time| time.to_string(),
    try_lift: |text| {
        text.parse().map_err(|e| {
            uniffi::deps::anyhow::Error::new(Error::InvalidAnalyticsOptions {
                field: "opening hours".into(),
                reason: format!("{text:?} is not a time of day (HH:MM:SS): {e}"),
            })
        })
    },
});

fn not_a_grid() -> uniffi::deps::anyhow::Error {
    uniffi::deps::anyhow::anyhow!("an hour-of-week grid has 7 rows of 24 values")
}
