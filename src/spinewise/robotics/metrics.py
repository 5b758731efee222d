"""Metrics per repetition and per session.

- Active range of motion: max − min trunk angle within the repetition (degrees).
- Tracking error: RMS of (angle − target) over the repetition (degrees).
- Assistance level: the controller's mean assistance gain over the repetition (0–1).
- Patient work fraction: the patient's share of the positive mechanical work,
  ``W+_patient / (W+_patient + W+_robot)`` with ``W+ = ∫ max(tau · omega, 0) dt``. The
  robot's torque here is its assistive part: the motor torque minus the protocol's
  perturbation pulses (the perturbation is the exercise, not help). The passive brake
  only dissipates and does no positive work.
- Smoothness: SPARC, the spectral arc length of the speed profile (Balasubramanian,
  Melendez-Calderon, Roby-Brami & Burdet 2015, "On the analysis of movement smoothness",
  J NeuroEng Rehabil 12:112; padding level 4, cut-off 10 Hz, amplitude threshold 0.05 as
  recommended there), and the log dimensionless jerk of the speed profile (same paper,
  after Hogan & Sternad 2009). Both are closer to zero for smoother movement.
- Stops and their causes: the safety events.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from spinewise.robotics.protocols import RepetitionWindow
from spinewise.robotics.safety import SafetyEvent


def sparc(
    speed: np.ndarray,
    fs_hz: float,
    *,
    padlevel: int = 4,
    cutoff_hz: float = 10.0,
    amplitude_threshold: float = 0.05,
) -> float:
    """Spectral arc length of a speed profile (Balasubramanian et al. 2015).

    The magnitude spectrum of the zero-padded speed profile is normalised to its peak,
    cut at the highest frequency (at most ``cutoff_hz``) above which it stays below
    ``amplitude_threshold``, and its arc length, with frequency normalised to the cut-off,
    is returned negated. Dimensionless; NaN for a profile without movement.
    """
    v = np.asarray(speed, dtype=float)
    if v.size < 2 or not np.all(np.isfinite(v)) or not np.any(v):
        return math.nan
    nfft = 2 ** (math.ceil(math.log2(v.size)) + padlevel)
    freq = np.arange(nfft // 2 + 1) * fs_hz / nfft
    mag = np.abs(np.fft.rfft(v, nfft))
    mag = mag / mag.max()
    band = freq <= cutoff_hz
    freq, mag = freq[band], mag[band]
    above = np.flatnonzero(mag >= amplitude_threshold)
    freq, mag = freq[: above[-1] + 1], mag[: above[-1] + 1]
    if freq.size < 2:
        return 0.0
    d_freq = np.diff(freq) / (freq[-1] - freq[0])
    return -float(np.sum(np.sqrt(d_freq**2 + np.diff(mag) ** 2)))


def log_dimensionless_jerk(speed: np.ndarray, fs_hz: float) -> float:
    """``-ln(T³ / v_peak² · ∫ (d²v/dt²)² dt)`` of a speed profile (Balasubramanian 2015)."""
    v = np.asarray(speed, dtype=float)
    if v.size < 5 or not np.all(np.isfinite(v)):
        return math.nan
    peak = float(np.max(np.abs(v)))
    if peak == 0.0:
        return math.nan
    dt = 1.0 / fs_hz
    duration = (v.size - 1) * dt
    second = np.gradient(np.gradient(v, dt, edge_order=2), dt, edge_order=2)
    integral = float(np.trapezoid(second**2, dx=dt))
    if integral <= 0.0:
        return math.nan
    return -math.log(duration**3 / peak**2 * integral)


def positive_work_j(torque_nm: np.ndarray, velocity_rad_s: np.ndarray, dt_s: float) -> float:
    """Positive mechanical work ``∫ max(tau · omega, 0) dt`` in joules."""
    power = np.asarray(torque_nm) * np.asarray(velocity_rad_s)
    return float(np.sum(np.maximum(power, 0.0)) * dt_s)


def work_fraction(patient_j: float, robot_j: float) -> float:
    total = patient_j + robot_j
    return patient_j / total if total > 0.0 and math.isfinite(total) else math.nan


@dataclass(frozen=True)
class RepetitionMetrics:
    """One completed repetition."""

    index: int
    exercise: int
    kind: str
    start_s: float
    end_s: float
    assistance: float
    rom_deg: float
    tracking_rmse_deg: float
    patient_work_fraction: float
    sparc: float
    log_dimensionless_jerk: float
    patient_positive_work_j: float
    robot_positive_work_j: float

    def to_contract(self) -> dict[str, Any]:
        return {
            "assistance": _r(self.assistance),
            "rom_deg": _r(self.rom_deg),
            "tracking_rmse_deg": _r(self.tracking_rmse_deg),
            "patient_work_fraction": _r(self.patient_work_fraction),
        }

    def to_dict(self) -> dict[str, Any]:
        return {k: _r(v) if isinstance(v, float) else v for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class SessionMetrics:
    """A whole session: limits actually reached, repetitions, stops."""

    duration_s: float
    max_abs_angle_deg: float
    max_abs_torque_nm: float
    max_abs_velocity_deg_s: float
    angle_range_deg: tuple[float, float]
    repetitions: list[RepetitionMetrics]
    safety_events: list[SafetyEvent]
    planned_repetitions: int
    max_abs_brake_torque_nm: float
    tracking_rmse_deg: float
    patient_work_fraction: float
    stops_by_cause: dict[str, int] = field(default_factory=dict)

    @property
    def mean_assistance(self) -> float:
        values = [r.assistance for r in self.repetitions]
        return float(np.mean(values)) if values else math.nan

    @property
    def active_rom_deg(self) -> float:
        values = [r.rom_deg for r in self.repetitions]
        return max(values) if values else math.nan

    @property
    def mean_sparc(self) -> float:
        values = [r.sparc for r in self.repetitions if math.isfinite(r.sparc)]
        return float(np.mean(values)) if values else math.nan

    def to_contract(self) -> dict[str, Any]:
        """The exact ``robotics simulate --json`` document."""
        return {
            "duration_s": _r(self.duration_s),
            "max_abs_angle_deg": _r(self.max_abs_angle_deg),
            "max_abs_torque_nm": _r(self.max_abs_torque_nm),
            "max_abs_velocity_deg_s": _r(self.max_abs_velocity_deg_s),
            "angle_range_deg": [_r(self.angle_range_deg[0]), _r(self.angle_range_deg[1])],
            "safety_events": [
                {"t_s": _r(e.t_s), "kind": e.kind, "action": e.action} for e in self.safety_events
            ],
            "repetitions": [r.to_contract() for r in self.repetitions],
        }

    def to_report(self) -> dict[str, Any]:
        """Everything, for the patient's record and the clinician's charts."""
        return {
            **self.to_contract(),
            "safety_events": [
                {"t_s": _r(e.t_s), "kind": e.kind, "action": e.action, "detail": e.detail}
                for e in self.safety_events
            ],
            "repetitions": [r.to_dict() for r in self.repetitions],
            "summary": {
                "planned_repetitions": self.planned_repetitions,
                "completed_repetitions": len(self.repetitions),
                "active_rom_deg": _r(self.active_rom_deg),
                "tracking_rmse_deg": _r(self.tracking_rmse_deg),
                "mean_assistance": _r(self.mean_assistance),
                "patient_work_fraction": _r(self.patient_work_fraction),
                "mean_sparc": _r(self.mean_sparc),
                "max_abs_brake_torque_nm": _r(self.max_abs_brake_torque_nm),
                "stops_by_cause": dict(self.stops_by_cause),
            },
        }


def _r(value: float, digits: int = 4) -> float | None:
    """Rounded for display; undefined values (NaN) become JSON null."""
    return round(float(value), digits) if math.isfinite(value) else None


def repetition_metrics(
    window: RepetitionWindow,
    *,
    dt_s: float,
    angle_rad: np.ndarray,
    target_rad: np.ndarray,
    velocity_rad_s: np.ndarray,
    patient_torque_nm: np.ndarray,
    robot_assist_torque_nm: np.ndarray,
    assistance: np.ndarray,
) -> RepetitionMetrics:
    """Metrics of one repetition from the session's arrays (sliced by ``window``)."""
    sl = slice(window.start, window.end)
    angle = angle_rad[sl]
    speed = np.abs(velocity_rad_s[sl])
    patient_j = positive_work_j(patient_torque_nm[sl], velocity_rad_s[sl], dt_s)
    robot_j = positive_work_j(robot_assist_torque_nm[sl], velocity_rad_s[sl], dt_s)
    fs = 1.0 / dt_s
    return RepetitionMetrics(
        index=window.index,
        exercise=window.exercise,
        kind=window.kind,
        start_s=window.start * dt_s,
        end_s=window.end * dt_s,
        assistance=float(np.mean(assistance[sl])),
        rom_deg=math.degrees(float(np.ptp(angle))),
        tracking_rmse_deg=math.degrees(float(np.sqrt(np.mean((angle - target_rad[sl]) ** 2)))),
        patient_work_fraction=work_fraction(patient_j, robot_j),
        sparc=sparc(speed, fs),
        log_dimensionless_jerk=log_dimensionless_jerk(speed, fs),
        patient_positive_work_j=patient_j,
        robot_positive_work_j=robot_j,
    )


def session_metrics(
    *,
    dt_s: float,
    angle_rad: np.ndarray,
    target_rad: np.ndarray,
    velocity_rad_s: np.ndarray,
    velocity_next_rad_s: np.ndarray,
    motor_torque_nm: np.ndarray,
    patient_torque_nm: np.ndarray,
    brake_torque_nm: np.ndarray,
    robot_assist_torque_nm: np.ndarray,
    assistance: np.ndarray,
    windows: tuple[RepetitionWindow, ...],
    events: list[SafetyEvent],
) -> SessionMetrics:
    """Session metrics; only repetitions that ended before any stop are counted."""
    n = angle_rad.size
    stop_index = round(events[0].t_s / dt_s) if events else n
    completed = [w for w in windows if w.end <= min(n, stop_index)]
    reps = [
        repetition_metrics(
            w,
            dt_s=dt_s,
            angle_rad=angle_rad,
            target_rad=target_rad,
            velocity_rad_s=velocity_next_rad_s,
            patient_torque_nm=patient_torque_nm,
            robot_assist_torque_nm=robot_assist_torque_nm,
            assistance=assistance,
        )
        for w in completed
    ]
    running = slice(0, min(n, stop_index))
    patient_j = positive_work_j(patient_torque_nm[running], velocity_next_rad_s[running], dt_s)
    robot_j = positive_work_j(robot_assist_torque_nm[running], velocity_next_rad_s[running], dt_s)
    error = angle_rad[running] - target_rad[running]
    angle_deg = np.degrees(angle_rad)
    brake = brake_torque_nm[np.isfinite(brake_torque_nm)]
    return SessionMetrics(
        duration_s=n * dt_s,
        max_abs_angle_deg=float(np.max(np.abs(angle_deg))) if n else 0.0,
        max_abs_torque_nm=float(np.max(np.abs(motor_torque_nm))) if n else 0.0,
        max_abs_velocity_deg_s=math.degrees(float(np.max(np.abs(velocity_rad_s)))) if n else 0.0,
        angle_range_deg=(float(angle_deg.min()), float(angle_deg.max())) if n else (0.0, 0.0),
        repetitions=reps,
        safety_events=list(events),
        planned_repetitions=len(windows),
        max_abs_brake_torque_nm=float(np.max(np.abs(brake))) if brake.size else math.nan,
        tracking_rmse_deg=math.degrees(float(np.sqrt(np.mean(error**2))))
        if error.size
        else math.nan,
        patient_work_fraction=work_fraction(patient_j, robot_j),
        stops_by_cause=dict(Counter(e.kind for e in events)),
    )
