"""Adherence arithmetic: completed versus prescribed sessions per ISO week, trends, flags.

Definitions (ours, stated so the dashboard and the patient see the same numbers):

- A **session** is one sitting of the home programme, logged as ``completed``,
  ``partial`` or ``skipped``. Credit: completed 1, partial 0.5, skipped 0.
- **Prescribed** sessions in an ISO week (Monday–Sunday) = ``sessions_per_week``
  pro-rated for the days of that week inside the programme dates, rounded half up
  (5 a week starting on a Thursday = 5 × 4/7 = 2.86 → 3).
- **Adherence** of a week = credit / prescribed × 100, capped at 100 % (extra sessions
  do not make up for a missed week). Only weeks that have ended count towards the
  overall figure, trends and flags; the current week is reported as in progress.
- **Trend**: least-squares slope of weekly adherence over the last 4 complete weeks;
  "improving" at ≥ +10 %/week, "declining" at ≤ −10 %/week, otherwise "stable".
- **Flags** for the clinician: ``low_adherence`` when the last complete week is under
  50 % (the remote-physiotherapy issue's dashboard threshold) and ``no_recent_session``
  when no completed or partial session has been logged for longer than twice the
  expected gap between sessions (7 / sessions_per_week days), and at least 3 days.

The 10 %/week and "twice the expected gap" thresholds are heuristics for display, not
validated cut-offs; they are parameters.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from spinewise.core.errors import InvalidInput

SessionStatus = Literal["completed", "partial", "skipped"]
CREDIT: dict[str, float] = {"completed": 1.0, "partial": 0.5, "skipped": 0.0}

LOW_ADHERENCE_PCT = 50.0
TREND_WEEKS = 4
TREND_THRESHOLD_PCT_PER_WEEK = 10.0


@dataclass(frozen=True)
class SessionLog:
    day: dt.date
    status: SessionStatus

    def __post_init__(self) -> None:
        if self.status not in CREDIT:
            raise InvalidInput("status", f"must be one of {sorted(CREDIT)}, not {self.status!r}")
        if not isinstance(self.day, dt.date) or isinstance(self.day, dt.datetime):
            raise InvalidInput("day", "expected a calendar date")


@dataclass(frozen=True)
class WeekAdherence:
    """One ISO week of a programme."""

    iso_year: int
    iso_week: int
    monday: dt.date
    prescribed: int
    completed: int
    partial: int
    skipped: int
    complete: bool  # the week has ended (judged on ``today``)

    @property
    def label(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def credit(self) -> float:
        return self.completed + 0.5 * self.partial

    @property
    def adherence_pct(self) -> float | None:
        """Credit / prescribed × 100, capped at 100; None when nothing was prescribed."""
        if self.prescribed == 0:
            return None
        return min(100.0, 100.0 * self.credit / self.prescribed)

    @property
    def missed(self) -> int:
        """Prescribed sessions without any credit (partial sessions are not missed)."""
        return max(0, self.prescribed - self.completed - self.partial)


def prescribed_in_week(sessions_per_week: int, active_days: int) -> int:
    """Pro-rated prescription for ``active_days`` (0–7) of a week, rounded half up."""
    if not 0 <= active_days <= 7:
        raise InvalidInput("active_days", "must be 0–7")
    return math.floor(sessions_per_week * active_days / 7 + 0.5)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_adherence(
    logs: Iterable[SessionLog],
    *,
    sessions_per_week: int,
    start: dt.date,
    today: dt.date,
    end: dt.date | None = None,
) -> list[WeekAdherence]:
    """Adherence for every ISO week from the programme ``start`` to ``today`` (or ``end``).

    Sessions logged outside ``[start, min(today, end)]`` are not counted.
    """
    if isinstance(sessions_per_week, bool) or not 1 <= sessions_per_week <= 14:
        raise InvalidInput("sessions_per_week", "must be 1–14")
    if end is not None and end < start:
        raise InvalidInput("end", "is before the start of the programme")
    last = min(today, end) if end is not None else today
    if last < start:
        return []
    in_range = [log for log in logs if start <= log.day <= last]
    weeks = []
    monday = _monday(start)
    while monday <= last:
        sunday = monday + dt.timedelta(days=6)
        first_active = max(monday, start)
        last_active = min(sunday, end) if end is not None else sunday
        active_days = max(0, (last_active - first_active).days + 1)
        week_logs = [log for log in in_range if monday <= log.day <= sunday]
        iso_year, iso_week, _ = monday.isocalendar()
        weeks.append(
            WeekAdherence(
                iso_year=iso_year,
                iso_week=iso_week,
                monday=monday,
                prescribed=prescribed_in_week(sessions_per_week, active_days),
                completed=sum(1 for log in week_logs if log.status == "completed"),
                partial=sum(1 for log in week_logs if log.status == "partial"),
                skipped=sum(1 for log in week_logs if log.status == "skipped"),
                complete=today > last_active,
            )
        )
        monday += dt.timedelta(weeks=1)
    return weeks


def overall_adherence(weeks: Sequence[WeekAdherence]) -> float | None:
    """Capped credit over prescribed sessions across complete weeks, in %."""
    done = [w for w in weeks if w.complete and w.prescribed > 0]
    prescribed = sum(w.prescribed for w in done)
    if prescribed == 0:
        return None
    return 100.0 * sum(min(w.credit, w.prescribed) for w in done) / prescribed


@dataclass(frozen=True)
class Trend:
    slope_pct_per_week: float
    direction: Literal["improving", "declining", "stable"]
    weeks_used: int


def adherence_trend(
    weeks: Sequence[WeekAdherence],
    *,
    last_n: int = TREND_WEEKS,
    threshold_pct_per_week: float = TREND_THRESHOLD_PCT_PER_WEEK,
) -> Trend | None:
    """Least-squares slope of weekly adherence over the last ``last_n`` complete weeks.

    Returns None with fewer than two complete weeks that had sessions prescribed.
    """
    points = [w.adherence_pct for w in weeks if w.complete and w.adherence_pct is not None]
    points = points[-last_n:]
    n = len(points)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(points) / n
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(range(n), points, strict=True)) / sxx
    direction: Literal["improving", "declining", "stable"] = "stable"
    if slope >= threshold_pct_per_week:
        direction = "improving"
    elif slope <= -threshold_pct_per_week:
        direction = "declining"
    return Trend(slope_pct_per_week=slope, direction=direction, weeks_used=n)


@dataclass(frozen=True)
class AdherenceFlag:
    code: Literal["low_adherence", "no_recent_session"]
    message: str


def adherence_flags(
    weeks: Sequence[WeekAdherence],
    logs: Iterable[SessionLog],
    *,
    sessions_per_week: int,
    start: dt.date,
    today: dt.date,
    low_pct: float = LOW_ADHERENCE_PCT,
) -> list[AdherenceFlag]:
    """Flags for the clinician dashboard (see module notes for the definitions)."""
    flags: list[AdherenceFlag] = []
    complete = [w for w in weeks if w.complete and w.adherence_pct is not None]
    if complete and complete[-1].adherence_pct is not None and complete[-1].adherence_pct < low_pct:
        last = complete[-1]
        flags.append(
            AdherenceFlag(
                "low_adherence",
                f"{last.label}: {last.credit:g} of {last.prescribed} sessions "
                f"({last.adherence_pct:.0f} %), under {low_pct:g} %",
            )
        )
    active = [log.day for log in logs if log.status != "skipped" and start <= log.day <= today]
    since = max(active) if active else start
    allowed_gap = max(3, math.ceil(2 * 7 / sessions_per_week))
    gap = (today - since).days
    if gap > allowed_gap:
        what = "last session" if active else "programme start"
        flags.append(
            AdherenceFlag(
                "no_recent_session",
                f"no session for {gap} days since the {what} on {since.isoformat()} "
                f"(expected at least every {allowed_gap} days)",
            )
        )
    return flags


def describe_week(week: WeekAdherence) -> str:
    """One plain sentence for the patient about a week of their programme."""
    when = "This week" if not week.complete else "That week"
    if week.prescribed == 0:
        return f"{when} had no planned sessions."
    done = week.completed + week.partial
    if week.complete and week.credit >= week.prescribed:
        return f"{when} you did all {week.prescribed} planned sessions. Well done."
    sentence = f"{when} you did {done} of {week.prescribed} planned sessions"
    if week.partial:
        sentence += f" ({week.partial} partly)"
    return sentence + "."
