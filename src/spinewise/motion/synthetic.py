"""Synthetic keypoint recordings: a 2-D stick figure doing an exercise with known repetitions.

SYNTHETIC: these recordings are generated, not tracked from a person. They exist so that
repetition counting, angles and form checks can be tested against a known truth (and so the
page's JavaScript mirror can be tested on the same files); they are not evidence of how the
method performs on real patients.

The figure
----------
Segment lengths are fractions of body height H after Winter (2009), *Biomechanics and Motor
Control of Human Movement*, 4th ed., Fig. 4.1 (from Drillis & Contini 1966): trunk
(greater trochanter to acromion) 0.288 H, thigh 0.245 H, shank 0.246 H, ankle height
0.039 H, upper arm 0.186 H, forearm 0.146 H, foot 0.152 H. The figure is seen from the side,
facing right or left; the near side's joints are the pose, the far side's are the same points
shifted by 0.8 % of H (parallax) and partly occluded: its visibility is drawn once per frame
between 0.3 and 0.8, so in some frames the joints are midpoints of both sides, in others the
near side alone.

The movement
------------
The tracked angle follows, for each repetition, a half raised-cosine from rest to the peak
over ``duration_s / 2``, an optional hold at the peak, and the mirror half back, then
``rest_after_s`` at rest. The figure's pose is a function of that angle:

- ``trunk_flexion``: legs straight, the trunk rotates about the hip by the angle;
- ``squat``: knee flexion φ = the angle; the shank leans forward by 0.3 φ (0.55 φ for a
  ``knees_forward`` fault), the thigh back by the rest, the trunk forward by 0.6 of the
  thigh's lean; arms raised forward;
- ``bridge``: lying on the back, shoulders and feet on the floor; the shoulder→hip line
  rises by the angle (the tracked ``bridge_lift``); the knee follows from the thigh and
  shank lengths (two-link inverse kinematics). The feet are placed where shoulders, hips and
  knees line up at 27.5° of lift (sin 27.5° = shank / (trunk + thigh)), so a bridge that stops
  lower leaves the hips below the shoulder–knee line: that is the ``hips_sagging`` cue.

Imperfections, all seeded: Gaussian noise on every coordinate, frames dropped at random and in
bursts (``null`` frames), points replaced by a random position with low visibility (the
tracker's unsure guesses), and optional confident outliers (one joint thrown off with high
visibility), which only the outlier filter can catch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.motion.keypoints import INDEX, LANDMARKS, LAYOUT, Recording, recording_to_json

# Winter (2009) Fig. 4.1 segment lengths as fractions of height.
TRUNK, THIGH, SHANK, ANKLE_HEIGHT = 0.288, 0.245, 0.246, 0.039
UPPER_ARM, FOREARM = 0.186, 0.146
HEEL_BEHIND_ANKLE, TOE_AHEAD_OF_ANKLE = 0.045, 0.11
FAR_SIDE_OFFSET = 0.008
BRIDGE_STRAIGHT_LIFT_DEG = math.degrees(math.asin(SHANK / (TRUNK + THIGH)))

Exercise = Literal["trunk_flexion", "squat", "bridge"]
Vec = tuple[float, float]


@dataclass(frozen=True)
class SyntheticRep:
    peak_deg: float
    duration_s: float = 3.5  # up and down, without the hold
    hold_s: float = 0.0
    rest_after_s: float = 1.0
    fault: Literal["knees_forward"] | None = None


@dataclass(frozen=True)
class SyntheticSpec:
    exercise: Exercise
    reps: tuple[SyntheticRep, ...]
    rest_deg: float = 0.0
    fps: float = 30.0
    lead_in_s: float = 1.5
    height_px: float = 380.0
    image_size: tuple[int, int] = (640, 480)  # width, height
    facing: Literal["left", "right"] = "right"
    noise_px: float = 1.0
    dropped_fraction: float = 0.03
    dropped_bursts: tuple[tuple[float, float], ...] = ()  # (start_s, duration_s)
    unsure_fraction: float = 0.02
    outlier_fraction: float = 0.0
    end_at_s: float | None = None  # cut the recording here (a repetition may be unfinished)
    seed: int = 0


@dataclass(frozen=True)
class RepTruth:
    start_s: float
    peak_s: float
    end_s: float
    peak_deg: float
    excursion_deg: float
    fault: str | None
    movement_s: float  # up + hold + down
    hold_s: float = 0.0
    finished: bool = True  # False when the recording stops before the return

    def counted(self, target_deg: float, count_fraction: float = 0.5) -> bool:
        return self.finished and self.excursion_deg >= count_fraction * target_deg

    def onset_to_return_s(self, level_deg: float) -> float:
        """Time the excursion spends above ``level_deg``: the raised cosine of amplitude A
        over half-time h reaches the level after h·acos(1 − 2·level/A)/π on each side."""
        half = (self.movement_s - self.hold_s) / 2
        ratio = min(1.0, level_deg / self.excursion_deg)
        return self.movement_s - 2 * half * math.acos(1 - 2 * ratio) / math.pi


@dataclass(frozen=True)
class SyntheticRecording:
    spec: SyntheticSpec
    recording: Recording
    truth: tuple[RepTruth, ...]
    angle_deg: NDArray[np.float64]  # the true tracked angle per frame
    document: dict[str, Any] = field(repr=False)

    def expected(
        self,
        target_deg: float,
        *,
        min_duration_s: float = 2.0,
        tolerance_shank: float = 0.1,
        max_sag_deg: float = 15.0,
        boundary_fraction: float = 0.1,
    ) -> dict[str, Any]:
        """What an analysis with ``target_deg`` must find: counted reps, their peaks, flags.

        Flags follow from the construction, with the definitions of the checks
        (:mod:`spinewise.motion.checks`): ``too_fast`` when the time from onset to return (at
        ``boundary_fraction`` of the target) is under ``min_duration_s``;
        ``knees_past_toes`` when the figure's knee at the deepest point is more than
        ``tolerance_shank`` shank lengths in front of its toes; ``hips_sagging`` when its hip
        at the top lies more than ``max_sag_deg`` below its shoulder–knee line.
        """
        counted = [r for r in self.truth if r.counted(target_deg)]
        flags: list[dict[str, Any]] = []
        for number, rep in enumerate(counted, start=1):
            if rep.onset_to_return_s(boundary_fraction * target_deg) < min_duration_s:
                flags.append({"rep": number, "check": "too_fast"})
            exercise = self.spec.exercise
            if exercise == "squat" and knee_excess_shank(rep.peak_deg, rep.fault) > tolerance_shank:
                flags.append({"rep": number, "check": "knees_past_toes"})
            if exercise == "bridge" and bridge_sag_deg(rep.peak_deg) > max_sag_deg:
                flags.append({"rep": number, "check": "hips_sagging"})
        return {
            "reps": len(counted),
            "peaks_deg": [round(r.peak_deg, 2) for r in counted],
            "peak_times_s": [round(r.peak_s, 3) for r in counted],
            "rep_windows_s": [[round(r.start_s, 3), round(r.end_s, 3)] for r in counted],
            "form_flags": flags,
        }


def _timeline(spec: SyntheticSpec) -> tuple[NDArray[np.float64], list[RepTruth], list[str | None]]:
    """True tracked angle per frame, the repetitions' truth, and each frame's fault."""
    segments: list[tuple[float, float, float, float, str | None]] = []
    t = spec.lead_in_s
    truths = []
    for rep in spec.reps:
        if rep.duration_s <= 0 or rep.hold_s < 0 or rep.rest_after_s < 0:
            raise InvalidInput("reps", "durations must be positive")
        half = rep.duration_s / 2
        segments.append((t, half, rep.hold_s, rep.peak_deg, rep.fault))
        end = t + rep.duration_s + rep.hold_s
        truths.append(
            RepTruth(
                start_s=t,
                peak_s=t + half + rep.hold_s / 2,
                end_s=end,
                peak_deg=rep.peak_deg,
                excursion_deg=rep.peak_deg - spec.rest_deg,
                fault=rep.fault,
                movement_s=rep.duration_s + rep.hold_s,
                hold_s=rep.hold_s,
            )
        )
        t = end + rep.rest_after_s
    if spec.end_at_s is not None:
        t = min(t, spec.end_at_s)
        truths = [r if r.end_s <= t else replace(r, finished=False) for r in truths]
    n = round(t * spec.fps) + 1
    times = np.arange(n) / spec.fps
    angle = np.full(n, spec.rest_deg, dtype=np.float64)
    faults: list[str | None] = [None] * n
    for start, half, hold, peak, fault in segments:
        rise = (times >= start) & (times < start + half)
        top = (times >= start + half) & (times < start + half + hold)
        fall = (times >= start + half + hold) & (times < start + 2 * half + hold)
        amplitude = peak - spec.rest_deg
        angle[rise] = spec.rest_deg + amplitude * 0.5 * (
            1 - np.cos(np.pi * (times[rise] - start) / half)
        )
        angle[top] = peak
        tf = times[fall] - (start + half + hold)
        angle[fall] = spec.rest_deg + amplitude * 0.5 * (1 + np.cos(np.pi * tf / half))
        for i in np.nonzero(rise | top | fall)[0]:
            faults[i] = fault
    return angle, truths, faults


def _two_link_knee(hip: Vec, ankle: Vec, upper: bool = True) -> Vec:
    """Knee position from the hip and ankle (thigh and shank lengths), the upper solution."""
    dx, dy = ankle[0] - hip[0], ankle[1] - hip[1]
    d = min(math.hypot(dx, dy), THIGH + SHANK - 1e-9)
    a = (THIGH**2 - SHANK**2 + d * d) / (2 * d)
    h = math.sqrt(max(THIGH**2 - a * a, 0.0))
    ux, uy = dx / d, dy / d
    base = (hip[0] + a * ux, hip[1] + a * uy)
    candidates = [(base[0] - h * uy, base[1] + h * ux), (base[0] + h * uy, base[1] - h * ux)]
    return max(candidates, key=lambda p: p[1]) if upper else min(candidates, key=lambda p: p[1])


def _pose(exercise: Exercise, angle_deg: float, fault: str | None, f: float) -> dict[str, Vec]:
    """Joint positions in body-height units, x forwards (times f), y up from the floor."""
    a = math.radians(angle_deg)
    if exercise == "trunk_flexion":
        ankle = (0.0, ANKLE_HEIGHT)
        knee = (0.0, ANKLE_HEIGHT + SHANK)
        hip = (0.0, ANKLE_HEIGHT + SHANK + THIGH)
        lean = a
        trunk_dir = (f * math.sin(lean), math.cos(lean))
        shoulder = (hip[0] + TRUNK * trunk_dir[0], hip[1] + TRUNK * trunk_dir[1])
        elbow = (shoulder[0], shoulder[1] - UPPER_ARM)
        wrist = (elbow[0], elbow[1] - FOREARM)
    elif exercise == "squat":
        shank_lean = (0.55 if fault == "knees_forward" else 0.3) * a
        thigh_lean = a - shank_lean
        ankle = (0.0, ANKLE_HEIGHT)
        knee = (
            ankle[0] + f * SHANK * math.sin(shank_lean),
            ankle[1] + SHANK * math.cos(shank_lean),
        )
        hip = (knee[0] - f * THIGH * math.sin(thigh_lean), knee[1] + THIGH * math.cos(thigh_lean))
        lean = 0.6 * thigh_lean
        trunk_dir = (f * math.sin(lean), math.cos(lean))
        shoulder = (hip[0] + TRUNK * trunk_dir[0], hip[1] + TRUNK * trunk_dir[1])
        raise_arm = min(math.radians(90), a)
        arm = (f * math.sin(raise_arm), -math.cos(raise_arm))
        elbow = (shoulder[0] + UPPER_ARM * arm[0], shoulder[1] + UPPER_ARM * arm[1])
        wrist = (elbow[0] + FOREARM * arm[0], elbow[1] + FOREARM * arm[1])
    else:  # bridge: lying on the back, head behind, feet in front
        floor = 0.08
        shoulder = (0.0, floor)
        hip = (f * TRUNK * math.cos(a), floor + TRUNK * math.sin(a))
        reach = (TRUNK + THIGH) * math.cos(math.radians(BRIDGE_STRAIGHT_LIFT_DEG))
        ankle = (f * reach, floor)
        knee = _two_link_knee(hip, ankle)
        elbow = (f * UPPER_ARM, floor - 0.02)
        wrist = (f * (UPPER_ARM + FOREARM), floor - 0.02)
    if exercise == "bridge":
        head = (shoulder[0] - f * 0.12, shoulder[1] + 0.01)
        face_dir = (0.0, 1.0)  # face up
        heel = (ankle[0] - f * HEEL_BEHIND_ANKLE, 0.03)
        toe = (ankle[0] + f * TOE_AHEAD_OF_ANKLE, 0.02)
    else:
        head = (shoulder[0] + 0.12 * trunk_dir[0], shoulder[1] + 0.12 * trunk_dir[1])
        face_dir = (f * math.cos(lean), -math.sin(lean))  # forwards, across the trunk
        heel = (ankle[0] - f * HEEL_BEHIND_ANKLE, 0.01)
        toe = (ankle[0] + f * TOE_AHEAD_OF_ANKLE, 0.0)
    nose = (head[0] + 0.03 * face_dir[0], head[1] + 0.03 * face_dir[1])
    return {
        "nose": nose,
        "eye": (nose[0] - 0.01 * face_dir[0], nose[1] - 0.01 * face_dir[1] + 0.012),
        "ear": head,
        "mouth": (nose[0] - 0.005 * face_dir[0], nose[1] - 0.02),
        "shoulder": shoulder,
        "elbow": elbow,
        "wrist": wrist,
        "hand": (wrist[0] + 0.3 * (wrist[0] - elbow[0]), wrist[1] + 0.3 * (wrist[1] - elbow[1])),
        "hip": hip,
        "knee": knee,
        "ankle": ankle,
        "heel": heel,
        "foot_index": toe,
    }


def knee_excess_shank(knee_flexion_deg: float, fault: str | None = None) -> float:
    """How far the squatting figure's knee is in front of its toes, in shank lengths."""
    pose = _pose("squat", knee_flexion_deg, fault, 1.0)
    return (pose["knee"][0] - pose["foot_index"][0]) / SHANK


def bridge_sag_deg(lift_deg: float) -> float:
    """How far the figure's hip lies below its shoulder–knee line at a bridge lift (degrees):
    180 − the shoulder–hip–knee angle, negative above the line."""
    pose = _pose("bridge", lift_deg, None, 1.0)
    (sx, sy), (hx, hy), (kx, ky) = pose["shoulder"], pose["hip"], pose["knee"]
    u, v = (sx - hx, sy - hy), (kx - hx, ky - hy)
    interior = math.degrees(abs(math.atan2(u[0] * v[1] - u[1] * v[0], u[0] * v[0] + u[1] * v[1])))
    line_y = sy + (hx - sx) / (kx - sx) * (ky - sy)
    return 180.0 - interior if hy < line_y else interior - 180.0


def _landmark_source(name: str) -> tuple[str, str | None]:
    """Body point behind a MediaPipe landmark and its side (None for the nose)."""
    if name == "nose":
        return "nose", None
    if name.startswith("mouth_"):
        return "mouth", name.removeprefix("mouth_")
    side, _, part = name.partition("_")
    part = {
        "eye_inner": "eye",
        "eye_outer": "eye",
        "pinky": "hand",
        "index": "hand",
        "thumb": "hand",
    }.get(part, part)
    return part, side


def generate(spec: SyntheticSpec) -> SyntheticRecording:
    """Render the figure frame by frame and add the tracker's imperfections."""
    f = 1.0 if spec.facing == "right" else -1.0
    near = "left" if spec.facing == "right" else "right"
    rng = np.random.default_rng(spec.seed)
    angle, truths, faults = _timeline(spec)
    n = angle.size
    width, height = spec.image_size
    scale = spec.height_px
    origin_x = width / 2 - (f * 0.25 * scale if spec.exercise == "bridge" else 0.0)
    floor_y = height - 0.06 * height
    points = np.full((n, len(LANDMARKS), 3), np.nan)
    sources = [_landmark_source(name) for name in LANDMARKS]
    for i in range(n):
        pose = _pose(spec.exercise, float(angle[i]), faults[i], f)
        # The far side is hidden or seen as a whole in a frame (it turns with the body).
        far_visibility = rng.uniform(0.3, 0.8)
        for k, (part, side) in enumerate(sources):
            x, y = pose[part]
            if side is not None and side != near:
                x, y = x - f * FAR_SIDE_OFFSET, y + FAR_SIDE_OFFSET
                visibility = far_visibility
            else:
                visibility = rng.uniform(0.85, 0.99)
            points[i, k] = (origin_x + x * scale, floor_y - y * scale, visibility)
    points[:, :, :2] += rng.normal(0.0, spec.noise_px, (n, len(LANDMARKS), 2))

    unsure = rng.random((n, len(LANDMARKS))) < spec.unsure_fraction
    points[unsure, 0] = rng.uniform(0, width, int(unsure.sum()))
    points[unsure, 1] = rng.uniform(0, height, int(unsure.sum()))
    points[unsure, 2] = rng.uniform(0.0, 0.3, int(unsure.sum()))

    if spec.outlier_fraction > 0:
        joints = [INDEX[f"{near}_{p}"] for p in ("shoulder", "hip", "knee", "ankle")]
        for frame in np.nonzero(rng.random(n) < spec.outlier_fraction)[0]:
            k = int(rng.choice(joints))
            points[frame, k, 0] += rng.choice([-1.0, 1.0]) * 0.15 * scale
            points[frame, k, 1] += rng.choice([-1.0, 1.0]) * 0.15 * scale
            points[frame, k, 2] = 0.9

    dropped = rng.random(n) < spec.dropped_fraction
    times = np.arange(n) / spec.fps
    for start, duration in spec.dropped_bursts:
        dropped |= (times >= start) & (times < start + duration)
    points[dropped] = np.nan

    recording = Recording(fps=spec.fps, points=points)
    return SyntheticRecording(
        spec=spec,
        recording=recording,
        truth=tuple(truths),
        angle_deg=angle,
        document=recording_to_json(recording),
    )


def keypoints_document(synthetic: SyntheticRecording) -> dict[str, Any]:
    """The KEYPOINTS.json document, with a note that it is synthetic."""
    return {**synthetic.document, "layout": LAYOUT, "synthetic": True}
