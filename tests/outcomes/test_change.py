"""Minimal important change (Ostelo et al. 2008; PSFS: Abbott & Schmitt 2014)."""

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.change import MIC, classify_change


def test_thresholds_are_the_published_ones():
    assert (MIC["odi"].points, MIC["odi"].percent) == (10, 30)
    assert (MIC["rmdq"].points, MIC["rmdq"].percent) == (5, 30)
    assert (MIC["nprs"].points, MIC["nprs"].percent) == (2, 30)
    assert (MIC["psfs"].points, MIC["psfs"].percent, MIC["psfs"].better) == (2.3, None, "higher")


@pytest.mark.parametrize(
    ("instrument", "before", "after", "expected"),
    [
        # ODI: 42 → 30 is 12 points better (≥ 10) → improved
        ("odi", 42, 30, "improved"),
        # ODI: 50 → 40 is exactly 10 points → improved (the threshold is inclusive)
        ("odi", 50, 40, "improved"),
        # ODI: 50 → 41 is 9 points and 18 % → unchanged
        ("odi", 50, 41, "unchanged"),
        # ODI: 20 → 14 is 6 points but 6/20 = 30 % → improved by the relative rule
        ("odi", 20, 14, "improved"),
        # ODI: 20 → 15 is 5 points, 25 % → unchanged
        ("odi", 20, 15, "unchanged"),
        # ODI: 30 → 40 is 10 points worse → worsened
        ("odi", 30, 40, "worsened"),
        # ODI: 10 → 16 is 60 % worse but only 6 points → unchanged (worsening is absolute)
        ("odi", 10, 16, "unchanged"),
        # RMDQ: 12 → 7 is 5 points → improved; 12 → 9 is 3 points, 25 % → unchanged
        ("rmdq", 12, 7, "improved"),
        ("rmdq", 12, 9, "unchanged"),
        # RMDQ: 10 → 7 is 3 points but 30 % → improved
        ("rmdq", 10, 7, "improved"),
        ("rmdq", 8, 13, "worsened"),
        # NPRS: 7 → 5 is 2 points → improved; 7 → 6 is 1 point, 14 % → unchanged
        ("nprs", 7, 5, "improved"),
        ("nprs", 7, 6, "unchanged"),
        # NPRS: 3 → 2 is 1 point but 33 % → improved by the relative rule
        ("nprs", 3, 2, "improved"),
        # NPRS: 1 → 2 is 100 % worse but 1 point → unchanged; 4 → 6 → worsened
        ("nprs", 1, 2, "unchanged"),
        ("nprs", 4, 6, "worsened"),
        # PSFS (higher is better): 3.0 → 5.3 is +2.3 → improved; 3.0 → 5.0 unchanged
        ("psfs", 3.0, 5.3, "improved"),
        ("psfs", 3.0, 5.0, "unchanged"),
        ("psfs", 6.0, 3.0, "worsened"),
    ],
)
def test_classification(instrument, before, after, expected):
    assert classify_change(instrument, before, after).classification == expected


def test_prorated_odi_scores_are_compared_like_whole_ones():
    # One section missing at both visits: 16/45 = 35.56 % → 11/45 = 24.44 %,
    # 11.11 points better (≥ 10) → improved.
    before, after = 16 / 45 * 100, 11 / 45 * 100
    assert classify_change("odi", before, after).classification == "improved"


def test_the_assessment_reports_points_and_percent():
    change = classify_change("odi", 40, 28)
    assert change.improvement == 12
    assert change.improvement_pct == pytest.approx(30.0)  # 12 / 40
    assert change.meets_points and change.meets_percent


def test_no_percent_from_a_zero_baseline():
    change = classify_change("nprs", 0, 3)
    assert change.improvement_pct is None
    assert change.classification == "worsened"


@pytest.mark.parametrize(
    ("instrument", "before", "after"),
    [("odi", 101, 20), ("nprs", 5, 11), ("rmdq", -1, 3), ("startback", 3, 4), ("odi", "40", 30)],
)
def test_invalid_inputs_are_refused(instrument, before, after):
    with pytest.raises(InvalidInput):
        classify_change(instrument, before, after)
