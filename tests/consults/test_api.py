"""The consultations API: the issue's acceptance flow, booking by either party, iCalendar files,
notes, and secure messaging with attachments and content-free e-mail notices."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.conftest import World
from tests.consults.conftest import PDF, PNG


def _book(client: TestClient, world: World, start: str, **extra: object):  # type: ignore[no-untyped-def]
    body = {"patient_id": world.patient_1.patient_id, "start": start, "duration_min": 30}
    body.update({"kind": "video", **extra})
    return client.post("/api/v1/appointments", json=body, headers=world.clinician_a.headers)


def test_acceptance_a_booked_video_consultation_reaches_the_patient_only(
    client: TestClient, world: World
) -> None:
    # The clinician books 10:00 at UTC+02:00 on 1 July 2030, i.e. 08:00Z.
    answer = _book(client, world, "2030-07-01T10:00:00+02:00")
    assert answer.status_code == 201, answer.text
    booked = answer.json()
    assert booked["start"] == "2030-07-01T08:00:00Z" and booked["kind"] == "video"
    assert booked["join_url"].endswith(f"/appointments/{booked['id']}/call")

    mine = client.get("/api/v1/appointments", headers=world.patient_1.headers).json()
    assert [a["id"] for a in mine["items"]] == [booked["id"]]
    assert mine["items"][0]["join_url"] == booked["join_url"]

    ics = client.get(f"/api/v1/appointments/{booked['id']}.ics", headers=world.patient_1.headers)
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2030, 7, 1, 8, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2030, 7, 1, 8, 30, tzinfo=UTC)
    assert str(event["url"]) == booked["join_url"]

    for stranger in (world.patient_2, world.clinician_b, world.admin):
        assert (
            client.get(
                f"/api/v1/appointments/{booked['id']}.ics", headers=stranger.headers
            ).status_code
            == 404
        )
        assert client.get("/api/v1/appointments", headers=stranger.headers).json()["total"] == 0


def test_each_party_reads_the_time_in_their_own_zone(client: TestClient, world: World) -> None:
    client.patch(
        f"/api/v1/patients/{world.patient_1.patient_id}",
        json={"timezone": "America/New_York"},
        headers=world.patient_1.headers,
    )
    client.put(
        "/api/v1/availability",
        json={"timezone": "Europe/London", "slot_min": 30, "rules": []},
        headers=world.clinician_a.headers,
    )
    booked = _book(client, world, "2030-07-01T08:00:00Z").json()
    # 08:00Z is 09:00 BST (UTC+1) in London and 04:00 EDT (UTC−4) in New York.
    assert booked["clinician_time"]["label"] == "Mon 1 Jul 2030, 09:00 BST"
    assert booked["patient_time"]["label"] == "Mon 1 Jul 2030, 04:00 EDT"
    assert booked["patient_time"]["start"] == "2030-07-01T04:00:00-04:00"


def test_a_patient_books_a_listed_slot_and_moves_it(client: TestClient, world: World) -> None:
    hours = {
        "timezone": "UTC",
        "slot_min": 30,
        "rules": [{"weekday": 0, "start": "09:00", "end": "11:00"}],
    }
    assert (
        client.put(
            "/api/v1/availability", json=hours, headers=world.clinician_a.headers
        ).status_code
        == 200
    )
    slots = client.get(
        f"/api/v1/clinicians/{world.clinician_a.user_id}/slots",
        params={"from": "2030-07-01T00:00:00Z", "days": 1},
        headers=world.patient_1.headers,
    ).json()
    assert slots["slots"] == [
        "2030-07-01T09:00:00Z",
        "2030-07-01T09:30:00Z",
        "2030-07-01T10:00:00Z",
        "2030-07-01T10:30:00Z",
    ]
    answer = client.post(
        "/api/v1/appointments",
        json={
            "clinician_id": world.clinician_a.user_id,
            "start": slots["slots"][0],
            "kind": "phone",
        },
        headers=world.patient_1.headers,
    )
    assert answer.status_code == 201, answer.text
    appointment_id = answer.json()["id"]
    taken = client.post(
        "/api/v1/appointments",
        json={"clinician_id": world.clinician_a.user_id, "start": slots["slots"][0]},
        headers=world.patient_2.headers,
    )
    assert taken.status_code == 409
    moved = client.patch(
        f"/api/v1/appointments/{appointment_id}",
        json={"start": "2030-07-01T10:30:00Z"},
        headers=world.patient_1.headers,
    )
    assert moved.status_code == 200 and moved.json()["start"] == "2030-07-01T10:30:00Z"
    off_grid = client.patch(
        f"/api/v1/appointments/{appointment_id}",
        json={"start": "2030-07-01T10:10:00Z"},
        headers=world.patient_1.headers,
    )
    assert off_grid.status_code == 422 and off_grid.json()["field"] == "start"
    # A patient of another clinician does not even learn that Dr A has slots.
    assert (
        client.get(
            f"/api/v1/clinicians/{world.clinician_a.user_id}/slots", headers=world.patient_3.headers
        ).status_code
        == 404
    )


def test_a_start_without_offset_is_refused_with_a_clear_message(
    client: TestClient, world: World
) -> None:
    answer = _book(client, world, "2030-07-01T10:00:00")
    assert answer.status_code == 422


def test_a_cancelled_appointment_exports_a_cancelling_calendar_file(
    client: TestClient, world: World
) -> None:
    booked = _book(client, world, "2030-07-01T08:00:00Z").json()
    cancelled = client.post(
        f"/api/v1/appointments/{booked['id']}/cancel",
        json={"reason": "clinic closed"},
        headers=world.clinician_a.headers,
    )
    assert cancelled.json()["status"] == "cancelled"
    ics = client.get(f"/api/v1/appointments/{booked['id']}.ics", headers=world.patient_1.headers)
    calendar = Calendar.from_ical(ics.content)
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_the_soap_note_lands_in_the_patients_record(client: TestClient, world: World) -> None:
    booked = _book(client, world, "2030-07-01T08:00:00Z").json()
    note = {
        "subjective": "Low back pain 3/10, better than last week",
        "objective": "Forward flexion fingertips to mid-shin",
        "assessment": "Improving non-specific low back pain",
        "plan": "Progress bridging; review in 2 weeks",
    }
    saved = client.post(
        f"/api/v1/appointments/{booked['id']}/notes", json=note, headers=world.clinician_a.headers
    )
    assert saved.status_code == 201
    record = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/notes", headers=world.clinician_a.headers
    ).json()
    assert [{k: n[k] for k in note} for n in record] == [note]
    assert record[0]["appointment_id"] == booked["id"]
    refused = client.post(
        f"/api/v1/appointments/{booked['id']}/notes", json=note, headers=world.patient_1.headers
    )
    assert refused.status_code == 403


def test_messages_with_attachments_reach_the_care_team_and_no_one_else(
    client: TestClient, app: FastAPI, world: World
) -> None:
    thread = client.post(
        "/api/v1/threads",
        json={"subject": "My sciatica flared up", "body": "Pain down the left leg since Monday"},
        headers=world.patient_1.headers,
    )
    assert thread.status_code == 201
    thread_id = thread.json()["id"]
    reply = client.post(
        f"/api/v1/threads/{thread_id}/messages",
        data={"body": "Here is the exercise sheet and a photo of the position."},
        files=[
            ("files", ("sheet.pdf", PDF, "application/pdf")),
            ("files", ("position.jpg", PNG, "image/jpeg")),  # declared JPEG, really PNG
        ],
        headers=world.clinician_a.headers,
    )
    assert reply.status_code == 201, reply.text
    attachments = reply.json()["attachments"]
    assert [(a["filename"], a["content_type"]) for a in attachments] == [
        ("sheet.pdf", "application/pdf"),
        ("position.png", "image/png"),
    ]
    listing = client.get("/api/v1/threads", headers=world.patient_1.headers).json()
    assert listing["unread"] == 1 and listing["items"][0]["unread"] == 1

    pdf = client.get(attachments[0]["url"], headers=world.patient_1.headers)
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in pdf.headers["content-security-policy"]
    for stranger in (world.patient_2, world.clinician_b, world.admin):
        assert client.get(attachments[0]["url"], headers=stranger.headers).status_code == 404
        assert (
            client.get(f"/api/v1/threads/{thread_id}", headers=stranger.headers).status_code == 404
        )

    read = client.post(f"/api/v1/threads/{thread_id}/read", headers=world.patient_1.headers)
    assert read.json() == {"unread": 0}
    assert client.get("/api/v1/messages/unread", headers=world.patient_1.headers).json() == {
        "unread": 0
    }

    # One notice per new message, to the other side, and nothing about health in it.
    outbox = app.state.mailer.outbox
    assert [m["To"] for m in outbox] == [world.clinician_a.email, world.patient_1.email]
    for message in outbox:
        text = (message["Subject"] + message.get_content()).lower()
        assert message["Subject"] == "You have a new message in Spinewise"
        assert "sciatica" not in text and "leg" not in text and "exercise" not in text
        assert "dr ada" not in text and "pat one" not in text


def test_attachments_are_checked_by_content_and_size(
    client: TestClient, app: FastAPI, world: World
) -> None:
    thread_id = client.post(
        "/api/v1/threads",
        json={"subject": "Scan", "body": "see file"},
        headers=world.patient_1.headers,
    ).json()["id"]
    url = f"/api/v1/threads/{thread_id}/messages"
    html = client.post(
        url,
        files=[
            ("files", ("scan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"))
        ],
        headers=world.patient_1.headers,
    )
    assert html.status_code == 422 and "type not accepted" in html.json()["detail"]
    app.state.settings.attachment_max_bytes = 1024
    big = client.post(
        url,
        files=[("files", ("big.png", PNG + b"\x00" * 2048, "image/png"))],
        headers=world.patient_1.headers,
    )
    assert big.status_code == 422 and "larger than 1 KB" in big.json()["detail"]
    messages = client.get(f"/api/v1/threads/{thread_id}", headers=world.patient_1.headers).json()
    assert len(messages["messages"]) == 1  # neither refused message was kept


def test_a_clinician_starts_a_thread_only_with_their_own_patient(
    client: TestClient, world: World
) -> None:
    ok = client.post(
        "/api/v1/threads",
        json={
            "patient_id": world.patient_2.patient_id,
            "subject": "Check-in",
            "body": "How are you?",
        },
        headers=world.clinician_a.headers,
    )
    assert ok.status_code == 201
    hidden = client.post(
        "/api/v1/threads",
        json={"patient_id": world.patient_3.patient_id, "subject": "Hi", "body": "Hi"},
        headers=world.clinician_a.headers,
    )
    assert hidden.status_code == 404
    assert client.get("/api/v1/threads", headers=world.patient_2.headers).json()["unread"] == 1
