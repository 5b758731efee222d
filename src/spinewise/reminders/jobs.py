"""The reminder scheduler: a loop over the database queue (``service.claim_due`` …).

Embedded by default: the app's lifespan starts one ``ReminderScheduler.run_forever`` task per
process (``start_scheduler``). Each tick, in separate short transactions:

1. materialise occurrences of active schedules up to 48 h ahead (unique key: no duplicates);
2. claim due reminders (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), deliver or expire them
   (catch-up policy), record the in-app delivery and queue push/e-mail; commit;
3. publish the live in-app events (after the commit, never before);
4. lease queued push/e-mail deliveries, send them with no transaction open, record results.

Then it sleeps until the next due reminder or ``reminders_poll_s``, whichever comes first, or
until woken (a schedule created or snoozed in this process wakes it after its commit). Several
processes (``spinewise serve --workers N`` or ``spinewise reminders worker``) on one PostgreSQL
database share the queue without double delivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from spinewise.config import Settings
from spinewise.core.events import EventBus
from spinewise.core.mail import Mailer
from spinewise.db import unit_of_work, utcnow
from spinewise.reminders import delivery, service

log = structlog.get_logger("spinewise.reminders")
MIN_SLEEP_S = 0.05


def due_topic(patient_id: int) -> str:
    return f"reminders.due.{patient_id}"


@dataclass
class TickResult:
    materialised: int = 0
    delivered: list[service.Delivered] = field(default_factory=list)
    expired: int = 0
    sent: dict[str, int] = field(default_factory=dict)


class ReminderScheduler:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        settings: Settings,
        bus: EventBus | None = None,
        mailer: Mailer | None = None,
        worker: str | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.bus = bus
        self.mailer = mailer or Mailer(settings)
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.grace = dt.timedelta(minutes=settings.reminders_grace_min)
        self._vapid: Any = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- one tick (synchronous: runs in a worker thread) --

    def claim(self, now: dt.datetime | None = None) -> TickResult:
        """Steps 1 and 2: materialise and claim; committed when this returns."""
        now = now or utcnow()
        result = TickResult()
        with unit_of_work(self.session_factory) as session:
            result.materialised = service.materialise(session, now=now)
        with unit_of_work(self.session_factory) as session:
            result.delivered, result.expired = service.claim_due(
                session, now=now, worker=self.worker, grace=self.grace
            )
        return result

    def send_queued(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Step 4: lease, send and record push and e-mail deliveries."""
        counts: dict[str, int] = {}
        with unit_of_work(self.session_factory) as session:
            jobs = service.claim_deliveries(
                session,
                now=now or utcnow(),
                worker=self.worker,
                lease=dt.timedelta(seconds=self.settings.reminders_delivery_lease_s),
            )
        for job in jobs:
            if job.channel == "push":
                outcome, detail = delivery.send_push(
                    job,
                    vapid=self.vapid,
                    subject=self.settings.vapid_subject,
                    base_url=self.settings.base_url,
                )
            else:
                outcome, detail = delivery.send_email(
                    job, mailer=self.mailer, base_url=self.settings.base_url
                )
            with unit_of_work(self.session_factory) as session:
                service.finish_delivery(
                    session,
                    delivery_id=job.delivery_id,
                    worker=self.worker,
                    result=outcome,
                    detail=detail,
                    now=utcnow(),
                )
            counts[outcome] = counts.get(outcome, 0) + 1
        return counts

    def run_once(self, now: dt.datetime | None = None) -> TickResult:
        """A whole tick without the live events (for the CLI worker and tests)."""
        result = self.claim(now)
        result.sent = self.send_queued(now)
        return result

    @property
    def vapid(self) -> Any:
        if self._vapid is None:
            self._vapid = delivery.load_vapid(self.settings)
        return self._vapid

    def seconds_until_next(self) -> float:
        with unit_of_work(self.session_factory) as session:
            upcoming = service.next_due(session)
        poll = self.settings.reminders_poll_s
        if upcoming is None:
            return poll
        return max(MIN_SLEEP_S, min(poll, (upcoming - utcnow()).total_seconds()))

    # -- the loop --

    def wake(self) -> None:
        """Tick now (thread-safe): something new may be due sooner than the loop planned."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(self._wake.set)

    async def publish(self, delivered: list[service.Delivered]) -> None:
        if self.bus is None:
            return
        for item in delivered:
            try:
                await self.bus.publish(due_topic(item.patient_id), item.event())
            except Exception:  # live only; the page also reloads its cards
                log.exception("reminders.publish_failed", occurrence=item.occurrence_id)

    async def run_forever(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        while True:
            try:
                result = await asyncio.to_thread(self.claim)
                await self.publish(result.delivered)
                if result.delivered or result.expired:
                    log.info(
                        "reminders.tick",
                        delivered=len(result.delivered),
                        expired=result.expired,
                        worker=self.worker,
                    )
                await asyncio.to_thread(self.send_queued)
                pause = await asyncio.to_thread(self.seconds_until_next)
            except asyncio.CancelledError:
                raise
            except Exception:  # keep the scheduler alive; the next tick retries
                log.exception("reminders.tick_failed")
                pause = self.settings.reminders_poll_s
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)


def wake_after_commit(session: Session, scheduler: ReminderScheduler | None) -> None:
    """Wake the scheduler once ``session`` commits (a new or snoozed reminder may be due soon)."""
    if scheduler is None:
        return

    def _woken(_session: Session) -> None:
        scheduler.wake()

    def _forget(_session: Session) -> None:
        if event.contains(session, "after_commit", _woken):
            event.remove(session, "after_commit", _woken)

    event.listen(session, "after_commit", _woken, once=True)
    event.listen(session, "after_rollback", _forget, once=True)


@dataclass
class EmbeddedScheduler:
    scheduler: ReminderScheduler
    task: asyncio.Task[None]

    async def stop(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def start_scheduler(app: Any) -> EmbeddedScheduler | None:
    """Start the embedded scheduler if ``reminders_scheduler`` is on (the app's lifespan)."""
    scheduler: ReminderScheduler = app.state.reminders
    if not app.state.settings.reminders_scheduler:
        return None
    return EmbeddedScheduler(scheduler, asyncio.create_task(scheduler.run_forever()))
