"""Tables of the pump planner: programme versions, clinic drug libraries, pump settings, boluses.

A programme version is written once and never edited except for its life-cycle fields
(``status``, sign-off, activation and end): every change to a pump programme is a new version
that says who saved it and why, and which drug library (by SHA-256 fingerprint) approved it.
Nothing that breaks a hard limit is ever written here (see ``dosing.service.save_programme``).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class ProgrammeStatus(enum.StrEnum):
    active = "active"  # what the pump should run now (at most one per patient)
    awaiting_sign_off = "awaiting_sign_off"  # above the soft maximum: a second clinician must sign
    superseded = "superseded"  # was active, replaced by a later version
    withdrawn = "withdrawn"  # never signed off: replaced by a later version first


class ProgrammeSource(enum.StrEnum):
    form = "form"  # typed into the pump page
    planner = "planner"  # the planner's suggestion, loaded into the form and saved
    api = "api"  # POST /api/v1/patients/{id}/pump-programmes


def _enum(kind: type[enum.StrEnum], length: int) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class DrugLibraryUpload(Base):
    """A clinic's own drug library, validated by the pure loader; uploads are never edited.

    A clinic's library is its newest upload. There is no clinic table yet: ``clinic`` is the
    clinic's name, and a patient's pump settings name the clinic whose library applies.
    """

    __tablename__ = "dosing_drug_libraries"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_by_name: Mapped[str] = mapped_column(String(200), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PumpSettings(Base):
    """Per patient: the clinic whose drug library applies, and the hourly pain profile.

    ``pain_profile`` is 24 mean pain scores (0-10, hour 0 = 00:00-01:00) entered by a
    clinician until the pain diary can supply it (``dosing.service.hourly_pain_profile``).
    """

    __tablename__ = "dosing_pump_settings"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    clinic: Mapped[str | None] = mapped_column(String(100), nullable=True)
    pain_profile: Mapped[list[float] | None] = mapped_column(JSON, nullable=True)
    pain_profile_note: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class PumpProgrammeVersion(Base):
    """One saved version of a patient's pump programme, with its check and its provenance."""

    __tablename__ = "dosing_programmes"
    __table_args__ = (
        UniqueConstraint("patient_id", "version"),
        # At most one active and one waiting version per patient, whatever the application does.
        *(
            Index(
                f"uq_dosing_programmes_one_{status.value}",
                "patient_id",
                unique=True,
                sqlite_where=sql_text(f"status = '{status.value}'"),
                postgresql_where=sql_text(f"status = '{status.value}'"),
            )
            for status in (ProgrammeStatus.active, ProgrammeStatus.awaiting_sign_off)
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[ProgrammeStatus] = mapped_column(_enum(ProgrammeStatus, 20), index=True)
    source: Mapped[ProgrammeSource] = mapped_column(_enum(ProgrammeSource, 10))
    # The programme exactly as checked (``Programme.to_dict()``, previous_daily_dose included).
    programme: Mapped[dict[str, Any]] = mapped_column(JSON)
    drug: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(8))
    basal_daily_dose: Mapped[float] = mapped_column(Float)
    max_daily_dose: Mapped[float] = mapped_column(Float)
    # ``CheckResult.to_dict()`` at save time: ok, warnings (the soft rule), doses, refill days.
    check_result: Mapped[dict[str, Any]] = mapped_column(JSON)
    library_id: Mapped[int | None] = mapped_column(
        ForeignKey("dosing_drug_libraries.id", ondelete="RESTRICT"), nullable=True
    )  # None: the library shipped with Spinewise
    library_name: Mapped[str] = mapped_column(String(200))
    library_version: Mapped[str] = mapped_column(String(100))
    library_fingerprint: Mapped[str] = mapped_column(String(64))
    filled_on: Mapped[date] = mapped_column(Date)
    refill_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    soft_limit_reason: Mapped[str] = mapped_column(Text, default="")
    # Names are copied so the history still says who acted if an account is later removed.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    signed_off_by_name: Mapped[str] = mapped_column(String(200), default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class BolusActivation(Base):
    """A patient-activated bolus the patient logged, with the relief it gave (0-10)."""

    __tablename__ = "dosing_bolus_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("dosing_programmes.id", ondelete="SET NULL"), nullable=True
    )
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    relief: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500), default="")
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
