"""Spine classifier: normal / disc hernia / spondylolisthesis from six spinopelvic parameters.

Model families are compared with **nested cross-validation** (Varma & Simon 2006, BMC
Bioinformatics 7:91; Cawley & Talbot 2010, JMLR 11:2079-2107): hyperparameters are tuned in
an inner stratified k-fold on the training part of each outer split (refit on log-loss, a
proper scoring rule, so tuning favours honest probabilities) and judged on the outer test part,
over repeated stratified outer splits.

The model that ships is chosen by a fixed **selection rule** applied to inner-CV scores: the
lowest mean rank over accuracy, macro-F1 and log-loss (ties: lower log-loss). Because the same
rule is applied inside every outer split, the nested-CV figures of the *selected procedure*
(not only of each family) are an honest estimate for the model that ships, family choice
included.

Feature engineering (``SpinopelvicFeatures``): pelvic incidence is dropped because it equals
pelvic tilt + sacral slope (Legaye et al. 1998, Eur Spine J 7:99-103), which makes the six raw
columns collinear; the grade of spondylolisthesis, heavily right-skewed with some negative
values, enters as ``asinh(grade / s)`` - a signed logarithm, linear near zero - with the scale
``s`` (degrees/mm as in the source) tuned in the inner CV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RepeatedStratifiedKFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from spinewise.core.errors import InvalidInput
from spinewise.predict.metrics import (
    bootstrap_interval,
    classification_metrics,
    expected_calibration_error,
    macro_f1,
    per_sample_brier,
    per_sample_log_loss,
    reliability_bins,
)
from spinewise.predict.novelty import NoveltyGuard
from spinewise.predict.spine_data import CLASSES, FEATURES

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

BASELINE = "lr_baseline"
SELECTED = "selected_procedure"

# Pelvic incidence = pelvic tilt + sacral slope (Legaye et al. 1998); the source rounds each
# angle to 0.01 degree, so a larger gap means a measurement or transcription error.
PI_IDENTITY_TOLERANCE_DEG = 1.0


class SpinopelvicFeatures(BaseEstimator, TransformerMixin):
    """PT, SS, LL, pelvic radius and asinh(grade / grade_scale); PI is dropped (PI = PT + SS).

    Input columns in ``spine_data.FEATURES`` order.
    """

    def __init__(self, grade_scale: float = 20.0) -> None:
        self.grade_scale = grade_scale

    def fit(self, X: FloatArray, y: Any = None) -> SpinopelvicFeatures:
        return self

    def transform(self, X: FloatArray) -> FloatArray:
        X = np.asarray(X, dtype=np.float64)
        _, pt, ll, ss, pr, grade = X.T
        return np.column_stack([pt, ss, ll, pr, np.arcsinh(grade / self.grade_scale)])


@dataclass(frozen=True)
class Candidate:
    """A model family with its inner-CV hyperparameter grid."""

    name: str
    description: str
    build: Callable[[int], Any]
    grid: dict[str, list[Any]] = field(default_factory=dict)


def _lr_baseline(seed: int) -> Any:
    return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=5000))])


def _lr_engineered(seed: int) -> Any:
    return Pipeline(
        [
            ("features", SpinopelvicFeatures()),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(max_iter=5000)),
        ]
    )


def _lda_engineered(seed: int) -> Any:
    return Pipeline([("features", SpinopelvicFeatures()), ("model", LinearDiscriminantAnalysis())])


def _svm_rbf(seed: int) -> Any:
    # SVC has no probabilities of its own: Platt (sigmoid) calibration on 3 internal folds.
    return Pipeline(
        [
            ("features", SpinopelvicFeatures()),
            ("scale", StandardScaler()),
            ("model", CalibratedClassifierCV(SVC(kernel="rbf"), method="sigmoid", cv=3)),
        ]
    )


def _random_forest(seed: int) -> Any:
    return RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1)


def _gradient_boosting(seed: int) -> Any:
    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.1, early_stopping=False, random_state=seed
    )


def _knn(seed: int) -> Any:
    return Pipeline(
        [
            ("features", SpinopelvicFeatures()),
            ("scale", StandardScaler()),
            ("model", KNeighborsClassifier()),
        ]
    )


CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        Candidate(
            BASELINE,
            "standardised logistic regression on the six raw parameters (reference)",
            _lr_baseline,
        ),
        Candidate(
            "lr_engineered",
            "regularised logistic regression, PI dropped, asinh(grade / s)",
            _lr_engineered,
            {"features__grade_scale": [10.0, 20.0, 40.0], "model__C": [0.3, 3.0]},
        ),
        Candidate(
            "lda_engineered",
            "linear discriminant analysis, PI dropped, asinh(grade / s)",
            _lda_engineered,
            {"features__grade_scale": [5.0, 10.0, 20.0, 40.0]},
        ),
        Candidate(
            "svm_rbf",
            "RBF support-vector machine with sigmoid (Platt) calibration, engineered features",
            _svm_rbf,
            {"model__estimator__C": [1.0, 10.0]},
        ),
        Candidate(
            "random_forest",
            "random forest, 100 trees, raw parameters",
            _random_forest,
            {"min_samples_leaf": [1, 5]},
        ),
        Candidate(
            "gradient_boosting",
            "histogram gradient boosting, 100 iterations, raw parameters",
            _gradient_boosting,
            {"max_depth": [2, 3]},
        ),
        Candidate(
            "knn",
            "k-nearest neighbours, engineered and standardised features",
            _knn,
            {"model__n_neighbors": [5, 9, 15, 25], "model__weights": ["uniform", "distance"]},
        ),
    )
}

SELECTION_RULE = (
    "lowest mean rank over inner-CV accuracy (higher better), macro-F1 (higher better) and "
    "log-loss (lower better); ties broken by the lower log-loss"
)


@dataclass(frozen=True)
class NestedCVConfig:
    """Sizes of the nested cross-validation (defaults: 5 folds x 5 repeats outer, 5 inner).

    The grids are kept small on purpose: the whole comparison must run in minutes on a shared
    two-core machine (``n_jobs=1`` everywhere).
    """

    outer_folds: int = 5
    outer_repeats: int = 5
    inner_folds: int = 5
    seed: int = 0
    candidates: tuple[str, ...] = tuple(CANDIDATES)
    n_boot: int = 1000

    def __post_init__(self) -> None:
        if BASELINE not in self.candidates:
            raise InvalidInput("candidates", f"must include the baseline {BASELINE!r}")
        unknown = [c for c in self.candidates if c not in CANDIDATES]
        if unknown:
            raise InvalidInput("candidates", f"unknown model family {unknown[0]!r}")
        for name in ("outer_folds", "inner_folds"):
            if getattr(self, name) < 2:
                raise InvalidInput(name, "must be at least 2")
        if self.outer_repeats < 1 or self.n_boot < 100:
            raise InvalidInput("outer_repeats", "need >= 1 repeat and >= 100 bootstrap samples")

    def to_dict(self) -> dict[str, Any]:
        return {
            "outer_folds": self.outer_folds,
            "outer_repeats": self.outer_repeats,
            "inner_folds": self.inner_folds,
            "seed": self.seed,
            "candidates": list(self.candidates),
            "n_boot": self.n_boot,
        }


def encode_labels(y: Sequence[str] | npt.NDArray[Any]) -> IntArray:
    """Class names -> indices in ``CLASSES`` order (normal 0, hernia 1, spondylolisthesis 2)."""
    lookup = {c: i for i, c in enumerate(CLASSES)}
    try:
        return np.asarray([lookup[str(v)] for v in y], dtype=np.int64)
    except KeyError as exc:
        raise InvalidInput("class", f"unknown class {exc.args[0]!r}") from None


def _search(
    candidate: Candidate, X: FloatArray, y: IntArray, folds: int, seed: int
) -> tuple[Any, dict[str, float], dict[str, Any]]:
    """Inner CV: tune on log-loss; return the refit estimator, its inner scores and params."""
    search = GridSearchCV(
        candidate.build(seed),
        param_grid=candidate.grid,
        scoring={"accuracy": "accuracy", "macro_f1": "f1_macro", "log_loss": "neg_log_loss"},
        refit="log_loss",
        cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        n_jobs=1,
        error_score="raise",
    )
    # One thread for BLAS and OpenMP (gradient boosting): on a shared machine busy-waiting
    # worker threads make small fits many times slower, and results stay reproducible.
    with threadpool_limits(limits=1):
        search.fit(X, y)
    i = search.best_index_
    res = search.cv_results_
    scores = {
        "accuracy": float(res["mean_test_accuracy"][i]),
        "macro_f1": float(res["mean_test_macro_f1"][i]),
        "log_loss": float(-res["mean_test_log_loss"][i]),
    }
    params = {k: _plain(v) for k, v in search.best_params_.items()}
    return search.best_estimator_, scores, params


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def select_candidate(inner_scores: dict[str, dict[str, float]]) -> str:
    """Apply ``SELECTION_RULE`` to ``{family: {"accuracy", "macro_f1", "log_loss"}}``."""
    names = list(inner_scores)
    acc = rankdata([-inner_scores[n]["accuracy"] for n in names])
    f1 = rankdata([-inner_scores[n]["macro_f1"] for n in names])
    ll = rankdata([inner_scores[n]["log_loss"] for n in names])
    mean_rank = (acc + f1 + ll) / 3.0
    order = sorted(
        range(len(names)), key=lambda i: (mean_rank[i], inner_scores[names[i]]["log_loss"], i)
    )
    return names[order[0]]


def _proba(estimator: Any, X: FloatArray) -> FloatArray:
    """Probabilities with columns in CLASSES order (estimators are fitted on indices 0..2)."""
    raw = np.asarray(estimator.predict_proba(X), dtype=np.float64)
    out = np.zeros((X.shape[0], len(CLASSES)))
    out[:, np.asarray(estimator.classes_, dtype=np.int64)] = raw
    return out


@dataclass
class NestedCVResult:
    """Out-of-fold probabilities of every family and of the selected procedure."""

    config: NestedCVConfig
    y: IntArray
    oof: dict[str, FloatArray]  # name -> (repeats, n, K)
    fold_metrics: dict[str, list[dict[str, float]]]
    chosen_params: dict[str, list[dict[str, Any]]]
    selections: list[str]


def run_nested_cv(
    X: FloatArray,
    y: Sequence[str] | npt.NDArray[Any],
    config: NestedCVConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> NestedCVResult:
    """Nested, repeated, stratified cross-validation of every candidate family.

    Parameters
    ----------
    X : (n, 6) array in ``FEATURES`` order.
    y : n class names.
    config : fold counts, repeats, seed and candidate families.
    progress : optional callback receiving one line per outer split.
    """
    config = config or NestedCVConfig()
    X = np.asarray(X, dtype=np.float64)
    y_idx = encode_labels(y)
    _check_training_data(X, y_idx, 2 * max(config.outer_folds, config.inner_folds))
    n, k = X.shape[0], len(CLASSES)
    outer = RepeatedStratifiedKFold(
        n_splits=config.outer_folds, n_repeats=config.outer_repeats, random_state=config.seed
    )
    names = list(config.candidates)
    oof = {name: np.full((config.outer_repeats, n, k), np.nan) for name in [*names, SELECTED]}
    fold_metrics: dict[str, list[dict[str, float]]] = {name: [] for name in [*names, SELECTED]}
    chosen: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    selections: list[str] = []
    for split, (train, test) in enumerate(outer.split(X, y_idx)):
        repeat = split // config.outer_folds
        inner: dict[str, dict[str, float]] = {}
        for name in names:
            estimator, scores, params = _search(
                CANDIDATES[name], X[train], y_idx[train], config.inner_folds, config.seed + split
            )
            proba = _proba(estimator, X[test])
            oof[name][repeat, test] = proba
            fold_metrics[name].append(classification_metrics(y_idx[test], proba))
            chosen[name].append(params)
            inner[name] = scores
        pick = select_candidate(inner)
        selections.append(pick)
        oof[SELECTED][repeat, test] = oof[pick][repeat, test]
        fold_metrics[SELECTED].append(fold_metrics[pick][-1])
        if progress is not None:
            progress(
                f"outer split {split + 1}/{config.outer_folds * config.outer_repeats}: "
                f"selected {pick}"
            )
    return NestedCVResult(config, y_idx, oof, fold_metrics, chosen, selections)


def _check_training_data(X: FloatArray, y: IntArray, min_per_class: int) -> None:
    """Every class needs enough rows for stratified folds (else scikit-learn fails mid-run)."""
    if X.ndim != 2 or X.shape[1] != len(FEATURES):
        raise InvalidInput("X", f"expected {len(FEATURES)} columns in order {FEATURES}")
    if len(y) != X.shape[0]:
        raise InvalidInput("y", "one label per row")
    counts = np.bincount(y, minlength=len(CLASSES))
    if counts.min() < min_per_class:
        raise InvalidInput(
            "data",
            f"too few rows for cross-validation: need {min_per_class} per class, have "
            f"{dict(zip(CLASSES, counts.tolist(), strict=True))}",
        )


# --- summarising -----------------------------------------------------------------------------

_METRICS: dict[str, Callable[[IntArray, FloatArray], float]] = {
    "accuracy": lambda y, p: float(np.mean(p.argmax(axis=1) == y)),
    "macro_f1": lambda y, p: macro_f1(y, p.argmax(axis=1), p.shape[1]),
    "log_loss": lambda y, p: float(per_sample_log_loss(y, p).mean()),
    "brier": lambda y, p: float(per_sample_brier(y, p).mean()),
    "ece": expected_calibration_error,
}


def _pooled(y: IntArray, oof: FloatArray, index: IntArray | None = None) -> tuple[Any, Any]:
    """Stack repeats: (R * m,) labels and (R * m, K) probabilities for patients ``index``."""
    idx = np.arange(len(y)) if index is None else index
    repeats = oof.shape[0]
    return np.tile(y[idx], repeats), oof[:, idx, :].reshape(-1, oof.shape[2])


def summarise(result: NestedCVResult) -> dict[str, Any]:
    """Figures for the report and the model card, with intervals.

    For each family and the selected procedure, each metric gets:

    - ``estimate``: the metric over all out-of-fold predictions, pooled over repeats;
    - ``ci95``: percentile bootstrap over patients (each resampled patient keeps its
      predictions from every repeat), the uncertainty from having only these patients
      (``None`` for ECE, which resampling biases upwards);
    - ``repeat_range``: min-max of the estimate across outer repeats, the uncertainty from
      the random split alone (narrower, it ignores patient sampling);
    - ``fold_sd``: standard deviation over the outer test folds.

    ``vs_baseline`` gives paired differences (family minus baseline) with bootstrap CIs on the
    same resamples.
    """
    y = result.y
    n = len(y)
    cfg = result.config
    summary: dict[str, Any] = {}
    for name, oof in result.oof.items():
        entry: dict[str, Any] = {}
        for metric, fn in _METRICS.items():
            yy, pp = _pooled(y, oof)
            per_repeat = [fn(y, oof[r]) for r in range(oof.shape[0])]
            folds = [m[metric] for m in result.fold_metrics[name]]

            def stat(idx: IntArray, fn: Any = fn, oof: FloatArray = oof) -> float:
                return float(fn(*_pooled(y, oof, idx)))

            # No bootstrap interval for ECE: duplicated patients in a resample make every bin
            # noisier, which biases ECE upwards (the interval would sit above the estimate).
            ci = (
                None
                if metric == "ece"
                else list(bootstrap_interval(n, stat, n_boot=cfg.n_boot, seed=cfg.seed))
            )
            entry[metric] = {
                "estimate": fn(yy, pp),
                "ci95": ci,
                "repeat_range": [min(per_repeat), max(per_repeat)],
                "fold_sd": float(np.std(folds, ddof=1)) if len(folds) > 1 else 0.0,
            }
        summary[name] = entry

    comparisons: dict[str, Any] = {}
    base = result.oof[BASELINE]
    for name, oof in result.oof.items():
        if name == BASELINE:
            continue
        diffs: dict[str, Any] = {}
        for metric in ("accuracy", "macro_f1", "log_loss", "brier"):
            fn = _METRICS[metric]

            def diff(idx: IntArray, fn: Any = fn, oof: FloatArray = oof) -> float:
                return float(fn(*_pooled(y, oof, idx)) - fn(*_pooled(y, base, idx)))

            point = diff(np.arange(n))
            low, high = bootstrap_interval(n, diff, n_boot=cfg.n_boot, seed=cfg.seed + 1)
            diffs[metric] = {"difference": point, "ci95": [low, high]}
        comparisons[name] = diffs

    selected_counts = {name: result.selections.count(name) for name in cfg.candidates}
    yy, pp = _pooled(y, result.oof[SELECTED])
    confusion = np.zeros((len(CLASSES), len(CLASSES)), dtype=np.int64)
    np.add.at(confusion, (yy, pp.argmax(axis=1)), 1)
    per_class = {
        cls: {
            "recall": float(confusion[k, k] / confusion[k].sum()),
            "precision": float(confusion[k, k] / max(confusion[:, k].sum(), 1)),
            "n_patients": int(np.sum(y == k)),
        }
        for k, cls in enumerate(CLASSES)
    }
    reliability = {
        cls: reliability_bins((yy == k).astype(np.float64), pp[:, k])
        for k, cls in enumerate(CLASSES)
    }
    return {
        "families": summary,
        "vs_baseline": comparisons,
        "selection_counts": selected_counts,
        "chosen_params": result.chosen_params,
        "per_class_selected": per_class,
        "confusion_selected": {
            "rows_true_cols_predicted": list(CLASSES),
            "counts_over_repeats": confusion.tolist(),
        },
        "reliability_selected": reliability,
    }


# --- the model that ships --------------------------------------------------------------------


@dataclass(frozen=True)
class SpinePrediction:
    """One row's prediction; ``reasons`` explain an out-of-distribution flag."""

    label: str
    probabilities: dict[str, float]
    out_of_distribution: bool
    reasons: tuple[str, ...]

    def to_dict(self, *, refuse_out_of_distribution: bool = False) -> dict[str, Any]:
        refused = refuse_out_of_distribution and self.out_of_distribution
        return {
            "class": None if refused else self.label,
            "probabilities": None if refused else self.probabilities,
            "out_of_distribution": self.out_of_distribution,
            "ood_reasons": list(self.reasons),
            **({"refused": True} if refused else {}),
        }


@dataclass
class SpineModel:
    """The fitted, selected pipeline plus its out-of-distribution guard."""

    family: str
    params: dict[str, Any]
    estimator: Any
    guard: NoveltyGuard
    classes: tuple[str, ...] = CLASSES
    features: tuple[str, ...] = FEATURES

    def predict_proba(self, X: FloatArray) -> FloatArray:
        return _proba(self.estimator, np.asarray(X, dtype=np.float64))

    def predict(self, X: FloatArray) -> list[SpinePrediction]:
        """Class, calibrated probabilities and out-of-distribution flags, in input order."""
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if X.shape[1] != len(self.features):
            raise InvalidInput("X", f"expected {len(self.features)} columns {self.features}")
        proba = self.predict_proba(X)
        reasons = self.guard.check(X)
        out = []
        for row, p, why in zip(X, proba, reasons, strict=True):
            found = list(why)
            gap = row[0] - (row[1] + row[3])
            if abs(gap) > PI_IDENTITY_TOLERANCE_DEG:
                found.append(
                    f"pelvic_incidence differs from pelvic_tilt + sacral_slope by {gap:+.2f} deg "
                    "(they should be equal: check the measurements)"
                )
            out.append(
                SpinePrediction(
                    label=self.classes[int(p.argmax())],
                    probabilities={c: float(v) for c, v in zip(self.classes, p, strict=True)},
                    out_of_distribution=bool(found),
                    reasons=tuple(found),
                )
            )
        return out


def fit_selected_model(
    X: FloatArray, y: Sequence[str] | npt.NDArray[Any], config: NestedCVConfig | None = None
) -> tuple[SpineModel, dict[str, dict[str, float]]]:
    """Run the selection procedure once on all the data and refit the chosen family.

    Returns the model and the inner-CV scores of every family on the full data.
    """
    config = config or NestedCVConfig()
    X = np.asarray(X, dtype=np.float64)
    y_idx = encode_labels(y)
    _check_training_data(X, y_idx, config.inner_folds)
    fitted: dict[str, tuple[Any, dict[str, Any]]] = {}
    scores: dict[str, dict[str, float]] = {}
    for name in config.candidates:
        estimator, inner, params = _search(
            CANDIDATES[name], X, y_idx, config.inner_folds, config.seed
        )
        fitted[name] = (estimator, params)
        scores[name] = inner
    pick = select_candidate(scores)
    estimator, params = fitted[pick]
    guard = NoveltyGuard(FEATURES).fit(X)
    return SpineModel(family=pick, params=params, estimator=estimator, guard=guard), scores
