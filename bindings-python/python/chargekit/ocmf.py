"""Signed meter values: OCMF records, signature verdicts and transaction checks.

- ``parse(record)`` → ``OcmfRecord`` (raises an ``OcmfError`` subclass when unreadable)
- ``verify(record, public_key)`` → ``Verification`` with ``.verdict`` ``"valid"`` |
  ``"invalid"`` | ``"unsupported_algorithm"``, ``.reason`` and ``.record``. The key is hex
  (any case, spaces allowed) or Base64, SPKI DER or a raw point. A tampered record is
  ``"invalid"``, not an error.
- ``verify_many(records, public_key=None)`` → a list, in order: ``verify`` for each record
  (with one key for all, or ``(record, key)`` pairs), 64 records at a time, each key read
  once per 64 and the GIL released while they are checked; an unreadable record is its
  ``ChargekitError``, returned, not raised.
- ``check_transaction(begin, end, public_key)`` → ``TransactionReport`` naming each failed
  check (``.failed_names``), with the billable ``.energy``
- ``check_records([(record, key), ...], time_billing="law_accurate_only")``: a longer series
- ``proven_energy(session, public_key)``: the energy the signed readings of a ``Session`` prove

``record`` is the text ``OCMF|{payload}|{signature}`` or a transport form of it (hex,
Base64, an OCPP 1.6 SignedData value, …). The payload is never re-serialised: the bytes the
meter signed are what is verified.

The results are the core's records; the properties below only give the payload's fields
their flat Python names (``record.meter_serial`` for ``record.payload.MS``).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from ._chargekit import (
    TRANSACTION_CHECKS,
    check_records,
    check_transaction,
    parse,
    proven_energy,
    verify,
    verify_many,
)
from ._errors import _invalid_argument
from ._records import Record, record
from ._session import Anomaly

__all__ = [
    "parse",
    "verify",
    "verify_many",
    "check_transaction",
    "check_records",
    "proven_energy",
    "OcmfRecord",
    "OcmfReading",
    "Verification",
    "TransactionReport",
    "FailedCheck",
    "BillableEnergy",
    "ProvenEnergy",
]

_MODULE = "chargekit.ocmf"


def _json(text: str) -> Any:
    """JSON text → Python, integers ``int`` and other numbers ``Decimal``; None when not JSON."""
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None


def _payload_field(name: str) -> property:
    return property(lambda self: self._data["payload"][name], doc=f"The payload's ``{name}``.")


@record(module=_MODULE)
class OcmfReading(Record):
    """One reading (``RD`` entry) of an OCMF record; omitted fields are inherited from the
    previous reading, as OCMF specifies (``inherited`` names them)."""

    transaction: Optional[str]
    value: Decimal
    value_text: str
    obis: Optional[str]
    unit: Optional[str]
    current_type: Optional[str]
    cumulated_loss: Optional[Decimal]
    error_flags: Optional[str]
    status: Optional[str]
    event_counter: Optional[str]
    inherited: List[str]
    value_wh: Optional[Decimal]
    obis_code: Optional[Record]
    energy_error: bool
    time_error: bool

    __slots__ = ()

    @property
    def time(self) -> Optional[datetime]:
        """``TM`` as an aware datetime in the meter's offset."""
        t = self._data["time"]
        return None if t is None else t["at"].astimezone(timezone(timedelta(seconds=t["offset_s"])))

    @property
    def time_status(self) -> Optional[str]:
        """The clock status letter of ``TM`` (``"S"``, ``"I"``, ``"R"``, ``"U"``)."""
        t = self._data["time"]
        return None if t is None else t["status"]

    @property
    def time_text(self) -> Optional[str]:
        """``TM`` as written."""
        t = self._data["time"]
        return None if t is None else t["text"]

    @property
    def extra(self) -> Dict[str, Any]:
        """Vendor and unknown keys, their values parsed (numbers exact)."""
        return {k: _json(v) for k, v in self._data["extra"].items()}

    @property
    def is_energy(self) -> bool:
        """True for an energy reading (``kWh``/``Wh``)."""
        return self._data["value_wh"] is not None


@record(module=_MODULE)
class OcmfRecord(Record):
    """A parsed OCMF record. ``payload_text`` is kept byte for byte: the signature covers it."""

    payload_text: str
    signature_text: str
    embedded_public_key: Optional[str]
    record_text: str

    __slots__ = ()

    format_version = _payload_field("format_version")
    gateway_id = _payload_field("gateway_id")
    gateway_serial = _payload_field("gateway_serial")
    gateway_version = _payload_field("gateway_version")
    meter_vendor = _payload_field("meter_vendor")
    meter_model = _payload_field("meter_model")
    meter_serial = _payload_field("meter_serial")
    meter_firmware = _payload_field("meter_firmware")
    tariff_text = _payload_field("tariff_text")
    charge_point_id_type = _payload_field("charge_point_id_type")
    charge_point_id = _payload_field("charge_point_id")
    readings = _payload_field("readings")
    notes = _payload_field("notes")

    @property
    def payload(self) -> Any:
        """The payload as a dict (integers ``int``, other numbers ``Decimal``)."""
        return _json(self._data["payload_text"])

    @property
    def signature(self) -> Any:
        """The signature section as a dict."""
        return _json(self._data["signature_text"])

    @property
    def pagination(self) -> str:
        """``PG`` as written, e.g. ``"T32"``."""
        return self._data["payload"]["pagination"]["text"]

    @property
    def identification(self) -> Dict[str, Any]:
        """The user assignment: ``{"status": IS, "level": IL, "flags": IF, "type": IT, "data": ID}``."""
        i = self._data["payload"]["identification"]
        return {"status": i["status"], "level": i["level"], "flags": i["flags"], "type": i["id_type"],
                "data": i["data"]}

    @property
    def extra(self) -> Dict[str, Any]:
        """Payload fields outside the specification, parsed (numbers exact)."""
        return {k: _json(v) for k, v in self._data["payload"]["extra"].items()}

    signature_algorithm = property(lambda self: self._data["signature"]["algorithm"],
                                   doc="``SA`` as written (None: ``ECDSA-secp256r1-SHA256``).")
    signature_encoding = property(lambda self: self._data["signature"]["encoding"],
                                  doc="``SE`` as written (None: hex).")
    signature_data = property(lambda self: self._data["signature"]["data"], doc="``SD`` as written.")

    def to_record_text(self) -> str:
        """The record as text: ``OCMF|payload|signature``."""
        return self._data["record_text"]


@record("Verification", module=_MODULE)
class Verification(Record):
    """The verdict on a signed value and the parsed record; true when valid."""

    verdict: str
    reason: Optional[str]
    algorithm: Optional[str]
    curve: Optional[str]
    format: str
    record: Optional[OcmfRecord]
    is_valid: bool

    __slots__ = ()

    def __bool__(self) -> bool:
        return self._data["is_valid"]


@record("FailedCheck", module=_MODULE)
class FailedCheck(Record):
    """One failed transaction check: ``check`` (its name), ``detail``, ``blocks_energy``,
    ``blocks_time``."""

    check: str
    detail: str
    blocks_energy: bool
    blocks_time: bool

    __slots__ = ()


@record("BillableEnergy", module=_MODULE)
class BillableEnergy(Record):
    """The energy between the begin and end readings of the billing register."""

    value: Decimal
    unit: str
    begin_text: str
    end_text: str
    obis: Optional[str]
    cable_loss: Optional[Decimal]
    wh: Optional[Decimal]

    __slots__ = ()


@record("TransactionReport", module=_MODULE)
class TransactionReport(Record):
    """The outcome of the transaction checks."""

    verifications: List[Verification]
    failed: List[FailedCheck]
    energy: Optional[BillableEnergy]
    energy_export: Optional[BillableEnergy]
    duration_s: Optional[int]
    energy_billable: bool
    time_billable: bool
    passed: bool
    failed_names: List[str]

    __slots__ = ()

    def has_failed(self, check: str) -> bool:
        """True when the check named ``check`` failed (``InvalidArgumentError`` for an unknown
        name)."""
        if not isinstance(check, str):
            raise TypeError(f"check must be a str, not {type(check).__name__}")
        if check not in TRANSACTION_CHECKS:
            reason = f"unknown transaction check {check!r}; expected one of: {', '.join(TRANSACTION_CHECKS)}"
            raise _invalid_argument("check", reason)
        return check in self._data["failed_names"]


@record("ProvenEnergy", module=_MODULE)
class ProvenEnergy(Record):
    """The energy of a session proven by its signed begin and end readings (``energy_wh``;
    ``export_wh`` for the energy a V2X car fed back, from its export register)."""

    report: Optional[TransactionReport]
    energy_wh: Optional[Decimal]
    unsigned_energy_wh: Decimal
    export_wh: Optional[Decimal]
    anomalies: List[Anomaly]
    is_consistent: bool

    __slots__ = ()

    @property
    def unreadable(self) -> List[Tuple[str, str, str]]:
        """Signed data that could not be read: ``(message_id, kind, error)``."""
        return [(u["message_id"], u["kind"], u["error"]) for u in self._data["unreadable"]]
