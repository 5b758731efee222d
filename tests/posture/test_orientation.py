"""The vectorised tilt filter: robust to gyro bias and rate, close to the exact recursion."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.posture.angles import NeutralCalibration, trunk_angles
from spinewise.posture.config import FilterSettings
from spinewise.posture.frames import FrameBuilder
from spinewise.posture.io import ImuSamples
from spinewise.posture.orientation import TiltFilter, exact_tilt_filter
from spinewise.posture.simulate import SensorModel, simulate


def static_recording(
    flexion_deg: float, bias_dps: float, rate_hz: float, seconds: float
) -> ImuSamples:
    """A motionless sensor flexed by θ: accelerometer (0, cos θ, sin θ) g, gyro = bias only."""
    n = int(seconds * rate_hz)
    th = math.radians(flexion_deg)
    acc = np.tile([0.0, math.cos(th), math.sin(th)], (n, 1))
    gyr = np.tile([bias_dps, 0.0, 0.0], (n, 1))  # bias about x tilts the estimate sagittally
    return ImuSamples.from_arrays(np.arange(n) / rate_hz, acc, gyr)


def tilt_deg(up: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(up[:, 2], up[:, 1]))


@pytest.mark.parametrize("rate_hz", [25.0, 50.0, 100.0, 200.0])
def test_a_2_deg_per_s_gyro_bias_is_learned_while_still(rate_hz: float) -> None:
    settings = FilterSettings()
    frames = FrameBuilder(settings.frame_s).push(
        static_recording(40.0, 2.0, rate_hz, 60.0), final=True
    )
    est = TiltFilter(settings).process(frames)
    # Without bias tracking the complementary filter would settle at θ − b·τ ≈ 40 − 2·1.5 = 37°.
    assert est.bias_dps[-1, 0] == pytest.approx(2.0, abs=1e-6)
    np.testing.assert_allclose(tilt_deg(est.up[-100:]), 40.0, atol=0.01)


def test_timestamp_jitter_does_not_bias_the_angle() -> None:
    rec = static_recording(25.0, 2.0, 100.0, 60.0)
    rng = np.random.default_rng(1)
    t = rec.t + rng.uniform(-0.003, 0.003, len(rec))
    settings = FilterSettings()
    frames = FrameBuilder(settings.frame_s).push(
        ImuSamples.from_arrays(t, rec.acc, rec.gyr), final=True
    )
    est = TiltFilter(settings).process(frames)
    np.testing.assert_allclose(tilt_deg(est.up[-100:]), 25.0, atol=0.01)


def _flexion_errors(passes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Linearised and exact filters on the same frames; errors against the truth."""
    # SYNTHETIC warehouse work: fast bends to 95°, walking; bias-free gyro for both filters.
    sim = simulate("warehouse", 100.0, 600.0, seed=5, sensor=SensorModel(gyro_bias_dps=0.0))
    settings = FilterSettings(accel_reject_g=10.0, passes=passes)  # no rejection in either
    frames = FrameBuilder(settings.frame_s).push(sim.samples, final=True)
    filt = TiltFilter(settings)
    filt.bias_warmup, filt.alpha_bias = 10**9, 0.0  # keep the bias at zero for both
    fast = filt.process(frames).up
    beta = math.exp(-settings.frame_s / settings.time_constant_s)
    exact = exact_tilt_filter(frames.acc, np.radians(frames.rot), beta)
    truth = np.interp(frames.t_end - 0.045, sim.true_t, sim.true_flexion_deg)  # frame middle
    errors = []
    for up in (fast, exact):
        cal = NeutralCalibration.from_up_vectors(up[:50])
        errors.append(trunk_angles(cal.to_body(up))[0] - truth)
    between = np.degrees(np.arccos(np.clip(np.einsum("ij,ij->i", fast, exact), -1, 1)))
    return errors[0], errors[1], between


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x * x)))


def test_three_passes_converge_to_the_exact_recursion() -> None:
    _, _, between = _flexion_errors(passes=3)
    assert np.percentile(between, 99) < 0.5


def test_two_passes_are_as_accurate_as_the_exact_recursion() -> None:
    fast, exact, _ = _flexion_errors(passes=2)
    assert rms(fast) <= rms(exact) + 0.1
    assert rms(fast) < 1.5


def test_the_fast_first_order_filter_is_lfilter_bit_for_bit() -> None:
    from scipy.signal import lfilter

    from spinewise.posture.orientation import first_order_iir

    x = np.random.default_rng(0).normal(size=(3, 1000))
    zi = np.array([[0.1], [0.0], [-2.0]])
    y, zf = first_order_iir(0.3, 0.7, x, zi)
    y_ref, zf_ref = lfilter([0.3], [1.0, -0.7], x, axis=-1, zi=zi)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(zf, zf_ref)
