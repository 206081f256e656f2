//! Conversion between an OCPP 2.1 station tariff and an OCPI tariff, with everything that
//! cannot be carried over listed as a [`ConversionLoss`].
//!
//! An OCPI element's restrictions hold for all its components; an OCPP 2.1 condition belongs
//! to one price. Both pick, per dimension, the first price (element) that applies. So an
//! OCPI element becomes one 2.1 price per component, each with the element's restrictions
//! as conditions, appended to its dimension's list in element order; and each 2.1 price
//! becomes an OCPI element with one component. The first match of every dimension is
//! unchanged both ways.

use super::condition::{CalendarConditions, FixedConditions, TariffConditions};
use super::cost::try_with_taxes;
use super::model::{
    AnyConditions, EnergyPrice, FixedPrice, ListKind, MessageContent, MessageFormat, Price,
    StationTariff, TariffEnergy, TariffFixed, TariffTime, TaxRate, TimePrice,
};
use crate::enums::wire_enum;
use crate::tariff::{
    DisplayText, OcpiVersion, PriceComponent, PriceLimit, ReservationRestriction, Restrictions,
    Tariff, TariffDimension, TariffElement, TaxIncluded, Vat,
};
use crate::Error;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// What kind of information a conversion could not carry over.
    ///
    /// ```
    /// use chargekit::station_tariff::ConversionLossKind;
    /// assert_eq!(ConversionLossKind::StackedTax.as_str(), "stacked_tax");
    /// ```
    pub enum ConversionLossKind {
        /// An OCPI `step_size` above 1: OCPP 2.1 prices usage exactly.
        StepSize = "step_size",
        /// Several 2.1 tax rates folded into one OCPI VAT percentage (same total, the
        /// split per tax is lost).
        StackedTax = "stacked_tax",
        /// One 2.1 tax rate of another type than VAT, written as OCPI VAT.
        TaxType = "tax_type",
        /// OCPI components of one dimension with different VAT; 2.1 has one tax list per
        /// dimension, the first component's VAT is used.
        MixedVat = "mixed_vat",
        /// The VAT of an OCPI 2.1.1 tariff is unknown; the 2.1 list has no tax rates.
        UnknownVat = "unknown_vat",
        /// OCPI 2.3.0 prices that include tax: carried as they are, with no tax rates, so
        /// the amounts paid stay the same but the tax split is lost.
        TaxIncluded = "tax_included",
        /// An OCPI restriction with no 2.1 condition of the same meaning; the component is
        /// left out.
        RestrictionWithoutCondition = "restriction_without_condition",
        /// A 2.1 condition with no OCPI restriction of the same meaning; the price is left
        /// out.
        ConditionWithoutRestriction = "condition_without_restriction",
        /// A reservation price 2.1 cannot express (`RESERVATION_EXPIRES`, or a reservation
        /// component other than TIME or FLAT); left out.
        Reservation = "reservation",
        /// A `minCost` / `maxCost` without `exclTax`, which OCPI needs; left out.
        MinMaxPrice = "min_max_price",
        /// A description (or its language) the other side cannot hold; left out or cut.
        Description = "description",
        /// chargekit's idle fee with a grace period from the end of charging; left out.
        IdleGrace = "idle_grace",
        /// A price per hour whose price per minute is not an exact decimal; rounded to 28
        /// significant digits.
        PricePrecision = "price_precision",
        /// The OCPI `end_date_time`: 2.1 has only a start (`validFrom`).
        Validity = "validity",
        /// OCPI fields 2.1 has no place for (country, party, type, energy mix, …).
        Metadata = "metadata",
    }
}

/// One piece of information a conversion could not carry over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ConversionLoss {
    /// JSON path in the source tariff, e.g. `$.elements[1].price_components[0].step_size`.
    pub path: String,
    /// What kind of information.
    pub what: ConversionLossKind,
    /// What was lost, in plain English.
    pub detail: String,
}

#[derive(Default)]
struct Losses(Vec<ConversionLoss>);

impl Losses {
    fn add(
        &mut self,
        path: impl Into<String>,
        what: ConversionLossKind,
        detail: impl Into<String>,
    ) {
        self.0.push(ConversionLoss {
            path: path.into(),
            what,
            detail: detail.into(),
        });
    }
}

const SIXTY: Decimal = Decimal::from_parts(60, 0, 0, false, 0);
const THOUSAND: Decimal = Decimal::ONE_THOUSAND;

fn negative(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// The OCPI restrictions with the same meaning as 2.1 conditions, or the names of the
/// conditions OCPI cannot express. `start == end` (the whole day in 2.1) becomes no window.
/// Used by the explainer for the wording both share.
pub(super) fn restrictions_of(c: &TariffConditions) -> (Restrictions, Vec<&'static str>) {
    let mut r = calendar_restrictions(&c.calendar);
    let mut missing = Vec::new();
    if c.calendar.evse_kind.is_some() {
        missing.push("evseKind");
    }
    let mut bound = |name: &'static str, v: Option<Decimal>, scale: Decimal| -> Option<Decimal> {
        let v = v?;
        if negative(v) {
            missing.push(name);
            return None;
        }
        Some((v / scale).normalize())
    };
    r.min_kwh = bound("minEnergy", c.min_energy, THOUSAND);
    r.max_kwh = bound("maxEnergy", c.max_energy, THOUSAND);
    r.min_power = bound("minPower", c.min_power, THOUSAND);
    r.max_power = bound("maxPower", c.max_power, THOUSAND);
    r.min_current = bound("minCurrent", c.min_current, Decimal::ONE);
    r.max_current = bound("maxCurrent", c.max_current, Decimal::ONE);
    r.min_duration = c.min_time;
    r.max_duration = c.max_time;
    for (set, name) in [
        (c.min_charging_time.is_some(), "minChargingTime"),
        (c.max_charging_time.is_some(), "maxChargingTime"),
        (c.min_idle_time.is_some(), "minIdleTime"),
        (c.max_idle_time.is_some(), "maxIdleTime"),
    ] {
        if set {
            missing.push(name);
        }
    }
    (r, missing)
}

/// The OCPI restrictions of a 2.1 calendar condition (`start == end` becomes no window).
pub(super) fn calendar_restrictions(c: &CalendarConditions) -> Restrictions {
    let (start_time, end_time) = match (c.start_time_of_day, c.end_time_of_day) {
        (Some(s), Some(e)) if s == e => (None, None),
        other => other,
    };
    Restrictions {
        start_time,
        end_time,
        start_date: c.valid_from_date,
        end_date: c.valid_to_date,
        day_of_week: c.day_of_week.clone(),
        ..Restrictions::default()
    }
}

/// The 2.1 conditions of OCPI restrictions (reservation aside), or why they cannot be
/// expressed.
fn conditions_of(r: &Restrictions) -> Result<TariffConditions, String> {
    if let (Some(s), Some(e)) = (r.start_time, r.end_time) {
        if s == e && !s.is_midnight() {
            return Err(format!(
                "start_time {s} equals end_time: an empty window in chargekit's OCPI reading, the whole day in OCPP 2.1"
            ));
        }
    }
    for (name, v) in [
        ("min_kwh", r.min_kwh),
        ("max_kwh", r.max_kwh),
        ("min_power", r.min_power),
        ("max_power", r.max_power),
        ("min_current", r.min_current),
        ("max_current", r.max_current),
    ] {
        if v.is_some_and(negative) {
            return Err(format!(
                "{name} is negative: OCPP 2.1 counts negative bounds from zero outward, OCPI does not"
            ));
        }
    }
    let (start, end) = match (r.start_time, r.end_time) {
        (Some(s), Some(e)) if s == e => (None, None),
        other => other,
    };
    Ok(TariffConditions {
        calendar: CalendarConditions {
            start_time_of_day: start,
            end_time_of_day: end,
            day_of_week: r.day_of_week.clone(),
            valid_from_date: r.start_date,
            valid_to_date: r.end_date,
            evse_kind: None,
        },
        min_energy: times(r.min_kwh, THOUSAND, "min_kwh")?,
        max_energy: times(r.max_kwh, THOUSAND, "max_kwh")?,
        min_current: r.min_current,
        max_current: r.max_current,
        min_power: times(r.min_power, THOUSAND, "min_power")?,
        max_power: times(r.max_power, THOUSAND, "max_power")?,
        min_time: r.min_duration,
        max_time: r.max_duration,
        ..TariffConditions::default()
    })
}

/// `v × by`, or why it is too large for a 2.1 tariff (beyond `limits::MAX_QUANTITY`, which
/// the 2.1 reader refuses too).
fn times(v: Option<Decimal>, by: Decimal, name: &str) -> Result<Option<Decimal>, String> {
    v.map(|v| {
        v.checked_mul(by)
            .filter(|d| crate::limits::quantity_in_range(*d))
            .map(|d| d.normalize())
            .ok_or_else(|| format!("{name} {v} is too large to convert"))
    })
    .transpose()
}

fn optional<T: Default + PartialEq>(c: T) -> Option<T> {
    (c != T::default()).then_some(c)
}

/// Prices and taxes of one 2.1 list being built from OCPI.
struct Building<P> {
    prices: Vec<P>,
    vat: Option<Vat>,
}

impl<P> Default for Building<P> {
    fn default() -> Self {
        Building {
            prices: Vec::new(),
            vat: None,
        }
    }
}

impl<P> Building<P> {
    fn push(&mut self, price: P, vat: Vat, path: &str, key: &str, loss: &mut Losses) {
        match self.vat {
            None => {
                if vat == Vat::Unknown {
                    loss.add(
                        path,
                        ConversionLossKind::UnknownVat,
                        format!("the VAT of {key} is unknown (OCPI 2.1.1): no tax rates"),
                    );
                }
                self.vat = Some(vat);
            }
            Some(first) if first != vat => loss.add(
                path,
                ConversionLossKind::MixedVat,
                format!("{key} has one tax list in OCPP 2.1: {vat:?} replaced by the first component's {first:?}"),
            ),
            Some(_) => {}
        }
        self.prices.push(price);
    }

    fn taxes(&self, gross: bool) -> Vec<TaxRate> {
        match (self.vat, gross) {
            (Some(Vat::Rate(r)), false) => vec![TaxRate {
                kind: "VAT".into(),
                percent: r,
                stack: 0,
            }],
            _ => Vec::new(),
        }
    }
}

impl StationTariff {
    /// Converts an OCPI tariff to an OCPP 2.1 station tariff, listing everything that could
    /// not be carried over (see `docs/station-tariffs.md` for the mapping).
    ///
    /// ```
    /// use chargekit::station_tariff::StationTariff;
    /// use chargekit::tariff::Tariff;
    /// let ocpi = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T1","currency":"EUR",
    ///   "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"vat":21,"step_size":1},
    ///                                    {"type":"TIME","price":1.20,"vat":21,"step_size":60}],
    ///                "restrictions":{"start_time":"08:00","end_time":"20:00"}},
    ///               {"price_components":[{"type":"ENERGY","price":0.25,"vat":21,"step_size":1}]}],
    ///   "last_updated":"2026-01-01T00:00:00Z"}"#).unwrap();
    /// let (t, losses) = StationTariff::from_ocpi(&ocpi);
    /// let energy = t.energy.as_ref().unwrap();
    /// assert_eq!(energy.prices.len(), 2);
    /// assert_eq!(t.charging_time.as_ref().unwrap().prices[0].price_minute.to_string(), "0.02");
    /// // The step of 60 s, the country, party and last update have no place in OCPP 2.1.
    /// assert!(losses.iter().any(|l| l.path == "$.elements[0].price_components[1].step_size"));
    /// ```
    pub fn from_ocpi(tariff: &Tariff) -> (StationTariff, Vec<ConversionLoss>) {
        from_ocpi(tariff)
    }

    /// Converts the tariff to OCPI (`version` 2.2.1 or 2.3.0; 2.1.1, which chargekit only
    /// reads, gives 2.2.1), listing everything that could not be carried over. Write the
    /// result with [`Tariff::to_ocpi`]. Fails with `no_tariff_elements` when no price can be
    /// carried over.
    ///
    /// ```
    /// use chargekit::station_tariff::{ConversionLossKind, StationTariff};
    /// use chargekit::tariff::{OcpiVersion, TariffDimension, Vat};
    /// let t = StationTariff::from_json(r#"{"tariffId":"T","currency":"EUR",
    ///   "energy":{"prices":[{"priceKwh":0.30}],
    ///     "taxRates":[{"type":"VAT","tax":19},{"type":"Levy","tax":10,"stack":1}]},
    ///   "chargingTime":{"prices":[{"priceMinute":0.05}]}}"#).unwrap();
    /// let (ocpi, losses) = t.to_ocpi(OcpiVersion::V221).unwrap();
    /// let energy = &ocpi.elements[0].price_components[0];
    /// // 1.19 × 1.10 = 1.309: one VAT of 30.9 % gives the same gross price.
    /// assert_eq!(energy.vat, Vat::Rate("30.9".parse().unwrap()));
    /// assert_eq!(losses[0].what, ConversionLossKind::StackedTax);
    /// assert_eq!(ocpi.elements[1].price_components[0].dimension, TariffDimension::Time);
    /// assert_eq!(ocpi.elements[1].price_components[0].price.to_string(), "3.00");
    /// ```
    pub fn to_ocpi(&self, version: OcpiVersion) -> Result<(Tariff, Vec<ConversionLoss>), Error> {
        to_ocpi(self, version)
    }
}

fn from_ocpi(t: &Tariff) -> (StationTariff, Vec<ConversionLoss>) {
    use ConversionLossKind as K;
    let mut loss = Losses::default();
    let gross = t.tax_included == Some(TaxIncluded::Yes);
    if gross {
        loss.add(
            "$.tax_included",
            K::TaxIncluded,
            "prices include tax: carried as they are, without tax rates",
        );
    }
    let mut energy: Building<EnergyPrice> = Building::default();
    let mut charging: Building<TimePrice> = Building::default();
    let mut idle: Building<TimePrice> = Building::default();
    let mut fixed: Building<FixedPrice> = Building::default();
    let mut res_time: Building<TimePrice> = Building::default();
    let mut res_fixed: Building<FixedPrice> = Building::default();
    for (i, e) in t.elements.iter().enumerate() {
        let epath = format!("$.elements[{i}]");
        let r = &e.restrictions;
        if r.reservation == Some(ReservationRestriction::ReservationExpires) {
            loss.add(
                format!("{epath}.restrictions.reservation"),
                K::Reservation,
                "OCPP 2.1 cannot price an expired reservation: the element is left out",
            );
            continue;
        }
        let conditions = match conditions_of(r) {
            Ok(c) => c,
            Err(why) => {
                loss.add(
                    format!("{epath}.restrictions"),
                    K::RestrictionWithoutCondition,
                    format!("{why}: the element is left out"),
                );
                continue;
            }
        };
        let reservation = r.reservation.is_some();
        for (j, c) in e.price_components.iter().enumerate() {
            let cpath = format!("{epath}.price_components[{j}]");
            if c.step_size > 1 && c.dimension != TariffDimension::Flat {
                loss.add(
                    format!("{cpath}.step_size"),
                    K::StepSize,
                    format!(
                        "step_size {}: OCPP 2.1 prices usage exactly, without steps",
                        c.step_size
                    ),
                );
            }
            let per_minute = |loss: &mut Losses| {
                let m = c.price / SIXTY;
                if m.checked_mul(SIXTY) != Some(c.price) {
                    loss.add(
                        format!("{cpath}.price"),
                        K::PricePrecision,
                        format!(
                            "{} per hour is no exact price per minute; {} per minute is used",
                            c.price, m
                        ),
                    );
                }
                m.normalize()
            };
            let time_price = |loss: &mut Losses| TimePrice {
                price_minute: per_minute(loss),
                conditions: optional(conditions.clone()),
            };
            let fixed_price = |loss: &mut Losses| {
                let fixed_part = TariffConditions {
                    calendar: CalendarConditions::default(),
                    ..conditions.clone()
                };
                if fixed_part != TariffConditions::default() {
                    loss.add(
                        format!("{epath}.restrictions"),
                        K::RestrictionWithoutCondition,
                        "a fixed fee in OCPP 2.1 has only calendar and payment conditions: the FLAT component under energy, power, current or duration restrictions is left out",
                    );
                    return None;
                }
                Some(FixedPrice {
                    price_fixed: c.price,
                    conditions: optional(FixedConditions {
                        calendar: conditions.calendar.clone(),
                        ..FixedConditions::default()
                    }),
                })
            };
            match (reservation, c.dimension) {
                (false, TariffDimension::Energy) => energy.push(
                    EnergyPrice {
                        price_kwh: c.price,
                        conditions: optional(conditions.clone()),
                    },
                    c.vat,
                    &cpath,
                    "energy",
                    &mut loss,
                ),
                (false, TariffDimension::Time) => {
                    let p = time_price(&mut loss);
                    charging.push(p, c.vat, &cpath, "chargingTime", &mut loss);
                }
                (false, TariffDimension::ParkingTime) => {
                    let p = time_price(&mut loss);
                    idle.push(p, c.vat, &cpath, "idleTime", &mut loss);
                }
                (false, TariffDimension::Flat) => {
                    if let Some(p) = fixed_price(&mut loss) {
                        fixed.push(p, c.vat, &cpath, "fixedFee", &mut loss);
                    }
                }
                (true, TariffDimension::Time) => {
                    let p = time_price(&mut loss);
                    res_time.push(p, c.vat, &cpath, "reservationTime", &mut loss);
                }
                (true, TariffDimension::Flat) => {
                    if let Some(p) = fixed_price(&mut loss) {
                        res_fixed.push(p, c.vat, &cpath, "reservationFixed", &mut loss);
                    }
                }
                (true, d) => loss.add(
                    cpath.clone(),
                    K::Reservation,
                    format!("a reservation is priced by time and a fixed fee only: the {d} component is left out"),
                ),
            }
        }
    }
    let time = |b: Building<TimePrice>| {
        (!b.prices.is_empty()).then(|| TariffTime {
            tax_rates: b.taxes(gross),
            prices: b.prices,
        })
    };
    let fixed_list = |b: Building<FixedPrice>| {
        (!b.prices.is_empty()).then(|| TariffFixed {
            tax_rates: b.taxes(gross),
            prices: b.prices,
        })
    };
    let limit = |p: &Option<PriceLimit>| {
        p.map(|p| Price {
            excl_tax: Some(p.excl_vat),
            incl_tax: p.incl_vat,
            tax_rates: Vec::new(),
        })
    };
    let mut tariff_id = t.id.clone();
    if tariff_id.chars().count() > 60 {
        tariff_id = tariff_id.chars().take(60).collect();
        loss.add(
            "$.id",
            K::Metadata,
            "the id is longer than the 60 characters of tariffId: cut",
        );
    }
    let description = descriptions_from_ocpi(t, &mut loss);
    let metadata: [(&str, bool); 6] = [
        ("country_code", t.country_code.is_some()),
        ("party_id", t.party_id.is_some()),
        ("type", t.tariff_type.is_some()),
        ("energy_mix", t.energy_mix.is_some()),
        ("last_updated", t.last_updated.is_some()),
        ("preauthorize_amount", t.preauthorize_amount.is_some()),
    ];
    for (name, set) in metadata {
        if set {
            loss.add(
                format!("$.{name}"),
                K::Metadata,
                format!("OCPP 2.1 has no {name}"),
            );
        }
    }
    if let Some(e) = t.end_date_time {
        loss.add(
            "$.end_date_time",
            K::Validity,
            format!("OCPP 2.1 has no end of validity; the tariff no longer ended at {e}"),
        );
    }
    if t.idle_fee.is_some() {
        loss.add(
            "$.idle_fee",
            K::IdleGrace,
            "chargekit's idle fee counts from the end of charging: no OCPP 2.1 equivalent, left out",
        );
    }
    let out = StationTariff {
        tariff_id,
        description,
        currency: t.currency,
        energy: (!energy.prices.is_empty()).then(|| TariffEnergy {
            tax_rates: energy.taxes(gross),
            prices: energy.prices,
        }),
        valid_from: t.start_date_time,
        charging_time: time(charging),
        idle_time: time(idle),
        fixed_fee: fixed_list(fixed),
        reservation_time: time(res_time),
        reservation_fixed: fixed_list(res_fixed),
        min_cost: limit(&t.min_price),
        max_cost: limit(&t.max_price),
    };
    (out, loss.0)
}

fn descriptions_from_ocpi(t: &Tariff, loss: &mut Losses) -> Vec<MessageContent> {
    let mut out = Vec::new();
    let mut texts: Vec<(String, MessageContent)> = t
        .alt_text
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                format!("$.tariff_alt_text[{i}]"),
                MessageContent {
                    format: MessageFormat::Utf8,
                    language: Some(d.language.clone()),
                    content: d.text.clone(),
                },
            )
        })
        .collect();
    if let Some(u) = &t.alt_url {
        texts.push((
            "$.tariff_alt_url".into(),
            MessageContent {
                format: MessageFormat::Uri,
                language: None,
                content: u.clone(),
            },
        ));
    }
    for (path, mut m) in texts {
        if out.len() == 10 {
            loss.add(
                path,
                ConversionLossKind::Description,
                "OCPP 2.1 holds at most 10 descriptions: left out",
            );
            continue;
        }
        if m.language.as_ref().is_some_and(|l| l.chars().count() > 8) {
            loss.add(
                format!("{path}.language"),
                ConversionLossKind::Description,
                "a language code longer than 8 characters: left out",
            );
            m.language = None;
        }
        if m.content.chars().count() > 1024 {
            loss.add(
                path.clone(),
                ConversionLossKind::Description,
                "a description longer than 1024 characters: cut",
            );
            m.content = m.content.chars().take(1024).collect();
        }
        out.push(m);
    }
    out
}

/// The one OCPI VAT of a 2.1 tax list.
fn vat_of(rates: &[TaxRate], path: &str, loss: &mut Losses) -> Vat {
    match rates {
        [] => Vat::NotApplicable,
        [one] => {
            if !one.kind.eq_ignore_ascii_case("VAT") {
                loss.add(
                    format!("{path}.taxRates[0]"),
                    ConversionLossKind::TaxType,
                    format!("the tax {} is written as OCPI VAT", one.kind),
                );
            }
            Vat::Rate(one.percent)
        }
        many => {
            let hundred = Decimal::ONE_HUNDRED;
            let rate = try_with_taxes(hundred, many)
                .and_then(|g| g.checked_sub(hundred))
                .unwrap_or(Decimal::MAX)
                .normalize();
            let names: Vec<String> = many
                .iter()
                .map(|r| format!("{} {}% (stack {})", r.kind, r.percent.normalize(), r.stack))
                .collect();
            loss.add(
                format!("{path}.taxRates"),
                ConversionLossKind::StackedTax,
                format!(
                    "{} folded into one VAT of {rate}%: the same gross price, without the split per tax",
                    names.join(", ")
                ),
            );
            Vat::Rate(rate)
        }
    }
}

fn to_ocpi(
    t: &StationTariff,
    version: OcpiVersion,
) -> Result<(Tariff, Vec<ConversionLoss>), Error> {
    use ConversionLossKind as K;
    let version = match version {
        OcpiVersion::V211 => OcpiVersion::V221,
        v => v,
    };
    let mut loss = Losses::default();
    let mut elements = Vec::new();
    for list in t.lists() {
        let key = list.kind.key();
        let (dimension, reservation, per_hour) = match list.kind {
            ListKind::Energy => (TariffDimension::Energy, false, false),
            ListKind::ChargingTime => (TariffDimension::Time, false, true),
            ListKind::IdleTime => (TariffDimension::ParkingTime, false, true),
            ListKind::FixedFee => (TariffDimension::Flat, false, false),
            ListKind::ReservationTime => (TariffDimension::Time, true, true),
            ListKind::ReservationFixed => (TariffDimension::Flat, true, false),
        };
        let vat = vat_of(list.tax_rates, &format!("$.{key}"), &mut loss);
        for (i, p) in list.prices.iter().enumerate() {
            let path = format!("$.{key}.prices[{i}]");
            let (mut restrictions, missing) = match p.conditions {
                None => (Restrictions::default(), Vec::new()),
                Some(AnyConditions::Tariff(c)) => restrictions_of(c),
                Some(AnyConditions::Fixed(c)) => {
                    let mut missing = Vec::new();
                    if c.calendar.evse_kind.is_some() {
                        missing.push("evseKind");
                    }
                    if c.payment_brand.is_some() {
                        missing.push("paymentBrand");
                    }
                    if c.payment_recognition.is_some() {
                        missing.push("paymentRecognition");
                    }
                    (calendar_restrictions(&c.calendar), missing)
                }
            };
            if !missing.is_empty() {
                loss.add(
                    format!("{path}.conditions"),
                    K::ConditionWithoutRestriction,
                    format!(
                        "OCPI has no restriction for {}: the price is left out",
                        missing.join(", ")
                    ),
                );
                continue;
            }
            if reservation {
                restrictions.reservation = Some(ReservationRestriction::Reservation);
            }
            let price = if per_hour {
                match p
                    .amount
                    .checked_mul(SIXTY)
                    .filter(|h| crate::limits::quantity_in_range(*h))
                {
                    Some(h) => h,
                    None => {
                        loss.add(
                            path,
                            K::PricePrecision,
                            "the price per hour is beyond limits::MAX_QUANTITY: the price is left out",
                        );
                        continue;
                    }
                }
            } else {
                p.amount
            };
            elements.push(TariffElement {
                price_components: vec![PriceComponent {
                    dimension,
                    price,
                    vat,
                    step_size: 1,
                }],
                restrictions,
            });
        }
    }
    if elements.is_empty() {
        return Err(Error::NoTariffElements);
    }
    let mut limit = |key: &str, p: &Option<Price>| -> Option<PriceLimit> {
        let p = p.as_ref()?;
        let Some(excl) = p.excl_tax else {
            loss.add(
                format!("$.{key}"),
                K::MinMaxPrice,
                format!("{key} states no exclTax, which OCPI needs: left out"),
            );
            return None;
        };
        let incl = p.incl_tax.or_else(|| {
            (!p.tax_rates.is_empty())
                .then(|| try_with_taxes(excl, &p.tax_rates))
                .flatten()
                .map(|d| d.normalize())
        });
        Some(PriceLimit {
            excl_vat: excl,
            incl_vat: incl,
        })
    };
    let min_price = limit("minCost", &t.min_cost);
    let max_price = limit("maxCost", &t.max_cost);
    let mut alt_text = Vec::new();
    let mut alt_url = None;
    for (i, m) in t.description.iter().enumerate() {
        let path = format!("$.description[{i}]");
        match (m.format, &m.language) {
            (MessageFormat::Uri, _) if alt_url.is_none() => alt_url = Some(m.content.clone()),
            (MessageFormat::Utf8 | MessageFormat::Ascii, Some(lang)) => {
                alt_text.push(DisplayText {
                    language: lang.clone(),
                    text: m.content.clone(),
                })
            }
            (MessageFormat::Utf8 | MessageFormat::Ascii, None) => loss.add(
                path,
                K::Description,
                "OCPI needs the language of a description: left out",
            ),
            (f, _) => loss.add(
                path,
                K::Description,
                format!("OCPI has no place for a {f} description: left out"),
            ),
        }
    }
    let tariff = Tariff {
        version,
        country_code: None,
        party_id: None,
        id: t.tariff_id.clone(),
        currency: t.currency,
        tariff_type: None,
        alt_text,
        alt_url,
        min_price,
        max_price,
        elements,
        start_date_time: t.valid_from,
        end_date_time: None,
        energy_mix: None,
        last_updated: None,
        tax_included: (version == OcpiVersion::V230).then_some(TaxIncluded::No),
        preauthorize_amount: None,
        idle_fee: None,
    };
    Ok((tariff, loss.0))
}
