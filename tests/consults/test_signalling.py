"""The video room's WebSocket: who gets in (session cookie, participants, opening hours, same
origin), what is relayed between the two participants, and that the relay works across app
workers through the Redis event bus."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from spinewise.accounts import service as accounts
from spinewise.accounts.models import User
from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.core.events import RedisBus
from spinewise.core.models import TokenKind
from spinewise.db import unit_of_work
from tests.conftest import REDIS_URL, Person, World, run_async, service_unavailable
from tests.consults.conftest import Booked, book

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
STUN = [{"urls": "stun:stun.example.org:3478"}]


def _cookie(app: FastAPI, person: Person) -> dict[str, str]:
    """A browser session for ``person``: the WebSocket sees only the session cookie."""
    with unit_of_work(app.state.session_factory) as session:
        user = session.get(User, person.user_id)
        assert user is not None
        raw, _ = accounts.issue_token(session, user=user, kind=TokenKind.session, max_age_s=3600)
    return {"cookie": f"spinewise_session={raw}"}


def _room(booked: Booked) -> str:
    return f"/api/v1/appointments/{booked.appointment_id}/room"


@pytest.fixture
def now_booked(app: FastAPI, world: World) -> Booked:
    start = datetime.now(UTC) + timedelta(minutes=5)
    return book(app.state.session_factory, world.clinician_a, world.patient_1, start)


def _refused(client: TestClient, url: str, headers: dict[str, str]) -> tuple[dict[str, Any], int]:
    with client.websocket_connect(url, headers=headers) as ws:
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return error, closed.value.code


def test_the_two_participants_are_relayed_and_the_server_names_the_sender(
    app: FastAPI, client: TestClient, world: World, now_booked: Booked
) -> None:
    app.state.settings.ice_servers = STUN
    url = _room(now_booked)
    with client.websocket_connect(url, headers=_cookie(app, world.patient_1)) as patient:
        welcome = patient.receive_json()
        assert welcome["type"] == "welcome" and welcome["role"] == "patient"
        assert welcome["ice_servers"] == STUN
        with client.websocket_connect(url, headers=_cookie(app, world.clinician_a)) as clinician:
            assert clinician.receive_json()["role"] == "clinician"
            assert patient.receive_json() == {
                "type": "join",
                "data": None,
                "from_role": "clinician",
            }
            patient.send_json({"type": "here"})
            assert clinician.receive_json() == {
                "type": "here",
                "data": None,
                "from_role": "patient",
            }
            # The clinician's browser tries to pass itself off as someone else: ignored.
            offer = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}
            clinician.send_json(
                {"type": "offer", "data": offer, "from_role": "patient", "user_id": 999}
            )
            assert patient.receive_json() == {
                "type": "offer",
                "data": offer,
                "from_role": "clinician",
            }
            patient.send_text("this is not JSON")
            assert patient.receive_json()["code"] == "bad_message"
            candidate = {
                "candidate": "candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host",
                "sdpMid": "0",
            }
            patient.send_json({"type": "candidate", "data": candidate})
            assert clinician.receive_json() == {
                "type": "candidate",
                "data": candidate,
                "from_role": "patient",
            }
        assert patient.receive_json() == {"type": "leave", "data": None, "from_role": "clinician"}


def test_the_room_refuses_strangers_anonymous_callers_and_other_sites(
    app: FastAPI, client: TestClient, world: World, clinician_c: Person, now_booked: Booked
) -> None:
    url = _room(now_booked)
    # Dr Cy is in the patient's care team but not on this appointment.
    for stranger in (clinician_c, world.clinician_b, world.patient_2):
        error, code = _refused(client, url, _cookie(app, stranger))
        assert (error["code"], code) == ("not_found", 4404)
    error, code = _refused(client, url, {})
    assert (error["code"], code) == ("not_authenticated", 4401)
    error, code = _refused(client, url, {"cookie": "spinewise_session=forged"})
    assert code == 4401
    other_site = {**_cookie(app, world.patient_1), "origin": "https://evil.example"}
    assert _refused(client, url, other_site)[1] == 4404
    same_site = {**_cookie(app, world.patient_1), "origin": "http://testserver"}
    with client.websocket_connect(url, headers=same_site) as ws:
        assert ws.receive_json()["type"] == "welcome"


def test_the_room_is_closed_outside_its_hours(
    app: FastAPI, client: TestClient, world: World
) -> None:
    later = book(
        app.state.session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(hours=3),
    )
    error, code = _refused(client, _room(later), _cookie(app, world.patient_1))
    assert code == 4409 and "opens at" in error["reason"]


def test_a_second_window_of_the_same_person_replaces_the_first(
    app: FastAPI, client: TestClient, world: World, now_booked: Booked
) -> None:
    url = _room(now_booked)
    headers = _cookie(app, world.patient_1)
    with client.websocket_connect(url, headers=headers) as first:
        first.receive_json()
        with client.websocket_connect(url, headers=headers) as second:
            assert second.receive_json()["type"] == "welcome"
            assert first.receive_json()["code"] == "replaced"
            with pytest.raises(WebSocketDisconnect) as closed:
                first.receive_json()
            assert closed.value.code == 4410


@pytest.fixture
def two_workers(settings: Settings) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Two app instances on the same database whose buses meet only in Redis."""
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    try:
        run_async(_ping())
    except Exception as exc:
        service_unavailable("Redis", exc)
    apps = []
    for _ in range(2):
        app = create_app(settings)
        app.state.bus = RedisBus(REDIS_URL, prefix=prefix)
        apps.append(app)
    yield apps[0], apps[1]
    for app in apps:
        app.state.engine.dispose()


async def _ping() -> None:
    bus = RedisBus(REDIS_URL)
    try:
        await bus._client.ping()
    finally:
        await bus.close()


@pytest.mark.redis
def test_signalling_crosses_workers_through_the_redis_bus(
    two_workers: tuple[FastAPI, FastAPI], world: World
) -> None:
    first, second = two_workers
    start = datetime.now(UTC) + timedelta(minutes=5)
    booked = book(first.state.session_factory, world.clinician_a, world.patient_1, start)
    with ExitStack() as stack:
        client_a = stack.enter_context(TestClient(first))
        client_b = stack.enter_context(TestClient(second))
        patient = stack.enter_context(
            client_a.websocket_connect(_room(booked), headers=_cookie(first, world.patient_1))
        )
        assert patient.receive_json()["type"] == "welcome"
        clinician = stack.enter_context(
            client_b.websocket_connect(_room(booked), headers=_cookie(second, world.clinician_a))
        )
        assert clinician.receive_json()["type"] == "welcome"
        assert patient.receive_json()["type"] == "join"
        answer = {"type": "answer", "sdp": "v=0\r\n"}
        patient.send_json({"type": "answer", "data": answer})
        assert clinician.receive_json() == {
            "type": "answer",
            "data": answer,
            "from_role": "patient",
        }
