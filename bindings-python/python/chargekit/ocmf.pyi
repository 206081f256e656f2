from ._chargekit import BillableEnergy as BillableEnergy
from ._chargekit import FailedCheck as FailedCheck
from ._chargekit import OcmfReading as OcmfReading
from ._chargekit import OcmfRecord as OcmfRecord
from ._chargekit import ProvenEnergy as ProvenEnergy
from ._chargekit import TransactionReport as TransactionReport
from ._chargekit import Verification as Verification
from ._chargekit import check_records as check_records
from ._chargekit import check_transaction as check_transaction
from ._chargekit import parse as parse
from ._chargekit import proven_energy as proven_energy
from ._chargekit import verify as verify

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
