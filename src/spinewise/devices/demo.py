"""A simulated wearable for ``spinewise demo``: one demo patient's posture arrives live.

How ``cli.py demo`` uses it (two calls; ``--no-live-device`` skips them)::

    with _database(settings) as session:
        people = demo_data.seed(session)
        token = register_demo_device(session, patient_email=DEMO_LIVE_PATIENT)
    start_demo_device(url, token)  # a daemon thread; it waits for the server, then streams
    _serve(host=host, port=port)

The device streams SYNTHETIC office-work posture (``posture.simulate``) in real time over
HTTP, one batch per second, timestamps on the wall clock, for as long as the process runs
(successive 10-minute simulated stretches with the same sensor mounting and a continuing
sequence number). It is a demo aid, never clinical data.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient, User
from spinewise.core.errors import NotFound
from spinewise.db import utcnow
from spinewise.devices import service
from spinewise.devices.models import Device, DeviceKind
from spinewise.devices.sender import (
    HttpTransport,
    OutBatch,
    RetryPolicy,
    deliver,
    one_second_batches,
    rebase,
)
from spinewise.posture.simulate import SensorModel, simulate

DEMO_DEVICE_NAME = "Demo sensor (simulated)"
# The patient whose "Now" page moves in ``spinewise demo`` (office work, as in her seeded history).
# Her phone-sensor page then shares the live view with this device: ``--no-live-device`` to try
# the phone alone.
DEMO_LIVE_PATIENT = "olivia@demo.spinewise.org"
STRETCH_S = 600.0


def register_demo_device(session: Session, *, patient_email: str) -> str:
    """A fresh demo device for the patient; returns its token.

    Tokens are stored hashed, so the previous demo device (same name) is revoked, not reused."""
    patient = session.scalar(
        select(Patient).join(User, User.id == Patient.user_id).where(User.email == patient_email)
    )
    if patient is None:
        raise NotFound(f"no patient with e-mail {patient_email}")
    for old in session.scalars(
        select(Device).where(
            Device.patient_id == patient.id,
            Device.name == DEMO_DEVICE_NAME,
            Device.revoked_at.is_(None),
        )
    ):
        old.revoked_at = utcnow()
    _, token = service.register_device(
        session, patient=patient, name=DEMO_DEVICE_NAME, kind=DeviceKind.imu_wearable
    )
    return token


def demo_batches(
    *, scenario: str = "office", seed: int = 0, rate_hz: float = 50.0, start_s: float
) -> Iterator[OutBatch]:
    """Endless 1-second batches: 10-minute simulated stretches joined end to end."""
    sensor = SensorModel(mount_tilt_azimuth_deg=40.0)  # one mounting for the whole demo
    seq, t_next, stretch = 0, start_s, 0
    while True:
        sim = simulate(scenario, rate_hz, STRETCH_S, seed=seed + stretch, sensor=sensor)
        samples = rebase(sim.samples, t_next)
        for batch in one_second_batches(samples, start_seq=seq):
            yield batch
        seq = batch.seq + 1
        t_next = float(samples.t[-1]) + 1.0 / rate_hz
        stretch += 1


@dataclass
class DemoDevice:
    """The running demo device; ``stop()`` ends it (it is a daemon thread anyway)."""

    url: str
    thread: threading.Thread | None = None
    acknowledged: int = 0
    error: str = ""
    _stop: threading.Event = field(default_factory=threading.Event)

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self.thread is not None:
            self.thread.join(timeout_s)


def start_demo_device(
    url: str, token: str, *, scenario: str = "office", speed: float = 1.0, wait_s: float = 60.0
) -> DemoDevice:
    """Stream a simulated wearer to ``url`` in a background thread (waits for ``/healthz``)."""
    demo = DemoDevice(url)

    def run() -> None:
        deadline = time.monotonic() + wait_s
        while not demo._stop.is_set():
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                demo.error = "the server did not come up"
                return
            demo._stop.wait(0.2)
        asyncio.run(_stream(demo, token, scenario=scenario, speed=speed))

    demo.thread = threading.Thread(target=run, name="spinewise-demo-device", daemon=True)
    demo.thread.start()
    return demo


async def _stream(demo: DemoDevice, token: str, *, scenario: str, speed: float) -> None:
    stop = asyncio.Event()

    async def watch() -> None:
        while not demo._stop.is_set():
            await asyncio.sleep(0.1)
        stop.set()

    watcher = asyncio.create_task(watch())

    def on_ack(batch: OutBatch, ack: dict[str, object], stats: object) -> None:
        demo.acknowledged += 1

    try:
        stats = await deliver(
            HttpTransport(demo.url, token),
            demo_batches(scenario=scenario, start_s=time.time()),
            speed=speed,
            policy=RetryPolicy(max_attempts=1_000_000, max_backoff_s=10.0),
            on_ack=on_ack,
            stop=stop,
        )
        if stats.errors and stats.failed:
            demo.error = stats.errors[-1]
    finally:
        watcher.cancel()
