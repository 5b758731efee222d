"""Tables for devices and the posture data derived from them.

Only aggregates reach the database (DESIGN §3): per-minute posture, episodes and alerts. Raw
samples pass through the streaming engine and are archived to Parquet only when configured.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class DeviceKind(enum.StrEnum):
    imu_wearable = "imu-wearable"
    phone = "phone"


class BatchStatus(enum.StrEnum):
    processed = "processed"  # fed to the engine
    pending = "pending"  # arrived ahead of a missing batch; held (committed) until the gap fills
    skipped = "skipped"  # arrived after its gap was given up: acknowledged, not analysed


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[DeviceKind] = mapped_column(
        Enum(
            DeviceKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Device settings: mounting, quiet hours, feedback channels, snooze (see devices.schemas).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Ingestion cursor and the engine's state after the last processed batch, committed together
    # with that batch so that a crash never loses or double-counts a second of data.
    next_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # True while the engine holds data not yet finalised (an open minute, a running episode).
    engine_open: Mapped[bool] = mapped_column(default=False)
    engine_state: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # zlib(JSON)


class IngestedBatch(Base):
    """Idempotency record of every acknowledged batch: (device, seq) is processed once."""

    __tablename__ = "ingested_batches"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    samples: Mapped[int] = mapped_column(Integer)
    status: Mapped[BatchStatus] = mapped_column(Enum(BatchStatus, native_enum=False, length=10))
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)  # only while pending


class PostureSettings(Base):
    """Per-patient posture engine settings (thresholds, holding times), set by a clinician."""

    __tablename__ = "posture_settings"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(nullable=True)


class PostureMinute(Base):
    __tablename__ = "posture_minutes"
    __table_args__ = (UniqueConstraint("device_id", "minute_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    minute_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    covered_s: Mapped[float] = mapped_column(Float)
    neutral_s: Mapped[float] = mapped_column(Float)
    flexed_s: Mapped[float] = mapped_column(Float)
    severe_s: Mapped[float] = mapped_column(Float)
    flexion_mean_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    flexion_p90_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    still_s: Mapped[float] = mapped_column(Float, default=0.0)
    moving_s: Mapped[float] = mapped_column(Float, default=0.0)
    walking_s: Mapped[float] = mapped_column(Float, default=0.0)
    lying_s: Mapped[float] = mapped_column(Float, default=0.0)
    alerts: Mapped[int] = mapped_column(Integer, default=0)
    alerts_escalated: Mapped[int] = mapped_column(Integer, default=0)


class PostureEpisode(Base):
    __tablename__ = "posture_episodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(10))
    peak_flexion_deg: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    alerts: Mapped[int] = mapped_column(Integer, default=0)
    max_level: Mapped[int] = mapped_column(Integer, default=0)


class PostureAlert(Base):
    __tablename__ = "posture_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(String(40))
    zone: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(300))
    # Whether live feedback was sent (quiet hours and snooze hold it back) and what the patient did.
    delivered: Mapped[bool] = mapped_column(default=True)
    response: Mapped[str | None] = mapped_column(String(20), nullable=True)  # dismissed | snoozed
