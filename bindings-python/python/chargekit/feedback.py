"""Driver feedback: station / location scores (recency-weighted Bayesian, telemetry blend,
display threshold, lower-bound ranking), problem mix and the problems that need action.

- ``score(feedback, telemetry=None, *, options=None)`` → ``ScoreReport`` with ``scores``,
  ``ranking`` (``ranked``, ``exceptional``, ``failing``), ``actions`` and ``refused``
- ``score_one(id, feedback, telemetry=None, *, options=None)`` → one ``Score``
- ``screen(feedback, telemetry=None, *, policy=None)`` → ``Screening``: the anti-abuse rules
  alone, with ``accepted`` feedback and the ``refused`` items, each with its ``refusal``
  (``rule``: ``cooldown``, ``too_far``, ``no_presence_evidence``, ``new_author_rate_limited``,
  ``session_unknown``, ``session_not_owned``, ``session_out_of_window``,
  ``session_elsewhere``) and ``message``

Scores screen the feedback first (``options={"intake": "screen"}``, the default) with the
rules of ``options["abuse"]`` (``max_distance_m`` 100, ``cooldown_s`` 3600,
``new_author_period_s``, ``new_author_daily_limit`` 3, ``verify_window_s``,
``require_session_owner``): unverified feedback must state a ``distance_m`` within the limit,
one item per author and location per hour counts, new authors are rate limited, and a
``{"claimed": id}`` session link found in ``telemetry`` is checked (then verified, exempt from
the distance rule). ``{"intake": "already_screened"}`` counts every item as given.

``feedback`` is a list of dicts of the core's ``Feedback`` fields (``id``, ``created_at``
(aware datetime), ``author_id``, ``location_id``, ``outcome`` (``"success"``,
``"partial_success"``, ``"failure"``, ``"neutral"``), optional ``session``
(``{"verified": "S-1"}`` / ``{"claimed": "S-1"}``), ``evse_id``, ``problem``, ``stars``, …).
``telemetry`` are sessions as for ``chargekit.analytics``. ``options`` is a dict of the
core's ``ScoreOptions`` fields (``half_life_days``, ``neutral``, ``unverified``, ``level``,
…). A score's ``display_score`` (0–10) is None until there is enough data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, List, Mapping, Optional

from . import _chargekit
from ._records import Record, record

__all__ = ["score", "score_one", "screen", "ScoreReport", "Screening", "Record"]


@record(module="chargekit.feedback")
class ScoreReport(Record):
    """Scores, the ranking and the action items."""

    as_of: Optional[datetime]
    scores: List[Record]
    ranking: Record
    actions: List[Record]
    refused: List[Record]

    __slots__ = ()


@record(module="chargekit.feedback")
class Screening(Record):
    """The anti-abuse screening of a batch: ``accepted`` feedback (input order; a checked
    session link becomes ``{"verified": id}``) and ``refused`` items (``feedback_id``,
    ``author_id``, ``location_id``, ``refusal`` with its ``rule``, ``message``)."""

    accepted: List[Record]
    refused: List[Record]

    __slots__ = ()


def score(
    feedback: Iterable[Mapping[str, Any]],
    telemetry: Optional[Iterable[Any]] = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
) -> ScoreReport:
    """Scores every location (or station, ``options={"level": "station"}``)."""
    return _chargekit.score(feedback, telemetry, options=options)


def score_one(
    id: str,
    feedback: Iterable[Mapping[str, Any]],
    telemetry: Optional[Iterable[Any]] = None,
    *,
    options: Optional[Mapping[str, Any]] = None,
) -> Record:
    """The score of one location (or station) from the feedback and telemetry given."""
    return _chargekit.score(feedback, telemetry, options=options, id=id)


def screen(
    feedback: Iterable[Mapping[str, Any]],
    telemetry: Optional[Iterable[Any]] = None,
    *,
    policy: Optional[Mapping[str, Any]] = None,
) -> Screening:
    """Screens feedback with the anti-abuse rules (``policy``: a dict of ``AbusePolicy``
    fields, None: the defaults), as ``score`` does before it counts anything."""
    options = None if policy is None else {"abuse": dict(policy)}
    return _chargekit.score(feedback, telemetry, options=options, screen_only=True)
