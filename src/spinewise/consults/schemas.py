"""Pydantic shapes of the consultations API."""

from __future__ import annotations

from datetime import datetime, time

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from spinewise.consults.models import AppointmentKind, AppointmentStatus


class AppointmentCreate(BaseModel):
    """A clinician books ``patient_id``; a patient books ``clinician_id`` (a free slot of a
    clinician in their care team) and may leave ``patient_id`` out."""

    model_config = ConfigDict(extra="forbid")

    patient_id: int | None = Field(default=None, ge=1)
    clinician_id: int | None = Field(default=None, ge=1)
    start: AwareDatetime = Field(
        description="ISO 8601 with a UTC offset, e.g. 2026-07-01T10:00+02:00"
    )
    duration_min: int = Field(default=30, ge=5, le=240)
    kind: AppointmentKind = AppointmentKind.video


class AppointmentUpdate(BaseModel):
    """Reschedule: a new start and optionally a new length."""

    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime
    duration_min: int | None = Field(default=None, ge=5, le=240)


class AppointmentCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=500)


class PartyTime(BaseModel):
    """The start and end as one party reads them, in their own time zone."""

    timezone: str
    start: datetime
    end: datetime
    label: str


class AppointmentRead(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    clinician_id: int
    clinician_name: str
    start: datetime = Field(description="UTC")
    end: datetime = Field(description="UTC")
    duration_min: int
    kind: AppointmentKind
    status: AppointmentStatus
    join_url: str | None = Field(description="The video room, for video appointments")
    ics_url: str
    room_opens_at: datetime
    room_closes_at: datetime
    patient_time: PartyTime
    clinician_time: PartyTime


class AppointmentPage(BaseModel):
    items: list[AppointmentRead]
    total: int


class AvailabilityRuleIO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: time
    end: time


class AvailabilityIO(BaseModel):
    """A clinician's weekly availability, in their own time zone."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(max_length=64)
    slot_min: int = Field(default=30, ge=5, le=240)
    rules: list[AvailabilityRuleIO] = Field(default_factory=list, max_length=50)


class SlotPage(BaseModel):
    clinician_id: int
    timezone: str
    duration_min: int
    slots: list[datetime] = Field(description="Free start instants, UTC")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subjective: str = Field(default="", max_length=10_000)
    objective: str = Field(default="", max_length=10_000)
    assessment: str = Field(default="", max_length=10_000)
    plan: str = Field(default="", max_length=10_000)


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    appointment_id: int | None
    author_id: int | None
    subjective: str
    objective: str
    assessment: str
    plan: str
    created_at: datetime


class ThreadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: int | None = Field(default=None, ge=1)
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)


class AttachmentRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    url: str


class MessageRead(BaseModel):
    id: int
    sender_id: int | None
    sender_name: str
    body: str
    created_at: datetime
    attachments: list[AttachmentRead]


class ThreadSummary(BaseModel):
    id: int
    patient_id: int
    patient_name: str
    subject: str
    last_message_at: datetime
    unread: int


class ThreadRead(ThreadSummary):
    messages: list[MessageRead]


class ThreadPage(BaseModel):
    items: list[ThreadSummary]
    total: int
    unread: int


class UnreadRead(BaseModel):
    unread: int
