"""Resource aliases of reminders: ``OwnPatient`` is the patient in the path when the caller *is*
that patient (answering a reminder, logging a dose, push and calendar feeds are personal acts).
Decided in the dependency, so a clinician of the care team gets 403 before the body is read,
and a caller outside the care team still gets 404 from ``CurrentPatient``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from spinewise.accounts.models import Patient
from spinewise.core.deps import CurrentPatient, CurrentUser
from spinewise.core.errors import Forbidden


def _own_patient(patient: CurrentPatient, user: CurrentUser) -> Patient:
    if patient.user_id != user.id:
        raise Forbidden("only the patient can do this")
    return patient


OwnPatient = Annotated[Patient, Depends(_own_patient)]
