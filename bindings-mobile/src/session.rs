//! `Session` and the records it hands out: timeline, anomalies, readings,
//! charging periods, and the OCPI CDR export.

use std::sync::Arc;

use chargekit::meter::{
    Anomaly as CoreAnomaly, AnomalyKind, Location, Measurand, MessageRef, Phase, Reading,
    ReadingContext,
};
use chargekit::session::{
    CdrOptions, ChargingPeriod, PeriodKind, Session as CoreSession, SessionState, StateChange,
};

use crate::error::{guarded, ChargekitError};
use crate::types::{ExactDecimal, UtcInstant};

/// The closed set of anomaly kinds. Each has a stable snake_case name
/// (`Anomaly.name`, `anomalyKindNames()`), which is public API in every language.
#[uniffi::remote(Enum)]
pub enum AnomalyKind {
    /// `duplicate`: the same data arrived more than once in different messages.
    Duplicate,
    /// `out_of_order`: messages disagree about their order.
    OutOfOrder,
    /// `missing_seq_no`: a 2.0.1 seqNo is missing from the sequence.
    MissingSeqNo,
    /// `dip`: one reading dropped below the trend and the next returned to it.
    Dip,
    /// `meter_reset`: the register restarted near zero and kept rising.
    MeterReset,
    /// `rollover`: the register wrapped around.
    Rollover,
    /// `implausible_power`: a step implies more power than the station can deliver.
    ImplausiblePower,
    /// `begin_zero_placeholder`: a Transaction.Begin of 0 that is an offline placeholder.
    BeginZeroPlaceholder,
    /// `start_stop_mismatch`: meterStart/meterStop disagree with the series.
    StartStopMismatch,
    /// `unit_suspect`: the unit looks wrong.
    UnitSuspect,
    /// `unknown_unit`: not an OCPP unit; the value is kept raw.
    UnknownUnit,
    /// `unparseable`: the value is not a finite number.
    Unparseable,
    /// `clock_suspect`: an implausible timestamp.
    ClockSuspect,
    /// `after_end`: data for a transaction that had already ended.
    AfterEnd,
}

/// Where a session is in its lifecycle.
#[uniffi::remote(Enum)]
pub enum SessionState {
    /// `connected`: plugged in, charging has not started.
    Connected,
    /// `charging`: energy is flowing.
    Charging,
    /// `suspended_ev`: the EV takes no energy.
    SuspendedEv,
    /// `suspended_evse`: the EVSE offers no energy.
    SuspendedEvse,
    /// `idle`: plugged in, not charging, after charging stopped.
    Idle,
    /// `disconnected`: the transaction runs but no EV is connected.
    Disconnected,
    /// `ended`: the session has ended.
    Ended,
}

/// Whether a charging period is charging or idle (parking time in OCPI terms).
#[uniffi::remote(Enum)]
pub enum PeriodKind {
    /// Energy may flow.
    Charging,
    /// Plugged in without charging.
    Idle,
}

/// What was measured (OCPP `measurand`).
#[uniffi::remote(Enum)]
pub enum Measurand {
    /// `Current.Export`.
    CurrentExport,
    /// `Current.Import`.
    CurrentImport,
    /// `Current.Offered`.
    CurrentOffered,
    /// `Energy.Active.Export.Register`.
    EnergyActiveExportRegister,
    /// `Energy.Active.Import.Register`.
    EnergyActiveImportRegister,
    /// `Energy.Reactive.Export.Register`.
    EnergyReactiveExportRegister,
    /// `Energy.Reactive.Import.Register`.
    EnergyReactiveImportRegister,
    /// `Energy.Active.Export.Interval`.
    EnergyActiveExportInterval,
    /// `Energy.Active.Import.Interval`.
    EnergyActiveImportInterval,
    /// `Energy.Active.Net`.
    EnergyActiveNet,
    /// `Energy.Reactive.Export.Interval`.
    EnergyReactiveExportInterval,
    /// `Energy.Reactive.Import.Interval`.
    EnergyReactiveImportInterval,
    /// `Energy.Reactive.Net`.
    EnergyReactiveNet,
    /// `Energy.Apparent.Net`.
    EnergyApparentNet,
    /// `Energy.Apparent.Import`.
    EnergyApparentImport,
    /// `Energy.Apparent.Export`.
    EnergyApparentExport,
    /// `Frequency`.
    Frequency,
    /// `Power.Active.Export`.
    PowerActiveExport,
    /// `Power.Active.Import`.
    PowerActiveImport,
    /// `Power.Factor`.
    PowerFactor,
    /// `Power.Offered`.
    PowerOffered,
    /// `Power.Reactive.Export`.
    PowerReactiveExport,
    /// `Power.Reactive.Import`.
    PowerReactiveImport,
    /// `SoC`.
    SoC,
    /// `Voltage`.
    Voltage,
    /// `Temperature`.
    Temperature,
    /// `RPM`.
    Rpm,
}

/// The phase of a sampled value (OCPP `phase`).
#[uniffi::remote(Enum)]
pub enum Phase {
    /// `L1`.
    L1,
    /// `L2`.
    L2,
    /// `L3`.
    L3,
    /// `N`.
    N,
    /// `L1-N`.
    L1N,
    /// `L2-N`.
    L2N,
    /// `L3-N`.
    L3N,
    /// `L1-L2`.
    L1L2,
    /// `L2-L3`.
    L2L3,
    /// `L3-L1`.
    L3L1,
}

/// Why a value was sampled (OCPP `context`).
#[uniffi::remote(Enum)]
pub enum ReadingContext {
    /// `Interruption.Begin`.
    InterruptionBegin,
    /// `Interruption.End`.
    InterruptionEnd,
    /// `Other`.
    Other,
    /// `Sample.Clock`.
    SampleClock,
    /// `Sample.Periodic` (the default).
    SamplePeriodic,
    /// `Transaction.Begin`.
    TransactionBegin,
    /// `Transaction.End`.
    TransactionEnd,
    /// `Trigger`.
    Trigger,
}

/// Where a reading came from.
#[uniffi::remote(Record)]
pub struct MessageRef {
    /// The OCPP message id of the frame.
    pub msg_id: String,
    /// The 2.0.1 `seqNo` of the event, if any.
    pub seq_no: Option<u64>,
    /// True when the station marked the event as queued while offline.
    pub offline: bool,
}

/// One sampled value, normalised, with what the station sent kept for audits.
#[uniffi::remote(Record)]
pub struct Reading {
    /// Sampling time on the station's clock.
    pub ts_station: UtcInstant,
    /// When the central system received the message, when known.
    pub ts_received: Option<UtcInstant>,
    /// What was measured.
    pub measurand: Measurand,
    /// The phase; null means the total.
    pub phase: Option<Phase>,
    /// Where it was measured; null means unspecified (OCPP's default is Outlet).
    pub location: Option<Location>,
    /// Why it was sampled.
    pub context: ReadingContext,
    /// The unit text as sent, if any.
    pub unit_raw: Option<String>,
    /// The 2.0.1 power-of-ten multiplier (0 in 1.6).
    pub multiplier: i32,
    /// The value text as sent.
    pub raw: String,
    /// The value in the base unit (Wh, W, A, V, %), or null when it could not be read.
    pub value: Option<ExactDecimal>,
    /// Signed data carried with the value (OCMF and similar), verbatim.
    pub signed_data: Option<String>,
    /// The message it came from.
    pub source: MessageRef,
}

/// A change of state, with the energy delivered so far.
#[uniffi::remote(Record)]
pub struct StateChange {
    /// When.
    pub at: UtcInstant,
    /// The new state.
    pub state: SessionState,
    /// Energy delivered so far, Wh.
    pub energy_wh: ExactDecimal,
}

/// One slice of a session between two cuts (state changes and requested instants).
#[uniffi::remote(Record)]
pub struct ChargingPeriod {
    /// Start of the slice.
    pub start: UtcInstant,
    /// End of the slice.
    pub end: UtcInstant,
    /// The session state during the slice.
    pub state: SessionState,
    /// Charging or idle.
    pub kind: PeriodKind,
    /// Energy delivered in the slice, Wh.
    pub energy_wh: ExactDecimal,
    /// Highest power in the slice, W (sampled; else the slice's average).
    pub max_power_w: Option<ExactDecimal>,
    /// Highest current on any phase in the slice, A, when sampled.
    pub max_current_a: Option<ExactDecimal>,
}

/// Party and location data an OCPI CDR needs but OCPP does not carry.
/// Start from `defaultCdrOptions()` (placeholders such as country code "XX").
#[uniffi::remote(Record)]
pub struct CdrOptions {
    /// ISO 3166 alpha-2 country code of the CPO.
    pub country_code: String,
    /// CPO party id (3 characters).
    pub party_id: String,
    /// ISO 4217 currency of the CDR.
    pub currency: String,
    /// Location name.
    pub location_name: String,
    /// Street and number.
    pub address: String,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166 alpha-3 country of the location.
    pub location_country: String,
    /// Latitude as OCPI text, e.g. "52.520008".
    pub latitude: String,
    /// Longitude as OCPI text.
    pub longitude: String,
    /// OCPI connector standard, e.g. `IEC_62196_T2`.
    pub connector_standard: String,
    /// `SOCKET` or `CABLE`.
    pub connector_format: String,
    /// `AC_1_PHASE`, `AC_3_PHASE` or `DC`.
    pub connector_power_type: String,
}

/// One anomaly found in a session's data.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Anomaly {
    /// What kind of anomaly.
    pub kind: AnomalyKind,
    /// The kind's stable snake_case name, e.g. `begin_zero_placeholder`.
    pub name: String,
    /// The station time it concerns, when it concerns one moment.
    pub at: Option<UtcInstant>,
    /// The OCPP message id it was found in, when it concerns one message.
    pub message_id: Option<String>,
    /// A sentence for people: what was seen and what was done about it.
    pub detail: String,
}

impl From<CoreAnomaly> for Anomaly {
    fn from(a: CoreAnomaly) -> Self {
        Self {
            kind: a.kind,
            name: a.kind.as_str().to_string(),
            at: a.at,
            message_id: a.message_id,
            detail: a.detail,
        }
    }
}

/// The placeholder CDR options of core (country code "XX", party "XXX", EUR, …).
#[uniffi::export]
pub fn default_cdr_options() -> CdrOptions {
    CdrOptions::default()
}

/// The 14 anomaly kind names, in core's declaration order.
#[uniffi::export]
pub fn anomaly_kind_names() -> Vec<String> {
    AnomalyKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

/// The stable snake_case name of an anomaly kind.
#[uniffi::export]
pub fn anomaly_kind_name(kind: AnomalyKind) -> String {
    kind.as_str().to_string()
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

    /// Energy delivered, Wh (never negative).
    pub fn energy_wh(&self) -> ExactDecimal {
        self.0.energy_wh
    }

    /// Energy delivered, kWh.
    pub fn energy_kwh(&self) -> ExactDecimal {
        self.0.energy_kwh()
    }

    /// How the energy was computed: `register`, `phase_sum`, `interval`, `net`,
    /// `start_stop`, `signed` or `no_data`.
    pub fn energy_method(&self) -> String {
        self.0.energy_method.as_str().to_string()
    }

    /// Seconds energy flowed.
    pub fn charging_s(&self) -> i64 {
        self.0.charging_s
    }

    /// Seconds plugged in without charging.
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

    /// The current state's stable snake_case name, e.g. `suspended_ev`.
    pub fn state_name(&self) -> String {
        self.0.state().as_str().to_string()
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
        self.0
            .anomalies
            .iter()
            .cloned()
            .map(Anomaly::from)
            .collect()
    }

    /// The anomaly kinds present, each once, in declaration order.
    pub fn anomaly_kinds(&self) -> Vec<AnomalyKind> {
        self.0.anomaly_kinds()
    }

    /// The names of `anomalyKinds()`, e.g. `["duplicate", "out_of_order"]`.
    pub fn anomaly_names(&self) -> Vec<String> {
        self.0
            .anomaly_kinds()
            .into_iter()
            .map(|k| k.as_str().to_string())
            .collect()
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

    /// The session as an OCPI 2.2.1 CDR, as JSON text (no costs: a tariff prices it).
    /// Without options, core's placeholder options are used.
    #[uniffi::method(default(options = None))]
    pub fn to_ocpi_cdr(&self, options: Option<CdrOptions>) -> Result<String, ChargekitError> {
        guarded(|| {
            let options = options.unwrap_or_default();
            Ok::<_, ChargekitError>(self.0.to_ocpi_cdr(&options).to_string())
        })
    }
}
