"""Object-level access for EVERY consultation route that names an appointment, a thread, an
attachment or a clinician, found by walking the app's routes (a route added later is covered
without anyone remembering to add it here).

Expectations (issue 9): an appointment, its calendar file, its room and its notes belong to its
two participants: the patient and the appointment's clinician. Everyone else gets 404 — another
patient, a clinician outside the care team, and even a clinician who IS in the patient's care
team but not on this appointment. A thread and its attachments belong to the patient and their
whole care team. A clinician's free slots are for the clinician and their patients. Anonymous
callers get 401 from the API and are sent to sign in by pages. Every allowed read is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fastapi.routing
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.consults import service
from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.conftest import Person, World
from tests.consults.conftest import PNG, actor_for, book

OBJECT_PARAMS = {"appointment_id", "thread_id", "attachment_id", "clinician_id"}
# Who may act on each kind of object (everyone else in IDENTITIES must get 404).
ALLOWED = {
    "appointment_id": {"patient_1", "clinician_a"},
    "thread_id": {"patient_1", "clinician_a", "clinician_c"},
    "attachment_id": {"patient_1", "clinician_a", "clinician_c"},
    "clinician_id": {"clinician_a", "patient_1", "patient_2"},
}
IDENTITIES = (
    "patient_1",
    "patient_2",
    "patient_3",
    "clinician_a",
    "clinician_b",
    "clinician_c",
    "admin",
)
# Participants who may see the object but not do this to it answer 403 (never 404).
ROLE_RESTRICTED = {
    ("POST", "/api/v1/appointments/{appointment_id}/notes"): {"patient_1"},
    ("POST", "/appointments/{appointment_id}/notes"): {"patient_1"},
    ("GET", "/appointments/{appointment_id}/panel"): {"patient_1"},
}
# Free/busy times of a clinician are not a patient's health data: listed, not audited.
NOT_AUDITED = {"/api/v1/clinicians/{clinician_id}/slots"}


def _all_routes(app: FastAPI) -> list[tuple[str, set[str]]]:
    iter_contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    if iter_contexts is not None:
        return [(c.path, set(c.methods or ())) for c in iter_contexts(app.routes) if c.methods]
    return [(r.path, set(r.methods)) for r in app.routes if isinstance(r, APIRoute)]


def _object_routes() -> list[tuple[str, str]]:
    app = create_app(
        Settings(database_url="sqlite://", secret_key="k" * 40, env="test", _env_file=None)  # type: ignore[call-arg]
    )
    routes = []
    for path, methods in _all_routes(app):
        if set(re.findall(r"\{(\w+)\}", path)) & OBJECT_PARAMS:
            routes.extend((method, path) for method in sorted(methods - {"HEAD"}))
    return routes


ROUTES = _object_routes()


def test_the_walk_found_the_consultation_routes() -> None:
    assert ("GET", "/api/v1/appointments/{appointment_id}.ics") in ROUTES
    assert ("GET", "/appointments/{appointment_id}/call") in ROUTES
    assert ("GET", "/api/v1/attachments/{attachment_id}") in ROUTES
    assert ("POST", "/messages/{thread_id}") in ROUTES
    assert ("GET", "/api/v1/clinicians/{clinician_id}/slots") in ROUTES
    for method, path in ROUTES:
        [kind] = set(re.findall(r"\{(\w+)\}", path)) & OBJECT_PARAMS
        assert kind in ALLOWED, f"{method} {path}: no access rule for {kind}"


@dataclass(frozen=True)
class Objects:
    appointment_id: int
    thread_id: int
    attachment_id: int
    clinician_id: int


@pytest.fixture
def objects(app: FastAPI, world: World, clinician_c: Person) -> Objects:
    """A video appointment of patient 1 with Dr A whose room is open now, and a thread of
    patient 1 with one attachment. The app's data_dir is where the attachment is stored."""
    session_factory = app.state.session_factory
    booked = book(
        session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(minutes=5),
    )
    with unit_of_work(session_factory) as session:
        thread, _ = service.start_thread(
            session,
            actor=actor_for(session, world.patient_1),
            subject="Photo of my posture",
            body="As asked",
            uploads=[service.Upload("me.png", [PNG])],
            data_dir=app.state.settings.data_dir,
            max_bytes=10_000,
        )
        [attachment] = service.thread_messages(session, thread=thread)[0].attachments
        return Objects(booked.appointment_id, thread.id, attachment.id, world.clinician_a.user_id)


def _url(path: str, objects: Objects) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(getattr(objects, m.group(1))), path)


def _call(client: TestClient, method: str, url: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    kwargs = {} if method in ("GET", "DELETE") else {"json": {}}
    return client.request(method, url, headers=headers, follow_redirects=False, **kwargs)


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_consultation_routes_answer_only_the_people_they_belong_to(
    client: TestClient,
    app: FastAPI,
    world: World,
    clinician_c: Person,
    objects: Objects,
    method: str,
    path: str,
) -> None:
    [kind] = set(re.findall(r"\{(\w+)\}", path)) & OBJECT_PARAMS
    url = _url(path, objects)
    people = {name: getattr(world, name, None) or clinician_c for name in IDENTITIES}
    allowed = ALLOWED[kind]
    restricted = ROLE_RESTRICTED.get((method, path), set())

    anonymous = _call(client, method, url, {})
    if path.startswith("/api/"):
        assert anonymous.status_code == 401, url
    else:
        # A page sends a GET to the sign-in form and refuses an unsafe method with 401.
        assert anonymous.status_code == 401 or "/login" in anonymous.headers["location"], url

    for name in IDENTITIES:
        if name in allowed:
            continue
        answer = _call(client, method, url, people[name].headers)
        assert answer.status_code == 404, f"{name} {method} {url} -> {answer.status_code}"

    for name in sorted(allowed):
        answer = _call(client, method, url, people[name].headers)
        if name in restricted:
            assert answer.status_code == 403, f"{name} {method} {url} -> {answer.status_code}"
            continue
        assert answer.status_code not in (401, 403, 404), (
            f"{name} {method} {url} -> {answer.status_code}: {answer.text[:200]}"
        )
        if method == "GET":
            assert answer.status_code == 200, f"{name} {method} {url} -> {answer.status_code}"

    if method == "GET" and path not in NOT_AUDITED:
        with unit_of_work(app.state.session_factory) as session:
            entries = audit.tail(session, patient_id=world.patient_1.patient_id, limit=500)
            readers = {e.actor_email for e in entries if e.action == "read"}
        for name in allowed - restricted:
            assert people[name].email in readers, f"{name}'s read of {path} is not audited"


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
def test_a_hidden_appointment_and_a_missing_one_look_the_same(
    client: TestClient, world: World, objects: Objects
) -> None:
    hidden = client.get(
        f"/api/v1/appointments/{objects.appointment_id}", headers=world.patient_2.headers
    )
    missing = client.get("/api/v1/appointments/987654", headers=world.patient_2.headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
