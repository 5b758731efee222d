"""Two scheduler workers claiming the same queue at once (PostgreSQL: ``FOR UPDATE SKIP
LOCKED``; SQLite: the single writer): every reminder is delivered exactly once."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from spinewise.accounts.models import Patient
from spinewise.db import make_engine, make_session_factory, unit_of_work
from spinewise.reminders import service
from spinewise.reminders.jobs import ReminderScheduler
from spinewise.reminders.models import ReminderDelivery, ReminderOccurrence
from tests.conftest import World

REMINDERS = 240
NOW = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)


def test_two_concurrent_workers_deliver_every_reminder_exactly_once(
    settings, world: World, database
) -> None:
    url, _ = database
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        patients = [session.get(Patient, p.patient_id) for p in (world.patient_1, world.patient_2)]
        for i in range(REMINDERS):
            patient = patients[i % 2]
            assert patient is not None
            service.add_one_off(
                session,
                patient=patient,
                due_at=NOW + dt.timedelta(seconds=i),
                title=f"Reminder {i}",
                now=NOW - dt.timedelta(minutes=1),
            )
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        # Each worker has its own engine (connections), as separate processes would.
        own = make_engine(url)
        scheduler = ReminderScheduler(make_session_factory(own), settings=settings, worker=name)
        try:
            start.wait()
            # Small batches and advancing time so that the two really interleave.
            for step in range(0, REMINDERS + 20, 10):
                with unit_of_work(scheduler.session_factory) as session:
                    delivered, _ = service.claim_due(
                        session, now=NOW + dt.timedelta(seconds=step), worker=name, limit=7
                    )
                claimed[name] += [d.occurrence_id for d in delivered]
            while True:
                with unit_of_work(scheduler.session_factory) as session:
                    delivered, _ = service.claim_due(
                        session, now=NOW + dt.timedelta(seconds=REMINDERS), worker=name, limit=7
                    )
                if not delivered:
                    break
                claimed[name] += [d.occurrence_id for d in delivered]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=work, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    a, b = set(claimed["a"]), set(claimed["b"])
    assert len(claimed["a"]) == len(a) and len(claimed["b"]) == len(b)
    assert not a & b, "a reminder was claimed by both workers"
    with unit_of_work(factory) as session:
        all_ids = set(session.scalars(select(ReminderOccurrence.id)))
        per_occurrence = session.execute(
            select(ReminderDelivery.occurrence_id, func.count())
            .where(ReminderDelivery.channel == "app")
            .group_by(ReminderDelivery.occurrence_id)
        ).all()
        statuses = set(session.scalars(select(ReminderOccurrence.status)))
    engine.dispose()
    assert a | b == all_ids and len(all_ids) == REMINDERS
    assert {count for _, count in per_occurrence} == {1} and len(per_occurrence) == REMINDERS
    assert statuses == {"delivered"}
    print(f"worker a delivered {len(a)}, worker b {len(b)} of {REMINDERS}")
