"""Appointment (consultations), Communication (messages) and DocumentReference (SOAP notes).

| domain | FHIR |
| --- | --- |
| ``Appointment.status`` booked / cancelled | ``Appointment.status`` booked / cancelled |
| ``Appointment.start_at`` / ``end_at`` | ``Appointment.start`` / ``end`` (UTC instants) |
| ``Appointment.kind`` video / phone / in_person | extension ``appointment-kind`` (valueCode) and ``appointmentType.text`` |
| ``Appointment.patient_id`` / ``clinician_id`` | ``participant[].actor`` (Patient / Practitioner, status accepted) |
| ``Appointment.cancel_reason`` | ``cancelationReason.text`` |
| ``Appointment.sequence`` | extension ``appointment-sequence`` |
| ``Appointment.created_at`` | ``Appointment.created`` |
| ``Message`` (+ its thread) | ``Communication``: ``payload[0].contentString`` = body, ``sent``, ``sender``, ``topic.text`` = thread subject, ``subject`` = patient |
| ``ConsultNote`` | ``DocumentReference`` type LOINC 11488-4 "Consult note", SOAP text as a text/plain attachment, ``context.related`` = the appointment |

Appointments are imported; messages and notes are exported only (see docs/fhir.md).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spinewise.consults.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConsultNote,
    Message,
    MessageThread,
)
from spinewise.core.errors import InvalidInput
from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs, extension_value, instant, parse_instant

LOINC_CONSULT_NOTE = "11488-4"


@dataclass(frozen=True)
class AppointmentFields:
    patient_ref: str
    clinician_ref: str
    start_at: datetime
    end_at: datetime
    kind: AppointmentKind
    status: AppointmentStatus
    cancel_reason: str
    sequence: int
    created_at: datetime


def appointment_fields(
    row: Appointment, *, patient_ref: str, clinician_ref: str
) -> AppointmentFields:
    return AppointmentFields(
        patient_ref,
        clinician_ref,
        row.start_at,
        row.end_at,
        AppointmentKind(row.kind),
        AppointmentStatus(row.status),
        row.cancel_reason,
        row.sequence,
        row.created_at,
    )


def appointment_to_fhir(row: Appointment, refs: ExportRefs) -> dict[str, Any]:
    kind = AppointmentKind(row.kind)
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": refs.logical("appointment", row.id),
        "extension": [
            {"url": codes.SERVICE_TYPE_EXT, "valueCode": kind.value},
            {"url": codes.SEQUENCE_EXT, "valueInteger": row.sequence},
        ],
        "identifier": refs.identifier("appointment", row.id),
        "status": AppointmentStatus(row.status).value,
        "appointmentType": {"text": kind.value.replace("_", " ")},
        "start": instant(row.start_at),
        "end": instant(row.end_at),
        "created": instant(row.created_at),
        "participant": [
            {"actor": refs.reference("patient", row.patient_id), "status": "accepted"},
            {"actor": refs.reference("practitioner", row.clinician_id), "status": "accepted"},
        ],
    }
    if row.cancel_reason:
        resource["cancelationReason"] = {"text": row.cancel_reason}
    return {k: v for k, v in resource.items() if v is not None}


def appointment_from_fhir(resource: dict[str, Any], path: str) -> AppointmentFields:
    try:
        status = AppointmentStatus(str(resource.get("status")))
    except ValueError:
        raise InvalidInput(f"{path}.status", "Spinewise stores booked or cancelled") from None
    try:
        kind = AppointmentKind(
            extension_value(resource, codes.SERVICE_TYPE_EXT, "valueCode") or "video"
        )
    except ValueError:
        raise InvalidInput(f"{path}.extension", "kind must be video, phone or in_person") from None
    start = parse_instant(resource.get("start"), f"{path}.start")
    end = parse_instant(resource.get("end"), f"{path}.end")
    if end <= start:
        raise InvalidInput(f"{path}.end", "must be after the start")
    patient_ref = clinician_ref = None
    for n, participant in enumerate(resource.get("participant") or []):
        reference = str(((participant or {}).get("actor") or {}).get("reference") or "")
        if reference.startswith("Practitioner") or "practitioner" in reference:
            clinician_ref = reference
        elif reference:
            # Patient/…, a conditional Patient?identifier=…, or a bundle urn: the service decides.
            if reference.startswith("Patient") or patient_ref is None:
                patient_ref = reference
            else:
                clinician_ref = clinician_ref or reference
        else:
            raise InvalidInput(f"{path}.participant[{n}].actor", "needs a reference")
    if patient_ref is None or clinician_ref is None:
        raise InvalidInput(
            f"{path}.participant", "needs one Patient and one Practitioner participant"
        )
    sequence = extension_value(resource, codes.SEQUENCE_EXT, "valueInteger") or 0
    created = resource.get("created")
    return AppointmentFields(
        patient_ref=patient_ref,
        clinician_ref=clinician_ref,
        start_at=start,
        end_at=end,
        kind=kind,
        status=status,
        cancel_reason=str((resource.get("cancelationReason") or {}).get("text") or ""),
        sequence=int(sequence),
        created_at=parse_instant(created, f"{path}.created") if created else start,
    )


def message_to_fhir(
    message: Message, thread: MessageThread, refs: ExportRefs, sender: dict[str, Any] | None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": refs.logical("message", message.id),
        "identifier": refs.identifier("message", message.id),
        "status": "completed",
        "subject": refs.reference("patient", thread.patient_id),
        "topic": {"text": thread.subject},
        "sent": instant(message.created_at),
        "payload": [{"contentString": message.body}] if message.body else None,
    }
    if sender is not None:
        resource["sender"] = sender
    return {k: v for k, v in resource.items() if v is not None}


def note_text(note: ConsultNote) -> str:
    return "\n\n".join(
        f"{heading}:\n{text}"
        for heading, text in (
            ("Subjective", note.subjective),
            ("Objective", note.objective),
            ("Assessment", note.assessment),
            ("Plan", note.plan),
        )
        if text
    )


def note_to_fhir(note: ConsultNote, refs: ExportRefs) -> dict[str, Any]:
    data = base64.b64encode(note_text(note).encode("utf-8")).decode("ascii")
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": refs.logical("note", note.id),
        "identifier": refs.identifier("note", note.id),
        "status": "current",
        "type": codes.concept(codes.LOINC, LOINC_CONSULT_NOTE, "Consult note"),
        "subject": refs.reference("patient", note.patient_id),
        "date": instant(note.created_at),
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": data,
                    "title": "SOAP note",
                }
            }
        ],
    }
    if note.author_id is not None:
        resource["author"] = [refs.reference("practitioner", note.author_id)]
    if note.appointment_id is not None:
        resource["context"] = {"related": [refs.reference("appointment", note.appointment_id)]}
    return {k: v for k, v in resource.items() if v is not None}
