"""Daily pain diary: the entry model, weekly summaries and pain-spike detection.

The diary is our own monitoring form, not a validated questionnaire: each day the
patient rates back pain (and optionally leg pain) on the 0–10 NPRS, and may note
disturbed sleep, pain medication taken, minutes of activity and free text.

A **pain spike** is a day whose back-pain rating is at least 2 points above the mean of
the previous 7 days with entries (at least 3 of them). Two points is the NPRS minimal
important change (Ostelo et al. 2008, Spine 33(1):90–94); using it for a day-to-week
comparison is our heuristic for the clinician dashboard, not a validated rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.outcomes._checks import require_bool, require_int

SPIKE_MIN_RISE = 2.0  # NPRS points (Ostelo et al. 2008 MIC), see module docstring
SPIKE_WINDOW_DAYS = 7
SPIKE_MIN_HISTORY = 3
MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class PainDiaryEntry:
    """One day of the pain diary.

    Attributes:
        day: the calendar day the entry describes (one entry per day).
        back_pain: NPRS 0–10, average back pain over the day.
        leg_pain: NPRS 0–10 for leg pain, or None if not asked/answered.
        sleep_disturbed: pain woke the patient or kept them awake last night.
        medication_taken: took pain medication that day.
        activity_min: minutes of planned activity or exercise, 0–1440.
        note: free text, at most 2000 characters.
    """

    day: dt.date
    back_pain: int
    leg_pain: int | None = None
    sleep_disturbed: bool | None = None
    medication_taken: bool | None = None
    activity_min: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.day, dt.date) or isinstance(self.day, dt.datetime):
            raise InvalidInput("day", "expected a calendar date")
        require_int(self.back_pain, field="back_pain", low=0, high=10)
        if self.leg_pain is not None:
            require_int(self.leg_pain, field="leg_pain", low=0, high=10)
        for name in ("sleep_disturbed", "medication_taken"):
            value = getattr(self, name)
            if value is not None:
                require_bool(value, field=name)
        if self.activity_min is not None:
            require_int(self.activity_min, field="activity_min", low=0, high=1440)
        if not isinstance(self.note, str) or len(self.note) > MAX_NOTE_CHARS:
            raise InvalidInput("note", f"expected text of at most {MAX_NOTE_CHARS} characters")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PainDiaryEntry:
        """Build an entry from JSON-like data (``day`` as ISO ``YYYY-MM-DD``)."""
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "unknown field in a pain diary entry")
        raw_day = data.get("day")
        try:
            day = dt.date.fromisoformat(raw_day) if isinstance(raw_day, str) else raw_day
        except ValueError:
            raise InvalidInput("day", f"not an ISO date: {raw_day!r}") from None
        if "back_pain" not in data:
            raise InvalidInput("back_pain", "is required")
        return cls(
            day=day,  # type: ignore[arg-type]  # checked in __post_init__
            back_pain=data["back_pain"],
            leg_pain=data.get("leg_pain"),
            sleep_disturbed=data.get("sleep_disturbed"),
            medication_taken=data.get("medication_taken"),
            activity_min=data.get("activity_min"),
            note=data.get("note", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "back_pain": self.back_pain,
            "leg_pain": self.leg_pain,
            "sleep_disturbed": self.sleep_disturbed,
            "medication_taken": self.medication_taken,
            "activity_min": self.activity_min,
            "note": self.note,
        }


@dataclass(frozen=True)
class DiaryWeek:
    """Summary of one ISO week (Monday–Sunday) of diary entries."""

    iso_year: int
    iso_week: int
    days_logged: int
    back_pain_mean: float
    back_pain_max: int
    leg_pain_mean: float | None
    nights_disturbed: int

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"


def _sorted_unique(entries: Iterable[PainDiaryEntry]) -> list[PainDiaryEntry]:
    ordered = sorted(entries, key=lambda e: e.day)
    for prev, cur in itertools.pairwise(ordered):
        if prev.day == cur.day:
            raise InvalidInput("day", f"two diary entries for {cur.day.isoformat()}")
    return ordered


def weekly_summary(entries: Iterable[PainDiaryEntry]) -> list[DiaryWeek]:
    """Summaries per ISO week, oldest first; weeks without entries are omitted."""
    weeks: dict[tuple[int, int], list[PainDiaryEntry]] = {}
    for entry in _sorted_unique(entries):
        year, week, _ = entry.day.isocalendar()
        weeks.setdefault((year, week), []).append(entry)
    out = []
    for (year, week), group in sorted(weeks.items()):
        legs = [e.leg_pain for e in group if e.leg_pain is not None]
        out.append(
            DiaryWeek(
                iso_year=year,
                iso_week=week,
                days_logged=len(group),
                back_pain_mean=sum(e.back_pain for e in group) / len(group),
                back_pain_max=max(e.back_pain for e in group),
                leg_pain_mean=sum(legs) / len(legs) if legs else None,
                nights_disturbed=sum(1 for e in group if e.sleep_disturbed),
            )
        )
    return out


@dataclass(frozen=True)
class PainSpike:
    day: dt.date
    back_pain: int
    previous_mean: float  # mean back pain over the preceding window

    @property
    def rise(self) -> float:
        return self.back_pain - self.previous_mean


def pain_spikes(
    entries: Iterable[PainDiaryEntry],
    *,
    min_rise: float = SPIKE_MIN_RISE,
    window_days: int = SPIKE_WINDOW_DAYS,
    min_history: int = SPIKE_MIN_HISTORY,
) -> list[PainSpike]:
    """Days whose back pain is ``min_rise`` points above the preceding window's mean.

    The window is the ``window_days`` calendar days before the day (the day excluded);
    a day is only judged when that window holds at least ``min_history`` entries.
    """
    ordered = _sorted_unique(entries)
    spikes = []
    for i, entry in enumerate(ordered):
        start = entry.day - dt.timedelta(days=window_days)
        history = [e.back_pain for e in ordered[:i] if e.day >= start]
        if len(history) < min_history:
            continue
        mean = sum(history) / len(history)
        if entry.back_pain - mean >= min_rise - 1e-9:
            spikes.append(PainSpike(day=entry.day, back_pain=entry.back_pain, previous_mean=mean))
    return spikes
