"""A synthetic lateral lumbar radiograph with known spinopelvic angles (a documented phantom).

SYNTHETIC: the image is drawn, not acquired. It exists to test the whole imaging path
(DICOM writing and reading, de-identification, landmark placement, measurement) against a
geometry whose answer is known by construction. It is not a model of radiographic anatomy
and says nothing about clinical accuracy.

Construction (anatomical frame in mm: ``u`` forwards, ``v`` upwards; ``M`` = midpoint of the
S1 superior endplate at the origin):

- sacral slope SS = PI − PT (Legaye et al. 1998); the S1 endplate is a segment of length
  ``s1_width_mm`` through ``M`` inclined by SS, its posterior corner higher;
- hip axis ``H = M + d·(sin PT, −cos PT)`` with ``d = hip_to_s1_mm``, so the line ``M → H``
  makes the angle PT with the vertical, anterior for a positive PT; two femoral heads (discs
  of radius ``femoral_head_radius_mm``) are centred at ``H ± femoral_head_offset_mm`` so that
  they do not superimpose, as on a real film, and their midpoint is ``H``;
- the L1 superior endplate is centred ``l1_height_mm`` above and ``l1_offset_mm`` in front of
  ``M``, inclined by SS − LL, so the L1–S1 Cobb lordosis is LL;
- pelvic radius (hip axis to the posterior-superior corner of S1), by the law of cosines:
  PR² = d² + (w/2)² + d·w·sin PI, because the endplate direction towards the posterior corner
  makes 90° + PI with ``M → H``.

Drawing: the sacrum is a convex quadrilateral hanging from the S1 endplate, L1–L5 are
rectangles whose superior endplates follow a lordotic curve from L1 to S1, the femoral heads
are discs. Each structure has its own grey level; Gaussian noise is added from a seeded
generator, so the same spec gives the same pixels. Landmark coordinates are in image pixels
(x right, y down, pixel centres at integers), written in the LANDMARKS.json contract of
:mod:`spinewise.imaging.measure`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

from spinewise.core.errors import InvalidInput

CR_IMAGE_STORAGE = UID("1.2.840.10008.5.1.4.1.1.1")

# Grey levels (arbitrary units, 12-bit range) of the drawn structures.
BACKGROUND = 200
VERTEBRA = 1300
SACRUM = 1500
FEMORAL_HEAD = 1900


@dataclass(frozen=True)
class PhantomSpec:
    """The known geometry of a phantom. Defaults lie inside the usual adult ranges."""

    pelvic_incidence_deg: float = 52.0
    pelvic_tilt_deg: float = 13.0
    lumbar_lordosis_deg: float = 50.0
    hip_to_s1_mm: float = 105.0
    s1_width_mm: float = 40.0
    l1_width_mm: float = 36.0
    l1_height_mm: float = 175.0
    l1_offset_mm: float = -10.0
    femoral_head_radius_mm: float = 23.0
    femoral_head_offset_mm: tuple[float, float] = (4.0, 2.5)
    pixel_spacing_mm: tuple[float, float] = (0.5, 0.4)  # (row, col): anisotropic on purpose
    rows: int = 760
    columns: int = 600
    anterior: Literal["left", "right"] = "right"
    noise_sd: float = 12.0
    seed: int = 0

    @property
    def sacral_slope_deg(self) -> float:
        return self.pelvic_incidence_deg - self.pelvic_tilt_deg

    def truth(self) -> dict[str, float]:
        """The measurements the phantom was built with (degrees, mm)."""
        d, w = self.hip_to_s1_mm, self.s1_width_mm
        pi = math.radians(self.pelvic_incidence_deg)
        return {
            "pelvic_incidence_deg": self.pelvic_incidence_deg,
            "pelvic_tilt_deg": self.pelvic_tilt_deg,
            "sacral_slope_deg": self.sacral_slope_deg,
            "lumbar_lordosis_deg": self.lumbar_lordosis_deg,
            "pelvic_radius_mm": math.sqrt(d * d + (w / 2) ** 2 + d * w * math.sin(pi)),
        }


@dataclass(frozen=True)
class Phantom:
    dataset: Dataset
    landmarks: dict[str, Any]  # the LANDMARKS.json document, with a "phantom" section
    pixels: NDArray[np.uint16]


Vec = tuple[float, float]


def _endplate_dirs(slope_deg: float) -> tuple[Vec, Vec]:
    """Unit vector from the anterior to the posterior corner, and the caudal normal."""
    a = math.radians(slope_deg)
    return (-math.cos(a), math.sin(a)), (-math.sin(a), -math.cos(a))


def _add(p: Vec, q: Vec, k: float = 1.0) -> Vec:
    return p[0] + k * q[0], p[1] + k * q[1]


def _geometry(spec: PhantomSpec) -> dict[str, Any]:
    """All shapes in anatomical mm (u forwards, v upwards), M at the origin."""
    ss = spec.sacral_slope_deg
    mid: Vec = (0.0, 0.0)
    e_s1, n_s1 = _endplate_dirs(ss)
    s1_ant = _add(mid, e_s1, -spec.s1_width_mm / 2)
    s1_post = _add(mid, e_s1, spec.s1_width_mm / 2)
    pt = math.radians(spec.pelvic_tilt_deg)
    hip = (spec.hip_to_s1_mm * math.sin(pt), -spec.hip_to_s1_mm * math.cos(pt))
    off = spec.femoral_head_offset_mm
    heads = [_add(hip, off), _add(hip, off, -1.0)]
    sacrum = [
        s1_ant,
        s1_post,
        _add(_add(s1_post, n_s1, 85.0), e_s1, -10.0),
        _add(_add(s1_ant, n_s1, 60.0), e_s1, 12.0),
    ]

    l1_slope = ss - spec.lumbar_lordosis_deg
    l1_mid: Vec = (spec.l1_offset_mm, spec.l1_height_mm)
    bodies = []
    corners: dict[str, Vec] = {}
    segment = math.hypot(l1_mid[0] - mid[0], l1_mid[1] - mid[1]) / 5
    for level in range(5):  # L1..L5: superior endplates along a lordotic curve to S1
        t = level / 5
        bulge = 12.0 * math.sin(math.pi * t)
        top: Vec = (l1_mid[0] + (mid[0] - l1_mid[0]) * t + bulge, l1_mid[1] * (1 - t))
        slope = l1_slope + (ss - l1_slope) * t
        e, n = _endplate_dirs(slope)
        width = spec.l1_width_mm + (spec.s1_width_mm - spec.l1_width_mm) * t
        ant, post = _add(top, e, -width / 2), _add(top, e, width / 2)
        height = 0.72 * segment
        bodies.append([ant, post, _add(post, n, height), _add(ant, n, height)])
        if level == 0:
            corners = {"l1_anterior": ant, "l1_posterior": post}
    return {
        "hip": hip,
        "heads": heads,
        "sacrum": sacrum,
        "bodies": bodies,
        "points": {
            "femoral_head_1": heads[0],
            "femoral_head_2": heads[1],
            "s1_anterior": s1_ant,
            "s1_posterior": s1_post,
            **corners,
        },
    }


def _fill_convex(
    image: NDArray[np.float64], xs: NDArray[np.float64], ys: NDArray[np.float64], poly: list[Vec]
) -> NDArray[np.bool_]:
    """Mask of the pixel centres inside a convex polygon given in image mm."""
    inside = np.ones(image.shape, dtype=bool)
    area2 = sum(
        poly[i][0] * poly[(i + 1) % len(poly)][1] - poly[(i + 1) % len(poly)][0] * poly[i][1]
        for i in range(len(poly))
    )
    sign = 1.0 if area2 > 0 else -1.0
    for i, (x0, y0) in enumerate(poly):
        x1, y1 = poly[(i + 1) % len(poly)]
        cross = (x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0)
        inside &= sign * cross >= 0
    return inside


def build_phantom(spec: PhantomSpec | None = None) -> Phantom:
    """Draw the phantom and return its DICOM dataset and truth landmarks."""
    spec = spec or PhantomSpec()
    if not 0 < spec.pelvic_incidence_deg < 120 or spec.sacral_slope_deg <= -30:
        raise InvalidInput("pelvic_incidence_deg", "outside the range the phantom can draw")
    row_mm, col_mm = spec.pixel_spacing_mm
    if row_mm <= 0 or col_mm <= 0:
        raise InvalidInput("pixel_spacing_mm", "must be positive")
    geo = _geometry(spec)
    side = 1.0 if spec.anterior == "right" else -1.0

    # Place the drawing in the middle of the image (image mm: X right, Y down).
    outline: list[Vec] = [p for shape in (geo["sacrum"], *geo["bodies"]) for p in shape]
    r = spec.femoral_head_radius_mm
    outline += [(c[0] + dx, c[1] + dy) for c in geo["heads"] for dx in (-r, r) for dy in (-r, r)]
    us = [side * p[0] for p in outline]
    vs = [-p[1] for p in outline]
    width_mm, height_mm = (spec.columns - 1) * col_mm, (spec.rows - 1) * row_mm
    if max(us) - min(us) > width_mm - 10 or max(vs) - min(vs) > height_mm - 10:
        raise InvalidInput("rows", "the image is too small for this geometry")
    x0 = width_mm / 2 - (max(us) + min(us)) / 2
    y0 = height_mm / 2 - (max(vs) + min(vs)) / 2

    def to_image_mm(p: Vec) -> Vec:
        return x0 + side * p[0], y0 - p[1]

    def to_pixels(p: Vec) -> list[float]:
        x_mm, y_mm = to_image_mm(p)
        return [x_mm / col_mm, y_mm / row_mm]

    ys, xs = np.mgrid[0 : spec.rows, 0 : spec.columns].astype(np.float64)
    xs *= col_mm
    ys *= row_mm
    image = np.full((spec.rows, spec.columns), float(BACKGROUND))
    for body in geo["bodies"]:
        image[_fill_convex(image, xs, ys, [to_image_mm(p) for p in body])] = VERTEBRA
    image[_fill_convex(image, xs, ys, [to_image_mm(p) for p in geo["sacrum"]])] = SACRUM
    for centre in geo["heads"]:
        cx, cy = to_image_mm(centre)
        image[(xs - cx) ** 2 + (ys - cy) ** 2 <= r * r] = FEMORAL_HEAD
    rng = np.random.default_rng(spec.seed)
    image += rng.normal(0.0, spec.noise_sd, image.shape)
    pixels = np.clip(np.rint(image), 0, 4095).astype(np.uint16)

    landmarks = {name: to_pixels(p) for name, p in geo["points"].items()}
    document = {
        "view": "lateral",
        "pixel_spacing_mm": [row_mm, col_mm],
        "anterior": spec.anterior,
        "landmarks": landmarks,
        "phantom": {
            "synthetic": True,
            "description": "Spinewise synthetic lateral lumbar phantom; not a patient image",
            "truth": spec.truth(),
            "spec": asdict(spec),
        },
    }
    dataset = _dicom(spec, pixels)
    return Phantom(dataset=dataset, landmarks=document, pixels=pixels)


def _dicom(spec: PhantomSpec, pixels: NDArray[np.uint16]) -> Dataset:
    """A CR image object holding the phantom (deterministic UIDs from the spec)."""
    entropy = [hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode()).hexdigest()]
    study_uid = generate_uid(entropy_srcs=[*entropy, "study"])
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CR_IMAGE_STORAGE
    sop_uid = generate_uid(entropy_srcs=[*entropy, "instance"])
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ExplicitVRLittleEndian

    ds = Dataset()
    ds.file_meta = meta
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.ImageType = ["DERIVED", "SECONDARY"]
    ds.SOPClassUID = CR_IMAGE_STORAGE
    ds.SOPInstanceUID = sop_uid
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[*entropy, "series"])
    ds.StudyDate = "20000101"
    ds.StudyTime = "120000"
    ds.AccessionNumber = "SYNTH0001"
    ds.Modality = "CR"
    ds.Manufacturer = "Spinewise synthetic phantom"
    ds.ReferringPhysicianName = "Synthetic^Referrer"
    ds.InstitutionName = "Spinewise Phantom Lab"
    ds.StudyDescription = "Synthetic lateral lumbar phantom"
    ds.SeriesDescription = "Lateral lumbar spine and pelvis (synthetic)"
    ds.PatientName = "Phantom^Synthetic"
    ds.PatientID = "SYNTHETIC-0001"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "O"
    ds.BodyPartExamined = "LSPINE"
    ds.ViewPosition = "LL"
    # Row direction (left to right) is anterior or posterior; columns run towards the feet.
    ds.PatientOrientation = ["A", "F"] if spec.anterior == "right" else ["P", "F"]
    ds.StudyID = "1"
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    ds.ImageComments = "SYNTHETIC phantom: " + ", ".join(
        f"{k}={v:.2f}" for k, v in spec.truth().items()
    )
    ds.BurnedInAnnotation = "NO"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = pixels.shape
    ds.PixelSpacing = [f"{spec.pixel_spacing_mm[0]:g}", f"{spec.pixel_spacing_mm[1]:g}"]
    ds.ImagerPixelSpacing = ds.PixelSpacing
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.WindowCenter = 1100
    ds.WindowWidth = 2200
    ds.PixelData = pixels.tobytes()
    return ds
