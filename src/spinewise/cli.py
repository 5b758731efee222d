"""The ``spinewise`` command line: one Typer app that mounts each domain's commands.

Commands follow DESIGN §5: ``--json`` for machine-readable output, exit 2 with one line
on stderr for bad input, no partial output files. Every command that touches the database
first brings its schema up to date.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy.orm import Session

from spinewise.assistant import cli as assistant_cli
from spinewise.config import Settings
from spinewise.core.console import cli_errors, console, fail, print_json
from spinewise.devices import cli as devices_cli
from spinewise.dosing import cli as dosing_cli
from spinewise.fhir import cli as fhir_cli
from spinewise.imaging import cli as imaging_cli
from spinewise.motion import cli as motion_cli
from spinewise.outcomes import cli as outcomes_cli
from spinewise.posture import cli as posture_cli
from spinewise.predict import cli as predict_cli
from spinewise.rehab import cli as rehab_cli
from spinewise.reminders import cli as reminders_cli
from spinewise.robotics import cli as robotics_cli

app = typer.Typer(
    name="spinewise",
    help="Spinewise: back-pain care — posture sensing, remote physiotherapy, decision support.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
care_team_app = typer.Typer(help="Manage care relationships.", no_args_is_help=True)
audit_app = typer.Typer(help="Read the audit log of health-data access.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(care_team_app, name="care-team")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")

# Domain command groups (one line each, alphabetical).
app.add_typer(assistant_cli.app, name="assistant")
app.add_typer(devices_cli.app, name="devices")
app.add_typer(dosing_cli.app, name="dosing")
app.add_typer(fhir_cli.app, name="fhir")
app.add_typer(imaging_cli.app, name="imaging")
app.add_typer(motion_cli.app, name="motion")
app.add_typer(outcomes_cli.app, name="outcomes")
app.add_typer(posture_cli.app, name="posture")
app.add_typer(predict_cli.app, name="predict")
app.add_typer(rehab_cli.app, name="rehab")
app.add_typer(reminders_cli.app, name="reminders")
app.add_typer(robotics_cli.app, name="robotics")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "settings"
        fail(f"configuration: {where}: {first['msg'].removeprefix('Value error, ')}")


@contextmanager
def _database(settings: Settings | None = None) -> Iterator[Session]:
    """A migrated database and one transaction for the command (commit on success)."""
    from spinewise.db import make_engine, make_session_factory, unit_of_work, upgrade_schema

    settings = settings or _settings()
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


@db_app.command("upgrade")
@cli_errors
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    with _database():
        pass
    console.print("database schema is up to date")


@users_app.command("create")
@cli_errors
def users_create(
    email: Annotated[str, typer.Option(help="Sign-in e-mail.")],
    password: Annotated[str, typer.Option(help="At least 10 characters, not a common password.")],
    role: Annotated[str, typer.Option(help="patient, clinician or admin.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    json_output: JsonFlag = False,
) -> None:
    """Create an account (a patient account gets an empty health profile)."""
    from spinewise.accounts import service

    with _database() as session:
        user = service.create_user(session, email=email, password=password, role=role, name=name)
        patient = service.patient_of(session, user=user)
        result = {
            "id": user.id,
            "email": user.email,
            "role": str(user.role),
            "name": user.name,
            "patient_id": patient.id if patient else None,
        }
    if json_output:
        print_json(result)
    else:
        console.print(f"created {result['role']} {result['email']} (id {result['id']})")


@care_team_app.command("add")
@cli_errors
def care_team_add(
    clinician: Annotated[str, typer.Option(help="The clinician's e-mail.")],
    patient: Annotated[str, typer.Option(help="The patient's e-mail.")],
    json_output: JsonFlag = False,
) -> None:
    """Put a clinician in a patient's care team (grants access to the patient's data)."""
    from spinewise.accounts import service

    with _database() as session:
        added = service.add_to_care_team(session, clinician_email=clinician, patient_email=patient)
    if json_output:
        print_json({"clinician": clinician, "patient": patient, "added": added})
    else:
        console.print("added" if added else "already in the care team")


@audit_app.command("tail")
@cli_errors
def audit_tail(
    patient: Annotated[int | None, typer.Option(help="Only entries about this patient id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many entries.")] = 50,
    json_output: JsonFlag = False,
) -> None:
    """The newest audit entries, newest first."""
    from spinewise.core import audit

    with _database() as session:
        entries = audit.tail(session, patient_id=patient, limit=limit)
        rows = [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "actor": e.actor_email or e.actor_role,
                "actor_role": e.actor_role,
                "patient_id": e.patient_id,
                "resource": e.resource,
                "action": e.action,
                "client_addr": e.client_addr,
            }
            for e in entries
        ]
    if json_output:
        print_json(rows)
        return
    table = Table("at", "actor", "patient", "resource", "action", "client")
    for row in rows:
        table.add_row(
            str(row["at"])[:19],
            str(row["actor"]),
            str(row["patient_id"] or ""),
            str(row["resource"]),
            str(row["action"]),
            str(row["client_addr"]),
        )
    console.print(table)


@app.command("serve")
@cli_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Run the web app and API."""
    _serve(host=host, port=port, workers=workers)


def _serve(*, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    _settings()  # fail early, with one line, on bad configuration
    with _database():
        pass  # migrate once here, not in each worker
    uvicorn.run(
        "spinewise.app:create_server_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@app.command("demo")
@cli_errors
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Seed the data and exit.")] = False,
    live_device: Annotated[
        bool,
        typer.Option(
            "--live-device/--no-live-device",
            help="While serving, stream a simulated wearable (SYNTHETIC) for the demo patient.",
        ),
    ] = True,
    json_output: JsonFlag = False,
) -> None:
    """Create or refresh demo clinicians, patients and data, then serve the app."""
    from spinewise import demo as demo_data
    from spinewise.devices.demo import (
        DEMO_LIVE_PATIENT,
        register_demo_device,
        start_demo_device,
    )

    settings = _settings()
    if settings.env == "production":
        fail("the demo refuses to run with SPINEWISE_ENV=production")
    streaming = live_device and not no_serve
    with _database(settings) as session:
        people = demo_data.seed(session)
        token = register_demo_device(session, patient_email=DEMO_LIVE_PATIENT) if streaming else ""
    logins = [
        {"email": p.email, "password": demo_data.DEMO_PASSWORD, "role": str(p.role), "name": p.name}
        for p in people
    ]
    url = f"http://{host}:{port}"
    if json_output:
        print_json(
            {
                "url": url,
                "database_url": settings.database_url,
                "logins": logins,
                "live_device_patient": DEMO_LIVE_PATIENT if streaming else None,
            }
        )
    else:
        table = Table("role", title="Demo sign-ins (fictional people; demo only)")
        table.add_column("e-mail", no_wrap=True)
        table.add_column("password", no_wrap=True)
        table.add_column("name")
        for login in logins:
            table.add_row(login["role"], login["email"], login["password"], login["name"])
        console.print(table)
        if streaming:
            console.print(
                f"A simulated wearable (SYNTHETIC) streams live for {DEMO_LIVE_PATIENT}: "
                "sign in and open Posture → Now."
            )
        if not no_serve:
            console.print(f"Serving Spinewise on [bold]{url}[/bold] (Ctrl+C to stop)")
    if not no_serve:
        if streaming:  # a daemon thread of this process: it waits for /healthz, then streams
            local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            start_demo_device(f"http://{local}:{port}", token)
        _serve(host=host, port=port)


def main() -> None:
    """Run the CLI; usage errors (unknown option, bad value) also give one line and exit 2."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        fail("aborted", code=130)
    except typer.TyperException as exc:  # Typer's click errors: usage, bad parameter, …
        if type(exc).__name__ == "NoArgsIsHelpError":
            context = getattr(exc, "ctx", None)
            print(context.get_help() if context else "", file=sys.stderr)
            raise SystemExit(2) from None
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        fail(message, code=int(getattr(exc, "exit_code", 2)))
    # Without standalone mode an explicit ``typer.Exit(code)`` is returned, not raised.
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
