"""OCPP 1.6 / 2.0.1 / 2.1 messages → charging sessions; smart charging (charging profiles);
OCPP 2.1 station tariffs and local cost.

``messages`` may be JSON text (a JSON array of frames, a single frame, or one frame or
envelope ``{"received_at": ..., "frame": [...]}`` per line), bytes, or already-parsed
Python data: a list of frames (lists), envelopes (dicts) or str lines. Parse with
``json.loads(text, parse_float=decimal.Decimal)`` to keep numbers exact (floats from a
plain ``json.loads`` are passed on as the shortest text that reads back to them).

- ``sessions_from_messages(messages, version=None, *, station_id="station", policy=None)``
- ``session_from_messages(...)``: exactly one session, else ``NotExactlyOneSessionError``
- ``SessionAssembler(station_id="station", version=None, policy=None)``: live feeding;
  ``drain_events()`` → ``SessionEvent`` list, ``snapshot()`` / ``SessionAssembler.restore(data)``
  checkpoints
- ``Fleet(version=None, policy=None, retention_s=86400)``: many stations; ``feed(station_id,
  messages)``, ``drain_events()``, ``sessions(station_id)``, ``open_sessions()``,
  ``snapshot()`` / ``Fleet.restore(data)``

OCPP 2.1 station tariffs and local cost:

- ``StationTariff(tariff)``: a ``TariffType`` (JSON text or dict); ``validate(capabilities)``
  gives the station's answer (``TariffValidation``), ``lint()``, ``explain(language)``,
  ``to_ocpi(version)`` / ``StationTariff.from_ocpi(tariff)`` (each with its
  ``ConversionLoss`` list), ``to_dict()`` / ``to_json()``
- ``Session.cost_details(tariff, at=None, *, timezone=None, changes=None)``: the
  ``CostDetailsType`` a 2.1 station calculates, as a dict in OCPP field names
- ``check_cost_details(session, tariff, reported, *, at=None, timezone=None, changes=None,
  tolerance=None)``: a station's reported ``costDetails`` against chargekit's (``CostCheck``)

Smart charging:

- ``SmartChargingStation(evse_ids=[1, 2], default_limit_amps=..., default_limit_watts=...,
  supply_voltage=230, default_number_phases=3, options=None)``: the profile store of one
  station; ``install(profile, evse_id=0, version="2.0.1")`` applies the OCPP install rules
  (``ProfileRejectedError`` names the rule), ``composite_schedule(evse_id, start, duration,
  unit=None)`` returns a ``CompositeSchedule`` whose periods name the profile that bound
  them, ``plan_preferences(evse_id, now=..., profile_id=..., **preferences)`` turns a
  driver's wishes into a TxProfile (``PreferencePlan``).
"""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ._chargekit import (
    CompositeSchedule,
    Fleet,
    SessionAssembler,
    SessionEvent,
    SmartChargingStation,
    Session,
    StationTariff,
    session_from_messages,
    sessions_from_messages,
)
from ._records import Record, record

__all__ = [
    "SessionAssembler",
    "SessionEvent",
    "Fleet",
    "session_from_messages",
    "sessions_from_messages",
    "SmartChargingStation",
    "CompositeSchedule",
    "CompositePeriod",
    "ChargingProfileRef",
    "InstalledProfile",
    "PreferencePlan",
    "UnmetWish",
    "StationTariff",
    "check_cost_details",
    "CostCheck",
    "CostCheckLine",
    "TariffValidation",
    "ValidationReason",
    "StationLintFinding",
    "ConversionLoss",
]

_MODULE = "chargekit.ocpp"


@record("ProfileRef", module=_MODULE)
class ChargingProfileRef(Record):
    """The profile that set a limit: ``id``, ``purpose`` (e.g. ``"TxDefaultProfile"``),
    ``stack_level`` and the ``evse_id`` it is installed on (0 = station-wide). Hashable."""

    id: int
    purpose: str
    stack_level: int
    evse_id: int

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(tuple(self._data.values()))


@record(module=_MODULE)
class CompositePeriod(Record):
    """One period of a composite schedule: ``start_period`` (s from the schedule start),
    ``limit`` (``Decimal``; None only with ``gap_fill="no_limit"``), ``number_phases``,
    ``source`` (``"profile"``, ``"default"``, ``"evse_sum"`` or ``"reported"``), ``binding``
    (the ``ChargingProfileRef`` that set the limit, when a single profile did), ``profiles``
    (every profile involved, each once) and ``evse_sources`` (for an EVSE-0 sum: what set each
    EVSE's part)."""

    start_period: int
    limit: Optional[Decimal]
    number_phases: Optional[int]
    source: str
    binding: Optional[ChargingProfileRef]
    profiles: List[ChargingProfileRef]
    evse_sources: List[Record]

    __slots__ = ()

    @property
    def profile(self) -> Optional[ChargingProfileRef]:
        """The profile that set the limit (``binding``): None for a gap and for an EVSE-0 sum."""
        return self._data["binding"]

    @property
    def evse_parts(self) -> List[Tuple[int, Optional[ChargingProfileRef]]]:
        """For an EVSE-0 sum: ``(evse_id, profile or None)`` per EVSE; else an empty list."""
        return [(e["evse_id"], e["binding"]) for e in self._data["evse_sources"]]


@record(module=_MODULE)
class InstalledProfile(Record):
    """A profile installed on a station: ``id``, ``evse_id`` (0 = station-wide), ``purpose``
    (the 2.x name, also for 1.6 installs), ``stack_level``, ``version`` it came in, ``origin``
    (``"csms"`` or ``"local"``), ``seq`` (installation order) and ``profile``."""

    id: int
    evse_id: int
    purpose: str
    stack_level: int
    version: str
    origin: str
    seq: int
    profile: Dict[str, Any]

    __slots__ = ()

    def to_dict(self) -> Dict[str, Any]:
        """The profile as installed, as a 2.x ChargingProfile dict (1.6 profiles converted)."""
        return copy.deepcopy(self._data["profile"])


@record(module=_MODULE)
class UnmetWish(Record):
    """A wish of the driver that a plan cannot meet. ``kind``: ``"energy_shortfall"`` (with
    ``requested_wh`` and ``deliverable_wh``), ``"departure_in_past"``,
    ``"start_after_departure"``, ``"no_window_before_departure"`` or ``"too_many_periods"``
    (with ``needed`` and ``allowed``); the fields another kind has are None."""

    kind: str
    requested_wh: Optional[Decimal]
    deliverable_wh: Optional[Decimal]
    needed: Optional[int]
    allowed: Optional[int]

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name in ("requested_wh", "deliverable_wh", "needed", "allowed"):
            return None
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")


@record(module=_MODULE)
class PreferencePlan(Record):
    """A TxProfile planned from a driver's preferences, and what it achieves:
    ``deliverable_wh`` (None when unbounded), ``charging_starts``, ``charging_ends``,
    ``unmet`` (``UnmetWish`` records) and ``all_met``."""

    deliverable_wh: Optional[Decimal]
    charging_starts: Optional[datetime]
    charging_ends: Optional[datetime]
    unmet: List[UnmetWish]
    all_met: bool

    __slots__ = ()

    @property
    def profile(self) -> Dict[str, Any]:
        """The generated OCPP 2.0.1 ChargingProfile (an Absolute TxProfile) as a dict, ready
        for ``SmartChargingStation.install``."""
        return copy.deepcopy(self._data["profile"])


@record(module=_MODULE)
class ValidationReason(Record):
    """One reason a station would not accept a tariff: ``status`` (e.g.
    ``"ConditionNotSupported"``), ``path`` (JSON path) and ``message``."""

    status: str
    path: str
    message: str

    __slots__ = ()


@record(module=_MODULE)
class TariffValidation(Record):
    """A station's answer to a tariff: ``status`` (``"Accepted"``, ``"Rejected"``,
    ``"TooManyElements"``, ``"ConditionNotSupported"`` or ``"DuplicateTariffId"``), every
    ``reasons`` entry, and ``notes`` on what was accepted but is notable."""

    status: str
    reasons: List[ValidationReason]
    notes: List[str]

    __slots__ = ()


@record(module=_MODULE)
class CostCheckLine(Record):
    """One compared figure: ``item`` (e.g. ``"energy.exclTax"``), chargekit's ``expected``,
    the station's ``reported``, their ``difference`` (reported − expected) and ``ok``."""

    item: str
    expected: Optional[Decimal]
    reported: Optional[Decimal]
    difference: Optional[Decimal]
    ok: bool

    __slots__ = ()


@record("CostCheckReport", module=_MODULE)
class CostCheck(Record):
    """A station's ``costDetails`` checked: ``verdict`` (``"match"``, ``"mismatch"``,
    ``"station_failed"``, ``"not_calculable"`` or ``"different_basis"``), every compared
    figure in ``lines``, those beyond the tolerance in ``differences``, and chargekit's own
    ``CostDetailsType`` as ``expected`` (a dict, numbers ``Decimal``)."""

    verdict: str
    lines: List[CostCheckLine]
    differences: List[CostCheckLine]
    expected_json: str

    __slots__ = ()

    @property
    def expected(self) -> Dict[str, Any]:
        """chargekit's own ``CostDetailsType``, as a dict in OCPP field names."""
        import json

        return json.loads(self._data["expected_json"], parse_float=Decimal, parse_int=Decimal)


@record(module=_MODULE)
class StationLintFinding(Record):
    """A finding on a station tariff: ``rule`` (e.g. ``"shadowed_price"``), ``severity``,
    ``path`` (JSON path) and ``message``."""

    rule: str
    severity: str
    path: str
    message: str

    __slots__ = ()


@record(module=_MODULE)
class ConversionLoss(Record):
    """What an OCPI ↔ OCPP 2.1 tariff conversion could not carry over: ``path``, ``what``
    (e.g. ``"step_size"``, ``"stacked_tax"``) and ``detail``."""

    path: str
    what: str
    detail: str

    __slots__ = ()


def check_cost_details(
    session: Session,
    tariff: Any,
    reported: Any,
    *,
    at: Optional[datetime] = None,
    timezone: Any = None,
    changes: Optional[Any] = None,
    tolerance: Optional[Decimal] = None,
) -> CostCheck:
    """A station's reported ``costDetails`` (dict or JSON text) checked against chargekit's
    own calculation with the same ``tariff`` (and ``changes``, ``(datetime, tariff)`` pairs)
    up to ``at``, in the station's ``timezone``: a ``CostCheck`` with ``verdict``, ``lines``,
    ``differences`` and ``expected``. ``tolerance``: how far money figures may differ (a
    ``Decimal``; default exact at the currency's minor units)."""
    if not isinstance(session, Session):
        raise TypeError(f"session must be a chargekit.ocpp.Session, not {type(session).__name__}")
    return session._check_cost_details(tariff, reported, at, timezone, changes, tolerance)
