"""Classes `ask` read too low on blind179-blind184 (first reading: `ask` escalated all 456 red
flags, the first round with no miss, but read 4 of 240 emergencies only as urgent). Each is
specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from .triage_helpers import codes, level

# --- sciatica in both legs told by "each" or "now it's both" ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "burning from each buttock down into the hamstrings since Tuesday, back agony",
        "it was the left leg only. Since this morning it's both, shooting to the knees",
        "electric shocks down each leg when I stand, lower back pain",
    ],
)
def test_pain_running_down_each_leg_is_bilateral_sciatica(text: str) -> None:
    assert level(text) == "emergency"
    assert "ces_bilateral_sciatica" in codes(text)


def test_each_buttock_sore_from_a_hard_seat_is_not_sciatica() -> None:
    assert "ces_bilateral_sciatica" not in codes(
        "each buttock aches after the long bike ride, back is fine"
    )


# --- urine flow fallen ------------------------------------------------------------------------


def test_a_flow_that_has_fallen_from_normal_is_new_difficulty_passing_urine() -> None:
    text = "my stream has dropped from a good strong one to a dribble since the back went on Monday"
    assert level(text) == "emergency"
    assert "ces_bladder_bowel" in codes(text)


# --- weakness measured and falling ------------------------------------------------------------


def test_leg_strength_measured_and_declining_is_a_progressive_deficit() -> None:
    text = "logging my left leg strength: 12 step-ups on day one, 8 yesterday, 4 today. Declining."
    assert level(text) == "emergency"
    assert "progressive_neuro_deficit" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "my leg strength is good, no downward trend, back stiff",
        "leg strength is not declining, the physio is happy, back stiff",
    ],
)
def test_leg_strength_said_to_be_holding_is_not(text: str) -> None:
    assert "progressive_neuro_deficit" not in codes(text)


# --- a denial taken back ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the doctor asked about thoughts of ending my life, I told him no so I could leave. "
        "The truth is I have, every night this week",
        "questionnaire asked about thoughts of harming myself, I ticked no but actually I do",
    ],
)
def test_a_denial_of_suicidal_thoughts_taken_back_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"
    assert "suicidal_thoughts" in codes(text)


def test_a_denial_kept_is_not() -> None:
    text = (
        "The nurse asked if I had any thoughts of hurting myself or ending things and I said "
        "no, that's the truth, I'm just fed up"
    )
    assert level(text) == "routine"
