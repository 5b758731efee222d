"""Decision-support use cases: record assessments, show decision support, classify spines.

Services take the session first and everything else keyword-only; they flush, never commit.
Access to the patient is decided before these run (``CurrentPatient`` and the clinician
check in ``predict.deps``); every read of a prediction is written to the audit log here, with
the model versions used, and every write of an assessment too.

The science lives in the pure modules of this package (``assessment.decide`` and what it
calls); this module only gathers the inputs from the database and shapes the outputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import InvalidInput, NotFound
from spinewise.predict import artefacts as art
from spinewise.predict.assessment import (
    MANIPULATION_CAUTION_FLAGS,
    AssessmentFindings,
    DecisionSupport,
    PatientContext,
    decide,
    resolve_odi,
    resolve_startback,
)
from spinewise.predict.model_card import CARD_NAMES, ModelCard, card_by_name
from spinewise.predict.models import Assessment
from spinewise.predict.outcome_records import SYNTHETIC_LABEL
from spinewise.predict.schemas import (
    AssessmentCreate,
    AssessmentRead,
    ContributionRead,
    CriterionRead,
    DecisionSupportRead,
    LikelihoodRead,
    ManipulationRuleRead,
    ModelRef,
    SpineMeasurement,
    SpinePredictionRead,
    StartBackRead,
    StratifiedCareRead,
    TemplateRead,
    TreatmentOptionRead,
    TreatmentResponseRead,
    ValidationRead,
)
from spinewise.predict.spine_classifier import SpineModel
from spinewise.predict.spine_data import FEATURES
from spinewise.predict.treatment_response import OUTCOME, TreatmentResponseModel

NOTICE = (
    "Decision support for clinicians: it supports clinical judgement and does not diagnose. "
    "Check the limits on each model card before acting on a result."
)
# Posture is used as a baseline feature over the four weeks up to the assessment, and only
# when the sensor was worn long enough to say something (a working day).
POSTURE_WINDOW_DAYS = 28
POSTURE_MIN_WORN_H = 8.0

TREATMENT_LABELS = {
    "advice_self_management": "Advice and self-management",
    "exercise_therapy": "Exercise therapy",
    "psychologically_informed_physio": "Psychologically informed physiotherapy",
    "spinal_manipulation": "Spinal manipulation",
}
FEATURE_LABELS = {
    "odi_baseline": "ODI at baseline",
    "nprs_baseline": "Pain (NPRS)",
    "startback_risk": "STarT Back risk",
    "age_years": "Age",
    "symptom_duration_weeks": "Duration (weeks)",
    "fabq_pa": "FABQ physical activity",
    "posture_flexed_fraction": "Time flexed",
    "adherence_fraction": "Programme adherence",
    "treatment": "This treatment",
}


def card_url(name: str) -> str:
    return f"/predict/cards/{name}"


def treatment_label(name: str) -> str:
    return TREATMENT_LABELS.get(name, name.replace("_", " ").capitalize())


# --- installed models ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _response_artefact() -> tuple[Any, dict[str, Any], tuple[str, ...]]:
    model, metrics, notes = art.load_artefact(art.PACKAGED_RESPONSE)
    return model, metrics, tuple(notes)


@lru_cache(maxsize=1)
def _spine_artefact() -> tuple[Any, dict[str, Any], tuple[str, ...]]:
    model, metrics, notes = art.load_artefact(art.PACKAGED_SPINE)
    return model, metrics, tuple(notes)


def response_model() -> tuple[TreatmentResponseModel | None, dict[str, Any] | None, str]:
    """The installed treatment-response model, its metrics, or why there is none.

    The package ships a model trained on the SYNTHETIC cohort (labelled wherever it appears).
    A model trained on the platform's own outcomes (``spinewise predict train response``)
    replaces it by being installed at ``artefacts.PACKAGED_RESPONSE``.
    """
    try:
        model, metrics, _ = _response_artefact()
    except InvalidInput as exc:
        return None, None, f"the treatment-response model cannot be loaded ({exc.message})"
    return model, metrics, ""


def spine_model() -> tuple[SpineModel, dict[str, Any]]:
    model, metrics, _ = _spine_artefact()
    return model, metrics


def model_card(name: str) -> ModelCard:
    """A model card by name (``CARD_NAMES``); unknown names are not found."""
    if name not in CARD_NAMES:
        raise NotFound(f"no model card called {name!r}")
    return card_by_name(name)


# --- questionnaire and rehab hooks --------------------------------------------------------------


@dataclass(frozen=True)
class StoredScores:
    """The newest stored questionnaire scores of a patient (``None`` = none stored)."""

    odi_pct: float | None = None
    nprs: int | None = None
    startback_total: int | None = None
    startback_psychosocial: int | None = None
    fabq_work: int | None = None
    fabq_pa: int | None = None
    scored_on: date | None = None


def stored_questionnaire_scores(session: Session, *, patient_id: int) -> StoredScores:
    """HOOK for the questionnaire storage of the outcomes domain (built on another branch).

    Until that storage exists this returns no scores and the assessment form captures every
    input itself. When it lands, read the patient's newest scored ODI, NPRS, STarT Back (total
    and psychosocial) and FABQ responses here: the form pre-fills them (the clinician still
    confirms them by saving the assessment), so decision support keeps one source of truth,
    the dated assessment.
    """
    return StoredScores()


def programme_adherence(session: Session, *, patient_id: int) -> float | None:
    """HOOK for the rehab domain's session records: completed / prescribed sessions (0-1).

    No programme storage exists on this branch yet, so adherence is unknown and the
    treatment-response model imputes it (and says so in its notes).
    """
    return None


# --- assessments --------------------------------------------------------------------------------


def today_for(patient: Patient) -> date:
    return datetime.now(ZoneInfo(patient.timezone)).date()


def create_assessment(
    session: Session, *, actor: Actor, patient: Patient, data: AssessmentCreate
) -> Assessment:
    """Store a dated assessment after scoring its questionnaire answers (audited)."""
    assessed_on = data.assessed_on or today_for(patient)
    if assessed_on > today_for(patient):
        raise InvalidInput("assessed_on", "cannot be in the future")
    odi_pct = resolve_odi(data.odi_pct, data.odi_answers)
    startback = resolve_startback(
        data.startback_total, data.startback_psychosocial, data.startback_answers
    )
    if patient.date_of_birth is not None and data.age_years is not None:
        profile_age = accounts.age_on(patient.date_of_birth, assessed_on)
        if profile_age is not None and abs(profile_age - data.age_years) >= 1:
            raise InvalidInput(
                "age_years", f"the profile's date of birth gives {profile_age}; leave age empty"
            )
    findings = AssessmentFindings(
        odi_pct=odi_pct,
        nprs=data.nprs,
        startback_total=startback.total if startback else None,
        startback_psychosocial=startback.psychosocial if startback else None,
        symptom_duration_days=data.symptom_duration_days,
        symptoms_distal_to_knee=data.symptoms_distal_to_knee,
        fabq_work=data.fabq_work,
        fabq_pa=data.fabq_pa,
        hip_internal_rotation_left_deg=data.hip_internal_rotation_left_deg,
        hip_internal_rotation_right_deg=data.hip_internal_rotation_right_deg,
        lumbar_hypomobility=data.lumbar_hypomobility,
    )
    if findings.is_empty() and data.age_years is None:
        raise InvalidInput(None, "record at least one finding")
    findings.rule_input()  # the rule's own validation (ranges of its five findings)
    user = actor.user
    assessment = Assessment(
        patient_id=patient.id,
        assessed_on=assessed_on,
        clinician_id=user.id if user else None,
        clinician_name=(user.name or user.email) if user else "",
        odi_answers=list(data.odi_answers) if data.odi_answers is not None else None,
        startback_answers=(
            list(data.startback_answers) if data.startback_answers is not None else None
        ),
        startback_risk=startback.risk if startback else None,
        age_years=data.age_years if patient.date_of_birth is None else None,
        notes=data.notes.strip(),
        **{f.name: getattr(findings, f.name) for f in fields(findings)},
    )
    session.add(assessment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="predict.assessment",
        action="create",
        detail=f"assessment {assessment.id} of {assessed_on.isoformat()}",
    )
    return assessment


def _ordered(patient_id: int) -> Any:
    return (
        select(Assessment)
        .where(Assessment.patient_id == patient_id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )


def list_assessments(
    session: Session, *, actor: Actor, patient: Patient, offset: int = 0, limit: int = 50
) -> tuple[list[Assessment], int]:
    """The patient's assessments, newest date first (audited)."""
    total = session.scalar(
        select(func.count(Assessment.id)).where(Assessment.patient_id == patient.id)
    )
    rows = list(session.scalars(_ordered(patient.id).offset(offset).limit(limit)))
    audit.record(
        session, actor=actor, patient_id=patient.id, resource="predict.assessment", action="list"
    )
    return rows, int(total or 0)


def get_assessment(session: Session, *, patient: Patient, assessment_id: int) -> Assessment:
    """One assessment of this (already access-checked) patient; another patient's is not
    found."""
    found = session.scalar(
        select(Assessment).where(
            Assessment.id == assessment_id, Assessment.patient_id == patient.id
        )
    )
    if found is None:
        raise NotFound("assessment not found")
    return found


def latest_assessment(session: Session, *, patient: Patient) -> Assessment | None:
    return session.scalar(_ordered(patient.id).limit(1))


def findings_of(assessment: Assessment) -> AssessmentFindings:
    return AssessmentFindings(
        **{f.name: getattr(assessment, f.name) for f in fields(AssessmentFindings)}
    )


def form_defaults(session: Session, *, patient: Patient) -> dict[str, Any]:
    """Values to pre-fill a new assessment: the last assessment's findings, overridden by
    newer stored questionnaire scores (hook above)."""
    values: dict[str, Any] = {}
    latest = latest_assessment(session, patient=patient)
    if latest is not None:
        values.update({f.name: getattr(latest, f.name) for f in fields(AssessmentFindings)})
        values["age_years"] = latest.age_years
    stored = stored_questionnaire_scores(session, patient_id=patient.id)
    newer = stored.scored_on is not None and (
        latest is None or stored.scored_on >= latest.assessed_on
    )
    if newer:
        for f in fields(StoredScores):
            value = getattr(stored, f.name)
            if f.name != "scored_on" and value is not None:
                values[f.name] = value
    return values


# --- decision support ---------------------------------------------------------------------------


def patient_context(session: Session, *, patient: Patient, assessed_on: date) -> PatientContext:
    """Age on the assessment date, history flags, posture and adherence for the models."""
    from spinewise.devices import service as devices

    end = datetime.combine(assessed_on + timedelta(days=1), time(0), tzinfo=UTC)
    totals = devices.totals(
        session,
        patient_id=patient.id,
        start=end - timedelta(days=POSTURE_WINDOW_DAYS),
        end=end,
    )
    worn_h = totals.worn_s / 3600.0
    flexed = (
        (totals.flexed_s + totals.severe_s) / totals.worn_s
        if worn_h >= POSTURE_MIN_WORN_H
        else None
    )
    return PatientContext(
        age_years=accounts.age_on(patient.date_of_birth, assessed_on),
        history=tuple(f for f in MANIPULATION_CAUTION_FLAGS if getattr(patient, f, False)),
        posture_flexed_fraction=flexed,
        posture_worn_h=worn_h if flexed is not None else 0.0,
        posture_simulated=flexed is not None
        and any(
            d.settings.get("simulated")
            for d in devices.list_devices(session, patient_id=patient.id)
        ),
        adherence_fraction=programme_adherence(session, patient_id=patient.id),
    )


def decision_support(
    session: Session, *, actor: Actor, patient: Patient, assessment_id: int | None = None
) -> DecisionSupportRead:
    """Decision support for the newest assessment (or ``assessment_id``), audited with the
    model versions shown."""
    assessment = (
        get_assessment(session, patient=patient, assessment_id=assessment_id)
        if assessment_id is not None
        else latest_assessment(session, patient=patient)
    )
    if assessment is None:
        return DecisionSupportRead(patient_id=patient.id, notice=NOTICE, assessment=None)
    context = patient_context(session, patient=patient, assessed_on=assessment.assessed_on)
    if context.age_years is None:  # no date of birth in the profile: the age entered, if any
        context = replace(context, age_years=assessment.age_years)
    model, metrics, problem = response_model()
    result = decide(findings_of(assessment), context, model, model_unavailable=problem)
    read = _read(patient.id, assessment, result, metrics)
    startback = result.stratified_care.startback
    response = read.treatment_response
    assert response is not None
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="predict.decision_support",
        action="predict",
        detail=(
            f"assessment {assessment.id} of {assessment.assessed_on.isoformat()}; "
            f"startback={startback.risk if startback else '-'}; "
            f"manipulation-cpr={result.manipulation_rule.result.status}; "
            f"{response.model.name} {response.model.version}"
            f"{' SYNTHETIC' if response.synthetic else ''}: {response.status}"
        ),
    )
    return read


def _read(
    patient_id: int,
    assessment: Assessment,
    result: DecisionSupport,
    metrics: dict[str, Any] | None,
) -> DecisionSupportRead:
    care = result.stratified_care
    pathway = care.pathway
    stratified = StratifiedCareRead(
        status=care.status,
        startback=StartBackRead(**care.startback.__dict__) if care.startback else None,
        pathway=pathway.pathway if pathway else None,
        summary=pathway.summary if pathway else None,
        components=list(pathway.components) if pathway else [],
        template_id=pathway.template_id if pathway else None,
        template=TemplateRead(**care.template) if care.template else None,
        evidence=pathway.evidence if pathway else None,
        citation=pathway.citation if pathway else None,
        card=ModelRef(
            name="startback-stratified-care", version="hill-2011", card_url=card_url("startback")
        ),
    )
    rule = result.manipulation_rule.result.to_dict()
    manipulation = ManipulationRuleRead(
        status=rule["status"],
        positive_count=rule["positive_count"],
        unknown_count=rule["unknown_count"],
        threshold=rule["threshold"],
        criteria=[CriterionRead(**c) for c in rule["criteria"]],
        likelihood=LikelihoodRead(**rule["likelihood"]) if rule["likelihood"] else None,
        success_definition=rule["success_definition"],
        validation=[ValidationRead(**v) for v in rule["validation"]],
        limits=rule["limits"],
        citations=rule["citations"],
        cautions=list(result.manipulation_rule.cautions),
        card=ModelRef(
            name="spinal-manipulation-cpr",
            version="flynn-2002",
            card_url=card_url("manipulation-cpr"),
        ),
    )
    return DecisionSupportRead(
        patient_id=patient_id,
        notice=NOTICE,
        assessment=AssessmentRead.model_validate(assessment),
        stratified_care=stratified,
        manipulation_rule=manipulation,
        treatment_response=_response_read(result, metrics),
    )


def _response_read(
    result: DecisionSupport, metrics: dict[str, Any] | None
) -> TreatmentResponseRead:
    response = result.treatment_response
    synthetic = bool(metrics and metrics.get("synthetic"))
    model = ModelRef(
        name="treatment-response",
        version=str(metrics["version"]) if metrics else "unavailable",
        card_url=card_url("response"),
        synthetic=synthetic,
        data_label=SYNTHETIC_LABEL if synthetic else "platform outcome records",
    )
    prediction = response.prediction
    options = []
    if prediction is not None:
        for option in prediction.options:
            options.append(
                TreatmentOptionRead(
                    treatment=option.treatment,
                    label=treatment_label(option.treatment),
                    probability=option.probability,
                    interval95=list(option.interval95),
                    baseline_log_odds=option.baseline_log_odds,
                    contributions=[_contribution(c) for c in option.contributions],
                )
            )
    features = None
    if response.features is not None:
        features = {f.name: getattr(response.features, f.name) for f in fields(response.features)}
    return TreatmentResponseRead(
        status=response.status,
        outcome=OUTCOME,
        synthetic=synthetic,
        data_label=model.data_label,
        options=options,
        missing=list(response.missing),
        refusal_reasons=list(response.reasons),
        notes=list(prediction.notes) if prediction else [],
        features=features,
        feature_sources=dict(response.sources),
        model=model,
    )


def _contribution(item: dict[str, Any]) -> ContributionRead:
    feature = str(item["feature"])
    value = item["value"]
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    return ContributionRead(
        feature=feature,
        label=FEATURE_LABELS.get(feature, feature.replace("_", " ")),
        value=treatment_label(value) if feature == "treatment" else value,
        log_odds=float(item["log_odds"]),
        detail=item.get("detail"),
    )


# --- spine classifier ---------------------------------------------------------------------------


def classify_spine(
    session: Session, *, actor: Actor, measurement: SpineMeasurement
) -> SpinePredictionRead:
    """Classify one set of spinopelvic parameters (normal / hernia / spondylolisthesis).

    When ``patient_id`` is given the patient must be in the caller's care (else not found) and
    the prediction is audited against them; otherwise it is audited without a patient.
    """
    from spinewise.core.permissions import get_patient

    model, metrics = spine_model()
    patient_id = None
    if measurement.patient_id is not None:
        patient_id = get_patient(
            session,
            actor=actor,
            patient_id=measurement.patient_id,
            resource="predict.spine",
            action="read",
        ).id
    row = np.asarray([[getattr(measurement, name) for name in FEATURES]], dtype=np.float64)
    prediction = model.predict(row)[0]
    data = prediction.to_dict(refuse_out_of_distribution=measurement.refuse_out_of_distribution)
    audit.record(
        session,
        actor=actor,
        patient_id=patient_id,
        resource="predict.spine",
        action="predict",
        detail=(
            f"{metrics['model']} {metrics['version']}: {data['class']}"
            f"{' (out of distribution)' if prediction.out_of_distribution else ''}"
        ),
    )
    return SpinePredictionRead(
        predicted_class=data["class"],
        probabilities=data["probabilities"],
        out_of_distribution=data["out_of_distribution"],
        ood_reasons=data["ood_reasons"],
        refused=bool(data.get("refused", False)),
        notice=NOTICE,
        model=ModelRef(
            name=metrics["model"], version=metrics["version"], card_url=card_url("spine")
        ),
    )


# --- demo -----------------------------------------------------------------------------------------

# One assessment per demo patient (fictional people, see spinewise.demo), chosen so the panel
# shows each STarT Back group and each state of the manipulation rule.
DEMO_ASSESSMENTS: dict[str, dict[str, Any]] = {
    # 6 weeks of pain after moving house: medium risk; 4 of 5 rule findings (positive).
    "olivia@demo.spinewise.org": {
        "odi_pct": 32.0,
        "nprs": 5,
        "startback_total": 5,
        "startback_psychosocial": 2,
        "symptom_duration_days": 42.0,
        "symptoms_distal_to_knee": False,
        "fabq_work": 12,
        "fabq_pa": 13,
        "hip_internal_rotation_left_deg": 38.0,
        "hip_internal_rotation_right_deg": 36.0,
        "lumbar_hypomobility": True,
        "notes": "Demo assessment (fictional patient).",
    },
    # Two years of pain, high distress, leg symptoms: high risk; the rule is negative.
    "james@demo.spinewise.org": {
        "odi_pct": 46.0,
        "nprs": 7,
        "startback_total": 7,
        "startback_psychosocial": 5,
        "symptom_duration_days": 730.0,
        "symptoms_distal_to_knee": True,
        "fabq_work": 28,
        "fabq_pa": 19,
        "hip_internal_rotation_left_deg": 28.0,
        "hip_internal_rotation_right_deg": 31.0,
        "lumbar_hypomobility": False,
        "notes": "Demo assessment (fictional patient).",
    },
    # Five weeks after a microdiscectomy: low risk; examination deferred, rule not usable.
    "mei@demo.spinewise.org": {
        "odi_pct": 38.0,
        "nprs": 4,
        "startback_total": 3,
        "startback_psychosocial": 1,
        "symptom_duration_days": 35.0,
        "symptoms_distal_to_knee": True,
        "fabq_pa": 11,
        "notes": "Demo assessment (fictional patient); spinal examination deferred after surgery.",
    },
}


def seed_demo(session: Session, *, clinician_email: str) -> int:
    """Record the demo assessments, by the demo clinician, for patients who have none yet;
    returns how many were added."""
    clinician = accounts.get_user_by_email(session, clinician_email)
    if clinician is None:
        raise NotFound("demo clinician not found")
    added = 0
    for email, values in DEMO_ASSESSMENTS.items():
        user = accounts.get_user_by_email(session, email)
        patient = accounts.patient_of(session, user=user) if user else None
        if patient is None or latest_assessment(session, patient=patient) is not None:
            continue
        create_assessment(
            session,
            actor=Actor(clinician, "demo"),
            patient=patient,
            data=AssessmentCreate.model_validate(values),
        )
        added += 1
    return added
