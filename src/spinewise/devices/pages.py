"""Posture pages: the patient's Now / Today / Week view (also the clinician's view of a patient),
device management, clinician thresholds, and the phone-as-sensor page."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Role
from spinewise.core.deps import CurrentClinician, CurrentPatient, CurrentUser, SessionDep
from spinewise.core.errors import NotFound, SpinewiseError
from spinewise.devices import charts, service
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)


def gauge_point(flexion_deg: float) -> str:
    """SVG point on the gauge's arc (radius 100) for a flexion angle: 0° left, 100° right."""
    angle = math.radians(flexion_deg * 1.8 - 90)
    return f"{100 * math.sin(angle):.1f} {-100 * math.cos(angle):.1f}"


def _hours(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min"


@router.get("/me/posture")
def my_posture(user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have posture data")
    return RedirectResponse(f"/patients/{patient.id}/posture", status_code=303)


@router.get("/patients/{patient_id}/posture", response_class=HTMLResponse)
def posture_page(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    view = service.overview(session, patient=patient)
    patient_user = accounts.user_of(session, patient=patient)
    is_self = patient.user_id == user.id
    days = view.days[-14:]
    context = {
        "patient": patient,
        "patient_user": patient_user,
        "is_self": is_self,
        "is_clinician": user.role == Role.clinician,
        "view": view,
        "hours": _hours,
        "gauge_point": gauge_point,
        "config": service.posture_config(session, patient_id=patient.id),
        "timeline_svg": charts.day_timeline(
            view.today_minutes,
            label=f"Posture today ({view.today}): minutes in each zone from midnight",
        ),
        "heatmap_svg": charts.weekly_heatmap(
            view.heatmap_min,
            label="Average minutes flexed per hour, by weekday, over the last four weeks",
        ),
        "worn_svg": charts.daily_bars(
            [(d.date, round(d.wear_s / 3600, 1)) for d in days],
            label="Hours worn per day",
            unit="h",
        ),
        "alerts_svg": charts.daily_bars(
            [(d.date, float(d.alerts)) for d in days],
            label="Alerts per day",
            unit="alerts",
            colour="#c27c0e",
        ),
    }
    return render(request, "devices/posture.html", context)


@router.post("/patients/{patient_id}/posture/thresholds", response_class=HTMLResponse)
def save_thresholds(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    session: SessionDep,
    neutral_max_deg: Annotated[float, Form(ge=5, le=60)],
    severe_min_deg: Annotated[float, Form(ge=20, le=110)],
    flexed_hold_s: Annotated[float, Form(gt=0, le=3600)],
    severe_hold_s: Annotated[float, Form(gt=0, le=3600)],
) -> Response:
    config = service.posture_config(session, patient_id=patient.id).to_dict()
    config["zones"].update(neutral_max_deg=neutral_max_deg, severe_min_deg=severe_min_deg)
    config["feedback"].update(flexed_hold_s=flexed_hold_s, severe_hold_s=severe_hold_s)
    try:
        service.set_posture_config(
            session, patient_id=patient.id, config=config, updated_by=clinician.id
        )
    except SpinewiseError as exc:
        return render(request, "web/error_fragment.html", {"detail": exc.message}, 422)
    return render(
        request,
        "web/notice_fragment.html",
        {"message": "Thresholds saved; the sensor uses them from its next batch."},
    )


@router.post("/patients/{patient_id}/devices/{device_id}/revoke")
def revoke(patient: CurrentPatient, device_id: int, session: SessionDep) -> Response:
    service.revoke_device(
        session, device=service.get_device(session, patient_id=patient.id, device_id=device_id)
    )
    return RedirectResponse(f"/patients/{patient.id}/posture", status_code=303)


@router.get("/me/phone-sensor", response_class=HTMLResponse)
def phone_sensor(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    patient = accounts.patient_of(session, user=user)
    if patient is None:
        raise NotFound("the phone sensor is for patients")
    return render(request, "devices/phone.html", {"patient": patient})
