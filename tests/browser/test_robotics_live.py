"""A clinician runs a simulated robotic session live in Chromium and presses stop: the device
reaches its safe state and the session record says why (issue 11 acceptance)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
DESK = {"width": 1280, "height": 900}


def _patient_id(live_server: str, email: str) -> int:
    token = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    ).json()["access_token"]
    me = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    return int(me.json()["patient_id"])


def _watch_for_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Script errors and refusals (a CSP violation is a console error) seen by the page."""
    problems: list[str] = []

    def on_console(message) -> None:  # type: ignore[no-untyped-def]
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):  # the app has none
            problems.append(f"{message.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_clinician_runs_a_simulated_session_live_and_stops_it(chromium, live_server: str) -> None:
    patient_id = _patient_id(live_server, "olivia@demo.spinewise.org")
    context = chromium.new_context(viewport=DESK)
    page = context.new_page()
    problems = _watch_for_errors(page)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("clinician@demo.spinewise.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The demo's past session is in the history, labelled simulated.
    page.goto(f"{live_server}/patients/{patient_id}/robotics")
    expect(page.locator("#history")).to_contain_text("simulated")
    expect(page.locator("#history")).to_contain_text("completed")
    screenshot(page, "robotics-overview")

    page.get_by_role("button", name="Start simulated session").click()
    expect(page).to_have_url(re.compile(r"/robotics/live$"))
    expect(page.locator(".sim-banner")).to_contain_text("SIMULATED DEVICE")
    expect(page.locator("#live-connection")).to_have_text("Live", timeout=15_000)
    expect(page.locator("#live-mode")).to_have_text("Running", timeout=15_000)
    # A few seconds in: the trunk is moving with the target, drawn against the limits.
    expect(page.locator("#live-time")).to_have_text(
        re.compile(r"^([4-9]|\d\d)\.\d$"), timeout=20_000
    )
    assert float(page.locator("#live-angle").inner_text()) > 1.0
    assert page.locator("#trunk-allowed").get_attribute("d")
    screenshot(page, "robotics-live-running")

    page.get_by_role("button", name="STOP").click()
    expect(page.locator("#live-mode")).to_contain_text("SAFE STATE", timeout=5_000)
    expect(page.locator("#live-mode")).to_contain_text("compliant hold")
    ended = page.locator("#live-ended")
    expect(ended).to_be_visible(timeout=15_000)
    expect(ended).to_contain_text("the device reached its safe state (compliant hold)")
    expect(ended).to_contain_text("Cause: stop button")
    screenshot(page, "robotics-live-stopped")

    page.get_by_role("link", name="Open the session record").click()
    outcome = page.locator("#session-outcome")
    expect(outcome).to_contain_text(
        "by the safety monitor: stop button; safe state: compliant hold"
    )
    expect(outcome).to_contain_text("pressed on the live page by Dr Amira Haddad")
    expect(page.locator("#session-status")).to_have_text("stopped (safe state)")
    expect(page.locator("#safety-events")).to_contain_text("stop button")
    screenshot(page, "robotics-session-record")
    assert problems == []
    context.close()
