//! `CostDetailsType`: the cost a station reports in `TransactionEvent.costDetails`.

use super::json::{invalid, number, parse_word, timestamp, Obj, Out};
use crate::enums::wire_enum;
use crate::json::Value;
use crate::tariff::Currency;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

wire_enum! {
    /// `CostDimensionEnumType`: what a period's volume measures.
    ///
    /// The schema spells the idle dimension `IdleTIme`; chargekit writes that spelling and
    /// reads both it and `IdleTime`.
    ///
    /// ```
    /// use chargekit::station_tariff::CostDimensionKind;
    /// assert_eq!(CostDimensionKind::IdleTime.as_str(), "IdleTIme");
    /// assert_eq!(CostDimensionKind::read("IdleTime"), Ok(CostDimensionKind::IdleTime));
    /// ```
    pub enum CostDimensionKind {
        /// Energy in the period, Wh.
        Energy = "Energy",
        /// Highest current in the period, A.
        MaxCurrent = "MaxCurrent",
        /// Lowest current in the period, A.
        MinCurrent = "MinCurrent",
        /// Highest power in the period, W.
        MaxPower = "MaxPower",
        /// Lowest power in the period, W.
        MinPower = "MinPower",
        /// Seconds of idle time in the period.
        IdleTime = "IdleTIme",
        /// Seconds of charging in the period.
        ChargingTime = "ChargingTime",
    }
}

impl CostDimensionKind {
    /// Reads a dimension name, accepting `IdleTime` as well as the schema's `IdleTIme`.
    pub fn read(s: &str) -> Result<Self, String> {
        if s == "IdleTime" {
            return Ok(CostDimensionKind::IdleTime);
        }
        s.parse()
    }
}

wire_enum! {
    /// `CostKindEnumType` (`typeOfCost`): whether the total is the calculated cost or was
    /// raised to the minimum or capped at the maximum.
    ///
    /// ```
    /// use chargekit::station_tariff::TypeOfCost;
    /// assert_eq!(TypeOfCost::MinCost.as_str(), "MinCost");
    /// ```
    pub enum TypeOfCost {
        /// The calculated cost.
        NormalCost = "NormalCost",
        /// The tariff's minimum cost.
        MinCost = "MinCost",
        /// The tariff's maximum cost.
        MaxCost = "MaxCost",
    }
}

/// `CostDimensionType`: one measured volume of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostDimension {
    /// What is measured.
    pub kind: CostDimensionKind,
    /// How much: Wh, A, W or seconds.
    pub volume: Decimal,
}

/// `ChargingPeriodType`: a stretch of the transaction during which the same prices applied.
/// It ends where the next one starts (the last at the end of the transaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostPeriod {
    /// When it starts.
    pub start_period: DateTime<Utc>,
    /// The tariff whose prices applied (at most 60 characters).
    pub tariff_id: Option<String>,
    /// What was used in it.
    pub dimensions: Vec<CostDimension>,
}

impl CostPeriod {
    /// The volume of a dimension, if reported.
    pub fn volume(&self, kind: CostDimensionKind) -> Option<Decimal> {
        self.dimensions
            .iter()
            .find(|d| d.kind == kind)
            .map(|d| d.volume)
    }
}

/// An amount excluding and including tax (a `PriceType` of `totalCost`, or its total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    /// Excluding tax.
    pub excl_tax: Option<Decimal>,
    /// Including tax.
    pub incl_tax: Option<Decimal>,
}

impl Amount {
    /// An amount with both halves.
    pub fn new(excl_tax: Decimal, incl_tax: Decimal) -> Self {
        Amount {
            excl_tax: Some(excl_tax),
            incl_tax: Some(incl_tax),
        }
    }
}

/// `TotalCostType`: the cost per component and in total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalCost {
    /// The currency.
    pub currency: Currency,
    /// Calculated, or raised to the minimum / capped at the maximum.
    pub type_of_cost: TypeOfCost,
    /// Fixed fees of the transaction.
    pub fixed: Option<Amount>,
    /// Energy.
    pub energy: Option<Amount>,
    /// Charging time.
    pub charging_time: Option<Amount>,
    /// Idle time.
    pub idle_time: Option<Amount>,
    /// Reservation time.
    pub reservation_time: Option<Amount>,
    /// Fixed fees of the reservation.
    pub reservation_fixed: Option<Amount>,
    /// The total (after minimum or maximum cost).
    pub total: Amount,
}

/// `TotalUsageType`: what was used in the transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalUsage {
    /// Energy, Wh.
    pub energy: Decimal,
    /// Seconds of charging.
    pub charging_time: i64,
    /// Seconds of idle time.
    pub idle_time: i64,
    /// Seconds of reservation.
    pub reservation_time: Option<i64>,
}

/// `CostDetailsType`: a transaction's cost as a station calculates and reports it.
///
/// ```
/// use chargekit::station_tariff::{CostDetails, TypeOfCost};
/// let d = CostDetails::from_json(r#"{"totalCost":{"currency":"EUR","typeOfCost":"NormalCost",
///   "energy":{"exclTax":3.0,"inclTax":3.63},"total":{"exclTax":3.0,"inclTax":3.63}},
///   "totalUsage":{"energy":10000,"chargingTime":3600,"idleTime":0}}"#).unwrap();
/// assert_eq!(d.total_cost.type_of_cost, TypeOfCost::NormalCost);
/// assert_eq!(d.total_cost.total.incl_tax.unwrap().to_string(), "3.63");
/// assert_eq!(CostDetails::from_json(&d.to_json()).unwrap(), d);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostDetails {
    /// The periods (empty in running-cost reports).
    pub charging_periods: Vec<CostPeriod>,
    /// The cost.
    pub total_cost: TotalCost,
    /// The usage.
    pub total_usage: TotalUsage,
    /// Set when the station could not calculate the cost.
    pub failure_to_calculate: Option<bool>,
    /// Why (at most 500 characters).
    pub failure_reason: Option<String>,
}

impl CostDetails {
    /// Reads a `CostDetailsType` from JSON text.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let value = Value::from_text(text).map_err(|e| Error::TariffJson {
            reason: crate::json::without_position(&e),
        })?;
        Self::read(&value)
    }

    /// Reads a `CostDetailsType` from a JSON value (numbers as exact as the value holds them).
    pub fn from_value(v: &serde_json::Value) -> Result<Self, Error> {
        Self::read(&v.into())
    }

    /// Reads a `CostDetailsType` from the exact tree.
    fn read(v: &Value) -> Result<Self, Error> {
        let mut o = Obj::new(v, "$")?;
        let charging_periods = match o.array("chargingPeriods", 1, 0)? {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, p)| read_period(p, &format!("$.chargingPeriods[{i}]")))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let total_cost = read_total_cost(o.required("totalCost")?, "$.totalCost")?;
        let total_usage = read_usage(o.required("totalUsage")?, "$.totalUsage")?;
        let failure_to_calculate = o.boolean("failureToCalculate")?;
        let failure_reason = o.text("failureReason", 500)?;
        o.finish()?;
        Ok(CostDetails {
            charging_periods,
            total_cost,
            total_usage,
            failure_to_calculate,
            failure_reason,
        })
    }

    /// The cost details as OCPP 2.1 JSON (see [`to_json`](Self::to_json) for exact digits).
    pub fn to_value(&self) -> serde_json::Value {
        self.tree().to_serde()
    }

    /// The cost details as OCPP 2.1 JSON text, numbers with their exact digits.
    pub fn to_json(&self) -> String {
        self.tree().to_string()
    }

    /// The cost details as OCPP 2.1 JSON, numbers as their exact text.
    pub(crate) fn tree(&self) -> Value {
        let periods = self
            .charging_periods
            .iter()
            .map(|p| {
                let dims = p
                    .dimensions
                    .iter()
                    .map(|d| {
                        Out::default()
                            .text("type", d.kind.as_str())
                            .put("volume", number(d.volume))
                            .done()
                    })
                    .collect();
                Out::default()
                    .list("dimensions", dims)
                    .opt("tariffId", p.tariff_id.clone().map(Value::String))
                    .put("startPeriod", timestamp(p.start_period))
                    .done()
            })
            .collect();
        let c = &self.total_cost;
        let amount = |a: &Amount| {
            Out::default()
                .dec("exclTax", a.excl_tax)
                .dec("inclTax", a.incl_tax)
                .done()
        };
        let mut cost = Out::default();
        cost.text("currency", c.currency.as_str())
            .text("typeOfCost", c.type_of_cost.as_str());
        for (k, a) in [
            ("fixed", &c.fixed),
            ("energy", &c.energy),
            ("chargingTime", &c.charging_time),
            ("idleTime", &c.idle_time),
            ("reservationTime", &c.reservation_time),
            ("reservationFixed", &c.reservation_fixed),
        ] {
            cost.opt(k, a.as_ref().map(amount));
        }
        cost.put("total", amount(&c.total));
        let u = &self.total_usage;
        let usage = Out::default()
            .put("energy", number(u.energy))
            .put("chargingTime", Value::from(u.charging_time))
            .put("idleTime", Value::from(u.idle_time))
            .opt("reservationTime", u.reservation_time.map(Value::from))
            .done();
        Out::default()
            .list("chargingPeriods", periods)
            .put("totalCost", cost.done())
            .put("totalUsage", usage)
            .opt(
                "failureToCalculate",
                self.failure_to_calculate.map(Value::Bool),
            )
            .opt(
                "failureReason",
                self.failure_reason.clone().map(Value::String),
            )
            .done()
    }
}

fn read_period(v: &Value, path: &str) -> Result<CostPeriod, Error> {
    let mut o = Obj::new(v, path)?;
    let dimensions = match o.array("dimensions", 1, 0)? {
        Some(items) => items
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut d = Obj::new(d, &format!("{path}.dimensions[{i}]"))?;
                let kind = d.word("type", CostDimensionKind::read)?.ok_or_else(|| {
                    Error::MissingTariffField {
                        path: d.path("type"),
                    }
                })?;
                let volume = d.required_decimal("volume")?;
                d.finish()?;
                Ok(CostDimension { kind, volume })
            })
            .collect::<Result<_, Error>>()?,
        None => Vec::new(),
    };
    let tariff_id = o.text("tariffId", 60)?;
    let start_period = o
        .timestamp("startPeriod")?
        .ok_or_else(|| Error::MissingTariffField {
            path: o.path("startPeriod"),
        })?;
    o.finish()?;
    Ok(CostPeriod {
        start_period,
        tariff_id,
        dimensions,
    })
}

fn read_amount(v: &Value, path: &str) -> Result<Amount, Error> {
    let mut o = Obj::new(v, path)?;
    let a = Amount {
        excl_tax: o.decimal("exclTax")?,
        incl_tax: o.decimal("inclTax")?,
    };
    // A component PriceType may echo its taxes; they are implied by the tariff.
    let _ = o.get("taxRates");
    o.finish()?;
    Ok(a)
}

fn read_total_cost(v: &Value, path: &str) -> Result<TotalCost, Error> {
    let mut o = Obj::new(v, path)?;
    let currency: Currency = o.required_text("currency", 3)?.parse()?;
    let type_of_cost = o
        .word("typeOfCost", parse_word::<TypeOfCost>)?
        .ok_or_else(|| Error::MissingTariffField {
            path: o.path("typeOfCost"),
        })?;
    let amount = |o: &mut Obj<'_>, key: &'static str| match o.get(key) {
        Some(a) => read_amount(a, &format!("{path}.{key}")).map(Some),
        None => Ok(None),
    };
    let fixed = amount(&mut o, "fixed")?;
    let energy = amount(&mut o, "energy")?;
    let charging_time = amount(&mut o, "chargingTime")?;
    let idle_time = amount(&mut o, "idleTime")?;
    let reservation_time = amount(&mut o, "reservationTime")?;
    let reservation_fixed = amount(&mut o, "reservationFixed")?;
    let total = read_amount(o.required("total")?, &format!("{path}.total"))?;
    o.finish()?;
    Ok(TotalCost {
        currency,
        type_of_cost,
        fixed,
        energy,
        charging_time,
        idle_time,
        reservation_time,
        reservation_fixed,
        total,
    })
}

fn read_usage(v: &Value, path: &str) -> Result<TotalUsage, Error> {
    let mut o = Obj::new(v, path)?;
    let energy = o.required_decimal("energy")?;
    let int = |o: &mut Obj<'_>, key: &'static str| -> Result<Option<i64>, Error> {
        match o.count(key)? {
            None => Ok(None),
            Some(n) => i64::try_from(n)
                .map(Some)
                .map_err(|_| invalid(o.path(key), "out of range")),
        }
    };
    let charging_time = int(&mut o, "chargingTime")?.ok_or_else(|| Error::MissingTariffField {
        path: o.path("chargingTime"),
    })?;
    let idle_time = int(&mut o, "idleTime")?.ok_or_else(|| Error::MissingTariffField {
        path: o.path("idleTime"),
    })?;
    let reservation_time = int(&mut o, "reservationTime")?;
    o.finish()?;
    Ok(TotalUsage {
        energy,
        charging_time,
        idle_time,
        reservation_time,
    })
}
