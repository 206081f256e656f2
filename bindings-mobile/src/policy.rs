//! `MeterPolicy`: mirrors of core's policy record and its option enums.
//!
//! The `#[uniffi::remote]` blocks restate core's definitions so that UniFFI can
//! generate the foreign types; core stays free of UniFFI. A variant or field that
//! core adds or renames makes this file fail to compile, so the mirror cannot drift.

use chargekit::meter::{
    BeginZeroPolicy, BoundaryPolicy, ClockAlignedPolicy, ContextPolicy, IdleDetection,
    LateEventsPolicy, Location, LocationPolicy, MeterPolicy, NegativeStepPolicy, PreSyncPolicy,
    SeriesPreference, StartStopPolicy, UnitSuspectPolicy, UnknownUnitPolicy,
};

use crate::error::{guarded, ChargekitError};
use crate::types::ExactDecimal;

/// Where a value was measured (OCPP `location`).
#[uniffi::remote(Enum)]
pub enum Location {
    /// `Body`.
    Body,
    /// `Cable`.
    Cable,
    /// `EV`.
    Ev,
    /// `Inlet` (grid side).
    Inlet,
    /// `Outlet` (the OCPP default).
    Outlet,
}

/// Which measurement location counts for the session energy.
#[uniffi::remote(Enum)]
pub enum LocationPolicy {
    /// `Outlet`, or no location given (default).
    OutletOrUnspecified,
    /// Anything but the grid-side `Inlet`.
    AnyButInlet,
    /// Exactly this location.
    Exact(Location),
}

/// A `Transaction.Begin` value of 0 followed by a large value.
#[uniffi::remote(Enum)]
pub enum BeginZeroPolicy {
    /// Reject it as an offline placeholder (default, anomaly `begin_zero_placeholder`).
    RejectPlaceholder,
    /// Trust it as the baseline.
    TrustBegin,
}

/// A register value lower than the previous one.
#[uniffi::remote(Enum)]
pub enum NegativeStepPolicy {
    /// Classify as dip, reset or rollover (default).
    Classify,
    /// Every drop is a reset: continue from the new value.
    TreatAsReset,
    /// Refuse to compute the energy (`ChargekitError.NegativeStep`).
    Error,
}

/// Data for a transaction that already ended.
#[uniffi::remote(Enum)]
pub enum LateEventsPolicy {
    /// Keep as history with an `after_end` anomaly; never change totals (default).
    AppendHistory,
    /// Discard (still reported as `after_end`).
    Drop,
}

/// A unit text that is not an OCPP unit.
#[uniffi::remote(Enum)]
pub enum UnknownUnitPolicy {
    /// Keep the raw text, no value, `unknown_unit` anomaly (default).
    Flag,
    /// Fail with `ChargekitError.UnknownUnit`.
    Strict,
}

/// kWh numbers labelled Wh, or the reverse.
#[uniffi::remote(Enum)]
pub enum UnitSuspectPolicy {
    /// Report `unit_suspect`, leave the energy as computed (default).
    Flag,
    /// Rescale by 1000 when power samples confirm it (still reported).
    AutoCorrect,
}

/// meterStart/meterStop disagreeing with the sampled series.
#[uniffi::remote(Enum)]
pub enum StartStopPolicy {
    /// Trust the series and flag `start_stop_mismatch` (default).
    TrustSeries,
    /// Use meterStop − meterStart when both are present (still flagged).
    PreferStartStop,
}

/// Interval and Register values both present.
#[uniffi::remote(Enum)]
pub enum SeriesPreference {
    /// The register wins (default).
    PreferRegister,
    /// The sum of intervals wins.
    PreferInterval,
}

/// `Sample.Clock` readings inside a transaction.
#[uniffi::remote(Enum)]
pub enum ClockAlignedPolicy {
    /// Use them like periodic samples (default).
    UseLikePeriodic,
    /// Ignore them.
    Ignore,
}

/// How the context of a sampled value is found when one MeterValue mixes contexts.
#[uniffi::remote(Enum)]
pub enum ContextPolicy {
    /// Each sampled value has its own context (default).
    PerSampledValue,
    /// The first sampled value's context applies to all.
    FirstSampleContext,
}

/// Where a session begins and ends.
#[uniffi::remote(Enum)]
pub enum BoundaryPolicy {
    /// The transaction as the station reports it (default).
    Transaction,
    /// From plug-in to plug-out, derived from connector status.
    PlugInToPlugOut,
}

/// How idle time is detected in OCPP 1.6.
#[uniffi::remote(Enum)]
pub enum IdleDetection {
    /// StatusNotification `SuspendedEV`/`SuspendedEVSE`/`Finishing` after `Charging` (default).
    StatusNotification,
    /// Equal consecutive register values mean idle.
    FlatRegister,
}

/// Timestamps from before the station's clock was set.
#[uniffi::remote(Enum)]
pub enum PreSyncPolicy {
    /// Keep the reading, flag `clock_suspect`, leave it out of the energy (default).
    KeepFlagged,
    /// Discard (still reported as `clock_suspect`).
    Drop,
}

/// The named choices for the ambiguous cases of meter data. Start from
/// `defaultMeterPolicy()` and change what you need.
#[uniffi::remote(Record)]
pub struct MeterPolicy {
    /// Which measurement location counts.
    pub location: LocationPolicy,
    /// Begin = 0 followed by a large value.
    pub begin_zero: BeginZeroPolicy,
    /// A register value lower than the previous one.
    pub negative_step: NegativeStepPolicy,
    /// Data after the transaction ended.
    pub late_events: LateEventsPolicy,
    /// A unit that is not an OCPP unit.
    pub unknown_unit: UnknownUnitPolicy,
    /// kWh/Wh mislabelling.
    pub unit_suspect: UnitSuspectPolicy,
    /// meterStart/meterStop disagreeing with the series.
    pub start_stop: StartStopPolicy,
    /// Interval and Register values both present.
    pub series: SeriesPreference,
    /// `Sample.Clock` readings inside a transaction.
    pub clock_aligned: ClockAlignedPolicy,
    /// Mixed contexts in one MeterValue.
    pub context: ContextPolicy,
    /// Session boundaries.
    pub boundaries: BoundaryPolicy,
    /// 1.6 idle detection.
    pub idle_detection: IdleDetection,
    /// Timestamps before the station's clock was set.
    pub pre_sync: PreSyncPolicy,
    /// Rated power of the charger, W; a step above `rated × 1.1` is `implausible_power`.
    pub rated_power_w: ExactDecimal,
    /// Include implausible steps in the energy anyway (still reported).
    pub allow_implausible: bool,
    /// Largest tolerated difference, in seconds, between station and receive time.
    pub max_clock_skew_s: i64,
    /// A Begin value of 0 is a placeholder when the next value is at least this many Wh.
    pub begin_zero_threshold_wh: ExactDecimal,
    /// Tolerance for start/stop cross-checks, Wh.
    pub start_stop_tolerance_wh: ExactDecimal,
}

/// chargekit's documented default policy.
#[uniffi::export]
pub fn default_meter_policy() -> MeterPolicy {
    MeterPolicy::default()
}

/// Reads a policy from JSON (snake_case field names and option values, as in
/// `{"negative_step": "treat_as_reset"}`); missing fields keep their defaults,
/// unknown fields are an `InvalidPolicy` error.
#[uniffi::export]
pub fn meter_policy_from_json(json: String) -> Result<MeterPolicy, ChargekitError> {
    guarded(|| MeterPolicy::from_json(&json))
}

/// The policy as JSON, every field with its value (the format `meterPolicyFromJson` reads).
#[uniffi::export]
pub fn meter_policy_to_json(policy: MeterPolicy) -> String {
    policy.to_json()
}
