"""Pydantic shapes of the reminders API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.reminders import service
from spinewise.reminders.models import (
    CalendarFeed,
    PushSubscription,
    ReminderOccurrence,
    ReminderSchedule,
)
from spinewise.reminders.schedule import describe

# Dates the scheduler can compute with (no year 1 or 9999 arithmetic at the edges).
SaneDate = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2199, 12, 31))]
SaneDateTime = Annotated[
    dt.datetime,
    Field(ge=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), le=dt.datetime(2199, 12, 31, tzinfo=dt.UTC)),
]
TimeOfDay = Annotated[str, Field(pattern=r"^\d{1,2}:\d{2}$", examples=["08:00"])]


class ScheduleWrite(BaseModel):
    """A schedule. Give ``times`` (local times of day), or ``every_min`` with a daily window,
    or ``once_at``; or ``as_needed`` for a medicine taken only when needed (no reminders)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["medication", "exercise", "posture", "other"]
    title: str = Field(min_length=1, max_length=200)
    dose: str = Field(default="", max_length=100)
    instructions: str = Field(default="", max_length=2000)
    times: list[TimeOfDay] = Field(default_factory=list, max_length=48)
    every_min: int | None = Field(default=None, ge=15, le=1440)
    window_start: TimeOfDay | None = None
    window_end: TimeOfDay | None = None
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: list(range(7)), max_length=7
    )
    start_date: SaneDate | None = None
    end_date: SaneDate | None = None
    once_at: SaneDateTime | None = None
    as_needed: bool = False
    channels: list[Literal["app", "push", "email"]] = Field(
        default_factory=lambda: ["app", "push"],  # type: ignore[arg-type]
        max_length=3,
    )

    def to_input(self) -> service.ScheduleInput:
        once_at = self.once_at
        if once_at is not None and once_at.tzinfo is None:
            once_at = once_at.replace(tzinfo=dt.UTC)
        return service.ScheduleInput(**{**self.model_dump(), "once_at": once_at})


class ProgrammeReminderCreate(BaseModel):
    local_time: TimeOfDay = "18:00"


class ScheduleRead(BaseModel):
    id: int
    kind: str
    title: str
    dose: str
    instructions: str
    times: list[str]
    every_min: int | None
    window_start: str | None
    window_end: str | None
    weekdays: list[int]
    start_date: dt.date
    end_date: dt.date | None
    once_at: dt.datetime | None
    as_needed: bool
    active: bool
    channels: list[str]
    source: str
    programme_id: int | None
    summary: str

    @classmethod
    def of(cls, s: ReminderSchedule) -> ScheduleRead:
        return cls(
            id=s.id,
            kind=str(s.kind),
            title=s.title,
            dose=s.dose,
            instructions=s.instructions,
            times=list(s.times),
            every_min=s.every_min,
            window_start=f"{s.window_start:%H:%M}" if s.window_start else None,
            window_end=f"{s.window_end:%H:%M}" if s.window_end else None,
            weekdays=list(s.weekdays),
            start_date=s.start_date,
            end_date=s.end_date,
            once_at=s.once_at,
            as_needed=s.as_needed,
            active=s.active,
            channels=list(s.channels),
            source=s.source,
            programme_id=s.programme_id,
            summary="as needed" if s.as_needed else describe(service.recurrence_of(s)),
        )


class OccurrenceRead(BaseModel):
    id: int
    schedule_id: int
    kind: str
    title: str
    dose: str
    due_at: dt.datetime
    status: str
    delivered_at: dt.datetime | None
    answered_at: dt.datetime | None
    snoozed_from_id: int | None

    @classmethod
    def of(cls, o: ReminderOccurrence, s: ReminderSchedule) -> OccurrenceRead:
        return cls(
            id=o.id,
            schedule_id=s.id,
            kind=str(s.kind),
            title=s.title,
            dose=s.dose,
            due_at=o.due_at,
            status=o.status,
            delivered_at=o.delivered_at,
            answered_at=o.answered_at,
            snoozed_from_id=o.snoozed_from_id,
        )


class AcknowledgeBody(BaseModel):
    action: Literal["taken", "skipped", "snooze"]
    at: SaneDateTime | None = None  # when it was taken, if not now


class AnswerRead(BaseModel):
    occurrence: OccurrenceRead
    follow_up: OccurrenceRead | None = None


class IntakeCreate(BaseModel):
    medication: str | None = Field(default=None, max_length=200)
    at: SaneDateTime | None = None


class IntakeRead(BaseModel):
    kind: str
    medication: str
    at: dt.datetime
    occurrence_id: int | None
    acknowledgement_id: int | None


class AdherenceWeek(BaseModel):
    medication: str
    week: str
    monday: dt.date
    taken: int
    skipped: int
    missed: int
    open: int
    as_needed_intakes: int
    adherence_pct: float | None


class AdherenceRead(BaseModel):
    weeks: list[AdherenceWeek]
    totals: dict[str, dict[str, Any]]


class PushKeys(BaseModel):
    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class PushSubscriptionCreate(BaseModel):
    endpoint: str = Field(min_length=8, max_length=2000)
    keys: PushKeys


class PushSubscriptionRead(BaseModel):
    id: int
    endpoint_origin: str
    created_at: dt.datetime
    last_success_at: dt.datetime | None

    @classmethod
    def of(cls, s: PushSubscription) -> PushSubscriptionRead:
        origin = "/".join(s.endpoint.split("/", 3)[:3])
        return cls(
            id=s.id,
            endpoint_origin=origin,
            created_at=s.created_at,
            last_success_at=s.last_success_at,
        )


class PublicKeyRead(BaseModel):
    public_key: str


class FeedCreate(BaseModel):
    include_names: bool = False


class FeedRead(BaseModel):
    id: int
    include_names: bool
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    url: str | None = None  # only in the answer that creates the feed

    @classmethod
    def of(cls, f: CalendarFeed, url: str | None = None) -> FeedRead:
        return cls(
            id=f.id,
            include_names=f.include_names,
            created_at=f.created_at,
            last_used_at=f.last_used_at,
            url=url,
        )
