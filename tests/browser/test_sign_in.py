"""Each role signs in through the real page in Chromium and lands on a home that works."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _sign_in(chromium, live_server: str, email: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server}/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return context, page, requests


def test_a_patient_signs_in_on_a_phone_and_sees_their_home(chromium, live_server: str) -> None:
    context, page, requests = _sign_in(chromium, live_server, "olivia@demo.spinewise.org", PHONE)
    expect(page.get_by_role("heading", name="Hello, Olivia")).to_be_visible()
    expect(page.get_by_text("Dr Amira Haddad")).to_be_visible()
    screenshot(page, "patient-home")
    assert all(url.startswith(live_server) for url in requests), "a request left the app's origin"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    context.close()


def test_a_clinician_signs_in_and_filters_the_patient_list(chromium, live_server: str) -> None:
    context, page, requests = _sign_in(
        chromium, live_server, "clinician@demo.spinewise.org", DESKTOP
    )
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    rows = page.locator("#patient-rows tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Search by name or e-mail").fill("mei")
    expect(rows).to_have_count(1)
    expect(page.locator("#patient-rows").get_by_text("Mei Tanaka")).to_be_visible()
    page.get_by_label("Search by name or e-mail").fill("")
    expect(rows).to_have_count(3)
    screenshot(page, "clinician-home")
    page.get_by_role("link", name="James Okafor").click()
    expect(page.get_by_role("heading", name="James Okafor")).to_be_visible()
    expect(page.get_by_text("osteoporosis").first).to_be_visible()
    assert all(url.startswith(live_server) for url in requests)
    context.close()


def test_an_admin_signs_in_and_sees_the_accounts(chromium, live_server: str) -> None:
    context, page, _ = _sign_in(chromium, live_server, "admin@demo.spinewise.org", DESKTOP)
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    expect(page.get_by_role("cell", name="clinician@demo.spinewise.org")).to_be_visible()
    screenshot(page, "admin-home")
    context.close()


def test_a_wrong_password_is_explained_on_the_page(chromium, live_server: str) -> None:
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("james@demo.spinewise.org")
    page.get_by_label("Password").fill("not-his-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong e-mail or password")
    context.close()
