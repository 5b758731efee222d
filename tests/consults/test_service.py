"""Consultation use cases on both engines: booking rules, the participants-only predicate, the
video room's gate, SOAP notes, and messaging read state."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinewise.consults import service
from spinewise.consults.models import Appointment, MessageThread
from spinewise.consults.scheduling import WeeklyRule
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from spinewise.db import unit_of_work
from tests.conftest import Person, World
from tests.consults.conftest import (
    FAR_MONDAY,
    PNG,
    actor_for,
    book,
    weekday_hours,
)

TEN = FAR_MONDAY + timedelta(hours=10)


def _get(session: Session, actor: Actor, appointment_id: int) -> Appointment:
    return service.get_readable_appointment(session, actor=actor, appointment_id=appointment_id)


def _visible(session_factory, person: Person) -> set[int]:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        rows, _ = service.list_appointments(session, actor=actor_for(session, person))
        return {a.id for a in rows}


def test_a_clinician_books_a_patient_of_their_team_and_only_the_two_see_it(
    session_factory, world: World, clinician_c: Person
) -> None:
    booked = book(session_factory, world.clinician_a, world.patient_1, TEN)
    assert _visible(session_factory, world.clinician_a) == {booked.appointment_id}
    assert _visible(session_factory, world.patient_1) == {booked.appointment_id}
    # Dr Cy is in patient 1's care team but not on this appointment; the others are strangers.
    for outsider in (clinician_c, world.clinician_b, world.patient_2, world.admin):
        assert _visible(session_factory, outsider) == set()
        with unit_of_work(session_factory) as session, pytest.raises(NotFound):
            service.get_readable_appointment(
                session,
                actor=actor_for(session, outsider),
                appointment_id=booked.appointment_id,
            )


def test_a_clinician_cannot_book_someone_outside_their_care_team(
    session_factory, world: World
) -> None:
    with pytest.raises(NotFound):
        book(session_factory, world.clinician_a, world.patient_3, TEN)


def test_nobody_is_double_booked_but_back_to_back_is_fine(
    session_factory, world: World, clinician_c: Person
) -> None:
    book(session_factory, world.clinician_a, world.patient_1, TEN)
    with pytest.raises(Conflict, match="clinician already"):
        book(session_factory, world.clinician_a, world.patient_2, TEN + timedelta(minutes=15))
    with pytest.raises(Conflict, match="patient already"):
        book(session_factory, clinician_c, world.patient_1, TEN + timedelta(minutes=29))
    book(session_factory, world.clinician_a, world.patient_2, TEN + timedelta(minutes=30))
    book(session_factory, clinician_c, world.patient_1, TEN - timedelta(minutes=30))


def test_a_time_in_the_past_is_refused(session_factory, world: World) -> None:
    with pytest.raises(InvalidInput, match="past"):
        book(session_factory, world.clinician_a, world.patient_1, datetime(2020, 1, 1, tzinfo=UTC))


def test_a_patient_books_only_a_free_slot_of_a_clinician_in_their_team(
    session_factory, world: World
) -> None:
    weekday_hours(session_factory, world.clinician_a, "Europe/London")
    weekday_hours(session_factory, world.clinician_b)
    # 1 July 2030 is in British Summer Time (UTC+1): 09:00 London is 08:00Z.
    nine_london = FAR_MONDAY + timedelta(hours=8)

    def patient_books(start: datetime, clinician: Person) -> int:
        with unit_of_work(session_factory) as session:
            appointment = service.book_appointment(
                session,
                actor=actor_for(session, world.patient_1),
                clinician_id=clinician.user_id,
                start=start,
                duration_min=30,
                kind="video",
            )
            return appointment.id

    with unit_of_work(session_factory) as session:
        _, length, slots = service.free_slots(
            session,
            actor=actor_for(session, world.patient_1),
            clinician_id=world.clinician_a.user_id,
            start=FAR_MONDAY,
            days=1,
        )
    assert length == 30 and slots[0] == nine_london and len(slots) == 16  # 8 hours / 30 min

    assert patient_books(nine_london, world.clinician_a)
    with pytest.raises(Conflict):
        patient_books(nine_london, world.clinician_a)  # taken now
    with pytest.raises(InvalidInput, match="free slots"):
        patient_books(nine_london + timedelta(minutes=10), world.clinician_a)  # off the grid
    with pytest.raises(InvalidInput, match="free slots"):
        patient_books(FAR_MONDAY + timedelta(hours=20), world.clinician_a)  # after hours
    with pytest.raises(NotFound):
        patient_books(FAR_MONDAY + timedelta(hours=9), world.clinician_b)  # not their clinician


def test_rescheduling_moves_it_and_cancelling_frees_the_time(session_factory, world: World) -> None:
    booked = book(session_factory, world.clinician_a, world.patient_1, TEN)
    later = TEN + timedelta(hours=2)
    with unit_of_work(session_factory) as session:
        actor = actor_for(session, world.clinician_a)
        moved = service.reschedule_appointment(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            start=later,
            duration_min=45,
        )
        assert (moved.start_at, moved.duration_min, moved.sequence) == (later, 45, 1)
    book(session_factory, world.clinician_a, world.patient_2, TEN)  # the old time is free
    with pytest.raises(Conflict):
        book(session_factory, world.clinician_a, world.patient_2, later)
    with unit_of_work(session_factory) as session:
        actor = actor_for(session, world.patient_1)
        cancelled = service.cancel_appointment(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            reason="feeling better",
        )
        assert cancelled.status == "cancelled" and cancelled.sequence == 2
    book(session_factory, world.clinician_a, world.patient_2, later)
    with unit_of_work(session_factory) as session, pytest.raises(Conflict, match="cancelled"):
        actor = actor_for(session, world.patient_1)
        service.reschedule_appointment(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            start=TEN + timedelta(days=1),
        )


def test_the_video_room_admits_the_two_participants_only_around_the_time(
    session_factory, world: World, clinician_c: Person
) -> None:
    now = datetime.now(UTC)
    start = now + timedelta(minutes=10)
    soon = book(session_factory, world.clinician_a, world.patient_1, start)
    phone = book(
        session_factory,
        world.clinician_a,
        world.patient_1,
        start + timedelta(hours=1),
        kind="phone",
    )
    for person in (world.patient_1, world.clinician_a):
        with unit_of_work(session_factory) as session:
            ticket = service.open_room(
                session, actor=actor_for(session, person), appointment_id=soon.appointment_id
            )
            assert ticket.role == person.role and ticket.patient_id == world.patient_1.patient_id
    for person in (clinician_c, world.patient_2, world.clinician_b):
        with unit_of_work(session_factory) as session, pytest.raises(NotFound):
            service.open_room(
                session, actor=actor_for(session, person), appointment_id=soon.appointment_id
            )
    with unit_of_work(session_factory) as session, pytest.raises(NotFound, match="no video"):
        service.open_room(
            session, actor=actor_for(session, world.patient_1), appointment_id=phone.appointment_id
        )
    # 16 minutes before the start the room is not open yet; 31 minutes after the end it closed.
    for moment, word in (
        (start - timedelta(minutes=16), "opens"),
        (start + timedelta(minutes=61), "closed"),
    ):
        with unit_of_work(session_factory) as session, pytest.raises(Conflict, match=word):
            service.open_room(
                session,
                actor=actor_for(session, world.patient_1),
                appointment_id=soon.appointment_id,
                now=moment,
            )


def test_only_the_appointments_clinician_writes_a_soap_note_and_it_is_audited(
    session_factory, world: World
) -> None:
    booked = book(session_factory, world.clinician_a, world.patient_1, TEN)
    with unit_of_work(session_factory) as session:
        actor = actor_for(session, world.clinician_a)
        note = service.add_note(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            subjective="Pain 4/10 on bending",
            plan="Walk daily; review in 2 weeks",
        )
        note_id = note.id
    with unit_of_work(session_factory) as session, pytest.raises(Forbidden):
        actor = actor_for(session, world.patient_1)
        service.add_note(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            subjective="I am the clinician now",
        )
    with unit_of_work(session_factory) as session, pytest.raises(InvalidInput):
        actor = actor_for(session, world.clinician_a)
        service.add_note(
            session,
            actor=actor,
            appointment=_get(session, actor, booked.appointment_id),
            subjective="   ",
        )
    with unit_of_work(session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id)
        assert any(
            e.resource == "consult_note"
            and e.action == "create"
            and f"note {note_id}" in e.detail
            and e.actor_email == world.clinician_a.email
            for e in entries
        )


def test_unread_counts_follow_who_wrote_and_who_read(
    session_factory, world: World, tmp_path: Path
) -> None:
    files = {"data_dir": tmp_path, "max_bytes": 10_000}
    with unit_of_work(session_factory) as session:
        thread, _ = service.start_thread(
            session,
            actor=actor_for(session, world.patient_1),
            subject="Sore after exercises",
            body="Is that normal?",
            **files,  # type: ignore[arg-type]
        )
        thread_id = thread.id

    def unread(person: Person) -> int:
        with unit_of_work(session_factory) as session:
            user = actor_for(session, person).user
            assert user is not None
            return service.unread_total(session, user=user)

    assert (unread(world.patient_1), unread(world.clinician_a)) == (0, 1)
    assert unread(world.clinician_b) == 0 and unread(world.patient_2) == 0
    with unit_of_work(session_factory) as session:
        actor = actor_for(session, world.clinician_a)
        service.post_message(
            session,
            actor=actor,
            thread=service.get_readable_thread(session, actor=actor, thread_id=thread_id),
            body="Yes, a little soreness is expected.",
            **files,  # type: ignore[arg-type]
        )
    # Replying counts as having read the thread; the patient now has one unread.
    assert (unread(world.patient_1), unread(world.clinician_a)) == (1, 0)
    with unit_of_work(session_factory) as session:
        actor = actor_for(session, world.patient_1)
        thread = service.get_readable_thread(session, actor=actor, thread_id=thread_id)
        assert actor.user is not None
        service.mark_thread_read(session, user=actor.user, thread=thread)
    assert unread(world.patient_1) == 0


def test_a_refused_attachment_leaves_no_thread_and_no_file(
    session_factory, world: World, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    bad = service.Upload("notes.png", [b"MZ\x90\x00 not a picture at all"])
    good = service.Upload("back.png", [PNG])
    with unit_of_work(session_factory) as session, pytest.raises(InvalidInput, match="type"):
        service.start_thread(
            session,
            actor=actor_for(session, world.patient_1),
            subject="Photo",
            body="see attached",
            uploads=[good, bad],
            data_dir=data_dir,
            max_bytes=10_000,
        )
    with unit_of_work(session_factory) as session:
        assert session.scalar(select(func.count(MessageThread.id))) == 0
    assert [p for p in data_dir.rglob("*") if p.is_file()] == []


def test_notices_go_to_the_other_side_only(session_factory, world: World, tmp_path: Path) -> None:
    with unit_of_work(session_factory) as session:
        patient = actor_for(session, world.patient_1)
        thread, _ = service.start_thread(
            session, actor=patient, subject="Hello", body="Hi", data_dir=tmp_path, max_bytes=10
        )
        assert patient.user is not None
        assert service.notice_recipients(session, thread=thread, sender=patient.user) == [
            world.clinician_a.email
        ]
        clinician = actor_for(session, world.clinician_a)
        assert clinician.user is not None
        assert service.notice_recipients(session, thread=thread, sender=clinician.user) == [
            world.patient_1.email
        ]


def test_weekly_periods_of_one_day_may_not_overlap(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        user = actor_for(session, world.clinician_a).user
        assert user is not None
        with pytest.raises(InvalidInput, match="overlap"):
            service.set_availability(
                session,
                clinician=user,
                timezone="UTC",
                slot_min=30,
                rules=[WeeklyRule(0, time(9), time(12)), WeeklyRule(0, time(11), time(15))],
            )
        with pytest.raises(InvalidInput, match="timezone"):
            service.set_availability(
                session, clinician=user, timezone="Nowhere/Atlantis", slot_min=30, rules=[]
            )


def test_the_demo_seed_opens_a_video_room_now_and_does_not_duplicate(
    session_factory, world: World
) -> None:
    for _ in range(2):
        with unit_of_work(session_factory) as session:
            service.seed_consults(
                session,
                clinician_email=world.clinician_a.email,
                patient_emails=[world.patient_1.email, world.patient_2.email],
            )
    with unit_of_work(session_factory) as session:
        rows = list(session.scalars(select(Appointment).where(Appointment.status == "booked")))
        assert sorted(str(a.kind) for a in rows) == ["phone", "video"]
        [video] = [a for a in rows if a.kind == "video"]
        service.open_room(
            session, actor=actor_for(session, world.patient_1), appointment_id=video.id
        )
