"""The assistant's application layer on SQLite and PostgreSQL: stored conversations, the
patient's profile in triage, red flags for the care team (true notices, event, dashboard
flag, acknowledgement), confirmed actions, the reminders adapter and the hand-over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, User
from spinewise.assistant import service
from spinewise.assistant.models import ActionStatus, AssistantAction
from spinewise.assistant.respond import Assistant
from spinewise.consults import service as consults
from spinewise.consults.models import Message, MessageThread
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, NotFound
from spinewise.db import unit_of_work
from spinewise.outcomes import service as outcomes
from spinewise.rehab import service as rehab
from spinewise.reminders import service as reminders
from spinewise.reminders.models import ReminderAcknowledgement, ReminderSchedule
from tests.conftest import PASSWORD, Person, World

EMERGENCY = "I can't feel the toilet paper when I wipe and my back is killing me"
FELL = "I slipped in the shower and my back hurts"


@pytest.fixture
def assistant(app) -> Assistant:  # type: ignore[no-untyped-def]
    from spinewise.assistant.service import build_assistant

    return build_assistant(app.state.settings)


def actor_for(session: Session, person: Person) -> Actor:
    user = session.get(User, person.user_id)
    assert user is not None
    return Actor(user, client_addr="test")


def ask(session_factory, person: Person, assistant: Assistant, text: str, **kw):  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        outcome = service.ask(
            session, actor=actor_for(session, person), assistant=assistant, text=text, **kw
        )
        return outcome


def test_an_emergency_tells_the_patient_what_to_do_and_flags_the_care_team(
    session_factory, world: World, assistant: Assistant
) -> None:
    outcome = ask(session_factory, world.patient_1, assistant, EMERGENCY)
    message = outcome.message
    assert message.level == "emergency"
    assert "Call emergency services now" in message.reply
    # patient_1 has clinician_a: the flag is raised, so the answer may say so (and only then)
    assert message.care_team_notified is True
    assert "Your care team has been notified in the app" in message.reply
    assert "has not alerted anyone" not in message.reply
    # never self-care advice: only "when to get help" sources, no passages, no app actions
    assert [s["id"] for s in message.sources] == ["cauda-equina-syndrome"]
    assert [a["type"] for a in message.actions] == ["call_emergency_services", "notify_care_team"]
    assert outcome.actions == []
    for word in ("stretch", "heat", "paracetamol", "keep moving", "exercise"):
        assert word not in message.reply.lower()
    [event] = outcome.events
    assert event.topic == f"assistant.red_flag.{world.patient_1.patient_id}"
    assert event.payload["level"] == "emergency"
    assert "ces_saddle_anaesthesia" in event.payload["flags"]
    assert outcome.notice_emails == [world.clinician_a.email]

    with unit_of_work(session_factory) as session:
        rows = rehab.dashboard(session, actor=actor_for(session, world.clinician_a))
        flags = {r.patient.id: r.flags for r in rows}
        [flag] = [f for f in flags[world.patient_1.patient_id] if f.code == "red_flag"]
        assert flag.severity == "bad" and flag.label == "Emergency message"
        assert flag.href == f"/patients/{world.patient_1.patient_id}/assistant"
        assert not any(f.code == "red_flag" for f in flags[world.patient_2.patient_id])
        # clinician_b is not in patient_1's care team and sees no flag for them
        other = rehab.dashboard(session, actor=actor_for(session, world.clinician_b))
        assert world.patient_1.patient_id not in {r.patient.id for r in other}


def test_acknowledging_clears_the_flag_and_only_a_clinician_may(
    session_factory, world: World, assistant: Assistant
) -> None:
    outcome = ask(session_factory, world.patient_1, assistant, EMERGENCY)
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        assert patient is not None
        with pytest.raises(Forbidden):
            service.acknowledge(
                session,
                actor=actor_for(session, world.patient_1),
                patient=patient,
                message_id=outcome.message.id,
            )
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        assert patient is not None
        service.acknowledge(
            session,
            actor=actor_for(session, world.clinician_a),
            patient=patient,
            message_id=outcome.message.id,
        )
    with unit_of_work(session_factory) as session:
        rows = rehab.dashboard(session, actor=actor_for(session, world.clinician_a))
        assert not any(f.code == "red_flag" for r in rows for f in r.flags)
        assert service.open_red_flags(session, patient_id=world.patient_1.patient_id) == []


def test_without_a_care_team_the_answer_says_nobody_was_alerted(
    session_factory, assistant: Assistant
) -> None:
    with unit_of_work(session_factory) as session:
        user = accounts.create_user(
            session, email="alone@example.org", password=PASSWORD, role="patient", name="Al One"
        )
        alone = Person("alone@example.org", "patient", "", user.id)
    outcome = ask(session_factory, alone, assistant, EMERGENCY)
    assert outcome.message.level == "emergency"
    assert outcome.message.care_team_notified is False
    assert "nobody has been alerted" in outcome.message.reply
    assert "notified in the app" not in outcome.message.reply
    assert outcome.notice_emails == []
    assert outcome.events[0].payload["care_team_notified"] is False


def test_the_patients_profile_reaches_triage(
    session_factory, world: World, assistant: Assistant
) -> None:
    # A fall with back pain is self-care for most people, but urgent with osteoporosis
    # (Downie et al., BMJ 2013: minor trauma + osteoporosis suggests fracture).
    assert ask(session_factory, world.patient_1, assistant, FELL).message.level == "self_care"
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_2.patient_id)
        assert patient is not None
        patient.osteoporosis = True
    outcome = ask(session_factory, world.patient_2, assistant, FELL)
    assert outcome.message.level == "urgent"
    codes = [f["code"] for f in outcome.message.findings]
    assert "fracture_minor_trauma_risk" in codes


def test_profile_for_reads_age_and_history_flags() -> None:
    patient = Patient(
        date_of_birth=dt.date(1950, 6, 1),
        cancer_history=True,
        osteoporosis=False,
        long_term_steroids=True,
        immunosuppressed=False,
    )
    profile = service.profile_for(patient, today=dt.date(2026, 5, 31))
    assert profile.age == 75  # birthday not yet reached on 31 May
    assert profile.cancer_history and profile.long_term_steroids
    assert not profile.osteoporosis and not profile.immunosuppressed


def test_a_conversation_continues_and_others_cannot_read_it(
    session_factory, world: World, assistant: Assistant
) -> None:
    first = ask(session_factory, world.patient_1, assistant, "how should I sit at my desk?")
    second = ask(
        session_factory,
        world.patient_1,
        assistant,
        "and what about sleeping?",
        conversation_id=first.conversation.id,
    )
    assert second.conversation.id == first.conversation.id
    assert first.message.sources and first.message.level == "self_care"
    with unit_of_work(session_factory) as session:
        for outsider in (world.patient_2, world.clinician_b, world.admin):
            with pytest.raises(NotFound):
                service.get_readable_conversation(
                    session,
                    actor=actor_for(session, outsider),
                    conversation_id=first.conversation.id,
                )
        seen = service.get_readable_conversation(
            session,
            actor=actor_for(session, world.clinician_a),
            conversation_id=first.conversation.id,
        )
        [view] = service.views_of(session, [seen])
        assert [m.text for m, _ in view.messages] == [
            "how should I sit at my desk?",
            "and what about sleeping?",
        ]
    # another patient cannot write into it either
    with pytest.raises(NotFound):
        ask(
            session_factory,
            world.patient_2,
            assistant,
            "hello",
            conversation_id=first.conversation.id,
        )


def test_only_patients_talk_to_the_assistant(
    session_factory, world: World, assistant: Assistant
) -> None:
    with pytest.raises(Forbidden):
        ask(session_factory, world.clinician_a, assistant, "hello")


def confirm(session_factory, person: Person, action_id: int, tmp_path: Path):  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        return service.confirm_action(
            session,
            actor=actor_for(session, person),
            action_id=action_id,
            data_dir=tmp_path,
            max_bytes=1000,
        ).action


def test_logging_pain_waits_for_confirmation_and_keeps_the_rest_of_the_diary(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        assert patient is not None
        outcomes.save_diary_entry(
            session,
            actor=actor_for(session, world.patient_1),
            patient=patient,
            data={"back_pain": 3, "leg_pain": 2, "note": "walked 20 min"},
        )
    outcome = ask(session_factory, world.patient_1, assistant, "my pain is 6 today")
    [action] = outcome.actions
    assert action.kind == "log_pain" and action.status == ActionStatus.pending
    assert action.params["score"] == 6
    with unit_of_work(session_factory) as session:  # nothing written before confirming
        [entry] = outcomes.diary_entries(session, patient_id=world.patient_1.patient_id)
        assert entry.back_pain == 3

    done = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert done.status == ActionStatus.done and "6/10" in done.result
    again = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert again.status == ActionStatus.done
    with unit_of_work(session_factory) as session:
        [entry] = outcomes.diary_entries(session, patient_id=world.patient_1.patient_id)
        assert (entry.back_pain, entry.leg_pain, entry.note) == (6, 2, "walked 20 min")


def test_declined_actions_do_nothing_and_only_the_patient_decides(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    [action] = ask(session_factory, world.patient_1, assistant, "pain 7/10").actions
    with pytest.raises(Forbidden):
        confirm(session_factory, world.clinician_a, action.id, tmp_path)
    with pytest.raises(NotFound):
        confirm(session_factory, world.patient_2, action.id, tmp_path)
    with unit_of_work(session_factory) as session:
        declined = service.decline_action(
            session, actor=actor_for(session, world.patient_1), action_id=action.id
        )
        assert declined.status == ActionStatus.declined
    assert confirm(session_factory, world.patient_1, action.id, tmp_path).status == "declined"
    with unit_of_work(session_factory) as session:
        assert outcomes.diary_entries(session, patient_id=world.patient_1.patient_id) == []


def test_a_reminder_asked_for_in_chat_is_set_once_confirmed(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    [action] = ask(
        session_factory, world.patient_1, assistant, "remind me to do my exercises at 6 pm"
    ).actions
    assert (action.kind, action.params["kind"], action.params["time"]) == (
        "set_reminder",
        "exercise",
        "18:00",
    )
    result = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert result.status == ActionStatus.done
    assert "18:00" in result.result
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        [schedule] = session.scalars(
            select(ReminderSchedule).where(ReminderSchedule.patient_id == patient.id)
        ).all()
        local = schedule.once_at.astimezone(ZoneInfo(patient.timezone))
        assert (schedule.kind, local.hour, local.minute) == ("exercise", 18, 0)


def test_tablets_taken_with_nothing_due_fail_and_save_nothing(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    [action] = ask(session_factory, world.patient_1, assistant, "I took my tablets").actions
    result = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert result.status == ActionStatus.failed
    assert result.result.startswith("Nothing was saved")
    with unit_of_work(session_factory) as session:
        assert session.scalars(select(ReminderAcknowledgement)).all() == []


def test_tablets_taken_are_logged_against_the_as_needed_medicine(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        reminders.create_schedule(
            session,
            patient=session.get(Patient, world.patient_1.patient_id),
            data=reminders.ScheduleInput(kind="medication", title="Paracetamol", as_needed=True),
            created_by=None,
        )
    [action] = ask(session_factory, world.patient_1, assistant, "I took my tablets").actions
    result = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert result.status == ActionStatus.done
    assert "Paracetamol" in result.result
    with unit_of_work(session_factory) as session:
        [intake] = session.scalars(select(ReminderAcknowledgement)).all()
        assert (intake.medication, intake.source) == ("Paracetamol", "assistant")


def test_exercise_done_without_a_programme_fails_and_saves_nothing(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    [action] = ask(session_factory, world.patient_1, assistant, "I did my exercises").actions
    result = confirm(session_factory, world.patient_1, action.id, tmp_path)
    assert result.status == ActionStatus.failed
    assert result.result.startswith("Nothing was saved")


def test_talk_to_a_person_sends_a_secure_message_with_the_conversation_linked(
    session_factory, world: World, assistant: Assistant, tmp_path: Path
) -> None:
    outcome = ask(session_factory, world.patient_1, assistant, "can I talk to a person please?")
    [action] = outcome.actions
    assert action.kind == "handover"
    confirm(session_factory, world.patient_1, action.id, tmp_path)
    with unit_of_work(session_factory) as session:
        thread = session.scalar(
            select(MessageThread).where(MessageThread.patient_id == world.patient_1.patient_id)
        )
        assert thread is not None
        [message] = session.scalars(select(Message).where(Message.thread_id == thread.id))
        assert message.sender_id == world.patient_1.user_id
        link = (
            f"/patients/{world.patient_1.patient_id}/assistant"
            f"#conversation-{outcome.conversation.id}"
        )
        assert link in message.body
        assert "can I talk to a person please?" in message.body
        clinician = session.get(User, world.clinician_a.user_id)
        assert clinician is not None
        unread = consults.unread_by_patient(session, clinician, [world.patient_1.patient_id])
        assert unread == {world.patient_1.patient_id: 1}
        # a second hand-over of the same conversation adds to the same thread
        conversation = service.get_readable_conversation(
            session,
            actor=actor_for(session, world.patient_1),
            conversation_id=outcome.conversation.id,
        )
        again, emails = service.handover(
            session,
            actor=actor_for(session, world.patient_1),
            conversation=conversation,
            data_dir=tmp_path,
            max_bytes=1000,
        )
        assert again.id == thread.id and emails == [world.clinician_a.email]


def test_next_appointment_is_answered_from_the_consultation_calendar(
    session_factory, world: World, assistant: Assistant
) -> None:
    none = ask(session_factory, world.patient_1, assistant, "when is my next appointment?")
    assert "You have no appointment booked" in none.message.reply
    from tests.consults.conftest import FAR_MONDAY, book, weekday_hours

    weekday_hours(session_factory, world.clinician_a)
    book(session_factory, world.clinician_a, world.patient_1, FAR_MONDAY.replace(hour=10))
    booked = ask(session_factory, world.patient_1, assistant, "when is my next appointment?")
    assert "Your next appointment is a video call with Dr Ada Clinician" in booked.message.reply
    assert "Mon 1 Jul 2030, 10:00 UTC" in booked.message.reply
    [shown] = [a for a in booked.message.actions if a["type"] == "next_appointment"]
    assert shown["result"].startswith("Your next appointment")
    assert booked.actions == []  # a query, nothing to confirm


def test_stored_actions_belong_to_the_patient(
    session_factory, world: World, assistant: Assistant
) -> None:
    outcome = ask(session_factory, world.patient_1, assistant, "log my pain as 8")
    with unit_of_work(session_factory) as session:
        row = session.get(AssistantAction, outcome.actions[0].id)
        assert row is not None and row.patient_id == world.patient_1.patient_id


def test_the_first_answers_never_wait_for_the_embedding_model(monkeypatch, knowledge) -> None:  # type: ignore[no-untyped-def]
    import threading

    from spinewise.assistant.retrieval import HybridRetriever
    from spinewise.config import Settings
    from tests.assistant.conftest import HashingEncoder

    release = threading.Event()

    def slow_encoder() -> HashingEncoder:
        release.wait(10)  # the model is "loading" until the test releases it
        return HashingEncoder()

    real_build = service.build_assistant

    def build(settings: Settings, *, retrieval: str | None = None) -> Assistant:
        if retrieval == "hybrid":
            retriever = HybridRetriever(knowledge, encoder=slow_encoder, cache_dir=False)
            return Assistant(knowledge, retriever, None)
        return real_build(settings, retrieval=retrieval)

    monkeypatch.setattr(service, "build_assistant", build)
    settings = Settings(
        database_url="sqlite://",
        secret_key="k" * 40,
        env="test",
        assistant_retrieval="hybrid",
        _env_file=None,  # type: ignore[call-arg]
    )
    provider = service.AssistantProvider(settings)
    first = provider.get()
    assert first.retriever.mode == "bm25"
    assert first.reply("which mattress is best?").sources  # answered while the model loads
    assert provider.wait_ready(0.2) is False
    release.set()
    assert provider.wait_ready(10) is True
    assert provider.get() is not first and provider.get().retriever.mode == "hybrid"


@pytest.mark.parametrize(
    ("long_lived", "warm_up", "started"),
    [(True, True, True), (True, False, False), (False, True, False)],
    ids=["served", "served-warm-up-off", "test-app"],
)
def test_a_running_server_prepares_the_assistant_when_it_starts(  # type: ignore[no-untyped-def]
    settings, monkeypatch, long_lived: bool, warm_up: bool, started: bool
) -> None:
    # `spinewise serve` marks its app long-lived; the first question then need not wait for
    # the screen's training and the model (AssistantProvider.warm_up)
    from fastapi.testclient import TestClient

    import spinewise.app as app_module

    calls: list[object] = []
    monkeypatch.setattr(app_module, "start_assistant_warm_up", calls.append)
    monkeypatch.setattr(app_module, "tune_for_long_lived_process", lambda: None)
    app = app_module.create_app(settings.model_copy(update={"assistant_warm_up": warm_up}))
    app.state.long_lived = long_lived
    with TestClient(app):
        pass
    app.state.engine.dispose()
    assert calls == ([app.state] if started else [])
