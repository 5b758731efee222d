"""Treatment-response model: data guards, explanations, intervals, refusal, evaluation."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from spinewise.predict.outcome_records import SYNTHETIC_LABEL, PatientFeatures
from spinewise.predict.synthetic_cohort import generate_cohort
from spinewise.predict.treatment_response import (
    InsufficientData,
    TreatmentResponseConfig,
    TreatmentResponseModel,
    auc,
    calibration_intercept_slope,
    evaluate,
)

FAST = TreatmentResponseConfig(n_bootstrap=30)
PATIENT = PatientFeatures(
    odi_baseline=40,
    nprs_baseline=6,
    startback_risk="high",
    age_years=50,
    symptom_duration_weeks=8,
    fabq_pa=18,
)


@pytest.fixture(scope="module")
def model() -> TreatmentResponseModel:
    return TreatmentResponseModel(FAST).fit(generate_cohort(1200, seed=0))


# --- guards ---------------------------------------------------------------------------------


def test_training_is_refused_below_the_minimum_number_of_records() -> None:
    with pytest.raises(InsufficientData, match="199 outcome records; at least 200"):
        TreatmentResponseModel(FAST).fit(generate_cohort(199, seed=0))


def test_training_is_refused_when_events_per_parameter_are_too_few() -> None:
    # 300 records, ~40 % non-responders = ~120 events for 22 parameters: < 10 per parameter
    with pytest.raises(InsufficientData, match="per parameter"):
        TreatmentResponseModel(FAST).fit(generate_cohort(300, seed=0))


def test_a_treatment_with_too_few_records_is_not_offered() -> None:
    records = generate_cohort(1200, seed=1)
    rare = [r for r in records if r.treatment == "spinal_manipulation"][:10]
    kept = [r for r in records if r.treatment != "spinal_manipulation"] + rare
    fitted = TreatmentResponseModel(FAST).fit(kept)
    assert "spinal_manipulation" not in fitted.design_.treatments
    assert any("spinal_manipulation" in note and "not offered" in note for note in fitted.notes_)


def test_an_optional_feature_recorded_too_rarely_is_not_used(
    model: TreatmentResponseModel,
) -> None:
    # the generator records posture for 40 % of patients, below the 50 % coverage rule
    assert "posture_flexed_fraction" not in model.design_.features
    assert "fabq_pa" in model.design_.features


# --- predictions ----------------------------------------------------------------------------


def test_every_offered_treatment_gets_a_probability_with_an_interval(
    model: TreatmentResponseModel,
) -> None:
    result = model.predict(PATIENT)
    assert result.status == "ok"
    assert {o.treatment for o in result.options} == set(model.design_.treatments)
    for option in result.options:
        low, high = option.interval95
        assert 0 < low <= high < 1
        assert low - 0.05 <= option.probability <= high + 0.05


def test_contributions_add_up_to_the_predicted_log_odds(model: TreatmentResponseModel) -> None:
    for option in model.predict(PATIENT).options:
        logit = option.baseline_log_odds + sum(c["log_odds"] for c in option.contributions)
        assert 1 / (1 + math.exp(-logit)) == pytest.approx(option.probability, abs=1e-9)
        treatment = [c for c in option.contributions if c["feature"] == "treatment"]
        assert len(treatment) == 1 and treatment[0]["value"] == option.treatment


def test_contributions_are_reported_in_clinical_units(model: TreatmentResponseModel) -> None:
    option = model.predict(PATIENT).options[0]
    values = {c["feature"]: c["value"] for c in option.contributions}
    assert values["startback_risk"] == "high"
    assert values["symptom_duration_weeks"] == pytest.approx(8.0)


def test_the_synthetic_origin_is_on_every_prediction(model: TreatmentResponseModel) -> None:
    data = model.predict(PATIENT).to_dict()
    assert data["synthetic"] is True
    assert data["data_label"] == SYNTHETIC_LABEL


def test_missing_optional_features_are_imputed_and_said_so(model: TreatmentResponseModel) -> None:
    notes = model.predict(replace(PATIENT, fabq_pa=None)).notes
    assert any(n.startswith("fabq_pa not given: imputed") for n in notes)


def test_a_patient_unlike_the_training_records_is_refused(model: TreatmentResponseModel) -> None:
    far = PatientFeatures(
        odi_baseline=98,
        nprs_baseline=0,
        startback_risk="low",
        age_years=105,
        symptom_duration_weeks=4000,
    )
    result = model.predict(far)
    assert result.status == "refused"
    assert result.options == ()
    assert any("age_years = 105" in r for r in result.reasons)


def test_the_high_risk_benefit_of_psychologically_informed_physio_is_learnt() -> None:
    # In the generator, PIPT adds 4.8 ODI points for high-risk patients only (Hill 2011 ES 0.32).
    fitted = TreatmentResponseModel(FAST).fit(generate_cohort(4000, seed=5))

    def gap(risk: str) -> float:
        probs = {
            o.treatment: o.probability
            for o in fitted.predict(replace(PATIENT, startback_risk=risk)).options
        }
        return probs["psychologically_informed_physio"] - probs["spinal_manipulation"]

    assert gap("high") > gap("low")


# --- evaluation -----------------------------------------------------------------------------


def test_auc_by_hand() -> None:
    # pairs (pos, neg): (0.8, 0.3) win, (0.8, 0.6) win, (0.4, 0.3) win, (0.4, 0.6) loss -> 3/4
    assert auc(np.array([1, 1, 0, 0]), np.array([0.8, 0.4, 0.3, 0.6])) == pytest.approx(0.75)
    assert auc(np.array([1, 0]), np.array([0.5, 0.5])) == pytest.approx(0.5)


def test_calibration_slope_is_one_for_probabilities_that_generate_the_outcomes() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0.05, 0.95, 20_000)
    y = (rng.random(20_000) < p).astype(np.int64)
    intercept, slope = calibration_intercept_slope(y, p)
    assert slope == pytest.approx(1.0, abs=0.06)
    assert intercept == pytest.approx(0.0, abs=0.05)


def test_cross_validation_reports_intervals_and_subgroups() -> None:
    report = evaluate(generate_cohort(1200, seed=6), FAST, folds=3, n_boot=100)
    overall = report["overall"]
    assert overall["n"] == 1200
    assert overall["ci95"]["auc"][0] <= overall["auc"] <= overall["ci95"]["auc"][1]
    assert 0.5 < overall["auc"] < 0.9  # noise SD 12 ODI points keeps this modest
    names = {s["subgroup"] for s in report["subgroups"]}
    assert {"age 18-39", "age 40-59", "sex=female", "sex=male"} <= names
    assert any(name.startswith("treatment=") for name in names)
    assert report["synthetic"] is True


def test_evaluation_refuses_folds_too_small_for_the_guard() -> None:
    with pytest.raises(InsufficientData, match="fold"):
        evaluate(generate_cohort(1200, seed=6), TreatmentResponseConfig(min_records=1000), folds=3)
