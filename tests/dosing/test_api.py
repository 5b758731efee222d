"""The pump-programme API: 422 with every violation and nothing stored for a hard limit, exactly
at a limit allowed, sign-off by a second clinician, refill reminders on the bus, the patient's
view, clinic libraries, and the audit trail.

Boundary figures are hand calculations on the synthetic library of ``conftest.py``
(testorphine ≤ 10 mg/mL, hard 6 / soft 4 mg/day, +20 %/day, bolus ≤ 0.5 mg, lockout ≥ 60 min,
≤ 4 a day; pump 0.1–2 mL/day) — round numbers, not clinical guidance.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.conftest import Person, World

from .conftest import BASE_PROGRAMME, FLAT_MORPHINE, MORNING_PEAK_PAIN, SYNTHETIC_LIBRARY, save_body

MORPHINE = {k: v for k, v in FLAT_MORPHINE.items() if k != "previous_daily_dose"}


def _url(world: World, tail: str = "") -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes{tail}"


def _total(client: TestClient, world: World) -> int:
    answer = client.get(_url(world), headers=world.clinician_a.headers)
    assert answer.status_code == 200
    return int(answer.json()["total"])


def _use_library(client: TestClient, world: World, document: dict[str, Any]) -> dict[str, Any]:
    uploaded = client.post(
        "/api/v1/drug-libraries",
        json={"clinic": "Test clinic", "document": document, "note": "synthetic"},
        headers=world.clinician_a.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    settings = client.put(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-settings",
        json={"clinic": "Test clinic"},
        headers=world.clinician_a.headers,
    )
    assert settings.status_code == 200, settings.text
    return dict(uploaded.json())


def _post(client: TestClient, world: World, programme: dict[str, Any], **extra: Any) -> Any:
    return client.post(
        _url(world), json=save_body(programme, **extra), headers=world.clinician_a.headers
    )


def test_a_valid_programme_is_stored_as_version_1_and_listed(
    client: TestClient, world: World
) -> None:
    answer = _post(client, world, MORPHINE, filled_on="2026-03-01")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["version"], body["status"], body["source"]) == (1, "active", "api")
    assert body["refill_due_on"] == "2026-03-27"  # 18 mL / 0.675 mL/day = 26.7 -> 26 days
    assert body["check_result"]["ok"] is True and len(body["library_fingerprint"]) == 64
    listed = client.get(_url(world), headers=world.clinician_a.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    one = client.get(_url(world, f"/{body['id']}"), headers=world.clinician_a.headers)
    assert one.status_code == 200 and one.json()["programme"]["steps"] == MORPHINE["steps"]


def test_a_programme_breaking_hard_limits_gets_422_with_every_violation_and_is_not_stored(
    client: TestClient, world: World
) -> None:
    # Shipped library, morphine: 25 mg/mL > 20 (PACC 2017); 0.8 mL/day x 25 = 20 mg + 3 x
    # 0.25 = 20.75 mg > 15 mg/day; lockout 30 < 60 min (Spinewise placeholder).
    bad = {
        **MORPHINE,
        "concentration": 25,
        "steps": [{"start": "00:00", "rate_ml_per_day": 0.8}],
        "bolus": {"dose": 0.25, "lockout_min": 30, "max_per_day": 3},
    }
    answer = _post(client, world, bad)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "safety_limit_exceeded"
    assert body["violations"] == [
        {"rule": "concentration", "limit": 20, "value": 25},
        {"rule": "daily_dose_hard_max", "limit": 15, "value": 20.75},
        {"rule": "bolus_lockout", "limit": 60, "value": 30},
    ]
    assert (body["rule"], body["limit"], body["value"]) == ("concentration", 20, 25)
    assert _total(client, world) == 0


def _at_and_above(rule: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A programme exactly at the limit of ``rule`` and one a hair above it (synthetic library)."""
    base = {k: v for k, v in BASE_PROGRAMME.items() if k != "previous_daily_dose"}
    small_bolus = {"dose": 0.1, "lockout_min": 60, "max_per_day": 1}
    one_step = [{"start": "00:00", "rate_ml_per_day": 0.3}]  # 3 mg/day at 10 mg/mL
    cases: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        # 0.3 mL/day x 10 mg/mL = 3 mg/day; the concentration is the limit itself.
        "concentration": (
            {**base, "steps": one_step, "bolus": None},
            {**base, "steps": one_step, "bolus": None, "concentration": 10.001},
        ),
        # 0.4 x 10 + 4 x 0.5 = 6 mg/day exactly; 0.4001 mL/day -> 6.001 mg/day.
        "daily_dose_hard_max": (
            base,
            {**base, "steps": [{"start": "00:00", "rate_ml_per_day": 0.4001}]},
        ),
        # previous 4 mg x 1.2 = 4.8 mg: 0.48 mL/day x 10 = 4.8 exactly; 0.481 -> 4.81.
        "daily_increase": (
            {
                **base,
                "bolus": None,
                "previous_daily_dose": 4,
                "steps": [{"start": "00:00", "rate_ml_per_day": 0.48}],
            },
            {
                **base,
                "bolus": None,
                "previous_daily_dose": 4,
                "steps": [{"start": "00:00", "rate_ml_per_day": 0.481}],
            },
        ),
        "bolus_dose": (
            {**base, "steps": one_step, "bolus": {**small_bolus, "dose": 0.5}},
            {**base, "steps": one_step, "bolus": {**small_bolus, "dose": 0.501}},
        ),
        "bolus_lockout": (
            {**base, "steps": one_step, "bolus": small_bolus},
            {**base, "steps": one_step, "bolus": {**small_bolus, "lockout_min": 59.9}},
        ),
        "bolus_count": (
            {**base, "steps": one_step, "bolus": {**small_bolus, "max_per_day": 4}},
            {**base, "steps": one_step, "bolus": {**small_bolus, "max_per_day": 5}},
        ),
        # The pump's minimum 0.1 mL/day; a step at 0 (off) is allowed.
        "rate_min": (
            {
                **base,
                "bolus": None,
                "steps": [
                    {"start": "00:00", "rate_ml_per_day": 0},
                    {"start": "06:00", "rate_ml_per_day": 0.1},
                ],
            },
            {
                **base,
                "bolus": None,
                "steps": [
                    {"start": "00:00", "rate_ml_per_day": 0},
                    {"start": "06:00", "rate_ml_per_day": 0.099},
                ],
            },
        ),
        # The pump's maximum 2 mL/day at 1 mg/mL = 2 mg/day.
        "rate_max": (
            {
                **base,
                "bolus": None,
                "concentration": 1,
                "steps": [{"start": "00:00", "rate_ml_per_day": 2}],
            },
            {
                **base,
                "bolus": None,
                "concentration": 1,
                "steps": [{"start": "00:00", "rate_ml_per_day": 2.001}],
            },
        ),
    }
    return cases[rule]


@pytest.mark.parametrize(
    "rule",
    [
        "concentration",
        "daily_dose_hard_max",
        "daily_increase",
        "bolus_dose",
        "bolus_lockout",
        "bolus_count",
        "rate_min",
        "rate_max",
    ],
)
def test_exactly_at_a_hard_limit_is_stored_and_a_hair_above_is_refused(
    client: TestClient, world: World, rule: str
) -> None:
    _use_library(client, world, copy.deepcopy(SYNTHETIC_LIBRARY))
    at, above = _at_and_above(rule)
    soft_reason = {"soft_limit_reason": "at the hard maximum on purpose"}
    refused = _post(client, world, above, **soft_reason)
    assert refused.status_code == 422, refused.text
    assert [v["rule"] for v in refused.json()["violations"]] == [rule]
    assert _total(client, world) == 0
    stored = _post(client, world, at, **soft_reason)
    assert stored.status_code == 201, stored.text
    assert _total(client, world) == 1


def test_an_unknown_drug_is_refused(client: TestClient, world: World) -> None:
    answer = _post(client, world, {**MORPHINE, "drug": "oxycodone"})
    assert answer.status_code == 422
    assert answer.json()["violations"] == [
        {"rule": "unknown_drug", "limit": None, "value": "oxycodone"}
    ]


def test_the_soft_maximum_needs_a_reason_then_a_different_clinician_of_the_team(
    client: TestClient, world: World, second_clinician: Person
) -> None:
    _use_library(client, world, copy.deepcopy(SYNTHETIC_LIBRARY))
    # 0.4 x 10 = 4 mg/day: exactly the soft maximum -> active without a reason.
    at_soft = {**BASE_PROGRAMME, "bolus": None}
    at_soft.pop("previous_daily_dose")
    assert _post(client, world, at_soft).json()["status"] == "active"
    # 0.4 x 10 + 1 x 0.5 = 4.5 mg/day > 4 (soft), <= 4 x 1.2 = 4.8 and <= 6 (hard).
    above_soft = {**at_soft, "bolus": {"dose": 0.5, "lockout_min": 60, "max_per_day": 1}}
    missing = _post(client, world, above_soft)
    assert missing.status_code == 422 and missing.json()["field"] == "soft_limit_reason"
    pending = _post(client, world, above_soft, soft_limit_reason="night-time breakthrough")
    assert pending.status_code == 201 and pending.json()["status"] == "awaiting_sign_off"
    sign = _url(world, f"/{pending.json()['id']}/sign-off")
    same = client.post(sign, headers=world.clinician_a.headers)
    assert same.status_code == 403 and "second clinician" in same.json()["detail"]
    outsider = client.post(sign, headers=world.clinician_b.headers)
    assert outsider.status_code == 404  # not in this patient's team: the patient is hidden
    signed = client.post(sign, headers=second_clinician.headers)
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "active"
    assert signed.json()["signed_off_by_name"] == "Dr Cleo Second"
    again = client.post(sign, headers=second_clinician.headers)
    assert again.status_code == 409


def test_activating_a_programme_publishes_the_refill_reminder_after_commit(
    client: TestClient, app: FastAPI, world: World
) -> None:
    bus = app.state.bus
    subscription = client.portal.call(bus.subscribe, "dosing.refill_due.*")  # type: ignore[union-attr]
    _post(client, world, {**MORPHINE, "concentration": 30})  # refused: no event
    with pytest.raises(TimeoutError):
        client.portal.call(subscription.get, 0.2)  # type: ignore[union-attr]
    stored = _post(client, world, MORPHINE, filled_on="2026-03-01").json()
    event = client.portal.call(subscription.get, 5.0)  # type: ignore[union-attr]
    assert event.topic == f"dosing.refill_due.{world.patient_1.patient_id}"
    assert event.payload["programme_id"] == stored["id"]
    assert (event.payload["due_on"], event.payload["remind_from"]) == ("2026-03-27", "2026-03-20")
    assert event.payload["care_team"] == [world.clinician_a.user_id]


def test_check_answers_200_with_the_verdict_and_stores_nothing(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        _url(world, "/check"),
        json={"programme": {**MORPHINE, "concentration": 30}},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] is False and body["violations"][0]["rule"] == "concentration"
    assert body["library"]["id"] is None and body["unit"] == "mg"
    assert _total(client, world) == 0


def test_plan_uses_the_recorded_pain_profile_and_its_suggestion_can_be_saved(
    client: TestClient, world: World
) -> None:
    no_profile = client.post(_url(world, "/plan"), json={}, headers=world.clinician_a.headers)
    assert no_profile.status_code == 422
    _post(client, world, MORPHINE)
    client.put(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-settings",
        json={"pain_profile": MORNING_PEAK_PAIN, "pain_profile_note": "synthetic"},
        headers=world.clinician_a.headers,
    )
    plan = client.post(_url(world, "/plan"), json={}, headers=world.clinician_a.headers)
    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert body["changed"] and body["check"]["ok"]
    assert body["basal_daily_dose_after"] <= body["basal_daily_dose_before"] == 6
    assert body["mean_level_after"] > body["mean_level_before"]
    assert body["pain"] == MORNING_PEAK_PAIN and "Moves" in body["explanation"]
    saved = _post(client, world, body["programme"])
    assert saved.status_code == 201 and saved.json()["max_daily_dose"] <= 6.75


def test_the_patient_sees_the_refill_date_logs_boluses_and_never_the_programme(
    client: TestClient, world: World
) -> None:
    patient = world.patient_1.headers
    base = f"/api/v1/patients/{world.patient_1.patient_id}"
    assert client.get(f"{base}/pump-refill", headers=patient).json() == {
        "has_programme": False,
        "drug": None,
        "filled_on": None,
        "refill_due_on": None,
        "version": None,
    }
    _post(client, world, MORPHINE, filled_on="2026-03-01")
    refill = client.get(f"{base}/pump-refill", headers=patient).json()
    assert (refill["drug"], refill["refill_due_on"]) == ("morphine", "2026-03-27")
    assert client.get(_url(world), headers=patient).status_code == 403
    assert _post(client, world, MORPHINE).status_code == 201  # (the clinician can)
    refused = client.post(_url(world), json=save_body(MORPHINE), headers=patient)
    assert refused.status_code == 403
    taken = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    logged = client.post(
        f"{base}/bolus-activations", json={"taken_at": taken, "relief": 7}, headers=patient
    )
    assert logged.status_code == 201 and logged.json()["relief"] == 7
    assert logged.json()["programme_id"] is not None
    bad = client.post(
        f"{base}/bolus-activations", json={"taken_at": taken, "relief": 11}, headers=patient
    )
    assert bad.status_code == 422
    by_clinician = client.post(
        f"{base}/bolus-activations",
        json={"taken_at": taken, "relief": 5},
        headers=world.clinician_a.headers,
    )
    assert by_clinician.status_code == 403
    seen = client.get(f"{base}/bolus-activations", headers=world.clinician_a.headers).json()
    assert [b["relief"] for b in seen] == [7]


def test_libraries_are_validated_on_upload_and_listed_with_their_fingerprint(
    client: TestClient, world: World
) -> None:
    bad = copy.deepcopy(SYNTHETIC_LIBRARY)
    bad["pump"]["min_rate_ml_per_day"] = 5  # above the maximum (2)
    refused = client.post(
        "/api/v1/drug-libraries",
        json={"clinic": "Test clinic", "document": bad},
        headers=world.clinician_a.headers,
    )
    assert refused.status_code == 422 and refused.json()["field"] == "pump"
    assert client.get("/api/v1/drug-libraries", headers=world.clinician_a.headers).json() == []
    assert (
        client.post(
            "/api/v1/drug-libraries",
            json={"clinic": "C", "document": SYNTHETIC_LIBRARY},
            headers=world.patient_1.headers,
        ).status_code
        == 403
    )
    record = _use_library(client, world, copy.deepcopy(SYNTHETIC_LIBRARY))
    detail = client.get(f"/api/v1/drug-libraries/{record['id']}", headers=world.clinician_a.headers)
    assert detail.json()["document"]["drugs"]["testorphine"]["daily_dose_hard_max"] == 6
    unknown = client.put(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-settings",
        json={"clinic": "Nowhere clinic"},
        headers=world.clinician_a.headers,
    )
    assert unknown.status_code == 422
    shipped = client.get("/api/v1/drug-libraries/default", headers=world.patient_1.headers)
    assert shipped.status_code == 200 and "morphine" in shipped.json()["document"]["drugs"]


def test_reads_and_writes_of_programmes_are_in_the_audit_log(
    client: TestClient, app: FastAPI, world: World
) -> None:
    stored = _post(client, world, MORPHINE).json()
    client.get(_url(world, f"/{stored['id']}"), headers=world.clinician_a.headers)
    _post(client, world, {**MORPHINE, "concentration": 30})
    with unit_of_work(app.state.session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id, limit=20)
        seen = {(e.actor_email, e.resource, e.action) for e in entries}
    email = world.clinician_a.email
    assert (email, "dosing.programme", "write") in seen
    assert (email, "dosing.programme", "refused") in seen
    assert (email, "/api/v1/patients/{patient_id}/pump-programmes/{programme_id}", "read") in seen
