"""Access for routes keyed by a programme or video id (not walked by the foundation's
patient-id matrix): every such route is found by walking the app, and checked for the care
team, the patient, outsiders, an admin and anonymous callers. Hidden means 404."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.conftest import World
from tests.test_access_matrix import _all_routes, _call

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\0" * 64


def _routes(placeholder: str) -> list[tuple[str, str]]:
    from spinewise.app import create_app
    from spinewise.config import Settings

    app = create_app(
        Settings(database_url="sqlite://", secret_key="k" * 40, env="test", _env_file=None)  # type: ignore[call-arg]
    )
    return sorted(
        (method, path)
        for path, methods in _all_routes(app)
        # Routes that also name a patient belong to the foundation's patient matrix (and to
        # other domains, e.g. pump programmes); this walk covers the bare programme/video routes.
        if placeholder in path and "{patient_id}" not in path
        for method in methods - {"HEAD"}
    )


PROGRAMME_ROUTES = _routes("{programme_id}")
VIDEO_ROUTES = _routes("{video_id}")


def test_the_walk_found_the_programme_and_video_routes() -> None:
    assert ("GET", "/api/v1/programmes/{programme_id}") in PROGRAMME_ROUTES
    assert ("POST", "/programmes/{programme_id}/versions") in PROGRAMME_ROUTES
    assert ("GET", "/api/v1/videos/{video_id}/stream") in VIDEO_ROUTES
    assert ("POST", "/clinician/videos/{video_id}/delete") in VIDEO_ROUTES


def _anonymous_is_refused(client: TestClient, method: str, url: str) -> None:
    answer = _call(client, method, url, {})
    if url.startswith("/api/"):
        assert answer.status_code == 401, url
    else:
        assert answer.status_code in (303, 401), url


@pytest.mark.parametrize(
    ("method", "path"), PROGRAMME_ROUTES, ids=[" ".join(r) for r in PROGRAMME_ROUTES]
)
def test_programme_routes_follow_the_care_relationship(
    client: TestClient, app: FastAPI, world: World, method: str, path: str
) -> None:
    created = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={"template_id": "acute_nonspecific_lbp"},
        headers=world.clinician_a.headers,
    ).json()
    url = path.replace("{programme_id}", str(created["id"]))
    _anonymous_is_refused(client, method, url)
    for name in ("patient_2", "clinician_b", "admin"):
        answer = _call(client, method, url, getattr(world, name).headers)
        assert answer.status_code == 404, f"{name} {method} {url} -> {answer.status_code}"
    patient = _call(client, method, url, world.patient_1.headers)
    clinician = _call(client, method, url, world.clinician_a.headers)
    if method == "GET":
        assert patient.status_code == clinician.status_code == 200
        with unit_of_work(app.state.session_factory) as session:
            entries = audit.tail(session, patient_id=world.patient_1.patient_id, limit=50)
            readers = {
                e.actor_email for e in entries if e.action == "read" and "programmes" in e.resource
            }
        assert {world.patient_1.email, world.clinician_a.email} <= readers
    else:
        assert patient.status_code == 403, f"patient may read but not change: {patient.status_code}"
        assert clinician.status_code not in (401, 403, 404)
    missing = _call(
        client, method, path.replace("{programme_id}", "999999"), world.clinician_a.headers
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(("method", "path"), VIDEO_ROUTES, ids=[" ".join(r) for r in VIDEO_ROUTES])
def test_video_routes_show_a_video_only_to_the_uploaders_patients(
    client: TestClient, world: World, method: str, path: str
) -> None:
    video = client.post(
        "/api/v1/videos",
        files={"file": ("v.mp4", MP4, "video/mp4")},
        data={"title": "demo"},
        headers=world.clinician_a.headers,
    ).json()
    url = path.replace("{video_id}", str(video["id"]))
    _anonymous_is_refused(client, method, url)
    for name in ("patient_3", "clinician_b", "admin"):
        answer = _call(client, method, url, getattr(world, name).headers)
        assert answer.status_code == 404, f"{name} {method} {url} -> {answer.status_code}"
    for name in ("patient_1", "patient_2"):
        answer = _call(client, method, url, getattr(world, name).headers)
        expected = 200 if method == "GET" else 403
        assert answer.status_code == expected, f"{name} {method} {url} -> {answer.status_code}"
    owner = _call(client, method, url, world.clinician_a.headers)
    assert owner.status_code in (200, 204, 303), f"{method} {url} -> {owner.status_code}"
