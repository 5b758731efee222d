"""Synthetic IMU recordings with known truth (SYNTHETIC data, never clinical evidence).

Model, in three layers (documented with figures in ``docs/posture.md``):

1. **Behaviour**: a scenario (``office``, ``warehouse``, ``home``, ``mixed``) is a random
   sequence of phases — stand, sit, reach, lift, bench work, walk, lie supine or on a side —
   each with a target trunk flexion θ and lateral bend ψ, a duration and an activity label.
   Moves between targets follow a minimum-jerk profile (Flash & Hogan 1985, J Neurosci
   5:1688); while held, the trunk wanders (smooth random drift, ``wobble_deg``) and
   sways with breathing (~0.25 Hz). Walking adds step-frequency trunk oscillation,
   heading changes (turns) and the pelvic accelerations of gait (vertical ≈ 0.25 g at the
   step frequency, antero-posterior ≈ 0.15 g, medio-lateral ≈ 0.08 g at half of it: the
   order of magnitude reported for trunk accelerometry in gait, e.g. Moe-Nilssen 1998,
   Clin Biomech 13:320).
2. **Kinematics**: the world "up" vector in the body frame is
   ``u = (-sin ψ, cos ψ cos θ, cos ψ sin θ)`` so that the engine's definitions
   (flexion = atan2(u_z, u_y), lateral = atan2(-u_x, √(u_y²+u_z²))) recover θ and ψ exactly;
   the body rotation is heading × the minimal tilt taking ``u`` to vertical. The sensor
   sits 0.45 m above the hips, so bending adds tangential and centripetal accelerations.
   Angular velocity and acceleration come from central differences (±1 ms) of the exact
   closed-form trajectory.
3. **Sensor**: a mounting rotation (tilt up to 30° about an axis in the body's x–z plane
   plus a small yaw), gyroscope bias (default 2 °/s, random direction), white noise,
   1 % scale errors, accelerometer bias and noise, 16-bit quantisation, timestamp jitter,
   and optional gaps (dropped data) longer than 0.5 s.

The truth written alongside a recording (``Simulation.truth_summary``) is flexion
relative to the posture held during the calibration window, as DESIGN §4 defines the
engine's angles (and relative to true upright under ``"upright"``). It uses the same zone
thresholds and time accounting as the engine: each sample stands for the interval since
the previous sample of its segment, lying counts as neutral, and flexion percentiles are
over the samples that are not lying.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.posture.io import MAX_GAP_S, STANDARD_GRAVITY_M_S2, ImuSamples

FloatArray = NDArray[np.float64]

SCENARIOS = ("office", "warehouse", "home", "mixed")
ACTIVITIES = ("still", "moving", "walking", "lying")  # truth labels, codes 0..3
SENSOR_HEIGHT_M = 0.45  # upper back (between the shoulder blades) above the hip joints
_EPS_S = 1e-3  # central-difference step for angular velocity and acceleration


@dataclass(frozen=True)
class Phase:
    """One behaviour phase: move to (flexion, lateral) in ``move_s`` then hold."""

    duration_s: float
    flexion_deg: float
    lateral_deg: float = 0.0
    activity: str = "still"
    move_s: float = 1.0
    wobble_deg: float = 2.0
    turn_deg: float = 0.0  # heading change spread over a walking phase


@dataclass(frozen=True)
class SensorModel:
    """Sensor and mounting errors (defaults: the robustness targets of issue 4)."""

    mount_tilt_deg: float = 25.0
    mount_tilt_azimuth_deg: float | None = None  # None: random direction in the x–z plane
    mount_yaw_deg: float = 3.0
    gyro_bias_dps: float = 2.0  # magnitude; direction random
    gyro_noise_dps: float = 0.15  # white noise std per sample
    gyro_scale_error: float = 0.01
    accel_noise_g: float = 0.005
    accel_bias_g: float = 0.01  # per-axis std
    accel_scale_error: float = 0.01
    quantisation: bool = True  # ±16 g and ±2000 °/s over 16 bits
    timestamp_jitter_s: float = 0.001
    gaps: int = 0  # number of dropped-data gaps (1–3 s each)


@dataclass
class Simulation:
    """A simulated recording with its truth."""

    samples: ImuSamples
    true_t: FloatArray  # sampling instants (without timestamp jitter)
    true_flexion_deg: FloatArray
    true_lateral_deg: FloatArray
    true_activity: NDArray[np.int8]  # codes into ACTIVITIES
    info: dict[str, Any] = field(default_factory=dict)

    def truth_summary(
        self,
        neutral_max_deg: float = 20.0,
        severe_min_deg: float = 60.0,
        *,
        calibration_s: tuple[float, float] | None = (0.0, 5.0),
    ) -> dict[str, Any]:
        """The truth the engine should report, plus the anatomical view under ``"upright"``.

        DESIGN §4 defines flexion *relative to the neutral posture held during calibration*
        (default: the first 5 s), so the main figures are relative to the wearer's true mean
        flexion in that window — a wearer who sways 0.4° forward while "standing tall" has
        that posture as zero, for the engine and for this truth alike. ``calibration_s=None``
        gives flexion relative to true upright only. The shift is applied to sagittal flexion
        alone; the lateral component of the calibration posture changes flexion by far less
        than 0.01° at these sway amplitudes.
        """
        upright = truth_summary(
            self.true_t, self.true_flexion_deg, self.true_activity, neutral_max_deg, severe_min_deg
        )
        if calibration_s is None:
            return upright | {"reference": "upright", "model": self.info}
        offset = self.neutral_offset_deg(calibration_s)
        relative = truth_summary(
            self.true_t,
            self.true_flexion_deg - offset,
            self.true_activity,
            neutral_max_deg,
            severe_min_deg,
        )
        return relative | {
            "reference": "calibrated_neutral",
            "calibration_s": list(calibration_s),
            "neutral_offset_deg": offset,
            "upright": {k: upright[k] for k in ("time_in_zone_s", "flexion_deg")},
            "model": self.info,
        }

    def neutral_offset_deg(self, calibration_s: tuple[float, float] = (0.0, 5.0)) -> float:
        """True mean flexion (from upright) in the calibration window, seconds from the start."""
        t0 = float(self.true_t[0])
        start, end = calibration_s
        window = (self.true_t >= t0 + start) & (self.true_t < t0 + end)
        if not window.any():
            raise InvalidInput("calibrate", "the calibration window holds no samples")
        return float(self.true_flexion_deg[window].mean())


# --------------------------------------------------------------------------- behaviour


def _office(rng: np.random.Generator) -> list[Phase]:
    phases: list[Phase] = []
    sit = float(np.clip(rng.normal(14, 6), 4, 30))
    phases.append(Phase(rng.uniform(120, 480), sit, rng.normal(0, 3), "still", 1.5, 3.0))
    for _ in range(int(rng.integers(1, 4))):  # reach for the keyboard, a drawer, papers
        phases.append(Phase(rng.uniform(2, 8), rng.uniform(28, 50), rng.normal(0, 6), "moving"))
        phases.append(Phase(rng.uniform(30, 180), float(np.clip(rng.normal(22, 6), 8, 38))))
    if rng.random() < 0.7:  # stand up (forward lean), walk, maybe pick up from the floor
        phases.append(Phase(1.0, 35.0, 0.0, "moving", 0.8, 0.5))
        phases.append(Phase(rng.uniform(5, 20), rng.uniform(0, 6), 0.0, "still", 0.8, 1.0))
        phases.append(
            Phase(rng.uniform(30, 120), 5.0, 0.0, "walking", 1.0, 1.0, rng.choice([90, 180, -90]))
        )
        if rng.random() < 0.5:
            phases.append(Phase(rng.uniform(2, 5), rng.uniform(65, 85), 0.0, "moving", 1.2, 1.0))
        phases.append(Phase(rng.uniform(20, 60), rng.uniform(3, 10), 0.0, "still", 1.0, 1.5))
        phases.append(Phase(rng.uniform(20, 60), 5.0, 0.0, "walking", 1.0, 1.0, 180.0))
    return phases


def _warehouse(rng: np.random.Generator) -> list[Phase]:
    phases: list[Phase] = []
    for _ in range(int(rng.integers(3, 8))):  # pick cycles: walk, stoop, lift, carry
        phases.append(
            Phase(rng.uniform(8, 40), 6.0, 0.0, "walking", 1.0, 1.0, rng.choice([90, -90, 180]))
        )
        phases.append(Phase(rng.uniform(2, 6), rng.uniform(62, 95), rng.normal(0, 8), "moving"))
        phases.append(Phase(rng.uniform(2, 8), rng.uniform(0, 8), 0.0, "still", 1.0, 1.5))
    phases.append(  # bench work: sustained moderate flexion
        Phase(
            rng.uniform(60, 240), float(np.clip(rng.normal(35, 8), 22, 55)), 0.0, "moving", 1.5, 4.0
        )
    )
    phases.append(Phase(rng.uniform(10, 40), rng.uniform(0, 6), 0.0, "still", 1.0, 1.5))
    return phases


def _home(rng: np.random.Generator) -> list[Phase]:
    phases: list[Phase] = []
    slump = float(np.clip(rng.normal(24, 7), 8, 40))
    phases.append(Phase(rng.uniform(120, 600), slump, rng.normal(0, 4), "still", 1.5, 3.0))
    phases.append(Phase(rng.uniform(20, 60), 5.0, 0.0, "walking", 1.0, 1.0, 180.0))
    kitchen = float(np.clip(rng.normal(25, 6), 12, 40))
    phases.append(Phase(rng.uniform(60, 300), kitchen, 0.0, "moving", 1.2, 4.0))
    if rng.random() < 0.6:
        if rng.random() < 0.5:
            phases.append(Phase(rng.uniform(120, 600), -90.0, 0.0, "lying", 3.0, 0.5))
        else:
            side = float(rng.choice([-90.0, 90.0]))
            phases.append(Phase(rng.uniform(120, 600), 0.0, side, "lying", 3.0, 0.5))
        phases.append(Phase(rng.uniform(5, 20), 10.0, 0.0, "still", 3.0, 1.0))
    return phases


_SCENARIO_PHASES: dict[str, Callable[[np.random.Generator], list[Phase]]] = {
    "office": _office,
    "warehouse": _warehouse,
    "home": _home,
}


def scenario_phases(scenario: str, duration_s: float, rng: np.random.Generator) -> list[Phase]:
    """The behaviour timeline: 8 s of upright calibration, then random scenario phases."""
    if scenario not in SCENARIOS:
        raise InvalidInput("scenario", f"must be one of {', '.join(SCENARIOS)}, not {scenario!r}")
    phases = [Phase(8.0, 0.0, 0.0, "still", 0.0, 0.4)]  # stand upright at the start
    total = phases[0].duration_s
    kinds = list(_SCENARIO_PHASES)
    while total < duration_s + 5.0:
        kind = scenario if scenario != "mixed" else str(rng.choice(kinds))
        for phase in _SCENARIO_PHASES[kind](rng):
            phases.append(phase)
            total += phase.duration_s
    return phases


# --------------------------------------------------------------------------- kinematics


def _min_jerk(s: FloatArray) -> FloatArray:
    s = np.clip(s, 0.0, 1.0)
    return s * s * s * (10.0 - 15.0 * s + 6.0 * s * s)


class _Smooth:
    """A smooth zero-mean random signal with unit standard deviation (sum of sinusoids)."""

    def __init__(self, rng: np.random.Generator, f_lo: float, f_hi: float, k: int = 6) -> None:
        self.f = np.exp(rng.uniform(math.log(f_lo), math.log(f_hi), k))
        self.phase = rng.uniform(0, 2 * math.pi, k)
        self.amp = math.sqrt(2.0 / k)

    def __call__(self, t: FloatArray) -> FloatArray:
        out = np.zeros_like(t)
        for f, p in zip(self.f, self.phase, strict=True):
            out += np.sin(2 * math.pi * f * t + p)
        return out * self.amp


class _Trajectory:
    """Closed-form trunk trajectory: evaluate θ, ψ, heading and gait terms at any time."""

    def __init__(self, phases: list[Phase], rng: np.random.Generator) -> None:
        self.start = np.cumsum([0.0] + [p.duration_s for p in phases[:-1]])
        self.end = self.start + np.array([p.duration_s for p in phases])
        self.flex = np.array([p.flexion_deg for p in phases])
        self.lat = np.array([p.lateral_deg for p in phases])
        self.move = np.array([p.move_s for p in phases])
        self.wobble = np.array([p.wobble_deg for p in phases])
        self.activity = np.array([ACTIVITIES.index(p.activity) for p in phases], dtype=np.int8)
        self.walking = np.array([p.activity == "walking" for p in phases], dtype=float)
        turn = np.array([p.turn_deg for p in phases])
        self.heading_before = np.cumsum(np.concatenate([[0.0], turn[:-1]]))
        self.turn = turn
        self.drift_flex = _Smooth(rng, 1 / 90, 1 / 8)
        self.drift_lat = _Smooth(rng, 1 / 90, 1 / 8)
        self.breath = (rng.uniform(0.2, 0.3), rng.uniform(0, 2 * math.pi))
        self.step_hz = rng.uniform(1.7, 2.0)
        self.gait_phase = rng.uniform(0, 2 * math.pi, 6)

    def phase_index(self, t: FloatArray) -> NDArray[np.intp]:
        return np.clip(np.searchsorted(self.end, t, side="right"), 0, len(self.end) - 1)

    def _blend(self, values: FloatArray, i: NDArray[np.intp], t: FloatArray) -> FloatArray:
        prev = values[np.maximum(i - 1, 0)]
        s = np.where(self.move[i] > 0, (t - self.start[i]) / np.maximum(self.move[i], 1e-9), 1.0)
        return prev + (values[i] - prev) * _min_jerk(s)

    def angles(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Flexion θ, lateral ψ, heading (degrees) and gait envelope (0..1) at times ``t``."""
        i = self.phase_index(t)
        wobble = self._blend(self.wobble, i, t)
        walk = self._blend(self.walking, i, t)
        f_breath, p_breath = self.breath
        step = 2 * math.pi * self.step_hz * t
        gp = self.gait_phase
        theta = (
            self._blend(self.flex, i, t)
            + wobble * self.drift_flex(t)
            + 0.4 * np.sin(2 * math.pi * f_breath * t + p_breath)
            + walk * 2.0 * np.sin(step + gp[0])
        )
        psi = self._blend(self.lat, i, t) + 0.5 * wobble * self.drift_lat(t)
        psi = psi + walk * 3.0 * np.sin(0.5 * step + gp[1])
        # Lying on a side: keep the sagittal plane defined (|ψ| < 90°) with a little roll.
        psi = np.clip(psi, -88.0, 88.0)
        s_turn = np.clip((t - self.start[i]) / np.maximum(self.end[i] - self.start[i], 1e-9), 0, 1)
        heading = self.heading_before[i] + self.turn[i] * _min_jerk(s_turn)
        heading = heading + walk * 3.0 * np.sin(0.5 * step + gp[2])
        return theta, psi, heading, walk

    def hip_acceleration_ms2(
        self, t: FloatArray, heading_deg: FloatArray, walk: FloatArray
    ) -> FloatArray:
        """Gait accelerations of the pelvis in the world frame (X right, Y up, Z back)."""
        step = 2 * math.pi * self.step_hz * t
        gp = self.gait_phase
        g = STANDARD_GRAVITY_M_S2
        vertical = 0.25 * g * np.sin(step + gp[3])
        forward = 0.15 * g * np.sin(step + gp[4])
        sideways = 0.08 * g * np.sin(0.5 * step + gp[5])
        h = np.radians(heading_deg)
        # Heading 0 faces -Z (anterior); rotate the forward/right unit vectors about Y.
        fwd = np.stack([-np.sin(h), np.zeros_like(h), -np.cos(h)], axis=1)
        right = np.stack([np.cos(h), np.zeros_like(h), -np.sin(h)], axis=1)
        acc = forward[:, None] * fwd + sideways[:, None] * right
        acc[:, 1] += vertical
        return acc * walk[:, None]


def up_vector(flexion_deg: FloatArray, lateral_deg: FloatArray) -> FloatArray:
    """World up in the body frame for the engine's angle definitions (shape (n, 3))."""
    th, ps = np.radians(flexion_deg), np.radians(lateral_deg)
    return np.stack([-np.sin(ps), np.cos(ps) * np.cos(th), np.cos(ps) * np.sin(th)], axis=1)


def _body_rotation(
    flexion_deg: FloatArray, lateral_deg: FloatArray, heading_deg: FloatArray
) -> FloatArray:
    """Body-to-world rotation matrices (n, 3, 3): heading about Y after the minimal tilt."""
    u = up_vector(flexion_deg, lateral_deg)
    # Minimal rotation M with M u = e_Y: R = I + [v]x + [v]x² / (1 + c), v = u × e_Y, c = u_y.
    v = np.stack([-u[:, 2], np.zeros(len(u)), u[:, 0]], axis=1)
    c = u[:, 1]
    vx = np.zeros((len(u), 3, 3))
    vx[:, 0, 1], vx[:, 0, 2] = -v[:, 2], v[:, 1]
    vx[:, 1, 0], vx[:, 1, 2] = v[:, 2], -v[:, 0]
    vx[:, 2, 0], vx[:, 2, 1] = -v[:, 1], v[:, 0]
    m = np.eye(3) + vx + (vx @ vx) / (1.0 + c)[:, None, None]
    h = np.radians(heading_deg)
    ry = np.zeros((len(u), 3, 3))
    ry[:, 0, 0], ry[:, 0, 2] = np.cos(h), np.sin(h)
    ry[:, 1, 1] = 1.0
    ry[:, 2, 0], ry[:, 2, 2] = -np.sin(h), np.cos(h)
    return ry @ m


def _axis_angle_matrix(axis: FloatArray, angle_rad: float) -> FloatArray:
    k = axis / np.linalg.norm(axis)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(angle_rad) * kx + (1 - math.cos(angle_rad)) * (kx @ kx)


def _kinematics(
    traj: _Trajectory, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, NDArray[np.int8]]:
    """Specific force (g) and angular velocity (deg/s) in the body frame, plus truth."""
    rs = []
    hip = None
    for dt in (-_EPS_S, 0.0, _EPS_S):
        theta, psi, heading, walk = traj.angles(t + dt)
        rs.append(_body_rotation(theta, psi, heading))
        if dt == 0.0:
            truth = (theta, psi)
            hip = traj.hip_acceleration_ms2(t, heading, walk)
    r_m, r_0, r_p = rs
    # Angular velocity in the body frame: skew part of R^T dR/dt.
    w = np.einsum("nji,njk->nik", r_0, (r_p - r_m) / (2 * _EPS_S))
    omega = (
        np.stack([w[:, 2, 1] - w[:, 1, 2], w[:, 0, 2] - w[:, 2, 0], w[:, 1, 0] - w[:, 0, 1]], 1) / 2
    )
    lever = np.array([0.0, SENSOR_HEIGHT_M, 0.0])
    p_m, p_0, p_p = (r @ lever for r in rs)
    acc_world = (p_p - 2 * p_0 + p_m) / (_EPS_S**2) + hip  # m/s²
    specific_world = acc_world / STANDARD_GRAVITY_M_S2 + np.array([0.0, 1.0, 0.0])
    specific_body = np.einsum("nji,nj->ni", r_0, specific_world)
    return specific_body, np.degrees(omega), truth[0], truth[1], traj.activity[traj.phase_index(t)]


# --------------------------------------------------------------------------- public API


def simulate(
    scenario: str = "office",
    rate_hz: float = 100.0,
    duration_s: float = 600.0,
    seed: int = 0,
    sensor: SensorModel | None = None,
    start_s: float = 0.0,
) -> Simulation:
    """Simulate a recording of ``duration_s`` seconds at ``rate_hz`` (25–200 Hz advised)."""
    if not 5.0 <= rate_hz <= 1000.0:
        raise InvalidInput("rate", f"must be between 5 and 1000 Hz, got {rate_hz:g}")
    if not 10.0 <= duration_s <= 8 * 86400.0:
        raise InvalidInput("duration", f"must be between 10 s and 8 days, got {duration_s:g}")
    sensor = sensor or SensorModel()
    if not 0.0 <= sensor.mount_tilt_deg <= 45.0:
        raise InvalidInput("mount_tilt_deg", "must be between 0 and 45 degrees")
    rng = np.random.default_rng(seed)
    phases = scenario_phases(scenario, duration_s, rng)
    traj = _Trajectory(phases, rng)

    # Mounting: tilt about an axis in the body x–z plane, then a small yaw about the spine.
    azimuth = (
        rng.uniform(0, 360)
        if sensor.mount_tilt_azimuth_deg is None
        else sensor.mount_tilt_azimuth_deg
    )
    az = math.radians(azimuth)
    tilt = _axis_angle_matrix(
        np.array([math.cos(az), 0.0, math.sin(az)]), math.radians(sensor.mount_tilt_deg)
    )
    yaw = _axis_angle_matrix(np.array([0.0, 1.0, 0.0]), math.radians(sensor.mount_yaw_deg))
    r_bs = tilt @ yaw  # sensor axes expressed in the body frame
    bias_dir = rng.normal(size=3)
    gyro_bias = sensor.gyro_bias_dps * bias_dir / np.linalg.norm(bias_dir)
    accel_bias = rng.normal(0, sensor.accel_bias_g, 3)
    gyro_scale = 1 + rng.uniform(-sensor.gyro_scale_error, sensor.gyro_scale_error, 3)
    accel_scale = 1 + rng.uniform(-sensor.accel_scale_error, sensor.accel_scale_error, 3)

    n = round(duration_s * rate_hz)
    true_t = np.arange(n) / rate_hz
    keep = np.ones(n, dtype=bool)
    for _ in range(sensor.gaps):
        g0 = rng.uniform(0.2, 0.9) * duration_s
        keep &= ~((true_t >= g0) & (true_t < g0 + rng.uniform(1.0, 3.0)))
    true_t = true_t[keep]

    acc_parts, gyr_parts, th_parts, ps_parts, act_parts = [], [], [], [], []
    block = 200_000
    for a in range(0, len(true_t), block):
        tb = true_t[a : a + block]
        f_body, w_body, th, ps, act = _kinematics(traj, tb)
        acc = f_body @ r_bs  # body → sensor: r_bsᵀ applied to row vectors
        gyr = w_body @ r_bs
        acc = acc * accel_scale + accel_bias + rng.normal(0, sensor.accel_noise_g, acc.shape)
        gyr = gyr * gyro_scale + gyro_bias + rng.normal(0, sensor.gyro_noise_dps, gyr.shape)
        if sensor.quantisation:
            acc = np.round(acc / (32.0 / 65536)) * (32.0 / 65536)
            gyr = np.round(gyr / (4000.0 / 65536)) * (4000.0 / 65536)
        acc_parts.append(acc)
        gyr_parts.append(gyr)
        th_parts.append(th)
        ps_parts.append(ps)
        act_parts.append(act)

    jitter = rng.normal(0, sensor.timestamp_jitter_s, len(true_t))
    jitter = np.clip(jitter, -0.3 / rate_hz, 0.3 / rate_hz)  # keeps time strictly increasing
    t_reported = np.round(start_s + true_t + jitter, 6)
    samples = ImuSamples.from_arrays(
        t_reported, np.concatenate(acc_parts), np.concatenate(gyr_parts)
    )
    info = {
        "synthetic": True,
        "scenario": scenario,
        "seed": seed,
        "rate_hz": rate_hz,
        "duration_s": duration_s,
        "start_s": start_s,
        "mount_tilt_deg": sensor.mount_tilt_deg,
        "mount_tilt_azimuth_deg": azimuth,
        "gyro_bias_dps": gyro_bias.round(4).tolist(),
        "accel_bias_g": accel_bias.round(4).tolist(),
        "sensor": asdict(sensor),
        "phases": len(phases),
    }
    return Simulation(
        samples,
        true_t + start_s,
        np.concatenate(th_parts),
        np.concatenate(ps_parts),
        np.concatenate(act_parts).astype(np.int8),
        info,
    )


def truth_summary(
    t: FloatArray,
    flexion_deg: FloatArray,
    activity: NDArray[np.int8],
    neutral_max_deg: float = 20.0,
    severe_min_deg: float = 60.0,
) -> dict[str, Any]:
    """True time in zone and flexion percentiles with the engine's accounting rules."""
    w = np.diff(t, prepend=t[0])
    w[0] = 0.0
    w[np.concatenate([[False], np.diff(t) > MAX_GAP_S])] = 0.0  # segment starts
    lying = activity == ACTIVITIES.index("lying")
    severe = (flexion_deg > severe_min_deg) & ~lying
    flexed = (flexion_deg >= neutral_max_deg) & ~severe & ~lying
    neutral = ~severe & ~flexed
    upright = flexion_deg[~lying]
    pct = (
        {
            "p50": float(np.percentile(upright, 50)),
            "p90": float(np.percentile(upright, 90)),
            "max": float(upright.max()),
        }
        if upright.size
        else {"p50": None, "p90": None, "max": None}
    )
    return {
        "samples": int(t.size),
        "duration_s": float(w.sum()),
        "time_in_zone_s": {
            "neutral": float(w[neutral].sum()),
            "flexed": float(w[flexed].sum()),
            "severe": float(w[severe].sum()),
        },
        "flexion_deg": pct,
        "activity_s": {name: float(w[activity == i].sum()) for i, name in enumerate(ACTIVITIES)},
    }
