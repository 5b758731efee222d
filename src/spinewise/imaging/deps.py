"""Resource dependencies of imaging, declared once for ``api.py`` and ``pages.py``.

``CurrentInstance`` resolves the patient first (``CurrentPatient``: 404 when hidden, audited
with the route as the resource), then the image *within that patient*; ``ImagingClinician``
lets only the patient's clinicians through (403 for the patient themself).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from spinewise.accounts.models import Role, User
from spinewise.core.deps import CurrentPatient, CurrentUser, SessionDep
from spinewise.core.errors import Forbidden
from spinewise.imaging import service
from spinewise.imaging.models import ImagingInstance

# 64-bit ids: a larger number in the path names nothing (and would overflow SQLite).
ObjectId = Annotated[int, Path(ge=-(2**63), lt=2**63)]


def _instance_in_path(
    patient: CurrentPatient, instance_id: ObjectId, session: SessionDep
) -> ImagingInstance:
    return service.get_instance(session, patient=patient, instance_id=instance_id)


def _clinician_of_patient(patient: CurrentPatient, user: CurrentUser) -> User:
    if user.role != Role.clinician:
        raise Forbidden("landmarks and decision support are for the patient's clinicians")
    return user


CurrentInstance = Annotated[ImagingInstance, Depends(_instance_in_path)]
ImagingClinician = Annotated[User, Depends(_clinician_of_patient)]
