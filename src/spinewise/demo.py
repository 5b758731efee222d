"""Demo data: one clinician, three patients with plausible profiles, and an administrator.

Every account here is fictional and for local demonstration only; ``spinewise demo`` refuses to
run with ``SPINEWISE_ENV=production``. The passwords are printed on purpose (they are demo
logins, not secrets). Re-running updates the same accounts instead of duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role, Sex
from spinewise.consults import service as consults
from spinewise.core.security import hash_password
from spinewise.outcomes import service as outcomes
from spinewise.rehab import service as rehab

DEMO_PASSWORD = "spinewise-demo-2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: Role
    date_of_birth: date | None = None
    sex: Sex = Sex.unknown
    timezone: str = "Europe/London"
    history: tuple[str, ...] = ()
    notes: str = ""


CLINICIAN = DemoPerson(
    "clinician@demo.spinewise.org", "Dr Amira Haddad (physiotherapist)", Role.clinician
)
ADMIN = DemoPerson("admin@demo.spinewise.org", "Sam Ortega (administrator)", Role.admin)
PATIENTS = (
    DemoPerson(
        "olivia@demo.spinewise.org",
        "Olivia Bennett",
        Role.patient,
        date(1984, 3, 14),
        Sex.female,
        notes="Office worker, 6 weeks of non-specific low back pain after moving house.",
    ),
    DemoPerson(
        "james@demo.spinewise.org",
        "James Okafor",
        Role.patient,
        date(1962, 11, 2),
        Sex.male,
        "America/New_York",
        ("osteoporosis",),
        "Warehouse supervisor; chronic low back pain for 2 years.",
    ),
    DemoPerson(
        "mei@demo.spinewise.org",
        "Mei Tanaka",
        Role.patient,
        date(1975, 7, 29),
        Sex.female,
        history=("spinal_surgery", "cancer_history"),
        notes="L5/S1 microdiscectomy 5 weeks ago; breast cancer treated in 2015, in remission.",
    ),
)


def seed(session: Session) -> list[DemoPerson]:
    """Create or refresh the demo accounts; returns them in the order they are printed."""
    people = [CLINICIAN, *PATIENTS, ADMIN]
    for person in people:
        user = accounts.get_user_by_email(session, person.email)
        if user is None:
            user = accounts.create_user(
                session,
                email=person.email,
                password=DEMO_PASSWORD,
                role=person.role,
                name=person.name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                timezone=person.timezone,
            )
        else:
            user.name = person.name
            user.password_hash = hash_password(DEMO_PASSWORD)
            user.is_active = True
            user.failed_logins = 0
            user.locked_until = None
        if person.role == Role.patient:
            patient = session.scalar(select(Patient).where(Patient.user_id == user.id))
            assert patient is not None
            patient.date_of_birth = person.date_of_birth
            patient.sex = person.sex
            patient.timezone = person.timezone
            patient.history_notes = person.notes
            for flag in ("cancer_history", "osteoporosis", "spinal_surgery"):
                setattr(patient, flag, flag in person.history)
            accounts.add_to_care_team(
                session, clinician_email=CLINICIAN.email, patient_email=person.email
            )
    session.flush()
    _seed_posture(session)
    patient_emails = [p.email for p in PATIENTS]
    rehab.seed_rehab(session, clinician_email=CLINICIAN.email, patient_emails=patient_emails)
    outcomes.seed_outcomes(session, clinician_email=CLINICIAN.email, patient_emails=patient_emails)
    consults.seed_consults(
        session, clinician_email=CLINICIAN.email, patient_emails=[p.email for p in PATIENTS]
    )
    _seed_dosing(session)
    _seed_predict(session)
    _seed_robotics(session)
    _seed_reminders(session)
    _seed_assistant(session)
    return people


DEMO_POSTURE = {
    "olivia@demo.spinewise.org": "office",
    "james@demo.spinewise.org": "warehouse",
    "mei@demo.spinewise.org": "home",
}


def _seed_posture(session: Session) -> None:
    """A week of simulated sensor wear per demo patient (labelled simulated in the app)."""
    from spinewise.devices.service import seed_demo

    for email, scenario in DEMO_POSTURE.items():
        user = accounts.get_user_by_email(session, email)
        assert user is not None
        patient = accounts.patient_of(session, user=user)
        assert patient is not None
        seed_demo(session, patient=patient, scenario=scenario)


def _seed_reminders(session: Session) -> None:
    """Medication, exercise and posture-break reminders with two weeks of SYNTHETIC answers."""
    from spinewise.reminders.service import seed_demo

    clinician = accounts.get_user_by_email(session, CLINICIAN.email)
    user = accounts.get_user_by_email(session, "olivia@demo.spinewise.org")
    assert clinician is not None and user is not None
    patient = accounts.patient_of(session, user=user)
    assert patient is not None
    seed_demo(session, patient=patient, created_by=clinician.id)


DEMO_PUMP_PATIENT = "james@demo.spinewise.org"


def _seed_dosing(session: Session) -> None:
    """DEMO: an intrathecal morphine pump programme for one fictional patient."""
    from spinewise.dosing.service import seed_dosing

    user = accounts.get_user_by_email(session, DEMO_PUMP_PATIENT)
    clinician = accounts.get_user_by_email(session, CLINICIAN.email)
    assert user is not None and clinician is not None
    patient = accounts.patient_of(session, user=user)
    assert patient is not None
    seed_dosing(session, patient=patient, clinician=clinician)


def _seed_predict(session: Session) -> None:
    """One clinician's assessment per demo patient, so the decision-support panel shows results."""
    from spinewise.predict.service import seed_demo

    seed_demo(session, clinician_email=CLINICIAN.email)


def _seed_robotics(session: Session) -> None:
    """Limits, a protocol and one past session on the simulated robot (labelled simulated)."""
    from spinewise.robotics.service import seed_demo

    clinician = accounts.get_user_by_email(session, CLINICIAN.email)
    user = accounts.get_user_by_email(session, "olivia@demo.spinewise.org")
    assert clinician is not None and user is not None
    patient = accounts.patient_of(session, user=user)
    assert patient is not None
    seed_demo(session, patient=patient, clinician=clinician, mass_kg=66.0, height_m=1.67)


def _seed_assistant(session: Session) -> None:
    """SYNTHETIC assistant conversations: help-centre answers, a pending pain log, and one
    urgent message (new night pain after cancer) flagged on the clinician's dashboard."""
    from spinewise.assistant.service import seed_demo

    seed_demo(session)
