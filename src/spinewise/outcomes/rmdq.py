"""Roland-Morris Disability Questionnaire, 24-item version (RMDQ-24).

Twenty-four statements about activities a person finds hard "today" because of back
pain; the score is the number of statements the patient marks as applying to them,
0–24, higher = more disability (Roland & Morris 1983, Spine 8(2):141–144; Roland &
Fairbank 2000, Spine 25(24):3115–3124). An unmarked statement counts as "does not
apply", so there is no missing-item rule.

No interpretation bands are published for routine use; change over time is read with
the minimal important change in :mod:`spinewise.outcomes.change`.

The statements are copyrighted (licensed through Mapi Research Trust / ePROVIDE) and
are not shipped: see ``docs/outcomes.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from spinewise.outcomes._checks import require_bool, require_items

RMDQ_ITEMS = 24


@dataclass(frozen=True)
class RmdqScore:
    """A scored RMDQ-24 form: ``score`` = statements that apply, 0–24."""

    instrument: ClassVar[str] = "rmdq"
    score: int

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "score": self.score, "max": RMDQ_ITEMS}


def score_rmdq(answers: Sequence[bool]) -> RmdqScore:
    """Score an RMDQ-24 form.

    Args:
        answers: 24 booleans in questionnaire order, ``True`` = "this applies to me today".

    Raises:
        InvalidInput: not exactly 24 items, or an item that is not a boolean.
    """
    items = require_items(answers, field="answers", count=RMDQ_ITEMS)
    ticks = [require_bool(v, field=f"item {i}") for i, v in enumerate(items, start=1)]
    return RmdqScore(score=sum(ticks))
