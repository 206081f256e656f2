//! Smart charging as the bindings take it: a station built from the parts their
//! constructors accept (each optional, the core's default when absent), profiles given as
//! JSON text with the OCPP version named (`"1.6"`, `"2.0.1"`, `"2.1"`), and the
//! GetCompositeSchedule response of a schedule in a named version. With the `uniffi`
//! feature it also owns the Kotlin/Swift methods of [`CompositeSchedule`], a core object
//! because the core's [`CompositeResponse`](crate::profile::CompositeResponse) carries it.

use crate::json::number::decimal_text;
use crate::profile::{
    ChargingProfile, CompositeSchedule, InstallOutcome, ProfileVersion, SmartChargingStation,
    StationConfig, StationOptions,
};
use crate::Error;
use rust_decimal::Decimal;

/// A station with these EVSEs, default limits (A and W), line voltage, default phase count
/// and options; each part left out keeps the core's default ([`StationConfig::default`]).
///
/// ```
/// use chargekit::boundary::profile::station;
/// use chargekit::profile::{SmartChargingStation, StationConfig};
/// let st = station(Some(vec![1, 2]), None, None, None, None, None).unwrap();
/// assert_eq!(st, SmartChargingStation::new(StationConfig::with_evses(&[1, 2])).unwrap());
/// assert!(station(Some(vec![0]), None, None, None, None, None).is_err());
/// ```
pub fn station(
    evse_ids: Option<Vec<u32>>,
    default_limit_amps: Option<Decimal>,
    default_limit_watts: Option<Decimal>,
    supply_voltage: Option<Decimal>,
    default_number_phases: Option<u8>,
    options: Option<StationOptions>,
) -> Result<SmartChargingStation, Error> {
    let d = StationConfig::default();
    SmartChargingStation::new(StationConfig {
        evse_ids: evse_ids.unwrap_or(d.evse_ids),
        default_limit_amps: default_limit_amps.unwrap_or(d.default_limit_amps),
        default_limit_watts: default_limit_watts.unwrap_or(d.default_limit_watts),
        supply_voltage: supply_voltage.unwrap_or(d.supply_voltage),
        default_number_phases: default_number_phases.unwrap_or(d.default_number_phases),
        options: options.unwrap_or(d.options),
    })
}

/// A station quantity argument (`name`: `default_limit_amps`, `default_limit_watts`,
/// `supply_voltage`) given as decimal text, plain or scientific, blanks around it ignored (as
/// [`StationConfig`]'s own reader takes it); other text is `InvalidStationConfig` naming the
/// argument.
///
/// ```
/// use chargekit::boundary::profile::station_quantity;
/// use rust_decimal::Decimal;
/// assert_eq!(station_quantity("supply_voltage", " 230 ").unwrap(), Decimal::from(230));
/// assert_eq!(station_quantity("default_limit_watts", "2.208E4").unwrap(), Decimal::from(22080));
/// assert_eq!(station_quantity("default_limit_amps", "x").unwrap_err().kind(), "invalid_station_config");
/// ```
pub fn station_quantity(name: &str, text: &str) -> Result<Decimal, Error> {
    decimal_text(text.trim()).map_err(|e| Error::InvalidStationConfig {
        reason: format!("{name}: {text:?} is not a decimal number ({e})"),
    })
}

/// Installs a profile sent by the CSMS, given as JSON text in the shape of the version
/// named ([`SmartChargingStation::install`]).
///
/// ```
/// use chargekit::boundary::profile::{install, station};
/// let mut st = station(None, None, None, None, None, None).unwrap();
/// let p16 = r#"{"chargingProfileId": 3, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
///   "chargingProfileKind": "Relative", "chargingSchedule": {"chargingRateUnit": "A",
///   "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}}"#;
/// assert!(install(&mut st, p16, 0, "1.6").unwrap().replaced.is_empty());
/// assert!(install(&mut st, p16, 0, "2.0.1").is_err()); // not a 2.x ChargingProfile
/// ```
pub fn install(
    station: &mut SmartChargingStation,
    profile_json: &str,
    evse_id: u32,
    version: &str,
) -> Result<InstallOutcome, Error> {
    station.install(profile_json, evse_id, version.parse()?)
}

/// Sets a limit from a local actor, given as JSON text in the shape of the version named
/// ([`SmartChargingStation::set_external_constraints`]).
///
/// ```
/// use chargekit::boundary::profile::{set_external_constraints, station};
/// let mut st = station(None, None, None, None, None, None).unwrap();
/// let ems = r#"{"id": 900, "stackLevel": 0, "chargingProfilePurpose": "ChargingStationExternalConstraints",
///   "chargingProfileKind": "Relative", "chargingSchedule": [{"id": 1, "chargingRateUnit": "W",
///   "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000}]}]}"#;
/// assert!(set_external_constraints(&mut st, ems, 0, "2.0.1").unwrap().replaced.is_empty());
/// assert!(set_external_constraints(&mut st, ems, 0, "3.0").is_err());
/// ```
pub fn set_external_constraints(
    station: &mut SmartChargingStation,
    profile_json: &str,
    evse_id: u32,
    version: &str,
) -> Result<InstallOutcome, Error> {
    let version: ProfileVersion = version.parse()?;
    let profile = ChargingProfile::from_json_version(profile_json, version)?;
    station.set_external_constraints(profile, evse_id, version)
}

/// The GetCompositeSchedule response for `schedule` in the shape of the version named
/// ([`CompositeSchedule::to_ocpp`]).
///
/// ```
/// use chargekit::boundary::profile::{composite_response, station};
/// use chrono::Utc;
/// let st = station(None, None, None, None, None, None).unwrap();
/// let s = st.composite_schedule(1, Utc::now(), 60, None).unwrap();
/// assert_eq!(composite_response(&s, "1.6").unwrap()["connectorId"].to_string(), "1");
/// assert!(composite_response(&s, "3.0").is_err());
/// ```
pub fn composite_response(
    schedule: &CompositeSchedule,
    version: &str,
) -> Result<crate::json::Value, Error> {
    Ok(schedule.ocpp_tree(version.parse()?))
}

/// The Kotlin/Swift methods of a composite schedule (Rust reads the fields; `period_at` and
/// `to_ocpp` keep their Rust signatures, so their exported forms are renamed).
#[cfg(feature = "uniffi")]
#[uniffi::export]
impl CompositeSchedule {
    /// The EVSE (0 = the station).
    pub fn evse_id(&self) -> u32 {
        self.evse_id
    }

    /// Start of the window (the request time, whole seconds).
    pub fn schedule_start(&self) -> crate::ffi::UtcInstant {
        self.schedule_start
    }

    /// Length of the window in seconds.
    pub fn duration(&self) -> u32 {
        self.duration
    }

    /// Unit of every limit.
    pub fn unit(&self) -> crate::profile::ChargingRateUnit {
        self.unit
    }

    /// The periods, first at 0, strictly increasing.
    pub fn periods(&self) -> Vec<crate::profile::CompositePeriod> {
        self.periods.clone()
    }

    /// The period in force `offsetS` seconds after the start.
    #[uniffi::method(name = "period_at")]
    pub fn ffi_period_at(&self, offset_s: u32) -> Option<crate::profile::CompositePeriod> {
        self.period_at(offset_s).cloned()
    }

    /// The GetCompositeSchedule response as JSON text, in the shape of `version`
    /// (`"2.0.1"`/`"2.1"`: `{status, schedule}`; `"1.6"`: `{status, connectorId,
    /// scheduleStart, chargingSchedule}` with limits rounded to 0.1).
    #[uniffi::method(name = "to_ocpp")]
    pub fn ffi_to_ocpp(&self, version: String) -> Result<String, Error> {
        crate::error::catch_panic(|| composite_response(self, &version).map(|v| v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn station_quantities_read_as_the_station_options_do() {
        assert_eq!(
            station_quantity("supply_voltage", "230").unwrap(),
            Decimal::from(230)
        );
        let amps = station_quantity("default_limit_amps", " 1.6e1\n").unwrap();
        assert_eq!(amps, Decimal::from(16));
        let err = station_quantity("default_limit_amps", " lots").unwrap_err();
        assert_eq!(err.kind(), "invalid_station_config");
        let reason = "default_limit_amps: \" lots\" is not a decimal number";
        assert!(err.to_string().contains(reason), "{err}");
    }
}
