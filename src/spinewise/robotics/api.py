"""JSON routes of robotic therapy: limits and protocol, sessions on the simulated device, their
records, and the live WebSocket.

Who may do what: a clinician of the patient's care team sets limits and protocols, starts,
watches and stops sessions; the patient may read their own prescription and session records
(read-only); nobody else learns that the patient exists (404).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket
from starlette.concurrency import run_in_threadpool

from spinewise.accounts.models import Role
from spinewise.core.audit import Actor
from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    SessionDep,
    resolve_caller,
    same_origin,
)
from spinewise.core.errors import Forbidden, NotAuthenticated, SpinewiseError
from spinewise.core.events import Subscription
from spinewise.core.permissions import get_patient
from spinewise.db import unit_of_work
from spinewise.robotics import service
from spinewise.robotics.schemas import (
    ExampleProtocolRead,
    LimitsUpdate,
    PrescriptionRead,
    ProtocolAssign,
    SessionDetail,
    SessionPage,
    SessionRead,
    SessionStart,
)
from spinewise.robotics.tasks import TherapyRunner, live_topic, session_info

router = APIRouter(prefix="/api/v1", tags=["robotic therapy (simulated device)"])
LIVE_RESOURCE = "/api/v1/patients/{patient_id}/robotics/live"


def runner_of(connection: Request | WebSocket) -> TherapyRunner:
    runner: TherapyRunner = connection.app.state.robotics
    return runner


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", request.url.path))


@router.get("/robotics/protocols", response_model=list[ExampleProtocolRead])
def example_protocols(clinician: CurrentClinician) -> list[ExampleProtocolRead]:
    """The shipped example protocols, with the limits each was designed for."""
    return [ExampleProtocolRead(**vars(e)) for e in service.example_protocols()]


@router.get("/patients/{patient_id}/robotics/prescription", response_model=PrescriptionRead)
def get_prescription(patient: CurrentPatient, session: SessionDep) -> PrescriptionRead:
    return PrescriptionRead.from_row(service.get_prescription(session, patient_id=patient.id))


@router.put("/patients/{patient_id}/robotics/limits", response_model=PrescriptionRead)
def put_limits(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    body: LimitsUpdate,
    session: SessionDep,
) -> PrescriptionRead:
    """Set the per-patient limits (validated by the robotics core) and the body size."""
    row = service.set_limits(
        session,
        actor=actor,
        patient=patient,
        limits=body.limits.model_dump(mode="json"),
        mass_kg=body.mass_kg,
        height_m=body.height_m,
    )
    return PrescriptionRead.from_row(row)


@router.put("/patients/{patient_id}/robotics/protocol", response_model=PrescriptionRead)
def put_protocol(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    body: ProtocolAssign,
    session: SessionDep,
) -> PrescriptionRead:
    """Assign a shipped example or a protocol document, checked against the patient's limits."""
    row = service.assign_protocol(
        session, actor=actor, patient=patient, example=body.example, document=body.protocol
    )
    return PrescriptionRead.from_row(row)


@router.post(
    "/patients/{patient_id}/robotics/sessions", response_model=SessionRead, status_code=201
)
async def start_session(
    request: Request, patient_id: int, body: SessionStart, actor: CurrentActor
) -> SessionRead:
    """Start a session on the SIMULATED device; it runs in the server until its end or a stop,
    whoever watches it. One session per patient at a time (409)."""
    row = await runner_of(request).start(
        actor=actor,
        patient_id=patient_id,
        resource=_route(request),
        simulated_patient=body.simulated_patient,
        seed=body.seed,
        faults=body.faults,
    )
    return SessionRead.from_row(row)


@router.get("/patients/{patient_id}/robotics/sessions", response_model=SessionPage)
def list_sessions(
    patient: CurrentPatient,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SessionPage:
    rows, total = service.list_sessions(session, patient_id=patient.id, offset=offset, limit=limit)
    return SessionPage(items=[SessionRead.from_row(r) for r in rows], total=total)


@router.get("/patients/{patient_id}/robotics/sessions/{session_id}", response_model=SessionDetail)
def get_session(patient: CurrentPatient, session_id: int, session: SessionDep) -> SessionDetail:
    """A session record: metrics per repetition, safety events with their causes, the trace."""
    row = service.get_session(session, patient_id=patient.id, session_id=session_id, details=True)
    return SessionDetail.from_row(row)


@router.post(
    "/patients/{patient_id}/robotics/sessions/{session_id}/stop",
    response_model=SessionRead,
    status_code=202,
)
async def stop_session(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session_id: int,
    session: SessionDep,
) -> SessionRead:
    """Press the stop button: the safety monitor brings the device to its safe state on its next
    control cycle; the record shows the cause once the session has settled (``ended`` on the
    live WebSocket)."""
    row = await run_in_threadpool(
        service.request_stop, session, actor=actor, patient_id=patient.id, session_id=session_id
    )
    await runner_of(request).request_stop(row.id)
    return SessionRead.from_row(row)


# --- live ----------------------------------------------------------------------------------------


def authorize_watch(websocket: WebSocket, *, patient_id: int) -> None:
    """Only a clinician of the patient's care team may watch (audited as a read)."""
    with unit_of_work(websocket.app.state.session_factory) as session:
        caller = resolve_caller(session, websocket)
        if caller is None:
            raise NotAuthenticated("sign in first")
        user = caller[0]
        client = websocket.client.host if websocket.client else ""
        get_patient(
            session, actor=Actor(user, client), patient_id=patient_id, resource=LIVE_RESOURCE
        )
        if user.role != Role.clinician:
            raise Forbidden("the live session view is for the patient's clinicians")


def _hello_from_database(websocket: WebSocket, patient_id: int) -> dict[str, Any] | None:
    """A session that another app process runs (this one does not hold it)."""
    with unit_of_work(websocket.app.state.session_factory) as session:
        row = service.running_session(session, patient_id=patient_id)
        if row is None or service.is_stale(row):
            return None
        return session_info(row)


async def _forward(websocket: WebSocket, subscription: Subscription) -> None:
    while True:
        event = await subscription.get()
        await websocket.send_json(event.payload)


async def _until_disconnect(websocket: WebSocket) -> None:
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


@router.websocket("/patients/{patient_id}/robotics/live")
async def live_session(
    websocket: WebSocket,
    patient_id: int,
    max_s: Annotated[float, Query(ge=0, le=4 * 3600)] = 3600,
) -> None:
    """The patient's running session, live: ``hello`` (the session or null, and its latest
    sample), then ``sample`` messages at 50 Hz (angle, target, velocity, torque, assistance,
    mode, repetition, limits, stop reason), ``started`` and ``ended`` (with the stop's cause).
    Closes with 4401 (sign in), 4404 (no such patient for you) or 4403 (not a clinician)."""
    if not same_origin(websocket):
        await websocket.close(code=4403)
        return
    await websocket.accept()
    try:
        await run_in_threadpool(authorize_watch, websocket, patient_id=patient_id)
    except SpinewiseError as exc:
        await websocket.send_json({"type": "error", "error": exc.message})
        await websocket.close(code=4000 + exc.status_code)
        return
    runner = runner_of(websocket)
    subscription = await websocket.app.state.bus.subscribe(live_topic(patient_id))
    try:
        live = runner.live_for_patient(patient_id)
        if live is not None:
            hello = {"type": "hello", "session": live.info, "last": live.last}
        else:
            info = await run_in_threadpool(_hello_from_database, websocket, patient_id)
            hello = {"type": "hello", "session": info, "last": None}
        await websocket.send_json(hello)
        tasks = {
            asyncio.ensure_future(_forward(websocket, subscription)),
            asyncio.ensure_future(_until_disconnect(websocket)),
        }
        done, pending = await asyncio.wait(
            tasks, timeout=max_s, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        for task in done:
            with contextlib.suppress(Exception):
                task.result()
    finally:
        await subscription.close()
    with contextlib.suppress(Exception):
        await websocket.close()
