"""Helpers for consultation tests: actors from the seeded world and a third clinician who is in
patient 1's care team but takes no part in the appointments the tests book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import User
from spinewise.consults import service
from spinewise.consults.scheduling import WeeklyRule
from spinewise.core.audit import Actor
from spinewise.core.models import TokenKind
from spinewise.db import unit_of_work
from tests.conftest import PASSWORD, Person, World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
FAR_MONDAY = datetime(2030, 7, 1, tzinfo=UTC)  # a Monday well in the future


def actor_for(session: Session, person: Person) -> Actor:
    user = session.get(User, person.user_id)
    assert user is not None
    return Actor(user, client_addr="test")


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = datetime.now(UTC).date() + timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@pytest.fixture
def clinician_c(session_factory, world: World) -> Person:  # type: ignore[no-untyped-def]
    """Dr Cy: in patient 1's care team, but not the clinician of the tests' appointments."""
    with unit_of_work(session_factory) as session:
        user = accounts.create_user(
            session, email="clin.c@example.org", password=PASSWORD, role="clinician", name="Dr Cy"
        )
        raw, _ = accounts.issue_token(session, user=user, kind=TokenKind.api, max_age_s=86400)
        accounts.add_to_care_team(
            session, clinician_email="clin.c@example.org", patient_email=world.patient_1.email
        )
        return Person("clin.c@example.org", "clinician", raw, user.id)


@dataclass(frozen=True)
class Booked:
    appointment_id: int
    start: datetime


def book(
    session_factory,  # type: ignore[no-untyped-def]
    clinician: Person,
    patient: Person,
    start: datetime,
    *,
    duration_min: int = 30,
    kind: str = "video",
    now: datetime | None = None,
) -> Booked:
    with unit_of_work(session_factory) as session:
        appointment = service.book_appointment(
            session,
            actor=actor_for(session, clinician),
            patient_id=patient.patient_id,
            start=start,
            duration_min=duration_min,
            kind=kind,
            now=now,
        )
        return Booked(appointment.id, appointment.start_at)


def weekday_hours(session_factory, clinician: Person, timezone: str = "UTC") -> None:  # type: ignore[no-untyped-def]
    """Monday to Friday 09:00–17:00 in ``timezone``, 30-minute slots."""
    with unit_of_work(session_factory) as session:
        user = session.get(User, clinician.user_id)
        assert user is not None
        service.set_availability(
            session,
            clinician=user,
            timezone=timezone,
            slot_min=30,
            rules=[WeeklyRule(d, time(9), time(17)) for d in range(5)],
        )
