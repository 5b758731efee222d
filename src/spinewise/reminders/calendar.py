"""The patient's private iCalendar feed (RFC 5545) of their reminders (pure, ``icalendar``).

Recurring reminders are written as recurrence rules in the patient's own zone
(``DTSTART;TZID=Europe/London:20260301T080000`` + ``RRULE:FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0``)
with a generated ``VTIMEZONE``, so a calendar program keeps 08:00 at 08:00 across daylight
saving, exactly as the scheduler does (``schedule.resolve_local``; RFC 5545 §3.3.5 resolves
skipped and repeated local times the same way). Times of day that share a minute share one
event (``BYHOUR`` × ``BYMINUTE`` is a cross product, so 09:00 and 09:45 cannot share one);
weekdays become ``FREQ=WEEKLY;BYDAY=…``; the end date becomes ``UNTIL`` in UTC (§3.3.10 requires
UTC when ``DTSTART`` has a zone). One-off reminders are single events in UTC.

The summary is whatever the service passes: it leaves out medicine names unless the patient
chose to include them (a calendar is often shared or synced to other services).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from icalendar import Calendar, Event

from spinewise.reminders.schedule import ALL_DAYS, Recurrence, resolve_local, zone

PRODID = "-//Spinewise//Reminders//EN"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EVENT_MINUTES = 15


@dataclass(frozen=True)
class FeedEntry:
    uid_prefix: str  # stable per schedule, e.g. "reminder-12"
    summary: str
    recurrence: Recurrence
    timezone: str
    description: str = ""


def _first_active_day(rec: Recurrence, start: dt.date) -> dt.date:
    day = start
    for _ in range(7):
        if day.weekday() in rec.weekdays:
            return day
        day += dt.timedelta(days=1)
    return start


def _events(entry: FeedEntry, stamp: dt.datetime, default_start: dt.date) -> list[Event]:
    rec = entry.recurrence
    length = dt.timedelta(minutes=EVENT_MINUTES)
    if rec.once_at is not None:
        event = Event()
        event.add("uid", f"{entry.uid_prefix}@spinewise")
        event.add("dtstamp", stamp)
        event.add("dtstart", rec.once_at.astimezone(dt.UTC))
        event.add("dtend", rec.once_at.astimezone(dt.UTC) + length)
        event.add("summary", entry.summary)
        return [event]
    tz = zone(entry.timezone)
    by_minute: dict[int, list[int]] = defaultdict(list)
    for t in rec.times_of_day():
        by_minute[t.minute].append(t.hour)
    first_day = _first_active_day(rec, rec.start_date or default_start)
    events = []
    for minute, hours in sorted(by_minute.items()):
        rule: dict[str, object] = {"freq": "daily"}
        if rec.weekdays != ALL_DAYS:
            rule = {"freq": "weekly", "byday": [BYDAY[d] for d in sorted(rec.weekdays)]}
        rule["byhour"] = sorted(hours)
        rule["byminute"] = [minute]
        if rec.end_date is not None:
            # The last instant of the end date in the patient's zone, in UTC (§3.3.10).
            rule["until"] = resolve_local(rec.end_date, dt.time(23, 59, 59), tz)
        start = dt.datetime.combine(first_day, dt.time(min(hours), minute), tzinfo=tz)
        event = Event()
        event.add("uid", f"{entry.uid_prefix}-m{minute:02d}@spinewise")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + length)
        event.add("rrule", rule)
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        events.append(event)
    return events


def feed(
    entries: list[FeedEntry], *, name: str, stamp: dt.datetime, default_start: dt.date
) -> bytes:
    """One VCALENDAR with every entry's events and the time zones they need (CRLF lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        for event in _events(entry, stamp.astimezone(dt.UTC), default_start):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
