"""From raw samples to posture frames: the only stage that touches every sample.

Samples are grouped into frames aligned to absolute time (``floor(t / frame_s)``), so the
grouping does not depend on how the stream was chunked. Within a frame the accelerometer is
averaged and the gyroscope is *integrated* sample by sample (``Σ ω_k Δt_k``), so no
rotation is lost however fast the sample rate. Each sample stands for the interval since
the previous sample of its segment (``Δt_k``); the first sample of a segment stands for no
time. A step longer than ``MAX_GAP_S`` starts a new segment: nothing is interpolated across.

Times are carried as integer nanoseconds, so every duration sum is exact and independent of
the order of addition — the root of the streaming = batch guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.posture.io import MAX_GAP_S, ImuSamples

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

NS_PER_S = 1_000_000_000


@dataclass
class Frames:
    """A block of frames (all arrays have the frame count as first dimension)."""

    index: IntArray  # floor(t / frame_s), absolute
    t_end: FloatArray  # time of the last sample, s
    dur_ns: IntArray  # covered time, ns (sum of the samples' Δt)
    count: IntArray  # samples in the frame
    seg_start: NDArray[np.bool_]  # the frame opens a new segment
    acc: FloatArray  # (n, 3) mean accelerometer, g
    gyr: FloatArray  # (n, 3) mean gyroscope, deg/s (bias included)
    rot: FloatArray  # (n, 3) integrated gyroscope Σ ω Δt, deg (bias included)

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def take(self, sel: slice | NDArray[np.intp]) -> Frames:
        return Frames(
            self.index[sel], self.t_end[sel], self.dur_ns[sel], self.count[sel],
            self.seg_start[sel], self.acc[sel], self.gyr[sel], self.rot[sel],
        )  # fmt: skip


class FrameBuilder:
    """Stateful grouping of samples into frames; holds back the frame still filling up."""

    def __init__(self, frame_s: float, max_gap_s: float = MAX_GAP_S, batch_s: float = 0.0) -> None:
        self.frame_ns = round(frame_s * NS_PER_S)
        self.batch_s = batch_s  # hold samples until they span this long (fewer, larger calls)
        self.max_gap_ns = round(max_gap_s * NS_PER_S)
        self.last_ns: int | None = None  # time of the last sample before ``pending``
        self.pending: ImuSamples | None = None
        self.samples_seen = 0
        self.segments = 0

    def push(self, samples: ImuSamples, final: bool = False) -> Frames | None:
        """Add samples; return the frames that are complete (all of them if ``final``)."""
        self.samples_seen += len(samples)
        if self.pending is not None and len(self.pending):
            samples = (
                ImuSamples.concatenate([self.pending, samples]) if len(samples) else self.pending
            )
        self.pending = None
        n = len(samples)
        if n == 0:
            return None
        if not final and self.batch_s > 0.0 and samples.t[-1] - samples.t[0] < self.batch_s:
            self.pending = samples
            return None
        t_ns = np.rint(samples.t * NS_PER_S).astype(np.int64)
        prev = np.empty(n, dtype=np.int64)
        prev[1:] = t_ns[:-1]
        prev[0] = t_ns[0] if self.last_ns is None else self.last_ns
        step = t_ns - prev
        gap = step > self.max_gap_ns
        if self.last_ns is None:
            gap[0] = True
        step[gap] = 0
        findex = t_ns // self.frame_ns
        change = np.empty(n, dtype=bool)
        change[0] = True
        np.not_equal(findex[1:], findex[:-1], out=change[1:])
        starts = change.nonzero()[0]
        if not final:
            keep_from = int(starts[-1])
            if keep_from == 0:
                self.pending = samples
                return None
            self.pending = samples.slice(keep_from, n)
            starts = starts[:-1]
            n = keep_from
            samples = samples.slice(0, n)
            t_ns, step, gap, findex = t_ns[:n], step[:n], gap[:n], findex[:n]
        self.last_ns = int(t_ns[n - 1])
        self.segments += int(np.count_nonzero(gap))
        acc_sum = np.add.reduceat(samples.acc, starts, axis=0)
        gyr_sum = np.add.reduceat(samples.gyr, starts, axis=0)
        bounds = np.empty(starts.size + 1, dtype=np.int64)
        bounds[:-1] = starts
        bounds[-1] = n
        count = bounds[1:] - bounds[:-1]
        ends = bounds[1:] - 1
        cum_at_end = np.cumsum(step)[ends]
        dur = cum_at_end.copy()
        dur[1:] -= cum_at_end[:-1]
        inv = 1.0 / count
        gyr_mean = gyr_sum * inv[:, None]
        # A frame opens a segment when its first sample does (gaps exceed a frame).
        return Frames(
            index=findex[starts],
            t_end=samples.t[ends],
            dur_ns=dur,
            count=count,
            seg_start=gap[starts],
            acc=acc_sum * inv[:, None],
            gyr=gyr_mean,
            # Rotation over the frame: mean rate × covered time. Equal to Σ ω_k Δt_k for
            # regular sampling, and it also spans samples lost inside the frame.
            rot=gyr_mean * (dur * 1e-9)[:, None],
        )

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        pending = self.pending
        return {
            "last_ns": self.last_ns,
            "samples_seen": self.samples_seen,
            "segments": self.segments,
            "pending": None
            if pending is None
            else {"t": pending.t, "acc": pending.acc, "gyr": pending.gyr},
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.last_ns = state["last_ns"]
        self.samples_seen = state["samples_seen"]
        self.segments = state["segments"]
        p = state["pending"]
        self.pending = None if p is None else ImuSamples.from_arrays(p["t"], p["acc"], p["gyr"])
