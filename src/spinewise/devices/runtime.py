"""The live side of ingestion, one per app process: group commit, engine cache, publishing.

Every transport (HTTP batches, the WebSocket, MQTT) calls ``LiveIngestor.ingest``, which
returns only after the batch is committed, so an acknowledgement always follows durable
storage. Live events go out on the bus after the commit: ``posture.angle.<patient_id>``
(latest angle, every batch) and ``posture.alert.<patient_id>``.

**Group commit.** ``ingest`` queues the batch for this process's writer thread and waits. The
writer takes everything queued (up to ``max_group`` batches), stores it in one transaction
with one multi-row statement per table (``service.ingest_group``), commits, and only then
releases each batch's acknowledgement. While one transaction runs, the next batches queue, so
the group grows with the load and a lone batch waits for nobody (no timer). What the group path
does not cover (a device's first batch, a duplicate, a batch out of order or after a gap, a
revoked device, invalid data) is stored by ``service.ingest`` in a transaction of its own, as
is every batch of a group whose transaction failed, so one bad batch fails only itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from spinewise.accounts.models import Patient
from spinewise.core.errors import NotAuthenticated
from spinewise.core.events import EventBus
from spinewise.core.security import hash_token
from spinewise.db import unit_of_work
from spinewise.devices import service
from spinewise.devices.service import ConfigCache, EngineCache, IngestResult, QueuedBatch

if TYPE_CHECKING:
    from spinewise.devices.archive import RawArchive

log = structlog.get_logger("spinewise.devices")

TOKEN_CACHE_S = 300.0  # a token's device id is re-read after this; revocation is checked per batch
MAX_GROUP = 256  # batches per group transaction
WRITER_IDLE_S = 30.0  # the writer thread ends after this long without batches (restarts on demand)


@dataclass(frozen=True)
class Ack:
    seq: int
    accepted: int
    duplicate: bool
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "status": self.status,
        }


Outcome = tuple[Ack, int, IngestResult] | BaseException


@dataclass
class _Queued:
    batch: QueuedBatch
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[tuple[Ack, int, IngestResult]]


class LiveIngestor:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bus: EventBus,
        *,
        max_group: int = MAX_GROUP,
    ) -> None:
        self._factory = session_factory
        self._bus = bus
        self._cache = EngineCache()
        self._configs = ConfigCache()
        self._locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()
        self._tokens: dict[str, tuple[int, float]] = {}
        self._queue: queue.SimpleQueue[_Queued] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_guard = threading.Lock()
        self.max_group = max_group
        self.groups = 0  # transactions of the group path (for tests and the benchmark)
        self.archive: RawArchive | None = None  # set by devices.background when configured

    def _lock(self, device_id: int) -> threading.Lock:
        with self._locks_guard:
            return self._locks[device_id]

    # --- authentication ---------------------------------------------------------------------

    def authenticate(self, raw_token: str) -> int:
        """The device id for a token, or ``NotAuthenticated``."""
        with unit_of_work(self._factory) as session:
            device = service.device_for_token(session, raw=raw_token)
            if device is None:
                raise NotAuthenticated("unknown or revoked device token")
            return device.id

    def cached_device_id(self, raw_token: str) -> int | None:
        """The device id of a token seen in the last ``TOKEN_CACHE_S`` seconds, else None.

        Safe to use for ingestion: the batch's transaction locks the device row and refuses a
        revoked device, so a revocation takes effect at the next batch all the same."""
        cached = self._tokens.get(hash_token(raw_token))
        if cached is not None and time.monotonic() - cached[1] < TOKEN_CACHE_S:
            return cached[0]
        return None

    async def authenticate_cached(self, raw_token: str) -> int:
        device_id = self.cached_device_id(raw_token)
        if device_id is None:
            device_id = await run_in_threadpool(self.authenticate, raw_token)
            if len(self._tokens) > 100_000:
                self._tokens.clear()
            self._tokens[hash_token(raw_token)] = (device_id, time.monotonic())
        return device_id

    # --- ingestion --------------------------------------------------------------------------

    async def ingest(self, *, device_id: int, seq: Any, samples: Any) -> Ack:
        """Store and analyse one batch (committed on return), then publish live events."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[Ack, int, IngestResult]] = loop.create_future()
        self._submit(_Queued(QueuedBatch(device_id, seq, samples), loop, future))
        ack, patient_id, result = await future
        await self.publish(patient_id, result)
        return ack

    def ingest_sync(
        self, *, device_id: int, seq: Any, samples: Any
    ) -> tuple[Ack, int, IngestResult]:
        """One batch in a transaction of its own (``service.ingest``); any thread."""
        with self._lock(device_id), unit_of_work(self._factory) as session:
            device = service.lock_device(session, device_id=device_id)
            patient = session.get(Patient, device.patient_id)
            timezone = patient.timezone if patient else "UTC"
            result = service.ingest(
                session, device=device, seq=seq, rows=samples, cache=self._cache, timezone=timezone
            )
            patient_id = device.patient_id
        if self.archive is not None and not result.duplicate:  # after the commit, best effort
            self._archive(device_id, seq, samples)
        return Ack(seq, result.accepted, result.duplicate, result.status), patient_id, result

    def _submit(self, item: _Queued) -> None:
        with self._writer_guard:
            self._queue.put(item)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="spinewise-ingest-writer", daemon=True
                )
                self._writer.start()

    def _write_loop(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=WRITER_IDLE_S)
            except queue.Empty:
                with self._writer_guard:
                    if self._queue.empty():
                        self._writer = None
                        return
                continue
            group = [first]
            while len(group) < self.max_group:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write_group(group)
            except BaseException as exc:  # never leave a waiting request without an answer
                log.exception("ingest.writer_failed")
                self._deliver([(item, exc) for item in group if not item.future.done()])

    def _write_group(self, group: list[_Queued]) -> None:
        """One transaction for the plain batches of ``group``; then the rest one by one."""
        batches = [item.batch for item in group]
        device_ids = sorted({b.device_id for b in batches})
        locks = [self._lock(d) for d in device_ids]
        done: list[tuple[_Queued, Outcome]] = []
        for lock in locks:  # the idle finaliser also takes these; always in device order
            lock.acquire()
        try:
            with unit_of_work(self._factory) as session:
                stored = service.ingest_group(
                    session, batches, cache=self._cache, configs=self._configs
                )
            self.groups += 1
        except Exception:
            log.exception("ingest.group_failed", batches=len(group))
            for device_id in device_ids:  # engines may have moved past what was rolled back
                self._cache.engines.pop(device_id, None)
            stored = service.GroupResult({}, {}, list(range(len(group))))
        finally:
            for lock in locks:
                lock.release()
        for index, result in stored.results.items():
            batch = batches[index]
            ack = Ack(batch.seq, result.accepted, result.duplicate, result.status)
            done.append((group[index], (ack, stored.patients[batch.device_id], result)))
            if self.archive is not None:
                self._archive(batch.device_id, batch.seq, batch.rows)
        self._deliver(done)
        for index in stored.deferred:
            batch = batches[index]
            outcome: Outcome
            try:
                outcome = self.ingest_sync(
                    device_id=batch.device_id, seq=batch.seq, samples=batch.rows
                )
            except Exception as exc:
                outcome = exc
            self._deliver([(group[index], outcome)])

    def _deliver(self, done: list[tuple[_Queued, Outcome]]) -> None:
        """Hand the outcomes to the waiting coroutines: one wake-up per event loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Queued, Outcome]]] = {}
        for item, outcome in done:
            by_loop.setdefault(item.loop, []).append((item, outcome))
        for loop, items in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting
                loop.call_soon_threadsafe(_resolve, items)

    def _archive(self, device_id: int, seq: int, samples: Any) -> None:
        try:
            assert self.archive is not None
            self.archive.store(device_id, seq, samples)
        except Exception:  # the batch is committed; a lost archive row must not fail the ack
            log.exception("archive.store_failed")

    def finalise_idle_sync(self, *, idle_s: float) -> int:
        """Finalise every device that went quiet; returns how many were finalised."""
        with unit_of_work(self._factory) as session:
            device_ids = service.idle_devices(session, idle_s=idle_s)
        for device_id in device_ids:
            with self._lock(device_id), unit_of_work(self._factory) as session:
                device = service.lock_device(session, device_id=device_id)
                patient = session.get(Patient, device.patient_id)
                service.finalise(
                    session,
                    device=device,
                    cache=self._cache,
                    timezone=patient.timezone if patient else "UTC",
                )
        return len(device_ids)

    async def finalise_idle(self, *, idle_s: float) -> int:
        return await run_in_threadpool(self.finalise_idle_sync, idle_s=idle_s)

    async def publish(self, patient_id: int, result: IngestResult) -> None:
        if result.live is not None:
            await self._bus.publish(f"posture.angle.{patient_id}", {"type": "angle", **result.live})
        for alert in result.alerts:
            await self._bus.publish(
                f"posture.alert.{patient_id}",
                {
                    "type": "alert",
                    "id": alert.id,
                    "at": alert.at.isoformat(),
                    "reason": alert.reason,
                    "zone": alert.zone,
                    "level": alert.level,
                    "message": alert.message,
                    "deliver": alert.delivered,
                },
            )


def _resolve(items: list[tuple[_Queued, Outcome]]) -> None:
    for item, outcome in items:
        if item.future.done():  # the caller went away (cancelled)
            continue
        if isinstance(outcome, BaseException):
            item.future.set_exception(outcome)
        else:
            item.future.set_result(outcome)
