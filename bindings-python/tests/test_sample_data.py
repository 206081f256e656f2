"""The bundled site-day logs against examples/data/expected.json."""

import json
from decimal import Decimal

import pytest

from chargekit.ocpp import SessionAssembler, sessions_from_messages

FILES = [
    ("site-day-ocpp16.jsonl", "CP-ALPHA", "1.6"),
    ("site-day-ocpp201.jsonl", "CP-BRAVO", "2.0.1"),
]


def _by_id(sessions):
    return {s.transaction_id: s for s in sessions}


@pytest.mark.parametrize("version_arg", [None, "given"])
@pytest.mark.parametrize("name,station,version", FILES)
def test_energies_and_anomaly_sets_match_expected(data_dir, expected, name, station, version, version_arg):
    text = (data_dir / name).read_text()
    sessions = sessions_from_messages(
        text, version if version_arg else None, station_id=station
    )
    want = expected[station]
    got = _by_id(sessions)
    assert sorted(got) == sorted(want)
    for tx, exp in want.items():
        s = got[tx]
        assert s.energy_wh == Decimal(exp["energy_wh"]), tx
        assert isinstance(s.energy_wh, Decimal)
        assert set(s.anomaly_kinds) == set(exp["anomalies"]), tx
        assert len(s.anomaly_kinds) == len(set(s.anomaly_kinds))
        assert s.station_id == station
        assert s.version == version
        assert s.is_ended and s.state == "ended"
    # ordered by start time
    starts = [s.start for s in sessions]
    assert starts == sorted(starts)


@pytest.mark.parametrize("name,station,version", FILES)
def test_every_input_form_gives_the_same_sessions(data_dir, name, station, version):
    text = (data_dir / name).read_text()
    from_text = sessions_from_messages(text, version, station_id=station)
    as_lines = text.splitlines()
    parsed = [json.loads(line, parse_float=Decimal) for line in as_lines]
    assert sessions_from_messages(as_lines, version, station_id=station) == from_text
    assert sessions_from_messages(parsed, version, station_id=station) == from_text
    assert sessions_from_messages(text.encode(), version, station_id=station) == from_text
    # floats from a plain json.loads are passed on as their shortest text: same result
    plain = [json.loads(line) for line in as_lines]
    assert sessions_from_messages(plain, version, station_id=station) == from_text
    # one JSON array holding every frame
    assert sessions_from_messages(json.dumps(plain), version, station_id=station) == from_text


@pytest.mark.parametrize("name,station,version", FILES)
def test_live_feeding_one_frame_at_a_time_equals_the_whole_log(data_dir, name, station, version):
    text = (data_dir / name).read_text()
    whole = sessions_from_messages(text, station_id=station)
    live = SessionAssembler(station)
    assert live.version is None
    open_seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        assert live.feed(line) == 1
        current = live.sessions()  # a live backend reads state between feeds
        open_seen = max(open_seen, sum(1 for s in current if not s.is_ended))
        assert live.stats["frames_fed"] == n
    assert live.version == version
    assert live.sessions() == whole
    assert open_seen >= 1  # sessions were observed while still running
    # Draining events keeps the sessions current frame by frame instead of deriving them
    # again on every read: the reads are the same either way.
    kept = SessionAssembler(station)
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        kept.feed(line)
        kept.drain_events()
        if n % 15 == 0 or n == len(lines):
            assert kept.sessions() == sessions_from_messages("\n".join(lines[:n]), station_id=station)
    for got, want in zip(live.sessions(), whole):
        assert got.transaction_id == want.transaction_id
        assert got.energy_wh == want.energy_wh
        assert got.anomaly_kinds == want.anomaly_kinds


def test_1_6_details_of_two_sessions(data_dir):
    sessions = _by_id(
        sessions_from_messages((data_dir / "site-day-ocpp16.jsonl").read_text(), "1.6", station_id="CP-ALPHA")
    )
    s = sessions["48213"]
    assert s.connector_id == 1
    assert s.id_token == "04A3F21C6B5E80"
    assert s.meter_start_wh == Decimal(1203517)
    assert s.meter_stop_wh == Decimal(1223275)
    assert s.energy_kwh == Decimal("19.758")
    assert s.stop_reason == "Local"
    assert s.start.isoformat() == "2026-03-10T06:12:41+00:00"
    assert s.end.isoformat() == "2026-03-10T08:03:17+00:00"
    assert s.duration_s == 6636
    # 48236 reports energy in kWh with three decimals: normalised to Wh
    k = sessions["48236"]
    assert k.energy_wh == Decimal(9817)
    kwh_readings = [r for r in k.readings if r.unit_raw == "kWh" and r.measurand == "Energy.Active.Import.Register"]
    assert kwh_readings
    for r in kwh_readings:
        assert r.value == Decimal(r.raw) * 1000
    # 48249: two hours of idle tail after the battery was full
    idle = sessions["48249"]
    assert idle.idle_s >= 7200
    assert idle.charging_s == 2 * 3600 + 59 * 60 + 12


def test_2_0_1_stats_count_redelivered_and_ignored(data_dir):
    a = SessionAssembler("CP-BRAVO", "2.0.1")
    assert a.feed((data_dir / "site-day-ocpp201.jsonl").read_text()) == 203
    stats = a.stats
    assert stats["frames_fed"] == 203
    assert stats["call_errors"] == 0
    assert stats["ignored_actions"] == {}
    assert len(a.sessions()) == 6
