"""Host driver and device emulator over the wire: limits enforced on the device side."""

from __future__ import annotations

import math

import numpy as np

from spinewise.robotics.device import DeviceConfig, DeviceDriver
from spinewise.robotics.protocols import PatientLimits
from spinewise.robotics.remote import (
    ACK_OK,
    ACK_REFUSED,
    EmulatedWireDevice,
    FirmwareEmulator,
    LoopbackLink,
    WireDevice,
)
from spinewise.robotics.session import FaultSpec, TherapySession
from spinewise.robotics.simulator import SimulatedTrunkDevice
from spinewise.robotics.wire import FAULT_CODES, MessageType

from .conftest import flexion_protocol, patient

LIMITS = PatientLimits(angle_deg=(-10.0, 40.0), torque_nm=60.0, velocity_deg_s=40.0)


def rig(strength: float = 0.8) -> tuple[WireDevice, FirmwareEmulator, LoopbackLink]:
    link = LoopbackLink()
    sim = SimulatedTrunkDevice(patient(strength), config=DeviceConfig(latency_s=0.0))
    host = WireDevice(link.host, limits=LIMITS)
    firmware = FirmwareEmulator(link.device, sim)
    return host, firmware, link


def test_the_wire_driver_implements_the_driver_protocol() -> None:
    host, _, _ = rig()
    assert isinstance(host, DeviceDriver)


def test_arming_before_limits_are_set_is_refused() -> None:
    host, firmware, _ = rig()
    host.arm()
    firmware.tick()
    host.read_state()
    assert [(a.acked_type, a.status) for a in host.acks] == [(MessageType.ARM, ACK_REFUSED)]
    assert not firmware.device.armed


def test_a_closed_loop_over_the_wire_holds_the_trunk_at_a_target() -> None:
    host, firmware, _ = rig(strength=0.0)
    host.connect()
    host.arm()
    host.command_torque(0.0)  # the device's watchdog runs from the moment it is armed
    firmware.tick()
    goal = math.radians(15.0)
    angles, command = [], 0.0
    for k in range(3000):
        state = host.read_state()
        assert state is not None  # one STATE frame per device cycle
        target = goal * min(1.0, k / 1000)  # a 1 s ramp to 15°
        # Gravity compensation for the 80 kg, 1.75 m trunk plus a PD: m g d = 167.9 N·m/rad.
        hold = 86.0 * target - 167.9 * math.sin(target)
        wanted = hold + 600.0 * (target - state.angle_rad) - 60.0 * state.velocity_rad_s
        command += max(-2.0, min(2.0, wanted - command))  # a well-behaved host ramps
        host.command_torque(command)
        firmware.tick()
        angles.append(state.angle_rad)
    assert [a.status for a in host.acks] == [ACK_OK, ACK_OK]
    assert abs(math.degrees(np.mean(angles[-500:])) - 15.0) < 0.5
    assert host.sequence.lost == 0 and not host.device_events


def test_the_device_clamps_a_host_command_beyond_the_limit_on_its_own() -> None:
    host, firmware, _ = rig()
    host.connect()
    host.arm()
    host.command_torque(0.0)  # the device's watchdog runs from the moment it is armed
    firmware.tick()
    for step in range(1, 26):  # ramp within the legitimate slew to 100 N·m, past the limit
        host.read_state()
        host.command_torque(4.0 * step)
        firmware.tick()
        assert abs(firmware.device.motor_torque_nm) <= 60.0
    assert firmware.monitor is not None and firmware.monitor.clamped_cycles > 0
    assert not firmware.monitor.events


def test_when_the_host_falls_silent_the_device_watchdog_stops_within_one_cycle() -> None:
    host, firmware, link = rig()
    host.connect()
    host.arm()
    host.command_torque(0.0)  # the device's watchdog runs from the moment it is armed
    firmware.tick()
    for _ in range(100):
        host.read_state()
        host.command_torque(0.0)
        firmware.tick()
    silent_at = firmware.device.t_s
    link.cut()
    firmware.tick()
    link.host.connected = True  # the device's report still reaches the host
    firmware.tick()
    host.read_state()
    report = host.device_events[0]
    assert FAULT_CODES[report.kind] == "comm_loss"
    assert report.t_us == round(silent_at * 1e6)


def test_a_therapy_session_runs_end_to_end_through_the_wire_protocol() -> None:
    protocol = flexion_protocol(repetitions=1)
    sim = SimulatedTrunkDevice(patient(0.5), config=protocol.device, seed=4)
    device = EmulatedWireDevice(sim, limits=protocol.limits)
    session = TherapySession(
        protocol, patient(0.5), device=device, faults=[FaultSpec(4.0, "stop_button")]
    )
    trace = session.run()
    assert [e.kind for e in session.events] == ["stop_button"]
    assert 20.0 < math.degrees(np.nanmax(trace.angle_rad)) < 40.0  # it really moved
    assert np.nanmax(np.abs(trace.motor_torque_nm)) <= protocol.limits.torque_nm
    assert device.sequence.lost == 0


def test_an_idle_link_is_kept_alive_by_heartbeats_and_lost_after_three_missed() -> None:
    host, firmware, _ = rig()
    host.connect()
    for k in range(400):  # disarmed, 400 ms: a heartbeat every 50 ms keeps the link
        if k % 50 == 0:
            host.heartbeat(k)
        firmware.tick()
        assert not firmware.link_lost
    for _ in range(151):  # silence for more than 3 × 50 ms
        firmware.tick()
    assert firmware.link_lost
    host.heartbeat(551)
    firmware.tick()
    assert not firmware.link_lost
