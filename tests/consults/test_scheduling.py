"""Availability rules in the clinician's zone, free slots and overlap (pure scheduling)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from spinewise.consults.scheduling import (
    Interval,
    WeeklyRule,
    appointment_interval,
    expand_rules,
    first_conflict,
    format_local,
    free_slots,
    is_bookable_slot,
    parse_local,
)
from spinewise.core.errors import InvalidInput

MONDAY = 0


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_london_rule_follows_daylight_saving_time() -> None:
    # UK clocks go forward on Sunday 29 March 2026 (last Sunday of March): GMT = UTC+0 before,
    # BST = UTC+1 after. So "Mondays 09:00–17:00 Europe/London" is 09:00Z on 23 March and
    # 08:00Z on 30 March.
    rules = [WeeklyRule(MONDAY, time(9), time(17))]
    spans = expand_rules(
        rules, timezone="Europe/London", start=utc(2026, 3, 22), end=utc(2026, 4, 1)
    )
    assert spans == [
        Interval(utc(2026, 3, 23, 9), utc(2026, 3, 23, 17)),
        Interval(utc(2026, 3, 30, 8), utc(2026, 3, 30, 16)),
    ]


def test_a_new_york_morning_is_the_afternoon_in_utc_in_summer() -> None:
    # 6 July 2026 is a Monday; New York is on EDT = UTC−4, so 09:00 local is 13:00Z.
    rules = [WeeklyRule(MONDAY, time(9), time(12))]
    [span] = expand_rules(
        rules, timezone="America/New_York", start=utc(2026, 7, 6), end=utc(2026, 7, 7)
    )
    assert span == Interval(utc(2026, 7, 6, 13), utc(2026, 7, 6, 16))


def test_a_wall_time_skipped_by_the_clock_change_reads_with_the_earlier_offset() -> None:
    # On 29 March 2026 London jumps from 01:00 GMT to 02:00 BST, so 01:30 local does not
    # exist; read with the offset before the change (GMT, +0) it is 01:30Z (02:30 BST).
    # 04:00 BST is 03:00Z.
    rules = [WeeklyRule(6, time(1, 30), time(4))]
    [span] = expand_rules(
        rules, timezone="Europe/London", start=utc(2026, 3, 29), end=utc(2026, 3, 30)
    )
    assert span == Interval(utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 3))


def test_free_slots_step_through_the_rule_and_skip_busy_times() -> None:
    rules = [WeeklyRule(MONDAY, time(9), time(10, 30))]
    day = {"timezone": "UTC", "start": utc(2026, 7, 6), "end": utc(2026, 7, 7)}
    assert free_slots(rules, busy=[], duration_min=30, **day) == [  # type: ignore[arg-type]
        utc(2026, 7, 6, 9),
        utc(2026, 7, 6, 9, 30),
        utc(2026, 7, 6, 10),
    ]
    busy = [Interval(utc(2026, 7, 6, 9, 30), utc(2026, 7, 6, 10))]
    assert free_slots(rules, busy=busy, duration_min=30, **day) == [  # type: ignore[arg-type]
        utc(2026, 7, 6, 9),
        utc(2026, 7, 6, 10),
    ]
    # A 60-minute slot needs an hour inside the rule: 09:00 and 09:30 fit, 10:00 would end
    # at 11:00, after the rule's end.
    assert free_slots(rules, busy=[], duration_min=60, **day) == [  # type: ignore[arg-type]
        utc(2026, 7, 6, 9),
        utc(2026, 7, 6, 9, 30),
    ]


def test_slots_before_the_requested_start_are_not_offered() -> None:
    rules = [WeeklyRule(MONDAY, time(9), time(11))]
    slots = free_slots(
        rules,
        timezone="UTC",
        busy=[],
        start=utc(2026, 7, 6, 9, 45),
        end=utc(2026, 7, 7),
        duration_min=30,
    )
    assert slots == [utc(2026, 7, 6, 10), utc(2026, 7, 6, 10, 30)]


def test_back_to_back_appointments_do_not_overlap() -> None:
    first = Interval(utc(2026, 7, 6, 10), utc(2026, 7, 6, 10, 30))
    second = Interval(utc(2026, 7, 6, 10, 30), utc(2026, 7, 6, 11))
    straddling = Interval(utc(2026, 7, 6, 10, 15), utc(2026, 7, 6, 10, 45))
    assert not first.overlaps(second) and not second.overlaps(first)
    assert straddling.overlaps(first) and straddling.overlaps(second)
    assert first_conflict(straddling, [second, first]) == first


def test_only_an_exact_free_slot_is_bookable() -> None:
    rules = [WeeklyRule(MONDAY, time(9), time(12))]
    kwargs = {"timezone": "UTC", "busy": [], "step_min": 30}
    on_grid = Interval(utc(2026, 7, 6, 9, 30), utc(2026, 7, 6, 10))
    off_grid = Interval(utc(2026, 7, 6, 9, 10), utc(2026, 7, 6, 9, 40))
    outside = Interval(utc(2026, 7, 6, 12), utc(2026, 7, 6, 12, 30))
    assert is_bookable_slot(rules, slot=on_grid, **kwargs)  # type: ignore[arg-type]
    assert not is_bookable_slot(rules, slot=off_grid, **kwargs)  # type: ignore[arg-type]
    assert not is_bookable_slot(rules, slot=outside, **kwargs)  # type: ignore[arg-type]


def test_a_start_without_an_offset_or_an_absurd_length_is_refused() -> None:
    with pytest.raises(InvalidInput, match="offset"):
        appointment_interval(datetime(2026, 7, 6, 10), 30)
    with pytest.raises(InvalidInput, match="duration_min"):
        appointment_interval(utc(2026, 7, 6, 10), 600)
    with pytest.raises(InvalidInput):
        WeeklyRule(MONDAY, time(12), time(9))
    with pytest.raises(InvalidInput, match="timezone"):
        expand_rules([], timezone="Mars/Olympus", start=utc(2026, 1, 1), end=utc(2026, 1, 2))


def test_an_interval_keeps_the_offset_given_and_stores_utc() -> None:
    # 10:00 at UTC+02:00 is 08:00Z.
    start = datetime(2026, 7, 1, 10, tzinfo=UTC) - timedelta(hours=2)
    assert appointment_interval(datetime.fromisoformat("2026-07-01T10:00:00+02:00"), 45) == (
        Interval(start, start + timedelta(minutes=45))
    )


def test_people_read_times_in_their_own_zone() -> None:
    # 1 July 2026 is a Wednesday; 08:00Z is 09:00 BST in London and 04:00 EDT in New York.
    instant = utc(2026, 7, 1, 8)
    assert format_local(instant, "Europe/London") == "Wed 1 Jul 2026, 09:00 BST"
    assert format_local(instant, "America/New_York") == "Wed 1 Jul 2026, 04:00 EDT"


def test_a_typed_local_time_is_read_in_the_typists_zone() -> None:
    # Paris is on CEST = UTC+2 in July.
    assert parse_local("2026-07-01T10:00", "Europe/Paris") == utc(2026, 7, 1, 8)
    assert parse_local("2026-07-01T10:00+00:00", "Europe/Paris") == utc(2026, 7, 1, 10)
    with pytest.raises(InvalidInput):
        parse_local("tomorrow", "UTC")
