//! A seeded synthetic session generator with realistic daily arrival and dwell patterns,
//! for tests, benchmarks and demos. Deterministic: the same configuration gives the same
//! sessions on every platform (its own SplitMix64 generator; energies are whole Wh
//! computed from whole watts and seconds).

use super::options::{PortConfig, PowerKind, SummaryOptions};
use super::record::{EndedBy, SessionRecord};
use super::time::{local_midnight, Period};
use crate::units::{Energy, Power};
use crate::Error;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kind of site, which shapes arrivals, dwell and power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteProfile {
    /// Office car park: morning arrivals on weekdays, dwell of hours, AC.
    Workplace,
    /// Public AC: arrivals through the day with an evening peak, dwell of 1–3 h.
    #[default]
    Public,
    /// DC fast charging: daytime arrivals, dwell about 30 min.
    Fast,
}

/// What to generate.
///
/// ```
/// use chargekit::analytics::{generate, GeneratorConfig};
/// let cfg = GeneratorConfig { days: 7, seed: 7, ..GeneratorConfig::default() };
/// let a = generate(&cfg).unwrap();
/// assert_eq!(a, generate(&cfg).unwrap());
/// assert!(a.len() > 20);
/// let cfg = GeneratorConfig::from_json(r#"{"profile": "fast", "stations": 4, "days": 3}"#).unwrap();
/// assert_eq!(cfg.ports().len(), 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneratorConfig {
    /// Random seed.
    pub seed: u64,
    /// Site time zone (default America/Los_Angeles).
    #[serde(with = "super::time::tz_name")]
    pub tz: Tz,
    /// First local day.
    pub start: NaiveDate,
    /// Number of local days.
    pub days: u32,
    /// Site kind.
    pub profile: SiteProfile,
    /// Stations at the site (`ST-1` …).
    pub stations: u32,
    /// Ports per station (`1` …).
    pub ports_per_station: u32,
    /// Rated power per port; default 7.2 kW (AC) or 50 kW (fast).
    pub rated_power: Option<Power>,
    /// Mean arrivals per port on a busy weekday.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub arrivals_per_port_day: Decimal,
    /// Distinct drivers.
    pub users: u32,
    /// Share of drivers who habitually stay long after charging.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub overstayer_share: Decimal,
    /// Share of attempts that fail (no energy, fault stop).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub failure_rate: Decimal,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            tz: chrono_tz::America::Los_Angeles,
            start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default(),
            days: 28,
            profile: SiteProfile::Public,
            stations: 2,
            ports_per_station: 2,
            rated_power: None,
            arrivals_per_port_day: Decimal::from(4),
            users: 200,
            overstayer_share: Decimal::new(1, 1),
            failure_rate: Decimal::new(4, 2),
        }
    }
}

impl GeneratorConfig {
    /// Reads a configuration from JSON.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        super::read_json(text).map_err(|(field, message)| Error::InvalidAnalyticsOptions {
            field,
            reason: message,
        })
    }

    /// The generated period: `days` local days from `start`.
    pub fn period(&self) -> Result<Period, Error> {
        Period::local_days(self.tz, self.start, self.days)
    }

    /// The rated power of every port.
    pub fn rated(&self) -> Power {
        self.rated_power.unwrap_or_else(|| match self.profile {
            SiteProfile::Fast => Power::from_w(Decimal::from(50_000)),
            _ => Power::from_w(Decimal::from(7_200)),
        })
    }

    /// The site's ports, as summary options declare them.
    pub fn ports(&self) -> Vec<PortConfig> {
        let kind = match self.profile {
            SiteProfile::Fast => PowerKind::Dc,
            _ => PowerKind::Ac,
        };
        (1..=self.stations)
            .flat_map(|s| {
                (1..=self.ports_per_station).map(move |p| PortConfig {
                    station_id: format!("ST-{s}"),
                    port_id: p.to_string(),
                    rated_power: None,
                    kind: Some(kind),
                })
            })
            .map(|mut p| {
                p.rated_power = Some(self.rated());
                p
            })
            .collect()
    }

    /// Summary options for the generated site: its time zone, period and ports.
    pub fn summary_options(&self) -> Result<SummaryOptions, Error> {
        Ok(SummaryOptions {
            tz: self.tz,
            period: Some(self.period()?),
            ports: self.ports(),
            ..SummaryOptions::default()
        })
    }
}

/// SplitMix64: tiny, fast, and stable across platforms and versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }
    fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            return (lambda + lambda.sqrt() * self.normal()).round().max(0.0) as u64;
        }
        let l = (-lambda).exp();
        let (mut k, mut p) = (0u64, 1.0);
        loop {
            p *= self.unit();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
}

/// Relative arrival intensity per local hour.
fn hourly(profile: SiteProfile) -> [f64; 24] {
    match profile {
        SiteProfile::Workplace => [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 1.0, 4.0, 8.0, 6.0, 3.0, 1.5, 1.5, 2.0, 1.5, 1.0, 0.6,
            0.4, 0.2, 0.1, 0.1, 0.0, 0.0, 0.0,
        ],
        SiteProfile::Public => [
            0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.5, 3.0, 3.0, 3.2, 3.5, 3.2, 3.0, 3.2, 3.8,
            4.5, 4.8, 4.0, 3.0, 2.0, 1.0, 0.4,
        ],
        SiteProfile::Fast => [
            0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.5, 4.0, 4.5, 5.0, 5.5, 5.0, 4.5, 4.8, 5.5,
            6.0, 5.5, 4.5, 3.5, 2.5, 1.5, 0.8,
        ],
    }
}

fn weekday_factor(profile: SiteProfile, d: Weekday) -> f64 {
    let weekend = matches!(d, Weekday::Sat | Weekday::Sun);
    match (profile, weekend) {
        (SiteProfile::Workplace, true) => 0.15,
        (SiteProfile::Public, true) => 0.8,
        (SiteProfile::Fast, true) => 1.1,
        _ => 1.0,
    }
}

/// Median dwell in hours for an arrival at local hour `h`.
fn median_dwell_h(profile: SiteProfile, h: u32) -> f64 {
    match profile {
        SiteProfile::Workplace => (17.5 - f64::from(h)).clamp(1.0, 9.0),
        SiteProfile::Public if !(5..20).contains(&h) => 6.0,
        SiteProfile::Public => 1.8,
        SiteProfile::Fast => 0.5,
    }
}

/// Generates the sessions of one site, sorted by plug-in time.
pub fn generate(cfg: &GeneratorConfig) -> Result<Vec<SessionRecord>, Error> {
    let nports = u64::from(cfg.stations) * u64::from(cfg.ports_per_station);
    let expected = Decimal::from(nports * u64::from(cfg.days))
        .checked_mul(cfg.arrivals_per_port_day.max(Decimal::ONE))
        .and_then(|n| n.to_usize())
        .unwrap_or(usize::MAX);
    crate::limits::check(
        || "sessions to generate (ports × days × arrivals a port-day)".into(),
        expected,
        crate::limits::MAX_GENERATED_SESSIONS,
        "MAX_GENERATED_SESSIONS",
    )?;
    let mut rng = Rng(cfg.seed ^ 0x5EED_C4A5_6E4B_17ED);
    let nports = nports as usize;
    let ports: Vec<(String, String)> = cfg
        .ports()
        .into_iter()
        .map(|p| (p.station_id, p.port_id))
        .collect();
    let rated_w = cfg.rated().w().to_i64().unwrap_or(7_200).max(1_000);
    let per_port = cfg.arrivals_per_port_day.to_f64().unwrap_or(4.0).max(0.0);
    let overstay_share = cfg.overstayer_share.to_f64().unwrap_or(0.1);
    let failure_rate = cfg.failure_rate.to_f64().unwrap_or(0.04);
    let weights = hourly(cfg.profile);
    let wsum: f64 = weights.iter().sum();
    let users = u64::from(cfg.users.max(1));
    let habitual = |u: u64| (u.wrapping_mul(0x9E37_79B9) % 1000) as f64 / 1000.0 < overstay_share;

    // Arrival instants, local-hour by local-hour.
    let mut arrivals: Vec<i64> = Vec::new();
    for day in 0..cfg.days {
        let date = cfg
            .start
            .checked_add_signed(Duration::days(i64::from(day)))
            .ok_or(Error::DateOutOfRange)?;
        let factor = weekday_factor(cfg.profile, date.weekday());
        let day_start = local_midnight(cfg.tz, date)?.timestamp();
        for (h, w) in weights.iter().enumerate() {
            let lambda = per_port * nports as f64 * factor * w / wsum;
            for _ in 0..rng.poisson(lambda) {
                let naive = date.and_hms_opt(h as u32, 0, 0).unwrap_or_default()
                    + Duration::seconds(rng.below(3600) as i64);
                let t = match cfg.tz.from_local_datetime(&naive).earliest() {
                    Some(t) => t.timestamp(),
                    None => day_start + h as i64 * 3600 + rng.below(3600) as i64,
                };
                arrivals.push(t);
            }
        }
    }
    arrivals.sort_unstable();

    let mut free_at = vec![i64::MIN; nports];
    let mut out = Vec::with_capacity(arrivals.len());
    for (n, t) in arrivals.into_iter().enumerate() {
        // The first free port; drivers finding none leave unrecorded.
        let Some(port) = (0..nports).find(|p| free_at[*p] <= t) else {
            continue;
        };
        let u = {
            let x = rng.unit();
            (x * x * users as f64) as u64
        };
        let local_hour = cfg
            .tz
            .timestamp_opt(t, 0)
            .single()
            .map(|d| d.hour())
            .unwrap_or(12);
        let plug_in = Utc.timestamp_opt(t, 0).single().unwrap_or_default();
        let (station, port_id) = ports[port].clone();
        let mut rec = SessionRecord::new(
            format!("G{}-{n}", cfg.seed),
            station,
            port_id,
            plug_in,
            plug_in,
            Energy::ZERO,
        );
        rec.user_id = Some(format!("U{u:05}"));
        rec.rated_power = None;
        if rng.unit() < failure_rate {
            // A failed attempt: a few minutes, no energy, a fault stop.
            let dwell = 60 + rng.below(540) as i64;
            rec.plug_out = plug_in + Duration::seconds(dwell);
            rec.charging_s = Some(0);
            rec.ended_by = Some(EndedBy::Fault);
            rec.stop_reason = Some("EmergencyStop".into());
            rec.error_codes = vec!["GroundFailure".into()];
            free_at[port] = t + dwell;
            out.push(rec);
            continue;
        }
        let (need_median, need_cap, max_kw_share) = match cfg.profile {
            SiteProfile::Fast => (28.0, 90.0, 0.7),
            _ => (11.0, 70.0, 0.85),
        };
        let power_w = ((rated_w as f64) * (max_kw_share + 0.15 * rng.unit())) as i64;
        let need_wh = (rng.lognormal(need_median, 0.55).clamp(1.0, need_cap) * 1000.0) as i64;
        let mut dwell = (rng.lognormal(median_dwell_h(cfg.profile, local_hour), 0.5) * 3600.0)
            .clamp(300.0, 30.0 * 3600.0) as i64;
        let mut charging = need_wh * 3600 / power_w.max(1);
        if habitual(u) && rng.unit() < 0.7 {
            dwell = dwell.max(charging + 3600 + rng.below(3 * 3600) as i64);
        }
        charging = charging.min(dwell);
        let energy_wh = power_w * charging / 3600;
        rec.plug_out = plug_in + Duration::seconds(dwell);
        rec.charge_start = Some(plug_in);
        rec.charge_end = Some(plug_in + Duration::seconds(charging));
        rec.charging_s = Some(charging);
        rec.energy = Energy::from_wh(Decimal::from(energy_wh));
        rec.peak_power = Some(Power::from_w(Decimal::from(power_w)));
        let full = charging < dwell;
        rec.ended_by = Some(match (cfg.profile, full) {
            (SiteProfile::Fast, _) if rng.unit() < 0.6 => EndedBy::Ev,
            _ => EndedBy::Driver,
        });
        rec.stop_reason = Some(
            match rec.ended_by {
                Some(EndedBy::Ev) => "SOCLimitReached",
                _ => "EVDisconnected",
            }
            .into(),
        );
        if cfg.profile == SiteProfile::Fast {
            let start = 10 + rng.below(40) as i64;
            rec.soc_start = Some(Decimal::from(start));
            rec.soc_end = Some(Decimal::from((start + energy_wh / 800).min(100)));
        }
        free_at[port] = t + dwell;
        out.push(rec);
    }
    Ok(out)
}
