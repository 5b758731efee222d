"""``spinewise posture …``: analyse a recording, simulate one with known truth."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from spinewise.core.console import (
    cli_errors,
    load_json_file,
    print_json,
    save_figure_atomic,
    write_atomic,
)
from spinewise.core.errors import InvalidInput
from spinewise.posture.config import PostureConfig
from spinewise.posture.io import REQUIRED_COLUMNS, Units, iter_recording
from spinewise.posture.simulate import SCENARIOS, SensorModel, simulate
from spinewise.posture.stream import PostureStream

app = typer.Typer(
    help="Posture engine: trunk angles, zones, episodes and alerts from IMU recordings.",
    no_args_is_help=True,
)


def _parse_window(text: str) -> tuple[float, float]:
    parts = text.split(":")
    if len(parts) != 2:
        raise InvalidInput("calibrate", f"expected START:END in seconds, got {text!r}")
    try:
        start, end = float(parts[0]), float(parts[1])
    except ValueError:
        raise InvalidInput("calibrate", f"expected START:END in seconds, got {text!r}") from None
    return start, end


@app.command("analyze")
@cli_errors
def analyze_command(
    file: Annotated[Path, typer.Argument(help="CSV (header t,ax,ay,az,gx,gy,gz) or .jsonl")],
    calibrate: Annotated[
        str | None,
        typer.Option(help="Neutral window START:END, seconds from the first sample (default 0:5)"),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the JSON contract")] = False,
    plot: Annotated[Path | None, typer.Option(help="Write a flexion plot (PNG/SVG/PDF)")] = None,
    accel_unit: Annotated[str, typer.Option(help="g or m/s2")] = "g",
    gyro_unit: Annotated[str, typer.Option(help="deg/s or rad/s")] = "deg/s",
    time_unit: Annotated[str, typer.Option(help="s or ms")] = "s",
    config: Annotated[
        Path | None, typer.Option(help="JSON settings (zones, feedback, filter, calibration)")
    ] = None,
) -> None:
    """Analyse a recording: time in zone, flexion percentiles, episodes and alerts."""
    settings = PostureConfig.from_dict(load_json_file(config)) if config else PostureConfig()
    if calibrate is not None:
        settings = settings.with_calibration(*_parse_window(calibrate))
    units = Units(accel=accel_unit, gyro=gyro_unit, time=time_unit)  # type: ignore[arg-type]
    if not file.is_file():
        raise FileNotFoundError(2, "not found", str(file))
    stream = PostureStream(settings, emit_frames=plot is not None, keep_history=True)
    t_parts: list[np.ndarray] = []
    f_parts: list[np.ndarray] = []
    for chunk in iter_recording(file, units):
        update = stream.feed(chunk)
        if update.frames is not None:
            t_parts.append(update.frames.t_end)
            f_parts.append(update.frames.flexion_deg)
    update = stream.close()
    if update.frames is not None:
        t_parts.append(update.frames.t_end)
        f_parts.append(update.frames.flexion_deg)
    report = stream.report()
    if plot is not None:
        from spinewise.posture.report import plot_report

        t_all = np.concatenate(t_parts) if t_parts else np.empty(0)
        f_all = np.concatenate(f_parts) if f_parts else np.empty(0)
        figure = plot_report(report, t_all, f_all, settings.zones)
        save_figure_atomic(figure, plot)
    if json_output:
        print_json(report.to_contract())
    else:
        from spinewise.posture.report import format_text

        typer.echo(format_text(report))


@app.command("simulate")
@cli_errors
def simulate_command(
    out: Annotated[Path, typer.Option(help="CSV file to write; truth goes to OUT.truth.json")],
    scenario: Annotated[str, typer.Option(help=" | ".join(SCENARIOS))] = "office",
    rate: Annotated[float, typer.Option(help="Sample rate, Hz")] = 100.0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    duration: Annotated[float, typer.Option(help="Seconds")] = 600.0,
    mount_tilt: Annotated[float, typer.Option(help="Mounting tilt, degrees (0–45)")] = 25.0,
    gyro_bias: Annotated[float, typer.Option(help="Gyroscope bias magnitude, deg/s")] = 2.0,
    gaps: Annotated[int, typer.Option(help="Number of dropped-data gaps (1–3 s)")] = 0,
    json_output: Annotated[bool, typer.Option("--json", help="Print the truth as JSON")] = False,
) -> None:
    """Write a SYNTHETIC recording with known truth (see docs/posture.md for the model)."""
    if gaps < 0 or gaps > 100:
        raise InvalidInput("gaps", "must be between 0 and 100")
    sensor = SensorModel(mount_tilt_deg=mount_tilt, gyro_bias_dps=gyro_bias, gaps=gaps)
    sim = simulate(scenario, rate, duration, seed, sensor)
    truth = sim.truth_summary()
    _write_csv_atomic(out, sim.samples.t, sim.samples.acc, sim.samples.gyr)
    truth_path = out.with_name(out.stem + ".truth.json")
    write_atomic(truth_path, json.dumps(truth, indent=2) + "\n")
    if json_output:
        print_json(truth | {"file": str(out), "truth_file": str(truth_path)})
    else:
        typer.echo(
            f"wrote {truth['samples']} samples ({duration:g} s at {rate:g} Hz) to {out}; "
            f"truth in {truth_path}"
        )


def _write_csv_atomic(path: Path, t: np.ndarray, acc: np.ndarray, gyr: np.ndarray) -> None:
    """Stream a CSV to a temporary file and rename it, so no partial file is ever seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(",".join(REQUIRED_COLUMNS) + "\n")
            fmt = ["%.6f", "%.6f", "%.6f", "%.6f", "%.4f", "%.4f", "%.4f"]
            for a in range(0, t.size, 100_000):
                block = np.column_stack(
                    [t[a : a + 100_000], acc[a : a + 100_000], gyr[a : a + 100_000]]
                )
                np.savetxt(handle, block, fmt=fmt, delimiter=",")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
