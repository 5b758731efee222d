"""Ingestion load: how many 100 Hz devices one server holds with p99 acknowledgement < 100 ms.

    PYTHONPATH=src .venv/bin/python benchmarks/ingest_load.py            # SQLite and PostgreSQL
    PYTHONPATH=src .venv/bin/python benchmarks/ingest_load.py --engines sqlite --step-s 8

What it does (loopback only, every loop bounded by ``--step-s`` per level):

1. Creates a fresh database (SQLite file or a new PostgreSQL database), one patient with
   ``max(levels)`` devices, and ``--probes`` probe patients with one device each whose
   posture settings fire feedback often (hold 3 s, cool-down 5 s).
2. Starts ``spinewise serve`` in a subprocess (``--workers 1`` or ``2``).
3. Ramps N (``--levels``): N device coroutines each send a 1-second batch of 100 samples
   (``POST /api/v1/ingest``, one keep-alive connection per device, next batch only after the
   previous ack, as a device does) for ``--step-s`` seconds, start times spread over a second.
   A level is *held* when every batch is acknowledged, the devices keep their schedule, and the
   p99 of acknowledgement latency is below 100 ms. The ramp stops after two levels in a row
   not held; the result is the largest N held.
4. Feedback latency: during every level the probe devices stream a SYNTHETIC warehouse shift;
   each probe patient listens on ``GET /api/v1/patients/{id}/posture/live`` (SSE, signed in
   with ``POST /api/v1/auth/token``). The latency of an alert is its arrival on the SSE stream
   minus the moment the batch that triggered it was sent (the triggering batch is found by
   feeding the same batches to the engine offline: streaming equals batch exactly).
5. Baselines measured in the same run: the same N against ``GET /healthz`` (no work: the
   ceiling of this client and server on this machine), and on PostgreSQL 1 worker vs 2 workers
   (both with the Redis bus, so SSE sees alerts from either worker): the ratio of N held.

The machine has 2 cores shared with the load generator (and, here, with other jobs): figures
are for this machine only; see docs/live-monitoring.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.devices.server import ServerProcess  # noqa: E402

from spinewise.accounts import service as accounts  # noqa: E402
from spinewise.db import make_engine, make_session_factory, unit_of_work, upgrade_schema  # noqa: E402
from spinewise.devices import service as devices  # noqa: E402
from spinewise.posture.config import PostureConfig  # noqa: E402
from spinewise.posture.io import ImuSamples  # noqa: E402
from spinewise.posture.simulate import simulate  # noqa: E402
from spinewise.posture.stream import PostureStream  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get(
    "SPINEWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "benchmark-passphrase-2026"
RATE_HZ = 100.0
ACK_P99_LIMIT_MS = 100.0
PROBE_CONFIG = {
    "feedback": {
        "flexed_hold_s": 3.0,
        "severe_hold_s": 1.0,
        "cooldown_s": 5.0,
        "escalate_after_s": 3.0,
    }
}
START_S = 1_790_000_000.0


# --- data ------------------------------------------------------------------------------------


def group_cpu_s(pgid: int) -> float:
    """User + system CPU seconds of every process in a process group (the server and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after "(comm)": state, ppid, pgrp, …
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def batch_bodies(scenario: str, seconds: int, seed: int) -> tuple[list[bytes], list[Any]]:
    """JSON bodies of 1-second, 100-sample batches (seq k = k-th second), and the row blocks."""
    sim = simulate(scenario, RATE_HZ, float(seconds) + 2, seed=seed, start_s=START_S)
    rows = np.column_stack([sim.samples.t, sim.samples.acc, sim.samples.gyr])
    blocks = [rows[i : i + 100] for i in range(0, 100 * seconds, 100)]
    bodies = [
        json.dumps({"seq": k, "samples": np.round(b, 6).tolist()}).encode()
        for k, b in enumerate(blocks)
    ]
    return bodies, [np.round(b, 6) for b in blocks]


def alert_batches(blocks: list[Any], config: PostureConfig) -> dict[float, int]:
    """Alert time (ms-rounded Unix s) → index of the batch whose ingestion emits it."""
    stream = PostureStream(config, emit_frames=True, keep_history=False)
    found: dict[float, int] = {}
    for k, block in enumerate(blocks):
        update = stream.feed(ImuSamples.from_arrays(block[:, 0], block[:, 1:4], block[:, 4:7]))
        for alert in update.alerts:
            found[round(alert.t_s, 3)] = k
    return found


@dataclass
class Setup:
    url: str
    device_tokens: list[str]
    probes: list[dict[str, Any]]  # email, patient_id, token (device)
    drop: Any = None


def prepare_database(engine_name: str, workdir: Path, n_devices: int, n_probes: int) -> Setup:
    if engine_name == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
        drop = None
    else:
        from sqlalchemy import create_engine, text

        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"sw_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    engine = make_engine(url)
    upgrade_schema(engine)
    tokens: list[str] = []
    probes: list[dict[str, Any]] = []
    tag = uuid.uuid4().hex[:6]
    with unit_of_work(make_session_factory(engine)) as session:
        user = accounts.create_user(
            session, email=f"load-{tag}@example.org", password=PASSWORD, role="patient", name="L"
        )
        patient = accounts.patient_of(session, user=user)
        assert patient is not None
        for i in range(n_devices):
            _, token = devices.register_device(
                session, patient=patient, name=f"load {i}", kind="imu-wearable"
            )
            tokens.append(token)
        for i in range(n_probes):
            email = f"probe-{i}-{tag}@example.org"
            user = accounts.create_user(
                session, email=email, password=PASSWORD, role="patient", name=f"P{i}"
            )
            probe = accounts.patient_of(session, user=user)
            assert probe is not None
            devices.set_posture_config(
                session, patient_id=probe.id, config=PROBE_CONFIG, updated_by=None
            )
            _, token = devices.register_device(
                session, patient=probe, name="probe", kind="imu-wearable"
            )
            probes.append({"email": email, "patient_id": probe.id, "token": token})
    engine.dispose()
    return Setup(url, tokens, probes, drop)


# --- load ------------------------------------------------------------------------------------


@dataclass
class LevelResult:
    n: int
    target: str
    sent: int = 0
    scheduled: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    feedback_ms: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0
    load_average: float = field(default_factory=lambda: round(os.getloadavg()[0], 1))
    requests: int = 0  # including the probes' batches

    def p(self, q: float, values: list[float] | None = None) -> float | None:
        data = self.latencies_ms if values is None else values
        return round(float(np.percentile(data, q)), 1) if data else None

    @property
    def held(self) -> bool:
        p99 = self.p(99)
        return (
            self.errors == 0
            and self.sent >= 0.95 * self.scheduled
            and p99 is not None
            and p99 < ACK_P99_LIMIT_MS
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "target": self.target,
            "batches": self.sent,
            "scheduled": self.scheduled,
            "errors": self.errors,
            "ack_ms": {"p50": self.p(50), "p99": self.p(99), "max": self.p(100)},
            "feedback_ms": {
                "alerts": len(self.feedback_ms),
                "p50": self.p(50, self.feedback_ms),
                "p99": self.p(99, self.feedback_ms),
            },
            "server_cpu_ms_per_request": round(1000 * self.server_cpu_s / self.requests, 2)
            if self.requests
            else None,
            "load_average_1min": self.load_average,
            "held": self.held,
        }


class Device:
    """A device on HTTP (``via="http"``: raw HTTP/1.1 over one keep-alive connection) or on
    the WebSocket (``via="ws"``: one connection, authenticated once, each batch answered by an
    ack carrying its ``seq``).

    The client is deliberately thin (pre-built request bytes, no HTTP library) so that at
    hundreds of devices it costs a small fraction of what the server spends per batch."""

    def __init__(self, base_url: str, token: str, bodies: list[bytes], via: str = "http") -> None:
        self.via = via
        self.token = token
        address = base_url.removeprefix("http://")
        self.host, _, port = address.partition(":")
        self.port = int(port or 80)
        self.ws_url = f"ws://{address}/api/v1/stream"
        self.ws: Any = None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.ingest_head = (
            f"POST /api/v1/ingest HTTP/1.1\r\nHost: {address}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.healthz = f"GET /healthz HTTP/1.1\r\nHost: {address}\r\n\r\n".encode()
        self.bodies = bodies
        self.seq = 0
        self.sent_at: dict[int, float] = {}

    async def _http(self, request: bytes) -> tuple[int, bytes]:
        """One request on the kept-alive connection (reconnecting once if it was closed)."""
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            assert self.reader is not None
            try:
                self.writer.write(request)
                head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 10)
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                body = await self.reader.readexactly(length) if length else b""
                return int(head.split(b" ", 2)[1]), body
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                self.writer.close()
                self.writer = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def run(self, result: LevelResult, start: float, end: float, target: str) -> None:
        k = 0
        while True:
            due = start + k
            if due >= end:
                return
            result.scheduled += 1
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif -delay > 1.0:  # more than a batch behind: this device lost its schedule
                k += 1
                continue
            k += 1
            sent = time.perf_counter()
            try:
                if target == "healthz":
                    ok = (await self._http(self.healthz))[0] == 200
                else:
                    if self.seq >= len(self.bodies):
                        return
                    self.sent_at[self.seq] = sent
                    if self.via == "ws":
                        ok = await self._send_ws(self.seq)
                    else:
                        body = self.bodies[self.seq]
                        request = b"%sContent-Length: %d\r\n\r\n%s" % (
                            self.ingest_head,
                            len(body),
                            body,
                        )
                        ok = (await self._http(request))[0] == 200
                    self.seq += 1
            except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
                ok = False
            if ok:
                result.sent += 1
                result.latencies_ms.append((time.perf_counter() - sent) * 1000)
            else:
                result.errors += 1

    async def _send_ws(self, seq: int) -> bool:
        import websockets

        try:
            if self.ws is None:
                self.ws = await websockets.connect(self.ws_url, max_size=2**22, compression=None)
                await self.ws.send(json.dumps({"token": self.token}))
                json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            await self.ws.send(self.bodies[seq].decode())
            while True:
                ack = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
                if ack.get("seq") == seq:
                    return "error" not in ack
        except (websockets.WebSocketException, OSError, TimeoutError):
            self.ws = None
            return False

    async def aclose(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.ws is not None:
            await self.ws.close()


class Probe:
    """A probe patient: one device streaming an alert-rich recording and an SSE listener."""

    def __init__(self, base_url: str, info: dict[str, Any], bodies: list[bytes], alerts: dict):
        self.info = info
        self.device = Device(base_url, info["token"], bodies)
        self.alerts = alerts
        self.base_url = base_url
        self.arrivals: list[tuple[int, float]] = []  # (batch index, arrival time)
        self.task: asyncio.Task[None] | None = None

    async def listen(self) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=None) as client:
            token = (
                await client.post(
                    "/api/v1/auth/token",
                    data={"username": self.info["email"], "password": PASSWORD},
                )
            ).json()["access_token"]
            path = f"/api/v1/patients/{self.info['patient_id']}/posture/live"
            headers = {"Authorization": f"Bearer {token}"}
            async with client.stream("GET", path, params={"max_s": 3600}, headers=headers) as r:
                event = ""
                async for line in r.aiter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event == "alert":
                        now = time.perf_counter()
                        at = datetime.fromisoformat(json.loads(line[5:])["at"]).timestamp()
                        batch = self.alerts.get(round(at, 3))
                        if batch is not None:
                            self.arrivals.append((batch, now))

    def feedback_ms(self, since: int) -> list[float]:
        out = []
        for batch, arrived in self.arrivals[since:]:
            sent = self.device.sent_at.get(batch)
            if sent is not None:
                out.append((arrived - sent) * 1000)
        return out


async def ramp(
    base_url: str,
    pgid: int,
    setup: Setup,
    levels: list[int],
    step_s: float,
    load_bodies: list[bytes],
    probe_bodies: list[bytes],
    probe_alerts: dict[float, int],
    log: Any,
    via: str = "http",
    feedback_s: float = 0.0,
) -> tuple[list[LevelResult], LevelResult | None]:
    devices_ = [Device(base_url, t, load_bodies, via) for t in setup.device_tokens[: max(levels)]]
    probes = [Probe(base_url, p, probe_bodies, probe_alerts) for p in setup.probes]
    for probe in probes:
        probe.task = asyncio.create_task(probe.listen())
    await asyncio.sleep(1.0)
    # Warm-up (discarded): every device's first batch (a new device's stream starts there)
    # and the first requests' imports, SQL compilation and engine set-up.
    warm = LevelResult(len(devices_), "warm-up")
    start = time.perf_counter() + 0.2
    rate = 200.0  # devices started per second
    await asyncio.gather(
        *[
            d.run(warm, start + i / rate, start + i / rate + 1, "ingest")
            for i, d in enumerate(devices_)
        ]
    )
    log(warm)

    async def level(n: int, duration_s: float) -> LevelResult:
        """N load devices plus the probes for ``duration_s``; feedback measured on the probes."""
        result = LevelResult(n, "ingest")
        marks = [len(p.arrivals) for p in probes]
        start = time.perf_counter() + 0.5
        end = start + duration_s
        offsets = np.random.default_rng(n).uniform(0, 1, n + len(probes))
        jobs = [
            d.run(result, start + offsets[i], end, "ingest") for i, d in enumerate(devices_[:n])
        ]
        probe_result = LevelResult(len(probes), "probe")
        jobs += [
            p.device.run(probe_result, start + offsets[n + i], end, "ingest")
            for i, p in enumerate(probes)
        ]
        cpu_before = group_cpu_s(pgid)
        await asyncio.gather(*jobs)
        result.server_cpu_s = group_cpu_s(pgid) - cpu_before
        result.requests = result.sent + probe_result.sent
        if n == 0:  # probes only: their own acknowledgement latency
            result.sent, result.scheduled = probe_result.sent, probe_result.scheduled
            result.errors, result.latencies_ms = probe_result.errors, probe_result.latencies_ms
        await asyncio.sleep(0.5)  # let the last alerts arrive
        for probe, mark in zip(probes, marks, strict=True):
            result.feedback_ms += probe.feedback_ms(mark)
        log(result)
        return result

    results: list[LevelResult] = []
    try:
        if feedback_s > 0:  # the probes alone: feedback latency without other load
            results.append(await level(0, feedback_s))
        for n in levels:
            results.append(await level(n, step_s))
            if len(results) >= 2 and not results[-1].held and not results[-2].held:
                break  # two levels in a row not held: past capacity (one alone may be noise)
        # The no-work ceiling: the same N against /healthz.
        n = results[-1].n
        ceiling = LevelResult(n, "healthz")
        start = time.perf_counter() + 0.5
        offsets = np.random.default_rng(0).uniform(0, 1, n)
        cpu_before = group_cpu_s(pgid)
        await asyncio.gather(
            *[
                d.run(ceiling, start + offsets[i], start + step_s, "healthz")
                for i, d in enumerate(devices_[:n])
            ]
        )
        ceiling.server_cpu_s = group_cpu_s(pgid) - cpu_before
        ceiling.requests = ceiling.sent
        log(ceiling)
        return results, ceiling
    finally:
        for probe in probes:
            if probe.task is not None:
                probe.task.cancel()
        await asyncio.gather(*[d.aclose() for d in devices_], return_exceptions=True)
        await asyncio.gather(*[p.device.aclose() for p in probes], return_exceptions=True)


def run_loop(coroutine: Any) -> Any:
    """uvloop when installed (uvicorn's loop too): the client's own overhead stays small."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def run_config(
    engine_name: str,
    workers: int,
    bus: str,
    args: argparse.Namespace,
    data: dict[str, Any],
    via: str = "http",
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"ingest-load-{engine_name}-"))
    setup = prepare_database(engine_name, workdir, max(args.levels), args.probes)
    env = {"SPINEWISE_POSTURE_IDLE_S": "3600", "SPINEWISE_EVENT_BUS": bus}
    label = f"{engine_name}, {workers} worker{'s' if workers > 1 else ''}, {bus} bus, {via}"
    print(f"\n== {label}", flush=True)

    def log(r: LevelResult) -> None:
        d = r.to_dict()
        print(
            f"  N={d['n']:>5} {d['target']:<7} batches={d['batches']:>6}/{d['scheduled']:<6} "
            f"errors={d['errors']:<4} ack p50={d['ack_ms']['p50']} p99={d['ack_ms']['p99']} ms"
            f"  server CPU {d['server_cpu_ms_per_request']} ms/request"
            f"  load {d['load_average_1min']}"
            + (
                f"  feedback p99={d['feedback_ms']['p99']} ms ({d['feedback_ms']['alerts']} alerts)"
                if r.target == "ingest"
                else ""
            )
            + ("" if r.target != "ingest" else ("  held" if r.held else "  NOT held")),
            flush=True,
        )

    server = ServerProcess(setup.url, workdir, workers=workers, env=env)
    try:
        server.start(timeout_s=60)
        results, ceiling = run_loop(
            ramp(
                server.url,
                server.process.pid if server.process else 0,
                setup,
                args.levels,
                args.step_s,
                data["load_bodies"],
                data["probe_bodies"],
                data["probe_alerts"],
                log,
                via,
                args.feedback_s,
            )
        )
    finally:
        server.stop()
        if setup.drop is not None:
            setup.drop()
    held = [r for r in results if r.held and r.n > 0]
    best = max(held, key=lambda r: r.n) if held else None
    quiet = next((r for r in results if r.n == 0), None)
    return {
        "config": label,
        "engine": engine_name,
        "workers": workers,
        "bus": bus,
        "via": via,
        "max_devices_held": best.n if best else 0,
        "at_max": best.to_dict() if best else None,
        "feedback_ms_probes_only": quiet.to_dict()["feedback_ms"] if quiet else None,
        "ack_ms_probes_only": quiet.to_dict()["ack_ms"] if quiet else None,
        "feedback_ms_held_levels": _pooled([r for r in results if r.held and r.n > 0]),
        "feedback_ms_all_levels": _pooled(results),
        "levels": [r.to_dict() for r in results],
        "healthz_ceiling": ceiling.to_dict() if ceiling else None,
        "cpu_ms_per_batch_median": _median_cpu(results),
    }


def _median_cpu(results: list[LevelResult]) -> float | None:
    """Server CPU per batch, median over the load levels (read from /proc: load-independent)."""
    values = [1000 * r.server_cpu_s / r.requests for r in results if r.n > 0 and r.requests >= 50]
    return round(float(np.median(values)), 2) if values else None


def _pooled(results: list[LevelResult]) -> dict[str, Any]:
    values = [v for r in results for v in r.feedback_ms]
    pct = (lambda q: round(float(np.percentile(values, q)), 1)) if values else (lambda q: None)
    return {"alerts": len(values), "p50": pct(50), "p99": pct(99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--levels",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[50, 100, 200, 300, 400, 500, 600, 700, 800, 1000, 1200],
    )
    parser.add_argument("--step-s", type=float, default=8.0)
    parser.add_argument("--probes", type=int, default=3)
    parser.add_argument(
        "--feedback-s", type=float, default=40.0, help="Probes alone first (0: skip)."
    )
    parser.add_argument("--no-workers", action="store_true", help="Skip 1 vs 2 workers.")
    parser.add_argument(
        "--ws", action="store_true", help="Also run each engine with devices on the WebSocket."
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write results here.")
    args = parser.parse_args()
    seconds = int(len(args.levels) * (args.step_s + 1) + args.feedback_s + 10)
    load_bodies, _ = batch_bodies("office", seconds, seed=1)
    probe_bodies, probe_blocks = batch_bodies("warehouse", seconds, seed=2)  # ~1 alert / 10 s
    probe_alerts = alert_batches(probe_blocks, PostureConfig.from_dict(PROBE_CONFIG))
    data = {"load_bodies": load_bodies, "probe_bodies": probe_bodies, "probe_alerts": probe_alerts}
    print(
        f"{len(load_bodies)} s of 100 Hz data per device; probe recording has "
        f"{len(probe_alerts)} alerts (SYNTHETIC)",
        flush=True,
    )
    runs = []
    engines = args.engines.split(",")
    for engine_name in engines:
        runs.append(run_config(engine_name, 1, "memory", args, data))
        if args.ws:
            runs.append(run_config(engine_name, 1, "memory", args, data, via="ws"))
    ratios = {}
    for engine_name in [] if args.no_workers else engines:
        one = run_config(engine_name, 1, "redis", args, data)
        two = run_config(engine_name, 2, "redis", args, data)
        runs += [one, two]
        ratios[engine_name] = (
            two["max_devices_held"] / one["max_devices_held"] if one["max_devices_held"] else None
        )
        cpu = [r["cpu_ms_per_batch_median"] for r in (one, two)]
        print(
            f"\n2-worker/1-worker ratio ({engine_name}, Redis bus): {ratios[engine_name]}"
            f" (CPU per batch {cpu[0]} vs {cpu[1]} ms)"
        )
    print("\n== summary")
    for r in runs:
        at = r["at_max"] or {}
        ceiling = r["healthz_ceiling"] or {}
        print(
            f"  {r['config']:<42} max N held = {r['max_devices_held']:>4}"
            f"  ack p99 {at.get('ack_ms', {}).get('p99')} ms"
            f"  probes alone: ack p99 {(r['ack_ms_probes_only'] or {}).get('p99')} ms,"
            f" feedback p50/p99 {(r['feedback_ms_probes_only'] or {}).get('p50')}/"
            f"{(r['feedback_ms_probes_only'] or {}).get('p99')} ms"
            f" ({(r['feedback_ms_probes_only'] or {}).get('alerts')} alerts)"
            f"  feedback p99 {r['feedback_ms_held_levels']['p99']} ms (held levels,"
            f" {r['feedback_ms_held_levels']['alerts']} alerts; all levels"
            f" {r['feedback_ms_all_levels']['p99']} ms)"
            f"  | /healthz at N={ceiling.get('n')}: p99 {ceiling.get('ack_ms', {}).get('p99')} ms,"
            f" {ceiling.get('server_cpu_ms_per_request')} ms CPU/request"
            f"  | server CPU per batch (median) {r['cpu_ms_per_batch_median']} ms"
            f" → {int(1000 / r['cpu_ms_per_batch_median']) if r['cpu_ms_per_batch_median'] else '?'}"
            " devices per fully used core"
        )
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
