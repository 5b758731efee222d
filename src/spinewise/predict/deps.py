"""Access to decision support: clinicians of the patient's care team only.

``PatientForClinician`` first resolves the patient through ``CurrentPatient`` (the care
relationship: anyone else gets 404, as for every patient route), then refuses a non-clinician
with 403. The patient may see their own record elsewhere, but predictions are shown to
clinicians only (issue: decision support), so a patient who opens these routes learns nothing
beyond "clinicians only".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from spinewise.accounts.models import Patient, Role
from spinewise.core.deps import CurrentPatient, CurrentUser
from spinewise.core.errors import Forbidden


def _patient_for_clinician(patient: CurrentPatient, user: CurrentUser) -> Patient:
    if user.role != Role.clinician:
        raise Forbidden("decision support is shown to clinicians only")
    return patient


PatientForClinician = Annotated[Patient, Depends(_patient_for_clinician)]
