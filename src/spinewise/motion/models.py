"""Camera-coaching results kept with the session log: derived numbers only.

One row per camera-coached exercise of a logged session (``rehab_exercise_logs``). The video
and the keypoints never leave the patient's phone; what is stored is what the browser's
analysis derived from them (repetitions, range, tempo, form flags), an estimate from a 2-D
camera view, not a clinical measurement.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class CameraResult(Base):
    """What the camera counted and measured for one exercise of one session."""

    __tablename__ = "motion_camera_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    session_log_id: Mapped[int] = mapped_column(
        ForeignKey("rehab_session_logs.id", ondelete="CASCADE"), index=True
    )
    exercise_log_id: Mapped[int] = mapped_column(
        ForeignKey("rehab_exercise_logs.id", ondelete="CASCADE"), unique=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)  # the session's day
    exercise_id: Mapped[str] = mapped_column(String(64))  # the library exercise
    exercise: Mapped[str] = mapped_column(String(32))  # the coaching definition
    angle: Mapped[str] = mapped_column(String(32))
    target_deg: Mapped[float] = mapped_column(Float)
    reps: Mapped[int] = mapped_column(SmallInteger)
    mean_rom_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_peak_deg: Mapped[float | None] = mapped_column(Float, nullable=True)
    # [{start_s, end_s, peak_deg, rom_deg, hold_s}] and [{t_s, check, rep}]
    repetitions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    form_flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    tracked_s: Mapped[float] = mapped_column(Float)
    frames_with_pose: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
