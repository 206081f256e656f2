//! The layers of a composite: each purpose's placed periods, swept in time order to find
//! the one that decides the purpose at each breakpoint (`docs/charging-profiles.md` §2.2).

use super::Contribution;
use std::collections::BinaryHeap;

/// A placed period: `[start, end)` of one profile.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) start: i64,
    pub(super) end: i64,
    /// Higher wins: (tier, stackLevel, install order, real period over validity blocker).
    pub(super) rank: Rank,
    /// None for a validity blocker (§3 #6 literal stacking).
    pub(super) value: Option<Contribution>,
}

pub(super) type Rank = (u8, u32, u64, u8);

/// The entries of one purpose, swept in time order: entries are sorted by start, and the
/// deciding entry at an instant is the highest-ranked one that has started and not ended.
/// A small layer finds it by scanning the started entries; a large one keeps them in a
/// max-heap by rank (expired ones are dropped lazily), O((B + E) log E) for B breakpoints
/// and E entries, which matters for long windows over recurring grids.
#[derive(Debug, Default)]
pub(super) struct Layer {
    pub(super) entries: Vec<Entry>,
    /// `entries[..next]` have started.
    next: usize,
    /// `entries[..live]` have ended (scanned layers only: a prefix, so that a scan skips
    /// what is certainly over).
    live: usize,
    /// The started entries of a large layer.
    active: BinaryHeap<(Rank, usize)>,
    /// The deciding entry at the last [`Layer::advance`].
    deciding: Option<usize>,
}

/// Up to this many entries a layer is scanned rather than kept in a heap: no allocation,
/// and faster for the few entries most layers have (a day of hourly periods included).
const SCANNED_LAYER_MAX: usize = 32;

impl Layer {
    pub(super) fn finish(&mut self) {
        // Usually placed in order already; a stable sort would keep that order anyway, and
        // for a long layer it allocates.
        if !self.entries.is_sorted_by_key(|e| e.start) {
            self.entries.sort_by_key(|e| e.start);
        }
    }

    /// Moves to `t` (calls must not go back in time) and finds the entry that decides this
    /// purpose there.
    pub(super) fn advance(&mut self, t: i64) {
        // Most layers of a request are empty.
        if self.entries.is_empty() {
            return;
        }
        let rest = self.entries.get(self.next..).unwrap_or_default();
        let started = rest.iter().take_while(|e| e.start <= t).count();
        self.next += started;
        if self.entries.len() <= SCANNED_LAYER_MAX {
            self.scan(t);
        } else {
            self.pop_to(t, started);
        }
    }

    fn scan(&mut self, t: i64) {
        let started = self.entries.get(..self.next).unwrap_or_default();
        self.live += started
            .iter()
            .skip(self.live)
            .take_while(|e| e.end <= t)
            .count();
        // Ranks of overlapping entries differ; the index only keeps the heap's order.
        self.deciding = started
            .iter()
            .enumerate()
            .skip(self.live)
            .filter(|(_, e)| e.end > t)
            .max_by_key(|(i, e)| (e.rank, *i))
            .map(|(i, _)| i);
    }

    fn pop_to(&mut self, t: i64, started: usize) {
        let first = self.next - started;
        for (i, e) in self.entries.iter().enumerate().take(self.next).skip(first) {
            self.active.push((e.rank, i));
        }
        self.deciding = None;
        while let Some(&(_, i)) = self.active.peek() {
            if self.entries.get(i).is_some_and(|e| e.end > t) {
                self.deciding = Some(i);
                break;
            }
            self.active.pop();
        }
    }

    /// What the deciding entry says (None for a validity blocker, §3 #6).
    pub(super) fn value(&self) -> Option<&Contribution> {
        self.deciding
            .and_then(|i| self.entries.get(i))
            .and_then(|e| e.value.as_ref())
    }

    pub(super) fn breakpoints(&self, out: &mut Vec<i64>) {
        let mut next_starts = self.entries.iter().skip(1).map(|e| e.start);
        for e in &self.entries {
            out.push(e.start);
            // A period usually ends where the next one starts: one point is enough (they
            // are deduplicated anyway), and halves what is sorted.
            if next_starts.next() != Some(e.end) {
                out.push(e.end);
            }
        }
    }

    pub(super) fn breakpoint_count(&self) -> usize {
        2 * self.entries.len()
    }
}

/// The layers of one EVSE (or, for EVSE 0 as "station profiles only", of the station).
#[derive(Debug, Default)]
pub(super) struct EvseLayers {
    pub(super) external: Layer,
    pub(super) tx_default: Layer,
    pub(super) tx: Layer,
    pub(super) priority: Option<Layer>,
    pub(super) local_generation: Layer,
}

impl EvseLayers {
    fn layers(&self) -> impl Iterator<Item = &Layer> {
        [
            Some(&self.external),
            Some(&self.tx_default),
            Some(&self.tx),
            self.priority.as_ref(),
            Some(&self.local_generation),
        ]
        .into_iter()
        .flatten()
    }

    pub(super) fn breakpoints(&self, out: &mut Vec<i64>) {
        self.layers().for_each(|l| l.breakpoints(out));
    }

    pub(super) fn breakpoint_count(&self) -> usize {
        self.layers().map(Layer::breakpoint_count).sum()
    }

    pub(super) fn advance(&mut self, t: i64) {
        self.external.advance(t);
        self.tx_default.advance(t);
        self.tx.advance(t);
        if let Some(p) = &mut self.priority {
            p.advance(t);
        }
        self.local_generation.advance(t);
    }

    /// Step 1–2 of §2.3: the Tx side (PriorityCharging, else TxProfile, else TxDefault)
    /// and the external constraints.
    pub(super) fn contributions(&self) -> [Option<&Contribution>; 2] {
        let tx_side = self
            .priority
            .as_ref()
            .and_then(Layer::value)
            .or_else(|| self.tx.value())
            .or_else(|| self.tx_default.value());
        [tx_side, self.external.value()]
    }
}
