"""Type stubs for the native module ``chargekit._chargekit`` (import from ``chargekit``).

The classes here have behaviour; their data fields are the core value's, read on access.
Plain records (``Anomaly``, ``OcmfRecord``, ``Price``, …) are Python classes in the package
modules, typed there. ``tests/test_stubs.py`` checks this file against the module.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union, final, overload

from ._errors import ChargekitError
from ._records import Record
from ._session import Anomaly, ChargingPeriod, Reading, StateChange
from .analytics import BehaviourPatterns, DepartureForecast, FleetReport, FleetSummary, SiteSummary
from .feedback import ScoreReport
from .ocmf import OcmfRecord, ProvenEnergy, TransactionReport, Verification
from .ocpi import Breakdown, Explanation, InvoiceLine, LintFinding, Price, VatSummary
from .ocpp import (
    ChargingProfileRef, CompositePeriod, ConversionLoss, CostCheck, InstalledProfile, PreferencePlan,
    StationLintFinding, TariffValidation,
)
from .planning import Plan, SiteAllocation

__version__: str
ANOMALY_KINDS: Tuple[str, ...]
# Every size limit on input, by the name TooLargeError gives (docs/limits.md).
LIMITS: Dict[str, Decimal]
TRANSACTION_CHECKS: Tuple[str, ...]

# JSON text, bytes, or parsed frames / envelopes / str lines.
_Messages = Union[str, bytes, bytearray, Iterable[Any], Mapping[str, Any]]
_PolicyArg = Union["MeterPolicy", Mapping[str, Any], None]
# A tariff: a Tariff, JSON text (one or an array) or a dict; or a list of them.
_Tariffs = Union["Tariff", str, bytes, Mapping[str, Any], Sequence[Union["Tariff", str, Mapping[str, Any]]]]
# A pricing policy: None, a preset name or a dict of PricingPolicy fields.
_PricingPolicy = Union[str, Mapping[str, Any], None]
_Json = Union[str, bytes, Mapping[str, Any]]
_Signed = Union[str, bytes]
_Quantity = Union[Decimal, int, str]
_Sessions = Union["SessionBatch", Iterable[Any]]

@final
class MeterPolicy:
    """How chargekit resolves the ambiguous cases of meter data (docs/metering.md §4)."""

    location: Union[str, Dict[str, str]]
    begin_zero: str
    negative_step: str
    late_events: str
    unknown_unit: str
    unit_suspect: str
    start_stop: str
    series: str
    clock_aligned: str
    context: str
    boundaries: str
    idle_detection: str
    pre_sync: str
    rated_power_w: Decimal
    allow_implausible: bool
    max_clock_skew_s: int
    begin_zero_threshold_wh: Decimal
    start_stop_tolerance_wh: Decimal
    def __new__(cls, **fields: Any) -> "MeterPolicy": ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Session:
    """A charging session, as known from the messages fed so far (immutable snapshot)."""

    station_id: str
    transaction_id: str
    version: str
    evse_id: Optional[int]
    connector_id: Optional[int]
    id_token: Optional[str]
    start: datetime
    end: Optional[datetime]
    last_seen: datetime
    stop_reason: Optional[str]
    meter_start_wh: Optional[Decimal]
    meter_stop_wh: Optional[Decimal]
    energy_wh: Decimal
    energy_export_wh: Decimal
    energy_net_wh: Decimal
    energy_method: str
    export_method: str
    charging_s: int
    discharging_s: int
    idle_s: int
    overstay_s: int
    peak_power_w: Optional[Decimal]
    current_power_w: Optional[Decimal]
    soc_start: Optional[Decimal]
    soc_end: Optional[Decimal]
    timeline: List[StateChange]
    anomalies: List[Anomaly]
    readings: List[Reading]
    curve: Record
    export_curve: Record
    tariff_id: Optional[str]
    reported_cost_details: Optional[str]
    max_cost: Optional[Decimal]
    stable_key: str
    @property
    def energy_kwh(self) -> Decimal: ...
    @property
    def duration_s(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def is_ended(self) -> bool: ...
    @property
    def anomaly_kinds(self) -> List[str]: ...
    @property
    def charging_periods(self) -> List[ChargingPeriod]: ...
    def charging_periods_cut_at(self, instants: Iterable[datetime]) -> List[ChargingPeriod]: ...
    def to_ocpi_cdr(self, **cdr_options: str) -> Dict[str, Any]: ...
    def price(self, tariff: _Tariffs, *, timezone: Any, policy: _PricingPolicy = None) -> "PriceResult": ...
    def cost_details(
        self, tariff: _StationTariffArg, at: Optional[datetime] = None, *, timezone: Any = None,
        changes: Optional[Iterable[Tuple[datetime, _StationTariffArg]]] = None,
    ) -> Dict[str, Any]: ...
    def cost_limit_reached(
        self, tariff: _StationTariffArg, max_cost: Optional[Decimal] = None, *, timezone: Any = None,
        changes: Optional[Iterable[Tuple[datetime, _StationTariffArg]]] = None,
    ) -> Optional[datetime]: ...
    def _check_cost_details(self, *args: Any) -> CostCheck: ...
    def price_live(
        self, tariff: _Tariffs, *, timezone: Any, at: datetime, policy: _PricingPolicy = None
    ) -> "LivePrice": ...

@final
class SessionAssembler:
    """The incremental, order-independent session reducer for one station."""

    def __new__(cls, station_id: str = "station", version: Optional[str] = None, policy: _PolicyArg = None) -> "SessionAssembler": ...
    def feed(self, messages: _Messages) -> int: ...
    def sessions(self) -> List[Session]: ...
    def session(self) -> Optional[Session]: ...
    def unassigned_readings(self) -> List[Reading]: ...
    def drain_events(self) -> List[SessionEvent]: ...
    def forget_ended(self, before: datetime) -> List[str]: ...
    def snapshot(self) -> bytes: ...
    @staticmethod
    def restore(data: bytes) -> "SessionAssembler": ...
    @property
    def version(self) -> Optional[str]: ...
    @property
    def stats(self) -> Dict[str, Any]: ...

@final
class SessionEvent:
    """One change to a station's sessions, from ``SessionAssembler.drain_events()``."""

    @property
    def kind(self) -> str: ...
    @property
    def station_id(self) -> str: ...
    @property
    def transaction_id(self) -> str: ...
    @property
    def session(self) -> Optional[Session]: ...
    @property
    def anomaly(self) -> Optional[Anomaly]: ...

@final
class Fleet:
    """The assemblers of many stations behind one object."""

    def __new__(
        cls, version: Optional[str] = None, policy: _PolicyArg = None, retention_s: int = 86400
    ) -> "Fleet": ...
    def feed(self, station_id: str, messages: _Messages) -> int: ...
    def drain_events(self) -> List[SessionEvent]: ...
    def sessions(self, station_id: str) -> List[Session]: ...
    def open_sessions(self) -> List[Session]: ...
    @property
    def station_ids(self) -> List[str]: ...
    def snapshot(self) -> bytes: ...
    @staticmethod
    def restore(data: bytes) -> "Fleet": ...

def sessions_from_messages(
    messages: _Messages, version: Optional[str] = None, *, station_id: str = "station", policy: _PolicyArg = None
) -> List[Session]: ...
def session_from_messages(
    messages: _Messages, version: Optional[str] = None, *, station_id: str = "station", policy: _PolicyArg = None
) -> Session: ...

# ---- smart charging

@final
class StationTariff:
    """An OCPP 2.1 station tariff (``TariffType``)."""

    def __new__(cls, tariff_: _Json) -> "StationTariff": ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def validate(self, capabilities: Optional[Dict[str, Any]] = None) -> TariffValidation: ...
    def lint(self) -> List[StationLintFinding]: ...
    def explain(self, language: str = "en") -> Explanation: ...
    def to_ocpi(self, version: str = "2.2.1") -> Tuple[Dict[str, Any], List[ConversionLoss]]: ...
    @staticmethod
    def from_ocpi(tariff: Union["Tariff", _Json]) -> Tuple["StationTariff", List[ConversionLoss]]: ...

_StationTariffArg = Union[StationTariff, _Json]

@final
class SmartChargingStation:
    """The charging profiles of one station: install rules, transactions, composite schedules."""

    evse_ids: List[int]
    default_limit_amps: Decimal
    default_limit_watts: Decimal
    supply_voltage: Decimal
    default_number_phases: int
    options: Record
    def __new__(
        cls,
        evse_ids: Iterable[int] = ...,
        default_limit_amps: _Quantity = ...,
        default_limit_watts: Optional[_Quantity] = None,
        supply_voltage: _Quantity = ...,
        default_number_phases: int = 3,
        options: Optional[Mapping[str, Any]] = None,
    ) -> "SmartChargingStation": ...
    def install(self, profile: _Json, evse_id: int = 0, version: str = "2.0.1") -> List[int]: ...
    def set_external_constraints(self, profile: _Json, evse_id: int = 0, version: str = "2.0.1") -> List[int]: ...
    def clear(
        self, *, id: Optional[int] = None, evse_id: Optional[int] = None, purpose: Optional[str] = None,
        stack_level: Optional[int] = None,
    ) -> List[int]: ...
    def start_transaction(self, evse_id: int, at: datetime, transaction_id: Optional[str] = None) -> None: ...
    def stop_transaction(self, evse_id: int) -> None: ...
    def transaction(self, evse_id: int) -> Optional[Tuple[datetime, Optional[str]]]: ...
    def composite_schedule(
        self, evse_id: int, start: datetime, duration: int, unit: Optional[str] = None
    ) -> "CompositeSchedule": ...
    def plan_preferences(
        self, evse_id: int, *, now: datetime, profile_id: int, stack_level: int = 0, unit: Optional[str] = None,
        **preferences: Any,
    ) -> PreferencePlan: ...
    @property
    def profiles(self) -> List[InstalledProfile]: ...

@final
class CompositeSchedule:
    """A composite schedule; each period names the profile that bound it."""

    evse_id: int
    schedule_start: datetime
    duration: int
    unit: str
    periods: List[CompositePeriod]
    def period_at(self, offset: int) -> Optional[CompositePeriod]: ...
    def to_ocpp(self, version: str = "2.0.1") -> Dict[str, Any]: ...
    def __len__(self) -> int: ...

# ---- signed meter values

def parse(record: _Signed) -> OcmfRecord: ...
def verify(record: _Signed, public_key: str) -> Verification: ...
@overload
def verify_many(records: Iterable[_Signed], public_key: str) -> List[Union[Verification, ChargekitError]]: ...
@overload
def verify_many(records: Iterable[Tuple[_Signed, str]], public_key: None = None) -> List[Union[Verification, ChargekitError]]: ...
def check_transaction(begin: _Signed, end: _Signed, public_key: str) -> TransactionReport: ...
def check_records(records: Iterable[Tuple[_Signed, str]], time_billing: str = "law_accurate_only") -> TransactionReport: ...
def proven_energy(session: Session, public_key: str) -> ProvenEnergy: ...

# ---- tariffs and billing

@final
class Tariff:
    """An OCPI tariff (2.1.1, 2.2.1 or 2.3.0, read into one model)."""

    version: str
    country_code: Optional[str]
    party_id: Optional[str]
    id: str
    currency: str
    tariff_type: Optional[str]
    alt_text: List[Record]
    alt_url: Optional[str]
    min_price: Optional[Record]
    max_price: Optional[Record]
    elements: List[Record]
    start_date_time: Optional[datetime]
    end_date_time: Optional[datetime]
    energy_mix: Optional[Record]
    last_updated: Optional[datetime]
    tax_included: Optional[str]
    preauthorize_amount: Optional[Decimal]
    idle_fee: Optional[Record]
    def __new__(cls, tariff: _Json, version: Optional[str] = None) -> "Tariff": ...
    @property
    def warnings(self) -> List[Tuple[str, str]]: ...
    def lint(self, policy: _PricingPolicy = None) -> List[LintFinding]: ...
    def explain(self, language: str = "en") -> Explanation: ...
    def is_valid_at(self, at: datetime) -> bool: ...
    def to_ocpi(self, version: Optional[str] = None) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class PriceResult:
    """A priced CDR or session, with the breakdown behind every total."""

    currency: str
    tariff_ids: List[str]
    total_energy: Decimal
    total_time: Decimal
    total_charging_time: Decimal
    total_parking_time: Decimal
    billed_energy: Decimal
    credit: bool
    breakdown: Breakdown
    # Export (V2X) credits, negative; None when the policy priced no energy fed back.
    total_energy_export_cost: Optional[Price]
    # The six totals: each is converted once (``r.total_cost is r.total_cost``).
    total_cost: Price
    """Clamped to min/max, negated for a credit CDR, rounded, as the OCPI output states it:
    ``incl_vat`` equals ``excl_vat`` where no VAT applies and is None only where the VAT is
    unknown (OCPI 2.1.1 tariffs)."""
    total_energy_cost: Price
    """Zero when not priced (see ``priced``)."""
    total_time_cost: Price
    """Charging time."""
    total_parking_cost: Price
    """Parking, parking FLAT and chargekit idle fees."""
    total_fixed_cost: Price
    total_reservation_cost: Price
    @property
    def priced(self) -> List[str]: ...
    @property
    def notes(self) -> List[str]: ...
    def to_ocpi(self) -> Dict[str, Any]: ...
    def to_json(self) -> str: ...
    def invoice(self, number: str) -> "Invoice": ...

@final
class Invoice:
    """An invoice (or credit note) made from a priced result."""

    number: str
    kind: str
    credits: Optional[str]
    currency: str
    tariff_ids: List[str]
    start: Optional[datetime]
    end: Optional[datetime]
    energy_kwh: Decimal
    lines: List[InvoiceLine]
    net: Decimal
    vat: List[VatSummary]
    vat_total: Decimal
    gross: Decimal
    def __new__(cls, result: PriceResult, number: str) -> "Invoice": ...
    def credit_note(self, number: str) -> "Invoice": ...
    def to_text(self) -> str: ...
    def to_html(self) -> str: ...
    def to_json(self) -> str: ...

@final
class LivePrice:
    """The price of a session so far, and the full result were it to stop now."""

    at: datetime
    so_far: Price
    @property
    def if_stopped_now(self) -> PriceResult: ...

def price_cdr(cdr: _Json, tariffs: _Tariffs, *, timezone: Any = None, policy: _PricingPolicy = None) -> PriceResult: ...

# ---- analytics and feedback

@final
class SessionBatch:
    """Sessions converted once and kept on the Rust side (the counterpart of a DataFrame)."""

    def __new__(cls, sessions: Iterable[Any]) -> "SessionBatch": ...
    def __len__(self) -> int: ...

@final
class DepartureForecaster:
    """Expected departures learnt from past sessions."""

    def __new__(
        cls, sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None,
        patterns: Optional[Mapping[str, Any]] = None,
    ) -> "DepartureForecaster": ...
    def forecast(self, arrival: datetime, user_id: Optional[str] = None) -> Optional[DepartureForecast]: ...

@final
class SummaryPartial:
    """Mergeable summary state: add, to_bytes/from_bytes, merge, finish."""

    def __new__(cls, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None) -> "SummaryPartial": ...
    def add(self, sessions: _Sessions) -> None: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> "SummaryPartial": ...
    @property
    def fingerprint(self) -> str: ...
    def merge(self, other: "SummaryPartial") -> None: ...
    @staticmethod
    def merge_many(parts: List["SummaryPartial"]) -> "SummaryPartial": ...
    def finish(self) -> SiteSummary: ...
    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]: ...

class FleetPartial:
    """Fleet state of a fixed size: add whole sites, to_bytes/from_bytes, merge, finish."""

    def __new__(cls, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None) -> "FleetPartial": ...
    def add(self, sessions: _Sessions) -> List[SiteSummary]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> "FleetPartial": ...
    @property
    def fingerprint(self) -> str: ...
    def merge(self, other: "FleetPartial") -> None: ...
    @staticmethod
    def merge_many(parts: List["FleetPartial"]) -> "FleetPartial": ...
    def finish(self) -> FleetSummary: ...
    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]: ...

def summarize_fleet(
    sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None
) -> FleetReport: ...

def summarize(
    sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None, shards: Optional[int] = None
) -> SiteSummary: ...
def analyse_sessions(sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None) -> List[Any]: ...
def generate_sessions(config: Optional[Mapping[str, Any]] = None, *, batch: bool = False) -> Tuple[Any, Dict[str, Any]]: ...
def behaviour_patterns(
    sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None,
    patterns: Optional[Mapping[str, Any]] = None,
) -> BehaviourPatterns: ...
def score(
    feedback: Iterable[Mapping[str, Any]], telemetry: Optional[Iterable[Any]] = None, *,
    options: Optional[Mapping[str, Any]] = None, id: Optional[str] = None, screen_only: bool = False,
) -> Any: ...
def site_report_html(report: Mapping[str, Any], sessions: Optional[List[Session]] = None) -> str: ...

# ---- arrow (results expose __arrow_c_stream__)

def sessions_from_frames(
    frames: Any, version: Optional[str] = None, *, policy: _PolicyArg = None, timezone: Any = None, presorted: bool = False
) -> Any: ...
def price_sessions(
    frames: Any, tariffs: _Tariffs, timezone: Any, *, version: Optional[str] = None, policy: _PolicyArg = None,
    pricing_policy: _PricingPolicy = None, presorted: bool = False,
) -> Any: ...
def arrow_session_records(sessions: _Sessions) -> Any: ...
def arrow_summarize(
    sessions: _Sessions, tz: Any = None, *, options: Optional[Mapping[str, Any]] = None, shards: Optional[int] = None,
    by_site: bool = False,
) -> Any: ...

# ---- plans and load sharing

def plan(request: _Json) -> Plan: ...
def allocate(request: _Json) -> SiteAllocation: ...
def limits_from_composite(
    schedule: CompositeSchedule, phases: int = 3, voltage: Optional[_Quantity] = None
) -> List[Tuple[datetime, Decimal]]: ...

# ---- plumbing of the package

def json_text(value: Any) -> str: ...
def error_table() -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]: ...

def _cli(argv: List[str]) -> int: ...
