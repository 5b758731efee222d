"""Calibration to the neutral posture and trunk angles relative to it (DESIGN §4).

Body axes: x to the wearer's right, y up the spine, z posterior. After calibration the
mean "up" vector of the neutral window maps to +y. The rotation used is the *minimal* one
(about an axis perpendicular to both vectors), which removes exactly a mounting tilt about
any axis in the body's x–z plane — the way a sensor sits on a curved upper back. A rotation
of the sensor about the spine itself (mounting yaw) is invisible to gravity and cannot be
removed; a few degrees of it mix a few percent of flexion into lateral bending.

Angles of the calibrated up vector ``u = (u_x, u_y, u_z)``:
    flexion_deg = atan2(u_z, u_y)            (forward flexion positive, extension negative)
    lateral_deg = atan2(-u_x, √(u_y² + u_z²))  (bending to the right positive)
so a pure forward flexion by θ gives ``u = (0, cos θ, sin θ)`` and flexion θ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class NeutralCalibration:
    """The neutral "up" direction in sensor axes and the rotation that makes it vertical."""

    neutral_up: tuple[float, float, float]

    @classmethod
    def from_up_vectors(cls, up: FloatArray, max_tilt_deg: float = 45.0) -> NeutralCalibration:
        """Average the up vectors of a neutral window (shape (n, 3))."""
        if up.shape[0] == 0:
            raise InvalidInput("calibrate", "no samples in the calibration window")
        mean = up.sum(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm < 1e-6 * up.shape[0]:
            raise InvalidInput("calibrate", "the calibration window has no consistent posture")
        cal = cls(tuple(float(v) for v in mean / norm))  # type: ignore[arg-type]
        if cal.mount_tilt_deg > max_tilt_deg:
            raise InvalidInput(
                "calibrate",
                f"the sensor is tilted {cal.mount_tilt_deg:.0f}° from vertical in the calibration "
                f"window (limit {max_tilt_deg:g}°): the wearer must be upright then "
                "(choose another window with --calibrate START:END)",
            )
        return cal

    @classmethod
    def from_accelerometer(
        cls, acc_g: FloatArray, max_tilt_deg: float = 45.0
    ) -> NeutralCalibration:
        """Calibrate on raw accelerometer samples (n, 3) of a still, upright moment — e.g.
        the seconds after the wearer pressed "calibrate" in the app."""
        norms = np.linalg.norm(acc_g, axis=1)
        if acc_g.shape[0] == 0 or not np.all(norms > 0.5):
            raise InvalidInput("calibrate", "need still accelerometer samples near 1 g")
        return cls.from_up_vectors(acc_g / norms[:, None], max_tilt_deg)

    @property
    def mount_tilt_deg(self) -> float:
        return math.degrees(math.acos(max(-1.0, min(1.0, self.neutral_up[1]))))

    @cached_property
    def rotation(self) -> FloatArray:
        """3×3 matrix R with R @ neutral_up = (0, 1, 0) (Rodrigues, minimal rotation)."""
        n = np.asarray(self.neutral_up)
        v = np.array([-n[2], 0.0, n[0]])  # n × e_y
        c = n[1]
        vx = np.array([[0.0, -v[2], v[1]], [v[2], 0.0, -v[0]], [-v[1], v[0], 0.0]])
        return np.eye(3) + vx + (vx @ vx) / (1.0 + c)

    def to_body(self, up: FloatArray) -> FloatArray:
        """Rotate sensor-frame up vectors (n, 3) into the calibrated body frame."""
        r = self.rotation
        out = np.empty_like(up)
        # Written out per component so the result does not depend on BLAS blocking.
        for i in range(3):
            out[:, i] = r[i, 0] * up[:, 0] + r[i, 1] * up[:, 1] + r[i, 2] * up[:, 2]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"neutral_up": list(self.neutral_up), "mount_tilt_deg": self.mount_tilt_deg}


def trunk_angles(up_body: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Sagittal flexion and lateral bending in degrees from calibrated up vectors (n, 3)."""
    ux, uy, uz = up_body[:, 0], up_body[:, 1], up_body[:, 2]
    flexion = np.degrees(np.arctan2(uz, uy))
    lateral = np.degrees(np.arctan2(-ux, np.sqrt(uy * uy + uz * uz)))
    return flexion, lateral
