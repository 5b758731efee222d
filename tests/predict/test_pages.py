"""Decision-support pages: the form, the panel (own page and on the patient page), the cards."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from spinewise.accounts.models import Patient
from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.accounts.test_pages import sign_in
from tests.conftest import World
from tests.predict.test_service import FULL

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)

FORM = {
    "assessed_on": "2026-01-05",
    "age_years": "42",
    "odi_pct": "32",
    "nprs": "5",
    "startback_total": "5",
    "startback_psychosocial": "2",
    "fabq_work": "12",
    "fabq_pa": "13",
    "duration_value": "6",
    "duration_unit": "weeks",
    "symptoms_distal_to_knee": "no",
    "hip_internal_rotation_left_deg": "38",
    "hip_internal_rotation_right_deg": "",
    "lumbar_hypomobility": "yes",
    "notes": "Lifting at work.",
}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def _form_page(client: TestClient, world: World) -> str:
    sign_in(client, world.clinician_a.email)
    page = client.get(f"/patients/{world.patient_1.patient_id}/assessments/new")
    assert page.status_code == 200
    return page.text


def test_the_form_asks_for_every_input_of_the_three_parts(client: TestClient, world: World) -> None:
    html = _form_page(client, world)
    for name in (
        "odi_pct",
        "odi_1",
        "nprs",
        "startback_total",
        "startback_psychosocial",
        "sb_9",
        "age_years",  # the test patients have no date of birth
        "duration_value",
        "symptoms_distal_to_knee",
        "fabq_work",
        "fabq_pa",
        "hip_internal_rotation_left_deg",
        "hip_internal_rotation_right_deg",
        "lumbar_hypomobility",
    ):
        assert f'name="{name}"' in html, name
    assert "Leg pain" in html and "Pain intensity" in html  # neutral item labels


def test_a_saved_assessment_leads_to_the_panel(client: TestClient, world: World) -> None:
    html = _form_page(client, world)
    saved = client.post(
        f"/patients/{world.patient_1.patient_id}/assessments",
        data={**FORM, "csrf_token": _csrf(html)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/patients/{world.patient_1.patient_id}/decision-support"
    panel = client.get(saved.headers["location"]).text
    assert "Risk group" in panel and 'data-level="medium"' in panel
    assert "<code>startback_medium</code>" in panel
    # 6 weeks = 42 days: the duration finding is absent, the other four present.
    assert 'data-level="positive"' in panel and "4 of 5 findings present" in panel
    assert "Positive likelihood ratio 24.38" in panel and "4.63–139.41" in panel
    assert "Limits of its validation" in panel and "Hancock" in panel
    assert "SYNTHETIC training data." in panel
    assert 'class="chart forest"' in panel and panel.count('class="chart contributions"') == 4
    for card in ("startback", "manipulation-cpr", "response"):
        assert f'href="/predict/cards/{card}"' in panel
    assert "05 Jan 2026" in panel  # the history table


def test_form_errors_are_shown_with_the_values_kept(client: TestClient, world: World) -> None:
    html = _form_page(client, world)
    answer = client.post(
        f"/patients/{world.patient_1.patient_id}/assessments",
        data={**FORM, "nprs": "12", "csrf_token": _csrf(html)},
    )
    assert answer.status_code == 422
    assert "nprs" in answer.text and 'value="12"' in answer.text
    partial = client.post(
        f"/patients/{world.patient_1.patient_id}/assessments",
        data={"sb_1": "1", "csrf_token": _csrf(html)},
    )
    assert partial.status_code == 422 and "all nine STarT Back items" in partial.text


def test_a_form_without_its_security_token_is_refused(client: TestClient, world: World) -> None:
    _form_page(client, world)
    answer = client.post(f"/patients/{world.patient_1.patient_id}/assessments", data=FORM)
    assert answer.status_code == 403


def test_the_patient_page_loads_the_panel_for_clinicians_only(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.clinician_a.email)
    page = client.get(f"/patients/{world.patient_1.patient_id}").text
    assert f'hx-get="/patients/{world.patient_1.patient_id}/decision-support/panel"' in page
    fragment = client.get(f"/patients/{world.patient_1.patient_id}/decision-support/panel")
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "No assessment recorded yet" in fragment.text

    client.cookies.clear()
    sign_in(client, world.patient_1.email)
    own = client.get(f"/patients/{world.patient_1.patient_id}").text
    assert "decision-support" not in own
    refused = client.get(f"/patients/{world.patient_1.patient_id}/decision-support")
    assert refused.status_code == 403 and "clinicians only" in refused.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("spine", "reliability.png"),
        ("response", "SYNTHETIC DATA - NOT CLINICAL EVIDENCE"),
        ("manipulation-cpr", "24.380"),
        ("startback", "1.810"),
    ],
)
def test_model_cards_are_pages(client: TestClient, world: World, name: str, expected: str) -> None:
    sign_in(client, world.clinician_a.email)
    page = client.get(f"/predict/cards/{name}")
    assert page.status_code == 200
    assert expected in page.text
    assert "Limits" in page.text and "Intended use" in page.text


def test_the_card_index_and_the_reliability_figure(client: TestClient, world: World) -> None:
    sign_in(client, world.clinician_a.email)
    index = client.get("/predict/cards").text
    assert index.count('href="/predict/cards/') == 4 and "SYNTHETIC training data" in index
    figure = client.get("/predict/cards/spine/reliability.png")
    assert figure.status_code == 200 and figure.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_patient_unlike_the_training_data_gets_a_refusal_not_a_number(
    client: TestClient, session_factory, world: World
) -> None:
    # Born in 1920: over 100 on any assessment date, beyond the synthetic cohort's 18-85 years
    # (plus the guard's 10 % margin), so the model declines and says why.
    with unit_of_work(session_factory) as session:
        session.get(Patient, world.patient_1.patient_id).date_of_birth = date(1920, 1, 1)
    created = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/assessments",
        json=FULL,
        headers=world.clinician_a.headers,
    )
    assert created.status_code == 201, created.text
    sign_in(client, world.clinician_a.email)
    panel = client.get(f"/patients/{world.patient_1.patient_id}/decision-support/panel").text
    assert "The model declines to estimate for this patient" in panel
    assert "age_years" in panel and "outside the training range" in panel
    assert 'class="chart forest"' not in panel
    assert "SYNTHETIC training data." in panel  # the label stays with a refusal too
    with unit_of_work(session_factory) as session:
        entry = audit.tail(session, patient_id=world.patient_1.patient_id, limit=5)
    assert any(e.action == "predict" and e.detail.endswith("SYNTHETIC: refused") for e in entry)
