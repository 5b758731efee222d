"""Assist-as-needed impedance controller with error-based adaptation and forgetting.

Control law (each control cycle, torques in N·m)::

    tau = g · [K (theta_ref - theta) + D (omega_ref - omega)] + tau_perturbation

an impedance (virtual spring–damper) pulling the trunk towards the target, scaled by the
assistance gain ``g`` in [g_min, 1]. The robot therefore produces torque only where the
patient falls behind the target, and the stiffer the spring the less error it tolerates.

Adaptation, once per repetition ``i`` (trial to trial)::

    g[i+1] = clip(f · g[i] + c · e[i], g_min, 1)

with ``e[i]`` the RMS tracking error of repetition ``i`` in degrees, forgetting factor
``0 <= f < 1`` and error gain ``c`` (per degree). This is the error-based learning law with
a forgetting factor of Emken, Benitez, Sideris, Bobrow & Reinkensmeyer (2007), "Motor
adaptation as a greedy optimization of error and effort", J Neurophysiol 97:3997–4006,
``F[i+1] = f F[i] - g x[i]``, which they showed minimises a weighted sum of error and effort;
here it adapts an impedance gain rather than a force profile, as the issue asks. The
forgetting term is what makes assistance fall when the patient tracks well, the principle
Wolbrecht, Chan, Reinkensmeyer & Bobrow (2008, IEEE TNSRE 16:286–297) added to their
model-based adaptive controller so that the robot keeps handing work back to the patient.
At steady state ``g* = c e* / (1 - f)``: a patient who needs help keeps a larger error and
so a larger gain; a patient who gets stronger tracks better and gets less.

Choices and why:

- ``K = stiffness_factor · m g d`` (default 6): stiff enough that at ``g = 1`` a patient who
  produces nothing is held within a few degrees of the target against gravity.
- ``D = 2 ζ sqrt(K I)`` with ζ = 0.7: a well-damped response at full assistance.
- ``g_min`` defaults to 1.5 · (m g d - k) / K: even at minimum assistance the robot's
  spring alone exceeds the gravitational negative stiffness of the passive trunk by 50 %,
  so a patient who suddenly stops contributing sags slowly instead of falling.
- Gain changes are ramped over ``assistance_ramp_s``, the output slew is limited and the
  output saturates at the torque limit, so a legitimate command never looks like a runaway
  to the safety monitor.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from spinewise.robotics.anthropometry import TrunkSegment
from spinewise.robotics.device import DeviceState


class ControllerConfig(BaseModel):
    """Settings of the assist-as-needed controller (the protocol's ``controller`` block)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    initial_assistance: float = Field(1.0, ge=0.0, le=1.0)
    forgetting_factor: float = Field(0.7, ge=0.0, lt=1.0)
    error_gain_per_deg: float = Field(0.1, ge=0.0, le=10.0)
    min_assistance: float | None = Field(None, ge=0.0, le=1.0)
    stiffness_factor: float = Field(6.0, gt=1.0, le=50.0)
    damping_ratio: float = Field(0.7, gt=0.0, le=3.0)
    assistance_ramp_s: float = Field(0.5, ge=0.0, le=10.0)
    max_slew_nm_per_s: float = Field(3000.0, gt=0.0)


class AssistAsNeededController:
    """Impedance control around the target with a trial-to-trial adapted assistance gain.

    Parameters
    ----------
    config : controller settings.
    segment : the controller's estimate of the patient's trunk (from height and weight).
    dt_s : control period.
    torque_limit_nm : the output saturates here (the safety monitor clamps again on its own).
    """

    def __init__(
        self,
        config: ControllerConfig,
        segment: TrunkSegment,
        dt_s: float,
        *,
        torque_limit_nm: float = math.inf,
    ) -> None:
        self.config = config
        self.torque_limit_nm = torque_limit_nm
        self.segment = segment
        self.dt_s = dt_s
        mgd = segment.gravity_stiffness_nm_per_rad
        self.stiffness_nm_per_rad = config.stiffness_factor * mgd
        self.damping_nm_s_per_rad = (
            2.0
            * config.damping_ratio
            * math.sqrt(self.stiffness_nm_per_rad * segment.inertia_kg_m2)
        )
        if config.min_assistance is not None:
            self.min_assistance = config.min_assistance
        else:
            negative = max(0.0, mgd - segment.stiffness_nm_per_rad)
            self.min_assistance = min(1.0, 1.5 * negative / self.stiffness_nm_per_rad)
        self.target_assistance = max(self.min_assistance, config.initial_assistance)
        self.assistance = self.target_assistance
        self._ramp_per_cycle = (
            dt_s / config.assistance_ramp_s if config.assistance_ramp_s > 0 else math.inf
        )
        self._slew_per_cycle = config.max_slew_nm_per_s * dt_s
        self._last = 0.0
        self._sq_error = 0.0
        self._samples = 0

    def update(
        self,
        state: DeviceState | None,
        theta_ref_rad: float,
        omega_ref_rad_s: float,
        perturbation_nm: float = 0.0,
    ) -> float:
        """The torque command for this cycle (N·m).

        Without a usable sample (missing or not finite) it holds its last output and leaves
        the sensor fault to the safety monitor.
        """
        if state is None or not math.isfinite(state.angle_rad + state.velocity_rad_s):
            return self._last
        error = theta_ref_rad - state.angle_rad
        self._sq_error += error * error
        self._samples += 1
        step = self.target_assistance - self.assistance
        self.assistance += max(-self._ramp_per_cycle, min(self._ramp_per_cycle, step))
        desired = (
            self.assistance
            * (
                self.stiffness_nm_per_rad * error
                + self.damping_nm_s_per_rad * (omega_ref_rad_s - state.velocity_rad_s)
            )
            + perturbation_nm
        )
        limit = self.torque_limit_nm
        desired = max(-limit, min(limit, desired))  # saturate here: no windup past the limit
        change = max(-self._slew_per_cycle, min(self._slew_per_cycle, desired - self._last))
        if math.isfinite(desired):
            self._last += change
        else:
            self._last = desired  # let the safety monitor see the garbage, never hide it
        return self._last

    @property
    def last_command_nm(self) -> float:
        """The most recent output (N·m)."""
        return self._last

    def finish_repetition(self) -> float:
        """Apply the adaptation law with this repetition's RMS error; return that error (deg)."""
        rmse_deg = math.degrees(math.sqrt(self._sq_error / self._samples)) if self._samples else 0.0
        self._sq_error, self._samples = 0.0, 0
        if math.isfinite(rmse_deg):
            cfg = self.config
            new = cfg.forgetting_factor * self.target_assistance + cfg.error_gain_per_deg * rmse_deg
            self.target_assistance = min(1.0, max(self.min_assistance, new))
        return rmse_deg

    def start_repetition(self) -> None:
        """Forget errors accumulated outside repetitions (transitions, rests between blocks)."""
        self._sq_error, self._samples = 0.0, 0
