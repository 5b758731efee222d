"""Sustained-posture episodes and the feedback alerts they trigger.

Two kinds of run are tracked over the final (debounced) zones: *flexed* — flexion at or
above the neutral threshold (zone flexed or severe) — and *severe* — zone severe. A run
becomes an **episode** when its covered time reaches the holding time of its kind
(``FeedbackRules``: 60 s flexed, 4 s severe by default, in the spirit of ISO 11226). A
severe episode usually lies inside a flexed one; both are reported.

**Alerts**: the first alert of a run fires when the holding time is reached, unless an
alert of the same kind fired less than ``cooldown_s`` earlier (it then fires when the
cooldown ends, if the posture is still held). If the posture is still held
``escalate_after_s`` after an alert, the alert repeats one level higher, up to
``max_level``: escalation is how the engine sees an alert being ignored. Reasons are stable
codes (``flexed_held``, ``severe_held``, ``…_escalated``) for scripts; messages are text.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.posture.config import FeedbackRules, ZoneThresholds

KINDS = ("flexed", "severe")
_NEVER = -1e300  # finite "minus infinity", so that the state stays valid JSON


@dataclass(frozen=True)
class Episode:
    start_s: float
    end_s: float
    zone: str  # "flexed" (≥ neutral threshold) or "severe"
    peak_flexion_deg: float
    duration_s: float  # covered time (equals end − start without gaps)
    alerts: int
    max_level: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Alert:
    t_s: float
    reason: str
    zone: str
    level: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Run:
    """State of one kind of run."""

    def __init__(self) -> None:
        self.active = False
        self.start_s = 0.0
        self.ns = 0
        self.end_s = 0.0
        self.peak = _NEVER
        self.level = 0
        self.alerts = 0
        self.alert_ns = 0  # covered time of the run at its last alert
        self.last_alert_s = _NEVER  # across runs, for the cooldown


class FeedbackTracker:
    """Turns final per-frame zones into episodes and alerts, incrementally."""

    def __init__(self, rules: FeedbackRules, thresholds: ZoneThresholds) -> None:
        self.rules = rules
        self.thresholds = thresholds
        self.runs = {kind: _Run() for kind in KINDS}
        self.hold_ns = {
            "flexed": round(rules.flexed_hold_s * 1e9),
            "severe": round(rules.severe_hold_s * 1e9),
        }

    def push(
        self,
        t_end: NDArray[np.float64],
        dur_ns: NDArray[np.int64],
        seg_start: NDArray[np.bool_],
        zone: NDArray[np.int8],
        flexion_deg: NDArray[np.float64],
    ) -> tuple[list[Episode], list[Alert]]:
        episodes: list[Episode] = []
        alerts: list[Alert] = []
        for kind, mask in (("flexed", zone >= 1), ("severe", zone == 2)):
            self._push_kind(kind, mask, t_end, dur_ns, seg_start, flexion_deg, episodes, alerts)
        alerts.sort(key=lambda a: (a.t_s, a.zone))
        episodes.sort(key=lambda e: (e.end_s, e.zone))
        return episodes, alerts

    def flush(self) -> list[Episode]:
        out = []
        for kind in KINDS:
            ep = self._end(kind)
            if ep is not None:
                out.append(ep)
        return out

    def _end(self, kind: str) -> Episode | None:
        run = self.runs[kind]
        if not run.active:
            return None
        run.active = False
        if run.ns < self.hold_ns[kind]:
            return None
        return Episode(
            start_s=run.start_s,
            end_s=run.end_s,
            zone=kind,
            peak_flexion_deg=float(run.peak),
            duration_s=run.ns / 1e9,
            alerts=run.alerts,
            max_level=run.level,
        )

    def _push_kind(
        self,
        kind: str,
        mask: NDArray[np.bool_],
        t_end: NDArray[np.float64],
        dur_ns: NDArray[np.int64],
        seg_start: NDArray[np.bool_],
        flexion: NDArray[np.float64],
        episodes: list[Episode],
        alerts: list[Alert],
    ) -> None:
        n = mask.shape[0]
        if n == 0:
            return
        run = self.runs[kind]
        # Boundaries: where the mask changes or a segment starts.
        edge = np.empty(n, dtype=bool)
        edge[0] = True
        np.not_equal(mask[1:], mask[:-1], out=edge[1:])
        edge |= seg_start
        starts = np.flatnonzero(edge)
        bounds = np.append(starts, n).tolist()
        for a, b in itertools.pairwise(bounds):
            inside = bool(mask[a])
            new_run = a > 0 or bool(seg_start[a]) or not run.active
            if run.active and (not inside or new_run):
                ep = self._end(kind)
                if ep is not None:
                    episodes.append(ep)
            if not inside:
                continue
            if not run.active:
                run.active = True
                run.start_s = float(t_end[a] - dur_ns[a] * 1e-9)
                run.ns = 0
                run.peak = _NEVER
                run.level = 0
                run.alerts = 0
            cum = run.ns + np.cumsum(dur_ns[a:b])
            run.peak = max(run.peak, float(flexion[a:b].max()))
            run.end_s = float(t_end[b - 1])
            self._alerts(kind, run, cum, t_end[a:b], alerts)
            run.ns = int(cum[-1])

    def _alerts(
        self,
        kind: str,
        run: _Run,
        cum: NDArray[np.int64],
        t_end: NDArray[np.float64],
        alerts: list[Alert],
    ) -> None:
        rules = self.rules
        while run.level < rules.max_level:
            if run.level == 0:
                ok = (cum >= self.hold_ns[kind]) & (t_end >= run.last_alert_s + rules.cooldown_s)
            else:
                ok = cum >= run.alert_ns + round(rules.escalate_after_s * 1e9)
            hits = np.flatnonzero(ok)
            if hits.size == 0:
                return
            i = int(hits[0])
            run.level += 1
            run.alerts += 1
            run.alert_ns = int(cum[i])
            t = float(t_end[i])
            run.last_alert_s = t
            alerts.append(self._make_alert(kind, run.level, t, run.alert_ns))

    def _make_alert(self, kind: str, level: int, t_s: float, held_ns: int) -> Alert:
        th = self.thresholds
        what = (
            f"flexion ≥ {th.neutral_max_deg:g}°"
            if kind == "flexed"
            else f"severe flexion > {th.severe_min_deg:g}°"
        )
        held = f"held {held_ns / 1e9:.0f} s"
        if level == 1:
            return Alert(
                t_s, f"{kind}_held", kind, 1, f"{what} {held}: straighten up or change position"
            )
        return Alert(
            t_s,
            f"{kind}_held_escalated",
            kind,
            level,
            f"{what} still {held} after an alert (level {level})",
        )

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        return {kind: dict(vars(run)) for kind, run in self.runs.items()}

    def set_state(self, state: dict[str, Any]) -> None:
        for kind, values in state.items():
            run = _Run()
            for key, value in values.items():
                setattr(run, key, value)
            self.runs[kind] = run
