"""Optional raw-sample archive: Parquet per device and UTC day, outside the SQL database.

Enabled with ``SPINEWISE_ARCHIVE_RAW=true``; files live under ``<data_dir>/raw``:

    raw/device=<id>/<YYYY-MM-DD>.parquet   closed days: columns seq, t, ax, ay, az, gx, gy, gz
    raw/device=<id>/<YYYY-MM-DD>.spool     the current day: fixed 64-byte float64 records

Parquet files cannot be appended to, so each batch (after its commit) is appended to the day's
*spool*, a file of fixed-size binary records that a crash can only leave with a torn last
record (ignored when read). The sweep (hourly, in the app) compacts the spools of past days
into one Parquet file per device-day (sorted by time, one row per sample time, written to a
temporary file and renamed) and deletes days older than ``retention_days``.

The archive is best effort by design: the database (minutes, episodes, alerts) is the record,
and the archive write happens after the acknowledgement's commit; a crash between the two can
leave out the batch in flight, which the device's resend will not add (it is a duplicate).
Units are those of the API: t in Unix seconds, acceleration in g, angular rate in deg/s.

Query the archive with any Parquet reader, e.g. DuckDB:
``SELECT * FROM 'var/raw/device=7/2026-11-28.parquet' ORDER BY t``.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

COLUMNS = ("seq", "t", "ax", "ay", "az", "gx", "gy", "gz")
RECORD = np.dtype("<f8")
RECORD_BYTES = RECORD.itemsize * len(COLUMNS)
_DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(parquet|spool)$")


def _utc_day(t_s: float) -> date:
    return datetime.fromtimestamp(t_s, UTC).date()


@dataclass(frozen=True)
class SweepResult:
    compacted: int
    deleted: int


class RawArchive:
    """Append batches per device-day; compact to Parquet; enforce retention."""

    def __init__(self, root: Path, retention_days: int = 30) -> None:
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        self.root = Path(root)
        self.retention_days = retention_days
        self._lock = threading.Lock()

    def device_dir(self, device_id: int) -> Path:
        return self.root / f"device={int(device_id)}"

    def store(self, device_id: int, seq: int, rows: Any) -> int:
        """Append one batch (``[[t, ax, ay, az, gx, gy, gz], ...]``); returns rows written."""
        data = np.asarray(rows, dtype=np.float64)
        if data.size == 0:
            return 0
        if data.ndim != 2 or data.shape[1] != 7:
            raise ValueError("rows must be [t, ax, ay, az, gx, gy, gz]")
        records = np.column_stack([np.full(len(data), float(seq)), data]).astype(RECORD)
        days = np.floor(data[:, 0] / 86400.0).astype(np.int64)
        directory = self.device_dir(device_id)
        with self._lock:
            directory.mkdir(parents=True, exist_ok=True)
            for day_number in np.unique(days):
                day = date(1970, 1, 1) + timedelta(days=int(day_number))
                part = records[days == day_number]
                with open(directory / f"{day.isoformat()}.spool", "ab") as handle:
                    handle.write(part.tobytes())
        return len(data)

    def read_day(self, device_id: int, day: date) -> dict[str, NDArray[np.float64]]:
        """Every archived sample of a device-day (Parquet and spool), sorted by time."""
        directory = self.device_dir(device_id)
        with self._lock:
            return _merge(
                _read_parquet(directory / f"{day.isoformat()}.parquet"),
                _read_spool(directory / f"{day.isoformat()}.spool"),
            )

    def sweep(self, *, today: date | None = None) -> SweepResult:
        """Compact spools of days before ``today`` (UTC) and delete expired days."""
        today = today or datetime.now(UTC).date()
        oldest_kept = today - timedelta(days=self.retention_days)
        compacted = deleted = 0
        if not self.root.is_dir():
            return SweepResult(0, 0)
        for directory in sorted(self.root.glob("device=*")):
            for path in sorted(directory.iterdir()):
                match = _DAY_FILE.match(path.name)
                if match is None:
                    continue
                day = date.fromisoformat(match.group(1))
                if day < oldest_kept:
                    path.unlink(missing_ok=True)
                    deleted += 1
                elif match.group(2) == "spool" and day < today:
                    self._compact(directory, day)
                    compacted += 1
        return SweepResult(compacted, deleted)

    def _compact(self, directory: Path, day: date) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        target = directory / f"{day.isoformat()}.parquet"
        spool = directory / f"{day.isoformat()}.spool"
        with self._lock:
            merged = _merge(_read_parquet(target), _read_spool(spool))
            table = pa.table(
                {
                    name: pa.array(merged[name], pa.int64() if name == "seq" else pa.float64())
                    for name in COLUMNS
                }
            )
            temporary = directory / f".{day.isoformat()}.parquet.tmp"
            pq.write_table(table, temporary, compression="zstd")
            os.replace(temporary, target)
            spool.unlink(missing_ok=True)


def _read_spool(path: Path) -> NDArray[np.float64]:
    if not path.exists():
        return np.empty((0, len(COLUMNS)))
    raw = path.read_bytes()
    whole = len(raw) - len(raw) % RECORD_BYTES  # a torn last record (crash) is ignored
    return np.frombuffer(raw[:whole], dtype=RECORD).reshape(-1, len(COLUMNS)).astype(np.float64)


def _read_parquet(path: Path) -> NDArray[np.float64]:
    if not path.exists():
        return np.empty((0, len(COLUMNS)))
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=list(COLUMNS))
    return np.column_stack([table.column(name).to_numpy().astype(np.float64) for name in COLUMNS])


def _merge(*parts: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    data = np.concatenate(parts) if parts else np.empty((0, len(COLUMNS)))
    if len(data):
        order = np.argsort(data[:, 1], kind="stable")
        data = data[order]
        keep = np.concatenate([[True], np.diff(data[:, 1]) > 0])  # one row per sample time
        data = data[keep]
    return {name: data[:, i] for i, name in enumerate(COLUMNS)}
