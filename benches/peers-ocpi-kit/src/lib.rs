//! chargekit and ocpi-kit 0.4 pricing the same OCPI 2.2.1 JSON text: the helpers that the
//! bench (`benches/ocpi_kit.rs`) times and the tests check, so that both time and check the
//! same calls.
//!
//! ocpi-kit's engine prices a 2.3.0 `Tariff` and a `PricedSession`: a 2.2.1 tariff is read
//! with its 2.2.1 model and upgraded (`tax_included` becomes `NO`, lossless for this tariff),
//! a 2.2.1 CDR is read with its 2.2.1 model and reduced with
//! `PricedSession::from_cdr_v2_2_1`. A 2.2.1 CDR carries no time zone: chargekit infers it
//! from the location's country (NLD), ocpi-kit is handed it ([`TIME_ZONE`]).

use chargekit::billing::{price_cdr, PriceResult, PricingPolicy};
use chargekit::tariff::Tariff;
use ocpi_kit::convert::Upgrade;
use ocpi_kit::tariffs::{CostBreakdown, PricedSession, PricingEngine, TimeZone};
use rust_decimal::Decimal;

/// The time zone of the bench CDRs' location (country `NLD`).
pub const TIME_ZONE: &str = "Europe/Amsterdam";

/// Any error of the ocpi-kit side (JSON, time zone, pricing).
pub type KitError = Box<dyn std::error::Error + Send + Sync>;

/// The two totals of a priced CDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Excluding VAT.
    pub excl_vat: Decimal,
    /// Including VAT (chargekit: `None` where the VAT is unknown).
    pub incl_vat: Option<Decimal>,
}

impl std::fmt::Display for Totals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.incl_vat {
            Some(incl) => write!(f, "{} excl. VAT, {} incl. VAT", self.excl_vat, incl),
            None => write!(f, "{} excl. VAT, VAT unknown", self.excl_vat),
        }
    }
}

impl From<&PriceResult> for Totals {
    fn from(r: &PriceResult) -> Self {
        Totals {
            excl_vat: r.total_cost.excl_vat,
            incl_vat: r.total_cost.incl_vat,
        }
    }
}

impl From<&CostBreakdown> for Totals {
    fn from(b: &CostBreakdown) -> Self {
        Totals {
            excl_vat: b.total_excl_vat.get(),
            incl_vat: Some(b.total_incl_vat.get()),
        }
    }
}

/// chargekit: parses the tariff and the CDR text and prices the CDR under `policy`.
pub fn chargekit_price_json(
    cdr: &str,
    tariff: &str,
    policy: &PricingPolicy,
) -> Result<PriceResult, chargekit::Error> {
    let tariff = Tariff::from_json(tariff)?;
    price_cdr(cdr, &[tariff], None, policy)
}

/// ocpi-kit: a 2.2.1 tariff's JSON text, read with the 2.2.1 model and upgraded to the 2.3.0
/// tariff its engine prices with.
pub fn kit_tariff(text: &str) -> Result<ocpi_kit::v2_3_0::tariffs::Tariff, KitError> {
    let tariff: ocpi_kit::v2_2_1::tariffs::Tariff = serde_json::from_str(text)?;
    Ok(tariff.upgrade().value)
}

/// ocpi-kit: a 2.2.1 CDR's JSON text, read with the 2.2.1 model and reduced to the engine's
/// input.
pub fn kit_session(cdr: &str, zone: TimeZone) -> Result<PricedSession, KitError> {
    let cdr: ocpi_kit::v2_2_1::cdrs::Cdr = serde_json::from_str(cdr)?;
    Ok(PricedSession::from_cdr_v2_2_1(&cdr, zone))
}

/// ocpi-kit: parses the tariff and the CDR text (and resolves [`TIME_ZONE`]) and prices the
/// CDR under ocpi-kit's default policy.
pub fn kit_price_json(cdr: &str, tariff: &str) -> Result<CostBreakdown, KitError> {
    let tariffs = [kit_tariff(tariff)?];
    let session = kit_session(cdr, TimeZone::named(TIME_ZONE)?)?;
    Ok(PricingEngine::new().price(&session, &tariffs)?)
}
