"""Arrow and the engines (issue #17).

1. **Frames → sessions**: ``chargekit.arrow.sessions_from_frames`` on one Arrow table of
   frames against ``chargekit.ocpp.sessions_from_messages`` called per station on the same
   frames (JSON lines grouped by station, what a Python backend does without Arrow). Both
   must give the same sessions before timing is reported.
2. **Engines**: ``chargekit.dask.fleet_summary`` and ``chargekit.spark.fleet_summary`` with
   1 and 2 workers over 0.25 / 0.5 / 1 M generated session records read from one Parquet
   file: start-up time (cluster up), job time (read + summary), the speed-up of 2 workers
   over 1, and the line T = a + b·N fitted to the job times (a: fixed cost per job, b:
   seconds per session; CPU-seconds per million sessions = b × 10⁶ × workers). Each summary
   must equal the ``fleet`` of ``chargekit.analytics.summarize_fleet`` of the same records
   (ten sites of five stations).

Frames come from the bundled sample logs (``examples/data``), copied to many stations;
session records from the core's seeded generator. The machine's other load changes the
figures: quote them with it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analytics import best_of  # noqa: E402  (the scripts' one timing helper)

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
LOGS = ["site-day-ocpp16.jsonl", "site-day-ocpp201.jsonl"]


def frames(stations: int) -> Tuple[Any, Dict[str, List[str]]]:
    """The sample logs copied to ``stations`` stations: an Arrow table, and the same frames
    as JSON lines by station."""
    import pyarrow as pa

    logs = [(DATA / name).read_text().splitlines() for name in LOGS]
    by_station = {f"CP-{i:05d}": logs[i % 2] for i in range(stations)}
    ids = [s for s, lines in by_station.items() for _ in lines]
    texts = [t for lines in by_station.values() for t in lines]
    table = pa.table({
        "station_id": pa.array(ids, pa.string()),
        "received_at": pa.nulls(len(ids), pa.timestamp("us", tz="UTC")),
        "frame": pa.array(texts, pa.string()),
    })
    return table, by_station


def bench_frames(stations: int, repeat: int) -> Dict[str, Any]:
    import pyarrow as pa

    from chargekit import arrow, ocpp

    table, by_station = frames(stations)

    def per_station() -> List[Any]:
        out = []
        for station, lines in by_station.items():
            out += ocpp.sessions_from_messages("\n".join(lines), station_id=station)
        return out

    t_msg, sessions = best_of(per_station, repeat)
    t_arrow, got = best_of(lambda: pa.table(arrow.sessions_from_frames(table, presorted=True)), repeat)
    want = pa.table(arrow.session_records(sessions))
    assert got.select(want.column_names).to_pylist() == want.to_pylist(), "the two paths differ"
    return {"frames": table.num_rows, "sessions": got.num_rows, "messages_s": t_msg,
            "arrow_s": t_arrow, "ratio": t_msg / t_arrow}


def records_parquet(n: int, folder: str) -> Tuple[str, Dict[str, Any], Any]:
    """About ``n`` generated session records in a Parquet file; the options; the summary."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from chargekit import analytics, arrow

    days = max(1, round(n / (100 * 3.53)))
    sessions, options = analytics.generate_sessions(
        {"seed": 2026, "days": days, "stations": 50, "ports_per_station": 2, "profile": "public"}, batch=True)
    path = os.path.join(folder, f"sessions-{n}.parquet")
    table = pa.table(arrow.session_records(sessions))
    # Ten sites of five stations each (ST-1 … ST-50): the engines spread the sites.
    site = [f"site-{(int(s[3:]) - 1) // 5}" for s in table["station_id"].to_pylist()]
    table = table.set_column(table.schema.get_field_index("site_id"), "site_id", pa.array(site))
    pq.write_table(table, path, row_group_size=65_536)
    return path, options, analytics.summarize_fleet(table, options=options).fleet


def fit(points: List[Tuple[int, float]]) -> Tuple[float, float]:
    """Least squares T = a + b·N."""
    n = len(points)
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    b = sum((p[0] - mx) * (p[1] - my) for p in points) / sxx if sxx else 0.0
    return my - b * mx, b


def dask_jobs(workers: int, inputs: List[Tuple[int, str, Any, Any]], repeat: int) -> Dict[str, Any]:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import chargekit.dask

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=":0")
    client = Client(cluster)
    startup = time.perf_counter() - t0
    jobs = []
    try:
        for k, (n, path, options, want) in enumerate(inputs):
            def job() -> Any:
                ddf = dd.read_parquet(path, dtype_backend="pyarrow", split_row_groups=True)
                return chargekit.dask.fleet_summary(ddf, options=options)

            if k == 0:
                job()  # warm-up: the workers import chargekit and pyarrow
            t, got = best_of(job, repeat)
            assert got == want, f"dask, {workers} workers, {n} sessions: summary differs"
            jobs.append((n, t))
    finally:
        client.close()
        cluster.close()
    return {"engine": "dask", "workers": workers, "startup_s": startup, "jobs": jobs}


def spark_jobs(workers: int, inputs: List[Tuple[int, str, Any, Any]], repeat: int) -> Dict[str, Any]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    import chargekit.spark

    t0 = time.perf_counter()
    spark = (SparkSession.builder.master(f"local-cluster[{workers},1,1024]")
             .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
             .config("spark.executor.memory", "768m")
             # one Parquet file of ~40 MB would be one partition: split it by row groups
             .config("spark.sql.files.maxPartitionBytes", "4m").getOrCreate())
    spark.range(workers * 4).repartition(workers * 4).count()  # executors registered
    startup = time.perf_counter() - t0
    jobs = []
    try:
        for k, (n, path, options, want) in enumerate(inputs):
            def job() -> Any:
                return chargekit.spark.fleet_summary(spark.read.parquet(path), options=options)

            if k == 0:
                job()  # warm-up: the Python workers start and import chargekit
            t, got = best_of(job, repeat)
            assert got == want, f"spark, {workers} workers, {n} sessions: summary differs"
            jobs.append((n, t))
    finally:
        spark.stop()
    return {"engine": "spark", "workers": workers, "startup_s": startup, "jobs": jobs}


def run(sizes: List[int], stations: int, repeat: int, engines: List[str], verbose: bool = True) -> Dict[str, Any]:
    out: Dict[str, Any] = {"frames": bench_frames(stations, repeat), "engines": []}
    if verbose:
        f = out["frames"]
        print(f"frames → sessions: {f['frames']:,} frames of {stations:,} stations → {f['sessions']:,} sessions, best of {repeat}")
        print(f"  sessions_from_messages per station   {f['messages_s']:8.3f} s")
        print(f"  arrow.sessions_from_frames (table)   {f['arrow_s']:8.3f} s   ratio {f['ratio']:.2f}x")
    with tempfile.TemporaryDirectory() as folder:
        inputs = [(n, *records_parquet(n, folder)) for n in sizes]
        inputs = [(want.counts["sessions_seen"], path, options, want) for _, path, options, want in inputs]
        for engine in engines:
            for workers in (1, 2):
                jobs = dask_jobs if engine == "dask" else spark_jobs
                out["engines"].append(jobs(workers, inputs, repeat))
    for e in out["engines"]:
        a, b = fit(e["jobs"]) if len(e["jobs"]) > 1 else (0.0, e["jobs"][0][1] / e["jobs"][0][0])
        e.update(a_s=a, b_s=b, cpu_s_per_million=b * 1e6 * e["workers"])
    if verbose:
        for e in out["engines"]:
            one = next(x for x in out["engines"] if x["engine"] == e["engine"] and x["workers"] == 1)
            print(f"{e['engine']}, {e['workers']} worker(s): start-up {e['startup_s']:.1f} s; "
                  f"T = {e['a_s']:.2f} s + {e['b_s'] * 1e6:.2f} s/M sessions; "
                  f"{e['cpu_s_per_million']:.1f} CPU-s per million sessions")
            for (n, t), (_, t1) in zip(e["jobs"], one["jobs"]):
                print(f"    {n:>9,} sessions  {t:7.2f} s  {n / t:>10,.0f} sessions/s  speed-up {t1 / t:.2f}x")
    return out


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    ap.add_argument("--stations", type=int, default=1_000, help="stations for frames → sessions")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--engines", nargs="+", default=["dask", "spark"], choices=["dask", "spark"])
    ap.add_argument("--quick", action="store_true", help="smoke run: tiny sizes, Dask only")
    args = ap.parse_args(argv)
    if args.quick:
        run([2_000, 4_000], 10, 1, ["dask"])
    else:
        run(args.sizes, args.stations, args.repeat, args.engines)


if __name__ == "__main__":
    main()
