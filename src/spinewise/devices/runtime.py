"""The live side of ingestion, one per app process: engine cache, per-device locks, publishing.

Every transport (HTTP batches, the WebSocket, MQTT) calls ``LiveIngestor.ingest``, which runs
one ``unit_of_work`` per batch and returns only after the commit, so an acknowledgement always
follows durable storage. Live events go out on the bus after the commit:
``posture.angle.<patient_id>`` (latest angle, every batch) and ``posture.alert.<patient_id>``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from spinewise.accounts.models import Patient
from spinewise.core.errors import NotAuthenticated
from spinewise.core.events import EventBus
from spinewise.db import unit_of_work
from spinewise.devices import service
from spinewise.devices.service import EngineCache, IngestResult

if TYPE_CHECKING:
    from spinewise.devices.archive import RawArchive


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


class LiveIngestor:
    def __init__(self, session_factory: sessionmaker[Session], bus: EventBus) -> None:
        self._factory = session_factory
        self._bus = bus
        self._cache = EngineCache()
        self._locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()
        self.archive: RawArchive | None = None  # set by devices.background when configured

    def _lock(self, device_id: int) -> threading.Lock:
        with self._locks_guard:
            return self._locks[device_id]

    def authenticate(self, raw_token: str) -> int:
        """The device id for a token, or ``NotAuthenticated``."""
        with unit_of_work(self._factory) as session:
            device = service.device_for_token(session, raw=raw_token)
            if device is None:
                raise NotAuthenticated("unknown or revoked device token")
            return device.id

    def ingest_sync(
        self, *, device_id: int, seq: Any, samples: Any
    ) -> tuple[Ack, int, IngestResult]:
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

    def _archive(self, device_id: int, seq: int, samples: Any) -> None:
        try:
            assert self.archive is not None
            self.archive.store(device_id, seq, samples)
        except Exception:  # the batch is committed; a lost archive row must not fail the ack
            structlog.get_logger("spinewise.devices").exception("archive.store_failed")

    async def ingest(self, *, device_id: int, seq: Any, samples: Any) -> Ack:
        """Store and analyse one batch (committed on return), then publish live events."""
        ack, patient_id, result = await run_in_threadpool(
            self.ingest_sync, device_id=device_id, seq=seq, samples=samples
        )
        await self.publish(patient_id, result)
        return ack

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
