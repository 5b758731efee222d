"""Sagittal trunk segment from body height and mass.

The trunk is modelled as one rigid segment, the head–arms–trunk (HAT) segment of
Winter, pivoting about the hip/lumbosacral level in the sagittal plane. Angle ``theta``
is the segment's tilt from upright in radians, **flexion positive**; torques are in N·m,
positive in the flexion direction.

Segment parameters follow Winter DA, *Biomechanics and Motor Control of Human Movement*,
4th ed., Wiley 2009, Table 4.1 and Figure 4.1 (segment lengths after Drillis & Contini 1966):

- HAT mass = 0.678 × body mass;
- HAT length = greater trochanter (0.530 H) to glenohumeral joint (0.818 H) = 0.288 H;
- centre of mass at 0.626 of the length from the proximal (hip) end;
- radius of gyration about the proximal end = 0.798 × length
  (consistent with 0.496 about the centre of mass: 0.496² + 0.626² = 0.798²).

Passive spinal stiffness and damping are linear here. McGill, Seguin & Bennett (1994,
Spine 19:696–704) measured a nonlinear passive flexion moment–angle relation that is
compliant near neutral and stiffens towards end range; the defaults below are a mid-range
linearisation chosen for this simulator (an assumption, overridable per patient model), not
numbers quoted from that paper. Freddolini, Strike & Lee (2014, "Stiffness properties of the
trunk in people with low back pain", pp. 70–79) fitted the same second-order
inertia–stiffness–damping model to trunk responses and found stiffness, not damping,
increased in low back pain, which is how guarding is modelled in :mod:`.patient`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spinewise.core.errors import InvalidInput

GRAVITY_M_S2 = 9.81

# Winter 2009, Table 4.1 (HAT: greater trochanter to glenohumeral joint) and Fig. 4.1.
HAT_MASS_FRACTION = 0.678
HAT_LENGTH_FRACTION_OF_HEIGHT = 0.818 - 0.530
HAT_COM_FRACTION_FROM_HIP = 0.626
HAT_GYRATION_FRACTION_ABOUT_HIP = 0.798

# Simulator assumptions (see module docstring): mid-range linear passive properties.
DEFAULT_PASSIVE_STIFFNESS_NM_PER_RAD = 86.0  # ≈ 1.5 N·m/deg
DEFAULT_PASSIVE_DAMPING_NM_S_PER_RAD = 5.0


@dataclass(frozen=True, slots=True)
class TrunkSegment:
    """Rigid sagittal trunk segment pivoting at the hip/lumbosacral level.

    Attributes
    ----------
    mass_kg : segment (HAT) mass.
    com_distance_m : pivot-to-centre-of-mass distance ``d``.
    inertia_kg_m2 : moment of inertia about the pivot.
    stiffness_nm_per_rad : passive spinal stiffness ``k`` (restoring towards upright).
    damping_nm_s_per_rad : passive damping ``c``.
    """

    mass_kg: float
    com_distance_m: float
    inertia_kg_m2: float
    stiffness_nm_per_rad: float = DEFAULT_PASSIVE_STIFFNESS_NM_PER_RAD
    damping_nm_s_per_rad: float = DEFAULT_PASSIVE_DAMPING_NM_S_PER_RAD

    @property
    def gravity_stiffness_nm_per_rad(self) -> float:
        """``m g d``: the gravity torque per radian near upright (N·m/rad)."""
        return self.mass_kg * GRAVITY_M_S2 * self.com_distance_m

    def gravity_torque_nm(self, theta_rad: float) -> float:
        """Gravity torque about the pivot, ``m g d sin(theta)`` (pulls further into flexion)."""
        return self.gravity_stiffness_nm_per_rad * math.sin(theta_rad)

    def passive_torque_nm(self, theta_rad: float, omega_rad_s: float) -> float:
        """Passive spinal torque ``-k theta - c omega``."""
        return -self.stiffness_nm_per_rad * theta_rad - self.damping_nm_s_per_rad * omega_rad_s

    def holding_torque_nm(self, theta_rad: float) -> float:
        """Torque needed to hold the segment still at ``theta``: ``k theta - m g d sin(theta)``."""
        return self.stiffness_nm_per_rad * theta_rad - self.gravity_torque_nm(theta_rad)

    def inverse_dynamics_nm(
        self, theta_rad: float, omega_rad_s: float, alpha_rad_s2: float
    ) -> float:
        """Torque that moves the passive segment along (theta, omega, alpha)."""
        return (
            self.inertia_kg_m2 * alpha_rad_s2
            - self.gravity_torque_nm(theta_rad)
            - self.passive_torque_nm(theta_rad, omega_rad_s)
        )

    def energy_j(self, theta_rad: float, omega_rad_s: float) -> float:
        """Kinetic + gravitational (zero at the pivot height) + passive elastic energy."""
        return (
            0.5 * self.inertia_kg_m2 * omega_rad_s**2
            + self.gravity_stiffness_nm_per_rad * math.cos(theta_rad)
            + 0.5 * self.stiffness_nm_per_rad * theta_rad**2
        )


def trunk_segment(
    height_m: float,
    mass_kg: float,
    *,
    stiffness_nm_per_rad: float = DEFAULT_PASSIVE_STIFFNESS_NM_PER_RAD,
    damping_nm_s_per_rad: float = DEFAULT_PASSIVE_DAMPING_NM_S_PER_RAD,
) -> TrunkSegment:
    """HAT segment of a person of ``height_m`` and ``mass_kg`` (Winter 2009, Table 4.1)."""
    if not (math.isfinite(height_m) and 0.5 <= height_m <= 2.5):
        raise InvalidInput("height_m", f"must be between 0.5 and 2.5 m, got {height_m}")
    if not (math.isfinite(mass_kg) and 10.0 <= mass_kg <= 350.0):
        raise InvalidInput("mass_kg", f"must be between 10 and 350 kg, got {mass_kg}")
    length_m = HAT_LENGTH_FRACTION_OF_HEIGHT * height_m
    segment_mass_kg = HAT_MASS_FRACTION * mass_kg
    gyration_m = HAT_GYRATION_FRACTION_ABOUT_HIP * length_m
    return TrunkSegment(
        mass_kg=segment_mass_kg,
        com_distance_m=HAT_COM_FRACTION_FROM_HIP * length_m,
        inertia_kg_m2=segment_mass_kg * gyration_m**2,
        stiffness_nm_per_rad=stiffness_nm_per_rad,
        damping_nm_s_per_rad=damping_nm_s_per_rad,
    )
