"""One assessment -> the three parts of decision support (pure composition of the rules)."""

from __future__ import annotations

import math
from functools import cache

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict import artefacts as art
from spinewise.predict.assessment import (
    AssessmentFindings,
    PatientContext,
    decide,
    manipulation_cautions,
    resolve_odi,
    resolve_startback,
)
from spinewise.predict.treatment_response import TreatmentResponseModel

# Olivia (demo): 6 weeks of pain, 4 of the 5 Flynn findings present.
FOUR_OF_FIVE = AssessmentFindings(
    odi_pct=32.0,
    nprs=5,
    startback_total=5,
    startback_psychosocial=2,
    symptom_duration_days=42.0,  # not < 16 days: the one finding absent
    symptoms_distal_to_knee=False,
    fabq_work=12,
    fabq_pa=13,
    hip_internal_rotation_left_deg=38.0,
    hip_internal_rotation_right_deg=36.0,
    lumbar_hypomobility=True,
)
ADULT = PatientContext(age_years=42)


@cache
def synthetic_model() -> TreatmentResponseModel:
    model, _, _ = art.load_artefact(art.PACKAGED_RESPONSE)
    return model  # type: ignore[no-any-return]


# --- questionnaire scores -------------------------------------------------------------------


def test_the_odi_is_scored_from_its_ten_answers() -> None:
    # Fairbank & Pynsent 2000: sum / (5 x sections answered) x 100.
    assert resolve_odi(None, [2] * 10) == pytest.approx(20 / 50 * 100)
    assert resolve_odi(None, [5] * 9 + [None]) == pytest.approx(45 / 45 * 100)


def test_the_odi_score_passes_through_and_both_forms_at_once_are_refused() -> None:
    assert resolve_odi(36.0, None) == 36.0
    assert resolve_odi(None, None) is None
    with pytest.raises(InvalidInput, match="not both"):
        resolve_odi(36.0, [2] * 10)


def test_startback_answers_are_scored_by_the_outcomes_instrument() -> None:
    # Items 1, 2, 5, 6 agree and item 9 "very much" (3 -> 1 point): total 5; items 5-9 give
    # psychosocial 3 -> medium (total >= 4, psychosocial <= 3; Hill et al. 2008).
    scored = resolve_startback(None, None, [1, 1, 0, 0, 1, 1, 0, 0, 3])
    assert scored is not None
    assert (scored.total, scored.psychosocial, scored.risk, scored.from_answers) == (
        5,
        3,
        "medium",
        True,
    )


@pytest.mark.parametrize(
    ("total", "psychosocial", "risk"),
    [(3, 3, "low"), (4, 3, "medium"), (4, 4, "high"), (9, 5, "high")],
)
def test_startback_scores_map_to_the_published_groups_at_each_boundary(
    total: int, psychosocial: int, risk: str
) -> None:
    scored = resolve_startback(total, psychosocial, None)
    assert scored is not None and scored.risk == risk


def test_startback_needs_both_scores_and_consistent_ones() -> None:
    assert resolve_startback(None, None, None) is None
    with pytest.raises(InvalidInput, match="startback_psychosocial"):
        resolve_startback(5, None, None)
    with pytest.raises(InvalidInput, match="psychosocial"):
        resolve_startback(2, 3, None)  # psychosocial items are part of the total
    with pytest.raises(InvalidInput, match="not both"):
        resolve_startback(5, 2, [0] * 9)


# --- the three parts ------------------------------------------------------------------------


def test_a_full_assessment_gives_pathway_rule_and_model_answers() -> None:
    result = decide(FOUR_OF_FIVE, ADULT, synthetic_model())

    care = result.stratified_care
    assert care.status == "ok" and care.startback is not None
    assert care.startback.risk == "medium"
    assert care.pathway is not None and care.pathway.pathway == "physiotherapy"
    assert care.template is not None and care.template["id"] == "startback_medium"
    assert "STarT Back" in care.template["name"]

    rule = result.manipulation_rule.result
    assert (rule.status, rule.positive_count, rule.unknown_count) == ("positive", 4, 0)
    assert rule.likelihood is not None
    assert rule.likelihood["positive_likelihood_ratio"] == 24.38  # Flynn 2002
    assert result.manipulation_rule.cautions == ()

    response = result.treatment_response
    assert response.status == "ok" and response.prediction is not None
    assert response.prediction.synthetic is True
    assert len(response.prediction.options) == 4
    assert response.sources["posture_flexed_fraction"] == "no posture monitoring"


def test_each_option_is_explained_exactly_by_its_contributions() -> None:
    # For a linear model: baseline log-odds + sum of contributions = logit(probability).
    response = decide(FOUR_OF_FIVE, ADULT, synthetic_model()).treatment_response
    assert response.prediction is not None
    for option in response.prediction.options:
        logit = math.log(option.probability / (1 - option.probability))
        total = option.baseline_log_odds + sum(c["log_odds"] for c in option.contributions)
        assert total == pytest.approx(logit, abs=1e-9)
        low, high = option.interval95
        assert 0 < low <= high < 1


def test_without_startback_there_is_no_pathway_and_the_model_says_what_it_needs() -> None:
    findings = AssessmentFindings(odi_pct=30.0, nprs=4, symptom_duration_days=20.0)
    result = decide(findings, PatientContext(age_years=None), synthetic_model())
    assert result.stratified_care.status == "not_assessed"
    assert result.treatment_response.status == "incomplete"
    assert result.treatment_response.missing == (
        "STarT Back risk group",
        "age (date of birth in the profile)",
    )


def test_an_unassessed_rule_is_indeterminate_not_negative() -> None:
    rule = decide(AssessmentFindings(nprs=3), ADULT, synthetic_model()).manipulation_rule.result
    assert (rule.status, rule.unknown_count) == ("indeterminate", 5)


def test_values_the_model_does_not_accept_are_explained() -> None:
    findings = AssessmentFindings(
        odi_pct=30.0, nprs=4, startback_total=2, startback_psychosocial=1, symptom_duration_days=0
    )
    response = decide(findings, ADULT, synthetic_model()).treatment_response
    assert response.status == "not_applicable"
    assert "symptom_duration_weeks" in response.reasons[0]


def test_a_patient_outside_the_training_data_is_refused_with_reasons() -> None:
    # The synthetic cohort's ages are clipped to 18-85; the guard allows 10 % of that range
    # beyond it (85 + 6.7 = 91.7), so 100 years is outside.
    response = decide(FOUR_OF_FIVE, PatientContext(age_years=100), synthetic_model())
    treatment = response.treatment_response
    assert treatment.status == "refused"
    assert treatment.prediction is not None and treatment.prediction.options == ()
    assert any("age_years" in reason for reason in treatment.reasons)


def test_without_a_model_the_rules_still_answer() -> None:
    result = decide(FOUR_OF_FIVE, ADULT, None, model_unavailable="artefact missing")
    assert result.treatment_response.status == "unavailable"
    assert result.treatment_response.reasons == ("artefact missing",)
    assert result.manipulation_rule.result.status == "positive"


def test_posture_from_a_simulated_sensor_is_labelled_as_such() -> None:
    context = PatientContext(
        age_years=42, posture_flexed_fraction=0.2, posture_worn_h=14, posture_simulated=True
    )
    response = decide(FOUR_OF_FIVE, context, synthetic_model()).treatment_response
    assert response.sources["posture_flexed_fraction"] == (
        "posture monitoring, 14 h worn (SIMULATED demo sensor)"
    )


def test_history_flags_add_a_caution_to_the_manipulation_rule() -> None:
    assert manipulation_cautions(()) == ()
    (caution,) = manipulation_cautions(("osteoporosis", "spinal_surgery"))
    assert "osteoporosis, previous spinal surgery" in caution
    assert "contraindications" in caution
    assert manipulation_cautions(("not_a_flag",)) == ()


def test_an_empty_assessment_is_recognised() -> None:
    assert AssessmentFindings().is_empty()
    assert not AssessmentFindings(lumbar_hypomobility=False).is_empty()
