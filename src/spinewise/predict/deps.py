"""Access to decision support: clinicians of the patient's care team only.

``PatientForClinician`` resolves the patient through ``CurrentPatient`` (the care relationship:
anyone outside it gets 404, as on every patient route), then refuses a non-clinician with 403.
The patient may see their own record elsewhere, but predictions are shown to clinicians only,
so a patient who opens these routes learns nothing beyond "clinicians only".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from spinewise.accounts.models import Patient, Role
from spinewise.core.deps import CurrentPatient, CurrentUser
from spinewise.core.errors import Forbidden, NotFound

# Ids are 64-bit integers on every engine; a larger number in the path can name no patient
# (and would overflow the SQLite driver inside ``CurrentPatient``), so it is simply not found.
MAX_ID = 2**63 - 1


def _patient_id_in_range(user: CurrentUser, patient_id: int) -> int:
    if not 1 <= patient_id <= MAX_ID:
        raise NotFound("patient not found")
    return patient_id


def _patient_for_clinician(
    _checked: Annotated[int, Depends(_patient_id_in_range)],
    patient: CurrentPatient,
    user: CurrentUser,
) -> Patient:
    if user.role != Role.clinician:
        raise Forbidden("decision support is shown to clinicians only")
    return patient


PatientForClinician = Annotated[Patient, Depends(_patient_for_clinician)]
