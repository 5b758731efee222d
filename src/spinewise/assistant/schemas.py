"""Pydantic shapes of the assistant API.

``AnswerRead`` is the CLI contract of DESIGN §5 (``triage``, ``answer``, ``sources``,
``actions``) plus the ids the app needs (conversation, message, each confirmable action).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.assistant.models import (
    ActionStatus,
    AssistantAction,
    AssistantConversation,
    AssistantMessage,
)

Level = Literal["emergency", "urgent", "routine", "self_care"]


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000, description="What the patient wrote.")
    conversation_id: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="Continue this conversation; none = new."
    )


class SourceRead(BaseModel):
    id: str
    title: str
    url: str = Field(description="The help-centre page of the article.")


class ActionRead(BaseModel):
    """A confirmable app action and what became of it."""

    id: int
    type: str
    params: dict[str, Any]
    confirmation_prompt: str
    status: ActionStatus
    result: str
    confirm_url: str
    decline_url: str

    @classmethod
    def of(cls, row: AssistantAction) -> ActionRead:
        return cls(
            id=row.id,
            type=row.kind,
            params=dict(row.params),
            confirmation_prompt=row.prompt,
            status=row.status,
            result=row.result,
            confirm_url=f"/api/v1/assistant/actions/{row.id}/confirm",
            decline_url=f"/api/v1/assistant/actions/{row.id}/decline",
        )


class MessageRead(BaseModel):
    id: int
    conversation_id: int
    text: str
    triage: Level
    answer: str
    sources: list[SourceRead]
    actions: list[dict[str, Any]] = Field(
        description="Every action as shown (emergency call, care-team notice, intents); the "
        "confirmable ones also carry their ``id``, ``status`` and ``result``."
    )
    flags: list[dict[str, Any]]
    generator: str
    care_team_notified: bool
    created_at: datetime
    acknowledged_at: datetime | None

    @classmethod
    def of(cls, message: AssistantMessage, actions: list[AssistantAction]) -> MessageRead:
        return cls(
            id=message.id,
            conversation_id=message.conversation_id,
            text=message.text,
            triage=message.level,
            answer=message.reply,
            sources=[
                SourceRead(id=s["id"], title=s["title"], url=f"/help/{s['id']}")
                for s in message.sources
            ],
            actions=merged_actions(message, actions),
            flags=list(message.findings),
            generator=message.generator,
            care_team_notified=message.care_team_notified,
            created_at=message.created_at,
            acknowledged_at=message.acknowledged_at,
        )


def merged_actions(
    message: AssistantMessage, actions: list[AssistantAction]
) -> list[dict[str, Any]]:
    """The actions as the reply listed them, the stored (confirmable) ones with their state."""
    pending = list(actions)
    merged = []
    for shown in message.actions:
        item = dict(shown)
        row = next((a for a in pending if a.kind == shown.get("type")), None)
        if row is not None:
            pending.remove(row)
            item.update(ActionRead.of(row).model_dump(exclude={"type", "params"}))
            item["status"] = str(row.status)
        merged.append(item)
    return merged


class AnswerRead(MessageRead):
    """The answer to ``POST /api/v1/assistant/messages``."""


class ConversationRead(BaseModel):
    id: int
    patient_id: int
    started_at: datetime
    last_at: datetime
    highest_level: Level
    handover_thread_id: int | None
    messages: list[MessageRead]

    @classmethod
    def of(
        cls,
        conversation: AssistantConversation,
        messages: list[tuple[AssistantMessage, list[AssistantAction]]],
    ) -> ConversationRead:
        return cls(
            id=conversation.id,
            patient_id=conversation.patient_id,
            started_at=conversation.started_at,
            last_at=conversation.last_at,
            highest_level=conversation.highest_level,
            handover_thread_id=conversation.handover_thread_id,
            messages=[MessageRead.of(m, a) for m, a in messages],
        )


class ConversationPage(BaseModel):
    items: list[ConversationRead]
    total: int


class ActionResult(BaseModel):
    action: ActionRead
    thread_id: int | None = Field(
        default=None, description="The secure-message thread, after a hand-over."
    )


class HandoverRead(BaseModel):
    conversation_id: int
    thread_id: int
    thread_url: str


class ArticleSummary(BaseModel):
    id: str
    title: str
    category: str
    reviewed: str
    url: str


class ArticleRead(ArticleSummary):
    tags: list[str]
    sources: list[str]
    body: str = Field(description="Markdown.")
    due_for_review: bool


class SearchHit(BaseModel):
    id: str
    title: str
    heading: str
    passage: str
    url: str


class SearchPage(BaseModel):
    query: str
    mode: str = Field(description="hybrid (BM25 + embeddings) or bm25")
    items: list[SearchHit]
