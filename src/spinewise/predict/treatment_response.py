"""Treatment-response model: P(ODI down >= 30 % at 12 weeks | baseline features, treatment).

A penalised logistic regression (L2, standardised design) with treatment main effects and
treatment x effect-modifier interactions (STarT Back risk, log symptom duration, adherence when
recorded), learnt from outcome records (``outcome_records``). Chosen over flexible learners
because a platform's early data are small and because every prediction must be explained:
for a linear model the contribution of each feature to the log-odds is exact.

For each treatment option a prediction gives

- the probability of response and a 95 % **bootstrap** interval (the model refit on
  ``n_bootstrap`` resamples of the records; Efron & Tibshirani 1993) - the uncertainty of the
  model, not of the patient's outcome;
- per-feature **contributions** to the log-odds relative to an average training patient
  (``baseline_log_odds`` + sum of contributions = log-odds of the prediction);
- a **refusal** when the patient is outside the training distribution (``novelty``).

Guards: training refuses fewer than ``min_records`` records, drops treatments with fewer than
``min_per_treatment`` records (they are not offered), and refuses when the events per model
parameter fall below ``min_events_per_parameter`` (Peduzzi P, Concato J, Kemper E, et al. A
simulation study of the number of events per variable in logistic regression analysis.
J Clin Epidemiol 1996;49(12):1373-1379; see also Riley RD et al. BMJ 2020;368:m441 for
sample-size criteria beyond this minimum).

Caution: from observational platform records the per-treatment probabilities are associations
(who did well after what), confounded by why each treatment was chosen; only randomised
assignment (as in the synthetic cohort) makes the difference between options causal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from spinewise.core.errors import SpinewiseError
from spinewise.predict.metrics import bootstrap_interval
from spinewise.predict.novelty import NoveltyGuard
from spinewise.predict.outcome_records import (
    OPTIONAL_FEATURES,
    RISK_GROUPS,
    SYNTHETIC_LABEL,
    OutcomeRecord,
    PatientFeatures,
)

FloatArray = npt.NDArray[np.float64]

OUTCOME = "ODI reduced by at least 30 % of baseline at 12 weeks (Ostelo et al. 2008)"
BASE_FEATURES: tuple[str, ...] = (
    "odi_baseline",
    "nprs_baseline",
    "startback_risk",
    "age_years",
    "log_symptom_duration_weeks",
)
EFFECT_MODIFIERS: tuple[str, ...] = (
    "startback_risk",
    "log_symptom_duration_weeks",
    "adherence_fraction",
)
PREFERRED_REFERENCE = "advice_self_management"
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("18-39", 18.0, 40.0),
    ("40-59", 40.0, 60.0),
    ("60+", 60.0, 200.0),
)


class InsufficientData(SpinewiseError):
    """Too few outcome records to train or evaluate a model honestly."""

    status_code = 422
    code = "insufficient_data"


@dataclass(frozen=True)
class TreatmentResponseConfig:
    """Guards and fitting options (defaults suit a few hundred to a few thousand records)."""

    min_records: int = 200
    min_per_treatment: int = 30
    min_events_per_parameter: float = 10.0
    min_optional_coverage: float = 0.5
    C: float = 1.0
    n_bootstrap: int = 200
    seed: int = 0
    ood_quantile: float = 0.995

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _raw_features(patient: PatientFeatures) -> dict[str, float | None]:
    return {
        "odi_baseline": patient.odi_baseline,
        "nprs_baseline": patient.nprs_baseline,
        "startback_risk": float(RISK_GROUPS.index(patient.startback_risk)),
        "age_years": patient.age_years,
        "log_symptom_duration_weeks": math.log(patient.symptom_duration_weeks),
        "fabq_pa": patient.fabq_pa,
        "posture_flexed_fraction": patient.posture_flexed_fraction,
        "adherence_fraction": patient.adherence_fraction,
    }


@dataclass
class _Design:
    """How raw features become the model's standardised design matrix (learnt in ``fit``)."""

    features: tuple[str, ...]  # patient features used (base + covered optional)
    medians: dict[str, float]  # imputation of optional features
    indicators: tuple[str, ...]  # optional features with a missing-value indicator
    treatments: tuple[str, ...]  # offered options; treatments[0] is the reference
    modifiers: tuple[str, ...]
    columns: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # readable feature group of each column
    mean: FloatArray = field(default_factory=lambda: np.zeros(0))
    scale: FloatArray = field(default_factory=lambda: np.ones(0))

    def patient_vector(self, raw: dict[str, float | None]) -> FloatArray:
        """Imputed patient features (no treatment), in ``features`` order."""
        out = []
        for name in self.features:
            value = raw[name]
            out.append(self.medians[name] if value is None else float(value))
        return np.asarray(out, dtype=np.float64)

    def row(self, raw: dict[str, float | None], treatment: str) -> FloatArray:
        """Unstandardised design row for one patient under one treatment."""
        values = dict(zip(self.features, self.patient_vector(raw), strict=True))
        row = [values[f] for f in self.features]
        row += [1.0 if raw[name] is None else 0.0 for name in self.indicators]
        for t in self.treatments[1:]:
            on = 1.0 if treatment == t else 0.0
            row.append(on)
            row += [on * values[m] for m in self.modifiers]
        return np.asarray(row, dtype=np.float64)

    def build_columns(self) -> None:
        cols = list(self.features)
        groups = list(self.features)
        cols += [f"{name}_missing" for name in self.indicators]
        groups += list(self.indicators)
        for t in self.treatments[1:]:
            cols.append(f"treatment={t}")
            groups.append("treatment")
            for m in self.modifiers:
                cols.append(f"treatment={t} x {m}")
                groups.append(f"treatment x {m}")
        self.columns = tuple(cols)
        self.groups = tuple(groups)


@dataclass(frozen=True)
class TreatmentOption:
    treatment: str
    probability: float
    interval95: tuple[float, float]
    baseline_log_odds: float
    contributions: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "treatment": self.treatment,
            "probability": self.probability,
            "interval95": list(self.interval95),
            "baseline_log_odds": self.baseline_log_odds,
            "contributions": [dict(c) for c in self.contributions],
        }


@dataclass(frozen=True)
class ResponsePrediction:
    status: str  # "ok" | "refused"
    options: tuple[TreatmentOption, ...]
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    synthetic: bool
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "outcome": OUTCOME,
            "options": [o.to_dict() for o in self.options],
            "refusal_reasons": list(self.reasons),
            "notes": list(self.notes),
            "synthetic": self.synthetic,
            "data_label": SYNTHETIC_LABEL if self.synthetic else "platform outcome records",
            "model_version": self.model_version,
        }


class TreatmentResponseModel:
    """Fit on outcome records; predict every offered treatment for one patient."""

    def __init__(self, config: TreatmentResponseConfig | None = None) -> None:
        self.config = config or TreatmentResponseConfig()
        self.version = "unversioned"

    # --- training ---------------------------------------------------------------------------

    def fit(self, records: Sequence[OutcomeRecord]) -> TreatmentResponseModel:
        cfg = self.config
        records = list(records)
        self.notes_: list[str] = []
        if len(records) < cfg.min_records:
            raise InsufficientData(
                f"{len(records)} outcome records; at least {cfg.min_records} are needed to "
                "train the treatment-response model"
            )
        counts: dict[str, int] = {}
        for r in records:
            counts[r.treatment] = counts.get(r.treatment, 0) + 1
        offered = sorted(t for t, c in counts.items() if c >= cfg.min_per_treatment)
        for t, c in sorted(counts.items()):
            if c < cfg.min_per_treatment:
                self.notes_.append(
                    f"treatment {t!r} not offered: {c} records < {cfg.min_per_treatment}"
                )
        if not offered:
            raise InsufficientData(
                f"no treatment has {cfg.min_per_treatment} or more records ({counts})"
            )
        if PREFERRED_REFERENCE in offered:
            offered.remove(PREFERRED_REFERENCE)
            offered.insert(0, PREFERRED_REFERENCE)
        records = [r for r in records if r.treatment in offered]
        raws = [_raw_features(r.patient) for r in records]

        coverage = {
            name: sum(raw[name] is not None for raw in raws) / len(raws)
            for name in OPTIONAL_FEATURES
        }
        used_optional = tuple(
            n for n in OPTIONAL_FEATURES if coverage[n] >= cfg.min_optional_coverage
        )
        for name in OPTIONAL_FEATURES:
            if name not in used_optional:
                self.notes_.append(
                    f"{name} not used: recorded for {coverage[name]:.0%} of records "
                    f"(< {cfg.min_optional_coverage:.0%})"
                )
        medians = {
            name: float(np.median([raw[name] for raw in raws if raw[name] is not None]))
            for name in used_optional
        }
        design = _Design(
            features=(*BASE_FEATURES, *used_optional),
            medians=medians,
            indicators=tuple(n for n in used_optional if coverage[n] < 1.0),
            treatments=tuple(offered),
            modifiers=tuple(
                m for m in EFFECT_MODIFIERS if m in BASE_FEATURES or m in used_optional
            ),
        )
        design.build_columns()
        X = np.vstack([design.row(raw, r.treatment) for raw, r in zip(raws, records, strict=True)])
        y = np.asarray([r.responder for r in records], dtype=np.int64)
        minority = int(min(y.sum(), len(y) - y.sum()))
        n_params = X.shape[1] + 1
        if minority < cfg.min_events_per_parameter * n_params:
            raise InsufficientData(
                f"{minority} records in the smaller outcome class for {n_params} model "
                f"parameters; at least {cfg.min_events_per_parameter:g} per parameter "
                "(Peduzzi 1996) are needed"
            )
        design.mean = X.mean(axis=0)
        sd = X.std(axis=0)
        design.scale = np.where(sd > 0, sd, 1.0)
        Z = (X - design.mean) / design.scale

        self.design_ = design
        self.intercept_, self.coef_ = self._fit_lr(Z, y)
        rng = np.random.default_rng(cfg.seed)
        boot = []
        for _ in range(cfg.n_bootstrap):
            idx = rng.integers(0, len(y), len(y))
            if y[idx].min() == y[idx].max():
                continue  # a resample with one class cannot be fitted
            b0, b = self._fit_lr(Z[idx], y[idx])
            boot.append(np.concatenate([[b0], b]))
        self.boot_ = np.asarray(boot, dtype=np.float64).reshape(-1, Z.shape[1] + 1)
        patient_matrix = np.vstack([design.patient_vector(raw) for raw in raws])
        self.guard_ = NoveltyGuard(design.features, quantile=cfg.ood_quantile).fit(patient_matrix)
        self.synthetic_ = any(r.synthetic for r in records)
        self.all_synthetic_ = all(r.synthetic for r in records)
        self.n_records_ = len(records)
        self.treatment_counts_ = {t: counts[t] for t in offered}
        self.response_rate_ = float(y.mean())
        return self

    def _fit_lr(self, Z: FloatArray, y: npt.NDArray[np.int64]) -> tuple[float, FloatArray]:
        with threadpool_limits(limits=1):
            lr = LogisticRegression(C=self.config.C, max_iter=2000).fit(Z, y)
        return float(lr.intercept_[0]), np.asarray(lr.coef_[0], dtype=np.float64)

    # --- prediction -------------------------------------------------------------------------

    def predict_proba_matrix(self, X: FloatArray) -> FloatArray:
        """P(response) for unstandardised design rows (used by the evaluation)."""
        Z = (X - self.design_.mean) / self.design_.scale
        return np.asarray(1.0 / (1.0 + np.exp(-(self.intercept_ + Z @ self.coef_))))

    def predict(self, patient: PatientFeatures) -> ResponsePrediction:
        """Per-treatment probability, interval and explanation, or a refusal."""
        design = self.design_
        raw = _raw_features(patient)
        notes = list(self.notes_)
        for name in OPTIONAL_FEATURES:
            if name in design.features and raw[name] is None:
                notes.append(f"{name} not given: imputed with the training median")
            elif name not in design.features and raw[name] is not None:
                notes.append(f"{name} given but not used by this model")
        reasons = self.guard_.check(design.patient_vector(raw)[None, :])[0]
        if reasons:
            return ResponsePrediction(
                "refused", (), tuple(reasons), tuple(notes), self.synthetic_, self.version
            )
        options = []
        for t in design.treatments:
            x = design.row(raw, t)
            z = (x - design.mean) / design.scale
            terms = self.coef_ * z
            logit = self.intercept_ + float(terms.sum())
            boot_logits = self.boot_[:, 0] + self.boot_[:, 1:] @ z
            low, high = (
                np.quantile(_sigmoid(boot_logits), [0.025, 0.975])
                if len(boot_logits)
                else (math.nan, math.nan)
            )
            options.append(
                TreatmentOption(
                    treatment=t,
                    probability=float(_sigmoid(np.asarray(logit))),
                    interval95=(float(low), float(high)),
                    baseline_log_odds=self.intercept_,
                    contributions=self._contributions(terms, raw, t),
                )
            )
        options.sort(key=lambda o: -o.probability)
        return ResponsePrediction(
            "ok", tuple(options), (), tuple(notes), self.synthetic_, self.version
        )

    def _contributions(
        self, terms: FloatArray, raw: dict[str, float | None], treatment: str
    ) -> tuple[dict[str, Any], ...]:
        # The treatment's main effect and its interactions are one contribution: "what this
        # option adds for this patient"; the parts are kept in "detail".
        grouped: dict[str, float] = {}
        detail: dict[str, float] = {}
        for group, value in zip(self.design_.groups, terms, strict=True):
            key = "treatment" if group.startswith("treatment") else group
            grouped[key] = grouped.get(key, 0.0) + float(value)
            if key == "treatment":
                detail[group] = detail.get(group, 0.0) + float(value)
        shown: list[dict[str, Any]] = []
        for group, value in grouped.items():
            if group == "treatment":
                shown.append(
                    {"feature": group, "value": treatment, "log_odds": value, "detail": detail}
                )
                continue
            described: Any
            if group == "startback_risk":
                described = RISK_GROUPS[int(raw["startback_risk"] or 0)]
            elif group == "log_symptom_duration_weeks":
                described = round(math.exp(float(raw[group] or 0.0)), 2)
                group = "symptom_duration_weeks"
            else:
                described = raw.get(group)
            shown.append({"feature": group, "value": described, "log_odds": value})
        shown.sort(key=lambda c: -abs(c["log_odds"]))
        return tuple(shown)


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


# --- evaluation ---------------------------------------------------------------------------------


def calibration_intercept_slope(y: npt.NDArray[np.int64], p: FloatArray) -> tuple[float, float]:
    """Logistic recalibration y ~ a + b logit(p): ideal a = 0, b = 1 (Cox 1958, Biometrika 45)."""
    logit = np.log(np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, 1))

    def nll(params: FloatArray) -> float:
        eta = params[0] + params[1] * logit
        return float(np.sum(np.logaddexp(0.0, eta) - y * eta))

    fit = minimize(nll, x0=np.array([0.0, 1.0]), method="BFGS")
    return float(fit.x[0]), float(fit.x[1])


def auc(y: npt.NDArray[np.int64], p: FloatArray) -> float:
    """Area under the ROC curve via the Mann-Whitney U statistic (ties count one half)."""
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _brier(y: npt.NDArray[np.int64], p: FloatArray) -> float:
    return float(np.mean((p - y) ** 2))


def _log_loss(y: npt.NDArray[np.int64], p: FloatArray) -> float:
    clipped = np.clip(p, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)))


_BINARY = {"auc": auc, "brier": _brier, "log_loss": _log_loss}


def _binary_metrics(y: npt.NDArray[np.int64], p: FloatArray) -> dict[str, float]:
    out = {name: fn(y, p) for name, fn in _BINARY.items()}
    out.update({"observed_rate": float(y.mean()), "mean_predicted": float(p.mean())})
    return out


def evaluate(
    records: Sequence[OutcomeRecord],
    config: TreatmentResponseConfig | None = None,
    *,
    folds: int = 5,
    n_boot: int = 500,
) -> dict[str, Any]:
    """Stratified k-fold cross-validation of the whole pipeline (design learnt per fold).

    Returns AUC, Brier score, log-loss, calibration intercept/slope with 95 % bootstrap
    intervals over records, and the same by treatment, sex and age band where each subgroup
    has at least 30 records (and both outcomes).
    """
    base = config or TreatmentResponseConfig()
    cfg = TreatmentResponseConfig(**{**base.to_dict(), "n_bootstrap": 0})
    records = list(records)
    y_all = np.asarray([r.responder for r in records], dtype=np.int64)
    oof = np.full(len(records), np.nan)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
    for train, test in splitter.split(np.zeros(len(records)), y_all):
        try:
            model = TreatmentResponseModel(cfg).fit([records[i] for i in train])
        except InsufficientData as exc:
            raise InsufficientData(f"too few records for {folds}-fold evaluation: {exc}") from None
        for i in test:
            r = records[i]
            if r.treatment not in model.design_.treatments:
                continue  # the fold's model does not offer this treatment
            x = model.design_.row(_raw_features(r.patient), r.treatment)
            oof[i] = model.predict_proba_matrix(x[None, :])[0]
    scored = ~np.isnan(oof)
    y, p = y_all[scored], oof[scored]
    n = len(y)

    def summarise(mask: npt.NDArray[np.bool_]) -> dict[str, Any]:
        yy, pp = y[mask], p[mask]
        point: dict[str, Any] = dict(_binary_metrics(yy, pp))
        a, b = calibration_intercept_slope(yy, pp)
        point.update({"calibration_intercept": a, "calibration_slope": b, "n": int(mask.sum())})
        idx_all = np.flatnonzero(mask)
        cis: dict[str, list[float]] = {}
        for key in ("auc", "brier", "log_loss"):

            def stat(idx: npt.NDArray[np.int64], key: str = key) -> float:
                sel = idx_all[idx]
                return _BINARY[key](y[sel], p[sel])

            cis[key] = list(bootstrap_interval(len(idx_all), stat, n_boot=n_boot, seed=cfg.seed))
        point["ci95"] = cis
        return point

    def eligible(mask: npt.NDArray[np.bool_]) -> bool:
        return bool(mask.sum() >= 30 and 0 < y[mask].sum() < mask.sum())

    kept = [r for r, s in zip(records, scored, strict=True) if s]
    treatments = np.asarray([r.treatment for r in kept])
    ages = np.asarray([r.age_years for r in kept])
    sexes = np.asarray([r.sex or "" for r in kept])
    subgroups: list[dict[str, Any]] = []
    for t in sorted(set(treatments)):
        mask = treatments == t
        if eligible(mask):
            subgroups.append({"subgroup": f"treatment={t}", **summarise(mask)})
    for label, low, high in AGE_BANDS:
        mask = (ages >= low) & (ages < high)
        if eligible(mask):
            subgroups.append({"subgroup": f"age {label}", **summarise(mask)})
    sex_recorded = float(np.mean(sexes != ""))
    if sex_recorded >= 0.8:
        for s in sorted(set(sexes) - {""}):
            mask = sexes == s
            if eligible(mask):
                subgroups.append({"subgroup": f"sex={s}", **summarise(mask)})
    return {
        "folds": folds,
        "n_records": len(records),
        "n_scored": n,
        "overall": summarise(np.ones(n, dtype=bool)),
        "subgroups": subgroups,
        "sex_recorded_fraction": sex_recorded,
        "synthetic": any(r.synthetic for r in records),
    }
