"""Spinopelvic geometry on hand-constructed landmark sets.

Each case writes its hand calculation next to the expected value. The acceptance tolerance of
the spine-imaging issue is 0.5 degrees and 0.5 mm; the geometry is exact, so the tests ask for
0.01.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spinewise.core.errors import InvalidInput
from spinewise.imaging.measure import (
    FrontalMeasurements,
    LateralMeasurements,
    measure,
    measure_frontal,
    measure_lateral,
)

TOL = 0.01

# Case A (1 mm pixels, patient facing right). In image pixels, x right and y down:
#   S1 anterior (100, 200), posterior (60, 170): the posterior corner is 40 px back and 30 px
#   up, so SS = atan(30/40) = 36.8699 deg; midpoint M = (80, 185).
#   Hip axis H = (100, 285): 20 px forward of M and 100 px below it, PT = atan(20/100)
#   = 11.3099 deg; PI = SS + PT = 48.1798 deg (Legaye 1998 identity).
#   PR = |H - S1 posterior| = sqrt(40^2 + 115^2) = sqrt(14825) = 121.7580 mm.
#   L1 anterior (90, 20), posterior (50, 30): the posterior corner is 40 back and 10 lower,
#   slope = -atan(10/40) = -14.0362 deg; LL = SS - slope = 36.8699 + 14.0362 = 50.9061 deg.
CASE_A = {
    "femoral_head_1": (100.0, 285.0),
    "s1_anterior": (100.0, 200.0),
    "s1_posterior": (60.0, 170.0),
    "l1_anterior": (90.0, 20.0),
    "l1_posterior": (50.0, 30.0),
}
SS_A = math.degrees(math.atan(30 / 40))
PT_A = math.degrees(math.atan(20 / 100))
LL_A = SS_A + math.degrees(math.atan(10 / 40))
PR_A = math.sqrt(40**2 + 115**2)


def _mirror(points: dict[str, tuple[float, float]], width: float) -> dict[str, tuple[float, float]]:
    return {k: (width - x, y) for k, (x, y) in points.items()}


def _check(m: LateralMeasurements, ss: float, pt: float, ll: float, pr: float) -> None:
    assert m.sacral_slope_deg == pytest.approx(ss, abs=TOL)
    assert m.pelvic_tilt_deg == pytest.approx(pt, abs=TOL)
    assert m.pelvic_incidence_deg == pytest.approx(ss + pt, abs=TOL)
    assert m.lumbar_lordosis_deg == pytest.approx(ll, abs=TOL)
    assert m.pelvic_radius_mm == pytest.approx(pr, abs=TOL)


def test_case_a_matches_the_hand_calculation() -> None:
    m = measure_lateral(CASE_A, (1.0, 1.0), "right")
    assert m.sacral_slope_deg == pytest.approx(36.8699, abs=TOL)
    assert m.pelvic_tilt_deg == pytest.approx(11.3099, abs=TOL)
    assert m.pelvic_incidence_deg == pytest.approx(48.1798, abs=TOL)
    assert m.lumbar_lordosis_deg == pytest.approx(50.9061, abs=TOL)
    assert m.pelvic_radius_mm == pytest.approx(121.7580, abs=TOL)


def test_a_patient_facing_left_gives_the_same_angles_as_the_mirror_image() -> None:
    _check(measure_lateral(_mirror(CASE_A, 300.0), (1.0, 1.0), "left"), SS_A, PT_A, LL_A, PR_A)


def test_anisotropic_pixels_are_converted_to_mm_before_any_angle() -> None:
    # The same millimetre geometry as case A on pixels 0.5 mm tall and 0.25 mm wide:
    # x_px = x_mm / 0.25 and y_px = y_mm / 0.5, so every answer is unchanged.
    pixels = {k: (x / 0.25, y / 0.5) for k, (x, y) in CASE_A.items()}
    _check(measure_lateral(pixels, (0.5, 0.25), "right"), SS_A, PT_A, LL_A, PR_A)


def test_the_hip_axis_is_the_midpoint_of_two_femoral_heads() -> None:
    # Heads at (90, 280) and (110, 290): midpoint (100, 285), the hip axis of case A.
    points = {**CASE_A, "femoral_head_1": (90.0, 280.0), "femoral_head_2": (110.0, 290.0)}
    _check(measure_lateral(points, (1.0, 1.0), "right"), SS_A, PT_A, LL_A, PR_A)


def test_either_femoral_head_alone_is_enough() -> None:
    points = {k: v for k, v in CASE_A.items() if k != "femoral_head_1"}
    points["femoral_head_2"] = CASE_A["femoral_head_1"]
    _check(measure_lateral(points, (1.0, 1.0), "right"), SS_A, PT_A, LL_A, PR_A)


def test_pelvic_tilt_is_negative_when_the_hip_axis_is_behind_the_s1_midpoint() -> None:
    # H = (70, 285): 10 px behind M = (80, 185) and 100 below, PT = -atan(0.1) = -5.7106 deg,
    # PI = 36.8699 - 5.7106 = 31.1593 deg; PR = |(70,285) - (60,170)| = sqrt(10^2 + 115^2).
    points = {**CASE_A, "femoral_head_1": (70.0, 285.0)}
    m = measure_lateral(points, (1.0, 1.0), "right")
    assert m.pelvic_tilt_deg == pytest.approx(-5.7106, abs=TOL)
    assert m.pelvic_incidence_deg == pytest.approx(31.1593, abs=TOL)
    assert m.pelvic_radius_mm == pytest.approx(math.sqrt(10**2 + 115**2), abs=TOL)


def test_lordosis_is_negative_for_a_kyphotic_lumbar_spine() -> None:
    # L1 endplate tilted forwards more than S1: anterior (90, 40), posterior (50, 0), the
    # posterior corner 40 back and 40 up: slope = atan(40/40) = 45 deg, so
    # LL = 36.8699 - 45 = -8.1301 deg (endplates diverging posteriorly: kyphosis).
    points = {**CASE_A, "l1_anterior": (90.0, 40.0), "l1_posterior": (50.0, 0.0)}
    assert measure_lateral(points, (1.0, 1.0), "right").lumbar_lordosis_deg == pytest.approx(
        -8.1301, abs=TOL
    )


def test_taillard_slip_is_the_forward_offset_of_l5_over_the_s1_endplate_length() -> None:
    # S1 endplate from posterior (60,170) to anterior (100,200): length 50 px. An L5
    # posterior-inferior corner a quarter of the way forwards, (70, 177.5), lifted 2 px off the
    # plate along its normal (0.6, -0.8) to (71.2, 175.9): slip = 12.5 / 50 = 25 %.
    points = {**CASE_A, "l5_posterior_inferior": (71.2, 175.9)}
    assert measure_lateral(points, (1.0, 1.0), "right").slip_percent == pytest.approx(25.0, abs=TOL)


def test_swapped_anterior_side_is_refused_because_pi_differs_from_pt_plus_ss() -> None:
    # Case A declared as facing left: the sacral slope becomes 143 deg and PT -11 deg, whose
    # sum (131.8) is not the measured incidence (48.2), so the landmarks are inconsistent.
    with pytest.raises(InvalidInput, match="inconsistent"):
        measure_lateral(CASE_A, (1.0, 1.0), "left")


def test_swapped_s1_corners_are_refused() -> None:
    points = {
        **CASE_A,
        "s1_anterior": CASE_A["s1_posterior"],
        "s1_posterior": CASE_A["s1_anterior"],
    }
    with pytest.raises(InvalidInput, match="inconsistent"):
        measure_lateral(points, (1.0, 1.0), "right")


def test_l1_below_s1_is_refused() -> None:
    points = {**CASE_A, "l1_anterior": (90.0, 400.0), "l1_posterior": (50.0, 410.0)}
    with pytest.raises(InvalidInput, match="L1 lies below S1"):
        measure_lateral(points, (1.0, 1.0), "right")


def test_frontal_cobb_angle_between_two_endplates() -> None:
    # Upper endplate rises 20 px over 100 px: +11.3099 deg. Lower endplate falls 40 px over
    # 100 px: -21.8014 deg. Cobb = 11.3099 + 21.8014 = 33.1113 deg.
    m = measure_frontal(((10, 50), (110, 30)), ((20, 300), (120, 340)), (1.0, 1.0))
    assert m.cobb_deg == pytest.approx(33.1113, abs=TOL)


def test_frontal_cobb_uses_pixel_spacing() -> None:
    # Same pixels with columns 0.5 mm wide and rows 1 mm tall: the upper line rises 20 mm over
    # 50 mm (atan 0.4 = 21.8014 deg), the lower falls 40 mm over 50 mm (atan 0.8 = 38.6598
    # deg): Cobb = 60.4612 deg.
    m = measure_frontal(((10, 50), (110, 30)), ((20, 300), (120, 340)), (1.0, 0.5))
    assert m.cobb_deg == pytest.approx(60.4612, abs=TOL)


def test_cobb_angle_does_not_depend_on_point_order() -> None:
    a = measure_frontal(((10, 50), (110, 30)), ((20, 300), (120, 340)), (1.0, 1.0))
    b = measure_frontal(((110, 30), (10, 50)), ((120, 340), (20, 300)), (1.0, 1.0))
    assert a.cobb_deg == pytest.approx(b.cobb_deg, abs=1e-9)


# --- the LANDMARKS.json contract ----------------------------------------------------------


def _document(**overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "view": "lateral",
        "pixel_spacing_mm": [1.0, 1.0],
        "anterior": "right",
        "landmarks": {k: list(v) for k, v in CASE_A.items()},
    }
    doc.update(overrides)
    return doc


def test_measure_reads_the_contract_document() -> None:
    result = measure(_document())
    assert isinstance(result, LateralMeasurements)
    assert set(result.to_dict()) == {
        "pelvic_incidence_deg",
        "pelvic_tilt_deg",
        "sacral_slope_deg",
        "lumbar_lordosis_deg",
        "pelvic_radius_mm",
    }


def test_missing_landmarks_are_all_named() -> None:
    landmarks = {"s1_anterior": [1, 2], "l1_posterior": [3, 4]}
    with pytest.raises(InvalidInput) as info:
        measure(_document(landmarks=landmarks))
    message = str(info.value)
    for name in ("femoral_head_1", "s1_posterior", "l1_anterior"):
        assert name in message
    assert "s1_anterior," not in message


def test_a_null_landmark_counts_as_missing() -> None:
    landmarks = {**{k: list(v) for k, v in CASE_A.items()}, "s1_anterior": None}
    with pytest.raises(InvalidInput, match="missing s1_anterior"):
        measure(_document(landmarks=landmarks))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"view": "oblique"}, "view"),
        ({"pixel_spacing_mm": [0.5]}, "pixel_spacing_mm"),
        ({"pixel_spacing_mm": [0.5, -1]}, "pixel_spacing_mm"),
        ({"pixel_spacing_mm": [0.5, "x"]}, "pixel_spacing_mm"),
        ({"anterior": "up"}, "anterior"),
        ({"landmarks": []}, "landmarks"),
    ],
)
def test_malformed_documents_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        measure(_document(**overrides))


def test_a_point_must_be_two_finite_numbers() -> None:
    landmarks = {**{k: list(v) for k, v in CASE_A.items()}, "l1_anterior": [1.0, float("nan")]}
    with pytest.raises(InvalidInput, match="l1_anterior"):
        measure(_document(landmarks=landmarks))


def test_frontal_document() -> None:
    doc = {
        "view": "frontal",
        "pixel_spacing_mm": [1.0, 1.0],
        "landmarks": {
            "upper_endplate": [[10, 50], [110, 30]],
            "lower_endplate": [[20, 300], [120, 340]],
        },
    }
    result = measure(doc)
    assert isinstance(result, FrontalMeasurements)
    assert result.to_dict() == {"cobb_deg": pytest.approx(33.1113, abs=TOL)}


# --- landmark sets the code has never seen -------------------------------------------------


def _construct(
    ss: float, pt: float, ll: float, d: float, w: float, spacing: tuple[float, float], side: str
) -> dict[str, tuple[float, float]]:
    """Place landmarks from known angles (mm, u forwards, v up), then convert to pixels.

    S1 corners: M -/+ (w/2)(-cos SS, sin SS); hip H = M + d (sin PT, -cos PT); L1 endplate
    150 mm above M with slope SS - LL and width 35 mm.
    """
    a, t, s = math.radians(ss), math.radians(pt), math.radians(ss - ll)
    e = (-math.cos(a), math.sin(a))
    e1 = (-math.cos(s), math.sin(s))
    mm = {
        "s1_anterior": (-w / 2 * e[0], -w / 2 * e[1]),
        "s1_posterior": (w / 2 * e[0], w / 2 * e[1]),
        "femoral_head_1": (d * math.sin(t), -d * math.cos(t)),
        "l1_anterior": (-17.5 * e1[0], 150 - 17.5 * e1[1]),
        "l1_posterior": (17.5 * e1[0], 150 + 17.5 * e1[1]),
    }
    sign = 1.0 if side == "right" else -1.0
    row, col = spacing
    return {k: ((400 + sign * u) / col, (500 - v) / row) for k, (u, v) in mm.items()}


@settings(max_examples=150, deadline=None)
@given(
    ss=st.floats(5, 65),
    pt=st.floats(-15, 40),
    ll=st.floats(-10, 80),
    d=st.floats(60, 140),
    w=st.floats(30, 55),
    row=st.floats(0.1, 1.0),
    col=st.floats(0.1, 1.0),
    side=st.sampled_from(["left", "right"]),
)
def test_unseen_landmark_sets_agree_with_the_construction_within_half_a_degree(
    ss: float, pt: float, ll: float, d: float, w: float, row: float, col: float, side: str
) -> None:
    assume(ss + pt >= 15)  # a pelvic incidence below 15 deg is not a human pelvis
    points = _construct(ss, pt, ll, d, w, (row, col), side)
    m = measure_lateral(points, (row, col), "right" if side == "right" else "left")
    # PR by the law of cosines: the endplate direction to the posterior corner makes
    # 90 deg + PI with M -> H, so PR^2 = d^2 + (w/2)^2 + d w sin(PI).
    pr = math.sqrt(d * d + (w / 2) ** 2 + d * w * math.sin(math.radians(ss + pt)))
    assert m.sacral_slope_deg == pytest.approx(ss, abs=0.5)
    assert m.pelvic_tilt_deg == pytest.approx(pt, abs=0.5)
    assert m.pelvic_incidence_deg == pytest.approx(ss + pt, abs=0.5)
    assert m.lumbar_lordosis_deg == pytest.approx(ll, abs=0.5)
    assert m.pelvic_radius_mm == pytest.approx(pr, abs=0.5)
