"""The device side of ingestion: cut a recording into 1-second batches and deliver each one
until the server acknowledges it (HTTP, WebSocket or MQTT).

Used by ``spinewise devices simulate`` (demos, load tests) and by ``spinewise demo``'s
background device. Delivery is *at least once*: a batch whose acknowledgement does not arrive
within ``ack_timeout_s`` is sent again after an exponential backoff; the server's idempotency
on (device, seq) turns the repeats into ``duplicate`` answers, never into double counting.

Nothing here imports the web framework or the database: it is a plain client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.posture.io import ImuSamples

TRANSPORTS = ("http", "ws", "mqtt")
DEFAULT_MQTT_ROOT = "spinewise"


class Rejected(Exception):
    """The server refused the batch for good (bad token, invalid data): resending cannot help."""


@dataclass(frozen=True)
class OutBatch:
    seq: int
    rows: list[list[float]]  # [[t, ax, ay, az, gx, gy, gz], ...]

    @property
    def t_start(self) -> float:
        return self.rows[0][0]


def rows_of(samples: ImuSamples) -> NDArray[np.float64]:
    return np.column_stack([samples.t, samples.acc, samples.gyr])


def one_second_batches(
    samples: ImuSamples, *, start_seq: int = 0, batch_s: float = 1.0
) -> Iterator[OutBatch]:
    """Batches of consecutive samples, one per ``batch_s`` of sample time (gaps give no batch).

    Batch ``k`` holds the samples with ``floor((t - t0) / batch_s) == k``; sequence numbers
    count the batches actually sent, so a gap in the data is not a gap in ``seq``.
    """
    if len(samples) == 0:
        return
    if batch_s <= 0:
        raise InvalidInput("batch_s", "must be positive")
    data = rows_of(samples)
    slot = np.floor((samples.t - samples.t[0]) / batch_s).astype(np.int64)
    cuts = np.flatnonzero(np.diff(slot)) + 1
    seq = start_seq
    for part in np.split(data, cuts):
        yield OutBatch(seq, part.tolist())
        seq += 1


def count_batches(samples: ImuSamples, *, batch_s: float = 1.0) -> int:
    """How many batches ``one_second_batches`` yields (without building them)."""
    if len(samples) == 0:
        return 0
    slot = np.floor((samples.t - samples.t[0]) / batch_s).astype(np.int64)
    return int(np.count_nonzero(np.diff(slot))) + 1


def rebase(samples: ImuSamples, start_s: float) -> ImuSamples:
    """The same samples with time shifted so that the first one is at ``start_s`` (Unix s)."""
    if len(samples) == 0:
        return samples
    return ImuSamples(samples.t - samples.t[0] + start_s, samples.acc, samples.gyr, samples.mag)


# --- transports ----------------------------------------------------------------------------


class Transport(Protocol):
    name: str

    async def send(self, batch: OutBatch, timeout_s: float) -> dict[str, Any]:
        """Deliver one batch and return the server's acknowledgement.

        Raises ``TimeoutError``/``OSError`` (retry) or ``Rejected`` (do not retry)."""
        ...

    async def close(self) -> None: ...


def _check_ack(ack: Any, seq: int) -> dict[str, Any]:
    if not isinstance(ack, dict):
        raise OSError(f"unexpected answer {ack!r}")
    if "error" in ack:
        raise Rejected(str(ack["error"]))
    return {"seq": seq, **ack}


class HttpTransport:
    """``POST /api/v1/ingest`` with the device token as a bearer token."""

    name = "http"

    def __init__(self, base_url: str, token: str) -> None:
        import httpx

        self._httpx = httpx
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    async def send(self, batch: OutBatch, timeout_s: float) -> dict[str, Any]:
        body = json.dumps({"seq": batch.seq, "samples": batch.rows})
        try:
            answer = await self._client.post("/api/v1/ingest", content=body, timeout=timeout_s)
        except self._httpx.TimeoutException as exc:
            raise TimeoutError(str(exc) or "timed out") from exc
        except self._httpx.TransportError as exc:
            raise OSError(str(exc) or type(exc).__name__) from exc
        if answer.status_code in (401, 403, 404, 422):
            raise Rejected(f"HTTP {answer.status_code}: {answer.text[:200]}")
        if answer.status_code != 200:
            raise OSError(f"HTTP {answer.status_code}")
        try:
            ack = answer.json()
        except ValueError as exc:
            raise OSError("the answer is not JSON") from exc
        return _check_ack(ack, batch.seq)

    async def close(self) -> None:
        await self._client.aclose()


class WebSocketTransport:
    """``/api/v1/stream``: token first, then one message per batch, acks matched by ``seq``."""

    name = "ws"

    def __init__(self, base_url: str, token: str) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        scheme = "wss" if parts.scheme == "https" else "ws"
        self._url = f"{scheme}://{parts.netloc}{parts.path}/api/v1/stream"
        self._token = token
        self._ws: Any = None
        self.device_id: int | None = None

    async def _connect(self, timeout_s: float) -> Any:
        if self._ws is None:
            import websockets

            ws = await asyncio.wait_for(websockets.connect(self._url), timeout_s)
            await ws.send(json.dumps({"token": self._token}))
            hello = json.loads(await asyncio.wait_for(ws.recv(), timeout_s))
            if not hello.get("ready"):
                await ws.close()
                raise Rejected(str(hello.get("error", hello)))
            self.device_id = hello.get("device_id")
            self._ws = ws
        return self._ws

    async def send(self, batch: OutBatch, timeout_s: float) -> dict[str, Any]:
        import websockets

        deadline = time.monotonic() + timeout_s
        try:
            ws = await self._connect(timeout_s)
            await ws.send(json.dumps({"seq": batch.seq, "samples": batch.rows}))
            while True:  # late answers to earlier attempts are skipped
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no acknowledgement")
                ack = json.loads(await asyncio.wait_for(ws.recv(), remaining))
                if isinstance(ack, dict) and ack.get("seq") == batch.seq:
                    return _check_ack(ack, batch.seq)
        except (websockets.WebSocketException, OSError, TimeoutError, ValueError) as exc:
            await self.close()
            if isinstance(exc, websockets.InvalidStatus | websockets.InvalidHandshake):
                raise OSError(str(exc)) from exc
            if isinstance(exc, TimeoutError | OSError):
                raise
            raise OSError(str(exc) or type(exc).__name__) from exc

    async def close(self) -> None:
        if self._ws is not None:
            ws, self._ws = self._ws, None
            with contextlib.suppress(Exception):  # already broken: nothing to close
                await ws.close()


def mqtt_address(url: str) -> tuple[str, int]:
    """``mqtt://host:port`` → (host, port); 1883 by default."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
        raise InvalidInput("mqtt_url", f"expected mqtt://host:port, got {url!r}")
    return parts.hostname, parts.port or 1883


class MqttTransport:
    """Publish ``{"token", "seq", "samples"}`` to ``<root>/devices/<id>/imu`` (QoS 1) and wait
    for the application's acknowledgement on ``<root>/devices/<id>/ack``."""

    name = "mqtt"

    def __init__(
        self, url: str, token: str, device_id: int, *, root: str = DEFAULT_MQTT_ROOT
    ) -> None:
        self._host, self._port = mqtt_address(url)
        self._token = token
        self._imu = f"{root}/devices/{device_id}/imu"
        self._ack = f"{root}/devices/{device_id}/ack"
        self._client: Any = None
        self._acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None

    async def _connect(self) -> Any:
        if self._client is None:
            import aiomqtt

            client = aiomqtt.Client(
                self._host,
                self._port,
                timeout=10,
                socket_options=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),),  # no Nagle delay
            )
            await client.__aenter__()
            try:
                await client.subscribe(self._ack, qos=1)
            except BaseException:
                await client.__aexit__(None, None, None)
                raise
            self._client = client
            self._reader = asyncio.create_task(self._read(client))
        return self._client

    async def _read(self, client: Any) -> None:
        async for message in client.messages:
            try:
                ack = json.loads(bytes(message.payload))
            except (TypeError, ValueError):
                continue
            if isinstance(ack, dict):
                self._acks.put_nowait(ack)

    async def send(self, batch: OutBatch, timeout_s: float) -> dict[str, Any]:
        import aiomqtt

        deadline = time.monotonic() + timeout_s
        try:
            client = await self._connect()
            payload = json.dumps({"token": self._token, "seq": batch.seq, "samples": batch.rows})
            await client.publish(self._imu, payload, qos=1)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("no acknowledgement")
                ack = await asyncio.wait_for(self._acks.get(), remaining)
                if ack.get("seq") == batch.seq:
                    return _check_ack(ack, batch.seq)
        except aiomqtt.MqttError as exc:
            await self.close()
            raise OSError(str(exc)) from exc

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(Exception):  # the connection is already gone
                await client.__aexit__(None, None, None)


# --- delivery ------------------------------------------------------------------------------


@dataclass
class DeliveryStats:
    """What happened to a stream of batches (the JSON summary of ``devices simulate``)."""

    via: str
    batches: int = 0
    acknowledged: int = 0
    samples: int = 0
    resends: int = 0
    duplicates: int = 0
    failed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    first_t: float | None = None
    last_t: float | None = None
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)

    def record(self, ack: dict[str, Any], latency_s: float, batch: OutBatch) -> None:
        self.acknowledged += 1
        self.samples += len(batch.rows)
        status = str(ack.get("status", "processed"))
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if ack.get("duplicate"):
            self.duplicates += 1
        self.latencies_ms.append(latency_s * 1000.0)
        self.first_t = batch.t_start if self.first_t is None else self.first_t
        self.last_t = batch.rows[-1][0]

    def to_dict(self) -> dict[str, Any]:
        lat = np.asarray(self.latencies_ms)
        pct = (
            {
                "p50": round(float(np.percentile(lat, 50)), 2),
                "p99": round(float(np.percentile(lat, 99)), 2),
                "max": round(float(lat.max()), 2),
            }
            if lat.size
            else {"p50": None, "p99": None, "max": None}
        )
        return {
            "via": self.via,
            "batches": self.batches,
            "acknowledged": self.acknowledged,
            "samples": self.samples,
            "resends": self.resends,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "statuses": dict(sorted(self.statuses.items())),
            "ack_latency_ms": pct,
            "data_start_s": self.first_t,
            "data_end_s": self.last_t,
            "wall_s": round(self.wall_s, 3),
            "errors": self.errors[:5],
        }


@dataclass(frozen=True)
class RetryPolicy:
    """Resend a batch whose acknowledgement did not arrive: ``ack_timeout_s`` per attempt, then
    wait ``backoff_s · 2^k`` (at most ``max_backoff_s``); give up after ``max_attempts``."""

    ack_timeout_s: float = 5.0
    backoff_s: float = 0.25
    max_backoff_s: float = 8.0
    max_attempts: int = 10

    def delay(self, attempt: int) -> float:
        return float(min(self.max_backoff_s, self.backoff_s * 2 ** max(0, attempt - 1)))


async def deliver(
    transport: Transport,
    batches: Iterator[OutBatch] | list[OutBatch],
    *,
    speed: float = 1.0,
    policy: RetryPolicy | None = None,
    on_ack: Callable[[OutBatch, dict[str, Any], DeliveryStats], None] | None = None,
    stop: asyncio.Event | None = None,
) -> DeliveryStats:
    """Send batches in order, one in flight, pacing batch ``k`` at ``k / speed`` seconds after
    the start (``speed=0``: as fast as acknowledgements come back).

    A batch is resent until acknowledged or ``max_attempts`` is reached; a ``Rejected`` batch
    (bad token, invalid data) is counted as failed and the stream stops, since every later batch
    would be refused the same way.
    """
    if speed < 0:
        raise InvalidInput("speed", "must be 0 (as fast as possible) or positive")
    policy = policy or RetryPolicy()
    stats = DeliveryStats(via=transport.name)
    started = time.monotonic()
    try:
        for index, batch in enumerate(batches):
            if stop is not None and stop.is_set():
                break
            if speed > 0:
                wait = started + index / speed - time.monotonic()
                if wait > 0:
                    if stop is not None:
                        try:
                            await asyncio.wait_for(stop.wait(), wait)
                            break
                        except TimeoutError:
                            pass
                    else:
                        await asyncio.sleep(wait)
            stats.batches += 1
            for attempt in range(1, policy.max_attempts + 1):
                if attempt > 1:
                    stats.resends += 1
                sent = time.monotonic()
                try:
                    ack = await transport.send(batch, policy.ack_timeout_s)
                except Rejected as exc:
                    stats.failed += 1
                    stats.errors.append(f"seq {batch.seq}: {exc}")
                    return stats
                except (TimeoutError, OSError) as exc:
                    stats.errors.append(f"seq {batch.seq}: {str(exc) or type(exc).__name__}")
                    if attempt == policy.max_attempts:
                        stats.failed += 1
                        return stats
                    await asyncio.sleep(policy.delay(attempt))
                    continue
                stats.record(ack, time.monotonic() - sent, batch)
                if on_ack is not None:
                    on_ack(batch, ack, stats)
                break
    finally:
        stats.wall_s = time.monotonic() - started
        await transport.close()
    return stats


def make_transport(
    via: str,
    *,
    token: str,
    url: str,
    mqtt_url: str,
    device_id: int | None = None,
    mqtt_root: str = DEFAULT_MQTT_ROOT,
) -> Transport:
    if via == "http":
        return HttpTransport(url, token)
    if via == "ws":
        return WebSocketTransport(url, token)
    if via == "mqtt":
        if device_id is None:
            raise InvalidInput("device_id", "--via mqtt needs --device-id (the topic names it)")
        mqtt_address(mqtt_url)
        return MqttTransport(mqtt_url, token, device_id, root=mqtt_root)
    raise InvalidInput("via", f"must be one of {', '.join(TRANSPORTS)}, not {via!r}")
