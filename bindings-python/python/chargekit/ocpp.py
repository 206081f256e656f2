"""OCPP 1.6 / 2.0.1 messages → charging sessions.

``messages`` may be JSON text (a JSON array of frames, a single frame, or one frame or
envelope ``{"received_at": ..., "frame": [...]}`` per line), bytes, or already-parsed
Python data: a list of frames (lists), envelopes (dicts) or str lines. Parse with
``json.loads(text, parse_float=decimal.Decimal)`` to keep numbers exact (floats from a
plain ``json.loads`` are passed on as the shortest text that reads back to them).

- ``sessions_from_messages(messages, version=None, *, station_id="station", policy=None)``
- ``session_from_messages(...)``: exactly one session, else ``NotExactlyOneSessionError``
- ``SessionAssembler(station_id="station", version=None, policy=None)``: live feeding
"""

from ._chargekit import SessionAssembler, session_from_messages, sessions_from_messages

__all__ = ["SessionAssembler", "session_from_messages", "sessions_from_messages"]
