"""Acceptance: a bundle exported for a demo patient validates against the R4B models, imports
into an empty database and exports again identically; the CLI contract (exit 2, one line)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from spinewise import demo
from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient
from spinewise.cli import app as cli_app
from spinewise.consults import service as consults
from spinewise.db import make_engine, make_session_factory, unit_of_work
from spinewise.devices import service as devices
from spinewise.fhir.service import validation_issues
from spinewise.outcomes import service as outcomes
from tests.conftest import POSTGRES_ADMIN_URL, World, service_unavailable

DEMO = demo.PATIENTS[2]  # Mei Tanaka: history flags, notes, posture, outcomes, a message thread


def _seed_demo_patient(url: str) -> None:
    """The demo's clinician and one demo patient with one simulated day of posture (SIMULATED),
    the demo's questionnaires, diary and consultations."""
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as session:
        accounts.create_user(
            session,
            email=demo.CLINICIAN.email,
            password=demo.DEMO_PASSWORD,
            role="clinician",
            name=demo.CLINICIAN.name,
        )
        user = accounts.create_user(
            session,
            email=DEMO.email,
            password=demo.DEMO_PASSWORD,
            role="patient",
            name=DEMO.name,
            date_of_birth=DEMO.date_of_birth,
            sex=DEMO.sex,
            timezone=DEMO.timezone,
        )
        patient = accounts.patient_of(session, user=user)
        assert isinstance(patient, Patient)
        patient.history_notes = DEMO.notes
        for flag in DEMO.history:
            setattr(patient, flag, True)
        accounts.add_to_care_team(
            session, clinician_email=demo.CLINICIAN.email, patient_email=DEMO.email
        )
        devices.seed_demo(session, patient=patient, scenario="home", days=1, hours=(9,))
        outcomes.seed_outcomes(
            session, clinician_email=demo.CLINICIAN.email, patient_emails=[DEMO.email]
        )
        consults.seed_consults(
            session, clinician_email=demo.CLINICIAN.email, patient_emails=[DEMO.email]
        )
    engine.dispose()


@pytest.fixture
def empty_url(engine_name: str, tmp_path: Path) -> Iterator[str]:
    """A database with no schema and no rows at all (the CLI migrates it)."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"sw_empty_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        service_unavailable("PostgreSQL", exc)
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, base_url: str, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SPINEWISE_DATABASE_URL", url)
    monkeypatch.setenv("SPINEWISE_BASE_URL", base_url)
    monkeypatch.setenv("SPINEWISE_SECRET_KEY", "cli-test-" + "s" * 40)
    monkeypatch.setenv("SPINEWISE_ENV", "test")
    monkeypatch.setenv("SPINEWISE_LOG_JSON", "false")
    return CliRunner().invoke(cli_app, list(args))


def test_a_demo_patient_round_trips_through_an_empty_database(
    database: tuple[str, World], empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source, _ = database
    _seed_demo_patient(source)
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    exported = _cli(
        monkeypatch,
        source,
        "https://clinic-a.example",
        "fhir",
        "export",
        "--patient",
        DEMO.email,
        "--out",
        str(first),
    )
    assert exported.exit_code == 0, exported.output
    bundle = json.loads(first.read_text())
    assert validation_issues(bundle) == []
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {
        "Patient",
        "Condition",
        "Practitioner",
        "CareTeam",
        "Device",
        "Observation",
        "Appointment",
    } <= types
    codes = {
        c["code"] for e in bundle["entry"] for c in e["resource"].get("code", {}).get("coding", [])
    }
    assert {"72514-3", "posture-minute", "posture-daily-summary", "pain-diary"} <= codes
    assert (
        _cli(
            monkeypatch, source, "https://clinic-a.example", "fhir", "validate", str(first)
        ).exit_code
        == 0
    )

    imported = _cli(
        monkeypatch, empty_url, "https://clinic-b.example", "fhir", "import", str(first), "--json"
    )
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.output)
    assert summary["entries"] == len(bundle["entry"]) and summary["created"] > 0

    again = _cli(
        monkeypatch,
        empty_url,
        "https://clinic-b.example",
        "fhir",
        "export",
        "--patient",
        DEMO.email,
        "--out",
        str(second),
    )
    assert again.exit_code == 0, again.output
    assert second.read_text() == first.read_text()

    # Importing the same bundle again recognises every record by its identifier.
    twice = _cli(
        monkeypatch, empty_url, "https://clinic-b.example", "fhir", "import", str(first), "--json"
    )
    assert json.loads(twice.output)["created"] == 0


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_cli_validate_and_import_exit_2_with_the_first_problem(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [
                    {"resource": {"resourceType": "Patient", "gender": "female"}},
                    {"resource": {"resourceType": "Observation", "code": {"text": "x"}}},
                ],
            }
        )
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = _cli(monkeypatch, url, "https://a.example", "fhir", "validate", str(bad))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: entry 1: Bundle.entry[1].resource.status: Value for the field 'status' is required."
    ]
    result = _cli(monkeypatch, url, "https://a.example", "fhir", "import", str(bad))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    unreadable = tmp_path / "nope.json"
    unreadable.write_text("{")
    assert (
        _cli(monkeypatch, url, "https://a.example", "fhir", "validate", str(unreadable)).exit_code
        == 2
    )
    missing = _cli(
        monkeypatch, url, "https://a.example", "fhir", "export", "--patient", "no@example.org"
    )
    assert missing.exit_code == 2 and "no patient" in missing.output
