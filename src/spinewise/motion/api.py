"""JSON routes of camera coaching under ``/api/v1``.

The results are written with the session log (``POST /api/v1/patients/{id}/sessions``, each
exercise's ``camera`` summary); this reads them back for the patient and the care team.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from spinewise.core.deps import CurrentActor, CurrentPatient, SessionDep
from spinewise.motion import service
from spinewise.motion.schemas import CameraResultRead

router = APIRouter(prefix="/api/v1", tags=["motion"])


@router.get("/patients/{patient_id}/motion/results", response_model=list[CameraResultRead])
def list_camera_results(
    patient: CurrentPatient,
    actor: CurrentActor,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[CameraResultRead]:
    """Camera-coached exercises of the patient's sessions, oldest first (camera estimates)."""
    rows = service.list_camera_results(session, actor=actor, patient=patient, limit=limit)
    return [CameraResultRead.model_validate(r) for r in rows]
