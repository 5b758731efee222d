"""Form checks, one function per check named in an exercise definition.

Each check looks at one counted repetition and returns the time of the problem, or ``None``.
They are coaching cues from a 2-D side view, not clinical findings:

- ``too_fast``: the repetition (onset to return, see :mod:`spinewise.motion.reps`) took less
  than ``min_duration_s``; flagged at the repetition's start;
- ``knees_past_toes`` (squat): the knee travels in front of the toes (MediaPipe ``foot_index``)
  by more than ``tolerance_shank`` shank lengths (knee–ankle distance, so the check does not
  depend on the image scale) at the deepest point of the squat; the facing direction is taken
  from heel→toe. Restricting forward knee travel moves load to the hip and lower back (Fry,
  Smith & Schilling 2003, J Strength Cond Res 17(4):629–633), so this is a cue a clinician
  chooses per patient, not a rule; remove it from the definition where it does not apply;
- ``hips_sagging`` (bridge): at the top of the bridge (the frame of the highest lift) the hip
  lies more than ``max_sag_deg`` below the shoulder–knee line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from spinewise.motion.angles import hip_sag_deg
from spinewise.motion.exercises import CheckDefinition, ExerciseDefinition
from spinewise.motion.keypoints import Recording
from spinewise.motion.reps import Repetition
from spinewise.motion.smoothing import fill_gaps, moving_average

Series = NDArray[np.float64]


@dataclass(frozen=True)
class FormFlag:
    t_s: float
    check: str
    rep: int  # 1-based number of the repetition

    def to_dict(self) -> dict[str, float | str | int]:
        return {"t_s": round(self.t_s, 3), "check": self.check, "rep": self.rep}


def _smooth(values: Series, fps: float) -> Series:
    return moving_average(fill_gaps(values, fps), fps)


def _too_fast(rec: Recording, rep: Repetition, params: dict[str, float]) -> float | None:
    return rep.start_s if rep.duration_s < params["min_duration_s"] else None


def _knees_past_toes(rec: Recording, rep: Repetition, params: dict[str, float]) -> float | None:
    knee, ankle = rec.joint("knee"), rec.joint("ankle")
    toe, heel = rec.joint("foot_index"), rec.joint("heel")
    heel_to_toe = toe[:, 0] - heel[:, 0]
    heel_to_toe = heel_to_toe[~np.isnan(heel_to_toe)]
    facing = float(np.sign(np.median(heel_to_toe))) if heel_to_toe.size else 0.0
    if facing == 0.0:
        return None  # feet not seen: the check cannot be made
    shank = np.hypot(knee[:, 0] - ankle[:, 0], knee[:, 1] - ankle[:, 1])
    excess = _smooth(facing * (knee[:, 0] - toe[:, 0]) / shank, rec.fps)
    at_bottom = excess[min(rec.n_frames - 1, round(rep.peak_s * rec.fps))]
    if math.isnan(at_bottom):
        return None
    return rep.peak_s if at_bottom > params["tolerance_shank"] else None


def _hips_sagging(rec: Recording, rep: Repetition, params: dict[str, float]) -> float | None:
    sag = _smooth(hip_sag_deg(rec), rec.fps)
    at_top = sag[min(rec.n_frames - 1, round(rep.peak_s * rec.fps))]
    if math.isnan(at_top):
        return None
    return rep.peak_s if at_top > params["max_sag_deg"] else None


CHECKS: dict[str, Callable[[Recording, Repetition, dict[str, float]], float | None]] = {
    "too_fast": _too_fast,
    "knees_past_toes": _knees_past_toes,
    "hips_sagging": _hips_sagging,
}


def run_checks(
    exercise: ExerciseDefinition, recording: Recording, reps: list[Repetition]
) -> list[FormFlag]:
    """Every flag of every check of the exercise, ordered by time."""
    flags: list[FormFlag] = []
    for number, rep in enumerate(reps, start=1):
        for check in exercise.checks:
            t = _run(check, recording, rep)
            if t is not None:
                flags.append(FormFlag(t_s=t, check=check.check, rep=number))
    return sorted(flags, key=lambda f: (f.t_s, f.check))


def _run(check: CheckDefinition, recording: Recording, rep: Repetition) -> float | None:
    return CHECKS[check.check](recording, rep, check.params)
