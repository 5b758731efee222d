"""The SVG charts say what they show and put each minute and hour where it belongs."""

from spinewise.devices import charts


def test_a_minute_is_drawn_at_its_column_with_zone_shares_stacked() -> None:
    svg = charts.day_timeline(
        [(600, {"neutral": 30.0, "flexed": 30.0, "severe": 0.0})], label="Posture today"
    )
    assert 'aria-label="Posture today"' in svg
    # 30 s of 60 fills half the 48-unit height for each zone: flexed at the top, neutral below.
    assert '<rect x="600" y="24.0" width="1" height="24.0" fill="#c27c0e"/>' in svg
    assert '<rect x="600" y="0.0" width="1" height="24.0" fill="#2e7d4f"/>' in svg


def test_the_heat_map_darkens_with_minutes_and_names_each_cell() -> None:
    grid = [[0.0] * 24 for _ in range(7)]
    grid[0][9] = 30.0
    svg = charts.weekly_heatmap(grid, label="Week")
    assert "<title>Mon 09:00 — 30 min flexed</title>" in svg
    assert 'fill="#b3261e"' in svg  # the busiest cell takes the full colour


def test_bars_label_each_day_with_its_value() -> None:
    svg = charts.daily_bars(
        [("2026-11-27", 2.5), ("2026-11-28", 5.0)], label="Hours worn", unit="h"
    )
    assert "<title>2026-11-27: 2.5 h</title>" in svg and "<title>2026-11-28: 5 h</title>" in svg
