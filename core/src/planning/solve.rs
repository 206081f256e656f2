//! The solver behind [`super::plan`]: the greedy fills, the charging shapes enumerated for
//! `Contiguous` and `max_switches`, and how energies become rows. The model, the definition
//! of a switch and the optimality argument are in the module documentation of `planning`.

use super::grid::ceil_01;
use super::plan::Slot;
use rust_decimal::{Decimal, RoundingStrategy};

/// Up to this many intervals that can charge, `Contiguous` and `max_switches` are always
/// solved by enumerating every charging shape (exact).
pub const EXACT_SEARCH_MAX_INTERVALS: u32 = 14;

/// Above [`EXACT_SEARCH_MAX_INTERVALS`], `max_switches` is still solved exactly while the
/// number of charging shapes with at most `max_switches` switches is at most this; beyond,
/// the plan comes from a heuristic and [`super::Plan::optimal`] is true only when a lower
/// bound proves it.
pub const EXACT_SEARCH_MAX_SHAPES: u64 = 250_000;

/// One row of a plan: `[start, end)`, power (W), index of its slot.
pub(crate) type Row = (i64, i64, Decimal, usize);

/// The least power a plan ever uses, W: the minimum rate, and 0.1 W without one (powers are
/// multiples of 0.1 W, so a charging row never has less).
pub(crate) fn least_power(min_w: Decimal) -> Decimal {
    min_w.max(Decimal::new(1, 1))
}

/// A candidate: energy per slot and what it is ranked by.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub energy: Vec<Decimal>,
    pub delivered: Decimal,
    pub cost: Decimal,
    pub co2: Decimal,
}

impl Candidate {
    /// Ranking key: least shortfall, then least surplus (energy a shape forces above the
    /// need), then least cost, then least CO2.
    fn key(&self, need: Decimal) -> Key {
        key_of(need, self.delivered, self.cost, self.co2)
    }

    pub(crate) fn better_than(&self, other: &Candidate, need: Decimal) -> bool {
        self.key(need) < other.key(need)
    }
}

/// (shortfall, surplus, cost, CO2).
type Key = (Decimal, Decimal, Decimal, Decimal);

fn key_of(need: Decimal, delivered: Decimal, cost: Decimal, co2: Decimal) -> Key {
    (
        (need - delivered).max(Decimal::ZERO),
        (delivered - need).max(Decimal::ZERO),
        cost,
        co2,
    )
}

/// How one interval is laid out in rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// One pause row.
    Off,
    /// One charging row over the whole interval (at least the least power).
    Whole,
    /// Charging first, then a pause (energy below the least power × the interval).
    Early,
    /// A pause, then charging.
    Late,
}

impl Part {
    /// The charging state of its rows, in time order.
    fn pattern(self) -> &'static [bool] {
        match self {
            Part::Off => &[false],
            Part::Whole => &[true],
            Part::Early => &[true, false],
            Part::Late => &[false, true],
        }
    }
}

/// A charging shape: runs of consecutive intervals (`a ≤ b`, each run after the previous
/// one), and whether the first run starts at the window's start (`head`) and the last one
/// ends at the departure (`tail`), which spares the switch there. See the module text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    runs: Vec<(usize, usize)>,
    head: bool,
    tail: bool,
}

impl Shape {
    fn switches(&self) -> u64 {
        2 * self.runs.len() as u64 - u64::from(self.head) - u64::from(self.tail)
    }

    /// The shape of an on-set (runs of consecutive on intervals), with the window's ends
    /// spared when a run touches them: its switches are the on-set's changes.
    fn of_on_set(on: &[bool]) -> Self {
        let mut runs = Vec::new();
        let mut k = 0;
        while k < on.len() {
            if on[k] {
                let a = k;
                while k + 1 < on.len() && on[k + 1] {
                    k += 1;
                }
                runs.push((a, k));
            }
            k += 1;
        }
        Shape {
            head: on.first() == Some(&true),
            tail: on.last() == Some(&true),
            runs,
        }
    }
}

pub(crate) struct Solver<'a> {
    slots: &'a [Slot],
    need: Decimal,
    /// [`least_power`] of the request's minimum rate.
    least_w: Decimal,
    /// Per slot, the least energy of a whole-interval charging row: the least power over the
    /// interval, rounded up to the µWh (so that a row at or above it never needs a power
    /// below the least power), at most the slot's capacity.
    whole_wh: Vec<Decimal>,
    /// Usable slot indices by (rank, co2, time).
    order: Vec<usize>,
}

impl<'a> Solver<'a> {
    pub(crate) fn new(slots: &'a [Slot], need: Decimal, min_w: Decimal) -> Self {
        let mut order: Vec<usize> = (0..slots.len())
            .filter(|k| slots[*k].cap_wh > Decimal::ZERO)
            .collect();
        order.sort_by(|a, b| {
            let (x, y) = (&slots[*a], &slots[*b]);
            (x.rank, x.co2.unwrap_or_default(), a).cmp(&(y.rank, y.co2.unwrap_or_default(), b))
        });
        let least_w = least_power(min_w);
        let whole_wh = slots
            .iter()
            .map(|s| {
                (least_w * Decimal::from(s.secs()) / Decimal::from(3600))
                    .round_dp_with_strategy(6, RoundingStrategy::ToPositiveInfinity)
                    .min(s.cap_wh)
            })
            .collect();
        Self {
            slots,
            need,
            least_w,
            whole_wh,
            order,
        }
    }

    fn usable(&self, k: usize) -> bool {
        self.slots[k].cap_wh > Decimal::ZERO
    }

    pub(crate) fn usable_count(&self) -> usize {
        self.order.len()
    }

    /// Delivered energy, cost and CO2 of the energies.
    fn totals(&self, energy: &[Decimal]) -> (Decimal, Decimal, Decimal) {
        let (mut delivered, mut cost, mut co2) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for (e, s) in energy.iter().zip(self.slots) {
            if !e.is_zero() {
                delivered += *e;
                cost += *e * s.rank;
                co2 += *e * s.co2.unwrap_or_default();
            }
        }
        (
            delivered,
            cost / Decimal::ONE_THOUSAND,
            co2 / Decimal::ONE_THOUSAND,
        )
    }

    pub(crate) fn candidate(&self, energy: Vec<Decimal>) -> Candidate {
        let (delivered, cost, co2) = self.totals(&energy);
        Candidate {
            energy,
            delivered,
            cost,
            co2,
        }
    }

    /// Adds the rest of the need to `energy` (the lower bounds) in `order`, each slot up to
    /// `upper` (a fractional knapsack with offsets). When the lower bounds alone reach the
    /// need, nothing is added: they are the least the shape can charge.
    fn fill_up(&self, order: &[usize], energy: &mut [Decimal], upper: &[Decimal]) {
        let mut rem = self.need - energy.iter().copied().sum::<Decimal>();
        for &k in order {
            if rem <= Decimal::ZERO {
                break;
            }
            let add = (upper[k] - energy[k]).min(rem);
            if add > Decimal::ZERO {
                energy[k] += add;
                rem -= add;
            }
        }
    }

    /// [`Solver::fill_up`] from `lower`, as a candidate.
    fn fill(&self, order: &[usize], lower: &[Decimal], upper: &[Decimal]) -> Candidate {
        let mut energy = lower.to_vec();
        self.fill_up(order, &mut energy, upper);
        self.candidate(energy)
    }

    fn caps(&self) -> Vec<Decimal> {
        self.slots.iter().map(|s| s.cap_wh).collect()
    }

    /// The exact optimum without a switch limit (fractional knapsack).
    pub(crate) fn cheapest(&self) -> Candidate {
        let n = self.slots.len();
        self.fill(&self.order, &vec![Decimal::ZERO; n], &self.caps())
    }

    /// Filled from the departure backwards.
    pub(crate) fn as_late_as_possible(&self) -> Candidate {
        let n = self.slots.len();
        let late: Vec<usize> = (0..n).rev().filter(|k| self.usable(*k)).collect();
        self.fill(&late, &vec![Decimal::ZERO; n], &self.caps())
    }

    /// The bounds of a shape: outside its runs 0; inside a run at least the whole-interval
    /// energy (the run charges through the interval), up to the capacity; a run's first and
    /// last interval from 0 (partly used, next to the run), except at a spared window end,
    /// where the run charges from the start (or up to the departure) and so the whole
    /// interval.
    fn bounds(&self, shape: &Shape, lower: &mut [Decimal], upper: &mut [Decimal]) {
        lower.fill(Decimal::ZERO);
        upper.fill(Decimal::ZERO);
        let last = shape.runs.len().saturating_sub(1);
        for (i, &(a, b)) in shape.runs.iter().enumerate() {
            for k in a..=b {
                upper[k] = self.slots[k].cap_wh;
                if a < k && k < b {
                    lower[k] = self.whole_wh[k];
                }
            }
            let head = i == 0 && shape.head;
            let tail = i == last && shape.tail;
            if a < b {
                if head {
                    lower[a] = self.whole_wh[a];
                }
                if tail {
                    lower[b] = self.whole_wh[b];
                }
            } else if head && tail {
                lower[a] = self.whole_wh[a];
            }
        }
    }

    /// Calls `visit` with every shape of at most `max_runs` runs and at most `max_switches`
    /// switches (runs over usable intervals only); stops when `visit` returns false, and
    /// then returns false.
    fn shapes(
        &self,
        max_runs: usize,
        max_switches: u32,
        visit: &mut dyn FnMut(&Shape) -> bool,
    ) -> bool {
        let mut shape = Shape::default();
        self.extend(0, &mut shape, max_runs, u64::from(max_switches), visit)
    }

    fn extend(
        &self,
        from: usize,
        shape: &mut Shape,
        max_runs: usize,
        max_switches: u64,
        visit: &mut dyn FnMut(&Shape) -> bool,
    ) -> bool {
        let n = self.slots.len();
        let can_head = shape.runs.first().is_some_and(|r| r.0 == 0);
        let can_tail = shape.runs.last().is_some_and(|r| r.1 + 1 == n);
        for head in [false, true] {
            for tail in [false, true] {
                if (head && !can_head) || (tail && !can_tail) {
                    continue;
                }
                shape.head = head;
                shape.tail = tail;
                if shape.switches() <= max_switches && !visit(shape) {
                    return false;
                }
            }
        }
        shape.head = false;
        shape.tail = false;
        let r = shape.runs.len();
        // One more run costs at least two switches less the two spared ends.
        if r >= max_runs || 2 * (r as u64 + 1) > max_switches + 2 {
            return true;
        }
        for a in from..n {
            if !self.usable(a) {
                continue;
            }
            for b in a..n {
                if !self.usable(b) {
                    break;
                }
                shape.runs.push((a, b));
                let go_on = self.extend(b + 1, shape, max_runs, max_switches, visit);
                shape.runs.pop();
                if !go_on {
                    return false;
                }
            }
        }
        true
    }

    /// The best candidate with at most `max_runs` runs of charging rows and at most
    /// `max_switches` switches, and whether it is proven optimal.
    pub(crate) fn shaped(&self, max_runs: usize, max_switches: u32) -> (Candidate, bool) {
        self.shaped_within(max_runs, max_switches, EXACT_SEARCH_MAX_SHAPES)
    }

    /// [`Solver::shaped`] with the enumeration budget as a parameter (tests use a small one
    /// to reach the heuristic).
    fn shaped_within(&self, max_runs: usize, max_switches: u32, budget: u64) -> (Candidate, bool) {
        let free = self.cheapest();
        if self.fits(&free.energy, max_runs, max_switches) {
            // The optimum without the limit keeps the limit: it is the optimum with it.
            return (free, true);
        }
        let exact = max_runs <= 1
            || self.usable_count() <= EXACT_SEARCH_MAX_INTERVALS as usize
            || self.shape_count_within(max_runs, max_switches, budget);
        let mut best: Option<Candidate> = None;
        let mut all_fit = true;
        let n = self.slots.len();
        let (mut lower, mut upper) = (vec![Decimal::ZERO; n], vec![Decimal::ZERO; n]);
        let consider = |c: Candidate, best: &mut Option<Candidate>, all_fit: &mut bool| {
            if best.as_ref().is_none_or(|b| c.better_than(b, self.need)) {
                // Always true by the closure argument (module text); checked all the same.
                if self.fits(&c.energy, max_runs, max_switches) {
                    *best = Some(c);
                } else {
                    *all_fit = false;
                }
            }
        };
        let runs = if exact { max_runs } else { 1 };
        self.shapes(runs, max_switches, &mut |shape| {
            // The fill in place in `lower`; a candidate is built only when it ranks better.
            self.bounds(shape, &mut lower, &mut upper);
            self.fill_up(&self.order, &mut lower, &upper);
            let (delivered, cost, co2) = self.totals(&lower);
            if best
                .as_ref()
                .is_none_or(|b| key_of(self.need, delivered, cost, co2) < b.key(self.need))
            {
                consider(self.candidate(lower.clone()), &mut best, &mut all_fit);
            }
            true
        });
        let mut optimal = exact;
        if !exact {
            let (most, bound) = self.heuristic(max_switches, &mut |c| {
                consider(c, &mut best, &mut all_fit);
            });
            optimal = best.as_ref().is_some_and(|b| self.proven(b, &most, bound));
        }
        let best = best.unwrap_or_else(|| self.candidate(vec![Decimal::ZERO; n]));
        (best, optimal && all_fit)
    }

    /// True when at most `budget` shapes have at most `max_runs` runs and `max_switches`
    /// switches.
    fn shape_count_within(&self, max_runs: usize, max_switches: u32, budget: u64) -> bool {
        let mut count = 0u64;
        self.shapes(max_runs, max_switches, &mut |_| {
            count += 1;
            count <= budget
        })
    }

    /// Candidates beyond the enumeration budget (`max_switches` only), given to `keep`:
    /// on-sets (whose runs spare the window's ends, so their switches are the on-set's
    /// changes) from dynamic programmes over the intervals: for every price threshold λ, the
    /// on-set maximising `Σ (λ − c_k)·cap_k`; and the on-set of most energy, cheapest and
    /// then cleanest among those. Returns that most-energy candidate and the Lagrangian
    /// lower bound `max_λ [λ·need − max_on-set Σ_on max(0, λ − c_k)·cap_k]` on the cost of
    /// every plan that meets the need exactly: such a plan costs `λ·need + Σ (c_k − λ)·e_k`
    /// for every λ, and its energies lie between 0 and the capacities of an on-set with at
    /// most `max_switches` changes (dropping the lower bounds only lowers the bound).
    fn heuristic(
        &self,
        max_switches: u32,
        keep: &mut dyn FnMut(Candidate),
    ) -> (Candidate, Decimal) {
        let n = self.slots.len();
        let (mut lower, mut upper) = (vec![Decimal::ZERO; n], vec![Decimal::ZERO; n]);
        let mut fill_on = |on: &[bool]| {
            self.bounds(&Shape::of_on_set(on), &mut lower, &mut upper);
            self.fill(&self.order, &lower, &upper)
        };
        let weights = |f: &dyn Fn(&Slot) -> [Decimal; 3]| -> Vec<Option<[Decimal; 3]>> {
            (0..n)
                .map(|k| self.usable(k).then(|| f(&self.slots[k])))
                .collect()
        };
        let most_on = best_pattern(
            &weights(&|s| {
                [
                    s.cap_wh,
                    -(s.cap_wh * s.rank),
                    -(s.cap_wh * s.co2.unwrap_or_default()),
                ]
            }),
            max_switches,
        )
        .1;
        let most = fill_on(&most_on);
        keep(most.clone());
        let mut lambdas: Vec<Decimal> = self.order.iter().map(|k| self.slots[*k].rank).collect();
        lambdas.sort();
        lambdas.dedup();
        let mut bound: Option<Decimal> = None;
        for &lambda in &lambdas {
            // Prefer on at equal value: a longer on-set can only carry more.
            let gain = |s: &Slot| (lambda - s.rank) * s.cap_wh;
            let on = best_pattern(
                &weights(&|s| [gain(s), Decimal::ONE, Decimal::ZERO]),
                max_switches,
            )
            .1;
            keep(fill_on(&on));
            let relaxed = best_pattern(
                &weights(&|s| [gain(s).max(Decimal::ZERO), Decimal::ZERO, Decimal::ZERO]),
                max_switches,
            )
            .0[0];
            let lb = (lambda * self.need - relaxed) / Decimal::ONE_THOUSAND;
            bound = Some(bound.map_or(lb, |b| b.max(lb)));
        }
        (most, bound.unwrap_or(Decimal::ZERO))
    }

    /// Whether the heuristic's best candidate is proven optimal: when the need cannot be met
    /// and it ranks with the most-energy on-set (every shape then charges its capacities, so
    /// that on-set is the optimum), or when it meets the need exactly at the Lagrangian
    /// bound and no CO2 series can break a tie in cost.
    fn proven(&self, best: &Candidate, most: &Candidate, bound: Decimal) -> bool {
        if most.delivered < self.need {
            return best.key(self.need) == most.key(self.need);
        }
        best.delivered == self.need
            && best.cost <= bound
            && self.slots.iter().all(|s| s.co2.is_none())
    }

    /// True when the energies can be laid out in rows with at most `max_runs` runs of
    /// charging rows and `max_switches` switches.
    fn fits(&self, energy: &[Decimal], max_runs: usize, max_switches: u32) -> bool {
        self.layout(energy, max_runs)
            .is_some_and(|(_, switches)| switches <= u64::from(max_switches))
    }

    fn part_options(&self, k: usize, e: Decimal) -> &'static [Part] {
        if e <= Decimal::ZERO {
            &[Part::Off]
        } else if e >= self.whole_wh[k] {
            &[Part::Whole]
        } else {
            &[Part::Early, Part::Late]
        }
    }

    /// The layout of the energies in rows with the fewest switches among those with at most
    /// `max_runs` runs (None: no such layout). Only a partly used interval has a choice: its
    /// charging part first or last; ties go to charging first. A dynamic programme over the
    /// intervals with state (state of the last row, runs so far up to 2).
    fn layout(&self, energy: &[Decimal], max_runs: usize) -> Option<(Vec<Part>, u64)> {
        const INF: u64 = u64::MAX / 4;
        let n = self.slots.len();
        // State: last row (0 none, 1 pause, 2 charging) × runs (0, 1, 2 or more).
        let idx = |last: usize, runs: usize| last * 3 + runs;
        let step = |state: usize, part: Part| -> (usize, u64) {
            let (mut last, mut runs) = (state / 3, state % 3);
            let mut switches = 0;
            for &on in part.pattern() {
                let now = if on { 2 } else { 1 };
                if last != 0 && last != now {
                    switches += 1;
                }
                if on && last != 2 {
                    runs = (runs + 1).min(2);
                }
                last = now;
            }
            (idx(last, runs), switches)
        };
        // rest[k][state]: fewest switches of the rows of intervals k.. after `state`.
        let mut rest = vec![[INF; 9]; n + 1];
        for (s, v) in rest[n].iter_mut().enumerate() {
            if s % 3 <= max_runs {
                *v = 0;
            }
        }
        for k in (0..n).rev() {
            for s in 0..9 {
                for &p in self.part_options(k, energy[k]) {
                    let (t, add) = step(s, p);
                    rest[k][s] = rest[k][s].min(add + rest[k + 1][t]);
                }
            }
        }
        let total = rest[0][idx(0, 0)];
        if total >= INF {
            return None;
        }
        let mut parts = Vec::with_capacity(n);
        let mut s = idx(0, 0);
        for k in 0..n {
            let options = self.part_options(k, energy[k]);
            let mut chosen = (options[0], s);
            for &p in options {
                let (t, add) = step(s, p);
                if add + rest[k + 1][t] == rest[k][s] {
                    chosen = (p, t);
                    break;
                }
            }
            parts.push(chosen.0);
            s = chosen.1;
        }
        Some((parts, total))
    }

    /// Turns energies into rows: a whole interval at its power (rounded up to 0.1 W, at
    /// least the least power, at most the slot's maximum), a partly used interval as a
    /// charging part of whole seconds at or above the least power and a pause, placed as
    /// [`Solver::layout`] says (with at most `max_runs` runs when possible).
    pub(crate) fn rows(&self, energy: &[Decimal], max_runs: usize) -> Vec<Row> {
        let parts = self
            .layout(energy, max_runs)
            .or_else(|| self.layout(energy, usize::MAX))
            .map(|(p, _)| p)
            .unwrap_or_default();
        let mut out = Vec::with_capacity(self.slots.len() + 2);
        for (k, s) in self.slots.iter().enumerate() {
            let e = energy[k];
            let d = s.secs();
            let part = parts.get(k).copied().unwrap_or(Part::Off);
            if part == Part::Off || e <= Decimal::ZERO {
                out.push((s.start, s.end, Decimal::ZERO, k));
                continue;
            }
            if part == Part::Whole {
                let w = ceil_01(e * Decimal::from(3600) / Decimal::from(d));
                out.push((s.start, s.end, w.max(self.least_w).min(s.max_w), k));
                continue;
            }
            // Part of the interval at ≥ the least power: `run` whole seconds at `p`.
            let ws = e * Decimal::from(3600);
            let mut run = (ws / self.least_w).floor();
            let mut p = if run > Decimal::ZERO {
                ceil_01(ws / run)
            } else {
                s.max_w
            };
            if run <= Decimal::ZERO || p > s.max_w {
                p = s.max_w;
                run = (ws / p).ceil();
            }
            let run = i64::try_from(run).unwrap_or(d).clamp(1, d);
            if run >= d {
                out.push((s.start, s.end, p, k));
            } else if part == Part::Late {
                out.push((s.start, s.end - run, Decimal::ZERO, k));
                out.push((s.end - run, s.end, p, k));
            } else {
                out.push((s.start, s.start + run, p, k));
                out.push((s.start + run, s.end, Decimal::ZERO, k));
            }
        }
        out
    }
}

/// Changes between charging and pausing between consecutive rows.
pub(crate) fn row_switches(rows: &[Row]) -> u32 {
    rows.windows(2)
        .filter(|w| (w[0].2 > Decimal::ZERO) != (w[1].2 > Decimal::ZERO))
        .count() as u32
}

/// The on-set maximising `Σ w_k` (lexicographic triples) over on intervals (None: cannot be
/// on) with at most `max` changes between consecutive intervals, and its value (a dynamic
/// programme over intervals × changes used × state).
#[allow(clippy::needless_range_loop)] // the DP reads clearer with indices
fn best_pattern(w: &[Option<[Decimal; 3]>], max: u32) -> ([Decimal; 3], Vec<bool>) {
    type W = [Decimal; 3];
    let add = |a: W, b: W| -> W { [a[0] + b[0], a[1] + b[1], a[2] + b[2]] };
    let n = w.len();
    let zero: W = [Decimal::ZERO; 3];
    if n == 0 {
        return (zero, Vec::new());
    }
    let s = max.min(n as u32) as usize;
    // best[i][sw][state]: best value of a prefix ending at i in `state` with sw changes.
    let mut best = vec![vec![[None::<W>; 2]; s + 1]; n];
    let mut from = vec![vec![[0u8; 2]; s + 1]; n];
    best[0][0][0] = Some(zero);
    best[0][0][1] = w[0];
    for i in 1..n {
        for sw in 0..=s {
            for state in 0..2usize {
                let gain = if state == 1 {
                    match w[i] {
                        Some(g) => g,
                        None => continue,
                    }
                } else {
                    zero
                };
                let mut pick: Option<(W, u8)> = None;
                for prev in 0..2usize {
                    let used = usize::from(prev != state);
                    if used > sw {
                        continue;
                    }
                    if let Some(v) = best[i - 1][sw - used][prev] {
                        if pick.is_none_or(|(p, _)| v > p) {
                            pick = Some((v, prev as u8));
                        }
                    }
                }
                if let Some((v, prev)) = pick {
                    best[i][sw][state] = Some(add(v, gain));
                    from[i][sw][state] = prev;
                }
            }
        }
    }
    let mut end: Option<(W, usize, usize)> = None;
    for sw in 0..=s {
        for state in 0..2 {
            if let Some(v) = best[n - 1][sw][state] {
                if end.is_none_or(|(b, _, _)| v > b) {
                    end = Some((v, sw, state));
                }
            }
        }
    }
    let mut on = vec![false; n];
    let mut value = zero;
    if let Some((v, mut sw, mut state)) = end {
        value = v;
        for i in (0..n).rev() {
            on[i] = state == 1;
            if i > 0 {
                let prev = usize::from(from[i][sw][state]);
                if prev != state {
                    sw = sw.saturating_sub(1);
                }
                state = prev;
            }
        }
    }
    (value, on)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    /// Hourly slots of `max_w` W (0: cannot charge) at `prices` (cents per kWh).
    fn slots(prices: &[i64], max_w: &[i64]) -> Vec<Slot> {
        prices
            .iter()
            .zip(max_w)
            .enumerate()
            .map(|(k, (p, w))| Slot {
                start: 3600 * k as i64,
                end: 3600 * (k as i64 + 1),
                max_w: Decimal::from(*w),
                cap_wh: Decimal::from(*w),
                rank: Decimal::new(*p, 2),
                price: Some(Decimal::new(*p, 2)),
                co2: None,
            })
            .collect()
    }

    fn count(solver: &Solver, max_runs: usize, max_switches: u32) -> u64 {
        let mut n = 0;
        solver.shapes(max_runs, max_switches, &mut |_| {
            n += 1;
            true
        });
        n
    }

    #[test]
    fn shapes_are_counted_as_enumerated_by_hand() {
        // Runs (a ≤ b < next a) over 14 intervals, each run two switches less a spared end
        // of the window: counted independently by a plain enumeration of run lists, plus
        // the empty shape (no charging).
        let s = slots(&[10; 14], &[1000; 14]);
        let solver = Solver::new(&s, Decimal::from(1000), Decimal::ZERO);
        let counts: Vec<u64> = (0..=5).map(|sw| count(&solver, usize::MAX, sw)).collect();
        assert_eq!(counts, [2, 30, 226, 1136, 4321, 13057]);
        // One run: the empty shape and every block with its spared ends (n(n+1)/2 blocks,
        // 14 + 14 with one spared end, 1 with both).
        assert_eq!(count(&solver, 1, u32::MAX), 1 + 105 + 14 + 14 + 1);
        // A run never crosses an interval that cannot charge.
        let s = slots(&[10; 3], &[1000, 0, 1000]);
        let solver = Solver::new(&s, Decimal::from(1000), Decimal::ZERO);
        assert_eq!(count(&solver, 1, u32::MAX), 1 + 2 + 2);
    }

    #[test]
    fn layout_places_parts_for_the_fewest_switches() {
        // Least power 1 kW over 1 h = 1 kWh: 500 Wh is a part of an hour.
        let s = slots(&[10; 4], &[2000; 4]);
        let solver = Solver::new(&s, Decimal::from(1000), Decimal::from(1000));
        let e = |v: [i64; 4]| v.map(Decimal::from);
        // The last hour's part charges up to the departure: one switch, not two.
        let (parts, sw) = solver.layout(&e([0, 0, 0, 500]), usize::MAX).unwrap();
        assert_eq!((parts[3], sw), (Part::Late, 1));
        // Two parts side by side share one pause: 1,[1,0],[0,1],1 has two switches.
        let (parts, sw) = solver
            .layout(&e([2000, 500, 500, 2000]), usize::MAX)
            .unwrap();
        assert_eq!((parts[1], parts[2], sw), (Part::Early, Part::Late, 2));
        // As one run: [0,1],[1,0] (charging in the middle, two switches).
        let (parts, sw) = solver.layout(&e([0, 500, 500, 0]), 1).unwrap();
        assert_eq!((parts[1], parts[2], sw), (Part::Late, Part::Early, 2));
        // Two separate charging hours cannot be one run.
        assert!(solver.layout(&e([2000, 0, 0, 2000]), 1).is_none());
        // A part alone, in the middle: charging first (the tie rule).
        let (parts, sw) = solver.layout(&e([0, 500, 0, 0]), usize::MAX).unwrap();
        assert_eq!((parts[1], sw), (Part::Early, 2));
    }

    fn instance() -> impl Strategy<Value = (Vec<i64>, Vec<i64>, i64, i64, u32)> {
        (15usize..=17)
            .prop_flat_map(|n| {
                (
                    prop::collection::vec(
                        prop_oneof![Just(-2i64), Just(0), Just(5), Just(10), Just(20), Just(42)],
                        n,
                    ),
                    // Every interval can charge: more than EXACT_SEARCH_MAX_INTERVALS.
                    prop::collection::vec(prop_oneof![Just(1000i64), Just(3000), Just(3000)], n),
                    0i64..=1000,
                    0i64..=120,
                    1u32..=3,
                )
            })
            .prop_map(|(p, w, min, pct, sw)| {
                let total: i64 = w.iter().sum();
                (p, w, min / 500 * 500, total * pct / 100, sw)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Beyond the budget: the heuristic never reports a need that can be met as
        /// unmet, never beats the exact optimum, and claims optimality only at it.
        #[test]
        fn heuristic_is_sound_against_the_exact_search((p, w, min, need, sw) in instance()) {
            let w: Vec<i64> = w.iter().map(|x| if *x < min { 0 } else { *x }).collect();
            let s = slots(&p, &w);
            let solver = Solver::new(&s, Decimal::from(need), Decimal::from(min));
            let (exact, proven) = solver.shaped_within(usize::MAX, sw, u64::MAX);
            prop_assert!(proven);
            let (heur, claimed) = solver.shaped_within(usize::MAX, sw, 0);
            prop_assert!(solver.fits(&heur.energy, usize::MAX, sw));
            let (ke, kh) = (exact.key(solver.need), heur.key(solver.need));
            prop_assert!(ke <= kh, "{:?} > {:?}", ke, kh);
            if ke.0.is_zero() {
                prop_assert!(kh.0.is_zero(), "a need that can be met reported unmet");
            }
            if claimed {
                prop_assert_eq!((ke.0, ke.1, ke.2), (kh.0, kh.1, kh.2));
            }
        }
    }
}
