"""Reminder schedules and their occurrences in the patient's own time zone (pure).

A ``Recurrence`` says *when* in local wall-clock terms: fixed times of day (08:00 and 20:00),
or every N minutes inside a daily window (posture breaks every 45 min from 09:00 to 17:00;
medication "every 8 hours" is every 480 min from the first dose to the end of the window), on
some weekdays, between a start and an end date; or one moment only (``once_at``).

``occurrences(recurrence, tz, start, end)`` turns it into UTC instants. Local times are kept
across daylight-saving changes — 08:00 stays 08:00 local, so the UTC instant moves by an hour —
with the two awkward cases decided once, here (RFC 5545 §3.3.5 decides the same way for
calendars, so the iCalendar feed and the scheduler agree):

- a local time that does not exist (the spring-forward gap, e.g. 02:30 on 8 March 2026 in
  America/New_York) fires at the first valid instant after the gap (03:00 EDT);
- a local time that exists twice (the fall-back overlap, e.g. 01:30 on 1 November 2026 in
  America/New_York) fires once, at its first occurrence (EDT, ``fold=0`` of PEP 495).

Weekdays are 0 = Monday … 6 = Sunday (``date.weekday()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spinewise.core.errors import InvalidInput

ALL_DAYS: frozenset[int] = frozenset(range(7))
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIN_EVERY_MIN = 15  # more often than every quarter of an hour is a nag, not a reminder
MAX_TIMES_PER_DAY = 48


def zone(name: str) -> ZoneInfo:
    """An IANA time zone, or ``InvalidInput`` naming the field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("timezone", f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class Recurrence:
    """When a schedule fires, in local wall-clock terms (see the module docstring)."""

    times: tuple[dt.time, ...] = ()
    every_min: int | None = None
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    weekdays: frozenset[int] = ALL_DAYS
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    once_at: dt.datetime | None = None  # timezone-aware; a one-off reminder
    _expanded: tuple[dt.time, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.once_at is not None:
            if self.once_at.tzinfo is None:
                raise InvalidInput("once_at", "must carry a time zone")
            if self.times or self.every_min:
                raise InvalidInput("once_at", "a one-off reminder has no times of day")
            return
        if self.every_min is not None:
            if self.times:
                raise InvalidInput("times", "give times of day or an interval, not both")
            if not MIN_EVERY_MIN <= self.every_min <= 24 * 60:
                raise InvalidInput("every_min", f"must be {MIN_EVERY_MIN}–1440 minutes")
            if self.window_start is None or self.window_end is None:
                raise InvalidInput("window_start", "an interval needs a daily window")
            if self.window_end <= self.window_start:
                raise InvalidInput("window_end", "must be after the window start")
        elif not self.times:
            raise InvalidInput("times", "give at least one time of day")
        if not self.weekdays or not set(self.weekdays) <= ALL_DAYS:
            raise InvalidInput("weekdays", "choose days from 0 (Monday) to 6 (Sunday)")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise InvalidInput("end_date", "must not be before the start date")
        expanded = _expand(self)
        if len(expanded) > MAX_TIMES_PER_DAY:
            raise InvalidInput("times", f"at most {MAX_TIMES_PER_DAY} reminders a day")
        object.__setattr__(self, "_expanded", expanded)

    @property
    def is_once(self) -> bool:
        return self.once_at is not None

    def times_of_day(self) -> tuple[dt.time, ...]:
        """Every local time of day this fires on an active day, sorted, without repeats."""
        return self._expanded


def _expand(rec: Recurrence) -> tuple[dt.time, ...]:
    if rec.every_min is None:
        return tuple(sorted({t.replace(second=0, microsecond=0) for t in rec.times}))
    assert rec.window_start is not None and rec.window_end is not None
    start = rec.window_start.hour * 60 + rec.window_start.minute
    end = rec.window_end.hour * 60 + rec.window_end.minute
    return tuple(dt.time(m // 60, m % 60) for m in range(start, end + 1, rec.every_min))


def resolve_local(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of local ``day`` ``at`` in ``tz``: first of two in an overlap, the end
    of the gap for a time that a spring-forward change skips."""
    naive = dt.datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(dt.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc  # exists (once, or first of two)
    # In a gap: fold=0 used the offset before the change and fold=1 the one after, so the
    # change lies between the two UTC readings. Find the first instant after it (to the second).
    low = naive.replace(tzinfo=tz, fold=1).astimezone(dt.UTC)
    high = utc
    if high < low:
        low, high = high, low
    after = high.astimezone(tz).utcoffset()
    while (high - low) > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def is_skipped_local(day: dt.date, at: dt.time, tz: ZoneInfo) -> bool:
    """True when ``day`` ``at`` does not exist on the wall clock of ``tz`` (a DST gap)."""
    naive = dt.datetime.combine(day, at)
    back = naive.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return back != naive


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def occurrences(
    rec: Recurrence, tz: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """UTC instants in ``start < t <= end`` (both aware), sorted and unique."""
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("start", "window bounds must carry a time zone")
    if rec.once_at is not None:
        once = rec.once_at.astimezone(dt.UTC)
        return [once] if start < once <= end else []
    # One local day of margin each side: a zone is at most ±14 h from UTC.
    first = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date() + dt.timedelta(days=1)
    if rec.start_date:
        first = max(first, rec.start_date)
    if rec.end_date:
        last = min(last, rec.end_date)
    found: set[dt.datetime] = set()
    for day in _days(first, last):
        if day.weekday() not in rec.weekdays:
            continue
        for local_time in rec.times_of_day():
            instant = resolve_local(day, local_time, tz)
            if start < instant <= end:
                found.add(instant)
    return sorted(found)


def spread_weekdays(sessions_per_week: int) -> frozenset[int]:
    """Days for ``sessions_per_week`` exercise sessions, spread evenly from Monday
    (2 → Mon, Thu; 3 → Mon, Wed, Fri; 5 → Mon, Tue, Wed, Fri, Sat); 7 or more → every day.

    Evenly spaced sessions with rest days between them follow the usual home-programme advice
    (e.g. 2–3 sessions a week with a day's rest, NICE NG59 exercise programmes); the exact days
    are a default the patient can change."""
    if not 1 <= sessions_per_week <= 14:
        raise InvalidInput("sessions_per_week", "must be 1–14")
    if sessions_per_week >= 7:
        return ALL_DAYS
    return frozenset(i * 7 // sessions_per_week for i in range(sessions_per_week))


def describe(rec: Recurrence) -> str:
    """A short plain-English summary: "08:00, 20:00 · every day"."""
    if rec.once_at is not None:
        return "once"
    if rec.every_min is not None:
        assert rec.window_start is not None and rec.window_end is not None
        when = (
            f"every {rec.every_min} min {rec.window_start:%H:%M}–{rec.window_end:%H:%M}"
            if rec.every_min % 60
            else f"every {rec.every_min // 60} h {rec.window_start:%H:%M}–{rec.window_end:%H:%M}"
        )
    else:
        when = ", ".join(f"{t:%H:%M}" for t in rec.times_of_day())
    if rec.weekdays == ALL_DAYS:
        days = "every day"
    elif rec.weekdays == frozenset(range(5)):
        days = "Mon–Fri"
    else:
        days = " ".join(DAY_NAMES[d] for d in sorted(rec.weekdays))
    return f"{when} · {days}"


def parse_time(value: str) -> dt.time:
    """``"08:00"`` → ``time(8, 0)``, ``InvalidInput`` otherwise."""
    try:
        hours, minutes = value.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except (ValueError, AttributeError) as exc:
        raise InvalidInput("times", f"{value!r} is not a time of day like 08:00") from exc
