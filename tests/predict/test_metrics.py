"""Probability metrics checked against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinewise.predict.metrics import (
    bootstrap_interval,
    classification_metrics,
    expected_calibration_error,
    macro_f1,
    per_sample_brier,
    per_sample_log_loss,
    reliability_bins,
)

Y = np.array([0, 1, 2, 1])
P = np.array(
    [
        [0.7, 0.2, 0.1],
        [0.1, 0.6, 0.3],
        [0.2, 0.3, 0.5],
        [0.5, 0.4, 0.1],
    ]
)


def test_multiclass_brier_by_hand() -> None:
    # row 1: 0.3^2 + 0.2^2 + 0.1^2 = 0.14; row 4: 0.5^2 + 0.6^2 + 0.1^2 = 0.62
    assert per_sample_brier(Y, P)[0] == pytest.approx(0.14)
    assert per_sample_brier(Y, P)[3] == pytest.approx(0.62)


def test_log_loss_by_hand() -> None:
    assert per_sample_log_loss(Y, P).mean() == pytest.approx(
        -(math.log(0.7) + math.log(0.6) + math.log(0.5) + math.log(0.4)) / 4
    )


def test_accuracy_and_macro_f1_by_hand() -> None:
    # predictions 0, 1, 2, 0: class 0 P=1/2 R=1 F1=2/3; class 1 P=1 R=1/2 F1=2/3; class 2 F1=1
    metrics = classification_metrics(Y, P)
    assert metrics["accuracy"] == pytest.approx(0.75)
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert macro_f1(np.array([0, 0]), np.array([0, 0]), 3) == pytest.approx(1 / 3)


def test_ece_by_hand() -> None:
    # confidences 0.7, 0.6, 0.5, 0.5 -> bins (0.6,0.7], (0.5,0.6], (0.4,0.5] (twice)
    # errors: |1-0.7| * 1/4 + |1-0.6| * 1/4 + |0.5-0.5| * 2/4 = 0.175
    assert expected_calibration_error(Y, P) == pytest.approx(0.175)


def test_reliability_bins_count_every_sample_once() -> None:
    bins = reliability_bins(np.array([1.0, 0.0, 1.0]), np.array([0.05, 0.55, 0.95]))
    assert [b["count"] for b in bins] == [1, 1, 1]
    assert bins[1]["observed"] == 0.0


def test_bootstrap_interval_is_reproducible_and_brackets_the_mean() -> None:
    values = np.arange(100, dtype=float)

    def mean(idx: np.ndarray) -> float:
        return float(values[idx].mean())

    first = bootstrap_interval(100, mean, n_boot=300, seed=3)
    assert first == bootstrap_interval(100, mean, n_boot=300, seed=3)
    # SE of the mean of 0..99 is 28.87 / 10 = 2.9; a 95 % interval is about +-5.7
    assert first[0] < 49.5 < first[1]
    assert 8 < first[1] - first[0] < 15
