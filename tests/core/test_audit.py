"""The audit log records health-data access and can never be rewritten."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.db import unit_of_work
from tests.conftest import World


def test_entries_are_read_back_newest_first_and_filtered_by_patient(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        for patient_id in (
            world.patient_1.patient_id,
            world.patient_2.patient_id,
            world.patient_1.patient_id,
        ):
            audit.record(
                session,
                actor=Actor(None, "10.0.0.1"),
                patient_id=patient_id,
                resource="r",
                action="read",
            )
    with unit_of_work(session_factory) as session:
        entries = audit.tail(session, patient_id=world.patient_1.patient_id)
    assert [e.patient_id for e in entries] == [world.patient_1.patient_id] * 2
    assert entries[0].id > entries[1].id
    assert entries[0].actor_role == "system" and entries[0].client_addr == "10.0.0.1"


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"]
)
def test_the_database_refuses_to_change_or_delete_audit_entries(
    session_factory, statement: str
) -> None:
    with unit_of_work(session_factory) as session:
        audit.record(session, actor=Actor(None), patient_id=1, resource="r", action="read")
    with pytest.raises(DBAPIError, match="append-only"), unit_of_work(session_factory) as session:
        session.execute(text(statement))
    with unit_of_work(session_factory) as session:
        assert [e.action for e in audit.tail(session)] == ["read"]
