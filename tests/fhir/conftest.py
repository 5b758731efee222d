"""Helpers for FHIR tests: observations, appointments and scoped tokens in the seeded world."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from spinewise.accounts.models import User
from spinewise.accounts.service import issue_token
from spinewise.consults.models import Appointment, AppointmentKind
from spinewise.core.models import TokenKind
from spinewise.db import unit_of_work
from spinewise.devices.models import Device, DeviceKind, PostureMinute
from spinewise.outcomes.models import PainDiaryRecord, QuestionnaireResponse
from spinewise.outcomes.scoring import score_answers
from tests.conftest import World

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def add_minutes(session_factory, patient_id: int, n: int, *, start: datetime = START) -> int:  # type: ignore[no-untyped-def]
    """A device and ``n`` consecutive posture minutes (bulk insert); returns the device id."""
    with unit_of_work(session_factory) as session:
        device = Device(
            patient_id=patient_id,
            name="Test sensor",
            kind=DeviceKind.imu_wearable,
            token_hash=f"hash-{patient_id}-{n}-{start.timestamp()}",
            settings={},
        )
        session.add(device)
        session.flush()
        rows = [
            {
                "device_id": device.id,
                "patient_id": patient_id,
                "minute_start": start + timedelta(minutes=i),
                "covered_s": 60.0,
                "neutral_s": 40.0,
                "flexed_s": 15.0,
                "severe_s": 5.0,
                "flexion_mean_deg": 12.5,
                "flexion_p90_deg": 30.0,
                "still_s": 30.0,
                "moving_s": 30.0,
                "walking_s": 0.0,
                "lying_s": 0.0,
                "alerts": 0,
                "alerts_escalated": 0,
            }
            for i in range(n)
        ]
        for first in range(0, n, 2000):
            session.execute(insert(PostureMinute), rows[first : first + 2000])
        return device.id


def add_outcomes(session_factory, patient_id: int) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        for day, pain in ((date(2026, 3, 1), 6), (date(2026, 3, 8), 4)):
            result = score_answers("nprs", [pain])
            session.add(
                QuestionnaireResponse(
                    patient_id=patient_id,
                    instrument="nprs",
                    answered_on=day,
                    answers=[pain],
                    score=float(result.score),
                    result=result.to_dict(),
                )
            )
        session.add(
            PainDiaryRecord(patient_id=patient_id, day=date(2026, 3, 3), back_pain=5, note="x")
        )


def add_appointment(session_factory, patient_id: int, clinician_id: int) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        row = Appointment(
            patient_id=patient_id,
            clinician_id=clinician_id,
            start_at=START,
            end_at=START + timedelta(minutes=30),
            kind=AppointmentKind.video,
        )
        session.add(row)
        session.flush()
        return row.id


def scoped_headers(session_factory, user_id: int, scopes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        user = session.get(User, user_id)
        assert user is not None
        raw, _ = issue_token(session, user=user, kind=TokenKind.api, max_age_s=3600, scopes=scopes)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def records(session_factory, world: World) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Patient 1 and patient 3 each get minutes, scores and an appointment."""
    ids = {}
    for name, person, clinician in (
        ("p1", world.patient_1, world.clinician_a),
        ("p3", world.patient_3, world.clinician_b),
    ):
        assert person.patient_id is not None
        ids[f"{name}_device"] = add_minutes(session_factory, person.patient_id, 5)
        add_outcomes(session_factory, person.patient_id)
        ids[f"{name}_appointment"] = add_appointment(
            session_factory, person.patient_id, clinician.user_id
        )
    return ids
