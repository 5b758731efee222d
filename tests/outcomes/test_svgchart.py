"""Server-rendered SVG charts: points placed by date and value, reference lines, escaping."""

from __future__ import annotations

import datetime as dt
import re

from spinewise.outcomes import svgchart
from spinewise.outcomes.svgchart import RefLine, Series, bar_chart, line_chart


def test_points_are_placed_by_date_and_value() -> None:
    start = dt.date(2026, 1, 1)
    svg = line_chart(
        [Series("ODI", [(start, 40.0), (start + dt.timedelta(days=10), 20.0)])],
        title="ODI",
        description="two scores",
        y_min=0,
        y_max=100,
    )
    circles = [(float(x), float(y)) for x, y in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', svg)]
    left, right = svgchart.PAD_LEFT, svgchart.WIDTH - svgchart.PAD_RIGHT
    top, bottom = svgchart.PAD_TOP, svgchart.HEIGHT - svgchart.PAD_BOTTOM
    # First date at the left edge, last at the right; y = top + (100 − v)/100 × plot height.
    assert circles[0] == (left, round(top + 0.6 * (bottom - top), 1))
    assert circles[1] == (right, round(top + 0.8 * (bottom - top), 1))
    assert '<svg class="chart"' in svg and "<title>ODI</title>" in svg


def test_reference_lines_and_text_are_escaped() -> None:
    svg = line_chart(
        [Series("<b>x</b>", [(dt.date(2026, 1, 1), 5.0)])],
        title="a < b",
        description="d & e",
        y_min=0,
        y_max=10,
        ref_lines=[RefLine(3, "change that matters")],
    )
    assert "a &lt; b" in svg and "d &amp; e" in svg and "<b>" not in svg
    assert "change that matters" in svg


def test_bars_leave_a_gap_for_weeks_without_a_prescription() -> None:
    svg = bar_chart(
        [("W1", 100.0), ("W2", None), ("W3", 50.0)], title="t", description="d", open_last=True
    )
    assert svg.count('<rect class="bar') == 2 and 'class="bar open"' in svg
    assert line_chart([], title="t", description="d", y_min=0, y_max=1) == ""
