"""The demonstration figure: a 2-D stick figure, its joint angles and forward kinematics.

Every exercise demonstration is a list of keyframes of joint angles. This module is the
single reference for what those angles mean: the browser renderer mirrors
:func:`forward_kinematics` and :func:`pose_at` line for line, and camera coaching
compares measured angles with the same keyframes.

Conventions
-----------
*Units.* Lengths are fractions of body height H (a figure is 1.0 tall standing);
angles are degrees. Screen axes: x to the right, **y up** (an SVG renderer flips y).

*Views.* ``"sagittal"`` (default): the figure is seen from its left side and faces +x;
left limbs are the near limbs (drawn solid), right limbs the far ones (drawn paler);
both hips share one point, as do both shoulders. ``"frontal"``: the figure faces the
viewer, so its left side is at +x; hips and shoulders are spread by the pelvis and
shoulder widths. In the frontal view knees and ankles are straight and feet are not
drawn (they point at the viewer); only abduction/adduction and side bending show.

*Segments* (Winter 2009, *Biomechanics and Motor Control of Human Movement*, 4th ed.,
Fig. 4.1, as fractions of H): knee height 0.285 (our shank runs from the knee to the
sole, so the ankle point is on the floor in standing), hip height 0.530 (thigh 0.245),
shoulder height 0.818 (trunk 0.288, split into equal lumbar and thoracic halves — our
simplification), head 0.130 from chin to crown (a circle of radius 0.065 whose centre
is 0.117 above the shoulders), upper arm 0.186, forearm 0.146 (elbow to wrist; hands
not drawn), ankle-to-toe 0.11 (foot length 0.152 minus the heel behind the ankle; our
approximation), hip width 0.191, shoulder width 0.259.

*Angles.* A segment direction ``phi`` is measured from straight up, clockwise positive
(towards +x): direction vector ``(sin phi, cos phi)``.

==============  ==============================================================
``trunk``       absolute direction of the lumbar segment (hip → thoracolumbar
                junction): 0 upright, +90 lying prone / trunk pointing +x,
                −90 lying supine with the head at −x. Sagittal: + leans forward.
                Frontal: + tilts towards the figure's left (+x).
``spine``       thoracic segment relative to lumbar: flexion + / extension −
                (frontal: side bend to the left +).
``neck``        head relative to thoracic segment: flexion + / extension −
                (frontal: side bend to the left +).
``hip_l/_r``    thigh relative to lumbar segment: flexion + / extension −
                (frontal: abduction + / adduction −, each side away from midline).
``knee_l/_r``   flexion + (0 = straight; the shank folds backwards).
``ankle_l/_r``  dorsiflexion + / plantarflexion − (0 = foot at right angles).
``shoulder_l/_r``  upper arm relative to thoracic segment: flexion + (arm
                forward/up) / extension − (frontal: abduction +).
``elbow_l/_r``  flexion + (forearm folds forwards/up; frontal: towards the head).
==============  ==============================================================

So, in the sagittal view: ``phi_thigh = trunk + 180 − hip``, ``phi_shank = phi_thigh +
knee``, ``phi_foot = phi_shank − 90 − ankle``, ``phi_upper_arm = phi_thoracic + 180 −
shoulder``, ``phi_forearm = phi_upper_arm − elbow``. In the frontal view the right-side
limb angles are mirrored (``+ hip_r``, ``+ shoulder_r``, ``+ elbow_r``).

*Placement.* :func:`forward_kinematics` puts the pelvis (mid-point of the hips) at
(0, 0); :func:`place_on_floor` then moves the figure vertically so that its lowest
*surface* touches the floor y = 0. A stick has no thickness, so each point carries a
contact radius (:data:`CONTACT_RADIUS`): half the depth of the body part around it
(trunk and head 0.065, knee 0.03, elbow 0.02, wrist 0.015; sole points 0). A supine
figure therefore lies with its trunk line 0.065 above the floor and its head and heels
on it, as a real body would.

*Interpolation.* :func:`pose_at` interpolates each angle between keyframes, by default
with a cosine ease (``e = (1 − cos(pi s)) / 2``) so motion starts and stops smoothly,
or linearly for cyclic motion (walking); the cue shown is the one of the last keyframe
reached. Renderers interpolate angles, never positions, then run the kinematics.

Anatomical ranges used to validate keyframes follow the AAOS averages (American
Academy of Orthopaedic Surgeons 1965, *Joint Motion: Method of Measuring and
Recording*; reprinted in Greene & Heckman 1994): hip flexion 120 / extension 30,
knee flexion 135, ankle dorsiflexion 20 / plantarflexion 50, shoulder flexion 180 /
extension 60, elbow flexion 150, thoracolumbar flexion 80 / extension 25 and lateral
flexion 35, cervical flexion 45 / extension 45 / lateral flexion 45, hip abduction 45 /
adduction 30, shoulder abduction 180.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from spinewise.core.errors import InvalidInput

View = Literal["sagittal", "frontal"]
Point = tuple[float, float]

VIEWS: tuple[View, ...] = ("sagittal", "frontal")

#: Segment lengths as fractions of body height (Winter 2009, Fig. 4.1; see module notes).
SEGMENT_LENGTHS: dict[str, float] = {
    "shank": 0.285,
    "thigh": 0.245,
    "lumbar": 0.144,
    "thoracic": 0.144,
    "neck": 0.117,
    "upper_arm": 0.186,
    "forearm": 0.146,
    "foot": 0.11,
}
HEAD_RADIUS = 0.065
HIP_HALF_WIDTH = 0.191 / 2
SHOULDER_HALF_WIDTH = 0.259 / 2

#: Distance from a point to the body surface below it, as a fraction of height (our
#: estimates: trunk ≈ head radius, knee and elbow half their depth); 0 for sole points.
CONTACT_RADIUS: dict[str, float] = {
    "pelvis": 0.065,
    "lumbar_top": 0.065,
    "neck_base": 0.065,
    "head": HEAD_RADIUS,
    "hip_l": 0.065,
    "hip_r": 0.065,
    "shoulder_l": 0.065,
    "shoulder_r": 0.065,
    "knee_l": 0.03,
    "knee_r": 0.03,
    "elbow_l": 0.02,
    "elbow_r": 0.02,
    "wrist_l": 0.015,
    "wrist_r": 0.015,
    "ankle_l": 0.0,
    "ankle_r": 0.0,
    "toe_l": 0.0,
    "toe_r": 0.0,
}

#: A support point touches the floor when its surface is within this height (fraction
#: of body height, ≈ 3.4 cm for a 1.70 m person).
SUPPORT_TOLERANCE = 0.02

ANGLE_NAMES: tuple[str, ...] = (
    "trunk",
    "spine",
    "neck",
    "hip_l",
    "hip_r",
    "knee_l",
    "knee_r",
    "ankle_l",
    "ankle_r",
    "shoulder_l",
    "shoulder_r",
    "elbow_l",
    "elbow_r",
)

#: Allowed range (min, max) in degrees per view and joint (AAOS averages; trunk free).
ANGLE_RANGES: dict[View, dict[str, tuple[float, float]]] = {
    "sagittal": {
        "trunk": (-180, 180),
        "spine": (-25, 80),
        "neck": (-45, 45),
        "hip": (-30, 120),
        "knee": (0, 135),
        "ankle": (-50, 20),
        "shoulder": (-60, 180),
        "elbow": (0, 150),
    },
    "frontal": {
        "trunk": (-180, 180),
        "spine": (-35, 35),
        "neck": (-45, 45),
        "hip": (-30, 45),
        "knee": (0, 0),
        "ankle": (0, 0),
        "shoulder": (0, 180),
        "elbow": (0, 150),
    },
}

#: Named starting postures: full angle sets that keyframes override (angles not listed
#: are 0). They were solved so that the usual contacts touch the floor: lying with heels,
#: hands and back down; four-point kneeling with thighs and arms vertical; kneeling on
#: knees and toes. ``side_lying`` in the sagittal view is seen from above (no floor).
BASE_POSES: dict[str, dict[str, float]] = {
    "standing": {},
    "sitting": {"hip_l": 90, "hip_r": 90, "knee_l": 90, "knee_r": 90},
    "supine": {"trunk": -90, "hip_l": -7, "hip_r": -7, "shoulder_l": -9, "shoulder_r": -9},
    "prone": {
        "trunk": 90,
        "hip_l": 8,
        "hip_r": 8,
        "knee_l": 15,
        "knee_r": 15,
        "ankle_l": -48,
        "ankle_r": -48,
    },
    "quadruped": {
        "trunk": 76,
        "hip_l": 76,
        "hip_r": 76,
        "knee_l": 99,
        "knee_r": 99,
        "ankle_l": -40,
        "ankle_r": -40,
        "shoulder_l": 76,
        "shoulder_r": 76,
    },
    "side_lying": {"trunk": -90},
    "kneeling": {"knee_l": 98, "knee_r": 98, "ankle_l": -44, "ankle_r": -44},
}

#: Points returned by :func:`forward_kinematics`.
POINT_NAMES: tuple[str, ...] = (
    "pelvis",
    "lumbar_top",
    "neck_base",
    "head",
    "hip_l",
    "hip_r",
    "knee_l",
    "knee_r",
    "ankle_l",
    "ankle_r",
    "toe_l",
    "toe_r",
    "shoulder_l",
    "shoulder_r",
    "elbow_l",
    "elbow_r",
    "wrist_l",
    "wrist_r",
)


def joint_kind(name: str) -> str:
    """``hip_l`` → ``hip``; ``trunk`` → ``trunk``."""
    return name.removesuffix("_l").removesuffix("_r")


def base_angles(base_pose: str) -> dict[str, float]:
    """The full angle set of a base pose (every angle not listed is 0)."""
    if base_pose not in BASE_POSES:
        raise InvalidInput(
            "base_pose", f"unknown base pose {base_pose!r}; use {sorted(BASE_POSES)}"
        )
    angles = dict.fromkeys(ANGLE_NAMES, 0.0)
    angles.update({k: float(v) for k, v in BASE_POSES[base_pose].items()})
    return angles


def check_angles(angles: Mapping[str, float], view: View, *, field: str = "angles") -> None:
    """Refuse unknown angle names and values outside the anatomical range of ``view``."""
    if view not in VIEWS:
        raise InvalidInput("view", f"unknown view {view!r}; use {VIEWS}")
    for name, value in angles.items():
        if name not in ANGLE_NAMES:
            raise InvalidInput(field, f"unknown angle {name!r}")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidInput(field, f"{name} must be a number of degrees")
        low, high = ANGLE_RANGES[view][joint_kind(name)]
        if not low <= value <= high:
            raise InvalidInput(
                field, f"{name} = {value}° is outside {low:g}…{high:g}° ({view} view)"
            )


def _direction(phi_deg: float) -> Point:
    phi = math.radians(phi_deg)
    return (math.sin(phi), math.cos(phi))


def _step(start: Point, phi_deg: float, length: float) -> Point:
    dx, dy = _direction(phi_deg)
    return (start[0] + length * dx, start[1] + length * dy)


def forward_kinematics(angles: Mapping[str, float], view: View = "sagittal") -> dict[str, Point]:
    """2-D joint positions (fractions of body height) for a full angle set.

    Args:
        angles: every name in :data:`ANGLE_NAMES`, in degrees (see module conventions).
        view: ``"sagittal"`` or ``"frontal"``.

    Returns:
        ``{point name: (x, y)}`` for :data:`POINT_NAMES`, pelvis at the origin. ``head``
        is the centre of the head circle (radius :data:`HEAD_RADIUS`).

    Example: standing upright (all angles 0, sagittal) puts the knee 0.245 and the
    ankle 0.530 below the pelvis, the neck base 0.288 and the head centre 0.405 above
    it, and the toe 0.11 in front of the ankle.
    """
    missing = [n for n in ANGLE_NAMES if n not in angles]
    if missing:
        raise InvalidInput("angles", f"missing {', '.join(missing)}")
    a = angles
    L = SEGMENT_LENGTHS
    frontal = view == "frontal"
    pts: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    pts["lumbar_top"] = _step(pts["pelvis"], a["trunk"], L["lumbar"])
    phi_thoracic = a["trunk"] + a["spine"]
    pts["neck_base"] = _step(pts["lumbar_top"], phi_thoracic, L["thoracic"])
    pts["head"] = _step(pts["neck_base"], phi_thoracic + a["neck"], L["neck"])
    for side, sign in (("l", 1.0), ("r", -1.0)):
        # Frontal view: the figure's left is +x when upright (perpendicular at phi + 90°),
        # and right-side angles are mirrored so that + always means away from the midline.
        mirror = sign if frontal else 1.0
        if frontal:
            hip = _step(pts["pelvis"], a["trunk"] + 90.0 * sign, HIP_HALF_WIDTH)
            shoulder = _step(pts["neck_base"], phi_thoracic + 90.0 * sign, SHOULDER_HALF_WIDTH)
        else:
            hip, shoulder = pts["pelvis"], pts["neck_base"]
        phi_thigh = a["trunk"] + 180.0 - mirror * a[f"hip_{side}"]
        knee = _step(hip, phi_thigh, L["thigh"])
        phi_shank = phi_thigh + mirror * a[f"knee_{side}"]
        ankle = _step(knee, phi_shank, L["shank"])
        toe = ankle if frontal else _step(ankle, phi_shank - 90.0 - a[f"ankle_{side}"], L["foot"])
        phi_upper = phi_thoracic + 180.0 - mirror * a[f"shoulder_{side}"]
        elbow = _step(shoulder, phi_upper, L["upper_arm"])
        wrist = _step(elbow, phi_upper - mirror * a[f"elbow_{side}"], L["forearm"])
        pts.update(
            {
                f"hip_{side}": hip,
                f"knee_{side}": knee,
                f"ankle_{side}": ankle,
                f"toe_{side}": toe,
                f"shoulder_{side}": shoulder,
                f"elbow_{side}": elbow,
                f"wrist_{side}": wrist,
            }
        )
    return {name: pts[name] for name in POINT_NAMES}


def surface_heights(points: Mapping[str, Point]) -> dict[str, float]:
    """Height of the body surface under each point: ``y − CONTACT_RADIUS``."""
    return {name: y - CONTACT_RADIUS[name] for name, (_, y) in points.items()}


def lowest_y(points: Mapping[str, Point]) -> float:
    """Lowest body surface of the figure (see :data:`CONTACT_RADIUS`)."""
    return min(surface_heights(points).values())


def place_on_floor(points: Mapping[str, Point]) -> dict[str, Point]:
    """Shift the figure vertically so that its lowest surface touches the floor (y = 0)."""
    dy = -lowest_y(points)
    return {name: (x, y + dy) for name, (x, y) in points.items()}


def support_gaps(
    angles: Mapping[str, float], view: View, support: Sequence[str]
) -> dict[str, float]:
    """How far above the floor each named support point's surface is, once placed."""
    unknown = [name for name in support if name not in CONTACT_RADIUS]
    if unknown:
        raise InvalidInput("support", f"unknown point {unknown[0]!r}")
    heights = surface_heights(forward_kinematics(angles, view))
    floor = min(heights.values())
    return {name: heights[name] - floor for name in support}


def pose(
    angles: Mapping[str, float],
    view: View = "sagittal",
    *,
    anchor: str = "pelvis",
    floor: bool = True,
) -> dict[str, Point]:
    """What the renderer draws.

    With ``floor`` (default) the figure is placed on the floor and the ``anchor`` point
    is put at x = 0 (``ankle_l`` keeps planted feet still while the body moves over
    them; ``pelvis`` keeps the hips still). Without ``floor`` (a figure seen from
    above, e.g. side lying) the anchor is put at (0, 0) and no floor is drawn.
    """
    if anchor not in POINT_NAMES:
        raise InvalidInput("anchor", f"unknown point {anchor!r}")
    points = forward_kinematics(angles, view)
    if floor:
        points = place_on_floor(points)
    ax, ay = points[anchor]
    dy = 0.0 if floor else -ay
    return {name: (x - ax, y + dy) for name, (x, y) in points.items()}


@dataclass(frozen=True)
class Keyframe:
    """A resolved keyframe: time, the full angle set and the cue shown from this time."""

    t_s: float
    angles: Mapping[str, float]
    cue: str
    support: tuple[str, ...] = ()


Easing = Literal["cosine", "linear"]
EASINGS: tuple[Easing, ...] = ("cosine", "linear")


def ease(s: float, easing: Easing = "cosine") -> float:
    """Map the fraction ``s`` of a transition to the fraction of the angle change.

    ``cosine`` (default) starts and stops each transition smoothly (zero velocity at
    keyframes: right for holds and repetitions); ``linear`` keeps a constant speed
    through keyframes (right for cyclic motion such as walking).
    """
    s = min(max(s, 0.0), 1.0)
    if easing == "linear":
        return s
    return (1.0 - math.cos(math.pi * s)) / 2.0


def pose_at(
    keyframes: Sequence[Keyframe],
    t_s: float,
    *,
    loop: bool = True,
    easing: Easing = "cosine",
) -> tuple[dict[str, float], str]:
    """Interpolated angles and the active cue at time ``t_s``.

    With ``loop`` the demonstration repeats every ``keyframes[-1].t_s`` seconds (the
    last keyframe repeats the first pose, so the loop is seamless); otherwise times past
    the end hold the last keyframe.
    """
    if not keyframes:
        raise InvalidInput("keyframes", "a demonstration needs keyframes")
    duration = keyframes[-1].t_s
    if loop and duration > 0:
        t_s = t_s % duration
    if t_s <= keyframes[0].t_s:
        return dict(keyframes[0].angles), keyframes[0].cue
    for before, after in itertools.pairwise(keyframes):
        if before.t_s <= t_s < after.t_s:
            e = ease((t_s - before.t_s) / (after.t_s - before.t_s), easing)
            angles = {
                name: before.angles[name] + (after.angles[name] - before.angles[name]) * e
                for name in ANGLE_NAMES
            }
            return angles, before.cue
    return dict(keyframes[-1].angles), keyframes[-1].cue
