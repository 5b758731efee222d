"""The event bus: the same behaviour in process and over Redis."""

from __future__ import annotations

import uuid

import pytest

from spinewise.core.events import EventBus, MemoryBus, RedisBus
from tests.conftest import REDIS_URL, run_async, service_unavailable


async def _redis_bus() -> RedisBus:
    bus = RedisBus(REDIS_URL, prefix=f"test-{uuid.uuid4().hex[:8]}:")
    await bus._client.ping()
    return bus


async def _make(kind: str) -> EventBus:
    if kind == "memory":
        return MemoryBus()
    try:
        return await _redis_bus()
    except Exception as exc:
        service_unavailable("Redis", exc)
        raise


BUSES = ["memory", pytest.param("redis", marks=pytest.mark.redis)]


@pytest.mark.parametrize("kind", BUSES)
def test_a_subscriber_receives_matching_events_in_order_and_not_others(kind: str) -> None:
    async def scenario() -> list[tuple[str, dict[str, object]]]:
        bus = await _make(kind)
        alerts = await bus.subscribe("posture.alert.*")
        await bus.publish("posture.alert.7", {"n": 1})
        await bus.publish("reminder.due.7", {"n": 2})
        await bus.publish("posture.alert.8", {"n": 3})
        received = [await alerts.get(timeout_s=5) for _ in range(2)]
        with pytest.raises(TimeoutError):
            await alerts.get(timeout_s=0.2)
        await alerts.close()
        await bus.close()
        return [(e.topic, e.payload) for e in received]

    assert run_async(scenario()) == [("posture.alert.7", {"n": 1}), ("posture.alert.8", {"n": 3})]


@pytest.mark.parametrize("kind", BUSES)
def test_every_subscriber_gets_its_own_copy(kind: str) -> None:
    async def scenario() -> tuple[dict[str, object], dict[str, object]]:
        bus = await _make(kind)
        first = await bus.subscribe("triage.*")
        second = await bus.subscribe("triage.escalation")
        await bus.publish("triage.escalation", {"patient_id": 3, "level": "emergency"})
        a = await first.get(timeout_s=5)
        b = await second.get(timeout_s=5)
        await bus.close()
        return a.payload, b.payload

    a, b = run_async(scenario())
    assert a == b == {"patient_id": 3, "level": "emergency"}


def test_a_slow_in_process_subscriber_drops_its_oldest_events_instead_of_blocking() -> None:
    async def scenario() -> list[int]:
        bus = MemoryBus(queue_size=3)
        sub = await bus.subscribe("*")
        for n in range(5):
            await bus.publish("tick", {"n": n})
        return [int((await sub.get(timeout_s=1)).payload["n"]) for _ in range(3)]

    assert run_async(scenario()) == [2, 3, 4]


@pytest.mark.redis
def test_a_burst_of_publishes_larger_than_the_pool_waits_for_connections() -> None:
    # 800 devices acknowledged in the same millisecond each publish their angle
    async def scenario() -> int:
        import asyncio

        bus = await _make("redis")
        everything = await bus.subscribe("burst.*")
        await asyncio.gather(*(bus.publish(f"burst.{i}", {"i": i}) for i in range(500)))
        seen = {(await everything.get(timeout_s=10)).payload["i"] for _ in range(500)}
        await everything.close()
        await bus.close()
        return len(seen)

    assert run_async(scenario()) == 500
