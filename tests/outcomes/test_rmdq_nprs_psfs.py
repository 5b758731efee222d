"""RMDQ-24 (Roland & Morris 1983), NPRS (Serlin et al. 1995 bands), PSFS (Stratford 1995)."""

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.nprs import nprs_band, score_nprs
from spinewise.outcomes.psfs import score_psfs
from spinewise.outcomes.rmdq import score_rmdq


def test_rmdq_counts_the_statements_that_apply():
    answers = [True] * 7 + [False] * 17  # 7 statements apply → 7 / 24
    assert score_rmdq(answers).score == 7
    assert score_rmdq([False] * 24).score == 0
    assert score_rmdq([True] * 24).score == 24


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([True] * 23, "expected 24 answers, got 23"),
        ([True] * 23 + [1], "expected true or false"),
        ([True] * 23 + [None], "expected true or false"),
    ],
)
def test_rmdq_refuses_anything_but_24_booleans(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score_rmdq(answers)


@pytest.mark.parametrize(
    ("rating", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (4, "mild"),
        (5, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_nprs_bands_use_serlin_cut_points(rating, band):
    assert nprs_band(rating) == band
    assert score_nprs([rating]).to_dict() == {"instrument": "nprs", "score": rating, "band": band}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([11], "11 is out of range 0–10"),
        ([-1], "out of range"),
        ([3, 4], "expected 1 answers"),
        ([3.5], "expected an integer"),
        ([], "expected 1 answers"),
    ],
)
def test_nprs_refuses_invalid_ratings(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score_nprs(answers)


def test_psfs_is_the_mean_rating_of_the_activities():
    # (3 + 5 + 7) / 3 = 5.0
    result = score_psfs(
        [
            {"activity": "Putting on socks", "rating": 3},
            {"activity": "Walking 20 minutes", "rating": 5},
            {"activity": "Lifting my child", "rating": 7},
        ]
    )
    assert result.score == pytest.approx(5.0)
    # (2 + 3) / 2 = 2.5
    assert score_psfs([{"activity": "a", "rating": 2}, {"activity": "b", "rating": 3}]).score == 2.5


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([], "expected 1–5 activities, got 0"),
        ([{"activity": str(i), "rating": 5} for i in range(6)], "got 6"),
        ([{"activity": " ", "rating": 5}], "needs a name"),
        (
            [{"activity": "Sitting", "rating": 5}, {"activity": "sitting ", "rating": 4}],
            "listed twice",
        ),
        ([{"activity": "Sitting", "rating": 11}], "out of range 0–10"),
        ([5], "expected"),
    ],
)
def test_psfs_refuses_invalid_forms(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score_psfs(answers)
