"""Property tests through the HTTP API: over random clinic libraries and programmes, the API
stores exactly the programmes that break no hard limit (the others get 422 with exactly the
broken rules), and a planner suggestion — the third path into the store — always saves.

The oracle is the independent exact-arithmetic one of ``test_properties.py``. Examples share
one patient, so each saved version becomes the next example's ``daily_increase`` baseline, as
it does in the app: the expectation applies the documented rule (the active version's maximum
daily dose of the same drug, or the client's claim when lower).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import World

from .conftest import save_body
from .test_properties import library_and_programme, oracle, safe_cases

pytestmark = [
    pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True),
    pytest.mark.slow,  # two x 40 examples through HTTP: ~20-50 s on a busy machine
]
_clinics = itertools.count()
FIXTURE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _switch_library(client: TestClient, world: World, library: dict[str, Any]) -> None:
    clinic = f"Random clinic {next(_clinics)}"
    headers = world.clinician_a.headers
    uploaded = client.post(
        "/api/v1/drug-libraries", json={"clinic": clinic, "document": library}, headers=headers
    )
    assert uploaded.status_code == 201, uploaded.text
    moved = client.put(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-settings",
        json={"clinic": clinic},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text


def _fresh_drugs(
    library: dict[str, Any], programme: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rename every drug so no earlier version is this programme's baseline (half the
    examples; the other half keep the names and meet the previous example's version)."""
    tag = f"-{next(_clinics)}"
    drugs = {name + tag: entry for name, entry in library["drugs"].items()}
    return {**library, "drugs": drugs}, {**programme, "drug": programme["drug"] + tag}


def _history(client: TestClient, world: World) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes",
        params={"limit": 200},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 200
    return dict(answer.json())


def _as_the_service_checks_it(programme: dict[str, Any], history: dict[str, Any]) -> dict[str, Any]:
    """The programme with the baseline the service supplies (see dosing.service)."""
    active = [v for v in history["items"] if v["status"] == "active"]
    if not active or active[0]["drug"].casefold() != programme["drug"].casefold():
        return programme
    recorded = active[0]["max_daily_dose"]
    claimed = programme.get("previous_daily_dose")
    return {
        **programme,
        "previous_daily_dose": recorded if claimed is None else min(claimed, recorded),
    }


@FIXTURE_SETTINGS
@given(
    case=st.one_of(library_and_programme(), safe_cases().map(lambda c: (c[0], c[1]))),
    fresh=st.booleans(),
)
def test_the_api_stores_exactly_the_programmes_that_break_no_hard_limit(
    client: TestClient, world: World, case: tuple[dict[str, Any], dict[str, Any]], fresh: bool
) -> None:
    library, programme = _fresh_drugs(*case) if fresh else case
    _switch_library(client, world, library)
    before = _history(client, world)
    expected = oracle(_as_the_service_checks_it(programme, before), library)
    event("refused" if expected else "stored")
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes",
        json=save_body(programme, soft_limit_reason="property test: above the soft maximum"),
        headers=world.clinician_a.headers,
    )
    after = _history(client, world)
    if expected:
        assert answer.status_code == 422, answer.text
        assert [v["rule"] for v in answer.json()["violations"]] == expected
        assert after["total"] == before["total"]
    else:
        assert answer.status_code == 201, answer.text
        assert after["total"] == before["total"] + 1
        stored = answer.json()["programme"]
        assert oracle(stored, library) == []


@FIXTURE_SETTINGS
@given(case=safe_cases(), fresh=st.booleans())
def test_a_planner_suggestion_always_passes_and_saves_without_raising_the_dose(
    client: TestClient,
    world: World,
    case: tuple[dict[str, Any], dict[str, Any], list[float], int],
    fresh: bool,
) -> None:
    library, programme, pain, max_steps = case
    if fresh:
        library, programme = _fresh_drugs(library, programme)
    _switch_library(client, world, library)
    effective = _as_the_service_checks_it(programme, _history(client, world))
    plan = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes/plan",
        json={"programme": programme, "pain": pain, "max_steps": max_steps},
        headers=world.clinician_a.headers,
    )
    if oracle(effective, library):  # the input already breaks a limit: no suggestion at all
        event("input refused")
        assert plan.status_code == 422 and plan.json()["error"] == "safety_limit_exceeded"
        return
    assert plan.status_code == 200, plan.text
    suggestion = plan.json()
    event("changed" if suggestion["changed"] else "kept")
    assert oracle(suggestion["programme"], library) == []
    assert suggestion["basal_daily_dose_after"] <= suggestion["basal_daily_dose_before"]
    saved = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes",
        json=save_body(suggestion["programme"], soft_limit_reason="property test"),
        headers=world.clinician_a.headers,
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["max_daily_dose"] <= suggestion["check"]["max_daily_dose"] + 1e-12
