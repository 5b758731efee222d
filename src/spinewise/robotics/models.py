"""Tables for robotic-assisted therapy: the clinician's prescription and the session record.

A prescription holds one patient's limits, body size (the controller's and the safety monitor's
trunk model) and assigned protocol. A session row is written when a session starts and
completed by the background task that runs it: metrics, per-repetition rows, the safety events
with their causes, and a decimated trace for the chart. Every session so far runs on the
simulated device (``simulated`` is stored so that the record says so, now and later).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spinewise.db import Base, UTCDateTime, utcnow


class SessionStatus(enum.StrEnum):
    running = "running"
    completed = "completed"  # ran to the end of its protocol without a safety event
    stopped = "stopped"  # a safety event ended it; the cause is in stop_cause and the events
    interrupted = "interrupted"  # the host lost it (server restart, task failure): see note


class RoboticsPrescription(Base):
    """One patient's limits, body size and protocol, set by a clinician of the care team."""

    __tablename__ = "robotics_prescriptions"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    # {"angle_deg": [lo, hi], "torque_nm": max, "velocity_deg_s": max}
    limits: Mapped[dict[str, Any]] = mapped_column(JSON)
    mass_kg: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    # The protocol document without its limits (the patient's limits above always apply).
    protocol: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    protocol_name: Mapped[str] = mapped_column(String(200), default="")
    protocol_source: Mapped[str] = mapped_column(String(60), default="")  # example:<key> | upload
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(nullable=True)


class RoboticsSession(Base):
    __tablename__ = "robotics_sessions"
    __table_args__ = (
        # One running session per patient, enforced by the database on every engine.
        Index(
            "uq_robotics_sessions_running_patient",
            "patient_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[SessionStatus] = mapped_column(
        Enum(SessionStatus, native_enum=False, length=20), default=SessionStatus.running
    )
    simulated: Mapped[bool] = mapped_column(Boolean, default=True)
    started_by: Mapped[int | None] = mapped_column(nullable=True)  # user id (no FK: a record)
    started_by_name: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The running task's last sign of life and session time (another worker can tell it is alive).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    progress_s: Mapped[float] = mapped_column(Float, default=0.0)
    # What ran: the validated protocol with the patient's limits, the simulated patient, the seed.
    protocol_name: Mapped[str] = mapped_column(String(200), default="")
    protocol: Mapped[dict[str, Any]] = mapped_column(JSON)
    patient_model: Mapped[dict[str, Any]] = mapped_column(JSON)
    simulated_patient: Mapped[str] = mapped_column(String(40), default="")
    seed: Mapped[int] = mapped_column(Integer, default=0)
    faults: Mapped[list[str]] = mapped_column(JSON, default=list)
    planned_duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    planned_repetitions: Mapped[int] = mapped_column(Integer, default=0)
    # Results, written when the session ends.
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    completed_repetitions: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    trace: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Why it stopped: the first safety event (the monitor's cause and safe state) and, for a stop
    # pressed on the live page, who pressed it and when.
    stop_cause: Mapped[str | None] = mapped_column(String(40), nullable=True)
    stop_action: Mapped[str | None] = mapped_column(String(20), nullable=True)
    stop_t_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    stop_detail: Mapped[str] = mapped_column(Text, default="")
    stop_requested_by: Mapped[int | None] = mapped_column(nullable=True)
    stop_requested_by_name: Mapped[str] = mapped_column(String(200), default="")
    stop_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    repetitions: Mapped[list[RoboticsRepetition]] = relationship(
        lazy="raise", order_by="RoboticsRepetition.rep_index", cascade="all, delete-orphan"
    )
    safety_events: Mapped[list[RoboticsSafetyEvent]] = relationship(
        lazy="raise", order_by="RoboticsSafetyEvent.t_s", cascade="all, delete-orphan"
    )


class RoboticsRepetition(Base):
    """Metrics of one completed repetition (see ``robotics.metrics``)."""

    __tablename__ = "robotics_repetitions"
    __table_args__ = (UniqueConstraint("session_id", "rep_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("robotics_sessions.id", ondelete="CASCADE"), index=True
    )
    rep_index: Mapped[int] = mapped_column(Integer)  # 0-based, in protocol order
    exercise: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    # Undefined values (no movement, no work) are NULL.
    assistance: Mapped[float | None] = mapped_column(Float, nullable=True)
    rom_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    tracking_rmse_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    patient_work_fraction: Mapped[float | None] = mapped_column(Float, nullable=True)
    sparc: Mapped[float | None] = mapped_column(Float, nullable=True)
    log_dimensionless_jerk: Mapped[float | None] = mapped_column(Float, nullable=True)
    patient_positive_work_j: Mapped[float | None] = mapped_column(Float, nullable=True)
    robot_positive_work_j: Mapped[float | None] = mapped_column(Float, nullable=True)


class RoboticsSafetyEvent(Base):
    """A safety monitor event: when, which fault or stop, which safe state followed."""

    __tablename__ = "robotics_safety_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("robotics_sessions.id", ondelete="CASCADE"), index=True
    )
    t_s: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
