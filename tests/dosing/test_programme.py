"""Programme shape validation: malformed input is refused with one clear message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.dosing.programme import format_hhmm, parse_hhmm, programme_from_dict

from .conftest import BASE_PROGRAMME


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_PROGRAMME)
    data.update(changes)
    return data


def _without(key: str) -> dict[str, Any]:
    data = copy.deepcopy(BASE_PROGRAMME)
    del data[key]
    return data


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ([], "programme", "JSON object"),
        (_without("concentration"), "concentration", "is required"),
        (_without("bolus"), "bolus", "is required"),
        (_with(concentration=0), "concentration", "greater than 0"),
        (_with(concentration="10"), "concentration", "valid number"),
        (_with(concentration=True), "concentration", "valid number"),
        (_with(concentration=float("nan")), "concentration", "finite"),
        (_with(drug="  "), "drug", "must name a drug"),
        (_with(fill_volume_ml=21), "programme", "exceeds reservoir_ml"),
        (_with(steps=[]), "steps", "at least 1"),
        (_with(steps=[{"start": "01:00", "rate_ml_per_day": 0.4}]), "programme", "00:00"),
        (
            _with(
                steps=[
                    {"start": "00:00", "rate_ml_per_day": 0.4},
                    {"start": "08:00", "rate_ml_per_day": 0.4},
                    {"start": "08:00", "rate_ml_per_day": 0.5},
                ]
            ),
            "programme",
            "steps[2].start 08:00 must be later than 08:00",
        ),
        (_with(steps=[{"start": "24:00", "rate_ml_per_day": 0.4}]), "steps[0].start", "HH:MM"),
        (_with(steps=[{"start": "0:00", "rate_ml_per_day": 0.4}]), "steps[0].start", "HH:MM"),
        (
            _with(steps=[{"start": "00:00", "rate_ml_per_day": -0.1}]),
            "steps[0].rate_ml_per_day",
            "greater than or equal to 0",
        ),
        (
            _with(bolus={"dose": 0, "lockout_min": 60, "max_per_day": 1}),
            "bolus.dose",
            "greater than 0",
        ),
        (
            _with(bolus={"dose": 0.1, "lockout_min": 60, "max_per_day": 1.5}),
            "bolus.max_per_day",
            "integer",
        ),
        (_with(previous_daily_dose=-1), "previous_daily_dose", "greater than or equal to 0"),
        (_with(rate=1), "rate", "not a known field"),
        # Magnitudes no pump uses are refused as malformed, so the exact dose arithmetic always
        # converts back to a finite float (1e308 mg/mL used to crash with an OverflowError).
        (_with(concentration=1e308), "concentration", "not a plausible figure"),
        (
            _with(steps=[{"start": "00:00", "rate_ml_per_day": 5e-324}]),
            "steps[0].rate_ml_per_day",
            "not a plausible figure",
        ),
        (
            _with(bolus={"dose": 0.1, "lockout_min": 60, "max_per_day": 10**7}),
            "bolus.max_per_day",
            "less than or equal to 1000000",
        ),
        (_with(drug="x" * 101), "drug", "at most 100 characters"),
    ],
)
def test_malformed_programmes_raise_invalid_input(data: Any, field: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        programme_from_dict(data)
    assert caught.value.field == field
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


def test_a_valid_programme_round_trips_to_the_same_json() -> None:
    programme = programme_from_dict(copy.deepcopy(BASE_PROGRAMME))
    again = programme_from_dict(programme.to_dict())
    assert again == programme
    assert programme.to_dict()["steps"] == [{"start": "00:00", "rate_ml_per_day": 0.4}]


def test_previous_daily_dose_is_optional_and_omitted_when_unset() -> None:
    programme = programme_from_dict(_without("previous_daily_dose"))
    assert programme.previous_daily_dose is None
    assert "previous_daily_dose" not in programme.to_dict()


def test_step_durations_run_to_midnight() -> None:
    programme = programme_from_dict(
        _with(
            steps=[
                {"start": "00:00", "rate_ml_per_day": 0.4},
                {"start": "06:30", "rate_ml_per_day": 0.5},
                {"start": "22:00", "rate_ml_per_day": 0.3},
            ]
        )
    )
    assert programme.step_durations_min() == [390, 930, 120]  # 6.5 h, 15.5 h, 2 h


def test_times_of_day_parse_and_format() -> None:
    assert parse_hhmm("00:00") == 0
    assert parse_hhmm("23:59") == 1439
    assert format_hhmm(390) == "06:30"
