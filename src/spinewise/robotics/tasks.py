"""Live robotic sessions as background tasks of the app process, never of a browser tab.

``TherapyRunner`` (one per app, ``app.state.robotics``) starts a session in its own committed
transaction, then runs ``TherapySession.stream`` in an asyncio task paced to real time
(``speed`` simulated seconds per second), publishing each display sample (50 Hz by default) on
the event bus under ``robotics.live.<patient_id>``; any number of pages watch it over the
WebSocket, and closing them changes nothing. A stop from the live page reaches the safety
monitor through ``TherapySession.press_stop_button`` (directly when this process runs the
session, else through ``robotics.stop.<session_id>`` on the bus, which the owning process
listens to). The task writes a heartbeat every second and, when the session ends, stores its
record (``service.finish_session``) and publishes ``ended``.

The simulator costs about 15 µs per 1 kHz control cycle (1.5 % of a core in real time) and
holds its 1 kHz trace in memory until the end (about 12 MB per simulated minute), so a process
runs at most ``max_live`` sessions. On shutdown every running session is stopped through the
monitor, reaches its safe state and is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from spinewise.accounts.models import Role
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, Forbidden
from spinewise.core.events import EventBus
from spinewise.core.permissions import get_patient
from spinewise.db import unit_of_work
from spinewise.robotics import service
from spinewise.robotics.models import RoboticsSession
from spinewise.robotics.session import TherapySession

log = structlog.get_logger("spinewise.robotics")
SAMPLE_EVERY_S = 0.02  # 50 Hz display samples
HEARTBEAT_S = 1.0
MAX_LIVE_SESSIONS = 4


def live_topic(patient_id: int) -> str:
    return f"robotics.live.{patient_id}"


def stop_topic(session_id: int) -> str:
    return f"robotics.stop.{session_id}"


def session_info(row: RoboticsSession) -> dict[str, Any]:
    """What a live page needs to know about a session (JSON)."""
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "status": row.status.value,
        "simulated": row.simulated,
        "simulated_patient": row.simulated_patient,
        "protocol_name": row.protocol_name,
        "limits": row.protocol.get("limits", {}),
        "planned_duration_s": row.planned_duration_s,
        "planned_repetitions": row.planned_repetitions,
        "started_at": row.started_at.isoformat(),
        "started_by_name": row.started_by_name,
        "duration_s": row.duration_s,
        "completed_repetitions": row.completed_repetitions,
        "stop_cause": row.stop_cause,
        "stop_action": row.stop_action,
        "stop_t_s": row.stop_t_s,
        "stop_detail": row.stop_detail,
        "stop_requested_by_name": row.stop_requested_by_name,
        "note": row.note,
        "url": f"/patients/{row.patient_id}/robotics/sessions/{row.id}",
    }


@dataclass
class LiveSession:
    session_id: int
    patient_id: int
    therapy: TherapySession
    info: dict[str, Any]
    task: asyncio.Task[None] | None = None
    last: dict[str, Any] | None = None
    stopped_for_shutdown: bool = field(default=False)


class TherapyRunner:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        bus: EventBus,
        *,
        speed: float = 1.0,
        sample_every_s: float = SAMPLE_EVERY_S,
        heartbeat_s: float = HEARTBEAT_S,
        max_live: int = MAX_LIVE_SESSIONS,
    ) -> None:
        self._factory = session_factory
        self._bus = bus
        self.speed = speed
        self.sample_every_s = sample_every_s
        self.heartbeat_s = heartbeat_s
        self.max_live = max_live
        self.live: dict[int, LiveSession] = {}
        self._closing = False

    def live_for_patient(self, patient_id: int) -> LiveSession | None:
        return next((s for s in self.live.values() if s.patient_id == patient_id), None)

    # --- starting ------------------------------------------------------------------------------
    def _start_sync(
        self,
        *,
        actor: Actor,
        patient_id: int,
        resource: str,
        simulated_patient: str,
        seed: int | None,
        faults: list[str],
    ) -> tuple[RoboticsSession, TherapySession]:
        # Its own transaction, committed before the task runs (the heartbeat and the final
        # record update this row); the care-team check and its audit entry are part of it.
        with unit_of_work(self._factory) as session:
            patient = get_patient(
                session, actor=actor, patient_id=patient_id, resource=resource, action="write"
            )
            if actor.user is None or actor.user.role != Role.clinician:
                raise Forbidden("clinicians only")
            return service.start_session(
                session,
                actor=actor,
                patient=patient,
                simulated_patient=simulated_patient,
                seed=seed,
                faults=faults,
            )

    async def start(
        self,
        *,
        actor: Actor,
        patient_id: int,
        resource: str,
        simulated_patient: str = "weak",
        seed: int | None = None,
        faults: list[str] | None = None,
    ) -> RoboticsSession:
        """Check access, record and launch a session on the simulated device."""
        if self._closing:
            raise Conflict("the server is shutting down")
        if len(self.live) >= self.max_live:
            raise Conflict(
                f"this server already runs {self.max_live} sessions; try again when one ends"
            )
        row, therapy = await run_in_threadpool(
            self._start_sync,
            actor=actor,
            patient_id=patient_id,
            resource=resource,
            simulated_patient=simulated_patient,
            seed=seed,
            faults=list(faults or []),
        )
        live = LiveSession(row.id, patient_id, therapy, session_info(row))
        self.live[row.id] = live
        live.task = asyncio.create_task(self._run(live), name=f"robotics-session-{row.id}")
        await self._bus.publish(live_topic(patient_id), {"type": "started", "session": live.info})
        log.info("robotics.session_started", session_id=row.id, patient_id=patient_id)
        return row

    # --- running -------------------------------------------------------------------------------
    async def _run(self, live: LiveSession) -> None:
        loop = asyncio.get_running_loop()
        topic = live_topic(live.patient_id)
        listener = asyncio.create_task(self._listen_for_stop(live))
        beat: asyncio.Future[None] | None = None
        note, interrupted = "", False
        try:
            t0 = last_beat = loop.time()
            for sample in live.therapy.stream(every_s=self.sample_every_s):
                message = {"type": "sample", "session_id": live.session_id, **sample.to_dict()}
                live.last = message
                await self._bus.publish(topic, message)
                now = loop.time()
                if now - last_beat >= self.heartbeat_s and (beat is None or beat.done()):
                    beat = asyncio.ensure_future(
                        run_in_threadpool(self._heartbeat_sync, live.session_id, sample.t_s)
                    )
                    last_beat = now
                if self._closing:  # stopped for shutdown: settle into the safe state at once
                    await asyncio.sleep(0)
                    continue
                await asyncio.sleep(max(0.0, t0 + sample.t_s / self.speed - loop.time()))
        except Exception as exc:  # a bug must still end in the safe state and on record
            log.exception("robotics.session_failed", session_id=live.session_id)
            note = f"the session task failed ({type(exc).__name__}); the device was stopped"
            interrupted = True
            live.therapy.press_stop_button()
            with contextlib.suppress(Exception):
                live.therapy.run()
        finally:
            listener.cancel()
        if beat is not None:
            with contextlib.suppress(Exception):
                await beat
        if live.stopped_for_shutdown:
            note = "The server shut down during the session: it was stopped through the monitor."
        info: dict[str, Any] = {**live.info, "status": "unknown"}
        try:
            row = await run_in_threadpool(self._finish_sync, live, note, interrupted)
            if row is not None:
                info = session_info(row)
        except Exception:
            log.exception("robotics.record_failed", session_id=live.session_id)
        finally:
            self.live.pop(live.session_id, None)
        await self._bus.publish(topic, {"type": "ended", "session": info})
        log.info("robotics.session_ended", session_id=live.session_id, status=info["status"])

    async def _listen_for_stop(self, live: LiveSession) -> None:
        subscription = await self._bus.subscribe(stop_topic(live.session_id))
        try:
            while True:
                await subscription.get()
                live.therapy.press_stop_button()
        finally:
            await subscription.close()

    def _heartbeat_sync(self, session_id: int, progress_s: float) -> None:
        with unit_of_work(self._factory) as session:
            service.heartbeat(session, session_id=session_id, progress_s=progress_s)

    def _finish_sync(
        self, live: LiveSession, note: str, interrupted: bool
    ) -> RoboticsSession | None:
        with unit_of_work(self._factory) as session:
            return service.finish_session(
                session,
                session_id=live.session_id,
                therapy=live.therapy,
                note=note,
                interrupted=interrupted,
            )

    # --- stopping ------------------------------------------------------------------------------
    async def request_stop(self, session_id: int) -> bool:
        """Press the stop button of a session: the monitor sees it on its next control cycle.

        Returns whether this process runs the session (otherwise the bus carries the press to
        the process that does).
        """
        live = self.live.get(session_id)
        if live is not None:
            live.therapy.press_stop_button()
            return True
        await self._bus.publish(stop_topic(session_id), {"session_id": session_id})
        return False

    async def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop every running session through its monitor and wait for the records."""
        self._closing = True
        lives = list(self.live.values())
        for live in lives:
            live.stopped_for_shutdown = not live.therapy.events
            live.therapy.press_stop_button()
        tasks = [live.task for live in lives if live.task is not None]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout_s)
