"""Pump programme: what a clinician programs into an implanted intrathecal pump.

JSON form (doses in the drug's unit, concentration in unit/mL, volumes in mL)::

    {"drug": "morphine", "concentration": 10, "reservoir_ml": 20, "fill_volume_ml": 20,
     "steps": [{"start": "00:00", "rate_ml_per_day": 0.4},
               {"start": "06:00", "rate_ml_per_day": 0.6}],
     "bolus": {"dose": 0.2, "lockout_min": 120, "max_per_day": 3},
     "previous_daily_dose": 4.0}

Steps (flex dosing) start at ``00:00`` with strictly increasing times; each rate holds
until the next step, the last one until midnight, and the pattern repeats every day.
A rate of 0 means the pump is off for that step. ``bolus`` is the patient-activated
bolus (``null`` for none); ``previous_daily_dose`` is the maximum daily dose of the
programme this one replaces, used by the ``daily_increase`` rule.

Validation here covers only the *shape* of a programme (types, ranges, ordering):
malformed input raises ``InvalidInput``. Whether it is *safe* is the job of
:func:`spinewise.dosing.check.check_programme`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from spinewise.core.errors import InvalidInput
from spinewise.dosing._validation import MAX_COUNT, Magnitude, invalid_input_from

MINUTES_PER_DAY = 24 * 60
MAX_STEPS = 48  # shape bound only: a flex-dosing table is far shorter
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


def parse_hhmm(value: str) -> int:
    """``"HH:MM"`` (00:00-23:59) to minutes after midnight."""
    match = _HHMM.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a time of day as HH:MM between 00:00 and 23:59")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_hhmm(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


class Step(BaseModel):
    """One flex-dosing step: a rate (mL/day) from ``start`` until the next step."""

    model_config = _STRICT

    start: str
    rate_ml_per_day: Magnitude = Field(ge=0, allow_inf_nan=False)

    @field_validator("start")
    @classmethod
    def _valid_time(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @property
    def start_min(self) -> int:
        return parse_hhmm(self.start)


class Bolus(BaseModel):
    """Patient-activated bolus: dose (drug unit), lockout (minutes), maximum per day."""

    model_config = _STRICT

    dose: Magnitude = Field(gt=0, allow_inf_nan=False)
    lockout_min: Magnitude = Field(ge=0, allow_inf_nan=False)
    max_per_day: int = Field(ge=0, le=MAX_COUNT)


class Programme(BaseModel):
    """A complete pump programme (see the module docstring for the JSON form)."""

    model_config = _STRICT

    drug: str = Field(min_length=1, max_length=100)
    concentration: Magnitude = Field(gt=0, allow_inf_nan=False)
    reservoir_ml: Magnitude = Field(gt=0, allow_inf_nan=False)
    fill_volume_ml: Magnitude = Field(ge=0, allow_inf_nan=False)
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)
    bolus: Bolus | None
    previous_daily_dose: Magnitude | None = Field(default=None, ge=0, allow_inf_nan=False)

    @field_validator("drug")
    @classmethod
    def _drug_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must name a drug")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        if self.fill_volume_ml > self.reservoir_ml:
            raise ValueError(
                f"fill_volume_ml ({self.fill_volume_ml:g}) exceeds reservoir_ml "
                f"({self.reservoir_ml:g})"
            )
        starts = [step.start_min for step in self.steps]
        if starts[0] != 0:
            raise ValueError("the first step must start at 00:00")
        for i in range(1, len(starts)):
            if starts[i] <= starts[i - 1]:
                raise ValueError(
                    f"steps[{i}].start {self.steps[i].start} must be later than "
                    f"{self.steps[i - 1].start}"
                )
        return self

    def step_durations_min(self) -> list[int]:
        """Minutes each step holds within the day (the last one until midnight)."""
        starts = [step.start_min for step in self.steps]
        ends = [*starts[1:], MINUTES_PER_DAY]
        return [end - start for start, end in zip(starts, ends, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """The programme in its JSON form (``previous_daily_dose`` omitted when unset)."""
        data = self.model_dump(mode="json")
        if data["previous_daily_dose"] is None:
            del data["previous_daily_dose"]
        return data


def programme_from_dict(data: Any) -> Programme:
    """Validate a parsed programme document; malformed input raises ``InvalidInput``."""
    if not isinstance(data, dict):
        raise InvalidInput("programme", "must be a JSON object")
    try:
        return Programme.model_validate(data)
    except ValidationError as exc:
        raise invalid_input_from(exc, "programme") from None
