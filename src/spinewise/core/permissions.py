"""Object-level access in one place: which patients a user may see.

Every list, get, export and FHIR read builds on ``readable_patients``; a record the user may
not see is indistinguishable from a missing one (404, never 403). The care relationship is
``CareTeamMember``: a clinician sees the patients whose care team they belong to, a patient
sees only themself, and an admin (who manages accounts) sees no health data.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Patient, Role, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import NotFound


def readable_patients(user: User) -> Select[Patient]:
    query = select(Patient)
    if not user.is_active:
        return query.where(false())
    if user.role == Role.patient:
        return query.where(Patient.user_id == user.id)
    if user.role == Role.clinician:
        team = select(CareTeamMember.patient_id).where(CareTeamMember.clinician_id == user.id)
        return query.where(Patient.id.in_(team))
    return query.where(false())


def readable_patient_ids(user: User) -> Select[int]:
    """The same predicate as ``readable_patients`` for use inside other queries."""
    return readable_patients(user).with_only_columns(Patient.id)


def get_patient(
    session: Session,
    *,
    actor: Actor,
    patient_id: int,
    resource: str,
    action: str = "read",
    detail: str = "",
) -> Patient:
    """Fetch a patient the actor may see, and audit the access; otherwise ``NotFound``."""
    if actor.user is None:
        raise NotFound("patient not found")
    patient = session.scalar(readable_patients(actor.user).where(Patient.id == patient_id))
    if patient is None:
        raise NotFound("patient not found")
    audit.record(
        session, actor=actor, patient_id=patient.id, resource=resource, action=action, detail=detail
    )
    return patient


def is_care_team_member(session: Session, *, clinician: User, patient_id: int) -> bool:
    query = select(CareTeamMember.id).where(
        CareTeamMember.clinician_id == clinician.id, CareTeamMember.patient_id == patient_id
    )
    return session.scalar(query) is not None
