//! Reliability KPIs (`docs/analytics-and-feedback.md` §4; the other section numbers here
//! refer to that page too) from sessions and status data: charging success rate, visit
//! success rate, uptime per port with exclusions, fault rate, MTTR and MTBF, and the
//! first-time-fix and remote-resolution rates when ticket data exists.
use crate::analytics::{Period, SessionRecord, SuccessEnergy};
use crate::Error;
use chrono::{DateTime, Datelike, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A port's status, normalised from OCPP 1.6 / 2.0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortStatus {
    /// Free and able to charge.
    Available,
    /// In use (1.6 Preparing/Charging/Suspended*/Finishing, 2.0.1 Occupied).
    Occupied,
    /// Reserved.
    Reserved,
    /// Unavailable: out of service (an outage).
    Unavailable,
    /// Faulted (an outage and a fault).
    Faulted,
}

impl PortStatus {
    /// Normalises an OCPP 1.6 or 2.0.1 status name.
    ///
    /// ```
    /// use chargekit::feedback::PortStatus;
    /// assert_eq!(PortStatus::from_ocpp("SuspendedEV"), Some(PortStatus::Occupied));
    /// assert_eq!(PortStatus::from_ocpp("Faulted"), Some(PortStatus::Faulted));
    /// ```
    pub fn from_ocpp(s: &str) -> Option<Self> {
        Some(match s {
            "Available" => Self::Available,
            "Preparing" | "Charging" | "SuspendedEV" | "SuspendedEVSE" | "Finishing"
            | "Occupied" => Self::Occupied,
            "Reserved" => Self::Reserved,
            "Unavailable" => Self::Unavailable,
            "Faulted" => Self::Faulted,
            _ => return None,
        })
    }

    fn is_outage(self) -> bool {
        matches!(self, Self::Unavailable | Self::Faulted)
    }
}

/// A status report (StatusNotification). `port_id` `None` (or `"0"`) is the whole station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusEvent {
    /// Station.
    pub station_id: String,
    /// Port, or the whole station.
    #[serde(default)]
    pub port_id: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// The new status.
    pub status: PortStatus,
}

/// A heartbeat (or any message) from a station, for connectivity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// Station.
    pub station_id: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Outage causes excluded from uptime (California CEC rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionCause {
    /// Vandalism (at most 10 days per incident by default).
    Vandalism,
    /// Loss of grid power.
    GridLoss,
    /// Natural disaster.
    Disaster,
    /// Planned maintenance (at most 72 h per port and year by default).
    PlannedMaintenance,
}

/// A declared excluded outage. `port_id` `None` is the whole station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludedOutage {
    /// Station.
    pub station_id: String,
    /// Port, or the whole station.
    #[serde(default)]
    pub port_id: Option<String>,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Why it is excluded.
    pub cause: ExclusionCause,
}

/// A maintenance ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// Station.
    pub station_id: String,
    /// Opened.
    pub opened: DateTime<Utc>,
    /// Resolved, if it is.
    #[serde(default)]
    pub resolved: Option<DateTime<Utc>>,
    /// Technician visits it took.
    #[serde(default)]
    pub site_visits: u32,
    /// Resolved remotely (no visit).
    #[serde(default)]
    pub remote: bool,
}

/// Where uptime comes from (§7 #12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UptimeSource {
    /// Faulted/Unavailable status plus connectivity: no heartbeat for more than
    /// `missed_heartbeats` intervals is offline.
    #[default]
    StatusAndConnectivity,
    /// Status reports only.
    StatusOnly,
}

/// Choices for the reliability KPIs, with the defaults of `docs/analytics-and-feedback.md`
/// §4 and §7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReliabilityOptions {
    /// The reporting period (required).
    pub period: Option<Period>,
    /// Success energy (§7 #5).
    pub success: SuccessEnergy,
    /// Visit grouping window, s (15 min; §7 #6).
    pub visit_window_s: i64,
    /// Uptime source (§7 #12).
    pub uptime_source: UptimeSource,
    /// Heartbeat interval, s (300).
    pub heartbeat_interval_s: i64,
    /// Missed heartbeats before a station counts as offline (3).
    pub missed_heartbeats: i64,
    /// Target uptime per port, percent (97).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub target_uptime_pct: Decimal,
    /// Longest excluded vandalism outage per incident, s (10 days).
    pub vandalism_cap_s: i64,
    /// Longest excluded planned maintenance per port and calendar year, s (72 h).
    pub maintenance_cap_s: i64,
    /// Declared ports `(station_id, port_id)`; others are discovered from the data.
    pub ports: Vec<(String, String)>,
}

impl ReliabilityOptions {
    /// Reads options from JSON; an error names the offending field.
    ///
    /// ```
    /// use chargekit::feedback::ReliabilityOptions;
    /// let o = ReliabilityOptions::from_json(r#"{"period": {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}, "uptime_source": "status_only"}"#).unwrap();
    /// assert_eq!(o.visit_window_s, 900);
    /// assert!(ReliabilityOptions::from_json(r#"{"period": {"start": "2026-03-01T00:00:00Z", "end": "2026-03-01T00:00:00Z"}}"#).is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        crate::analytics::read_json(text).map_err(|(field, message)| Error::InvalidFeedback {
            field,
            reason: message,
        })
    }
}

impl Default for ReliabilityOptions {
    fn default() -> Self {
        Self {
            period: None,
            success: SuccessEnergy::default(),
            visit_window_s: 900,
            uptime_source: UptimeSource::default(),
            heartbeat_interval_s: 300,
            missed_heartbeats: 3,
            target_uptime_pct: Decimal::from(97),
            vandalism_cap_s: 10 * 86_400,
            maintenance_cap_s: 72 * 3600,
            ports: Vec::new(),
        }
    }
}

/// The data the KPIs are computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReliabilityInput<'a> {
    /// Attempts and sessions.
    pub sessions: &'a [SessionRecord],
    /// Status reports.
    pub status: &'a [StatusEvent],
    /// Heartbeats.
    pub heartbeats: &'a [Heartbeat],
    /// Declared excluded outages.
    pub exclusions: &'a [ExcludedOutage],
    /// Maintenance tickets.
    pub tickets: &'a [Ticket],
}

/// Uptime and failures of one port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortUptime {
    /// Station.
    pub station_id: String,
    /// Port.
    pub port_id: String,
    /// Outage time in the period, s.
    pub outage_s: i64,
    /// Of which excluded, s.
    pub excluded_s: i64,
    /// (period − (outage − excluded)) ÷ period × 100.
    pub uptime_pct: Decimal,
    /// At or above the target.
    pub meets_target: bool,
    /// Faulted/Unavailable intervals starting in the period.
    pub failures: u64,
    /// Of which Faulted.
    pub faults: u64,
    /// Mean time to repair over the failures that ended in the period, s.
    pub mttr_s: Option<Decimal>,
    /// Mean time between failures: up time ÷ failures, s.
    pub mtbf_s: Option<Decimal>,
}

/// The reliability KPIs of §4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReliabilityReport {
    /// The period.
    pub period: Period,
    /// Attempts (sessions starting in the period).
    pub attempts: u64,
    /// Successful sessions.
    pub successes: u64,
    /// Charging Success Rate: successes ÷ attempts.
    pub charging_success_rate: Option<Decimal>,
    /// Visits: attempts of one user at one location within the visit window.
    pub visits: u64,
    /// Visits with at least one success.
    pub successful_visits: u64,
    /// successful visits ÷ visits.
    pub visit_success_rate: Option<Decimal>,
    /// Per port, sorted.
    pub ports: Vec<PortUptime>,
    /// Share of ports meeting the uptime target.
    pub ports_meeting_target: Option<Decimal>,
    /// Faults per charger (station) and 30.44-day month.
    pub faults_per_charger_month: Option<Decimal>,
    /// Faults per 1000 sessions.
    pub faults_per_1000_sessions: Option<Decimal>,
    /// Mean time to repair over all ports, s.
    pub mttr_s: Option<Decimal>,
    /// Mean time between failures over all ports, s.
    pub mtbf_s: Option<Decimal>,
    /// Resolved tickets fixed in one visit ÷ resolved tickets that needed a visit.
    pub first_time_fix_rate: Option<Decimal>,
    /// Tickets resolved remotely ÷ resolved tickets.
    pub remote_resolution_rate: Option<Decimal>,
}

type Span = (i64, i64);

fn union(mut v: Vec<Span>) -> Vec<Span> {
    v.retain(|(a, b)| a < b);
    v.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(l) if a <= l.1 => l.1 = l.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn length(v: &[Span]) -> i64 {
    v.iter().map(|(a, b)| b - a).sum()
}

fn intersect(x: &[Span], y: &[Span]) -> i64 {
    let (mut i, mut j, mut total) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        let (a, b) = (x[i].0.max(y[j].0), x[i].1.min(y[j].1));
        if a < b {
            total += b - a;
        }
        if x[i].1 < y[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total
}

/// Outage intervals `(start, end, faulted)` from a status timeline, clipped to the period.
fn outages(events: &[(i64, PortStatus)], ps: i64, pe: i64) -> Vec<(i64, i64, bool)> {
    let mut out = Vec::new();
    let mut open: Option<(i64, bool)> = None;
    for &(t, s) in events {
        match (open, s.is_outage()) {
            (None, true) => open = Some((t, s == PortStatus::Faulted)),
            (Some((a, f)), false) => {
                out.push((a, t, f));
                open = None;
            }
            (Some((a, false)), true) if s == PortStatus::Faulted => {
                // Unavailable turning into Faulted: one outage, now a fault.
                open = Some((a, true));
            }
            _ => {}
        }
    }
    if let Some((a, f)) = open {
        out.push((a, pe, f));
    }
    out.into_iter()
        .filter(|(a, b, _)| *b > ps && *a < pe)
        .map(|(a, b, f)| (a.max(ps), b.min(pe), f))
        .collect()
}

fn rate4(num: u64, den: u64) -> Option<Decimal> {
    (den > 0).then(|| (Decimal::from(num) / Decimal::from(den)).round_dp(4))
}

/// Computes the reliability KPIs of §4.
///
/// ```
/// use chargekit::analytics::Period;
/// use chargekit::feedback::{reliability, PortStatus, ReliabilityInput, ReliabilityOptions, StatusEvent};
/// use chrono::{TimeZone, Utc};
/// let t = |d, h| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
/// let status = [
///     StatusEvent { station_id: "CP".into(), port_id: Some("1".into()), at: t(2, 0), status: PortStatus::Available },
///     StatusEvent { station_id: "CP".into(), port_id: Some("1".into()), at: t(3, 0), status: PortStatus::Faulted },
///     StatusEvent { station_id: "CP".into(), port_id: Some("1".into()), at: t(3, 12), status: PortStatus::Available },
/// ];
/// let opts = ReliabilityOptions { period: Some(Period::new(t(1, 0), t(11, 0)).unwrap()), ..Default::default() };
/// let r = reliability(&ReliabilityInput { status: &status, ..Default::default() }, &opts).unwrap();
/// assert_eq!(r.ports[0].uptime_pct.to_string(), "95"); // 12 h down in 10 days
/// assert_eq!(r.ports[0].mttr_s.unwrap().to_string(), "43200");
/// ```
pub fn reliability(
    input: &ReliabilityInput<'_>,
    options: &ReliabilityOptions,
) -> Result<ReliabilityReport, Error> {
    let period = options.period.ok_or(Error::MissingReliabilityPeriod)?;
    let (ps, pe) = (period.start().timestamp(), period.end().timestamp());
    let plen = pe - ps;

    // Ports: declared, from sessions, from port-level status.
    let mut ports: BTreeSet<(String, String)> = options.ports.iter().cloned().collect();
    for s in input.sessions {
        ports.insert((s.station_id.clone(), s.port_id.clone()));
    }
    for e in input.status {
        if let Some(p) = e.port_id.as_deref().filter(|p| *p != "0") {
            ports.insert((e.station_id.clone(), p.to_string()));
        }
    }
    let station_wide = |p: &Option<String>| p.as_deref().is_none_or(|p| p == "0");

    // Connectivity: offline from `missed × interval` after a heartbeat until the next one.
    let mut offline: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    if options.uptime_source == UptimeSource::StatusAndConnectivity {
        let mut beats: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        for h in input.heartbeats {
            beats
                .entry(h.station_id.as_str())
                .or_default()
                .push(h.at.timestamp());
        }
        let gap = options
            .heartbeat_interval_s
            .max(1)
            .saturating_mul(options.missed_heartbeats.max(1));
        for (st, mut v) in beats {
            v.sort_unstable();
            v.push(pe.max(v.last().copied().unwrap_or(pe)));
            let spans = v
                .windows(2)
                .filter(|w| w[1] - w[0] > gap)
                .map(|w| (w[0].saturating_add(gap).max(ps), w[1].min(pe)))
                .collect();
            offline.insert(st, union(spans));
        }
    }

    let mut port_rows = Vec::with_capacity(ports.len());
    let (mut all_faults, mut repaired, mut repair_s, mut failures, mut up_s) =
        (0u64, 0u64, 0i64, 0u64, 0i64);
    for (st, port) in &ports {
        let mut port_events: Vec<(i64, PortStatus)> = Vec::new();
        let mut station_events: Vec<(i64, PortStatus)> = Vec::new();
        for e in input.status.iter().filter(|e| &e.station_id == st) {
            if station_wide(&e.port_id) {
                station_events.push((e.at.timestamp(), e.status));
            } else if e.port_id.as_deref() == Some(port.as_str()) {
                port_events.push((e.at.timestamp(), e.status));
            }
        }
        port_events.sort_by_key(|e| e.0);
        station_events.sort_by_key(|e| e.0);
        let mut intervals = outages(&port_events, ps, pe);
        intervals.extend(outages(&station_events, ps, pe));
        let faults = intervals.iter().filter(|i| i.2 && i.0 >= ps).count() as u64;
        let mut down: Vec<Span> = intervals.iter().map(|i| (i.0, i.1)).collect();
        down.extend(offline.get(st.as_str()).into_iter().flatten().copied());
        let down = union(down);
        let failure_spans = union(intervals.iter().map(|i| (i.0, i.1)).collect());
        // Repaired: failures that ended before the period did.
        let closed: Vec<i64> = failure_spans
            .iter()
            .filter(|(_, b)| *b < pe)
            .map(|(a, b)| b - a)
            .collect();
        let outage_s = length(&down);

        // Exclusions, capped.
        let mut excl: Vec<&ExcludedOutage> = input
            .exclusions
            .iter()
            .filter(|x| {
                &x.station_id == st
                    && (station_wide(&x.port_id) || x.port_id.as_deref() == Some(port.as_str()))
            })
            .collect();
        excl.sort_by_key(|x| x.start);
        let mut maintenance_used: BTreeMap<i32, i64> = BTreeMap::new();
        let mut spans = Vec::new();
        for x in excl {
            let (a, b) = (x.start.timestamp(), x.end.timestamp());
            let b = match x.cause {
                ExclusionCause::Vandalism => b.min(a.saturating_add(options.vandalism_cap_s)),
                ExclusionCause::PlannedMaintenance => {
                    let used = maintenance_used.entry(x.start.year()).or_default();
                    let take = (b - a)
                        .min(options.maintenance_cap_s.saturating_sub(*used))
                        .max(0);
                    *used += take;
                    a + take
                }
                ExclusionCause::GridLoss | ExclusionCause::Disaster => b,
            };
            spans.push((a.max(ps), b.min(pe)));
        }
        let excluded_s = intersect(&down, &union(spans));
        let uptime = if plen > 0 {
            (Decimal::from(plen - (outage_s - excluded_s)) * Decimal::ONE_HUNDRED
                / Decimal::from(plen))
            .round_dp(3)
            .normalize()
        } else {
            Decimal::ONE_HUNDRED
        };
        let n_fail = failure_spans.len() as u64;
        let port_up = plen - length(&failure_spans);
        all_faults += faults;
        failures += n_fail;
        up_s += port_up;
        repaired += closed.len() as u64;
        repair_s += closed.iter().sum::<i64>();
        port_rows.push(PortUptime {
            station_id: st.clone(),
            port_id: port.clone(),
            outage_s,
            excluded_s,
            meets_target: uptime >= options.target_uptime_pct,
            uptime_pct: uptime,
            failures: n_fail,
            faults,
            mttr_s: (!closed.is_empty()).then(|| {
                (Decimal::from(closed.iter().sum::<i64>()) / Decimal::from(closed.len()))
                    .round_dp(1)
                    .normalize()
            }),
            mtbf_s: (n_fail > 0).then(|| {
                (Decimal::from(port_up) / Decimal::from(n_fail))
                    .round_dp(1)
                    .normalize()
            }),
        });
    }

    // Attempts, successes and visits.
    let attempts: Vec<&SessionRecord> = input
        .sessions
        .iter()
        .filter(|s| period.contains(s.plug_in))
        .collect();
    let successes = attempts
        .iter()
        .filter(|s| s.is_success(options.success))
        .count() as u64;
    let mut by_visitor: BTreeMap<(Option<&str>, &str), Vec<&SessionRecord>> = BTreeMap::new();
    let (mut visits, mut good_visits) = (0u64, 0u64);
    for s in &attempts {
        let loc = s.site_id.as_deref().unwrap_or(s.station_id.as_str());
        match s.user_id.as_deref() {
            Some(u) => by_visitor.entry((Some(u), loc)).or_default().push(s),
            None => {
                visits += 1;
                good_visits += u64::from(s.is_success(options.success));
            }
        }
    }
    let window = Duration::try_seconds(options.visit_window_s.max(0)).unwrap_or(Duration::MAX);
    for (_, mut list) in by_visitor {
        list.sort_by_key(|s| s.plug_in);
        let mut current: Option<(DateTime<Utc>, bool)> = None;
        for s in list {
            let ok = s.is_success(options.success);
            let end = s.plug_out.max(s.plug_in);
            current = match current {
                Some((last_end, any)) if s.plug_in - last_end <= window => {
                    Some((last_end.max(end), any || ok))
                }
                Some((_, any)) => {
                    visits += 1;
                    good_visits += u64::from(any);
                    Some((end, ok))
                }
                None => Some((end, ok)),
            };
        }
        if let Some((_, any)) = current {
            visits += 1;
            good_visits += u64::from(any);
        }
    }

    let stations: BTreeSet<&str> = ports.iter().map(|(s, _)| s.as_str()).collect();
    let months = Decimal::from(plen) / (Decimal::new(304_375, 4) * Decimal::from(86_400));
    let charger_months = Decimal::from(stations.len()) * months;
    let resolved: Vec<&Ticket> = input
        .tickets
        .iter()
        .filter(|t| t.resolved.is_some())
        .collect();
    let visited = resolved.iter().filter(|t| t.site_visits > 0).count() as u64;
    let first_fix = resolved.iter().filter(|t| t.site_visits == 1).count() as u64;
    let remote = resolved.iter().filter(|t| t.remote).count() as u64;
    let meeting = port_rows.iter().filter(|p| p.meets_target).count() as u64;
    Ok(ReliabilityReport {
        period,
        attempts: attempts.len() as u64,
        successes,
        charging_success_rate: rate4(successes, attempts.len() as u64),
        visits,
        successful_visits: good_visits,
        visit_success_rate: rate4(good_visits, visits),
        ports_meeting_target: rate4(meeting, port_rows.len() as u64),
        ports: port_rows,
        faults_per_charger_month: (charger_months > Decimal::ZERO)
            .then(|| (Decimal::from(all_faults) / charger_months).round_dp(4)),
        faults_per_1000_sessions: (!attempts.is_empty()).then(|| {
            (Decimal::from(all_faults * 1000) / Decimal::from(attempts.len())).round_dp(4)
        }),
        mttr_s: (repaired > 0).then(|| {
            (Decimal::from(repair_s) / Decimal::from(repaired))
                .round_dp(1)
                .normalize()
        }),
        mtbf_s: (failures > 0).then(|| {
            (Decimal::from(up_s) / Decimal::from(failures))
                .round_dp(1)
                .normalize()
        }),
        first_time_fix_rate: rate4(first_fix, visited),
        remote_resolution_rate: rate4(remote, resolved.len() as u64),
    })
}
