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


def output_schema(job: Callable[[Any], Any]) -> Any:
    """The pyarrow schema of what ``job`` writes (read from a run over no frames)."""
    import pyarrow as pa

    return pa.table(job(no_frames())).schema


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


def partial(batches: Iterable[Any], tz: Any, options: Mapping[str, Any]) -> analytics.SummaryPartial:
    """One partial summary of the session records in ``batches``."""
    part = analytics.SummaryPartial(tz, options=options)
    for batch in batches:
        part.add(batch)
    return part


def merged(parts: Iterable[analytics.SummaryPartial]) -> analytics.SummaryPartial:
    """The parts merged into the first (the options of all must agree)."""
    it = iter(parts)
    total = next(it)
    for p in it:
        total.merge(p)
    return total
