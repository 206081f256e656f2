from ._chargekit import ChargingProfileRef as ChargingProfileRef
from ._chargekit import CompositePeriod as CompositePeriod
from ._chargekit import CompositeSchedule as CompositeSchedule
from ._chargekit import InstalledProfile as InstalledProfile
from ._chargekit import PreferencePlan as PreferencePlan
from ._chargekit import SessionAssembler as SessionAssembler
from ._chargekit import SmartChargingStation as SmartChargingStation
from ._chargekit import UnmetWish as UnmetWish
from ._chargekit import session_from_messages as session_from_messages
from ._chargekit import sessions_from_messages as sessions_from_messages

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
