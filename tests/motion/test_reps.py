"""Repetition detection on analytic angle series (no tracker noise)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.motion.reps import detect_repetitions

FPS = 30.0


def _series(
    *reps: tuple[float, float, float], rest: float = 0.0, lead_s: float = 1.0, gap_s: float = 1.0
) -> np.ndarray:
    """Sampled at FPS: rest for ``lead_s``, then for each (peak, duration_s, hold_s) a
    raised-cosine rise over duration/2, the hold, the mirror fall, ``gap_s`` at rest."""
    total = lead_s + sum(d + h + gap_s for _, d, h in reps)
    t = np.arange(round(total * FPS) + 1) / FPS
    angle = np.full(t.size, rest)
    t0 = lead_s
    for peak, duration, hold in reps:
        half = duration / 2
        amplitude = peak - rest
        rise = (t >= t0) & (t < t0 + half)
        top = (t >= t0 + half) & (t < t0 + half + hold)
        fall = (t >= t0 + half + hold) & (t < t0 + duration + hold)
        angle[rise] = rest + amplitude * 0.5 * (1 - np.cos(np.pi * (t[rise] - t0) / half))
        angle[top] = peak
        angle[fall] = rest + amplitude * 0.5 * (
            1 + np.cos(np.pi * (t[fall] - t0 - half - hold) / half)
        )
        t0 += duration + hold + gap_s
    return angle


def test_a_repetition_reaching_half_the_target_counts_and_a_smaller_one_does_not() -> None:
    # Target 60: half is 30. Peaks 60, 20 (partial), 45, 31 count except 20; 29 does not.
    angle = _series((60, 3, 0), (20, 3, 0), (45, 3, 0), (31, 3, 0), (29, 3, 0))
    reps = detect_repetitions(angle, FPS, 60)
    assert [round(r.peak_deg) for r in reps] == [60, 45, 31]


def test_start_and_end_are_the_onset_and_return_at_a_tenth_of_the_target() -> None:
    # Rep from t0 = 1 s lasting T = 3 s with amplitude 60: e(t) = 30 (1 - cos(2 pi (t-t0)/T)).
    # e = 6 deg (a tenth of 60) when cos = 0.8: t - t0 = acos(0.8) T / (2 pi) = 0.3072 s, so
    # start = 1.3072 s and end = 1 + 3 - 0.3072 = 3.6928 s; the peak is at 2.5 s.
    rep = detect_repetitions(_series((60, 3, 0)), FPS, 60)[0]
    offset = math.acos(0.8) * 3 / (2 * math.pi)
    assert rep.start_s == pytest.approx(1 + offset, abs=0.01)
    assert rep.end_s == pytest.approx(4 - offset, abs=0.01)
    assert rep.peak_s == pytest.approx(2.5, abs=1 / FPS)
    assert rep.peak_deg == pytest.approx(60, abs=0.1)
    assert rep.duration_s == pytest.approx(3 - 2 * offset, abs=0.02)


def test_range_of_motion_is_measured_from_rest() -> None:
    rep = detect_repetitions(_series((70, 3, 0), rest=10), FPS, 60)[0]
    assert rep.peak_deg == pytest.approx(70, abs=0.1)
    assert rep.rom_deg == pytest.approx(60, abs=0.1)


def test_hold_time_includes_the_slow_turn_at_the_top() -> None:
    # 2 s hold at 60 deg between 3-s raised-cosine ramps. The band is 5 % of 60 = 3 deg: the
    # ramps are within 3 deg of the top while 0.5 (1 - cos th) >= 0.95, i.e. cos th <= -0.9,
    # th >= 2.6906 rad: (pi - 2.6906) / (2 pi) * 3 s = 0.2153 s on each side.
    # Expected hold = 2 + 2 * 0.2153 = 2.43 s.
    rep = detect_repetitions(_series((60, 3, 2)), FPS, 60)[0]
    assert rep.hold_s == pytest.approx(2.43, abs=0.07)
    assert rep.up_s + rep.hold_s + rep.down_s == pytest.approx(rep.duration_s, abs=0.05)


def test_hysteresis_does_not_count_wobbles_around_the_threshold() -> None:
    # Up to 40, then wobbling between 28 and 32 (across the 30 deg count threshold) five
    # times before coming back: one repetition, not six.
    up = np.linspace(0, 40, 30)
    wobble = np.tile(np.concatenate([np.linspace(32, 28, 8), np.linspace(28, 32, 8)]), 5)
    angle = np.concatenate([np.zeros(30), up, wobble, np.linspace(32, 0, 30), np.zeros(30)])
    assert len(detect_repetitions(angle, FPS, 60)) == 1


def test_a_movement_that_never_comes_back_is_not_a_repetition() -> None:
    angle = np.concatenate([np.zeros(30), np.linspace(0, 60, 45), np.full(30, 60.0)])
    assert detect_repetitions(angle, FPS, 60, rest_deg=0.0) == []


def test_missing_frames_inside_a_repetition_do_not_split_it() -> None:
    angle = _series((60, 3, 0), (55, 3, 0))
    angle[60:75] = np.nan  # half a second of nothing around the first peak
    reps = detect_repetitions(angle, FPS, 60)
    assert len(reps) == 2


def test_back_to_back_repetitions_split_at_the_lowest_point() -> None:
    # Two repetitions without any rest, returning only to 12 deg (below a quarter of 60 = 15,
    # above a tenth = 6): both count; the first ends where the second starts.
    up = 12 + 48 * 0.5 * (1 - np.cos(np.linspace(0, 2 * np.pi, 90)))
    angle = np.concatenate([np.linspace(0, 12, 30), up, up, np.linspace(12, 0, 30)])
    reps = detect_repetitions(angle, FPS, 60, rest_deg=0.0)
    assert len(reps) == 2
    assert reps[0].end_s == pytest.approx(reps[1].start_s, abs=1 / FPS)


@pytest.mark.parametrize(
    "kwargs",
    [{"target_deg": 0}, {"target_deg": 60, "count_fraction": 0.2}],
)
def test_bad_parameters_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        detect_repetitions(_series((60, 3, 0)), FPS, **kwargs)


def test_a_recording_without_the_joints_is_refused() -> None:
    with pytest.raises(InvalidInput, match="frames"):
        detect_repetitions(np.full(30, np.nan), FPS, 60)
