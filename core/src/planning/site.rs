//! Site load sharing: a tree of limits (grid connection → groups/feeders → EVSEs), the
//! sessions present, and an allocation of power over time that respects every limit on
//! every phase.

use super::error::from_json;
use super::grid::ceil_01;
use super::grid::{at, check_series, energy_wh, floor_01, intervals, secs, value_at, SeriesPoint};
use super::plan::{cheapest_energies, power_range, PowerLimits, ProfileSettings, Slot};
use crate::enums::wire_enum;
use crate::planning::error::invalid_field;
use crate::profile::{
    build_tx_profile, convert, ChargingProfile, ChargingProfilePurpose, ChargingRateUnit,
    TxProfileSpec,
};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A node of the site tree with its limits: the grid connection (no parent) or a group /
/// feeder (parent: another group). Limits are per phase in A (each of L1, L2, L3) and/or
/// in W (total); absent means unlimited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SiteGroup {
    /// Unique id.
    pub id: String,
    /// The enclosing group (None: this is the grid connection; exactly one).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub parent: Option<String>,
    /// Limit per phase, A.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub max_current_a: Option<Decimal>,
    /// Limit of the total power, W.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub max_power_w: Option<Decimal>,
}

fn three() -> u8 {
    3
}
fn one() -> u8 {
    1
}

/// An EVSE of the site, in a group.
///
/// **Phases.** An EV charging on `n` phases of an EVSE loads the phases `first_phase`,
/// `first_phase + 1`, … (cyclically, `n` of them) with `power / (voltage × n)` each: a
/// single-phase car on an EVSE with `first_phase = 2` loads L2 only. Set `first_phase` per
/// EVSE to rotate single-phase load across the site (default L1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SiteEvse {
    /// Unique id on the site.
    pub id: String,
    /// The group it hangs from.
    pub group: String,
    /// The charging station it belongs to (for ChargingStationMaxProfiles).
    #[serde(default)]
    pub station_id: String,
    /// Its EVSE id on that station (the target of SetChargingProfile).
    #[serde(default = "one_u32")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 1))]
    pub evse_id: u32,
    /// Its maximum, W.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub max_power_w: Option<Decimal>,
    /// Its maximum per phase, A.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub max_current_a: Option<Decimal>,
    /// Phases wired (1–3).
    #[serde(default = "three")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 3))]
    pub phases: u8,
    /// The first phase it loads (1 = L1, 2 = L2, 3 = L3).
    #[serde(default = "one")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 1))]
    pub first_phase: u8,
}

fn one_u32() -> u32 {
    1
}

fn default_voltage() -> Decimal {
    Decimal::from(230)
}

/// The site: groups (one of them the grid connection), EVSEs, and optional PV generation
/// and house load at the connection. PV adds to, house load takes from the connection's
/// capacity (both spread evenly over the three phases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The grid connection and the groups.
    pub groups: Vec<SiteGroup>,
    /// The EVSEs.
    pub evses: Vec<SiteEvse>,
    /// Nominal line voltage (230 by default).
    #[serde(default = "default_voltage")]
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub voltage: Decimal,
    /// PV generation, W.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub pv_w: Vec<SeriesPoint>,
    /// House (non-EV) load, W.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub house_load_w: Vec<SeriesPoint>,
}

/// A car present (or expected) at an EVSE, with what it still needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SiteSession {
    /// The EVSE (a [`SiteEvse::id`]); at most one session per EVSE.
    pub evse_id: String,
    /// Energy still needed, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub need_wh: Decimal,
    /// Arrival (or now for a car already there).
    pub arrival: DateTime<Utc>,
    /// Departure.
    pub departure: DateTime<Utc>,
    /// Higher is served first on ties (and paused last).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = 0))]
    pub priority: u32,
    /// The EV's limits (max/min power or current, phases).
    #[serde(default)]
    pub ev: PowerLimits,
    /// Its transaction (for the TxProfile).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub transaction_id: Option<String>,
}

wire_enum! {
    /// How the site's capacity is shared over time.
    ///
    /// ```
    /// use chargekit::planning::SharingStrategy;
    /// assert_eq!(serde_json::to_string(&SharingStrategy::EarliestDeadlineFirst).unwrap(), "\"earliest_deadline_first\"");
    /// assert_eq!(serde_json::from_str::<SharingStrategy>("\"cheapest\"").unwrap(), SharingStrategy::Cheapest);
    /// ```
    #[derive(Default)]
    pub enum SharingStrategy {
        /// Max-min fairness (water-filling): every active session gets the same power unless
        /// its own limit or need caps it or a shared limit binds; what one cannot take goes to
        /// the others.
        #[default]
        EqualShare = "equal_share",
        /// Earliest departure first (priority breaks ties): each session in turn gets as much
        /// as its limits and what is left of every shared limit allow.
        EarliestDeadlineFirst = "earliest_deadline_first",
        /// Price-aware: sessions are served one after the other in earliest-departure order
        /// (higher priority first on equal departures, then request order), and each gets its
        /// own cheapest plan within what the sessions served before it left.
        ///
        /// **Algorithm.** For the session being served, the *headroom* of every interval of its
        /// stay is the least, over every constraint it loads, of what is left: each ancestor
        /// group's W limit and per-phase A limit on the phases it loads (the connection's
        /// limits with PV added and house load taken off), and its own maximum (EV and EVSE),
        /// floored to 0.1 W; an interval whose headroom is below the session's minimum rate
        /// cannot charge. Its energies are then the exact cheapest fill of those intervals (the
        /// greedy of [`PlanStrategy::Cheapest`](super::PlanStrategy::Cheapest): cheapest
        /// interval first, earlier first on equal prices, each up to its headroom, until the
        /// need is met), and its powers are taken off the headroom before the next session.
        /// Every limit therefore holds at every interval, and each session pays exactly what its
        /// own [`plan`](fn@super::plan) would cost on the capacity left to it (but see
        /// *whole intervals*).
        ///
        /// **Whole intervals.** The site allocation has one power per EVSE and interval, so a
        /// session cannot pause inside an interval the way a single plan does below its minimum
        /// rate. A charging interval is given a power of at least the minimum rate for the whole
        /// interval: when the cheapest fill leaves an interval with less energy than the minimum
        /// rate delivers (at most one such interval: the last, dearest one filled), it is raised
        /// to the minimum rate and the excess is taken off the session's dearest other charging
        /// intervals (later first on equal prices), none of them below the minimum rate. The
        /// cost can then exceed the single plan's by at most the excess (under `minimum rate ×
        /// interval`) times the price gap; when nothing can be taken off, the session gets the
        /// excess and stops once its need is in, as with the other strategies. With no minimum
        /// rate, or when every charging interval is full, the costs are equal.
        ///
        /// **Limits.** Sessions are planned one at a time: an earlier departure takes the
        /// cheapest hours it wants even when a later one would gain more from them, so the
        /// site's total cost is not minimised (that is a min-cost flow over sessions ×
        /// intervals, not attempted here), and it is not guaranteed to be below
        /// [`SharingStrategy::EqualShare`]'s. The plan is for the prices known when
        /// [`allocate`] is called: re-plan when a car arrives or leaves, or prices change.
        ///
        /// **Without prices** (empty [`AllocationRequest::prices`]) it allocates exactly as
        /// [`SharingStrategy::EarliestDeadlineFirst`] (charge as early as the limits allow,
        /// the safe choice when departures are uncertain). With prices, the series must cover
        /// every interval from [`AllocationRequest::from`] on ([`Error::MissingPrice`]
        /// otherwise).
        Cheapest = "cheapest",
    }
}

fn default_interval() -> u32 {
    900
}

/// What [`allocate`] needs. Re-planning is stateless: when a car arrives or leaves, call
/// [`allocate`] again from now with the sessions present and their *remaining* needs
/// (need − energy delivered so far); the allocation before `from` is not revisited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    /// The site.
    pub site: Site,
    /// The sessions.
    pub sessions: Vec<SiteSession>,
    /// Allocate from here (now).
    pub from: DateTime<Utc>,
    /// Until here (default: the last departure).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<DateTime<Utc>>,
    /// The strategy.
    #[serde(default)]
    pub strategy: SharingStrategy,
    /// Grid step, seconds (900 by default); intervals are also cut at arrivals,
    /// departures and PV/house-load changes.
    #[serde(default = "default_interval")]
    #[cfg_attr(feature = "uniffi", uniffi(default = 900))]
    pub interval_s: u32,
    /// Price per kWh (optional): gives each session's expected cost.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub prices: Vec<SeriesPoint>,
    /// Profiles: session `i` gets profile id `profile_id + i`; station profiles follow.
    #[serde(default)]
    pub profile: ProfileSettings,
}

impl AllocationRequest {
    /// Reads a request from JSON (field paths in errors).
    ///
    /// ```
    /// use chargekit::planning::AllocationRequest;
    /// let e = AllocationRequest::from_json(r#"{"site": {"groups": [], "evses": []}, "sessions": [], "from": 1}"#).unwrap_err();
    /// assert!(e.to_string().contains("from"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        from_json(text)
    }

    /// The request as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Power of one EVSE in an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EvseLoad {
    /// The EVSE.
    pub evse_id: String,
    /// Allocated power, W (0: paused or idle).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub power_w: Decimal,
}

/// Load of a group (or the connection) in an interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupLoad {
    /// The group.
    pub group_id: String,
    /// Total power of the EVSEs below it, W.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub power_w: Decimal,
    /// Current on L1, A (rounded to mA).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub l1_a: Decimal,
    /// Current on L2, A.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub l2_a: Decimal,
    /// Current on L3, A.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub l3_a: Decimal,
}

/// One interval of the allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SiteInterval {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Every EVSE with a session, in session order.
    pub evses: Vec<EvseLoad>,
    /// Every group, in site order.
    pub groups: Vec<GroupLoad>,
}

/// What a session gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionOutcome {
    /// The EVSE.
    pub evse_id: String,
    /// Its need, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub need_wh: Decimal,
    /// Allocated energy, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub energy_wh: Decimal,
    /// True when the need is met by the departure.
    pub feasible: bool,
    /// What is missing at departure, Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub shortfall_wh: Decimal,
    /// Expected cost at the request's prices (0 without prices).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub expected_cost: Decimal,
}

/// A profile ready to send: to `station_id`, EVSE `evse_id` (0 for a station profile).
/// Kotlin and Swift see the profile as its OCPP 2.0.1 JSON text, `profileJson`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProfileToSend {
    /// The station.
    pub station_id: String,
    /// The EVSE on it (0: the station).
    pub evse_id: u32,
    /// TxProfile or ChargingStationMaxProfile.
    pub purpose: ChargingProfilePurpose,
    /// The profile.
    #[cfg_attr(feature = "uniffi", uniffi(name = "profile_json"))]
    pub profile: ChargingProfile,
}

/// The result of [`allocate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SiteAllocation {
    /// The allocation per interval.
    pub intervals: Vec<SiteInterval>,
    /// Per session, in request order.
    pub sessions: Vec<SessionOutcome>,
    /// One Absolute TxProfile per session (from `max(from, arrival)` to its departure).
    pub tx_profiles: Vec<ProfileToSend>,
    /// One Absolute ChargingStationMaxProfile per station: the sum of its EVSEs.
    pub station_profiles: Vec<ProfileToSend>,
    /// The strategy used.
    pub strategy: SharingStrategy,
    /// The allocation per EVSE, in first-appearance (session) order, one point per
    /// interval: what a display or a binding's `(start, power)` lists show.
    pub evse_schedules: Vec<EvseSchedule>,
}

/// The allocation of one EVSE over time, as `(start, power W)` points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EvseSchedule {
    /// The EVSE.
    pub evse_id: String,
    /// Power from each interval's start, W.
    pub points: Vec<SeriesPoint>,
}

/// The allocation per EVSE of the given intervals (see [`SiteAllocation::evse_schedules`]).
///
/// ```
/// use chargekit::planning::{evse_schedules, EvseLoad, SiteInterval};
/// use rust_decimal::Decimal;
/// let t: chrono::DateTime<chrono::Utc> = "2026-03-10T22:00:00Z".parse().unwrap();
/// let load = |id: &str, w| EvseLoad { evse_id: id.into(), power_w: Decimal::from(w) };
/// let intervals = vec![SiteInterval { start: t, end: t + chrono::Duration::minutes(15),
///     evses: vec![load("A", 11000), load("B", 0)], groups: vec![] }];
/// let s = evse_schedules(&intervals);
/// assert_eq!((s[0].evse_id.as_str(), s[0].points[0].value), ("A", Decimal::from(11000)));
/// assert_eq!(s[1].points[0].start, t);
/// ```
pub fn evse_schedules(intervals: &[SiteInterval]) -> Vec<EvseSchedule> {
    let mut out: Vec<EvseSchedule> = Vec::new();
    for i in intervals {
        for e in &i.evses {
            let point = SeriesPoint::new(i.start, e.power_w);
            match out.iter_mut().find(|s| s.evse_id == e.evse_id) {
                Some(s) => s.points.push(point),
                None => out.push(EvseSchedule {
                    evse_id: e.evse_id.clone(),
                    points: vec![point],
                }),
            }
        }
    }
    out
}

#[cfg_attr(feature = "uniffi", uniffi::export)]
impl SiteAllocation {
    /// The allocation as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A shared limit: `Σ coef_i × p_i ≤ limit` over the sessions below a group.
/// Per-phase A limits are scaled by 6 so that coefficients are integers:
/// `Σ p_i × 6/n_i ≤ 6 × A × V` on each phase the session loads.
#[derive(Debug, Clone)]
struct Constraint {
    group: usize,
    /// 0 for the W limit, 1–3 for a phase.
    phase: u8,
    limit: Decimal,
}

struct Active {
    idx: usize,
    cap: Decimal,
    min: Decimal,
}

struct Checked {
    /// Per session: EVSE index, phases, max W, min W.
    evse_of: Vec<usize>,
    phases: Vec<u8>,
    max_w: Vec<Decimal>,
    min_w: Vec<Decimal>,
    /// Per EVSE: the groups above it (itself's group first).
    ancestors: Vec<Vec<usize>>,
    root: usize,
}

fn check(req: &AllocationRequest) -> Result<Checked, Error> {
    let site = &req.site;
    fn f(field: impl Into<String>, message: impl Into<String>) -> Error {
        invalid_field(field, message)
    }
    if site.voltage <= Decimal::ZERO {
        return Err(f("site.voltage", "must be positive"));
    }
    let mut gidx = BTreeMap::new();
    for (i, g) in site.groups.iter().enumerate() {
        if gidx.insert(g.id.as_str(), i).is_some() {
            return Err(f(format!("site.groups[{i}].id"), "duplicate id"));
        }
        for (name, v) in [
            ("max_current_a", g.max_current_a),
            ("max_power_w", g.max_power_w),
        ] {
            if v.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
                return Err(f(
                    format!("site.groups[{i}].{name}"),
                    "must not be negative",
                ));
            }
        }
    }
    let roots: Vec<usize> = (0..site.groups.len())
        .filter(|i| site.groups[*i].parent.is_none())
        .collect();
    let root = match roots.as_slice() {
        [r] => *r,
        _ => {
            return Err(f(
                "site.groups",
                "exactly one group (the grid connection) must have no parent",
            ))
        }
    };
    let mut parent = vec![None; site.groups.len()];
    for (i, g) in site.groups.iter().enumerate() {
        if let Some(p) = &g.parent {
            parent[i] = Some(
                *gidx
                    .get(p.as_str())
                    .ok_or_else(|| f(format!("site.groups[{i}].parent"), "unknown group"))?,
            );
        }
    }
    let chain = |mut g: usize, field: String| -> Result<Vec<usize>, Error> {
        let mut out = vec![g];
        while let Some(p) = parent[g] {
            if out.len() > parent.len() {
                return Err(f(field, "the groups form a cycle"));
            }
            out.push(p);
            g = p;
        }
        Ok(out)
    };
    for i in 0..site.groups.len() {
        chain(i, format!("site.groups[{i}].parent"))?;
    }
    let mut eidx = BTreeMap::new();
    let mut ancestors = Vec::new();
    for (i, e) in site.evses.iter().enumerate() {
        if eidx.insert(e.id.as_str(), i).is_some() {
            return Err(f(format!("site.evses[{i}].id"), "duplicate id"));
        }
        let g = *gidx
            .get(e.group.as_str())
            .ok_or_else(|| f(format!("site.evses[{i}].group"), "unknown group"))?;
        ancestors.push(chain(g, format!("site.evses[{i}].group"))?);
        if !(1..=3).contains(&e.phases) {
            return Err(f(format!("site.evses[{i}].phases"), "must be 1, 2 or 3"));
        }
        if !(1..=3).contains(&e.first_phase) {
            return Err(f(
                format!("site.evses[{i}].first_phase"),
                "must be 1, 2 or 3",
            ));
        }
    }
    check_series("site.pv_w", &site.pv_w, false)?;
    check_series("site.house_load_w", &site.house_load_w, false)?;
    check_series("prices", &req.prices, true)?;
    if req.interval_s == 0 {
        return Err(f("interval_s", "must be positive"));
    }
    let mut used = vec![false; site.evses.len()];
    let mut out = Checked {
        evse_of: Vec::new(),
        phases: Vec::new(),
        max_w: Vec::new(),
        min_w: Vec::new(),
        ancestors,
        root,
    };
    for (i, s) in req.sessions.iter().enumerate() {
        let e = *eidx
            .get(s.evse_id.as_str())
            .ok_or_else(|| f(format!("sessions[{i}].evse_id"), "unknown EVSE"))?;
        if std::mem::replace(&mut used[e], true) {
            return Err(f(
                format!("sessions[{i}].evse_id"),
                "one session per EVSE (re-plan when the next car arrives)",
            ));
        }
        if s.departure <= s.arrival {
            return Err(f(
                format!("sessions[{i}].departure"),
                "must be after arrival",
            ));
        }
        if s.need_wh.is_sign_negative() && !s.need_wh.is_zero() {
            return Err(f(format!("sessions[{i}].need_wh"), "must not be negative"));
        }
        let evse = &site.evses[e];
        let evse_limits = PowerLimits {
            max_power_w: evse.max_power_w,
            max_current_a: evse.max_current_a,
            phases: Some(evse.phases),
            ..PowerLimits::default()
        };
        let (phases, max, min) = power_range(
            &s.ev,
            &evse_limits,
            site.voltage,
            &format!("sessions[{i}]."),
        )?;
        let max = max.ok_or_else(|| {
            f(
                format!("sessions[{i}].ev.max_power_w"),
                "give a maximum power or current for the EV or its EVSE",
            )
        })?;
        out.evse_of.push(e);
        out.phases.push(phases);
        out.max_w.push(max);
        out.min_w.push(min);
    }
    Ok(out)
}

/// Whether a session on `evse` with `n` phases loads phase `ph` (1–3).
fn loads(evse: &SiteEvse, n: u8, ph: u8) -> bool {
    (0..n).any(|k| (evse.first_phase - 1 + k) % 3 + 1 == ph)
}

/// Allocates the site's capacity to the sessions over time (see [`SharingStrategy`]).
///
/// Every interval, each active session (arrived, not departed, need left) gets a power
/// within its EV's and EVSE's limits, and every group's and the connection's limits hold
/// on every phase. A session that would get less than its minimum rate is paused (0 W)
/// instead and its share goes to the others (EqualShare pauses the lowest priority, then
/// the latest departure first). When a session's remaining need is less than an
/// interval at its minimum rate, it is allotted the minimum rate and stops when the need is
/// in. [`SharingStrategy::Cheapest`] plans the whole window at once instead of interval by
/// interval (each session's cheapest plan within what earlier departures left), under the
/// same limits and minimum rates.
///
/// ```
/// use chargekit::planning::{allocate, AllocationRequest, Site, SiteGroup, SiteEvse, SiteSession, SharingStrategy, PowerLimits};
/// use rust_decimal::Decimal;
/// let t = |s: &str| s.parse().unwrap();
/// let evse = |id: &str| SiteEvse { id: id.into(), group: "grid".into(), station_id: "CS".into(), evse_id: 1,
///     max_power_w: Some(Decimal::from(11_000)), max_current_a: None, phases: 3, first_phase: 1 };
/// let site = Site { groups: vec![SiteGroup { id: "grid".into(), parent: None, max_current_a: Some(Decimal::from(25)), max_power_w: None }],
///     evses: vec![evse("A"), evse("B")], voltage: Decimal::from(230), pv_w: vec![], house_load_w: vec![] };
/// let session = |id: &str| SiteSession { evse_id: id.into(), need_wh: Decimal::from(50_000), arrival: t("2026-03-10T22:00:00Z"),
///     departure: t("2026-03-11T06:00:00Z"), priority: 0, ev: PowerLimits::default(), transaction_id: None };
/// let req = AllocationRequest { site, sessions: vec![session("A"), session("B")], from: t("2026-03-10T22:00:00Z"),
///     until: None, strategy: SharingStrategy::EqualShare, interval_s: 900, prices: vec![], profile: Default::default() };
/// let a = allocate(&req).unwrap();
/// // 25 A × 230 V × 3 = 17 250 W shared equally.
/// assert_eq!(a.intervals[0].evses[0].power_w, Decimal::from(8625));
/// assert_eq!(a.intervals[0].groups[0].l1_a, Decimal::from(25));
/// ```
pub fn allocate(req: &AllocationRequest) -> Result<SiteAllocation, Error> {
    let ck = check(req)?;
    let site = &req.site;
    let v = site.voltage;
    let from = secs(&req.from);
    let until = req
        .until
        .as_ref()
        .map(secs)
        .or_else(|| req.sessions.iter().map(|s| secs(&s.departure)).max())
        .unwrap_or(from);
    let mut cuts: Vec<i64> = req
        .sessions
        .iter()
        .flat_map(|s| [secs(&s.arrival), secs(&s.departure)])
        .collect();
    cuts.extend(
        site.pv_w
            .iter()
            .chain(&site.house_load_w)
            .chain(&req.prices)
            .map(|p| secs(&p.start)),
    );
    let grid = if until > from {
        intervals(from, until, i64::from(req.interval_s), &cuts)?
    } else {
        Vec::new()
    };
    let n = req.sessions.len();
    let six = Decimal::from(6);
    // Constraint coefficient of session i.
    let coef = |c: &Constraint, i: usize| -> Decimal {
        let e = ck.evse_of[i];
        if !ck.ancestors[e].contains(&c.group) {
            return Decimal::ZERO;
        }
        if c.phase == 0 {
            Decimal::ONE
        } else if loads(&site.evses[e], ck.phases[i], c.phase) {
            six / Decimal::from(ck.phases[i])
        } else {
            Decimal::ZERO
        }
    };
    // The shared limits in force in each interval: the same constraints (groups and
    // phases, in the same order) every interval, only their limits change with PV and
    // house load, so the coefficients are computed once.
    let limits: Vec<Vec<Constraint>> = grid
        .iter()
        .map(|(a, _)| constraints_at(site, &ck, *a))
        .collect();
    let coefs: Vec<Vec<Decimal>> = constraints_at(site, &ck, from)
        .iter()
        .map(|c| (0..n).map(|i| coef(c, i)).collect())
        .collect();
    let planned = match req.strategy {
        SharingStrategy::Cheapest if !req.prices.is_empty() => {
            Some(cheapest_powers(req, &ck, &grid, &limits, &coefs)?)
        }
        _ => None,
    };
    let mut remaining: Vec<Decimal> = req.sessions.iter().map(|s| s.need_wh).collect();
    let mut delivered = vec![Decimal::ZERO; n];
    let mut cost = vec![Decimal::ZERO; n];
    let mut out_intervals = Vec::with_capacity(grid.len());
    let mut powers_over_time: Vec<Vec<Decimal>> = Vec::with_capacity(grid.len());
    for (k, (&(a, b), cons)) in grid.iter().zip(&limits).enumerate() {
        let d = b - a;
        let cons = cons.as_slice();
        let mut active: Vec<Active> = (0..n)
            .filter(|&i| {
                let s = &req.sessions[i];
                secs(&s.arrival) <= a && secs(&s.departure) >= b && remaining[i] > Decimal::ZERO
            })
            .map(|i| {
                let need_rate = remaining[i] * Decimal::from(3600) / Decimal::from(d);
                Active {
                    idx: i,
                    cap: need_rate.max(ck.min_w[i]).min(ck.max_w[i]),
                    min: ck.min_w[i],
                }
            })
            .filter(|s| s.cap > Decimal::ZERO && s.cap >= s.min)
            .collect();
        let p = match (req.strategy, &planned) {
            // Planned ahead; a session whose need is in (by the rounding of its powers up
            // to 0.1 W) stops.
            (_, Some(planned)) => planned[k]
                .iter()
                .zip(&remaining)
                .map(|(x, r)| {
                    if *r > Decimal::ZERO {
                        *x
                    } else {
                        Decimal::ZERO
                    }
                })
                .collect(),
            (SharingStrategy::EqualShare, None) => loop {
                let p = water_fill(&active, cons, &coefs, n);
                // Pause the least entitled session below its minimum, and retry.
                let below = active
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| p[s.idx] < s.min || p[s.idx].is_zero())
                    .min_by_key(|(_, s)| {
                        let r = &req.sessions[s.idx];
                        (
                            r.priority,
                            std::cmp::Reverse(r.departure),
                            std::cmp::Reverse(s.idx),
                        )
                    })
                    .map(|(k, _)| k);
                match below {
                    Some(k) => {
                        active.remove(k);
                    }
                    None => break p,
                }
            },
            // EarliestDeadlineFirst, and Cheapest without prices.
            (_, None) => {
                active.sort_by_key(|s| {
                    let r = &req.sessions[s.idx];
                    (r.departure, std::cmp::Reverse(r.priority), s.idx)
                });
                greedy(&active, cons, &coefs, n)
            }
        };
        let mut evses = Vec::with_capacity(n);
        for i in 0..n {
            if p[i] > Decimal::ZERO {
                let e = energy_wh(p[i], d).min(remaining[i]);
                remaining[i] -= e;
                delivered[i] += e;
                if let Some(price) = value_at(&req.prices, a) {
                    cost[i] += e * price / Decimal::ONE_THOUSAND;
                }
            }
            evses.push(EvseLoad {
                evse_id: req.sessions[i].evse_id.clone(),
                power_w: p[i].normalize(),
            });
        }
        let groups = site
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let mut power = Decimal::ZERO;
                let mut ph = [Decimal::ZERO; 3];
                for (i, pi) in p.iter().enumerate() {
                    let e = ck.evse_of[i];
                    if pi.is_zero() || !ck.ancestors[e].contains(&gi) {
                        continue;
                    }
                    power += *pi;
                    let per = *pi / (v * Decimal::from(ck.phases[i]));
                    for (k, x) in ph.iter_mut().enumerate() {
                        if loads(&site.evses[e], ck.phases[i], k as u8 + 1) {
                            *x += per;
                        }
                    }
                }
                GroupLoad {
                    group_id: g.id.clone(),
                    power_w: power.normalize(),
                    l1_a: ph[0].round_dp(3).normalize(),
                    l2_a: ph[1].round_dp(3).normalize(),
                    l3_a: ph[2].round_dp(3).normalize(),
                }
            })
            .collect();
        out_intervals.push(SiteInterval {
            start: at(a),
            end: at(b),
            evses,
            groups,
        });
        powers_over_time.push(p);
    }
    let sessions = req
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let missing = (s.need_wh - delivered[i]).max(Decimal::ZERO);
            SessionOutcome {
                evse_id: s.evse_id.clone(),
                need_wh: s.need_wh,
                energy_wh: delivered[i].normalize(),
                feasible: missing.is_zero(),
                shortfall_wh: missing.round_dp(3).normalize(),
                expected_cost: cost[i].normalize(),
            }
        })
        .collect();
    let (tx_profiles, station_profiles) = profiles(req, &ck, &grid, &powers_over_time, from);
    Ok(SiteAllocation {
        evse_schedules: evse_schedules(&out_intervals),
        intervals: out_intervals,
        sessions,
        tx_profiles,
        station_profiles,
        strategy: req.strategy,
    })
}

/// The shared limits in force at `a` (PV and house load adjust the connection's).
fn constraints_at(site: &Site, ck: &Checked, a: i64) -> Vec<Constraint> {
    let six = Decimal::from(6);
    let v = site.voltage;
    let extra = value_at(&site.pv_w, a).unwrap_or_default()
        - value_at(&site.house_load_w, a).unwrap_or_default();
    let mut cons = Vec::new();
    for (gi, g) in site.groups.iter().enumerate() {
        let adj = if gi == ck.root { extra } else { Decimal::ZERO };
        if let Some(w) = g.max_power_w {
            cons.push(Constraint {
                group: gi,
                phase: 0,
                limit: (w + adj).max(Decimal::ZERO),
            });
        }
        if let Some(amps) = g.max_current_a {
            for ph in 1..=3 {
                cons.push(Constraint {
                    group: gi,
                    phase: ph,
                    // 6 × (A × V + adj / 3)
                    limit: (six * amps * v + adj * Decimal::TWO).max(Decimal::ZERO),
                });
            }
        }
    }
    cons
}

/// [`SharingStrategy::Cheapest`]: the power of every session in every interval
/// (`[interval][session]`), sessions served in earliest-departure order, each with its
/// cheapest fill of the headroom the earlier ones left (see the strategy's documentation).
fn cheapest_powers(
    req: &AllocationRequest,
    ck: &Checked,
    grid: &[(i64, i64)],
    limits: &[Vec<Constraint>],
    coefs: &[Vec<Decimal>],
) -> Result<Vec<Vec<Decimal>>, Error> {
    let n = req.sessions.len();
    let prices = grid
        .iter()
        .map(|(a, _)| value_at(&req.prices, *a).ok_or(Error::MissingPrice { at: at(*a) }))
        .collect::<Result<Vec<Decimal>, _>>()?;
    // What is left of every constraint in every interval.
    let mut left: Vec<Vec<Decimal>> = limits
        .iter()
        .map(|cs| cs.iter().map(|c| c.limit).collect())
        .collect();
    let mut p = vec![vec![Decimal::ZERO; n]; grid.len()];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| {
        let r = &req.sessions[i];
        (r.departure, std::cmp::Reverse(r.priority), i)
    });
    for i in order {
        let s = &req.sessions[i];
        if s.need_wh <= Decimal::ZERO {
            continue;
        }
        let (max_w, min_w) = (ck.max_w[i], ck.min_w[i]);
        // The constraints this session loads, with its coefficient in each.
        let mine: Vec<(usize, Decimal)> = coefs
            .iter()
            .enumerate()
            .filter(|(_, row)| row[i] > Decimal::ZERO)
            .map(|(c, row)| (c, row[i]))
            .collect();
        let (arrival, departure) = (secs(&s.arrival), secs(&s.departure));
        let stay: Vec<usize> = (0..grid.len())
            .filter(|&k| grid[k].0 >= arrival && grid[k].1 <= departure)
            .collect();
        let slots: Vec<Slot> = stay
            .iter()
            .map(|&k| {
                let (a, b) = grid[k];
                let mut h = max_w;
                for &(c, coef) in &mine {
                    h = h.min((left[k][c] / coef).max(Decimal::ZERO));
                }
                let mut h = floor_01(h);
                if h < min_w || h <= Decimal::ZERO {
                    h = Decimal::ZERO;
                }
                Slot {
                    start: a,
                    end: b,
                    max_w: h,
                    cap_wh: energy_wh(h, b - a),
                    rank: prices[k],
                    price: Some(prices[k]),
                    co2: None,
                }
            })
            .collect();
        let energy = cheapest_energies(&slots, s.need_wh, min_w);
        let powers = whole_interval_powers(&slots, &energy, min_w);
        for (&k, x) in stay.iter().zip(powers) {
            if x > Decimal::ZERO {
                p[k][i] = x;
                for &(c, coef) in &mine {
                    left[k][c] -= coef * x;
                }
            }
        }
    }
    Ok(p)
}

/// One power per slot for the energies of a cheapest fill, never in `(0, min_w)`: an
/// interval with less energy than the minimum rate delivers is raised to the minimum rate,
/// and the excess is taken off the dearest other charging intervals (later first on equal
/// prices) down to the minimum rate. Powers are rounded up to 0.1 W, never above the
/// slot's `max_w`.
fn whole_interval_powers(slots: &[Slot], energy: &[Decimal], min_w: Decimal) -> Vec<Decimal> {
    let h = Decimal::from(3600);
    let mut w: Vec<Decimal> = slots
        .iter()
        .zip(energy)
        .map(|(s, e)| {
            if *e > Decimal::ZERO {
                *e * h / Decimal::from(s.secs())
            } else {
                Decimal::ZERO
            }
        })
        .collect();
    let mut dearest: Vec<usize> = (0..slots.len()).filter(|k| w[*k] > Decimal::ZERO).collect();
    dearest.sort_by(|a, b| (slots[*b].rank, b).cmp(&(slots[*a].rank, a)));
    for k in 0..slots.len() {
        if w[k].is_zero() || w[k] >= min_w {
            continue;
        }
        // Excess energy in W·s.
        let mut excess = (min_w - w[k]) * Decimal::from(slots[k].secs());
        w[k] = min_w;
        for &j in &dearest {
            if excess <= Decimal::ZERO {
                break;
            }
            if j == k || w[j] <= min_w {
                continue;
            }
            let d = Decimal::from(slots[j].secs());
            let take = ((w[j] - min_w) * d).min(excess);
            w[j] -= take / d;
            excess -= take;
        }
    }
    w.iter()
        .zip(slots)
        .map(|(w, s)| {
            if *w > Decimal::ZERO {
                ceil_01(*w).min(s.max_w)
            } else {
                Decimal::ZERO
            }
        })
        .collect()
}

/// Progressive filling: raise every unfrozen session's power equally until its cap or a
/// shared limit it is in binds; freeze; repeat. Powers are floored to 0.1 W.
fn water_fill(
    active: &[Active],
    cons: &[Constraint],
    coefs: &[Vec<Decimal>],
    n: usize,
) -> Vec<Decimal> {
    let mut p = vec![Decimal::ZERO; n];
    let mut frozen: Vec<bool> = active.iter().map(|_| false).collect();
    let mut load: Vec<Decimal> = cons.iter().map(|_| Decimal::ZERO).collect();
    for _ in 0..=(active.len() + cons.len()) {
        if frozen.iter().all(|f| *f) {
            break;
        }
        let mut delta: Option<Decimal> = None;
        let mut tighten = |x: Decimal| {
            if delta.is_none_or(|d| x < d) {
                delta = Some(x);
            }
        };
        for (k, s) in active.iter().enumerate() {
            if !frozen[k] {
                tighten(s.cap - p[s.idx]);
            }
        }
        for (c, con) in cons.iter().enumerate() {
            let rate: Decimal = active
                .iter()
                .enumerate()
                .filter(|(k, _)| !frozen[*k])
                .map(|(_, s)| coefs[c][s.idx])
                .sum();
            if rate > Decimal::ZERO {
                tighten(((con.limit - load[c]) / rate).max(Decimal::ZERO));
            }
        }
        let Some(delta) = delta else { break };
        for (k, s) in active.iter().enumerate() {
            if !frozen[k] {
                p[s.idx] += delta;
            }
        }
        for (c, l) in load.iter_mut().enumerate() {
            *l = active.iter().map(|s| coefs[c][s.idx] * p[s.idx]).sum();
        }
        let tol = Decimal::new(1, 12);
        for (k, s) in active.iter().enumerate() {
            if frozen[k] {
                continue;
            }
            let at_cap = p[s.idx] + tol >= s.cap;
            let bound = cons
                .iter()
                .enumerate()
                .any(|(c, con)| coefs[c][s.idx] > Decimal::ZERO && load[c] + tol >= con.limit);
            if at_cap || bound {
                frozen[k] = true;
            }
        }
    }
    p.iter_mut().for_each(|x| *x = floor_01(*x));
    p
}

/// Earliest deadline first: in order, each session takes what its cap and the shared
/// limits still allow (0 when that is below its minimum). Powers are floored to 0.1 W.
fn greedy(
    active: &[Active],
    cons: &[Constraint],
    coefs: &[Vec<Decimal>],
    n: usize,
) -> Vec<Decimal> {
    let mut p = vec![Decimal::ZERO; n];
    let mut load: Vec<Decimal> = cons.iter().map(|_| Decimal::ZERO).collect();
    for s in active {
        let mut x = s.cap;
        for (c, con) in cons.iter().enumerate() {
            let k = coefs[c][s.idx];
            if k > Decimal::ZERO {
                x = x.min(((con.limit - load[c]) / k).max(Decimal::ZERO));
            }
        }
        let x = floor_01(x);
        if x < s.min || x.is_zero() {
            continue;
        }
        p[s.idx] = x;
        for (c, l) in load.iter_mut().enumerate() {
            *l += coefs[c][s.idx] * x;
        }
    }
    p
}

/// The TxProfile of every session and the ChargingStationMaxProfile of every station.
fn profiles(
    req: &AllocationRequest,
    ck: &Checked,
    grid: &[(i64, i64)],
    powers: &[Vec<Decimal>],
    from: i64,
) -> (Vec<ProfileToSend>, Vec<ProfileToSend>) {
    let settings = &req.profile;
    let unit = settings.unit;
    let v = req.site.voltage;
    let steps_of = |values: &mut dyn Iterator<Item = (i64, Decimal)>| {
        let mut steps: Vec<(i64, Decimal)> = Vec::new();
        for (t, l) in values {
            if steps.last().is_none_or(|(_, x)| *x != l) {
                steps.push((t, l));
            }
        }
        steps
    };
    let mut tx = Vec::new();
    for (i, s) in req.sessions.iter().enumerate() {
        let start = secs(&s.arrival).max(from);
        let end = secs(&s.departure);
        let phases = ck.phases[i];
        let mut values = grid
            .iter()
            .zip(powers)
            .filter(|((a, b), _)| *a >= start && *b <= end)
            .map(|((a, _), p)| {
                (
                    *a,
                    floor_01(convert(p[i], ChargingRateUnit::W, unit, phases, v)),
                )
            });
        let mut steps = steps_of(&mut values);
        if steps.first().is_none_or(|(t, _)| *t != start) {
            steps.insert(0, (start, Decimal::ZERO));
        }
        let min_rate = (ck.min_w[i] > Decimal::ZERO)
            .then(|| floor_01(convert(ck.min_w[i], ChargingRateUnit::W, unit, phases, v)));
        let profile = build_tx_profile(&TxProfileSpec {
            start,
            periods: &steps,
            unit,
            number_phases: phases,
            min_charging_rate: min_rate,
            duration_end: Some(end),
            valid_to: Some(end),
            profile_id: settings.profile_id.saturating_add(i as i32),
            stack_level: settings.stack_level,
            transaction_id: s.transaction_id.clone(),
        });
        let evse = &req.site.evses[ck.evse_of[i]];
        tx.push(ProfileToSend {
            station_id: evse.station_id.clone(),
            evse_id: evse.evse_id,
            purpose: profile.charging_profile_purpose,
            profile,
        });
    }
    let mut stations: Vec<&str> = req
        .site
        .evses
        .iter()
        .map(|e| e.station_id.as_str())
        .collect();
    stations.sort_unstable();
    stations.dedup();
    let end = grid.last().map_or(from, |(_, b)| *b);
    let mut st = Vec::new();
    for (k, station) in stations.iter().enumerate() {
        let mut values = grid.iter().zip(powers).map(|((a, _), p)| {
            let w: Decimal = (0..req.sessions.len())
                .filter(|i| req.site.evses[ck.evse_of[*i]].station_id == *station)
                .map(|i| p[i])
                .sum();
            (*a, floor_01(convert(w, ChargingRateUnit::W, unit, 3, v)))
        });
        let mut steps = steps_of(&mut values);
        if steps.is_empty() {
            steps.push((from, Decimal::ZERO));
        }
        let mut profile = build_tx_profile(&TxProfileSpec {
            start: from,
            periods: &steps,
            unit,
            number_phases: 3,
            min_charging_rate: None,
            duration_end: Some(end),
            valid_to: Some(end),
            profile_id: settings
                .profile_id
                .saturating_add((req.sessions.len() + k) as i32),
            stack_level: settings.stack_level,
            transaction_id: None,
        });
        profile.charging_profile_purpose = ChargingProfilePurpose::ChargingStationMaxProfile;
        st.push(ProfileToSend {
            station_id: (*station).to_string(),
            evse_id: 0,
            purpose: profile.charging_profile_purpose,
            profile,
        });
    }
    (tx, st)
}
