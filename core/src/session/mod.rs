//! Charging sessions: assembled from OCPP messages by an order-independent,
//! idempotent reducer ([`SessionAssembler`]), with their state timeline,
//! energy, charging and idle time, charging periods and anomalies.
//!
//! Owns: [`Session`], [`SessionAssembler`] (with its checkpoints, events and retention),
//! [`Fleet`], charging periods and the OCPI CDR export of a session. Imports: `ocpp`, `meter` and the foundation.

mod assembler;
mod build;
mod cdr;
mod events;
mod fleet;
mod periods;
mod snapshot;

pub use assembler::{sessions_from_log, AssemblerStats, SessionAssembler, TOMBSTONE_TTL_S};
pub use cdr::CdrOptions;
pub use events::{SessionEvent, SessionEventKind};
pub use fleet::{Fleet, DEFAULT_RETENTION_S};
pub use periods::{ChargingPeriod, PeriodKind};
pub use snapshot::SNAPSHOT_FORMAT;

use crate::enums::wire_enum;
use crate::meter::{Anomaly, EnergyCurve, EnergyMethod, Reading};
use crate::ocpp::OcppVersion;
use crate::units::{Energy, Power};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// How a session is identified on its station.
///
/// ```
/// use chargekit::session::TransactionKey;
/// assert_eq!(TransactionKey::Ocpp16(42).to_string(), "42");
/// assert_eq!(TransactionKey::Local("start:9".into()).to_string(), "local:start:9");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TransactionKey {
    /// An OCPP 1.6 transaction id assigned by the central system.
    Ocpp16(i64),
    /// An OCPP 2.0.1 transaction id assigned by the station.
    Ocpp201(String),
    /// A transaction without a known id (e.g. an offline start never answered).
    Local(String),
}

impl fmt::Display for TransactionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransactionKey::Ocpp16(id) => write!(f, "{id}"),
            TransactionKey::Ocpp201(id) => f.write_str(id),
            TransactionKey::Local(id) => write!(f, "local:{id}"),
        }
    }
}

wire_enum! {
    /// Where a session is in its lifecycle.
    ///
    /// ```
    /// use chargekit::session::SessionState;
    /// assert!(SessionState::Charging.is_charging());
    /// assert!(!SessionState::SuspendedEv.is_charging());
    /// assert_eq!(SessionState::SuspendedEv.as_str(), "suspended_ev");
    /// ```
    pub enum SessionState {
        /// Plugged in, charging has not started.
        Connected = "connected",
        /// Energy is flowing.
        Charging = "charging",
        /// The EV feeds energy back (V2X): its export register rises.
        Discharging = "discharging",
        /// The EV takes no energy (typically a full battery).
        SuspendedEv = "suspended_ev",
        /// The EVSE offers no energy (smart charging, authorisation, fault).
        SuspendedEvse = "suspended_evse",
        /// Plugged in, not charging, after charging stopped (e.g. 1.6 `Finishing`, flat register).
        Idle = "idle",
        /// The transaction is running but no EV is connected (2.0.1 `Idle`).
        Disconnected = "disconnected",
        /// The session has ended.
        Ended = "ended",
    }
}

impl SessionState {
    /// True only for [`SessionState::Charging`].
    pub fn is_charging(self) -> bool {
        self == SessionState::Charging
    }

    /// True while energy flows either way: charging or (V2X) discharging.
    ///
    /// ```
    /// use chargekit::session::SessionState;
    /// assert!(SessionState::Discharging.transfers_energy());
    /// assert!(!SessionState::Idle.transfers_energy());
    /// ```
    pub fn transfers_energy(self) -> bool {
        matches!(self, SessionState::Charging | SessionState::Discharging)
    }
}

/// A change of state at a moment, with the cumulative energy then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StateChange {
    /// When.
    pub at: DateTime<Utc>,
    /// The new state.
    pub state: SessionState,
    /// Energy delivered so far, Wh.
    pub energy_wh: Decimal,
}

/// A charging session as known from the messages fed so far.
///
/// All fields are derived from the set of messages, never from their arrival order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// The station.
    pub station_id: String,
    /// The transaction (serialised as its text, `transaction_id`).
    #[serde(rename = "transaction_id", serialize_with = "crate::json::display")]
    pub key: TransactionKey,
    /// An id a backend can hold from the session's first frame to its last: for 1.6
    /// `station/connector/start` (the transaction id arrives only with the StartTransaction
    /// answer, so `key` changes from `local:…` to it), for 2.x `station/transactionId`.
    pub stable_key: String,
    /// OCPP version of the station.
    pub version: OcppVersion,
    /// EVSE (2.0.1), if known.
    pub evse_id: Option<u32>,
    /// Connector, if known.
    pub connector_id: Option<u32>,
    /// The authorising token.
    pub id_token: Option<String>,
    /// Start of the session.
    pub start: DateTime<Utc>,
    /// End of the session, once ended.
    pub end: Option<DateTime<Utc>>,
    /// Latest station time seen in the session's data.
    pub last_seen: DateTime<Utc>,
    /// Why it stopped, as the station said.
    pub stop_reason: Option<String>,
    /// 1.6 `meterStart`, Wh.
    pub meter_start_wh: Option<Decimal>,
    /// 1.6 `meterStop`, Wh.
    pub meter_stop_wh: Option<Decimal>,
    /// Energy delivered to the EV, Wh (never negative): the import.
    pub energy_wh: Decimal,
    /// Energy the EV fed back (V2X), Wh (never negative; 0 without export data).
    pub energy_export_wh: Decimal,
    /// Import minus export, Wh: negative when the EV gave back more than it took.
    pub energy_net_wh: Decimal,
    /// How the energy was computed.
    pub energy_method: EnergyMethod,
    /// How the export energy was computed (`no_data` without export readings).
    pub export_method: EnergyMethod,
    /// Seconds energy flowed to the EV.
    pub charging_s: i64,
    /// Seconds the EV fed energy back (V2X).
    pub discharging_s: i64,
    /// Seconds plugged in with no energy flowing either way.
    pub idle_s: i64,
    /// Seconds from the last energy increase to the end (or to the latest data).
    pub overstay_s: i64,
    /// Highest power, W (measured, or derived from the register when no power was sampled).
    pub peak_power_w: Option<Decimal>,
    /// Power now, W (0 once ended).
    pub current_power_w: Option<Decimal>,
    /// State of charge at the start, %.
    pub soc_start: Option<Decimal>,
    /// State of charge at the end, %.
    pub soc_end: Option<Decimal>,
    /// State changes in time order.
    pub timeline: Vec<StateChange>,
    /// Everything the data got wrong, in time order.
    pub anomalies: Vec<Anomaly>,
    /// Every reading of the session, de-duplicated, in time order (late ones included as history).
    pub readings: Vec<Reading>,
    /// Cumulative energy over time.
    pub curve: EnergyCurve,
    /// Cumulative exported energy over time (empty without export data).
    pub export_curve: EnergyCurve,
    /// OCPP 2.1: the tariff the station prices the transaction by (latest event naming one).
    pub tariff_id: Option<String>,
    /// OCPP 2.1: the station's own cost (`costDetails`, JSON text) from the latest event
    /// carrying one, e.g. the final cost of the `Ended` event.
    pub reported_cost_details: Option<String>,
    /// OCPP 2.1: the transaction's cost limit (`transactionLimit.maxCost`, latest event).
    pub max_cost: Option<Decimal>,
}

impl Session {
    /// The current state: the last state of the timeline.
    pub fn state(&self) -> SessionState {
        self.timeline
            .last()
            .map(|c| c.state)
            .unwrap_or(SessionState::Connected)
    }

    /// True once the transaction has ended.
    pub fn is_ended(&self) -> bool {
        self.end.is_some()
    }

    /// Session duration in seconds, to the end or to the latest data.
    pub fn duration_s(&self) -> i64 {
        (self.end.unwrap_or(self.last_seen) - self.start)
            .num_seconds()
            .max(0)
    }

    /// Energy in kWh.
    pub fn energy_kwh(&self) -> Decimal {
        self.energy_wh / Decimal::ONE_THOUSAND
    }

    /// True when the EV fed energy back (V2X).
    pub fn is_bidirectional(&self) -> bool {
        self.energy_export_wh > Decimal::ZERO
    }

    /// Energy delivered, as a typed quantity.
    pub fn energy(&self) -> Energy {
        Energy::from_wh(self.energy_wh)
    }

    /// Highest power, as a typed quantity.
    pub fn peak_power(&self) -> Option<Power> {
        self.peak_power_w.map(Power::from_w)
    }

    /// The anomaly kinds present, each once, in their declaration order.
    pub fn anomaly_kinds(&self) -> Vec<crate::meter::AnomalyKind> {
        let mut kinds: Vec<_> = self.anomalies.iter().map(|a| a.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// Consecutive time slices cut at every state change.
    pub fn charging_periods(&self) -> Vec<ChargingPeriod> {
        periods::cut(self, &[])
    }

    /// Charging periods additionally cut at the given instants (e.g. price boundaries).
    pub fn charging_periods_cut_at(&self, cuts: &[DateTime<Utc>]) -> Vec<ChargingPeriod> {
        periods::cut(self, cuts)
    }
}
