"""Remote-physiotherapy use cases: programmes (versioned), today's plan, session logs,
adherence, demonstration videos and the clinician dashboard.

Services take the session first and the rest keyword-only; they flush, never commit.
Access: patient-keyed calls receive a patient the route already resolved through
``CurrentPatient``; objects with their own id (programmes, videos) are fetched with
``get_readable_programme`` / ``get_visible_video``, which join the same care-team
predicate, answer ``NotFound`` when hidden and audit the read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Patient, Role, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, InvalidInput, NotFound
from spinewise.core.permissions import readable_patient_ids, readable_patients
from spinewise.db import utcnow
from spinewise.motion.coaching import parse_camera_entries
from spinewise.motion.service import record_camera_results
from spinewise.rehab import adherence as adh
from spinewise.rehab.library import Exercise, default_library
from spinewise.rehab.models import (
    DemoVideo,
    ExerciseLog,
    Programme,
    ProgrammeStatus,
    ProgrammeVersion,
    SessionLog,
)
from spinewise.rehab.prescription import (
    ExerciseResult,
    PrescribedItem,
    items_for_week,
    items_from_template,
    parse_items,
    programme_week,
    session_status,
)
from spinewise.rehab.programmes import ProgrammeTemplate, default_templates
from spinewise.rehab.video import SNIFF_BYTES, check_video

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BACKDATE_DAYS = 14


def today_for(patient: Patient) -> dt.date:
    """The patient's calendar day (their time zone decides what "today" is)."""
    try:
        zone = ZoneInfo(patient.timezone)
    except Exception:  # an unknown zone cannot be stored (accounts.check_timezone); be safe
        zone = ZoneInfo("UTC")
    return dt.datetime.now(zone).date()


def _require_clinician(actor: Actor) -> User:
    if actor.user is None or actor.user.role != Role.clinician:
        raise Forbidden("only the patient's clinicians can change their programme")
    return actor.user


# --- library and templates (not patient data) ---------------------------------------------


def search_exercises(
    *,
    text: str = "",
    category: str | None = None,
    equipment: Iterable[str] | None = None,
    max_difficulty: int = 5,
    base_pose: str | None = None,
) -> list[Exercise]:
    return default_library().search(
        text=text or None,
        category=category or None,
        equipment_available=None if equipment is None else list(equipment),
        max_difficulty=max_difficulty,
        base_pose=base_pose or None,
    )


def get_exercise(exercise_id: str) -> Exercise:
    library = default_library()
    if exercise_id not in library:
        raise NotFound(f"no exercise {exercise_id!r}")
    return library.get(exercise_id)


def get_template(template_id: str) -> ProgrammeTemplate:
    templates = default_templates()
    if template_id not in templates:
        raise NotFound(f"no programme template {template_id!r}")
    return templates[template_id]


# --- programmes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeView:
    """A programme with its current version and (optionally) its history."""

    programme: Programme
    current: ProgrammeVersion
    history: list[ProgrammeVersion] = field(default_factory=list)

    @property
    def items(self) -> list[PrescribedItem]:
        return [PrescribedItem(**item) for item in self.current.items]

    @property
    def end_date(self) -> dt.date:
        return self.programme.start_date + dt.timedelta(weeks=self.current.duration_weeks, days=-1)


def _versions(session: Session, programme_id: int) -> list[ProgrammeVersion]:
    query = (
        select(ProgrammeVersion)
        .where(ProgrammeVersion.programme_id == programme_id)
        .order_by(ProgrammeVersion.version)
    )
    return list(session.scalars(query))


def _view(session: Session, programme: Programme, *, history: bool = False) -> ProgrammeView:
    versions = _versions(session, programme.id)
    current = next(v for v in versions if v.version == programme.current_version)
    return ProgrammeView(programme, current, versions if history else [])


def _check_header(name: str, sessions_per_week: int, duration_weeks: int) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("name", "give the programme a name (at most 200 characters)")
    if isinstance(sessions_per_week, bool) or not 1 <= sessions_per_week <= 14:
        raise InvalidInput("sessions_per_week", "must be 1–14")
    if isinstance(duration_weeks, bool) or not 1 <= duration_weeks <= 52:
        raise InvalidInput("duration_weeks", "must be 1–52")
    return name


def create_programme(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    template_id: str | None = None,
    name: str | None = None,
    sessions_per_week: int | None = None,
    duration_weeks: int | None = None,
    items: list[dict[str, Any]] | None = None,
    progression_rule: str | None = None,
    notes: str = "",
    start_date: dt.date | None = None,
) -> ProgrammeView:
    """Prescribe a programme, from scratch (``items``) or from a template (fields not given
    are taken from it). Any active programme of the patient ends: one plan at a time."""
    clinician = _require_clinician(actor)
    template = get_template(template_id) if template_id else None
    if template is None and not items:
        raise InvalidInput("items", "choose a template or add at least one exercise")
    weeks = duration_weeks or (template.duration_weeks if template else 6)
    spw = sessions_per_week or (template.sessions_per_week if template else 3)
    title = _check_header(name or (template.name if template else ""), spw, weeks)
    if items is not None:
        prescribed = parse_items(items, duration_weeks=weeks)
    else:
        assert template is not None
        prescribed = items_from_template(template)
        prescribed = parse_items([p.to_dict() for p in prescribed], duration_weeks=weeks)
    rule = (
        progression_rule
        if progression_rule is not None
        else (template.progression_rule if template else "")
    )
    for old in session.scalars(
        select(Programme).where(
            Programme.patient_id == patient.id, Programme.status == ProgrammeStatus.active
        )
    ):
        old.status = ProgrammeStatus.ended
        old.updated_at = utcnow()
    programme = Programme(
        patient_id=patient.id,
        clinician_id=clinician.id,
        template_id=template.id if template else None,
        status=ProgrammeStatus.active,
        start_date=start_date or today_for(patient),
        current_version=1,
    )
    session.add(programme)
    session.flush()
    version = ProgrammeVersion(
        programme_id=programme.id,
        version=1,
        name=title,
        sessions_per_week=spw,
        duration_weeks=weeks,
        progression_rule=(rule or "").strip()[:5000],
        notes=(notes or "").strip()[:5000],
        items=[p.to_dict() for p in prescribed],
        change_note=f"created from template {template.id}" if template else "created",
        author_id=clinician.id,
    )
    session.add(version)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="rehab.programme",
        action="create",
        detail=f"programme {programme.id} v1",
    )
    return ProgrammeView(programme, version, [version])


def revise_programme(
    session: Session,
    *,
    actor: Actor,
    programme: Programme,
    change_note: str,
    name: str | None = None,
    sessions_per_week: int | None = None,
    duration_weeks: int | None = None,
    items: list[dict[str, Any]] | None = None,
    progression_rule: str | None = None,
    notes: str | None = None,
    status: str | None = None,
) -> ProgrammeView:
    """Write a new version: fields not given carry over from the current version."""
    clinician = _require_clinician(actor)
    current = _view(session, programme).current
    weeks = duration_weeks if duration_weeks is not None else current.duration_weeks
    spw = sessions_per_week if sessions_per_week is not None else current.sessions_per_week
    title = _check_header(name if name is not None else current.name, spw, weeks)
    raw_items = items if items is not None else current.items
    prescribed = parse_items(raw_items, duration_weeks=weeks)
    note = (change_note or "").strip()
    if not note:
        raise InvalidInput("change_note", "say briefly what changed and why")
    if status is not None:
        try:
            programme.status = ProgrammeStatus(status)
        except ValueError:
            raise InvalidInput("status", "must be active or ended") from None
    version = ProgrammeVersion(
        programme_id=programme.id,
        version=programme.current_version + 1,
        name=title,
        sessions_per_week=spw,
        duration_weeks=weeks,
        progression_rule=(
            progression_rule if progression_rule is not None else current.progression_rule
        ).strip()[:5000],
        notes=(notes if notes is not None else current.notes).strip()[:5000],
        items=[p.to_dict() for p in prescribed],
        change_note=note[:500],
        author_id=clinician.id,
    )
    session.add(version)
    programme.current_version = version.version
    programme.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=programme.patient_id,
        resource="rehab.programme",
        action="update",
        detail=f"programme {programme.id} v{version.version}",
    )
    return _view(session, programme, history=True)


def get_readable_programme(
    session: Session, *, actor: Actor, programme_id: int, resource: str, action: str = "read"
) -> ProgrammeView:
    """A programme of a patient the actor may see (audited); otherwise ``NotFound``."""
    if actor.user is None:
        raise NotFound("programme not found")
    programme = session.scalar(
        select(Programme).where(
            Programme.id == programme_id,
            Programme.patient_id.in_(readable_patient_ids(actor.user)),
        )
    )
    if programme is None:
        raise NotFound("programme not found")
    audit.record(
        session,
        actor=actor,
        patient_id=programme.patient_id,
        resource=resource,
        action=action,
        detail=f"programme {programme.id}",
    )
    return _view(session, programme, history=True)


def list_programmes(session: Session, *, patient: Patient) -> list[ProgrammeView]:
    query = (
        select(Programme)
        .where(Programme.patient_id == patient.id)
        .order_by(Programme.created_at.desc(), Programme.id.desc())
    )
    return [_view(session, p) for p in session.scalars(query)]


def active_programme(session: Session, *, patient_id: int) -> ProgrammeView | None:
    programme = session.scalar(
        select(Programme)
        .where(Programme.patient_id == patient_id, Programme.status == ProgrammeStatus.active)
        .order_by(Programme.id.desc())
        .limit(1)
    )
    return _view(session, programme) if programme else None


# --- today's plan and sessions -----------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    item: PrescribedItem
    exercise: Exercise


@dataclass(frozen=True)
class TodayPlan:
    day: dt.date
    programme: ProgrammeView | None
    week: int  # programme week (0 before the start; > duration after the end)
    items: list[PlanItem]
    sessions_today: int
    finished: bool  # the programme's last week has passed


def today_plan(session: Session, *, patient: Patient, today: dt.date | None = None) -> TodayPlan:
    day = today or today_for(patient)
    view = active_programme(session, patient_id=patient.id)
    if view is None:
        return TodayPlan(day, None, 0, [], 0, False)
    week = programme_week(view.programme.start_date, day)
    library = default_library()
    finished = week > view.current.duration_weeks
    active = items_for_week(view.items, week) if 1 <= week <= view.current.duration_weeks else []
    done_today = session.scalars(
        select(SessionLog.id).where(
            SessionLog.patient_id == patient.id,
            SessionLog.day == day,
            SessionLog.status != "skipped",
        )
    ).all()
    return TodayPlan(
        day,
        view,
        week,
        [PlanItem(item, library.get(item.exercise_id)) for item in active],
        len(done_today),
        finished,
    )


def log_session(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    client_id: str,
    exercises: list[dict[str, Any]],
    day: dt.date | None = None,
    programme_id: int | None = None,
    duration_s: int | None = None,
    note: str = "",
) -> tuple[SessionLog, bool]:
    """Record a session; returns ``(log, created)``.

    Idempotent on ``client_id`` (generated by the browser before its first attempt): a
    resend after a dropped connection returns the stored log with ``created=False`` and
    changes nothing, so a patient's session is counted once however often it is sent.
    """
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise InvalidInput("client_id", "8–64 letters, digits, - or _")
    existing = _session_by_client_id(session, patient.id, client_id)
    if existing is not None:
        return existing, False
    today = today_for(patient)
    day = day or today
    if day > today + dt.timedelta(days=1):  # a day of slack for time-zone edges
        raise InvalidInput("day", "is in the future")
    if day < today - dt.timedelta(days=MAX_BACKDATE_DAYS):
        raise InvalidInput("day", f"sessions can be logged up to {MAX_BACKDATE_DAYS} days late")
    if programme_id is None:
        view = active_programme(session, patient_id=patient.id)
        if view is None:
            raise InvalidInput("programme_id", "there is no active programme to log against")
    else:
        programme = session.scalar(
            select(Programme).where(
                Programme.id == programme_id, Programme.patient_id == patient.id
            )
        )
        if programme is None:
            raise InvalidInput("programme_id", "not a programme of this patient")
        view = _view(session, programme)
    if not isinstance(exercises, list):
        raise InvalidInput("exercises", "expected a list")
    results = [ExerciseResult.from_dict(e, f"exercises[{n}]") for n, e in enumerate(exercises)]
    cameras = parse_camera_entries(exercises)
    prescribed = {item.exercise_id for item in view.items}
    for n, result in enumerate(results):
        if result.exercise_id not in prescribed:
            raise InvalidInput(f"exercises[{n}].exercise_id", "is not in this programme")
    if duration_s is not None and (isinstance(duration_s, bool) or not 0 <= duration_s <= 86400):
        raise InvalidInput("duration_s", "must be 0–86400")
    log = SessionLog(
        patient_id=patient.id,
        programme_id=view.programme.id,
        programme_version=view.current.version,
        client_id=client_id,
        day=day,
        status=session_status(results),
        duration_s=duration_s,
        note=(note or "")[:2000],
        recorded_by=actor.user_id,
    )
    try:
        # A concurrent resend can race us to the unique (patient, client_id) constraint:
        # the savepoint keeps the request's transaction usable and we return the winner.
        with session.begin_nested():
            session.add(log)
            session.flush()
            rows = [
                ExerciseLog(
                    session_log_id=log.id,
                    position=position,
                    exercise_id=result.exercise_id,
                    status=result.status,
                    sets_done=result.sets_done,
                    pain_during=result.pain_during,
                    difficulty=result.difficulty,
                )
                for position, result in enumerate(results)
            ]
            session.add_all(rows)
            session.flush()
            if cameras:
                record_camera_results(
                    session,
                    patient_id=patient.id,
                    session_log_id=log.id,
                    day=day,
                    exercise_log_ids=[row.id for row in rows],
                    entries=cameras,
                )
    except IntegrityError:
        winner = _session_by_client_id(session, patient.id, client_id)
        if winner is None:
            raise
        return winner, False
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="rehab.session",
        action="create",
        detail=f"session {log.id} {log.status}",
    )
    return log, True


def _session_by_client_id(session: Session, patient_id: int, client_id: str) -> SessionLog | None:
    return session.scalar(
        select(SessionLog).where(
            SessionLog.patient_id == patient_id, SessionLog.client_id == client_id
        )
    )


def session_exercises(session: Session, *, log_ids: list[int]) -> dict[int, list[ExerciseLog]]:
    out: dict[int, list[ExerciseLog]] = {i: [] for i in log_ids}
    if not log_ids:
        return out
    query = (
        select(ExerciseLog)
        .where(ExerciseLog.session_log_id.in_(log_ids))
        .order_by(ExerciseLog.session_log_id, ExerciseLog.position)
    )
    for row in session.scalars(query):
        out[row.session_log_id].append(row)
    return out


def list_sessions(
    session: Session, *, patient: Patient, limit: int = 100, since: dt.date | None = None
) -> list[SessionLog]:
    query = select(SessionLog).where(SessionLog.patient_id == patient.id)
    if since is not None:
        query = query.where(SessionLog.day >= since)
    query = query.order_by(SessionLog.day.desc(), SessionLog.id.desc()).limit(limit)
    return list(session.scalars(query))


# --- adherence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdherenceReport:
    programme: ProgrammeView
    weeks: list[adh.WeekAdherence]
    overall_pct: float | None
    trend: adh.Trend | None
    flags: list[adh.AdherenceFlag]
    sentences: list[str]


def adherence_report(
    session: Session, *, patient_id: int, today: dt.date, view: ProgrammeView | None = None
) -> AdherenceReport | None:
    """Weekly adherence of the active programme (pure :mod:`spinewise.rehab.adherence`)."""
    view = view or active_programme(session, patient_id=patient_id)
    if view is None:
        return None
    rows = session.execute(
        select(SessionLog.day, SessionLog.status).where(
            SessionLog.programme_id == view.programme.id
        )
    ).all()
    logs = [adh.SessionLog(day=d, status=s) for d, s in rows]  # type: ignore[arg-type]
    spw = view.current.sessions_per_week
    start = view.programme.start_date
    weeks = adh.weekly_adherence(
        logs, sessions_per_week=spw, start=start, today=today, end=view.end_date
    )
    flags = adh.adherence_flags(
        weeks, logs, sessions_per_week=spw, start=start, today=min(today, view.end_date)
    )
    return AdherenceReport(
        programme=view,
        weeks=weeks,
        overall_pct=adh.overall_adherence(weeks),
        trend=adh.adherence_trend(weeks),
        flags=flags,
        sentences=[adh.describe_week(w) for w in weeks[-2:]],
    )


# --- demonstration videos ----------------------------------------------------------------


def videos_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "videos"


def store_video(
    session: Session,
    *,
    actor: Actor,
    data_dir: Path,
    stream: BinaryIO,
    title: str,
    exercise_id: str | None,
    max_bytes: int,
) -> DemoVideo:
    """Validate (magic bytes, size) and store an uploaded video under ``data_dir/videos``.

    The file is copied in chunks to a temporary name and renamed when complete, so a
    refused or interrupted upload leaves nothing behind; the database holds only the
    metadata and a random storage name.
    """
    clinician = _require_clinician(actor)
    title = (title or "").strip()
    if not 1 <= len(title) <= 200:
        raise InvalidInput("title", "give the video a title (at most 200 characters)")
    if exercise_id:
        get_exercise(exercise_id)
    folder = videos_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    storage_name = secrets.token_hex(16)
    partial = folder / f".{storage_name}.part"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    check_video(head, size, max_bytes=max_bytes)  # raises: too large
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        kind = check_video(head, size, max_bytes=max_bytes)
        suffix = ".mp4" if kind == "video/mp4" else ".webm"
        partial.rename(folder / f"{storage_name}{suffix}")
    finally:
        partial.unlink(missing_ok=True)
    video = DemoVideo(
        clinician_id=clinician.id,
        exercise_id=exercise_id or None,
        title=title,
        content_type=kind,
        size_bytes=size,
        sha256=digest.hexdigest(),
        storage_name=f"{storage_name}{suffix}",
    )
    session.add(video)
    session.flush()
    return video


def visible_videos_query(user: User):  # type: ignore[no-untyped-def]
    """Videos a user may watch: a clinician their own; a patient those of the clinicians in
    their care team (the same care relationship that grants access to health data)."""
    query = select(DemoVideo)
    if not user.is_active:
        return query.where(DemoVideo.id < 0)
    if user.role == Role.clinician:
        return query.where(DemoVideo.clinician_id == user.id)
    if user.role == Role.patient:
        team = select(CareTeamMember.clinician_id).where(
            CareTeamMember.patient_id.in_(readable_patients(user).with_only_columns(Patient.id))
        )
        return query.where(DemoVideo.clinician_id.in_(team))
    return query.where(DemoVideo.id < 0)


def list_videos(session: Session, *, user: User, exercise_id: str | None = None) -> list[DemoVideo]:
    query = visible_videos_query(user)
    if exercise_id:
        query = query.where(DemoVideo.exercise_id == exercise_id)
    return list(session.scalars(query.order_by(DemoVideo.created_at.desc(), DemoVideo.id.desc())))


def get_visible_video(session: Session, *, user: User, video_id: int) -> DemoVideo:
    video = session.scalar(visible_videos_query(user).where(DemoVideo.id == video_id))
    if video is None:
        raise NotFound("video not found")
    return video


def video_file(data_dir: Path, video: DemoVideo) -> Path:
    path = videos_dir(data_dir) / video.storage_name
    if not path.is_file():
        raise NotFound("the video file is missing")
    return path


def delete_video(session: Session, *, actor: Actor, data_dir: Path, video_id: int) -> None:
    """Only the uploader deletes; anyone who cannot see the video gets ``NotFound`` first."""
    if actor.user is None:
        raise NotFound("video not found")
    video = get_visible_video(session, user=actor.user, video_id=video_id)
    if actor.user.id != video.clinician_id:
        raise Forbidden("only the clinician who uploaded a video can delete it")
    path = videos_dir(data_dir) / video.storage_name
    session.delete(video)
    session.flush()
    path.unlink(missing_ok=True)


# --- clinician dashboard ------------------------------------------------------------------

#: Hook for "messages needing attention": the messaging domain registers a function
#: ``(session, clinician, patient_ids) -> {patient_id: count}`` (``consults.service.
#: unread_by_patient``, wired in ``app.py``); each non-zero count becomes a ``messages`` flag.
MESSAGE_FLAG_PROVIDERS: list[Callable[[Session, User, list[int]], dict[int, int]]] = []


@dataclass(frozen=True)
class Flag:
    code: str  # worsening | pain_spike | low_adherence | no_recent_session | high_risk | messages
    label: str  # | red_flag (assistant)
    detail: str
    severity: str = "warn"  # warn | bad
    href: str = ""  # where the clinician deals with it, when another page does


#: Hook for flags raised by other domains (the assistant's red flags): a function
#: ``(session, clinician, patient_ids) -> {patient_id: [Flag, ...]}``, wired in ``app.py``.
FLAG_PROVIDERS: list[Callable[[Session, User, list[int]], dict[int, list[Flag]]]] = []


@dataclass
class DashboardRow:
    patient: Patient
    user: User
    programme_name: str | None
    adherence_pct: float | None  # last complete week
    flags: list[Flag]

    @property
    def flag_codes(self) -> set[str]:
        return {f.code for f in self.flags}


FLAG_CODES = (
    "worsening",
    "pain_spike",
    "low_adherence",
    "no_recent_session",
    "high_risk",
    "messages",
    "red_flag",
)


def patient_flags(
    session: Session, *, patient_id: int, today: dt.date, report: AdherenceReport | None
) -> list[Flag]:
    """Adherence flags (pure ``adherence_flags``) and outcome flags (worsening, pain spike,
    STarT Back high risk) of one patient."""
    from spinewise.outcomes import service as outcomes

    flags = []
    for f in report.flags if report else []:
        label = "Adherence < 50 %" if f.code == "low_adherence" else "No recent session"
        flags.append(Flag(f.code, label, f.message))
    flags += [
        Flag(**f) for f in outcomes.outcome_flags(session, patient_id=patient_id, today=today)
    ]
    return flags


def dashboard(
    session: Session, *, actor: Actor, today: dt.date | None = None
) -> list[DashboardRow]:
    """Every patient of the clinician with the flags that need attention (each audited)."""
    user = _require_clinician(actor)
    rows = session.execute(
        readable_patients(user)
        .join(User, User.id == Patient.user_id)
        .add_columns(User)
        .order_by(User.name, Patient.id)
    ).all()
    out: list[DashboardRow] = []
    for patient, patient_user in rows:
        day = today or today_for(patient)
        audit.record(
            session, actor=actor, patient_id=patient.id, resource="rehab.dashboard", action="list"
        )
        report = adherence_report(session, patient_id=patient.id, today=day)
        last_pct = None
        if report is not None:
            complete = [w for w in report.weeks if w.complete and w.adherence_pct is not None]
            last_pct = complete[-1].adherence_pct if complete else None
        flags = patient_flags(session, patient_id=patient.id, today=day, report=report)
        out.append(
            DashboardRow(
                patient,
                patient_user,
                report.programme.current.name if report else None,
                last_pct,
                flags,
            )
        )
    ids = [r.patient.id for r in out]
    for provider in MESSAGE_FLAG_PROVIDERS:
        counts = provider(session, user, ids)
        for row in out:
            if counts.get(row.patient.id):
                row.flags.append(
                    Flag("messages", "Messages", f"{counts[row.patient.id]} need attention")
                )
    for flag_provider in FLAG_PROVIDERS:
        raised = flag_provider(session, user, ids)
        for row in out:
            row.flags[:0] = raised.get(row.patient.id, [])  # first: they are the most urgent
    return out


# --- demo data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStory:
    """A synthetic rehab story for one demo patient (demo data, never clinical evidence)."""

    template_id: str
    days_ago: int  # programme start
    # Share of prescribed sessions done in each programme week (the last value repeats).
    weekly_share: tuple[float, ...]
    pain_during: int


#: In the order of ``demo.PATIENTS``: Olivia (acute, doing well), James (chronic, dropping
#: off), Mei (five weeks after a microdiscectomy, steady).
DEMO_STORIES: tuple[DemoStory, ...] = (
    DemoStory("acute_nonspecific_lbp", 22, (0.85, 0.85, 0.7, 0.85), 3),
    DemoStory("chronic_lbp", 30, (1.0, 0.67, 0.34, 0.0, 0.34), 4),
    DemoStory("post_microdiscectomy_0_6", 34, (0.85, 1.0, 0.85, 0.85, 0.7), 2),
)
DEMO_NOTE = "Demo data (synthetic, for demonstration only)"


def seed_rehab(
    session: Session,
    *,
    clinician_email: str,
    patient_emails: list[str],
    today: dt.date | None = None,
) -> None:
    """Give each demo patient a programme from a fitting template and weeks of sessions.

    Re-running replaces the demo patients' programmes and sessions (deterministic: the same
    data every time for the same ``today``). Everything written is labelled demo data.
    """
    from spinewise.accounts.service import get_user_by_email, patient_of

    clinician = get_user_by_email(session, clinician_email)
    assert clinician is not None
    actor = Actor(user=clinician, client_addr="demo")
    for email, story in zip(patient_emails, DEMO_STORIES, strict=False):
        user = get_user_by_email(session, email)
        patient = patient_of(session, user=user) if user else None
        if patient is None:
            continue
        # Sessions and versions go with their programme (ON DELETE CASCADE).
        session.execute(delete(Programme).where(Programme.patient_id == patient.id))
        day0 = (today or today_for(patient)) - dt.timedelta(days=story.days_ago)
        view = create_programme(
            session, actor=actor, patient=patient, template_id=story.template_id, start_date=day0
        )
        view.current.change_note = f"created from template {story.template_id} · {DEMO_NOTE}"
        view.current.notes = DEMO_NOTE
        spw = view.current.sessions_per_week
        last_day = (today or today_for(patient)) - dt.timedelta(days=1)
        n = 0
        for offset in range(story.days_ago):
            day = day0 + dt.timedelta(days=offset)
            if day > last_day:
                break
            week = programme_week(day0, day)
            share = story.weekly_share[min(week - 1, len(story.weekly_share) - 1)]
            # Spread ``share × spw`` sessions evenly over the week's seven days.
            slot = offset % 7
            due = round(share * spw)
            if not any((k * 7) // max(due, 1) == slot for k in range(due)):
                continue
            items = items_for_week(view.items, week)
            n += 1
            status = "partial" if n % 5 == 0 else "completed"
            log = SessionLog(
                patient_id=patient.id,
                programme_id=view.programme.id,
                programme_version=1,
                client_id=f"demo-{patient.id}-{offset:03d}",
                day=day,
                status=status,
                duration_s=60 * (15 + (n % 3) * 5),
                note=DEMO_NOTE,
                recorded_by=patient.user_id,
            )
            session.add(log)
            session.flush()
            for position, item in enumerate(items):
                skipped = status == "partial" and position == len(items) - 1
                session.add(
                    ExerciseLog(
                        session_log_id=log.id,
                        position=position,
                        exercise_id=item.exercise_id,
                        status="skipped" if skipped else "done",
                        sets_done=None if skipped else item.sets,
                        pain_during=None if skipped else max(0, story.pain_during - week // 2),
                        difficulty=None if skipped else "just_right",
                    )
                )
        session.flush()
