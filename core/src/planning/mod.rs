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
//! minimum `Σ c_k·e_k`, where `c_k` is the interval's price per kWh, within the strategy's
//! limits on runs and switches (below, with the one case where it charges more than the
//! need).
//!
//! **minChargingRate and the least power.** A power in `(0, p)` is never planned, where the
//! least power `p` is the minimum rate `m` (the larger of the EV's and the EVSE's minimum),
//! or 0.1 W without one (powers are multiples of 0.1 W). An interval with `u_k < m` cannot
//! charge (pause). An interval is laid out in rows by its energy:
//!
//! * `e_k = 0`: one pause row;
//! * `e_k ≥ p·d_k`: one charging row over the whole interval (*whole*);
//! * `0 < e_k < p·d_k`: *partly used*: a charging part of whole seconds at `p` or more, at
//!   the start or at the end of the interval, and a pause for the rest (two rows of
//!   [`Plan::intervals`]).
//!
//! So every energy in `[0, u_k·d_k]` stays reachable and the problem stays linear.
//!
//! **Switches and runs.** A *switch* is a change between charging and pausing between two
//! consecutive rows (including the two rows of a partly used interval); a *run* is a
//! maximal stretch of consecutive charging rows. A partly used interval puts its charging
//! part where it makes the fewest switches (next to a neighbouring charging row or the
//! window's end; with `Contiguous`, the fewest switches in one run; ties: charging first).
//! So `charge | part | charge` costs two switches (charge, pause, charge), two partly used
//! intervals side by side share one pause, and a part at the departure charges up to it.
//! [`Plan::switches`] counts the switches of the rows.
//!
//! **Rounding.** Powers are multiples of 0.1 W (what OCPP 1.6 accepts); a partly used
//! interval's power is rounded *up* to 0.1 W (never above `u_k`), so the planned energy is
//! at least the need (by less than 0.1 W × the interval). Energies are kept to the µWh.
//! A need counts as met when the shortfall is below [`FEASIBILITY_TOLERANCE_WH`].
//!
//! **Need, shortfall, surplus.** Plans rank by the least shortfall (as much energy as
//! possible up to the need), then the least *surplus*, then the least cost, then the least
//! CO2. A plan charges exactly the need when it can. The one exception is a switch limit
//! that leaves no other way to meet the need: e.g. no switch at all, a minimum rate, and
//! more than the need at that rate over the whole window. Refusing would report a need
//! that can be met as unmet, so the plan then charges the least its runs allow (every
//! interval of them at the least power), reports `energy_wh > need_wh` and is feasible;
//! the EV stops when it is full.
//!
//! ## Strategies and why they are optimal
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
//! [`PlanStrategy::AsLateAsPossible`] needs no price: the same greedy in the order from the
//! departure backwards (the exchange argument with "later" for "cheaper").
//!
//! [`PlanStrategy::Contiguous`] (at most one run) and `max_switches` (with `Cheapest` or
//! `Contiguous`: at most that many switches) are solved over *charging shapes*. A shape
//! is a list of runs of consecutive intervals that can charge, `(a_1, b_1), …, (a_r, b_r)`
//! with `a_i ≤ b_i < a_{i+1}`, and two flags: the first run starts at the window's start
//! (`a_1 = 0`) and the last one ends at the departure (`b_r = n − 1`), each sparing a
//! switch. Its switches are `2r − flags`. Its bounds: 0 outside the runs; `[p·d_k, u_k·d_k]`
//! inside a run (`a_i < k < b_i`: the run charges through the interval); `[0, u_k·d_k]` for
//! a run's first and last interval (partly used next to the run, or whole), except
//! `[p·d_k, u_k·d_k]` where a flag makes the run charge from the window's start or up to
//! the departure through that interval.
//!
//! *Fill of a shape.* With bounds `l_k ≤ e_k ≤ U_k`, the best energies start every
//! interval at `l_k` and add the rest of the need cheapest-first up to `U_k`: substituting
//! `f_k = e_k − l_k ∈ [0, U_k − l_k]` gives the fractional knapsack above, exact by the same
//! exchange argument. If `Σ l_k` already exceeds the need, the shape charges `l` (the least
//! surplus); if `Σ U_k` is below it, `U` (the least shortfall).
//!
//! *Every plan is in some shape, and every shape's fill is a plan.* Read a plan's runs off
//! its rows: an interval strictly inside a run charges through it (whole, `e_k ≥ p·d_k`);
//! the first and last interval of a run carry any energy; each interval holds at most one
//! charging part, so runs are interval-disjoint; the flags say whether the first row and
//! the last row charge. Its switches are `2r − flags`, and its energies lie in that
//! shape's bounds. Conversely, a fill of a shape lays out with at most the shape's
//! switches and runs: a run's first and last interval, if partly used, put their part next
//! to the run (or at the window's end); an energy at 0 drops an interval from a run's end
//! and an energy at `p·d_k` makes a part whole, neither of which adds a switch (a pause row
//! `[0]` never has more changes with its neighbours than `[1, 0]` or `[0, 1]`, and a whole
//! `[1]` none more than a part), so the closed bounds are safe. The layout of
//! [`Plan::intervals`] takes the fewest switches, so it is within the limit. Hence the best
//! fill over all shapes within the limits is the optimum, and the solver enumerates them:
//! always for `Contiguous` (O(n²) blocks, O(n) fill each), and for `max_switches` when at
//! most [`EXACT_SEARCH_MAX_INTERVALS`] intervals can charge or at most
//! [`EXACT_SEARCH_MAX_SHAPES`] shapes fit the limit (about `n^s` for `s` switches: every
//! `max_switches ≤ 2` up to several hundred intervals). [`Plan::optimal`] is then true.
//!
//! Beyond that budget the candidates are the shapes of one run, the unconstrained optimum
//! when its layout keeps the limit, and on-sets from a Lagrangian dynamic programme over
//! intervals (for each price threshold λ, the on-set maximising `Σ (λ − c_k)·u_k·d_k` with
//! at most `max_switches` changes, and the on-set of most energy). [`Plan::optimal`] is true
//! only when proven: the need cannot be met and the plan is the most-energy on-set (every
//! shape then charges its capacities, so that on-set is the optimum), or the plan meets the
//! need at a cost no higher than the Lagrangian bound
//! `max_λ [λ·need − max_on-set Σ max(0, λ − c_k)·u_k·d_k]` (without a CO2 series, which
//! could break a tie in cost). Otherwise it is a heuristic plan with `optimal = false`.
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
