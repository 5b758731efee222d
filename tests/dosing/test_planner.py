"""Schedule planner on a synthetic morning-peak pain profile and its edge cases."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.dosing.check import ProgrammeRejected, check_programme
from spinewise.dosing.doses import basal_daily_dose
from spinewise.dosing.library import DrugLibrary, default_library
from spinewise.dosing.pk import programme_hourly_levels
from spinewise.dosing.planner import (
    format_hour_ranges,
    painful_hours,
    parse_pain_profile,
    plan_schedule,
)
from spinewise.dosing.programme import Programme, programme_from_dict

from .conftest import FLAT_MORPHINE, MORNING_PEAK_PAIN


@pytest.fixture
def morphine() -> Programme:
    return programme_from_dict(copy.deepcopy(FLAT_MORPHINE))


def test_morning_peak_plan_keeps_the_dose_passes_the_check_and_raises_the_peak_level(
    morphine: Programme,
) -> None:
    library = default_library()
    plan = plan_schedule(morphine, library, MORNING_PEAK_PAIN)
    assert plan.changed
    assert plan.painful_hours == (6, 7, 8, 9)  # pain >= (3 + 8) / 2 = 5.5
    assert check_programme(plan.programme, library).ok and plan.check.ok
    assert basal_daily_dose(plan.programme) == basal_daily_dose(morphine) == 6
    assert plan.mean_level_after > plan.mean_level_before
    assert len(plan.programme.steps) <= 4
    # The level before is the flat steady state: 6 mg/day = 0.25 mg/h; C = R / (kV) =
    # 0.25 x 1.5 / (ln 2 x 150) mg/mL.
    assert plan.mean_level_before == pytest.approx(0.25 * 1.5 / (np.log(2) * 150), rel=1e-9)


def test_plan_raises_the_rate_before_the_pain_to_cover_the_pk_delay(morphine: Programme) -> None:
    plan = plan_schedule(morphine, default_library(), MORNING_PEAK_PAIN)
    peak_rate = max(s.rate_ml_per_day for s in plan.programme.steps)
    first_high = next(s for s in plan.programme.steps if s.rate_ml_per_day == peak_rate)
    assert first_high.start < "06:00"


def test_plan_beats_raising_the_rate_only_during_the_painful_hours(morphine: Programme) -> None:
    # Same dose, no anticipation: 1.2 mL/day 06:00-10:00 and 0.48 elsewhere
    # (1.2 x 4/24 + 0.48 x 20/24 = 0.2 + 0.4 = 0.6 mL/day, the current dose).
    library = default_library()
    naive = programme_from_dict(
        {
            **FLAT_MORPHINE,
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.48},
                {"start": "06:00", "rate_ml_per_day": 1.2},
                {"start": "10:00", "rate_ml_per_day": 0.48},
            ],
        }
    )
    assert basal_daily_dose(naive) == basal_daily_dose(morphine)
    pk = library.require("morphine").pk
    naive_level = programme_hourly_levels(naive, pk)[6:10].mean()
    plan = plan_schedule(morphine, library, MORNING_PEAK_PAIN)
    assert plan.mean_level_after > naive_level


def test_explanation_quotes_the_window_the_peak_and_the_figures(morphine: Programme) -> None:
    plan = plan_schedule(morphine, default_library(), MORNING_PEAK_PAIN)
    text = plan.explanation
    assert text.startswith("Moves ")
    assert f"{100 * plan.moved_fraction:.0f} % of the daily dose" in text
    assert "ahead of the morning pain peak (06:00–10:00)" in text
    assert f"{plan.mean_level_before:.3g}" in text and f"{plan.mean_level_after:.3g}" in text
    assert "stays at 6 mg" in text


def test_max_steps_bounds_the_number_of_steps(morphine: Programme) -> None:
    library = default_library()
    for max_steps in (2, 3, 6):
        plan = plan_schedule(morphine, library, MORNING_PEAK_PAIN, max_steps=max_steps)
        assert plan.changed and len(plan.programme.steps) <= max_steps
    one = plan_schedule(morphine, library, MORNING_PEAK_PAIN, max_steps=1)
    assert not one.changed and one.programme == morphine


def test_flat_pain_keeps_the_programme(morphine: Programme) -> None:
    plan = plan_schedule(morphine, default_library(), [4.0] * 24)
    assert not plan.changed
    assert plan.programme == morphine
    assert "less than 1 point" in plan.explanation


def test_a_programme_that_breaks_a_limit_is_refused_before_planning(
    morphine: Programme,
) -> None:
    too_strong = morphine.model_copy(update={"concentration": 25.0})
    with pytest.raises(ProgrammeRejected) as caught:
        plan_schedule(too_strong, default_library(), MORNING_PEAK_PAIN)
    assert "concentration" in [v.rule for v in caught.value.violations]


def test_a_dose_too_small_for_the_pump_range_is_kept(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    # Synthetic pump minimum 0.1 mL/day; 0.1 mL/day for 2 h then off = 0.1 x 2/24 mL/day
    # on average, below what 24 h at >= 0.1 mL/day would deliver.
    tiny = make_programme(
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0.1},
            {"start": "02:00", "rate_ml_per_day": 0},
        ]
    )
    plan = plan_schedule(tiny, library, MORNING_PEAK_PAIN)
    assert not plan.changed and "too small" in plan.explanation


def test_painful_hours_are_at_or_above_the_midpoint_of_the_days_range() -> None:
    assert painful_hours(MORNING_PEAK_PAIN) == (6, 7, 8, 9)
    assert painful_hours([2.0] * 23 + [2.9]) == ()  # range 0.9 < 1 point
    evening = [2.0] * 24
    evening[22] = evening[23] = evening[0] = 6.0
    assert painful_hours(evening) == (0, 22, 23)
    assert format_hour_ranges((0, 22, 23)) == "22:00–01:00"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([1] * 23, "pain"),
        ({"hourly": [1] * 24}, "pain"),
        ([1] * 23 + [11], "pain[23]"),
        ([1] * 23 + [-1], "pain[23]"),
        ([1] * 23 + ["5"], "pain[23]"),
        ([True] + [1] * 23, "pain[0]"),
    ],
)
def test_malformed_pain_profiles_raise_invalid_input(data: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_pain_profile(data)
    assert caught.value.field == field


def test_max_steps_outside_1_to_24_is_bad_input(morphine: Programme) -> None:
    with pytest.raises(InvalidInput, match="max_steps"):
        plan_schedule(morphine, default_library(), MORNING_PEAK_PAIN, max_steps=0)
