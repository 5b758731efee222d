"""References and identifiers between mapped resources, and small helpers every mapping uses.

A domain object is named by its *kind* (the table it lives in). Its FHIR logical id is server-
assigned (the local id, prefixed for Observation kinds that share one resource type); its
business identifier survives export and import (see ``fhir.models.FhirIdentifier``).

Two reference styles: ``rest`` (``Patient/12``, for the REST API and bulk export) and ``bundle``
(``urn:uuid:…`` derived from the identifier, for transaction bundles that must import into
another server and export again identically).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from fhir.resources.R4B import get_fhir_model_class

from spinewise.core.errors import InvalidInput

RESOURCE_TYPE: dict[str, str] = {
    "patient": "Patient",
    "practitioner": "Practitioner",
    "device": "Device",
    "posture-minute": "Observation",
    "questionnaire-response": "Observation",
    "pain-diary": "Observation",
    "appointment": "Appointment",
    "programme": "CarePlan",
    "message": "Communication",
    "note": "DocumentReference",
    "reminder-schedule": "MedicationRequest",
    "reminder-acknowledgement": "MedicationStatement",
}
ID_PREFIX = {"posture-minute": "pm-", "questionnaire-response": "qr-", "pain-diary": "pd-"}
KIND_OF_PREFIX = {prefix: kind for kind, prefix in ID_PREFIX.items()}
_UUID_NS = uuid.UUID("5b0f3e52-5d0c-4f4e-9a55-2f6c1f7d9e11")  # Spinewise's uuid5 namespace

Lookup = Callable[[str, int], tuple[str, str] | None]


def logical_id(kind: str, local_id: int) -> str:
    return f"{ID_PREFIX.get(kind, '')}{local_id}"


def parse_logical_id(resource_type: str, value: str) -> tuple[str, int] | None:
    """``("Observation", "pm-12")`` -> ``("posture-minute", 12)``; None when not one of ours."""
    kind: str | None = None
    number = value
    if resource_type == "Observation":
        for prefix, candidate in KIND_OF_PREFIX.items():
            if value.startswith(prefix):
                kind, number = candidate, value.removeprefix(prefix)
                break
    else:
        kind = next((k for k, t in RESOURCE_TYPE.items() if t == resource_type), None)
    if kind is None or not number.isdigit() or len(number) > 18:
        return None
    return kind, int(number)


@dataclass
class ExportRefs:
    """How to name objects in an export: identifiers and references."""

    base_url: str
    style: Literal["rest", "bundle"] = "rest"
    # (kind, local id) -> (system, value) of objects that were imported with an identifier.
    imported: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def system(self, kind: str) -> str:
        return f"{self.base_url.rstrip('/')}/fhir/sid/{kind}"

    def identifier_of(self, kind: str, local_id: int) -> tuple[str, str]:
        return self.imported.get((kind, local_id)) or (self.system(kind), str(local_id))

    def identifier(self, kind: str, local_id: int) -> list[dict[str, Any]]:
        system, value = self.identifier_of(kind, local_id)
        return [{"system": system, "value": value}]

    def full_url(self, kind: str, local_id: int) -> str:
        if self.style == "bundle":
            return bundle_uuid(kind, *self.identifier_of(kind, local_id))
        return f"{RESOURCE_TYPE[kind]}/{logical_id(kind, local_id)}"

    def reference(self, kind: str, local_id: int, display: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"reference": self.full_url(kind, local_id)}
        if display:
            out["display"] = display
        return out

    def logical(self, kind: str, local_id: int) -> str | None:
        """The resource's ``id``: omitted in transaction bundles (the receiver assigns one)."""
        return None if self.style == "bundle" else logical_id(kind, local_id)


def bundle_uuid(kind: str, system: str, value: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_UUID_NS, f"{kind}|{system}|{value}"))


def derived_uuid(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_UUID_NS, "|".join(parts)))


# ---- conversions shared by the mappings ----------------------------------------------------


def instant(value: datetime) -> str:
    """An aware datetime as a FHIR instant in UTC (microseconds kept, so it round-trips)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_instant(value: Any, path: str) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(path, "must be a date-time with a time zone") from None
    else:
        raise InvalidInput(path, "is required")
    if parsed.tzinfo is None:
        raise InvalidInput(path, "needs a time zone")
    return parsed.astimezone(UTC)


def parse_date(value: Any, path: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(path, "must be a full date (YYYY-MM-DD)")


def identifier_pairs(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(i.get("system") or ""), str(i.get("value") or ""))
        for i in resource.get("identifier") or []
        if isinstance(i, dict) and i.get("value")
    ]


def extension_value(resource: dict[str, Any], url: str, key: str) -> Any:
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext.get(key)
    return None


def validate(resource: dict[str, Any]) -> dict[str, Any]:
    """Check a resource against the R4B model and return its canonical JSON form."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return dumped


def drop_none(items: Iterable[dict[str, Any] | None]) -> list[dict[str, Any]]:
    return [item for item in items if item is not None]
