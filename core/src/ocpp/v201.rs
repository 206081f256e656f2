//! OCPP 2.0.1 and 2.1 payload models for the messages that make up a session.
//!
//! 2.1 keeps 2.0.1's transaction messages and adds values and fields, so one model reads
//! both; [`TransactionEventRequest::v21_feature`] names what only 2.1 has, which tells a
//! 2.1 log from a 2.0.1 one.
//!
//! Sampled values are JSON numbers in 2.0.1; they are kept as their exact text, read from
//! the JSON text ([`crate::json::number`]), so `12.30` stays `12.30`.

use super::{json_text, number_text, ts};
use crate::enums::wire_enum;
use crate::meter::{Location, Measurand, Phase, ReadingContext};
use chrono::{DateTime, Utc};
use serde::Deserialize;

wire_enum! {
    /// `TransactionEventEnumType`.
    pub enum TransactionEventType {
        /// First event of a transaction.
        Started = "Started",
        /// Any event in between.
        Updated = "Updated",
        /// Last event of a transaction.
        Ended = "Ended",
    }
}

wire_enum! {
    /// `TriggerReasonEnumType`: the 21 values of 2.0.1 and the 8 that 2.1 adds.
    pub enum TriggerReason {
        /// Token authorised.
        Authorized = "Authorized",
        /// Cable plugged in.
        CablePluggedIn = "CablePluggedIn",
        /// Charging rate changed.
        ChargingRateChanged = "ChargingRateChanged",
        /// Charging state changed.
        ChargingStateChanged = "ChargingStateChanged",
        /// Token de-authorised.
        Deauthorized = "Deauthorized",
        /// Energy limit reached.
        EnergyLimitReached = "EnergyLimitReached",
        /// Communication with the EV lost.
        EvCommunicationLost = "EVCommunicationLost",
        /// EV did not connect in time.
        EvConnectTimeout = "EVConnectTimeout",
        /// Clock-aligned meter value.
        MeterValueClock = "MeterValueClock",
        /// Periodic meter value.
        MeterValuePeriodic = "MeterValuePeriodic",
        /// Time limit reached.
        TimeLimitReached = "TimeLimitReached",
        /// Triggered by a request.
        Trigger = "Trigger",
        /// Unlock command.
        UnlockCommand = "UnlockCommand",
        /// Stop authorised.
        StopAuthorized = "StopAuthorized",
        /// EV departed.
        EvDeparted = "EVDeparted",
        /// EV detected.
        EvDetected = "EVDetected",
        /// Remote stop.
        RemoteStop = "RemoteStop",
        /// Remote start.
        RemoteStart = "RemoteStart",
        /// Abnormal condition.
        AbnormalCondition = "AbnormalCondition",
        /// Signed data received.
        SignedDataReceived = "SignedDataReceived",
        /// Reset command.
        ResetCommand = "ResetCommand",
        /// 2.1: the transaction's cost limit was reached.
        CostLimitReached = "CostLimitReached",
        /// 2.1: a limit was set on the transaction.
        LimitSet = "LimitSet",
        /// 2.1: the operation mode changed (e.g. to a discharging setpoint).
        OperationModeChanged = "OperationModeChanged",
        /// 2.1: a running cost update.
        RunningCost = "RunningCost",
        /// 2.1: the SoC limit was reached.
        SocLimitReached = "SoCLimitReached",
        /// 2.1: the transaction's tariff changed.
        TariffChanged = "TariffChanged",
        /// 2.1: the station did not accept the tariff.
        TariffNotAccepted = "TariffNotAccepted",
        /// 2.1: a transaction resumed after a reset or power loss.
        TxResumed = "TxResumed",
    }
}

impl TriggerReason {
    /// True for the values that only OCPP 2.1 has.
    pub fn since_v21(self) -> bool {
        use TriggerReason::*;
        matches!(
            self,
            CostLimitReached
                | LimitSet
                | OperationModeChanged
                | RunningCost
                | SocLimitReached
                | TariffChanged
                | TariffNotAccepted
                | TxResumed
        )
    }
}

wire_enum! {
    /// `ChargingStateEnumType`.
    pub enum ChargingState {
        /// Energy is flowing.
        Charging = "Charging",
        /// Connected, not charging.
        EvConnected = "EVConnected",
        /// The EV takes no energy (typically battery full).
        SuspendedEv = "SuspendedEV",
        /// The EVSE offers no energy.
        SuspendedEvse = "SuspendedEVSE",
        /// No EV connected.
        Idle = "Idle",
    }
}

wire_enum! {
    /// `ReasonEnumType`: why a 2.0.1 transaction stopped.
    pub enum StoppedReason {
        /// De-authorised.
        DeAuthorized = "DeAuthorized",
        /// Emergency stop.
        EmergencyStop = "EmergencyStop",
        /// Energy limit reached.
        EnergyLimitReached = "EnergyLimitReached",
        /// EV unplugged.
        EvDisconnected = "EVDisconnected",
        /// Ground fault.
        GroundFault = "GroundFault",
        /// Immediate reset.
        ImmediateReset = "ImmediateReset",
        /// Stopped locally.
        Local = "Local",
        /// Out of credit.
        LocalOutOfCredit = "LocalOutOfCredit",
        /// Master pass.
        MasterPass = "MasterPass",
        /// Other.
        Other = "Other",
        /// Over current.
        OvercurrentFault = "OvercurrentFault",
        /// Power loss.
        PowerLoss = "PowerLoss",
        /// Power quality.
        PowerQuality = "PowerQuality",
        /// Reboot.
        Reboot = "Reboot",
        /// Remote stop.
        Remote = "Remote",
        /// SoC limit reached.
        SocLimitReached = "SOCLimitReached",
        /// Stopped by the EV.
        StoppedByEv = "StoppedByEV",
        /// Time limit reached.
        TimeLimitReached = "TimeLimitReached",
        /// Timeout.
        Timeout = "Timeout",
        /// 2.1: the EV rejected the requested energy transfer (e.g. discharging).
        ReqEnergyTransferRejected = "ReqEnergyTransferRejected",
    }
}

wire_enum! {
    /// `OperationModeEnumType` (2.1): how the EVSE controls the energy flow, in transactions
    /// and in charging schedule periods.
    pub enum OperationMode {
        /// No charging or discharging.
        Idle = "Idle",
        /// Charging only (the 2.0.1 behaviour).
        ChargingOnly = "ChargingOnly",
        /// Setpoint set by the CSMS (may discharge).
        CentralSetpoint = "CentralSetpoint",
        /// Setpoint set by an external actor.
        ExternalSetpoint = "ExternalSetpoint",
        /// Limits set by an external actor.
        ExternalLimits = "ExternalLimits",
        /// Frequency support controlled by the CSMS.
        CentralFrequency = "CentralFrequency",
        /// Local frequency support.
        LocalFrequency = "LocalFrequency",
        /// Local load balancing.
        LocalLoadBalancing = "LocalLoadBalancing",
    }
}

wire_enum! {
    /// `ConnectorStatusEnumType`.
    pub enum ConnectorStatus {
        /// Free.
        Available = "Available",
        /// A vehicle is connected.
        Occupied = "Occupied",
        /// Reserved.
        Reserved = "Reserved",
        /// Unavailable.
        Unavailable = "Unavailable",
        /// Faulted.
        Faulted = "Faulted",
    }
}

/// `TransactionEventRequest`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionEventRequest {
    /// Started, Updated or Ended.
    pub event_type: TransactionEventType,
    /// Time of the event (station clock).
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
    /// Why the event was sent.
    pub trigger_reason: TriggerReason,
    /// Per-transaction sequence number: the ordering and completeness key.
    pub seq_no: u64,
    /// True when the event was queued while offline.
    #[serde(default)]
    pub offline: Option<bool>,
    /// Phases in use.
    #[serde(default)]
    pub number_of_phases_used: Option<u8>,
    /// Maximum current of the cable, A.
    #[serde(default)]
    pub cable_max_current: Option<i64>,
    /// Reservation used.
    #[serde(default)]
    pub reservation_id: Option<i64>,
    /// The transaction.
    pub transaction_info: TransactionInfo,
    /// The authorising token.
    #[serde(default)]
    pub id_token: Option<IdToken>,
    /// The EVSE: only in the first event after the EV connects (E01.FR.16).
    #[serde(default)]
    pub evse: Option<Evse>,
    /// Meter values carried by the event.
    #[serde(default)]
    pub meter_value: Option<Vec<MeterValue>>,
    /// 2.1: the cost the station calculated itself (`CostDetailsType`), as JSON text.
    #[serde(default, deserialize_with = "json_text::optional")]
    pub cost_details: Option<String>,
    /// 2.1: `preconditioningStatus`.
    #[serde(default)]
    pub preconditioning_status: Option<String>,
    /// 2.1: `evseSleep`.
    #[serde(default)]
    pub evse_sleep: Option<bool>,
}

impl TransactionEventRequest {
    /// The first element of this event that only OCPP 2.1 has (its JSON path), if any.
    ///
    /// ```
    /// use chargekit::ocpp::v201::TransactionEventRequest;
    /// let e: TransactionEventRequest = serde_json::from_value(serde_json::json!({
    ///     "eventType": "Updated", "timestamp": "2026-03-10T08:00:00Z",
    ///     "triggerReason": "TariffChanged", "seqNo": 1,
    ///     "transactionInfo": {"transactionId": "T1", "tariffId": "t-2"}})).unwrap();
    /// assert_eq!(e.v21_feature(), Some("triggerReason"));
    /// ```
    pub fn v21_feature(&self) -> Option<&'static str> {
        let t = &self.transaction_info;
        if self.trigger_reason.since_v21() {
            Some("triggerReason")
        } else if self.cost_details.is_some() {
            Some("costDetails")
        } else if self.preconditioning_status.is_some() {
            Some("preconditioningStatus")
        } else if self.evse_sleep.is_some() {
            Some("evseSleep")
        } else if t.operation_mode.is_some() {
            Some("transactionInfo.operationMode")
        } else if t.tariff_id.is_some() {
            Some("transactionInfo.tariffId")
        } else if t.transaction_limit.is_some() {
            Some("transactionInfo.transactionLimit")
        } else if t.stopped_reason == Some(StoppedReason::ReqEnergyTransferRejected) {
            Some("transactionInfo.stoppedReason")
        } else {
            meter_values_v21_feature(self.meter_value.as_deref().unwrap_or_default())
        }
    }
}

/// The first sampled value of only OCPP 2.1 (a 2.1 measurand or location), if any.
pub(crate) fn meter_values_v21_feature(values: &[MeterValue]) -> Option<&'static str> {
    values.iter().flat_map(|m| &m.sampled_value).find_map(|v| {
        if v.measurand.is_some_and(Measurand::since_v21) {
            Some("meterValue.sampledValue.measurand")
        } else if v.location == Some(Location::Upstream) {
            Some("meterValue.sampledValue.location")
        } else {
            None
        }
    })
}

/// `TransactionType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInfo {
    /// The station-assigned transaction id (≤ 36 characters).
    pub transaction_id: String,
    /// Current charging state.
    #[serde(default)]
    pub charging_state: Option<ChargingState>,
    /// Seconds energy has flowed so far.
    #[serde(default)]
    pub time_spent_charging: Option<i64>,
    /// Why it stopped (in the Ended event).
    #[serde(default)]
    pub stopped_reason: Option<StoppedReason>,
    /// Id of the remote start request.
    #[serde(default)]
    pub remote_start_id: Option<i64>,
    /// 2.1: how the EVSE controls the energy flow.
    #[serde(default)]
    pub operation_mode: Option<OperationMode>,
    /// 2.1: the tariff the transaction is priced by.
    #[serde(default)]
    pub tariff_id: Option<String>,
    /// 2.1: the limits set on the transaction.
    #[serde(default)]
    pub transaction_limit: Option<TransactionLimit>,
}

/// `TransactionLimitType` (2.1): limits on a transaction; numbers kept as their exact text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionLimit {
    /// Maximum cost, in the tariff's currency.
    #[serde(default, deserialize_with = "number_text::optional")]
    pub max_cost: Option<String>,
    /// Maximum energy, Wh.
    #[serde(default, deserialize_with = "number_text::optional")]
    pub max_energy: Option<String>,
    /// Maximum duration, s.
    #[serde(default)]
    pub max_time: Option<i64>,
    /// Maximum state of charge, %.
    #[serde(default)]
    pub max_so_c: Option<i64>,
}

/// `IdTokenType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdToken {
    /// The token value.
    pub id_token: String,
    /// Its type, e.g. `ISO14443`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// `EVSEType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evse {
    /// EVSE id.
    pub id: u32,
    /// Connector within the EVSE.
    #[serde(default)]
    pub connector_id: Option<u32>,
}

/// `MeterValueType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterValue {
    /// Sampling time (station clock).
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
    /// The values.
    pub sampled_value: Vec<SampledValue>,
}

/// `SampledValueType`. The value is a JSON number, kept as its exact text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SampledValue {
    /// The number exactly as sent.
    #[serde(deserialize_with = "number_text::required")]
    pub value: String,
    /// Why it was sampled.
    #[serde(default)]
    pub context: Option<ReadingContext>,
    /// What it measures.
    #[serde(default)]
    pub measurand: Option<Measurand>,
    /// The phase.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// Where it was measured.
    #[serde(default)]
    pub location: Option<Location>,
    /// Signed meter value, kept for verification.
    #[serde(default)]
    pub signed_meter_value: Option<SignedMeterValue>,
    /// Unit and power-of-ten multiplier.
    #[serde(default)]
    pub unit_of_measure: Option<UnitOfMeasure>,
}

/// `UnitOfMeasureType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitOfMeasure {
    /// Unit text (default `Wh`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Power of ten (default 0).
    #[serde(default)]
    pub multiplier: Option<i32>,
}

/// `SignedMeterValueType`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedMeterValue {
    /// The signed data (Base64).
    pub signed_meter_data: String,
    /// The signing method.
    #[serde(default)]
    pub signing_method: Option<String>,
    /// The encoding method, e.g. `OCMF`.
    #[serde(default)]
    pub encoding_method: Option<String>,
    /// The public key (Base64), when sent.
    #[serde(default)]
    pub public_key: Option<String>,
}

/// `MeterValuesRequest` (values outside a transaction).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterValuesRequest {
    /// EVSE (0 = main meter).
    pub evse_id: u32,
    /// The values.
    pub meter_value: Vec<MeterValue>,
}

/// `StatusNotificationRequest`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusNotificationRequest {
    /// Time of the change.
    #[serde(deserialize_with = "ts::required")]
    pub timestamp: DateTime<Utc>,
    /// The new status.
    pub connector_status: ConnectorStatus,
    /// EVSE.
    pub evse_id: u32,
    /// Connector within the EVSE.
    pub connector_id: u32,
}
