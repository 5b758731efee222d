"""Pydantic shapes of the accounts API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from spinewise.accounts.models import Role, Sex


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeRead(BaseModel):
    id: int
    email: str
    role: Role
    name: str
    patient_id: int | None


class ClinicianRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str


class PatientRead(BaseModel):
    id: int
    name: str
    email: str
    date_of_birth: date | None
    sex: Sex
    timezone: str
    cancer_history: bool
    osteoporosis: bool
    spinal_surgery: bool
    long_term_steroids: bool
    immunosuppressed: bool
    history_notes: str
    care_team: list[ClinicianRead]


class PatientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_of_birth: date | None = None
    sex: Sex | None = None
    timezone: str | None = Field(default=None, max_length=64)
    cancer_history: bool | None = None
    osteoporosis: bool | None = None
    spinal_surgery: bool | None = None
    long_term_steroids: bool | None = None
    immunosuppressed: bool | None = None
    history_notes: str | None = Field(default=None, max_length=5000)


class PatientSummary(BaseModel):
    id: int
    name: str
    email: str
    age: int | None


class PatientPage(BaseModel):
    items: list[PatientSummary]
    total: int


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    role: Role
    name: str = Field(default="", max_length=200)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role
    name: str
    is_active: bool


class InviteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    name: str = Field(default="", max_length=200)


class InviteRead(BaseModel):
    email: str
    expires_in_s: int
