"""OCPP 2.1 station tariffs and local cost from Python: the bundled V2X session priced by
the bundled station tariff (arithmetic written out), a station report that differs in one
dimension, a tariff change mid-transaction, min/max cost, stacked taxes and the answers a
station gives (ConditionNotSupported, TooManyElements, DuplicateTariffId)."""

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import chargekit
from chargekit.ocpp import StationTariff, check_cost_details, sessions_from_messages

D = Decimal
TZ = "Europe/Amsterdam"


@pytest.fixture()
def v2x(data_dir: Path):
    return sessions_from_messages((data_dir / "v2x-session-ocpp21.jsonl").read_text())[0]


@pytest.fixture()
def tariff(data_dir: Path) -> StationTariff:
    return StationTariff((data_dir / "station-tariff-ocpp21.json").read_text())


def totals(details):
    return {k: (v["exclTax"], v["inclTax"]) for k, v in details["totalCost"].items() if isinstance(v, dict)}


def test_v2x_session_priced_as_a_21_station_does(v2x, tariff) -> None:
    d = v2x.cost_details(tariff, timezone=TZ)
    # Charging time counts every minute energy flows, either way: 08:00–09:00 charging and
    # 09:30–10:30 discharging = 7200 s; idle 09:00–09:30 and 10:30–11:00 = 3600 s.
    assert d["totalUsage"] == {"energy": D(7000), "chargingTime": D(7200), "idleTime": D(3600)}
    # fixed 0.50; energy 7 kWh × 0.30 = 2.10; charging 120 min × 0.01 = 1.20; idle: the first
    # 15 min (minIdleTime 900 s) at 0, the other 45 min × 0.10 = 4.50. Net 8.30.
    # With 21 % VAT, each rounded to the cent: 0.605 → 0.61, 2.541 → 2.54, 1.452 → 1.45,
    # 5.445 → 5.45; together 10.05.
    assert totals(d) == {
        "fixed": (D("0.50"), D("0.61")),
        "energy": (D("2.10"), D("2.54")),
        "chargingTime": (D("1.20"), D("1.45")),
        "idleTime": (D("4.50"), D("5.45")),
        "total": (D("8.30"), D("10.05")),
    }
    assert d["totalCost"]["typeOfCost"] == "NormalCost"
    # A new period where the idle price changes (09:15, 15 min into idle time).
    assert [p["startPeriod"] for p in d["chargingPeriods"]] == ["2026-03-10T08:00:00Z", "2026-03-10T09:15:00Z"]
    # Running cost at 09:00: 0.50 + 2.10 + 60 min × 0.01 = 3.20 net.
    at_nine = v2x.cost_details(tariff, datetime(2026, 3, 10, 9, tzinfo=timezone.utc), timezone=TZ)
    assert at_nine["totalCost"]["total"]["exclTax"] == D("3.20")


def test_a_report_that_differs_in_idle_time_only(v2x, tariff) -> None:
    # The station billed idle time from its first minute: 60 min × 0.10 = 6.00 (7.26 gross).
    c = check_cost_details(v2x, tariff, v2x.reported_cost_details, timezone=TZ)
    assert c.verdict == "mismatch"
    assert [(l.item, l.expected, l.reported, l.difference) for l in c.differences] == [
        ("idleTime.exclTax", D("4.50"), D("6.00"), D("1.50")),
        ("idleTime.inclTax", D("5.45"), D("7.26"), D("1.81")),
        ("total.exclTax", D("8.30"), D("9.80"), D("1.50")),
        ("total.inclTax", D("10.05"), D("11.86"), D("1.81")),
    ]
    assert c.expected["totalCost"]["idleTime"]["exclTax"] == D("4.50")
    # Within a tolerance of 2.00 the figures agree.
    assert check_cost_details(v2x, tariff, v2x.reported_cost_details, timezone=TZ, tolerance=D(2)).verdict == "match"


def test_a_tariff_change_mid_transaction(v2x, tariff) -> None:
    dearer = tariff.to_dict()
    dearer["tariffId"] = "T-2"
    dearer["energy"]["prices"][0]["priceKwh"] = D("0.60")
    change = datetime(2026, 3, 10, 8, 30, tzinfo=timezone.utc)
    d = v2x.cost_details(tariff, timezone=TZ, changes=[(change, StationTariff(dearer))])
    # 3.5 kWh before 08:30 at 0.30 = 1.05 and 3.5 kWh after at 0.60 = 2.10: 3.15.
    assert d["totalCost"]["energy"]["exclTax"] == D("3.15")
    assert [p["tariffId"] for p in d["chargingPeriods"]][:2] == ["T-1", "T-2"]


def test_min_and_max_cost(v2x, tariff) -> None:
    t = tariff.to_dict()
    t["minCost"] = {"exclTax": D("10.00"), "inclTax": D("12.10")}
    d = v2x.cost_details(StationTariff(t), timezone=TZ)
    assert d["totalCost"]["typeOfCost"] == "MinCost"
    assert d["totalCost"]["total"] == {"exclTax": D("10.00"), "inclTax": D("12.10")}
    del t["minCost"]
    t["maxCost"] = {"exclTax": D("5.00"), "inclTax": D("6.05")}
    d = v2x.cost_details(StationTariff(t), timezone=TZ)
    assert d["totalCost"]["typeOfCost"] == "MaxCost"
    assert d["totalCost"]["total"] == {"exclTax": D("5.00"), "inclTax": D("6.05")}


def test_stacked_taxes(v2x, tariff) -> None:
    t = {"tariffId": "S", "currency": "EUR", "energy": {"prices": [{"priceKwh": D("1.00")}],
         "taxRates": [{"type": "VAT", "tax": 19, "stack": 0}, {"type": "levy", "tax": 10, "stack": 1}]}}
    d = v2x.cost_details(t, timezone=TZ)
    # 7 kWh × 1.00 = 7.00; VAT 19 % → 8.33; the levy on top of that, 10 % → 9.163 → 9.16.
    assert d["totalCost"]["energy"] == {"exclTax": D("7.00"), "inclTax": D("9.16")}


def test_station_answers(tariff) -> None:
    assert tariff.validate().status == "Accepted"
    # Two idle prices where the station takes one per dimension.
    many = tariff.validate({"max_elements": 1})
    assert many.status == "TooManyElements"
    assert any(r.path.startswith("$.idleTime") for r in many.reasons)
    no_idle = tariff.validate({"supported_conditions": ["startTimeOfDay", "endTimeOfDay"]})
    assert no_idle.status == "ConditionNotSupported"
    assert [r.path for r in no_idle.reasons] == ["$.idleTime.prices[0].conditions.minIdleTime"]
    assert tariff.validate({"existing_tariff_ids": ["T-1"]}).status == "DuplicateTariffId"
    assert (tariff.to_dict()["tariffId"], tariff.to_dict()["currency"]) == ("T-1", "EUR")
    assert StationTariff(tariff.to_json()) == tariff


def test_bad_tariffs_are_typed_errors() -> None:
    with pytest.raises(chargekit.TariffError):
        StationTariff('{"tariffId": "X"}')
    with pytest.raises(chargekit.TariffError) as e:
        StationTariff({"tariffId": "X", "currency": "EUR", "energy": {"prices": [{"priceKwh": "cheap"}]}})
    assert "priceKwh" in str(e.value)
    with pytest.raises(TypeError):
        StationTariff(42)


def test_lint_explain_and_conversion(tariff, data_dir: Path) -> None:
    assert tariff.lint() == []
    shadowed = tariff.to_dict()
    shadowed["energy"]["prices"].append({"priceKwh": D("0.25")})
    # The first energy price has no conditions: it always matches, so the second never applies.
    (finding,) = StationTariff(shadowed).lint()
    assert (finding.rule, finding.severity, finding.path) == ("shadowed_price", "warning", "$.energy.prices[1]")
    assert tariff.explain().text() == (
        "Energy: €0.30 per kWh. Charging time: €0.01 per minute. Idle time (connected, not charging): "
        "after 15 minutes of idle time: €0.10 per minute; otherwise: free. Fixed fee: €0.50 per "
        "transaction. All prices exclude 21% VAT."
    )
    assert tariff.explain("nl").text().startswith("Energie: €0.30 per kWh. Laadtijd: €0.01 per minuut.")
    # OCPI has no idle-time condition: the grace-period price is left out, and said so.
    ocpi_tariff, losses = tariff.to_ocpi("2.2.1")
    assert [(l.path, l.what) for l in losses] == [("$.idleTime.prices[0].conditions", "condition_without_restriction")]
    # 0.01 per minute of charging is 0.60 per hour in OCPI.
    assert [c["price"] for e in ocpi_tariff["elements"] for c in e["price_components"] if c["type"] == "TIME"] == [D("0.6")]
    # Back to 2.1: only OCPI's party metadata has no place.
    back, losses = StationTariff.from_ocpi(ocpi_tariff)
    assert {l.what for l in losses} == {"metadata"}
    assert back.to_dict()["energy"] == tariff.to_dict()["energy"]
    step = {"country_code": "NL", "party_id": "CKT", "id": "S", "currency": "EUR", "last_updated": "2026-01-01T00:00:00Z",
            "elements": [{"price_components": [{"type": "PARKING_TIME", "price": "1.20", "step_size": 900}]}]}
    _, losses = StationTariff.from_ocpi(step)
    assert "step_size" in {l.what for l in losses}


def test_cost_limit(v2x, tariff) -> None:
    # The transaction's own 2.1 limit, from transactionLimit.maxCost of its Started event.
    assert v2x.max_cost == D("5.00")
    # Running cost including 21 % VAT: the 0.50 fee is 0.605 from the start; 08:00–09:00
    # adds 7 kWh × 0.363 + 60 min × 0.0121 = 2.541 + 0.726 → 3.872 at 09:00; idle is free
    # until 09:15, then 0.121 per minute: 5.00 − 3.872 = 1.128 → 9.3223 min → 09:24:19.339.
    assert v2x.cost_limit_reached(tariff, timezone=TZ) == datetime(2026, 3, 10, 9, 24, 19, 339000, tzinfo=timezone.utc)
    # A limit of 3.00 falls while charging at 3.267 per hour: 2.395 / 3.267 h = 43 min 59.119 s.
    assert v2x.cost_limit_reached(tariff, D(3), timezone=TZ) == datetime(2026, 3, 10, 8, 43, 59, 119000, tzinfo=timezone.utc)
    assert v2x.cost_limit_reached(tariff, D(100), timezone=TZ) is None
