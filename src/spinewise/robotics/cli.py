"""``spinewise robotics simulate``: a therapy session on the simulated trunk robot.

``--json`` prints exactly::

    {"duration_s", "max_abs_angle_deg", "max_abs_torque_nm", "max_abs_velocity_deg_s",
     "angle_range_deg": [min, max], "safety_events": [{"t_s", "kind", "action"}],
     "repetitions": [{"assistance", "rom_deg", "tracking_rmse_deg", "patient_work_fraction"}]}

Bad files or options exit 2 with one line on stderr. ``--plot`` and ``--report`` files are
written atomically.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import typer

from spinewise.core.console import (
    cli_errors,
    load_json_file,
    print_json,
    save_figure_atomic,
    write_atomic,
)

app = typer.Typer(
    help="Robotic-assisted trunk therapy on a simulated device (not a medical device).",
    no_args_is_help=True,
)

EXAMPLES = (
    "flexion_extension.json",
    "stabilisation.json",
    "mixed_session.json",
    "patient_weak.json",
    "patient_strong.json",
    "patient_improving.json",
    "patient_guarded.json",
)


@app.command("simulate")
@cli_errors
def simulate_command(
    protocol: Path = typer.Option(
        ..., "--protocol", metavar="P.json", help="Protocol: limits, exercises, settings."
    ),
    patient_model: Path = typer.Option(
        ..., "--patient-model", metavar="M.json", help="Simulated patient model."
    ),
    fault: list[str] = typer.Option(
        [], "--fault", metavar="KIND@SECONDS", help="Inject a fault (repeatable)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for noise and perturbation timing."),
    json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    plot: Path | None = typer.Option(None, "--plot", metavar="OUT.png", help="Session chart."),
    report: Path | None = typer.Option(
        None, "--report", metavar="OUT.json", help="Full report (smoothness, work, details)."
    ),
) -> None:
    """Simulate a session and report limits reached, safety events and repetitions."""
    from spinewise.robotics.patient import PatientModel
    from spinewise.robotics.protocols import load_protocol, parse_model
    from spinewise.robotics.session import FaultSpec, TherapySession

    faults = [FaultSpec.parse(text) for text in fault]
    therapy = load_protocol(load_json_file(protocol))
    patient = parse_model(PatientModel, load_json_file(patient_model), "patient_model")
    session = TherapySession(therapy, patient, faults=faults, seed=seed)
    trace = session.run()
    metrics = session.metrics()
    if plot is not None:
        from spinewise.robotics.plot import plot_session

        save_figure_atomic(plot_session(trace, metrics, therapy), plot)
    if report is not None:
        full = {
            "protocol": therapy.name,
            "seed": seed,
            "faults": [str(f) for f in faults],
            "braking": session.monitor.describe(),
            **metrics.to_report(),
        }
        write_atomic(report, json.dumps(full, indent=2, allow_nan=False) + "\n")
    if json_out:
        print_json(metrics.to_contract())
        return
    contract = metrics.to_contract()
    print(f"Simulated session: {therapy.name or protocol.name} (simulated, not a medical device)")
    print(
        f"  duration {contract['duration_s']:g} s, "
        f"{len(metrics.repetitions)}/{metrics.planned_repetitions} repetitions completed"
    )
    lo, hi = contract["angle_range_deg"]
    print(
        f"  angle {lo:.1f}..{hi:.1f}° (limits {therapy.limits.angle_deg[0]:g}.."
        f"{therapy.limits.angle_deg[1]:g}°), peak torque {contract['max_abs_torque_nm']:.1f} "
        f"N·m (limit {therapy.limits.torque_nm:g}), peak velocity "
        f"{contract['max_abs_velocity_deg_s']:.1f}°/s (limit {therapy.limits.velocity_deg_s:g})"
    )
    for rep in metrics.repetitions:
        print(
            f"  rep {rep.index + 1:>2}: assistance {rep.assistance:.2f}  ROM {rep.rom_deg:5.1f}°  "
            f"RMSE {rep.tracking_rmse_deg:4.2f}°  patient work {rep.patient_work_fraction:.0%}"
        )
    for event in metrics.safety_events:
        print(f"  SAFETY t={event.t_s:.3f} s: {event.kind} -> {event.action} ({event.detail})")
    if not metrics.safety_events:
        print("  no safety events")


@app.command("examples")
@cli_errors
def examples_command(
    write: Path | None = typer.Option(
        None, "--write", metavar="DIR", help="Copy the example files into DIR."
    ),
) -> None:
    """List (or copy) the shipped example protocols and patient models."""
    data = resources.files("spinewise.robotics").joinpath("data")
    for name in EXAMPLES:
        text = data.joinpath(name).read_text("utf-8")
        if write is not None:
            write_atomic(write / name, text)
            print(write / name)
        else:
            print(f"{name}: {json.loads(text).get('name', 'patient model')}")
