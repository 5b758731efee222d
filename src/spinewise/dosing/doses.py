"""Exact dose arithmetic of a pump programme (issue formulas, in rational arithmetic).

Figures are computed with :class:`fractions.Fraction` from the decimal values as written
(``0.1`` is one tenth, not the nearest binary float), so a programme that sits exactly at
a limit compares *equal* to it instead of a rounding error above or below. Results are
returned as Fractions; callers convert with ``float()`` for display.

- ``basal_daily_dose`` = Σ over steps of rate (mL/day) × fraction of the day × concentration;
- ``max_daily_dose`` = basal + bolus dose × maximum boluses per day;
- ``refill_due_days`` = (fill volume − low-reservoir alarm) /
  (basal volume per day + bolus volume × maximum per day), bolus volume = dose / concentration.
"""

from __future__ import annotations

from fractions import Fraction

from spinewise.dosing.programme import MINUTES_PER_DAY, Programme


def exact(value: float | int) -> Fraction:
    """The decimal value as written: ``exact(0.1) == Fraction(1, 10)``."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def basal_volume_per_day_ml(programme: Programme) -> Fraction:
    """Volume the basal steps deliver in one day (mL)."""
    total = Fraction(0)
    for step, minutes in zip(programme.steps, programme.step_durations_min(), strict=True):
        total += exact(step.rate_ml_per_day) * Fraction(minutes, MINUTES_PER_DAY)
    return total


def basal_daily_dose(programme: Programme) -> Fraction:
    """Dose the basal steps deliver in one day (drug unit)."""
    return basal_volume_per_day_ml(programme) * exact(programme.concentration)


def bolus_daily_dose(programme: Programme) -> Fraction:
    """Largest dose the patient can add by boluses in a day (drug unit)."""
    if programme.bolus is None:
        return Fraction(0)
    return exact(programme.bolus.dose) * programme.bolus.max_per_day


def max_daily_dose(programme: Programme) -> Fraction:
    """Basal daily dose plus every permitted bolus (drug unit)."""
    return basal_daily_dose(programme) + bolus_daily_dose(programme)


def max_volume_per_day_ml(programme: Programme) -> Fraction:
    """Largest volume leaving the reservoir in a day: basal plus every permitted bolus (mL)."""
    bolus_volume = bolus_daily_dose(programme) / exact(programme.concentration)
    return basal_volume_per_day_ml(programme) + bolus_volume


def refill_due_days(programme: Programme, low_reservoir_alarm_ml: float) -> Fraction | None:
    """Days from a fill until the low-reservoir alarm at the largest daily use.

    None when nothing leaves the reservoir (pump off, no bolus); 0 when the fill is
    already at or below the alarm volume.
    """
    per_day = max_volume_per_day_ml(programme)
    if per_day == 0:
        return None
    usable = exact(programme.fill_volume_ml) - exact(low_reservoir_alarm_ml)
    return max(usable, Fraction(0)) / per_day
