"""JSON routes of the pump planner: programme versions, check, plan, sign-off, settings, libraries,
and the patient's refill date and bolus log.

Programmes are clinician-only (a patient gets 403 on their own programme routes; anyone outside
the care team gets 404). ``POST …/pump-programmes`` answers 422 with every violation
(``ProgrammeRejected.to_dict()``) for a programme that breaks a hard limit, and stores nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient
from spinewise.core.deps import (
    BusDep,
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
)
from spinewise.core.errors import Forbidden
from spinewise.dosing import service
from spinewise.dosing.library import library_fingerprint
from spinewise.dosing.schemas import (
    BolusCreate,
    BolusRead,
    CheckRead,
    LibraryDetail,
    LibraryRead,
    LibraryRef,
    LibraryUploadCreate,
    PlanRead,
    PlanRequest,
    ProgrammeCheckRequest,
    ProgrammeCreate,
    ProgrammeVersionPage,
    ProgrammeVersionRead,
    PumpSettingsRead,
    PumpSettingsUpdate,
    RecordId,
    RefillRead,
)

router = APIRouter(prefix="/api/v1", tags=["pump programmes"])


def _patient_themself(patient: CurrentPatient, user: CurrentUser) -> Patient:
    """The patient in the path, acting for themself (their care team may read, not log)."""
    if patient.user_id != user.id:
        raise Forbidden("patients log their own bolus activations")
    return patient


PatientThemself = Annotated[Patient, Depends(_patient_themself)]
REJECTED: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "Malformed input, or a programme that breaks a hard limit: "
        '{"error": "safety_limit_exceeded", "rule", "limit", "value", "violations": [...]}'
    }
}


@router.get("/patients/{patient_id}/pump-programmes", response_model=ProgrammeVersionPage)
def list_programmes(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ProgrammeVersionPage:
    """The programme history, newest version first (who saved each, why, which library)."""
    items, total = service.list_programmes(
        session, patient_id=patient.id, offset=offset, limit=limit
    )
    return ProgrammeVersionPage(
        items=[ProgrammeVersionRead.model_validate(v) for v in items], total=total
    )


@router.post(
    "/patients/{patient_id}/pump-programmes",
    response_model=ProgrammeVersionRead,
    status_code=201,
    responses=REJECTED,
)
def create_programme(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    body: ProgrammeCreate,
    session: SessionDep,
    bus: BusDep,
) -> ProgrammeVersionRead:
    """Save a new version. Hard limit broken → 422 with the violations, nothing stored. Above
    the soft maximum → needs ``soft_limit_reason`` and waits for a second clinician."""
    outcome = service.save_programme(
        session,
        actor=actor,
        patient=patient,
        programme=body.programme,
        reason=body.reason,
        soft_limit_reason=body.soft_limit_reason,
        filled_on=body.filled_on,
        source="api",
    )
    service.publish_after_commit(session, bus, outcome.events)
    return ProgrammeVersionRead.model_validate(outcome.version)


@router.post(
    "/patients/{patient_id}/pump-programmes/check", response_model=CheckRead, responses=REJECTED
)
def check_programme(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    body: ProgrammeCheckRequest,
    session: SessionDep,
) -> CheckRead:
    """Check a programme for this patient without saving it (200 whether or not it passes)."""
    draft = service.check_draft(session, patient_id=patient.id, programme=body.programme)
    return CheckRead.model_validate(draft.to_dict())


@router.post(
    "/patients/{patient_id}/pump-programmes/plan", response_model=PlanRead, responses=REJECTED
)
def plan_programme(
    patient: CurrentPatient, clinician: CurrentClinician, body: PlanRequest, session: SessionDep
) -> PlanRead:
    """The planner's suggestion (same or lower daily dose, passes the check); not saved."""
    outcome = service.plan_for_patient(
        session,
        patient_id=patient.id,
        programme=body.programme,
        pain=body.pain,
        max_steps=body.max_steps,
    )
    return PlanRead(
        **outcome.plan.to_dict(),
        pain=list(outcome.pain.hourly),
        pain_source=outcome.pain.source,
        library=LibraryRef(**outcome.library.to_dict()),
    )


@router.get(
    "/patients/{patient_id}/pump-programmes/{programme_id}", response_model=ProgrammeVersionRead
)
def get_programme(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    programme_id: RecordId,
    session: SessionDep,
) -> ProgrammeVersionRead:
    return ProgrammeVersionRead.model_validate(
        service.get_programme(session, patient_id=patient.id, programme_id=programme_id)
    )


@router.post(
    "/patients/{patient_id}/pump-programmes/{programme_id}/sign-off",
    response_model=ProgrammeVersionRead,
    responses=REJECTED,
)
def sign_off_programme(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    programme_id: RecordId,
    session: SessionDep,
    bus: BusDep,
) -> ProgrammeVersionRead:
    """A second clinician of the care team (not the one who saved it) activates a version that
    is above the soft maximum."""
    outcome = service.sign_off(session, actor=actor, patient=patient, programme_id=programme_id)
    service.publish_after_commit(session, bus, outcome.events)
    return ProgrammeVersionRead.model_validate(outcome.version)


@router.get("/patients/{patient_id}/pump-settings", response_model=PumpSettingsRead)
def get_pump_settings(
    patient: CurrentPatient, clinician: CurrentClinician, session: SessionDep
) -> PumpSettingsRead:
    return _settings_read(session, patient.id)


@router.put("/patients/{patient_id}/pump-settings", response_model=PumpSettingsRead)
def put_pump_settings(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    body: PumpSettingsUpdate,
    session: SessionDep,
) -> PumpSettingsRead:
    """The clinic whose drug library applies (null: the shipped one) and the hourly pain profile
    (24 numbers, until the pain diary supplies it)."""
    service.update_pump_settings(
        session,
        actor=actor,
        patient=patient,
        clinic=body.clinic,
        pain_profile=body.pain_profile,
        pain_profile_note=body.pain_profile_note,
    )
    return _settings_read(session, patient.id)


def _settings_read(session: Session, patient_id: int) -> PumpSettingsRead:
    settings = service.pump_settings(session, patient_id=patient_id)
    library = service.library_for_patient(session, patient_id=patient_id)
    return PumpSettingsRead(
        clinic=settings.clinic if settings else None,
        pain_profile=settings.pain_profile if settings else None,
        pain_profile_note=settings.pain_profile_note if settings else "",
        library=LibraryRef(**library.to_dict()),
    )


@router.get("/patients/{patient_id}/pump-refill", response_model=RefillRead)
def get_refill(patient: CurrentPatient, session: SessionDep) -> RefillRead:
    """The patient's (and care team's) view: the drug and the next refill date."""
    active = service.refill_status(session, patient_id=patient.id)
    if active is None:
        return RefillRead(has_programme=False)
    return RefillRead(
        has_programme=True,
        drug=active.drug,
        filled_on=active.filled_on,
        refill_due_on=active.refill_due_on,
        version=active.version,
    )


@router.get("/patients/{patient_id}/bolus-activations", response_model=list[BolusRead])
def list_boluses(
    patient: CurrentPatient,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[BolusRead]:
    return [
        BolusRead.model_validate(b)
        for b in service.list_boluses(session, patient_id=patient.id, limit=limit)
    ]


@router.post("/patients/{patient_id}/bolus-activations", response_model=BolusRead, status_code=201)
def log_bolus(
    patient: PatientThemself, actor: CurrentActor, body: BolusCreate, session: SessionDep
) -> BolusRead:
    """The patient logs a bolus they activated (time, relief 0-10). Patients only."""
    entry = service.log_bolus(
        session,
        actor=actor,
        patient=patient,
        taken_at=body.taken_at,
        relief=body.relief,
        note=body.note,
    )
    return BolusRead.model_validate(entry)


# --- drug libraries (clinic data, not patient data) ---------------------------------------------


@router.get("/drug-libraries", response_model=list[LibraryRead])
def list_libraries(clinician: CurrentClinician, session: SessionDep) -> list[LibraryRead]:
    """Uploaded clinic libraries, newest first (a clinic's library is its newest upload)."""
    return [LibraryRead.model_validate(r) for r in service.list_libraries(session)]


@router.post("/drug-libraries", response_model=LibraryRead, status_code=201)
def upload_library(
    clinician: CurrentClinician,
    actor: CurrentActor,
    body: LibraryUploadCreate,
    session: SessionDep,
) -> LibraryRead:
    """Upload a clinic's drug library; refused (422) unless the loader accepts every figure."""
    record = service.upload_library(
        session, actor=actor, clinic=body.clinic, document=body.document, note=body.note
    )
    return LibraryRead.model_validate(record)


@router.get("/drug-libraries/default", response_model=dict)
def default_library(user: CurrentUser) -> dict[str, object]:
    """The library shipped with Spinewise (every figure cited; verify against local policy)."""
    library = service.shipped_library()
    return {
        "fingerprint": library_fingerprint(library),
        "document": library.model_dump(mode="json"),
    }


@router.get("/drug-libraries/{library_id}", response_model=LibraryDetail)
def get_library(
    clinician: CurrentClinician, library_id: RecordId, session: SessionDep
) -> LibraryDetail:
    return LibraryDetail.model_validate(service.get_library(session, library_id=library_id))
