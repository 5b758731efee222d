"""Joint and segment angles from 2-D keypoints (degrees, one value per frame, NaN if unseen).

All angles are planar, measured in the image: they assume a camera roughly perpendicular to
the plane of the movement (a side view for flexion, squat and bridge) and level (image
vertical = gravity). Out of that plane a 2-D angle under-reads; the results are estimates
from a camera, not goniometry.

Every tracked angle grows as the patient moves away from the rest position, so repetition
detection needs no sign convention per exercise:

- ``trunk_flexion``: the hip→shoulder line against the image vertical, 0 upright;
- ``hip_flexion``: 180 − the shoulder–hip–knee angle, 0 with trunk and thigh in line;
- ``knee_flexion``: 180 − the hip–knee–ankle angle, 0 with the leg straight;
- ``shoulder_flexion``: the angle between the trunk (shoulder→hip) and the upper arm
  (shoulder→elbow), 0 with the arm along the body;
- ``bridge_lift``: the shoulder→hip line above the image horizontal, 0 lying flat;
- ``hip_sag`` (a check, not tracked): how far the hip lies below the shoulder–knee line,
  as 180 − the shoulder–hip–knee angle, positive when the hip is on the floor side of the
  line (image y down), negative when it is above the line.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from spinewise.motion.keypoints import Recording

Series = NDArray[np.float64]


def segment_angle_from_vertical_deg(lower: Series, upper: Series) -> Series:
    """Unsigned angle (0–180) between lower→upper and the image's upward vertical."""
    dx = upper[:, 0] - lower[:, 0]
    up = lower[:, 1] - upper[:, 1]  # image y grows downwards
    return np.degrees(np.arctan2(np.abs(dx), up))


def segment_angle_above_horizontal_deg(start: Series, end: Series) -> Series:
    """Signed angle (−90–90) of start→end above the image horizontal, whichever way it points."""
    dx = np.abs(end[:, 0] - start[:, 0])
    rise = start[:, 1] - end[:, 1]
    return np.degrees(np.arctan2(rise, dx))


def joint_angle_deg(a: Series, vertex: Series, c: Series) -> Series:
    """Interior angle a–vertex–c in degrees (0–180), 180 when the three points are in line."""
    u = a - vertex
    v = c - vertex
    cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    dot = np.sum(u * v, axis=1)
    return np.degrees(np.abs(np.arctan2(cross, dot)))


def trunk_flexion_deg(rec: Recording) -> Series:
    return segment_angle_from_vertical_deg(rec.joint("hip"), rec.joint("shoulder"))


def hip_flexion_deg(rec: Recording) -> Series:
    return 180.0 - joint_angle_deg(rec.joint("shoulder"), rec.joint("hip"), rec.joint("knee"))


def knee_flexion_deg(rec: Recording) -> Series:
    return 180.0 - joint_angle_deg(rec.joint("hip"), rec.joint("knee"), rec.joint("ankle"))


def shoulder_flexion_deg(rec: Recording) -> Series:
    return joint_angle_deg(rec.joint("hip"), rec.joint("shoulder"), rec.joint("elbow"))


def bridge_lift_deg(rec: Recording) -> Series:
    return segment_angle_above_horizontal_deg(rec.joint("shoulder"), rec.joint("hip"))


def hip_sag_deg(rec: Recording) -> Series:
    shoulder, hip, knee = rec.joint("shoulder"), rec.joint("hip"), rec.joint("knee")
    bend = 180.0 - joint_angle_deg(shoulder, hip, knee)
    # Which side of the shoulder->knee line the hip is on: below (towards larger image y)
    # is sagging. The line's y at the hip's x, by linear interpolation along the line.
    dx = knee[:, 0] - shoulder[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (hip[:, 0] - shoulder[:, 0]) / dx
    line_y = shoulder[:, 1] + t * (knee[:, 1] - shoulder[:, 1])
    below = hip[:, 1] > line_y
    return np.where(below, bend, -bend)


ANGLES: dict[str, Callable[[Recording], Series]] = {
    "trunk_flexion": trunk_flexion_deg,
    "hip_flexion": hip_flexion_deg,
    "knee_flexion": knee_flexion_deg,
    "shoulder_flexion": shoulder_flexion_deg,
    "bridge_lift": bridge_lift_deg,
    "hip_sag": hip_sag_deg,
}
"""Angle name -> function of a recording, for exercise definitions written as data."""
