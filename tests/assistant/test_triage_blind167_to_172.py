"""Classes `ask` missed or read too low on blind167-blind172 (first reading, blind169 apart as
a set written largely in romanised Hindi and its neighbours: `ask` escalated 378 of 380 red
flags, 197 of 200 emergencies as emergencies, benign 95.2 %). Each is specified here in words
that are not the blind authors'."""

from __future__ import annotations

import pytest

from .triage_helpers import codes, level

# --- the two misses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "felt woozy in the queue and next thing I knew I was on the floor, lower back aching since",
        "got up too quick, next thing i'm lying on the ground. my back has hurt all day",
    ],
)
def test_coming_to_on_the_floor_with_back_pain_is_a_collapse(text: str) -> None:
    assert "collapse_with_pain" in codes(text)
    assert level(text) == "emergency"


def test_being_on_the_floor_for_another_reason_is_not_a_collapse() -> None:
    text = "next thing I knew I was on the floor doing the cat-cow stretch, back feels looser"
    assert "collapse_with_pain" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is it common for someone in constant back pain to take their own life?",
        "do patients who have had years of sciatica sometimes end their lives?",
    ],
)
def test_asking_whether_people_in_pain_take_their_own_lives_is_suicide_asked_about(
    text: str,
) -> None:
    assert level(text) == "urgent"
    assert "suicide_mentioned" in codes(text)


def test_a_death_told_is_still_not_asking() -> None:
    assert level("my uncle took his own life when I was small. my back is stiff today") == (
        "self_care"
    )


# --- the two emergencies read as urgent --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "stabbing pain just below my left breast and my upper back, worse taking a deep breath",
        "aching under my boob on the right going through to the back",
    ],
)
def test_pain_under_the_breast_is_chest_pain(text: str) -> None:
    assert "chest_pain" in codes(text)


def test_a_rash_under_the_breast_is_not_chest_pain() -> None:
    assert "chest_pain" not in codes("itchy heat rash beneath my breasts, back is fine")


@pytest.mark.parametrize(
    "text",
    [
        "My right leg keeps buckling on the stairs. Weaker than yesterday.",
        "left leg's gone weak. Worse than on Monday, and Monday was worse than Sunday.",
    ],
)
def test_a_weak_leg_then_a_comparison_with_the_day_before_is_progressive(text: str) -> None:
    assert "progressive_neuro_deficit" in codes(text)
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        # the comparison has another subject, or is not the next sentence
        "My leg felt weak after leg day. My back is stiff. Worse than yesterday.",
        "leg a bit weak since the op last year. my back is worse than yesterday though",
    ],
)
def test_a_comparison_about_something_else_is_not_a_progressive_deficit(text: str) -> None:
    assert "progressive_neuro_deficit" not in codes(text)
