"""chargekit inside Apache Spark (PySpark 4): the DataFrame API only, so the same calls work
over Spark Connect. Install with ``pip install chargekit[spark]``; the chargekit wheel must
be installed on the executors too (see the README, "Running on Spark and Dask").

- ``sessions(frames_df, version=None, *, policy=None, timezone=None, partitions=None)`` →
  a DataFrame of sessions (``docs/arrow.md`` §2). The frames are repartitioned by
  ``station_id`` and sorted within partitions by station and ``received_at``, so each
  executor assembles whole stations, one at a time (``mapInArrow``).
- ``cdrs(frames_df, tariffs, timezone, *, version=None, policy=None, pricing_policy=None,
  partitions=None)`` → a DataFrame of priced sessions (``chargekit.arrow.price_sessions``),
  split by station the same way.
- ``site_summaries(sessions_df, tz=None, *, options, partitions=None)`` → a DataFrame
  with one row per site (``chargekit.arrow.summarize(..., by_site=True)``): the sessions
  are repartitioned by ``site_id``, and each site is summarised exactly on the executor
  that holds it.
- ``fleet_summary(sessions_df, tz=None, *, options, partitions=None)`` → the
  ``FleetSummary`` of the same sites: each partition ships one fixed-size ``FleetPartial``
  (a few kilobytes) to the driver, where they are merged. Exactly the ``fleet`` of
  ``chargekit.analytics.summarize_fleet``.

Both read session records (the columns of ``chargekit.arrow.session_records``; a
``sessions`` result reads as it is) and need ``options`` that name the ``period``. Without a
``site_id`` column all sessions are one site, summarised in one partition: add the column
(e.g. join a station → site table) to spread the work.

``policy``, ``pricing_policy`` and ``options`` are dicts (or policy names), tariffs OCPI
JSON text or dicts (they travel to the executors with the job); the time
zone is an IANA name. Results equal the single-process functions on the same data,
whatever the partitioning; give the frames their ``received_at`` (Spark does not keep row
order, and arrival order decides which frames are reported ``out_of_order``).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _engines, analytics

__all__ = ["sessions", "cdrs", "site_summaries", "fleet_summary"]


def _map_job(df: Any, job: Any, schema: Any) -> Any:
    """``job`` (Arrow in, Arrow of the pyarrow ``schema`` out) over each partition of ``df``."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return df.mapInArrow(lambda batches: _engines.run_job(job, batches), from_arrow_schema(schema))


def _by_station(frames_df: Any, job: Any, partitions: Optional[int]) -> Any:
    by_station = (
        frames_df.repartition(partitions, "station_id")
        if partitions
        else frames_df.repartition("station_id")
    ).sortWithinPartitions("station_id", "received_at")
    return _map_job(by_station, job, _engines.output_schema(job))


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
    return _by_station(frames_df, _engines.sessions_job(version, policy, timezone, True), partitions)


def cdrs(
    frames_df: Any,
    tariffs: Any,
    timezone: str,
    *,
    version: Optional[str] = None,
    policy: Optional[Mapping[str, Any]] = None,
    pricing_policy: Any = None,
    partitions: Optional[int] = None,
) -> Any:
    """Priced sessions of the OCPP frames in ``frames_df``, as a Spark DataFrame."""
    job = _engines.priced_job(tariffs, timezone, version, policy, pricing_policy, True)
    return _by_station(frames_df, job, partitions)


def _by_site(sessions_df: Any, partitions: Optional[int]) -> Any:
    if "site_id" not in sessions_df.columns:
        return sessions_df.coalesce(1)
    return sessions_df.repartition(partitions, "site_id") if partitions else sessions_df.repartition("site_id")


def site_summaries(
    sessions_df: Any, tz: Optional[str] = None, *, options: Mapping[str, Any], partitions: Optional[int] = None
) -> Any:
    """One summary row per site of the session records in ``sessions_df``."""
    job, schema = _engines.site_summaries_job(tz, options), _engines.site_summaries_schema(tz, options)
    return _map_job(_by_site(sessions_df, partitions), job, schema)


def fleet_summary(
    sessions_df: Any, tz: Optional[str] = None, *, options: Mapping[str, Any], partitions: Optional[int] = None
) -> analytics.FleetSummary:
    """The fleet summary of the session records in ``sessions_df``."""
    import pyarrow as pa
    from pyspark.sql.types import BinaryType, StructField, StructType

    def run(batches: Any) -> Any:
        part = _engines.fleet_partial(batches, tz, options)
        yield pa.record_batch([pa.array([part.to_bytes()], pa.binary())], names=["partial"])

    schema = StructType([StructField("partial", BinaryType(), False)])
    rows = _by_site(sessions_df, partitions).mapInArrow(run, schema).collect()
    parts = [analytics.FleetPartial.from_bytes(bytes(r["partial"])) for r in rows]
    return _engines.merged([analytics.FleetPartial(tz, options=options)] + parts).finish()
