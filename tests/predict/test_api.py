"""The decision-support API: clinicians of the care team only, every prediction labelled and
audited, the spine classifier for the imaging work to call."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spinewise.core import audit
from spinewise.db import unit_of_work
from tests.conftest import World
from tests.predict.test_service import FULL

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)

SPINE_ROW = {
    "pelvic_incidence": 63.03,
    "pelvic_tilt": 22.55,
    "lumbar_lordosis_angle": 39.61,
    "sacral_slope": 40.48,
    "pelvic_radius": 98.67,
    "degree_spondylolisthesis": -0.25,
}


def _url(world: World, tail: str = "") -> str:
    return f"/api/v1/patients/{world.patient_1.patient_id}{tail}"


def test_a_clinician_records_an_assessment_and_reads_decision_support(
    client: TestClient, world: World
) -> None:
    created = client.post(
        _url(world, "/assessments"),
        json={**FULL, "age_years": 42, "assessed_on": "2026-01-05"},
        headers=world.clinician_a.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["startback_risk"] == "medium" and body["assessed_on"] == "2026-01-05"

    listed = client.get(_url(world, "/assessments"), headers=world.clinician_a.headers).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]

    ds = client.get(_url(world, "/decision-support"), headers=world.clinician_a.headers).json()
    assert ds["assessment"]["id"] == body["id"]
    assert ds["stratified_care"]["pathway"] == "physiotherapy"
    assert ds["stratified_care"]["card"]["card_url"] == "/predict/cards/startback"
    rule = ds["manipulation_rule"]
    assert rule["status"] == "positive"
    assert rule["likelihood"]["positive_likelihood_ratio"] == 24.38
    assert rule["likelihood"]["positive_likelihood_ratio_ci95"] == [4.63, 139.41]
    assert any("Hancock" in limit for limit in rule["limits"])
    response = ds["treatment_response"]
    assert response["status"] == "ok" and response["synthetic"] is True
    assert response["data_label"] == "SYNTHETIC - not clinical evidence"
    assert response["model"]["synthetic"] is True
    assert response["model"]["card_url"] == "/predict/cards/response"
    option = response["options"][0]
    assert {"treatment", "label", "probability", "interval95", "contributions"} <= set(option)
    assert option["contributions"][0]["label"]


def test_an_older_assessment_can_be_shown_and_a_missing_one_is_not_found(
    client: TestClient, world: World
) -> None:
    headers = world.clinician_a.headers
    first = client.post(
        _url(world, "/assessments"), json={"nprs": 7, "assessed_on": "2026-01-01"}, headers=headers
    ).json()
    client.post(
        _url(world, "/assessments"), json={"nprs": 2, "assessed_on": "2026-02-01"}, headers=headers
    )
    newest = client.get(_url(world, "/decision-support"), headers=headers).json()
    assert newest["assessment"]["nprs"] == 2
    older = client.get(
        _url(world, "/decision-support"), params={"assessment_id": first["id"]}, headers=headers
    ).json()
    assert older["assessment"]["nprs"] == 7
    missing = client.get(
        _url(world, "/decision-support"), params={"assessment_id": 999999}, headers=headers
    )
    assert missing.status_code == 404


def test_bad_input_is_explained_field_by_field(client: TestClient, world: World) -> None:
    headers = world.clinician_a.headers
    answer = client.post(_url(world, "/assessments"), json={"nprs": 11}, headers=headers)
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "nprs"
    unknown = client.post(_url(world, "/assessments"), json={"odi": 30}, headers=headers)
    assert unknown.status_code == 422
    both = client.post(
        _url(world, "/assessments"),
        json={"startback_total": 2, "startback_psychosocial": 3},
        headers=headers,
    )
    assert both.status_code == 422 and both.json()["field"] == "psychosocial"


@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("GET", "/assessments"),
        ("POST", "/assessments"),
        ("GET", "/decision-support"),
    ],
)
def test_the_patient_is_refused_and_outsiders_see_nothing(
    client: TestClient, world: World, method: str, tail: str
) -> None:
    kwargs = {"json": {"nprs": 3}} if method == "POST" else {}
    mine = client.request(method, _url(world, tail), headers=world.patient_1.headers, **kwargs)
    assert mine.status_code == 403 and "clinicians only" in mine.text
    for outsider in (world.patient_2, world.clinician_b, world.admin):
        hidden = client.request(method, _url(world, tail), headers=outsider.headers, **kwargs)
        assert hidden.status_code == 404


def test_a_refused_patient_leaves_no_read_in_the_audit_log(
    client: TestClient, app: FastAPI, world: World
) -> None:
    client.get(_url(world, "/decision-support"), headers=world.patient_1.headers)
    with unit_of_work(app.state.session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id)
    assert not [e for e in entries if e.actor_email == world.patient_1.email]


def test_the_spine_classifier_answers_clinicians_with_the_cli_contract(
    client: TestClient, world: World
) -> None:
    answer = client.post("/api/v1/predict/spine", json=SPINE_ROW, headers=world.clinician_a.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["class"] in ("normal", "hernia", "spondylolisthesis")
    assert set(body["probabilities"]) == {"normal", "hernia", "spondylolisthesis"}
    assert body["probabilities"][body["class"]] == max(body["probabilities"].values())
    assert body["out_of_distribution"] is False and body["refused"] is False
    assert body["model"]["card_url"] == "/predict/cards/spine"
    assert "does not diagnose" in body["notice"]


def test_the_spine_classifier_flags_or_refuses_unlike_measurements(
    client: TestClient, world: World
) -> None:
    # Pelvic incidence must equal pelvic tilt + sacral slope (Legaye 1998); 30 degrees off is a
    # measurement error, flagged, and with refuse_out_of_distribution no class is given.
    odd = {**SPINE_ROW, "pelvic_incidence": 93.03}
    flagged = client.post("/api/v1/predict/spine", json=odd, headers=world.clinician_a.headers)
    assert flagged.json()["out_of_distribution"] is True
    assert any("pelvic_incidence" in r for r in flagged.json()["ood_reasons"])
    refused = client.post(
        "/api/v1/predict/spine",
        json={**odd, "refuse_out_of_distribution": True},
        headers=world.clinician_a.headers,
    ).json()
    assert refused["class"] is None and refused["probabilities"] is None and refused["refused"]


def test_the_spine_classifier_is_for_clinicians_and_their_patients(
    client: TestClient, world: World
) -> None:
    assert client.post("/api/v1/predict/spine", json=SPINE_ROW).status_code == 401
    for person in (world.patient_1, world.admin):
        answer = client.post("/api/v1/predict/spine", json=SPINE_ROW, headers=person.headers)
        assert answer.status_code == 403
    other = client.post(
        "/api/v1/predict/spine",
        json={**SPINE_ROW, "patient_id": world.patient_3.patient_id},
        headers=world.clinician_a.headers,
    )
    assert other.status_code == 404
    missing = client.post(
        "/api/v1/predict/spine",
        json={k: v for k, v in SPINE_ROW.items() if k != "sacral_slope"},
        headers=world.clinician_a.headers,
    )
    assert missing.status_code == 422


@pytest.mark.parametrize("name", ["spine", "response", "manipulation-cpr", "startback"])
def test_model_cards_are_served_as_json(client: TestClient, world: World, name: str) -> None:
    card = client.get(f"/api/v1/predict/cards/{name}", headers=world.clinician_a.headers)
    assert card.status_code == 200
    data = card.json()
    assert data["limits"] and data["intended_use"] and data["citations"]
    if name == "response":
        assert data["synthetic"] is True and data["label"].startswith("SYNTHETIC")


def test_an_unknown_card_is_not_found(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/predict/cards/oracle", headers=world.clinician_a.headers)
    assert answer.status_code == 404


def test_an_id_no_database_can_hold_is_simply_not_found(client: TestClient, world: World) -> None:
    answer = client.get(
        "/api/v1/patients/9223372036854775808/decision-support", headers=world.clinician_a.headers
    )
    assert answer.status_code == 404 and "patient not found" in answer.text
