//! OCPI tariffs: one internal model for OCPI 2.1.1, 2.2.1 and 2.3.0, read from and
//! written to their JSON forms, with a linter and plain-language explanations.
//!
//! Owns: [`Tariff`] and its OCPI forms, lint, explanations and the [`PricingPolicy`]
//! that reads them. Imports: `calendar` and the foundation.
//!
//! * [`Tariff`] is the normalised tariff. [`Tariff::from_json`] reads any of the
//!   three OCPI versions (detected, or forced with [`Tariff::from_json_version`]);
//!   [`Tariff::to_ocpi`] writes 2.2.1 or 2.3.0.
//! * Every price component keeps the distinction between an absent VAT
//!   ([`Vat::NotApplicable`]), a stated rate ([`Vat::Rate`], possibly 0) and the
//!   unknown VAT of a 2.1.1 tariff ([`Vat::Unknown`]).
//! * [`Tariff::lint`] reports elements that can never apply, reversed bounds,
//!   missing fallbacks and what OCPI cannot express; [`Tariff::explain`] renders
//!   the tariff in plain language.
//!
//! Pricing lives in [`crate::billing`].
//!
//! ```
//! use chargekit::tariff::{Tariff, TariffDimension, Vat};
//! let json = r#"{"country_code":"NL","party_id":"ABC","id":"T1","currency":"EUR",
//!   "elements":[{"price_components":[{"type":"ENERGY","price":0.25,"vat":21,"step_size":1}]}],
//!   "last_updated":"2026-01-01T00:00:00Z"}"#;
//! let t = Tariff::from_json(json).unwrap();
//! let c = &t.elements[0].price_components[0];
//! assert_eq!(c.dimension, TariffDimension::Energy);
//! assert_eq!(c.vat, Vat::Rate(21.into()));
//! assert_eq!(t.explain().text, "€0.25 per kWh. Prices exclude 21% VAT.");
//! ```

pub(crate) mod explain;
pub(crate) mod json;
pub(crate) mod policy;

pub use crate::calendar::DayOfWeek;
mod lint;
pub(crate) mod parse;
mod time;

pub use explain::{Explanation, ExplanationLine, Language};
pub use lint::{LintFinding, LintRule, Severity};
pub(crate) use parse as parse_support;
pub(crate) use parse::detect_version as detect_tariff_version;
pub(crate) use parse::json_value as parse_json_value;
pub use parse::{ParseWarning, ParseWarningKind};
pub use policy::{
    CdrHours, DateTimeSpan, ElapsedFrom, EqualTimes, ExportPricing, FlatPolicy, IdleFeeExport,
    LegacyTimes, MidnightEnd, MissingMeasurement, ParkingDefinition, PeriodSplit, PricingPolicy,
    ReservationPricing, Rounding, RoundingMode, RoundingPolicy, StepSizeMode, TariffSwitch,
    TimeSource, WeekdayOf,
};
pub use time::TimeOfDay;

use crate::enums::wire_enum;
use crate::Error;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An OCPI tariff at the FFI boundary: its OCPI JSON text (`String` in Kotlin and Swift,
/// e.g. `PlanRequest.tariffJson`), read back like [`Tariff::from_json`] and written in its
/// own version's shape.
#[cfg(feature = "uniffi")]
pub type OcpiTariffJson = Tariff;

#[cfg(feature = "uniffi")]
uniffi::custom_type!(OcpiTariffJson, String, {
    lower: |t| t.to_json(),
    try_lift: |text| Tariff::from_json(&text).map_err(Into::into),
});

wire_enum! {
    /// The OCPI version a tariff or CDR is written in.
    ///
    /// ```
    /// use chargekit::tariff::OcpiVersion;
    /// assert_eq!("2.2.1".parse::<OcpiVersion>().unwrap(), OcpiVersion::V221);
    /// ```
    pub enum OcpiVersion {
        /// OCPI 2.1.1 (read only; converted to the internal model).
        V211 = "2.1.1",
        /// OCPI 2.2.1.
        V221 = "2.2.1",
        /// OCPI 2.3.0.
        V230 = "2.3.0",
    }
}

impl OcpiVersion {
    /// A version as people write it, by the same rule as OCPP versions: case, spaces, an
    /// `ocpi` or `v` prefix and the dots are optional, and `2.3` is 2.3.0 (`"OCPI 2.2.1"`,
    /// `"v221"`, `"2.3"`); anything else is `UnsupportedOcpiVersion`.
    ///
    /// ```
    /// use chargekit::tariff::OcpiVersion;
    /// assert_eq!(OcpiVersion::parse("OCPI 2.2.1").unwrap(), OcpiVersion::V221);
    /// assert_eq!(OcpiVersion::parse("v2.3").unwrap(), OcpiVersion::V230);
    /// assert_eq!(OcpiVersion::parse("").unwrap_err().kind(), "unsupported_ocpi_version");
    /// assert!(OcpiVersion::parse("9").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, Error> {
        let plain: String = text
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        match plain.trim_start_matches("ocpi").trim_start_matches('v') {
            "211" => Ok(Self::V211),
            "221" => Ok(Self::V221),
            "23" | "230" => Ok(Self::V230),
            _ => Err(Error::UnsupportedOcpiVersion {
                version: text.to_string(),
            }),
        }
    }
}

wire_enum! {
    /// OCPI `TariffType`: which payment option or profile a tariff is for.
    ///
    /// ```
    /// use chargekit::tariff::TariffType;
    /// assert_eq!(TariffType::AdHocPayment.as_str(), "AD_HOC_PAYMENT");
    /// ```
    pub enum TariffType {
        /// Paid ad hoc (credit card, QR code) rather than under a contract.
        AdHocPayment = "AD_HOC_PAYMENT",
        /// The driver asked for the cheapest charging profile.
        ProfileCheap = "PROFILE_CHEAP",
        /// The driver asked for the fastest charging profile.
        ProfileFast = "PROFILE_FAST",
        /// The driver asked for the greenest charging profile.
        ProfileGreen = "PROFILE_GREEN",
        /// The regular tariff for contract customers.
        Regular = "REGULAR",
    }
}

wire_enum! {
    /// OCPI `TariffDimensionType`: what a price component charges for.
    ///
    /// ```
    /// use chargekit::tariff::TariffDimension;
    /// assert_eq!(TariffDimension::ParkingTime.as_str(), "PARKING_TIME");
    /// ```
    pub enum TariffDimension {
        /// Per kWh; `step_size` in Wh.
        Energy = "ENERGY",
        /// Per session (a fixed fee); no step.
        Flat = "FLAT",
        /// Per hour of charging (of reservation under a `reservation` restriction); step in s.
        Time = "TIME",
        /// Per hour of not charging while connected; step in s.
        ParkingTime = "PARKING_TIME",
    }
}

wire_enum! {
    /// OCPI `ReservationRestrictionType`: the element prices a reservation.
    ///
    /// ```
    /// use chargekit::tariff::ReservationRestriction;
    /// assert_eq!(ReservationRestriction::ReservationExpires.as_str(), "RESERVATION_EXPIRES");
    /// ```
    pub enum ReservationRestriction {
        /// Applies to reservation time (and a reservation fee) when the reservation is used.
        Reservation = "RESERVATION",
        /// Applies when the reservation expired without a charging session.
        ReservationExpires = "RESERVATION_EXPIRES",
    }
}

wire_enum! {
    /// OCPI 2.3.0 `tax_included`: whether prices are gross or net.
    ///
    /// ```
    /// use chargekit::tariff::TaxIncluded;
    /// assert_eq!(TaxIncluded::NotApplicable.as_str(), "N/A");
    /// ```
    pub enum TaxIncluded {
        /// Prices include taxes (gross).
        Yes = "YES",
        /// Prices exclude taxes (net).
        No = "NO",
        /// No taxes apply.
        NotApplicable = "N/A",
    }
}

/// The VAT of a price component.
///
/// An absent `vat` in OCPI 2.2.1 / 2.3.0 means no VAT applies, which is not the same as a
/// stated rate of 0 % (an invoice lists them apart); 2.1.1 tariffs have no `vat` field at
/// all, so their VAT is unknown.
///
/// [`Vat::apply`] is the one rule for an amount including VAT, which every gross amount
/// chargekit states (line costs, totals, min/max clamping, planning, the bindings) follows:
/// the stated rate added; **the net amount itself when no VAT applies**; `None` only when
/// the VAT is unknown.
///
/// ```
/// use chargekit::tariff::Vat;
/// use rust_decimal::Decimal;
/// assert_eq!(Vat::Rate(Decimal::from(10)).apply(Decimal::from(2)), Some(Decimal::new(220, 2)));
/// assert_eq!(Vat::NotApplicable.apply(Decimal::from(2)), Some(Decimal::from(2)));
/// assert_eq!(Vat::Unknown.apply(Decimal::from(2)), None);
/// assert_eq!(Vat::NotApplicable.rate(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "kind", content = "percent")]
pub enum Vat {
    /// No VAT applies (`vat` absent in 2.2.1/2.3.0): incl = excl.
    NotApplicable,
    /// A VAT rate in percent (0 is a valid rate).
    Rate(#[serde(deserialize_with = "crate::json::number::decimal::deserialize")] Decimal),
    /// The VAT is not known (OCPI 2.1.1): no incl. amount can be stated.
    Unknown,
}

impl Vat {
    /// The amount including this VAT: `excl` plus the stated rate, `excl` itself when no
    /// VAT applies, `None` when the VAT is unknown.
    pub fn apply(self, excl: Decimal) -> Option<Decimal> {
        match self {
            // Not `excl × 1.00`: the amount keeps its own scale.
            Vat::NotApplicable => Some(excl),
            Vat::Rate(r) => Some(excl + excl * r / Decimal::ONE_HUNDRED),
            Vat::Unknown => None,
        }
    }

    /// The stated rate, if any (`None` both when no VAT applies and when it is unknown).
    pub fn rate(self) -> Option<Decimal> {
        match self {
            Vat::Rate(r) => Some(r),
            _ => None,
        }
    }
}

/// An ISO 4217 currency code: three upper-case ASCII letters.
///
/// ```
/// use chargekit::tariff::Currency;
/// let eur: Currency = "EUR".parse().unwrap();
/// assert_eq!(eur.minor_units(), 2);
/// assert_eq!("JPY".parse::<Currency>().unwrap().minor_units(), 0);
/// assert!("euro".parse::<Currency>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// ISO 4217 minor units (decimals): 2 for EUR, 0 for JPY, 3 for KWD.
    pub fn minor_units(&self) -> u32 {
        match self.as_str() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF"
            | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            "CLF" | "UYW" => 4,
            _ => 2,
        }
    }

    /// The usual symbol, or the code when there is none in common use.
    pub fn symbol(&self) -> &str {
        match self.as_str() {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            "JPY" => "¥",
            "CHF" => "CHF ",
            _ => "",
        }
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(|c| c.is_ascii_alphabetic()) {
            Ok(Currency([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
                b[2].to_ascii_uppercase(),
            ]))
        } else {
            Err(Error::InvalidCurrency {
                currency: s.to_string(),
            })
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A price component: what one unit of a dimension costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceComponent {
    /// What is charged for.
    pub dimension: TariffDimension,
    /// Price per unit (per kWh, per hour, or per session for FLAT). Net, unless the
    /// tariff says `tax_included = YES`.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub price: Decimal,
    /// The VAT of this component.
    pub vat: Vat,
    /// Billing granularity: Wh for ENERGY, seconds for TIME and PARKING_TIME. 0 and 1
    /// quantise to the whole unit at most.
    pub step_size: u32,
}

/// Restrictions of a tariff element; all present fields must hold.
///
/// `day_of_week` empty means every day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Restrictions {
    /// Local start time of day, inclusive.
    pub start_time: Option<TimeOfDay>,
    /// Local end time of day, exclusive; before `start_time` wraps past midnight.
    pub end_time: Option<TimeOfDay>,
    /// Local start date, inclusive.
    pub start_date: Option<NaiveDate>,
    /// Local end date, exclusive.
    pub end_date: Option<NaiveDate>,
    /// Minimum energy delivered so far, kWh (inclusive).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_kwh: Option<Decimal>,
    /// Maximum energy delivered so far, kWh (exclusive).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_kwh: Option<Decimal>,
    /// Minimum current, A summed over phases (active while ≥).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_current: Option<Decimal>,
    /// Maximum current, A (active while <).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_current: Option<Decimal>,
    /// Minimum power, kW (active while ≥).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_power: Option<Decimal>,
    /// Maximum power, kW (active while <).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_power: Option<Decimal>,
    /// Minimum seconds since session start (inclusive).
    pub min_duration: Option<u64>,
    /// Maximum seconds since session start (exclusive).
    pub max_duration: Option<u64>,
    /// Local weekdays on which the element applies (empty: every day).
    pub day_of_week: Vec<DayOfWeek>,
    /// The element prices a reservation.
    pub reservation: Option<ReservationRestriction>,
}

impl Restrictions {
    /// True when no restriction is set: the element always applies.
    pub fn is_empty(&self) -> bool {
        *self == Restrictions::default()
    }
}

/// A tariff element: price components with the restrictions under which they apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TariffElement {
    /// The components (at least one in valid OCPI).
    pub price_components: Vec<PriceComponent>,
    /// The restrictions (empty: always applies).
    pub restrictions: Restrictions,
}

impl TariffElement {
    /// The component of a dimension, if the element has one (the first if several).
    pub fn component(&self, dimension: TariffDimension) -> Option<&PriceComponent> {
        self.price_components
            .iter()
            .find(|c| c.dimension == dimension)
    }
}

/// A price bound (`min_price` / `max_price`): net, and gross when stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLimit {
    /// Excluding VAT (2.3.0 `before_taxes`).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub excl_vat: Decimal,
    /// Including VAT (2.3.0 `after_taxes`), when stated.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub incl_vat: Option<Decimal>,
}

/// A text in a language (`tariff_alt_text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayText {
    /// ISO 639-1 language code.
    pub language: String,
    /// The text.
    pub text: String,
}

/// A tariff in chargekit's internal form (normalised from OCPI 2.1.1, 2.2.1 or 2.3.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tariff {
    /// The OCPI version it was read from.
    pub version: OcpiVersion,
    /// ISO 3166 alpha-2 country of the CPO.
    pub country_code: Option<String>,
    /// CPO party id.
    pub party_id: Option<String>,
    /// Tariff id, unique within the CPO.
    pub id: String,
    /// The one currency of every price.
    pub currency: Currency,
    /// The payment option or profile the tariff is for.
    pub tariff_type: Option<TariffType>,
    /// Alternative descriptions.
    pub alt_text: Vec<DisplayText>,
    /// A web page describing the tariff.
    pub alt_url: Option<String>,
    /// The least a session costs.
    pub min_price: Option<PriceLimit>,
    /// The most a session costs.
    pub max_price: Option<PriceLimit>,
    /// The elements, in priority order (order matters: the first match wins).
    pub elements: Vec<TariffElement>,
    /// Valid from (UTC), inclusive.
    pub start_date_time: Option<DateTime<Utc>>,
    /// Valid until (UTC), exclusive.
    pub end_date_time: Option<DateTime<Utc>>,
    /// Energy mix, kept verbatim (informational).
    pub energy_mix: Option<serde_json::Value>,
    /// Last change.
    pub last_updated: Option<DateTime<Utc>>,
    /// 2.3.0: whether prices are gross.
    pub tax_included: Option<TaxIncluded>,
    /// 2.3.0: amount to pre-authorise, net.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub preauthorize_amount: Option<Decimal>,
    /// chargekit extension: an idle (overstay) fee measured from the end of charging,
    /// which OCPI 2.2.1 cannot express (JSON key `idle_fee`; left out of OCPI output).
    #[serde(default)]
    pub idle_fee: Option<IdleFee>,
}

/// An idle (overstay) fee beyond OCPI: per hour of idling after the end of charging plus
/// a grace period, optionally capped per session and charged only during active hours
/// (pro-rated at their edges).
///
/// ```
/// use chargekit::tariff::IdleFee;
/// let f: IdleFee = serde_json::from_str(
///     r#"{"grace_s": 600, "price_per_hour": "12.00", "cap": "30", "active_from": "08:00", "active_until": "20:00"}"#).unwrap();
/// assert_eq!(f.grace_s, 600);
/// assert_eq!(f.step_size, 60);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleFee {
    /// Seconds of idling after the end of charging that are free.
    #[serde(default)]
    pub grace_s: u32,
    /// Price per hour of idling (net, as the tariff's other prices).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub price_per_hour: Decimal,
    /// VAT of the fee.
    #[serde(default = "IdleFee::default_vat")]
    pub vat: Vat,
    /// Billing step, seconds (ceiling over the session's billed idle time).
    #[serde(default = "IdleFee::default_step")]
    pub step_size: u32,
    /// Most the fee can add up to in one session (net).
    #[serde(default)]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub cap: Option<Decimal>,
    /// Daily local start of the hours the fee applies (with `active_until`).
    #[serde(default)]
    pub active_from: Option<TimeOfDay>,
    /// Daily local end of those hours (before `active_from`: wraps past midnight).
    #[serde(default)]
    pub active_until: Option<TimeOfDay>,
}

impl IdleFee {
    fn default_vat() -> Vat {
        Vat::NotApplicable
    }
    fn default_step() -> u32 {
        60
    }
}

impl Tariff {
    /// Reads an OCPI tariff (2.1.1, 2.2.1 or 2.3.0, detected from its fields), ignoring
    /// `//` comment lines. Warnings (unknown fields, …) are dropped; see
    /// [`Tariff::from_json_with_warnings`].
    pub fn from_json(text: &str) -> Result<Tariff, Error> {
        Self::from_json_with_warnings(text, None).map(|(t, _)| t)
    }

    /// Reads an OCPI tariff of a given version.
    ///
    /// ```
    /// use chargekit::tariff::{OcpiVersion, Tariff, Vat};
    /// let v211 = r#"{"id":"1","currency":"EUR","elements":[{"price_components":[
    ///   {"type":"TIME","price":2,"step_size":60}]}],"last_updated":"2015-06-29T20:39:09Z"}"#;
    /// let t = Tariff::from_json_version(v211, OcpiVersion::V211).unwrap();
    /// assert_eq!(t.elements[0].price_components[0].vat, Vat::Unknown);
    /// ```
    pub fn from_json_version(text: &str, version: OcpiVersion) -> Result<Tariff, Error> {
        Self::from_json_with_warnings(text, Some(version)).map(|(t, _)| t)
    }

    /// Reads an OCPI tariff and reports what was odd but usable (unknown or misspelled
    /// fields, unknown dimension types, excessive precision).
    ///
    /// ```
    /// use chargekit::tariff::{Tariff, ParseWarningKind};
    /// let json = r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
    ///   "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}],
    ///   "restrictions":{"dayOfWeek":["SATURDAY"]}}],"last_updated":"2026-01-01T00:00:00Z"}"#;
    /// let (_, warnings) = Tariff::from_json_with_warnings(json, None).unwrap();
    /// assert!(matches!(&warnings[0].kind, ParseWarningKind::MisspelledField { expected, .. } if expected == "day_of_week"));
    /// ```
    pub fn from_json_with_warnings(
        text: &str,
        version: Option<OcpiVersion>,
    ) -> Result<(Tariff, Vec<ParseWarning>), Error> {
        json::tariff_from_str(text, version)
    }

    /// Reads an OCPI tariff from a JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Tariff, Error> {
        Self::from_value_with_warnings(value, None).map(|(t, _)| t)
    }

    /// Reads an OCPI tariff from a JSON value, with warnings.
    pub fn from_value_with_warnings(
        value: &serde_json::Value,
        version: Option<OcpiVersion>,
    ) -> Result<(Tariff, Vec<ParseWarning>), Error> {
        let value = crate::json::Value::from(value);
        let version = version.unwrap_or_else(|| parse::detect_version(&value));
        parse::tariff(&value, version)
    }

    /// The tariff as OCPI JSON of `version` (2.2.1 or 2.3.0; asking for 2.1.1 gives
    /// 2.2.1, since 2.1.1 is read only).
    ///
    /// ```
    /// use chargekit::tariff::{OcpiVersion, Tariff};
    /// let json = r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
    ///   "min_price":{"excl_vat":1,"incl_vat":1.21},
    ///   "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"vat":21,"step_size":1}]}],
    ///   "last_updated":"2026-01-01T00:00:00Z"}"#;
    /// let t = Tariff::from_json(json).unwrap();
    /// let v23 = t.to_ocpi(OcpiVersion::V230);
    /// assert_eq!(v23["min_price"]["before_taxes"].to_string(), "1");
    /// assert_eq!(v23["tax_included"], "NO");
    /// let back = Tariff::from_value(&v23).unwrap();
    /// assert_eq!(back.min_price, t.min_price);
    /// ```
    pub fn to_ocpi(&self, version: OcpiVersion) -> serde_json::Value {
        parse::to_value(self, version).to_serde()
    }

    /// The tariff as OCPI JSON text in its own version (2.1.1 tariffs as 2.2.1), numbers
    /// with their exact digits.
    pub fn to_json(&self) -> String {
        self.to_ocpi_json(self.version)
    }

    /// [`to_ocpi`](Self::to_ocpi) as JSON text, numbers with their exact digits (where
    /// `to_ocpi`'s `serde_json::Value` holds them as `f64`).
    ///
    /// ```
    /// use chargekit::tariff::{OcpiVersion, Tariff};
    /// let t = Tariff::from_json(r#"{"id":"T","currency":"EUR","elements":[{"price_components":
    ///   [{"type":"ENERGY","price":0.30000000000000001,"step_size":1}]}]}"#).unwrap();
    /// assert!(t.to_ocpi_json(OcpiVersion::V221).contains(r#""price":0.30000000000000001"#));
    /// ```
    pub fn to_ocpi_json(&self, version: OcpiVersion) -> String {
        parse::to_value(self, version).to_string()
    }

    /// The tariff as OCPI JSON, exporting a chargekit idle fee as `export` says:
    /// [`IdleFeeExport::BestEffort`](IdleFeeExport) leaves it out (lint
    /// `grace_period_not_expressible`); `SessionRelative` adds a first PARKING_TIME
    /// element with `min_duration` = grace (imprecise: OCPI counts from session start).
    pub fn to_ocpi_with(&self, version: OcpiVersion, export: IdleFeeExport) -> serde_json::Value {
        let mut t = self.clone();
        if let (Some(f), IdleFeeExport::SessionRelative) = (&self.idle_fee, export) {
            t.elements.insert(
                0,
                TariffElement {
                    price_components: vec![PriceComponent {
                        dimension: TariffDimension::ParkingTime,
                        price: f.price_per_hour,
                        vat: f.vat,
                        step_size: f.step_size,
                    }],
                    restrictions: Restrictions {
                        min_duration: Some(u64::from(f.grace_s)),
                        start_time: f.active_from,
                        end_time: f.active_until,
                        ..Restrictions::default()
                    },
                },
            );
        }
        parse::to_value(&t, version).to_serde()
    }

    /// True when the tariff's validity window contains `at`.
    pub fn is_valid_at(&self, at: DateTime<Utc>) -> bool {
        self.start_date_time.is_none_or(|s| at >= s) && self.end_date_time.is_none_or(|e| at < e)
    }

    /// The VAT of every price component, in element and component order.
    pub fn component_vats(&self) -> Vec<Vat> {
        self.elements
            .iter()
            .flat_map(|e| e.price_components.iter().map(|c| c.vat))
            .collect()
    }

    /// True when any element has a component of `dimension` (reservation elements excluded).
    pub fn prices(&self, dimension: TariffDimension) -> bool {
        self.elements
            .iter()
            .any(|e| e.restrictions.reservation.is_none() && e.component(dimension).is_some())
    }

    /// Lints the tariff with the default policy. See [`lint`](crate::tariff::LintRule).
    ///
    /// ```
    /// use chargekit::tariff::{Tariff, LintRule};
    /// let json = r#"{"country_code":"NL","party_id":"ABC","id":"T","currency":"EUR",
    ///   "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}],
    ///   "restrictions":{"start_time":"10:00","end_time":"10:00"}}],"last_updated":"2026-01-01T00:00:00Z"}"#;
    /// let t = Tariff::from_json(json).unwrap();
    /// assert!(t.lint().iter().any(|f| f.rule == LintRule::NeverValid));
    /// ```
    pub fn lint(&self) -> Vec<LintFinding> {
        lint::lint(self, &PricingPolicy::default())
    }

    /// Lints the tariff under a policy (which decides e.g. what `start_time == end_time` means).
    pub fn lint_with(&self, policy: &PricingPolicy) -> Vec<LintFinding> {
        lint::lint(self, policy)
    }

    /// Explains the tariff in plain English.
    pub fn explain(&self) -> Explanation {
        explain::explain(self, Language::En)
    }

    /// Explains the tariff in a language.
    pub fn explain_in(&self, language: Language) -> Explanation {
        explain::explain(self, language)
    }
}
