"""Robotic therapy service: prescriptions validated by the pure core, one session per patient,
the stop path ending in the safe state with its cause on record, and the demo seed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spinewise.accounts.models import Patient, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Conflict, InvalidInput, NotFound
from spinewise.db import unit_of_work, utcnow
from spinewise.robotics import service
from spinewise.robotics.models import RoboticsSession, SessionStatus
from tests.conftest import World

from .conftest import LIMITS, SHORT_PROTOCOL, SHORT_PROTOCOL_S, prescribe


def _people(session: Any, world: World) -> tuple[Actor, Patient]:
    clinician = session.get(User, world.clinician_a.user_id)
    patient = session.get(Patient, world.patient_1.patient_id)
    return Actor(clinician, "test"), patient


@pytest.mark.parametrize(
    ("limits", "field", "message"),
    [
        ({**LIMITS, "angle_deg": [5, 40]}, "limits", "include 0"),
        ({**LIMITS, "angle_deg": [30, 10]}, "limits", "low < high"),
        ({**LIMITS, "torque_nm": 0}, "limits.torque_nm", "greater than 0"),
        ({**LIMITS, "velocity_deg_s": float("nan")}, "limits.velocity_deg_s", "finite"),
        ({"angle_deg": [-10, 40], "torque_nm": 80}, "limits.velocity_deg_s", "missing"),
    ],
)
def test_limits_are_validated_by_the_robotics_core(
    session_factory, world: World, limits: dict, field: str, message: str
) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        with pytest.raises(InvalidInput, match=message) as caught:
            service.set_limits(
                session, actor=actor, patient=patient, limits=limits, mass_kg=80, height_m=1.75
            )
        assert caught.value.field == field


def test_body_size_outside_the_trunk_model_is_refused(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        with pytest.raises(InvalidInput, match=r"body\.mass_kg"):
            service.set_limits(
                session, actor=actor, patient=patient, limits=LIMITS, mass_kg=12, height_m=1.75
            )


def test_limits_and_an_example_protocol_are_stored_and_audited(
    session_factory, world: World
) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        service.set_limits(
            session, actor=actor, patient=patient, limits=LIMITS, mass_kg=80, height_m=1.75
        )
        row = service.assign_protocol(
            session, actor=actor, patient=patient, example="flexion_extension"
        )
        assert row.limits == LIMITS
        assert row.protocol_source == "example:flexion_extension"
        assert "limits" not in (row.protocol or {})  # the patient's limits always apply
        entries = audit.tail(session, patient_id=patient.id)
    details = [e.detail for e in entries if e.resource == "robotics.prescription"]
    assert any("protocol assigned: Flexion-extension" in d for d in details)
    assert any("limits angle [-10, 40] deg, torque 80 N·m" in d for d in details)


def test_an_uploaded_protocol_is_checked_against_the_patients_limits(
    session_factory, world: World
) -> None:
    narrow = {"angle_deg": [-5.0, 15.0], "torque_nm": 80.0, "velocity_deg_s": 40.0}
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        with pytest.raises(Conflict, match="limits first"):
            service.assign_protocol(session, actor=actor, patient=patient, document=SHORT_PROTOCOL)
        service.set_limits(
            session, actor=actor, patient=patient, limits=narrow, mass_kg=80, height_m=1.75
        )
        # The upload's own limits are replaced by the patient's: its 20° target lies beyond
        # the 15° limit (targets must stay 2° inside), so it is refused whatever it claims.
        claimed = {**SHORT_PROTOCOL, "limits": {**LIMITS, "angle_deg": [-60, 120]}}
        with pytest.raises(InvalidInput, match="inside the angle limits"):
            service.assign_protocol(session, actor=actor, patient=patient, document=claimed)
        with pytest.raises(InvalidInput, match="must be a JSON object"):
            service.assign_protocol(session, actor=actor, patient=patient, document=[1, 2])
        with pytest.raises(InvalidInput, match="unknown field"):
            service.assign_protocol(
                session, actor=actor, patient=patient, document={**SHORT_PROTOCOL, "x": 1}
            )


def test_a_protocol_longer_than_a_live_session_may_run_is_refused(
    session_factory, world: World
) -> None:
    # 100 repetitions of 10 s = 1000 s > 900 s.
    long = {**SHORT_PROTOCOL, "exercises": [{**SHORT_PROTOCOL["exercises"][0], "repetitions": 100}]}
    long["exercises"][0].update(period_s=8, hold_s=1, rest_s=1)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        service.set_limits(
            session, actor=actor, patient=patient, limits=LIMITS, mass_kg=80, height_m=1.75
        )
        with pytest.raises(InvalidInput, match="lasts 1002 s; a live session runs at most 900 s"):
            service.assign_protocol(session, actor=actor, patient=patient, document=long)


def test_new_limits_that_the_assigned_protocol_breaks_are_refused(
    session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        slow = {**LIMITS, "velocity_deg_s": 20.0}  # 18.75°/s peak > 80 % of 20°/s
        with pytest.raises(InvalidInput, match=r"does not fit these limits.*lengthen period_s"):
            service.set_limits(
                session, actor=actor, patient=patient, limits=slow, mass_kg=80, height_m=1.75
            )


def test_a_session_needs_limits_and_a_protocol(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        with pytest.raises(Conflict, match="limits and assign a protocol"):
            service.start_session(session, actor=actor, patient=patient)


def test_one_session_per_patient_and_a_silent_one_is_replaced(
    session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        first, _ = service.start_session(session, actor=actor, patient=patient, seed=1)
        with pytest.raises(Conflict, match="already running"):
            service.start_session(session, actor=actor, patient=patient)
        # Its task died (no heartbeat for longer than the stale time): a new session replaces it.
        first.heartbeat_at = utcnow() - timedelta(seconds=service.HEARTBEAT_STALE_S + 1)
        second, _ = service.start_session(session, actor=actor, patient=patient, seed=2)
        assert first.status == SessionStatus.interrupted and "no heartbeat" in first.note
        assert second.status == SessionStatus.running


def test_the_database_refuses_a_second_running_session_for_a_patient(
    session_factory, world: World
) -> None:
    def running() -> RoboticsSession:
        return RoboticsSession(
            patient_id=world.patient_1.patient_id,
            status=SessionStatus.running,
            protocol={},
            patient_model={},
        )

    with pytest.raises(IntegrityError), unit_of_work(session_factory) as session:
        session.add_all([running(), running()])
        session.flush()
    with unit_of_work(session_factory) as session:  # finished ones do not count
        session.add_all(
            [
                running(),
                RoboticsSession(
                    patient_id=world.patient_1.patient_id,
                    status=SessionStatus.completed,
                    protocol={},
                    patient_model={},
                ),
            ]
        )


def test_the_stop_button_ends_in_the_safe_state_with_its_cause_on_record(
    session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        row, therapy = service.start_session(
            session, actor=actor, patient=patient, simulated_patient="weak", seed=4
        )
        session_id = row.id
    therapy.run_for(6.0)  # into the second repetition (the first ends at 1 + 5 = 6 s)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        service.request_stop(session, actor=actor, patient_id=patient.id, session_id=session_id)
    pressed_at = therapy.t_s
    therapy.press_stop_button()  # what the runner does after recording the press
    therapy.step()
    # The monitor answers in the next control cycle and holds the trunk (compliant hold).
    assert therapy.events[0].kind == "stop_button"
    assert therapy.events[0].t_s == pytest.approx(pressed_at)
    assert therapy.sample().mode == "compliant_hold"
    therapy.run()
    with unit_of_work(session_factory) as session:
        service.finish_session(session, session_id=session_id, therapy=therapy)
    with unit_of_work(session_factory) as session:
        record = service.get_session(
            session, patient_id=world.patient_1.patient_id or 0, session_id=session_id, details=True
        )
        assert record.status == SessionStatus.stopped
        assert (record.stop_cause, record.stop_action) == ("stop_button", "compliant_hold")
        assert record.stop_t_s == pytest.approx(pressed_at)
        assert record.stop_requested_by_name == "Dr Ada Clinician"
        assert [(e.kind, e.action) for e in record.safety_events] == [
            ("stop_button", "compliant_hold")
        ]
        # Only the repetition that ended before the stop counts; the trace ends held.
        assert [r.rep_index for r in record.repetitions] == [0]
        assert record.trace is not None and record.trace["mode"][-1] == "compliant_hold"
        # The session held its safe state for 1.5 s after the stop, then ended.
        assert record.duration_s == pytest.approx(pressed_at + 1.5, abs=0.002)
        details = [e.detail for e in audit.tail(session, patient_id=record.patient_id)]
    assert any(f"stop pressed on the live page for session {session_id}" in d for d in details)
    assert any(f"session {session_id} ended stopped" in d and "stop_button" in d for d in details)


def test_a_completed_session_stores_what_the_core_measured(session_factory, world: World) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        row, therapy = service.start_session(
            session, actor=actor, patient=patient, simulated_patient="strong", seed=2
        )
        therapy.run()
        service.finish_session(session, session_id=row.id, therapy=therapy)
        record = service.get_session(
            session, patient_id=patient.id, session_id=row.id, details=True
        )
    report = therapy.metrics().to_report()
    assert record.status == SessionStatus.completed and record.stop_cause is None
    assert record.duration_s == SHORT_PROTOCOL_S
    assert record.completed_repetitions == record.planned_repetitions == 2
    stored = [
        (r.rom_deg, r.tracking_rmse_deg, r.assistance, r.patient_work_fraction, r.sparc)
        for r in record.repetitions
    ]
    computed = [
        (
            r["rom_deg"],
            r["tracking_rmse_deg"],
            r["assistance"],
            r["patient_work_fraction"],
            r["sparc"],
        )
        for r in report["repetitions"]
    ]
    assert stored == computed
    assert record.summary is not None
    assert record.summary["summary"] == report["summary"]
    # The stored trace is decimated to 20 Hz: 12 s → samples every 50 ms plus the last cycle.
    assert len(record.trace["t_s"]) == 12.0 / 0.05 + 1


def test_sessions_list_newest_first_and_stay_with_their_patient(
    session_factory, world: World
) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    ids = []
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        for seed in (1, 2):
            row, therapy = service.start_session(
                session,
                actor=actor,
                patient=patient,
                seed=seed,
                now=utcnow() - timedelta(hours=3 - seed),
            )
            therapy.run_for(1.0)
            therapy.press_stop_button()
            therapy.run()
            service.finish_session(session, session_id=row.id, therapy=therapy)
            ids.append(row.id)
        rows, total = service.list_sessions(session, patient_id=patient.id)
        assert total == 2 and [r.id for r in rows] == ids[::-1]
        with pytest.raises(NotFound):
            service.get_session(
                session, patient_id=world.patient_2.patient_id or 0, session_id=ids[0]
            )


def test_a_stop_for_a_session_that_ended_is_a_conflict(session_factory, world: World) -> None:
    prescribe(session_factory, world.patient_1.patient_id or 0, world.clinician_a.user_id)
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        row, therapy = service.start_session(session, actor=actor, patient=patient)
        therapy.run()
        service.finish_session(session, session_id=row.id, therapy=therapy)
        with pytest.raises(Conflict, match="already ended"):
            service.request_stop(session, actor=actor, patient_id=patient.id, session_id=row.id)


def test_the_demo_seed_records_one_simulated_session_once(session_factory, world: World) -> None:
    with unit_of_work(session_factory) as session:
        actor, patient = _people(session, world)
        first = service.seed_demo(session, patient=patient, clinician=actor.user)
        again = service.seed_demo(session, patient=patient, clinician=actor.user)
        rows = list(session.scalars(select(RoboticsSession)))
    assert first is not None and again is None and len(rows) == 1
    assert first.simulated and first.status == SessionStatus.completed
    assert first.simulated_patient == "improving" and "simulated" in first.note
    assert first.completed_repetitions == 6
