"""Property: whatever the patient, protocol and faults, limits hold and faults are recorded.

Hypothesis draws patients (body size, strength, guarding, training gain), clinician limits,
a flexion–extension or stabilisation exercise inside them, device settings (control rate,
latency, brake timing, safe state) and up to three faults at random times. On every run:

- the actuator never applies a torque beyond the torque limit;
- the trunk never leaves the angle limits: the monitor stops before them using its
  documented braking distance, so no overshoot is allowed at all;
- the velocity stays within its limit plus the documented reaction overshoot;
- every injected fault is recorded, with its own kind, within one
  control cycle of its onset (command faults only while the controller drives the
  actuator: after a stop the command stream is neither used nor watched).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import TARGET_MARGIN_DEG, load_protocol
from spinewise.robotics.session import FaultSpec, TherapySession

SENSOR_FAULTS = ("sensor_dropout", "sensor_stuck", "sensor_nan")
COMMAND_FAULTS = ("comm_loss", "runaway")
STOP_FAULTS = ("stop_button", "emergency_stop")


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    f = st.floats
    patient = PatientModel(
        mass_kg=draw(f(45.0, 130.0)),
        height_m=draw(f(1.5, 2.0)),
        strength=draw(f(0.0, 1.0)),
        guarding=draw(f(0.0, 1.0)),
        strength_gain_per_rep=draw(f(-0.1, 0.3)),
    )
    lo, hi = draw(f(-30.0, -3.0)), draw(f(15.0, 70.0))
    torque = draw(f(20.0, 150.0))
    velocity = draw(f(20.0, 90.0))
    inner_lo, inner_hi = lo + TARGET_MARGIN_DEG, hi - TARGET_MARGIN_DEG
    if draw(st.booleans()):
        a = draw(f(inner_lo, inner_hi - 5.0))
        b = draw(f(a + 5.0, inner_hi))
        fastest = 2 * 1.875 * (b - a) / (0.8 * velocity)  # minimum-jerk peak speed rule
        exercise: dict[str, Any] = {
            "kind": "flexion_extension",
            "range_deg": [a, b],
            "period_s": draw(f(max(1.0, fastest * 1.01), max(1.0, fastest * 1.01) + 4.0)),
            "hold_s": draw(f(0.0, 1.0)),
            "repetitions": draw(st.integers(1, 2)),
            "rest_s": draw(f(0.0, 1.0)),
        }
    else:
        pulse, jitter = draw(f(0.1, 0.5)), draw(f(0.0, 1.0))
        exercise = {
            "kind": "stabilisation",
            "angle_deg": draw(f(inner_lo, inner_hi)),
            "repetitions": draw(st.integers(1, 2)),
            "perturbation_nm": draw(f(1.0, torque)),
            "pulse_s": pulse,
            "jitter_s": jitter,
            "interval_s": 0.5 + jitter + pulse + 1.0 + draw(f(0.0, 2.0)),
            "direction": draw(st.sampled_from(["flexion", "extension", "alternate", "random"])),
        }
    protocol = load_protocol(
        {
            "limits": {"angle_deg": [lo, hi], "torque_nm": torque, "velocity_deg_s": velocity},
            "exercises": [exercise],
            "device": {
                "control_rate_hz": draw(st.sampled_from([250.0, 500.0, 1000.0])),
                "latency_s": draw(f(0.0, 0.005)),
                "brake_engage_s": draw(f(0.0, 0.02)),
                "safe_state": draw(st.sampled_from(["compliant_hold", "torque_off"])),
            },
        }
    )
    # One fault per channel at most: a second sensor fault is invisible behind the first
    # (a sensor that sends nothing cannot also be seen stuck), and a runaway output cannot
    # arrive over a command stream that is already lost.
    channels = draw(
        st.lists(st.sampled_from(["sensor", "command", *STOP_FAULTS]), max_size=3, unique=True)
    )
    by_channel = {"sensor": SENSOR_FAULTS, "command": COMMAND_FAULTS}
    kinds = [draw(st.sampled_from(by_channel[c])) if c in by_channel else c for c in channels]
    fractions = [draw(f(0.0, 0.999)) for _ in kinds]
    return {
        "protocol": protocol,
        "patient": patient,
        "faults": list(zip(kinds, fractions, strict=True)),
        "seed": draw(st.integers(0, 2**16)),
    }


def check_scenario(scenario: dict[str, Any]) -> None:
    protocol, patient = scenario["protocol"], scenario["patient"]
    probe = TherapySession(protocol, patient, seed=scenario["seed"])
    duration = probe.reference.duration_s
    faults = [FaultSpec(round(frac * duration, 4), kind) for kind, frac in scenario["faults"]]
    session = TherapySession(protocol, patient, faults=faults, seed=scenario["seed"])
    trace = session.run()
    dt = session.dt_s
    limits = protocol.limits
    monitor = session.monitor

    assert np.max(np.abs(trace.motor_torque_nm), initial=0.0) <= limits.torque_nm + 1e-9
    lo, hi = limits.angle_rad
    assert trace.angle_rad.min() >= lo, math.degrees(trace.angle_rad.min())
    assert trace.angle_rad.max() <= hi, math.degrees(trace.angle_rad.max())
    v_bound = limits.velocity_rad_s + monitor.velocity_overshoot_bound_rad_s
    assert np.max(np.abs(trace.velocity_rad_s)) <= v_bound

    end_t = trace.t_s[-1]
    first_stop = session.events[0].t_s if session.events else math.inf
    for fault in faults:
        onset = math.ceil(fault.t_s / dt - 1e-9) * dt  # first cycle at or after the fault
        if onset > end_t + 1e-9:
            continue  # the session had already ended
        if fault.kind in COMMAND_FAULTS and first_stop < onset - 1e-9:
            continue  # the controller was already out of the loop
        times = [e.t_s for e in session.events if e.kind == fault.kind]
        assert times, f"{fault} not recorded: {session.events}"
        assert 0.0 <= times[0] - fault.t_s < dt + 1e-9, (fault, times[0])


@given(scenarios())
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_random_faults_patients_and_protocols_never_break_the_limits(
    scenario: dict[str, Any],
) -> None:
    check_scenario(scenario)


# the same paths as the test above, twenty times over: coverage tracing would only slow it down
@pytest.mark.slow
@pytest.mark.no_cover
@given(scenarios())
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_random_faults_patients_and_protocols_never_break_the_limits_thoroughly(
    scenario: dict[str, Any],
) -> None:
    check_scenario(scenario)
