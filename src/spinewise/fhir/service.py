"""FHIR use cases: read, search (paged in SQL), ``$everything``, patient bundles, transaction
import and the bulk-export job.

Access is the platform's: every query starts from ``readable_patient_ids`` (the care
relationship), a token's SMART scopes can only narrow it (``fhir.scopes``), a hidden patient is
a 404, and every read of health data writes an audit entry for each patient it served.
Services flush; the request (or CLI command, or job) owns the transaction.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    cast,
    extract,
    false,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Patient, Role, User
from spinewise.consults.models import Appointment, ConsultNote, Message, MessageThread
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, InvalidInput, NotFound, SpinewiseError
from spinewise.core.permissions import readable_patient_ids
from spinewise.core.security import new_token
from spinewise.db import utcnow
from spinewise.devices.models import Device, PostureMinute
from spinewise.fhir import (
    careplan,
    codes,
    consults,
    device,
    medication,
    observation,
    patient,
    practitioner,
)
from spinewise.fhir import questionnaire as questionnaires
from spinewise.fhir.models import ExportJob, ExportStatus, FhirIdentifier
from spinewise.fhir.refs import (
    RESOURCE_TYPE,
    ExportRefs,
    bundle_uuid,
    derived_uuid,
    identifier_pairs,
    logical_id,
    parse_logical_id,
)
from spinewise.fhir.scopes import Grant
from spinewise.outcomes.models import PainDiaryRecord, QuestionnaireResponse
from spinewise.rehab import adherence as adh
from spinewise.rehab.models import Programme, ProgrammeVersion, SessionLog
from spinewise.reminders.models import ReminderAcknowledgement, ReminderSchedule, ScheduleKind

FHIR_JSON = "application/fhir+json"
MAX_COUNT = 1000
DEFAULT_COUNT = 50
# Resource families this server serves; which of them a transaction imports.
SERVED_TYPES = (
    "Patient",
    "Condition",
    "Practitioner",
    "CareTeam",
    "Device",
    "Observation",
    "Appointment",
    "Communication",
    "DocumentReference",
    "CarePlan",
    "QuestionnaireResponse",
    "MedicationRequest",
    "MedicationStatement",
)
IMPORTED_TYPES = (
    "Practitioner",
    "Patient",
    "Condition",
    "CareTeam",
    "Device",
    "Observation",
    "Appointment",
)
EXPORT_ONLY_TYPES = (
    "Communication",
    "DocumentReference",
    "CarePlan",
    "QuestionnaireResponse",
    "MedicationRequest",
    "MedicationStatement",
)
PUBLIC_TYPES = ("Questionnaire", "CodeSystem")  # no patient data
COMPARTMENT_TYPES = tuple(t for t in SERVED_TYPES if t != "Practitioner")


class FhirOutcome(SpinewiseError):
    """An error answered as an OperationOutcome (each issue names an entry and a path)."""

    code = "invalid_bundle"

    def __init__(self, issues: list[dict[str, Any]], status_code: int = 422) -> None:
        first = issues[0]["diagnostics"] if issues else "invalid"
        super().__init__(first)
        self.issues = issues
        self.status_code = status_code

    def to_dict(self) -> dict[str, Any]:
        return operation_outcome(self.issues)


def issue(
    diagnostics: str,
    *,
    expression: str | None = None,
    severity: str = "error",
    code: str = "invalid",
) -> dict[str, Any]:
    out: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        out["expression"] = [expression]
    return out


def operation_outcome(issues: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": issues}


# ---- who is asking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """The actor (``user`` None = the CLI acting for the operator) and their token's grant."""

    actor: Actor
    grant: Grant

    @classmethod
    def system(cls) -> Caller:
        return cls(Actor(None, "cli"), Grant(None, is_patient=False))

    @classmethod
    def of(cls, actor: Actor, scope_text: str) -> Caller:
        user = actor.user
        return cls(actor, Grant.of(scope_text, is_patient=bool(user and user.role == Role.patient)))

    def patient_ids(self) -> Select[Any]:
        if self.actor.user is None:
            return select(Patient.id)
        return readable_patient_ids(self.actor.user)

    def require_read(self, resource_type: str) -> None:
        if not self.grant.may_read(resource_type):
            raise Forbidden(f"this token's scopes do not allow reading {resource_type}")

    def require_write(self, resource_type: str) -> None:
        if not self.grant.may_write(resource_type):
            raise Forbidden(f"this token's scopes do not allow writing {resource_type}")


def _audit(
    session: Session, caller: Caller, patient_ids: Sequence[int], *, resource: str, detail: str = ""
) -> None:
    for patient_id in sorted(set(patient_ids)):
        audit.record(
            session,
            actor=caller.actor,
            patient_id=patient_id,
            resource=resource,
            action="read",
            detail=detail,
        )


def readable_patient(session: Session, caller: Caller, patient_id: int) -> Patient:
    found = session.scalar(
        select(Patient).where(Patient.id == patient_id, Patient.id.in_(caller.patient_ids()))
    )
    if found is None:
        raise NotFound("patient not found")
    return found


# ---- identifiers ---------------------------------------------------------------------------


def make_refs(session: Session, *, base_url: str, style: str = "rest") -> ExportRefs:
    return ExportRefs(base_url=base_url, style="bundle" if style == "bundle" else "rest")


def prefetch(session: Session, refs: ExportRefs, kind: str, ids: Sequence[int]) -> None:
    """Load the imported identifiers of ``ids`` (one query per page, not one per resource)."""
    wanted = [i for i in set(ids) if (kind, i) not in refs.imported]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(FhirIdentifier.local_id, FhirIdentifier.system, FhirIdentifier.value).where(
                FhirIdentifier.kind == kind, FhirIdentifier.local_id.in_(chunk)
            )
        ).all()
        for local_id, system, value in rows:
            refs.imported[(kind, local_id)] = (system, value)


# ---- SQL helpers for the observation union -------------------------------------------------


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _epoch(session: Session, column: Any) -> ColumnElement[int]:
    """Seconds since 1970 (UTC) of a date or UTC datetime column, on either engine."""
    if _dialect(session) == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(extract("epoch", column), BigInteger)


def _utc_day(session: Session, column: Any) -> ColumnElement[Any]:
    if _dialect(session) == "sqlite":
        return func.date(column)
    return func.date(func.timezone("UTC", column))


@dataclass(frozen=True)
class DateRange:
    """Half-open [start, end) in epoch seconds; either side may be open."""

    start: int | None = None
    end: int | None = None


def parse_date_params(values: Sequence[str]) -> DateRange:
    """FHIR ``date`` search values with the prefixes eq, ge, gt, le, lt (a date or an instant)."""
    start: int | None = None
    end: int | None = None
    for raw in values:
        prefix, text = (
            (raw[:2], raw[2:]) if raw[:2] in ("eq", "ge", "gt", "le", "lt") else ("eq", raw)
        )
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                lo = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
                hi = lo + 86400
            else:
                moment = datetime.fromisoformat(text)
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                lo = int(moment.timestamp())
                hi = lo + 1
        except ValueError:
            raise InvalidInput("date", f"{raw!r} is not a date or date-time") from None
        if prefix in ("eq", "ge"):
            start = lo if start is None else max(start, lo)
        if prefix == "gt":
            start = hi if start is None else max(start, hi)
        if prefix in ("eq", "le"):
            end = hi if end is None else min(end, hi)
        if prefix == "lt":
            end = lo if end is None else min(end, lo)
    return DateRange(start, end)


def _code_filter(values: Sequence[str]) -> dict[str, set[str] | None] | None:
    """Which observation kinds (and instruments) a ``code`` search asks for; None = all."""
    if not values:
        return None
    wanted: dict[str, set[str] | None] = {}
    for value in ",".join(values).split(","):
        system, _, code = value.rpartition("|")
        for kind, pair in (
            ("pm", (codes.CODE_SYSTEM, "posture-minute")),
            ("ds", (codes.CODE_SYSTEM, "posture-daily-summary")),
            ("pd", (codes.CODE_SYSTEM, "pain-diary")),
        ):
            if code == pair[1] and system in ("", pair[0]):
                wanted[kind] = None
        for instrument, (isystem, icode, _) in codes.INSTRUMENT_CODES.items():
            if code == icode and system in ("", isystem):
                instruments = wanted.setdefault("qr", set())
                assert instruments is not None
                instruments.add(instrument)
    return wanted


def _observation_union(
    session: Session,
    caller: Caller,
    *,
    patient_id: int | None,
    code: Sequence[str] = (),
) -> Any:
    """One ordered index over every kind of Observation: (kind, row_id, t, patient_id)."""
    wanted = _code_filter(code)
    readable = caller.patient_ids()

    def allowed(kind: str) -> bool:
        return wanted is None or kind in wanted

    def scope(column: Any) -> ColumnElement[bool]:
        condition = column.in_(readable)
        return condition & (column == patient_id) if patient_id is not None else condition

    def part(kind: str, row_id: Any, at: Any, patient: Any) -> Select[Any]:
        return select(
            literal(kind).label("kind"),
            row_id.label("row_id"),
            _epoch(session, at).label("effective_s"),
            patient.label("patient_id"),
        )

    minutes = part("pm", PostureMinute.id, PostureMinute.minute_start, PostureMinute.patient_id)
    parts: list[Any] = []
    if allowed("pm"):
        parts.append(minutes.where(scope(PostureMinute.patient_id)))
    if allowed("ds"):
        day = _utc_day(session, PostureMinute.minute_start)
        parts.append(
            select(
                literal("ds").label("kind"),
                func.min(PostureMinute.id).label("row_id"),
                func.min(_epoch(session, day)).label("effective_s"),
                PostureMinute.patient_id.label("patient_id"),
            )
            .where(scope(PostureMinute.patient_id))
            .group_by(PostureMinute.patient_id, PostureMinute.device_id, day)
        )
    if allowed("qr"):
        query = part(
            "qr",
            QuestionnaireResponse.id,
            QuestionnaireResponse.answered_on,
            QuestionnaireResponse.patient_id,
        ).where(scope(QuestionnaireResponse.patient_id))
        instruments = (wanted or {}).get("qr")
        if instruments:
            query = query.where(QuestionnaireResponse.instrument.in_(sorted(instruments)))
        parts.append(query)
    if allowed("pd"):
        parts.append(
            part("pd", PainDiaryRecord.id, PainDiaryRecord.day, PainDiaryRecord.patient_id).where(
                scope(PainDiaryRecord.patient_id)
            )
        )
    if not parts:  # no kind wanted: an empty index of the same shape
        parts.append(minutes.where(false()))
    return union_all(*parts).subquery("observations")


def _observation_query(union: Any, dates: DateRange) -> Select[Any]:
    query = select(union.c.kind, union.c.row_id, union.c.effective_s, union.c.patient_id)
    if dates.start is not None:
        query = query.where(union.c.effective_s >= dates.start)
    if dates.end is not None:
        query = query.where(union.c.effective_s < dates.end)
    return query


def encode_cursor(t: int, kind: str, row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{t}.{kind}.{row_id}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[int, str, int]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        t, kind, row_id = raw.split(".")
        if kind not in ("pm", "ds", "qr", "pd"):
            raise ValueError(kind)
        return int(t), kind, int(row_id)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("_cursor", "is not a cursor this server issued") from None


def _observation_resources(
    session: Session, refs: ExportRefs, rows: Sequence[tuple[str, int]]
) -> list[dict[str, Any]]:
    """Map one page of (kind, row_id) to resources, in the page's order (a query per kind)."""
    by_kind: dict[str, list[int]] = {}
    for kind, row_id in rows:
        by_kind.setdefault(kind, []).append(row_id)
    loaded: dict[tuple[str, int], dict[str, Any]] = {}
    if ids := by_kind.get("pm"):
        prefetch(session, refs, "posture-minute", ids)
        minutes = list(session.scalars(select(PostureMinute).where(PostureMinute.id.in_(ids))))
        _prefetch_refs(session, refs, minutes)
        for m in minutes:
            loaded[("pm", m.id)] = observation.minute_to_fhir(m, refs)
    if ids := by_kind.get("ds"):
        for first in session.scalars(select(PostureMinute).where(PostureMinute.id.in_(ids))):
            summary = daily_posture(session, first.device_id, first.minute_start.date())
            if summary is not None:
                _prefetch_refs(session, refs, [first])
                loaded[("ds", first.id)] = observation.daily_to_fhir(summary, refs)
    if ids := by_kind.get("qr"):
        prefetch(session, refs, "questionnaire-response", ids)
        responses = list(
            session.scalars(select(QuestionnaireResponse).where(QuestionnaireResponse.id.in_(ids)))
        )
        _prefetch_refs(session, refs, responses)
        for row in responses:
            loaded[("qr", row.id)] = observation.score_to_fhir(
                row, refs, performer=_performer(session, refs, row)
            )
    if ids := by_kind.get("pd"):
        prefetch(session, refs, "pain-diary", ids)
        diary = list(session.scalars(select(PainDiaryRecord).where(PainDiaryRecord.id.in_(ids))))
        _prefetch_refs(session, refs, diary)
        for entry in diary:
            loaded[("pd", entry.id)] = observation.diary_to_fhir(entry, refs)
    return [loaded[key] for key in rows if key in loaded]


def _prefetch_refs(session: Session, refs: ExportRefs, rows: Sequence[Any]) -> None:
    prefetch(session, refs, "patient", [r.patient_id for r in rows])
    device_ids = [r.device_id for r in rows if getattr(r, "device_id", None) is not None]
    if device_ids:
        prefetch(session, refs, "device", device_ids)


def _performer(
    session: Session, refs: ExportRefs, row: QuestionnaireResponse
) -> dict[str, Any] | None:
    if row.entered_by is None:
        return None
    user = session.get(User, row.entered_by)
    if user is None:
        return None
    if user.role == Role.clinician:
        prefetch(session, refs, "practitioner", [user.id])
        return refs.reference("practitioner", user.id)
    if user.role == Role.patient:
        return refs.reference("patient", row.patient_id)
    return None


def daily_posture(session: Session, device_id: int, day: date) -> observation.DailyPosture | None:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    row = session.execute(
        select(
            PostureMinute.patient_id,
            func.sum(PostureMinute.covered_s),
            func.sum(PostureMinute.neutral_s),
            func.sum(PostureMinute.flexed_s),
            func.sum(PostureMinute.severe_s),
        )
        .where(
            PostureMinute.device_id == device_id,
            PostureMinute.minute_start >= start,
            PostureMinute.minute_start < start + timedelta(days=1),
        )
        .group_by(PostureMinute.patient_id)
    ).first()
    if row is None:
        return None
    return observation.DailyPosture(
        patient_id=row[0],
        device_id=device_id,
        day=day,
        worn_s=float(row[1] or 0.0),
        neutral_s=float(row[2] or 0.0),
        flexed_s=float(row[3] or 0.0),
        severe_s=float(row[4] or 0.0),
    )


@dataclass
class Page:
    resources: list[dict[str, Any]]
    total: int | None
    next_params: dict[str, str] | None
    patient_ids: list[int] = field(default_factory=list)


def search_observations(
    session: Session,
    caller: Caller,
    *,
    refs: ExportRefs,
    patient_id: int | None,
    dates: DateRange,
    code: Sequence[str],
    count: int,
    cursor: str | None,
) -> Page:
    """Keyset paging over the union: only ``count + 1`` index rows and ``count`` objects are
    loaded per page, however many observations match."""
    union = _observation_union(session, caller, patient_id=patient_id, code=code)
    base = _observation_query(union, dates)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base
    if cursor:
        t, kind, row_id = decode_cursor(cursor)
        query = query.where(
            tuple_(union.c.effective_s, union.c.kind, union.c.row_id)
            > tuple_(literal(t), literal(kind), literal(row_id))
        )
    rows = session.execute(
        query.order_by(union.c.effective_s, union.c.kind, union.c.row_id).limit(count + 1)
    ).all()
    more = len(rows) > count
    rows = rows[:count]
    resources = _observation_resources(session, refs, [(r.kind, r.row_id) for r in rows])
    next_params = None
    if more and rows:
        last = rows[-1]
        next_params = {
            "_cursor": encode_cursor(int(last.effective_s), str(last.kind), int(last.row_id))
        }
    return Page(resources, total, next_params, [int(r.patient_id) for r in rows])


# ---- sections of a patient's record (for $everything, bundles and bulk export) ------------


@dataclass(frozen=True)
class Section:
    resource_type: str
    count: Callable[[], int]
    fetch: Callable[[int, int], list[dict[str, Any]]]  # (offset, limit) -> resources


def _rows(session: Session, query: Select[Any], offset: int, limit: int) -> list[Any]:
    return list(session.scalars(query.offset(offset).limit(limit)))


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def patient_sections(
    session: Session, caller: Caller, patient_row: Patient, refs: ExportRefs, types: Sequence[str]
) -> list[Section]:
    pid = patient_row.id
    sections: list[Section] = []

    def add(
        resource_type: str,
        count: Callable[[], int],
        fetch: Callable[[int, int], list[dict[str, Any]]],
    ) -> None:
        if resource_type in types and caller.grant.may_read(resource_type):
            sections.append(Section(resource_type, count, fetch))

    def patient_fetch(offset: int, limit: int) -> list[dict[str, Any]]:
        if offset > 0 or limit < 1:
            return []
        prefetch(session, refs, "patient", [pid])
        return [patient.to_fhir(patient_row, _user(session, patient_row.user_id), refs)]

    add("Patient", lambda: 1, patient_fetch)
    prefetch(session, refs, "patient", [pid])
    conditions = patient.conditions_to_fhir(patient_row, refs)
    add("Condition", lambda: len(conditions), lambda o, n: conditions[o : o + n])

    team_ids = list(
        session.scalars(
            select(CareTeamMember.clinician_id)
            .where(CareTeamMember.patient_id == pid)
            .order_by(CareTeamMember.clinician_id)
        )
    )
    practitioner_ids = sorted(
        set(team_ids)
        | set(
            session.scalars(select(Appointment.clinician_id).where(Appointment.patient_id == pid))
        )
    )

    def practitioners(offset: int, limit: int) -> list[dict[str, Any]]:
        ids = practitioner_ids[offset : offset + limit]
        prefetch(session, refs, "practitioner", ids)
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
        return [practitioner.to_fhir(users[i], refs) for i in ids if i in users]

    add("Practitioner", lambda: len(practitioner_ids), practitioners)

    def care_team(offset: int, limit: int) -> list[dict[str, Any]]:
        if offset > 0 or limit < 1 or not team_ids:
            return []
        prefetch(session, refs, "practitioner", team_ids)
        return [practitioner.care_team_to_fhir(pid, team_ids, refs)]

    add("CareTeam", lambda: 1 if team_ids else 0, care_team)

    devices_q = select(Device).where(Device.patient_id == pid).order_by(Device.id)

    def devices(offset: int, limit: int) -> list[dict[str, Any]]:
        rows = _rows(session, devices_q, offset, limit)
        prefetch(session, refs, "device", [d.id for d in rows])
        return [device.to_fhir(d, refs) for d in rows]

    add("Device", lambda: _count(session, devices_q), devices)

    appointments_q = (
        select(Appointment)
        .where(Appointment.patient_id == pid)
        .order_by(Appointment.start_at, Appointment.id)
    )

    def appointments(offset: int, limit: int) -> list[dict[str, Any]]:
        rows = _rows(session, appointments_q, offset, limit)
        prefetch(session, refs, "appointment", [a.id for a in rows])
        prefetch(session, refs, "practitioner", [a.clinician_id for a in rows])
        return [consults.appointment_to_fhir(a, refs) for a in rows]

    add("Appointment", lambda: _count(session, appointments_q), appointments)

    union = _observation_union(session, caller, patient_id=pid)
    obs_q = _observation_query(union, DateRange())

    def observations(offset: int, limit: int) -> list[dict[str, Any]]:
        rows = session.execute(
            obs_q.order_by(union.c.effective_s, union.c.kind, union.c.row_id)
            .offset(offset)
            .limit(limit)
        ).all()
        return _observation_resources(session, refs, [(r.kind, r.row_id) for r in rows])

    add("Observation", lambda: _count(session, obs_q), observations)

    programmes_q = select(Programme).where(Programme.patient_id == pid).order_by(Programme.id)

    def care_plans(offset: int, limit: int) -> list[dict[str, Any]]:
        out = []
        for programme in _rows(session, programmes_q, offset, limit):
            version = session.scalar(
                select(ProgrammeVersion).where(
                    ProgrammeVersion.programme_id == programme.id,
                    ProgrammeVersion.version == programme.current_version,
                )
            )
            if version is None:
                continue
            prefetch(session, refs, "programme", [programme.id])
            out.append(
                careplan.to_fhir(
                    programme, version, refs, adherence_pct=_adherence(session, programme, version)
                )
            )
        return out

    add("CarePlan", lambda: _count(session, programmes_q), care_plans)

    messages_q = (
        select(Message)
        .join(MessageThread, MessageThread.id == Message.thread_id)
        .where(MessageThread.patient_id == pid)
        .order_by(Message.id)
    )

    def communications(offset: int, limit: int) -> list[dict[str, Any]]:
        out = []
        for message in _rows(session, messages_q, offset, limit):
            thread = session.get(MessageThread, message.thread_id)
            assert thread is not None
            sender = None
            if message.sender_id is not None:
                user = session.get(User, message.sender_id)
                if user is not None and user.role == Role.clinician:
                    sender = refs.reference("practitioner", user.id)
                elif user is not None and user.id == patient_row.user_id:
                    sender = refs.reference("patient", pid)
            out.append(consults.message_to_fhir(message, thread, refs, sender))
        return out

    add("Communication", lambda: _count(session, messages_q), communications)

    notes_q = select(ConsultNote).where(ConsultNote.patient_id == pid).order_by(ConsultNote.id)
    add(
        "DocumentReference",
        lambda: _count(session, notes_q),
        lambda o, n: [consults.note_to_fhir(x, refs) for x in _rows(session, notes_q, o, n)],
    )

    responses_q = (
        select(QuestionnaireResponse)
        .where(
            QuestionnaireResponse.patient_id == pid,
            QuestionnaireResponse.instrument.in_(_publishable_instruments()),
        )
        .order_by(QuestionnaireResponse.id)
    )

    def responses(offset: int, limit: int) -> list[dict[str, Any]]:
        out = []
        for row in _rows(session, responses_q, offset, limit):
            resource = questionnaires.response_to_fhir(row, refs)
            if resource is not None:
                out.append(resource)
        return out

    add("QuestionnaireResponse", lambda: _count(session, responses_q), responses)

    requests_q = (
        select(ReminderSchedule)
        .where(ReminderSchedule.patient_id == pid, ReminderSchedule.kind == ScheduleKind.medication)
        .order_by(ReminderSchedule.id)
    )

    def medication_requests(offset: int, limit: int) -> list[dict[str, Any]]:
        rows = _rows(session, requests_q, offset, limit)
        prefetch(session, refs, "reminder-schedule", [r.id for r in rows])
        return [medication.request_to_fhir(r, refs) for r in rows]

    add("MedicationRequest", lambda: _count(session, requests_q), medication_requests)

    statements_q = (
        select(ReminderAcknowledgement, ReminderSchedule.kind)
        .outerjoin(ReminderSchedule, ReminderSchedule.id == ReminderAcknowledgement.schedule_id)
        .where(
            ReminderAcknowledgement.patient_id == pid,
            ReminderAcknowledgement.action.in_(medication.STATEMENT_ACTIONS),
            ReminderAcknowledgement.medication != "",
        )
        .order_by(ReminderAcknowledgement.at, ReminderAcknowledgement.id)
    )

    def medication_statements(offset: int, limit: int) -> list[dict[str, Any]]:
        rows = session.execute(statements_q.offset(offset).limit(limit)).all()
        prefetch(session, refs, "reminder-acknowledgement", [a.id for a, _ in rows])
        prefetch(
            session, refs, "reminder-schedule", [a.schedule_id for a, _ in rows if a.schedule_id]
        )
        return [
            medication.statement_to_fhir(
                ack, refs, based_on_schedule=kind == ScheduleKind.medication
            )
            for ack, kind in rows
        ]

    add(
        "MedicationStatement",
        lambda: _count(session, statements_q.with_only_columns(ReminderAcknowledgement.id)),
        medication_statements,
    )
    order = {t: n for n, t in enumerate(types)}
    return sorted(sections, key=lambda s: order[s.resource_type])


def _publishable_instruments() -> list[str]:
    return [i for i in questionnaires.QUESTIONNAIRE_IDS if questionnaires.questionnaire_to_fhir(i)]


def _adherence(session: Session, programme: Programme, version: ProgrammeVersion) -> float | None:
    rows = session.execute(
        select(SessionLog.day, SessionLog.status).where(SessionLog.programme_id == programme.id)
    ).all()
    logs = [adh.SessionLog(day=d, status=s) for d, s in rows]  # type: ignore[arg-type]
    end = programme.start_date + timedelta(weeks=version.duration_weeks, days=-1)
    weeks = adh.weekly_adherence(
        logs,
        sessions_per_week=version.sessions_per_week,
        start=programme.start_date,
        today=date.today(),
        end=end,
    )
    return adh.overall_adherence(weeks)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    assert user is not None
    return user


def everything(
    session: Session,
    caller: Caller,
    *,
    patient_id: int,
    refs: ExportRefs,
    offset: int,
    count: int,
    resource: str,
) -> Page:
    """``Patient/{id}/$everything``: the patient's compartment, paged by offset across sections."""
    caller.require_read("Patient")
    row = readable_patient(session, caller, patient_id)
    sections = patient_sections(session, caller, row, refs, SERVED_TYPES)
    resources, total = _slice(sections, offset, count)
    _audit(session, caller, [row.id], resource=resource, detail=f"{len(resources)} resources")
    more = offset + len(resources) < total
    return Page(resources, total, {"_offset": str(offset + count)} if more else None, [row.id])


def _slice(
    sections: Sequence[Section], offset: int, count: int
) -> tuple[list[dict[str, Any]], int]:
    resources: list[dict[str, Any]] = []
    position = 0
    total = 0
    for section in sections:
        size = section.count()
        total += size
        if len(resources) >= count or position + size <= offset:
            position += size
            continue
        start = max(0, offset - position)
        resources.extend(section.fetch(start, count - len(resources)))
        position += size
    return resources, total


# ---- search on the other types ---------------------------------------------------------------


def search(
    session: Session,
    caller: Caller,
    *,
    resource_type: str,
    refs: ExportRefs,
    patient_id: int | None,
    dates: DateRange,
    code: Sequence[str],
    count: int,
    offset: int,
    cursor: str | None,
    resource: str,
) -> Page:
    caller.require_read(resource_type)
    if resource_type == "Observation":
        if patient_id is not None:
            readable_patient(session, caller, patient_id)
        page = search_observations(
            session,
            caller,
            refs=refs,
            patient_id=patient_id,
            dates=dates,
            code=code,
            count=count,
            cursor=cursor,
        )
    elif resource_type == "Practitioner":
        page = _search_practitioners(session, caller, refs, offset, count)
    else:
        page = _search_by_patient(
            session, caller, resource_type, refs, patient_id, dates, code, offset, count
        )
    _audit(
        session,
        caller,
        page.patient_ids,
        resource=resource,
        detail=f"{len(page.resources)} resources",
    )
    return page


def _search_practitioners(
    session: Session, caller: Caller, refs: ExportRefs, offset: int, count: int
) -> Page:
    ids_query = select(CareTeamMember.clinician_id).where(
        CareTeamMember.patient_id.in_(caller.patient_ids())
    )
    query = select(User).where(User.role == Role.clinician)
    if caller.actor.user is not None:
        query = query.where(User.id.in_(ids_query) | (User.id == caller.actor.user.id))
    query = query.order_by(User.id)
    total = _count(session, query)
    users = _rows(session, query, offset, count)
    prefetch(session, refs, "practitioner", [u.id for u in users])
    more = offset + len(users) < total
    return Page(
        [practitioner.to_fhir(u, refs) for u in users],
        total,
        {"_offset": str(offset + count)} if more else None,
    )


def _search_by_patient(
    session: Session,
    caller: Caller,
    resource_type: str,
    refs: ExportRefs,
    patient_id: int | None,
    dates: DateRange,
    code: Sequence[str],
    offset: int,
    count: int,
) -> Page:
    """Patient-compartment types: the patients in scope (one, or every readable one, in id
    order), each patient's section for the type, sliced by offset."""
    patients_q = select(Patient).where(Patient.id.in_(caller.patient_ids())).order_by(Patient.id)
    if patient_id is not None:
        patients_q = patients_q.where(Patient.id == patient_id)
        if session.scalar(patients_q) is None:
            raise NotFound("patient not found")
    resources: list[dict[str, Any]] = []
    served: list[int] = []
    total = 0
    position = 0
    # Patients are few per user (a care team); the large collections are paged in SQL.
    for row in session.scalars(patients_q):
        sections = patient_sections(session, caller, row, refs, (resource_type,))
        for section in sections:
            size = section.count()
            total += size
            if len(resources) < count and position + size > offset:
                start = max(0, offset - position)
                got = section.fetch(start, count - len(resources))
                resources.extend(got)
                if got:
                    served.append(row.id)
            position += size
    resources = [r for r in resources if _matches(r, dates, code)]
    more = offset + count < total
    return Page(resources, total, {"_offset": str(offset + count)} if more else None, served)


def _matches(resource: dict[str, Any], dates: DateRange, code: Sequence[str]) -> bool:
    """Filters on the few non-Observation resources of a page (date of the resource; code)."""
    if code:
        wanted = set()
        for value in ",".join(code).split(","):
            system, _, code_value = value.rpartition("|")
            wanted.add((system, code_value))
        found = codes.codes_of(resource.get("code") or resource.get("type"))
        if not any((s, c) in wanted or ("", c) in wanted for s, c in found):
            return False
    if dates.start is None and dates.end is None:
        return True
    stamp = (
        resource.get("start")
        or resource.get("sent")
        or resource.get("date")
        or resource.get("authored")
        or resource.get("effectiveDateTime")
        or resource.get("authoredOn")
        or (resource.get("period") or {}).get("start")
    )
    if not stamp:
        return True
    text = str(stamp)
    moment = datetime.fromisoformat(text if len(text) > 10 else text + "T00:00:00+00:00")
    t = int(moment.timestamp())
    return (dates.start is None or t >= dates.start) and (dates.end is None or t < dates.end)


# ---- read -----------------------------------------------------------------------------------


def read(
    session: Session,
    caller: Caller,
    *,
    resource_type: str,
    logical: str,
    refs: ExportRefs,
    resource: str,
) -> dict[str, Any]:
    """One resource by its logical id; hidden and missing look the same (404)."""
    if resource_type == "Questionnaire":
        found = (
            questionnaires.questionnaire_to_fhir(logical.replace("-", "_"))
            if logical.replace("-", "_") in questionnaires.QUESTIONNAIRE_IDS
            else None
        )
        if found is None:
            raise NotFound(
                "Questionnaire not found (only instruments whose licence allows the text are published)"
            )
        return found
    if resource_type == "CodeSystem":
        if logical != "spinewise":
            raise NotFound("CodeSystem not found")
        return codes.code_system_resource()
    caller.require_read(resource_type)
    missing = NotFound(f"{resource_type}/{logical} not found")
    if resource_type == "Observation" and logical.startswith("ds-"):
        parsed_ds = observation.parse_daily_id(logical)
        if parsed_ds is None:
            raise missing
        summary = daily_posture(session, *parsed_ds)
        if summary is None or not _readable_id(session, caller, summary.patient_id):
            raise missing
        prefetch(session, refs, "patient", [summary.patient_id])
        prefetch(session, refs, "device", [summary.device_id])
        _audit(session, caller, [summary.patient_id], resource=resource)
        return observation.daily_to_fhir(summary, refs)
    if resource_type == "Condition":
        pid_text = logical.partition("-")[0]
        if not pid_text.isdigit() or len(pid_text) > 18:
            raise missing
        row = _readable_patient_or_none(session, caller, int(pid_text))
        found_conditions = [
            c for c in (patient.conditions_to_fhir(row, refs) if row else []) if c["id"] == logical
        ]
        if not found_conditions or row is None:
            raise missing
        _audit(session, caller, [row.id], resource=resource)
        return found_conditions[0]
    if resource_type == "CareTeam":
        if not logical.isdigit() or len(logical) > 18:
            raise missing
        row = _readable_patient_or_none(session, caller, int(logical))
        if row is None:
            raise missing
        sections = patient_sections(session, caller, row, refs, ("CareTeam",))
        found_teams = sections[0].fetch(0, 1) if sections else []
        if not found_teams:
            raise missing
        _audit(session, caller, [row.id], resource=resource)
        return found_teams[0]
    parsed = parse_logical_id(resource_type, logical)
    if parsed is None:
        raise missing
    kind, local_id = parsed
    if kind == "practitioner":
        page = _search_practitioners(session, caller, refs, 0, MAX_COUNT)
        for item in page.resources:
            if item.get("id") == logical:
                return item
        raise missing
    owner = _owner(session, kind, local_id)
    if owner is None or not _readable_id(session, caller, owner):
        raise missing
    row = session.get(Patient, owner)
    assert row is not None
    sections = patient_sections(session, caller, row, refs, (resource_type,))
    result = _find_in_sections(session, refs, kind, local_id, sections)
    if result is None:
        raise missing
    _audit(session, caller, [owner], resource=resource)
    return result


def _find_in_sections(
    session: Session, refs: ExportRefs, kind: str, local_id: int, sections: list[Section]
) -> dict[str, Any] | None:
    if kind == "patient":
        return sections[0].fetch(0, 1)[0] if sections else None
    if kind in ("posture-minute", "questionnaire-response", "pain-diary"):
        short = {"posture-minute": "pm", "questionnaire-response": "qr", "pain-diary": "pd"}[kind]
        found = _observation_resources(session, refs, [(short, local_id)])
        return found[0] if found else None
    if kind in ("reminder-schedule", "reminder-acknowledgement"):
        return _medication_resource(session, refs, kind, local_id)
    wanted = logical_id(kind, local_id)
    for section in sections:
        offset = 0
        while True:
            batch = section.fetch(offset, 200)
            for item in batch:
                if item.get("id") == wanted:
                    return item
            if len(batch) < 200:
                break
            offset += 200
    return None


def _medication_resource(
    session: Session, refs: ExportRefs, kind: str, local_id: int
) -> dict[str, Any] | None:
    """One MedicationRequest or MedicationStatement by id (the same filters as the sections)."""
    if kind == "reminder-schedule":
        schedule = session.get(ReminderSchedule, local_id)
        if schedule is None or schedule.kind != ScheduleKind.medication:
            return None
        prefetch(session, refs, "reminder-schedule", [local_id])
        return medication.request_to_fhir(schedule, refs)
    ack = session.get(ReminderAcknowledgement, local_id)
    if ack is None or ack.action not in medication.STATEMENT_ACTIONS or not ack.medication:
        return None
    linked = session.get(ReminderSchedule, ack.schedule_id) if ack.schedule_id else None
    prefetch(session, refs, "reminder-acknowledgement", [local_id])
    if linked is not None:
        prefetch(session, refs, "reminder-schedule", [linked.id])
    return medication.statement_to_fhir(
        ack, refs, based_on_schedule=linked is not None and linked.kind == ScheduleKind.medication
    )


def _owner(session: Session, kind: str, local_id: int) -> int | None:
    table: Any = {
        "patient": Patient,
        "device": Device,
        "posture-minute": PostureMinute,
        "questionnaire-response": QuestionnaireResponse,
        "pain-diary": PainDiaryRecord,
        "appointment": Appointment,
        "programme": Programme,
        "note": ConsultNote,
        "reminder-schedule": ReminderSchedule,
        "reminder-acknowledgement": ReminderAcknowledgement,
    }.get(kind)
    if kind == "patient":
        return local_id if session.get(Patient, local_id) is not None else None
    if kind == "message":
        return session.scalar(
            select(MessageThread.patient_id)
            .join(Message, Message.thread_id == MessageThread.id)
            .where(Message.id == local_id)
        )
    if table is None:
        return None
    return session.scalar(select(table.patient_id).where(table.id == local_id))


def _readable_id(session: Session, caller: Caller, patient_id: int) -> bool:
    return _readable_patient_or_none(session, caller, patient_id) is not None


def _readable_patient_or_none(session: Session, caller: Caller, patient_id: int) -> Patient | None:
    return session.scalar(
        select(Patient).where(Patient.id == patient_id, Patient.id.in_(caller.patient_ids()))
    )


# ---- bundles --------------------------------------------------------------------------------


def searchset(
    resources: list[dict[str, Any]],
    *,
    base: str,
    self_url: str,
    next_url: str | None,
    total: int | None,
) -> dict[str, Any]:
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {
                "fullUrl": f"{base}/{r['resourceType']}/{r['id']}" if r.get("id") else None,
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
    if next_url:
        bundle["link"].append({"relation": "next", "url": next_url})
    if total is not None:
        bundle["total"] = total
    for entry in bundle["entry"]:
        if entry["fullUrl"] is None:
            del entry["fullUrl"]
    return bundle


def patient_bundle(
    session: Session,
    caller: Caller,
    *,
    patient_id: int,
    base_url: str,
    everything_types: bool = False,
) -> dict[str, Any]:
    """A transaction Bundle of one patient's record that another server can import.

    References use ``urn:uuid:`` full URLs derived from the business identifiers and every entry
    is a conditional update on its identifier, so the same bundle imports idempotently and an
    import-then-export gives the same bundle. By default it holds the families this server also
    imports; ``everything_types`` adds the export-only ones (plans, messages, notes, responses,
    medications).
    """
    row = readable_patient(session, caller, patient_id)
    refs = make_refs(session, base_url=base_url, style="bundle")
    types = IMPORTED_TYPES + (EXPORT_ONLY_TYPES if everything_types else ())
    entries: list[dict[str, Any]] = []
    for section in patient_sections(session, caller, row, refs, types):
        offset = 0
        while True:
            batch = section.fetch(offset, 500)
            entries.extend(_transaction_entry(refs, r) for r in batch)
            if len(batch) < 500:
                break
            offset += 500
    _audit(session, caller, [row.id], resource="fhir.export", detail=f"{len(entries)} resources")
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _transaction_entry(refs: ExportRefs, resource: dict[str, Any]) -> dict[str, Any]:
    resource_type = resource["resourceType"]
    identifiers = identifier_pairs(resource)
    if resource_type == "Condition":
        subject = resource["subject"]["reference"]
        code = next(iter(codes.codes_of(resource["code"])))[1]
        url = patient.condition_full_url(subject, code)
        return {
            "fullUrl": url,
            "resource": resource,
            "request": {"method": "POST", "url": "Condition"},
        }
    if resource_type == "CareTeam":
        url = practitioner.care_team_full_url(resource["subject"]["reference"])
        return {
            "fullUrl": url,
            "resource": resource,
            "request": {"method": "POST", "url": "CareTeam"},
        }
    if resource_type == "Observation" and not identifiers:  # derived daily summaries
        period = resource["effectivePeriod"]["start"]
        url = derived_uuid("daily", resource["device"]["reference"], period)
        return {
            "fullUrl": url,
            "resource": resource,
            "request": {"method": "POST", "url": "Observation"},
        }
    system, value = identifiers[0]
    kind = _kind_for(resource)
    full = bundle_uuid(kind, system, value)
    if resource_type == "QuestionnaireResponse":
        full = derived_uuid("QuestionnaireResponse", full)
    return {
        "fullUrl": full,
        "resource": resource,
        "request": {"method": "PUT", "url": f"{resource_type}?identifier={system}|{value}"},
    }


def _kind_for(resource: dict[str, Any]) -> str:
    resource_type = resource["resourceType"]
    if resource_type == "Observation":
        return observation.kind_of(resource)
    if resource_type == "QuestionnaireResponse":
        return "questionnaire-response"
    return next(k for k, t in RESOURCE_TYPE.items() if t == resource_type)


# ---- validation -----------------------------------------------------------------------------


def validation_issues(data: Any) -> list[dict[str, Any]]:
    """Problems that the R4B models find, each with the FHIRPath-like place it is at."""
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        return [issue("not a FHIR resource (no resourceType)", expression="resourceType")]
    resource_type = data["resourceType"]
    try:
        model = get_fhir_model_class(resource_type)
    except KeyError:
        return [issue(f"unknown resourceType {resource_type!r}", expression="resourceType")]
    unknown = [
        n
        for n, entry in enumerate(data.get("entry") or [])
        if resource_type == "Bundle"
        and isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and not _known_type(entry["resource"].get("resourceType"))
    ]
    if unknown:
        return [
            issue(
                f"entry {n}: unknown resourceType {data['entry'][n]['resource'].get('resourceType')!r}",
                expression=f"Bundle.entry[{n}].resource.resourceType",
            )
            for n in unknown
        ]
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [_pydantic_issue(resource_type, error) for error in exc.errors()]
    except (ValueError, TypeError) as exc:
        return [issue(str(exc).splitlines()[0], expression=resource_type)]
    return []


def _known_type(name: Any) -> bool:
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(name, str):
        return False
    try:
        get_fhir_model_class(name)
    except KeyError:
        return False
    return True


def _pydantic_issue(resource_type: str, error: Any) -> dict[str, Any]:
    location = error.get("loc", ())
    path = resource_type
    entry: int | None = None
    for n, part in enumerate(location):
        if isinstance(part, int):
            path += f"[{part}]"
            if n == 1 and location[0] == "entry":
                entry = part
        else:
            path += f".{part}"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    prefix = f"entry {entry}: " if entry is not None else ""
    return issue(f"{prefix}{path}: {message}", expression=path)


# ---- import (transaction) -------------------------------------------------------------------


@dataclass
class _Entry:
    index: int
    full_url: str
    resource: dict[str, Any]
    path: str


@dataclass
class _Importer:
    session: Session
    caller: Caller
    base_url: str
    issues: list[dict[str, Any]] = field(default_factory=list)
    resolved: dict[str, tuple[str, int]] = field(default_factory=dict)  # fullUrl -> (kind, id)
    results: dict[int, tuple[str, str]] = field(default_factory=dict)  # index -> (status, location)
    created_patients: set[int] = field(default_factory=set)

    def fail(self, entry: _Entry, message: str, where: str | None = None) -> None:
        self.issues.append(issue(f"entry {entry.index}: {message}", expression=where or entry.path))

    # identifiers -----------------------------------------------------------------------------

    def native_system(self, kind: str) -> str:
        return f"{self.base_url.rstrip('/')}/fhir/sid/{kind}"

    def match(self, kind: str, resource: dict[str, Any], table: Any) -> int | None:
        for system, value in identifier_pairs(resource):
            local = self.session.scalar(
                select(FhirIdentifier.local_id).where(
                    FhirIdentifier.kind == kind,
                    FhirIdentifier.system == system,
                    FhirIdentifier.value == value,
                )
            )
            if local is not None:
                return int(local)
            if system == self.native_system(kind) and value.isdigit() and len(value) < 18:
                own = self.session.get(table, int(value))
                imported = self.session.scalar(
                    select(FhirIdentifier.id).where(
                        FhirIdentifier.kind == kind, FhirIdentifier.local_id == int(value)
                    )
                )
                if own is not None and imported is None:
                    return int(value)
        return None

    def remember(self, kind: str, local_id: int, resource: dict[str, Any]) -> None:
        pairs = [p for p in identifier_pairs(resource) if p[0] != self.native_system(kind)]
        if not pairs:
            return
        exists = self.session.scalar(
            select(FhirIdentifier.id).where(
                FhirIdentifier.kind == kind, FhirIdentifier.local_id == local_id
            )
        )
        taken = self.session.scalar(
            select(FhirIdentifier.id).where(
                FhirIdentifier.kind == kind,
                FhirIdentifier.system == pairs[0][0],
                FhirIdentifier.value == pairs[0][1],
            )
        )
        if exists is None and taken is None:
            self.session.add(
                FhirIdentifier(kind=kind, local_id=local_id, system=pairs[0][0], value=pairs[0][1])
            )
            self.session.flush()

    # references ------------------------------------------------------------------------------

    def resolve(self, entry: _Entry, reference: str, kind: str, where: str) -> int | None:
        if reference in self.resolved:
            found_kind, local = self.resolved[reference]
            if found_kind == kind:
                return local
        resource_type = RESOURCE_TYPE.get(kind, "")
        if reference.startswith(f"{resource_type}?identifier="):
            system, _, value = reference.split("=", 1)[1].rpartition("|")
            matched = self.match(
                kind, {"identifier": [{"system": system, "value": value}]}, _TABLES[kind]
            )
            if matched is not None:
                return self._check_reference(entry, kind, matched, where)
        elif reference.startswith(f"{resource_type}/"):
            parsed = parse_logical_id(resource_type, reference.split("/", 1)[1])
            if (
                parsed is not None
                and parsed[0] == kind
                and self.session.get(_TABLES[kind], parsed[1])
            ):
                return self._check_reference(entry, kind, parsed[1], where)
        noun = "patient" if kind == "patient" else resource_type or kind
        self.fail(entry, f"{noun} {reference!r} not found", where)
        return None

    def _check_reference(self, entry: _Entry, kind: str, local: int, where: str) -> int | None:
        if kind == "patient" and not self.may_write_patient(local):
            self.fail(entry, "patient not found", where)
            return None
        if kind == "device":
            owner = self.session.scalar(select(Device.patient_id).where(Device.id == local))
            if owner is None or not self.may_write_patient(owner):
                self.fail(entry, "Device not found", where)
                return None
        return local

    def may_write_patient(self, patient_id: int) -> bool:
        if patient_id in self.created_patients or self.caller.actor.user is None:
            return True
        return _readable_id(self.session, self.caller, patient_id)


_TABLES: dict[str, Any] = {
    "patient": Patient,
    "practitioner": User,
    "device": Device,
    "posture-minute": PostureMinute,
    "questionnaire-response": QuestionnaireResponse,
    "pain-diary": PainDiaryRecord,
    "appointment": Appointment,
}


def import_bundle(
    session: Session, caller: Caller, *, bundle: Any, base_url: str
) -> dict[str, Any]:
    """Apply a transaction Bundle all-or-nothing; returns the transaction-response Bundle.

    Any invalid entry raises ``FhirOutcome`` naming every entry that failed (index and path);
    the caller's transaction then rolls back, so nothing is written.
    """
    problems = validation_issues(bundle)
    if problems:
        raise FhirOutcome(problems)
    if bundle.get("type") != "transaction":
        raise FhirOutcome([issue("Bundle.type must be 'transaction'", expression="Bundle.type")])
    user = caller.actor.user
    if user is not None and user.role != Role.clinician:
        raise Forbidden("only clinicians import FHIR bundles")
    entries = [
        _Entry(
            index=n,
            full_url=str(e.get("fullUrl") or f"entry-{n}"),
            resource=e.get("resource") or {},
            path=f"Bundle.entry[{n}].resource",
        )
        for n, e in enumerate(bundle.get("entry") or [])
    ]
    importer = _Importer(session, caller, base_url)
    ordered: dict[str, list[_Entry]] = {t: [] for t in IMPORTED_TYPES}
    skipped: list[_Entry] = []
    for entry in entries:
        resource_type = entry.resource.get("resourceType")
        if resource_type in ordered:
            if not caller.grant.may_write(str(resource_type)):
                importer.fail(entry, f"this token's scopes do not allow writing {resource_type}")
            ordered[str(resource_type)].append(entry)
        elif resource_type in EXPORT_ONLY_TYPES or resource_type in PUBLIC_TYPES:
            skipped.append(entry)
        else:
            importer.fail(entry, f"{resource_type} is not imported by this server")
    if importer.issues:
        raise FhirOutcome(importer.issues)
    handlers: dict[str, Callable[[_Importer, _Entry], None]] = {
        "Practitioner": _import_practitioner,
        "Patient": _import_patient,
        "Condition": _import_condition,
        "CareTeam": _import_care_team,
        "Device": _import_device,
        "Observation": _import_observation,
        "Appointment": _import_appointment,
    }
    conditions_seen: set[int] = set()
    for resource_type in IMPORTED_TYPES:
        for entry in ordered[resource_type]:
            try:
                if resource_type == "Condition":
                    _import_condition(importer, entry, conditions_seen)
                else:
                    handlers[resource_type](importer, entry)
            except InvalidInput as exc:
                field_path = exc.field or entry.path
                importer.fail(entry, exc.message.removeprefix(f"{exc.field}: "), field_path)
    if importer.issues:
        raise FhirOutcome(importer.issues)
    response_entries: list[dict[str, Any]] = []
    for entry in entries:
        if entry.index in importer.results:
            status, location = importer.results[entry.index]
            response_entries.append({"response": {"status": status, "location": location}})
        else:
            response_entries.append(
                {
                    "response": {
                        "status": "200 OK",
                        "outcome": operation_outcome(
                            [
                                issue(
                                    f"entry {entry.index}: {entry.resource.get('resourceType')} is exported only; not imported",
                                    severity="warning",
                                    code="not-supported",
                                    expression=entry.path,
                                )
                            ]
                        ),
                    }
                }
            )
    return {"resourceType": "Bundle", "type": "transaction-response", "entry": response_entries}


def _done(importer: _Importer, entry: _Entry, kind: str, local_id: int, created: bool) -> None:
    importer.resolved[entry.full_url] = (kind, local_id)
    location = f"{RESOURCE_TYPE[kind]}/{logical_id(kind, local_id)}"
    importer.results[entry.index] = ("201 Created" if created else "200 OK", location)


def _unusable_password() -> str:
    # Not an argon2 hash, so no password verifies; the person signs in after a reset/invitation.
    return "!imported-" + new_token()[1][:16]


def _import_practitioner(importer: _Importer, entry: _Entry) -> None:
    fields = practitioner.from_fhir(entry.resource, entry.path)
    session = importer.session
    local = importer.match("practitioner", entry.resource, User)
    if local is None:
        by_email = session.scalar(select(User).where(User.email == fields.email.lower()))
        local = by_email.id if by_email is not None else None
    if local is not None:
        user = session.get(User, local)
        assert user is not None
        if user.role != Role.clinician:
            raise InvalidInput(
                f"{entry.path}.telecom", "this e-mail belongs to an account that is not a clinician"
            )
        if importer.caller.actor.user is None:  # only the operator's CLI edits accounts
            user.name, user.is_active = fields.name, fields.active
        importer.remember("practitioner", user.id, entry.resource)
        _done(importer, entry, "practitioner", user.id, created=False)
        return
    if importer.caller.actor.user is not None:
        raise InvalidInput(
            f"{entry.path}.identifier",
            "unknown practitioner; an administrator creates clinician accounts (or use the CLI)",
        )
    from spinewise.accounts.service import normalise_email

    user = User(
        email=normalise_email(fields.email),
        name=fields.name,
        role=Role.clinician,
        password_hash=_unusable_password(),
        is_active=fields.active,
    )
    session.add(user)
    session.flush()
    importer.remember("practitioner", user.id, entry.resource)
    _done(importer, entry, "practitioner", user.id, created=True)


def _import_patient(importer: _Importer, entry: _Entry) -> None:
    from spinewise.accounts.service import check_timezone, normalise_email

    fields = patient.from_fhir(entry.resource, entry.path)
    check_timezone(fields.timezone)
    session = importer.session
    email = normalise_email(fields.email)
    local = importer.match("patient", entry.resource, Patient)
    if local is None:
        existing_user = session.scalar(select(User).where(User.email == email))
        if existing_user is not None:
            found = session.scalar(select(Patient.id).where(Patient.user_id == existing_user.id))
            if found is None:
                raise InvalidInput(
                    f"{entry.path}.telecom",
                    "this e-mail belongs to an account that is not a patient",
                )
            local = found
    created = local is None
    if local is not None:
        if not importer.may_write_patient(local):
            raise InvalidInput(entry.path, "patient not found")
        row = session.get(Patient, local)
        assert row is not None
        user = _user(session, row.user_id)
        if user.email != email and session.scalar(select(User.id).where(User.email == email)):
            raise InvalidInput(f"{entry.path}.telecom", "another account has this e-mail")
    else:
        user = User(email=email, role=Role.patient, password_hash=_unusable_password())
        session.add(user)
        session.flush()
        row = Patient(user_id=user.id)
        session.add(row)
        session.flush()
        importer.created_patients.add(row.id)
        if importer.caller.actor.user is not None:
            session.add(
                CareTeamMember(patient_id=row.id, clinician_id=importer.caller.actor.user.id)
            )
    user.email, user.name, user.is_active = email, fields.name, fields.active
    row.sex, row.date_of_birth = fields.sex, fields.date_of_birth
    row.timezone, row.history_notes = fields.timezone, fields.history_notes
    for flag in codes.HISTORY_FLAGS:
        setattr(row, flag, False)  # set again by the bundle's Conditions
    session.flush()
    importer.remember("patient", row.id, entry.resource)
    audit.record(
        session,
        actor=importer.caller.actor,
        patient_id=row.id,
        resource="fhir.import",
        action="create" if created else "update",
    )
    _done(importer, entry, "patient", row.id, created)


def _subject(importer: _Importer, entry: _Entry, key: str = "subject") -> int | None:
    reference = ((entry.resource.get(key) or {}).get("reference")) or ""
    if not reference:
        importer.fail(entry, f"needs {key}", f"{entry.path}.{key}")
        return None
    return importer.resolve(entry, str(reference), "patient", f"{entry.path}.{key}")


def _import_condition(importer: _Importer, entry: _Entry, seen: set[int] | None = None) -> None:
    flag = patient.flag_of_condition(entry.resource, entry.path)
    pid = _subject(importer, entry)
    if pid is None:
        return
    row = importer.session.get(Patient, pid)
    assert row is not None
    status = codes.codes_of(entry.resource.get("clinicalStatus"))
    active = not status or (codes.CONDITION_CLINICAL, "active") in status
    setattr(row, flag, active)
    importer.session.flush()
    importer.results[entry.index] = ("200 OK", f"Condition/{pid}-{codes.HISTORY_FLAGS[flag]}")


def _import_care_team(importer: _Importer, entry: _Entry) -> None:
    pid = _subject(importer, entry)
    if pid is None:
        return
    for where, reference in practitioner.care_team_members(entry.resource, entry.path):
        clinician_id = importer.resolve(entry, reference, "practitioner", where)
        if clinician_id is None:
            continue
        exists = importer.session.scalar(
            select(CareTeamMember.id).where(
                CareTeamMember.patient_id == pid, CareTeamMember.clinician_id == clinician_id
            )
        )
        if exists is None:
            importer.session.add(CareTeamMember(patient_id=pid, clinician_id=clinician_id))
    importer.session.flush()
    importer.results[entry.index] = ("200 OK", f"CareTeam/{pid}")


def _import_device(importer: _Importer, entry: _Entry) -> None:
    fields = device.from_fhir(entry.resource, entry.path)
    pid = _subject(importer, entry, "patient")
    if pid is None:
        return
    session = importer.session
    local = importer.match("device", entry.resource, Device)
    created = local is None
    if local is not None:
        row = session.get(Device, local)
        assert row is not None
        if row.patient_id != pid:
            raise InvalidInput(f"{entry.path}.patient", "the device belongs to another patient")
    else:
        row = Device(patient_id=pid, token_hash=new_token()[1], name=fields.name, kind=fields.kind)
        session.add(row)
    row.name, row.kind, row.settings = fields.name, fields.kind, fields.settings
    if fields.active:
        row.revoked_at = None
    elif row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    importer.remember("device", row.id, entry.resource)
    _done(importer, entry, "device", row.id, created)


def _import_observation(importer: _Importer, entry: _Entry) -> None:
    kind = observation.kind_of(entry.resource)
    if kind == "posture-daily-summary":  # derived from the minutes; recomputed, never stored
        importer.results[entry.index] = ("200 OK", "Observation")
        return
    if kind == "unknown":
        raise InvalidInput(f"{entry.path}.code", "is not an Observation code Spinewise imports")
    pid = _subject(importer, entry)
    if pid is None:
        return
    session = importer.session
    if kind == "posture-minute":
        minute = observation.minute_from_fhir(entry.resource, entry.path)
        device_ref = str((entry.resource.get("device") or {}).get("reference") or "")
        device_id = importer.resolve(entry, device_ref, "device", f"{entry.path}.device")
        if device_id is None:
            return
        local = importer.match("posture-minute", entry.resource, PostureMinute)
        if local is None:
            local = session.scalar(
                select(PostureMinute.id).where(
                    PostureMinute.device_id == device_id,
                    PostureMinute.minute_start == minute.minute_start,
                )
            )
        created = local is None
        row_pm = session.get(PostureMinute, local) if local is not None else None
        if row_pm is None:
            row_pm = PostureMinute(
                device_id=device_id, patient_id=pid, minute_start=minute.minute_start
            )
            session.add(row_pm)
        row_pm.device_id, row_pm.patient_id, row_pm.minute_start = (
            device_id,
            pid,
            minute.minute_start,
        )
        for column, value in minute.values.items():
            setattr(row_pm, column, value)
        session.flush()
        importer.remember("posture-minute", row_pm.id, entry.resource)
        _done(importer, entry, "posture-minute", row_pm.id, created)
    elif kind == "questionnaire-response":
        score = observation.score_from_fhir(entry.resource, entry.path)
        entered_by = None
        if score.performer:
            if "Practitioner" in score.performer or (
                score.performer in importer.resolved
                and importer.resolved[score.performer][0] == "practitioner"
            ):
                entered_by = importer.resolve(
                    entry, score.performer, "practitioner", f"{entry.path}.performer"
                )
            else:
                patient_id = importer.resolve(
                    entry, score.performer, "patient", f"{entry.path}.performer"
                )
                if patient_id is not None:
                    entered_by = _user(session, _patient(session, patient_id).user_id).id
        local = importer.match("questionnaire-response", entry.resource, QuestionnaireResponse)
        created = local is None
        row_qr = session.get(QuestionnaireResponse, local) if local is not None else None
        if row_qr is None:
            row_qr = QuestionnaireResponse(patient_id=pid)
            session.add(row_qr)
        row_qr.patient_id, row_qr.instrument, row_qr.answered_on = (
            pid,
            score.instrument,
            score.answered_on,
        )
        row_qr.answers, row_qr.score, row_qr.result = score.answers, score.score, score.result
        row_qr.entered_by, row_qr.created_at = entered_by, score.created_at
        session.flush()
        importer.remember("questionnaire-response", row_qr.id, entry.resource)
        _done(importer, entry, "questionnaire-response", row_qr.id, created)
    else:
        diary = observation.diary_from_fhir(entry.resource, entry.path)
        local = importer.match("pain-diary", entry.resource, PainDiaryRecord)
        if local is None:
            local = session.scalar(
                select(PainDiaryRecord.id).where(
                    PainDiaryRecord.patient_id == pid, PainDiaryRecord.day == diary.day
                )
            )
        created = local is None
        row_pd = session.get(PainDiaryRecord, local) if local is not None else None
        if row_pd is None:
            row_pd = PainDiaryRecord(patient_id=pid, day=diary.day, back_pain=diary.back_pain)
            session.add(row_pd)
        for name in (
            "day",
            "back_pain",
            "leg_pain",
            "sleep_disturbed",
            "medication_taken",
            "activity_min",
            "note",
            "updated_at",
        ):
            setattr(row_pd, name, getattr(diary, name))
        row_pd.patient_id = pid
        session.flush()
        importer.remember("pain-diary", row_pd.id, entry.resource)
        _done(importer, entry, "pain-diary", row_pd.id, created)
    audit.record(
        session,
        actor=importer.caller.actor,
        patient_id=pid,
        resource="fhir.import",
        action="write",
        detail=kind,
    )


def _patient(session: Session, patient_id: int) -> Patient:
    row = session.get(Patient, patient_id)
    assert row is not None
    return row


def _import_appointment(importer: _Importer, entry: _Entry) -> None:
    fields = consults.appointment_from_fhir(entry.resource, entry.path)
    pid = importer.resolve(entry, fields.patient_ref, "patient", f"{entry.path}.participant")
    clinician_id = importer.resolve(
        entry, fields.clinician_ref, "practitioner", f"{entry.path}.participant"
    )
    if pid is None or clinician_id is None:
        return
    session = importer.session
    clinician = session.get(User, clinician_id)
    if clinician is None or clinician.role != Role.clinician:
        importer.fail(
            entry, "the Practitioner participant is not a clinician", f"{entry.path}.participant"
        )
        return
    local = importer.match("appointment", entry.resource, Appointment)
    created = local is None
    row = session.get(Appointment, local) if local is not None else None
    if row is None:
        row = Appointment(
            patient_id=pid,
            clinician_id=clinician_id,
            start_at=fields.start_at,
            end_at=fields.end_at,
            kind=fields.kind,
        )
        session.add(row)
    row.patient_id, row.clinician_id = pid, clinician_id
    row.start_at, row.end_at, row.kind, row.status = (
        fields.start_at,
        fields.end_at,
        fields.kind,
        fields.status,
    )
    row.cancel_reason, row.sequence, row.created_at = (
        fields.cancel_reason,
        fields.sequence,
        fields.created_at,
    )
    row.updated_at = utcnow()
    session.flush()
    importer.remember("appointment", row.id, entry.resource)
    audit.record(
        session,
        actor=importer.caller.actor,
        patient_id=pid,
        resource="fhir.import",
        action="write",
        detail="appointment",
    )
    _done(importer, entry, "appointment", row.id, created)


# ---- bulk export ----------------------------------------------------------------------------


def export_dir(data_dir: Path, job_id: str) -> Path:
    return Path(data_dir) / "fhir-export" / job_id


def start_export(
    session: Session, caller: Caller, *, request_url: str, types: Sequence[str], scope_text: str
) -> ExportJob:
    user = caller.actor.user
    assert user is not None
    unknown = [t for t in types if t not in SERVED_TYPES]
    if unknown:
        raise InvalidInput("_type", f"not exported by this server: {', '.join(unknown)}")
    wanted = [t for t in (types or SERVED_TYPES) if caller.grant.may_read(t)]
    if not wanted:
        raise Forbidden("this token's scopes allow none of the requested types")
    job = ExportJob(
        id=secrets.token_hex(16),
        user_id=user.id,
        request_url=request_url[:1000],
        types=wanted,
        scopes=scope_text,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, caller: Caller, job_id: str) -> ExportJob:
    """A job is visible only to the user who started it (others get 404)."""
    job = session.get(ExportJob, job_id)
    user = caller.actor.user
    if job is None or user is None or job.user_id != user.id:
        raise NotFound("export job not found")
    return job


def run_export(session: Session, *, job_id: str, base_url: str, data_dir: Path) -> None:
    """Write one NDJSON file per resource type for every patient the job's owner may read.

    Resources are streamed page by page to ``<type>.ndjson.part`` and renamed when complete;
    each exported patient is audited as read by the owner.
    """
    job = session.get(ExportJob, job_id)
    if job is None:
        return
    user = _user(session, job.user_id)
    caller = Caller.of(Actor(user, "bulk-export"), job.scopes)
    folder = export_dir(data_dir, job.id)
    folder.mkdir(parents=True, exist_ok=True)
    refs = make_refs(session, base_url=base_url)
    patient_ids = list(session.scalars(caller.patient_ids().order_by(Patient.id)))
    output = []
    served: set[int] = set()
    for resource_type in job.types:
        path = folder / f"{resource_type}.ndjson"
        part = path.with_suffix(".ndjson.part")
        count = 0
        seen: set[str] = set()
        with part.open("w", encoding="utf-8") as handle:
            for pid in patient_ids:
                row = _patient(session, pid)
                for section in patient_sections(session, caller, row, refs, (resource_type,)):
                    offset = 0
                    while True:
                        batch = section.fetch(offset, 500)
                        for resource in batch:
                            key = f"{resource.get('resourceType')}/{resource.get('id')}"
                            if resource_type == "Practitioner" and key in seen:
                                continue
                            seen.add(key)
                            handle.write(json.dumps(resource, separators=(",", ":")) + "\n")
                            count += 1
                            served.add(pid)
                        if len(batch) < 500:
                            break
                        offset += 500
        part.replace(path)
        output.append({"type": resource_type, "count": count, "file": path.name})
    _audit(session, caller, sorted(served), resource="fhir.$export", detail=f"job {job.id}")
    job.output = output
    job.status = ExportStatus.completed
    job.finished_at = utcnow()
    session.flush()


def fail_export(session: Session, *, job_id: str, message: str) -> None:
    job = session.get(ExportJob, job_id)
    if job is not None:
        job.status = ExportStatus.failed
        job.error = message[:2000]
        job.finished_at = utcnow()
        session.flush()


def manifest(job: ExportJob, *, base: str) -> dict[str, Any]:
    """The completion manifest of the Bulk Data Access IG (output URLs need the same token)."""
    return {
        "transactionTime": (job.finished_at or job.created_at).isoformat().replace("+00:00", "Z"),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": o["type"],
                "url": f"{base}/$export-file/{job.id}/{o['file']}",
                "count": o["count"],
            }
            for o in job.output
        ],
        "error": [],
    }


def export_file(
    session: Session, caller: Caller, *, job_id: str, name: str, data_dir: Path
) -> tuple[Path, int | None]:
    job = get_job(session, caller, job_id)
    entry = next((o for o in job.output if o["file"] == name), None)
    if job.status != ExportStatus.completed or entry is None:
        raise NotFound("export file not found")
    path = export_dir(data_dir, job.id) / str(entry["file"])
    if not path.is_file():
        raise NotFound("export file not found (expired)")
    return path, None


def delete_export(session: Session, caller: Caller, *, job_id: str, data_dir: Path) -> None:
    job = get_job(session, caller, job_id)
    folder = export_dir(data_dir, job.id)
    if folder.is_dir():
        for item in folder.iterdir():
            item.unlink()
        folder.rmdir()
    session.delete(job)
    session.flush()


def iter_lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(65536):
            yield chunk


def patient_id_by_email(session: Session, email: str) -> int:
    from spinewise.accounts.service import get_user_by_email

    user = get_user_by_email(session, email)
    if user is None or user.role != Role.patient:
        raise NotFound(f"no patient with e-mail {email}")
    pid = session.scalar(select(Patient.id).where(Patient.user_id == user.id))
    assert pid is not None
    return int(pid)
