"""Patient-Specific Functional Scale (PSFS).

The patient names up to five activities that their back problem makes hard and rates
each from 0 ("unable to do it") to 10 ("able to do it as well as before the problem");
the score is the mean rating, 0–10, **higher = better function** (Stratford et al. 1995,
Physiotherapy Canada 47(4):258–263). The same activities are re-rated at follow-up, so
scores are only compared for the same list of activities.

The minimal important change used in :mod:`spinewise.outcomes.change` is 2.3 points
(Abbott & Schmitt 2014, JOSPT 44(8):560–564, "medium" patient-perceived change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from spinewise.core.errors import InvalidInput
from spinewise.outcomes._checks import require_int

PSFS_MAX_ACTIVITIES = 5


@dataclass(frozen=True)
class PsfsActivity:
    activity: str
    rating: int  # 0 = unable, 10 = as before the problem


@dataclass(frozen=True)
class PsfsScore:
    """Mean activity rating 0–10 (higher = better) and the rated activities."""

    instrument: ClassVar[str] = "psfs"
    score: float
    activities: tuple[PsfsActivity, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": round(self.score, 1),
            "activities": [{"activity": a.activity, "rating": a.rating} for a in self.activities],
        }


def score_psfs(answers: Sequence[Mapping[str, Any]]) -> PsfsScore:
    """Score a PSFS form.

    Args:
        answers: one to five objects ``{"activity": str, "rating": int 0–10}``; activity
            names must be non-empty and distinct (case-insensitive).

    Raises:
        InvalidInput: no activity, more than five, a blank or repeated name, or a rating
            outside 0–10.
    """
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidInput("answers", "expected a JSON array of activities")
    if not 1 <= len(answers) <= PSFS_MAX_ACTIVITIES:
        raise InvalidInput(
            "answers", f"expected 1–{PSFS_MAX_ACTIVITIES} activities, got {len(answers)}"
        )
    activities: list[PsfsActivity] = []
    seen: set[str] = set()
    for i, item in enumerate(answers, start=1):
        if not isinstance(item, Mapping):
            raise InvalidInput(f"activity {i}", 'expected {"activity": ..., "rating": ...}')
        name = item.get("activity")
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(f"activity {i}", "the activity needs a name")
        key = " ".join(name.lower().split())
        if key in seen:
            raise InvalidInput(f"activity {i}", f"{name!r} is listed twice")
        seen.add(key)
        rating = require_int(item.get("rating"), field=f"activity {i} rating", low=0, high=10)
        activities.append(PsfsActivity(activity=name.strip(), rating=rating))
    score = sum(a.rating for a in activities) / len(activities)
    return PsfsScore(score=score, activities=tuple(activities))
