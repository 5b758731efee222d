"""The command-line contract (DESIGN §5): JSON with --json, exit 2 and one line for bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinewise.cli import app
from tests.conftest import PASSWORD, copy_demo

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "SPINEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "SPINEWISE_SECRET_KEY": "cli-test-secret-" + "y" * 32,
        "SPINEWISE_ENV": "test",
    }


def run(env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def test_users_create_prints_the_new_account_as_json(env: dict[str, str]) -> None:
    result = run(
        env,
        "users",
        "create",
        "--email",
        "Doc@Example.org",
        "--password",
        PASSWORD,
        "--role",
        "clinician",
        "--name",
        "Doc",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": 1,
        "email": "doc@example.org",
        "role": "clinician",
        "name": "Doc",
        "patient_id": None,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--email", "x@example.org", "--password", "short", "--role", "patient"],
            "at least 10 characters",
        ),
        (["--email", "nope", "--password", PASSWORD, "--role", "patient"], "email"),
        (["--email", "x@example.org", "--password", PASSWORD, "--role", "wizard"], "role"),
    ],
)
def test_bad_account_input_exits_2_with_one_line_and_no_traceback(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = run(env, "users", "create", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.output


def test_a_duplicate_account_exits_2(env: dict[str, str]) -> None:
    run(
        env,
        "users",
        "create",
        "--email",
        "a@example.org",
        "--password",
        PASSWORD,
        "--role",
        "patient",
    )
    result = run(
        env,
        "users",
        "create",
        "--email",
        "a@example.org",
        "--password",
        PASSWORD,
        "--role",
        "patient",
    )
    assert result.exit_code == 2 and "already exists" in result.stderr


def test_care_team_add_links_a_clinician_and_a_patient(env: dict[str, str]) -> None:
    run(
        env,
        "users",
        "create",
        "--email",
        "c@example.org",
        "--password",
        PASSWORD,
        "--role",
        "clinician",
    )
    run(
        env,
        "users",
        "create",
        "--email",
        "p@example.org",
        "--password",
        PASSWORD,
        "--role",
        "patient",
    )
    first = run(
        env,
        "care-team",
        "add",
        "--clinician",
        "c@example.org",
        "--patient",
        "p@example.org",
        "--json",
    )
    again = run(
        env,
        "care-team",
        "add",
        "--clinician",
        "c@example.org",
        "--patient",
        "p@example.org",
        "--json",
    )
    assert json.loads(first.stdout)["added"] is True and json.loads(again.stdout)["added"] is False
    missing = run(
        env, "care-team", "add", "--clinician", "c@example.org", "--patient", "ghost@example.org"
    )
    assert missing.exit_code == 2 and "no patient with e-mail ghost@example.org" in missing.stderr


def test_demo_seeds_logins_that_work_and_is_repeatable(env: dict[str, str]) -> None:
    first = run(env, "demo", "--no-serve", "--json")
    assert first.exit_code == 0, first.output
    logins = json.loads(first.stdout)["logins"]
    assert [entry["role"] for entry in logins].count("patient") == 3
    assert [entry["role"] for entry in logins].count("clinician") == 1
    again = run(env, "demo", "--no-serve", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["logins"] == logins


def test_the_demo_refuses_to_touch_a_production_database(env: dict[str, str]) -> None:
    result = run({**env, "SPINEWISE_ENV": "production"}, "demo", "--no-serve")
    assert result.exit_code == 2 and "production" in result.stderr


def test_production_without_a_secret_key_is_a_one_line_configuration_error(
    env: dict[str, str],
) -> None:
    result = run(
        {**env, "SPINEWISE_ENV": "production", "SPINEWISE_SECRET_KEY": ""}, "db", "upgrade"
    )
    assert result.exit_code == 2 and "SPINEWISE_SECRET_KEY" in result.stderr


def test_audit_tail_lists_reads_of_a_patient(demo_template: Path, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from spinewise.app import create_app
    from spinewise.config import Settings

    env = {**copy_demo(demo_template, tmp_path), "SPINEWISE_ENV": "test"}
    settings = Settings(
        database_url=env["SPINEWISE_DATABASE_URL"],
        secret_key=env["SPINEWISE_SECRET_KEY"],
        env="test",
        _env_file=None,
    )  # type: ignore[call-arg]
    client = TestClient(create_app(settings))
    token = client.post(
        "/api/v1/auth/token",
        data={"username": "clinician@demo.spinewise.org", "password": "spinewise-demo-2026"},
    ).json()["access_token"]
    assert (
        client.get("/api/v1/patients/2", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    result = run(env, "audit", "tail", "--patient", "2", "--json")
    entries = json.loads(result.stdout)
    assert entries[0]["actor"] == "clinician@demo.spinewise.org"
    assert (
        entries[0]["resource"] == "/api/v1/patients/{patient_id}" and entries[0]["action"] == "read"
    )
    assert all(entry["patient_id"] == 2 for entry in entries)


def test_usage_errors_from_the_real_entry_point_are_one_line_with_exit_2(
    env: dict[str, str],
) -> None:
    import subprocess
    import sys

    for args in (["nosuch"], ["audit", "tail", "--limit", "lots"]):
        done = subprocess.run(
            [sys.executable, "-m", "spinewise", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_an_explicit_exit_code_survives_the_entry_point(
    tmp_path: Path, env: dict[str, str]
) -> None:
    import subprocess
    import sys

    programme = {
        "drug": "morphine",
        "concentration": 10,
        "reservoir_ml": 20,
        "fill_volume_ml": 20,
        "steps": [{"start": "00:00", "rate_ml_per_day": 100}],
        "bolus": None,
    }
    path = tmp_path / "too_much.json"
    path.write_text(json.dumps(programme))
    done = subprocess.run(
        [sys.executable, "-m", "spinewise", "dosing", "check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert done.returncode == 1, done.stdout + done.stderr
