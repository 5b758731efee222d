"""Device registry and ingestion: every acknowledged batch is committed first and counted once.

Ingestion of one batch is one transaction (the caller's ``unit_of_work``):

1. ``(device, seq)`` already recorded → a duplicate: acknowledged again, never re-counted.
2. ``seq`` is the next expected one → fed to the device's posture engine together with any
   held batches that now follow in order; the minutes, episodes and alerts it produced and the
   engine's new state are written in the same transaction as the batch record.
3. ``seq`` is ahead of a missing batch → held (stored, committed, acknowledged) until the gap
   fills; after ``reorder_window`` held batches the gap is given up and analysis moves on.
4. ``seq`` is behind a gap already given up → acknowledged and recorded as skipped.

The engine object is cached in memory per device and checked against the committed cursor
(``next_seq``), so a rolled-back transaction or another worker's progress is never missed: a
stale cache entry is rebuilt from the committed state.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Table, bindparam, func, select
from sqlalchemy import insert as sql_insert
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient
from spinewise.core.errors import InvalidInput, NotAuthenticated, NotFound
from spinewise.core.security import hash_token, new_token
from spinewise.db import utcnow
from spinewise.devices.models import (
    BatchStatus,
    Device,
    DeviceKind,
    IngestedBatch,
    PostureAlert,
    PostureEpisode,
    PostureMinute,
    PostureSettings,
)
from spinewise.posture.config import PostureConfig
from spinewise.posture.io import ImuSamples
from spinewise.posture.state_codec import decode_state, encode_state, is_encoded_state
from spinewise.posture.stream import PostureStream, StreamUpdate

MAX_SAMPLES_PER_BATCH = 20_000  # 200 s at 100 Hz: larger uploads must be split
REORDER_WINDOW = 10  # held batches before a missing one is given up
DEFAULT_DEVICE_SETTINGS: dict[str, Any] = {
    "mounting": "upper-back",
    "vibrate": True,
    "sound": False,
    "quiet_hours": None,  # ["22:00", "07:00"] in the patient's time zone
    "snooze_until": None,  # ISO 8601 UTC
}


# --- registry ---------------------------------------------------------------------------------


def register_device(
    session: Session, *, patient: Patient, name: str, kind: DeviceKind | str
) -> tuple[Device, str]:
    """Create a device and return it with its token (shown once; only its hash is kept)."""
    try:
        kind = DeviceKind(kind)
    except ValueError:
        raise InvalidInput(
            "kind", f"must be one of {', '.join(k.value for k in DeviceKind)}"
        ) from None
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    raw, digest = new_token()
    device = Device(
        patient_id=patient.id,
        name=name[:100],
        kind=kind,
        token_hash=digest,
        settings=dict(DEFAULT_DEVICE_SETTINGS),
    )
    session.add(device)
    session.flush()
    return device, raw


def device_for_token(session: Session, *, raw: str) -> Device | None:
    device = session.scalar(select(Device).where(Device.token_hash == hash_token(raw)))
    if device is None or device.revoked_at is not None:
        return None
    return device


def list_devices(session: Session, *, patient_id: int) -> list[Device]:
    return list(
        session.scalars(select(Device).where(Device.patient_id == patient_id).order_by(Device.id))
    )


def get_device(session: Session, *, patient_id: int, device_id: int) -> Device:
    device = session.scalar(
        select(Device).where(Device.id == device_id, Device.patient_id == patient_id)
    )
    if device is None:
        raise NotFound("device not found")
    return device


def lock_device(session: Session, *, device_id: int) -> Device:
    """The device row, locked for this transaction on PostgreSQL (several workers, one device)."""
    device = session.scalar(select(Device).where(Device.id == device_id).with_for_update())
    if device is None or device.revoked_at is not None:
        raise NotAuthenticated("unknown or revoked device token")
    return device


def revoke_device(session: Session, *, device: Device) -> None:
    device.revoked_at = device.revoked_at or utcnow()
    session.flush()


def update_device_settings(session: Session, *, device: Device, changes: dict[str, Any]) -> Device:
    settings = {**DEFAULT_DEVICE_SETTINGS, **(device.settings or {})}
    for key, value in changes.items():
        if key not in DEFAULT_DEVICE_SETTINGS:
            raise InvalidInput(key, "is not a device setting")
        if key == "quiet_hours" and value is not None:
            _parse_quiet_hours(value)
        settings[key] = value
    device.settings = settings
    session.flush()
    return device


def posture_config(session: Session, *, patient_id: int) -> PostureConfig:
    row = session.get(PostureSettings, patient_id)
    return PostureConfig.from_dict(row.config if row else {})


def set_posture_config(
    session: Session, *, patient_id: int, config: dict[str, Any], updated_by: int | None
) -> PostureConfig:
    """Validate and store per-patient thresholds; devices pick them up at their next batch."""
    parsed = PostureConfig.from_dict(config)
    row = session.get(PostureSettings, patient_id)
    if row is None:
        row = PostureSettings(patient_id=patient_id)
        session.add(row)
    row.config = config
    row.updated_at = utcnow()
    row.updated_by = updated_by
    session.flush()
    return parsed


# --- ingestion --------------------------------------------------------------------------------


@dataclass
class IngestResult:
    accepted: int
    duplicate: bool
    status: str
    alerts: list[PostureAlert] = field(default_factory=list)  # new and to be delivered live
    live: dict[str, Any] | None = None  # latest angle for the "Now" view


@dataclass
class EngineCache:
    """Per-process cache of live engines, keyed by device, tagged with the committed cursor."""

    engines: dict[int, tuple[int, PostureStream]] = field(default_factory=dict)

    def get(self, device: Device, config: PostureConfig) -> PostureStream:
        cached = self.lookup(device.id, device.next_seq, config)
        return cached if cached is not None else restore_engine(device.engine_state, config)

    def lookup(
        self, device_id: int, next_seq: int | None, config: PostureConfig
    ) -> PostureStream | None:
        """The cached engine if it is the one the committed cursor expects, else None."""
        cached = self.engines.get(device_id)
        if cached is not None and cached[0] == next_seq and cached[1].config == config:
            return cached[1]
        return None

    def put(self, device: Device, stream: PostureStream) -> None:
        assert device.next_seq is not None
        self.engines[device.id] = (device.next_seq, stream)


def encode_engine(stream: PostureStream) -> bytes:
    """The engine state as stored in ``devices.engine_state`` (``posture.state_codec``)."""
    return encode_state(stream.get_raw_state())


def restore_engine(engine_state: bytes | None, config: PostureConfig) -> PostureStream:
    """An engine from its stored state (binary, or the earlier zlib-compressed JSON)."""
    if not engine_state:
        return PostureStream(config, emit_frames=True, keep_history=False)
    if is_encoded_state(engine_state):
        stream = PostureStream.from_state(decode_state(engine_state))
    else:
        stream = PostureStream.from_state(json.loads(zlib.decompress(engine_state)))
    if stream.config != config:  # thresholds changed: keep calibration, new rules
        stream = PostureStream(
            config, neutral=stream.calibration, emit_frames=True, keep_history=False
        )
    return stream


def parse_samples(rows: Any) -> ImuSamples:
    """``[[t, ax, ay, az, gx, gy, gz], ...]`` (Unix s, g, deg/s; a list or an n×7 array) →
    validated arrays."""
    if isinstance(rows, np.ndarray):
        rows = rows if rows.size else []
    if not isinstance(rows, list | np.ndarray):
        raise InvalidInput("samples", "must be a list of [t, ax, ay, az, gx, gy, gz] rows")
    if len(rows) > MAX_SAMPLES_PER_BATCH:
        raise InvalidInput("samples", f"at most {MAX_SAMPLES_PER_BATCH} samples per batch")
    try:
        data = np.asarray(rows, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput("samples", "every row must be 7 numbers") from None
    if len(rows) == 0:
        data = np.empty((0, 7))
    if data.ndim != 2 or data.shape[1] != 7:
        raise InvalidInput("samples", "every row must be 7 numbers: t, ax, ay, az, gx, gy, gz")
    if not np.isfinite(data).all():
        raise InvalidInput("samples", "values must be finite numbers (no NaN or infinity)")
    if len(data) > 1 and np.any(np.diff(data[:, 0]) <= 0):
        raise InvalidInput("samples", "time must increase strictly within a batch")
    return ImuSamples.from_arrays(data[:, 0], data[:, 1:4], data[:, 4:7])


def ingest(
    session: Session,
    *,
    device: Device,
    seq: int,
    rows: Any,
    cache: EngineCache,
    timezone: str = "UTC",
    reorder_window: int = REORDER_WINDOW,
    now: datetime | None = None,
) -> IngestResult:
    """Record one batch and advance the device's analysis as far as the data allows."""
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < 2**62:
        raise InvalidInput("seq", "must be a non-negative integer")
    now = now or utcnow()
    # Every recorded batch is either below the cursor (processed, skipped) or above it
    # (pending), so the expected next batch cannot be a duplicate: the common case skips the
    # lookup (the unique constraint on (device, seq) still guards it).
    existing = None
    if seq != device.next_seq:
        existing = session.scalar(
            select(IngestedBatch.samples).where(
                IngestedBatch.device_id == device.id, IngestedBatch.seq == seq
            )
        )
    if existing is not None:
        return IngestResult(accepted=existing, duplicate=True, status="duplicate")
    samples = parse_samples(rows)
    device.last_seen_at = now
    if device.next_seq is None:
        # A new device's stream starts at seq 0. Taking the first batch to arrive as the start
        # would skip seq 0 for good whenever a device with several batches in flight has its
        # seq 1 arrive first; a stream that starts elsewhere is held like any batch after a
        # gap and begins once the reorder window gives the gap up.
        device.next_seq = 0
    if seq < device.next_seq:
        session.add(
            IngestedBatch(
                device_id=device.id, seq=seq, samples=len(samples), status=BatchStatus.skipped
            )
        )
        session.flush()
        return IngestResult(accepted=len(samples), duplicate=False, status="skipped")

    result = IngestResult(accepted=len(samples), duplicate=False, status="processed")
    if seq > device.next_seq:
        session.add(
            IngestedBatch(
                device_id=device.id,
                seq=seq,
                samples=len(samples),
                status=BatchStatus.pending,
                payload=json.dumps(np.column_stack([samples.t, samples.acc, samples.gyr]).tolist()),
            )
        )
        session.flush()
        result.status = "pending"
        held = session.scalar(
            select(func.count()).where(
                IngestedBatch.device_id == device.id, IngestedBatch.status == BatchStatus.pending
            )
        )
        if (held or 0) <= reorder_window:
            return result
        # Give up on the gap: continue from the oldest held batch.
        device.next_seq = session.scalar(
            select(func.min(IngestedBatch.seq)).where(
                IngestedBatch.device_id == device.id, IngestedBatch.status == BatchStatus.pending
            )
        )
        ready: list[tuple[IngestedBatch | None, ImuSamples]] = []
    else:
        batch = IngestedBatch(
            device_id=device.id, seq=seq, samples=len(samples), status=BatchStatus.processed
        )
        session.add(batch)
        ready = [(None, samples)]

    config = posture_config(session, patient_id=device.patient_id)
    stream = cache.get(device, config)
    try:
        _advance(
            session,
            device=device,
            stream=stream,
            ready=ready,
            result=result,
            now=now,
            tz=ZoneInfo(timezone),
        )
    except BaseException:
        cache.engines.pop(
            device.id, None
        )  # the engine may have moved past what will be rolled back
        raise
    _save_engine(session, device=device, stream=stream, cache=cache)
    device.engine_open = True
    return result


def _save_engine(
    session: Session, *, device: Device, stream: PostureStream, cache: EngineCache
) -> None:
    device.engine_state = encode_engine(stream)
    session.flush()
    cache.put(device, stream)


# --- group commit: the common case of many devices' batches in one transaction -------------------


_BATCHES = cast(Table, IngestedBatch.__table__)
_DEVICES = cast(Table, Device.__table__)
_MINUTES = cast(Table, PostureMinute.__table__)
_EPISODES = cast(Table, PostureEpisode.__table__)


@dataclass
class _DeviceRow:
    """What the group path reads of a device (no ORM object: Core statements only)."""

    id: int
    patient_id: int
    next_seq: int
    settings: dict[str, Any]


@dataclass
class QueuedBatch:
    """A batch waiting for the next group transaction (``ingest_group``)."""

    device_id: int
    seq: Any
    rows: Any


@dataclass
class GroupResult:
    results: dict[int, IngestResult]  # by index into the batches given
    patients: dict[int, int]  # device id → patient id, for the devices stored
    deferred: list[int]  # indexes left for ``ingest``, in arrival order


@dataclass
class ConfigCache:
    """Parsed posture configs, reused while the stored JSON is unchanged (parsing costs ~40 µs)."""

    parsed: dict[int, tuple[Any, PostureConfig]] = field(default_factory=dict)

    def get(self, patient_id: int, raw: dict[str, Any] | None) -> PostureConfig:
        raw = raw or {}
        cached = self.parsed.get(patient_id)
        if cached is not None and cached[0] == raw:
            return cached[1]
        config = PostureConfig.from_dict(raw)
        self.parsed[patient_id] = (raw, config)
        return config


# The group's one locking read, built once: a statement built per group left two bound
# parameters (and their closures) in reference cycles every time, about ten objects of cyclic
# garbage per batch for the collector to find (docs/live-monitoring.md, "Garbage-collector
# pauses").
_HELD_SEQ = (
    select(func.min(IngestedBatch.seq))
    .where(
        IngestedBatch.device_id == Device.id,
        IngestedBatch.seq > Device.next_seq,
        IngestedBatch.status == BatchStatus.pending,
    )
    .correlate(Device)
    .scalar_subquery()
)
_GROUP_LOCK = (
    select(
        Device.id,
        Device.patient_id,
        Device.revoked_at,
        Device.next_seq,
        Device.settings,
        Patient.timezone,
        PostureSettings.config,
        _HELD_SEQ,
    )
    .outerjoin(Patient, Patient.id == Device.patient_id)
    .outerjoin(PostureSettings, PostureSettings.patient_id == Device.patient_id)
    .where(Device.id.in_(bindparam("device_ids", expanding=True)))
    .order_by(Device.id)
    .with_for_update(of=_DEVICES)
)


def ingest_group(
    session: Session,
    batches: list[QueuedBatch],
    *,
    cache: EngineCache,
    configs: ConfigCache | None = None,
    now: datetime | None = None,
) -> GroupResult:
    """Store and analyse many batches in the caller's one transaction, where that is the plain
    case; the rest is left to ``ingest``, one transaction each.

    The plain case, per device: every one of its batches here continues the committed cursor
    in order (``seq == next_seq, next_seq + 1, …``), no held batch would follow them, the
    device is not revoked and every batch is valid. Then, as ``ingest`` would do batch by
    batch, each is fed to the engine and recorded ``processed``; the device's cursor, last-seen
    time and engine state are written once. All devices are locked (``SELECT … FOR UPDATE`` in
    id order on PostgreSQL) in one statement; the batch records are one multi-row ``INSERT``
    and the device rows one ``executemany`` ``UPDATE``. Minutes, episodes and alerts are written
    as by ``ingest`` (a minute is emitted once per 60 batches).

    Returns the results by index into ``batches``, the patient of each device stored, and the
    indexes left for ``ingest`` (in arrival order). A device is never split: either all its batches here are stored by this
    call or none is. Engines move in the cache before the commit: on an error the caller must
    drop the cache entries of every device in ``batches`` (``EngineCache.engines.pop``).
    """
    now = now or utcnow()
    configs = configs or ConfigCache()
    by_device: dict[int, list[int]] = {}
    for index, batch in enumerate(batches):
        by_device.setdefault(batch.device_id, []).append(index)
    rows = session.execute(_GROUP_LOCK, {"device_ids": sorted(by_device)}).all()
    results: dict[int, IngestResult] = {}
    deferred: set[int] = set()
    plain: list[tuple[_DeviceRow, list[int], list[ImuSamples], PostureConfig, str]] = []
    found = {row[0] for row in rows}
    for device_id, indexes in by_device.items():
        if device_id not in found:
            deferred.update(indexes)  # unknown device: ``ingest`` gives the error
    for device_id, patient_id, revoked_at, next_seq, settings, timezone, config, held_min in rows:
        indexes = by_device[device_id]
        seqs = [batches[i].seq for i in indexes]
        if next_seq is None:  # nothing recorded yet: ``ingest`` starts a new device at seq 0
            next_seq = 0
        if (
            revoked_at is not None
            or any(type(q) is not int for q in seqs)
            or seqs != list(range(next_seq, next_seq + len(seqs)))
            or (held_min is not None and held_min <= next_seq + len(seqs))
        ):
            deferred.update(indexes)
            continue
        try:
            parsed = [parse_samples(batches[i].rows) for i in indexes]
        except InvalidInput:
            deferred.update(indexes)  # ``ingest`` answers each batch as it always has
            continue
        device = _DeviceRow(device_id, patient_id, next_seq, settings or {})
        plain.append((device, indexes, parsed, configs.get(patient_id, config), timezone))
    stale = [d.id for d, _, _, config, _ in plain if cache.lookup(d.id, d.next_seq, config) is None]
    states: dict[int, bytes | None] = {}
    if stale:
        states = {
            device_id: state
            for device_id, state in session.execute(
                select(Device.id, Device.engine_state).where(Device.id.in_(stale))
            )
        }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    pending = _Pending()
    for device, indexes, parsed, config, timezone in plain:
        stream = cache.lookup(device.id, device.next_seq, config)
        if stream is None:
            stream = restore_engine(states.get(device.id), config)
        tz = ZoneInfo(timezone or "UTC")
        for index, samples in zip(indexes, parsed, strict=True):
            result = IngestResult(accepted=len(samples), duplicate=False, status="processed")
            update_ = stream.feed(_after(samples, stream.last_t))
            _store(
                session,
                device=device,
                update=update_,
                result=result,
                now=now,
                tz=tz,
                pending=pending,
            )
            results[index] = result
            inserts.append(
                {
                    "device_id": device.id,
                    "seq": batches[index].seq,
                    "samples": len(samples),
                    "status": BatchStatus.processed,
                    "received_at": now,
                    "payload": None,
                }
            )
        next_seq = device.next_seq + len(indexes)
        updates.append(
            {
                "b_id": device.id,
                "b_next_seq": next_seq,
                "b_seen": now,
                "b_state": encode_engine(stream),
            }
        )
        cache.engines[device.id] = (next_seq, stream)
    if inserts:
        session.execute(sql_insert(_BATCHES), inserts)
        table = _DEVICES
        session.execute(
            sql_update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                next_seq=bindparam("b_next_seq"),
                last_seen_at=bindparam("b_seen"),
                engine_open=True,
                engine_state=bindparam("b_state"),
            ),
            updates,
        )
    _write_pending(session, pending)
    session.flush()  # alerts added through the ORM get their ids
    patients = {device.id: device.patient_id for device, *_ in plain}
    return GroupResult(results, patients, sorted(deferred))


def idle_devices(session: Session, *, idle_s: float, now: datetime | None = None) -> list[int]:
    """Devices holding unfinalised data that have sent nothing for ``idle_s`` seconds."""
    cutoff = (now or utcnow()) - timedelta(seconds=idle_s)
    query = select(Device.id).where(Device.engine_open.is_(True), Device.last_seen_at < cutoff)
    return list(session.scalars(query))


def finalise(
    session: Session, *, device: Device, cache: EngineCache, timezone: str = "UTC"
) -> IngestResult:
    """End of a wearing session: flush the open minute and any running episode to the database.

    The engine restarts with the same calibration, so the next batch continues seamlessly (a
    pause is a gap, which the engine never interpolates across).
    """
    result = IngestResult(accepted=0, duplicate=False, status="finalised")
    if not device.engine_open or device.next_seq is None:
        return result
    config = posture_config(session, patient_id=device.patient_id)
    stream = cache.get(device, config)
    try:
        update = stream.close()
        _store(
            session,
            device=device,
            update=update,
            result=result,
            now=utcnow(),
            tz=ZoneInfo(timezone),
        )
    except BaseException:
        cache.engines.pop(device.id, None)
        raise
    fresh = PostureStream(config, neutral=stream.calibration, emit_frames=True, keep_history=False)
    _save_engine(session, device=device, stream=fresh, cache=cache)
    device.engine_open = False
    session.flush()
    return result


def _advance(
    session: Session,
    *,
    device: Device,
    stream: PostureStream,
    ready: list[tuple[IngestedBatch | None, ImuSamples]],
    result: IngestResult,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Feed the ready batch and every held batch that now follows it in sequence."""
    assert device.next_seq is not None
    while True:
        if not ready:
            held_batch = session.scalar(
                select(IngestedBatch).where(
                    IngestedBatch.device_id == device.id,
                    IngestedBatch.seq == device.next_seq,
                    IngestedBatch.status == BatchStatus.pending,
                )
            )
            if held_batch is None:
                break
            ready = [(held_batch, parse_samples(json.loads(held_batch.payload or "[]")))]
        held_batch, chunk = ready.pop()
        update = stream.feed(_after(chunk, stream.last_t))
        _store(session, device=device, update=update, result=result, now=now, tz=tz)
        if held_batch is not None:
            held_batch.status = BatchStatus.processed
            held_batch.payload = None
        device.next_seq += 1


def _after(samples: ImuSamples, last_t: float | None) -> ImuSamples:
    """Drop samples at or before the engine's last time (a device clock overlap between batches)."""
    if last_t is None or len(samples) == 0 or samples.t[0] > last_t:
        return samples
    first = int(np.searchsorted(samples.t, last_t, side="right"))
    return samples.slice(first, len(samples))


def _utc(t_s: float) -> datetime:
    return datetime.fromtimestamp(t_s, UTC)


@dataclass
class _Pending:
    """Minute and episode rows of one transaction, written together at its end."""

    minutes: list[dict[str, Any]] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)


def _store(
    session: Session,
    *,
    device: Device | _DeviceRow,
    update: StreamUpdate,
    result: IngestResult,
    now: datetime,
    tz: ZoneInfo,
    pending: _Pending | None = None,
) -> None:
    """Record what one batch produced. Minutes and episodes go to ``pending`` when given (the
    group path writes every device's at once), else straight away; alerts are ORM rows now
    because the caller publishes them with their ids after the commit."""
    own = pending if pending is not None else _Pending()
    for minute in update.minutes:
        own.minutes.append(
            {
                "device_id": device.id,
                "patient_id": device.patient_id,
                "minute_start": _utc(minute.minute_start_s),
                "covered_s": minute.covered_s,
                "neutral_s": minute.neutral_s,
                "flexed_s": minute.flexed_s,
                "severe_s": minute.severe_s,
                "flexion_mean_deg": _finite(minute.flexion_mean_deg),
                "flexion_p90_deg": _finite(minute.flexion_p90_deg),
                "still_s": minute.still_s,
                "moving_s": minute.moving_s,
                "walking_s": minute.walking_s,
                "lying_s": minute.lying_s,
                "alerts": minute.alerts,
                "alerts_escalated": minute.alerts_escalated,
            }
        )
    for episode in update.episodes:
        own.episodes.append(
            {
                "device_id": device.id,
                "patient_id": device.patient_id,
                "start": _utc(episode.start_s),
                "end": _utc(episode.end_s),
                "zone": episode.zone,
                "peak_flexion_deg": episode.peak_flexion_deg,
                "duration_s": episode.duration_s,
                "alerts": episode.alerts,
                "max_level": episode.max_level,
            }
        )
    for alert in update.alerts:
        row = PostureAlert(
            device_id=device.id,
            patient_id=device.patient_id,
            at=_utc(alert.t_s),
            reason=alert.reason,
            zone=alert.zone,
            level=alert.level,
            message=alert.message,
            delivered=feedback_allowed(device.settings or {}, at=now, tz=tz),
        )
        session.add(row)
        result.alerts.append(row)
    if update.frames is not None and len(update.frames.t_end):
        frames = update.frames
        result.live = {
            "t": float(frames.t_end[-1]),
            "flexion_deg": _finite(float(frames.flexion_deg[-1])),
            "lateral_deg": _finite(float(frames.lateral_deg[-1])),
            "zone": ["neutral", "flexed", "severe"][int(frames.zone[-1])],
        }
    if pending is None:
        _write_pending(session, own)


def _minute_key(device_id: int, start: datetime) -> tuple[int, datetime]:
    """(device, minute) comparable whether the engine returned the time zone-aware or not."""
    if start.tzinfo is not None:
        start = start.astimezone(UTC).replace(tzinfo=None)
    return device_id, start


def _write_pending(session: Session, pending: _Pending) -> None:
    """Insert the minutes and episodes with one statement each (at N devices every wall-clock
    minute closes for all of them in the same second: row-by-row ORM inserts, each after an
    autoflushing look-up, made that second's group hundreds of milliseconds long). A minute
    already stored (a device resuming within a finalised minute) is merged instead."""
    if pending.minutes:
        device_ids = {row["device_id"] for row in pending.minutes}
        starts = {row["minute_start"] for row in pending.minutes}
        existing = {
            _minute_key(m.device_id, m.minute_start): m
            for m in session.scalars(
                select(PostureMinute).where(
                    PostureMinute.device_id.in_(device_ids),
                    PostureMinute.minute_start.in_(starts),
                )
            )
        }
        fresh: list[dict[str, Any]] = []
        for row in pending.minutes:
            stored = existing.get(_minute_key(row["device_id"], row["minute_start"]))
            if stored is None:
                fresh.append(row)
            else:
                _merge_minute(stored, PostureMinute(**row))
        if fresh:
            session.execute(sql_insert(_MINUTES), fresh)
    if pending.episodes:
        session.execute(sql_insert(_EPISODES), pending.episodes)
    pending.minutes.clear()
    pending.episodes.clear()


def _merge_minute(existing: PostureMinute, more: PostureMinute) -> None:
    """A device that resumes within the minute its session was finalised in (a phone back
    online, a restart longer than ``posture_idle_s``) produces that minute a second time: add
    the two parts instead of refusing the batch. Seconds and counts add exactly; the mean is
    weighted by covered time; the p90 of the union is not recoverable from two p90s, so the
    larger one is kept (conservative: it never understates flexion)."""
    total = existing.covered_s + more.covered_s
    if existing.flexion_mean_deg is None or more.flexion_mean_deg is None:
        existing.flexion_mean_deg = (
            existing.flexion_mean_deg if more.flexion_mean_deg is None else more.flexion_mean_deg
        )
    elif total > 0:
        existing.flexion_mean_deg = (
            existing.flexion_mean_deg * existing.covered_s + more.flexion_mean_deg * more.covered_s
        ) / total
    p90s = [v for v in (existing.flexion_p90_deg, more.flexion_p90_deg) if v is not None]
    existing.flexion_p90_deg = max(p90s) if p90s else None
    for name in (
        "covered_s",
        "neutral_s",
        "flexed_s",
        "severe_s",
        "still_s",
        "moving_s",
        "walking_s",
        "lying_s",
        "alerts",
        "alerts_escalated",
    ):
        setattr(existing, name, getattr(existing, name) + getattr(more, name))


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _parse_quiet_hours(value: Any) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part) for part in value)
    except (TypeError, ValueError):
        raise InvalidInput("quiet_hours", 'must be ["HH:MM", "HH:MM"] or null') from None
    return start, end


def feedback_allowed(settings: dict[str, Any], *, at: datetime, tz: ZoneInfo) -> bool:
    """Live feedback is held back while snoozed or within quiet hours (patient's local time)."""
    snooze = settings.get("snooze_until")
    if snooze and datetime.fromisoformat(snooze) > at:
        return False
    quiet = settings.get("quiet_hours")
    if not quiet:
        return True
    start, end = _parse_quiet_hours(quiet)
    local = at.astimezone(tz).time()
    inside = start <= local < end if start <= end else (local >= start or local < end)
    return not inside


def snooze(
    session: Session, *, device: Device, minutes: int, now: datetime | None = None
) -> Device:
    if not 1 <= minutes <= 24 * 60:
        raise InvalidInput("minutes", "must be between 1 and 1440")
    until = (now or utcnow()) + timedelta(minutes=minutes)
    return update_device_settings(
        session, device=device, changes={"snooze_until": until.isoformat()}
    )


# --- reading posture data ----------------------------------------------------------------------


@dataclass(frozen=True)
class PostureTotals:
    neutral_s: float
    flexed_s: float
    severe_s: float
    worn_s: float
    alerts: int


def totals(session: Session, *, patient_id: int, start: datetime, end: datetime) -> PostureTotals:
    """Sums of the per-minute aggregates whose minute starts in [start, end)."""
    row = session.execute(
        select(
            func.coalesce(func.sum(PostureMinute.neutral_s), 0.0),
            func.coalesce(func.sum(PostureMinute.flexed_s), 0.0),
            func.coalesce(func.sum(PostureMinute.severe_s), 0.0),
            func.coalesce(func.sum(PostureMinute.covered_s), 0.0),
        ).where(
            PostureMinute.patient_id == patient_id,
            PostureMinute.minute_start >= start,
            PostureMinute.minute_start < end,
        )
    ).one()
    alerts = session.scalar(
        select(func.count(PostureAlert.id)).where(
            PostureAlert.patient_id == patient_id, PostureAlert.at >= start, PostureAlert.at < end
        )
    )
    return PostureTotals(
        float(row[0]), float(row[1]), float(row[2]), float(row[3]), int(alerts or 0)
    )


def minutes(
    session: Session,
    *,
    patient_id: int,
    start: datetime,
    end: datetime,
    offset: int = 0,
    limit: int = 1440,
) -> list[PostureMinute]:
    return list(
        session.scalars(
            select(PostureMinute)
            .where(
                PostureMinute.patient_id == patient_id,
                PostureMinute.minute_start >= start,
                PostureMinute.minute_start < end,
            )
            .order_by(PostureMinute.minute_start, PostureMinute.id)
            .offset(offset)
            .limit(limit)
        )
    )


def episodes(
    session: Session, *, patient_id: int, start: datetime, end: datetime, limit: int = 500
) -> list[PostureEpisode]:
    return list(
        session.scalars(
            select(PostureEpisode)
            .where(
                PostureEpisode.patient_id == patient_id,
                PostureEpisode.start >= start,
                PostureEpisode.start < end,
            )
            .order_by(PostureEpisode.start)
            .limit(limit)
        )
    )


def alerts(
    session: Session, *, patient_id: int, start: datetime, end: datetime, limit: int = 500
) -> list[PostureAlert]:
    return list(
        session.scalars(
            select(PostureAlert)
            .where(
                PostureAlert.patient_id == patient_id,
                PostureAlert.at >= start,
                PostureAlert.at < end,
            )
            .order_by(PostureAlert.at.desc())
            .limit(limit)
        )
    )


def respond_to_alert(
    session: Session, *, patient_id: int, alert_id: int, response: str
) -> PostureAlert:
    if response not in ("dismissed", "corrected"):
        raise InvalidInput("response", "must be dismissed or corrected")
    alert = session.scalar(
        select(PostureAlert).where(
            PostureAlert.id == alert_id, PostureAlert.patient_id == patient_id
        )
    )
    if alert is None:
        raise NotFound("alert not found")
    alert.response = response
    session.flush()
    return alert


# --- the posture overview shown to patients and clinicians ---------------------------------------

GOAL_FLEXED_SHARE = 0.30  # a good day: at most 30 % of worn time flexed or severe (app default)
GOAL_MIN_WEAR_S = 3600.0  # … on a day with at least an hour of wear


@dataclass
class PostureOverview:
    today: str
    today_minutes: list[tuple[int, dict[str, float]]]
    today_totals: PostureTotals
    days: list[Any]  # posture.summary.DailySummary, oldest first
    heatmap_min: list[list[float]]  # weekday x hour, mean flexed minutes per day
    streak_days: int
    goal_met_today: bool | None
    recommendations: list[Any]  # posture.recommend.Recommendation
    last_alert: PostureAlert | None
    devices: list[Device]


def overview(
    session: Session, *, patient: Patient, now: datetime | None = None, days: int = 28
) -> PostureOverview:
    from spinewise.posture.recommend import recommend
    from spinewise.posture.summary import MinuteAggregate, daily_summaries

    now = now or utcnow()
    tz = ZoneInfo(patient.timezone)
    local_now = now.astimezone(tz)
    today_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    window_start = (today_start - timedelta(days=days - 1)).astimezone(UTC)
    rows = minutes(
        session,
        patient_id=patient.id,
        start=window_start,
        end=now + timedelta(minutes=1),
        limit=days * 1440 * 2,
    )
    aggregates = [
        MinuteAggregate(
            minute_start_s=m.minute_start.timestamp(),
            covered_s=m.covered_s,
            samples=0,
            neutral_s=m.neutral_s,
            flexed_s=m.flexed_s,
            severe_s=m.severe_s,
            flexion_mean_deg=m.flexion_mean_deg,
            flexion_p90_deg=m.flexion_p90_deg,
            still_s=m.still_s,
            moving_s=m.moving_s,
            walking_s=m.walking_s,
            lying_s=m.lying_s,
            alerts=m.alerts,
            alerts_escalated=m.alerts_escalated,
        )
        for m in rows
    ]
    offset = local_now.utcoffset()
    offset_s = offset.total_seconds() if offset is not None else 0.0
    summaries = daily_summaries(aggregates, utc_offset_s=offset_s)
    today_iso = local_now.date().isoformat()
    today_minutes = [
        (
            int((m.minute_start.astimezone(tz) - today_start).total_seconds() // 60),
            {"neutral": m.neutral_s, "flexed": m.flexed_s, "severe": m.severe_s},
        )
        for m in rows
        if m.minute_start.astimezone(tz).date() == local_now.date()
    ]
    heat = [[0.0] * 24 for _ in range(7)]
    weekday_days = [0] * 7
    for day in summaries:
        weekday = datetime.fromisoformat(day.date).weekday()
        weekday_days[weekday] += 1
        for hour, seconds in enumerate(day.flexed_s_by_hour):
            heat[weekday][hour] += seconds / 60.0
    heat = [[v / max(1, weekday_days[d]) for v in row] for d, row in enumerate(heat)]

    def good(day: Any) -> bool:
        return bool(day.wear_s >= GOAL_MIN_WEAR_S and day.flexed_share <= GOAL_FLEXED_SHARE)

    by_date = {d.date: d for d in summaries}
    streak = 0
    cursor = local_now.date()
    if today_iso in by_date and not good(by_date[today_iso]):
        streak = 0
    else:
        if today_iso not in by_date or not good(by_date[today_iso]):
            cursor -= timedelta(days=1)  # today still open: count from yesterday
        while cursor.isoformat() in by_date and good(by_date[cursor.isoformat()]):
            streak += 1
            cursor -= timedelta(days=1)
    week_start = (today_start - timedelta(days=6)).astimezone(UTC)
    last_week = [
        d for d in summaries if d.date >= (local_now.date() - timedelta(days=6)).isoformat()
    ]
    dismissed = session.scalar(
        select(func.count(PostureAlert.id)).where(
            PostureAlert.patient_id == patient.id,
            PostureAlert.at >= week_start,
            PostureAlert.response == "dismissed",
        )
    )
    last_alert = session.scalar(
        select(PostureAlert)
        .where(PostureAlert.patient_id == patient.id)
        .order_by(PostureAlert.at.desc())
        .limit(1)
    )
    today_day = by_date.get(today_iso)
    return PostureOverview(
        today=today_iso,
        today_minutes=today_minutes,
        today_totals=totals(
            session,
            patient_id=patient.id,
            start=today_start.astimezone(UTC),
            end=now + timedelta(minutes=1),
        ),
        days=summaries,
        heatmap_min=heat,
        streak_days=streak,
        goal_met_today=None
        if today_day is None or today_day.wear_s < GOAL_MIN_WEAR_S
        else good(today_day),
        recommendations=recommend(last_week, dismissed_alerts=int(dismissed or 0)),
        last_alert=last_alert,
        devices=list_devices(session, patient_id=patient.id),
    )


def seed_demo(
    session: Session,
    *,
    patient: Patient,
    scenario: str,
    days: int = 7,
    hours: tuple[int, ...] = (9, 14),
    now: datetime | None = None,
) -> Device | None:
    """Demo posture history: SIMULATED recordings (``posture.simulate``) streamed through the real
    ingestion path, ``segment_s`` from each of ``hours`` on each of the last ``days`` days.

    The device is named "Demo sensor (simulated data)" so nobody mistakes it for a real record.
    Does nothing when the patient already has it.
    """
    from spinewise.posture.simulate import simulate

    name = "Demo sensor (simulated data)"
    if session.scalar(
        select(Device.id).where(Device.patient_id == patient.id, Device.name == name)
    ):
        return None
    device, _ = register_device(session, patient=patient, name=name, kind=DeviceKind.imu_wearable)
    device.settings = {**device.settings, "simulated": True}
    cache = EngineCache()
    tz = ZoneInfo(patient.timezone)
    today = (now or utcnow()).astimezone(tz).date()
    seq = 0
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for index, hour in enumerate(hours):
            start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=tz).timestamp()
            sim = simulate(
                scenario, 25.0, 3600.0, seed=back * 10 + index + patient.id * 1000, start_s=start
            )
            rows = np.column_stack([sim.samples.t, sim.samples.acc, sim.samples.gyr])
            for first in range(0, len(rows), 7500):
                ingest(
                    session,
                    device=device,
                    seq=seq,
                    rows=rows[first : first + 7500].tolist(),
                    cache=cache,
                    timezone=patient.timezone,
                )
                seq += 1
            finalise(session, device=device, cache=cache, timezone=patient.timezone)
    return device
