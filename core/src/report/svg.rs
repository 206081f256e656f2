//! The report's charts as inline SVG: hour-of-week heatmaps and an hour-of-day bar chart.
//! Shades come from a fixed 9-step sequential palette so that the page needs no script.

use maud::{html, Markup};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// ColorBrewer's 9-class "Blues", light to dark: readable in print and for most colour
/// vision deficiencies.
const PALETTE: [&str; 9] = [
    "#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c",
    "#08306b",
];
const CELL: u32 = 24;
const LEFT: u32 = 40;
const TOP: u32 = 18;

/// The palette step of `value` on a scale up to `max`: 0 only for zero, so that a little
/// use never looks like none.
pub(super) fn shade(value: Decimal, max: Decimal) -> usize {
    if value <= Decimal::ZERO || max <= Decimal::ZERO {
        return 0;
    }
    let step = value
        .checked_mul(Decimal::from(8))
        .and_then(|v| v.checked_div(max))
        .map_or(8, |v| v.ceil().to_usize().unwrap_or(8));
    step.clamp(1, 8)
}

/// One heatmap cell: its value on the colour scale and the tooltip text.
pub(super) struct Cell {
    pub value: Decimal,
    pub label: String,
}

/// A 7 × 24 heatmap (Monday first, local hours), `max` the top of the colour scale.
pub(super) fn heatmap(id: &str, caption: &str, cells: &[Cell], max: Decimal) -> Markup {
    let width = LEFT + 24 * CELL + 4;
    let height = TOP + 7 * CELL + 4;
    html! {
        svg class="heatmap" id=(id) xmlns="http://www.w3.org/2000/svg" role="img"
            aria-label=(caption) width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) {
            title { (caption) }
            @for hour in (0..24).step_by(3) {
                text class="axis" x=(LEFT + hour * CELL + CELL / 2) y=(TOP - 5) text-anchor="middle" {
                    (format!("{hour:02}"))
                }
            }
            @for (i, cell) in cells.iter().enumerate() {
                @let (day, hour) = weekday_hour(i);
                @if hour == 0 {
                    text class="axis" x=(LEFT - 6) y=(TOP + row(i) * CELL + CELL / 2 + 4) text-anchor="end" {
                        (day)
                    }
                }
                rect class="cell" x=(LEFT + hour * CELL) y=(TOP + row(i) * CELL)
                    width=(CELL - 2) height=(CELL - 2) rx="2"
                    fill=(PALETTE[shade(cell.value, max)]) {
                    title { (cell.label) }
                }
            }
        }
    }
}

/// The weekday and local hour of hour-of-week bucket `i` (Monday 00:00 is 0).
pub(super) fn weekday_hour(i: usize) -> (chrono::Weekday, u32) {
    let day = u8::try_from(i / 24)
        .ok()
        .and_then(|d| chrono::Weekday::try_from(d).ok());
    (day.unwrap_or(chrono::Weekday::Sun), (i % 24) as u32)
}

fn row(i: usize) -> u32 {
    (i / 24) as u32
}

/// The colour scale under a heatmap: from `low` to `high`.
pub(super) fn legend(low: &str, high: &str) -> Markup {
    html! {
        div class="legend" {
            span { (low) }
            svg xmlns="http://www.w3.org/2000/svg" width="180" height="12" viewBox="0 0 180 12" aria-hidden="true" {
                @for (i, colour) in PALETTE.iter().enumerate() {
                    rect x=(i * 20) y="0" width="20" height="12" fill=(colour) {}
                }
            }
            span { (high) }
        }
    }
}

/// Bars of shares in [0, 1], one per local hour of the day.
pub(super) fn hour_bars(id: &str, caption: &str, shares: &[(Decimal, String)]) -> Markup {
    const BAR: u32 = 28;
    const PLOT: u32 = 120;
    let width = LEFT + 24 * BAR + 4;
    let height = PLOT + 40;
    let height_of = |share: Decimal| {
        share
            .clamp(Decimal::ZERO, Decimal::ONE)
            .checked_mul(Decimal::from(PLOT))
            .and_then(|h| h.round().to_u32())
            .unwrap_or(0)
    };
    html! {
        svg class="bars" id=(id) xmlns="http://www.w3.org/2000/svg" role="img"
            aria-label=(caption) width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) {
            title { (caption) }
            @for pct in [0u32, 50, 100] {
                @let y = 10 + PLOT - PLOT * pct / 100;
                line class="grid" x1=(LEFT) x2=(width - 4) y1=(y) y2=(y) {}
                text class="axis" x=(LEFT - 6) y=(y + 4) text-anchor="end" { (pct) "%" }
            }
            @for (hour, (share, label)) in shares.iter().enumerate() {
                @let h = height_of(*share);
                @let x = LEFT + hour as u32 * BAR;
                rect class="bar" x=(x + 3) y=(10 + PLOT - h) width=(BAR - 6) height=(h) {
                    title { (label) }
                }
                @if hour % 3 == 0 {
                    text class="axis" x=(x + BAR / 2) y=(PLOT + 26) text-anchor="middle" {
                        (format!("{hour:02}"))
                    }
                }
            }
        }
    }
}

/// A small horizontal bar for a share in [0, 1], used in table cells.
pub(super) fn share_bar(share: Decimal) -> Markup {
    let w = share
        .clamp(Decimal::ZERO, Decimal::ONE)
        .checked_mul(Decimal::from(80))
        .and_then(|w| w.round().to_u32())
        .unwrap_or(0);
    html! {
        svg class="share" xmlns="http://www.w3.org/2000/svg" width="82" height="10" viewBox="0 0 82 10" aria-hidden="true" {
            rect x="0" y="0" width="82" height="10" fill="#eef2f7" {}
            rect x="1" y="1" width=(w) height="8" fill="#2171b5" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn shades_keep_zero_apart_and_top_out_at_the_max() {
        assert_eq!(shade(dec!(0), dec!(1)), 0);
        assert_eq!(shade(dec!(0.001), dec!(1)), 1);
        assert_eq!(shade(dec!(0.5), dec!(1)), 4);
        assert_eq!(shade(dec!(0.51), dec!(1)), 5);
        assert_eq!(shade(dec!(1), dec!(1)), 8);
        assert_eq!(shade(dec!(3), dec!(1)), 8);
        assert_eq!(shade(dec!(5), dec!(0)), 0);
    }
}
