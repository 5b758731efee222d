"""Tables of patient-reported outcomes: questionnaire responses, schedules, pain diary.

Responses keep the raw answers and the result of the pure scorer
(:func:`spinewise.outcomes.scoring.score_answers`), so a score can always be recomputed
and audited against the published rule.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class QuestionnaireResponse(Base):
    """One answered questionnaire, scored by the pure scoring functions."""

    __tablename__ = "outcome_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(20), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # the scorer's to_dict()
    entered_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionnaireSchedule(Base):
    """Baseline then every 2 or 4 weeks, per patient and instrument."""

    __tablename__ = "outcome_schedules"
    __table_args__ = (UniqueConstraint("patient_id", "instrument"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(20))
    baseline: Mapped[date] = mapped_column(Date)
    interval_weeks: Mapped[int] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    set_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PainDiaryRecord(Base):
    """One day of the pain diary (a second entry for the same day replaces the first)."""

    __tablename__ = "outcome_pain_diary"
    __table_args__ = (UniqueConstraint("patient_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    back_pain: Mapped[int] = mapped_column(SmallInteger)
    leg_pain: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    sleep_disturbed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    medication_taken: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    activity_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
