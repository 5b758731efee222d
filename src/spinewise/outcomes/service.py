"""Outcome use cases: answer and score questionnaires, schedules, the pain diary,
progress in plain language and the outcome flags of the clinician dashboard.

Every score comes from the pure scorers (:func:`spinewise.outcomes.scoring.score_answers`)
and every judgement of change from :func:`spinewise.outcomes.change.classify_change`;
this module only stores, selects and audits. Services flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient, Role
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, InvalidInput
from spinewise.db import utcnow
from spinewise.outcomes.change import MIC, classify_change
from spinewise.outcomes.definition import (
    InstrumentDefinition,
    answers_in_order,
    builtin_definition,
    check_compatible,
    validate_definition,
)
from spinewise.outcomes.models import PainDiaryRecord, QuestionnaireResponse, QuestionnaireSchedule
from spinewise.outcomes.pain_diary import PainDiaryEntry, pain_spikes
from spinewise.outcomes.progress import ProgressMessage, describe_progress
from spinewise.outcomes.schedule import Occasion, occasions
from spinewise.outcomes.scoring import score_answers
from spinewise.rehab.service import today_for

#: Questionnaires a patient answers in the app (the pain diary has its own form).
QUESTIONNAIRES: tuple[str, ...] = ("odi", "rmdq", "nprs", "startback", "psfs")
#: Instruments whose change over time is charted against a minimal important change.
TRACKED: tuple[str, ...] = ("odi", "rmdq", "nprs", "psfs")
SCALE_MAX: dict[str, float] = {"odi": 100, "rmdq": 24, "nprs": 10, "psfs": 10, "startback": 9}
PAIN_SPIKE_RECENT_DAYS = 7


def check_instrument(instrument: str) -> str:
    if instrument not in QUESTIONNAIRES:
        raise InvalidInput("instrument", f"must be one of {', '.join(QUESTIONNAIRES)}")
    return instrument


def definition_for(instrument: str, data_dir: Path | None = None) -> InstrumentDefinition:
    """The clinic's licensed definition if one is installed, else the built-in one.

    A clinic that holds a licence (ODI, RMDQ) puts its file at
    ``<data_dir>/instruments/<id>.json``; it is accepted only when its structure matches
    the built-in definition (:func:`check_compatible`), so scoring cannot change.
    """
    if data_dir is not None:
        path = Path(data_dir) / "instruments" / f"{instrument}.json"
        if path.is_file():
            custom = validate_definition(json.loads(path.read_text(encoding="utf-8")))
            return check_compatible(custom)
    return builtin_definition(instrument)


# --- responses ------------------------------------------------------------------------------


def submit_response(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    instrument: str,
    answers: Any = None,
    responses: Mapping[str, Any] | None = None,
    answered_on: dt.date | None = None,
    data_dir: Path | None = None,
) -> QuestionnaireResponse:
    """Score and store one questionnaire.

    Give either ``answers`` (the scorer's answer array, DESIGN §5) or ``responses``
    (``{item_id: value}`` as a form sends them, put in order by the definition file).
    """
    check_instrument(instrument)
    if (answers is None) == (responses is None):
        raise InvalidInput("answers", "give either answers or responses")
    if responses is not None:
        answers = answers_in_order(definition_for(instrument, data_dir), responses)
    result = score_answers(instrument, answers)
    today = today_for(patient)
    day = answered_on or today
    if day > today + dt.timedelta(days=1):
        raise InvalidInput("answered_on", "is in the future")
    row = QuestionnaireResponse(
        patient_id=patient.id,
        instrument=instrument,
        answered_on=day,
        answers=answers,
        score=float(result.score),
        result=result.to_dict(),
        entered_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource=f"outcomes.{instrument}",
        action="create",
        detail=f"response {row.id}",
    )
    return row


def list_responses(
    session: Session, *, patient: Patient, instrument: str | None = None, limit: int = 500
) -> list[QuestionnaireResponse]:
    query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
    if instrument:
        query = query.where(QuestionnaireResponse.instrument == check_instrument(instrument))
    query = query.order_by(QuestionnaireResponse.answered_on, QuestionnaireResponse.id).limit(limit)
    return list(session.scalars(query))


# --- schedules --------------------------------------------------------------------------------


def set_schedule(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    instrument: str,
    interval_weeks: int,
    baseline: dt.date | None = None,
    active: bool = True,
) -> QuestionnaireSchedule:
    """Schedule an instrument: baseline, then every 2 or 4 weeks (clinicians only)."""
    if actor.user is None or actor.user.role != Role.clinician:
        raise Forbidden("only the patient's clinicians set the questionnaire schedule")
    check_instrument(instrument)
    if interval_weeks not in (2, 4):
        raise InvalidInput("interval_weeks", "must be 2 or 4")
    row = session.scalar(
        select(QuestionnaireSchedule).where(
            QuestionnaireSchedule.patient_id == patient.id,
            QuestionnaireSchedule.instrument == instrument,
        )
    )
    if row is None:
        row = QuestionnaireSchedule(patient_id=patient.id, instrument=instrument)
        session.add(row)
    row.baseline = baseline or today_for(patient)
    row.interval_weeks = interval_weeks
    row.active = active
    row.set_by = actor.user_id
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="outcomes.schedule",
        action="update",
        detail=f"{instrument} every {interval_weeks} weeks from {row.baseline.isoformat()}",
    )
    return row


@dataclass(frozen=True)
class ScheduleStatus:
    schedule: QuestionnaireSchedule
    occasions: list[Occasion]

    @property
    def next(self) -> Occasion:
        return self.occasions[-1]

    @property
    def due_now(self) -> bool:
        return self.next.status == "open"


def schedules(
    session: Session, *, patient: Patient, today: dt.date | None = None
) -> list[ScheduleStatus]:
    """Every active schedule with its occasions judged on ``today`` (pure schedule rules)."""
    day = today or today_for(patient)
    rows = session.scalars(
        select(QuestionnaireSchedule)
        .where(QuestionnaireSchedule.patient_id == patient.id, QuestionnaireSchedule.active)
        .order_by(QuestionnaireSchedule.instrument)
    ).all()
    out = []
    for row in rows:
        answered = session.scalars(
            select(QuestionnaireResponse.answered_on).where(
                QuestionnaireResponse.patient_id == patient.id,
                QuestionnaireResponse.instrument == row.instrument,
            )
        ).all()
        out.append(
            ScheduleStatus(
                row,
                occasions(
                    row.baseline,
                    interval_weeks=row.interval_weeks,
                    today=day,
                    completed=answered,
                ),
            )
        )
    return out


# --- pain diary -------------------------------------------------------------------------------


def save_diary_entry(
    session: Session, *, actor: Actor, patient: Patient, data: Mapping[str, Any]
) -> PainDiaryRecord:
    """Store one day of the diary (validated by the pure model); the same day is replaced."""
    payload = dict(data)
    today = today_for(patient)
    payload.setdefault("day", today.isoformat())
    entry = PainDiaryEntry.from_dict(payload)
    if entry.day > today + dt.timedelta(days=1):
        raise InvalidInput("day", "is in the future")
    if entry.day < today - dt.timedelta(days=14):
        raise InvalidInput("day", "the diary can be filled in up to 14 days late")
    row = session.scalar(
        select(PainDiaryRecord).where(
            PainDiaryRecord.patient_id == patient.id, PainDiaryRecord.day == entry.day
        )
    )
    if row is None:
        row = PainDiaryRecord(patient_id=patient.id, day=entry.day)
        session.add(row)
    row.back_pain = entry.back_pain
    row.leg_pain = entry.leg_pain
    row.sleep_disturbed = entry.sleep_disturbed
    row.medication_taken = entry.medication_taken
    row.activity_min = entry.activity_min
    row.note = entry.note
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="outcomes.pain_diary",
        action="write",
        detail=entry.day.isoformat(),
    )
    return row


def diary_entries(
    session: Session, *, patient_id: int, since: dt.date | None = None
) -> list[PainDiaryEntry]:
    query = select(PainDiaryRecord).where(PainDiaryRecord.patient_id == patient_id)
    if since is not None:
        query = query.where(PainDiaryRecord.day >= since)
    return [
        PainDiaryEntry(
            day=r.day,
            back_pain=r.back_pain,
            leg_pain=r.leg_pain,
            sleep_disturbed=r.sleep_disturbed,
            medication_taken=r.medication_taken,
            activity_min=r.activity_min,
            note=r.note,
        )
        for r in session.scalars(query.order_by(PainDiaryRecord.day))
    ]


# --- progress and flags -----------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentProgress:
    instrument: str
    series: list[tuple[dt.date, float]]  # one score per day (the last answer that day)
    message: ProgressMessage | None
    mic_points: float | None
    better: str | None  # "lower" | "higher"


def _daily_series(rows: list[QuestionnaireResponse]) -> list[tuple[dt.date, float]]:
    by_day: dict[dt.date, float] = {}
    for row in rows:  # ordered by date then id: the last answer of a day wins
        by_day[row.answered_on] = row.score
    return sorted(by_day.items())


def progress(session: Session, *, patient: Patient) -> list[InstrumentProgress]:
    """Series and the plain-language sentence (pure ``describe_progress``) per instrument."""
    out = []
    for instrument in TRACKED:
        series = _daily_series(list_responses(session, patient=patient, instrument=instrument))
        if not series:
            continue
        mic = MIC[instrument]
        out.append(
            InstrumentProgress(
                instrument,
                series,
                describe_progress(instrument, series),
                mic.points,
                mic.better,
            )
        )
    return out


def latest_startback(session: Session, *, patient_id: int) -> QuestionnaireResponse | None:
    return session.scalar(
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.patient_id == patient_id,
            QuestionnaireResponse.instrument == "startback",
        )
        .order_by(QuestionnaireResponse.answered_on.desc(), QuestionnaireResponse.id.desc())
        .limit(1)
    )


def outcome_flags(session: Session, *, patient_id: int, today: dt.date) -> list[dict[str, str]]:
    """Dashboard flags from outcomes: worsening beyond the MIC, a recent pain spike, a high
    STarT Back risk. Returned as plain dicts (``code``, ``label``, ``detail``, ``severity``)."""
    flags: list[dict[str, str]] = []
    for instrument in TRACKED:
        rows = session.scalars(
            select(QuestionnaireResponse)
            .where(
                QuestionnaireResponse.patient_id == patient_id,
                QuestionnaireResponse.instrument == instrument,
            )
            .order_by(QuestionnaireResponse.answered_on, QuestionnaireResponse.id)
        ).all()
        series = _daily_series(list(rows))
        if len(series) < 2:
            continue
        change = classify_change(instrument, series[0][1], series[-1][1])
        if change.classification == "worsened":
            flags.append(
                {
                    "code": "worsening",
                    "label": f"{instrument.upper()} worse",
                    "detail": (
                        f"{instrument.upper()} {series[0][1]:g} → {series[-1][1]:g}: worse by at "
                        f"least the minimal important change ({MIC[instrument].points:g} points)"
                    ),
                    "severity": "bad",
                }
            )
    recent = today - dt.timedelta(days=PAIN_SPIKE_RECENT_DAYS)
    entries = diary_entries(session, patient_id=patient_id, since=recent - dt.timedelta(days=7))
    spikes = [s for s in pain_spikes(entries) if s.day > recent]
    if spikes:
        last = spikes[-1]
        flags.append(
            {
                "code": "pain_spike",
                "label": "Pain spike",
                "detail": (
                    f"{last.day.isoformat()}: back pain {last.back_pain}/10, "
                    f"{last.rise:.1f} above the previous week's mean"
                ),
                "severity": "bad",
            }
        )
    startback = latest_startback(session, patient_id=patient_id)
    if startback is not None and startback.result.get("risk") == "high":
        flags.append(
            {
                "code": "high_risk",
                "label": "STarT Back high risk",
                "detail": (
                    f"{startback.answered_on.isoformat()}: total {startback.result.get('total')}, "
                    f"psychosocial {startback.result.get('psychosocial')}"
                ),
                "severity": "warn",
            }
        )
    return flags


def scale_max(instrument: str) -> float:
    return SCALE_MAX[instrument]


# --- demo data --------------------------------------------------------------------------------


def _odi_answers(total: int) -> list[int]:
    """Ten ODI sections summing to ``total`` (0–50), spread as evenly as possible."""
    base, extra = divmod(total, 10)
    return [base + (1 if n < extra else 0) for n in range(10)]


#: Synthetic outcome stories (demo data, never clinical evidence), in ``demo.PATIENTS``
#: order: (days ago, ODI raw total 0–50, NPRS 0–10) per occasion; STarT Back answers at
#: baseline; daily back-pain levels (start, end) and a recent spike (days ago) if any.
DEMO_OUTCOMES: tuple[dict[str, Any], ...] = (
    {
        "occasions": [(22, 21, 6), (8, 15, 4)],  # ODI 42 → 30 %: improved by 12 points
        "startback": [1, 0, 1, 1, 1, 0, 0, 0, 2],  # total 4, psychosocial 1 → medium
        "diary": (6, 3),
        "spike": None,
    },
    {
        "occasions": [(30, 19, 5), (16, 19, 6), (2, 20, 7)],  # NPRS 5 → 7: worse by 2
        "startback": [1, 1, 1, 1, 1, 1, 1, 0, 3],  # psychosocial 4 → high
        "diary": (5, 6),
        "spike": None,
    },
    {
        "occasions": [(34, 24, 6), (20, 17, 4), (6, 13, 3)],  # ODI 48 → 26 %
        "startback": [1, 0, 1, 0, 0, 0, 0, 0, 2],  # total 2 → low
        "diary": (6, 2),
        "spike": 1,  # yesterday
    },
)


def seed_outcomes(
    session: Session,
    *,
    clinician_email: str,
    patient_emails: list[str],
    today: dt.date | None = None,
) -> None:
    """Questionnaire answers, schedules and a pain diary for the demo patients (replaced on
    every run; the diary notes say it is demo data)."""
    from sqlalchemy import delete

    from spinewise.accounts.service import get_user_by_email, patient_of

    clinician = get_user_by_email(session, clinician_email)
    assert clinician is not None
    for email, story in zip(patient_emails, DEMO_OUTCOMES, strict=False):
        user = get_user_by_email(session, email)
        patient = patient_of(session, user=user) if user else None
        if patient is None or user is None:
            continue
        for table in (QuestionnaireResponse, QuestionnaireSchedule, PainDiaryRecord):
            session.execute(delete(table).where(table.patient_id == patient.id))
        day = today or today_for(patient)
        patient_actor = Actor(user=user, client_addr="demo")
        clinician_actor = Actor(user=clinician, client_addr="demo")
        first = story["occasions"][0][0]
        for instrument in ("odi", "nprs"):
            set_schedule(
                session,
                actor=clinician_actor,
                patient=patient,
                instrument=instrument,
                interval_weeks=2,
                baseline=day - dt.timedelta(days=first),
            )
        for days_ago, odi_total, nprs in story["occasions"]:
            on = day - dt.timedelta(days=days_ago)
            submit_response(
                session,
                actor=patient_actor,
                patient=patient,
                instrument="odi",
                answers=_odi_answers(odi_total),
                answered_on=on,
            )
            submit_response(
                session,
                actor=patient_actor,
                patient=patient,
                instrument="nprs",
                answers=[nprs],
                answered_on=on,
            )
        submit_response(
            session,
            actor=patient_actor,
            patient=patient,
            instrument="startback",
            answers=story["startback"],
            answered_on=day - dt.timedelta(days=first),
        )
        start_pain, end_pain = story["diary"]
        span = min(first, 21)
        for days_ago in range(span, 0, -1):
            share = (span - days_ago) / max(span - 1, 1)
            pain = round(start_pain + (end_pain - start_pain) * share)
            if story["spike"] == days_ago:
                pain = min(10, pain + 4)
            session.add(
                PainDiaryRecord(
                    patient_id=patient.id,
                    day=day - dt.timedelta(days=days_ago),
                    back_pain=pain,
                    leg_pain=max(0, pain - 2) if days_ago % 2 else None,
                    sleep_disturbed=pain >= 6,
                    medication_taken=pain >= 5,
                    activity_min=20 + (days_ago % 4) * 10,
                    note="Demo data (synthetic)",
                )
            )
        session.flush()
