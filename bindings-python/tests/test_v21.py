"""OCPP 2.1 in the session reducer: a bidirectional (V2X) session with import, export and a
discharging period; version detection; the 2.1 fields a session keeps."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

import chargekit
from chargekit.ocpp import SessionAssembler, sessions_from_messages


@pytest.fixture()
def v2x_log(data_dir: Path) -> str:
    return (data_dir / "v2x-session-ocpp21.jsonl").read_text()


def test_v2x_session_import_export_net(v2x_log: str) -> None:
    (s,) = sessions_from_messages(v2x_log, station_id="CP-V2X")
    # operationMode / OperationModeChanged exist only in OCPP 2.1.
    assert s.version == "2.1"
    # Import 17000 − 10000 = 7000 Wh; export 5000 − 2000 = 3000 Wh; net 7000 − 3000 = 4000 Wh.
    assert (s.energy_wh, s.energy_export_wh, s.energy_net_wh) == (
        Decimal("7000"),
        Decimal("3000"),
        Decimal("4000"),
    )
    assert s.export_method == "register"
    # 3 h: charging 08:00–09:00, discharging 09:30–10:30 (the export register rises), idle
    # 09:00–09:30 and 10:30–11:00.
    assert [(c.at.strftime("%H:%M"), c.state) for c in s.timeline] == [
        ("08:00", "charging"),
        ("09:00", "suspended_ev"),
        ("09:30", "discharging"),
        ("10:30", "suspended_evse"),
        ("11:00", "ended"),
    ]
    assert (s.charging_s, s.discharging_s, s.idle_s) == (3600, 3600, 3600)
    discharge = [p for p in s.charging_periods if p.state == "discharging"]
    assert [(p.energy_wh, p.energy_export_wh, p.duration_s) for p in discharge] == [
        (Decimal("0"), Decimal("3000"), 3600)
    ]
    assert s.tariff_id == "T-1"
    reported = json.loads(s.reported_cost_details)
    assert reported["totalUsage"] == {"energy": 7000, "chargingTime": 7200, "idleTime": 3600}


def test_declared_201_log_with_21_content_is_a_typed_error(v2x_log: str) -> None:
    with pytest.raises(chargekit.UnsupportedVersionError) as e:
        sessions_from_messages(v2x_log, "2.0.1", station_id="CP-V2X")
    assert "2.1" in str(e.value)
    (s,) = sessions_from_messages(v2x_log, "ocpp2.1", station_id="CP-V2X")
    assert s.version == "2.1"


def test_live_assembler_turns_21_and_matches_bulk(v2x_log: str) -> None:
    a = SessionAssembler("CP-V2X")
    timelines = []
    for line in v2x_log.splitlines():
        a.feed(line)
        for ev in a.drain_events():
            if ev.session is not None:
                timelines.append([c.state for c in ev.session.timeline])
    assert a.version == "2.1"
    # Discharging shows once the export register has risen: from the 10:30 event on.
    assert ["discharging" in t for t in timelines] == [False, False, False, True, True, True]
    assert a.sessions() == sessions_from_messages(v2x_log, station_id="CP-V2X")


def test_stable_key_across_the_1_6_transaction_id_and_no_session_yet() -> None:
    a = SessionAssembler("CP-1")
    assert a.session() is None
    a.feed('[2,"s","StartTransaction",{"connectorId":2,"idTag":"T","meterStart":1000,"timestamp":"2026-03-10T08:00:00Z"}]')
    before = a.session()
    a.feed('[3,"s",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}]')
    after = a.session()
    assert before.transaction_id.startswith("local:") and after.transaction_id == "77"
    assert before.stable_key == after.stable_key == "CP-1/2/2026-03-10T08:00:00Z"
