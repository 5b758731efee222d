"""Probability metrics, bootstrap intervals and reliability plots shared by the models.

Conventions: ``y`` holds integer class indices 0..K-1, ``proba`` is an (n, K) array whose rows
sum to 1. Lower is better for log-loss, Brier score and expected calibration error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Probabilities are clipped before the logarithm so a single confident error costs
# -log(1e-15) ~ 34.5 nats instead of infinity (the same guard as scikit-learn's log_loss).
_EPS = 1e-15


def per_sample_log_loss(y: IntArray, proba: FloatArray) -> FloatArray:
    """Negative log-probability of the true class for each sample (nats)."""
    p = np.clip(proba[np.arange(len(y)), y], _EPS, 1.0)
    return np.asarray(-np.log(p), dtype=np.float64)


def per_sample_brier(y: IntArray, proba: FloatArray) -> FloatArray:
    """Multi-class Brier score per sample: sum over classes of (p_k - 1[y = k])^2, range 0-2.

    Brier GW. Verification of forecasts expressed in terms of probability. Mon Weather Rev
    1950;78(1):1-3 (the original, multi-category definition).
    """
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y)), y] = 1.0
    return np.asarray(np.sum((proba - onehot) ** 2, axis=1), dtype=np.float64)


def expected_calibration_error(y: IntArray, proba: FloatArray, n_bins: int = 10) -> float:
    """Top-label expected calibration error with equal-width bins (Guo et al. 2017, ICML).

    The weighted mean, over bins of the predicted class's probability, of
    |accuracy in the bin - mean confidence in the bin|.
    """
    confidence = proba.max(axis=1)
    correct = (proba.argmax(axis=1) == y).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, n_bins - 1)
    total = 0.0
    for b in range(n_bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(total)


def macro_f1(y: IntArray, pred: IntArray, n_classes: int) -> float:
    """Unweighted mean of per-class F1 (a class absent from both y and pred scores 0)."""
    scores = []
    for k in range(n_classes):
        tp = np.sum((pred == k) & (y == k))
        fp = np.sum((pred == k) & (y != k))
        fn = np.sum((pred != k) & (y == k))
        denom = 2 * tp + fp + fn
        scores.append(0.0 if denom == 0 else 2.0 * tp / denom)
    return float(np.mean(scores))


def classification_metrics(y: IntArray, proba: FloatArray) -> dict[str, float]:
    """Accuracy, macro-F1, log-loss, Brier score and ECE of one set of predictions."""
    pred = proba.argmax(axis=1)
    return {
        "accuracy": float(np.mean(pred == y)),
        "macro_f1": macro_f1(y, pred, proba.shape[1]),
        "log_loss": float(per_sample_log_loss(y, proba).mean()),
        "brier": float(per_sample_brier(y, proba).mean()),
        "ece": expected_calibration_error(y, proba),
    }


def bootstrap_interval(
    n: int,
    statistic: Callable[[IntArray], float],
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(indices)`` over resampled patients.

    Efron B, Tibshirani RJ. An Introduction to the Bootstrap. Chapman & Hall, 1993, ch. 13.
    ``statistic`` receives an index array drawn with replacement from ``range(n)``.
    """
    rng = np.random.default_rng(seed)
    values = np.empty(n_boot, dtype=np.float64)
    for b in range(n_boot):
        values[b] = statistic(rng.integers(0, n, size=n))
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(values, [alpha, 1.0 - alpha])
    return float(low), float(high)


def reliability_bins(
    y_binary: FloatArray, p: FloatArray, n_bins: int = 10
) -> list[dict[str, float]]:
    """Equal-width reliability diagram data: mean predicted vs observed frequency per bin."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1], right=True), 0, n_bins - 1)
    bins = []
    for b in range(n_bins):
        mask = which == b
        if mask.any():
            bins.append(
                {
                    "lower": float(edges[b]),
                    "upper": float(edges[b + 1]),
                    "mean_predicted": float(p[mask].mean()),
                    "observed": float(y_binary[mask].mean()),
                    "count": int(mask.sum()),
                }
            )
    return bins


def reliability_figure(
    curves: dict[str, tuple[IntArray, FloatArray]],
    class_names: Sequence[str],
    title: str,
    n_bins: int = 10,
) -> Any:
    """One-vs-rest reliability diagrams, one panel per class, one line per model.

    ``curves`` maps a model label to ``(y, proba)``. Returns a matplotlib ``Figure`` built
    without pyplot (no global state, no display backend needed).
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.0 * len(class_names), 4.2))
    axes = figure.subplots(1, len(class_names), squeeze=False)[0]
    for k, (axis, name) in enumerate(zip(axes, class_names, strict=True)):
        axis.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect calibration")
        for label, (y, proba) in curves.items():
            bins = reliability_bins((y == k).astype(np.float64), proba[:, k], n_bins)
            axis.plot(
                [b["mean_predicted"] for b in bins],
                [b["observed"] for b in bins],
                marker="o",
                label=label,
            )
        axis.set_title(f"{name} (one vs rest)")
        axis.set_xlabel("predicted probability")
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.set_aspect("equal")
    axes[0].set_ylabel("observed frequency")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize="small")
    figure.suptitle(title)
    figure.subplots_adjust(bottom=0.22)
    return figure
