"""Tables for people: users (every role), patient profiles, care-team membership, invitations."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spinewise.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    patient = "patient"
    clinician = "clinician"
    admin = "admin"


class Sex(enum.StrEnum):
    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lockout after repeated failed sign-ins (per account, see accounts.service.authenticate).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    patient: Mapped[Patient | None] = relationship(back_populates="user", lazy="raise")


class Patient(Base):
    """A patient's profile. Later features (triage, prediction) read the history flags."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[Sex] = mapped_column(Enum(Sex, native_enum=False, length=10), default=Sex.unknown)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Relevant history (red-flag context for triage; risk context for prediction).
    cancer_history: Mapped[bool] = mapped_column(Boolean, default=False)
    osteoporosis: Mapped[bool] = mapped_column(Boolean, default=False)
    spinal_surgery: Mapped[bool] = mapped_column(Boolean, default=False)
    long_term_steroids: Mapped[bool] = mapped_column(Boolean, default=False)
    immunosuppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    history_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="patient", lazy="raise")


class CareTeamMember(Base):
    """A clinician in a patient's care team: the one relationship that grants access."""

    __tablename__ = "care_team_members"
    __table_args__ = (UniqueConstraint("patient_id", "clinician_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invite(Base):
    """A one-time sign-up link a clinician sends to a new patient (only the hash is stored)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
