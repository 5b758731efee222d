"""iCalendar (RFC 5545) files for appointments, built with the ``icalendar`` package.

Times are written in UTC (``DTSTART:20260701T080000Z``, RFC 5545 §3.3.5 "form #2"), which every
calendar program converts to its user's zone, so no VTIMEZONE block is needed. ``SEQUENCE``
grows with each reschedule and a cancellation is ``STATUS:CANCELLED`` with ``METHOD:CANCEL``
(RFC 5546 §3.2.5), so a calendar that imported the first file updates the same event (same UID).
The summary names the kind of meeting and the clinician, never a diagnosis or a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Spinewise//Consultations//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    start: datetime  # timezone-aware
    end: datetime
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    cancelled: bool = False
    sequence: int = 0
    stamp: datetime | None = None


def to_ics(entry: CalendarEntry) -> bytes:
    """One VCALENDAR with one VEVENT, as bytes with CRLF line ends (RFC 5545 §3.1)."""
    for name, value in (("start", entry.start), ("end", entry.end)):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if entry.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", (entry.stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", entry.start.astimezone(UTC))
    event.add("dtend", entry.end.astimezone(UTC))
    event.add("summary", entry.summary)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    if entry.location:
        event.add("location", entry.location)
    if entry.organizer_email:
        organizer = vCalAddress(f"mailto:{entry.organizer_email}")
        if entry.organizer_name:
            organizer.params["cn"] = vText(entry.organizer_name)
        event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical()
