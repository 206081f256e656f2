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
import pyarrow.compute as pc
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
    ("CP-D1", "site-day-ocpp201.jsonl", timedelta(days=3)),
]

# CP-D1's energy register reads a millionth of a Wh more at each transaction's start:
# session energies need all six decimal places of the decimal128(38, 6) columns (…999999),
# and must come out exact, not rounded.
REGISTER = re.compile(r'"value":(\d+)(,"context":"Transaction\.Begin","measurand":"Energy\.Active\.Import\.Register")')


def edge_decimals(text: str) -> str:
    return REGISTER.sub(lambda m: f'"value":{m.group(1)}.000001{m.group(2)}', text)


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
            if station == "CP-D1":
                text = edge_decimals(text)
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
    rows = canonical(table)
    assert any(str(r["energy_wh"]).endswith(".999999") for r in rows if r["station_id"] == "CP-D1")
    return rows


def fleet(tz, start, seed):
    """Generated records of six stations at three sites and one without a site id; the
    single-process fleet report and site summary rows."""
    sessions, options = analytics.generate_sessions(
        {"seed": seed, "tz": tz, "start": start, "days": 21, "stations": 6}, batch=True)
    table = pa.table(arrow.session_records(sessions))
    site = {"ST-1": "north", "ST-2": "north", "ST-3": "south", "ST-4": "south", "ST-5": "east"}
    column = pa.array([site.get(s) for s in table["station_id"].to_pylist()], pa.string())
    table = table.set_column(table.schema.get_field_index("site_id"), "site_id", column)
    report = analytics.summarize_fleet(table, options=options)
    return table, options, report, pa.table(arrow.summarize(table, options=options, by_site=True))


def by_site(table):
    """Summary rows in site order (the unnamed site first)."""
    return sorted(table.to_pylist(), key=lambda r: (r["site_id"] is not None, r["site_id"] or ""))


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


def test_each_site_summary_is_summarize_of_that_site():
    table, options, report, rows = fleet("Europe/Berlin", "2026-03-16", 3)
    assert [s.site_id for s in report.sites] == [None, "east", "north", "south"]
    assert report.fleet.sites == 4 and report.fleet.counts["sessions_seen"] == table.num_rows
    for site, row in zip(report.sites, by_site(rows)):
        mask = pc.is_null(table["site_id"]) if site.site_id is None else pc.equal(table["site_id"], site.site_id)
        mine = table.filter(mask)
        # A site lists the declared ports of its own stations only.
        ports = [p for p in options["ports"] if p["station_id"] in set(mine["station_id"].to_pylist())]
        alone = analytics.summarize(mine, options={**options, "site_id": site.site_id, "ports": ports})
        assert site == alone, site.site_id
        assert row["site_id"] == site.site_id and row["sessions_used"] == site.counts["sessions_used"]


def test_dask_site_and_fleet_summaries_equal_summarize_fleet(dask_client):
    import dask.dataframe as dd
    import pandas as pd
    from distributed import get_task_stream

    import chargekit.dask as ck_dask

    for tz, start, seed in SITES:
        records, options, report, sites = fleet(tz, start, seed)
        rows = records.take(pa.array(random.Random(seed).sample(range(records.num_rows), records.num_rows)))
        for parts in (1, 2, 7):
            sessions = dd.from_pandas(rows.to_pandas(types_mapper=pd.ArrowDtype), npartitions=parts, sort=False)
            with get_task_stream(dask_client) as tasks:
                got = ck_dask.fleet_summary(sessions, options=options, split_every=3)
                got_sites = ck_dask.site_summaries(sessions, options=options).compute()
            assert got == report.fleet, (tz, parts)
            assert by_site(pa.Table.from_pandas(got_sites, preserve_index=False)) == by_site(sites), (tz, parts)
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


def test_spark_site_and_fleet_summaries_equal_summarize_fleet(spark):
    import chargekit.spark as ck_spark

    for tz, start, seed in SITES:
        records, options, report, sites = fleet(tz, start, seed)
        for parts in (1, 2, 7):
            sessions = spark.createDataFrame(records).repartition(parts)
            assert ck_spark.fleet_summary(sessions, options=options, partitions=parts) == report.fleet, (tz, parts)
            got = ck_spark.site_summaries(sessions, options=options, partitions=parts).toArrow()
            assert by_site(got) == by_site(sites), (tz, parts)


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
    assert "1216 sessions, 11521.149 kWh at 2 sites" in run.stdout
