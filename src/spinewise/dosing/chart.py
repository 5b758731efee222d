"""Server-rendered SVG of the simulated level over a day beside the hourly pain profile (pure).

SVG needs no script (the page's CSP allows none inline), prints on the programming sheet and
scales to any screen. The chart carries a text alternative (``<title>``/``aria-label``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 48, 34, 40  # margins (px) around the plot area
LEVEL_COLOUR = "#0f5e6b"
COMPARE_COLOUR = "#6b7780"
PAIN_COLOUR = "#b3261e"


def _nice_ceiling(value: float) -> float:
    """1, 2, 2.5 or 5 × a power of ten at or above ``value`` (axis top)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-12):
            return step * power
    return 10 * power


def _x(hour: float) -> float:
    return LEFT + hour / 24.0 * (WIDTH - LEFT - RIGHT)


def _y(fraction: float) -> float:
    return HEIGHT - BOTTOM - fraction * (HEIGHT - TOP - BOTTOM)


def _polyline(hours: Sequence[float], values: Sequence[float], top: float) -> str:
    return " ".join(f"{_x(h):.1f},{_y(v / top):.1f}" for h, v in zip(hours, values, strict=True))


def level_chart_svg(
    hours: Sequence[float],
    levels: Sequence[float],
    *,
    unit: str,
    label: str,
    pain: Sequence[float] | None = None,
    compare: tuple[Sequence[float], Sequence[float]] | None = None,
    level_name: str = "this programme",
    compare_name: str = "active programme",
) -> str:
    """Level (line, left axis, ``unit``) over one day, optional comparison (dashed) and the
    hourly pain profile (bars, right axis 0-10). ``hours`` run from 0 to 24."""
    peak = max([*levels, *(compare[1] if compare else [])], default=0.0)
    top = _nice_ceiling(peak)
    parts = [
        f'<svg class="chart level-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{HEIGHT - TOP - BOTTOM}" fill="#fbfcfd" stroke="#d5dde2"/>',
    ]
    if pain is not None:
        bar_w = (WIDTH - LEFT - RIGHT) / 24.0
        for hour, value in enumerate(pain):
            h = value / 10.0 * (HEIGHT - TOP - BOTTOM)
            parts.append(
                f'<rect x="{_x(hour) + 1:.1f}" y="{HEIGHT - BOTTOM - h:.1f}" '
                f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{PAIN_COLOUR}" '
                f'fill-opacity="0.18"><title>{hour:02d}:00 mean pain {value:g}/10</title></rect>'
            )
        for tick in (0, 5, 10):
            parts.append(
                f'<text x="{WIDTH - RIGHT + 6}" y="{_y(tick / 10) + 4:.1f}" font-size="12" '
                f'fill="{PAIN_COLOUR}">{tick}</text>'
            )
        parts.append(
            f'<text x="{WIDTH - 6}" y="{TOP - 12}" font-size="12" text-anchor="end" '
            f'fill="{PAIN_COLOUR}">pain 0-10</text>'
        )
    for i in range(5):
        value = top * i / 4
        y = _y(i / 4)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#e3e8eb"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#4a5a66">{value:.3g}</text>'
        )
    parts.append(
        f'<text x="{LEFT - 56}" y="{TOP - 12}" font-size="12" fill="#4a5a66">'
        f"level ({escape(unit)})</text>"
    )
    for hour in range(0, 25, 3):
        x = _x(hour)
        parts.append(
            f'<line x1="{x:.1f}" y1="{HEIGHT - BOTTOM}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM + 5}" '
            f'stroke="#4a5a66"/><text x="{x:.1f}" y="{HEIGHT - BOTTOM + 19}" font-size="12" '
            f'text-anchor="middle" fill="#4a5a66">{hour:02d}:00</text>'
        )
    if compare is not None:
        parts.append(
            f'<polyline points="{_polyline(compare[0], compare[1], top)}" fill="none" '
            f'stroke="{COMPARE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    parts.append(
        f'<polyline points="{_polyline(hours, levels, top)}" fill="none" '
        f'stroke="{LEVEL_COLOUR}" stroke-width="2.5"/>'
    )
    legend_y = HEIGHT - 6
    parts.append(
        f'<line x1="{LEFT}" y1="{legend_y - 4}" x2="{LEFT + 24}" y2="{legend_y - 4}" '
        f'stroke="{LEVEL_COLOUR}" stroke-width="2.5"/><text x="{LEFT + 30}" y="{legend_y}" '
        f'font-size="12" fill="#14212b">{escape(level_name)}</text>'
    )
    if compare is not None:
        parts.append(
            f'<line x1="{LEFT + 220}" y1="{legend_y - 4}" x2="{LEFT + 244}" y2="{legend_y - 4}" '
            f'stroke="{COMPARE_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 250}" y="{legend_y}" font-size="12" fill="#14212b">'
            f"{escape(compare_name)}</text>"
        )
    if pain is not None:
        parts.append(
            f'<rect x="{LEFT + 440}" y="{legend_y - 10}" width="14" height="10" '
            f'fill="{PAIN_COLOUR}" fill-opacity="0.3"/><text x="{LEFT + 460}" y="{legend_y}" '
            f'font-size="12" fill="#14212b">mean pain by hour</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
