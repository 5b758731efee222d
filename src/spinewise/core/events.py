"""Publish/subscribe between parts of the app (posture alerts, reminders, triage escalations).

One interface, two implementations: ``MemoryBus`` (in-process, the default) and ``RedisBus``
(Redis pub/sub, for several app workers). Topics are dotted names (``posture.alert.42``);
subscriptions take glob patterns (``posture.alert.*``). Delivery is at-most-once and live
only: anything that must not be lost is written to the database first and the event only
says "look". Events go out after the transaction that produced them commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Event:
    topic: str
    payload: dict[str, Any] = field(default_factory=dict)


class Subscription(Protocol):
    def __aiter__(self) -> AsyncIterator[Event]: ...

    async def get(self, timeout_s: float | None = None) -> Event: ...

    async def close(self) -> None: ...


class EventBus(Protocol):
    async def publish(self, topic: str, payload: dict[str, Any]) -> None: ...

    async def subscribe(self, pattern: str) -> Subscription: ...

    async def close(self) -> None: ...


class _QueueSubscription:
    def __init__(self, bus: MemoryBus, pattern: str, maxsize: int) -> None:
        self.pattern = pattern
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)
        self._bus = bus

    def offer(self, event: Event) -> None:
        if not fnmatch.fnmatchcase(event.topic, self.pattern):
            return
        if self.queue.full():  # a slow subscriber loses its oldest live event, never blocks others
            self.queue.get_nowait()
        self.queue.put_nowait(event)

    async def get(self, timeout_s: float | None = None) -> Event:
        return await asyncio.wait_for(self.queue.get(), timeout_s)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()

    async def close(self) -> None:
        self._bus._subscriptions.discard(self)


class MemoryBus:
    """In-process bus: each subscriber has a bounded queue."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._subscriptions: set[_QueueSubscription] = set()
        self._queue_size = queue_size

    async def publish(self, topic: str, payload: dict[str, Any]) -> None:
        event = Event(topic, payload)
        for subscription in list(self._subscriptions):
            subscription.offer(event)

    async def subscribe(self, pattern: str) -> Subscription:
        subscription = _QueueSubscription(self, pattern, self._queue_size)
        self._subscriptions.add(subscription)
        return subscription

    async def close(self) -> None:
        self._subscriptions.clear()


class _RedisSubscription:
    def __init__(self, pubsub: Any, prefix: str) -> None:
        self._pubsub = pubsub
        self._prefix = prefix

    async def get(self, timeout_s: float | None = None) -> Event:
        async def next_message() -> Event:
            while True:
                message = await self._pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=1.0
                )
                if message is None:
                    continue
                channel = message["channel"]
                channel = channel.decode() if isinstance(channel, bytes) else channel
                return Event(channel.removeprefix(self._prefix), json.loads(message["data"]))

        return await asyncio.wait_for(next_message(), timeout_s)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            yield await self.get()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()


class RedisBus:
    """Redis pub/sub behind the same interface, so several app workers see the same events.

    Two connection pools: publishing borrows one of ``PUBLISH_CONNECTIONS`` connections and
    waits for a free one (hundreds of devices publish in the same millisecond; redis-py's
    default pool of 100 raised ``MaxConnectionsError`` instead, and every such batch failed),
    while each subscription (an open page) keeps a connection of its own from an unbounded
    pool, so open pages can never starve publishing."""

    PUBLISH_CONNECTIONS = 32
    PUBLISH_WAIT_S = 10.0

    def __init__(self, url: str, *, prefix: str = "spinewise:") -> None:
        import redis.asyncio as redis

        self._client = redis.Redis(
            connection_pool=redis.BlockingConnectionPool.from_url(
                url, max_connections=self.PUBLISH_CONNECTIONS, timeout=self.PUBLISH_WAIT_S
            )
        )
        self._subscriber = redis.Redis(
            connection_pool=redis.ConnectionPool.from_url(url, max_connections=2**31 - 1)
        )
        self._prefix = prefix

    async def publish(self, topic: str, payload: dict[str, Any]) -> None:
        await self._client.publish(self._prefix + topic, json.dumps(payload))

    async def subscribe(self, pattern: str) -> Subscription:
        pubsub = self._subscriber.pubsub()
        await pubsub.psubscribe(self._prefix + pattern)
        # Wait for the subscription to be confirmed so no event published after this returns is lost.
        while True:
            message = await pubsub.get_message(timeout=1.0)
            if message and message["type"] == "psubscribe":
                break
        return _RedisSubscription(pubsub, self._prefix)

    async def close(self) -> None:
        await self._client.aclose()
        await self._subscriber.aclose()


def make_bus(kind: str, redis_url: str) -> EventBus:
    if kind == "redis":
        return RedisBus(redis_url)
    return MemoryBus()
