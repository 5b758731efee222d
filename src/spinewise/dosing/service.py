"""Pump programme use cases: check, save as a new version, sign off, plan, refill, boluses.

The safety line of DESIGN §6 is kept here, once, for every entry point (API, page form,
planner suggestion loaded into the form): :func:`save_programme` runs the pure
:func:`~spinewise.dosing.check.ensure_acceptable` before anything is added to the session, so a
programme that breaks a hard limit raises ``ProgrammeRejected`` (HTTP 422 with every violation)
and is never stored. The refusal itself is kept in the audit log (``keep_changes``: the only
thing written by then is the audit entry).

The soft rule ``daily_dose_soft_max`` does not refuse: the version needs a recorded reason and
waits (``awaiting_sign_off``) until a *different* clinician of the care team signs it off; only
then does it become the active programme.

``previous_daily_dose`` (the baseline of the ``daily_increase`` rule) is never left to the
client: when the patient has an active programme of the same drug, its maximum daily dose is
used (or the client's value, if that is lower and so stricter).

Services only flush; the request's session commits. Events (the refill reminder) are returned
to the caller, which publishes them after the commit (:func:`publish_after_commit`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import anyio.from_thread
import structlog
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Patient, Role, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from spinewise.core.events import Event, EventBus
from spinewise.db import utcnow
from spinewise.dosing.check import CheckResult, ProgrammeRejected, check_programme
from spinewise.dosing.library import (
    DrugLibrary,
    default_library,
    library_fingerprint,
    library_from_dict,
    normalise_drug_name,
)
from spinewise.dosing.models import (
    BolusActivation,
    DrugLibraryUpload,
    ProgrammeSource,
    ProgrammeStatus,
    PumpProgrammeVersion,
    PumpSettings,
)
from spinewise.dosing.pk import simulate
from spinewise.dosing.planner import PlanResult, parse_pain_profile, plan_schedule
from spinewise.dosing.programme import Programme, programme_from_dict
from spinewise.dosing.refill import RefillPlan, plan_refill

log = structlog.get_logger("spinewise.dosing")
REFILL_TOPIC = "dosing.refill_due.{patient_id}"
# Spinewise design choice, not a clinical figure: the care team is reminded a week ahead so a
# refill visit can be booked before the low-reservoir alarm.
REFILL_REMINDER_LEAD_DAYS = 7
SIMULATED_DAYS = 3  # from an empty compartment; the last day is shown (t½ ≤ 4.6 h: steady)
CHART_STEP_MIN = 10.0
MAX_TEXT = 2000


# --- drug libraries -----------------------------------------------------------------------------


@functools.cache
def shipped_library() -> DrugLibrary:
    """The packaged default library (immutable, loaded once per process)."""
    return default_library()


@dataclass(frozen=True)
class LibraryInUse:
    """The library that checks a patient's programmes and where it came from."""

    library: DrugLibrary
    fingerprint: str
    record_id: int | None  # None: the library shipped with Spinewise
    clinic: str | None

    @property
    def label(self) -> str:
        owner = "Spinewise default" if self.record_id is None else f"{self.clinic}"
        return f"{self.library.name} {self.library.version} ({owner})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "clinic": self.clinic,
            "name": self.library.name,
            "version": self.library.version,
            "fingerprint": self.fingerprint,
        }


@functools.cache
def _shipped_in_use() -> LibraryInUse:
    library = shipped_library()
    return LibraryInUse(library, library_fingerprint(library), None, None)


def upload_library(
    session: Session, *, actor: Actor, clinic: str, document: Any, note: str = ""
) -> DrugLibraryUpload:
    """Store a clinic's library after the pure loader accepts it; it becomes the clinic's library.

    The figures are stored exactly as uploaded (never edited) with their SHA-256 fingerprint.
    """
    clinic = " ".join(clinic.split())
    if not clinic:
        raise InvalidInput("clinic", "name the clinic this library belongs to")
    if len(clinic) > 100:
        raise InvalidInput("clinic", "at most 100 characters")
    library = library_from_dict(document)
    if len(library.name) > 200 or len(library.version) > 100:
        raise InvalidInput("library", "name at most 200 and version at most 100 characters")
    user = actor.user
    record = DrugLibraryUpload(
        clinic=clinic,
        name=library.name,
        version=library.version,
        fingerprint=library_fingerprint(library),
        document=library.model_dump(mode="json"),
        note=note.strip()[:MAX_TEXT],
        uploaded_by_id=user.id if user else None,
        uploaded_by_name=(user.name or user.email) if user else "",
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=None,
        resource="dosing.drug_library",
        action="write",
        detail=f"library {record.id} for {clinic}: {library.name} {library.version} "
        f"sha256 {record.fingerprint}",
    )
    return record


def list_libraries(session: Session) -> list[DrugLibraryUpload]:
    """Every uploaded library, newest first."""
    query = select(DrugLibraryUpload).order_by(DrugLibraryUpload.id.desc())
    return list(session.scalars(query))


def get_library(session: Session, *, library_id: int) -> DrugLibraryUpload:
    record = session.get(DrugLibraryUpload, library_id)
    if record is None:
        raise NotFound("drug library not found")
    return record


def clinic_names(session: Session) -> list[str]:
    query = select(DrugLibraryUpload.clinic).distinct().order_by(DrugLibraryUpload.clinic)
    return list(session.scalars(query))


def current_library_of_clinic(session: Session, *, clinic: str) -> DrugLibraryUpload | None:
    query = (
        select(DrugLibraryUpload)
        .where(DrugLibraryUpload.clinic == clinic)
        .order_by(DrugLibraryUpload.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def _in_use(record: DrugLibraryUpload) -> LibraryInUse:
    library = library_from_dict(record.document)
    fingerprint = library_fingerprint(library)
    if fingerprint != record.fingerprint:  # the stored figures were altered outside Spinewise
        raise Conflict(
            f"drug library {record.id} no longer matches its recorded fingerprint; "
            "upload it again before programming"
        )
    return LibraryInUse(library, fingerprint, record.id, record.clinic)


def library_for_patient(session: Session, *, patient_id: int) -> LibraryInUse:
    """The newest library of the patient's clinic, or the shipped default."""
    settings = session.get(PumpSettings, patient_id)
    if settings is not None and settings.clinic:
        record = current_library_of_clinic(session, clinic=settings.clinic)
        if record is not None:
            return _in_use(record)
    return _shipped_in_use()


# --- pump settings and the pain profile -----------------------------------------------------------


@dataclass(frozen=True)
class PainProfile:
    """24 mean pain scores (0-10) by clock hour, and where they came from."""

    hourly: tuple[float, ...]
    source: str
    note: str = ""
    updated_at: datetime | None = None


def parse_pain_text(text: str) -> tuple[float, ...]:
    """24 numbers pasted as text (commas, spaces, tabs, semicolons or new lines between them)."""
    parts = [p for p in text.replace(";", " ").replace(",", " ").split() if p]
    values: list[float] = []
    for i, part in enumerate(parts):
        try:
            values.append(float(part))
        except ValueError:
            raise InvalidInput(f"pain[{i}]", f"{part!r} is not a number") from None
    return parse_pain_profile(values)


def hourly_pain_profile(session: Session, *, patient_id: int) -> PainProfile | None:
    """The hourly pain profile the planner and the chart use. HOOK for the pain diary.

    Today it is the profile a clinician entered or pasted on the pump page. When the pain
    diary stores time-stamped ratings, compute the mean rating per clock hour (patient's time
    zone, e.g. the last 28 days, hours without ratings filled from their neighbours) here and
    return it with ``source="pain diary"``; the planner, chart, API and pages need no change.
    """
    settings = session.get(PumpSettings, patient_id)
    if settings is None or settings.pain_profile is None:
        return None
    return PainProfile(
        tuple(float(v) for v in settings.pain_profile),
        source="entered by a clinician",
        note=settings.pain_profile_note,
        updated_at=settings.updated_at,
    )


def pump_settings(session: Session, *, patient_id: int) -> PumpSettings | None:
    return session.get(PumpSettings, patient_id)


def update_pump_settings(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    clinic: str | None,
    pain_profile: Sequence[float] | None,
    pain_profile_note: str = "",
) -> PumpSettings:
    """Set the clinic (whose library applies; None = shipped default) and the pain profile."""
    if clinic is not None:
        clinic = " ".join(clinic.split()) or None
    if clinic is not None and current_library_of_clinic(session, clinic=clinic) is None:
        raise InvalidInput("clinic", f"no drug library has been uploaded for {clinic!r}")
    hourly = None if pain_profile is None else list(parse_pain_profile(list(pain_profile)))
    settings = session.get(PumpSettings, patient.id)
    if settings is None:
        settings = PumpSettings(patient_id=patient.id)
        session.add(settings)
    settings.clinic = clinic
    settings.pain_profile = hourly
    settings.pain_profile_note = pain_profile_note.strip()[:300]
    settings.updated_at = utcnow()
    settings.updated_by_id = actor.user_id
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="dosing.pump_settings",
        action="write",
        detail=f"clinic={clinic or 'default'}; pain profile {'set' if hourly else 'cleared'}",
    )
    return settings


# --- checking -------------------------------------------------------------------------------------


def active_programme(session: Session, *, patient_id: int) -> PumpProgrammeVersion | None:
    query = select(PumpProgrammeVersion).where(
        PumpProgrammeVersion.patient_id == patient_id,
        PumpProgrammeVersion.status == ProgrammeStatus.active,
    )
    return session.scalar(query)


def pending_programme(session: Session, *, patient_id: int) -> PumpProgrammeVersion | None:
    query = select(PumpProgrammeVersion).where(
        PumpProgrammeVersion.patient_id == patient_id,
        PumpProgrammeVersion.status == ProgrammeStatus.awaiting_sign_off,
    )
    return session.scalar(query)


def with_recorded_previous_dose(
    programme: Programme, active: PumpProgrammeVersion | None
) -> Programme:
    """The programme with ``previous_daily_dose`` taken from the active version (see module)."""
    if active is None or normalise_drug_name(active.drug) != normalise_drug_name(programme.drug):
        return programme
    previous = active.max_daily_dose
    if programme.previous_daily_dose is not None:
        previous = min(previous, programme.previous_daily_dose)
    return programme_from_dict({**programme.to_dict(), "previous_daily_dose": previous})


@dataclass(frozen=True)
class DraftCheck:
    """A programme as it would be saved now, its check, and the library that checked it."""

    programme: Programme
    result: CheckResult
    library: LibraryInUse

    @property
    def needs_sign_off(self) -> bool:
        return self.result.ok and bool(self.result.warnings)

    @property
    def unit(self) -> str:
        return self.result.unit or "units"

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.result.to_dict(),
            "unit": self.result.unit,
            "previous_daily_dose": self.programme.previous_daily_dose,
            "needs_sign_off": self.needs_sign_off,
            "library": self.library.to_dict(),
        }


def check_draft(session: Session, *, patient_id: int, programme: Programme) -> DraftCheck:
    """Check a programme for this patient without saving it (the live check on the page)."""
    effective = with_recorded_previous_dose(
        programme, active_programme(session, patient_id=patient_id)
    )
    library = library_for_patient(session, patient_id=patient_id)
    return DraftCheck(effective, check_programme(effective, library.library), library)


# --- saving, signing off ------------------------------------------------------------------------


@dataclass
class SaveOutcome:
    version: PumpProgrammeVersion
    events: list[Event] = field(default_factory=list)


def local_today(patient: Patient) -> date:
    return datetime.now(ZoneInfo(patient.timezone)).date()


def _who(user: User | None) -> str:
    return (user.name or user.email) if user else "system"


def _clean_text(value: str, name: str, *, required: bool) -> str:
    value = value.strip()
    if required and len(value) < 3:
        raise InvalidInput(name, "say in a few words why (it is kept with the version)")
    if len(value) > MAX_TEXT:
        raise InvalidInput(name, f"at most {MAX_TEXT} characters")
    return value


def save_programme(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    programme: Programme,
    reason: str,
    soft_limit_reason: str = "",
    filled_on: date | None = None,
    source: ProgrammeSource | str = ProgrammeSource.api,
) -> SaveOutcome:
    """Save a programme as the patient's next version, or refuse it (nothing stored).

    Raises ``ProgrammeRejected`` (422, every violation) for a hard limit, ``InvalidInput``
    for a missing reason, or a soft-limit breach without its own reason.
    """
    user = actor.user
    if user is None or user.role != Role.clinician:
        raise Forbidden("only a clinician of the care team programmes a pump")
    source = ProgrammeSource(source)
    draft = check_draft(session, patient_id=patient.id, programme=programme)
    if not draft.result.ok:
        audit.record(
            session,
            actor=actor,
            patient_id=patient.id,
            resource="dosing.programme",
            action="refused",
            detail="hard limits broken: "
            + ", ".join(f"{v.rule} {v.value} > {v.limit}" for v in draft.result.violations),
        )
        rejected = ProgrammeRejected(draft.result.violations)
        rejected.keep_changes = True  # commit the audit entry only; nothing else was written
        raise rejected
    reason = _clean_text(reason, "reason", required=True)
    soft_limit_reason = _clean_text(soft_limit_reason, "soft_limit_reason", required=False)
    if draft.needs_sign_off and len(soft_limit_reason) < 3:
        warning = draft.result.warnings[0]
        raise InvalidInput(
            "soft_limit_reason",
            f"the maximum daily dose {warning.value:g} {draft.unit} is above the soft maximum "
            f"{warning.limit} {draft.unit}: record why, and a second clinician must sign off",
        )
    filled_on = filled_on or local_today(patient)
    refill = plan_refill(draft.programme, draft.library.library, filled_on)
    _lock_patient(session, patient_id=patient.id)
    number = (
        session.scalar(
            select(func.max(PumpProgrammeVersion.version)).where(
                PumpProgrammeVersion.patient_id == patient.id
            )
        )
        or 0
    ) + 1
    status = ProgrammeStatus.awaiting_sign_off if draft.needs_sign_off else ProgrammeStatus.active
    now = utcnow()
    # A newer version replaces any version still waiting for its sign-off, and an active one
    # replaces the active one (the database allows one of each per patient).
    _end(session, patient_id=patient.id, status=ProgrammeStatus.awaiting_sign_off, now=now)
    if status == ProgrammeStatus.active:
        _end(session, patient_id=patient.id, status=ProgrammeStatus.active, now=now)
    version = PumpProgrammeVersion(
        patient_id=patient.id,
        version=number,
        status=status,
        source=source,
        programme=draft.programme.to_dict(),
        drug=draft.programme.drug,
        unit=draft.unit,
        basal_daily_dose=float(draft.result.basal_daily_dose),
        max_daily_dose=float(draft.result.max_daily_dose),
        check_result=draft.to_dict(),
        library_id=draft.library.record_id,
        library_name=draft.library.library.name,
        library_version=draft.library.library.version,
        library_fingerprint=draft.library.fingerprint,
        filled_on=filled_on,
        refill_due_on=refill.due_on,
        reason=reason,
        soft_limit_reason=soft_limit_reason if draft.needs_sign_off else "",
        created_by_id=user.id,
        created_by_name=_who(user),
        created_at=now,
        activated_at=now if status == ProgrammeStatus.active else None,
    )
    session.add(version)
    session.flush()
    outcome = SaveOutcome(version)
    if status == ProgrammeStatus.active:
        outcome.events = [refill_event(session, version=version, refill=refill)]
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="dosing.programme",
        action="write",
        detail=f"version {version.version} saved ({version.status.value}, {source.value}): "
        f"{version.drug} max {version.max_daily_dose:g} {version.unit}/day; "
        f"library sha256 {version.library_fingerprint}",
    )
    return outcome


def _lock_patient(session: Session, *, patient_id: int) -> None:
    """Serialise programme changes of one patient (row lock on PostgreSQL; SQLite has one
    writer at a time anyway)."""
    session.execute(select(Patient.id).where(Patient.id == patient_id).with_for_update())


def _end(session: Session, *, patient_id: int, status: ProgrammeStatus, now: datetime) -> None:
    """End the patient's version in ``status``: an active one is superseded, a waiting one
    withdrawn."""
    ended = (
        ProgrammeStatus.superseded
        if status == ProgrammeStatus.active
        else ProgrammeStatus.withdrawn
    )
    session.execute(
        update(PumpProgrammeVersion)
        .where(PumpProgrammeVersion.patient_id == patient_id, PumpProgrammeVersion.status == status)
        .values(status=ended, ended_at=now)
    )


def refill_event(session: Session, *, version: PumpProgrammeVersion, refill: RefillPlan) -> Event:
    """The reminder for the care team: ``dosing.refill_due.<patient_id>``.

    The bus is live-only; the due date itself is stored on the version, so a reminders service
    that starts later reads :func:`upcoming_refills` instead of relying on the event.
    """
    team = session.scalars(
        select(CareTeamMember.clinician_id).where(CareTeamMember.patient_id == version.patient_id)
    )
    due_on = refill.due_on
    return Event(
        REFILL_TOPIC.format(patient_id=version.patient_id),
        {
            "type": "refill_due",
            "patient_id": version.patient_id,
            "programme_id": version.id,
            "version": version.version,
            "drug": version.drug,
            "filled_on": refill.filled_on.isoformat(),
            "due_on": None if due_on is None else due_on.isoformat(),
            "due_days": refill.due_days,
            "remind_from": None
            if due_on is None
            else (due_on - timedelta(days=REFILL_REMINDER_LEAD_DAYS)).isoformat(),
            "care_team": sorted(team),
        },
    )


def sign_off(session: Session, *, actor: Actor, patient: Patient, programme_id: int) -> SaveOutcome:
    """A second clinician of the care team signs off a version above the soft maximum."""
    user = actor.user
    if user is None or user.role != Role.clinician:
        raise Forbidden("only a clinician of the care team signs off a programme")
    member = session.scalar(
        select(CareTeamMember.id).where(
            CareTeamMember.patient_id == patient.id, CareTeamMember.clinician_id == user.id
        )
    )
    if member is None:
        raise Forbidden("only a clinician of this patient's care team signs off")
    _lock_patient(session, patient_id=patient.id)
    version = get_programme(session, patient_id=patient.id, programme_id=programme_id)
    if version.status != ProgrammeStatus.awaiting_sign_off:
        raise Conflict(
            f"version {version.version} is {version.status.value}, not awaiting sign-off"
        )
    if version.created_by_id == user.id:
        raise Forbidden("a second clinician must sign off: you saved this version")
    # Check again against the library in use now: it must be the one that approved the version.
    library = library_for_patient(session, patient_id=patient.id)
    if library.fingerprint != version.library_fingerprint:
        raise Conflict(
            "the drug library changed since this version was saved; save it again so it is "
            "checked against the current library"
        )
    programme = programme_from_dict(version.programme)
    result = check_programme(programme, library.library)
    if not result.ok:  # unreachable unless the stored row was altered: refuse all the same
        raise ProgrammeRejected(result.violations)
    refill = plan_refill(programme, library.library, version.filled_on)
    now = utcnow()
    version.signed_off_by_id = user.id
    version.signed_off_by_name = _who(user)
    version.signed_off_at = now
    _end(session, patient_id=patient.id, status=ProgrammeStatus.active, now=now)
    version.status = ProgrammeStatus.active
    version.activated_at = now
    session.flush()
    events = [refill_event(session, version=version, refill=refill)]
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="dosing.programme",
        action="sign-off",
        detail=f"version {version.version} signed off by a second clinician; now active",
    )
    return SaveOutcome(version, events)


# --- events after commit -------------------------------------------------------------------------


def publish_after_commit(session: Session, bus: EventBus, events: Sequence[Event]) -> None:
    """Publish ``events`` on ``bus`` once ``session`` commits; nothing if it rolls back.

    The request's session commits when the route's dependencies close, after the route has
    returned, so a route cannot publish itself without risking an event about data that is
    then rolled back. This hooks SQLAlchemy's ``after_commit``: the events go out from the
    worker thread that committed, through the app's event loop. (A candidate for ``core/``:
    any domain publishing from a synchronous route needs the same.)
    """
    if not events:
        return
    pending = list(events)

    def _after_commit(_session: Session) -> None:
        for item in pending:
            try:
                anyio.from_thread.run(bus.publish, item.topic, item.payload)
            except Exception:  # live-only delivery: the stored data stays the source of truth
                log.exception("dosing.publish_failed", topic=item.topic)

    def _after_rollback(_session: Session) -> None:
        if event.contains(session, "after_commit", _after_commit):
            event.remove(session, "after_commit", _after_commit)

    event.listen(session, "after_commit", _after_commit, once=True)
    event.listen(session, "after_rollback", _after_rollback, once=True)


# --- reading --------------------------------------------------------------------------------------


def list_programmes(
    session: Session, *, patient_id: int, offset: int = 0, limit: int = 100
) -> tuple[list[PumpProgrammeVersion], int]:
    """The patient's programme versions, newest first, and how many there are."""
    where = PumpProgrammeVersion.patient_id == patient_id
    total = session.scalar(select(func.count(PumpProgrammeVersion.id)).where(where)) or 0
    query = (
        select(PumpProgrammeVersion)
        .where(where)
        .order_by(PumpProgrammeVersion.version.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query)), total


def get_programme(session: Session, *, patient_id: int, programme_id: int) -> PumpProgrammeVersion:
    """A version of this patient's programme (the patient was access-checked by the caller)."""
    version = session.scalar(
        select(PumpProgrammeVersion).where(
            PumpProgrammeVersion.id == programme_id,
            PumpProgrammeVersion.patient_id == patient_id,
        )
    )
    if version is None:
        raise NotFound("programme version not found")
    return version


def stored_programme(version: PumpProgrammeVersion) -> Programme:
    return programme_from_dict(version.programme)


def refill_status(session: Session, *, patient_id: int) -> PumpProgrammeVersion | None:
    """The active version, which carries the refill date (None: no active programme)."""
    return active_programme(session, patient_id=patient_id)


def upcoming_refills(
    session: Session, *, today: date, within_days: int = REFILL_REMINDER_LEAD_DAYS
) -> list[PumpProgrammeVersion]:
    """Active programmes whose refill is due on or before ``today + within_days``.

    HOOK for the reminders service: on start-up and once a day it can read this (the stored
    truth) and subscribe to ``dosing.refill_due.*`` for changes in between.
    """
    query = (
        select(PumpProgrammeVersion)
        .where(
            PumpProgrammeVersion.status == ProgrammeStatus.active,
            PumpProgrammeVersion.refill_due_on.is_not(None),
            PumpProgrammeVersion.refill_due_on <= today + timedelta(days=within_days),
        )
        .order_by(PumpProgrammeVersion.refill_due_on)
    )
    return list(session.scalars(query))


# --- simulation and planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCurve:
    """Model level over the last of ``SIMULATED_DAYS`` days: hour of day and unit/mL."""

    hour_of_day: list[float]
    level: list[float]
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"hour_of_day": self.hour_of_day, "level": self.level, "unit": self.unit}


def level_curve(programme: Programme, library: DrugLibrary) -> LevelCurve | None:
    """Closed-form level over a day at (near) steady state; None for a drug not in the library."""
    entry = library.get(programme.drug)
    if entry is None:
        return None
    last = simulate(programme, entry.pk, days=SIMULATED_DAYS, step_min=CHART_STEP_MIN).last_day()
    hours = (last.t_h - last.t_h[0]).tolist()
    return LevelCurve(hours, last.concentration.tolist(), f"{entry.unit}/mL")


@dataclass(frozen=True)
class PlanOutcome:
    plan: PlanResult
    pain: PainProfile
    library: LibraryInUse


def plan_for_patient(
    session: Session,
    *,
    patient_id: int,
    programme: Programme | None = None,
    pain: Sequence[float] | None = None,
    max_steps: int = 4,
) -> PlanOutcome:
    """The planner's suggestion for ``programme`` (default: the active one); never stored.

    ``pain`` defaults to :func:`hourly_pain_profile`. The suggestion keeps or lowers the daily
    dose and passes the check; it is saved only through :func:`save_programme`, which checks it
    again like any other programme.
    """
    if programme is None:
        active = active_programme(session, patient_id=patient_id)
        if active is None:
            raise InvalidInput("programme", "there is no active programme to plan from: send one")
        programme = stored_programme(active)
    if pain is None:
        profile = hourly_pain_profile(session, patient_id=patient_id)
        if profile is None:
            raise InvalidInput(
                "pain", "no hourly pain profile is recorded for this patient: enter 24 numbers"
            )
    else:
        profile = PainProfile(parse_pain_profile(list(pain)), source="sent with the request")
    draft = check_draft(session, patient_id=patient_id, programme=programme)
    plan = plan_schedule(
        draft.programme, draft.library.library, profile.hourly, max_steps=max_steps
    )
    return PlanOutcome(plan, profile, draft.library)


# --- patient bolus log ---------------------------------------------------------------------------


def log_bolus(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    taken_at: datetime,
    relief: int,
    note: str = "",
) -> BolusActivation:
    """The patient records a bolus they activated and how much it helped (0-10)."""
    user = actor.user
    if user is None or patient.user_id != user.id:
        raise Forbidden("patients log their own bolus activations")
    if taken_at.tzinfo is None:
        raise InvalidInput("taken_at", "needs a time zone (e.g. 2026-11-28T07:30:00+00:00)")
    if taken_at > utcnow() + timedelta(minutes=5):
        raise InvalidInput("taken_at", "is in the future")
    if taken_at < utcnow() - timedelta(days=31):
        raise InvalidInput("taken_at", "is more than a month ago")
    if isinstance(relief, bool) or not isinstance(relief, int) or not 0 <= relief <= 10:
        raise InvalidInput("relief", "must be a whole number from 0 (none) to 10 (complete)")
    active = active_programme(session, patient_id=patient.id)
    entry = BolusActivation(
        patient_id=patient.id,
        programme_id=active.id if active else None,
        taken_at=taken_at,
        relief=relief,
        note=note.strip()[:500],
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="dosing.bolus",
        action="write",
        detail=f"bolus at {taken_at.isoformat()} relief {relief}",
    )
    return entry


def list_boluses(session: Session, *, patient_id: int, limit: int = 100) -> list[BolusActivation]:
    query = (
        select(BolusActivation)
        .where(BolusActivation.patient_id == patient_id)
        .order_by(BolusActivation.taken_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


# --- demo -----------------------------------------------------------------------------------------

DEMO_PROGRAMME: dict[str, Any] = {
    # DEMO DATA: a plausible flat intrathecal morphine programme inside the shipped library's
    # limits (0.6 mL/day x 10 mg/mL = 6 mg/day basal; 3 boluses of 0.25 mg; max 6.75 mg/day).
    "drug": "morphine",
    "concentration": 10,
    "reservoir_ml": 20,
    "fill_volume_ml": 20,
    "steps": [{"start": "00:00", "rate_ml_per_day": 0.6}],
    "bolus": {"dose": 0.25, "lockout_min": 120, "max_per_day": 3},
}
# DEMO DATA (synthetic): mean pain by clock hour peaking 06:00-10:00, as in docs/dosing.md.
DEMO_PAIN = [3, 3, 3, 3, 3, 4, 7, 8, 8, 7, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3]


def seed_dosing(session: Session, *, patient: Patient, clinician: User) -> None:
    """DEMO: an intrathecal morphine pump programme and a synthetic pain profile (idempotent)."""
    if active_programme(session, patient_id=patient.id) is not None:
        return
    actor = Actor(clinician, "demo")
    update_pump_settings(
        session,
        actor=actor,
        patient=patient,
        clinic=None,
        pain_profile=DEMO_PAIN,
        pain_profile_note="DEMO: synthetic morning-peak profile, not a real diary",
    )
    save_programme(
        session,
        actor=actor,
        patient=patient,
        programme=programme_from_dict(DEMO_PROGRAMME),
        reason="DEMO programme (fictional patient): flat intrathecal morphine after trial",
        filled_on=local_today(patient) - timedelta(days=10),
        source=ProgrammeSource.form,
    )
