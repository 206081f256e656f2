"""A small CSMS on ``websockets`` and the ``ocpp`` library, with chargekit watching every frame.

It accepts OCPP 1.6, 2.0.1 and 2.1 stations on ``ws://HOST:PORT/<station id>``, answers what a
station sends during a session (boot, status, authorize, start/stop or transaction events,
meter values), prints each session's live state as it changes, and when a session ends
writes its priced OCPI CDR to ``--out`` (with ``--tariff``)::

    pip install chargekit ocpp websockets
    python examples/csms.py --port 9000 --tariff examples/data/tariff-tou.json --out cdrs/

chargekit sees the frames through ``chargekit.integrations.ocpp.FleetConnection``, which
wraps the websocket the ``ocpp`` charge point talks over.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v16.datatypes import IdTagInfo
from ocpp.v16.enums import Action as Action16
from ocpp.v16.enums import AuthorizationStatus, RegistrationStatus
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from ocpp.v201.enums import Action as Action201
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v21 import call_result as result21
from ocpp.v21.enums import Action as Action21

from chargekit.integrations.ocpp import FleetConnection
from chargekit.ocpp import Fleet, SessionEvent


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


class Station16(ChargePoint16):
    """The CSMS side of one OCPP 1.6 station: accepts everything, numbers transactions."""

    ids = itertools.count(1)

    @on(Action16.boot_notification)
    def boot(self, charge_point_vendor: str, charge_point_model: str, **_):
        return result16.BootNotification(current_time=now(), interval=300, status=RegistrationStatus.accepted)

    @on(Action16.heartbeat)
    def heartbeat(self):
        return result16.Heartbeat(current_time=now())

    @on(Action16.status_notification)
    def status(self, **_):
        return result16.StatusNotification()

    @on(Action16.authorize)
    def authorize(self, id_tag: str):
        return result16.Authorize(id_tag_info=IdTagInfo(status=AuthorizationStatus.accepted))

    @on(Action16.start_transaction)
    def start_transaction(self, **_):
        accepted = IdTagInfo(status=AuthorizationStatus.accepted)
        return result16.StartTransaction(transaction_id=next(self.ids), id_tag_info=accepted)

    @on(Action16.meter_values)
    def meter_values(self, **_):
        return result16.MeterValues()

    @on(Action16.stop_transaction)
    def stop_transaction(self, **_):
        return result16.StopTransaction()


def accepting_2x(base, result, action):
    """The CSMS side of one OCPP 2.0.1 or 2.1 station (the two share these messages):
    accepts everything."""

    class Station(base):
        @on(action.boot_notification)
        def boot(self, **_):
            return result.BootNotification(current_time=now(), interval=300, status="Accepted")

        @on(action.heartbeat)
        def heartbeat(self):
            return result.Heartbeat(current_time=now())

        @on(action.status_notification)
        def status(self, **_):
            return result.StatusNotification()

        @on(action.authorize)
        def authorize(self, **_):
            return result.Authorize(id_token_info={"status": "Accepted"})

        @on(action.transaction_event)
        def transaction_event(self, **_):
            return result.TransactionEvent()

        @on(action.meter_values)
        def meter_values(self, **_):
            return result.MeterValues()

    return Station


Station201 = accepting_2x(ChargePoint201, result201, Action201)
Station21 = accepting_2x(ChargePoint21, result21, Action21)  # V2X among others


#: The CSMS side for each OCPP subprotocol the server speaks.
STATIONS = {"ocpp1.6": Station16, "ocpp2.0.1": Station201, "ocpp2.1": Station21}


class Csms:
    """The server: one ``Fleet`` for all stations, one ``FleetConnection`` per station."""

    def __init__(self, tariff: Optional[str] = None, out: Optional[Path] = None, tz: str = "UTC", quiet: bool = False):
        self.fleet = Fleet()
        self.connections: Dict[str, FleetConnection] = {}
        self.tariff, self.out, self.tz, self.quiet = tariff, out, tz, quiet
        self.cdrs: List[dict] = []

    def on_events(self, events: List[SessionEvent]) -> None:
        for e in events:
            s = e.session
            if s is not None and not self.quiet:
                print(f"{e.station_id} {s.stable_key} {e.kind}: {s.state}, {s.energy_wh} Wh", flush=True)
            if e.kind == "ended" and s is not None and self.tariff is not None:
                cdr = s.price(self.tariff, timezone=self.tz).to_ocpi()
                self.cdrs.append(cdr)
                if self.out is not None:
                    self.out.mkdir(parents=True, exist_ok=True)
                    name = s.stable_key.replace("/", "_").replace(":", "-")
                    (self.out / f"{name}.json").write_text(json.dumps(cdr, default=str, indent=2))

    async def on_connect(self, websocket) -> None:
        station_id = websocket.request.path.strip("/")
        conn = FleetConnection(websocket, station_id, self.fleet, on_events=self.on_events)
        self.connections[station_id] = conn
        cls = STATIONS.get(websocket.subprotocol or "ocpp1.6", Station16)
        try:
            await cls(station_id, conn).start()
        except websockets.ConnectionClosed:
            pass

    def serve(self, host: str = "127.0.0.1", port: int = 9000):
        return websockets.serve(self.on_connect, host, port, subprotocols=list(STATIONS))


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9000)
    p.add_argument("--tariff", type=Path, help="an OCPI tariff (JSON) to price ended sessions")
    p.add_argument("--tz", default="UTC", help="the site's IANA time zone")
    p.add_argument("--out", type=Path, help="folder for the priced CDRs")
    a = p.parse_args()
    csms = Csms(a.tariff.read_text() if a.tariff else None, a.out, a.tz)
    async with csms.serve(a.host, a.port):
        print(f"listening on ws://{a.host}:{a.port}/<station id>", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
