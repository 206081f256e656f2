//! OCPI tariffs: `Tariff` (read from OCPI 2.1.1 / 2.2.1 / 2.3.0 JSON, written back), its
//! lint findings, plain-language explanation and quotes, and the pricing policies.
//!
//! The records (`TariffWarning`, `LintFinding`, `TariffExplanation`, `QuoteRequest`,
//! `PricingPolicy`, …) are the core's (`io.chargekit.core`). Pricing lives in `billing.rs`.

use std::sync::Arc;

use chargekit::billing::{PricingPolicy, Quote};
use chargekit::boundary::pricing;
use chargekit::tariff::{
    Explanation, Language, LintFinding, OcpiVersion, ParseWarning, Tariff as CoreTariff,
    TariffDimension, Vat,
};

use crate::billing::PriceResult;
use crate::types::UtcInstant;
use crate::{guarded, ChargekitError};

/// A tariff in chargekit's internal form, normalised from OCPI 2.1.1, 2.2.1 or 2.3.0.
#[derive(Debug, uniffi::Object)]
pub struct Tariff {
    inner: CoreTariff,
    warnings: Vec<ParseWarning>,
}

impl Tariff {
    pub(crate) fn core(&self) -> &CoreTariff {
        &self.inner
    }
}

#[uniffi::export]
impl Tariff {
    /// Reads an OCPI tariff (`//` comment lines allowed); the version is detected from its
    /// fields unless given. Odd but usable input is reported by `warnings()`.
    #[uniffi::constructor(default(version = None))]
    pub fn new(json: String, version: Option<OcpiVersion>) -> Result<Self, ChargekitError> {
        let (inner, warnings) = guarded(|| CoreTariff::from_json_with_warnings(&json, version))?;
        Ok(Self { inner, warnings })
    }

    /// Tariff id.
    pub fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// ISO 4217 currency code.
    pub fn currency(&self) -> String {
        self.inner.currency.to_string()
    }

    /// The OCPI version it was read from.
    pub fn version(&self) -> OcpiVersion {
        self.inner.version
    }

    /// Number of tariff elements.
    pub fn element_count(&self) -> u64 {
        self.inner.elements.len() as u64
    }

    /// True when any element prices `dimension` (reservation elements excluded).
    pub fn prices(&self, dimension: TariffDimension) -> bool {
        self.inner.prices(dimension)
    }

    /// The VATs of the price components, in element and component order.
    pub fn component_vats(&self) -> Vec<Vat> {
        self.inner.component_vats()
    }

    /// True when the tariff's validity window contains `at`.
    pub fn is_valid_at(&self, at: UtcInstant) -> bool {
        self.inner.is_valid_at(at)
    }

    /// What was odd but usable in the source JSON.
    pub fn warnings(&self) -> Vec<ParseWarning> {
        self.warnings.clone()
    }

    /// Lints the tariff under a policy (null: the default).
    #[uniffi::method(default(policy = None))]
    pub fn lint(&self, policy: Option<PricingPolicy>) -> Result<Vec<LintFinding>, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.inner.lint_with(&policy.unwrap_or_default())))
    }

    /// The tariff in plain language (English unless asked otherwise).
    #[uniffi::method(default(language = None))]
    pub fn explain(&self, language: Option<Language>) -> Result<Explanation, ChargekitError> {
        guarded(|| Ok::<_, ChargekitError>(self.inner.explain_in(language.unwrap_or_default())))
    }

    /// The tariff as OCPI JSON text of `version` (2.2.1 or 2.3.0; null: its own version,
    /// 2.1.1 tariffs as 2.2.1).
    #[uniffi::method(default(version = None))]
    pub fn to_ocpi(&self, version: Option<OcpiVersion>) -> Result<String, ChargekitError> {
        let version = version.unwrap_or(self.inner.version);
        guarded(|| Ok::<_, ChargekitError>(self.inner.to_ocpi_json(version)))
    }

    /// What a hypothetical session at a site in `timezone` (IANA) would cost, with periods
    /// cut at every price boundary of this tariff.
    #[uniffi::method(default(policy = None))]
    pub fn quote(
        &self,
        request: Quote,
        timezone: String,
        policy: Option<PricingPolicy>,
    ) -> Result<Arc<PriceResult>, ChargekitError> {
        guarded(|| pricing::price_quote(&self.inner, &request, &timezone, policy.as_ref()))
            .map(PriceResult::new)
    }
}

/// The default pricing policy: the OCPI 2.2.1 bugfix reading of every ambiguity.
#[uniffi::export]
pub fn default_pricing_policy() -> PricingPolicy {
    PricingPolicy::default()
}

/// A pricing policy preset by name: `default`, `ocpi_tariffs`, `ocpi_kit` or `ev_server`
/// (`InvalidPricingPolicy` for another name). Adjust it with `copy(...)`.
#[uniffi::export]
pub fn pricing_policy_preset(name: String) -> Result<PricingPolicy, ChargekitError> {
    guarded(|| PricingPolicy::named(&name))
}
