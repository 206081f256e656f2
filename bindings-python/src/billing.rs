//! `chargekit.ocpi`: tariffs (`chargekit::tariff`) and pricing (`chargekit::billing`).
//!
//! `Tariff`, `PriceResult`, `Invoice` and `LivePrice` have behaviour (or hold a value that
//! has) and stay classes here; their fields come through the one conversion table
//! (`records::attr`). Everything else they hand out (`Price`, `PriceLine`, `Breakdown`,
//! `InvoiceLine`, `LintFinding`, `Explanation`, …) is a core record, converted by
//! `records::to_py` into the record classes of `chargekit/ocpi.py`. Arguments are only
//! converted (tariffs, policies and zones: see [`tariffs`], [`policy`]).

use crate::convert::{self, Floats, Numbers, Text};
use crate::errors::{detached, guarded, parse_arg, CoreResult};
use crate::records::{self, to_py};
use crate::Any;
use chargekit::billing::{self, Invoice, LivePrice, Price, PriceResult, PricingPolicy};
use chargekit::boundary::pricing::{self, TariffSource};
use chargekit::tariff::{Language, OcpiVersion, ParseWarning, Tariff};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use std::sync::OnceLock;

/// `policy=`: None (the default), a preset name (`"ocpi_tariffs"`), or a dict of
/// `PricingPolicy` fields (optionally with `"preset"`), read by the core.
pub fn policy(obj: Option<&Any<'_>>) -> PyResult<PricingPolicy> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(PricingPolicy::default());
    };
    if !(obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>()) {
        let expected = "policy must be a preset name, a dict of PricingPolicy fields or None";
        return Err(convert::wrong_type(obj, expected));
    }
    let value = convert::py_to_json(obj, Floats::Reject)?;
    Ok(guarded(|| PricingPolicy::from_json(&value.to_string()))?)
}

/// `version=`: an OCPI version name, or None.
fn ocpi_version(v: Option<Text>) -> CoreResult<Option<OcpiVersion>> {
    guarded(|| v.as_deref().map(OcpiVersion::parse).transpose())
}

/// One tariff argument: a `Tariff`, JSON text (one tariff or an array), or a dict.
fn tariff_source(obj: &Any<'_>) -> PyResult<TariffSource> {
    if let Ok(t) = obj.cast::<PyTariff>() {
        return Ok(TariffSource::Read(Box::new(t.get().tariff.clone())));
    }
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyDict>()
    {
        return Ok(TariffSource::Json(convert::document_text(obj, "tariff")?));
    }
    let expected = "a tariff is a chargekit.ocpi.Tariff, JSON text or a dict";
    Err(convert::wrong_type(obj, expected))
}

/// Exactly one OCPI tariff (see [`tariff_source`]).
pub fn one_tariff(obj: &Any<'_>) -> PyResult<Tariff> {
    let source = tariff_source(obj)?;
    let mut all = guarded(|| pricing::read_tariffs([source]))?;
    match all.len() {
        1 => Ok(all.remove(0)),
        n => Err(convert::bad_arg(
            "tariff",
            format!("expected one OCPI tariff, got {n}"),
        )),
    }
}

/// `tariffs`: one tariff (see [`tariff_source`]) or a list / tuple of them.
pub fn tariffs(obj: &Any<'_>) -> PyResult<Vec<Tariff>> {
    let sources = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj.try_iter()?.map(|item| tariff_source(&item?));
        items.collect::<PyResult<Vec<_>>>()?
    } else {
        vec![tariff_source(obj)?]
    };
    Ok(guarded(|| pricing::read_tariffs(sources))?)
}

/// An OCPI tariff (2.1.1, 2.2.1 or 2.3.0, read into one model).
///
/// ``Tariff(tariff, version=None)``: JSON text or a dict; ``version`` forces
/// ``"2.1.1"``/``"2.2.1"``/``"2.3.0"`` (None: detected). Its fields (``id``, ``currency``,
/// ``version``, ``country_code``, ``party_id``, ``tariff_type``, ``elements``, …) are the
/// core model's; oddities the lenient reader accepted are listed in ``warnings``.
#[pyclass(frozen, eq, name = "Tariff", module = "chargekit.ocpi")]
#[derive(Clone)]
pub struct PyTariff {
    pub(crate) tariff: Tariff,
    warnings: Vec<ParseWarning>,
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
    fn new(tariff: &Any<'_>, version: Option<Text>) -> PyResult<Self> {
        let version = ocpi_version(version)?;
        let text = convert::document_text(tariff, "tariff")?;
        let (tariff, warnings) = guarded(|| Tariff::from_json_with_warnings(&text, version))?;
        Ok(Self { tariff, warnings })
    }
    /// The tariff's fields, converted on access.
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.tariff, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().tariff)
    }
    /// What the reader accepted but noticed, as ``(json_path, id)`` pairs, e.g.
    /// ``("$.elements[0].price_componets", "misspelled_field(price_components)")``.
    #[getter]
    fn warnings<'a>(&'a self) -> Vec<(&'a str, &'a str)> {
        let pair = |w: &'a ParseWarning| (w.path.as_str(), w.id.as_str());
        self.warnings.iter().map(pair).collect()
    }
    /// Findings of the tariff linter (elements that never apply, reversed bounds, missing
    /// fallbacks, …) under ``policy`` (see ``price_cdr``): a list of ``LintFinding``.
    #[pyo3(signature = (policy=None))]
    fn lint<'py>(&self, py: Python<'py>, policy: Option<&Any<'py>>) -> PyResult<Any<'py>> {
        let policy = self::policy(policy)?;
        to_py(py, &guarded(|| Ok(self.tariff.lint_with(&policy)))?)
    }
    /// The tariff in plain language (``language``: ``"en"`` or ``"nl"``): an ``Explanation``.
    #[pyo3(signature = (language=Text("en".into())), text_signature = "($self, language='en')")]
    fn explain<'py>(&self, py: Python<'py>, language: Text) -> PyResult<Any<'py>> {
        let lang: Language = parse_arg(&language, "language")?;
        to_py(py, &guarded(|| Ok(self.tariff.explain_in(lang)))?)
    }
    /// True when the tariff is valid at the instant (``start_date_time``/``end_date_time``).
    fn is_valid_at(&self, at: &Any<'_>) -> PyResult<bool> {
        let at = convert::aware_utc(at)?;
        Ok(guarded(|| Ok(self.tariff.is_valid_at(at)))?)
    }
    /// The tariff as OCPI JSON (``"2.2.1"`` or ``"2.3.0"``; None: its own version), a
    /// dict whose numbers are all ``Decimal``.
    #[pyo3(signature = (version=None))]
    fn to_ocpi<'py>(&self, py: Python<'py>, version: Option<Text>) -> PyResult<Any<'py>> {
        let v = ocpi_version(version)?.unwrap_or(self.tariff.version);
        let ocpi = guarded(|| Ok(self.tariff.to_ocpi_json(v)))?;
        convert::json_text_to_py(py, &ocpi, Numbers::Decimal)
    }
    /// The tariff as OCPI JSON text in its own version.
    fn to_json(&self) -> CoreResult<String> {
        guarded(|| Ok(self.tariff.to_json()))
    }
    fn __repr__(&self) -> String {
        let t = &self.tariff;
        let (currency, version, n) = (t.currency.as_str(), t.version.as_str(), t.elements.len());
        format!(
            "Tariff(id={:?}, currency='{currency}', version='{version}', elements={n})",
            t.id
        )
    }
}

/// The result of pricing: the CDR totals (``Price`` each), with the ``breakdown`` behind
/// them. Its fields (``currency``, ``tariff_ids``, ``total_energy``, ``total_time``,
/// ``total_charging_time``, ``total_parking_time``, ``billed_energy``, ``credit``,
/// ``breakdown``) are the core result's.
#[pyclass(frozen, eq, name = "PriceResult", module = "chargekit.ocpi")]
pub struct PyPriceResult(pub PriceResult, [OnceLock<Py<PyAny>>; 6]);

/// Two results are equal when their values are (the converted totals do not count).
impl PartialEq for PyPriceResult {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl PyPriceResult {
    pub fn new(result: PriceResult) -> Self {
        Self(result, Default::default())
    }

    /// `TOTALS[which]`, converted once (a result is read-only): `r.total_cost is r.total_cost`.
    fn total<'py>(&self, py: Python<'py>, which: usize) -> PyResult<Any<'py>> {
        let cell = &self.1[which];
        if let Some(done) = cell.get() {
            return Ok(done.bind(py).clone());
        }
        // Converted before the cell is touched: a `PyOnceLock` would let go of the
        // interpreter around the conversion, which costs more than the conversion.
        let made = to_py(py, &guarded(|| Ok(TOTALS[which].1(&self.0)))?)?.unbind();
        Ok(cell.get_or_init(|| made).bind(py).clone())
    }
}

/// The six totals, each converted once on first read (their docs are in the stubs).
type Total = (&'static str, fn(&PriceResult) -> Price);
const TOTALS: [Total; 6] = [
    ("total_cost", |r| r.cost(None)),
    ("total_energy_cost", PriceResult::energy_cost),
    ("total_time_cost", PriceResult::time_cost),
    ("total_parking_cost", PriceResult::parking_cost),
    ("total_fixed_cost", PriceResult::fixed_cost),
    ("total_reservation_cost", PriceResult::reservation_cost),
];

#[pymethods]
impl PyPriceResult {
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        match TOTALS.iter().position(|(total, _)| *total == name) {
            Some(i) => self.total(py, i),
            None => records::attr(py, &self.0, name),
        }
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        let mut names = records::dir(slf.as_any(), &slf.get().0)?;
        names.extend(TOTALS.iter().map(|(total, _)| total.to_string()));
        Ok(names)
    }
    /// The cost totals some component priced: a subset of ``"energy"``, ``"time"``,
    /// ``"parking"``, ``"fixed"``, ``"reservation"`` (the others are zero and absent
    /// from the OCPI output).
    #[getter]
    fn priced<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        to_py(py, &guarded(|| Ok(self.0.priced()))?)
    }
    /// What the pricer noticed, as stable ids (sorted), e.g. ``"total_cost_clamped_to_min"``.
    #[getter]
    fn notes(&self) -> CoreResult<Vec<&'static str>> {
        guarded(|| Ok(self.0.note_ids()))
    }
    /// The priced CDR: the input CDR (for a session, a new 2.2.1 CDR) with its cost
    /// fields filled, as a dict whose numbers are all ``Decimal``.
    fn to_ocpi<'py>(&self, py: Python<'py>) -> PyResult<Any<'py>> {
        let ocpi = guarded(|| Ok(self.0.to_ocpi_json()))?;
        convert::json_text_to_py(py, &ocpi, Numbers::Decimal)
    }
    /// The result as the core's JSON text (breakdown included).
    fn to_json(&self) -> CoreResult<String> {
        guarded(|| Ok(self.0.to_json()))
    }
    /// An invoice for this result, numbered ``number``.
    fn invoice(&self, number: Text) -> CoreResult<PyInvoice> {
        guarded(|| Ok(PyInvoice(Invoice::from_result(&self.0, &number))))
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let currency = self.0.currency.as_str();
        let total = self.total(py, 0)?.repr()?;
        let ids = to_py(py, &self.0.tariff_ids)?.repr()?;
        Ok(format!(
            "PriceResult(currency='{currency}', total_cost={total}, tariff_ids={ids})"
        ))
    }
}

/// An invoice (or credit note) for a priced session: ``lines`` (``InvoiceLine``) that add
/// up to ``net`` exactly, ``vat`` per rate (``VatSummary``, unpacking as
/// ``(rate, base, vat)``), ``vat_total``, ``gross``, ``number``, ``kind``, ``credits``, …
///
/// ``Invoice(result, number)``, or ``result.invoice(number)``.
#[pyclass(frozen, eq, name = "Invoice", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyInvoice(pub Invoice);

#[pymethods]
impl PyInvoice {
    #[new]
    fn new(result: PyRef<'_, PyPriceResult>, number: Text) -> CoreResult<Self> {
        guarded(|| Ok(Self(Invoice::from_result(&result.0, &number))))
    }
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.0, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().0)
    }
    /// A credit note for this invoice.
    fn credit_note(&self, number: Text) -> CoreResult<Self> {
        guarded(|| Ok(Self(self.0.credit_note(&number))))
    }
    /// Plain text.
    fn to_text(&self) -> CoreResult<String> {
        guarded(|| Ok(self.0.to_text()))
    }
    /// A standalone HTML receipt.
    fn to_html(&self) -> CoreResult<String> {
        guarded(|| Ok(self.0.to_html()))
    }
    /// The invoice as JSON text.
    fn to_json(&self) -> CoreResult<String> {
        guarded(|| Ok(self.0.to_json()))
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let field = |name| records::attr(py, &self.0, name)?.repr();
        let (number, kind) = (field("number")?, field("kind")?);
        let (net, gross) = (field("net")?, field("gross")?);
        Ok(format!(
            "Invoice(number={number}, kind={kind}, net={net}, gross={gross})"
        ))
    }
}

/// The price of a running session: ``so_far`` (what was consumed, without step rounding
/// or minimum) at ``at``, and ``if_stopped_now`` (the full ``PriceResult`` were it to stop
/// then).
#[pyclass(frozen, eq, name = "LivePrice", module = "chargekit.ocpi")]
#[derive(Clone, PartialEq)]
pub struct PyLivePrice(pub LivePrice);

#[pymethods]
impl PyLivePrice {
    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Any<'py>> {
        records::attr(py, &self.0, name)
    }
    fn __dir__(slf: &Bound<'_, Self>) -> PyResult<Vec<String>> {
        records::dir(slf.as_any(), &slf.get().0)
    }
    /// The result were the session to stop now (a ``PriceResult``, with its behaviour).
    #[getter]
    fn if_stopped_now(&self) -> PyPriceResult {
        PyPriceResult::new(self.0.if_stopped_now.clone())
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let so_far = to_py(py, &self.0.so_far)?.repr()?;
        Ok(format!("LivePrice(so_far={so_far})"))
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
    cdr: &Any<'_>,
    tariffs: &Any<'_>,
    timezone: Option<&Any<'_>>,
    policy: Option<&Any<'_>>,
) -> PyResult<PyPriceResult> {
    let tariffs = self::tariffs(tariffs)?;
    let tz = convert::zone_arg(timezone, "timezone")?;
    let policy = self::policy(policy)?;
    let tz = tz.as_deref();
    let text = convert::document_text(cdr, "cdr")?;
    let r = detached(py, || billing::price_cdr(&text, &tariffs, tz, &policy))?;
    Ok(PyPriceResult::new(r))
}
