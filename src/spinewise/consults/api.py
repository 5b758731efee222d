"""JSON routes of virtual consultations, and the WebSocket that relays a video room's signalling.

Appointments, their iCalendar files and notes are visible to the two participants only; message
threads to the patient and their care team. A hidden object answers 404 exactly like a missing
one. The WebSocket authenticates with the browser's session cookie (or an API bearer token),
checked by the same ``resolve_token`` that ``core.deps`` uses for every request.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import (
    APIRouter,
    BackgroundTasks,
    File,
    Form,
    Query,
    Response,
    UploadFile,
    WebSocket,
    WebSocketDisconnect,
)
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketState

from spinewise.accounts.service import resolve_token
from spinewise.consults import room, service
from spinewise.consults.deps import CurrentAppointment, CurrentThread, uploads_of
from spinewise.consults.scheduling import WeeklyRule
from spinewise.consults.schemas import (
    AppointmentCancel,
    AppointmentCreate,
    AppointmentPage,
    AppointmentRead,
    AppointmentUpdate,
    AvailabilityIO,
    AvailabilityRuleIO,
    MessageRead,
    NoteCreate,
    NoteRead,
    SlotPage,
    ThreadCreate,
    ThreadPage,
    ThreadRead,
    UnreadRead,
)
from spinewise.core.audit import Actor
from spinewise.core.deps import (
    SESSION_COOKIE,
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    MailerDep,
    SessionDep,
    SettingsDep,
    same_origin,
)
from spinewise.core.errors import Conflict, NotAuthenticated, NotFound, SpinewiseError
from spinewise.core.events import EventBus
from spinewise.core.models import TokenKind
from spinewise.db import unit_of_work

router = APIRouter(prefix="/api/v1", tags=["consultations"])


# --- appointments -----------------------------------------------------------------------------


@router.get("/appointments", response_model=AppointmentPage)
def list_appointments(
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    include_cancelled: bool = True,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AppointmentPage:
    """The caller's own appointments (as patient or as clinician), in time order."""
    rows, total = service.list_appointments(
        session,
        actor=actor,
        start=start,
        end=end,
        include_cancelled=include_cancelled,
        offset=offset,
        limit=limit,
    )
    items = service.describe_appointments(session, rows, base_url=settings.base_url)
    return AppointmentPage(items=items, total=total)


@router.post("/appointments", response_model=AppointmentRead, status_code=201)
def book_appointment(
    body: AppointmentCreate, actor: CurrentActor, session: SessionDep, settings: SettingsDep
) -> AppointmentRead:
    """Book a consultation. A clinician gives ``patient_id`` (any patient of their care team);
    a patient gives ``clinician_id`` and one of that clinician's free slots."""
    appointment = service.book_appointment(
        session,
        actor=actor,
        patient_id=body.patient_id,
        clinician_id=body.clinician_id,
        start=body.start,
        duration_min=body.duration_min,
        kind=body.kind,
    )
    [view] = service.describe_appointments(session, [appointment], base_url=settings.base_url)
    return view


# Declared before "/appointments/{appointment_id}" so that "12.ics" is not read as an id.
@router.get(
    "/appointments/{appointment_id}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def appointment_ics(
    appointment: CurrentAppointment, session: SessionDep, settings: SettingsDep
) -> Response:
    """The appointment as an iCalendar file (UTC times), for its two participants only."""
    filename, content = service.appointment_ics(
        session, appointment=appointment, base_url=settings.base_url
    )
    return Response(
        content,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/appointments/{appointment_id}", response_model=AppointmentRead)
def get_appointment(
    appointment: CurrentAppointment, session: SessionDep, settings: SettingsDep
) -> AppointmentRead:
    [view] = service.describe_appointments(session, [appointment], base_url=settings.base_url)
    return view


@router.patch("/appointments/{appointment_id}", response_model=AppointmentRead)
def reschedule_appointment(
    appointment: CurrentAppointment,
    body: AppointmentUpdate,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> AppointmentRead:
    """Move the appointment (a patient only to one of the clinician's free slots)."""
    service.reschedule_appointment(
        session,
        actor=actor,
        appointment=appointment,
        start=body.start,
        duration_min=body.duration_min,
    )
    [view] = service.describe_appointments(session, [appointment], base_url=settings.base_url)
    return view


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentRead)
def cancel_appointment(
    appointment: CurrentAppointment,
    body: AppointmentCancel,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> AppointmentRead:
    service.cancel_appointment(session, actor=actor, appointment=appointment, reason=body.reason)
    [view] = service.describe_appointments(session, [appointment], base_url=settings.base_url)
    return view


@router.get("/appointments/{appointment_id}/notes", response_model=list[NoteRead])
def appointment_notes(appointment: CurrentAppointment, session: SessionDep) -> list[Any]:
    return [
        NoteRead.model_validate(n)
        for n in service.notes_of_appointment(session, appointment=appointment)
    ]


@router.post("/appointments/{appointment_id}/notes", response_model=NoteRead, status_code=201)
def add_note(
    appointment: CurrentAppointment, body: NoteCreate, actor: CurrentActor, session: SessionDep
) -> NoteRead:
    """Save a structured SOAP note to the patient's record (the appointment's clinician only)."""
    note = service.add_note(session, actor=actor, appointment=appointment, **body.model_dump())
    return NoteRead.model_validate(note)


@router.get("/patients/{patient_id}/notes", response_model=list[NoteRead])
def patient_notes(patient: CurrentPatient, session: SessionDep) -> list[Any]:
    """Consultation notes in a patient's record, newest first."""
    return [NoteRead.model_validate(n) for n in service.notes_of_patient(session, patient=patient)]


# --- availability and slots ------------------------------------------------------------------


def _availability_io(calendar: service.Availability) -> AvailabilityIO:
    return AvailabilityIO(
        timezone=calendar.timezone,
        slot_min=calendar.slot_min,
        rules=[
            AvailabilityRuleIO(weekday=r.weekday, start=r.start, end=r.end) for r in calendar.rules
        ],
    )


@router.get("/availability", response_model=AvailabilityIO)
def my_availability(clinician: CurrentClinician, session: SessionDep) -> AvailabilityIO:
    """The signed-in clinician's weekly availability, in their own time zone."""
    return _availability_io(service.availability_of(session, clinician_id=clinician.id))


@router.put("/availability", response_model=AvailabilityIO)
def set_my_availability(
    body: AvailabilityIO, clinician: CurrentClinician, session: SessionDep
) -> AvailabilityIO:
    rules = [WeeklyRule(r.weekday, r.start, r.end) for r in body.rules]
    calendar = service.set_availability(
        session, clinician=clinician, timezone=body.timezone, slot_min=body.slot_min, rules=rules
    )
    return _availability_io(calendar)


@router.get("/clinicians/{clinician_id}/slots", response_model=SlotPage)
def clinician_slots(
    clinician_id: int,
    actor: CurrentActor,
    session: SessionDep,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    days: Annotated[int, Query(ge=1, le=service.MAX_SLOT_DAYS)] = 14,
    duration_min: Annotated[int | None, Query(ge=5, le=240)] = None,
) -> SlotPage:
    """Free slots of a clinician, for the clinician or a patient in their care team."""
    calendar, length, slots = service.free_slots(
        session,
        actor=actor,
        clinician_id=clinician_id,
        start=start or datetime.now(UTC),
        days=days,
        duration_min=duration_min,
    )
    return SlotPage(
        clinician_id=clinician_id, timezone=calendar.timezone, duration_min=length, slots=slots
    )


# --- messaging --------------------------------------------------------------------------------


@router.get("/threads", response_model=ThreadPage)
def list_threads(
    actor: CurrentActor,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ThreadPage:
    """Conversations with the care team (a clinician sees those of all their patients)."""
    assert actor.user is not None
    items, total = service.list_threads(session, actor=actor, offset=offset, limit=limit)
    return ThreadPage(
        items=items, total=total, unread=service.unread_total(session, user=actor.user)
    )


@router.post("/threads", response_model=ThreadRead, status_code=201)
def start_thread(
    body: ThreadCreate,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> ThreadRead:
    """Start a conversation (a patient with their care team; a clinician with a patient)."""
    assert actor.user is not None
    thread, _ = service.start_thread(
        session,
        actor=actor,
        patient_id=body.patient_id,
        subject=body.subject,
        body=body.body,
        data_dir=settings.data_dir,
        max_bytes=settings.attachment_max_bytes,
    )
    emails = service.notice_recipients(session, thread=thread, sender=actor.user)
    background.add_task(service.send_message_notices, mailer, emails=emails)
    summary = service.thread_summary(session, user=actor.user, thread=thread)
    return ThreadRead(
        **summary.model_dump(), messages=service.thread_messages(session, thread=thread)
    )


@router.get("/threads/{thread_id}", response_model=ThreadRead)
def get_thread(thread: CurrentThread, user: CurrentUser, session: SessionDep) -> ThreadRead:
    """A conversation with its messages (reading it here does not mark it read)."""
    summary = service.thread_summary(session, user=user, thread=thread)
    return ThreadRead(
        **summary.model_dump(), messages=service.thread_messages(session, thread=thread)
    )


@router.post("/threads/{thread_id}/messages", response_model=MessageRead, status_code=201)
def post_message(
    thread: CurrentThread,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    body: Annotated[str, Form(max_length=10_000)] = "",
    files: Annotated[list[UploadFile] | None, File(description="PNG, JPEG or PDF")] = None,
) -> MessageRead:
    """Reply in a thread (multipart form: ``body`` and up to five ``files``)."""
    assert actor.user is not None
    message = service.post_message(
        session,
        actor=actor,
        thread=thread,
        body=body,
        uploads=uploads_of(files),
        data_dir=settings.data_dir,
        max_bytes=settings.attachment_max_bytes,
    )
    emails = service.notice_recipients(session, thread=thread, sender=actor.user)
    background.add_task(service.send_message_notices, mailer, emails=emails)
    return next(m for m in service.thread_messages(session, thread=thread) if m.id == message.id)


@router.post("/threads/{thread_id}/read", response_model=UnreadRead)
def mark_thread_read(thread: CurrentThread, user: CurrentUser, session: SessionDep) -> UnreadRead:
    """Mark everything in the thread as read; answers the caller's remaining unread total."""
    service.mark_thread_read(session, user=user, thread=thread)
    return UnreadRead(unread=service.unread_total(session, user=user))


@router.get("/messages/unread", response_model=UnreadRead)
def unread(user: CurrentUser, session: SessionDep) -> UnreadRead:
    return UnreadRead(unread=service.unread_total(session, user=user))


@router.get(
    "/attachments/{attachment_id}",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "application/pdf": {}}}},
)
def download_attachment(
    attachment_id: int, actor: CurrentActor, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The file, streamed from disk, for those who may read its thread."""
    attachment, path = service.get_readable_attachment(
        session, actor=actor, attachment_id=attachment_id, data_dir=settings.data_dir
    )
    inline = attachment.content_type.startswith("image/")
    return FileResponse(
        path,
        media_type=attachment.content_type,
        filename=attachment.filename,
        content_disposition_type="inline" if inline else "attachment",
        # A file is data, never a page: no script, no plugin, even if opened directly.
        headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
    )


# --- the video room's signalling relay -------------------------------------------------------


def room_topic(appointment_id: int) -> str:
    return f"consults.room.{appointment_id}"


def _admit(websocket: WebSocket, appointment_id: int) -> service.RoomTicket:
    """Who is on the other end: the session cookie (browsers) or a bearer token, resolved as
    ``core.deps`` does; then the room's own rule (participants only, around the time)."""
    factory = websocket.app.state.session_factory
    client_addr = websocket.client.host if websocket.client else ""
    with unit_of_work(factory) as session:
        resolved = None
        scheme, _, raw = websocket.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and raw:
            resolved = resolve_token(session, raw=raw.strip(), kind=TokenKind.api)
        elif cookie := websocket.cookies.get(SESSION_COOKIE):
            resolved = resolve_token(session, raw=cookie, kind=TokenKind.session)
        if resolved is None:
            raise NotAuthenticated("sign in first")
        actor = Actor(user=resolved[0], client_addr=client_addr)
        return service.open_room(session, actor=actor, appointment_id=appointment_id)


@router.websocket("/appointments/{appointment_id}/room")
async def video_room(websocket: WebSocket, appointment_id: int) -> None:
    """Relay WebRTC signalling between the two participants of a video appointment.

    Messages go through the app's event bus (topic ``consults.room.<id>``), so with the Redis
    bus the two participants may be connected to different app workers.
    """
    await websocket.accept()
    if not same_origin(websocket):
        await _refuse(websocket, "not_found", "appointment not found")
        return
    try:
        ticket = await run_in_threadpool(_admit, websocket, appointment_id)
    except NotAuthenticated as exc:
        await _refuse(websocket, "not_authenticated", exc.message)
        return
    except NotFound as exc:
        await _refuse(websocket, "not_found", exc.message)
        return
    except Conflict as exc:
        await _refuse(websocket, "not_open", exc.message)
        return
    except SpinewiseError as exc:
        await _refuse(websocket, "bad_message", exc.message)
        return
    bus: EventBus = websocket.app.state.bus
    ice_servers = websocket.app.state.settings.ice_servers
    await RoomConnection(websocket, bus, ticket, ice_servers).run()


async def _refuse(websocket: WebSocket, code: str, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.send_json({"type": "error", "code": code, "reason": reason})
        await websocket.close(code=room.CLOSE_CODES[code], reason=reason[:120])


class RoomConnection:
    """One participant's connection: browser → bus, bus → browser, and the room's end time."""

    def __init__(
        self,
        websocket: WebSocket,
        bus: EventBus,
        ticket: service.RoomTicket,
        ice_servers: list[dict[str, Any]],
    ) -> None:
        self.websocket = websocket
        self.bus = bus
        self.ticket = ticket
        self.ice_servers = ice_servers
        self.topic = room_topic(ticket.appointment_id)
        self.conn = secrets.token_hex(8)  # tells this connection's own echoes apart

    def _stamp(self, message: dict[str, Any]) -> dict[str, Any]:
        """The sender comes from the authenticated ticket, never from the client."""
        return {
            **message,
            "from_conn": self.conn,
            "from_user": self.ticket.user_id,
            "from_role": self.ticket.role,
        }

    async def run(self) -> None:
        subscription = await self.bus.subscribe(self.topic)
        try:
            await self.websocket.send_json(
                {
                    "type": "welcome",
                    "role": self.ticket.role,
                    "ice_servers": self.ice_servers,
                    "closes_at": self.ticket.closes_at.isoformat(),
                }
            )
            await self.bus.publish(self.topic, self._stamp({"type": "join"}))
            # Three loops; when any ends (browser gone, replaced, time over) the others stop.
            async with anyio.create_task_group() as group:

                async def until_first_ends(loop: Callable[[], Awaitable[None]]) -> None:
                    await loop()
                    group.cancel_scope.cancel()

                group.start_soon(until_first_ends, self._from_browser)
                group.start_soon(until_first_ends, lambda: self._to_browser(subscription))
                group.start_soon(until_first_ends, self._until_closed)
        finally:
            # Shielded: the other participant must hear "leave" even when we are cancelled.
            with anyio.CancelScope(shield=True):
                with contextlib.suppress(Exception):
                    await self.bus.publish(self.topic, self._stamp({"type": "leave"}))
                await subscription.close()
                if self.websocket.client_state == WebSocketState.CONNECTED:
                    with contextlib.suppress(Exception):
                        await self.websocket.close()

    async def _from_browser(self) -> None:
        try:
            while True:
                text = await self.websocket.receive_text()
                try:
                    message = room.parse_client_message(text)
                except room.BadSignal as exc:
                    await self.websocket.send_json(
                        {"type": "error", "code": "bad_message", "reason": str(exc)}
                    )
                    continue
                await self.bus.publish(self.topic, self._stamp(message))
        except (WebSocketDisconnect, RuntimeError, KeyError):
            return  # the browser went away (or sent a binary frame)

    async def _to_browser(self, subscription: Any) -> None:
        while True:
            event = await subscription.get()
            payload = event.payload
            if payload.get("from_conn") == self.conn:
                continue
            if payload.get("type") == "join" and payload.get("from_user") == self.ticket.user_id:
                await _refuse(
                    self.websocket, "replaced", "you joined this call from another window"
                )
                return
            if payload.get("from_user") == self.ticket.user_id:
                continue  # the same person's older window leaving; not news for this one
            await self.websocket.send_json(
                {
                    "type": payload.get("type"),
                    "data": payload.get("data"),
                    "from_role": payload.get("from_role"),
                }
            )

    async def _until_closed(self) -> None:
        remaining_s = (self.ticket.closes_at - datetime.now(UTC)).total_seconds()
        await anyio.sleep(max(0.0, remaining_s))
        await _refuse(self.websocket, "ended", "the consultation time is over")
