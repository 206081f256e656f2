//! `chargekit.ocpi`: tariffs (`chargekit::tariff`) and pricing (`chargekit::billing`):
//! `Tariff`, `price_cdr`, `PriceResult` with its breakdown, `Invoice`, and the pricing of
//! sessions (`Session.price`, `Session.price_live` call [`price_session`] / [`price_live`]).
//! Policies cross through the core's serde form (`PricingPolicy::from_value`).

use crate::convert::{self, Floats, Numbers};
use crate::errors::core;
use chargekit::billing::{
    self, Breakdown, CostCategory, Invoice, InvoiceKind, InvoiceLine, Line, LineKind, LivePrice,
    Price, PriceResult, PricingPolicy, QuantityUnit,
};
use chargekit::session::Session;
use chargekit::tariff::{
    Explanation, Language, LintFinding, OcpiVersion, ParseWarning, Tariff, Vat,
};
use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec_repr(d: Decimal) -> String {
    format!("Decimal('{d}')")
}

fn opt_dec_repr(d: Option<Decimal>) -> String {
    d.map_or_else(|| "None".into(), dec_repr)
}

/// `policy=`: None (the default), a preset name (`"ocpi_tariffs"`), or a dict of
/// `PricingPolicy` fields (optionally with `"preset"`), read by the core.
pub fn policy(obj: Option<&Bound<'_, PyAny>>) -> PyResult<PricingPolicy> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(PricingPolicy::default());
    };
    if !(obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>()) {
        return Err(PyTypeError::new_err(format!(
            "policy must be a preset name, a dict of PricingPolicy fields or None, got {}",
            obj.get_type().name()?
        )));
    }
    core(PricingPolicy::from_value(convert::py_to_json(
        obj,
        Floats::Reject,
    )?))
}

/// `timezone=`: an IANA name, or a `zoneinfo.ZoneInfo` (its `key`).
fn timezone_name(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return obj.extract::<String>();
    }
    if let Ok(key) = obj.getattr("key") {
        if key.is_instance_of::<PyString>() {
            return key.extract::<String>();
        }
    }
    Err(PyTypeError::new_err(format!(
        "timezone must be an IANA name (str) or a zoneinfo.ZoneInfo, got {}",
        obj.get_type().name()?
    )))
}

fn opt_timezone(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    obj.filter(|o| !o.is_none()).map(timezone_name).transpose()
}

fn ocpi_version(v: &str) -> PyResult<OcpiVersion> {
    OcpiVersion::from_str(v).map_err(PyValueError::new_err)
}

/// One tariff argument: a `Tariff`, JSON text (one tariff or an array), or a dict.
fn push_tariffs(obj: &Bound<'_, PyAny>, out: &mut Vec<Tariff>) -> PyResult<()> {
    if let Ok(t) = obj.cast::<PyTariff>() {
        out.push(t.get().tariff.clone());
        return Ok(());
    }
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        let text = convert::document_text(obj, "tariff")?;
        out.extend(core(billing::tariffs_from_json(&text))?);
        return Ok(());
    }
    if obj.is_instance_of::<PyDict>() {
        let v = convert::py_to_json(obj, Floats::Allow)?;
        out.push(core(Tariff::from_value(&v))?);
        return Ok(());
    }
    Err(PyTypeError::new_err(format!(
        "a tariff is a chargekit.ocpi.Tariff, JSON text or a dict, got {}",
        obj.get_type().name()?
    )))
}

/// `tariffs`: one tariff (see [`push_tariffs`]) or a list / tuple of them.
pub fn tariffs(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Tariff>> {
    let mut out = Vec::new();
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        for item in obj.try_iter()? {
            push_tariffs(&item?, &mut out)?;
        }
    } else {
        push_tariffs(obj, &mut out)?;
    }
    Ok(out)
}

fn lint_list(findings: Vec<LintFinding>) -> Vec<PyLintFinding> {
    findings.into_iter().map(PyLintFinding).collect()
}

/// An OCPI tariff (2.1.1, 2.2.1 or 2.3.0, read into one model).
///
/// ``Tariff(tariff, version=None)``: JSON text or a dict; ``version`` forces
/// ``"2.1.1"``/``"2.2.1"``/``"2.3.0"`` (None: detected). Oddities the lenient reader
/// accepted are listed in ``warnings``.
#[pyclass(frozen, eq, name = "Tariff", module = "chargekit.ocpi")]
#[derive(Clone)]
pub struct PyTariff {
    tariff: Tariff,
    warnings: Vec<ParseWarning>,
}

impl PyTariff {
    /// The core's model (for other modules that take a tariff, e.g. planning).
    pub fn tariff(&self) -> &Tariff {
        &self.tariff
    }
}

/// Two tariffs are equal when their models are (the reader's warnings do not count).
impl PartialEq for PyTariff {
    fn eq(&self, other: &Self) -> bool {
        self.tariff == other.tariff
    }
}

#[pymethods]
impl PyTariff {
    #[new]
    #[pyo3(signature = (tariff, version=None))]
    fn new(tariff: &Bound<'_, PyAny>, version: Option<&str>) -> PyResult<Self> {
        let version = version.map(ocpi_version).transpose()?;
        let parsed = if tariff.is_instance_of::<PyDict>() {
            let v = convert::py_to_json(tariff, Floats::Allow)?;
            Tariff::from_value_with_warnings(&v, version)
        } else {
            let text = convert::document_text(tariff, "tariff")?;
            Tariff::from_json_with_warnings(&text, version)
        };
        let (tariff, warnings) = core(parsed)?;
        Ok(Self { tariff, warnings })
    }

    /// The tariff id.
    #[getter]
    fn id(&self) -> &str {
        &self.tariff.id
    }
    /// ISO 4217 currency code.
    #[getter]
    fn currency(&self) -> &str {
        self.tariff.currency.as_str()
    }
    /// The OCPI version it was read as.
    #[getter]
    fn version(&self) -> &'static str {
        self.tariff.version.as_str()
    }
    /// ``country_code``.
    #[getter]
    fn country_code(&self) -> Option<&str> {
        self.tariff.country_code.as_deref()
    }
    /// ``party_id``.
    #[getter]
    fn party_id(&self) -> Option<&str> {
        self.tariff.party_id.as_deref()
    }
    /// ``type``, e.g. ``"REGULAR"``.
    #[getter]
    fn tariff_type(&self) -> Option<&'static str> {
        self.tariff.tariff_type.map(|t| t.as_str())
    }
    /// What the reader accepted but noticed, as ``(json_path, id)`` pairs, e.g.
    /// ``("$.elements[0].price_componets", "misspelled_field(price_components)")``.
    #[getter]
    fn warnings(&self) -> Vec<(String, String)> {
        self.warnings
            .iter()
            .map(|w| (w.path.clone(), w.id()))
            .collect()
    }
    /// Findings of the tariff linter (elements that never apply, reversed bounds, missing
    /// fallbacks, …) under ``policy`` (see ``price_cdr``).
    #[pyo3(signature = (policy=None))]
    fn lint(&self, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PyLintFinding>> {
        Ok(lint_list(match policy.filter(|p| !p.is_none()) {
            None => self.tariff.lint(),
            Some(_) => self.tariff.lint_with(&self::policy(policy)?),
        }))
    }
    /// The tariff in plain language (``language``: ``"en"`` or ``"nl"``).
    #[pyo3(signature = (language="en"))]
    fn explain(&self, language: &str) -> PyResult<PyExplanation> {
        let lang = Language::from_str(language).map_err(PyValueError::new_err)?;
        Ok(PyExplanation(self.tariff.explain_in(lang)))
    }
    /// True when the tariff is valid at the instant (``start_date_time``/``end_date_time``).
    fn is_valid_at(&self, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.tariff.is_valid_at(convert::aware_utc(at)?))
    }
    /// The tariff as OCPI JSON (``"2.2.1"`` or ``"2.3.0"``; None: its own version), a
    /// dict whose numbers are all ``Decimal``.
    #[pyo3(signature = (version=None))]
    fn to_ocpi<'py>(&self, py: Python<'py>, version: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let v = version
            .map(ocpi_version)
            .transpose()?
            .unwrap_or(self.tariff.version);
        convert::json_to_py(py, &self.tariff.to_ocpi(v), Numbers::Decimal)
    }
    /// The tariff as OCPI JSON text in its own version.
    fn to_json(&self) -> String {
        self.tariff.to_json()
    }
    fn __repr__(&self) -> String {
        format!(
            "Tariff(id={:?}, currency='{}', version='{}', elements={})",
            self.tariff.id,
            self.tariff.currency.as_str(),
            self.tariff.version.as_str(),
            self.tariff.elements.len()
        )
    }
}

/// One finding of the tariff linter.
#[pyclass(frozen, eq, name = "LintFinding", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyLintFinding(pub LintFinding);

#[pymethods]
impl PyLintFinding {
    /// The rule, e.g. ``"missing_fallback"``.
    #[getter]
    fn rule(&self) -> &'static str {
        self.0.rule.as_str()
    }
    /// ``"info"``, ``"warning"`` or ``"error"``.
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.as_str()
    }
    /// JSON path of what it concerns, e.g. ``$.elements[1]``.
    #[getter]
    fn path(&self) -> &str {
        &self.0.path
    }
    /// Explanation.
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }
    fn __repr__(&self) -> String {
        format!(
            "LintFinding(rule='{}', severity='{}', path={:?})",
            self.0.rule.as_str(),
            self.0.severity.as_str(),
            self.0.path
        )
    }
}

/// A tariff in plain language: ``text()`` (one paragraph), ``to_markdown()``, and the
/// structure (``sections``, ``notes``).
#[pyclass(frozen, eq, name = "Explanation", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyExplanation(pub Explanation);

#[pymethods]
impl PyExplanation {
    /// The explanation as one paragraph.
    fn text(&self) -> String {
        self.0.text()
    }
    /// The explanation as Markdown.
    fn to_markdown(&self) -> String {
        self.0.to_markdown()
    }
    /// ``"en"`` or ``"nl"``.
    #[getter]
    fn language(&self) -> &'static str {
        match self.0.language {
            Language::En => "en",
            Language::Nl => "nl",
        }
    }
    /// Sections: ``{"heading", "lines": [{"element", "condition", "price", "step"}], "note"}``.
    #[getter]
    fn sections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for s in &self.0.sections {
            let d = PyDict::new(py);
            d.set_item("heading", &s.heading)?;
            let lines = PyList::empty(py);
            for l in &s.lines {
                let ld = PyDict::new(py);
                ld.set_item("element", l.element)?;
                ld.set_item("condition", l.condition.as_deref())?;
                ld.set_item("price", &l.price)?;
                ld.set_item("step", l.step.as_deref())?;
                lines.append(ld)?;
            }
            d.set_item("lines", lines)?;
            d.set_item("note", s.note.as_deref())?;
            out.append(d)?;
        }
        Ok(out)
    }
    /// General notes (VAT, validity, …).
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.0.notes.clone()
    }
    fn __str__(&self) -> String {
        self.0.text()
    }
    fn __repr__(&self) -> String {
        format!("Explanation({:?})", self.0.text())
    }
}

/// An amount excluding and including VAT; ``incl_vat`` is None where no VAT applies
/// (every component's ``vat`` absent, or unknown as in OCPI 2.1.1 tariffs).
#[pyclass(frozen, eq, hash, name = "Price", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyPrice(pub Price);

#[pymethods]
impl PyPrice {
    /// Excluding VAT.
    #[getter]
    fn excl_vat(&self) -> Decimal {
        self.0.excl_vat
    }
    /// Including VAT, when known.
    #[getter]
    fn incl_vat(&self) -> Option<Decimal> {
        self.0.incl_vat
    }
    /// The VAT amount, when known.
    #[getter]
    fn vat(&self) -> Option<Decimal> {
        self.0.vat()
    }
    fn __repr__(&self) -> String {
        format!(
            "Price(excl_vat={}, incl_vat={})",
            dec_repr(self.0.excl_vat),
            opt_dec_repr(self.0.incl_vat)
        )
    }
}

fn quantity_unit(u: QuantityUnit) -> &'static str {
    match u {
        QuantityUnit::Kwh => "kWh",
        QuantityUnit::Hour => "h",
        QuantityUnit::Session => "session",
    }
}

fn vat_kind(v: Vat) -> &'static str {
    match v {
        Vat::NotApplicable => "not_applicable",
        Vat::Rate(_) => "rate",
        Vat::Unknown => "unknown",
    }
}

/// One priced line: a dimension in a period, the component that priced it, and why.
#[pyclass(frozen, eq, name = "PriceLine", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyPriceLine(pub Line);

#[pymethods]
impl PyPriceLine {
    /// Index of the period (in time order).
    #[getter]
    fn period(&self) -> usize {
        self.0.period
    }
    /// Period start.
    #[getter]
    fn start(&self) -> DateTime<Utc> {
        self.0.start
    }
    /// Period end.
    #[getter]
    fn end(&self) -> DateTime<Utc> {
        self.0.end
    }
    /// The CDR total it counts toward: ``"energy"``, ``"time"``, ``"parking"``,
    /// ``"fixed"``, ``"reservation"`` or ``"idle_fee"``.
    #[getter]
    fn category(&self) -> &'static str {
        self.0.category.as_str()
    }
    /// The tariff dimension, e.g. ``"ENERGY"``.
    #[getter]
    fn dimension(&self) -> &'static str {
        self.0.dimension.as_str()
    }
    /// The tariff that priced it.
    #[getter]
    fn tariff_id(&self) -> &str {
        &self.0.tariff_id
    }
    /// Index of the tariff element (None for chargekit idle fees).
    #[getter]
    fn element(&self) -> Option<usize> {
        self.0.element
    }
    /// Why the element applied: each restriction that held.
    #[getter]
    fn reason(&self) -> Vec<String> {
        self.0.reason.clone()
    }
    /// Unit of the quantities: ``"kWh"``, ``"h"`` or ``"session"``.
    #[getter]
    fn unit(&self) -> &'static str {
        quantity_unit(self.0.unit)
    }
    /// Quantity consumed.
    #[getter]
    fn volume(&self) -> Decimal {
        self.0.volume
    }
    /// Quantity billed after step rounding.
    #[getter]
    fn billed_volume(&self) -> Decimal {
        self.0.billed_volume
    }
    /// The step size applied, Wh or s (0: none).
    #[getter]
    fn step_size(&self) -> u32 {
        self.0.step_size
    }
    /// Price per unit as the tariff states it.
    #[getter]
    fn unit_price(&self) -> Decimal {
        self.0.unit_price
    }
    /// The component's VAT rate in percent (None: not applicable or unknown, see ``vat``).
    #[getter]
    fn vat_rate(&self) -> Option<Decimal> {
        self.0.vat.rate()
    }
    /// ``"rate"``, ``"not_applicable"`` (no VAT) or ``"unknown"`` (OCPI 2.1.1).
    #[getter]
    fn vat(&self) -> &'static str {
        vat_kind(self.0.vat)
    }
    /// The amount.
    #[getter]
    fn cost(&self) -> PyPrice {
        PyPrice(self.0.cost)
    }
    fn __repr__(&self) -> String {
        format!(
            "PriceLine(period={}, {} {} {} x {} = {})",
            self.0.period,
            self.0.dimension.as_str(),
            self.0.billed_volume,
            quantity_unit(self.0.unit),
            self.0.unit_price,
            self.0.cost.excl_vat
        )
    }
}

/// Everything behind a price: the lines, step roundings, clamping and rounding.
#[pyclass(frozen, eq, name = "Breakdown", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyBreakdown(pub Breakdown);

#[pymethods]
impl PyBreakdown {
    /// Every priced line, in period order.
    #[getter]
    fn lines(&self) -> Vec<PyPriceLine> {
        self.0.lines.iter().cloned().map(PyPriceLine).collect()
    }
    /// Step-size roundings: ``{"group", "line", "before", "after", "step_size"}``.
    #[getter]
    fn steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for s in &self.0.steps {
            let d = PyDict::new(py);
            d.set_item("group", &s.group)?;
            d.set_item("line", s.line)?;
            d.set_item("before", s.before)?;
            d.set_item("after", s.after)?;
            d.set_item("step_size", s.step_size)?;
            out.append(d)?;
        }
        Ok(out)
    }
    /// The unrounded total before clamping.
    #[getter]
    fn exact_total(&self) -> PyPrice {
        PyPrice(self.0.exact_total)
    }
    /// Min/max clamping: ``{"bound", "before", "after"}`` or None.
    #[getter]
    fn clamp<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(c) = &self.0.clamp else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        d.set_item("bound", &c.bound)?;
        d.set_item("before", PyPrice(c.before))?;
        d.set_item("after", PyPrice(c.after))?;
        Ok(Some(d))
    }
    /// The time zone restrictions were evaluated in.
    #[getter]
    fn timezone(&self) -> &str {
        &self.0.timezone
    }
    fn __repr__(&self) -> String {
        format!(
            "Breakdown(lines={}, steps={}, timezone={:?})",
            self.0.lines.len(),
            self.0.steps.len(),
            self.0.timezone
        )
    }
}

/// The result of pricing: the CDR totals (``Price`` each), with the breakdown behind them.
#[pyclass(frozen, eq, name = "PriceResult", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyPriceResult(pub PriceResult);

#[pymethods]
impl PyPriceResult {
    /// Currency of every amount.
    #[getter]
    fn currency(&self) -> &str {
        self.0.currency.as_str()
    }
    /// The tariff(s) that priced the session.
    #[getter]
    fn tariff_ids(&self) -> Vec<String> {
        self.0.tariff_ids.clone()
    }
    /// ``total_cost`` (clamped to min/max, negated for a credit CDR, rounded).
    #[getter]
    fn total_cost(&self) -> PyPrice {
        PyPrice(self.0.cost(None))
    }
    /// ``total_energy_cost`` (zero when not priced: see ``priced``).
    #[getter]
    fn total_energy_cost(&self) -> PyPrice {
        PyPrice(self.0.energy_cost())
    }
    /// ``total_time_cost`` (charging time).
    #[getter]
    fn total_time_cost(&self) -> PyPrice {
        PyPrice(self.0.time_cost())
    }
    /// ``total_parking_cost`` (parking, parking FLAT and chargekit idle fees).
    #[getter]
    fn total_parking_cost(&self) -> PyPrice {
        PyPrice(self.0.parking_cost())
    }
    /// ``total_fixed_cost``.
    #[getter]
    fn total_fixed_cost(&self) -> PyPrice {
        PyPrice(self.0.fixed_cost())
    }
    /// ``total_reservation_cost``.
    #[getter]
    fn total_reservation_cost(&self) -> PyPrice {
        PyPrice(self.0.reservation_cost())
    }
    /// The cost totals some component priced: a subset of ``"energy"``, ``"time"``,
    /// ``"parking"``, ``"fixed"``, ``"reservation"`` (the others are zero and absent
    /// from the OCPI output).
    #[getter]
    fn priced(&self) -> Vec<&'static str> {
        [
            CostCategory::Energy,
            CostCategory::Time,
            CostCategory::Parking,
            CostCategory::Fixed,
            CostCategory::Reservation,
        ]
        .into_iter()
        .filter(|c| self.0.total(*c).is_some())
        .map(CostCategory::as_str)
        .collect()
    }
    /// Energy consumed, kWh.
    #[getter]
    fn total_energy(&self) -> Decimal {
        self.0.total_energy
    }
    /// Session duration, hours.
    #[getter]
    fn total_time(&self) -> Decimal {
        self.0.total_time
    }
    /// Charging time, hours.
    #[getter]
    fn total_charging_time(&self) -> Decimal {
        self.0.total_charging_time
    }
    /// Parking time, hours.
    #[getter]
    fn total_parking_time(&self) -> Decimal {
        self.0.total_parking_time
    }
    /// Energy billed after step rounding, kWh.
    #[getter]
    fn billed_energy(&self) -> Decimal {
        self.0.billed_energy
    }
    /// True for a credit CDR (``total_cost`` negated).
    #[getter]
    fn credit(&self) -> bool {
        self.0.credit
    }
    /// What the pricer noticed, as stable ids (sorted), e.g. ``"total_cost_clamped_to_min"``.
    #[getter]
    fn notes(&self) -> Vec<&'static str> {
        self.0.note_ids()
    }
    /// The lines and how the totals were reached.
    #[getter]
    fn breakdown(&self) -> PyBreakdown {
        PyBreakdown(self.0.breakdown.clone())
    }
    /// The priced CDR: the input CDR (for a session, a new 2.2.1 CDR) with its cost
    /// fields filled, as a dict whose numbers are all ``Decimal``.
    fn to_ocpi<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::json_to_py(py, &self.0.to_ocpi(), Numbers::Decimal)
    }
    /// The result as the core's JSON text (breakdown included).
    fn to_json(&self) -> String {
        self.0.to_json()
    }
    /// An invoice for this result, numbered ``number``.
    fn invoice(&self, number: &str) -> PyInvoice {
        PyInvoice(Invoice::from_result(&self.0, number))
    }
    fn __repr__(&self) -> String {
        format!(
            "PriceResult(currency='{}', total_cost={}, tariff_ids={:?})",
            self.0.currency.as_str(),
            PyPrice(self.0.total_cost).__repr__(),
            self.0.tariff_ids
        )
    }
}

/// One invoice line; the lines add up to ``Invoice.net`` exactly.
#[pyclass(frozen, eq, name = "InvoiceLine", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyInvoiceLine(pub InvoiceLine);

#[pymethods]
impl PyInvoiceLine {
    /// ``"charge"``, ``"price_limit"`` (min/max adjustment) or ``"rounding"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0.kind {
            LineKind::Charge(_) => "charge",
            LineKind::PriceLimit => "price_limit",
            LineKind::Rounding => "rounding",
        }
    }
    /// For a charge, its cost category (e.g. ``"energy"``); else None.
    #[getter]
    fn category(&self) -> Option<&'static str> {
        match self.0.kind {
            LineKind::Charge(c) => Some(c.as_str()),
            _ => None,
        }
    }
    /// E.g. ``"Energy"``.
    #[getter]
    fn description(&self) -> &str {
        &self.0.description
    }
    /// E.g. the element's conditions.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }
    /// The tariff.
    #[getter]
    fn tariff_id(&self) -> Option<&str> {
        self.0.tariff_id.as_deref()
    }
    /// The tariff element.
    #[getter]
    fn element(&self) -> Option<usize> {
        self.0.element
    }
    /// Quantity billed.
    #[getter]
    fn quantity(&self) -> Decimal {
        self.0.quantity
    }
    /// Quantity consumed.
    #[getter]
    fn quantity_consumed(&self) -> Decimal {
        self.0.quantity_consumed
    }
    /// ``"kWh"``, ``"h"`` or ``"session"``.
    #[getter]
    fn unit(&self) -> &'static str {
        quantity_unit(self.0.unit)
    }
    /// Price per unit.
    #[getter]
    fn unit_price(&self) -> Decimal {
        self.0.unit_price
    }
    /// VAT rate in percent (None: no VAT or unknown).
    #[getter]
    fn vat_rate(&self) -> Option<Decimal> {
        self.0.vat_rate
    }
    /// Net amount, in the currency's minor units.
    #[getter]
    fn net(&self) -> Decimal {
        self.0.net
    }
    fn __repr__(&self) -> String {
        format!(
            "InvoiceLine({:?}, net={})",
            self.0.description,
            dec_repr(self.0.net)
        )
    }
}

/// An invoice (or credit note) for a priced session: lines, VAT per rate, net and gross.
///
/// ``Invoice(result, number)``, or ``result.invoice(number)``.
#[pyclass(frozen, eq, name = "Invoice", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyInvoice(pub Invoice);

#[pymethods]
impl PyInvoice {
    #[new]
    fn new(result: PyRef<'_, PyPriceResult>, number: &str) -> Self {
        Self(Invoice::from_result(&result.0, number))
    }
    /// The invoice number.
    #[getter]
    fn number(&self) -> &str {
        &self.0.number
    }
    /// ``"invoice"`` or ``"credit_note"``.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0.kind {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }
    /// For a credit note, the number of the invoice it credits.
    #[getter]
    fn credits(&self) -> Option<&str> {
        self.0.credits.as_deref()
    }
    /// Currency.
    #[getter]
    fn currency(&self) -> &str {
        self.0.currency.as_str()
    }
    /// The tariffs.
    #[getter]
    fn tariff_ids(&self) -> Vec<String> {
        self.0.tariff_ids.clone()
    }
    /// Session start.
    #[getter]
    fn start(&self) -> Option<DateTime<Utc>> {
        self.0.start
    }
    /// Session end.
    #[getter]
    fn end(&self) -> Option<DateTime<Utc>> {
        self.0.end
    }
    /// Energy, kWh.
    #[getter]
    fn energy_kwh(&self) -> Decimal {
        self.0.energy_kwh
    }
    /// The lines (charges, price-limit adjustment, rounding).
    #[getter]
    fn lines(&self) -> Vec<PyInvoiceLine> {
        self.0.lines.iter().cloned().map(PyInvoiceLine).collect()
    }
    /// Total excluding VAT (the sum of the lines).
    #[getter]
    fn net(&self) -> Decimal {
        self.0.net
    }
    /// VAT per rate: ``(rate or None, base, vat)``.
    #[getter]
    fn vat(&self) -> Vec<(Option<Decimal>, Decimal, Decimal)> {
        self.0.vat.iter().map(|v| (v.rate, v.base, v.vat)).collect()
    }
    /// Total VAT.
    #[getter]
    fn vat_total(&self) -> Decimal {
        self.0.vat_total
    }
    /// Total including VAT.
    #[getter]
    fn gross(&self) -> Decimal {
        self.0.gross
    }
    /// A credit note for this invoice.
    fn credit_note(&self, number: &str) -> Self {
        Self(self.0.credit_note(number))
    }
    /// Plain text.
    fn to_text(&self) -> String {
        self.0.to_text()
    }
    /// A standalone HTML receipt.
    fn to_html(&self) -> String {
        self.0.to_html()
    }
    /// The invoice as JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }
    fn __repr__(&self) -> String {
        format!(
            "Invoice(number={:?}, kind='{}', net={}, gross={})",
            self.0.number,
            self.kind(),
            dec_repr(self.0.net),
            dec_repr(self.0.gross)
        )
    }
}

/// The price of a running session: ``so_far`` (what was consumed, without step rounding
/// or minimum) and ``if_stopped_now`` (the full result were it to stop at ``at``).
#[pyclass(frozen, eq, name = "LivePrice", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyLivePrice(pub LivePrice);

#[pymethods]
impl PyLivePrice {
    /// The instant priced.
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Cost so far.
    #[getter]
    fn so_far(&self) -> PyPrice {
        PyPrice(self.0.so_far)
    }
    /// The result were the session to stop now.
    #[getter]
    fn if_stopped_now(&self) -> PyPriceResult {
        PyPriceResult(self.0.if_stopped_now.clone())
    }
    fn __repr__(&self) -> String {
        format!("LivePrice(so_far={})", PyPrice(self.0.so_far).__repr__())
    }
}

/// Prices an OCPI CDR (2.1.1, 2.2.1 or 2.3.0; JSON text or a dict) against ``tariffs``
/// (one or a list of ``Tariff`` / JSON text / dicts; an empty list: the tariffs embedded in
/// the CDR). ``timezone``: IANA name or ``ZoneInfo`` for the restrictions (None: the CDR's
/// ``time_zone``, else inferred from its country). ``policy``: None, a preset name
/// (``"ocpi_tariffs"``, ``"ocpi_kit"``, ``"ev_server"``) or a dict of ``PricingPolicy``
/// fields (``{"preset": …, "rounding": …}``).
#[pyfunction]
#[pyo3(signature = (cdr, tariffs, *, timezone=None, policy=None))]
pub fn price_cdr(
    py: Python<'_>,
    cdr: &Bound<'_, PyAny>,
    tariffs: &Bound<'_, PyAny>,
    timezone: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPriceResult> {
    let tariffs = self::tariffs(tariffs)?;
    let tz = opt_timezone(timezone)?;
    let policy = self::policy(policy)?;
    let r = if cdr.is_instance_of::<PyDict>() {
        let v = convert::py_to_json(cdr, Floats::Allow)?;
        py.detach(|| billing::price_cdr_value(&v, &tariffs, tz.as_deref(), &policy))
    } else {
        let text = convert::document_text(cdr, "cdr")?;
        py.detach(|| billing::price_cdr(&text, &tariffs, tz.as_deref(), &policy))
    };
    Ok(PyPriceResult(core(r)?))
}

/// `Session.price`: the session priced against `tariffs` in `timezone`.
pub fn price_session(
    py: Python<'_>,
    session: &Session,
    tariffs: &Bound<'_, PyAny>,
    timezone: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPriceResult> {
    let tariffs = self::tariffs(tariffs)?;
    let tz = core(billing::parse_timezone(&timezone_name(timezone)?))?;
    let policy = self::policy(policy)?;
    let r = py.detach(|| billing::price_session(session, &tariffs, tz, &policy));
    Ok(PyPriceResult(core(r)?))
}

/// `Session.price_live`: the price of the session at `at`.
pub fn price_live(
    py: Python<'_>,
    session: &Session,
    tariffs: &Bound<'_, PyAny>,
    timezone: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyLivePrice> {
    let tariffs = self::tariffs(tariffs)?;
    let tz = core(billing::parse_timezone(&timezone_name(timezone)?))?;
    let at = convert::aware_utc(at)?;
    let policy = self::policy(policy)?;
    let r = py.detach(|| billing::price_live(session, &tariffs, tz, &policy, at));
    Ok(PyLivePrice(core(r)?))
}
