"""Robotic therapy API: who may do what, sessions as background tasks that outlive their
watchers, the live WebSocket and who may open it, and the stop path to the safe state."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from spinewise.core import audit
from spinewise.db import unit_of_work
from spinewise.robotics.api import LIVE_RESOURCE
from tests.accounts.test_pages import sign_in
from tests.conftest import World

from .conftest import LIMITS, SHORT_PROTOCOL, prescribe

BODY = {"limits": LIMITS, "mass_kg": 80.0, "height_m": 1.75}


def _base(world: World) -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}/robotics"


def _wait_until_ended(client: TestClient, url: str, headers: dict, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        record = client.get(url, headers=headers).json()
        if record["status"] != "running":
            return dict(record)
        time.sleep(0.05)
    raise AssertionError(f"session still running after {timeout_s} s")


def _messages_until(ws: Any, kind: str, limit: int = 20_000) -> list[dict]:
    seen = []
    for _ in range(limit):
        message = ws.receive_json()
        seen.append(message)
        if message["type"] == kind:
            return seen
    raise AssertionError(f"no {kind} message")


def test_the_care_team_sets_limits_and_protocol_and_the_patient_reads_them(
    client: TestClient, world: World
) -> None:
    base = _base(world)
    assert (
        client.put(f"{base}/limits", json=BODY, headers=world.patient_1.headers).status_code == 403
    )
    saved = client.put(f"{base}/limits", json=BODY, headers=world.clinician_a.headers)
    assert saved.status_code == 200 and saved.json()["limits"] == LIMITS
    assigned = client.put(
        f"{base}/protocol", json={"example": "stabilisation"}, headers=world.clinician_a.headers
    )
    assert assigned.status_code == 200
    assert assigned.json()["protocol_source"] == "example:stabilisation"
    read = client.get(f"{base}/prescription", headers=world.patient_1.headers)
    assert read.status_code == 200 and read.json()["protocol_name"].startswith(
        "Trunk stabilisation"
    )


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({**BODY, "limits": {**LIMITS, "angle_deg": [10, 40]}}, 422, "include 0"),
        ({**BODY, "mass_kg": 400}, 422, "body.mass_kg"),
        ({**BODY, "limits": {**LIMITS, "velocity_deg_s": 0}}, 422, "greater than 0"),
    ],
)
def test_limits_outside_what_the_core_accepts_are_refused(
    client: TestClient, world: World, body: dict, status: int, text: str
) -> None:
    answer = client.put(f"{_base(world)}/limits", json=body, headers=world.clinician_a.headers)
    assert answer.status_code == status and text in answer.text


def test_an_uploaded_protocol_that_does_not_fit_is_refused_with_its_reason(
    client: TestClient, world: World
) -> None:
    base = _base(world)
    client.put(f"{base}/limits", json=BODY, headers=world.clinician_a.headers)
    too_fast = {**SHORT_PROTOCOL, "exercises": [{**SHORT_PROTOCOL["exercises"][0], "period_s": 1}]}
    answer = client.put(
        f"{base}/protocol", json={"protocol": too_fast}, headers=world.clinician_a.headers
    )
    assert answer.status_code == 422 and "lengthen period_s" in answer.json()["detail"]
    neither = client.put(f"{base}/protocol", json={}, headers=world.clinician_a.headers)
    assert neither.status_code == 422


def test_the_example_protocols_are_listed_for_clinicians(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/robotics/protocols", headers=world.clinician_a.headers)
    assert [e["key"] for e in answer.json()] == [
        "flexion_extension",
        "stabilisation",
        "mixed_session",
    ]
    # The shipped flexion–extension: 1 + 6 × (6 + 1 + 1) + 1 = 50 s.
    assert answer.json()[0]["planned_duration_s"] == 50.0
    assert (
        client.get("/api/v1/robotics/protocols", headers=world.patient_1.headers).status_code == 403
    )


def test_a_session_runs_in_the_background_and_outlives_the_page_that_watched_it(
    app: FastAPI, client: TestClient, session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    # Real time while a second start must find the first running (12 s of session: a fast
    # machine had finished a 40x one before the second request arrived), then 40x to the end.
    app.state.robotics.speed = 1.0
    base, headers = _base(world), world.clinician_a.headers
    with client.websocket_connect(f"{base}/live", headers=headers) as ws:
        assert ws.receive_json() == {"type": "hello", "session": None, "last": None}
        started = client.post(f"{base}/sessions", json={"seed": 5}, headers=headers)
        assert started.status_code == 201 and started.json()["status"] == "running"
        assert started.json()["simulated"] is True
        again = client.post(f"{base}/sessions", json={}, headers=headers)
        assert again.status_code == 409 and "already running" in again.text
        assert ws.receive_json()["type"] == "started"
        sample = ws.receive_json()
        assert sample["type"] == "sample" and sample["limits_deg"] == [-10.0, 40.0]
        assert set(sample) >= {"angle_deg", "target_deg", "assistance", "mode", "stop_reason"}
        app.state.robotics.speed = 40.0
    # The page closed after one sample; the session carries on to its end.
    record = _wait_until_ended(client, f"{base}/sessions/{started.json()['id']}", headers)
    assert record["status"] == "completed" and record["completed_repetitions"] == 2
    assert len(record["repetitions"]) == 2 and record["safety_events"] == []
    assert record["summary"]["summary"]["completed_repetitions"] == 2


def test_stop_reaches_the_monitor_and_the_record_shows_why(
    app: FastAPI, client: TestClient, session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    app.state.robotics.speed = 2.0  # 12 s of session in 6 s: time to press stop
    base, headers = _base(world), world.clinician_a.headers
    started = client.post(f"{base}/sessions", json={"seed": 1}, headers=headers).json()
    with client.websocket_connect(f"{base}/live", headers=headers) as ws:
        hello = ws.receive_json()
        assert hello["session"]["id"] == started["id"]
        while ws.receive_json().get("t_s", 0.0) < 2.0:
            pass
        assert (
            client.post(f"{base}/sessions/{started['id']}/stop", headers=world.patient_1.headers)
        ).status_code == 403
        stop = client.post(f"{base}/sessions/{started['id']}/stop", headers=headers)
        assert stop.status_code == 202
        assert stop.json()["stop_requested_by_name"] == "Dr Ada Clinician"
        messages = _messages_until(ws, "ended")
    held = [m for m in messages if m["type"] == "sample" and m["mode"] != "run"]
    assert held and all(m["mode"] == "compliant_hold" for m in held)
    assert all(m["stop_reason"] == "stop_button" for m in held)
    ended = messages[-1]["session"]
    assert (ended["status"], ended["stop_cause"], ended["stop_action"]) == (
        "stopped",
        "stop_button",
        "compliant_hold",
    )
    record = client.get(f"{base}/sessions/{started['id']}", headers=headers).json()
    assert record["stop_cause"] == "stop_button" and record["stop_action"] == "compliant_hold"
    assert record["stop_requested_by_name"] == "Dr Ada Clinician"
    assert record["safety_events"][0]["kind"] == "stop_button"
    assert record["trace"]["mode"][-1] == "compliant_hold"
    # The session held the safe state for 1.5 s after the stop and ended.
    assert record["duration_s"] == pytest.approx(record["stop_t_s"] + 1.5, abs=0.002)
    late = client.post(f"{base}/sessions/{started['id']}/stop", headers=headers)
    assert late.status_code == 409
    # The patient reads their own record (read-only).
    mine = client.get(f"{base}/sessions", headers=world.patient_1.headers).json()
    assert mine["total"] == 1 and mine["items"][0]["stop_cause"] == "stop_button"


def test_a_simulated_fault_is_recorded_as_the_cause(
    app: FastAPI, client: TestClient, session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    app.state.robotics.speed = 40.0
    base, headers = _base(world), world.clinician_a.headers
    started = client.post(
        f"{base}/sessions", json={"faults": ["sensor_dropout@3"]}, headers=headers
    ).json()
    record = _wait_until_ended(client, f"{base}/sessions/{started['id']}", headers)
    # Sensor faults always end in torque off (a position loop cannot close on a bad sensor).
    assert (record["stop_cause"], record["stop_action"], record["stop_t_s"]) == (
        "sensor_dropout",
        "torque_off",
        3.0,
    )
    bad = client.post(f"{base}/sessions", json={"faults": ["melt@1"]}, headers=headers)
    assert bad.status_code == 422 and "unknown fault" in bad.text


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, 4401),
        ("patient_2", 4404),
        ("clinician_b", 4404),
        ("admin", 4404),
        ("patient_1", 4403),
    ],
)
def test_only_the_care_team_clinicians_may_watch_a_live_session(
    client: TestClient, world: World, who: str | None, code: int
) -> None:
    headers = getattr(world, who).headers if who else {}
    with client.websocket_connect(f"{_base(world)}/live", headers=headers) as ws:
        assert ws.receive_json()["type"] == "error"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == code


def test_watching_is_audited(client: TestClient, app: FastAPI, world: World) -> None:
    with client.websocket_connect(f"{_base(world)}/live", headers=world.clinician_a.headers) as ws:
        assert ws.receive_json()["type"] == "hello"
    with unit_of_work(app.state.session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id)
    assert (world.clinician_a.email, LIVE_RESOURCE, "read") in {
        (e.actor_email, e.resource, e.action) for e in entries
    }


def test_a_signed_in_browser_watches_only_from_this_site(client: TestClient, world: World) -> None:
    sign_in(client, world.clinician_a.email)  # the session cookie rides on the handshake
    url = f"{_base(world)}/live"
    with client.websocket_connect(url, headers={"Origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "hello"
    evil = {"Origin": "https://evil.example"}  # cross-site WebSocket hijacking
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(url, headers=evil):
        pass
    assert refused.value.code == 4403


def test_shutting_down_stops_running_sessions_through_the_monitor(
    app: FastAPI, session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    base, headers = _base(world), world.clinician_a.headers
    with TestClient(app) as client:  # real time: still running when the server stops
        started = client.post(f"{base}/sessions", json={}, headers=headers).json()
        time.sleep(0.2)
    with TestClient(app) as client:
        record = client.get(f"{base}/sessions/{started['id']}", headers=headers).json()
    assert (record["status"], record["stop_cause"]) == ("stopped", "stop_button")
    assert "shut down" in record["note"]
