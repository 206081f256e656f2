"""What the Spark and Dask jobs share: Arrow batches in and out of chargekit.arrow."""

from __future__ import annotations

import itertools
from typing import Any, Iterable, Iterator, Mapping, Optional

from . import analytics, arrow


def sessions_schema() -> Any:
    """The pyarrow schema of the sessions table (read from an empty run)."""
    import pyarrow as pa

    frames = pa.table(
        {
            "station_id": pa.array([], pa.string()),
            "received_at": pa.array([], pa.timestamp("us", tz="UTC")),
            "frame": pa.array([], pa.string()),
        }
    )
    return pa.table(arrow.sessions_from_frames(frames)).schema


def reader(batches: Iterable[Any]) -> Optional[Any]:
    """A pyarrow reader over an iterator of record batches; None when there are none."""
    import pyarrow as pa

    it = iter(batches)
    first = next(it, None)
    if first is None:
        return None
    return pa.RecordBatchReader.from_batches(first.schema, itertools.chain([first], it))


def session_batches(
    batches: Iterable[Any], version: Optional[str], policy: Any, timezone: Any, presorted: bool
) -> Iterator[Any]:
    """The sessions of the frames in ``batches``, batch by batch."""
    import pyarrow as pa

    frames = reader(batches)
    if frames is None:
        return
    out = arrow.sessions_from_frames(
        frames, version, policy=policy, timezone=timezone, presorted=presorted
    )
    yield from pa.RecordBatchReader.from_stream(out)


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
