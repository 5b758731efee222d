"""Repetitions of an exercise from a cleaned angle series, by hysteresis.

The angle ``a(t)`` is first expressed as an excursion from rest, ``e(t) = a(t) − rest``, with
``rest`` the 5th percentile of the recording (the position the patient keeps coming back to).
With ``R`` the target range of the exercise:

- a repetition is **armed** when ``e`` rises to ``count_fraction · R`` (half the target range,
  as the camera-coaching issue specifies) and **counted** only when ``e`` then falls back to
  ``return_fraction · R`` (a quarter): a movement that never reaches half the range, or one
  that reaches it and never comes back before the recording ends, is not a repetition. The
  gap between the two thresholds is the hysteresis that keeps noise around one threshold from
  counting twice;
- its **start** is the last time before arming that ``e`` was at or below
  ``boundary_fraction · R`` (a tenth: the movement's onset), its **end** the first time after
  the return that ``e`` is back there (or the lowest point before the next repetition, if the
  patient goes straight into it); crossing times are interpolated between frames;
- **peak** = the largest angle inside the repetition, **range of motion** = peak − rest;
- **hold** = the time around the top during which the angle, smoothed by a 0.4 s moving
  median so that tracking noise neither breaks nor inflates the plateau, stays within
  ``hold_band_deg`` of its highest value (max(2°, 5 % of R) by default). The band includes the
  slow turn at the top, so a repetition without any pause reads about 0.15 × its movement
  time (0.4–0.6 s for 3–4 s repetitions); **up** = start → entering the band, **down** =
  leaving it → end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.motion.smoothing import moving_median

Series = NDArray[np.float64]

REST_PERCENTILE = 5.0


@dataclass(frozen=True)
class Repetition:
    start_s: float
    end_s: float
    peak_s: float
    peak_deg: float
    rom_deg: float
    up_s: float
    hold_s: float
    down_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, float]:
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "peak_deg": round(self.peak_deg, 2),
            "peak_s": round(self.peak_s, 3),
            "rom_deg": round(self.rom_deg, 2),
            "duration_s": round(self.duration_s, 3),
            "up_s": round(self.up_s, 3),
            "hold_s": round(self.hold_s, 3),
            "down_s": round(self.down_s, 3),
        }


def rest_angle_deg(angle: Series) -> float:
    """The resting angle: the 5th percentile of the seen values."""
    seen = angle[~np.isnan(angle)]
    if seen.size == 0:
        raise InvalidInput("frames", "no frame shows the joints this exercise needs")
    return float(np.percentile(seen, REST_PERCENTILE))


def _crossing_time(times: Series, values: Series, i: int, level: float) -> float:
    """Time at which the straight line from sample i to i+1 reaches ``level``."""
    v0, v1 = values[i], values[i + 1]
    if math.isnan(v0) or math.isnan(v1) or v0 == v1:
        return float(times[i + 1] if math.isnan(v0) else times[i])
    frac = min(1.0, max(0.0, (level - v0) / (v1 - v0)))
    return float(times[i] + frac * (times[i + 1] - times[i]))


def detect_repetitions(
    angle: Series,
    fps: float,
    target_deg: float,
    *,
    rest_deg: float | None = None,
    count_fraction: float = 0.5,
    return_fraction: float = 0.25,
    boundary_fraction: float = 0.1,
    hold_band_deg: float | None = None,
    hold_smoothing_s: float = 0.4,
) -> list[Repetition]:
    """Counted repetitions in a cleaned angle series (degrees, one value per frame)."""
    if not target_deg > 0:
        raise InvalidInput("target_deg", "must be positive")
    if not 0 < boundary_fraction <= return_fraction < count_fraction <= 1:
        raise InvalidInput("count_fraction", "need 0 < boundary <= return < count <= 1")
    rest = rest_angle_deg(angle) if rest_deg is None else rest_deg
    e = angle - rest
    times = np.arange(angle.size, dtype=np.float64) / fps
    high = count_fraction * target_deg
    low = return_fraction * target_deg
    edge = boundary_fraction * target_deg
    band = hold_band_deg if hold_band_deg is not None else max(2.0, 0.05 * target_deg)
    plateau = moving_median(angle, fps, hold_smoothing_s)

    # 1. Hysteresis: (arming index, release index) pairs.
    cycles: list[tuple[int, int]] = []
    armed_at: int | None = None
    for i, value in enumerate(e):
        if math.isnan(value):
            continue
        if armed_at is None and value >= high:
            armed_at = i
        elif armed_at is not None and value <= low:
            cycles.append((armed_at, i))
            armed_at = None

    # 2. Boundaries, peak, hold.
    reps: list[Repetition] = []
    previous_end = 0
    for k, (armed, released) in enumerate(cycles):
        next_armed = cycles[k + 1][0] if k + 1 < len(cycles) else angle.size - 1
        start_i = _onset_index(e, previous_end, armed, edge)
        end_i = _offset_index(e, released, next_armed, edge)
        start_s = _boundary_time(times, e, start_i, edge, rising=True)
        end_s = _boundary_time(times, e, end_i, edge, rising=False)
        window = e[start_i : end_i + 1]
        peak_i = start_i + int(np.nanargmax(window))
        peak = float(angle[peak_i])
        top_i = start_i + int(np.nanargmax(plateau[start_i : end_i + 1]))
        hold_from, hold_to = _hold_span(plateau, top_i, band)
        hold_start_s, hold_end_s = float(times[hold_from]), float(times[hold_to])
        reps.append(
            Repetition(
                start_s=start_s,
                end_s=end_s,
                peak_s=float(times[peak_i]),
                peak_deg=peak,
                rom_deg=peak - rest,
                up_s=max(0.0, hold_start_s - start_s),
                hold_s=hold_end_s - hold_start_s,
                down_s=max(0.0, end_s - hold_end_s),
            )
        )
        previous_end = end_i
    return reps


def _onset_index(e: Series, lower: int, armed: int, edge: float) -> int:
    """Last index in [lower, armed] with e <= edge, else the lowest point there."""
    segment = e[lower : armed + 1]
    at_rest = np.nonzero(segment <= edge)[0]  # NaN compares False
    if at_rest.size:
        return lower + int(at_rest[-1])
    return lower + int(np.nanargmin(segment))


def _offset_index(e: Series, released: int, upper: int, edge: float) -> int:
    """First index in [released, upper] with e <= edge, else the lowest point there."""
    segment = e[released : upper + 1]
    at_rest = np.nonzero(segment <= edge)[0]
    if at_rest.size:
        return released + int(at_rest[0])
    return released + int(np.nanargmin(segment))


def _boundary_time(times: Series, e: Series, i: int, edge: float, *, rising: bool) -> float:
    """Interpolated time at which e crosses ``edge`` next to index i (if it does)."""
    j = i if rising else i - 1
    if 0 <= j < e.size - 1 and not math.isnan(e[j]) and not math.isnan(e[j + 1]):
        lo, hi = sorted((e[j], e[j + 1]))
        if lo <= edge <= hi:
            return _crossing_time(times, e, j, edge)
    return float(times[i])


def _hold_span(angle: Series, peak_i: int, band: float) -> tuple[int, int]:
    """Frames around ``peak_i`` that stay within ``band`` degrees of it (NaN ends the span)."""
    limit = angle[peak_i] - band
    lo = peak_i
    while lo > 0 and not math.isnan(angle[lo - 1]) and angle[lo - 1] >= limit:
        lo -= 1
    hi = peak_i
    while hi < angle.size - 1 and not math.isnan(angle[hi + 1]) and angle[hi + 1] >= limit:
        hi += 1
    return lo, hi
