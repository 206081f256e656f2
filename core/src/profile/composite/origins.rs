//! Where a profile's occurrences start (`docs/charging-profiles.md` §2.1).

use super::Ctx;
use crate::profile::options::{RecurringBeforeStart, RelativeWithoutTx};
use crate::profile::store::SmartChargingStation;
use crate::profile::validate::Anchor;

/// The origins of a profile's occurrences that can reach into the window, in time order:
/// at most one, except for a Recurring profile (one per recurrence from the one in force
/// at the request time).
pub(super) enum Origins {
    /// At most one origin.
    Once(Option<i64>),
    /// Every `period` seconds from `next`, before `end` (the end of the window).
    Every { next: i64, period: i64, end: i64 },
}

impl Origins {
    pub(super) fn of(
        st: &SmartChargingStation,
        ctx: &Ctx,
        anchor: Anchor,
        tx_start: Option<i64>,
    ) -> Self {
        let opts = st.options();
        match anchor {
            Anchor::At(t) => Origins::Once(Some(t)),
            Anchor::RequestTime => Origins::Once(Some(ctx.now)),
            Anchor::Relative => Origins::Once(match (tx_start, opts.relative_without_tx) {
                (Some(t), _) => Some(t),
                (None, RelativeWithoutTx::AnchorAtRequest) => Some(ctx.now),
                (None, RelativeWithoutTx::Skip) => None,
            }),
            Anchor::Dynamic { expires } => Origins::Once(match expires {
                Some(e) if ctx.now > e => None,
                _ => Some(ctx.now),
            }),
            Anchor::Recurring { start, period } => {
                let first = ctx.now - (ctx.now - start).rem_euclid(period);
                // `first` is `start` plus whole periods: when it is before `start`, the
                // first occurrence from `start` on is `start` itself.
                let next = match opts.recurring_before_start {
                    RecurringBeforeStart::Apply => first,
                    RecurringBeforeStart::Ignore => first.max(start),
                };
                Origins::Every {
                    next,
                    period,
                    end: ctx.end,
                }
            }
        }
    }
}

impl Iterator for Origins {
    type Item = i64;

    fn next(&mut self) -> Option<i64> {
        match self {
            Origins::Once(o) => o.take(),
            Origins::Every { next, period, end } => (*next < *end).then(|| {
                let o = *next;
                *next += *period;
                o
            }),
        }
    }
}
