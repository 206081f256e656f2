"""Core records as Python sees them: classes per core struct, read-only, cached totals,
equality, pickling and the plain data behind them."""

import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from chargekit import ocpi
from chargekit._records import Record

DATA = Path(__file__).resolve().parents[2] / "benches" / "data"


@pytest.fixture(scope="module")
def result():
    tariff = ocpi.Tariff((DATA / "tou_tariff.json").read_text())
    return ocpi.price_cdr((DATA / "cdr_2_periods.json").read_text(), tariff)


def test_totals_are_price_records_converted_once(result):
    total = result.total_cost
    assert type(total) is ocpi.Price
    assert total is result.total_cost
    assert (total.excl_vat, total.incl_vat, total.vat) == (
        Decimal("9.26"),
        Decimal("11.21"),
        Decimal("1.95"),
    )
    assert total.vat == total.incl_vat - total.excl_vat


def test_nested_structs_become_their_classes(result):
    breakdown = result.breakdown
    assert type(breakdown) is ocpi.Breakdown
    assert breakdown.lines, "the CDR has priced lines"
    assert all(type(line) is ocpi.PriceLine for line in breakdown.lines)
    assert all(type(line.cost) is ocpi.Price for line in breakdown.lines)
    # Each conversion makes new objects: records are values, not views.
    assert result.breakdown is not breakdown
    assert result.breakdown == breakdown


def test_records_are_read_only(result):
    total = result.total_cost
    with pytest.raises(AttributeError):
        total.excl_vat = Decimal(0)
    with pytest.raises(AttributeError):
        del total.vat
    assert total.excl_vat == Decimal("9.26")


def test_records_read_like_mappings(result):
    total = result.total_cost
    assert total.keys() == ["excl_vat", "incl_vat", "vat"]
    assert total["incl_vat"] == total.get("incl_vat") == Decimal("11.21")
    assert total.get("missing", 7) == 7
    assert "vat" in total and "missing" not in total
    assert total.to_dict() == {
        "excl_vat": Decimal("9.26"),
        "incl_vat": Decimal("11.21"),
        "vat": Decimal("1.95"),
    }


def test_to_dict_is_plain_and_deep(result):
    data = result.breakdown.to_dict()
    assert isinstance(data, dict)
    line = data["lines"][0]
    assert isinstance(line, dict) and isinstance(line["cost"], dict)
    assert not any(isinstance(v, Record) for v in line.values())


def test_records_pickle_and_compare_by_class_and_data(result):
    total = result.total_cost
    back = pickle.loads(pickle.dumps(total))
    assert type(back) is ocpi.Price and back == total
    # The same data under another class is not equal.
    assert Record(total.to_dict()) != total
    with pytest.raises(TypeError):
        hash(total)
