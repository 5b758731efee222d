"""The outcomes API: questionnaires scored by the published rules and stored, schedules
(baseline then every 2 or 4 weeks), the pain diary, progress and dashboard flags.

Expected numbers are hand calculations written next to each case."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from tests.conftest import World


def _url(world: World, tail: str) -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}/{tail}"


def _answer(
    client: TestClient, world: World, instrument: str, answers: list, day: str | None = None
):  # type: ignore[no-untyped-def]
    body: dict = {"answers": answers}
    if day:
        body["answered_on"] = day
    return client.post(
        _url(world, f"questionnaires/{instrument}"), json=body, headers=world.patient_1.headers
    )


def test_an_odi_answer_is_scored_with_the_published_rule(client: TestClient, world: World) -> None:
    # Fairbank & Pynsent 2000: 3+2+2+1+2+2+1+2+1 = 16 over 9 answered sections → 16/45 = 35.6 %.
    answer = _answer(client, world, "odi", [3, 2, 2, 1, 2, 2, 1, None, 2, 1])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert round(body["score"], 1) == 35.6
    assert body["result"]["band"] == "moderate" and body["result"]["answered"] == 9


def test_form_responses_are_ordered_by_the_definition_file(
    client: TestClient, world: World
) -> None:
    # STarT Back: items 1–8 agree except item 2; item 9 "very much" (3) scores 1.
    # Total 7 + 1 = 8; psychosocial items 5–9 = 5 → high risk (Hill et al. 2008).
    responses = {f"item_{n}": 1 for n in range(1, 9)}
    responses["item_2"] = 0
    responses["item_9"] = 3
    answer = client.post(
        _url(world, "questionnaires/startback"),
        json={"responses": responses},
        headers=world.patient_1.headers,
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["result"] == {
        "instrument": "startback",
        "score": 8,
        "total": 8,
        "psychosocial": 5,
        "risk": "high",
    }


def test_invalid_answers_are_refused_with_the_reason(client: TestClient, world: World) -> None:
    two_missing = _answer(client, world, "odi", [1, 1, 1, 1, 1, 1, 1, 1, None, None])
    assert two_missing.status_code == 422
    assert "2 ODI sections unanswered" in two_missing.json()["detail"]
    assert _answer(client, world, "nprs", [11]).status_code == 422
    assert _answer(client, world, "rmdq", [True] * 23).status_code == 422
    unknown = client.post(
        _url(world, "questionnaires/sf36"), json={"answers": [1]}, headers=world.patient_1.headers
    )
    assert unknown.status_code == 422
    both = client.post(
        _url(world, "questionnaires/nprs"),
        json={"answers": [3], "responses": {"pain_now": 3}},
        headers=world.patient_1.headers,
    )
    assert both.status_code == 422


def test_progress_compares_the_latest_score_with_the_baseline(
    client: TestClient, world: World
) -> None:
    today = dt.date.today()
    # ODI 21/50 = 42 % → 15/50 = 30 %: 12 points better, ≥ 10 (Ostelo et al. 2008).
    _answer(
        client, world, "odi", [3, 3, 2, 2, 2, 2, 2, 2, 2, 1], str(today - dt.timedelta(days=28))
    )
    _answer(client, world, "odi", [2, 2, 2, 1, 2, 1, 1, 2, 1, 1], str(today))
    progress = client.get(_url(world, "progress"), headers=world.patient_1.headers).json()
    odi = next(i for i in progress["instruments"] if i["instrument"] == "odi")
    assert [p["score"] for p in odi["series"]] == [42.0, 30.0]
    assert odi["classification"] == "improved" and odi["mic_points"] == 10
    assert odi["sentence"] == (
        "Your disability score improved by 12 points, from 42 to 30 — a change that matters."
    )


def test_a_schedule_says_what_is_due(client: TestClient, world: World) -> None:
    today = dt.date.today()
    baseline = today - dt.timedelta(weeks=4)
    put = client.put(
        _url(world, "questionnaire-schedule"),
        json={"instrument": "odi", "interval_weeks": 4, "baseline": str(baseline)},
        headers=world.clinician_a.headers,
    )
    assert put.status_code == 200, put.text
    (schedule,) = put.json()
    # Baseline unanswered and its ±3-day window closed → missed; occasion 1 is due today.
    assert [o["status"] for o in schedule["occasions"]] == ["missed", "open"]
    assert schedule["due_now"] is True and schedule["next"]["due"] == str(today)
    _answer(client, world, "odi", [1] * 10)
    (after,) = client.get(
        _url(world, "questionnaire-schedule"), headers=world.patient_1.headers
    ).json()
    assert after["occasions"][1]["status"] == "done"
    assert after["next"]["status"] == "upcoming"
    assert after["next"]["due"] == str(today + dt.timedelta(weeks=4))
    refused = client.put(
        _url(world, "questionnaire-schedule"),
        json={"instrument": "odi", "interval_weeks": 3},
        headers=world.clinician_a.headers,
    )
    assert refused.status_code == 422
    by_patient = client.put(
        _url(world, "questionnaire-schedule"),
        json={"instrument": "odi", "interval_weeks": 2},
        headers=world.patient_1.headers,
    )
    assert by_patient.status_code == 403


def test_the_pain_diary_keeps_one_entry_per_day(client: TestClient, world: World) -> None:
    url = _url(world, "pain-diary")
    first = client.post(url, json={"back_pain": 6, "leg_pain": 2}, headers=world.patient_1.headers)
    assert first.status_code == 201
    second = client.post(
        url, json={"back_pain": 4, "note": "better after a walk"}, headers=world.patient_1.headers
    )
    assert second.json()["back_pain"] == 4
    entries = client.get(url, headers=world.clinician_a.headers).json()
    assert len(entries) == 1 and entries[0]["note"] == "better after a walk"
    future = str(dt.date.today() + dt.timedelta(days=5))
    assert (
        client.post(
            url, json={"back_pain": 3, "day": future}, headers=world.patient_1.headers
        ).status_code
        == 422
    )


def test_the_dashboard_flags_worsening_pain_spikes_and_high_risk(
    client: TestClient, world: World
) -> None:
    today = dt.date.today()
    # NPRS 3 → 6 is 3 points worse, ≥ 2 (Ostelo et al. 2008): worsening.
    _answer(client, world, "nprs", [3], str(today - dt.timedelta(days=14)))
    _answer(client, world, "nprs", [6], str(today))
    # Diary 3, 3, 3 then 6: the mean of the previous entries is 3 and 6 − 3 ≥ 2: a spike.
    for back, days_ago in ((3, 4), (3, 3), (3, 2), (6, 0)):
        client.post(
            _url(world, "pain-diary"),
            json={"back_pain": back, "day": str(today - dt.timedelta(days=days_ago))},
            headers=world.patient_1.headers,
        )
    # STarT Back: psychosocial 4 of items 5–9 → high risk.
    _answer(client, world, "startback", [0, 0, 0, 0, 1, 1, 1, 1, 0])
    rows = client.get("/api/v1/dashboard", headers=world.clinician_a.headers).json()
    flags = {r["patient_id"]: {f["code"] for f in r["flags"]} for r in rows}
    assert flags[world.patient_1.patient_id] == {"worsening", "pain_spike", "high_risk"}
    assert flags[world.patient_2.patient_id] == set()


def test_instruments_state_their_licence_and_ship_no_licensed_wording(
    client: TestClient, world: World
) -> None:
    listed = {
        i["id"]: i
        for i in client.get("/api/v1/instruments", headers=world.patient_1.headers).json()
    }
    assert set(listed) == {"odi", "rmdq", "nprs", "startback", "psfs", "pain_diary"}
    assert listed["odi"]["wording_included"] is False
    assert listed["odi"]["licence"]["status"] == "licensed_wording_not_included"
    assert listed["startback"]["licence"]["notice"].startswith("© Keele University")
