"""Assistant use cases: a patient's message in, a stored and triaged answer out, app actions
after confirmation, hand-over to a person, and red flags for the care team.

Services take the session first and the rest keyword-only; they flush, never commit. Events
and e-mails are returned to the shell, which sends them after the commit.

Access follows every patient record (``core.permissions.readable_patient_ids``): a
conversation is visible to its patient and to the clinicians of their care team; anything
else is ``NotFound``. Only the patient talks to the assistant and confirms actions; only a
clinician of the care team acknowledges a red flag. Every read and write is audited.

What the patient is told about the care team is true (``notice.py``): an urgent or emergency
answer says the care team was notified only when a dashboard flag was raised for at least
one active clinician of theirs; otherwise it says that nobody was alerted.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role, User
from spinewise.assistant.intents import Intent
from spinewise.assistant.knowledge import Article, load_knowledge_base
from spinewise.assistant.llm import LLMConfig
from spinewise.assistant.models import (
    ActionStatus,
    AssistantAction,
    AssistantConversation,
    AssistantMessage,
)
from spinewise.assistant.respond import Assistant, AssistantReply
from spinewise.assistant.retrieval import HybridRetriever, SearchResult
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile, level_rank
from spinewise.config import Settings
from spinewise.consults import scheduling
from spinewise.consults import service as consults
from spinewise.consults.models import MessageThread
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, InvalidInput, NotFound
from spinewise.core.events import Event
from spinewise.core.mail import Mailer
from spinewise.core.permissions import readable_patient_ids
from spinewise.db import utcnow
from spinewise.outcomes import service as outcomes
from spinewise.rehab import service as rehab
from spinewise.reminders import schedule as reminder_time
from spinewise.reminders import service as reminders

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 5000  # the triage refuses longer messages
# Intents the patient confirms before anything happens (``next_appointment`` is a query and
# is answered at once).
CONFIRMABLE = frozenset(
    {"log_pain", "medication_taken", "exercise_done", "set_reminder", "handover"}
)
RED_FLAG_LIST = sorted(RED_FLAG_LEVELS)  # urgent, emergency: a dashboard flag until acknowledged
RED_FLAG_NOTICE_SUBJECT = "A patient's message in Spinewise needs attention"


def red_flag_topic(patient_id: int) -> str:
    """Bus topic of an urgent or emergency message (subscribe to ``assistant.red_flag.*``)."""
    return f"assistant.red_flag.{patient_id}"


# --- the assistant itself -------------------------------------------------------------------


def build_assistant(settings: Settings, *, retrieval: str | None = None) -> Assistant:
    """An assistant from the settings (``retrieval`` overrides ``assistant_retrieval``).

    ``"bm25"`` never loads a model (nor the semantic safety net, which needs it);
    ``settings.llm_url`` turns on the optional language model, which only ever sees routine
    and self-care messages (triage runs first and overrides it).
    """
    knowledge = load_knowledge_base()
    mode = retrieval or settings.assistant_retrieval
    retriever = HybridRetriever(knowledge, mode="bm25" if mode == "bm25" else "hybrid")
    llm = None
    if settings.llm_url.strip():
        llm = LLMConfig(
            url=settings.llm_url.strip(),
            model=settings.llm_model or "default",
            api_key=settings.llm_api_key or None,
        )
    return Assistant(knowledge, retriever, llm)


class AssistantProvider:
    """The process's assistant, never making a patient wait for the embedding model.

    Every answer needs the learned red-flag screen, which is trained when first needed (about
    16 s, ``classifier.default_classifier``); loading all-MiniLM-L6-v2 takes seconds more (tens
    of seconds on a busy small machine). So :meth:`warm_up` (called on first use, and by a
    long-running server when it starts) trains the screen in a background thread, then builds
    the hybrid assistant (model, passage embeddings, semantic safety net) and swaps it in. A
    question that arrives before the screen is ready waits for that one training; after that it
    gets the BM25 assistant with the rules and the screen at once. Until the hybrid one is in
    place answers come from BM25 retrieval; the safety net can only raise a level, so nothing an
    answer says becomes less safe.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._current = build_assistant(settings, retrieval="bm25")
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def get(self) -> Assistant:
        self.warm_up()
        return self._current

    def warm_up(self) -> None:
        """Start preparing what answers need in the background (once per process)."""
        if self._warming is None:
            with self._lock:
                if self._warming is None:
                    self._warming = threading.Thread(
                        target=self._warm, name="assistant-warm-up", daemon=True
                    )
                    self._warming.start()

    def _warm(self) -> None:
        try:
            self._current.triage("back pain")  # trains the learned screen before anything else
        except Exception:  # the first question will meet (and report) the same error
            logger.exception("assistant: the learned screen could not be trained")
            return
        if self._settings.assistant_retrieval != "hybrid":
            return
        try:
            hybrid = build_assistant(self._settings, retrieval="hybrid")
            hybrid.retriever.search("back pain", k=1)  # loads the model, embeds the passages
            hybrid.triage("back pain")  # loads the semantic safety net
        except Exception:  # keep serving BM25 answers; the retriever already logged why
            logger.exception("assistant: hybrid retrieval could not be prepared")
            return
        self._current = hybrid

    def wait_ready(self, timeout_s: float) -> bool:
        """For tests and warm-up scripts: wait until the hybrid assistant is in place."""
        if self._warming is not None:
            self._warming.join(timeout_s)
        return self._current.retriever.mode == "hybrid"


# The retriever loads its model once behind its own lock; replies are serialised too, so a
# burst of first questions does not run several model loads or encodings side by side on a
# small machine (a reply takes milliseconds once the model is loaded).
_REPLY_LOCK = threading.Lock()


def profile_for(patient: Patient, today: dt.date | None = None) -> PatientProfile:
    """What the app knows that changes triage: age and history flags from the profile."""
    return PatientProfile(
        age=accounts.age_on(patient.date_of_birth, today or rehab.today_for(patient)),
        cancer_history=patient.cancer_history,
        osteoporosis=patient.osteoporosis,
        long_term_steroids=patient.long_term_steroids,
        immunosuppressed=patient.immunosuppressed,
    )


# --- access ---------------------------------------------------------------------------------


def own_patient(session: Session, actor: Actor) -> Patient:
    if actor.user is None:
        raise NotFound("patient not found")
    if actor.user.role != Role.patient:
        raise Forbidden("only patients talk to the assistant")
    patient = accounts.patient_of(session, user=actor.user)
    if patient is None:
        raise NotFound("patient not found")
    return patient


def readable_conversations(user: User) -> Select[AssistantConversation]:
    return select(AssistantConversation).where(
        AssistantConversation.patient_id.in_(readable_patient_ids(user))
    )


def get_readable_conversation(
    session: Session,
    *,
    actor: Actor,
    conversation_id: int,
    resource: str = "assistant.conversation",
    action: str = "read",
) -> AssistantConversation:
    """The conversation if ``actor`` may see it (audited), else ``NotFound``."""
    if actor.user is None:
        raise NotFound("conversation not found")
    conversation = session.scalar(
        readable_conversations(actor.user).where(AssistantConversation.id == conversation_id)
    )
    if conversation is None:
        raise NotFound("conversation not found")
    audit.record(
        session,
        actor=actor,
        patient_id=conversation.patient_id,
        resource=resource,
        action=action,
        detail=f"conversation {conversation.id}",
    )
    return conversation


def _own_action(session: Session, *, actor: Actor, action_id: int) -> AssistantAction:
    """An action of the actor's own conversations: only the patient confirms or declines."""
    patient = own_patient(session, actor)
    action = session.scalar(
        select(AssistantAction).where(
            AssistantAction.id == action_id, AssistantAction.patient_id == patient.id
        )
    )
    if action is None:
        raise NotFound("action not found")
    return action


def active_care_team(session: Session, *, patient_id: int) -> list[User]:
    """Clinicians who see this patient's dashboard flags (active accounts only)."""
    return [u for u in accounts.care_team(session, patient_id=patient_id) if u.is_active]


# --- a message and its answer ---------------------------------------------------------------


@dataclass
class AskOutcome:
    conversation: AssistantConversation
    message: AssistantMessage
    actions: list[AssistantAction]
    reply: AssistantReply
    # Sent by the shell after the commit: bus events and e-mail notices (no health details).
    events: list[Event] = field(default_factory=list)
    notice_emails: list[str] = field(default_factory=list)


def ask(
    session: Session,
    *,
    actor: Actor,
    assistant: Assistant,
    text: str,
    conversation_id: int | None = None,
    now: dt.datetime | None = None,
) -> AskOutcome:
    """Answer one patient message: triage first, store it, flag red flags for the care team.

    ``conversation_id`` continues one of the patient's conversations; without it a new one
    starts. Urgent and emergency messages raise a dashboard flag (until a clinician
    acknowledges it), an event on ``assistant.red_flag.<patient_id>`` and an e-mail notice
    without health details to the care team.
    """
    patient = own_patient(session, actor)
    text = text.strip()
    if not text:
        raise InvalidInput("text", "write a message")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput("text", f"is longer than {MAX_TEXT_CHARS} characters")
    now = now or utcnow()
    if conversation_id is not None:
        conversation = get_readable_conversation(
            session, actor=actor, conversation_id=conversation_id, action="write"
        )
    else:
        conversation = AssistantConversation(patient_id=patient.id, started_at=now, last_at=now)
        session.add(conversation)
        session.flush()

    with _REPLY_LOCK:
        reply = assistant.reply(text, profile_for(patient))
    team: list[User] = []
    if reply.triage.notify_care_team:
        team = active_care_team(session, patient_id=patient.id)
        # The flag is the unacknowledged red-flag message stored below: every clinician of
        # the care team sees it on their dashboard, so "notified" is true when there is one.
        reply = reply.with_care_team(notified=bool(team), has_care_team=bool(team))

    answer = reply.answer
    shown_actions = [dict(a) for a in reply.actions]
    for intent in reply.intents:
        if intent.kind == "next_appointment":
            info = next_appointment_text(session, actor=actor, patient=patient, now=now)
            answer = answer.replace(intent.confirmation_prompt, info)
            for shown in shown_actions:
                if shown["type"] == "next_appointment":
                    shown["result"] = info

    message = AssistantMessage(
        conversation_id=conversation.id,
        patient_id=patient.id,
        text=text,
        reply=answer,
        level=reply.triage.level,
        findings=[f.to_dict() for f in reply.triage.findings],
        sources=[{"id": i, "title": t} for i, t in reply.sources],
        actions=shown_actions,
        generator=reply.generator,
        care_team_notified=reply.care_team_notified,
        created_at=now,
    )
    session.add(message)
    session.flush()
    actions = _store_actions(session, message=message, intents=reply.intents, now=now)
    conversation.last_at = now
    if level_rank(reply.triage.level) > level_rank(conversation.highest_level):
        conversation.highest_level = reply.triage.level
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="assistant.message",
        action="create",
        detail=f"conversation {conversation.id} message {message.id} level {message.level}",
    )
    outcome = AskOutcome(conversation, message, actions, reply)
    if reply.triage.level in RED_FLAG_LEVELS:
        outcome.events.append(
            Event(
                red_flag_topic(patient.id),
                {
                    "patient_id": patient.id,
                    "conversation_id": conversation.id,
                    "message_id": message.id,
                    "level": message.level,
                    "flags": [f["code"] for f in message.findings if f["level"] == message.level],
                    "care_team_notified": message.care_team_notified,
                },
            )
        )
        outcome.notice_emails = sorted(u.email for u in team)
    return outcome


def _store_actions(
    session: Session, *, message: AssistantMessage, intents: Sequence[Intent], now: dt.datetime
) -> list[AssistantAction]:
    rows = []
    for intent in intents:
        if intent.kind not in CONFIRMABLE:
            continue
        row = AssistantAction(
            message_id=message.id,
            patient_id=message.patient_id,
            kind=intent.kind,
            params=dict(intent.params),
            prompt=intent.confirmation_prompt,
            status=ActionStatus.pending,
            created_at=now,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def next_appointment_text(
    session: Session, *, actor: Actor, patient: Patient, now: dt.datetime
) -> str:
    """The patient's next booked consultation and today's exercise session, in their words."""
    rows, _ = consults.list_appointments(
        session, actor=actor, start=now, include_cancelled=False, limit=1
    )
    parts = []
    if rows:
        appointment = rows[0]
        clinician = session.get(User, appointment.clinician_id)
        who = (clinician.name or clinician.email) if clinician else "your clinician"
        kind = {"video": "a video call", "phone": "a phone call", "in_person": "a visit"}.get(
            str(appointment.kind), "an appointment"
        )
        when = scheduling.format_local(appointment.start_at, patient.timezone)
        parts.append(f"Your next appointment is {kind} with {who} on {when}.")
    else:
        parts.append("You have no appointment booked. You can book one under Appointments.")
    plan = rehab.today_plan(session, patient=patient)
    if plan.programme is not None and plan.items:
        done = "already logged" if plan.sessions_today else "not logged yet"
        parts.append(
            f"Today's exercise session ({len(plan.items)} exercises in "
            f"\u201c{plan.programme.current.name}\u201d) is {done}."
        )
    elif plan.programme is not None:
        parts.append("Your exercise programme has no exercises for this week.")
    return " ".join(parts)


# --- confirming actions ---------------------------------------------------------------------


@dataclass
class ActionOutcome:
    action: AssistantAction
    thread: MessageThread | None = None
    notice_emails: list[str] = field(default_factory=list)


def confirm_action(
    session: Session,
    *,
    actor: Actor,
    action_id: int,
    data_dir: Path,
    max_bytes: int,
    base_url: str = "",
) -> ActionOutcome:
    """Carry out a pending action the patient confirmed (a second confirm changes nothing)."""
    action = _own_action(session, actor=actor, action_id=action_id)
    if action.status != ActionStatus.pending:
        return ActionOutcome(action)
    patient = own_patient(session, actor)
    outcome = ActionOutcome(action)
    try:
        with session.begin_nested():  # a refused action leaves nothing half-written
            if action.kind == "log_pain":
                action.result = _log_pain(session, actor=actor, patient=patient, action=action)
                action.status = ActionStatus.done
            elif action.kind == "exercise_done":
                action.result = _log_exercise(session, actor=actor, patient=patient, action=action)
                action.status = ActionStatus.done
            elif action.kind in ("medication_taken", "set_reminder"):
                action.status, action.result = _reminders_adapter(
                    session, actor=actor, patient=patient, kind=action.kind, params=action.params
                )
            elif action.kind == "handover":
                message = session.get(AssistantMessage, action.message_id)
                assert message is not None
                conversation = get_readable_conversation(
                    session, actor=actor, conversation_id=message.conversation_id, action="write"
                )
                outcome.thread, outcome.notice_emails = handover(
                    session,
                    actor=actor,
                    conversation=conversation,
                    data_dir=data_dir,
                    max_bytes=max_bytes,
                    base_url=base_url,
                )
                action.status = ActionStatus.done
                action.result = "Sent to your care team. A clinician will reply in Messages."
            else:  # pragma: no cover - CONFIRMABLE and this dispatch are kept together
                raise InvalidInput("action", f"unknown action {action.kind!r}")
    except InvalidInput as exc:
        action.status = ActionStatus.failed
        action.result = f"Nothing was saved: {exc.message}"
    action.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=action.patient_id,
        resource="assistant.action",
        action="confirm",
        detail=f"action {action.id} {action.kind} {action.status}",
    )
    return outcome


def decline_action(session: Session, *, actor: Actor, action_id: int) -> AssistantAction:
    action = _own_action(session, actor=actor, action_id=action_id)
    if action.status == ActionStatus.pending:
        action.status = ActionStatus.declined
        action.result = "Nothing was done."
        action.decided_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            patient_id=action.patient_id,
            resource="assistant.action",
            action="decline",
            detail=f"action {action.id} {action.kind}",
        )
    return action


def _log_pain(session: Session, *, actor: Actor, patient: Patient, action: AssistantAction) -> str:
    """Today's pain-diary score (NPRS 0-10), keeping whatever else today's entry holds."""
    score = action.params.get("score")
    today = rehab.today_for(patient)
    entries = outcomes.diary_entries(session, patient_id=patient.id, since=today)
    existing = next((e for e in entries if e.day == today), None)
    data: dict[str, Any] = existing.to_dict() if existing else {"day": today.isoformat()}
    data["back_pain"] = score
    outcomes.save_diary_entry(session, actor=actor, patient=patient, data=data)
    return f"Saved: back pain {score}/10 for today in your pain diary."


def _log_exercise(
    session: Session, *, actor: Actor, patient: Patient, action: AssistantAction
) -> str:
    """Today's session of the active programme, every exercise done (idempotent per action)."""
    plan = rehab.today_plan(session, patient=patient)
    if plan.programme is None or not plan.items:
        raise InvalidInput("programme", "there is no exercise session planned for today")
    rehab.log_session(
        session,
        actor=actor,
        patient=patient,
        client_id=f"assistant-action-{action.id}",
        exercises=[{"exercise_id": i.item.exercise_id, "status": "done"} for i in plan.items],
    )
    return f"Saved: today's session ({len(plan.items)} exercises) marked as done."


def _reminders_adapter(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    kind: str,
    params: dict[str, Any],
) -> tuple[ActionStatus, str]:
    """Carry out a confirmed reminder action through the reminders domain (same transaction).

    - ``set_reminder``: ``params`` = ``{"what", "kind": exercise|medication|other, "time":
      "HH:MM" 24 h in the patient's zone or None, "time_ambiguous", "repeat": None|"daily"|…}``.
      One-off and daily reminders are set from chat; other patterns (weekly, every N hours)
      are refused with a pointer to the Reminders page rather than guessed.
    - ``medication_taken``: ``params`` = ``{"medication": name or None, "quantity", "time":
      "HH:MM" or None}``; answers the matching due dose, or logs an as-needed one.

    A refusal raises ``InvalidInput``; the caller rolls the savepoint back and says so.
    """
    tz = reminder_time.zone(patient.timezone)
    now = utcnow()
    if kind == "medication_taken":
        at = None
        if params.get("time"):
            at = reminder_time.resolve_local(
                now.astimezone(tz).date(), dt.time.fromisoformat(params["time"]), tz
            )
            if at > now:
                raise InvalidInput("time", "that time is later today; say when you took them")
        result = reminders.record_intake(
            session,
            patient_id=patient.id,
            medication_name=params.get("medication"),
            at=at,
            recorded_by=actor.user_id,
            now=now,
        )
        when = result.at.astimezone(tz).strftime("%H:%M")
        return ActionStatus.done, f"Recorded: {result.medication} taken at {when}."

    if params.get("time") is None or params.get("time_ambiguous"):
        raise InvalidInput("time", "please say the time with am or pm, e.g. 'at 6 pm'")
    local = dt.time.fromisoformat(params["time"])
    repeat = params.get("repeat")
    if repeat not in (None, "daily"):
        raise InvalidInput(
            "repeat", f"'{repeat}' reminders are set on the Reminders page, not from chat"
        )
    what = (params.get("what") or "").strip()[:80]
    if params.get("kind") == "exercise":
        reminders.add_exercise_reminder(
            session,
            patient_id=patient.id,
            local_time=local,
            daily=repeat == "daily",
            created_by=actor.user_id,
            now=now,
        )
    else:
        reminder_kind = "medication" if params.get("kind") == "medication" else "other"
        title = what or ("Medication" if reminder_kind == "medication" else "Reminder")
        if repeat == "daily":
            reminders.create_schedule(
                session,
                patient=patient,
                data=reminders.ScheduleInput(
                    kind=reminder_kind, title=title, times=[f"{local:%H:%M}"]
                ),
                created_by=actor.user_id,
                source="assistant",
                now=now,
            )
        else:
            day = now.astimezone(tz).date()
            due = reminder_time.resolve_local(day, local, tz)
            if due <= now:
                due = reminder_time.resolve_local(day + dt.timedelta(days=1), local, tz)
            reminders.add_one_off(
                session,
                patient=patient,
                due_at=due,
                kind=reminder_kind,
                title=title,
                created_by=actor.user_id,
                now=now,
            )
    every = "every day" if repeat == "daily" else "once"
    return ActionStatus.done, f"Reminder set for {local:%H:%M} ({every}). See it under Reminders."


# --- talking to a person --------------------------------------------------------------------

HANDOVER_SUBJECT = "Please contact me (from the assistant)"
HANDOVER_QUOTED = 3  # the last messages quoted in the secure message


def handover(
    session: Session,
    *,
    actor: Actor,
    conversation: AssistantConversation,
    data_dir: Path,
    max_bytes: int,
    base_url: str = "",
) -> tuple[MessageThread, list[str]]:
    """A secure message from the patient to their care team with the conversation linked.

    The first hand-over opens a thread (consults messaging); a later one adds to it. Returns
    the thread and whom to e-mail a notice (the care team; no health details in the e-mail).
    """
    patient = own_patient(session, actor)
    if conversation.patient_id != patient.id:
        raise NotFound("conversation not found")
    recent = list(
        session.scalars(
            select(AssistantMessage)
            .where(AssistantMessage.conversation_id == conversation.id)
            .order_by(AssistantMessage.id.desc())
            .limit(HANDOVER_QUOTED)
        )
    )[::-1]
    link = f"{base_url.rstrip('/')}/patients/{patient.id}/assistant#conversation-{conversation.id}"
    lines = [
        "I would like to talk to a person about my conversation with the Spinewise assistant.",
        "",
        f"Conversation {conversation.id} (highest triage level: "
        f"{conversation.highest_level.replace('_', ' ')}): {link}",
    ]
    if recent:
        lines += ["", "My last messages:"]
        lines += [f"- [{m.level.replace('_', ' ')}] {_clip(m.text, 300)}" for m in recent]
    body = "\n".join(lines)
    thread = (
        session.get(MessageThread, conversation.handover_thread_id)
        if conversation.handover_thread_id
        else None
    )
    if thread is None:
        thread, _ = consults.start_thread(
            session,
            actor=actor,
            subject=HANDOVER_SUBJECT,
            body=body,
            data_dir=data_dir,
            max_bytes=max_bytes,
        )
        conversation.handover_thread_id = thread.id
        session.flush()
    else:
        consults.post_message(
            session, actor=actor, thread=thread, body=body, data_dir=data_dir, max_bytes=max_bytes
        )
    assert actor.user is not None
    return thread, consults.notice_recipients(session, thread=thread, sender=actor.user)


def conversation_to_hand_over(
    session: Session, *, actor: Actor, conversation_id: int | None
) -> AssistantConversation:
    """The conversation named, or a new empty one ("talk to a person" before any question)."""
    if conversation_id is not None:
        return get_readable_conversation(
            session, actor=actor, conversation_id=conversation_id, action="write"
        )
    patient = own_patient(session, actor)
    conversation = AssistantConversation(patient_id=patient.id)
    session.add(conversation)
    session.flush()
    return conversation


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# --- reading conversations ------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationView:
    conversation: AssistantConversation
    messages: list[tuple[AssistantMessage, list[AssistantAction]]]


def conversations_of(
    session: Session, *, patient_id: int, offset: int = 0, limit: int = 20
) -> tuple[list[ConversationView], int]:
    """A patient's conversations, newest first, with their messages and actions (the caller
    fetched the patient through the access predicate, which audited the read)."""
    where = AssistantConversation.patient_id == patient_id
    total = session.scalar(select(func.count(AssistantConversation.id)).where(where)) or 0
    rows = list(
        session.scalars(
            select(AssistantConversation)
            .where(where)
            .order_by(AssistantConversation.last_at.desc(), AssistantConversation.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    return views_of(session, rows), total


def views_of(
    session: Session, conversations: Sequence[AssistantConversation]
) -> list[ConversationView]:
    ids = [c.id for c in conversations]
    messages = list(
        session.scalars(
            select(AssistantMessage)
            .where(AssistantMessage.conversation_id.in_(ids))
            .order_by(AssistantMessage.id)
        )
    )
    actions: dict[int, list[AssistantAction]] = {}
    for row in session.scalars(
        select(AssistantAction)
        .where(AssistantAction.message_id.in_([m.id for m in messages]))
        .order_by(AssistantAction.id)
    ):
        actions.setdefault(row.message_id, []).append(row)
    by_conversation: dict[int, list[tuple[AssistantMessage, list[AssistantAction]]]] = {}
    for m in messages:
        by_conversation.setdefault(m.conversation_id, []).append((m, actions.get(m.id, [])))
    return [ConversationView(c, by_conversation.get(c.id, [])) for c in conversations]


def my_conversations(
    session: Session, *, actor: Actor, offset: int = 0, limit: int = 20
) -> tuple[list[ConversationView], int]:
    """The signed-in patient's own conversations (the read is audited)."""
    patient = own_patient(session, actor)
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="assistant.conversations",
        action="read",
    )
    return conversations_of(session, patient_id=patient.id, offset=offset, limit=limit)


def actions_of(session: Session, *, message_id: int) -> list[AssistantAction]:
    return list(
        session.scalars(
            select(AssistantAction)
            .where(AssistantAction.message_id == message_id)
            .order_by(AssistantAction.id)
        )
    )


def latest_conversation(session: Session, *, actor: Actor) -> AssistantConversation | None:
    """The patient's most recent conversation (what the chat page continues)."""
    patient = own_patient(session, actor)
    return session.scalar(
        select(AssistantConversation)
        .where(AssistantConversation.patient_id == patient.id)
        .order_by(AssistantConversation.last_at.desc(), AssistantConversation.id.desc())
        .limit(1)
    )


# --- red flags for the care team ------------------------------------------------------------


def open_red_flags(session: Session, *, patient_id: int) -> list[AssistantMessage]:
    """Urgent and emergency messages no clinician has acknowledged yet, newest first."""
    return list(
        session.scalars(
            select(AssistantMessage)
            .where(
                AssistantMessage.patient_id == patient_id,
                AssistantMessage.level.in_(RED_FLAG_LIST),
                AssistantMessage.acknowledged_at.is_(None),
            )
            .order_by(AssistantMessage.id.desc())
        )
    )


def red_flags_by_patient(
    session: Session, user: User, patient_ids: list[int]
) -> dict[int, list[rehab.Flag]]:
    """Dashboard flags (``rehab.FLAG_PROVIDERS``): unacknowledged urgent/emergency messages.

    ``patient_ids`` are the clinician's readable patients (the dashboard audited them).
    """
    if not patient_ids:
        return {}
    rows = session.execute(
        select(AssistantMessage.patient_id, AssistantMessage.level, func.count())
        .where(
            AssistantMessage.patient_id.in_(patient_ids),
            AssistantMessage.patient_id.in_(readable_patient_ids(user)),
            AssistantMessage.level.in_(RED_FLAG_LIST),
            AssistantMessage.acknowledged_at.is_(None),
        )
        .group_by(AssistantMessage.patient_id, AssistantMessage.level)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for patient_id, level, n in rows:
        counts.setdefault(patient_id, {})[level] = n
    flags = {}
    for patient_id, by_level in counts.items():
        top = "emergency" if "emergency" in by_level else "urgent"
        n = sum(by_level.values())
        flags[patient_id] = [
            rehab.Flag(
                "red_flag",
                "Emergency message" if top == "emergency" else "Urgent message",
                f"{n} urgent or emergency message{'s' if n != 1 else ''} to the assistant "
                "not yet acknowledged",
                "bad",
                href=f"/patients/{patient_id}/assistant",
            )
        ]
    return flags


def acknowledge(
    session: Session, *, actor: Actor, patient: Patient, message_id: int
) -> AssistantMessage:
    """A clinician of the care team has seen a red-flag message (clears the dashboard flag)."""
    if actor.user is None or actor.user.role != Role.clinician:
        raise Forbidden("only the care team acknowledges red flags")
    message = session.scalar(
        select(AssistantMessage).where(
            AssistantMessage.id == message_id, AssistantMessage.patient_id == patient.id
        )
    )
    if message is None:
        raise NotFound("message not found")
    if message.acknowledged_at is None:
        message.acknowledged_at = utcnow()
        message.acknowledged_by_id = actor.user.id
        session.flush()
        audit.record(
            session,
            actor=actor,
            patient_id=patient.id,
            resource="assistant.red_flag",
            action="acknowledge",
            detail=f"message {message.id} level {message.level}",
        )
    return message


def send_red_flag_notices(mailer: Mailer, *, emails: Sequence[str]) -> None:
    """E-mail the care team that a message needs attention: no name, no symptom, no level."""
    link = f"{mailer.settings.base_url.rstrip('/')}/clinician/dashboard"
    for email in emails:
        mailer.send(
            to=email,
            subject=RED_FLAG_NOTICE_SUBJECT,
            body=(
                "A message a patient sent to the Spinewise assistant needs your attention.\n\n"
                f"Sign in to see it: {link}\n\n"
                "For privacy this e-mail does not say who wrote or what it is about.\n"
            ),
        )


# --- help centre ----------------------------------------------------------------------------


def search_help(assistant: Assistant, *, query: str, k: int = 8) -> list[SearchResult]:
    query = query.strip()
    if not query:
        return []
    if len(query) > 500:
        raise InvalidInput("q", "is longer than 500 characters")
    with _REPLY_LOCK:
        return assistant.retriever.search(query, k=k)


def get_article(assistant: Assistant, article_id: str) -> Article:
    return assistant.knowledge.get(article_id)


# --- demo data ------------------------------------------------------------------------------

#: SYNTHETIC demo conversations (written for the demo, not from patients), by demo e-mail:
#: questions the help centre answers, an app action waiting for confirmation, and, for a
#: patient with a cancer history, new night pain that the profile makes urgent.
DEMO_CONVERSATIONS: dict[str, tuple[str, ...]] = {
    "olivia@demo.spinewise.org": (
        "How should I set up my desk and chair at work?",
        "my pain is 4 today",
    ),
    "mei@demo.spinewise.org": ("My back has been aching at night for the last three weeks",),
}


def seed_demo(session: Session, *, now: dt.datetime | None = None) -> None:
    """Give the demo patients a short conversation each (skipped if they already have one).

    Runs the real pipeline with BM25 retrieval (no model download or load during seeding),
    so the stored answers, flags and actions are exactly what the app would produce.
    """
    now = now or utcnow()
    knowledge = load_knowledge_base()
    assistant = Assistant(knowledge, HybridRetriever(knowledge, mode="bm25"), None)
    for email, texts in DEMO_CONVERSATIONS.items():
        user = accounts.get_user_by_email(session, email)
        patient = accounts.patient_of(session, user=user) if user else None
        if user is None or patient is None:
            continue
        exists = session.scalar(
            select(AssistantConversation.id).where(AssistantConversation.patient_id == patient.id)
        )
        if exists is not None:
            continue
        actor = Actor(user, client_addr="demo")
        conversation_id: int | None = None
        for n, text in enumerate(texts):
            at = now - dt.timedelta(hours=20) + dt.timedelta(minutes=2 * n)
            outcome = ask(
                session,
                actor=actor,
                assistant=assistant,
                text=text,
                conversation_id=conversation_id,
                now=at,
            )
            conversation_id = outcome.conversation.id
