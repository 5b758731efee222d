"""Minute aggregates add up; days and weeks group them; recommendations explain themselves."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from spinewise.posture.recommend import recommend
from spinewise.posture.simulate import simulate
from spinewise.posture.stream import PostureStream
from spinewise.posture.summary import MinuteAggregate, daily_summaries, weekly_summary

DAY0 = dt.datetime(2026, 3, 2, tzinfo=dt.UTC).timestamp()  # a Monday, 00:00 UTC


def minute(start_s: float, **kw: float) -> MinuteAggregate:
    base = dict(
        minute_start_s=start_s, covered_s=60.0, samples=6000, neutral_s=60.0, flexed_s=0.0,
        severe_s=0.0, flexion_mean_deg=10.0, flexion_p90_deg=15.0, still_s=60.0, moving_s=0.0,
        walking_s=0.0, lying_s=0.0, alerts=0, alerts_escalated=0,
    )  # fmt: skip
    base.update(kw)
    return MinuteAggregate(**base)  # type: ignore[arg-type]


def test_minute_aggregates_add_up_to_the_recording_totals() -> None:
    # SYNTHETIC recording starting at an arbitrary Unix time, mid-minute.
    sim = simulate("mixed", 50.0, 400.0, seed=3, start_s=DAY0 + 9 * 3600 + 17.5)
    stream = PostureStream(keep_history=True)
    minutes = stream.feed(sim.samples).minutes + stream.close().minutes
    report = stream.report()
    assert len(minutes) == 7  # from 17.5 s into a minute to 417.5 s: clock minutes 0..6
    assert all(m.minute_start_s % 60 == 0 for m in minutes)
    for zone in ("neutral", "flexed", "severe"):
        total = sum(getattr(m, f"{zone}_s") for m in minutes)
        assert total == pytest.approx(report.time_in_zone_s[zone], abs=1e-6)
    assert sum(m.samples for m in minutes) == report.samples
    assert sum(m.alerts for m in minutes) == len(report.alerts)
    # A sample stands for the time since the previous one, so a minute covers
    # (last sample of the previous minute, its own last sample]: 60 s ± one sample step.
    assert all(m.covered_s <= 60.0 + 0.02 + 2 * 0.006 for m in minutes)  # step + jitter (±6 ms)


def test_daily_summary_groups_minutes_by_calendar_day_and_hour() -> None:
    # Day 1: 60 flexed minutes at 14:00–15:00; day 2: 30 neutral minutes at 09:00.
    mins = [minute(DAY0 + 14 * 3600 + 60 * i, neutral_s=0.0, flexed_s=60.0) for i in range(60)]
    mins += [minute(DAY0 + 86400 + 9 * 3600 + 60 * i) for i in range(30)]
    days = daily_summaries(mins)
    assert [d.date for d in days] == ["2026-03-02", "2026-03-03"]
    assert days[0].wear_s == 3600.0 and days[0].flexed_s == 3600.0
    assert days[0].flexed_s_by_hour[14] == 3600.0
    assert days[0].flexed_share == 1.0
    assert days[1].flexed_share == 0.0
    assert days[0].longest_static_s == 3600.0  # 60 contiguous still minutes
    week = weekly_summary(days)
    assert week.wear_s == 5400.0
    assert week.flexed_share == pytest.approx(3600 / 5400)


def test_utc_offset_moves_minutes_into_local_days() -> None:
    days = daily_summaries([minute(DAY0 + 23 * 3600)], utc_offset_s=2 * 3600)
    assert days[0].date == "2026-03-03"


def _week(flexed_hours: dict[int, float], **kw: float) -> list:
    """Seven days with 8 h of wear; flexed minutes placed at the given hours."""
    mins = []
    for d in range(7):
        for h in range(8, 16):
            flexed_min = flexed_hours.get(h, 0.0)
            for i in range(60):
                flexed = 60.0 if i < flexed_min else 0.0
                mins.append(minute(DAY0 + d * 86400 + h * 3600 + 60 * i,
                                   neutral_s=60.0 - flexed, flexed_s=flexed, **kw))  # fmt: skip
    return daily_summaries(mins)


def test_movement_break_names_the_window_where_flexion_concentrates() -> None:
    # 40 of 50 flexed minutes per day fall in 14:00–16:00 (80 % ≥ 35 %), 10 at 09:00.
    days = _week({14: 20.0, 15: 20.0, 9: 10.0}, walking_s=10.0, still_s=50.0)
    recs = {r.code: r for r in recommend(days)}
    rec = recs["movement_break"]
    assert "14:00–16:00" in rec.message and "13:45" in rec.message
    assert rec.evidence["share"] == pytest.approx(0.8)
    assert "80%" in rec.because


def test_mostly_ignored_alerts_suggest_recalibration_or_threshold_review() -> None:
    days = _week({}, walking_s=10.0, still_s=50.0)
    days[0] = days[0].__class__(**(days[0].to_dict() | {"alerts": 10, "alerts_escalated": 4}))
    assert "alerts_ignored" not in {r.code for r in recommend(days)}  # 40 % < 60 %
    recs = {r.code: r for r in recommend(days, dismissed_alerts=3)}  # (4 + 3) / 10 = 70 %
    assert "recalibrate" in recs["alerts_ignored"].message
    assert recs["alerts_ignored"].evidence == {"alerts": 10, "escalated": 4, "dismissed": 3}


def test_long_static_low_walking_and_short_wear_rules() -> None:
    recs = {r.code for r in recommend(_week({}))}  # 8 h still a day, no walking
    assert {"long_static", "low_walking"} <= recs
    assert "short_wear" not in recs
    short = daily_summaries([minute(DAY0 + 60 * i) for i in range(60)])
    assert "short_wear" in {r.code for r in recommend(short)}


def test_no_recommendation_without_evidence() -> None:
    assert recommend([]) == []
    healthy = _week({}, walking_s=30.0, still_s=0.0, moving_s=30.0)
    assert {r.code for r in recommend(healthy)} == set()


def test_improvement_is_acknowledged() -> None:
    first = _week({10: 30.0})[:3]
    second = _week({10: 10.0})[3:]
    codes = {r.code for r in recommend(first + second)}
    assert "improving" in codes
    assert np.isfinite(weekly_summary(first + second).flexed_share)


def test_minute_p90_is_numpys_linear_percentile() -> None:
    from spinewise.posture.summary import _percentile_linear

    values = np.random.default_rng(4).normal(20, 8, size=601)
    for size in (1, 2, 7, 601):
        assert _percentile_linear(values[:size], 90.0) == pytest.approx(
            np.percentile(values[:size], 90), abs=1e-12
        )
