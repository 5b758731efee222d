"""``spinewise outcomes …`` commands (DESIGN §5).

``spinewise outcomes score odi|rmdq|nprs|startback|psfs --answers JSON [--json]``
scores one form; bad answers exit 2 with one line on stderr.
"""

from __future__ import annotations

import json

import typer

from spinewise.core.console import cli_errors, console, print_json
from spinewise.core.errors import InvalidInput
from spinewise.outcomes.definition import BUILTIN_IDS, builtin_definition
from spinewise.outcomes.scoring import score_answers

app = typer.Typer(
    help="Questionnaires: score ODI, RMDQ, NPRS, STarT Back, PSFS.", no_args_is_help=True
)


@app.command("score")
@cli_errors
def score_command(
    instrument: str = typer.Argument(..., help="odi | rmdq | nprs | startback | psfs"),
    answers: str | None = typer.Option(None, "--answers", help="answers as a JSON array"),
    as_json: bool = typer.Option(False, "--json", help="print machine-readable JSON"),
) -> None:
    """Score one questionnaire from its answers (the JSON array of DESIGN §5)."""
    if answers is None:
        # Checked here rather than by Typer so the error is the one-line exit-2 contract.
        raise InvalidInput("answers", "--answers JSON is required")
    result = score_answers(instrument.strip().lower(), json.loads(answers)).to_dict()
    if as_json:
        print_json(result)
        return
    details = ", ".join(f"{k} {v}" for k, v in result.items() if k not in ("instrument", "score"))
    console.print(
        f"{result['instrument']}: score {result['score']}" + (f" ({details})" if details else "")
    )


@app.command("instruments")
@cli_errors
def instruments_command(
    as_json: bool = typer.Option(False, "--json", help="print machine-readable JSON"),
) -> None:
    """List the built-in instruments with their licence status."""
    rows = []
    for instrument in BUILTIN_IDS:
        definition = builtin_definition(instrument)
        rows.append(
            {
                "id": definition.id,
                "name": definition.data["name"],
                "items": len(definition.items),
                "wording_included": definition.wording_included,
                "licence": definition.licence["status"],
            }
        )
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(f"{row['id']:<11} {row['name']:<40} {row['licence']}")
