"""OCPI tariffs and pricing: CDRs and sessions priced against tariffs, with the breakdown
behind every total, tariff lint and plain-language explanations, and invoices.

- ``price_cdr(cdr, tariffs, *, timezone=None, policy=None)`` → ``PriceResult`` with
  ``total_cost``, ``total_energy_cost``, ``total_time_cost``, ``total_parking_cost``,
  ``total_fixed_cost``, ``total_reservation_cost`` (each a ``Price``: ``.excl_vat``,
  ``.incl_vat``, ``.vat``, the amounts ``.to_ocpi()`` writes: ``incl_vat`` equals
  ``excl_vat`` and ``vat`` is 0 where no VAT applies, i.e. the components lack ``vat``;
  both are None only where the VAT is unknown, as for OCPI 2.1.1 tariffs), ``.breakdown``
  and ``.to_ocpi()`` (the CDR dict with its costs filled)
- ``Tariff(json, version=None)`` with ``.lint()`` (``LintFinding``\\ s) and ``.explain()``
  (an ``Explanation``)
- ``Invoice(result, number)`` (or ``result.invoice(number)``) with ``.to_text()`` and
  ``.to_html()``
- ``Session.price(tariff, *, timezone, policy=None)`` and ``Session.price_live(...)``
  (a ``LivePrice``) price an assembled session directly

CDRs and tariffs are JSON text or parsed dicts (``json.loads(text, parse_float=Decimal)``
keeps prices exact; floats from a plain ``json.loads`` are read as the shortest text that
reads back to them). ``policy`` is None (the OCPI 2.2.1 bugfix reading), a preset name
(``"ocpi_tariffs"``, ``"ocpi_kit"``, ``"ev_server"``) or a dict of the core's
``PricingPolicy`` fields, e.g. ``{"preset": "ocpi_tariffs", "rounding": "default"}``.

The plain results are the core's records (``Decimal`` amounts, aware UTC ``datetime``
instants, wire names as ``str``); the record classes below add only the Python spelling
of a few fields. Nested records without a name of their own in ``__all__``:
``StepAdjustment`` and ``Clamp`` (in a ``Breakdown``), ``ExplanationSection`` and
``ExplanationLine`` (in an ``Explanation``), ``VatSummary`` (in an ``Invoice``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Iterator, List, Optional

from ._chargekit import Invoice, LivePrice, PriceResult, Tariff, price_cdr
from ._records import Record, record

__all__ = [
    "price_cdr",
    "Tariff",
    "PriceResult",
    "Price",
    "Breakdown",
    "PriceLine",
    "Invoice",
    "InvoiceLine",
    "LintFinding",
    "Explanation",
    "LivePrice",
]

_MODULE = "chargekit.ocpi"


@record(module=_MODULE)
class Price(Record):
    """An amount: ``excl_vat``, ``incl_vat`` (equal to ``excl_vat`` where no VAT applies,
    None only where the VAT is unknown) and ``vat`` (their difference: 0, or None likewise)."""

    excl_vat: Decimal
    incl_vat: Optional[Decimal]
    vat: Optional[Decimal]

    __slots__ = ()


@record("Line", module=_MODULE)
class PriceLine(Record):
    """One priced line: a dimension in a period (``period``, ``start``, ``end``), the
    component that priced it (``tariff_id``, ``element``, ``dimension``, ``category``,
    ``unit_price``, ``step_size``), why (``reason``), the quantities (``volume``,
    ``billed_volume`` in ``unit``: ``"kWh"``, ``"h"`` or ``"session"``) and ``cost``."""

    period: int
    start: datetime
    end: datetime
    category: str
    dimension: str
    tariff_id: str
    element: Optional[int]
    reason: List[str]
    unit: str
    volume: Decimal
    billed_volume: Decimal
    step_size: int
    unit_price: Decimal
    cost: Price

    __slots__ = ()

    vat = property(lambda self: self._data["vat"]["kind"],
                   doc='``"rate"``, ``"not_applicable"`` (no VAT) or ``"unknown"`` (OCPI 2.1.1).')
    vat_rate = property(lambda self: self._data["vat"].get("percent"),
                        doc="The component's VAT rate in percent (None: not applicable or unknown).")


@record(module=_MODULE)
class StepAdjustment(Record):
    """A step-size rounding: ``group``, the ``line`` (index) that took the difference,
    the billable quantity ``before`` and ``after``, ``step_size``."""

    group: str
    line: int
    before: Decimal
    after: Decimal
    step_size: int

    __slots__ = ()


@record(module=_MODULE)
class Clamp(Record):
    """How the total was clamped: ``bound`` (``"min_price"`` or ``"max_price"``),
    ``before`` and ``after`` (``Price``)."""

    before: Price
    after: Price
    bound: str

    __slots__ = ()


@record(module=_MODULE)
class Breakdown(Record):
    """Everything behind a price: ``lines`` (``PriceLine``; export credits, category
    ``"energy_export"``, after the charges), ``steps`` (``StepAdjustment``),
    ``exact_total``, ``clamp`` (the tariff's min/max, on the charges), ``zero_clamp`` (a
    negative total raised to zero, policy ``allow_negative_total``), ``rounding`` and the
    ``timezone`` restrictions were evaluated in."""

    lines: List[PriceLine]
    steps: List[StepAdjustment]
    exact_total: Price
    clamp: Optional[Clamp]
    zero_clamp: Optional[Clamp]
    rounding: Record
    timezone: str

    __slots__ = ()


@record(module=_MODULE)
class InvoiceLine(Record):
    """One invoice line (the lines add up to ``Invoice.net`` exactly): ``description``,
    ``detail``, ``tariff_id``, ``element``, ``quantity``, ``quantity_consumed``, ``unit``,
    ``unit_price``, ``vat_rate``, ``net``."""

    description: str
    detail: str
    tariff_id: Optional[str]
    element: Optional[int]
    quantity: Decimal
    quantity_consumed: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Optional[Decimal]
    net: Decimal

    __slots__ = ()

    @property
    def kind(self) -> str:
        """``"charge"``, ``"price_limit"`` (min/max adjustment) or ``"rounding"``."""
        kind = self._data["kind"]
        return kind if isinstance(kind, str) else next(iter(kind))

    @property
    def category(self) -> Optional[str]:
        """For a charge, its cost category (e.g. ``"energy"``); else None."""
        kind = self._data["kind"]
        return None if isinstance(kind, str) else kind["charge"]


@record(module=_MODULE)
class VatSummary(Record):
    """The VAT of one rate: ``rate`` (None: lines without VAT), ``base`` and ``vat``;
    unpacks as ``(rate, base, vat)``."""

    rate: Optional[Decimal]
    base: Decimal
    vat: Decimal

    __slots__ = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self._data["rate"], self._data["base"], self._data["vat"]))


@record(module=_MODULE)
class LintFinding(Record):
    """One finding of the tariff linter: ``rule`` (e.g. ``"missing_fallback"``),
    ``severity`` (``"info"``, ``"warning"``, ``"error"``), ``path`` and ``message``."""

    rule: str
    severity: str
    path: str
    message: str

    __slots__ = ()


@record(module=_MODULE)
class ExplanationSection(Record):
    """One priced dimension: ``heading``, ``lines`` (``ExplanationLine``) and ``note``."""

    heading: str
    lines: List[ExplanationLine]
    note: Optional[str]

    __slots__ = ()


@record(module=_MODULE)
class ExplanationLine(Record):
    """One priced case: ``element``, ``condition``, ``price`` and ``step``, in words."""

    element: Optional[int]
    condition: Optional[str]
    price: str
    step: Optional[str]

    __slots__ = ()


@record(module=_MODULE)
class Explanation(Record):
    """A tariff in plain language: ``text()`` (one paragraph, also ``str()``),
    ``to_markdown()``, and the structure (``language``, ``sections``, ``notes``)."""

    language: str
    sections: List[ExplanationSection]
    notes: List[str]
    markdown: str

    __slots__ = ()

    @property
    def text(self) -> Callable[[], str]:
        """``text()``: the explanation as one paragraph (the field, called as the method the
        API has always had)."""
        paragraph = self.__dict__["text"]
        return lambda: paragraph

    def to_markdown(self) -> str:
        """The explanation as Markdown."""
        return self._data["markdown"]

    def __str__(self) -> str:
        return self._data["text"]

    def __repr__(self) -> str:
        return f"Explanation({self._data['text']!r})"
