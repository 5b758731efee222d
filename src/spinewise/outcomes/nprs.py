"""Numeric Pain Rating Scale (NPRS), 0–10.

One integer from 0 ("no pain") to 10 ("worst pain imaginable"). The scale is generic
and in the public domain; our own wording is shipped in ``definitions/nprs.json``.

Bands follow the cut-points of Serlin et al. 1995 (Pain 61(2):277–284): 0 none,
1–4 mild, 5–6 moderate, 7–10 severe. They were derived in cancer pain; in chronic
musculoskeletal pain the best cut-points vary between patients (Boonstra et al. 2016,
Front Psychol 7:1466), so bands are a summary for display, never a decision rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from spinewise.outcomes._checks import require_int, require_items

#: (upper bound inclusive, band id) — Serlin et al. 1995.
NPRS_BANDS: tuple[tuple[int, str], ...] = (
    (0, "none"),
    (4, "mild"),
    (6, "moderate"),
    (10, "severe"),
)


@dataclass(frozen=True)
class NprsScore:
    """A pain rating: ``score`` 0–10 and its band."""

    instrument: ClassVar[str] = "nprs"
    score: int
    band: str

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "score": self.score, "band": self.band}


def nprs_band(score: int) -> str:
    """Band id (none, mild, moderate, severe) for a 0–10 rating (Serlin et al. 1995)."""
    value = require_int(score, field="score", low=0, high=10)
    for upper, band in NPRS_BANDS:
        if value <= upper:
            return band
    raise AssertionError("unreachable: the last band ends at 10")


def score_nprs(answers: Sequence[int]) -> NprsScore:
    """Score a one-item NPRS answer given as ``[rating]`` with rating an integer 0–10."""
    (value,) = require_items(answers, field="answers", count=1)
    rating = require_int(value, field="rating", low=0, high=10)
    return NprsScore(score=rating, band=nprs_band(rating))
