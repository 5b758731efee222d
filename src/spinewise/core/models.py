"""Cross-cutting tables: credentials (browser sessions and API tokens) and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class TokenKind(enum.StrEnum):
    session = "session"  # browser cookie, with a CSRF token
    api = "api"  # bearer token from POST /api/v1/auth/token


class AuthToken(Base):
    """A credential; only a SHA-256 of the random token is stored, so a database leak grants nothing."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TokenKind] = mapped_column(Enum(TokenKind, native_enum=False, length=10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64), default="")
    scopes: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuditEntry(Base):
    """One read or write of health data. Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_patient_at", "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign keys: the log outlives the accounts it mentions and is never rewritten.
    actor_id: Mapped[int | None] = mapped_column(nullable=True)
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    patient_id: Mapped[int | None] = mapped_column(nullable=True)
    resource: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    client_addr: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
