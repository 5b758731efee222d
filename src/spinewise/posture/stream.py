"""The posture engine: one stateful ``PostureStream`` per device, and ``analyze`` for files.

    stream = PostureStream(config)            # per device (per-patient config)
    update = stream.feed(samples)             # any chunk size, e.g. one per 1-s batch
    update.minutes, update.episodes, update.alerts   # new results only
    state = stream.get_state()                # JSON-safe; PostureStream.from_state(state)
    stream.close(); report = stream.report()  # end of recording

Pipeline: samples → 10 Hz frames (``frames``) → tilt filter (``orientation``) →
calibration to neutral (``angles``; frames are held until the calibration window has
passed) → zones and activity with hysteresis and minimum durations (``classify``; frames
are held until their labels are final) → episodes and alerts (``feedback``) → minute
aggregates and running totals (``summary``).

**Streaming equals batch, exactly**: every stage is causal, its state is carried between
calls, frames are aligned to absolute time, durations are integer nanoseconds and all
floating-point reductions run over the same arrays in the same order; so feeding a
recording in any chunking gives bit-for-bit the same minutes, episodes, alerts and report
(``analyze`` is the stream fed once). Memory is bounded by the longest hold-back (the
calibration window, ``min_zone_s``/``min_activity_s`` and the current minute), not by the
recording's length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.posture.angles import NeutralCalibration, trunk_angles
from spinewise.posture.classify import (
    ACTIVITIES,
    LYING,
    ZONES,
    Debouncer,
    activity_codes,
    zone_with_hysteresis,
)
from spinewise.posture.config import PostureConfig
from spinewise.posture.feedback import Alert, Episode, FeedbackTracker
from spinewise.posture.frames import NS_PER_S, FrameBuilder
from spinewise.posture.io import ImuSamples, validate_samples
from spinewise.posture.orientation import TiltFilter
from spinewise.posture.summary import NS_PER_MIN, MinuteAggregate, MinuteAggregator, Totals

STATE_VERSION = 1

Table = dict[str, NDArray[Any]]


def _concat(a: Table | None, b: Table) -> Table:
    if a is None or len(next(iter(a.values()))) == 0:
        return b
    return {k: np.concatenate([a[k], b[k]]) for k in b}


def _take(t: Table, sel: slice) -> Table:
    return {k: v[sel] for k, v in t.items()}


def _rows(t: Table | None) -> int:
    return 0 if t is None else len(next(iter(t.values())))


@dataclass
class FrameOutput:
    """Final per-frame results (only when the stream was built with ``emit_frames``)."""

    t_end: NDArray[np.float64]
    flexion_deg: NDArray[np.float64]
    lateral_deg: NDArray[np.float64]
    zone: NDArray[np.int8]
    activity: NDArray[np.int8]


@dataclass
class StreamUpdate:
    """What one ``feed`` or ``close`` call produced (only new items)."""

    minutes: list[MinuteAggregate] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    frames: FrameOutput | None = None
    calibration: NeutralCalibration | None = None  # set by the call that calibrated


@dataclass(frozen=True)
class PostureReport:
    """Recording-level results; ``to_contract`` is the JSON of DESIGN §5."""

    samples: int
    duration_s: float
    sample_rate_hz: float | None
    segments: int
    time_in_zone_s: dict[str, float]
    activity_s: dict[str, float]
    flexion_deg: dict[str, float | None]
    episodes: list[Episode]
    alerts: list[Alert]
    calibration: NeutralCalibration | None
    gyro_bias_dps: list[float]

    def to_contract(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "duration_s": self.duration_s,
            "sample_rate_hz": self.sample_rate_hz,
            "time_in_zone_s": dict(self.time_in_zone_s),
            "flexion_deg": dict(self.flexion_deg),
            "episodes": [
                {
                    "start_s": e.start_s,
                    "end_s": e.end_s,
                    "zone": e.zone,
                    "peak_flexion_deg": e.peak_flexion_deg,
                }
                for e in self.episodes
            ],
            "alerts": [{"t_s": a.t_s, "reason": a.reason} for a in self.alerts],
        }


class PostureStream:
    """Stateful posture engine for one wearer; see the module docstring."""

    def __init__(
        self,
        config: PostureConfig | None = None,
        *,
        neutral: NeutralCalibration | None = None,
        emit_frames: bool = False,
        keep_history: bool = False,
        batch_s: float = 0.0,
    ) -> None:
        self.config = config or PostureConfig()
        self.emit_frames = emit_frames
        # Keep every episode and alert for report() (files); a long-lived per-device stream
        # leaves it off so that its state stays small: updates carry them as they happen.
        self.keep_history = keep_history
        c = self.config
        if not 0.0 <= batch_s <= 60.0:
            raise InvalidInput("batch_s", "must be between 0 and 60 seconds")
        self.batch_s = batch_s  # > 0: process only once this much has accumulated
        self._frames = FrameBuilder(c.filter.frame_s, batch_s=batch_s)
        self._tilt = TiltFilter(c.filter)
        self._calibration = neutral
        self._cal_buffer: Table | None = None
        self._first_t: float | None = None
        self._last_t: float | None = None
        self._zone_prev = 0
        self._zone_deb = Debouncer(c.zones.min_zone_s)
        self._act_deb = Debouncer(c.filter.min_activity_s)
        self._label_buffer: Table | None = None
        self._zone_ready = np.empty(0, dtype=np.int8)
        self._act_ready = np.empty(0, dtype=np.int8)
        self._feedback = FeedbackTracker(c.feedback, c.zones)
        self._minutes = MinuteAggregator()
        self._totals = Totals()
        self._episodes: list[Episode] = []
        self._alerts: list[Alert] = []
        self._closed = False
        self._config_dict: tuple[PostureConfig, dict[str, Any]] | None = None

    # ------------------------------------------------------------------ public API
    @property
    def calibration(self) -> NeutralCalibration | None:
        return self._calibration

    @property
    def last_t(self) -> float | None:
        """Time of the last sample fed (None before the first); later samples must be newer."""
        return self._last_t

    def feed(self, samples: ImuSamples) -> StreamUpdate:
        """Process a chunk (canonical units, strictly increasing time); any size, even 0."""
        if self._closed:
            raise InvalidInput(None, "the stream is closed")
        validate_samples(samples, self._last_t)
        if len(samples):
            if self._first_t is None:
                self._first_t = float(samples.t[0])
            self._last_t = float(samples.t[-1])
        frames = self._frames.push(samples)
        return self._process(frames, final=False)

    def feed_arrays(
        self, t: NDArray[np.float64], acc: NDArray[np.float64], gyr: NDArray[np.float64]
    ) -> StreamUpdate:
        return self.feed(ImuSamples.from_arrays(t, acc, gyr))

    def close(self) -> StreamUpdate:
        """Flush everything held back; the stream accepts no more samples afterwards."""
        if self._closed:
            return StreamUpdate()
        frames = self._frames.push(
            ImuSamples.from_arrays([], np.empty((0, 3)), np.empty((0, 3))), final=True
        )
        update = self._process(frames, final=True)
        self._closed = True
        return update

    def report(self) -> PostureReport:
        """Totals so far (complete once the stream is closed)."""
        tot = self._totals
        duration_ns = int(tot.zone_ns.sum())
        samples = self._frames.samples_seen
        segments = self._frames.segments
        rate = (samples - segments) / (duration_ns / NS_PER_S) if duration_ns > 0 else None
        return PostureReport(
            samples=samples,
            duration_s=duration_ns / NS_PER_S,
            sample_rate_hz=rate,
            segments=segments,
            time_in_zone_s={z: int(tot.zone_ns[i]) / NS_PER_S for i, z in enumerate(ZONES)},
            activity_s={a: int(tot.act_ns[i]) / NS_PER_S for i, a in enumerate(ACTIVITIES)},
            flexion_deg={
                "p50": tot.percentile(50),
                "p90": tot.percentile(90),
                "max": tot.max_flexion if tot.hist.any() else None,
            },
            episodes=list(self._episodes),
            alerts=list(self._alerts),
            calibration=self._calibration,
            gyro_bias_dps=[float(v) for v in self._tilt.bias],
        )

    # ------------------------------------------------------------------ pipeline
    def _process(self, frames: Any, final: bool) -> StreamUpdate:
        update = StreamUpdate()
        table: Table | None = None
        if frames is not None and len(frames):
            est = self._tilt.process(frames)
            table = {
                "index": frames.index,
                "t_end": frames.t_end,
                "dur_ns": frames.dur_ns,
                "count": frames.count,
                "seg_start": frames.seg_start,
                "up": est.up,
                "acc": frames.acc,
                "accel_var": est.accel_var_g2,
                "still": est.still,
            }
        table = self._calibrate(table, final, update)
        if table is not None and _rows(table):
            self._classify(table)
        self._finalise(final, update)
        return update

    def _calibrate(self, table: Table | None, final: bool, update: StreamUpdate) -> Table | None:
        if self._calibration is not None:
            return table
        if table is not None:
            self._cal_buffer = _concat(self._cal_buffer, table)
        buf = self._cal_buffer
        if buf is None or _rows(buf) == 0:
            return None
        cal = self.config.calibration
        t0 = self._first_t if self._first_t is not None else float(buf["t_end"][0])
        window_end = t0 + cal.end_s
        if not final and not (buf["t_end"][-1] > window_end):
            return None
        t = buf["t_end"]
        in_window = (t >= t0 + cal.start_s) & (t <= window_end)
        if not in_window.any():
            raise InvalidInput(
                "calibrate",
                f"no samples between {cal.start_s:g} s and {cal.end_s:g} s from the start "
                "(the calibration window falls outside the recording or in a gap)",
            )
        # The neutral is the mean accelerometer direction: the wearer is still in the window,
        # and the filter's start-up transient (bias not yet learned) must not shift it.
        acc = buf["acc"][in_window]
        directions = acc / np.linalg.norm(acc, axis=1)[:, None]
        self._calibration = NeutralCalibration.from_up_vectors(directions, cal.max_tilt_deg)
        update.calibration = self._calibration
        self._cal_buffer = None
        return buf

    def _classify(self, table: Table) -> None:
        cal = self._calibration
        assert cal is not None
        up_body = cal.to_body(table["up"])
        flexion, lateral = trunk_angles(up_body)
        zone_raw = zone_with_hysteresis(flexion, self.config.zones, self._zone_prev)
        self._zone_prev = int(zone_raw[-1])
        act_raw = activity_codes(
            up_body, flexion, lateral, table["accel_var"], table["still"], self.config.filter
        )
        dur, seg = table["dur_ns"], table["seg_start"]
        self._zone_ready = np.concatenate(
            [self._zone_ready, self._zone_deb.push(zone_raw, dur, seg)]
        )
        self._act_ready = np.concatenate([self._act_ready, self._act_deb.push(act_raw, dur, seg)])
        table.pop("acc", None)
        keep = {
            "t_end": table["t_end"],
            "dur_ns": dur,
            "count": table["count"],
            "seg_start": seg,
            "flexion": flexion,
            "lateral": lateral,
        }
        self._label_buffer = _concat(self._label_buffer, keep)

    def _finalise(self, final: bool, update: StreamUpdate) -> None:
        if final:
            self._zone_ready = np.concatenate([self._zone_ready, self._zone_deb.flush()])
            self._act_ready = np.concatenate([self._act_ready, self._act_deb.flush()])
        buf = self._label_buffer
        n = min(self._zone_ready.shape[0], self._act_ready.shape[0])
        if buf is not None and n > 0:
            done = _take(buf, slice(0, n))
            self._label_buffer = _take(buf, slice(n, None))
            activity = self._act_ready[:n]
            zone = np.where(activity == LYING, np.int8(0), self._zone_ready[:n]).astype(np.int8)
            self._zone_ready = self._zone_ready[n:]
            self._act_ready = self._act_ready[n:]
            self._account(done, zone, activity, update)
        if final:
            update.episodes.extend(self._feedback.flush())
            update.minutes.extend(self._minutes.flush())
        if self.keep_history:
            self._episodes.extend(update.episodes)

    def _account(
        self, done: Table, zone: NDArray[np.int8], activity: NDArray[np.int8], update: StreamUpdate
    ) -> None:
        t_end, dur, flex = done["t_end"], done["dur_ns"], done["flexion"]
        episodes, alerts = self._feedback.push(t_end, dur, done["seg_start"], zone, flex)
        update.episodes.extend(episodes)
        update.alerts.extend(alerts)
        if self.keep_history:
            self._alerts.extend(alerts)
        alert_minutes = [(round(a.t_s * NS_PER_S) // NS_PER_MIN, a.level) for a in alerts]
        update.minutes.extend(
            self._minutes.push(t_end, dur, done["count"], zone, activity, flex, alert_minutes)
        )
        self._totals.push(dur, zone, activity, flex)
        if self.emit_frames:
            update.frames = FrameOutput(t_end, flex, done["lateral"], zone, activity)

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """A JSON-safe snapshot; ``PostureStream.from_state`` resumes exactly from it."""
        return _to_jsonable(self.get_raw_state())

    def get_raw_state(self) -> dict[str, Any]:
        """The same snapshot with its NumPy arrays left as arrays (not copied: encode it before
        feeding again, and do not modify it). ``posture.state_codec.encode_state`` stores it
        compactly; ``PostureStream.from_state`` accepts it as well as the JSON-safe form."""
        if self._config_dict is None or self._config_dict[0] is not self.config:
            self._config_dict = (self.config, self.config.to_dict())  # asdict is slow
        return {
            "version": STATE_VERSION,
            "config": self._config_dict[1],
            "emit_frames": self.emit_frames,
            "keep_history": self.keep_history,
            "batch_s": self.batch_s,
            "frames": self._frames.get_state(),
            "tilt": self._tilt.get_state(),
            "calibration": None
            if self._calibration is None
            else list(self._calibration.neutral_up),
            "cal_buffer": self._cal_buffer,
            "first_t": self._first_t,
            "last_t": self._last_t,
            "zone_prev": self._zone_prev,
            "zone_deb": self._zone_deb.get_state(),
            "act_deb": self._act_deb.get_state(),
            "label_buffer": self._label_buffer,
            "zone_ready": self._zone_ready,
            "act_ready": self._act_ready,
            "feedback": self._feedback.get_state(),
            "minutes": self._minutes.get_state(),
            "totals": self._totals.get_state(),
            "episodes": [e.to_dict() for e in self._episodes],
            "alerts": [a.to_dict() for a in self._alerts],
            "closed": self._closed,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> PostureStream:
        if state.get("version") != STATE_VERSION:
            raise InvalidInput(
                "state", f"unsupported posture state version {state.get('version')!r}"
            )
        s = _from_jsonable(state)
        cal = None if s["calibration"] is None else NeutralCalibration(tuple(s["calibration"]))
        stream = cls(
            PostureConfig.from_dict(s["config"]),
            neutral=cal,
            emit_frames=s["emit_frames"],
            keep_history=s["keep_history"],
            batch_s=s["batch_s"],
        )
        stream._frames.set_state(s["frames"])
        stream._tilt.set_state(s["tilt"])
        stream._cal_buffer = s["cal_buffer"]
        stream._first_t = s["first_t"]
        stream._last_t = s["last_t"]
        stream._zone_prev = s["zone_prev"]
        stream._zone_deb.set_state(s["zone_deb"])
        stream._act_deb.set_state(s["act_deb"])
        stream._label_buffer = s["label_buffer"]
        stream._zone_ready = np.asarray(s["zone_ready"], dtype=np.int8)
        stream._act_ready = np.asarray(s["act_ready"], dtype=np.int8)
        stream._feedback.set_state(s["feedback"])
        stream._minutes.set_state(s["minutes"])
        stream._totals.set_state(s["totals"])
        stream._episodes = [Episode(**e) for e in s["episodes"]]
        stream._alerts = [Alert(**a) for a in s["alerts"]]
        stream._closed = s["closed"]
        return stream


def _to_jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {
            "__ndarray__": value.dtype.str,
            "shape": list(value.shape),
            "data": value.ravel().tolist(),
        }
    if isinstance(value, dict):
        return {k: _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.asarray(value["data"], dtype=np.dtype(value["__ndarray__"])).reshape(
                value["shape"]
            )
        return {k: _from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v) for v in value]
    return value


def analyze(
    chunks: ImuSamples | Iterable[ImuSamples],
    config: PostureConfig | None = None,
    *,
    neutral: NeutralCalibration | None = None,
) -> PostureReport:
    """Batch analysis: the stream fed with the whole recording (or its chunks) and closed."""
    stream = PostureStream(config, neutral=neutral, keep_history=True)
    for chunk in [chunks] if isinstance(chunks, ImuSamples) else chunks:
        stream.feed(chunk)
    stream.close()
    return stream.report()
