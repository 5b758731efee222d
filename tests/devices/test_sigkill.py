"""Acceptance: a real server killed with SIGKILL mid-stream loses nothing and counts nothing twice.

A device streams a simulated recording over HTTP with several batches in flight; the server
process (and its workers) is killed without any chance to clean up; a new server starts on
the same database; the device resends every batch it has no acknowledgement for (and, as a
device that lost its own bookkeeping might, some that were acknowledged); a last server
start with a 1-second idle limit lets the app's idle finaliser close the session. The day's summary must then equal the batch analysis of the same samples
exactly, and be within 2 % of the simulator's truth (SYNTHETIC data).
"""

from __future__ import annotations

import itertools
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


def _stream_until_killed(server: ServerProcess, token: str, chunks: list) -> tuple[set[int], int]:
    """Send with IN_FLIGHT concurrent requests; SIGKILL the server after KILL_AFTER_ACKS acks.

    Returns the acknowledged sequence numbers and how many requests failed at the kill."""
    acked: set[int] = set()
    failures = 0
    guard = threading.Lock()
    seqs = itertools.count()
    stop = threading.Event()

    def worker() -> None:
        nonlocal failures
        with httpx.Client(base_url=server.url) as client:
            while not stop.is_set():
                with guard:
                    seq = next(seqs)
                if seq >= len(chunks):
                    return
                try:
                    ack = _post(client, token, seq, chunks[seq])
                except httpx.HTTPError:
                    with guard:
                        failures += 1
                    return  # the server is gone: this device stops until it comes back
                assert ack["duplicate"] is False
                with guard:
                    acked.add(seq)

    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        futures = [pool.submit(worker) for _ in range(IN_FLIGHT)]
        deadline = time.monotonic() + 60
        while len(acked) < KILL_AFTER_ACKS and time.monotonic() < deadline:
            time.sleep(0.005)
        server.kill()
        stop.set()
        for future in futures:
            future.result()
    return acked, failures


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
        acked, failures = _stream_until_killed(server, device["token"], chunks)
        assert KILL_AFTER_ACKS <= len(acked) < len(chunks) and failures >= 1

        server = ServerProcess(url, tmp_path, env=streaming).start()
        resend = [s for s in range(len(chunks)) if s not in acked or s % RESEND_ACKED_EVERY == 0]
        with httpx.Client(base_url=server.url) as client, ThreadPoolExecutor(IN_FLIGHT) as pool:
            acks = list(pool.map(lambda s: _post(client, device["token"], s, chunks[s]), resend))
        for seq, ack in zip(resend, acks, strict=True):
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
