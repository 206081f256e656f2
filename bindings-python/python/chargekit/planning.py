"""Smart charging: cost-optimal charging plans for one session, and load sharing on a site.

- ``plan(request)`` → ``Plan``: the cheapest (or as-late-as-possible, or contiguous) plan
  that meets the need by the departure within the EV's, the EVSE's and the composite
  schedule's limits, never below the minimum charging rate (it pauses instead); its expected
  cost (price series, or what the OCPI tariff engine bills), whether the need is met (else
  ``shortfall_wh``) and an Absolute OCPP TxProfile (``validTo`` = departure).
  ``"contiguous"`` and ``max_switches`` are solved exactly too; ``optimal`` is true only
  when the plan is proven optimal (docs/planning.md: switches, partly used intervals, the
  least power of 0.1 W without a minimum rate).
- ``allocate(request)`` → ``SiteAllocation``: the site's capacity (grid connection →
  groups/feeders → EVSEs, limits per phase in A or in W, PV and house load) shared among the
  sessions present over time (``"equal_share"``, ``"earliest_deadline_first"`` or the price-aware ``"cheapest"``), with a
  TxProfile per session and a ChargingStationMaxProfile per station, ready to send.
- ``limits_from_composite(schedule, phases=3, voltage=230)``: a ``CompositeSchedule`` of a
  ``chargekit.ocpp.SmartChargingStation`` as the W limits a plan must respect
  (``request["limits_w"]``).

A request is JSON text or a dict of the core's ``PlanRequest`` fields (``start``,
``departure`` as aware datetimes; ``energy_wh`` or ``soc``; ``ev``/``evse`` limits
``max_power_w``, ``min_power_w``, ``max_current_a``, ``min_current_a``, ``phases``;
``voltage``, ``limits_w``, ``prices``, ``tariff``, ``timezone``, ``co2_g_per_kwh``,
``co2_weight``, ``strategy`` — ``"cheapest"``, ``"as_late_as_possible"``,
``"contiguous"`` —, ``max_switches``, ``interval_s``, ``profile`` with ``profile_id``,
``stack_level``, ``transaction_id``, ``unit``, ``max_periods``), or of
``AllocationRequest`` fields (``site`` with ``groups``, ``evses``, ``voltage``, ``pv_w``,
``house_load_w``; ``sessions``; ``from``; ``until``; ``strategy``; ``interval_s``;
``prices``; ``profile``). Quantities are ``Decimal`` or ``int`` (floats are refused);
series points are ``(start, value)`` tuples or ``{"start": ..., "value": ...}`` dicts;
``tariff`` is a ``chargekit.ocpi.Tariff``, OCPI JSON text or a dict. Bad input raises a
``PlanningError`` naming the field (``InvalidPlanningFieldError.field``).

Results are read-only records: per-interval values are lists of ``(start, power_w)``
tuples (aware UTC ``datetime``, ``Decimal`` W) in ``Plan.schedule`` and
``SiteAllocation.schedule(evse_id)``, with the detailed rows in ``intervals``. Profiles are
OCPP 2.0.1 dicts (``profile``) and JSON text (``profile_json``), both accepted by
``SmartChargingStation.install``.

>>> from datetime import datetime, timedelta, timezone
>>> from decimal import Decimal
>>> t0 = datetime(2026, 3, 10, 22, tzinfo=timezone.utc)
>>> p = plan({"start": t0, "departure": t0 + timedelta(hours=4), "energy_wh": 15000,
...           "ev": {"max_power_w": 10000}, "interval_s": 3600,
...           "prices": [(t0 + timedelta(hours=h), Decimal(c))
...                      for h, c in enumerate(["0.30", "0.10", "0.40", "0.20"])]})
>>> p.expected_cost
Decimal('2')
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _chargekit
from ._errors import _invalid_argument
from ._records import Record, record

__all__ = [
    "plan",
    "allocate",
    "limits_from_composite",
    "Plan",
    "SiteAllocation",
    "ProfileToSend",
    "Record",
]

_Request = Union[str, bytes, Mapping[str, Any]]
_MODULE = "chargekit.planning"


@record(module=_MODULE)
class Plan(Record):
    """The plan of one session (see the module text). Fields: ``intervals`` (rows with
    ``start``, ``end``, ``power_w``, ``energy_wh``, ``max_power_w``, ``price_per_kwh``,
    ``co2_g_per_kwh``), ``schedule``, ``need_wh``, ``energy_wh``, ``feasible``,
    ``shortfall_wh``, ``expected_cost``, ``expected_cost_incl_vat``, ``currency``,
    ``expected_co2_g``, ``switches``, ``strategy``, ``optimal``, ``profile``,
    ``profile_json``."""

    intervals: List[Record]
    need_wh: Decimal
    energy_wh: Decimal
    feasible: bool
    shortfall_wh: Decimal
    expected_cost: Decimal
    expected_cost_incl_vat: Optional[Decimal]
    currency: Optional[str]
    expected_co2_g: Optional[Decimal]
    switches: int
    strategy: str
    optimal: bool

    __slots__ = ()

    @property
    def schedule(self) -> List[Tuple[Any, Any]]:
        """``[(start, power_w), ...]``: aware UTC ``datetime`` and ``Decimal`` W per row."""
        return [(i["start"], i["power_w"]) for i in self._data["intervals"]]

    @property
    def profile(self) -> Dict[str, Any]:
        """The Absolute TxProfile as an OCPP 2.0.1 ``ChargingProfile`` dict (a copy), ready
        for ``SmartChargingStation.install(plan.profile, evse_id)``."""
        return copy.deepcopy(self._data["profile"])

    @property
    def profile_json(self) -> str:
        """The profile as OCPP 2.0.1 JSON text."""
        return _chargekit.json_text(self._data["profile"])

    def to_json(self) -> str:
        """The plan as JSON text (the profile in 2.x shape)."""
        return _chargekit.json_text(self.to_dict())


@record(module=_MODULE)
class ProfileToSend(Record):
    """A profile ready to send: to ``station_id``, EVSE ``evse_id`` (0: the station), with
    ``purpose``, ``profile`` (OCPP 2.0.1 dict) and ``profile_json``."""

    station_id: str
    evse_id: int
    purpose: str

    __slots__ = ()

    @property
    def profile(self) -> Dict[str, Any]:
        """The ChargingProfile as an OCPP 2.0.1 dict (a copy)."""
        return copy.deepcopy(self._data["profile"])

    @property
    def profile_json(self) -> str:
        """The profile as OCPP 2.0.1 JSON text."""
        return _chargekit.json_text(self._data["profile"])


@record(module=_MODULE)
class SiteAllocation(Record):
    """The allocation of a site (see the module text). Fields: ``intervals`` (``start``,
    ``end``, ``evses`` with ``evse_id``/``power_w``, ``groups`` with ``group_id``,
    ``power_w``, ``l1_a``, ``l2_a``, ``l3_a``), ``per_evse``, ``sessions`` (``evse_id``,
    ``need_wh``, ``energy_wh``, ``feasible``, ``shortfall_wh``, ``expected_cost``),
    ``tx_profiles``, ``station_profiles``, ``strategy``."""

    intervals: List[Record]
    sessions: List[Record]
    tx_profiles: List[ProfileToSend]
    station_profiles: List[ProfileToSend]
    strategy: str
    evse_schedules: List[Record]

    __slots__ = ()

    @property
    def per_evse(self) -> Dict[str, List[Tuple[Any, Any]]]:
        """``{evse_id: [(start, power_w), ...]}`` for every EVSE with a session."""
        return {s["evse_id"]: [(p["start"], p["value"]) for p in s["points"]] for s in self._data["evse_schedules"]}

    def schedule(self, evse_id: str) -> List[Tuple[Any, Any]]:
        """``[(start, power_w), ...]`` of one EVSE (``InvalidArgumentError`` when it has no
        session)."""
        if evse_id not in self.per_evse:
            raise _invalid_argument("evse_id", f"{evse_id!r} has no session; EVSEs: {sorted(self.per_evse)}")
        return self.per_evse[evse_id]

    def to_json(self) -> str:
        """The allocation as JSON text."""
        return _chargekit.json_text(self.to_dict())


def plan(request: _Request) -> Plan:
    """Plans one session: a dict of ``PlanRequest`` fields or its JSON text."""
    return _chargekit.plan(request)


def allocate(request: _Request) -> SiteAllocation:
    """Shares a site's capacity: a dict of ``AllocationRequest`` fields or its JSON text.
    Re-plan by calling it again from now with the remaining needs when a car arrives or
    leaves."""
    return _chargekit.allocate(request)


def limits_from_composite(schedule: Any, phases: int = 3, voltage: Any = None) -> List[Tuple[Any, Any]]:
    """A ``CompositeSchedule`` as ``[(start, watts), ...]`` for ``request["limits_w"]`` (A
    converted with ``phases`` and ``voltage``, 230 V by default; a period without a limit is
    1 GW)."""
    return _chargekit.limits_from_composite(schedule, phases, voltage)
