"""The phone as a sensor, end to end in Chromium: synthetic DeviceMotion events stream over the
WebSocket, the patient's posture page shows the live angle, and a sustained slouch raises an
alert on the page."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
PHONE = {"width": 390, "height": 844}

# Synthetic motion: the phone on the chest, screen out; flexing the trunk by theta tilts the
# reaction-to-gravity vector towards the screen's back: (0, g cos θ, -g sin θ) in phone axes.
START_MOTION = """() => {
  window.__theta = 0;
  window.__motion = setInterval(() => {
    const g = 9.80665, th = window.__theta * Math.PI / 180;
    window.dispatchEvent(new DeviceMotionEvent("devicemotion", {
      accelerationIncludingGravity: { x: 0, y: g * Math.cos(th), z: -g * Math.sin(th) },
      rotationRate: { alpha: 0, beta: 0, gamma: 0 },
      interval: 20,
    }));
  }, 20);
}"""


def _token(live_server: str, email: str) -> str:
    answer = httpx.post(
        f"{live_server}/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def test_the_phone_streams_motion_and_a_sustained_slouch_raises_an_alert(
    chromium, live_server: str
) -> None:
    patient_token = _token(live_server, "olivia@demo.spinewise.org")
    patient_id = httpx.get(
        f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {patient_token}"}
    ).json()["patient_id"]
    clinician = {"Authorization": f"Bearer {_token(live_server, 'clinician@demo.spinewise.org')}"}
    # The physiotherapist shortens the holding time so the test need not slouch for a minute.
    saved = httpx.put(
        f"{live_server}/api/v1/patients/{patient_id}/posture/settings",
        json={"config": {"feedback": {"flexed_hold_s": 4.0}}},
        headers=clinician,
    )
    assert saved.status_code == 200, saved.text

    context = chromium.new_context(viewport=PHONE)
    sensor = context.new_page()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    sensor.goto(f"{live_server}/login")
    sensor.get_by_label("E-mail").fill("olivia@demo.spinewise.org")
    sensor.get_by_label("Password").fill(PASSWORD)
    sensor.get_by_role("button", name="Sign in").click()
    sensor.goto(f"{live_server}/me/phone-sensor")
    sensor.get_by_role("button", name="Start").click()
    expect(sensor.locator("#sensor-status")).to_have_text(re.compile("Streaming"), timeout=15_000)

    viewer = context.new_page()
    viewer.goto(f"{live_server}/me/posture")
    sensor.evaluate(START_MOTION)  # upright: the first seconds calibrate the neutral posture
    expect(viewer.locator("#live-zone")).to_have_text("upright", timeout=20_000)
    screenshot(sensor, "phone-sensor-streaming")

    sensor.evaluate("() => { window.__theta = 45; }")  # slouch forward and stay there
    expect(viewer.locator("#live-zone")).to_have_text("bent forward", timeout=15_000)
    # The tilt filter settles within a few seconds (time constant 1.5 s): 45° ± 5°.
    expect(viewer.locator("#live-angle")).to_have_text(re.compile(r"^(4[0-9]|50)$"), timeout=15_000)
    expect(viewer.locator("#live-alert")).to_be_visible(timeout=20_000)
    assert "flexion" in viewer.locator("#live-alert-text").inner_text()
    screenshot(viewer, "posture-live-alert")

    viewer.get_by_role("button", name="Dismiss").click()
    expect(viewer.locator("#live-alert")).to_be_hidden()
    sensor.evaluate("() => clearInterval(window.__motion)")
    assert int(sensor.locator("#sensor-sent").inner_text()) >= 10
    assert all(url.startswith(("http://127.0.0.1", "ws://127.0.0.1")) for url in requests)
    context.close()
