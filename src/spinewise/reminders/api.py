"""JSON routes of reminders and the live event stream (the calendar feed and the service worker
are in ``pages.py``).

Schedules are read and written by the patient and their care team. Answering a reminder,
logging a dose, push subscriptions and calendar feeds belong to the patient alone (a clinician
gets 403 on them). ``GET /calendar/{token}.ics`` needs no sign-in: the unguessable token is the
credential, stored hashed and revocable.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from spinewise.core.deps import (
    CurrentPatient,
    CurrentUser,
    SessionDep,
    SettingsDep,
    authorize_patient_stream,
)
from spinewise.core.errors import InvalidInput
from spinewise.core.sse import bus_event_stream
from spinewise.reminders import delivery, service
from spinewise.reminders.deps import OwnPatient
from spinewise.reminders.jobs import due_topic, wake_after_commit
from spinewise.reminders.schemas import (
    AcknowledgeBody,
    AdherenceRead,
    AdherenceWeek,
    AnswerRead,
    FeedCreate,
    FeedRead,
    IntakeCreate,
    IntakeRead,
    OccurrenceRead,
    ProgrammeReminderCreate,
    PublicKeyRead,
    PushSubscriptionCreate,
    PushSubscriptionRead,
    ScheduleRead,
    ScheduleWrite,
)

router = APIRouter(prefix="/api/v1", tags=["reminders"])
IdPath = Annotated[int, Path(ge=1, lt=2**63)]
PREFIX = "/patients/{patient_id}/reminders"


def _scheduler(request: Request):  # type: ignore[no-untyped-def]
    return getattr(request.app.state, "reminders", None)


# --- schedules ------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/schedules", response_model=list[ScheduleRead])
def list_schedules(
    patient: CurrentPatient, session: SessionDep, include_inactive: bool = False
) -> list[ScheduleRead]:
    rows = service.list_schedules(session, patient_id=patient.id, include_inactive=include_inactive)
    return [ScheduleRead.of(s) for s in rows]


@router.post(f"{PREFIX}/schedules", response_model=ScheduleRead, status_code=201)
def create_schedule(
    request: Request,
    body: ScheduleWrite,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
) -> ScheduleRead:
    schedule = service.create_schedule(
        session, patient=patient, data=body.to_input(), created_by=user.id
    )
    wake_after_commit(session, _scheduler(request))
    return ScheduleRead.of(schedule)


@router.post(f"{PREFIX}/schedules/from-programme", response_model=ScheduleRead, status_code=201)
def create_from_programme(
    request: Request,
    body: ProgrammeReminderCreate,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
) -> ScheduleRead:
    """Exercise reminders from the patient's active rehab programme (daily without one)."""
    from spinewise.reminders.schedule import parse_time

    schedule = service.exercise_schedule_from_programme(
        session, patient=patient, local_time=parse_time(body.local_time), created_by=user.id
    )
    wake_after_commit(session, _scheduler(request))
    return ScheduleRead.of(schedule)


@router.get(f"{PREFIX}/schedules/{{schedule_id}}", response_model=ScheduleRead)
def get_schedule(patient: CurrentPatient, schedule_id: IdPath, session: SessionDep) -> ScheduleRead:
    return ScheduleRead.of(
        service.get_schedule(session, patient_id=patient.id, schedule_id=schedule_id)
    )


@router.put(f"{PREFIX}/schedules/{{schedule_id}}", response_model=ScheduleRead)
def update_schedule(
    request: Request,
    body: ScheduleWrite,
    patient: CurrentPatient,
    schedule_id: IdPath,
    session: SessionDep,
) -> ScheduleRead:
    schedule = service.get_schedule(session, patient_id=patient.id, schedule_id=schedule_id)
    service.update_schedule(session, patient=patient, schedule=schedule, data=body.to_input())
    wake_after_commit(session, _scheduler(request))
    return ScheduleRead.of(schedule)


@router.delete(f"{PREFIX}/schedules/{{schedule_id}}", status_code=204)
def delete_schedule(patient: CurrentPatient, schedule_id: IdPath, session: SessionDep) -> Response:
    """Stop a schedule: reminders not yet due are cancelled, the history is kept."""
    schedule = service.get_schedule(session, patient_id=patient.id, schedule_id=schedule_id)
    service.deactivate_schedule(session, schedule=schedule)
    return Response(status_code=204)


# --- occurrences, answers, intakes, adherence -----------------------------------------------------


@router.get(f"{PREFIX}/occurrences", response_model=list[OccurrenceRead])
def list_occurrences(
    patient: CurrentPatient,
    session: SessionDep,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    status: Annotated[list[str] | None, Query(max_length=8)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[OccurrenceRead]:
    """Reminders due in ``[from, to)`` (default: the last 24 h and the next 24 h)."""
    now = datetime.now(UTC)
    start = _aware(start) or now - timedelta(hours=24)
    end = _aware(end) or now + timedelta(hours=24)
    if not timedelta(0) <= end - start <= timedelta(days=400):
        raise InvalidInput("to", "must be after from, at most 400 days later")
    rows = service.list_occurrences(
        session, patient_id=patient.id, start=start, end=end, statuses=status, limit=limit
    )
    return [OccurrenceRead.of(v.occurrence, v.schedule) for v in rows]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    if not datetime(2000, 1, 1, tzinfo=UTC) <= aware <= datetime(2199, 12, 31, tzinfo=UTC):
        raise InvalidInput("from", "must be between 2000 and 2199")
    return aware


@router.post(f"{PREFIX}/occurrences/{{occurrence_id}}/acknowledge", response_model=AnswerRead)
def acknowledge(
    request: Request,
    body: AcknowledgeBody,
    patient: OwnPatient,
    user: CurrentUser,
    occurrence_id: IdPath,
    session: SessionDep,
) -> AnswerRead:
    """Taken, skipped, or snooze (the reminder comes back in 15 minutes)."""
    answer = service.acknowledge(
        session,
        patient_id=patient.id,
        occurrence_id=occurrence_id,
        action=body.action,
        recorded_by=user.id,
        source="api",
        at=body.at,
    )
    if answer.follow_up is not None:
        wake_after_commit(session, _scheduler(request))
    schedule = service.get_schedule(
        session, patient_id=patient.id, schedule_id=answer.occurrence.schedule_id
    )
    return AnswerRead(
        occurrence=OccurrenceRead.of(answer.occurrence, schedule),
        follow_up=OccurrenceRead.of(answer.follow_up, schedule) if answer.follow_up else None,
    )


@router.post(f"{PREFIX}/intakes", response_model=IntakeRead, status_code=201)
def record_intake(
    body: IntakeCreate, patient: OwnPatient, user: CurrentUser, session: SessionDep
) -> IntakeRead:
    """ "I took my tablets": answers the latest due medication reminder, or logs an
    as-needed dose."""
    result = service.record_intake(
        session,
        patient_id=patient.id,
        medication_name=body.medication,
        at=body.at,
        recorded_by=user.id,
        source="api",
    )
    return IntakeRead(**result.__dict__)


@router.get(f"{PREFIX}/adherence", response_model=AdherenceRead)
def adherence(
    patient: CurrentPatient,
    session: SessionDep,
    weeks: Annotated[int, Query(ge=1, le=52)] = 4,
) -> AdherenceRead:
    """Taken, skipped and missed medication reminders per medicine and ISO week."""
    from spinewise.reminders.adherence import overall

    figures = service.adherence_figures(session, patient=patient, weeks=weeks)
    return AdherenceRead(
        weeks=[AdherenceWeek.model_validate(f.to_dict()) for f in figures],
        totals=overall(figures),
    )


@router.get(f"{PREFIX}/live", include_in_schema=False)
async def live(
    request: Request, patient_id: int, max_s: Annotated[float, Query(ge=0, le=3600)] = 300
) -> StreamingResponse:
    """Server-sent events: ``reminder`` when one of the patient's reminders is delivered.
    Closes after ``max_s`` seconds; the browser's EventSource reconnects by itself."""
    await run_in_threadpool(
        authorize_patient_stream,
        request,
        patient_id=patient_id,
        resource="/api/v1/patients/{patient_id}/reminders/live",
    )
    return await bus_event_stream(request, due_topic(patient_id), max_s=max_s, event="reminder")


# --- Web Push -------------------------------------------------------------------------------------


@router.get("/reminders/push/public-key", response_model=PublicKeyRead)
def push_public_key(request: Request, user: CurrentUser) -> PublicKeyRead:
    """The VAPID public key for ``pushManager.subscribe({applicationServerKey})``."""
    return PublicKeyRead(
        public_key=delivery.application_server_key(request.app.state.reminders.vapid)
    )


@router.get(f"{PREFIX}/push-subscriptions", response_model=list[PushSubscriptionRead])
def list_push(
    patient: OwnPatient, user: CurrentUser, session: SessionDep
) -> list[PushSubscriptionRead]:
    return [
        PushSubscriptionRead.of(s)
        for s in service.list_push_subscriptions(session, patient_id=patient.id)
    ]


@router.post(f"{PREFIX}/push-subscriptions", response_model=PushSubscriptionRead, status_code=201)
def subscribe_push(
    request: Request,
    body: PushSubscriptionCreate,
    patient: OwnPatient,
    user: CurrentUser,
    session: SessionDep,
) -> PushSubscriptionRead:
    sub = service.subscribe_push(
        session,
        patient_id=patient.id,
        endpoint=body.endpoint,
        p256dh=body.keys.p256dh,
        auth=body.keys.auth,
        user_agent=request.headers.get("user-agent", ""),
    )
    return PushSubscriptionRead.of(sub)


@router.delete(f"{PREFIX}/push-subscriptions/{{subscription_id}}", status_code=204)
def unsubscribe_push(
    patient: OwnPatient, user: CurrentUser, subscription_id: IdPath, session: SessionDep
) -> Response:
    service.unsubscribe_push(session, patient_id=patient.id, subscription_id=subscription_id)
    return Response(status_code=204)


# --- calendar feeds -------------------------------------------------------------------------------


@router.get(f"{PREFIX}/calendar-feeds", response_model=list[FeedRead])
def list_feeds(patient: OwnPatient, user: CurrentUser, session: SessionDep) -> list[FeedRead]:
    return [FeedRead.of(f) for f in service.list_feeds(session, patient_id=patient.id)]


@router.post(f"{PREFIX}/calendar-feeds", response_model=FeedRead, status_code=201)
def create_feed(
    body: FeedCreate,
    patient: OwnPatient,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> FeedRead:
    """A private feed URL, shown once. Medicine names only with ``include_names``."""
    raw, row = service.create_feed(
        session, patient_id=patient.id, include_names=body.include_names, created_by=user.id
    )
    return FeedRead.of(row, url=f"{settings.base_url}/calendar/{raw}.ics")


@router.delete(f"{PREFIX}/calendar-feeds/{{feed_id}}", status_code=204)
def revoke_feed(
    patient: OwnPatient, user: CurrentUser, feed_id: IdPath, session: SessionDep
) -> Response:
    service.revoke_feed(session, patient_id=patient.id, feed_id=feed_id)
    return Response(status_code=204)
