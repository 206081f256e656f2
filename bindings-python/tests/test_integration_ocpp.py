"""chargekit inside a CSMS built on the ``ocpp`` library: the library's own charge point (a
simulated station) talks to ``examples/csms.py`` over a real websocket on 127.0.0.1 through a
whole session in 1.6 and in 2.0.1 (boot, status, authorize, start, meter values, suspended EV,
stop), and a V2X session in 2.1; the live state is checked after every message, and the final session equals the bulk
result on the same frames."""

import asyncio
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ocpp = pytest.importorskip("ocpp")
websockets = pytest.importorskip("websockets")

from ocpp.v16 import ChargePoint as Station16  # noqa: E402
from ocpp.v16 import call as call16  # noqa: E402
from ocpp.v201 import ChargePoint as Station201  # noqa: E402
from ocpp.v201 import call as call201  # noqa: E402
from ocpp.v21 import ChargePoint as Station21  # noqa: E402
from ocpp.v21 import call as call21  # noqa: E402

from chargekit.ocpp import sessions_from_messages  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import csms as example  # noqa: E402

TARIFF = (Path(__file__).resolve().parents[2] / "examples" / "data" / "tariff-tou.json").read_text()


def sample(wh: int, at: str) -> list:
    return [{"timestamp": at, "sampledValue": [{"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]}]


async def run_1_6_session(port: int, server: "example.Csms") -> list:
    """The station side of one session; returns what the CSMS knew after each message."""
    states = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/CP-SIM", subprotocols=["ocpp1.6"]) as ws:
        station = Station16("CP-SIM", ws)
        listener = asyncio.create_task(station.start())

        async def send(payload):
            response = await station.call(payload)
            conn = server.connections["CP-SIM"]
            live = server.fleet.sessions("CP-SIM")
            bulk = sessions_from_messages("\n".join(conn.frames), station_id="CP-SIM")
            # Kept current frame by frame, the sessions equal a derivation from all frames so far.
            assert live == bulk
            assert conn.errors == []
            states.append([(s.stable_key, s.state, s.energy_wh) for s in live])
            return response

        await send(call16.BootNotification(charge_point_model="Sim", charge_point_vendor="chargekit"))
        await send(call16.StatusNotification(connector_id=1, error_code="NoError", status="Preparing", timestamp="2026-03-10T08:00:00Z"))
        await send(call16.Authorize(id_tag="TAG-1"))
        started = await send(call16.StartTransaction(connector_id=1, id_tag="TAG-1", meter_start=1000, timestamp="2026-03-10T08:00:05Z"))
        tx = started.transaction_id
        await send(call16.StatusNotification(connector_id=1, error_code="NoError", status="Charging", timestamp="2026-03-10T08:00:06Z"))
        for minute, wh in [(15, 3000), (30, 5000), (45, 7000)]:
            await send(call16.MeterValues(connector_id=1, transaction_id=tx, meter_value=sample(wh, f"2026-03-10T08:{minute}:00Z")))
        await send(call16.StatusNotification(connector_id=1, error_code="NoError", status="SuspendedEV", timestamp="2026-03-10T08:50:00Z"))
        await send(call16.MeterValues(connector_id=1, transaction_id=tx, meter_value=sample(7000, "2026-03-10T09:00:00Z")))
        await send(call16.StopTransaction(meter_stop=7000, timestamp="2026-03-10T09:10:00Z", transaction_id=tx, reason="EVDisconnected"))
        listener.cancel()
    return states


def test_a_1_6_station_through_the_example_csms() -> None:
    server = example.Csms(tariff=TARIFF, tz="Europe/Berlin", quiet=True)

    async def main():
        async with server.serve("127.0.0.1", 0) as ws_server:
            port = ws_server.sockets[0].getsockname()[1]
            return await run_1_6_session(port, server)

    states = asyncio.run(main())
    # No session before StartTransaction; the same stable key from its first frame to its last.
    assert states[:3] == [[], [], []]
    keys = {k for state in states[3:] for (k, _, _) in state}
    assert keys == {"CP-SIM/1/2026-03-10T08:00:05Z"}
    # 7000 − 1000 = 6000 Wh; suspended by the EV, then ended.
    assert [st[0][1] for st in states[3:]] == ["connected", "charging", "charging", "charging", "charging", "suspended_ev", "suspended_ev", "ended"]
    assert states[-1][0][2] == Decimal(6000)
    (final,) = server.fleet.sessions("CP-SIM")
    assert final.transaction_id == "1" and final.is_ended
    assert final == sessions_from_messages("\n".join(server.connections["CP-SIM"].frames), station_id="CP-SIM")[0]
    # The CSMS priced the ended session: one CDR with 6 kWh.
    assert len(server.cdrs) == 1 and server.cdrs[0]["total_energy"] == Decimal(6)


def check_live(server: "example.Csms", station: str, states: list) -> None:
    conn = server.connections[station]
    live = server.fleet.sessions(station)
    assert live == sessions_from_messages("\n".join(conn.frames), station_id=station)
    assert conn.errors == []
    states.append([(s.stable_key, s.state, s.energy_wh) for s in live])


def event(kind: str, seq: int, at: str, trigger: str, state: str, wh: int, **extra) -> "call201.TransactionEvent":
    mv = [{"timestamp": at, "sampled_value": [{"value": wh, "measurand": "Energy.Active.Import.Register"}]}]
    info = {"transaction_id": "TX-9", "charging_state": state}
    return call201.TransactionEvent(event_type=kind, timestamp=at, trigger_reason=trigger, seq_no=seq,
                                    transaction_info={**info, **extra}, meter_value=mv)


def test_a_2_0_1_station_through_the_example_csms() -> None:
    server = example.Csms(tariff=TARIFF, tz="Europe/Berlin", quiet=True)
    states: list = []

    async def main():
        async with server.serve("127.0.0.1", 0) as ws_server:
            port = ws_server.sockets[0].getsockname()[1]
            async with websockets.connect(f"ws://127.0.0.1:{port}/CP-201", subprotocols=["ocpp2.0.1"]) as ws:
                station = Station201("CP-201", ws)
                listener = asyncio.create_task(station.start())
                calls = [
                    call201.BootNotification(charging_station={"model": "Sim", "vendor_name": "chargekit"}, reason="PowerUp"),
                    call201.StatusNotification(timestamp="2026-03-10T08:00:00Z", connector_status="Occupied", evse_id=1, connector_id=1),
                    call201.Authorize(id_token={"id_token": "TAG-2", "type": "ISO14443"}),
                    event("Started", 0, "2026-03-10T08:00:05Z", "Authorized", "Charging", 1000),
                    event("Updated", 1, "2026-03-10T08:30:00Z", "MeterValuePeriodic", "Charging", 5000),
                    event("Updated", 2, "2026-03-10T08:50:00Z", "ChargingStateChanged", "SuspendedEV", 7000),
                    event("Ended", 3, "2026-03-10T09:10:00Z", "EVDeparted", "EVConnected", 7000, stopped_reason="EVDisconnected"),
                ]
                for payload in calls:
                    await station.call(payload)
                    check_live(server, "CP-201", states)
                listener.cancel()

    asyncio.run(main())
    assert states[:3] == [[], [], []]
    assert {k for st in states[3:] for (k, _, _) in st} == {"CP-201/TX-9"}
    assert [st[0][1] for st in states[3:]] == ["charging", "charging", "suspended_ev", "ended"]
    # 7000 − 1000 = 6000 Wh.
    assert states[-1][0][2] == Decimal(6000)
    assert len(server.cdrs) == 1 and server.cdrs[0]["total_energy"] == Decimal(6)


def registers(at: str, imported: int, exported: int) -> list:
    values = [(imported, "Energy.Active.Import.Register"), (exported, "Energy.Active.Export.Register")]
    return [{"timestamp": at, "sampled_value": [{"value": v, "measurand": m} for v, m in values]}]


def test_a_2_1_v2x_station_through_the_example_csms() -> None:
    """A bidirectional session from the ``ocpp`` library's 2.1 charge point: charged 4 kWh,
    fed 1.5 kWh back under a central setpoint (an element only 2.1 has)."""
    server = example.Csms(tariff=TARIFF, tz="Europe/Berlin", quiet=True)
    states: list = []

    def tx(kind: str, seq: int, at: str, trigger: str, state: str, imported: int, exported: int, **extra):
        info = {"transaction_id": "V2X-1", "charging_state": state, **extra}
        return call21.TransactionEvent(event_type=kind, timestamp=at, trigger_reason=trigger, seq_no=seq,
                                       transaction_info=info, meter_value=registers(at, imported, exported))

    async def main():
        async with server.serve("127.0.0.1", 0) as ws_server:
            port = ws_server.sockets[0].getsockname()[1]
            async with websockets.connect(f"ws://127.0.0.1:{port}/CP-21", subprotocols=["ocpp2.1"]) as ws:
                assert ws.subprotocol == "ocpp2.1"
                station = Station21("CP-21", ws)
                listener = asyncio.create_task(station.start())
                calls = [
                    call21.BootNotification(charging_station={"model": "Sim", "vendor_name": "chargekit"}, reason="PowerUp"),
                    call21.Authorize(id_token={"id_token": "TAG-3", "type": "ISO14443"}),
                    tx("Started", 0, "2026-03-10T08:00:00Z", "Authorized", "Charging", 1000, 500),
                    tx("Updated", 1, "2026-03-10T09:00:00Z", "MeterValuePeriodic", "Charging", 5000, 500),
                    tx("Updated", 2, "2026-03-10T09:30:00Z", "OperationModeChanged", "Charging", 5000, 500,
                       operation_mode="CentralSetpoint"),
                    tx("Updated", 3, "2026-03-10T10:30:00Z", "MeterValuePeriodic", "Charging", 5000, 2000,
                       operation_mode="CentralSetpoint"),
                    tx("Ended", 4, "2026-03-10T11:00:00Z", "EVDeparted", "EVConnected", 5000, 2000,
                       stopped_reason="EVDisconnected"),
                ]
                for payload in calls:
                    await station.call(payload)
                    check_live(server, "CP-21", states)
                listener.cancel()

    asyncio.run(main())
    (final,) = server.fleet.sessions("CP-21")
    # Read as 2.0.1 until the operation mode, then as 2.1 from the first frame.
    # Live, the state is known up to the latest reading: the export that rose from 09:30 to
    # 10:30 shows as discharging once 10:30's reading arrived, in the timeline.
    assert [st[0][1] for st in states[2:]] == ["charging"] * 4 + ["ended"]
    assert [(c.at.hour, c.at.minute, c.state) for c in final.timeline] == [
        (8, 0, "charging"), (9, 30, "discharging"), (10, 30, "charging"), (11, 0, "ended")]
    assert final.discharging_s == 3600
    assert final.version == "2.1"
    assert (final.energy_wh, final.energy_export_wh, final.energy_net_wh) == (Decimal(4000), Decimal(1500), Decimal(2500))
    assert final == sessions_from_messages("\n".join(server.connections["CP-21"].frames), station_id="CP-21")[0]
    assert len(server.cdrs) == 1 and server.cdrs[0]["total_energy"] == Decimal(4)


def test_the_assembler_takes_ocpp_message_objects() -> None:
    from ocpp.messages import Call, CallResult

    from chargekit.ocpp import SessionAssembler

    a = SessionAssembler("CP-OBJ", "1.6")
    start = {"connectorId": 1, "idTag": "T", "meterStart": 1000, "timestamp": "2026-03-10T08:00:00Z"}
    stop = {"transactionId": 5, "meterStop": 4000, "timestamp": "2026-03-10T09:00:00Z"}
    a.feed(Call(unique_id="s", action="StartTransaction", payload=start))
    a.feed(CallResult(unique_id="s", payload={"transactionId": 5, "idTagInfo": {"status": "Accepted"}}))
    a.feed(Call(unique_id="e", action="StopTransaction", payload=stop))
    s = a.session()
    # 4000 − 1000 = 3000 Wh, as from the same frames as text.
    assert (s.transaction_id, s.energy_wh, s.is_ended) == ("5", Decimal(3000), True)
