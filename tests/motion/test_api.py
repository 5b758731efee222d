"""Camera summaries travel with the session log and come back for the progress pages.

The session player posts each camera-coached exercise's summary inside the session
(``exercises[].camera``); the server stores the derived numbers only and refuses anything that
looks like raw tracking data. Runs on SQLite and PostgreSQL (the ``world`` fixtures).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import World


def _programme(client: TestClient, world: World) -> None:
    answer = client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/programmes",
        json={
            "name": "Camera test",
            "sessions_per_week": 3,
            "duration_weeks": 4,
            "items": [
                {"exercise_id": "standing_flexion", "reps": 5},
                {"exercise_id": "glute_bridge", "reps": 8},
                {"exercise_id": "dead_bug", "reps": 6},
            ],
        },
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 201, answer.text


def _summary(**changes: Any) -> dict[str, Any]:
    summary = {
        "exercise": "trunk_flexion",
        "angle": "trunk_flexion",
        "target_deg": 72,
        "reps": 2,
        "repetitions": [
            {"start_s": 1.0, "end_s": 4.5, "peak_deg": 60.5, "rom_deg": 58.0, "hold_s": 0.6},
            {"start_s": 6.0, "end_s": 9.0, "peak_deg": 66.5, "rom_deg": 64.0, "hold_s": 0.5},
        ],
        "form_flags": [{"t_s": 6.0, "check": "too_fast", "rep": 2}],
        "tracked_s": 12.5,
        "frames_with_pose": 180,
    }
    summary.update(changes)
    return summary


def _log(
    client: TestClient, world: World, camera: Any, *, exercise_id: str = "standing_flexion"
) -> Any:
    exercises = [
        {"exercise_id": "standing_flexion", "status": "done"},
        {"exercise_id": "glute_bridge", "status": "done"},
        {"exercise_id": "dead_bug", "status": "skipped"},
    ]
    for e in exercises:
        if e["exercise_id"] == exercise_id:
            e["camera"] = camera
    return client.post(
        f"/api/v1/patients/{world.patient_1.patient_id}/sessions",
        json={"client_id": "camera-session-1", "exercises": exercises},
        headers=world.patient_1.headers,
    )


def _results(client: TestClient, world: World, who: str = "patient_1") -> Any:
    return client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/motion/results",
        headers=getattr(world, who).headers,
    )


def test_a_camera_summary_is_saved_with_the_session_and_read_back(
    client: TestClient, world: World
) -> None:
    _programme(client, world)
    answer = _log(client, world, _summary())
    assert answer.status_code == 201, answer.text
    again = _log(client, world, _summary(reps=0, repetitions=[], form_flags=[]))
    assert again.status_code == 200  # a resend is the same session: nothing new stored
    results = _results(client, world).json()
    assert len(results) == 1
    result = results[0]
    assert result["session_log_id"] == answer.json()["id"]
    assert result["exercise_id"] == "standing_flexion" and result["reps"] == 2
    assert result["mean_rom_deg"] == (58.0 + 64.0) / 2  # hand calculation
    assert result["max_peak_deg"] == 66.5
    assert result["form_flags"] == [{"t_s": 6.0, "check": "too_fast", "rep": 2}]
    assert "not a clinical measurement" in result["estimate"]
    # The care team reads it too; a clinician outside it gets 404.
    assert _results(client, world, "clinician_a").status_code == 200
    assert _results(client, world, "clinician_b").status_code == 404


def test_raw_tracking_data_is_refused(client: TestClient, world: World) -> None:
    _programme(client, world)
    keypoints = _summary(frames=[[[1.0, 2.0, 0.9]] * 33])
    assert _log(client, world, keypoints).status_code == 422
    image = _summary(image="data:image/jpeg;base64,AAAA")
    assert _log(client, world, image).status_code == 422
    assert _results(client, world).json() == []


def test_a_summary_must_fit_its_exercise(client: TestClient, world: World) -> None:
    _programme(client, world)
    # An exercise the player does not coach with the camera.
    assert _log(client, world, _summary(), exercise_id="dead_bug").status_code == 422
    # The bridge is coached as "bridge", not as a forward bend.
    assert _log(client, world, _summary(), exercise_id="glute_bridge").status_code == 422
    # The count must match the repetitions listed; a flag must name a repetition.
    assert _log(client, world, _summary(reps=3)).status_code == 422
    bad_flag = _summary(form_flags=[{"t_s": 1.0, "check": "too_fast", "rep": 5}])
    assert _log(client, world, bad_flag).status_code == 422
    # A check that does not belong to the exercise.
    wrong = _summary(form_flags=[{"t_s": 1.0, "check": "hips_sagging", "rep": 1}])
    assert _log(client, world, wrong).status_code == 422
    assert _results(client, world).json() == []


def test_the_progress_page_shows_the_range_trend_as_a_camera_estimate(
    client: TestClient, world: World
) -> None:
    _programme(client, world)
    assert _log(client, world, _summary()).status_code == 201
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/progress", headers=world.patient_1.headers
    )
    assert page.status_code == 200
    assert "estimate from the camera" in page.text
    assert "Standing flexion: range per session" in page.text
    assert "61 deg over 2 repetitions" in page.text  # (58 + 64) / 2 in the chart's text


def test_the_player_offers_the_camera_only_where_it_coaches(
    client: TestClient, world: World
) -> None:
    _programme(client, world)
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/session", headers=world.patient_1.headers
    )
    assert page.status_code == 200
    assert page.text.count('class="camera-coach"') == 2  # forward bend and bridge, not dead bug
    assert "never sent or saved" in page.text
    assert '"target_deg":72' in page.text  # the forward bend's demonstrated range
