//! Billing: pricing OCPI CDRs and sessions against tariffs (`priceCdr`, `Session.price`,
//! `Session.priceLive`), the result with its totals and breakdown, and invoices. Tariffs
//! cross as OCPI JSON texts (one tariff or an array each) or `Tariff` objects, policies as
//! the core's `PricingPolicy` (null: the default), time zones as IANA names; the records
//! (`Price`, `PriceBreakdown`, `InvoiceLine`, …) are the core's (`io.chargekit.core`).

use std::sync::Arc;

use chargekit::billing::{
    Breakdown, CostCategory, Invoice as CoreInvoice, InvoiceKind, InvoiceLine,
    LivePrice as CoreLivePrice, Price, PriceResult as CoreResult, PricingNote, PricingPolicy,
    VatSummary,
};
use chargekit::boundary::pricing::{self, TariffSource};

use crate::session::Session;
use crate::tariff::Tariff;
use crate::types::{ExactDecimal, UtcInstant};
use crate::{guarded, ChargekitError};

/// Every tariff of a list of JSON texts (each one tariff or an array of them), in order.
fn read_tariffs(texts: Vec<String>) -> Result<Vec<chargekit::tariff::Tariff>, ChargekitError> {
    guarded(|| pricing::read_tariffs(texts.into_iter().map(TariffSource::Json)))
}

/// The result of pricing: the CDR totals with the breakdown behind them.
#[derive(Debug, uniffi::Object)]
pub struct PriceResult(CoreResult);

impl PriceResult {
    pub(crate) fn new(result: CoreResult) -> Arc<Self> {
        Arc::new(Self(result))
    }
}

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

    /// `total_cost` (clamped, negated for a credit CDR, rounded), as `toOcpi()` writes it:
    /// `inclVat` equals `exclVat` where no VAT applies, null only where the VAT is unknown
    /// (OCPI 2.1.1 tariffs).
    pub fn total_cost(&self) -> Price {
        self.0.cost(None)
    }

    /// `total_energy_cost`; zero when no energy component applied (`total(ENERGY)` is null then).
    pub fn total_energy_cost(&self) -> Price {
        self.0.energy_cost()
    }

    /// `total_time_cost` (charging time); zero when not priced.
    pub fn total_time_cost(&self) -> Price {
        self.0.time_cost()
    }

    /// `total_parking_cost` (parking FLAT and idle fees included); zero when not priced.
    pub fn total_parking_cost(&self) -> Price {
        self.0.parking_cost()
    }

    /// `total_fixed_cost`; zero when not priced.
    pub fn total_fixed_cost(&self) -> Price {
        self.0.fixed_cost()
    }

    /// `total_reservation_cost`; zero when not priced.
    pub fn total_reservation_cost(&self) -> Price {
        self.0.reservation_cost()
    }

    /// The total of a category as in the CDR fields; null when nothing of it was priced.
    pub fn total(&self, category: CostCategory) -> Option<Price> {
        self.0.total(category)
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
    pub fn breakdown(&self) -> Breakdown {
        self.0.breakdown.clone()
    }

    /// What the pricer noticed.
    pub fn notes(&self) -> Vec<PricingNote> {
        self.0.notes.clone()
    }

    /// The note ids, sorted and de-duplicated.
    pub fn note_ids(&self) -> Vec<String> {
        self.0.note_ids().into_iter().map(str::to_string).collect()
    }

    /// The priced CDR as JSON text: the input CDR (or, for a session, a new 2.2.1 CDR) with
    /// its cost fields filled in the CDR's own version.
    pub fn to_ocpi(&self) -> Result<String, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.0.to_ocpi_json()))
    }

    /// The result as JSON text (breakdown included).
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}

/// The price of a running session at a moment: what was consumed so far, and the result
/// were it to stop then.
#[derive(Debug, uniffi::Object)]
pub struct LivePrice(CoreLivePrice);

#[uniffi::export]
impl LivePrice {
    /// The moment.
    pub fn at(&self) -> UtcInstant {
        self.0.at
    }

    /// What has been consumed so far, priced exactly (no step ceilings, no minimum price).
    pub fn so_far(&self) -> Price {
        self.0.so_far
    }

    /// The bill if the session stopped now.
    pub fn if_stopped_now(&self) -> Arc<PriceResult> {
        PriceResult::new(self.0.if_stopped_now.clone())
    }
}

/// Prices an OCPI CDR (2.1.1, 2.2.1 or 2.3.0 JSON text) against tariffs given as OCPI JSON
/// texts (each one tariff or an array), or against the tariffs embedded in the CDR when the
/// list is empty. `timezone` (IANA) defaults to the CDR location's `time_zone`, else its
/// country's zone.
#[uniffi::export(default(timezone = None, policy = None))]
pub fn price_cdr(
    cdr_json: String,
    tariffs_json: Vec<String>,
    timezone: Option<String>,
    policy: Option<PricingPolicy>,
) -> Result<Arc<PriceResult>, ChargekitError> {
    let tariffs = read_tariffs(tariffs_json)?;
    guarded(|| pricing::price_cdr(&cdr_json, &tariffs, timezone.as_deref(), policy.as_ref()))
        .map(PriceResult::new)
}

/// Like `priceCdr`, with tariffs already read (e.g. with a forced OCPI version).
#[uniffi::export(default(timezone = None, policy = None))]
pub fn price_cdr_with_tariffs(
    cdr_json: String,
    tariffs: Vec<Arc<Tariff>>,
    timezone: Option<String>,
    policy: Option<PricingPolicy>,
) -> Result<Arc<PriceResult>, ChargekitError> {
    let tariffs: Vec<_> = tariffs.iter().map(|t| t.core().clone()).collect();
    guarded(|| pricing::price_cdr(&cdr_json, &tariffs, timezone.as_deref(), policy.as_ref()))
        .map(PriceResult::new)
}

#[uniffi::export]
impl Session {
    /// Prices the session against tariffs (OCPI JSON texts; the first valid one prices it),
    /// cutting periods exactly at every price boundary; restrictions are evaluated in
    /// `timezone` (IANA). An unfinished session is priced up to its latest data.
    #[uniffi::method(default(policy = None))]
    pub fn price(
        &self,
        tariffs_json: Vec<String>,
        timezone: String,
        policy: Option<PricingPolicy>,
    ) -> Result<Arc<PriceResult>, ChargekitError> {
        let tariffs = read_tariffs(tariffs_json)?;
        guarded(|| pricing::price_session(self.core(), &tariffs, &timezone, policy.as_ref()))
            .map(PriceResult::new)
    }

    /// The cost of a running session at `at`: so far (exact) and if it stopped now.
    #[uniffi::method(default(policy = None))]
    pub fn price_live(
        &self,
        tariffs_json: Vec<String>,
        timezone: String,
        at: UtcInstant,
        policy: Option<PricingPolicy>,
    ) -> Result<Arc<LivePrice>, ChargekitError> {
        let tariffs = read_tariffs(tariffs_json)?;
        guarded(|| pricing::price_live(self.core(), &tariffs, &timezone, at, policy.as_ref()))
            .map(|l| Arc::new(LivePrice(l)))
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
        self.0.lines.clone()
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
