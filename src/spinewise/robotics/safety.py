"""Independent safety monitor between the controller and the actuator.

The monitor sees every sensor sample and every controller command, and alone decides what
reaches the actuator. It shares no state with the controller, has its own (simple) model
of the trunk for braking distances, and is meant to run on the device side so that it keeps
working when the link to the controller fails. Each control cycle it:

1. handles stop requests: emergency stop (always torque off), patient stop button;
2. checks the sensor sample: missing (``sensor_dropout``), not finite (``sensor_nan``),
   or a sample counter that did not advance (``sensor_stuck``: the sensor keeps re-sending
   its last frame) — a position loop cannot be closed on a bad sensor, so these always
   end in torque off;
3. checks the command stream: no command this cycle (``comm_loss``, the watchdog; by
   default it tolerates no missed cycle), or a runaway output (``runaway``: not finite,
   beyond ``runaway_factor`` × the torque limit, or changing faster than the slew a
   legitimate controller can produce);
4. checks limits: stops before the angle limits using the braking distance below
   (``angle_limit``) and before the velocity limit by predicting the velocity one reaction
   time ahead from the measured acceleration (``velocity_limit``); both end in torque off,
   because the brake is what the braking distance is computed for;
5. otherwise passes the command, clamped to ± the torque limit.

Every fault is therefore answered in the cycle in which it is first observable, and the
safe state is latched (no automatic restart, as IEC 60204-1 requires of stops): only
:meth:`SafetyMonitor.reset` clears it. Safe states:

- ``torque_off``: safe torque off (motor torque zero at once, bypassing the command
  latency) and the fail-safe brake, which engages after ``brake_engage_s`` and can only
  dissipate energy;
- ``compliant_hold``: the monitor itself holds the posture at the moment of the stop: it
  keeps the support against gravity the robot was giving (only in the direction that holds
  the trunk up, and at most what the passive trunk needs to stay at that angle, so a weak
  patient is not dropped and nothing is pushed) plus a soft spring–damper about the stop
  posture (``hold_stiffness_factor`` × m g d, damping ratio ``hold_damping_ratio``), within
  the torque limit. Used for comm_loss, runaway and the stop button when the device is
  configured for it.

Braking distance (documented contract, tested): a condition shown by a sample is acted on
within the reaction time ``t_r = dt + brake_engage_s``. Until the brake bites, the trunk may
accelerate towards the limit at most ``a_up = (tau_limit + m g d + tau_patient_max) / I``;
once it holds, it decelerates at least ``a_br = (tau_brake - m g d - tau_patient_max) / I``.
From speed ``v`` towards a limit the trunk therefore stops within::

    d(v) = v t_r + a_up t_r² / 2 + (v + a_up t_r)² / (2 a_br)

and the monitor stops as soon as ``angle + d(v)`` would reach a limit. The velocity can
overshoot its limit by at most ``a_up · t_r`` (reaction time at worst-case acceleration).
``tau_patient_max`` is ``patient_torque_bound_nm`` (default 288 N·m, a maximal voluntary
torso extension moment; Chaffin et al. 1999).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from spinewise.core.errors import InvalidInput
from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.device import DeviceConfig, DeviceState, SafeState
from spinewise.robotics.protocols import PatientLimits

FaultKind = Literal[
    "sensor_dropout",
    "sensor_stuck",
    "sensor_nan",
    "comm_loss",
    "runaway",
    "stop_button",
    "emergency_stop",
    "angle_limit",
    "velocity_limit",
]
Mode = Literal["run", "compliant_hold", "torque_off"]

#: Faults after which a position loop cannot be trusted, or that demand a category-0 stop.
ALWAYS_TORQUE_OFF = frozenset(
    {"sensor_dropout", "sensor_stuck", "sensor_nan", "emergency_stop", "angle_limit",
     "velocity_limit"}
)  # fmt: skip
ACCEL_FILTER_HZ = 20.0


@dataclass(frozen=True, slots=True)
class SafetyEvent:
    """One safety event: when, what triggered it, which safe state followed."""

    t_s: float
    kind: str
    action: SafeState
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"t_s": self.t_s, "kind": self.kind, "action": self.action}


@dataclass(frozen=True, slots=True)
class SafetyDecision:
    """What the actuator gets this cycle.

    ``torque_enabled`` False means safe torque off and brake (``disarm``); otherwise
    ``torque_nm`` is the (limited) set-point. ``clamped`` tells whether the controller's
    command was cut to the torque limit.
    """

    torque_nm: float
    torque_enabled: bool
    mode: Mode
    events: tuple[SafetyEvent, ...] = ()
    clamped: bool = False


class SafetyMonitor:
    """Latching safety monitor for one session.

    Parameters
    ----------
    limits : the clinician's per-patient limits.
    device : the device's actuator, brake and monitor settings.
    segment : the monitor's own trunk model (from the patient's height and weight).
    """

    def __init__(self, limits: PatientLimits, device: DeviceConfig, segment: TrunkSegment) -> None:
        self.limits = limits
        self.device = device
        self.segment = segment
        self.dt_s = device.control_period_s
        self.torque_limit_nm = min(limits.torque_nm, device.actuator_torque_limit_nm)
        self.angle_lo_rad, self.angle_hi_rad = limits.angle_rad
        self.velocity_limit_rad_s = limits.velocity_rad_s
        inertia = segment.inertia_kg_m2
        mgd = segment.gravity_stiffness_nm_per_rad
        bound = device.patient_torque_bound_nm
        self.reaction_s = self.dt_s + device.brake_engage_s
        self.accel_bound_rad_s2 = (self.torque_limit_nm + mgd + bound) / inertia
        self.brake_decel_rad_s2 = (device.brake_torque_nm - mgd - bound) / inertia
        if self.brake_decel_rad_s2 <= 0.0:
            raise InvalidInput(
                "device.brake_torque_nm",
                f"{device.brake_torque_nm:g} N·m cannot stop this patient; it must exceed "
                f"m g d + patient_torque_bound_nm = {mgd + bound:.0f} N·m",
            )
        self.hold_stiffness_nm_per_rad = device.hold_stiffness_factor * mgd
        self.hold_damping_nm_s_per_rad = (
            2.0 * device.hold_damping_ratio * math.sqrt(self.hold_stiffness_nm_per_rad * inertia)
        )
        self._max_step_nm = device.max_command_slew_nm_per_s * self.dt_s
        self._rest_distance_rad = self.stopping_distance_rad(0.0)
        self._accel_alpha = 1.0 - math.exp(-2.0 * math.pi * ACCEL_FILTER_HZ * self.dt_s)
        self.events: list[SafetyEvent] = []
        self.clamped_cycles = 0
        self.reset()

    # --- public -------------------------------------------------------------------------
    @property
    def tripped(self) -> bool:
        return self.mode != "run"

    def reset(self) -> None:
        """Clear the latched safe state (a clinician's deliberate action, never automatic)."""
        self.mode: Mode = "run"
        self._logged: set[str] = set()
        self._requests: set[str] = set()
        self._last_counter: int | None = None
        self._last_command: float | None = 0.0  # the actuator starts from zero torque
        self._missed_commands = 0
        self._last_velocity: float | None = None
        self._accel = 0.0
        self._hold_angle = 0.0
        self._hold_bias_nm = 0.0
        self._last_passed_nm = 0.0

    def request_stop(self, kind: Literal["stop_button", "emergency_stop"] = "stop_button") -> None:
        """A stop from outside the loop (web page button, hardware e-stop): next cycle."""
        self._requests.add(kind)

    def stopping_distance_rad(self, speed_rad_s: float) -> float:
        """Worst-case distance to stop from ``speed_rad_s`` towards a limit (see module doc)."""
        v = max(0.0, speed_rad_s)
        t, a_up = self.reaction_s, self.accel_bound_rad_s2
        v_reacted = v + a_up * t
        return v * t + 0.5 * a_up * t * t + v_reacted * v_reacted / (2.0 * self.brake_decel_rad_s2)

    @property
    def velocity_overshoot_bound_rad_s(self) -> float:
        """How far the velocity may exceed its limit: worst-case acceleration × reaction time."""
        return self.accel_bound_rad_s2 * self.reaction_s

    def describe(self) -> dict[str, float]:
        """Braking parameters in display units (for reports and docs)."""
        return {
            "torque_limit_nm": self.torque_limit_nm,
            "reaction_s": self.reaction_s,
            "accel_bound_deg_s2": math.degrees(self.accel_bound_rad_s2),
            "brake_decel_deg_s2": math.degrees(self.brake_decel_rad_s2),
            "stopping_distance_at_rest_deg": math.degrees(self.stopping_distance_rad(0.0)),
            "stopping_distance_at_velocity_limit_deg": math.degrees(
                self.stopping_distance_rad(self.velocity_limit_rad_s)
            ),
            "velocity_overshoot_bound_deg_s": math.degrees(self.velocity_overshoot_bound_rad_s),
        }

    def check(
        self, t_s: float, state: DeviceState | None, command_nm: float | None
    ) -> SafetyDecision:
        """Decide this cycle's actuator output from the newest sample and command."""
        faults = [*self._stop_requests(state)]
        sensor = self._sensor_fault(state)
        if sensor is not None:
            faults.append(sensor)
        # Commands matter only while running: after a stop the actuator no longer follows
        # the controller, so its stream is neither used nor watched.
        command = self._command_fault(command_nm) if self.mode == "run" else None
        if command is not None:
            faults.append(command)
        if sensor is None and state is not None and self.mode != "torque_off":
            faults.extend(self._limit_faults(state))
        # Several faults in one cycle are all logged in that cycle; torque off dominates.
        faults.sort(key=lambda fault: fault[0] not in ALWAYS_TORQUE_OFF)
        logged = [self._trip(t_s, state, kind, detail) for kind, detail in faults]
        events = tuple(e for e in logged if e is not None)
        if command_nm is not None and math.isfinite(command_nm):
            self._last_command = command_nm

        if self.mode == "compliant_hold" and state is None:
            self.mode = (
                "torque_off"  # unreachable (a missing sample escalates), but never hold blind
            )
        if self.mode == "torque_off":
            return SafetyDecision(0.0, False, "torque_off", events)
        if self.mode == "compliant_hold" and state is not None:
            hold = (
                self._hold_bias_nm
                + self.hold_stiffness_nm_per_rad * (self._hold_angle - state.angle_rad)
                - self.hold_damping_nm_s_per_rad * state.velocity_rad_s
            )
            return SafetyDecision(self._clamp(hold)[0], True, "compliant_hold", events)
        if command_nm is None:  # a missed command the watchdog still tolerates: hold the last
            command_nm = self._last_command if self._last_command is not None else 0.0
        torque, clamped = self._clamp(command_nm)
        self.clamped_cycles += clamped
        self._last_passed_nm = torque
        return SafetyDecision(torque, True, "run", events, clamped)

    # --- checks -------------------------------------------------------------------------
    def _stop_requests(self, state: DeviceState | None) -> list[tuple[str, str]]:
        kinds, self._requests = self._requests, set()
        if state is not None and state.stop_button:
            kinds.add("stop_button")
        return [(kind, kind.replace("_", " ")) for kind in sorted(kinds)]

    def _sensor_fault(self, state: DeviceState | None) -> tuple[str, str] | None:
        if state is None:
            return ("sensor_dropout", "no sensor sample this cycle")
        if not (math.isfinite(state.angle_rad) and math.isfinite(state.velocity_rad_s)):
            return ("sensor_nan", "sensor value is not a finite number")
        last, self._last_counter = self._last_counter, state.sensor_counter
        if last is not None and state.sensor_counter == last:
            return ("sensor_stuck", f"sensor counter stuck at {last}")
        velocity = state.velocity_rad_s
        if self._last_velocity is not None:
            raw = (velocity - self._last_velocity) / self.dt_s
            self._accel += self._accel_alpha * (raw - self._accel)
        self._last_velocity = velocity
        return None

    def _command_fault(self, command_nm: float | None) -> tuple[str, str] | None:
        if command_nm is None:
            self._missed_commands += 1
            if self._missed_commands >= self.device.watchdog_cycles:
                return ("comm_loss", f"no command for {self._missed_commands} cycle(s)")
            return None
        self._missed_commands = 0
        if not math.isfinite(command_nm):
            return ("runaway", "command is not a finite number")
        if abs(command_nm) > self.device.runaway_factor * self.torque_limit_nm:
            return ("runaway", f"command {command_nm:.0f} N·m far beyond the torque limit")
        if self._last_command is not None:
            step = abs(command_nm - self._last_command)
            if step > self._max_step_nm + 1e-9:
                return ("runaway", f"command jumped {step:.1f} N·m in one cycle")
        return None

    def _limit_faults(self, state: DeviceState) -> list[tuple[str, str]]:
        theta, omega = state.angle_rad, state.velocity_rad_s
        faults = []
        if omega >= 0.0:
            if theta + self.stopping_distance_rad(omega) >= self.angle_hi_rad:
                deg = math.degrees(self.angle_hi_rad)
                faults.append(("angle_limit", f"would pass the flexion limit {deg:g}°"))
        elif theta - self.stopping_distance_rad(-omega) <= self.angle_lo_rad:
            deg = math.degrees(self.angle_lo_rad)
            faults.append(("angle_limit", f"would pass the extension limit {deg:g}°"))
        # At rest the distance still counts in both directions (gravity, the patient).
        at_rest = self._rest_distance_rad
        if not faults and not (self.angle_lo_rad + at_rest < theta < self.angle_hi_rad - at_rest):
            faults.append(("angle_limit", "at the angle limit"))
        predicted = omega + self._accel * self.reaction_s
        if max(abs(omega), abs(predicted)) >= self.velocity_limit_rad_s:
            faults.append(
                ("velocity_limit", f"velocity {math.degrees(omega):.1f}°/s near the limit")
            )
        return faults

    # --- actions ------------------------------------------------------------------------
    def _trip(
        self, t_s: float, state: DeviceState | None, kind: str, detail: str
    ) -> SafetyEvent | None:
        if kind in ALWAYS_TORQUE_OFF or self.device.safe_state == "torque_off":
            action: SafeState = "torque_off"
        else:
            action = "compliant_hold"
        if self.mode == "torque_off":
            action = "torque_off"  # never relax a latched torque off
        if self.mode == "run" and action == "compliant_hold" and state is not None:
            self._hold_angle = state.angle_rad
            self._hold_bias_nm = self._support_bias_nm(state.angle_rad)
        self.mode = action
        if kind in self._logged:
            return None
        self._logged.add(kind)
        event = SafetyEvent(t_s=t_s, kind=kind, action=action, detail=detail)
        self.events.append(event)
        return event

    def _support_bias_nm(self, theta_rad: float) -> float:
        """The support against gravity to keep holding: the torque the robot was applying,
        but only in the direction that holds the trunk up and never more than the passive
        trunk needs to stay at ``theta_rad``; so dropping a weak patient is avoided and the
        hold can never push (a flexion perturbation in progress, for instance, is dropped)."""
        need = self.segment.holding_torque_nm(theta_rad)
        last = self._last_passed_nm
        if need * last <= 0.0:
            return 0.0
        return math.copysign(min(abs(last), abs(need)), need)

    def _clamp(self, torque_nm: float) -> tuple[float, bool]:
        limit = self.torque_limit_nm
        if torque_nm > limit:
            return limit, True
        if torque_nm < -limit:
            return -limit, True
        return torque_nm, False
