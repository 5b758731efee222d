"""Cleaning an angle series from a pose tracker: outliers, dropped frames, jitter.

Three steps, each with its own job, in this order:

1. **Outliers** — a Hampel identifier (Hampel 1974, JASA 69:383–393; Pearson 2002): a value
   further than 3 scaled median absolute deviations (and at least ``min_outlier_deg``) from
   the median of its ``hampel_window_s`` neighbourhood is set missing; the deviations are
   taken from the running median, so that the steep part of a fast movement does not widen
   the tolerance. It removes the single-frame jumps a tracker makes when it confuses limbs,
   which low visibility alone does not flag.
2. **Gaps** — missing values (null frames, unseen joints, outliers) inside a gap no longer than
   ``max_gap_s`` are filled by linear interpolation between the neighbouring values; longer
   gaps stay missing, since inventing a second of movement would invent repetitions.
3. **Jitter** — a centred moving average over ``smooth_window_s`` that ignores missing
   values. 0.2 s keeps a movement of 2 s period within 1 % of its amplitude (the moving
   average's gain at frequency f is sinc(f·w): sinc(0.1) = 0.98).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

Series = NDArray[np.float64]

MAD_TO_SD = 1.4826
"""Scale of the median absolute deviation to the standard deviation of a normal law."""


def _half_window(seconds: float, fps: float) -> int:
    return max(1, round(seconds * fps / 2))


def _windows(values: Series, half: int) -> NDArray[np.float64]:
    padded = np.pad(values, half, mode="constant", constant_values=np.nan)
    return sliding_window_view(padded, 2 * half + 1)


def _centred(values: Series, fps: float, window_s: float, reduce: Callable[..., Series]) -> Series:
    """A centred window statistic that ignores NaN; a missing value stays missing."""
    out = values.astype(np.float64).copy()
    if out.size == 0:
        return out
    windows = _windows(out, _half_window(window_s, fps))
    result = np.full(out.shape, np.nan)
    seen = ~np.isnan(out)  # the window of a seen value holds at least that value
    result[seen] = reduce(windows[seen], axis=1)
    return result


def moving_average(values: Series, fps: float, window_s: float = 0.2) -> Series:
    """Centred moving average ignoring NaN; NaN stays NaN."""
    return _centred(values, fps, window_s, np.nanmean)


def moving_median(values: Series, fps: float, window_s: float = 0.4) -> Series:
    """Centred moving median ignoring NaN; NaN stays NaN."""
    return _centred(values, fps, window_s, np.nanmedian)


def hampel(
    values: Series, fps: float, window_s: float = 0.5, min_outlier_deg: float = 10.0
) -> Series:
    """Set to NaN the values that are outliers against their neighbourhood.

    The reference is the running median over ``window_s``; the spread is the running median
    of the absolute residuals (scaled to a standard deviation), not of the values themselves,
    so a fast but smooth movement (whose values spread widely in the window while their
    residuals stay small) does not hide a one-frame jump. Windows with fewer than three values
    decide nothing.
    """
    out = values.astype(np.float64).copy()
    if out.size == 0:
        return out
    counts = np.sum(~np.isnan(_windows(out, _half_window(window_s, fps))), axis=1)
    residual = out - moving_median(out, fps, window_s)
    spread = MAD_TO_SD * moving_median(np.abs(residual), fps, window_s)
    limit = np.maximum(3.0 * spread, min_outlier_deg)
    with np.errstate(invalid="ignore"):
        outlier = (counts >= 3) & (np.abs(residual) > limit)
    out[outlier] = np.nan
    return out


def fill_gaps(values: Series, fps: float, max_gap_s: float = 0.5) -> Series:
    """Linear interpolation across interior gaps of at most ``max_gap_s``."""
    out = values.astype(np.float64).copy()
    missing = np.isnan(out)
    if not missing.any() or missing.all():
        return out
    index = np.arange(out.size)
    known = index[~missing]
    filled = np.interp(index, known, out[~missing])
    max_gap = int(np.floor(max_gap_s * fps))
    start = None
    for i in range(out.size + 1):
        is_missing = i < out.size and missing[i]
        if is_missing and start is None:
            start = i
        elif not is_missing and start is not None:
            interior = start > 0 and i < out.size
            if interior and i - start <= max_gap:
                out[start:i] = filled[start:i]
            start = None
    return out


def clean_series(
    values: Series,
    fps: float,
    *,
    hampel_window_s: float = 0.5,
    min_outlier_deg: float = 10.0,
    max_gap_s: float = 0.5,
    smooth_window_s: float = 0.2,
) -> Series:
    """Outliers removed, short gaps filled, jitter smoothed (see the module docstring)."""
    cleaned = hampel(values, fps, hampel_window_s, min_outlier_deg)
    cleaned = fill_gaps(cleaned, fps, max_gap_s)
    return moving_average(cleaned, fps, smooth_window_s)
