//! Billing: pricing OCPI CDRs and chargekit sessions against tariffs, with a full
//! breakdown, named policies for every ambiguity, and invoices.
//!
//! Owns: pricing CDRs and sessions ([`PriceResult`], [`Breakdown`]), live prices and invoices.
//! Imports: `tariff`, `session`, `meter`, `calendar` and the foundation.
//!
//! * [`price_cdr`] prices an OCPI 2.1.1 / 2.2.1 / 2.3.0 CDR (JSON) against one or more
//!   tariffs and fills its cost fields ([`PriceResult::to_ocpi`]).
//! * [`price_session`] prices a chargekit [`Session`](crate::session::Session) directly,
//!   cutting periods exactly at every price boundary; [`price_live`] gives the cost so
//!   far of a running session.
//! * [`PricingPolicy`] names each choice OCPI leaves open; [`RoundingPolicy`] rounds money.
//! * [`Invoice`] turns a priced session into lines, VAT per rate, text and HTML.
//!
//! **The totals invariant** (`docs/tariffs.md` §2): before rounding, each category total is
//! the sum of its [`Line`]s, [`Breakdown::exact_total`] the sum of all lines,
//! [`Breakdown::clamp`] (present exactly when `min_price` / `max_price` moved the total)
//! goes from `exact_total` to its bound, and `total_cost` is that amount, negated for a
//! credit CDR while the category totals keep their sign. Export credits (V2X) are added
//! after the clamp.
//!
//! # Binding map
//!
//! The Python API maps one to one onto this module (Kotlin/Swift likewise):
//!
//! | Python | Rust |
//! |---|---|
//! | `chargekit.ocpi.price_cdr(cdr, tariffs, *, timezone=None, policy=None)` | [`price_cdr`] (text) or [`price_cdr_value`] (dict); tariffs via [`tariffs_from_json`] / [`Tariff::from_value`]; policy via [`PricingPolicy::from_value`] (`None` → default) |
//! | `result.total_cost.excl_vat` / `.incl_vat` | [`PriceResult::total_cost`] ([`Price`]; `incl_vat` equals `excl_vat` where no VAT applies and is `None` only where the VAT is unknown, as for OCPI 2.1.1 tariffs) |
//! | `result.total_energy_cost` … `total_reservation_cost` | [`PriceResult::energy_cost`], [`PriceResult::time_cost`], [`PriceResult::parking_cost`], [`PriceResult::fixed_cost`], [`PriceResult::reservation_cost`] (zero when not priced; the `Option` fields say whether it was) |
//! | `result.breakdown` | [`PriceResult::breakdown`] (serde); `result.priced`: [`PriceResult::priced`] |
//! | `result.to_ocpi()` | [`PriceResult::to_ocpi`] |
//! | `Session.price(tariff, timezone=…, policy=…)` | [`price_session`] with [`parse_timezone`]; live: [`price_live`] (both through [`crate::boundary::pricing`]) |
//! | `Tariff.lint()` / `Tariff.explain()` | [`Tariff::lint`] / [`Tariff::explain`] (`.text`, `.markdown`) |
//! | `Invoice.to_text()` / `.to_html()` | [`Invoice::from_result`], [`Invoice::to_text`], [`Invoice::to_html`], [`Invoice::to_json`], [`Invoice::credit_note`] |
//!
//! ```
//! use chargekit::billing::{price_cdr, PricingPolicy};
//! use chargekit::tariff::Tariff;
//! let tariff = Tariff::from_json(r#"{"country_code":"NL","party_id":"ABC","id":"T1","currency":"EUR",
//!   "elements":[{"price_components":[{"type":"FLAT","price":0.50,"vat":20,"step_size":1},
//!                                    {"type":"ENERGY","price":0.25,"vat":10,"step_size":100}]}],
//!   "last_updated":"2026-01-01T00:00:00Z"}"#).unwrap();
//! let cdr = r#"{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
//!   "currency":"EUR","cdr_location":{"country":"NLD"},
//!   "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z",
//!     "dimensions":[{"type":"ENERGY","volume":20.45}]}],
//!   "total_energy":20.45,"total_time":1,"total_cost":{"excl_vat":0}}"#;
//! let r = price_cdr(cdr, &[tariff], None, &PricingPolicy::default()).unwrap();
//! assert_eq!(r.total_cost.excl_vat.to_string(), "5.63");
//! assert_eq!(r.total_cost.incl_vat.unwrap().to_string(), "6.24");
//! let energy = r.total_energy_cost.unwrap();
//! assert_eq!(energy.excl_vat.to_string(), "5.13");
//! assert_eq!(r.to_ocpi()["total_cost"]["excl_vat"].to_string(), "5.63");
//! ```

mod cdr;
mod cdr_json;
mod engine;
mod invoice;
mod session;
mod simulate;
mod tz;

pub use crate::tariff::{
    CdrHours, DateTimeSpan, ElapsedFrom, EqualTimes, ExportPricing, FlatPolicy, IdleFeeExport,
    LegacyTimes, MidnightEnd, MissingMeasurement, ParkingDefinition, PeriodSplit, PricingPolicy,
    ReservationPricing, Rounding, RoundingMode, RoundingPolicy, StepSizeMode, TariffSwitch,
    TimeSource, WeekdayOf,
};
pub use cdr::{parse_cdr, ParsedCdr};
pub use engine::price_input;
pub(crate) use engine::{find_component, snapshot_at, Scope};
pub use invoice::{Invoice, InvoiceKind, InvoiceLine, LineKind, VatSummary};
pub(crate) use session::{crossings, current_series_by, instant_of_energy, power_series};
pub use session::{price_boundaries, price_live, price_session, session_input, LivePrice};
pub use simulate::{price_quote, Quote};
pub(crate) use simulate::{time_boundaries, CalendarEdges};
pub use tz::timezone_for_country;

use crate::enums::wire_enum;
use crate::tariff::{Currency, OcpiVersion, Tariff, TariffDimension, Vat};
use crate::Error;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An amount excluding and including VAT, and the VAT itself (`incl_vat - excl_vat`,
/// stored when the price is built).
///
/// The gross amount follows [`Vat::apply`] for every part of the amount: the VAT rate
/// added where a rate is stated (0 % included), the net amount unchanged where no VAT
/// applies (an OCPI 2.2.1 / 2.3.0 component without `vat`), so `incl_vat == excl_vat` and
/// `vat == 0` for an amount no VAT applies to. `incl_vat` and `vat` are `None` only when
/// the VAT of some part is unknown (OCPI 2.1.1 tariffs state none); a sum with such a
/// part is unknown too.
///
/// ```
/// use chargekit::billing::Price;
/// use chargekit::tariff::Vat;
/// use rust_decimal::Decimal;
/// let p = Price::new(Decimal::from(2), Some(Decimal::new(242, 2)));
/// assert_eq!(p.vat, Some(Decimal::new(42, 2)));
/// assert_eq!((p + p).excl_vat, Decimal::from(4));
/// assert_eq!((-p).incl_vat, Some(Decimal::new(-242, 2)));
/// // 3 net without VAT: 3 gross; with an unknown VAT: no gross at all.
/// let none = Price::with_vat(Decimal::from(3), Vat::NotApplicable);
/// assert_eq!((none.incl_vat, none.vat), (Some(Decimal::from(3)), Some(Decimal::ZERO)));
/// assert_eq!((p + Price::with_vat(Decimal::ONE, Vat::Unknown)).incl_vat, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(from = "PriceAmounts")]
pub struct Price {
    /// Excluding VAT.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub excl_vat: Decimal,
    /// Including VAT: equal to `excl_vat` where no VAT applies, `None` only where the
    /// VAT is unknown.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub incl_vat: Option<Decimal>,
    /// The VAT amount: 0 where no VAT applies, `None` only where it is unknown.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub vat: Option<Decimal>,
}

/// The serde input of a [`Price`]: its VAT is derived, not read.
#[derive(Deserialize)]
struct PriceAmounts {
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    excl_vat: Decimal,
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    incl_vat: Option<Decimal>,
}

impl From<PriceAmounts> for Price {
    fn from(p: PriceAmounts) -> Self {
        Price::new(p.excl_vat, p.incl_vat)
    }
}

impl Price {
    /// Zero, with a known (zero) VAT.
    pub const ZERO: Price = Price {
        excl_vat: Decimal::ZERO,
        incl_vat: Some(Decimal::ZERO),
        vat: Some(Decimal::ZERO),
    };

    /// A price; its VAT is `incl_vat - excl_vat`.
    pub fn new(excl_vat: Decimal, incl_vat: Option<Decimal>) -> Self {
        Price {
            excl_vat,
            incl_vat,
            vat: incl_vat.map(|i| i - excl_vat),
        }
    }

    /// A net amount under one VAT, its gross amount by [`Vat::apply`]: the net amount
    /// itself when no VAT applies, `None` when the VAT is unknown.
    pub fn with_vat(excl_vat: Decimal, vat: Vat) -> Self {
        Price::new(excl_vat, vat.apply(excl_vat))
    }

    pub(crate) fn map(self, f: impl Fn(Decimal) -> Decimal) -> Price {
        Price::new(f(self.excl_vat), self.incl_vat.map(f))
    }
}

impl std::ops::Add for Price {
    type Output = Price;
    fn add(self, o: Price) -> Price {
        Price::new(
            self.excl_vat + o.excl_vat,
            self.incl_vat.zip(o.incl_vat).map(|(a, b)| a + b),
        )
    }
}

impl std::ops::Neg for Price {
    type Output = Price;
    fn neg(self) -> Price {
        self.map(|d| -d)
    }
}

wire_enum! {
    /// Which CDR total a priced line counts toward.
    pub enum CostCategory {
        /// `total_energy_cost`.
        Energy = "energy",
        /// `total_time_cost` (charging time).
        Time = "time",
        /// `total_parking_cost` (parking time, and FLAT of parking-only elements).
        Parking = "parking",
        /// `total_fixed_cost` (FLAT, except parking and reservation FLAT).
        Fixed = "fixed",
        /// `total_reservation_cost` (reservation time and fees).
        Reservation = "reservation",
        /// A chargekit idle fee (counted in `total_parking_cost` in OCPI output).
        IdleFee = "idle_fee",
        /// A credit for energy the EV fed back (V2X), priced by the policy's
        /// [`ExportPricing`]: not an OCPI total, counted in `total_cost` only.
        EnergyExport = "energy_export",
    }
}

wire_enum! {
    /// The unit of a line's quantity, named as written on a receipt.
    pub enum QuantityUnit {
        /// Kilowatt-hours.
        Kwh = "kWh",
        /// Hours.
        Hour = "h",
        /// Once per session.
        Session = "session",
    }
}

/// One priced line: a dimension in a period, with the component that priced it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "PricedLine"))]
pub struct Line {
    /// Index of the period (in time order).
    pub period: u64,
    /// Period start.
    pub start: DateTime<Utc>,
    /// Period end.
    pub end: DateTime<Utc>,
    /// The CDR total it counts toward.
    pub category: CostCategory,
    /// The tariff dimension of the component.
    pub dimension: TariffDimension,
    /// The tariff that priced it.
    pub tariff_id: String,
    /// Index of the element in that tariff (`None` for chargekit idle fees).
    pub element: Option<u64>,
    /// Why the element applied: each restriction that held, or "no restrictions".
    pub reason: Vec<String>,
    /// The unit of the quantities.
    pub unit: QuantityUnit,
    /// Quantity consumed (kWh, hours, or 1 for FLAT).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub volume: Decimal,
    /// Quantity billed after step rounding.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub billed_volume: Decimal,
    /// The step size applied, in Wh or s (0: none).
    pub step_size: u32,
    /// Price per unit as the tariff states it.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub unit_price: Decimal,
    /// The component's VAT.
    pub vat: Vat,
    /// The amount (rounded only under a per-line rounding policy).
    pub cost: Price,
}

/// The VAT most of the charges' net amount bears: the VAT whose lines (export credits
/// left out: the tariff's min/max price bounds its charges only) add up to the largest
/// net amount (the first of equals in line order); `None` without such lines. A min/max
/// price adjustment the tariff states no gross amount for carries this VAT, in the total
/// and on an invoice alike.
pub(crate) fn main_vat(lines: &[Line]) -> Option<Vat> {
    let mut by_vat: Vec<(Vat, Decimal)> = Vec::new();
    for l in lines
        .iter()
        .filter(|l| l.category != CostCategory::EnergyExport)
    {
        match by_vat.iter_mut().find(|(v, _)| *v == l.vat) {
            Some((_, net)) => *net += l.cost.excl_vat,
            None => by_vat.push((l.vat, l.cost.excl_vat)),
        }
    }
    let mut main: Option<(Vat, Decimal)> = None;
    for (vat, net) in by_vat {
        if main.is_none_or(|(_, most)| net > most) {
            main = Some((vat, net));
        }
    }
    main.map(|(vat, _)| vat)
}

/// A step-size rounding that added (or removed) quantity to a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StepAdjustment {
    /// The group rounded: `energy`, `time`, `parking` or `reservation`.
    pub group: String,
    /// The index of the line that took the difference.
    pub line: u64,
    /// Billable quantity before (kWh or h).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub before: Decimal,
    /// After (kWh or h).
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub after: Decimal,
    /// The step (Wh or s).
    pub step_size: u32,
}

/// Something the pricer noticed; the result is still usable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case", tag = "id")]
pub enum PricingNote {
    /// The total was raised to the tariff's `min_price`.
    TotalCostClampedToMin,
    /// The total was lowered to the tariff's `max_price`.
    TotalCostClampedToMax,
    /// No period states TIME or PARKING_TIME while the tariff prices time: time is not billed.
    PeriodsStateNoTime,
    /// Some period starts outside the CDR's start/end.
    PeriodsOutsideStartEndDateTime,
    /// Reservation elements were skipped (policy `reservation: skip`).
    ReservationElementSkipped,
    /// A period crosses a price boundary; it was priced at its start state.
    PeriodSpansPriceChange {
        /// The index of the period.
        period: u64,
    },
    /// `tax_included = YES` without a VAT rate: the net amount could not be derived.
    TaxIncludedWithoutRate,
    /// A negative volume was priced as stated (`allow_negative_usage: true`).
    NegativeVolume {
        /// The volume.
        #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
        volume: Decimal,
        /// JSON path.
        path: String,
    },
    /// A CDR dimension type OCPI does not define was ignored.
    UnknownDimension {
        /// As written.
        value: String,
        /// JSON path.
        path: String,
    },
    /// The time zone was inferred from the location's country.
    TimezoneInferred {
        /// The zone used.
        timezone: String,
    },
    /// The tariff is not valid at the session start but was the only candidate.
    TariffNotValidAtStart {
        /// Tariff id.
        tariff_id: String,
    },
    /// A chargekit idle fee reached its per-session cap.
    IdleFeeCapped,
    /// Export credits exceeded the charges and the policy does not allow a negative
    /// total (`allow_negative_total: false`): the net total was raised to zero.
    TotalCostClampedToZero,
    /// Energy was fed back when the policy's export price series had no price yet (before
    /// its first point): that energy is not credited.
    ExportPriceMissing {
        /// The index of the period.
        period: u64,
    },
}

impl PricingNote {
    /// The stable identifier (matching ocpi-tariffs' warning ids where they exist).
    pub fn id(&self) -> &'static str {
        match self {
            PricingNote::TotalCostClampedToMin => "total_cost_clamped_to_min",
            PricingNote::TotalCostClampedToMax => "total_cost_clamped_to_max",
            PricingNote::PeriodsStateNoTime => "periods_state_no_time",
            PricingNote::PeriodsOutsideStartEndDateTime => "periods_outside_start_end_date_time",
            PricingNote::ReservationElementSkipped => "reservation_element_skipped",
            PricingNote::PeriodSpansPriceChange { .. } => "period_spans_price_change",
            PricingNote::TaxIncludedWithoutRate => "tax_included_without_rate",
            PricingNote::UnknownDimension { .. } => "unknown_dimension",
            PricingNote::NegativeVolume { .. } => "negative_volume",
            PricingNote::TimezoneInferred { .. } => "timezone_inferred",
            PricingNote::TariffNotValidAtStart { .. } => "tariff_not_valid_at_start",
            PricingNote::IdleFeeCapped => "idle_fee_capped",
            PricingNote::TotalCostClampedToZero => "total_cost_clamped_to_zero",
            PricingNote::ExportPriceMissing { .. } => "export_price_missing",
        }
    }
}

/// How the total was clamped, if it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "PriceClamp"))]
pub struct Clamp {
    /// The total before clamping.
    pub before: Price,
    /// After.
    pub after: Price,
    /// `min_price` or `max_price`.
    pub bound: String,
}

/// Everything behind a result: lines, step roundings, clamping, rounding.
///
/// With export credits ([`ExportPricing`]), `exact_total` is the sum of every line,
/// credits included; `clamp` is the tariff's min/max bound applied to the charges alone
/// (its `before` is the charges' sum), and `zero_clamp` the raise of a negative total to
/// zero when the policy does not allow negative totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "PriceBreakdown"))]
pub struct Breakdown {
    /// Every priced line, in period order; export credits (category
    /// [`CostCategory::EnergyExport`]) follow the charges, in period order too.
    pub lines: Vec<Line>,
    /// Step-size roundings.
    pub steps: Vec<StepAdjustment>,
    /// The unrounded total before clamping.
    pub exact_total: Price,
    /// Min/max clamping (of the charges, before export credits).
    pub clamp: Option<Clamp>,
    /// The raise of a negative total to zero (`bound` `"zero"`), when export credits
    /// exceeded the charges and the policy's `allow_negative_total` is false.
    #[serde(default)]
    pub zero_clamp: Option<Clamp>,
    /// The rounding applied.
    pub rounding: RoundingPolicy,
    /// The time zone restrictions were evaluated in.
    pub timezone: String,
}

/// The result of pricing: the CDR totals, with the breakdown behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceResult {
    /// Currency of every amount.
    pub currency: Currency,
    /// The tariff(s) that priced the session, in first-use order.
    pub tariff_ids: Vec<String>,
    /// `total_cost` (clamped, negated for a credit CDR, rounded).
    pub total_cost: Price,
    /// `total_energy_cost` (`None`: no energy component applied).
    pub total_energy_cost: Option<Price>,
    /// `total_time_cost` (charging time).
    pub total_time_cost: Option<Price>,
    /// `total_parking_cost` (incl. parking FLAT and chargekit idle fees).
    pub total_parking_cost: Option<Price>,
    /// `total_fixed_cost`.
    pub total_fixed_cost: Option<Price>,
    /// `total_reservation_cost`.
    pub total_reservation_cost: Option<Price>,
    /// The export credits (negative; `None`: no energy fed back was priced). Not an OCPI
    /// field: the priced CDR counts it in `total_cost` only.
    #[serde(default)]
    pub total_energy_export_cost: Option<Price>,
    /// Energy consumed, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_energy: Decimal,
    /// Session duration, hours.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_time: Decimal,
    /// Charging time, hours.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_charging_time: Decimal,
    /// Parking time, hours.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub total_parking_time: Decimal,
    /// Energy billed after step rounding, kWh.
    #[serde(deserialize_with = "crate::json::number::decimal::deserialize")]
    pub billed_energy: Decimal,
    /// True for a credit CDR (`total_cost` negated).
    pub credit: bool,
    /// Lines and how the totals were reached.
    pub breakdown: Breakdown,
    /// What the pricer noticed.
    pub notes: Vec<PricingNote>,
    /// The CDR the result came from, if any (kept for [`PriceResult::to_ocpi`]).
    #[serde(skip)]
    pub(crate) source: Option<(cdr::CdrSource, OcpiVersion)>,
}

impl PriceResult {
    /// The note ids, sorted and de-duplicated.
    pub fn note_ids(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.notes.iter().map(PricingNote::id).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A cost total as the bindings expose it: `category` `None` is `total_cost`, a
    /// category its `total_*_cost`, zero when nothing priced it.
    ///
    /// These are the CDR fields, so they agree with [`PriceResult::to_ocpi`]: `incl_vat`
    /// equals `excl_vat` where no VAT applies to any line of the total (every component's
    /// `vat` absent in 2.2.1 / 2.3.0), and is `None` only where the VAT of some line is
    /// unknown (an OCPI 2.1.1 tariff). A zero for an unpriced category has a gross amount
    /// (zero) unless the total's VAT is unknown. Which lines had no VAT and which had 0 %
    /// stays visible on the lines ([`Line::vat`]) and on an [`Invoice`].
    ///
    /// ```
    /// use chargekit::billing::{price_cdr, CostCategory, PricingPolicy};
    /// let tariff = r#"{"country_code":"NL","party_id":"CK","id":"T","currency":"EUR",
    ///   "elements":[{"price_components":[{"type":"ENERGY","price":0.25,"step_size":1}]}],
    ///   "last_updated":"2026-01-01T00:00:00Z"}"#;
    /// let cdr = r#"{"currency":"EUR","start_date_time":"2026-03-10T08:00:00Z",
    ///   "end_date_time":"2026-03-10T09:00:00Z","total_energy":10,
    ///   "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z",
    ///     "dimensions":[{"type":"ENERGY","volume":10}]}]}"#;
    /// let tariffs = chargekit::billing::tariffs_from_json(tariff).unwrap();
    /// let r = price_cdr(cdr, &tariffs, Some("UTC"), &PricingPolicy::default()).unwrap();
    /// // 10 kWh × 0.25 = 2.50, no VAT applies: 2.50 including VAT, VAT 0.
    /// assert_eq!(r.cost(None), r.total_cost);
    /// assert_eq!(r.cost(None).incl_vat.unwrap().to_string(), "2.50");
    /// assert_eq!(r.cost(None).vat.unwrap().to_string(), "0.00");
    /// assert_eq!(r.cost(Some(CostCategory::Energy)).excl_vat.to_string(), "2.50");
    /// // Nothing priced time: zero, with a (zero) gross amount.
    /// assert_eq!(r.cost(Some(CostCategory::Time)).incl_vat.unwrap().to_string(), "0");
    /// ```
    pub fn cost(&self, category: Option<CostCategory>) -> Price {
        match category {
            None => self.total_cost,
            Some(c) => self.total(c).unwrap_or(Price::new(
                Decimal::ZERO,
                self.total_cost.incl_vat.map(|_| Decimal::ZERO),
            )),
        }
    }

    /// `total_energy_cost` as [`PriceResult::cost`] shows it.
    pub fn energy_cost(&self) -> Price {
        self.cost(Some(CostCategory::Energy))
    }

    /// `total_time_cost` as [`PriceResult::cost`] shows it.
    pub fn time_cost(&self) -> Price {
        self.cost(Some(CostCategory::Time))
    }

    /// `total_parking_cost` (idle fees included) as [`PriceResult::cost`] shows it.
    pub fn parking_cost(&self) -> Price {
        self.cost(Some(CostCategory::Parking))
    }

    /// `total_fixed_cost` as [`PriceResult::cost`] shows it.
    pub fn fixed_cost(&self) -> Price {
        self.cost(Some(CostCategory::Fixed))
    }

    /// `total_reservation_cost` as [`PriceResult::cost`] shows it.
    pub fn reservation_cost(&self) -> Price {
        self.cost(Some(CostCategory::Reservation))
    }

    /// The export credits (negative) as [`PriceResult::cost`] shows them: zero when no
    /// energy fed back was priced.
    pub fn energy_export_cost(&self) -> Price {
        self.cost(Some(CostCategory::EnergyExport))
    }

    /// The cost totals some component priced, in CDR field order (`energy`, `time`,
    /// `parking`, `fixed`, `reservation`); the others are zero and absent from the OCPI output.
    pub fn priced(&self) -> Vec<CostCategory> {
        [
            CostCategory::Energy,
            CostCategory::Time,
            CostCategory::Parking,
            CostCategory::Fixed,
            CostCategory::Reservation,
        ]
        .into_iter()
        .filter(|c| self.total(*c).is_some())
        .collect()
    }

    /// The total of a category, as in the CDR fields.
    pub fn total(&self, category: CostCategory) -> Option<Price> {
        match category {
            CostCategory::Energy => self.total_energy_cost,
            CostCategory::Time => self.total_time_cost,
            CostCategory::Parking | CostCategory::IdleFee => self.total_parking_cost,
            CostCategory::Fixed => self.total_fixed_cost,
            CostCategory::Reservation => self.total_reservation_cost,
            CostCategory::EnergyExport => self.total_energy_export_cost,
        }
    }

    /// The priced CDR: the input CDR (or, for a session, a new 2.2.1 CDR) with its cost
    /// fields filled in the CDR's own version (2.3.0 as `before_taxes` + `taxes`).
    pub fn to_ocpi(&self) -> serde_json::Value {
        cdr::fill(self).to_serde()
    }

    /// [`to_ocpi`](Self::to_ocpi) as JSON text, every number with its exact digits (as the
    /// CDR gave it, or as priced).
    ///
    /// ```
    /// use chargekit::billing::{price_cdr, PricingPolicy};
    /// use chargekit::tariff::Tariff;
    /// let t = Tariff::from_json(r#"{"id":"T","currency":"EUR","elements":[{"price_components":
    ///   [{"type":"ENERGY","price":0.30,"step_size":1}]}]}"#).unwrap();
    /// let cdr = r#"{"start_date_time":"2026-03-10T08:00:00Z","end_date_time":"2026-03-10T09:00:00Z",
    ///   "currency":"EUR","cdr_location":{"time_zone":"Europe/Brussels"},"total_energy":12.30,
    ///   "charging_periods":[{"start_date_time":"2026-03-10T08:00:00Z",
    ///     "dimensions":[{"type":"ENERGY","volume":12.30}]}]}"#;
    /// let priced = price_cdr(cdr, &[t], None, &PricingPolicy::default()).unwrap();
    /// assert!(priced.to_ocpi_json().contains(r#""total_energy":12.30"#));
    /// ```
    pub fn to_ocpi_json(&self) -> String {
        cdr::fill(self).to_string()
    }

    /// The result as JSON text (breakdown included).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An IANA time zone by name (kept here for billing's callers; it lives in [`crate::units`]).
pub use crate::calendar::parse_timezone;

/// Accepts tariffs from JSON text: one object or an array of them.
///
/// ```
/// let t = chargekit::billing::tariffs_from_json(r#"[{"id":"A","currency":"EUR",
///   "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":1}]}]}]"#).unwrap();
/// assert_eq!(t[0].id, "A");
/// ```
pub fn tariffs_from_json(text: &str) -> Result<Vec<Tariff>, Error> {
    if let Some(read) = crate::tariff::json::tariffs_from_str(text) {
        return read;
    }
    let v = crate::tariff::parse_json_value(text)?;
    let one = |v: &crate::json::Value| {
        let version = crate::tariff::detect_tariff_version(v);
        crate::tariff::parse_support::tariff(v, version).map(|(t, _)| t)
    };
    match v {
        crate::json::Value::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(&other)?]),
    }
}

/// Prices an OCPI CDR (2.1.1, 2.2.1 or 2.3.0 JSON text) against `tariffs`, or against the
/// tariffs embedded in the CDR when `tariffs` is empty.
///
/// The time zone restrictions are evaluated in is `timezone` (an IANA name) when given,
/// else the CDR location's `time_zone`, else inferred from its country.
pub fn price_cdr(
    cdr: &str,
    tariffs: &[Tariff],
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    if let Some(parsed) = cdr_json::parse_cdr_text(cdr, timezone, policy) {
        // The text is kept; the priced CDR is built from it only when asked for.
        return price_parsed(parsed?, cdr::CdrSource::Text(cdr.into()), tariffs, policy);
    }
    let value = crate::tariff::parse_json_value(cdr).map_err(|e| Error::InvalidCdr {
        path: "$".into(),
        reason: e.to_string(),
    })?;
    price_cdr_tree(value, tariffs, timezone, policy)
}

/// Like [`price_cdr`], for a CDR already parsed to a JSON value. The result keeps the value
/// as its source (for the priced CDR), which is why it is taken, not borrowed.
pub fn price_cdr_value(
    cdr: serde_json::Value,
    tariffs: &[Tariff],
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    price_cdr_tree((&cdr).into(), tariffs, timezone, policy)
}

/// [`price_cdr_value`] for a CDR read into the exact tree.
fn price_cdr_tree(
    cdr: crate::json::Value,
    tariffs: &[Tariff],
    timezone: Option<&str>,
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    let parsed = cdr::parse_cdr_value(&cdr, timezone, policy)?;
    price_parsed(parsed, cdr::CdrSource::Value(cdr), tariffs, policy)
}

/// Prices a parsed CDR against `tariffs` (its own when empty), keeping its source.
fn price_parsed(
    parsed: ParsedCdr,
    source: cdr::CdrSource,
    tariffs: &[Tariff],
    policy: &PricingPolicy,
) -> Result<PriceResult, Error> {
    let use_tariffs: &[Tariff] = if tariffs.is_empty() {
        &parsed.tariffs
    } else {
        tariffs
    };
    if let Some(c) = parsed.currency {
        for t in use_tariffs {
            if t.currency != c {
                return Err(Error::CurrencyMismatch {
                    cdr_currency: c.to_string(),
                    tariff_id: t.id.clone(),
                    tariff_currency: t.currency.to_string(),
                });
            }
        }
    }
    let mut result = engine::price_input(&parsed.input, use_tariffs, policy)?;
    let mut notes = parsed.notes;
    notes.append(&mut result.notes);
    result.notes = notes;
    result.source = Some((source, parsed.version));
    Ok(result)
}

/// One period of a session to price: its volumes and extremes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PricingPeriod {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC): the next period's start, or the session end.
    pub end: DateTime<Utc>,
    /// Energy delivered, kWh (`None`: not stated).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub energy_kwh: Option<Decimal>,
    /// Energy the EV fed back (V2X), kWh (`None`: not stated); priced only under an
    /// [`ExportPricing`] other than `Ignore`.
    #[serde(default)]
    #[serde(deserialize_with = "crate::json::number::decimal::option::deserialize")]
    pub energy_export_kwh: Option<Decimal>,
    /// Charging seconds (`None`: not stated).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub charging_s: Option<Decimal>,
    /// Parking seconds.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub parking_s: Option<Decimal>,
    /// Reservation seconds.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub reservation_s: Option<Decimal>,
    /// Lowest power, kW.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_power_kw: Option<Decimal>,
    /// Highest power, kW.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_power_kw: Option<Decimal>,
    /// Lowest current, A (phases summed).
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub min_current_a: Option<Decimal>,
    /// Highest current, A.
    #[serde(
        default,
        deserialize_with = "crate::json::number::decimal::option::deserialize"
    )]
    pub max_current_a: Option<Decimal>,
    /// The tariff the CPO says applies.
    pub tariff_id: Option<String>,
}

/// What the engine prices: periods in time order, the session span and the site zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingInput {
    /// Session start (CDR `start_date_time`).
    pub start: DateTime<Utc>,
    /// Session end.
    pub end: DateTime<Utc>,
    /// Local zone of the site.
    #[serde(with = "tz::serde_tz")]
    pub timezone: Tz,
    /// The periods.
    pub periods: Vec<PricingPeriod>,
    /// A credit CDR (`total_cost` is negated after clamping).
    pub credit: bool,
}
