"""Practitioner (clinician accounts) and CareTeam (the clinicians who care for a patient).

| domain | FHIR |
| --- | --- |
| clinician ``User.email`` | ``Practitioner.telecom[system=email].value`` |
| clinician ``User.name`` | ``Practitioner.name[0].text`` |
| clinician ``User.is_active`` | ``Practitioner.active`` |
| ``CareTeamMember`` rows of a patient | ``CareTeam.participant[].member`` (one CareTeam per patient) |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spinewise.accounts.models import User
from spinewise.core.errors import InvalidInput
from spinewise.fhir.refs import ExportRefs, derived_uuid


@dataclass(frozen=True)
class PractitionerFields:
    email: str
    name: str
    active: bool


def to_fhir(user: User, refs: ExportRefs) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": refs.logical("practitioner", user.id),
        "identifier": refs.identifier("practitioner", user.id),
        "active": user.is_active,
        "telecom": [{"system": "email", "value": user.email}],
    }
    if user.name:
        resource["name"] = [{"text": user.name}]
    return {k: v for k, v in resource.items() if v is not None}


def from_fhir(resource: dict[str, Any], path: str = "Practitioner") -> PractitionerFields:
    emails = [
        t.get("value")
        for t in resource.get("telecom") or []
        if isinstance(t, dict) and t.get("system") == "email" and t.get("value")
    ]
    if not emails:
        raise InvalidInput(f"{path}.telecom", "needs an e-mail address (system 'email')")
    names = resource.get("name") or [{}]
    return PractitionerFields(
        email=str(emails[0]),
        name=str(names[0].get("text") or "").strip(),
        active=bool(resource.get("active", True)),
    )


def care_team_to_fhir(
    patient_id: int, clinician_ids: list[int], refs: ExportRefs
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "CareTeam",
        "status": "active",
        "name": "Spinewise care team",
        "subject": refs.reference("patient", patient_id),
        "participant": [
            {"member": refs.reference("practitioner", clinician_id)}
            for clinician_id in sorted(clinician_ids)
        ],
    }
    if refs.style == "rest":
        resource = {"resourceType": "CareTeam", "id": str(patient_id), **resource}
    return resource


def care_team_full_url(patient_url: str) -> str:
    return derived_uuid("care-team", patient_url)


def care_team_members(resource: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """(path, reference) of every participant that is a Practitioner."""
    out = []
    for n, participant in enumerate(resource.get("participant") or []):
        member = (participant or {}).get("member") or {}
        reference = member.get("reference")
        if not reference:
            raise InvalidInput(f"{path}.participant[{n}].member", "needs a reference")
        out.append((f"{path}.participant[{n}].member", str(reference)))
    return out
