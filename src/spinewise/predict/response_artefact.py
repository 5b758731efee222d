"""Train the treatment-response model from outcome records and package it as an artefact.

Cross-validated evaluation first (the whole pipeline refit per fold), then the final fit on
all records with bootstrap refits for the intervals. A model trained on any synthetic record
is labelled synthetic in its metrics, its card and every prediction it makes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinewise.predict.artefacts import (
    SCHEMA_VERSION,
    content_version,
    dump_model,
    json_bytes,
    library_versions,
    sha256_hex,
)
from spinewise.predict.model_card import response_card
from spinewise.predict.outcome_records import SYNTHETIC_LABEL, OutcomeRecord
from spinewise.predict.synthetic_cohort import generator_card
from spinewise.predict.treatment_response import (
    OUTCOME,
    TreatmentResponseConfig,
    TreatmentResponseModel,
    evaluate,
)

MODEL_NAME = "treatment-response"
CODE_VERSION = "1"


def train_response_artefact(
    records: Sequence[OutcomeRecord],
    *,
    data_name: str,
    data_sha256: str,
    config: TreatmentResponseConfig | None = None,
    folds: int = 5,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Evaluate, fit and package; returns (files, metrics)."""
    config = config or TreatmentResponseConfig()
    records = list(records)
    versions = library_versions()
    version = content_version(
        "response",
        {"data": data_sha256, "config": config.to_dict(), "code": CODE_VERSION, **versions},
    )
    # The full fit first: its data guards give the clearest refusal on all records.
    model = TreatmentResponseModel(config).fit(records)
    evaluation = evaluate(records, config, folds=folds)
    model.version = version
    blob = dump_model(model)
    synthetic = model.synthetic_
    metrics: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "model": MODEL_NAME,
        "version": version,
        "outcome": OUTCOME,
        "synthetic": synthetic,
        "data_label": SYNTHETIC_LABEL if synthetic else "platform outcome records",
        "created_with": versions,
        "data": {
            "file": data_name,
            "sha256": data_sha256,
            "n_records": model.n_records_,
            "treatment_counts": model.treatment_counts_,
            "response_rate": model.response_rate_,
            "all_records_synthetic": model.all_synthetic_,
            **({"generator": generator_card()} if synthetic else {}),
        },
        "config": {**config.to_dict(), "folds": folds},
        "design": {
            "features": list(model.design_.features),
            "treatments_offered": list(model.design_.treatments),
            "reference_treatment": model.design_.treatments[0],
            "effect_modifiers": list(model.design_.modifiers),
            "columns": list(model.design_.columns),
            "n_parameters": len(model.design_.columns) + 1,
            "bootstrap_refits": int(model.boot_.shape[0]),
            "notes": list(model.notes_),
        },
        "evaluation": evaluation,
        "novelty_guard": {
            "k": model.guard_.k,
            "quantile": model.guard_.quantile,
            "threshold": model.guard_.threshold_,
        },
        "model_sha256": sha256_hex(blob),
    }
    card = response_card(metrics)
    files = {
        "model.joblib": blob,
        "metrics.json": json_bytes(metrics),
        "model_card.json": json_bytes(card.to_dict()),
        "model_card.md": card.to_markdown().encode(),
    }
    return files, metrics
