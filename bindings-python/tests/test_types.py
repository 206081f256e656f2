"""Python types at the boundary: Decimal, aware datetimes, wire names, OCPI CDR."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import chargekit
from chargekit.ocpp import SessionAssembler, session_from_messages
from ocpp_builders import call, event201, start16, stop16

UTC = timezone.utc


def rich_session():
    """2.0.1 session with power, current, SoC samples and a suspended phase."""

    def values(at, wh, w, a, soc):
        return [
            {"value": wh, "context": "Sample.Periodic", "measurand": "Energy.Active.Import.Register"},
            {"value": w, "context": "Sample.Periodic", "measurand": "Power.Active.Import"},
            {"value": a, "context": "Sample.Periodic", "measurand": "Current.Import", "phase": "L1",
             "unitOfMeasure": {"unit": "A"}},
            {"value": soc, "context": "Sample.Periodic", "measurand": "SoC", "location": "EV",
             "unitOfMeasure": {"unit": "Percent"}},
        ]

    frames = [
        event201("a", "Started", 0, "10:00:00", 20000, context="Transaction.Begin"),
        event201("b", "Updated", 1, "10:30:00", 25500),
        event201("c", "Updated", 2, "11:00:00", 31000, charging_state="SuspendedEV", trigger="ChargingStateChanged"),
        event201("d", "Ended", 3, "11:30:00", 31000, context="Transaction.End", charging_state="EVConnected"),
    ]
    frames[1][3]["meterValue"][0]["sampledValue"] = values("10:30:00", 25500, Decimal("11000.5"), Decimal("16.2"), 40)
    frames[2][3]["meterValue"][0]["sampledValue"] = values("11:00:00", 31000, 0, 0, 80)
    return session_from_messages(frames, "2.0.1", station_id="CP-T")


def test_quantities_are_decimal_and_instants_aware_utc():
    s = rich_session()
    assert s.energy_wh == Decimal(11000) and type(s.energy_wh) is Decimal
    assert s.energy_kwh == Decimal(11) and type(s.energy_kwh) is Decimal
    assert s.peak_power_w == Decimal("11000.5")
    assert s.soc_start == Decimal(40) and s.soc_end == Decimal(80)
    assert s.meter_start_wh is None and s.meter_stop_wh is None  # 1.6 only
    for t in (s.start, s.end, s.last_seen):
        assert isinstance(t, datetime)
        assert t.utcoffset() == timedelta(0)
    assert s.start == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
    assert s.end == datetime(2026, 3, 10, 11, 30, tzinfo=UTC)
    assert (s.duration_s, type(s.duration_s)) == (5400, int)
    assert s.charging_s + s.idle_s == s.duration_s
    assert s.idle_s >= 1800


def test_timeline_readings_and_wire_names():
    s = rich_session()
    assert [(c.state, c.at.isoformat()) for c in s.timeline][:2] == [
        ("charging", "2026-03-10T10:00:00+00:00"),
        ("suspended_ev", "2026-03-10T11:00:00+00:00"),
    ]
    assert s.timeline[-1].state == "ended" and s.state == "ended"
    assert all(type(c.energy_wh) is Decimal for c in s.timeline)
    current = next(r for r in s.readings if r.measurand == "Current.Import")
    assert (current.phase, current.location, current.context) == ("L1", None, "Sample.Periodic")
    assert current.value == Decimal("16.2") and current.unit_raw == "A"
    assert (current.seq_no, current.offline, current.message_id) == (1, False, "b")
    assert current.ts_station == datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
    assert current.ts_received is None
    soc = next(r for r in s.readings if r.measurand == "SoC")
    assert soc.location == "EV"
    assert s.energy_method == "register"
    assert "Session(station_id='CP-T', transaction_id='TX-201', state='ended'" in repr(s)


def test_charging_periods_and_cuts():
    s = rich_session()
    periods = s.charging_periods
    assert [p.kind for p in periods] == ["charging", "idle"]
    assert [p.state for p in periods] == ["charging", "suspended_ev"]
    assert sum(p.energy_wh for p in periods) == s.energy_wh
    assert [p.duration_s for p in periods] == [3600, 1800]
    assert periods[0].max_current_a == Decimal("16.2")
    assert periods[0].max_power_w == Decimal("11000.5")
    berlin_10_45 = datetime(2026, 3, 10, 11, 45, tzinfo=timezone(timedelta(hours=1)))
    cut = s.charging_periods_cut_at([berlin_10_45])
    assert [(p.start.isoformat(), p.end.isoformat()) for p in cut] == [
        ("2026-03-10T10:00:00+00:00", "2026-03-10T10:45:00+00:00"),
        ("2026-03-10T10:45:00+00:00", "2026-03-10T11:00:00+00:00"),
        ("2026-03-10T11:00:00+00:00", "2026-03-10T11:30:00+00:00"),
    ]
    assert sum(p.energy_wh for p in cut) == Decimal(11000)


def test_to_ocpi_cdr_numbers_are_decimal():
    s = rich_session()
    cdr = s.to_ocpi_cdr(country_code="DE", party_id="ABC", currency="EUR", city="Berlin")
    assert cdr["total_energy"] == Decimal(11) and type(cdr["total_energy"]) is Decimal
    assert cdr["total_time"] == Decimal("1.5")
    assert type(cdr["total_parking_time"]) is Decimal
    assert (cdr["country_code"], cdr["party_id"], cdr["currency"]) == ("DE", "ABC", "EUR")
    assert cdr["cdr_location"]["city"] == "Berlin"
    assert cdr["cdr_token"]["uid"] == "TOKEN-201"
    assert cdr["session_id"] == "TX-201"
    assert cdr["start_date_time"] == "2026-03-10T10:00:00Z"
    periods = cdr["charging_periods"]
    assert len(periods) == 2
    dims = {d["type"]: d["volume"] for d in periods[0]["dimensions"]}
    assert dims["ENERGY"] == Decimal("5.5") + Decimal("5.5")
    assert dims["TIME"] == Decimal(1)
    assert dims["MAX_CURRENT"] == Decimal("16.2")
    assert all(type(d["volume"]) is Decimal for p in periods for d in p["dimensions"])
    assert {d["type"] for d in periods[1]["dimensions"]} >= {"ENERGY", "PARKING_TIME"}
    # defaults are the core's placeholders
    assert s.to_ocpi_cdr()["country_code"] == "XX"


def test_to_ocpi_cdr_rejects_unknown_options():
    s = rich_session()
    with pytest.raises(TypeError, match="contry_code"):
        s.to_ocpi_cdr(contry_code="DE")
    with pytest.raises(TypeError):
        s.to_ocpi_cdr(country_code=49)


def test_sessions_are_immutable_snapshots():
    a = SessionAssembler("CP-1")
    a.feed(start16("s", 7, 1000, "08:00:00"))
    running = a.session()
    assert running.state == "connected" and not running.is_ended and running.end is None
    a.feed([stop16("e", 7, 4000, "09:00:00")])
    assert not running.is_ended  # the earlier snapshot does not change
    assert a.session().is_ended and a.session().energy_wh == Decimal(3000)
    with pytest.raises(AttributeError):
        running.energy_wh = Decimal(1)


def test_unassigned_readings_are_kept():
    mv = call(
        "u",
        "MeterValues",
        {
            "evseId": 1,
            "meterValue": [
                {
                    "timestamp": "2026-03-10T12:00:00Z",
                    "sampledValue": [{"value": 230.4, "measurand": "Voltage", "unitOfMeasure": {"unit": "V"}}],
                }
            ],
        },
    )
    a = SessionAssembler("CP-1", "2.0.1")
    a.feed([mv])
    assert a.sessions() == []
    (r,) = a.unassigned_readings()
    assert (r.measurand, r.value, r.raw) == ("Voltage", Decimal("230.4"), "230.4")


def test_envelopes_carry_the_receive_time():
    frames = [
        event201("a", "Started", 0, "10:00:00", 100, context="Transaction.Begin"),
        event201("b", "Ended", 1, "10:30:00", 600, context="Transaction.End"),
    ]
    cet = timezone(timedelta(hours=1))
    envelopes = [
        {"received_at": "2026-03-10T10:00:01Z", "frame": frames[0]},
        {"received_at": datetime(2026, 3, 10, 11, 30, 2, tzinfo=cet), "frame": frames[1]},
    ]
    s = session_from_messages(envelopes)
    assert s.energy_wh == Decimal(500)
    received = {r.message_id: r.ts_received for r in s.readings}
    assert received == {
        "a": datetime(2026, 3, 10, 10, 0, 1, tzinfo=UTC),
        "b": datetime(2026, 3, 10, 10, 30, 2, tzinfo=UTC),
    }
