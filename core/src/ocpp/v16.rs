//! OCPP 1.6 (JSON) payload models for the messages that make up a session.
//!
//! Field names follow the official JSON schemas. Numbers that carry energy are
//! kept as exact decimals; 1.6 sampled values are strings and are kept verbatim.

use super::{number_text, ts};
use crate::enums::wire_enum;
use crate::meter::{Location, Measurand, Phase, ReadingContext, ValueFormat};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// `StartTransaction.req`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartTransactionRequest {
    /// Connector (≥ 1).
    pub connector_id: u32,
    /// The authorising token.
    pub id_tag: String,
    /// Register value at start, Wh (an integer in the schema; kept exact).
    #[serde(deserialize_with = "number_text::required")]
    pub meter_start: String,
    /// Reservation being used, if any.
    #[serde(default)]
    pub reservation_id: Option<i64>,
    /// Start time.
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
}

/// `StartTransaction.conf`: the central system's answer with the transaction id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartTransactionResponse {
    /// Transaction id assigned by the central system.
    pub transaction_id: i64,
}

/// `MeterValues.req`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterValuesRequest {
    /// Connector (0 is the main meter of the station).
    pub connector_id: u32,
    /// Transaction the values belong to, if any.
    #[serde(default)]
    pub transaction_id: Option<i64>,
    /// One or more sampled moments.
    pub meter_value: Vec<MeterValue>,
}

/// A set of sampled values taken at one moment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterValue {
    /// When the values were sampled (station clock).
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
    /// The values.
    pub sampled_value: Vec<SampledValue>,
}

/// One sampled value. In 1.6 the value is a string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SampledValue {
    /// The value as sent.
    pub value: String,
    /// Why it was sampled.
    #[serde(default)]
    pub context: Option<ReadingContext>,
    /// Raw or signed.
    #[serde(default)]
    pub format: Option<ValueFormat>,
    /// What it measures.
    #[serde(default)]
    pub measurand: Option<Measurand>,
    /// The phase.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Where it was measured.
    #[serde(default)]
    pub location: Option<Location>,
    /// The unit as sent (classified later, so an unknown unit is an anomaly, not a parse failure).
    #[serde(default)]
    pub unit: Option<String>,
}

wire_enum! {
    /// Why a 1.6 transaction stopped.
    pub enum StopReason {
        /// Emergency stop button.
        EmergencyStop = "EmergencyStop",
        /// The EV was unplugged.
        EvDisconnected = "EVDisconnected",
        /// Hard reset.
        HardReset = "HardReset",
        /// Stopped locally (e.g. card presented again).
        Local = "Local",
        /// Other reason.
        Other = "Other",
        /// Power loss.
        PowerLoss = "PowerLoss",
        /// Reboot.
        Reboot = "Reboot",
        /// Remote stop.
        Remote = "Remote",
        /// Soft reset.
        SoftReset = "SoftReset",
        /// Unlock command.
        UnlockCommand = "UnlockCommand",
        /// The token was de-authorised.
        DeAuthorized = "DeAuthorized",
    }
}

/// `StopTransaction.req`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopTransactionRequest {
    /// The transaction.
    pub transaction_id: i64,
    /// Stop time.
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
    /// Register value at stop, Wh.
    #[serde(deserialize_with = "number_text::required")]
    pub meter_stop: String,
    /// The token that stopped it.
    #[serde(default)]
    pub id_tag: Option<String>,
    /// Why it stopped.
    #[serde(default)]
    pub reason: Option<StopReason>,
    /// Values collected during the transaction.
    #[serde(default)]
    pub transaction_data: Option<Vec<MeterValue>>,
}

wire_enum! {
    /// 1.6 connector status.
    pub enum ChargePointStatus {
        /// Free.
        Available = "Available",
        /// Plugged in or authorised, not yet charging.
        Preparing = "Preparing",
        /// Energy flowing.
        Charging = "Charging",
        /// The station does not offer energy.
        SuspendedEvse = "SuspendedEVSE",
        /// The EV takes no energy.
        SuspendedEv = "SuspendedEV",
        /// Transaction stopped, EV still plugged in.
        Finishing = "Finishing",
        /// Reserved.
        Reserved = "Reserved",
        /// Unavailable.
        Unavailable = "Unavailable",
        /// Faulted.
        Faulted = "Faulted",
    }
}

wire_enum! {
    /// 1.6 connector error code.
    pub enum ChargePointErrorCode {
        /// Lock failure.
        ConnectorLockFailure = "ConnectorLockFailure",
        /// Communication with the EV failed.
        EvCommunicationError = "EVCommunicationError",
        /// Ground failure.
        GroundFailure = "GroundFailure",
        /// Over temperature.
        HighTemperature = "HighTemperature",
        /// Internal error.
        InternalError = "InternalError",
        /// Local list conflict.
        LocalListConflict = "LocalListConflict",
        /// No error.
        NoError = "NoError",
        /// Other error.
        OtherError = "OtherError",
        /// Over current.
        OverCurrentFailure = "OverCurrentFailure",
        /// Meter failure.
        PowerMeterFailure = "PowerMeterFailure",
        /// Power switch failure.
        PowerSwitchFailure = "PowerSwitchFailure",
        /// Reader failure.
        ReaderFailure = "ReaderFailure",
        /// Reset failure.
        ResetFailure = "ResetFailure",
        /// Under voltage.
        UnderVoltage = "UnderVoltage",
        /// Over voltage.
        OverVoltage = "OverVoltage",
        /// Weak signal.
        WeakSignal = "WeakSignal",
    }
}

/// `StatusNotification.req`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusNotificationRequest {
    /// Connector (0 = the whole station).
    pub connector_id: u32,
    /// The new status.
    pub status: ChargePointStatus,
    /// Error code (`NoError` normally).
    pub error_code: ChargePointErrorCode,
    /// Time of the change (optional in 1.6).
    #[serde(default, deserialize_with = "ts::optional")]
    pub timestamp: Option<DateTime<Utc>>,
    /// Free text.
    #[serde(default)]
    pub info: Option<String>,
}
