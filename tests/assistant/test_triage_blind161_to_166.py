"""Classes `ask` missed or read too low on blind161-blind166 (first reading: `ask` escalated 453
of 456 red flags, 237 of 240 emergencies as emergencies, benign 94.0 %; every set at 90 % or
more). Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise

from .triage_helpers import codes, level

# --- the three misses ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["OD'd", "od'ed", "ODed", "od-ed"])
def test_an_overdose_written_short_is_an_overdose(written: str) -> None:
    assert "overdosed" in normalise(f"I {written} two years ago")
    text = f"{written} on my tablets last year, was in hospital a week. back aching today"
    assert "suicide_mentioned" in codes(text)
    # the word "odd" is not
    assert level("an odd pulling feeling in my back when I stand up") == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "Check-in form. Q: Have you had any thoughts of taking your own life? A: yes, this week",
        "suicidal thoughts? yes. back sore too",
    ],
)
def test_a_forms_question_about_suicide_answered_yes_is_thoughts_of_suicide(text: str) -> None:
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "Q: Any thoughts of ending your life? A: No. Back a bit better.",
        "suicidal thoughts? no. just fed up with the pain",
    ],
)
def test_the_same_question_answered_no_is_not(text: str) -> None:
    assert level(text) not in ("emergency", "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "how do I find a suicide helpline from inside the app?",
        "where's the crisis line in here, I want to have it handy",
        "can I ring a suicide hotline from the app",
    ],
)
def test_asking_where_or_how_to_reach_a_suicide_line_is_suicide_asked_about(text: str) -> None:
    assert "suicide_mentioned" in codes(text)
    assert level(text) == "urgent"


def test_a_suicide_line_the_writer_works_for_is_not() -> None:
    text = "I answer calls for a suicide prevention helpline; is the app good for my callers?"
    assert level(text) == "self_care"


# --- the emergencies read as urgent ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "chest discomfort when I climb the stairs at work, goes off when I sit",
        "my back ache has crept round to the front, my chest feels like somebody is sitting on it",
        "feels like an elephant sat on my chest since lunch",
    ],
)
def test_chest_discomfort_and_a_weight_sat_on_the_chest_are_chest_pain(text: str) -> None:
    assert "chest_pain" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "no chest discomfort, just the low back",
        "the cat sat on my chest to wake me, my back is stiff as usual",
    ],
)
def test_a_denied_discomfort_or_a_pet_on_the_chest_is_not(text: str) -> None:
    assert "chest_pain" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "pooed in my pants at night without waking, back has been bad since Saturday",
        "I wet in my bed last night for the first time, back pain since the weekend",
    ],
)
def test_soiling_or_wetting_in_the_pants_or_bed_is_a_bowel_or_bladder_red_flag(text: str) -> None:
    assert "ces_bladder_bowel" in codes(text)
    assert level(text) == "emergency"


# --- red flags the rules alone missed (the screen caught them) ----------------------------------


def test_a_relatives_thoughts_of_ending_their_life_are_a_red_flag() -> None:
    assert level("typing for my sister: she told me she keeps thinking about ending her life") == (
        "emergency"
    )
    # a death told is not thoughts of suicide
    assert "suicidal_thoughts" not in codes("a man from my old job took his own life in May")


def test_tripping_over_one_named_foot_is_a_foot_drop() -> None:
    assert "foot_drop" in codes("keep tripping over my right foot today, it is not lifting")
    assert level("tripped over my left foot once on the stairs two years ago") == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "I have not been able to start a stream since this morning although I need to go",
        "unable to initiate urinary flow for eight hours; known disc herniation",
    ],
)
def test_a_stream_that_will_not_start_is_retention(text: str) -> None:
    assert "ces_bladder_bowel" in codes(text)


def test_a_fall_from_the_top_of_a_warehouse_stack_is_significant_trauma() -> None:
    text = "came off the top of the racking at work onto the concrete floor, back very sore"
    assert "fracture_significant_trauma" in codes(text)
    assert level("I stack pallets all day and my back aches by the evening") == "self_care"
