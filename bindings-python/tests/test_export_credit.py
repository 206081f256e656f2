"""Energy fed back (V2X) priced as credit lines from Python: the policy's ``export`` and
``allow_negative_total`` options passed as a dict, on the bundled V2X session (7 kWh
charged, 3 kWh fed back), with the arithmetic written out."""

from decimal import Decimal
from pathlib import Path

import pytest

from chargekit.ocpi import Tariff
from chargekit.ocpp import sessions_from_messages

D = Decimal


def tariff(price: str) -> Tariff:
    return Tariff({"country_code": "DE", "party_id": "CKT", "id": "T-1", "currency": "EUR",
                   "elements": [{"price_components": [
                       {"type": "ENERGY", "price": D(price), "vat": 19, "step_size": 1}]}]})


@pytest.fixture()
def v2x(data_dir: Path):
    return sessions_from_messages((data_dir / "v2x-session-ocpp21.jsonl").read_text())[0]


CREDIT = {"export": {"per_kwh": {"price": "0.20", "vat": 19}}}


def test_credit_lines_invoice_and_credit_note(v2x) -> None:
    r = v2x.price(tariff("0.30"), timezone="UTC", policy=CREDIT)
    # 7 × 0.30 = 2.10 net (2.499 gross); −(3 × 0.20) = −0.60 net (−0.714 gross).
    # Total 1.50 net, 1.785 → 1.79 gross.
    assert (r.total_cost.excl_vat, r.total_cost.incl_vat) == (D("1.50"), D("1.79"))
    assert (r.total_energy_cost.excl_vat, r.total_energy_cost.incl_vat) == (D("2.10"), D("2.50"))
    credit = r.total_energy_export_cost
    assert (credit.excl_vat, credit.incl_vat) == (D("-0.60"), D("-0.71"))
    fed = [l for l in r.breakdown.lines if l.category == "energy_export"]
    assert sum(l.volume for l in fed) == D(3) and all(l.cost.excl_vat < 0 for l in fed)
    assert r.to_ocpi()["remark"] == "total_cost includes -0.60 EUR excl. VAT for 3 kWh fed back (V2X)"
    inv = r.invoice("V-1")
    line = next(l for l in inv.lines if l.description == "Energy fed back (V2X)")
    assert (line.quantity, line.unit_price, line.vat_rate, line.net) == (D(3), D("0.20"), D(19), D("-0.60"))
    # 19 % of 2.10 − 0.60 = 1.50 → 0.285 → 0.29; gross 1.79.
    assert (inv.net, inv.vat_total, inv.gross) == (D("1.50"), D("0.29"), D("1.79"))
    note = inv.credit_note("V-2")
    assert next(l.net for l in note.lines if l.description == "Energy fed back (V2X)") == D("0.60")
    assert note.gross == D("-1.79")


def test_negative_total_only_when_allowed(v2x) -> None:
    # 7 × 0.05 = 0.35 net; 0.35 − 0.60 = −0.25 net, 0.4165 − 0.714 = −0.2975 → −0.30 gross.
    allowed = v2x.price(tariff("0.05"), timezone="UTC", policy={**CREDIT, "allow_negative_total": True})
    assert (allowed.total_cost.excl_vat, allowed.total_cost.incl_vat) == (D("-0.25"), D("-0.30"))
    clamped = v2x.price(tariff("0.05"), timezone="UTC", policy=CREDIT)
    assert clamped.total_cost.excl_vat == 0 and clamped.total_cost.incl_vat == 0
    assert clamped.notes == ["total_cost_clamped_to_zero"]
    # The default policy ignores export: 7 × 0.05 = 0.35.
    assert v2x.price(tariff("0.05"), timezone="UTC").total_cost.excl_vat == D("0.35")
