"""Metrics checked against closed forms and hand arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.robotics.metrics import (
    log_dimensionless_jerk,
    positive_work_j,
    sparc,
    work_fraction,
)

FS = 1000.0


def min_jerk_speed(distance: float, duration_s: float, fs: float = FS) -> np.ndarray:
    tau = np.linspace(0.0, 1.0, round(duration_s * fs) + 1)
    return distance / duration_s * 30 * (tau**2 - 2 * tau**3 + tau**4)


def test_log_dimensionless_jerk_of_a_minimum_jerk_movement_by_hand() -> None:
    # v = (D/T) 30 (τ² - 2τ³ + τ⁴); v'' = (D/T³) 30 (2 - 12τ + 12τ²);
    # ∫₀ᵀ v''² dt = 900 D²/T⁵ ∫₀¹ (2 - 12τ + 12τ²)² dτ = 900 × 0.8 D²/T⁵ = 720 D²/T⁵;
    # v_peak = 1.875 D/T, so T³/v_peak² × 720 D²/T⁵ = 720 / 1.875² = 204.8.
    expected = -math.log(204.8)  # -5.322
    assert log_dimensionless_jerk(min_jerk_speed(0.5, 2.0), FS) == pytest.approx(expected, abs=1e-3)
    # Dimensionless: the same for another distance and duration.
    assert log_dimensionless_jerk(min_jerk_speed(2.0, 0.7), FS) == pytest.approx(expected, abs=1e-3)


def test_sparc_is_independent_of_amplitude() -> None:
    v = min_jerk_speed(0.5, 2.0)
    assert sparc(3.0 * v, FS) == pytest.approx(sparc(v, FS))


def test_sparc_scores_a_movement_made_of_two_submovements_as_less_smooth() -> None:
    one = min_jerk_speed(1.0, 1.0)
    two = np.concatenate([one, one])  # stop and go
    assert sparc(two, FS) < sparc(one, FS) < 0.0


def test_sparc_and_jerk_are_undefined_without_movement() -> None:
    assert math.isnan(sparc(np.zeros(100), FS))
    assert math.isnan(log_dimensionless_jerk(np.zeros(100), FS))


def test_positive_work_counts_only_power_flowing_into_the_trunk() -> None:
    torque = np.full(2000, 10.0)  # N·m
    velocity = np.concatenate([np.full(1000, 0.5), np.full(1000, -0.5)])  # rad/s
    # First second: 10 × 0.5 = 5 W for 1 s = 5 J; second second negative, not counted.
    assert positive_work_j(torque, velocity, 0.001) == pytest.approx(5.0)


def test_work_fraction_is_the_patients_share_and_undefined_without_work() -> None:
    assert work_fraction(3.0, 1.0) == pytest.approx(0.75)
    assert math.isnan(work_fraction(0.0, 0.0))
