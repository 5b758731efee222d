"""Spine imaging in Chromium: a clinician uploads a SYNTHETIC lateral phantom, opens it in the
Cornerstone3D viewer, places the six landmarks with the mouse where the phantom was drawn,
saves them, and sees the measurements (against the phantom's construction) and the spine
classifier's output with its model card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from spinewise.imaging.deidentify import dataset_to_bytes
from spinewise.imaging.phantom import PhantomSpec, build_phantom
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
DESKTOP = {"width": 1400, "height": 1000}
STEPS = {
    "femoral_head_1": "Femoral head centre (1)",
    "femoral_head_2": "Femoral head centre (2, optional)",
    "s1_anterior": "S1 endplate, anterior corner",
    "s1_posterior": "S1 endplate, posterior corner",
    "l1_anterior": "L1 superior endplate, anterior corner",
    "l1_posterior": "L1 superior endplate, posterior corner",
}
# A click lands on a whole CSS pixel; at the viewer's scale one CSS pixel is about 1.3 image
# pixels (0.5-0.65 mm), which moves an angle by a few tenths of a degree.
CLICK_TOLERANCE_DEG = 1.5
CLICK_TOLERANCE_MM = 1.5


def _sign_in(context, live_server: str, email: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return page


def _measured(page, key: str) -> float:  # type: ignore[no-untyped-def]
    text = page.locator(f'tr[data-measure="{key}"] td').inner_text()
    match = re.search(r"-?\d+(\.\d+)?", text)
    assert match, text
    return float(match.group())


def _grey(page, x: float, y: float) -> int:  # type: ignore[no-untyped-def]
    """The displayed grey level (0-255) of the canvas where image pixel (x, y) is drawn."""
    return int(
        page.evaluate(
            """([x, y]) => {
              const p = window.spinewiseViewer.imageToClient(x, y);
              const canvas = document.querySelector('#img-viewport canvas');
              const r = canvas.getBoundingClientRect();
              const sx = Math.round((p.x - r.left) * canvas.width / r.width);
              const sy = Math.round((p.y - r.top) * canvas.height / r.height);
              return canvas.getContext('2d', {willReadFrequently: true})
                .getImageData(sx, sy, 1, 1).data[0];
            }""",
            [x, y],
        )
    )


def test_a_clinician_measures_a_synthetic_phantom_in_the_viewer(
    chromium, live_server: str, tmp_path: Path
) -> None:
    phantom = build_phantom(PhantomSpec())
    dicom = tmp_path / "synthetic-lateral.dcm"
    dicom.write_bytes(dataset_to_bytes(phantom.dataset))
    truth = phantom.landmarks["phantom"]["truth"]
    points = phantom.landmarks["landmarks"]

    context = chromium.new_context(viewport=DESKTOP)
    failures: list[str] = []
    # A load cut short because the page moved on (net::ERR_ABORTED, on a fast machine) is not
    # a broken resource; anything else that fails is.
    context.on(
        "requestfailed",
        lambda request: (
            None
            if "ERR_ABORTED" in (request.failure or "")
            else failures.append(f"{request.failure} {request.url}")
        ),
    )
    context.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    page = _sign_in(context, live_server, "clinician@demo.spinewise.org")
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.get_by_role("link", name="Olivia Bennett").click()
    page.get_by_role("link", name="Spine imaging").click()
    expect(page.get_by_role("heading", name=re.compile("Spine imaging"))).to_be_visible()

    page.get_by_label("DICOM files or zip").set_input_files(str(dicom))
    page.get_by_role("button", name="Upload and de-identify").click()
    expect(page.get_by_text("1 image imported and de-identified")).to_be_visible()
    expect(page.get_by_text("SYNTHETIC").first).to_be_visible()
    screenshot(page, "imaging-studies")

    page.get_by_role("link", name=re.compile("Open image 1")).first.click()
    app = page.locator("#img-viewer-app")
    expect(app).to_have_attribute("data-ready", "true", timeout=30_000)
    expect(page.locator("#img-status")).to_have_text("Image loaded.")
    # The de-identified image really is drawn on the canvas (not a blank viewport).
    drawn = page.evaluate(
        """() => {
          const canvas = document.querySelector('#img-viewport canvas');
          const data = canvas.getContext('2d', {willReadFrequently: true})
            .getImageData(0, 0, canvas.width, canvas.height).data;
          let bright = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] > 128) bright++;
          return bright;
        }"""
    )
    assert drawn > 1000, "the viewer drew no bright (bone) pixels"

    # The landmark mapping agrees with what is drawn (window 1100/2200, so a femoral head at
    # grey 1900 shows about 220, vertebral bone at 1300 about 150, background at 200 about 23):
    # the truth points land on the femoral heads, and 2 mm above each endplate is background
    # while 2 mm below is bone (rows are 0.5 mm, so 2 mm is 4 pixels).
    for head in ("femoral_head_1", "femoral_head_2"):
        assert _grey(page, *points[head]) > 200, head
    for a, b in (("s1_anterior", "s1_posterior"), ("l1_anterior", "l1_posterior")):
        mid_x = (points[a][0] + points[b][0]) / 2
        mid_y = (points[a][1] + points[b][1]) / 2
        assert _grey(page, mid_x, mid_y - 4) < 60, f"above {a}"
        assert _grey(page, mid_x, mid_y + 4) > 120, f"below {a}"

    page.get_by_role("button", name="Place landmarks").click()
    for name, label in STEPS.items():
        page.get_by_label(label).check()
        x, y = points[name]
        where = page.evaluate(f"window.spinewiseViewer.imageToClient({x}, {y})")
        page.mouse.click(where["x"], where["y"])
    expect(page.locator('output[data-for="l1_posterior"]')).not_to_have_text("—")
    screenshot(page, "imaging-landmarks-placed")

    page.get_by_role("button", name="Save and measure").click()
    expect(page.locator("#img-save-status")).to_have_text(
        re.compile("Saved as version 1 and measured")
    )
    expect(page.locator("table.img-measurements")).to_be_visible()
    for key in (
        "pelvic_incidence_deg",
        "pelvic_tilt_deg",
        "sacral_slope_deg",
        "lumbar_lordosis_deg",
    ):
        assert _measured(page, key) == pytest.approx(truth[key], abs=CLICK_TOLERANCE_DEG), key
    assert _measured(page, "pelvic_radius_mm") == pytest.approx(
        truth["pelvic_radius_mm"], abs=CLICK_TOLERANCE_MM
    )

    # The classifier: five inputs measured, the slip not; with a grade it answers.
    classifier = page.locator("#img-classifier")
    expect(classifier.get_by_text("not measured").first).to_be_visible()
    classifier.get_by_label("Degree of spondylolisthesis measured elsewhere").fill("1.5")
    classifier.get_by_role("button", name="Classify").click()
    expect(page.locator("#img-classifier .pill")).to_have_text(
        re.compile("normal|hernia|spondylolisthesis"), timeout=15_000
    )
    expect(page.get_by_role("link", name="Model card: spine classifier")).to_be_visible()
    screenshot(page, "imaging-viewer-measured")

    # Resource errors are checked by URL above (the browser also asks for a favicon).
    errors = [c for c in console if c.startswith("error") and "Failed to load resource" not in c]
    assert not errors, console
    assert not [u for u in failures if "/static/" in u or "/imaging/" in u], failures
    context.close()


def test_a_compressed_image_is_decoded_by_the_webassembly_codecs(
    chromium, live_server: str
) -> None:
    """pydicom's JPEG 2000 sample needs the OpenJPEG WebAssembly codec in the decode worker,
    which the Content-Security-Policy must allow ('wasm-unsafe-eval')."""
    from pydicom.data import get_testdata_file

    sample = get_testdata_file("JPEG2000.dcm")
    assert sample is not None
    context = chromium.new_context(viewport=DESKTOP)
    page = _sign_in(context, live_server, "clinician@demo.spinewise.org")
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.get_by_role("link", name="James Okafor").click()
    page.get_by_role("link", name="Spine imaging").click()
    page.get_by_label("DICOM files or zip").set_input_files(str(sample))
    page.get_by_role("button", name="Upload and de-identify").click()
    expect(page.get_by_text("1 image imported and de-identified")).to_be_visible()
    page.get_by_role("link", name=re.compile("Open image 1")).first.click()
    expect(page.locator("#img-viewer-app")).to_have_attribute("data-ready", "true", timeout=30_000)
    page.wait_for_function(
        """() => {
          const canvas = document.querySelector('#img-viewport canvas');
          const data = canvas.getContext('2d', {willReadFrequently: true})
            .getImageData(0, 0, canvas.width, canvas.height).data;
          let lit = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] > 60) lit++;
          return lit > 500;
        }""",
        timeout=20_000,
    )
    assert not [c for c in console if "Content Security Policy" in c], console
    screenshot(page, "imaging-viewer-jpeg2000")
    context.close()
