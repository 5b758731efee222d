"""Reminder services on SQLite and PostgreSQL: the queue never creates or delivers a reminder
twice, answers are accepted once, snooze, intakes, adherence, calendar feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from spinewise.accounts.models import Patient
from spinewise.core.errors import Conflict, InvalidInput, NotFound
from spinewise.core.models import AuditEntry
from spinewise.db import unit_of_work
from spinewise.reminders import service
from spinewise.reminders.jobs import ReminderScheduler
from spinewise.reminders.models import ReminderDelivery, ReminderOccurrence
from tests.conftest import World
from tests.reminders.conftest import set_timezone, utc

NOW = utc(2026, 3, 27, 6)  # Friday before the UK's spring change


def _patient(session, world: World) -> Patient:  # type: ignore[no-untyped-def]
    patient = session.get(Patient, world.patient_1.patient_id)
    assert patient is not None
    return patient


def _medication(session, patient: Patient, **kwargs: object):  # type: ignore[no-untyped-def]
    data = service.ScheduleInput(
        kind="medication", title="Naproxen", dose="250 mg", times=["08:00", "20:00"]
    )
    for key, value in kwargs.items():
        setattr(data, key, value)
    return service.create_schedule(session, patient=patient, data=data, created_by=None, now=NOW)


def _count(session, model, *where) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_occurrences_are_materialised_once_in_local_time(session_factory, world: World) -> None:
    set_timezone(session_factory, world.patient_1.patient_id, "Europe/London")
    with unit_of_work(session_factory) as session:
        schedule = _medication(session, _patient(session, world))
        # Again, as a second worker or a restarted one would: nothing new.
        schedule.generated_until = None
        assert service.materialise(session, now=NOW) == 0
        due = session.scalars(
            select(ReminderOccurrence.due_at)
            .where(ReminderOccurrence.schedule_id == schedule.id)
            .order_by(ReminderOccurrence.due_at)
        ).all()
    # 48 h from Fri 06:00 UTC (to Sun 06:00): Fri and Sat at 08:00 and 20:00 GMT.
    assert due == [
        utc(2026, 3, 27, 8),
        utc(2026, 3, 27, 20),
        utc(2026, 3, 28, 8),
        utc(2026, 3, 28, 20),
    ]
    with unit_of_work(session_factory) as session:
        assert service.materialise(session, now=NOW + dt.timedelta(hours=24)) == 2
        sunday = session.scalars(
            select(ReminderOccurrence.due_at).where(
                ReminderOccurrence.due_at >= utc(2026, 3, 29),
                ReminderOccurrence.due_at < utc(2026, 3, 30),
            )
        ).all()
    # Sunday 29 March is BST: 08:00 and 20:00 local are 07:00 and 19:00 UTC.
    assert sunday == [utc(2026, 3, 29, 7), utc(2026, 3, 29, 19)]


def test_the_database_refuses_a_second_reminder_for_the_same_schedule_and_time(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        schedule = _medication(session, _patient(session, world))
        schedule_id, patient_id = schedule.id, schedule.patient_id
    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add(
            ReminderOccurrence(
                schedule_id=schedule_id, patient_id=patient_id, due_at=utc(2026, 3, 27, 8)
            )
        )
        session.flush()


def test_a_due_reminder_is_delivered_once_and_a_stale_one_expires(
    app, session_factory, settings, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        patient = _patient(session, world)
        _medication(session, patient, channels=["app", "email"])
    scheduler = ReminderScheduler(session_factory, settings=settings, worker="a")
    at = utc(2026, 3, 27, 8, 10)  # 10 min after the 08:00 (UTC, patient in UTC) dose
    first = scheduler.claim(at)
    again = scheduler.claim(at)
    assert [d.due_at for d in first.delivered] == [utc(2026, 3, 27, 8)] and first.expired == 0
    assert again.delivered == [] and again.expired == 0
    # The 20:00 dose is found at 21:00: more than 30 min late → expired, not delivered.
    late = scheduler.claim(utc(2026, 3, 27, 21))
    assert late.delivered == [] and late.expired == 1
    with unit_of_work(session_factory) as session:
        assert _count(session, ReminderDelivery, ReminderDelivery.channel == "app") == 1
        statuses = dict(
            session.execute(select(ReminderOccurrence.due_at, ReminderOccurrence.status)).all()
        )
    assert statuses[utc(2026, 3, 27, 8)] == "delivered"
    assert statuses[utc(2026, 3, 27, 20)] == "expired"


def test_the_email_is_sent_once_and_names_no_medicine(
    app, session_factory, settings, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        _medication(session, _patient(session, world), channels=["app", "email"])
    scheduler = ReminderScheduler(
        session_factory, settings=settings, mailer=app.state.mailer, worker="a"
    )
    scheduler.run_once(utc(2026, 3, 27, 8, 1))
    scheduler.run_once(utc(2026, 3, 27, 8, 2))
    outbox = app.state.mailer.outbox
    assert len(outbox) == 1
    text = outbox[0]["Subject"] + outbox[0].get_content()
    assert outbox[0]["To"] == world.patient_1.email
    assert "08:00" in text and "/reminders" in text
    for detail in ("Naproxen", "naproxen", "250 mg", "medic"):
        assert detail not in text


def test_an_answer_is_accepted_once_and_snooze_brings_it_back_in_15_minutes(
    session_factory, settings, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        _medication(session, _patient(session, world))
    ReminderScheduler(session_factory, settings=settings, worker="a").claim(utc(2026, 3, 27, 8))
    pid = world.patient_1.patient_id
    with unit_of_work(session_factory) as session:
        [view] = service.open_reminders(session, patient_id=pid, now=utc(2026, 3, 27, 8, 5))
        answer = service.acknowledge(
            session,
            patient_id=pid,
            occurrence_id=view.occurrence.id,
            action="snooze",
            recorded_by=None,
            now=utc(2026, 3, 27, 8, 5, 30),
        )
        assert answer.follow_up is not None
        assert answer.follow_up.due_at == utc(2026, 3, 27, 8, 20, 30)
        follow_up_id = answer.follow_up.id
    with pytest.raises(InvalidInput), unit_of_work(session_factory) as session:
        service.acknowledge(
            session,
            patient_id=pid,
            occurrence_id=view.occurrence.id,
            action="taken",
            recorded_by=None,
        )
    result = ReminderScheduler(session_factory, settings=settings, worker="b").claim(
        utc(2026, 3, 27, 8, 21)
    )
    assert [d.occurrence_id for d in result.delivered] == [follow_up_id]
    with unit_of_work(session_factory) as session:
        service.acknowledge(
            session, patient_id=pid, occurrence_id=follow_up_id, action="taken", recorded_by=None
        )
    with pytest.raises((InvalidInput, Conflict)), unit_of_work(session_factory) as session:
        service.acknowledge(
            session, patient_id=pid, occurrence_id=follow_up_id, action="skipped", recorded_by=None
        )
    with pytest.raises(NotFound), unit_of_work(session_factory) as session:
        service.acknowledge(
            session,
            patient_id=world.patient_2.patient_id or 0,
            occurrence_id=follow_up_id,
            action="taken",
            recorded_by=None,
        )


def test_i_took_my_tablets_answers_the_due_reminder_or_logs_an_as_needed_dose(
    session_factory, settings, world: World
) -> None:
    pid = world.patient_1.patient_id or 0
    with unit_of_work(session_factory) as session:
        patient = _patient(session, world)
        _medication(session, patient)
        service.create_schedule(
            session,
            patient=patient,
            data=service.ScheduleInput(kind="medication", title="Paracetamol", as_needed=True),
            created_by=None,
            now=NOW,
        )
    ReminderScheduler(session_factory, settings=settings, worker="a").claim(utc(2026, 3, 27, 8))
    with unit_of_work(session_factory) as session:
        taken = service.record_intake(
            session, patient_id=pid, medication_name=None, now=utc(2026, 3, 27, 8, 30)
        )
        assert (taken.kind, taken.medication) == ("acknowledged", "Naproxen")
        extra = service.record_intake(
            session, patient_id=pid, medication_name="paracetamol", now=utc(2026, 3, 27, 9)
        )
        assert (extra.kind, extra.medication) == ("as_needed", "Paracetamol")
        # Nothing due any more: with one as-needed medicine, "my tablets" means that one.
        again = service.record_intake(
            session, patient_id=pid, medication_name=None, now=utc(2026, 3, 27, 10)
        )
        assert again.kind == "as_needed"
        figures = service.adherence_figures(
            session, patient=_patient(session, world), now=utc(2026, 3, 28, 12)
        )
    by_name = {f.medication: f for f in figures}
    # Naproxen: 08:00 taken; 20:00 never answered (> 6 h) → missed; Sat 08:00 open (4 h).
    assert (by_name["Naproxen"].taken, by_name["Naproxen"].missed, by_name["Naproxen"].open) == (
        1,
        1,
        1,
    )
    assert by_name["Naproxen"].adherence_pct == 50.0
    assert by_name["Paracetamol"].as_needed_intakes == 2


def test_remind_me_to_do_my_exercises_at_6_pm(session_factory, world: World) -> None:
    set_timezone(session_factory, world.patient_1.patient_id, "America/New_York")
    pid = world.patient_1.patient_id or 0
    with unit_of_work(session_factory) as session:
        # 20:00 UTC on 27 March = 16:00 EDT: today's 18:00 EDT is still ahead (22:00 UTC).
        once = service.add_exercise_reminder(
            session, patient_id=pid, local_time=dt.time(18), now=utc(2026, 3, 27, 20)
        )
        assert once.once_at == utc(2026, 3, 27, 22)
        # At 23:00 UTC (19:00 EDT) it is tomorrow's 18:00.
        later = service.add_exercise_reminder(
            session, patient_id=pid, local_time=dt.time(18), now=utc(2026, 3, 27, 23)
        )
        assert later.once_at == utc(2026, 3, 28, 22)
        daily = service.add_exercise_reminder(
            session, patient_id=pid, local_time=dt.time(18), daily=True, now=utc(2026, 3, 27, 23)
        )
        assert daily.times == ["18:00"] and daily.kind == "exercise"


def test_exercise_reminders_follow_the_rehab_programme(session_factory, world: World) -> None:
    from spinewise.accounts.models import User
    from spinewise.core.audit import Actor
    from spinewise.rehab import service as rehab

    with unit_of_work(session_factory) as session:
        patient = _patient(session, world)
        clinician = session.get(User, world.clinician_a.user_id)
        rehab.create_programme(
            session,
            actor=Actor(clinician),
            patient=patient,
            template_id="chronic_lbp",  # 3 sessions a week for 12 weeks
            start_date=dt.date(2026, 3, 2),
        )
        schedule = service.exercise_schedule_from_programme(
            session, patient=patient, local_time=dt.time(18, 30), created_by=None, now=NOW
        )
        assert schedule.weekdays == [0, 2, 4] and schedule.times == ["18:30"]
        assert schedule.start_date == dt.date(2026, 3, 27)
        assert schedule.end_date == dt.date(2026, 5, 24)  # 2 March + 12 weeks − 1 day
        assert schedule.source == "programme"


def test_a_calendar_feed_is_private_revocable_and_names_medicines_only_when_asked(
    session_factory, world: World
) -> None:
    pid = world.patient_1.patient_id or 0
    with unit_of_work(session_factory) as session:
        _medication(session, _patient(session, world))
        plain, plain_row = service.create_feed(
            session, patient_id=pid, include_names=False, created_by=None
        )
        named, _ = service.create_feed(session, patient_id=pid, include_names=True, created_by=None)
        assert plain not in plain_row.token_hash  # only a hash is stored
    with unit_of_work(session_factory) as session:
        without = service.calendar_for_token(session, raw_token=plain).decode()
        with_names = service.calendar_for_token(session, raw_token=named).decode()
        readers = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.patient_id == pid, AuditEntry.resource == "/calendar/{token}.ics")
        )
    assert "Naproxen" not in without and "SUMMARY:Medication reminder" in without
    assert "SUMMARY:Take Naproxen (250 mg)" in with_names
    assert "RRULE:FREQ=DAILY;BYMINUTE=0;BYHOUR=8,20" in without
    assert readers == 2
    with unit_of_work(session_factory) as session:
        service.revoke_feed(session, patient_id=pid, feed_id=plain_row.id)
    with pytest.raises(NotFound), unit_of_work(session_factory) as session:
        service.calendar_for_token(session, raw_token=plain)


def test_changing_a_schedule_replaces_future_reminders_and_keeps_the_past(
    session_factory, settings, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        patient = _patient(session, world)
        schedule = _medication(session, patient)
        schedule_id = schedule.id
    ReminderScheduler(session_factory, settings=settings, worker="a").claim(utc(2026, 3, 27, 8))
    with unit_of_work(session_factory) as session:
        patient = _patient(session, world)
        schedule = service.get_schedule(session, patient_id=patient.id, schedule_id=schedule_id)
        data = service.ScheduleInput(kind="medication", title="Naproxen", times=["09:00"])
        service.update_schedule(
            session, patient=patient, schedule=schedule, data=data, now=utc(2026, 3, 27, 8, 30)
        )
        rows = session.execute(
            select(ReminderOccurrence.due_at, ReminderOccurrence.status)
            .where(ReminderOccurrence.schedule_id == schedule_id)
            .order_by(ReminderOccurrence.due_at, ReminderOccurrence.status)
        ).all()
    live = [(d, s) for d, s in rows if s != "cancelled"]
    assert live[0] == (utc(2026, 3, 27, 8), "delivered")
    assert [d.hour for d, _ in live[1:]] == [9, 9]
    # The claim at 08:00 materialised up to Sun 29 March 08:00; all of it not yet due is gone.
    assert {d for d, s in rows if s == "cancelled"} == {
        utc(2026, 3, 27, 20),
        utc(2026, 3, 28, 8),
        utc(2026, 3, 28, 20),
        utc(2026, 3, 29, 8),
    }
