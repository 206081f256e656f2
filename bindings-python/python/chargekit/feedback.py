"""Driver feedback: station / location scores (recency-weighted Bayesian, telemetry blend,
display threshold, lower-bound ranking), problem mix and the problems that need action.

- ``score(feedback, telemetry=None, *, options=None)`` → ``ScoreReport`` with ``scores``,
  ``ranking`` (``ranked``, ``exceptional``, ``failing``) and ``actions``
- ``score_one(id, feedback, telemetry=None, *, options=None)`` → one ``Score``

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

__all__ = ["score", "score_one", "ScoreReport", "Record"]


@record(module="chargekit.feedback")
class ScoreReport(Record):
    """Scores, the ranking and the action items."""

    as_of: Optional[datetime]
    scores: List[Record]
    ranking: Record
    actions: List[Record]

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
    return _chargekit.score_one(id, feedback, telemetry, options=options)
