"""JSON routes of remote physiotherapy under ``/api/v1``.

Patient-keyed routes resolve ``{patient_id}`` through ``CurrentPatient`` (404 when hidden,
audited); programmes and videos have their own ids and are fetched through the service's
``get_readable_programme`` / ``get_visible_video``, which apply the same care relationship.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
    SettingsDep,
)
from spinewise.rehab import service
from spinewise.rehab.deps import ReadableProgramme
from spinewise.rehab.library import CATEGORIES, EQUIPMENT, Exercise
from spinewise.rehab.models import DemoVideo, ExerciseLog, SessionLog
from spinewise.rehab.schemas import (
    AdherenceRead,
    DashboardRowRead,
    ExerciseLogRead,
    ExercisePage,
    ExerciseRead,
    ExerciseSummary,
    FlagRead,
    PlanItemRead,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeRevise,
    ProgrammeVersionRead,
    SessionCreate,
    SessionRead,
    TemplateSummary,
    TodayRead,
    VideoRead,
    WeekRead,
)
from spinewise.rehab.video import DEFAULT_MAX_BYTES

router = APIRouter(prefix="/api/v1", tags=["rehab"])


def exercise_summary(exercise: Exercise) -> ExerciseSummary:
    return ExerciseSummary(
        id=exercise.id,
        name=exercise.name,
        category=exercise.category,
        purpose=exercise.purpose,
        difficulty=exercise.difficulty,
        equipment=list(exercise.equipment),
        tags=list(exercise.tags),
        base_pose=exercise.demonstration.base_pose,
    )


@router.get("/exercises", response_model=ExercisePage)
def list_exercises(
    _user: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    equipment: Annotated[
        list[str] | None, Query(description="what the patient has; 'none' for nothing")
    ] = None,
    max_difficulty: Annotated[int, Query(ge=1, le=5)] = 5,
    base_pose: Annotated[str, Query(max_length=20)] = "",
) -> ExercisePage:
    """Search and filter the exercise library (all words of ``q`` must match)."""
    have = None if equipment is None else [e for e in equipment if e and e != "none"]
    found = service.search_exercises(
        text=q,
        category=category,
        equipment=have,
        max_difficulty=max_difficulty,
        base_pose=base_pose,
    )
    return ExercisePage(items=[exercise_summary(e) for e in found], total=len(found))


@router.get("/exercises/{exercise_id}", response_model=ExerciseRead)
def get_exercise(exercise_id: str, _user: CurrentUser) -> ExerciseRead:
    return ExerciseRead(**service.get_exercise(exercise_id).to_dict())


@router.get("/exercise-vocabulary", response_model=dict[str, list[str]])
def exercise_vocabulary(_user: CurrentUser) -> dict[str, list[str]]:
    return {"categories": list(CATEGORIES), "equipment": list(EQUIPMENT)}


@router.get("/programme-templates", response_model=list[TemplateSummary])
def list_templates(_user: CurrentUser) -> list[TemplateSummary]:
    from spinewise.rehab.programmes import default_templates

    return [
        TemplateSummary(
            id=t.id,
            name=t.name,
            indication=t.indication,
            summary=t.summary,
            duration_weeks=t.duration_weeks,
            week_offset=t.week_offset,
            sessions_per_week=t.sessions_per_week,
        )
        for t in default_templates().values()
    ]


@router.get("/programme-templates/{template_id}", response_model=dict[str, object])
def get_template(template_id: str, _user: CurrentUser) -> dict[str, object]:
    return service.get_template(template_id).to_dict()


def _version_read(v: object) -> ProgrammeVersionRead:
    return ProgrammeVersionRead.model_validate(v, from_attributes=True)


def programme_read(view: service.ProgrammeView) -> ProgrammeRead:
    p = view.programme
    return ProgrammeRead(
        id=p.id,
        patient_id=p.patient_id,
        template_id=p.template_id,
        status=str(p.status),
        start_date=p.start_date,
        end_date=view.end_date,
        current_version=p.current_version,
        current=_version_read(view.current),
        history=[_version_read(v) for v in view.history],
    )


@router.get("/patients/{patient_id}/programmes", response_model=list[ProgrammeRead])
def list_programmes(patient: CurrentPatient, session: SessionDep) -> list[ProgrammeRead]:
    return [programme_read(v) for v in service.list_programmes(session, patient=patient)]


@router.post("/patients/{patient_id}/programmes", response_model=ProgrammeRead, status_code=201)
def create_programme(
    patient: CurrentPatient, body: ProgrammeCreate, actor: CurrentActor, session: SessionDep
) -> ProgrammeRead:
    """Prescribe a programme (clinicians of the care team); the previous one ends."""
    items = None if body.items is None else [i.model_dump(exclude_unset=True) for i in body.items]
    view = service.create_programme(
        session,
        actor=actor,
        patient=patient,
        template_id=body.template_id,
        name=body.name,
        sessions_per_week=body.sessions_per_week,
        duration_weeks=body.duration_weeks,
        items=items,
        progression_rule=body.progression_rule,
        notes=body.notes,
        start_date=body.start_date,
    )
    return programme_read(view)


@router.get("/programmes/{programme_id}", response_model=ProgrammeRead)
def get_programme(view: ReadableProgramme) -> ProgrammeRead:
    """A programme with its full version history."""
    return programme_read(view)


@router.post("/programmes/{programme_id}/versions", response_model=ProgrammeRead, status_code=201)
def revise_programme(
    view: ReadableProgramme, body: ProgrammeRevise, actor: CurrentActor, session: SessionDep
) -> ProgrammeRead:
    """Change a programme: a new version is written, earlier ones stay as they were."""
    items = None if body.items is None else [i.model_dump(exclude_unset=True) for i in body.items]
    revised = service.revise_programme(
        session,
        actor=actor,
        programme=view.programme,
        change_note=body.change_note,
        name=body.name,
        sessions_per_week=body.sessions_per_week,
        duration_weeks=body.duration_weeks,
        items=items,
        progression_rule=body.progression_rule,
        notes=body.notes,
        status=body.status,
    )
    return programme_read(revised)


def today_read(plan: service.TodayPlan) -> TodayRead:
    view = plan.programme
    return TodayRead(
        day=plan.day,
        programme_id=view.programme.id if view else None,
        programme_version=view.current.version if view else None,
        programme_name=view.current.name if view else None,
        week=plan.week,
        finished=plan.finished,
        sessions_today=plan.sessions_today,
        items=[
            PlanItemRead(
                exercise_id=p.item.exercise_id,
                name=p.exercise.name,
                dose=p.item.dose_text(),
                sets=p.item.sets,
                reps=p.item.reps,
                hold_s=p.item.hold_s,
                duration_min=p.item.duration_min,
                rest_s=p.item.rest_s,
                per_side=p.item.per_side,
                notes=p.item.notes,
            )
            for p in plan.items
        ],
    )


@router.get("/patients/{patient_id}/today", response_model=TodayRead)
def today(patient: CurrentPatient, session: SessionDep) -> TodayRead:
    """Today's plan: the exercises of the current programme week."""
    return today_read(service.today_plan(session, patient=patient))


def session_read(log: SessionLog, exercises: list[ExerciseLog], created: bool) -> SessionRead:
    return SessionRead(
        id=log.id,
        client_id=log.client_id,
        day=log.day,
        status=log.status,
        programme_id=log.programme_id,
        programme_version=log.programme_version,
        duration_s=log.duration_s,
        created=created,
        exercises=[ExerciseLogRead.model_validate(e) for e in exercises],
    )


@router.post("/patients/{patient_id}/sessions", response_model=SessionRead, status_code=201)
def log_session(
    patient: CurrentPatient, body: SessionCreate, actor: CurrentActor, session: SessionDep
) -> Response:
    """Log a session. Resending the same ``client_id`` answers 200 with the stored log."""
    log, created = service.log_session(
        session,
        actor=actor,
        patient=patient,
        client_id=body.client_id,
        exercises=[e.model_dump() for e in body.exercises],
        day=body.day,
        programme_id=body.programme_id,
        duration_s=body.duration_s,
        note=body.note,
    )
    exercises = service.session_exercises(session, log_ids=[log.id])[log.id]
    read = session_read(log, exercises, created)
    return JSONResponse(read.model_dump(mode="json"), status_code=201 if created else 200)


@router.get("/patients/{patient_id}/sessions", response_model=list[SessionRead])
def list_sessions(
    patient: CurrentPatient,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[SessionRead]:
    logs = service.list_sessions(session, patient=patient, limit=limit)
    exercises = service.session_exercises(session, log_ids=[log.id for log in logs])
    return [session_read(log, exercises[log.id], True) for log in logs]


def adherence_read(report: service.AdherenceReport | None) -> AdherenceRead:
    if report is None:
        return AdherenceRead(
            programme_id=None,
            overall_pct=None,
            trend=None,
            trend_slope_pct_per_week=None,
            flags=[],
            weeks=[],
            sentences=[],
        )
    return AdherenceRead(
        programme_id=report.programme.programme.id,
        overall_pct=report.overall_pct,
        trend=report.trend.direction if report.trend else None,
        trend_slope_pct_per_week=report.trend.slope_pct_per_week if report.trend else None,
        flags=[FlagRead(code=f.code, detail=f.message) for f in report.flags],
        weeks=[
            WeekRead(
                label=w.label,
                monday=w.monday,
                prescribed=w.prescribed,
                completed=w.completed,
                partial=w.partial,
                skipped=w.skipped,
                adherence_pct=w.adherence_pct,
                complete=w.complete,
            )
            for w in report.weeks
        ],
        sentences=report.sentences,
    )


@router.get("/patients/{patient_id}/adherence", response_model=AdherenceRead)
def adherence(patient: CurrentPatient, session: SessionDep) -> AdherenceRead:
    """Completed / prescribed sessions per ISO week of the active programme, trend, flags."""
    report = service.adherence_report(
        session, patient_id=patient.id, today=service.today_for(patient)
    )
    return adherence_read(report)


# --- demonstration videos -------------------------------------------------------------------


def video_read(video: DemoVideo) -> VideoRead:
    return VideoRead(
        id=video.id,
        title=video.title,
        exercise_id=video.exercise_id,
        content_type=video.content_type,
        size_bytes=video.size_bytes,
        created_at=video.created_at,
        url=f"/api/v1/videos/{video.id}/stream",
    )


@router.post("/videos", response_model=VideoRead, status_code=201)
def upload_video(
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="MP4 or WebM, at most 100 MiB")],
    title: Annotated[str, Form(max_length=200)],
    exercise_id: Annotated[str, Form(max_length=64)] = "",
) -> VideoRead:
    """Upload a demonstration video (type checked from its bytes, size limited); only the
    uploading clinician's patients can watch it."""
    video = service.store_video(
        session,
        actor=actor,
        data_dir=settings.data_dir,
        stream=file.file,
        title=title,
        exercise_id=exercise_id or None,
        max_bytes=DEFAULT_MAX_BYTES,
    )
    return video_read(video)


@router.get("/videos", response_model=list[VideoRead])
def list_videos(
    user: CurrentUser,
    session: SessionDep,
    exercise_id: Annotated[str, Query(max_length=64)] = "",
) -> list[VideoRead]:
    return [video_read(v) for v in service.list_videos(session, user=user, exercise_id=exercise_id)]


@router.get("/videos/{video_id}", response_model=VideoRead)
def get_video(video_id: int, user: CurrentUser, session: SessionDep) -> VideoRead:
    return video_read(service.get_visible_video(session, user=user, video_id=video_id))


@router.get("/videos/{video_id}/stream", response_class=FileResponse)
def stream_video(
    video_id: int, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> FileResponse:
    """The video bytes; honours HTTP ``Range`` (206 Partial Content) so players can seek."""
    video = service.get_visible_video(session, user=user, video_id=video_id)
    path = service.video_file(settings.data_dir, video)
    return FileResponse(
        path,
        media_type=video.content_type,
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.delete("/videos/{video_id}", status_code=204)
def delete_video(
    video_id: int, actor: CurrentActor, session: SessionDep, settings: SettingsDep
) -> Response:
    service.delete_video(session, actor=actor, data_dir=settings.data_dir, video_id=video_id)
    return Response(status_code=204)


# --- dashboard ----------------------------------------------------------------------------------


@router.get("/dashboard", response_model=list[DashboardRowRead])
def dashboard(
    clinician: CurrentClinician, actor: CurrentActor, session: SessionDep
) -> list[DashboardRowRead]:
    """The clinician's patients with flags (worsening, pain spike, adherence, STarT Back)."""
    return [
        DashboardRowRead(
            patient_id=row.patient.id,
            name=row.user.name or row.user.email,
            programme=row.programme_name,
            adherence_pct=row.adherence_pct,
            flags=[FlagRead(**vars(f)) for f in row.flags],
        )
        for row in service.dashboard(session, actor=actor)
    ]
