//! `MeterPolicy`: the named choices for the ambiguous cases of meter data.
//!
//! Each field answers one numbered case of `docs/metering.md` §4 (the `§4 #n` below);
//! the defaults are the ones documented there.

use super::Location;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which measurement location counts for the session energy (§4 #1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LocationPolicy {
    /// `Outlet`, or no location given (the OCPP default is Outlet).
    #[default]
    OutletOrUnspecified,
    /// Anything but the grid-side `Inlet`.
    AnyButInlet,
    /// Exactly this location.
    Exact(Location),
}

/// What to do with a `Transaction.Begin` value of 0 followed by a large value (§4 #2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum BeginZeroPolicy {
    /// Reject it as an offline placeholder (`begin_zero_placeholder`).
    #[default]
    RejectPlaceholder,
    /// Trust it as the baseline.
    TrustBegin,
}

/// How to treat a register value lower than the previous one (§4 #3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum NegativeStepPolicy {
    /// Classify as dip, reset or rollover (`docs/metering.md` §3, step 6).
    #[default]
    Classify,
    /// Every drop is a reset: continue from the new value.
    TreatAsReset,
    /// Refuse to compute the energy.
    Error,
}

/// Data for a transaction that already ended (§4 #4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LateEventsPolicy {
    /// Keep as history with an `after_end` anomaly; never reopen or change totals.
    #[default]
    AppendHistory,
    /// Discard (still reported as `after_end`).
    Drop,
}

/// A unit text that is not an OCPP unit (§4 #6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UnknownUnitPolicy {
    /// Keep the raw text, no value, `unknown_unit` anomaly.
    #[default]
    Flag,
    /// Fail with an error.
    Strict,
}

/// kWh numbers labelled Wh, or the reverse (§4 #7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UnitSuspectPolicy {
    /// Report `unit_suspect`, leave the energy as computed.
    #[default]
    Flag,
    /// Rescale by 1000 when the factor is about 1000 and power samples confirm it (still reported).
    AutoCorrect,
}

/// meterStart/meterStop disagreeing with the sampled series (§4 #8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum StartStopPolicy {
    /// Trust the series and flag `start_stop_mismatch`.
    #[default]
    TrustSeries,
    /// Use meterStop − meterStart when both are present (still flagged).
    PreferStartStop,
}

/// Interval and Register values both present (§4 #9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SeriesPreference {
    /// The register wins.
    #[default]
    PreferRegister,
    /// The sum of intervals wins.
    PreferInterval,
}

/// `Sample.Clock` readings inside a transaction (§4 #10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ClockAlignedPolicy {
    /// Use them like periodic samples.
    #[default]
    UseLikePeriodic,
    /// Ignore them (CitrineOS behaviour).
    Ignore,
}

/// How the context of a sampled value is found when one MeterValue mixes contexts (§4 #11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ContextPolicy {
    /// Each sampled value has its own context.
    #[default]
    PerSampledValue,
    /// The first sampled value's context applies to all (CitrineOS compatibility).
    FirstSampleContext,
}

/// Where a session begins and ends (§4 #12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum BoundaryPolicy {
    /// The transaction as the station reports it (its TxStartPoint/TxStopPoint).
    #[default]
    Transaction,
    /// From plug-in to plug-out, derived from connector status.
    PlugInToPlugOut,
}

/// How idle (plugged in, not charging) time is detected in OCPP 1.6 (§4 #13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum IdleDetection {
    /// StatusNotification `SuspendedEV`/`SuspendedEVSE`/`Finishing` after `Charging`;
    /// the register is used when the station sent no status.
    #[default]
    StatusNotification,
    /// Equal consecutive register values mean idle.
    FlatRegister,
}

/// Timestamps from before the station's clock was set (§4 #15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PreSyncPolicy {
    /// Keep the reading, flag `clock_suspect`, leave it out of the energy series.
    #[default]
    KeepFlagged,
    /// Discard (still reported as `clock_suspect`).
    Drop,
}

/// The named policy options for meter data, with the defaults of `docs/metering.md` §4.
///
/// ```
/// use chargekit::meter::{MeterPolicy, NegativeStepPolicy};
/// let p = MeterPolicy::default();
/// assert_eq!(p.negative_step, NegativeStepPolicy::Classify);
/// let strict = MeterPolicy { negative_step: NegativeStepPolicy::Error, ..MeterPolicy::default() };
/// assert_ne!(p, strict);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct MeterPolicy {
    /// §4 #1.
    pub location: LocationPolicy,
    /// §4 #2.
    pub begin_zero: BeginZeroPolicy,
    /// §4 #3.
    pub negative_step: NegativeStepPolicy,
    /// §4 #4.
    pub late_events: LateEventsPolicy,
    /// §4 #6.
    pub unknown_unit: UnknownUnitPolicy,
    /// §4 #7.
    pub unit_suspect: UnitSuspectPolicy,
    /// §4 #8.
    pub start_stop: StartStopPolicy,
    /// §4 #9.
    pub series: SeriesPreference,
    /// §4 #10.
    pub clock_aligned: ClockAlignedPolicy,
    /// §4 #11.
    pub context: ContextPolicy,
    /// §4 #12.
    pub boundaries: BoundaryPolicy,
    /// §4 #13.
    pub idle_detection: IdleDetection,
    /// §4 #15.
    pub pre_sync: PreSyncPolicy,
    /// Rated power of the charger in W; an energy step above `rated × 1.1` is
    /// `implausible_power`. Default 400 kW, above any charger in service.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub rated_power_w: Decimal,
    /// Include implausible steps in the energy anyway (still reported).
    pub allow_implausible: bool,
    /// Largest tolerated difference, in seconds, between station and receive time.
    pub max_clock_skew_s: i64,
    /// A Begin value of 0 is a placeholder when the next value is at least this many Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub begin_zero_threshold_wh: Decimal,
    /// Tolerance for start/stop cross-checks, in Wh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub start_stop_tolerance_wh: Decimal,
}

impl Default for MeterPolicy {
    fn default() -> Self {
        Self {
            location: LocationPolicy::default(),
            begin_zero: BeginZeroPolicy::default(),
            negative_step: NegativeStepPolicy::default(),
            late_events: LateEventsPolicy::default(),
            unknown_unit: UnknownUnitPolicy::default(),
            unit_suspect: UnitSuspectPolicy::default(),
            start_stop: StartStopPolicy::default(),
            series: SeriesPreference::default(),
            clock_aligned: ClockAlignedPolicy::default(),
            context: ContextPolicy::default(),
            boundaries: BoundaryPolicy::default(),
            idle_detection: IdleDetection::default(),
            pre_sync: PreSyncPolicy::default(),
            rated_power_w: Decimal::from(400_000),
            allow_implausible: false,
            max_clock_skew_s: 300,
            begin_zero_threshold_wh: Decimal::from(250_000),
            start_stop_tolerance_wh: Decimal::ONE,
        }
    }
}

impl MeterPolicy {
    /// Reads a policy from JSON: an object with any of the fields (snake_case names and
    /// option values); missing fields keep their defaults, unknown fields are errors.
    ///
    /// ```
    /// use chargekit::meter::{MeterPolicy, NegativeStepPolicy, LocationPolicy, Location};
    /// let p = MeterPolicy::from_json(r#"{"negative_step": "treat_as_reset", "location": {"exact": "Cable"}}"#).unwrap();
    /// assert_eq!(p.negative_step, NegativeStepPolicy::TreatAsReset);
    /// assert_eq!(p.location, LocationPolicy::Exact(Location::Cable));
    /// assert!(MeterPolicy::from_json(r#"{"negative_step": "maybe"}"#).is_err());
    /// // Decimal fields take JSON numbers or strings.
    /// assert_eq!(MeterPolicy::from_json(r#"{"rated_power_w": 22000}"#).unwrap().rated_power_w.to_string(), "22000");
    /// ```
    pub fn from_json(text: &str) -> Result<Self, crate::Error> {
        crate::json::read_json(text).map_err(|(field, e)| crate::Error::InvalidPolicy {
            field,
            reason: crate::json::without_position(&e),
        })
    }

    /// The policy as JSON (every field, with its value).
    ///
    /// ```
    /// use chargekit::meter::MeterPolicy;
    /// let json = MeterPolicy::default().to_json();
    /// assert!(json.contains("\"negative_step\":\"classify\""));
    /// assert_eq!(MeterPolicy::from_json(&json).unwrap(), MeterPolicy::default());
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl LocationPolicy {
    /// Whether a reading at `location` (None = unspecified) counts.
    ///
    /// ```
    /// use chargekit::meter::{Location, LocationPolicy};
    /// assert!(LocationPolicy::OutletOrUnspecified.accepts(None));
    /// assert!(!LocationPolicy::OutletOrUnspecified.accepts(Some(Location::Inlet)));
    /// assert!(LocationPolicy::AnyButInlet.accepts(Some(Location::Cable)));
    /// ```
    pub fn accepts(self, location: Option<Location>) -> bool {
        match self {
            LocationPolicy::OutletOrUnspecified => {
                matches!(location, None | Some(Location::Outlet))
            }
            LocationPolicy::AnyButInlet => location != Some(Location::Inlet),
            LocationPolicy::Exact(l) => location.unwrap_or(Location::Outlet) == l,
        }
    }
}
