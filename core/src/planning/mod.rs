//! Smart charging: cost-optimal charging plans for one session, and load sharing on a
//! site (issue #7).
//!
//! Owns: charging plans for one session and load sharing on a site. Imports: `billing`,
//! `tariff`, `profile`, `calendar` and the foundation.
//!
//! * [`plan`] plans one session from its need, its departure, the EV's and EVSE's limits,
//!   the limits already in force (e.g. the composite schedule, [`limits_from_composite`])
//!   and a price signal (a day-ahead series or an OCPI tariff priced by the tariff engine),
//!   with CO2 as an optional second objective. Strategies: [`PlanStrategy`]; the result
//!   ([`Plan`]) has the per-interval plan, its expected cost, whether the need is met
//!   (with the shortfall otherwise) and an Absolute TxProfile for the profile engine.
//!   The model and the optimality argument follow below.
//!
//! * [`allocate`] shares a site's capacity (grid connection → groups/feeders → EVSEs, with
//!   limits per phase in A or in W, PV and house load) among the sessions present, over
//!   time, with a named [`SharingStrategy`]; the result ([`SiteAllocation`]) has the
//!   allocation per interval (per EVSE, per group and phase), each session's outcome, a
//!   TxProfile per session and a ChargingStationMaxProfile per station. Re-plan by calling
//!   it again from now with the remaining needs when a car arrives or leaves. Strategies:
//!   `EqualShare` (water-filling) and `EarliestDeadlineFirst` share each interval on its
//!   own and ignore prices; `Cheapest` serves sessions in departure order, each with the
//!   cheapest plan (the greedy below) of the capacity the earlier ones left, in whole
//!   intervals at or above the minimum rate (see [`SharingStrategy::Cheapest`] for the
//!   algorithm and its limits: it is not a site-wide optimum).
//!
//! Requests and results cross bindings as JSON too: [`PlanRequest::from_json`],
//! [`Plan::to_json`].
//!
//! ```
//! use chargekit::planning::{plan, PlanRequest, SeriesPoint};
//! use rust_decimal::Decimal;
//! let t = |s: &str| s.parse().unwrap();
//! let mut r = PlanRequest::new(t("2026-03-10T22:00:00Z"), t("2026-03-11T06:00:00Z"),
//!     Decimal::from(22_000), Decimal::from(11_000));
//! r.prices = (0..8).map(|h| SeriesPoint::new(t("2026-03-10T22:00:00Z") + chrono::Duration::hours(h),
//!     Decimal::new([30, 25, 18, 12, 11, 15, 22, 28][h as usize], 2))).collect();
//! let p = plan(&r).unwrap();
//! assert!(p.feasible && p.optimal);
//! // 2 h at 11 kW in the two cheapest hours (01:00-03:00 at 0.12 and 0.11 €/kWh).
//! assert_eq!(p.expected_cost, Decimal::new(253, 2));
//! assert_eq!(p.profile.charging_schedule[0].charging_schedule_period[1].start_period, 3 * 3600);
//! ```
//!
//! # Plans
//!
//! ## Model
//!
//! The window `[start, departure)` is cut into intervals (the grid of `interval_s`, aligned
//! to the epoch, also cut at every price, CO2, limit and tariff boundary, so that price and
//! limit are constant inside an interval). Interval `k` lasts `d_k` hours and allows at most
//! `u_k` W: the least of the EV's and the EVSE's maximum and the limit in force
//! (`limits_w`, e.g. the composite schedule), floored to 0.1 W. The plan chooses the energy
//! `e_k ∈ [0, u_k·d_k]` of every interval with `Σ e_k = need` (or as much as fits) and
//! minimum `Σ c_k·e_k`, where `c_k` is the interval's price per kWh.
//!
//! **minChargingRate.** A power in `(0, m)` is never planned (m = the larger of the EV's
//! and the EVSE's minimum). An interval with `u_k < m` cannot charge (pause). An energy
//! `e_k < m·d_k` is delivered at a rate of at least `m` during only part of the interval
//! (whole seconds, adjacent to the neighbouring charging interval where there is one), and
//! a pause for the rest: the interval is then two rows of [`Plan::intervals`]. So every
//! energy in `[0, u_k·d_k]` stays reachable and the problem stays linear.
//!
//! **Rounding.** Powers are multiples of 0.1 W (what OCPP 1.6 accepts); a partly used
//! interval's power is rounded *up* to 0.1 W (never above `u_k`), so the planned energy is
//! at least the need (by less than 0.1 W × the interval). Energies are kept to the µWh.
//! A need counts as met when the shortfall is below [`FEASIBILITY_TOLERANCE_WH`].
//!
//! ## Strategies and why `Cheapest` is optimal
//!
//! [`PlanStrategy::Cheapest`] fills the intervals in order of increasing price, each up to
//! `u_k·d_k`, until the need is met. This is the exact optimum of the linear problem
//! (fractional knapsack). Exchange argument: take an optimal plan in which a cheaper
//! interval `i` is not full (`e_i < u_i·d_i`) while a dearer interval `j` (`c_j > c_i`)
//! carries energy. Moving `δ = min(u_i·d_i − e_i, e_j) > 0` from `j` to `i` keeps every
//! bound and the total, and changes the cost by `δ·(c_i − c_j) < 0`: a contradiction. So
//! an optimal plan fills cheaper intervals before dearer ones, which is what the greedy
//! does; ties in price are broken by CO2 intensity, then by time (earlier first). Because
//! minChargingRate is handled by partial-interval charging (above), it does not change the
//! set of reachable energies, and the greedy stays exact with it.
//!
//! [`PlanStrategy::AsLateAsPossible`] needs no price: it fills from the departure backwards.
//! [`PlanStrategy::Contiguous`] charges in one block of consecutive intervals: every block
//! is tried (each interval inside the block carries at least `m·d_k`, the block's first
//! and last may carry less, partly), filled cheapest-first; the cheapest block wins (exact
//! by enumeration, O(n³)). `max_switches` (with `Cheapest` or `Contiguous`) bounds the
//! changes between charging and pausing: on-sets are enumerated exhaustively when at most
//! [`EXACT_SEARCH_MAX_INTERVALS`] intervals can charge (exact), else candidates come from a
//! Lagrangian dynamic programme over intervals (for each price threshold λ, the on-set
//! maximising `Σ (λ − c_k)·u_k·d_k` with at most `max_switches` switches), which is a
//! heuristic; [`Plan::optimal`] says which applied.
//!
//! ## Prices
//!
//! * A **price series** (e.g. day-ahead, currency per kWh): `c_k` is the price in force;
//!   [`Plan::expected_cost`] is `Σ e_k·c_k`, exact.
//! * An **OCPI tariff**: `c_k` is the ENERGY price of the element that applies at the start
//!   of interval `k` (local time, weekday, date; power restrictions matched at `u_k`), plus
//!   its TIME price per hour divided by `u_k` in kW (the time cost per kWh when charging at
//!   full power). kWh-threshold restrictions are matched at 0 kWh, and FLAT fees, PARKING
//!   time, step sizes and min/max price, which do not depend on *when* the energy is
//!   charged (or not linearly), are not part of the ranking. [`Plan::expected_cost`] is what
//!   the tariff engine ([`crate::billing::price_input`]) bills for the plan, with all of
//!   them: pauses are priced as parking, charging rows with their energy, time and power.
//! * A **CO2 series** (g/kWh) is a second objective: with `co2_weight` (currency per kg)
//!   it is added to the price (`c_k + weight·co2_k/1000`, a weighted sum, still linear, so
//!   still exact); without a weight it only breaks ties in price (lexicographic).

mod error;
mod grid;
mod plan;
mod site;
mod solve;
pub use grid::SeriesPoint;
pub use plan::{
    limits_from_composite, plan, Plan, PlanRequest, PlanStrategy, PlannedInterval, PowerLimits,
    ProfileSettings, SocNeed, FEASIBILITY_TOLERANCE_WH,
};
pub use site::{
    allocate, evse_schedules, AllocationRequest, EvseLoad, EvseSchedule, GroupLoad, ProfileToSend,
    SessionOutcome, SharingStrategy, Site, SiteAllocation, SiteEvse, SiteGroup, SiteInterval,
    SiteSession,
};
pub use solve::{EXACT_SEARCH_MAX_INTERVALS, EXACT_SEARCH_MAX_SHAPES};
