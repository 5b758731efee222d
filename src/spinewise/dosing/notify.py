"""Publish a service's events once its transaction has committed (never for a rolled-back one).

The request's session commits when the route's dependencies close, which is after the route
has returned, so a route cannot publish itself without risking an event about data that then
rolls back. ``publish_after_commit`` hooks SQLAlchemy's ``after_commit`` on the session: the
events go out from the thread that committed, through the app's event loop.

(Candidate for ``core/``: any domain that publishes from a synchronous route needs the same.)
"""

from __future__ import annotations

from collections.abc import Sequence

import anyio.from_thread
import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session

from spinewise.core.events import Event, EventBus

log = structlog.get_logger("spinewise.dosing")


def publish_after_commit(session: Session, bus: EventBus, events: Sequence[Event]) -> None:
    """Publish ``events`` on ``bus`` right after ``session`` commits (dropped on rollback)."""
    if not events:
        return
    pending = list(events)

    def _after_commit(_session: Session) -> None:
        for item in pending:
            try:
                anyio.from_thread.run(bus.publish, item.topic, item.payload)
            except Exception:  # live-only delivery: the stored data stays the source of truth
                log.exception("dosing.publish_failed", topic=item.topic)

    def _after_rollback(_session: Session) -> None:
        if event.contains(session, "after_commit", _after_commit):
            event.remove(session, "after_commit", _after_commit)

    event.listen(session, "after_commit", _after_commit, once=True)
    event.listen(session, "after_rollback", _after_rollback, once=True)
