"""Forward kinematics of the demonstration figure: hand-computed positions.

Segment lengths (fractions of height, Winter 2009): shank 0.285, thigh 0.245, lumbar and
thoracic 0.144 each, neck-to-head-centre 0.117, upper arm 0.186, forearm 0.146, foot 0.11.
"""

import math

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.rehab.figure import (
    HEAD_RADIUS,
    Keyframe,
    base_angles,
    check_angles,
    ease,
    forward_kinematics,
    pose,
    pose_at,
    support_gaps,
)


def close(point, expected):
    return point == pytest.approx(expected, abs=1e-9)


def angles(base="standing", **overrides):
    a = base_angles(base)
    a.update(overrides)
    return a


def test_standing_upright_puts_each_joint_one_segment_along_the_vertical():
    p = forward_kinematics(angles())
    assert close(p["pelvis"], (0, 0))
    assert close(p["knee_l"], (0, -0.245))
    assert close(p["ankle_l"], (0, -0.53))  # 0.245 + 0.285
    assert close(p["toe_l"], (0.11, -0.53))  # the foot points forward (+x)
    assert close(p["lumbar_top"], (0, 0.144))
    assert close(p["neck_base"], (0, 0.288))
    assert close(p["head"], (0, 0.405))  # 0.288 + 0.117
    assert close(p["elbow_l"], (0, 0.288 - 0.186))
    assert close(p["wrist_l"], (0, 0.288 - 0.332))


def test_the_standing_figure_is_one_body_height_tall_on_the_floor():
    p = pose(angles())
    assert close(p["ankle_l"], (0, 0))
    assert p["head"][1] + HEAD_RADIUS == pytest.approx(1.0)  # 0.53 + 0.405 + 0.065
    assert p["pelvis"][1] == pytest.approx(0.53)  # hip height 0.530 H (Winter)


def test_shoulder_flexion_90_points_the_arm_forward():
    p = forward_kinematics(angles(shoulder_l=90))
    assert close(p["elbow_l"], (0.186, 0.288))
    assert close(p["wrist_l"], (0.332, 0.288))


def test_elbow_flexion_folds_the_forearm_forward():
    p = forward_kinematics(angles(elbow_l=90))
    assert close(p["wrist_l"], (0.146, 0.288 - 0.186))


def test_knee_flexion_folds_the_shank_backwards():
    p = forward_kinematics(angles(knee_l=90))
    assert close(p["ankle_l"], (-0.285, -0.245))


def test_hip_flexion_and_trunk_lean_follow_the_sign_convention():
    sitting = forward_kinematics(angles(hip_l=90))
    assert close(sitting["knee_l"], (0.245, 0))
    lean = forward_kinematics(angles(trunk=90))
    assert close(lean["neck_base"], (0.288, 0))  # +90 = trunk pointing forward (+x)
    supine = forward_kinematics(angles("supine", hip_l=0, hip_r=0))
    assert close(supine["neck_base"], (-0.288, 0))  # -90 = lying on the back, head at -x


def test_dorsiflexion_lifts_the_toes():
    p = forward_kinematics(angles(ankle_l=10))
    phi = math.radians(80)  # the foot direction: 90° - 10°
    assert close(p["toe_l"], (0.11 * math.sin(phi), -0.53 + 0.11 * math.cos(phi)))


def test_frontal_view_spreads_the_hips_and_mirrors_abduction():
    p = forward_kinematics(angles(hip_l=30, hip_r=30), "frontal")
    half = 0.191 / 2
    assert close(p["hip_l"], (half, 0))
    assert close(p["hip_r"], (-half, 0))
    s, c = math.sin(math.radians(30)), math.cos(math.radians(30))
    assert close(p["knee_l"], (half + 0.245 * s, -0.245 * c))  # left leg out to +x
    assert close(p["knee_r"], (-half - 0.245 * s, -0.245 * c))  # right leg out to -x
    assert close(p["toe_l"], p["ankle_l"])  # feet point at the viewer: not drawn


def test_supine_figure_rests_its_head_on_the_floor():
    p = pose(angles("supine", hip_l=0, hip_r=0, shoulder_l=0, shoulder_r=0))
    assert p["head"][1] - HEAD_RADIUS == pytest.approx(0.0)
    assert p["pelvis"][1] == pytest.approx(0.065)  # trunk contact radius


def test_base_poses_touch_the_floor_where_a_body_would():
    # The supine base pose extends the hips 7° so the heels come down from the trunk line
    # (0.065 / 0.53 ≈ sin 7°); quadruped rests on knees, toes and hands.
    lying = support_gaps(base_angles("supine"), "sagittal", ["pelvis", "head", "ankle_l"])
    assert max(lying.values()) <= 0.02
    four_point = ["knee_l", "knee_r", "toe_l", "toe_r", "wrist_l", "wrist_r"]
    assert max(support_gaps(base_angles("quadruped"), "sagittal", four_point).values()) <= 0.02


def test_anchor_and_floor_options():
    p = pose(angles(trunk=30, hip_l=30, hip_r=30), anchor="ankle_l")
    assert p["ankle_l"] == pytest.approx((0, 0))
    top = pose(angles("side_lying"), anchor="pelvis", floor=False)
    assert top["pelvis"] == pytest.approx((0, 0))


def test_support_gaps_measure_height_above_the_floor():
    # Standing on the left leg with the right knee lifted: the right toe is off the floor.
    gaps = support_gaps(angles(hip_r=90, knee_r=90), "sagittal", ["ankle_l", "toe_r"])
    assert gaps["ankle_l"] == pytest.approx(0.0)
    # right ankle: hip(0.53) → knee at hip height, shank straight down 0.285 → 0.245 up
    assert gaps["toe_r"] == pytest.approx(0.245)


@pytest.mark.parametrize(
    ("name", "value", "view"),
    [
        ("hip_l", 121, "sagittal"),  # AAOS hip flexion 120
        ("hip_l", -31, "sagittal"),  # extension 30
        ("knee_r", 136, "sagittal"),  # knee flexion 135
        ("ankle_l", -51, "sagittal"),  # plantarflexion 50
        ("ankle_l", 21, "sagittal"),  # dorsiflexion 20
        ("elbow_l", 151, "sagittal"),
        ("spine", 81, "sagittal"),
        ("knee_l", 10, "frontal"),  # knees stay straight in the frontal view
        ("hip_l", 46, "frontal"),  # abduction 45
    ],
)
def test_angles_outside_anatomical_ranges_are_refused(name, value, view):
    with pytest.raises(InvalidInput, match=name):
        check_angles({name: value}, view)


def test_unknown_angle_names_and_views_are_refused():
    with pytest.raises(InvalidInput, match="unknown angle"):
        check_angles({"wrist_l": 10}, "sagittal")
    with pytest.raises(InvalidInput, match="unknown view"):
        check_angles({}, "top")


def test_cosine_easing():
    assert ease(0.0) == 0.0 and ease(1.0) == 1.0
    assert ease(0.5) == pytest.approx(0.5)
    assert ease(0.25) == pytest.approx((1 - math.cos(math.pi / 4)) / 2)  # 0.1464
    assert ease(0.25, "linear") == 0.25


def test_pose_at_interpolates_angles_and_shows_the_cue_of_the_last_keyframe():
    start = base_angles("standing")
    bent = {**start, "knee_l": 90.0}
    frames = [Keyframe(0, start, "start"), Keyframe(2, bent, "bend"), Keyframe(4, start, "back")]
    a, cue = pose_at(frames, 1.0)
    assert a["knee_l"] == pytest.approx(45.0) and cue == "start"
    a, cue = pose_at(frames, 2.5)
    assert a["knee_l"] == pytest.approx(90 - 90 * ease(0.25)) and cue == "bend"
    a, _ = pose_at(frames, 5.0)  # loops: 5 s → 1 s
    assert a["knee_l"] == pytest.approx(45.0)
    a, cue = pose_at(frames, 5.0, loop=False)  # holds the last keyframe
    assert a["knee_l"] == 0 and cue == "back"
