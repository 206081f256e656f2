from . import analytics as analytics
from . import arrow as arrow
from . import feedback as feedback
from . import ocmf as ocmf
from . import ocpi as ocpi
from . import ocpp as ocpp
from . import planning as planning
from ._chargekit import ANOMALY_KINDS as ANOMALY_KINDS
from ._chargekit import LIMITS as LIMITS
from ._chargekit import MeterPolicy as MeterPolicy
from ._chargekit import Session as Session
from ._chargekit import __version__ as __version__
from ._errors import *
from ._session import Anomaly as Anomaly
from ._session import ChargingPeriod as ChargingPeriod
from ._session import Reading as Reading
from ._session import StateChange as StateChange

__all__: list[str]
