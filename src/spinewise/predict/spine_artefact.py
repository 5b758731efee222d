"""Train the spine classifier reproducibly and package it as a versioned artefact.

``train_spine_artefact`` runs the nested-CV comparison, refits the selected procedure on all
rows, and returns the files of the artefact directory (see ``artefacts``). The same data,
configuration, code and library versions give the same version id and the same metrics.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np

from spinewise.predict.artefacts import (
    SCHEMA_VERSION,
    content_version,
    dump_model,
    json_bytes,
    library_versions,
    sha256_hex,
)
from spinewise.predict.metrics import reliability_figure
from spinewise.predict.model_card import spine_card
from spinewise.predict.spine_classifier import (
    BASELINE,
    CANDIDATES,
    SELECTED,
    SELECTION_RULE,
    NestedCVConfig,
    fit_selected_model,
    run_nested_cv,
    summarise,
)
from spinewise.predict.spine_data import (
    CLASSES,
    DATA_LICENCE,
    DATA_REFERENCE,
    DATA_SOURCE,
    FEATURES,
    SpineTable,
)

MODEL_NAME = "spine-classifier"
# Bump when the procedure changes (candidates, features, selection rule), so the version id
# of a retrained artefact changes with it.
CODE_VERSION = "1"


def verdict(metrics: dict[str, Any]) -> str:
    """One sentence: does the selected procedure beat the logistic baseline in nested CV?"""
    delta = metrics["nested_cv"]["vs_baseline"][SELECTED]["accuracy"]
    low, high = delta["ci95"]
    diff = delta["difference"]
    shown = f"accuracy difference {diff:+.3f}, 95 % CI {low:+.3f} to {high:+.3f}"
    if low > 0:
        return f"The selected procedure is more accurate than the logistic baseline ({shown})."
    if high < 0:
        return f"The selected procedure is LESS accurate than the logistic baseline ({shown})."
    return (
        "No model family beats the logistic baseline by a margin the data can confirm "
        f"({shown}); the selected procedure is shipped with these honest figures."
    )


def train_spine_artefact(
    table: SpineTable,
    *,
    data_name: str,
    config: NestedCVConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Nested CV, final fit and packaging; returns (files, metrics)."""
    config = config or NestedCVConfig()
    if table.y is None:
        raise ValueError("training needs the class column")
    result = run_nested_cv(table.X, table.y, config, progress)
    summary = summarise(result)
    model, full_scores = fit_selected_model(table.X, table.y, config)
    model_blob = dump_model(model)
    versions = library_versions()
    counts = {c: int(np.sum(table.y == c)) for c in CLASSES}
    metrics: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "model": MODEL_NAME,
        "version": content_version(
            "spine",
            {"data": table.sha256, "config": config.to_dict(), "code": CODE_VERSION, **versions},
        ),
        "task": "three-class classification: " + ", ".join(CLASSES),
        "features": list(FEATURES),
        "created_with": versions,
        "data": {
            "file": data_name,
            "sha256": table.sha256,
            "n_rows": table.n_rows,
            "class_counts": counts,
            "source": DATA_SOURCE,
            "licence": DATA_LICENCE,
            "reference": DATA_REFERENCE,
            "sex_and_age_recorded": False,
        },
        "config": config.to_dict(),
        "selection_rule": SELECTION_RULE,
        "candidates": {name: CANDIDATES[name].description for name in config.candidates},
        "final": {
            "family": model.family,
            "params": model.params,
            "inner_cv_on_all_rows": full_scores,
        },
        "nested_cv": summary,
        "novelty_guard": {
            "k": model.guard.k,
            "quantile": model.guard.quantile,
            "range_margin": model.guard.range_margin,
            "threshold": model.guard.threshold_,
            "pi_identity_tolerance_deg": 1.0,
        },
        "model_sha256": sha256_hex(model_blob),
    }
    metrics["verdict"] = verdict(metrics)
    card = spine_card(metrics)
    y = result.y
    curves = {
        "selected procedure (out-of-fold)": (
            np.tile(y, config.outer_repeats),
            result.oof[SELECTED].reshape(-1, len(CLASSES)),
        ),
        "baseline logistic regression": (
            np.tile(y, config.outer_repeats),
            result.oof[BASELINE].reshape(-1, len(CLASSES)),
        ),
    }
    figure = reliability_figure(
        curves, CLASSES, "Spine classifier: out-of-fold reliability (nested CV)"
    )
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    files = {
        "model.joblib": model_blob,
        "metrics.json": json_bytes(metrics),
        "model_card.json": json_bytes(card.to_dict()),
        "model_card.md": card.to_markdown().encode(),
        "reliability.png": png.getvalue(),
    }
    return files, metrics
