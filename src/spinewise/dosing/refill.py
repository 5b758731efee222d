"""Refill planning: when the reservoir reaches the low-reservoir alarm, as a calendar date.

The days come from :func:`spinewise.dosing.doses.refill_due_days` (largest daily use: basal
plus every permitted bolus, so the date is never later than the real one). The due date
rounds *down* to whole days after the fill, so a reminder is never late.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spinewise.dosing.doses import max_volume_per_day_ml, refill_due_days
from spinewise.dosing.library import DrugLibrary
from spinewise.dosing.programme import Programme


@dataclass(frozen=True)
class RefillPlan:
    """Refill figures for one fill: days and date until the alarm, volumes in mL."""

    filled_on: date
    due_days: float | None
    due_on: date | None
    usable_volume_ml: float
    max_volume_per_day_ml: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "filled_on": self.filled_on.isoformat(),
            "due_days": self.due_days,
            "due_on": None if self.due_on is None else self.due_on.isoformat(),
            "usable_volume_ml": self.usable_volume_ml,
            "max_volume_per_day_ml": self.max_volume_per_day_ml,
        }


def plan_refill(programme: Programme, library: DrugLibrary, filled_on: date) -> RefillPlan:
    """Refill date for a pump filled on ``filled_on`` with ``programme``.

    ``due_on`` is None when nothing leaves the reservoir (pump off and no bolus).
    """
    alarm = library.pump.low_reservoir_alarm_ml
    days = refill_due_days(programme, alarm)
    due_on = None if days is None else filled_on + timedelta(days=math.floor(days))
    return RefillPlan(
        filled_on=filled_on,
        due_days=None if days is None else float(days),
        due_on=due_on,
        usable_volume_ml=max(programme.fill_volume_ml - alarm, 0.0),
        max_volume_per_day_ml=float(max_volume_per_day_ml(programme)),
    )
