"""Decision-support pages for clinicians: the panel (full page and the fragment on the patient
page), the assessment form, and the model cards. Pages only translate; services decide."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient
from spinewise.core.deps import CurrentActor, CurrentClinician, SessionDep
from spinewise.core.errors import SpinewiseError
from spinewise.outcomes.definition import builtin_definition
from spinewise.predict import charts, service
from spinewise.predict.artefacts import PACKAGED_SPINE
from spinewise.predict.deps import PatientForClinician
from spinewise.predict.model_card import CARD_NAMES, format_value
from spinewise.predict.schemas import AssessmentCreate, DecisionSupportRead
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

FRACTIONS = {"posture_flexed_fraction", "adherence_fraction"}
TRI_STATE = ("symptoms_distal_to_knee", "lumbar_hypomobility")
NUMBERS = (
    "odi_pct",
    "nprs",
    "startback_total",
    "startback_psychosocial",
    "age_years",
    "fabq_work",
    "fabq_pa",
    "hip_internal_rotation_left_deg",
    "hip_internal_rotation_right_deg",
)
CARD_TITLES = {
    "startback": "STarT Back stratified care",
    "manipulation-cpr": "Spinal-manipulation clinical prediction rule",
    "response": "Treatment-response model",
    "spine": "Spine classifier",
}


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


# --- panel ----------------------------------------------------------------------------------------


def show_value(feature: str, value: Any) -> str:
    """A feature value as a clinician reads it (fractions in percent, ages in years)."""
    if value is None:
        return "not recorded"
    if isinstance(value, str):
        return value
    if feature in FRACTIONS:
        return f"{value:.0%}"
    return f"{value:.1f}".removesuffix(".0")


def panel_charts(ds: DecisionSupportRead) -> dict[str, Any]:
    """SVG charts of the treatment-response part (none unless the model answered)."""
    response = ds.treatment_response
    if response is None or response.status != "ok":
        return {}
    tag = " (model trained on SYNTHETIC data)" if response.synthetic else ""
    summary = "; ".join(
        f"{o.label} {o.probability:.0%} ({o.interval95[0]:.0%}-{o.interval95[1]:.0%})"
        for o in response.options
    )
    forest = charts.response_forest(
        [(o.label, o.probability, o.interval95[0], o.interval95[1]) for o in response.options],
        label=f"Probability of at least 30 % ODI improvement at 12 weeks{tag}: {summary}",
    )
    bars = {
        o.treatment: charts.contribution_bars(
            [
                (
                    c.label
                    if c.feature == "treatment"
                    else f"{c.label}: {show_value(c.feature, c.value)}",
                    c.log_odds,
                )
                for c in o.contributions
            ],
            label=f"What moves the estimate for {o.label}{tag}: "
            + "; ".join(f"{c.label} {c.log_odds:+.2f}" for c in o.contributions),
        )
        for o in response.options
    }
    return {"forest": forest, "bars": bars}


def _panel_context(ds: DecisionSupportRead, patient: Patient) -> dict[str, Any]:
    return {
        "ds": ds,
        "patient": patient,
        "charts": panel_charts(ds),
        "show_value": show_value,
        "feature_label": lambda name: service.FEATURE_LABELS.get(name, name.replace("_", " ")),
    }


@router.get("/patients/{patient_id}/decision-support", response_class=HTMLResponse)
def decision_support_page(
    request: Request,
    patient: PatientForClinician,
    actor: CurrentActor,
    session: SessionDep,
    assessment_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    ds = service.decision_support(
        session, actor=actor, patient=patient, assessment_id=assessment_id
    )
    history, total = service.list_assessments(session, actor=actor, patient=patient, limit=100)
    context = {
        **_panel_context(ds, patient),
        "patient_user": accounts.user_of(session, patient=patient),
        "history": history,
        "total": total,
    }
    return render(request, "predict/decision_support.html", context)


@router.get("/patients/{patient_id}/decision-support/panel", response_class=HTMLResponse)
def decision_support_panel(
    request: Request, patient: PatientForClinician, actor: CurrentActor, session: SessionDep
) -> Response:
    """The panel alone, loaded into the clinician's patient page."""
    ds = service.decision_support(session, actor=actor, patient=patient)
    return render(request, "predict/panel.html", {**_panel_context(ds, patient), "embedded": True})


# --- assessment form ------------------------------------------------------------------------------


def _form_context(
    session: SessionDep, patient: Patient, values: dict[str, Any], error: str = ""
) -> dict[str, Any]:
    return {
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "profile_age": accounts.age_on(patient.date_of_birth, date.today()),
        "values": values,
        "error": error,
        "odi_sections": [item["label"] for item in builtin_definition("odi").items],
        "startback_items": [item["label"] for item in builtin_definition("startback").items],
    }


@router.get("/patients/{patient_id}/assessments/new", response_class=HTMLResponse)
def assessment_form(
    request: Request, patient: PatientForClinician, session: SessionDep
) -> Response:
    defaults = service.form_defaults(session, patient=patient)
    values: dict[str, Any] = {k: ("" if v is None else v) for k, v in defaults.items()}
    for name in TRI_STATE:
        flag = defaults.get(name)
        values[name] = "" if flag is None else ("yes" if flag else "no")
    if defaults.get("symptom_duration_days") is not None:
        values["duration_value"] = show_value("", float(defaults["symptom_duration_days"]))
        values["duration_unit"] = "days"
    values["assessed_on"] = service.today_for(patient).isoformat()
    return render(request, "predict/assessment_form.html", _form_context(session, patient, values))


def parse_assessment_form(form: dict[str, str]) -> dict[str, Any]:
    """Form fields -> the JSON shape of ``AssessmentCreate`` (blank means not assessed)."""
    data: dict[str, Any] = {}

    def text(name: str) -> str:
        return form.get(name, "").strip()

    if text("assessed_on"):
        data["assessed_on"] = text("assessed_on")
    for name in NUMBERS:
        if text(name):
            data[name] = text(name)
    for name in TRI_STATE:
        choice = text(name)
        if choice in ("yes", "no"):
            data[name] = choice == "yes"
    if text("duration_value"):
        data["symptom_duration_days"] = _days(text("duration_value"), text("duration_unit"))
    odi = [text(f"odi_{i}") for i in range(1, 11)]
    if any(odi):
        data["odi_answers"] = [int(v) if v.isdigit() else None for v in odi]
    startback = [text(f"sb_{i}") for i in range(1, 10)]
    if any(startback):
        if not all(v.isdigit() for v in startback):
            raise ValueError("answer all nine STarT Back items, or enter the two scores")
        data["startback_answers"] = [int(v) for v in startback]
    data["notes"] = form.get("notes", "")
    return data


def _days(value: str, unit: str) -> float | str:
    try:
        number = float(value)
    except ValueError:
        return value  # the schema explains that it is not a number
    # A month is the mean Gregorian month, 365.25 / 12 = 30.44 days.
    return number * {"weeks": 7.0, "months": 365.25 / 12}.get(unit, 1.0)


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where}: {error.get('msg', '')}" if where else str(error.get("msg", "")))
    return "; ".join(parts)


@router.post("/patients/{patient_id}/assessments", response_class=HTMLResponse)
def assessment_save(
    request: Request,
    patient: PatientForClinician,
    actor: CurrentActor,
    session: SessionDep,
    form: FormFields,
) -> Response:
    values = {k: v for k, v in form.items() if k != "csrf_token"}
    try:
        data = AssessmentCreate.model_validate(parse_assessment_form(form))
        service.create_assessment(session, actor=actor, patient=patient, data=data)
    except ValidationError as exc:
        return render(
            request,
            "predict/assessment_form.html",
            _form_context(session, patient, values, _validation_message(exc)),
            422,
        )
    except (SpinewiseError, ValueError) as exc:
        message = exc.message if isinstance(exc, SpinewiseError) else str(exc)
        return render(
            request,
            "predict/assessment_form.html",
            _form_context(session, patient, values, message),
            422,
        )
    return RedirectResponse(f"/patients/{patient.id}/decision-support", status_code=303)


# --- model cards ----------------------------------------------------------------------------------


@router.get("/predict/cards", response_class=HTMLResponse)
def cards_index(request: Request, _clinician: CurrentClinician) -> Response:
    cards = [(name, CARD_TITLES[name], service.model_card(name)) for name in CARD_NAMES]
    return render(request, "predict/cards.html", {"cards": cards})


@router.get("/predict/cards/spine/reliability.png")
def spine_reliability(_clinician: CurrentClinician) -> Response:
    return FileResponse(PACKAGED_SPINE / "reliability.png", media_type="image/png")


@router.get("/predict/cards/{name}", response_class=HTMLResponse)
def card_page(request: Request, name: str, _clinician: CurrentClinician) -> Response:
    card = service.model_card(name).to_dict()
    return render(
        request,
        "predict/card.html",
        {"card": card, "slug": name, "title": CARD_TITLES[name], "fmt": format_value},
    )
