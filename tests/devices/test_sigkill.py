"""Acceptance: a real server killed with SIGKILL mid-stream loses nothing and counts nothing twice.

A device streams a simulated recording over HTTP with several batches in flight; the server
process (and its workers) is killed without any chance to clean up; a new server starts on
the same database; the device resends every batch it has no acknowledgement for (and, as a
device that lost its own bookkeeping might, some that were acknowledged); a last server
start with a 1-second idle limit lets the app's idle finaliser close the session. The day's summary must then equal the batch analysis of the same samples
exactly, and be within 2 % of the simulator's truth (SYNTHETIC data).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from spinewise.posture.stream import analyze
from tests.conftest import World
from tests.devices.conftest import batches, recording
from tests.devices.server import ServerProcess

pytestmark = pytest.mark.slow

DAY = {"from": "2026-09-21T00:00:00+00:00", "to": "2026-09-22T00:00:00+00:00"}  # START_S's day
IN_FLIGHT = 4
KILL_AFTER_ACKS = 90
RESEND_ACKED_EVERY = 7


def _post(client: httpx.Client, token: str, seq: int, rows: list[list[float]]) -> dict:
    answer = client.post(
        "/api/v1/ingest",
        json={"seq": seq, "samples": rows},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


class Window:
    """A device with a sliding window: batch ``i`` of ``seqs`` is sent only once every batch
    before ``i - IN_FLIGHT`` is acknowledged (reordering stays within the server's window).

    ``run`` sends from IN_FLIGHT threads until every batch is acknowledged or ``stop`` is set;
    a request that fails (the server was killed) ends its thread."""

    def __init__(self, url: str, token: str, chunks: list, seqs: list[int]) -> None:
        self.url, self.token, self.chunks, self.seqs = url, token, chunks, seqs
        self.acks: dict[int, dict] = {}
        self.failures = 0
        self.stop = threading.Event()
        self._cond = threading.Condition()
        self._next = 0
        self._low = 0  # index of the oldest batch not yet acknowledged

    def _worker(self) -> None:
        with httpx.Client(base_url=self.url) as client:
            while True:
                with self._cond:
                    while not self.stop.is_set() and self._next < len(self.seqs):
                        if self._next < self._low + IN_FLIGHT:
                            break
                        self._cond.wait(0.05)
                    if self.stop.is_set() or self._next >= len(self.seqs):
                        return
                    seq = self.seqs[self._next]
                    self._next += 1
                try:
                    ack = _post(client, self.token, seq, self.chunks[seq])
                except httpx.HTTPError:
                    with self._cond:
                        self.failures += 1
                    return  # the server is gone: this device stops until it comes back
                with self._cond:
                    self.acks[seq] = ack
                    while self._low < len(self.seqs) and self.seqs[self._low] in self.acks:
                        self._low += 1
                    self._cond.notify_all()

    def run(self, kill: ServerProcess | None = None, after_acks: int = 0) -> None:
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            futures = [pool.submit(self._worker) for _ in range(IN_FLIGHT)]
            if kill is not None:
                deadline = time.monotonic() + 60
                while len(self.acks) < after_acks and time.monotonic() < deadline:
                    time.sleep(0.005)
                kill.kill()
                self.stop.set()
            for future in futures:
                future.result()


def test_sigkill_mid_stream_then_resending_gives_the_exact_summary(
    database: tuple[str, World], engine_name: str, tmp_path: Path
) -> None:
    url, world = database
    sim = recording("office", 300.0, seed=5)  # the recording of test_api's 2 % check
    chunks = batches(sim)
    # Streaming servers never finalise on their own (a restart is not the end of a session);
    # the last server finalises the device once it has been idle for 1 s.
    streaming = {"SPINEWISE_POSTURE_IDLE_S": "3600"}
    server = ServerProcess(url, tmp_path, env=streaming).start()
    try:
        device = httpx.post(
            f"{server.url}/api/v1/devices",
            json={"name": "Back sensor", "kind": "imu-wearable"},
            headers=world.patient_1.headers,
        ).json()
        first = Window(server.url, device["token"], chunks, list(range(len(chunks))))
        first.run(kill=server, after_acks=KILL_AFTER_ACKS)
        acked = set(first.acks)
        assert KILL_AFTER_ACKS <= len(acked) < len(chunks) and first.failures >= 1
        assert {a["status"] for a in first.acks.values()} <= {"processed", "pending"}

        server = ServerProcess(url, tmp_path, env=streaming).start()
        resend = [s for s in range(len(chunks)) if s not in acked or s % RESEND_ACKED_EVERY == 0]
        second = Window(server.url, device["token"], chunks, resend)
        second.run()
        assert second.failures == 0 and set(second.acks) == set(resend)
        for seq, ack in second.acks.items():
            assert ack["status"] != "skipped", seq
            if seq in acked:  # acknowledged before the kill: committed, so never re-counted
                assert ack["duplicate"] is True, seq
        server.stop()
        server = ServerProcess(url, tmp_path, env={"SPINEWISE_POSTURE_IDLE_S": "1"}).start()
        with httpx.Client(base_url=server.url) as client:
            summary = _wait_for_finalised_summary(client, world, analyze(sim.samples).duration_s)
    finally:
        server.stop()

    expected = analyze(sim.samples)
    for zone in ("neutral", "flexed", "severe"):
        assert summary["time_in_zone_s"][zone] == pytest.approx(
            expected.time_in_zone_s[zone], abs=1e-6
        ), zone
    assert summary["worn_s"] == pytest.approx(expected.duration_s, abs=1e-6)
    assert summary["alerts"] == len(expected.alerts)
    truth = sim.truth_summary()
    for zone in ("neutral", "flexed", "severe"):
        assert abs(summary["time_in_zone_s"][zone] - truth["time_in_zone_s"][zone]) <= (
            0.02 * truth["duration_s"]
        ), zone


def _wait_for_finalised_summary(client: httpx.Client, world: World, worn_s: float) -> dict:
    """The idle finaliser (every 0.5 s, idle after 1 s) flushes the last minute; wait for it."""
    path = f"/api/v1/patients/{world.patient_1.patient_id}/posture/summary"
    deadline = time.monotonic() + 20
    while True:
        summary = client.get(path, params=DAY, headers=world.patient_1.headers).json()
        if abs(summary["worn_s"] - worn_s) < 1e-6 or time.monotonic() > deadline:
            return dict(summary)
        time.sleep(0.25)
