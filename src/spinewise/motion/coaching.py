"""Camera coaching in the session player: which library exercises are coached, with what target,
and the summary the browser sends back.

Coached exercises
-----------------
An exercise definition (``exercises.json``) names the library exercises it coaches
(``"library"``). The target range for a library exercise is the range its demonstration shows:
the demonstration keyframes of the exercise library (``spinewise.rehab.figure``, angles in the
sagittal view) are turned into 33-landmark frames and measured with the definition's own angle
(:func:`spinewise.motion.exercises.compare_with_demonstration`), so the figure the patient
copies and the range the counter asks for are the same. The definition's ``target_deg`` stays
the default of ``spinewise motion analyze``.

What the browser sends
----------------------
Pose estimation runs in the patient's browser; the video and the keypoints stay there. The
session log carries only :class:`CameraSummary`: the exercise and target, the repetition
count, per repetition its times, peak and range (degrees), tempo and hold, and the form flags —
numbers the patient could also have typed. :func:`parse_camera_summary` validates it at the
boundary (the API schema mirrors it) and refuses anything else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.motion.exercises import (
    DemonstrationComparison,
    ExerciseDefinition,
    builtin_exercises,
    compare_with_demonstration,
    library_ids,
)
from spinewise.motion.keypoints import INDEX, LANDMARKS
from spinewise.rehab.figure import pose
from spinewise.rehab.library import default_library

MAX_REPETITIONS = 200
MAX_TRACKED_S = 3600.0

# Figure point (spinewise.rehab.figure, y up) -> MediaPipe landmarks it stands for.
_FIGURE_TO_LANDMARKS = {
    "head": ("nose", "left_ear", "right_ear"),
    "shoulder_l": ("left_shoulder",),
    "shoulder_r": ("right_shoulder",),
    "elbow_l": ("left_elbow",),
    "elbow_r": ("right_elbow",),
    "wrist_l": ("left_wrist",),
    "wrist_r": ("right_wrist",),
    "hip_l": ("left_hip",),
    "hip_r": ("right_hip",),
    "knee_l": ("left_knee",),
    "knee_r": ("right_knee",),
    "ankle_l": ("left_ankle",),
    "ankle_r": ("right_ankle",),
    "toe_l": ("left_foot_index",),
    "toe_r": ("right_foot_index",),
}


def figure_frame(points: Mapping[str, tuple[float, float]]) -> list[list[float] | None]:
    """One demonstration pose (figure points, body-height units, y up) as a KEYPOINTS frame."""
    frame: list[list[float] | None] = [None] * len(LANDMARKS)
    for name, landmarks in _FIGURE_TO_LANDMARKS.items():
        if name in points:
            x, y = points[name]
            for landmark in landmarks:
                frame[INDEX[landmark]] = [float(x), -float(y), 1.0]
    return frame


@dataclass(frozen=True)
class Coaching:
    """How the player coaches one library exercise with the camera."""

    library_id: str
    definition: ExerciseDefinition  # target_deg = the demonstrated range
    demonstration: DemonstrationComparison  # against the definition's default target

    def to_browser(self) -> dict[str, Any]:
        """The definition as the page's JavaScript reads it (an ``exercises.json`` entry)."""
        d = self.definition
        return {
            "name": d.name,
            "label": d.label,
            "camera": d.camera,
            "angle": d.angle,
            "target_deg": d.target_deg,
            "count_fraction": d.count_fraction,
            "return_fraction": d.return_fraction,
            "boundary_fraction": d.boundary_fraction,
            "checks": [{"check": c.check, **c.params} for c in d.checks],
        }


def library_links() -> dict[str, str]:
    """Library exercise id -> the name of the definition that coaches it."""
    return {lib: name for name, ids in library_ids().items() for lib in ids}


@cache
def coaching_for(library_id: str) -> Coaching | None:
    """The camera coaching of a library exercise, or ``None`` when it is not coached."""
    name = library_links().get(library_id)
    if name is None:
        return None
    definition = builtin_exercises()[name]
    demo = default_library().get(library_id).demonstration
    frames = []
    for keyframe in demo.keyframes:
        angles, _cue = demo.angles_at(keyframe.t_s)
        frames.append(figure_frame(pose(angles, demo.view, anchor=demo.anchor, floor=demo.floor)))
    comparison = compare_with_demonstration(definition, frames)
    target = round(comparison.demonstrated_range_deg)
    return Coaching(
        library_id=library_id,
        definition=definition.with_target(target),
        demonstration=comparison,
    )


# --- the summary the browser sends --------------------------------------------------------


@dataclass(frozen=True)
class RepetitionSummary:
    start_s: float
    end_s: float
    peak_deg: float
    rom_deg: float
    hold_s: float

    def to_dict(self) -> dict[str, float]:
        return {
            "start_s": self.start_s,
            "end_s": self.end_s,
            "peak_deg": self.peak_deg,
            "rom_deg": self.rom_deg,
            "hold_s": self.hold_s,
        }


@dataclass(frozen=True)
class FlagSummary:
    t_s: float
    check: str
    rep: int

    def to_dict(self) -> dict[str, float | str | int]:
        return {"t_s": self.t_s, "check": self.check, "rep": self.rep}


@dataclass(frozen=True)
class CameraSummary:
    """What a camera-coached exercise adds to the session log (derived numbers only)."""

    exercise: str  # a definition name (trunk_flexion, squat, bridge)
    angle: str
    target_deg: float
    reps: int
    repetitions: tuple[RepetitionSummary, ...]
    form_flags: tuple[FlagSummary, ...]
    tracked_s: float  # how long the camera tracked
    frames_with_pose: int

    @property
    def mean_rom_deg(self) -> float | None:
        if not self.repetitions:
            return None
        return sum(r.rom_deg for r in self.repetitions) / len(self.repetitions)


def _float(raw: Mapping[str, Any], key: str, where: str, lo: float, hi: float) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{where}.{key}", "must be a number")
    if not lo <= value <= hi:
        raise InvalidInput(f"{where}.{key}", f"must lie in [{lo:g}, {hi:g}]")
    return float(value)


def _int(raw: Mapping[str, Any], key: str, where: str, lo: int, hi: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidInput(f"{where}.{key}", f"must be a whole number in [{lo}, {hi}]")
    return value


SUMMARY_KEYS = {
    "exercise",
    "angle",
    "target_deg",
    "reps",
    "repetitions",
    "form_flags",
    "tracked_s",
    "frames_with_pose",
}


def parse_camera_summary(raw: Any, where: str = "camera") -> CameraSummary:
    """Validate what the browser sent; refuse unknown keys (no keypoints, no images)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput(where, "must be an object")
    unknown = set(raw) - SUMMARY_KEYS
    if unknown:
        raise InvalidInput(where, f"unexpected {', '.join(sorted(unknown))}")
    definitions = builtin_exercises()
    name = raw.get("exercise")
    if name not in definitions:
        raise InvalidInput(f"{where}.exercise", f"must be one of {', '.join(definitions)}")
    definition = definitions[name]
    if raw.get("angle") != definition.angle:
        raise InvalidInput(f"{where}.angle", f"must be {definition.angle}")
    reps_raw = raw.get("repetitions")
    flags_raw = raw.get("form_flags")
    if not isinstance(reps_raw, Sequence) or isinstance(reps_raw, str):
        raise InvalidInput(f"{where}.repetitions", "must be a list")
    if not isinstance(flags_raw, Sequence) or isinstance(flags_raw, str):
        raise InvalidInput(f"{where}.form_flags", "must be a list")
    if len(reps_raw) > MAX_REPETITIONS or len(flags_raw) > 4 * MAX_REPETITIONS:
        raise InvalidInput(where, f"at most {MAX_REPETITIONS} repetitions")
    reps = _int(raw, "reps", where, 0, MAX_REPETITIONS)
    if reps != len(reps_raw):
        raise InvalidInput(f"{where}.reps", "must equal the number of repetitions listed")
    tracked_s = _float(raw, "tracked_s", where, 0.0, MAX_TRACKED_S)
    repetitions = []
    for n, r in enumerate(reps_raw):
        at = f"{where}.repetitions[{n}]"
        if not isinstance(r, Mapping):
            raise InvalidInput(at, "must be an object")
        rep = RepetitionSummary(
            start_s=_float(r, "start_s", at, 0.0, MAX_TRACKED_S),
            end_s=_float(r, "end_s", at, 0.0, MAX_TRACKED_S),
            peak_deg=_float(r, "peak_deg", at, -180.0, 180.0),
            rom_deg=_float(r, "rom_deg", at, 0.0, 360.0),
            hold_s=_float(r, "hold_s", at, 0.0, MAX_TRACKED_S),
        )
        if rep.end_s < rep.start_s:
            raise InvalidInput(at, "ends before it starts")
        repetitions.append(rep)
    checks = {c.check for c in definition.checks}
    flags = []
    for n, f in enumerate(flags_raw):
        at = f"{where}.form_flags[{n}]"
        if not isinstance(f, Mapping):
            raise InvalidInput(at, "must be an object")
        if f.get("check") not in checks:
            raise InvalidInput(f"{at}.check", f"must be one of {', '.join(sorted(checks))}")
        flags.append(
            FlagSummary(
                t_s=_float(f, "t_s", at, 0.0, MAX_TRACKED_S),
                check=str(f["check"]),
                rep=_int(f, "rep", at, 1, max(1, reps)),
            )
        )
    return CameraSummary(
        exercise=str(name),
        angle=definition.angle,
        target_deg=_float(raw, "target_deg", where, 1.0, 180.0),
        reps=reps,
        repetitions=tuple(repetitions),
        form_flags=tuple(flags),
        tracked_s=tracked_s,
        frames_with_pose=_int(raw, "frames_with_pose", where, 0, 10**6),
    )


@dataclass(frozen=True)
class CameraEntry:
    """A camera summary attached to the exercise at ``position`` of a session log."""

    position: int
    exercise_id: str
    summary: CameraSummary


def parse_camera_entries(exercises: Sequence[Any]) -> list[CameraEntry]:
    """The ``camera`` summaries of a session's exercises, validated; only exercises the player
    coaches may carry one, with their own definition."""
    entries = []
    for n, raw in enumerate(exercises):
        if not isinstance(raw, Mapping) or raw.get("camera") is None:
            continue
        where = f"exercises[{n}].camera"
        summary = parse_camera_summary(raw["camera"], where)
        exercise_id = str(raw.get("exercise_id"))
        coaching = coaching_for(exercise_id)
        if coaching is None:
            raise InvalidInput(where, f"{exercise_id} is not coached with the camera")
        if coaching.definition.name != summary.exercise:
            raise InvalidInput(
                f"{where}.exercise", f"{exercise_id} is coached as {coaching.definition.name}"
            )
        entries.append(CameraEntry(position=n, exercise_id=exercise_id, summary=summary))
    return entries
