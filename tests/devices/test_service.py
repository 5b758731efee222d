"""Ingestion as a specification: idempotent, ordered, durable, and equal to the batch analysis."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from spinewise.accounts.models import Patient
from spinewise.core.errors import InvalidInput
from spinewise.db import unit_of_work
from spinewise.devices import service
from spinewise.devices.models import IngestedBatch, PostureMinute
from spinewise.devices.service import EngineCache
from spinewise.posture.stream import analyze
from tests.conftest import World
from tests.devices.conftest import batches, recording

WHOLE_TIME = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))


def _device(session_factory, world: World) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        patient = session.get(Patient, world.patient_1.patient_id)
        device, _ = service.register_device(
            session, patient=patient, name="Back sensor", kind="imu-wearable"
        )
        return device.id


def _send(
    session_factory, cache: EngineCache, device_id: int, seq: int, rows
) -> service.IngestResult:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        device = service.lock_device(session, device_id=device_id)
        return service.ingest(session, device=device, seq=seq, rows=rows, cache=cache)


def _finalise(session_factory, cache: EngineCache, device_id: int) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        service.finalise(
            session, device=service.lock_device(session, device_id=device_id), cache=cache
        )


def _totals(session_factory, world: World) -> service.PostureTotals:  # type: ignore[no-untyped-def]
    with unit_of_work(session_factory) as session:
        return service.totals(
            session, patient_id=world.patient_1.patient_id, start=WHOLE_TIME[0], end=WHOLE_TIME[1]
        )


def test_streamed_batches_give_exactly_the_batch_analysis_of_the_recording(
    session_factory, world: World
) -> None:
    sim = recording()
    device_id = _device(session_factory, world)
    cache = EngineCache()
    for seq, rows in enumerate(batches(sim)):
        assert _send(session_factory, cache, device_id, seq, rows).status == "processed"
    _finalise(session_factory, cache, device_id)
    expected = analyze(sim.samples)
    got = _totals(session_factory, world)
    assert got.neutral_s == pytest.approx(expected.time_in_zone_s["neutral"], abs=1e-6)
    assert got.flexed_s == pytest.approx(expected.time_in_zone_s["flexed"], abs=1e-6)
    assert got.severe_s == pytest.approx(expected.time_in_zone_s["severe"], abs=1e-6)
    assert got.worn_s == pytest.approx(expected.duration_s, abs=1e-6)
    assert got.alerts == len(expected.alerts)


def test_a_resent_batch_is_acknowledged_as_a_duplicate_and_never_counted_twice(
    session_factory, world: World
) -> None:
    sim = recording()
    device_id = _device(session_factory, world)
    cache = EngineCache()
    chunks = batches(sim)
    for seq, rows in enumerate(chunks):
        _send(session_factory, cache, device_id, seq, rows)
        if seq % 5 == 0:
            again = _send(session_factory, cache, device_id, seq, rows)
            assert again.duplicate and again.accepted == len(rows)
    _finalise(session_factory, cache, device_id)
    assert _totals(session_factory, world).worn_s == pytest.approx(
        analyze(sim.samples).duration_s, abs=1e-6
    )


def test_batches_out_of_order_are_held_until_the_gap_fills(session_factory, world: World) -> None:
    sim = recording()
    chunks = batches(sim)
    order = list(range(len(chunks)))
    for i in range(
        1, len(order) - 3, 7
    ):  # after the first (which sets the base), some two places late
        order[i], order[i + 2] = order[i + 2], order[i]
    device_id = _device(session_factory, world)
    cache = EngineCache()
    statuses = [_send(session_factory, cache, device_id, seq, chunks[seq]).status for seq in order]
    assert "pending" in statuses
    _finalise(session_factory, cache, device_id)
    assert _totals(session_factory, world).worn_s == pytest.approx(
        analyze(sim.samples).duration_s, abs=1e-6
    )


def test_a_batch_missing_for_longer_than_the_window_is_given_up_and_skipped_when_late(
    session_factory, world: World
) -> None:
    chunks = batches(recording())
    device_id = _device(session_factory, world)
    cache = EngineCache()
    _send(session_factory, cache, device_id, 0, chunks[0])
    for seq in range(2, 2 + service.REORDER_WINDOW + 1):
        _send(session_factory, cache, device_id, seq, chunks[seq])
    late = _send(session_factory, cache, device_id, 1, chunks[1])
    assert late.status == "skipped" and late.accepted == len(chunks[1])
    with unit_of_work(session_factory) as session:
        pending = session.scalar(select(func.count()).where(IngestedBatch.status == "pending"))
        assert pending == 0


def test_a_restarted_process_resumes_from_the_committed_engine_state(
    session_factory, world: World
) -> None:
    sim = recording()
    chunks = batches(sim)
    device_id = _device(session_factory, world)
    half = len(chunks) // 2
    first_process = EngineCache()
    for seq in range(half):
        _send(session_factory, first_process, device_id, seq, chunks[seq])
    second_process = EngineCache()  # nothing in memory: state comes from the database
    for seq in range(half, len(chunks)):
        _send(session_factory, second_process, device_id, seq, chunks[seq])
    _finalise(session_factory, second_process, device_id)
    expected = analyze(sim.samples).time_in_zone_s
    got = _totals(session_factory, world)
    assert (got.neutral_s, got.flexed_s, got.severe_s) == pytest.approx(
        (expected["neutral"], expected["flexed"], expected["severe"]), abs=1e-6
    )


def test_a_rolled_back_batch_leaves_no_trace_and_can_be_sent_again(
    session_factory, world: World
) -> None:
    chunks = batches(recording())
    device_id = _device(session_factory, world)
    cache = EngineCache()
    _send(session_factory, cache, device_id, 0, chunks[0])
    with pytest.raises(RuntimeError), unit_of_work(session_factory) as session:
        service.ingest(
            session,
            device=service.lock_device(session, device_id=device_id),
            seq=1,
            rows=chunks[1],
            cache=cache,
        )
        raise RuntimeError("the database went away before the commit")
    assert _send(session_factory, cache, device_id, 1, chunks[1]).status == "processed"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[1.0, 0, 0, 1, 0, 0]], "7 numbers"),
        ([[1.0, 0, 0, 1, 0, 0, "x"]], "7 numbers"),
        ([[2.0, 0, 0, 1, 0, 0, 0], [1.0, 0, 0, 1, 0, 0, 0]], "increase"),
        ([[1.0, float("nan"), 0, 1, 0, 0, 0]], "finite"),
        ("not a list", "list"),
    ],
)
def test_malformed_samples_are_refused_with_a_reason(rows, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        service.parse_samples(rows)


def test_minutes_are_stored_once_per_device_and_minute(session_factory, world: World) -> None:
    chunks = batches(recording())
    device_id = _device(session_factory, world)
    cache = EngineCache()
    for seq, rows in enumerate(chunks):
        _send(session_factory, cache, device_id, seq, rows)
    _finalise(session_factory, cache, device_id)
    with unit_of_work(session_factory) as session:
        starts = list(session.scalars(select(PostureMinute.minute_start)))
    assert len(starts) == len(set(starts)) >= 5


@pytest.mark.parametrize(
    ("local_time", "allowed"),
    [("21:59", True), ("22:00", False), ("03:00", False), ("06:59", False), ("07:00", True)],
)
def test_quiet_hours_hold_back_feedback_in_the_patients_time_zone(
    local_time: str, allowed: bool
) -> None:
    tz = ZoneInfo("Europe/London")
    hour, minute = map(int, local_time.split(":"))
    at = datetime(2026, 7, 1, hour, minute, tzinfo=tz).astimezone(UTC)  # BST: UTC+1
    assert service.feedback_allowed({"quiet_hours": ["22:00", "07:00"]}, at=at, tz=tz) is allowed


def test_snoozed_feedback_is_held_back_until_the_snooze_ends() -> None:
    at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    settings = {"snooze_until": datetime(2026, 7, 1, 12, 15, tzinfo=UTC).isoformat()}
    assert not service.feedback_allowed(settings, at=at, tz=ZoneInfo("UTC"))
    assert service.feedback_allowed(
        settings, at=datetime(2026, 7, 1, 12, 16, tzinfo=UTC), tz=ZoneInfo("UTC")
    )


def test_a_new_device_whose_second_batch_arrives_first_loses_nothing(
    session_factory, world: World
) -> None:
    # Found by the SIGKILL test: with several batches in flight, seq 1 can reach the server
    # before seq 0; taking the first arrival as the start of the stream skipped seq 0 for good.
    sim = recording()
    chunks = batches(sim)
    device_id = _device(session_factory, world)
    cache = EngineCache()
    assert _send(session_factory, cache, device_id, 1, chunks[1]).status == "pending"
    assert _send(session_factory, cache, device_id, 0, chunks[0]).status == "processed"
    for seq in range(2, len(chunks)):
        assert _send(session_factory, cache, device_id, seq, chunks[seq]).status == "processed"
    _finalise(session_factory, cache, device_id)
    got = _totals(session_factory, world)
    assert got.worn_s == pytest.approx(analyze(sim.samples).duration_s, abs=1e-6)


def test_a_new_device_starting_past_zero_is_analysed_once_the_window_gives_the_gap_up(
    session_factory, world: World
) -> None:
    chunks = batches(recording())
    device_id = _device(session_factory, world)
    cache = EngineCache()
    window = service.REORDER_WINDOW
    statuses = [
        _send(session_factory, cache, device_id, 100 + k, chunks[k]).status
        for k in range(window + 2)
    ]
    # The (window + 1)-th held batch gives the gap up: all held batches are analysed then.
    assert statuses == ["pending"] * (window + 1) + ["processed"]
    with unit_of_work(session_factory) as session:
        pending = session.scalar(select(func.count()).where(IngestedBatch.status == "pending"))
        assert pending == 0
