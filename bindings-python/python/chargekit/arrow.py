"""Arrow tables in and out: OCPP frames, sessions, session records and site summaries as
Arrow record batches (schemas and exactness rules: ``docs/arrow.md``).

Inputs are any object with ``__arrow_c_stream__`` or ``__arrow_c_array__`` (the Arrow
PyCapsule interface): a pyarrow ``Table``/``RecordBatch``/``RecordBatchReader``, a polars
``DataFrame``, a DuckDB relation, an arro3 table. Results are Arrow streams
(``__arrow_c_stream__``): read one once, e.g. with ``pyarrow.table(result)`` or
``polars.from_arrow(result)``. pyarrow is not needed at run time. The GIL is released
while the core works.

Sessions and priced sessions stream: a station's batch is made when the reader asks for
it, so with ``presorted=True`` only one station's frames and sessions are held at a time.
The first batch is made by the call itself, so a wrong schema or a bad first station
raises chargekit's typed error there; an error further down the input reaches the reader
as its Arrow error (pyarrow: ``ArrowException``) carrying chargekit's sentence.

- ``sessions_from_frames(frames, version=None, *, policy=None, timezone=None,
  presorted=False)`` → sessions, one batch per station. ``frames`` has the columns
  ``station_id`` (utf8), ``received_at`` (timestamp with a zone, nullable) and ``frame``
  (the OCPP-J text of one frame). Within a station, frames are taken in ``received_at``
  order when all have one, else in row order. ``presorted=True`` promises rows ordered by
  station, so that only one station is held at a time.
- ``price_sessions(frames, tariffs, timezone, *, version=None, policy=None,
  pricing_policy=None, presorted=False)`` → priced sessions (totals with and without VAT,
  dimension costs, energy; or the error of a session that cannot be priced), one batch per
  station.
- ``session_records(sessions)`` → the session-record table of ``SessionBatch``, dicts,
  ``Session`` objects or an Arrow table.
- ``summarize(sessions, tz=None, *, options=None, shards=None, by_site=False)`` → a
  one-row table (with ``by_site``, one row per site): the counts and times of
  ``chargekit.analytics.summarize`` as columns and the whole summary as exact JSON in
  ``summary``.

Decimal columns written are ``decimal128(38, 6)``: a value needing more places is an
``ArrowValueError``, never rounded. Timestamps written are ``timestamp[us, UTC]``; a naive
timestamp column is refused (``ArrowSchemaError``), and so is a float column.

>>> import pyarrow as pa
>>> from chargekit import arrow
>>> sessions = pa.table(arrow.sessions_from_frames(frames_table))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from . import _chargekit

__all__ = ["sessions_from_frames", "price_sessions", "session_records", "summarize"]


def sessions_from_frames(
    frames: Any,
    version: Optional[str] = None,
    *,
    policy: Any = None,
    timezone: Any = None,
    presorted: bool = False,
) -> Any:
    """Sessions from an Arrow table of OCPP frames, as an Arrow stream (one batch per
    station, in ``station_id`` order unless ``presorted``). ``timezone`` (IANA name or
    ``ZoneInfo``) fills the sessions' ``timezone`` column."""
    return _chargekit.sessions_from_frames(
        frames, version, policy=policy, timezone=timezone, presorted=presorted
    )


def price_sessions(
    frames: Any,
    tariffs: Any,
    timezone: Any,
    *,
    version: Optional[str] = None,
    policy: Any = None,
    pricing_policy: Any = None,
    presorted: bool = False,
) -> Any:
    """Each session of the frames priced by ``tariffs`` (as for ``chargekit.ocpi.price_cdr``)
    for a site in ``timezone``, as an Arrow stream of priced sessions, one batch per station.
    Pricing reads each session's meter curve, which a sessions table does not carry, so it
    starts from the frames. A session that cannot be priced keeps its row with null amounts
    and its ``error_kind`` / ``error``; ``pricing_policy`` is a ``PricingPolicy`` name or dict."""
    return _chargekit.price_sessions(
        frames, tariffs, timezone, version=version, policy=policy,
        pricing_policy=pricing_policy, presorted=presorted,
    )


def session_records(sessions: Any) -> Any:
    """The session-record table (the input of ``summarize``) of any sessions argument."""
    return _chargekit.arrow_session_records(sessions)


def summarize(
    sessions: Any,
    tz: Any = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
    shards: Optional[int] = None,
    by_site: bool = False,
) -> Any:
    """The site summary of the sessions as a one-row Arrow stream (``summary`` holds the
    whole summary as JSON with exact decimals). An Arrow table is read straight from its
    columns; ``shards`` > 1 reads and summarises it in that many threads (same result).
    With ``by_site``, one row per site (the ``sites`` of
    ``chargekit.analytics.summarize_fleet``), in ``site_id`` order."""
    return _chargekit.arrow_summarize(sessions, tz, options=options, shards=shards, by_site=by_site)
