"""CarePlan: home-exercise programmes (rehab) with their exercises and adherence.

| domain | FHIR |
| --- | --- |
| ``Programme.status`` active / ended | ``CarePlan.status`` active / completed |
| current ``ProgrammeVersion.name`` | ``CarePlan.title`` |
| ``Programme.start_date`` + ``duration_weeks`` | ``CarePlan.period`` |
| ``sessions_per_week``, ``progression_rule``, ``notes`` | ``CarePlan.description`` |
| ``Programme.clinician_id`` | ``CarePlan.author`` |
| each prescribed item (exercise, sets, reps, hold) | ``CarePlan.activity[].detail`` (code = Spinewise exercise id, ``scheduledString``) |
| adherence of ended weeks (``rehab.adherence``) | ``CarePlan.activity[].progress`` and ``CarePlan.note`` |

Exported only (a programme is validated against the exercise library when it is prescribed).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs
from spinewise.rehab.models import Programme, ProgrammeStatus, ProgrammeVersion

EXERCISE_SYSTEM = f"{codes.CODE_SYSTEM}/exercise"


def _dose(item: dict[str, Any]) -> str:
    parts = []
    if item.get("sets"):
        parts.append(f"{item['sets']} sets")
    if item.get("reps"):
        parts.append(f"{item['reps']} reps" + (" per side" if item.get("per_side") else ""))
    if item.get("hold_s"):
        parts.append(f"hold {item['hold_s']} s")
    if item.get("duration_min"):
        parts.append(f"{item['duration_min']} min")
    return ", ".join(parts) or "as prescribed"


def to_fhir(
    programme: Programme,
    version: ProgrammeVersion,
    refs: ExportRefs,
    *,
    adherence_pct: float | None,
) -> dict[str, Any]:
    end = programme.start_date + timedelta(weeks=version.duration_weeks, days=-1)
    progress = (
        [{"text": f"Adherence of ended weeks: {adherence_pct:.0f} %"}]
        if adherence_pct is not None
        else None
    )
    description = f"{version.sessions_per_week} sessions a week for {version.duration_weeks} weeks."
    if version.progression_rule:
        description += f" Progression: {version.progression_rule}"
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": refs.logical("programme", programme.id),
        "identifier": refs.identifier("programme", programme.id),
        "status": "active" if programme.status == ProgrammeStatus.active else "completed",
        "intent": "plan",
        "title": version.name,
        "description": description,
        "subject": refs.reference("patient", programme.patient_id),
        "period": {"start": programme.start_date.isoformat(), "end": end.isoformat()},
        "created": programme.created_at.isoformat(),
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {
                        "coding": [{"system": EXERCISE_SYSTEM, "code": str(item["exercise_id"])}],
                        "text": str(item["exercise_id"]).replace("_", " "),
                    },
                    "status": "in-progress"
                    if programme.status == ProgrammeStatus.active
                    else "completed",
                    "scheduledString": _dose(item),
                    "description": item.get("notes") or None,
                },
                "progress": progress,
            }
            for item in version.items
        ],
    }
    if programme.clinician_id is not None:
        resource["author"] = refs.reference("practitioner", programme.clinician_id)
    notes = [n for n in (version.notes, progress[0]["text"] if progress else None) if n]
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    return _prune(resource)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
