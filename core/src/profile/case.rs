//! The composite-vector case format (`core/tests/vectors/composite/cases.json`), mapped onto
//! the station API: a configuration, profiles installed per EVSE, transactions, and one
//! composite-schedule request.

use super::composite::CompositeSchedule;
use super::model::{ChargingProfile, ChargingProfilePurpose, ChargingRateUnit};
use super::options::StationOptions;
use super::serde_util::{number, opt_time, time};
use super::store::{SmartChargingStation, StationConfig};
use super::{decode_json, ProfileVersion};
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

/// The requested window.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseWindow {
    /// Start ("now").
    #[serde(with = "time")]
    pub start: DateTime<Utc>,
    /// End (exclusive).
    #[serde(with = "time")]
    pub end: DateTime<Utc>,
}

/// The station defaults of a case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseDefaults {
    /// Gap value in A.
    #[serde(with = "number")]
    pub limit_amps: Decimal,
    /// Gap value in W.
    #[serde(with = "number")]
    pub limit_watts: Decimal,
    /// Phases assumed when none is given.
    pub number_phases: u8,
    /// Line voltage.
    #[serde(with = "number")]
    pub supply_voltage: Decimal,
}

/// The transaction of a case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseTransaction {
    /// Whether Tx/TxDefault profiles count.
    pub active: bool,
    /// Anchor of Relative profiles (None: the window start).
    #[serde(default, with = "opt_time")]
    pub start: Option<DateTime<Utc>>,
}

/// One EVSE of an EVSE-0 case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseEvse {
    /// The EVSE id.
    pub evse_id: u32,
    /// Profiles installed on it.
    #[serde(default)]
    pub profiles: Vec<ChargingProfile>,
    /// Its transaction start (None: the case's).
    #[serde(default, with = "opt_time")]
    pub transaction_start: Option<DateTime<Utc>>,
}

/// A composite-schedule case of the composite vectors (`core/tests/vectors/composite`).
///
/// ```
/// use chargekit::profile::{CompositeCase, StationOptions};
/// let case = CompositeCase::from_json(r#"{"evse_id": 1, "charging_rate_unit": "A",
///   "window": {"start": "2024-01-02T08:00:00Z", "end": "2024-01-02T08:10:00Z"},
///   "defaults": {"limit_amps": 57, "limit_watts": 55612, "number_phases": 3, "supply_voltage": 230},
///   "transaction": {"active": true, "start": null}, "station_profiles": [], "evse_profiles": []}"#).unwrap();
/// let (station, request) = case.station(StationOptions::default()).unwrap();
/// let s = request.run(&station).unwrap();
/// assert_eq!(s.duration, 600);
/// assert_eq!(s.periods[0].limit.unwrap().to_string(), "57");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CompositeCase {
    /// What the case checks.
    #[serde(default)]
    pub description: String,
    /// Requested EVSE (0 = the station).
    pub evse_id: u32,
    /// The window.
    pub window: CaseWindow,
    /// Requested unit.
    pub charging_rate_unit: ChargingRateUnit,
    /// Station defaults.
    pub defaults: CaseDefaults,
    /// The transaction.
    pub transaction: CaseTransaction,
    /// Profiles on EVSE 0.
    #[serde(default)]
    pub station_profiles: Vec<ChargingProfile>,
    /// Profiles on the requested EVSE.
    #[serde(default)]
    pub evse_profiles: Vec<ChargingProfile>,
    /// The EVSEs of an EVSE-0 case.
    #[serde(default)]
    pub evses: Vec<CaseEvse>,
}

/// The composite-schedule request of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositeRequest {
    /// EVSE (0 = the station).
    pub evse_id: u32,
    /// Window start ("now").
    pub start: DateTime<Utc>,
    /// Window length in seconds.
    pub duration_s: i64,
    /// Unit.
    pub unit: ChargingRateUnit,
}

impl CompositeRequest {
    /// Runs the request on a station.
    pub fn run(&self, station: &SmartChargingStation) -> Result<CompositeSchedule, Error> {
        station.composite_schedule(self.evse_id, self.start, self.duration_s, Some(self.unit))
    }
}

impl CompositeCase {
    /// Reads one case.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        decode_json("composite case", text)
    }

    /// Builds the station the case describes, with these options, and its request:
    /// `SmartChargingStation::new` with the case's defaults and EVSEs,
    /// `start_transaction` on every EVSE (at `transaction.start`, else the window start,
    /// with the transaction id of its TxProfiles), then every profile installed (external
    /// constraints through `set_external_constraints`, the rest through `install_profile`
    /// as 2.0.1).
    pub fn station(
        &self,
        options: StationOptions,
    ) -> Result<(SmartChargingStation, CompositeRequest), Error> {
        let evse_ids: Vec<u32> = if self.evse_id == 0 {
            self.evses.iter().map(|e| e.evse_id).collect()
        } else {
            vec![self.evse_id]
        };
        let config = StationConfig {
            evse_ids: evse_ids.clone(),
            default_limit_amps: self.defaults.limit_amps,
            default_limit_watts: self.defaults.limit_watts,
            supply_voltage: self.defaults.supply_voltage,
            default_number_phases: self.defaults.number_phases,
            options,
        };
        let mut station = SmartChargingStation::new(config)?;
        let mut placed: Vec<(u32, &ChargingProfile)> = Vec::new();
        placed.extend(self.station_profiles.iter().map(|p| (0, p)));
        if self.evse_id == 0 {
            for e in &self.evses {
                placed.extend(e.profiles.iter().map(|p| (e.evse_id, p)));
            }
        } else {
            placed.extend(self.evse_profiles.iter().map(|p| (self.evse_id, p)));
        }
        if self.transaction.active {
            for &e in &evse_ids {
                let own_start = self
                    .evses
                    .iter()
                    .find(|x| x.evse_id == e)
                    .and_then(|x| x.transaction_start);
                let at = own_start
                    .or(self.transaction.start)
                    .unwrap_or(self.window.start);
                let tx_id = placed
                    .iter()
                    .filter(|(pe, p)| {
                        *pe == e && p.charging_profile_purpose == ChargingProfilePurpose::TxProfile
                    })
                    .find_map(|(_, p)| p.transaction_id.clone());
                station.start_transaction(e, at, tx_id)?;
            }
        }
        for (e, p) in placed {
            if p.charging_profile_purpose
                == ChargingProfilePurpose::ChargingStationExternalConstraints
            {
                station.set_external_constraints(p.clone(), e, ProfileVersion::V201)?;
            } else {
                station.install_profile(p.clone(), e, ProfileVersion::V201)?;
            }
        }
        let request = CompositeRequest {
            evse_id: self.evse_id,
            start: self.window.start,
            duration_s: (self.window.end - self.window.start).num_seconds(),
            unit: self.charging_rate_unit,
        };
        Ok((station, request))
    }
}
