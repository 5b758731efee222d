"""The simulated trunk obeys the physics we wrote down by hand."""

from __future__ import annotations

import math

import pytest

from spinewise.core.errors import Conflict, InvalidInput
from spinewise.robotics.anthropometry import TrunkSegment, trunk_segment
from spinewise.robotics.device import DeviceConfig, DeviceDriver, SteppableDevice
from spinewise.robotics.simulator import SimulatedTrunkDevice

NO_LATENCY = DeviceConfig(latency_s=0.0, sensor_noise_deg=0.0, velocity_noise_deg_s=0.0)


def free_trunk(seg: TrunkSegment, theta0_rad: float) -> SimulatedTrunkDevice:
    """Armed with zero torque: brake released, motor applying nothing."""
    device = SimulatedTrunkDevice(segment=seg, config=NO_LATENCY, initial_angle_rad=theta0_rad)
    device.connect()
    device.arm()
    return device


def test_hat_segment_of_a_175_cm_75_kg_person_matches_winter_by_hand() -> None:
    # Winter 2009 Table 4.1: HAT 0.678 of mass, length 0.818 H - 0.530 H = 0.288 H,
    # COM at 0.626 of length from the hip, radius of gyration 0.798 of length about the hip.
    seg = trunk_segment(1.75, 75.0)
    assert seg.mass_kg == pytest.approx(50.85)  # 0.678 × 75
    assert seg.com_distance_m == pytest.approx(0.315504)  # 0.626 × 0.288 × 1.75
    assert seg.inertia_kg_m2 == pytest.approx(50.85 * (0.798 * 0.504) ** 2)  # ≈ 8.225 kg·m²
    assert seg.gravity_stiffness_nm_per_rad == pytest.approx(50.85 * 9.81 * 0.315504)  # 157.4


def test_unrealistic_body_size_is_refused() -> None:
    with pytest.raises(InvalidInput, match="height_m"):
        trunk_segment(7.0, 75.0)
    with pytest.raises(InvalidInput, match="mass_kg"):
        trunk_segment(1.75, float("nan"))


def test_simulator_implements_the_driver_protocol() -> None:
    device = SimulatedTrunkDevice(segment=trunk_segment(1.75, 75.0))
    assert isinstance(device, DeviceDriver)
    assert isinstance(device, SteppableDevice)
    assert device.state_rate_hz >= 200.0


def test_undamped_trunk_without_input_conserves_energy() -> None:
    # Stiff enough spine (k > m g d) so the trunk oscillates about upright; no damping.
    seg = TrunkSegment(
        mass_kg=50.0,
        com_distance_m=0.3,
        inertia_kg_m2=8.0,
        stiffness_nm_per_rad=300.0,
        damping_nm_s_per_rad=0.0,
    )
    device = free_trunk(seg, 0.2)
    e0 = seg.energy_j(0.2, 0.0)
    # Oscillation energy above the upright equilibrium, for a relative error:
    # 1/2 (k - m g d) θ0² ≈ 1/2 × (300 - 147.15) × 0.04 ≈ 3.06 J.
    swing_j = 0.5 * (300.0 - 50.0 * 9.81 * 0.3) * 0.2**2
    worst = 0.0
    swept = 0.0
    for _ in range(10_000):  # 10 s, about 7 periods
        device.advance()
        swept = max(swept, abs(device.angle_rad - 0.2))
        worst = max(worst, abs(seg.energy_j(device.angle_rad, device.velocity_rad_s) - e0))
    assert swept > 0.39  # it really swings through upright to about -0.2 rad
    assert worst / swing_j < 0.01
    # Semi-implicit Euler: no secular drift, the energy at the end is as good as anywhere.
    assert abs(seg.energy_j(device.angle_rad, device.velocity_rad_s) - e0) / swing_j < 0.01


def test_small_oscillation_period_matches_the_linearised_pendulum() -> None:
    # ω = sqrt((k - m g d) / I) = sqrt((300 - 147.15) / 8) = 4.371 rad/s → T = 1.4375 s.
    seg = TrunkSegment(50.0, 0.3, 8.0, stiffness_nm_per_rad=300.0, damping_nm_s_per_rad=0.0)
    device = free_trunk(seg, 0.02)
    upward_crossings = []
    previous = device.angle_rad
    for _ in range(8000):
        device.advance()
        if previous < 0.0 <= device.angle_rad:
            upward_crossings.append(device.t_s)
        previous = device.angle_rad
    period = (upward_crossings[-1] - upward_crossings[0]) / (len(upward_crossings) - 1)
    assert period == pytest.approx(2 * math.pi / math.sqrt((300.0 - 147.15) / 8.0), rel=0.005)


def test_holding_torque_keeps_the_trunk_in_static_equilibrium_at_20_degrees() -> None:
    seg = trunk_segment(1.75, 75.0)  # m g d = 157.38 N·m/rad, k = 86 N·m/rad
    theta = math.radians(20.0)
    # By hand: τ = k θ - m g d sin θ = 86 × 0.34907 - 157.38 × 0.34202 = 30.02 - 53.83
    assert seg.holding_torque_nm(theta) == pytest.approx(-23.81, abs=0.01)
    device = SimulatedTrunkDevice(segment=seg, config=NO_LATENCY, initial_angle_rad=theta)
    device.connect()
    device.arm()
    for _ in range(500):
        device.command_torque(-23.8135)
        device.advance()
    assert device.angle_rad == pytest.approx(theta, abs=1e-4)
    assert device.velocity_rad_s == pytest.approx(0.0, abs=1e-3)


def test_command_latency_delays_the_torque_by_whole_cycles() -> None:
    config = DeviceConfig(latency_s=0.003)  # 3 cycles at 1 kHz
    device = SimulatedTrunkDevice(segment=trunk_segment(1.75, 75.0), config=config)
    device.connect()
    device.arm()
    applied = []
    for _ in range(5):
        device.command_torque(10.0)
        device.advance()
        applied.append(device.motor_torque_nm)
    assert applied == [0.0, 0.0, 0.0, 10.0, 10.0]


def test_actuator_saturates_at_its_hardware_limit() -> None:
    config = DeviceConfig(latency_s=0.0, actuator_torque_limit_nm=100.0)
    device = SimulatedTrunkDevice(segment=trunk_segment(1.75, 75.0), config=config)
    device.connect()
    device.arm()
    device.command_torque(1e6)
    device.advance()
    assert device.motor_torque_nm == 100.0


def test_torque_off_is_immediate_and_the_brake_holds_a_flexed_trunk() -> None:
    seg = trunk_segment(1.75, 75.0)
    config = DeviceConfig(latency_s=0.01, brake_engage_s=0.005)
    device = SimulatedTrunkDevice(segment=seg, config=config, initial_angle_rad=math.radians(30.0))
    device.connect()
    device.arm()
    for _ in range(20):
        device.command_torque(seg.holding_torque_nm(math.radians(30.0)))
        device.advance()
    device.disarm()
    device.advance()
    assert device.motor_torque_nm == 0.0  # no latency on the torque-off path
    for _ in range(1000):
        device.advance()
        # A brake only dissipates: its torque never has the sign of the velocity.
        assert device.brake_torque_nm * device.velocity_rad_s <= 1e-9
    assert device.brake_engaged
    assert device.velocity_rad_s == 0.0
    # Free fall during the 5 ms before the brake engages: Δθ ≈ 1/2 α t² with
    # α ≈ (157.4 sin 30° - 86 × 0.524) / 8.22 ≈ 4.1 rad/s² → ≈ 0.05 mrad. The trunk stays put.
    assert device.angle_rad == pytest.approx(math.radians(30.0), abs=1e-3)


def test_arm_is_refused_after_an_emergency_stop_until_reconnect() -> None:
    device = SimulatedTrunkDevice(segment=trunk_segment(1.75, 75.0))
    with pytest.raises(Conflict):
        device.arm()
    device.connect()
    device.arm()
    device.emergency_stop()
    assert not device.armed
    with pytest.raises(Conflict):
        device.arm()
    device.connect()
    device.arm()
    assert device.armed


def test_a_stuck_free_sensor_counter_advances_every_cycle() -> None:
    device = SimulatedTrunkDevice(segment=trunk_segment(1.75, 75.0))
    counters = []
    for _ in range(3):
        counters.append(device.read_state().sensor_counter)
        device.advance()
    assert counters == [0, 1, 2]
