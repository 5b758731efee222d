"""The optional raw archive: Parquet per device-day, written after the commit, with retention."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from spinewise.app import create_app
from spinewise.config import Settings
from spinewise.devices.archive import RECORD_BYTES, RawArchive
from tests.conftest import World
from tests.devices.conftest import batches, recording

MIDNIGHT = datetime(2026, 9, 22, tzinfo=UTC).timestamp()


def _rows(t0: float, n: int, rate_hz: float = 10.0) -> list[list[float]]:
    return [[t0 + i / rate_hz, 0.0, 1.0, 0.0, 0.1, 0.2, 0.3] for i in range(n)]


def test_a_batch_across_midnight_goes_to_both_days_and_reads_back_sorted(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    archive.store(7, 1, _rows(MIDNIGHT + 0.5, 10))  # 00:00:00.5 – 00:00:01.4 on the 22nd
    archive.store(7, 0, _rows(MIDNIGHT - 0.5, 10))  # 23:59:59.5 – 00:00:00.4: crosses midnight
    before = archive.read_day(7, date(2026, 9, 21))
    after = archive.read_day(7, date(2026, 9, 22))
    assert len(before["t"]) == 5 and len(after["t"]) == 15  # 5 + 5 + 10
    assert np.all(np.diff(after["t"]) > 0)
    assert after["seq"][:5].tolist() == [0] * 5 and after["seq"][5:].tolist() == [1] * 10
    assert after["gz"] == pytest.approx(np.full(15, 0.3))


def test_the_sweep_compacts_past_days_to_parquet_and_enforces_retention(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path, retention_days=2)
    for day_offset in (0, 1, 3):  # the 19th, 20th and 22nd of September
        t0 = MIDNIGHT - (3 - day_offset) * 86400 + 3600
        archive.store(1, day_offset, _rows(t0, 20))
        archive.store(1, day_offset, _rows(t0, 20))  # resent after a lost ack: stored twice
    result = archive.sweep(today=date(2026, 9, 22))
    names = sorted(p.name for p in archive.device_dir(1).iterdir())
    # The 19th is older than 2 days: gone. The 20th is compacted. Today's spool stays open.
    assert names == ["2026-09-20.parquet", "2026-09-22.spool"]
    assert (result.compacted, result.deleted) == (1, 1)
    table = pq.read_table(archive.device_dir(1) / "2026-09-20.parquet")
    assert table.column_names == ["seq", "t", "ax", "ay", "az", "gx", "gy", "gz"]
    assert table.num_rows == 20  # one row per sample time, duplicates dropped
    assert archive.read_day(1, date(2026, 9, 22))["t"].size == 20


def test_a_torn_last_record_after_a_crash_is_ignored(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    archive.store(3, 0, _rows(MIDNIGHT, 4))
    spool = archive.device_dir(3) / "2026-09-22.spool"
    with open(spool, "ab") as handle:
        handle.write(b"\x00" * (RECORD_BYTES // 2))
    assert archive.read_day(3, date(2026, 9, 22))["t"].size == 4


def test_with_archiving_on_each_new_batch_is_archived_once_after_its_commit(
    settings: Settings, world: World
) -> None:
    app = create_app(settings.model_copy(update={"archive_raw": True}))
    chunks = batches(recording("office", 300.0, seed=5))[:5]
    with TestClient(app) as client:
        device = client.post(
            "/api/v1/devices",
            json={"name": "Back sensor", "kind": "imu-wearable"},
            headers=world.patient_1.headers,
        ).json()
        auth = {"Authorization": f"Bearer {device['token']}"}
        for seq, rows in enumerate(chunks):
            for _ in range(2):  # every batch sent twice: the resend is a duplicate
                client.post("/api/v1/ingest", json={"seq": seq, "samples": rows}, headers=auth)
    app.state.engine.dispose()
    archive = RawArchive(settings.data_dir / "raw")
    spool = next(archive.device_dir(device["id"]).glob("*.spool"))
    assert spool.stat().st_size == RECORD_BYTES * sum(len(rows) for rows in chunks)
    day = datetime.fromtimestamp(chunks[0][0][0], UTC).date()
    stored = archive.read_day(device["id"], day)
    assert stored["t"].tolist() == [row[0] for rows in chunks for row in rows]
