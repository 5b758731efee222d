"""HTML pages of the assistant: the patient's chat (phone-first, HTMX), the help centre, and
the care team's view of a patient's conversations with red-flag acknowledgement.

Pages only translate; ``service`` decides. With HTMX a form answers with the fragment to
insert; without JavaScript it redirects (post/redirect/get) to the full page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from spinewise.accounts import service as accounts
from spinewise.assistant import helpcentre, service
from spinewise.assistant.api import after_commit, confirm_and_notify, handover_and_notify
from spinewise.assistant.deps import AssistantDep, IdPath
from spinewise.assistant.knowledge import CATEGORIES
from spinewise.assistant.models import AssistantAction, AssistantConversation
from spinewise.core.deps import (
    BusDep,
    CurrentActor,
    CurrentPatient,
    CurrentUser,
    MailerDep,
    OptionalUser,
    SessionDep,
    SettingsDep,
)
from spinewise.core.errors import InvalidInput
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

LEVEL_LABELS = {
    "emergency": "Emergency",
    "urgent": "Get medical advice today",
    "routine": "Worth a review",
    "self_care": "Help centre",
}


def _is_htmx(request: Request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _chat_context(views: list[service.ConversationView], zone: str) -> dict[str, object]:
    return {"views": views, "level_labels": LEVEL_LABELS, "zone": zone}


# --- the patient's chat ---------------------------------------------------------------------


@router.get("/assistant", response_class=HTMLResponse)
def chat_page(
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    c: Annotated[int | None, Query(ge=1, lt=2**63)] = None,
    new: bool = False,
) -> Response:
    """Ask a question; the latest conversation continues unless ``new`` is asked for."""
    patient = service.own_patient(session, actor)
    conversation: AssistantConversation | None = None
    if c is not None:
        conversation = service.get_readable_conversation(
            session, actor=actor, conversation_id=c, resource="/assistant"
        )
    elif not new:
        conversation = service.latest_conversation(session, actor=actor)
        if conversation is not None:
            service.get_readable_conversation(
                session, actor=actor, conversation_id=conversation.id, resource="/assistant"
            )
    views = service.views_of(session, [conversation]) if conversation else []
    context = {
        **_chat_context(views, patient.timezone),
        "conversation": conversation,
        "has_care_team": bool(service.active_care_team(session, patient_id=patient.id)),
    }
    return render(request, "assistant/chat.html", context)


@router.post("/assistant/messages", response_class=HTMLResponse)
def ask(
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    assistant: AssistantDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    text: Annotated[str, Form(max_length=5000)] = "",
    conversation_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    outcome = service.ask(
        session,
        actor=actor,
        assistant=assistant,
        text=text,
        conversation_id=_optional_id(conversation_id, "conversation_id"),
    )
    after_commit(
        background, bus, mailer, events=outcome.events, red_flag_emails=outcome.notice_emails
    )
    if not _is_htmx(request):
        return RedirectResponse(
            f"/assistant?c={outcome.conversation.id}#m{outcome.message.id}", status_code=303
        )
    patient = service.own_patient(session, actor)
    context = {
        **_chat_context([], patient.timezone),
        "conversation": outcome.conversation,
        "message": outcome.message,
        "actions": outcome.actions,
    }
    return render(request, "assistant/_exchange_oob.html", context)


def _optional_id(raw: str, field: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) >= 2**63:
        raise InvalidInput(field, "must be a conversation number")
    return int(raw)


def _action_response(
    request: Request, action: AssistantAction, conversation_id: int | None
) -> Response:
    if _is_htmx(request):
        return render(request, "assistant/_action.html", {"action": action})
    target = f"/assistant?c={conversation_id}" if conversation_id else "/assistant"
    return RedirectResponse(f"{target}#action-{action.id}", status_code=303)


@router.post("/assistant/actions/{action_id}/confirm", response_class=HTMLResponse)
def confirm_action(
    request: Request,
    action_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
) -> Response:
    outcome = confirm_and_notify(session, actor, action_id, settings, bus, mailer, background)
    return _action_response(request, outcome.action, None)


@router.post("/assistant/actions/{action_id}/decline", response_class=HTMLResponse)
def decline_action(
    request: Request, action_id: IdPath, actor: CurrentActor, session: SessionDep
) -> Response:
    action = service.decline_action(session, actor=actor, action_id=action_id)
    return _action_response(request, action, None)


@router.post("/assistant/handover", response_class=HTMLResponse)
def handover(
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    bus: BusDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    conversation_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """ "Talk to a person": a secure message to the care team with this conversation linked."""
    conversation = service.conversation_to_hand_over(
        session, actor=actor, conversation_id=_optional_id(conversation_id, "conversation_id")
    )
    thread = handover_and_notify(session, actor, conversation, settings, bus, mailer, background)
    if not _is_htmx(request):
        return RedirectResponse(f"/messages/{thread.id}?done=sent", status_code=303)
    return render(
        request, "assistant/_handover.html", {"thread": thread, "conversation": conversation}
    )


# --- help centre ----------------------------------------------------------------------------


@router.get("/help", response_class=HTMLResponse)
def help_centre(
    request: Request,
    assistant: AssistantDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """Every article by category, or search results for ``q`` (signed in or not: ``user``
    only fills in the navigation)."""
    results = service.search_help(assistant, query=q) if q.strip() else []
    context = {
        "q": q,
        "results": results,
        "categories": CATEGORIES,
        "grouped": assistant.knowledge.by_category(),
        "count": len(assistant.knowledge),
        "mode": assistant.retriever.mode if q.strip() else "",
    }
    return render(request, "assistant/help.html", context)


@router.get("/help/{article_id}", response_class=HTMLResponse)
def help_article(
    request: Request,
    article_id: Annotated[str, Path(max_length=100)],
    assistant: AssistantDep,
    user: OptionalUser,
) -> Response:
    article = service.get_article(assistant, article_id)
    related = [
        a for a in assistant.knowledge.by_category()[article.category] if a.id != article.id
    ][:6]
    context = {
        "article": article,
        "category": CATEGORIES[article.category],
        "html": Markup(helpcentre.article_html(article)),
        "related": related,
    }
    return render(request, "assistant/article.html", context)


# --- the care team's view -------------------------------------------------------------------


@router.get("/patients/{patient_id}/assistant", response_class=HTMLResponse)
def patient_conversations(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A patient's conversations with the assistant; open red flags first (care team)."""
    views, total = service.conversations_of(session, patient_id=patient.id, limit=50)
    context = {
        **_chat_context(views, patient.timezone),
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "total": total,
        "red_flags": service.open_red_flags(session, patient_id=patient.id),
        "is_self": patient.user_id == user.id,
        "is_clinician": user.role == "clinician",
        "messages": ["Marked as seen."] if done == "acknowledged" else [],
    }
    return render(request, "assistant/patient_conversations.html", context)


@router.post(
    "/patients/{patient_id}/assistant/messages/{message_id}/acknowledge",
    response_class=HTMLResponse,
)
def acknowledge(
    patient: CurrentPatient, message_id: IdPath, actor: CurrentActor, session: SessionDep
) -> Response:
    service.acknowledge(session, actor=actor, patient=patient, message_id=message_id)
    return RedirectResponse(f"/patients/{patient.id}/assistant?done=acknowledged", status_code=303)
