"""OCMF records verified per second: ``chargekit.ocmf`` against Python ``cryptography``.

The records are the `ocmf` crate's one-per-algorithm vectors
(``core/tests/vectors/ocmf-crate/curves.json``), signed and checked by OpenSSL, so both
sides verify the same bytes with the same key. The peer is what a Python backend would
write with ``cryptography`` (OpenSSL): split the record at ``|``, read the signature
section with ``json``, decode the hex ``SD`` and the SPKI key, and verify ECDSA over
SHA-256 of the payload bytes. ``cryptography`` has no secp192k1, so that curve is timed for
chargekit alone.

Before timing, both sides must say "valid" for every record and "invalid" for the record
with one digit of a reading changed.

Timed, records/s at the best of ``repeat`` runs:

- ``verify``: one call per record, key text decoded on every call, on both sides;
- ``many``: 1,000 records under one key: ``chargekit.ocmf.verify_many`` against the peer
  with the key loaded once, reading each record as above;
- ``threads``: ``verify_many`` on 2,000 P-256 records from one thread, then split over two
  threads (the GIL is released while Rust verifies, so two cores should near double it).

Run ``python benches/python/bench_ocmf.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import timeit
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from chargekit import ocmf

VECTORS = Path(__file__).resolve().parents[2] / "core" / "tests" / "vectors" / "ocmf-crate" / "curves.json"
TAMPER = ("129.500", "129.501")


def records() -> Dict[str, Tuple[str, str]]:
    """``{curve: (record, key_hex)}`` for the plain vector of each of the seven curves."""
    out = {}
    for v in json.loads(VECTORS.read_text())["vectors"]:
        if "shape" not in v:
            out[v["curve"]] = (v["record"], v["key_spki_hex"])
    return out


def peer_verifier(curve: str) -> Optional[Callable[[str, str], bool]]:
    """``cryptography``'s check of a record, parsing it in Python; None without the curve."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        return None
    if curve == "secp192k1":
        return None

    def verify(record: str, key_hex: str) -> bool:
        head, rest = record.split("|", 1)
        payload, section = rest.rsplit("|", 1)
        sd = bytes.fromhex(json.loads(section)["SD"])
        key = serialization.load_der_public_key(bytes.fromhex(key_hex))
        try:
            key.verify(sd, payload.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return head == "OCMF"

    return verify


def check_agreement() -> Dict[str, bool]:
    """Both sides on every record and its tampered copy; returns ``{curve: peer_checked}``."""
    checked = {}
    for curve, (record, key) in records().items():
        tampered = record.replace(*TAMPER)
        assert tampered != record, curve
        assert ocmf.verify(record, key).verdict == "valid", curve
        assert ocmf.verify(tampered, key).verdict == "invalid", curve
        peer = peer_verifier(curve)
        if peer is not None:
            assert peer(record, key) and not peer(tampered, key), curve
        checked[curve] = peer is not None
    return checked


def rates(ours: Callable[[], object], theirs: Optional[Callable[[], object]], per_call: int, number: int,
          repeat: int) -> Tuple[float, Optional[float]]:
    """Calls/s of both sides at their best of ``repeat`` runs, the runs taken in turn: this
    machine's speed drifts over minutes, and the turns give both sides the same drift."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, call in enumerate((ours, theirs)):
            if call is not None:
                best[i] = min(best[i], timeit.timeit(call, number=number))
    return per_call * number / best[0], (per_call * number / best[1]) if theirs else None


def threads_rate(record: str, key: str, n: int, threads: int, repeat: int) -> float:
    """Records/s of ``verify_many`` over ``n`` records split across ``threads`` threads."""
    chunk = [record] * (n // threads)
    best = float("inf")
    for _ in range(repeat):
        workers = [threading.Thread(target=ocmf.verify_many, args=(chunk, key)) for _ in range(threads)]
        start = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        best = min(best, time.perf_counter() - start)
    return len(chunk) * threads / best


def run(number: int = 300, repeat: int = 5, batch: int = 1000) -> List[dict]:
    check_agreement()
    rows = []
    for curve, (record, key) in records().items():
        peer = peer_verifier(curve)
        ours, theirs = rates(lambda: ocmf.verify(record, key), (lambda: peer(record, key)) if peer else None,
                             1, number, repeat)
        rows.append({"curve": curve, "form": "verify", "chargekit": ours, "peer": theirs})
    for curve in ("secp256r1", "secp384r1"):
        record, key = records()[curve]
        many = [record] * batch
        peer_many = None
        if peer_verifier(curve) is not None:
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec

            loaded = serialization.load_der_public_key(bytes.fromhex(key))

            def peer_many() -> None:
                # The key loaded once; each record read as `peer_verifier` reads it (the
                # batch holds copies of one record, but a real batch's records differ).
                for r in many:
                    head, rest = r.split("|", 1)
                    payload, section = rest.rsplit("|", 1)
                    sd = bytes.fromhex(json.loads(section)["SD"])
                    loaded.verify(sd, payload.encode(), ec.ECDSA(hashes.SHA256()))

        ours, theirs = rates(lambda: ocmf.verify_many(many, key), peer_many, batch, 1, repeat)
        rows.append({"curve": curve, "form": "many", "chargekit": ours, "peer": theirs})
    record, key = records()["secp256r1"]
    one = threads_rate(record, key, 2 * batch, 1, repeat)
    two = threads_rate(record, key, 2 * batch, 2, repeat)
    rows.append({"curve": "secp256r1", "form": "threads", "chargekit": two, "peer": one})
    print(f"{'curve':<16}{'form':<9}{'chargekit/s':>13}{'peer/s':>13}{'ratio':>8}")
    for r in rows:
        peer = f"{r['peer']:>13,.0f}" if r["peer"] else f"{'-':>13}"
        ratio = f"{r['chargekit'] / r['peer']:>7.2f}x" if r["peer"] else f"{'-':>8}"
        print(f"{r['curve']:<16}{r['form']:<9}{r['chargekit']:>13,.0f}{peer}{ratio}")
    print("(threads: 'chargekit' = verify_many on two threads, 'peer' = the same on one thread)")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--number", type=int, default=300, help="calls per timing run")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (the best counts)")
    parser.add_argument("--quick", action="store_true", help="a smoke run with tiny sizes")
    args = parser.parse_args()
    if args.quick:
        run(number=3, repeat=1, batch=10)
    else:
        run(number=args.number, repeat=args.repeat)
