"""Signed meter values: OCMF records, signature verdicts and transaction checks.

- ``parse(record)`` → ``OcmfRecord`` (raises an ``OcmfError`` subclass when unreadable)
- ``verify(record, public_key)`` → ``Verification`` with ``.verdict`` ``"valid"`` |
  ``"invalid"`` | ``"unsupported_algorithm"``, ``.reason`` and ``.record``. The key is hex
  (any case, spaces allowed) or Base64, SPKI DER or a raw point. A tampered record is
  ``"invalid"``, not an error.
- ``check_transaction(begin, end, public_key)`` → ``TransactionReport`` naming each failed
  check (``.failed_names``), with the billable ``.energy``
- ``check_records([(record, key), ...], time_billing="law_accurate_only")``: a longer series
- ``proven_energy(session, public_key)``: the energy the signed readings of a ``Session`` prove

``record`` is the text ``OCMF|{payload}|{signature}`` or a transport form of it (hex,
Base64, an OCPP 1.6 SignedData value, …). The payload is never re-serialised: the bytes the
meter signed are what is verified.
"""

from ._chargekit import (
    BillableEnergy,
    FailedCheck,
    OcmfReading,
    OcmfRecord,
    ProvenEnergy,
    TransactionReport,
    Verification,
    check_records,
    check_transaction,
    parse,
    proven_energy,
    verify,
)

__all__ = [
    "parse",
    "verify",
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
