"""chargekit: EV charging sessions from OCPP meter readings.

OCPP 1.6 / 2.0.1 / 2.1 messages become ``Session`` objects with their energy (exact
``Decimal`` Wh), state timeline, charging periods and every anomaly in the meter data.
All logic lives in the Rust core; this package is a thin binding.

>>> from chargekit.ocpp import sessions_from_messages
>>> sessions = sessions_from_messages(open("log.jsonl").read(), station_id="CP-1")
"""

from . import _session, analytics, arrow, feedback, ocmf, ocpi, ocpp, planning
from ._chargekit import ANOMALY_KINDS, LIMITS, MeterPolicy, Session, __version__
from ._session import Anomaly, ChargingPeriod, Reading, StateChange
from . import _errors
from ._errors import *  # noqa: F401,F403 (the exception classes, built from the core table)

__all__ = [
    "ANOMALY_KINDS",
    "LIMITS",
    "Anomaly",
    "ChargingPeriod",
    "MeterPolicy",
    "Reading",
    "Session",
    "StateChange",
    "analytics",
    "arrow",
    "feedback",
    "ocmf",
    "ocpi",
    "ocpp",
    "planning",
    "__version__",
]
__all__ += _errors.__all__
