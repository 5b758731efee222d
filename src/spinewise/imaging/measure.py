"""Spinopelvic and curvature measurements from landmark coordinates.

Input: points placed on a radiograph in *image coordinates* (pixels, x to the right, y down)
and the DICOM Pixel Spacing ``[row, col]`` in mm (row spacing = vertical distance between
rows, column spacing = horizontal distance between columns; PS3.3 §10.7.1.3). Every point is
converted to millimetres before any angle is taken, so anisotropic pixels do not distort the
angles.

Lateral (sagittal) view, after Legaye et al. (1998) "Pelvic incidence: a fundamental pelvic
parameter for three-dimensional regulation of spinal sagittal curves", Eur Spine J 7:99–103:

- hip axis ``H``: the centre of the femoral head, or the midpoint of the two centres when the
  heads do not superimpose;
- S1 endplate: the superior endplate of S1 from its anterior corner (the promontory) to its
  posterior-superior corner; ``M`` is its midpoint;
- sacral slope SS: angle between the S1 endplate and the horizontal, positive when the
  endplate faces forward (posterior corner higher than the anterior one);
- pelvic tilt PT: angle between the vertical and the line ``M → H``, positive when the hip axis
  lies anterior to ``M`` (the usual sign);
- pelvic incidence PI: angle between the perpendicular to the S1 endplate at ``M`` and the line
  ``M → H``. It is computed on its own (unsigned angle between two vectors) and checked
  against the geometric identity PI = PT + SS (Legaye et al. 1998); a mismatch means the
  landmarks are mislabelled (anterior/posterior corners swapped or the wrong ``anterior``
  side), and the measurement is refused rather than reported;
- lumbar lordosis LL (Cobb method, L1–S1): angle between the superior endplate of L1 and the
  superior endplate of S1, positive for the usual lordotic curve (endplates converging
  posteriorly): LL = SS − slope(L1), with slope(L1) measured like SS;
- pelvic radius PR: distance from the hip axis to the posterior-superior corner of S1, mm
  (Jackson et al. 1998, Spine 23(16):1750–1767, "pelvic radius" technique).

Frontal (coronal) view: Cobb angle (Cobb 1948, AAOS Instructional Course Lectures 5:261–275)
= the angle between the lines of the two chosen endplates, 0–90°.

The horizontal and vertical are the image axes: the radiograph must be taken standing with a
level detector (true vertical = image column direction), as in the studies above.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from spinewise.core.errors import InvalidInput

Point = tuple[float, float]
AnteriorSide = Literal["left", "right"]

PI_IDENTITY_TOLERANCE_DEG = 0.01
"""PI = PT + SS is exact geometry; a larger gap can only come from mislabelled landmarks."""

LATERAL_REQUIRED = ("s1_anterior", "s1_posterior", "l1_anterior", "l1_posterior")
FEMORAL_HEADS = ("femoral_head_1", "femoral_head_2")
FRONTAL_REQUIRED = ("upper_endplate", "lower_endplate")
SLIP_LANDMARK = "l5_posterior_inferior"


@dataclass(frozen=True)
class LateralMeasurements:
    """Spinopelvic parameters of one lateral radiograph (degrees, mm)."""

    pelvic_incidence_deg: float
    pelvic_tilt_deg: float
    sacral_slope_deg: float
    lumbar_lordosis_deg: float
    pelvic_radius_mm: float
    slip_percent: float | None = None  # Taillard, only with the optional L5 landmark

    def to_dict(self) -> dict[str, float]:
        """The CLI/JSON contract, rounded to 0.001 (far below any landmark's precision)."""
        out = {
            "pelvic_incidence_deg": round(self.pelvic_incidence_deg, 3),
            "pelvic_tilt_deg": round(self.pelvic_tilt_deg, 3),
            "sacral_slope_deg": round(self.sacral_slope_deg, 3),
            "lumbar_lordosis_deg": round(self.lumbar_lordosis_deg, 3),
            "pelvic_radius_mm": round(self.pelvic_radius_mm, 3),
        }
        if self.slip_percent is not None:
            out["slip_percent"] = round(self.slip_percent, 3)
        return out


@dataclass(frozen=True)
class FrontalMeasurements:
    cobb_deg: float

    def to_dict(self) -> dict[str, float]:
        return {"cobb_deg": round(self.cobb_deg, 3)}


# --- geometry in millimetres -------------------------------------------------------------


def _to_mm(point: Point, pixel_spacing_mm: tuple[float, float]) -> tuple[float, float]:
    """Image pixels (x right, y down) to image millimetres (same axes)."""
    row_mm, col_mm = pixel_spacing_mm
    return point[0] * col_mm, point[1] * row_mm


def _to_anatomical(
    point: Point, pixel_spacing_mm: tuple[float, float], anterior: AnteriorSide
) -> tuple[float, float]:
    """Image pixels to (anterior, superior) millimetres: u grows forwards, v grows upwards."""
    x_mm, y_mm = _to_mm(point, pixel_spacing_mm)
    return (x_mm if anterior == "right" else -x_mm), -y_mm


def _sub(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return a[0] - b[0], a[1] - b[1]


def _norm(v: tuple[float, float]) -> float:
    return math.hypot(v[0], v[1])


def _endplate_slope_deg(anterior: tuple[float, float], posterior: tuple[float, float]) -> float:
    """Angle of an endplate to the horizontal, positive when its posterior corner is higher.

    Points are (anterior, superior) mm. For the S1 endplate this is the sacral slope.
    """
    du, dv = _sub(posterior, anterior)  # from the anterior corner to the posterior corner
    return math.degrees(math.atan2(dv, -du))


def _wrap_deg(angle: float) -> float:
    """Wrap an angle to (-180, 180]."""
    wrapped = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 else wrapped


def measure_lateral(
    landmarks: Mapping[str, Point],
    pixel_spacing_mm: tuple[float, float],
    anterior: AnteriorSide,
) -> LateralMeasurements:
    """Pelvic incidence, tilt, sacral slope, L1–S1 lordosis and pelvic radius.

    Parameters
    ----------
    landmarks:
        Pixel coordinates: ``femoral_head_1`` and/or ``femoral_head_2`` (centres),
        ``s1_anterior``, ``s1_posterior`` (S1 superior endplate corners), ``l1_anterior``,
        ``l1_posterior`` (L1 superior endplate corners); optionally
        ``l5_posterior_inferior`` for the slip percentage.
    pixel_spacing_mm:
        DICOM Pixel Spacing ``(row, col)`` in mm.
    anterior:
        The side of the image the patient faces.
    """
    _require(landmarks, view="lateral")
    heads = [landmarks[k] for k in FEMORAL_HEADS if k in landmarks]

    def anat(name_or_point: str | Point) -> tuple[float, float]:
        point = landmarks[name_or_point] if isinstance(name_or_point, str) else name_or_point
        return _to_anatomical(point, pixel_spacing_mm, anterior)

    head_points = [anat(p) for p in heads]
    hip = (
        sum(p[0] for p in head_points) / len(head_points),
        sum(p[1] for p in head_points) / len(head_points),
    )
    s1_ant, s1_post = anat("s1_anterior"), anat("s1_posterior")
    l1_ant, l1_post = anat("l1_anterior"), anat("l1_posterior")
    s1_vec = _sub(s1_post, s1_ant)
    if _norm(s1_vec) < 1e-6:
        raise InvalidInput("landmarks", "s1_anterior and s1_posterior are the same point")
    if _norm(_sub(l1_post, l1_ant)) < 1e-6:
        raise InvalidInput("landmarks", "l1_anterior and l1_posterior are the same point")
    mid = ((s1_ant[0] + s1_post[0]) / 2, (s1_ant[1] + s1_post[1]) / 2)
    to_hip = _sub(hip, mid)
    if _norm(to_hip) < 1e-6:
        raise InvalidInput("landmarks", "the hip axis lies on the S1 endplate midpoint")
    l1_mid_v = (l1_ant[1] + l1_post[1]) / 2
    if l1_mid_v <= mid[1]:
        raise InvalidInput("landmarks", "L1 lies below S1 (check the image orientation)")

    sacral_slope = _endplate_slope_deg(s1_ant, s1_post)
    # Pelvic tilt: from the vertical through M to the line M -> H, positive anteriorly.
    pelvic_tilt = math.degrees(math.atan2(to_hip[0], -to_hip[1]))
    # Pelvic incidence: the perpendicular to the endplate at M pointing into the pelvis
    # (caudally), against M -> H, as an unsigned angle between two vectors.
    normal = (s1_vec[1], -s1_vec[0])
    if normal[1] > 0:
        normal = (-normal[0], -normal[1])
    cos_pi = (normal[0] * to_hip[0] + normal[1] * to_hip[1]) / (_norm(normal) * _norm(to_hip))
    pelvic_incidence = math.degrees(math.acos(max(-1.0, min(1.0, cos_pi))))
    identity_gap = pelvic_incidence - (pelvic_tilt + sacral_slope)
    if abs(identity_gap) > PI_IDENTITY_TOLERANCE_DEG:
        raise InvalidInput(
            "landmarks",
            f"inconsistent geometry: pelvic incidence {pelvic_incidence:.1f} deg differs from "
            f"pelvic tilt + sacral slope {pelvic_tilt + sacral_slope:.1f} deg; check that "
            "s1_anterior/s1_posterior are not swapped and that 'anterior' names the side the "
            "patient faces",
        )
    lordosis = _wrap_deg(sacral_slope - _endplate_slope_deg(l1_ant, l1_post))
    pelvic_radius = _norm(_sub(s1_post, hip))

    slip = None
    if SLIP_LANDMARK in landmarks:
        slip = _taillard_slip_percent(anat(SLIP_LANDMARK), s1_ant, s1_post)

    return LateralMeasurements(
        pelvic_incidence_deg=pelvic_incidence,
        pelvic_tilt_deg=pelvic_tilt,
        sacral_slope_deg=sacral_slope,
        lumbar_lordosis_deg=lordosis,
        pelvic_radius_mm=pelvic_radius,
        slip_percent=slip,
    )


def _taillard_slip_percent(
    l5_posterior_inferior: tuple[float, float],
    s1_anterior: tuple[float, float],
    s1_posterior: tuple[float, float],
) -> float:
    """Forward slip of L5 on S1 as a percentage of the S1 endplate length (Taillard 1954).

    The displacement of the posterior-inferior corner of L5 from the posterior-superior corner
    of S1, projected on the S1 endplate (positive forwards), divided by the endplate length.
    """
    forward = _sub(s1_anterior, s1_posterior)
    length = _norm(forward)
    offset = _sub(l5_posterior_inferior, s1_posterior)
    return 100.0 * (offset[0] * forward[0] + offset[1] * forward[1]) / (length * length)


def measure_frontal(
    upper_endplate: tuple[Point, Point],
    lower_endplate: tuple[Point, Point],
    pixel_spacing_mm: tuple[float, float],
) -> FrontalMeasurements:
    """Cobb angle between two endplate lines (pixels), 0–90 degrees."""
    angles = []
    for name, (a, b) in (("upper_endplate", upper_endplate), ("lower_endplate", lower_endplate)):
        ax, ay = _to_mm(a, pixel_spacing_mm)
        bx, by = _to_mm(b, pixel_spacing_mm)
        if math.hypot(bx - ax, by - ay) < 1e-6:
            raise InvalidInput("landmarks", f"{name}: the two points are the same")
        angles.append(math.degrees(math.atan2(-(by - ay), bx - ax)))
    difference = abs(angles[0] - angles[1]) % 180.0
    return FrontalMeasurements(cobb_deg=min(difference, 180.0 - difference))


# --- the LANDMARKS.json contract ---------------------------------------------------------


@dataclass(frozen=True)
class LandmarkFile:
    """A parsed LANDMARKS.json (see the spine-imaging issue for the format)."""

    view: Literal["lateral", "frontal"]
    pixel_spacing_mm: tuple[float, float]
    anterior: AnteriorSide | None
    landmarks: dict[str, Any]


def _finite_number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(field, "must be a finite number")
    return float(value)


def _point(value: Any, field: str) -> Point:
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        raise InvalidInput(field, "must be [x, y] in pixels")
    return _finite_number(value[0], field), _finite_number(value[1], field)


def _require(landmarks: Mapping[str, Any], view: str) -> None:
    if view == "lateral":
        missing = [k for k in LATERAL_REQUIRED if k not in landmarks]
        if not any(k in landmarks for k in FEMORAL_HEADS):
            missing.insert(0, "femoral_head_1 (or femoral_head_2)")
    else:
        missing = [k for k in FRONTAL_REQUIRED if k not in landmarks]
    if missing:
        raise InvalidInput("landmarks", "missing " + ", ".join(missing))


def parse_landmark_file(data: Any) -> LandmarkFile:
    """Validate the JSON structure; every problem is an :class:`InvalidInput` naming it."""
    if not isinstance(data, Mapping):
        raise InvalidInput(None, "the landmark file must be a JSON object")
    view = data.get("view")
    if view not in ("lateral", "frontal"):
        raise InvalidInput("view", "must be 'lateral' or 'frontal'")
    spacing = data.get("pixel_spacing_mm")
    if not isinstance(spacing, Sequence) or isinstance(spacing, str) or len(spacing) != 2:
        raise InvalidInput("pixel_spacing_mm", "must be [row, col] in mm")
    row_mm = _finite_number(spacing[0], "pixel_spacing_mm")
    col_mm = _finite_number(spacing[1], "pixel_spacing_mm")
    if row_mm <= 0 or col_mm <= 0:
        raise InvalidInput("pixel_spacing_mm", "must be positive")
    anterior = data.get("anterior")
    if view == "lateral" and anterior not in ("left", "right"):
        raise InvalidInput("anterior", "must be 'left' or 'right' for a lateral view")
    if anterior is not None and anterior not in ("left", "right"):
        raise InvalidInput("anterior", "must be 'left' or 'right'")
    raw = data.get("landmarks")
    if not isinstance(raw, Mapping):
        raise InvalidInput("landmarks", "must be an object of named points")
    raw = {name: value for name, value in raw.items() if value is not None}  # null = not placed
    _require(raw, view)
    parsed: dict[str, Any] = {}
    if view == "lateral":
        for name in (*FEMORAL_HEADS, *LATERAL_REQUIRED, SLIP_LANDMARK):
            if name in raw:
                parsed[name] = _point(raw[name], f"landmarks.{name}")
    else:
        for name in FRONTAL_REQUIRED:
            line = raw[name]
            if not isinstance(line, Sequence) or isinstance(line, str) or len(line) != 2:
                raise InvalidInput(f"landmarks.{name}", "must be [[x, y], [x, y]]")
            parsed[name] = (
                _point(line[0], f"landmarks.{name}[0]"),
                _point(line[1], f"landmarks.{name}[1]"),
            )
    return LandmarkFile(
        view=view,
        pixel_spacing_mm=(row_mm, col_mm),
        anterior=anterior,
        landmarks=parsed,
    )


def measure(data: Any) -> LateralMeasurements | FrontalMeasurements:
    """Measure a LANDMARKS.json document (already decoded from JSON)."""
    parsed = parse_landmark_file(data)
    if parsed.view == "lateral":
        assert parsed.anterior is not None  # checked by the parser
        return measure_lateral(parsed.landmarks, parsed.pixel_spacing_mm, parsed.anterior)
    return measure_frontal(
        parsed.landmarks["upper_endplate"],
        parsed.landmarks["lower_endplate"],
        parsed.pixel_spacing_mm,
    )
