"""``spinewise demo`` streams a simulated wearable for the demo patient: her "Now" page moves.

This test runs the real ``spinewise demo`` command (seed, then serve with the demo device in a
thread of the same process), not the shared ``live_server`` (which serves without the device so
that the phone-sensor test has the live view to itself).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _free_port, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "SPINEWISE_DATABASE_URL": f"sqlite:///{workdir / 'demo.db'}",
        "SPINEWISE_SECRET_KEY": "browser-test-secret-" + "d" * 32,
        "SPINEWISE_ENV": "development",
        "SPINEWISE_LOG_JSON": "true",
        "SPINEWISE_ASSISTANT_WARM_UP": "false",  # no question is asked here (CPU)
    }
    port = _free_port()
    log_path = workdir / "demo.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "spinewise", "demo", "--port", str(port), "--json"],
            env=env,
            cwd=workdir,
            stdout=log,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # seeding the demo history takes a while on 2 busy cores
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"spinewise demo exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"spinewise demo did not serve: {log_path.read_text()[-2000:]}")
    yield url
    process.terminate()
    process.wait(timeout=15)


def test_the_demo_patients_now_page_moves_with_the_simulated_wearable(
    chromium, demo_server: str
) -> None:
    context = chromium.new_context(viewport=PHONE)
    context.set_default_timeout(60_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{demo_server}/login")
    page.get_by_label("E-mail").fill("olivia@demo.spinewise.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{demo_server}/me/posture")

    angle = page.locator("#live-angle")
    zone = page.locator("#live-zone")
    # The demo device sends a batch a second; the first seconds calibrate, then angles arrive.
    expect(angle).to_have_text(re.compile(r"^-?[0-9]+$"), timeout=60_000)
    expect(zone).not_to_have_text("waiting for the sensor")
    updated = page.locator("#live-updated")
    expect(updated).to_contain_text("Live · updated")
    seen = {updated.inner_text()}  # the time of the latest data: a new one with every batch
    angles = {angle.inner_text()}
    deadline = time.monotonic() + 60
    while len(seen) < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        seen.add(updated.inner_text())
        angles.add(angle.inner_text())
    screenshot(page, "demo-now-live-device")
    assert len(seen) >= 4, f"no new live data arrived: {sorted(seen)}"
    assert zone.get_attribute("data-zone") in ("neutral", "flexed", "severe")
    token = httpx.post(
        f"{demo_server}/api/v1/auth/token",
        data={"username": "olivia@demo.spinewise.org", "password": PASSWORD},
    ).json()["access_token"]
    me = httpx.get(f"{demo_server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    listed = httpx.get(
        f"{demo_server}/api/v1/patients/{me.json()['patient_id']}/devices",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    live = [d for d in listed if d["name"] == "Demo sensor (simulated)" and not d["revoked_at"]]
    assert len(live) == 1 and live[0]["last_seen_at"] is not None
    assert not errors
    context.close()
