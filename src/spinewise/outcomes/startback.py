"""Keele STarT Back Screening Tool (SBST), 9-item version: scoring and risk group.

Hill et al. 2008, Arthritis Rheum 59(5):632–641; scoring as published by Keele
University ("Using and scoring the Keele STarT Back Screening Tool"):

- items 1–8 are agree (1) / disagree (0);
- item 9 (bothersomeness) is answered on five levels 0–4 (not at all, slightly,
  moderately, very much, extremely); only "very much" (3) and "extremely" (4) count 1;
- **total** = sum of the nine item points, 0–9;
- **psychosocial (distress) subscale** = items 5–9 (fear, anxiety, catastrophising,
  low mood, bothersomeness), 0–5;
- risk group: total ≤ 3 → low; total ≥ 4 and psychosocial ≤ 3 → medium;
  psychosocial ≥ 4 → high (a psychosocial score ≥ 4 implies total ≥ 4).

The tool is © Keele University; see ``docs/outcomes.md`` for the licence status and the
copyright notice that must accompany its wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from spinewise.core.errors import InvalidInput
from spinewise.outcomes._checks import require_int, require_items

Risk = Literal["low", "medium", "high"]

STARTBACK_ITEMS = 9
#: 1-based item numbers of the psychosocial (distress) subscale (Hill et al. 2008).
PSYCHOSOCIAL_ITEMS: tuple[int, ...] = (5, 6, 7, 8, 9)
#: Item 9 levels that count as a positive answer: "very much" (3), "extremely" (4).
BOTHERSOME_POSITIVE_FROM = 3
#: Cut-points (Hill et al. 2008): total ≤ 3 low; psychosocial ≥ 4 high.
LOW_RISK_MAX_TOTAL = 3
HIGH_RISK_MIN_PSYCHOSOCIAL = 4


@dataclass(frozen=True)
class StartBackScore:
    """A scored STarT Back form (``score`` equals ``total``)."""

    instrument: ClassVar[str] = "startback"
    total: int
    psychosocial: int
    risk: Risk

    @property
    def score(self) -> int:
        return self.total

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": self.total,
            "total": self.total,
            "psychosocial": self.psychosocial,
            "risk": self.risk,
        }


def startback_risk(total: int, psychosocial: int) -> Risk:
    """Risk group from the two STarT Back scores (Hill et al. 2008)."""
    total = require_int(total, field="total", low=0, high=9)
    psychosocial = require_int(psychosocial, field="psychosocial", low=0, high=5)
    if psychosocial > total or total - psychosocial > 4:
        raise InvalidInput("psychosocial", "inconsistent with total: items 1–4 add 0–4 points")
    if total <= LOW_RISK_MAX_TOTAL:
        return "low"
    if psychosocial >= HIGH_RISK_MIN_PSYCHOSOCIAL:
        return "high"
    return "medium"


def score_startback(answers: Sequence[int]) -> StartBackScore:
    """Score a 9-item STarT Back form.

    Args:
        answers: nine integers in questionnaire order; items 1–8 are 0 (disagree) or
            1 (agree), item 9 is 0–4 (not at all … extremely).

    Raises:
        InvalidInput: not nine items, or an item outside its range.
    """
    items = require_items(answers, field="answers", count=STARTBACK_ITEMS)
    points = [require_int(v, field=f"item {i}", low=0, high=1) for i, v in enumerate(items[:8], 1)]
    bother = require_int(items[8], field="item 9", low=0, high=4)
    points.append(1 if bother >= BOTHERSOME_POSITIVE_FROM else 0)
    total = sum(points)
    psychosocial = sum(points[i - 1] for i in PSYCHOSOCIAL_ITEMS)
    return StartBackScore(
        total=total, psychosocial=psychosocial, risk=startback_risk(total, psychosocial)
    )
