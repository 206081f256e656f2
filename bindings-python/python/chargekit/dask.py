"""chargekit inside Dask (``dask.dataframe``). Install with ``pip install chargekit[dask]``;
workers need the chargekit wheel too (see the README, "Running on Spark and Dask").

- ``sessions(frames, version=None, *, policy=None, timezone=None)`` → a Dask DataFrame of
  sessions (``docs/arrow.md`` §2, pyarrow-backed columns: decimals stay exact). The
  frames are shuffled by ``station_id`` so that each partition holds whole stations.
- ``cdrs(frames, tariffs, timezone, *, version=None, policy=None, pricing_policy=None)`` →
  a Dask DataFrame of priced sessions (``chargekit.arrow.price_sessions``).
- ``site_summaries(sessions, tz=None, *, options)`` → a Dask DataFrame with one row per
  site (``chargekit.arrow.summarize(..., by_site=True)``): the sessions are shuffled by
  ``site_id`` and each site is summarised exactly in the partition that holds it.
- ``fleet_summary(sessions, tz=None, *, options, split_every=8)`` → the ``FleetSummary`` of
  the same sites: one fixed-size ``FleetPartial`` per partition, merged in a tree of
  ``split_every`` parts (partials travel between workers pickled). Exactly the ``fleet`` of
  ``chargekit.analytics.summarize_fleet``.

Both read session records (the columns of ``chargekit.arrow.session_records``) and need
``options`` that name the ``period``. Without a ``site_id`` column all sessions are one
site, summarised in one partition.

``policy``, ``pricing_policy`` and ``options`` are dicts (or policy names), tariffs OCPI
JSON text or dicts; the time zone is an IANA name. Give the frames their
``received_at``: a shuffle does not keep row order.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _engines, analytics

__all__ = ["sessions", "cdrs", "site_summaries", "fleet_summary"]


def _map_job(ddf: Any, job: Any, schema: Any) -> Any:
    """``job`` (Arrow in, Arrow of ``schema`` out) over each partition of ``ddf``."""
    import pandas as pd
    import pyarrow as pa

    def run(part: Any) -> Any:
        out = pa.Table.from_batches(list(_engines.run_job(job, _table(part).to_batches())), schema=schema)
        return out.to_pandas(types_mapper=pd.ArrowDtype)

    meta = schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    return ddf.map_partitions(run, meta=meta)


def _by_station(frames: Any, job: Any) -> Any:
    return _map_job(frames.shuffle(on="station_id"), job, _engines.output_schema(job))


def sessions(
    frames: Any,
    version: Optional[str] = None,
    *,
    policy: Optional[Mapping[str, Any]] = None,
    timezone: Optional[str] = None,
) -> Any:
    """Sessions of the OCPP frames in the Dask DataFrame ``frames`` (columns
    ``station_id``, ``received_at``, ``frame``)."""
    return _by_station(frames, _engines.sessions_job(version, policy, timezone, False))


def cdrs(
    frames: Any,
    tariffs: Any,
    timezone: str,
    *,
    version: Optional[str] = None,
    policy: Optional[Mapping[str, Any]] = None,
    pricing_policy: Any = None,
) -> Any:
    """Priced sessions of the OCPP frames in the Dask DataFrame ``frames``."""
    return _by_station(frames, _engines.priced_job(tariffs, timezone, version, policy, pricing_policy, False))


def _by_site(sessions: Any) -> Any:
    if "site_id" not in sessions.columns:
        return sessions.repartition(npartitions=1)
    # Task-based: the P2P shuffle cannot carry list<utf8> (pyarrow-backed) columns.
    return sessions.shuffle(on="site_id", shuffle_method="tasks")


def _table(frame: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def site_summaries(sessions: Any, tz: Optional[str] = None, *, options: Mapping[str, Any]) -> Any:
    """One summary row per site of the session records in the Dask DataFrame ``sessions``."""
    job, schema = _engines.site_summaries_job(tz, options), _engines.site_summaries_schema(tz, options)
    return _map_job(_by_site(sessions), job, schema)


def fleet_summary(
    sessions: Any, tz: Optional[str] = None, *, options: Mapping[str, Any], split_every: int = 8
) -> analytics.FleetSummary:
    """The fleet summary of the session records in the Dask DataFrame ``sessions``."""
    from dask import delayed

    def part(frame: Any) -> analytics.FleetPartial:
        return _engines.fleet_partial(_table(frame).to_batches(), tz, options)

    level = [delayed(part)(d) for d in _by_site(sessions).to_delayed()]
    if not level:
        return analytics.FleetPartial(tz, options=options).finish()
    while len(level) > 1:
        level = [delayed(_engines.merged)(level[i : i + split_every]) for i in range(0, len(level), split_every)]
    return level[0].compute().finish()
