"""JSON routes: device registry, ingestion (HTTP and WebSocket), posture summaries and live events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import APIRouter, Query, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from spinewise.accounts.models import Patient, Role
from spinewise.core.deps import (
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
    authorize_patient_stream,
)
from spinewise.core.errors import Forbidden, InvalidInput, NotAuthenticated, SpinewiseError
from spinewise.core.sse import bus_event_stream
from spinewise.devices import service
from spinewise.devices.runtime import LiveIngestor
from spinewise.devices.schemas import (
    AlertRead,
    AlertResponse,
    Batch,
    DeviceCreate,
    DeviceCreated,
    DeviceRead,
    DeviceSettingsUpdate,
    EpisodeRead,
    IngestAck,
    MinuteRead,
    PostureSettingsRead,
    PostureSummary,
    SnoozeRequest,
    TimeInZone,
)

router = APIRouter(prefix="/api/v1", tags=["devices and posture"])
From = Annotated[
    datetime | None,
    Query(alias="from", description="ISO 8601; default: start of today (patient's time zone)"),
]
To = Annotated[datetime | None, Query(alias="to", description="ISO 8601; default: now")]


def day_window(
    patient: Patient, start: datetime | None, end: datetime | None
) -> tuple[datetime, datetime]:
    tz = ZoneInfo(patient.timezone)
    now = datetime.now(UTC)
    if start is None:
        start = datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    if end is None:
        end = now + timedelta(seconds=1)
    for name, value in (("from", start), ("to", end)):
        if value.tzinfo is None:
            raise InvalidInput(name, "needs a UTC offset, e.g. 2026-11-28T00:00:00+00:00")
    if end <= start:
        raise InvalidInput("to", "must be after from")
    if end - start > timedelta(days=400):
        raise InvalidInput("to", "a window is at most 400 days")
    return start.astimezone(UTC), end.astimezone(UTC)


def _ingestor(request: Request | WebSocket) -> LiveIngestor:
    ingestor: LiveIngestor = request.app.state.ingestor
    return ingestor


# --- registry ---------------------------------------------------------------------------------


@router.post("/devices", response_model=DeviceCreated, status_code=201)
def register_device(body: DeviceCreate, user: CurrentUser, session: SessionDep) -> DeviceCreated:
    """A patient registers a sensor or their phone; the token is shown once."""
    if user.role != Role.patient:
        raise Forbidden("patients register their own devices")
    from spinewise.accounts.service import patient_of

    patient = patient_of(session, user=user)
    assert patient is not None
    device, token = service.register_device(
        session, patient=patient, name=body.name, kind=body.kind
    )
    return DeviceCreated(id=device.id, token=token)


@router.get("/patients/{patient_id}/devices", response_model=list[DeviceRead])
def list_devices(patient: CurrentPatient, session: SessionDep) -> list[DeviceRead]:
    return [
        DeviceRead.model_validate(d) for d in service.list_devices(session, patient_id=patient.id)
    ]


@router.patch("/patients/{patient_id}/devices/{device_id}", response_model=DeviceRead)
def update_device(
    patient: CurrentPatient, device_id: int, body: DeviceSettingsUpdate, session: SessionDep
) -> DeviceRead:
    device = service.get_device(session, patient_id=patient.id, device_id=device_id)
    changes = body.model_dump(exclude_unset=True)
    return DeviceRead.model_validate(
        service.update_device_settings(session, device=device, changes=changes)
    )


@router.post("/patients/{patient_id}/devices/{device_id}/snooze", response_model=DeviceRead)
def snooze_device(
    patient: CurrentPatient, device_id: int, body: SnoozeRequest, session: SessionDep
) -> DeviceRead:
    device = service.get_device(session, patient_id=patient.id, device_id=device_id)
    return DeviceRead.model_validate(service.snooze(session, device=device, minutes=body.minutes))


@router.delete("/patients/{patient_id}/devices/{device_id}", status_code=204)
def revoke_device(patient: CurrentPatient, device_id: int, session: SessionDep) -> None:
    device = service.get_device(session, patient_id=patient.id, device_id=device_id)
    service.revoke_device(session, device=device)


# --- ingestion --------------------------------------------------------------------------------


def read_batch(body: bytes) -> tuple[int, Any]:
    """``{"seq": int, "samples": [[t, ax, ay, az, gx, gy, gz], ...]}`` → (seq, rows).

    The rows are checked by ``service.parse_samples`` (shape, finite numbers, increasing time)
    when the batch is stored; here only the envelope, as the ``Batch`` schema says."""
    try:
        message = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise InvalidInput(None, "the body is not JSON") from None
    if not isinstance(message, dict):
        raise InvalidInput(None, 'the body is {"seq": int, "samples": [[t, ax, ...], ...]}')
    unknown = set(message) - {"seq", "samples"}
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a field of a batch")
    seq = message.get("seq")
    if type(seq) is not int or not 0 <= seq < 2**62:
        raise InvalidInput("seq", "must be a non-negative integer")
    samples = message.get("samples")
    if not isinstance(samples, list) or not all(isinstance(row, list) for row in samples):
        raise InvalidInput("samples", "must be a list of [t, ax, ay, az, gx, gy, gz] rows")
    if len(samples) > service.MAX_SAMPLES_PER_BATCH:
        raise InvalidInput("samples", f"at most {service.MAX_SAMPLES_PER_BATCH} samples per batch")
    return seq, samples


@router.post(
    "/ingest",
    response_model=IngestAck,
    tags=["ingestion"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Batch.model_json_schema()}},
        }
    },
)
async def ingest(request: Request) -> Response:
    """Store one batch from a device (``Authorization: Bearer <device token>``), a ``Batch``.

    Idempotent on (device, seq): a resent batch is acknowledged with ``duplicate: true`` and
    never counted twice. The answer comes only after the batch is committed.

    The hot path of the API (one request per device per second): the body is read with orjson
    and the samples are validated once, as an array, where they are stored (not row by row by
    a request model), and the answer is written directly.
    """
    seq, samples = read_batch(await request.body())
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw:
        raise NotAuthenticated("send the device token as a bearer token")
    ingestor = _ingestor(request)
    device_id = await ingestor.authenticate_cached(raw.strip())
    ack = await ingestor.ingest(device_id=device_id, seq=seq, samples=samples)
    return Response(
        orjson.dumps({"accepted": ack.accepted, "duplicate": ack.duplicate, "status": ack.status}),
        media_type="application/json",
    )


@router.websocket("/stream")
async def stream(websocket: WebSocket) -> None:
    """Live devices: send ``{"token": …}`` first (or ``?token=``), then batches
    ``{"seq", "samples"}``; each is answered ``{"seq", "accepted", "duplicate", "status"}``
    after it is committed, or ``{"seq", "error"}``."""
    await websocket.accept()
    ingestor = _ingestor(websocket)
    try:
        token = websocket.query_params.get("token")
        if not token:
            first = await websocket.receive_json()
            token = first.get("token") if isinstance(first, dict) else None
        try:
            device_id = await run_in_threadpool(ingestor.authenticate, str(token or ""))
        except NotAuthenticated as exc:
            await websocket.send_json({"error": exc.message})
            await websocket.close(code=4401)
            return
        await websocket.send_json({"ready": True, "device_id": device_id})
        while True:
            message: Any = orjson.loads(await websocket.receive_text())
            seq = message.get("seq") if isinstance(message, dict) else None
            try:
                if not isinstance(message, dict):
                    raise InvalidInput(
                        None,
                        'each message is {"seq": int, "samples": [[t, ax, ay, az, gx, gy, gz], …]}',
                    )
                ack = await ingestor.ingest(
                    device_id=device_id, seq=seq, samples=message.get("samples")
                )
                await websocket.send_text(orjson.dumps(ack.to_dict()).decode())
            except SpinewiseError as exc:
                await websocket.send_text(orjson.dumps({"seq": seq, "error": exc.message}).decode())
    except WebSocketDisconnect:
        return
    except (json.JSONDecodeError, KeyError, ValueError):
        await websocket.close(code=4400)


# --- reading ----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/posture/summary", response_model=PostureSummary)
def posture_summary(
    patient: CurrentPatient, session: SessionDep, start: From = None, end: To = None
) -> PostureSummary:
    """Time in each zone, alerts and hours worn over a window (default: today)."""
    start, end = day_window(patient, start, end)
    t = service.totals(session, patient_id=patient.id, start=start, end=end)
    return PostureSummary(
        time_in_zone_s=TimeInZone(neutral=t.neutral_s, flexed=t.flexed_s, severe=t.severe_s),
        alerts=t.alerts,
        worn_s=t.worn_s,
        start=start,
        end=end,
    )


@router.get("/patients/{patient_id}/posture/minutes", response_model=list[MinuteRead])
def posture_minutes(
    patient: CurrentPatient,
    session: SessionDep,
    start: From = None,
    end: To = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1440)] = 1440,
) -> list[MinuteRead]:
    start, end = day_window(patient, start, end)
    rows = service.minutes(
        session, patient_id=patient.id, start=start, end=end, offset=offset, limit=limit
    )
    return [MinuteRead.model_validate(m) for m in rows]


@router.get("/patients/{patient_id}/posture/episodes", response_model=list[EpisodeRead])
def posture_episodes(
    patient: CurrentPatient, session: SessionDep, start: From = None, end: To = None
) -> list[EpisodeRead]:
    start, end = day_window(patient, start, end)
    return [
        EpisodeRead.model_validate(e)
        for e in service.episodes(session, patient_id=patient.id, start=start, end=end)
    ]


@router.get("/patients/{patient_id}/posture/alerts", response_model=list[AlertRead])
def posture_alerts(
    patient: CurrentPatient, session: SessionDep, start: From = None, end: To = None
) -> list[AlertRead]:
    start, end = day_window(patient, start, end)
    return [
        AlertRead.model_validate(a)
        for a in service.alerts(session, patient_id=patient.id, start=start, end=end)
    ]


@router.post("/patients/{patient_id}/posture/alerts/{alert_id}/response", response_model=AlertRead)
def respond_to_alert(
    patient: CurrentPatient, alert_id: int, body: AlertResponse, session: SessionDep
) -> AlertRead:
    """The patient dismissed an alert or corrected their posture (feeds the recommendations)."""
    return AlertRead.model_validate(
        service.respond_to_alert(
            session, patient_id=patient.id, alert_id=alert_id, response=body.response
        )
    )


@router.get("/patients/{patient_id}/posture/settings", response_model=PostureSettingsRead)
def get_posture_settings(patient: CurrentPatient, session: SessionDep) -> PostureSettingsRead:
    return PostureSettingsRead(
        config=service.posture_config(session, patient_id=patient.id).to_dict()
    )


@router.put("/patients/{patient_id}/posture/settings", response_model=PostureSettingsRead)
def put_posture_settings(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    body: PostureSettingsRead,
    session: SessionDep,
) -> PostureSettingsRead:
    """Per-patient thresholds and holding times; set by a clinician of the care team."""
    config = service.set_posture_config(
        session, patient_id=patient.id, config=body.config, updated_by=clinician.id
    )
    return PostureSettingsRead(config=config.to_dict())


@router.get("/patients/{patient_id}/posture/live", include_in_schema=False)
async def posture_live(
    request: Request, patient_id: int, max_s: Annotated[float, Query(ge=0, le=3600)] = 300
) -> StreamingResponse:
    """Server-sent events: ``angle`` after every batch, ``alert`` when feedback fires. The stream
    closes after ``max_s`` seconds and the browser's EventSource reconnects by itself."""
    await run_in_threadpool(
        authorize_patient_stream,
        request,
        patient_id=patient_id,
        resource="/api/v1/patients/{patient_id}/posture/live",
    )
    return await bus_event_stream(request, f"posture.*.{patient_id}", max_s=max_s)
