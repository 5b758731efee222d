"""The rehab JSON API: library search, programmes built from templates and versioned,
today's plan, idempotent session logging, adherence, and demonstration videos with range
requests and care-team visibility."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from spinewise.rehab.library import default_library
from spinewise.rehab.programmes import default_templates
from tests.conftest import World

MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def _programme(client: TestClient, world: World, template: str = "chronic_lbp") -> dict:
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={"template_id": template},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _log(client: TestClient, world: World, client_id: str, statuses: list[str]):  # type: ignore[no-untyped-def]
    plan = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/today", headers=world.patient_1.headers
    ).json()
    exercises = [
        {"exercise_id": item["exercise_id"], "status": status, "pain_during": 3}
        for item, status in zip(plan["items"], statuses, strict=False)
    ]
    return client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/sessions",
        json={"client_id": client_id, "exercises": exercises, "duration_s": 900},
        headers=world.patient_1.headers,
    )


def test_the_library_is_searchable_and_filterable(client: TestClient, world: World) -> None:
    headers = world.patient_1.headers
    everything = client.get("/api/v1/exercises", headers=headers).json()
    assert everything["total"] >= 40
    bridges = client.get("/api/v1/exercises", params={"q": "bridge"}, headers=headers).json()
    assert bridges["items"] and all("bridge" in e["name"].lower() for e in bridges["items"][:3])
    core = client.get(
        "/api/v1/exercises",
        params={"category": "core_stabilisation", "max_difficulty": 3},
        headers=headers,
    ).json()
    assert core["total"] > 0
    assert all(
        e["category"] == "core_stabilisation" and e["difficulty"] <= 3 for e in core["items"]
    )
    bare = client.get("/api/v1/exercises", params={"equipment": "none"}, headers=headers).json()
    assert bare["total"] > 0 and all(e["equipment"] == [] for e in bare["items"])


def test_an_exercise_comes_with_its_resolved_keyframes(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/exercises/bird_dog", headers=world.patient_1.headers).json()
    frames = answer["demonstration"]["keyframes"]
    assert len(frames) >= 2 and all(len(f["angles"]) == 13 for f in frames)
    assert client.get("/api/v1/exercises/nope", headers=world.patient_1.headers).status_code == 404
    assert client.get("/api/v1/exercises").status_code == 401


def test_a_clinician_builds_a_programme_from_a_template(client: TestClient, world: World) -> None:
    template = default_templates()["chronic_lbp"]
    programme = _programme(client, world)
    assert programme["template_id"] == "chronic_lbp"
    assert programme["current_version"] == 1
    assert programme["current"]["sessions_per_week"] == template.sessions_per_week
    assert [i["exercise_id"] for i in programme["current"]["items"]] == [
        i.exercise_id for i in template.items
    ]
    # Every dosage is resolved (template value, else the exercise default).
    assert all(i["reps"] or i["hold_s"] or i["duration_min"] for i in programme["current"]["items"])


def test_a_clinician_builds_a_programme_from_scratch(client: TestClient, world: World) -> None:
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={
            "name": "Bridges and walking",
            "sessions_per_week": 3,
            "duration_weeks": 4,
            "items": [
                {"exercise_id": "glute_bridge", "sets": 2, "reps": 8},
                {"exercise_id": "walking_short_bouts"},
            ],
        },
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 201, answer.text
    items = answer.json()["current"]["items"]
    assert items[0]["sets"] == 2 and items[0]["reps"] == 8
    assert items[1]["until_week"] == 4


def test_only_clinicians_prescribe_and_bad_items_are_refused(
    client: TestClient, world: World
) -> None:
    url = f"/api/v1/patients/{world.patient_1.patient_id}/programmes"
    own = client.post(url, json={"template_id": "chronic_lbp"}, headers=world.patient_1.headers)
    assert own.status_code == 403
    outsider = client.post(
        url, json={"template_id": "chronic_lbp"}, headers=world.clinician_b.headers
    )
    assert outsider.status_code == 404
    unknown = client.post(
        url,
        json={"name": "Custom", "items": [{"exercise_id": "levitation"}]},
        headers=world.clinician_a.headers,
    )
    assert unknown.status_code == 422 and "levitation" in unknown.json()["detail"]
    too_many = client.post(
        url,
        json={"name": "Custom", "items": [{"exercise_id": "glute_bridge", "sets": 11}]},
        headers=world.clinician_a.headers,
    )
    assert too_many.status_code == 422


def test_every_change_is_a_new_version_and_history_is_kept(
    client: TestClient, world: World
) -> None:
    programme = _programme(client, world)
    first_items = programme["current"]["items"]
    changed = client.post(
        f"/api/v1/programmes/{programme['id']}/versions",
        json={"change_note": "fewer sessions while busy at work", "sessions_per_week": 2},
        headers=world.clinician_a.headers,
    )
    assert changed.status_code == 201, changed.text
    body = changed.json()
    assert body["current_version"] == 2
    assert [v["version"] for v in body["history"]] == [1, 2]
    assert body["history"][0]["sessions_per_week"] == 3  # version 1 is untouched
    assert body["history"][1]["change_note"] == "fewer sessions while busy at work"
    assert body["history"][1]["items"] == first_items
    # The patient can read the history but not change it.
    seen = client.get(f"/api/v1/programmes/{programme['id']}", headers=world.patient_1.headers)
    assert seen.status_code == 200 and len(seen.json()["history"]) == 2
    refused = client.post(
        f"/api/v1/programmes/{programme['id']}/versions",
        json={"change_note": "more please"},
        headers=world.patient_1.headers,
    )
    assert refused.status_code == 403


def test_a_new_programme_ends_the_previous_one(client: TestClient, world: World) -> None:
    first = _programme(client, world, "acute_nonspecific_lbp")
    second = _programme(client, world, "chronic_lbp")
    listed = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        headers=world.clinician_a.headers,
    ).json()
    status = {p["id"]: p["status"] for p in listed}
    assert status == {first["id"]: "ended", second["id"]: "active"}


def test_todays_plan_is_the_current_programme_week(client: TestClient, world: World) -> None:
    template = default_templates()["post_microdiscectomy_0_6"]
    _programme(client, world, template.id)
    plan = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/today", headers=world.patient_1.headers
    ).json()
    assert plan["week"] == 1
    assert [i["exercise_id"] for i in plan["items"]] == [
        i.exercise_id for i in template.items_for_week(1)
    ]
    assert all(i["dose"] for i in plan["items"])


def test_logging_a_session_is_idempotent_on_the_client_id(client: TestClient, world: World) -> None:
    _programme(client, world)
    first = _log(client, world, "offline-abc-123", ["done", "done", "done", "done", "done"])
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "completed" and first.json()["created"] is True
    again = _log(client, world, "offline-abc-123", ["done", "done", "done", "done", "done"])
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    logs = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/sessions",
        headers=world.clinician_a.headers,
    ).json()
    assert len(logs) == 1
    assert logs[0]["exercises"][0]["pain_during"] == 3


def test_a_session_status_follows_its_exercises(client: TestClient, world: World) -> None:
    _programme(client, world)
    assert _log(client, world, "mixed-0001", ["done", "skipped"]).json()["status"] == "partial"
    assert _log(client, world, "skipped-001", ["skipped"]).json()["status"] == "skipped"


def test_an_exercise_outside_the_programme_cannot_be_logged(
    client: TestClient, world: World
) -> None:
    programme = _programme(client, world)
    prescribed = {i["exercise_id"] for i in programme["current"]["items"]}
    other = next(e.id for e in default_library() if e.id not in prescribed)
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/sessions",
        json={"client_id": "abcdefgh1", "exercises": [{"exercise_id": other, "status": "done"}]},
        headers=world.patient_1.headers,
    )
    assert answer.status_code == 422


def test_adherence_counts_this_weeks_sessions(client: TestClient, world: World) -> None:
    _programme(client, world)  # chronic_lbp: 3 sessions a week
    url = f"/api/v1/patients/{world.patient_1.patient_id}/adherence"
    before = client.get(url, headers=world.clinician_a.headers).json()
    assert before["weeks"][-1]["completed"] == 0
    _log(client, world, "adherence-1", ["done"] * 5)
    _log(client, world, "adherence-2", ["done", "skipped"])
    after = client.get(url, headers=world.patient_1.headers).json()
    week = after["weeks"][-1]
    assert (week["completed"], week["partial"]) == (1, 1)
    assert week["complete"] is False  # the programme started today


def test_the_dashboard_lists_only_the_clinicians_patients(client: TestClient, world: World) -> None:
    rows = client.get("/api/v1/dashboard", headers=world.clinician_a.headers).json()
    assert {r["patient_id"] for r in rows} == {
        world.patient_1.patient_id,
        world.patient_2.patient_id,
    }
    assert client.get("/api/v1/dashboard", headers=world.patient_1.headers).status_code == 403


# --- videos -----------------------------------------------------------------------------------


def _upload(client: TestClient, world: World, data: bytes, name: str = "demo.mp4"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/videos",
        files={"file": (name, data, "video/mp4")},
        data={"title": "My bridge", "exercise_id": "glute_bridge"},
        headers=world.clinician_a.headers,
    )


def test_a_video_is_checked_by_its_bytes_not_its_name(client: TestClient, world: World) -> None:
    refused = _upload(client, world, b"#!/bin/sh\necho not a video\n" * 10)
    assert refused.status_code == 422 and "MP4 or WebM" in refused.json()["detail"]
    webm = client.post(
        "/api/v1/videos",
        files={"file": ("x.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm" + b"\0" * 100)},
        data={"title": "WebM"},
        headers=world.clinician_a.headers,
    )
    assert webm.status_code == 201 and webm.json()["content_type"] == "video/webm"
    by_patient = client.post(
        "/api/v1/videos",
        files={"file": ("x.mp4", MP4_HEAD + b"\0" * 100)},
        data={"title": "x"},
        headers=world.patient_1.headers,
    )
    assert by_patient.status_code == 403


def test_a_video_streams_with_range_requests(
    client: TestClient,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    body = MP4_HEAD + bytes(range(256)) * 40
    video = _upload(client, world, body).json()
    stored = list((settings.data_dir / "videos").iterdir())
    assert [p.name for p in stored] == [f"{p.stem}.mp4" for p in stored] and len(stored) == 1
    whole = client.get(video["url"], headers=world.patient_1.headers)
    assert whole.status_code == 200 and whole.content == body
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(video["url"], headers={**world.patient_1.headers, "Range": "bytes=4-11"})
    assert part.status_code == 206
    assert part.content == b"ftypisom"
    assert part.headers["content-range"] == f"bytes 4-11/{len(body)}"
    tail = client.get(video["url"], headers={**world.patient_1.headers, "Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == body[-16:]
    beyond = client.get(
        video["url"], headers={**world.patient_1.headers, "Range": f"bytes={len(body) + 5}-"}
    )
    assert beyond.status_code == 416


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("clinician_a", 200),  # the uploader
        ("patient_1", 200),  # in clinician_a's care
        ("patient_2", 200),
        ("patient_3", 404),  # another clinician's patient
        ("clinician_b", 404),
        ("admin", 404),
    ],
)
def test_a_video_is_visible_only_to_the_uploaders_patients(
    client: TestClient, world: World, who: str, status: int
) -> None:
    video = _upload(client, world, MP4_HEAD + b"\0" * 64).json()
    headers = getattr(world, who).headers
    for url in (f"/api/v1/videos/{video['id']}", video["url"]):
        assert client.get(url, headers=headers).status_code == status, (who, url)
    listed = client.get("/api/v1/videos", headers=headers).json()
    assert ([v["id"] for v in listed] == [video["id"]]) == (status == 200)
    assert client.get(video["url"]).status_code == 401


def test_only_the_uploader_deletes_a_video(
    client: TestClient,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    video = _upload(client, world, MP4_HEAD + b"\0" * 64).json()
    url = f"/api/v1/videos/{video['id']}"
    assert client.delete(url, headers=world.patient_1.headers).status_code == 403
    assert client.delete(url, headers=world.clinician_b.headers).status_code == 404
    assert client.delete(url, headers=world.clinician_a.headers).status_code == 204
    assert list((settings.data_dir / "videos").iterdir()) == []


def test_an_oversized_video_is_refused_and_leaves_no_file(
    client: TestClient,
    world: World,
    settings,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from spinewise.rehab import api

    monkeypatch.setattr(api, "DEFAULT_MAX_BYTES", 1000)
    answer = _upload(client, world, MP4_HEAD + b"\0" * 2000)
    assert answer.status_code == 422 and "at most" in answer.json()["detail"]
    assert list((settings.data_dir / "videos").iterdir()) == []


def test_dates_are_the_patients_calendar_days() -> None:
    from spinewise.accounts.models import Patient
    from spinewise.rehab.service import today_for

    patient = Patient(timezone="Pacific/Kiritimati")  # UTC+14
    utc_today = dt.datetime.now(dt.UTC).date()
    assert today_for(patient) in (utc_today, utc_today + dt.timedelta(days=1))
