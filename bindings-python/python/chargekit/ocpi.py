"""OCPI tariffs and pricing: CDRs and sessions priced against tariffs, with the breakdown
behind every total, tariff lint and plain-language explanations, and invoices.

- ``price_cdr(cdr, tariffs, *, timezone=None, policy=None)`` → ``PriceResult`` with
  ``total_cost``, ``total_energy_cost``, ``total_time_cost``, ``total_parking_cost``,
  ``total_fixed_cost``, ``total_reservation_cost`` (each a ``Price``: ``.excl_vat``,
  ``.incl_vat``; ``incl_vat`` is None where no VAT applies: every component's ``vat``
  absent, or unknown in OCPI 2.1.1), ``.breakdown`` and ``.to_ocpi()`` (the CDR dict
  with its costs filled; there ``incl_vat`` equals ``excl_vat`` where no VAT applies)
- ``Tariff(json, version=None)`` with ``.lint()`` and ``.explain()``
- ``Invoice(result, number)`` (or ``result.invoice(number)``) with ``.to_text()`` and
  ``.to_html()``
- ``Session.price(tariff, *, timezone, policy=None)`` and ``Session.price_live(...)``
  price an assembled session directly

CDRs and tariffs are JSON text or parsed dicts (``json.loads(text, parse_float=Decimal)``
keeps prices exact; floats from a plain ``json.loads`` are read as the shortest text that
reads back to them). ``policy`` is None (the OCPI 2.2.1 bugfix reading), a preset name
(``"ocpi_tariffs"``, ``"ocpi_kit"``, ``"ev_server"``) or a dict of the core's
``PricingPolicy`` fields, e.g. ``{"preset": "ocpi_tariffs", "rounding": "default"}``.
"""

from ._chargekit import (
    Breakdown,
    Explanation,
    Invoice,
    InvoiceLine,
    LintFinding,
    LivePrice,
    Price,
    PriceLine,
    PriceResult,
    Tariff,
    price_cdr,
)

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
