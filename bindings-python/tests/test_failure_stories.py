"""Field cases of docs/metering.md §8 as small inline OCPP logs."""

import json
import random
from decimal import Decimal

import pytest

from chargekit import MeterPolicy
from chargekit.ocpp import SessionAssembler, session_from_messages, sessions_from_messages
from ocpp_builders import event201, lines, meter16, start16, stop16


def begin_zero_log():
    """Story 1 (citrineos-core #1060): Begin = 0 offline placeholder, then lifetime values."""
    return [
        event201("a", "Started", 0, "08:00:00", 0, context="Transaction.Begin", trigger="Authorized"),
        event201("b", "Updated", 1, "08:05:00", 910031),
        event201("c", "Updated", 2, "08:10:00", 910070),
        event201("d", "Ended", 3, "08:15:00", 910114, context="Transaction.End", trigger="EVDeparted"),
    ]


def test_story_1_begin_zero_placeholder_gives_83_wh_not_the_lifetime_register():
    s = session_from_messages(lines(begin_zero_log()), "2.0.1", station_id="CP-1")
    assert s.energy_wh == Decimal(83)
    assert s.energy_kwh == Decimal("0.083")
    assert s.anomaly_kinds == ["begin_zero_placeholder"]
    (anomaly,) = s.anomalies
    assert anomaly.kind == "begin_zero_placeholder"
    assert "910031" in anomaly.detail
    assert s.energy_method == "register"
    assert s.transaction_id == "TX-201"
    assert (s.evse_id, s.connector_id, s.id_token) == (2, 1, "TOKEN-201")


def test_story_1_trusting_the_begin_value_is_a_policy_choice():
    trusted = session_from_messages(
        begin_zero_log(), policy=MeterPolicy(begin_zero="trust_begin", allow_implausible=True)
    )
    assert trusted.energy_wh == Decimal(910114)
    assert "begin_zero_placeholder" not in trusted.anomaly_kinds
    assert "implausible_power" in trusted.anomaly_kinds


def dip_log():
    """Story 7 (lbbrhzn/ocpp #1756): the register drops to 0 once, then returns to the trend."""
    return [
        *start16("s", 7, 1000, "08:00:00"),
        meter16("m1", 7, "08:15:00", "1800"),
        meter16("m2", 7, "08:30:00", "0"),
        meter16("m3", 7, "08:45:00", "3200"),
        stop16("e", 7, 4000, "09:00:00"),
    ]


def test_story_7_register_dip_is_ignored():
    s = session_from_messages(lines(dip_log()), "1.6")
    assert s.energy_wh == Decimal(3000)
    assert s.anomaly_kinds == ["dip"]
    assert s.anomalies[0].at.isoformat() == "2026-03-10T08:30:00+00:00"
    # the outlier stays visible among the readings
    assert [r.value for r in s.readings if r.message_id == "m2"] == [Decimal(0)]


def test_story_20_stop_transaction_sent_twice_counts_once():
    frames = [
        *start16("s", 8, 5000, "08:00:00"),
        meter16("m1", 8, "08:30:00", "6100"),
        stop16("stop-1", 8, 7200, "09:00:00"),
        stop16("stop-2", 8, 7200, "09:00:00"),  # re-sent after reconnect, new message id
    ]
    s = session_from_messages(frames)
    assert s.energy_wh == Decimal(2200)
    assert s.anomaly_kinds == ["duplicate"]  # not after_end, and not reopened
    assert s.is_ended and s.end.isoformat() == "2026-03-10T09:00:00+00:00"
    # the identical frame delivered twice (same id) is collapsed without an anomaly
    a = SessionAssembler()
    a.feed(frames[:-1])
    a.feed([frames[-2]])
    assert a.stats["redelivered"] == 1
    assert a.session().anomaly_kinds == []
    assert a.session().energy_wh == Decimal(2200)


def test_stories_3_and_6_late_data_after_the_end_does_not_change_totals():
    ended = [
        event201("a", "Started", 0, "10:00:00", 5000, context="Transaction.Begin"),
        event201("b", "Updated", 1, "10:30:00", 7000),
        event201("c", "Ended", 2, "11:00:00", 9000, context="Transaction.End", trigger="StopAuthorized"),
    ]
    before = session_from_messages(ended)
    late = event201("late", "Updated", 3, "11:10:00", 9900)
    after = session_from_messages(ended + [late])
    assert before.energy_wh == after.energy_wh == Decimal(4000)
    assert after.end == before.end
    assert after.state == "ended"
    assert after.anomaly_kinds == ["after_end"]
    # kept as history...
    assert any(r.message_id == "late" for r in after.readings)
    # ...or dropped by policy (still reported)
    dropped = session_from_messages(ended + [late], policy={"late_events": "drop"})
    assert dropped.energy_wh == Decimal(4000)
    assert dropped.anomaly_kinds == ["after_end"]
    assert not any(r.message_id == "late" for r in dropped.readings)
    # 1.6: values after StopTransaction do not revive the session
    frames16 = [*start16("s", 9, 100, "08:00:00"), stop16("e", 9, 2100, "09:00:00")]
    revived = session_from_messages(frames16 + [meter16("m", 9, "09:20:00", "2900")])
    assert revived.energy_wh == Decimal(2000)
    assert revived.is_ended and revived.anomaly_kinds == ["after_end"]


def test_story_23_kwh_units_are_normalised_to_wh():
    frames = [
        *start16("s", 11, 1245443, "12:00:00"),
        meter16("m1", 11, "12:30:00", "1247.100", unit="kWh"),
        meter16("m2", 11, "13:00:00", "1250.012", unit="kWh"),
        stop16("e", 11, 1250012, "13:00:00"),
    ]
    s = session_from_messages(frames, "1.6")
    assert s.energy_wh == Decimal(4569)
    assert s.energy_kwh == Decimal("4.569")
    assert s.anomaly_kinds == []
    r = next(r for r in s.readings if r.message_id == "m1")
    assert (r.raw, r.unit_raw, r.value) == ("1247.100", "kWh", Decimal("1247100"))
    # 2.0.1: "Wh" with multiplier 3 means kWh as well
    mult = session_from_messages(
        [
            event201("a", "Started", 0, "10:00:00", 2000, context="Transaction.Begin"),
            event201("b", "Updated", 1, "10:30:00", Decimal("2.5"), unit={"unit": "Wh", "multiplier": 3}),
            event201("c", "Ended", 2, "11:00:00", 3100, context="Transaction.End"),
        ]
    )
    assert mult.energy_wh == Decimal(1100)
    assert next(r for r in mult.readings if r.message_id == "b").multiplier == 3


def offline_log():
    frames = [event201("f0", "Started", 0, "10:00:00", 5000, context="Transaction.Begin")]
    for i in range(1, 9):
        frames.append(event201(f"f{i}", "Updated", i, f"10:{i * 5:02d}:00", 5000 + i * 900, offline=3 <= i <= 6))
    frames.append(event201("f9", "Ended", 9, "10:50:00", 13500, context="Transaction.End", charging_state="EVConnected"))
    return frames


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_story_5_shuffled_and_duplicated_2_0_1_events_give_the_same_energy(seed):
    frames = offline_log()
    in_order = session_from_messages(frames)
    assert in_order.energy_wh == Decimal(8500)
    assert in_order.anomaly_kinds == []
    shuffled = frames[:]
    random.Random(seed).shuffle(shuffled)
    # seqNo 4 and 5 re-sent with new message ids (identical payloads)
    resent = [[2, "again-" + f[1], f[2], f[3]] for f in (frames[4], frames[5])]
    s = session_from_messages(shuffled + resent)
    assert s.energy_wh == Decimal(8500)
    assert s.start == in_order.start and s.end == in_order.end
    assert "duplicate" in s.anomaly_kinds
    assert set(s.anomaly_kinds) <= {"duplicate", "out_of_order"}
    offline = {r.seq_no for r in s.readings if r.offline}
    assert offline == {3, 4, 5, 6}


def test_story_5_a_missing_seq_no_is_reported_without_changing_the_energy():
    frames = [f for f in offline_log() if f[1] != "f4"]
    s = session_from_messages(frames)
    assert s.energy_wh == Decimal(8500)
    assert s.anomaly_kinds == ["missing_seq_no"]


def test_live_feeding_frame_by_frame_equals_feeding_the_whole_log():
    frames = offline_log()
    whole = session_from_messages(frames, station_id="CP-9")
    live = SessionAssembler("CP-9", "2.0.1")
    states = []
    energies = []
    for frame in frames:
        assert live.feed(frame) == 1  # a single frame as a parsed list
        current = live.session()
        states.append(current.state)
        energies.append(current.energy_wh)
    assert live.session() == whole
    assert states == ["charging"] * 9 + ["ended"]
    assert energies[-1] == Decimal(8500)
    assert energies == sorted(energies)  # grows as values arrive
    # the same when each frame is a JSON text line
    texts = SessionAssembler("CP-9")
    for frame in frames:
        texts.feed(json.dumps(frame))
    assert texts.sessions() == [whole]
