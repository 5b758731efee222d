"""Assist-as-needed: impedance law, adaptation law, and what patients get from it."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.controller import AssistAsNeededController, ControllerConfig
from spinewise.robotics.device import DeviceState
from spinewise.robotics.session import TherapySession

from .conftest import flexion_protocol, patient

SEGMENT = TrunkSegment(50.0, 0.3, 8.0, stiffness_nm_per_rad=86.0, damping_nm_s_per_rad=5.0)
MGD = 50.0 * 9.81 * 0.3  # 147.15 N·m/rad


def at(angle_rad: float, velocity_rad_s: float = 0.0, k: int = 0) -> DeviceState:
    return DeviceState(k * 0.001, angle_rad, velocity_rad_s, 0.0, k, True, False)


def test_impedance_law_by_hand_at_full_assistance() -> None:
    ctl = AssistAsNeededController(ControllerConfig(max_slew_nm_per_s=1e9), SEGMENT, dt_s=0.001)
    # K = 6 × m g d = 882.9 N·m/rad; D = 2 × 0.7 × sqrt(882.9 × 8) = 117.66 N·m·s/rad
    assert ctl.stiffness_nm_per_rad == pytest.approx(6 * MGD)
    assert ctl.damping_nm_s_per_rad == pytest.approx(2 * 0.7 * math.sqrt(6 * MGD * 8.0))
    # 1° behind the target, 0.1 rad/s too slow: τ = 882.9 × 0.017453 + 117.66 × 0.1
    torque = ctl.update(at(0.0, 0.0), math.radians(1.0), 0.1)
    assert torque == pytest.approx(882.9 * 0.0174533 + 117.66 * 0.1, rel=1e-4)


def test_minimum_assistance_keeps_the_passive_trunk_stable() -> None:
    ctl = AssistAsNeededController(ControllerConfig(), SEGMENT, dt_s=0.001)
    # g_min = 1.5 (m g d - k) / K = 1.5 × (147.15 - 86) / 882.9 = 0.10389
    assert ctl.min_assistance == pytest.approx(1.5 * (147.15 - 86.0) / 882.9)
    assert ctl.min_assistance * ctl.stiffness_nm_per_rad > MGD - 86.0


def test_adaptation_follows_the_error_based_law_with_forgetting() -> None:
    config = ControllerConfig(initial_assistance=1.0, forgetting_factor=0.7, error_gain_per_deg=0.1)
    ctl = AssistAsNeededController(config, SEGMENT, dt_s=0.001)
    ctl.start_repetition()
    for k in range(100):  # a constant 2° error over the repetition
        ctl.update(at(0.0, k=k), math.radians(2.0), 0.0)
    rmse = ctl.finish_repetition()
    assert rmse == pytest.approx(2.0)
    assert ctl.target_assistance == pytest.approx(0.7 * 1.0 + 0.1 * 2.0)  # 0.9
    ctl.start_repetition()
    for k in range(100):  # perfect tracking: only forgetting acts
        ctl.update(at(0.0, k=k), 0.0, 0.0)
    ctl.finish_repetition()
    assert ctl.target_assistance == pytest.approx(0.7 * 0.9)  # 0.63


def test_assistance_changes_are_ramped_and_the_output_slew_is_limited() -> None:
    config = ControllerConfig(assistance_ramp_s=0.5, max_slew_nm_per_s=3000.0)
    ctl = AssistAsNeededController(config, SEGMENT, dt_s=0.001)
    ctl.target_assistance = 0.5
    ctl.update(at(0.0), 0.0, 0.0)
    assert ctl.assistance == pytest.approx(1.0 - 0.001 / 0.5)  # one cycle of a 0.5 s ramp
    out = ctl.update(at(0.0, k=1), math.radians(20.0), 0.0)  # demands ≈ 300 N·m at once
    assert out == pytest.approx(3.0)  # 3000 N·m/s × 1 ms


def test_without_a_usable_sample_the_controller_holds_its_last_output() -> None:
    ctl = AssistAsNeededController(ControllerConfig(), SEGMENT, dt_s=0.001)
    last = ctl.update(at(0.0), math.radians(0.1), 0.0)
    assert ctl.update(None, 0.3, 0.0) == last
    assert ctl.update(at(math.nan, k=2), 0.3, 0.0) == last


def run_patient(strength: float, repetitions: int = 5, **extra: float) -> TherapySession:
    session = TherapySession(
        flexion_protocol(repetitions=repetitions), patient(strength, **extra), seed=7
    )
    session.run()
    return session


def test_a_weaker_patient_gets_more_assistance_and_does_a_smaller_share_of_the_work() -> None:
    weak, strong = run_patient(0.2).metrics(), run_patient(0.9).metrics()
    assert not weak.safety_events and not strong.safety_events
    # Both start fully assisted; from the second repetition on the weak patient gets more.
    for w, s in list(zip(weak.repetitions, strong.repetitions, strict=True))[1:]:
        assert w.assistance > s.assistance
    assert weak.mean_assistance > strong.mean_assistance
    assert weak.patient_work_fraction < strong.patient_work_fraction


def test_a_patient_who_gets_stronger_gets_less_assistance_each_repetition() -> None:
    improving = run_patient(0.2, repetitions=6, strength_gain_per_rep=0.15).metrics()
    same = run_patient(0.2, repetitions=6).metrics()
    assistance = [r.assistance for r in improving.repetitions]
    assert all(b < a for a, b in itertools.pairwise(assistance))
    # ... and less than the same patient without the training gain, from repetition 3 on.
    for a, b in list(zip(improving.repetitions, same.repetitions, strict=True))[2:]:
        assert a.assistance < b.assistance
    fractions = [r.patient_work_fraction for r in improving.repetitions]
    assert fractions[-1] > fractions[0]


def test_a_patient_who_tracks_perfectly_is_weaned_to_the_minimum() -> None:
    session = run_patient(1.0, repetitions=8, motor_noise=0.0)
    gains = np.array([r.assistance for r in session.metrics().repetitions])
    assert gains[-1] < 0.3
    assert np.all(np.diff(gains) < 0)
