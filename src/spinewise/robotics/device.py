"""The driver interface every trunk-rehabilitation device implements, and its configuration.

A driver is the host's handle on one device, real or simulated. The control loop calls it
once per control cycle (``read_state`` → controller → safety monitor → ``command_torque``),
so ``read_state`` must deliver fresh samples at the control rate, at least
:data:`MIN_STATE_RATE_HZ`.

Conventions: angles in radians from upright, flexion positive; velocities in rad/s; torques
in N·m, positive towards flexion. Degrees appear only at the JSON/CLI boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

MIN_STATE_RATE_HZ = 200.0

SafeState = Literal["compliant_hold", "torque_off"]


@dataclass(frozen=True, slots=True)
class DeviceState:
    """One sensor sample from the device.

    ``sensor_counter`` increments with every new sensor sample; a sensor that keeps
    re-sending its last frame (a stuck value) shows up as a counter that does not advance.
    ``motor_torque_nm`` is the torque the actuator is applying now (after its latency).
    ``stop_button`` is the patient's hand-held stop button wired to the device.
    """

    t_s: float
    angle_rad: float
    velocity_rad_s: float
    motor_torque_nm: float
    sensor_counter: int
    armed: bool
    brake_engaged: bool
    stop_button: bool = False


@runtime_checkable
class DeviceDriver(Protocol):
    """What the control loop needs from a device (real hardware or the simulator).

    - ``connect()``: open the link; the device starts disarmed with its brake engaged.
    - ``arm()``: release the brake and enable the motor; refused after an emergency stop.
    - ``disarm()``: safe torque off — the motor torque goes to zero at once (a hardware
      path, no command latency) and the fail-safe brake engages.
    - ``read_state()``: the newest sample, or ``None`` when no fresh sample arrived this
      cycle (sensor dropout or a lost link).
    - ``command_torque(torque_nm)``: the torque set-point for this cycle; applied after the
      actuator's latency and saturated at the actuator's hardware limit; ignored unless armed.
    - ``emergency_stop()``: like ``disarm`` but latched until the device is reconnected.
    """

    @property
    def state_rate_hz(self) -> float: ...

    def connect(self) -> None: ...

    def arm(self) -> None: ...

    def disarm(self) -> None: ...

    def read_state(self) -> DeviceState | None: ...

    def command_torque(self, torque_nm: float) -> None: ...

    def emergency_stop(self) -> None: ...


@runtime_checkable
class SteppableDevice(Protocol):
    """A device whose time advances only when told to (the simulator).

    A real device runs in real time; the session loop then paces itself to the device's
    state rate instead of calling ``advance``.
    """

    def advance(self) -> None: ...


class DeviceConfig(BaseModel):
    """Actuator, brake and safety-monitor settings of one device (not per patient).

    Defaults describe the reference simulated device. They are engineering assumptions of
    this simulator, documented in docs/robotics.md, not measurements of a product.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    control_rate_hz: float = Field(1000.0, ge=MIN_STATE_RATE_HZ, le=5000.0)
    actuator_torque_limit_nm: float = Field(150.0, gt=0, le=1000.0)
    latency_s: float = Field(0.002, ge=0.0, le=0.05)
    brake_torque_nm: float = Field(800.0, gt=0, le=5000.0)
    brake_engage_s: float = Field(0.005, ge=0.0, le=0.1)
    safe_state: SafeState = "compliant_hold"
    watchdog_cycles: int = Field(1, ge=1, le=100)
    runaway_factor: float = Field(2.0, gt=1.0, le=100.0)
    max_command_slew_nm_per_s: float = Field(5000.0, gt=0)
    hold_stiffness_factor: float = Field(3.0, gt=1.0, le=20.0)
    hold_damping_ratio: float = Field(0.7, gt=0.0, le=3.0)
    patient_torque_bound_nm: float = Field(288.0, gt=0, le=1000.0)
    sensor_noise_deg: float = Field(0.01, ge=0.0, le=1.0)
    velocity_noise_deg_s: float = Field(0.1, ge=0.0, le=10.0)

    @property
    def control_period_s(self) -> float:
        return 1.0 / self.control_rate_hz

    @property
    def latency_cycles(self) -> int:
        return round(self.latency_s * self.control_rate_hz)
