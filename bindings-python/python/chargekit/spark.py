"""chargekit inside Apache Spark (PySpark 4): the DataFrame API only, so the same calls work
over Spark Connect. Install with ``pip install chargekit[spark]``; the chargekit wheel must
be installed on the executors too (see the README, "Running on Spark and Dask").

- ``sessions(frames_df, version=None, *, policy=None, timezone=None, partitions=None)`` →
  a DataFrame of sessions (``docs/arrow.md`` §2). The frames are repartitioned by
  ``station_id`` and sorted within partitions by station and ``received_at``, so each
  executor assembles whole stations, one at a time (``mapInArrow``).
- ``fleet_summary(sessions_df, tz=None, *, options)`` → the ``SiteSummary`` of all
  sessions: one ``SummaryPartial`` per partition, shipped to the driver as bytes and merged
  there. Exactly ``chargekit.analytics.summarize`` of the same sessions. ``options`` must
  name the ``period``.

``policy`` and ``options`` are dicts (they travel to the executors with the job); the time
zone is an IANA name. Results equal the single-process functions on the same data,
whatever the partitioning; give the frames their ``received_at`` (Spark does not keep row
order, and arrival order decides which frames are reported ``out_of_order``).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _engines, analytics

__all__ = ["sessions", "fleet_summary"]


def sessions(
    frames_df: Any,
    version: Optional[str] = None,
    *,
    policy: Optional[Mapping[str, Any]] = None,
    timezone: Optional[str] = None,
    partitions: Optional[int] = None,
) -> Any:
    """Sessions of the OCPP frames in ``frames_df`` (columns ``station_id``,
    ``received_at``, ``frame``), as a Spark DataFrame."""
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(_engines.sessions_schema())
    by_station = (
        frames_df.repartition(partitions, "station_id")
        if partitions
        else frames_df.repartition("station_id")
    ).sortWithinPartitions("station_id", "received_at")

    def run(batches: Any) -> Any:
        return _engines.session_batches(batches, version, policy, timezone, presorted=True)

    return by_station.mapInArrow(run, schema)


def fleet_summary(
    sessions_df: Any, tz: Optional[str] = None, *, options: Mapping[str, Any]
) -> analytics.SiteSummary:
    """The summary of the session records in ``sessions_df`` (the columns of
    ``chargekit.arrow.session_records``; a ``sessions`` result reads as it is)."""
    import pyarrow as pa
    from pyspark.sql.types import BinaryType, StructField, StructType

    def run(batches: Any) -> Any:
        part = _engines.partial(batches, tz, options)
        yield pa.record_batch([pa.array([part.to_bytes()], pa.binary())], names=["partial"])

    schema = StructType([StructField("partial", BinaryType(), False)])
    rows = sessions_df.mapInArrow(run, schema).collect()
    parts = [analytics.SummaryPartial.from_bytes(bytes(r["partial"])) for r in rows]
    return _engines.merged([analytics.SummaryPartial(tz, options=options)] + parts).finish()
