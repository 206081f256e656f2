//! `Session`: one charging session as an object (its records, the timeline, anomalies,
//! readings and charging periods, are the core's), and the OCPI CDR export.

use std::sync::Arc;

use chargekit::meter::{Anomaly, AnomalyKind, EnergyMethod, Reading};
use chargekit::session::{
    CdrOptions, ChargingPeriod, Session as CoreSession, SessionState, StateChange,
};

use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

/// The anomaly kind names, in core's declaration order (`AnomalyKind.wireName()` names one).
#[uniffi::export]
pub fn anomaly_kind_names() -> Vec<String> {
    AnomalyKind::ALL.iter().map(|k| k.to_string()).collect()
}

/// A charging session as known from the messages fed so far. Immutable: feeding
/// more messages to an assembler yields new `Session` objects.
#[derive(Debug, uniffi::Object)]
pub struct Session(CoreSession);

impl Session {
    /// The core session (for the other modules' methods on `Session`).
    pub(crate) fn core(&self) -> &CoreSession {
        &self.0
    }
}

impl From<CoreSession> for Session {
    fn from(s: CoreSession) -> Self {
        Self(s)
    }
}

pub(crate) fn wrap_all(sessions: Vec<CoreSession>) -> Vec<Arc<Session>> {
    sessions.into_iter().map(|s| Arc::new(Session(s))).collect()
}

#[uniffi::export]
impl Session {
    /// The station (charge point identity).
    pub fn station_id(&self) -> String {
        self.0.station_id.clone()
    }

    /// The transaction id: the 1.6 integer or 2.0.1 string, or `local:…` for a
    /// transaction whose id never became known.
    pub fn transaction_id(&self) -> String {
        self.0.key.to_string()
    }

    /// An id to hold from the first frame to the last: 1.6 `station/connector/start` (the
    /// transaction id arrives later), 2.x `station/transactionId`.
    pub fn stable_key(&self) -> String {
        self.0.stable_key.clone()
    }

    /// OCPP version of the station: `"1.6"` or `"2.0.1"`.
    pub fn version(&self) -> String {
        self.0.version.to_string()
    }

    /// EVSE (2.0.1), if known.
    pub fn evse_id(&self) -> Option<u32> {
        self.0.evse_id
    }

    /// Connector, if known.
    pub fn connector_id(&self) -> Option<u32> {
        self.0.connector_id
    }

    /// The authorising token.
    pub fn id_token(&self) -> Option<String> {
        self.0.id_token.clone()
    }

    /// Start of the session.
    pub fn start(&self) -> UtcInstant {
        self.0.start
    }

    /// End of the session, once ended.
    pub fn end(&self) -> Option<UtcInstant> {
        self.0.end
    }

    /// Latest station time seen in the session's data.
    pub fn last_seen(&self) -> UtcInstant {
        self.0.last_seen
    }

    /// Why it stopped, as the station said.
    pub fn stop_reason(&self) -> Option<String> {
        self.0.stop_reason.clone()
    }

    /// 1.6 `meterStart`, Wh.
    pub fn meter_start_wh(&self) -> Option<ExactDecimal> {
        self.0.meter_start_wh
    }

    /// 1.6 `meterStop`, Wh.
    pub fn meter_stop_wh(&self) -> Option<ExactDecimal> {
        self.0.meter_stop_wh
    }

    /// Energy delivered to the EV, Wh (never negative).
    pub fn energy_wh(&self) -> ExactDecimal {
        self.0.energy_wh
    }

    /// Energy the EV fed back (V2X), Wh (0 without export data).
    pub fn energy_export_wh(&self) -> ExactDecimal {
        self.0.energy_export_wh
    }

    /// Import minus export, Wh (negative when the EV gave back more than it took).
    pub fn energy_net_wh(&self) -> ExactDecimal {
        self.0.energy_net_wh
    }

    /// How the export energy was computed (`no_data` without export readings).
    pub fn export_method(&self) -> EnergyMethod {
        self.0.export_method
    }

    /// Seconds the EV fed energy back (V2X).
    pub fn discharging_s(&self) -> i64 {
        self.0.discharging_s
    }

    /// OCPP 2.1: the tariff the station prices the transaction by.
    pub fn tariff_id(&self) -> Option<String> {
        self.0.tariff_id.clone()
    }

    /// OCPP 2.1: the station's own cost (`costDetails` JSON) from the latest event with one.
    pub fn reported_cost_details(&self) -> Option<String> {
        self.0.reported_cost_details.clone()
    }

    /// Energy delivered, kWh.
    pub fn energy_kwh(&self) -> ExactDecimal {
        self.0.energy_kwh()
    }

    /// How the energy was computed: `register`, `phase_sum`, `interval`, `net`,
    /// `start_stop`, `signed` or `no_data`.
    pub fn energy_method(&self) -> EnergyMethod {
        self.0.energy_method
    }

    /// Seconds energy flowed to the EV.
    pub fn charging_s(&self) -> i64 {
        self.0.charging_s
    }

    /// Seconds plugged in with no energy flowing either way.
    pub fn idle_s(&self) -> i64 {
        self.0.idle_s
    }

    /// Seconds from the last energy increase to the end (or to the latest data).
    pub fn overstay_s(&self) -> i64 {
        self.0.overstay_s
    }

    /// Session duration in seconds, to the end or to the latest data.
    pub fn duration_s(&self) -> i64 {
        self.0.duration_s()
    }

    /// Highest power, W.
    pub fn peak_power_w(&self) -> Option<ExactDecimal> {
        self.0.peak_power_w
    }

    /// Power now, W (0 once ended).
    pub fn current_power_w(&self) -> Option<ExactDecimal> {
        self.0.current_power_w
    }

    /// State of charge at the start, %.
    pub fn soc_start(&self) -> Option<ExactDecimal> {
        self.0.soc_start
    }

    /// State of charge at the end, %.
    pub fn soc_end(&self) -> Option<ExactDecimal> {
        self.0.soc_end
    }

    /// The current state (the last state of the timeline).
    pub fn state(&self) -> SessionState {
        self.0.state()
    }

    /// True once the transaction has ended.
    pub fn is_ended(&self) -> bool {
        self.0.is_ended()
    }

    /// State changes in time order.
    pub fn timeline(&self) -> Vec<StateChange> {
        self.0.timeline.clone()
    }

    /// Everything the data got wrong, in time order.
    pub fn anomalies(&self) -> Vec<Anomaly> {
        self.0.anomalies.clone()
    }

    /// The names of `anomalyKinds()`, e.g. `["duplicate", "out_of_order"]`.
    pub fn anomaly_names(&self) -> Vec<String> {
        self.0
            .anomaly_kinds()
            .iter()
            .map(|k| k.to_string())
            .collect()
    }

    /// The anomaly kinds present, each once, in declaration order.
    pub fn anomaly_kinds(&self) -> Vec<AnomalyKind> {
        self.0.anomaly_kinds()
    }

    /// Every reading of the session, de-duplicated, in time order.
    pub fn readings(&self) -> Vec<Reading> {
        self.0.readings.clone()
    }

    /// Consecutive time slices cut at every state change.
    pub fn charging_periods(&self) -> Result<Vec<ChargingPeriod>, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.charging_periods()))
    }

    /// Charging periods additionally cut at the given instants (e.g. price boundaries).
    pub fn charging_periods_cut_at(
        &self,
        cuts: Vec<UtcInstant>,
    ) -> Result<Vec<ChargingPeriod>, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.charging_periods_cut_at(&cuts)))
    }

    /// The session as an OCPI CDR (2.2.1, or 2.3.0 with `options.ocpiVersion`), as JSON text
    /// (no costs: a tariff prices it). Without options, core's placeholder options are used.
    #[uniffi::method(default(options = None))]
    pub fn to_ocpi_cdr(&self, options: Option<CdrOptions>) -> Result<String, ChargekitError> {
        guarded(|| {
            let options = options.unwrap_or_default();
            self.0.to_ocpi_cdr_json(&options)
        })
    }
}
