"""Camera-coaching results: stored with the session log, read for the progress pages.

``record_camera_results`` runs inside ``rehab.service.log_session`` (same transaction, after the
exercise logs are flushed); reads go through the caller's ``CurrentPatient`` (access checked
and audited there) and write their own audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.motion.coaching import CameraEntry
from spinewise.motion.models import CameraResult


def record_camera_results(
    session: Session,
    *,
    patient_id: int,
    session_log_id: int,
    day: dt.date,
    exercise_log_ids: Sequence[int],
    entries: Sequence[CameraEntry],
) -> list[CameraResult]:
    """One row per camera entry; ``exercise_log_ids[position]`` is the entry's exercise log."""
    rows = []
    for entry in entries:
        s = entry.summary
        row = CameraResult(
            patient_id=patient_id,
            session_log_id=session_log_id,
            exercise_log_id=exercise_log_ids[entry.position],
            day=day,
            exercise_id=entry.exercise_id,
            exercise=s.exercise,
            angle=s.angle,
            target_deg=s.target_deg,
            reps=s.reps,
            mean_rom_deg=s.mean_rom_deg,
            max_peak_deg=max((r.peak_deg for r in s.repetitions), default=None),
            repetitions=[r.to_dict() for r in s.repetitions],
            form_flags=[f.to_dict() for f in s.form_flags],
            tracked_s=s.tracked_s,
            frames_with_pose=s.frames_with_pose,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def list_camera_results(
    session: Session, *, actor: Actor, patient: Patient, limit: int = 200
) -> list[CameraResult]:
    """The patient's camera results, oldest first (the caller checked access to ``patient``)."""
    query = (
        select(CameraResult)
        .where(CameraResult.patient_id == patient.id)
        .order_by(CameraResult.day.desc(), CameraResult.id.desc())
        .limit(limit)
    )
    rows = list(session.scalars(query))[::-1]
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="motion.camera_results",
        action="read",
        detail=f"{len(rows)} results",
    )
    return rows


@dataclass(frozen=True)
class RangeTrend:
    """Range of motion per session of one coached exercise (camera estimates)."""

    exercise_id: str
    exercise: str
    angle: str
    target_deg: float
    points: list[tuple[dt.date, float, int]]  # (day, mean range of the session's reps, reps)


def range_trends(results: Sequence[CameraResult]) -> list[RangeTrend]:
    """Group results by library exercise; sessions without a counted repetition are left out."""
    by_exercise: dict[str, list[CameraResult]] = {}
    for r in results:
        by_exercise.setdefault(r.exercise_id, []).append(r)
    trends = []
    for exercise_id, rows in sorted(by_exercise.items()):
        points = [(r.day, r.mean_rom_deg, r.reps) for r in rows if r.mean_rom_deg is not None]
        if not points:
            continue
        last = rows[-1]
        trends.append(
            RangeTrend(
                exercise_id=exercise_id,
                exercise=last.exercise,
                angle=last.angle,
                target_deg=last.target_deg,
                points=[(d, float(m), n) for d, m, n in points],
            )
        )
    return trends
