"""Which library exercises the player coaches with the camera, their targets taken from the
library's demonstration, and the validation of what the browser sends."""

from __future__ import annotations

import math

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.motion.coaching import (
    coaching_for,
    figure_frame,
    library_links,
    parse_camera_entries,
    parse_camera_summary,
)
from spinewise.motion.keypoints import INDEX
from spinewise.rehab.library import default_library


def test_every_linked_exercise_is_in_the_library() -> None:
    links = library_links()
    assert set(links.values()) == {"trunk_flexion", "squat", "bridge"}
    library = {e.id for e in default_library()}
    assert set(links) <= library


def test_targets_are_the_ranges_the_demonstrations_show() -> None:
    # standing_flexion's demonstration bends the hip->shoulder line to (0.262, 0.083) from the
    # hip in body-height units (spinewise rehab pose standing_flexion --t 3): atan2(0.262,
    # 0.083) = 72.4 deg from the vertical.
    bend = coaching_for("standing_flexion")
    assert bend is not None and bend.definition.target_deg == 72
    # mini_squat's keyframe has knee_l = 70 deg of knee flexion.
    squat = coaching_for("mini_squat")
    assert squat is not None and squat.definition.target_deg == 70
    # glute_bridge lifts the hip to (0.267, 0.108) from the shoulder: atan(0.108/0.267) = 22.
    bridge = coaching_for("glute_bridge")
    assert bridge is not None and bridge.definition.target_deg == 22
    assert bridge.demonstration.agrees()  # within 20 % of the bridge's default 25 deg
    assert coaching_for("dead_bug") is None


def test_a_figure_pose_becomes_a_keypoints_frame_with_y_down() -> None:
    frame = figure_frame({"hip_l": (0.1, 0.5), "shoulder_l": (0.2, 0.8)})
    assert frame[INDEX["left_hip"]] == [0.1, -0.5, 1.0]
    assert frame[INDEX["left_shoulder"]] == [0.2, -0.8, 1.0]
    assert frame[INDEX["right_hip"]] is None


def _summary(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "exercise": "bridge",
        "angle": "bridge_lift",
        "target_deg": 22,
        "reps": 1,
        "repetitions": [
            {"start_s": 1, "end_s": 5, "peak_deg": 20.0, "rom_deg": 19.0, "hold_s": 1.5}
        ],
        "form_flags": [{"t_s": 3.0, "check": "hips_sagging", "rep": 1}],
        "tracked_s": 8,
        "frames_with_pose": 100,
    }
    raw.update(changes)
    return raw


def test_a_summary_is_parsed() -> None:
    summary = parse_camera_summary(_summary())
    assert summary.reps == 1 and summary.mean_rom_deg == 19.0
    assert summary.form_flags[0].check == "hips_sagging"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"keypoints": []}, "camera"),
        ({"exercise": "plank"}, "camera.exercise"),
        ({"angle": "knee_flexion"}, "camera.angle"),
        ({"reps": 2}, "camera.reps"),
        ({"target_deg": math.inf}, "camera.target_deg"),
        ({"tracked_s": -1}, "camera.tracked_s"),
        (
            {"form_flags": [{"t_s": 1, "check": "knees_past_toes", "rep": 1}]},
            "camera.form_flags[0].check",
        ),
        (
            {
                "repetitions": [
                    {"start_s": 5, "end_s": 1, "peak_deg": 20, "rom_deg": 19, "hold_s": 0}
                ]
            },
            "camera.repetitions[0]",
        ),
    ],
)
def test_a_bad_summary_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_camera_summary(_summary(**changes))
    assert caught.value.field == field


def test_entries_are_only_for_coached_exercises_with_their_own_definition() -> None:
    entries = parse_camera_entries(
        [
            {"exercise_id": "dead_bug", "status": "done"},
            {"exercise_id": "glute_bridge", "status": "done", "camera": _summary()},
            {"exercise_id": "standing_flexion", "status": "done", "camera": None},
        ]
    )
    assert [(e.position, e.exercise_id) for e in entries] == [(1, "glute_bridge")]
    with pytest.raises(InvalidInput):
        parse_camera_entries([{"exercise_id": "standing_flexion", "camera": _summary()}])
    with pytest.raises(InvalidInput):
        parse_camera_entries([{"exercise_id": "dead_bug", "camera": _summary()}])
