"""Tables of the assistant: conversations, each message with its answer, and app actions.

A conversation belongs to one patient and is visible to them and to their care team (the same
predicate as every patient record). Each message keeps what the patient wrote and what the
assistant answered, with the triage level, findings, sources and actions exactly as shown, so
the care team reads the same conversation the patient saw. An urgent or emergency message is a
red flag on the clinician's dashboard until a clinician acknowledges it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class ActionStatus(enum.StrEnum):
    pending = "pending"  # shown with a confirm button
    done = "done"  # carried out (or, for a query, answered)
    declined = "declined"  # the patient said no
    unavailable = "unavailable"  # the feature it needs does not exist yet; nothing was done
    failed = "failed"  # tried and refused (e.g. no programme to log against); nothing was done


class AssistantConversation(Base):
    __tablename__ = "assistant_conversations"
    __table_args__ = (Index("ix_assistant_conversations_patient_last", "patient_id", "last_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The highest triage level reached in the conversation (self_care … emergency).
    highest_level: Mapped[str] = mapped_column(String(20), default="self_care")
    # The secure-message thread opened when the patient asked to talk to a person.
    handover_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("message_threads.id", ondelete="SET NULL"), nullable=True
    )


class AssistantMessage(Base):
    __tablename__ = "assistant_messages"
    __table_args__ = (
        Index("ix_assistant_messages_patient_level", "patient_id", "level", "acknowledged_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("assistant_conversations.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    generator: Mapped[str] = mapped_column(String(20), default="extractive")
    # True only when a dashboard flag was raised for at least one clinician of the care team.
    care_team_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class AssistantAction(Base):
    """An app action parsed from a message, carried out only after the patient confirms."""

    __tablename__ = "assistant_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("assistant_messages.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prompt: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus] = mapped_column(
        Enum(ActionStatus, native_enum=False, length=20), default=ActionStatus.pending
    )
    result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
