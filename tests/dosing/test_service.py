"""Pump programme use cases as a specification: versions, refusals, sign-off, libraries, refills.

Numbers come from hand calculations written next to them; the synthetic library of
``conftest.py`` has round limits (testorphine: ≤ 10 mg/mL, soft 4 / hard 6 mg/day, +20 %/day,
bolus ≤ 0.5 mg, lockout ≥ 60 min, ≤ 4 a day; pump 0.1–2 mL/day, alarm 2 mL).
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from spinewise.accounts.models import Patient, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, Forbidden, InvalidInput
from spinewise.db import unit_of_work
from spinewise.dosing import service
from spinewise.dosing.check import ProgrammeRejected
from spinewise.dosing.doses import max_daily_dose
from spinewise.dosing.library import default_library, library_fingerprint
from spinewise.dosing.models import DrugLibraryUpload, ProgrammeStatus, PumpProgrammeVersion
from spinewise.dosing.programme import programme_from_dict
from tests.conftest import Person, World

from .conftest import BASE_PROGRAMME, FLAT_MORPHINE, MORNING_PEAK_PAIN, SYNTHETIC_LIBRARY

# The flat morphine programme without a claimed baseline (the service supplies it).
MORPHINE = {k: v for k, v in FLAT_MORPHINE.items() if k != "previous_daily_dose"}


def _people(session: Any, world: World, who: Person) -> tuple[Actor, Patient]:
    user = session.get(User, who.user_id)
    return Actor(user, "test"), session.get(Patient, world.patient_1.patient_id)


def _save(session_factory: Any, world: World, data: dict[str, Any], **kwargs: Any) -> Any:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, world.clinician_a)
        outcome = service.save_programme(
            session,
            actor=actor,
            patient=patient,
            programme=programme_from_dict(copy.deepcopy(data)),
            reason=kwargs.pop("reason", "after the trial"),
            **kwargs,
        )
        return outcome


def _versions(session_factory: Any, patient_id: int) -> list[PumpProgrammeVersion]:
    with unit_of_work(session_factory) as session:
        return service.list_programmes(session, patient_id=patient_id)[0]


def _use_synthetic_library(session_factory: Any, world: World) -> str:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, world.clinician_a)
        record = service.upload_library(
            session, actor=actor, clinic="Test clinic", document=copy.deepcopy(SYNTHETIC_LIBRARY)
        )
        service.update_pump_settings(
            session, actor=actor, patient=patient, clinic="Test clinic", pain_profile=None
        )
        return record.fingerprint


def test_a_programme_within_the_limits_becomes_version_1_with_who_why_and_library(
    session_factory: Any, world: World
) -> None:
    outcome = _save(session_factory, world, FLAT_MORPHINE, filled_on=date(2026, 1, 1))
    version = outcome.version
    assert (version.version, version.status) == (1, ProgrammeStatus.active)
    assert version.created_by_name == "Dr Ada Clinician" and version.reason == "after the trial"
    # The shipped library approved it, and its fingerprint is recorded with the version.
    assert version.library_id is None
    assert version.library_fingerprint == library_fingerprint(default_library())
    # 0.6 mL/day x 10 mg/mL = 6 mg basal; + 3 x 0.25 mg = 6.75 mg maximum.
    assert (version.basal_daily_dose, version.max_daily_dose, version.unit) == (6, 6.75, "mg")
    # Refill: (20 - 2 mL alarm) / (0.6 + 3 x 0.25 / 10 mL/day) = 18 / 0.675 = 26.67 days,
    # rounded down: 2026-01-01 + 26 days.
    assert version.refill_due_on == date(2026, 1, 27)


def test_every_save_is_a_new_version_and_the_old_one_is_superseded(
    session_factory: Any, world: World
) -> None:
    _save(session_factory, world, FLAT_MORPHINE)
    lower = {**FLAT_MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 0.5}]}
    _save(session_factory, world, lower, reason="less drowsy")
    history = _versions(session_factory, world.patient_1.patient_id)
    assert [(v.version, v.status, v.reason) for v in history] == [
        (2, ProgrammeStatus.active, "less drowsy"),
        (1, ProgrammeStatus.superseded, "after the trial"),
    ]
    assert history[1].ended_at is not None


def test_a_programme_that_breaks_a_hard_limit_is_refused_stored_nowhere_and_audited(
    session_factory: Any, world: World
) -> None:
    # 1.6 mL/day x 10 mg/mL = 16 mg + 0.75 mg bolus = 16.75 mg > the 15 mg PACC 2017 maximum.
    too_much = {**FLAT_MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 1.6}]}
    with pytest.raises(ProgrammeRejected) as refused:
        _save(session_factory, world, too_much)
    assert [v.rule for v in refused.value.violations] == ["daily_dose_hard_max", "daily_increase"]
    assert refused.value.to_dict()["violations"][0] == {
        "rule": "daily_dose_hard_max",
        "limit": 15,
        "value": 16.75,
    }
    assert _versions(session_factory, world.patient_1.patient_id) == []
    with unit_of_work(session_factory) as session:  # the refusal itself was kept in the log
        entries = audit.tail(session, patient_id=world.patient_1.patient_id)
    assert entries[0].action == "refused" and "daily_dose_hard_max" in entries[0].detail


def test_the_daily_increase_baseline_is_the_active_version_not_the_clients_claim(
    session_factory: Any, world: World
) -> None:
    _save(session_factory, world, FLAT_MORPHINE)  # active maximum 6.75 mg/day
    # 0.74 mL/day -> 7.4 + 0.75 = 8.15 mg > 6.75 x 1.2 = 8.1 mg; the client claims 100 mg.
    claim = {
        **FLAT_MORPHINE,
        "steps": [{"start": "00:00", "rate_ml_per_day": 0.74}],
        "previous_daily_dose": 100,
    }
    with pytest.raises(ProgrammeRejected) as refused:
        _save(session_factory, world, claim)
    violation = refused.value.violations[0]
    assert violation.rule == "daily_increase" and violation.limit == pytest.approx(8.1)
    # A lower (stricter) client baseline is honoured: 5 x 1.2 = 6 < 6.75 mg.
    stricter = {**FLAT_MORPHINE, "previous_daily_dose": 5}
    with pytest.raises(ProgrammeRejected, match="daily_increase"):
        _save(session_factory, world, stricter)


def test_above_the_soft_maximum_needs_a_reason_and_waits_for_a_second_clinician(
    session_factory: Any, world: World, second_clinician: Person
) -> None:
    # Titrate morphine (shipped library: soft 10, hard 15 mg/day, at most +20 % a day).
    _save(session_factory, world, MORPHINE)  # 6 + 3 x 0.25 = 6.75 mg/day
    step_1 = {**MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 0.735}]}
    _save(session_factory, world, step_1)  # 7.35 + 0.75 = 8.1 mg = 6.75 x 1.2 exactly
    step_2 = {**MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 0.89}]}
    # 8.9 + 0.75 = 9.65 mg <= 8.1 x 1.2 = 9.72 mg, below the soft maximum: active at once.
    assert _save(session_factory, world, step_2).version.status == ProgrammeStatus.active
    above_soft = {**MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 1.0}]}
    # 10 + 0.75 = 10.75 mg: above the soft maximum (10), within 9.65 x 1.2 = 11.58 and 15.
    with pytest.raises(InvalidInput) as missing:
        _save(session_factory, world, above_soft)
    assert missing.value.field == "soft_limit_reason"
    pending = _save(
        session_factory, world, above_soft, soft_limit_reason="breakthrough pain despite rise"
    ).version
    assert pending.status == ProgrammeStatus.awaiting_sign_off
    with unit_of_work(session_factory) as session:
        assert service.active_programme(session, patient_id=pending.patient_id).version == 3

    with unit_of_work(session_factory) as session, pytest.raises(Forbidden, match="second"):
        actor, patient = _people(session, world, world.clinician_a)
        service.sign_off(session, actor=actor, patient=patient, programme_id=pending.id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, second_clinician)
        outcome = service.sign_off(session, actor=actor, patient=patient, programme_id=pending.id)
    assert outcome.version.status == ProgrammeStatus.active
    assert outcome.version.signed_off_by_name == "Dr Cleo Second"
    assert [e.topic for e in outcome.events] == [f"dosing.refill_due.{pending.patient_id}"]
    statuses = [v.status for v in _versions(session_factory, world.patient_1.patient_id)]
    assert statuses == [ProgrammeStatus.active] + [ProgrammeStatus.superseded] * 3


def test_a_clinician_outside_the_care_team_cannot_sign_off(
    session_factory: Any, world: World
) -> None:
    above_soft = {**MORPHINE, "steps": [{"start": "00:00", "rate_ml_per_day": 1.0}]}  # 10.75 mg
    pending = _save(session_factory, world, above_soft, soft_limit_reason="severe pain").version
    with unit_of_work(session_factory) as session:
        outsider = session.get(User, world.clinician_b.user_id)
        patient = session.get(Patient, world.patient_1.patient_id)
        with pytest.raises(Forbidden, match="care team"):
            service.sign_off(
                session, actor=Actor(outsider), patient=patient, programme_id=pending.id
            )


def test_a_newer_version_withdraws_one_still_waiting_for_sign_off(
    session_factory: Any, world: World
) -> None:
    first = MORPHINE
    above_soft = {**first, "steps": [{"start": "00:00", "rate_ml_per_day": 1.0}]}  # 10.75 mg
    pending = _save(session_factory, world, above_soft, soft_limit_reason="severe pain").version
    _save(session_factory, world, first)
    with unit_of_work(session_factory) as session:
        again = service.get_programme(
            session, patient_id=pending.patient_id, programme_id=pending.id
        )
        assert again.status == ProgrammeStatus.withdrawn
        with pytest.raises(Conflict):
            actor = Actor(session.get(User, world.clinician_a.user_id))
            service.sign_off(
                session,
                actor=actor,
                patient=session.get(Patient, pending.patient_id),
                programme_id=pending.id,
            )


def test_the_refill_event_names_the_care_team_and_a_reminder_a_week_ahead(
    session_factory: Any, world: World
) -> None:
    outcome = _save(session_factory, world, FLAT_MORPHINE, filled_on=date(2026, 1, 1))
    (event,) = outcome.events
    assert event.topic == f"dosing.refill_due.{world.patient_1.patient_id}"
    assert event.payload["due_on"] == "2026-01-27" and event.payload["remind_from"] == "2026-01-20"
    assert event.payload["care_team"] == [world.clinician_a.user_id]
    with unit_of_work(session_factory) as session:
        due = service.upcoming_refills(session, today=date(2026, 1, 20))
        assert [v.id for v in due] == [outcome.version.id]
        assert service.upcoming_refills(session, today=date(2026, 1, 19)) == []


def test_a_clinic_library_checks_the_patients_programmes_and_is_recorded(
    session_factory: Any, world: World
) -> None:
    fingerprint = _use_synthetic_library(session_factory, world)
    # BASE_PROGRAMME sits exactly on every synthetic hard limit (6 mg/day, +20 % of 5 mg).
    version = _save(
        session_factory, world, BASE_PROGRAMME, soft_limit_reason="at the hard maximum"
    ).version
    assert version.library_fingerprint == fingerprint and version.library_id is not None
    assert version.library_name == "synthetic test library"
    # Morphine is not in the clinic's library: refused.
    with pytest.raises(ProgrammeRejected, match="unknown_drug"):
        _save(session_factory, world, FLAT_MORPHINE)


def test_an_invalid_library_is_refused_and_nothing_is_stored(
    session_factory: Any, world: World
) -> None:
    bad = copy.deepcopy(SYNTHETIC_LIBRARY)
    bad["drugs"]["testorphine"]["daily_dose_soft_max"] = 7  # above the hard maximum (6)
    with unit_of_work(session_factory) as session:
        actor, _ = _people(session, world, world.clinician_a)
        with pytest.raises(InvalidInput, match="must not exceed"):
            service.upload_library(session, actor=actor, clinic="X", document=bad)
        assert session.scalar(select(func.count(DrugLibraryUpload.id))) == 0


def test_a_library_altered_in_the_database_is_refused_until_uploaded_again(
    session_factory: Any, world: World
) -> None:
    _use_synthetic_library(session_factory, world)
    edited = copy.deepcopy(SYNTHETIC_LIBRARY)
    edited["drugs"]["testorphine"]["daily_dose_hard_max"] = 60
    with unit_of_work(session_factory) as session:
        session.execute(update(DrugLibraryUpload).values(document=edited))
    with pytest.raises(Conflict, match="fingerprint"):
        _save(session_factory, world, BASE_PROGRAMME, soft_limit_reason="x" * 5)


def test_the_pain_profile_hook_returns_what_a_clinician_entered(
    session_factory: Any, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, world.clinician_a)
        assert service.hourly_pain_profile(session, patient_id=patient.id) is None
        service.update_pump_settings(
            session, actor=actor, patient=patient, clinic=None, pain_profile=MORNING_PEAK_PAIN
        )
        profile = service.hourly_pain_profile(session, patient_id=patient.id)
    assert profile is not None and list(profile.hourly) == MORNING_PEAK_PAIN
    assert profile.source == "entered by a clinician"


def test_pasted_pain_profiles_accept_commas_spaces_and_tabs_but_not_23_numbers() -> None:
    assert service.parse_pain_text("1,2\t3 4;" + " 5" * 20) == (1, 2, 3, 4, *([5.0] * 20))
    with pytest.raises(InvalidInput, match="24 numbers"):
        service.parse_pain_text(" ".join(["3"] * 23))
    with pytest.raises(InvalidInput, match="outside 0-10"):
        service.parse_pain_text(" ".join(["3"] * 23 + ["11"]))


def test_the_planner_keeps_the_dose_and_its_suggestion_saves_as_a_checked_version(
    session_factory: Any, world: World
) -> None:
    _save(session_factory, world, FLAT_MORPHINE)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, world.clinician_a)
        service.update_pump_settings(
            session, actor=actor, patient=patient, clinic=None, pain_profile=MORNING_PEAK_PAIN
        )
        outcome = service.plan_for_patient(session, patient_id=patient.id)
    plan = outcome.plan
    assert plan.changed and plan.check.ok
    assert plan.mean_level_after > plan.mean_level_before
    assert plan.basal_daily_dose_after <= plan.basal_daily_dose_before == 6
    assert max_daily_dose(plan.programme) <= 6.75
    saved = _save(session_factory, world, plan.programme.to_dict(), source="planner").version
    assert saved.status == ProgrammeStatus.active and saved.source.value == "planner"


def test_a_patient_logs_boluses_with_relief_and_no_one_else_can(
    session_factory: Any, world: World
) -> None:
    taken = datetime.now(UTC) - timedelta(hours=1)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world, world.patient_1)
        entry = service.log_bolus(session, actor=actor, patient=patient, taken_at=taken, relief=6)
        assert entry.relief == 6
        for bad, field in (
            ({"relief": 11}, "relief"),
            ({"taken_at": datetime.now(UTC) + timedelta(hours=1)}, "taken_at"),
            ({"taken_at": taken.replace(tzinfo=None)}, "taken_at"),
        ):
            arguments: dict[str, Any] = {"taken_at": taken, "relief": 5, **bad}
            with pytest.raises(InvalidInput) as caught:
                service.log_bolus(session, actor=actor, patient=patient, **arguments)
            assert caught.value.field == field
        clinician, _ = _people(session, world, world.clinician_a)
        with pytest.raises(Forbidden):
            service.log_bolus(session, actor=clinician, patient=patient, taken_at=taken, relief=5)


def test_the_demo_seed_gives_one_patient_a_labelled_demo_programme_once(
    session_factory: Any, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        clinician = session.get(User, world.clinician_a.user_id)
        service.seed_dosing(session, patient=patient, clinician=clinician)
        service.seed_dosing(session, patient=patient, clinician=clinician)
    (version,) = _versions(session_factory, world.patient_1.patient_id)
    assert version.reason.startswith("DEMO") and version.status == ProgrammeStatus.active
