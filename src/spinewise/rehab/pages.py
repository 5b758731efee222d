"""HTML pages of remote physiotherapy: the exercise library, a patient's rehab home with
today's plan, the guided session player, programme building and history, demonstration
videos, the clinician dashboard and the progress page. Pages only translate; services decide.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role
from spinewise.consults.panel import PanelSection
from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
    SettingsDep,
)
from spinewise.core.errors import InvalidInput, NotFound, SpinewiseError
from spinewise.motion import pages as motion_pages
from spinewise.outcomes import service as outcomes
from spinewise.outcomes.change import MIC
from spinewise.outcomes.pain_diary import pain_spikes
from spinewise.outcomes.svgchart import Band, RefLine, Series, bar_chart, line_chart
from spinewise.rehab import service
from spinewise.rehab.deps import ReadableProgramme
from spinewise.rehab.library import CATEGORIES, EQUIPMENT, default_library
from spinewise.rehab.prescription import DIFFICULTIES, DIFFICULTY_LABELS, PrescribedItem
from spinewise.rehab.programmes import default_templates
from spinewise.rehab.video import DEFAULT_MAX_BYTES
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

CATEGORY_LABELS = {
    "motor_control": "Motor control",
    "extension": "Extension (McKenzie-style)",
    "core_stabilisation": "Core stabilisation",
    "mobility": "Mobility",
    "hip_strength": "Hip and glute strength",
    "walking": "Graded walking",
    "nerve_mobilisation": "Nerve mobilisation",
    "relaxation": "Relaxation and breathing",
}
EQUIPMENT_LABELS = {
    "mat": "Mat",
    "chair": "Chair",
    "pillow": "Pillow",
    "towel_or_strap": "Towel or strap",
    "dowel": "Stick or dowel",
    "kettlebell": "Kettlebell",
    "wall": "Wall",
}
INSTRUMENT_NAMES = {
    "odi": "Oswestry Disability Index (ODI)",
    "rmdq": "Roland-Morris Disability Questionnaire (RMDQ)",
    "nprs": "Pain rating (NPRS)",
    "psfs": "Patient-Specific Functional Scale (PSFS)",
    "startback": "STarT Back",
}


def _patient_context(session: Session, patient: Patient, user_id: int) -> dict[str, Any]:
    patient_user = accounts.user_of(session, patient=patient)
    return {
        "patient": patient,
        "patient_user": patient_user,
        "is_self": patient.user_id == user_id,
        "patient_name": patient_user.name or patient_user.email,
    }


def _demo_json(exercise_id: str) -> Markup:
    """Resolved keyframes for the renderer, as a JSON data block (not executable script)."""
    data = default_library().get(exercise_id).demonstration.to_dict()
    text = json.dumps(data, separators=(",", ":"))
    # Escape what could close the element or start markup inside it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


# --- patients' short links ------------------------------------------------------------------


def _own_patient(session: Session, user_id: int, user: Any) -> Patient:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have a programme")
    return patient


@router.get("/me/today")
def me_today(user: CurrentUser, session: SessionDep) -> Response:
    patient = _own_patient(session, user.id, user)
    return RedirectResponse(f"/patients/{patient.id}/rehab", status_code=303)


@router.get("/me/progress")
def me_progress(user: CurrentUser, session: SessionDep) -> Response:
    patient = _own_patient(session, user.id, user)
    return RedirectResponse(f"/patients/{patient.id}/progress", status_code=303)


# --- exercise library -----------------------------------------------------------------------


@router.get("/exercises", response_class=HTMLResponse)
def library_page(
    request: Request,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    equipment: Annotated[str, Query(max_length=40)] = "",
    max_difficulty: Annotated[int, Query(ge=1, le=5)] = 5,
    position: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Browse, search and filter the library (HTMX swaps the results as you type)."""
    have: list[str] | None = None
    if equipment == "none":
        have = []
    elif equipment:
        have = [equipment]
    try:
        found = service.search_exercises(
            text=q,
            category=category or None,
            equipment=have,
            max_difficulty=max_difficulty,
            base_pose=position or None,
        )
    except InvalidInput:
        found = []
    context = {
        "exercises": found,
        "q": q,
        "category": category,
        "equipment": equipment,
        "max_difficulty": max_difficulty,
        "position": position,
        "categories": [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
        "equipment_options": [(e, EQUIPMENT_LABELS[e]) for e in EQUIPMENT],
        "category_labels": CATEGORY_LABELS,
        "total": len(default_library()),
    }
    template = (
        "rehab/library_rows.html" if request.headers.get("HX-Request") else "rehab/library.html"
    )
    return render(request, template, context)


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(
    request: Request, exercise_id: str, user: CurrentUser, session: SessionDep
) -> Response:
    exercise = service.get_exercise(exercise_id)
    library = default_library()
    videos = service.list_videos(session, user=user, exercise_id=exercise.id)
    return render(
        request,
        "rehab/exercise.html",
        {
            "exercise": exercise,
            "demo_json": _demo_json(exercise.id),
            "progressions": [library.get(i) for i in exercise.progressions],
            "regressions": [library.get(i) for i in exercise.regressions],
            "category_label": CATEGORY_LABELS[exercise.category],
            "equipment_labels": EQUIPMENT_LABELS,
            "videos": videos,
        },
    )


# --- a patient's rehab home, programmes -----------------------------------------------------


@router.get("/patients/{patient_id}/rehab", response_class=HTMLResponse)
def rehab_home(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """Today's plan and adherence (patient); the programme and how to change it (clinician)."""
    plan = service.today_plan(session, patient=patient)
    report = service.adherence_report(session, patient_id=patient.id, today=plan.day)
    context = _patient_context(session, patient, user.id)
    context.update(
        {
            "plan": plan,
            "report": report,
            "adherence_chart": _adherence_chart(report),
            "programmes": service.list_programmes(session, patient=patient),
            "templates": list(default_templates().values()),
            "library_for_select": sorted(default_library(), key=lambda e: e.name),
            "is_clinician": user.role == Role.clinician,
            "due": [s for s in outcomes.schedules(session, patient=patient) if s.due_now],
            "instrument_names": INSTRUMENT_NAMES,
        }
    )
    return render(request, "rehab/rehab_home.html", context)


def _items_from_form(form: Any) -> list[dict[str, Any]]:
    """Programme items from the editor's repeated fields (``item-N-field``)."""
    items = []
    for n in range(40):
        exercise_id = form.get(f"item-{n}-exercise_id")
        if exercise_id is None:
            continue
        if form.get(f"item-{n}-remove"):
            continue
        item: dict[str, Any] = {"exercise_id": exercise_id}
        for key in ("sets", "reps", "hold_s", "duration_min", "rest_s", "from_week", "until_week"):
            value = form.get(f"item-{n}-{key}")
            if value is not None:
                item[key] = value.strip() or None
        item["per_side"] = form.get(f"item-{n}-per_side") == "true"
        item["notes"] = (form.get(f"item-{n}-notes") or "").strip()
        items.append(item)
    added = (form.get("add_exercise") or "").strip()
    if added:
        items.append({"exercise_id": added})
    return items


async def _form(request: Request) -> Any:
    return await request.form()


FormData = Annotated[Any, Depends(_form)]


@router.post("/patients/{patient_id}/programmes", response_class=HTMLResponse)
def create_programme_page(
    request: Request,
    patient: CurrentPatient,
    actor: CurrentActor,
    session: SessionDep,
    form: FormData,
) -> Response:
    """Create from a template (``template_id``) or from scratch (``exercise_ids``)."""
    template_id = (form.get("template_id") or "").strip()
    try:
        start = form.get("start_date") or ""
        start_date = dt.date.fromisoformat(start) if start else None
    except ValueError:
        raise InvalidInput("start_date", "use the date picker (YYYY-MM-DD)") from None
    if template_id and template_id != "scratch":
        view = service.create_programme(
            session, actor=actor, patient=patient, template_id=template_id, start_date=start_date
        )
    else:
        exercise_ids = [e for e in form.getlist("exercise_ids") if e]
        view = service.create_programme(
            session,
            actor=actor,
            patient=patient,
            name=(form.get("name") or "").strip() or "Home exercise programme",
            sessions_per_week=_int_field(form.get("sessions_per_week"), "sessions_per_week", 3),
            duration_weeks=_int_field(form.get("duration_weeks"), "duration_weeks", 6),
            items=[{"exercise_id": e} for e in exercise_ids],
            start_date=start_date,
        )
    return RedirectResponse(f"/programmes/{view.programme.id}?created=1", status_code=303)


def _int_field(value: Any, field: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(field, "must be a whole number") from None


def _programme_context(session: Session, view: service.ProgrammeView, user: Any) -> dict[str, Any]:
    library = default_library()
    patient = session.get(Patient, view.programme.patient_id)
    assert patient is not None
    context = _patient_context(session, patient, user.id)
    context.update(
        {
            "view": view,
            "items": [(item, library.get(item.exercise_id)) for item in view.items],
            "library": sorted(library, key=lambda e: e.name),
            "names": {e.id: e.name for e in library},
            "is_clinician": user.role == Role.clinician,
            "template": default_templates().get(view.programme.template_id or ""),
        }
    )
    return context


@router.get("/programmes/{programme_id}", response_class=HTMLResponse)
def programme_page(
    request: Request,
    view: ReadableProgramme,
    user: CurrentUser,
    session: SessionDep,
    created: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """The current version, its editor (clinicians) and the full version history."""
    context = _programme_context(session, view, user)
    if created:
        context["messages"] = [
            f"Programme assigned to {context['patient_name']} (version {view.current.version})."
        ]
    return render(request, "rehab/programme.html", context)


@router.post("/programmes/{programme_id}/versions", response_class=HTMLResponse)
def revise_programme_page(
    request: Request,
    view: ReadableProgramme,
    actor: CurrentActor,
    user: CurrentUser,
    session: SessionDep,
    form: FormData,
) -> Response:
    try:
        revised = service.revise_programme(
            session,
            actor=actor,
            programme=view.programme,
            change_note=form.get("change_note") or "",
            name=form.get("name"),
            sessions_per_week=_int_field(
                form.get("sessions_per_week"), "sessions_per_week", view.current.sessions_per_week
            ),
            duration_weeks=_int_field(
                form.get("duration_weeks"), "duration_weeks", view.current.duration_weeks
            ),
            items=_items_from_form(form),
            progression_rule=form.get("progression_rule"),
            notes=form.get("notes"),
            status=form.get("status") or None,
        )
    except SpinewiseError as exc:
        if exc.status_code != 422:
            raise
        context = _programme_context(session, view, user)
        context["error"] = exc.message
        return render(request, "rehab/programme.html", context, 422)
    context = _programme_context(session, revised, user)
    context["messages"] = [f"Saved as version {revised.current.version}."]
    return render(request, "rehab/programme.html", context)


# --- the session player ---------------------------------------------------------------------


@router.get("/patients/{patient_id}/session", response_class=HTMLResponse)
def session_player(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """The guided player: one exercise at a time with demonstration, counters, timer and rest.
    Without JavaScript it is a plain form with the same fields."""
    plan = service.today_plan(session, patient=patient)
    context = _patient_context(session, patient, user.id)
    context.update(
        {
            "plan": plan,
            "steps": [
                {
                    "item": p.item,
                    "exercise": p.exercise,
                    "demo_json": _demo_json(p.exercise.id),
                    "camera_json": motion_pages.coaching_json(p.exercise.id),
                }
                for p in plan.items
            ],
            "client_id": secrets.token_urlsafe(12),
            "difficulties": [(d, DIFFICULTY_LABELS[d]) for d in DIFFICULTIES],
            "videos": {
                v.exercise_id: v
                for v in reversed(service.list_videos(session, user=user))
                if v.exercise_id
            },
        }
    )
    return render(request, "rehab/player.html", context)


@router.post("/patients/{patient_id}/session", response_class=HTMLResponse)
def session_submit(
    request: Request,
    patient: CurrentPatient,
    actor: CurrentActor,
    user: CurrentUser,
    session: SessionDep,
    client_id: Annotated[str, Form(max_length=64)],
    exercise_ids: Annotated[list[str], Form()],
    form: FormData,
) -> Response:
    """The player's form posted without JavaScript (same idempotent service call)."""
    exercises = []
    for exercise_id in exercise_ids:
        pain = form.get(f"pain-{exercise_id}")
        exercises.append(
            {
                "exercise_id": exercise_id,
                "status": form.get(f"status-{exercise_id}") or "skipped",
                "pain_during": int(pain) if pain not in (None, "") else None,
                "difficulty": form.get(f"difficulty-{exercise_id}") or None,
                "sets_done": _int_field(form.get(f"sets-{exercise_id}"), "sets_done", 0) or None,
            }
        )
    _log, created = service.log_session(
        session, actor=actor, patient=patient, client_id=client_id, exercises=exercises
    )
    return RedirectResponse(
        f"/patients/{patient.id}/rehab?logged={'1' if created else '0'}", status_code=303
    )


# --- videos -------------------------------------------------------------------------------------


@router.get("/clinician/videos", response_class=HTMLResponse)
def videos_page(request: Request, clinician: CurrentClinician, session: SessionDep) -> Response:
    return render(request, "rehab/videos.html", _videos_context(session, clinician))


def _videos_context(session: Session, clinician: Any) -> dict[str, Any]:
    library = default_library()
    return {
        "videos": service.list_videos(session, user=clinician),
        "library": sorted(library, key=lambda e: e.name),
        "names": {e.id: e.name for e in library},
        "max_mib": DEFAULT_MAX_BYTES // 2**20,
    }


@router.post("/clinician/videos", response_class=HTMLResponse)
def videos_upload(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=200)],
    exercise_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        video = service.store_video(
            session,
            actor=actor,
            data_dir=settings.data_dir,
            stream=file.file,
            title=title,
            exercise_id=exercise_id or None,
            max_bytes=DEFAULT_MAX_BYTES,
        )
    except SpinewiseError as exc:
        context = _videos_context(session, clinician)
        context["error"] = exc.message
        return render(request, "rehab/videos.html", context, exc.status_code)
    context = _videos_context(session, clinician)
    context["messages"] = [f"“{video.title}” uploaded; your patients can now watch it."]
    return render(request, "rehab/videos.html", context, 201)


@router.post("/clinician/videos/{video_id}/delete")
def videos_delete(
    video_id: int,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    service.delete_video(session, actor=actor, data_dir=settings.data_dir, video_id=video_id)
    return RedirectResponse("/clinician/videos", status_code=303)


# --- clinician dashboard ---------------------------------------------------------------------

DASHBOARD_SORTS = ("flags", "name", "adherence")
FLAG_FILTERS = {
    "": "All patients",
    "any": "Any flag",
    "worsening": "Worse beyond the minimal important change",
    "pain_spike": "Pain spike",
    "low_adherence": "Adherence under 50 %",
    "no_recent_session": "No recent session",
    "high_risk": "STarT Back high risk",
    "messages": "Messages needing attention",
    "red_flag": "Assistant red flag",
}


@router.get("/clinician/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    flag: Annotated[str, Query(max_length=20)] = "",
    sort: Annotated[str, Query(max_length=10)] = "flags",
) -> Response:
    """Patients with flags, filterable by flag and name, sortable by flags/name/adherence."""
    rows = service.dashboard(session, actor=actor)
    if q:
        needle = q.lower()
        rows = [r for r in rows if needle in (r.user.name or "").lower() or needle in r.user.email]
    if flag == "any":
        rows = [r for r in rows if r.flags]
    elif flag:
        rows = [r for r in rows if flag in r.flag_codes]
    if sort == "name":
        rows.sort(key=lambda r: (r.user.name or r.user.email).lower())
    elif sort == "adherence":
        rows.sort(key=lambda r: (r.adherence_pct is None, r.adherence_pct or 0.0))
    else:
        rows.sort(
            key=lambda r: (-sum(2 if f.severity == "bad" else 1 for f in r.flags), r.user.name)
        )
    context = {
        "rows": rows,
        "q": q,
        "flag": flag,
        "sort": sort if sort in DASHBOARD_SORTS else "flags",
        "flag_filters": FLAG_FILTERS,
    }
    template = (
        "rehab/dashboard_rows.html" if request.headers.get("HX-Request") else "rehab/dashboard.html"
    )
    return render(request, template, context)


# --- progress ---------------------------------------------------------------------------------


def _adherence_chart(report: service.AdherenceReport | None) -> Markup:
    if report is None or not report.weeks:
        return Markup("")
    weeks = report.weeks[-12:]
    bars = [(f"W{w.iso_week}", w.adherence_pct) for w in weeks]
    svg = bar_chart(
        bars,
        title="Sessions done per week (% of planned)",
        description="; ".join(
            f"week {w.label}: {w.completed + w.partial} of {w.prescribed}" for w in weeks
        ),
        y_label="% of planned sessions",
        threshold=RefLine(50, "50 %", "ref warn"),
        open_last=not weeks[-1].complete,
    )
    return Markup(svg)


def _instrument_chart(p: outcomes.InstrumentProgress) -> Markup:
    mic = MIC[p.instrument]
    baseline = p.series[0][1]
    top = outcomes.scale_max(p.instrument)
    better_lower = mic.better == "lower"
    target = baseline - mic.points if better_lower else baseline + mic.points
    worse = baseline + mic.points if better_lower else baseline - mic.points
    refs = [RefLine(baseline, "start", "ref")]
    if 0 <= target <= top:
        refs.append(RefLine(target, "change that matters", "ref good"))
    if 0 <= worse <= top:
        refs.append(RefLine(worse, "worse by the MIC", "ref warn"))
    svg = line_chart(
        [Series(INSTRUMENT_NAMES[p.instrument], p.series)],
        title=f"{INSTRUMENT_NAMES[p.instrument]} over time",
        description=(
            f"Scores {', '.join(f'{d.isoformat()} {s:g}' for d, s in p.series)}; "
            f"minimal important change {mic.points:g} points ({mic.source})"
        ),
        y_min=0,
        y_max=top,
        y_label=("lower is better" if better_lower else "higher is better"),
        ref_lines=refs,
        bands=[
            Band(
                max(0.0, baseline - mic.points),
                min(top, baseline + mic.points),
                "within the minimal important change",
            )
        ],
    )
    return Markup(svg)


def _diary_chart(entries: list[Any]) -> Markup:
    if not entries:
        return Markup("")
    recent = entries[-42:]
    series = [Series("Back pain", [(e.day, e.back_pain) for e in recent], "series-a")]
    legs = [(e.day, e.leg_pain) for e in recent if e.leg_pain is not None]
    if legs:
        series.append(Series("Leg pain", legs, "series-b"))
    spikes = {s.day for s in pain_spikes(entries)}
    description = "; ".join(
        f"{e.day.isoformat()} back {e.back_pain}" + (" (spike)" if e.day in spikes else "")
        for e in recent
    )
    svg = line_chart(
        series,
        title="Pain diary (0 = no pain, 10 = worst)",
        description=description,
        y_min=0,
        y_max=10,
        y_label="pain 0–10",
        y_ticks=(0, 2, 4, 6, 8, 10),
    )
    return Markup(svg)


@router.get("/patients/{patient_id}/progress", response_class=HTMLResponse)
def progress_page(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
) -> Response:
    """Plain-language progress (patient) and charts with the minimal important change."""
    today = service.today_for(patient)
    report = service.adherence_report(session, patient_id=patient.id, today=today)
    instruments = outcomes.progress(session, patient=patient)
    entries = outcomes.diary_entries(session, patient_id=patient.id)
    startback = outcomes.latest_startback(session, patient_id=patient.id)
    context = _patient_context(session, patient, user.id)
    context.update(
        {
            "report": report,
            "adherence_chart": _adherence_chart(report),
            "instruments": [(p, _instrument_chart(p)) for p in instruments],
            "instrument_names": INSTRUMENT_NAMES,
            "mic": MIC,
            "diary": entries[-14:],
            "diary_chart": _diary_chart(entries),
            "spikes": pain_spikes(entries),
            "startback": startback,
            "flags": service.patient_flags(
                session, patient_id=patient.id, today=today, report=report
            )
            if user.role == Role.clinician
            else [],
            "is_clinician": user.role == Role.clinician,
            "camera_section": motion_pages.camera_progress_section(
                session, actor=actor, patient=patient, is_self=patient.user_id == user.id
            ),
        }
    )
    return render(request, "rehab/progress.html", context)


__all__ = ["PrescribedItem", "router"]


# --- the video-call panel (consults.panel hook) ---------------------------------------------


def call_panel_section(session: Session, patient: Patient) -> PanelSection | None:
    """The physiotherapy section of the clinician's video-call panel: adherence, questionnaire
    progress and the programme's exercises with links to their demonstrations."""
    view = service.active_programme(session, patient_id=patient.id)
    progress = [p for p in outcomes.progress(session, patient=patient) if p.message is not None]
    if view is None and not progress:
        return None
    report = (
        service.adherence_report(
            session, patient_id=patient.id, today=service.today_for(patient), view=view
        )
        if view
        else None
    )
    exercises = (
        [(item.exercise_id, service.get_exercise(item.exercise_id).name) for item in view.items]
        if view
        else []
    )
    return PanelSection(
        "Progress and exercises",
        "rehab/call_progress.html",
        {
            "programme": view,
            "adherence": report,
            "progress": progress,
            "exercises": exercises,
            "patient_id": patient.id,
        },
    )
