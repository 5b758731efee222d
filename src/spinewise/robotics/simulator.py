"""A simulated trunk-rehabilitation robot behind the :class:`~.device.DeviceDriver` interface.

Plant: one rigid sagittal trunk segment (:mod:`.anthropometry`) driven by gravity, passive
spinal stiffness and damping, the patient's own torque (:mod:`.patient`), the motor and a
fail-safe brake::

    I · alpha = m g d sin(theta) - k theta - c omega + tau_patient + tau_motor + tau_brake

Integrator: fixed-step semi-implicit (symplectic) Euler at the control rate (default
1 kHz, dt = 1 ms): ``omega += alpha · dt`` then ``theta += omega · dt``. Why this and not an
adaptive SciPy ODE solver or MuJoCo:

- the controller is digital and holds its torque over each cycle (zero-order hold), so the
  plant must be advanced exactly one control period at a time anyway; an adaptive solver
  would restart at every cycle boundary and cost far more per step;
- symplectic Euler keeps the energy of the undamped pendulum bounded (no secular drift),
  its error is O(dt) with dt a thousand times shorter than the trunk's time constants
  (natural period of the order of a second), and it needs one evaluation per step;
- the brake is stick–slip friction and the actuator has a pure delay: both are simple and
  exact in a fixed-step update and awkward in a continuous solver;
- MuJoCo earns its place for multi-body contact dynamics; a single hinge joint gains nothing
  from it and the dependency would be heavy. Energy and equilibrium are tested against hand
  calculations in tests/robotics/test_simulator.py.

Actuator: a pure command latency (a FIFO of ``latency_s`` worth of cycles), saturation at
the hardware torque limit, and safe torque off (``disarm``) that bypasses the latency.
Brake: spring-applied, engages ``brake_engage_s`` after torque off, then holds up to
``brake_torque_nm`` as Coulomb friction. It only dissipates energy; it can never push.
Sensors: a joint encoder with Gaussian noise and a velocity estimate with Gaussian noise.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from spinewise.core.errors import Conflict, InvalidInput
from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.device import DeviceConfig, DeviceState
from spinewise.robotics.patient import PatientModel, SimulatedPatient


class SimulatedTrunkDevice:
    """Simulated device; implements :class:`~.device.DeviceDriver` and ``advance()``.

    Parameters
    ----------
    patient_model : the simulated patient, or ``None`` for a passive trunk (then
        ``segment`` is required).
    segment : trunk segment; defaults to the patient model's.
    config : actuator, brake and sensor settings.
    seed : seeds the sensor noise and the patient's motor noise.
    initial_angle_rad, initial_velocity_rad_s : initial trunk state.
    """

    def __init__(
        self,
        patient_model: PatientModel | None = None,
        *,
        segment: TrunkSegment | None = None,
        config: DeviceConfig | None = None,
        seed: int = 0,
        initial_angle_rad: float = 0.0,
        initial_velocity_rad_s: float = 0.0,
    ) -> None:
        self.config = config or DeviceConfig()
        self.dt_s = self.config.control_period_s
        if segment is None:
            if patient_model is None:
                raise InvalidInput("segment", "a segment or a patient model is required")
            segment = patient_model.segment()
        self.segment = segment
        self.patient = (
            SimulatedPatient(patient_model, dt_s=self.dt_s, seed=seed + 1)
            if patient_model is not None
            else None
        )
        self._rng = np.random.default_rng(seed)
        self._noise: list[float] = []
        self._angle_noise_rad = math.radians(self.config.sensor_noise_deg)
        self._velocity_noise_rad_s = math.radians(self.config.velocity_noise_deg_s)
        self._latency = self.config.latency_cycles
        self._queue: deque[float] = deque([0.0] * self._latency)
        self._pending: float | None = None
        self._last_command = 0.0
        self._brake_timer_s = 0.0
        self._steps = 0
        self.t_s = 0.0
        self.angle_rad = initial_angle_rad
        self.velocity_rad_s = initial_velocity_rad_s
        self.motor_torque_nm = 0.0
        self.patient_torque_nm = 0.0
        self.brake_torque_nm = 0.0
        self.external_torque_nm = 0.0
        self.sensor_counter = 0
        self.connected = False
        self.armed = False
        self.estopped = False
        self.brake_engaged = True
        self.stop_button = False

    # --- DeviceDriver -------------------------------------------------------------------
    @property
    def state_rate_hz(self) -> float:
        return self.config.control_rate_hz

    def connect(self) -> None:
        self.connected = True
        self.estopped = False

    def arm(self) -> None:
        if not self.connected:
            raise Conflict("the device is not connected")
        if self.estopped:
            raise Conflict("the device is emergency-stopped; reconnect to reset it")
        self.armed = True
        self.brake_engaged = False
        self._brake_timer_s = 0.0

    def disarm(self) -> None:
        """Safe torque off: motor torque zero now, brake engages after ``brake_engage_s``."""
        was_armed = self.armed
        self.armed = False
        self._pending = None
        self._last_command = 0.0
        self._queue = deque([0.0] * self._latency)
        self.motor_torque_nm = 0.0
        if was_armed:  # the brake's engagement time runs from the first torque off
            self._brake_timer_s = self.config.brake_engage_s
            self.brake_engaged = self._brake_timer_s <= 0.0

    def emergency_stop(self) -> None:
        self.disarm()
        self.estopped = True

    def read_state(self) -> DeviceState:
        return DeviceState(
            t_s=self.t_s,
            angle_rad=self.angle_rad + self._angle_noise_rad * self._gauss(),
            velocity_rad_s=self.velocity_rad_s + self._velocity_noise_rad_s * self._gauss(),
            motor_torque_nm=self.motor_torque_nm,
            sensor_counter=self.sensor_counter,
            armed=self.armed,
            brake_engaged=self.brake_engaged,
            stop_button=self.stop_button,
        )

    def command_torque(self, torque_nm: float) -> None:
        if self.armed:
            self._pending = torque_nm

    # --- simulation only ----------------------------------------------------------------
    def press_stop_button(self) -> None:
        """The patient presses the hand-held stop button (reported in the state)."""
        self.stop_button = True

    def set_patient_goal(self, theta_rad: float, omega_rad_s: float, alpha_rad_s2: float) -> None:
        """What the screen shows the patient (the target they try to follow)."""
        if self.patient is not None:
            self.patient.set_goal(theta_rad, omega_rad_s, alpha_rad_s2)

    def acceleration_rad_s2(self, theta_rad: float, omega_rad_s: float, torque_nm: float) -> float:
        """Trunk acceleration with ``torque_nm`` applied besides gravity and passive tissue."""
        seg = self.segment
        total = seg.gravity_torque_nm(theta_rad) + seg.passive_torque_nm(theta_rad, omega_rad_s)
        return (total + torque_nm) / seg.inertia_kg_m2

    def advance(self) -> None:
        """Advance the plant by one control period."""
        dt = self.dt_s
        if self.armed:
            command = self._pending if self._pending is not None else self._last_command
            self._pending = None
            if not math.isfinite(command):
                command = 0.0  # a drive rejects a non-finite set-point
            limit = self.config.actuator_torque_limit_nm
            command = max(-limit, min(limit, command))
            self._last_command = command
            if self._latency:
                self._queue.append(command)
                command = self._queue.popleft()
            self.motor_torque_nm = command
        else:
            self.motor_torque_nm = 0.0
            if not self.brake_engaged:
                self._brake_timer_s -= dt
                self.brake_engaged = self._brake_timer_s <= 1e-12
        theta, omega = self.angle_rad, self.velocity_rad_s
        seg = self.segment
        self.patient_torque_nm = self.patient.torque_nm(theta, omega) if self.patient else 0.0
        other = (
            seg.gravity_torque_nm(theta)
            + seg.passive_torque_nm(theta, omega)
            + self.patient_torque_nm
            + self.motor_torque_nm
            + self.external_torque_nm
        )
        brake = 0.0
        stuck = False
        if self.brake_engaged:
            # Coulomb friction: the torque that stops the segment this step, if within capacity.
            stop = -seg.inertia_kg_m2 * omega / dt - other
            capacity = self.config.brake_torque_nm
            stuck = abs(stop) <= capacity
            brake = stop if stuck else math.copysign(capacity, stop)
        self.brake_torque_nm = brake
        omega = 0.0 if stuck else omega + (other + brake) / seg.inertia_kg_m2 * dt
        self.velocity_rad_s = omega
        self.angle_rad = theta + omega * dt
        self._steps += 1
        self.t_s = self._steps * dt
        self.sensor_counter += 1

    def _gauss(self) -> float:
        if not self._noise:
            self._noise = self._rng.standard_normal(4096).tolist()
        return self._noise.pop()
