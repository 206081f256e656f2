//! The session record analytics consume: independent of OCPP, so that imported operator
//! exports and assembled [`Session`]s feed the same metrics, and its derived fields
//! (`docs/analytics-and-feedback.md` §1; the other section numbers here refer to that page).

use super::options::{IdleDefinition, SessionBoundary, SuccessEnergy};
use crate::enums::wire_enum;
use crate::session::{PeriodKind, Session, SessionState};
use crate::units::{Energy, Power};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Who or what ended a session: the stop reasons of OCPP 1.6/2.0.1 and of operator
    /// exports, normalised (§1 `ended_by`).
    ///
    /// ```
    /// use chargekit::analytics::EndedBy;
    /// assert_eq!(EndedBy::from_reason("SOCLimitReached"), EndedBy::Ev);
    /// assert_eq!(EndedBy::from_reason("EmergencyStop"), EndedBy::Fault);
    /// assert_eq!(EndedBy::from_reason("Plug Out at Vehicle"), EndedBy::Driver);
    /// assert_eq!(EndedBy::Fault.as_str(), "fault");
    /// ```
    pub enum EndedBy {
        /// The vehicle stopped taking energy (`StoppedByEV`, `SOCLimitReached`).
        Ev = "ev",
        /// The driver: unplugged, stopped locally or from the app (`EVDisconnected`, `Local`, `Remote`).
        Driver = "driver",
        /// A configured limit: energy, time or credit.
        Limit = "limit",
        /// The operator or the back office (`DeAuthorized`, `MasterPass`, "CPS Server").
        Operator = "operator",
        /// A fault stop (§4): emergency stop, power loss, ground/over-current fault, power
        /// quality, resets and reboots, timeout, lost EV communication, abnormal condition.
        Fault = "fault",
        /// Any other reason (`Other`; a fault when the record carries an error code).
        Other = "other",
    }
}

impl EndedBy {
    /// Normalises a stop reason of OCPP 1.6 (`reason`), 2.0.1 (`stoppedReason` or a
    /// `triggerReason`) or a ChargePoint export's "Ended By". Unknown text is `Other`.
    pub fn from_reason(reason: &str) -> Self {
        let r = reason.trim();
        match r {
            "StoppedByEV" | "SOCLimitReached" | "EVFull" => Self::Ev,
            "EVDisconnected" | "Local" | "Remote" | "UnlockCommand" | "StopAuthorized"
            | "EVDeparted" | "RemoteStop" => Self::Driver,
            "EnergyLimitReached" | "TimeLimitReached" | "LocalOutOfCredit" | "CostLimitReached" => {
                Self::Limit
            }
            "DeAuthorized" | "MasterPass" | "Deauthorized" => Self::Operator,
            "EmergencyStop"
            | "PowerLoss"
            | "GroundFault"
            | "OvercurrentFault"
            | "PowerQuality"
            | "ImmediateReset"
            | "HardReset"
            | "SoftReset"
            | "Reboot"
            | "Timeout"
            | "EVCommunicationLost"
            | "AbnormalCondition" => Self::Fault,
            _ => {
                let l = r.to_ascii_lowercase();
                if [
                    "fault",
                    "gfci",
                    "power loss",
                    "unreachable",
                    "error",
                    "trip",
                    "reset",
                ]
                .iter()
                .any(|k| l.contains(k))
                {
                    Self::Fault
                } else if [
                    "plug out",
                    "plug removed",
                    "customer",
                    "driver",
                    "vehicle",
                    "user",
                ]
                .iter()
                .any(|k| l.contains(k))
                {
                    Self::Driver
                } else if ["server", "admin", "operator"]
                    .iter()
                    .any(|k| l.contains(k))
                {
                    Self::Operator
                } else {
                    Self::Other
                }
            }
        }
    }
}

/// Fees charged for a session (EV-ChART fields), in the operator's currency.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct Fees {
    /// Total fee charged.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub total: Option<Decimal>,
    /// The energy part.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub energy: Option<Decimal>,
    /// A flat session fee.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub session: Option<Decimal>,
    /// The time part (including idle fees).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub time: Option<Decimal>,
}

/// One charging session for analytics, whatever its source.
///
/// Instants are UTC; local bucketing uses the site's time zone from the summary options.
/// Only the identity, the plug-in/plug-out times and the energy are required; every other
/// field refines a derived value and has a documented fallback (see [`SessionRecord::metrics`]).
///
/// ```
/// use chargekit::analytics::SessionRecord;
/// use chargekit::units::Energy;
/// use chrono::{TimeZone, Utc};
/// use rust_decimal::Decimal;
/// let r = SessionRecord::new(
///     "s1", "CP-1", "1",
///     Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap(),
///     Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap(),
///     Energy::from_kwh(Decimal::from(11)),
/// );
/// assert_eq!(r.dwell_s(), 7200);
/// let json = serde_json::to_string(&r).unwrap();
/// assert_eq!(serde_json::from_str::<SessionRecord>(&json).unwrap(), r);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// Identifier, unique within the data provider.
    pub session_id: String,
    /// The station (charge point).
    pub station_id: String,
    /// The port (EVSE or connector) on the station.
    pub port_id: String,
    /// Connection start.
    pub plug_in: DateTime<Utc>,
    /// Connection end.
    pub plug_out: DateTime<Utc>,
    /// Energy delivered (JSON: Wh, an exact decimal number; Kotlin/Swift `energyWh`).
    #[cfg_attr(feature = "uniffi", uniffi(name = "energy_wh"))]
    pub energy: Energy,
    /// Site or location, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub site_id: Option<String>,
    /// Pseudonymous user id (only meaningful within one data provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub user_id: Option<String>,
    /// Transaction start, when it differs from plug-in (`SessionBoundary::TransactionBounds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tx_start: Option<DateTime<Utc>>,
    /// Transaction end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tx_end: Option<DateTime<Utc>>,
    /// When energy started to flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub charge_start: Option<DateTime<Utc>>,
    /// The last energy increase (ACN `doneChargingTime`, ChargePoint `Power End Time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub charge_end: Option<DateTime<Utc>>,
    /// Seconds energy flowed, when the source says so (2.0.1 `timeSpentCharging`, "Charging Time").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub charging_s: Option<i64>,
    /// Seconds the station throttled the session (`SuspendedEVSE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub throttled_s: Option<i64>,
    /// Highest power seen (JSON: W; Kotlin/Swift `peakPowerW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(name = "peak_power_w", default))]
    pub peak_power: Option<Power>,
    /// Rated power of the port, when the source knows it (the site options may also say;
    /// JSON: W; Kotlin/Swift `ratedPowerW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(name = "rated_power_w", default))]
    pub rated_power: Option<Power>,
    /// State of charge at the start, percent (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub soc_start: Option<Decimal>,
    /// State of charge at the end, percent (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub soc_end: Option<Decimal>,
    /// Normalised stop reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub ended_by: Option<EndedBy>,
    /// The stop reason as the source wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stop_reason: Option<String>,
    /// Error codes reported during the session (e.g. OCPP `errorCode`s other than `NoError`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub error_codes: Vec<String>,
    /// Fees charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub fees: Option<Fees>,
    /// How the driver paid (free text of the source, e.g. "RFID", "app", "credit card").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub payment_type: Option<String>,
}

/// The longest duration a session can have in the derived fields, s (about 317 years).
const MAX_SPAN_S: i64 = 10_000_000_000;

/// The derived fields of one session (§1), all durations in whole seconds, never negative.
/// Energy and power serialise (and cross to Kotlin/Swift) with their unit in the name:
/// `energy_wh`, `avg_power_w`, `peak_power_w`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionMetrics {
    /// Session start under the chosen boundary.
    pub start: DateTime<Utc>,
    /// Session end under the chosen boundary (never before `start`).
    pub end: DateTime<Utc>,
    /// `end − start`.
    pub dwell_s: i64,
    /// Time energy flowed (at most `dwell_s`).
    pub charging_s: i64,
    /// Idle time under the chosen [`IdleDefinition`].
    pub idle_s: i64,
    /// Plug-out minus the last energy increase (falls back to `dwell − charging`).
    pub idle_after_full_s: i64,
    /// Time the station throttled the session.
    pub idle_throttled_s: i64,
    /// Idle after full beyond the grace period.
    pub overstay_s: i64,
    /// Energy delivered.
    #[serde(rename = "energy_wh")]
    #[cfg_attr(feature = "uniffi", uniffi(name = "energy_wh"))]
    pub energy: Energy,
    /// Energy ÷ charging time, when charging time is positive.
    #[serde(rename = "avg_power_w")]
    #[cfg_attr(feature = "uniffi", uniffi(name = "avg_power_w"))]
    pub avg_power: Option<Power>,
    /// Highest power: measured, else the average.
    #[serde(rename = "peak_power_w")]
    #[cfg_attr(feature = "uniffi", uniffi(name = "peak_power_w"))]
    pub peak_power: Option<Power>,
    /// Start of charging (plug-in when unknown).
    pub charge_start: DateTime<Utc>,
    /// The session succeeded in the sense of §4.
    pub success: bool,
}

impl SessionRecord {
    /// A record with the required fields; all optional fields empty.
    pub fn new(
        session_id: impl Into<String>,
        station_id: impl Into<String>,
        port_id: impl Into<String>,
        plug_in: DateTime<Utc>,
        plug_out: DateTime<Utc>,
        energy: Energy,
    ) -> Self {
        Self {
            session_id: session_id.into(),
            station_id: station_id.into(),
            port_id: port_id.into(),
            site_id: None,
            user_id: None,
            plug_in,
            plug_out,
            tx_start: None,
            tx_end: None,
            charge_start: None,
            charge_end: None,
            charging_s: None,
            throttled_s: None,
            energy,
            peak_power: None,
            rated_power: None,
            soc_start: None,
            soc_end: None,
            ended_by: None,
            stop_reason: None,
            error_codes: Vec::new(),
            fees: None,
            payment_type: None,
        }
    }

    /// Plug-out minus plug-in in seconds, 0 when the end precedes the start.
    pub fn dwell_s(&self) -> i64 {
        (self.plug_out - self.plug_in).num_seconds().max(0)
    }

    /// The normalised stop reason: `ended_by`, else derived from `stop_reason`.
    pub fn ended_by(&self) -> Option<EndedBy> {
        self.ended_by
            .or_else(|| self.stop_reason.as_deref().map(EndedBy::from_reason))
    }

    /// True for a fault stop (§4): a fault reason, or `Other` with a fault error code.
    pub fn fault_stop(&self) -> bool {
        match self.ended_by() {
            Some(EndedBy::Fault) => true,
            Some(EndedBy::Other) => self.has_fault_code(),
            _ => false,
        }
    }

    fn has_fault_code(&self) -> bool {
        self.error_codes
            .iter()
            .any(|c| !c.trim().is_empty() && c.trim() != "NoError")
    }

    /// Session success per §4: energy flowed, no fault stop, and at least the success
    /// threshold delivered unless the EV ended the session.
    ///
    /// ```
    /// use chargekit::analytics::{EndedBy, SessionRecord, SuccessEnergy};
    /// use chargekit::units::Energy;
    /// use chrono::{TimeZone, Utc};
    /// use rust_decimal::Decimal;
    /// let t = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    /// let mut r = SessionRecord::new("s", "CP", "1", t, t + chrono::Duration::hours(1),
    ///     Energy::from_kwh(Decimal::new(3, 1)));
    /// assert!(!r.is_success(SuccessEnergy::default()));
    /// r.ended_by = Some(EndedBy::Ev);
    /// assert!(r.is_success(SuccessEnergy::default()));
    /// ```
    pub fn is_success(&self, rule: SuccessEnergy) -> bool {
        let kwh = self.energy.kwh();
        if kwh <= Decimal::ZERO || self.fault_stop() {
            return false;
        }
        self.ended_by() == Some(EndedBy::Ev) || rule.is_enough(kwh)
    }

    /// The derived fields under the given choices. `grace_s` is the overstay grace period.
    ///
    /// Fallbacks: charging time is `charging_s`, else `charge_end − charge_start` (charge
    /// start defaults to the session start), else the whole dwell; idle after full is
    /// `end − charge_end`, else `dwell − charging`.
    pub fn metrics(
        &self,
        boundary: SessionBoundary,
        idle: IdleDefinition,
        success: SuccessEnergy,
        grace_s: i64,
    ) -> SessionMetrics {
        let (start, end) = match boundary {
            SessionBoundary::PlugInPlugOut => (self.plug_in, self.plug_out),
            SessionBoundary::TransactionBounds => (
                self.tx_start.unwrap_or(self.plug_in),
                self.tx_end.unwrap_or(self.plug_out),
            ),
        };
        // Durations beyond ~300 years are clock garbage: capped so that sums cannot overflow.
        let end = end.max(start);
        let end = start
            .checked_add_signed(chrono::TimeDelta::seconds(MAX_SPAN_S))
            .map_or(end, |limit| end.min(limit));
        let dwell_s = (end - start).num_seconds();
        let charge_start = self.charge_start.unwrap_or(start).clamp(start, end);
        let charging_s = self
            .charging_s
            .or_else(|| self.charge_end.map(|e| (e - charge_start).num_seconds()))
            .unwrap_or(dwell_s)
            .clamp(0, dwell_s);
        let idle_throttled_s = self.throttled_s.unwrap_or(0).clamp(0, dwell_s - charging_s);
        let idle_after_full_s = match self.charge_end {
            Some(e) => (end - e.clamp(start, end)).num_seconds(),
            None => dwell_s - charging_s,
        };
        let idle_s = match idle {
            IdleDefinition::DwellMinusCharging => dwell_s - charging_s,
            IdleDefinition::ExcludesThrottled => dwell_s - charging_s - idle_throttled_s,
            IdleDefinition::AfterFullOnly => idle_after_full_s,
        };
        let avg_power = (charging_s > 0)
            .then(|| self.energy.wh().checked_mul(Decimal::from(3600)))
            .flatten()
            .map(|ws| Power::from_w((ws / Decimal::from(charging_s)).round_dp(3)));
        SessionMetrics {
            start,
            end,
            dwell_s,
            charging_s,
            idle_s,
            idle_after_full_s,
            idle_throttled_s,
            overstay_s: (idle_after_full_s - grace_s.max(0)).max(0),
            energy: self.energy,
            avg_power,
            peak_power: self.peak_power.or(avg_power),
            charge_start,
            success: self.is_success(success),
        }
    }
}

impl From<&Session> for SessionRecord {
    /// Plug-in and plug-out are the transaction bounds (a [`Session`] carries no separate
    /// plug events); an open session ends at its latest data. The port is the EVSE, else
    /// the connector; the user is the id token.
    fn from(s: &Session) -> Self {
        let end = s.end.unwrap_or(s.last_seen).max(s.start);
        let periods = s.charging_periods();
        let first_charging = s
            .timeline
            .iter()
            .find(|c| c.state == SessionState::Charging)
            .map(|c| c.at);
        let throttled: i64 = periods
            .iter()
            .filter(|p| p.kind == PeriodKind::Idle && p.state == SessionState::SuspendedEvse)
            .map(|p| p.duration_s)
            .sum();
        let port = s
            .evse_id
            .or(s.connector_id)
            .map(|p| p.to_string())
            .unwrap_or_else(|| "1".into());
        let reason = s.stop_reason.clone();
        Self {
            session_id: format!("{}-{}", s.station_id, s.key),
            station_id: s.station_id.clone(),
            port_id: port,
            site_id: None,
            user_id: s.id_token.clone(),
            plug_in: s.start,
            plug_out: end,
            tx_start: Some(s.start),
            tx_end: s.end,
            charge_start: first_charging,
            charge_end: Some(end - chrono::Duration::seconds(s.overstay_s.max(0))),
            charging_s: Some(s.charging_s),
            throttled_s: Some(throttled),
            energy: s.energy(),
            peak_power: s.peak_power(),
            rated_power: None,
            soc_start: s.soc_start,
            soc_end: s.soc_end,
            ended_by: reason.as_deref().map(EndedBy::from_reason),
            stop_reason: reason,
            error_codes: Vec::new(),
            fees: None,
            payment_type: None,
        }
    }
}
