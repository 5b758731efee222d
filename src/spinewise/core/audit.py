"""The audit log of health-data access: who read or changed which patient's what, when, from where.

Entries are written in the same transaction as the access they describe (a failed request leaves
no entry for data it never served) and are append-only (triggers in the migration refuse UPDATE
and DELETE on every engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.core.models import AuditEntry

if TYPE_CHECKING:
    from spinewise.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where; built once per request (or CLI command, or job)."""

    user: User | None
    client_addr: str = ""

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None


def record(
    session: Session,
    *,
    actor: Actor,
    patient_id: int | None,
    resource: str,
    action: str,
    detail: str = "",
) -> AuditEntry:
    user = actor.user
    entry = AuditEntry(
        actor_id=user.id if user else None,
        actor_email=user.email if user else "",
        actor_role=str(user.role) if user else "system",
        patient_id=patient_id,
        resource=resource,
        action=action,
        client_addr=actor.client_addr,
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry


def tail(session: Session, *, patient_id: int | None = None, limit: int = 50) -> list[AuditEntry]:
    """The newest entries first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if patient_id is not None:
        query = query.where(AuditEntry.patient_id == patient_id)
    return list(session.scalars(query))
