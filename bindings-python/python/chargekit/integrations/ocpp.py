"""chargekit inside a CSMS built on the Python ``ocpp`` library (mobilityhouse/ocpp).

An ``ocpp`` ``ChargePoint`` talks over a connection object with ``recv()`` and ``send()``.
``FleetConnection`` wraps that connection (a public seam: no private method of ``ocpp`` is
touched) and feeds every frame in both directions, with the time it passed, into a
``chargekit.ocpp.Fleet``; the live session events come out of ``drain_events()`` or an
``on_events`` callback::

    from chargekit.ocpp import Fleet
    from chargekit.integrations.ocpp import FleetConnection

    fleet = Fleet()

    async def on_connect(websocket):
        station_id = websocket.request.path.strip("/")
        conn = FleetConnection(websocket, station_id, fleet, on_events=print)
        await MyChargePoint(station_id, conn).start()   # an ocpp.v16 / v201 / v21 ChargePoint

Works with the ``ocpp`` library's 1.6, 2.0.1 and 2.1 charge points alike: chargekit tells the
version from the frames. A frame chargekit cannot read never breaks the OCPP connection: it is
kept in ``errors`` (with the exception) and the conversation goes on. Sessions keep one
identity from start to end in ``Session.stable_key`` (in 1.6 the transaction id arrives only
with the answer to ``StartTransaction``).
"""

from __future__ import annotations

import reprlib
from datetime import datetime, timezone
from typing import Any, Callable, List, Optional, Tuple

from .. import ChargekitError
from .._chargekit import json_text
from .._errors import BY_KIND
from ..ocpp import Fleet, SessionEvent

__all__ = ["FleetConnection", "frame_text"]


def frame_text(message: Any) -> str:
    """An OCPP-J frame as text: text as it is (bytes that are not UTF-8 are an
    ``InvalidJsonError``), an ``ocpp`` message object (``Call``, ``CallResult``,
    ``CallError``) by its ``to_json()``, parsed JSON (``Decimal`` numbers kept exact, as
    ``json.loads(text, parse_float=Decimal)`` gives them) by chargekit's JSON writer."""
    if isinstance(message, (bytes, bytearray)):
        try:
            return bytes(message).decode("utf-8")
        except UnicodeDecodeError as e:
            reason = f"not UTF-8: byte {e.object[e.start]:#04x} at offset {e.start}"
            raise BY_KIND["invalid_json"](f"invalid JSON: {reason}", line=None, reason=reason) from None
    if isinstance(message, str):
        return message
    to_json = getattr(message, "to_json", None)
    if callable(to_json):
        return to_json()
    return json_text(message)


class FleetConnection:
    """A connection for an ``ocpp`` ``ChargePoint`` that feeds every frame into ``fleet``.

    ``connection``: the websocket (anything with async ``recv()`` and ``send(text)``);
    ``station_id``: the station's identity in the fleet; ``on_events``: called with the
    events each frame caused (``started``, ``updated``, ``anomaly``, ``ended``,
    ``withdrawn``); ``clock``: the receive time source (UTC ``datetime``)."""

    def __init__(
        self,
        connection: Any,
        station_id: str,
        fleet: Optional[Fleet] = None,
        on_events: Optional[Callable[[List[SessionEvent]], Any]] = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.connection = connection
        self.station_id = station_id
        self.fleet = fleet if fleet is not None else Fleet()
        self.on_events = on_events
        self.clock = clock
        #: Every frame fed, as the envelope text chargekit read (a replayable log).
        self.frames: List[str] = []
        #: Frames chargekit could not read, with the error.
        self.errors: List[Tuple[str, ChargekitError]] = []

    def feed(self, message: Any) -> List[SessionEvent]:
        """Feeds one frame (text or an ``ocpp`` message object) with the time now."""
        text = message if isinstance(message, str) else reprlib.repr(message)
        try:
            text = frame_text(message)
            envelope = '{"received_at":"%s","frame":%s}' % (self.clock().isoformat(), text)
            self.fleet.feed(self.station_id, envelope)
            events = self.fleet.drain_events()
        except ChargekitError as e:
            self.errors.append((text, e))
            return []
        self.frames.append(envelope)
        if events and self.on_events is not None:
            self.on_events(events)
        return events

    async def recv(self) -> Any:
        message = await self.connection.recv()
        self.feed(message)
        return message

    async def send(self, message: Any) -> None:
        await self.connection.send(message)
        self.feed(message)

    def __getattr__(self, name: str) -> Any:
        # Everything else (close, request, subprotocol, …) is the wrapped connection's.
        return getattr(self.connection, name)
