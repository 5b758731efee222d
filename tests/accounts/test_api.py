"""The accounts API: tokens, the current user, profiles, invitations, administration."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, World


def test_the_password_flow_returns_a_bearer_token_that_identifies_the_user(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        "/api/v1/auth/token", data={"username": world.patient_1.email, "password": PASSWORD}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {
        "id": world.patient_1.user_id,
        "email": world.patient_1.email,
        "role": "patient",
        "name": "Pat One",
        "patient_id": world.patient_1.patient_id,
    }


def test_a_wrong_password_is_401_and_the_eleventh_attempt_is_429_with_retry_after(
    client: TestClient, world: World
) -> None:
    form = {"username": world.clinician_a.email, "password": "not-the-password"}
    statuses = [client.post("/api/v1/auth/token", data=form).status_code for _ in range(10)]
    assert statuses == [401] * 10
    locked = client.post(
        "/api/v1/auth/token", data={"username": world.clinician_a.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0


def test_a_revoked_token_no_longer_works(client: TestClient, world: World) -> None:
    assert client.delete("/api/v1/auth/token", headers=world.patient_2.headers).status_code == 204
    assert client.get("/api/v1/me", headers=world.patient_2.headers).status_code == 401


def test_a_clinician_lists_only_their_care_team(client: TestClient, world: World) -> None:
    page = client.get("/api/v1/patients", headers=world.clinician_a.headers).json()
    assert page["total"] == 2
    assert {p["id"] for p in page["items"]} == {
        world.patient_1.patient_id,
        world.patient_2.patient_id,
    }
    assert client.get("/api/v1/patients", headers=world.patient_3.headers).json()["total"] == 1
    assert client.get("/api/v1/patients", headers=world.admin.headers).json()["total"] == 0


def test_a_patient_updates_their_history_and_the_change_is_audited(
    client: TestClient, world: World
) -> None:
    url = f"/api/v1/patients/{world.patient_1.patient_id}"
    answer = client.patch(
        url,
        json={"osteoporosis": True, "timezone": "America/New_York"},
        headers=world.patient_1.headers,
    )
    assert answer.status_code == 200
    assert answer.json()["osteoporosis"] is True and answer.json()["timezone"] == "America/New_York"
    bad = client.patch(url, json={"timezone": "Nowhere/Atlantis"}, headers=world.patient_1.headers)
    assert bad.status_code == 422 and bad.json()["field"] == "timezone"


def test_a_clinician_invites_a_patient_by_e_mail_without_health_details(
    client: TestClient, app, world: World
) -> None:
    answer = client.post(
        "/api/v1/invites",
        json={"email": "Invitee@Example.org", "name": "In Vitee"},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 201 and answer.json()["email"] == "invitee@example.org"
    [message] = app.state.mailer.outbox
    assert message["To"] == "invitee@example.org"
    body = message.get_content()
    assert "/signup/" in body and "pain" not in body.lower()


def test_only_clinicians_invite_and_only_admins_manage_accounts(
    client: TestClient, world: World
) -> None:
    assert (
        client.post(
            "/api/v1/invites", json={"email": "a@example.org"}, headers=world.patient_1.headers
        ).status_code
        == 403
    )
    assert client.get("/api/v1/users", headers=world.clinician_a.headers).status_code == 403
    created = client.post(
        "/api/v1/users",
        json={
            "email": "new.clin@example.org",
            "password": PASSWORD,
            "role": "clinician",
            "name": "New",
        },
        headers=world.admin.headers,
    )
    assert created.status_code == 201
    assert "new.clin@example.org" in [
        u["email"] for u in client.get("/api/v1/users", headers=world.admin.headers).json()
    ]


def test_errors_are_json_with_a_code_and_a_detail(client: TestClient, world: World) -> None:
    answer = client.get("/api/v1/patients/999999", headers=world.clinician_a.headers)
    assert answer.status_code == 404
    assert answer.json() == {"error": "not_found", "detail": "patient not found"}


def test_health_metrics_and_openapi_are_served(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    client.get("/api/v1/me")
    metrics = client.get("/metrics").text
    assert 'spinewise_http_requests_total{method="GET",route="/api/v1/me",status="401"}' in metrics
    assert client.get("/openapi.json").json()["info"]["title"] == "Spinewise"


def test_requests_for_an_unknown_host_are_refused(client: TestClient) -> None:
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
