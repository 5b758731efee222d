"""SYNTHETIC camera video for the camera-coaching browser test: a drawn figure doing an exercise.

The figure is the one of :mod:`spinewise.motion.synthetic` (Winter 2009 segment lengths, the
pose a function of the tracked angle), drawn not as a stick figure but as a clothed body seen
from the side (skin-toned head with a face in profile, shirt, trousers, shoes, limbs as
rounded capsules, the far side darker), because MediaPipe's person detector is trained on
people and ignores bare lines. It is rendered with Pillow, four times supersampled, and
written as a YUV4MPEG2 (``.y4m``, 4:2:0) file, the format Chromium's
``--use-file-for-fake-video-capture`` plays as a camera, in a loop.

SYNTHETIC: a drawing, not a person. That MediaPipe tracks it says the page's pipeline works;
it says nothing of the tracker's accuracy on patients.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from spinewise.motion.synthetic import Exercise, _pose

SUPERSAMPLE = 4
SKIN = (224, 172, 140)
SKIN_FAR = (190, 140, 112)
HAIR = (60, 42, 30)
SHIRT = (46, 110, 170)
SHIRT_FAR = (32, 80, 128)
TROUSERS = (48, 48, 60)
TROUSERS_FAR = (30, 30, 40)
SHOE = (235, 235, 235)
WALL = (214, 208, 196)
FLOOR = (150, 120, 92)


@dataclass(frozen=True)
class VideoSpec:
    exercise: Exercise
    angles_deg: Sequence[float]  # the tracked angle, one value per frame
    fps: int = 15
    size: tuple[int, int] = (640, 480)
    height_px: float = 380.0
    facing: str = "right"
    marker: bool = True  # stamp each frame's true angle in the top-left corner


MARKER_BITS = 9  # 8 bits of the true angle in whole degrees, then 1 if the pose is held still
MARKER_BLOCK = 10  # pixels per bit, on a row starting at (MARKER_BLOCK, MARKER_BLOCK)


def marker_value(angle_deg: float, still: bool) -> int:
    return (max(0, min(255, round(angle_deg))) << 1) | int(still)


def draw_marker(image: Image.Image, value: int) -> None:
    """Bits as black/white squares, most significant first (read back by :func:`read_marker`)."""
    draw = ImageDraw.Draw(image)
    for k in range(MARKER_BITS):
        bit = (value >> (MARKER_BITS - 1 - k)) & 1
        x = MARKER_BLOCK * (1 + k)
        colour = (255, 255, 255) if bit else (0, 0, 0)
        draw.rectangle([x, MARKER_BLOCK, x + MARKER_BLOCK - 1, 2 * MARKER_BLOCK - 1], fill=colour)


def marker_probe_points() -> list[tuple[int, int]]:
    """Pixel centres of the marker's bits (to read them from a canvas)."""
    c = MARKER_BLOCK // 2
    return [(MARKER_BLOCK * (1 + k) + c, MARKER_BLOCK + c) for k in range(MARKER_BITS)]


def read_marker(luma: Sequence[float]) -> tuple[int, bool]:
    """(true angle in degrees, held still) from the brightness at :func:`marker_probe_points`."""
    value = 0
    for level in luma:
        value = (value << 1) | int(level > 127)
    return value >> 1, bool(value & 1)


def _frame_pose(spec: VideoSpec, angle: float) -> dict[str, tuple[float, float]]:
    """Joint positions in image pixels (x right, y down) for one frame."""
    f = 1.0 if spec.facing == "right" else -1.0
    width, height = spec.size
    pose = _pose(spec.exercise, angle, None, f)
    origin_x = width / 2 - (f * 0.25 * spec.height_px if spec.exercise == "bridge" else 0.0)
    floor_y = height - 0.06 * height
    return {
        k: (origin_x + x * spec.height_px, floor_y - y * spec.height_px)
        for k, (x, y) in pose.items()
    }


def _capsule(
    draw: ImageDraw.ImageDraw,
    a: tuple[float, float],
    b: tuple[float, float],
    r: float,
    fill: tuple[int, int, int],
) -> None:
    s = SUPERSAMPLE
    ax, ay, bx, by, rr = a[0] * s, a[1] * s, b[0] * s, b[1] * s, r * s
    draw.line([(ax, ay), (bx, by)], fill=fill, width=max(1, round(2 * rr)))
    for x, y in ((ax, ay), (bx, by)):
        draw.ellipse([x - rr, y - rr, x + rr, y + rr], fill=fill)


def _polygon(
    draw: ImageDraw.ImageDraw, points: Sequence[tuple[float, float]], fill: tuple[int, int, int]
) -> None:
    draw.polygon([(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points], fill=fill)


def _ellipse(
    draw: ImageDraw.ImageDraw,
    c: tuple[float, float],
    rx: float,
    ry: float,
    fill: tuple[int, int, int],
) -> None:
    s = SUPERSAMPLE
    draw.ellipse([(c[0] - rx) * s, (c[1] - ry) * s, (c[0] + rx) * s, (c[1] + ry) * s], fill=fill)


def _head(draw: ImageDraw.ImageDraw, p: dict[str, tuple[float, float]], h: float) -> None:
    """Skull, hair at the back and top, a face in profile towards the nose."""
    head_r = 0.062 * h
    c, nose, shoulder = p["ear"], p["nose"], p["shoulder"]
    dn = math.hypot(nose[0] - c[0], nose[1] - c[1]) or 1.0
    face = ((nose[0] - c[0]) / dn, (nose[1] - c[1]) / dn)
    un = math.hypot(c[0] - shoulder[0], c[1] - shoulder[1]) or 1.0
    up = ((c[0] - shoulder[0]) / un, (c[1] - shoulder[1]) / un)

    def at(along: float, above: float) -> tuple[float, float]:
        return (
            c[0] + head_r * (along * face[0] + above * up[0]),
            c[1] + head_r * (along * face[1] + above * up[1]),
        )

    _capsule(
        draw,
        shoulder,
        (c[0] * 0.6 + shoulder[0] * 0.4, c[1] * 0.6 + shoulder[1] * 0.4),
        0.035 * h,
        SKIN,
    )
    _ellipse(draw, at(-0.25, 0.2), head_r * 0.95, head_r * 0.95, HAIR)
    _ellipse(draw, at(0.15, -0.1), head_r * 0.85, head_r * 0.85, SKIN)
    _ellipse(draw, at(0.95, 0.0), 0.16 * head_r, 0.16 * head_r, SKIN)  # nose
    _ellipse(draw, at(0.1, -0.5), 0.5 * head_r, 0.45 * head_r, SKIN)  # jaw
    _ellipse(draw, at(0.55, 0.25), 0.1 * head_r, 0.08 * head_r, (40, 30, 30))  # eye
    _ellipse(draw, at(0.7, 0.5), 0.2 * head_r, 0.05 * head_r, HAIR)  # eyebrow
    _ellipse(draw, at(0.75, -0.45), 0.15 * head_r, 0.05 * head_r, (160, 70, 70))  # mouth
    _ellipse(draw, at(-0.2, 0.0), 0.16 * head_r, 0.22 * head_r, SKIN_FAR)  # ear


def _limbs(
    draw: ImageDraw.ImageDraw,
    p: dict[str, tuple[float, float]],
    limb: float,
    colours: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]],
    *,
    legs: bool,
) -> None:
    shirt, trousers, skin = colours
    if legs:
        _capsule(draw, p["hip"], p["knee"], limb * 1.25, trousers)
        _capsule(draw, p["knee"], p["ankle"], limb * 1.05, trousers)
        _capsule(draw, p["heel"], p["foot_index"], limb * 0.7, SHOE)
        return
    _capsule(draw, p["shoulder"], p["elbow"], limb * 0.95, shirt)
    _capsule(draw, p["elbow"], p["wrist"], limb * 0.75, skin)
    _ellipse(draw, p["hand"], limb * 0.8, limb * 0.8, skin)


def _trunk(draw: ImageDraw.ImageDraw, p: dict[str, tuple[float, float]], h: float) -> None:
    """A tapered quadrilateral from the hips to the shoulders."""
    sx, sy = p["shoulder"]
    hx, hy = p["hip"]
    length = math.hypot(sx - hx, sy - hy) or 1.0
    nx, ny = -(sy - hy) / length, (sx - hx) / length  # normal to the trunk
    w_hip, w_sh = 0.07 * h, 0.085 * h
    corners = [
        (hx + nx * w_hip, hy + ny * w_hip),
        (sx + nx * w_sh, sy + ny * w_sh),
        (sx - nx * w_sh, sy - ny * w_sh),
        (hx - nx * w_hip, hy - ny * w_hip),
    ]
    _polygon(draw, corners, SHIRT)
    _ellipse(draw, p["shoulder"], w_sh, w_sh, SHIRT)
    _ellipse(draw, p["hip"], w_hip, w_hip, TROUSERS)


def render_frame(spec: VideoSpec, angle: float) -> Image.Image:
    """One frame: floor, far limbs, trunk and near leg, head, near arm (painter's order)."""
    width, height = spec.size
    h = spec.height_px
    f = 1.0 if spec.facing == "right" else -1.0
    image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), WALL)
    draw = ImageDraw.Draw(image)
    floor_y = height - 0.06 * height + 0.01 * h
    _polygon(draw, [(0, floor_y), (width, floor_y), (width, height), (0, height)], FLOOR)
    near = _frame_pose(spec, angle)
    shift = 0.012 * h  # the far side, a little behind and above
    far = {k: (x - f * shift, y - 0.3 * shift) for k, (x, y) in near.items()}
    limb = 0.032 * h
    far_colours = (SHIRT_FAR, TROUSERS_FAR, SKIN_FAR)
    near_colours = (SHIRT, TROUSERS, SKIN)
    _limbs(draw, far, limb, far_colours, legs=True)
    _limbs(draw, far, limb, far_colours, legs=False)
    _limbs(draw, near, limb, near_colours, legs=True)
    _trunk(draw, near, h)
    _head(draw, near, h)
    _limbs(draw, near, limb, near_colours, legs=False)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _to_i420(image: Image.Image) -> bytes:
    """RGB -> planar YUV 4:2:0 (BT.601 full range, the JPEG convention Y4M 'C420jpeg' names)."""
    ycbcr: NDArray[np.uint8] = np.asarray(image.convert("YCbCr"))
    y = ycbcr[:, :, 0]
    cb = ycbcr[:, :, 1].astype(np.float64)
    cr = ycbcr[:, :, 2].astype(np.float64)

    def down(c: NDArray[np.float64]) -> NDArray[np.uint8]:
        return np.round((c[0::2, 0::2] + c[1::2, 0::2] + c[0::2, 1::2] + c[1::2, 1::2]) / 4).astype(
            np.uint8
        )

    return y.tobytes() + down(cb).tobytes() + down(cr).tobytes()


def still_flags(angles: Sequence[float], fps: int, around_s: float = 0.5) -> list[bool]:
    """True where the angle does not change within ``around_s`` either side (a held pose)."""
    k = max(1, round(around_s * fps))
    n = len(angles)
    return [
        max(angles[max(0, i - k) : i + k + 1]) - min(angles[max(0, i - k) : i + k + 1]) < 1e-9
        for i in range(n)
    ]


def write_y4m(spec: VideoSpec, path: Path) -> Path:
    """The video as YUV4MPEG2 4:2:0, the format of Chromium's fake camera file."""
    width, height = spec.size
    still = still_flags(spec.angles_deg, spec.fps)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{spec.fps}:1 Ip A1:1 C420jpeg\n".encode())
        for angle, held in zip(spec.angles_deg, still, strict=True):
            frame = render_frame(spec, float(angle))
            if spec.marker:
                draw_marker(frame, marker_value(angle, held))
            out.write(b"FRAME\n")
            out.write(_to_i420(frame))
    return path


def held_repetition(
    peak_deg: float, fps: int, *, rest_s: float, move_s: float, hold_s: float
) -> list[float]:
    """One repetition with still poses: rest, a raised-cosine move up, a hold at the peak, the
    move back (the tracked angle per frame; the fake camera loops the video)."""
    n = round(move_s * fps)
    up = [peak_deg * 0.5 * (1 - math.cos(math.pi * i / n)) for i in range(n)]
    return (
        [0.0] * round(rest_s * fps)
        + up
        + [float(peak_deg)] * round(hold_s * fps)
        + [peak_deg - a for a in up]
    )
