"""Minimal important change (MIC) and the classification of a change between two scores.

Thresholds (improvement), from the international consensus of Ostelo et al. 2008,
Spine 33(1):90–94, "Interpreting change scores for pain and functional status in low
back pain":

===========  ==================  ==============================
instrument   absolute            relative to the baseline score
===========  ==================  ==============================
ODI (0–100)  ≥ 10 points         ≥ 30 %
RMDQ (0–24)  ≥ 5 points          ≥ 30 %
NPRS (0–10)  ≥ 2 points          ≥ 30 %
PSFS (0–10)  ≥ 2.3 points        — (Abbott & Schmitt 2014, JOSPT 44(8):560–564)
===========  ==================  ==============================

A change is **improved** when it reaches the absolute *or* the relative threshold in the
better direction (Ostelo et al. propose both, the relative one reducing the dependence
on the baseline score).

**Worsened** uses the absolute threshold only. Ostelo et al. give thresholds for
improvement; applying "30 % of baseline" to deterioration would flag, for example, a
pain rating going from 1 to 2 (+100 %), a change smaller than the scale's measurement
error. This asymmetry is our choice and is stated in ``docs/outcomes.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from spinewise.core.errors import InvalidInput

ChangeClass = Literal["improved", "worsened", "unchanged"]

# Float scores (ODI with a missing section, PSFS means) are compared with a tolerance so
# that, e.g., an improvement of exactly 10 points is not lost to rounding.
_EPS = 1e-9


@dataclass(frozen=True)
class MinimalImportantChange:
    """MIC of one instrument.

    Attributes:
        points: absolute change that matters, in the instrument's units.
        percent: relative improvement that matters, % of the baseline (None: not used).
        better: which direction is better for the patient ("lower" or "higher").
        scale_max: top of the scale (for range checks).
        source: citation.
    """

    points: float
    percent: float | None
    better: Literal["lower", "higher"]
    scale_max: float
    source: str


MIC: dict[str, MinimalImportantChange] = {
    "odi": MinimalImportantChange(10, 30, "lower", 100, "Ostelo et al. 2008, Spine 33(1):90-94"),
    "rmdq": MinimalImportantChange(5, 30, "lower", 24, "Ostelo et al. 2008, Spine 33(1):90-94"),
    "nprs": MinimalImportantChange(2, 30, "lower", 10, "Ostelo et al. 2008, Spine 33(1):90-94"),
    "psfs": MinimalImportantChange(
        2.3, None, "higher", 10, "Abbott & Schmitt 2014, JOSPT 44(8):560-564"
    ),
}


@dataclass(frozen=True)
class ChangeAssessment:
    """How a score moved between two occasions.

    Attributes:
        improvement: change in the better direction, in points (negative = worse).
        improvement_pct: ``improvement`` as % of the baseline score, or None when the
            instrument has no relative threshold or the baseline is 0.
        meets_points / meets_percent: which threshold the change reached.
    """

    instrument: str
    before: float
    after: float
    improvement: float
    improvement_pct: float | None
    meets_points: bool
    meets_percent: bool
    classification: ChangeClass

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "before": self.before,
            "after": self.after,
            "improvement": round(self.improvement, 2),
            "improvement_pct": None
            if self.improvement_pct is None
            else round(self.improvement_pct, 1),
            "classification": self.classification,
        }


def mic_for(instrument: str) -> MinimalImportantChange:
    try:
        return MIC[instrument]
    except KeyError:
        known = ", ".join(sorted(MIC))
        raise InvalidInput(
            "instrument", f"no minimal important change for {instrument!r} (known: {known})"
        ) from None


def classify_change(instrument: str, before: float, after: float) -> ChangeAssessment:
    """Classify the change from ``before`` (baseline) to ``after`` for an instrument.

    Example (ODI, lower is better): 42 → 30 is an improvement of 12 points, ≥ 10, so
    "improved"; 20 → 14 is only 6 points but 30 % of the baseline, so also "improved";
    30 → 39 is 9 points worse, under 10, so "unchanged".
    """
    mic = mic_for(instrument)
    for name, value in (("before", before), ("after", after)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(name, f"expected a number, got {value!r}")
        if not 0 <= value <= mic.scale_max:
            raise InvalidInput(name, f"{value} is outside 0–{mic.scale_max:g}")
    improvement = (before - after) if mic.better == "lower" else (after - before)
    meets_points = improvement >= mic.points - _EPS
    improvement_pct: float | None = None
    meets_percent = False
    if mic.percent is not None and before > 0:
        improvement_pct = improvement / before * 100.0
        meets_percent = improvement > 0 and improvement_pct >= mic.percent - _EPS
    classification: ChangeClass
    if meets_points or meets_percent:
        classification = "improved"
    elif -improvement >= mic.points - _EPS:
        classification = "worsened"
    else:
        classification = "unchanged"
    return ChangeAssessment(
        instrument=instrument,
        before=before,
        after=after,
        improvement=improvement,
        improvement_pct=improvement_pct,
        meets_points=meets_points,
        meets_percent=meets_percent,
        classification=classification,
    )
