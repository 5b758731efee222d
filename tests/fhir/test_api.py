"""The /fhir API: capability, access (patient sees only theirs, clinician only the care team,
every read audited), SMART scopes, SQL paging at 10,000 observations, $everything, bulk $export
and all-or-nothing transactions."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from spinewise.accounts.models import Patient
from spinewise.consults.models import Appointment
from spinewise.core import audit
from spinewise.db import unit_of_work
from spinewise.devices.models import PostureMinute
from spinewise.fhir.refs import validate
from tests.conftest import World
from tests.fhir.conftest import add_minutes, scoped_headers

FHIR = "application/fhir+json"


def _audited(app: FastAPI, patient_id: int, email: str, resource: str) -> bool:
    with unit_of_work(app.state.session_factory) as session:
        entries = audit.tail(session, patient_id=patient_id, limit=200)
    return any(
        e.actor_email == email and e.resource == resource and e.action == "read" for e in entries
    )


def test_metadata_is_a_valid_capability_statement(client: TestClient) -> None:
    answer = client.get("/fhir/metadata")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(FHIR)
    statement = validate(answer.json())
    types = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Patient", "Observation", "Appointment", "Device", "CarePlan"} <= types


def test_the_code_system_is_published(client: TestClient, world: World) -> None:
    system = client.get("/fhir/CodeSystem/spinewise", headers=world.patient_1.headers).json()
    assert system["url"] == "https://spinewise.org/fhir/CodeSystem/spinewise"
    assert "posture-minute" in {c["code"] for c in system["concept"]}


def test_anonymous_callers_get_an_operation_outcome_401(client: TestClient, world: World) -> None:
    answer = client.get(f"/fhir/Patient/{world.patient_1.patient_id}")
    assert answer.status_code == 401
    assert answer.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "path",
    [
        "Patient/{pid}",
        "Patient/{pid}/$everything",
        "Observation?patient={pid}",
        "Appointment?patient={pid}",
        "Device?patient={pid}",
        "Observation/pm-{minute}",
        "Appointment/{appointment}",
        "Device/{device}",
        "CareTeam/{pid}",
    ],
)
def test_each_patient_route_serves_self_and_care_team_and_hides_the_rest(
    client: TestClient, app: FastAPI, world: World, records: dict[str, int], path: str
) -> None:
    pid = world.patient_1.patient_id
    with unit_of_work(app.state.session_factory) as session:
        minute = session.scalar(
            select(func.min(PostureMinute.id)).where(PostureMinute.patient_id == pid)
        )
    url = "/fhir/" + path.format(
        pid=pid, minute=minute, appointment=records["p1_appointment"], device=records["p1_device"]
    )
    for person in (world.patient_1, world.clinician_a):
        answer = client.get(url, headers=person.headers)
        assert answer.status_code == 200, (person.email, url, answer.text)
        assert _audited(app, pid or 0, person.email, _resource_of(url)), (person.email, url)
    for person in (world.patient_2, world.clinician_b, world.admin):
        answer = client.get(url, headers=person.headers)
        assert answer.status_code == 404, (person.email, url, answer.status_code)
        assert answer.json()["resourceType"] == "OperationOutcome"


def _resource_of(url: str) -> str:
    path = url.removeprefix("/fhir/").split("?")[0]
    parts = path.split("/")
    if len(parts) == 3:
        return "/fhir/Patient/{patient_id}/$everything"
    if len(parts) == 2:
        return f"/fhir/{parts[0]}/{{id}}"
    return f"/fhir/{parts[0]}"


def test_a_search_without_patient_returns_only_what_the_caller_may_see(
    client: TestClient, world: World, records: dict[str, int]
) -> None:
    for person, own in ((world.patient_1, world.patient_1), (world.clinician_b, world.patient_3)):
        bundle = client.get("/fhir/Observation?_count=500", headers=person.headers).json()
        subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"]}
        assert subjects == {f"Patient/{own.patient_id}"}
    patients = client.get("/fhir/Patient", headers=world.clinician_a.headers).json()
    assert {e["resource"]["id"] for e in patients["entry"]} == {
        str(world.patient_1.patient_id),
        str(world.patient_2.patient_id),
    }


def test_code_and_date_filters(client: TestClient, world: World, records: dict[str, int]) -> None:
    pid = world.patient_1.patient_id
    nprs = client.get(
        f"/fhir/Observation?patient={pid}&code=http://loinc.org|72514-3",
        headers=world.patient_1.headers,
    ).json()
    assert [e["resource"]["valueQuantity"]["value"] for e in nprs["entry"]] == [6, 4]
    later = client.get(
        f"/fhir/Observation?patient={pid}&code=72514-3&date=ge2026-03-05",
        headers=world.patient_1.headers,
    ).json()
    assert [e["resource"]["effectiveDateTime"] for e in later["entry"]] == ["2026-03-08"]
    minutes = client.get(
        f"/fhir/Observation?patient={pid}&code=posture-minute&date=2026-03-02",
        headers=world.patient_1.headers,
    ).json()
    assert minutes["total"] == 5


def test_smart_scopes_narrow_a_token(
    client: TestClient, app: FastAPI, world: World, records: dict[str, int]
) -> None:
    pid = world.patient_1.patient_id
    factory = app.state.session_factory
    only_obs = scoped_headers(factory, world.clinician_a.user_id, "user/Observation.read")
    assert client.get(f"/fhir/Observation?patient={pid}", headers=only_obs).status_code == 200
    assert client.get(f"/fhir/Patient/{pid}", headers=only_obs).status_code == 403
    patient_scope = scoped_headers(factory, world.patient_1.user_id, "patient/*.read")
    assert client.get(f"/fhir/Patient/{pid}", headers=patient_scope).status_code == 200
    clinician_patient_scope = scoped_headers(factory, world.clinician_a.user_id, "patient/*.read")
    assert client.get(f"/fhir/Patient/{pid}", headers=clinician_patient_scope).status_code == 403
    read_only = scoped_headers(factory, world.clinician_a.user_id, "user/*.read")
    answer = client.post(
        "/fhir",
        json={
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Patient",
                        "telecom": [{"system": "email", "value": "n@example.org"}],
                    }
                }
            ],
        },
        headers=read_only,
    )
    assert answer.status_code == 422 and "scopes do not allow writing Patient" in answer.text
    # Scopes travel with the token: the OAuth2 form's ``scope`` field sets them.
    token = client.post(
        "/api/v1/auth/token",
        data={
            "username": world.patient_1.email,
            "password": "a-long-test-passphrase",
            "scope": "patient/Observation.read",
        },
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/fhir/Observation?patient={pid}", headers=headers).status_code == 200
    assert client.get(f"/fhir/Appointment?patient={pid}", headers=headers).status_code == 403
    bad = client.post(
        "/api/v1/auth/token",
        data={
            "username": world.patient_1.email,
            "password": "a-long-test-passphrase",
            "scope": "everything",
        },
    )
    assert bad.status_code == 422


def test_paging_10000_observations_loads_one_page_at_a_time(
    client: TestClient, app: FastAPI, world: World
) -> None:
    """Keyset paging in SQL: every page query has a LIMIT, and no request materialises more
    posture rows than one page, although 10,000 match."""
    pid = world.patient_1.patient_id or 0
    add_minutes(app.state.session_factory, pid, 10_000)
    loaded: list[int] = []
    statements: list[str] = []

    def on_load(target: Any, context: Any) -> None:
        loaded.append(1)

    def on_sql(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(PostureMinute, "load", on_load)
    event.listen(app.state.engine, "before_cursor_execute", on_sql)
    try:
        url: str | None = f"/fhir/Observation?patient={pid}&code=posture-minute&_count=1000"
        seen: list[str] = []
        per_request: list[int] = []
        while url:
            loaded.clear()
            bundle = client.get(url, headers=world.patient_1.headers).json()
            per_request.append(len(loaded))
            seen.extend(e["resource"]["id"] for e in bundle["entry"])
            assert bundle["total"] == 10_000
            url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
    finally:
        event.remove(PostureMinute, "load", on_load)
        event.remove(app.state.engine, "before_cursor_execute", on_sql)
    assert len(seen) == len(set(seen)) == 10_000
    assert max(per_request) <= 1000 and len(per_request) == 10
    union_selects = [s for s in statements if "observations" in s and "ORDER BY" in s]
    assert union_selects and all("LIMIT" in s for s in union_selects)


def test_everything_is_a_paged_searchset(
    client: TestClient, world: World, records: dict[str, int]
) -> None:
    pid = world.patient_1.patient_id
    url: str | None = f"/fhir/Patient/{pid}/$everything?_count=4"
    types: list[str] = []
    pages = 0
    while url:
        bundle = client.get(url, headers=world.patient_1.headers).json()
        assert bundle["type"] == "searchset"
        types.extend(e["resource"]["resourceType"] for e in bundle["entry"])
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        pages += 1
    assert pages > 2
    assert types[0] == "Patient"
    assert {"Practitioner", "CareTeam", "Device", "Appointment", "Observation"} <= set(types)
    assert len(types) == bundle["total"]
    other = client.get(
        f"/fhir/Patient/{world.patient_3.patient_id}/$everything", headers=world.patient_1.headers
    )
    assert other.status_code == 404


def _export(
    client: TestClient, headers: dict[str, str], path: str = "/fhir/Patient/$export"
) -> dict[str, Any]:
    kick = client.get(path, headers={**headers, "Prefer": "respond-async"})
    assert kick.status_code == 202, kick.text
    status_url = kick.headers["Content-Location"]
    for _ in range(100):
        status = client.get(status_url, headers=headers)
        if status.status_code == 200:
            return {"status_url": status_url, **status.json()}
        assert status.status_code == 202
        time.sleep(0.1)
    raise AssertionError("export did not finish")


def test_bulk_export_with_a_patient_token_holds_only_their_data(
    client: TestClient, app: FastAPI, world: World, records: dict[str, int]
) -> None:
    missing_prefer = client.get("/fhir/$export", headers=world.patient_1.headers)
    assert missing_prefer.status_code == 422 and "respond-async" in missing_prefer.text
    manifest = _export(client, world.patient_1.headers)
    assert manifest["requiresAccessToken"] is True
    by_type = {o["type"]: o for o in manifest["output"]}
    assert by_type["Patient"]["count"] == 1
    lines = client.get(by_type["Observation"]["url"], headers=world.patient_1.headers)
    assert lines.status_code == 200 and lines.headers["content-type"].startswith(
        "application/fhir+ndjson"
    )
    resources = [json.loads(line) for line in lines.text.splitlines()]
    assert {r["subject"]["reference"] for r in resources} == {
        f"Patient/{world.patient_1.patient_id}"
    }
    assert all(validate(r) for r in resources)
    # Another patient can neither poll the job nor download its files.
    assert client.get(manifest["status_url"], headers=world.patient_3.headers).status_code == 404
    assert (
        client.get(by_type["Observation"]["url"], headers=world.patient_3.headers).status_code
        == 404
    )
    assert client.get(by_type["Observation"]["url"]).status_code == 401
    assert _audited(app, world.patient_1.patient_id or 0, world.patient_1.email, "fhir.$export")
    assert client.delete(manifest["status_url"], headers=world.patient_1.headers).status_code == 202
    assert client.get(manifest["status_url"], headers=world.patient_1.headers).status_code == 404


def test_bulk_export_by_a_clinician_covers_the_care_team_only(
    client: TestClient, world: World, records: dict[str, int]
) -> None:
    manifest = _export(client, world.clinician_a.headers, "/fhir/$export?_type=Patient,Appointment")
    assert [o["type"] for o in manifest["output"]] == ["Patient", "Appointment"]
    patients = client.get(manifest["output"][0]["url"], headers=world.clinician_a.headers).text
    ids = {json.loads(line)["id"] for line in patients.splitlines()}
    assert ids == {str(world.patient_1.patient_id), str(world.patient_2.patient_id)}


def _bundle_for(client: TestClient, world: World) -> dict[str, Any]:
    pid = world.patient_1.patient_id
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:11111111-1111-1111-1111-111111111111",
                "resource": {
                    "resourceType": "Patient",
                    "identifier": [{"system": "https://ehr.example/mrn", "value": "MRN-1"}],
                    "telecom": [{"system": "email", "value": "new.patient@example.org"}],
                    "name": [{"text": "New Patient"}],
                    "gender": "female",
                    "birthDate": "1990-05-06",
                },
                "request": {
                    "method": "PUT",
                    "url": "Patient?identifier=https://ehr.example/mrn|MRN-1",
                },
            },
            {
                "fullUrl": "urn:uuid:22222222-2222-2222-2222-222222222222",
                "resource": {
                    "resourceType": "Observation",
                    "identifier": [{"system": "https://ehr.example/obs", "value": "OBS-1"}],
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
                    "subject": {"reference": "urn:uuid:11111111-1111-1111-1111-111111111111"},
                    "effectiveDateTime": "2026-03-04",
                    "valueQuantity": {"value": 5},
                    "extension": [
                        {
                            "url": "https://spinewise.org/fhir/StructureDefinition/questionnaire-answers",
                            "valueString": "[5]",
                        }
                    ],
                },
                "request": {"method": "POST", "url": "Observation"},
            },
            {
                "fullUrl": "urn:uuid:33333333-3333-3333-3333-333333333333",
                "resource": {
                    "resourceType": "Appointment",
                    "identifier": [{"system": "https://ehr.example/appt", "value": "APPT-1"}],
                    "status": "booked",
                    "start": "2026-04-01T10:00:00Z",
                    "end": "2026-04-01T10:30:00Z",
                    "participant": [
                        {"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"},
                        {
                            "actor": {"reference": f"Practitioner/{world.clinician_a.user_id}"},
                            "status": "accepted",
                        },
                    ],
                },
                "request": {"method": "POST", "url": "Appointment"},
            },
        ],
    }


def _counts(app: FastAPI) -> tuple[int, int, int]:
    with unit_of_work(app.state.session_factory) as session:
        from spinewise.outcomes.models import QuestionnaireResponse

        return (
            session.scalar(select(func.count(Patient.id))) or 0,
            session.scalar(select(func.count(QuestionnaireResponse.id))) or 0,
            session.scalar(select(func.count(Appointment.id))) or 0,
        )


def test_a_transaction_creates_then_recognises_duplicates_by_identifier(
    client: TestClient, app: FastAPI, world: World
) -> None:
    before = _counts(app)
    bundle = _bundle_for(client, world)
    first = client.post("/fhir", json=bundle, headers={**world.clinician_a.headers})
    assert first.status_code == 200, first.text
    assert [e["response"]["status"] for e in first.json()["entry"]] == ["201 Created"] * 3
    assert _counts(app) == (before[0] + 1, before[1] + 1, before[2] + 1)
    again = client.post(
        "/fhir",
        content=json.dumps(bundle),
        headers={**world.clinician_a.headers, "Content-Type": FHIR},
    )
    assert [e["response"]["status"] for e in again.json()["entry"]] == ["200 OK"] * 3
    assert _counts(app) == (before[0] + 1, before[1] + 1, before[2] + 1)
    # The importing clinician is now in the new patient's care team.
    location = first.json()["entry"][0]["response"]["location"]
    assert client.get(f"/fhir/{location}", headers=world.clinician_a.headers).status_code == 200


def test_an_invalid_transaction_changes_nothing_and_names_each_bad_entry(
    client: TestClient, app: FastAPI, world: World
) -> None:
    before = _counts(app)
    bundle = _bundle_for(client, world)
    bundle["entry"][1]["resource"]["valueQuantity"]["value"] = 9  # answers say 5
    bundle["entry"][2]["resource"]["participant"][0]["actor"]["reference"] = (
        f"Patient/{world.patient_3.patient_id}"
    )
    answer = client.post("/fhir", json=bundle, headers=world.clinician_a.headers)
    assert answer.status_code == 422
    outcome = answer.json()
    assert outcome["resourceType"] == "OperationOutcome"
    named = {(i["diagnostics"].split(":")[0], i["expression"][0]) for i in outcome["issue"]}
    assert ("entry 1", "Bundle.entry[1].resource.valueQuantity.value") in named
    assert ("entry 2", "Bundle.entry[2].resource.participant") in named
    assert _counts(app) == before
    structural = client.post(
        "/fhir",
        json={
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [{"resource": {"resourceType": "Observation", "code": {"text": "x"}}}],
        },
        headers=world.clinician_a.headers,
    )
    assert structural.status_code == 422
    assert structural.json()["issue"][0]["expression"] == ["Bundle.entry[0].resource.status"]


def test_patients_may_not_import(client: TestClient, world: World) -> None:
    answer = client.post("/fhir", json=_bundle_for(client, world), headers=world.patient_1.headers)
    assert answer.status_code == 403
