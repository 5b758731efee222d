"""Robotic therapy pages: the patient's prescription and session history (the clinician edits,
the patient reads), the live session view (clinicians only), one session's record with its
charts, and the recent-sessions fragment on the patient page. Pages only translate."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role, User
from spinewise.core.deps import (
    CurrentActor,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    SessionDep,
)
from spinewise.core.errors import Conflict, InvalidInput, SpinewiseError
from spinewise.robotics import charts, service
from spinewise.robotics.api import runner_of
from spinewise.robotics.models import RoboticsSession
from spinewise.robotics.protocols import planned_duration_s
from spinewise.robotics.session import FAULT_KINDS
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 256 * 1024

CAUSES = {
    "stop_button": "stop button",
    "emergency_stop": "emergency stop",
    "sensor_dropout": "sensor dropout",
    "sensor_nan": "sensor reported an invalid value",
    "sensor_stuck": "sensor stuck",
    "comm_loss": "lost command stream (watchdog)",
    "runaway": "runaway controller output",
    "angle_limit": "angle limit reached",
    "velocity_limit": "velocity limit reached",
}
ACTIONS = {"compliant_hold": "compliant hold", "torque_off": "torque off and brake"}
STATUSES = {
    "running": "running",
    "completed": "completed",
    "stopped": "stopped (safe state)",
    "interrupted": "interrupted",
}


def fmt(value: Any, digits: int = 1, unit: str = "") -> str:
    """A number for display, or a dash when undefined."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0.0:  # no "-0.0"
        text = text[1:]
    return text + unit


def _common(patient: Patient, user: User, session: Session) -> dict[str, Any]:
    return {
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "is_self": patient.user_id == user.id,
        "is_clinician": user.role == Role.clinician,
        "fmt": fmt,
        "causes": CAUSES,
        "actions": ACTIONS,
        "statuses": STATUSES,
    }


def _short(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d %b")


def _overview(
    request: Request,
    session: Session,
    *,
    patient: Patient,
    user: User,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    prescription = service.get_prescription(session, patient_id=patient.id)
    protocol, protocol_error = None, ""
    if prescription is not None and prescription.protocol is not None:
        try:
            protocol = service.protocol_of(prescription)
        except SpinewiseError as exc:  # stored before a rule tightened: show why, refuse to run
            protocol_error = exc.message
    rows, total = service.list_sessions(session, patient_id=patient.id, limit=50)
    running = next((r for r in rows if r.status == "running" and not service.is_stale(r)), None)
    finished = [r for r in reversed(rows) if r.summary]
    trend = charts.trend_chart(
        [
            (
                _short(r.started_at, patient.timezone),
                (r.summary or {}).get("summary", {}).get("mean_assistance"),
                (r.summary or {}).get("summary", {}).get("patient_work_fraction"),
            )
            for r in finished[-20:]
        ],
        label="Mean assistance gain and the patient's share of the positive work, per session",
    )
    context = {
        **_common(patient, user, session),
        "prescription": prescription,
        "protocol": protocol,
        "protocol_error": protocol_error,
        "duration_s": planned_duration_s(protocol) if protocol else None,
        "exercises": protocol.model_dump(mode="json")["exercises"] if protocol else [],
        "examples": service.example_protocols(),
        "simulated_patients": service.SIMULATED_PATIENT_LABELS,
        "fault_kinds": FAULT_KINDS,
        "rows": rows,
        "total": total,
        "running": running,
        "trend_svg": trend,
        "errors": errors or {},
        "default_limits": service.example_document("flexion_extension")["limits"],
    }
    return render(request, "robotics/overview.html", context, status_code)


@router.get("/patients/{patient_id}/robotics", response_class=HTMLResponse)
def overview(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    return _overview(request, session, patient=patient, user=user)


@router.post("/patients/{patient_id}/robotics/limits", response_class=HTMLResponse)
def save_limits(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    angle_lo_deg: Annotated[float, Form()],
    angle_hi_deg: Annotated[float, Form()],
    torque_nm: Annotated[float, Form()],
    velocity_deg_s: Annotated[float, Form()],
    mass_kg: Annotated[float, Form()],
    height_m: Annotated[float, Form()],
) -> Response:
    limits = {
        "angle_deg": [angle_lo_deg, angle_hi_deg],
        "torque_nm": torque_nm,
        "velocity_deg_s": velocity_deg_s,
    }
    try:
        service.set_limits(
            session,
            actor=actor,
            patient=patient,
            limits=limits,
            mass_kg=mass_kg,
            height_m=height_m,
        )
    except InvalidInput as exc:
        return _overview(
            request,
            session,
            patient=patient,
            user=clinician,
            errors={"limits": exc.message},
            status_code=422,
        )
    return RedirectResponse(f"/patients/{patient.id}/robotics#limits", status_code=303)


@router.post("/patients/{patient_id}/robotics/protocol", response_class=HTMLResponse)
async def save_protocol(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    example: Annotated[str, Form(max_length=40)] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Assign a shipped example, or the protocol JSON file the clinician uploaded."""
    try:
        document: Any = None
        if upload is not None and upload.filename:
            raw = await upload.read(MAX_UPLOAD_BYTES + 1)
            if len(raw) > MAX_UPLOAD_BYTES:
                raise InvalidInput("protocol file", "is larger than 256 KB")
            try:
                document = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InvalidInput("protocol file", f"is not valid JSON ({exc})") from None
        await run_in_threadpool(
            service.assign_protocol,
            session,
            actor=actor,
            patient=patient,
            example=None if document is not None else (example or None),
            document=document,
        )
    except (InvalidInput, Conflict) as exc:
        return await run_in_threadpool(
            _overview,
            request,
            session,
            patient=patient,
            user=clinician,
            errors={"protocol": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/patients/{patient.id}/robotics#protocol", status_code=303)


@router.post("/patients/{patient_id}/robotics/sessions", response_class=HTMLResponse)
async def start_session(
    request: Request,
    patient_id: int,
    actor: CurrentActor,
    simulated_patient: Annotated[str, Form(max_length=20)] = "weak",
    fault_kind: Annotated[str, Form(max_length=30)] = "",
    fault_at_s: Annotated[float | None, Form()] = None,
) -> Response:
    """Start a session on the simulated device and open its live view."""
    faults = [f"{fault_kind}@{fault_at_s:g}"] if fault_kind and fault_at_s is not None else []
    await runner_of(request).start(
        actor=actor,
        patient_id=patient_id,
        resource="/patients/{patient_id}/robotics/sessions",
        simulated_patient=simulated_patient,
        faults=faults,
    )
    return RedirectResponse(f"/patients/{patient_id}/robotics/live", status_code=303)


@router.get("/patients/{patient_id}/robotics/live", response_class=HTMLResponse)
def live_page(
    request: Request, patient: CurrentPatient, clinician: CurrentClinician, session: SessionDep
) -> Response:
    """The live session view: angle against target, assistance, limits, and the stop button."""
    running = service.running_session(session, patient_id=patient.id)
    if running is not None and service.is_stale(running):
        running = None
    prescription = service.get_prescription(session, patient_id=patient.id)
    context = {
        **_common(patient, clinician, session),
        "running": running,
        "prescription": prescription,
        "simulated_patients": service.SIMULATED_PATIENT_LABELS,
        "fault_kinds": FAULT_KINDS,
    }
    return render(request, "robotics/live.html", context)


@router.post("/patients/{patient_id}/robotics/sessions/{session_id}/stop")
async def stop_session(
    request: Request,
    patient: CurrentPatient,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session_id: int,
    session: SessionDep,
) -> Response:
    """The stop button without JavaScript (the live page normally sends it with fetch)."""
    try:
        row = await run_in_threadpool(
            service.request_stop,
            session,
            actor=actor,
            patient_id=patient.id,
            session_id=session_id,
        )
    except Conflict:  # it has already ended: show its record
        return RedirectResponse(
            f"/patients/{patient.id}/robotics/sessions/{session_id}", status_code=303
        )
    await runner_of(request).request_stop(row.id)
    return RedirectResponse(f"/patients/{patient.id}/robotics/live", status_code=303)


def _outcome(row: RoboticsSession) -> str:
    """One sentence saying how the session ended and why."""
    if row.status == "running":
        return "The session is running."
    if row.status == "completed":
        return "Completed the protocol without a safety event."
    if row.stop_cause is None:
        return f"Interrupted: {row.note}" if row.note else "Interrupted."
    cause = CAUSES.get(row.stop_cause, row.stop_cause)
    action = ACTIONS.get(row.stop_action or "", row.stop_action or "")
    text = f"Stopped at {row.stop_t_s:.2f} s by the safety monitor: {cause}; safe state: {action}."
    if row.stop_cause == "stop_button":
        who = row.stop_requested_by_name
        text += (
            f" The stop button was pressed on the live page by {who}."
            if who
            else " The patient's stop button on the device was pressed."
        )
    return text


@router.get("/patients/{patient_id}/robotics/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session_id: int,
    session: SessionDep,
) -> Response:
    """One session's record: outcome and cause, the trace, per-repetition metrics, events."""
    row = service.get_session(session, patient_id=patient.id, session_id=session_id, details=True)
    limits = row.protocol.get("limits", {})
    stop_label = CAUSES.get(row.stop_cause or "", "") if row.stop_cause else ""
    context = {
        **_common(patient, user, session),
        "row": row,
        "limits": limits,
        "summary": (row.summary or {}).get("summary", {}),
        "peaks": row.summary or {},
        "outcome": _outcome(row),
        "trace_svg": charts.trace_chart(
            row.trace or {},
            limits_deg=limits.get("angle_deg", [0, 0]),
            stop_t_s=row.stop_t_s,
            stop_label=f"stopped: {stop_label}" if stop_label else "",
            label="Trunk angle (solid) against the target (dashed) with the angle limits; "
            "the assistance gain below; time in a safe state shaded",
        )
        if row.trace
        else "",
        "reps_svg": charts.repetition_chart(
            [(r.rep_index + 1, r.assistance, r.patient_work_fraction) for r in row.repetitions],
            label="Assistance gain and the patient's share of the positive work per repetition",
        ),
        "simulated_patient_label": service.SIMULATED_PATIENT_LABELS.get(
            row.simulated_patient, row.simulated_patient
        ),
    }
    return render(request, "robotics/session.html", context)


@router.get("/patients/{patient_id}/robotics/history", response_class=HTMLResponse)
def history_fragment(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """The latest sessions, for the patient page (loaded by HTMX)."""
    rows, total = service.list_sessions(session, patient_id=patient.id, limit=5)
    context = {**_common(patient, user, session), "rows": rows, "total": total}
    return render(request, "robotics/history_fragment.html", context)
