"""Appointment arithmetic: weekly availability in a clinician's time zone, free slots, overlap.

Pure: standard library only. Every datetime that enters or leaves this module is timezone-aware;
intervals are half-open ``[start, end)`` in UTC, so a 10:00–10:30 appointment does not collide
with one starting at 10:30.

Availability rules are written in the clinician's *local* wall-clock time ("Mondays 09:00–17:00
Europe/London") and expanded day by day with ``zoneinfo``, so the UTC instants follow daylight
saving time: the same rule is 09:00Z in winter and 08:00Z in summer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spinewise.core.errors import InvalidInput

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_DURATION_MIN = 5
MAX_DURATION_MIN = 240


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)``; both ends timezone-aware."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class WeeklyRule:
    """Available every ``weekday`` (0 = Monday … 6 = Sunday) from ``start`` to ``end`` local time."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidInput("weekday", "must be 0 (Monday) to 6 (Sunday)")
        if self.end <= self.start:
            raise InvalidInput("end", "must be after the start of the same day")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name`` or ``InvalidInput``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("timezone", f"unknown time zone {name!r}") from None


def require_aware(value: datetime, field: str = "start") -> datetime:
    """Refuse a naive datetime: an appointment time without an offset is ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, "needs a UTC offset or Z, e.g. 2026-07-01T10:00:00+02:00")
    return value.astimezone(UTC)


def check_duration(duration_min: int) -> int:
    if not MIN_DURATION_MIN <= duration_min <= MAX_DURATION_MIN:
        raise InvalidInput(
            "duration_min", f"must be between {MIN_DURATION_MIN} and {MAX_DURATION_MIN} minutes"
        )
    return duration_min


def appointment_interval(start: datetime, duration_min: int) -> Interval:
    begin = require_aware(start)
    return Interval(begin, begin + timedelta(minutes=check_duration(duration_min)))


def local_to_utc(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """Wall-clock ``clock`` on ``day`` in ``tz`` as UTC.

    A wall time skipped by a spring-forward change (02:30 on the day clocks jump 02:00→03:00)
    is read with the offset before the change (PEP 495 ``fold=0``), i.e. one hour later in
    local summer time; a repeated autumn time takes its first occurrence.
    """
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def expand_rules(
    rules: Iterable[WeeklyRule], *, timezone: str, start: datetime, end: datetime
) -> list[Interval]:
    """The availability intervals (UTC, sorted) that the weekly rules give between two instants.

    Intervals are clipped to ``[start, end)``; days are walked in the clinician's zone so each
    day's local clock is converted with that day's UTC offset.
    """
    tz = zone(timezone)
    begin, finish = require_aware(start, "from"), require_aware(end, "to")
    by_day: dict[int, list[WeeklyRule]] = {}
    for rule in rules:
        by_day.setdefault(rule.weekday, []).append(rule)
    intervals: list[Interval] = []
    day = begin.astimezone(tz).date() - timedelta(days=1)
    last = finish.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for rule in by_day.get(day.weekday(), []):
            span = Interval(local_to_utc(day, rule.start, tz), local_to_utc(day, rule.end, tz))
            clipped = Interval(max(span.start, begin), min(span.end, finish))
            if clipped.start < clipped.end:
                intervals.append(clipped)
        day += timedelta(days=1)
    return sorted(intervals, key=lambda i: (i.start, i.end))


def free_slots(
    rules: Sequence[WeeklyRule],
    *,
    timezone: str,
    busy: Iterable[Interval],
    start: datetime,
    end: datetime,
    duration_min: int,
    step_min: int = 30,
) -> list[datetime]:
    """Start instants (UTC, ascending) of free ``duration_min`` slots inside the weekly rules.

    Slots start at the beginning of each rule's local span and every ``step_min`` after it, lie
    wholly inside that span and inside ``[start, end)``, and overlap no ``busy`` interval.
    """
    check_duration(duration_min)
    if step_min < MIN_DURATION_MIN:
        raise InvalidInput("step_min", f"must be at least {MIN_DURATION_MIN} minutes")
    tz = zone(timezone)
    begin, finish = require_aware(start, "from"), require_aware(end, "to")
    taken = sorted(busy, key=lambda i: i.start)
    length, step = timedelta(minutes=duration_min), timedelta(minutes=step_min)
    found: set[datetime] = set()
    day = begin.astimezone(tz).date() - timedelta(days=1)
    last = finish.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for rule in rules:
            if rule.weekday != day.weekday():
                continue
            span = Interval(local_to_utc(day, rule.start, tz), local_to_utc(day, rule.end, tz))
            slot_start = span.start
            while slot_start + length <= span.end:
                slot = Interval(slot_start, slot_start + length)
                if (
                    slot.start >= begin
                    and slot.end <= finish
                    and not any(slot.overlaps(b) for b in taken)
                ):
                    found.add(slot.start)
                slot_start += step
        day += timedelta(days=1)
    return sorted(found)


def is_bookable_slot(
    rules: Sequence[WeeklyRule],
    *,
    timezone: str,
    busy: Iterable[Interval],
    slot: Interval,
    step_min: int = 30,
) -> bool:
    """Whether ``slot`` is exactly one of the free slots (what a patient may book)."""
    duration_min = int((slot.end - slot.start).total_seconds() // 60)
    candidates = free_slots(
        rules,
        timezone=timezone,
        busy=busy,
        start=slot.start,
        end=slot.end,
        duration_min=duration_min,
        step_min=step_min,
    )
    return slot.start in candidates


def first_conflict(slot: Interval, busy: Iterable[Interval]) -> Interval | None:
    """The earliest busy interval that ``slot`` would overlap, if any (for the refusal message)."""
    clashes = sorted((b for b in busy if slot.overlaps(b)), key=lambda i: i.start)
    return clashes[0] if clashes else None


def parse_local(value: str, timezone: str, field: str = "start") -> datetime:
    """A wall-clock ``YYYY-MM-DDTHH:MM`` typed by someone in ``timezone`` (an HTML
    ``datetime-local`` field) as an aware UTC instant. A value with its own offset keeps it."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, "needs a date and time, e.g. 2026-07-01T10:00") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(timezone))
    return parsed.astimezone(UTC)


def format_local(instant: datetime, timezone: str, *, with_zone: bool = True) -> str:
    """``Mon 6 Jul 2026, 09:30 BST``: how a person reads an instant in their own zone."""
    local = require_aware(instant, "time").astimezone(zone(timezone))
    text = f"{WEEKDAYS[local.weekday()][:3]} {local.day} {local:%b %Y, %H:%M}"
    return f"{text} {local.tzname()}" if with_zone else text
