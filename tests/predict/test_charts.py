"""The panel's SVG charts: one mark per number, text alternatives, escaped labels."""

from __future__ import annotations

import re

from spinewise.predict.charts import contribution_bars, response_forest


def test_the_forest_plot_has_a_dot_and_an_interval_per_treatment() -> None:
    svg = response_forest(
        [("Exercise therapy", 0.70, 0.64, 0.76), ("Advice", 0.49, 0.43, 0.57)],
        label="Probability of response",
    )
    assert svg.count("<circle") == 2
    assert 'aria-label="Probability of response"' in svg and "<title>" in svg
    assert "70% (64%–76%)" in svg
    # The 0-100 % axis spans 300 units from x = 300: 70 % lies at 300 + 210 = 510.
    assert '<circle cx="510.0"' in svg


def test_probabilities_outside_zero_and_one_stay_on_the_axis() -> None:
    svg = response_forest([("x", 1.2, -0.1, 1.5)], label="clipped")
    assert '<circle cx="600.0"' in svg  # 300 + 300


def test_contribution_bars_go_right_for_more_likely_and_left_for_less() -> None:
    svg = contribution_bars([("Age: 42", 0.5), ("ODI: 32", -1.0)], label="why")
    rects = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    zero = 250 + 260 / 2  # labels take 250 units, the plot 260, zero in its middle
    (x_up, w_up), (x_down, w_down) = ((float(x), float(w)) for x, w in rects)
    assert x_up == zero and w_up == 65.0  # half of the 130-unit half-width (scale = 1.0)
    assert x_down + w_down == zero and w_down == 130.0
    assert "+0.50" in svg and "-1.00" in svg


def test_labels_are_escaped() -> None:
    svg = contribution_bars([("<script>", 0.1)], label='a "quoted" <label>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="a &quot;quoted&quot; &lt;label&gt;"' in svg
