"""The plain records a ``Session`` hands out: the core's, converted by the native module's
one conversion table (``Decimal`` quantities, aware UTC ``datetime`` instants, wire names)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from ._records import Record, record

__all__ = ["Anomaly", "ChargingPeriod", "Reading", "StateChange"]


@record()
class StateChange(Record):
    """A change of session state: ``at``, ``state`` (e.g. ``"charging"``) and ``energy_wh``
    delivered so far."""

    at: datetime
    state: str
    energy_wh: Decimal

    __slots__ = ()


@record()
class Anomaly(Record):
    """Something the meter data got wrong, reported instead of silently fixed: ``kind`` (one
    of ``chargekit.ANOMALY_KINDS``), ``at``, ``message_id`` and ``detail``."""

    kind: str
    at: Optional[datetime]
    message_id: Optional[str]
    detail: str

    __slots__ = ()


@record()
class Reading(Record):
    """One sampled value, normalised (``value`` in Wh, W, A, V, %), with what the station
    sent: ``ts_station``, ``ts_received``, ``measurand``, ``phase``, ``location``,
    ``context``, ``unit_raw``, ``multiplier``, ``raw``, ``signed_data`` and the frame it came
    in (``message_id``, ``seq_no``, ``offline``)."""

    ts_station: datetime
    ts_received: Optional[datetime]
    measurand: str
    phase: Optional[str]
    location: Optional[str]
    context: str
    unit_raw: Optional[str]
    multiplier: int
    raw: str
    value: Optional[Decimal]
    signed_data: Optional[str]
    source: Record

    __slots__ = ()

    @property
    def message_id(self) -> str:
        """The OCPP message id of the frame it came from."""
        return self._data["source"]["message_id"]

    @property
    def seq_no(self) -> Optional[int]:
        """The 2.0.1 ``seqNo`` of the event, if any."""
        return self._data["source"]["seq_no"]

    @property
    def offline(self) -> bool:
        """True when the station queued the event while offline."""
        return self._data["source"]["offline"]


@record()
class ChargingPeriod(Record):
    """One time slice of a session as a tariff prices it: ``start``, ``end``, ``state``,
    ``kind`` (``"charging"`` — energy flows either way — or ``"idle"``), ``energy_wh``,
    ``energy_export_wh`` (fed back by the EV, V2X), ``duration_s``, ``max_power_w``,
    ``max_current_a``."""

    start: datetime
    end: datetime
    state: str
    kind: str
    energy_wh: Decimal
    energy_export_wh: Decimal
    max_power_w: Optional[Decimal]
    max_current_a: Optional[Decimal]
    duration_s: int

    __slots__ = ()
