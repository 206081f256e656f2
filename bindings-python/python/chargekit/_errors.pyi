# Generated from the core's error table by scripts/gen-python-stubs.py; do not edit.
from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple, Type

__all__ = [
    "ChargekitError",
    "OcppError",
    "MeterError",
    "SessionError",
    "ProfileError",
    "TariffError",
    "BillingError",
    "AnalyticsError",
    "PlanningError",
    "FeedbackError",
    "OcmfError",
    "ArrowError",
    "InvalidJsonError",
    "InvalidFrameError",
    "InvalidPayloadError",
    "UnsupportedVersionError",
    "InputTooLargeError",
    "NegativeStepError",
    "UnknownUnitError",
    "InvalidPolicyError",
    "NotExactlyOneSessionError",
    "InvalidSnapshotError",
    "UnsupportedSnapshotVersionError",
    "InvalidProfileError",
    "ProfileRejectedError",
    "UnknownEvseError",
    "InvalidStationConfigError",
    "NotRepresentableError",
    "InvalidPreferencesError",
    "CompositeTooLongError",
    "TariffJsonError",
    "MissingTariffFieldError",
    "InvalidTariffFieldError",
    "NoTariffElementsError",
    "InvalidCurrencyError",
    "InvalidTimeOfDayError",
    "UnsupportedOcpiVersionError",
    "InvalidCdrError",
    "NoValidTariffError",
    "CurrencyMismatchError",
    "UnknownTimezoneError",
    "NoPeriodsError",
    "InvalidPricingPolicyError",
    "EmptyPeriodError",
    "PeriodTooLongError",
    "DateOutOfRangeError",
    "InvalidAnalyticsOptionsError",
    "MissingPeriodError",
    "NoSessionsError",
    "IncompatibleAccumulatorsError",
    "ShardFailedError",
    "CsvHeaderError",
    "InvalidPlanningFieldError",
    "InvalidPlanningJsonError",
    "MissingPriceError",
    "InvalidStarsError",
    "InvalidFeedbackError",
    "MissingReliabilityPeriodError",
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
    "ArrowSchemaError",
    "ArrowValueError",
    "InvalidArgumentError",
    "TooLargeError",
    "InternalError",
]
BY_KIND: Dict[str, Type[ChargekitError]]

class ChargekitError(ValueError):
    kind: str
    _fields: Tuple[str, ...]
    def __init__(self, message: str = ..., **fields: Any) -> None: ...

def stub_text() -> str: ...

class OcppError(ChargekitError): ...

class MeterError(ChargekitError): ...

class SessionError(ChargekitError): ...

class ProfileError(ChargekitError): ...

class TariffError(ChargekitError): ...

class BillingError(ChargekitError): ...

class AnalyticsError(ChargekitError): ...

class PlanningError(ChargekitError): ...

class FeedbackError(ChargekitError): ...

class OcmfError(ChargekitError): ...

class ArrowError(ChargekitError): ...

class InvalidJsonError(OcppError):
    line: Optional[int]
    reason: str

class InvalidFrameError(OcppError):
    index: int
    reason: str

class InvalidPayloadError(OcppError):
    action: str
    field: str
    reason: str

class UnsupportedVersionError(OcppError):
    reason: str

class InputTooLargeError(OcppError):
    size: int
    limit: int

class NegativeStepError(MeterError):
    at: datetime
    from_wh: Decimal
    to_wh: Decimal

class UnknownUnitError(MeterError):
    unit: str
    message_id: str

class InvalidPolicyError(MeterError):
    field: str
    reason: str

class NotExactlyOneSessionError(SessionError):
    found: int

class InvalidSnapshotError(SessionError):
    reason: str

class UnsupportedSnapshotVersionError(SessionError):
    found: int
    supported: int

class InvalidProfileError(ProfileError):
    what: str
    field: str
    reason: str

class ProfileRejectedError(ProfileError):
    rule_id: str
    rule_name: str
    reason: str

class UnknownEvseError(ProfileError):
    evse_id: int

class InvalidStationConfigError(ProfileError):
    reason: str

class NotRepresentableError(ProfileError):
    version: str
    reason: str

class InvalidPreferencesError(ProfileError):
    reason: str

class CompositeTooLongError(ProfileError):
    duration_s: int
    limit_s: int

class TariffJsonError(TariffError):
    reason: str

class MissingTariffFieldError(TariffError):
    path: str

class InvalidTariffFieldError(TariffError):
    path: str
    reason: str

class NoTariffElementsError(TariffError):
    ...

class InvalidCurrencyError(TariffError):
    currency: str

class InvalidTimeOfDayError(TariffError):
    value: str

class UnsupportedOcpiVersionError(TariffError):
    version: str

class InvalidCdrError(BillingError):
    path: str
    reason: str

class NoValidTariffError(BillingError):
    at: datetime
    offered: int

class CurrencyMismatchError(BillingError):
    cdr_currency: str
    tariff_id: str
    tariff_currency: str

class UnknownTimezoneError(BillingError):
    timezone: str

class NoPeriodsError(BillingError):
    ...

class InvalidPricingPolicyError(BillingError):
    reason: str

class EmptyPeriodError(AnalyticsError):
    start: datetime
    end: datetime

class PeriodTooLongError(AnalyticsError):
    days: int

class DateOutOfRangeError(AnalyticsError):
    ...

class InvalidAnalyticsOptionsError(AnalyticsError):
    field: str
    reason: str

class MissingPeriodError(AnalyticsError):
    ...

class NoSessionsError(AnalyticsError):
    ...

class IncompatibleAccumulatorsError(AnalyticsError):
    ...

class ShardFailedError(AnalyticsError):
    ...

class CsvHeaderError(AnalyticsError):
    reason: str

class InvalidPlanningFieldError(PlanningError):
    field: str
    reason: str

class InvalidPlanningJsonError(PlanningError):
    field: str
    reason: str

class MissingPriceError(PlanningError):
    at: datetime

class InvalidStarsError(FeedbackError):
    stars: int

class InvalidFeedbackError(FeedbackError):
    field: str
    reason: str

class MissingReliabilityPeriodError(FeedbackError):
    ...

class EmptySignedDataError(OcmfError):
    ...

class SignedDataTooLargeError(OcmfError):
    size: int
    limit: int

class MissingSeparatorError(OcmfError):
    ...

class BadHeaderError(OcmfError):
    found: str

class PayloadJsonError(OcmfError):
    reason: str

class SignatureJsonError(OcmfError):
    reason: str

class OcmfFieldError(OcmfError):
    field: str
    reason: str

class NoSignatureError(OcmfError):
    ...

class SignatureEncodingError(OcmfError):
    reason: str

class SignatureFormatError(OcmfError):
    reason: str

class PublicKeyError(OcmfError):
    reason: str

class UnsupportedSignedFormatError(OcmfError):
    format: str

class SignedDataContainerError(OcmfError):
    reason: str

class ArrowSchemaError(ArrowError):
    column: str
    reason: str

class ArrowValueError(ArrowError):
    column: str
    row: int
    reason: str

class InvalidArgumentError(ChargekitError):
    argument: str
    reason: str

class TooLargeError(ChargekitError):
    what: str
    size: int
    limit: int
    name: str

class InternalError(ChargekitError):
    reason: str
