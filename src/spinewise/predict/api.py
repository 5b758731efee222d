"""JSON routes for decision support: assessments, the panel, the spine classifier, model cards.

Clinicians only (a patient gets 403 on their own record, anyone outside the care team 404);
every prediction shown is audited with the model versions used.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from spinewise.core.deps import CurrentActor, CurrentClinician, SessionDep
from spinewise.predict import service
from spinewise.predict.deps import PatientForClinician
from spinewise.predict.schemas import (
    AssessmentCreate,
    AssessmentPage,
    AssessmentRead,
    DecisionSupportRead,
    ModelCardRead,
    SpineMeasurement,
    SpinePredictionRead,
)

router = APIRouter(prefix="/api/v1", tags=["decision support"])


@router.get("/patients/{patient_id}/assessments", response_model=AssessmentPage)
def list_assessments(
    patient: PatientForClinician,
    actor: CurrentActor,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AssessmentPage:
    """The patient's assessments, newest assessment date first."""
    rows, total = service.list_assessments(
        session, actor=actor, patient=patient, offset=offset, limit=limit
    )
    return AssessmentPage(items=[AssessmentRead.model_validate(a) for a in rows], total=total)


@router.post("/patients/{patient_id}/assessments", response_model=AssessmentRead, status_code=201)
def create_assessment(
    patient: PatientForClinician, body: AssessmentCreate, actor: CurrentActor, session: SessionDep
) -> AssessmentRead:
    """Record a dated assessment (never edited: a reassessment is a new one)."""
    assessment = service.create_assessment(session, actor=actor, patient=patient, data=body)
    return AssessmentRead.model_validate(assessment)


@router.get("/patients/{patient_id}/decision-support", response_model=DecisionSupportRead)
def decision_support(
    patient: PatientForClinician,
    actor: CurrentActor,
    session: SessionDep,
    assessment_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> DecisionSupportRead:
    """STarT Back pathway, manipulation rule and treatment-response model for the newest
    assessment (or ``assessment_id``), each with its model card. The treatment-response model
    that ships learnt from SYNTHETIC data and says so (``synthetic``, ``data_label``)."""
    return service.decision_support(
        session, actor=actor, patient=patient, assessment_id=assessment_id
    )


@router.post("/predict/spine", response_model=SpinePredictionRead)
def classify_spine(
    body: SpineMeasurement, _clinician: CurrentClinician, actor: CurrentActor, session: SessionDep
) -> SpinePredictionRead:
    """Normal / disc hernia / spondylolisthesis from six spinopelvic parameters, with
    calibrated probabilities and an out-of-distribution flag (decision support, not a
    diagnosis). Give ``patient_id`` to audit the prediction against that patient."""
    return service.classify_spine(session, actor=actor, measurement=body)


@router.get("/predict/cards/{name}", response_model=ModelCardRead)
def model_card(name: str, _clinician: CurrentClinician) -> ModelCardRead:
    """A model card: spine, response, manipulation-cpr or startback."""
    return ModelCardRead.model_validate(service.model_card(name).to_dict())
