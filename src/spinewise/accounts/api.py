"""JSON routes for sign-in, the current user, patients' profiles, invitations and user admin."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from spinewise.accounts import service
from spinewise.accounts.models import Patient
from spinewise.accounts.schemas import (
    ClinicianRead,
    InviteCreate,
    InviteRead,
    MeRead,
    PatientPage,
    PatientRead,
    PatientSummary,
    PatientUpdate,
    TokenRead,
    UserCreate,
    UserRead,
)
from spinewise.core.deps import (
    CredentialsDep,
    CurrentActor,
    CurrentAdmin,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    MailerDep,
    SessionDep,
    SettingsDep,
)
from spinewise.core.errors import NotAuthenticated
from spinewise.core.models import TokenKind
from spinewise.fhir.scopes import normalise as normalise_scopes

router = APIRouter(prefix="/api/v1", tags=["accounts"])
PasswordForm = Annotated[OAuth2PasswordRequestForm, Depends()]


@router.post("/auth/token", response_model=TokenRead)
def issue_token(form: PasswordForm, session: SessionDep, settings: SettingsDep) -> TokenRead:
    """OAuth2 password flow: trade an e-mail and password for a bearer token.

    An optional ``scope`` (SMART style, e.g. ``patient/*.read``) narrows what the token may read
    on ``/fhir``; without it the token has the user's full access."""
    scopes = normalise_scopes(" ".join(form.scopes))
    user = service.authenticate(
        session,
        email=form.username,
        password=form.password,
        threshold=settings.lockout_threshold,
        cooldown_s=settings.lockout_cooldown_s,
    )
    raw, _ = service.issue_token(
        session, user=user, kind=TokenKind.api, max_age_s=settings.token_max_age_s, scopes=scopes
    )
    return TokenRead(access_token=raw, expires_in=settings.token_max_age_s)


@router.delete("/auth/token", status_code=204)
def revoke_token(credentials: CredentialsDep, session: SessionDep) -> Response:
    """Sign out the token (or browser session) used for this request."""
    if credentials is None:
        raise NotAuthenticated("sign in first")
    service.revoke_token(session, token=credentials[1])
    return Response(status_code=204)


@router.get("/me", response_model=MeRead)
def me(user: CurrentUser, session: SessionDep) -> MeRead:
    patient = service.patient_of(session, user=user)
    return MeRead(
        id=user.id,
        email=user.email,
        role=user.role,
        name=user.name,
        patient_id=patient.id if patient else None,
    )


def _patient_read(session: Session, patient: Patient) -> PatientRead:
    user = service.user_of(session, patient=patient)
    team = service.care_team(session, patient_id=patient.id)
    return PatientRead(
        id=patient.id,
        name=user.name,
        email=user.email,
        date_of_birth=patient.date_of_birth,
        sex=patient.sex,
        timezone=patient.timezone,
        cancer_history=patient.cancer_history,
        osteoporosis=patient.osteoporosis,
        spinal_surgery=patient.spinal_surgery,
        long_term_steroids=patient.long_term_steroids,
        immunosuppressed=patient.immunosuppressed,
        history_notes=patient.history_notes,
        care_team=[ClinicianRead.model_validate(c) for c in team],
    )


@router.get("/patients", response_model=PatientPage)
def list_patients(
    actor: CurrentActor,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    q: Annotated[str, Query(max_length=100)] = "",
) -> PatientPage:
    rows, total = service.list_patients(session, actor=actor, offset=offset, limit=limit, search=q)
    today = date.today()
    items = [
        PatientSummary(
            id=p.id, name=u.name, email=u.email, age=service.age_on(p.date_of_birth, today)
        )
        for p, u in rows
    ]
    return PatientPage(items=items, total=total)


@router.get("/patients/{patient_id}", response_model=PatientRead)
def get_patient(patient: CurrentPatient, session: SessionDep) -> PatientRead:
    return _patient_read(session, patient)


@router.patch("/patients/{patient_id}", response_model=PatientRead)
def update_patient(
    patient: CurrentPatient, body: PatientUpdate, actor: CurrentActor, session: SessionDep
) -> PatientRead:
    changes = body.model_dump(exclude_unset=True)
    service.update_profile(session, actor=actor, patient=patient, changes=changes)
    return _patient_read(session, patient)


@router.post("/invites", response_model=InviteRead, status_code=201)
def invite_patient(
    body: InviteCreate,
    clinician: CurrentClinician,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> InviteRead:
    """E-mail a one-time sign-up link to a new patient, who joins this clinician's care team."""
    raw = service.create_invite(
        session,
        clinician=clinician,
        email=body.email,
        name=body.name,
        max_age_s=settings.invite_max_age_s,
    )
    email = service.normalise_email(body.email)
    # Background tasks run after the request's transaction has committed.
    background.add_task(service.send_invite, mailer, email=email, raw=raw, clinician=clinician)
    return InviteRead(email=email, expires_in_s=settings.invite_max_age_s)


@router.get("/users", response_model=list[UserRead])
def list_users(
    _admin: CurrentAdmin,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[UserRead]:
    return [
        UserRead.model_validate(u) for u in service.list_users(session, offset=offset, limit=limit)
    ]


@router.post("/users", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, _admin: CurrentAdmin, session: SessionDep) -> UserRead:
    user = service.create_user(
        session, email=body.email, password=body.password, role=body.role, name=body.name
    )
    return UserRead.model_validate(user)


@router.post("/users/{user_id}/deactivate", response_model=UserRead)
def deactivate_user(user_id: int, _admin: CurrentAdmin, session: SessionDep) -> UserRead:
    return UserRead.model_validate(service.set_active(session, user_id=user_id, active=False))
