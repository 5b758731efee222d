"""Pydantic shapes of the outcomes API (questionnaires, schedules, pain diary, progress)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Instrument(enum.StrEnum):
    odi = "odi"
    rmdq = "rmdq"
    nprs = "nprs"
    startback = "startback"
    psfs = "psfs"


class InstrumentRead(BaseModel):
    id: str
    name: str
    short_name: str
    version: str
    wording_included: bool
    licence: dict[str, Any]
    definition: dict[str, Any]


class ResponseCreate(BaseModel):
    """Either ``answers`` (the scorer's array, as in ``spinewise outcomes score``) or
    ``responses`` (``{item_id: value}``, ordered by the instrument's definition file)."""

    model_config = ConfigDict(extra="forbid")

    answers: list[Any] | None = Field(default=None, max_length=30)
    responses: dict[str, Any] | None = None
    answered_on: dt.date | None = None


class ResponseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    instrument: str
    answered_on: dt.date
    score: float
    result: dict[str, Any]
    created_at: dt.datetime


class ScheduleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instrument: Instrument
    interval_weeks: Literal[2, 4]
    baseline: dt.date | None = None
    active: bool = True


class OccasionRead(BaseModel):
    index: int
    due: dt.date
    window_start: dt.date
    window_end: dt.date
    status: str
    completed_on: dt.date | None


class ScheduleRead(BaseModel):
    instrument: str
    baseline: dt.date
    interval_weeks: int
    due_now: bool
    next: OccasionRead
    occasions: list[OccasionRead]


class DiaryEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: dt.date | None = None
    back_pain: int = Field(ge=0, le=10)
    leg_pain: int | None = Field(default=None, ge=0, le=10)
    sleep_disturbed: bool | None = None
    medication_taken: bool | None = None
    activity_min: int | None = Field(default=None, ge=0, le=1440)
    note: str = Field(default="", max_length=2000)


class DiaryEntryRead(BaseModel):
    day: dt.date
    back_pain: int
    leg_pain: int | None
    sleep_disturbed: bool | None
    medication_taken: bool | None
    activity_min: int | None
    note: str


class ScorePoint(BaseModel):
    day: dt.date
    score: float


class InstrumentProgressRead(BaseModel):
    instrument: str
    series: list[ScorePoint]
    sentence: str | None
    classification: str | None
    mic_points: float | None
    better: str | None


class ProgressRead(BaseModel):
    instruments: list[InstrumentProgressRead]
    pain_spikes: list[dt.date]
