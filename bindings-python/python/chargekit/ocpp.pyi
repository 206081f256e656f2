from ._chargekit import SessionAssembler as SessionAssembler
from ._chargekit import session_from_messages as session_from_messages
from ._chargekit import sessions_from_messages as sessions_from_messages

__all__ = ["SessionAssembler", "session_from_messages", "sessions_from_messages"]
