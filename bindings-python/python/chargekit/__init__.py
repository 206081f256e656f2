"""chargekit: EV charging sessions from OCPP meter readings.

OCPP 1.6 / 2.0.1 messages become ``Session`` objects with their energy (exact
``Decimal`` Wh), state timeline, charging periods and every anomaly in the meter data.
All logic lives in the Rust core; this package is a thin binding.

>>> from chargekit.ocpp import sessions_from_messages
>>> sessions = sessions_from_messages(open("log.jsonl").read(), station_id="CP-1")
"""

from . import ocpp
from ._chargekit import (
    ANOMALY_KINDS,
    Anomaly,
    ChargingPeriod,
    MeterPolicy,
    Reading,
    Session,
    StateChange,
    __version__,
)
from ._errors import (
    ChargekitError,
    InputTooLargeError,
    InvalidPreferencesError,
    InvalidProfileError,
    InvalidFrameError,
    InvalidJsonError,
    InvalidPayloadError,
    InvalidPolicyError,
    InvalidStationConfigError,
    MeterError,
    NegativeStepError,
    NotExactlyOneSessionError,
    NotRepresentableError,
    OcppError,
    ProfileError,
    ProfileRejectedError,
    SessionError,
    UnknownEvseError,
    UnknownUnitError,
    UnsupportedVersionError,
)

__all__ = [
    "ANOMALY_KINDS",
    "Anomaly",
    "ChargingPeriod",
    "MeterPolicy",
    "Reading",
    "Session",
    "StateChange",
    "ocpp",
    "__version__",
    "ChargekitError",
    "OcppError",
    "InvalidJsonError",
    "InvalidFrameError",
    "InvalidPayloadError",
    "UnsupportedVersionError",
    "InputTooLargeError",
    "MeterError",
    "NegativeStepError",
    "UnknownUnitError",
    "InvalidPolicyError",
    "SessionError",
    "NotExactlyOneSessionError",
    "ProfileError",
    "InvalidProfileError",
    "ProfileRejectedError",
    "UnknownEvseError",
    "InvalidStationConfigError",
    "NotRepresentableError",
    "InvalidPreferencesError",
]
