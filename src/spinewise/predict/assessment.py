"""From one clinical assessment to the three decision-support outputs (pure).

An assessment records what a clinician found (questionnaire scores, history, examination);
:func:`decide` runs the three parts of decision support on it, each with the functions of
this package, never a copy of their logic:

- **stratified care**: STarT Back risk group (scored with ``spinewise.outcomes``) -> matched
  pathway (:func:`stratified_care.pathway_for_risk`) and its programme template, looked up in
  the rehab programme library;
- **manipulation rule**: the five Flynn/Childs findings -> :func:`evaluate_manipulation_rule`,
  with cautions from the patient's recorded history;
- **treatment response**: baseline features -> a fitted :class:`TreatmentResponseModel`
  (probability per treatment, interval, contributions, or a refusal).

The service layer reads the stored assessment, the profile (age, history) and the posture
aggregates, builds :class:`AssessmentFindings` and :class:`PatientContext`, and calls
:func:`decide`. Nothing here touches a database or a web framework.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from spinewise.core.errors import InvalidInput
from spinewise.outcomes import score_odi, score_startback, startback_risk
from spinewise.predict.manipulation_cpr import (
    ManipulationRuleInput,
    ManipulationRuleResult,
    evaluate_manipulation_rule,
)
from spinewise.predict.outcome_records import PatientFeatures
from spinewise.predict.stratified_care import Pathway, pathway_for_risk
from spinewise.predict.treatment_response import ResponsePrediction, TreatmentResponseModel

DAYS_PER_WEEK = 7.0

# Profile history flags that call for screening before a thrust manipulation. The rule itself
# says nothing about them: it never replaces red-flag and contraindication screening
# (manipulation_cpr.LIMITS).
MANIPULATION_CAUTION_FLAGS: dict[str, str] = {
    "osteoporosis": "osteoporosis",
    "cancer_history": "a history of cancer",
    "long_term_steroids": "long-term steroid use",
    "spinal_surgery": "previous spinal surgery",
    "immunosuppressed": "immunosuppression",
}


# --- questionnaire scores ---------------------------------------------------------------------


def resolve_odi(score_pct: float | None, answers: Sequence[int | None] | None) -> float | None:
    """The ODI in percent from either the score or the ten section answers (not both).

    Answers are scored with ``spinewise.outcomes.score_odi`` (Fairbank & Pynsent 2000).
    """
    if answers is not None and score_pct is not None:
        raise InvalidInput("odi_answers", "give the ODI score or the ten answers, not both")
    if answers is not None:
        return score_odi(list(answers)).score
    if score_pct is not None and not (0.0 <= score_pct <= 100.0 and math.isfinite(score_pct)):
        raise InvalidInput("odi_pct", "must be between 0 and 100 %")
    return score_pct


@dataclass(frozen=True)
class StartBack:
    total: int
    psychosocial: int
    risk: str
    from_answers: bool


def resolve_startback(
    total: int | None, psychosocial: int | None, answers: Sequence[int] | None
) -> StartBack | None:
    """The STarT Back scores and risk group (Hill et al. 2008) from the nine answers, or from
    the total and psychosocial scores together; ``None`` when neither was recorded."""
    if answers is not None:
        if total is not None or psychosocial is not None:
            raise InvalidInput(
                "startback_answers", "give the nine answers or the two scores, not both"
            )
        scored = score_startback(list(answers))
        return StartBack(scored.total, scored.psychosocial, scored.risk, True)
    if total is None and psychosocial is None:
        return None
    if total is None or psychosocial is None:
        missing = "startback_total" if total is None else "startback_psychosocial"
        raise InvalidInput(missing, "give both the total and the psychosocial score")
    return StartBack(total, psychosocial, startback_risk(total, psychosocial), False)


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentFindings:
    """What one assessment recorded, as scores; ``None`` means not assessed.

    Units: ODI in percent (0-100), NPRS 0-10, STarT Back total 0-9 and psychosocial 0-5,
    episode duration in days, FABQ work 0-42 and physical activity 0-24, hip internal rotation
    in degrees (prone, goniometer).
    """

    odi_pct: float | None = None
    nprs: int | None = None
    startback_total: int | None = None
    startback_psychosocial: int | None = None
    symptom_duration_days: float | None = None
    symptoms_distal_to_knee: bool | None = None
    fabq_work: float | None = None
    fabq_pa: float | None = None
    hip_internal_rotation_left_deg: float | None = None
    hip_internal_rotation_right_deg: float | None = None
    lumbar_hypomobility: bool | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def rule_input(self) -> ManipulationRuleInput:
        """The five findings of the manipulation rule (validated by the rule's own input)."""
        return ManipulationRuleInput(
            symptom_duration_days=self.symptom_duration_days,
            symptoms_distal_to_knee=self.symptoms_distal_to_knee,
            fabq_work=self.fabq_work,
            hip_internal_rotation_left_deg=self.hip_internal_rotation_left_deg,
            hip_internal_rotation_right_deg=self.hip_internal_rotation_right_deg,
            lumbar_hypomobility=self.lumbar_hypomobility,
        )


@dataclass(frozen=True)
class PatientContext:
    """What the platform knows besides the assessment.

    ``age_years`` comes from the profile's date of birth on the assessment date (or from the
    assessment when the profile has none); ``history`` holds the profile's history flags that
    are set; posture is the fraction of monitored time flexed or severely flexed over
    ``posture_worn_h`` hours of wear; adherence comes from the rehab programme when recorded.
    """

    age_years: float | None = None
    history: tuple[str, ...] = ()
    posture_flexed_fraction: float | None = None
    posture_worn_h: float = 0.0
    posture_simulated: bool = False  # some of the wear came from a simulated (demo) sensor
    adherence_fraction: float | None = None


# --- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StratifiedCare:
    status: Literal["ok", "not_assessed"]
    startback: StartBack | None = None
    pathway: Pathway | None = None
    template: dict[str, Any] | None = None  # id, name, indication from the programme library


@dataclass(frozen=True)
class ManipulationRule:
    result: ManipulationRuleResult
    cautions: tuple[str, ...] = ()


ResponseStatus = Literal["ok", "refused", "incomplete", "not_applicable", "unavailable"]

# Readable names of the model's inputs, for "what is missing" messages.
RESPONSE_INPUTS: dict[str, str] = {
    "odi_baseline": "ODI",
    "nprs_baseline": "pain (NPRS)",
    "startback_risk": "STarT Back risk group",
    "age_years": "age (date of birth in the profile)",
    "symptom_duration_weeks": "duration of the current episode",
}


@dataclass(frozen=True)
class TreatmentResponse:
    status: ResponseStatus
    features: PatientFeatures | None = None
    prediction: ResponsePrediction | None = None
    missing: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # why the model refused or does not apply
    sources: dict[str, str] = field(default_factory=dict)  # where optional features came from


@dataclass(frozen=True)
class DecisionSupport:
    stratified_care: StratifiedCare
    manipulation_rule: ManipulationRule
    treatment_response: TreatmentResponse


# --- the three parts ----------------------------------------------------------------------------


def programme_template(template_id: str) -> dict[str, Any] | None:
    """Name and indication of a template of the rehab programme library, if it exists."""
    from spinewise.rehab.programmes import default_templates

    template = default_templates().get(template_id)
    if template is None:
        return None
    return {"id": template.id, "name": template.name, "indication": template.indication}


def stratify(findings: AssessmentFindings) -> StratifiedCare:
    if findings.startback_total is None or findings.startback_psychosocial is None:
        return StratifiedCare("not_assessed")
    scores = resolve_startback(findings.startback_total, findings.startback_psychosocial, None)
    assert scores is not None
    pathway = pathway_for_risk(scores.risk)
    return StratifiedCare("ok", scores, pathway, programme_template(pathway.template_id))


def manipulation_cautions(history: Sequence[str]) -> tuple[str, ...]:
    found = [MANIPULATION_CAUTION_FLAGS[h] for h in history if h in MANIPULATION_CAUTION_FLAGS]
    if not found:
        return ()
    return (
        f"The profile records {', '.join(found)}: screen for contraindications to thrust "
        "manipulation before using this rule; the rule never replaces that screening.",
    )


def response_features(
    findings: AssessmentFindings, context: PatientContext
) -> tuple[PatientFeatures | None, tuple[str, ...], tuple[str, ...]]:
    """(features, missing inputs, reasons they cannot be used) for the response model."""
    risk = None
    if findings.startback_total is not None and findings.startback_psychosocial is not None:
        scores = resolve_startback(findings.startback_total, findings.startback_psychosocial, None)
        risk = scores.risk if scores else None
    weeks = (
        None
        if findings.symptom_duration_days is None
        else findings.symptom_duration_days / DAYS_PER_WEEK
    )
    values: dict[str, Any] = {
        "odi_baseline": findings.odi_pct,
        "nprs_baseline": findings.nprs,
        "startback_risk": risk,
        "age_years": context.age_years,
        "symptom_duration_weeks": weeks,
    }
    missing = tuple(RESPONSE_INPUTS[k] for k, v in values.items() if v is None)
    if missing:
        return None, missing, ()
    try:
        features = PatientFeatures(
            **values,
            fabq_pa=findings.fabq_pa,
            posture_flexed_fraction=context.posture_flexed_fraction,
            adherence_fraction=context.adherence_fraction,
        )
    except InvalidInput as exc:
        return None, (), (f"outside what the model accepts: {exc.message}",)
    return features, (), ()


def predict_response(
    findings: AssessmentFindings,
    context: PatientContext,
    model: TreatmentResponseModel | None,
    unavailable: str = "no treatment-response model is installed",
) -> TreatmentResponse:
    """The model's answer for this patient, or why there is none (``status``)."""
    sources = {
        "fabq_pa": "assessment" if findings.fabq_pa is not None else "not recorded",
        "posture_flexed_fraction": (
            f"posture monitoring, {context.posture_worn_h:.0f} h worn"
            + (" (SIMULATED demo sensor)" if context.posture_simulated else "")
            if context.posture_flexed_fraction is not None
            else "no posture monitoring"
        ),
        "adherence_fraction": (
            "rehab programme" if context.adherence_fraction is not None else "not recorded"
        ),
    }
    if model is None:
        return TreatmentResponse("unavailable", reasons=(unavailable,), sources=sources)
    features, missing, reasons = response_features(findings, context)
    if features is None:
        status: ResponseStatus = "incomplete" if missing else "not_applicable"
        return TreatmentResponse(status, missing=missing, reasons=reasons, sources=sources)
    prediction = model.predict(features)
    if prediction.status == "refused":
        return TreatmentResponse(
            "refused", features, prediction, reasons=prediction.reasons, sources=sources
        )
    return TreatmentResponse("ok", features, prediction, sources=sources)


def decide(
    findings: AssessmentFindings,
    context: PatientContext,
    response_model: TreatmentResponseModel | None,
    *,
    model_unavailable: str = "no treatment-response model is installed",
) -> DecisionSupport:
    """Stratified care, the manipulation rule and the treatment-response model for one
    assessment. Supports clinical judgement; it does not diagnose.

    ``response_model`` may be ``None`` (it failed to load): the other two parts still run and
    the treatment-response part says ``model_unavailable``.
    """
    return DecisionSupport(
        stratified_care=stratify(findings),
        manipulation_rule=ManipulationRule(
            evaluate_manipulation_rule(findings.rule_input()),
            manipulation_cautions(context.history),
        ),
        treatment_response=predict_response(findings, context, response_model, model_unavailable),
    )
