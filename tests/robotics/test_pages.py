"""Robotic therapy pages: what the clinician and the patient see, the forms, the live view and
a session record that says why it stopped."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinewise.accounts.models import Patient, User
from spinewise.core.audit import Actor
from spinewise.db import unit_of_work
from spinewise.robotics import service
from spinewise.robotics.models import RoboticsPrescription
from tests.accounts.test_pages import sign_in
from tests.conftest import World

from .conftest import SHORT_PROTOCOL, prescribe


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def _no_inline_script(html: str) -> None:
    """The CSP allows only script-src 'self': every script tag loads a file."""
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def _stopped_session(session_factory, world: World) -> int:  # type: ignore[no-untyped-def]
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor = Actor(session.get(User, world.clinician_a.user_id), "test")
        patient = session.get(Patient, world.patient_1.patient_id)
        row, therapy = service.start_session(session, actor=actor, patient=patient, seed=3)
        therapy.run_for(7.0)
        service.request_stop(session, actor=actor, patient_id=patient.id, session_id=row.id)
        therapy.press_stop_button()
        therapy.run()
        service.finish_session(session, session_id=row.id, therapy=therapy)
        return row.id


def test_the_clinician_sets_limits_and_uploads_a_protocol(
    client: TestClient, session_factory, world: World
) -> None:
    sign_in(client, world.clinician_a.email)
    url = f"/patients/{world.patient_1.patient_id}/robotics"
    page = client.get(url)
    assert page.status_code == 200 and "Simulated device." in page.text
    _no_inline_script(page.text)
    token = _csrf(page.text)
    form = {
        "csrf_token": token,
        "angle_lo_deg": "-10",
        "angle_hi_deg": "40",
        "torque_nm": "80",
        "velocity_deg_s": "40",
        "mass_kg": "72",
        "height_m": "1.70",
    }
    saved = client.post(f"{url}/limits", data=form, follow_redirects=False)
    assert saved.status_code == 303
    refused = client.post(f"{url}/limits", data={**form, "angle_lo_deg": "5"})
    assert refused.status_code == 422 and "must include 0 (upright)" in refused.text

    upload = {"upload": ("short.json", json.dumps(SHORT_PROTOCOL), "application/json")}
    assigned = client.post(
        f"{url}/protocol", data={"csrf_token": token}, files=upload, follow_redirects=False
    )
    assert assigned.status_code == 303
    with unit_of_work(session_factory) as session:
        row = session.get(RoboticsPrescription, world.patient_1.patient_id)
        assert row is not None
        assert (row.mass_kg, row.protocol_name, row.protocol_source) == (
            72.0,
            "Short flexion-extension (test)",
            "upload",
        )
    broken = {"upload": ("bad.json", "{not json", "application/json")}
    answer = client.post(f"{url}/protocol", data={"csrf_token": token}, files=broken)
    assert answer.status_code == 422 and "is not valid JSON" in answer.text
    example = client.post(f"{url}/protocol", data={"csrf_token": token, "example": "mixed_session"})
    # The mixed example (made for -15..45°) moves between -5° and 35°: 5° inside this patient's
    # -10..40°, more than the 2° margin, so it fits.
    assert example.status_code == 200 and "Flexion-extension then stabilisation" in example.text


def test_the_patient_sees_limits_and_history_read_only(
    client: TestClient, session_factory, world: World
) -> None:
    session_id = _stopped_session(session_factory, world)
    sign_in(client, world.patient_1.email)
    page = client.get(f"/patients/{world.patient_1.patient_id}/robotics")
    assert page.status_code == 200
    assert "Your robotic therapy sessions" in page.text and "Session history" in page.text
    assert 'action="/patients/' not in page.text  # no form to change anything
    assert "Start simulated session" not in page.text
    assert "stop button" in page.text  # the stop cause in the history table
    record = client.get(f"/patients/{world.patient_1.patient_id}/robotics/sessions/{session_id}")
    assert record.status_code == 200 and "Simulated device and simulated patient" in record.text
    live = client.get(f"/patients/{world.patient_1.patient_id}/robotics/live")
    assert live.status_code == 403


def test_the_session_record_says_why_it_stopped_with_charts_and_repetitions(
    client: TestClient, session_factory, world: World
) -> None:
    session_id = _stopped_session(session_factory, world)
    sign_in(client, world.clinician_a.email)
    page = client.get(f"/patients/{world.patient_1.patient_id}/robotics/sessions/{session_id}")
    html = page.text
    assert page.status_code == 200
    _no_inline_script(html)
    assert (
        "Stopped at 7.00 s by the safety monitor: stop button; safe state: compliant hold." in html
    )
    assert "The stop button was pressed on the live page by Dr Ada Clinician." in html
    assert 'class="chart trace"' in html and 'class="chart pairs"' in html
    # The first repetition (1–6 s) ended before the stop at 7 s; the second did not.
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>flexion–extension</td>", html)
    assert rows == ["1"]
    assert re.search(r"<td>7.000 s</td><td>stop button</td><td>compliant hold</td>", html)


def test_the_patient_page_shows_recent_sessions(
    client: TestClient, session_factory, world: World
) -> None:
    _stopped_session(session_factory, world)
    sign_in(client, world.clinician_a.email)
    home = client.get(f"/patients/{world.patient_1.patient_id}")
    assert f'hx-get="/patients/{world.patient_1.patient_id}/robotics/history"' in home.text
    fragment = client.get(f"/patients/{world.patient_1.patient_id}/robotics/history")
    assert "Robotic therapy sessions" in fragment.text and "simulated device" in fragment.text
    assert "stopped (safe state)" in fragment.text and "stop button" in fragment.text


def test_starting_from_the_page_opens_the_live_view_and_its_stop_button_works(
    app: FastAPI, client: TestClient, session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    app.state.robotics.speed = 1.0
    sign_in(client, world.clinician_a.email)
    base = f"/patients/{world.patient_1.patient_id}/robotics"
    token = _csrf(client.get(base).text)
    started = client.post(
        f"{base}/sessions",
        data={"csrf_token": token, "simulated_patient": "guarded"},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"] == f"{base}/live"
    live = client.get(f"{base}/live")
    html = live.text
    assert "SIMULATED DEVICE" in html and 'id="stop-button"' in html
    assert '<script src="/static/robotics-live.js" defer></script>' in html
    _no_inline_script(html)
    session_id = int(re.search(r'data-session-id="(\d+)"', html).group(1))  # type: ignore[union-attr]
    stopped = client.post(
        f"{base}/sessions/{session_id}/stop", data={"csrf_token": token}, follow_redirects=False
    )
    assert stopped.status_code == 303 and stopped.headers["location"] == f"{base}/live"
    with unit_of_work(session_factory) as session:
        row = service.get_session(
            session, patient_id=world.patient_1.patient_id or 0, session_id=session_id
        )
        assert row.stop_requested_by_name == "Dr Ada Clinician"
        assert row.simulated_patient == "guarded"
