"""The device client as a specification: 1-second batches, pacing, resends until acknowledged."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.devices.sender import (
    OutBatch,
    Rejected,
    RetryPolicy,
    count_batches,
    deliver,
    make_transport,
    mqtt_address,
    one_second_batches,
    rebase,
)
from spinewise.posture.io import ImuSamples
from tests.conftest import run_async


def _samples(t: list[float]) -> ImuSamples:
    n = len(t)
    acc = np.tile([0.0, 1.0, 0.0], (n, 1))
    return ImuSamples.from_arrays(t, acc, np.zeros((n, 3)))


def test_batches_hold_one_second_each_and_gaps_do_not_consume_sequence_numbers() -> None:
    # 10 Hz for 2.5 s, then a 3-s gap, then 0.5 s more: slots 0, 1, 2 and 5 → 4 batches.
    t = [i / 10 for i in range(25)] + [5.5 + i / 10 for i in range(5)]
    out = list(one_second_batches(_samples(t), start_seq=7))
    assert [b.seq for b in out] == [7, 8, 9, 10]
    assert [len(b.rows) for b in out] == [10, 10, 5, 5]
    assert out[3].t_start == pytest.approx(5.5)
    assert sum(len(b.rows) for b in out) == len(t)  # every sample sent exactly once
    assert len(out[0].rows[0]) == 7  # [t, ax, ay, az, gx, gy, gz]


def test_rebase_moves_the_first_sample_to_the_given_time_and_keeps_spacing() -> None:
    moved = rebase(_samples([0.0, 0.01, 0.02]), 1_790_000_000.0)
    assert moved.t[0] == 1_790_000_000.0
    assert np.diff(moved.t) == pytest.approx([0.01, 0.01])


class FlakyTransport:
    """Loses the acknowledgement of chosen attempts (the server may or may not have stored it)."""

    name = "fake"

    def __init__(self, lose: set[tuple[int, int]], reject: int | None = None) -> None:
        self.lose = lose
        self.reject = reject
        self.attempts: dict[int, int] = {}
        self.stored: dict[int, int] = {}
        self.closed = False

    async def send(self, batch: OutBatch, timeout_s: float) -> dict[str, Any]:
        attempt = self.attempts[batch.seq] = self.attempts.get(batch.seq, 0) + 1
        if batch.seq == self.reject:
            raise Rejected("unknown or revoked device token")
        duplicate = batch.seq in self.stored
        self.stored[batch.seq] = self.stored.get(batch.seq, 0) + (0 if duplicate else 1)
        if (batch.seq, attempt) in self.lose:
            raise TimeoutError("no acknowledgement")
        return {"accepted": len(batch.rows), "duplicate": duplicate, "status": "processed"}

    async def close(self) -> None:
        self.closed = True


FAST = RetryPolicy(ack_timeout_s=0.1, backoff_s=0.001, max_backoff_s=0.004, max_attempts=4)


def _batches(n: int) -> list[OutBatch]:
    return [OutBatch(seq, [[float(seq), 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]]) for seq in range(n)]


def test_a_batch_whose_ack_is_lost_is_resent_until_acknowledged() -> None:
    transport = FlakyTransport(lose={(1, 1), (1, 2), (3, 1)})
    stats = run_async(deliver(transport, _batches(5), speed=0, policy=FAST))
    assert transport.attempts == {0: 1, 1: 3, 2: 1, 3: 2, 4: 1}
    assert (stats.batches, stats.acknowledged, stats.resends, stats.failed) == (5, 5, 3, 0)
    # The server stored each batch once; the resends came back as duplicates.
    assert set(transport.stored.values()) == {1}
    assert stats.duplicates == 2
    assert transport.closed


def test_delivery_gives_up_after_max_attempts_and_stops_on_a_rejection() -> None:
    lost = {(2, k) for k in range(1, 10)}
    stats = run_async(deliver(FlakyTransport(lose=lost), _batches(5), speed=0, policy=FAST))
    assert (stats.acknowledged, stats.failed, stats.resends) == (2, 1, 3)
    stats = run_async(deliver(FlakyTransport(set(), reject=0), _batches(5), speed=0, policy=FAST))
    assert (stats.acknowledged, stats.failed, stats.resends) == (0, 1, 0)
    assert "revoked" in stats.errors[0]


def test_pacing_sends_batch_k_at_k_over_speed_seconds() -> None:
    transport = FlakyTransport(set())
    stats = run_async(deliver(transport, _batches(4), speed=20.0, policy=FAST))
    # Batches at 0, 0.05, 0.10, 0.15 s: at least 0.15 s in all.
    assert stats.wall_s >= 0.15
    summary = stats.to_dict()
    assert summary["ack_latency_ms"]["p50"] is not None and summary["acknowledged"] == 4


def test_backoff_doubles_up_to_its_cap() -> None:
    policy = RetryPolicy(backoff_s=0.25, max_backoff_s=1.0)
    assert [policy.delay(k) for k in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 1.0, 1.0]


def test_transport_choices_are_checked() -> None:
    with pytest.raises(InvalidInput, match="device-id"):
        make_transport("mqtt", token="t", url="http://x", mqtt_url="mqtt://127.0.0.1:1883")
    with pytest.raises(InvalidInput, match="via"):
        make_transport("carrier-pigeon", token="t", url="http://x", mqtt_url="")
    assert mqtt_address("mqtt://broker.local") == ("broker.local", 1883)
    with pytest.raises(InvalidInput):
        mqtt_address("http://broker.local:1883")


def test_a_stop_event_ends_a_paced_stream_early() -> None:
    async def scenario() -> int:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, stop.set)
        stats = await deliver(FlakyTransport(set()), _batches(100), speed=10.0, stop=stop)
        return stats.acknowledged

    assert run_async(scenario()) == 1  # batch 0 at once, batch 1 was due at 0.1 s


def test_the_batch_count_is_known_without_building_the_batches() -> None:
    t = [i / 10 for i in range(25)] + [5.5 + i / 10 for i in range(5)]
    assert count_batches(_samples(t)) == len(list(one_second_batches(_samples(t)))) == 4
    assert count_batches(_samples([])) == 0
