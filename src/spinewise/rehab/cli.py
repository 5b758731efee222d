"""``spinewise rehab …`` commands: browse and check the exercise library and templates.

- ``rehab exercises [--text T] [--category C] [--have ITEM …] [--max-difficulty N]
  [--tag T …] [--json]`` lists matching exercises;
- ``rehab show ID [--json]`` prints one exercise with its resolved demonstration;
- ``rehab pose ID --t SECONDS [--json]`` prints the interpolated angles and 2-D joint
  positions at a time (the reference a browser renderer or camera coach must match);
- ``rehab check [DIR]`` validates a library directory (exit 2 with one line if broken);
- ``rehab templates [--json]`` and ``rehab template ID [--json]`` show programme templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from spinewise.core.console import cli_errors, console, print_json
from spinewise.core.errors import InvalidInput
from spinewise.rehab.figure import pose
from spinewise.rehab.library import default_library, load_library
from spinewise.rehab.programmes import default_templates

app = typer.Typer(
    help="Exercise library, demonstrations and programme templates.", no_args_is_help=True
)


@app.command("exercises")
@cli_errors
def exercises_command(
    text: str = typer.Option("", "--text", help="words to search for"),
    category: str | None = typer.Option(None, "--category"),
    have: list[str] | None = typer.Option(
        None, "--have", help="equipment available; 'none' for none"
    ),
    max_difficulty: int = typer.Option(5, "--max-difficulty", min=1, max=5),
    tag: list[str] | None = typer.Option(None, "--tag"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List exercises matching the filters."""
    available = None if not have else [h for h in have if h != "none"]
    found = default_library().search(
        text=text or None,
        category=category,
        equipment_available=available,
        max_difficulty=max_difficulty,
        tags=tag or (),
    )
    if as_json:
        print_json(
            [
                {"id": e.id, "name": e.name, "category": e.category, "difficulty": e.difficulty}
                for e in found
            ]
        )
        return
    for e in found:
        console.print(f"{e.id:<34} {e.category:<20} {e.difficulty}  {e.name}")


@app.command("show")
@cli_errors
def show_command(exercise_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one exercise."""
    exercise = default_library().get(exercise_id)
    if as_json:
        print_json(exercise.to_dict())
        return
    console.print(
        f"[bold]{exercise.name}[/bold] ({exercise.category}, difficulty {exercise.difficulty})"
    )
    console.print(exercise.purpose)
    for n, step in enumerate(exercise.steps, start=1):
        console.print(f"  {n}. {step}")


@app.command("pose")
@cli_errors
def pose_command(
    exercise_id: str,
    t: float = typer.Option(0.0, "--t", help="time in seconds into the demonstration"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Angles and joint positions of a demonstration at time ``t``."""
    demo = default_library().get(exercise_id).demonstration
    angles, cue = demo.angles_at(t)
    points = pose(angles, demo.view, anchor=demo.anchor, floor=demo.floor)
    result: dict[str, Any] = {
        "exercise_id": exercise_id,
        "t_s": t,
        "view": demo.view,
        "cue": cue,
        "angles": {k: round(v, 3) for k, v in angles.items()},
        "points": {k: [round(x, 4), round(y, 4)] for k, (x, y) in points.items()},
    }
    if as_json:
        print_json(result)
        return
    console.print(f"{exercise_id} at {t:g} s: {cue}")
    for name, (x, y) in result["points"].items():
        console.print(f"  {name:<11} x={x:+.3f} y={y:+.3f}")


@app.command("check")
@cli_errors
def check_command(
    directory: Path | None = typer.Argument(None, help="library directory (default: shipped)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Validate an exercise library directory."""
    library = load_library(directory) if directory else default_library()
    templates = default_templates() if directory is None else {}
    result = {"exercises": len(library), "templates": len(templates), "valid": True}
    if as_json:
        print_json(result)
    else:
        console.print(
            f"ok: {len(library)} exercises" + (f", {len(templates)} templates" if templates else "")
        )


@app.command("templates")
@cli_errors
def templates_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """List programme templates."""
    templates = default_templates()
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "weeks": t.duration_weeks,
            "sessions_per_week": t.sessions_per_week,
        }
        for t in templates.values()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['id']:<28} {row['weeks']:>2} wk  {row['name']}")


@app.command("template")
@cli_errors
def template_command(template_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one programme template."""
    templates = default_templates()
    if template_id not in templates:
        raise InvalidInput(
            "template", f"no template {template_id!r} (known: {', '.join(templates)})"
        )
    template = templates[template_id]
    if as_json:
        print_json(template.to_dict())
        return
    console.print(f"[bold]{template.name}[/bold]: {template.summary}")
    for week in range(1, template.duration_weeks + 1):
        ids = ", ".join(i.exercise_id for i in template.items_for_week(week))
        console.print(f"  week {week + template.week_offset}: {ids}")
