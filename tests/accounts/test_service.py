"""Account use cases on both engines: sign-up rules, lockout, care teams, invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spinewise.accounts import service
from spinewise.accounts.models import Role
from spinewise.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
)
from spinewise.core.permissions import readable_patients
from spinewise.db import unit_of_work
from tests.conftest import PASSWORD, World


def test_e_mails_are_normalised_so_one_address_has_one_account(session_factory) -> None:
    with unit_of_work(session_factory) as session:
        user = service.create_user(
            session, email="  New.Person@Example.ORG ", password=PASSWORD, role="clinician"
        )
        assert user.email == "new.person@example.org"
        with pytest.raises(Conflict):
            service.create_user(
                session, email="new.person@example.org", password=PASSWORD, role="patient"
            )


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("email", {"email": "not-an-address"}),
        ("role", {"role": "surgeon"}),
        ("password", {"password": "short"}),
        ("timezone", {"timezone": "Mars/Olympus"}),
    ],
)
def test_bad_account_details_are_refused_naming_the_field(
    session_factory, field: str, kwargs: dict
) -> None:
    details = {
        "email": "x@example.org",
        "password": PASSWORD,
        "role": "patient",
        "timezone": "UTC",
        **kwargs,
    }
    with unit_of_work(session_factory) as session, pytest.raises(InvalidInput) as caught:
        service.create_user(session, **details)
    assert caught.value.field == field


def test_a_patient_account_comes_with_a_health_profile(session_factory) -> None:
    with unit_of_work(session_factory) as session:
        user = service.create_user(
            session,
            email="p@example.org",
            password=PASSWORD,
            role=Role.patient,
            timezone="Europe/London",
        )
        patient = service.patient_of(session, user=user)
        assert patient is not None and patient.timezone == "Europe/London"


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(
    session_factory, world: World
) -> None:
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    email = world.patient_1.email
    with unit_of_work(session_factory) as session:
        for _ in range(9):
            with pytest.raises(NotAuthenticated):
                service.authenticate(
                    session,
                    email=email,
                    password="wrong-guess-0",
                    threshold=10,
                    cooldown_s=900,
                    now=now,
                )
        assert service.authenticate(
            session, email=email, password=PASSWORD, threshold=10, cooldown_s=900, now=now
        )
        for _ in range(10):
            with pytest.raises(NotAuthenticated):
                service.authenticate(
                    session,
                    email=email,
                    password="wrong-guess-1",
                    threshold=10,
                    cooldown_s=900,
                    now=now,
                )
        with pytest.raises(TooManyAttempts) as locked:
            service.authenticate(
                session, email=email, password=PASSWORD, threshold=10, cooldown_s=900, now=now
            )
        assert locked.value.retry_after_s == 901
        later = now + timedelta(seconds=901)
        assert service.authenticate(
            session, email=email, password=PASSWORD, threshold=10, cooldown_s=900, now=later
        )


def test_an_unknown_e_mail_gets_the_same_answer_as_a_wrong_password(session_factory) -> None:
    with (
        unit_of_work(session_factory) as session,
        pytest.raises(NotAuthenticated, match="wrong e-mail or password"),
    ):
        service.authenticate(
            session, email="nobody@example.org", password=PASSWORD, threshold=10, cooldown_s=900
        )


def test_care_team_membership_is_what_lets_a_clinician_see_a_patient(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        clinician_b = service.get_user_by_email(session, world.clinician_b.email)
        assert clinician_b is not None
        before = {p.id for p in session.scalars(readable_patients(clinician_b))}
        assert before == {world.patient_3.patient_id}
        assert service.add_to_care_team(
            session, clinician_email=world.clinician_b.email, patient_email=world.patient_1.email
        )
        assert not service.add_to_care_team(
            session, clinician_email=world.clinician_b.email, patient_email=world.patient_1.email
        )
        after = {p.id for p in session.scalars(readable_patients(clinician_b))}
        assert after == {world.patient_1.patient_id, world.patient_3.patient_id}


def test_care_team_add_names_the_missing_person(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session, pytest.raises(NotFound, match="no clinician"):
        service.add_to_care_team(
            session, clinician_email=world.patient_1.email, patient_email=world.patient_2.email
        )


def test_an_invitation_works_once_and_puts_the_patient_in_the_inviters_team(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        clinician = service.get_user_by_email(session, world.clinician_b.email)
        assert clinician is not None
        raw = service.create_invite(
            session,
            clinician=clinician,
            email="new@example.org",
            name="New Patient",
            max_age_s=3600,
        )
    with unit_of_work(session_factory) as session:
        user = service.accept_invite(
            session,
            raw=raw,
            password=PASSWORD,
            name="",
            date_of_birth=None,
            sex="female",
            timezone="UTC",
        )
        assert user.name == "New Patient" and user.role == Role.patient
        patient = service.patient_of(session, user=user)
        assert patient is not None
        assert [c.email for c in service.care_team(session, patient_id=patient.id)] == [
            world.clinician_b.email
        ]
    with unit_of_work(session_factory) as session, pytest.raises(NotFound, match="not valid"):
        service.pending_invite(session, raw=raw)


def test_deactivating_an_account_revokes_its_tokens(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        service.set_active(session, user_id=world.patient_1.user_id, active=False)
    with unit_of_work(session_factory) as session:
        assert service.resolve_token(session, raw=world.patient_1.token, kind="api") is None  # type: ignore[arg-type]
