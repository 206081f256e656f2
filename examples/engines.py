"""chargekit on Dask and Spark, on the bundled sample data (README: Running on Spark and Dask)."""
import os
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa

from chargekit import analytics, arrow


def main() -> None:
    # Two stations' frames from the bundled logs: station, receive time (unknown in these
    # logs; give it when you have it, engines do not keep row order), the OCPP-J text.
    logs = {"CP-ALPHA": "site-day-ocpp16.jsonl", "CP-BRAVO": "site-day-ocpp201.jsonl"}
    rows = [(s, f) for s, name in logs.items() for f in Path("examples/data", name).read_text().splitlines()]
    frames = pa.table({
        "station_id": [s for s, _ in rows],
        "received_at": pa.nulls(len(rows), pa.timestamp("us", tz="UTC")),
        "frame": [f for _, f in rows],
    })
    here = pa.table(arrow.sessions_from_frames(frames, timezone="Europe/Berlin"))  # one process

    # Dask: a local cluster of two worker processes (a real cluster: Client("tcp://scheduler:8786")).
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
    import chargekit.dask

    with LocalCluster(n_workers=2, processes=True, dashboard_address=":0") as cluster, Client(cluster):
        ddf = dd.from_pandas(frames.to_pandas(types_mapper=pd.ArrowDtype), npartitions=4)
        on_dask = chargekit.dask.sessions(ddf, timezone="Europe/Berlin").compute()
    assert sorted(on_dask["session_id"]) == sorted(here["session_id"].to_pylist())

    # Spark (local here; the same calls work on a cluster or over Spark Connect).
    from pyspark.sql import SparkSession
    import chargekit.spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the executors' Python, with chargekit
    spark = SparkSession.builder.master("local[2]").getOrCreate()
    on_spark = chargekit.spark.sessions(spark.createDataFrame(frames), timezone="Europe/Berlin")
    print(on_spark.select("session_id", "energy_wh", "state").orderBy("session_id").toPandas())

    # A fleet: 6 stations at two sites. Each site is summarised exactly on the executor that
    # holds it; only fixed-size fleet partials travel to the driver.
    records, options = analytics.generate_sessions({"days": 28, "stations": 6}, batch=True)
    table = pa.table(arrow.session_records(records))
    site = ["north" if s in ("ST-1", "ST-2", "ST-3") else "south" for s in table["station_id"].to_pylist()]
    table = table.set_column(table.schema.get_field_index("site_id"), "site_id", pa.array(site))
    sessions = spark.createDataFrame(table).repartition(8)
    for row in chargekit.spark.site_summaries(sessions, options=options).orderBy("site_id").collect():
        print(row["site_id"], row["sessions_used"], "sessions")
    fleet = chargekit.spark.fleet_summary(sessions, options=options)
    assert fleet == analytics.summarize_fleet(table, options=options).fleet
    print(fleet.counts["sessions_used"], "sessions,", fleet.energy["total_kwh"], "kWh at", fleet.sites, "sites")

if __name__ == "__main__":  # Dask starts its workers as new processes that import this file
    main()
