"""2-D pose keypoints in the MediaPipe Pose 33-landmark layout.

A recording is ``{"fps": float, "layout": "mediapipe-pose-33", "frames": [frame, ...]}`` where
a frame is ``null`` (nothing detected) or 33 points ``[x, y, visibility]`` in image coordinates
(x to the right, y down, any scale); a single point may be ``null`` too. Landmark order follows
the MediaPipe Pose documentation (BlazePose GHUM 3D topology, Bazarevsky et al. 2020,
"BlazePose: On-device Real-time Body Pose tracking", arXiv:2006.10204).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput

LAYOUT = "mediapipe-pose-33"

LANDMARKS: tuple[str, ...] = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
INDEX = {name: i for i, name in enumerate(LANDMARKS)}

MIN_VISIBILITY = 0.5
"""A point counts as seen at visibility >= 0.5, the default threshold of MediaPipe's own
drawing utilities (``mediapipe.solutions.drawing_utils``)."""


@dataclass(frozen=True)
class Recording:
    """Keypoints as an array ``(frames, 33, 3)`` of x, y, visibility; NaN where missing."""

    fps: float
    points: NDArray[np.float64]

    @property
    def n_frames(self) -> int:
        return int(self.points.shape[0])

    @property
    def times_s(self) -> NDArray[np.float64]:
        return np.arange(self.n_frames, dtype=np.float64) / self.fps

    @property
    def frames_with_pose(self) -> int:
        return int(np.sum(~np.all(np.isnan(self.points[:, :, 0]), axis=1)))

    def joint(self, name: str, min_visibility: float = MIN_VISIBILITY) -> NDArray[np.float64]:
        """``(frames, 2)`` positions of a body joint seen from the camera.

        ``name`` is a landmark (``"left_knee"``) or a bilateral joint (``"knee"``): the
        midpoint of left and right when both are visible, the visible side when only one is,
        NaN when neither is.
        """
        if name in INDEX:
            return _visible(self.points[:, INDEX[name]], min_visibility)
        left = _visible(self.points[:, INDEX[f"left_{name}"]], min_visibility)
        right = _visible(self.points[:, INDEX[f"right_{name}"]], min_visibility)
        combined = np.where(np.isnan(left), right, left)
        both = ~np.isnan(left[:, 0]) & ~np.isnan(right[:, 0])
        combined[both] = (left[both] + right[both]) / 2
        return combined


def _visible(points: NDArray[np.float64], min_visibility: float) -> NDArray[np.float64]:
    xy = points[:, :2].copy()
    seen = points[:, 2] >= min_visibility  # NaN compares False
    xy[~seen] = np.nan
    return xy


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(where, "must be a finite number")
    return float(value)


def parse_recording(data: Any) -> Recording:
    """Validate a KEYPOINTS.json document; any problem is :class:`InvalidInput` naming it."""
    if not isinstance(data, Mapping):
        raise InvalidInput(None, "the keypoint file must be a JSON object")
    fps = _number(data.get("fps"), "fps") if "fps" in data else None
    if fps is None or fps <= 0 or fps > 1000:
        raise InvalidInput("fps", "must be a number of frames per second in (0, 1000]")
    if data.get("layout") != LAYOUT:
        raise InvalidInput("layout", f"must be '{LAYOUT}'")
    frames = data.get("frames")
    if not isinstance(frames, Sequence) or isinstance(frames, str):
        raise InvalidInput("frames", "must be a list of frames")
    points = np.full((len(frames), len(LANDMARKS), 3), np.nan)
    for f, frame in enumerate(frames):
        if frame is None:
            continue
        if not isinstance(frame, Sequence) or isinstance(frame, str):
            raise InvalidInput(f"frames[{f}]", "must be null or a list of 33 points")
        if len(frame) != len(LANDMARKS):
            raise InvalidInput(f"frames[{f}]", f"has {len(frame)} points, expected 33")
        for k, point in enumerate(frame):
            if point is None:
                continue
            where = f"frames[{f}][{k}]"
            if not isinstance(point, Sequence) or isinstance(point, str) or len(point) != 3:
                raise InvalidInput(where, "must be [x, y, visibility]")
            x, y, v = (_number(c, where) for c in point)
            if not 0.0 <= v <= 1.0:
                raise InvalidInput(where, "visibility must lie in [0, 1]")
            points[f, k] = (x, y, v)
    return Recording(fps=fps, points=points)


def recording_to_json(recording: Recording, decimals: int = 1) -> dict[str, Any]:
    """The KEYPOINTS.json document of a recording (coordinates rounded to ``decimals``)."""
    frames: list[Any] = []
    for frame in recording.points:
        if np.all(np.isnan(frame[:, 0])):
            frames.append(None)
            continue
        frames.append(
            [
                None
                if math.isnan(p[0])
                else [
                    round(float(p[0]), decimals),
                    round(float(p[1]), decimals),
                    round(float(p[2]), 2),
                ]
                for p in frame
            ]
        )
    return {"fps": recording.fps, "layout": LAYOUT, "frames": frames}
