//! Billing: pricing OCPI CDRs and chargekit sessions against tariffs (`priceCdr`,
//! `Session.price`, `Session.priceLive`, `Tariff.quote`), the result with its six totals
//! and breakdown, and invoices.
//!
//! Tariffs cross as OCPI JSON text (each text one tariff or an array of them) or as
//! `Tariff` objects; policies as core's `PricingPolicy` JSON; time zones as IANA names.

use std::sync::Arc;

use chargekit::billing::{
    parse_timezone, price_cdr as core_price_cdr, price_live, price_quote, price_session,
    tariffs_from_json, Breakdown, Clamp, CostCategory, Invoice as CoreInvoice, InvoiceKind,
    InvoiceLine as CoreInvoiceLine, LineKind, Price as CorePrice, PriceResult as CoreResult,
    PricingNote as CoreNote, QuantityUnit, Quote, RoundingPolicy, StepAdjustment as CoreStep,
    VatSummary,
};
use chargekit::tariff::{Tariff as CoreTariff, TariffDimension, Vat};

use crate::session::Session;
use crate::tariff::{pricing_policy, Tariff};
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Every tariff of a list of JSON texts (each one tariff or an array of them), in order.
fn read_tariffs(texts: &[String]) -> Result<Vec<CoreTariff>, ChargekitError> {
    let mut out = Vec::new();
    for text in texts {
        out.extend(guarded(|| tariffs_from_json(text))?);
    }
    Ok(out)
}

fn own_tariffs(tariffs: &[Arc<Tariff>]) -> Vec<CoreTariff> {
    tariffs.iter().map(|t| t.core().clone()).collect()
}

// ---------------------------------------------------------------- mirrors

// ---------------------------------------------------------------- records

/// An amount excluding and including VAT (`inclVat` null where no VAT applies: every
/// component's `vat` absent, or unknown as in OCPI 2.1.1), and the VAT itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Price {
    /// Excluding VAT.
    pub excl_vat: ExactDecimal,
    /// Including VAT, when known.
    pub incl_vat: Option<ExactDecimal>,
    /// The VAT amount, when known.
    pub vat: Option<ExactDecimal>,
}

impl From<CorePrice> for Price {
    fn from(p: CorePrice) -> Self {
        Self {
            excl_vat: p.excl_vat,
            incl_vat: p.incl_vat,
            vat: p.vat(),
        }
    }
}

/// One priced line: a dimension in a period, with the component that priced it and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PricedLine {
    /// Index of the period (in time order).
    pub period: u64,
    /// Period start.
    pub start: UtcInstant,
    /// Period end.
    pub end: UtcInstant,
    /// The CDR total it counts toward.
    pub category: CostCategory,
    /// The tariff dimension of the component.
    pub dimension: TariffDimension,
    /// The tariff that priced it.
    pub tariff_id: String,
    /// Index of the element in that tariff (null for chargekit idle fees).
    pub element: Option<u64>,
    /// Why the element applied: each restriction that held, or "no restrictions".
    pub reason: Vec<String>,
    /// The unit of the quantities.
    pub unit: QuantityUnit,
    /// Quantity consumed (kWh, hours, or 1 for FLAT).
    pub volume: ExactDecimal,
    /// Quantity billed after step rounding.
    pub billed_volume: ExactDecimal,
    /// The step size applied, in Wh or s (0: none).
    pub step_size: u32,
    /// Price per unit as the tariff states it.
    pub unit_price: ExactDecimal,
    /// The component's VAT.
    pub vat: Vat,
    /// The amount.
    pub cost: Price,
}

/// A step-size rounding that added (or removed) quantity to a line.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StepAdjustment {
    /// The group rounded: `energy`, `time`, `parking` or `reservation`.
    pub group: String,
    /// The line that took the difference.
    pub line: u64,
    /// Billable quantity before (kWh or h).
    pub before: ExactDecimal,
    /// After (kWh or h).
    pub after: ExactDecimal,
    /// The step (Wh or s).
    pub step_size: u32,
}

impl From<CoreStep> for StepAdjustment {
    fn from(s: CoreStep) -> Self {
        Self {
            group: s.group,
            line: wide(s.line),
            before: s.before,
            after: s.after,
            step_size: s.step_size,
        }
    }
}

/// How the total was clamped to `min_price` or `max_price`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriceClamp {
    /// The total before clamping.
    pub before: Price,
    /// After.
    pub after: Price,
    /// `min_price` or `max_price`.
    pub bound: String,
}

impl From<Clamp> for PriceClamp {
    fn from(c: Clamp) -> Self {
        Self {
            before: c.before.into(),
            after: c.after.into(),
            bound: c.bound,
        }
    }
}

/// Everything behind a result: lines, step roundings, clamping, rounding.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PriceBreakdown {
    /// Every priced line, in period order.
    pub lines: Vec<PricedLine>,
    /// Step-size roundings.
    pub steps: Vec<StepAdjustment>,
    /// The unrounded total before clamping.
    pub exact_total: Price,
    /// Min/max clamping.
    pub clamp: Option<PriceClamp>,
    /// The rounding applied.
    pub rounding: RoundingPolicy,
    /// The time zone restrictions were evaluated in.
    pub timezone: String,
}

impl From<Breakdown> for PriceBreakdown {
    fn from(b: Breakdown) -> Self {
        Self {
            lines: b
                .lines
                .into_iter()
                .map(|l| PricedLine {
                    period: wide(l.period),
                    start: l.start,
                    end: l.end,
                    category: l.category,
                    dimension: l.dimension,
                    tariff_id: l.tariff_id,
                    element: l.element.map(wide),
                    reason: l.reason,
                    unit: l.unit,
                    volume: l.volume,
                    billed_volume: l.billed_volume,
                    step_size: l.step_size,
                    unit_price: l.unit_price,
                    vat: l.vat,
                    cost: l.cost.into(),
                })
                .collect(),
            steps: b.steps.into_iter().map(StepAdjustment::from).collect(),
            exact_total: b.exact_total.into(),
            clamp: b.clamp.map(PriceClamp::from),
            rounding: b.rounding,
            timezone: b.timezone,
        }
    }
}

/// Something the pricer noticed; the result is still usable. `PriceResult.noteIds()`
/// gives the stable ids (e.g. `total_cost_clamped_to_min`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PricingNote {
    /// The total was raised to the tariff's `min_price`.
    TotalCostClampedToMin,
    /// The total was lowered to the tariff's `max_price`.
    TotalCostClampedToMax,
    /// No period states TIME or PARKING_TIME while the tariff prices time.
    PeriodsStateNoTime,
    /// Some period starts outside the CDR's start/end.
    PeriodsOutsideStartEndDateTime,
    /// Reservation elements were skipped.
    ReservationElementSkipped,
    /// A period crosses a price boundary; it was priced at its start state.
    PeriodSpansPriceChange {
        /// The period.
        period: u64,
    },
    /// `tax_included = YES` without a VAT rate.
    TaxIncludedWithoutRate,
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
}

impl From<CoreNote> for PricingNote {
    fn from(n: CoreNote) -> Self {
        match n {
            CoreNote::TotalCostClampedToMin => Self::TotalCostClampedToMin,
            CoreNote::TotalCostClampedToMax => Self::TotalCostClampedToMax,
            CoreNote::PeriodsStateNoTime => Self::PeriodsStateNoTime,
            CoreNote::PeriodsOutsideStartEndDateTime => Self::PeriodsOutsideStartEndDateTime,
            CoreNote::ReservationElementSkipped => Self::ReservationElementSkipped,
            CoreNote::PeriodSpansPriceChange { period } => Self::PeriodSpansPriceChange {
                period: wide(period),
            },
            CoreNote::TaxIncludedWithoutRate => Self::TaxIncludedWithoutRate,
            CoreNote::UnknownDimension { value, path } => Self::UnknownDimension { value, path },
            CoreNote::TimezoneInferred { timezone } => Self::TimezoneInferred { timezone },
            CoreNote::TariffNotValidAtStart { tariff_id } => {
                Self::TariffNotValidAtStart { tariff_id }
            }
            CoreNote::IdleFeeCapped => Self::IdleFeeCapped,
        }
    }
}

// ---------------------------------------------------------------- PriceResult

/// The result of pricing: the CDR totals with the breakdown behind them.
#[derive(Debug, uniffi::Object)]
pub struct PriceResult(CoreResult);

#[uniffi::export]
impl PriceResult {
    /// ISO 4217 currency of every amount.
    pub fn currency(&self) -> String {
        self.0.currency.to_string()
    }

    /// The tariff(s) that priced the session, in first-use order.
    pub fn tariff_ids(&self) -> Vec<String> {
        self.0.tariff_ids.clone()
    }

    /// `total_cost` (clamped, negated for a credit CDR, rounded).
    pub fn total_cost(&self) -> Price {
        self.0.cost(None).into()
    }

    /// `total_energy_cost`; zero when no energy component applied (`total(ENERGY)` is null then).
    pub fn total_energy_cost(&self) -> Price {
        self.0.energy_cost().into()
    }

    /// `total_time_cost` (charging time); zero when not priced.
    pub fn total_time_cost(&self) -> Price {
        self.0.time_cost().into()
    }

    /// `total_parking_cost` (parking FLAT and idle fees included); zero when not priced.
    pub fn total_parking_cost(&self) -> Price {
        self.0.parking_cost().into()
    }

    /// `total_fixed_cost`; zero when not priced.
    pub fn total_fixed_cost(&self) -> Price {
        self.0.fixed_cost().into()
    }

    /// `total_reservation_cost`; zero when not priced.
    pub fn total_reservation_cost(&self) -> Price {
        self.0.reservation_cost().into()
    }

    /// The total of a category as in the CDR fields; null when nothing of it was priced.
    pub fn total(&self, category: CostCategory) -> Option<Price> {
        self.0.total(category).map(Price::from)
    }

    /// Energy consumed, kWh.
    pub fn total_energy(&self) -> ExactDecimal {
        self.0.total_energy
    }

    /// Session duration, hours.
    pub fn total_time(&self) -> ExactDecimal {
        self.0.total_time
    }

    /// Charging time, hours.
    pub fn total_charging_time(&self) -> ExactDecimal {
        self.0.total_charging_time
    }

    /// Parking time, hours.
    pub fn total_parking_time(&self) -> ExactDecimal {
        self.0.total_parking_time
    }

    /// Energy billed after step rounding, kWh.
    pub fn billed_energy(&self) -> ExactDecimal {
        self.0.billed_energy
    }

    /// True for a credit CDR (`total_cost` negated).
    pub fn credit(&self) -> bool {
        self.0.credit
    }

    /// Lines and how the totals were reached.
    pub fn breakdown(&self) -> PriceBreakdown {
        self.0.breakdown.clone().into()
    }

    /// What the pricer noticed.
    pub fn notes(&self) -> Vec<PricingNote> {
        self.0
            .notes
            .iter()
            .cloned()
            .map(PricingNote::from)
            .collect()
    }

    /// The note ids, sorted and de-duplicated.
    pub fn note_ids(&self) -> Vec<String> {
        self.0.note_ids().into_iter().map(str::to_string).collect()
    }

    /// The priced CDR as JSON text: the input CDR (or, for a session, a new 2.2.1 CDR) with
    /// its cost fields filled in the CDR's own version.
    pub fn to_ocpi(&self) -> Result<String, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.to_ocpi().to_string()))
    }

    /// The result as JSON text (breakdown included).
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}

/// The price of a running session at a moment.
#[derive(Debug, uniffi::Record)]
pub struct LivePrice {
    /// The moment.
    pub at: UtcInstant,
    /// What has been consumed so far, priced exactly (no step ceilings, no minimum price).
    pub so_far: Price,
    /// The bill if the session stopped now.
    pub if_stopped_now: Arc<PriceResult>,
}

// ---------------------------------------------------------------- pricing

/// Prices an OCPI CDR (2.1.1, 2.2.1 or 2.3.0 JSON text) against tariffs given as OCPI JSON
/// texts (each one tariff or an array), or against the tariffs embedded in the CDR when the
/// list is empty. `timezone` (IANA) defaults to the CDR location's `time_zone`, else its
/// country's zone; `policyJson` is core's `PricingPolicy` JSON (null: the default).
#[uniffi::export(default(timezone = None, policy_json = None))]
pub fn price_cdr(
    cdr_json: String,
    tariffs_json: Vec<String>,
    timezone: Option<String>,
    policy_json: Option<String>,
) -> Result<Arc<PriceResult>, ChargekitError> {
    let tariffs = read_tariffs(&tariffs_json)?;
    let policy = pricing_policy(policy_json)?;
    guarded(|| core_price_cdr(&cdr_json, &tariffs, timezone.as_deref(), &policy))
        .map(|r| Arc::new(PriceResult(r)))
}

/// Like `priceCdr`, with tariffs already read (e.g. with a forced OCPI version).
#[uniffi::export(default(timezone = None, policy_json = None))]
pub fn price_cdr_with_tariffs(
    cdr_json: String,
    tariffs: Vec<Arc<Tariff>>,
    timezone: Option<String>,
    policy_json: Option<String>,
) -> Result<Arc<PriceResult>, ChargekitError> {
    let tariffs = own_tariffs(&tariffs);
    let policy = pricing_policy(policy_json)?;
    guarded(|| core_price_cdr(&cdr_json, &tariffs, timezone.as_deref(), &policy))
        .map(|r| Arc::new(PriceResult(r)))
}

#[uniffi::export]
impl Session {
    /// Prices the session against tariffs (OCPI JSON texts; the first valid one prices it),
    /// cutting periods exactly at every price boundary; restrictions are evaluated in
    /// `timezone` (IANA). An unfinished session is priced up to its latest data.
    #[uniffi::method(default(policy_json = None))]
    pub fn price(
        &self,
        tariffs_json: Vec<String>,
        timezone: String,
        policy_json: Option<String>,
    ) -> Result<Arc<PriceResult>, ChargekitError> {
        let tariffs = read_tariffs(&tariffs_json)?;
        let policy = pricing_policy(policy_json)?;
        guarded(|| {
            let tz = parse_timezone(&timezone)?;
            price_session(self.core(), &tariffs, tz, &policy)
        })
        .map(|r| Arc::new(PriceResult(r)))
    }

    /// The cost of a running session at `at`: so far (exact) and if it stopped now.
    #[uniffi::method(default(policy_json = None))]
    pub fn price_live(
        &self,
        tariffs_json: Vec<String>,
        timezone: String,
        at: UtcInstant,
        policy_json: Option<String>,
    ) -> Result<LivePrice, ChargekitError> {
        let tariffs = read_tariffs(&tariffs_json)?;
        let policy = pricing_policy(policy_json)?;
        guarded(|| {
            let tz = parse_timezone(&timezone)?;
            price_live(self.core(), &tariffs, tz, &policy, at)
        })
        .map(|l| LivePrice {
            at: l.at,
            so_far: l.so_far.into(),
            if_stopped_now: Arc::new(PriceResult(l.if_stopped_now)),
        })
    }
}

/// A hypothetical session to price with `Tariff.quote`: charging at constant power from
/// `start` until `energyKwh` is in (or `end`), then parked until `end`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteRequest {
    /// Plug-in.
    pub start: UtcInstant,
    /// Plug-out.
    pub end: UtcInstant,
    /// Site time zone (IANA).
    pub timezone: String,
    /// Constant charging power, kW.
    pub power_kw: ExactDecimal,
    /// Energy wanted, kWh.
    pub energy_kwh: ExactDecimal,
    /// Current reported for current restrictions, A (it does not throttle power).
    #[uniffi(default = None)]
    pub current_a: Option<ExactDecimal>,
    /// Whether charging periods state their power (for power restrictions).
    #[uniffi(default = true)]
    pub report_power: bool,
    /// Whether charging periods state their current.
    #[uniffi(default = true)]
    pub report_current: bool,
}

#[uniffi::export]
impl Tariff {
    /// What a hypothetical session would cost, with periods cut at every price boundary of
    /// this tariff.
    #[uniffi::method(default(policy_json = None))]
    pub fn quote(
        &self,
        request: QuoteRequest,
        policy_json: Option<String>,
    ) -> Result<Arc<PriceResult>, ChargekitError> {
        let policy = pricing_policy(policy_json)?;
        guarded(|| {
            let tz = parse_timezone(&request.timezone)?;
            let mut q = Quote::new(
                request.start,
                request.end,
                tz,
                request.power_kw,
                request.energy_kwh,
            );
            q.current_a = request.current_a;
            q.report_power = request.report_power;
            q.report_current = request.report_current;
            price_quote(self.core(), &q, &policy)
        })
        .map(|r| Arc::new(PriceResult(r)))
    }
}

// ---------------------------------------------------------------- Invoice

/// One invoice line. Amounts are in the currency's minor units.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InvoiceLine {
    /// What it is.
    pub kind: LineKind,
    /// Short description, e.g. "Energy".
    pub description: String,
    /// Why this price applied.
    pub detail: String,
    /// The tariff that priced it.
    pub tariff_id: Option<String>,
    /// Index of the element.
    pub element: Option<u64>,
    /// Quantity billed (after step rounding).
    pub quantity: ExactDecimal,
    /// Quantity consumed (before step rounding).
    pub quantity_consumed: ExactDecimal,
    /// Unit of the quantities.
    pub unit: QuantityUnit,
    /// Price per unit.
    pub unit_price: ExactDecimal,
    /// VAT rate in percent (null: no VAT applies, or unknown).
    pub vat_rate: Option<ExactDecimal>,
    /// Net amount.
    pub net: ExactDecimal,
}

impl From<CoreInvoiceLine> for InvoiceLine {
    fn from(l: CoreInvoiceLine) -> Self {
        Self {
            kind: l.kind,
            description: l.description,
            detail: l.detail,
            tariff_id: l.tariff_id,
            element: l.element.map(wide),
            quantity: l.quantity,
            quantity_consumed: l.quantity_consumed,
            unit: l.unit,
            unit_price: l.unit_price,
            vat_rate: l.vat_rate,
            net: l.net,
        }
    }
}

/// An invoice for a priced session: lines that add up to the net total exactly, VAT per
/// rate, gross total; plain text, HTML and JSON renderings.
#[derive(Debug, uniffi::Object)]
pub struct Invoice(CoreInvoice);

#[uniffi::export]
impl Invoice {
    /// An invoice for a pricing result (a credit note when the result is a credit CDR).
    #[uniffi::constructor]
    pub fn new(result: Arc<PriceResult>, number: String) -> Result<Self, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(CoreInvoice::from_result(&result.0, &number))).map(Self)
    }

    /// A credit note refunding this invoice: every amount negated.
    pub fn credit_note(&self, number: String) -> Arc<Invoice> {
        Arc::new(Invoice(self.0.credit_note(&number)))
    }

    /// Invoice number.
    pub fn number(&self) -> String {
        self.0.number.clone()
    }

    /// Invoice or credit note.
    pub fn kind(&self) -> InvoiceKind {
        self.0.kind
    }

    /// For a credit note: the number of the invoice it corrects.
    pub fn credits(&self) -> Option<String> {
        self.0.credits.clone()
    }

    /// ISO 4217 currency.
    pub fn currency(&self) -> String {
        self.0.currency.to_string()
    }

    /// The tariffs that priced the session.
    pub fn tariff_ids(&self) -> Vec<String> {
        self.0.tariff_ids.clone()
    }

    /// First period start.
    pub fn start(&self) -> Option<UtcInstant> {
        self.0.start
    }

    /// Last period end.
    pub fn end(&self) -> Option<UtcInstant> {
        self.0.end
    }

    /// Energy delivered, kWh.
    pub fn energy_kwh(&self) -> ExactDecimal {
        self.0.energy_kwh
    }

    /// The lines; their `net` adds up to `net()`.
    pub fn lines(&self) -> Vec<InvoiceLine> {
        self.0
            .lines
            .iter()
            .cloned()
            .map(InvoiceLine::from)
            .collect()
    }

    /// Net total.
    pub fn net(&self) -> ExactDecimal {
        self.0.net
    }

    /// VAT per rate; their `vat` adds up to `vatTotal()`.
    pub fn vat(&self) -> Vec<VatSummary> {
        self.0.vat.clone()
    }

    /// Total VAT.
    pub fn vat_total(&self) -> ExactDecimal {
        self.0.vat_total
    }

    /// Gross total = net + VAT.
    pub fn gross(&self) -> ExactDecimal {
        self.0.gross
    }

    /// A plain-text receipt.
    pub fn to_text(&self) -> Result<String, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.to_text()))
    }

    /// A standalone HTML receipt.
    pub fn to_html(&self) -> Result<String, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.to_html()))
    }

    /// The invoice as JSON text.
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}
