"""``spinewise dosing check|simulate|plan``: pump programmes on the command line (DESIGN §5).

- ``check``: exit 0 when every hard limit holds, 1 when one is broken, 2 for bad input;
- ``simulate``: closed-form one-compartment level, ``{"t_h", "concentration"}`` with --json;
- ``plan``: a schedule timed to the pain profile; exit 1 when the current programme already
  breaks a hard limit (it must be fixed before planning).
"""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.core.console import (
    cli_errors,
    fail,
    load_json_file,
    print_json,
    save_figure_atomic,
)
from spinewise.dosing.check import CheckResult, ProgrammeRejected, check_programme
from spinewise.dosing.library import load_library
from spinewise.dosing.programme import programme_from_dict

# simulate and plan import numpy/scipy/matplotlib inside the command, so that
# `spinewise --help` and `dosing check` start without loading them.

app = typer.Typer(
    help="Intrathecal pump programmes: check against a drug library, simulate, plan.",
    no_args_is_help=True,
)

ProgramArg = typer.Argument(..., metavar="PROGRAM.json", help="Pump programme (JSON).")
LibraryOpt = typer.Option(
    None, "--library", metavar="FILE", help="Drug library JSON (default: the packaged one)."
)
JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


def _print_check(result: CheckResult) -> None:
    unit = result.unit or "units"
    status = "OK: every hard limit holds" if result.ok else "REFUSED: hard limits broken"
    print(status)
    for v in result.violations:
        limit = "not in the drug library" if v.limit is None else f"limit {v.limit}"
        print(f"  violation {v.rule}: value {v.value} ({limit})")
    for w in result.warnings:
        print(
            f"  warning {w.rule}: value {w.value} (limit {w.limit}) - "
            "needs a recorded reason and a second clinician's sign-off"
        )
    print(f"  basal daily dose {float(result.basal_daily_dose):g} {unit}")
    print(f"  max daily dose   {float(result.max_daily_dose):g} {unit}")
    due = result.refill_due_days
    print(f"  refill due in    {'never (no flow)' if due is None else f'{float(due):.1f} days'}")


@app.command("check")
@cli_errors
def check_command(
    program: Path = ProgramArg,
    library: Path | None = LibraryOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Check a programme against the drug library's hard and soft limits."""
    lib = load_library(library)
    programme = programme_from_dict(load_json_file(program))
    result = check_programme(programme, lib)
    if json_out:
        print_json(result.to_dict())
    else:
        _print_check(result)
    raise typer.Exit(0 if result.ok else 1)


@app.command("simulate")
@cli_errors
def simulate_command(
    program: Path = ProgramArg,
    days: int = typer.Option(..., "--days", help="Days to simulate from an empty compartment."),
    bolus_at: list[str] = typer.Option(
        [], "--bolus-at", metavar="HH:MM", help="Daily patient bolus time (repeatable)."
    ),
    step_min: float = typer.Option(5.0, "--step-min", help="Sampling interval, minutes."),
    library: Path | None = LibraryOpt,
    json_out: bool = JsonOpt,
    plot: Path | None = typer.Option(
        None, "--plot", metavar="OUT.png", help="Plot the last day's level (and pain)."
    ),
    pain: Path | None = typer.Option(
        None, "--pain", metavar="HOURLY.json", help="24 hourly pain means to show on the plot."
    ),
) -> None:
    """Simulate the drug level (unit/mL) with the exact one-compartment solution."""
    from spinewise.dosing.pk import simulate
    from spinewise.dosing.planner import parse_pain_profile

    lib = load_library(library)
    programme = programme_from_dict(load_json_file(program))
    entry = lib.require(programme.drug)
    pain_profile = None if pain is None else parse_pain_profile(load_json_file(pain))
    result = simulate(programme, entry.pk, days=days, bolus_at=bolus_at, step_min=step_min)
    if plot is not None:
        from spinewise.dosing.plot import level_and_pain_figure

        figure = level_and_pain_figure(
            result, level_unit=f"{entry.unit}/mL", drug=programme.drug, pain=pain_profile
        )
        save_figure_atomic(figure, plot)
    if json_out:
        print_json(result.to_dict())
        return
    last = result.last_day()
    unit = f"{entry.unit}/mL"
    print(f"{len(result.t_h)} samples over {days} day(s), every {step_min:g} min")
    print(
        f"last day: min {last.concentration.min():.4g}, mean {last.concentration.mean():.4g}, "
        f"max {last.concentration.max():.4g} {unit}"
    )
    if plot is not None:
        print(f"plot written to {plot}")


@app.command("plan")
@cli_errors
def plan_command(
    program: Path = ProgramArg,
    pain: Path = typer.Option(
        ..., "--pain", metavar="HOURLY.json", help="24 hourly mean pain scores (0-10)."
    ),
    max_steps: int = typer.Option(4, "--max-steps", help="Most flex-dosing steps (1-24)."),
    library: Path | None = LibraryOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Suggest a schedule giving more of the same daily dose before the painful hours."""
    from spinewise.dosing.planner import parse_pain_profile, plan_schedule

    lib = load_library(library)
    programme = programme_from_dict(load_json_file(program))
    pain_profile = parse_pain_profile(load_json_file(pain))
    try:
        result = plan_schedule(programme, lib, pain_profile, max_steps=max_steps)
    except ProgrammeRejected as exc:
        rules = ", ".join(v.rule for v in exc.violations)
        fail(f"the current programme breaks hard limits ({rules}); fix it before planning", 1)
    if json_out:
        print_json(result.to_dict())
        return
    print(result.explanation)
    for step in result.programme.steps:
        print(f"  {step.start}  {step.rate_ml_per_day:g} mL/day")
    print(f"check: {'OK' if result.check.ok else 'REFUSED'}")
