//! OCPI tariffs: `Tariff` (read from OCPI 2.1.1 / 2.2.1 / 2.3.0 JSON, written back), its
//! lint findings and plain-language explanation.
//!
//! Pricing lives in `billing.rs`; policies cross as core's `PricingPolicy` JSON (a preset
//! name such as `"ocpi_tariffs"`, or an object of snake_case fields).

use chargekit::billing::PricingPolicy;
use chargekit::tariff::{
    Explanation, ExplanationLine as CoreExplanationLine, Language, LintFinding as CoreFinding,
    LintRule, OcpiVersion, ParseWarning, ParseWarningKind, Severity, Tariff as CoreTariff,
    TariffDimension, Vat,
};

use crate::types::UtcInstant;
use crate::{guarded, ChargekitError};

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Reads a pricing policy: null is the default (the OCPI 2.2.1 bugfix reading).
pub(crate) fn pricing_policy(json: Option<String>) -> Result<PricingPolicy, ChargekitError> {
    match json {
        Some(text) => guarded(|| PricingPolicy::from_json(&text)),
        None => Ok(PricingPolicy::default()),
    }
}

// ---------------------------------------------------------------- mirrors

// ---------------------------------------------------------------- records

/// A parse warning with its JSON path and stable id (e.g. `misspelled_field(day_of_week)`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TariffWarning {
    /// JSON path, e.g. `$.elements[0].restrictions.dayOfWeek`.
    pub path: String,
    /// The stable id.
    pub id: String,
    /// What.
    pub kind: ParseWarningKind,
}

impl From<ParseWarning> for TariffWarning {
    fn from(w: ParseWarning) -> Self {
        Self {
            id: w.id(),
            path: w.path,
            kind: w.kind,
        }
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LintFinding {
    /// The rule.
    pub rule: LintRule,
    /// Its stable id, e.g. `never_valid`.
    pub id: String,
    /// How serious.
    pub severity: Severity,
    /// JSON path, e.g. `$.elements[2].restrictions`.
    pub path: String,
    /// Plain-English explanation.
    pub message: String,
}

impl From<CoreFinding> for LintFinding {
    fn from(f: CoreFinding) -> Self {
        Self {
            id: f.rule.as_str().to_string(),
            rule: f.rule,
            severity: f.severity,
            path: f.path,
            message: f.message,
        }
    }
}

/// One priced case of a dimension: a condition (none for the unconditional case) and a price.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExplanationLine {
    /// The element it comes from (null for "otherwise free").
    pub element: Option<u64>,
    /// When it applies, in words (null: always / otherwise).
    pub condition: Option<String>,
    /// The price in words, e.g. "€0.25 per kWh".
    pub price: String,
    /// Billing granularity in words, if any.
    pub step: Option<String>,
}

impl From<CoreExplanationLine> for ExplanationLine {
    fn from(l: CoreExplanationLine) -> Self {
        Self {
            element: l.element.map(wide),
            condition: l.condition,
            price: l.price,
            step: l.step,
        }
    }
}

/// One dimension of the tariff, explained.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExplanationSection {
    /// The dimension heading, e.g. "Energy".
    pub heading: String,
    /// The cases in priority order.
    pub lines: Vec<ExplanationLine>,
    /// A remark on the section.
    pub note: Option<String>,
}

/// A tariff in plain language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TariffExplanation {
    /// The language.
    pub language: Language,
    /// One section per priced dimension.
    pub sections: Vec<ExplanationSection>,
    /// Session-wide notes: minimum/maximum price, VAT.
    pub notes: Vec<String>,
    /// One paragraph, e.g. "€0.25 per kWh. Prices exclude 21% VAT."
    pub text: String,
    /// Markdown, one section per dimension.
    pub markdown: String,
}

impl From<Explanation> for TariffExplanation {
    fn from(e: Explanation) -> Self {
        Self {
            text: e.text(),
            markdown: e.to_markdown(),
            language: e.language,
            sections: e
                .sections
                .into_iter()
                .map(|s| ExplanationSection {
                    heading: s.heading,
                    lines: s.lines.into_iter().map(ExplanationLine::from).collect(),
                    note: s.note,
                })
                .collect(),
            notes: e.notes,
        }
    }
}

// ---------------------------------------------------------------- Tariff

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
        wide(self.inner.elements.len())
    }

    /// True when any element prices `dimension` (reservation elements excluded).
    pub fn prices(&self, dimension: TariffDimension) -> bool {
        self.inner.prices(dimension)
    }

    /// The VATs of the price components, in element and component order.
    pub fn component_vats(&self) -> Vec<Vat> {
        self.inner
            .elements
            .iter()
            .flat_map(|e| e.price_components.iter().map(|c| c.vat))
            .collect()
    }

    /// True when the tariff's validity window contains `at`.
    pub fn is_valid_at(&self, at: UtcInstant) -> bool {
        self.inner.is_valid_at(at)
    }

    /// What was odd but usable in the source JSON.
    pub fn warnings(&self) -> Vec<TariffWarning> {
        self.warnings
            .iter()
            .cloned()
            .map(TariffWarning::from)
            .collect()
    }

    /// Lints the tariff under a policy (core's `PricingPolicy` JSON; null: the default).
    #[uniffi::method(default(policy_json = None))]
    pub fn lint(&self, policy_json: Option<String>) -> Result<Vec<LintFinding>, ChargekitError> {
        let policy = pricing_policy(policy_json)?;
        guarded(|| Ok::<_, ChargekitError>(self.inner.lint_with(&policy)))
            .map(|v| v.into_iter().map(LintFinding::from).collect())
    }

    /// The tariff in plain language (English unless asked otherwise).
    #[uniffi::method(default(language = None))]
    pub fn explain(&self, language: Option<Language>) -> Result<TariffExplanation, ChargekitError> {
        let language = language.unwrap_or(Language::En);
        guarded(|| Ok::<_, ChargekitError>(self.inner.explain_in(language)))
            .map(TariffExplanation::from)
    }

    /// The tariff as OCPI JSON text of `version` (2.2.1 or 2.3.0; null: its own version,
    /// 2.1.1 tariffs as 2.2.1).
    #[uniffi::method(default(version = None))]
    pub fn to_ocpi(&self, version: Option<OcpiVersion>) -> Result<String, ChargekitError> {
        guarded(|| {
            Ok::<_, ChargekitError>(match version {
                Some(v) => self.inner.to_ocpi(v).to_string(),
                None => self.inner.to_json(),
            })
        })
    }
}

/// The stable id of a lint rule, e.g. `"never_valid"`.
#[uniffi::export]
pub fn lint_rule_id(rule: LintRule) -> String {
    rule.as_str().to_string()
}

/// The default pricing policy as core's JSON form (every field).
#[uniffi::export]
pub fn default_pricing_policy_json() -> String {
    PricingPolicy::default().to_json()
}

/// A pricing policy read and written back as core's JSON form: checks a policy and shows
/// every field a preset or partial object resolves to.
#[uniffi::export]
pub fn pricing_policy_to_json(policy_json: String) -> Result<String, ChargekitError> {
    pricing_policy(Some(policy_json)).map(|p| p.to_json())
}
