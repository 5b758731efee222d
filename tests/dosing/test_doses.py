"""Dose arithmetic, against hand calculations written next to each case."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from spinewise.dosing.doses import (
    basal_daily_dose,
    basal_volume_per_day_ml,
    exact,
    max_daily_dose,
    refill_due_days,
)
from spinewise.dosing.programme import Programme


def test_exact_reads_decimals_as_written() -> None:
    assert exact(0.1) == Fraction(1, 10)
    assert exact(0.1) + exact(0.2) == exact(0.3)  # 0.1 + 0.2 != 0.3 in binary floats
    assert exact(19.2) == Fraction(96, 5)
    assert exact(7) == 7


def test_basal_daily_dose_sums_rate_times_fraction_of_day_times_concentration(
    make_programme: Callable[..., Programme],
) -> None:
    # 0.3 mL/day for 8 h and 0.6 mL/day for 16 h: 0.3 x 8/24 + 0.6 x 16/24 = 0.1 + 0.4 = 0.5 mL
    # at 10 mg/mL -> 5 mg/day.
    programme = make_programme(
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0.3},
            {"start": "08:00", "rate_ml_per_day": 0.6},
        ]
    )
    assert basal_volume_per_day_ml(programme) == Fraction(1, 2)
    assert basal_daily_dose(programme) == 5


def test_steps_at_odd_minutes_count_their_exact_share_of_the_day(
    make_programme: Callable[..., Programme],
) -> None:
    # 1.44 mL/day from 06:30 to 07:15 (45 min = 45/1440 of the day) adds 1.44 x 45/1440 = 0.045 mL;
    # 0 mL/day otherwise. At 10 mg/mL: 0.45 mg.
    programme = make_programme(
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0},
            {"start": "06:30", "rate_ml_per_day": 1.44},
            {"start": "07:15", "rate_ml_per_day": 0},
        ]
    )
    assert basal_daily_dose(programme) == Fraction(45, 100)


def test_max_daily_dose_adds_every_permitted_bolus(
    make_programme: Callable[..., Programme],
) -> None:
    # basal 0.4 x 10 = 4 mg; boluses 0.5 mg x 4 = 2 mg; max 6 mg.
    assert max_daily_dose(make_programme()) == 6
    assert max_daily_dose(make_programme(bolus=None)) == 4


def test_refill_due_days_uses_the_largest_daily_volume(
    make_programme: Callable[..., Programme],
) -> None:
    # usable 20 - 2 = 18 mL; per day 0.4 mL basal + (0.5 mg / 10 mg/mL) x 4 = 0.2 mL -> 0.6 mL;
    # 18 / 0.6 = 30 days.
    assert refill_due_days(make_programme(), 2) == 30


def test_refill_due_days_is_none_when_nothing_flows_and_zero_below_the_alarm(
    make_programme: Callable[..., Programme],
) -> None:
    off = make_programme(steps=[{"start": "00:00", "rate_ml_per_day": 0}], bolus=None)
    assert refill_due_days(off, 2) is None
    assert refill_due_days(make_programme(fill_volume_ml=1.5), 2) == 0
