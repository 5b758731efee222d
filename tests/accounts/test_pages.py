"""The HTML shell: sign-in with CSRF protection, role homes, profile form, invitations, admin."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "login_csrf": _field(form.text, "login_csrf")},
        follow_redirects=False,
    )


@pytest.mark.parametrize(
    ("who", "home"),
    [("patient_1", "/me"), ("clinician_a", "/clinician/patients"), ("admin", "/admin/users")],
)
def test_each_role_lands_on_its_home_after_signing_in(
    client: TestClient, world: World, who: str, home: str
) -> None:
    answer = sign_in(client, getattr(world, who).email)
    assert answer.status_code == 303 and answer.headers["location"] == home
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()


def test_the_sign_in_form_refuses_a_post_without_its_own_token(
    client: TestClient, world: World
) -> None:
    client.get("/login")
    answer = client.post(
        "/login",
        data={"email": world.patient_1.email, "password": PASSWORD, "login_csrf": "forged"},
    )
    assert answer.status_code == 403


def test_a_wrong_password_shows_the_form_again_with_a_message(
    client: TestClient, world: World
) -> None:
    answer = sign_in(client, world.patient_1.email, "not-the-password")
    assert answer.status_code == 401 and "wrong e-mail or password" in answer.text


def test_a_signed_in_form_post_without_the_csrf_token_is_refused(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.patient_1.email)
    refused = client.post("/me/profile", data={"timezone": "UTC", "sex": "female"})
    assert refused.status_code == 403 and "security token" in refused.text
    page = client.get("/me/profile")
    saved = client.post(
        "/me/profile",
        data={
            "timezone": "Europe/London",
            "sex": "female",
            "osteoporosis": "true",
            "csrf_token": _field(page.text, "csrf_token"),
        },
    )
    assert saved.status_code == 200 and "Your profile is saved." in saved.text
    assert "osteoporosis" in client.get("/me", follow_redirects=True).text


def test_pages_send_anonymous_visitors_to_sign_in_and_back(
    client: TestClient, world: World
) -> None:
    answer = client.get(f"/patients/{world.patient_1.patient_id}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next=/patients/{world.patient_1.patient_id}"


def test_sign_in_never_redirects_off_site(client: TestClient, world: World) -> None:
    form = client.get("/login?next=//evil.example/")
    answer = client.post(
        "/login",
        data={
            "email": world.patient_1.email,
            "password": PASSWORD,
            "login_csrf": _field(form.text, "login_csrf"),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/me"


def test_the_clinician_list_shows_the_care_team_and_filters_by_name(
    client: TestClient, world: World
) -> None:
    sign_in(client, world.clinician_a.email)
    page = client.get("/clinician/patients").text
    assert "Pat One" in page and "Pat Two" in page and "Pat Three" not in page
    rows = client.get("/clinician/patients?q=two", headers={"HX-Request": "true"}).text
    assert "Pat Two" in rows and "Pat One" not in rows and "<html" not in rows


def test_an_invited_patient_signs_up_from_the_link_and_can_sign_in(
    client: TestClient, app, world: World
) -> None:
    sign_in(client, world.clinician_a.email)
    page = client.get("/clinician/invite")
    sent = client.post(
        "/clinician/invite",
        data={
            "email": "joiner@example.org",
            "name": "Jo Iner",
            "csrf_token": _field(page.text, "csrf_token"),
        },
    )
    assert "Invitation sent" in sent.text
    link = re.search(r"/signup/\S+", app.state.mailer.outbox[-1].get_content()).group(0)
    client.post("/logout", data={"csrf_token": _field(page.text, "csrf_token")})
    form = {
        "name": "Jo Iner",
        "timezone": "Europe/London",
        "sex": "male",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    assert (
        client.post(link, data={**form, "password_again": "different-passphrase"}).status_code
        == 422
    )
    assert "Your account is ready" in client.post(link, data=form).text
    assert client.get(link).status_code == 404
    assert sign_in(client, "joiner@example.org").headers["location"] == "/me"


def test_signing_out_revokes_the_session(client: TestClient, world: World) -> None:
    sign_in(client, world.patient_1.email)
    home = client.get("/me", follow_redirects=True)
    cookie = client.cookies.get("spinewise_session")
    client.post("/logout", data={"csrf_token": _field(home.text, "csrf_token")})
    client.cookies.set("spinewise_session", cookie)
    assert client.get("/me", follow_redirects=False).status_code == 303


def test_an_admin_creates_and_deactivates_accounts(client: TestClient, app, world: World) -> None:
    sign_in(client, world.admin.email)
    page = client.get("/admin/users")
    token = _field(page.text, "csrf_token")
    made = client.post(
        "/admin/users",
        data={
            "email": "c2@example.org",
            "password": PASSWORD,
            "role": "clinician",
            "csrf_token": token,
        },
    )
    assert "Account created for c2@example.org" in made.text
    weak = client.post(
        "/admin/users",
        data={
            "email": "c3@example.org",
            "password": "short",
            "role": "clinician",
            "csrf_token": token,
        },
    )
    assert weak.status_code == 422 and "at least 10" in weak.text
    client.post(f"/admin/users/{world.patient_2.user_id}/deactivate", data={"csrf_token": token})
    assert sign_in(TestClient(app), world.patient_2.email).status_code == 401


def test_pages_carry_security_headers_and_load_nothing_from_elsewhere(client: TestClient) -> None:
    answer = client.get("/login")
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert not re.search(r'(src|href)="(https?:)?//', answer.text)
