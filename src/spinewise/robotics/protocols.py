"""Therapy protocols as data, and the target trajectory they describe.

A protocol file (``--protocol P.json``) holds the clinician's per-patient limits, a list of
exercises, and optional controller and device settings::

    {
      "name": "Flexion-extension in the pain-free range",
      "limits": {"angle_deg": [-10, 40], "torque_nm": 80, "velocity_deg_s": 40},
      "exercises": [
        {"kind": "flexion_extension", "range_deg": [0, 30], "period_s": 6,
         "hold_s": 1, "repetitions": 6, "rest_s": 1},
        {"kind": "stabilisation", "angle_deg": 10, "repetitions": 4,
         "perturbation_nm": 15, "pulse_s": 0.3, "interval_s": 4, "direction": "random"}
      ],
      "controller": {...},   # optional, see controller.ControllerConfig
      "device": {...}        # optional, see device.DeviceConfig
    }

Angles are trunk flexion from upright in degrees (extension negative). Every session starts
and ends upright (0°). Between exercises the target moves with a minimum-jerk transition
(Flash & Hogan 1985, J Neurosci 5:1688–1703) at half the velocity limit; repetitions of a
flexion–extension exercise are minimum-jerk moves out to the far end of the range, a hold,
a move back and a rest. A stabilisation repetition holds a posture while the robot applies a
smooth (raised-cosine) torque pulse at a randomised moment, so the patient cannot anticipate
it; the patient and the assist-as-needed controller then restore the posture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spinewise.core.errors import InvalidInput
from spinewise.robotics.controller import ControllerConfig
from spinewise.robotics.device import DeviceConfig

#: Minimum-jerk peak speed is 1.875 × distance / duration (Flash & Hogan 1985).
MIN_JERK_PEAK_SPEED_FACTOR = 1.875
#: Targets stay at least this far inside the clinician's angle limits (engineering margin).
TARGET_MARGIN_DEG = 2.0
#: Peak target speed may use at most this share of the velocity limit.
TARGET_SPEED_SHARE = 0.8
#: Transitions between exercises run at this share of the velocity limit.
TRANSITION_SPEED_SHARE = 0.5


class PatientLimits(BaseModel):
    """Per-patient limits set by the clinician."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    angle_deg: tuple[float, float]
    torque_nm: float = Field(gt=0.0, le=1000.0)
    velocity_deg_s: float = Field(gt=0.0, le=360.0)

    @model_validator(mode="after")
    def _check(self) -> PatientLimits:
        lo, hi = self.angle_deg
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError("angle_deg must be finite")
        if not lo < hi:
            raise ValueError(f"angle_deg must be [low, high] with low < high, got [{lo}, {hi}]")
        if not lo <= 0.0 <= hi:
            raise ValueError("angle_deg must include 0 (upright), where every session starts")
        if lo < -60.0 or hi > 120.0:
            raise ValueError("angle_deg must lie within [-60, 120] degrees")
        return self

    @property
    def angle_rad(self) -> tuple[float, float]:
        return (math.radians(self.angle_deg[0]), math.radians(self.angle_deg[1]))

    @property
    def velocity_rad_s(self) -> float:
        return math.radians(self.velocity_deg_s)


class FlexionExtension(BaseModel):
    """Repeated flexion–extension within the pain-free range."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: Literal["flexion_extension"]
    range_deg: tuple[float, float]
    period_s: float = Field(gt=0.5, le=120.0, description="out and back, holds excluded")
    hold_s: float = Field(0.0, ge=0.0, le=60.0, description="hold at the far end")
    repetitions: int = Field(ge=1, le=500)
    rest_s: float = Field(0.0, ge=0.0, le=120.0, description="rest at the start angle")

    @model_validator(mode="after")
    def _check(self) -> FlexionExtension:
        lo, hi = self.range_deg
        if not lo < hi:
            raise ValueError("range_deg must be [start, far end] with start < far end")
        return self

    @property
    def peak_speed_deg_s(self) -> float:
        lo, hi = self.range_deg
        return MIN_JERK_PEAK_SPEED_FACTOR * (hi - lo) / (self.period_s / 2.0)


class Stabilisation(BaseModel):
    """Hold a posture against torque perturbations applied by the robot."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: Literal["stabilisation"]
    angle_deg: float = 0.0
    repetitions: int = Field(ge=1, le=500, description="one perturbation per repetition")
    perturbation_nm: float = Field(gt=0.0, le=500.0, description="peak of the torque pulse")
    pulse_s: float = Field(0.3, ge=0.05, le=2.0)
    interval_s: float = Field(4.0, gt=0.0, le=120.0, description="duration of one repetition")
    jitter_s: float = Field(0.5, ge=0.0, le=10.0, description="random delay of the pulse")
    direction: Literal["flexion", "extension", "alternate", "random"] = "random"

    @model_validator(mode="after")
    def _check(self) -> Stabilisation:
        if self.interval_s < 0.5 + self.jitter_s + self.pulse_s + 1.0:
            raise ValueError(
                "interval_s must leave 0.5 s before the pulse, the jitter, the pulse and 1 s"
                " to recover"
            )
        return self


Exercise = Annotated[FlexionExtension | Stabilisation, Field(discriminator="kind")]


class TherapyProtocol(BaseModel):
    """A session prescription: limits, exercises, controller and device settings."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field("", max_length=200)
    limits: PatientLimits
    exercises: list[Exercise] = Field(min_length=1, max_length=50)
    controller: ControllerConfig = ControllerConfig()
    device: DeviceConfig = DeviceConfig()

    @model_validator(mode="after")
    def _check_against_limits(self) -> TherapyProtocol:
        lo, hi = self.limits.angle_deg
        v_max = TARGET_SPEED_SHARE * self.limits.velocity_deg_s
        if self.limits.torque_nm > self.device.actuator_torque_limit_nm:
            raise ValueError(
                f"limits.torque_nm {self.limits.torque_nm:g} exceeds the actuator's "
                f"{self.device.actuator_torque_limit_nm:g} N·m"
            )
        if self.controller.max_slew_nm_per_s >= self.device.max_command_slew_nm_per_s:
            raise ValueError(
                "controller.max_slew_nm_per_s must stay below device.max_command_slew_nm_per_s,"
                " or legitimate commands would look like a runaway"
            )
        for i, ex in enumerate(self.exercises):
            angles = ex.range_deg if isinstance(ex, FlexionExtension) else (ex.angle_deg,) * 2
            if angles[0] < lo + TARGET_MARGIN_DEG or angles[1] > hi - TARGET_MARGIN_DEG:
                raise ValueError(
                    f"exercises[{i}] target {list(angles)}° must stay {TARGET_MARGIN_DEG:g}° "
                    f"inside the angle limits [{lo:g}, {hi:g}]°"
                )
            if isinstance(ex, FlexionExtension) and ex.peak_speed_deg_s > v_max:
                raise ValueError(
                    f"exercises[{i}] peaks at {ex.peak_speed_deg_s:.1f}°/s, more than "
                    f"{TARGET_SPEED_SHARE:.0%} of the velocity limit; lengthen period_s"
                )
            if isinstance(ex, Stabilisation) and ex.perturbation_nm > self.limits.torque_nm:
                raise ValueError(
                    f"exercises[{i}].perturbation_nm {ex.perturbation_nm:g} exceeds the "
                    f"torque limit {self.limits.torque_nm:g} N·m"
                )
        return self


def parse_model(model: type[Any], data: Any, what: str) -> Any:
    """Validate ``data`` as ``model``; errors become one ``InvalidInput`` line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field"
        elif err["type"] == "missing":
            message = "required field is missing"
        raise InvalidInput(f"{what}.{where}" if where else what, message) from None


def load_protocol(data: Any) -> TherapyProtocol:
    """A :class:`TherapyProtocol` from parsed JSON (``InvalidInput`` if malformed)."""
    protocol: TherapyProtocol = parse_model(TherapyProtocol, data, "protocol")
    return protocol


@dataclass(frozen=True, slots=True)
class RepetitionWindow:
    """Where one repetition lies in the reference (sample indices, end exclusive)."""

    index: int
    exercise: int
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Reference:
    """The target trajectory sampled at the control period.

    Arrays share one length: target angle (rad), velocity (rad/s), acceleration (rad/s²),
    the robot's perturbation torque (N·m) and the repetition index (-1 outside repetitions).
    """

    dt_s: float
    theta_rad: np.ndarray
    omega_rad_s: np.ndarray
    alpha_rad_s2: np.ndarray
    perturbation_nm: np.ndarray
    repetition: np.ndarray
    repetitions: tuple[RepetitionWindow, ...]

    @property
    def n(self) -> int:
        return int(self.theta_rad.size)

    @property
    def duration_s(self) -> float:
        return self.n * self.dt_s


class _Builder:
    def __init__(self, dt_s: float) -> None:
        self.dt_s = dt_s
        self.theta: list[np.ndarray] = []
        self.omega: list[np.ndarray] = []
        self.alpha: list[np.ndarray] = []
        self.pert: list[np.ndarray] = []
        self.rep: list[np.ndarray] = []
        self.n = 0
        self.angle = 0.0

    def _append(self, th: np.ndarray, om: np.ndarray, al: np.ndarray, rep: int) -> None:
        self.theta.append(th)
        self.omega.append(om)
        self.alpha.append(al)
        self.pert.append(np.zeros_like(th))
        self.rep.append(np.full(th.size, rep, dtype=np.int64))
        self.n += th.size
        if th.size:
            self.angle = float(th[-1])

    def hold(self, duration_s: float, rep: int = -1) -> None:
        k = round(duration_s / self.dt_s)
        self._append(np.full(k, self.angle), np.zeros(k), np.zeros(k), rep)

    def move(self, target_rad: float, duration_s: float, rep: int = -1) -> None:
        """Minimum-jerk move (Flash & Hogan 1985) from the current angle to ``target_rad``."""
        k = max(1, round(duration_s / self.dt_s))
        T = k * self.dt_s
        tau = np.arange(1, k + 1) / k
        d = target_rad - self.angle
        th = self.angle + d * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
        om = d / T * (30 * tau**2 - 60 * tau**3 + 30 * tau**4)
        al = d / T**2 * (60 * tau - 180 * tau**2 + 120 * tau**3)
        self._append(th, om, al, rep)
        self.angle = target_rad

    def transition(self, target_rad: float, speed_rad_s: float) -> None:
        distance = abs(target_rad - self.angle)
        if distance > 1e-12:
            self.move(target_rad, max(1.0, MIN_JERK_PEAK_SPEED_FACTOR * distance / speed_rad_s))


def planned_duration_s(protocol: TherapyProtocol) -> float:
    """How long :func:`build_reference` runs, computed without sampling it (seconds).

    The same plan in closed form: 1 s upright, per exercise a transition to its start, and
    its repetitions (a stabilisation exercise also settles for 1 s first), then the way back
    to upright and 1 s there. Sampling rounds each segment to whole control cycles, so the
    sampled duration may differ by up to half a cycle per segment. A service checks this
    before building a reference whose arrays would not fit in memory.
    """
    speed_deg_s = TRANSITION_SPEED_SHARE * protocol.limits.velocity_deg_s

    def transition(from_deg: float, to_deg: float) -> float:
        distance = abs(to_deg - from_deg)
        if distance <= math.degrees(1e-12):
            return 0.0
        return max(1.0, MIN_JERK_PEAK_SPEED_FACTOR * distance / speed_deg_s)

    total, angle = 1.0, 0.0
    for ex in protocol.exercises:
        if isinstance(ex, FlexionExtension):
            start = ex.range_deg[0]
            total += transition(angle, start)
            total += ex.repetitions * (ex.period_s + ex.hold_s + ex.rest_s)
        else:
            start = ex.angle_deg
            total += transition(angle, start) + 1.0 + ex.repetitions * ex.interval_s
        angle = start
    return total + transition(angle, 0.0) + 1.0


def build_reference(protocol: TherapyProtocol, dt_s: float, *, seed: int = 0) -> Reference:
    """Sample the protocol's target at ``dt_s``; ``seed`` randomises perturbation timing."""
    rng = np.random.default_rng(seed)
    b = _Builder(dt_s)
    transition_speed = TRANSITION_SPEED_SHARE * protocol.limits.velocity_rad_s
    windows: list[RepetitionWindow] = []
    b.hold(1.0)  # settle upright before the first move
    for ex_index, ex in enumerate(protocol.exercises):
        if isinstance(ex, FlexionExtension):
            start, far = (math.radians(a) for a in ex.range_deg)
            b.transition(start, transition_speed)
            for _ in range(ex.repetitions):
                rep, first = len(windows), b.n
                b.move(far, ex.period_s / 2.0, rep)
                b.hold(ex.hold_s, rep)
                b.move(start, ex.period_s / 2.0, rep)
                b.hold(ex.rest_s, rep)
                windows.append(RepetitionWindow(rep, ex_index, ex.kind, first, b.n))
        else:
            b.transition(math.radians(ex.angle_deg), transition_speed)
            b.hold(1.0)
            for j in range(ex.repetitions):
                rep, first = len(windows), b.n
                b.hold(ex.interval_s, rep)
                onset = 0.5 + float(rng.uniform(0.0, ex.jitter_s))
                k0 = first + round(onset / dt_s)
                k = round(ex.pulse_s / dt_s)
                pulse = ex.perturbation_nm * np.sin(np.pi * np.arange(1, k + 1) / k) ** 2
                sign = {
                    "flexion": 1.0,
                    "extension": -1.0,
                    "alternate": 1.0 if j % 2 == 0 else -1.0,
                    "random": 1.0 if rng.random() < 0.5 else -1.0,
                }[ex.direction]
                b.pert[-1][k0 - first : k0 - first + k] = sign * pulse
                windows.append(RepetitionWindow(rep, ex_index, ex.kind, first, b.n))
    b.transition(0.0, transition_speed)
    b.hold(1.0)
    return Reference(
        dt_s=dt_s,
        theta_rad=np.concatenate(b.theta),
        omega_rad_s=np.concatenate(b.omega),
        alpha_rad_s2=np.concatenate(b.alpha),
        perturbation_nm=np.concatenate(b.pert),
        repetition=np.concatenate(b.rep),
        repetitions=tuple(windows),
    )
