"""One recording, one exercise: angle → cleaning → repetitions → form checks.

This is the function behind ``spinewise motion analyze`` and the algorithm the session
player's JavaScript mirrors (same ``exercises.json``, same fixtures under
``tests/motion/fixtures``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.motion.angles import ANGLES
from spinewise.motion.checks import FormFlag, run_checks
from spinewise.motion.exercises import ExerciseDefinition
from spinewise.motion.keypoints import Recording
from spinewise.motion.reps import Repetition, detect_repetitions, rest_angle_deg
from spinewise.motion.smoothing import clean_series


@dataclass(frozen=True)
class Analysis:
    exercise: ExerciseDefinition
    rest_deg: float
    frames: int
    frames_with_pose: int
    angle_deg: NDArray[np.float64]  # the cleaned tracked angle, one value per frame
    repetitions: tuple[Repetition, ...]
    form_flags: tuple[FormFlag, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``motion analyze`` JSON contract (plus context keys)."""
        return {
            "reps": len(self.repetitions),
            "repetitions": [r.to_dict() for r in self.repetitions],
            "form_flags": [f.to_dict() for f in self.form_flags],
            "exercise": self.exercise.name,
            "angle": self.exercise.angle,
            "target_deg": self.exercise.target_deg,
            "rest_deg": round(self.rest_deg, 2),
            "frames": self.frames,
            "frames_with_pose": self.frames_with_pose,
        }


def analyze(recording: Recording, exercise: ExerciseDefinition) -> Analysis:
    """Count and describe the repetitions of ``exercise`` in ``recording``."""
    raw = ANGLES[exercise.angle](recording)
    angle = clean_series(raw, recording.fps)
    rest = rest_angle_deg(angle)
    reps = detect_repetitions(
        angle,
        recording.fps,
        exercise.target_deg,
        rest_deg=rest,
        count_fraction=exercise.count_fraction,
        return_fraction=exercise.return_fraction,
        boundary_fraction=exercise.boundary_fraction,
    )
    flags = run_checks(exercise, recording, reps)
    return Analysis(
        exercise=exercise,
        rest_deg=rest,
        frames=recording.n_frames,
        frames_with_pose=recording.frames_with_pose,
        angle_deg=angle,
        repetitions=tuple(reps),
        form_flags=tuple(flags),
    )
