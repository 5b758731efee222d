"""Server-rendered SVG charts of robotic sessions (pure: numbers in, markup out).

- :func:`trace_chart`: trunk angle against the target over a session, the clinician's angle
  limits, the time in a safe state shaded and the first stop marked; the assistance gain below.
- :func:`repetition_chart`: per repetition, the robot's assistance gain next to the patient's
  share of the positive work (both 0–1), so weaning and effort read side by side.
- :func:`trend_chart`: the same two numbers per session across sessions.

Every chart carries a text alternative (``<title>`` and ``aria-label``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

ANGLE = "#0f5e6b"
TARGET = "#8a5300"
LIMIT = "#a1191b"
ASSIST = "#5b3f99"
WORK = "#1e6b3a"
SAFE = "#f8dcdc"
MUTED = "#4a5a66"


def _polyline(points: Sequence[tuple[float, float]], colour: str, *, dash: str = "") -> str:
    if len(points) < 2:
        return ""
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.8"'
        f' stroke-linejoin="round"{dashed}/>'
    )


def _segments(
    xs: Sequence[float | None], ys: Sequence[float | None]
) -> list[list[tuple[float, float]]]:
    """Runs of defined points (a gap where a value is undefined)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, y))
    return [run for run in runs if run]


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def trace_chart(
    trace: dict[str, Any],
    *,
    limits_deg: Sequence[float],
    stop_t_s: float | None = None,
    stop_label: str = "",
    label: str,
) -> str:
    """Angle and target (degrees) over time with limits, safe-state shading and the stop."""
    t = [v for v in trace.get("t_s", [])]
    if not t:
        return ""
    width, left, right, top = 760, 48, 12, 14
    angle_h, gap, assist_h, bottom = 210, 26, 60, 26
    height = top + angle_h + gap + assist_h + bottom
    t_end = max(t[-1], 1e-6)
    lo, hi = float(limits_deg[0]), float(limits_deg[1])
    values = [v for key in ("angle_deg", "target_deg") for v in trace[key] if v is not None]
    y_min = min([lo, *values]) - 3.0
    y_max = max([hi, *values]) + 3.0

    def x_of(time_s: float) -> float:
        return left + (time_s / t_end) * (width - left - right)

    def y_of(angle: float) -> float:
        return top + (y_max - angle) / (y_max - y_min) * angle_h

    assist_top = top + angle_h + gap

    def y_assist(value: float) -> float:
        return assist_top + (1.0 - value) * assist_h

    parts = [
        f'<svg class="chart trace" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    # Safe state (mode other than "run") shaded over both panels.
    modes = trace.get("mode") or ["run"] * len(t)
    start: float | None = None
    for time_s, mode in [*zip(t, modes, strict=True), (t_end, "end")]:
        if mode not in ("run", "end") and start is None:
            start = time_s
        elif mode in ("run", "end") and start is not None:
            parts.append(
                f'<rect x="{x_of(start):.1f}" y="{top}" width="{x_of(time_s) - x_of(start):.1f}"'
                f' height="{assist_top + assist_h - top}" fill="{SAFE}"/>'
            )
            start = None
    step = _nice_step(y_max - y_min)
    tick = math.ceil(y_min / step) * step
    while tick <= y_max:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e8eb"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="{MUTED}">{tick:g}°</text>'
        )
        tick += step
    for value, name in ((lo, "lower limit"), (hi, "upper limit")):
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{LIMIT}"'
            f' stroke-width="1.5" stroke-dasharray="6 4"><title>{name} {value:g}°</title></line>'
            f'<text x="{width - right - 2}" y="{y - 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="{LIMIT}">limit {value:g}°</text>'
        )
    # The target means nothing once the monitor has taken over: drawn only while running.
    target = [v if m == "run" else None for v, m in zip(trace["target_deg"], modes, strict=True)]
    for run in _segments(t, target):
        parts.append(_polyline([(x_of(a), y_of(b)) for a, b in run], TARGET, dash="5 3"))
    for run in _segments(t, trace["angle_deg"]):
        parts.append(_polyline([(x_of(a), y_of(b)) for a, b in run], ANGLE))
    # Assistance panel (0–1).
    parts.append(
        f'<rect x="{left}" y="{assist_top}" width="{width - left - right}" height="{assist_h}"'
        f' fill="none" stroke="#e3e8eb"/>'
        f'<text x="{left - 6}" y="{assist_top + 4}" font-size="11" text-anchor="end"'
        f' fill="{MUTED}">1</text>'
        f'<text x="{left - 6}" y="{assist_top + assist_h + 4}" font-size="11" text-anchor="end"'
        f' fill="{MUTED}">0</text>'
        f'<text x="{left + 4}" y="{assist_top - 6}" font-size="11" fill="{ASSIST}">'
        "assistance gain</text>"
    )
    for run in _segments(t, trace.get("assistance", [])):
        parts.append(_polyline([(x_of(a), y_assist(b)) for a, b in run], ASSIST))
    if stop_t_s is not None:
        x = x_of(stop_t_s)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{assist_top + assist_h}"'
            f' stroke="{LIMIT}" stroke-width="2"/>'
            f'<text x="{min(x + 4, width - right - 4):.1f}" y="{top + 12}" font-size="12"'
            f' font-weight="600" fill="{LIMIT}" stroke="#fff" stroke-width="3"'
            f' paint-order="stroke"'
            f' text-anchor="{"end" if x > width * 0.7 else "start"}">'
            f"{escape(stop_label or 'stop')}</text>"
        )
    step_t = _nice_step(t_end)
    tick = 0.0
    while tick <= t_end + 1e-9:
        x = x_of(tick)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle"'
            f' fill="{MUTED}">{tick:g} s</text>'
        )
        tick += step_t
    parts.append("</svg>")
    return "".join(parts)


def _pair_bars(
    groups: Sequence[tuple[str, float | None, float | None]],
    *,
    label: str,
    names: tuple[str, str] = ("assistance gain", "patient work fraction"),
) -> str:
    """Two bars (0–1) per group: assistance and the patient's work fraction."""
    if not groups:
        return ""
    bar, inner, gap, height, bottom, top = 14, 2, 14, 110, 20, 22
    left = 30
    width = left + len(groups) * (2 * bar + inner + gap)
    view_w = max(width, 330)  # room for the legend
    parts = [
        f'<svg class="chart pairs" viewBox="0 0 {view_w} {top + height + bottom}"'
        f' style="max-width: {1.6 * view_w:.0f}px" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{left}" y="6" width="10" height="10" fill="{ASSIST}"/>'
        f'<text x="{left + 14}" y="15" font-size="11" fill="{MUTED}">{escape(names[0])}</text>'
        f'<rect x="{left + 130}" y="6" width="10" height="10" fill="{WORK}"/>'
        f'<text x="{left + 144}" y="15" font-size="11" fill="{MUTED}">{escape(names[1])}</text>',
    ]
    for grid in (0.0, 0.5, 1.0):
        y = top + (1 - grid) * height
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#e3e8eb"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end"'
            f' fill="{MUTED}">{grid:g}</text>'
        )
    for i, (name, assistance, work) in enumerate(groups):
        x = left + gap / 2 + i * (2 * bar + inner + gap)
        for j, (value, colour, what) in enumerate(
            ((assistance, ASSIST, names[0]), (work, WORK, names[1]))
        ):
            if value is None or not math.isfinite(value):
                continue
            h = max(0.0, min(1.0, value)) * height
            parts.append(
                f'<rect x="{x + j * (bar + inner):.1f}" y="{top + height - h:.1f}" width="{bar}"'
                f' height="{h:.1f}" fill="{colour}" rx="2"><title>{escape(name)}: {what}'
                f" {value:.2f}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar + inner / 2:.1f}" y="{top + height + 14}" font-size="10"'
            f' text-anchor="middle" fill="{MUTED}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def repetition_chart(
    repetitions: Sequence[tuple[int, float | None, float | None]], *, label: str
) -> str:
    """(repetition number from 1, assistance, patient work fraction) for each repetition."""
    return _pair_bars([(str(n), a, w) for n, a, w in repetitions], label=label)


def trend_chart(sessions: Sequence[tuple[str, float | None, float | None]], *, label: str) -> str:
    """(short date label, mean assistance, patient work fraction) for each session, oldest
    first."""
    return _pair_bars(
        list(sessions), label=label, names=("mean assistance", "patient work fraction")
    )
