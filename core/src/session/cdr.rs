//! Export of a session as an OCPI 2.2.1 or 2.3.0 CDR, without costs (the tariff engine fills
//! them).

use super::{PeriodKind, Session};
use crate::json::{Map, Value};
use crate::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Party and location data an OCPI CDR needs but OCPP does not carry.
///
/// The defaults are placeholders (`country_code` "XX", empty address) that make the
/// CDR well-formed; a CPO sets its own.
///
/// ```
/// use chargekit::session::CdrOptions;
/// let o = CdrOptions { country_code: "DE".into(), party_id: "ABC".into(), ..CdrOptions::default() };
/// assert_eq!(o.currency, "EUR");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct CdrOptions {
    /// ISO 3166 alpha-2 country code of the CPO.
    #[cfg_attr(feature = "uniffi", uniffi(default = "XX"))]
    pub country_code: String,
    /// CPO party id (3 characters).
    #[cfg_attr(feature = "uniffi", uniffi(default = "XXX"))]
    pub party_id: String,
    /// ISO 4217 currency of the CDR.
    #[cfg_attr(feature = "uniffi", uniffi(default = "EUR"))]
    pub currency: String,
    /// Location name.
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub location_name: String,
    /// Street and number.
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub address: String,
    /// City.
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub city: String,
    /// Postal code.
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub postal_code: String,
    /// ISO 3166 alpha-3 country of the location.
    #[cfg_attr(feature = "uniffi", uniffi(default = "XXX"))]
    pub location_country: String,
    /// Latitude as OCPI text, e.g. "52.520008".
    #[cfg_attr(feature = "uniffi", uniffi(default = "0.000000"))]
    pub latitude: String,
    /// Longitude as OCPI text.
    #[cfg_attr(feature = "uniffi", uniffi(default = "0.000000"))]
    pub longitude: String,
    /// OCPI connector standard, e.g. `IEC_62196_T2`.
    #[cfg_attr(feature = "uniffi", uniffi(default = "IEC_62196_T2"))]
    pub connector_standard: String,
    /// `SOCKET` or `CABLE`.
    #[cfg_attr(feature = "uniffi", uniffi(default = "SOCKET"))]
    pub connector_format: String,
    /// `AC_1_PHASE`, `AC_3_PHASE` or `DC`.
    #[cfg_attr(feature = "uniffi", uniffi(default = "AC_3_PHASE"))]
    pub connector_power_type: String,
    /// The OCPI version written: `"2.2.1"`, or `"2.3.0"`, whose CDRs carry the energy of
    /// each direction of a bidirectional (V2X) session as `ENERGY_IMPORT` / `ENERGY_EXPORT`.
    #[cfg_attr(feature = "uniffi", uniffi(default = "2.2.1"))]
    pub ocpi_version: String,
}

impl Default for CdrOptions {
    fn default() -> Self {
        Self {
            country_code: "XX".into(),
            party_id: "XXX".into(),
            currency: "EUR".into(),
            location_name: String::new(),
            address: String::new(),
            city: String::new(),
            postal_code: String::new(),
            location_country: "XXX".into(),
            latitude: "0.000000".into(),
            longitude: "0.000000".into(),
            connector_standard: "IEC_62196_T2".into(),
            connector_format: "SOCKET".into(),
            connector_power_type: "AC_3_PHASE".into(),
            ocpi_version: "2.2.1".into(),
        }
    }
}

/// An exact JSON number from a decimal.
fn num(d: Decimal) -> Value {
    Value::number(d.normalize())
}

/// A JSON string.
fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

/// A JSON object of `pairs`.
fn obj<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Seconds as OCPI hours, to 6 decimals (OCPI durations are decimal hours).
fn hours(secs: i64) -> Decimal {
    (Decimal::from(secs) / Decimal::from(3600)).round_dp(6)
}

fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Session {
    /// The session as an OCPI CDR object, with `charging_periods` and their dimensions
    /// (ENERGY — the energy delivered to the EV — in kWh, TIME or PARKING_TIME in hours,
    /// MAX_POWER in kW, MAX_CURRENT in A; with `ocpi_version` 2.3.0 and energy fed back, also
    /// ENERGY_IMPORT and ENERGY_EXPORT in kWh). Cost fields are left out until a tariff prices
    /// the session. An `ocpi_version` other than 2.2.1 or 2.3(.0) is an
    /// [`Error::UnsupportedVersion`](crate::Error::UnsupportedVersion).
    ///
    /// ```
    /// use chargekit::session::{sessions_from_log, CdrOptions};
    /// use chargekit::meter::MeterPolicy;
    /// let log = r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
    /// [3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
    /// [2,"2","StopTransaction",{"transactionId":5,"meterStop":7500,"timestamp":"2026-03-10T09:00:00Z"}]"#;
    /// let s = &sessions_from_log("CP", log, None, &MeterPolicy::default()).unwrap()[0];
    /// let cdr = s.to_ocpi_cdr(&CdrOptions::default()).unwrap();
    /// assert_eq!(cdr["total_energy"].to_string(), "7.5");
    /// assert_eq!(cdr["total_time"].to_string(), "1");
    /// ```
    pub fn to_ocpi_cdr(&self, opts: &CdrOptions) -> Result<serde_json::Value, Error> {
        self.ocpi_cdr(opts).map(|cdr| cdr.to_serde())
    }

    /// [`to_ocpi_cdr`](Self::to_ocpi_cdr) as JSON text, numbers with their exact digits.
    ///
    /// ```
    /// use chargekit::session::{sessions_from_log, CdrOptions};
    /// use chargekit::meter::MeterPolicy;
    /// let log = r#"[2,"1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2026-03-10T08:00:00Z"}]
    /// [3,"1",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]
    /// [2,"2","StopTransaction",{"transactionId":5,"meterStop":7500,"timestamp":"2026-03-10T09:00:00Z"}]"#;
    /// let s = &sessions_from_log("CP", log, None, &MeterPolicy::default()).unwrap()[0];
    /// assert!(s.to_ocpi_cdr_json(&CdrOptions::default()).unwrap().contains(r#""total_energy":7.5"#));
    /// ```
    pub fn to_ocpi_cdr_json(&self, opts: &CdrOptions) -> Result<String, Error> {
        self.ocpi_cdr(opts).map(|cdr| cdr.to_string())
    }

    /// The CDR as the exact tree.
    pub(crate) fn ocpi_cdr(&self, opts: &CdrOptions) -> Result<Value, Error> {
        let flows = match opts.ocpi_version.trim() {
            "2.2.1" => false,
            "2.3" | "2.3.0" => self.is_bidirectional(),
            other => {
                return Err(Error::UnsupportedVersion {
                    reason: format!("OCPI CDR version {other:?}; expected \"2.2.1\" or \"2.3.0\""),
                })
            }
        };
        let end = self.end.unwrap_or(self.last_seen);
        let periods: Vec<Value> = self
            .charging_periods()
            .into_iter()
            .filter(|p| p.end > p.start)
            .map(|p| {
                let kwh = |wh: Decimal| num(wh / Decimal::ONE_THOUSAND);
                let mut dims = vec![obj([
                    ("type", text("ENERGY")),
                    ("volume", kwh(p.energy_wh)),
                ])];
                if flows {
                    dims.push(obj([
                        ("type", text("ENERGY_IMPORT")),
                        ("volume", kwh(p.energy_wh)),
                    ]));
                    dims.push(obj([
                        ("type", text("ENERGY_EXPORT")),
                        ("volume", kwh(p.energy_export_wh)),
                    ]));
                }
                let time_kind = match p.kind {
                    PeriodKind::Charging => "TIME",
                    PeriodKind::Idle => "PARKING_TIME",
                };
                dims.push(obj([
                    ("type", text(time_kind)),
                    ("volume", num(hours(p.duration_s))),
                ]));
                if let Some(w) = p.max_power_w {
                    dims.push(obj([
                        ("type", text("MAX_POWER")),
                        ("volume", num(w / Decimal::ONE_THOUSAND)),
                    ]));
                }
                if let Some(a) = p.max_current_a {
                    dims.push(obj([("type", text("MAX_CURRENT")), ("volume", num(a))]));
                }
                obj([
                    ("start_date_time", text(ts(p.start))),
                    ("dimensions", Value::Array(dims)),
                ])
            })
            .collect();
        let token = self.id_token.clone().unwrap_or_else(|| "UNKNOWN".into());
        let evse = self.evse_id.or(self.connector_id).unwrap_or(0);
        let mut location = Map::new();
        location.insert("id".into(), text(&self.station_id));
        location.insert("name".into(), text(&opts.location_name));
        location.insert("address".into(), text(&opts.address));
        location.insert("city".into(), text(&opts.city));
        location.insert("postal_code".into(), text(&opts.postal_code));
        location.insert("country".into(), text(&opts.location_country));
        location.insert(
            "coordinates".into(),
            obj([
                ("latitude", text(&opts.latitude)),
                ("longitude", text(&opts.longitude)),
            ]),
        );
        location.insert(
            "evse_uid".into(),
            text(format!("{}*{}", self.station_id, evse)),
        );
        location.insert(
            "evse_id".into(),
            text(format!("{}*{}*E{}", opts.country_code, opts.party_id, evse)),
        );
        location.insert(
            "connector_id".into(),
            text(self.connector_id.unwrap_or(1).to_string()),
        );
        location.insert("connector_standard".into(), text(&opts.connector_standard));
        location.insert("connector_format".into(), text(&opts.connector_format));
        location.insert(
            "connector_power_type".into(),
            text(&opts.connector_power_type),
        );
        let duration = (end - self.start).num_seconds().max(0);
        Ok(obj([
            ("country_code", text(&opts.country_code)),
            ("party_id", text(&opts.party_id)),
            ("id", text(format!("{}-{}", self.station_id, self.key))),
            ("start_date_time", text(ts(self.start))),
            ("end_date_time", text(ts(end))),
            ("session_id", text(self.key.to_string())),
            (
                "cdr_token",
                obj([
                    ("country_code", text(&opts.country_code)),
                    ("party_id", text(&opts.party_id)),
                    ("uid", text(&token)),
                    ("type", text("RFID")),
                    ("contract_id", text(&token)),
                ]),
            ),
            ("auth_method", text("WHITELIST")),
            ("cdr_location", Value::Object(location)),
            ("currency", text(&opts.currency)),
            ("charging_periods", Value::Array(periods)),
            ("total_energy", num(self.energy_kwh())),
            ("total_time", num(hours(duration))),
            ("total_parking_time", num(hours(self.idle_s.min(duration)))),
            ("last_updated", text(ts(end))),
        ]))
    }
}
