"""Camera coaching end to end in Chromium with a fake camera (issue 13 acceptance).

Chromium's fake capture device plays a SYNTHETIC video (tests/browser/motion_video.py: a drawn,
clothed figure seen side-on doing a standing forward bend with still poses at 0 and 55 degrees,
looped) into the session player. MediaPipe Pose, loaded from the app's own /static/vendor, tracks
the drawn figure in the page; the player counts the repetitions with motion-core.js and saves
only the summary with the session log.

Asserted: tracking starts; on frames where the figure holds still, the trunk angle the page
measures from MediaPipe's landmarks is within 10 degrees of the angle the figure was drawn at
(each frame carries its true angle as a small binary marker in the corner, read back from the
very canvas the page drew the analysed frame on); the counter counts repetitions; the stored
session holds the summary; and no request leaves the app's origin (every other request is
blocked and recorded) and no request carries an image. Screenshots: artifacts/screenshots/
motion-*.png.

Speed: headless Chromium here runs MediaPipe's WebGL graph on SwiftShader (the CPU), about one
frame every 1–3 s on this 2-core machine (phones: 20–30 frames per second), so the video's poses
are held for seconds and the test waits for two repetitions.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot, serve_demo
from tests.browser.motion_video import (
    VideoSpec,
    held_repetition,
    marker_probe_points,
    read_marker,
    write_y4m,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
PHONE = {"width": 390, "height": 844}
PATIENT = "mei@demo.spinewise.org"
FPS = 5  # enough for still poses and 1.5 s moves; keeps the .y4m file small (~25 MB)
PEAK_DEG = 55.0
ANGLE_TOLERANCE_DEG = 10.0  # acceptance of the camera-coaching issue
TRACKING_TIMEOUT_S = 240
COUNTING_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def fake_camera_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Holds long enough that a tracker managing one frame every few seconds sees each pose.
    angles = held_repetition(PEAK_DEG, FPS, rest_s=4.0, move_s=1.5, hold_s=4.0)
    spec = VideoSpec("trunk_flexion", angles, fps=FPS, size=(480, 360), height_px=300)
    return write_y4m(spec, tmp_path_factory.mktemp("camera") / "forward-bend.y4m")


@pytest.fixture(scope="module")
def motion_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the test gives a demo patient a new programme."""
    with serve_demo(demo_template, tmp_path_factory.mktemp("motion-live")) as url:
        yield url


@pytest.fixture(scope="module")
def camera_browser(playwright_driver: Any, fake_camera_video: Path) -> Iterator[Any]:
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={fake_camera_video}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
    yield browser
    browser.close()


def _sign_in(browser: Any, base: str, email: str, requests: list[dict[str, Any]]) -> Any:
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["camera"], origin=base)
    origin = urlsplit(base).netloc

    def guard(route: Any) -> None:
        request = route.request
        body = request.post_data_buffer or b""
        same = urlsplit(request.url).netloc == origin or request.url.startswith(("data:", "blob:"))
        requests.append({"url": request.url, "method": request.method, "body": body, "same": same})
        if same:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return context, page


def _api(page: Any, method: str, path: str, body: Any = None) -> Any:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.fetch(
        _base(page) + path,
        method=method,
        headers={"X-CSRF-Token": token or "", "Content-Type": "application/json"},
        data=body,
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()[:300]}"
    return response.json()


def _base(page: Any) -> str:
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}"


READ_FRAME = """([points]) => {
  const section = document.querySelector('.camera-coach');
  const canvas = section.querySelector('canvas.camera-canvas');
  const ctx = canvas.getContext('2d');
  const luma = points.map(([x, y]) => {
    const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
    return 0.299 * r + 0.587 * g + 0.114 * b;
  });
  return {frames: section.dataset.frames || '0', angle: section.dataset.angle || '',
          state: section.dataset.state || '', reps: section.dataset.reps || '0', luma};
}"""


def test_the_player_tracks_a_drawn_figure_through_the_fake_camera_and_counts_it(
    camera_browser: Any, motion_server: str
) -> None:
    requests: list[dict[str, Any]] = []
    # --- the clinician prescribes the forward bend (camera-coached) to the patient ---------
    desk, page = _sign_in(camera_browser, motion_server, "clinician@demo.spinewise.org", requests)
    page.goto(f"{motion_server}/clinician/dashboard")
    href = page.get_by_role("link", name="Mei Tanaka").first.get_attribute("href") or ""
    patient_id = re.search(r"/patients/(\d+)", href).group(1)  # type: ignore[union-attr]
    _api(
        page,
        "POST",
        f"/api/v1/patients/{patient_id}/programmes",
        {
            "name": "Forward bends with the camera",
            "sessions_per_week": 5,
            "duration_weeks": 4,
            "items": [
                {"exercise_id": "standing_flexion", "sets": 1, "reps": 5},
                {"exercise_id": "glute_bridge", "sets": 1, "reps": 8},
            ],
        },
    )
    desk.close()

    # --- the patient starts the camera in the player -------------------------------------
    context, page = _sign_in(camera_browser, motion_server, PATIENT, requests)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Software WebGL keeps the GPU process busy: screenshots and clicks may wait seconds.
    page.set_default_timeout(120_000)
    page.goto(f"{motion_server}/patients/{patient_id}/session")
    step = page.locator("li.step").first
    assert step.get_attribute("data-exercise") == "standing_flexion"
    section = step.locator(".camera-coach")
    expect(section.locator(".privacy-note")).to_contain_text("never sent")
    section.get_by_role("button", name="Count with the camera").click()
    started = time.monotonic()
    expect(section).to_have_attribute("data-state", "tracking", timeout=TRACKING_TIMEOUT_S * 1000)
    print(f"tracking after {time.monotonic() - started:.0f} s")
    screenshot(page, "motion-tracking")

    # --- angles on still frames, and the counter ------------------------------------------
    probes = marker_probe_points()
    samples: dict[str, tuple[int, bool, float | None]] = {}
    deadline = time.monotonic() + COUNTING_TIMEOUT_S
    counted_shot = False
    while time.monotonic() < deadline:
        seen = page.evaluate(READ_FRAME, [probes])
        true_deg, still = read_marker(seen["luma"])
        angle = float(seen["angle"]) if seen["angle"] else None
        samples[seen["frames"]] = (true_deg, still, angle)
        reps = int(seen["reps"])
        if reps >= 1 and not counted_shot:
            screenshot(page, "motion-counting")
            counted_shot = True
        keys = sorted(samples, key=int)
        pairs = [(samples[a], samples[b]) for a, b in itertools.pairwise(keys)]
        same = [
            now for before, now in pairs if now[1] and now[2] is not None and before[0] == now[0]
        ]
        if reps >= 2 and {0, round(PEAK_DEG)} <= {true for true, _, _ in same}:
            break
        time.sleep(0.4)
    print(f"{len(samples)} frames sampled, {reps} reps after {time.monotonic() - started:.0f} s")
    # Still frames whose previous analysed frame showed the same pose. The first frame after
    # a change is left out: MediaPipe tracks from the previous frame's landmarks, which on a
    # phone are 1/30 s old and here, at seconds per frame, belong to the other pose (such a
    # frame read ~40 deg on the upright figure in 2 of 3 runs); it is printed, not asserted.
    ordered = [samples[k] for k in sorted(samples, key=int)]
    settled = [
        now
        for before, now in itertools.pairwise(ordered)
        if now[1] and now[2] is not None and before[0] == now[0]
    ]
    first = [now for before, now in itertools.pairwise(ordered) if before[0] != now[0]]
    print(f"settled still frames {settled}; first frames after a change {first}")
    assert settled, f"no settled still frame was tracked: {ordered[:10]}"
    errors_deg = [abs(angle - true) for true, _, angle in settled if angle is not None]
    assert max(errors_deg) <= ANGLE_TOLERANCE_DEG, settled
    assert {true for true, _, _ in settled} >= {0, round(PEAK_DEG)}, settled
    assert reps >= 2, f"counted {reps} in {COUNTING_TIMEOUT_S} s; samples {list(samples.values())}"

    # The camera counted for the patient in the player's own counter too.
    expect(step.locator(".coach .big-number")).to_have_text(re.compile(r"^([2-5] / 5|✓)$"))

    # --- stop, the summary, save the session ---------------------------------------------
    section.get_by_role("button", name="Stop camera").click()
    summary = section.locator(".camera-summary")
    expect(summary).to_contain_text("Camera count:")
    counted = int(section.get_attribute("data-summary-reps") or "0")
    assert counted >= 2
    screenshot(page, "motion-summary")
    expect(page.locator("li.step").first).to_be_attached()
    for n in range(page.locator("li.step").count()):
        current = page.locator("li.step").nth(n)
        exercise = current.get_attribute("data-exercise")
        radio = f'input[name="status-{exercise}"][value="done"]'
        current.locator(f"label:has({radio})").click()
        if n < page.locator("li.step").count() - 1:
            page.get_by_role("button", name="Next exercise").click()
            # The player glides back to the top: tap only once it has arrived, as a person
            # would (a tap during the glide landed off the label under CI load).
            page.wait_for_function("() => window.scrollY === 0")
    page.get_by_role("button", name="Finish and save").click()
    expect(page.locator("#save-status")).to_contain_text("Session saved")

    stored = _api(page, "GET", f"/api/v1/patients/{patient_id}/motion/results")
    assert len(stored) == 1
    result = stored[0]
    assert result["exercise_id"] == "standing_flexion" and result["exercise"] == "trunk_flexion"
    assert result["reps"] == counted == len(result["repetitions"])
    for rep in result["repetitions"]:
        # Peaks come from sampled frames of a figure bent to 55 deg (the page's sampling may
        # miss the top); the 10 deg tolerance applies to tracking, not to sampling.
        assert 27.5 <= rep["peak_deg"] <= PEAK_DEG + ANGLE_TOLERANCE_DEG, rep

    page.goto(f"{motion_server}/patients/{patient_id}/progress")
    expect(page.get_by_text("estimate from the camera")).to_be_visible()
    screenshot(page, "motion-progress")
    context.close()

    # --- nothing left the device ----------------------------------------------------------
    outside = [r["url"] for r in requests if not r["same"]]
    assert outside == []
    for r in requests:
        body: bytes = r["body"]
        assert len(body) < 50_000, (r["url"], len(body))
        assert b"data:image" not in body and b"base64" not in body, r["url"]
    session_posts = [r for r in requests if r["method"] == "POST" and "/sessions" in r["url"]]
    assert session_posts and b'"camera"' in session_posts[-1]["body"]
    assert b"frames" not in session_posts[-1]["body"].replace(b"frames_with_pose", b"")
    assert errors == []
