"""The rehab pages render for the people who may see them: library, exercise with its
demonstration data, rehab home, programme builder and history, player, dashboard, progress,
videos. The CSP forbids inline script, so pages carry only JSON data blocks."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.conftest import World


def _prescribe(client: TestClient, world: World, template: str = "chronic_lbp") -> int:
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={"template_id": template},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 201
    return int(answer.json()["id"])


def _no_inline_script(html: str) -> None:
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_library_page_searches_and_filters(client: TestClient, world: World) -> None:
    page = client.get("/exercises", headers=world.patient_1.headers)
    assert page.status_code == 200 and "Exercise library" in page.text
    rows = client.get(
        "/exercises",
        params={"q": "breathing", "category": "relaxation"},
        headers={**world.patient_1.headers, "HX-Request": "true"},
    )
    assert "Belly breathing" in rows.text or "breathing" in rows.text.lower()
    assert "<html" not in rows.text  # HTMX gets only the rows
    none = client.get(
        "/exercises", params={"q": "zzzz"}, headers={**world.patient_1.headers, "HX-Request": "1"}
    )
    assert "No exercise matches" in none.text


def test_an_exercise_page_carries_its_keyframes_for_the_renderer(
    client: TestClient, world: World
) -> None:
    page = client.get("/exercises/bird_dog", headers=world.clinician_a.headers)
    assert page.status_code == 200
    assert 'data-demonstration="demo-bird_dog"' in page.text
    assert '<script type="application/json" id="demo-bird_dog">' in page.text
    assert "/static/rehab-figure.js" in page.text
    _no_inline_script(page.text)
    assert client.get("/exercises/nope", headers=world.clinician_a.headers).status_code == 404


def test_a_clinician_assigns_a_programme_from_a_template_through_the_form(
    client: TestClient, world: World
) -> None:
    home = client.get(
        f"/patients/{world.patient_1.patient_id}/rehab", headers=world.clinician_a.headers
    )
    assert "Prescribe a programme" in home.text
    created = client.post(
        f"/patients/{world.patient_1.patient_id}/programmes",
        data={"template_id": "acute_nonspecific_lbp"},
        headers=world.clinician_a.headers,
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = client.get(created.headers["location"], headers=world.clinician_a.headers)
    assert "Programme assigned" in page.text and "version 1" in page.text
    # The patient sees today's plan and a start button, not the prescribing form.
    mine = client.get(
        f"/patients/{world.patient_1.patient_id}/rehab", headers=world.patient_1.headers
    )
    assert "Start today" in mine.text and "Prescribe a programme" not in mine.text


def test_a_programme_change_through_the_editor_is_a_new_version(
    client: TestClient, world: World
) -> None:
    programme_id = _prescribe(client, world)
    page = client.get(f"/programmes/{programme_id}", headers=world.clinician_a.headers)
    fields = dict(re.findall(r'name="(item-\d+-[a-z_]+)" value="([^"]*)"', page.text))
    fields = {k: v for k, v in fields.items() if not k.endswith("-remove")}  # unticked boxes
    fields.update(
        {
            "change_note": "add breathing",
            "add_exercise": "diaphragmatic_breathing",
            "item-0-sets": "2",
        }
    )
    saved = client.post(
        f"/programmes/{programme_id}/versions", data=fields, headers=world.clinician_a.headers
    )
    assert saved.status_code == 200 and "Saved as version 2" in saved.text
    programme = client.get(
        f"/api/v1/programmes/{programme_id}", headers=world.clinician_a.headers
    ).json()
    assert programme["current"]["items"][-1]["exercise_id"] == "diaphragmatic_breathing"
    assert programme["current"]["items"][0]["sets"] == 2
    assert len(programme["history"]) == 2
    assert programme["history"][0]["items"][-1]["exercise_id"] != "diaphragmatic_breathing"
    missing_note = client.post(
        f"/programmes/{programme_id}/versions",
        data={k: v for k, v in fields.items() if k != "change_note"},
        headers=world.clinician_a.headers,
    )
    assert missing_note.status_code == 422 and "what changed" in missing_note.text


def test_the_player_lists_todays_exercises_with_demonstrations(
    client: TestClient, world: World
) -> None:
    _prescribe(client, world)
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/session", headers=world.patient_1.headers
    )
    assert page.status_code == 200
    assert page.text.count('class="step card"') >= 1
    assert 'data-api="/api/v1/patients/' in page.text
    assert "/static/rehab.js" in page.text
    _no_inline_script(page.text)


def test_the_player_form_works_without_javascript_and_is_idempotent(
    client: TestClient, world: World
) -> None:
    _prescribe(client, world)
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/session", headers=world.patient_1.headers
    )
    ids = re.findall(r'name="exercise_ids" value="([a-z_0-9]+)"', page.text)
    client_id = re.search(r'name="client_id" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {"client_id": client_id, "exercise_ids": ids}
    for exercise_id in ids:
        form[f"status-{exercise_id}"] = "done"
        form[f"pain-{exercise_id}"] = "2"
    url = f"/patients/{world.patient_1.patient_id}/session"
    for _ in range(2):
        sent = client.post(url, data=form, headers=world.patient_1.headers, follow_redirects=False)
        assert sent.status_code == 303
    sessions = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/sessions", headers=world.patient_1.headers
    ).json()
    assert len(sessions) == 1 and sessions[0]["status"] == "completed"


def test_the_dashboard_filters_and_sorts(client: TestClient, world: World) -> None:
    _prescribe(client, world)
    page = client.get("/clinician/dashboard", headers=world.clinician_a.headers)
    assert page.status_code == 200 and "Pat One" in page.text and "Pat Two" in page.text
    assert "Pat Three" not in page.text
    only = client.get(
        "/clinician/dashboard",
        params={"q": "two"},
        headers={**world.clinician_a.headers, "HX-Request": "true"},
    )
    assert "Pat Two" in only.text and "Pat One" not in only.text
    flagged = client.get(
        "/clinician/dashboard",
        params={"flag": "high_risk"},
        headers={**world.clinician_a.headers, "HX-Request": "true"},
    )
    assert "No patients match" in flagged.text
    assert client.get("/clinician/dashboard", headers=world.patient_1.headers).status_code == 403


def test_the_progress_page_draws_charts_after_a_session(client: TestClient, world: World) -> None:
    _prescribe(client, world)
    pid = world.patient_1.patient_id
    client.post(
        f"/api/v1/patients/{pid}/questionnaires/odi",
        json={"answers": [3, 2, 2, 1, 2, 2, 1, None, 2, 1]},
        headers=world.patient_1.headers,
    )
    page = client.get(f"/patients/{pid}/progress", headers=world.patient_1.headers)
    assert page.status_code == 200
    assert "Your first disability score is 35.6" in page.text
    assert page.text.count('<svg class="chart"') >= 2  # ODI and adherence
    clinician = client.get(f"/patients/{pid}/progress", headers=world.clinician_a.headers)
    assert "change that matters" in clinician.text and "Flags" in clinician.text


def test_the_videos_page_uploads_and_lists(client: TestClient, world: World) -> None:
    page = client.get("/clinician/videos", headers=world.clinician_a.headers)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    uploaded = client.post(
        "/clinician/videos",
        files={"file": ("a.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\0" * 50, "video/mp4")},
        data={"title": "Cat-camel, my cueing", "exercise_id": "cat_camel"},
        headers=world.clinician_a.headers,
    )
    assert uploaded.status_code == 201 and "Cat-camel, my cueing" in uploaded.text
    shown = client.get("/exercises/cat_camel", headers=world.patient_1.headers)
    assert "Videos from your care team" in shown.text
    hidden = client.get("/exercises/cat_camel", headers=world.patient_3.headers)
    assert "Videos from your care team" not in hidden.text
    refused = client.post(
        "/clinician/videos",
        files={"file": ("a.mp4", b"GIF89a" + b"\0" * 50, "video/mp4")},
        data={"title": "Not a video"},
        headers=world.clinician_a.headers,
    )
    assert refused.status_code == 422 and "only MP4 or WebM" in refused.text


def test_short_links_take_a_patient_to_their_pages(client: TestClient, world: World) -> None:
    pid = world.patient_1.patient_id
    for link, target in (
        ("/me/today", f"/patients/{pid}/rehab"),
        ("/me/progress", f"/patients/{pid}/progress"),
        ("/me/questionnaires", f"/patients/{pid}/questionnaires"),
        ("/me/diary", f"/patients/{pid}/diary"),
    ):
        answer = client.get(link, headers=world.patient_1.headers, follow_redirects=False)
        assert answer.headers["location"] == target
        assert client.get(link, headers=world.clinician_a.headers).status_code == 404


def test_an_unread_message_from_a_patient_flags_them_on_the_dashboard(
    client: TestClient, world: World
) -> None:
    _prescribe(client, world)
    sent = client.post(
        "/api/v1/threads",
        json={"subject": "Question", "body": "Can I go swimming this week?"},
        headers=world.patient_1.headers,
    )
    assert sent.status_code == 201, sent.text
    flagged = client.get(
        "/clinician/dashboard",
        params={"flag": "messages"},
        headers={**world.clinician_a.headers, "HX-Request": "true"},
    )
    assert "Pat One" in flagged.text and "1 need attention" in flagged.text
    assert "Pat Two" not in flagged.text
