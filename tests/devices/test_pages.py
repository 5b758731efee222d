"""Posture pages: what the patient and the clinician see, and who may change what."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from spinewise.accounts.models import Patient
from spinewise.db import unit_of_work
from spinewise.devices import service
from tests.accounts.test_pages import _field, sign_in
from tests.conftest import World

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)


def _seed(session_factory, world: World) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        service.seed_demo(session, patient=patient, scenario="office", days=2, hours=(10,))


def test_the_patient_sees_today_the_week_suggestions_and_their_sensors(
    client: TestClient, session_factory, world: World
) -> None:
    _seed(session_factory, world)
    sign_in(client, world.patient_1.email)
    page = client.get("/me/posture", follow_redirects=True)
    assert page.status_code == 200
    html = page.text
    for heading in (
        "Now",
        "Today",
        "Goal and streak",
        "Suggestions",
        "Your week, hour by hour",
        "Sensors",
    ):
        assert f">{heading}</h2>" in html
    assert "Demo sensor (simulated data)" in html
    assert 'class="chart heatmap"' in html
    assert "Thresholds for this patient" not in html  # set by the care team, not the patient


def test_the_clinician_sees_trends_and_sets_thresholds(
    client: TestClient, session_factory, world: World
) -> None:
    _seed(session_factory, world)
    sign_in(client, world.clinician_a.email)
    page = client.get(f"/patients/{world.patient_1.patient_id}/posture")
    assert "Hours worn per day" in page.text and "Alerts per day" in page.text
    token = (
        _field(page.text, "csrf_token")
        if 'name="csrf_token"' in page.text
        else re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    )
    form = {
        "neutral_max_deg": "25",
        "severe_min_deg": "55",
        "flexed_hold_s": "90",
        "severe_hold_s": "5",
    }
    saved = client.post(
        f"/patients/{world.patient_1.patient_id}/posture/thresholds",
        data=form,
        headers={"X-CSRF-Token": token},
    )
    assert saved.status_code == 200 and "Thresholds saved" in saved.text
    with unit_of_work(session_factory) as session:
        config = service.posture_config(session, patient_id=world.patient_1.patient_id)
    assert (config.zones.neutral_max_deg, config.feedback.flexed_hold_s) == (25.0, 90.0)
    bad = client.post(
        f"/patients/{world.patient_1.patient_id}/posture/thresholds",
        data={**form, "severe_min_deg": "22", "neutral_max_deg": "30"},
        headers={"X-CSRF-Token": token},
    )
    assert bad.status_code == 422


def test_a_clinician_outside_the_team_cannot_open_the_posture_page(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.clinician_b.email)
    assert client.get(f"/patients/{world.patient_1.patient_id}/posture").status_code == 404


def test_the_phone_sensor_page_is_for_patients(client: TestClient, world: World) -> None:
    sign_in(client, world.patient_1.email)
    page = client.get("/me/phone-sensor")
    assert page.status_code == 200 and "/static/phone-sensor.js" in page.text
    other = TestClient(client.app)
    sign_in(other, world.clinician_a.email)
    assert other.get("/me/phone-sensor").status_code == 404
