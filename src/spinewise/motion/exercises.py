"""Exercise definitions as data: the angle tracked, the target range, the form checks.

The built-in definitions live in ``exercises.json`` next to this module, so the browser's
JavaScript mirror reads exactly the same file. A definition can also be built from a dict
(for a clinician-edited exercise) with :meth:`ExerciseDefinition.from_dict`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from spinewise.core.errors import InvalidInput
from spinewise.motion.angles import ANGLES
from spinewise.motion.keypoints import parse_recording

KNOWN_CHECKS = {
    "too_fast": {"min_duration_s"},
    "knees_past_toes": {"tolerance_shank"},
    "hips_sagging": {"max_sag_deg"},
}


@dataclass(frozen=True)
class CheckDefinition:
    check: str
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ExerciseDefinition:
    name: str
    label: str
    angle: str
    target_deg: float
    count_fraction: float = 0.5
    return_fraction: float = 0.25
    boundary_fraction: float = 0.1
    camera: str = "side"
    checks: tuple[CheckDefinition, ...] = ()

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> ExerciseDefinition:
        where = f"exercise {name}"
        angle = data.get("angle")
        if angle not in ANGLES:
            raise InvalidInput(where, f"unknown angle {angle!r}; known: {', '.join(ANGLES)}")
        target = data.get("target_deg")
        if not isinstance(target, int | float) or isinstance(target, bool) or target <= 0:
            raise InvalidInput(where, "target_deg must be a positive number")
        checks = []
        raw_checks = data.get("checks", [])
        if not isinstance(raw_checks, Sequence):
            raise InvalidInput(where, "checks must be a list")
        for raw in raw_checks:
            if not isinstance(raw, Mapping) or raw.get("check") not in KNOWN_CHECKS:
                raise InvalidInput(where, f"unknown check {raw!r}")
            params = {k: float(v) for k, v in raw.items() if k != "check"}
            missing = KNOWN_CHECKS[raw["check"]] - set(params)
            if missing:
                raise InvalidInput(where, f"check {raw['check']} needs {', '.join(missing)}")
            checks.append(CheckDefinition(check=raw["check"], params=params))
        return cls(
            name=name,
            label=str(data.get("label", name)),
            angle=str(angle),
            target_deg=float(target),
            count_fraction=float(data.get("count_fraction", 0.5)),
            return_fraction=float(data.get("return_fraction", 0.25)),
            boundary_fraction=float(data.get("boundary_fraction", 0.1)),
            camera=str(data.get("camera", "side")),
            checks=tuple(checks),
        )

    def with_target(self, target_deg: float | None) -> ExerciseDefinition:
        """The same exercise with a patient-specific target range (``None`` keeps it)."""
        if target_deg is None:
            return self
        if not target_deg > 0:
            raise InvalidInput("target", "must be a positive number of degrees")
        return replace(self, target_deg=float(target_deg))


@cache
def _builtin_json() -> dict[str, Any]:
    text = resources.files("spinewise.motion").joinpath("exercises.json").read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)
    return raw


@cache
def builtin_exercises() -> dict[str, ExerciseDefinition]:
    raw = _builtin_json()
    return {
        name: ExerciseDefinition.from_dict(name, data)
        for name, data in raw.items()
        if not name.startswith("_")
    }


def library_ids() -> dict[str, tuple[str, ...]]:
    """Definition name -> the rehab library exercises it coaches (``"library"`` in the JSON)."""
    return {
        name: tuple(data.get("library", ()))
        for name, data in _builtin_json().items()
        if not name.startswith("_")
    }


def get_exercise(name: str) -> ExerciseDefinition:
    exercises = builtin_exercises()
    if name not in exercises:
        raise InvalidInput("exercise", f"unknown {name!r}; choose one of {', '.join(exercises)}")
    return exercises[name]


@dataclass(frozen=True)
class DemonstrationComparison:
    """The range the demonstration shows against the exercise's target range."""

    demonstrated_range_deg: float
    target_deg: float

    @property
    def ratio(self) -> float:
        return self.demonstrated_range_deg / self.target_deg

    def agrees(self, tolerance: float = 0.2) -> bool:
        """The demonstration reaches the target range within ±``tolerance`` (20 %)."""
        return abs(self.ratio - 1.0) <= tolerance


def compare_with_demonstration(
    exercise: ExerciseDefinition, keyframes: Sequence[Any]
) -> DemonstrationComparison:
    """Measure the tracked angle on demonstration keyframes (33-point poses, as in a
    KEYPOINTS.json frame) and compare its range with the exercise's target."""
    recording = parse_recording({"fps": 1, "layout": "mediapipe-pose-33", "frames": keyframes})
    angle = ANGLES[exercise.angle](recording)
    seen = angle[~np.isnan(angle)]
    if seen.size < 2:
        raise InvalidInput("keyframes", "need at least two keyframes showing the tracked joints")
    return DemonstrationComparison(
        demonstrated_range_deg=float(seen.max() - seen.min()), target_deg=exercise.target_deg
    )
