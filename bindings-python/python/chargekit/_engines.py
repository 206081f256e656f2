"""What the Spark and Dask jobs share: Arrow batches in and out of chargekit.arrow."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional

from . import analytics, arrow


def no_frames() -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "station_id": pa.array([], pa.string()),
            "received_at": pa.array([], pa.timestamp("us", tz="UTC")),
            "frame": pa.array([], pa.string()),
        }
    )


def output_schema(job: Callable[[Any], Any], empty: Any = None) -> Any:
    """The pyarrow schema of what ``job`` writes, read from a run over ``empty`` (an empty
    table of its input; default: no frames)."""
    import pyarrow as pa

    return pa.table(job(no_frames() if empty is None else empty)).schema


def sessions_job(version: Optional[str], policy: Any, timezone: Any, presorted: bool) -> Callable[[Any], Any]:
    return lambda frames: arrow.sessions_from_frames(
        frames, version, policy=policy, timezone=timezone, presorted=presorted
    )


def priced_job(
    tariffs: Any, timezone: str, version: Optional[str], policy: Any, pricing_policy: Any, presorted: bool
) -> Callable[[Any], Any]:
    return lambda frames: arrow.price_sessions(
        frames, tariffs, timezone, version=version, policy=policy,
        pricing_policy=pricing_policy, presorted=presorted,
    )


def reader(batches: Iterable[Any]) -> Optional[Any]:
    """A pyarrow reader over an iterator of record batches; None when there are none."""
    import pyarrow as pa

    it = iter(batches)
    first = next(it, None)
    if first is None:
        return None
    return pa.RecordBatchReader.from_batches(first.schema, itertools.chain([first], it))


def run_job(job: Callable[[Any], Any], batches: Iterable[Any]) -> Iterator[Any]:
    """What ``job`` writes for the frames in ``batches``, batch by batch."""
    import pyarrow as pa

    frames = reader(batches)
    if frames is not None:
        yield from pa.RecordBatchReader.from_stream(job(frames))


def site_summaries_job(tz: Any, options: Mapping[str, Any]) -> Callable[[Any], Any]:
    return lambda sessions: arrow.summarize(sessions, tz, options=options, by_site=True)


def site_summaries_schema(tz: Any, options: Mapping[str, Any]) -> Any:
    """The pyarrow schema of the site summary rows (read from a run over no sessions)."""
    return output_schema(site_summaries_job(tz, options), arrow.session_records([]))


def fleet_partial(batches: Iterable[Any], tz: Any, options: Mapping[str, Any]) -> analytics.FleetPartial:
    """The fleet partial of the whole sites in ``batches``."""
    part = analytics.FleetPartial(tz, options=options)
    sessions = reader(batches)
    if sessions is not None:
        part.add(sessions)
    return part


def merged(parts: Iterable[analytics.FleetPartial]) -> analytics.FleetPartial:
    """The parts merged, in order (the options of all must agree)."""
    return analytics.FleetPartial.merge_many(list(parts))
