"""The chargekit exception hierarchy.

Every error raised by chargekit for bad input is a ``ChargekitError``, which is a
``ValueError``. The native module raises the most specific subclass, with the details
of the core error as attributes; ``str(error)`` is the core's message.

.. code-block:: text

    ChargekitError (ValueError)
    ├── OcppError
    │   ├── InvalidJsonError          .line, .reason
    │   ├── InvalidFrameError         .index, .reason
    │   ├── InvalidPayloadError       .action, .field, .reason
    │   ├── UnsupportedVersionError   .reason
    │   └── InputTooLargeError        .size, .limit
    ├── MeterError
    │   ├── NegativeStepError         .at, .from_wh, .to_wh
    │   ├── UnknownUnitError          .unit, .message_id
    │   └── InvalidPolicyError        .field, .reason
    ├── SessionError
    │   └── NotExactlyOneSessionError .found
    ├── ProfileError
    │   ├── InvalidProfileError       .what, .field, .reason
    │   ├── ProfileRejectedError      .rule, .rule_name, .reason
    │   ├── UnknownEvseError          .evse_id
    │   ├── InvalidStationConfigError .reason
    │   ├── NotRepresentableError     .version, .reason
    │   └── InvalidPreferencesError   .reason
    ├── TariffError
    │   ├── TariffJsonError           .reason
    │   ├── MissingTariffFieldError   .path
    │   ├── InvalidTariffFieldError   .path, .reason
    │   ├── NoTariffElementsError
    │   ├── InvalidCurrencyError      .currency
    │   └── InvalidTimeOfDayError     .value
    ├── BillingError
    │   ├── InvalidCdrError           .path, .reason
    │   ├── NoValidTariffError        .at, .offered
    │   ├── CurrencyMismatchError     .cdr_currency, .tariff_id, .tariff_currency
    │   ├── UnknownTimezoneError      .timezone
    │   ├── NoPeriodsError
    │   └── InvalidPricingPolicyError .reason
    ├── AnalyticsError
    │   ├── EmptyPeriodError          .start, .end
    │   ├── PeriodTooLongError        .days
    │   ├── DateOutOfRangeError
    │   ├── InvalidAnalyticsOptionsError .field, .reason (options, or a session dict)
    │   ├── MissingPeriodError
    │   ├── NoSessionsError
    │   ├── IncompatibleAccumulatorsError
    │   ├── ShardFailedError
    │   └── CsvHeaderError            .reason
    ├── PlanningError
    │   ├── InvalidPlanningFieldError .field, .reason
    │   ├── InvalidPlanningJsonError  .field, .reason
    │   └── MissingPriceError         .at
    ├── FeedbackError
    │   ├── InvalidStarsError         .stars
    │   ├── InvalidFeedbackError      .field, .reason
    │   └── MissingReliabilityPeriodError
    └── OcmfError                     .kind (the core's stable name, also a class attribute)
        ├── EmptySignedDataError
        ├── SignedDataTooLargeError   .size, .limit
        ├── MissingSeparatorError
        ├── BadHeaderError            .found
        ├── PayloadJsonError          .reason
        ├── SignatureJsonError        .reason
        ├── OcmfFieldError            .field, .reason
        ├── NoSignatureError
        ├── SignatureEncodingError    .reason
        ├── SignatureFormatError      .reason
        ├── PublicKeyError            .reason
        ├── UnsupportedSignedFormatError .format
        └── SignedDataContainerError  .reason
"""

from datetime import datetime
from decimal import Decimal
from typing import Optional

__all__ = [
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


class ChargekitError(ValueError):
    """Base class of every chargekit error."""


class OcppError(ChargekitError):
    """The OCPP input could not be read."""


class InvalidJsonError(OcppError):
    """The text is not valid JSON. ``line`` is 1-based for line-delimited input, else None."""

    def __init__(
        self, message: str = "", *, line: Optional[int] = None, reason: str = ""
    ) -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason


class InvalidFrameError(OcppError):
    """Valid JSON that is not an OCPP-J frame; ``index`` is the 0-based frame position."""

    def __init__(self, message: str = "", *, index: int = 0, reason: str = "") -> None:
        super().__init__(message)
        self.index = index
        self.reason = reason


class InvalidPayloadError(OcppError):
    """A payload field has the wrong type, an unknown enum value, or is missing.

    ``field`` is the path of the offending field, e.g.
    ``meterValue[0].sampledValue[1].measurand``.
    """

    def __init__(
        self, message: str = "", *, action: str = "", field: str = "", reason: str = ""
    ) -> None:
        super().__init__(message)
        self.action = action
        self.field = field
        self.reason = reason


class UnsupportedVersionError(OcppError):
    """The OCPP version is unknown, or a message does not belong to the log's version."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class InputTooLargeError(OcppError):
    """The input is larger than the core accepts in one call (``limit`` bytes)."""

    def __init__(self, message: str = "", *, size: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit


class MeterError(ChargekitError):
    """The meter data violates a strict policy, or a policy is invalid."""


class NegativeStepError(MeterError):
    """The register went down and the policy is ``negative_step="error"``."""

    def __init__(
        self,
        message: str = "",
        *,
        at: Optional[datetime] = None,
        from_wh: Optional[Decimal] = None,
        to_wh: Optional[Decimal] = None,
    ) -> None:
        super().__init__(message)
        self.at = at
        self.from_wh = from_wh
        self.to_wh = to_wh


class UnknownUnitError(MeterError):
    """A unit is not an OCPP unit and the policy is ``unknown_unit="strict"``."""

    def __init__(self, message: str = "", *, unit: str = "", message_id: str = "") -> None:
        super().__init__(message)
        self.unit = unit
        self.message_id = message_id


class InvalidPolicyError(MeterError):
    """A ``MeterPolicy`` field or option is unknown or has the wrong type."""

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class SessionError(ChargekitError):
    """Session assembly failed."""


class NotExactlyOneSessionError(SessionError):
    """Exactly one session was expected; ``found`` is how many there were."""

    def __init__(self, message: str = "", *, found: int = 0) -> None:
        super().__init__(message)
        self.found = found


class ProfileError(ChargekitError):
    """A charging profile, station configuration or preference cannot be used."""


class InvalidProfileError(ProfileError):
    """Malformed JSON, or a field with the wrong type or an unknown value.

    ``what`` names what was read (e.g. ``ChargingProfile``), ``field`` the path of the
    offending field (e.g. ``chargingSchedule[0].chargingRateUnit``; empty for the whole
    document).
    """

    def __init__(self, message: str = "", *, what: str = "", field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.what = what
        self.field = field
        self.reason = reason


class ProfileRejectedError(ProfileError):
    """The station would reject the profile (SetChargingProfile status ``Rejected``).

    ``rule`` is the OCPP requirement id (e.g. ``"K01.FR.06"``; ``"schema"`` for schema
    violations), ``rule_name`` its stable name (e.g. ``"DuplicateValidity"``).
    """

    def __init__(self, message: str = "", *, rule: str = "", rule_name: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.rule_name = rule_name
        self.reason = reason


class UnknownEvseError(ProfileError):
    """The EVSE does not exist on this station."""

    def __init__(self, message: str = "", *, evse_id: int = 0) -> None:
        super().__init__(message)
        self.evse_id = evse_id


class InvalidStationConfigError(ProfileError):
    """The station configuration, an option or an OCPP version name is invalid."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class NotRepresentableError(ProfileError):
    """A profile cannot be expressed in the requested OCPP ``version``."""

    def __init__(self, message: str = "", *, version: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.version = version
        self.reason = reason


class InvalidPreferencesError(ProfileError):
    """Charging preferences that cannot be planned at all (not merely unmet wishes)."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class OcmfError(ChargekitError):
    """Signed data (OCMF) that cannot be read. ``kind`` is the core's stable name.

    A readable record whose signature does not match is not an error: ``verify`` returns
    it with ``verdict == "invalid"``.
    """

    kind = ""


class EmptySignedDataError(OcmfError):
    """The input is empty (or only whitespace)."""

    kind = "empty"


class SignedDataTooLargeError(OcmfError):
    """The input is longer than ``limit`` bytes."""

    kind = "too_large"

    def __init__(self, message: str = "", *, size: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit


class MissingSeparatorError(OcmfError):
    """The record does not have the three ``|``-separated sections."""

    kind = "missing_separator"


class BadHeaderError(OcmfError):
    """The first section is not ``OCMF``; ``found`` is what it is (at most 16 characters)."""

    kind = "bad_header"

    def __init__(self, message: str = "", *, found: str = "") -> None:
        super().__init__(message)
        self.found = found


class PayloadJsonError(OcmfError):
    """The payload section is not a JSON object."""

    kind = "payload_json"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class SignatureJsonError(OcmfError):
    """The signature section is not a JSON object."""

    kind = "signature_json"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class OcmfFieldError(OcmfError):
    """A payload or signature field is missing or malformed; ``field`` is e.g. ``RD[1].TM``."""

    kind = "field"

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class NoSignatureError(OcmfError):
    """The record carries no signature (``SD`` absent or empty)."""

    kind = "no_signature"


class SignatureEncodingError(OcmfError):
    """``SD`` is not valid in its encoding (``SE``: hex or base64)."""

    kind = "signature_encoding"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class SignatureFormatError(OcmfError):
    """The decoded signature is neither DER nor raw ``r||s`` of the curve's size."""

    kind = "signature_format"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class PublicKeyError(OcmfError):
    """The public key cannot be decoded."""

    kind = "public_key"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class UnsupportedSignedFormatError(OcmfError):
    """A recognised signed format other than OCMF (``format``: e.g. ``"alfen"``)."""

    kind = "unsupported_format"

    def __init__(self, message: str = "", *, format: str = "") -> None:
        super().__init__(message)
        self.format = format


class SignedDataContainerError(OcmfError):
    """A transport container (OCPP 1.6 value, 2.0.1 ``signedMeterValue``, OCPI) is unreadable."""

    kind = "container"

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class TariffError(ChargekitError):
    """A tariff cannot be read (also when met while pricing)."""


class TariffJsonError(TariffError):
    """The tariff text is not JSON."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class MissingTariffFieldError(TariffError):
    """A required field is absent; ``path`` is its JSON path, e.g. ``$.currency``."""

    def __init__(self, message: str = "", *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class InvalidTariffFieldError(TariffError):
    """A field has a value that cannot be used; ``path`` is its JSON path."""

    def __init__(self, message: str = "", *, path: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class NoTariffElementsError(TariffError):
    """A tariff needs at least one element."""


class InvalidCurrencyError(TariffError):
    """``currency`` is not an ISO 4217 code."""

    def __init__(self, message: str = "", *, currency: str = "") -> None:
        super().__init__(message)
        self.currency = currency


class InvalidTimeOfDayError(TariffError):
    """``value`` is not a time of day ``HH:MM``."""

    def __init__(self, message: str = "", *, value: str = "") -> None:
        super().__init__(message)
        self.value = value


class BillingError(ChargekitError):
    """A CDR or session cannot be priced."""


class InvalidCdrError(BillingError):
    """The CDR is not JSON or lacks what pricing needs; ``path`` is the JSON path."""

    def __init__(self, message: str = "", *, path: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class NoValidTariffError(BillingError):
    """No tariff was given (``offered`` = 0), or none is valid at the session start ``at``."""

    def __init__(self, message: str = "", *, at: Optional[datetime] = None, offered: int = 0) -> None:
        super().__init__(message)
        self.at = at
        self.offered = offered


class CurrencyMismatchError(BillingError):
    """The CDR and a tariff use different currencies; chargekit never converts."""

    def __init__(
        self, message: str = "", *, cdr_currency: str = "", tariff_id: str = "", tariff_currency: str = ""
    ) -> None:
        super().__init__(message)
        self.cdr_currency = cdr_currency
        self.tariff_id = tariff_id
        self.tariff_currency = tariff_currency


class UnknownTimezoneError(BillingError):
    """The time zone is unknown and cannot be inferred from the country."""

    def __init__(self, message: str = "", *, timezone: str = "") -> None:
        super().__init__(message)
        self.timezone = timezone


class NoPeriodsError(BillingError):
    """The session has no periods to price."""


class InvalidPricingPolicyError(BillingError):
    """A pricing policy field, option or preset name is unknown or malformed."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class AnalyticsError(ChargekitError):
    """Site analytics cannot be computed from the input."""


class EmptyPeriodError(AnalyticsError):
    """A period must end after it starts."""

    def __init__(self, message: str = "", *, start: Optional[datetime] = None, end: Optional[datetime] = None) -> None:
        super().__init__(message)
        self.start = start
        self.end = end


class PeriodTooLongError(AnalyticsError):
    """Periods are limited to 100 years; ``days`` is the length asked for."""

    def __init__(self, message: str = "", *, days: int = 0) -> None:
        super().__init__(message)
        self.days = days


class DateOutOfRangeError(AnalyticsError):
    """A date beyond the calendar's range (years 1-9999)."""


class InvalidAnalyticsOptionsError(AnalyticsError):
    """An option, or a field of a session dict, cannot be read; ``field`` is its path
    (e.g. ``rules.min_energy_kwh`` or ``sessions[3].energy``)."""

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class MissingPeriodError(AnalyticsError):
    """The options name no period where one is needed."""


class NoSessionsError(AnalyticsError):
    """No session to derive the period from."""


class IncompatibleAccumulatorsError(AnalyticsError):
    """Accumulators made with different options cannot be merged."""


class ShardFailedError(AnalyticsError):
    """A shard of a parallel summary did not finish."""


class CsvHeaderError(AnalyticsError):
    """A CSV export's header matches no known shape or lacks a required column."""

    def __init__(self, message: str = "", *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class PlanningError(ChargekitError):
    """A charging plan or a site allocation cannot be computed from the request (a need
    that cannot be met is not an error: see ``Plan.feasible``). A tariff that cannot be read
    or priced raises its ``TariffError``/``BillingError`` class, a profile that cannot be
    written its ``ProfileError`` class."""


class InvalidPlanningFieldError(PlanningError):
    """A request field has a value the planner cannot use; ``field`` is its path, e.g.
    ``departure``, ``ev.max_power_w`` or ``sessions[2].evse_id``."""

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class InvalidPlanningJsonError(PlanningError):
    """The request is not JSON, or a field has the wrong type or is unknown; ``field`` is its
    path (``.`` for the document)."""

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class MissingPriceError(PlanningError):
    """The price series does not cover ``at``, an instant of the planning window."""

    def __init__(self, message: str = "", *, at: Optional[datetime] = None) -> None:
        super().__init__(message)
        self.at = at


class FeedbackError(ChargekitError):
    """Feedback, scores or reliability input cannot be used."""


class InvalidStarsError(FeedbackError):
    """Stars must be 1 to 5; ``stars`` is what was given."""

    def __init__(self, message: str = "", *, stars: int = 0) -> None:
        super().__init__(message)
        self.stars = stars


class InvalidFeedbackError(FeedbackError):
    """A feedback field or score option cannot be read; ``field`` is its path
    (e.g. ``feedback[2].outcome``)."""

    def __init__(self, message: str = "", *, field: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reason = reason


class MissingReliabilityPeriodError(FeedbackError):
    """The reliability KPIs need a period."""
