"""Calibration removes mounting tilt; angle definitions follow DESIGN §4."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.posture.angles import NeutralCalibration, trunk_angles


def rot_x(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_axis(axis: np.ndarray, deg: float) -> np.ndarray:
    """Rodrigues' formula for a rotation by ``deg`` about the unit vector ``axis``."""
    k = axis / np.linalg.norm(axis)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    a = math.radians(deg)
    return np.eye(3) + math.sin(a) * kx + (1 - math.cos(a)) * kx @ kx


def rot_z(deg: float) -> np.ndarray:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def test_pure_flexion_and_pure_lateral_bending_read_back_exactly() -> None:
    # Forward flexion θ tips "up" toward +z (posterior axis): u = (0, cos θ, sin θ).
    th = math.radians(35.0)
    flex, lat = trunk_angles(np.array([[0.0, math.cos(th), math.sin(th)]]))
    assert flex[0] == pytest.approx(35.0)
    assert lat[0] == pytest.approx(0.0)
    # Bending to the right by ψ: up moves toward −x: u = (−sin ψ, cos ψ, 0).
    ps = math.radians(12.0)
    flex, lat = trunk_angles(np.array([[-math.sin(ps), math.cos(ps), 0.0]]))
    assert flex[0] == pytest.approx(0.0)
    assert lat[0] == pytest.approx(12.0)


@pytest.mark.parametrize("tilt_axis", ["x", "z", "oblique"])
def test_calibration_removes_a_30_degree_mounting_tilt(tilt_axis: str) -> None:
    # Sensor mounted tilted by 30° (m maps body vectors into sensor axes).
    # Any tilt axis in the body's x–z plane (the way a sensor sits on a curved back).
    oblique = rot_axis(np.array([math.cos(0.7), 0.0, math.sin(0.7)]), 30.0)
    m = {"x": rot_x(30), "z": rot_z(30), "oblique": oblique}[tilt_axis]
    neutral_body = np.array([0.0, 1.0, 0.0])
    cal = NeutralCalibration.from_up_vectors((m @ neutral_body)[None, :])
    assert cal.mount_tilt_deg == pytest.approx(30.0, abs=1e-9)
    th = math.radians(40.0)
    flexed_body = np.array([0.0, math.cos(th), math.sin(th)])
    flex, lat = trunk_angles(cal.to_body((m @ flexed_body)[None, :]))
    assert flex[0] == pytest.approx(40.0, abs=1e-9)
    assert lat[0] == pytest.approx(0.0, abs=1e-9)


def test_a_sensor_far_from_upright_in_the_window_is_refused() -> None:
    up = np.array([[0.0, math.cos(math.radians(70)), math.sin(math.radians(70))]])
    with pytest.raises(InvalidInput, match="tilted 70°"):
        NeutralCalibration.from_up_vectors(up)


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no samples"):
        NeutralCalibration.from_up_vectors(np.empty((0, 3)))
