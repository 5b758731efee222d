"""Tables of reminders: schedules, their occurrences (the persisted job queue), deliveries,
acknowledgements, Web Push subscriptions and calendar feed tokens.

An occurrence is one due reminder. ``(schedule_id, due_at)`` is unique, so however many
scheduler workers materialise the same schedule, or however often a crashed one retries, a
reminder exists once; a delivery is unique per ``(occurrence_id, target)``, so it is recorded
once per channel.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class ScheduleKind(enum.StrEnum):
    medication = "medication"
    exercise = "exercise"
    posture = "posture"
    other = "other"


class ReminderSchedule(Base):
    """When to remind a patient of what. Times are local to the patient's time zone."""

    __tablename__ = "reminder_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ScheduleKind] = mapped_column(Enum(ScheduleKind, native_enum=False, length=20))
    title: Mapped[str] = mapped_column(String(200))  # medicine name, "Home exercises", …
    dose: Mapped[str] = mapped_column(String(100), default="")
    instructions: Mapped[str] = mapped_column(Text, default="")
    times: Mapped[list[str]] = mapped_column(JSON, default=list)  # ["08:00", "20:00"]
    every_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    window_start: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    window_end: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=lambda: list(range(7)))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    once_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # As-needed medicines get no reminders; their intakes are logged (and counted).
    as_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    channels: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["app", "push"])
    source: Mapped[str] = mapped_column(String(20), default="manual")
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("rehab_programmes.id", ondelete="SET NULL"), nullable=True
    )
    # Occurrences exist up to here; the scheduler extends it (materialise ahead).
    generated_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderOccurrence(Base):
    """One due reminder; ``status`` follows ``policy`` (pending → delivered → taken …)."""

    __tablename__ = "reminder_occurrences"
    __table_args__ = (
        UniqueConstraint("schedule_id", "due_at"),
        Index("ix_reminder_occurrences_status_due", "status", "due_at"),
        Index("ix_reminder_occurrences_patient_due", "patient_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("reminder_schedules.id", ondelete="CASCADE")
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    snoozed_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_occurrences.id", ondelete="SET NULL"), nullable=True
    )
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReminderDelivery(Base):
    """A reminder sent (or to be sent) on one channel to one target: ``app`` (live in-app),
    ``push:<subscription id>`` or ``email``. Push and e-mail are queued and sent by the
    scheduler's sender with a lease, so a crash mid-send is retried."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "target"),
        Index("ix_reminder_deliveries_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(
        ForeignKey("reminder_occurrences.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(10))  # app | push | email
    target: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(
        String(10), default="queued"
    )  # queued|sending|sent|failed|gone
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    detail: Mapped[str] = mapped_column(String(300), default="")


class ReminderAcknowledgement(Base):
    """The patient's answer to a reminder (taken, skipped, snooze), or an as-needed intake."""

    __tablename__ = "reminder_acknowledgements"
    __table_args__ = (Index("ix_reminder_acknowledgements_patient_at", "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_schedules.id", ondelete="SET NULL"), nullable=True
    )
    occurrence_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_occurrences.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(10))  # taken | skipped | snooze | intake
    medication: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)  # when taken
    source: Mapped[str] = mapped_column(String(20), default="app")  # app | api | assistant
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PushSubscription(Base):
    """A browser's Web Push subscription (RFC 8030 endpoint + RFC 8291 keys)."""

    __tablename__ = "reminder_push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(Text)
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def info(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class CalendarFeed(Base):
    """A private iCalendar feed URL; only a SHA-256 of its token is stored (revocable)."""

    __tablename__ = "reminder_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    include_names: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
