"""The safety monitor, cycle by cycle, on hand-made sensor samples and commands."""

from __future__ import annotations

import math
from typing import Any

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.device import DeviceConfig, DeviceState
from spinewise.robotics.protocols import PatientLimits
from spinewise.robotics.safety import SafetyDecision, SafetyMonitor

SEGMENT = TrunkSegment(50.0, 0.3, 8.0, stiffness_nm_per_rad=86.0, damping_nm_s_per_rad=5.0)
LIMITS = PatientLimits(angle_deg=(-10.0, 40.0), torque_nm=80.0, velocity_deg_s=40.0)
DT = 0.001


def monitor(**device: Any) -> SafetyMonitor:
    return SafetyMonitor(LIMITS, DeviceConfig(**device), SEGMENT)


class Feed:
    """Feeds a monitor consecutive, healthy-looking samples."""

    def __init__(self, mon: SafetyMonitor) -> None:
        self.mon = mon
        self.k = 0

    def state(self, angle_deg: float = 10.0, velocity_deg_s: float = 0.0, **kw: Any) -> DeviceState:
        values: dict = dict(
            t_s=self.k * DT,
            angle_rad=math.radians(angle_deg),
            velocity_rad_s=math.radians(velocity_deg_s),
            motor_torque_nm=0.0,
            sensor_counter=self.k,
            armed=True,
            brake_engaged=False,
        )
        values.update(kw)
        return DeviceState(**values)

    def cycle(
        self, command: float | None = 0.0, state: DeviceState | str | None = "ok", **kw: Any
    ) -> SafetyDecision:
        s = self.state(**kw) if state == "ok" else state
        decision = self.mon.check(self.k * DT, s, command)
        self.k += 1
        return decision


def test_stopping_distance_matches_the_documented_formula_by_hand() -> None:
    mon = monitor(brake_engage_s=0.005, brake_torque_nm=800.0, patient_torque_bound_nm=288.0)
    # t_r = 0.001 + 0.005 = 0.006 s
    # a_up = (80 + 50 × 9.81 × 0.3 + 288) / 8 = (80 + 147.15 + 288) / 8 = 64.39375 rad/s²
    # a_br = (800 - 147.15 - 288) / 8 = 45.60625 rad/s²
    assert mon.reaction_s == pytest.approx(0.006)
    assert mon.accel_bound_rad_s2 == pytest.approx(64.39375)
    assert mon.brake_decel_rad_s2 == pytest.approx(45.60625)
    # d(0) = 1/2 × 64.39375 × 0.006² + (64.39375 × 0.006)² / (2 × 45.60625)
    #      = 0.00115909 + 0.00163657 = 0.00279566 rad
    assert mon.stopping_distance_rad(0.0) == pytest.approx(0.00279566, rel=1e-5)
    # d(0.5) = 0.5 × 0.006 + 0.00115909 + 0.8863625² / 91.2125 = 0.01277236 rad
    assert mon.stopping_distance_rad(0.5) == pytest.approx(0.01277236, rel=1e-5)
    assert mon.velocity_overshoot_bound_rad_s == pytest.approx(64.39375 * 0.006)


def test_a_brake_too_weak_for_the_patient_is_refused() -> None:
    with pytest.raises(InvalidInput, match="brake_torque_nm"):
        monitor(brake_torque_nm=400.0)  # 400 < 147 + 288


def test_commands_within_the_limit_pass_unchanged_and_beyond_it_are_clamped() -> None:
    feed = Feed(monitor())
    assert feed.cycle(0.0).torque_nm == 0.0
    assert feed.cycle(3.0).torque_nm == 3.0
    for command in [4.0, 8.0, 12.0]:
        feed.cycle(command)
    mon = feed.mon
    # Walk the command up within the legitimate slew (5 N·m per cycle) past the limit.
    command = 12.0
    for _ in range(30):
        command += 4.5
        decision = feed.cycle(command)
        assert abs(decision.torque_nm) <= 80.0
    assert decision.torque_nm == 80.0 and decision.clamped
    assert mon.clamped_cycles > 0
    assert not mon.tripped  # clamping a legitimate command is not a fault


@pytest.mark.parametrize(
    ("fault", "kind", "action"),
    [
        ({"state": None}, "sensor_dropout", "torque_off"),
        ({"angle_deg": math.nan}, "sensor_nan", "torque_off"),
        ({"velocity_deg_s": math.inf}, "sensor_nan", "torque_off"),
        ({"command": None}, "comm_loss", "compliant_hold"),
        ({"command": math.nan}, "runaway", "compliant_hold"),
        ({"command": 161.0}, "runaway", "compliant_hold"),  # > 2 × 80 N·m
        ({"command": 20.0}, "runaway", "compliant_hold"),  # jump of 20 > 5 N·m per cycle
        ({"stop_button": True}, "stop_button", "compliant_hold"),
    ],
)
def test_each_fault_is_answered_in_the_cycle_it_appears(
    fault: dict, kind: str, action: str
) -> None:
    feed = Feed(monitor(safe_state="compliant_hold"))
    for _ in range(5):
        assert feed.cycle(0.0).mode == "run"
    t_fault = feed.k * DT
    decision = feed.cycle(**{"command": 0.0, **fault})
    assert [(e.t_s, e.kind, e.action) for e in decision.events] == [(t_fault, kind, action)]
    assert decision.mode == action
    assert decision.torque_enabled == (action == "compliant_hold")


def test_a_frozen_sensor_counter_is_a_stuck_sensor() -> None:
    feed = Feed(monitor())
    feed.cycle()
    frozen = feed.state(sensor_counter=feed.k - 1)  # re-sends the previous frame's counter
    decision = feed.cycle(state=frozen)
    assert decision.events[0].kind == "sensor_stuck"
    assert decision.mode == "torque_off"


def test_with_torque_off_configured_every_fault_ends_in_torque_off() -> None:
    feed = Feed(monitor(safe_state="torque_off"))
    feed.cycle()
    decision = feed.cycle(None)
    assert decision.events[0].action == "torque_off"
    assert not decision.torque_enabled


def test_the_watchdog_tolerates_as_many_missed_commands_as_configured() -> None:
    feed = Feed(monitor(watchdog_cycles=3))
    feed.cycle(2.0)
    assert feed.cycle(None).torque_nm == 2.0  # holds the last command
    assert feed.cycle(None).mode == "run"
    assert feed.cycle(None).events[0].kind == "comm_loss"


def test_a_stop_request_from_outside_reaches_the_monitor_on_the_next_cycle() -> None:
    feed = Feed(monitor(safe_state="compliant_hold"))
    feed.cycle()
    feed.mon.request_stop("stop_button")
    assert feed.cycle().events[0].kind == "stop_button"
    feed.mon.request_stop("emergency_stop")
    decision = feed.cycle()
    # The emergency stop escalates a compliant hold to torque off and is logged too.
    assert [e.kind for e in decision.events] == ["emergency_stop"]
    assert decision.mode == "torque_off"


def test_the_monitor_stops_before_the_angle_limit_by_the_braking_distance() -> None:
    mon = monitor()
    feed = Feed(mon)
    v = math.radians(30.0)
    d = mon.stopping_distance_rad(v)
    just_inside = math.degrees(math.radians(40.0) - d) - 0.01
    assert feed.cycle(angle_deg=just_inside, velocity_deg_s=30.0).mode == "run"
    decision = feed.cycle(angle_deg=just_inside + 0.02, velocity_deg_s=30.0)
    assert decision.events[0].kind == "angle_limit"
    assert decision.mode == "torque_off"  # limit stops use the brake the distance is for


def test_moving_away_from_a_limit_does_not_trip_it() -> None:
    feed = Feed(monitor())
    assert feed.cycle(angle_deg=38.0, velocity_deg_s=-30.0).mode == "run"


def test_the_monitor_stops_before_the_velocity_limit_from_the_measured_acceleration() -> None:
    feed = Feed(monitor())
    # Accelerating at 1000°/s² (1°/s per cycle): prediction 6 ms ahead adds about 6°/s.
    velocity = 20.0
    while True:
        decision = feed.cycle(angle_deg=10.0, velocity_deg_s=velocity)
        if decision.events:
            break
        velocity += 1.0
    assert decision.events[0].kind == "velocity_limit"
    assert velocity < 40.0  # tripped before the velocity reached the limit


def test_a_stop_is_latched_until_reset() -> None:
    feed = Feed(monitor(safe_state="torque_off"))
    feed.cycle()
    feed.cycle(None)  # comm_loss
    for _ in range(10):
        decision = feed.cycle(0.0)
        assert decision.mode == "torque_off" and not decision.events
    feed.mon.reset()
    feed.mon.check(feed.k * DT, feed.state(), 0.0)
    assert not feed.mon.tripped


def test_compliant_hold_is_a_soft_spring_about_the_stop_posture_within_the_limit() -> None:
    mon = monitor(safe_state="compliant_hold", hold_stiffness_factor=3.0, hold_damping_ratio=0.7)
    feed = Feed(mon)
    feed.cycle(angle_deg=10.0)
    feed.cycle(None, angle_deg=10.0)  # comm_loss: hold at 10°
    # K = 3 × m g d = 3 × 147.15 = 441.45 N·m/rad; D = 2 × 0.7 × sqrt(441.45 × 8) = 83.20
    assert mon.hold_stiffness_nm_per_rad == pytest.approx(441.45)
    assert mon.hold_damping_nm_s_per_rad == pytest.approx(83.196, rel=1e-4)
    decision = feed.cycle(None, angle_deg=12.0, velocity_deg_s=0.0)
    assert decision.torque_nm == pytest.approx(-441.45 * math.radians(2.0))  # -15.41 N·m
    # At rest at the stop posture it applies nothing: a hold never pushes on its own.
    assert feed.cycle(None, angle_deg=10.0).torque_nm == pytest.approx(0.0)
    # Far away it still never exceeds the torque limit.
    assert feed.cycle(None, angle_deg=30.0).torque_nm == -80.0


def test_a_sensor_fault_during_a_compliant_hold_escalates_to_torque_off() -> None:
    feed = Feed(monitor(safe_state="compliant_hold"))
    feed.cycle()
    assert feed.cycle(None).mode == "compliant_hold"
    decision = feed.cycle(None, state=None)
    assert decision.mode == "torque_off"
    assert [e.kind for e in decision.events] == ["sensor_dropout"]


@pytest.mark.parametrize(
    ("last_command", "bias"),
    [
        (-20.0, -20.0),  # supporting the flexed trunk: keep that support
        (-50.0, -28.55),  # more than the passive trunk needs: capped, never a push upright
        (20.0, 0.0),  # pushing into flexion (a perturbation): dropped
    ],
)
def test_compliant_hold_keeps_only_the_support_against_gravity(
    last_command: float, bias: float
) -> None:
    mon = monitor(safe_state="compliant_hold", max_command_slew_nm_per_s=1e6)
    feed = Feed(mon)
    feed.cycle(last_command, angle_deg=30.0)
    # Needed to hold the passive trunk at 30°: k θ - m g d sin θ = 86 × 0.5236 - 147.15 × 0.5
    # = 45.03 - 73.58 = -28.55 N·m (extension).
    decision = feed.cycle(None, angle_deg=30.0)  # comm_loss: hold here
    assert decision.mode == "compliant_hold"
    assert decision.torque_nm == pytest.approx(bias, abs=0.01)
