"""Patient (account + profile) and Condition (the history flags).

| domain | FHIR |
| --- | --- |
| ``User.email`` | ``Patient.telecom[system=email].value`` |
| ``User.name`` | ``Patient.name[0].text`` |
| ``User.is_active`` | ``Patient.active`` |
| ``Patient.sex`` | ``Patient.gender`` (same four codes) |
| ``Patient.date_of_birth`` | ``Patient.birthDate`` |
| ``Patient.timezone`` | extension ``patient-timezone`` (IANA name) |
| ``Patient.history_notes`` | extension ``history-notes`` |
| each true history flag | one ``Condition`` (Spinewise code, clinicalStatus active) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from spinewise.accounts.models import Patient, Sex, User
from spinewise.core.errors import InvalidInput
from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs, derived_uuid, extension_value, parse_date


@dataclass(frozen=True)
class PatientFields:
    """What a Patient resource says about the account and the profile."""

    email: str
    name: str
    active: bool
    sex: Sex
    date_of_birth: date | None
    timezone: str
    history_notes: str


def fields_of(patient: Patient, user: User) -> PatientFields:
    return PatientFields(
        email=user.email,
        name=user.name,
        active=user.is_active,
        sex=Sex(patient.sex),
        date_of_birth=patient.date_of_birth,
        timezone=patient.timezone,
        history_notes=patient.history_notes,
    )


def to_fhir(patient: Patient, user: User, refs: ExportRefs) -> dict[str, Any]:
    extension = [{"url": codes.TIMEZONE_EXT, "valueString": patient.timezone}]
    if patient.history_notes:
        extension.append({"url": codes.HISTORY_NOTES_EXT, "valueString": patient.history_notes})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": refs.logical("patient", patient.id),
        "extension": extension,
        "identifier": refs.identifier("patient", patient.id),
        "active": user.is_active,
        "telecom": [{"system": "email", "value": user.email}],
        "gender": str(patient.sex),
    }
    if user.name:
        resource["name"] = [{"text": user.name}]
    if patient.date_of_birth is not None:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    return {k: v for k, v in resource.items() if v is not None}


def from_fhir(resource: dict[str, Any], path: str = "Patient") -> PatientFields:
    emails = [
        t.get("value")
        for t in resource.get("telecom") or []
        if isinstance(t, dict) and t.get("system") == "email" and t.get("value")
    ]
    if not emails:
        raise InvalidInput(f"{path}.telecom", "needs an e-mail address (system 'email')")
    names = resource.get("name") or []
    name = ""
    if names:
        first = names[0]
        name = first.get("text") or " ".join(
            [*(first.get("given") or []), first.get("family") or ""]
        )
    gender = resource.get("gender") or "unknown"
    try:
        sex = Sex(gender)
    except ValueError:
        raise InvalidInput(f"{path}.gender", "must be female, male, other or unknown") from None
    birth = resource.get("birthDate")
    return PatientFields(
        email=str(emails[0]),
        name=name.strip(),
        active=bool(resource.get("active", True)),
        sex=sex,
        date_of_birth=parse_date(birth, f"{path}.birthDate") if birth else None,
        timezone=str(extension_value(resource, codes.TIMEZONE_EXT, "valueString") or "UTC"),
        history_notes=str(extension_value(resource, codes.HISTORY_NOTES_EXT, "valueString") or ""),
    )


def conditions_to_fhir(patient: Patient, refs: ExportRefs) -> list[dict[str, Any]]:
    """One Condition per history flag that is set (an unset flag is not a negative finding)."""
    out = []
    for flag, code in codes.HISTORY_FLAGS.items():
        if not getattr(patient, flag):
            continue
        resource: dict[str, Any] = {
            "resourceType": "Condition",
            "clinicalStatus": codes.concept(codes.CONDITION_CLINICAL, "active"),
            "category": [codes.concept(codes.CONDITION_CATEGORY, "problem-list-item")],
            "code": codes.sw(code),
            "subject": refs.reference("patient", patient.id),
        }
        if refs.style == "rest":
            resource = {"resourceType": "Condition", "id": f"{patient.id}-{code}", **resource}
        out.append(resource)
    return out


def condition_full_url(patient_url: str, code: str) -> str:
    return derived_uuid("condition", patient_url, code)


def flag_of_condition(resource: dict[str, Any], path: str) -> str:
    """The history flag a Condition sets; anything else is refused (no free-text conditions)."""
    found = codes.codes_of(resource.get("code"))
    for flag, code in codes.HISTORY_FLAGS.items():
        if (codes.CODE_SYSTEM, code) in found:
            return flag
    raise InvalidInput(
        f"{path}.code", "only the Spinewise history codes are imported (see docs/fhir.md)"
    )
