//! A fleet of sites in fixed-size state: each site is summarised exactly where its sessions
//! are (a worker that holds the whole site), and only what adds up across sites travels on
//! to be merged, whatever the number of sessions or sites.

use super::partial::{open, seal};
use super::{
    fnv_fingerprint, kwh, mean_kwh, merge_all, off_peak, rate, ratio, with_period, SiteAccumulator,
    Totals,
};
use crate::analytics::options::SummaryOptions;
use crate::analytics::record::SessionRecord;
use crate::analytics::summary::{
    FlagCount, FleetCounts, FleetDemand, FleetDurations, FleetEnergy, FleetHeatmaps, FleetReport,
    FleetSummary, FleetTime, SiteSummary,
};
use crate::analytics::time::{HourOfWeek, Period};
use crate::analytics::validate::Flag;
use crate::limits::MAX_ACCUMULATOR_BYTES;
use crate::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

const MAGIC: &[u8; 4] = b"CKFL";

/// What adds up across sites. Its size is bounded: counters, three hour-of-week grids and
/// one count per validation flag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Sums {
    sites: u64,
    stations: u64,
    idle_stations: u64,
    ports: u64,
    site_days: u64,
    quick_turnovers: u64,
    port_available_s: i64,
    port_busy_s: i64,
    congestion_s: i64,
    totals: Totals,
    arrivals: HourOfWeek<u64>,
    departures: HourOfWeek<u64>,
    energy_mwh: HourOfWeek<i64>,
    flags: BTreeMap<Flag, u64>,
}

impl Sums {
    fn merge(&mut self, o: &Sums) {
        for (a, b) in [
            (&mut self.sites, o.sites),
            (&mut self.stations, o.stations),
            (&mut self.idle_stations, o.idle_stations),
            (&mut self.ports, o.ports),
            (&mut self.site_days, o.site_days),
            (&mut self.quick_turnovers, o.quick_turnovers),
        ] {
            *a = a.saturating_add(b);
        }
        for (a, b) in [
            (&mut self.port_available_s, o.port_available_s),
            (&mut self.port_busy_s, o.port_busy_s),
            (&mut self.congestion_s, o.congestion_s),
        ] {
            *a = a.saturating_add(b);
        }
        self.totals.merge(&o.totals);
        self.arrivals.merge_with(&o.arrivals, u64::saturating_add);
        self.departures
            .merge_with(&o.departures, u64::saturating_add);
        self.energy_mwh.saturating_merge(&o.energy_mwh);
        for (f, n) in &o.flags {
            let e = self.flags.entry(*f).or_default();
            *e = e.saturating_add(*n);
        }
    }

    /// Adds a finished site: its summary, and the exact sums behind its means.
    fn add_site(&mut self, acc: &SiteAccumulator, site: &SiteSummary) {
        let ports = site.ports.len() as u64;
        let busy = site
            .ports
            .iter()
            .map(|p| p.busy_s)
            .fold(0i64, i64::saturating_add);
        let one = Sums {
            sites: 1,
            stations: site.stations.len() as u64,
            idle_stations: site.counts.stations_without_use.len() as u64,
            ports,
            site_days: site.counts.in_use_days,
            quick_turnovers: site.demand.quick_turnovers,
            port_available_s: site
                .time
                .available_s
                .saturating_mul(i64::try_from(ports).unwrap_or(i64::MAX)),
            port_busy_s: busy,
            congestion_s: site.time.congestion_s,
            totals: acc.totals.clone(),
            arrivals: acc.arrivals.clone(),
            departures: acc.departures.clone(),
            energy_mwh: acc.energy_by_hour.clone(),
            flags: site.flags.iter().map(|f| (f.flag, f.count)).collect(),
        };
        self.merge(&one);
    }
}

/// The body of a fleet partial's bytes.
#[derive(Serialize, Deserialize)]
struct Body {
    options: String,
    sums: Sums,
}

/// Fleet statistics in parts of a fixed size: add whole sites where their sessions are
/// ([`Self::add_sites`] summarises each exactly and returns its [`SiteSummary`]), carry the
/// partial as bytes ([`Self::to_bytes`], a few kilobytes however many sessions or sites it
/// holds), merge the partials in any order, and [`finish`](Self::finish) with the
/// [`FleetSummary`]. Each site's sessions must all come in one `add_sites` call: a site
/// split between calls or partials counts as two sites, and its medians would not be exact.
///
/// ```
/// use chargekit::analytics::{generate, summarize_fleet, FleetPartial, GeneratorConfig};
/// let cfg = GeneratorConfig { days: 7, ..GeneratorConfig::default() };
/// let mut sessions = generate(&cfg).unwrap();
/// // Two sites: the first 50 sessions at "north", the rest at "south".
/// for (i, s) in sessions.iter_mut().enumerate() {
///     s.site_id = Some(if i < 50 { "north" } else { "south" }.into());
/// }
/// let opts = cfg.summary_options().unwrap();
/// let (north, south) = sessions.split_at(50);
/// let mut a = FleetPartial::new(&opts).unwrap();
/// let sites = a.add_sites(north).unwrap();
/// assert_eq!(sites[0].site_id.as_deref(), Some("north"));
/// let mut b = FleetPartial::new(&opts).unwrap();
/// b.add_sites(south).unwrap();
/// let b = FleetPartial::from_bytes(&b.to_bytes()).unwrap();
/// a.merge(b).unwrap();
/// let fleet = a.finish().unwrap();
/// assert_eq!(fleet.sites, 2);
/// assert_eq!(fleet.counts.sessions_seen, sessions.len() as u64);
/// assert_eq!(fleet, summarize_fleet(&sessions, &opts).unwrap().fleet);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetPartial {
    opts: SummaryOptions,
    period: Period,
    sums: Sums,
}

impl FleetPartial {
    /// An empty partial. The options must name the period; their `site_id` is ignored (each
    /// site is labelled with its own).
    pub fn new(options: &SummaryOptions) -> Result<Self, Error> {
        let mut opts = options.clone();
        opts.site_id = None;
        // The same checks as a site's: a period, not too long.
        SiteAccumulator::new(&opts)?;
        let period = opts.period.ok_or(Error::MissingPeriod)?;
        Ok(Self {
            opts,
            period,
            sums: Sums::default(),
        })
    }

    /// Summarises each site in `sessions` exactly (sessions grouped by `site_id`; those
    /// without one form the unnamed site), adds it to the fleet, and returns the site
    /// summaries, ordered by site id (the unnamed site first). A site lists the declared
    /// ports (`options.ports`) of the stations its sessions name (a declared station without
    /// any session belongs to no site and is not counted); sessions on ports declared
    /// nowhere are flagged `unregistered` as in [`summarize`](crate::analytics::summarize).
    pub fn add_sites(&mut self, sessions: &[SessionRecord]) -> Result<Vec<SiteSummary>, Error> {
        let mut sites: BTreeMap<Option<&str>, Vec<&SessionRecord>> = BTreeMap::new();
        for s in sessions {
            sites.entry(s.site_id.as_deref()).or_default().push(s);
        }
        let mut out = Vec::with_capacity(sites.len());
        for (site, records) in sites {
            let mut opts = self.opts.clone();
            opts.site_id = site.map(str::to_string);
            // A declared port belongs to the site whose sessions name its station.
            let stations: HashSet<&str> = records.iter().map(|s| s.station_id.as_str()).collect();
            let mut acc = SiteAccumulator::of_stations(&opts, |s| stations.contains(s))?;
            acc.reserve(records.len());
            records.into_iter().for_each(|s| acc.add(s));
            let summary = acc.finish()?;
            self.sums.add_site(&acc, &summary);
            out.push(summary);
        }
        Ok(out)
    }

    /// Folds `other` into this partial; partials of different options are
    /// [`Error::IncompatibleAccumulators`].
    pub fn merge(&mut self, other: FleetPartial) -> Result<(), Error> {
        if self.opts != other.opts {
            return Err(Error::IncompatibleAccumulators);
        }
        self.sums.merge(&other.sums);
        Ok(())
    }

    /// Merges partials in order into the first; none at all is [`Error::InvalidArgument`].
    pub fn merge_many(parts: impl IntoIterator<Item = FleetPartial>) -> Result<Self, Error> {
        merge_all(parts, "fleet partial", Self::merge)
    }

    /// Sites added so far.
    pub fn sites(&self) -> u64 {
        self.sums.sites
    }

    /// A fingerprint of the options, as [`SiteAccumulator::fingerprint`] gives it.
    pub fn fingerprint(&self) -> String {
        fnv_fingerprint(&self.opts)
    }

    /// The partial as versioned, checksummed bytes (magic `CKFL`; the layout of
    /// [`SiteAccumulator::to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        seal(
            MAGIC,
            &Body {
                options: self.opts.to_json(),
                sums: self.sums.clone(),
            },
        )
    }

    /// The partial [`Self::to_bytes`] wrote; other bytes are [`Error::InvalidArgument`]
    /// naming `fleet partial bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let body: Body = open(MAGIC, "fleet partial", bytes, MAX_ACCUMULATOR_BYTES)?;
        let opts =
            SummaryOptions::from_json(&body.options).map_err(|e| Error::InvalidArgument {
                argument: "fleet partial bytes".into(),
                reason: e.to_string(),
            })?;
        let mut partial = Self::new(&opts)?;
        partial.sums = body.sums;
        Ok(partial)
    }

    /// The fleet summary of every site added or merged.
    pub fn finish(&self) -> Result<FleetSummary, Error> {
        let (s, t, o) = (&self.sums, &self.sums.totals, &self.opts);
        let per_day = (Decimal::from(t.used) * Decimal::from(86_400)
            / Decimal::from(self.period.seconds().max(1)))
        .round_dp(4)
        .normalize();
        let mean_s = |sum: i64| {
            (t.mean_n > 0).then(|| {
                (Decimal::from(sum) / Decimal::from(t.mean_n))
                    .round_dp(3)
                    .normalize()
            })
        };
        Ok(FleetSummary {
            tz: o.tz.name().to_string(),
            period: self.period,
            sites: s.sites,
            stations: s.stations,
            ports: s.ports,
            counts: FleetCounts {
                sessions_seen: t.seen,
                sessions_used: t.used,
                sessions_excluded: t.excluded,
                outliers_dropped: t.dropped,
                sessions_per_day: per_day,
                site_days_in_use: s.site_days,
                stations_without_use: s.idle_stations,
            },
            flags: s
                .flags
                .iter()
                .map(|(flag, count)| FlagCount {
                    flag: *flag,
                    severity: flag.severity(),
                    count: *count,
                })
                .collect(),
            energy: FleetEnergy {
                total_kwh: kwh(t.energy_mwh),
                mean_kwh: mean_kwh(t.mean_energy_mwh, t.mean_n),
            },
            durations: FleetDurations {
                mean_dwell_s: mean_s(t.mean_dwell_s),
                mean_charging_s: mean_s(t.mean_charging_s),
                mean_idle_s: mean_s(t.mean_idle_s),
            },
            time: FleetTime {
                port_available_s: s.port_available_s,
                port_busy_s: s.port_busy_s,
                occupied_rate: rate(s.port_busy_s, s.port_available_s),
                occupied_s: t.occupied_s,
                charging_s: t.charging_s,
                idle_s: t.occupied_s.saturating_sub(t.charging_s),
                congestion_s: s.congestion_s,
            },
            heatmaps: FleetHeatmaps {
                arrivals: s.arrivals.clone(),
                departures: s.departures.clone(),
                energy_kwh: s.energy_mwh.map(|_, w| kwh(*w)),
            },
            demand: FleetDemand {
                attempts: t.used,
                successes: t.successes,
                success_rate: (t.used > 0).then(|| ratio(t.successes, t.used)),
                turn_aways: t.turn_aways,
                turn_away_rate: (t.used > 0).then(|| ratio(t.turn_aways, t.used)),
                quick_turnovers: s.quick_turnovers,
                overstays: t.overstays,
                overstay_s: t.overstay_s,
                overstay_share: ratio(t.overstays, t.used),
            },
            off_peak: off_peak(t, o),
        })
    }
}

/// The fleet summary of `sessions` and the summary of each of its sites (grouped by
/// `site_id`, ordered by it), over one period for all: the options' period, else the local
/// days the sessions span. The fleet is what [`FleetPartial`]s made anywhere and merged
/// give for the same sessions and options.
pub fn summarize_fleet(
    sessions: &[SessionRecord],
    options: &SummaryOptions,
) -> Result<FleetReport, Error> {
    let mut fleet = FleetPartial::new(&with_period(sessions, options)?)?;
    let sites = fleet.add_sites(sessions)?;
    Ok(FleetReport {
        fleet: fleet.finish()?,
        sites,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Sums read from forged bytes (a valid checksum over absurd counts) saturate when
    /// merged and finished; they never overflow.
    #[test]
    fn absurd_sums_saturate() {
        let mut opts = SummaryOptions::for_tz(chrono_tz::UTC);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        opts.period = Some(Period::local_days(chrono_tz::UTC, day, 1).unwrap());
        let mut a = FleetPartial::new(&opts).unwrap();
        a.sums.sites = u64::MAX;
        a.sums.port_busy_s = i64::MAX;
        a.sums.totals.used = u64::MAX;
        a.sums.flags.insert(Flag::DuplicateId, u64::MAX);
        let b = FleetPartial::from_bytes(&a.to_bytes()).unwrap();
        a.merge(b).unwrap();
        let fleet = a.finish().unwrap();
        assert_eq!(fleet.sites, u64::MAX);
        assert_eq!(fleet.time.port_busy_s, i64::MAX);
        assert_eq!(fleet.flags[0].count, u64::MAX);
    }
}
