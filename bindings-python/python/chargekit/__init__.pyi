from . import analytics as analytics
from . import feedback as feedback
from . import ocmf as ocmf
from . import ocpi as ocpi
from . import ocpp as ocpp
from . import planning as planning
from ._chargekit import ANOMALY_KINDS as ANOMALY_KINDS
from ._chargekit import Anomaly as Anomaly
from ._chargekit import ChargingPeriod as ChargingPeriod
from ._chargekit import MeterPolicy as MeterPolicy
from ._chargekit import Reading as Reading
from ._chargekit import Session as Session
from ._chargekit import StateChange as StateChange
from ._chargekit import __version__ as __version__
from ._errors import ChargekitError as ChargekitError
from ._errors import InputTooLargeError as InputTooLargeError
from ._errors import InvalidFrameError as InvalidFrameError
from ._errors import InvalidJsonError as InvalidJsonError
from ._errors import InvalidPayloadError as InvalidPayloadError
from ._errors import InvalidPolicyError as InvalidPolicyError
from ._errors import MeterError as MeterError
from ._errors import NegativeStepError as NegativeStepError
from ._errors import NotExactlyOneSessionError as NotExactlyOneSessionError
from ._errors import OcppError as OcppError
from ._errors import SessionError as SessionError
from ._errors import UnknownUnitError as UnknownUnitError
from ._errors import UnsupportedVersionError as UnsupportedVersionError
from ._errors import ProfileError as ProfileError
from ._errors import InvalidProfileError as InvalidProfileError
from ._errors import ProfileRejectedError as ProfileRejectedError
from ._errors import UnknownEvseError as UnknownEvseError
from ._errors import InvalidStationConfigError as InvalidStationConfigError
from ._errors import NotRepresentableError as NotRepresentableError
from ._errors import InvalidPreferencesError as InvalidPreferencesError
from ._errors import TariffError as TariffError
from ._errors import TariffJsonError as TariffJsonError
from ._errors import MissingTariffFieldError as MissingTariffFieldError
from ._errors import InvalidTariffFieldError as InvalidTariffFieldError
from ._errors import NoTariffElementsError as NoTariffElementsError
from ._errors import InvalidCurrencyError as InvalidCurrencyError
from ._errors import InvalidTimeOfDayError as InvalidTimeOfDayError
from ._errors import BillingError as BillingError
from ._errors import InvalidCdrError as InvalidCdrError
from ._errors import NoValidTariffError as NoValidTariffError
from ._errors import CurrencyMismatchError as CurrencyMismatchError
from ._errors import UnknownTimezoneError as UnknownTimezoneError
from ._errors import NoPeriodsError as NoPeriodsError
from ._errors import InvalidPricingPolicyError as InvalidPricingPolicyError
from ._errors import AnalyticsError as AnalyticsError
from ._errors import EmptyPeriodError as EmptyPeriodError
from ._errors import PeriodTooLongError as PeriodTooLongError
from ._errors import DateOutOfRangeError as DateOutOfRangeError
from ._errors import InvalidAnalyticsOptionsError as InvalidAnalyticsOptionsError
from ._errors import MissingPeriodError as MissingPeriodError
from ._errors import NoSessionsError as NoSessionsError
from ._errors import IncompatibleAccumulatorsError as IncompatibleAccumulatorsError
from ._errors import ShardFailedError as ShardFailedError
from ._errors import CsvHeaderError as CsvHeaderError
from ._errors import PlanningError as PlanningError
from ._errors import InvalidPlanningFieldError as InvalidPlanningFieldError
from ._errors import InvalidPlanningJsonError as InvalidPlanningJsonError
from ._errors import MissingPriceError as MissingPriceError
from ._errors import FeedbackError as FeedbackError
from ._errors import InvalidStarsError as InvalidStarsError
from ._errors import InvalidFeedbackError as InvalidFeedbackError
from ._errors import MissingReliabilityPeriodError as MissingReliabilityPeriodError
from ._errors import OcmfError as OcmfError
from ._errors import EmptySignedDataError as EmptySignedDataError
from ._errors import SignedDataTooLargeError as SignedDataTooLargeError
from ._errors import MissingSeparatorError as MissingSeparatorError
from ._errors import BadHeaderError as BadHeaderError
from ._errors import PayloadJsonError as PayloadJsonError
from ._errors import SignatureJsonError as SignatureJsonError
from ._errors import OcmfFieldError as OcmfFieldError
from ._errors import NoSignatureError as NoSignatureError
from ._errors import SignatureEncodingError as SignatureEncodingError
from ._errors import SignatureFormatError as SignatureFormatError
from ._errors import PublicKeyError as PublicKeyError
from ._errors import UnsupportedSignedFormatError as UnsupportedSignedFormatError
from ._errors import SignedDataContainerError as SignedDataContainerError

__all__ = [
    "ANOMALY_KINDS",
    "Anomaly",
    "ChargingPeriod",
    "MeterPolicy",
    "Reading",
    "Session",
    "StateChange",
    "analytics",
    "feedback",
    "ocmf",
    "ocpi",
    "ocpp",
    "planning",
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
    "TariffError",
    "TariffJsonError",
    "MissingTariffFieldError",
    "InvalidTariffFieldError",
    "NoTariffElementsError",
    "InvalidCurrencyError",
    "InvalidTimeOfDayError",
    "BillingError",
    "InvalidCdrError",
    "NoValidTariffError",
    "CurrencyMismatchError",
    "UnknownTimezoneError",
    "NoPeriodsError",
    "InvalidPricingPolicyError",
    "AnalyticsError",
    "EmptyPeriodError",
    "PeriodTooLongError",
    "DateOutOfRangeError",
    "InvalidAnalyticsOptionsError",
    "MissingPeriodError",
    "NoSessionsError",
    "IncompatibleAccumulatorsError",
    "ShardFailedError",
    "CsvHeaderError",
    "PlanningError",
    "InvalidPlanningFieldError",
    "InvalidPlanningJsonError",
    "MissingPriceError",
    "FeedbackError",
    "InvalidStarsError",
    "InvalidFeedbackError",
    "MissingReliabilityPeriodError",
    "OcmfError",
    "EmptySignedDataError",
    "SignedDataTooLargeError",
    "MissingSeparatorError",
    "BadHeaderError",
    "PayloadJsonError",
    "SignatureJsonError",
    "OcmfFieldError",
    "NoSignatureError",
    "SignatureEncodingError",
    "SignatureFormatError",
    "PublicKeyError",
    "UnsupportedSignedFormatError",
    "SignedDataContainerError",
]
