"""Small server-rendered SVG charts: scores over time and weekly bars.

Charts are drawn on the server so they work on any phone without JavaScript and under
the app's strict Content-Security-Policy. Each chart is an ``<svg role="img">`` with a
``<title>`` and ``<desc>``; pages also print the numbers as a table, which is what a
screen reader reads. Coordinates are in a fixed ``viewBox`` that scales to the width of
the screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH = 420
HEIGHT = 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 10, 22, 30


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[dt.date, float]]
    css_class: str = "series-a"


@dataclass(frozen=True)
class RefLine:
    """A horizontal reference line (e.g. the minimal important change from baseline)."""

    value: float
    label: str
    css_class: str = "ref"


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band between two values (e.g. "change smaller than the MIC")."""

    low: float
    high: float
    label: str


@dataclass
class _Frame:
    y_min: float
    y_max: float
    x_start: dt.date
    x_end: dt.date
    parts: list[str] = field(default_factory=list)

    def x(self, day: dt.date) -> float:
        span = max((self.x_end - self.x_start).days, 1)
        return PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) * (day - self.x_start).days / span

    def y(self, value: float) -> float:
        span = self.y_max - self.y_min or 1.0
        clipped = min(max(value, self.y_min), self.y_max)
        return PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) * (self.y_max - clipped) / span


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _axes(frame: _Frame, y_ticks: Sequence[float], y_label: str) -> None:
    for tick in y_ticks:
        y = frame.y(tick)
        frame.parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(tick)}</text>'
        )
    frame.parts.append(f'<text class="axis-label" x="4" y="{PAD_TOP - 4}">{escape(y_label)}</text>')
    for day, anchor in ((frame.x_start, "start"), (frame.x_end, "end")):
        frame.parts.append(
            f'<text class="tick" x="{frame.x(day):.1f}" y="{HEIGHT - 10}" '
            f'text-anchor="{anchor}">{day.strftime("%d %b")}</text>'
        )


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_min: float,
    y_max: float,
    y_label: str = "",
    y_ticks: Sequence[float] = (),
    ref_lines: Sequence[RefLine] = (),
    bands: Sequence[Band] = (),
) -> str:
    """An SVG line chart of dated values (markers on every point)."""
    days = [d for s in series for d, _ in s.points]
    if not days:
        return ""
    start, end = min(days), max(days)
    if start == end:
        start, end = start - dt.timedelta(days=3), end + dt.timedelta(days=3)
    frame = _Frame(y_min, y_max, start, end)
    for band in bands:
        top, bottom = frame.y(max(band.low, band.high)), frame.y(min(band.low, band.high))
        frame.parts.append(
            f'<rect class="band" x="{PAD_LEFT}" width="{WIDTH - PAD_LEFT - PAD_RIGHT}" '
            f'y="{top:.1f}" height="{max(bottom - top, 0.5):.1f}"><title>{escape(band.label)}</title></rect>'
        )
    _axes(frame, y_ticks or (y_min, (y_min + y_max) / 2, y_max), y_label)
    for line in ref_lines:
        y = frame.y(line.value)
        frame.parts.append(
            f'<line class="{escape(line.css_class)}" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="ref-label" x="{WIDTH - PAD_RIGHT - 4}" y="{y - 4:.1f}" '
            f'text-anchor="end">{escape(line.label)}</text>'
        )
    for s in series:
        ordered = sorted(s.points)
        path = " ".join(f"{frame.x(d):.1f},{frame.y(v):.1f}" for d, v in ordered)
        cls = escape(s.css_class)
        if len(ordered) > 1:
            frame.parts.append(f'<polyline class="line {cls}" points="{path}"/>')
        for d, v in ordered:
            frame.parts.append(
                f'<circle class="dot {cls}" cx="{frame.x(d):.1f}" cy="{frame.y(v):.1f}" r="4">'
                f"<title>{escape(s.name)} {d.isoformat()}: {_num(v)}</title></circle>"
            )
    return _svg(title, description, frame.parts)


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    description: str,
    y_max: float = 100.0,
    y_label: str = "",
    threshold: RefLine | None = None,
    open_last: bool = False,
) -> str:
    """Vertical bars (e.g. adherence % per week); ``None`` is drawn as an empty slot.

    With ``open_last`` the last bar is drawn hatched (a week still in progress).
    """
    if not bars:
        return ""
    frame = _Frame(0.0, y_max, dt.date(2000, 1, 1), dt.date(2000, 1, 2))
    _axes_bars(frame, y_label)
    inner = WIDTH - PAD_LEFT - PAD_RIGHT
    slot = inner / len(bars)
    width = min(slot * 0.7, 60)
    for n, (label, value) in enumerate(bars):
        x = PAD_LEFT + slot * n + (slot - width) / 2
        cls = "bar open" if open_last and n == len(bars) - 1 else "bar"
        if value is not None:
            y = frame.y(value)
            frame.parts.append(
                f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{frame.y(0) - y:.1f}"><title>{escape(label)}: {_num(value)}</title></rect>'
            )
        if len(bars) <= 12 or n % 2 == 0:
            frame.parts.append(
                f'<text class="tick" x="{x + width / 2:.1f}" y="{HEIGHT - 10}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    if threshold is not None:
        y = frame.y(threshold.value)
        frame.parts.append(
            f'<line class="{escape(threshold.css_class)}" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/><text class="ref-label" x="{WIDTH - PAD_RIGHT - 4}" '
            f'y="{y - 4:.1f}" text-anchor="end">{escape(threshold.label)}</text>'
        )
    return _svg(title, description, frame.parts)


def _axes_bars(frame: _Frame, y_label: str) -> None:
    for tick in (0.0, frame.y_max / 2, frame.y_max):
        y = frame.y(tick)
        frame.parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_num(tick)}</text>'
        )
    frame.parts.append(f'<text class="axis-label" x="4" y="{PAD_TOP - 4}">{escape(y_label)}</text>')


def _svg(title: str, description: str, parts: Sequence[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + "".join(parts)
        + "</svg>"
    )
