"""Dependencies of the assistant, declared once for ``api.py`` and ``pages.py``.

``AssistantDep`` is the process's :class:`~spinewise.assistant.respond.Assistant` (from one
``service.AssistantProvider`` built on first use: the knowledge base is parsed once, and with
hybrid retrieval the embedding model loads in the background and then stays loaded). ``CurrentConversation`` looks the conversation in the path up
through the care-team predicate, answers 404 when hidden and audits the access, like
``core.deps.CurrentPatient``.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.datastructures import State

from spinewise.assistant import service
from spinewise.assistant.models import AssistantConversation
from spinewise.assistant.respond import Assistant
from spinewise.core.deps import SAFE_METHODS, CurrentActor, SessionDep

_BUILD_LOCK = threading.Lock()


def assistant_provider(state: State) -> service.AssistantProvider:
    """The app's one provider (``state`` is ``app.state``), built on first use."""
    provider: service.AssistantProvider | None = getattr(state, "assistant_provider", None)
    if provider is None:
        with _BUILD_LOCK:
            provider = getattr(state, "assistant_provider", None)
            if provider is None:
                provider = service.AssistantProvider(state.settings)
                state.assistant_provider = provider
    return provider


def get_assistant(request: Request) -> Assistant:
    return assistant_provider(request.app.state).get()


def start_warm_up(state: State) -> None:
    """For a server when it starts: prepare the assistant before the first question, off the
    event loop (parsing the knowledge base alone takes a few seconds)."""
    threading.Thread(
        target=lambda: assistant_provider(state).warm_up(), name="assistant-start", daemon=True
    ).start()


# 64-bit ids: a larger number cannot be bound on SQLite (an OverflowError, i.e. a 500).
IdPath = Annotated[int, Path(ge=-(2**63), lt=2**63)]


def _conversation_in_path(
    request: Request, conversation_id: IdPath, session: SessionDep, actor: CurrentActor
) -> AssistantConversation:
    route = request.scope.get("route")
    return service.get_readable_conversation(
        session,
        actor=actor,
        conversation_id=conversation_id,
        resource=getattr(route, "path", request.url.path),
        action="read" if request.method in SAFE_METHODS else "write",
    )


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
CurrentConversation = Annotated[AssistantConversation, Depends(_conversation_in_path)]
