"""Plain-language progress sentences for patients."""

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.progress import describe_progress

JAN, FEB, MAR = dt.date(2025, 1, 6), dt.date(2025, 2, 3), dt.date(2025, 3, 3)


def test_an_improvement_that_matters_is_named_as_such():
    message = describe_progress("odi", [(JAN, 42), (FEB, 36), (MAR, 30)])
    assert message.classification == "improved"
    assert message.sentence == (
        "Your disability score improved by 12 points, from 42 to 30 — a change that matters."
    )


def test_series_are_sorted_by_date_first():
    message = describe_progress("odi", [(MAR, 30), (JAN, 42)])
    assert (message.baseline, message.latest) == (42, 30)


def test_a_relative_only_improvement_shows_the_percentage():
    # NPRS 3 → 2: 1 point, 33 % lower (Ostelo's 30 % rule).
    message = describe_progress("nprs", [(JAN, 3), (FEB, 2)])
    assert message.sentence == (
        "Your pain score improved by 1 point (33 % lower), from 3 to 2 — a change that matters."
    )


def test_worsening_asks_the_patient_to_tell_their_physiotherapist():
    message = describe_progress("rmdq", [(JAN, 8), (FEB, 14)])
    assert message.classification == "worsened"
    assert message.sentence.startswith("Your disability score went up by 6 points, from 8 to 14.")
    assert "physiotherapist" in message.sentence


def test_psfs_worsening_goes_down():
    message = describe_progress("psfs", [(JAN, 6), (FEB, 3.5)])
    assert message.sentence.startswith(
        "Your activity score went down by 2.5 points, from 6 to 3.5."
    )


def test_small_changes_are_reassuring_not_alarming():
    message = describe_progress("odi", [(JAN, 40), (FEB, 36)])
    assert message.classification == "unchanged"
    assert message.sentence == (
        "Your disability score is 36, close to where you started (40). "
        "Small ups and downs like this are normal."
    )
    same = describe_progress("nprs", [(JAN, 5), (FEB, 5)])
    assert same.sentence == "Your pain score is 5, the same as when you started."


def test_a_single_score_is_a_baseline():
    message = describe_progress("odi", [(JAN, 42)])
    assert message.classification is None
    assert (
        message.sentence
        == "Your first disability score is 42. We will compare your next answers with it."
    )


@pytest.mark.parametrize(
    ("instrument", "series"),
    [("startback", [(JAN, 3)]), ("odi", []), ("odi", [(JAN, 3), (JAN, 4)])],
)
def test_invalid_requests_are_refused(instrument, series):
    with pytest.raises(InvalidInput):
        describe_progress(instrument, series)
