//! Time series (prices, CO2, limits, PV, house load) and the interval grid they are read on.
use crate::limits::{quantity_in_range, MAX_PLAN_INTERVALS};
use crate::planning::error::invalid_field;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// Series points live in the foundation (`crate::units`) so that pricing policies can
/// carry price series too; planning re-exports them under their old path.
pub use crate::units::SeriesPoint;

/// Seconds since the epoch.
pub(crate) fn secs(t: &DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// The instant `s` seconds after the epoch.
pub(crate) fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

/// Starts must strictly increase; values must not be negative unless `signed`.
pub(crate) fn check_series(field: &str, series: &[SeriesPoint], signed: bool) -> Result<(), Error> {
    for (i, w) in series.windows(2).enumerate() {
        if w[1].start <= w[0].start {
            return Err(invalid_field(
                format!("{field}[{}].start", i + 1),
                "starts must strictly increase",
            ));
        }
    }
    if let Some(i) = series.iter().position(|p| !quantity_in_range(p.value)) {
        return Err(invalid_field(
            format!("{field}[{i}].value"),
            "is beyond ±10^12 (limits::MAX_QUANTITY)",
        ));
    }
    if !signed {
        if let Some(i) = series
            .iter()
            .position(|p| p.value.is_sign_negative() && !p.value.is_zero())
        {
            return Err(invalid_field(
                format!("{field}[{i}].value"),
                "must not be negative",
            ));
        }
    }
    Ok(())
}

/// The value in force at `t` (None before the first point).
pub(crate) fn value_at(series: &[SeriesPoint], t: i64) -> Option<Decimal> {
    let i = series.partition_point(|p| secs(&p.start) <= t);
    i.checked_sub(1).map(|i| series[i].value)
}

/// The intervals `[a, b)` from `start` to `end`: cut at every multiple of `step` seconds
/// since the epoch (so a 15-minute grid is aligned to quarter hours, and to hourly day-ahead
/// prices) and at every `cuts` instant inside the window.
pub(crate) fn intervals(
    start: i64,
    end: i64,
    step: i64,
    cuts: &[i64],
) -> Result<Vec<(i64, i64)>, Error> {
    check_window(start, end, step, cuts.len())?;
    let mut points = vec![start, end];
    if step > 0 {
        let mut t = start.div_euclid(step) * step + step;
        while t < end {
            points.push(t);
            t += step;
        }
    }
    points.extend(cuts.iter().copied().filter(|t| *t > start && *t < end));
    points.sort_unstable();
    points.dedup();
    Ok(points.windows(2).map(|w| (w[0], w[1])).collect())
}

/// `TooLarge` when a window from `start` to `end` cut every `step` seconds and at `cuts`
/// more instants could have more than [`MAX_PLAN_INTERVALS`] intervals: checked before
/// anything is laid out over the window.
pub(crate) fn check_window(start: i64, end: i64, step: i64, cuts: usize) -> Result<(), Error> {
    let grid = match step {
        s if s > 0 => (end.saturating_sub(start) / s).max(0),
        _ => 0,
    };
    let count = usize::try_from(grid)
        .unwrap_or(usize::MAX)
        .saturating_add(cuts);
    crate::limits::check(
        || format!("plan intervals from {} to {}", at(start), at(end)),
        count,
        MAX_PLAN_INTERVALS,
        "MAX_PLAN_INTERVALS",
    )
}

/// Floors to a multiple of 0.1 (OCPP 1.6 limits; a floored limit never exceeds the value).
pub(crate) fn floor_01(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::ToNegativeInfinity)
}

/// Ceils to a multiple of 0.1.
pub(crate) fn ceil_01(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::ToPositiveInfinity)
}

/// Energy in Wh of `power_w` over `s` seconds, to the µWh.
pub(crate) fn energy_wh(power_w: Decimal, s: i64) -> Decimal {
    (power_w * Decimal::from(s) / Decimal::from(3600)).round_dp(6)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn grid_is_aligned_and_cut() {
        // 22:10 .. 23:05 on a 15-minute grid, cut at 22:40.
        let base = 1_773_180_000; // 2026-03-10T22:00:00Z
        let iv = intervals(base + 600, base + 3900, 900, &[base + 2400]).unwrap();
        let starts: Vec<i64> = iv.iter().map(|(a, _)| (a - base) / 60).collect();
        assert_eq!(starts, [10, 15, 30, 40, 45, 60]);
        assert_eq!(iv.last().map(|(_, b)| (b - base) / 60), Some(65));
    }
}
