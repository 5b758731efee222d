"""Classes the rules missed or over-called on blind95-blind100 (first reading: `ask` escalated 448
of 456 red flags, benign 91.1 %; the rules alone 426 of 456 and 468 of 504). Each is specified
here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level

# --- Caribbean English and patois -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a relative who fainted, grey and sweating, after complaining of the back
        "Mi madda jus faint pon di floor. She did a complain bout her back, now she sweatin",
        # farewells and a plan
        "Mi nah wake up tomorrow, sorry fi everyting",
        "Mi a stand pon di bridge. Nobody cyaan help",
        "Tell mi pickney dem seh mi love dem",
        "Mi done wid dis life, di back pain win",
        # a pulsing belly
        "Mi can feel a ting a pump inna mi belly an mi back a kill mi",
    ],
)
def test_patois_emergencies_are_emergencies(text: str) -> None:
    assert level(text) == "emergency", text


def test_patois_road_accidents_are_significant_trauma() -> None:
    assert "fracture_significant_trauma" in codes("Van lick mi from behind, back a hurt")
    assert "fracture_significant_trauma" in codes("Meh car flip over last night, back stiff")


# --- other classes the rules missed -----------------------------------------------------------


def test_cancer_medicines_and_chemotherapy_regimens_tell_of_cancer() -> None:
    assert "malignancy_cancer_history" in codes("on nivolumab since March, new ache low in my back")
    assert level("day 8 of my FOLFOX cycle, woke with a sore back. No temperature.") == "urgent"
    assert "malignancy_cancer_history" not in codes("I take ibuprofen for my back")


def test_nearly_passing_out_sweaty_and_cold_with_back_pain_is_an_emergency() -> None:
    assert level("my back is bad and I nearly passed out in the shower, cold and sweaty") == (
        "emergency"
    )


def test_numbness_logged_day_by_day_climbing_the_leg_is_progressive() -> None:
    assert "progressive_neuro_deficit" in codes(
        "Numb patch log\nMon: big toe\nTue: top of foot\nWed: up to the shin\nbigger each day"
    )


def test_a_weight_log_that_falls_without_a_diet_is_weight_loss() -> None:
    assert "malignancy_weight_loss" in codes(
        "Weight Feb 70kg, Apr 64kg, eating normally. Back aches"
    )
    assert "malignancy_weight_loss" not in codes("Weight Feb 64kg, Apr 70kg. Back aches")


# --- over-calls ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the app keeps crashing when I open the videos",
        "my boss is going to kill me if I'm late again, back's only a bit stiff",
        "my physio is a pain in the neck but the exercises work",
        "Scan came back clear, no spread, oncologist says the ache is muscular. Which stretches?",
        "temperature 38 from a cold but my back feel alright this week",
        "Back is the same as always, no different. I've got a temp of 38.3 with a cold though",
        "back pain went completely last week, now I've a fever with the flu",
        "fever last week already gone, back fine too",
        "I had a temperature on Monday but it is finished now",
        "my aunt got foot drop once, now ok already after her op. what causes it?",
        "how do I sit at my desk after chemo to avoid getting a bad back?",
        "If she ever went numb down there, is that 999?",
        "numb bum after a long drive, went away within the hour",
        "yoga: childs pose 2 min, cat-cow 10 reps. more ideas?",
        "sorry for the silly question but what does 'saddle anaesthesia' mean?",
        "Checklist\nsaddle numbness - no\nbladder - normal\nbowels - normal",
        "I thought my leg had gone dead but it was just asleep from sitting cross-legged",
        "slipped in the bathroom and sat down hard on my bum, bit bruised",
        "can't walk more than a mile before my calves ache, sitting for a minute sorts it",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


def test_a_fever_with_the_back_said_to_be_fine_is_routine() -> None:
    assert codes("temp 38.5 and shivery but back feel ok") == {"fever_without_back_pain"}


def test_someone_elses_threat_is_not_a_suicide_word_but_the_writers_own_words_are() -> None:
    assert level("I'm going to kill myself") == "emergency"
    assert level("this pain is going to kill me, I want to die") == "emergency"
