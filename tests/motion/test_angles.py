"""Joint and segment angles on hand-placed points (image coordinates, y down)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.motion.angles import (
    bridge_lift_deg,
    hip_flexion_deg,
    hip_sag_deg,
    joint_angle_deg,
    knee_flexion_deg,
    shoulder_flexion_deg,
    trunk_flexion_deg,
)
from spinewise.motion.keypoints import INDEX, LANDMARKS, Recording


def _recording(**joints: tuple[float, float]) -> Recording:
    """One frame with both sides of each named joint at the same place, fully visible."""
    points = np.full((1, len(LANDMARKS), 3), np.nan)
    for joint, (x, y) in joints.items():
        for side in ("left", "right"):
            points[0, INDEX[f"{side}_{joint}"]] = (x, y, 1.0)
    return Recording(fps=30.0, points=points)


def test_upright_trunk_is_zero_and_bending_forward_45_is_45() -> None:
    assert trunk_flexion_deg(_recording(hip=(0, 0), shoulder=(0, -10)))[0] == pytest.approx(0)
    # shoulder 10 px forward and 10 px up from the hip: atan(10/10) = 45 deg
    assert trunk_flexion_deg(_recording(hip=(0, 0), shoulder=(10, -10)))[0] == pytest.approx(45)
    # facing the other way gives the same flexion
    assert trunk_flexion_deg(_recording(hip=(0, 0), shoulder=(-10, -10)))[0] == pytest.approx(45)


def test_knee_flexion_is_180_minus_the_hip_knee_ankle_angle() -> None:
    straight = _recording(hip=(0, 0), knee=(0, 10), ankle=(0, 20))
    assert knee_flexion_deg(straight)[0] == pytest.approx(0)
    # thigh straight down, shank straight back: interior angle 90, flexion 90
    bent = _recording(hip=(0, 0), knee=(0, 10), ankle=(-10, 10))
    assert knee_flexion_deg(bent)[0] == pytest.approx(90)
    # shank at 60 deg to the vertical: ankle = knee + 10 (-sin 60, cos 60); flexion 60
    ankle = (-10 * math.sin(math.radians(60)), 10 + 10 * math.cos(math.radians(60)))
    assert knee_flexion_deg(_recording(hip=(0, 0), knee=(0, 10), ankle=ankle))[0] == pytest.approx(
        60
    )


def test_hip_flexion_and_shoulder_flexion() -> None:
    # thigh forward horizontally from an upright trunk: hip flexion 90
    rec = _recording(shoulder=(0, -10), hip=(0, 0), knee=(10, 0), elbow=(10, -10))
    assert hip_flexion_deg(rec)[0] == pytest.approx(90)
    # arm forward horizontally (shoulder -> elbow) against the trunk down: 90 deg
    assert shoulder_flexion_deg(rec)[0] == pytest.approx(90)


def test_bridge_lift_is_the_shoulder_hip_line_above_horizontal() -> None:
    # hip sqrt(3) units along and 1 up from the shoulder: atan(1/sqrt 3) = 30 deg
    rec = _recording(shoulder=(0, 0), hip=(10 * math.sqrt(3), -10))
    assert bridge_lift_deg(rec)[0] == pytest.approx(30)
    flat = _recording(shoulder=(0, 0), hip=(-17, 0))
    assert bridge_lift_deg(flat)[0] == pytest.approx(0)


def test_hip_sag_is_positive_below_the_shoulder_knee_line() -> None:
    # shoulder (0,0), knee (20,-20): the line passes (10,-10). A hip at (10,0) lies below it
    # (larger image y): the shoulder-hip-knee angle is 90 (vectors (-10,0) and (10,-20)
    # make 116.57 deg), so the sag is 180 - 116.57 = 63.43 deg.
    below = _recording(shoulder=(0, 0), hip=(10, 0), knee=(20, -20))
    assert hip_sag_deg(below)[0] == pytest.approx(63.43, abs=0.01)
    above = _recording(shoulder=(0, 0), hip=(10, -20), knee=(20, -20))
    assert hip_sag_deg(above)[0] < 0
    in_line = _recording(shoulder=(0, 0), hip=(10, -10), knee=(20, -20))
    assert hip_sag_deg(in_line)[0] == pytest.approx(0, abs=1e-9)


def test_unseen_joints_give_nan() -> None:
    rec = _recording(hip=(0, 0))
    assert math.isnan(trunk_flexion_deg(rec)[0])


def test_joint_angle_is_symmetric_and_bounded() -> None:
    a, b, c = np.array([[1.0, 0.0]]), np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]])
    assert joint_angle_deg(a, b, c)[0] == pytest.approx(90)
    assert joint_angle_deg(c, b, a)[0] == pytest.approx(90)
