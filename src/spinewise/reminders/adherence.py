"""Medication adherence figures: taken, skipped and missed reminders per medicine per ISO week
(pure).

Definitions (ours, shown to patient and clinician alike):

- each due medication reminder counts once (a snoozed one is replaced by its follow-up);
- **taken** and **skipped** are the patient's answers; **missed** is no answer within the
  answer window (``policy.ANSWER_WINDOW``), including reminders the scheduler expired;
- **adherence** = taken / (taken + skipped + missed) × 100; reminders still open are not yet
  counted. This is the "proportion of doses taken" of reminder-based adherence measures, a
  self-report, not a pill count (Vrijens et al., Br J Clin Pharmacol 2012;73:691, ABC taxonomy:
  this measures *implementation*).
- **as-needed** medicines have no reminders; their logged intakes are counted per week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Counted:
    """One medication reminder as adherence sees it (``outcome`` from ``policy.outcome``)."""

    medication: str
    day: dt.date  # the patient's local date of the due time
    outcome: str  # taken | skipped | missed | open


@dataclass(frozen=True)
class WeekFigure:
    medication: str
    iso_year: int
    iso_week: int
    monday: dt.date
    taken: int = 0
    skipped: int = 0
    missed: int = 0
    open: int = 0
    as_needed_intakes: int = 0

    @property
    def counted(self) -> int:
        return self.taken + self.skipped + self.missed

    @property
    def adherence_pct(self) -> float | None:
        return round(100.0 * self.taken / self.counted, 1) if self.counted else None

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    def to_dict(self) -> dict[str, object]:
        return {
            "medication": self.medication,
            "week": self.label,
            "monday": self.monday.isoformat(),
            "taken": self.taken,
            "skipped": self.skipped,
            "missed": self.missed,
            "open": self.open,
            "as_needed_intakes": self.as_needed_intakes,
            "adherence_pct": self.adherence_pct,
        }


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly(
    reminders: Iterable[Counted], intakes: Iterable[tuple[str, dt.date]] = ()
) -> list[WeekFigure]:
    """Figures per (medication, ISO week), sorted by medication then week."""
    counts: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(
        lambda: {"taken": 0, "skipped": 0, "missed": 0, "open": 0, "as_needed_intakes": 0}
    )
    for item in reminders:
        if item.outcome not in ("taken", "skipped", "missed", "open"):
            raise ValueError(f"unknown outcome {item.outcome!r}")
        counts[(item.medication, _monday(item.day))][item.outcome] += 1
    for medication, day in intakes:
        counts[(medication, _monday(day))]["as_needed_intakes"] += 1
    figures = []
    for (medication, monday), values in counts.items():
        year, week, _ = monday.isocalendar()
        figures.append(WeekFigure(medication, year, week, monday, **values))
    return sorted(figures, key=lambda f: (f.medication.lower(), f.monday))


def overall(figures: Iterable[WeekFigure]) -> dict[str, dict[str, object]]:
    """Totals per medication over the given weeks."""
    totals: dict[str, dict[str, int]] = defaultdict(
        lambda: {"taken": 0, "skipped": 0, "missed": 0, "open": 0, "as_needed_intakes": 0}
    )
    for f in figures:
        for key in totals[f.medication]:
            totals[f.medication][key] += getattr(f, key)
    result: dict[str, dict[str, object]] = {}
    for medication, t in totals.items():
        counted = t["taken"] + t["skipped"] + t["missed"]
        result[medication] = {
            **t,
            "adherence_pct": round(100.0 * t["taken"] / counted, 1) if counted else None,
        }
    return result
