"""Tables for decision support: the clinician's assessment that feeds it.

Assessments are never edited: a correction or a reassessment is a new row, dated, so the
history of what was known when is kept (versioned by date). Predictions are not stored; they
are computed from an assessment with the installed models each time they are shown, and each
showing is in the audit log with the model versions used.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class Assessment(Base):
    """The inputs of STarT Back stratification, the manipulation rule and the
    treatment-response model, as found by a clinician on ``assessed_on``.

    Units: ODI percent 0-100; NPRS 0-10; STarT Back total 0-9 and psychosocial 0-5; episode
    duration in days; FABQ work 0-42 and physical activity 0-24; hip internal rotation in
    degrees. ``None`` means not assessed. Answers, when the clinician entered them instead
    of scores, are kept beside the scores computed from them.
    """

    __tablename__ = "predict_assessments"
    __table_args__ = (Index("ix_predict_assessments_patient_date", "patient_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    assessed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    clinician_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    clinician_name: Mapped[str] = mapped_column(String(200), default="")

    odi_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    odi_answers: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    nprs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    startback_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    startback_psychosocial: Mapped[int | None] = mapped_column(Integer, nullable=True)
    startback_risk: Mapped[str | None] = mapped_column(String(10), nullable=True)
    startback_answers: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    # Used only when the profile has no date of birth (the profile is the source of age).
    age_years: Mapped[float | None] = mapped_column(Float, nullable=True)

    symptom_duration_days: Mapped[float | None] = mapped_column(Float, nullable=True)
    symptoms_distal_to_knee: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    fabq_work: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fabq_pa: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hip_internal_rotation_left_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    hip_internal_rotation_right_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    lumbar_hypomobility: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    notes: Mapped[str] = mapped_column(Text, default="")
