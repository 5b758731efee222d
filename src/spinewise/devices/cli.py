"""``spinewise devices …``: a simulated device that streams to a running server.

    spinewise devices simulate --token T --scenario office --speed 10 --via http
    spinewise devices simulate --token T --file rec.csv --via ws --json

Exit codes: 0 every batch acknowledged; 1 some batch was never acknowledged (the summary says
which); 2 bad input (one line on stderr).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from spinewise.core.console import cli_errors, err_console, print_json
from spinewise.core.errors import InvalidInput
from spinewise.devices.sender import (
    DEFAULT_MQTT_ROOT,
    TRANSPORTS,
    DeliveryStats,
    OutBatch,
    RetryPolicy,
    count_batches,
    deliver,
    make_transport,
    one_second_batches,
    rebase,
)
from spinewise.posture.io import ImuSamples, iter_recording
from spinewise.posture.simulate import SCENARIOS, simulate

app = typer.Typer(help="Devices: simulate a sensor streaming to a server.", no_args_is_help=True)


def load_recording(
    *,
    file: Path | None,
    scenario: str | None,
    rate_hz: float,
    duration_s: float | None,
    seed: int,
    rebase_time: bool | None,
    now_s: float,
) -> ImuSamples:
    """The samples to stream: a file (time kept unless ``rebase_time``) or a simulated scenario
    (SYNTHETIC; time starts now unless ``rebase_time`` is False)."""
    if (file is None) == (scenario is None):
        raise InvalidInput(None, "give exactly one of --file or --scenario")
    if duration_s is not None and duration_s <= 0:
        raise InvalidInput("duration", "must be positive")
    if file is not None:
        if not file.is_file():
            raise FileNotFoundError(2, "not found", str(file))
        parts: list[ImuSamples] = []
        for chunk in iter_recording(file):
            parts.append(chunk)
            if duration_s is not None and chunk.t[-1] - parts[0].t[0] >= duration_s:
                break
        samples = ImuSamples.concatenate(parts)
        if duration_s is not None:
            end = int(((samples.t - samples.t[0]) < duration_s).sum())
            samples = samples.slice(0, end)
        return rebase(samples, now_s) if rebase_time else samples
    assert scenario is not None
    if scenario not in SCENARIOS:
        raise InvalidInput("scenario", f"must be one of {', '.join(SCENARIOS)}")
    start = now_s if rebase_time is not False else 0.0
    return simulate(scenario, rate_hz, duration_s or 600.0, seed=seed, start_s=start).samples


@app.command("simulate")
@cli_errors
def simulate_command(
    token: Annotated[str, typer.Option(help="The device token (shown once at registration).")],
    file: Annotated[
        Path | None, typer.Option(help="Recording to stream (CSV t,ax,ay,az,gx,gy,gz or .jsonl).")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help=f"Simulate a wearer: {', '.join(SCENARIOS)} (SYNTHETIC).")
    ] = None,
    rate: Annotated[float, typer.Option(help="Sample rate of a simulated recording, Hz.")] = 50.0,
    duration: Annotated[
        float | None, typer.Option(help="Seconds of data to send (scenario default 600).")
    ] = None,
    speed: Annotated[
        float, typer.Option(help="Playback speed: 1 = real time, 10 = ten times, 0 = no pacing.")
    ] = 1.0,
    via: Annotated[str, typer.Option(help="Transport: http, ws or mqtt.")] = "http",
    url: Annotated[str, typer.Option(help="Server for http/ws.")] = "http://127.0.0.1:8000",
    mqtt_url: Annotated[str, typer.Option(help="Broker for mqtt.")] = "mqtt://127.0.0.1:1883",
    mqtt_topic_root: Annotated[
        str, typer.Option(help="Topic root of the server (SPINEWISE_MQTT_TOPIC_ROOT).")
    ] = DEFAULT_MQTT_ROOT,
    device_id: Annotated[
        int | None, typer.Option(help="Device id (needed by mqtt: it is part of the topic).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the simulated wearer.")] = 0,
    start_seq: Annotated[
        int, typer.Option(min=0, help="First sequence number (continue an earlier stream).")
    ] = 0,
    rebase_time: Annotated[
        bool | None,
        typer.Option(
            "--rebase/--no-rebase",
            help="Shift time so the first sample is now (default: yes for scenarios, no for files).",
        ),
    ] = None,
    ack_timeout: Annotated[
        float, typer.Option(min=0.05, help="Seconds to wait for an acknowledgement.")
    ] = 5.0,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Sends per batch before giving up.")
    ] = 10,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print only the JSON summary.")
    ] = False,
) -> None:
    """Stream 1-second batches to a server, resending any batch not acknowledged."""
    if via not in TRANSPORTS:
        raise InvalidInput("via", f"must be one of {', '.join(TRANSPORTS)}")
    if speed < 0:
        raise InvalidInput("speed", "must be 0 (no pacing) or positive")
    transport = make_transport(
        via,
        token=token,
        url=url,
        mqtt_url=mqtt_url,
        device_id=device_id,
        mqtt_root=mqtt_topic_root,
    )
    samples = load_recording(
        file=file,
        scenario=scenario,
        rate_hz=rate,
        duration_s=duration,
        seed=seed,
        rebase_time=rebase_time,
        now_s=time.time(),
    )
    total = count_batches(samples)
    if total == 0:
        raise InvalidInput(None, "nothing to send")
    batches = one_second_batches(samples, start_seq=start_seq)  # built lazily, batch by batch
    policy = RetryPolicy(ack_timeout_s=ack_timeout, max_attempts=max_attempts)
    stats = _run(transport, batches, total, speed=speed, policy=policy, quiet=json_output)
    summary = stats.to_dict() | {"first_seq": start_seq, "last_seq": start_seq + total - 1}
    print_json(summary)
    if stats.failed or stats.acknowledged < total:
        raise typer.Exit(1)


def _run(
    transport: Any,
    batches: Iterator[OutBatch],
    total: int,
    *,
    speed: float,
    policy: RetryPolicy,
    quiet: bool,
) -> DeliveryStats:
    if quiet:
        return asyncio.run(deliver(transport, batches, speed=speed, policy=policy))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
    )
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task(f"{transport.name} batches", total=total, detail="")

        def on_ack(batch: OutBatch, ack: dict[str, Any], stats: DeliveryStats) -> None:
            detail = (
                f"seq {batch.seq} {ack.get('status', '')} · resends {stats.resends}"
                f" · duplicates {stats.duplicates}"
            )
            progress.update(task, advance=1, detail=detail)

        return asyncio.run(deliver(transport, batches, speed=speed, policy=policy, on_ack=on_ack))
