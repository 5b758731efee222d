"""``spinewise motion …``: repetitions, range of motion and form from camera keypoints."""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.core.console import cli_errors, load_json_file, print_json
from spinewise.motion.analyze import analyze
from spinewise.motion.exercises import builtin_exercises, get_exercise
from spinewise.motion.keypoints import parse_recording

app = typer.Typer(
    help="Camera exercise coaching: repetitions, range of motion and form from 2-D keypoints.",
    no_args_is_help=True,
)


@app.command("analyze")
@cli_errors
def analyze_command(
    keypoints: Path = typer.Argument(..., metavar="KEYPOINTS.json"),
    exercise: str = typer.Option(
        ..., "--exercise", help="Exercise name: " + "|".join(builtin_exercises())
    ),
    target: float | None = typer.Option(
        None, "--target", help="Target range of the tracked angle, degrees."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
) -> None:
    """Count repetitions, measure each one and flag form problems."""
    definition = get_exercise(exercise).with_target(target)
    result = analyze(parse_recording(load_json_file(keypoints)), definition)
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo(
        f"{definition.label}: {len(result.repetitions)} repetitions "
        f"(target range {definition.target_deg:g} deg of {definition.angle}; camera estimate)"
    )
    for number, rep in enumerate(result.repetitions, start=1):
        typer.echo(
            f"  {number}. {rep.start_s:.1f}-{rep.end_s:.1f} s  peak {rep.peak_deg:.0f} deg  "
            f"range {rep.rom_deg:.0f} deg  hold {rep.hold_s:.1f} s"
        )
    for flag in result.form_flags:
        typer.echo(f"  ! {flag.check} at {flag.t_s:.1f} s (repetition {flag.rep})")
