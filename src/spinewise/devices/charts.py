"""Server-rendered SVG charts for posture (pure: numbers in, markup out).

SVG scales to any screen without a script, prints, and stays readable on a phone; every chart
carries a text alternative (``<title>``/``aria-label``) saying what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

ZONE_COLOURS = {"neutral": "#2e7d4f", "flexed": "#c27c0e", "severe": "#b3261e", "none": "#e3e8eb"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_timeline(minute_zones: Sequence[tuple[int, dict[str, float]]], *, label: str) -> str:
    """One day as 1,440 minute columns coloured by zone share (stacked), hours marked below.

    ``minute_zones``: (minute of the local day 0–1439, {"neutral": s, "flexed": s, "severe": s}).
    """
    height, axis = 48, 16
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 1440 {height + axis}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="none">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="1440" height="{height}" fill="{ZONE_COLOURS["none"]}"/>',
    ]
    for minute, zones in minute_zones:
        total = sum(zones.values())
        if total <= 0:
            continue
        y = 0.0
        for zone in ("severe", "flexed", "neutral"):
            share = zones.get(zone, 0.0) / 60.0
            if share <= 0:
                continue
            h = share * height
            parts.append(
                f'<rect x="{minute}" y="{height - y - h:.1f}" width="1" height="{h:.1f}" fill="{ZONE_COLOURS[zone]}"/>'
            )
            y += h
    for hour in range(0, 25, 3):
        x = min(hour * 60, 1439)
        parts.append(f'<line x1="{x}" y1="{height}" x2="{x}" y2="{height + 4}" stroke="#4a5a66"/>')
        anchor = "start" if hour == 0 else "end" if hour == 24 else "middle"
        parts.append(
            f'<text x="{x}" y="{height + axis - 1}" font-size="12" text-anchor="{anchor}" fill="#4a5a66">{hour:02d}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def weekly_heatmap(flexed_min: Sequence[Sequence[float]], *, label: str) -> str:
    """Flexed minutes per hour of day (columns) and weekday (rows, Monday first)."""
    cell, left, top = 24, 40, 18
    peak = max((v for row in flexed_min for v in row), default=0.0) or 1.0
    width, height = left + 24 * cell, top + 7 * cell
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {width} {height + 4}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    for hour in range(0, 24, 3):
        parts.append(
            f'<text x="{left + hour * cell + 2}" y="12" font-size="11" fill="#4a5a66">{hour:02d}</text>'
        )
    for day, row in enumerate(flexed_min):
        y = top + day * cell
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12" fill="#4a5a66">{WEEKDAYS[day]}</text>'
        )
        for hour, value in enumerate(row):
            strength = value / peak
            fill = _blend("#f3f6f7", "#b3261e", strength) if value > 0 else "#f3f6f7"
            parts.append(
                f'<rect x="{left + hour * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" rx="3" fill="{fill}">'
                f"<title>{WEEKDAYS[day]} {hour:02d}:00 — {value:.0f} min flexed</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def daily_bars(
    values: Sequence[tuple[str, float]], *, label: str, unit: str, colour: str = "#0f5e6b"
) -> str:
    """A small bar chart of one number per day (e.g. hours worn, alerts)."""
    bar, gap, height, bottom = 22, 6, 90, 18
    peak = max((v for _, v in values), default=0.0) or 1.0
    width = max(1, len(values)) * (bar + gap)
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height + bottom + 14}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    for i, (day, value) in enumerate(values):
        h = value / peak * height
        x = i * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{14 + height - h:.1f}" width="{bar}" height="{h:.1f}" fill="{colour}" rx="2">'
            f"<title>{escape(day)}: {value:g} {escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2}" y="{14 + height - h - 3:.1f}" font-size="10" text-anchor="middle" fill="#14212b">{value:.3g}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + bottom + 10}" font-size="10" text-anchor="middle" fill="#4a5a66">{escape(day[-2:])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _blend(low: str, high: str, t: float) -> str:
    t = min(1.0, max(0.0, t)) ** 0.7
    a = [int(low[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
