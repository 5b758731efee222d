"""The iCalendar feed's recurrence rules produce the same instants as the scheduler.

Each event of the feed is expanded with python-dateutil's RFC 5545 implementation (an
independent reader) and compared with ``schedule.occurrences`` over months that include both
daylight-saving changes in London and New York."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from spinewise.reminders.calendar import FeedEntry, feed
from spinewise.reminders.schedule import Recurrence, occurrences, zone

STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _expand(ics: bytes, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    found: list[dt.datetime] = []
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        dtstart = event.decoded("dtstart")
        if "RRULE" not in event:
            found.append(dtstart.astimezone(dt.UTC))
            continue
        rule = event["RRULE"].to_ical().decode()
        for instant in rrulestr(rule, dtstart=dtstart).between(start, end, inc=True):
            found.append(instant.astimezone(dt.UTC))
    return sorted(t for t in found if start < t <= end)


@pytest.mark.parametrize("timezone", ["Europe/London", "America/New_York"])
@pytest.mark.parametrize(
    "recurrence",
    [
        Recurrence(times=(dt.time(8), dt.time(20)), start_date=dt.date(2026, 2, 1)),
        Recurrence(
            times=(dt.time(7, 30), dt.time(9, 45), dt.time(18)),
            weekdays=frozenset({0, 2, 4}),
            start_date=dt.date(2026, 2, 2),
            end_date=dt.date(2026, 11, 20),
        ),
        Recurrence(
            every_min=45,
            window_start=dt.time(9),
            window_end=dt.time(17),
            weekdays=frozenset(range(5)),
            start_date=dt.date(2026, 2, 2),
        ),
    ],
    ids=["twice-daily", "three-times-mon-wed-fri-until", "posture-every-45"],
)
def test_the_feed_rrules_expand_to_the_scheduled_instants(
    timezone: str, recurrence: Recurrence
) -> None:
    ics = feed(
        [FeedEntry("reminder-1", "Medication reminder", recurrence, timezone)],
        name="test",
        stamp=STAMP,
        default_start=dt.date(2026, 2, 1),
    )
    start = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert _expand(ics, start, end) == occurrences(recurrence, zone(timezone), start, end)


def test_the_feed_declares_its_time_zone_and_a_one_off_event_in_utc() -> None:
    ics = feed(
        [
            FeedEntry(
                "reminder-1", "Exercise session", Recurrence(times=(dt.time(18),)), "Europe/London"
            ),
            FeedEntry(
                "reminder-2",
                "Reminder",
                Recurrence(once_at=dt.datetime(2026, 3, 1, 17, tzinfo=dt.UTC)),
                "Europe/London",
            ),
        ],
        name="Spinewise reminders",
        stamp=STAMP,
        default_start=dt.date(2026, 2, 1),
    ).decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/London" in ics
    assert "DTSTART;TZID=Europe/London:20260201T180000" in ics
    assert "RRULE:FREQ=DAILY;BYMINUTE=0;BYHOUR=18" in ics
    assert "DTSTART:20260301T170000Z" in ics
    assert ics.count("BEGIN:VEVENT") == 2
