"""Questionnaire scheduling: baseline then every 2 or 4 weeks (pure date arithmetic)."""

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.schedule import due_dates, next_due, occasions

MON = dt.date(2025, 3, 3)  # a Monday


def test_due_dates_every_two_weeks():
    assert due_dates(MON, interval_weeks=2, until=dt.date(2025, 4, 1)) == [
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 17),
        dt.date(2025, 3, 31),
    ]


def test_due_dates_every_four_weeks_cross_a_year_end():
    assert due_dates(dt.date(2024, 12, 2), interval_weeks=4, until=dt.date(2025, 1, 27)) == [
        dt.date(2024, 12, 2),
        dt.date(2024, 12, 30),
        dt.date(2025, 1, 27),
    ]


def test_other_intervals_are_refused():
    with pytest.raises(InvalidInput):
        due_dates(MON, interval_weeks=3, until=dt.date(2025, 6, 1))


def test_before_the_baseline_is_answered_the_baseline_is_open():
    first = next_due(MON, interval_weeks=2, today=MON)
    assert first.is_baseline and first.status == "open"


def test_statuses_after_five_weeks():
    # Baseline on 3 Mar answered on 3 Mar; week 2 (17 Mar) answered 19 Mar (2 days late,
    # inside the ±3-day window); week 4 (31 Mar) never answered → missed once 3 Apr passed;
    # today 7 Apr → next is week 6 (14 Apr), window opens 11 Apr → upcoming.
    result = occasions(
        MON,
        interval_weeks=2,
        today=dt.date(2025, 4, 7),
        completed=[dt.date(2025, 3, 3), dt.date(2025, 3, 19)],
    )
    assert [(o.due, o.status) for o in result] == [
        (dt.date(2025, 3, 3), "done"),
        (dt.date(2025, 3, 17), "done"),
        (dt.date(2025, 3, 31), "missed"),
        (dt.date(2025, 4, 14), "upcoming"),
    ]
    assert result[1].completed_on == dt.date(2025, 3, 19)


def test_an_occasion_is_open_inside_its_window():
    # Week-4 occasion due 31 Mar with a 4-week interval: window 28 Mar – 3 Apr.
    occ = next_due(MON, interval_weeks=4, today=dt.date(2025, 3, 28), completed=[MON])
    assert (occ.due, occ.status) == (dt.date(2025, 3, 31), "open")
    occ = next_due(MON, interval_weeks=4, today=dt.date(2025, 3, 27), completed=[MON])
    assert occ.status == "upcoming"


def test_an_answer_outside_every_window_counts_for_nothing():
    # 10 Mar is 7 days after baseline and 7 days before week 2: outside both windows.
    result = occasions(
        MON, interval_weeks=2, today=dt.date(2025, 3, 24), completed=[dt.date(2025, 3, 10)]
    )
    assert [o.status for o in result] == ["missed", "missed", "upcoming"]


def test_windows_must_not_overlap():
    with pytest.raises(InvalidInput):
        occasions(MON, interval_weeks=2, today=MON, window_days=7)
