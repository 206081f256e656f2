"""Live monitoring from Python: one OCPP 1.6 transaction fed frame by frame with
``SessionAssembler.drain_events()`` (what changed: the live read) after every frame, next to
the bulk ``sessions_from_messages`` of the same frames; checkpoint size and snapshot/restore
time; and a ``Fleet`` of stations with one open session each fed one simulated hour at 60 s
sampling, drained every minute. Before timing, the live result is checked against the bulk
one and a restored assembler against the original.

    target/pyenv/bin/python benches/python/bench_live.py                 # 1k 10k 100k frames, 10,000 stations
    target/pyenv/bin/python benches/python/bench_live.py --frames 250 --stations 50
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Dict, List, Optional, Sequence

from chargekit.ocpp import Fleet, SessionAssembler, sessions_from_messages

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def transaction(frames: int, tx: int = 7, step_s: int = 10) -> List[str]:
    """A 1.6 transaction: start, its CALLRESULT, ``frames`` MeterValues (one register each)."""
    out = [
        json.dumps([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "T", "meterStart": 1000, "timestamp": stamp(T0)}]),
        json.dumps([3, "s", {"transactionId": tx, "idTagInfo": {"status": "Accepted"}}]),
    ]
    for i in range(1, frames + 1):
        value = {"value": str(1000 + 5 * i), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
        mv = {"connectorId": 1, "transactionId": tx, "meterValue": [{"timestamp": stamp(T0 + timedelta(seconds=step_s * i)), "sampledValue": [value]}]}
        out.append(json.dumps([2, f"m{i}", "MeterValues", mv]))
    return out


def live_row(frames: int) -> Dict[str, float]:
    lines = transaction(frames)
    a = SessionAssembler("CP")
    t = time.perf_counter()
    for line in lines:
        a.feed(line)
        a.drain_events()
    live = time.perf_counter() - t
    t = time.perf_counter()
    bulk_sessions = sessions_from_messages("\n".join(lines), station_id="CP")
    bulk = time.perf_counter() - t
    assert a.sessions() == bulk_sessions, "live differs from bulk"
    t = time.perf_counter()
    data = a.snapshot()
    snap = time.perf_counter() - t
    t = time.perf_counter()
    b = SessionAssembler.restore(data)
    restore = time.perf_counter() - t
    assert b.sessions() == a.sessions(), "restored differs"
    n = len(lines)
    return {
        "frames": n,
        "live_us_per_frame": live / n * 1e6,
        "bulk_us_per_frame": bulk / n * 1e6,
        "checkpoint_bytes": len(data),
        "snapshot_ms": snap * 1e3,
        "restore_ms": restore * 1e3,
    }


def fleet_row(stations: int) -> Dict[str, float]:
    """One open session per station, one hour at 60 s sampling, drained every minute."""
    fleet = Fleet(retention_s=3600)
    ids = [f"CP-{i:05d}" for i in range(stations)]
    frames = 0
    t = time.perf_counter()
    for i, sid in enumerate(ids):
        fleet.feed(sid, "\n".join(transaction(0, tx=i + 1)))
        frames += 2
    events = len(fleet.drain_events())
    for minute in range(1, 61):
        at = stamp(T0 + timedelta(minutes=minute))
        for i, sid in enumerate(ids):
            value = {"value": str(1000 + 183 * minute), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
            mv = {"connectorId": 1, "transactionId": i + 1, "meterValue": [{"timestamp": at, "sampledValue": [value]}]}
            fleet.feed(sid, [[2, f"m{minute}", "MeterValues", mv]])
            frames += 1
        events += len(fleet.drain_events())
    elapsed = time.perf_counter() - t
    assert len(fleet.open_sessions()) == stations
    t = time.perf_counter()
    data = fleet.snapshot()
    snap = time.perf_counter() - t
    t = time.perf_counter()
    Fleet.restore(data)
    restore = time.perf_counter() - t
    return {
        "stations": stations,
        "frames": frames,
        "events": events,
        "frames_per_s": frames / elapsed,
        "checkpoint_bytes_per_session": len(data) / stations,
        "snapshot_ms": snap * 1e3,
        "restore_ms": restore * 1e3,
    }


def run(frames: Sequence[int], stations: int) -> Dict[str, object]:
    rows = [live_row(n) for n in frames]
    print("read after every frame (one 1.6 transaction, one register per frame)")
    print(f"{'frames':>7} {'live µs/frame':>14} {'bulk µs/frame':>14} {'ratio':>7} {'checkpoint':>11} {'snapshot':>9} {'restore':>9}")
    for r in rows:
        print(
            f"{r['frames']:>7} {r['live_us_per_frame']:>14.1f} {r['bulk_us_per_frame']:>14.1f}"
            f" {r['live_us_per_frame'] / r['bulk_us_per_frame']:>6.2f}x {r['checkpoint_bytes'] / 1024:>9.0f} KiB"
            f" {r['snapshot_ms']:>7.1f}ms {r['restore_ms']:>7.1f}ms"
        )
    f = fleet_row(stations)
    print(
        f"fleet of {f['stations']} stations, one hour at 60 s: {f['frames_per_s']:,.0f} frames/s, "
        f"{f['events']} events, checkpoint {f['checkpoint_bytes_per_session']:,.0f} B per open session, "
        f"snapshot {f['snapshot_ms']:.0f} ms, restore {f['restore_ms']:.0f} ms"
    )
    return {"live": rows, "fleet": f}


def main(argv: Optional[Sequence[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, nargs="+", default=[1000, 10000, 100000])
    p.add_argument("--stations", type=int, default=10000)
    args = p.parse_args(argv)
    run(args.frames, args.stations)


if __name__ == "__main__":
    main()
