"""Background parts of live monitoring started with the app: MQTT ingestion and the raw archive.

``app.py``'s lifespan makes one call, ``background = start_device_background(app)``, and
``await background.stop()`` on shutdown. Both parts are off unless configured:
``SPINEWISE_MQTT_URL`` (see ``devices.mqtt``) and ``SPINEWISE_ARCHIVE_RAW`` (see
``devices.archive``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import structlog

from spinewise.devices.archive import RawArchive
from spinewise.devices.mqtt import MqttIngestion, start_mqtt

ARCHIVE_SWEEP_S = 3600.0


@dataclass
class DeviceBackground:
    mqtt: MqttIngestion | None = None
    archive: RawArchive | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def start_device_background(app: Any) -> DeviceBackground:
    """Attach the archive to the app's ingestor and start the MQTT subscription, if configured.

    Must be called from the running event loop (the app's lifespan)."""
    settings = app.state.settings
    background = DeviceBackground()
    if settings.archive_raw:
        archive = RawArchive(settings.data_dir / "raw", settings.archive_retention_days)
        app.state.ingestor.archive = archive
        background.archive = archive
        background.tasks.append(asyncio.create_task(_sweep_forever(archive)))
    if settings.mqtt_url:
        background.mqtt, task = start_mqtt(app.state.ingestor, settings)
        background.tasks.append(task)
    app.state.device_background = background
    return background


async def _sweep_forever(archive: RawArchive) -> None:
    while True:
        try:
            await asyncio.to_thread(archive.sweep)
        except Exception:  # keep the job alive; the next round retries
            structlog.get_logger("spinewise.devices").exception("archive.sweep_failed")
        await asyncio.sleep(ARCHIVE_SWEEP_S)
