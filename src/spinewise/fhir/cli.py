"""``spinewise fhir …``: export a patient's record, import a transaction bundle, validate a file.

    spinewise fhir export --patient olivia@demo.spinewise.org --out olivia.json [--everything]
    spinewise fhir import olivia.json [--json]
    spinewise fhir validate olivia.json

The CLI acts for the operator of the installation (audited as ``system``). Bad input exits 2 with
one line on stderr naming the first problem; the output file is written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from spinewise.core.console import (
    cli_errors,
    console,
    fail,
    load_json_file,
    print_json,
    write_atomic,
)

app = typer.Typer(help="FHIR R4: export, import and validate bundles.", no_args_is_help=True)


def _first_problem(data: object) -> str | None:
    from spinewise.fhir.service import validation_issues

    problems = validation_issues(data)
    return problems[0]["diagnostics"] if problems else None


@app.command("export")
@cli_errors
def export(
    patient: Annotated[str, typer.Option("--patient", help="The patient's sign-in e-mail.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the bundle here.")] = None,
    everything: Annotated[
        bool,
        typer.Option("--everything", help="Add plans, messages, notes, responses and medications."),
    ] = False,
) -> None:
    """Export one patient's record as a FHIR transaction Bundle (JSON)."""
    from spinewise.cli import _database, _settings
    from spinewise.fhir import service

    settings = _settings()
    with _database(settings) as session:
        patient_id = service.patient_id_by_email(session, patient)
        bundle = service.patient_bundle(
            session,
            service.Caller.system(),
            patient_id=patient_id,
            base_url=settings.base_url,
            everything_types=everything,
        )
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out, text)
        console.print(f"wrote {len(bundle['entry'])} resources to {out}")


@app.command("import")
@cli_errors
def import_(
    file: Annotated[Path, typer.Argument(help="A transaction Bundle (JSON).")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON.")
    ] = False,
) -> None:
    """Import a transaction Bundle all-or-nothing (duplicates matched by identifier)."""
    from spinewise.cli import _database, _settings
    from spinewise.fhir import service

    data = load_json_file(file)
    problem = _first_problem(data)
    if problem:
        fail(problem)
    settings = _settings()
    try:
        with _database(settings) as session:
            result = service.import_bundle(
                session, service.Caller.system(), bundle=data, base_url=settings.base_url
            )
    except service.FhirOutcome as exc:
        fail(exc.issues[0]["diagnostics"])
    statuses = [e["response"]["status"] for e in result["entry"]]
    summary = {
        "entries": len(statuses),
        "created": statuses.count("201 Created"),
        "updated_or_skipped": statuses.count("200 OK"),
    }
    if json_output:
        print_json(summary)
    else:
        console.print(
            f"imported {summary['entries']} entries: {summary['created']} created, "
            f"{summary['updated_or_skipped']} updated or skipped"
        )


@app.command("validate")
@cli_errors
def validate_file(
    file: Annotated[Path, typer.Argument(help="A FHIR resource or Bundle (JSON).")],
) -> None:
    """Check a file against the FHIR R4B models; exit 2 with the first problem."""
    data = load_json_file(file)
    problem = _first_problem(data)
    if problem:
        fail(problem)
    console.print(f"{file}: valid FHIR {data['resourceType']}")
