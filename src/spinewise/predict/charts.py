"""Server-rendered SVG for the decision-support panel (pure: numbers in, markup out).

Two small charts: the probability of response per treatment with its 95 % interval (a forest
plot on a 0-100 % axis) and one patient's feature contributions to the log-odds (diverging
bars around zero). Every chart carries a text alternative (``<title>`` and ``aria-label``)
that states what it shows, so the numbers are available without seeing the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

INK = "#14212b"
MUTED = "#4a5a66"
GRID = "#d5dde2"
UP = "#0f5e6b"  # raises the probability of response
DOWN = "#a85d00"  # lowers it


def response_forest(rows: Sequence[tuple[str, float, float, float]], *, label: str) -> str:
    """One row per treatment: ``(name, probability, low, high)`` with probabilities in 0-1.

    The dot is the model's probability; the line its 95 % interval.
    """
    left, right, row_h, top = 300, 110, 30, 22
    plot_w = 300
    width = left + plot_w + right
    height = top + row_h * len(rows) + 8
    parts = [
        f'<svg class="chart forest" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    for pct in (0, 25, 50, 75, 100):
        x = left + plot_w * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top - 8}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{pct} %</text>'
        )
    for i, (name, p, low, high) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        x_p, x_lo, x_hi = (left + plot_w * _unit(v) for v in (p, low, high))
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(name)}</text>'
        )
        parts.append(
            f'<line x1="{x_lo:.1f}" y1="{y:.1f}" x2="{x_hi:.1f}" y2="{y:.1f}" stroke="{UP}" '
            'stroke-width="3" stroke-linecap="round"/>'
        )
        parts.append(f'<circle cx="{x_p:.1f}" cy="{y:.1f}" r="6" fill="{UP}"/>')
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{y + 4:.1f}" font-size="12" fill="{INK}">'
            f"{p:.0%} ({low:.0%}–{high:.0%})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def contribution_bars(rows: Sequence[tuple[str, float]], *, label: str) -> str:
    """Diverging bars: each ``(feature, log_odds)`` pushes the log-odds up (right) or down
    (left) relative to an average training patient."""
    left, right, row_h, top = 250, 70, 24, 20
    plot_w = 260
    width = left + plot_w + right
    height = top + row_h * len(rows) + 6
    scale = max([abs(v) for _, v in rows] + [0.5])
    zero = left + plot_w / 2
    parts = [
        f'<svg class="chart contributions" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<text x="{zero - 6:.1f}" y="12" font-size="11" text-anchor="end" fill="{DOWN}">'
        "← lowers</text>",
        f'<text x="{zero + 6:.1f}" y="12" font-size="11" fill="{UP}">raises →</text>',
        f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{height - 2}" '
        f'stroke="{MUTED}"/>',
    ]
    for i, (name, value) in enumerate(rows):
        y = top + row_h * i
        w = plot_w / 2 * abs(value) / scale
        x = zero if value >= 0 else zero - w
        colour = UP if value >= 0 else DOWN
        parts.append(
            f'<text x="{left - 10}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(name)}</text>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1.0):.1f}" height="{row_h - 8}" '
            f'rx="2" fill="{colour}"><title>{escape(name)}: {value:+.2f} log-odds</title></rect>'
        )
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{y + 15}" font-size="11" fill="{MUTED}">'
            f"{value:+.2f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))
