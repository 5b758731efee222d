"""iCalendar files: parseable, UTC start and end, cancellation updates the same event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from spinewise.consults.calendar_file import CalendarEntry, to_ics


def _entry(**changes: object) -> CalendarEntry:
    # 10:00 at UTC+02:00 (e.g. Paris in summer) is 08:00Z.
    start = datetime(2026, 7, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    values: dict[str, object] = {
        "uid": "appointment-7@spinewise.example",
        "start": start,
        "end": start + timedelta(minutes=30),
        "summary": "Spinewise video consultation",
        "url": "https://spinewise.example/appointments/7/call",
        "organizer_name": "Dr Ada",
        "organizer_email": "ada@example.org",
        "stamp": datetime(2026, 6, 1, tzinfo=UTC),
    }
    values.update(changes)
    return CalendarEntry(**values)  # type: ignore[arg-type]


def test_the_file_has_one_event_starting_at_the_right_utc_instant() -> None:
    raw = to_ics(_entry())
    text = raw.decode()
    assert "DTSTART:20260701T080000Z\r\n" in text
    assert "DTEND:20260701T083000Z\r\n" in text
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 7, 1, 8, tzinfo=UTC)
    assert str(event["uid"]) == "appointment-7@spinewise.example"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == "https://spinewise.example/appointments/7/call"


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence() -> None:
    raw = to_ics(_entry(cancelled=True, sequence=2))
    calendar = Calendar.from_ical(raw)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 2
    assert str(event["uid"]) == "appointment-7@spinewise.example"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_ics(_entry(start=datetime(2026, 7, 1, 10)))
