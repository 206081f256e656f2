//! The OCPP 2.1 `TariffType` as a typed model, read from and written to its JSON.

use super::condition::{FixedConditions, TariffConditions};
use super::json::{invalid, number, parse_word, timestamp, Obj, Out};
use crate::enums::wire_enum;
use crate::json::Value;
use crate::tariff::Currency;
use crate::Error;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

wire_enum! {
    /// `MessageFormatEnumType`: how a description's content is encoded.
    ///
    /// ```
    /// use chargekit::station_tariff::MessageFormat;
    /// assert_eq!(MessageFormat::Utf8.as_str(), "UTF8");
    /// ```
    pub enum MessageFormat {
        /// Plain ASCII.
        Ascii = "ASCII",
        /// HTML.
        Html = "HTML",
        /// A URI.
        Uri = "URI",
        /// UTF-8 text.
        Utf8 = "UTF8",
        /// Text to show as a QR code.
        QrCode = "QRCODE",
    }
}

/// `MessageContentType`: one description of the tariff, for a display or receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageContent {
    /// The encoding of `content`.
    pub format: MessageFormat,
    /// Language code (at most 8 characters), e.g. `en` or `nl-BE`.
    pub language: Option<String>,
    /// The text (at most 1024 characters).
    pub content: String,
}

/// `TaxRateType`: one tax on a price.
///
/// Stack 0 is levied on the net price; stack 1 on the net price plus the stack-0 taxes,
/// and so on. Rates on the same stack share their base and do not compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    /// A label for the receipt (at most 20 characters), e.g. `VAT` or `State`.
    pub kind: String,
    /// The rate in percent, e.g. 21.
    pub percent: Decimal,
    /// The stack level (absent on the wire means 0).
    pub stack: u32,
}

/// `PriceType`: an amount excluding and/or including tax (`minCost`, `maxCost`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Price {
    /// Excluding tax.
    pub excl_tax: Option<Decimal>,
    /// Including tax.
    pub incl_tax: Option<Decimal>,
    /// The taxes the amount includes (0 to 5).
    pub tax_rates: Vec<TaxRate>,
}

/// `TariffEnergyPriceType`: a price per kWh, under conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyPrice {
    /// Price per kWh, excluding tax.
    pub price_kwh: Decimal,
    /// When it applies (absent: always).
    pub conditions: Option<TariffConditions>,
}

/// `TariffTimePriceType`: a price per minute, under conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimePrice {
    /// Price per minute, excluding tax.
    pub price_minute: Decimal,
    /// When it applies (absent: always).
    pub conditions: Option<TariffConditions>,
}

/// `TariffFixedPriceType`: a fixed amount, under conditions evaluated once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedPrice {
    /// The amount, excluding tax.
    pub price_fixed: Decimal,
    /// When it applies (absent: always).
    pub conditions: Option<FixedConditions>,
}

/// `TariffEnergyType`: the energy prices, first match wins, and their taxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffEnergy {
    /// At least one price, in priority order.
    pub prices: Vec<EnergyPrice>,
    /// Taxes on every energy price (0 to 5).
    pub tax_rates: Vec<TaxRate>,
}

/// `TariffTimeType`: per-minute prices (charging, idle or reservation time) and their taxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffTime {
    /// At least one price, in priority order.
    pub prices: Vec<TimePrice>,
    /// Taxes on every price (0 to 5).
    pub tax_rates: Vec<TaxRate>,
}

/// `TariffFixedType`: fixed fees and their taxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffFixed {
    /// At least one price, in priority order.
    pub prices: Vec<FixedPrice>,
    /// Taxes on every price (0 to 5).
    pub tax_rates: Vec<TaxRate>,
}

/// An OCPP 2.1 tariff (`TariffType`) as a CSMS sends it to a station in
/// `SetDefaultTariff`, `AuthorizeResponse.tariff` or `ChangeTransactionTariff`.
///
/// ```
/// use chargekit::station_tariff::StationTariff;
/// let t = StationTariff::from_json(r#"{"tariffId":"T1","currency":"EUR",
///   "energy":{"prices":[{"priceKwh":0.30}],"taxRates":[{"type":"VAT","tax":21}]},
///   "idleTime":{"prices":[{"priceMinute":0.10,"conditions":{"minIdleTime":1800}}]}}"#).unwrap();
/// assert_eq!(t.tariff_id, "T1");
/// assert_eq!(t.energy.as_ref().unwrap().prices[0].price_kwh.to_string(), "0.30");
/// let back = StationTariff::from_json(&t.to_json()).unwrap();
/// assert_eq!(back, t);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationTariff {
    /// The tariff's id (at most 60 characters).
    pub tariff_id: String,
    /// Descriptions for the driver (0 to 10).
    pub description: Vec<MessageContent>,
    /// The currency of every price.
    pub currency: Currency,
    /// Prices per kWh.
    pub energy: Option<TariffEnergy>,
    /// When the tariff becomes active (absent: at once).
    pub valid_from: Option<DateTime<Utc>>,
    /// Prices per minute of charging.
    pub charging_time: Option<TariffTime>,
    /// Prices per minute of idle time (connected, not charging).
    pub idle_time: Option<TariffTime>,
    /// Fixed fees of a transaction.
    pub fixed_fee: Option<TariffFixed>,
    /// Prices per minute of reservation.
    pub reservation_time: Option<TariffTime>,
    /// Fixed fees of a reservation.
    pub reservation_fixed: Option<TariffFixed>,
    /// The least a transaction costs.
    pub min_cost: Option<Price>,
    /// The most a transaction costs.
    pub max_cost: Option<Price>,
}

impl StationTariff {
    /// Reads a `TariffType` from JSON text.
    ///
    /// Schema violations are typed errors naming the field:
    ///
    /// ```
    /// use chargekit::station_tariff::StationTariff;
    /// use chargekit::Error;
    /// let err = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR",
    ///   "energy":{"prices":[{"priceKwh":0.3}],"taxRates":[{"type":"VAT","tax":21,"stack":-1}]}}"#)
    ///   .unwrap_err();
    /// assert!(matches!(err, Error::InvalidTariffField { ref path, .. } if path == "$.energy.taxRates[0].stack"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let value = Value::from_text(text).map_err(|e| Error::TariffJson {
            reason: crate::json::without_position(&e),
        })?;
        read_tariff(&value, "$")
    }

    /// Reads a `TariffType` from a JSON value (numbers as exact as the value holds them).
    pub fn from_value(value: &serde_json::Value) -> Result<Self, Error> {
        read_tariff(&value.into(), "$")
    }

    /// The tariff as OCPP 2.1 JSON (see [`to_json`](Self::to_json) for exact digits).
    pub fn to_value(&self) -> serde_json::Value {
        self.tree().to_serde()
    }

    /// The tariff as OCPP 2.1 JSON, numbers as their exact text.
    pub(crate) fn tree(&self) -> Value {
        let t = self;
        let mut o = Out::default();
        o.text("tariffId", &t.tariff_id);
        o.list(
            "description",
            t.description.iter().map(write_message).collect(),
        );
        o.text("currency", t.currency.as_str());
        o.opt("energy", t.energy.as_ref().map(write_energy));
        o.opt("validFrom", t.valid_from.map(timestamp));
        o.opt("chargingTime", t.charging_time.as_ref().map(write_time));
        o.opt("idleTime", t.idle_time.as_ref().map(write_time));
        o.opt("fixedFee", t.fixed_fee.as_ref().map(write_fixed));
        o.opt(
            "reservationTime",
            t.reservation_time.as_ref().map(write_time),
        );
        o.opt(
            "reservationFixed",
            t.reservation_fixed.as_ref().map(write_fixed),
        );
        o.opt("minCost", t.min_cost.as_ref().map(write_price));
        o.opt("maxCost", t.max_cost.as_ref().map(write_price));
        o.done()
    }

    /// The tariff as OCPP 2.1 JSON text.
    pub fn to_json(&self) -> String {
        self.tree().to_string()
    }

    /// The per-minute dimensions with their JSON names, in schema order.
    pub(super) fn time_dimensions(&self) -> [(&'static str, Option<&TariffTime>); 3] {
        [
            ("chargingTime", self.charging_time.as_ref()),
            ("idleTime", self.idle_time.as_ref()),
            ("reservationTime", self.reservation_time.as_ref()),
        ]
    }
}

impl serde::Serialize for StationTariff {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.tree().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for StationTariff {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        read_tariff(&v, "$").map_err(serde::de::Error::custom)
    }
}

fn read_tariff(v: &Value, path: &str) -> Result<StationTariff, Error> {
    let mut o = Obj::new(v, path)?;
    let tariff_id = o.required_text("tariffId", 60)?;
    let description = match o.array("description", 1, 10)? {
        Some(items) => items
            .iter()
            .enumerate()
            .map(|(i, m)| read_message(m, &format!("{path}.description[{i}]")))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let currency_text = o.required_text("currency", 3)?;
    let currency: Currency = currency_text.parse()?;
    let energy = match o.get("energy") {
        Some(e) => Some(read_energy(e, &format!("{path}.energy"))?),
        None => None,
    };
    let valid_from = o.timestamp("validFrom")?;
    let time = |o: &mut Obj<'_>, key: &'static str| match o.get(key) {
        Some(t) => read_time(t, &format!("{path}.{key}")).map(Some),
        None => Ok(None),
    };
    let charging_time = time(&mut o, "chargingTime")?;
    let idle_time = time(&mut o, "idleTime")?;
    let reservation_time = time(&mut o, "reservationTime")?;
    let fixed = |o: &mut Obj<'_>, key: &'static str| match o.get(key) {
        Some(t) => read_fixed(t, &format!("{path}.{key}")).map(Some),
        None => Ok(None),
    };
    let fixed_fee = fixed(&mut o, "fixedFee")?;
    let reservation_fixed = fixed(&mut o, "reservationFixed")?;
    let price = |o: &mut Obj<'_>, key: &'static str| match o.get(key) {
        Some(p) => read_price(p, &format!("{path}.{key}")).map(Some),
        None => Ok(None),
    };
    let min_cost = price(&mut o, "minCost")?;
    let max_cost = price(&mut o, "maxCost")?;
    o.finish()?;
    Ok(StationTariff {
        tariff_id,
        description,
        currency,
        energy,
        valid_from,
        charging_time,
        idle_time,
        fixed_fee,
        reservation_time,
        reservation_fixed,
        min_cost,
        max_cost,
    })
}

fn read_message(v: &Value, path: &str) -> Result<MessageContent, Error> {
    let mut o = Obj::new(v, path)?;
    let format = o
        .word("format", parse_word::<MessageFormat>)?
        .ok_or_else(|| Error::MissingTariffField {
            path: o.path("format"),
        })?;
    let language = o.text("language", 8)?;
    let content = o.required_text("content", 1024)?;
    o.finish()?;
    Ok(MessageContent {
        format,
        language,
        content,
    })
}

fn write_message(m: &MessageContent) -> Value {
    Out::default()
        .text("format", m.format.as_str())
        .opt("language", m.language.clone().map(Value::String))
        .text("content", &m.content)
        .done()
}

/// Reads `taxRates` (1 to 5 when present).
pub(super) fn read_tax_rates(o: &mut Obj<'_>, path: &str) -> Result<Vec<TaxRate>, Error> {
    let Some(items) = o.array("taxRates", 1, 5)? else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut t = Obj::new(v, &format!("{path}.taxRates[{i}]"))?;
            let kind = t.required_text("type", 20)?;
            let percent = t.required_decimal("tax")?;
            let stack = match t.count("stack")? {
                None => 0,
                Some(s) => {
                    u32::try_from(s).map_err(|_| invalid(t.path("stack"), "out of range"))?
                }
            };
            t.finish()?;
            Ok(TaxRate {
                kind,
                percent,
                stack,
            })
        })
        .collect()
}

fn write_tax(t: &TaxRate) -> Value {
    Out::default()
        .text("type", &t.kind)
        .put("tax", number(t.percent))
        .put("stack", Value::from(t.stack))
        .done()
}

/// Reads a `PriceType`.
pub(super) fn read_price(v: &Value, path: &str) -> Result<Price, Error> {
    let mut o = Obj::new(v, path)?;
    let excl_tax = o.decimal("exclTax")?;
    let incl_tax = o.decimal("inclTax")?;
    let tax_rates = read_tax_rates(&mut o, path)?;
    o.finish()?;
    Ok(Price {
        excl_tax,
        incl_tax,
        tax_rates,
    })
}

/// Writes a `PriceType`.
pub(super) fn write_price(p: &Price) -> Value {
    Out::default()
        .dec("exclTax", p.excl_tax)
        .dec("inclTax", p.incl_tax)
        .list("taxRates", p.tax_rates.iter().map(write_tax).collect())
        .done()
}

/// The shape TariffEnergyType, TariffTimeType and TariffFixedType share: `prices` (at least
/// one), each an `amount` with optional conditions read by `conditions`, then `taxRates`.
fn read_list<P, C>(
    v: &Value,
    path: &str,
    amount: &'static str,
    conditions: fn(&Value, &str) -> Result<C, Error>,
    make: fn(Decimal, Option<C>) -> P,
) -> Result<(Vec<P>, Vec<TaxRate>), Error> {
    let mut o = Obj::new(v, path)?;
    let items = o
        .array("prices", 1, 0)?
        .ok_or_else(|| Error::MissingTariffField {
            path: o.path("prices"),
        })?;
    let prices = items
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ppath = format!("{path}.prices[{i}]");
            let mut po = Obj::new(p, &ppath)?;
            let value = po.required_decimal(amount)?;
            let cond = match po.get("conditions") {
                Some(c) => Some(conditions(c, &format!("{ppath}.conditions"))?),
                None => None,
            };
            po.finish()?;
            Ok(make(value, cond))
        })
        .collect::<Result<_, Error>>()?;
    let tax_rates = read_tax_rates(&mut o, path)?;
    o.finish()?;
    Ok((prices, tax_rates))
}

/// [`read_list`] written back: `(amount, conditions)` per price, then the tax rates.
fn write_list(
    amount: &'static str,
    prices: Vec<(Decimal, Option<Value>)>,
    taxes: &[TaxRate],
) -> Value {
    let prices = prices
        .into_iter()
        .map(|(a, c)| {
            Out::default()
                .put(amount, number(a))
                .opt("conditions", c)
                .done()
        })
        .collect();
    Out::default()
        .list("prices", prices)
        .list("taxRates", taxes.iter().map(write_tax).collect())
        .done()
}

fn read_energy(v: &Value, path: &str) -> Result<TariffEnergy, Error> {
    let make = |price_kwh, conditions| EnergyPrice {
        price_kwh,
        conditions,
    };
    let (prices, tax_rates) = read_list(v, path, "priceKwh", TariffConditions::read, make)?;
    Ok(TariffEnergy { prices, tax_rates })
}

fn write_energy(t: &TariffEnergy) -> Value {
    let prices = t
        .prices
        .iter()
        .map(|p| (p.price_kwh, p.conditions.as_ref().map(|c| c.tree())));
    write_list("priceKwh", prices.collect(), &t.tax_rates)
}

fn read_time(v: &Value, path: &str) -> Result<TariffTime, Error> {
    let make = |price_minute, conditions| TimePrice {
        price_minute,
        conditions,
    };
    let (prices, tax_rates) = read_list(v, path, "priceMinute", TariffConditions::read, make)?;
    Ok(TariffTime { prices, tax_rates })
}

fn write_time(t: &TariffTime) -> Value {
    let prices = t
        .prices
        .iter()
        .map(|p| (p.price_minute, p.conditions.as_ref().map(|c| c.tree())));
    write_list("priceMinute", prices.collect(), &t.tax_rates)
}

fn read_fixed(v: &Value, path: &str) -> Result<TariffFixed, Error> {
    let make = |price_fixed, conditions| FixedPrice {
        price_fixed,
        conditions,
    };
    let (prices, tax_rates) = read_list(v, path, "priceFixed", FixedConditions::read, make)?;
    Ok(TariffFixed { prices, tax_rates })
}

fn write_fixed(t: &TariffFixed) -> Value {
    let prices = t
        .prices
        .iter()
        .map(|p| (p.price_fixed, p.conditions.as_ref().map(|c| c.tree())));
    write_list("priceFixed", prices.collect(), &t.tax_rates)
}

/// The six price lists of a tariff, for code that treats them alike (lint, explanation,
/// conversion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListKind {
    Energy,
    ChargingTime,
    IdleTime,
    FixedFee,
    ReservationTime,
    ReservationFixed,
}

impl ListKind {
    /// The JSON name of the list.
    pub(super) fn key(self) -> &'static str {
        match self {
            ListKind::Energy => "energy",
            ListKind::ChargingTime => "chargingTime",
            ListKind::IdleTime => "idleTime",
            ListKind::FixedFee => "fixedFee",
            ListKind::ReservationTime => "reservationTime",
            ListKind::ReservationFixed => "reservationFixed",
        }
    }
}

/// The conditions of one price of any list.
#[derive(Debug, Clone, Copy)]
pub(super) enum AnyConditions<'a> {
    /// Energy and time prices.
    Tariff(&'a TariffConditions),
    /// Fixed fees.
    Fixed(&'a FixedConditions),
}

impl AnyConditions<'_> {
    /// The calendar part.
    pub(super) fn calendar(&self) -> &super::condition::CalendarConditions {
        match self {
            AnyConditions::Tariff(c) => &c.calendar,
            AnyConditions::Fixed(c) => &c.calendar,
        }
    }

    /// True when no condition is set (the price always applies).
    pub(super) fn is_empty(&self) -> bool {
        match self {
            AnyConditions::Tariff(c) => **c == TariffConditions::default(),
            AnyConditions::Fixed(c) => **c == FixedConditions::default(),
        }
    }
}

/// One price of any list: its amount (per kWh, per minute or fixed) and conditions.
#[derive(Debug, Clone, Copy)]
pub(super) struct AnyPrice<'a> {
    pub amount: Decimal,
    pub conditions: Option<AnyConditions<'a>>,
}

impl AnyPrice<'_> {
    /// True when the price always applies.
    pub(super) fn unconditional(&self) -> bool {
        self.conditions.is_none_or(|c| c.is_empty())
    }
}

/// One price list of a tariff, seen uniformly.
#[derive(Debug, Clone)]
pub(super) struct AnyList<'a> {
    pub kind: ListKind,
    pub prices: Vec<AnyPrice<'a>>,
    pub tax_rates: &'a [TaxRate],
}

impl StationTariff {
    /// The price lists present, in schema order.
    pub(super) fn lists(&self) -> Vec<AnyList<'_>> {
        let mut out = Vec::new();
        if let Some(e) = &self.energy {
            out.push(AnyList {
                kind: ListKind::Energy,
                prices: e
                    .prices
                    .iter()
                    .map(|p| AnyPrice {
                        amount: p.price_kwh,
                        conditions: p.conditions.as_ref().map(AnyConditions::Tariff),
                    })
                    .collect(),
                tax_rates: &e.tax_rates,
            });
        }
        out.extend(time(ListKind::ChargingTime, &self.charging_time));
        out.extend(time(ListKind::IdleTime, &self.idle_time));
        out.extend(fixed(ListKind::FixedFee, &self.fixed_fee));
        out.extend(time(ListKind::ReservationTime, &self.reservation_time));
        out.extend(fixed(ListKind::ReservationFixed, &self.reservation_fixed));
        out
    }
}

fn time(kind: ListKind, t: &Option<TariffTime>) -> Option<AnyList<'_>> {
    t.as_ref().map(|t| AnyList {
        kind,
        prices: t
            .prices
            .iter()
            .map(|p| AnyPrice {
                amount: p.price_minute,
                conditions: p.conditions.as_ref().map(AnyConditions::Tariff),
            })
            .collect(),
        tax_rates: &t.tax_rates,
    })
}

fn fixed(kind: ListKind, t: &Option<TariffFixed>) -> Option<AnyList<'_>> {
    t.as_ref().map(|t| AnyList {
        kind,
        prices: t
            .prices
            .iter()
            .map(|p| AnyPrice {
                amount: p.price_fixed,
                conditions: p.conditions.as_ref().map(AnyConditions::Fixed),
            })
            .collect(),
        tax_rates: &t.tax_rates,
    })
}
