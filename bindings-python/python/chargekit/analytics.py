"""Behaviour analytics for a site: utilisation, capacity factor, occupancy heatmaps by hour
of week, arrivals, peak hours, congestion, overstays, demand and an off-peak shift estimate,
in the site's local time zone.

- ``summarize(sessions, tz=None, *, options=None, shards=None)`` → ``SiteSummary``
- ``analyse_sessions(sessions, tz=None, *, options=None)`` → per-session derived fields
  (``dwell_s``, ``idle_s``, ``overstay_s``, ``success``, …) and validation ``flags``
- ``generate_sessions(config=None, *, batch=False)`` → the core's seeded synthetic
  sessions (dicts in the form ``summarize`` reads, or a ``SessionBatch``) and the summary
  options of the generated site
- ``SessionBatch(sessions)`` → the sessions converted once and kept on the Rust side:
  ``summarize``, ``analyse_sessions``, ``behaviour_patterns`` and ``DepartureForecaster``
  accept it in place of ``sessions`` and skip the
  conversion (the counterpart of building a DataFrame once)
- ``SummaryPartial(tz=None, *, options=None)`` → mergeable summary state for work split
  across processes: ``add(sessions)`` where the sessions are, ``to_bytes()`` /
  ``SummaryPartial.from_bytes(data)`` (versioned and checksummed; pickling uses them) to
  move it, ``merge(other)`` where the parts meet, ``finish()`` → the ``SiteSummary`` that
  ``summarize`` gives for all the sessions. ``fingerprint`` names the options: partials
  made under other options refuse to merge (``IncompatibleAccumulatorsError``); the options
  must name the ``period``; ``SummaryPartial.merge_many(parts)`` → a new partial of all
- ``summarize_fleet(sessions, tz=None, *, options=None)`` → ``FleetReport``: ``sites``, the
  ``SiteSummary`` of each site (sessions grouped by ``site_id``; those without one form the
  unnamed site, listed first), and ``fleet``, the ``FleetSummary`` of what adds up across
  them (counts, energy, means, port time, hour-of-week arrivals and energy, demand, off-peak
  shift; medians and occupancy heatmaps are per site)
- ``FleetPartial(tz=None, *, options=None)`` → the fleet in parts of a fixed size (a few
  kilobytes, however many sessions and sites): ``add(sessions)`` with whole sites where they
  are (returns their ``SiteSummary`` list), then the methods of ``SummaryPartial``;
  ``finish()`` → the ``FleetSummary`` of ``summarize_fleet``
- ``behaviour_patterns(sessions, tz=None, *, options=None, patterns=None)`` → per-user
  habits (typical arrival/departure hour, dwell quartiles, energy per visit, overstay share,
  home site) and AC/DC segments with dwell classes
- ``DepartureForecaster(sessions, tz=None, *, options=None, patterns=None)`` with
  ``.forecast(arrival, user_id=None)``: the expected departure (``DepartureForecast``: the
  user's median dwell, else the site's for that local hour of the week, else the site's
  overall median)

``sessions`` are Arrow tables (anything with ``__arrow_c_stream__``: see ``chargekit.arrow``),
``chargekit.Session`` objects (assembled from OCPP) or dicts of the core's
``SessionRecord`` fields (``session_id``, ``station_id``, ``port_id``, ``plug_in``,
``plug_out`` as aware datetimes, ``energy`` in Wh as ``Decimal``/``int``, optional
``user_id``, ``charging_s``, ``charge_start``, ``charge_end``, ``ended_by``, …). ``tz`` is
an IANA name or a ``ZoneInfo`` (it wins over the options' ``tz``; an unknown zone is
``UnknownTimezoneError``); ``options`` a dict of the core's ``SummaryOptions`` fields
(``period``, ``ports``, ``availability``, ``overstay_grace_s``, ``tou``, …). Quantities are
``Decimal``; floats are refused.

Heatmaps are 7 × 24 nested lists, Monday first, hours 0–23 local time.
``SiteSummary.to_pandas()`` gives DataFrames when pandas is installed,
``SiteSummary.to_html()`` the site report (one self-contained HTML page), and
``SiteSummary.plot_heatmap()`` a matplotlib chart (``pip install chargekit[plot]``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _chargekit
from ._errors import BY_KIND
from ._records import Record, record

__all__ = [
    "summarize",
    "analyse_sessions",
    "generate_sessions",
    "behaviour_patterns",
    "DepartureForecaster",
    "SessionBatch",
    "SummaryPartial",
    "SiteSummary",
    "summarize_fleet",
    "FleetPartial",
    "FleetSummary",
    "FleetReport",
    "Record",
    "WEEKDAYS",
]

_MODULE = "chargekit.analytics"

SessionBatch = _chargekit.SessionBatch
DepartureForecaster = _chargekit.DepartureForecaster
SummaryPartial = _chargekit.SummaryPartial
FleetPartial = _chargekit.FleetPartial

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@record(module=_MODULE)
class SiteSummary(Record):
    """The metrics of one site over a period (see the module text)."""

    site_id: Optional[str]
    tz: str
    period: Record
    counts: Record
    flags: List[Record]
    energy: Record
    durations: Record
    time: Record
    utilisation: Record
    ports: List[Record]
    stations: List[Record]
    heatmaps: Record
    peak_hours: List[Record]
    overstay: Record
    demand: Record
    off_peak: Record

    __slots__ = ()

    def to_pandas(self) -> Dict[str, Any]:
        """DataFrames (pandas must be installed): ``ports``, ``stations``, ``flags``,
        ``peak_hours``, ``repeat_overstayers``, and one 7 × 24 frame per heatmap named
        ``heatmap_<name>`` (index: weekday, columns: local hour). Quantities stay
        ``Decimal`` (object columns)."""
        try:
            import pandas as pd  # type: ignore[import-untyped]
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("SiteSummary.to_pandas() needs pandas (pip install pandas)") from e
        data = self.to_dict()
        frames: Dict[str, Any] = {
            "ports": pd.DataFrame(data["ports"]),
            "stations": pd.DataFrame(data["stations"]),
            "flags": pd.DataFrame(data["flags"], columns=["flag", "severity", "count"]),
            "peak_hours": pd.DataFrame(data["peak_hours"], columns=["weekday", "hour", "occupancy", "arrivals"]),
            "repeat_overstayers": pd.DataFrame(
                data["overstay"]["repeat_overstayers"],
                columns=["user_id", "sessions", "overstays", "share", "overstay_s"],
            ),
        }
        for name, rows in data["heatmaps"].items():
            frames[f"heatmap_{name}"] = pd.DataFrame(rows, index=list(WEEKDAYS), columns=list(range(24)))
        return frames

    def to_html(
        self, title: Optional[str] = None, *, scores: Any = None, sessions: Optional[Iterable[Any]] = None
    ) -> str:
        """The site report: one self-contained HTML page (inline SVG and CSS, no script,
        nothing fetched) with the heatmaps, utilisation per hour and port, peak hours,
        overstay and the off-peak shift. ``scores`` (a ``feedback.score`` report, whose
        refused feedback it counts, or its ``scores``) adds reliability; ``sessions`` (``chargekit.Session`` objects) adds the
        anomalies found in their meter data. ``title`` defaults to the site id."""
        report: Dict[str, Any] = {"summary": self.to_dict(), "title": title}
        if isinstance(scores, Record) and "scores" in scores:
            report["refused"] = [r.to_dict() for r in scores["refused"]]
            scores = scores["scores"]
        if scores is not None:
            report["scores"] = [s.to_dict() if isinstance(s, Record) else s for s in scores]
        return _chargekit.site_report_html(report, None if sessions is None else list(sessions))

    def plot_heatmap(self, name: str = "occupancy", ax: Any = None) -> Any:
        """Draws one hour-of-week heatmap (``occupancy``, ``congestion``, ``arrivals``,
        ``departures``, ``arrival_rate``, ``energy_kwh`` or ``available_h``) with matplotlib
        (``pip install chargekit[plot]``) on ``ax`` (a new figure when None); returns the
        Axes. The values become floats for drawing only."""
        if name not in self.heatmaps:
            reason = f"no heatmap {name!r}; one of {sorted(self.heatmaps)}"
            raise BY_KIND["invalid_analytics_options"](f"options: field `name`: {reason}", field="name", reason=reason)
        try:
            import matplotlib.pyplot as plt  # type: ignore[import-not-found]
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("SiteSummary.plot_heatmap() needs matplotlib (pip install chargekit[plot])") from e
        if ax is None:
            ax = plt.subplots(figsize=(10, 3.2))[1]
        shares = name in ("occupancy", "congestion")
        rows = [[float(v) for v in row] for row in self.heatmaps[name]]
        image = ax.imshow(rows, aspect="auto", cmap="Blues", vmin=0, vmax=1 if shares else None)
        ax.set_yticks(range(7), list(WEEKDAYS))
        ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
        ax.set_xlabel(f"local hour ({self.tz})")
        ax.set_title(f"{self.site_id or 'site'}: {name.replace('_', ' ')} by hour of week")
        ax.figure.colorbar(image, ax=ax)
        return ax


@record(module=_MODULE)
class BehaviourPatterns(Record):
    """Per-user patterns (``users``) and AC/DC segments (``segments``): see
    ``behaviour_patterns``."""

    users: List[Record]
    segments: List[Record]

    __slots__ = ()


@record(module=_MODULE)
class DepartureForecast(Record):
    """An expected departure: ``departure`` (aware UTC ``datetime``), ``dwell_s``, ``basis``
    (``"user"``, ``"site_hour_of_week"`` or ``"site"``) and ``sessions`` behind it."""

    departure: datetime
    dwell_s: int
    basis: str
    sessions: int

    __slots__ = ()


def summarize(
    sessions: Union[SessionBatch, Iterable[Any]],
    tz: Any = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
    shards: Optional[int] = None,
) -> SiteSummary:
    """Summarises the sessions of one site over the options' period (else the local days the
    sessions span). ``shards`` > 1 summarises in parallel threads (same result)."""
    return _chargekit.summarize(sessions, tz, options=options, shards=shards)


@record(module=_MODULE)
class FleetSummary(Record):
    """What adds up across the sites of a fleet (see the module text)."""

    tz: str
    period: Record
    sites: int
    stations: int
    ports: int
    counts: Record
    flags: List[Record]
    energy: Record
    durations: Record
    time: Record
    heatmaps: Record
    demand: Record
    off_peak: Record

    __slots__ = ()


@record(module=_MODULE)
class FleetReport(Record):
    """A fleet's ``FleetSummary`` (``fleet``) and each site's ``SiteSummary`` (``sites``)."""

    fleet: FleetSummary
    sites: List[SiteSummary]

    __slots__ = ()


def summarize_fleet(
    sessions: Union[SessionBatch, Iterable[Any]],
    tz: Any = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
) -> FleetReport:
    """Summarises each site of the sessions (grouped by ``site_id``) over one period (the
    options', else the local days the sessions span) and the fleet they make up."""
    return _chargekit.summarize_fleet(sessions, tz, options=options)


def analyse_sessions(
    sessions: Union[SessionBatch, Iterable[Any]],
    tz: Any = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
) -> List[Record]:
    """Derived fields and validation flags per session, in input order."""
    return _chargekit.analyse_sessions(sessions, tz, options=options)


def generate_sessions(
    config: Optional[Mapping[str, Any]] = None, *, batch: bool = False
) -> Tuple[Union[List[Dict[str, Any]], SessionBatch], Dict[str, Any]]:
    """The core's seeded synthetic sessions (realistic daily arrival and dwell patterns) for
    tests, benchmarks and demos, and the summary options of the generated site.

    ``config`` is a dict of the core's ``GeneratorConfig`` fields (``seed``, ``tz``,
    ``start``, ``days``, ``profile`` — ``"workplace"``, ``"public"`` or ``"fast"`` —,
    ``stations``, ``ports_per_station``, ``rated_power`` in W, ``arrivals_per_port_day``,
    ``users``, ``overstayer_share``, ``failure_rate``; quantities as ``Decimal``/``int``),
    None for the defaults. The same config gives the same sessions on every platform.
    Returns ``(sessions, options)``: session dicts as ``summarize`` reads them (aware UTC
    datetimes, energy in Wh and power in W as ``Decimal``; absent fields left out), and the
    core's ``SummaryOptions`` as a dict with the site's time zone, period and ports (aware
    datetimes, ``Decimal`` quantities), ready for ``summarize(sessions, options=options)``.
    With ``batch=True`` the sessions are a ``SessionBatch`` (no dicts are built)."""
    return _chargekit.generate_sessions(config, batch=batch)


def behaviour_patterns(
    sessions: Iterable[Any],
    tz: Any = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
    patterns: Optional[Mapping[str, Any]] = None,
) -> BehaviourPatterns:
    """Per-user patterns and AC/DC segments (docs/analytics-and-feedback.md §3) under the
    same ``options`` as ``summarize``. ``patterns`` is a dict of the core's ``PatternOptions`` fields
    (``min_user_sessions``, ``min_bucket_sessions``, ``dc_min_power`` in W).

    The result has ``users`` (most sessions first: ``user_id``, ``sessions``,
    ``arrival_hour``, ``departure_hour``, ``dwell`` with ``min_s``/``p25_s``/``median_s``/
    ``p75_s``/``max_s``/``mean_s``, ``mean_energy_kwh``, ``overstay_share``, ``home_site``,
    ``home_share``, ``trusted``) and ``segments`` (``segment`` ``"ac"``/``"dc"``/
    ``"unknown"``, ``sessions``, ``dwell``, ``mean_energy_kwh``, ``classes``: sessions per
    dwell class name)."""
    return _chargekit.behaviour_patterns(sessions, tz, options=options, patterns=patterns)
