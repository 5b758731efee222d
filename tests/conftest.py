"""Shared fixtures: a migrated, seeded database on SQLite and on PostgreSQL, an app and clients.

Speed without shared state: each engine's database is migrated and seeded once per test
process (the "template"), then every test gets its own copy — a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL — so tests never see each other's writes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from spinewise.accounts import service as accounts
from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.core.models import TokenKind
from spinewise.db import make_engine, make_session_factory, unit_of_work, upgrade_schema

POSTGRES_ADMIN_URL = os.environ.get(
    "SPINEWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SPINEWISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "a-long-test-passphrase"
IN_CI = os.environ.get("CI", "").lower() == "true"
T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a fresh event loop in its own thread.

    The Playwright fixtures keep an event loop running in the main thread for the whole test
    process, where ``asyncio.run`` would refuse to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def service_unavailable(name: str, error: Exception) -> None:
    """Outside CI a missing service skips loudly; in CI it fails, so green always means tested."""
    message = (
        f"{name} is not reachable ({type(error).__name__}: {error}); start it (see DESIGN.md §3)"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip("SERVICE MISSING: " + message)


@dataclass(frozen=True)
class Person:
    email: str
    role: str
    token: str
    user_id: int
    patient_id: int | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class World:
    """Who exists in every test database.

    clinician_a cares for patient_1 and patient_2; clinician_b cares for patient_3.
    """

    clinician_a: Person
    clinician_b: Person
    patient_1: Person
    patient_2: Person
    patient_3: Person
    admin: Person


def _seed(url: str) -> dict[str, dict[str, object]]:
    engine = make_engine(url)
    upgrade_schema(engine)
    people: dict[str, dict[str, object]] = {}
    with unit_of_work(make_session_factory(engine)) as session:
        spec = {
            "clinician_a": ("clin.a@example.org", "clinician", "Dr Ada Clinician"),
            "clinician_b": ("clin.b@example.org", "clinician", "Dr Ben Outsider"),
            "patient_1": ("pat.1@example.org", "patient", "Pat One"),
            "patient_2": ("pat.2@example.org", "patient", "Pat Two"),
            "patient_3": ("pat.3@example.org", "patient", "Pat Three"),
            "admin": ("admin@example.org", "admin", "Ad Min"),
        }
        for key, (email, role, name) in spec.items():
            user = accounts.create_user(
                session, email=email, password=PASSWORD, role=role, name=name
            )
            raw, _ = accounts.issue_token(
                session, user=user, kind=TokenKind.api, max_age_s=10 * 365 * 86400
            )
            patient = accounts.patient_of(session, user=user)
            people[key] = {
                "email": email,
                "role": role,
                "token": raw,
                "user_id": user.id,
                "patient_id": patient.id if patient else None,
            }
        for clinician, patient in (
            ("clinician_a", "patient_1"),
            ("clinician_a", "patient_2"),
            ("clinician_b", "patient_3"),
        ):
            accounts.add_to_care_team(
                session,
                clinician_email=str(people[clinician]["email"]),
                patient_email=str(people[patient]["email"]),
            )
    engine.dispose()
    return people


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.db"
        self.people = _seed(f"sqlite:///{self.path}")
        with create_engine(f"sqlite:///{self.path}").connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy(self, directory: Path) -> str:
        target = directory / f"test-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        pass


class PostgresTemplate:
    def __init__(self, worker: str) -> None:
        self.admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.name = f"sw_template_{worker}_{uuid.uuid4().hex[:6]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.people = _seed(self._url(self.name))

    def _url(self, name: str) -> str:
        return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def copy(self, directory: Path) -> str:
        name = f"sw_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template(worker_id: str) -> Iterator[PostgresTemplate | Exception]:
    try:
        template = PostgresTemplate(worker_id)
    except Exception as exc:  # reported per test through service_unavailable
        yield exc
        return
    yield template
    template.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


DEMO_SECRET = "demo-template-secret-" + "t" * 32


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (``spinewise demo --no-serve``) seeded once per test process into a folder
    (SQLite ``demo.db`` and the files under ``var/``); seeding takes ~30 s, so the tests that
    need demo data start from a copy (``copy_demo``) instead of seeding again."""
    workdir = tmp_path_factory.mktemp("demo-template")
    subprocess.run(
        [sys.executable, "-m", "spinewise", "demo", "--no-serve"],
        env=demo_env(workdir),
        check=True,
        capture_output=True,
        cwd=workdir,
    )
    return workdir


def demo_env(workdir: Path) -> dict[str, str]:
    """The environment of a process using the demo copy in ``workdir`` (run it with that cwd)."""
    return {
        **os.environ,
        "SPINEWISE_DATABASE_URL": f"sqlite:///{workdir / 'demo.db'}",
        "SPINEWISE_SECRET_KEY": DEMO_SECRET,
        "SPINEWISE_ENV": "development",
        "SPINEWISE_LOG_JSON": "true",
    }


def copy_demo(template: Path, workdir: Path) -> dict[str, str]:
    """Copy the seeded demo into ``workdir``; returns ``demo_env(workdir)``."""
    shutil.copytree(template, workdir, dirs_exist_ok=True)
    return demo_env(workdir)


def seeded_copy(
    engine_name: str, request: pytest.FixtureRequest, workdir: Path
) -> tuple[str, World, SqliteTemplate | PostgresTemplate]:
    """A fresh copy of the seeded database on ``engine_name``: (url, world, template); the
    caller drops it with ``template.drop(url)``."""
    template: SqliteTemplate | PostgresTemplate
    if engine_name == "sqlite":
        template = request.getfixturevalue("sqlite_template")
    else:
        candidate = request.getfixturevalue("postgres_template")
        if isinstance(candidate, Exception):
            service_unavailable("PostgreSQL", candidate)
        template = candidate
    url = template.copy(workdir)
    world = World(**{key: Person(**value) for key, value in template.people.items()})  # type: ignore[arg-type]
    return url, world, template


def settings_for(database_url: str, workdir: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        env="test",
        log_json=False,
        data_dir=workdir / "data",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def database(
    engine_name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[tuple[str, World]]:
    """A fresh copy of the seeded database on the engine under test: (url, world)."""
    url, world, template = seeded_copy(engine_name, request, tmp_path)
    yield url, world
    template.drop(url)


@pytest.fixture
def settings(database: tuple[str, World], tmp_path: Path) -> Settings:
    return settings_for(database[0], tmp_path)


@pytest.fixture
def world(database: tuple[str, World]) -> World:
    return database[1]


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session_factory(app: FastAPI):  # type: ignore[no-untyped-def]
    return app.state.session_factory
