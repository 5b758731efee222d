"""The synthetic lateral phantom: its image, its truth landmarks and the whole measuring path."""

from __future__ import annotations

import io
import math

import numpy as np
import pydicom
import pytest

from spinewise.imaging.deidentify import UidMapper, dataset_to_bytes, deidentify
from spinewise.imaging.measure import LateralMeasurements, measure
from spinewise.imaging.phantom import (
    BACKGROUND,
    FEMORAL_HEAD,
    SACRUM,
    VERTEBRA,
    Phantom,
    PhantomSpec,
    build_phantom,
)

# Anisotropic pixels and a patient facing left, to exercise both conversions.
SPECS = {
    "default": PhantomSpec(),
    "facing-left": PhantomSpec(
        pelvic_incidence_deg=64.0,
        pelvic_tilt_deg=22.0,
        lumbar_lordosis_deg=58.0,
        anterior="left",
        pixel_spacing_mm=(0.3, 0.45),
        rows=1250,
        columns=520,
        seed=3,
    ),
}


@pytest.fixture(scope="module", params=list(SPECS))
def phantom(request: pytest.FixtureRequest) -> tuple[PhantomSpec, Phantom]:
    spec = SPECS[request.param]
    return spec, build_phantom(spec)


def test_default_truth_is_the_hand_calculation() -> None:
    # SS = PI - PT = 52 - 13 = 39 deg. PR by the law of cosines with d = 105 mm, w = 40 mm:
    # PR^2 = 105^2 + 20^2 + 105 * 40 * sin(52 deg) = 11025 + 400 + 3309.65 = 14734.65,
    # PR = 121.39 mm.
    truth = PhantomSpec().truth()
    assert truth["sacral_slope_deg"] == pytest.approx(39.0)
    assert truth["pelvic_radius_mm"] == pytest.approx(121.39, abs=0.01)


def test_truth_landmarks_measure_back_to_the_construction(
    phantom: tuple[PhantomSpec, Phantom],
) -> None:
    spec, built = phantom
    measured = measure(built.landmarks)
    assert isinstance(measured, LateralMeasurements)
    truth = spec.truth()
    assert measured.pelvic_incidence_deg == pytest.approx(truth["pelvic_incidence_deg"], abs=0.5)
    assert measured.pelvic_tilt_deg == pytest.approx(truth["pelvic_tilt_deg"], abs=0.5)
    assert measured.sacral_slope_deg == pytest.approx(truth["sacral_slope_deg"], abs=0.5)
    assert measured.lumbar_lordosis_deg == pytest.approx(truth["lumbar_lordosis_deg"], abs=0.5)
    assert measured.pelvic_radius_mm == pytest.approx(truth["pelvic_radius_mm"], abs=0.5)


def _pixel(built: Phantom, x: float, y: float) -> int:
    return int(built.pixels[round(y), round(x)])


def _normal_offset_px(
    a: list[float], b: list[float], spacing: tuple[float, float], mm: float
) -> tuple[float, float]:
    """Pixel offset of ``mm`` millimetres perpendicular to the segment a-b, towards the top of
    the image (smaller y)."""
    row, col = spacing
    dx, dy = (b[0] - a[0]) * col, (b[1] - a[1]) * row
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    if ny > 0:
        nx, ny = -nx, -ny
    return nx * mm / col, ny * mm / row


@pytest.mark.parametrize(
    ("ant", "post", "inside"),
    [("s1_anterior", "s1_posterior", SACRUM), ("l1_anterior", "l1_posterior", VERTEBRA)],
)
def test_drawn_endplates_lie_on_the_truth_landmarks(
    phantom: tuple[PhantomSpec, Phantom], ant: str, post: str, inside: int
) -> None:
    """2 mm above the endplate is background, 2 mm below is bone, all along the endplate."""
    spec, built = phantom
    a, b = built.landmarks["landmarks"][ant], built.landmarks["landmarks"][post]
    ux, uy = _normal_offset_px(a, b, spec.pixel_spacing_mm, 2.0)
    for t in (0.2, 0.5, 0.8):
        x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        above = _pixel(built, x + ux, y + uy)
        below = _pixel(built, x - ux, y - uy)
        assert abs(above - BACKGROUND) < 100, (t, above)
        assert abs(below - inside) < 100, (t, below)


def test_drawn_femoral_heads_are_centred_on_the_hip_axis(
    phantom: tuple[PhantomSpec, Phantom],
) -> None:
    """The union of two equal discs is symmetric about their midpoint, so its centroid is the
    hip axis; found from the pixels, it agrees with the landmarks within 0.5 mm."""
    spec, built = phantom
    row, col = spec.pixel_spacing_mm
    ys, xs = np.nonzero(np.abs(built.pixels.astype(int) - FEMORAL_HEAD) < 100)
    heads = [built.landmarks["landmarks"][k] for k in ("femoral_head_1", "femoral_head_2")]
    hip_x = (heads[0][0] + heads[1][0]) / 2
    hip_y = (heads[0][1] + heads[1][1]) / 2
    assert xs.mean() * col == pytest.approx(hip_x * col, abs=0.5)
    assert ys.mean() * row == pytest.approx(hip_y * row, abs=0.5)


def test_the_dicom_file_carries_the_spacing_and_orientation_of_the_landmarks(
    phantom: tuple[PhantomSpec, Phantom],
) -> None:
    spec, built = phantom
    ds = pydicom.dcmread(io.BytesIO(dataset_to_bytes(built.dataset)))
    assert [float(v) for v in ds.PixelSpacing] == built.landmarks["pixel_spacing_mm"]
    assert (ds.Rows, ds.Columns) == (spec.rows, spec.columns)
    assert list(ds.PatientOrientation) == (["A", "F"] if spec.anterior == "right" else ["P", "F"])
    assert np.array_equal(ds.pixel_array, built.pixels)


def test_the_phantom_is_labelled_synthetic() -> None:
    built = build_phantom()
    assert built.landmarks["phantom"]["synthetic"] is True
    assert str(built.dataset.ImageComments).startswith("SYNTHETIC")
    assert built.dataset.BurnedInAnnotation == "NO"


def test_the_same_spec_draws_the_same_pixels() -> None:
    assert np.array_equal(build_phantom().pixels, build_phantom().pixels)


def test_whole_path_write_deidentify_read_measure() -> None:
    """Phantom -> DICOM bytes -> de-identified -> read back -> spacing from the file ->
    measured from the truth landmarks: the construction angles come back."""
    built = build_phantom(SPECS["facing-left"])
    written = pydicom.dcmread(io.BytesIO(dataset_to_bytes(built.dataset)))
    cleaned, _ = deidentify(written, uids=UidMapper.random())
    reread = pydicom.dcmread(io.BytesIO(dataset_to_bytes(cleaned)))
    assert reread.PatientName == "" and "ImageComments" not in reread
    document = {
        **built.landmarks,
        "pixel_spacing_mm": [float(v) for v in reread.PixelSpacing],
        "anterior": "right" if reread.PatientOrientation[0] == "A" else "left",
    }
    measured = measure(document)
    assert isinstance(measured, LateralMeasurements)
    assert measured.pelvic_incidence_deg == pytest.approx(64.0, abs=0.5)
    assert measured.lumbar_lordosis_deg == pytest.approx(58.0, abs=0.5)
