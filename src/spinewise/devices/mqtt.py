"""MQTT ingestion: the app subscribes to device topics on a broker and feeds ``LiveIngestor``.

Topics (``<root>`` is ``SPINEWISE_MQTT_TOPIC_ROOT``, ``spinewise`` by default):

- a device publishes each batch to ``<root>/devices/<device_id>/imu`` with QoS 1, payload
  ``{"token": "<device token>", "seq": int, "samples": [[t, ax, ay, az, gx, gy, gz], ...]}``
  (the same batch as ``POST /api/v1/ingest``, plus the token);
- the app answers on ``<root>/devices/<device_id>/ack`` with QoS 1, **after** the batch is
  committed: ``{"seq", "accepted", "duplicate", "status"}`` or ``{"seq", "error"}``.

Authentication: the token travels in the payload and the app checks it exactly as for HTTP
(hashed lookup, revoked devices refused) and also checks that it belongs to the device named
in the topic. In production the broker must add its own layer: TLS, and an ACL per device
(a device may publish only to its own ``…/<id>/imu`` and read only its own ``…/<id>/ack``),
so one device can neither read another's acknowledgements nor flood its topic.

Delivery: the broker's QoS 1 only gets a message to the app; the *application* acknowledgement
is what the device waits for, and a device resends any batch whose ack did not come (the app is
idempotent on (device, seq)). So a crash between the broker handing over a message and the
commit loses nothing: the device sends the batch again.

Scale-out: with ``SPINEWISE_MQTT_SHARED_GROUP=<group>`` every worker subscribes to
``$share/<group>/<root>/devices/+/imu`` and the broker hands each message to one worker of the
group (Mosquitto ≥ 2, EMQX, VerneMQ). Two workers may then see batches of the same device; the
device row lock (PostgreSQL ``SELECT … FOR UPDATE``) and the committed cursor keep the analysis
exact. Within one worker, batches of a device are processed in arrival order, different devices
concurrently (bounded by ``max_in_flight``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
import structlog
from starlette.concurrency import run_in_threadpool

from spinewise.core.errors import InvalidInput, NotAuthenticated, SpinewiseError
from spinewise.core.security import hash_token
from spinewise.devices.runtime import LiveIngestor
from spinewise.devices.sender import mqtt_address

log = structlog.get_logger("spinewise.devices.mqtt")

TOKEN_CACHE_S = 300.0  # a token's device id is re-read after this (revocation is checked per batch)
DEVICE_IDLE_S = 60.0  # a device's queue worker stops after this long without messages
# Small MQTT packets (PUBACK, an ack) must not wait for Nagle's algorithm: with the peer's
# delayed ACK that adds ~40 ms per hop on Linux.
NO_DELAY = ((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),)


def subscription_topic(root: str, shared_group: str = "") -> str:
    topic = f"{root}/devices/+/imu"
    return f"$share/{shared_group}/{topic}" if shared_group else topic


def device_key(topic: str, root: str) -> str | None:
    """The ``<device_id>`` of ``<root>/devices/<device_id>/imu``, or None for other topics."""
    parts = topic.split("/")
    root_parts = root.split("/")
    if len(parts) != len(root_parts) + 3 or parts[: len(root_parts)] != root_parts:
        return None
    _, key, kind = parts[len(root_parts) :]
    if parts[len(root_parts)] != "devices" or kind != "imu" or not key.isdigit():
        return None
    return key


@dataclass
class MqttStats:
    received: int = 0
    acknowledged: int = 0
    errors: int = 0
    connected: bool = False
    last_error: str = ""


@dataclass
class MqttIngestion:
    """One worker's subscription: receive batches, ingest them, publish acknowledgements."""

    ingestor: LiveIngestor
    url: str
    shared_group: str = ""
    root: str = "spinewise"
    max_in_flight: int = 32
    client_id: str = field(
        default_factory=lambda: (
            f"spinewise-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        )
    )
    stats: MqttStats = field(default_factory=MqttStats)

    def __post_init__(self) -> None:
        self.host, self.port = mqtt_address(self.url)
        self.topic = subscription_topic(self.root, self.shared_group)
        self.subscribed = asyncio.Event()
        self._queues: dict[str, asyncio.Queue[tuple[Any, bytes]]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(self.max_in_flight)
        self._tokens: dict[str, tuple[int, float]] = {}

    async def run(self) -> None:
        """Connect, subscribe and serve until cancelled; reconnect with backoff on failure."""
        import aiomqtt

        delay = 0.5
        try:
            while True:
                try:
                    async with aiomqtt.Client(
                        self.host,
                        self.port,
                        identifier=self.client_id,
                        timeout=10,
                        socket_options=NO_DELAY,
                    ) as client:
                        await client.subscribe(self.topic, qos=1)
                        self.stats.connected = True
                        self.subscribed.set()
                        log.info("mqtt.subscribed", topic=self.topic, broker=self.url)
                        delay = 0.5
                        async for message in client.messages:
                            self._dispatch(client, str(message.topic), bytes(message.payload))
                except aiomqtt.MqttError as exc:
                    self.stats.connected = False
                    self.stats.last_error = str(exc)
                    self.subscribed.clear()
                    log.warning("mqtt.disconnected", error=str(exc), retry_in_s=delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
        finally:
            for task in list(self._workers):
                task.cancel()
            self.stats.connected = False

    def _dispatch(self, client: Any, topic: str, payload: bytes) -> None:
        key = device_key(topic, self.root)
        if key is None:
            return
        self.stats.received += 1
        queue = self._queues.get(key)
        if queue is None:
            queue = asyncio.Queue()
            self._queues[key] = queue
            task = asyncio.create_task(self._device_worker(key, queue))
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        queue.put_nowait((client, payload))

    async def _device_worker(self, key: str, queue: asyncio.Queue[tuple[Any, bytes]]) -> None:
        """Process one device's batches in arrival order; stop when the device goes quiet."""
        while True:
            try:
                client, payload = await asyncio.wait_for(queue.get(), DEVICE_IDLE_S)
            except TimeoutError:
                if queue.empty():
                    self._queues.pop(key, None)
                    return
                continue
            async with self._slots:
                await self._handle(client, key, payload)

    async def _handle(self, client: Any, key: str, payload: bytes) -> None:
        import aiomqtt

        seq: Any = None
        try:
            try:
                message = orjson.loads(payload)
            except (UnicodeDecodeError, ValueError):
                raise InvalidInput(None, "the payload is not JSON") from None
            if not isinstance(message, dict):
                raise InvalidInput(None, 'the payload is {"token", "seq", "samples"}')
            seq = message.get("seq")
            device_id = await self._authenticate(message.get("token"))
            if str(device_id) != key:
                raise NotAuthenticated("the token does not belong to the device of this topic")
            ack = await self.ingestor.ingest(
                device_id=device_id, seq=seq, samples=message.get("samples")
            )
            answer: dict[str, Any] = ack.to_dict()
            self.stats.acknowledged += 1
        except SpinewiseError as exc:
            self.stats.errors += 1
            answer = {"seq": seq, "error": exc.message}
        except Exception as exc:  # a database outage: no ack, the device will resend
            self.stats.errors += 1
            self.stats.last_error = repr(exc)
            log.exception("mqtt.ingest_failed", device=key)
            return
        try:
            await client.publish(f"{self.root}/devices/{key}/ack", orjson.dumps(answer), qos=1)
        except aiomqtt.MqttError as exc:  # the device resends; its resend is a duplicate
            log.warning("mqtt.ack_failed", device=key, error=str(exc))

    async def _authenticate(self, token: Any) -> int:
        if not isinstance(token, str) or not token:
            raise NotAuthenticated("the payload needs the device token")
        digest = hash_token(token)
        cached = self._tokens.get(digest)
        now = time.monotonic()
        if cached is not None and now - cached[1] < TOKEN_CACHE_S:
            return cached[0]
        device_id = await run_in_threadpool(self.ingestor.authenticate, token)
        if len(self._tokens) > 100_000:
            self._tokens.clear()
        self._tokens[digest] = (device_id, now)
        return device_id


def start_mqtt(ingestor: LiveIngestor, settings: Any) -> tuple[MqttIngestion, asyncio.Task[None]]:
    """Start the subscription as a background task of the running event loop."""
    service = MqttIngestion(
        ingestor,
        settings.mqtt_url,
        shared_group=settings.mqtt_shared_group,
        root=settings.mqtt_topic_root,
    )
    return service, asyncio.create_task(service.run(), name="spinewise-mqtt")


async def stop_task(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
