from ._chargekit import Breakdown as Breakdown
from ._chargekit import Explanation as Explanation
from ._chargekit import Invoice as Invoice
from ._chargekit import InvoiceLine as InvoiceLine
from ._chargekit import LintFinding as LintFinding
from ._chargekit import LivePrice as LivePrice
from ._chargekit import Price as Price
from ._chargekit import price_cdr as price_cdr
from ._chargekit import PriceLine as PriceLine
from ._chargekit import PriceResult as PriceResult
from ._chargekit import Tariff as Tariff

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
