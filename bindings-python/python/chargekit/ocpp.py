"""OCPP 1.6 / 2.0.1 messages → charging sessions; smart charging (charging profiles).

``messages`` may be JSON text (a JSON array of frames, a single frame, or one frame or
envelope ``{"received_at": ..., "frame": [...]}`` per line), bytes, or already-parsed
Python data: a list of frames (lists), envelopes (dicts) or str lines. Parse with
``json.loads(text, parse_float=decimal.Decimal)`` to keep numbers exact (floats from a
plain ``json.loads`` are passed on as the shortest text that reads back to them).

- ``sessions_from_messages(messages, version=None, *, station_id="station", policy=None)``
- ``session_from_messages(...)``: exactly one session, else ``NotExactlyOneSessionError``
- ``SessionAssembler(station_id="station", version=None, policy=None)``: live feeding

Smart charging:

- ``SmartChargingStation(evse_ids=[1, 2], default_limit_amps=..., default_limit_watts=...,
  supply_voltage=230, default_number_phases=3, options=None)``: the profile store of one
  station; ``install(profile, evse_id=0, version="2.0.1")`` applies the OCPP install rules
  (``ProfileRejectedError`` names the rule), ``composite_schedule(evse_id, start, duration,
  unit=None)`` returns a ``CompositeSchedule`` whose periods name the profile that bound
  them, ``plan_preferences(evse_id, now=..., profile_id=..., **preferences)`` turns a
  driver's wishes into a TxProfile (``PreferencePlan``).
"""

from ._chargekit import (
    ChargingProfileRef,
    CompositePeriod,
    CompositeSchedule,
    InstalledProfile,
    PreferencePlan,
    SessionAssembler,
    SmartChargingStation,
    UnmetWish,
    session_from_messages,
    sessions_from_messages,
)

__all__ = [
    "SessionAssembler",
    "session_from_messages",
    "sessions_from_messages",
    "SmartChargingStation",
    "CompositeSchedule",
    "CompositePeriod",
    "ChargingProfileRef",
    "InstalledProfile",
    "PreferencePlan",
    "UnmetWish",
]
