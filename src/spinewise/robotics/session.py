"""One therapy session: the control loop, fault injection and the recorded trace.

Each control cycle :meth:`TherapySession.step` does, in this order::

    state   = device.read_state()                       # sensor sample (or None)
    command = controller.update(state, target)          # assist-as-needed torque
    decision = monitor.check(t, state, command)         # the monitor alone decides
    device.command_torque(decision.torque_nm)  or  device.disarm()   # safe torque off
    device.advance()                                     # simulator only

A web service runs a session step by step (a background task calling :meth:`step` at the
device's rate, or :meth:`run_for` in slices), streams :meth:`sample` at e.g. 50 Hz with
:meth:`stream`, and forwards a stop button to :meth:`press_stop_button`, which reaches the
safety monitor on the next cycle. After any safety event the session holds its safe state
for ``SETTLE_AFTER_STOP_S`` and then ends (stops are latched; there is no automatic restart).

Faults for testing and demonstration (``KIND@SECONDS``), each starting at the first cycle at
or after its time and persisting:

- ``sensor_dropout``: no sensor sample arrives (``read_state`` yields nothing);
- ``sensor_stuck``: the sensor keeps re-sending its last frame (value and counter frozen;
  at t = 0 there is no earlier frame, so the first one repeats from the next cycle);
- ``sensor_nan``: the sensor reports NaN;
- ``comm_loss``: the controller's command stream stops reaching the device;
- ``runaway``: the controller's output runs away (jumps ten times the legitimate slew per
  cycle towards ten times the torque limit, in the flexion direction);
- ``stop_button``: the patient presses the stop button;
- ``emergency_stop``: the hardware emergency stop is pressed.
"""

from __future__ import annotations

import dataclasses
import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from spinewise.core.errors import InvalidInput
from spinewise.robotics.anthropometry import trunk_segment
from spinewise.robotics.controller import AssistAsNeededController
from spinewise.robotics.device import DeviceDriver, DeviceState, SteppableDevice
from spinewise.robotics.metrics import SessionMetrics, session_metrics
from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import Reference, TherapyProtocol, build_reference
from spinewise.robotics.safety import SafetyEvent, SafetyMonitor
from spinewise.robotics.simulator import SimulatedTrunkDevice

FAULT_KINDS = (
    "sensor_dropout",
    "sensor_stuck",
    "sensor_nan",
    "comm_loss",
    "runaway",
    "stop_button",
    "emergency_stop",
)
SETTLE_AFTER_STOP_S = 1.5
MODE_CODES = {"run": 0, "compliant_hold": 1, "torque_off": 2}


@dataclass(frozen=True, slots=True, order=True)
class FaultSpec:
    """A fault to inject: ``kind`` starting at ``t_s`` seconds into the session."""

    t_s: float
    kind: str

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Parse ``KIND@SECONDS`` (e.g. ``sensor_dropout@12.5``)."""
        kind, sep, when = text.strip().partition("@")
        if not sep:
            raise InvalidInput("--fault", f"expected KIND@SECONDS, got {text!r}")
        if kind not in FAULT_KINDS:
            raise InvalidInput("--fault", f"unknown fault {kind!r}; use one of {FAULT_KINDS}")
        try:
            t_s = float(when)
        except ValueError:
            raise InvalidInput("--fault", f"time must be a number of seconds: {text!r}") from None
        if not (math.isfinite(t_s) and t_s >= 0.0):
            raise InvalidInput("--fault", f"time must be a non-negative number: {text!r}")
        return cls(t_s=t_s, kind=kind)

    def __str__(self) -> str:
        return f"{self.kind}@{self.t_s:g}"


@dataclass(frozen=True, slots=True)
class SessionSample:
    """Display state for a live view (degrees, N·m)."""

    t_s: float
    angle_deg: float
    target_deg: float
    velocity_deg_s: float
    motor_torque_nm: float
    assistance: float
    mode: str
    repetition: int
    limits_deg: tuple[float, float]
    torque_limit_nm: float
    stop_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SessionTrace:
    """Per-cycle record. Torques act over [t, t + dt); ``velocity_next`` is at t + dt.

    On the simulator angle and velocity are the true state; on a real device they are the
    measurements and ``patient_torque_nm`` is NaN (not observable).
    """

    dt_s: float
    t_s: np.ndarray
    angle_rad: np.ndarray
    velocity_rad_s: np.ndarray
    velocity_next_rad_s: np.ndarray
    target_rad: np.ndarray
    command_nm: np.ndarray
    perturbation_nm: np.ndarray
    motor_torque_nm: np.ndarray
    patient_torque_nm: np.ndarray
    brake_torque_nm: np.ndarray
    assistance: np.ndarray
    mode: np.ndarray
    repetition: np.ndarray


class TherapySession:
    """Run a protocol on a device (by default the simulator with ``patient``).

    Parameters
    ----------
    protocol : limits, exercises, controller and device settings.
    patient : the patient's body (height and weight give the controller's and monitor's
        trunk model) and, on the simulator, the simulated patient.
    faults : faults to inject (simulation and testing).
    seed : seeds sensor and motor noise and the timing of perturbations.
    device : a real driver; ``None`` builds a :class:`SimulatedTrunkDevice`.
    """

    def __init__(
        self,
        protocol: TherapyProtocol,
        patient: PatientModel,
        *,
        faults: Sequence[FaultSpec] = (),
        seed: int = 0,
        device: DeviceDriver | None = None,
    ) -> None:
        self.protocol = protocol
        self.patient = patient
        config = protocol.device
        self.dt_s = config.control_period_s
        self.reference: Reference = build_reference(protocol, self.dt_s, seed=seed)
        for fault in faults:
            if fault.t_s >= self.reference.duration_s:
                raise InvalidInput(
                    "--fault",
                    f"{fault} is after the end of the protocol ({self.reference.duration_s:g} s)",
                )
        self.faults = sorted(faults)
        # The controller and the monitor know only what a clinician enters: height and weight.
        model_segment = trunk_segment(patient.height_m, patient.mass_kg)
        self.device: DeviceDriver = device or SimulatedTrunkDevice(
            patient, config=config, seed=seed
        )
        self._sim = self.device if isinstance(self.device, SimulatedTrunkDevice) else None
        # What a simulated patient sees on the screen (simulated devices only).
        self._set_goal = getattr(self.device, "set_patient_goal", None)
        # Checked once: a runtime Protocol isinstance check costs microseconds per call.
        self._advance = self.device.advance if isinstance(self.device, SteppableDevice) else None
        self.monitor = SafetyMonitor(protocol.limits, config, model_segment)
        self.controller = AssistAsNeededController(
            protocol.controller,
            model_segment,
            self.dt_s,
            torque_limit_nm=self.monitor.torque_limit_nm,
        )
        ref = self.reference
        # Per-cycle lookups from Python sequences (numpy scalar indexing is slower).
        self._ref_theta = array("d", ref.theta_rad.tobytes())
        self._ref_omega = array("d", ref.omega_rad_s.tobytes())
        self._ref_alpha = array("d", ref.alpha_rad_s2.tobytes())
        self._ref_pert = array("d", ref.perturbation_nm.tobytes())
        self._ref_rep = ref.repetition.tolist()
        self._rep_ends = {w.end: w.index for w in ref.repetitions}
        self._n_ref = ref.n
        self._end = ref.n
        self.k = 0
        self.stop_t_s: float | None = None
        self._stop_angle = 0.0
        self._completed_reps = 0
        self.repetition_rmse_deg: list[float] = []
        self._pending_faults = list(self.faults)
        self._active: set[str] = set()
        self._stuck_state: DeviceState | None = None
        self._last_good_state: DeviceState | None = None
        self._runaway_nm = 0.0
        # Per-cycle columns as C doubles (8 bytes a value instead of a boxed float in a list:
        # about 7 MB per simulated minute at 1 kHz), appended as cheaply as to a list.
        self._cols: dict[str, array[float]] = {
            f.name: array("d") for f in dataclasses.fields(SessionTrace) if f.name != "dt_s"
        }
        self._last_mode = "run"
        self.device.connect()
        self.device.arm()

    # --- control ------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.k >= self._end

    @property
    def t_s(self) -> float:
        return self.k * self.dt_s

    @property
    def events(self) -> list[SafetyEvent]:
        return self.monitor.events

    def press_stop_button(self) -> None:
        """A stop from the live page: reaches the safety monitor on the next cycle."""
        self.monitor.request_stop("stop_button")

    def emergency_stop(self) -> None:
        """Hardware-style emergency stop: torque off at once and a latched monitor stop."""
        self.device.emergency_stop()
        self.monitor.request_stop("emergency_stop")

    def step(self) -> None:
        """Run one control cycle."""
        if self.finished:
            return
        k = self.k
        t = k * self.dt_s
        i = min(k, self._n_ref - 1)
        self._inject_faults(t)

        # Repetition bookkeeping: adapt the assistance at the end of each repetition.
        if k in self._rep_ends and self.stop_t_s is None:
            self.repetition_rmse_deg.append(self.controller.finish_repetition())
            self._completed_reps += 1
            if self._sim is not None and self._sim.patient is not None:
                self._sim.patient.begin_repetition(self._completed_reps)
        rep = self._ref_rep[i] if k < self._n_ref else -1
        if rep >= 0 and (k == 0 or self._ref_rep[i - 1] != rep):
            self.controller.start_repetition()

        theta_ref, omega_ref = self._ref_theta[i], self._ref_omega[i]
        if self._set_goal is not None:
            if self.stop_t_s is None:
                self._set_goal(theta_ref, omega_ref, self._ref_alpha[i])
            else:
                self._set_goal(self._stop_angle, 0.0, 0.0)

        state = self._sensor(self.device.read_state())
        command: float | None = None
        perturbation = 0.0
        if self.stop_t_s is None:  # after a stop the controller is out of the loop
            perturbation = self._ref_pert[i]
            command = self.controller.update(state, theta_ref, omega_ref, perturbation)
            command = self._command_channel(command)
        decision = self.monitor.check(t, state, command)
        if decision.torque_enabled:
            self.device.command_torque(decision.torque_nm)
        else:
            self.device.disarm()
        if decision.events and self.stop_t_s is None:
            self.stop_t_s = t
            self._stop_angle = (
                self._sim.angle_rad
                if self._sim is not None
                else (state.angle_rad if state is not None else 0.0)
            )
            self._end = k + round(SETTLE_AFTER_STOP_S / self.dt_s)
        self._last_mode = decision.mode

        cols = self._cols
        sim = self._sim
        if sim is not None:
            cols["angle_rad"].append(sim.angle_rad)
            cols["velocity_rad_s"].append(sim.velocity_rad_s)
        else:
            cols["angle_rad"].append(state.angle_rad if state is not None else math.nan)
            cols["velocity_rad_s"].append(state.velocity_rad_s if state is not None else math.nan)
        if self._advance is not None:
            self._advance()
        if sim is not None:
            cols["velocity_next_rad_s"].append(sim.velocity_rad_s)
            cols["motor_torque_nm"].append(sim.motor_torque_nm)
            cols["patient_torque_nm"].append(sim.patient_torque_nm)
            cols["brake_torque_nm"].append(sim.brake_torque_nm)
        else:
            cols["velocity_next_rad_s"].append(cols["velocity_rad_s"][-1])
            cols["motor_torque_nm"].append(decision.torque_nm if decision.torque_enabled else 0.0)
            cols["patient_torque_nm"].append(math.nan)
            cols["brake_torque_nm"].append(math.nan)
        cols["t_s"].append(t)
        cols["target_rad"].append(theta_ref)
        cols["command_nm"].append(command if command is not None else math.nan)
        cols["perturbation_nm"].append(perturbation)
        cols["assistance"].append(self.controller.assistance)
        cols["mode"].append(MODE_CODES[decision.mode])
        cols["repetition"].append(rep)
        self.k = k + 1

    def run_for(self, seconds: float) -> None:
        """Run control cycles covering ``seconds`` of session time (or until finished)."""
        for _ in range(round(seconds / self.dt_s)):
            if self.finished:
                break
            self.step()

    def run(self) -> SessionTrace:
        """Run to the end and return the trace."""
        while self.k < self._end:
            self.step()
        return self.trace()

    def stream(self, every_s: float = 0.02) -> Iterator[SessionSample]:
        """Step the session, yielding a display sample every ``every_s`` (50 Hz default).

        The caller paces it in real time (a simulator runs as fast as it is stepped).
        """
        every = max(1, round(every_s / self.dt_s))
        while not self.finished:
            for _ in range(every):
                if self.finished:
                    break
                self.step()
            yield self.sample()

    def sample(self) -> SessionSample:
        """The latest display state."""
        cols = self._cols
        if not cols["t_s"]:
            angle = target = velocity = torque = 0.0
            rep = -1
        else:
            angle = math.degrees(cols["angle_rad"][-1])
            target = math.degrees(cols["target_rad"][-1])
            velocity = math.degrees(cols["velocity_rad_s"][-1])
            torque = cols["motor_torque_nm"][-1]
            rep = int(cols["repetition"][-1])
        return SessionSample(
            t_s=self.t_s,
            angle_deg=angle,
            target_deg=target,
            velocity_deg_s=velocity,
            motor_torque_nm=torque,
            assistance=self.controller.assistance,
            mode=self._last_mode,
            repetition=rep,
            limits_deg=self.protocol.limits.angle_deg,
            torque_limit_nm=self.monitor.torque_limit_nm,
            stop_reason=self.events[0].kind if self.events else None,
        )

    def trace(self) -> SessionTrace:
        """The per-cycle record so far, as arrays."""
        # Copies: a numpy view would lock the growing arrays (BufferError on the next append).
        cols: dict[str, Any] = {name: np.array(v) for name, v in self._cols.items()}
        cols["mode"] = cols["mode"].astype(np.int64)
        cols["repetition"] = cols["repetition"].astype(np.int64)
        return SessionTrace(dt_s=self.dt_s, **cols)

    @property
    def completed_repetitions(self) -> int:
        return self._completed_reps

    def metrics(self) -> SessionMetrics:
        """Metrics of the session so far (run it to the end first for the full picture)."""
        tr = self.trace()
        # The perturbation reaches the motor after the actuator latency; what remains of the
        # motor torque is the robot's assistance.
        lag = self.protocol.device.latency_cycles
        applied = np.concatenate([np.zeros(lag), tr.perturbation_nm])[: tr.t_s.size]
        return session_metrics(
            dt_s=self.dt_s,
            angle_rad=tr.angle_rad,
            target_rad=tr.target_rad,
            velocity_rad_s=tr.velocity_rad_s,
            velocity_next_rad_s=tr.velocity_next_rad_s,
            motor_torque_nm=tr.motor_torque_nm,
            patient_torque_nm=tr.patient_torque_nm,
            brake_torque_nm=tr.brake_torque_nm,
            robot_assist_torque_nm=tr.motor_torque_nm - applied,
            assistance=tr.assistance,
            windows=self.reference.repetitions,
            events=self.events,
        )

    # --- fault injection ----------------------------------------------------------------
    def _inject_faults(self, t: float) -> None:
        while self._pending_faults and self._pending_faults[0].t_s <= t + 1e-9:
            kind = self._pending_faults.pop(0).kind
            self._active.add(kind)
            if kind == "stop_button":
                # The patient's button is a hard-wired safety input of the monitor, so it
                # works even when the sensor frame (which also reports it) is lost.
                if self._sim is not None:
                    self._sim.press_stop_button()
                self.press_stop_button()
            elif kind == "emergency_stop":
                self.emergency_stop()
            elif kind == "sensor_stuck":
                self._stuck_state = self._last_good_state
            elif kind == "runaway":
                self._runaway_nm = self.controller.last_command_nm  # runs on from the last output

    def _sensor(self, state: DeviceState | None) -> DeviceState | None:
        active = self._active
        if not active:
            self._last_good_state = state
            return state
        if "sensor_dropout" in active:
            return None
        if "sensor_stuck" in active:
            if self._stuck_state is None:  # stuck from the very first frame: it repeats
                self._stuck_state = state
            return self._stuck_state
        if "sensor_nan" in active and state is not None:
            return dataclasses.replace(state, angle_rad=math.nan)
        self._last_good_state = state
        return state

    def _command_channel(self, command: float | None) -> float | None:
        if "comm_loss" in self._active:
            return None
        if "runaway" in self._active:
            device = self.protocol.device
            step = 10.0 * device.max_command_slew_nm_per_s * self.dt_s
            ceiling = 10.0 * self.monitor.torque_limit_nm
            self._runaway_nm = min(ceiling, self._runaway_nm + step)
            return self._runaway_nm
        return command
