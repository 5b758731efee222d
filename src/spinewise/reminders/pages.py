"""Reminder pages: the patient's phone-first /reminders page (due cards with Taken / Skip /
Snooze, schedules, dose log, push and calendar settings), the adherence section of the
clinician's patient page, the calendar feed and the push service worker."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role, User
from spinewise.core.deps import ClientAddr, CurrentPatient, CurrentUser, SessionDep, SettingsDep
from spinewise.core.errors import InvalidInput, NotFound, SpinewiseError
from spinewise.reminders import adherence, service
from spinewise.reminders.deps import OwnPatient
from spinewise.reminders.jobs import wake_after_commit
from spinewise.reminders.schedule import DAY_NAMES, describe, parse_time, zone
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)
IdPath = Annotated[int, Path(ge=1, lt=2**63)]
KINDS = {
    "medication": "Medicine",
    "exercise": "Exercises",
    "posture": "Posture break",
    "other": "Other",
}


def _summary(schedule: object) -> str:
    assert hasattr(schedule, "as_needed")
    if schedule.as_needed:
        return "as needed (no reminders)"
    return describe(service.recurrence_of(schedule))  # type: ignore[arg-type]


def _context(
    session: SessionDep, patient: Patient, user: User, **extra: object
) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    figures = service.adherence_figures(session, patient=patient, weeks=4, now=now)
    schedules = service.list_schedules(session, patient_id=patient.id)
    is_self = patient.user_id == user.id
    return {
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "is_self": is_self,
        "is_clinician": user.role == Role.clinician,
        "due": service.open_reminders(session, patient_id=patient.id, now=now),
        "upcoming": service.upcoming(session, patient_id=patient.id, now=now),
        "schedules": schedules,
        "medicines": [s.title for s in schedules if s.kind == "medication"],
        "summary": _summary,
        "kinds": KINDS,
        "day_names": DAY_NAMES,
        "figures": figures,
        "totals": adherence.overall(figures),
        "feeds": service.list_feeds(session, patient_id=patient.id) if is_self else [],
        "push_subscriptions": (
            service.list_push_subscriptions(session, patient_id=patient.id) if is_self else []
        ),
        **extra,
    }


@router.get("/reminders")
def my_reminders(user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("reminders are on each patient's page")
    return RedirectResponse(f"/patients/{patient.id}/reminders", status_code=303)


@router.get("/patients/{patient_id}/reminders", response_class=HTMLResponse)
def reminders_page(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    return render(request, "reminders/page.html", _context(session, patient, user))


@router.get("/patients/{patient_id}/reminders/due", response_class=HTMLResponse)
def due_fragment(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """The due-now cards (reloaded when a live reminder arrives and every minute)."""
    context = {
        "patient": patient,
        "is_self": patient.user_id == user.id,
        "due": service.open_reminders(session, patient_id=patient.id),
    }
    return render(request, "reminders/due_fragment.html", context)


@router.get("/patients/{patient_id}/reminders/adherence", response_class=HTMLResponse)
def adherence_fragment(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """The medication adherence section of the patient page (loaded by HTMX)."""
    figures = service.adherence_figures(session, patient=patient, weeks=4)
    context = {
        "patient": patient,
        "is_self": patient.user_id == user.id,
        "figures": figures,
        "totals": adherence.overall(figures),
        "standalone": True,
    }
    return render(request, "reminders/adherence_fragment.html", context)


@router.post(
    "/patients/{patient_id}/reminders/occurrences/{occurrence_id}/answer",
    response_class=HTMLResponse,
)
def answer(
    request: Request,
    patient: OwnPatient,
    user: CurrentUser,
    occurrence_id: IdPath,
    session: SessionDep,
    action: Annotated[str, Form(max_length=10)],
) -> Response:
    notice = ""
    try:
        result = service.acknowledge(
            session,
            patient_id=patient.id,
            occurrence_id=occurrence_id,
            action=action,
            recorded_by=user.id,
            source="app",
        )
        if result.follow_up is not None:
            wake_after_commit(session, getattr(request.app.state, "reminders", None))
            due = result.follow_up.due_at.astimezone(zone(patient.timezone))
            notice = f"Snoozed: we will remind you again at {due:%H:%M}."
        else:
            notice = "Marked as taken." if action == "taken" else "Marked as skipped."
    except SpinewiseError as exc:
        if isinstance(exc, NotFound):
            raise
        notice = exc.message
    context = {
        "patient": patient,
        "is_self": True,
        "due": service.open_reminders(session, patient_id=patient.id),
        "notice": notice,
    }
    return render(request, "reminders/due_fragment.html", context)


def _times(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


@router.post("/patients/{patient_id}/reminders/schedules", response_class=HTMLResponse)
def create_schedule(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
    kind: Annotated[str, Form(max_length=20)],
    title: Annotated[str, Form(max_length=200)] = "",
    dose: Annotated[str, Form(max_length=100)] = "",
    times: Annotated[str, Form(max_length=400)] = "",
    every_min: Annotated[int | None, Form(ge=15, le=1440)] = None,
    window_start: Annotated[str, Form(max_length=5)] = "",
    window_end: Annotated[str, Form(max_length=5)] = "",
    weekdays: Annotated[list[int] | None, Form()] = None,
    end_date: Annotated[dt.date | None, Form()] = None,
    as_needed: Annotated[bool, Form()] = False,
    email: Annotated[bool, Form()] = False,
) -> Response:
    data = service.ScheduleInput(
        kind=kind,
        title=title or KINDS.get(kind, "Reminder"),
        dose=dose,
        times=[] if every_min else _times(times),
        every_min=every_min,
        window_start=window_start or None,
        window_end=window_end or None,
        weekdays=[d for d in (weekdays or list(range(7))) if 0 <= d <= 6],
        end_date=end_date
        if end_date and dt.date(2000, 1, 1) <= end_date <= dt.date(2199, 12, 31)
        else None,
        as_needed=as_needed,
        channels=["app", "push", "email"] if email else ["app", "push"],
    )
    try:
        service.create_schedule(session, patient=patient, data=data, created_by=user.id)
    except InvalidInput as exc:
        return render(
            request, "reminders/page.html", _context(session, patient, user, error=exc.message), 422
        )
    wake_after_commit(session, getattr(request.app.state, "reminders", None))
    return RedirectResponse(f"/patients/{patient.id}/reminders", status_code=303)


@router.post("/patients/{patient_id}/reminders/schedules/from-programme")
def from_programme(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
    local_time: Annotated[str, Form(max_length=5)] = "18:00",
) -> Response:
    service.exercise_schedule_from_programme(
        session, patient=patient, local_time=parse_time(local_time), created_by=user.id
    )
    wake_after_commit(session, getattr(request.app.state, "reminders", None))
    return RedirectResponse(f"/patients/{patient.id}/reminders", status_code=303)


@router.post("/patients/{patient_id}/reminders/schedules/{schedule_id}/stop")
def stop_schedule(patient: CurrentPatient, schedule_id: IdPath, session: SessionDep) -> Response:
    schedule = service.get_schedule(session, patient_id=patient.id, schedule_id=schedule_id)
    service.deactivate_schedule(session, schedule=schedule)
    return RedirectResponse(f"/patients/{patient.id}/reminders", status_code=303)


@router.post("/patients/{patient_id}/reminders/intakes", response_class=HTMLResponse)
def log_intake(
    request: Request,
    patient: OwnPatient,
    user: CurrentUser,
    session: SessionDep,
    medication: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        result = service.record_intake(
            session,
            patient_id=patient.id,
            medication_name=medication or None,
            recorded_by=user.id,
            source="app",
        )
        message = f"Recorded: {result.medication} taken now."
    except InvalidInput as exc:
        message = exc.message
    return render(
        request, "reminders/page.html", _context(session, patient, user, messages=[message])
    )


@router.post("/patients/{patient_id}/reminders/calendar-feeds", response_class=HTMLResponse)
def create_feed(
    request: Request,
    patient: OwnPatient,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    include_names: Annotated[bool, Form()] = False,
) -> Response:
    raw, _ = service.create_feed(
        session, patient_id=patient.id, include_names=include_names, created_by=user.id
    )
    url = f"{settings.base_url}/calendar/{raw}.ics"
    return render(request, "reminders/page.html", _context(session, patient, user, new_feed=url))


@router.post("/patients/{patient_id}/reminders/calendar-feeds/{feed_id}/revoke")
def revoke_feed(patient: OwnPatient, feed_id: IdPath, session: SessionDep) -> Response:
    service.revoke_feed(session, patient_id=patient.id, feed_id=feed_id)
    return RedirectResponse(f"/patients/{patient.id}/reminders", status_code=303)


@router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def calendar_feed(
    token: Annotated[str, Path(min_length=20, max_length=100)],
    session: SessionDep,
    client: ClientAddr,
) -> Response:
    """The patient's reminders as iCalendar, for a calendar app to subscribe to (no sign-in:
    the unguessable token is the credential; stored hashed, revocable)."""
    content = service.calendar_for_token(session, raw_token=token, client_addr=client)
    return Response(
        content,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
    )


@router.get("/reminders-sw.js")
def service_worker() -> Response:
    """The service worker that shows push notifications, served from the root so that its
    scope is the whole app."""
    script = (resources.files("spinewise.web") / "static" / "reminders-sw.js").read_text()
    return Response(
        script,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
