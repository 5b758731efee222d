"""Use cases of reminders: schedules, the persisted job queue of due reminders, answers,
as-needed intakes, adherence, Web Push subscriptions and calendar feeds.

Services take the session first and flush only; the caller's ``unit_of_work`` (a request, a
scheduler tick, a CLI command) commits. Access to the patient is decided before a service is
called (``CurrentPatient``); services check that sub-objects belong to that patient.

The scheduler's queue (``claim_due``, ``claim_deliveries``) is the database itself:

- **claim** = one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING id`` per
  outcome. On PostgreSQL, concurrent workers skip each other's locked rows, so each due
  reminder is taken by exactly one worker without waiting; on SQLite the statement runs under
  the single writer lock. Either way the status change, the delivery records and the commit are
  one transaction: a worker killed before its commit leaves the reminder pending for the next
  one, a worker killed after it has recorded the delivery.
- push and e-mail deliveries are sent *after* that commit (no lock held during network I/O),
  under a lease: a sender that dies mid-send leaves a delivery whose lease runs out and which
  another tick resends (at least once; the notification's ``tag`` collapses a repeat on the
  device).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, InvalidInput, NotFound
from spinewise.db import utcnow
from spinewise.reminders import adherence, policy
from spinewise.reminders.calendar import FeedEntry, feed
from spinewise.reminders.models import (
    CalendarFeed,
    PushSubscription,
    ReminderAcknowledgement,
    ReminderDelivery,
    ReminderOccurrence,
    ReminderSchedule,
    ScheduleKind,
)
from spinewise.reminders.schedule import (
    ALL_DAYS,
    Recurrence,
    occurrences,
    parse_time,
    resolve_local,
    spread_weekdays,
    zone,
)

HORIZON = dt.timedelta(hours=48)  # occurrences are materialised this far ahead
DELIVERY_LEASE = dt.timedelta(seconds=60)
MAX_DELIVERY_ATTEMPTS = 5
CHANNELS = ("app", "push", "email")
DEFAULT_EXERCISE_TIME = dt.time(18, 0)


# --- schedules ------------------------------------------------------------------------------------


@dataclass
class ScheduleInput:
    """What a caller may set on a schedule (the API's and the pages' common shape)."""

    kind: str
    title: str
    dose: str = ""
    instructions: str = ""
    times: list[str] = field(default_factory=list)
    every_min: int | None = None
    window_start: str | None = None
    window_end: str | None = None
    weekdays: list[int] = field(default_factory=lambda: list(range(7)))
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    once_at: dt.datetime | None = None
    as_needed: bool = False
    channels: list[str] = field(default_factory=lambda: ["app", "push"])


def recurrence_of(schedule: ReminderSchedule) -> Recurrence:
    return Recurrence(
        times=tuple(parse_time(t) for t in schedule.times),
        every_min=schedule.every_min,
        window_start=schedule.window_start,
        window_end=schedule.window_end,
        weekdays=frozenset(schedule.weekdays),
        start_date=schedule.start_date,
        end_date=schedule.end_date,
        once_at=schedule.once_at,
    )


def _apply(schedule: ReminderSchedule, data: ScheduleInput, today: dt.date) -> None:
    try:
        kind = ScheduleKind(data.kind)
    except ValueError as exc:
        raise InvalidInput(
            "kind", f"must be one of {', '.join(k.value for k in ScheduleKind)}"
        ) from exc
    title = " ".join(data.title.split())
    if not title:
        raise InvalidInput("title", "give a name (the medicine, or what to do)")
    if data.as_needed and kind != ScheduleKind.medication:
        raise InvalidInput("as_needed", "only medicines are taken as needed")
    channels = list(dict.fromkeys(data.channels))
    if not set(channels) <= set(CHANNELS):
        raise InvalidInput("channels", f"choose from {', '.join(CHANNELS)}")
    schedule.kind = kind
    schedule.title = title[:200]
    schedule.dose = data.dose.strip()[:100]
    schedule.instructions = data.instructions.strip()
    schedule.as_needed = data.as_needed
    schedule.channels = channels or ["app"]
    schedule.start_date = data.start_date or today
    schedule.end_date = data.end_date
    schedule.once_at = data.once_at
    schedule.weekdays = sorted(set(data.weekdays)) if data.weekdays else sorted(ALL_DAYS)
    schedule.times = [f"{parse_time(t):%H:%M}" for t in data.times]
    schedule.every_min = data.every_min
    schedule.window_start = parse_time(data.window_start) if data.window_start else None
    schedule.window_end = parse_time(data.window_end) if data.window_end else None
    if data.as_needed:  # no reminders: times are ignored, nothing to validate
        schedule.times, schedule.every_min, schedule.once_at = [], None, None
        schedule.window_start = schedule.window_end = None
        return
    recurrence_of(schedule)  # validates (InvalidInput names the field)


def _local_today(patient: Patient, now: dt.datetime) -> dt.date:
    return now.astimezone(zone(patient.timezone)).date()


def create_schedule(
    session: Session,
    *,
    patient: Patient,
    data: ScheduleInput,
    created_by: int | None,
    source: str = "manual",
    programme_id: int | None = None,
    now: dt.datetime | None = None,
) -> ReminderSchedule:
    now = now or utcnow()
    schedule = ReminderSchedule(
        patient_id=patient.id, created_by=created_by, source=source, programme_id=programme_id
    )
    _apply(schedule, data, _local_today(patient, now))
    schedule.created_at = schedule.updated_at = now
    session.add(schedule)
    session.flush()
    materialise(session, now=now, schedule_ids=[schedule.id])
    return schedule


def update_schedule(
    session: Session,
    *,
    patient: Patient,
    schedule: ReminderSchedule,
    data: ScheduleInput,
    now: dt.datetime | None = None,
) -> ReminderSchedule:
    """Change a schedule: reminders not yet due are replaced, the past is kept."""
    now = now or utcnow()
    _apply(schedule, data, _local_today(patient, now))
    schedule.updated_at = now
    _cancel_future(session, schedule_id=schedule.id, now=now)
    schedule.generated_until = None
    session.flush()
    materialise(session, now=now, schedule_ids=[schedule.id])
    return schedule


def deactivate_schedule(
    session: Session, *, schedule: ReminderSchedule, now: dt.datetime | None = None
) -> ReminderSchedule:
    now = now or utcnow()
    schedule.active = False
    schedule.updated_at = now
    _cancel_future(session, schedule_id=schedule.id, now=now)
    session.flush()
    return schedule


def _cancel_future(session: Session, *, schedule_id: int, now: dt.datetime) -> None:
    session.execute(
        update(ReminderOccurrence)
        .where(
            ReminderOccurrence.schedule_id == schedule_id,
            ReminderOccurrence.status == "pending",
            ReminderOccurrence.due_at > now,
        )
        .values(status="cancelled")
    )


def list_schedules(
    session: Session, *, patient_id: int, include_inactive: bool = False
) -> list[ReminderSchedule]:
    query = select(ReminderSchedule).where(ReminderSchedule.patient_id == patient_id)
    if not include_inactive:
        query = query.where(ReminderSchedule.active.is_(True))
    return list(session.scalars(query.order_by(ReminderSchedule.kind, ReminderSchedule.id)))


def get_schedule(session: Session, *, patient_id: int, schedule_id: int) -> ReminderSchedule:
    schedule = session.scalar(
        select(ReminderSchedule).where(
            ReminderSchedule.id == schedule_id, ReminderSchedule.patient_id == patient_id
        )
    )
    if schedule is None:
        raise NotFound("schedule not found")
    return schedule


def exercise_schedule_from_programme(
    session: Session,
    *,
    patient: Patient,
    local_time: dt.time = DEFAULT_EXERCISE_TIME,
    created_by: int | None,
    now: dt.datetime | None = None,
) -> ReminderSchedule:
    """Exercise reminders for the patient's active rehab programme: its sessions per week spread
    over the week (``schedule.spread_weekdays``), from its start to its end date. Without a
    programme: a daily reminder."""
    from spinewise.rehab import service as rehab  # the rehab domain is optional here

    programme = rehab.active_programme(session, patient_id=patient.id)
    data = ScheduleInput(kind="exercise", title="Home exercises", times=[f"{local_time:%H:%M}"])
    programme_id = None
    if programme is not None:
        data.title = programme.current.name
        data.weekdays = sorted(spread_weekdays(programme.current.sessions_per_week))
        data.start_date = max(
            programme.programme.start_date, _local_today(patient, now or utcnow())
        )
        data.end_date = programme.end_date
        programme_id = programme.programme.id
        if data.end_date < data.start_date:
            raise InvalidInput("programme", "the exercise programme has already ended")
    return create_schedule(
        session,
        patient=patient,
        data=data,
        created_by=created_by,
        source="programme" if programme_id else "manual",
        programme_id=programme_id,
        now=now,
    )


# --- materialising occurrences --------------------------------------------------------------------


def _insert_ignore(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert occurrences; one that already exists (same schedule and due time) is skipped."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ReminderOccurrence)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["schedule_id", "due_at"])
        .returning(ReminderOccurrence.id)
    )
    return len(session.execute(statement).all())  # only the rows actually inserted


def materialise(
    session: Session,
    *,
    now: dt.datetime,
    horizon: dt.timedelta = HORIZON,
    schedule_ids: Sequence[int] | None = None,
) -> int:
    """Create the occurrences of active schedules up to ``now + horizon``; returns how many
    were new. Safe to run from several workers at once (unique key + row locks)."""
    until = now + horizon
    query = (
        select(ReminderSchedule, Patient.timezone)
        .join(Patient, Patient.id == ReminderSchedule.patient_id)
        .where(
            ReminderSchedule.active.is_(True),
            ReminderSchedule.as_needed.is_(False),
            or_(
                ReminderSchedule.generated_until.is_(None),
                ReminderSchedule.generated_until < until,
            ),
        )
        .order_by(ReminderSchedule.id)
        .with_for_update(skip_locked=True, of=ReminderSchedule)
    )
    if schedule_ids is not None:
        query = query.where(ReminderSchedule.id.in_(schedule_ids))
    created = 0
    for schedule, timezone in session.execute(query).all():
        start = schedule.generated_until or min(now, schedule.created_at)
        if schedule.generated_until is None and schedule.once_at is not None:
            # A one-off set for "now" may be a moment in the past by the time it is saved:
            # still create it, and let the catch-up policy deliver or expire it.
            start = min(start, now - policy.DEFAULT_GRACE)
        rows = [
            {
                "schedule_id": schedule.id,
                "patient_id": schedule.patient_id,
                "due_at": at,
                "status": "pending",
                "claimed_by": "",
            }
            for at in occurrences(recurrence_of(schedule), zone(timezone), start, until)
        ]
        created += _insert_ignore(session, rows)
        schedule.generated_until = until
    session.flush()
    return created


# --- the scheduler's claims -----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """A reminder just delivered, as plain data for the live event (published after commit)."""

    occurrence_id: int
    patient_id: int
    schedule_id: int
    kind: str
    title: str
    dose: str
    due_at: dt.datetime

    def event(self) -> dict[str, Any]:
        return {
            "type": "reminder",
            "id": self.occurrence_id,
            "schedule_id": self.schedule_id,
            "kind": self.kind,
            "title": self.title,
            "dose": self.dose,
            "due_at": self.due_at.isoformat(),
        }


def _claimable(
    now: dt.datetime, *, newer_than: dt.datetime | None, older_than: dt.datetime | None, limit: int
) -> Any:
    query = select(ReminderOccurrence.id).where(
        ReminderOccurrence.status == "pending", ReminderOccurrence.due_at <= now
    )
    if newer_than is not None:
        query = query.where(ReminderOccurrence.due_at >= newer_than)
    if older_than is not None:
        query = query.where(ReminderOccurrence.due_at < older_than)
    return (
        query.order_by(ReminderOccurrence.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def claim_due(
    session: Session,
    *,
    now: dt.datetime,
    worker: str,
    grace: dt.timedelta = policy.DEFAULT_GRACE,
    limit: int = 200,
) -> tuple[list[Delivered], int]:
    """Take the due reminders no other worker holds: deliver those at most ``grace`` late
    (in-app delivery recorded, push and e-mail queued), expire older ones (catch-up policy,
    ``policy.on_claim``). Returns (delivered, number expired)."""
    cutoff = now - grace
    expired = session.execute(
        update(ReminderOccurrence)
        .where(
            ReminderOccurrence.id.in_(
                _claimable(now, newer_than=None, older_than=cutoff, limit=limit)
            )
        )
        .values(status="expired", claimed_by=worker)
        .returning(ReminderOccurrence.id)
        .execution_options(synchronize_session=False)
    ).all()
    claimed = [
        row[0]
        for row in session.execute(
            update(ReminderOccurrence)
            .where(
                ReminderOccurrence.id.in_(
                    _claimable(now, newer_than=cutoff, older_than=None, limit=limit)
                )
            )
            .values(status="delivered", delivered_at=now, claimed_by=worker)
            .returning(ReminderOccurrence.id)
            .execution_options(synchronize_session=False)
        ).all()
    ]
    if not claimed:
        return [], len(expired)
    rows = session.execute(
        select(ReminderOccurrence, ReminderSchedule)
        .join(ReminderSchedule, ReminderSchedule.id == ReminderOccurrence.schedule_id)
        .where(ReminderOccurrence.id.in_(claimed))
        .order_by(ReminderOccurrence.due_at, ReminderOccurrence.id)
    ).all()
    patient_ids = {o.patient_id for o, _ in rows}
    subscriptions: dict[int, list[int]] = {}
    for sub_id, patient_id in session.execute(
        select(PushSubscription.id, PushSubscription.patient_id).where(
            PushSubscription.patient_id.in_(patient_ids), PushSubscription.revoked_at.is_(None)
        )
    ):
        subscriptions.setdefault(patient_id, []).append(sub_id)
    delivered = []
    for occurrence, schedule in rows:
        session.add(
            ReminderDelivery(
                occurrence_id=occurrence.id,
                channel="app",
                target="app",
                status="sent",
                sent_at=now,
                next_attempt_at=now,
                claimed_by=worker,
            )
        )
        if "push" in schedule.channels:
            for sub_id in subscriptions.get(occurrence.patient_id, []):
                session.add(
                    ReminderDelivery(
                        occurrence_id=occurrence.id,
                        channel="push",
                        target=f"push:{sub_id}",
                        next_attempt_at=now,
                    )
                )
        if "email" in schedule.channels:
            session.add(
                ReminderDelivery(
                    occurrence_id=occurrence.id,
                    channel="email",
                    target="email",
                    next_attempt_at=now,
                )
            )
        delivered.append(
            Delivered(
                occurrence.id,
                occurrence.patient_id,
                schedule.id,
                str(schedule.kind),
                schedule.title,
                schedule.dose,
                occurrence.due_at,
            )
        )
    session.flush()
    return delivered, len(expired)


@dataclass(frozen=True)
class SendJob:
    """A push or e-mail delivery to send outside any transaction."""

    delivery_id: int
    channel: str
    occurrence_id: int
    kind: str
    due_at: dt.datetime
    timezone: str
    subscription: dict[str, Any] | None = None
    subscription_id: int | None = None
    email: str = ""


def claim_deliveries(
    session: Session,
    *,
    now: dt.datetime,
    worker: str,
    limit: int = 50,
    lease: dt.timedelta = DELIVERY_LEASE,
) -> list[SendJob]:
    """Lease queued push and e-mail deliveries (and ones whose sender's lease ran out)."""
    due = (
        select(ReminderDelivery.id)
        .where(
            ReminderDelivery.channel != "app",
            or_(
                and_(ReminderDelivery.status == "queued", ReminderDelivery.next_attempt_at <= now),
                and_(ReminderDelivery.status == "sending", ReminderDelivery.lease_until < now),
            ),
        )
        .order_by(ReminderDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    ids = [
        row[0]
        for row in session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_(due))
            .values(
                status="sending",
                claimed_by=worker,
                lease_until=now + lease,
                attempts=ReminderDelivery.attempts + 1,
            )
            .returning(ReminderDelivery.id)
            .execution_options(synchronize_session=False)
        ).all()
    ]
    if not ids:
        return []
    rows = session.execute(
        select(ReminderDelivery, ReminderOccurrence, ReminderSchedule, Patient, User)
        .join(ReminderOccurrence, ReminderOccurrence.id == ReminderDelivery.occurrence_id)
        .join(ReminderSchedule, ReminderSchedule.id == ReminderOccurrence.schedule_id)
        .join(Patient, Patient.id == ReminderOccurrence.patient_id)
        .join(User, User.id == Patient.user_id)
        .where(ReminderDelivery.id.in_(ids))
        .order_by(ReminderDelivery.id)
    ).all()
    subscription_ids = [
        int(d.target.split(":", 1)[1]) for d, *_ in rows if d.target.startswith("push:")
    ]
    subscriptions = {
        s.id: s
        for s in session.scalars(
            select(PushSubscription).where(PushSubscription.id.in_(subscription_ids))
        )
    }
    jobs = []
    for delivery, occurrence, schedule, patient, user in rows:
        sub = None
        sub_id = None
        if delivery.channel == "push":
            sub_id = int(delivery.target.split(":", 1)[1])
            found = subscriptions.get(sub_id)
            sub = found.info() if found is not None and found.revoked_at is None else None
        jobs.append(
            SendJob(
                delivery.id,
                delivery.channel,
                occurrence.id,
                str(schedule.kind),
                occurrence.due_at,
                patient.timezone,
                sub,
                sub_id,
                user.email,
            )
        )
    return jobs


def finish_delivery(
    session: Session,
    *,
    delivery_id: int,
    worker: str,
    result: str,
    detail: str = "",
    now: dt.datetime,
) -> bool:
    """Record a send's result if this worker still holds the lease. ``result``: sent, failed
    (retried with back-off, up to ``MAX_DELIVERY_ATTEMPTS``) or gone (the push subscription
    expired: it is revoked)."""
    delivery = session.get(ReminderDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.status != "sending" or delivery.claimed_by != worker:
        return False
    delivery.detail = detail[:300]
    delivery.lease_until = None
    if result == "sent":
        delivery.status = "sent"
        delivery.sent_at = now
        if delivery.target.startswith("push:"):
            sub = session.get(PushSubscription, int(delivery.target.split(":", 1)[1]))
            if sub is not None:
                sub.last_success_at = now
    elif result == "gone":
        delivery.status = "gone"
        if delivery.target.startswith("push:"):
            sub = session.get(PushSubscription, int(delivery.target.split(":", 1)[1]))
            if sub is not None and sub.revoked_at is None:
                sub.revoked_at = now
    elif delivery.attempts >= MAX_DELIVERY_ATTEMPTS:
        delivery.status = "failed"
    else:
        delivery.status = "queued"
        delivery.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** (delivery.attempts - 1))
    session.flush()
    return True


def next_due(session: Session) -> dt.datetime | None:
    """When the next pending reminder or queued delivery is due (the scheduler sleeps till then)."""
    occurrence = session.scalar(
        select(func.min(ReminderOccurrence.due_at)).where(ReminderOccurrence.status == "pending")
    )
    delivery = session.scalar(
        select(func.min(ReminderDelivery.next_attempt_at)).where(
            ReminderDelivery.status == "queued"
        )
    )
    lease = session.scalar(
        select(func.min(ReminderDelivery.lease_until)).where(ReminderDelivery.status == "sending")
    )
    found = [t for t in (occurrence, delivery, lease) if t is not None]
    return min(found) if found else None


# --- answers and intakes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    occurrence: ReminderOccurrence
    follow_up: ReminderOccurrence | None  # the new occurrence of a snooze


def get_occurrence(session: Session, *, patient_id: int, occurrence_id: int) -> ReminderOccurrence:
    occurrence = session.scalar(
        select(ReminderOccurrence).where(
            ReminderOccurrence.id == occurrence_id, ReminderOccurrence.patient_id == patient_id
        )
    )
    if occurrence is None:
        raise NotFound("reminder not found")
    return occurrence


def acknowledge(
    session: Session,
    *,
    patient_id: int,
    occurrence_id: int,
    action: str,
    recorded_by: int | None,
    source: str = "app",
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Answer:
    """Taken, skipped or snooze (a new occurrence 15 minutes from now). An answer is accepted
    once: a second tab answering the same reminder gets ``Conflict``."""
    now = now or utcnow()
    occurrence = get_occurrence(session, patient_id=patient_id, occurrence_id=occurrence_id)
    policy.check_action(occurrence.status, action)
    new_status = "snoozed" if action == "snooze" else action
    changed = session.execute(  # type: ignore[attr-defined]
        update(ReminderOccurrence)
        .where(
            ReminderOccurrence.id == occurrence.id,
            ReminderOccurrence.status.in_(policy.ANSWERABLE),
        )
        .values(status=new_status, answered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise Conflict("this reminder was answered already")
    session.refresh(occurrence)
    schedule = session.get(ReminderSchedule, occurrence.schedule_id)
    session.add(
        ReminderAcknowledgement(
            patient_id=patient_id,
            schedule_id=occurrence.schedule_id,
            occurrence_id=occurrence.id,
            action=action,
            medication=schedule.title
            if schedule and schedule.kind == ScheduleKind.medication
            else "",
            at=at or now,
            source=source,
            recorded_by=recorded_by,
            recorded_at=now,
        )
    )
    follow_up = None
    if action == "snooze":
        due = policy.snoozed_until(now)
        _insert_ignore(
            session,
            [
                {
                    "schedule_id": occurrence.schedule_id,
                    "patient_id": patient_id,
                    "due_at": due,
                    "status": "pending",
                    "snoozed_from_id": occurrence.id,
                    "claimed_by": "",
                }
            ],
        )
        follow_up = session.scalar(
            select(ReminderOccurrence).where(
                ReminderOccurrence.schedule_id == occurrence.schedule_id,
                ReminderOccurrence.due_at == due,
            )
        )
    session.flush()
    return Answer(occurrence, follow_up)


@dataclass(frozen=True)
class IntakeResult:
    """What ``record_intake`` did: answered a due reminder, or logged an as-needed dose."""

    kind: str  # "acknowledged" | "as_needed"
    medication: str
    at: dt.datetime
    occurrence_id: int | None = None
    acknowledgement_id: int | None = None


def record_intake(
    session: Session,
    *,
    patient_id: int,
    medication_name: str | None,
    at: dt.datetime | None = None,
    recorded_by: int | None = None,
    source: str = "assistant",
    now: dt.datetime | None = None,
) -> IntakeResult:
    """ "I took my tablets": mark the latest due or overdue medication reminder (matching
    ``medication_name`` when given, case-insensitive) as taken at ``at``; when none is open,
    log an intake of a matching as-needed medicine (or of ``medication_name`` as said).

    Raises ``InvalidInput`` when no medicine is named and none is due or as-needed."""
    now = now or utcnow()
    at = at or now
    if at.tzinfo is None:
        raise InvalidInput("at", "must carry a time zone")
    name = " ".join((medication_name or "").split())
    query = (
        select(ReminderOccurrence, ReminderSchedule)
        .join(ReminderSchedule, ReminderSchedule.id == ReminderOccurrence.schedule_id)
        .where(
            ReminderOccurrence.patient_id == patient_id,
            ReminderSchedule.kind == ScheduleKind.medication,
            ReminderOccurrence.status.in_(policy.ANSWERABLE),
            ReminderOccurrence.due_at <= max(now, at) + policy.SNOOZE,
            ReminderOccurrence.due_at >= now - policy.ANSWER_WINDOW,
        )
        .order_by(ReminderOccurrence.due_at.desc())
    )
    if name:
        query = query.where(func.lower(ReminderSchedule.title).contains(name.lower()))
    found = session.execute(query.limit(1)).first()
    if found is not None:
        occurrence, schedule = found
        answer = acknowledge(
            session,
            patient_id=patient_id,
            occurrence_id=occurrence.id,
            action="taken",
            recorded_by=recorded_by,
            source=source,
            at=at,
            now=now,
        )
        ack_id = session.scalar(
            select(func.max(ReminderAcknowledgement.id)).where(
                ReminderAcknowledgement.occurrence_id == answer.occurrence.id
            )
        )
        return IntakeResult("acknowledged", schedule.title, at, occurrence.id, ack_id)
    as_needed = session.scalars(
        select(ReminderSchedule).where(
            ReminderSchedule.patient_id == patient_id,
            ReminderSchedule.active.is_(True),
            ReminderSchedule.as_needed.is_(True),
        )
    ).all()
    match = [s for s in as_needed if not name or name.lower() in s.title.lower()]
    if not name and len(match) != 1:
        raise InvalidInput(
            "medication", "no medication reminder is due; say which medicine you took"
        )
    chosen = match[0] if match else None
    medication = chosen.title if chosen else name
    ack = ReminderAcknowledgement(
        patient_id=patient_id,
        schedule_id=chosen.id if chosen else None,
        action="intake",
        medication=medication[:200],
        at=at,
        source=source,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    session.add(ack)
    session.flush()
    return IntakeResult("as_needed", medication, at, None, ack.id)


def add_exercise_reminder(
    session: Session,
    *,
    patient_id: int,
    local_time: dt.time,
    daily: bool = False,
    created_by: int | None = None,
    now: dt.datetime | None = None,
) -> ReminderSchedule:
    """ "Remind me to do my exercises at 6 pm": a one-off reminder at the next ``local_time`` in
    the patient's zone (today, or tomorrow if it has passed), or with ``daily=True`` a daily
    exercise schedule at that time."""
    now = now or utcnow()
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("patient not found")
    tz = zone(patient.timezone)
    data = ScheduleInput(kind="exercise", title="Home exercises")
    if daily:
        data.times = [f"{local_time:%H:%M}"]
    else:
        day = now.astimezone(tz).date()
        due = resolve_local(day, local_time, tz)
        if due <= now:
            due = resolve_local(day + dt.timedelta(days=1), local_time, tz)
        data.once_at = due
    return create_schedule(
        session, patient=patient, data=data, created_by=created_by, source="assistant", now=now
    )


def add_one_off(
    session: Session,
    *,
    patient: Patient,
    due_at: dt.datetime,
    kind: str = "other",
    title: str = "Reminder",
    dose: str = "",
    channels: Iterable[str] = ("app", "push"),
    created_by: int | None = None,
    now: dt.datetime | None = None,
) -> ReminderSchedule:
    """A single reminder at ``due_at`` (aware)."""
    data = ScheduleInput(kind=kind, title=title, dose=dose, once_at=due_at, channels=list(channels))
    return create_schedule(session, patient=patient, data=data, created_by=created_by, now=now)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccurrenceView:
    occurrence: ReminderOccurrence
    schedule: ReminderSchedule


def list_occurrences(
    session: Session,
    *,
    patient_id: int,
    start: dt.datetime,
    end: dt.datetime,
    statuses: Sequence[str] | None = None,
    limit: int = 500,
) -> list[OccurrenceView]:
    query = (
        select(ReminderOccurrence, ReminderSchedule)
        .join(ReminderSchedule, ReminderSchedule.id == ReminderOccurrence.schedule_id)
        .where(
            ReminderOccurrence.patient_id == patient_id,
            ReminderOccurrence.due_at >= start,
            ReminderOccurrence.due_at < end,
        )
        .order_by(ReminderOccurrence.due_at, ReminderOccurrence.id)
        .limit(limit)
    )
    if statuses:
        query = query.where(ReminderOccurrence.status.in_(list(statuses)))
    return [OccurrenceView(o, s) for o, s in session.execute(query).all()]


def open_reminders(
    session: Session, *, patient_id: int, now: dt.datetime | None = None
) -> list[OccurrenceView]:
    """Delivered reminders not yet answered (within the answer window): the cards to show."""
    now = now or utcnow()
    return list(
        reversed(
            list_occurrences(
                session,
                patient_id=patient_id,
                start=now - policy.ANSWER_WINDOW,
                end=now + dt.timedelta(seconds=1),
                statuses=("delivered",),
            )
        )
    )


def upcoming(
    session: Session, *, patient_id: int, now: dt.datetime | None = None, hours: int = 24
) -> list[OccurrenceView]:
    now = now or utcnow()
    return list_occurrences(
        session,
        patient_id=patient_id,
        start=now,
        end=now + dt.timedelta(hours=hours),
        statuses=("pending",),
        limit=50,
    )


def adherence_figures(
    session: Session, *, patient: Patient, weeks: int = 4, now: dt.datetime | None = None
) -> list[adherence.WeekFigure]:
    """Taken / skipped / missed medication reminders per medicine per ISO week, over the
    last ``weeks`` weeks (this week included), in the patient's zone."""
    if not 1 <= weeks <= 52:
        raise InvalidInput("weeks", "must be 1–52")
    now = now or utcnow()
    tz = zone(patient.timezone)
    today = now.astimezone(tz).date()
    first_monday = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    start = dt.datetime.combine(first_monday, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    rows = session.execute(
        select(ReminderOccurrence.status, ReminderOccurrence.due_at, ReminderSchedule.title)
        .join(ReminderSchedule, ReminderSchedule.id == ReminderOccurrence.schedule_id)
        .where(
            ReminderOccurrence.patient_id == patient.id,
            ReminderSchedule.kind == ScheduleKind.medication,
            ReminderOccurrence.due_at >= start,
            ReminderOccurrence.due_at <= now,
        )
    ).all()
    counted = []
    for status, due_at, title in rows:
        result = policy.outcome(status, due_at, now)
        if result is not None:
            counted.append(adherence.Counted(title, due_at.astimezone(tz).date(), result))
    intakes = [
        (medication, at.astimezone(tz).date())
        for medication, at in session.execute(
            select(ReminderAcknowledgement.medication, ReminderAcknowledgement.at).where(
                ReminderAcknowledgement.patient_id == patient.id,
                ReminderAcknowledgement.action == "intake",
                ReminderAcknowledgement.at >= start,
                ReminderAcknowledgement.at <= now,
            )
        ).all()
    ]
    return adherence.weekly(counted, intakes)


# --- Web Push subscriptions -----------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def subscribe_push(
    session: Session,
    *,
    patient_id: int,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> PushSubscription:
    """Save a browser's subscription (the same endpoint again updates it)."""
    if not endpoint.startswith(("https://", "http://")):
        raise InvalidInput("endpoint", "must be an http(s) URL")
    if not p256dh or not auth:
        raise InvalidInput("keys", "p256dh and auth are required")
    digest = _hash(endpoint)
    sub = session.scalar(select(PushSubscription).where(PushSubscription.endpoint_hash == digest))
    if sub is None:
        sub = PushSubscription(endpoint=endpoint, endpoint_hash=digest)
        session.add(sub)
    sub.patient_id = patient_id  # a browser now signed in as this patient
    sub.p256dh, sub.auth, sub.user_agent = p256dh, auth, user_agent[:300]
    sub.created_at = now or utcnow()
    sub.revoked_at = None
    session.flush()
    return sub


def list_push_subscriptions(session: Session, *, patient_id: int) -> list[PushSubscription]:
    return list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.patient_id == patient_id, PushSubscription.revoked_at.is_(None))
            .order_by(PushSubscription.id)
        )
    )


def unsubscribe_push(
    session: Session, *, patient_id: int, subscription_id: int, now: dt.datetime | None = None
) -> None:
    sub = session.scalar(
        select(PushSubscription).where(
            PushSubscription.id == subscription_id,
            PushSubscription.patient_id == patient_id,
            PushSubscription.revoked_at.is_(None),
        )
    )
    if sub is None:
        raise NotFound("subscription not found")
    sub.revoked_at = now or utcnow()
    session.flush()


# --- calendar feeds -------------------------------------------------------------------------------


def create_feed(
    session: Session, *, patient_id: int, include_names: bool, created_by: int | None
) -> tuple[str, CalendarFeed]:
    """A new private feed; the raw token is returned once and only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    row = CalendarFeed(
        patient_id=patient_id,
        token_hash=_hash(raw),
        include_names=include_names,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return raw, row


def list_feeds(session: Session, *, patient_id: int) -> list[CalendarFeed]:
    return list(
        session.scalars(
            select(CalendarFeed)
            .where(CalendarFeed.patient_id == patient_id, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.id)
        )
    )


def revoke_feed(
    session: Session, *, patient_id: int, feed_id: int, now: dt.datetime | None = None
) -> None:
    row = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.id == feed_id,
            CalendarFeed.patient_id == patient_id,
            CalendarFeed.revoked_at.is_(None),
        )
    )
    if row is None:
        raise NotFound("calendar feed not found")
    row.revoked_at = now or utcnow()
    session.flush()


def feed_summary(schedule: ReminderSchedule, *, include_names: bool) -> str:
    if schedule.kind == ScheduleKind.medication:
        if include_names:
            return f"Take {schedule.title}" + (f" ({schedule.dose})" if schedule.dose else "")
        return "Medication reminder"
    if schedule.kind == ScheduleKind.exercise:
        return "Exercise session"
    if schedule.kind == ScheduleKind.posture:
        return "Posture break"
    return schedule.title if include_names else "Reminder"


def calendar_for_token(
    session: Session, *, raw_token: str, client_addr: str = "", now: dt.datetime | None = None
) -> bytes:
    """The feed behind a token (``NotFound`` if unknown or revoked); the read is audited."""
    now = now or utcnow()
    row = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == _hash(raw_token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if row is None:
        raise NotFound("calendar feed not found")
    patient = session.get(Patient, row.patient_id)
    assert patient is not None
    row.last_used_at = now
    entries = [
        FeedEntry(
            f"reminder-{s.id}",
            feed_summary(s, include_names=row.include_names),
            recurrence_of(s),
            patient.timezone,
        )
        for s in list_schedules(session, patient_id=patient.id)
        if not s.as_needed and (s.once_at is None or s.once_at > now - dt.timedelta(days=30))
    ]
    audit.record(
        session,
        actor=Actor(None, client_addr),
        patient_id=patient.id,
        resource="/calendar/{token}.ics",
        action="read",
        detail=f"calendar feed {row.id}",
    )
    return feed(
        entries, name="Spinewise reminders", stamp=now, default_start=_local_today(patient, now)
    )


def patient_by_email(session: Session, *, email: str) -> Patient:
    from spinewise.accounts import service as accounts

    user = accounts.get_user_by_email(session, email)
    patient = accounts.patient_of(session, user=user) if user else None
    if patient is None:
        raise NotFound(f"no patient with e-mail {email}")
    return patient


def audit_system_read(session: Session, *, patient_id: int, resource: str) -> None:
    """CLI reads of a patient's reminders are audited like any other read."""
    audit.record(
        session, actor=Actor(None, "cli"), patient_id=patient_id, resource=resource, action="read"
    )


# --- demo data ------------------------------------------------------------------------------------

DEMO_NOTE = "SYNTHETIC demo data"


def seed_demo(
    session: Session, *, patient: Patient, created_by: int | None, now: dt.datetime | None = None
) -> None:
    """Demo reminders for one patient (re-running replaces them): a twice-daily medicine, an
    as-needed one, exercise reminders from the rehab programme and weekday posture breaks, plus
    two weeks of SYNTHETIC answered reminders so the adherence figures have something to show."""
    now = now or utcnow()
    for old in session.scalars(
        select(ReminderSchedule).where(
            ReminderSchedule.patient_id == patient.id,
            ReminderSchedule.instructions.contains(DEMO_NOTE),
        )
    ):
        session.delete(old)
    session.flush()
    tz = zone(patient.timezone)
    today = _local_today(patient, now)
    naproxen = create_schedule(
        session,
        patient=patient,
        data=ScheduleInput(
            kind="medication",
            title="Naproxen",
            dose="250 mg with food",
            times=["08:00", "20:00"],
            start_date=today - dt.timedelta(days=14),
            instructions=f"Take with a meal. ({DEMO_NOTE})",
        ),
        created_by=created_by,
        source="demo",
        now=now,
    )
    create_schedule(
        session,
        patient=patient,
        data=ScheduleInput(
            kind="medication",
            title="Paracetamol",
            dose="1 g, at most 4 times a day",
            as_needed=True,
            instructions=f"For pain flare-ups. ({DEMO_NOTE})",
        ),
        created_by=created_by,
        source="demo",
        now=now,
    )
    exercise = exercise_schedule_from_programme(
        session, patient=patient, local_time=dt.time(18, 30), created_by=created_by, now=now
    )
    exercise.instructions = f"Your home programme. ({DEMO_NOTE})"
    create_schedule(
        session,
        patient=patient,
        data=ScheduleInput(
            kind="posture",
            title="Posture break",
            every_min=45,
            window_start="09:00",
            window_end="17:00",
            weekdays=[0, 1, 2, 3, 4],
            channels=["app"],
            instructions=f"Stand up, walk, stretch for a minute. ({DEMO_NOTE})",
        ),
        created_by=created_by,
        source="demo",
        now=now,
    )
    # Two weeks of answered Naproxen reminders: a fixed pattern, mostly taken.
    pattern = ["taken"] * 9 + ["skipped"] + ["taken"] * 6 + ["expired"] + ["taken"] * 3
    rows = []
    day = today - dt.timedelta(days=14)
    i = 0
    while day < today:
        for local in (dt.time(8), dt.time(20)):
            due = resolve_local(day, local, tz)
            status = pattern[i % len(pattern)]
            i += 1
            rows.append(
                {
                    "schedule_id": naproxen.id,
                    "patient_id": patient.id,
                    "due_at": due,
                    "status": status,
                    "delivered_at": None if status == "expired" else due,
                    "answered_at": None if status == "expired" else due + dt.timedelta(minutes=7),
                    "claimed_by": "demo",
                }
            )
        day += dt.timedelta(days=1)
    _insert_ignore(session, rows)
    for row in rows:
        if row["status"] in ("taken", "skipped"):
            session.add(
                ReminderAcknowledgement(
                    patient_id=patient.id,
                    schedule_id=naproxen.id,
                    action=row["status"],
                    medication="Naproxen",
                    at=row["answered_at"],
                    source="demo",
                    recorded_at=row["answered_at"],
                )
            )
    session.flush()
