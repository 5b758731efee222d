"""Plain-language progress sentences for patients, from a series of scores.

The sentence compares the **latest** score with the **first** (baseline) score using
:func:`spinewise.outcomes.change.classify_change`, so "a change that matters" always
means the minimal important change of Ostelo et al. 2008 (PSFS: Abbott & Schmitt 2014).
Wording aims at a reading age of about 11: short sentences, no jargon, no blame.
Worsening is reported honestly with a prompt to tell the physiotherapist; this text
never gives clinical advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.change import ChangeAssessment, ChangeClass, classify_change, mic_for

#: What the patient knows each score as, and its unit word.
PLAIN_NAMES: dict[str, tuple[str, str]] = {
    "odi": ("disability score", "point"),
    "rmdq": ("disability score", "point"),
    "nprs": ("pain score", "point"),
    "psfs": ("activity score", "point"),
}


@dataclass(frozen=True)
class ProgressMessage:
    instrument: str
    classification: ChangeClass | None  # None with a single score (nothing to compare)
    sentence: str
    baseline: float
    latest: float
    change: ChangeAssessment | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "classification": self.classification,
            "sentence": self.sentence,
            "baseline": self.baseline,
            "latest": self.latest,
        }


def _num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _points(value: float, unit: str) -> str:
    text = _num(abs(value))
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def describe_progress(instrument: str, series: Sequence[tuple[dt.date, float]]) -> ProgressMessage:
    """One plain-language sentence about the change from the first to the latest score.

    Args:
        instrument: ``odi``, ``rmdq``, ``nprs`` or ``psfs``.
        series: ``(date, score)`` pairs in any order; dates must be distinct.

    Example: ODI 42 then 30 → "Your disability score improved by 12 points, from 42 to
    30 — a change that matters."
    """
    if instrument not in PLAIN_NAMES:
        raise InvalidInput("instrument", f"no progress wording for {instrument!r}")
    if not series:
        raise InvalidInput("series", "needs at least one score")
    ordered = sorted(series, key=lambda pair: pair[0])
    if len({d for d, _ in ordered}) != len(ordered):
        raise InvalidInput("series", "two scores on the same date")
    name, unit = PLAIN_NAMES[instrument]
    baseline, latest = float(ordered[0][1]), float(ordered[-1][1])
    if len(ordered) == 1:
        mic_for(instrument)  # validates the instrument has change rules
        sentence = (
            f"Your first {name} is {_num(baseline)}. We will compare your next answers with it."
        )
        return ProgressMessage(instrument, None, sentence, baseline, latest, None)

    change = classify_change(instrument, baseline, latest)
    lower_better = mic_for(instrument).better == "lower"
    span = f"from {_num(baseline)} to {_num(latest)}"
    if change.classification == "improved":
        relative = ""
        if not change.meets_points and change.improvement_pct is not None:
            # Only the 30 % rule was met: say so, so a small number of points makes sense.
            lower_or_higher = "lower" if lower_better else "higher"
            relative = f" ({change.improvement_pct:.0f} % {lower_or_higher})"
        sentence = (
            f"Your {name} improved by {_points(change.improvement, unit)}{relative}, {span} "
            "— a change that matters."
        )
    elif change.classification == "worsened":
        direction = "went up" if lower_better else "went down"
        sentence = (
            f"Your {name} {direction} by {_points(change.improvement, unit)}, {span}. "
            "Please tell your physiotherapist so they can review your plan with you."
        )
    elif change.improvement == 0:
        sentence = f"Your {name} is {_num(latest)}, the same as when you started."
    else:
        sentence = (
            f"Your {name} is {_num(latest)}, close to where you started ({_num(baseline)}). "
            "Small ups and downs like this are normal."
        )
    return ProgressMessage(instrument, change.classification, sentence, baseline, latest, change)
