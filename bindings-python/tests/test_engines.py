"""chargekit.dask and chargekit.spark on real engines: a Dask LocalCluster with two worker
processes and PySpark in local-cluster mode with two executor JVMs (each with its own
Python workers), all on 127.0.0.1. Sessions and summaries from each engine equal the
single-process results exactly, with 1, 2 and 7 partitions and shuffled input; at least two
worker processes did the work."""

import json
import os
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from chargekit import analytics, arrow, ocpp

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
UTC = timezone.utc
STAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z"')

# (station, sample log, shift of every station time): an ordinary day, the spring-forward
# night of Europe/Berlin (29 March) and of America/New_York (8 March), and a day shifted by
# 18 h so that sessions run over local midnight.
STATIONS = [
    ("CP-A1", "site-day-ocpp16.jsonl", timedelta(0)),
    ("CP-B1", "site-day-ocpp201.jsonl", timedelta(0)),
    ("CP-A2", "site-day-ocpp16.jsonl", timedelta(days=19, hours=-5)),
    ("CP-B2", "site-day-ocpp201.jsonl", timedelta(days=19, hours=-5)),
    ("CP-A3", "site-day-ocpp16.jsonl", timedelta(days=-2, hours=1)),
    ("CP-B3", "site-day-ocpp201.jsonl", timedelta(hours=18)),
    ("CP-V2X", "v2x-session-ocpp21.jsonl", timedelta(days=1)),
]


def shifted(line: str, by: timedelta) -> str:
    def move(m: "re.Match[str]") -> str:
        text = m.group(1)
        fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in text else "%Y-%m-%dT%H:%M:%S"
        at = datetime.strptime(text, fmt) + by
        out = at.strftime(fmt)
        return f'"{out[: len(text)]}Z"'

    return STAMP.sub(move, line)


def frames_rows():
    """Every frame once in arrival order, every 13th again a little later (a duplicate the
    station re-sent); receive times increase in arrival order."""
    rows, base = [], datetime(2026, 3, 1, tzinfo=UTC)
    for n, (station, name, by) in enumerate(STATIONS):
        lines = (DATA / name).read_text().splitlines()
        for i, line in enumerate(lines):
            frame = json.loads(line)
            frame = frame["frame"] if isinstance(frame, dict) else frame
            text = shifted(json.dumps(frame, separators=(",", ":")), by)
            at = base + timedelta(days=n, seconds=10 * i)
            rows.append((station, at, text))
            if i % 13 == 5:
                rows.append((station, at + timedelta(seconds=3), text))
    return rows


def frames_table(rows):
    return pa.table({
        "station_id": pa.array([r[0] for r in rows], pa.string()),
        "received_at": pa.array([r[1] for r in rows], pa.timestamp("us", tz="UTC")),
        "frame": pa.array([r[2] for r in rows], pa.string()),
    })


def shuffled(rows, seed):
    rows = list(rows)
    random.Random(seed).shuffle(rows)
    return rows


RECORD_COLUMNS = None


def canonical(table):
    """The record columns plus the OCPP identity and anomalies, sorted by session id."""
    columns = pa.table(arrow.session_records([])).column_names + ["transaction_id", "anomalies"]
    return table.select(columns).sort_by("session_id").to_pylist()


def station_sessions(station, rows):
    """sessions_from_messages for one station, its frames in receive order in envelopes."""
    log = "\n".join(json.dumps({"received_at": at.isoformat(), "frame": json.loads(text)})
                    for s, at, text in sorted((r for r in rows if r[0] == station), key=lambda r: r[1]))
    return ocpp.sessions_from_messages(log, station_id=station)


@pytest.fixture(scope="module")
def single_process():
    """sessions_from_messages per station, frames in receive order."""
    rows = frames_rows()
    out = []
    for station, _, _ in STATIONS:
        out += station_sessions(station, rows)
    records = pa.table(arrow.session_records(out))
    extra = pa.table({"transaction_id": [s.transaction_id for s in out],
                      "anomalies": [[a.kind for a in s.anomalies] for s in out]})
    table = pa.Table.from_arrays(records.columns + extra.columns, names=records.column_names + extra.column_names)
    assert table.num_rows >= 40
    return canonical(table)


def generated(tz, start, seed):
    sessions, options = analytics.generate_sessions(
        {"seed": seed, "tz": tz, "start": start, "days": 21, "stations": 4}, batch=True)
    return pa.table(arrow.session_records(sessions)), options, analytics.summarize(sessions, options=options)


SITES = [("Europe/Berlin", "2026-03-16", 3), ("America/New_York", "2026-02-27", 4)]


# ---------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_sessions_equal_the_single_process_result(dask_client, single_process):
    import dask.dataframe as dd
    import pandas as pd
    from distributed import get_task_stream

    import chargekit.dask as ck_dask

    for parts, seed in ((1, None), (2, 1), (7, 2)):
        rows = frames_rows() if seed is None else shuffled(frames_rows(), seed)
        pdf = frames_table(rows).to_pandas(types_mapper=pd.ArrowDtype)
        frames = dd.from_pandas(pdf, npartitions=parts, sort=False)
        with get_task_stream(dask_client) as tasks:
            got = ck_dask.sessions(frames, timezone="Europe/Berlin").compute()
        table = pa.Table.from_pandas(got, preserve_index=False)
        assert canonical(table) == single_process, f"{parts} partitions"
        assert set(table["timezone"].to_pylist()) == {"Europe/Berlin"}
        if parts == 7:
            assert len({t["worker"] for t in tasks.data}) >= 2


TARIFF = (DATA / "tariff-tou.json").read_text()


@pytest.fixture(scope="module")
def single_process_prices(single_process):
    """The same sessions priced one by one (Session.price)."""
    rows = frames_rows()
    out = []
    for station, _, _ in STATIONS:
        for s in station_sessions(station, rows):
            try:
                p = s.price(TARIFF, timezone="Europe/Berlin")
                out.append((f"{station}-{s.transaction_id}", p.total_cost.incl_vat, None))
            except Exception as e:  # kept in its row by the engines
                out.append((f"{station}-{s.transaction_id}", None, e.kind))
    return sorted(out)


def priced_rows(table):
    return sorted(zip(table["session_id"].to_pylist(), table["total_incl_vat"].to_pylist(),
                      table["error_kind"].to_pylist()))


def test_dask_cdrs_equal_session_price(dask_client, single_process_prices):
    import dask.dataframe as dd
    import pandas as pd

    import chargekit.dask as ck_dask

    pdf = frames_table(shuffled(frames_rows(), 5)).to_pandas(types_mapper=pd.ArrowDtype)
    got = ck_dask.cdrs(dd.from_pandas(pdf, npartitions=3, sort=False), TARIFF, "Europe/Berlin").compute()
    assert priced_rows(pa.Table.from_pandas(got, preserve_index=False)) == single_process_prices


def test_dask_fleet_summary_equals_summarize(dask_client):
    import dask.dataframe as dd
    import pandas as pd
    from distributed import get_task_stream

    import chargekit.dask as ck_dask

    for tz, start, seed in SITES:
        records, options, want = generated(tz, start, seed)
        rows = records.take(pa.array(random.Random(seed).sample(range(records.num_rows), records.num_rows)))
        for parts in (1, 2, 7):
            sessions = dd.from_pandas(rows.to_pandas(types_mapper=pd.ArrowDtype), npartitions=parts, sort=False)
            with get_task_stream(dask_client) as tasks:
                got = ck_dask.fleet_summary(sessions, options=options, split_every=3)
            assert got == want, (tz, parts)
            if parts == 7:
                assert len({t["worker"] for t in tasks.data}) >= 2


# ---------------------------------------------------------------- Spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local-cluster[2,1,1024]")
        .appName("chargekit-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.executor.memory", "512m")
        .getOrCreate()
    )
    yield session
    session.stop()


def worker_pids(df):
    from pyspark.sql import functions as F

    pid = F.udf(lambda _: os.getpid(), "int")
    return {r["pid"] for r in df.select(pid(F.col("session_id")).alias("pid")).distinct().collect()}


def test_spark_sessions_equal_the_single_process_result(spark, single_process):
    import chargekit.spark as ck_spark

    for parts, seed in ((1, None), (2, 1), (7, 2)):
        rows = frames_rows() if seed is None else shuffled(frames_rows(), seed)
        frames = spark.createDataFrame(frames_table(rows))
        got = ck_spark.sessions(frames, timezone="Europe/Berlin", partitions=parts)
        table = got.toArrow()
        assert canonical(table) == single_process, f"{parts} partitions"
        if parts == 7:
            assert len(worker_pids(got)) >= 2


def test_spark_cdrs_equal_session_price(spark, single_process_prices):
    import chargekit.spark as ck_spark

    frames = spark.createDataFrame(frames_table(shuffled(frames_rows(), 6)))
    got = ck_spark.cdrs(frames, TARIFF, "Europe/Berlin", partitions=3).toArrow()
    assert priced_rows(got) == single_process_prices


def test_spark_fleet_summary_equals_summarize(spark):
    import chargekit.spark as ck_spark

    for tz, start, seed in SITES:
        records, options, want = generated(tz, start, seed)
        for parts in (1, 2, 7):
            sessions = spark.createDataFrame(records).repartition(parts)
            assert ck_spark.fleet_summary(sessions, options=options) == want, (tz, parts)


def test_the_readme_example_runs_as_written():
    """The README's "Running on Spark and Dask" block is examples/engines.py, and it runs."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running on Spark and Dask", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert block == (root / "examples" / "engines.py").read_text(encoding="utf-8")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    run = subprocess.run([sys.executable, "examples/engines.py"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "1216 sessions, 11521.149 kWh" in run.stdout
