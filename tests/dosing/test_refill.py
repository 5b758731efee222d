"""Refill planning: due date from the fill date, rounded down so reminders are never late."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from spinewise.dosing.library import DrugLibrary
from spinewise.dosing.programme import Programme
from spinewise.dosing.refill import plan_refill


def test_refill_date_is_fill_date_plus_whole_days_to_the_alarm(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    # (20 - 2) mL / (0.4 + 0.05 x 4) mL/day = 30 days -> 2025-03-01 + 30 d = 2025-03-31.
    plan = plan_refill(make_programme(), library, date(2025, 3, 1))
    assert plan.due_days == 30
    assert plan.due_on == date(2025, 3, 31)
    assert plan.usable_volume_ml == 18
    assert plan.max_volume_per_day_ml == 0.6


def test_partial_days_round_down(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    # 18 mL / 0.7 mL/day (0.5 basal + 0.2 bolus) = 25.71 days -> due after 25 whole days.
    plan = plan_refill(
        make_programme(steps=[{"start": "00:00", "rate_ml_per_day": 0.5}]),
        library,
        date(2025, 1, 1),
    )
    assert plan.due_days is not None and 25.7 < plan.due_days < 25.8
    assert plan.due_on == date(2025, 1, 26)


def test_no_flow_means_no_due_date(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    off = make_programme(steps=[{"start": "00:00", "rate_ml_per_day": 0}], bolus=None)
    plan = plan_refill(off, library, date(2025, 1, 1))
    assert plan.due_on is None and plan.to_dict()["due_days"] is None
