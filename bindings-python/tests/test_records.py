"""Core records as Python sees them: classes per core struct, read-only, cached totals,
equality, pickling and the plain data behind them."""

import gc
import pickle
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from chargekit import ocpi
from chargekit.ocpp import session_from_messages
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


def test_long_lists_are_built_with_the_gc_paused(gc_collections):
    # A list of 64 records or more (here 120 charging periods) is built with the cyclic GC
    # paused and its state restored: with a collection due at every new container, it sets
    # off fewer than one per ten records (the argument's conversion sets off a few), while
    # a short list of 10 still sets off about one per record.
    from ocpp_builders import start16, stop16

    session = session_from_messages([*start16("s", 8, 0, "08:00:00"), stop16("x", 8, 10, "10:00:00")], "1.6")
    start = session.start
    cuts = [start + timedelta(minutes=m) for m in range(1, 120)]
    for enabled in (True, False):
        long_during, periods = gc_collections(enabled, lambda: session.charging_periods_cut_at(cuts))
        assert gc.isenabled() is enabled
        assert len(periods) == 120 and periods[0].start == start
        short_during, few = gc_collections(enabled, lambda: session.charging_periods_cut_at(cuts[:9]))
        assert len(few) == 10
        if enabled:
            assert long_during < len(periods) // 10 and short_during >= 5, (long_during, short_during)
        else:
            assert long_during == short_during == 0
