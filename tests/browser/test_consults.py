"""Virtual consultations in a real browser: both parties join the demo's video call in two
Chromium contexts with fake camera and microphone, and video frames flow BOTH ways; the
clinician writes a SOAP note during the call; a patient and a clinician exchange messages with
an attachment. Screenshots of each side land in artifacts/screenshots/."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
# Chromium's built-in fake camera (a moving test pattern) and microphone (a beep), and no
# permission prompt: what a patient sees after pressing "Allow".
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
CALL_TIMEOUT_MS = 45_000


@pytest.fixture(scope="module")
def media_browser(chromium) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    """A second Chromium of the same Playwright, launched with fake media devices."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA], headless=True
    )
    yield browser
    browser.close()


def _sign_in(
    browser: Browser, live_server: str, email: str, viewport: dict[str, int], *, allow: bool = True
) -> Page:
    permissions = ["camera", "microphone"] if allow else []
    context = browser.new_context(viewport=viewport, permissions=permissions)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return page


def _video_flows_into(page: Page) -> dict[str, float]:
    """Wait until the remote <video> has decoded frames and its clock moves; return evidence."""
    page.wait_for_function(
        "() => window.spinewiseCall && window.spinewiseCall.connected", timeout=CALL_TIMEOUT_MS
    )
    page.wait_for_function(
        """() => {
            const v = document.getElementById('remote-video');
            return v.videoWidth > 0 && window.spinewiseCall.remoteFrames > 15;
        }""",
        timeout=CALL_TIMEOUT_MS,
    )
    before = page.evaluate("document.getElementById('remote-video').currentTime")
    frames_before = page.evaluate("window.spinewiseCall.remoteFrames")
    page.wait_for_timeout(1500)
    return page.evaluate(
        """async ([before, framesBefore]) => {
            const v = document.getElementById('remote-video');
            let decoded = 0;
            (await window.spinewiseCall.pc.getStats()).forEach((s) => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') decoded = s.framesDecoded;
            });
            return {
                width: v.videoWidth, height: v.videoHeight,
                advanced_s: v.currentTime - before,
                painted: window.spinewiseCall.remoteFrames - framesBefore,
                decoded: decoded,
            };
        }""",
        [before, frames_before],
    )


def test_both_parties_join_the_call_and_video_flows_both_ways(
    media_browser: Browser, live_server: str
) -> None:
    patient = _sign_in(media_browser, live_server, "olivia@demo.spinewise.org", PHONE)
    clinician = _sign_in(media_browser, live_server, "clinician@demo.spinewise.org", DESKTOP)

    patient.get_by_role("link", name="Appointments").click()
    screenshot(patient, "consults-patient-appointments")
    patient.get_by_role("link", name="Join video call").first.click()
    expect(patient.get_by_role("heading", name="Video call with Dr Amira Haddad")).to_be_visible()

    clinician.get_by_role("link", name="Calendar").click()
    screenshot(clinician, "consults-clinician-calendar")
    clinician.get_by_role("link", name="Join video call").first.click()
    expect(clinician.get_by_role("heading", name="Video call with Olivia Bennett")).to_be_visible()

    seen_by_patient = _video_flows_into(patient)
    seen_by_clinician = _video_flows_into(clinician)
    for evidence in (seen_by_patient, seen_by_clinician):
        assert evidence["width"] > 0 and evidence["height"] > 0, evidence
        assert evidence["advanced_s"] > 0.5, evidence  # the remote clock moves in real time
        assert evidence["painted"] > 10 and evidence["decoded"] > 30, evidence

    for page in (patient, clinician):
        expect(page.locator("#call-status")).to_contain_text("Connected with")
        expect(page.locator("#quality")).to_have_attribute("data-level", "good", timeout=10_000)

    patient.get_by_role("button", name="Mute").click()
    expect(patient.get_by_role("button", name="Unmute")).to_have_attribute("aria-pressed", "true")
    assert patient.evaluate("window.spinewiseCall.stream.getAudioTracks()[0].enabled") is False
    patient.get_by_role("button", name="Unmute").click()

    clinician.get_by_role("button", name="Camera off").click()
    assert clinician.evaluate("window.spinewiseCall.cameraTrack.enabled") is False
    clinician.get_by_role("button", name="Camera on").click()

    # Screen sharing swaps the outgoing camera track for the screen without renegotiating;
    # the patient keeps receiving frames (now of the clinician's screen).
    clinician.get_by_role("button", name="Share screen").click()
    expect(clinician.get_by_role("button", name="Stop sharing")).to_be_visible()
    assert clinician.evaluate(
        "window.spinewiseCall.videoSender.track === window.spinewiseCall.screenTrack"
    )
    painted = patient.evaluate("window.spinewiseCall.remoteFrames")
    patient.wait_for_function(f"() => window.spinewiseCall.remoteFrames > {painted + 10}")
    clinician.get_by_role("button", name="Stop sharing").click()
    expect(clinician.get_by_role("button", name="Share screen")).to_be_visible()
    assert clinician.evaluate(
        "window.spinewiseCall.videoSender.track === window.spinewiseCall.cameraTrack"
    )

    # The clinician's patient panel and SOAP note, during the call.
    panel = clinician.locator(".call-panel")
    expect(panel.get_by_role("heading", name="Olivia Bennett")).to_be_visible()
    panel.get_by_label("Subjective").fill("Low back pain 3/10, stiff in the mornings.")
    panel.get_by_label("Objective").fill("Flexion fingertips to knees; gait normal.")
    panel.get_by_label("Assessment").fill("Non-specific low back pain, improving.")
    panel.get_by_label("Plan").fill("Walking 20 min daily; cat-camel; review in 2 weeks.")
    panel.get_by_role("button", name="Save note").click()
    expect(panel.get_by_text("Note saved to the patient's record.")).to_be_visible()

    screenshot(patient, "consults-call-patient")
    screenshot(clinician, "consults-call-clinician")

    patient.get_by_role("link", name="Leave").click()
    expect(clinician.locator("#call-status")).to_contain_text("left the call", timeout=10_000)
    patient.context.close()
    clinician.context.close()


@pytest.fixture(scope="module")
def blocking_browser(chromium) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    """A Chromium with a (fake) camera whose permission prompts are answered "Block"."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--deny-permission-prompts"],
        headless=True,
    )
    yield browser
    browser.close()


def test_the_call_explains_blocked_devices_and_a_connection_that_cannot_be_made(
    blocking_browser: Browser, media_browser: Browser, live_server: str
) -> None:
    """The patient blocks camera and microphone, and every ICE candidate between the two
    browsers is dropped on the way, so no media path can exist: both problems are explained."""
    patient = _sign_in(
        blocking_browser, live_server, "olivia@demo.spinewise.org", PHONE, allow=False
    )
    patient.add_init_script("window.spinewiseConnectTimeoutMs = 6000")

    def drop_candidates(ws) -> None:  # type: ignore[no-untyped-def]
        server = ws.connect_to_server()
        keep = lambda m: '"candidate"' not in str(m)  # noqa: E731
        ws.on_message(lambda m: server.send(m) if keep(m) else None)
        server.on_message(lambda m: ws.send(m) if keep(m) else None)

    patient.route_web_socket("**/room", drop_candidates)
    clinician = _sign_in(media_browser, live_server, "clinician@demo.spinewise.org", DESKTOP)
    patient.get_by_role("link", name="Appointments").click()
    patient.get_by_role("link", name="Join video call").first.click()
    clinician.get_by_role("link", name="Calendar").click()
    clinician.get_by_role("link", name="Join video call").first.click()

    expect(patient.locator("#media-problem")).to_contain_text("Camera and microphone are blocked")
    problem = patient.locator("#call-problem")
    expect(problem).to_contain_text("could not connect within 6 seconds", timeout=30_000)
    expect(patient.get_by_role("button", name="Try again")).to_be_visible()
    expect(patient.locator("#quality")).to_have_attribute("data-level", "poor")
    screenshot(patient, "consults-call-cannot-connect")
    patient.context.close()
    clinician.context.close()


def _png(width: int = 120, height: int = 80) -> bytes:
    """A small real PNG (a teal gradient) built by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (15, 94 + (x * 100) // width, 107))
        for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_patient_and_a_clinician_exchange_messages_with_a_photo(
    chromium, live_server: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "desk-setup.png"
    photo.write_bytes(_png())
    clinician = _sign_in(chromium, live_server, "clinician@demo.spinewise.org", DESKTOP)
    badge = clinician.locator("nav .badge")
    expect(badge).to_be_visible()
    unread_before = int(badge.inner_text())

    patient = _sign_in(chromium, live_server, "james@demo.spinewise.org", PHONE)
    patient.get_by_role("link", name="Messages").click()
    patient.get_by_label("Subject").fill("My desk at work")
    patient.get_by_label("Message").fill("Here is how I sit at work. Is the screen too low?")
    patient.get_by_label("Attach photos or PDF").set_input_files(str(photo))
    patient.get_by_role("button", name="Send").click()
    expect(patient.get_by_role("heading", name="My desk at work")).to_be_visible()
    expect(patient.get_by_role("img", name="desk-setup.png")).to_be_visible()

    clinician.reload()
    expect(badge).to_have_text(str(unread_before + 1))
    clinician.get_by_role("link", name="Messages").click()
    clinician.get_by_role("link", name="My desk at work").click()
    expect(clinician.get_by_text("Is the screen too low?")).to_be_visible()
    clinician.get_by_label("Your message").fill(
        "Yes: raise it so the top of the screen is at eye level, and keep your feet flat."
    )
    clinician.get_by_role("button", name="Send").click()
    expect(clinician.get_by_text("Your message is sent.")).to_be_visible()
    screenshot(clinician, "consults-messages-clinician")

    patient.reload()
    expect(patient.get_by_text("raise it so the top of the screen")).to_be_visible()
    screenshot(patient, "consults-messages-patient")
    patient.get_by_role("link", name="All messages").click()
    expect(patient.get_by_role("link", name="My desk at work")).to_be_visible()
    screenshot(patient, "consults-messages-patient-list")
    patient.context.close()
    clinician.context.close()
