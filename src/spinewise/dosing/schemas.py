"""Pydantic shapes of the pump-programme API (the programme itself is ``dosing.programme``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from spinewise.dosing.models import ProgrammeSource, ProgrammeStatus
from spinewise.dosing.programme import Programme

PainHours = list[float]
# Ids of versions and libraries in paths: 64-bit (a larger number cannot even be looked up).
RecordId = Annotated[int, Path(ge=1, lt=2**63)]


class ProgrammeCreate(BaseModel):
    """A new programme version: the programme, why it is saved, and when the pump was filled."""

    model_config = ConfigDict(extra="forbid")

    programme: Programme
    reason: str = Field(min_length=3, max_length=2000, description="Why this version (kept).")
    soft_limit_reason: str = Field(
        default="",
        max_length=2000,
        description="Required when the maximum daily dose is above the drug's soft maximum; "
        "the version then waits for a second clinician's sign-off.",
    )
    filled_on: date | None = Field(
        default=None, description="Day the reservoir was filled (default: today, patient's zone)."
    )


class ProgrammeCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Programme


class ViolationRead(BaseModel):
    rule: str
    limit: float | str | None
    value: float | str


class LibraryRef(BaseModel):
    id: int | None = Field(description="None: the library shipped with Spinewise")
    clinic: str | None
    name: str
    version: str
    fingerprint: str


class CheckRead(BaseModel):
    """``dosing check --json`` plus what the service added: the baseline dose and the library."""

    ok: bool
    violations: list[ViolationRead]
    warnings: list[ViolationRead]
    basal_daily_dose: float
    max_daily_dose: float
    refill_due_days: float | None
    unit: str | None
    previous_daily_dose: float | None
    needs_sign_off: bool
    library: LibraryRef


class ProgrammeVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    status: ProgrammeStatus
    source: ProgrammeSource
    programme: dict[str, Any]
    drug: str
    unit: str
    basal_daily_dose: float
    max_daily_dose: float
    check_result: dict[str, Any]
    library_id: int | None
    library_name: str
    library_version: str
    library_fingerprint: str
    filled_on: date
    refill_due_on: date | None
    reason: str
    soft_limit_reason: str
    created_by_id: int | None
    created_by_name: str
    created_at: datetime
    signed_off_by_id: int | None
    signed_off_by_name: str
    signed_off_at: datetime | None
    activated_at: datetime | None
    ended_at: datetime | None


class ProgrammeVersionPage(BaseModel):
    items: list[ProgrammeVersionRead]
    total: int


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: Programme | None = Field(
        default=None, description="Programme to reshape (default: the active one)."
    )
    pain: PainHours | None = Field(
        default=None,
        min_length=24,
        max_length=24,
        description="24 mean pain scores 0-10 by clock hour (default: the recorded profile).",
    )
    max_steps: int = Field(default=4, ge=1, le=24)


class PlanRead(BaseModel):
    programme: dict[str, Any]
    check: dict[str, Any]
    changed: bool
    painful_hours: list[int]
    mean_level_before: float
    mean_level_after: float
    level_unit: str
    basal_daily_dose_before: float
    basal_daily_dose_after: float
    moved_fraction: float
    explanation: str
    pain: PainHours
    pain_source: str
    library: LibraryRef


class PumpSettingsRead(BaseModel):
    clinic: str | None = Field(description="Clinic whose library applies (None: shipped default)")
    pain_profile: PainHours | None
    pain_profile_note: str
    library: LibraryRef


class PumpSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clinic: str | None = Field(default=None, max_length=100)
    pain_profile: PainHours | None = Field(default=None, min_length=24, max_length=24)
    pain_profile_note: str = Field(default="", max_length=300)


class RefillRead(BaseModel):
    """What a patient sees of their pump: the drug and when the next refill is due."""

    has_programme: bool
    drug: str | None = None
    filled_on: date | None = None
    refill_due_on: date | None = None
    version: int | None = None


class BolusCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    taken_at: AwareDatetime
    relief: int = Field(ge=0, le=10, description="0 = no relief, 10 = complete relief")
    note: str = Field(default="", max_length=500)


class BolusRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    taken_at: datetime
    relief: int
    note: str
    programme_id: int | None
    logged_at: datetime


class LibraryUploadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clinic: str = Field(min_length=1, max_length=100)
    document: dict[str, Any] = Field(description="The library in the format of docs/dosing.md")
    note: str = Field(default="", max_length=2000)


class LibraryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    clinic: str
    name: str
    version: str
    fingerprint: str
    note: str
    uploaded_by_name: str
    uploaded_at: datetime


class LibraryDetail(LibraryRead):
    document: dict[str, Any]
