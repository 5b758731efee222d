"""Simulated patient: how much of the needed trunk torque the patient produces.

The patient model file (``--patient-model M.json``) is
``{"mass_kg", "height_m", "strength", "strength_gain_per_rep"?, "guarding"?, ...}``.

Model (all torques in N·m, flexion positive). The patient sees the target on the screen
and intends the torque that would move their own passive trunk along it, plus feedback on
the error they feel after a sensorimotor delay::

    tau_intended = ID(theta_ref, omega_ref, alpha_ref)
                   + Kp (theta_ref - theta(t - delay)) + Kd (omega_ref - omega(t - delay))
    tau_patient  = s_eff · tau_intended · (1 + noise) - guarding · (Kg theta + Dg omega)

- ``ID`` is the inverse dynamics of the passive trunk segment (:mod:`.anthropometry`).
- ``s_eff = clip(strength + strength_gain_per_rep · completed_reps, 0, 1) · (1 - fatigue)``:
  ``strength`` is, as the issue defines it, the share of the needed torque the patient
  can produce.
- Feedback gains are normalised to the gravitational stiffness ``m g d``, as in postural
  control models (Peterka 2002, J Neurophysiol 88:1097–1118): ``Kp = 1.5 m g d`` and
  ``Kd = 0.3 s · m g d`` are assumptions of this simulator. The default delay of 50 ms is of
  the order of trunk muscle response latencies to sudden loading (Radebold et al. 2000,
  Spine 25:947–954).
- Motor noise is signal-dependent (its SD grows with the torque; Harris & Wolpert 1998,
  Nature 394:780–784), low-pass filtered at about 5 Hz.
- Fatigue is a first-order fatigue/recovery state in the spirit of Liu, Brown & Yue
  (2002, Biophys J 82:2344–2359), driven by effort relative to a maximal voluntary torque.
  Its rates are illustrative defaults, not fitted values.
- Guarding (0–1) adds protective co-contraction: extra stiffness about upright, since
  patients with low back pain co-contract trunk muscles (van Dieën, Cholewicki & Radebold
  2003, Spine 28:834–841) and show higher trunk stiffness but unchanged damping (Freddolini
  et al. 2014). ``Kg = m g d`` and ``Dg = 0.1 s · m g d`` at guarding 1 are assumptions.
- The patient's torque is bounded by a maximal voluntary torso extension moment of about
  288 N·m (males at 20° flexion; Chaffin, Andersson & Martin 1999, *Occupational
  Biomechanics*, 3rd ed.).

This is a synthetic patient for development and testing; its numbers are not clinical data.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from spinewise.robotics.anthropometry import (
    DEFAULT_PASSIVE_DAMPING_NM_S_PER_RAD,
    DEFAULT_PASSIVE_STIFFNESS_NM_PER_RAD,
    TrunkSegment,
    trunk_segment,
)

MAX_VOLUNTARY_TORQUE_NM = 288.0  # Chaffin et al. 1999, torso extension, males, 20° flexion
FEEDBACK_STIFFNESS_FACTOR = 1.5  # × m g d (assumption, normalisation after Peterka 2002)
FEEDBACK_DAMPING_FACTOR_S = 0.3  # × m g d (assumption)
GUARDING_STIFFNESS_FACTOR = 1.0  # × m g d at guarding = 1 (assumption)
GUARDING_DAMPING_FACTOR_S = 0.1  # × m g d at guarding = 1 (assumption)
NOISE_CUTOFF_HZ = 5.0


class PatientModel(BaseModel):
    """Parameters of a simulated patient (the ``--patient-model`` file)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    mass_kg: float = Field(ge=30.0, le=250.0, description="body mass")
    height_m: float = Field(ge=1.2, le=2.2, description="body height")
    strength: float = Field(ge=0.0, le=1.0, description="share of the needed torque produced")
    strength_gain_per_rep: float = Field(
        0.0, ge=-0.5, le=0.5, description="added to strength after each completed repetition"
    )
    guarding: float = Field(0.0, ge=0.0, le=1.0, description="protective co-contraction, 0–1")
    fatigue_rate_per_s: float = Field(0.02, ge=0.0, le=1.0, description="at maximal effort")
    recovery_rate_per_s: float = Field(0.01, ge=0.0, le=1.0)
    motor_noise: float = Field(0.05, ge=0.0, le=0.5, description="SD as a share of the torque")
    reaction_delay_s: float = Field(0.05, ge=0.0, le=0.2)
    passive_stiffness_nm_per_rad: float = Field(DEFAULT_PASSIVE_STIFFNESS_NM_PER_RAD, ge=0.0)
    passive_damping_nm_s_per_rad: float = Field(DEFAULT_PASSIVE_DAMPING_NM_S_PER_RAD, ge=0.0)

    def segment(self) -> TrunkSegment:
        """The patient's trunk segment (Winter 2009 HAT parameters)."""
        return trunk_segment(
            self.height_m,
            self.mass_kg,
            stiffness_nm_per_rad=self.passive_stiffness_nm_per_rad,
            damping_nm_s_per_rad=self.passive_damping_nm_s_per_rad,
        )


class SimulatedPatient:
    """The patient's own torque, one control cycle at a time.

    Call :meth:`set_goal` with what the screen shows, :meth:`begin_repetition` when a
    repetition starts, and :meth:`torque_nm` once per cycle with the true trunk state.
    """

    def __init__(self, model: PatientModel, *, dt_s: float, seed: int = 0) -> None:
        self.model = model
        self.segment = model.segment()
        self.dt_s = dt_s
        mgd = self.segment.gravity_stiffness_nm_per_rad
        self._kp = FEEDBACK_STIFFNESS_FACTOR * mgd
        self._kd = FEEDBACK_DAMPING_FACTOR_S * mgd
        self._kg = GUARDING_STIFFNESS_FACTOR * mgd * model.guarding
        self._dg = GUARDING_DAMPING_FACTOR_S * mgd * model.guarding
        delay_cycles = max(0, round(model.reaction_delay_s / dt_s))
        self._history: deque[tuple[float, float]] = deque(
            [(0.0, 0.0)] * (delay_cycles + 1), maxlen=delay_cycles + 1
        )
        self._rng = np.random.default_rng(seed)
        self._noise_alpha = 1.0 - math.exp(-2.0 * math.pi * NOISE_CUTOFF_HZ * dt_s)
        # Scale the white noise so the filtered noise has unit SD: var = a / (2 - a).
        self._noise_gain = math.sqrt((2.0 - self._noise_alpha) / self._noise_alpha)
        self._noise_state = 0.0
        self._noise_buffer: list[float] = []
        self.completed_reps = 0
        self.fatigue = 0.0
        self.goal = (0.0, 0.0, 0.0)

    @property
    def effective_strength(self) -> float:
        """Share of the intended torque produced now (strength, training gain and fatigue)."""
        s = self.model.strength + self.model.strength_gain_per_rep * self.completed_reps
        return min(1.0, max(0.0, s)) * (1.0 - self.fatigue)

    def set_goal(self, theta_rad: float, omega_rad_s: float, alpha_rad_s2: float) -> None:
        self.goal = (theta_rad, omega_rad_s, alpha_rad_s2)

    def begin_repetition(self, completed_reps: int) -> None:
        self.completed_reps = completed_reps

    def _noise(self) -> float:
        if not self._noise_buffer:
            self._noise_buffer = self._rng.standard_normal(4096).tolist()
        white = self._noise_buffer.pop()
        self._noise_state += self._noise_alpha * (white * self._noise_gain - self._noise_state)
        return self._noise_state

    def torque_nm(self, theta_rad: float, omega_rad_s: float) -> float:
        """The patient's net torque on the trunk this cycle (and advance fatigue)."""
        self._history.append((theta_rad, omega_rad_s))
        theta_old, omega_old = self._history[0]  # the state ``delay`` cycles ago
        ref_theta, ref_omega, ref_alpha = self.goal
        intended = (
            self.segment.inverse_dynamics_nm(ref_theta, ref_omega, ref_alpha)
            + self._kp * (ref_theta - theta_old)
            + self._kd * (ref_omega - omega_old)
        )
        voluntary = self.effective_strength * intended
        voluntary *= 1.0 + self.model.motor_noise * self._noise()
        guard = -(self._kg * theta_rad + self._dg * omega_rad_s)
        total = max(-MAX_VOLUNTARY_TORQUE_NM, min(MAX_VOLUNTARY_TORQUE_NM, voluntary + guard))
        effort = min(1.0, abs(total) / MAX_VOLUNTARY_TORQUE_NM)
        rate = self.model.fatigue_rate_per_s * effort * (1.0 - self.fatigue)
        rate -= self.model.recovery_rate_per_s * self.fatigue * (1.0 - effort)
        self.fatigue = min(0.95, max(0.0, self.fatigue + rate * self.dt_s))
        return total
