"""Occurrences in the patient's zone: 08:00 stays 08:00 local across daylight-saving changes.

Transition dates (IANA tz database): Europe/London springs forward on Sunday 29 March 2026 at
01:00 GMT (to 02:00 BST) and falls back on Sunday 25 October 2026 at 02:00 BST (to 01:00 GMT);
America/New_York springs forward on Sunday 8 March 2026 at 02:00 EST (to 03:00 EDT) and falls
back on Sunday 1 November 2026 at 02:00 EDT (to 01:00 EST). Expected UTC instants below are
local time minus the offset in force (GMT +0, BST +1, EST −5, EDT −4), worked by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.reminders.schedule import (
    Recurrence,
    describe,
    occurrences,
    resolve_local,
    spread_weekdays,
    zone,
)

UTC = dt.UTC
LONDON = zone("Europe/London")
NEW_YORK = zone("America/New_York")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def daily(*times: str, **kwargs: object) -> Recurrence:
    return Recurrence(
        times=tuple(dt.time.fromisoformat(t) for t in times),
        **kwargs,  # type: ignore[arg-type]
    )


def test_london_8am_stays_8am_local_across_the_spring_change() -> None:
    found = occurrences(daily("08:00"), LONDON, utc(2026, 3, 27, 12), utc(2026, 3, 31, 12))
    assert found == [
        utc(2026, 3, 28, 8),  # GMT: 08:00 local = 08:00 UTC
        utc(2026, 3, 29, 7),  # BST from 01:00 UTC on the 29th: 08:00 local = 07:00 UTC
        utc(2026, 3, 30, 7),
        utc(2026, 3, 31, 7),
    ]
    assert {t.astimezone(LONDON).strftime("%H:%M") for t in found} == {"08:00"}


def test_london_8am_stays_8am_local_across_the_autumn_change() -> None:
    found = occurrences(daily("08:00"), LONDON, utc(2026, 10, 24), utc(2026, 10, 26, 12))
    assert found == [utc(2026, 10, 24, 7), utc(2026, 10, 25, 8), utc(2026, 10, 26, 8)]


def test_new_york_8am_stays_8am_local_across_both_changes() -> None:
    spring = occurrences(daily("08:00"), NEW_YORK, utc(2026, 3, 7), utc(2026, 3, 9, 23))
    assert spring == [utc(2026, 3, 7, 13), utc(2026, 3, 8, 12), utc(2026, 3, 9, 12)]
    autumn = occurrences(daily("08:00"), NEW_YORK, utc(2026, 10, 31), utc(2026, 11, 2, 23))
    assert autumn == [utc(2026, 10, 31, 12), utc(2026, 11, 1, 13), utc(2026, 11, 2, 13)]


def test_a_time_skipped_by_spring_forward_fires_at_the_first_valid_instant_after_the_gap() -> None:
    # New York: 02:30 on 8 March 2026 does not exist; the clock jumps from 02:00 EST to 03:00 EDT
    # at 07:00 UTC, so the reminder fires at 03:00 EDT = 07:00 UTC.
    assert resolve_local(dt.date(2026, 3, 8), dt.time(2, 30), NEW_YORK) == utc(2026, 3, 8, 7)
    # London: 01:30 on 29 March 2026 does not exist; 02:00 BST = 01:00 UTC.
    assert resolve_local(dt.date(2026, 3, 29), dt.time(1, 30), LONDON) == utc(2026, 3, 29, 1)
    found = occurrences(daily("02:30"), NEW_YORK, utc(2026, 3, 7), utc(2026, 3, 10))
    assert found == [utc(2026, 3, 7, 7, 30), utc(2026, 3, 8, 7), utc(2026, 3, 9, 6, 30)]


def test_a_time_repeated_by_fall_back_fires_once_at_its_first_occurrence() -> None:
    # New York: 01:30 on 1 November 2026 happens at 05:30 UTC (EDT) and again at 06:30 (EST).
    found = occurrences(daily("01:30"), NEW_YORK, utc(2026, 11, 1), utc(2026, 11, 1, 23))
    assert found == [utc(2026, 11, 1, 5, 30)]
    # London: 01:30 on 25 October 2026 happens at 00:30 UTC (BST) and again at 01:30 (GMT).
    found = occurrences(daily("01:30"), LONDON, utc(2026, 10, 24, 12), utc(2026, 10, 25, 12))
    assert found == [utc(2026, 10, 25, 0, 30)]


def test_an_interval_inside_a_window_keeps_its_local_times() -> None:
    posture = Recurrence(
        every_min=45,
        window_start=dt.time(9),
        window_end=dt.time(17),
        weekdays=frozenset(range(5)),
    )
    # 09:00 + k·45 min up to 17:00: k = 0 … 10 (10·45 = 450 min → 16:30).
    assert len(posture.times_of_day()) == 11
    assert posture.times_of_day()[-1] == dt.time(16, 30)
    # Friday 27 and Monday 30 March 2026 in London (GMT, then BST); no weekend reminders.
    found = occurrences(posture, LONDON, utc(2026, 3, 27), utc(2026, 3, 31))
    assert len(found) == 22
    assert found[0] == utc(2026, 3, 27, 9) and found[11] == utc(2026, 3, 30, 8)
    assert describe(posture) == "every 45 min 09:00–17:00 · Mon–Fri"


def test_every_eight_hours_is_three_local_times() -> None:
    rec = Recurrence(every_min=480, window_start=dt.time(6), window_end=dt.time(23, 59))
    assert rec.times_of_day() == (dt.time(6), dt.time(14), dt.time(22))


def test_weekdays_and_dates_bound_the_occurrences() -> None:
    rec = daily(
        "09:00",
        weekdays=frozenset({0, 2, 4}),
        start_date=dt.date(2026, 6, 3),
        end_date=dt.date(2026, 6, 12),
    )
    found = occurrences(rec, LONDON, utc(2026, 6, 1), utc(2026, 6, 30))
    # Wed 3, Fri 5, Mon 8, Wed 10, Fri 12 June at 09:00 BST = 08:00 UTC.
    assert [t.day for t in found] == [3, 5, 8, 10, 12]
    assert all(t.hour == 8 for t in found)


def test_a_one_off_reminder_occurs_once_inside_the_window() -> None:
    rec = Recurrence(once_at=utc(2026, 5, 1, 17))
    assert occurrences(rec, LONDON, utc(2026, 5, 1), utc(2026, 5, 2)) == [utc(2026, 5, 1, 17)]
    assert occurrences(rec, LONDON, utc(2026, 5, 1, 17), utc(2026, 5, 2)) == []


def test_the_window_is_open_at_the_start_and_closed_at_the_end() -> None:
    assert occurrences(daily("08:00"), LONDON, utc(2026, 1, 5, 8), utc(2026, 1, 6, 8)) == [
        utc(2026, 1, 6, 8)
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "times"),
        ({"times": (dt.time(8),), "every_min": 60}, "times"),
        ({"every_min": 5, "window_start": dt.time(9), "window_end": dt.time(10)}, "every_min"),
        ({"every_min": 60}, "window_start"),
        ({"every_min": 60, "window_start": dt.time(10), "window_end": dt.time(9)}, "window_end"),
        ({"times": (dt.time(8),), "weekdays": frozenset({7})}, "weekdays"),
        (
            {
                "times": (dt.time(8),),
                "start_date": dt.date(2026, 2, 1),
                "end_date": dt.date(2026, 1, 1),
            },
            "end_date",
        ),
        ({"once_at": dt.datetime(2026, 1, 1, 8)}, "once_at"),
    ],
)
def test_an_impossible_schedule_is_refused_naming_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Recurrence(**kwargs)
    assert error.value.field == field


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidInput):
        zone("Mars/Olympus_Mons")


@pytest.mark.parametrize(
    ("per_week", "days"),
    [(1, {0}), (2, {0, 3}), (3, {0, 2, 4}), (5, {0, 1, 2, 4, 5}), (7, set(range(7)))],
)
def test_exercise_sessions_are_spread_over_the_week(per_week: int, days: set[int]) -> None:
    assert spread_weekdays(per_week) == frozenset(days)
