"""Trunk tilt by sensor fusion: a vectorised complementary filter on the gravity direction.

We only need the direction of "up" in the sensor frame (trunk inclination; heading is
irrelevant to posture), so the state is the unit vector ``u``. In continuous time a
world-fixed vector seen from the rotating sensor obeys ``du/dt = u × ω``; the complementary
filter (Mahony et al. 2008, IEEE TAC 53:1203, reduced to the gravity vector) predicts with
the gyroscope and pulls toward the accelerometer direction ``â`` with time constant τ:

    v_f = β (v_{f-1} + δ_f) + (1 − β) â_f,   β = exp(−Δ/τ),   δ_f = u_{f-1} × Δθ_f (+ 2nd order)

where Δθ_f is the bias-corrected integrated gyroscope over frame f. The recursion is linear
in ``v`` except for the ``u_{f-1} × Δθ_f`` term. We evaluate that term on a *reference*
trajectory — first the accelerometer direction, then the previous pass's output — which
makes each pass a linear time-invariant filter that ``scipy.signal.lfilter`` runs in C and
that carries its state exactly across chunks. Two passes stay within a fraction of a
degree of the exact recursion (measured in tests and docs/posture.md).

Gyroscope bias (up to a few °/s on cheap MEMS parts) is tracked while the trunk is still:
a running mean over the first ``bias_time_constant_s`` of still time, then an exponential
average. Stillness and the activity statistics use exponentially weighted variances of the
frame-mean angular rate and acceleration.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.signal import lfilter

try:  # lfilter's C core: the Python wrapper costs ~15 µs a call, which matters per chunk
    from scipy.signal._sigtools import _linear_filter
except ImportError:  # pragma: no cover - a future scipy may move it; lfilter still works
    _linear_filter = None

from spinewise.posture.config import FilterSettings
from spinewise.posture.frames import Frames

FloatArray = NDArray[np.float64]


@dataclass
class TiltEstimate:
    """Per-frame output of the filter."""

    up: FloatArray  # (n, 3) unit "up" vector in the sensor frame
    accel_var_g2: FloatArray  # (n,) variance of the acceleration magnitude, g²
    gyro_var_dps2: FloatArray  # (n,) variance of the angular rate, (deg/s)²
    still: NDArray[np.bool_]
    bias_dps: FloatArray  # (n, 3) gyroscope bias estimate in use


def first_order_iir(
    gain: float, pole: float, x: FloatArray, zi: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``y[n] = gain·x[n] + pole·y[n-1]`` along the last axis; ``zi`` has shape (rows, 1).

    Identical (bit for bit) to ``lfilter([gain], [1, -pole], x, axis=-1, zi=zi)``.
    """
    b = np.array([gain])
    a = np.array([1.0, -pole])
    if _linear_filter is not None and x.dtype == np.float64 and zi.dtype == np.float64:
        y, zf = _linear_filter(b, a, x, -1, zi)
        return y, zf
    y, zf = lfilter(b, a, x, axis=-1, zi=zi)
    return y, zf


def _cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise cross product of (3, n) arrays."""
    out = np.empty_like(a)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out


def _normalise(v: FloatArray) -> FloatArray:
    """Unit vectors from a (3, n) array."""
    return v / np.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])


class TiltFilter:
    """Stateful frame-rate tilt filter; ``process`` may be called with any block of frames."""

    def __init__(self, settings: FilterSettings) -> None:
        self.settings = settings
        frame = settings.frame_s
        self.beta = math.exp(-frame / settings.time_constant_s)
        self.alpha_act = 1.0 - math.exp(-frame / settings.activity_window_s)
        self.alpha_bias = 1.0 - math.exp(-frame / settings.bias_time_constant_s)
        self.bias_warmup = round(settings.bias_time_constant_s / frame)
        self.passes = settings.passes
        # State (None until the first frame of a segment).
        self.ref_last = np.zeros((self.passes, 3))
        self.v_state = np.zeros((self.passes, 3))
        self.act_state = np.zeros(6)
        self.bias_count = 0
        self.bias_sum = np.zeros(3)
        self.bias = np.zeros(3)

    # ------------------------------------------------------------------ processing
    def process(self, frames: Frames) -> TiltEstimate:
        n = len(frames)
        starts = np.flatnonzero(frames.seg_start)
        if starts.size == 0 or starts[0] != 0:
            starts = np.concatenate([[0], starts])
        bounds = [*starts.tolist(), n]
        parts = [
            self._segment(frames.take(slice(a, b)), bool(frames.seg_start[a]))
            for a, b in itertools.pairwise(bounds)
            if b > a
        ]
        if len(parts) == 1:
            return parts[0]
        return TiltEstimate(
            np.concatenate([p.up for p in parts]),
            np.concatenate([p.accel_var_g2 for p in parts]),
            np.concatenate([p.gyro_var_dps2 for p in parts]),
            np.concatenate([p.still for p in parts]),
            np.concatenate([p.bias_dps for p in parts]),
        )

    def _segment(self, fr: Frames, fresh: bool) -> TiltEstimate:
        s = self.settings
        n = len(fr)
        # Structure of arrays: rows x, y, z are contiguous, which keeps numpy fast.
        acc = np.ascontiguousarray(fr.acc.T)
        gyr = np.ascontiguousarray(fr.gyr.T)
        # Movement statistics: EMAs of |a|, |a|², ω and |ω|² give exponentially weighted
        # variances; |a| (not the vector) so that turning the trunk is not "acceleration".
        act_in = np.empty((6, n))
        a_sq = acc[0] * acc[0] + acc[1] * acc[1] + acc[2] * acc[2]
        a_norm = np.sqrt(a_sq)
        act_in[0] = a_norm
        act_in[1] = a_sq
        act_in[2:5] = gyr
        act_in[5] = gyr[0] * gyr[0] + gyr[1] * gyr[1] + gyr[2] * gyr[2]
        a = self.alpha_act
        if fresh:
            self.act_state = (1.0 - a) * act_in[:, 0]
        act, zf = first_order_iir(a, 1.0 - a, act_in, self.act_state[:, None])
        self.act_state = zf[:, 0]
        accel_var = np.maximum(act[1] - act[0] * act[0], 0.0)
        gyro_var = np.maximum(act[5] - (act[2] * act[2] + act[3] * act[3] + act[4] * act[4]), 0.0)
        still = (gyro_var < s.still_gyro_dps**2) & (accel_var < s.still_accel_g**2)

        bias = self._track_bias(fr.gyr, still)
        seconds = fr.dur_ns * 1e-9
        dtheta = np.radians(np.ascontiguousarray(fr.rot.T) - bias.T * seconds)

        a_dir = acc / a_norm
        trusted = np.abs(a_norm - 1.0) < s.accel_reject_g
        all_trusted = bool(trusted.all())
        beta = self.beta
        ref = a_dir
        if fresh:
            self.ref_last[:] = a_dir[:, 0]
            self.v_state[:] = 0.0
        for p in range(self.passes):
            prev = np.empty_like(ref)
            prev[:, 0] = self.ref_last[p]
            prev[:, 1:] = ref[:, :-1]
            c1 = _cross(prev, dtheta)
            delta = c1 + 0.5 * _cross(c1, dtheta)
            target = a_dir
            if not all_trusted:
                target = np.where(trusted, a_dir, _normalise(prev + delta))
            x = beta * delta + (1.0 - beta) * target
            if fresh:
                x[:, 0] = a_dir[:, 0]
            v, zf = first_order_iir(1.0, beta, x, self.v_state[p][:, None])
            self.v_state[p] = zf[:, 0]
            self.ref_last[p] = ref[:, -1]
            ref = _normalise(v)
        return TiltEstimate(ref.T, accel_var, gyro_var, still, bias)

    def _track_bias(self, gyr: FloatArray, still: NDArray[np.bool_]) -> FloatArray:
        """Bias in use at each frame: running mean, then EMA, of the still frames' rate."""
        idx = np.flatnonzero(still)
        n = gyr.shape[0]
        previous = self.bias.copy()
        if idx.size == 0:
            return np.broadcast_to(self.bias, (n, 3))
        g = gyr[idx]
        m = g.shape[0]
        out = np.empty((m, 3))
        n_mean = max(0, min(m, self.bias_warmup - self.bias_count))
        if n_mean:
            cs = np.cumsum(np.concatenate([self.bias_sum[None, :], g[:n_mean]]), axis=0)[1:]
            denom = self.bias_count + 1.0 + np.arange(n_mean)
            out[:n_mean] = cs / denom[:, None]
            self.bias_sum = cs[-1]
            self.bias_count += n_mean
            self.bias = out[n_mean - 1].copy()
        if n_mean < m:
            a = self.alpha_bias
            ema, _ = first_order_iir(
                a, 1.0 - a, np.ascontiguousarray(g[n_mean:].T), ((1.0 - a) * self.bias)[:, None]
            )
            out[n_mean:] = ema.T
            self.bias = ema[:, -1].copy()
            self.bias_count += m - n_mean
        # Forward-fill: each frame uses the estimate of the latest still frame up to it.
        pos = np.cumsum(still) - 1
        before = pos < 0
        result = out[np.maximum(pos, 0)]
        if before.any():  # frames before this block's first still frame
            result[before] = previous
        return result

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        return {
            "ref_last": self.ref_last,
            "v_state": self.v_state,
            "act_state": self.act_state,
            "bias_count": self.bias_count,
            "bias_sum": self.bias_sum,
            "bias": self.bias,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.ref_last = np.asarray(state["ref_last"], dtype=float).reshape(self.passes, 3)
        self.v_state = np.asarray(state["v_state"], dtype=float).reshape(self.passes, 3)
        self.act_state = np.asarray(state["act_state"], dtype=float)
        self.bias_count = int(state["bias_count"])
        self.bias_sum = np.asarray(state["bias_sum"], dtype=float)
        self.bias = np.asarray(state["bias"], dtype=float)


def exact_tilt_filter(acc: FloatArray, dtheta_rad: FloatArray, beta: float) -> FloatArray:
    """Reference: the same complementary filter with the exact (nonlinear) recursion,
    one frame at a time in Python. Used by tests and docs to bound the linearisation error."""
    u = acc[0] / np.linalg.norm(acc[0])
    v = u.copy()
    out = np.empty_like(acc)
    out[0] = u
    for f in range(1, acc.shape[0]):
        c1 = np.cross(u, dtheta_rad[f])
        delta = c1 + 0.5 * np.cross(c1, dtheta_rad[f])
        a_dir = acc[f] / np.linalg.norm(acc[f])
        v = beta * (v + delta) + (1.0 - beta) * a_dir
        u = v / np.linalg.norm(v)
        out[f] = u
    return out
