"""chargekit inside Dask (``dask.dataframe``). Install with ``pip install chargekit[dask]``;
workers need the chargekit wheel too (see the README, "Running on Spark and Dask").

- ``sessions(frames, version=None, *, policy=None, timezone=None)`` → a Dask DataFrame of
  sessions (``docs/arrow.md`` §2, pyarrow-backed columns: decimals stay exact). The
  frames are shuffled by ``station_id`` so that each partition holds whole stations.
- ``cdrs(frames, tariffs, timezone, *, version=None, policy=None, pricing_policy=None)`` →
  a Dask DataFrame of priced sessions (``chargekit.arrow.price_sessions``).
- ``fleet_summary(sessions, tz=None, *, options, split_every=8)`` → the ``SiteSummary`` of
  all sessions: one ``SummaryPartial`` per partition, merged in a tree of ``split_every``
  parts (partials travel between workers pickled). Exactly
  ``chargekit.analytics.summarize`` of the same sessions; ``options`` must name the
  ``period``.

``policy``, ``pricing_policy`` and ``options`` are dicts (or policy names), tariffs OCPI
JSON text or dicts; the time zone is an IANA name. Give the frames their
``received_at``: a shuffle does not keep row order.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _engines, analytics

__all__ = ["sessions", "cdrs", "fleet_summary"]


def _by_station(frames: Any, job: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    schema = _engines.output_schema(job)

    def run(part: Any) -> Any:
        table = pa.Table.from_pandas(part, preserve_index=False)
        out = pa.Table.from_batches(list(_engines.run_job(job, table.to_batches())), schema=schema)
        return out.to_pandas(types_mapper=pd.ArrowDtype)

    meta = schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    return frames.shuffle(on="station_id").map_partitions(run, meta=meta)


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


def fleet_summary(
    sessions: Any, tz: Optional[str] = None, *, options: Mapping[str, Any], split_every: int = 8
) -> analytics.SiteSummary:
    """The summary of the session records in the Dask DataFrame ``sessions``."""
    import pyarrow as pa
    from dask import delayed

    def part(frame: Any) -> analytics.SummaryPartial:
        return _engines.partial([pa.Table.from_pandas(frame, preserve_index=False)], tz, options)

    level = [delayed(part)(d) for d in sessions.to_delayed()]
    if not level:
        return analytics.SummaryPartial(tz, options=options).finish()
    while len(level) > 1:
        level = [delayed(_engines.merged)(level[i : i + split_every]) for i in range(0, len(level), split_every)]
    return level[0].compute().finish()
