"""Consultation pages: booking in each party's time zone, the clinician's calendar and hours,
the call page with the clinician's patient panel and SOAP note, and messaging with attachments."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from spinewise.consults.models import Appointment
from spinewise.db import unit_of_work
from tests.accounts.test_pages import sign_in
from tests.conftest import World
from tests.consults.conftest import PNG, book, weekday_hours

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no csrf_token field"
    return match.group(1)


def test_a_patient_books_a_listed_slot_shown_in_their_own_time(
    client: TestClient, app: FastAPI, world: World
) -> None:
    weekday_hours(app.state.session_factory, world.clinician_a, "Europe/London")
    client.patch(
        f"/api/v1/patients/{world.patient_1.patient_id}",
        json={"timezone": "America/New_York"},
        headers=world.patient_1.headers,
    )
    sign_in(client, world.patient_1.email)
    page = client.get("/appointments")
    assert page.status_code == 200 and "Book this time" in page.text
    assert "America/New_York" in page.text
    first = re.search(r'name="start" value="([^"]+)"', page.text)
    assert first
    slot = datetime.fromisoformat(first.group(1))
    # The slot value is UTC; the label is the same instant on the patient's New York clock.
    shown = slot.astimezone(ZoneInfo("America/New_York"))
    assert f">{shown:%H:%M}<" in page.text
    booked = client.post(
        "/appointments",
        data={
            "clinician_id": world.clinician_a.user_id,
            "start": first.group(1),
            "kind": "video",
            "csrf_token": _csrf(page.text),
        },
        follow_redirects=False,
    )
    assert booked.status_code == 303 and booked.headers["location"] == "/appointments?done=booked"
    listing = client.get(booked.headers["location"])
    assert "Your appointment is booked." in listing.text
    assert "Dr Ada Clinician" in listing.text
    assert f"{shown:%H:%M} {shown.tzname()}" in listing.text


def test_a_clinician_books_in_their_own_zone_and_sees_both_times(
    client: TestClient, app: FastAPI, world: World
) -> None:
    weekday_hours(app.state.session_factory, world.clinician_a, "Europe/London")
    sign_in(client, world.clinician_a.email)
    page = client.get("/clinician/appointments")
    assert page.status_code == 200 and "Your weekly hours" in page.text
    answer = client.post(
        "/clinician/appointments",
        data={
            "patient_id": world.patient_1.patient_id,
            "start": "2030-07-01T10:00",  # London, BST (UTC+1): 09:00Z
            "duration_min": 45,
            "kind": "video",
            "csrf_token": _csrf(page.text),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/clinician/appointments?week=2030-07-01&done=booked"
    with unit_of_work(app.state.session_factory) as session:
        [appointment] = session.scalars(select(Appointment)).all()
        assert appointment.start_at == datetime(2030, 7, 1, 9, tzinfo=UTC)
    week = client.get(answer.headers["location"])
    assert "10:00–10:45" in week.text and "Pat One" in week.text
    assert "patient: Mon 1 Jul 2030, 09:00 UTC" in week.text  # the patient's zone is UTC
    clash = client.post(
        "/clinician/appointments",
        data={
            "patient_id": world.patient_2.patient_id,
            "start": "2030-07-01T10:30",
            "csrf_token": _csrf(page.text),
        },
    )
    assert clash.status_code == 409 and "already has an appointment" in clash.text


def test_a_clinician_sets_weekly_hours_and_a_typo_is_explained(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.clinician_a.email)
    token = _csrf(client.get("/clinician/appointments").text)
    saved = client.post(
        "/clinician/availability",
        data={
            "timezone": "Europe/Paris",
            "slot_min": "20",
            "start_0": "08:00",
            "end_0": "12:00",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    hours = client.get("/api/v1/availability", headers=world.clinician_a.headers).json()
    assert hours == {
        "timezone": "Europe/Paris",
        "slot_min": 20,
        "rules": [{"weekday": 0, "start": "08:00:00", "end": "12:00:00"}],
    }
    bad = client.post(
        "/clinician/availability",
        data={
            "timezone": "Europe/Paris",
            "slot_min": "20",
            "start_1": "09:00",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422 and "both a start and an end" in bad.text


def test_the_call_page_gives_the_clinician_the_patient_panel_and_a_soap_form(
    client: TestClient, app: FastAPI, world: World
) -> None:
    booked = book(
        app.state.session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(minutes=5),
    )
    sign_in(client, world.clinician_a.email)
    call = client.get(f"/appointments/{booked.appointment_id}/call")
    assert call.status_code == 200
    assert f'data-socket="/api/v1/appointments/{booked.appointment_id}/room"' in call.text
    assert "/static/consults.js" in call.text and "<script>" not in call.text
    assert f'hx-get="/appointments/{booked.appointment_id}/panel"' in call.text
    panel = client.get(
        f"/appointments/{booked.appointment_id}/panel", headers={"HX-Request": "true"}
    )
    assert "Pat One" in panel.text and "Consultation note (SOAP)" in panel.text
    assert 'data-hook="consults.panel"' in panel.text  # no programme yet: the empty hook
    saved = client.post(
        f"/appointments/{booked.appointment_id}/notes",
        data={"subjective": "Better", "plan": "Keep walking", "csrf_token": _csrf(panel.text)},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200 and "Note saved to the patient" in saved.text
    assert "Keep walking" in saved.text
    empty = client.post(
        f"/appointments/{booked.appointment_id}/notes",
        data={"csrf_token": _csrf(panel.text)},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and "at least one" in empty.text


def test_the_patients_call_page_has_no_panel_and_a_later_room_is_not_opened(
    client: TestClient, app: FastAPI, world: World
) -> None:
    now = book(
        app.state.session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(minutes=5),
    )
    later = book(
        app.state.session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(days=1),
    )
    sign_in(client, world.patient_1.email)
    call = client.get(f"/appointments/{now.appointment_id}/call")
    assert call.status_code == 200 and "remote-video" in call.text and "/panel" not in call.text
    early = client.get(f"/appointments/{later.appointment_id}/call")
    assert "not open yet" in early.text and "remote-video" not in early.text
    listing = client.get("/appointments")
    assert f'href="/appointments/{now.appointment_id}/call"' in listing.text
    assert f'href="/appointments/{later.appointment_id}/call"' not in listing.text


def test_messaging_with_an_attachment_and_unread_badges(
    client: TestClient, app: FastAPI, world: World
) -> None:
    sign_in(client, world.patient_1.email)
    page = client.get("/messages")
    sent = client.post(
        "/messages",
        data={
            "subject": "My posture at work",
            "body": "Photo attached",
            "csrf_token": _csrf(page.text),
        },
        files=[("files", ("desk.png", PNG, "image/png"))],
        follow_redirects=False,
    )
    assert sent.status_code == 303
    thread_url = sent.headers["location"].split("?")[0]
    thread = client.get(thread_url)
    assert "Photo attached" in thread.text and 'alt="desk.png"' in thread.text
    refused = client.post(
        thread_url,
        data={"body": "and this", "csrf_token": _csrf(thread.text)},
        files=[("files", ("virus.png", b"MZ\x90\x00" * 10, "image/png"))],
    )
    assert refused.status_code == 422 and "type not accepted" in refused.text
    assert "and this" in refused.text  # the draft is kept
    # With HTMX the conversation comes back in the same response (no second request).
    replied = client.post(
        thread_url,
        data={"body": "One more thing", "csrf_token": _csrf(thread.text)},
        headers={"HX-Request": "true"},
    )
    assert replied.status_code == 200 and replied.headers["HX-Push-Url"] == thread_url
    assert "One more thing" in replied.text and "Your message is sent." in replied.text

    client.cookies.clear()
    sign_in(client, world.clinician_a.email)
    assert ">2<" in client.get("/messages/unread-badge").text  # two messages from the patient
    listing = client.get("/messages")
    assert "My posture at work" in listing.text and "Pat One" in listing.text
    client.get(thread_url)  # opening marks it read
    assert client.get("/messages/unread-badge").text.strip() == ""
    notices = app.state.mailer.outbox
    assert [n["To"] for n in notices] == [world.clinician_a.email] * 2
    assert all("posture" not in n.get_content() for n in notices)


def test_form_posts_need_the_csrf_token(client: TestClient, world: World) -> None:
    sign_in(client, world.patient_1.email)
    refused = client.post("/messages", data={"subject": "x", "body": "y"})
    assert refused.status_code == 403


def test_during_a_call_the_clinician_can_show_the_patients_programme_exercises(
    client: TestClient, app: FastAPI, world: World
) -> None:
    assigned = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={"template_id": "chronic_lbp"},
        headers=world.clinician_a.headers,
    )
    assert assigned.status_code == 201, assigned.text
    booked = book(
        app.state.session_factory,
        world.clinician_a,
        world.patient_1,
        datetime.now(UTC) + timedelta(minutes=5),
    )
    sign_in(client, world.clinician_a.email)
    panel = client.get(
        f"/appointments/{booked.appointment_id}/panel", headers={"HX-Request": "true"}
    )
    assert "Progress and exercises" in panel.text and 'data-hook="consults.panel"' not in panel.text
    assert 'href="/exercises/' in panel.text  # each exercise links to its demonstration
    assert f'href="/patients/{world.patient_1.patient_id}/progress"' in panel.text
