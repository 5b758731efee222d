"""Adherence arithmetic with hand-computed weeks."""

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.rehab.adherence import (
    SessionLog,
    adherence_flags,
    adherence_trend,
    describe_week,
    overall_adherence,
    prescribed_in_week,
    weekly_adherence,
)

D = dt.date
START = D(2025, 3, 6)  # a Thursday, ISO week 10


@pytest.mark.parametrize(
    ("per_week", "days", "expected"),
    [(5, 4, 3), (5, 7, 5), (3, 3, 1), (1, 1, 0), (7, 1, 1), (2, 7, 2)],
    # 5×4/7 = 2.86 → 3; 3×3/7 = 1.29 → 1; 1×1/7 = 0.14 → 0; 7×1/7 = 1
)
def test_prescription_is_pro_rated_and_rounded_half_up(per_week, days, expected):
    assert prescribed_in_week(per_week, days) == expected


def logs():
    return [
        SessionLog(D(2025, 3, 6), "completed"),  # Thu W10
        SessionLog(D(2025, 3, 8), "partial"),  # Sat W10
        SessionLog(D(2025, 3, 10), "completed"),  # Mon W11
        SessionLog(D(2025, 3, 11), "completed"),
        SessionLog(D(2025, 3, 12), "completed"),
        SessionLog(D(2025, 3, 14), "completed"),
        SessionLog(D(2025, 3, 16), "skipped"),  # Sun W11
        SessionLog(D(2025, 3, 17), "completed"),  # Mon W12, in progress
    ]


def test_weekly_adherence_by_iso_week():
    weeks = weekly_adherence(logs(), sessions_per_week=5, start=START, today=D(2025, 3, 17))
    assert [w.label for w in weeks] == ["2025-W10", "2025-W11", "2025-W12"]
    w10, w11, w12 = weeks
    # W10: Thu–Sun active = 4 days → 3 prescribed; 1 completed + 1 partial = 1.5 → 50 %
    assert (w10.prescribed, w10.completed, w10.partial, w10.complete) == (3, 1, 1, True)
    assert w10.adherence_pct == pytest.approx(50.0)
    assert w10.missed == 1
    # W11: 5 prescribed, 4 completed, 1 skipped → 80 %
    assert (w11.prescribed, w11.completed, w11.skipped) == (5, 4, 1)
    assert w11.adherence_pct == pytest.approx(80.0)
    # W12 is still running
    assert (w12.prescribed, w12.completed, w12.complete) == (5, 1, False)
    # overall over complete weeks: (1.5 + 4) / (3 + 5) = 68.75 %
    assert overall_adherence(weeks) == pytest.approx(68.75)


def test_extra_sessions_do_not_lift_a_week_above_100_percent():
    extra = [SessionLog(D(2025, 3, 10) + dt.timedelta(days=i), "completed") for i in range(7)]
    (week,) = weekly_adherence(
        extra, sessions_per_week=3, start=D(2025, 3, 10), today=D(2025, 3, 17)
    )[:1]
    assert week.adherence_pct == 100.0
    assert overall_adherence([week]) == 100.0


def test_programme_end_limits_the_prescription_and_ignores_later_logs():
    weeks = weekly_adherence(
        [SessionLog(D(2025, 3, 12), "completed"), SessionLog(D(2025, 3, 14), "completed")],
        sessions_per_week=7,
        start=D(2025, 3, 10),
        end=D(2025, 3, 12),  # Mon–Wed: 3 days → 7 × 3/7 = 3
        today=D(2025, 3, 20),
    )
    assert len(weeks) == 1
    assert (weeks[0].prescribed, weeks[0].completed, weeks[0].complete) == (3, 1, True)


def _week_series(pcts):
    """Complete weeks of 10 prescribed sessions with the given adherence."""
    start = D(2025, 1, 6)
    logs_ = []
    for i, pct in enumerate(pcts):
        monday = start + dt.timedelta(weeks=i)
        logs_ += [SessionLog(monday, "completed")] * (pct // 10)
    return weekly_adherence(
        logs_, sessions_per_week=10, start=start, today=start + dt.timedelta(weeks=len(pcts))
    )


def test_trend_is_the_least_squares_slope():
    # 40, 60, 80, 100 → slope +20 %/week → improving
    trend = adherence_trend(_week_series([40, 60, 80, 100]))
    assert trend.slope_pct_per_week == pytest.approx(20.0)
    assert trend.direction == "improving"
    # only the last 4 complete weeks: 100, 90, 80, 70 → −10 → declining
    declining = adherence_trend(_week_series([10, 100, 90, 80, 70]))
    assert declining.slope_pct_per_week == pytest.approx(-10.0) and declining.weeks_used == 4
    assert declining.direction == "declining"
    assert adherence_trend(_week_series([80, 90, 80, 90])).direction == "stable"  # slope +2
    assert adherence_trend(_week_series([80])) is None


def test_low_adherence_flag_uses_the_last_complete_week():
    weeks = weekly_adherence(logs(), sessions_per_week=5, start=START, today=D(2025, 3, 17))
    assert (
        adherence_flags(weeks, logs(), sessions_per_week=5, start=START, today=D(2025, 3, 17)) == []
    )
    low = weekly_adherence(logs()[:2], sessions_per_week=5, start=START, today=D(2025, 3, 17))
    codes = [
        f.code
        for f in adherence_flags(
            low, logs()[:2], sessions_per_week=5, start=START, today=D(2025, 3, 17)
        )
    ]
    assert "low_adherence" in codes  # W11: 0 of 5


def test_no_recent_session_flag_after_twice_the_expected_gap():
    # 3 sessions a week: expected gap 7/3 = 2.3 days, twice that rounded up = 5 days.
    history = [SessionLog(D(2025, 3, 10), "completed"), SessionLog(D(2025, 3, 12), "skipped")]
    args = dict(sessions_per_week=3, start=D(2025, 3, 10))
    on_day_5 = adherence_flags([], history, today=D(2025, 3, 15), **args)
    assert on_day_5 == []
    (flag,) = adherence_flags([], history, today=D(2025, 3, 16), **args)
    assert flag.code == "no_recent_session" and "6 days" in flag.message
    # a daily programme still waits at least 3 days
    assert (
        adherence_flags([], [], sessions_per_week=7, start=D(2025, 3, 10), today=D(2025, 3, 13))
        == []
    )


def test_plain_sentences_for_the_patient():
    weeks = weekly_adherence(logs(), sessions_per_week=5, start=START, today=D(2025, 3, 17))
    assert describe_week(weeks[0]) == "That week you did 2 of 3 planned sessions (1 partly)."
    assert describe_week(weeks[2]) == "This week you did 1 of 5 planned sessions."
    full = weekly_adherence(
        [SessionLog(D(2025, 3, 10) + dt.timedelta(days=i), "completed") for i in range(3)],
        sessions_per_week=3,
        start=D(2025, 3, 10),
        today=D(2025, 3, 17),
    )
    assert describe_week(full[0]) == "That week you did all 3 planned sessions. Well done."


def test_invalid_inputs():
    with pytest.raises(InvalidInput):
        SessionLog(D(2025, 3, 10), "done")
    with pytest.raises(InvalidInput):
        weekly_adherence([], sessions_per_week=0, start=START, today=START)
    with pytest.raises(InvalidInput):
        weekly_adherence([], sessions_per_week=3, start=START, end=D(2025, 3, 1), today=START)
