"""Questionnaire and diary pages: forms drawn from the definition files, answers scored,
neutral labels and a licence note for ODI/RMDQ, a clinician schedules."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import World


def test_the_odi_form_shows_neutral_labels_and_says_a_clinic_loads_the_wording(
    client: TestClient, world: World
) -> None:
    page = client.get(
        f"/patients/{world.patient_1.patient_id}/questionnaires",
        params={"instrument": "odi"},
        headers=world.patient_1.headers,
    )
    assert page.status_code == 200
    assert "Pain intensity" in page.text and "Your clinic loads the licensed wording" in page.text
    assert page.text.count('name="pain_intensity"') == 6


def test_answering_the_rmdq_form_counts_ticked_statements(client: TestClient, world: World) -> None:
    pid = world.patient_1.patient_id
    form = {f"statement_{n}": "true" for n in (1, 4, 9, 17, 24)}  # 5 statements apply → 5
    answer = client.post(
        f"/patients/{pid}/questionnaires/rmdq", data=form, headers=world.patient_1.headers
    )
    assert answer.status_code == 201 and "Score: <strong>5" in answer.text
    stored = client.get(
        f"/api/v1/patients/{pid}/questionnaires", headers=world.patient_1.headers
    ).json()
    assert stored[-1]["score"] == 5 and stored[-1]["instrument"] == "rmdq"


def test_the_psfs_form_takes_named_activities(client: TestClient, world: World) -> None:
    pid = world.patient_1.patient_id
    form = {
        "activity-0": "Putting on socks",
        "rating-0": "4",
        "activity-1": "Gardening",
        "rating-1": "7",
    }
    answer = client.post(
        f"/patients/{pid}/questionnaires/psfs", data=form, headers=world.patient_1.headers
    )
    assert answer.status_code == 201 and "5.5" in answer.text  # (4 + 7) / 2
    half = client.post(
        f"/patients/{pid}/questionnaires/psfs",
        data={"activity-0": "Socks"},
        headers=world.patient_1.headers,
    )
    assert half.status_code == 422 and "rate" in half.text


def test_a_missing_required_answer_redraws_the_form_with_the_reason(
    client: TestClient, world: World
) -> None:
    page = client.post(
        f"/patients/{world.patient_1.patient_id}/questionnaires/nprs",
        data={},
        headers=world.patient_1.headers,
    )
    assert page.status_code == 422 and "is required" in page.text


def test_a_clinician_schedules_and_the_patient_sees_it_due(
    client: TestClient, world: World
) -> None:
    pid = world.patient_1.patient_id
    sent = client.post(
        f"/patients/{pid}/questionnaire-schedule",
        data={"instrument": "nprs", "interval_weeks": "2"},
        headers=world.clinician_a.headers,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = client.get(f"/patients/{pid}/questionnaires", headers=world.patient_1.headers)
    assert "every 2 weeks" in page.text and "due now" in page.text
    home = client.get(f"/patients/{pid}/rehab", headers=world.patient_1.headers)
    assert "A questionnaire is due" in home.text


def test_the_diary_page_saves_today(client: TestClient, world: World) -> None:
    pid = world.patient_1.patient_id
    saved = client.post(
        f"/patients/{pid}/diary",
        data={"back_pain": "5", "sleep_disturbed": "true", "note": "long drive"},
        headers=world.patient_1.headers,
    )
    assert saved.status_code == 200 and "today is saved" in saved.text
    assert "long drive" in saved.text
    missing = client.post(f"/patients/{pid}/diary", data={}, headers=world.patient_1.headers)
    assert missing.status_code == 422
