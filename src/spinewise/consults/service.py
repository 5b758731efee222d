"""Consultation use cases: availability, booking, rescheduling, video rooms, notes and messaging.

Services take the session first and everything else keyword-only; they flush, never commit.

Access is one predicate per object, built on ``core.permissions.readable_patient_ids``:

- an appointment is visible to its two participants only: the patient, and the appointment's
  clinician while they are in the patient's care team (``readable_appointments``);
- a message thread is visible to the patient and every clinician of their care team
  (``readable_threads``), and an attachment to whoever sees its thread.

Anything else is ``NotFound`` (404), and every read or write of such an object is audited.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Patient, Role, User
from spinewise.consults import attachments as files
from spinewise.consults import room, scheduling
from spinewise.consults.calendar_file import CalendarEntry, to_ics
from spinewise.consults.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AvailabilityRule,
    ClinicianCalendar,
    ConsultNote,
    Message,
    MessageAttachment,
    MessageThread,
    ThreadReadState,
)
from spinewise.consults.scheduling import Interval, WeeklyRule
from spinewise.consults.schemas import (
    AppointmentRead,
    AttachmentRead,
    MessageRead,
    PartyTime,
    ThreadSummary,
)
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from spinewise.core.mail import Mailer
from spinewise.core.permissions import get_patient, readable_patient_ids
from spinewise.db import utcnow

DEFAULT_TIMEZONE = "UTC"
MAX_SLOT_DAYS = 60
NOTICE_SUBJECT = "You have a new message in Spinewise"


# --- calendars and availability ---------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    clinician_id: int
    timezone: str
    slot_min: int
    rules: list[WeeklyRule]


def availability_of(session: Session, *, clinician_id: int) -> Availability:
    """A clinician's time zone, slot length and weekly rules (UTC and no rules if never set)."""
    calendar = session.scalar(
        select(ClinicianCalendar).where(ClinicianCalendar.clinician_id == clinician_id)
    )
    rows = session.scalars(
        select(AvailabilityRule)
        .where(AvailabilityRule.clinician_id == clinician_id)
        .order_by(AvailabilityRule.weekday, AvailabilityRule.start_local)
    )
    return Availability(
        clinician_id=clinician_id,
        timezone=calendar.timezone if calendar else DEFAULT_TIMEZONE,
        slot_min=calendar.slot_min if calendar else 30,
        rules=[WeeklyRule(r.weekday, r.start_local, r.end_local) for r in rows],
    )


def set_availability(
    session: Session,
    *,
    clinician: User,
    timezone: str,
    slot_min: int,
    rules: Sequence[WeeklyRule],
) -> Availability:
    """Replace a clinician's weekly availability (rules are in ``timezone``, their own zone).

    Existing appointments are kept even when they now fall outside the new hours.
    """
    if clinician.role != Role.clinician:
        raise Forbidden("clinicians only")
    scheduling.zone(timezone)
    if not scheduling.MIN_DURATION_MIN <= slot_min <= scheduling.MAX_DURATION_MIN:
        raise InvalidInput("slot_min", "must be between 5 and 240 minutes")
    ordered = sorted(rules, key=lambda r: (r.weekday, r.start))
    for before, after in itertools.pairwise(ordered):
        if before.weekday == after.weekday and after.start < before.end:
            day = scheduling.WEEKDAYS[after.weekday]
            raise InvalidInput("rules", f"two {day} periods overlap")
    calendar = session.scalar(
        select(ClinicianCalendar).where(ClinicianCalendar.clinician_id == clinician.id)
    )
    if calendar is None:
        calendar = ClinicianCalendar(clinician_id=clinician.id)
        session.add(calendar)
    calendar.timezone = timezone
    calendar.slot_min = slot_min
    for old in session.scalars(
        select(AvailabilityRule).where(AvailabilityRule.clinician_id == clinician.id)
    ):
        session.delete(old)
    session.flush()
    for rule in ordered:
        session.add(
            AvailabilityRule(
                clinician_id=clinician.id,
                weekday=rule.weekday,
                start_local=rule.start,
                end_local=rule.end,
            )
        )
    session.flush()
    return availability_of(session, clinician_id=clinician.id)


def clinician_timezone(session: Session, *, clinician_id: int) -> str:
    value = session.scalar(
        select(ClinicianCalendar.timezone).where(ClinicianCalendar.clinician_id == clinician_id)
    )
    return value or DEFAULT_TIMEZONE


# --- the access predicate ---------------------------------------------------------------------


def readable_appointments(user: User) -> Select[Appointment]:
    """Appointments ``user`` takes part in: their own as a patient, or theirs as the clinician
    while the patient is still in their care team. Admins see none."""
    query = select(Appointment)
    if not user.is_active:
        return query.where(false())
    in_care = Appointment.patient_id.in_(readable_patient_ids(user))
    if user.role == Role.patient:
        return query.where(in_care)
    if user.role == Role.clinician:
        return query.where(in_care, Appointment.clinician_id == user.id)
    return query.where(false())


def get_readable_appointment(
    session: Session,
    *,
    actor: Actor,
    appointment_id: int,
    resource: str = "appointment",
    action: str = "read",
    detail: str = "",
) -> Appointment:
    """The appointment if ``actor`` is one of its participants (audited), else ``NotFound``."""
    if actor.user is None:
        raise NotFound("appointment not found")
    appointment = session.scalar(
        readable_appointments(actor.user).where(Appointment.id == appointment_id)
    )
    if appointment is None:
        raise NotFound("appointment not found")
    audit.record(
        session,
        actor=actor,
        patient_id=appointment.patient_id,
        resource=resource,
        action=action,
        detail=detail or f"appointment {appointment.id}",
    )
    return appointment


# --- booking ----------------------------------------------------------------------------------


def _patient_of_user(session: Session, user: User) -> Patient:
    patient = session.scalar(select(Patient).where(Patient.user_id == user.id))
    if patient is None:
        raise NotFound("patient not found")
    return patient


def _lock_parties(session: Session, *, clinician_id: int, patient_id: int) -> None:
    """Serialise bookings per clinician and per patient (row locks on PostgreSQL; SQLite
    already runs one writer at a time). Always clinician first, so two bookings cannot
    deadlock."""
    session.execute(select(User.id).where(User.id == clinician_id).with_for_update())
    session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


def _busy(
    session: Session,
    *,
    clinician_id: int | None = None,
    patient_id: int | None = None,
    start: datetime,
    end: datetime,
    except_id: int | None = None,
) -> list[Interval]:
    """Booked (not cancelled) appointments of a clinician or a patient overlapping a span."""
    query = select(Appointment.start_at, Appointment.end_at).where(
        Appointment.status == AppointmentStatus.booked,
        Appointment.start_at < end,
        Appointment.end_at > start,
    )
    if clinician_id is not None:
        query = query.where(Appointment.clinician_id == clinician_id)
    if patient_id is not None:
        query = query.where(Appointment.patient_id == patient_id)
    if except_id is not None:
        query = query.where(Appointment.id != except_id)
    return [Interval(s, e) for s, e in session.execute(query)]


def _check_free(
    session: Session,
    *,
    clinician_id: int,
    patient_id: int,
    slot: Interval,
    except_id: int | None = None,
) -> None:
    """No double booking: neither the clinician nor the patient may already be booked then."""
    _lock_parties(session, clinician_id=clinician_id, patient_id=patient_id)
    start, end = slot.start, slot.end
    if _busy(session, clinician_id=clinician_id, start=start, end=end, except_id=except_id):
        raise Conflict("the clinician already has an appointment at that time")
    if _busy(session, patient_id=patient_id, start=start, end=end, except_id=except_id):
        raise Conflict("the patient already has an appointment at that time")


def _check_patient_slot(session: Session, *, clinician_id: int, slot: Interval) -> None:
    """A patient may only take a slot of the clinician's weekly hours (whether it is still
    free is ``_check_free``'s question, answered with a ``Conflict``)."""
    calendar = availability_of(session, clinician_id=clinician_id)
    if not scheduling.is_bookable_slot(
        calendar.rules, timezone=calendar.timezone, busy=[], slot=slot, step_min=calendar.slot_min
    ):
        raise InvalidInput("start", "is not one of the clinician's free slots; pick a listed slot")


def _check_future(slot: Interval, now: datetime) -> None:
    if slot.start < now:
        raise InvalidInput("start", "is in the past")


def book_appointment(
    session: Session,
    *,
    actor: Actor,
    start: datetime,
    duration_min: int,
    kind: AppointmentKind | str,
    patient_id: int | None = None,
    clinician_id: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book a consultation.

    A clinician books any patient of their care team at any future time that is free for both.
    A patient books one of the free slots of a clinician in their own care team.
    """
    user = actor.user
    if user is None:
        raise NotFound("patient not found")
    now = now or utcnow()
    slot = scheduling.appointment_interval(start, duration_min)
    try:
        kind = AppointmentKind(kind)
    except ValueError:
        raise InvalidInput("kind", "must be video, phone or in_person") from None
    _check_future(slot, now)
    if user.role == Role.clinician:
        if patient_id is None:
            raise InvalidInput("patient_id", "is required")
        if clinician_id not in (None, user.id):
            raise InvalidInput("clinician_id", "a clinician books their own appointments")
        patient = get_patient(
            session, actor=actor, patient_id=patient_id, resource="appointment", action="write"
        )
        clinician_id = user.id
    elif user.role == Role.patient:
        patient = _patient_of_user(session, user)
        if patient_id not in (None, patient.id):
            raise NotFound("patient not found")
        if clinician_id is None:
            raise InvalidInput("clinician_id", "is required")
        if not _in_care_team(session, clinician_id=clinician_id, patient_id=patient.id):
            raise NotFound("clinician not found")
        _check_patient_slot(session, clinician_id=clinician_id, slot=slot)
    else:
        raise Forbidden("only clinicians and patients book appointments")
    _check_free(session, clinician_id=clinician_id, patient_id=patient.id, slot=slot)
    appointment = Appointment(
        patient_id=patient.id,
        clinician_id=clinician_id,
        start_at=slot.start,
        end_at=slot.end,
        kind=kind,
        booked_by_id=user.id,
        updated_at=now,
    )
    session.add(appointment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="appointment",
        action="create",
        detail=f"appointment {appointment.id}",
    )
    return appointment


def _in_care_team(session: Session, *, clinician_id: int, patient_id: int) -> bool:
    return (
        session.scalar(
            select(CareTeamMember.id).where(
                CareTeamMember.clinician_id == clinician_id,
                CareTeamMember.patient_id == patient_id,
            )
        )
        is not None
    )


def reschedule_appointment(
    session: Session,
    *,
    actor: Actor,
    appointment: Appointment,
    start: datetime,
    duration_min: int | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move a booked appointment (fetched through ``get_readable_appointment``); a patient may
    only move it to one of the clinician's slots."""
    if appointment.status == AppointmentStatus.cancelled:
        raise Conflict("a cancelled appointment cannot be moved; book a new one")
    now = now or utcnow()
    slot = scheduling.appointment_interval(start, duration_min or appointment.duration_min)
    _check_future(slot, now)
    assert actor.user is not None
    if actor.user.role == Role.patient:
        _check_patient_slot(session, clinician_id=appointment.clinician_id, slot=slot)
    _check_free(
        session,
        clinician_id=appointment.clinician_id,
        patient_id=appointment.patient_id,
        slot=slot,
        except_id=appointment.id,
    )
    appointment.start_at, appointment.end_at = slot.start, slot.end
    appointment.sequence += 1
    appointment.updated_at = now
    session.flush()
    _audit_appointment(session, actor, appointment, "reschedule")
    return appointment


def _audit_appointment(
    session: Session, actor: Actor, appointment: Appointment, action: str
) -> None:
    audit.record(
        session,
        actor=actor,
        patient_id=appointment.patient_id,
        resource="appointment",
        action=action,
        detail=f"appointment {appointment.id}",
    )


def cancel_appointment(
    session: Session, *, actor: Actor, appointment: Appointment, reason: str = ""
) -> Appointment:
    """Cancel an appointment fetched through ``get_readable_appointment`` (idempotent)."""
    if appointment.status != AppointmentStatus.cancelled:
        appointment.status = AppointmentStatus.cancelled
        appointment.cancel_reason = reason.strip()[:500]
        appointment.sequence += 1
        appointment.updated_at = utcnow()
        session.flush()
        _audit_appointment(session, actor, appointment, "cancel")
    return appointment


def list_appointments(
    session: Session,
    *,
    actor: Actor,
    start: datetime | None = None,
    end: datetime | None = None,
    include_cancelled: bool = True,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[Appointment], int]:
    """The actor's own appointments in time order (each listed one audited)."""
    assert actor.user is not None
    query = readable_appointments(actor.user)
    if start is not None:
        query = query.where(Appointment.end_at > scheduling.require_aware(start, "from"))
    if end is not None:
        query = query.where(Appointment.start_at < scheduling.require_aware(end, "to"))
    if not include_cancelled:
        query = query.where(Appointment.status == AppointmentStatus.booked)
    total = session.scalar(query.with_only_columns(func.count(Appointment.id))) or 0
    rows = list(
        session.scalars(
            query.order_by(Appointment.start_at, Appointment.id).offset(offset).limit(limit)
        )
    )
    for appointment in rows:
        audit.record(
            session,
            actor=actor,
            patient_id=appointment.patient_id,
            resource="appointment",
            action="list",
            detail=f"appointment {appointment.id}",
        )
    return rows, total


def free_slots(
    session: Session,
    *,
    actor: Actor,
    clinician_id: int,
    start: datetime,
    days: int = 14,
    duration_min: int | None = None,
    now: datetime | None = None,
) -> tuple[Availability, int, list[datetime]]:
    """Free slots of a clinician for the actor: the clinician themself, or a patient of theirs.

    For a patient, times when the patient is already booked are not offered either.
    """
    user = actor.user
    if user is None:
        raise NotFound("clinician not found")
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise InvalidInput("days", f"must be between 1 and {MAX_SLOT_DAYS}")
    patient: Patient | None = None
    if user.role == Role.patient:
        patient = _patient_of_user(session, user)
        if not _in_care_team(session, clinician_id=clinician_id, patient_id=patient.id):
            raise NotFound("clinician not found")
    elif not (user.role == Role.clinician and user.id == clinician_id):
        raise NotFound("clinician not found")
    calendar = availability_of(session, clinician_id=clinician_id)
    length = duration_min or calendar.slot_min
    begin = max(scheduling.require_aware(start, "from"), now or utcnow())
    finish = begin + timedelta(days=days)
    busy = _busy(session, clinician_id=clinician_id, start=begin, end=finish)
    if patient is not None:
        busy += _busy(session, patient_id=patient.id, start=begin, end=finish)
    slots = scheduling.free_slots(
        calendar.rules,
        timezone=calendar.timezone,
        busy=busy,
        start=begin,
        end=finish,
        duration_min=length,
        step_min=calendar.slot_min,
    )
    return calendar, length, slots


def bookable_clinicians(session: Session, *, patient_id: int) -> list[User]:
    """The care team of a patient, who the patient can book with."""
    query = (
        select(User)
        .join(CareTeamMember, CareTeamMember.clinician_id == User.id)
        .where(CareTeamMember.patient_id == patient_id, User.is_active.is_(True))
        .order_by(User.name)
    )
    return list(session.scalars(query))


# --- how an appointment reads ----------------------------------------------------------------


def describe_appointments(
    session: Session, appointments: Sequence[Appointment], *, base_url: str
) -> list[AppointmentRead]:
    """Appointments with names, links and each party's local times (no further audit: the
    caller fetched them through the access predicate, which audited)."""
    if not appointments:
        return []
    patient_ids = {a.patient_id for a in appointments}
    clinician_ids = {a.clinician_id for a in appointments}
    patients = {
        p.id: (p, u)
        for p, u in session.execute(
            select(Patient, User)
            .join(User, User.id == Patient.user_id)
            .where(Patient.id.in_(patient_ids))
        )
    }
    clinicians = {u.id: u for u in session.scalars(select(User).where(User.id.in_(clinician_ids)))}
    zones = dict(
        session.execute(
            select(ClinicianCalendar.clinician_id, ClinicianCalendar.timezone).where(
                ClinicianCalendar.clinician_id.in_(clinician_ids)
            )
        ).all()
    )
    base = base_url.rstrip("/")
    result = []
    for a in appointments:
        patient, patient_user = patients[a.patient_id]
        clinician = clinicians[a.clinician_id]
        window = room.room_window(a.start_at, a.end_at)
        result.append(
            AppointmentRead(
                id=a.id,
                patient_id=a.patient_id,
                patient_name=patient_user.name or patient_user.email,
                clinician_id=a.clinician_id,
                clinician_name=clinician.name or clinician.email,
                start=a.start_at,
                end=a.end_at,
                duration_min=a.duration_min,
                kind=a.kind,
                status=a.status,
                join_url=f"{base}{call_path(a.id)}" if a.kind == AppointmentKind.video else None,
                ics_url=f"{base}/api/v1/appointments/{a.id}.ics",
                room_opens_at=window.opens_at,
                room_closes_at=window.closes_at,
                patient_time=party_time(a, patient.timezone),
                clinician_time=party_time(a, zones.get(a.clinician_id, DEFAULT_TIMEZONE)),
            )
        )
    return result


def call_path(appointment_id: int) -> str:
    return f"/appointments/{appointment_id}/call"


def party_time(appointment: Appointment, timezone: str) -> PartyTime:
    tz = scheduling.zone(timezone)
    return PartyTime(
        timezone=timezone,
        start=appointment.start_at.astimezone(tz),
        end=appointment.end_at.astimezone(tz),
        label=scheduling.format_local(appointment.start_at, timezone),
    )


def appointment_ics(
    session: Session, *, appointment: Appointment, base_url: str
) -> tuple[str, bytes]:
    """The iCalendar file of an appointment fetched through ``get_readable_appointment``:
    (file name, bytes)."""
    [view] = describe_appointments(session, [appointment], base_url=base_url)
    clinician = session.get(User, appointment.clinician_id)
    assert clinician is not None
    kind = {"video": "Video", "phone": "Phone", "in_person": "In-person"}[str(appointment.kind)]
    lines = [f"{kind} consultation with {view.clinician_name} and {view.patient_name}."]
    if view.join_url:
        lines.append(f"Join from Spinewise: {view.join_url}")
    host = urlparse(base_url).hostname or "spinewise"
    entry = CalendarEntry(
        uid=f"appointment-{appointment.id}@{host}",
        start=appointment.start_at,
        end=appointment.end_at,
        summary=f"Spinewise {kind.lower()} consultation",
        description="\n".join(lines),
        url=view.join_url or "",
        location=view.join_url or ("Telephone" if kind == "Phone" else ""),
        organizer_name=clinician.name,
        organizer_email=clinician.email,
        cancelled=appointment.status == AppointmentStatus.cancelled,
        sequence=appointment.sequence,
        stamp=appointment.updated_at,
    )
    return f"spinewise-appointment-{appointment.id}.ics", to_ics(entry)


# --- video rooms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomTicket:
    """What the signalling relay needs to know about one participant's connection."""

    appointment_id: int
    patient_id: int
    user_id: int
    role: str  # "clinician" or "patient"
    opens_at: datetime
    closes_at: datetime


def open_room(
    session: Session, *, actor: Actor, appointment_id: int, now: datetime | None = None
) -> RoomTicket:
    """Admit a participant to the video room of an appointment (audited as ``join``).

    ``NotFound`` for anyone who is not a participant (or for a cancelled or non-video
    appointment); ``Conflict`` outside the room's opening window.
    """
    appointment = get_readable_appointment(
        session, actor=actor, appointment_id=appointment_id, resource="video_room", action="join"
    )
    if appointment.status != AppointmentStatus.booked:
        raise NotFound("this appointment was cancelled")
    if appointment.kind != AppointmentKind.video:
        raise NotFound("this appointment has no video room")
    window = room.room_window(appointment.start_at, appointment.end_at)
    state = window.state(now or utcnow())
    if state != "open":
        when = "opens at" if state == "early" else "closed at"
        instant = window.opens_at if state == "early" else window.closes_at
        raise Conflict(f"the video room {when} {instant:%Y-%m-%d %H:%M} UTC")
    assert actor.user is not None
    return RoomTicket(
        appointment_id=appointment.id,
        patient_id=appointment.patient_id,
        user_id=actor.user.id,
        role=str(actor.user.role),
        opens_at=window.opens_at,
        closes_at=window.closes_at,
    )


# --- consultation notes (SOAP) ----------------------------------------------------------------


def add_note(
    session: Session,
    *,
    actor: Actor,
    appointment: Appointment,
    subjective: str = "",
    objective: str = "",
    assessment: str = "",
    plan: str = "",
) -> ConsultNote:
    """Save a SOAP note to the patient's record (audited); only the appointment's clinician
    writes one. ``appointment`` comes from ``get_readable_appointment``."""
    assert actor.user is not None
    if actor.user.id != appointment.clinician_id:
        raise Forbidden("only the clinician of this appointment writes its note")
    sections = [s.strip() for s in (subjective, objective, assessment, plan)]
    if not any(sections):
        raise InvalidInput("note", "write at least one of subjective, objective, assessment, plan")
    note = ConsultNote(
        patient_id=appointment.patient_id,
        appointment_id=appointment.id,
        author_id=actor.user.id,
        subjective=sections[0],
        objective=sections[1],
        assessment=sections[2],
        plan=sections[3],
    )
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=appointment.patient_id,
        resource="consult_note",
        action="create",
        detail=f"note {note.id} appointment {appointment.id}",
    )
    return note


def notes_of_appointment(session: Session, *, appointment: Appointment) -> list[ConsultNote]:
    """Notes of an appointment the caller already fetched through ``get_readable_appointment``."""
    query = (
        select(ConsultNote)
        .where(ConsultNote.appointment_id == appointment.id)
        .order_by(ConsultNote.created_at.desc(), ConsultNote.id.desc())
    )
    return list(session.scalars(query))


def notes_of_patient(session: Session, *, patient: Patient, limit: int = 100) -> list[ConsultNote]:
    """Notes of a patient the caller already fetched through ``CurrentPatient``."""
    query = (
        select(ConsultNote)
        .where(ConsultNote.patient_id == patient.id)
        .order_by(ConsultNote.created_at.desc(), ConsultNote.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


# --- secure messaging ------------------------------------------------------------------------


def readable_threads(user: User) -> Select[MessageThread]:
    """Threads of the patients ``user`` may see: their own, or their care team's patients."""
    return select(MessageThread).where(MessageThread.patient_id.in_(readable_patient_ids(user)))


def get_readable_thread(
    session: Session,
    *,
    actor: Actor,
    thread_id: int,
    resource: str = "message_thread",
    action: str = "read",
) -> MessageThread:
    """The thread if ``actor`` may read it (audited), else ``NotFound``."""
    if actor.user is None:
        raise NotFound("thread not found")
    thread = session.scalar(readable_threads(actor.user).where(MessageThread.id == thread_id))
    if thread is None:
        raise NotFound("thread not found")
    audit.record(
        session,
        actor=actor,
        patient_id=thread.patient_id,
        resource=resource,
        action=action,
        detail=f"thread {thread.id}",
    )
    return thread


@dataclass(frozen=True)
class Upload:
    """A file as received: its name as the sender gave it and its bytes in chunks."""

    filename: str
    chunks: Iterable[bytes]


def start_thread(
    session: Session,
    *,
    actor: Actor,
    subject: str,
    body: str,
    patient_id: int | None = None,
    uploads: Sequence[Upload] = (),
    data_dir: Path,
    max_bytes: int,
) -> tuple[MessageThread, Message]:
    """Open a conversation between a patient and their care team with its first message.

    Everything is checked (and attachments stored) before any row is written, so a refusal
    leaves neither an empty thread nor a stray file.
    """
    user = actor.user
    if user is None:
        raise NotFound("patient not found")
    if user.role == Role.patient:
        own = _patient_of_user(session, user)
        if patient_id not in (None, own.id):
            raise NotFound("patient not found")
        patient_id = own.id
    elif patient_id is None:
        raise InvalidInput("patient_id", "is required")
    patient = get_patient(
        session, actor=actor, patient_id=patient_id, resource="message_thread", action="create"
    )
    subject = " ".join(subject.split())
    if not subject:
        raise InvalidInput("subject", "is required")
    body = _checked_body(body, uploads)
    stored = _store_uploads(uploads, data_dir=data_dir, max_bytes=max_bytes)
    try:
        thread = MessageThread(patient_id=patient.id, subject=subject[:200], created_by_id=user.id)
        session.add(thread)
        session.flush()
        message = _add_message(session, actor=actor, thread=thread, body=body, stored=stored)
    except BaseException:
        _remove_stored(stored, data_dir)
        raise
    return thread, message


def post_message(
    session: Session,
    *,
    actor: Actor,
    thread: MessageThread,
    body: str,
    uploads: Sequence[Upload] = (),
    data_dir: Path,
    max_bytes: int,
) -> Message:
    """Reply in a thread fetched through ``get_readable_thread`` (attachments checked and
    stored before any row is written)."""
    body = _checked_body(body, uploads)
    stored = _store_uploads(uploads, data_dir=data_dir, max_bytes=max_bytes)
    try:
        message = _add_message(session, actor=actor, thread=thread, body=body, stored=stored)
    except BaseException:
        _remove_stored(stored, data_dir)
        raise
    return message


MAX_BODY_CHARS = 10_000
MAX_ATTACHMENTS = 5


def _checked_body(body: str, uploads: Sequence[Upload]) -> str:
    body = body.strip()
    if not body and not uploads:
        raise InvalidInput("body", "write a message or attach a file")
    if len(body) > MAX_BODY_CHARS:
        raise InvalidInput("body", f"is longer than {MAX_BODY_CHARS} characters")
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput("files", f"at most {MAX_ATTACHMENTS} attachments per message")
    return body


def _store_uploads(
    uploads: Sequence[Upload], *, data_dir: Path, max_bytes: int
) -> list[tuple[str, files.StoredFile]]:
    """Check and write every file; if one is refused, none is kept."""
    stored: list[tuple[str, files.StoredFile]] = []
    try:
        for upload in uploads:
            saved = files.store(upload.chunks, data_dir=data_dir, max_bytes=max_bytes)
            stored.append((files.safe_filename(upload.filename, saved.content_type), saved))
    except BaseException:
        _remove_stored(stored, data_dir)
        raise
    return stored


def _remove_stored(stored: Sequence[tuple[str, files.StoredFile]], data_dir: Path) -> None:
    for _, saved in stored:
        files.remove(data_dir, saved.key)


def _add_message(
    session: Session,
    *,
    actor: Actor,
    thread: MessageThread,
    body: str,
    stored: Sequence[tuple[str, files.StoredFile]],
) -> Message:
    assert actor.user is not None
    now = utcnow()
    message = Message(thread_id=thread.id, sender_id=actor.user.id, body=body, created_at=now)
    session.add(message)
    session.flush()
    for name, saved in stored:
        session.add(
            MessageAttachment(
                message_id=message.id,
                filename=name,
                content_type=saved.content_type,
                size_bytes=saved.size_bytes,
                sha256=saved.sha256,
                storage_key=saved.key,
            )
        )
    thread.last_message_at = now
    session.flush()
    _mark_read_up_to(session, user_id=actor.user.id, thread_id=thread.id, message_id=message.id)
    audit.record(
        session,
        actor=actor,
        patient_id=thread.patient_id,
        resource="message",
        action="create",
        detail=f"thread {thread.id} message {message.id} attachments {len(stored)}",
    )
    return message


def _mark_read_up_to(session: Session, *, user_id: int, thread_id: int, message_id: int) -> None:
    state = session.scalar(
        select(ThreadReadState).where(
            ThreadReadState.thread_id == thread_id, ThreadReadState.user_id == user_id
        )
    )
    if state is None:
        session.add(
            ThreadReadState(thread_id=thread_id, user_id=user_id, last_read_message_id=message_id)
        )
    elif message_id > state.last_read_message_id:
        state.last_read_message_id = message_id
        state.read_at = utcnow()
    session.flush()


def mark_thread_read(session: Session, *, user: User, thread: MessageThread) -> None:
    """Everything in the thread up to now counts as read by ``user``."""
    newest = session.scalar(select(func.max(Message.id)).where(Message.thread_id == thread.id))
    if newest is not None:
        _mark_read_up_to(session, user_id=user.id, thread_id=thread.id, message_id=newest)


def _unread_query(user: User) -> Select[int, int]:
    """(thread id, unread count) for ``user``: messages from others after their read mark."""
    read = ThreadReadState
    return (
        select(Message.thread_id, func.count(Message.id))
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .outerjoin(read, and_(read.thread_id == Message.thread_id, read.user_id == user.id))
        .where(
            MessageThread.patient_id.in_(readable_patient_ids(user)),
            or_(Message.sender_id.is_(None), Message.sender_id != user.id),
            Message.id > func.coalesce(read.last_read_message_id, 0),
        )
        .group_by(Message.thread_id)
    )


def unread_by_thread(session: Session, *, user: User) -> dict[int, int]:
    return {thread_id: n for thread_id, n in session.execute(_unread_query(user))}


def unread_by_patient(session: Session, user: User, patient_ids: list[int]) -> dict[int, int]:
    """Unread messages for ``user`` per patient (the dashboard's "messages need attention")."""
    if not patient_ids:
        return {}
    query = (
        _unread_query(user)
        .with_only_columns(MessageThread.patient_id, func.count(Message.id))
        .where(MessageThread.patient_id.in_(patient_ids))
        .group_by(None)
        .group_by(MessageThread.patient_id)
    )
    return {patient_id: n for patient_id, n in session.execute(query)}


def unread_total(session: Session, *, user: User) -> int:
    """Unread messages across all of ``user``'s threads (a count, no health data: not audited)."""
    return sum(unread_by_thread(session, user=user).values())


def list_threads(
    session: Session, *, actor: Actor, offset: int = 0, limit: int = 50
) -> tuple[list[ThreadSummary], int]:
    """The actor's threads, newest activity first, with unread counts (each listed one audited)."""
    assert actor.user is not None
    query = readable_threads(actor.user)
    total = session.scalar(query.with_only_columns(func.count(MessageThread.id))) or 0
    rows = session.execute(
        query.join(Patient, Patient.id == MessageThread.patient_id)
        .join(User, User.id == Patient.user_id)
        .add_columns(User.name, User.email)
        .order_by(MessageThread.last_message_at.desc(), MessageThread.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    unread = unread_by_thread(session, user=actor.user)
    items = []
    for thread, name, email in rows:
        audit.record(
            session,
            actor=actor,
            patient_id=thread.patient_id,
            resource="message_thread",
            action="list",
            detail=f"thread {thread.id}",
        )
        items.append(
            ThreadSummary(
                id=thread.id,
                patient_id=thread.patient_id,
                patient_name=name or email,
                subject=thread.subject,
                last_message_at=thread.last_message_at,
                unread=unread.get(thread.id, 0),
            )
        )
    return items, total


def thread_summary(session: Session, *, user: User, thread: MessageThread) -> ThreadSummary:
    patient_user = session.scalar(
        select(User)
        .join(Patient, Patient.user_id == User.id)
        .where(Patient.id == thread.patient_id)
    )
    assert patient_user is not None
    return ThreadSummary(
        id=thread.id,
        patient_id=thread.patient_id,
        patient_name=patient_user.name or patient_user.email,
        subject=thread.subject,
        last_message_at=thread.last_message_at,
        unread=unread_by_thread(session, user=user).get(thread.id, 0),
    )


def thread_messages(session: Session, *, thread: MessageThread) -> list[MessageRead]:
    """Messages of a thread the caller already fetched through ``get_readable_thread``."""
    messages = list(
        session.scalars(select(Message).where(Message.thread_id == thread.id).order_by(Message.id))
    )
    ids = [m.id for m in messages]
    by_message: dict[int, list[AttachmentRead]] = {}
    for a in session.scalars(
        select(MessageAttachment)
        .where(MessageAttachment.message_id.in_(ids))
        .order_by(MessageAttachment.id)
    ):
        by_message.setdefault(a.message_id, []).append(
            AttachmentRead(
                id=a.id,
                filename=a.filename,
                content_type=a.content_type,
                size_bytes=a.size_bytes,
                url=f"/api/v1/attachments/{a.id}",
            )
        )
    senders = {m.sender_id for m in messages if m.sender_id is not None}
    names = {
        u.id: u.name or u.email for u in session.scalars(select(User).where(User.id.in_(senders)))
    }
    return [
        MessageRead(
            id=m.id,
            sender_id=m.sender_id,
            sender_name=names.get(m.sender_id, "former user") if m.sender_id else "former user",
            body=m.body,
            created_at=m.created_at,
            attachments=by_message.get(m.id, []),
        )
        for m in messages
    ]


def get_readable_attachment(
    session: Session, *, actor: Actor, attachment_id: int, data_dir: Path
) -> tuple[MessageAttachment, Path]:
    """An attachment of a thread the actor may read, and where its bytes are (audited)."""
    if actor.user is None:
        raise NotFound("attachment not found")
    row = session.execute(
        select(MessageAttachment, MessageThread.patient_id)
        .join(Message, Message.id == MessageAttachment.message_id)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(
            MessageAttachment.id == attachment_id,
            MessageThread.patient_id.in_(readable_patient_ids(actor.user)),
        )
    ).first()
    if row is None:
        raise NotFound("attachment not found")
    attachment, patient_id = row
    path = files.path_for(data_dir, attachment.storage_key)
    if not path.is_file():
        raise NotFound("attachment not found")
    audit.record(
        session,
        actor=actor,
        patient_id=patient_id,
        resource="message_attachment",
        action="read",
        detail=f"attachment {attachment.id}",
    )
    return attachment, path


def notice_recipients(session: Session, *, thread: MessageThread, sender: User) -> list[str]:
    """Who is told about a new message: the patient when a clinician writes, the care team
    when the patient writes. Never the sender."""
    if sender.role == Role.patient:
        query = (
            select(User.email)
            .join(CareTeamMember, CareTeamMember.clinician_id == User.id)
            .where(CareTeamMember.patient_id == thread.patient_id, User.is_active.is_(True))
        )
    else:
        query = (
            select(User.email)
            .join(Patient, Patient.user_id == User.id)
            .where(Patient.id == thread.patient_id, User.is_active.is_(True))
        )
    return sorted(email for email in session.scalars(query) if email != sender.email)


def send_message_notices(mailer: Mailer, *, emails: Sequence[str]) -> None:
    """E-mail that a message is waiting, with no sender, subject or health detail in it."""
    link = f"{mailer.settings.base_url.rstrip('/')}/messages"
    for email in emails:
        mailer.send(
            to=email,
            subject=NOTICE_SUBJECT,
            body=(
                "You have a new message in Spinewise.\n\n"
                f"Sign in to read it: {link}\n\n"
                "For your privacy this e-mail does not say who wrote or what it is about.\n"
            ),
        )


# --- demo data --------------------------------------------------------------------------------


def seed_consults(
    session: Session,
    *,
    clinician_email: str,
    patient_emails: Sequence[str],
    now: datetime | None = None,
) -> None:
    """Demo availability, a video appointment whose room is open now, a later phone call and a
    message thread. Safe to run again: nothing is duplicated."""
    now = now or utcnow()
    clinician = session.scalar(select(User).where(User.email == clinician_email))
    if clinician is None:
        return
    patients = []
    for email in patient_emails:
        row = session.execute(
            select(Patient, User).join(User, User.id == Patient.user_id).where(User.email == email)
        ).first()
        if row is not None:
            patients.append((row[0], row[1]))
    if not patients:
        return
    weekdays = [WeeklyRule(d, time(9, 0), time(17, 0)) for d in range(5)]
    set_availability(
        session, clinician=clinician, timezone="Europe/London", slot_min=30, rules=weekdays
    )
    actor = Actor(clinician, client_addr="demo")
    # The first patient's video consultation starts at the next whole minute, so its room is
    # open right away (rooms open 15 minutes before the start) and for the next hour or so.
    first_patient, _ = patients[0]
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    _seed_appointment(
        session, actor=actor, patient=first_patient, start=start, kind="video", now=now
    )
    if len(patients) > 1:
        second_patient, _ = patients[1]
        later = (now + timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
        _seed_appointment(
            session, actor=actor, patient=second_patient, start=later, kind="phone", now=now
        )
    if len(patients) > 2:
        third_patient, third_user = patients[2]
        exists = session.scalar(
            select(MessageThread.id).where(
                MessageThread.patient_id == third_patient.id,
                MessageThread.subject == "Your exercises after surgery",
            )
        )
        if exists is None:
            thread = MessageThread(
                patient_id=third_patient.id,
                subject="Your exercises after surgery",
                created_by_id=clinician.id,
            )
            session.add(thread)
            session.flush()
            for sender, body in (
                (
                    clinician,
                    "Hello Mei, how are the walking and the gentle pelvic tilts going this "
                    "week? Any change in the leg symptoms?",
                ),
                (
                    third_user,
                    "Walking 20 minutes twice a day now. The tilts are fine; the leg feels "
                    "better than last week.",
                ),
            ):
                session.add(Message(thread_id=thread.id, sender_id=sender.id, body=body))
                session.flush()
    session.flush()


def _seed_appointment(
    session: Session, *, actor: Actor, patient: Patient, start: datetime, kind: str, now: datetime
) -> None:
    assert actor.user is not None
    window_start = start - timedelta(hours=12)
    exists = session.scalar(
        select(Appointment.id).where(
            Appointment.patient_id == patient.id,
            Appointment.clinician_id == actor.user.id,
            Appointment.status == AppointmentStatus.booked,
            Appointment.kind == AppointmentKind(kind),
            Appointment.end_at > window_start,
        )
    )
    if exists is not None and kind != "video":
        return
    if exists is not None:
        # Re-running the demo moves the video consultation to "now" again.
        existing = session.get(Appointment, exists)
        assert existing is not None
        if room.room_window(existing.start_at, existing.end_at).is_open(now):
            return
        existing.status = AppointmentStatus.cancelled
        existing.cancel_reason = "demo refreshed"
        session.flush()
    # Something else booked at that time: the demo keeps what is there.
    with contextlib.suppress(Conflict):
        book_appointment(
            session,
            actor=actor,
            patient_id=patient.id,
            start=start,
            duration_min=30,
            kind=kind,
            now=start - timedelta(minutes=1),
        )
