"""Shared fixtures for the dosing tests.

The *test library* below is synthetic: round numbers chosen so limits are easy to reach by
hand calculation. It is not clinical guidance (the packaged default library is).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spinewise.dosing.library import DrugLibrary, library_from_dict
from spinewise.dosing.programme import Programme, programme_from_dict

SYNTHETIC_LIBRARY: dict[str, Any] = {
    "name": "synthetic test library",
    "version": "test-1",
    "pump": {"min_rate_ml_per_day": 0.1, "max_rate_ml_per_day": 2.0, "low_reservoir_alarm_ml": 2},
    "drugs": {
        "testorphine": {
            "unit": "mg",
            "max_concentration": 10,
            "daily_dose_soft_max": 4,
            "daily_dose_hard_max": 6,
            "max_daily_increase_pct": 20,
            "bolus_dose_hard_max": 0.5,
            "bolus_min_lockout_min": 60,
            "bolus_max_per_day": 4,
            "pk": {"half_life_h": 2, "volume_ml": 100},
        }
    },
}

# 0.4 mL/day x 10 mg/mL = 4 mg/day basal; 0.5 mg x 4 boluses = 2 mg; max 6 mg/day.
BASE_PROGRAMME: dict[str, Any] = {
    "drug": "testorphine",
    "concentration": 10,
    "reservoir_ml": 20,
    "fill_volume_ml": 20,
    "steps": [{"start": "00:00", "rate_ml_per_day": 0.4}],
    "bolus": {"dose": 0.5, "lockout_min": 60, "max_per_day": 4},
    "previous_daily_dose": 5,
}

# Synthetic morning-peak pain profile (NRS 0-10 per clock hour) peaking 06:00-10:00:
# made-up numbers for the tests, not diary data and not clinical evidence.
MORNING_PEAK_PAIN = [3, 3, 3, 3, 3, 4, 7, 8, 8, 7, 5, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3]


# Morphine 10 mg/mL at a flat 0.6 mL/day = 6 mg/day basal; 0.25 mg boluses, 3 a day.
# Within the default library (PACC 2017: <= 20 mg/mL, <= 15 mg/day).
FLAT_MORPHINE: dict[str, Any] = {
    "drug": "morphine",
    "concentration": 10,
    "reservoir_ml": 20,
    "fill_volume_ml": 20,
    "steps": [{"start": "00:00", "rate_ml_per_day": 0.6}],
    "bolus": {"dose": 0.25, "lockout_min": 120, "max_per_day": 3},
    "previous_daily_dose": 6.75,
}


@pytest.fixture
def library() -> DrugLibrary:
    return library_from_dict(copy.deepcopy(SYNTHETIC_LIBRARY))


@pytest.fixture
def make_programme() -> Callable[..., Programme]:
    """A valid programme with the given top-level fields replaced."""

    def make(**changes: Any) -> Programme:
        data = copy.deepcopy(BASE_PROGRAMME)
        data.update(changes)
        return programme_from_dict(data)

    return make


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, Any], Path]:
    def write(name: str, data: Any) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


# --- the app side (service, API, pages) -----------------------------------------------------------


@pytest.fixture
def second_clinician(session_factory: Any, world: Any) -> Any:
    """Another clinician in patient_1's care team (for the soft-limit sign-off)."""
    from spinewise.accounts import service as accounts
    from spinewise.core.models import TokenKind
    from spinewise.db import unit_of_work
    from tests.conftest import PASSWORD, Person

    with unit_of_work(session_factory) as session:
        user = accounts.create_user(
            session,
            email="clin.c@example.org",
            password=PASSWORD,
            role="clinician",
            name="Dr Cleo Second",
        )
        accounts.add_to_care_team(
            session, clinician_email=user.email, patient_email=world.patient_1.email
        )
        raw, _ = accounts.issue_token(session, user=user, kind=TokenKind.api, max_age_s=3600)
        return Person(email=user.email, role="clinician", token=raw, user_id=user.id)


def save_body(programme: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A ``POST …/pump-programmes`` body."""
    return {"programme": programme, "reason": "test: titration after review", **extra}
