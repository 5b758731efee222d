"""Pydantic shapes of the devices and posture API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from spinewise.devices.models import DeviceKind


class DeviceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    kind: DeviceKind


class DeviceCreated(BaseModel):
    id: int
    token: str = Field(
        description="Shown once. Send it as `Authorization: Bearer <token>` when ingesting."
    )


class DeviceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: DeviceKind
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    settings: dict[str, Any]


class DeviceSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mounting: str | None = Field(default=None, max_length=40)
    vibrate: bool | None = None
    sound: bool | None = None
    quiet_hours: list[str] | None = Field(default=None, min_length=2, max_length=2)


class SnoozeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: int = Field(ge=1, le=1440)


class Batch(BaseModel):
    """One batch of samples: rows of ``[t, ax, ay, az, gx, gy, gz]`` (Unix s, g, deg/s)."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=0, lt=2**62)
    samples: list[list[float]] = Field(max_length=20_000)


class IngestAck(BaseModel):
    accepted: int
    duplicate: bool
    status: str = Field(
        description="processed, pending (held until an earlier batch arrives), skipped or duplicate"
    )


class TimeInZone(BaseModel):
    neutral: float
    flexed: float
    severe: float


class PostureSummary(BaseModel):
    time_in_zone_s: TimeInZone
    alerts: int
    worn_s: float
    start: datetime
    end: datetime


class MinuteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    minute_start: datetime
    device_id: int
    covered_s: float
    neutral_s: float
    flexed_s: float
    severe_s: float
    flexion_mean_deg: float | None
    flexion_p90_deg: float | None
    still_s: float
    moving_s: float
    walking_s: float
    lying_s: float
    alerts: int


class EpisodeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start: datetime
    end: datetime
    zone: str
    peak_flexion_deg: float
    duration_s: float
    alerts: int
    max_level: int


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    reason: str
    zone: str
    level: int
    message: str
    delivered: bool
    response: str | None


class AlertResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response: str = Field(pattern="^(dismissed|corrected)$")


class PostureSettingsRead(BaseModel):
    config: dict[str, Any]
