"""JSON routes for questionnaires, schedules, the pain diary and progress under ``/api/v1``.

Every route keyed by ``{patient_id}`` resolves the patient through ``CurrentPatient``
(care-team access, 404 when hidden, audited).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
    SettingsDep,
)
from spinewise.outcomes import service
from spinewise.outcomes.models import QuestionnaireResponse
from spinewise.outcomes.pain_diary import PainDiaryEntry, pain_spikes
from spinewise.outcomes.schedule import Occasion
from spinewise.outcomes.schemas import (
    DiaryEntryIn,
    DiaryEntryRead,
    Instrument,
    InstrumentProgressRead,
    InstrumentRead,
    OccasionRead,
    ProgressRead,
    ResponseCreate,
    ResponseRead,
    ScheduleRead,
    ScheduleUpdate,
    ScorePoint,
)

router = APIRouter(prefix="/api/v1", tags=["outcomes"])


@router.get("/instruments", response_model=list[InstrumentRead])
def list_instruments(_user: CurrentUser, settings: SettingsDep) -> list[InstrumentRead]:
    """Instrument definitions (items, options, licence). ODI and RMDQ ship neutral labels
    only; a clinic with a licence installs its wording (see docs/outcomes.md)."""
    out = []
    for instrument in (*service.QUESTIONNAIRES, "pain_diary"):
        d = service.definition_for(instrument, settings.data_dir)
        out.append(
            InstrumentRead(
                id=d.id,
                name=str(d.data["name"]),
                short_name=str(d.data["short_name"]),
                version=str(d.data["version"]),
                wording_included=d.wording_included,
                licence=dict(d.licence),
                definition=dict(d.data),
            )
        )
    return out


def response_read(row: QuestionnaireResponse) -> ResponseRead:
    return ResponseRead.model_validate(row)


@router.post(
    "/patients/{patient_id}/questionnaires/{instrument}",
    response_model=ResponseRead,
    status_code=201,
)
def submit_questionnaire(
    patient: CurrentPatient,
    instrument: Instrument,
    body: ResponseCreate,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> ResponseRead:
    """Answer a questionnaire; it is scored by the published rule and stored."""
    row = service.submit_response(
        session,
        actor=actor,
        patient=patient,
        instrument=str(instrument),
        answers=body.answers,
        responses=body.responses,
        answered_on=body.answered_on,
        data_dir=settings.data_dir,
    )
    return response_read(row)


@router.get("/patients/{patient_id}/questionnaires", response_model=list[ResponseRead])
def list_questionnaires(
    patient: CurrentPatient,
    session: SessionDep,
    instrument: Annotated[Instrument | None, Query()] = None,
) -> list[ResponseRead]:
    rows = service.list_responses(
        session, patient=patient, instrument=str(instrument) if instrument else None
    )
    return [response_read(r) for r in rows]


def occasion_read(o: Occasion) -> OccasionRead:
    return OccasionRead(
        index=o.index,
        due=o.due,
        window_start=o.window_start,
        window_end=o.window_end,
        status=o.status,
        completed_on=o.completed_on,
    )


def schedule_read(status: service.ScheduleStatus) -> ScheduleRead:
    return ScheduleRead(
        instrument=status.schedule.instrument,
        baseline=status.schedule.baseline,
        interval_weeks=status.schedule.interval_weeks,
        due_now=status.due_now,
        next=occasion_read(status.next),
        occasions=[occasion_read(o) for o in status.occasions],
    )


@router.get("/patients/{patient_id}/questionnaire-schedule", response_model=list[ScheduleRead])
def get_schedule(patient: CurrentPatient, session: SessionDep) -> list[ScheduleRead]:
    """Scheduled questionnaires: baseline, then every 2 or 4 weeks, with what is due."""
    return [schedule_read(s) for s in service.schedules(session, patient=patient)]


@router.put("/patients/{patient_id}/questionnaire-schedule", response_model=list[ScheduleRead])
def put_schedule(
    patient: CurrentPatient,
    _clinician: CurrentClinician,
    body: ScheduleUpdate,
    actor: CurrentActor,
    session: SessionDep,
) -> list[ScheduleRead]:
    """Set one instrument's schedule (clinicians of the care team)."""
    service.set_schedule(
        session,
        actor=actor,
        patient=patient,
        instrument=str(body.instrument),
        interval_weeks=body.interval_weeks,
        baseline=body.baseline,
        active=body.active,
    )
    return [schedule_read(s) for s in service.schedules(session, patient=patient)]


def diary_read(entry: PainDiaryEntry) -> DiaryEntryRead:
    return DiaryEntryRead(**entry.to_dict())


@router.post("/patients/{patient_id}/pain-diary", response_model=DiaryEntryRead, status_code=201)
def save_diary(
    patient: CurrentPatient, body: DiaryEntryIn, actor: CurrentActor, session: SessionDep
) -> DiaryEntryRead:
    """One day of the pain diary (a second entry for the same day replaces the first)."""
    data = body.model_dump(exclude_none=True, mode="json")
    row = service.save_diary_entry(session, actor=actor, patient=patient, data=data)
    entries = service.diary_entries(session, patient_id=patient.id, since=row.day)
    return diary_read(entries[0])


@router.get("/patients/{patient_id}/pain-diary", response_model=list[DiaryEntryRead])
def list_diary(patient: CurrentPatient, session: SessionDep) -> list[DiaryEntryRead]:
    return [diary_read(e) for e in service.diary_entries(session, patient_id=patient.id)]


@router.get("/patients/{patient_id}/progress", response_model=ProgressRead)
def get_progress(patient: CurrentPatient, session: SessionDep) -> ProgressRead:
    """Scores over time with the minimal important change and a plain-language sentence."""
    items = [
        InstrumentProgressRead(
            instrument=p.instrument,
            series=[ScorePoint(day=d, score=s) for d, s in p.series],
            sentence=p.message.sentence if p.message else None,
            classification=p.message.classification if p.message else None,
            mic_points=p.mic_points,
            better=p.better,
        )
        for p in service.progress(session, patient=patient)
    ]
    spikes = pain_spikes(service.diary_entries(session, patient_id=patient.id))
    return ProgressRead(instruments=items, pain_spikes=[s.day for s in spikes])
