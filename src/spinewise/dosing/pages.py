"""Pump pages: the clinician's programme page (form with a live check, level chart over the pain
profile, planner suggestion, history, sign-off, settings), the printable programming sheet, the
clinic drug libraries, and the patient's refill date and bolus log (never a programme change).

Pages only translate form fields to a ``Programme`` and back; every decision is the service's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient
from spinewise.core.deps import (
    BusDep,
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
)
from spinewise.core.errors import Forbidden, InvalidInput, NotFound
from spinewise.dosing import service
from spinewise.dosing.chart import level_chart_svg
from spinewise.dosing.check import CheckResult, ProgrammeRejected, Violation
from spinewise.dosing.library import DrugLibrary, library_fingerprint, library_from_dict
from spinewise.dosing.models import ProgrammeSource, PumpProgrammeVersion
from spinewise.dosing.planner import format_hour_ranges
from spinewise.dosing.programme import Programme, programme_from_dict
from spinewise.dosing.refill import plan_refill
from spinewise.dosing.schemas import RecordId
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_LIBRARY_BYTES = 2_000_000
STEP_ROWS = 8  # blank rows are ignored; a flex-dosing table rarely needs more

RULE_TEXT = {
    "unknown_drug": "the drug is not in the drug library",
    "concentration": "concentration above the library's maximum",
    "daily_dose_hard_max": "maximum daily dose (basal + every bolus) above the hard maximum",
    "daily_increase": "maximum daily dose rises more than the allowed daily increase",
    "bolus_dose": "bolus dose above the maximum",
    "bolus_lockout": "bolus lockout shorter than the minimum",
    "bolus_count": "more boluses a day than allowed",
    "rate_min": "a step rate below the pump's minimum (0 = off is allowed)",
    "rate_max": "a step rate above the pump's maximum",
    "daily_dose_soft_max": "maximum daily dose above the soft maximum",
}
RULE_UNIT = {
    "concentration": "{unit}/mL",
    "daily_dose_hard_max": "{unit}/day",
    "daily_increase": "{unit}/day",
    "daily_dose_soft_max": "{unit}/day",
    "bolus_dose": "{unit}",
    "bolus_lockout": "min",
    "bolus_count": "a day",
    "rate_min": "mL/day",
    "rate_max": "mL/day",
}


def describe(violation: Violation, unit: str | None) -> str:
    """One line a clinician reads: what is wrong, the value and the limit, with units."""
    text = RULE_TEXT.get(violation.rule, violation.rule)
    if violation.limit is None or isinstance(violation.value, str):
        return f"{text}: {violation.value}"
    units = RULE_UNIT.get(violation.rule, "").format(unit=unit or "units")
    return f"{text}: {_fmt(violation.value)} {units} (limit {_fmt(violation.limit)} {units})"


def _fmt(value: float | str | int) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


# --- the programme form ------------------------------------------------------------------------


@dataclass
class ProgrammeForm:
    """The programme form's fields as typed (strings), so a refused form comes back unchanged."""

    drug: str = ""
    concentration: str = ""
    reservoir_ml: str = ""
    fill_volume_ml: str = ""
    filled_on: str = ""
    steps: list[tuple[str, str]] = field(default_factory=list)
    bolus_dose: str = ""
    bolus_lockout_min: str = ""
    bolus_max_per_day: str = ""
    reason: str = ""
    soft_limit_reason: str = ""
    source: str = ProgrammeSource.form.value

    @property
    def rows(self) -> list[tuple[str, str]]:
        rows = list(self.steps[:STEP_ROWS])
        return rows + [("", "")] * (STEP_ROWS - len(rows))

    @classmethod
    def from_programme(
        cls, programme: Programme, *, filled_on: date, reason: str = "", source: str = "form"
    ) -> ProgrammeForm:
        bolus = programme.bolus
        return cls(
            drug=programme.drug,
            concentration=f"{programme.concentration:g}",
            reservoir_ml=f"{programme.reservoir_ml:g}",
            fill_volume_ml=f"{programme.fill_volume_ml:g}",
            filled_on=filled_on.isoformat(),
            steps=[(s.start, f"{s.rate_ml_per_day:g}") for s in programme.steps],
            bolus_dose="" if bolus is None else f"{bolus.dose:g}",
            bolus_lockout_min="" if bolus is None else f"{bolus.lockout_min:g}",
            bolus_max_per_day="" if bolus is None else str(bolus.max_per_day),
            reason=reason,
            source=source,
        )

    @classmethod
    def from_form(cls, form: FormData) -> ProgrammeForm:
        def text(name: str) -> str:
            value = form.get(name, "")
            return value.strip()[:2000] if isinstance(value, str) else ""

        starts = [v for v in form.getlist("step_start") if isinstance(v, str)]
        rates = [v for v in form.getlist("step_rate") if isinstance(v, str)]
        source = text("source")
        return cls(
            drug=text("drug"),
            concentration=text("concentration"),
            reservoir_ml=text("reservoir_ml"),
            fill_volume_ml=text("fill_volume_ml"),
            filled_on=text("filled_on"),
            steps=[(s.strip()[:5], r.strip()[:30]) for s, r in zip(starts, rates, strict=False)][
                :STEP_ROWS
            ],
            bolus_dose=text("bolus_dose"),
            bolus_lockout_min=text("bolus_lockout_min"),
            bolus_max_per_day=text("bolus_max_per_day"),
            reason=text("reason"),
            soft_limit_reason=text("soft_limit_reason"),
            source=source if source in {s.value for s in ProgrammeSource} else "form",
        )

    def to_programme(self) -> Programme:
        """The programme, or ``InvalidInput`` naming the first field to fix."""
        steps = []
        for i, (start, rate) in enumerate(self.steps):
            if not start and not rate:
                continue
            if not start or not rate:
                raise InvalidInput(f"step {i + 1}", "needs both a start time and a rate")
            steps.append({"start": start, "rate_ml_per_day": _number(rate, f"step {i + 1} rate")})
        bolus_fields = (self.bolus_dose, self.bolus_lockout_min, self.bolus_max_per_day)
        bolus = None
        if any(bolus_fields):
            bolus = {
                "dose": _number(self.bolus_dose, "bolus dose"),
                "lockout_min": _number(self.bolus_lockout_min, "bolus lockout"),
                "max_per_day": _whole(self.bolus_max_per_day, "boluses per day"),
            }
        return programme_from_dict(
            {
                "drug": self.drug,
                "concentration": _number(self.concentration, "concentration"),
                "reservoir_ml": _number(self.reservoir_ml, "reservoir volume"),
                "fill_volume_ml": _number(self.fill_volume_ml, "fill volume"),
                "steps": steps,
                "bolus": bolus,
            }
        )

    def filled_on_date(self) -> date | None:
        if not self.filled_on:
            return None
        try:
            return date.fromisoformat(self.filled_on)
        except ValueError:
            raise InvalidInput("filled on", "is not a date (YYYY-MM-DD)") from None


def _number(value: str, name: str) -> float:
    if not value:
        raise InvalidInput(name, "is required")
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(name, f"{value!r} is not a number") from None


def _whole(value: str, name: str) -> int:
    number = _number(value, name)
    if not number.is_integer():
        raise InvalidInput(name, "must be a whole number")
    return int(number)


async def _form_data(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(_form_data)]


# --- the clinician's pump page -------------------------------------------------------------------


def _level_svg(
    programme: Programme,
    library: DrugLibrary,
    *,
    pain: tuple[float, ...] | None,
    compare: Programme | None = None,
    level_name: str = "this programme",
    compare_name: str = "active programme",
) -> str | None:
    curve = service.level_curve(programme, library)
    if curve is None:
        return None
    other = None if compare is None else service.level_curve(compare, library)
    label = (
        f"Simulated {programme.drug} level over one day at steady state ({curve.unit}, "
        "one-compartment model)" + (", with the hourly pain profile" if pain else "")
    )
    return level_chart_svg(
        curve.hour_of_day,
        curve.level,
        unit=curve.unit,
        label=label,
        pain=pain,
        compare=None if other is None else (other.hour_of_day, other.level),
        level_name=level_name,
        compare_name=compare_name,
    )


def _pump_context(
    session: Session,
    *,
    patient: Patient,
    viewer_id: int,
    form: ProgrammeForm | None = None,
    refusal: list[str] | None = None,
    form_error: str = "",
) -> dict[str, Any]:
    patient_user = accounts.user_of(session, patient=patient)
    library = service.library_for_patient(session, patient_id=patient.id)
    active = service.active_programme(session, patient_id=patient.id)
    pending = service.pending_programme(session, patient_id=patient.id)
    history, total = service.list_programmes(session, patient_id=patient.id, limit=200)
    profile = service.hourly_pain_profile(session, patient_id=patient.id)
    settings = service.pump_settings(session, patient_id=patient.id)
    today = service.local_today(patient)
    if form is None:
        if active is not None:
            form = ProgrammeForm.from_programme(service.stored_programme(active), filled_on=today)
        else:
            form = ProgrammeForm(filled_on=today.isoformat(), steps=[("00:00", "")])
    active_svg = None
    if active is not None:
        active_svg = _level_svg(
            service.stored_programme(active),
            library.library,
            pain=profile.hourly if profile else None,
            level_name=f"active programme (version {active.version})",
        )
    return {
        "patient": patient,
        "patient_user": patient_user,
        "library": library,
        "drugs": sorted(library.library.drugs),
        "active": active,
        "active_programme": service.stored_programme(active) if active else None,
        "active_svg": active_svg,
        "pending": pending,
        "pending_programme": service.stored_programme(pending) if pending else None,
        "history": history,
        "total": total,
        "profile": profile,
        "settings": settings,
        "clinics": service.clinic_names(session),
        "boluses": service.list_boluses(session, patient_id=patient.id, limit=20),
        "form": form,
        "refusal": refusal or [],
        "form_error": form_error,
        "viewer_id": viewer_id,
        "today": today,
        "reminder_days": service.REFILL_REMINDER_LEAD_DAYS,
        "pain_text": ", ".join(f"{v:g}" for v in profile.hourly) if profile else "",
    }


@router.get("/patients/{patient_id}/pump", response_class=HTMLResponse)
def pump_page(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    saved: int | None = None,
    signed: int | None = None,
    settings_saved: bool = False,
) -> Response:
    context = _pump_context(session, patient=patient, viewer_id=clinician.id)
    messages = []
    if saved is not None:
        pending = context["pending"]
        if pending is not None and pending.version == saved:
            messages.append(
                f"Version {saved} saved. It is above the soft maximum and waits for a second "
                "clinician's sign-off before it becomes active."
            )
        else:
            messages.append(f"Version {saved} saved and active.")
    if signed is not None:
        messages.append(f"Version {signed} signed off and now active.")
    if settings_saved:
        messages.append("Pump settings saved.")
    return render(request, "dosing/pump.html", {**context, "messages": messages})


@router.post("/patients/{patient_id}/pump/check", response_class=HTMLResponse)
def live_check(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    posted: PostedForm,
) -> Response:
    """The check beside the form, re-run by HTMX as the clinician types (never saves)."""
    form = ProgrammeForm.from_form(posted)
    try:
        programme = form.to_programme()
        filled_on = form.filled_on_date() or service.local_today(patient)
    except InvalidInput as exc:
        return render(request, "dosing/_check.html", {"incomplete": exc.message})
    draft = service.check_draft(session, patient_id=patient.id, programme=programme)
    return render(request, "dosing/_check.html", _check_context(session, patient, draft, filled_on))


def _check_context(
    session: Session, patient: Patient, draft: service.DraftCheck, filled_on: date
) -> dict[str, Any]:
    result: CheckResult = draft.result
    unit = result.unit
    chart = None
    refill = None
    if result.ok:
        active = service.active_programme(session, patient_id=patient.id)
        profile = service.hourly_pain_profile(session, patient_id=patient.id)
        chart = _level_svg(
            draft.programme,
            draft.library.library,
            pain=profile.hourly if profile else None,
            compare=service.stored_programme(active) if active else None,
            level_name="programme in the form",
            compare_name=f"active (version {active.version})" if active else "",
        )
        refill = plan_refill(draft.programme, draft.library.library, filled_on)
    return {
        "draft": draft,
        "result": result,
        "unit": unit or "units",
        "violations": [describe(v, unit) for v in result.violations],
        # A refused programme cannot be saved at all, so its soft-limit warning is noise.
        "warnings": [describe(w, unit) for w in result.warnings] if result.ok else [],
        "chart": chart,
        "refill": refill,
    }


@router.post("/patients/{patient_id}/pump/programmes", response_class=HTMLResponse)
def save_programme(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    bus: BusDep,
    posted: PostedForm,
) -> Response:
    """Save the form as a new version, or show it again refused with the reasons (422)."""
    form = ProgrammeForm.from_form(posted)
    try:
        programme = form.to_programme()
        outcome = service.save_programme(
            session,
            actor=actor,
            patient=patient,
            programme=programme,
            reason=form.reason,
            soft_limit_reason=form.soft_limit_reason,
            filled_on=form.filled_on_date(),
            source=form.source,
        )
    except ProgrammeRejected as exc:
        unit = _unit_of(session, patient, form.drug)
        context = _pump_context(
            session,
            patient=patient,
            viewer_id=clinician.id,
            form=form,
            refusal=[describe(v, unit) for v in exc.violations],
        )
        return render(request, "dosing/pump.html", context, 422)
    except InvalidInput as exc:
        context = _pump_context(
            session, patient=patient, viewer_id=clinician.id, form=form, form_error=exc.message
        )
        return render(request, "dosing/pump.html", context, 422)
    service.publish_after_commit(session, bus, outcome.events)
    return RedirectResponse(
        f"/patients/{patient.id}/pump?saved={outcome.version.version}#history", status_code=303
    )


def _unit_of(session: Session, patient: Patient, drug: str) -> str | None:
    entry = service.library_for_patient(session, patient_id=patient.id).library.get(drug)
    return None if entry is None else entry.unit


@router.post("/patients/{patient_id}/pump/plan", response_class=HTMLResponse)
def plan(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    posted: PostedForm,
) -> Response:
    """The planner's suggestion for the programme in the form, with a button to load it."""
    form = ProgrammeForm.from_form(posted)
    try:
        programme = form.to_programme()
        outcome = service.plan_for_patient(session, patient_id=patient.id, programme=programme)
    except ProgrammeRejected as exc:
        unit = _unit_of(session, patient, form.drug)
        return render(
            request,
            "dosing/_plan.html",
            {
                "problem": "The programme in the form breaks a hard limit; fix it first.",
                "reasons": [describe(v, unit) for v in exc.violations],
            },
        )
    except InvalidInput as exc:
        return render(request, "dosing/_plan.html", {"problem": exc.message, "reasons": []})
    suggestion = outcome.plan.programme
    chart = _level_svg(
        suggestion,
        outcome.library.library,
        pain=outcome.pain.hourly,
        compare=programme,
        level_name="suggested schedule",
        compare_name="programme in the form",
    )
    return render(
        request,
        "dosing/_plan.html",
        {
            "patient": patient,
            "plan": outcome.plan,
            "pain": outcome.pain,
            "painful": format_hour_ranges(outcome.plan.painful_hours),
            "chart": chart,
            "unit": _unit_of(session, patient, suggestion.drug) or "units",
            "suggestion_json": json.dumps(suggestion.to_dict()),
            "filled_on": form.filled_on,
        },
    )


@router.post("/patients/{patient_id}/pump/load", response_class=HTMLResponse)
def load_into_form(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    posted: PostedForm,
) -> Response:
    """The programme form filled with a suggestion (it is checked again when saved)."""
    raw = posted.get("programme", "")
    try:
        programme = programme_from_dict(json.loads(raw if isinstance(raw, str) else ""))
    except (json.JSONDecodeError, InvalidInput) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else "not a programme"
        raise InvalidInput("programme", message) from None
    explanation = posted.get("explanation", "")
    filled = posted.get("filled_on", "")
    try:
        filled_on = date.fromisoformat(filled) if isinstance(filled, str) and filled else None
    except ValueError:
        filled_on = None
    form = ProgrammeForm.from_programme(
        programme,
        filled_on=filled_on or service.local_today(patient),
        reason=f"Planner suggestion: {explanation}"[:2000] if explanation else "",
        source=ProgrammeSource.planner.value,
    )
    drugs = sorted(service.library_for_patient(session, patient_id=patient.id).library.drugs)
    return render(request, "dosing/_form.html", {"patient": patient, "form": form, "drugs": drugs})


@router.post("/patients/{patient_id}/pump/programmes/{programme_id}/sign-off")
def sign_off(
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    programme_id: RecordId,
    session: SessionDep,
    bus: BusDep,
) -> Response:
    """A second clinician of the care team activates a version above the soft maximum."""
    outcome = service.sign_off(session, actor=actor, patient=patient, programme_id=programme_id)
    service.publish_after_commit(session, bus, outcome.events)
    return RedirectResponse(
        f"/patients/{patient.id}/pump?signed={outcome.version.version}", status_code=303
    )


@router.post("/patients/{patient_id}/pump/settings", response_class=HTMLResponse)
def save_settings(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    clinic: Annotated[str, Form(max_length=100)] = "",
    pain_profile: Annotated[str, Form(max_length=2000)] = "",
    pain_profile_note: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """The clinic whose library applies and the hourly pain profile (pasted: 24 numbers)."""
    try:
        hourly = service.parse_pain_text(pain_profile) if pain_profile.strip() else None
        service.update_pump_settings(
            session,
            actor=actor,
            patient=patient,
            clinic=clinic or None,
            pain_profile=hourly,
            pain_profile_note=pain_profile_note,
        )
    except InvalidInput as exc:
        context = _pump_context(session, patient=patient, viewer_id=clinician.id)
        context["settings_error"] = exc.message
        context["pain_text"] = pain_profile
        return render(request, "dosing/pump.html", context, 422)
    return RedirectResponse(f"/patients/{patient.id}/pump?settings_saved=1", status_code=303)


@router.get(
    "/patients/{patient_id}/pump/programmes/{programme_id}/sheet", response_class=HTMLResponse
)
def programming_sheet(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    programme_id: RecordId,
    session: SessionDep,
) -> Response:
    """A printable programming sheet of one version (print CSS hides the app around it)."""
    version = service.get_programme(session, patient_id=patient.id, programme_id=programme_id)
    programme = service.stored_programme(version)
    profile = service.hourly_pain_profile(session, patient_id=patient.id)
    library = _library_of_version(session, version)
    durations = programme.step_durations_min()
    steps = [
        {
            "start": step.start,
            "rate": step.rate_ml_per_day,
            "hours": minutes / 60,
            "dose": step.rate_ml_per_day * programme.concentration * minutes / 1440,
        }
        for step, minutes in zip(programme.steps, durations, strict=True)
    ]
    return render(
        request,
        "dosing/sheet.html",
        {
            "patient": patient,
            "patient_user": accounts.user_of(session, patient=patient),
            "version": version,
            "programme": programme,
            "steps": steps,
            "chart": None
            if library is None
            else _level_svg(programme, library, pain=profile.hourly if profile else None),
            "printed_at": datetime.now(ZoneInfo(patient.timezone)),
        },
    )


def _library_of_version(session: Session, version: PumpProgrammeVersion) -> DrugLibrary | None:
    """The library that approved the version (for the PK figures of its chart)."""
    if version.library_id is None:
        library = service.shipped_library()
    else:
        record = service.get_library(session, library_id=version.library_id)
        library = library_from_dict(record.document)
    return library if library_fingerprint(library) == version.library_fingerprint else None


# --- the patient's view --------------------------------------------------------------------------


@router.get("/me/pump")
def my_pump(user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have a pump")
    return RedirectResponse(f"/patients/{patient.id}/pump/boluses", status_code=303)


def _bolus_context(session: Session, patient: Patient, user_id: int) -> dict[str, Any]:
    active = service.refill_status(session, patient_id=patient.id)
    today = service.local_today(patient)
    days_left = None
    if active is not None and active.refill_due_on is not None:
        days_left = (active.refill_due_on - today).days
    now_local = datetime.now(ZoneInfo(patient.timezone)).replace(second=0, microsecond=0)
    return {
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "is_self": patient.user_id == user_id,
        "active": active,
        "days_left": days_left,
        "boluses": service.list_boluses(session, patient_id=patient.id, limit=50),
        "now_local": now_local.strftime("%Y-%m-%dT%H:%M"),
    }


@router.get("/patients/{patient_id}/pump/boluses", response_class=HTMLResponse)
def bolus_page(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """Refill date and bolus log: the patient's pump page (it never offers a programme change)."""
    context = _bolus_context(session, patient, user.id)
    return render(request, "dosing/boluses.html", context)


@router.post("/patients/{patient_id}/pump/boluses", response_class=HTMLResponse)
def log_bolus(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    taken_at: Annotated[str, Form(max_length=40)] = "",
    relief: Annotated[str, Form(max_length=4)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if patient.user_id != user.id:
        raise Forbidden("patients log their own bolus activations")
    try:
        when = _local_datetime(taken_at, patient.timezone)
        service.log_bolus(
            session,
            actor=actor,
            patient=patient,
            taken_at=when,
            relief=_whole(relief, "relief"),
            note=note,
        )
    except InvalidInput as exc:
        context = _bolus_context(session, patient, user.id)
        context["error"] = exc.message
        return render(request, "dosing/boluses.html", context, 422)
    return RedirectResponse(f"/patients/{patient.id}/pump/boluses?logged=1", status_code=303)


def _local_datetime(value: str, timezone: str) -> datetime:
    """``YYYY-MM-DDTHH:MM`` from a datetime-local input, in the patient's zone, as UTC."""
    if not value:
        raise InvalidInput("time", "is required")
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("time", "is not a date and time") from None
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


# --- clinic drug libraries -----------------------------------------------------------------------


@router.get("/clinician/drug-libraries", response_class=HTMLResponse)
def libraries_page(request: Request, clinician: CurrentClinician, session: SessionDep) -> Response:
    return render(request, "dosing/libraries.html", _libraries_context(session))


def _libraries_context(session: Session) -> dict[str, Any]:
    shipped = service.shipped_library()
    return {
        "uploads": service.list_libraries(session),
        "shipped": shipped,
        "shipped_fingerprint": library_fingerprint(shipped),
    }


@router.post("/clinician/drug-libraries", response_class=HTMLResponse)
def upload_library_form(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    clinic: Annotated[str, Form(max_length=100)],
    library_file: Annotated[UploadFile, File()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Upload a clinic's library file; refused with the loader's message unless every figure is
    valid (nothing is stored then)."""
    try:
        content = library_file.file.read(MAX_LIBRARY_BYTES + 1)
        if len(content) > MAX_LIBRARY_BYTES:
            raise InvalidInput("library file", "is larger than 2 MB")
        try:
            document = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidInput("library file", "is not a JSON document") from None
        record = service.upload_library(
            session, actor=actor, clinic=clinic, document=document, note=note
        )
    except InvalidInput as exc:
        context = {**_libraries_context(session), "error": exc.message, "clinic": clinic}
        return render(request, "dosing/libraries.html", context, 422)
    message = (
        f"Library {record.name} {record.version} stored for {record.clinic} "
        f"(SHA-256 {record.fingerprint[:12]}…)."
    )
    return render(
        request, "dosing/libraries.html", {**_libraries_context(session), "messages": [message]}
    )
