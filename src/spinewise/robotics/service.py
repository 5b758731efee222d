"""Robotic therapy use cases: prescriptions, sessions and their records.

The clinician sets a patient's limits and body size and assigns a protocol (a shipped example or
an uploaded document); the pure core validates both (``PatientLimits``, ``load_protocol``,
``PatientModel``). A session row is written when a session starts, the background task that runs
it (``robotics.tasks``) keeps a heartbeat on it, and :func:`finish_session` stores what the pure
core measured (``TherapySession.metrics().to_report()``), the safety events and a decimated trace.

Every session so far runs on the simulated device with a simulated patient; both are recorded
(``simulated``, ``simulated_patient``) so that nothing here is mistaken for a treatment record.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from spinewise.accounts.models import Patient, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, InvalidInput, NotFound
from spinewise.db import utcnow
from spinewise.robotics.models import (
    RoboticsPrescription,
    RoboticsRepetition,
    RoboticsSafetyEvent,
    RoboticsSession,
    SessionStatus,
)
from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import (
    PatientLimits,
    TherapyProtocol,
    load_protocol,
    parse_model,
    planned_duration_s,
)
from spinewise.robotics.session import MODE_CODES, FaultSpec, TherapySession

EXAMPLE_PROTOCOLS = {
    "flexion_extension": "flexion_extension.json",
    "stabilisation": "stabilisation.json",
    "mixed_session": "mixed_session.json",
}
SIMULATED_PATIENTS = {
    "weak": "patient_weak.json",
    "strong": "patient_strong.json",
    "improving": "patient_improving.json",
    "guarded": "patient_guarded.json",
}
SIMULATED_PATIENT_LABELS = {
    "weak": "weak (strength 0.3)",
    "strong": "strong (strength 0.9)",
    "improving": "improving (0.3, +0.1 per repetition)",
    "guarded": "guarded (strength 0.6, guarding 0.8)",
}
# A live session keeps its whole 1 kHz trace in memory (about 12 MB per simulated minute)
# until its metrics are computed: 15 minutes is the longest one a server runs.
MAX_SESSION_S = 900.0
MAX_FAULTS = 5
# The running task writes a heartbeat every second; a running row silent this long has lost
# its task (the server stopped), and a new session may replace it.
HEARTBEAT_STALE_S = 15.0
TRACE_RATE_HZ = 20.0  # the stored trace for the session chart
MODE_NAMES = {code: name for name, code in MODE_CODES.items()}
SYSTEM = Actor(user=None, client_addr="")


@cache
def _data(name: str) -> str:
    return resources.files("spinewise.robotics").joinpath("data", name).read_text("utf-8")


def example_document(key: str) -> dict[str, Any]:
    """A shipped example protocol as a document (a fresh copy)."""
    if key not in EXAMPLE_PROTOCOLS:
        raise InvalidInput("example", f"must be one of {', '.join(EXAMPLE_PROTOCOLS)}")
    document: dict[str, Any] = json.loads(_data(EXAMPLE_PROTOCOLS[key]))
    return document


def simulated_patient_document(key: str) -> dict[str, Any]:
    if key not in SIMULATED_PATIENTS:
        raise InvalidInput("simulated_patient", f"must be one of {', '.join(SIMULATED_PATIENTS)}")
    document: dict[str, Any] = json.loads(_data(SIMULATED_PATIENTS[key]))
    return document


@dataclass(frozen=True)
class ExampleProtocol:
    key: str
    name: str
    limits: dict[str, Any]
    exercises: list[str]
    planned_duration_s: float
    planned_repetitions: int


def example_protocols() -> list[ExampleProtocol]:
    """The shipped examples with the limits they were designed for."""
    out = []
    for key in EXAMPLE_PROTOCOLS:
        protocol = load_protocol(example_document(key))
        out.append(
            ExampleProtocol(
                key=key,
                name=protocol.name,
                limits=protocol.limits.model_dump(mode="json"),
                exercises=[ex.kind for ex in protocol.exercises],
                planned_duration_s=planned_duration_s(protocol),
                planned_repetitions=sum(ex.repetitions for ex in protocol.exercises),
            )
        )
    return out


# --- prescription -----------------------------------------------------------------------------


def get_prescription(session: Session, *, patient_id: int) -> RoboticsPrescription | None:
    return session.get(RoboticsPrescription, patient_id)


def validate_limits(data: Any) -> PatientLimits:
    """The clinician's limits, validated by the pure core (``InvalidInput`` names the field)."""
    limits: PatientLimits = parse_model(PatientLimits, data, "limits")
    return limits


def body_model(*, mass_kg: float, height_m: float, simulated_patient: str) -> PatientModel:
    """The simulated patient with this patient's body size (validated by the pure core)."""
    document = {**simulated_patient_document(simulated_patient)}
    document.update(mass_kg=mass_kg, height_m=height_m)
    model: PatientModel = parse_model(PatientModel, document, "body")
    return model


def fit_protocol(document: Mapping[str, Any], limits: PatientLimits) -> TherapyProtocol:
    """The protocol under this patient's limits (which replace any in the document), validated
    by the pure core, and no longer than a live session may run."""
    if not isinstance(document, Mapping):
        raise InvalidInput("protocol", "must be a JSON object")
    protocol = load_protocol({**document, "limits": limits.model_dump(mode="json")})
    duration = planned_duration_s(protocol)
    if duration > MAX_SESSION_S:
        raise InvalidInput(
            "protocol",
            f"lasts {duration:.0f} s; a live session runs at most {MAX_SESSION_S:.0f} s "
            f"({MAX_SESSION_S / 60:.0f} min)",
        )
    return protocol


def protocol_of(prescription: RoboticsPrescription) -> TherapyProtocol | None:
    if prescription.protocol is None:
        return None
    return fit_protocol(prescription.protocol, validate_limits(prescription.limits))


def set_limits(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    limits: Any,
    mass_kg: float,
    height_m: float,
) -> RoboticsPrescription:
    """Set the per-patient limits and body size; an assigned protocol must still fit them."""
    parsed = validate_limits(limits)
    body_model(mass_kg=mass_kg, height_m=height_m, simulated_patient="weak")
    row = get_prescription(session, patient_id=patient.id)
    if row is not None and row.protocol is not None:
        try:
            fit_protocol(row.protocol, parsed)
        except InvalidInput as exc:
            raise InvalidInput(
                "limits",
                f"the assigned protocol does not fit these limits ({exc.message}); "
                "assign another protocol first",
            ) from None
    if row is None:
        row = RoboticsPrescription(patient_id=patient.id)
        session.add(row)
    row.limits = parsed.model_dump(mode="json")
    row.mass_kg = float(mass_kg)
    row.height_m = float(height_m)
    row.updated_at = utcnow()
    row.updated_by = actor.user_id
    session.flush()
    lo, hi = parsed.angle_deg
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="robotics.prescription",
        action="write",
        detail=(
            f"limits angle [{lo:g}, {hi:g}] deg, torque {parsed.torque_nm:g} N·m, velocity "
            f"{parsed.velocity_deg_s:g} deg/s; body {mass_kg:g} kg, {height_m:g} m"
        ),
    )
    return row


def assign_protocol(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    example: str | None = None,
    document: Any = None,
) -> RoboticsPrescription:
    """Assign a shipped example (by key) or an uploaded protocol document to the patient."""
    if (example is None) == (document is None):
        raise InvalidInput("protocol", "give either an example or a protocol document")
    row = get_prescription(session, patient_id=patient.id)
    if row is None:
        raise Conflict("set this patient's limits first: the protocol is checked against them")
    source = f"example:{example}" if example is not None else "upload"
    if example is not None:
        document = example_document(example)
    if not isinstance(document, dict):
        raise InvalidInput("protocol", "must be a JSON object")
    protocol = fit_protocol(document, validate_limits(row.limits))
    stored = protocol.model_dump(mode="json")
    del stored["limits"]  # the patient's limits always apply
    row.protocol = stored
    row.protocol_name = protocol.name or ("Uploaded protocol" if example is None else example)
    row.protocol_source = source
    row.updated_at = utcnow()
    row.updated_by = actor.user_id
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="robotics.prescription",
        action="write",
        detail=f"protocol assigned: {row.protocol_name} ({source})",
    )
    return row


# --- sessions ---------------------------------------------------------------------------------


def is_stale(row: RoboticsSession, *, now: datetime | None = None) -> bool:
    """A running row whose task has stopped writing its heartbeat."""
    if row.status != SessionStatus.running:
        return False
    beat = row.heartbeat_at or row.started_at
    return (now or utcnow()) - beat > timedelta(seconds=HEARTBEAT_STALE_S)


def running_session(session: Session, *, patient_id: int) -> RoboticsSession | None:
    return session.scalar(
        select(RoboticsSession).where(
            RoboticsSession.patient_id == patient_id,
            RoboticsSession.status == SessionStatus.running,
        )
    )


def mark_interrupted(
    session: Session, *, row: RoboticsSession, note: str, now: datetime | None = None
) -> RoboticsSession:
    row.status = SessionStatus.interrupted
    row.ended_at = now or utcnow()
    row.note = note
    session.flush()
    audit.record(
        session,
        actor=SYSTEM,
        patient_id=row.patient_id,
        resource="robotics.session",
        action="write",
        detail=f"session {row.id} marked interrupted: {note}",
    )
    return row


def start_session(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    simulated_patient: str = "weak",
    seed: int | None = None,
    faults: list[str] | tuple[str, ...] = (),
    now: datetime | None = None,
) -> tuple[RoboticsSession, TherapySession]:
    """Record a new session on the simulated device and build it (the caller runs it).

    One session per patient at a time (``Conflict``); a running row whose task went silent is
    marked interrupted first.
    """
    now = now or utcnow()
    prescription = get_prescription(session, patient_id=patient.id)
    if prescription is None or prescription.protocol is None:
        raise Conflict("set this patient's limits and assign a protocol first")
    if len(faults) > MAX_FAULTS:
        raise InvalidInput("faults", f"at most {MAX_FAULTS} simulated faults")
    fault_specs = [FaultSpec.parse(text) for text in faults]
    existing = running_session(session, patient_id=patient.id)
    if existing is not None:
        if not is_stale(existing, now=now):
            raise Conflict("a session is already running for this patient")
        mark_interrupted(
            session,
            row=existing,
            note="the server lost this session (no heartbeat); a new session replaced it",
            now=now,
        )
    protocol = protocol_of(prescription)
    assert protocol is not None
    model = body_model(
        mass_kg=prescription.mass_kg,
        height_m=prescription.height_m,
        simulated_patient=simulated_patient,
    )
    seed = secrets.randbelow(2**31) if seed is None else seed
    therapy = TherapySession(protocol, model, faults=fault_specs, seed=seed)
    user: User | None = actor.user
    row = RoboticsSession(
        patient_id=patient.id,
        status=SessionStatus.running,
        simulated=True,
        started_by=actor.user_id,
        started_by_name=(user.name or user.email) if user else "",
        started_at=now,
        heartbeat_at=now,
        progress_s=0.0,
        protocol_name=prescription.protocol_name,
        protocol=protocol.model_dump(mode="json"),
        patient_model=model.model_dump(mode="json"),
        simulated_patient=simulated_patient,
        seed=seed,
        faults=[str(f) for f in fault_specs],
        planned_duration_s=therapy.reference.duration_s,
        planned_repetitions=len(therapy.reference.repetitions),
        stop_detail="",
        note="",
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another worker started one for this patient a moment ago
        raise Conflict("a session is already running for this patient") from None
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="robotics.session",
        action="write",
        detail=(
            f"session {row.id} started on the simulated device: {row.protocol_name}, "
            f"simulated patient {simulated_patient}, seed {seed}"
            + (f", faults {', '.join(row.faults)}" if row.faults else "")
        ),
    )
    return row, therapy


def therapy_for(row: RoboticsSession) -> TherapySession:
    """Rebuild the pure session a row describes (same protocol, patient, faults and seed)."""
    protocol = load_protocol(row.protocol)
    model: PatientModel = parse_model(PatientModel, row.patient_model, "patient_model")
    faults = [FaultSpec.parse(text) for text in row.faults]
    return TherapySession(protocol, model, faults=faults, seed=row.seed)


def heartbeat(
    session: Session, *, session_id: int, progress_s: float, now: datetime | None = None
) -> None:
    row = session.get(RoboticsSession, session_id)
    if row is not None and row.status == SessionStatus.running:
        row.heartbeat_at = now or utcnow()
        row.progress_s = float(progress_s)
        session.flush()


def request_stop(
    session: Session, *, actor: Actor, patient_id: int, session_id: int
) -> RoboticsSession:
    """Record that a clinician pressed stop on the live page (the caller reaches the monitor)."""
    row = get_session(session, patient_id=patient_id, session_id=session_id)
    if row.status != SessionStatus.running:
        raise Conflict(f"the session has already ended ({row.status.value})")
    if row.stop_requested_at is None:
        user = actor.user
        row.stop_requested_at = utcnow()
        row.stop_requested_by = actor.user_id
        row.stop_requested_by_name = (user.name or user.email) if user else ""
        session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient_id,
        resource="robotics.session",
        action="write",
        detail=f"stop pressed on the live page for session {row.id}",
    )
    return row


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def decimated_trace(therapy: TherapySession, rate_hz: float = TRACE_RATE_HZ) -> dict[str, Any]:
    """The session's trace at ``rate_hz`` for the chart (degrees, N·m; the last cycle kept)."""
    tr = therapy.trace()
    n = tr.t_s.size
    step = max(1, round(1.0 / (rate_hz * tr.dt_s)))
    idx = np.arange(0, n, step)
    if n and idx[-1] != n - 1:
        idx = np.append(idx, n - 1)

    def column(values: np.ndarray, digits: int) -> list[float | None]:
        return [_finite(round(float(v), digits)) for v in values[idx]]

    return {
        "rate_hz": rate_hz,
        "t_s": column(tr.t_s, 3),
        "angle_deg": column(np.degrees(tr.angle_rad), 2),
        "target_deg": column(np.degrees(tr.target_rad), 2),
        "assistance": column(tr.assistance, 3),
        "motor_torque_nm": column(tr.motor_torque_nm, 2),
        "mode": [MODE_NAMES[int(m)] for m in tr.mode[idx]],
    }


def finish_session(
    session: Session,
    *,
    session_id: int,
    therapy: TherapySession,
    note: str = "",
    interrupted: bool = False,
    now: datetime | None = None,
) -> RoboticsSession | None:
    """Store what the session measured; ``None`` if its row never committed."""
    row = session.get(RoboticsSession, session_id)
    if row is None:
        return None
    report = therapy.metrics().to_report()
    events = therapy.events
    if interrupted:
        row.status = SessionStatus.interrupted
    else:
        row.status = SessionStatus.stopped if events else SessionStatus.completed
    row.ended_at = now or utcnow()
    row.heartbeat_at = row.ended_at
    row.progress_s = therapy.t_s
    row.duration_s = report["duration_s"]
    row.completed_repetitions = len(report["repetitions"])
    summary = {k: v for k, v in report.items() if k not in ("repetitions", "safety_events")}
    summary["braking"] = therapy.monitor.describe()
    row.summary = summary
    row.trace = decimated_trace(therapy)
    if note:
        row.note = f"{row.note} {note}".strip()
    if events:
        first = events[0]
        row.stop_cause, row.stop_action = first.kind, first.action
        row.stop_t_s, row.stop_detail = first.t_s, first.detail
    for rep in report["repetitions"]:
        session.add(
            RoboticsRepetition(
                session_id=row.id,
                rep_index=rep["index"],
                exercise=rep["exercise"],
                kind=rep["kind"],
                start_s=rep["start_s"],
                end_s=rep["end_s"],
                assistance=rep["assistance"],
                rom_deg=rep["rom_deg"],
                tracking_rmse_deg=rep["tracking_rmse_deg"],
                patient_work_fraction=rep["patient_work_fraction"],
                sparc=rep["sparc"],
                log_dimensionless_jerk=rep["log_dimensionless_jerk"],
                patient_positive_work_j=rep["patient_positive_work_j"],
                robot_positive_work_j=rep["robot_positive_work_j"],
            )
        )
    for event in events:
        session.add(
            RoboticsSafetyEvent(
                session_id=row.id,
                t_s=event.t_s,
                kind=event.kind,
                action=event.action,
                detail=event.detail,
            )
        )
    session.flush()
    cause = f"; first stop {row.stop_cause} -> {row.stop_action}" if events else ""
    audit.record(
        session,
        actor=SYSTEM,
        patient_id=row.patient_id,
        resource="robotics.session",
        action="write",
        detail=(
            f"session {row.id} ended {row.status.value} after {row.duration_s:g} s, "
            f"{row.completed_repetitions}/{row.planned_repetitions} repetitions{cause}"
        ),
    )
    return row


# --- reading ----------------------------------------------------------------------------------


def list_sessions(
    session: Session, *, patient_id: int, offset: int = 0, limit: int = 50
) -> tuple[list[RoboticsSession], int]:
    """The patient's sessions, newest first, and how many there are."""
    where = RoboticsSession.patient_id == patient_id
    total = session.scalar(select(func.count()).select_from(RoboticsSession).where(where)) or 0
    rows = session.scalars(
        select(RoboticsSession)
        .where(where)
        .order_by(RoboticsSession.started_at.desc(), RoboticsSession.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


def get_session(
    session: Session, *, patient_id: int, session_id: int, details: bool = False
) -> RoboticsSession:
    """One of the patient's sessions (the caller has resolved the patient with access checks)."""
    query = select(RoboticsSession).where(
        RoboticsSession.id == session_id, RoboticsSession.patient_id == patient_id
    )
    if details:
        query = query.options(
            selectinload(RoboticsSession.repetitions), selectinload(RoboticsSession.safety_events)
        )
    row = session.scalar(query)
    if row is None:
        raise NotFound("session not found")
    return row


# --- demo ---------------------------------------------------------------------------------------


def seed_demo(
    session: Session,
    *,
    patient: Patient,
    clinician: User,
    mass_kg: float = 70.0,
    height_m: float = 1.68,
    simulated_patient: str = "improving",
    days_ago: float = 2.0,
    seed: int = 7,
) -> RoboticsSession | None:
    """A prescription and one past session on the simulated device (labelled simulated).

    Runs the whole session now (about a second of CPU); does nothing if the patient already
    has sessions, so re-seeding does not duplicate it.
    """
    if list_sessions(session, patient_id=patient.id, limit=1)[1]:
        return None
    actor = Actor(user=clinician, client_addr="demo")
    example = example_document("flexion_extension")
    set_limits(
        session,
        actor=actor,
        patient=patient,
        limits=example["limits"],
        mass_kg=mass_kg,
        height_m=height_m,
    )
    assign_protocol(session, actor=actor, patient=patient, example="flexion_extension")
    started = utcnow() - timedelta(days=days_ago)
    row, therapy = start_session(
        session,
        actor=actor,
        patient=patient,
        simulated_patient=simulated_patient,
        seed=seed,
        now=started,
    )
    row.note = "Demo data: a simulated session on the simulated device, not a treatment."
    therapy.run()
    return finish_session(
        session,
        session_id=row.id,
        therapy=therapy,
        now=started + timedelta(seconds=therapy.t_s),
    )
