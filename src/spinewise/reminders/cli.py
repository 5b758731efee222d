"""``spinewise reminders …``: list a patient's reminders, run a scheduler worker.

- ``reminders list --patient EMAIL [--hours H] [--json]`` — schedules and the reminders due in
  the last and next ``H`` hours (the read is audited like any other);
- ``reminders worker [--once]`` — a scheduler process on its own (for scale-out next to app
  processes started with ``SPINEWISE_REMINDERS_SCHEDULER=false``); several may run against one
  PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Annotated

import typer

from spinewise.core.console import cli_errors, console, print_json

app = typer.Typer(help="Medication, exercise and posture-break reminders.", no_args_is_help=True)


@app.command("list")
@cli_errors
def list_command(
    patient: Annotated[str, typer.Option("--patient", help="The patient's e-mail.")],
    hours: Annotated[int, typer.Option(min=1, max=24 * 31)] = 24,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON.")
    ] = False,
) -> None:
    """A patient's schedules and the reminders due around now."""
    from spinewise.cli import _database
    from spinewise.reminders import service
    from spinewise.reminders.schedule import zone
    from spinewise.reminders.schemas import OccurrenceRead, ScheduleRead

    now = dt.datetime.now(dt.UTC)
    with _database() as session:
        person = service.patient_by_email(session, email=patient)
        service.audit_system_read(session, patient_id=person.id, resource="cli: reminders list")
        schedules = [
            ScheduleRead.of(s).model_dump(mode="json")
            for s in service.list_schedules(session, patient_id=person.id)
        ]
        window = dt.timedelta(hours=hours)
        due = [
            OccurrenceRead.of(v.occurrence, v.schedule).model_dump(mode="json")
            for v in service.list_occurrences(
                session, patient_id=person.id, start=now - window, end=now + window
            )
        ]
        timezone = person.timezone
    if json_output:
        print_json(
            {"patient": patient, "timezone": timezone, "schedules": schedules, "occurrences": due}
        )
        return
    console.print(f"[bold]{patient}[/bold] ({timezone})")
    for s in schedules:
        console.print(f"  #{s['id']:<4} {s['kind']:<10} {s['title']} {s['dose']} — {s['summary']}")
    tz = zone(timezone)
    for o in due:
        local = dt.datetime.fromisoformat(o["due_at"]).astimezone(tz)
        console.print(f"  {local:%a %d %b %H:%M}  {o['status']:<9} {o['title']}")


@app.command("worker")
@cli_errors
def worker_command(
    once: Annotated[bool, typer.Option("--once", help="Run one tick and exit.")] = False,
) -> None:
    """Run the reminder scheduler in this process (in-app events need the Redis bus)."""
    from spinewise.cli import _database, _settings
    from spinewise.core.events import make_bus
    from spinewise.db import make_engine, make_session_factory
    from spinewise.reminders.jobs import ReminderScheduler

    settings = _settings()
    with _database(settings):
        pass  # migrate first
    engine = make_engine(settings.database_url)
    try:
        scheduler = ReminderScheduler(
            make_session_factory(engine),
            settings=settings,
            bus=make_bus(settings.event_bus, settings.redis_url),
        )
        if once:
            result = scheduler.run_once()
            print_json(
                {
                    "worker": scheduler.worker,
                    "materialised": result.materialised,
                    "delivered": len(result.delivered),
                    "expired": result.expired,
                    "sent": result.sent,
                }
            )
            return
        console.print(f"reminder worker {scheduler.worker} running (Ctrl+C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(scheduler.run_forever())
    finally:
        engine.dispose()
