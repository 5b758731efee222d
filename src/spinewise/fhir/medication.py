"""MedicationRequest and MedicationStatement: medication reminders and the doses taken.

| domain | FHIR |
| --- | --- |
| ``ReminderSchedule`` (kind ``medication``) | ``MedicationRequest``, ``intent`` = plan |
| ``.active`` | ``.status`` active / stopped |
| ``.title`` | ``.medicationCodeableConcept.text`` (free text: no drug coding is recorded) |
| ``.dose``, ``.instructions`` | ``.dosageInstruction[0].text``, ``.patientInstruction`` |
| ``.times`` (local ``HH:MM``) | ``.dosageInstruction[0].timing.repeat.timeOfDay`` |
| ``.every_min`` | ``timing.repeat.frequency`` 1 per ``period`` ``every_min`` ``min`` |
| ``.weekdays`` (0 = Monday) | ``timing.repeat.dayOfWeek`` (omitted when every day) |
| ``.start_date`` / ``.end_date`` | ``timing.repeat.boundsPeriod`` |
| ``.once_at`` | ``timing.event[0]`` |
| ``.as_needed`` | ``.dosageInstruction[0].asNeededBoolean`` |
| ``.created_at`` | ``.authoredOn`` |
| ``ReminderAcknowledgement`` taken / intake (with a medication) | ``MedicationStatement``, ``status`` completed |
| ``.medication`` / ``.at`` / ``.recorded_at`` | ``.medicationCodeableConcept.text`` / ``.effectiveDateTime`` / ``.dateAsserted`` |
| ``.schedule_id`` (a medication schedule) | ``.basedOn`` → the MedicationRequest |
| ``.action`` intake | ``.note[0].text`` (as-needed intake) |

Times of day are local to the patient (``Patient.extension[patient-timezone]``), as the
reminders domain stores them. Exported only. Dosage and Timing: HL7 FHIR R4B §6.1.0.11 (Dosage)
and §2.24.0.10 (Timing), http://hl7.org/fhir/R4B/dosage.html, http://hl7.org/fhir/R4B/datatypes.html#Timing.
"""

from __future__ import annotations

from typing import Any

from spinewise.fhir.refs import ExportRefs, instant
from spinewise.reminders.models import ReminderAcknowledgement, ReminderSchedule

DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
STATEMENT_ACTIONS = ("taken", "intake")


def _time_of_day(value: str) -> str:
    return value if value.count(":") == 2 else f"{value}:00"


def timing(schedule: ReminderSchedule) -> dict[str, Any]:
    repeat: dict[str, Any] = {}
    if schedule.start_date is not None:
        repeat["boundsPeriod"] = {"start": schedule.start_date.isoformat()}
        if schedule.end_date is not None:
            repeat["boundsPeriod"]["end"] = schedule.end_date.isoformat()
    if schedule.times:
        repeat["timeOfDay"] = [_time_of_day(t) for t in schedule.times]
    if schedule.every_min:
        repeat.update(frequency=1, period=schedule.every_min, periodUnit="min")
    days = sorted(set(schedule.weekdays or []))
    if days and days != list(range(7)):
        repeat["dayOfWeek"] = [DAY_CODES[d] for d in days]
    out: dict[str, Any] = {}
    if schedule.once_at is not None:
        out["event"] = [instant(schedule.once_at)]
    if repeat:
        out["repeat"] = repeat
    return out


def request_to_fhir(schedule: ReminderSchedule, refs: ExportRefs) -> dict[str, Any]:
    dosage: dict[str, Any] = {"asNeededBoolean": bool(schedule.as_needed)}
    if schedule.dose:
        dosage["text"] = schedule.dose
    if schedule.instructions:
        dosage["patientInstruction"] = schedule.instructions
    if when := timing(schedule):
        dosage["timing"] = when
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "identifier": refs.identifier("reminder-schedule", schedule.id),
        "status": "active" if schedule.active else "stopped",
        "intent": "plan",
        "medicationCodeableConcept": {"text": schedule.title},
        "subject": refs.reference("patient", schedule.patient_id),
        "authoredOn": instant(schedule.created_at),
        "dosageInstruction": [dosage],
    }
    if (logical := refs.logical("reminder-schedule", schedule.id)) is not None:
        resource = {"resourceType": "MedicationRequest", "id": logical, **resource}
    return resource


def statement_to_fhir(
    ack: ReminderAcknowledgement, refs: ExportRefs, *, based_on_schedule: bool
) -> dict[str, Any]:
    """``based_on_schedule``: the acknowledgement answers a medication schedule still on record
    (so the MedicationRequest it points to is exported too)."""
    resource: dict[str, Any] = {"resourceType": "MedicationStatement"}
    if (logical := refs.logical("reminder-acknowledgement", ack.id)) is not None:
        resource["id"] = logical
    resource["identifier"] = refs.identifier("reminder-acknowledgement", ack.id)
    if based_on_schedule and ack.schedule_id is not None:
        resource["basedOn"] = [refs.reference("reminder-schedule", ack.schedule_id)]
    resource.update(
        {
            "status": "completed",
            "medicationCodeableConcept": {"text": ack.medication},
            "subject": refs.reference("patient", ack.patient_id),
            "effectiveDateTime": instant(ack.at),
            "dateAsserted": instant(ack.recorded_at),
        }
    )
    if ack.action == "intake":
        resource["note"] = [{"text": "As-needed intake (not an answer to a reminder)."}]
    return resource
