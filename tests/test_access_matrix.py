"""Object-level access for EVERY route that takes a patient id, found by walking the app's routes,
so that a route added later is covered without anyone remembering to add it here.

Expectations (foundation issue): the patient themself and a clinician of their care team are
allowed; another patient and a clinician outside the team get 404 (hidden, not forbidden); an
anonymous caller gets 401 from the API (or is sent to sign in by a page). Each allowed read is
in the audit log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import fastapi.routing
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.conftest import World, seeded_copy, settings_for

ALLOWED = ("patient_1", "clinician_a")
HIDDEN = ("patient_2", "clinician_b", "admin")
# Routes where an allowed identity still cannot act (e.g. patient-only actions) list the
# identities that get 403 instead; hidden identities must still get 404.
ROLE_RESTRICTED: dict[tuple[str, str], set[str]] = {
    # Thresholds are set by the care team, not by the patient.
    ("PUT", "/api/v1/patients/{patient_id}/posture/settings"): {"patient_1"},
    ("POST", "/patients/{patient_id}/posture/thresholds"): {"patient_1"},
    # Prescribing and scheduling are for the patient's clinicians (rehab, outcomes).
    ("POST", "/api/v1/patients/{patient_id}/programmes"): {"patient_1"},
    ("POST", "/patients/{patient_id}/programmes"): {"patient_1"},
    ("PUT", "/api/v1/patients/{patient_id}/questionnaire-schedule"): {"patient_1"},
    ("POST", "/patients/{patient_id}/questionnaire-schedule"): {"patient_1"},
    # Pump programmes are clinician-only; the patient sees the refill date and logs boluses,
    # which only the patient themself does.
    **{
        (method, f"/api/v1/patients/{{patient_id}}/{path}"): {"patient_1"}
        for method, path in (
            ("GET", "pump-programmes"),
            ("POST", "pump-programmes"),
            ("POST", "pump-programmes/check"),
            ("POST", "pump-programmes/plan"),
            ("GET", "pump-programmes/{programme_id}"),
            ("POST", "pump-programmes/{programme_id}/sign-off"),
            ("GET", "pump-settings"),
            ("PUT", "pump-settings"),
        )
    },
    **{
        (method, f"/patients/{{patient_id}}/pump{path}"): {"patient_1"}
        for method, path in (
            ("GET", ""),
            ("POST", "/check"),
            ("POST", "/programmes"),
            ("POST", "/plan"),
            ("POST", "/load"),
            ("POST", "/settings"),
            ("POST", "/programmes/{programme_id}/sign-off"),
            ("GET", "/programmes/{programme_id}/sheet"),
        )
    },
    ("POST", "/api/v1/patients/{patient_id}/bolus-activations"): {"clinician_a"},
    ("POST", "/patients/{patient_id}/pump/boluses"): {"clinician_a"},
    # Decision support is shown to clinicians only: the patient gets 403 on their own record.
    **{
        route: {"patient_1"}
        for route in (
            ("GET", "/api/v1/patients/{patient_id}/assessments"),
            ("POST", "/api/v1/patients/{patient_id}/assessments"),
            ("GET", "/api/v1/patients/{patient_id}/decision-support"),
            ("GET", "/patients/{patient_id}/decision-support"),
            ("GET", "/patients/{patient_id}/decision-support/panel"),
            ("GET", "/patients/{patient_id}/assessments/new"),
            ("POST", "/patients/{patient_id}/assessments"),
        )
    },
    # The assistant: red flags are acknowledged by the care team, not by the patient.
    ("POST", "/api/v1/patients/{patient_id}/assistant/messages/{message_id}/acknowledge"): {
        "patient_1"
    },
    ("POST", "/patients/{patient_id}/assistant/messages/{message_id}/acknowledge"): {"patient_1"},
    # Robotic therapy: the care team sets limits and protocols, runs, watches and stops
    # sessions; the patient reads their own prescription and session records.
    **{
        route: {"patient_1"}
        for route in (
            ("PUT", "/api/v1/patients/{patient_id}/robotics/limits"),
            ("PUT", "/api/v1/patients/{patient_id}/robotics/protocol"),
            ("POST", "/api/v1/patients/{patient_id}/robotics/sessions"),
            ("POST", "/api/v1/patients/{patient_id}/robotics/sessions/{session_id}/stop"),
            ("POST", "/patients/{patient_id}/robotics/limits"),
            ("POST", "/patients/{patient_id}/robotics/protocol"),
            ("POST", "/patients/{patient_id}/robotics/sessions"),
            ("POST", "/patients/{patient_id}/robotics/sessions/{session_id}/stop"),
            ("GET", "/patients/{patient_id}/robotics/live"),
        )
    },
    # Reminders: answering, logging a dose, push devices and calendar links are the patient's
    # own acts; the care team reads and edits schedules only.
    **{
        route: {"clinician_a"}
        for route in (
            (
                "POST",
                "/api/v1/patients/{patient_id}/reminders/occurrences/{occurrence_id}/acknowledge",
            ),
            ("POST", "/api/v1/patients/{patient_id}/reminders/intakes"),
            ("GET", "/api/v1/patients/{patient_id}/reminders/push-subscriptions"),
            ("POST", "/api/v1/patients/{patient_id}/reminders/push-subscriptions"),
            (
                "DELETE",
                "/api/v1/patients/{patient_id}/reminders/push-subscriptions/{subscription_id}",
            ),
            ("GET", "/api/v1/patients/{patient_id}/reminders/calendar-feeds"),
            ("POST", "/api/v1/patients/{patient_id}/reminders/calendar-feeds"),
            ("DELETE", "/api/v1/patients/{patient_id}/reminders/calendar-feeds/{feed_id}"),
            ("POST", "/patients/{patient_id}/reminders/occurrences/{occurrence_id}/answer"),
            ("POST", "/patients/{patient_id}/reminders/intakes"),
            ("POST", "/patients/{patient_id}/reminders/calendar-feeds"),
            ("POST", "/patients/{patient_id}/reminders/calendar-feeds/{feed_id}/revoke"),
        )
    },
    # Imaging: the patient uploads and reads; landmarks, the DICOM link and the spine
    # classifier are for the care team's clinicians.
    **{
        route: {"patient_1"}
        for route in (
            ("POST", "/api/v1/patients/{patient_id}/imaging/instances/{instance_id}/landmarks"),
            ("GET", "/api/v1/patients/{patient_id}/imaging/instances/{instance_id}/classifier"),
            ("PUT", "/api/v1/patients/{patient_id}/imaging/dicom-link"),
            ("POST", "/patients/{patient_id}/imaging/dicom-link"),
            ("POST", "/api/v1/patients/{patient_id}/imaging/pacs-import"),
            ("POST", "/patients/{patient_id}/imaging/pacs-import"),
            ("GET", "/patients/{patient_id}/imaging/instances/{instance_id}/classifier"),
        )
    },
}


def _patient_routes() -> list[tuple[str, str]]:
    app = create_app(
        Settings(database_url="sqlite://", secret_key="k" * 40, env="test", _env_file=None)
    )  # type: ignore[call-arg]
    routes = []
    for path, methods in _all_routes(app):
        if "{patient_id}" in path:
            routes.extend((method, path) for method in sorted(methods - {"HEAD"}))
    return routes


def _all_routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    """Every (path, methods), including routers that newer FastAPI includes lazily."""
    iter_contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    if iter_contexts is not None:
        return [(c.path, set(c.methods or ())) for c in iter_contexts(app.routes) if c.methods]
    return [(r.path, set(r.methods)) for r in app.routes if isinstance(r, APIRoute)]


PATIENT_ROUTES = _patient_routes()


def _url(path: str, patient_id: int) -> str:
    # Other path parameters get an id that does not exist: access must be decided before lookup.
    return re.sub(
        r"\{(?!patient_id)[^}]+\}", "999999", path.replace("{patient_id}", str(patient_id))
    )


def _call(client: TestClient, method: str, url: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    kwargs: dict = {} if method in ("GET", "DELETE") else {"json": {}}
    if method == "GET":
        kwargs["params"] = {"max_s": 0}  # live event streams end at once; other routes ignore it
    return client.request(method, url, headers=headers, follow_redirects=False, **kwargs)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, TestClient, World]]:
    """One seeded database and app per engine for the whole matrix (a fresh one per route
    cost ~0.7 s each, over 500 routes × engines). The calls are sent with empty bodies or ids
    that do not exist, so what one route leaves behind cannot decide another's answer."""
    workdir = tmp_path_factory.mktemp(f"matrix-{request.param}")
    url, world, template = seeded_copy(request.param, request, workdir)
    app = create_app(settings_for(url, workdir))
    with TestClient(app) as client:
        yield app, client, world
    app.state.engine.dispose()
    template.drop(url)


def test_the_matrix_found_the_patient_routes() -> None:
    assert ("GET", "/api/v1/patients/{patient_id}") in PATIENT_ROUTES
    assert ("GET", "/patients/{patient_id}") in PATIENT_ROUTES


@pytest.mark.parametrize(
    ("method", "path"), PATIENT_ROUTES, ids=[f"{m} {p}" for m, p in PATIENT_ROUTES]
)
def test_patient_data_routes_enforce_the_care_relationship(
    shared: tuple[FastAPI, TestClient, World], method: str, path: str
) -> None:
    app, client, world = shared
    url = _url(path, world.patient_1.patient_id or 0)
    is_api = path.startswith("/api/")
    restricted = ROLE_RESTRICTED.get((method, path), set())

    anonymous = _call(client, method, url, {})
    if is_api:
        assert anonymous.status_code == 401, url
    else:
        assert anonymous.status_code in (303, 401) and (
            anonymous.status_code == 401 or "/login" in anonymous.headers["location"]
        )

    for name in HIDDEN:
        answer = _call(client, method, url, getattr(world, name).headers)
        assert answer.status_code == 404, f"{name} {method} {url} -> {answer.status_code}"
        assert "patient not found" in answer.text, "access must be decided on the patient first"

    for name in ALLOWED:
        answer = _call(client, method, url, getattr(world, name).headers)
        if name in restricted:
            assert answer.status_code == 403, f"{name} {method} {url}"
            continue
        # Other ids in the path do not exist (999999), so a 404 for *them* is fine; the patient
        # itself must have been found.
        assert answer.status_code not in (401, 403), (
            f"{name} {method} {url} -> {answer.status_code}"
        )
        assert not (answer.status_code == 404 and "patient not found" in answer.text), (
            f"{name} {method} {url}"
        )
        if method == "GET" and "999999" not in url:
            assert answer.status_code == 200, f"{name} {method} {url} -> {answer.status_code}"

    if method == "GET" and "999999" not in url:  # a missing sub-object served nothing to log
        with unit_of_work(app.state.session_factory) as session:
            entries = audit.tail(session, patient_id=world.patient_1.patient_id, limit=100)
            readers = {(e.actor_email, e.resource, e.action) for e in entries}
        for name in ALLOWED:
            entry = (getattr(world, name).email, path, "read")
            if name in restricted:
                assert entry not in readers, "a refused request served nothing to log"
            else:
                assert entry in readers


def test_a_hidden_patient_and_a_missing_patient_look_the_same(
    client: TestClient, world: World
) -> None:
    hidden = client.get(
        f"/api/v1/patients/{world.patient_3.patient_id}", headers=world.clinician_a.headers
    )
    missing = client.get("/api/v1/patients/987654", headers=world.clinician_a.headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
