"""Protocols are data: validated against the clinician's limits, sampled into targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import (
    FlexionExtension,
    build_reference,
    load_protocol,
    parse_model,
    planned_duration_s,
)

from .conftest import example, flexion_protocol

LIMITS = {"angle_deg": [-10, 40], "torque_nm": 80, "velocity_deg_s": 40}


def with_exercise(exercise: dict, limits: dict = LIMITS) -> dict:
    return {"name": "t", "limits": limits, "exercises": [exercise]}


FE = {"kind": "flexion_extension", "range_deg": [0, 30], "period_s": 6, "repetitions": 2}


@pytest.mark.parametrize(
    "name", ["flexion_extension.json", "stabilisation.json", "mixed_session.json"]
)
def test_shipped_example_protocols_are_valid(name: str) -> None:
    assert load_protocol(example(name)).exercises


@pytest.mark.parametrize(
    "name",
    ["patient_weak.json", "patient_strong.json", "patient_improving.json", "patient_guarded.json"],
)
def test_shipped_example_patient_models_are_valid(name: str) -> None:
    model = parse_model(PatientModel, example(name), "patient_model")
    assert 0.0 <= model.strength <= 1.0


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({**LIMITS, "angle_deg": [30, 10]}, "low < high"),
        ({**LIMITS, "angle_deg": [5, 40]}, "include 0"),
        ({**LIMITS, "torque_nm": -1}, "greater than 0"),
        ({**LIMITS, "torque_nm": 500}, "exceeds the actuator"),
    ],
)
def test_impossible_limits_are_refused_with_one_clear_message(limits: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        load_protocol(with_exercise(FE, limits))


def test_a_target_closer_than_the_margin_to_a_limit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="inside the angle limits"):
        load_protocol(with_exercise({**FE, "range_deg": [0, 39]}))


def test_a_trajectory_faster_than_80_percent_of_the_velocity_limit_is_refused() -> None:
    # 30° out in 1 s peaks at 1.875 × 30 / 1 = 56.25°/s > 0.8 × 40°/s.
    with pytest.raises(InvalidInput, match="lengthen period_s"):
        load_protocol(with_exercise({**FE, "period_s": 2}))


def test_a_perturbation_beyond_the_torque_limit_is_refused() -> None:
    stab = {"kind": "stabilisation", "angle_deg": 10, "repetitions": 2, "perturbation_nm": 90}
    with pytest.raises(InvalidInput, match="perturbation_nm"):
        load_protocol(with_exercise(stab))


def test_a_controller_allowed_to_slew_as_fast_as_the_runaway_check_is_refused() -> None:
    data = {**with_exercise(FE), "controller": {"max_slew_nm_per_s": 6000}}
    with pytest.raises(InvalidInput, match="runaway"):
        load_protocol(data)


def test_unknown_and_missing_fields_name_the_field() -> None:
    with pytest.raises(InvalidInput, match=r"protocol\.exercises\.0\.flexion_extension\.speed"):
        load_protocol(with_exercise({**FE, "speed": 3}))
    with pytest.raises(InvalidInput, match=r"protocol\.limits: required field is missing"):
        load_protocol({"name": "t", "exercises": [FE]})
    with pytest.raises(InvalidInput, match=r"patient_model\.strength"):
        parse_model(PatientModel, {"mass_kg": 70, "height_m": 1.7, "strength": 2}, "patient_model")


@pytest.mark.parametrize(
    "document",
    [
        # An unconstrained angle would otherwise slip past the margin check (NaN compares False).
        with_exercise(
            {"kind": "stabilisation", "angle_deg": math.nan, "repetitions": 2, "perturbation_nm": 9}
        ),
        {**with_exercise(FE), "device": {"max_command_slew_nm_per_s": math.inf}},
        {**with_exercise(FE), "limits": {**LIMITS, "velocity_deg_s": math.nan}},
    ],
)
def test_non_finite_numbers_are_refused_anywhere_in_a_protocol(document: dict) -> None:
    with pytest.raises(InvalidInput, match="finite number"):
        load_protocol(document)


def test_a_non_finite_patient_model_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"patient_model\.passive_damping_nm_s_per_rad"):
        parse_model(
            PatientModel,
            {
                "mass_kg": 70,
                "height_m": 1.7,
                "strength": 0.5,
                "passive_damping_nm_s_per_rad": math.inf,
            },
            "patient_model",
        )


def test_flexion_extension_peak_speed_is_the_minimum_jerk_value() -> None:
    # Flash & Hogan: peak speed = 1.875 × distance / duration = 1.875 × 30° / 3 s = 18.75°/s.
    ex = FlexionExtension(**FE)
    assert ex.peak_speed_deg_s == pytest.approx(18.75)
    ref = build_reference(flexion_protocol(period_s=6.0), 0.001)
    assert np.degrees(ref.omega_rad_s.max()) == pytest.approx(18.75, rel=1e-3)


def test_reference_starts_and_ends_upright_and_repetitions_last_period_hold_and_rest() -> None:
    protocol = flexion_protocol(repetitions=3, period_s=4.0)  # hold 0.5 s, rest 0.5 s
    ref = build_reference(protocol, 0.001)
    assert ref.theta_rad[0] == 0.0
    assert ref.theta_rad[-1] == pytest.approx(0.0, abs=1e-12)
    assert len(ref.repetitions) == 3
    for window in ref.repetitions:
        assert (window.end - window.start) * ref.dt_s == pytest.approx(4.0 + 0.5 + 0.5)
        peak = np.degrees(ref.theta_rad[window.start : window.end].max())
        assert peak == pytest.approx(30.0)
    # Velocity is the derivative of the angle (minimum-jerk closed forms agree numerically).
    assert np.allclose(np.gradient(ref.theta_rad, 0.001), ref.omega_rad_s, atol=2e-3)


def test_stabilisation_pulse_has_the_prescribed_peak_and_impulse() -> None:
    stab = {
        "kind": "stabilisation",
        "angle_deg": 10,
        "repetitions": 4,
        "perturbation_nm": 20,
        "pulse_s": 0.4,
        "direction": "alternate",
    }
    ref = build_reference(load_protocol(with_exercise(stab)), 0.001, seed=3)
    signs = []
    for window in ref.repetitions:
        pulse = ref.perturbation_nm[window.start : window.end]
        assert np.abs(pulse).max() == pytest.approx(20.0, rel=1e-4)
        # A sin² pulse of height A and width w has impulse A w / 2 = 20 × 0.4 / 2 = 4 N·m·s.
        assert np.abs(pulse).sum() * 0.001 == pytest.approx(4.0, rel=1e-3)
        signs.append(np.sign(pulse[np.argmax(np.abs(pulse))]))
        assert np.degrees(ref.theta_rad[window.start]) == pytest.approx(10.0)
    assert signs == [1.0, -1.0, 1.0, -1.0]


def test_the_seed_moves_perturbation_onsets_but_not_their_size() -> None:
    stab = {"kind": "stabilisation", "angle_deg": 0, "repetitions": 3, "perturbation_nm": 10}
    protocol = load_protocol(with_exercise(stab))
    a = build_reference(protocol, 0.001, seed=1).perturbation_nm
    b = build_reference(protocol, 0.001, seed=2).perturbation_nm
    assert not np.array_equal(np.flatnonzero(a), np.flatnonzero(b))
    assert np.abs(a).max() == pytest.approx(np.abs(b).max())
    assert math.isclose(np.abs(a).sum(), np.abs(b).sum(), rel_tol=1e-9)


@pytest.mark.parametrize(
    "name", ["flexion_extension.json", "stabilisation.json", "mixed_session.json"]
)
def test_the_planned_duration_is_the_sampled_one_without_sampling(name: str) -> None:
    protocol = load_protocol(example(name))
    segments = 4 + 4 * sum(ex.repetitions + 1 for ex in protocol.exercises)
    # Each sampled segment is rounded to whole 1 ms cycles: at most half a cycle each.
    assert planned_duration_s(protocol) == pytest.approx(
        build_reference(protocol, 0.001).duration_s, abs=segments * 0.0005
    )


def test_the_planned_duration_by_hand() -> None:
    # 1 s upright + 6 × (6 s period + 1 s hold + 1 s rest) + 1 s upright; the range starts at
    # 0°, so there is no transition: 1 + 48 + 1 = 50 s.
    assert planned_duration_s(load_protocol(example("flexion_extension.json"))) == 50.0
    # Stabilisation at 15°: transition 1.875 × 15° / (0.5 × 45°/s) = 1.25 s there and back,
    # 1 s to settle, 8 × 4 s: 1 + 1.25 + 1 + 32 + 1.25 + 1 = 37.5 s.
    assert planned_duration_s(load_protocol(example("stabilisation.json"))) == pytest.approx(37.5)
