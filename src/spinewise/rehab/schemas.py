"""Pydantic shapes of the rehab API (exercise library, programmes, sessions, adherence,
videos, dashboard)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.motion.schemas import CameraSummaryIn


class ExerciseSummary(BaseModel):
    id: str
    name: str
    category: str
    purpose: str
    difficulty: int
    equipment: list[str]
    tags: list[str]
    base_pose: str


class ExercisePage(BaseModel):
    items: list[ExerciseSummary]
    total: int


class ExerciseRead(BaseModel):
    """A full exercise; ``demonstration.keyframes`` carry fully resolved angle sets."""

    id: str
    name: str
    category: str
    purpose: str
    steps: list[str]
    dosage: dict[str, Any]
    progressions: list[str]
    regressions: list[str]
    cautions: list[str]
    contraindications: list[str]
    equipment: list[str]
    difficulty: int
    tags: list[str]
    demonstration: dict[str, Any]


class TemplateSummary(BaseModel):
    id: str
    name: str
    indication: str
    summary: str
    duration_weeks: int
    week_offset: int
    sessions_per_week: int


class ProgrammeItemIn(BaseModel):
    """An exercise of a programme; dosage fields left out take the exercise's default."""

    model_config = ConfigDict(extra="forbid")

    exercise_id: str = Field(max_length=64)
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    duration_min: int | None = None
    rest_s: int | None = None
    per_side: bool | None = None
    from_week: int | None = None
    until_week: int | None = None
    notes: str = Field(default="", max_length=500)


class ProgrammeCreate(BaseModel):
    """Build from a template (``template_id``; other fields override it) or from scratch."""

    model_config = ConfigDict(extra="forbid")

    template_id: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    sessions_per_week: int | None = Field(default=None, ge=1, le=14)
    duration_weeks: int | None = Field(default=None, ge=1, le=52)
    items: list[ProgrammeItemIn] | None = Field(default=None, max_length=30)
    progression_rule: str | None = Field(default=None, max_length=5000)
    notes: str = Field(default="", max_length=5000)
    start_date: dt.date | None = None


class ProgrammeRevise(BaseModel):
    """A change: fields left out carry over; every change is a new version."""

    model_config = ConfigDict(extra="forbid")

    change_note: str = Field(min_length=1, max_length=500)
    name: str | None = Field(default=None, max_length=200)
    sessions_per_week: int | None = Field(default=None, ge=1, le=14)
    duration_weeks: int | None = Field(default=None, ge=1, le=52)
    items: list[ProgrammeItemIn] | None = Field(default=None, max_length=30)
    progression_rule: str | None = Field(default=None, max_length=5000)
    notes: str | None = Field(default=None, max_length=5000)
    status: Literal["active", "ended"] | None = None


class ProgrammeVersionRead(BaseModel):
    version: int
    name: str
    sessions_per_week: int
    duration_weeks: int
    progression_rule: str
    notes: str
    items: list[dict[str, Any]]
    change_note: str
    author_id: int | None
    created_at: dt.datetime


class ProgrammeRead(BaseModel):
    id: int
    patient_id: int
    template_id: str | None
    status: str
    start_date: dt.date
    end_date: dt.date
    current_version: int
    current: ProgrammeVersionRead
    history: list[ProgrammeVersionRead]


class PlanItemRead(BaseModel):
    exercise_id: str
    name: str
    dose: str
    sets: int | None
    reps: int | None
    hold_s: int | None
    duration_min: int | None
    rest_s: int
    per_side: bool
    notes: str


class TodayRead(BaseModel):
    day: dt.date
    programme_id: int | None
    programme_version: int | None
    programme_name: str | None
    week: int
    finished: bool
    sessions_today: int
    items: list[PlanItemRead]


class ExerciseLogIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exercise_id: str = Field(max_length=64)
    status: Literal["done", "partial", "skipped"]
    sets_done: int | None = Field(default=None, ge=0, le=10)
    pain_during: int | None = Field(default=None, ge=0, le=10)
    difficulty: Literal["too_easy", "just_right", "too_hard"] | None = None
    # Camera coaching (spinewise.motion): derived numbers only, never images or keypoints.
    camera: CameraSummaryIn | None = None


class SessionCreate(BaseModel):
    """A session as the player sends it; ``client_id`` makes resending safe."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    day: dt.date | None = None
    programme_id: int | None = None
    duration_s: int | None = Field(default=None, ge=0, le=86400)
    note: str = Field(default="", max_length=2000)
    exercises: list[ExerciseLogIn] = Field(min_length=1, max_length=30)


class ExerciseLogRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    exercise_id: str
    status: str
    sets_done: int | None
    pain_during: int | None
    difficulty: str | None


class SessionRead(BaseModel):
    id: int
    client_id: str
    day: dt.date
    status: str
    programme_id: int
    programme_version: int
    duration_s: int | None
    created: bool = True
    exercises: list[ExerciseLogRead]


class WeekRead(BaseModel):
    label: str
    monday: dt.date
    prescribed: int
    completed: int
    partial: int
    skipped: int
    adherence_pct: float | None
    complete: bool


class FlagRead(BaseModel):
    code: str
    label: str = ""
    detail: str
    severity: str = "warn"


class AdherenceRead(BaseModel):
    programme_id: int | None
    overall_pct: float | None
    trend: str | None
    trend_slope_pct_per_week: float | None
    flags: list[FlagRead]
    weeks: list[WeekRead]
    sentences: list[str]


class VideoRead(BaseModel):
    id: int
    title: str
    exercise_id: str | None
    content_type: str
    size_bytes: int
    created_at: dt.datetime
    url: str


class DashboardRowRead(BaseModel):
    patient_id: int
    name: str
    programme: str | None
    adherence_pct: float | None
    flags: list[FlagRead]
