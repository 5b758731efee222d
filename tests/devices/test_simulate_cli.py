"""``spinewise devices simulate`` through the main CLI: the JSON summary contract, bad input,
and a recording file streamed to a real server giving exactly its batch analysis."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from spinewise.cli import app
from spinewise.posture.io import format_csv
from spinewise.posture.stream import analyze
from tests.conftest import World
from tests.devices.conftest import recording
from tests.devices.server import ServerProcess

SUMMARY_KEYS = {
    "via",
    "batches",
    "acknowledged",
    "samples",
    "resends",
    "duplicates",
    "failed",
    "statuses",
    "ack_latency_ms",
    "data_start_s",
    "data_end_s",
    "wall_s",
    "errors",
    "first_seq",
    "last_seq",
}


def _invoke(*args: str) -> Result:
    # In a thread: the command runs its own event loop (asyncio.run).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(CliRunner().invoke, app, ["devices", "simulate", *args]).result()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token", "t"], "exactly one of --file or --scenario"),
        (["--token", "t", "--scenario", "office", "--file", "x.csv"], "exactly one of"),
        (["--token", "t", "--scenario", "gym"], "scenario"),
        (["--token", "t", "--scenario", "office", "--via", "mqtt"], "--device-id"),
        (["--token", "t", "--scenario", "office", "--via", "fax"], "via"),
        (["--token", "t", "--file", "/nonexistent/rec.csv"], "file not found"),
        (["--token", "t", "--scenario", "office", "--speed", "-1"], "speed"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines() if result.stderr else result.output.splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_an_unreachable_server_is_retried_then_reported_with_exit_1() -> None:
    result = _invoke(
        "--token", "t", "--scenario", "office", "--duration", "12", "--speed", "0",
        "--url", "http://127.0.0.1:9", "--ack-timeout", "0.2", "--max-attempts", "2", "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["acknowledged"], summary["failed"], summary["resends"]) == (0, 1, 1)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_file_streamed_over_http_and_websocket_gives_its_batch_analysis(
    database: tuple[str, World], tmp_path: Path
) -> None:
    url, world = database
    sim = recording("office", 120.0, seed=3)
    path = tmp_path / "rec.csv"
    path.write_text(format_csv(sim.samples))
    with ServerProcess(url, tmp_path, env={"SPINEWISE_POSTURE_IDLE_S": "1"}) as server:
        results: dict[str, dict[str, Any]] = {}
        for via, patient in (("http", world.patient_1), ("ws", world.patient_2)):
            device = httpx.post(
                f"{server.url}/api/v1/devices",
                json={"name": "Back sensor", "kind": "imu-wearable"},
                headers=patient.headers,
            ).json()
            result = _invoke(
                "--token", device["token"], "--file", str(path), "--via", via,
                "--url", server.url, "--speed", "0", "--json",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            results[via] = json.loads(result.stdout)
            assert set(results[via]) == SUMMARY_KEYS
            assert results[via]["acknowledged"] == results[via]["batches"] == 120
            assert results[via]["samples"] == len(sim.samples)
            assert results[via]["data_start_s"] == sim.samples.t[0]  # file time kept
        expected = analyze(sim.samples)
        for patient in (world.patient_1, world.patient_2):
            summary = _finalised_summary(server.url, patient, expected.duration_s)
            assert summary["time_in_zone_s"] == pytest.approx(expected.time_in_zone_s, abs=1e-6)
            assert summary["alerts"] == len(expected.alerts)


def _finalised_summary(url: str, patient: Any, worn_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while True:
        summary = httpx.get(
            f"{url}/api/v1/patients/{patient.patient_id}/posture/summary",
            params={"from": "2026-09-21T00:00:00+00:00", "to": "2026-09-22T00:00:00+00:00"},
            headers=patient.headers,
        ).json()
        if abs(summary["worn_s"] - worn_s) < 1e-6 or time.monotonic() > deadline:
            return dict(summary)
        time.sleep(0.25)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_the_demo_device_streams_live_for_a_demo_patient(
    database: tuple[str, World], tmp_path: Path
) -> None:
    from spinewise.db import make_engine, make_session_factory, unit_of_work
    from spinewise.devices.demo import register_demo_device, start_demo_device

    url, world = database
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as session:
        first = register_demo_device(session, patient_email=world.patient_1.email)
        token = register_demo_device(session, patient_email=world.patient_1.email)
    engine.dispose()
    with ServerProcess(url, tmp_path) as server:
        demo = start_demo_device(server.url, token, speed=20.0)
        try:
            deadline = time.monotonic() + 20
            while demo.acknowledged < 12 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            demo.stop()
        assert demo.acknowledged >= 12 and not demo.error
        devices = httpx.get(
            f"{server.url}/api/v1/patients/{world.patient_1.patient_id}/devices",
            headers=world.patient_1.headers,
        ).json()
        # The first demo device was revoked when the second was registered.
        assert [d["revoked_at"] is None for d in devices] == [False, True]
        refused = httpx.post(
            f"{server.url}/api/v1/ingest",
            json={"seq": 0, "samples": []},
            headers={"Authorization": f"Bearer {first}"},
        )
        assert refused.status_code == 401
