"""The shipped exercise library, its load-time validation and search."""

import copy
import json

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.rehab.figure import support_gaps
from spinewise.rehab.library import CATEGORIES, EQUIPMENT, default_library, load_library

LIB = default_library()


# --- the shipped library --------------------------------------------------------------------


def test_the_library_has_at_least_40_exercises_in_every_category():
    assert len(LIB) >= 40
    per_category = {c: sum(1 for e in LIB if e.category == c) for c in CATEGORIES}
    assert all(n >= 3 for n in per_category.values()), per_category


def test_every_exercise_is_complete():
    for ex in LIB:
        assert len(ex.steps) >= 2, ex.id
        assert ex.purpose and ex.name
        assert 1 <= ex.difficulty <= 5
        assert set(ex.equipment) <= set(EQUIPMENT)
        assert ex.demonstration.duration_s > 0
        assert all(k.cue for k in ex.demonstration.keyframes)


def test_progressions_lead_somewhere_harder_or_equal():
    for ex in LIB:
        for other in ex.progressions:
            assert LIB.get(other).difficulty >= ex.difficulty
            assert ex.id in LIB.get(other).regressions


def test_every_keyframe_keeps_its_support_points_on_the_floor():
    for ex in LIB:
        demo = ex.demonstration
        if not demo.floor:
            continue
        for frame in demo.keyframes:
            gaps = support_gaps(frame.angles, demo.view, frame.support)
            assert max(gaps.values(), default=0.0) <= 0.02, (ex.id, frame.t_s, gaps)


def test_demonstrations_interpolate_between_keyframes():
    bridge = LIB.get("glute_bridge").demonstration
    start, lifted = bridge.keyframes[0], bridge.keyframes[1]
    halfway, cue = bridge.angles_at((start.t_s + lifted.t_s) / 2)
    # cosine easing at half time = half the change
    expected = (start.angles["trunk"] + lifted.angles["trunk"]) / 2
    assert halfway["trunk"] == pytest.approx(expected)
    assert cue == start.cue


def test_exercise_json_gives_renderers_full_angle_sets():
    data = LIB.get("bird_dog").to_dict()
    frame = data["demonstration"]["keyframes"][1]
    assert len(frame["angles"]) == 13
    assert data["demonstration"]["view"] == "sagittal"


# --- search ---------------------------------------------------------------------------------


def test_text_search_ranks_name_matches_first():
    results = LIB.search(text="bridge")
    assert results[0].id == "glute_bridge"  # easiest of the name matches
    assert {"single_leg_bridge", "bridge_march"} <= {e.id for e in results}


def test_all_words_must_match():
    assert LIB.search(text="bridge kettlebell") == []
    assert [e.id for e in LIB.search(text="femoral")] == ["side_lying_femoral_slider"]
    # "slider" is in the name of the first result and only in the text of the tensioner
    assert LIB.search(text="sitting nerve slider")[0].id == "seated_sciatic_slider"


def test_filters_combine():
    no_kit = LIB.search(equipment_available=[])
    assert no_kit and all(not e.equipment for e in no_kit)
    mat_only = LIB.search(equipment_available=["mat"])
    assert all(set(e.equipment) <= {"mat"} for e in mat_only)
    easy_core = LIB.search(category="core_stabilisation", max_difficulty=2)
    assert easy_core and all(e.difficulty <= 2 for e in easy_core)
    assert all(e.category == "core_stabilisation" for e in easy_core)
    standing = LIB.search(base_pose="standing", tags=["no-equipment"])
    assert standing and all(e.demonstration.base_pose == "standing" for e in standing)
    assert all("no-equipment" in e.tags for e in standing)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"category": "yoga"},
        {"equipment_available": ["treadmill"]},
        {"min_difficulty": 4, "max_difficulty": 2},
        {"base_pose": "handstand"},
    ],
)
def test_search_refuses_unknown_filters(kwargs):
    with pytest.raises(InvalidInput):
        LIB.search(**kwargs)


# --- validation of library files -----------------------------------------------------------------


def _exercise(ex_id, **changes):
    data = {
        "id": ex_id,
        "name": f"Exercise {ex_id}",
        "category": "mobility",
        "purpose": "A test exercise.",
        "steps": ["Stand up.", "Sit down."],
        "dosage": {
            "sets": 1,
            "reps": 5,
            "hold_s": None,
            "duration_min": None,
            "sessions_per_week": 3,
            "rest_s": 0,
            "per_side": False,
        },
        "progressions": [],
        "regressions": [],
        "cautions": [],
        "contraindications": [],
        "equipment": [],
        "difficulty": 2,
        "tags": ["test"],
        "demonstration": {
            "view": "sagittal",
            "base_pose": "standing",
            "anchor": "ankle_l",
            "floor": True,
            "easing": "cosine",
            "loop": True,
            "support": ["ankle_l", "toe_l", "ankle_r", "toe_r"],
            "keyframes": [
                {"t_s": 0, "angles": {}, "cue": "Stand tall."},
                {"t_s": 2, "angles": {"spine": 20}, "cue": "Bend a little."},
                {"t_s": 4, "angles": {"spine": 0}, "cue": "Back up."},
            ],
        },
    }
    data.update(changes)
    return data


def _write(tmp_path, exercises):
    (tmp_path / "mobility.json").write_text(
        json.dumps(
            {"format": "spinewise.exercises/1", "category": "mobility", "exercises": exercises}
        ),
        encoding="utf-8",
    )
    return tmp_path


def test_a_minimal_valid_library_loads(tmp_path):
    a = _exercise("a", progressions=["b"])
    b = _exercise("b", regressions=["a"], difficulty=3)
    library = load_library(_write(tmp_path, [a, b]))
    assert len(library) == 2
    # keyframes carry unchanged angles over from the previous one
    frames = library.get("a").demonstration.keyframes
    assert frames[1].angles["spine"] == 20 and frames[2].angles["spine"] == 0


def _keyframes(**frame_changes):
    data = _exercise("x")
    frames = copy.deepcopy(data["demonstration"]["keyframes"])
    for index, change in frame_changes.items():
        frames[int(index[1:])].update(change)
    return frames


@pytest.mark.parametrize(
    ("exercises", "message"),
    [
        ([_exercise("a"), _exercise("a")], "id used twice"),
        ([_exercise("a", progressions=["zzz"])], "unknown exercise 'zzz'"),
        ([_exercise("a", progressions=["b"]), _exercise("b")], "does not list it as a regression"),
        (
            [_exercise("a", progressions=["b"]), _exercise("b", regressions=["a"], difficulty=1)],
            "is easier",
        ),
        (
            [
                _exercise("a", progressions=["b"], regressions=["b"]),
                _exercise("b", progressions=["a"], regressions=["a"]),
            ],
            "cycle",
        ),
        ([_exercise("a", equipment=["treadmill"])], "unknown equipment"),
        ([_exercise("a", category="walking")], "says category 'walking'"),
        ([_exercise("a", difficulty=6)], "difficulty must be an integer 1–5"),
        ([_exercise("a", steps=["Only one step."])], "at least 2"),
        ([_exercise("a", tags=["Bad Tag"])], "tag 'Bad Tag'"),
        ([{**_exercise("a"), "colour": "red"}], "unknown field 'colour'"),
    ],
)
def test_library_errors_are_reported_at_load(tmp_path, exercises, message):
    with pytest.raises(InvalidInput, match=message):
        load_library(_write(tmp_path, exercises))


@pytest.mark.parametrize(
    ("demo_changes", "message"),
    [
        ({"keyframes": _keyframes(k1={"t_s": 0})}, "must be later than 0"),
        ({"keyframes": _keyframes(k0={"t_s": 1})}, "first keyframe must be at t_s = 0"),
        ({"keyframes": _keyframes(k1={"angles": {"spine": 95}})}, "spine = 95"),
        ({"keyframes": _keyframes(k1={"angles": {"tail": 5}})}, "unknown angle 'tail'"),
        ({"keyframes": _keyframes(k2={"angles": {}})}, "must end on its first pose"),
        # lifting the left leg while claiming the left foot is a support point
        ({"keyframes": _keyframes(k1={"angles": {"hip_l": 90, "knee_l": 90}})}, "above the floor"),
        ({"view": "top"}, "view must be one of"),
        ({"base_pose": "handstand"}, "base_pose must be one of"),
        ({"anchor": "nose"}, "anchor must be"),
        ({"keyframes": _keyframes(k1={"cue": ""})}, "cue must be non-empty"),
    ],
)
def test_demonstration_errors_are_reported_at_load(tmp_path, demo_changes, message):
    data = _exercise("a")
    data["demonstration"].update(demo_changes)
    with pytest.raises(InvalidInput, match=message):
        load_library(_write(tmp_path, [data]))


def test_dosage_needs_reps_hold_or_duration(tmp_path):
    data = _exercise("a")
    data["dosage"]["reps"] = None
    with pytest.raises(InvalidInput, match="give reps, hold_s or duration_min"):
        load_library(_write(tmp_path, [data]))
