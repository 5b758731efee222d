"""Exercise definitions are data, validated when read."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.motion.exercises import (
    ExerciseDefinition,
    builtin_exercises,
    compare_with_demonstration,
    get_exercise,
)
from spinewise.motion.keypoints import recording_to_json
from spinewise.motion.synthetic import SyntheticRep, SyntheticSpec, generate


def test_the_three_exercises_of_the_issue_are_defined() -> None:
    exercises = builtin_exercises()
    assert set(exercises) == {"trunk_flexion", "bridge", "squat"}
    assert exercises["squat"].angle == "knee_flexion"
    assert {c.check for c in exercises["squat"].checks} == {"too_fast", "knees_past_toes"}
    assert {c.check for c in exercises["bridge"].checks} == {"too_fast", "hips_sagging"}
    for exercise in exercises.values():
        assert "too_fast" in {c.check for c in exercise.checks}
        assert exercise.count_fraction == 0.5  # "at least half the target range"


def test_the_definitions_file_is_plain_json_for_the_browser_mirror() -> None:
    text = resources.files("spinewise.motion").joinpath("exercises.json").read_text("utf-8")
    assert json.loads(text)["bridge"]["angle"] == "bridge_lift"


def test_a_target_can_be_set_per_patient() -> None:
    squat = get_exercise("squat")
    assert squat.with_target(60).target_deg == 60
    assert squat.with_target(None) is squat
    with pytest.raises(InvalidInput, match="target"):
        squat.with_target(-5)


def test_unknown_exercise_names_the_choices() -> None:
    with pytest.raises(InvalidInput, match="trunk_flexion"):
        get_exercise("plank")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"angle": "elbow", "target_deg": 30}, "unknown angle"),
        ({"angle": "knee_flexion", "target_deg": -1}, "target_deg"),
        ({"angle": "knee_flexion", "target_deg": 90, "checks": [{"check": "wobble"}]}, "check"),
        ({"angle": "knee_flexion", "target_deg": 90, "checks": [{"check": "too_fast"}]}, "needs"),
    ],
)
def test_bad_definitions_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ExerciseDefinition.from_dict("custom", data)


def test_demonstration_keyframes_are_compared_with_the_target() -> None:
    # Keyframes of a synthetic squat demonstration from 5 deg (standing) to 95 deg: range 90,
    # the squat's target.
    spec = SyntheticSpec(
        exercise="squat",
        reps=(SyntheticRep(95, duration_s=2.0),),
        rest_deg=5,
        fps=4.0,
        noise_px=0.0,
        dropped_fraction=0.0,
        unsure_fraction=0.0,
    )
    frames = recording_to_json(generate(spec).recording)["frames"]
    comparison = compare_with_demonstration(get_exercise("squat"), frames)
    assert comparison.demonstrated_range_deg == pytest.approx(90, abs=0.5)
    assert comparison.agrees()
    assert not compare_with_demonstration(get_exercise("squat").with_target(150), frames).agrees()
