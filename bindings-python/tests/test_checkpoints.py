"""Assembler checkpoints: ``snapshot()`` → ``bytes`` → ``SessionAssembler.restore``, and the
1970-reading field case (a start without its CALLRESULT) in Python."""

import random

import pytest

import chargekit
from chargekit.ocpp import SessionAssembler
from ocpp_builders import call, meter16, start16, stop16


def log16():
    """A 1.6 transaction whose StartTransaction has no CALLRESULT, with redeliveries."""
    start = start16("s1", 7, 10_000, "08:00:00")[0]  # without the CALLRESULT
    frames = [
        start,
        meter16("m1", 7, "08:10:00", "12000"),
        meter16("m2", 7, "08:20:00", "13000"),
        meter16("m3", 7, "08:30:00", "14000"),
        call("hb", "Heartbeat", {}),
        stop16("e1", 7, 17_000, "08:40:00"),
    ]
    frames += frames[::2]  # fed twice
    random.Random(4).shuffle(frames)
    return frames


@pytest.mark.parametrize("cut", range(0, 10))
def test_snapshot_restore_then_the_rest_equals_feeding_everything(cut):
    frames = log16()
    whole = SessionAssembler("CP-1")
    whole.feed(frames)

    first = SessionAssembler("CP-1")
    first.feed(frames[:cut])
    data = first.snapshot()
    assert isinstance(data, bytes) and data[:4] == b"CKSA"
    resumed = SessionAssembler.restore(data)
    assert resumed.snapshot() == data
    resumed.feed(frames[cut:])

    assert resumed.sessions() == whole.sessions()  # Session compares every field
    assert resumed.stats == whole.stats
    assert resumed.version == "1.6"
    assert resumed.session().energy_wh == 7000


def test_damaged_checkpoints_raise_typed_errors():
    a = SessionAssembler("CP-1")
    a.feed(log16())
    data = a.snapshot()

    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    with pytest.raises(chargekit.InvalidSnapshotError) as e:
        SessionAssembler.restore(bytes(flipped))
    assert "checksum" in e.value.reason
    assert e.value.kind == "invalid_snapshot"
    assert isinstance(e.value, chargekit.SessionError)

    with pytest.raises(chargekit.InvalidSnapshotError):
        SessionAssembler.restore(data[:-1])
    with pytest.raises(chargekit.InvalidSnapshotError):
        SessionAssembler.restore(b"")

    newer = bytearray(data)
    newer[5] = 9
    with pytest.raises(chargekit.UnsupportedSnapshotVersionError) as v:
        SessionAssembler.restore(bytes(newer))
    assert (v.value.found, v.value.supported) == (9, 1)


def test_a_1970_reading_does_not_split_the_session():
    frames = log16()
    frames = [
        f if f[1] != "m2" else meter16("m2", 7, "08:20:00", "13000") for f in frames
    ]
    for f in frames:
        if f[1] == "m2":
            f[3]["meterValue"][0]["timestamp"] = "1970-01-01T00:00:07Z"
    a = SessionAssembler("CP-1")
    a.feed(frames)
    (s,) = a.sessions()
    assert s.transaction_id == "7"
    assert s.energy_wh == 7000
    assert s.meter_start_wh == 10_000
    assert "clock_suspect" in s.anomaly_kinds
    assert "unmatched_start" not in s.anomaly_kinds


def test_drain_events_tells_a_backend_what_changed():
    from chargekit.ocpp import SessionEvent

    frames = [
        *start16("s1", 7, 10_000, "08:00:00"),
        meter16("m1", 7, "08:10:00", "12000"),
        meter16("m2", 7, "08:20:00", "0"),  # a dip: an anomaly
        meter16("m3", 7, "08:30:00", "14000"),
        stop16("e1", 7, 17_000, "08:40:00"),
    ]
    a = SessionAssembler("CP-1")
    seen = []
    for batch in (frames[:2], frames[2:3]):  # the StartTransaction with its CALLRESULT
        a.feed(batch)
        seen += a.drain_events()
    assert [e.kind for e in seen] == ["started", "updated"]
    assert all(isinstance(e, SessionEvent) for e in seen)
    assert (seen[0].station_id, seen[0].transaction_id) == ("CP-1", "7")
    assert seen[1].session.energy_wh == 2000 and seen[1].anomaly is None

    # Restart between frames: the checkpoint remembers what was reported.
    a = SessionAssembler.restore(a.snapshot())
    assert a.drain_events() == []
    a.feed(frames[3:])
    rest = a.drain_events()
    assert [e.kind for e in rest] == ["anomaly", "updated", "ended"]
    assert rest[0].anomaly.kind == "dip"
    final = rest[-1].session
    assert final.is_ended and final.energy_wh == 7000
    assert a.drain_events() == []
    assert "SessionEvent(kind='ended'" in repr(rest[-1])


def test_a_start_before_its_callresult_is_withdrawn_when_the_id_arrives():
    call_, result_ = start16("s1", 7, 10_000, "08:00:00")
    a = SessionAssembler("CP-1")
    a.feed([call_])
    (local,) = a.drain_events()
    assert (local.kind, local.transaction_id) == ("started", "local:start:s1")
    a.feed([result_])
    assert [(e.kind, e.transaction_id, e.session is None) for e in a.drain_events()] == [
        ("withdrawn", "local:start:s1", True),
        ("started", "7", False),
    ]


def test_a_fleet_routes_stations_reports_each_end_once_and_checkpoints():
    from chargekit.ocpp import Fleet

    fleet = Fleet(retention_s=3600)
    a = [*start16("s1", 1, 0, "08:00:00"), stop16("e1", 1, 500, "08:30:00")]
    b = [*start16("s2", 2, 0, "08:10:00")]
    fleet.feed("CP-A", a)
    fleet.feed("CP-B", b)
    events = fleet.drain_events()
    assert [(e.station_id, e.transaction_id, e.kind) for e in events] == [
        ("CP-A", "1", "started"),
        ("CP-A", "1", "ended"),
        ("CP-B", "2", "started"),
    ]
    assert [s.transaction_id for s in fleet.open_sessions()] == ["2"]
    assert fleet.station_ids == ["CP-A", "CP-B"]
    assert fleet.sessions("CP-X") == []

    # Restart: nothing is reported twice.
    fleet = Fleet.restore(fleet.snapshot())
    assert fleet.drain_events() == []

    # Two hours later by CP-B's clock, CP-A's ended session is dropped; a replay of its
    # stop does not bring it back.
    fleet.feed("CP-B", [stop16("e2", 2, 900, "10:45:00")])
    assert [e.kind for e in fleet.drain_events()] == ["updated", "ended"]
    assert fleet.sessions("CP-A") == []
    fleet.feed("CP-A", [stop16("e1", 1, 500, "08:30:00")])
    assert fleet.drain_events() == []
    assert fleet.open_sessions() == []

    with pytest.raises(chargekit.InvalidSnapshotError):
        Fleet.restore(SessionAssembler("CP").snapshot())  # an assembler is not a fleet


def test_forget_ended_drops_reported_sessions_and_ignores_their_replays():
    from datetime import datetime, timezone

    frames = [*start16("s1", 1, 0, "08:00:00"), stop16("e1", 1, 500, "08:30:00")]
    a = SessionAssembler("CP-1")
    a.feed(frames)
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
    assert a.forget_ended(noon) == []  # its end was not drained yet
    assert [e.kind for e in a.drain_events()] == ["started", "ended"]
    assert a.forget_ended(noon) == ["1"]
    assert a.sessions() == []
    a.feed(frames)  # replayed
    assert a.sessions() == [] and a.drain_events() == []
    assert a.stats["forgotten"] == 3
    with pytest.raises(TypeError):
        a.forget_ended(datetime(2026, 3, 10, 12, 0))  # naive
