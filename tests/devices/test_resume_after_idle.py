"""A device that resumes after the idle finaliser closed its session mid-minute is still
ingested: the finaliser flushed the open minute (partial); when the device resumes with samples
of that same minute (a phone that buffered offline, a restart longer than ``posture_idle_s``)
the fresh engine emits that minute again and the two parts are added (``_merge_minute``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spinewise.db import unit_of_work
from spinewise.devices import service
from spinewise.devices.service import EngineCache
from tests.conftest import World
from tests.devices.conftest import batches, recording
from tests.devices.test_service import _device, _send


def test_a_device_resuming_in_the_minute_its_session_was_finalised_is_still_ingested(
    session_factory, world: World
) -> None:  # type: ignore[no-untyped-def]
    chunks = batches(recording("office", 300.0, seed=5))
    device_id = _device(session_factory, world)
    cache = EngineCache()
    for seq in range(90):  # 90 s: the session is finalised in the middle of its second minute
        _send(session_factory, cache, device_id, seq, chunks[seq])
    with unit_of_work(session_factory) as session:
        device = service.lock_device(session, device_id=device_id)
        service.finalise(session, device=device, cache=cache)
    for seq in range(90, 120):  # the minute closes again at 13:35:00 (batch 100)
        assert _send(session_factory, cache, device_id, seq, chunks[seq]).status == "processed"
    with unit_of_work(session_factory) as session:
        service.finalise(
            session, device=service.lock_device(session, device_id=device_id), cache=cache
        )
        minutes = service.minutes(
            session,
            patient_id=world.patient_1.patient_id,
            start=datetime(2020, 1, 1, tzinfo=UTC),
            end=datetime(2030, 1, 1, tzinfo=UTC),
        )
    starts = [m.minute_start for m in minutes]
    assert len(starts) == len(set(starts))  # the resumed minute was merged, not duplicated
    assert all(m.covered_s <= 60.0 + 1e-6 for m in minutes)
    assert sum(m.covered_s for m in minutes) == pytest.approx(
        120.0, abs=1.0
    )  # 120 one-second batches
