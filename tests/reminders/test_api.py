"""Reminders over the JSON API and the pages (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from spinewise.reminders.jobs import ReminderScheduler
from tests.conftest import World
from tests.reminders.fake_push import Browser


def _base(world: World) -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}/reminders"


MEDICINE = {
    "kind": "medication",
    "title": "Naproxen",
    "dose": "250 mg",
    "times": ["08:00", "20:00"],
}


def test_patient_and_care_team_manage_schedules(client: TestClient, world: World) -> None:
    base = _base(world)
    created = client.post(f"{base}/schedules", json=MEDICINE, headers=world.clinician_a.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["summary"] == "08:00, 20:00 · every day" and body["channels"] == ["app", "push"]
    listed = client.get(f"{base}/schedules", headers=world.patient_1.headers).json()
    assert [s["title"] for s in listed] == ["Naproxen"]
    changed = client.put(
        f"{base}/schedules/{body['id']}",
        json={**MEDICINE, "times": ["09:00"], "weekdays": [0, 1, 2, 3, 4]},
        headers=world.patient_1.headers,
    )
    assert changed.json()["summary"] == "09:00 · Mon–Fri"
    posture = client.post(
        f"{base}/schedules",
        json={
            "kind": "posture",
            "title": "Stand up",
            "every_min": 45,
            "window_start": "09:00",
            "window_end": "17:00",
        },
        headers=world.patient_1.headers,
    )
    assert posture.json()["summary"] == "every 45 min 09:00–17:00 · every day"
    assert (
        client.delete(f"{base}/schedules/{body['id']}", headers=world.patient_1.headers).status_code
        == 204
    )
    assert [
        s["title"] for s in client.get(f"{base}/schedules", headers=world.patient_1.headers).json()
    ] == ["Stand up"]
    # Another patient's schedule id is not found through this patient.
    other = client.post(
        f"/api/v1/patients/{world.patient_2.patient_id}/reminders/schedules",
        json=MEDICINE,
        headers=world.patient_2.headers,
    ).json()
    assert (
        client.get(f"{base}/schedules/{other['id']}", headers=world.patient_1.headers).status_code
        == 404
    )


def test_an_impossible_schedule_is_a_422_naming_the_field(client: TestClient, world: World) -> None:
    base = _base(world)
    for bad, field in (
        ({**MEDICINE, "times": ["25:00"]}, "times"),
        ({**MEDICINE, "times": []}, "times"),
        ({**MEDICINE, "kind": "exercise", "as_needed": True}, "as_needed"),
    ):
        answer = client.post(f"{base}/schedules", json=bad, headers=world.patient_1.headers)
        assert answer.status_code == 422, bad
        assert answer.json().get("field") == field


def test_the_patient_answers_a_delivered_reminder_the_clinician_cannot(
    app, client: TestClient, world: World, settings
) -> None:
    base = _base(world)
    now = dt.datetime.now(dt.UTC)
    client.post(
        f"{base}/schedules",
        json={
            "kind": "exercise",
            "title": "Home exercises",
            "once_at": (now + dt.timedelta(seconds=1)).isoformat(),
        },
        headers=world.patient_1.headers,
    )
    ReminderScheduler(app.state.session_factory, settings=settings).claim(
        now + dt.timedelta(seconds=2)
    )
    [due] = client.get(
        f"{base}/occurrences", params={"status": "delivered"}, headers=world.patient_1.headers
    ).json()
    url = f"{base}/occurrences/{due['id']}/acknowledge"
    assert (
        client.post(url, json={"action": "taken"}, headers=world.clinician_a.headers).status_code
        == 403
    )
    asked = dt.datetime.now(dt.UTC)
    snoozed = client.post(url, json={"action": "snooze"}, headers=world.patient_1.headers)
    answered = dt.datetime.now(dt.UTC)
    assert snoozed.status_code == 200
    follow_up = dt.datetime.fromisoformat(snoozed.json()["follow_up"]["due_at"])
    # 15 minutes from the moment of the snooze (to the whole second), not from the first due time
    snooze = dt.timedelta(minutes=15)
    assert asked + snooze - dt.timedelta(seconds=1) <= follow_up <= answered + snooze
    again = client.post(url, json={"action": "taken"}, headers=world.patient_1.headers)
    assert again.status_code == 422 and "snoozed" in again.json()["detail"]


def test_adherence_and_intakes(client: TestClient, world: World) -> None:
    base = _base(world)
    client.post(
        f"{base}/schedules",
        json={"kind": "medication", "title": "Paracetamol", "as_needed": True},
        headers=world.patient_1.headers,
    )
    logged = client.post(f"{base}/intakes", json={}, headers=world.patient_1.headers)
    assert logged.status_code == 201 and logged.json()["kind"] == "as_needed"
    figures = client.get(f"{base}/adherence", headers=world.clinician_a.headers).json()
    assert figures["totals"]["Paracetamol"]["as_needed_intakes"] == 1
    assert (
        client.post(f"{base}/intakes", json={}, headers=world.clinician_a.headers).status_code
        == 403
    )


def test_calendar_feed_lifecycle(client: TestClient, world: World) -> None:
    base = _base(world)
    client.post(f"{base}/schedules", json=MEDICINE, headers=world.patient_1.headers)
    made = client.post(f"{base}/calendar-feeds", json={}, headers=world.patient_1.headers).json()
    path = made["url"].removeprefix("http://127.0.0.1:8000")
    feed = client.get(path)  # no credentials: the token is the credential
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "RRULE:FREQ=DAILY" in feed.text and "Naproxen" not in feed.text
    listed = client.get(f"{base}/calendar-feeds", headers=world.patient_1.headers).json()
    assert [f["url"] for f in listed] == [None]  # the URL is shown once
    assert (
        client.delete(
            f"{base}/calendar-feeds/{made['id']}", headers=world.patient_1.headers
        ).status_code
        == 204
    )
    assert client.get(path).status_code == 404
    assert client.get("/calendar/" + "x" * 43 + ".ics").status_code == 404


def test_push_subscription_management(client: TestClient, world: World) -> None:
    base = _base(world)
    key = client.get("/api/v1/reminders/push/public-key", headers=world.patient_1.headers)
    assert key.status_code == 200 and len(key.json()["public_key"]) == 87  # 65 bytes base64url
    browser = Browser()
    sub = {
        "endpoint": "https://push.example.org/abc",
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }
    made = client.post(f"{base}/push-subscriptions", json=sub, headers=world.patient_1.headers)
    assert made.status_code == 201 and made.json()["endpoint_origin"] == "https://push.example.org"
    assert (
        len(client.get(f"{base}/push-subscriptions", headers=world.patient_1.headers).json()) == 1
    )
    assert (
        client.delete(
            f"{base}/push-subscriptions/{made.json()['id']}", headers=world.patient_1.headers
        ).status_code
        == 204
    )
    assert client.get(f"{base}/push-subscriptions", headers=world.patient_1.headers).json() == []
    worker = client.get("/reminders-sw.js")
    assert worker.status_code == 200 and "showNotification" in worker.text
    assert worker.headers["service-worker-allowed"] == "/"


def test_pages_show_due_cards_and_adherence(
    app, client: TestClient, world: World, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinewise.reminders import service as reminders_service

    base = _base(world)
    now = dt.datetime.now(dt.UTC)
    client.post(
        f"{base}/schedules",
        json={**MEDICINE, "times": [], "once_at": (now + dt.timedelta(seconds=1)).isoformat()},
        headers=world.patient_1.headers,
    )
    later = now + dt.timedelta(seconds=2)
    ReminderScheduler(app.state.session_factory, settings=settings).claim(later)
    # the pages read the clock: two seconds on, the one-off is due however fast this runs
    monkeypatch.setattr(reminders_service, "utcnow", lambda: later)
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/reminders", headers=world.patient_1.headers
    )
    assert page.status_code == 200
    assert (
        "Naproxen" in page.text
        and "Snooze 15 min" in page.text
        and "Make a calendar link" in page.text
    )
    clinician = client.get(
        f"/patients/{world.patient_1.patient_id}/reminders", headers=world.clinician_a.headers
    )
    assert "Snooze 15 min" not in clinician.text and "Make a calendar link" not in clinician.text
    fragment = client.get(
        f"/patients/{world.patient_1.patient_id}/reminders/adherence",
        headers=world.clinician_a.headers,
    )
    assert "Medication adherence" in fragment.text and "Naproxen" in fragment.text
    redirect = client.get("/reminders", headers=world.patient_1.headers, follow_redirects=False)
    assert redirect.headers["location"] == f"/patients/{world.patient_1.patient_id}/reminders"
