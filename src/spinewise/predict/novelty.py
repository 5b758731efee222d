"""Out-of-distribution guard: is a new patient like the patients a model learnt from?

Two checks, both fitted on the training matrix:

1. **Range**: each feature must lie within the training range widened by ``range_margin`` of
   that range on either side. Catches typing errors and unit mix-ups (mm for degrees).
2. **Neighbourhood**: in robustly standardised space (median, IQR / 1.349), the distance to the
   ``k``-th nearest training patient must not exceed the ``quantile`` of the same distance
   among the training patients themselves (leave-one-out). By construction about
   ``1 - quantile`` of training patients would be flagged, so the false-alarm rate on patients
   like the training set is known; a patient in an empty region of feature space (each value
   plausible, the combination unseen) is flagged.

A model refuses or flags such patients rather than extrapolating (see the model cards).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from spinewise.core.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]

# Scale factor that makes the IQR of a normal distribution equal to its standard deviation.
_IQR_TO_SD = 1.349


@dataclass
class NoveltyGuard:
    """Flag rows far from the training distribution (scikit-learn-like ``fit`` / ``check``).

    Parameters
    ----------
    feature_names : names used in the reasons given for a flag.
    k : neighbour whose distance is measured (5 smooths over single outliers in the training).
    quantile : training quantile of the k-NN distance used as the threshold.
    range_margin : widening of each feature's training range, as a fraction of the range.
    """

    feature_names: Sequence[str]
    k: int = 5
    quantile: float = 0.995
    range_margin: float = 0.10
    center_: FloatArray = field(init=False, repr=False)
    scale_: FloatArray = field(init=False, repr=False)
    low_: FloatArray = field(init=False, repr=False)
    high_: FloatArray = field(init=False, repr=False)
    train_z_: FloatArray = field(init=False, repr=False)
    threshold_: float = field(init=False, default=float("nan"))

    def fit(self, X: FloatArray) -> NoveltyGuard:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.feature_names):
            raise InvalidInput("X", f"expected {len(self.feature_names)} columns")
        if X.shape[0] <= self.k:
            raise InvalidInput("X", f"need more than k = {self.k} training rows")
        self.center_ = np.median(X, axis=0)
        q75, q25 = np.percentile(X, [75, 25], axis=0)
        scale = (q75 - q25) / _IQR_TO_SD
        fallback = X.std(axis=0)
        scale = np.where(scale > 0, scale, np.where(fallback > 0, fallback, 1.0))
        self.scale_ = scale
        span = X.max(axis=0) - X.min(axis=0)
        self.low_ = X.min(axis=0) - self.range_margin * span
        self.high_ = X.max(axis=0) + self.range_margin * span
        self.train_z_ = (X - self.center_) / self.scale_
        loo = self._kth_distance(self.train_z_, exclude_self=True)
        self.threshold_ = float(np.quantile(loo, self.quantile))
        return self

    def _kth_distance(self, Z: FloatArray, *, exclude_self: bool) -> FloatArray:
        k = self.k + 1 if exclude_self else self.k  # the point itself is at distance 0
        out = np.empty(Z.shape[0], dtype=np.float64)
        for start in range(0, Z.shape[0], 512):  # chunks bound the memory to 512 x n
            block = Z[start : start + 512]
            d = np.sqrt(((block[:, None, :] - self.train_z_[None, :, :]) ** 2).sum(axis=2))
            out[start : start + 512] = np.partition(d, k - 1, axis=1)[:, k - 1]
        return out

    def distance(self, X: FloatArray) -> FloatArray:
        """Distance of each row to its k-th nearest training patient (standardised units)."""
        Z = (np.asarray(X, dtype=np.float64) - self.center_) / self.scale_
        return self._kth_distance(Z, exclude_self=False)

    def check(self, X: FloatArray) -> list[list[str]]:
        """For each row, the reasons it is out of distribution (empty list = in distribution)."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        distances = self.distance(X)
        reasons: list[list[str]] = []
        for row, dist in zip(X, distances, strict=True):
            found = []
            for j, name in enumerate(self.feature_names):
                if row[j] < self.low_[j] or row[j] > self.high_[j]:
                    found.append(
                        f"{name} = {row[j]:g} is outside the training range "
                        f"[{self.low_[j]:.4g}, {self.high_[j]:.4g}]"
                    )
            if dist > self.threshold_:
                found.append(
                    f"unusual combination of values: distance to the {self.k}th nearest "
                    f"training patient {dist:.2f} > {self.threshold_:.2f} "
                    f"(exceeded by {100 * (1 - self.quantile):.1f} % of training patients)"
                )
            reasons.append(found)
        return reasons
