"""HTML pages of virtual consultations: the patient's appointments and messages (phone first),
the clinician's calendar and booking form (desktop), the video call page with the clinician's
patient panel and SOAP note form. Pages only translate; services decide (and audit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role, User
from spinewise.consults import panel, room, scheduling, service
from spinewise.consults.deps import CurrentAppointment, CurrentThread, uploads_of
from spinewise.consults.models import Appointment, AppointmentKind, AppointmentStatus, MessageThread
from spinewise.consults.scheduling import WEEKDAYS, WeeklyRule
from spinewise.consults.schemas import AppointmentRead
from spinewise.core.audit import Actor
from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentUser,
    MailerDep,
    SessionDep,
    SettingsDep,
)
from spinewise.core.errors import Forbidden, InvalidInput, NotFound, SpinewiseError
from spinewise.core.mail import Mailer
from spinewise.db import utcnow
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

KINDS = {"video": "Video call", "phone": "Phone call", "in_person": "In person"}
# Fixed notices after a redirect (never text taken from the query string).
DONE = {
    "booked": "Your appointment is booked.",
    "moved": "The appointment has been moved.",
    "cancelled": "The appointment is cancelled.",
    "availability": "Your availability is saved.",
    "sent": "Your message is sent.",
}


def _notice(done: str) -> list[str]:
    return [DONE[done]] if done in DONE else []


def _viewer_zone(session: Session, user: User) -> str:
    if user.role == Role.patient:
        patient = accounts.patient_of(session, user=user)
        return patient.timezone if patient else "UTC"
    if user.role == Role.clinician:
        return service.clinician_timezone(session, clinician_id=user.id)
    return "UTC"


@dataclass(frozen=True)
class AppointmentRow:
    """An appointment as the viewer reads it: their own local time first, the other party's next."""

    view: AppointmentRead
    when: str
    other_when: str
    other_zone: str
    time_only: str
    room_state: str
    cancelled: bool

    @property
    def kind_label(self) -> str:
        return KINDS[str(self.view.kind)]


def _rows(
    session: Session, user: User, appointments: Sequence[Appointment], *, base_url: str = ""
) -> list[AppointmentRow]:
    now = utcnow()
    rows = []
    for view in service.describe_appointments(session, appointments, base_url=base_url):
        mine, theirs = (
            (view.patient_time, view.clinician_time)
            if user.role == Role.patient
            else (view.clinician_time, view.patient_time)
        )
        rows.append(
            AppointmentRow(
                view=view,
                when=mine.label,
                other_when=theirs.label,
                other_zone=theirs.timezone,
                time_only=f"{mine.start:%H:%M}–{mine.end:%H:%M}",
                room_state=room.RoomWindow(view.room_opens_at, view.room_closes_at).state(now),
                cancelled=view.status == AppointmentStatus.cancelled,
            )
        )
    return rows


def _slot_days(slots: Sequence[datetime], timezone: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Free slots grouped by the viewer's local day: [(day label, [(UTC ISO, "09:30"), …])]."""
    tz = scheduling.zone(timezone)
    days: dict[date, list[tuple[str, str]]] = {}
    for slot in slots:
        local = slot.astimezone(tz)
        days.setdefault(local.date(), []).append((slot.isoformat(), f"{local:%H:%M}"))
    return [(f"{WEEKDAYS[d.weekday()]} {d.day} {d:%B}", times) for d, times in sorted(days.items())]


def _patient_or_404(session: Session, user: User) -> Patient:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have this page")
    return patient


# --- patient: appointments ------------------------------------------------------------------


def _patient_appointments_page(
    request: Request,
    session: Session,
    actor: Actor,
    user: User,
    *,
    clinician_id: int | None,
    messages: list[str],
    error: str = "",
    status_code: int = 200,
) -> Response:
    patient = _patient_or_404(session, user)
    now = utcnow()
    appointments, _ = service.list_appointments(
        session, actor=actor, start=now - timedelta(days=90), limit=200
    )
    rows = _rows(session, user, appointments)
    upcoming = [r for r in rows if r.view.end > now - room.CLOSES_AFTER and not r.cancelled]
    past = [r for r in rows if r not in upcoming][-10:][::-1]
    team = service.bookable_clinicians(session, patient_id=patient.id)
    chosen = next((c for c in team if c.id == clinician_id), team[0] if team else None)
    slot_days: list[tuple[str, list[tuple[str, str]]]] = []
    if chosen is not None:
        _, _, slots = service.free_slots(session, actor=actor, clinician_id=chosen.id, start=now)
        slot_days = _slot_days(slots, patient.timezone)
    context = {
        "upcoming": upcoming,
        "past": past,
        "team": team,
        "chosen": chosen,
        "slot_days": slot_days,
        "timezone": patient.timezone,
        "kinds": KINDS,
        "messages": messages,
        "error": error,
    }
    return render(request, "consults/patient_appointments.html", context, status_code)


@router.get("/appointments", response_class=HTMLResponse)
def appointments_page(
    request: Request,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    clinician_id: Annotated[int | None, Query()] = None,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A patient's appointments and booking; a clinician is sent to their calendar."""
    if user.role == Role.clinician:
        return RedirectResponse("/clinician/appointments", status_code=303)
    return _patient_appointments_page(
        request, session, actor, user, clinician_id=clinician_id, messages=_notice(done)
    )


@router.post("/appointments", response_class=HTMLResponse)
def patient_book(
    request: Request,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    clinician_id: Annotated[int, Form()],
    start: Annotated[str, Form(max_length=40)],
    kind: Annotated[AppointmentKind, Form()] = AppointmentKind.video,
) -> Response:
    """A patient takes one of the listed free slots."""
    _patient_or_404(session, user)
    try:
        calendar = service.availability_of(session, clinician_id=clinician_id)
        service.book_appointment(
            session,
            actor=actor,
            clinician_id=clinician_id,
            start=scheduling.parse_local(start, "UTC"),
            duration_min=calendar.slot_min,
            kind=kind,
        )
    except SpinewiseError as exc:
        if isinstance(exc, NotFound):
            raise
        return _patient_appointments_page(
            request,
            session,
            actor,
            user,
            clinician_id=clinician_id,
            messages=[],
            error=exc.message,
            status_code=exc.status_code,
        )
    return RedirectResponse("/appointments?done=booked", status_code=303)


@router.get("/appointments/{appointment_id}", response_class=HTMLResponse)
def appointment_page(
    request: Request,
    appointment: CurrentAppointment,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One appointment: join, add to calendar, move or cancel."""
    return _appointment_page(request, session, actor, user, appointment, messages=_notice(done))


def _appointment_page(
    request: Request,
    session: Session,
    actor: Actor,
    user: User,
    appointment: Appointment,
    *,
    messages: list[str],
    error: str = "",
    status_code: int = 200,
) -> Response:
    [row] = _rows(session, user, [appointment])
    zone = _viewer_zone(session, user)
    slot_days: list[tuple[str, list[tuple[str, str]]]] = []
    if user.role == Role.patient and not row.cancelled:
        _, _, slots = service.free_slots(
            session,
            actor=actor,
            clinician_id=appointment.clinician_id,
            start=utcnow(),
            duration_min=appointment.duration_min,
        )
        slot_days = _slot_days(slots, zone)
    local_start = appointment.start_at.astimezone(scheduling.zone(zone))
    context = {
        "row": row,
        "slot_days": slot_days,
        "timezone": zone,
        "local_start": f"{local_start:%Y-%m-%dT%H:%M}",
        "messages": messages,
        "error": error,
        "is_clinician": user.role == Role.clinician,
    }
    return render(request, "consults/appointment.html", context, status_code)


@router.post("/appointments/{appointment_id}/reschedule", response_class=HTMLResponse)
def reschedule(
    request: Request,
    appointment: CurrentAppointment,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    start: Annotated[str, Form(max_length=40)],
    duration_min: Annotated[int | None, Form(ge=5, le=240)] = None,
) -> Response:
    """Move an appointment: a patient picks a free slot (UTC), a clinician types a local time."""
    try:
        service.reschedule_appointment(
            session,
            actor=actor,
            appointment=appointment,
            start=scheduling.parse_local(start, _viewer_zone(session, user)),
            duration_min=duration_min,
        )
    except SpinewiseError as exc:
        return _appointment_page(
            request,
            session,
            actor,
            user,
            appointment,
            messages=[],
            error=exc.message,
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/appointments/{appointment.id}?done=moved", status_code=303)


@router.post("/appointments/{appointment_id}/cancel")
def cancel(
    appointment: CurrentAppointment,
    actor: CurrentActor,
    session: SessionDep,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    service.cancel_appointment(session, actor=actor, appointment=appointment, reason=reason)
    return RedirectResponse(f"/appointments/{appointment.id}?done=cancelled", status_code=303)


# --- the call -------------------------------------------------------------------------------


@router.get("/appointments/{appointment_id}/call", response_class=HTMLResponse)
def call_page(
    request: Request, appointment: CurrentAppointment, user: CurrentUser, session: SessionDep
) -> Response:
    """The video call; the clinician also gets the patient panel and the SOAP note form."""
    if appointment.kind != AppointmentKind.video:
        raise NotFound("this appointment has no video room")
    [row] = _rows(session, user, [appointment])
    window = room.room_window(appointment.start_at, appointment.end_at)
    zone = _viewer_zone(session, user)
    context = {
        "row": row,
        "is_clinician": user.role == Role.clinician,
        "opens_at": scheduling.format_local(window.opens_at, zone),
        "closes_at": scheduling.format_local(window.closes_at, zone),
        "closes_at_clock": f"{window.closes_at.astimezone(scheduling.zone(zone)):%H:%M %Z}",
        "socket_path": f"/api/v1/appointments/{appointment.id}/room",
    }
    return render(request, "consults/call.html", context)


def _panel_context(session: Session, appointment: Appointment) -> dict[str, Any]:
    patient = session.get(Patient, appointment.patient_id)
    assert patient is not None
    patient_user = accounts.user_of(session, patient=patient)
    return {
        "appointment": appointment,
        "patient": patient,
        "patient_user": patient_user,
        "age": accounts.age_on(patient.date_of_birth, date.today()),
        "notes": service.notes_of_appointment(session, appointment=appointment),
        "sections": panel.sections(session, patient),
    }


def _clinician_of(appointment: Appointment, user: User) -> None:
    if user.id != appointment.clinician_id:
        raise Forbidden("the patient panel is for the clinician of this appointment")


@router.get("/appointments/{appointment_id}/panel", response_class=HTMLResponse)
def call_panel(
    request: Request, appointment: CurrentAppointment, user: CurrentUser, session: SessionDep
) -> Response:
    """The clinician's patient panel (profile, notes, and sections other domains register)."""
    _clinician_of(appointment, user)
    return render(request, "consults/panel.html", _panel_context(session, appointment))


@router.post("/appointments/{appointment_id}/notes", response_class=HTMLResponse)
def save_note(
    request: Request,
    appointment: CurrentAppointment,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    subjective: Annotated[str, Form(max_length=10_000)] = "",
    objective: Annotated[str, Form(max_length=10_000)] = "",
    assessment: Annotated[str, Form(max_length=10_000)] = "",
    plan: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """Save the SOAP note (HTMX swaps the panel's note section)."""
    _clinician_of(appointment, user)
    draft = {"subjective": subjective, "objective": objective, "assessment": assessment}
    draft["plan"] = plan
    try:
        service.add_note(session, actor=actor, appointment=appointment, **draft)
    except InvalidInput as exc:
        context = {**_panel_context(session, appointment), "error": exc.message, "draft": draft}
        return render(request, "consults/notes.html", context, exc.status_code)
    context = {**_panel_context(session, appointment), "saved": True}
    return render(request, "consults/notes.html", context)


# --- clinician: calendar, booking, availability ---------------------------------------------


def _week_start(value: str, timezone: str) -> date:
    today = datetime.now(UTC).astimezone(scheduling.zone(timezone)).date()
    try:
        chosen = date.fromisoformat(value) if value else today
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def _calendar_page(
    request: Request,
    session: Session,
    actor: Actor,
    clinician: User,
    *,
    week: str,
    messages: list[str],
    error: str = "",
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    calendar = service.availability_of(session, clinician_id=clinician.id)
    tz = scheduling.zone(calendar.timezone)
    monday = _week_start(week, calendar.timezone)
    begin = scheduling.local_to_utc(monday, time(0, 0), tz)
    end = scheduling.local_to_utc(monday + timedelta(days=7), time(0, 0), tz)
    appointments, _ = service.list_appointments(session, actor=actor, start=begin, end=end)
    rows = _rows(session, clinician, appointments)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        items = [r for r in rows if r.view.clinician_time.start.date() == day]
        hours = [
            f"{r.start:%H:%M}–{r.end:%H:%M}" for r in calendar.rules if r.weekday == day.weekday()
        ]
        days.append(
            {
                "date": day,
                "label": f"{WEEKDAYS[day.weekday()][:3]} {day.day} {day:%b}",
                "items": items,
                "hours": hours,
                "today": day == datetime.now(UTC).astimezone(tz).date(),
            }
        )
    coming, _ = service.list_appointments(
        session, actor=actor, start=utcnow(), include_cancelled=False, limit=10
    )
    patients, _ = accounts.list_patients(session, actor=actor, limit=500)
    by_day = {d: [r for r in calendar.rules if r.weekday == d] for d in range(7)}
    context = {
        "days": days,
        "upcoming": _rows(session, clinician, coming),
        "week_label": f"{monday.day} {monday:%B %Y}",
        "prev_week": (monday - timedelta(days=7)).isoformat(),
        "next_week": (monday + timedelta(days=7)).isoformat(),
        "this_week": monday.isoformat(),
        "calendar": calendar,
        "rules_by_day": by_day,
        "weekdays": WEEKDAYS,
        "patients": [(p, u) for p, u in patients],
        "kinds": KINDS,
        "messages": messages,
        "error": error,
        "form": form or {},
        "default_start": _next_half_hour(tz),
    }
    return render(request, "consults/clinician_calendar.html", context, status_code)


def _next_half_hour(tz: Any) -> str:
    now = datetime.now(UTC).astimezone(tz) + timedelta(minutes=30)
    rounded = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    return f"{rounded:%Y-%m-%dT%H:%M}"


@router.get("/clinician/appointments", response_class=HTMLResponse)
def clinician_calendar(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    week: Annotated[str, Query(max_length=10)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The week's appointments in the clinician's zone, the booking form and availability."""
    return _calendar_page(request, session, actor, clinician, week=week, messages=_notice(done))


@router.post("/clinician/appointments", response_class=HTMLResponse)
def clinician_book(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    patient_id: Annotated[int, Form()],
    start: Annotated[str, Form(max_length=40)],
    duration_min: Annotated[int, Form(ge=5, le=240)] = 30,
    kind: Annotated[AppointmentKind, Form()] = AppointmentKind.video,
) -> Response:
    """Book a patient of the care team at a local date and time (the clinician's zone)."""
    zone = service.clinician_timezone(session, clinician_id=clinician.id)
    form = {"patient_id": patient_id, "start": start, "duration_min": duration_min, "kind": kind}
    try:
        when = scheduling.parse_local(start, zone)
        service.book_appointment(
            session,
            actor=actor,
            patient_id=patient_id,
            start=when,
            duration_min=duration_min,
            kind=kind,
        )
    except SpinewiseError as exc:
        if isinstance(exc, NotFound):
            raise
        return _calendar_page(
            request,
            session,
            actor,
            clinician,
            week=start[:10],
            messages=[],
            error=exc.message,
            form=form,
            status_code=exc.status_code,
        )
    week = when.astimezone(scheduling.zone(zone)).date().isoformat()
    return RedirectResponse(f"/clinician/appointments?week={week}&done=booked", status_code=303)


@router.post("/clinician/availability", response_class=HTMLResponse)
async def clinician_availability(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
) -> Response:
    """Save the weekly hours: one period per weekday (``start_0``/``end_0`` … Monday = 0)."""
    form = await request.form()
    timezone = str(form.get("timezone", "UTC"))[:64]
    try:
        slot_min = int(str(form.get("slot_min", "30")))
        rules = []
        for day in range(7):
            start, end = str(form.get(f"start_{day}", "")), str(form.get(f"end_{day}", ""))
            if start and end:
                rules.append(WeeklyRule(day, time.fromisoformat(start), time.fromisoformat(end)))
            elif start or end:
                raise InvalidInput(f"{WEEKDAYS[day]}", "give both a start and an end, or neither")
        service.set_availability(
            session, clinician=clinician, timezone=timezone, slot_min=slot_min, rules=rules
        )
    except (SpinewiseError, ValueError) as exc:
        message = exc.message if isinstance(exc, SpinewiseError) else "times must be like 09:00"
        return _calendar_page(
            request, session, actor, clinician, week="", messages=[], error=message, status_code=422
        )
    return RedirectResponse("/clinician/appointments?done=availability", status_code=303)


# --- messaging ------------------------------------------------------------------------------


def _threads_page(
    request: Request,
    session: Session,
    actor: Actor,
    user: User,
    *,
    messages: list[str],
    error: str = "",
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    threads, total = service.list_threads(session, actor=actor, limit=200)
    zone = _viewer_zone(session, user)
    patients: list[tuple[Patient, User]] = []
    if user.role == Role.clinician:
        patients, _ = accounts.list_patients(session, actor=actor, limit=500)
    context = {
        "threads": [(t, scheduling.format_local(t.last_message_at, zone)) for t in threads],
        "total": total,
        "patients": patients,
        "is_clinician": user.role == Role.clinician,
        "messages": messages,
        "error": error,
        "form": form or {},
    }
    return render(request, "consults/threads.html", context, status_code)


@router.get("/messages", response_class=HTMLResponse)
def threads_page(
    request: Request,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Conversations with the care team, unread first in the eye (bold with a count)."""
    if user.role == Role.admin:
        raise NotFound("administrators have no messages here")
    return _threads_page(request, session, actor, user, messages=_notice(done))


@router.post("/messages", response_class=HTMLResponse)
def start_thread(
    request: Request,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    subject: Annotated[str, Form(max_length=200)],
    body: Annotated[str, Form(max_length=10_000)] = "",
    patient_id: Annotated[int | None, Form()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    try:
        thread, _ = service.start_thread(
            session,
            actor=actor,
            patient_id=patient_id,
            subject=subject,
            body=body,
            uploads=uploads_of(files),
            data_dir=settings.data_dir,
            max_bytes=settings.attachment_max_bytes,
        )
    except SpinewiseError as exc:
        if isinstance(exc, NotFound):
            raise
        form = {"subject": subject, "body": body, "patient_id": patient_id}
        return _threads_page(
            request,
            session,
            actor,
            user,
            messages=[],
            error=exc.message,
            form=form,
            status_code=exc.status_code,
        )
    _notify(session, background, mailer, thread=thread, sender=user)
    return _after_sending(request, session, user, thread, anchor="")


def _notify(
    session: Session,
    background: BackgroundTasks,
    mailer: Mailer,
    *,
    thread: MessageThread,
    sender: User,
) -> None:
    """Queue the notice without health details; background tasks run after the commit."""
    emails = service.notice_recipients(session, thread=thread, sender=sender)
    background.add_task(service.send_message_notices, mailer, emails=emails)


@router.get("/messages/unread-badge", response_class=HTMLResponse)
def unread_badge(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """The unread count next to "Messages" in the navigation (empty when none)."""
    count = service.unread_total(session, user=user)
    return render(request, "consults/unread_badge.html", {"count": count})


@router.get("/messages/{thread_id}", response_class=HTMLResponse)
def thread_page(
    request: Request,
    thread: CurrentThread,
    user: CurrentUser,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A conversation; opening it marks it read."""
    return _thread_page(request, session, user, thread, messages=_notice(done))


def _thread_page(
    request: Request,
    session: Session,
    user: User,
    thread: MessageThread,
    *,
    messages: list[str],
    error: str = "",
    draft: str = "",
    status_code: int = 200,
) -> Response:
    summary = service.thread_summary(session, user=user, thread=thread)
    zone = _viewer_zone(session, user)
    items = [
        (m, scheduling.format_local(m.created_at, zone), m.sender_id == user.id)
        for m in service.thread_messages(session, thread=thread)
    ]
    service.mark_thread_read(session, user=user, thread=thread)
    context = {
        "thread": summary,
        "items": items,
        "messages": messages,
        "error": error,
        "draft": draft,
        "is_clinician": user.role == Role.clinician,
    }
    return render(request, "consults/thread.html", context, status_code)


@router.post("/messages/{thread_id}", response_class=HTMLResponse)
def reply(
    request: Request,
    thread: CurrentThread,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    body: Annotated[str, Form(max_length=10_000)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    try:
        message = service.post_message(
            session,
            actor=actor,
            thread=thread,
            body=body,
            uploads=uploads_of(files),
            data_dir=settings.data_dir,
            max_bytes=settings.attachment_max_bytes,
        )
    except SpinewiseError as exc:
        return _thread_page(
            request,
            session,
            user,
            thread,
            messages=[],
            error=exc.message,
            draft=body,
            status_code=exc.status_code,
        )
    _notify(session, background, mailer, thread=thread, sender=user)
    return _after_sending(request, session, user, thread, anchor=f"#m{message.id}")


def _after_sending(
    request: Request, session: Session, user: User, thread: MessageThread, *, anchor: str
) -> Response:
    """Show the conversation after a message is sent.

    With HTMX (the normal case) the thread is rendered in this very response, from this very
    transaction, and HTMX puts its address in the location bar; without JavaScript the browser
    is redirected to it (post/redirect/get).
    """
    if request.headers.get("HX-Request"):
        response = _thread_page(request, session, user, thread, messages=_notice("sent"))
        response.headers["HX-Push-Url"] = f"/messages/{thread.id}"
        return response
    return RedirectResponse(f"/messages/{thread.id}?done=sent{anchor}", status_code=303)
