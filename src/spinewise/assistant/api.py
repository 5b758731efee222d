"""JSON routes of the assistant: ask, confirm actions, talk to a person, conversations for the
patient and the care team, red-flag acknowledgement, and the help centre's articles.

Events and e-mail notices go out as background tasks, which run after the request's
transaction has committed (``SessionDep`` commits when the route returns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query
from sqlalchemy.orm import Session

from spinewise.assistant import service
from spinewise.assistant.deps import AssistantDep, CurrentConversation, IdPath
from spinewise.assistant.models import AssistantConversation
from spinewise.assistant.schemas import (
    ActionRead,
    ActionResult,
    AnswerRead,
    ArticleRead,
    ArticleSummary,
    ConversationPage,
    ConversationRead,
    HandoverRead,
    MessageCreate,
    MessageRead,
    SearchHit,
    SearchPage,
)
from spinewise.config import Settings
from spinewise.consults import service as consults
from spinewise.consults.models import MessageThread
from spinewise.core.audit import Actor
from spinewise.core.deps import (
    BusDep,
    CurrentActor,
    CurrentPatient,
    MailerDep,
    SessionDep,
    SettingsDep,
)
from spinewise.core.events import Event, EventBus
from spinewise.core.mail import Mailer

router = APIRouter(prefix="/api/v1", tags=["assistant"])


def after_commit(
    background: BackgroundTasks,
    bus: EventBus,
    mailer: Mailer,
    *,
    events: list[Event],
    red_flag_emails: Sequence[str] = (),
    message_emails: Sequence[str] = (),
) -> None:
    """Queue what must only happen once the data is committed (used by the pages too)."""
    for item in events:
        background.add_task(bus.publish, item.topic, item.payload)
    if red_flag_emails:
        background.add_task(service.send_red_flag_notices, mailer, emails=list(red_flag_emails))
    if message_emails:
        background.add_task(consults.send_message_notices, mailer, emails=list(message_emails))


def confirm_and_notify(
    session: Session,
    actor: Actor,
    action_id: int,
    settings: Settings,
    bus: EventBus,
    mailer: Mailer,
    background: BackgroundTasks,
) -> service.ActionOutcome:
    """Carry out a confirmed action and queue its e-mails for after the commit (API and pages)."""
    outcome = service.confirm_action(
        session,
        actor=actor,
        action_id=action_id,
        data_dir=settings.data_dir,
        max_bytes=settings.attachment_max_bytes,
        base_url=settings.base_url,
    )
    after_commit(background, bus, mailer, events=[], message_emails=outcome.notice_emails)
    return outcome


def handover_and_notify(
    session: Session,
    actor: Actor,
    conversation: AssistantConversation,
    settings: Settings,
    bus: EventBus,
    mailer: Mailer,
    background: BackgroundTasks,
) -> MessageThread:
    """ "Talk to a person" and queue its e-mails for after the commit (API and pages)."""
    thread, emails = service.handover(
        session,
        actor=actor,
        conversation=conversation,
        data_dir=settings.data_dir,
        max_bytes=settings.attachment_max_bytes,
        base_url=settings.base_url,
    )
    after_commit(background, bus, mailer, events=[], message_emails=emails)
    return thread


@router.post("/assistant/messages", response_model=AnswerRead, status_code=201)
def ask(
    body: MessageCreate,
    actor: CurrentActor,
    session: SessionDep,
    assistant: AssistantDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> AnswerRead:
    """Ask the assistant (patients only). Triage runs first: an urgent or emergency answer
    says what to do now, raises a dashboard flag for the care team and publishes
    ``assistant.red_flag.<patient_id>``; app actions wait for ``…/actions/{id}/confirm``."""
    outcome = service.ask(
        session,
        actor=actor,
        assistant=assistant,
        text=body.text,
        conversation_id=body.conversation_id,
    )
    after_commit(
        background, bus, mailer, events=outcome.events, red_flag_emails=outcome.notice_emails
    )
    read = MessageRead.of(outcome.message, outcome.actions)
    return AnswerRead(**read.model_dump())


@router.get("/assistant/conversations", response_model=ConversationPage)
def my_conversations(
    actor: CurrentActor,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ConversationPage:
    """The signed-in patient's own conversations, newest first."""
    views, total = service.my_conversations(session, actor=actor, offset=offset, limit=limit)
    return ConversationPage(
        items=[ConversationRead.of(v.conversation, v.messages) for v in views], total=total
    )


@router.get("/assistant/conversations/{conversation_id}", response_model=ConversationRead)
def get_conversation(conversation: CurrentConversation, session: SessionDep) -> ConversationRead:
    """One conversation, for its patient or their care team."""
    [view] = service.views_of(session, [conversation])
    return ConversationRead.of(view.conversation, view.messages)


@router.post(
    "/assistant/conversations/{conversation_id}/handover",
    response_model=HandoverRead,
    status_code=201,
)
def handover(
    conversation: CurrentConversation,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> HandoverRead:
    """ "Talk to a person": a secure message to the care team with the conversation linked."""
    thread = handover_and_notify(session, actor, conversation, settings, bus, mailer, background)
    return HandoverRead(
        conversation_id=conversation.id, thread_id=thread.id, thread_url=f"/messages/{thread.id}"
    )


@router.post("/assistant/actions/{action_id}/confirm", response_model=ActionResult)
def confirm_action(
    action_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> ActionResult:
    """Carry out a pending action (patients, their own). Confirming twice does it once."""
    outcome = confirm_and_notify(session, actor, action_id, settings, bus, mailer, background)
    return ActionResult(
        action=ActionRead.of(outcome.action),
        thread_id=outcome.thread.id if outcome.thread else None,
    )


@router.post("/assistant/actions/{action_id}/decline", response_model=ActionResult)
def decline_action(action_id: IdPath, actor: CurrentActor, session: SessionDep) -> ActionResult:
    action = service.decline_action(session, actor=actor, action_id=action_id)
    return ActionResult(action=ActionRead.of(action))


@router.get("/patients/{patient_id}/assistant/conversations", response_model=ConversationPage)
def patient_conversations(
    patient: CurrentPatient,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ConversationPage:
    """A patient's conversations for the patient and their care team (audited)."""
    views, total = service.conversations_of(
        session, patient_id=patient.id, offset=offset, limit=limit
    )
    return ConversationPage(
        items=[ConversationRead.of(v.conversation, v.messages) for v in views], total=total
    )


@router.post(
    "/patients/{patient_id}/assistant/messages/{message_id}/acknowledge",
    response_model=MessageRead,
)
def acknowledge(
    patient: CurrentPatient, message_id: IdPath, actor: CurrentActor, session: SessionDep
) -> MessageRead:
    """A clinician of the care team has dealt with a red flag: the dashboard flag goes."""
    message = service.acknowledge(session, actor=actor, patient=patient, message_id=message_id)
    return MessageRead.of(message, service.actions_of(session, message_id=message.id))


# --- help centre (not health data: no sign-in needed) ----------------------------------------


@router.get("/help/articles", response_model=list[ArticleSummary])
def articles(assistant: AssistantDep) -> list[ArticleSummary]:
    """Every article of the knowledge base, by category and title."""
    return [
        ArticleSummary(
            id=a.id,
            title=a.title,
            category=a.category,
            reviewed=a.reviewed.isoformat(),
            url=f"/help/{a.id}",
        )
        for a in sorted(assistant.knowledge, key=lambda a: (a.category, a.title))
    ]


@router.get("/help/search", response_model=SearchPage)
def search(
    assistant: AssistantDep, q: Annotated[str, Query(min_length=1, max_length=500)]
) -> SearchPage:
    """The best passages for ``q``: the same retrieval the assistant answers from."""
    results = service.search_help(assistant, query=q)
    return SearchPage(
        query=q,
        mode=assistant.retriever.mode,
        items=[
            SearchHit(
                id=r.article_id,
                title=r.title,
                heading=r.passage.heading,
                passage=r.passage.text,
                url=f"/help/{r.article_id}",
            )
            for r in results
        ],
    )


@router.get("/help/articles/{article_id}", response_model=ArticleRead)
def article(
    article_id: Annotated[str, Path(max_length=100)], assistant: AssistantDep
) -> ArticleRead:
    a = service.get_article(assistant, article_id)
    return ArticleRead(
        id=a.id,
        title=a.title,
        category=a.category,
        reviewed=a.reviewed.isoformat(),
        url=f"/help/{a.id}",
        tags=list(a.tags),
        sources=list(a.sources),
        body=a.body,
        due_for_review=a.due_for_review(),
    )
