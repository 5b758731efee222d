"""Reading KEYPOINTS.json and combining left/right landmarks."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.motion.keypoints import INDEX, LANDMARKS, parse_recording, recording_to_json


def _frame(**points: tuple[float, float, float]) -> list[Any]:
    frame: list[Any] = [[0.0, 0.0, 0.0] for _ in LANDMARKS]
    for name, point in points.items():
        frame[INDEX[name]] = list(point)
    return frame


def _doc(frames: list[Any], fps: float = 30.0) -> dict[str, Any]:
    return {"fps": fps, "layout": "mediapipe-pose-33", "frames": frames}


def test_the_layout_is_mediapipe_pose_33() -> None:
    assert len(LANDMARKS) == 33
    assert LANDMARKS[0] == "nose"
    assert INDEX["left_shoulder"] == 11 and INDEX["right_hip"] == 24
    assert INDEX["left_foot_index"] == 31 and INDEX["right_foot_index"] == 32


def test_both_sides_visible_gives_their_midpoint() -> None:
    rec = parse_recording(_doc([_frame(left_knee=(100, 200, 0.9), right_knee=(110, 210, 0.8))]))
    assert rec.joint("knee")[0].tolist() == [105.0, 205.0]


def test_one_side_visible_gives_that_side() -> None:
    rec = parse_recording(_doc([_frame(left_knee=(100, 200, 0.9), right_knee=(300, 400, 0.2))]))
    assert rec.joint("knee")[0].tolist() == [100.0, 200.0]


def test_neither_side_visible_gives_nan() -> None:
    rec = parse_recording(_doc([_frame(left_knee=(100, 200, 0.4), right_knee=(1, 2, 0.1))]))
    assert np.isnan(rec.joint("knee")[0]).all()


def test_null_frames_and_null_points_are_missing_but_keep_time() -> None:
    frame = _frame(left_hip=(5, 6, 1.0))
    frame[INDEX["right_hip"]] = None
    rec = parse_recording(_doc([None, frame, None], fps=10))
    assert rec.n_frames == 3 and rec.frames_with_pose == 1
    assert rec.times_s.tolist() == [0.0, 0.1, 0.2]
    assert rec.joint("hip")[1].tolist() == [5.0, 6.0]
    assert np.isnan(rec.joint("hip")[0]).all()


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], None),
        ({"layout": "mediapipe-pose-33", "frames": []}, "fps"),
        ({"fps": 0, "layout": "mediapipe-pose-33", "frames": []}, "fps"),
        ({"fps": 30, "layout": "coco-17", "frames": []}, "layout"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": {}}, "frames"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": [[[1, 2, 1]] * 32]}, "frames[0]"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": [[[1, 2]] * 33]}, "frames[0][0]"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": [[[1, 2, 3]] * 33]}, "visibility"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": [[[1, "a", 1]] * 33]}, "frames[0]"),
        ({"fps": 30, "layout": "mediapipe-pose-33", "frames": ["x"]}, "frames[0]"),
    ],
)
def test_malformed_documents_are_refused_naming_the_place(doc: Any, field: str | None) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_recording(doc)
    if field:
        assert field in str(info.value)


def test_round_trip_through_json() -> None:
    doc = _doc([None, _frame(nose=(1.25, 2.5, 0.75))])
    again = parse_recording(recording_to_json(parse_recording(doc)))
    assert again.frames_with_pose == 1
    x, y, visibility = again.points[1, 0]
    assert math.isclose(x, 1.25, abs_tol=0.051) and (y, visibility) == (2.5, 0.75)  # 0.1 px
