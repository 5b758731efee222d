"""Whole sessions on the simulator: faults become safe states, recorded in time."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.robotics.patient import PatientModel
from spinewise.robotics.session import FAULT_KINDS, FaultSpec, TherapySession

from .conftest import flexion_protocol, patient


@pytest.mark.parametrize("safe_state", ["compliant_hold", "torque_off"])
@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_fault_is_recorded_within_one_cycle_and_ends_in_a_safe_state(
    kind: str, safe_state: str
) -> None:
    protocol = flexion_protocol(repetitions=2, device={"safe_state": safe_state})
    session = TherapySession(protocol, patient(0.3), faults=[FaultSpec(4.2345, kind)], seed=2)
    trace = session.run()
    dt = session.dt_s
    event = session.events[0]
    assert event.kind == kind
    assert 0.0 <= event.t_s - 4.2345 < dt
    expected = "compliant_hold" if kind in {"comm_loss", "runaway", "stop_button"} else "torque_off"
    assert event.action == (expected if safe_state == "compliant_hold" else "torque_off")
    after = trace.t_s > event.t_s
    assert np.all(trace.mode[after] > 0)  # never back to running
    assert np.max(np.abs(trace.motor_torque_nm)) <= 80.0
    lo, hi = np.radians([-10.0, 40.0])
    assert lo <= trace.angle_rad.min() and trace.angle_rad.max() <= hi
    if event.action == "torque_off":
        assert np.all(trace.motor_torque_nm[after] == 0.0)
    # The session holds the safe state for 1.5 s, then ends.
    assert trace.t_s[-1] == pytest.approx(event.t_s + 1.5 - dt, abs=dt)


def test_after_torque_off_the_trunk_comes_to_rest_on_the_brake() -> None:
    protocol = flexion_protocol(device={"safe_state": "torque_off"})
    session = TherapySession(protocol, patient(0.1), faults=[FaultSpec(3.0, "stop_button")])
    trace = session.run()
    assert trace.velocity_rad_s[-1] == 0.0
    assert np.max(np.abs(trace.brake_torque_nm)) > 0.0
    # The brake only dissipates: brake power is never positive.
    assert np.all(trace.brake_torque_nm * trace.velocity_next_rad_s <= 1e-9)


def test_the_live_page_stop_button_reaches_the_monitor_on_the_next_cycle() -> None:
    session = TherapySession(flexion_protocol(), patient(0.5))
    session.run_for(2.0)
    pressed_at = session.t_s
    session.press_stop_button()
    session.step()
    assert [(e.kind, e.t_s) for e in session.events] == [("stop_button", pressed_at)]
    assert session.sample().mode == "compliant_hold"
    assert session.sample().stop_reason == "stop_button"


def test_stream_yields_display_samples_at_50_hz_until_the_session_ends() -> None:
    session = TherapySession(flexion_protocol(repetitions=1), patient(0.5))
    samples = list(session.stream(every_s=0.02))
    times = np.array([s.t_s for s in samples])
    assert np.allclose(np.diff(times)[:-1], 0.02)
    assert session.finished
    first = samples[0].to_dict()
    assert set(first) >= {"angle_deg", "target_deg", "assistance", "limits_deg", "mode"}


def test_an_emergency_stop_disarms_the_device_at_once() -> None:
    session = TherapySession(flexion_protocol(), patient(0.5))
    session.run_for(1.0)
    session.emergency_stop()
    assert not session.device.armed
    session.step()
    assert session.events[0].kind == "emergency_stop"


def test_a_clean_session_completes_every_repetition_without_events() -> None:
    session = TherapySession(flexion_protocol(repetitions=3), patient(0.6))
    session.run()
    metrics = session.metrics()
    assert not metrics.safety_events
    assert len(metrics.repetitions) == 3
    for rep in metrics.repetitions:
        assert 25.0 < rep.rom_deg < 35.0  # the prescribed 30° range, tracked within a few °
        assert 0.0 < rep.patient_work_fraction < 1.0


def test_repetitions_interrupted_by_a_stop_are_not_reported() -> None:
    session = TherapySession(
        flexion_protocol(repetitions=3), patient(0.6), faults=[FaultSpec(8.0, "stop_button")]
    )
    session.run()
    windows = session.reference.repetitions
    finished_before = [w for w in windows if w.end * session.dt_s <= 8.0]
    assert len(session.metrics().repetitions) == len(finished_before) < 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sensor_dropout", "KIND@SECONDS"),
        ("gremlins@3", "unknown fault"),
        ("runaway@soon", "number of seconds"),
        ("runaway@-1", "non-negative"),
        ("runaway@nan", "non-negative"),
    ],
)
def test_malformed_fault_specs_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        FaultSpec.parse(text)


def test_a_fault_after_the_end_of_the_protocol_is_refused() -> None:
    with pytest.raises(InvalidInput, match="after the end"):
        TherapySession(flexion_protocol(), patient(0.5), faults=[FaultSpec(1e4, "runaway")])


def test_a_60_second_session_runs_to_the_end_of_its_protocol() -> None:
    # How fast it runs is measured by benchmarks/robotics_integrator.py, not asserted here.
    protocol = flexion_protocol(repetitions=10, period_s=5.0)  # 1 + 3 + 10 × 6 s ≈ 62 s
    session = TherapySession(protocol, patient(0.4))
    session.run()
    assert session.t_s >= 60.0
    assert session.events == []
    assert math.isfinite(session.metrics().tracking_rmse_deg)


@pytest.mark.parametrize(
    ("velocity_limit", "kind"), [(40.0, "velocity_limit"), (90.0, "angle_limit")]
)
def test_a_patient_the_robot_cannot_hold_is_stopped_before_the_limits(
    velocity_limit: float, kind: str
) -> None:
    # 120 kg, 1.90 m, no strength: holding 34° takes k θ - m g d sin θ ≈ 86 × 0.593 - 273.5 ×
    # 0.559 ≈ -102 N·m, more than the 80 N·m limit, so the trunk sinks into flexion.
    limits = {"angle_deg": [-10, 40], "torque_nm": 80, "velocity_deg_s": velocity_limit}
    protocol = flexion_protocol(range_deg=(0.0, 34.0), period_s=8.0, limits=limits)
    heavy = PatientModel(mass_kg=120.0, height_m=1.9, strength=0.0)
    session = TherapySession(protocol, heavy)
    trace = session.run()
    assert [e.kind for e in session.events] == [kind]
    assert session.events[0].action == "torque_off"
    assert np.degrees(trace.angle_rad.max()) < 40.0
    assert np.max(np.abs(trace.motor_torque_nm)) <= 80.0
    bound = velocity_limit + np.degrees(session.monitor.velocity_overshoot_bound_rad_s)
    assert np.degrees(np.max(np.abs(trace.velocity_rad_s))) <= bound
    assert trace.velocity_rad_s[-1] == 0.0  # held on the brake
