//! Exact physical quantities and identifiers shared by every module.
//!
//! Owns: [`Energy`], [`Power`], [`Current`], the station identifiers and the time-series
//! point [`SeriesPoint`]. Imports: nothing of
//! chargekit (foundation layer).
//!
//! Quantities wrap [`Decimal`] so that energy, power and current never pass
//! through binary floating point: a register reading of `"12.30"` kWh stays
//! exactly 12 300 Wh.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $ctor:ident, $get:ident) => {
        $(#[$doc])*
        // A serde newtype (not `transparent`): JSON sees the number alone, and the Python
        // conversion table sees the decimal inside.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        pub struct $name(#[serde(deserialize_with = "crate::json::number::decimal::deserialize")] Decimal);

        impl $name {
            /// Zero of this quantity.
            pub const ZERO: Self = Self(Decimal::ZERO);

            #[doc = concat!("Creates the quantity from a value in ", $unit, ".")]
            pub const fn $ctor(value: Decimal) -> Self {
                Self(value)
            }

            #[doc = concat!("The value in ", $unit, ".")]
            pub const fn $get(self) -> Decimal {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{} {}", self.0.normalize(), $unit)
            }
        }

        impl std::ops::Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                Self(self.0 + rhs.0)
            }
        }

        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold(Self::ZERO, |a, b| a + b)
            }
        }
    };
}

quantity!(
    /// Active energy, stored in watt-hours.
    ///
    /// ```
    /// use chargekit::units::Energy;
    /// use rust_decimal::Decimal;
    /// let e = Energy::from_wh(Decimal::from(12_300));
    /// assert_eq!(e.kwh(), Decimal::new(123, 1));
    /// assert_eq!(e.to_string(), "12300 Wh");
    /// ```
    Energy,
    "Wh",
    from_wh,
    wh
);
quantity!(
    /// Active power, stored in watts.
    ///
    /// ```
    /// use chargekit::units::Power;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Power::from_w(Decimal::from(11_000)).kw(), Decimal::from(11));
    /// ```
    Power,
    "W",
    from_w,
    w
);
quantity!(
    /// Electric current, stored in amperes.
    ///
    /// ```
    /// use chargekit::units::Current;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Current::from_a(Decimal::from(16)).a(), Decimal::from(16));
    /// ```
    Current,
    "A",
    from_a,
    a
);

impl Energy {
    /// Creates an energy from kilowatt-hours.
    ///
    /// ```
    /// # use chargekit::units::Energy; use rust_decimal::Decimal;
    /// assert_eq!(Energy::from_kwh(Decimal::new(15, 1)).wh(), Decimal::from(1500));
    /// ```
    pub fn from_kwh(kwh: Decimal) -> Self {
        Self(kwh * Decimal::ONE_THOUSAND)
    }

    /// The value in kilowatt-hours (exact: a shift of the decimal point).
    ///
    /// ```
    /// # use chargekit::units::Energy; use rust_decimal::Decimal;
    /// assert_eq!(Energy::from_wh(Decimal::from(83)).kwh(), Decimal::new(83, 3));
    /// ```
    pub fn kwh(self) -> Decimal {
        self.0 / Decimal::ONE_THOUSAND
    }
}

impl Power {
    /// The value in kilowatts (exact).
    ///
    /// ```
    /// # use chargekit::units::Power; use rust_decimal::Decimal;
    /// assert_eq!(Power::from_w(Decimal::from(7400)).kw(), Decimal::new(74, 1));
    /// ```
    pub fn kw(self) -> Decimal {
        self.0 / Decimal::ONE_THOUSAND
    }
}

/// Identifies a charging station (the OCPP charge point identity).
///
/// ```
/// use chargekit::units::StationId;
/// assert_eq!(StationId::new("CP-1").as_str(), "CP-1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StationId(String);

impl StationId {
    /// Wraps a station identity.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    /// The identity as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An EVSE number on a station (OCPP 2.0.1 `evseId`; 0 means the whole station).
///
/// ```
/// use chargekit::units::EvseId;
/// assert!(EvseId(0).is_station());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EvseId(pub u32);

impl EvseId {
    /// True for EVSE 0, which OCPP uses for the station as a whole.
    pub fn is_station(self) -> bool {
        self.0 == 0
    }
}

/// A connector number (OCPP 1.6 `connectorId`, or 2.0.1 `connectorId` within an EVSE).
///
/// ```
/// use chargekit::units::ConnectorId;
/// assert_eq!(ConnectorId(2).0, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConnectorId(pub u32);

/// One step of a piecewise-constant series: `value` holds from `start` until the next
/// point's start; the last point holds until the end of the planning window.
///
/// Used for prices (currency per kWh), CO2 intensity (g/kWh), power limits (W), PV
/// generation and house load (W) in planning, and for the export price series of a
/// pricing policy (`ExportPricing::Series`).
///
/// ```
/// use chargekit::planning::SeriesPoint;
/// let p: SeriesPoint = serde_json::from_str(r#"{"start": "2026-03-10T22:00:00Z", "value": "0.21"}"#).unwrap();
/// assert_eq!(p.value.to_string(), "0.21");
/// // A `[start, value]` pair reads the same.
/// let q: SeriesPoint = serde_json::from_str(r#"["2026-03-10T22:00:00Z", "0.21"]"#).unwrap();
/// assert_eq!(p, q);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SeriesPoint {
    /// From this instant on.
    pub start: DateTime<Utc>,
    /// The value.
    pub value: Decimal,
}

/// The forms a point is read from: `{"start", "value"}` or `[start, value]`. Read from the
/// exact tree, not as a serde `untagged` enum: that would buffer the value as an `f64`.
impl<'de> Deserialize<'de> for SeriesPoint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use crate::json::Value;
        let v = Value::deserialize(d)?;
        let (start, value) = match &v {
            Value::Object(m) => (m.get("start"), m.get("value")),
            Value::Array(items) if items.len() == 2 => (items.first(), items.get(1)),
            _ => (None, None),
        };
        let start = start
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<DateTime<chrono::FixedOffset>>().ok());
        let value = match value {
            Some(Value::Number(n)) => crate::json::number::decimal_text(n.as_str()).ok(),
            Some(Value::String(s)) => crate::json::number::decimal_text(s).ok(),
            _ => None,
        };
        match (start, value) {
            (Some(start), Some(value)) => Ok(SeriesPoint {
                start: start.with_timezone(&Utc),
                value,
            }),
            _ => Err(serde::de::Error::custom(
                "data did not match any variant of untagged enum PointForm",
            )),
        }
    }
}

impl SeriesPoint {
    /// A point.
    ///
    /// ```
    /// use chargekit::planning::SeriesPoint;
    /// use rust_decimal::Decimal;
    /// let p = SeriesPoint::new("2026-03-10T22:00:00Z".parse().unwrap(), Decimal::new(21, 2));
    /// assert_eq!(p.value.to_string(), "0.21");
    /// ```
    pub fn new(start: DateTime<Utc>, value: Decimal) -> Self {
        Self { start, value }
    }
}
