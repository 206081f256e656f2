"""Decimals in Python dicts reach the core exactly and come back exactly: the wheel is built
without serde_json's `arbitrary_precision`, so the binding hands the core JSON text whose
numbers are the Decimals' own digits (never a float)."""

from decimal import Decimal

import pytest

from chargekit.ocpi import Tariff, price_cdr
from chargekit.ocpp import session_from_messages
from ocpp_builders import event201

# A scale, digits past a float, an exponent, an integer past 64 bits.
EXACT = [Decimal("12.30"), Decimal("0.30000000000000001"), Decimal("1E-3"),
         Decimal("123456789012345678901234567")]
LIMIT = Decimal(10) ** 12


def tariff(price):
    return {"id": "T", "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": price, "step_size": 1}]}]}


@pytest.mark.parametrize("value", EXACT)
def test_tariff_dict_prices_are_exact(value):
    if value > LIMIT:
        with pytest.raises(Exception, match=str(value)):
            Tariff(tariff(value))
        return
    t = Tariff(tariff(value))
    price = t.elements[0].price_components[0].price
    # `1E-3` goes to the core in plain digits (decimal fields read no exponent from Python).
    assert price == value
    assert str(price) == ("0.001" if value == Decimal("1E-3") else str(value))
    assert t.to_ocpi()["elements"][0]["price_components"][0]["price"] == value


@pytest.mark.parametrize("value", EXACT[:3])
def test_cdr_dict_volumes_come_back_as_given(value):
    cdr = {"start_date_time": "2026-03-10T10:00:00Z", "end_date_time": "2026-03-10T11:00:00Z",
           "currency": "EUR", "cdr_location": {"country": "NLD"}, "total_energy": value,
           "charging_periods": [{"start_date_time": "2026-03-10T10:00:00Z",
                                 "dimensions": [{"type": "ENERGY", "volume": value}]}]}
    priced = price_cdr(cdr, tariff(Decimal("0.30"))).to_ocpi()
    volume = priced["charging_periods"][0]["dimensions"][0]["volume"]
    assert volume == value
    assert priced["total_energy"] == value
    if value == Decimal("12.30"):
        assert str(volume) == "12.30"


def test_ocpp_201_messages_as_parsed_frames_keep_their_text():
    frames = [event201("a", "Started", 0, "10:00:00", Decimal("1000.10"), context="Transaction.Begin"),
              event201("b", "Updated", 1, "10:30:00", Decimal("12345.30")),
              event201("c", "Ended", 2, "11:00:00", Decimal("23456.300"), context="Transaction.End")]
    s = session_from_messages(frames, "2.0.1")
    raws = [r.raw for r in s.readings]
    assert raws == ["1000.10", "12345.30", "23456.300"]
