//! Validation of session records (`docs/analytics-and-feedback.md` §2.1): warnings and
//! errors as flags. Flagged sessions stay in the data; the summary's filter decides which
//! count.

use super::record::{SessionMetrics, SessionRecord};
use super::time::Period;
use crate::enums::wire_enum;
use crate::units::Power;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};

wire_enum! {
    /// A validation finding on a session (§2.1).
    ///
    /// ```
    /// use chargekit::analytics::{Flag, Severity};
    /// assert_eq!(Flag::OutsidePeriod.severity(), Severity::Error);
    /// assert_eq!(Flag::LowEnergy.severity(), Severity::Warning);
    /// assert_eq!(Flag::LowEnergy.as_str(), "low_energy");
    /// ```
    pub enum Flag {
        /// Session or charging duration below the minimum (default 1 min).
        ShortDuration = "short_duration",
        /// Session longer than the maximum (default 2880 min).
        LongSession = "long_session",
        /// Charging longer than the maximum (default 1440 min).
        LongCharging = "long_charging",
        /// Energy below the minimum (default 0.5 kWh).
        LowEnergy = "low_energy",
        /// Energy above the maximum (default 250 kWh).
        HighEnergy = "high_energy",
        /// The source's charging time exceeds the session duration.
        ChargingExceedsSession = "charging_exceeds_session",
        /// Average power above the tolerance × rated power (default 1.1).
        PowerAboveRated = "power_above_rated",
        /// Rated power outside the AC (3.2–19.2 kW) or DC (20–360 kW) range.
        RatedPowerOutOfRange = "rated_power_out_of_range",
        /// Another session has the same id.
        DuplicateId = "duplicate_id",
        /// Zero-length session.
        ZeroDuration = "zero_duration",
        /// Plug-out before plug-in.
        EndBeforeStart = "end_before_start",
        /// No energy although the record claims energy flowed (a charging time or charge end).
        ZeroEnergyClaimed = "zero_energy_claimed",
        /// A date outside the reporting period (e.g. a 1970 sentinel end date).
        OutsidePeriod = "outside_period",
        /// The station or port is not declared in the site options.
        UnregisteredPort = "unregistered_port",
    }
}

/// How serious a [`Flag`] is (`FlagSeverity` in Kotlin and Swift).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "uniffi", uniffi(name = "FlagSeverity"))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Kept in the metrics by default.
    Warning,
    /// Left out of the metrics by default.
    Error,
}

impl Flag {
    /// Warning or error, per §2.1.
    pub fn severity(self) -> Severity {
        match self {
            Flag::ZeroDuration
            | Flag::EndBeforeStart
            | Flag::ZeroEnergyClaimed
            | Flag::OutsidePeriod
            | Flag::UnregisteredPort => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// Outlier flags (§7 #7): the ones `OutlierPolicy` acts on.
    pub fn is_outlier(self) -> bool {
        matches!(self, Flag::LongSession | Flag::HighEnergy)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of [`Flag`]s. Serialises as the list of flag names.
///
/// ```
/// use chargekit::analytics::{Flag, FlagSet};
/// let mut f = FlagSet::default();
/// f.insert(Flag::LowEnergy);
/// assert!(f.contains(Flag::LowEnergy) && !f.has_error());
/// f.insert(Flag::ZeroDuration);
/// assert!(f.has_error());
/// assert_eq!(f.iter().collect::<Vec<_>>(), vec![Flag::LowEnergy, Flag::ZeroDuration]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FlagSet(u32);

impl FlagSet {
    /// Adds a flag.
    pub fn insert(&mut self, f: Flag) {
        self.0 |= f.bit();
    }
    /// Whether the flag is present.
    pub fn contains(&self, f: Flag) -> bool {
        self.0 & f.bit() != 0
    }
    /// No flag at all.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    /// Any error flag.
    pub fn has_error(&self) -> bool {
        self.iter().any(|f| f.severity() == Severity::Error)
    }
    /// Any outlier flag.
    pub fn has_outlier(&self) -> bool {
        self.iter().any(Flag::is_outlier)
    }
    /// The flags in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        Flag::ALL.iter().copied().filter(|f| self.contains(*f))
    }
}

impl FromIterator<Flag> for FlagSet {
    fn from_iter<I: IntoIterator<Item = Flag>>(flags: I) -> Self {
        let mut set = Self::default();
        flags.into_iter().for_each(|f| set.insert(f));
        set
    }
}

impl Serialize for FlagSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A plausible range of rated power, kW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct KwRange {
    /// Lowest plausible kW.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub min: Decimal,
    /// Highest plausible kW.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub max: Decimal,
}

impl KwRange {
    fn contains(&self, kw: Decimal) -> bool {
        kw >= self.min && kw <= self.max
    }
}

/// Validation thresholds (§2.1 defaults).
///
/// ```
/// use chargekit::analytics::ValidationRules;
/// let r = ValidationRules::default();
/// assert_eq!(r.max_session_s, 2880 * 60);
/// assert_eq!(r.max_energy_kwh.to_string(), "250");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct ValidationRules {
    /// Shortest plausible session or charging duration, s (60).
    #[cfg_attr(feature = "uniffi", uniffi(default = 60))]
    pub min_duration_s: i64,
    /// Longest plausible session, s (2880 min).
    #[cfg_attr(feature = "uniffi", uniffi(default = 172800))]
    pub max_session_s: i64,
    /// Longest plausible charging, s (1440 min).
    #[cfg_attr(feature = "uniffi", uniffi(default = 86400))]
    pub max_charging_s: i64,
    /// Least plausible energy, kWh (0.5).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub min_energy_kwh: Decimal,
    /// Most plausible energy, kWh (250).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub max_energy_kwh: Decimal,
    /// Average power may exceed rated power by this factor (1.1).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub max_power_ratio: Decimal,
    /// Plausible AC rated power (3.2–19.2 kW).
    pub ac_rated_kw: KwRange,
    /// Plausible DC rated power (20–360 kW).
    pub dc_rated_kw: KwRange,
}

impl Default for ValidationRules {
    fn default() -> Self {
        Self {
            min_duration_s: 60,
            max_session_s: 2880 * 60,
            max_charging_s: 1440 * 60,
            min_energy_kwh: Decimal::new(5, 1),
            max_energy_kwh: Decimal::from(250),
            max_power_ratio: Decimal::new(11, 1),
            ac_rated_kw: KwRange {
                min: Decimal::new(32, 1),
                max: Decimal::new(192, 1),
            },
            dc_rated_kw: KwRange {
                min: Decimal::from(20),
                max: Decimal::from(360),
            },
        }
    }
}

/// What validation knows about the port and the period.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    pub period: Option<Period>,
    pub rated: Option<Power>,
    pub kind: Option<super::options::PowerKind>,
    pub registered: bool,
}

impl ValidationRules {
    /// The flags of one record, except `duplicate_id` (a property of the whole data set).
    pub(crate) fn check(&self, r: &SessionRecord, m: &SessionMetrics, ctx: &Context) -> FlagSet {
        let mut f = FlagSet::default();
        if r.plug_out < r.plug_in {
            f.insert(Flag::EndBeforeStart);
        }
        if m.dwell_s == 0 {
            f.insert(Flag::ZeroDuration);
        }
        if m.dwell_s < self.min_duration_s || m.charging_s < self.min_duration_s {
            f.insert(Flag::ShortDuration);
        }
        if m.dwell_s > self.max_session_s {
            f.insert(Flag::LongSession);
        }
        if m.charging_s > self.max_charging_s {
            f.insert(Flag::LongCharging);
        }
        let kwh = r.energy.kwh();
        if kwh < self.min_energy_kwh {
            f.insert(Flag::LowEnergy);
        }
        if kwh > self.max_energy_kwh {
            f.insert(Flag::HighEnergy);
        }
        let claimed_s = r
            .charging_s
            .or_else(|| r.charge_end.map(|e| (e - m.charge_start).num_seconds()));
        if claimed_s.is_some_and(|c| c > m.dwell_s) || r.charge_end.is_some_and(|e| e > m.end) {
            f.insert(Flag::ChargingExceedsSession);
        }
        if kwh <= Decimal::ZERO && claimed_s.is_some_and(|c| c > 0) {
            f.insert(Flag::ZeroEnergyClaimed);
        }
        let rated = ctx.rated.or(r.rated_power);
        if let (Some(rated), Some(avg)) = (rated, m.avg_power) {
            let limit = rated.w().checked_mul(self.max_power_ratio);
            if rated.w() > Decimal::ZERO && limit.is_some_and(|l| avg.w() > l) {
                f.insert(Flag::PowerAboveRated);
            }
        }
        if let Some(rated) = rated {
            let kw = rated.kw();
            let ok = match ctx.kind {
                Some(super::options::PowerKind::Ac) => self.ac_rated_kw.contains(kw),
                Some(super::options::PowerKind::Dc) => self.dc_rated_kw.contains(kw),
                None => self.ac_rated_kw.contains(kw) || self.dc_rated_kw.contains(kw),
            };
            if !ok {
                f.insert(Flag::RatedPowerOutOfRange);
            }
        }
        if let Some(p) = ctx.period {
            if !p.contains(r.plug_in) || r.plug_out < p.start() {
                f.insert(Flag::OutsidePeriod);
            }
        }
        if !ctx.registered {
            f.insert(Flag::UnregisteredPort);
        }
        f
    }
}
