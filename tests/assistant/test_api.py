"""``/api/v1/assistant/…``, the care team's conversation list, and the help-centre API."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinewise.config import Settings
from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.assistant.test_llm import FakeLLM
from tests.conftest import World

EMERGENCY = "I have lost control of my bladder and both legs are numb"


def post(client: TestClient, world: World, text: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/assistant/messages", json={"text": text, **extra}, headers=world.patient_1.headers
    )


def test_a_question_is_answered_with_the_cli_contract_plus_ids(
    client: TestClient, world: World
) -> None:
    answer = post(client, world, "what is the best position to sleep in?")
    assert answer.status_code == 201, answer.text
    data = answer.json()
    assert data["triage"] == "self_care"
    assert {"triage", "answer", "sources", "actions"} <= set(data)
    assert data["conversation_id"] > 0 and data["id"] > 0
    assert data["sources"] and all(s["url"] == f"/help/{s['id']}" for s in data["sources"])
    # the same conversation continues when its id is sent
    follow = post(client, world, "and pillows?", conversation_id=data["conversation_id"])
    assert follow.json()["conversation_id"] == data["conversation_id"]


def test_an_emergency_publishes_an_event_and_mails_the_care_team_without_details(
    app: FastAPI, client: TestClient, world: World
) -> None:
    # The memory bus lives in the app's event loop: subscribe through the client's portal.
    portal = client.portal
    assert portal is not None
    subscription = portal.call(app.state.bus.subscribe, "assistant.red_flag.*")
    answer = post(client, world, EMERGENCY)
    event = portal.call(subscription.get, 5)
    data = answer.json()
    assert data["triage"] == "emergency"
    assert data["care_team_notified"] is True
    assert event.topic == f"assistant.red_flag.{world.patient_1.patient_id}"
    assert event.payload["message_id"] == data["id"]
    [mail] = [m for m in app.state.mailer.outbox if m["To"] == world.clinician_a.email]
    text = mail.as_string()
    for detail in ("bladder", "numb", "Pat One", "emergency", "cauda"):
        assert detail not in text
    [notify] = [a for a in data["actions"] if a["type"] == "notify_care_team"]
    assert notify["notified"] is True


def test_confirming_an_action_through_the_api(client: TestClient, world: World) -> None:
    data = post(client, world, "my pain is 6 today").json()
    [action] = [a for a in data["actions"] if a["type"] == "log_pain"]
    assert action["status"] == "pending" and action["confirm_url"].endswith("/confirm")
    other = client.post(action["confirm_url"], headers=world.patient_2.headers)
    assert other.status_code == 404
    done = client.post(action["confirm_url"], headers=world.patient_1.headers)
    assert done.status_code == 200 and done.json()["action"]["status"] == "done"
    diary = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/pain-diary",
        headers=world.clinician_a.headers,
    )
    assert [e["back_pain"] for e in diary.json()] == [6]


def test_the_care_team_lists_conversations_and_acknowledges_red_flags(
    app: FastAPI, client: TestClient, world: World
) -> None:
    emergency = post(client, world, EMERGENCY).json()
    url = f"/api/v1/patients/{world.patient_1.patient_id}/assistant/conversations"
    listed = client.get(url, headers=world.clinician_a.headers)
    assert listed.status_code == 200
    [conversation] = listed.json()["items"]
    assert conversation["highest_level"] == "emergency"
    assert conversation["messages"][0]["text"] == EMERGENCY
    assert client.get(url, headers=world.clinician_b.headers).status_code == 404
    with unit_of_work(app.state.session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id, limit=20)
        assert (world.clinician_a.email, "read") in {(e.actor_email, e.action) for e in entries}

    ack = f"/api/v1/patients/{world.patient_1.patient_id}/assistant/messages/{emergency['id']}/acknowledge"
    assert client.post(ack, headers=world.patient_1.headers).status_code == 403
    done = client.post(ack, headers=world.clinician_a.headers)
    assert done.status_code == 200 and done.json()["acknowledged_at"]


def test_the_patient_lists_their_own_conversations_and_hands_over(
    client: TestClient, world: World
) -> None:
    data = post(client, world, "is walking good for back pain?").json()
    mine = client.get("/api/v1/assistant/conversations", headers=world.patient_1.headers)
    assert [c["id"] for c in mine.json()["items"]] == [data["conversation_id"]]
    theirs = client.get("/api/v1/assistant/conversations", headers=world.patient_2.headers)
    assert theirs.json() == {"items": [], "total": 0}
    handover = client.post(
        f"/api/v1/assistant/conversations/{data['conversation_id']}/handover",
        headers=world.patient_1.headers,
    )
    assert handover.status_code == 201
    thread = client.get(
        f"/api/v1/threads/{handover.json()['thread_id']}", headers=world.clinician_a.headers
    )
    assert "is walking good for back pain?" in thread.text
    hidden = client.post(
        f"/api/v1/assistant/conversations/{data['conversation_id']}/handover",
        headers=world.patient_2.headers,
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("clinician_a", 403), ("admin", 403), (None, 401)])
def test_only_signed_in_patients_post_messages(
    client: TestClient, world: World, who: str | None, status: int
) -> None:
    headers = getattr(world, who).headers if who else {}
    answer = client.post("/api/v1/assistant/messages", json={"text": "hello"}, headers=headers)
    assert answer.status_code == status


def test_bad_messages_are_refused(client: TestClient, world: World) -> None:
    for body in ({"text": ""}, {"text": "x" * 5001}, {"text": "hi", "extra": 1}, {}):
        answer = client.post(
            "/api/v1/assistant/messages", json=body, headers=world.patient_1.headers
        )
        assert answer.status_code == 422, body
    blank = post(client, world, "   ")
    assert blank.status_code == 422


def test_help_articles_and_search_need_no_sign_in(client: TestClient) -> None:
    listed = client.get("/api/v1/help/articles").json()
    assert len(listed) >= 60
    article = client.get("/api/v1/help/articles/pain-diary").json()
    assert article["sources"] and article["reviewed"]
    assert client.get("/api/v1/help/articles/no-such-thing").status_code == 404
    found = client.get("/api/v1/help/search", params={"q": "which mattress should I buy"})
    assert found.json()["items"][0]["id"] == "choosing-a-mattress"
    assert found.json()["mode"] == "bm25"


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
def test_the_app_uses_the_language_model_when_configured_and_triage_overrides_it(
    settings: Settings, world: World
) -> None:
    from spinewise.app import create_app

    with FakeLLM() as fake:
        fake.reply = "Lie on your side with a pillow between your knees [1]."
        app = create_app(settings.model_copy(update={"llm_url": fake.url, "llm_api_key": "k"}))
        with TestClient(app) as client:
            calm = post(client, world, "what is the best position to sleep in?").json()
            assert calm["generator"] == "llm"
            assert calm["answer"].startswith("Lie on your side with a pillow")
            assert len(fake.requests) == 1
            assert fake.requests[0]["auth"] == "Bearer k"
            emergency = post(client, world, EMERGENCY).json()
            assert emergency["triage"] == "emergency" and emergency["generator"] == "triage"
            assert len(fake.requests) == 1  # the model never saw the emergency
        app.state.engine.dispose()
