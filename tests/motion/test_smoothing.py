"""Cleaning angle series: outliers, gaps, jitter."""

from __future__ import annotations

import numpy as np
import pytest

from spinewise.motion.smoothing import clean_series, fill_gaps, hampel, moving_average

FPS = 30.0


def test_a_single_frame_spike_is_removed() -> None:
    values = np.full(60, 20.0) + np.linspace(0, 3, 60)
    values[30] = 80.0
    cleaned = hampel(values, FPS)
    assert np.isnan(cleaned[30])
    assert np.count_nonzero(np.isnan(cleaned)) == 1


def test_a_real_movement_is_not_taken_for_outliers() -> None:
    t = np.arange(0, 4, 1 / FPS)
    values = 45 * (1 - np.cos(2 * np.pi * t / 2.0))  # 90 deg in 1 s up, 1 s down: fast
    assert not np.isnan(hampel(values, FPS)).any()


def test_short_gaps_are_interpolated_and_long_ones_kept() -> None:
    values = np.arange(40, dtype=float)
    values[5:10] = np.nan  # 5 frames = 0.17 s at 30 fps
    values[20:37] = np.nan  # 17 frames = 0.57 s > 0.5 s
    filled = fill_gaps(values, FPS, max_gap_s=0.5)
    assert filled[5:10].tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]
    assert np.isnan(filled[20:37]).all()


def test_gaps_at_the_edges_are_not_extrapolated() -> None:
    values = np.array([np.nan, np.nan, 1.0, 2.0, np.nan])
    filled = fill_gaps(values, FPS)
    assert np.isnan(filled[[0, 1, 4]]).all()


def test_moving_average_keeps_a_constant_and_leaves_missing_values_missing() -> None:
    values = np.full(20, 7.0)
    values[3] = np.nan
    smoothed = moving_average(values, FPS)
    assert np.isnan(smoothed[3])
    assert np.nanmax(np.abs(smoothed - 7.0)) == pytest.approx(0.0)


def test_cleaning_keeps_the_peak_of_a_2_s_movement_within_2_percent() -> None:
    # The 0.2 s moving average has gain sinc(0.2 / 2) = 0.984 at 0.5 Hz.
    t = np.arange(0, 6, 1 / FPS)
    values = 30 * (1 - np.cos(2 * np.pi * t / 2.0))  # peaks of 60
    assert np.nanmax(clean_series(values, FPS)) == pytest.approx(60, rel=0.02)


def test_a_spike_on_a_steep_movement_is_still_removed() -> None:
    # 15 fps, rising 3.5 deg per frame (52 deg/s); one frame thrown 34 deg too high. The values
    # of a 0.5 s window spread over ~25 deg, which would hide the spike from a Hampel filter
    # scaled on the values; scaled on the residuals from the running median, it is caught.
    values = np.arange(40) * 3.5
    values[20] += 34.0
    cleaned = hampel(values, 15.0)
    assert np.isnan(cleaned[20])
    assert np.count_nonzero(np.isnan(cleaned)) == 1
