"""HTML pages for questionnaires (answer, schedule, history) and the daily pain diary.

Forms are drawn from the instrument definition files; ODI and RMDQ show the neutral labels
the project ships (their wording is licensed: a clinic installs its licensed file).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role
from spinewise.core.deps import CurrentActor, CurrentPatient, CurrentUser, SessionDep, SettingsDep
from spinewise.core.errors import InvalidInput, NotFound, SpinewiseError
from spinewise.outcomes import service
from spinewise.outcomes.definition import InstrumentDefinition
from spinewise.outcomes.progress import describe_progress
from spinewise.outcomes.schemas import Instrument
from spinewise.rehab.service import today_for
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

TITLES = {
    "odi": "Oswestry Disability Index (ODI)",
    "rmdq": "Roland-Morris Disability Questionnaire (RMDQ)",
    "nprs": "Pain rating (NPRS)",
    "startback": "STarT Back Screening Tool",
    "psfs": "Patient-Specific Functional Scale (PSFS)",
}
WHY = {
    "odi": "How much your back affects everyday life (0 = not at all, 100 = completely).",
    "rmdq": "Which everyday activities your back makes hard today (0–24).",
    "nprs": "How strong your back pain is right now (0–10).",
    "startback": "Nine questions that help your physiotherapist choose the right kind of care.",
    "psfs": "Up to five activities that matter to you, rated 0–10.",
}


async def _form(request: Request) -> Any:
    return await request.form()


FormData = Annotated[Any, Depends(_form)]


def _context(session: Session, patient: Patient, user_id: int) -> dict[str, Any]:
    patient_user = accounts.user_of(session, patient=patient)
    return {
        "patient": patient,
        "patient_user": patient_user,
        "patient_name": patient_user.name or patient_user.email,
        "is_self": patient.user_id == user_id,
    }


@router.get("/me/questionnaires")
def me_questionnaires(user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients answer questionnaires")
    return RedirectResponse(f"/patients/{patient.id}/questionnaires", status_code=303)


@router.get("/me/diary")
def me_diary(user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients keep a pain diary")
    return RedirectResponse(f"/patients/{patient.id}/diary", status_code=303)


def _form_page(
    request: Request,
    session: Session,
    patient: Patient,
    user: Any,
    definition: InstrumentDefinition,
    *,
    values: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    context = _context(session, patient, user.id)
    context.update(
        {
            "instrument": definition.id,
            "title": TITLES[definition.id],
            "definition": definition.data,
            "items": definition.items,
            "licence": definition.licence,
            "wording_included": definition.wording_included,
            "values": values or {},
            "error": error,
        }
    )
    return render(request, "outcomes/form.html", context, status_code)


@router.get("/patients/{patient_id}/questionnaires", response_class=HTMLResponse)
def questionnaires_page(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    instrument: Annotated[Instrument | None, Query()] = None,
) -> Response:
    """What is due, the instruments to answer, past answers; ``?instrument=`` shows a form."""
    if instrument is not None:
        definition = service.definition_for(str(instrument), settings.data_dir)
        return _form_page(request, session, patient, user, definition)
    context = _context(session, patient, user.id)
    responses = service.list_responses(session, patient=patient)
    context.update(
        {
            "schedules": service.schedules(session, patient=patient),
            "responses": list(reversed(responses)),
            "titles": TITLES,
            "why": WHY,
            "instruments": service.QUESTIONNAIRES,
            "is_clinician": user.role == Role.clinician,
            "today": today_for(patient),
        }
    )
    return render(request, "outcomes/questionnaires.html", context)


def _responses_from_form(definition: InstrumentDefinition, form: Any) -> dict[str, Any]:
    """Form fields → ``{item_id: value}`` typed by each item's response type."""
    out: dict[str, Any] = {}
    for item in definition.items:
        kind = item["response"]["type"]
        if kind == "activities":
            activities = []
            for n in range(item["response"]["max_items"]):
                name = (form.get(f"activity-{n}") or "").strip()
                rating = form.get(f"rating-{n}")
                if not name and rating in (None, ""):
                    continue
                if not name:
                    raise InvalidInput(f"activity {n + 1}", "name the activity you rated")
                if rating in (None, ""):
                    raise InvalidInput(f"activity {n + 1}", f"rate “{name}” from 0 to 10")
                activities.append({"activity": name, "rating": int(rating)})
            out[item["id"]] = activities or None
            continue
        raw = form.get(item["id"])
        if raw in (None, ""):
            if kind == "boolean" and definition.scoring == "rmdq":
                out[item["id"]] = False  # an unticked statement does not apply (Roland 1983)
            continue
        if kind == "boolean":
            out[item["id"]] = raw in ("true", "yes", "on", "1")
        elif kind == "text":
            out[item["id"]] = str(raw)
        else:
            try:
                out[item["id"]] = int(raw)
            except ValueError:
                raise InvalidInput(item["label"], "choose one of the answers") from None
    return out


@router.post("/patients/{patient_id}/questionnaires/{instrument}", response_class=HTMLResponse)
def questionnaire_submit(
    request: Request,
    patient: CurrentPatient,
    instrument: Instrument,
    actor: CurrentActor,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    form: FormData,
) -> Response:
    definition = service.definition_for(str(instrument), settings.data_dir)
    try:
        responses = _responses_from_form(definition, form)
        row = service.submit_response(
            session,
            actor=actor,
            patient=patient,
            instrument=str(instrument),
            responses=responses,
            data_dir=settings.data_dir,
        )
    except SpinewiseError as exc:
        if exc.status_code != 422:
            raise
        return _form_page(
            request,
            session,
            patient,
            user,
            definition,
            values=dict(form),
            error=exc.message,
            status_code=422,
        )
    sentence = None
    if str(instrument) in service.TRACKED:
        series = [
            p for p in service.progress(session, patient=patient) if p.instrument == row.instrument
        ]
        if series:
            sentence = describe_progress(row.instrument, series[0].series).sentence
    context = _context(session, patient, user.id)
    context.update(
        {"row": row, "title": TITLES[row.instrument], "sentence": sentence, "result": row.result}
    )
    return render(request, "outcomes/answered.html", context, 201)


@router.post("/patients/{patient_id}/questionnaire-schedule", response_class=HTMLResponse)
def schedule_submit(
    request: Request,
    patient: CurrentPatient,
    actor: CurrentActor,
    session: SessionDep,
    form: FormData,
) -> Response:
    """A clinician schedules an instrument: baseline, then every 2 or 4 weeks."""
    instrument = form.get("instrument") or ""
    try:
        interval = int(form.get("interval_weeks") or 0)
        baseline_raw = form.get("baseline") or ""
        baseline = dt.date.fromisoformat(baseline_raw) if baseline_raw else None
    except ValueError:
        raise InvalidInput("schedule", "choose an interval and a valid date") from None
    service.set_schedule(
        session,
        actor=actor,
        patient=patient,
        instrument=str(instrument),
        interval_weeks=interval,
        baseline=baseline,
        active=form.get("active", "true") != "false",
    )
    return RedirectResponse(f"/patients/{patient.id}/questionnaires", status_code=303)


@router.get("/patients/{patient_id}/diary", response_class=HTMLResponse)
def diary_page(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    return _diary(request, session, patient, user)


def _diary(
    request: Request,
    session: Session,
    patient: Patient,
    user: Any,
    *,
    messages: list[str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    today = today_for(patient)
    entries = service.diary_entries(session, patient_id=patient.id)
    context = _context(session, patient, user.id)
    context.update(
        {
            "today": today,
            "entries": list(reversed(entries[-28:])),
            "todays": next((e for e in entries if e.day == today), None),
            "messages": messages or [],
            "error": error,
            "definition": service.definition_for("pain_diary").data,
        }
    )
    return render(request, "outcomes/diary.html", context, status_code)


@router.post("/patients/{patient_id}/diary", response_class=HTMLResponse)
def diary_submit(
    request: Request,
    patient: CurrentPatient,
    actor: CurrentActor,
    user: CurrentUser,
    session: SessionDep,
    form: FormData,
) -> Response:
    data: dict[str, Any] = {}
    try:
        if form.get("day"):
            data["day"] = str(form.get("day"))
        back = form.get("back_pain")
        if back in (None, ""):
            raise InvalidInput("back_pain", "choose a number from 0 to 10")
        data["back_pain"] = int(back)
        if form.get("leg_pain") not in (None, ""):
            data["leg_pain"] = int(form.get("leg_pain"))
        for key in ("sleep_disturbed", "medication_taken"):
            if form.get(key) in ("true", "false"):
                data[key] = form.get(key) == "true"
        if form.get("activity_min") not in (None, ""):
            data["activity_min"] = int(form.get("activity_min"))
        data["note"] = str(form.get("note") or "")
        service.save_diary_entry(session, actor=actor, patient=patient, data=data)
    except ValueError:
        return _diary(
            request, session, patient, user, error="Please use whole numbers.", status_code=422
        )
    except SpinewiseError as exc:
        if exc.status_code != 422:
            raise
        return _diary(request, session, patient, user, error=exc.message, status_code=422)
    return _diary(request, session, patient, user, messages=["Thank you — today is saved."])
