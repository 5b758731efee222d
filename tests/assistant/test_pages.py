"""The patient's chat, the help centre and the care team's view, as HTML."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from spinewise.assistant.helpcentre import article_html
from spinewise.assistant.knowledge import load_knowledge_base
from tests.conftest import World

HX = {"HX-Request": "true"}
EMERGENCY = "I can't feel the toilet paper when I wipe"


def ask(client: TestClient, world: World, text: str, conversation_id: str = "") -> str:
    answer = client.post(
        "/assistant/messages",
        data={"text": text, "conversation_id": conversation_id},
        headers={**world.patient_1.headers, **HX},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def test_the_chat_page_is_for_patients(client: TestClient, world: World) -> None:
    page = client.get("/assistant", headers=world.patient_1.headers)
    assert page.status_code == 200
    assert 'hx-post="/assistant/messages"' in page.text
    assert "Talk to a person" in page.text
    assert client.get("/assistant", headers=world.clinician_a.headers).status_code == 403


def test_an_answer_shows_its_level_and_source_links(client: TestClient, world: World) -> None:
    html = ask(client, world, "how should I set up my desk and chair?")
    assert 'data-level="self_care"' in html
    assert re.search(r'<a href="/help/[a-z0-9-]+">', html)
    # the conversation id comes back out of band for the next message
    conversation = re.search(r'id="conversation-id" name="conversation_id" value="(\d+)"', html)
    assert conversation and 'hx-swap-oob="true"' in html
    again = ask(client, world, "and standing desks?", conversation.group(1))
    assert f'value="{conversation.group(1)}"' in again


def test_an_emergency_answer_has_the_banner_and_no_self_care(
    client: TestClient, world: World
) -> None:
    html = ask(client, world, EMERGENCY)
    assert 'class="emergency-banner" role="alert"' in html
    assert 'href="tel:999"' in html
    assert "Your care team has been notified in the app" in html
    assert "action-card" not in html  # no app actions in an emergency
    assert "/help/cauda-equina-syndrome" in html


def test_actions_are_confirmed_from_the_chat(client: TestClient, world: World) -> None:
    html = ask(client, world, "remind me to do my exercises at 6 pm")
    action_id = re.search(r'id="action-(\d+)"', html)
    assert action_id and "Yes, do it" in html
    done = client.post(
        f"/assistant/actions/{action_id.group(1)}/confirm",
        headers={**world.patient_1.headers, **HX},
    )
    assert "Reminder set for 18:00" in done.text
    reminders = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/reminders/schedules",
        headers=world.patient_1.headers,
    )
    assert [s["kind"] for s in reminders.json()] == ["exercise"]


def test_talk_to_a_person_from_the_chat(client: TestClient, world: World) -> None:
    answer = client.post(
        "/assistant/handover",
        data={"conversation_id": ""},
        headers={**world.patient_1.headers, **HX},
    )
    assert answer.status_code == 200
    thread = re.search(r'href="/messages/(\d+)"', answer.text)
    assert thread and "Sent to your care team" in answer.text
    seen = client.get(f"/messages/{thread.group(1)}", headers=world.clinician_a.headers)
    assert "talk to a person about my conversation" in seen.text


def test_the_care_team_sees_the_red_flag_and_marks_it_seen(
    client: TestClient, world: World
) -> None:
    ask(client, world, EMERGENCY)
    dashboard = client.get("/clinician/dashboard", headers=world.clinician_a.headers)
    link = f'<a href="/patients/{world.patient_1.patient_id}/assistant">Emergency message</a>'
    assert link in dashboard.text
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/assistant", headers=world.clinician_a.headers
    )
    assert "Red flags not yet acknowledged (1)" in page.text
    assert EMERGENCY.replace("'", "&#39;") in page.text
    assert "Yes, do it" not in page.text  # the care team does not act for the patient
    form = re.search(r'action="(/patients/\d+/assistant/messages/\d+/acknowledge)"', page.text)
    assert form
    done = client.post(form.group(1), headers=world.clinician_a.headers, follow_redirects=False)
    assert done.status_code == 303
    after = client.get("/clinician/dashboard", headers=world.clinician_a.headers)
    assert "Emergency message" not in after.text
    record = client.get(
        f"/patients/{world.patient_1.patient_id}", headers=world.clinician_a.headers
    )
    assert f'href="/patients/{world.patient_1.patient_id}/assistant"' in record.text


def test_the_help_centre_lists_searches_and_renders_articles(client: TestClient) -> None:
    index = client.get("/help")
    assert index.status_code == 200 and "When to get help" in index.text
    results = client.get("/help", params={"q": "which mattress should I buy"})
    assert 'href="/help/choosing-a-mattress"' in results.text
    article = client.get("/help/pain-diary")
    assert "<h2>Ways to log</h2>" in article.text
    assert "Spinewise user guide" in article.text
    assert '<time datetime="2026-11-28">' in article.text
    assert client.get("/help/not-an-article").status_code == 404


def test_the_help_centre_keeps_the_navigation_for_signed_in_people(
    client: TestClient, world: World
) -> None:
    page = client.get("/help/pain-diary", headers=world.patient_1.headers)
    assert 'href="/assistant">Assistant</a>' in page.text and "Sign out" in page.text


def test_article_markdown_cannot_inject_html_or_script_links(write_article) -> None:  # type: ignore[no-untyped-def]
    body = " ".join(["Walking helps most people with back pain every day."] * 4)
    path: Path = write_article(
        body=body + "\n\n<script>alert(1)</script> [click](javascript:alert(1)) [ok](/help)"
    )
    article = load_knowledge_base(path.parent).get("test-article")
    html = article_html(article)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="/help">ok</a>' in html
