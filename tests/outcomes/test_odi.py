"""ODI v2.1a scoring (Fairbank & Pynsent 2000) and bands (Fairbank et al. 1980)."""

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.odi import ODI_SECTIONS, odi_band, score_odi


def test_a_complete_form_is_the_sum_over_fifty():
    # 16 points over 10 answered sections: 16 / (5 × 10) × 100 = 32 %,
    # the worked example of Fairbank & Pynsent 2000.
    result = score_odi([3, 2, 2, 1, 2, 2, 1, 1, 1, 1])
    assert result.raw_total == 16
    assert result.answered == 10
    assert result.score == pytest.approx(32.0)
    assert result.band == "moderate"


def test_one_unanswered_section_is_taken_out_of_the_denominator():
    # Same 16 points with section 8 (sex life) not applicable: 16 / 45 × 100 = 35.56 %.
    result = score_odi([3, 2, 2, 1, 2, 2, 1, None, 2, 1])
    assert result.answered == 9
    assert result.raw_total == 16
    assert result.score == pytest.approx(16 / 45 * 100)
    assert result.to_dict()["score"] == 35.6


def test_two_unanswered_sections_are_refused_by_default():
    with pytest.raises(InvalidInput, match="2 ODI sections unanswered; at most 1"):
        score_odi([3, 2, 2, 1, 2, 2, 1, None, None, 1])


def test_a_clinic_may_accept_more_unanswered_sections_explicitly():
    # 14 points over 8 sections: 14 / 40 × 100 = 35 %.
    result = score_odi([3, 2, 2, 1, 2, 2, 1, None, None, 1], max_unanswered=2)
    assert result.answered == 8
    assert result.score == pytest.approx(35.0)


def test_extremes_are_zero_and_one_hundred():
    assert score_odi([0] * 10).score == 0.0
    assert score_odi([5] * 10).score == 100.0
    assert score_odi([5] * 9 + [None]).score == 100.0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([1] * 9, "expected 10 answers, got 9"),
        ([1] * 11, "expected 10 answers, got 11"),
        ([1] * 9 + [6], "6 is out of range 0–5"),
        ([1] * 9 + [-1], "-1 is out of range 0–5"),
        ([1] * 9 + [True], "expected an integer 0–5"),
        ([1] * 9 + [2.5], "expected an integer 0–5"),
        ([1] * 9 + ["2"], "expected an integer 0–5"),
        ("1111111111", "expected a JSON array"),
    ],
)
def test_invalid_answers_are_refused_with_a_clear_message(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score_odi(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        (22, "moderate"),  # the next score a complete form can reach after 20
        (40, "moderate"),
        (42, "severe"),
        (60, "severe"),
        (62, "crippled"),
        (80, "crippled"),
        (82, "bed_bound"),
        (100, "bed_bound"),
    ],
)
def test_bands_follow_fairbank_1980(score, band):
    assert odi_band(score) == band


def test_band_of_a_prorated_score_uses_the_exact_percent():
    # 9 answered sections, 9 points: 9 / 45 = 20 % exactly → minimal;
    # 10 points: 22.2 % → moderate.
    assert score_odi([1] * 9 + [None]).band == "minimal"
    assert score_odi([2] + [1] * 8 + [None]).band == "moderate"


def test_ten_sections_in_v21a_order():
    assert len(ODI_SECTIONS) == 10
    assert ODI_SECTIONS[0] == "pain_intensity"
    assert ODI_SECTIONS[7] == "sex_life"
