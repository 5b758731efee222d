"""The level chart is plain SVG with a text alternative, scaled so the peak fits the axis."""

from __future__ import annotations

import re

from spinewise.dosing.chart import _nice_ceiling, level_chart_svg


def test_axis_tops_are_round_numbers_at_or_above_the_peak() -> None:
    assert _nice_ceiling(0.0068) == 0.01
    assert _nice_ceiling(0.0036) == 0.005
    assert _nice_ceiling(2.0) == 2.0
    assert _nice_ceiling(2.1) == 2.5
    assert _nice_ceiling(0.0) == 1.0


def test_the_chart_draws_the_level_the_comparison_and_24_pain_bars_with_a_title() -> None:
    hours = [i / 6 for i in range(145)]  # every 10 min over a day
    svg = level_chart_svg(
        hours,
        [0.004] * 145,
        unit="mg/mL",
        label="Simulated morphine level <test>",
        pain=[3.0] * 6 + [8.0] * 4 + [3.0] * 14,
        compare=(hours, [0.002] * 145),
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Simulated morphine level &lt;test&gt;</title>" in svg  # escaped
    polylines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(polylines) == 2 and all(len(p.split()) == 145 for p in polylines)
    assert len(re.findall(r"mean pain \d+/10</title></rect>", svg)) == 24
    # Level 0.004 on an axis topped at 0.005 sits at 80 % of the plot height: the plot runs
    # from y = 280 - 40 = 240 (bottom) up 280 - 34 - 40 = 206 px, so y = 240 - 0.8 x 206.
    first_point = polylines[1].split()[0]
    assert first_point == "64.0,75.2"  # x = the 64 px left margin at 00:00


def test_without_pain_or_comparison_only_the_level_is_drawn() -> None:
    svg = level_chart_svg([0, 24], [1.0, 1.0], unit="mcg/mL", label="flat")
    assert svg.count("<polyline") == 1 and "pain" not in svg
