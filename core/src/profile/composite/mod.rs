//! The composite schedule (`docs/charging-profiles.md` §2; the other section numbers in this
//! file refer to that page too): placement of every profile in the window, stacking within a
//! purpose, combination of purposes per EVSE, the EVSE-0 sum, conversion to the requested
//! unit, gap fill and merging; every period names the profile that bound it.

use super::model::{ChargingProfilePurpose, ChargingRateUnit};
use super::options::{Evse0, GapFill, LimitRounding, PhaseSource, Stacking16};
use super::serde_util::{format_time, from_secs, secs};
use super::store::{Installed, InstalledProfile, SmartChargingStation, StationConfig};
use super::v16::floor_01;
use super::validate::{Anchor, PreparedPeriod};
use super::ProfileVersion;
use crate::enums::wire_enum;
use crate::json::{Map, Value};
use crate::limits::MAX_COMPOSITE_PERIODS;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::cell::Cell;

mod layer;
mod origins;

use layer::{Entry, EvseLayers, Layer};
use origins::Origins;

/// Identifies a profile that set a limit (explainability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProfileRef {
    /// Profile id.
    pub id: i32,
    /// Its purpose.
    pub purpose: ChargingProfilePurpose,
    /// Its stack level.
    pub stack_level: u32,
    /// The EVSE it is installed on (0 = station-wide).
    pub evse_id: u32,
}

wire_enum! {
    /// What set the limit of a composite period.
    pub enum LimitSourceKind {
        /// One profile set the binding (lowest) limit ([`CompositePeriod::binding`]).
        Profile = "profile",
        /// No profile applied: the gap-fill value ([`GapFill`]).
        Default = "default",
        /// EVSE 0 summed over the EVSEs ([`CompositePeriod::evse_sources`]).
        EvseSum = "evse_sum",
        /// Reported by a station (read from its GetCompositeSchedule response).
        Reported = "reported",
    }
}

/// What set one EVSE's part of an EVSE-0 sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EvseLimitSource {
    /// The EVSE.
    pub evse_id: u32,
    /// What set its limit ([`LimitSourceKind::Profile`] or [`LimitSourceKind::Default`]).
    pub kind: LimitSourceKind,
    /// The profile, when one profile set it.
    pub binding: Option<ProfileRef>,
    /// Every profile involved.
    pub profiles: Vec<ProfileRef>,
}

/// What set a limit while the composite is computed; a period stores it as its
/// [`LimitSourceKind`] and the profiles it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LimitSource {
    /// One profile set the binding (lowest) limit.
    Profile(ProfileRef),
    /// No profile applied: the gap-fill value.
    Default,
    /// EVSE 0 summed over the EVSEs: each EVSE with what set its own limit.
    EvseSum(Vec<(u32, LimitSource)>),
    /// Reported by a station.
    Reported,
}

impl LimitSource {
    fn kind(&self) -> LimitSourceKind {
        match self {
            LimitSource::Profile(_) => LimitSourceKind::Profile,
            LimitSource::Default => LimitSourceKind::Default,
            LimitSource::EvseSum(_) => LimitSourceKind::EvseSum,
            LimitSource::Reported => LimitSourceKind::Reported,
        }
    }

    fn binding(&self) -> Option<ProfileRef> {
        match self {
            LimitSource::Profile(p) => Some(*p),
            _ => None,
        }
    }

    /// Every profile involved (for a sum, those of all EVSEs), without duplicates.
    fn profiles(&self) -> Vec<ProfileRef> {
        match self {
            // Most periods: one allocation of the right size.
            LimitSource::Profile(p) => vec![*p],
            _ => {
                let mut out = Vec::new();
                self.collect(&mut out);
                out
            }
        }
    }

    fn collect(&self, out: &mut Vec<ProfileRef>) {
        match self {
            LimitSource::Profile(p) => {
                if !out.contains(p) {
                    out.push(*p)
                }
            }
            LimitSource::Default | LimitSource::Reported => {}
            LimitSource::EvseSum(v) => v.iter().for_each(|(_, s)| s.collect(out)),
        }
    }
}

/// One period of a composite schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CompositePeriod {
    /// Seconds from `schedule_start`.
    pub start_period: u32,
    /// The limit in the schedule's unit; `None` only with [`GapFill::NoLimit`].
    pub limit: Option<Decimal>,
    /// The phase count in force (the lowest given), or None when no input gave one.
    pub number_phases: Option<u8>,
    /// What set the limit.
    pub source: LimitSourceKind,
    /// The profile that set this period's limit, when a single profile did (not for a gap,
    /// nor for an EVSE-0 sum: see `profiles` and `evse_sources`).
    ///
    /// ```
    /// use chargekit::profile::{LimitSourceKind, SmartChargingStation, StationConfig};
    /// use chrono::Utc;
    /// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let s = st.composite_schedule(1, Utc::now(), 60, None).unwrap();
    /// assert!(s.periods[0].binding.is_none()); // nothing installed: the default applies
    /// assert_eq!(s.periods[0].source, LimitSourceKind::Default);
    /// ```
    pub binding: Option<ProfileRef>,
    /// Every profile involved (for an EVSE-0 sum, those of all EVSEs), without duplicates.
    pub profiles: Vec<ProfileRef>,
    /// For an EVSE-0 sum: what set each EVSE's part, in EVSE order (empty otherwise).
    pub evse_sources: Vec<EvseLimitSource>,
}

impl CompositePeriod {
    /// A period whose limit `source` set, with what it names stored.
    pub(crate) fn new(
        start_period: u32,
        limit: Option<Decimal>,
        number_phases: Option<u8>,
        source: &LimitSource,
    ) -> Self {
        let evse_sources = match source {
            LimitSource::EvseSum(parts) => parts
                .iter()
                .map(|(evse_id, s)| EvseLimitSource {
                    evse_id: *evse_id,
                    kind: s.kind(),
                    binding: s.binding(),
                    profiles: s.profiles(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            start_period,
            limit,
            number_phases,
            source: source.kind(),
            binding: source.binding(),
            profiles: source.profiles(),
            evse_sources,
        }
    }
}

/// A composite schedule: the limit over time for an EVSE, or the station (EVSE 0).
///
/// In Kotlin and Swift an object (`CompositeSchedule`, with `periods()`, `periodAt()` and
/// `toOcpp()`), as a [`CompositeResponse`](super::CompositeResponse) carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Object))]
pub struct CompositeSchedule {
    /// The EVSE (0 = the station).
    pub evse_id: u32,
    /// Start of the window (the request time, whole seconds).
    pub schedule_start: DateTime<Utc>,
    /// Length of the window in seconds.
    pub duration: u32,
    /// Unit of every limit.
    pub unit: ChargingRateUnit,
    /// The periods, first at 0, strictly increasing.
    pub periods: Vec<CompositePeriod>,
    #[serde(skip)]
    rounding: LimitRounding,
    #[serde(skip)]
    merge: bool,
}

impl CompositeSchedule {
    pub(crate) fn reported(
        evse_id: u32,
        schedule_start: DateTime<Utc>,
        duration: u32,
        unit: ChargingRateUnit,
        periods: Vec<CompositePeriod>,
    ) -> Self {
        Self {
            evse_id,
            schedule_start,
            duration,
            unit,
            periods,
            rounding: LimitRounding::default(),
            merge: true,
        }
    }

    /// The period in force `offset_s` seconds after the start.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig};
    /// use chrono::Utc;
    /// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let s = st.composite_schedule(1, Utc::now(), 60, None).unwrap();
    /// assert_eq!(s.period_at(30).unwrap().start_period, 0);
    /// ```
    pub fn period_at(&self, offset_s: u32) -> Option<&CompositePeriod> {
        self.periods
            .iter()
            .take_while(|p| p.start_period <= offset_s)
            .last()
    }

    /// The GetCompositeSchedule response for this schedule, in the OCPP version's shape:
    /// 2.0.1/2.1 `{status, schedule: {evseId, duration, scheduleStart, chargingRateUnit,
    /// chargingSchedulePeriod}}`, or 1.6 `{status, connectorId, scheduleStart,
    /// chargingSchedule}` with limits rounded to 0.1 ([`LimitRounding`], floor by default).
    /// A period without a limit (`GapFill::NoLimit`) is written without `limit`.
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion};
    /// use chrono::{TimeZone, Utc};
    /// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let s = st.composite_schedule(1, Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(), 60, None).unwrap();
    /// let r = s.to_ocpp(ProfileVersion::V201);
    /// assert_eq!(r["schedule"]["chargingSchedulePeriod"][0]["limit"], serde_json::json!(48));
    /// let r16 = s.to_ocpp(ProfileVersion::V16);
    /// assert_eq!(r16["chargingSchedule"]["chargingRateUnit"], "A");
    /// assert_eq!(r16["scheduleStart"], "2026-03-10T08:00:00Z");
    /// ```
    pub fn to_ocpp(&self, version: ProfileVersion) -> serde_json::Value {
        self.ocpp_tree(version).to_serde()
    }

    /// [`to_ocpp`](Self::to_ocpp) as JSON text, limits with their exact digits (2.0.1/2.1
    /// limits are not rounded: `10000 W / 690 V` keeps its 29 digits).
    ///
    /// ```
    /// use chargekit::profile::{SmartChargingStation, StationConfig, ProfileVersion};
    /// use chrono::{TimeZone, Utc};
    /// let st = SmartChargingStation::new(StationConfig::with_evses(&[1])).unwrap();
    /// let s = st.composite_schedule(1, Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(), 60, None).unwrap();
    /// assert!(s.to_ocpp_json(ProfileVersion::V201).contains(r#""limit":48"#));
    /// ```
    pub fn to_ocpp_json(&self, version: ProfileVersion) -> String {
        self.ocpp_tree(version).to_string()
    }

    /// The response as the exact tree.
    pub(crate) fn ocpp_tree(&self, version: ProfileVersion) -> Value {
        let start = Value::String(format_time(&self.schedule_start));
        let mut schedule = Map::new();
        let mut response = Map::new();
        response.insert("status".into(), Value::String("Accepted".into()));
        match version {
            ProfileVersion::V201 | ProfileVersion::V21 => {
                let periods = self
                    .periods
                    .iter()
                    .map(|p| (p.start_period, p.limit, p.number_phases));
                schedule.insert("evseId".into(), Value::from(self.evse_id));
                schedule.insert("duration".into(), Value::from(self.duration));
                schedule.insert("scheduleStart".into(), start);
                schedule.insert(
                    "chargingRateUnit".into(),
                    Value::String(self.unit.as_str().into()),
                );
                schedule.insert("chargingSchedulePeriod".into(), periods_json(periods));
                response.insert("schedule".into(), Value::Object(schedule));
            }
            ProfileVersion::V16 => {
                let round = |d: Decimal| match self.rounding {
                    LimitRounding::Floor01 => floor_01(d),
                    LimitRounding::Nearest01 => {
                        d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
                    }
                };
                let mut periods: Vec<(u32, Option<Decimal>, Option<u8>)> =
                    Vec::with_capacity(self.periods.len());
                for p in &self.periods {
                    let limit = p.limit.map(|l| round(l).normalize());
                    if self.merge
                        && periods
                            .last()
                            .is_some_and(|(_, l, n)| *l == limit && *n == p.number_phases)
                    {
                        continue;
                    }
                    periods.push((p.start_period, limit, p.number_phases));
                }
                schedule.insert("duration".into(), Value::from(self.duration));
                schedule.insert("startSchedule".into(), start.clone());
                schedule.insert(
                    "chargingRateUnit".into(),
                    Value::String(self.unit.as_str().into()),
                );
                schedule.insert(
                    "chargingSchedulePeriod".into(),
                    periods_json(periods.into_iter()),
                );
                response.insert("connectorId".into(), Value::from(self.evse_id));
                response.insert("scheduleStart".into(), start);
                response.insert("chargingSchedule".into(), Value::Object(schedule));
            }
        }
        Value::Object(response)
    }
}

fn periods_json(periods: impl Iterator<Item = (u32, Option<Decimal>, Option<u8>)>) -> Value {
    Value::Array(
        periods
            .map(|(start, limit, phases)| {
                let mut m = Map::new();
                m.insert("startPeriod".into(), Value::from(start));
                if let Some(l) = limit {
                    m.insert("limit".into(), Value::number(l));
                }
                if let Some(n) = phases {
                    m.insert("numberPhases".into(), Value::from(u32::from(n)));
                }
                Value::Object(m)
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------
// Computation.

/// Where the profiles are placed and combined: times in whole UTC seconds.
struct Ctx<'a> {
    now: i64,
    /// End of evaluation (≥ now + 1, so a zero-length window still has an instant).
    end: i64,
    unit: ChargingRateUnit,
    cfg: &'a StationConfig,
    /// Limit periods placed in the window so far; placing stops at
    /// [`MAX_COMPOSITE_PERIODS`], so that a hostile station cannot exhaust memory.
    placed: Cell<usize>,
}

impl Ctx<'_> {
    /// Counts one more placed period; `false` once the limit is reached.
    fn place_one(&self) -> bool {
        let n = self.placed.get();
        self.placed.set(n + 1);
        n < MAX_COMPOSITE_PERIODS
    }
}

impl Ctx<'_> {
    fn convert(
        &self,
        v: Decimal,
        from: ChargingRateUnit,
        to: ChargingRateUnit,
        phases: u8,
    ) -> Decimal {
        convert(v, from, to, phases, self.cfg.supply_voltage)
    }

    fn default_phases(&self) -> u8 {
        self.cfg.default_number_phases
    }
}

/// Converts between A (per phase) and W (total): `W = A × V × phases`.
pub(crate) fn convert(
    v: Decimal,
    from: ChargingRateUnit,
    to: ChargingRateUnit,
    phases: u8,
    voltage: Decimal,
) -> Decimal {
    // The factor only when the units differ: most calls convert nothing, and the
    // multiplication would be most of their cost.
    match (from, to) {
        (ChargingRateUnit::A, ChargingRateUnit::W) => v * (voltage * Decimal::from(phases)),
        (ChargingRateUnit::W, ChargingRateUnit::A) => {
            let factor = voltage * Decimal::from(phases);
            if factor.is_zero() {
                v
            } else {
                v / factor
            }
        }
        _ => v,
    }
}

/// A limit in its channels: amps and/or watts, with the phase count it came with.
#[derive(Debug, Clone, Copy)]
struct Channels {
    amps: Option<Decimal>,
    watts: Option<Decimal>,
    phases: Option<u8>,
}

impl Channels {
    /// The lowest of its channels in `unit`, converted with `phases`.
    fn in_unit(&self, ctx: &Ctx, phases: u8) -> Option<Decimal> {
        let a = self
            .amps
            .map(|a| ctx.convert(a, ChargingRateUnit::A, ctx.unit, phases));
        let w = self
            .watts
            .map(|w| ctx.convert(w, ChargingRateUnit::W, ctx.unit, phases));
        match (a, w) {
            (Some(a), Some(w)) => Some(a.min(w)),
            (a, w) => a.or(w),
        }
    }
}

/// The limit one profile contributes during an interval.
#[derive(Debug, Clone, Copy)]
struct Contribution {
    channels: Channels,
    source: ProfileRef,
}

impl Contribution {
    fn candidate(&self) -> (&Channels, Bound) {
        (&self.channels, Bound::Profile(self.source))
    }
}

/// What bound a slot's limit; the period's [`LimitSource`] is only built from it for the
/// periods that survive merging (an EVSE-0 sum's needs an allocation).
#[derive(Debug, Clone, Copy)]
enum Bound {
    Profile(ProfileRef),
    Default,
    EvseSum,
}

fn profile_ref(p: &InstalledProfile) -> ProfileRef {
    ProfileRef {
        id: p.id,
        purpose: p.purpose,
        stack_level: p.stack_level,
        evse_id: p.evse_id,
    }
}

/// Places one profile in `[ctx.now, ctx.end)` (`docs/charging-profiles.md` §2.1) and
/// appends its entries.
fn place(
    st: &SmartChargingStation,
    ctx: &Ctx,
    p: &Installed,
    tx_start: Option<i64>,
    tier: u8,
    layer: &mut Layer,
) {
    let opts = st.options();
    let prep = &p.prepared;
    let source = profile_ref(p);
    let rank = (tier, p.stack_level, p.seq, 1);
    // What ends every occurrence, whatever its origin.
    let mut cap = prep.valid_to.unwrap_or(i64::MAX);
    if let Anchor::Dynamic { expires: Some(e) } = prep.anchor {
        cap = cap.min(e);
    }
    let valid_from = prep.valid_from.unwrap_or(i64::MIN);
    // Room for one occurrence and the blocker at once, rather than growing step by step.
    let mut reserve = prep.periods.len() + 1;
    for o in Origins::of(st, ctx, prep.anchor, tx_start) {
        let occurrence_end = prep.duration.map_or(cap, |d| cap.min(o + d));
        for (k, q) in prep.periods.iter().enumerate() {
            let start = o + q.start;
            // Periods start in increasing order (validated): none after this one reaches
            // into the window.
            if start >= ctx.end {
                break;
            }
            let end = prep
                .periods
                .get(k + 1)
                .map_or(occurrence_end, |next| occurrence_end.min(o + next.start));
            let start = start.max(valid_from);
            if end <= start || end <= ctx.now {
                continue;
            }
            let (start, end) = (start.max(ctx.now), end.min(ctx.end));
            if start >= end {
                continue;
            }
            if !ctx.place_one() {
                return;
            }
            layer.entries.reserve(std::mem::take(&mut reserve));
            layer.entries.push(Entry {
                start,
                end,
                rank,
                value: Some(Contribution {
                    channels: channels(ctx, st, prep.unit, q),
                    source,
                }),
            });
        }
    }
    // §3 #6 literal 1.6 stacking: the profile blocks lower levels wherever it is valid.
    if p.version == ProfileVersion::V16 && opts.stacking16 == Stacking16::Literal {
        let start = prep.valid_from.unwrap_or(ctx.now).max(ctx.now);
        let end = prep.valid_to.unwrap_or(i64::MAX).min(ctx.end);
        if start < end {
            layer.entries.push(Entry {
                start,
                end,
                rank: (tier, p.stack_level, p.seq, 0),
                value: None,
            });
        }
    }
}

/// The channels of a period's limit: in its own unit, or (PhaseSource::PerProfile)
/// converted right away with its own phase count.
fn channels(
    ctx: &Ctx,
    st: &SmartChargingStation,
    unit: ChargingRateUnit,
    q: &PreparedPeriod,
) -> Channels {
    let phases = q.phases;
    // Read through the reference: copying the Option out first made the compiler reload
    // the Decimal from a half-written stack slot (a store-forwarding stall, hot here).
    let Some(&limit) = q.limit.as_ref() else {
        return Channels {
            amps: None,
            watts: None,
            phases,
        };
    };
    let (unit, limit) = match st.options().phase_source {
        PhaseSource::ResultMin => (unit, limit),
        PhaseSource::PerProfile => (
            ctx.unit,
            ctx.convert(
                limit,
                unit,
                ctx.unit,
                phases.unwrap_or(ctx.default_phases()),
            ),
        ),
    };
    let (amps, watts) = match unit {
        ChargingRateUnit::A => (Some(limit), None),
        ChargingRateUnit::W => (None, Some(limit)),
    };
    Channels {
        amps,
        watts,
        phases,
    }
}

/// Builds the layers of an EVSE into `layers` (empty; filled in place, as they are large
/// to move). `evse_id` 0 means "the station's own profiles only".
fn evse_layers(
    st: &SmartChargingStation,
    ctx: &Ctx,
    evse_id: u32,
    scope: Scope,
    layers: &mut EvseLayers,
) {
    use ChargingProfilePurpose as P;
    let tx = if evse_id == 0 {
        None
    } else {
        st.transaction(evse_id)
    };
    let tx_start = tx.map(|t| secs(&t.started_at));
    let tx_considered = scope == Scope::Full
        && (if evse_id == 0 {
            st.options().simulate_transaction
                || st
                    .config()
                    .evse_ids
                    .iter()
                    .any(|e| st.transaction(*e).is_some())
        } else {
            tx.is_some() || st.options().simulate_transaction
        });
    let priority_on = evse_id != 0 && st.priority_requested(evse_id);
    let mut priority = Layer::default();
    for p in st.installed() {
        let here = p.evse_id == evse_id;
        let station_wide = p.evse_id == 0;
        if !(here || station_wide) {
            continue;
        }
        match p.purpose {
            P::ChargingStationMaxProfile => {}
            P::ChargingStationExternalConstraints => {
                place(st, ctx, p, tx_start, 0, &mut layers.external)
            }
            P::LocalGeneration => place(st, ctx, p, tx_start, 0, &mut layers.local_generation),
            P::TxDefaultProfile if tx_considered => {
                // 1.6: an EVSE-specific TxDefault replaces the station-wide one there.
                let tier = u8::from(p.version == ProfileVersion::V16 && p.evse_id != 0);
                place(st, ctx, p, tx_start, tier, &mut layers.tx_default)
            }
            P::TxProfile if tx_considered && evse_id != 0 && here => {
                let belongs = match (
                    tx.and_then(|t| t.transaction_id.as_deref()),
                    p.profile.transaction_id.as_deref(),
                ) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                if belongs {
                    place(st, ctx, p, tx_start, 0, &mut layers.tx)
                }
            }
            P::PriorityCharging if priority_on && tx_considered => {
                place(st, ctx, p, tx_start, 0, &mut priority)
            }
            _ => {}
        }
    }
    layers.external.finish();
    layers.tx_default.finish();
    layers.tx.finish();
    layers.local_generation.finish();
    if priority_on {
        priority.finish();
        layers.priority = Some(priority);
    }
}

fn station_max_layer(st: &SmartChargingStation, ctx: &Ctx) -> Layer {
    let mut layer = Layer::default();
    for p in st.installed() {
        if p.purpose == ChargingProfilePurpose::ChargingStationMaxProfile {
            place(st, ctx, p, None, 0, &mut layer);
        }
    }
    layer.finish();
    layer
}

/// The value of one interval before merging.
struct Slot {
    limit: Option<Decimal>,
    phases: Option<u8>,
    bound: Bound,
}

/// §2.4: the lowest candidate in the requested unit, converted with the lowest phase
/// count present (the first of equal limits binds); gap fill when none limits.
fn resolve(
    ctx: &Ctx,
    st: &SmartChargingStation,
    candidates: &[Option<(&Channels, Bound)>],
    local: Option<&Channels>,
) -> Slot {
    let phases = candidates
        .iter()
        .flatten()
        .filter_map(|(c, _)| c.phases)
        .min();
    let conv = phases.unwrap_or(ctx.default_phases());
    // The lowest so far by position: copying its Bound on every improvement stalled on
    // the half-written copy (store forwarding), and only the winner's is needed.
    let mut best: Option<(Decimal, usize)> = None;
    for (i, candidate) in candidates.iter().enumerate() {
        let Some((c, _)) = candidate else {
            continue;
        };
        if let Some(v) = c.in_unit(ctx, conv) {
            if best.is_none_or(|(b, _)| v < b) {
                best = Some((v, i));
            }
        }
    }
    let winner = best.and_then(|(v, i)| Some((v, candidates.get(i)?.as_ref()?.1)));
    let (mut limit, bound) = match winner {
        Some((v, b)) => (Some(v), b),
        None => (gap_value(ctx, st, ctx.unit), Bound::Default),
    };
    // 2.1 LocalGeneration adds capacity on top.
    if let (Some(l), Some(g)) = (limit, local.and_then(|g| g.in_unit(ctx, conv))) {
        limit = Some(l + g);
    }
    let phases = if st.options().report_default_phases {
        Some(conv)
    } else {
        phases
    };
    Slot {
        limit,
        phases,
        bound,
    }
}

fn gap_value(ctx: &Ctx, st: &SmartChargingStation, unit: ChargingRateUnit) -> Option<Decimal> {
    match st.options().gap_fill {
        GapFill::NoLimit => None,
        GapFill::DefaultLimit => Some(match unit {
            ChargingRateUnit::A => ctx.cfg.default_limit_amps,
            ChargingRateUnit::W => ctx.cfg.default_limit_watts,
        }),
    }
}

/// §2.3 step 4: one EVSE's limit (External and Tx side) in both channels, a missing
/// channel counting as the default (EVerest `merge_profiles_by_summing_limits`).
fn evse_sum_part(ctx: &Ctx, st: &SmartChargingStation, layers: &EvseLayers) -> Channels {
    let cs = layers.contributions();
    let cs = || cs.iter().flatten().map(|c| &c.channels);
    Channels {
        amps: cs()
            .filter_map(|c| c.amps)
            .min()
            .or_else(|| gap_value(ctx, st, ChargingRateUnit::A)),
        watts: cs()
            .filter_map(|c| c.watts)
            .min()
            .or_else(|| gap_value(ctx, st, ChargingRateUnit::W)),
        phases: cs().filter_map(|c| c.phases).min(),
    }
}

/// What set one EVSE's part of an EVSE-0 sum: its lowest contribution in the requested
/// unit (the first of equal ones), else the default.
fn evse_sum_source(ctx: &Ctx, layers: &EvseLayers) -> LimitSource {
    let cs = layers.contributions();
    let cs = || cs.iter().flatten();
    let conv = cs()
        .filter_map(|c| c.channels.phases)
        .min()
        .unwrap_or(ctx.default_phases());
    let mut best: Option<(Decimal, ProfileRef)> = None;
    for c in cs() {
        if let Some(v) = c.channels.in_unit(ctx, conv) {
            if best.is_none_or(|(b, _)| v < b) {
                best = Some((v, c.source));
            }
        }
    }
    best.map_or(LimitSource::Default, |(_, p)| LimitSource::Profile(p))
}

/// Whether two normalized limits are equal. `normalize` leaves one representation per
/// value (no trailing zeros, no -0), so comparing the bytes compares the values, without
/// the scale alignment of `Decimal`'s `==` (a cost on every slot).
fn same_normalized(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    a.map(|d| d.serialize()) == b.map(|d| d.serialize())
}

/// Which purposes a composite includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// All of them (GetCompositeSchedule).
    Full,
    /// Only the limits a TxProfile cannot override: StationMax and external constraints
    /// (what a planned TxProfile will be capped by).
    LimitsOnly,
}

pub(crate) fn compute(
    st: &SmartChargingStation,
    evse_id: u32,
    start: DateTime<Utc>,
    duration: i64,
    unit: ChargingRateUnit,
    scope: Scope,
) -> Result<CompositeSchedule, Error> {
    let now = secs(&start);
    let duration = duration.clamp(0, i64::from(u32::MAX));
    let ctx = Ctx {
        now,
        end: now + duration.max(1),
        unit,
        cfg: st.config(),
        placed: Cell::new(0),
    };
    let opts = st.options();
    let mut station_max = station_max_layer(st, &ctx);
    let sum_evses = evse_id == 0 && opts.evse0 == Evse0::SumOfEvses;
    // One EVSE (the common request) needs no Vec.
    let mut single = (evse_id, EvseLayers::default());
    let mut summed: Vec<(u32, EvseLayers)>;
    let evses: &mut [(u32, EvseLayers)] = if sum_evses {
        summed = st
            .config()
            .evse_ids
            .iter()
            .map(|&e| (e, EvseLayers::default()))
            .collect();
        for (e, layers) in summed.iter_mut() {
            evse_layers(st, &ctx, *e, scope, layers);
        }
        &mut summed
    } else {
        evse_layers(st, &ctx, evse_id, scope, &mut single.1);
        std::slice::from_mut(&mut single)
    };

    crate::limits::check(
        || format!("limit periods in the composite schedule of EVSE {evse_id}"),
        ctx.placed.get(),
        MAX_COMPOSITE_PERIODS,
        "MAX_COMPOSITE_PERIODS",
    )?;
    let mut points = Vec::with_capacity(
        2 + station_max.breakpoint_count()
            + evses
                .iter()
                .map(|(_, l)| l.breakpoint_count())
                .sum::<usize>(),
    );
    points.extend([ctx.now, ctx.end]);
    station_max.breakpoints(&mut points);
    for (_, l) in evses.iter() {
        l.breakpoints(&mut points);
    }
    points.retain(|t| *t >= ctx.now && *t <= ctx.end);
    points.sort_unstable();
    points.dedup();

    let mut periods: Vec<CompositePeriod> = Vec::with_capacity(points.len());
    for w in points.windows(2) {
        let t = w[0];
        station_max.advance(t);
        let max = station_max.value().map(Contribution::candidate);
        evses.iter_mut().for_each(|(_, l)| l.advance(t));
        let slot = if sum_evses {
            let mut amps = Some(Decimal::ZERO);
            let mut watts = Some(Decimal::ZERO);
            let mut phases: Option<u8> = None;
            for (_, layers) in evses.iter() {
                let part = evse_sum_part(&ctx, st, layers);
                amps = amps.zip(part.amps).map(|(x, y)| x + y);
                watts = watts.zip(part.watts).map(|(x, y)| x + y);
                phases = phases.max(part.phases);
            }
            let sum = Channels {
                amps,
                watts,
                phases,
            };
            resolve(&ctx, st, &[Some((&sum, Bound::EvseSum)), max], None)
        } else {
            let Some((_, layers)) = evses.first() else {
                break;
            };
            let [tx_side, external] = layers.contributions();
            resolve(
                &ctx,
                st,
                &[
                    tx_side.map(Contribution::candidate),
                    external.map(Contribution::candidate),
                    max,
                ],
                layers.local_generation.value().map(|c| &c.channels),
            )
        };
        let limit = slot.limit.map(|l| l.normalize());
        if opts.merge_equal_adjacent
            && periods.last().is_some_and(|last| {
                same_normalized(last.limit, limit) && last.number_phases == slot.phases
            })
        {
            continue;
        }
        let source = match slot.bound {
            Bound::Profile(p) => LimitSource::Profile(p),
            Bound::Default => LimitSource::Default,
            Bound::EvseSum => LimitSource::EvseSum(
                evses
                    .iter()
                    .map(|(e, layers)| (*e, evse_sum_source(&ctx, layers)))
                    .collect(),
            ),
        };
        periods.push(CompositePeriod::new(
            u32::try_from(t - ctx.now).unwrap_or(u32::MAX),
            limit,
            slot.phases,
            &source,
        ));
    }
    Ok(CompositeSchedule {
        evse_id,
        schedule_start: from_secs(now),
        duration: u32::try_from(duration).unwrap_or(u32::MAX),
        unit,
        periods,
        rounding: opts.limit_rounding,
        merge: opts.merge_equal_adjacent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_normalized_is_decimal_equality_of_normalized_limits() {
        let values: Vec<Decimal> = [
            "0",
            "-0",
            "0.000",
            "1",
            "1.0",
            "1.00",
            "-1",
            "-1.0",
            "16",
            "16.000",
            "0.1",
            "0.10",
            "33120",
            "33120.0",
            "3312E1",
            "7.3913043478260869565217391304",
            "48",
            "47.99",
            "-0.0001",
            "79228162514264337593543950335",
        ]
        .iter()
        .filter_map(|t| {
            t.parse::<Decimal>()
                .ok()
                .or_else(|| Decimal::from_scientific(t).ok())
        })
        .collect();
        assert_eq!(values.len(), 20);
        let options = || values.iter().map(|v| Some(v.normalize())).chain([None]);
        for a in options() {
            for b in options() {
                assert_eq!(same_normalized(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
