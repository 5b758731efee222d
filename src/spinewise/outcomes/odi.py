"""Oswestry Disability Index (ODI) version 2.1a: scoring and interpretation bands.

The ODI has ten sections (pain intensity, personal care, lifting, walking, sitting,
standing, sleeping, sex life, social life, travelling), each answered with one of six
statements scored 0 (least disability) to 5 (most).

Scoring (Fairbank & Pynsent 2000, Spine 25(22):2940–2952, "Scoring instructions"):
``score % = sum of section scores / (5 × number of sections answered) × 100``.
The published instruction covers a section that is *missed or not applicable* by taking
it out of the denominator (worked example: 16 / 45 × 100 with one section missed). It
describes no case with more missing sections, so by default we allow **at most one**
unanswered section and refuse to score a form with more (``max_unanswered``). A clinic
whose protocol accepts more missing sections may pass a larger value to
:func:`score_odi`; the default follows the source.

Bands (Fairbank et al. 1980, Physiotherapy 66:271–273; restated in Fairbank & Pynsent
2000): 0–20 % minimal disability, 21–40 % moderate, 41–60 % severe, 61–80 % crippled
(source wording), 81–100 % bed-bound or exaggerating symptoms.

The wording of the questionnaire is copyrighted (licensed through Mapi Research Trust /
ePROVIDE) and is not shipped: see ``docs/outcomes.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from spinewise.core.errors import InvalidInput
from spinewise.outcomes._checks import require_int, require_items

#: Section keys in questionnaire order (neutral labels, not the licensed wording).
ODI_SECTIONS: tuple[str, ...] = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)

#: Unanswered sections tolerated by default (Fairbank & Pynsent 2000 describe one).
ODI_MAX_UNANSWERED = 1

#: (upper bound inclusive in %, band id, label) — Fairbank et al. 1980.
ODI_BANDS: tuple[tuple[float, str, str], ...] = (
    (20.0, "minimal", "minimal disability"),
    (40.0, "moderate", "moderate disability"),
    (60.0, "severe", "severe disability"),
    (80.0, "crippled", "crippled (source wording): back pain affects every aspect of life"),
    (100.0, "bed_bound", "bed-bound, or exaggerating symptoms (source wording)"),
)


@dataclass(frozen=True)
class OdiScore:
    """A scored ODI form.

    Attributes:
        score: disability in percent, 0–100 (higher = more disability).
        raw_total: sum of the answered section scores, 0–50.
        answered: number of sections answered (10 minus unanswered).
        band: interpretation band id (see :data:`ODI_BANDS`).
    """

    instrument: ClassVar[str] = "odi"
    score: float
    raw_total: int
    answered: int
    band: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "score": round(self.score, 1),
            "raw_total": self.raw_total,
            "answered": self.answered,
            "band": self.band,
        }


def odi_band(score_pct: float) -> str:
    """Interpretation band id for an ODI score in percent (Fairbank et al. 1980).

    The published bands are integer ranges (0–20, 21–40, …); we read them as upper bounds
    (score ≤ 20 is minimal, 20 < score ≤ 40 moderate, …). With at most two sections
    missing no ODI score falls strictly between 20 and 21, so the reading is unambiguous.
    """
    if not 0.0 <= score_pct <= 100.0:
        raise InvalidInput("score", f"ODI score {score_pct} is outside 0–100 %")
    for upper, band, _label in ODI_BANDS:
        if score_pct <= upper:
            return band
    raise AssertionError("unreachable: the last band ends at 100 %")


def score_odi(
    answers: Sequence[int | None], *, max_unanswered: int = ODI_MAX_UNANSWERED
) -> OdiScore:
    """Score an ODI v2.1a form.

    Args:
        answers: ten section scores in questionnaire order, each an integer 0–5 or
            ``None`` for a section left unanswered or not applicable.
        max_unanswered: most ``None`` sections tolerated (default 1, see module notes).

    Returns:
        :class:`OdiScore` with the percent score, raw total, answered count and band.

    Raises:
        InvalidInput: wrong number of sections, a value outside 0–5, or more than
            ``max_unanswered`` sections unanswered.
    """
    if not 0 <= max_unanswered <= 9:
        raise InvalidInput("max_unanswered", "must be between 0 and 9")
    items = require_items(answers, field="answers", count=len(ODI_SECTIONS))
    values = [
        None if value is None else require_int(value, field=f"section {i}", low=0, high=5)
        for i, value in enumerate(items, start=1)
    ]
    answered = [v for v in values if v is not None]
    unanswered = len(values) - len(answered)
    if unanswered > max_unanswered:
        raise InvalidInput(
            "answers",
            f"{unanswered} ODI sections unanswered; at most {max_unanswered} allowed "
            "(Fairbank & Pynsent 2000)",
        )
    raw_total = sum(answered)
    score = raw_total / (5 * len(answered)) * 100.0
    return OdiScore(score=score, raw_total=raw_total, answered=len(answered), band=odi_band(score))
