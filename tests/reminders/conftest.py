"""Reminder tests drive the scheduler themselves (with a chosen ``now``), so the app's embedded
scheduler is off here; the SIGKILL and browser tests run the real one in a server process."""

from __future__ import annotations

import datetime as dt

import pytest

from spinewise.accounts.models import Patient
from spinewise.config import Settings
from spinewise.db import unit_of_work


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"reminders_scheduler": False})


def set_timezone(session_factory, patient_id: int, timezone: str) -> Patient:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        patient.timezone = timezone
    return patient


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)
