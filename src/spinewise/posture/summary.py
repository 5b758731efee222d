"""Per-minute aggregates, running totals, and daily and weekly summaries.

Minutes are aligned to the recording's time base (``floor(t / 60)``); when ``t`` is Unix
time they are wall-clock minutes (UTC), which is what the daily and weekly summaries assume
(pass ``utc_offset_s`` for local days). All durations are accumulated in integer
nanoseconds so the aggregates do not depend on how the stream was chunked.

Percentiles: a minute's p90 is exact over its frames; recording-wide p50/p90 come from a
0.1° histogram (error ≤ 0.05°), so memory stays constant for recordings of any length.
Frames classified as lying are excluded from flexion statistics (their "flexion" is
meaningless) and counted as neutral time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.posture.classify import ACTIVITIES, LYING, ZONES

NS_PER_MIN = 60_000_000_000
HIST_LO_DEG, HIST_BIN_DEG, HIST_BINS = -180.0, 0.1, 3600


@dataclass(frozen=True)
class MinuteAggregate:
    """One minute of posture (JSON-friendly; the unit is in each name)."""

    minute_start_s: float
    covered_s: float
    samples: int
    neutral_s: float
    flexed_s: float
    severe_s: float
    flexion_mean_deg: float | None
    flexion_p90_deg: float | None
    still_s: float
    moving_s: float
    walking_s: float
    lying_s: float
    alerts: int
    alerts_escalated: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _nan_to_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _percentile_linear(values: NDArray[np.float64], q: float) -> float:
    """``np.percentile(values, q)`` (linear interpolation) via one partial sort."""
    rank = q / 100.0 * (values.size - 1)
    lo = math.floor(rank)
    hi = min(lo + 1, values.size - 1)
    part = np.partition(values, (lo, hi))
    return float(part[lo] + (part[hi] - part[lo]) * (rank - lo))


class MinuteAggregator:
    """Accumulates final frames and emits each minute once a later minute begins."""

    def __init__(self) -> None:
        self.minute: int | None = None
        self.zone_ns = np.zeros(3, dtype=np.int64)
        self.act_ns = np.zeros(4, dtype=np.int64)
        self.samples = 0
        self.alerts = 0
        self.escalated = 0
        self.flex: list[NDArray[np.float64]] = []

    def push(
        self,
        t_end: NDArray[np.float64],
        dur_ns: NDArray[np.int64],
        count: NDArray[np.int64],
        zone: NDArray[np.int8],
        activity: NDArray[np.int8],
        flexion_deg: NDArray[np.float64],
        alert_minutes: list[tuple[int, int]],
    ) -> list[MinuteAggregate]:
        """``alert_minutes``: (minute, level) of the alerts raised by these frames."""
        out: list[MinuteAggregate] = []
        n = t_end.shape[0]
        if n == 0:
            return out
        minute = np.floor_divide(np.rint(t_end * 1e9).astype(np.int64), NS_PER_MIN)
        # Per-minute sums for the whole block at once: bincount over (minute, label) keys
        # (integer-valued float sums below 2^53 are exact, whatever the chunking).
        first = int(minute[0])
        rel = minute - first
        n_min = int(rel[-1]) + 1
        zone_ns = np.bincount(rel * 3 + zone, weights=dur_ns, minlength=3 * n_min)
        act_ns = np.bincount(rel * 4 + activity, weights=dur_ns, minlength=4 * n_min)
        samples = np.bincount(rel, weights=count, minlength=n_min)
        zone_ns = zone_ns.astype(np.int64).reshape(n_min, 3)
        act_ns = act_ns.astype(np.int64).reshape(n_min, 4)
        upright = activity != LYING
        change = (rel[1:] != rel[:-1]).nonzero()[0] + 1
        bounds = [0, *change.tolist(), n]
        alerts_by_min: dict[int, list[int]] = {}
        for m, level in alert_minutes:
            alerts_by_min.setdefault(m, []).append(level)
        for a, b in itertools.pairwise(bounds):
            m = int(minute[a])
            if self.minute is not None and m != self.minute:
                out.append(self._emit())
            self.minute = m
            r = m - first
            self.zone_ns += zone_ns[r]
            self.act_ns += act_ns[r]
            self.samples += int(samples[r])
            self.flex.append(flexion_deg[a:b][upright[a:b]])
            levels = alerts_by_min.pop(m, [])
            self.alerts += len(levels)
            self.escalated += sum(1 for level in levels if level > 1)
        return out

    def flush(self) -> list[MinuteAggregate]:
        return [self._emit()] if self.minute is not None else []

    def _emit(self) -> MinuteAggregate:
        flex = np.concatenate(self.flex) if self.flex else np.empty(0)
        mean = float(flex.sum() / flex.size) if flex.size else float("nan")
        p90 = _percentile_linear(flex, 90.0) if flex.size else float("nan")
        zs, acts = self.zone_ns / 1e9, self.act_ns / 1e9
        agg = MinuteAggregate(
            minute_start_s=float(self.minute) * 60.0,  # type: ignore[arg-type]
            covered_s=float(self.zone_ns.sum()) / 1e9,
            samples=self.samples,
            neutral_s=float(zs[0]),
            flexed_s=float(zs[1]),
            severe_s=float(zs[2]),
            flexion_mean_deg=_nan_to_none(mean),
            flexion_p90_deg=_nan_to_none(p90),
            still_s=float(acts[0]),
            moving_s=float(acts[1]),
            walking_s=float(acts[2]),
            lying_s=float(acts[3]),
            alerts=self.alerts,
            alerts_escalated=self.escalated,
        )
        self.__init__()  # type: ignore[misc]
        return agg

    def get_state(self) -> dict[str, Any]:
        return {
            "minute": self.minute,
            "zone_ns": self.zone_ns,
            "act_ns": self.act_ns,
            "samples": self.samples,
            "alerts": self.alerts,
            "escalated": self.escalated,
            "flex": np.concatenate(self.flex) if self.flex else np.empty(0),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.minute = state["minute"]
        self.zone_ns = np.asarray(state["zone_ns"], dtype=np.int64)
        self.act_ns = np.asarray(state["act_ns"], dtype=np.int64)
        self.samples = int(state["samples"])
        self.alerts = int(state["alerts"])
        self.escalated = int(state["escalated"])
        flex = np.asarray(state["flex"], dtype=np.float64)
        self.flex = [flex] if flex.size else []


class Totals:
    """Recording-wide running totals (constant memory)."""

    def __init__(self) -> None:
        self.zone_ns = np.zeros(3, dtype=np.int64)
        self.act_ns = np.zeros(4, dtype=np.int64)
        self.hist = np.zeros(HIST_BINS, dtype=np.int64)
        self.max_flexion = -1e300
        self.frames = 0

    def push(
        self,
        dur_ns: NDArray[np.int64],
        zone: NDArray[np.int8],
        activity: NDArray[np.int8],
        flexion_deg: NDArray[np.float64],
    ) -> None:
        if dur_ns.shape[0] == 0:
            return
        self.frames += int(dur_ns.shape[0])
        self.zone_ns += np.bincount(zone, weights=dur_ns, minlength=3).astype(np.int64)
        self.act_ns += np.bincount(activity, weights=dur_ns, minlength=4).astype(np.int64)
        upright = flexion_deg[activity != LYING]
        if upright.size:
            bins = ((upright - HIST_LO_DEG) * (1.0 / HIST_BIN_DEG)).astype(np.int64)
            np.clip(bins, 0, HIST_BINS - 1, out=bins)
            self.hist += np.bincount(bins, minlength=HIST_BINS)
            self.max_flexion = max(self.max_flexion, float(upright.max()))

    def percentile(self, q: float) -> float | None:
        """Percentile of upright flexion (bin centre, nearest-rank on the histogram)."""
        total = int(self.hist.sum())
        if total == 0:
            return None
        rank = q / 100.0 * (total - 1)
        cum = np.cumsum(self.hist)
        i = int(np.searchsorted(cum, np.floor(rank) + 1))
        return HIST_LO_DEG + (i + 0.5) * HIST_BIN_DEG

    def get_state(self) -> dict[str, Any]:
        return dict(vars(self))

    def set_state(self, state: dict[str, Any]) -> None:
        self.zone_ns = np.asarray(state["zone_ns"], dtype=np.int64)
        self.act_ns = np.asarray(state["act_ns"], dtype=np.int64)
        self.hist = np.asarray(state["hist"], dtype=np.int64)
        self.max_flexion = float(state["max_flexion"])
        self.frames = int(state["frames"])


# --------------------------------------------------------------------------- daily / weekly


@dataclass(frozen=True)
class DailySummary:
    """One day of wear, built from minute aggregates (and the day's episodes)."""

    date: str  # ISO date
    wear_s: float
    neutral_s: float
    flexed_s: float
    severe_s: float
    flexed_share: float  # (flexed + severe) / wear
    flexion_mean_deg: float | None
    typical_minute_p90_deg: float | None  # median over worn minutes of the minute p90
    walking_s: float
    lying_s: float
    longest_static_s: float  # longest run of upright minutes without walking
    alerts: int
    alerts_escalated: int
    episodes_flexed: int
    episodes_severe: int
    flexed_s_by_hour: list[float] = field(default_factory=lambda: [0.0] * 24)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _day_of(minute_start_s: float, utc_offset_s: float) -> tuple[str, int]:
    moment = dt.datetime.fromtimestamp(minute_start_s + utc_offset_s, tz=dt.UTC)
    return moment.date().isoformat(), moment.hour


def daily_summaries(
    minutes: list[MinuteAggregate],
    episodes: list[Any] | None = None,
    utc_offset_s: float = 0.0,
) -> list[DailySummary]:
    """Group minute aggregates (Unix-time based) into calendar days."""
    days: dict[str, list[MinuteAggregate]] = {}
    for m in sorted(minutes, key=lambda m: m.minute_start_s):
        days.setdefault(_day_of(m.minute_start_s, utc_offset_s)[0], []).append(m)
    ep_count: dict[tuple[str, str], int] = {}
    for ep in episodes or []:
        key = (_day_of(ep.start_s, utc_offset_s)[0], ep.zone)
        ep_count[key] = ep_count.get(key, 0) + 1
    out = []
    for date, ms in days.items():
        wear = sum(m.covered_s for m in ms)
        flexed = sum(m.flexed_s for m in ms)
        severe = sum(m.severe_s for m in ms)
        weighted = [(m.flexion_mean_deg, m.covered_s - m.lying_s) for m in ms]
        wsum = sum(w for v, w in weighted if v is not None)
        mean = sum(v * w for v, w in weighted if v is not None) / wsum if wsum > 0 else None
        p90s = [m.flexion_p90_deg for m in ms if m.flexion_p90_deg is not None]
        by_hour = [0.0] * 24
        longest = current = 0.0
        previous_start = None
        for m in ms:
            by_hour[_day_of(m.minute_start_s, utc_offset_s)[1]] += m.flexed_s + m.severe_s
            static = m.walking_s < 0.1 * m.covered_s and m.lying_s < 0.5 * m.covered_s
            contiguous = previous_start is not None and m.minute_start_s - previous_start <= 60.0
            current = (current + m.covered_s if contiguous else m.covered_s) if static else 0.0
            longest = max(longest, current)
            previous_start = m.minute_start_s
        out.append(
            DailySummary(
                date=date,
                wear_s=wear,
                neutral_s=sum(m.neutral_s for m in ms),
                flexed_s=flexed,
                severe_s=severe,
                flexed_share=(flexed + severe) / wear if wear > 0 else 0.0,
                flexion_mean_deg=mean,
                typical_minute_p90_deg=float(np.median(p90s)) if p90s else None,
                walking_s=sum(m.walking_s for m in ms),
                lying_s=sum(m.lying_s for m in ms),
                longest_static_s=longest,
                alerts=sum(m.alerts for m in ms),
                alerts_escalated=sum(m.alerts_escalated for m in ms),
                episodes_flexed=ep_count.get((date, "flexed"), 0),
                episodes_severe=ep_count.get((date, "severe"), 0),
                flexed_s_by_hour=by_hour,
            )
        )
    return out


@dataclass(frozen=True)
class WeeklySummary:
    week_start: str  # ISO date of the first day
    days: int
    wear_s: float
    flexed_share: float
    severe_s: float
    walking_s_per_day: float
    alerts: int
    alerts_escalated: int
    flexed_s_by_hour: list[float]
    flexed_share_first_half: float | None
    flexed_share_second_half: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def weekly_summary(days: list[DailySummary]) -> WeeklySummary:
    """Summarise up to seven daily summaries (sorted by date)."""
    days = sorted(days, key=lambda d: d.date)
    wear = sum(d.wear_s for d in days)
    flexed = sum(d.flexed_s + d.severe_s for d in days)
    by_hour = [sum(d.flexed_s_by_hour[h] for d in days) for h in range(24)]

    def share(part: list[DailySummary]) -> float | None:
        w = sum(d.wear_s for d in part)
        return sum(d.flexed_s + d.severe_s for d in part) / w if w > 0 else None

    half = len(days) // 2
    return WeeklySummary(
        week_start=days[0].date if days else "",
        days=len(days),
        wear_s=wear,
        flexed_share=flexed / wear if wear > 0 else 0.0,
        severe_s=sum(d.severe_s for d in days),
        walking_s_per_day=sum(d.walking_s for d in days) / len(days) if days else 0.0,
        alerts=sum(d.alerts for d in days),
        alerts_escalated=sum(d.alerts_escalated for d in days),
        flexed_s_by_hour=by_hour,
        flexed_share_first_half=share(days[:half]) if half else None,
        flexed_share_second_half=share(days[half:]) if half else None,
    )


__all__ = [
    "ACTIVITIES",
    "ZONES",
    "DailySummary",
    "MinuteAggregate",
    "MinuteAggregator",
    "Totals",
    "WeeklySummary",
    "daily_summaries",
    "weekly_summary",
]
