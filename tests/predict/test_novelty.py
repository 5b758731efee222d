"""The out-of-distribution guard flags what it should and little else."""

from __future__ import annotations

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict.novelty import NoveltyGuard


@pytest.fixture()
def guard_and_data() -> tuple[NoveltyGuard, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    return NoveltyGuard(["a", "b", "c"]).fit(X), X


def test_training_patients_are_rarely_flagged(
    guard_and_data: tuple[NoveltyGuard, np.ndarray],
) -> None:
    guard, X = guard_and_data
    flagged = sum(bool(r) for r in guard.check(X))
    # threshold = 99.5th percentile of leave-one-out distances; in-sample distances are
    # smaller still, so at most 0.5 % of 400 = 2 patients
    assert flagged <= 2


def test_a_value_beyond_the_widened_range_is_named(
    guard_and_data: tuple[NoveltyGuard, np.ndarray],
) -> None:
    guard, X = guard_and_data
    row = np.median(X, axis=0)
    row[1] = X[:, 1].max() + 0.2 * (X[:, 1].max() - X[:, 1].min())
    reasons = guard.check(row)[0]
    assert any(r.startswith("b = ") and "training range" in r for r in reasons)


def test_an_unseen_combination_of_plausible_values_is_flagged() -> None:
    # training points lie on the line b = a; (2, -2) is within each range but far from all
    a = np.linspace(-2, 2, 200)
    guard = NoveltyGuard(["a", "b"]).fit(np.column_stack([a, a]))
    reasons = guard.check(np.array([[2.0, -2.0]]))[0]
    assert any("unusual combination" in r for r in reasons)
    assert guard.check(np.array([[0.5, 0.5]]))[0] == []


def test_too_few_rows_are_refused() -> None:
    with pytest.raises(InvalidInput):
        NoveltyGuard(["a"]).fit(np.zeros((5, 1)))
