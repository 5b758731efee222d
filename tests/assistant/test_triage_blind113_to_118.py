"""Classes the rules missed or over-called on blind113-blind118 (first reading: `ask` escalated 452
of 456 red flags, 237 of 240 emergencies as emergencies, benign 92.9 %). Each is specified here
in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.respond import Assistant
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile

from .triage_helpers import codes, level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # an age closing the message, an age in apposition, a cough as the minor trauma
        ("tripped on the rug, back very sore. 79", "fracture_minor_trauma_risk"),
        (
            "My grandad, 88 years, sneezed hard and now he has a terrible pain in his back and "
            "cannot stand up straight",
            "fracture_minor_trauma_risk",
        ),
        # a warning repeated, then made the writer's own
        (
            "The physio told me if my bum ever goes numb I should go straight to A&E. Today I "
            "have it. Only a small patch. Is it urgent?",
            "ces_saddle_anaesthesia",
        ),
        # a spelling of paraesthesia without the e
        ("saddle parasthesia since this morning and low back ache", "ces_saddle_anaesthesia"),
        # the tablets counted and enough of them
        ("counted out the oxycodone. there's enough. tonight's the night", "suicidal_thoughts"),
    ],
)
def test_red_flags_in_these_words_are_read(text: str, code: str) -> None:
    assert code in codes(text), text


def test_a_lethal_dose_question_with_the_intent_denied_is_for_a_call_today() -> None:
    text = (
        "How many gabapentin would it take to be fatal? Not planning anything, just curious as "
        "I have a lot in the drawer."
    )
    assert "suicide_mentioned" in codes(text)
    assert level(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # a questionnaire answered no, a TV programme, a story fine ever since
        "You asked on the form last week about my bladder and numbness. No, none of that, "
        "everything down there is normal.",
        "Saw on Loose Women about a lady who couldn't feel her bottom after a slipped disc. Can "
        "that really happen?",
        "Six years ago I had surgery because a disc was pressing on my nerves and I couldn't "
        "wee. Completely fine since then. Now just a stiff back from the garden.",
        # a side effect, whoever writes it: constipation on codeine, "it just won't come"
        "Since I started the co-codamol I cannot poo for four days, my tummy is bloated",
        "The tramadol has bunged me right up, nothing for 4 days. Feeling is normal down there, "
        "it just won't come out.",
        # an answer given at once, a crash that is the app's, cracking the back on purpose
        "Feeling low and tired of the pain. Suicide no, never.",
        "i logged my pain as 7 and then it crashed, did it save?",
        "Is it bad to keep cracking the back? It feels good.",
        # night shifts are work; the pain that is gone; both hands are not both legs
        "I do night shifts on a ward and lift patients all the time, my back is a bit sore after",
        "My back pain finished on Monday. Now I have a temperature and a cold, can I still swim?",
        "Tingling in both hands in the mornings, legs are fine and so is my back",
        # a colleague's story, an exam question
        "Colleague had a heart attack he thought was back pain. Now I'm paranoid. Mine is from "
        "deadlifts, no chest symptoms.",
        "Studying for my exams - does back pain with chest pain always mean a heart problem?",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        # the same words now and the writer's own keep their red flags
        "I cannot poo and I cannot feel when I wipe, back pain since yesterday",
        "Tingling in both legs since this morning and my back is agony",
        "I was in a car crash this morning and now my back really hurts",
        "Suicide? Yes, I think about it every day",
    ],
)
def test_the_red_flag_versions_stay_red_flags(text: str) -> None:
    assert level(text) in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    ("text", "age"),
    [
        # an inflammatory pattern in a young adult: morning stiffness that movement eases
        ("Every morning my back is like a plank for over an hour. Once I move about it eases.", 26),
        ("I am 23, in the morning I am stiff for an hour, then walking it gets better", None),
    ],
)
def test_morning_stiffness_eased_by_movement_is_an_inflammatory_pattern(
    text: str, age: int | None
) -> None:
    profile = PatientProfile(age=age) if age else None
    assert "inflammatory_pattern" in codes(text, profile), text


def test_pain_on_rolling_over_in_bed_is_not_night_pain_to_the_net(net_only: Assistant) -> None:
    text = "30 weeks pregnant. Pelvic and low back pain getting worse, mainly turning over in bed."
    assert net_only.triage(text).level not in RED_FLAG_LEVELS
